//! schema rules (SC): the CIB against the Pacemaker schema its
//! `validate-with` names (see `cib::schema`).
//!
//! - SC001 `schema-violation`: each place the CIB breaks the named schema,
//!   as crm_verify reports it ("config not valid"); Pacemaker refuses to
//!   load a CIB naming a 3.x schema that does not validate.
//! - SC002 `newest-schema-rejects`: with `validate-with="none"`, what the
//!   newest schema of the profile rejects: what stands in the way of
//!   turning validation on (`cibadmin --upgrade`). An unknown attribute
//!   IN006 reports is left to it.
//! - SC003 `cannot-upgrade`: an old CIB that Pacemaker's upgrade cannot
//!   bring to pacemaker-3.0, which Pacemaker refuses to load.
//!
//! Facts the loader already reports under an input rule (a duplicate id,
//! IN002; a reference to nothing, IN001; a bad score, role or value, IN003
//! to IN005) are not reported a second time here.

use crate::cib::schema::{Kind, Violation};
use crate::cib::IssueKind;
use crate::lint::{Context, Emitter};

/// True when an input rule already reports this fact.
fn reported_by_input_rule(cx: &Context, v: &Violation) -> bool {
    let kinds: &[IssueKind] = match v.kind {
        Kind::DuplicateId => &[IssueKind::DuplicateId],
        Kind::DanglingIdRef => &[IssueKind::DanglingReference],
        Kind::Value => &[
            IssueKind::InvalidScore,
            IssueKind::UnknownRole,
            IssueKind::InvalidValue,
        ],
        _ => return false,
    };
    cx.cib.issues.iter().any(|i| {
        kinds.contains(&i.kind)
            && (i.elem == Some(v.elem)
                || (i.span.start >= v.span.start && i.span.end <= v.span.end))
    })
}

fn message(cx: &Context, v: &Violation) -> String {
    match cx.owner_text(v.elem) {
        Some(owner)
            if !v.message.contains(&owner)
                && !owner.starts_with(&format!("<{}>", cx.cib.doc.get(v.elem).name)) =>
        {
            format!("{} (in {owner})", v.message)
        }
        Some(owner) if !v.message.contains(&owner) => format!("{} ({owner})", v.message),
        _ => v.message.clone(),
    }
}

fn help(cx: &Context, v: &Violation) -> Option<String> {
    let el = cx.cib.doc.get(v.elem);
    match v.kind {
        Kind::UnknownAttribute => v
            .attr
            .as_deref()
            .and_then(|a| super::input::unknown_attribute::help_for_attr(el.name, a)),
        Kind::DanglingIdRef => Some("create the element it names, or correct the reference".into()),
        Kind::DuplicateId => Some("give each element its own id".into()),
        _ => None,
    }
}

fn push(cx: &Context, em: &mut Emitter, v: &Violation, schema: &str, label: &str) {
    let mut d = em
        .diag(v.span, message(cx, v))
        .label(format!("{label} {schema}"));
    if let Some(h) = help(cx, v) {
        d = d.help(h);
    }
    if let Some(id) = cx.cib.doc.get(v.elem).attr("id") {
        d = d.element(match &v.attr {
            Some(a) => format!("{id}@{a}"),
            None => id.to_string(),
        });
    }
    em.push(d);
}

pub mod schema_violation {
    use super::*;
    pub fn check(cx: &Context, em: &mut Emitter) {
        let s = &cx.cib.schema;
        let name = s.named.as_deref().unwrap_or("").trim().to_string();
        for v in s
            .violations
            .iter()
            .filter(|v| !reported_by_input_rule(cx, v))
        {
            push(cx, em, v, &name, "not valid for");
        }
    }
}

pub mod newest_schema_rejects {
    use super::*;
    pub fn check(cx: &Context, em: &mut Emitter) {
        let s = &cx.cib.schema;
        let Some(newest) = s.newest.map(crate::cib::schema::validate::version_name) else {
            return;
        };
        let in006 = |v: &Violation| {
            v.kind == Kind::UnknownAttribute
                && v.attr.as_deref().is_some_and(|a| {
                    let el = cx.cib.doc.get(v.elem).name;
                    crate::lint::rules::input::unknown_attribute::help_for_attr(el, a).is_some()
                        && !crate::cib::schema::notation::schema().knows_attr(el, a)
                })
        };
        for v in s
            .newest_only
            .iter()
            .filter(|v| !reported_by_input_rule(cx, v) && !in006(v))
        {
            push(cx, em, v, newest, "rejected by");
        }
    }
}

pub mod cannot_upgrade {
    use super::*;
    pub fn check(cx: &Context, em: &mut Emitter) {
        let Some(r) = cx.cib.schema.refusal.as_ref().filter(|r| r.upgrade) else {
            return;
        };
        let mut d = em
            .diag(r.span, r.message.clone())
            .label("cannot be upgraded");
        for v in r.violations.iter().take(5) {
            if !v.span.is_empty() {
                d = d.with_label(v.span, v.message.clone());
            }
        }
        let first = r
            .violations
            .first()
            .map(|v| format!(" First: {}.", message(cx, v)))
            .unwrap_or_default();
        d = d.help(format!(
            "correct what the schema rejects, then store the upgrade with `cibadmin --upgrade --force` after a backup (`cibadmin --query > cib.xml`).{first}"
        ));
        em.push(d);
    }
}
