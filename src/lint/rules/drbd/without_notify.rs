//! DR004 `drbd-without-notify`: the DRBD resource agent relies on clone
//! notifications (pre/post promote, demote, start, stop) to track its
//! peers; without `notify=true` on the clone its validation fails ("you
//! really should enable notify when using this RA") and every operation
//! ends as `not configured`. An explicit `ignore_missing_notifications=true`
//! on the primitive is an informed opt-out and is not reported.

use super::drbd_clones;
use crate::cib::load::parse_bool;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for clone in drbd_clones(cx) {
        if cx.meta_bool(clone.id, "notify") == Some(true) {
            continue;
        }
        let p = cib.resource(clone.primitive);
        if p.param_value("ignore_missing_notifications")
            .is_some_and(parse_bool)
        {
            continue;
        }
        let c = cib.resource(clone.id);
        let own = c.meta_pair("notify");
        let (span, label) = match own {
            Some(p) => (cx.attr_span(p.elem, "value"), "notifications turned off"),
            None => (cx.span(c.elem), "no `notify=true`"),
        };
        let mut d = em
            .diag(
                span,
                format!(
                    "DRBD promotable clone `{}` does not enable notifications (`notify=true`)",
                    c.id
                ),
            )
            .label(label);
        // A common slip: the meta attribute set on the primitive, where
        // Pacemaker does not read it for the clone.
        if let Some(pp) = p.meta_pair("notify") {
            if pp.value.as_deref().is_some_and(parse_bool) {
                d = d.with_label(
                    cx.attr_span(pp.elem, "value"),
                    format!("set on the primitive `{}`, where it has no effect", p.id),
                );
            }
        }
        let help = format!(
            "the DRBD agent fails as `not configured` without clone notifications: `pcs resource meta {0} notify=true` (crmsh: `crm resource meta {0} set notify true`)",
            c.id
        );
        em.push(d.help(help).element(c.id.as_str()));
    }
}
