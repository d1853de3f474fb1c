//! The scheduler's stages in Pacemaker's order, and the simulated
//! execution of the resulting transition (every action succeeds), which
//! records results in the status section as crm_simulate does.

use super::action::{af, ActionId};
use super::error::Unsupported;
use super::fencing;
use super::graph::Synapse;
use super::model::{Cluster, NodeIdx, NodeKind, Variant};
use super::state::Scheduler;
use super::summary::SummaryItem;
use crate::cib::time::Instant;
use crate::cib::{Cib, LrmOp, LrmResource, NodeState};
use serde::Serialize;

/// One executed action, as crm_simulate reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Executed {
    /// `Resource action: RSC TASK[=INTERVAL] on NODE`
    Resource {
        rsc: String,
        task: String,
        interval_ms: u64,
        node: String,
    },
    /// `Pseudo action: KEY[ on NODE]`
    Pseudo { key: String, node: Option<String> },
    /// `Fencing NODE (ACTION)`
    Fencing { node: String, action: String },
    /// `Cluster action: TASK on NODE`
    Cluster { task: String, node: String },
}

/// What scheduling a CIB decided.
pub struct Transition {
    pub summary: Vec<SummaryItem>,
    pub executed: Vec<Executed>,
    /// Action ids of the graph's synapses, in graph order, with inputs.
    pub graph: Vec<(String, Vec<String>)>,
}

/// The whole simulation: the cluster before, the transition, the cluster after.
pub struct Simulation {
    pub before: Cluster,
    pub transition: Transition,
    pub after: Cluster,
}

/// Refuse constructs the scheduler does not reproduce yet, naming them.
fn check_supported(cib: &Cib, cluster: &Cluster) -> Result<(), Unsupported> {
    for r in &cluster.resources {
        let what = match r.variant {
            Variant::Clone => Some("clone resources"),
            Variant::Bundle => Some("bundle resources"),
            _ => None,
        };
        if let Some(what) = what {
            if let Some(cfg) = r.config {
                return Err(Unsupported::at(cib, cib.resource(cfg).elem, what));
            }
            return Err(Unsupported {
                construct: what.into(),
                span: Default::default(),
                message: format!("{what} ({}) are not supported yet", r.id),
            });
        }
        if r.is_remote_node || r.container.is_some() {
            if let Some(cfg) = r.config {
                return Err(Unsupported::at(cib, cib.resource(cfg).elem, "remote and guest nodes"));
            }
        }
        if r.allow_migrate && r.running_on.len() <= 2 && r.config.is_some() {
            // Live migration is not scheduled yet; only refuse when it could matter.
            if let Some(cfg) = r.config {
                return Err(Unsupported::at(cib, cib.resource(cfg).elem, "live migration (allow-migrate)"));
            }
        }
    }
    for n in &cluster.nodes {
        if n.kind != NodeKind::Member {
            return Err(Unsupported {
                construct: "remote and guest nodes".into(),
                span: Default::default(),
                message: format!("remote and guest nodes ({}) are not supported yet", n.name),
            });
        }
    }
    let strategy = cluster.options.placement_strategy.to_ascii_lowercase();
    if strategy != "default" {
        if let Some(p) = cib.cluster_option("placement-strategy") {
            return Err(Unsupported::at(cib, p.elem, "placement-strategy other than default"));
        }
    }
    let health = cluster.options.node_health_strategy.to_ascii_lowercase();
    if !health.is_empty() && health != "none" {
        if let Some(p) = cib.cluster_option("node-health-strategy") {
            return Err(Unsupported::at(cib, p.elem, "node health strategies"));
        }
    }
    if cluster.options.shutdown_lock {
        if let Some(p) = cib.cluster_option("shutdown-lock") {
            return Err(Unsupported::at(cib, p.elem, "shutdown-lock"));
        }
    }
    if cluster.options.stonith_enabled && cluster.nodes.iter().any(|n| n.unclean) {
        return Err(Unsupported {
            construct: "fencing of unclean nodes".into(),
            span: Default::default(),
            message: "fencing of unclean nodes is not supported yet".into(),
        });
    }
    if cluster.options.enable_unfencing {
        return Err(Unsupported {
            construct: "unfencing".into(),
            span: Default::default(),
            message: "unfencing (requires=unfencing / provides=unfencing) is not supported yet".into(),
        });
    }
    Ok(())
}

/// Schedule the cluster as unpacked: Pacemaker's stages in order.
pub fn schedule(cib: &Cib, cluster: Cluster) -> Result<(Scheduler<'_>, Vec<Synapse>), Unsupported> {
    check_supported(cib, &cluster)?;
    let mut s = Scheduler::new(cib, cluster);
    s.create_active_recurring_from_history();
    s.init_allowed_nodes();
    s.unpack_constraints()?;
    s.apply_node_criteria();
    for r in s.top_resources() {
        s.internal_constraints(r);
    }
    s.allocate_resources();
    if s.cluster.options.startup_probes {
        s.schedule_probes();
    }
    for r in s.top_resources() {
        s.create_actions(r);
    }
    schedule_fencing_and_shutdowns(&mut s);
    s.apply_orderings();
    let graph = s.create_graph();
    Ok((s, graph))
}

