//! ST004 `node-maintenance`: a node is in maintenance mode.
//!
//! The node attribute `maintenance` is true, permanently (`<nodes>`) or
//! until the node reboots (a transient attribute in the status section).

use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    for f in super::nodes_with_flag(cx, "maintenance") {
        let node = &f.node;
        let (how, lifetime) = f.lifetime();
        let d = em
            .diag(
                cx.attr_span(f.pair.elem, "value"),
                format!(
                    "node `{node}` is in maintenance mode{how}: the cluster neither starts, \
                     stops nor monitors resources there"
                ),
            )
            .label("maintenance is on")
            .help(format!(
                "when the work is done: `pcs node unmaintenance {node}` or \
                 `crm_attribute --node {node} --name maintenance{lifetime} --delete`"
            ))
            .element(format!("{node}/maintenance"));
        em.push(d);
    }
}
