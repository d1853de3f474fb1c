//! `--format human`: miette reports with the XML snippet, then a summary.

use crate::diag::{render_human_indexed, Severity};
use crate::lint::FileOutcome;

/// Narrower than this, wrapping puts a character or two on each line under
/// a gutter wider than the text: output grows many times the message.
pub const MIN_WIDTH: usize = 20;

pub fn render(outcomes: &[FileOutcome], color: bool, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
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
    let judged = judged_as(outcomes);
    if !judged.is_empty() {
        line.push('\n');
        line.push_str(&judged);
    }
    line
}

/// "Judged as Pacemaker 2.1.5 (default).", or with several releases
/// "Judged as Pacemaker 2.1.5 (default, 2 files), 3.0.2 (--pacemaker,
/// 1 file)."; empty when no file was a readable CIB.
fn judged_as(outcomes: &[FileOutcome]) -> String {
    let mut seen: Vec<(&str, crate::profile::Chosen, usize)> = Vec::new();
    for (p, chosen) in outcomes.iter().filter_map(|o| o.pacemaker) {
        match seen
            .iter_mut()
            .find(|(n, c, _)| *n == p.name && *c == chosen)
        {
            Some(entry) => entry.2 += 1,
            None => seen.push((p.name, chosen, 1)),
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [(name, chosen, _)] => format!("Judged as Pacemaker {name} ({}).", chosen.in_words()),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|(name, chosen, n)| {
                    let files = if *n == 1 { "file" } else { "files" };
                    format!("{name} ({}, {n} {files})", chosen.in_words())
                })
                .collect();
            format!("Judged as Pacemaker {}.", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::xml::Span;

    /// `--width 1` (found by the renderers fuzz target): a long message is
    /// wrapped at the minimum width, not a character per line.
    #[test]
    fn a_tiny_width_is_raised_to_the_minimum() {
        let message = "x".repeat(4000);
        let source = format!("<cib>{}</cib>", "y".repeat(100));
        let outcome = FileOutcome {
            name: "t.xml".into(),
            source: source.as_str().into(),
            diagnostics: vec![Diagnostic::new(
                "IN001",
                "test",
                Severity::Error,
                Span { start: 0, end: 4 },
                message.clone(),
            )],
            suppressed: 0,
            accepted: 0,
            pacemaker: None,
        };
        let tiny = render(std::slice::from_ref(&outcome), false, 1);
        let minimum = render(std::slice::from_ref(&outcome), false, MIN_WIDTH);
        assert_eq!(tiny, minimum);
        assert!(tiny.len() < 4 * message.len(), "{} bytes", tiny.len());
    }
}
