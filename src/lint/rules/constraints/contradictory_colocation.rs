//! CO005 `contradictory-colocation`: one colocation requires two resources
//! on the same node (INFINITY) and another forbids it (-INFINITY), in
//! either direction, from plain constraints, resource sets or a group's
//! implicit colocation of its members. -INFINITY wins in Pacemaker's score
//! arithmetic, so the dependent of the mandatory colocation cannot run at
//! all while the other is active.
//!
//! Roles are compared: "with the Promoted role" and "not with the
//! Unpromoted role" of the same clone do not contradict. Colocations by
//! `node-attribute` contradict only when the positive one is at least as
//! strict as the negative one (same node, or the same attribute).

use crate::cib::{ResourceId, Role};
use crate::lint::context::ColocationEdge;
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let pairs = |e: &ColocationEdge| -> Vec<(ResourceId, ResourceId)> {
        let ps = cx.resolve(&e.primary);
        let mut v = Vec::new();
        for d in cx.resolve(&e.dependent) {
            for &p in &ps {
                if d != p {
                    v.push((d, p)); // a resource with itself is CO008's
                }
            }
        }
        v
    };
    let positives: Vec<(&ColocationEdge, Vec<(ResourceId, ResourceId)>)> = cx
        .colocations
        .iter()
        .filter(|e| e.score.is_some_and(|s| s.is_plus_infinity()))
        .map(|e| (e, pairs(e)))
        .collect();
    let mut seen: HashSet<(ElemId, ElemId, ResourceId, ResourceId)> = HashSet::new();
    for neg in cx
        .colocations
        .iter()
        .filter(|e| !e.implicit && e.score.is_some_and(|s| s.is_minus_infinity()))
    {
        let neg_attr = node_attribute(cx, neg);
        for (nd, np) in pairs(neg) {
            for (pos, pp) in &positives {
                if pos.source == neg.source {
                    continue;
                }
                let Some(&(pd, ppr)) = pp
                    .iter()
                    .find(|&&(d, p)| (d, p) == (nd, np) || (d, p) == (np, nd))
                else {
                    continue;
                };
                // Same direction: compare dependent with dependent role.
                let (r1, r2) = if (pd, ppr) == (nd, np) {
                    (
                        (pos.dependent_role, neg.dependent_role),
                        (pos.primary_role, neg.primary_role),
                    )
                } else {
                    (
                        (pos.dependent_role, neg.primary_role),
                        (pos.primary_role, neg.dependent_role),
                    )
                };
                if !(roles_overlap(r1.0, r1.1) && roles_overlap(r2.0, r2.1)) {
                    continue;
                }
                let pos_attr = node_attribute(cx, pos);
                if !(pos_attr == neg_attr || pos_attr == "#uname") {
                    continue;
                }
                let (a, b) = if nd < np { (nd, np) } else { (np, nd) };
                if !seen.insert((neg.source, pos.source, a, b)) {
                    continue;
                }
                let (dn, pn) = (&cib.resource(nd).id, &cib.resource(np).id);
                let neg_id = cx.elem_id(neg.source);
                let pos_what = if pos.implicit {
                    format!("group `{}`", cx.elem_id(pos.source))
                } else {
                    format!("colocation `{}`", cx.elem_id(pos.source))
                };
                let pos_text = if pos.implicit {
                    format!(
                        "group `{}` keeps its members together",
                        cx.elem_id(pos.source)
                    )
                } else {
                    format!(
                        "`{}` requires them together (INFINITY)",
                        cx.elem_id(pos.source)
                    )
                };
                let d = em
                    .diag(
                        neg.span,
                        format!(
                            "colocation `{neg_id}` keeps `{dn}` away from `{pn}`, but {pos_what} requires them together"
                        ),
                    )
                    .label("-INFINITY: never together")
                    .with_label(pos.span, pos_text)
                    .help(format!(
                        "-INFINITY outweighs INFINITY, so `{}` cannot run while `{}` is active; decide which one is meant and remove the other",
                        cib.resource(pd).id,
                        cib.resource(ppr).id
                    ))
                    .element(neg_id);
                em.push(d);
            }
        }
    }
}

/// Do two role filters select a common role? No filter, or `Started`,
/// means any role.
fn roles_overlap(a: Option<Role>, b: Option<Role>) -> bool {
    let any = |r: Option<Role>| matches!(r, None | Some(Role::Started) | Some(Role::Unknown));
    any(a) || any(b) || a == b
}

/// The node attribute a colocation compares (`#uname`: the same node).
fn node_attribute<'a>(cx: &'a Context, e: &ColocationEdge) -> &'a str {
    if e.implicit {
        return "#uname";
    }
    cx.cib
        .colocations
        .iter()
        .find(|c| c.elem == e.source)
        .and_then(|c| c.node_attribute.as_deref())
        .unwrap_or("#uname")
}
