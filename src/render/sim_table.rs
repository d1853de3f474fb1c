//! `simulate --format table`: placement before and after, the transition
//! summary and the actions in execution order, as comfy-table tables.

use crate::sched::model::{Cluster, Variant};
use crate::sched::pipeline::{Executed, Simulation};
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
    out.push_str("\nActions (execution order; pseudo-actions omitted):\n");
    let rows: Vec<[String; 3]> = sim
        .transition
        .executed
        .iter()
        .filter_map(action_row)
        .collect();
    if rows.is_empty() {
        out.push_str("  (none)\n");
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["#", "Action", "Resource", "Node"]);
        for (i, [task, rsc, node]) in rows.into_iter().enumerate() {
            t.add_row(vec![(i + 1).to_string(), task, rsc, node]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push_str(&verdict(&sim.transition.summary));
    out
}

/// One table row for an executed action; pseudo-actions have no row.
fn action_row(e: &Executed) -> Option<[String; 3]> {
    match e {
        Executed::Resource {
            rsc,
            task,
            interval_ms,
            node,
        } => {
            let task = if *interval_ms > 0 {
                format!("{task} every {}", human_interval(*interval_ms))
            } else if task == "monitor" {
                "probe".to_string()
            } else {
                task.clone()
            };
            Some([task, rsc.clone(), node.clone()])
        }
        Executed::Pseudo { .. } => None,
        Executed::Fencing { node, action } => {
            Some([format!("fence ({action})"), String::new(), node.clone()])
        }
        Executed::Cluster { task, rsc, node } => {
            Some([task.clone(), rsc.clone().unwrap_or_default(), node.clone()])
        }
    }
}

fn human_interval(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// A one-line verdict: how many resources change, and how.
fn verdict(summary: &[SummaryItem]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fenced = Vec::new();
    for item in summary {
        match item {
            SummaryItem::Resource { change, .. } => {
                *counts.entry(change.as_str()).or_insert(0) += 1
            }
            SummaryItem::Node { task, node, .. } if task.starts_with("Fence") => {
                fenced.push(node.as_str())
            }
            SummaryItem::Node { .. } => {}
        }
    }
    let mut parts: Vec<String> = counts.iter().map(|(c, n)| format!("{c}: {n}")).collect();
    if parts.is_empty() {
        parts.push("no resource changes".into());
    }
    let fencing = if fenced.is_empty() {
        "no fencing".to_string()
    } else {
        format!("fencing {}", fenced.join(", "))
    };
    format!("\nVerdict: {}; {fencing}.\n", parts.join(", "))
}
