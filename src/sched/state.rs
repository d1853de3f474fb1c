//! The scheduler's working state: the cluster model plus the actions,
//! orderings, placement and colocation constraints built while scheduling,
//! and the primitives every stage uses (creating actions, ordering them).

use super::action::{af, of, op_key, Action, ActionId, Edge, Needs, Ordering};
use super::model::{Cluster, NoQuorumPolicy, NodeIdx, OnFail, RscIdx, Variant};
use crate::cib::{Cib, Role, Score};
use std::collections::BTreeMap;

/// How a location constraint affects probing (`resource-discovery`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Discover {
    Always,
    Never,
    Exclusive,
}

/// A node's score for one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    pub weight: Score,
    pub discover: Discover,
}

/// A location constraint resolved to nodes (`pe__location_t`).
#[derive(Clone, Debug)]
pub struct Location {
    pub id: String,
    pub rsc: RscIdx,
    pub role_filter: Role,
    pub discover: Discover,
    pub nodes: Vec<(NodeIdx, Score)>,
}

/// A colocation between two resources (`pcmk__colocation_t`).
#[derive(Clone, Debug)]
pub struct Colocation {
    pub id: String,
    pub dependent: RscIdx,
    pub primary: RscIdx,
    pub dependent_role: Role,
    pub primary_role: Role,
    pub score: i32,
    pub node_attribute: Option<String>,
    pub influence: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColocId(pub u32);

/// Per-resource scheduling scratch that is not part of the cluster model.
#[derive(Clone, Debug, Default)]
pub struct RscSched {
    /// Actions of this resource, in creation order.
    pub actions: Vec<ActionId>,
    /// The score of the node it was assigned to, as it was then
    /// (Pacemaker keeps a copy of the node with its score then).
    pub assigned_weight: Option<Score>,
    /// Colocations where this resource is the dependent, sorted as
    /// Pacemaker sorts them (by the primary's priority…).
    pub this_with: Vec<ColocId>,
    /// Colocations where this resource is the primary.
    pub with_this: Vec<ColocId>,
    /// Location constraints of this resource, newest first.
    pub locations: Vec<usize>,
    pub allowed: super::nodemap::NodeMap<Allowed>,
    pub allocating: bool,
    pub merging: bool,
    pub restarting: bool,
    /// `pe_rsc_stop`: a failure requires a stop.
    pub stop: bool,
    pub reload: bool,
    /// For clones: instances assigned per node so far (`count` of the
    /// clone's allowed node entries).
    pub instance_count: BTreeMap<NodeIdx, u32>,
    /// For clones with notifications: the notified actions' pseudo-actions
    /// until the graph is built.
    pub notify: Vec<super::notify::NotifyData>,
    /// Promotable clone instances: the promotion sort index.
    pub sort_index: i32,
    /// Promotable clones: promotion scores added / promotion constraints
    /// merged already (each happens once).
    pub promotion_added: bool,
    pub promotion_constrained: bool,
}

pub struct Scheduler<'c> {
    pub cib: &'c Cib,
    pub cluster: Cluster,
    pub actions: Vec<Action>,
    pub orderings: Vec<Ordering>,
    pub locations: Vec<Location>,
    pub colocations: Vec<Colocation>,
    pub rs: Vec<RscSched>,
    /// Resources assigned to each node (for tie-breaking between nodes).
    pub node_assigned: Vec<u32>,
    /// Node actions without a resource, by uuid (singletons).
    pub singletons: BTreeMap<String, ActionId>,
    pub order_id: i32,
    /// Set when scheduling met something it cannot reproduce faithfully
    /// (e.g. a live migration); the caller refuses the result.
    pub unsupported: Option<super::error::Unsupported>,
    /// Allocation scores as crm_simulate -s prints them (the kinds
    /// recorded so far: see `scores.rs`).
    pub scores: super::scores::ScoreTable,
    /// Where watched resources' scores came from (`cibcheck explain`);
    /// `None` unless asked for.
    pub trace: Option<Box<super::trace::Trace>>,
    /// Ticket dependencies in unpacking order (`ticket_constraints`).
    pub rsc_tickets: Vec<super::tickets::RscTicket>,
    /// Resource actions found unrunnable because their node is offline
    /// (`false`) or pending (`true`), as Pacemaker warns of them; lint's
    /// status rules report them.
    pub unrunnable: Vec<(ActionId, bool)>,
    /// Primitives found active on more than one node (Pacemaker logs a
    /// configuration error and recovers them per `multiple-active`).
    pub multiply_active: Vec<RscIdx>,
    /// Per node attribute, which nodes share a value (see
    /// `assign::AttrClasses`); node attributes do not change while
    /// scheduling, so each is worked out once.
    pub attr_classes: std::cell::RefCell<
        std::collections::HashMap<String, std::rc::Rc<super::assign::AttrClasses>>,
    >,
    /// The first resource with each id, and with each history (clone)
    /// name: constraints name resources by id, thousands of times.
    rsc_by_id: std::collections::HashMap<String, RscIdx>,
    rsc_by_clone_name: std::collections::HashMap<String, RscIdx>,
    /// Each node's place among the node names in byte order (the last
    /// tie-break when nodes are sorted for assignment).
    pub node_name_rank: Vec<u32>,
}

