//! Human output: miette's graphical report with the XML snippet and labels.

use super::excerpt::Excerpt;
use super::{Diagnostic, Severity};
use crate::xml::{LineIndex, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::fmt;
use std::sync::Arc;

struct Report<'a> {
    d: &'a Diagnostic,
    excerpt: Excerpt,
    /// The primary span, then the labels', in the excerpt.
    spans: Vec<(usize, usize)>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // Errors outside the rule catalogue (a bad cibcheck.toml) have none.
        if self.d.code.is_empty() {
            return None;
        }
        Some(Box::new(format!("{}({})", self.d.code, self.d.rule)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.excerpt)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut spans = self.spans.iter();
        let mut labels = Vec::with_capacity(self.spans.len());
        if let Some(&p) = spans.next() {
            labels.push(LabeledSpan::new_primary_with_span(
                self.d.primary_label.clone(),
                p,
            ));
        }
        for (l, &s) in self.d.labels.iter().zip(spans) {
            labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), s));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Render one diagnostic as miette's graphical report. `color` picks the
/// themed (ANSI) or plain output; `width` bounds line wrapping and the
/// source lines shown.
pub fn render_human(
    d: &Diagnostic,
    file: &str,
    source: &Arc<str>,
    color: bool,
    width: usize,
) -> String {
    render_human_indexed(d, file, source, &LineIndex::new(source), color, width)
}

/// [`render_human`] with the file's line index, shared by its findings.
pub fn render_human_indexed(
    d: &Diagnostic,
    file: &str,
    source: &str,
    index: &LineIndex,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(1);
    let spans: Vec<Span> = std::iter::once(d.span)
        .chain(d.labels.iter().map(|l| l.span))
        .collect();
    let (excerpt, spans) = Excerpt::new(file, source, index, &spans, width);
    let report = Report { d, excerpt, spans };
    // The excerpt keeps miette within what it can draw; should it still
    // fail or panic, the finding is printed in the concise form instead
    // of being lost with the rest of the output.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = String::new();
        handler.render_report(&mut out, &report).map(|()| out)
    }));
    match rendered {
        Ok(Ok(out)) => out,
        _ => {
            let (line, col) = index.line_col(d.span.start as usize);
            format!(
                "{file}:{line}:{col}: {} [{}] {}\n",
                d.code, d.severity, d.message
            )
        }
    }
}
