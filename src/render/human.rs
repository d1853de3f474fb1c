//! `--format human`: miette reports with the XML snippet, then a summary.

use crate::diag::{render_human_indexed, Severity};
use crate::lint::FileOutcome;

pub fn render(outcomes: &[FileOutcome], color: bool, width: usize) -> String {
    let mut out = String::new();
    for o in outcomes {
        let index = crate::xml::LineIndex::new(&o.source);
        for d in super::ordered(&o.diagnostics) {
            out.push_str(&render_human_indexed(
                d, &o.name, &o.source, &index, color, width,
            ));
            out.push('\n');
        }
    }
    out.push_str(&summary_line(outcomes));
    out.push('\n');
    out
}

/// "3 errors, 2 warnings, 1 info in 4 files (1 unreadable)".
pub fn summary_line(outcomes: &[FileOutcome]) -> String {
    let count = |s: Severity| outcomes.iter().map(|o| o.count(s)).sum::<usize>();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(count(Severity::Error), "error", "errors"),
        plural(count(Severity::Warning), "warning", "warnings"),
        plural(count(Severity::Info), "info", "infos"),
        plural(outcomes.len(), "file", "files"),
    );
    let bad = outcomes.iter().filter(|o| o.input_error()).count();
    if bad > 0 {
        line.push_str(&format!(" ({bad} with input errors)"));
    }
    let suppressed: usize = outcomes.iter().map(|o| o.suppressed).sum();
    if suppressed > 0 {
        line.push_str(&format!(", {suppressed} baselined"));
    }
    let accepted: usize = outcomes.iter().map(|o| o.accepted).sum();
    if accepted > 0 {
        line.push_str(&format!(", {accepted} accepted"));
    }
    line
}
