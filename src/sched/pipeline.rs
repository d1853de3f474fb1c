//! The scheduler's stages in Pacemaker's order, and the simulated
//! execution of the resulting transition (every action succeeds), which
//! records results in the status section as crm_simulate does.

use super::action::{af, ActionId};
use super::error::Unsupported;
use super::fencing;
use super::graph::Synapse;
use super::inject;
use super::model::{Cluster, NodeIdx, NodeKind, RscIdx, Variant};
use super::state::Scheduler;
use super::summary::SummaryItem;
use crate::cib::time::Instant;
use crate::cib::Cib;
use crate::xml::{Document, ElemId};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
    /// Lines crm_simulate prints after an executed action that was made to
    /// fail (`-F`), keyed by the action's index in `executed`.
    pub failure_notes: Vec<(usize, Vec<String>)>,
    /// Action ids of the graph's synapses, in graph order, with inputs.
    pub graph: Vec<(String, Vec<String>)>,
    /// The graph's actions with ids, inputs and waves, in graph order.
    pub actions: Vec<super::waves::GraphAction>,
    /// Where the transition puts each primitive.
    pub planned: Vec<super::plan::Planned>,
    /// Allocation score lines (`crm_simulate -s`), as far as recorded.
    pub scores: super::scores::ScoreTable,
}

/// The whole simulation: the cluster before, the transition, the cluster after.
pub struct Simulation {
    pub before: Arc<Cluster>,
    pub transition: Transition,
    /// The same cluster as `before` when nothing was executed.
    pub after: Arc<Cluster>,
    /// The CIB with the executed results recorded (what the next step of
    /// a scenario starts from); `None` when nothing was executed, so the
    /// simulated CIB itself is that state.
    pub revised: Option<Cib>,
}

/// Refuse constructs the scheduler does not reproduce yet, naming them.
fn check_supported(cib: &Cib, cluster: &Cluster) -> Result<(), Unsupported> {
    for r in &cluster.resources {
        if r.allow_migrate
            && r.parent.is_some()
            && (r.partial_migration_source.is_some()
                || r.partial_migration_target.is_some()
                || !r.dangling_migrations.is_empty())
            && in_clone(cluster, r)
        {
            // Migration history of clone instances is not unpacked as
            // Pacemaker does yet.
            if let Some(cfg) = r.config {
                return Err(Unsupported::at(
                    cib,
                    cib.resource(cfg).elem,
                    "migration history of clone instances (allow-migrate)",
                ));
            }
        }
    }
    Ok(())
}

/// Is the resource inside a clone?
fn in_clone(cluster: &Cluster, r: &super::model::Resource) -> bool {
    let mut p = r.parent;
    while let Some(x) = p {
        if cluster.rsc(x).variant == Variant::Clone {
            return true;
        }
        p = cluster.rsc(x).parent;
    }
    false
}

/// Schedule the cluster as unpacked: Pacemaker's stages in order.
pub fn schedule(
    cib: &Cib,
    cluster: Cluster,
    show_scores: bool,
) -> Result<(Scheduler<'_>, Vec<Synapse>), Unsupported> {
    schedule_traced(cib, cluster, show_scores, Vec::new())
}

