//! Human output: miette's graphical report with the XML snippet and labels.

use super::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;
use std::sync::Arc;

struct Report<'a> {
    d: &'a Diagnostic,
    src: NamedSource<Arc<str>>,
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
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.src.inner().len();
        let clamp = |s: crate::xml::Span| {
            let start = (s.start as usize).min(len);
            let end = (s.end as usize).min(len).max(start);
            (start, end - start)
        };
        let (ps, pl) = clamp(self.d.span);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            self.d.primary_label.clone(),
            (ps, pl),
        )];
        for l in &self.d.labels {
            let (s, n) = clamp(l.span);
            labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), (s, n)));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Render one diagnostic as miette's graphical report. `color` picks the
/// themed (ANSI) or plain output; `width` bounds line wrapping.
pub fn render_human(
    d: &Diagnostic,
    file: &str,
    source: &Arc<str>,
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
    let report = Report {
        d,
        src: NamedSource::new(file, Arc::clone(source)),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{}: {}: {}\n", file, d.code, d.message);
    }
    out
}
