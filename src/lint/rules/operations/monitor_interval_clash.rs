//! OP001 `promotable-monitor-interval-clash`: a primitive of a promotable
//! clone has recurring monitors for different roles (Promoted and
//! Unpromoted, or no role) at the same interval. Pacemaker identifies a
//! recurring operation by name and interval, so it treats them as
//! duplicates and runs neither: no instance is monitored in either role.

use super::{
    effective_ops, in_promotable, pair_spans, role_class, role_text, same_key_groups, show_interval,
};
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;
use std::collections::HashSet;

fn show_role(role: Option<String>) -> String {
    match role {
        Some(r) => format!("role {r}"),
        None => "no role".to_owned(),
    }
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let mut seen: HashSet<(ElemId, ElemId)> = HashSet::new();
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_primitive() || (r.ops.len() < 2 && r.template.is_none()) {
            continue;
        }
        let rid = crate::cib::ResourceId(i as u32);
        if !in_promotable(cib, rid) {
            continue;
        }
        let ops = effective_ops(cib, rid);
        for group in same_key_groups(&ops) {
            if group[0].op.interval_ms == 0 {
                continue;
            }
            for (j, second) in group.iter().enumerate().skip(1) {
                let class = role_class(second.op.role);
                // Report each role once: against the first monitor of another role.
                if group[..j].iter().any(|f| role_class(f.op.role) == class) {
                    continue;
                }
                let Some(first) = group[..j].iter().find(|f| role_class(f.op.role) != class) else {
                    continue;
                };
                if !seen.insert((first.op.elem, second.op.elem)) {
                    continue;
                }
                let (at, primary, other) = pair_spans(cx, *first, *second);
                let op = second.op;
                let (ra, rb) = (
                    show_role(role_text(cx, first.op)),
                    show_role(role_text(cx, op)),
                );
                let message = format!(
                    "promotable `{}` has two `{}` operations every {} ({ra} and {rb}): Pacemaker runs neither",
                    r.id,
                    op.name,
                    show_interval(op)
                );
                let (lp, lo) = if primary == cx.span(op.elem) {
                    (rb, ra)
                } else {
                    (ra, rb)
                };
                let message = format!(
                    "{message}{}",
                    super::pair_names(r.template.as_deref(), *first, *second, op)
                );
                let d = em
                    .diag(primary, message)
                    .label(lp)
                    .with_label(other, format!("{lo}, same interval"))
                    .help(
                        "Pacemaker identifies a recurring operation by name and interval, not role; \
                         give each role its own interval, e.g. `interval=\"10s\" role=\"Promoted\"` \
                         and `interval=\"11s\" role=\"Unpromoted\"`",
                    )
                    .element(cx.elem_id(at));
                em.push(super::label_template(cx, d, r, *first, *second));
            }
        }
    }
}
