//! FE002 `no-fencing-device`: fencing is enabled (the default) but no
//! primitive of class `stonith` exists and no watchdog (SBD) is in use.
//! Pacemaker then refuses to start any resource ("Resource start-up disabled
//! since no STONITH resources have been defined").

use super::fencing_option;
use crate::cib::load::parse_bool;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    if super::fencing_disabled_by(cx).is_some() {
        return;
    }
    let has_device = cib.resources.iter().any(|r| {
        r.is_primitive()
            && r.class
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("stonith"))
    });
    if has_device {
        return;
    }
    // SBD's watchdog fencing needs no device; the controller records it.
    if cx
        .cluster_option_value("have-watchdog")
        .is_some_and(parse_bool)
    {
        return;
    }
    let option = fencing_option(cx);
    let (span, label, element) = match option {
        Some(p) => (
            cx.attr_span(p.elem, "value"),
            "fencing enabled here".to_owned(),
            p.id.clone(),
        ),
        None => {
            let root = cib.doc.root;
            let conf = cib.doc.child_named(root, "configuration");
            let at = conf
                .and_then(|c| cib.doc.child_named(c, "resources"))
                .or(conf)
                .unwrap_or(root);
            (
                cib.doc.get(at).name_span,
                "fencing is enabled by default".to_owned(),
                None,
            )
        }
    };
    let mut d = em
        .diag(
            span,
            "fencing is enabled but no fencing device is configured: Pacemaker will start no resources",
        )
        .label(label)
        .help(
            "add a primitive of class `stonith` (e.g. `pcs stonith create fence-n1 fence_ipmilan ...`), \
             or use SBD watchdog fencing; if the cluster really has no shared data, set \
             `stonith-enabled=false` explicitly",
        );
    if let Some(id) = element {
        d = d.element(id);
    }
    em.push(d);
}
