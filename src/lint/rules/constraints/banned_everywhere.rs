//! CO006 `banned-everywhere`: -INFINITY location constraints (on the
//! resource or on a group, clone or bundle containing it) that together
//! cover every node it could run on, so it can never start. Node bans
//! (`node=`) count, and so do rules Pacemaker would match on a node by its
//! name, id or kind alone (`#uname`, `#id`, `#kind`); rules on other node
//! attributes depend on the cluster's state and are left alone. Bans of
//! one role (Promoted, Unpromoted) only limit that role and do not count.
//!
//! In an opt-in cluster (`symmetric-cluster=false`) a resource may only run
//! where a location constraint allows it, so a top-level resource that no
//! location constraint allows anywhere is reported too.

use super::{placement_nodes, NodeOrigin};
use crate::cib::load::parse_bool;
use crate::cib::rule::{AttrOp, BoolOp, Expr, Rule, RuleContext, ValueSource};
use crate::cib::time::Instant;
use crate::cib::{Location, ResourceId, Role, ScoreSpec};
use crate::lint::rules::management::target_role_stopped::configured_stopped;
use crate::lint::{Context, Emitter};
use crate::xml::Span;
use std::collections::{BTreeMap, HashMap};

/// One node's ban: which constraint, and where it says so.
#[derive(Clone)]
struct Ban {
    constraint: String,
    span: Span,
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let nodes = placement_nodes(cx);
    if nodes.is_empty() {
        return;
    }
    // Bans per resource, keyed by the node's index in `nodes`.
    let mut bans: HashMap<ResourceId, BTreeMap<usize, Ban>> = HashMap::new();
    for loc in &cib.locations {
        if matches!(loc.role, Some(Role::Promoted | Role::Unpromoted)) {
            continue;
        }
        let targets = targets(cx, loc);
        if targets.is_empty() {
            continue;
        }
        let mut banned: Vec<(usize, Span)> = Vec::new();
        if let (Some(node), Some(ScoreSpec::Value(s))) = (&loc.node, &loc.score) {
            if s.is_minus_infinity() {
                if let Some(i) = nodes.iter().position(|(n, _)| n.eq_ignore_ascii_case(node)) {
                    banned.push((i, cx.attr_span(loc.elem, "node")));
                }
            }
        }
        for rule in &loc.rules {
            let minus_inf = rule.score.is_some_and(|s| s.is_minus_infinity());
            if !minus_inf
                || rule.score_attribute.is_some()
                || matches!(rule.role, Some(Role::Promoted | Role::Unpromoted))
            {
                continue;
            }
            for (i, (name, origin)) in nodes.iter().enumerate() {
                if decide(cx, rule, name, *origin, cx.now) == Some(true) {
                    banned.push((i, cx.span(rule.elem)));
                }
            }
        }
        for &t in &targets {
            let entry = bans.entry(t).or_default();
            for &(i, span) in &banned {
                entry.entry(i).or_insert_with(|| Ban {
                    constraint: loc.id.clone(),
                    span,
                });
            }
        }
    }
    // A resource is reported when its own bans and its ancestors' cover
    // every node, unless its parent is already reported for that.
    let mut full: Vec<bool> = vec![false; cib.resources.len()];
    for (i, r) in cib.resources.iter().enumerate() {
        let id = ResourceId(i as u32);
        let mut eff: BTreeMap<usize, Ban> = BTreeMap::new();
        for a in cx.self_and_ancestors(id) {
            if let Some(b) = bans.get(&a) {
                for (k, v) in b {
                    eff.entry(*k).or_insert_with(|| v.clone());
                }
            }
        }
        if eff.len() < nodes.len() {
            continue;
        }
        full[i] = true;
        if r.parent.is_some_and(|p| full[p.index()]) {
            continue;
        }
        let mut constraints: Vec<&str> = eff.values().map(|b| b.constraint.as_str()).collect();
        constraints.sort();
        constraints.dedup();
        let node_list = nodes
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(first) = eff.values().next() else {
            continue;
        };
        let mut d = em
            .diag(
                first.span,
                format!(
                    "{} `{}` is banned from every node ({node_list}) by {}, so it can never run",
                    r.kind_name(),
                    r.id,
                    crate::lint::id_list(&constraints)
                ),
            )
            .label(format!("banned by `{}`", first.constraint));
        let mut labelled = vec![first.span.start];
        for b in eff.values() {
            if !labelled.contains(&b.span.start) {
                labelled.push(b.span.start);
                d = d.with_label(b.span, format!("banned by `{}`", b.constraint));
            }
        }
        let list = constraints
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = format!(
            "-INFINITY location constraints ({list}) leave `{}` no node; remove the ban for at least one node \
             (`pcs constraint remove ID` or `crm configure delete ID`; a `cli-ban-` one goes with `crm_resource --clear -r {}`)",
            r.id, r.id
        );
        em.push(d.help(help).element(r.id.as_str()));
    }
    opt_in(cx, em);
}

