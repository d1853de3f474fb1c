//! `upgrade-review`: the two transitions side by side (table) or as one
//! versioned object (JSON, docs/upgrade-review-json.md). Layout only: the
//! comparison is decided in `whatif::upgrade`.

use super::sim_table::{action_name, paint, table, StepView};
use crate::profile::Profile;
use crate::whatif::diff::Finding;
use crate::whatif::upgrade::{count_by_severity, Comparison, Placement};
use comfy_table::{Cell, Color};
use serde_json::json;

/// Version of the JSON object; bumped when a key changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// The two releases compared and how each was chosen.
pub struct Sides<'a> {
    pub from: &'static Profile,
    pub from_chosen: &'a str,
    pub to: &'static Profile,
    pub to_chosen: &'a str,
}

/// Everything the review shows.
pub struct Review<'a> {
    pub sides: Sides<'a>,
    pub events: &'a [String],
    pub from: StepView<'a>,
    pub to: StepView<'a>,
    pub comparison: &'a Comparison,
    pub findings: &'a [Finding],
    /// Show resources placed the same under both releases too.
    pub all: bool,
}

fn placement_cell(p: &Option<Placement>) -> String {
    match p {
        None => "(not configured)".to_string(),
        Some(p) => {
            let mut s = p.role.clone();
            if !p.nodes.is_empty() {
                s.push_str(&format!(" on {}", p.nodes.join(", ")));
            }
            if let Some(c) = &p.change {
                s.push_str(&format!(" ({c})"));
            }
            s
        }
    }
}

fn severity_counts(findings: &[Finding]) -> String {
    count_by_severity(findings)
        .iter()
        .map(|(s, n)| match (s.name(), n) {
            ("info", _) | (_, 1) => format!("{n} {}", s.name()),
            (name, _) => format!("{n} {name}s"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn table_text(r: &Review<'_>, color: bool) -> String {
    let (from, to) = (r.sides.from.name, r.sides.to.name);
    let mut out = format!(
        "Upgrade review: Pacemaker {from} ({}) → {to} ({})\n",
        r.sides.from_chosen, r.sides.to_chosen
    );
    if !r.events.is_empty() {
        out.push_str(&format!("Events: {}\n", r.events.join(", ")));
    }
    out.push('\n');
    let c = r.comparison;
    let shown: Vec<_> = c.placement.iter().filter(|p| r.all || p.differs).collect();
    out.push_str("Placement after the transition");
    if r.all {
        out.push_str(" (rows marked ≠ differ):\n");
    } else {
        out.push_str(" (resources placed differently):\n");
    }
    if shown.is_empty() {
        out.push_str("  (none)\n");
    } else {
        let mut t = table(color);
        t.set_header(vec!["", "Resource", from, to]);
        for p in shown {
            let mark = if p.differs { "≠" } else { "" };
            let mut cells = vec![
                Cell::new(mark),
                Cell::new(&p.resource),
                Cell::new(placement_cell(&p.from)),
                Cell::new(placement_cell(&p.to)),
            ];
            if p.differs {
                cells = cells.into_iter().map(|x| x.fg(Color::Yellow)).collect();
            }
            t.add_row(cells);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let same = c.placement.len() - c.placed_differently;
    if !r.all && same > 0 {
        out.push_str(&format!(
            "  {same} resource{} placed the same by both (--all shows them)\n",
            if same == 1 { " is" } else { "s are" }
        ));
    }
    for (release, list) in [(from, &c.actions.only_from), (to, &c.actions.only_to)] {
        out.push_str(&format!("\nActions only under {release}:"));
        if list.is_empty() {
            out.push_str(" none\n");
            continue;
        }
        out.push('\n');
        let mut t = table(color);
        t.set_header(vec!["Wave", "Action", "Resource", "Node"]);
        for a in list {
            t.add_row(vec![
                a.wave.map(|w| w.to_string()).unwrap_or_else(|| "-".into()),
                action_name(a),
                a.resource.clone().unwrap_or_default(),
                a.node.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "\nUnder {from}: {}.\nUnder {to}: {}.\n",
        r.from.outcome.verdict.line(),
        r.to.outcome.verdict.line()
    ));
    let line = format!("Verdict: {}.", c.verdict());
    let code = if c.differs() { "1;33" } else { "1;32" };
    out.push_str(&paint(&line, code, color));
    out.push('\n');
    out.push_str(&format!(
        "\nUpgrade findings (lint --target {to}): {}\n",
        if r.findings.is_empty() {
            "none".to_string()
        } else {
            severity_counts(r.findings)
        }
    ));
    for f in r.findings {
        out.push_str(&super::diff::finding_line(f));
    }
    out
}

pub fn json_text(r: &Review<'_>) -> String {
    let c = r.comparison;
    let counts: serde_json::Map<String, serde_json::Value> = count_by_severity(r.findings)
        .into_iter()
        .map(|(s, n)| (s.name().to_string(), json!(n)))
        .collect();
    let value = json!({
        "version": SCHEMA_VERSION,
        "from": {"release": r.sides.from.name, "chosen_by": r.sides.from_chosen},
        "to": {"release": r.sides.to.name, "chosen_by": r.sides.to_chosen},
        "events": r.events,
        "placement": c.placement,
        "actions": c.actions,
        "summary": {
            "differs": c.differs(),
            "placed_differently": c.placed_differently,
            "actions_differ": c.actions_differ(),
            "verdict": c.verdict(),
        },
        "transitions": {
            "from": super::sim_json::step_value(1, &r.from),
            "to": super::sim_json::step_value(1, &r.to),
        },
        "lint": {
            "counts": counts,
            "findings": r.findings,
        },
    });
    super::sim_json::pretty(&value)
}