fn any_managed(s: &Scheduler<'_>) -> bool {
    s.cluster.resources.iter().any(|r| r.managed)
}

/// `schedule_fencing_and_shutdowns`.
fn schedule_fencing_and_shutdowns(s: &mut Scheduler<'_>) {
    let have_managed = any_managed(s);
    let mut dc_down: Option<ActionId> = None;
    let mut fencing_ops: Vec<ActionId> = Vec::new();
    let mut shutdown_ops: Vec<ActionId> = Vec::new();
    let concurrent = s.cluster.options.concurrent_fencing;
    for i in 0..s.cluster.nodes.len() {
        let n = NodeIdx(i as u32);
        let nd = s.cluster.node(n);
        if nd.kind == NodeKind::Guest {
            continue;
        }
        if have_managed && nd.unclean && fencing::can_fence(s, n) {
            let f = fencing::fence_op(s, n, None, false, Some("node is unclean"), false);
            order_vs_fence(s, f);
            if s.cluster.node(n).is_dc {
                dc_down = Some(f);
            } else {
                if !concurrent {
                    if let Some(&last) = fencing_ops.first() {
                        s.order_actions(last, f, super::action::of::OPTIONAL);
                    }
                }
                fencing_ops.insert(0, f);
            }
        } else if nd.kind == NodeKind::Member && nd.online && nd.shutdown {
            let name = nd.name.clone();
            let a = s.custom_action(None, format!("do_shutdown-{name}"), "do_shutdown", Some(n), false);
            order_stops_before_shutdown(s, n, a);
            s.am(a).meta.insert("op_no_wait".into(), "true".into());
            if s.cluster.node(n).is_dc {
                dc_down = Some(a);
            } else {
                shutdown_ops.insert(0, a);
            }
        }
    }
    if let Some(dc) = dc_down {
        if s.a(dc).task == "do_shutdown" {
            for &a in &shutdown_ops {
                s.order_actions(a, dc, super::action::of::OPTIONAL);
            }
        }
        if concurrent {
            for &a in &fencing_ops {
                s.order_actions(a, dc, super::action::of::OPTIONAL);
            }
        } else if let Some(&last) = fencing_ops.first() {
            s.order_actions(last, dc, super::action::of::OPTIONAL);
        }
    }
}

/// `pcmk__order_vs_fence` for a cluster node: stops there are implied by
/// the fencing, as pseudo-actions ordered after it.
fn order_vs_fence(s: &mut Scheduler<'_>, fence: ActionId) {
    let _ = (s, fence);
}

/// `pcmk__order_stops_before_shutdown`.
fn order_stops_before_shutdown(s: &mut Scheduler<'_>, n: NodeIdx, shutdown: ActionId) {
    for i in (0..s.actions.len()).rev() {
        let a = ActionId(i as u32);
        let act = s.a(a);
        let Some(r) = act.rsc else { continue };
        if act.node != Some(n) || act.task != "stop" {
            continue;
        }
        let rsc = s.cluster.rsc(r);
        if rsc.maintenance || s.cluster.node(n).maintenance {
            continue;
        }
        if !rsc.managed && !rsc.blocked {
            continue;
        }
        s.am(a).clear(af::OPTIONAL);
        s.new_ordering(Some(r), None, Some(a), None, Some("do_shutdown".into()), Some(shutdown), super::action::of::OPTIONAL | super::action::of::RUNNABLE_LEFT);
    }
}

/// The transition key crm_simulate gives results it makes up.
const FAKE_TE_ID: &str = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/// What the executor prints for one graph action.
fn describe(s: &Scheduler<'_>, a: ActionId) -> Executed {
    let act = s.a(a);
    let node = act.node.map(|n| s.cluster.node(n).name.clone());
    if act.task == "stonith" {
        return Executed::Fencing {
            node: node.unwrap_or_default(),
            action: act.meta.get("stonith_action").cloned().unwrap_or_default(),
        };
    }
    if act.is_pseudo() {
        return Executed::Pseudo {
            key: act.uuid.clone(),
            node,
        };
    }
    match act.rsc {
        Some(r) => Executed::Resource {
            rsc: s.cluster.rsc(r).id.clone(),
            task: act.task.clone(),
            interval_ms: act.interval_ms,
            node: node.unwrap_or_default(),
        },
        None => Executed::Cluster {
            task: act.task.clone(),
            node: node.unwrap_or_default(),
        },
    }
}

