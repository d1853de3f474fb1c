//! `history`: the timeline of replayed scheduler inputs, as a table (one
//! line per transition) or as JSON (one object per transition, written as
//! they come so that a long history is never held whole).

use crate::whatif::history::{Decision, TimeSource, Transition};
use comfy_table::{Attribute, Cell, Color};
use serde_json::{json, Value};

pub const SCHEMA_VERSION: u32 = 1;

/// Subjects named per kind in the table; the rest are counted, so that a
/// transition starting a hundred resources still fits on one line.
const NAMED_PER_KIND: usize = 3;

/// The decisions grouped by kind, in the summary's order of first
/// appearance: `Move db, web; Stop ping:2; Fence carol`.
pub fn decided_text(decisions: &[Decision]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for d in decisions {
        match groups.iter_mut().find(|(k, _)| *k == d.kind) {
            Some((_, v)) => v.push(&d.subject),
            None => groups.push((&d.kind, vec![&d.subject])),
        }
    }
    groups
        .iter()
        .map(|(k, v)| {
            if v.len() > NAMED_PER_KIND {
                let more = v.len() - NAMED_PER_KIND;
                format!("{k} {} (+{more} more)", v[..NAMED_PER_KIND].join(", "))
            } else {
                format!("{k} {}", v.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn input_cell(t: &Transition) -> String {
    if t.copies.is_empty() {
        t.rel.clone()
    } else {
        format!("{} (+{} identical)", t.rel, t.copies.len())
    }
}

fn time_cell(t: &Transition) -> String {
    match t.time {
        Some((when, TimeSource::ExecutionDate)) => when.to_string(),
        // Marked: a node's local time, read as UTC.
        Some((when, TimeSource::CibLastWritten)) => format!("{when}*"),
        None => "-".into(),
    }
}

/// The table, one line per transition; eventful ones in bold when colour
/// is on, failed ones in red.
pub fn table(transitions: &[Transition], color: bool) -> String {
    if transitions.is_empty() {
        return "No transitions.\n".into();
    }
    let mut t = super::sim_table::table(color);
    t.set_header(vec!["Input", "Node", "Time", "DC", "Decided"]);
    for tr in transitions {
        let decided = match &tr.result {
            Ok(d) if d.decisions.is_empty() => "nothing".to_string(),
            Ok(d) => decided_text(&d.decisions),
            Err(f) => format!("not replayed: {}", f.message),
        };
        let mut cells = vec![
            Cell::new(input_cell(tr)),
            Cell::new(&tr.node),
            Cell::new(time_cell(tr)),
            Cell::new(tr.dc.as_deref().unwrap_or("-")),
            Cell::new(decided),
        ];
        if color && tr.result.is_err() {
            cells = cells.into_iter().map(|c| c.fg(Color::Red)).collect();
        } else if color && tr.eventful() {
            cells = cells
                .into_iter()
                .map(|c| c.add_attribute(Attribute::Bold))
                .collect();
        }
        t.add_row(cells);
    }
    let mut out = t.to_string();
    out.push('\n');
    let eventful = transitions.iter().filter(|t| t.eventful()).count();
    let failed = transitions.iter().filter(|t| t.result.is_err()).count();
    out.push_str(&format!(
        "{} transitions, {eventful} eventful{}.\n",
        transitions.len(),
        if failed > 0 {
            format!(", {failed} not replayed")
        } else {
            String::new()
        }
    ));
    if transitions
        .iter()
        .any(|t| matches!(t.time, Some((_, TimeSource::CibLastWritten))))
    {
        out.push_str("* from cib-last-written: the node's local time, shown as UTC.\n");
    }
    out
}

/// One transition as JSON: the object `simulate --format json` prints for
/// its input, plus where it came from, its time, DC and decisions.
pub fn transition_value(t: &Transition) -> Value {
    let mut v = match &t.result {
        Ok(d) => d.simulation.clone(),
        Err(_) => json!({}),
    };
    if let Value::Object(map) = &mut v {
        map.insert("source".into(), json!(t.source));
        map.insert("path".into(), json!(t.rel));
        map.insert("node".into(), json!(t.node));
        map.insert("series".into(), json!(t.series));
        map.insert("number".into(), json!(t.number));
        map.insert("identical_copies".into(), json!(t.copies));
        // ISO 8601, as --since and --until take it.
        map.insert(
            "time".into(),
            json!(t
                .time
                .map(|(when, _)| when.to_string().replacen(' ', "T", 1))),
        );
        map.insert("time_epoch".into(), json!(t.time.map(|(when, _)| when.0)));
        map.insert("time_source".into(), json!(t.time.map(|(_, s)| s)));
        map.insert("dc".into(), json!(t.dc));
        match &t.result {
            Ok(d) => {
                map.insert("eventful".into(), json!(!d.decisions.is_empty()));
                map.insert("decisions".into(), json!(d.decisions));
                map.insert("transition_summary".into(), json!(d.summary_lines));
            }
            Err(f) => {
                map.insert(
                    "error".into(),
                    json!({"exit": f.code, "message": f.message}),
                );
            }
        }
    }
    v
}

/// The start of the JSON document, before the first transition.
pub fn json_head() -> String {
    format!("{{\n  \"version\": {SCHEMA_VERSION},\n  \"transitions\": [")
}

/// One transition of the JSON document, indented to sit in the array.
pub fn json_item(t: &Transition, first: bool) -> String {
    let body = serde_json::to_string_pretty(&transition_value(t)).unwrap_or_default();
    let indented = body
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!("{}\n{indented}", if first { "" } else { "," })
}

/// The end of the JSON document; `any` says whether items were written.
pub fn json_tail(any: bool) -> String {
    if any {
        "\n  ]\n}\n".into()
    } else {
        "]\n}\n".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(kind: &str, subject: &str) -> Decision {
        Decision {
            kind: kind.into(),
            subject: subject.into(),
            details: String::new(),
            nodes: Vec::new(),
        }
    }

    #[test]
    fn decisions_are_grouped_and_long_groups_counted() {
        let list = [
            d("Start", "a"),
            d("Move", "m"),
            d("Start", "b"),
            d("Start", "c"),
            d("Start", "e"),
            d("Start", "f"),
        ];
        assert_eq!(decided_text(&list), "Start a, b, c (+2 more); Move m");
        assert_eq!(decided_text(&[]), "");
    }
}
