//! Executing a transition in which some resource actions fail
//! (`crm_simulate -F RSC_TASK_INTERVAL@NODE=RC`), as Pacemaker's graph
//! consumer does: a failed action aborts the transition, so afterwards only
//! pseudo-actions and synapses of infinite priority still fire, and an
//! action that depends on the failed one fires only when its own synapse
//! has infinite priority.

use super::action::ActionId;
use super::graph::Synapse;
use super::model::Variant;
use super::state::Scheduler;
use crate::cib::score::INFINITY;

/// A resource action the executor pretended failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub action: ActionId,
    pub rc: i32,
    /// The resource name the spec matched (fail counts are recorded
    /// under it).
    pub rsc: String,
}

/// Whether a graph action reaches the fake executor as a resource action
/// whose result can be failed.
fn can_fail(s: &Scheduler<'_>, a: ActionId) -> bool {
    let act = s.a(a);
    act.rsc.is_some()
        && act.node.is_some()
        && !act.is_pseudo()
        && act.task != "stonith"
        && !matches!(
            act.task.as_str(),
            "delete" | "meta-data" | "probe_again" | "clear_failcount" | "lrm_delete"
        )
}

/// The synapse's priority: the larger of the resource's and the action's.
/// Pacemaker gives infinite priority to "post" notifications and their
/// pseudo-actions, and to a clone's or bundle's completion pseudo-actions,
/// so that they still run after an abort.
fn synapse_priority(s: &Scheduler<'_>, a: ActionId) -> i32 {
    let act = s.a(a);
    let rsc = act.rsc.map(|r| s.cluster.rsc(r).priority).unwrap_or(0);
    let collective = act
        .rsc
        .is_some_and(|r| matches!(s.cluster.rsc(r).variant, Variant::Clone | Variant::Bundle));
    let post_notify = act.meta.get("notify_type").map(String::as_str) == Some("post")
        || act.uuid.contains("_post_notify_")
        || act.uuid.contains("_confirmed-post_notify_");
    let completion = collective
        && matches!(
            act.task.as_str(),
            "running" | "stopped" | "promoted" | "demoted"
        );
    let own = if post_notify || completion {
        INFINITY
    } else {
        0
    };
    // The graph only records positive priorities.
    rsc.max(own).max(0)
}

/// Which spec (if any) fails this action, and with what result.
fn matching_failure(
    s: &Scheduler<'_>,
    a: ActionId,
    names: (String, String),
    specs: &[String],
) -> Option<(i32, String)> {
    let act = s.a(a);
    let node = &s.cluster.node(act.node?).name;
    let (printed, config) = names;
    for spec in specs {
        let spec_l = spec.to_ascii_lowercase();
        let key = |name: &str| {
            format!("{name}_{}_{}@{node}=", act.task, act.interval_ms).to_ascii_lowercase()
        };
        let matched = if spec_l.starts_with(&key(&printed)) {
            printed.clone()
        } else if printed != config && spec_l.starts_with(&key(&config)) {
            config.clone()
        } else {
            continue;
        };
        let rc = spec
            .rsplit_once('=')
            .and_then(|(_, v)| v.trim().parse().ok());
        match rc {
            Some(rc) => return Some((rc, matched)),
            None => continue,
        }
    }
    None
}

/// The order in which the fake executor runs the graph when `specs` fail
/// actions, and the failures. `names` gives an action's resource names as
/// the executor knows them (printed, recorded).
pub fn execute_with_failures(
    s: &Scheduler<'_>,
    graph: &[Synapse],
    specs: &[String],
    names: &dyn Fn(ActionId) -> (String, String),
) -> (Vec<ActionId>, Vec<Failure>) {
    let n = s.actions.len();
    let mut done = vec![false; n];
    let mut failed = vec![false; n];
    let mut fired = vec![false; graph.len()];
    let mut order = Vec::new();
    let mut failures = Vec::new();
    let mut abort = 0;
    let prio: Vec<i32> = graph
        .iter()
        .map(|syn| synapse_priority(s, syn.action))
        .collect();
    loop {
        let mut any = false;
        for (i, syn) in graph.iter().enumerate() {
            if fired[i] {
                continue;
            }
            let ready = syn
                .inputs
                .iter()
                .all(|a| done[a.i()] && (!failed[a.i()] || prio[i] >= INFINITY));
            if !ready {
                continue;
            }
            let act = s.a(syn.action);
            if !act.is_pseudo() && prio[i] < abort {
                continue;
            }
            fired[i] = true;
            any = true;
            done[syn.action.i()] = true;
            order.push(syn.action);
            if can_fail(s, syn.action) {
                if let Some((rc, rsc)) = matching_failure(s, syn.action, names(syn.action), specs) {
                    failed[syn.action.i()] = true;
                    abort = INFINITY;
                    failures.push(Failure {
                        action: syn.action,
                        rc,
                        rsc,
                    });
                }
            }
        }
        if !any {
            break;
        }
    }
    (order, failures)
}
