//! The scheduler's stages in Pacemaker's order, and the simulated
//! execution of the resulting transition (every action succeeds), which
//! records results in the status section as crm_simulate does.

use super::action::{af, ActionId};
use super::error::Unsupported;
use super::fencing;
use super::graph::Synapse;
use super::model::{Cluster, NodeIdx, NodeKind, RscIdx, Variant};
use super::state::Scheduler;
use super::summary::SummaryItem;
use crate::cib::time::Instant;
use crate::cib::Cib;
use crate::xml::{Document, ElemId};
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
    /// `Cluster action: TASK [for RSC ]on NODE`
    Cluster {
        task: String,
        rsc: Option<String>,
        node: String,
    },
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
            Variant::Clone if r.parent.is_some() => Some("clones inside bundles"),
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
        if r.container.is_some() {
            if let Some(cfg) = r.config {
                return Err(Unsupported::at(cib, cib.resource(cfg).elem, "guest nodes"));
            }
        }
    }
    for n in &cluster.nodes {
        if n.kind == NodeKind::Guest {
            return Err(Unsupported {
                construct: "guest nodes".into(),
                span: Default::default(),
                message: format!("guest nodes ({}) are not supported yet", n.name),
            });
        }
    }
    let strategy = cluster.options.placement_strategy.to_ascii_lowercase();
    if strategy != "default" {
        if let Some(p) = cib.cluster_option("placement-strategy") {
            return Err(Unsupported::at(
                cib,
                p.elem,
                "placement-strategy other than default",
            ));
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
    if cluster.options.enable_unfencing {
        return Err(Unsupported {
            construct: "unfencing".into(),
            span: Default::default(),
            message: "unfencing (requires=unfencing / provides=unfencing) is not supported yet"
                .into(),
        });
    }
    Ok(())
}

/// Schedule the cluster as unpacked: Pacemaker's stages in order.
pub fn schedule(cib: &Cib, cluster: Cluster) -> Result<(Scheduler<'_>, Vec<Synapse>), Unsupported> {
    check_supported(cib, &cluster)?;
    let mut s = Scheduler::new(cib, cluster);
    s.create_actions_from_unpack();
    s.init_allowed_nodes();
    s.unpack_constraints()?;
    s.apply_node_criteria();
    for r in s.top_resources() {
        s.internal_constraints(r);
    }
    s.handle_rsc_config_changes();
    s.allocate_resources();
    if s.cluster.options.startup_probes {
        s.schedule_probes();
    }
    for r in s.top_resources() {
        s.create_actions(r);
    }
    // Remote orderings come first: they can mark nodes for fencing.
    s.order_remote_connection_actions();
    schedule_fencing_and_shutdowns(&mut s);
    s.apply_orderings();
    let graph = s.create_graph();
    if let Some(u) = s.unsupported.take() {
        return Err(u);
    }
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
    // Pacemaker's node list is sorted by name.
    for n in s.cluster.node_order() {
        let nd = s.cluster.node(n);
        if nd.kind == NodeKind::Guest {
            continue;
        }
        if have_managed && nd.unclean && fencing::can_fence(s, n) {
            let f = fencing::fence_op(s, n, None, false, Some("node is unclean"), false);
            fencing::order_vs_fence(s, f);
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
            let a = s.custom_action(
                None,
                format!("do_shutdown-{name}"),
                "do_shutdown",
                Some(n),
                false,
            );
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
        s.new_ordering(
            Some(r),
            None,
            Some(a),
            None,
            Some("do_shutdown".into()),
            Some(shutdown),
            super::action::of::OPTIONAL | super::action::of::RUNNABLE_LEFT,
        );
    }
}

/// The transition key crm_simulate gives results it makes up.
const FAKE_TE_ID: &str = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/// What the executor prints for one graph action.
fn describe(s: &Scheduler<'_>, a: ActionId) -> Executed {
    let act = s.a(a);
    let node = act.node.map(|n| s.cluster.node(n).name.clone());
    // A guest node's fencing is a pseudo-action (its container's recovery),
    // the only pseudo-action the graph names a node for.
    if act.task == "stonith" && act.is_pseudo() {
        return Executed::Pseudo {
            key: act.uuid.clone(),
            node,
        };
    }
    if act.task == "stonith" {
        return Executed::Fencing {
            node: node.unwrap_or_default(),
            action: act.meta.get("stonith_action").cloned().unwrap_or_default(),
        };
    }
    if act.is_pseudo() {
        // The graph keys an instance's action by the name its history
        // was recorded under (`clone_op_key`).
        let key = match act.rsc.and_then(|r| s.cluster.rsc(r).clone_name.as_deref()) {
            Some(name) if act.task != "notify" => {
                super::action::op_key(name, &act.task, act.interval_ms)
            }
            _ => act.uuid.clone(),
        };
        return Executed::Pseudo { key, node: None };
    }
    // Controller requests (not agent actions) about a resource.
    if matches!(act.task.as_str(), "clear_failcount" | "lrm_delete") {
        return Executed::Cluster {
            task: act.task.clone(),
            rsc: act.rsc.map(|r| s.cluster.rsc(r).id.clone()),
            node: node.unwrap_or_default(),
        };
    }
    match act.rsc {
        Some(r) => Executed::Resource {
            rsc: executor_names(s, r).0,
            task: act.task.clone(),
            interval_ms: act.interval_ms,
            node: node.unwrap_or_default(),
        },
        None => Executed::Cluster {
            task: act.task.clone(),
            rsc: None,
            node: node.unwrap_or_default(),
        },
    }
}

/// Record the executed transition's results in the CIB's status section,
/// as crm_simulate's executor does (every action succeeds with its expected
/// result), and load the edited document afresh.
fn inject_results(s: &Scheduler<'_>, order: &[ActionId], cib: &Cib) -> Result<Cib, Unsupported> {
    let mut doc = cib.doc.clone();
    let status = match doc.child_named(doc.root, "status") {
        Some(st) => st,
        None => doc.append_child(doc.root, "status", &[]),
    };
    for &a in order {
        let act = s.a(a);
        let Some(n) = act.node else { continue };
        let node = s.cluster.node(n);
        if act.task == "stonith" && !act.is_pseudo() {
            let op = act
                .meta
                .get("stonith_action")
                .map(String::as_str)
                .unwrap_or("reboot");
            if !op.eq_ignore_ascii_case("on") {
                let ns = node_state(&mut doc, status, &node.name, &node.id);
                for (k, v) in [
                    ("in_ccm", "false"),
                    ("crmd", "offline"),
                    ("join", "down"),
                    ("expected", "down"),
                ] {
                    doc.set_attr(ns, k, v);
                }
                doc.remove_children(ns, |e| {
                    &*e.name == "lrm" || &*e.name == "transient_attributes"
                });
            }
            continue;
        }
        if act.is_pseudo() {
            continue;
        }
        let Some(r) = act.rsc else { continue };
        if matches!(
            act.task.as_str(),
            "delete" | "meta-data" | "probe_again" | "clear_failcount" | "lrm_delete"
        ) {
            continue;
        }
        let rsc = s.cluster.rsc(r);
        let (name, lrm_name) = executor_names(s, r);
        let uuid = if node.is_remote_or_guest() {
            node.name.as_str()
        } else {
            node.id.as_str()
        };
        let ns = node_state(&mut doc, status, &node.name, uuid);
        let entry =
            match find_history(&doc, ns, &name).or_else(|| find_history(&doc, ns, &lrm_name)) {
                Some(e) => e,
                None => {
                    let lrm = match doc.child_named(ns, "lrm") {
                        Some(l) => l,
                        None => {
                            let id = doc.get(ns).attr("id").unwrap_or_default().to_owned();
                            doc.append_child(ns, "lrm", &[("id", &id)])
                        }
                    };
                    let list = match doc.child_named(lrm, "lrm_resources") {
                        Some(l) => l,
                        None => doc.append_child(lrm, "lrm_resources", &[]),
                    };
                    let mut attrs = vec![("id", lrm_name.as_str()), ("class", rsc.class.as_str())];
                    if let Some(p) = &rsc.provider {
                        attrs.push(("provider", p.as_str()));
                    }
                    attrs.push(("type", rsc.agent.as_str()));
                    doc.append_child(list, "lrm_resource", &attrs)
                }
            };
        let rsc_id = doc.get(entry).attr("id").unwrap_or_default().to_owned();
        let target_rc: i32 = act
            .meta
            .get("op_target_rc")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let call_id = doc
            .get(entry)
            .children
            .iter()
            .filter_map(|c| {
                doc.get(*c)
                    .attr("call-id")
                    .and_then(|v| v.parse::<i64>().ok())
            })
            .max()
            .unwrap_or(0)
            .max(0)
            + 1;
        // A successful reload is recorded as a start.
        let task = match act.task.as_str() {
            "reload" | "reload-agent" => "start".to_string(),
            t => t.to_string(),
        };
        let key = format!("{rsc_id}_{task}_{}", act.interval_ms);
        let op_id = if task == "notify" {
            let ty = act.meta.get("notify_type").cloned().unwrap_or_default();
            let op = act
                .meta
                .get("notify_operation")
                .cloned()
                .unwrap_or_default();
            format!("{rsc_id}_{ty}_notify_{op}_0")
        } else if task == "migrate_to" || task == "migrate_from" || act.interval_ms > 0 {
            key.clone()
        } else {
            format!("{rsc_id}_last_0")
        };
        let op_elem = match doc
            .get(entry)
            .children
            .iter()
            .copied()
            .find(|c| doc.get(*c).attr("id") == Some(op_id.as_str()))
        {
            Some(e) => e,
            None => doc.append_child(entry, "lrm_rsc_op", &[]),
        };
        let tkey = format!("-1:{call_id}:{target_rc}:{FAKE_TE_ID}");
        let magic = format!("0:{target_rc};{tkey}");
        let now = s.cluster.now.0.to_string();
        let interval = act.interval_ms.to_string();
        let call = call_id.to_string();
        let rc = target_rc.to_string();
        for (k, v) in [
            ("id", op_id.as_str()),
            ("operation_key", key.as_str()),
            ("operation", task.as_str()),
            ("crm-debug-origin", "crm_simulate"),
            ("transition-key", tkey.as_str()),
            ("transition-magic", magic.as_str()),
            ("exit-reason", ""),
            ("on_node", node.name.as_str()),
            ("call-id", call.as_str()),
            ("rc-code", rc.as_str()),
            ("op-status", "0"),
            ("interval", interval.as_str()),
            ("last-rc-change", now.as_str()),
            ("exec-time", "0"),
            ("queue-time", "0"),
        ] {
            doc.set_attr(op_elem, k, v);
        }
        // Migration records name both ends, as the executor's history does.
        if task == "migrate_to" || task == "migrate_from" {
            for k in ["migrate_source", "migrate_target"] {
                let v = act.meta.get(k).cloned().unwrap_or_default();
                doc.set_attr(op_elem, k, &v);
            }
        }
    }
    let text = doc.to_xml();
    crate::cib::load(
        crate::cib::SourceFile {
            name: cib.source.name.clone(),
            text: std::sync::Arc::from(text),
        },
        crate::xml::ParseLimits::default(),
    )
    .map_err(|e| Unsupported {
        construct: "simulated status".into(),
        span: crate::xml::Span::default(),
        message: format!("the simulated status could not be reloaded: {}", e.message),
    })
}

/// The `node_state` of a node (by uname), created as crm_simulate does when
/// the node has none yet.
fn node_state(doc: &mut Document, status: ElemId, uname: &str, uuid: &str) -> ElemId {
    let found = doc
        .children_named(status, "node_state")
        .find(|ns| doc.get(*ns).attr("uname") == Some(uname));
    match found {
        Some(ns) => ns,
        None => doc.append_child(status, "node_state", &[("id", uuid), ("uname", uname)]),
    }
}

/// The names crm_simulate's executor knows an action's resource by: the
/// one it prints and looks up history under first, and the one it records
/// new history under. The graph names the resource by its configured id
/// (an orphan by its history name) plus a long id (the history name of an
/// anonymous instance, else the instance id); the executor prints the
/// configured id when some resource answers to it (`pe_find_resource`,
/// which also matches history names), else the long id.
fn executor_names(s: &Scheduler<'_>, r: RscIdx) -> (String, String) {
    let rsc = s.cluster.rsc(r);
    let (id, long) = if rsc.orphan && rsc.clone_name.is_some() {
        (rsc.clone_name.clone().unwrap_or_default(), rsc.id.clone())
    } else if !rsc.unique && !rsc.xml_id.is_empty() {
        let long = match &rsc.clone_name {
            Some(c) if *c != rsc.xml_id => c.clone(),
            _ => rsc.id.clone(),
        };
        (rsc.xml_id.clone(), long)
    } else {
        (rsc.id.clone(), rsc.id.clone())
    };
    let known = |name: &str| {
        s.cluster
            .resources
            .iter()
            .any(|x| x.id == name || x.clone_name.as_deref() == Some(name))
    };
    if !known(&id) && known(&long) {
        (long, id)
    } else {
        (id.clone(), id)
    }
}

fn find_history(doc: &Document, ns: ElemId, rsc: &str) -> Option<ElemId> {
    let lrm = doc.child_named(ns, "lrm")?;
    doc.children_named(lrm, "lrm_resources")
        .flat_map(|l| doc.children_named(l, "lrm_resource"))
        .find(|e| doc.get(*e).attr("id") == Some(rsc))
}

/// Unpack, schedule, execute and re-unpack: what `crm_simulate -S` does.
pub fn simulate(cib: &Cib, now: Instant) -> Result<Simulation, Unsupported> {
    let before = super::unpack::unpack(cib, now)?;
    if std::env::var_os("CIBCHECK_DEBUG").is_some() {
        for r in &before.resources {
            eprintln!(
                "{} role={:?} next={:?} failed={} managed={} on={:?} clone_name={:?}",
                r.id, r.role, r.next_role, r.failed, r.managed, r.running_on, r.clone_name
            );
        }
    }
    let (mut s, graph) = schedule(cib, before.clone())?;
    if std::env::var_os("CIBCHECK_DEBUG").is_some() {
        for syn in &graph {
            let a = s.a(syn.action);
            let node = a.node.map(|n| s.cluster.node(n).name.clone());
            eprintln!(
                "synapse {} {} {:?} inputs={:?}",
                a.id, a.uuid, node, syn.inputs
            );
        }
    }
    let summary = s.transition_summary();
    let order = s.execution_order(&graph);
    // The executor confirms a re-probe request without reporting it.
    let executed = order
        .iter()
        .filter(|a| s.a(**a).task != "probe_again")
        .map(|a| describe(&s, *a))
        .collect();
    let graph_desc = graph
        .iter()
        .map(|syn| {
            (
                s.a(syn.action).uuid.clone(),
                syn.inputs.iter().map(|i| s.a(*i).uuid.clone()).collect(),
            )
        })
        .collect();
    let revised = inject_results(&s, &order, cib)?;
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
