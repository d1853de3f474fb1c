//! MA002 `unmanaged-resource`: a resource with `is-managed=false` or
//! `maintenance=true` in its own meta-attributes (or, once, the same in
//! `rsc_defaults`). The cluster neither starts, stops nor recovers it (and,
//! with `maintenance=true`, does not monitor it): fine for planned work,
//! an outage waiting to happen when forgotten.

use super::written_in;
use crate::cib::load::{is_bool, parse_bool};
use crate::cib::{nvset, NvPair};
use crate::lint::{Context, Emitter};

/// The nvpair that unmanages, if it does.
fn unmanages(p: Option<&NvPair>, managed_flag: bool) -> Option<&NvPair> {
    let p = p?;
    let v = p.value.as_deref()?;
    if !is_bool(v) {
        return None;
    }
    // is-managed=false, or maintenance=true
    (parse_bool(v) != managed_flag).then_some(p)
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for r in &cib.resources {
        let unmanaged = unmanages(r.meta_pair("is-managed"), true);
        let maintenance = unmanages(r.meta_pair("maintenance"), false);
        let (first, second) = match (unmanaged, maintenance) {
            (Some(a), Some(b)) if b.elem < a.elem => (b, Some(a)),
            (Some(a), b) => (a, b),
            (None, Some(b)) => (b, None),
            (None, None) => continue,
        };
        let what = if first.name == "maintenance" {
            "is in maintenance"
        } else {
            "is not managed by the cluster"
        };
        let scope = if r.is_primitive() {
            String::new()
        } else {
            format!(" (and so is everything in this {})", r.kind_name())
        };
        let mut d = em
            .diag(
                cx.attr_span(first.elem, "value"),
                format!("{} `{}` {what}{scope}", r.kind_name(), r.id),
            )
            .label(format!(
                "`{}={}`",
                first.name,
                first.value.as_deref().unwrap_or("")
            ));
        if let Some(s) = second {
            d = d.with_label(
                cx.attr_span(s.elem, "value"),
                format!("`{}={}`", s.name, s.value.as_deref().unwrap_or("")),
            );
        }
        if !written_in(cx, first.elem, r.elem) {
            d = d.with_label(cx.attr_span(r.elem, "id"), "inherits the setting");
        }
        let help = format!(
            "the cluster will not start, stop or recover it{}; when the work is done, remove the \
             meta-attribute (`pcs resource manage {}`, or `crm resource manage {}`)",
            if maintenance.is_some() {
                " and does not monitor it"
            } else {
                ""
            },
            r.id,
            r.id
        );
        em.push(d.help(help).element(r.id.clone()));
    }
    let defaults = [
        unmanages(nvset::first_value(&cib.rsc_defaults, "is-managed"), true),
        unmanages(nvset::first_value(&cib.rsc_defaults, "maintenance"), false),
    ];
    for p in defaults.into_iter().flatten() {
        let d = em
            .diag(
                cx.attr_span(p.elem, "value"),
                format!(
                    "`{}={}` in rsc_defaults leaves every resource unmanaged",
                    p.name,
                    p.value.as_deref().unwrap_or("")
                ),
            )
            .label("resource default")
            .help(
                "a resource default applies to every resource that does not set its own value; \
                 remove it when the maintenance work is done",
            )
            .element(p.id.clone().unwrap_or_default());
        em.push(d);
    }
}