impl<'c> Scheduler<'c> {
    pub fn new(cib: &'c Cib, cluster: Cluster) -> Self {
        let n_rsc = cluster.resources.len();
        let n_nodes = cluster.nodes.len();
        // Failures found while unpacking can require a stop (pe_rsc_stop).
        let mut rs = vec![RscSched::default(); n_rsc];
        let mut by_name: Vec<usize> = (0..n_nodes).collect();
        by_name.sort_by(|&a, &b| cluster.nodes[a].name.cmp(&cluster.nodes[b].name));
        let mut node_name_rank = vec![0u32; n_nodes];
        for (rank, &n) in by_name.iter().enumerate() {
            node_name_rank[n] = rank as u32;
        }
        let mut rsc_by_id = std::collections::HashMap::with_capacity(n_rsc);
        let mut rsc_by_clone_name = std::collections::HashMap::new();
        for (i, r) in cluster.resources.iter().enumerate() {
            rs[i].stop = r.stop;
            rsc_by_id.entry(r.id.clone()).or_insert(RscIdx(i as u32));
            if let Some(cn) = &r.clone_name {
                rsc_by_clone_name
                    .entry(cn.clone())
                    .or_insert(RscIdx(i as u32));
            }
        }
        Scheduler {
            cib,
            cluster,
            actions: Vec::new(),
            orderings: Vec::new(),
            locations: Vec::new(),
            colocations: Vec::new(),
            rs,
            node_assigned: vec![0; n_nodes],
            singletons: BTreeMap::new(),
            order_id: 1,
            unsupported: None,
            scores: Default::default(),
            trace: None,
            attr_classes: Default::default(),
            rsc_tickets: Vec::new(),
            rsc_by_id,
            rsc_by_clone_name,
            node_name_rank,
            unrunnable: Vec::new(),
            multiply_active: Vec::new(),
        }
    }

    /// The first resource whose id is `id` (`Cluster::find_rsc`, indexed:
    /// the scheduler's resources are fixed once unpacked).
    pub fn find_rsc(&self, id: &str) -> Option<RscIdx> {
        self.rsc_by_id.get(id).copied()
    }

    /// The first resource whose history (clone) name is `name`.
    pub fn find_by_clone_name(&self, name: &str) -> Option<RscIdx> {
        self.rsc_by_clone_name.get(name).copied()
    }

    pub fn a(&self, id: ActionId) -> &Action {
        &self.actions[id.i()]
    }
    pub fn am(&mut self, id: ActionId) -> &mut Action {
        &mut self.actions[id.i()]
    }
    pub fn coloc(&self, c: ColocId) -> &Colocation {
        &self.colocations[c.0 as usize]
    }

    pub fn rsc_id(&self, r: RscIdx) -> &str {
        &self.cluster.rsc(r).id
    }

    pub fn have_quorum(&self) -> bool {
        self.cluster.options.have_quorum
    }

    /// Resources in the order Pacemaker lists them (top level, config order).
    pub fn top_resources(&self) -> Vec<RscIdx> {
        self.cluster.top.clone()
    }

    /// Every resource in tree order (parents before children).
    pub fn all_resources_tree(&self) -> Vec<RscIdx> {
        let mut out = Vec::new();
        let mut stack: Vec<RscIdx> = self.cluster.top.iter().rev().copied().collect();
        while let Some(r) = stack.pop() {
            out.push(r);
            stack.extend(self.cluster.rsc(r).children.iter().rev().copied());
        }
        out
    }

    // ----- finding actions -----