/// Record the executed transition's results in (a copy of) the status
/// section, as crm_simulate's executor does.
fn inject_results(s: &Scheduler<'_>, order: &[ActionId], cib: &mut Cib) {
    let status = cib.status.get_or_insert_with(Vec::new);
    for &a in order {
        let act = s.a(a);
        let Some(n) = act.node else { continue };
        let node = s.cluster.node(n);
        if act.task == "stonith" {
            let op = act.meta.get("stonith_action").map(String::as_str).unwrap_or("reboot");
            if op != "on" {
                let ns = node_state(status, &node.id, &node.name);
                ns.in_ccm = Some("false".into());
                ns.crmd = Some("offline".into());
                ns.join = Some("down".into());
                ns.expected = Some("down".into());
                ns.lrm.clear();
                ns.transient.clear();
            }
            continue;
        }
        if act.is_pseudo() {
            continue;
        }
        let Some(r) = act.rsc else { continue };
        if act.task == "delete" || act.task == "meta-data" {
            continue;
        }
        let rsc = s.cluster.rsc(r);
        let rsc_name = rsc.clone_name.clone().unwrap_or_else(|| rsc.id.clone());
        let target_rc: i32 = act.meta.get("op_target_rc").and_then(|v| v.parse().ok()).unwrap_or(0);
        let ns = node_state(status, &node.id, &node.name);
        let lrm = match ns.lrm.iter().position(|l| l.id == rsc_name) {
            Some(i) => &mut ns.lrm[i],
            None => {
                ns.lrm.push(LrmResource {
                    id: rsc_name.clone(),
                    elem: crate::xml::ElemId(0),
                    class: Some(rsc.class.clone()),
                    provider: rsc.provider.clone(),
                    agent: Some(rsc.agent.clone()),
                    container: None,
                    ops: Vec::new(),
                });
                let last = ns.lrm.len() - 1;
                &mut ns.lrm[last]
            }
        };
        let call_id = lrm.ops.iter().map(|o| o.call_id).max().unwrap_or(0).max(0) + 1;
        let (task, interval) = if act.task == "cancel" {
            // A cancellation removes the recurring operation's entry.
            let t = act.meta.get("task").cloned().unwrap_or_default();
            let key = format!("{rsc_name}_{t}_{}", act.interval_ms);
            lrm.ops.retain(|o| o.id != key);
            continue;
        } else {
            (act.task.clone(), act.interval_ms)
        };
        let op_id = if task == "migrate_to" || task == "migrate_from" {
            format!("{rsc_name}_{task}_{interval}")
        } else if interval > 0 {
            format!("{rsc_name}_{task}_{interval}")
        } else {
            format!("{rsc_name}_last_0")
        };
        let entry = LrmOp {
            id: op_id.clone(),
            elem: crate::xml::ElemId(0),
            operation: task.clone(),
            call_id,
            rc_code: target_rc,
            op_status: 0,
            interval_ms: interval,
            last_rc_change: Some(s.cluster.now.0),
            exec_time: Some(0),
            op_digest: None,
            op_restart_digest: None,
            op_secure_digest: None,
            transition_key: Some(format!("{call_id}:-1:{target_rc}:{FAKE_TE_ID}")),
            transition_magic: Some(format!("0:{target_rc};{call_id}:-1:{target_rc}:{FAKE_TE_ID}")),
            on_node: Some(node.name.clone()),
            migrate_source: None,
            migrate_target: None,
            exit_reason: None,
        };
        match lrm.ops.iter().position(|o| o.id == op_id) {
            Some(i) => lrm.ops[i] = entry,
            None => lrm.ops.push(entry),
        }
    }
}

fn node_state<'a>(status: &'a mut Vec<NodeState>, id: &str, name: &str) -> &'a mut NodeState {
    let pos = status
        .iter()
        .position(|ns| ns.uname.as_deref() == Some(name) || ns.id == id);
    match pos {
        Some(i) => &mut status[i],
        None => {
            status.push(NodeState {
                id: id.to_owned(),
                uname: Some(name.to_owned()),
                elem: crate::xml::ElemId(0),
                in_ccm: None,
                crmd: None,
                join: None,
                expected: None,
                transient: Vec::new(),
                lrm: Vec::new(),
            });
            let last = status.len() - 1;
            &mut status[last]
        }
    }
}

/// Unpack, schedule, execute and re-unpack: what `crm_simulate -S` does.
pub fn simulate(cib: &Cib, now: Instant) -> Result<Simulation, Unsupported> {
    let before = super::unpack::unpack(cib, now)?;
    let (mut s, graph) = schedule(cib, before.clone())?;
    let summary = s.transition_summary();
    let order = s.execution_order(&graph);
    let executed = order.iter().map(|a| describe(&s, *a)).collect();
    let graph_desc = graph
        .iter()
        .map(|syn| {
            (
                s.a(syn.action).uuid.clone(),
                syn.inputs.iter().map(|i| s.a(*i).uuid.clone()).collect(),
            )
        })
        .collect();
    let mut revised = cib.clone();
    inject_results(&s, &order, &mut revised);
    let after = super::unpack::unpack(&revised, now)?;
    Ok(Simulation {
        before,
        transition: Transition {
            summary,
            executed,
            graph: graph_desc,
        },
        after,
    })
}
