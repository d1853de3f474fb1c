//! `--format json`: the lint results as a versioned JSON document.
//!
//! The contract (schema `cibcheck-lint`, version 1; see docs/json-output.md):
//! every key is always present (null when not applicable); new keys may be
//! added in a minor release, nothing is removed or renamed without a new
//! version.

use super::{locate, Location};
use crate::diag::Severity;
use crate::lint::outcome::fingerprint;
use crate::lint::FileOutcome;
use crate::xml::LineIndex;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    notes: &'a [String],
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    /// "clean", "findings" or "input-error"
    status: &'static str,
    suppressed: usize,
    /// Hidden by cibcheck.toml's `[[accept]]`.
    accepted: usize,
    /// The release profile the CIB was judged as (null when unreadable).
    pacemaker: Option<Release>,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Release {
    release: &'static str,
    chosen_by: &'static str,
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    fingerprint: String,
    element_id: Option<&'a str>,
    location: Location,
    label: Option<&'a str>,
    labels: Vec<Label<'a>>,
    help: Option<&'a str>,
    input_error: bool,
}

#[derive(Serialize)]
struct Label<'a> {
    message: &'a str,
    location: Location,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    files_with_input_errors: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    accepted: usize,
}

pub fn render(outcomes: &[FileOutcome], notes: &[String]) -> String {
    let files = outcomes
        .iter()
        .map(|o| {
            let index = LineIndex::new(&o.source);
            let diagnostics = super::ordered(&o.diagnostics)
                .into_iter()
                .map(|d| Diag {
                    code: d.code,
                    rule: d.rule,
                    severity: d.severity,
                    message: &d.message,
                    fingerprint: fingerprint(d),
                    element_id: d.element_id.as_deref(),
                    location: locate(&index, d.span),
                    label: d.primary_label.as_deref(),
                    labels: d
                        .labels
                        .iter()
                        .map(|l| Label {
                            message: &l.message,
                            location: locate(&index, l.span),
                        })
                        .collect(),
                    help: d.help.as_deref(),
                    input_error: d.input_error,
                })
                .collect();
            File {
                path: &o.name,
                status: if o.input_error() {
                    "input-error"
                } else if o.diagnostics.is_empty() {
                    "clean"
                } else {
                    "findings"
                },
                suppressed: o.suppressed,
                accepted: o.accepted,
                pacemaker: o.pacemaker.map(|(p, chosen)| Release {
                    release: p.name,
                    chosen_by: chosen.describe(),
                }),
                diagnostics,
            }
        })
        .collect();
    let count = |s: Severity| outcomes.iter().map(|o| o.count(s)).sum();
    let doc = Doc {
        schema: "cibcheck-lint",
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "cibcheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        notes,
        summary: Summary {
            files: outcomes.len(),
            files_with_input_errors: outcomes.iter().filter(|o| o.input_error()).count(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            suppressed: outcomes.iter().map(|o| o.suppressed).sum(),
            accepted: outcomes.iter().map(|o| o.accepted).sum(),
        },
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
