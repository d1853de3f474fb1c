//! MA003 `target-role-stopped`: a resource whose own meta-attributes say
//! `target-role=Stopped` (or `rsc_defaults` saying it for all). Often
//! deliberate (`pcs resource disable`), sometimes forgotten; worth knowing
//! when reading a configuration, since nothing of it will run.

use super::written_in;
use crate::cib::{nvset, NvPair};
use crate::lint::{Context, Emitter};

/// Whether a resource is configured to stay stopped (its own or an
/// inherited `target-role=Stopped`, else the resource default's).
pub(crate) fn configured_stopped(cx: &Context, r: &crate::cib::Resource) -> bool {
    match r.meta_pair("target-role") {
        Some(p) => stopped(Some(p)).is_some(),
        None => stopped(nvset::first_value(&cx.cib.rsc_defaults, "target-role")).is_some(),
    }
}

fn stopped(p: Option<&NvPair>) -> Option<&NvPair> {
    let p = p?;
    p.value
        .as_deref()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("stopped"))
        .then_some(p)
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for r in &cib.resources {
        let Some(p) = stopped(r.meta_pair("target-role")) else {
            continue;
        };
        let scope = if r.is_primitive() {
            String::new()
        } else {
            format!(" (with everything in this {})", r.kind_name())
        };
        let mut d = em
            .diag(
                cx.attr_span(p.elem, "value"),
                format!(
                    "{} `{}` is configured to stay stopped{scope}",
                    r.kind_name(),
                    r.id
                ),
            )
            .label("target-role=Stopped");
        if !written_in(cx, p.elem, r.elem) {
            d = d.with_label(cx.attr_span(r.elem, "id"), "inherits the setting");
        }
        let help = format!(
            "if it should run, remove the meta-attribute (`pcs resource enable {}`, or `crm resource start {}`)",
            r.id, r.id
        );
        em.push(d.help(help).element(r.id.clone()));
    }
    if let Some(p) = stopped(nvset::first_value(&cib.rsc_defaults, "target-role")) {
        let d = em
            .diag(
                cx.attr_span(p.elem, "value"),
                "`target-role=Stopped` in rsc_defaults keeps every resource stopped that does not set its own target-role",
            )
            .label("resource default")
            .help("remove it from rsc_defaults; stop individual resources with their own `target-role`")
            .element(p.id.clone().unwrap_or_default());
        em.push(d);
    }
}
