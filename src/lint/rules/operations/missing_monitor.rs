//! OP003 `missing-monitor`: a primitive with no enabled recurring monitor.
//! Pacemaker only learns that a resource failed when an operation tells it
//! so; without a recurring monitor a crashed service stays "Started" until
//! something else notices. Fencing devices count too: an unmonitored device
//! is found broken only when a node must be fenced.
//!
//! One finding per configured primitive; `op_defaults` cannot add a
//! monitor, so they are not consulted.

use super::{effective_ops, op_disabled};
use crate::cib::{ResourceId, Role};
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_primitive() {
            continue;
        }
        let ops = effective_ops(cib, ResourceId(i as u32));
        let recurring: Vec<_> = ops
            .iter()
            .filter(|o| {
                o.op.name == "monitor" && o.op.interval_ms > 0 && o.op.role != Some(Role::Stopped)
            })
            .collect();
        if recurring.iter().any(|o| !op_disabled(o.op)) {
            continue;
        }
        let what = if r.class.as_deref() == Some("stonith") {
            "fencing device"
        } else {
            "primitive"
        };
        let mut d = if recurring.is_empty() {
            em.diag(
                cx.attr_span(r.elem, "id"),
                format!(
                    "{what} `{}` has no recurring monitor: its failures go unnoticed",
                    r.id
                ),
            )
            .label("no `monitor` with an interval")
        } else {
            em.diag(
                cx.attr_span(r.elem, "id"),
                format!(
                    "every recurring monitor of {what} `{}` is disabled: its failures go unnoticed",
                    r.id
                ),
            )
            .label("no enabled `monitor` with an interval")
        };
        for o in &recurring {
            d = d.with_label(cx.span(o.op.elem), "disabled");
        }
        let spec = r.agent_spec();
        let help = if spec.is_empty() {
            "add `<op name=\"monitor\" interval=\"30s\" timeout=\"20s\"/>` to its operations"
                .to_owned()
        } else {
            format!(
                "add `<op name=\"monitor\" interval=\"30s\" timeout=\"20s\"/>` to its operations \
                 (`pcs resource op add {} monitor interval=30s`); the agent ({spec}) meta-data \
                 suggests an interval and timeout",
                r.id
            )
        };
        em.push(d.help(help).element(r.id.clone()));
    }
}
