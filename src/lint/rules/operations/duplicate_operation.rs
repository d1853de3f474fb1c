//! OP002 `duplicate-operation`: two operations of one primitive with the
//! same name and interval (a template's included). Pacemaker identifies an
//! operation by name and interval only: of two recurring ones it runs
//! neither ("Operation X is duplicate of Y"), of two one-shot ones
//! (start, stop, ...) it silently uses the first.
//!
//! Two monitors at one interval for different roles of a promotable clone
//! are OP001's; this rule reports the rest.

use super::{
    effective_ops, in_promotable, pair_spans, role_class, role_text, same_key_groups, show_interval,
};
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let mut seen: HashSet<(ElemId, ElemId)> = HashSet::new();
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_primitive() || (r.ops.len() < 2 && r.template.is_none()) {
            continue;
        }
        let rid = crate::cib::ResourceId(i as u32);
        let ops = effective_ops(cib, rid);
        if ops.len() < 2 {
            continue;
        }
        let promotable = in_promotable(cib, rid);
        for group in same_key_groups(&ops) {
            for (j, second) in group.iter().enumerate().skip(1) {
                // OP001 covers different roles of a promotable resource.
                let first = group[..j].iter().find(|f| {
                    !(promotable
                        && second.op.interval_ms > 0
                        && role_class(f.op.role) != role_class(second.op.role))
                });
                let Some(first) = first else { continue };
                if !seen.insert((first.op.elem, second.op.elem)) {
                    continue;
                }
                let (at, primary, other) = pair_spans(cx, *first, *second);
                let op = second.op;
                let recurring = op.interval_ms > 0;
                let message = if recurring {
                    format!(
                        "operation `{}` every {} is defined twice for `{}`: Pacemaker runs neither",
                        op.name,
                        show_interval(op),
                        r.id
                    )
                } else {
                    format!(
                        "operation `{}` with interval {} is defined twice for `{}`: Pacemaker uses only the first",
                        op.name,
                        show_interval(op),
                        r.id
                    )
                };
                let (ra, rb) = (role_text(cx, first.op), role_text(cx, op));
                let mut help = String::from(
                    "Pacemaker tells operations apart by name and interval only; remove one of them",
                );
                if recurring {
                    help.push_str(", or give them different intervals (e.g. 10s and 11s)");
                }
                if ra != rb {
                    help.push_str(" (a different `role` does not make them distinct)");
                }
                let message = format!(
                    "{message}{}",
                    super::pair_names(r.template.as_deref(), *first, *second, op)
                );
                let mut d = em.diag(primary, message);
                // A recurring duplicate is an error to Pacemaker too (neither
                // runs, crm_verify says so); of two one-shot operations it
                // silently takes the first's settings: a warning.
                if !recurring {
                    d.severity = crate::diag::Severity::Warning;
                }
                let d = d
                    .label("duplicate operation")
                    .with_label(other, "same name and interval")
                    .help(help)
                    .element(cx.elem_id(at));
                em.push(super::label_template(cx, d, r, *first, *second));
            }
        }
    }
}
