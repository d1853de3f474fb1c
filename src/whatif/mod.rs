//! What-if events: edits to the loaded CIB document made before scheduling,
//! as `crm_simulate`'s injections (`-u/-d/-f/-i/-g/-r/--quorum…`) and the
//! configuration changes `crm_attribute` / `crm_resource` would make
//! (standby, maintenance, ban, move, clear). The edited document is written
//! out and loaded afresh, so the model is always derived from XML.

pub mod cross_check;
pub mod diff;
pub mod history;
pub mod outcome;
pub mod resilience;
pub mod run;
pub mod scenario;
pub mod upgrade;

use crate::cib::Cib;
use crate::sched::inject;
use crate::xml::{Document, ElemId};
use std::collections::BTreeSet;

/// One configuration change, applied in command-line order before the
/// crm_simulate-style injections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigEvent {
    /// Node attribute `standby=on` in the nodes section.
    Standby(String),
    /// Remove the node's `standby` attribute.
    Online(String),
    /// Node attribute `maintenance=on`.
    Maintenance(String),
    /// Cluster property `maintenance-mode=true`.
    MaintenanceMode,
    /// `crm_resource --ban` (node: where it is active when omitted).
    Ban { rsc: String, node: Option<String> },
    /// `crm_resource --move`.
    Move { rsc: String, node: String },
    /// `crm_resource --clear`.
    Clear(String),
}

/// Every requested event. crm_simulate applies its injections in a fixed
/// order (quorum, nodes up, down, failed, tickets, operations), whatever
/// the command-line order; so do we.
#[derive(Clone, Debug, Default)]
pub struct Events {
    pub config: Vec<ConfigEvent>,
    pub quorum: Option<bool>,
    pub node_up: Vec<String>,
    pub node_down: Vec<String>,
    pub node_fail: Vec<String>,
    pub ticket_grant: Vec<String>,
    pub ticket_revoke: Vec<String>,
    pub ticket_standby: Vec<String>,
    pub ticket_activate: Vec<String>,
    pub op_inject: Vec<String>,
    /// Failures during the executed transition (`crm_simulate -F`).
    pub op_fail: Vec<String>,
}

impl Events {
    /// Whether crm_simulate would print "Performing Requested
    /// Modifications" (it does for these injections only).
    pub fn has_injections(&self) -> bool {
        self.quorum.is_some()
            || !self.node_up.is_empty()
            || !self.node_down.is_empty()
            || !self.node_fail.is_empty()
            || !self.ticket_grant.is_empty()
            || !self.ticket_revoke.is_empty()
            || !self.ticket_standby.is_empty()
            || !self.ticket_activate.is_empty()
            || !self.op_inject.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        !self.has_injections() && self.config.is_empty() && self.op_fail.is_empty()
    }
}

/// A bad event: what is wrong, and the names that would have been valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError {
    pub message: String,
    pub valid: Vec<String>,
}

impl EventError {
    fn unknown(kind: &str, name: &str, valid: &BTreeSet<String>) -> Self {
        EventError {
            message: format!("no {kind} named `{name}` in this CIB"),
            valid: valid.iter().cloned().collect(),
        }
    }
    pub(crate) fn plain(message: String) -> Self {
        EventError {
            message,
            valid: Vec::new(),
        }
    }
}

/// The result of applying events: the edited CIB and the lines
/// crm_simulate prints under "Performing Requested Modifications" (empty
/// when it would print no such section).
pub struct Applied {
    pub cib: Cib,
    pub modifications: Vec<String>,
}

/// A parsed `RSC_TASK_INTERVAL@NODE=RC` specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpSpec {
    pub rsc: String,
    pub task: String,
    pub interval_ms: u64,
    pub node: String,
    pub rc: i32,
}