    /// Pacemaker's `find_actions`: matching key, and node when given.
    /// Walks newest first; an action without a node adopts `node`.
    pub fn find_actions(
        &mut self,
        list: &[ActionId],
        key: &str,
        node: Option<NodeIdx>,
    ) -> Vec<ActionId> {
        let mut out = Vec::new();
        for &a in list.iter().rev() {
            let act = &self.actions[a.i()];
            if !act.uuid.eq_ignore_ascii_case(key) {
                continue;
            }
            match (node, act.node) {
                (None, _) => out.push(a),
                (Some(n), None) => {
                    self.actions[a.i()].node = Some(n);
                    out.push(a);
                }
                (Some(n), Some(m)) if n == m => out.push(a),
                _ => {}
            }
        }
        // Pacemaker prepends matches while walking newest-first, so the
        // result lists the oldest match first.
        out.reverse();
        out
    }

    /// `find_actions_exact`: key and node must both match; no node, no match.
    pub fn find_actions_exact(
        &self,
        list: &[ActionId],
        key: &str,
        node: Option<NodeIdx>,
    ) -> Vec<ActionId> {
        let Some(n) = node else { return Vec::new() };
        let mut out: Vec<ActionId> = list
            .iter()
            .rev()
            .copied()
            .filter(|a| {
                let act = &self.actions[a.i()];
                act.node == Some(n) && act.uuid.eq_ignore_ascii_case(key)
            })
            .collect();
        out.reverse();
        out
    }

    /// `find_first_action` over a resource's actions (newest first).
    pub fn find_first_action(
        &self,
        list: &[ActionId],
        uuid: Option<&str>,
        task: Option<&str>,
        node: Option<NodeIdx>,
    ) -> Option<ActionId> {
        for &a in list.iter().rev() {
            let act = &self.actions[a.i()];
            if uuid.is_some_and(|u| !u.eq_ignore_ascii_case(&act.uuid)) {
                continue;
            }
            if task.is_some_and(|t| !t.eq_ignore_ascii_case(&act.task)) {
                continue;
            }
            match (node, act.node) {
                (None, _) => return Some(a),
                (Some(_), None) => continue,
                (Some(n), Some(m)) if n == m => return Some(a),
                _ => continue,
            }
        }
        None
    }

    /// `pe__resource_actions`: the resource's actions for a task.
    pub fn rsc_actions(
        &mut self,
        r: RscIdx,
        node: Option<NodeIdx>,
        task: &str,
        require_node: bool,
    ) -> Vec<ActionId> {
        let key = op_key(&self.cluster.rsc(r).id, task, 0);
        let list = self.rs[r.i()].actions.clone();
        if require_node {
            self.find_actions_exact(&list, &key, node)
        } else {
            self.find_actions(&list, &key, node)
        }
    }

    // ----- creating actions -----

    /// Pacemaker's `custom_action` with saving: find the action with this
    /// key (and node), or create it; then update its optional/runnable state.
    pub fn custom_action(
        &mut self,
        rsc: Option<RscIdx>,
        key: String,
        task: &str,
        node: Option<NodeIdx>,
        optional: bool,
    ) -> ActionId {
        let existing = match rsc {
            Some(r) => {
                let list = self.rs[r.i()].actions.clone();
                self.find_actions(&list, &key, node).into_iter().next()
            }
            None => {
                let all: Vec<ActionId> = (0..self.actions.len() as u32).map(ActionId).collect();
                self.find_actions(&all, &key, node).into_iter().next()
            }
        };
        let id = match existing {
            Some(a) => a,
            None => self.new_action(rsc, key, task, node, optional),
        };
        self.update_action_optional(id, optional);
        if rsc.is_some() {
            self.update_resource_action_runnable(id);
        }
        id
    }

    fn new_action(
        &mut self,
        rsc: Option<RscIdx>,
        key: String,
        task: &str,
        node: Option<NodeIdx>,
        optional: bool,
    ) -> ActionId {
        let id = ActionId(self.actions.len() as u32);
        let interval_ms = super::action::parse_op_key(&key)
            .map(|(_, _, i)| i)
            .unwrap_or(0);
        let mut flags = af::RUNNABLE;
        if optional {
            flags |= af::OPTIONAL;
        }
        // Clearing a node's resource history is done by the DC, so the
        // node need not be up.
        if task == "lrm_delete" {
            flags |= af::DC;
        }
        let mut action = Action {
            id: id.0 as i32,
            uuid: key,
            task: task.to_owned(),
            rsc,
            node,
            flags,
            interval_ms: if rsc.is_some() { interval_ms } else { 0 },
            needs: Needs::Nothing,
            on_fail: OnFail::Recover,
            fail_role: Role::Unknown,
            reason: None,
            meta: super::meta::Meta::new(),
            before: Vec::new(),
            after: Vec::new(),
            runnable_before: 0,
            required_runnable_before: 0,
        };
        if let Some(r) = rsc {
            super::opconfig::unpack_operation(self, &mut action, r);
        }
        self.actions.push(action);
        match rsc {
            Some(r) => self.rs[r.i()].actions.push(id),
            None => {
                let uuid = self.actions[id.i()].uuid.clone();
                self.singletons.insert(uuid, id);
            }
        }
        id
    }

