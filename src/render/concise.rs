//! `--format concise`: `file:line:col: CODE [severity] message`, one a line.

use crate::lint::FileOutcome;
use crate::xml::LineIndex;

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let index = LineIndex::new(&o.source);
        for d in super::ordered(&o.diagnostics) {
            let (line, col) = index.line_col(d.span.start as usize);
            out.push_str(&format!(
                "{}:{}:{}: {} [{}] {}\n",
                o.name, line, col, d.code, d.severity, d.message
            ));
        }
    }
    out
}
