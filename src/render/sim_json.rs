//! `simulate --format json`: a versioned object (docs/simulate-json.md).

use super::sim_table::placement;
use crate::sched::pipeline::Simulation;
use serde_json::json;

pub const SCHEMA_VERSION: u32 = 1;

pub fn render(sim: &Simulation) -> String {
    let before = placement(&sim.before);
    let after = placement(&sim.after);
    let resources: Vec<_> = before
        .iter()
        .map(|(id, b)| {
            json!({
                "id": id,
                "before": b,
                "after": after.get(id),
            })
        })
        .collect();
    let value = json!({
        "version": SCHEMA_VERSION,
        "resources": resources,
        "summary": sim.transition.summary,
        "actions": sim.transition.executed,
        "graph": sim.transition.graph.iter().map(|(id, inputs)| json!({"id": id, "inputs": inputs})).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
