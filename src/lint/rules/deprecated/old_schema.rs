//! DE003 `old-schema`: the CIB's `validate-with` names a schema from before
//! Pacemaker 1.1.x's pacemaker-2.0 (`pacemaker-1.x`, `pacemaker-0.x`,
//! `transitional-0.6`), the unstable `pacemaker-next`, or `none` (no
//! validation at all); or `validate-with` is missing. Pacemaker 3.0
//! rejects the missing case and several of these names outright.

use crate::lint::{Context, Emitter};

const UPGRADE: &str =
    "`cibadmin --upgrade --force` moves the CIB to the newest schema the cluster \
                       supports (take a backup with `cibadmin --query > cib.xml` first)";

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let root = cib.doc.root();
    let Some(v) = cib.validate_with.as_deref() else {
        let d = em
            .diag(
                root.name_span,
                "the CIB has no `validate-with`: it is checked against no schema, and Pacemaker 3 rejects it",
            )
            .label("no `validate-with` attribute")
            .help(format!("set `validate-with` to a current schema; {UPGRADE}"));
        em.push(d);
        return;
    };
    let span = root.attr_span("validate-with");
    let name = v.trim();
    let (message, help, label) = if name == "none" {
        (
            "`validate-with=\"none\"` turns schema validation off: no configuration change is checked".to_owned(),
            format!("validation off is deprecated since Pacemaker 2.1.8; {UPGRADE}"),
            "validation turned off",
        )
    } else if name == "pacemaker-next" {
        (
            "`validate-with=\"pacemaker-next\"` is the unstable development schema".to_owned(),
            format!("use a released schema; {UPGRADE}"),
            "development schema",
        )
    } else if name
        .strip_prefix("pacemaker-")
        .is_some_and(|r| r.starts_with("0.") || r.starts_with("1."))
        || name.starts_with("transitional-")
    {
        let rejected = matches!(
            name,
            "pacemaker-0.6" | "pacemaker-0.7" | "pacemaker-1.1" | "transitional-0.6"
        );
        (
            if rejected {
                format!("the CIB validates against the old `{name}` schema, which Pacemaker 3 no longer accepts")
            } else {
                format!("the CIB validates against the old `{name}` schema")
            },
            format!(
                "schemas before pacemaker-2.0 predate most current syntax and keep deprecated forms alive; {UPGRADE}"
            ),
            "old schema",
        )
    } else {
        return;
    };
    let d = em.diag(span, message).label(label).help(help);
    em.push(d);
}