/// In an opt-in cluster: top-level resources no location constraint allows.
fn opt_in(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let Some(sym) = cx.cluster_option("symmetric-cluster") else {
        return;
    };
    if sym.value.as_deref().is_none_or(parse_bool) {
        return;
    }
    // A pattern could allow anything; without a regex engine, do not guess.
    if cib.locations.iter().any(|l| l.rsc_pattern.is_some()) {
        return;
    }
    let mut allowed: Vec<bool> = vec![false; cib.resources.len()];
    for loc in &cib.locations {
        let allows = match (&loc.node, &loc.score) {
            (Some(_), Some(ScoreSpec::Value(s))) => !s.is_minus_infinity(),
            (Some(_), _) => true,
            (None, _) => loc.rules.iter().any(|r| {
                r.score_attribute.is_some() || !r.score.is_some_and(|s| s.is_minus_infinity())
            }),
        };
        if !allows {
            continue;
        }
        for t in targets(cx, loc) {
            allowed[cib.top_of(t).index()] = true;
        }
    }
    for &top in &cib.top_resources {
        let r = cib.resource(top);
        // Disabled on purpose: that it can run nowhere changes nothing
        // (crm_verify is silent about it too).
        if allowed[top.index()] || configured_stopped(cx, r) {
            continue;
        }
        let d = em
            .diag(
                cx.attr_span(r.elem, "id"),
                format!(
                    "{} `{}` can run nowhere: the cluster is opt-in (`{}={}`) and no location constraint allows it on a node",
                    r.kind_name(),
                    r.id,
                    sym.name,
                    sym.value.as_deref().unwrap_or_default()
                ),
            )
            .label("no location constraint enables it")
            .with_label(cx.attr_span(sym.elem, "value"), "opt-in cluster")
            .help(format!(
                "in an opt-in cluster every resource needs a location constraint with a score of 0 or more for the nodes it may use, \
                 e.g. `pcs constraint location {0} prefers NODE=0` or `crm configure location {0}-on-NODE {0} 0: NODE`",
                r.id
            ))
            .element(r.id.as_str());
        em.push(d);
    }
}

/// The resources a location constraint applies to.
fn targets(cx: &Context, loc: &Location) -> Vec<ResourceId> {
    let mut v: Vec<ResourceId> = Vec::new();
    if let Some(r) = &loc.rsc {
        v.extend(cx.resolve(r));
    }
    for s in &loc.sets {
        for m in &s.members {
            v.extend(cx.resolve(&m.id));
        }
    }
    v.sort();
    v.dedup();
    v
}

/// Whether a rule matches a node, when that follows from the node's
/// identity alone; `None` when it depends on anything else.
fn decide(cx: &Context, rule: &Rule, name: &str, origin: NodeOrigin, now: Instant) -> Option<bool> {
    if rule.exprs.is_empty() {
        return Some(true);
    }
    let mut results = rule
        .exprs
        .iter()
        .map(|e| decide_expr(cx, e, name, origin, now));
    match rule.boolean_op {
        BoolOp::And => {
            let mut all = Some(true);
            for r in results.by_ref() {
                match r {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        BoolOp::Or => {
            let mut any = Some(false);
            for r in results.by_ref() {
                match r {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
    }
}

fn decide_expr(
    cx: &Context,
    e: &Expr,
    name: &str,
    origin: NodeOrigin,
    now: Instant,
) -> Option<bool> {
    match e {
        Expr::Rule(r) => decide(cx, r, name, origin, now),
        // An expired date never matches again; a live one may stop matching.
        Expr::Date(d) => d.expired_at(now).then_some(false),
        Expr::Attr(a) => {
            if a.value_source != ValueSource::Literal {
                return None;
            }
            let value = match a.attribute.as_str() {
                "#uname" => Some(name.to_owned()),
                "#id" => match origin {
                    NodeOrigin::Nodes => cx.cib.node_by_uname(name).map(|n| n.id.clone()),
                    _ => Some(name.to_owned()),
                },
                "#kind" => Some(
                    match origin {
                        NodeOrigin::Nodes => {
                            match cx.cib.node_by_uname(name).map(|n| n.kind.as_str()) {
                                Some("remote") => "remote",
                                _ => "cluster",
                            }
                        }
                        NodeOrigin::Remote => "remote",
                        NodeOrigin::Guest => "container",
                    }
                    .to_owned(),
                ),
                _ => return None,
            };
            // Node names compare without regard to case.
            let value = value.map(|v| {
                if a.attribute == "#uname" {
                    v.to_ascii_lowercase()
                } else {
                    v
                }
            });
            let mut a = a.clone();
            if a.attribute == "#uname" {
                a.value = a.value.map(|v| v.to_ascii_lowercase());
            }
            if matches!(a.op, AttrOp::Defined | AttrOp::NotDefined) {
                return Some((a.op == AttrOp::Defined) == value.is_some());
            }
            let lookup = move |_: &str| value.clone();
            let ctx = RuleContext {
                node_attr: Some(&lookup),
                ..Default::default()
            };
            Some(a.eval(&ctx))
        }
        Expr::Rsc(_) | Expr::Op(_) => None,
    }
}
