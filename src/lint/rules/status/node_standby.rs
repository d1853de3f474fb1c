//! ST003 `node-standby`: a node is in standby.
//!
//! The node attribute `standby` is true, permanently (`<nodes>`) or until
//! the node reboots (a transient attribute in the status section, which
//! wins over the permanent one).

use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    for f in super::nodes_with_flag(cx, "standby") {
        let node = &f.node;
        let (how, lifetime) = f.lifetime();
        let d = em
            .diag(
                cx.attr_span(f.pair.elem, "value"),
                format!("node `{node}` is in standby{how}: it runs no resources"),
            )
            .label("standby is on")
            .help(format!(
                "to let it run resources again: `pcs node unstandby {node}` or \
                 `crm_attribute --node {node} --name standby{lifetime} --delete`"
            ))
            .element(format!("{node}/standby"));
        em.push(d);
    }
}
