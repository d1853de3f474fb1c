//! Findings as data (code, severity, message, labels, help), and their
//! rendering through miette: the one place that knows about miette.

mod excerpt;
mod report;

pub use report::{render_human, render_human_indexed};

use crate::xml::Span;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule code, e.g. `D001`; `load` for files that could not be read.
    pub code: &'static str,
    /// Rule name, e.g. `drbd-promoted-dependency`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the finding points first.
    pub span: Span,
    pub primary_label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// The id of the element the finding is about (for stable fingerprints).
    pub element_id: Option<String>,
    /// Load-time problems make the file's outcome an input error (exit 2).
    pub input_error: bool,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            rule,
            severity,
            message: message.into(),
            span,
            primary_label: None,
            labels: Vec::new(),
            help: None,
            element_id: None,
            input_error: false,
        }
    }
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary_label = Some(text.into());
        self
    }
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: text.into(),
        });
        self
    }
    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }
    pub fn element(mut self, id: impl Into<String>) -> Self {
        self.element_id = Some(id.into());
        self
    }
}
