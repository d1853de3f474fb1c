//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning. Rules carry their
//! docs; results carry stable `partialFingerprints` (rule + element id +
//! message, never line numbers) and always one location.

use super::locate;
use crate::diag::Severity;
use crate::lint::outcome::fingerprint;
use crate::lint::{FileOutcome, RULES};
use crate::xml::LineIndex;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference (forward slashes, percent-escaped).
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut out = String::new();
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(outcomes: &[FileOutcome]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.category.severity()) },
                "properties": { "category": r.category.name() }
            })
        })
        .collect();
    let mut results = Vec::new();
    // Each file, with the release it was judged as.
    let artifacts: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            let mut a = json!({ "location": { "uri": uri(&o.name) } });
            if let Some((p, chosen)) = o.pacemaker {
                a["properties"] = json!({
                    "pacemaker": { "release": p.name, "chosen_by": chosen.describe() }
                });
            }
            a
        })
        .collect();
    for o in outcomes {
        let index = LineIndex::new(&o.source);
        for d in super::ordered(&o.diagnostics) {
            let loc = locate(&index, d.span);
            let rule_index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            results.push(json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&o.name) },
                        "region": {
                            "startLine": loc.line,
                            "startColumn": loc.column,
                            "endLine": loc.end_line,
                            "endColumn": loc.end_column.max(if loc.end_line == loc.line { loc.column } else { 1 }),
                            "byteOffset": loc.byte_offset,
                            "byteLength": loc.byte_length
                        }
                    }
                }],
                "partialFingerprints": { "cibcheck/v1": fingerprint(d) }
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cibcheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
