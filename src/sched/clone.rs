//! Clones: assigning instances to nodes, the clone's pseudo-actions and
//! their orderings with instance actions, probing instances, and orderings
//! and colocations that involve clones (interleaved or not).

use super::action::{af, of, ActionId};
use super::model::{NodeIdx, RscIdx, Variant};
use super::nodemap::NodeMap;
use super::state::{Allowed, ColocId, Scheduler};
use crate::cib::score::INFINITY;
use crate::cib::{Role, Score};
use std::cmp::Ordering;

/// `clone_strip`: an instance id or history name without its `:N`
/// instance suffix.
pub fn clone_strip(id: &str) -> &str {
    match id.rsplit_once(':') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

/// Which side of an ordering an update changed (as in orderings.rs).
const UPDATED_FIRST: u32 = 1;
const UPDATED_THEN: u32 = 2;

/// What instance ordering compares, gathered up front so the comparison
/// itself needs no mutable access.
#[derive(Clone, Debug)]
pub(super) struct InstanceKey {
    pub(super) idx: RscIdx,
    pub(super) number: i64,
    pub(super) active_count: usize,
    /// `pe__find_active_on`'s node, if it is still allowed for the instance.
    pub(super) allowed_node: Option<NodeIdx>,
    pub(super) disallowed: bool,
    pub(super) priority: i32,
    pub(super) node_available: bool,
    /// The parent's allowed entry for the node: present, and its count.
    pub(super) parent_count: Option<u32>,
    pub(super) failed: bool,
    /// Score on the current node after the parent's colocations.
    pub(super) coloc_score: Option<i32>,
}

#[cfg(test)]
impl InstanceKey {
    pub(super) fn for_test(n: i64) -> InstanceKey {
        InstanceKey {
            idx: RscIdx(n as u32),
            number: n,
            active_count: 0,
            allowed_node: None,
            disallowed: false,
            priority: 0,
            node_available: false,
            parent_count: None,
            failed: false,
            coloc_score: None,
        }
    }
}

/// `pcmk__cmp_instance`: the order in which instances get assigned.
pub(super) fn cmp_instance(a: &InstanceKey, b: &InstanceKey) -> Ordering {
    if a.active_count > 0 && b.active_count > 0 {
        match a.active_count.cmp(&b.active_count) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    match (a.disallowed, b.disallowed) {
        (false, true) => return Ordering::Less,
        (true, false) => return Ordering::Greater,
        _ => {}
    }
    match b.priority.cmp(&a.priority) {
        Ordering::Equal => {}
        o => return o,
    }
    match (a.allowed_node, b.allowed_node) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        _ => {}
    }
    match (a.node_available, b.node_available) {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    match (a.parent_count, b.parent_count) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        (Some(x), Some(y)) => match x.cmp(&y) {
            Ordering::Equal => {}
            o => return o,
        },
    }
    match (a.failed, b.failed) {
        (false, true) => return Ordering::Less,
        (true, false) => return Ordering::Greater,
        _ => {}
    }
    if let (Some(x), Some(y)) = (a.coloc_score, b.coloc_score) {
        match y.cmp(&x) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.number.cmp(&b.number)
}

/// `pcmk__cmp_instance` on gathered keys: colocation scores only count
/// when both instances are active somewhere.
pub(super) fn cmp_instance_keys(a: &InstanceKey, b: &InstanceKey) -> Ordering {
    if a.coloc_score.is_none() || b.coloc_score.is_none() {
        let (mut a, mut b) = (a.clone(), b.clone());
        a.coloc_score = None;
        b.coloc_score = None;
        return cmp_instance(&a, &b);
    }
    cmp_instance(a, b)
}

/// GLib's list merge sort (stable; first half gets `n / 2` items), so that
/// a comparison that is not a strict total order still yields the order
/// Pacemaker gets.
pub(super) fn list_sort<T: Clone>(v: &[T], cmp: &dyn Fn(&T, &T) -> Ordering) -> Vec<T> {
    if v.len() < 2 {
        return v.to_vec();
    }
    let mid = v.len() / 2;
    let left = list_sort(&v[..mid], cmp);
    let right = list_sort(&v[mid..], cmp);
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if cmp(&left[i], &right[j]) != Ordering::Greater {
            out.push(left[i].clone());
            i += 1;
        } else {
            out.push(right[j].clone());
            j += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    out
}

/// The instance number after the last `:` (or `-` for bundle replicas).
pub fn instance_number(id: &str) -> i64 {
    let tail = match id.rfind(':').or_else(|| id.rfind('-')) {
        Some(p) => &id[p + 1..],
        None => return 0,
    };
    let digits = tail
        .find(|c: char| !c.is_ascii_digit())
        .map_or(tail, |end| &tail[..end]);
    digits.parse().unwrap_or(0)
}

impl Scheduler<'_> {
    fn clone_limits(&self, r: RscIdx) -> (u32, u32) {
        self.cluster
            .rsc(r)
            .clone
            .as_ref()
            .map(|c| (c.clone_max, c.clone_node_max))
            .unwrap_or((0, 1))
    }

    /// `native_location`: the one node a resource (or all of its
    /// descendants) is active on (`current`) or assigned to.
    pub fn rsc_location(&self, r: RscIdx, current: bool) -> Option<NodeIdx> {
        let mut nodes = Vec::new();
        self.collect_locations(r, current, &mut nodes);
        if nodes.len() == 1 {
            nodes.first().copied()
        } else {
            None
        }
    }

    pub(super) fn collect_locations(&self, r: RscIdx, current: bool, out: &mut Vec<NodeIdx>) {
        let rsc = self.cluster.rsc(r);
        let mine: Vec<NodeIdx> = if !rsc.children.is_empty() {
            let mut v = Vec::new();
            for &c in &rsc.children {
                self.collect_locations(c, current, &mut v);
            }
            v
        } else if current {
            rsc.running_on.clone()
        } else {
            rsc.assigned_to.into_iter().collect()
        };
        for n in mine {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }

    pub(super) fn any_flag_recursive(
        &self,
        r: RscIdx,
        f: &dyn Fn(&super::model::Resource) -> bool,
    ) -> bool {
        let rsc = self.cluster.rsc(r);
        f(rsc) || rsc.children.iter().any(|c| self.any_flag_recursive(*c, f))
    }

    // ----- assignment -----

    /// `pcmk__clone_allocate`.
    pub fn assign_clone(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> Option<NodeIdx> {
        if !self.cluster.rsc(r).provisional || self.rs[r.i()].allocating {
            return None;
        }
        if self.cluster.rsc(r).promotable {
            self.add_promotion_scores(r);
        }
        self.rs[r.i()].allocating = true;
        // Primaries first, so instance ordering can consider their placement.
        for c in self.rs[r.i()].this_with.clone() {
            let primary = self.coloc(c).primary;
            self.assign(primary, prefer);
        }
        self.trace_mark(super::trace::Label::Unattributed("assigning primaries"));
        for c in self.rs[r.i()].with_this.clone() {
            self.apply_with_this(
                r,
                c,
                super::assign::CO_SELECT_ACTIVE | super::assign::CO_SELECT_NONNEGATIVE,
            );
            self.trace_mark(super::trace::Label::WithThis(c));
        }
        self.record_scores(self.cib.pacemaker.clone_assign_fn, r);
        let sorted = self.sort_instances(r);
        self.cluster.rsc_mut(r).children = sorted.clone();
        let (max, node_max) = self.clone_limits(r);
        self.distribute_children(r, &sorted, max, node_max);
        if self.cluster.rsc(r).promotable {
            self.set_instance_roles(r);
        }
        self.rs[r.i()].allocating = false;
        self.cluster.rsc_mut(r).provisional = false;
        None
    }

    fn sort_instances(&mut self, r: RscIdx) -> Vec<RscIdx> {
        let children = self.cluster.rsc(r).children.clone();
        let keys: Vec<InstanceKey> = children.iter().map(|c| self.instance_key(r, *c)).collect();
        let sorted = list_sort(&keys, &cmp_instance_keys);
        sorted.into_iter().map(|k| k.idx).collect()
    }

    /// What `pcmk__cmp_instance` compares for instance `c` of clone `r`.
    pub(super) fn instance_key(&mut self, r: RscIdx, c: RscIdx) -> InstanceKey {
        {
            let (node, count, _) = self.find_active_on(c);
            let mut allowed_node = node;
            let mut disallowed = false;
            if let Some(n) = node {
                let ok = self.rs[c.i()]
                    .allowed
                    .get(&n)
                    .is_some_and(|a| a.weight.0 >= 0);
                if !ok {
                    allowed_node = None;
                    disallowed = true;
                }
            }
            let node_available = allowed_node.is_some_and(|n| self.node_available(n, None, false));
            let parent_count = allowed_node.and_then(|n| {
                self.rs[r.i()]
                    .allowed
                    .get(&n)
                    .map(|_| self.rs[r.i()].instance_count.get(&n).copied().unwrap_or(0))
            });
            let failed = self.any_flag_recursive(c, &|x| x.failed);
            let coloc_score = self
                .current_node(c)
                .map(|cur| self.parent_coloc_score(c, cur));
            InstanceKey {
                idx: c,
                number: instance_number(&self.cluster.rsc(c).id),
                active_count: count,
                allowed_node,
                disallowed,
                priority: self.cluster.rsc(c).priority,
                node_available,
                parent_count,
                failed,
                coloc_score,
            }
        }
    }

    /// The score an instance's current node gets from its parent's
    /// colocations (`cmp_instance_by_colocation`'s tables).
    fn parent_coloc_score(&mut self, c: RscIdx, cur: NodeIdx) -> i32 {
        let Some(p) = self.cluster.rsc(c).parent else {
            return 0;
        };
        let mut table: NodeMap<Allowed> = NodeMap::new();
        table.insert(
            cur,
            Allowed {
                weight: self.cluster.node(cur).weight,
                discover: super::state::Discover::Always,
            },
        );
        for cid in self.rs[p.i()].this_with.clone() {
            let col = self.coloc(cid).clone();
            self.add_colocated_node_scores(
                col.primary,
                &mut table,
                col.node_attribute.as_deref(),
                col.score as f32 / INFINITY as f32,
                0,
            );
        }
        for cid in self.rs[p.i()].with_this.clone() {
            if !self.colocation_has_influence(cid, Some(c)) {
                continue;
            }
            let col = self.coloc(cid).clone();
            self.add_colocated_node_scores(
                col.dependent,
                &mut table,
                col.node_attribute.as_deref(),
                col.score as f32 / INFINITY as f32,
                super::assign::CO_SELECT_NONNEGATIVE,
            );
        }
        table.get(&cur).map(|a| a.weight.0).unwrap_or(0)
    }

    /// `distribute_children`.
    pub(super) fn distribute_children(
        &mut self,
        r: RscIdx,
        children: &[RscIdx],
        max: u32,
        node_max: u32,
    ) {
        self.rs[r.i()].instance_count.clear();
        let available = self.rs[r.i()]
            .allowed
            .keys()
            .filter(|n| self.node_available(**n, None, false))
            .count() as u32;
        let all_coloc = max < available;
        let loop_max = max.checked_div(available).unwrap_or(1).max(1);
        let mut allocated = 0u32;
        // Keep instances where they are active, up to an even share per node.
        for &c in children {
            if allocated >= max {
                break;
            }
            let rsc = self.cluster.rsc(c);
            if rsc.running_on.is_empty() || !rsc.provisional || rsc.failed {
                continue;
            }
            let Some(node) = self.current_node(c) else {
                continue;
            };
            let w = self.cluster.node(node).weight;
            if !self.node_available(node, Some(w), false) {
                continue;
            }
            if self.rs[r.i()].allowed.contains_key(&node)
                && self.rs[r.i()]
                    .instance_count
                    .get(&node)
                    .copied()
                    .unwrap_or(0)
                    >= loop_max
            {
                continue;
            }
            if self
                .allocate_instance(c, Some(node), all_coloc, node_max)
                .is_some()
            {
                allocated += 1;
            }
        }
        for &c in children {
            if !self.cluster.rsc(c).provisional {
                continue;
            }
            if allocated >= max {
                self.trace_mark(super::trace::Label::Unattributed("assignment"));
                self.resource_location(c, None, Score::MINUS_INFINITY, false);
                self.trace_mark(super::trace::Label::InstanceLimit);
            } else if self
                .allocate_instance(c, None, all_coloc, node_max)
                .is_some()
            {
                allocated += 1;
            }
        }
    }

    /// `allocate_instance`.
    fn allocate_instance(
        &mut self,
        c: RscIdx,
        prefer: Option<NodeIdx>,
        all_coloc: bool,
        limit: u32,
    ) -> Option<NodeIdx> {
        if !self.cluster.rsc(c).provisional {
            return self.rsc_location(c, false);
        }
        if self.rs[c.i()].allocating {
            return None;
        }
        let parent = self.cluster.rsc(c).parent?;
        self.append_parent_colocation(parent, c, all_coloc);
        if let Some(p) = prefer {
            match self.rs[c.i()].allowed.get(&p) {
                Some(a) if a.weight.0 >= 0 => {}
                _ => return None,
            }
        }
        self.can_run_instance(c, parent, limit);
        let backup = self.rs[c.i()].allowed.clone();
        let mut chosen = self.assign(c, prefer);
        if let (Some(ch), Some(p)) = (chosen, prefer) {
            if ch != p {
                self.rs[c.i()].allowed = backup;
                self.unassign(c);
                chosen = None;
            }
        }
        if let Some(ch) = chosen {
            if self.rs[parent.i()].allowed.contains_key(&ch) {
                *self.rs[parent.i()].instance_count.entry(ch).or_insert(0) += 1;
            }
        }
        chosen
    }

    /// `pcmk__unassign_resource` (for the resource itself only).
    fn unassign(&mut self, r: RscIdx) {
        let Some(old) = self.cluster.rsc(r).assigned_to else {
            return;
        };
        let m = self.cluster.rsc_mut(r);
        m.provisional = true;
        m.assigned_to = None;
        let cnt = &mut self.node_assigned[old.i()];
        *cnt = cnt.saturating_sub(1);
        self.release_node_capacity(old, r);
    }

    /// `append_parent_colocation`: give the instance its clone's colocations.
    fn append_parent_colocation(&mut self, parent: RscIdx, child: RscIdx, all: bool) {
        for c in self.rs[parent.i()].this_with.clone() {
            let score = self.coloc(c).score;
            if all || score < 0 || score == INFINITY {
                self.add_this_with(child, c);
            }
        }
        for c in self.rs[parent.i()].with_this.clone() {
            if !self.colocation_has_influence(c, Some(child)) {
                continue;
            }
            if all || self.coloc(c).score < 0 {
                self.add_with_this(child, c);
            }
        }
    }

    /// `common_update_score`: add to a node's score here and below.
    fn update_score_recursive(&mut self, r: RscIdx, n: NodeIdx, score: Score) {
        if let Some(a) = self.rs[r.i()].allowed.get_mut(&n) {
            a.weight = a.weight.add(score);
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.update_score_recursive(c, n, score);
        }
    }

    /// `can_run_instance` for every node the instance is allowed on.
    fn can_run_instance(&mut self, c: RscIdx, parent: RscIdx, limit: u32) {
        self.trace_mark(super::trace::Label::Unattributed("assignment"));
        self.can_run_instance_nodes(c, parent, limit);
        self.trace_mark(super::trace::Label::InstanceLimit);
    }

    fn can_run_instance_nodes(&mut self, c: RscIdx, parent: RscIdx, limit: u32) {
        let nodes: Vec<NodeIdx> = self.rs[c.i()].allowed.keys().copied().collect();
        for n in nodes {
            if !self.node_available(n, None, false) || self.cluster.rsc(c).orphan {
                self.update_score_recursive(c, n, Score::MINUS_INFINITY);
                continue;
            }
            let Some(local) = self.rs[parent.i()].allowed.get(&n).copied() else {
                self.update_score_recursive(c, n, Score::MINUS_INFINITY);
                continue;
            };
            if local.weight.0 < 0 {
                self.update_score_recursive(c, n, local.weight);
            } else if self.rs[parent.i()]
                .instance_count
                .get(&n)
                .copied()
                .unwrap_or(0)
                < limit
            {
                continue;
            }
            self.update_score_recursive(c, n, Score::MINUS_INFINITY);
        }
    }

    /// `pcmk__assign_resource` with no node: leaves are stopped.
    pub fn force_unassign(&mut self, r: RscIdx) -> bool {
        let children = self.cluster.rsc(r).children.clone();
        if children.is_empty() {
            let changed = self.cluster.rsc(r).assigned_to.is_some();
            if let Some(old) = self.cluster.rsc(r).assigned_to {
                let cnt = &mut self.node_assigned[old.i()];
                *cnt = cnt.saturating_sub(1);
                self.release_node_capacity(old, r);
            }
            self.finalize_assignment(r, None, true);
            return changed;
        }
        let mut changed = false;
        for c in children {
            changed |= self.force_unassign(c);
        }
        changed
    }

    // ----- colocation with a clone -----

    fn copies_per_node(&self, r: RscIdx) -> i64 {
        let rsc = self.cluster.rsc(r);
        match rsc.variant {
            Variant::Primitive | Variant::Group => 1,
            Variant::Clone => rsc
                .meta
                .get("clone-node-max")
                .and_then(|v| v.trim().parse::<i64>().ok())
                .unwrap_or(1),
            Variant::Bundle => rsc
                .bundle
                .as_ref()
                .map(|b| b.nreplicas_per_host as i64)
                .unwrap_or(1),
        }
    }

    /// `is_child_compatible`: the instance is (or will be) on `node`, in
    /// the `filter` role unless that is Unknown.
    pub(super) fn child_compatible(
        &self,
        child: RscIdx,
        node: NodeIdx,
        filter: Role,
        current: bool,
    ) -> bool {
        if filter != Role::Unknown && self.rsc_role_state(child, current) != filter {
            return false;
        }
        if self.any_flag_recursive(child, &|x| x.blocked) {
            return false;
        }
        self.rsc_location(child, current) == Some(node)
    }

    /// `find_compatible_child`: the instance of `clone` on the same node as
    /// `local` (where it is, else its best allowed node).
    pub fn find_compatible_child(
        &self,
        local: RscIdx,
        clone: RscIdx,
        current: bool,
    ) -> Option<RscIdx> {
        self.find_compatible_child_in_role(local, clone, Role::Unknown, current)
    }

    /// `find_compatible_child` with a role filter.
    pub fn find_compatible_child_in_role(
        &self,
        local: RscIdx,
        clone: RscIdx,
        filter: Role,
        current: bool,
    ) -> Option<RscIdx> {
        let instances = self.instances_of(clone);
        let by_node = |n: NodeIdx| {
            instances
                .iter()
                .copied()
                .find(|c| self.child_compatible(*c, n, filter, current))
        };
        if let Some(n) = self.rsc_location(local, current) {
            return by_node(n);
        }
        let nodes = self.sort_nodes(&self.rs[local.i()].allowed, None);
        nodes.into_iter().find_map(|(n, _)| by_node(n))
    }

    /// `pcmk__clone_apply_coloc_score` (non-promotable primaries).
    pub fn clone_apply_coloc_score(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        let col = self.coloc(c).clone();
        if self.cluster.rsc(primary).promotable {
            if self.cluster.rsc(primary).provisional {
                return;
            }
            if col.primary_role != Role::Unknown {
                if self.cluster.rsc(dependent).provisional {
                    self.update_dependent_with_promotable(primary, dependent, c);
                    return;
                }
                if col.dependent_role == Role::Promoted {
                    self.update_promotable_dependent_priority(primary, dependent, c);
                    return;
                }
            }
        }
        let dep_cfg = col.dependent;
        let mut interleave = false;
        let dep_rsc = self.cluster.rsc(dep_cfg);
        if dep_rsc
            .meta
            .get("interleave")
            .is_some_and(|v| crate::cib::load::parse_bool(v))
            && matches!(dep_rsc.variant, Variant::Clone | Variant::Bundle)
            && self.copies_per_node(dep_cfg) == self.copies_per_node(col.primary)
        {
            interleave = true;
        }
        if self.cluster.rsc(primary).provisional {
            return;
        }
        if interleave {
            match self.find_compatible_child(dependent, primary, false) {
                Some(pi) => self.apply_coloc_score(dependent, pi, c),
                None if col.score >= INFINITY => {
                    self.force_unassign(dependent);
                }
                None => {}
            }
            return;
        }
        if col.score >= INFINITY {
            let mut affected: Vec<NodeIdx> = Vec::new();
            for ch in self.cluster.rsc(primary).children.clone() {
                if let Some(n) = self.rsc_location(ch, false) {
                    if !self.any_flag_recursive(ch, &|x| x.blocked) {
                        affected.push(n);
                    }
                }
            }
            let table = &mut self.rs[dependent.i()].allowed;
            for (n, a) in table.iter_mut() {
                if !affected.contains(n) {
                    a.weight = Score::MINUS_INFINITY;
                }
            }
            let add = self.cluster.options.profile.coloc_adds_banned_nodes;
            let table = &mut self.rs[dependent.i()].allowed;
            for n in affected.into_iter().filter(|_| add) {
                table.entry(n).or_insert(Allowed {
                    weight: Score::MINUS_INFINITY,
                    discover: super::state::Discover::Always,
                });
            }
            return;
        }
        for ch in self.cluster.rsc(primary).children.clone() {
            self.apply_coloc_for_primary(dependent, ch, c);
        }
    }

    // ----- actions -----

    /// `clone_update_pseudo_status`.
    pub(super) fn instance_status(
        &self,
        r: RscIdx,
        stopping: &mut bool,
        starting: &mut bool,
        active: &mut bool,
    ) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            for &c in &rsc.children {
                self.instance_status(c, stopping, starting, active);
            }
            return;
        }
        if !rsc.running_on.is_empty() {
            *active = true;
        }
        for &a in self.rs[r.i()].actions.iter().rev() {
            if *starting && *stopping {
                return;
            }
            let act = self.a(a);
            if act.is_optional() || !act.has(af::PSEUDO | af::RUNNABLE) {
                continue;
            }
            if act.task.eq_ignore_ascii_case("stop") {
                *stopping = true;
            } else if act.task.eq_ignore_ascii_case("start") && act.is_runnable() {
                *starting = true;
            }
        }
    }

    /// `clone_create_pseudo_actions`: create each instance's actions, then
    /// the collective's start/running and stop/stopped pseudo-actions
    /// from what the instances do; clones (not bundles) notify.
    pub(super) fn clone_create_pseudo_actions(
        &mut self,
        r: RscIdx,
        instances: &[RscIdx],
        notify: bool,
    ) {
        let mut any_active = false;
        let mut any_starting = false;
        let mut any_stopping = false;
        let mut allow_migrations = true;
        for &c in instances {
            self.create_actions(c);
            let (mut stopping, mut starting) = (false, false);
            self.instance_status(c, &mut stopping, &mut starting, &mut any_active);
            if stopping && starting {
                allow_migrations = false;
            }
            any_stopping |= stopping;
            any_starting |= starting;
        }
        let start = self.new_rsc_pseudo_action(r, "start", !any_starting, true);
        let running = self.new_rsc_pseudo_action(r, "running", !any_starting, false);
        if any_active || any_starting {
            self.am(running).set(af::RUNNABLE);
        }
        if notify {
            self.clone_notif_pseudo_ops(r, "start", Some(start), Some(running));
        }
        let stop = self.new_rsc_pseudo_action(r, "stop", !any_stopping, true);
        let stopped = self.new_rsc_pseudo_action(r, "stopped", !any_stopping, true);
        if allow_migrations {
            self.am(stop).set(af::MIGRATE_RUNNABLE);
        }
        if notify
            && self
                .clone_notif_pseudo_ops(r, "stop", Some(stop), Some(stopped))
                .is_some()
        {
            self.order_notifications(r, "stop", "start");
        }
    }

    /// `clone_create_actions`.
    pub fn clone_create_actions(&mut self, r: RscIdx) {
        let children = self.cluster.rsc(r).children.clone();
        self.clone_create_pseudo_actions(r, &children, true);
        self.clone_instance_orderings(r);
        if self.cluster.rsc(r).promotable {
            self.create_promotable_actions(r);
        }
    }

    fn clone_ordered(&self, r: RscIdx) -> bool {
        self.cluster
            .rsc(r)
            .clone
            .as_ref()
            .is_some_and(|c| c.ordered)
    }

    fn sort_by_instance_number(&mut self, r: RscIdx) {
        // Each child's number once, not once per comparison.
        let keyed: Vec<(i64, RscIdx)> = self
            .cluster
            .rsc(r)
            .children
            .iter()
            .map(|c| (instance_number(&self.cluster.rsc(*c).id), *c))
            .collect();
        let sorted = list_sort(&keyed, &|a, b| a.0.cmp(&b.0));
        self.cluster.rsc_mut(r).children = sorted.into_iter().map(|(_, c)| c).collect();
    }

    /// The single required action of a task, if exactly one.
    fn single_required_action(&mut self, r: RscIdx, task: &str) -> Option<ActionId> {
        let mut found = None;
        for a in self.rsc_actions(r, None, task, false) {
            if !self.a(a).is_optional() {
                if found.is_some() {
                    return None;
                }
                found = Some(a);
            }
        }
        found
    }

    /// `child_ordering_constraints`: ordered clones start and stop their
    /// instances one after another.
    fn clone_instance_orderings(&mut self, r: RscIdx) {
        if !self.clone_ordered(r) {
            return;
        }
        self.sort_by_instance_number(r);
        let (mut last_stop, mut last_start) = (None, None);
        for c in self.cluster.rsc(r).children.clone() {
            if let Some(stop) = self.single_required_action(c, "stop") {
                if let Some(ls) = last_stop {
                    self.order_actions(stop, ls, of::OPTIONAL);
                }
                last_stop = Some(stop);
            }
            if let Some(start) = self.single_required_action(c, "start") {
                if let Some(ls) = last_start {
                    self.order_actions(ls, start, of::OPTIONAL);
                }
                last_start = Some(start);
            }
        }
    }

    /// `clone_internal_constraints`.
    pub fn clone_internal_constraints(&mut self, r: RscIdx) {
        self.order_rsc_actions(r, "stopped", r, "start", of::OPTIONAL);
        self.order_rsc_actions(r, "start", r, "running", of::RUNNABLE_LEFT);
        self.order_rsc_actions(r, "stop", r, "stopped", of::RUNNABLE_LEFT);
        if self.cluster.rsc(r).promotable {
            self.order_rsc_actions(r, "demoted", r, "stop", of::OPTIONAL);
            self.order_rsc_actions(r, "running", r, "promote", of::RUNNABLE_LEFT);
        }
        let ordered = self.clone_ordered(r);
        if ordered {
            self.sort_by_instance_number(r);
        }
        let mut last: Option<RscIdx> = None;
        for c in self.cluster.rsc(r).children.clone() {
            self.internal_constraints(c);
            self.order_rsc_actions(
                r,
                "start",
                c,
                "start",
                of::RUNNABLE_LEFT | of::IMPLIES_FIRST_PRINTED,
            );
            self.order_rsc_actions(c, "start", r, "running", of::IMPLIES_THEN_PRINTED);
            if let (true, Some(l)) = (ordered, last) {
                self.order_rsc_actions(l, "start", c, "start", of::OPTIONAL);
            }
            self.order_rsc_actions(r, "stop", c, "stop", of::IMPLIES_FIRST_PRINTED);
            self.order_rsc_actions(c, "stop", r, "stopped", of::IMPLIES_THEN_PRINTED);
            if let (true, Some(l)) = (ordered, last) {
                self.order_rsc_actions(c, "stop", l, "stop", of::OPTIONAL);
            }
            last = Some(c);
        }
        if self.cluster.rsc(r).promotable {
            self.order_promotable_instances(r);
        }
    }

    /// `summary_action_flags` for a clone action.
    pub fn clone_action_flags(&mut self, a: ActionId, node: Option<NodeIdx>) -> u32 {
        let Some(r) = self.a(a).rsc else {
            return af::OPTIONAL | af::RUNNABLE | af::PSEUDO;
        };
        let children = self.cluster.rsc(r).children.clone();
        self.summary_action_flags(a, &children, node)
    }

    /// `summary_action_flags`: a collective action's flags from its
    /// instances' matching actions.
    pub fn summary_action_flags(
        &mut self,
        a: ActionId,
        children: &[RscIdx],
        node: Option<NodeIdx>,
    ) -> u32 {
        let mut flags = af::OPTIONAL | af::RUNNABLE | af::PSEUDO;
        let Some(r) = self.a(a).rsc else { return flags };
        // The task is mapped by the collective's first child.
        let Some(&first) = self.cluster.rsc(r).children.first() else {
            return flags;
        };
        let children = children.to_vec();
        let child_task = self.clone_child_task(a, self.cluster.rsc(first).variant);
        let mut any_runnable = false;
        for c in children {
            let list = &self.rs[c.i()].actions;
            let on = if self.cluster.rsc(c).children.is_empty() {
                node
            } else {
                None
            };
            let Some(ca) = self.find_first_action(list, None, Some(&child_task), on) else {
                continue;
            };
            let cf = self.action_flags(ca, node);
            if flags & af::OPTIONAL != 0 && cf & af::OPTIONAL == 0 {
                flags &= !af::OPTIONAL;
                self.am(a).clear(af::OPTIONAL);
            }
            if cf & af::RUNNABLE != 0 {
                any_runnable = true;
            }
        }
        if !any_runnable {
            flags &= !af::RUNNABLE;
            if node.is_none() {
                self.am(a).clear(af::RUNNABLE);
            }
        }
        flags
    }

    fn can_interleave(&self, first: ActionId, then: ActionId) -> bool {
        let (Some(fr), Some(tr)) = (self.a(first).rsc, self.a(then).rsc) else {
            return false;
        };
        if fr == tr {
            return false;
        }
        let collective = |r: RscIdx| {
            matches!(
                self.cluster.rsc(r).variant,
                Variant::Clone | Variant::Bundle
            )
        };
        if !collective(fr) || !collective(tr) {
            return false;
        }
        let uuid = &self.a(then).uuid;
        let r = if uuid.ends_with("_stop_0") || uuid.ends_with("_demote_0") {
            fr
        } else {
            tr
        };
        self.cluster
            .rsc(r)
            .meta
            .get("interleave")
            .is_some_and(|v| crate::cib::load::parse_bool(v))
    }

    /// `pcmk__multi_update_actions` for a clone `then`.
    #[allow(clippy::too_many_arguments)]
    pub fn clone_update_ordered(
        &mut self,
        first: ActionId,
        then: ActionId,
        node: Option<NodeIdx>,
        flags: u32,
        filter: u32,
        kind: u32,
    ) -> u32 {
        if self.can_interleave(first, then) {
            return self.interleave_update(first, then, node, filter, kind);
        }
        let Some(tr) = self.a(then).rsc else { return 0 };
        let mut changed = self.update_ordered_primitive(first, then, node, flags, filter, kind);
        let task = self.a(then).task.clone();
        for c in self.instances_of(tr) {
            let list = &self.rs[c.i()].actions;
            let Some(ca) = self.find_first_action(list, None, Some(&task), node) else {
                continue;
            };
            let cf = self.action_flags(ca, node);
            let mut child_changed = 0;
            if cf & af::RUNNABLE != 0 {
                child_changed |= self.update_ordered_actions(first, ca, node, flags, filter, kind);
            }
            changed |= child_changed;
            if child_changed & UPDATED_THEN != 0 {
                let afters: Vec<ActionId> =
                    self.a(ca).after.iter().rev().map(|e| e.action).collect();
                for next in afters {
                    self.update_action_for_orderings(next);
                }
            }
        }
        changed
    }

    /// `multi_update_interleave_actions`: order each `then` instance after
    /// the `first` instance on the same node.
    fn interleave_update(
        &mut self,
        first: ActionId,
        then: ActionId,
        node: Option<NodeIdx>,
        filter: u32,
        kind: u32,
    ) -> u32 {
        let mut changed = 0;
        let first_uuid = self.a(first).uuid.clone();
        let current = first_uuid.ends_with("_stopped_0") || first_uuid.ends_with("_demoted_0");
        let (Some(fr), Some(tr)) = (self.a(first).rsc, self.a(then).rsc) else {
            return 0;
        };
        let Some(&first_first) = self.cluster.rsc(fr).children.first() else {
            return 0;
        };
        let first_task = self.clone_child_task(first, self.cluster.rsc(first_first).variant);
        let then_task = self.a(then).task.clone();
        let first_stops = self.a(first).task.contains("stop");
        for tc in self.instances_of(tr) {
            let Some(fc) = self.find_compatible_child(tc, fr, current) else {
                if !current
                    && kind & (of::RUNNABLE_LEFT | of::IMPLIES_THEN) != 0
                    && self.force_unassign(tc)
                {
                    changed |= UPDATED_THEN;
                }
                continue;
            };
            // In a bundle, a stop is looked for in the replica's inner
            // resource, and a promote or demote (which containers lack) too.
            let first_owner = match self.replica_inner(fr, fc, node) {
                Some(inner) if first_stops => inner,
                _ => fc,
            };
            let flist = self.rs[first_owner.i()].actions.clone();
            let Some(fa) = self.find_first_action(&flist, None, Some(&first_task), node) else {
                continue;
            };
            let then_owner = match self.replica_inner(tr, tc, node) {
                Some(inner) if then_task.contains("mote") => inner,
                _ => tc,
            };
            let tlist = self.rs[then_owner.i()].actions.clone();
            let Some(ta) = self.find_first_action(&tlist, None, Some(&then_task), node) else {
                continue;
            };
            if self.order_actions(fa, ta, kind) {
                changed |= UPDATED_FIRST | UPDATED_THEN;
            }
            let ff = self.action_flags(fa, node);
            changed |= self.update_ordered_actions(fa, ta, node, ff, filter, kind);
        }
        changed
    }

    // ----- probes -----

    fn known_on_recursive(&self, r: RscIdx, n: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            return rsc.children.iter().any(|c| self.known_on_recursive(*c, n));
        }
        rsc.known_on.contains(&n)
    }

    /// `clone_create_probe`.
    pub fn clone_create_probe(&mut self, r: RscIdx, n: NodeIdx) -> bool {
        self.sort_by_instance_number(r);
        let children = self.cluster.rsc(r).children.clone();
        if children.is_empty() {
            return false;
        }
        if self.cluster.rsc(r).exclusive_discover {
            if let Some(a) = self.rs[r.i()].allowed.get(&n) {
                if a.discover != super::state::Discover::Exclusive {
                    self.rs[r.i()].allowed.remove(&n);
                    return false;
                }
            }
        }
        if self.cluster.rsc(r).unique {
            let mut any = false;
            for c in children {
                if self.probe_rsc_on_node(c, n) {
                    any = true;
                }
            }
            return any;
        }
        // An anonymous clone needs only one instance probed per node.
        let child = children
            .iter()
            .copied()
            .find(|c| self.known_on_recursive(*c, n))
            .or_else(|| {
                children
                    .iter()
                    .copied()
                    .find(|c| self.rsc_location(*c, false) == Some(n))
            })
            .unwrap_or(children[0]);
        self.probe_rsc_on_node(child, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: i64) -> InstanceKey {
        InstanceKey::for_test(n)
    }

    #[test]
    fn instance_numbers() {
        assert_eq!(instance_number("rsc:12"), 12);
        assert_eq!(instance_number("a:b:3"), 3);
        assert_eq!(instance_number("replica-2"), 2);
        assert_eq!(instance_number("plain"), 0);
    }

    #[test]
    fn active_instances_sort_first() {
        let mut a = key(0);
        let mut b = key(1);
        let c = key(2);
        b.active_count = 1;
        b.allowed_node = Some(NodeIdx(0));
        b.node_available = true;
        b.parent_count = Some(0);
        a.priority = 0;
        let sorted = list_sort(&[a, b, c], &cmp_instance);
        let order: Vec<i64> = sorted.iter().map(|k| k.number).collect();
        assert_eq!(order, vec![1, 0, 2]);
    }

    #[test]
    fn disallowed_and_priority() {
        let mut a = key(0);
        let mut b = key(1);
        a.disallowed = true;
        b.priority = -5;
        let sorted = list_sort(&[a.clone(), b.clone()], &cmp_instance);
        assert_eq!(sorted[0].number, 1);
        a.disallowed = false;
        let sorted = list_sort(&[b, a], &cmp_instance);
        assert_eq!(sorted[0].number, 0);
    }

    #[test]
    fn fewer_active_copies_first() {
        let mut a = key(0);
        let mut b = key(1);
        a.active_count = 2;
        b.active_count = 1;
        let sorted = list_sort(&[a, b], &cmp_instance);
        assert_eq!(sorted[0].number, 1);
    }

    #[test]
    fn list_sort_is_stable() {
        let v = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd'), (1, 'e')];
        let s = list_sort(&v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(s, vec![(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c'), (1, 'e')]);
    }
}