/// Parse an operation spec as crm_simulate does (`%[^@]@%[^=]=%d`, then
/// the key split at its last two underscores).
pub fn parse_op_spec(spec: &str) -> Result<OpSpec, EventError> {
    let bad = |why: &str| EventError::plain(format!("invalid operation spec `{spec}`: {why}"));
    let (key, rest) = spec
        .split_once('@')
        .ok_or_else(|| bad("expected RSC_TASK_INTERVAL@NODE=RC"))?;
    let (node, rc) = rest
        .split_once('=')
        .ok_or_else(|| bad("expected `=RC` after the node"))?;
    let rc: i32 = rc
        .trim()
        .parse()
        .map_err(|_| bad("the result code must be an integer"))?;
    let (head, interval) = key
        .rsplit_once('_')
        .ok_or_else(|| bad("expected RSC_TASK_INTERVAL before `@`"))?;
    let interval_ms: u64 = interval
        .parse()
        .map_err(|_| bad("the interval (milliseconds) must be an integer"))?;
    let (rsc, task) = split_rsc_task(head).ok_or_else(|| bad("expected RSC_TASK"))?;
    if key.is_empty() || node.is_empty() {
        return Err(bad("empty resource or node"));
    }
    Ok(OpSpec {
        rsc: rsc.to_string(),
        task: task.to_string(),
        interval_ms,
        node: node.to_string(),
        rc,
    })
}

/// `RSC_TASK` → (RSC, TASK); notify keys (`RSC_post_notify_start`) and
/// migration tasks contain underscores themselves.
fn split_rsc_task(head: &str) -> Option<(&str, &str)> {
    for t in ["migrate_to", "migrate_from"] {
        if let Some(r) = head.strip_suffix(t).and_then(|r| r.strip_suffix('_')) {
            if !r.is_empty() {
                return Some((r, t));
            }
        }
    }
    let (rsc, task) = head.rsplit_once('_')?;
    if rsc.is_empty() || task.is_empty() {
        return None;
    }
    Some((rsc, task))
}

/// Names the CIB knows, for validating events.
struct Names {
    nodes: BTreeSet<String>,
    /// Nodes with an entry in the configuration's nodes section.
    config_nodes: BTreeSet<String>,
    resources: BTreeSet<String>,
    /// Primitive ids inside clones (instances may be named `ID:N`).
    clone_primitives: BTreeSet<String>,
    /// Bundle ids: their implicit resources are named `ID-…`.
    bundles: BTreeSet<String>,
    tickets: BTreeSet<String>,
}

fn names(doc: &Document) -> Names {
    let mut n = Names {
        nodes: BTreeSet::new(),
        config_nodes: BTreeSet::new(),
        resources: BTreeSet::new(),
        clone_primitives: BTreeSet::new(),
        bundles: BTreeSet::new(),
        tickets: BTreeSet::new(),
    };
    let root = doc.root;
    if let Some(cfg) = doc.child_named(root, "configuration") {
        if let Some(nodes) = doc.child_named(cfg, "nodes") {
            for node in doc.children_named(nodes, "node") {
                if let Some(u) = doc.get(node).attr("uname") {
                    n.nodes.insert(u.to_string());
                    n.config_nodes.insert(u.to_string());
                }
            }
        }
        if let Some(res) = doc.child_named(cfg, "resources") {
            for e in doc.descendants(res) {
                let el = doc.get(e);
                let kind = el.name;
                if !matches!(kind, "primitive" | "group" | "clone" | "master" | "bundle") {
                    continue;
                }
                let Some(id) = el.attr("id") else { continue };
                n.resources.insert(id.to_string());
                if kind == "bundle" {
                    n.bundles.insert(id.to_string());
                }
                if kind == "primitive" {
                    let in_clone =
                        ancestors(doc, e).any(|a| matches!(doc.get(a).name, "clone" | "master"));
                    if in_clone {
                        n.clone_primitives.insert(id.to_string());
                    }
                    // Remote and guest nodes are nodes too.
                    if el.attr("type") == Some("remote") && el.attr("provider") == Some("pacemaker")
                    {
                        n.nodes.insert(id.to_string());
                    }
                }
                for meta in doc.children_named(e, "meta_attributes") {
                    for nv in doc.children_named(meta, "nvpair") {
                        let nv = doc.get(nv);
                        if nv.attr("name") == Some("remote-node") {
                            if let Some(v) = nv.attr("value") {
                                n.nodes.insert(v.to_string());
                            }
                        }
                    }
                }
            }
        }
        if let Some(cons) = doc.child_named(cfg, "constraints") {
            for t in doc.children_named(cons, "rsc_ticket") {
                if let Some(id) = doc.get(t).attr("ticket") {
                    n.tickets.insert(id.to_string());
                }
            }
        }
    }
    if let Some(status) = doc.child_named(root, "status") {
        for ns in doc.children_named(status, "node_state") {
            if let Some(u) = doc.get(ns).attr("uname") {
                n.nodes.insert(u.to_string());
            }
        }
        for tickets in doc.children_named(status, "tickets") {
            for t in doc.children_named(tickets, "ticket_state") {
                if let Some(id) = doc.get(t).attr("id") {
                    n.tickets.insert(id.to_string());
                }
            }
        }
    }
    n
}

