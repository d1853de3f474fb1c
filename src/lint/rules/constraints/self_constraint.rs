//! CO008 `self-constraint`: a colocation or ordering of a resource with
//! itself, written directly, through a tag or a template, or by listing a
//! resource twice in a set. A colocation needs two resources: with itself
//! as primary, Pacemaker finds the primary not yet placed while placing it,
//! so a positive score keeps the resource off every node and a negative one
//! does nothing. An ordering of an action after itself means nothing, and
//! one between different actions of one resource (start after its own
//! promote) fights the resource's built-in sequence and loops.

use crate::cib::ResourceId;
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let mut seen: HashSet<(ElemId, ResourceId)> = HashSet::new();
    for e in cx.colocations.iter().filter(|e| !e.implicit) {
        for r in shared(cx, &e.dependent, &e.primary) {
            if !seen.insert((e.source, r)) {
                continue;
            }
            let id = cx.elem_id(e.source);
            let rsc = &cib.resource(r).id;
            let via = via(&e.dependent, &e.primary, rsc);
            let d = em
                .diag(
                    e.span,
                    format!("colocation `{id}` places `{rsc}` with itself{via}"),
                )
                .label("the same resource on both sides")
                .help(
                    "a colocation needs two different resources: with itself as primary, Pacemaker finds the \
                     primary unplaced while placing it, so a positive score keeps it from running; \
                     name the resource it should follow, or remove the constraint",
                )
                .element(id);
            em.push(d);
        }
    }
    for e in cx.orders.iter().filter(|e| !e.implicit) {
        if implied(&e.first_action, &e.then_action) {
            continue;
        }
        for r in shared(cx, &e.first, &e.then) {
            if !seen.insert((e.source, r)) {
                continue;
            }
            let id = cx.elem_id(e.source);
            let rsc = &cib.resource(r).id;
            let via = via(&e.first, &e.then, rsc);
            let (msg, help) = if e.first_action == e.then_action {
                (
                    format!(
                        "order `{id}` orders {} of `{rsc}` after itself{via}",
                        e.first_action
                    ),
                    "an action cannot wait for itself; name the resource it should follow, or remove the constraint"
                        .to_owned(),
                )
            } else {
                (
                    format!(
                        "order `{id}` orders {} of `{rsc}` after its own {}{via}",
                        e.then_action, e.first_action
                    ),
                    "Pacemaker sequences a resource's own actions itself (start before promote, demote before stop \
                     and before another instance's promote); an ordering against that sequence loops; remove the constraint"
                        .to_owned(),
                )
            };
            let d = em
                .diag(e.span, msg)
                .label("the same resource on both sides")
                .help(help)
                .element(id);
            em.push(d);
        }
    }
}

/// An ordering Pacemaker already makes between a resource's own actions
/// (for a clone, between its instances): repeating it changes nothing.
fn implied(first: &str, then: &str) -> bool {
    let norm = |a: &str| {
        match a {
            "started" => "start",
            "stopped" => "stop",
            "promoted" => "promote",
            "demoted" => "demote",
            other => other,
        }
        .to_owned()
    };
    matches!(
        (norm(first).as_str(), norm(then).as_str()),
        ("start", "promote") | ("demote", "stop") | ("demote", "promote") | ("stop", "start")
    )
}

/// Resources both references stand for.
fn shared(cx: &Context, a: &str, b: &str) -> Vec<ResourceId> {
    let rb = cx.resolve(b);
    let mut out: Vec<ResourceId> = cx
        .resolve(a)
        .into_iter()
        .filter(|r| rb.contains(r))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How a reference reached the resource, when not by its own name.
fn via(a: &str, b: &str, rsc: &str) -> String {
    let others: Vec<&str> = [a, b].into_iter().filter(|n| *n != rsc).collect();
    match others.as_slice() {
        [] => String::new(),
        [one] => format!(" (through `{one}`)"),
        [x, y] if x == y => format!(" (through `{x}`)"),
        [x, y] => format!(" (through `{x}` and `{y}`)"),
        _ => String::new(),
    }
}
