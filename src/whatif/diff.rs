//! `cibcheck diff BEFORE AFTER`: the CIB Pacemaker would schedule if
//! AFTER's configuration were applied to the running cluster BEFORE
//! describes (BEFORE's status section and runtime attributes), and the
//! lint findings the change adds and removes.

use crate::cib::time::Instant;
use crate::cib::{Cib, SourceFile};
use crate::diag::{Diagnostic, Severity};
use crate::lint::{self, Context, Selection};
use crate::xml::ParseLimits;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Attributes of `<cib>` that describe the running cluster, not its
/// configuration.
const RUNTIME_ATTRS: [&str; 3] = ["have-quorum", "dc-uuid", "execution-date"];

/// AFTER's configuration with BEFORE's status section and runtime
/// attributes.
pub fn combine(before: &Cib, after: &Cib) -> Result<Cib, String> {
    let status_text = |cib: &Cib| {
        cib.doc
            .child_named(cib.doc.root, "status")
            .map(|s| cib.doc.get(s).span)
    };
    let a_text: &str = &after.source.text;
    let b_text: &str = &before.source.text;
    let b_status = status_text(before)
        .and_then(|sp| b_text.get(sp.range()))
        .unwrap_or("");
    let mut text = String::with_capacity(a_text.len() + b_status.len());
    match status_text(after) {
        Some(sp) => {
            let (head, tail) = (
                a_text.get(..sp.start as usize),
                a_text.get(sp.end as usize..),
            );
            let (Some(head), Some(tail)) = (head, tail) else {
                return Err("cannot locate the status section of AFTER".into());
            };
            text.push_str(head);
            text.push_str(b_status);
            text.push_str(tail);
        }
        None => {
            let end = a_text
                .rfind("</cib")
                .ok_or_else(|| "AFTER has no closing </cib> tag".to_string())?;
            text.push_str(&a_text[..end]);
            text.push_str(b_status);
            text.push('\n');
            text.push_str(&a_text[end..]);
        }
    }
    let load = |text: String| {
        crate::cib::load(
            SourceFile {
                name: after.source.name.clone(),
                text: Arc::from(text),
            },
            ParseLimits::default(),
        )
        .map_err(|e| format!("the combined CIB does not load: {}", e.message))
    };
    let mut cib = load(text)?;
    let broot = before.doc.root();
    let mut doc = cib.doc.clone();
    let root = doc.root;
    let mut changed = false;
    for name in RUNTIME_ATTRS {
        if let Some(v) = broot.attr(name) {
            if doc.get(root).attr(name) != Some(v) {
                doc.set_attr(root, name, v);
                changed = true;
            }
        }
    }
    if changed {
        cib = load(doc.to_xml())?;
    }
    Ok(cib)
}

/// A lint finding, as compared between BEFORE and AFTER.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// The id of the element the finding is about.
    pub location: String,
    pub message: String,
}

fn findings(cib: &Cib, now: Instant) -> Vec<Diagnostic> {
    lint::lint(&Context::new(cib, now), &Selection::all())
}

/// Findings of AFTER that BEFORE does not have, and the reverse,
/// compared by rule code and element id (as multisets).
pub fn lint_delta(before: &Cib, after: &Cib, now: Instant) -> (Vec<Finding>, Vec<Finding>) {
    let b = findings(before, now);
    let a = findings(after, now);
    let key = |d: &Diagnostic| (d.code, d.element_id.clone().unwrap_or_default());
    let mut count: BTreeMap<(&str, String), i64> = BTreeMap::new();
    for d in &b {
        *count.entry(key(d)).or_insert(0) += 1;
    }
    let mut added = Vec::new();
    for d in &a {
        let c = count.entry(key(d)).or_insert(0);
        if *c > 0 {
            *c -= 1;
        } else {
            added.push(finding(d));
        }
    }
    let mut count: BTreeMap<(&str, String), i64> = BTreeMap::new();
    for d in &a {
        *count.entry(key(d)).or_insert(0) += 1;
    }
    let mut removed = Vec::new();
    for d in &b {
        let c = count.entry(key(d)).or_insert(0);
        if *c > 0 {
            *c -= 1;
        } else {
            removed.push(finding(d));
        }
    }
    (added, removed)
}

fn finding(d: &Diagnostic) -> Finding {
    Finding::of(d)
}

impl Finding {
    /// A diagnostic as compared and reported.
    pub fn of(d: &Diagnostic) -> Finding {
        Finding {
            code: d.code,
            severity: d.severity,
            location: d.element_id.clone().unwrap_or_default(),
            message: d.message.clone(),
        }
    }
}
