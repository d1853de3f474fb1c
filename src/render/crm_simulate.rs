//! crm_simulate's own text (`crm_simulate -S -x CIB` of Pacemaker 2.1.5):
//! current status, transition summary, executed actions, revised status.
//! Only formats what the scheduler decided.

use super::transition_text::{executed_line, summary_lines};
use crate::cib::time::Instant;
use crate::sched::model::{Cluster, NodeIdx, RscIdx, Variant};
use crate::sched::pipeline::Simulation;

/// The whole `-S` output. `execution_date` is the CIB's own
/// `execution-date` when it set the effective time (no `--now`), which
/// crm_simulate announces.
pub fn render(sim: &Simulation, execution_date: Option<Instant>) -> String {
    let mut out = String::new();
    let announce = execution_date.map(|d| {
        let c = d.civil();
        format!(
            "Using the original execution date of: {:04}-{:02}-{:02} {:02}:{:02}:{:02}Z\n",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    });
    if let Some(a) = &announce {
        out.push_str(a);
    }
    out.push_str(&current_status(&sim.before));
    out.push_str("\nTransition Summary:\n");
    for line in summary_lines(&sim.transition.summary) {
        out.push_str("  * ");
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nExecuting Cluster Transition:\n");
    for e in &sim.transition.executed {
        out.push_str("  * ");
        out.push_str(&executed_line(e));
        out.push('\n');
    }
    if let Some(a) = &announce {
        out.push_str(a);
    }
    out.push_str("\nRevised Cluster Status:\n");
    out.push_str(&status_section(&sim.after));
    out
}

/// Just the current status, as `crm_simulate -x CIB` prints it.
pub fn current_status(c: &Cluster) -> String {
    format!("Current cluster status:\n{}", status_section(c))
}

/// The lines of a status section (node list and resource list), each
/// ending in a newline, as crm_simulate prints them under its headings.
pub fn status_section(c: &Cluster) -> String {
    let mut out = String::new();
    out.push_str("  * Node List:\n");
    let order = c.node_order();
    let online: Vec<&str> = order
        .iter()
        .filter(|n| c.node(**n).online)
        .map(|n| c.node(*n).name.as_str())
        .collect();
    let offline: Vec<&str> = order
        .iter()
        .filter(|n| !c.node(**n).online)
        .map(|n| c.node(*n).name.as_str())
        .collect();
    if !online.is_empty() {
        out.push_str(&format!("    * Online: [ {} ]\n", online.join(" ")));
    }
    if !offline.is_empty() {
        out.push_str(&format!("    * OFFLINE: [ {} ]\n", offline.join(" ")));
    }
    out.push_str("\n  * Full List of Resources:\n");
    let shown: Vec<RscIdx> = c
        .top
        .iter()
        .copied()
        .filter(|r| !c.rsc(*r).internal)
        .collect();
    if shown.is_empty() {
        out.push_str("    * No resources\n");
    }
    for r in shown {
        resource_lines(c, r, 2, &mut out);
    }
    out
}

fn resource_lines(c: &Cluster, r: RscIdx, depth: usize, out: &mut String) {
    let res = c.rsc(r);
    let indent = "  ".repeat(depth);
    match res.variant {
        Variant::Primitive => {
            out.push_str(&format!(
                "{indent}* {}\t({}):\t {}\n",
                res.id,
                res.agent_spec(),
                primitive_state(c, r)
            ));
        }
        Variant::Group => {
            out.push_str(&format!("{indent}* Resource Group: {}:\n", res.id));
            for ch in &res.children {
                resource_lines(c, *ch, depth + 1, out);
            }
        }
        Variant::Clone | Variant::Bundle => {
            out.push_str(&format!("{indent}* Clone Set: {}:\n", res.id));
            for ch in &res.children {
                resource_lines(c, *ch, depth + 1, out);
            }
        }
    }
}

fn primitive_state(c: &Cluster, r: RscIdx) -> String {
    let res = c.rsc(r);
    let nodes: Vec<&str> = res
        .running_on
        .iter()
        .map(|n: &NodeIdx| c.node(*n).name.as_str())
        .collect();
    match nodes.first() {
        Some(n) => format!("{} {n}", res.role.name()),
        None => "Stopped".to_string(),
    }
}