fn ancestors(doc: &Document, id: ElemId) -> impl Iterator<Item = ElemId> + '_ {
    std::iter::successors(doc.get(id).parent, move |p| doc.get(*p).parent)
}

impl Names {
    fn node(&self, name: &str) -> Result<(), EventError> {
        if self.nodes.contains(name) {
            Ok(())
        } else {
            Err(EventError::unknown("node", name, &self.nodes))
        }
    }
    fn resource(&self, name: &str) -> Result<(), EventError> {
        if self.resources.contains(name) {
            Ok(())
        } else {
            Err(EventError::unknown("resource", name, &self.resources))
        }
    }
    /// A resource as history names it: a primitive, or an instance
    /// `ID:N` of a primitive inside a clone.
    fn history_resource(&self, name: &str) -> Result<(), EventError> {
        let base = match name.rsplit_once(':') {
            Some((b, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => b,
            _ => name,
        };
        if self.resources.contains(name) || self.clone_primitives.contains(base) {
            Ok(())
        } else {
            Err(EventError::unknown("resource", name, &self.resources))
        }
    }
    /// A resource the executor may run that the configuration does not
    /// name: a guest node's connection (named after the node) or a
    /// bundle's implicit container, IP and connection resources.
    fn executor_resource(&self, name: &str) -> Result<(), EventError> {
        let implicit = self.nodes.contains(name)
            || self.bundles.iter().any(|b| {
                name.strip_prefix(b.as_str())
                    .is_some_and(|rest| rest.starts_with('-'))
            });
        if implicit {
            Ok(())
        } else {
            self.history_resource(name)
        }
    }
    fn ticket(&self, name: &str) -> Result<(), EventError> {
        if self.tickets.contains(name) {
            Ok(())
        } else {
            Err(EventError::unknown("ticket", name, &self.tickets))
        }
    }
}

/// Check every name, then edit the document and reload it. `active_on`
/// says where a resource is active (for `--ban` without a node);
/// `clock` is the wall clock in seconds, which crm_simulate records as an
/// injected failure's `last-failure`.
pub fn apply(
    cib: &Cib,
    events: &Events,
    active_on: &dyn Fn(&str) -> Vec<String>,
    clock: i64,
) -> Result<Applied, EventError> {
    let mut doc = cib.doc.clone();
    let known = names(&doc);
    validate(events, &known)?;
    let mut lines = Vec::new();

    for ev in &events.config {
        match ev {
            ConfigEvent::Standby(n) => set_node_attr(&mut doc, n, "standby", Some("on")),
            ConfigEvent::Online(n) => set_node_attr(&mut doc, n, "standby", None),
            ConfigEvent::Maintenance(n) => set_node_attr(&mut doc, n, "maintenance", Some("on")),
            ConfigEvent::MaintenanceMode => {
                set_cluster_property(&mut doc, "maintenance-mode", "true")
            }
            ConfigEvent::Ban { rsc, node } => {
                let node = match node {
                    Some(n) => n.clone(),
                    None => {
                        let on = active_on(rsc);
                        match on.as_slice() {
                            [one] => one.clone(),
                            [] => {
                                return Err(EventError::plain(format!(
                                    "--ban {rsc}: the resource is not active anywhere; name a node (--ban {rsc}@NODE)"
                                )))
                            }
                            _ => {
                                return Err(EventError {
                                    message: format!(
                                        "--ban {rsc}: the resource is active on more than one node; name one (--ban {rsc}@NODE)"
                                    ),
                                    valid: on,
                                })
                            }
                        }
                    }
                };
                let id = format!("cli-ban-{rsc}-on-{node}");
                put_location(&mut doc, &id, rsc, &node, "-INFINITY");
            }
            ConfigEvent::Move { rsc, node } => {
                // crm_resource clears an earlier move and a ban on the
                // destination before preferring it.
                let ban = format!("cli-ban-{rsc}-on-{node}");
                remove_locations(&mut doc, |id| id == ban);
                let id = format!("cli-prefer-{rsc}");
                put_location(&mut doc, &id, rsc, node, "INFINITY");
            }
            ConfigEvent::Clear(rsc) => {
                let prefer = format!("cli-prefer-{rsc}");
                let ban = format!("cli-ban-{rsc}-on-");
                remove_locations(&mut doc, |id| {
                    id == prefer
                        || id
                            .strip_prefix(&ban)
                            .is_some_and(|node| known.nodes.contains(node))
                });
            }
        }
    }

    if events.has_injections() {
        lines.push("Performing Requested Modifications:".to_string());
    }
    if let Some(q) = events.quorum {
        let v = if q { "true" } else { "false" };
        lines.push(format!("  * Setting quorum: {v}"));
        let root = doc.root;
        doc.set_attr(root, "have-quorum", v);
    }
    for n in &events.node_up {
        lines.push(format!("  * Bringing node {n} online"));
        node_state_change(&mut doc, n, true);
    }
    for n in &events.node_down {
        lines.push(format!("  * Taking node {n} offline"));
        let ns = node_state_change(&mut doc, n, false);
        doc.remove_children(ns, |e| e.name == "lrm" || e.name == "transient_attributes");
    }
    for n in &events.node_fail {
        lines.push(format!("  * Failing node {n}"));
        let ns = node_state_change(&mut doc, n, true);
        doc.set_attr(ns, "in_ccm", "false");
    }
    for (list, attr, value, verb) in [
        (&events.ticket_grant, "granted", "true", "Granting ticket"),
        (&events.ticket_revoke, "granted", "false", "Revoking ticket"),
        (&events.ticket_standby, "standby", "true", ""),
        (
            &events.ticket_activate,
            "standby",
            "false",
            "Activating ticket",
        ),
    ] {
        for t in list {
            if verb.is_empty() {
                lines.push(format!("  * Making ticket {t} standby"));
            } else {
                lines.push(format!("  * {verb} {t}"));
            }
            let ts = ticket_state(&mut doc, t);
            doc.set_attr(ts, attr, value);
        }
    }
    for spec in &events.op_inject {
        lines.push(format!("  * Injecting {spec} into the configuration"));
        let op = parse_op_spec(spec)?;
        inject_op(
            &mut doc,
            &op,
            cib.pacemaker.executor_records_on_node,
            clock,
            &mut lines,
        )?;
    }

    let mut edited = crate::cib::from_document(cib.source.clone(), doc).map_err(|e| {
        EventError::plain(format!(
            "the CIB could not be reloaded after the events: {}",
            e.message
        ))
    })?;
    edited.keep_reading_of(cib);
    let cib = edited;
    Ok(Applied {
        cib,
        modifications: lines,
    })
}

fn validate(events: &Events, known: &Names) -> Result<(), EventError> {
    for ev in &events.config {
        match ev {
            ConfigEvent::Standby(n) | ConfigEvent::Online(n) | ConfigEvent::Maintenance(n) => {
                if !known.config_nodes.contains(n) {
                    return Err(EventError::unknown(
                        "node in the configuration's nodes section",
                        n,
                        &known.config_nodes,
                    ));
                }
            }
            ConfigEvent::MaintenanceMode => {}
            ConfigEvent::Ban { rsc, node } => {
                known.resource(rsc)?;
                if let Some(n) = node {
                    known.node(n)?;
                }
            }
            ConfigEvent::Move { rsc, node } => {
                known.resource(rsc)?;
                known.node(node)?;
            }
            ConfigEvent::Clear(rsc) => known.resource(rsc)?,
        }
    }
    for n in events
        .node_up
        .iter()
        .chain(&events.node_down)
        .chain(&events.node_fail)
    {
        known.node(n)?;
    }
    for t in events
        .ticket_grant
        .iter()
        .chain(&events.ticket_revoke)
        .chain(&events.ticket_standby)
        .chain(&events.ticket_activate)
    {
        known.ticket(t)?;
    }
    for spec in &events.op_inject {
        let op = parse_op_spec(spec)?;
        known.history_resource(&op.rsc)?;
        known.node(&op.node)?;
    }
    for spec in &events.op_fail {
        let op = parse_op_spec(spec)?;
        known.executor_resource(&op.rsc)?;
        known.node(&op.node)?;
    }
    Ok(())
}

/// The child of `parent` named `name`, created when missing.
fn child_or_create(doc: &mut Document, parent: ElemId, name: &str) -> ElemId {
    match doc.child_named(parent, name) {
        Some(c) => c,
        None => doc.append_child(parent, name, &[]),
    }
}

fn section(doc: &mut Document, name: &str) -> ElemId {
    let root = doc.root;
    let cfg = child_or_create(doc, root, "configuration");
    child_or_create(doc, cfg, name)
}

fn config_node(doc: &Document, uname: &str) -> Option<ElemId> {
    let cfg = doc.child_named(doc.root, "configuration")?;
    let nodes = doc.child_named(cfg, "nodes")?;
    doc.children_named(nodes, "node")
        .find(|n| doc.get(*n).attr("uname") == Some(uname))
}

/// Set (or with `None` delete) a permanent node attribute, as
/// `crm_attribute --node N --name NAME --update V` (`--delete`) does: an
/// existing nvpair of that name is updated wherever it is; a new one goes
/// into the set `nodes-ID` with id `nodes-ID-NAME`.
fn set_node_attr(doc: &mut Document, uname: &str, name: &str, value: Option<&str>) {
    let Some(node) = config_node(doc, uname) else {
        return;
    };
    let node_id = doc.get(node).attr("id").unwrap_or(uname).to_string();
    let sets: Vec<ElemId> = doc.children_named(node, "instance_attributes").collect();
    let existing = sets.iter().find_map(|s| {
        doc.children_named(*s, "nvpair")
            .find(|nv| doc.get(*nv).attr("name") == Some(name))
            .map(|nv| (*s, nv))
    });
    match (existing, value) {
        (Some((_, nv)), Some(v)) => doc.set_attr(nv, "value", v),
        (Some((set, _)), None) => {
            doc.remove_children(set, |e| e.name == "nvpair" && e.attr("name") == Some(name))
        }
        (None, Some(v)) => {
            let set_id = format!("nodes-{node_id}");
            let set = match sets.first() {
                Some(s) => *s,
                None => doc.append_child(node, "instance_attributes", &[("id", &set_id)]),
            };
            let nv_id = format!("{set_id}-{name}");
            doc.append_child(
                set,
                "nvpair",
                &[("id", &nv_id), ("name", name), ("value", v)],
            );
        }
        (None, None) => {}
    }
}

/// `crm_attribute --type crm_config --name NAME --update V`.
fn set_cluster_property(doc: &mut Document, name: &str, value: &str) {
    let cc = section(doc, "crm_config");
    let sets: Vec<ElemId> = doc.children_named(cc, "cluster_property_set").collect();
    let existing = sets.iter().find_map(|s| {
        doc.children_named(*s, "nvpair")
            .find(|nv| doc.get(*nv).attr("name") == Some(name))
    });
    if let Some(nv) = existing {
        doc.set_attr(nv, "value", value);
        return;
    }
    let set = sets
        .iter()
        .copied()
        .find(|s| doc.get(*s).attr("id") == Some("cib-bootstrap-options"))
        .unwrap_or_else(|| {
            doc.append_child(
                cc,
                "cluster_property_set",
                &[("id", "cib-bootstrap-options")],
            )
        });
    let id = format!("cib-bootstrap-options-{name}");
    doc.append_child(
        set,
        "nvpair",
        &[("id", &id), ("name", name), ("value", value)],
    );
}

/// Add (replacing one of the same id) the short-form location constraint
/// crm_resource writes.
fn put_location(doc: &mut Document, id: &str, rsc: &str, node: &str, score: &str) {
    remove_locations(doc, |i| i == id);
    let cons = section(doc, "constraints");
    doc.append_child(
        cons,
        "rsc_location",
        &[
            ("id", id),
            ("rsc", rsc),
            ("role", "Started"),
            ("node", node),
            ("score", score),
        ],
    );
}

fn remove_locations(doc: &mut Document, matches: impl Fn(&str) -> bool) {
    let cons = section(doc, "constraints");
    doc.remove_children(cons, |e| {
        e.name == "rsc_location" && e.attr("id").is_some_and(&matches)
    });
}

fn status(doc: &mut Document) -> ElemId {
    let root = doc.root;
    child_or_create(doc, root, "status")
}

/// The node's `node_state`, created as crm_simulate does (id: the
/// configured node's id, else the name).
fn node_state(doc: &mut Document, uname: &str) -> ElemId {
    let st = status(doc);
    inject::node_state(doc, st, uname, |doc| {
        config_node(doc, uname)
            .and_then(|n| doc.get(n).attr("id").map(str::to_string))
            .unwrap_or_else(|| uname.to_string())
    })
}

fn node_state_change(doc: &mut Document, uname: &str, up: bool) -> ElemId {
    let ns = node_state(doc, uname);
    inject::set_membership(doc, ns, up);
    doc.set_attr(ns, "crm-debug-origin", "crm_simulate");
    ns
}

fn ticket_state(doc: &mut Document, ticket: &str) -> ElemId {
    let st = status(doc);
    let tickets = child_or_create(doc, st, "tickets");
    let found = doc
        .children_named(tickets, "ticket_state")
        .find(|t| doc.get(*t).attr("id") == Some(ticket));
    match found {
        Some(t) => t,
        None => doc.append_child(tickets, "ticket_state", &[("id", ticket)]),
    }
}

/// The configured primitive behind a history name (`ID` or `ID:N`).
fn primitive_xml(doc: &Document, name: &str) -> Option<ElemId> {
    let cfg = doc.child_named(doc.root, "configuration")?;
    let res = doc.child_named(cfg, "resources")?;
    let base = name.rsplit_once(':').map(|(b, _)| b);
    doc.descendants(res).into_iter().find(|e| {
        let el = doc.get(*e);
        el.name == "primitive"
            && (el.attr("id") == Some(name) || (base.is_some() && el.attr("id") == base))
    })
}

/// `crm_simulate -i`: a fail count for a failure, and the result in the
/// resource's history on the node (expected result: success).
fn inject_op(
    doc: &mut Document,
    op: &OpSpec,
    on_node: bool,
    clock: i64,
    lines: &mut Vec<String>,
) -> Result<(), EventError> {
    let prim = primitive_xml(doc, &op.rsc).ok_or_else(|| {
        EventError::plain(format!(
            "--op-inject: `{}` is not a primitive resource (or an instance of one)",
            op.rsc
        ))
    })?;
    let p = doc.get(prim);
    let class = p.attr("class").unwrap_or_default().to_string();
    let provider = p.attr("provider").map(str::to_string);
    let agent = p.attr("type").unwrap_or_default().to_string();
    if class.is_empty() || agent.is_empty() {
        return Err(EventError::plain(format!(
            "--op-inject: resource `{}` has no class or type (templates are not supported here)",
            op.rsc
        )));
    }
    let ns = node_state(doc, &op.node);
    inject::inject_failcount(
        doc,
        ns,
        &op.rsc,
        (&op.task, op.interval_ms, op.rc),
        clock,
        lines,
    );
    let found = doc
        .child_named(ns, "lrm")
        .and_then(|lrm| doc.child_named(lrm, "lrm_resources"))
        .and_then(|list| {
            doc.children_named(list, "lrm_resource")
                .find(|e| doc.get(*e).attr("id") == Some(op.rsc.as_str()))
        });
    let entry = match found {
        Some(e) => e,
        None => inject::new_resource_history(doc, ns, &op.rsc, &class, provider.as_deref(), &agent),
    };
    inject::record_result(
        doc,
        entry,
        &inject::HistoryResult {
            rsc: &op.rsc,
            task: &op.task,
            interval_ms: op.interval_ms,
            on_node: on_node.then_some(op.node.as_str()),
            rc: op.rc,
            target_rc: 0,
            when: clock,
            notify: None,
            call_id: None,
            exit_reason: inject::INJECTED_REASON,
            digest: None,
            migrate: None,
        },
    );
    Ok(())
}

/// The wall clock in seconds since the epoch.
pub fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