/// [`schedule`], tracing where the node scores of `watched` come from
/// (`cibcheck explain`; nothing is traced when it is empty).
pub fn schedule_traced(
    cib: &Cib,
    cluster: Cluster,
    show_scores: bool,
    watched: Vec<super::model::RscIdx>,
) -> Result<(Scheduler<'_>, Vec<Synapse>), Unsupported> {
    use super::trace::Label;
    check_supported(cib, &cluster)?;
    let mut s = Scheduler::new(cib, cluster);
    if show_scores {
        s.record_scores_on();
    }
    if !watched.is_empty() {
        s.trace_on(watched);
    }
    s.create_actions_from_unpack();
    s.init_allowed_nodes();
    s.trace_mark(Label::Initial);
    s.apply_node_health();
    s.unpack_constraints()?;
    s.trace_mark(Label::Unattributed("unpacking constraints"));
    s.apply_node_criteria();
    for r in s.top_resources() {
        s.internal_constraints(r);
    }
    s.trace_mark(Label::Unattributed("internal constraints"));
    s.handle_rsc_config_changes();
    s.trace_mark(Label::Unattributed("configuration changes"));
    s.allocate_resources();
    s.run_param_checks();
    if s.cluster.options.startup_probes {
        s.schedule_probes();
    }
    if s.cluster.options.stop_orphan_resources {
        for r in s.top_resources() {
            s.clear_failcounts_if_orphaned(r);
        }
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

/// A resource action that cannot run where it is scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnrunnableAction {
    /// The resource as named in the cluster (a clone instance `rsc:N`).
    pub rsc: String,
    /// Its configured resource (the clone's child for an instance).
    pub config: Option<crate::cib::ResourceId>,
    pub task: String,
    pub node: String,
    /// The node is pending (joining), not offline.
    pub pending: bool,
}

/// What one scheduling run says about the cluster's state that the
/// configuration alone does not: what lint's status rules report.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    pub unrunnable: Vec<UnrunnableAction>,
    /// Nodes the transition fences, with the reason recorded when the node
    /// was marked (if any).
    pub fenced: Vec<(String, Option<String>)>,
    /// Unclean cluster nodes that cannot be fenced.
    pub unfenceable: Vec<String>,
    /// Primitives active on more than one node, with those nodes.
    pub multiply_active: Vec<(RscIdx, Vec<String>)>,
}

