//! `cibcheck resilience` as a table or JSON.

use crate::whatif::resilience::{Row, RowResult};
use comfy_table::{Cell, Color};
use serde_json::json;

pub const SCHEMA_VERSION: u32 = 1;

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(", ")
    }
}

pub fn table(rows: &[Row], color: bool) -> String {
    let mut t = super::sim_table::table(color);
    t.set_header(vec![
        "Node",
        "Event",
        "Moved",
        "Stopped (cannot run anywhere)",
        "Fencing",
        "Verdict",
    ]);
    for r in rows {
        let (moved, stopped, fenced) = match &r.result {
            RowResult::Outcome(v) => (
                list(&v.moved),
                list(&v.stopped_with_reasons()),
                list(&v.fenced),
            ),
            RowResult::Refused(why) => (why.clone(), String::new(), String::new()),
        };
        let verdict = r.verdict();
        let mut cell = Cell::new(verdict);
        cell = cell.fg(match verdict {
            "LOSS" => Color::Red,
            "survives" => Color::Yellow,
            "ok" => Color::Green,
            _ => Color::Magenta,
        });
        t.add_row(vec![
            Cell::new(&r.node),
            Cell::new(r.event.name()),
            Cell::new(moved),
            Cell::new(stopped),
            Cell::new(fenced),
            cell,
        ]);
    }
    let losses = rows.iter().filter(|r| r.leaves_stopped()).count();
    let refused = rows
        .iter()
        .filter(|r| matches!(r.result, RowResult::Refused(_)))
        .count();
    let mut out = t.to_string();
    out.push('\n');
    out.push_str(&format!(
        "\n{} scenarios: {} leave a resource stopped",
        rows.len(),
        losses
    ));
    if refused > 0 {
        out.push_str(&format!(
            ", {refused} not simulated (the reason is in the Moved column)"
        ));
    }
    out.push_str(".\n");
    out
}

pub fn json(rows: &[Row], pacemaker: serde_json::Value) -> String {
    let value = json!({
        "version": SCHEMA_VERSION,
        "pacemaker": pacemaker,
        "scenarios": rows.iter().map(|r| {
            let mut v = json!({
                "node": r.node,
                "event": r.event,
                "verdict": r.verdict(),
            });
            match &r.result {
                RowResult::Outcome(o) => {
                    v["moved"] = json!(o.moved);
                    v["stopped"] = json!(o.stopped);
                    if !o.stop_reasons.is_empty() {
                        v["stop_reasons"] = json!(o.stop_reasons);
                    }
                    v["fenced"] = json!(o.fenced);
                    v["changes"] = json!(o.changes);
                }
                RowResult::Refused(why) => v["refused"] = json!(why),
            }
            v
        }).collect::<Vec<_>>(),
        "leaves_stopped": rows.iter().any(Row::leaves_stopped),
    });
    super::sim_json::pretty(&value)
}
