//! MA001 `maintenance-mode`: the cluster option `maintenance-mode` is on.
//! The cluster then manages nothing: it starts, stops and recovers no
//! resource and cancels their recurring monitors. Right during planned
//! work; a hazard when left on by mistake.

use crate::cib::load::parse_bool;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(p) = cx.cluster_option("maintenance-mode") else {
        return;
    };
    if !p.value.as_deref().is_some_and(parse_bool) {
        return;
    }
    let mut d = em
        .diag(
            cx.attr_span(p.elem, "value"),
            "the whole cluster is in maintenance mode: no resource is started, stopped, recovered or monitored",
        )
        .label("maintenance-mode turned on here")
        .help(
            "fine while you work on the cluster; afterwards turn it off \
             (`pcs property set maintenance-mode=false`, or `crm configure property maintenance-mode=false`)",
        );
    if let Some(id) = &p.id {
        d = d.element(id.clone());
    }
    em.push(d);
}
