//! Output formats. Renderers only format what the linter found; they never
//! decide anything.

pub mod concise;
pub mod crm_simulate;
pub mod diff;
pub mod explain;
pub mod github;
pub mod gitlab;
pub mod history;
pub mod human;
pub mod json;
pub mod junit;
pub mod resilience;
pub mod sarif;
pub mod sim_dot;
pub mod sim_json;
pub mod sim_table;
pub mod status;
pub mod transition_text;
pub mod upgrade_review;

use crate::diag::Diagnostic;
use crate::xml::{LineIndex, Span};
use serde::Serialize;

/// 1-based start and end positions of a span, plus its byte range.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_offset: usize,
    pub byte_length: usize,
}

pub fn locate(index: &LineIndex<'_>, span: Span) -> Location {
    let (line, column) = index.line_col(span.start as usize);
    let (end_line, end_column) = index.line_col(span.end as usize);
    Location {
        line,
        column,
        end_line,
        end_column,
        byte_offset: span.start as usize,
        byte_length: span.len(),
    }
}

/// Sort key that keeps output stable: position, then code.
pub fn ordered(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = diags.iter().collect();
    v.sort_by_key(|d| (d.span.start, d.code));
    v
}
