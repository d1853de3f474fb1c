//! IN005 `invalid-value`: an attribute value outside what Pacemaker accepts.
//!
//! Mostly found while loading (see `cib::load`); this rule reports them.
//! It also reports legacy cluster option names in a CIB validated with a
//! pacemaker-3.x schema, which rejects them: Pacemaker refuses the whole
//! CIB (only an older schema's CIB is upgraded, and the names renamed).
//! And `on-fail` values Pacemaker refuses for the operation they are on
//! (a configuration error it logs, resetting the value to the default).

use crate::cib::upgrade::{known_schema, option_fate, OptionFate};
use crate::cib::IssueKind;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    super::report_issues(cx, em, IssueKind::InvalidValue);
    legacy_option_names(cx, em);
    misplaced_on_fail(cx, em);
}

/// `on-fail` a stop cannot have (`standby`, `demote`, `stop`), and
/// `demote` on anything but a promote or a recurring monitor of the
/// Promoted role: Pacemaker reports a configuration error and uses the
/// default instead.
fn misplaced_on_fail(cx: &Context, em: &mut Emitter) {
    for r in &cx.cib.resources {
        for op in &r.ops {
            let Some(v) = op.on_fail.as_deref() else {
                continue;
            };
            let v_lc = v.trim().to_ascii_lowercase();
            let name = op.name.to_ascii_lowercase();
            let bad = if name == "stop" {
                matches!(v_lc.as_str(), "standby" | "demote" | "stop")
            } else if v_lc == "demote" {
                let promoted_monitor = name == "monitor"
                    && op.role == Some(crate::cib::Role::Promoted)
                    && op.interval_ms > 0;
                !(name == "promote" || promoted_monitor)
            } else {
                false
            };
            if !bad {
                continue;
            }
            let d = em
                .diag(
                    cx.attr_span(op.elem, "on-fail"),
                    format!(
                        "`on-fail={v}` is not allowed on the {} operation `{}` of `{}`: Pacemaker reports a configuration error and uses the default instead",
                        op.name, op.id, r.id
                    ),
                )
                .label("not allowed here")
                .help(if name == "stop" {
                    "remove it (a failed stop is answered by fencing, or `block` when fencing is off), or set `on-fail=block` or `fence`"
                } else {
                    "`on-fail=demote` is for promote operations and recurring monitors of the Promoted role; remove it here"
                })
                .element(op.id.clone());
            em.push(d);
        }
    }
}

fn legacy_option_names(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    // `none` validates nothing (the name is then merely ignored); an older
    // schema's CIB was upgraded, its legacy names renamed, before this.
    let schema = cib.validate_with.as_deref().unwrap_or("").trim();
    let is_3x = known_schema(schema).is_some_and(|(major, _)| major >= 3);
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