    fn update_action_optional(&mut self, id: ActionId, optional: bool) {
        let (rsc, node, pseudo, recurring) = {
            let a = self.a(id);
            (a.rsc, a.node, a.is_pseudo(), a.interval_ms > 0)
        };
        if let (Some(r), Some(_)) = (rsc, node) {
            if !pseudo && !self.cluster.rsc(r).managed && !recurring {
                self.am(id).set(af::OPTIONAL);
                return;
            }
        }
        if !optional {
            self.am(id).clear(af::OPTIONAL);
        }
    }

    fn effective_quorum_policy(&mut self, r: RscIdx) -> NoQuorumPolicy {
        let policy = self.cluster.options.no_quorum_policy;
        if self.have_quorum() {
            return NoQuorumPolicy::Ignore;
        }
        if policy == NoQuorumPolicy::Demote {
            let res = self.cluster.rsc_mut(r);
            return match res.role {
                Role::Promoted | Role::Unpromoted => {
                    if res.next_role > Role::Unpromoted {
                        res.next_role = Role::Unpromoted;
                    }
                    NoQuorumPolicy::Ignore
                }
                _ => NoQuorumPolicy::Stop,
            };
        }
        policy
    }

    fn update_resource_action_runnable(&mut self, id: ActionId) {
        let a = self.a(id).clone_shallow();
        if a.pseudo {
            return;
        }
        let Some(node) = a.node else {
            self.am(id).clear(af::RUNNABLE);
            return;
        };
        let nd = self.cluster.node(node);
        let is_guest = nd.kind == super::model::NodeKind::Guest;
        if !a.dc && !nd.online && (!is_guest || nd.remote_requires_reset) {
            self.am(id).clear(af::RUNNABLE);
            self.unrunnable.push((id, false));
            if let Some(r) = a.rsc {
                if self.cluster.rsc(r).managed
                    && a.task == "stop"
                    && !self.cluster.node(node).unclean
                {
                    super::fencing::fence_node(self, node, "stop is unrunnable", false);
                }
            }
        } else if !a.dc && nd.pending {
            self.am(id).clear(af::RUNNABLE);
            self.unrunnable.push((id, true));
        } else if a.needs == Needs::Nothing {
            self.set_reason(id, None, true);
            if is_guest && !super::fencing::can_fence(self, node) {
                self.am(id).clear(af::RUNNABLE);
            } else {
                self.am(id).set(af::RUNNABLE);
            }
        } else if let Some(r) = a.rsc {
            match self.effective_quorum_policy(r) {
                NoQuorumPolicy::Stop => {
                    self.am(id).clear(af::RUNNABLE);
                    self.set_reason(id, Some("no quorum".into()), true);
                }
                NoQuorumPolicy::Freeze => {
                    let res = self.cluster.rsc(r);
                    if !self.rsc_active(r) || res.next_role > res.role {
                        self.am(id).clear(af::RUNNABLE);
                        self.set_reason(id, Some("quorum freeze".into()), true);
                    }
                }
                _ => self.am(id).set(af::RUNNABLE),
            }
        }
    }

    /// Record the first construct scheduling could not reproduce.
    pub fn refuse(&mut self, r: RscIdx, what: &str) {
        if self.unsupported.is_some() {
            return;
        }
        let u = match self.cluster.rsc(r).config {
            Some(cfg) => super::error::Unsupported::at(self.cib, self.cib.resource(cfg).elem, what),
            None => super::error::Unsupported {
                construct: what.to_owned(),
                span: Default::default(),
                message: format!("{what} ({}) is not supported yet", self.cluster.rsc(r).id),
            },
        };
        self.unsupported = Some(u);
    }

    /// `pe_action_set_reason`.
    pub fn set_reason(&mut self, id: ActionId, reason: Option<String>, overwrite: bool) {
        let a = self.am(id);
        if a.reason.is_none() || overwrite {
            a.reason = reason;
        }
    }

