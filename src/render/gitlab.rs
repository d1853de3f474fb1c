//! `--format gitlab`: a GitLab Code Quality report (a JSON array of
//! issues with description, check_name, fingerprint, severity and
//! location.path + location.lines.begin), shown in merge requests.
//!
//! GitLab compares fingerprints between the merge request and its target
//! branch, so they must not change when unrelated lines move: they hash
//! the file name and the finding's line-free fingerprint (rule, element
//! id, message), plus an occurrence number for identical findings.

use crate::diag::{Diagnostic, Severity};
use crate::lint::outcome::fingerprint;
use crate::lint::FileOutcome;
use crate::xml::LineIndex;
use md5::{Digest, Md5};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Code Quality severities: info, minor, major, critical, blocker.
fn severity(d: &Diagnostic) -> &'static str {
    if d.input_error {
        return "blocker";
    }
    match d.severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut issues = Vec::new();
    for o in outcomes {
        let index = LineIndex::new(&o.source);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in super::ordered(&o.diagnostics) {
            let loc = super::locate(&index, d.span);
            let key = format!("{}\u{0}{}", o.name, fingerprint(d));
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let digest = Md5::digest(format!("{key}\u{0}{n}").as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let mut description = format!("{}: {}", d.code, d.message);
            if let Some(h) = &d.help {
                description.push_str(&format!(" (help: {h})"));
            }
            issues.push(json!({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "fingerprint": hex,
                "severity": severity(d),
                "location": {
                    "path": o.name,
                    "lines": { "begin": loc.line }
                }
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}
