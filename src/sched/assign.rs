//! Placement: node scores from locations, stickiness and failures, then
//! assigning each resource to its best node with colocations applied
//! (Pacemaker's `apply_node_criteria` and `allocate_resources` stages).

use super::action::of;
use super::model::{NodeIdx, RscIdx, Variant};
use super::nodemap::NodeMap;
use super::state::{Allowed, ColocId, Discover, Scheduler};
use super::trace::Label;
use crate::cib::score::INFINITY;
use crate::cib::{Role, Score};
use std::cmp::Ordering;
use std::collections::HashMap;

/// What a colocation can still change when it is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoAffects {
    Nothing,
    Location,
    Role,
}

/// The discovery mode a node's copy in an allowed table starts with
/// (bundle nodes never probe).
pub fn node_discover(n: &super::model::Node) -> Discover {
    if n.discover_never {
        Discover::Never
    } else {
        Discover::Always
    }
}

/// A marker score: a node made unusable while merging colocated scores.
const INFINITY_HACK: i32 = INFINITY * -100;

impl Scheduler<'_> {
    // ----- allowed node tables -----

    /// `resource_location`: add `score` for `node` (or every node) to a
    /// resource and, first, to its children.
    pub fn resource_location(
        &mut self,
        r: RscIdx,
        node: Option<NodeIdx>,
        score: Score,
        symmetric_default: bool,
    ) {
        match node {
            Some(n) => self.resource_node_score(r, n, score, symmetric_default),
            None => {
                for i in 0..self.cluster.nodes.len() {
                    self.resource_node_score(r, NodeIdx(i as u32), score, symmetric_default);
                }
            }
        }
        if node.is_none() && score.is_minus_infinity() {
            self.cluster.rsc_mut(r).assigned_to = None;
        }
    }

    fn resource_node_score(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        score: Score,
        symmetric_default: bool,
    ) {
        if symmetric_default && self.cluster.rsc(r).exclusive_discover {
            return;
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.resource_node_score(c, n, score, symmetric_default);
        }
        let base = self.cluster.node(n).weight;
        let discover = node_discover(self.cluster.node(n));
        let e = self.rs[r.i()].allowed.entry(n).or_insert(Allowed {
            weight: base,
            discover,
        });
        e.weight = e.weight.add(score);
    }

    /// Initial allowed nodes, as unpacking left them: the symmetric default
    /// (with node weights from before the status section was read, as
    /// Pacemaker copies nodes then), plus any bans the status implied.
    pub fn init_allowed_nodes(&mut self) {
        for i in 0..self.cluster.resources.len() {
            let pre: Vec<(NodeIdx, Score)> = self.cluster.resources[i]
                .allowed_nodes
                .iter()
                .map(|(n, s)| (*n, *s))
                .collect();
            self.rs[i].allowed.reserve_exact(pre.len());
            for (n, s) in pre {
                let discover = node_discover(self.cluster.node(n));
                self.rs[i].allowed.insert(
                    n,
                    Allowed {
                        weight: s,
                        discover,
                    },
                );
            }
        }
        // A bundle's inner instance (and its clone) discover exclusively on
        // the replica's own guest node.
        for i in 0..self.cluster.resources.len() {
            let Some(b) = self.cluster.resources[i].bundle.as_ref() else {
                continue;
            };
            let pairs: Vec<(RscIdx, NodeIdx)> = b
                .replicas
                .iter()
                .filter_map(|rep| Some((rep.child?, rep.node?)))
                .collect();
            for (child, n) in pairs {
                let mut owners = vec![child];
                owners.extend(self.cluster.rsc(child).parent);
                for o in owners {
                    if let Some(a) = self.rs[o.i()].allowed.get_mut(&n) {
                        a.discover = Discover::Exclusive;
                    }
                }
            }
        }
    }

    /// `pcmk__node_available`.
    pub fn node_available(&self, n: NodeIdx, weight: Option<Score>, consider_guest: bool) -> bool {
        let nd = self.cluster.node(n);
        if !nd.online || nd.shutdown || nd.unclean || nd.standby || nd.maintenance {
            return false;
        }
        if weight.is_some_and(|w| w.0 < 0) {
            return false;
        }
        if consider_guest && nd.kind == super::model::NodeKind::Guest {
            let container = nd.remote_rsc.and_then(|c| self.cluster.rsc(c).container);
            if let Some(c) = container {
                // Where the container is assigned, not where it runs now.
                if self.cluster.rsc(c).assigned_to.is_none() {
                    return false;
                }
            }
        }
        true
    }

    fn any_node_available(&self, table: &NodeMap<Allowed>) -> bool {
        table
            .iter()
            .any(|(n, a)| self.node_available(*n, Some(a.weight), false))
    }

    /// Sort candidate nodes best first (`pcmk__sort_nodes`): by weight
    /// (an unavailable node counting as -INFINITY), under `balanced` by
    /// free capacity, then fewest resources assigned, the active node,
    /// and name.
    pub fn sort_nodes(
        &self,
        table: &NodeMap<Allowed>,
        active: Option<NodeIdx>,
    ) -> Vec<(NodeIdx, Score)> {
        let strategy = self.cluster.options.placement_strategy.to_ascii_lowercase();
        // Each node's availability is looked up once, not per comparison:
        // this runs for every resource over every allowed node.
        let effective = |n: NodeIdx, w: Score| {
            if self.node_available(n, None, false) {
                w
            } else {
                Score::MINUS_INFINITY
            }
        };
        if strategy == "balanced" {
            let mut v: Vec<(NodeIdx, Score, Score)> = table
                .iter()
                .map(|(n, a)| (*n, a.weight, effective(*n, a.weight)))
                .collect();
            v.sort_by(|a, b| {
                b.2.cmp(&a.2)
                    .then_with(|| self.compare_node_capacities(a.0, b.0).cmp(&0))
                    .then_with(|| self.tie_break(a.0, b.0, active))
            });
            return v.into_iter().map(|(n, w, _)| (n, w)).collect();
        }
        let minimal = strategy == "minimal";
        // Otherwise the order is a sort key: every criterion is a number.
        let mut v: Vec<(u128, NodeIdx, Score)> = table
            .iter()
            .map(|(n, a)| {
                let e = effective(*n, a.weight);
                let descending = (i64::from(i32::MAX) - i64::from(e.0)) as u128;
                let (assigned, not_active) = if minimal {
                    (0, 0)
                } else {
                    (
                        u128::from(self.node_assigned[n.i()]),
                        u128::from(active != Some(*n)),
                    )
                };
                let rank = u128::from(self.node_name_rank[n.i()]);
                // Weight in bits 96-127 (below 2^32), assigned count 64-95,
                // not-active 63, name rank 32-62, node index 0-31.
                let key = descending << 96
                    | assigned << 64
                    | not_active << 63
                    | rank << 32
                    | u128::from(n.0);
                (key, *n, a.weight)
            })
            .collect();
        v.sort_unstable_by_key(|e| e.0);
        v.into_iter().map(|(_, n, w)| (n, w)).collect()
    }

    /// After weight (and capacity): fewest resources assigned, the active
    /// node, then name.
    fn tie_break(&self, a: NodeIdx, b: NodeIdx, active: Option<NodeIdx>) -> Ordering {
        let (ca, cb) = (self.node_assigned[a.i()], self.node_assigned[b.i()]);
        if ca != cb {
            return ca.cmp(&cb);
        }
        if let Some(act) = active {
            if act == a {
                return Ordering::Less;
            }
            if act == b {
                return Ordering::Greater;
            }
        }
        self.cluster.node(a).name.cmp(&self.cluster.node(b).name)
    }

    // ----- node criteria -----

    /// Locations, stickiness, migration thresholds, exclusive discovery.
    pub fn apply_node_criteria(&mut self) {
        if self.cluster.options.shutdown_lock {
            for r in self.top_resources() {
                self.apply_shutdown_lock(r);
            }
        }
        // Locations were created in order; Pacemaker applies them newest first.
        for li in (0..self.locations.len()).rev() {
            self.apply_location(li);
            self.trace_mark(Label::Location(li));
        }
        for r in self.top_resources() {
            self.apply_stickiness(r);
        }
        self.trace_mark(Label::Stickiness);
        // Pacemaker walks every node for every resource; both checks only
        // touch that pair, so each resource visits just the nodes that can
        // matter: those recording failures, and the nodes it is allowed on.
        let legacy = self.legacy_failcounts();
        let failing: Vec<NodeIdx> = (0..self.cluster.nodes.len())
            .map(|n| NodeIdx(n as u32))
            .filter(|&n| super::failcount::node_has_failures(&self.cluster, n))
            .collect();
        for r in self.top_resources() {
            for &n in &failing {
                self.check_failure_threshold(r, n, legacy);
                self.trace_mark(Label::FailThreshold);
            }
            self.apply_exclusive_discovery(r);
            self.trace_mark(Label::ExclusiveDiscovery);
        }
    }

    /// The `shutdown_lock` method: a primitive cleanly stopped on (or
    /// stopping with) a node that shuts down stays there, banned from every
    /// other node; groups lock their members; clones and bundles are never
    /// locked.
    fn apply_shutdown_lock(&mut self, r: RscIdx) {
        match self.cluster.rsc(r).variant {
            Variant::Group => {
                for c in self.cluster.rsc(r).children.clone() {
                    self.apply_shutdown_lock(c);
                }
                return;
            }
            Variant::Clone | Variant::Bundle => return,
            Variant::Primitive => {}
        }
        let rsc = self.cluster.rsc(r);
        // Fencing devices and remote connections are never locked.
        let remote_conn = rsc.is_remote_node
            && self
                .cluster
                .node_by_name(&rsc.id)
                .is_some_and(|n| self.cluster.node(n).kind == super::model::NodeKind::Remote);
        if rsc.class.eq_ignore_ascii_case("stonith") || remote_conn {
            return;
        }
        if let Some(lock) = rsc.lock_node {
            // Locked by history yet active somewhere: the lock is dropped
            // rather than disturbing the resource.
            if !rsc.running_on.is_empty() {
                let key = super::action::op_key(self.rsc_id(r), "lrm_delete", 0);
                self.custom_action(Some(r), key, "lrm_delete", Some(lock), false);
                let rsc = self.cluster.rsc_mut(r);
                rsc.lock_node = None;
                rsc.lock_time = None;
                return;
            }
        } else if let [n] = rsc.running_on[..] {
            let nd = self.cluster.node(n);
            if !nd.shutdown || nd.unclean {
                return;
            }
            let shutdown = nd
                .attrs
                .get("shutdown")
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|&t| t != 0)
                .map(crate::cib::time::Instant);
            let now = self.cluster.now;
            let rsc = self.cluster.rsc_mut(r);
            rsc.lock_node = Some(n);
            rsc.lock_time = shutdown.or(Some(now));
        } else {
            return;
        }
        let Some(lock) = self.cluster.rsc(r).lock_node else {
            return;
        };
        for i in 0..self.cluster.nodes.len() {
            let n = NodeIdx(i as u32);
            if self.cluster.node(n).name != self.cluster.node(lock).name {
                self.resource_location(r, Some(n), Score::MINUS_INFINITY, false);
            }
        }
    }

    pub fn legacy_failcounts(&self) -> bool {
        super::failcount::legacy_fail_counts(self.cib)
    }

    /// `pcmk__apply_location` (primitive/group: apply to the resource; a
    /// group passes the location on to its members too).
    fn apply_location(&mut self, li: usize) {
        let r = self.locations[li].rsc;
        self.apply_location_to(r, li);
    }

    fn apply_location_to(&mut self, r: RscIdx, li: usize) {
        let nodes = self.locations[li].nodes.clone();
        self.apply_location_nodes(r, li, &nodes);
    }

    /// Apply one location's node scores to a resource; a group applies it
    /// to itself and its members (a colocated group's later members get the
    /// nodes with zero scores, since the first member carries them).
    pub(super) fn apply_location_nodes(
        &mut self,
        r: RscIdx,
        li: usize,
        nodes: &[(NodeIdx, Score)],
    ) {
        let (role_filter, discover) = (self.locations[li].role_filter, self.locations[li].discover);
        let rsc = self.cluster.rsc(r);
        if rsc.variant == Variant::Group {
            let reset = self.group_colocated(r);
            self.apply_location_one(r, role_filter, discover, nodes);
            let zeroed: Vec<(NodeIdx, Score)> =
                nodes.iter().map(|(n, _)| (*n, Score::ZERO)).collect();
            for (i, c) in self.cluster.rsc(r).children.clone().into_iter().enumerate() {
                let list = if reset && i > 0 { &zeroed[..] } else { nodes };
                self.apply_location_nodes(c, li, list);
            }
            return;
        }
        if rsc.variant == Variant::Bundle {
            self.bundle_apply_location(r, li, nodes);
            return;
        }
        if rsc.variant == Variant::Clone {
            self.apply_location_one(r, role_filter, discover, nodes);
            for c in self.cluster.rsc(r).children.clone() {
                self.apply_location_nodes(c, li, nodes);
            }
            return;
        }
        self.apply_location_one(r, role_filter, discover, nodes);
    }

    /// `pcmk__apply_location` for one resource.
    pub(super) fn apply_location_one(
        &mut self,
        r: RscIdx,
        role_filter: Role,
        discover: Discover,
        nodes: &[(NodeIdx, Score)],
    ) {
        if role_filter > Role::Unknown && role_filter != self.cluster.rsc(r).next_role {
            return;
        }
        if nodes.is_empty() {
            return;
        }
        for (n, w) in nodes {
            let allowed = &mut self.rs[r.i()].allowed;
            match allowed.get_mut(n) {
                None => {
                    allowed.insert(
                        *n,
                        Allowed {
                            weight: *w,
                            discover,
                        },
                    );
                }
                Some(e) => {
                    e.weight = e.weight.add(*w);
                    if e.discover < discover {
                        e.discover = discover;
                    }
                }
            }
        }
        if discover == Discover::Exclusive {
            self.cluster.rsc_mut(r).exclusive_discover = true;
        }
    }

    fn apply_stickiness(&mut self, r: RscIdx) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            for c in rsc.children.clone() {
                self.apply_stickiness(c);
            }
            return;
        }
        if !rsc.managed || rsc.stickiness.0 < 1 || rsc.running_on.len() != 1 {
            return;
        }
        let node = rsc.running_on[0];
        if !self.cluster.options.symmetric && !self.rs[r.i()].allowed.contains_key(&node) {
            return;
        }
        let s = rsc.stickiness;
        self.resource_location(r, Some(node), s, false);
    }

    fn check_failure_threshold(&mut self, r: RscIdx, n: NodeIdx, legacy: bool) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            for c in rsc.children.clone() {
                self.check_failure_threshold(c, n, legacy);
            }
            return;
        }
        // Cheapest test first: each one alone ends the check.
        if rsc.migration_threshold == 0 || rsc.failure_ignored {
            return;
        }
        let count = self.fail_count_with_fillers(n, r, legacy);
        if count <= 0 {
            return;
        }
        let clear_key = super::action::op_key(&rsc.id, "clear_failcount", 0);
        let list = &self.rs[r.i()].actions;
        if !self
            .find_actions_exact(list, &clear_key, Some(n))
            .is_empty()
        {
            return;
        }
        let ban = if rsc.unique {
            r
        } else {
            self.cluster.top_of(r)
        };
        if rsc.migration_threshold - count <= 0 {
            self.resource_location(ban, Some(n), Score::MINUS_INFINITY, false);
        }
    }

    /// `pe_get_failcount` with `pe_fc_fillers`: a container's failures
    /// include those of the resources inside it (outside bundles).
    pub(super) fn fail_count_with_fillers(&self, n: NodeIdx, r: RscIdx, legacy: bool) -> i32 {
        let (mut count, _) = super::failcount::fail_count(&self.cluster, n, r, true, legacy);
        if !self.cluster.is_bundled(r) {
            for &f in &self.cluster.rsc(r).fillers {
                if f != r {
                    let (c, _) = super::failcount::fail_count(&self.cluster, n, f, true, legacy);
                    count = Score(count).add(Score(c)).0;
                }
            }
        }
        count
    }

    /// Where `r` (or its top resource) is discovered exclusively, every
    /// allowed node not named by an exclusive location is banned.
    fn apply_exclusive_discovery(&mut self, r: RscIdx) {
        let top = self.cluster.top_of(r);
        if !(self.cluster.rsc(r).exclusive_discover || self.cluster.rsc(top).exclusive_discover) {
            return;
        }
        for i in 0..self.cluster.rsc(r).children.len() {
            let c = self.cluster.rsc(r).children[i];
            self.apply_exclusive_discovery(c);
        }
        for a in self.rs[r.i()].allowed.values_mut() {
            if a.discover != Discover::Exclusive {
                a.weight = Score::MINUS_INFINITY;
            }
        }
    }

    // ----- assignment -----

    pub fn allocate_resources(&mut self) {
        self.sort_resources();
        let tops = self.top_resources();
        // Remote connections first.
        for &r in &tops {
            if self.cluster.rsc(r).is_remote_node {
                let prefer = self.cluster.rsc(r).partial_migration_target;
                self.assign(r, prefer);
            }
        }
        for &r in &tops {
            if !self.cluster.rsc(r).is_remote_node {
                self.assign(r, None);
            }
        }
    }

    pub fn assign(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> Option<NodeIdx> {
        match self.cluster.rsc(r).variant {
            Variant::Primitive => self.assign_primitive(r, prefer),
            Variant::Group => self.assign_group(r, prefer),
            Variant::Clone => self.assign_clone(r, prefer),
            Variant::Bundle => self.assign_bundle(r, prefer),
        }
    }

    fn assign_group(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> Option<NodeIdx> {
        if !self.cluster.rsc(r).provisional {
            return self.cluster.rsc(r).assigned_to;
        }
        if self.rs[r.i()].allocating {
            return None;
        }
        let children = self.cluster.rsc(r).children.clone();
        if children.is_empty() {
            self.cluster.rsc_mut(r).provisional = false;
            return None;
        }
        self.rs[r.i()].allocating = true;
        let first = children[0];
        self.cluster.rsc_mut(r).role = self.cluster.rsc(first).role;
        self.expand_group_colocations(r);
        self.record_scores("pcmk__group_assign", r);
        let mut first_assigned = None;
        for &c in &children {
            let n = self.assign(c, prefer);
            if first_assigned.is_none() {
                first_assigned = n;
            }
        }
        let nr = self.cluster.rsc(first).next_role;
        self.set_next_role(r, nr);
        self.rs[r.i()].allocating = false;
        self.cluster.rsc_mut(r).provisional = false;
        if !self.group_colocated(r) {
            return None;
        }
        first_assigned
    }

    pub fn group_colocated(&self, r: RscIdx) -> bool {
        self.cluster
            .rsc(r)
            .meta
            .get("collocated")
            .is_none_or(|v| crate::cib::load::parse_bool(v))
    }

    pub fn group_ordered(&self, r: RscIdx) -> bool {
        self.cluster
            .rsc(r)
            .meta
            .get("ordered")
            .is_none_or(|v| crate::cib::load::parse_bool(v))
    }

    fn expand_group_colocations(&mut self, r: RscIdx) {
        let children = self.cluster.rsc(r).children.clone();
        let Some(&first) = children.first() else {
            return;
        };
        let this_with = std::mem::take(&mut self.rs[r.i()].this_with);
        for &c in &this_with {
            self.add_this_with(first, c);
        }
        let mut any_unmanaged = !self.cluster.rsc(first).managed;
        for &m in &children[1..] {
            if any_unmanaged {
                for &c in &this_with {
                    if self.coloc(c).score == INFINITY {
                        self.add_this_with(m, c);
                    }
                }
            } else if !self.cluster.rsc(m).managed {
                any_unmanaged = true;
            }
        }
        let with_this = std::mem::take(&mut self.rs[r.i()].with_this);
        if let Some(&last) = children.last() {
            for c in with_this {
                self.add_with_this(last, c);
            }
        }
    }

    pub fn set_next_role(&mut self, r: RscIdx, role: Role) {
        self.cluster.rsc_mut(r).next_role = role;
    }

    fn assign_primitive(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> Option<NodeIdx> {
        if let Some(p) = self.cluster.rsc(r).parent {
            if !self.rs[p.i()].allocating {
                self.assign(p, prefer);
            }
        }
        if !self.cluster.rsc(r).provisional {
            return self.cluster.rsc(r).assigned_to;
        }
        if self.rs[r.i()].allocating {
            return None;
        }
        self.rs[r.i()].allocating = true;
        self.trace_mark(Label::Unattributed("assignment"));
        // A bundle's containers take the bundle's colocations too (releases
        // that give them to its promotable instances): their primaries are
        // assigned first, before the instances' roles are chosen.
        if self.cib.pacemaker.promotion_with_bundle_colocations {
            if let Some(bundle) = self.replica_container_of(r) {
                for c in self.rs[bundle.i()].this_with.clone() {
                    let primary = self.coloc(c).primary;
                    self.assign(primary, None);
                }
            }
        }
        self.trace_mark(Label::Unattributed("assigning primaries"));
        for c in self.rs[r.i()].this_with.clone() {
            self.apply_this_with(r, c);
        }
        for c in self.rs[r.i()].with_this.clone() {
            self.apply_with_this(r, c, CO_SELECT_ACTIVE);
            self.trace_mark(Label::WithThis(c));
        }
        let (role, next) = (self.cluster.rsc(r).role, self.cluster.rsc(r).next_role);
        if next == Role::Stopped {
            self.resource_location(r, None, Score::MINUS_INFINITY, false);
            self.trace_mark(Label::RoleStopped);
        } else if next > role
            && !self.have_quorum()
            && self.cluster.options.no_quorum_policy == super::model::NoQuorumPolicy::Freeze
        {
            self.set_next_role(r, role);
        }
        self.record_scores("pcmk__primitive_assign", r);
        if self.cluster.options.stonith_enabled && !self.cluster.options.have_stonith_resource {
            self.cluster.rsc_mut(r).managed = false;
        }
        if !self.cluster.rsc(r).managed {
            let role = self.cluster.rsc(r).role;
            self.set_next_role(r, role);
            let to = self.current_node(r);
            self.finalize_assignment(r, to, true);
            // An unmanaged resource keeps its current node, which carries
            // the node's own score, not the resource's.
            if let Some(n) = to {
                self.rs[r.i()].assigned_weight = Some(self.cluster.node(n).weight);
            }
        } else if self.cluster.options.stop_all_resources {
            self.finalize_assignment(r, None, true);
        } else if self.cluster.rsc(r).provisional && self.assign_best_node(r, prefer) {
            // assigned
        }
        self.rs[r.i()].allocating = false;
        if self.cluster.rsc(r).is_remote_node {
            self.remote_connection_assigned(r);
        }
        self.cluster.rsc(r).assigned_to
    }

    fn remote_connection_assigned(&mut self, r: RscIdx) {
        let id = self.cluster.rsc(r).id.clone();
        let Some(n) = self
            .cluster
            .nodes
            .iter()
            .position(|n| n.id == id || n.name == id)
        else {
            return;
        };
        let assigned = self.cluster.rsc(r).assigned_to.is_some();
        let next = self.cluster.rsc(r).next_role;
        let node = &mut self.cluster.nodes[n];
        if assigned && next != Role::Stopped {
            node.online = true;
            if node.unseen {
                node.unclean = false;
            }
        } else {
            node.shutdown = true;
        }
    }

    fn assign_best_node(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> bool {
        let most_free = self.ban_insufficient_capacity(r);
        self.trace_mark(Label::Utilization);
        let prefer = prefer.or(most_free);
        if !self.cluster.rsc(r).provisional {
            return self.cluster.rsc(r).assigned_to.is_some();
        }
        let current = self.current_node(r);
        let nodes = self.sort_nodes(&self.rs[r.i()].allowed, current);
        let best = nodes.first().copied();
        let mut chosen: Option<(NodeIdx, Score)> = None;
        if let (Some(p), Some(b)) = (prefer, best) {
            if let Some(a) = self.rs[r.i()].allowed.get(&p) {
                if a.weight >= b.1 && self.node_available(p, Some(a.weight), false) {
                    chosen = Some((p, a.weight));
                }
            }
        }
        if chosen.is_none() {
            if let Some(b) = best {
                chosen = Some(b);
                let unique_clone_child = self.cluster.rsc(r).parent.is_some_and(|p| {
                    self.cluster.rsc(p).variant == Variant::Clone && self.cluster.rsc(p).unique
                });
                if !unique_clone_child && b.1 .0 > 0 && self.node_available(b.0, None, false) {
                    if let Some(running) = current {
                        let running_ok = self.rs[r.i()]
                            .allowed
                            .get(&running)
                            .map(|a| self.node_available(running, Some(a.weight), false))
                            .unwrap_or_else(|| {
                                self.node_available(
                                    running,
                                    Some(self.cluster.node(running).weight),
                                    false,
                                )
                            });
                        if running_ok {
                            for &(n, w) in &nodes[1..] {
                                if w != b.1 {
                                    break;
                                }
                                if n == running {
                                    chosen = Some((n, w));
                                }
                            }
                        }
                    }
                }
            }
        }
        self.finalize_assignment(r, chosen.map(|c| c.0), false)
    }

    /// `pcmk__finalize_assignment`.
    pub fn finalize_assignment(&mut self, r: RscIdx, chosen: Option<NodeIdx>, force: bool) -> bool {
        let mut chosen = chosen;
        if !force {
            if let Some(n) = chosen {
                let w = self.rs[r.i()]
                    .allowed
                    .get(&n)
                    .map(|a| a.weight)
                    .unwrap_or(Score::MINUS_INFINITY);
                // A guest node counts as available here even when it is
                // not up yet: the graph may assume its connection will start.
                let guest = self.cluster.node(n).kind == super::model::NodeKind::Guest;
                if w.0 < 0 || (!self.node_available(n, Some(w), false) && !guest) {
                    chosen = None;
                }
            }
        }
        self.cluster.rsc_mut(r).provisional = false;
        match chosen {
            None => {
                self.cluster.rsc_mut(r).assigned_to = None;
                self.set_next_role(r, Role::Stopped);
                // Its actions so far follow the failed assignment: a stop is
                // required, a start cannot run, nor can a recurring action
                // other than a stopped-role monitor, a cancellation of one
                // included (the cancel waits for the stop, which may never
                // come).
                use super::action::af;
                for a in self.rs[r.i()].actions.clone() {
                    let act = self.am(a);
                    if act.task.eq_ignore_ascii_case("stop") {
                        act.clear(af::OPTIONAL);
                    } else if act.task.eq_ignore_ascii_case("start") {
                        act.clear(af::RUNNABLE);
                    } else if (act.interval_ms != 0
                        || act.meta.get("interval").is_some_and(|i| i != "0"))
                        && act.meta.get("op_target_rc").is_none_or(|rc| rc != "7")
                    {
                        act.clear(af::RUNNABLE);
                    }
                }
                false
            }
            Some(n) => {
                self.cluster.rsc_mut(r).assigned_to = Some(n);
                self.rs[r.i()].assigned_weight = Some(
                    self.rs[r.i()]
                        .allowed
                        .get(&n)
                        .map_or(self.cluster.node(n).weight, |a| a.weight),
                );
                self.node_assigned[n.i()] += 1;
                self.consume_node_capacity(n, r);
                true
            }
        }
    }

    // ----- colocations during assignment -----

    fn apply_this_with(&mut self, r: RscIdx, c: ColocId) {
        let col = self.coloc(c).clone();
        let archive =
            if col.dependent_role >= Role::Promoted || (col.score < 0 && col.score > -INFINITY) {
                Some(self.rs[r.i()].allowed.clone())
            } else {
                None
            };
        if self.cluster.rsc(col.primary).provisional
            || !self.cib.pacemaker.coloc_assigns_unassigned_primary_only
        {
            self.assign(col.primary, None);
        }
        self.trace_mark(Label::Unattributed("assigning primaries"));
        self.apply_coloc_score(r, col.primary, c);
        self.trace_mark(Label::ThisWith(c));
        if let Some(saved) = archive {
            if !self.any_node_available(&self.rs[r.i()].allowed) {
                self.rs[r.i()].allowed = saved;
                self.trace_mark(Label::Reverted(c));
            }
        }
    }

    /// Let a colocation's dependent weigh in on `r`'s node scores, as
    /// primitives (active nodes) and clones (active, non-negative) do.
    pub(super) fn apply_with_this(&mut self, r: RscIdx, c: ColocId, select: u32) {
        let col = self.coloc(c).clone();
        if !self.colocation_has_influence(c, None) {
            return;
        }
        let factor = col.score as f32 / INFINITY as f32;
        let mut table = self.rs[r.i()].allowed.clone();
        self.add_colocated_node_scores(
            col.dependent,
            &mut table,
            col.node_attribute.as_deref(),
            factor,
            select,
        );
        self.rs[r.i()].allowed = table;
    }

    /// `pcmk__colocation_has_influence`: the dependent influences the
    /// primary (or `rsc`) only if influence is on or it is not active yet.
    pub fn colocation_has_influence(&self, c: ColocId, rsc: Option<RscIdx>) -> bool {
        let col = self.coloc(c);
        let r = rsc.unwrap_or(col.primary);
        let res = self.cluster.rsc(r);
        if self.cluster.rsc(col.dependent).allow_remote_remotes
            && !res.failed
            && res.running_on.len() == 1
        {
            return false;
        }
        col.influence || res.running_on.is_empty()
    }

    /// Apply a colocation on behalf of its dependent (the dependent's
    /// `apply_coloc_score` with `for_dependent`).
    pub fn apply_coloc_score(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        match self.cluster.rsc(dependent).variant {
            Variant::Group => self.colocate_group_with(dependent, primary, c),
            _ => self.apply_coloc_for_primary(dependent, primary, c),
        }
    }

    /// Apply a colocation on behalf of its primary (the primary's
    /// `apply_coloc_score`), the dependent being a primitive.
    pub fn apply_coloc_for_primary(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        match self.cluster.rsc(primary).variant {
            Variant::Group => self.colocate_with_group(dependent, primary, c),
            Variant::Clone => self.clone_apply_coloc_score(dependent, primary, c),
            Variant::Bundle => self.bundle_apply_coloc_score(dependent, primary, c),
            _ => self.primitive_apply_coloc(dependent, primary, c),
        }
    }

    fn colocate_group_with(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        let children = self.cluster.rsc(dependent).children.clone();
        if children.is_empty() {
            return;
        }
        if self.group_colocated(dependent) {
            self.apply_coloc_score(children[0], primary, c);
            return;
        }
        if self.coloc(c).score >= INFINITY {
            return;
        }
        for m in children {
            self.apply_coloc_score(m, primary, c);
        }
    }

    fn colocate_with_group(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        if self.cluster.rsc(primary).provisional {
            return;
        }
        let children = self.cluster.rsc(primary).children.clone();
        if self.group_colocated(primary) {
            let member = if self.coloc(c).score >= INFINITY {
                children.last().copied()
            } else {
                children.first().copied()
            };
            if let Some(m) = member {
                self.apply_coloc_for_primary(dependent, m, c);
            }
            return;
        }
        if self.coloc(c).score >= INFINITY {
            return;
        }
        for m in children {
            self.apply_coloc_for_primary(dependent, m, c);
        }
    }

    fn primitive_apply_coloc(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        match self.colocation_affects(dependent, primary, c, false) {
            CoAffects::Role => self.apply_coloc_to_priority(dependent, primary, c),
            CoAffects::Location => self.apply_coloc_to_weights(dependent, primary, c),
            CoAffects::Nothing => {}
        }
    }

    /// `pcmk__colocation_affects`.
    pub fn colocation_affects(
        &self,
        dependent: RscIdx,
        primary: RscIdx,
        c: ColocId,
        preview: bool,
    ) -> CoAffects {
        let col = self.coloc(c);
        let (d, p) = (self.cluster.rsc(dependent), self.cluster.rsc(primary));
        if !preview && p.provisional {
            return CoAffects::Nothing;
        }
        if self.cib.pacemaker.colocation_roles_as_written {
            let d_role = self.cluster.rsc(self.role_resource(dependent));
            let p_role = self.cluster.rsc(self.role_resource(primary));
            if col.dependent_role >= Role::Unpromoted
                && d_role
                    .parent
                    .is_some_and(|par| self.cluster.rsc(par).promotable)
                && !d_role.provisional
            {
                return CoAffects::Role;
            }
            if !preview && !d.provisional {
                return CoAffects::Nothing;
            }
            let differs = |want: Role, next: Role| want != Role::Unknown && want != next;
            if differs(col.dependent_role, d_role.next_role)
                || differs(col.primary_role, p_role.next_role)
            {
                return CoAffects::Nothing;
            }
            return CoAffects::Location;
        }
        if col.dependent_role >= Role::Unpromoted
            && d.parent.is_some_and(|par| self.cluster.rsc(par).promotable)
            && !d.provisional
        {
            return CoAffects::Role;
        }
        if !preview && !d.provisional {
            return CoAffects::Nothing;
        }
        if col.score > 0 && col.dependent_role != Role::Unknown && col.dependent_role != d.next_role
        {
            return CoAffects::Nothing;
        }
        if col.score > 0 && col.primary_role != Role::Unknown && col.primary_role != p.next_role {
            return CoAffects::Nothing;
        }
        if col.score < 0 && col.dependent_role != Role::Unknown && col.dependent_role == d.next_role
        {
            return CoAffects::Nothing;
        }
        if col.score < 0 && col.primary_role != Role::Unknown && col.primary_role == p.next_role {
            return CoAffects::Nothing;
        }
        CoAffects::Location
    }

    /// The resource whose role a colocation compares: for a bundle
    /// replica's container, the bundled instance inside it.
    fn role_resource(&self, r: RscIdx) -> RscIdx {
        let replica_child = self
            .cluster
            .rsc(r)
            .parent
            .and_then(|b| self.cluster.rsc(b).bundle.as_ref())
            .and_then(|data| data.replicas.iter().find(|rep| rep.container == r))
            .and_then(|rep| rep.child);
        replica_child.unwrap_or(r)
    }

    /// A colocation's node attribute on `n` for `rsc`: for the instances of
    /// a bundle's inner resource on its guest nodes, the attribute of the
    /// replica's host (releases that look there; else the node's own).
    fn coloc_node_attr(&self, n: NodeIdx, attr: &str, rsc: RscIdx) -> Option<&str> {
        let bundled = self.cib.pacemaker.colocation_roles_as_written && {
            let top = match self.cluster.rsc(rsc).parent {
                Some(p) if self.cluster.rsc(p).variant == Variant::Clone => p,
                _ => rsc,
            };
            // The bundled resource itself, not a container or IP.
            self.parent_bundle(top)
                .is_some_and(|b| self.bundle_child(b) == Some(top))
        };
        if bundled {
            let host = self.bundle_node_host(n)?;
            return self.node_attr_value(host, attr);
        }
        self.node_attr_value(n, attr)
    }

    fn node_attr_value(&self, n: NodeIdx, attr: &str) -> Option<&str> {
        self.cluster.node(n).attrs.get(attr).map(String::as_str)
    }

    fn apply_coloc_to_weights(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        let col = self.coloc(c).clone();
        let attr = col.node_attribute.clone().unwrap_or_else(|| "#id".into());
        let p_assigned = self.cluster.rsc(primary).assigned_to;
        let value = match p_assigned {
            Some(n) => self.node_attr_value(n, &attr),
            None if col.score < 0 => return,
            None => None,
        };
        let mut work = self.rs[dependent.i()].allowed.clone();
        let score = Score(col.score);
        for (n, a) in work.iter_mut() {
            if p_assigned.is_none() {
                a.weight = Score(-col.score).add(a.weight);
            } else if eq_ci(self.node_attr_value(*n, &attr), value) {
                if col.score < INFINITY {
                    a.weight = score.add(a.weight);
                }
            } else if col.score >= INFINITY {
                a.weight = Score(-col.score).add(a.weight);
            }
        }
        if col.score <= -INFINITY || col.score >= INFINITY || self.any_node_available(&work) {
            self.rs[dependent.i()].allowed = work;
        }
    }

    fn apply_coloc_to_priority(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        let col = self.coloc(c).clone();
        if self.cib.pacemaker.colocation_roles_as_written {
            let Some(dn) = self.cluster.rsc(dependent).assigned_to else {
                return;
            };
            let pn = self.cluster.rsc(primary).assigned_to;
            if pn.is_some()
                && col.primary_role != Role::Unknown
                && col.primary_role != self.cluster.rsc(self.role_resource(primary)).next_role
            {
                return;
            }
            let attr = col.node_attribute.clone().unwrap_or_else(|| "#id".into());
            let dv = self.coloc_node_attr(dn, &attr, dependent);
            let pv = pn.and_then(|pn| self.coloc_node_attr(pn, &attr, primary));
            let mult = if !eq_ci(dv, pv) {
                if col.score == INFINITY && col.dependent_role == Role::Promoted {
                    -1
                } else {
                    return;
                }
            } else if col.dependent_role == Role::Unpromoted {
                -1
            } else {
                1
            };
            let cur = Score(self.cluster.rsc(dependent).priority);
            self.cluster.rsc_mut(dependent).priority = Score(mult * col.score).add(cur).0;
            return;
        }
        let (Some(pn), Some(dn)) = (
            self.cluster.rsc(primary).assigned_to,
            self.cluster.rsc(dependent).assigned_to,
        ) else {
            return;
        };
        let attr = col.node_attribute.clone().unwrap_or_else(|| "#id".into());
        let same_place = eq_ci(
            self.node_attr_value(dn, &attr),
            self.node_attr_value(pn, &attr),
        );
        if !same_place {
            if col.score == INFINITY && col.dependent_role == Role::Promoted {
                self.cluster.rsc_mut(dependent).priority = -INFINITY;
            }
            return;
        }
        if col.primary_role != Role::Unknown
            && col.primary_role != self.cluster.rsc(primary).next_role
        {
            return;
        }
        let mult = if col.dependent_role == Role::Unpromoted {
            -1
        } else {
            1
        };
        let cur = self.cluster.rsc(dependent).priority;
        self.cluster.rsc_mut(dependent).priority = Score(mult * col.score).add(Score(cur)).0;
    }

    /// `pcmk__add_colocated_node_scores`: merge a colocated resource's node
    /// preferences (attenuated by `factor`) into `table`.
    pub fn add_colocated_node_scores(
        &mut self,
        r: RscIdx,
        table: &mut NodeMap<Allowed>,
        attr: Option<&str>,
        factor: f32,
        flags: u32,
    ) {
        if self.rs[r.i()].merging {
            return;
        }
        self.rs[r.i()].merging = true;
        let mut work;
        if self.cluster.rsc(r).variant == Variant::Group {
            let children = self.cluster.rsc(r).children.clone();
            let Some(&member) = children.first() else {
                self.rs[r.i()].merging = false;
                return;
            };
            work = table.clone();
            self.add_colocated_node_scores(member, &mut work, attr, factor, flags);
        } else {
            work = table.clone();
            self.add_node_scores_matching_attr(
                &mut work,
                r,
                attr,
                factor,
                flags & CO_SELECT_NONNEGATIVE != 0,
            );
        }
        if self.any_node_available(&work) {
            let multiplier: f32 = if factor < 0.0 { -1.0 } else { 1.0 };
            let list: Vec<ColocId> = if flags & CO_SELECT_THIS_WITH != 0 {
                self.rs[r.i()].this_with.clone()
            } else if self.cluster.rsc(r).variant == Variant::Group {
                let last = self.cluster.rsc(r).children.last().copied();
                last.map(|l| self.rs[l.i()].with_this.clone())
                    .unwrap_or_default()
            } else {
                self.rs[r.i()].with_this.clone()
            };
            for c in list {
                let col = self.coloc(c).clone();
                let other = if flags & CO_SELECT_THIS_WITH != 0 {
                    col.primary
                } else if !self.colocation_has_influence(c, None) {
                    continue;
                } else {
                    col.dependent
                };
                let f = multiplier * col.score as f32 / INFINITY as f32;
                self.add_colocated_node_scores(
                    other,
                    &mut work,
                    col.node_attribute.as_deref(),
                    f,
                    flags | CO_SELECT_ACTIVE,
                );
            }
        } else if flags & CO_SELECT_ACTIVE != 0 {
            self.rs[r.i()].merging = false;
            return;
        }
        if flags & CO_SELECT_NONNEGATIVE != 0 {
            for a in work.values_mut() {
                if a.weight.0 == INFINITY_HACK {
                    a.weight = Score(1);
                }
            }
        }
        *table = work;
        self.rs[r.i()].merging = false;
    }

    fn add_node_scores_matching_attr(
        &self,
        table: &mut NodeMap<Allowed>,
        r: RscIdx,
        attr: Option<&str>,
        factor: f32,
        only_positive: bool,
    ) {
        let attr = attr.unwrap_or("#uname");
        // The best score of r's available nodes per attribute value (nodes
        // with equal values share a class), then one lookup per node of the
        // table instead of a comparison with each of r's nodes.
        let classes = self.attr_classes(attr);
        let mut best = vec![-INFINITY; classes.count];
        for (n, a) in &self.rs[r.i()].allowed {
            if self.node_available(*n, None, false) {
                let c = classes.of(*n);
                best[c] = best[c].max(a.weight.0);
            }
        }
        let keys: Vec<NodeIdx> = table.keys().copied().collect();
        for n in keys {
            let score = best[classes.of(n)];
            let Some(entry) = table.get_mut(&n) else {
                continue;
            };
            if factor < 0.0 && score < 0 {
                continue;
            }
            if entry.weight.0 == INFINITY_HACK {
                continue;
            }
            let wf = factor * score as f32;
            let mut weight = if wf < 0.0 {
                (wf - 0.5) as i32
            } else {
                (wf + 0.5) as i32
            };
            if weight == 0 && score != 0 {
                if factor > 0.0 {
                    weight = 1;
                } else if factor < 0.0 {
                    weight = -1;
                }
            }
            let new_score = Score(weight).add(entry.weight);
            if only_positive && new_score.0 < 0 && entry.weight.0 > 0 {
                entry.weight = Score(INFINITY_HACK);
                continue;
            }
            if only_positive && new_score.0 < 0 && entry.weight.0 == 0 {
                continue;
            }
            entry.weight = new_score;
        }
    }

    /// Order a resource's start after its probe when the probe is needed
    /// (used by constraints between two resources).
    pub fn unused_order_hint(&self) -> u32 {
        of::OPTIONAL
    }
}

pub const CO_SELECT_ACTIVE: u32 = 1;
pub const CO_SELECT_NONNEGATIVE: u32 = 2;
pub const CO_SELECT_THIS_WITH: u32 = 4;

/// The nodes grouped by the value of one node attribute, compared as
/// Pacemaker compares them (ASCII case-insensitively; nodes without the
/// attribute form a class of their own).
#[derive(Debug)]
pub struct AttrClasses {
    class: Vec<usize>,
    count: usize,
}

impl AttrClasses {
    fn of(&self, n: NodeIdx) -> usize {
        self.class.get(n.i()).copied().unwrap_or(0)
    }
}

impl Scheduler<'_> {
    fn attr_classes(&self, attr: &str) -> std::rc::Rc<AttrClasses> {
        if let Some(c) = self.attr_classes.borrow().get(attr) {
            return std::rc::Rc::clone(c);
        }
        // Class 0: no value.
        let mut ids: HashMap<String, usize> = HashMap::new();
        let class = (0..self.cluster.nodes.len())
            .map(|i| match self.node_attr_value(NodeIdx(i as u32), attr) {
                None => 0,
                Some(v) => {
                    let next = ids.len() + 1;
                    *ids.entry(v.to_ascii_lowercase()).or_insert(next)
                }
            })
            .collect();
        let classes = std::rc::Rc::new(AttrClasses {
            class,
            count: ids.len() + 1,
        });
        self.attr_classes
            .borrow_mut()
            .insert(attr.to_owned(), std::rc::Rc::clone(&classes));
        classes
    }
}

fn eq_ci(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        (None, None) => true,
        _ => false,
    }
}
