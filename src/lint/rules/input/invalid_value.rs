//! IN005 `invalid-value`: an attribute value outside what Pacemaker accepts.
//!
//! Mostly found while loading (see `cib::load`); this rule reports them.
//! It also reports legacy cluster option names in a CIB validated with a
//! pacemaker-3.x schema, which rejects them: Pacemaker refuses the whole
//! CIB (only an older schema's CIB is upgraded, and the names renamed).

use crate::cib::upgrade::{option_fate, OptionFate};
use crate::cib::IssueKind;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    super::report_issues(cx, em, IssueKind::InvalidValue);
    legacy_option_names(cx, em);
}

fn legacy_option_names(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    // `none` validates nothing (the name is then merely ignored); an older
    // schema's CIB was upgraded, its legacy names renamed, before this.
    let schema = cib.validate_with.as_deref().unwrap_or("").trim();
    let is_3x = schema
        .strip_prefix("pacemaker-")
        .and_then(|r| r.split('.').next())
        .and_then(|m| m.parse::<u32>().ok())
        .is_some_and(|m| m >= 3);
    if !is_3x || cib.upgrade.upgraded() {
        return;
    }
    for set in &cib.crm_config {
        for p in &set.pairs {
            let Some(fate) = option_fate(&p.name, p.value.as_deref().unwrap_or("")) else {
                continue;
            };
            let help = match fate {
                OptionFate::Rename(new) => format!("rename it to `{new}` (same value)"),
                _ => "remove it: it has no effect since Pacemaker 2.0 \
                      (defaults for resources and operations belong in `rsc_defaults` and `op_defaults`)"
                    .to_owned(),
            };
            let d = em
                .diag(
                    cx.attr_span(p.elem, "name"),
                    format!(
                        "cluster option name `{}` in set `{}` is rejected by the `{schema}` schema: Pacemaker refuses this CIB",
                        p.name, set.id
                    ),
                )
                .label("legacy option name")
                .help(help)
                .element(p.id.clone().unwrap_or_default());
            em.push(d);
        }
    }
}
