//! `cibcheck diff`: the lint delta as text, and the whole diff as JSON.

use super::sim_table::StepView;
use crate::whatif::diff::Finding;
use serde_json::json;

pub const SCHEMA_VERSION: u32 = 1;

/// One lint finding in a listing: `  CODE [severity] `where`: message`.
pub(crate) fn finding_line(f: &Finding) -> String {
    let at = if f.location.is_empty() {
        String::new()
    } else {
        format!(" `{}`", f.location)
    };
    format!("  {} [{}]{at}: {}\n", f.code, f.severity.name(), f.message)
}

pub fn lint_delta_text(added: &[Finding], removed: &[Finding]) -> String {
    let mut out = String::new();
    for (title, list) in [
        ("Lint findings the change adds", added),
        ("Lint findings the change removes", removed),
    ] {
        out.push_str(&format!("\n{title}:"));
        if list.is_empty() {
            out.push_str(" none\n");
            continue;
        }
        out.push('\n');
        for f in list {
            out.push_str(&finding_line(f));
        }
    }
    out
}

pub fn json(
    step: &StepView<'_>,
    added: &[Finding],
    removed: &[Finding],
    pacemaker: serde_json::Value,
) -> String {
    let value = json!({
        "version": SCHEMA_VERSION,
        "pacemaker": pacemaker,
        "transition": super::sim_json::step_value(1, step),
        "lint": {
            "added": added,
            "removed": removed,
        },
    });
    super::sim_json::pretty(&value)
}