/// Schedule the CIB and collect [`Findings`]; `None` when the scheduler
/// refuses it.
pub fn findings(cib: &Cib, now: Instant) -> Option<Findings> {
    let cluster = super::unpack::unpack(cib, now).ok()?;
    let (s, _graph) = schedule(cib, cluster, false).ok()?;
    let mut f = Findings::default();
    let mut seen = HashSet::new();
    for &(id, pending) in &s.unrunnable {
        let a = s.a(id);
        let (Some(r), Some(n)) = (a.rsc, a.node) else {
            continue;
        };
        // Warned of when created, even if fencing implies it later.
        if !seen.insert(id) {
            continue;
        }
        let res = s.cluster.rsc(r);
        f.unrunnable.push(UnrunnableAction {
            rsc: res.id.clone(),
            config: res.config,
            task: a.task.clone(),
            node: s.cluster.node(n).name.clone(),
            pending,
        });
    }
    for &r in &s.multiply_active {
        let nodes = s
            .cluster
            .rsc(r)
            .running_on
            .iter()
            .map(|n| s.cluster.node(*n).name.clone())
            .collect();
        f.multiply_active.push((r, nodes));
    }
    for n in s.cluster.node_order() {
        let nd = s.cluster.node(n);
        let fenced = s.actions.iter().any(|a| {
            a.task == "stonith"
                && a.node == Some(n)
                && !a.is_pseudo()
                && a.flags & af::OPTIONAL == 0
        });
        if fenced || (nd.kind == NodeKind::Guest && nd.remote_requires_reset) {
            f.fenced.push((nd.name.clone(), nd.fence_reason.clone()));
        } else if nd.kind == NodeKind::Member && nd.unclean && !fencing::can_fence(&s, n) {
            f.unfenceable.push(nd.name.clone());
        }
    }
    Some(f)
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
            // Guests are "fenced" by recovering their container.
            if nd.remote_requires_reset && have_managed && fencing::can_fence(s, n) {
                super::guest::fence_guest(s, n);
            }
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

/// What the executor prints for one graph action.
fn describe(s: &Scheduler<'_>, a: ActionId, known: &HashSet<&str>) -> Executed {
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
            // An instance's own notification (one implied by fencing) is
            // keyed by what it notifies about, not by the fencing.
            Some(name) if act.task == "notify" => super::notify::notify_key(
                name,
                act.meta.get("notify_type").map_or("", String::as_str),
                act.meta.get("notify_operation").map_or("", String::as_str),
            ),
            Some(name) => super::action::op_key(name, &act.task, act.interval_ms),
            None => act.uuid.clone(),
        };
        return Executed::Pseudo { key, node: None };
    }
    // Controller requests (not agent actions) about a resource.
    if matches!(act.task.as_str(), "clear_failcount" | "lrm_delete") {
        return Executed::Cluster {
            task: act.task.clone(),
            // Printed from the graph's resource id, with no executor lookup.
            rsc: act.rsc.map(|r| graph_id(s.cluster.rsc(r))),
            node: node.unwrap_or_default(),
        };
    }
    match act.rsc {
        Some(r) => Executed::Resource {
            rsc: executor_names(s, r, known).0,
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

/// What the executor records for one executed action, taken from the
/// scheduler so that it can be freed before the status is edited (on large
/// transitions the scheduler and the edited status together set the peak).
enum ResultRecord {
    /// A node fenced off: it leaves, its history goes.
    Fenced {
        node: String,
        uuid: String,
    },
    Op(Box<OpRecord>),
}

struct OpRecord {
    node: String,
    /// The node_state id (the node name for remote and guest nodes).
    uuid: String,
    /// History entry names the executor looks for (`executor_names`).
    name: String,
    lrm_name: String,
    class: String,
    provider: Option<String>,
    agent: String,
    /// The graph's resource id, which names the operation records.
    rsc_id: String,
    /// The action's own task (a reload is recorded as a start).
    task: String,
    interval_ms: u64,
    target_rc: i32,
    /// The node recorded as `on_node`, when the release's executor records one.
    on_node: Option<String>,
    digest: String,
    notify: Option<(String, String)>,
    migrate: Option<(String, String)>,
    /// Made to fail (`--op-fail`): the rc and the matched resource name.
    failure: Option<(i32, String)>,
}

/// Record the executed transition's results in the CIB's status section,
/// as crm_simulate's executor does (every action succeeds with its expected
/// result), and type the edited document.
fn inject_results(
    s: Scheduler<'_>,
    order: &[ActionId],
    cib: &Cib,
    failures: &[super::opfail::Failure],
) -> Result<Cib, Unsupported> {
    let records = plan_results(&s, order, cib, failures);
    let now = s.cluster.now.0;
    drop(s);
    write_results(&records, cib, now)
}

fn plan_results(
    s: &Scheduler<'_>,
    order: &[ActionId],
    cib: &Cib,
    failures: &[super::opfail::Failure],
) -> Vec<ResultRecord> {
    let known = known_rsc_names(s);
    let mut out = Vec::with_capacity(order.len());
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
                out.push(ResultRecord::Fenced {
                    node: node.name.clone(),
                    uuid: node.id.clone(),
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
        let (name, lrm_name) = executor_names(s, r, &known);
        let uuid = if node.is_remote_or_guest() {
            node.name.clone()
        } else {
            node.id.clone()
        };
        let target_rc: i32 = act
            .meta
            .get("op_target_rc")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let failure = failures
            .iter()
            .find(|f| f.action == a)
            .map(|f| (f.rc, f.rsc.clone()));
        // A successful reload is recorded as a start.
        let task = match act.task.as_str() {
            "reload" | "reload-agent" if failure.is_none() => "start".to_string(),
            t => t.to_string(),
        };
        // The digest lets the next scheduling run (a scenario's next step)
        // see the operation as matching its definition, as crm_simulate's
        // recorded results do.
        let digest = if failure.is_none() {
            super::digest::calculate_digests(
                cib,
                &s.cluster,
                r,
                n,
                &super::digest::HistoryOp {
                    task: task.clone(),
                    interval_ms: act.interval_ms,
                    ..Default::default()
                },
            )
            .0
            .all
        } else {
            String::new()
        };
        let meta = |k: &str| act.meta.get(k).cloned().unwrap_or_default();
        out.push(ResultRecord::Op(Box::new(OpRecord {
            node: node.name.clone(),
            uuid,
            name,
            lrm_name,
            class: rsc.class.clone(),
            provider: rsc.provider.clone(),
            agent: rsc.agent.clone(),
            // The executor names the result after the graph's resource id
            // (an anonymous instance's configured id), whatever the entry
            // is called.
            rsc_id: graph_id(rsc),
            task,
            interval_ms: act.interval_ms,
            target_rc,
            on_node: s.cluster.options.profile.executor_records_on_node.then(|| {
                super::remote::connection_host_for_action(s, a)
                    .map_or_else(|| node.name.clone(), |h| s.cluster.node(h).name.clone())
            }),
            digest,
            notify: (act.task == "notify").then(|| (meta("notify_type"), meta("notify_operation"))),
            migrate: (act.task == "migrate_to" || act.task == "migrate_from")
                .then(|| (meta("migrate_source"), meta("migrate_target"))),
            failure,
        })));
    }
    out
}

fn write_results(records: &[ResultRecord], cib: &Cib, now: i64) -> Result<Cib, Unsupported> {
    let mut doc = cib.doc.clone();
    // At most a history entry and an operation per executed action: one
    // allocation instead of repeated doubling (the arena dominates peak
    // memory when a large cluster starts everything).
    doc.reserve(2 * records.len(), 16 * records.len());
    // Each node's history entries by id (the first one in document order),
    // filled on first use and dropped when the node's history is erased.
    let mut histories: HashMap<ElemId, HashMap<String, (ElemId, bool)>> = HashMap::new();
    let status = match doc.child_named(doc.root, "status") {
        Some(st) => st,
        None => doc.append_child(doc.root, "status", &[]),
    };
    for record in records {
        let op = match record {
            ResultRecord::Fenced { node, uuid } => {
                let ns = inject::node_state(&mut doc, status, node, |_| uuid.clone());
                inject::set_membership(&mut doc, ns, false);
                doc.remove_children(ns, |e| e.name == "lrm" || e.name == "transient_attributes");
                histories.remove(&ns);
                continue;
            }
            ResultRecord::Op(op) => op,
        };
        let ns = inject::node_state(&mut doc, status, &op.node, |_| op.uuid.clone());
        let by_id = histories
            .entry(ns)
            .or_insert_with(|| history_entries(&doc, ns));
        // An id held twice in the node's history is not found by the
        // executor, which makes a new, empty entry (so call id 1) and merges
        // it into the first entry of that id.
        let unique = |id: &str| by_id.get(id).and_then(|&(e, dup)| (!dup).then_some(e));
        let (entry, fresh) = match unique(&op.name).or_else(|| unique(&op.lrm_name)) {
            Some(e) => (e, false),
            None => match by_id.get(&op.lrm_name) {
                Some(&(e, _)) => (e, true),
                None => {
                    let e = inject::new_resource_history(
                        &mut doc,
                        ns,
                        &op.lrm_name,
                        &op.class,
                        op.provider.as_deref(),
                        &op.agent,
                    );
                    by_id.entry(op.lrm_name.clone()).or_insert((e, false));
                    (e, true)
                }
            },
        };
        let (rc, failed_rsc) = match &op.failure {
            Some((rc, rsc)) => (*rc, Some(rsc)),
            None => (op.target_rc, None),
        };
        // A failure's result is stamped with the wall clock, as its fail
        // count is.
        let when = match failed_rsc {
            Some(rsc) => {
                let clock = crate::whatif::clock();
                let mut ignored = Vec::new();
                let result = (op.task.as_str(), op.interval_ms, rc);
                inject::inject_failcount(&mut doc, ns, rsc, result, clock, &mut ignored);
                clock
            }
            None => now,
        };
        inject::record_result(
            &mut doc,
            entry,
            &inject::HistoryResult {
                rsc: &op.rsc_id,
                task: &op.task,
                interval_ms: op.interval_ms,
                on_node: op.on_node.as_deref(),
                rc,
                target_rc: op.target_rc,
                when,
                notify: op.notify.as_ref().map(|(t, o)| (t.as_str(), o.as_str())),
                call_id: fresh.then_some(1),
                exit_reason: inject::EXECUTED_FAILURE_REASON,
                digest: Some(op.digest.as_str()).filter(|_| failed_rsc.is_none()),
                migrate: op.migrate.as_ref().map(|(s, t)| (s.as_str(), t.as_str())),
            },
        );
    }
    // Typed straight from the edited tree: re-serialising and re-parsing it
    // cost more time and memory than the whole schedule on large clusters.
    let mut next = crate::cib::from_document(cib.source.clone(), doc).map_err(|e| Unsupported {
        construct: "simulated status".into(),
        span: crate::xml::Span::default(),
        message: format!("the simulated status could not be reloaded: {}", e.message),
    })?;
    next.keep_reading_of(cib);
    Ok(next)
}

/// The names crm_simulate's executor knows an action's resource by: the
/// one it prints and looks up history under first, and the one it records
/// new history under. The graph names the resource by its configured id
/// (an orphan by its history name) plus a long id (the history name of an
/// anonymous instance, else the instance id); the executor prints the
/// configured id when some resource answers to it (`pe_find_resource`,
/// which also matches history names), else the long id.
fn executor_names(s: &Scheduler<'_>, r: RscIdx, known: &HashSet<&str>) -> (String, String) {
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
    if !known.contains(id.as_str()) && known.contains(long.as_str()) {
        (long, id)
    } else {
        (id.clone(), id)
    }
}

/// The id the transition graph gives a resource: an orphan's recorded
/// name, an anonymous clone instance's configured id, else its id.
fn graph_id(rsc: &super::model::Resource) -> String {
    if rsc.orphan && rsc.clone_name.is_some() {
        rsc.clone_name.clone().unwrap_or_default()
    } else if !rsc.unique && !rsc.xml_id.is_empty() {
        rsc.xml_id.clone()
    } else {
        rsc.id.clone()
    }
}

/// Every id and history name some resource answers to (for
/// `executor_names`).
fn known_rsc_names<'s>(s: &'s Scheduler<'_>) -> HashSet<&'s str> {
    let mut known = HashSet::new();
    for x in &s.cluster.resources {
        known.insert(x.id.as_str());
        if let Some(c) = &x.clone_name {
            known.insert(c.as_str());
        }
    }
    known
}

/// A node's history entries by id, the first in document order winning.
/// Each history entry id's first entry, and whether the id is held twice.
fn history_entries(doc: &Document, ns: ElemId) -> HashMap<String, (ElemId, bool)> {
    let mut out: HashMap<String, (ElemId, bool)> = HashMap::new();
    let Some(lrm) = doc.child_named(ns, "lrm") else {
        return out;
    };
    for l in doc.children_named(lrm, "lrm_resources") {
        for e in doc.children_named(l, "lrm_resource") {
            if let Some(id) = doc.get(e).attr("id") {
                out.entry(id.to_owned())
                    .and_modify(|seen| seen.1 = true)
                    .or_insert((e, false));
            }
        }
    }
    out
}

/// Unpack, schedule, execute and re-unpack: what `crm_simulate -S` does.
pub fn simulate(cib: &Cib, now: Instant) -> Result<Simulation, Unsupported> {
    simulate_with_failures(cib, now, &[])
}

/// [`simulate`], with the resource actions that `op_fail` specs
/// (`RSC_TASK_INTERVAL@NODE=RC`) name failing when executed.
pub fn simulate_with_failures(
    cib: &Cib,
    now: Instant,
    op_fail: &[String],
) -> Result<Simulation, Unsupported> {
    simulate_with(cib, now, op_fail, false)
}

/// [`simulate_with_failures`], recording the allocation and promotion
/// scores (`crm_simulate -s`) when `show_scores`.
pub fn simulate_with(
    cib: &Cib,
    now: Instant,
    op_fail: &[String],
    show_scores: bool,
) -> Result<Simulation, Unsupported> {
    let before = Arc::new(super::unpack::unpack(cib, now)?);
    let (mut s, graph) = schedule(cib, Cluster::clone(&before), show_scores)?;
    let summary = s.transition_summary();
    let known = known_rsc_names(&s);
    let (order, failures) = if op_fail.is_empty() {
        (s.execution_order(&graph), Vec::new())
    } else {
        let names = |a: ActionId| match s.a(a).rsc {
            Some(r) => executor_names(&s, r, &known),
            None => (String::new(), String::new()),
        };
        super::opfail::execute_with_failures(&s, &graph, op_fail, &names)
    };
    // The executor confirms a re-probe request without reporting it.
    let shown: Vec<ActionId> = order
        .iter()
        .copied()
        .filter(|a| s.a(*a).task != "probe_again")
        .collect();
    let executed = shown.iter().map(|a| describe(&s, *a, &known)).collect();
    let failure_notes = failure_notes(&s, &shown, &failures);
    let graph_desc = graph
        .iter()
        .map(|syn| {
            (
                s.a(syn.action).uuid.clone(),
                syn.inputs.iter().map(|i| s.a(*i).uuid.clone()).collect(),
            )
        })
        .collect();
    let actions = graph_actions(&s, &graph, &shown, &known);
    let planned = s.planned();
    let scores = s.take_scores();
    // Nothing executed leaves the status as it was: skip re-serialising and
    // re-unpacking it, which dominates time and memory on large clusters.
    let (after, revised) = if order.is_empty() {
        (Arc::clone(&before), None)
    } else {
        let revised = inject_results(s, &order, cib, &failures)?;
        (
            Arc::new(super::unpack::unpack(&revised, now)?),
            Some(revised),
        )
    };
    Ok(Simulation {
        before,
        transition: Transition {
            summary,
            executed,
            failure_notes,
            graph: graph_desc,
            actions,
            planned,
            scores,
        },
        after,
        revised,
    })
}

/// The graph's actions as report data, with their waves.
fn graph_actions(
    s: &Scheduler<'_>,
    graph: &[Synapse],
    shown: &[ActionId],
    known: &HashSet<&str>,
) -> Vec<super::waves::GraphAction> {
    use super::waves::{waves, ActionKind, GraphAction};
    let id = |a: ActionId| s.a(a).id.max(0) as u32;
    let shape: Vec<(u32, Vec<u32>, bool)> = graph
        .iter()
        .map(|syn| {
            let act = s.a(syn.action);
            (
                id(syn.action),
                syn.inputs.iter().map(|i| id(*i)).collect(),
                act.is_pseudo(),
            )
        })
        .collect();
    let w = waves(&shape);
    let mut position = vec![None; s.actions.len()];
    for (i, a) in shown.iter().enumerate() {
        position[a.i()] = Some(i);
    }
    graph
        .iter()
        .zip(shape)
        .zip(w)
        .map(|((syn, (aid, inputs, _)), wave)| {
            let act = s.a(syn.action);
            let (kind, key, resource, node) = match describe(s, syn.action, known) {
                Executed::Resource { rsc, node, .. } => (
                    ActionKind::Resource,
                    act.uuid.clone(),
                    Some(rsc),
                    Some(node),
                ),
                Executed::Pseudo { key, node } => (ActionKind::Pseudo, key, None, node),
                Executed::Fencing { node, .. } => {
                    (ActionKind::Fencing, act.uuid.clone(), None, Some(node))
                }
                Executed::Cluster { rsc, node, .. } => {
                    (ActionKind::Cluster, act.uuid.clone(), rsc, Some(node))
                }
            };
            GraphAction {
                id: aid,
                key,
                kind,
                task: act.task.clone(),
                interval_ms: act.interval_ms,
                resource,
                node,
                inputs,
                wave,
                executed: position[syn.action.i()],
            }
        })
        .collect()
}

/// What crm_simulate prints after each failed action: that it pretended
/// the failure, and the fail-count attributes it injected.
fn failure_notes(
    s: &Scheduler<'_>,
    shown: &[ActionId],
    failures: &[super::opfail::Failure],
) -> Vec<(usize, Vec<String>)> {
    let clock = crate::whatif::clock();
    failures
        .iter()
        .filter_map(|f| {
            let at = shown.iter().position(|a| *a == f.action)?;
            let act = s.a(f.action);
            let mut lines = vec![format!(
                "Pretending action {} failed with rc={}",
                // Pacemaker numbers actions from 1.
                act.id + 1,
                f.rc
            )];
            if let Some(n) = act.node {
                let node = s.cluster.node(n);
                let uuid = if node.is_remote_or_guest() {
                    node.name.as_str()
                } else {
                    node.id.as_str()
                };
                let result = (act.task.as_str(), act.interval_ms, f.rc);
                for (name, value) in inject::failcount_attrs(&f.rsc, result, clock)
                    .into_iter()
                    .flatten()
                {
                    lines.push(inject::injected_attr_line(&name, &value, uuid));
                }
            }
            Some((at, lines))
        })
        .collect()
}
