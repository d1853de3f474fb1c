//! `--format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…::message`).

use crate::diag::Severity;
use crate::lint::FileOutcome;
use crate::xml::LineIndex;

/// Escape data and property values as the workflow command syntax requires.
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let index = LineIndex::new(&o.source);
        for d in super::ordered(&o.diagnostics) {
            let loc = super::locate(&index, d.span);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            out.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape(&o.name, true),
                loc.line,
                loc.column,
                loc.end_line,
                loc.end_column,
                escape(&format!("{} {}", d.code, d.rule), true),
                escape(&d.message, false),
            ));
        }
    }
    out
}
