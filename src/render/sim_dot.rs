//! `simulate --format dot`: the transition graph for Graphviz, in the
//! style of `crm_simulate -D`: one node per action of the graph (pseudo
//! actions in orange), one edge per input. Actions that are not in the
//! graph (optional or unrunnable ones, which crm_simulate draws dashed or
//! red) are not shown. Several steps give one digraph each.

use super::sim_table::StepView;
use crate::sched::pipeline::{Executed, Transition};
use crate::sched::waves::{ActionKind, GraphAction};
use std::collections::HashMap;

/// The label crm_simulate gives an action: `KEY NODE`, `stonith 'reboot'
/// NODE`, or the key alone for pseudo-actions.
fn label(a: &GraphAction, t: &Transition) -> String {
    match a.kind {
        ActionKind::Fencing => {
            let op = a
                .executed
                .and_then(|i| t.executed.get(i))
                .and_then(|e| match e {
                    Executed::Fencing { action, .. } => Some(action.as_str()),
                    _ => None,
                })
                .unwrap_or("reboot");
            format!("stonith '{op}' {}", a.node.as_deref().unwrap_or("<none>"))
        }
        ActionKind::Pseudo => match &a.node {
            Some(n) => format!("{} {n}", a.key),
            None => a.key.clone(),
        },
        ActionKind::Cluster if a.resource.is_none() => {
            format!("{} {}", a.task, a.node.as_deref().unwrap_or("<none>"))
        }
        _ => format!("{} {}", a.key, a.node.as_deref().unwrap_or("<none>")),
    }
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn digraph(name: &str, t: &Transition, out: &mut String) {
    out.push_str(&format!(" digraph \"{}\" {{\n", quote(name)));
    let mut by_id: Vec<&GraphAction> = t.actions.iter().collect();
    by_id.sort_by_key(|a| a.id);
    let labels: HashMap<u32, String> = by_id.iter().map(|a| (a.id, label(a, t))).collect();
    for a in &by_id {
        let font = if a.kind == ActionKind::Pseudo {
            "orange"
        } else {
            "black"
        };
        out.push_str(&format!(
            "\"{}\" [ style=bold color=\"green\" fontcolor=\"{font}\"]\n",
            quote(&labels[&a.id])
        ));
    }
    for a in &by_id {
        for i in &a.inputs {
            let Some(from) = labels.get(i) else { continue };
            out.push_str(&format!(
                "\"{}\" -> \"{}\" [ style = bold]\n",
                quote(from),
                quote(&labels[&a.id])
            ));
        }
    }
    out.push_str("}\n");
}

pub fn render(steps: &[StepView<'_>]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let name = if steps.len() > 1 {
            format!("step {}", i + 1)
        } else {
            "g".to_string()
        };
        // Scores (`--show-scores`) as comments ahead of the graph: Graphviz
        // skips them, a reader of the file sees why nodes were chosen.
        for line in s.scores.unwrap_or(&[]) {
            out.push_str("// ");
            out.push_str(line);
            out.push('\n');
        }
        digraph(&name, s.transition, &mut out);
    }
    out
}