    /// Is the resource (or any of its children) active?
    pub fn rsc_active(&self, r: RscIdx) -> bool {
        let res = self.cluster.rsc(r);
        if res.variant == Variant::Primitive {
            return !res.running_on.is_empty();
        }
        res.children.iter().any(|c| self.rsc_active(*c))
    }

    /// A pseudo action shared cluster-wide (`get_pseudo_op`).
    pub fn pseudo_op(&mut self, name: &str) -> ActionId {
        if let Some(a) = self.singletons.get(name) {
            return *a;
        }
        let id = self.custom_action(None, name.to_owned(), name, None, true);
        self.am(id).set(af::PSEUDO | af::RUNNABLE);
        id
    }

    // ----- ordering -----

    /// Pacemaker's `order_actions`: add an edge unless an equivalent one exists.
    pub fn order_actions(&mut self, first: ActionId, then: ActionId, kind: u32) -> bool {
        if kind == of::NONE || first == then {
            return false;
        }
        if self
            .a(first)
            .after
            .iter()
            .any(|e| e.action == then && e.kind & kind != 0)
        {
            return false;
        }
        self.am(first).after.push(Edge {
            action: then,
            kind,
            dumped: false,
        });
        self.am(then).before.push(Edge {
            action: first,
            kind,
            dumped: false,
        });
        true
    }

    /// `pcmk__new_ordering`.
    #[allow(clippy::too_many_arguments)]
    pub fn new_ordering(
        &mut self,
        first_rsc: Option<RscIdx>,
        first_task: Option<String>,
        first_action: Option<ActionId>,
        then_rsc: Option<RscIdx>,
        then_task: Option<String>,
        then_action: Option<ActionId>,
        flags: u32,
    ) {
        let first_rsc = first_rsc.or_else(|| first_action.and_then(|a| self.a(a).rsc));
        let then_rsc = then_rsc.or_else(|| then_action.and_then(|a| self.a(a).rsc));
        let first_task = first_task.or_else(|| first_action.map(|a| self.a(a).uuid.clone()));
        let then_task = then_task.or_else(|| then_action.map(|a| self.a(a).uuid.clone()));
        let id = self.order_id;
        self.order_id += 1;
        self.orderings.push(Ordering {
            id,
            flags,
            first_rsc,
            first_action,
            first_task,
            then_rsc,
            then_action,
            then_task,
        });
        self.order_migration_equivalents(self.orderings.len() - 1);
    }

    /// `pcmk__order_resource_actions`: order named tasks of two resources.
    pub fn order_rsc_actions(
        &mut self,
        first: RscIdx,
        first_task: &str,
        then: RscIdx,
        then_task: &str,
        flags: u32,
    ) {
        let fk = op_key(self.rsc_id(first), first_task, 0);
        let tk = op_key(self.rsc_id(then), then_task, 0);
        self.new_ordering(
            Some(first),
            Some(fk),
            None,
            Some(then),
            Some(tk),
            None,
            flags,
        );
    }

    // ----- well-known actions -----

    pub fn start_action(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) -> ActionId {
        let key = op_key(self.rsc_id(r), "start", 0);
        self.custom_action(Some(r), key, "start", node, optional)
    }
    pub fn stop_action(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) -> ActionId {
        let key = op_key(self.rsc_id(r), "stop", 0);
        self.custom_action(Some(r), key, "stop", node, optional)
    }
    pub fn promote_action(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) -> ActionId {
        let key = op_key(self.rsc_id(r), "promote", 0);
        self.custom_action(Some(r), key, "promote", node, optional)
    }
    pub fn demote_action(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) -> ActionId {
        let key = op_key(self.rsc_id(r), "demote", 0);
        self.custom_action(Some(r), key, "demote", node, optional)
    }

    /// `pe__current_node`: the node a resource counts as active on (the
    /// partial migration source; unless it needs fencing, the first clean
    /// node; else the first), not simply the first it runs on.
    pub fn current_node(&self, r: RscIdx) -> Option<NodeIdx> {
        self.find_active_on(r).0
    }
}

/// Just the bits of an action `update_resource_action_runnable` reads.
struct ActionView {
    pseudo: bool,
    dc: bool,
    node: Option<NodeIdx>,
    rsc: Option<RscIdx>,
    task: String,
    needs: Needs,
}

impl Action {
    fn clone_shallow(&self) -> ActionView {
        ActionView {
            pseudo: self.is_pseudo(),
            dc: self.has(af::DC),
            node: self.node,
            rsc: self.rsc,
            task: self.task.clone(),
            needs: self.needs,
        }
    }
}
