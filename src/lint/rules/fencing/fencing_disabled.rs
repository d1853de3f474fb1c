//! FE001 `fencing-disabled`: fencing (`stonith-enabled`, or `fencing-enabled`
//! since Pacemaker 3.0.2) is turned off. Without fencing the cluster cannot
//! recover safely from a node that hangs or loses contact.

use super::{fencing_disabled_by, show_pair};
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(p) = fencing_disabled_by(cx) else {
        return;
    };
    let mut d = em
        .diag(
            cx.attr_span(p.elem, "value"),
            format!("fencing is disabled (`{}`)", show_pair(p)),
        )
        .label("fencing turned off here")
        .help(
            "without fencing, a node that hangs or loses contact cannot be made safe: the cluster \
             either waits forever or assumes the node is dead and starts its resources elsewhere, \
             and with shared storage or DRBD two nodes then write the same data; configure a \
             fencing device and set it to true",
        );
    if let Some(id) = &p.id {
        d = d.element(id.clone());
    }
    em.push(d);
}
