//! `simulate --format table`: placement before and after, the transition
//! summary and the actions in execution order, as comfy-table tables.

use super::transition_text::executed_line;
use crate::sched::model::{Cluster, Variant};
use crate::sched::pipeline::Simulation;
use crate::sched::summary::SummaryItem;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use std::collections::BTreeMap;

/// Where each displayed primitive is, as "Role node" strings.
pub fn placement(c: &Cluster) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in &c.resources {
        if r.variant != Variant::Primitive || r.internal {
            continue;
        }
        let state = if r.running_on.is_empty() {
            "Stopped".to_string()
        } else {
            let nodes: Vec<&str> = r
                .running_on
                .iter()
                .map(|n| c.node(*n).name.as_str())
                .collect();
            format!("{} {}", r.role.name(), nodes.join(", "))
        };
        out.insert(r.id.clone(), state);
    }
    out
}

pub fn render(sim: &Simulation) -> String {
    let before = placement(&sim.before);
    let after = placement(&sim.after);
    let mut changes: BTreeMap<&str, (&str, Option<&str>)> = BTreeMap::new();
    for item in &sim.transition.summary {
        if let SummaryItem::Resource {
            change,
            rsc,
            reason,
            ..
        } = item
        {
            changes.insert(rsc.as_str(), (change.as_str(), reason.as_deref()));
        }
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["Resource", "Before", "After", "Change", "Reason"]);
    for (rsc, b) in &before {
        let a = after.get(rsc).map(String::as_str).unwrap_or("-");
        let (change, reason) = changes.get(rsc.as_str()).copied().unwrap_or(("", None));
        t.add_row(vec![
            rsc.as_str(),
            b.as_str(),
            a,
            change,
            reason.unwrap_or(""),
        ]);
    }
    let mut out = String::from("Placement:\n");
    out.push_str(&t.to_string());
    out.push('\n');
    let fencing: Vec<String> = sim
        .transition
        .summary
        .iter()
        .filter_map(|i| match i {
            SummaryItem::Node { task, node, reason } => Some(match reason {
                Some(r) => format!("{task} {node} ({r})"),
                None => format!("{task} {node}"),
            }),
            _ => None,
        })
        .collect();
    if !fencing.is_empty() {
        out.push_str("\nNodes:\n");
        for f in fencing {
            out.push_str(&format!("  {f}\n"));
        }
    }
    out.push_str("\nActions (execution order):\n");
    if sim.transition.executed.is_empty() {
        out.push_str("  (none)\n");
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["#", "Action"]);
        for (i, e) in sim.transition.executed.iter().enumerate() {
            t.add_row(vec![(i + 1).to_string(), executed_line(e)]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out
}
