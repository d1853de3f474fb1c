//! `simulate --format json`: a versioned object (docs/simulate-json.md).

pub use super::sim_table::StepView;
use crate::profile::{Chosen, Profile};
use serde_json::{json, Value};

pub const SCHEMA_VERSION: u32 = 2;

/// One step as a JSON value.
pub fn step_value(number: usize, step: &StepView<'_>) -> Value {
    let t = step.transition;
    let v = &step.outcome.verdict;
    json!({
        "step": number,
        "events": step.events,
        "nodes": step.outcome.nodes,
        "resources": step.outcome.resources,
        "transition": t.summary,
        "actions": t.actions,
        "executed": t.executed,
        "scores": step.scores,
        "score_entries": step.scores.map(|_| score_entries(&t.scores)),
        "summary": {
            "moved": v.moved,
            "stopped": v.stopped,
            "fenced": v.fenced,
            "changes": v.changes,
            "verdict": v.line(),
        },
    })
}

/// The recorded scores as objects (docs/simulate-json.md).
fn score_entries(table: &crate::sched::scores::ScoreTable) -> Vec<Value> {
    table
        .records()
        .iter()
        .map(|r| {
            json!({
                "kind": if r.function.is_some() { "allocation" } else { "promotion" },
                "function": r.function,
                "resource": r.resource,
                "node": r.node,
                "score": r.score.to_string(),
            })
        })
        .collect()
}

/// The object, saying which release's reading decided (`--pacemaker`,
/// `dc-version` or the default).
pub fn render(steps: &[StepView<'_>], pacemaker: &Profile, chosen: Chosen) -> String {
    let mut v = value(steps);
    if let Some(o) = v.as_object_mut() {
        o.insert("pacemaker".into(), release_value(pacemaker, chosen));
    }
    pretty(&v)
}

/// The `"pacemaker"` key every JSON output carries: the release profile
/// that decided, and how it was chosen.
pub fn release_value(pacemaker: &Profile, chosen: Chosen) -> serde_json::Value {
    json!({"release": pacemaker.name, "chosen_by": chosen.describe()})
}

/// The line human outputs end with: the release profile that decided.
pub fn release_line(pacemaker: &Profile, chosen: Chosen) -> String {
    format!(
        "Simulated as Pacemaker {} ({}).\n",
        pacemaker.name,
        chosen.in_words()
    )
}

/// The whole object `simulate --format json` prints (`history` embeds it).
pub fn value(steps: &[StepView<'_>]) -> Value {
    json!({
        "version": SCHEMA_VERSION,
        "steps": steps
            .iter()
            .enumerate()
            .map(|(i, s)| step_value(i + 1, s))
            .collect::<Vec<_>>(),
    })
}

pub fn pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
