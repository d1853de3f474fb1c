//! Promotable clones: promotion scores (node attributes `master-RSC`),
//! choosing which instances to promote (promoted-max, promoted-node-max,
//! role-specific locations and colocations), the clone's promote/demote
//! pseudo-actions and their orderings, and colocations with a role of a
//! promotable clone (Pacemaker's pcmk_sched_promotable.c).

use super::action::of;
use super::clone::{clone_strip, cmp_instance_keys, list_sort, InstanceKey};
use super::model::{NoQuorumPolicy, NodeIdx, RscIdx, Variant};
use super::state::{Allowed, ColocId, Scheduler};
use crate::cib::score::INFINITY;
use crate::cib::{Role, Score};
use std::cmp::Ordering;

/// The promotion score attribute for a resource name.
pub fn promotion_score_name(rsc: &str) -> String {
    format!("master-{rsc}")
}

/// `char2score` for an attribute value (health colours as the defaults).
fn attr_score(v: &str) -> i32 {
    super::unpack::char2score(Some(v), (-INFINITY, 0, 0))
}

/// What `cmp_promotable_instance` compares, gathered up front.
#[derive(Clone, Debug)]
struct PromoKey {
    sort_index: i32,
    current_role: Role,
    instance: InstanceKey,
}

/// `cmp_promotable_instance`: higher sort index first, then the higher
/// current role, then the usual instance order.
fn cmp_promotable(a: &PromoKey, b: &PromoKey) -> Ordering {
    match b.sort_index.cmp(&a.sort_index) {
        Ordering::Equal => {}
        o => return o,
    }
    match b.current_role.cmp(&a.current_role) {
        Ordering::Equal => {}
        o => return o,
    }
    cmp_instance_keys(&a.instance, &b.instance)
}

impl Scheduler<'_> {
    /// The `state` method: a primitive's current or next role; for groups
    /// and clones the highest of their children's.
    pub fn rsc_role_state(&self, r: RscIdx, current: bool) -> Role {
        let rsc = self.cluster.rsc(r);
        if rsc.children.is_empty() {
            return if current { rsc.role } else { rsc.next_role };
        }
        rsc.children
            .iter()
            .map(|c| self.rsc_role_state(*c, current))
            .max()
            .unwrap_or(Role::Unknown)
    }

    /// promoted-max and promoted-node-max of the clone above `r`.
    fn promoted_limits(&self, r: RscIdx) -> (u32, u32) {
        let top = self.cluster.top_of(r);
        self.cluster
            .rsc(top)
            .clone
            .as_ref()
            .map(|c| (c.promoted_max, c.promoted_node_max))
            .unwrap_or((1, 1))
    }

    /// `native_find_rsc` with `pe_find_clone` (and `pe_find_current` when
    /// `on` is given): the resource at or below `r` known as `id`.
    fn find_clone_rsc(&self, r: RscIdx, id: &str, on: Option<NodeIdx>) -> Option<RscIdx> {
        let rsc = self.cluster.rsc(r);
        let top = self.cluster.top_of(r);
        let is_clone = self.cluster.rsc(top).variant == Variant::Clone;
        let mut found = is_clone && (rsc.id == id || rsc.xml_id == id);
        if found {
            if let Some(n) = on {
                found = self.running_on_recursive(r, n);
            }
        }
        if found {
            return Some(r);
        }
        rsc.children
            .iter()
            .find_map(|c| self.find_clone_rsc(*c, id, on))
    }

    fn running_on_recursive(&self, r: RscIdx, n: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        if rsc.children.is_empty() {
            return rsc.running_on.contains(&n);
        }
        rsc.children
            .iter()
            .any(|c| self.running_on_recursive(*c, n))
    }

    /// `find_active_anon_instance`.
    fn find_active_anon_instance(&self, clone: RscIdx, id: &str, n: NodeIdx) -> Option<RscIdx> {
        self.cluster
            .rsc(clone)
            .children
            .iter()
            .find_map(|c| self.find_clone_rsc(*c, id, Some(n)))
    }

    /// `anonymous_known_on`.
    fn anonymous_known_on(&self, clone: RscIdx, id: &str, n: NodeIdx) -> bool {
        self.cluster.rsc(clone).children.iter().any(|c| {
            self.find_clone_rsc(*c, id, None)
                .is_some_and(|f| self.cluster.rsc(f).known_on.contains(&n))
        })
    }

    /// `promotion_score_applies`: whether a primitive instance's promotion
    /// score counts on a node.
    fn promotion_score_applies(&self, r: RscIdx, n: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        let id = clone_strip(&rsc.id).to_owned();
        let parent = self.cluster.top_of(r);
        let mut applies = false;
        if !rsc.unique {
            let active = self.find_active_anon_instance(parent, &id, n);
            if active == Some(r) || (active.is_none() && self.anonymous_known_on(parent, &id, n)) {
                applies = true;
            }
        }
        if !applies && rsc.running_on.is_empty() && rsc.known_on.is_empty() {
            applies = true;
        }
        if !applies && (rsc.known_on.contains(&n) || rsc.running_on.contains(&n)) {
            applies = true;
        }
        applies
            && self.rs[r.i()]
                .allowed
                .get(&n)
                .is_some_and(|a| a.weight.0 >= 0)
    }

    /// Whose node attributes apply to `r` on `n` (`pe_node_attribute_calculated`):
    /// with `container-attribute-target=host`, a guest node's attributes are
    /// its container's host's.
    fn attribute_node(&self, r: RscIdx, n: NodeIdx) -> NodeIdx {
        let to_host = self
            .cluster
            .rsc(r)
            .meta
            .get("container-attribute-target")
            .is_some_and(|v| v.eq_ignore_ascii_case("host"));
        if !to_host {
            return n;
        }
        let host = self
            .cluster
            .node(n)
            .remote_rsc
            .and_then(|remote| self.cluster.rsc(remote).container)
            .and_then(|c| self.cluster.rsc(c).running_on.first().copied());
        host.unwrap_or(n)
    }

    /// `promotion_score`: the instance's promotion score on a node, and
    /// whether none was set (a cloned group sums its members').
    fn promotion_score(&self, r: RscIdx, n: NodeIdx) -> (i32, bool) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            let mut score = 0i32;
            let mut is_default = true;
            for &c in &rsc.children {
                let (s, d) = self.promotion_score(c, n);
                if !d {
                    is_default = false;
                }
                score = score.saturating_add(s);
            }
            return (score, is_default);
        }
        if !self.promotion_score_applies(r, n) {
            return (0, true);
        }
        let attrs = &self.cluster.node(self.attribute_node(r, n)).attrs;
        let name = rsc.clone_name.as_deref().unwrap_or(&rsc.id);
        let mut value = attrs.get(&promotion_score_name(name));
        if value.is_none() && !rsc.unique {
            // Without history there is no clone_name yet: try the base name.
            let base = clone_strip(&rsc.id);
            if base != rsc.id {
                value = attrs.get(&promotion_score_name(base));
            }
        }
        match value {
            Some(v) => (attr_score(v), false),
            None => (0, true),
        }
    }

    /// `pcmk__add_promotion_scores`: promotion scores raise the instances'
    /// node preferences and priorities (once per clone).
    pub fn add_promotion_scores(&mut self, r: RscIdx) {
        if self.rs[r.i()].promotion_added {
            return;
        }
        self.rs[r.i()].promotion_added = true;
        for c in self.cluster.rsc(r).children.clone() {
            let nodes: Vec<NodeIdx> = self.rs[c.i()].allowed.keys().copied().collect();
            for n in nodes {
                if !self.node_available(n, None, false) {
                    // Never promoted there: a score would only shuffle instances.
                    continue;
                }
                let (score, _) = self.promotion_score(c, n);
                if score > 0 {
                    if let Some(a) = self.rs[c.i()].allowed.get_mut(&n) {
                        a.weight = a.weight.add(Score(score));
                    }
                }
                if score > self.cluster.rsc(c).priority {
                    self.cluster.rsc_mut(c).priority = score;
                }
            }
        }
    }

    /// `pcmk__set_instance_roles`: choose the instances to promote.
    pub fn set_instance_roles(&mut self, r: RscIdx) {
        // The per-node count now tracks promoted instances.
        self.rs[r.i()].instance_count.clear();
        for c in self.cluster.rsc(r).children.clone() {
            self.set_instance_priority(c, r);
        }
        self.sort_promotable_instances(r);
        let mut promoted = 0u32;
        for c in self.cluster.rsc(r).children.clone() {
            self.set_instance_role(c, &mut promoted);
        }
    }

    fn set_current_role_unpromoted(&mut self, r: RscIdx) {
        if self.cluster.rsc(r).role == Role::Started {
            self.cluster.rsc_mut(r).role = Role::Unpromoted;
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.set_current_role_unpromoted(c);
        }
    }

    fn set_next_role_unpromoted(&mut self, r: RscIdx) {
        let mut nodes = Vec::new();
        self.collect_locations(r, false, &mut nodes);
        let role = if nodes.is_empty() {
            Role::Stopped
        } else {
            Role::Unpromoted
        };
        self.set_next_role(r, role);
        for c in self.cluster.rsc(r).children.clone() {
            self.set_next_role_unpromoted(c);
        }
    }

    fn set_next_role_promoted(&mut self, r: RscIdx) {
        if self.cluster.rsc(r).next_role == Role::Unknown {
            self.set_next_role(r, Role::Promoted);
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.set_next_role_promoted(c);
        }
    }

    /// `apply_promoted_locations`: promoted-role location scores for the
    /// chosen node count toward the instance's promotion priority.
    fn apply_promoted_locations(&mut self, instance: RscIdx, of_rsc: RscIdx, chosen: NodeIdx) {
        for li in self.rs[of_rsc.i()].locations.clone() {
            let loc = &self.locations[li];
            if loc.role_filter != Role::Promoted {
                continue;
            }
            if let Some((_, w)) = loc.nodes.iter().find(|(n, _)| *n == chosen) {
                let w = *w;
                let p = self.cluster.rsc(instance).priority;
                self.cluster.rsc_mut(instance).priority = w.add(Score(p)).0;
            }
        }
    }

    /// `set_instance_priority`.
    fn set_instance_priority(&mut self, instance: RscIdx, clone: RscIdx) {
        if self.rsc_role_state(instance, true) == Role::Started {
            self.set_current_role_unpromoted(instance);
        }
        let Some(chosen) = self.rsc_location(instance, false) else {
            return;
        };
        let next_role = self.rsc_role_state(instance, false);
        match next_role {
            Role::Started | Role::Unknown => {
                let (score, is_default) = self.promotion_score(instance, chosen);
                // No score at all: only a location may make it promotable.
                self.cluster.rsc_mut(instance).priority = if is_default { -1 } else { score };
            }
            Role::Unpromoted | Role::Stopped => {
                self.cluster.rsc_mut(instance).priority = -INFINITY;
            }
            Role::Promoted => {}
        }
        self.apply_promoted_locations(instance, instance, chosen);
        self.apply_promoted_locations(instance, clone, chosen);
        let mut this_with = self.rs[instance.i()].this_with.clone();
        if let Some(bundle) = self.enclosing_bundle(clone) {
            this_with.extend(self.rs[bundle.i()].this_with.iter().copied());
        }
        for c in this_with {
            let primary = self.coloc(c).primary;
            self.apply_coloc_score(instance, primary, c);
        }
        let p = self.cluster.rsc(instance).priority;
        self.rs[instance.i()].sort_index = if next_role == Role::Promoted {
            INFINITY
        } else {
            p
        };
    }

    /// The weight the node an instance is assigned to had for it (what
    /// Pacemaker's copy of the assigned node carries).
    fn assigned_node_weight(&self, r: RscIdx, n: NodeIdx) -> Score {
        let rsc = self.cluster.rsc(r);
        if rsc.children.is_empty() {
            if let (Some(w), Some(at)) = (self.rs[r.i()].assigned_weight, rsc.assigned_to) {
                if at == n {
                    return w;
                }
            }
            return self.rs[r.i()]
                .allowed
                .get(&n)
                .map(|a| a.weight)
                .unwrap_or(self.cluster.node(n).weight);
        }
        for &c in &rsc.children {
            if self.rsc_location_any(c) == Some(n) {
                return self.assigned_node_weight(c, n);
            }
        }
        self.cluster.node(n).weight
    }

    /// The first node a resource (or its first assigned descendant) is
    /// assigned to.
    fn rsc_location_any(&self, r: RscIdx) -> Option<NodeIdx> {
        let mut v = Vec::new();
        self.collect_locations(r, false, &mut v);
        v.first().copied()
    }

    /// `sort_promotable_instances`: merge promotion priorities and
    /// promoted-role colocations into the clone's node scores, and sort the
    /// instances by the result.
    fn sort_promotable_instances(&mut self, clone: RscIdx) {
        if self.rs[clone.i()].promotion_constrained {
            return;
        }
        self.rs[clone.i()].promotion_constrained = true;
        self.rs[clone.i()].merging = true;
        let children = self.cluster.rsc(clone).children.clone();
        for &c in &children {
            let si = self.rs[c.i()].sort_index;
            if si < 0 {
                continue;
            }
            let Some(chosen) = self.rsc_location(c, false) else {
                continue;
            };
            if let Some(a) = self.rs[clone.i()].allowed.get_mut(&chosen) {
                a.weight = Score(si).add(a.weight);
            }
        }
        let own_again = true;
        for c in self.rs[clone.i()].this_with.clone() {
            let col = self.coloc(c).clone();
            if col.dependent_role != Role::Promoted || !own_again {
                continue;
            }
            let flags = if col.score < INFINITY {
                super::assign::CO_SELECT_ACTIVE
            } else {
                0
            };
            let mut table = self.rs[clone.i()].allowed.clone();
            self.add_colocated_node_scores(
                col.primary,
                &mut table,
                col.node_attribute.as_deref(),
                col.score as f32 / INFINITY as f32,
                flags,
            );
            self.rs[clone.i()].allowed = table;
        }
        let mut with_this = self.rs[clone.i()].with_this.clone();
        if let Some(bundle) = self.enclosing_bundle(clone) {
            with_this.extend(self.rs[bundle.i()].with_this.iter().copied());
        }
        for c in with_this {
            let col = self.coloc(c).clone();
            if col.primary_role != Role::Promoted || !self.colocation_has_influence(c, None) {
                continue;
            }
            let mut table = self.rs[clone.i()].allowed.clone();
            self.add_colocated_node_scores(
                col.dependent,
                &mut table,
                col.node_attribute.as_deref(),
                col.score as f32 / INFINITY as f32,
                super::assign::CO_SELECT_ACTIVE | super::assign::CO_SELECT_NONNEGATIVE,
            );
            self.rs[clone.i()].allowed = table;
        }
        // No promotion anywhere without the promoted role's tickets.
        self.require_promotion_tickets(clone);
        for &c in &children {
            let chosen = self.rsc_location(c, false);
            let rsc = self.cluster.rsc(c);
            if !rsc.managed && rsc.next_role == Role::Promoted {
                self.rs[c.i()].sort_index = INFINITY;
            } else if chosen.is_none() && self.cib.pacemaker.inactive_promotion_minus_infinity {
                self.rs[c.i()].sort_index = -INFINITY;
            } else if chosen.is_none() || self.rs[c.i()].sort_index < 0 {
                // Keeps its own sort index.
            } else if let Some(n) = chosen {
                if let Some(a) = self.rs[clone.i()].allowed.get(&n) {
                    self.rs[c.i()].sort_index = a.weight.0;
                }
            }
        }
        let keys: Vec<PromoKey> = children
            .iter()
            .map(|c| PromoKey {
                sort_index: self.rs[c.i()].sort_index,
                current_role: self.rsc_role_state(*c, true),
                instance: self.instance_key(clone, *c),
            })
            .collect();
        let sorted = list_sort(&keys, &cmp_promotable);
        self.cluster.rsc_mut(clone).children = sorted.into_iter().map(|k| k.instance.idx).collect();
        self.rs[clone.i()].merging = false;
    }

    /// The bundle whose colocations a promotable clone inside it also
    /// honours when roles are chosen (releases that do).
    fn enclosing_bundle(&self, clone: RscIdx) -> Option<RscIdx> {
        if !self.cib.pacemaker.promotion_with_bundle_colocations {
            return None;
        }
        self.parent_bundle(clone)
    }

    /// `node_to_be_promoted_on`: where the instance could be promoted.
    fn node_to_be_promoted_on(&self, r: RscIdx) -> Option<NodeIdx> {
        let rsc = self.cluster.rsc(r);
        for &c in &rsc.children {
            self.node_to_be_promoted_on(c)?;
        }
        let node = self.rsc_location(r, false)?;
        if !rsc.managed {
            if self.rsc_role_state(r, true) != Role::Promoted {
                return None;
            }
        } else if rsc.priority < 0 || !self.node_available(node, None, true) {
            return None;
        }
        let parent = self.cluster.top_of(r);
        self.rs[parent.i()].allowed.get(&node)?;
        let count = self.rs[parent.i()]
            .instance_count
            .get(&node)
            .copied()
            .unwrap_or(0);
        if count >= self.promoted_limits(r).1 && rsc.managed {
            return None;
        }
        Some(node)
    }

    /// `set_instance_role`.
    fn set_instance_role(&mut self, instance: RscIdx, count: &mut u32) {
        self.record_promotion_score(instance);
        let clone = self.cluster.top_of(instance);
        let mut chosen = None;
        if self.rs[instance.i()].sort_index >= 0
            && (*count < self.promoted_limits(instance).0 || !self.cluster.rsc(clone).managed)
        {
            chosen = self.node_to_be_promoted_on(instance);
        }
        let Some(n) = chosen else {
            self.set_next_role_unpromoted(instance);
            return;
        };
        if self.cluster.rsc(instance).role < Role::Promoted
            && !self.have_quorum()
            && self.cluster.options.no_quorum_policy == NoQuorumPolicy::Freeze
        {
            self.set_next_role_unpromoted(instance);
            return;
        }
        *self.rs[clone.i()].instance_count.entry(n).or_insert(0) += 1;
        self.set_next_role_promoted(instance);
        *count += 1;
    }

    /// `check_for_role_change`: does an instance (or a member) promote or
    /// demote for real?
    fn check_for_role_change(&self, r: RscIdx, demoting: &mut bool, promoting: &mut bool) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            for &c in &rsc.children {
                self.check_for_role_change(c, demoting, promoting);
            }
            return;
        }
        for &a in &self.rs[r.i()].actions {
            let act = self.a(a);
            if act.is_optional() {
                continue;
            }
            match act.task.as_str() {
                "demote" => *demoting = true,
                "promote" => *promoting = true,
                _ => {}
            }
        }
    }

    /// `pcmk__create_promotable_actions`.
    pub fn create_promotable_actions(&mut self, clone: RscIdx) {
        let (mut promoting, mut demoting) = (false, false);
        for c in self.cluster.rsc(clone).children.clone() {
            self.create_actions(c);
            self.check_for_role_change(c, &mut demoting, &mut promoting);
        }
        let promote = self.new_rsc_pseudo_action(clone, "promote", !promoting, true);
        let promoted = self.new_rsc_pseudo_action(clone, "promoted", !promoting, true);
        let promote_notify =
            self.clone_notif_pseudo_ops(clone, "promote", Some(promote), Some(promoted));
        let demote = self.new_rsc_pseudo_action(clone, "demote", !demoting, true);
        let demoted = self.new_rsc_pseudo_action(clone, "demoted", !demoting, true);
        let demote_notify =
            self.clone_notif_pseudo_ops(clone, "demote", Some(demote), Some(demoted));
        // Notifications of the four clone actions happen in a fixed
        // sequence: demote, stop, start, promote.
        if demote_notify.is_some() && promote_notify.is_some() {
            self.order_notifications(clone, "stop", "promote");
            self.order_notifications(clone, "start", "promote");
            self.order_notifications(clone, "demote", "promote");
            self.order_notifications(clone, "demote", "start");
            self.order_notifications(clone, "demote", "stop");
        }
        // Instance priorities served as promotion scores until now.
        let prio = self.cluster.rsc(clone).priority;
        for c in self.cluster.rsc(clone).children.clone() {
            self.cluster.rsc_mut(c).priority = prio;
        }
    }

    /// `pcmk__order_promotable_instances`.
    pub fn order_promotable_instances(&mut self, clone: RscIdx) {
        self.promotable_restart_ordering(clone);
        let ordered = self
            .cluster
            .rsc(clone)
            .clone
            .as_ref()
            .is_some_and(|c| c.ordered);
        let mut previous: Option<RscIdx> = None;
        for c in self.cluster.rsc(clone).children.clone() {
            self.order_rsc_actions(c, "demote", c, "promote", of::OPTIONAL);
            self.order_rsc_actions(clone, "promote", c, "promote", of::OPTIONAL);
            self.order_rsc_actions(c, "promote", clone, "promoted", of::OPTIONAL);
            if let (true, Some(p)) = (ordered, previous) {
                self.order_rsc_actions(p, "promote", c, "promote", of::OPTIONAL);
            }
            self.order_rsc_actions(clone, "demote", c, "demote", of::IMPLIES_FIRST_PRINTED);
            self.order_rsc_actions(c, "demote", clone, "demoted", of::IMPLIES_THEN_PRINTED);
            if let (true, Some(p)) = (ordered, previous) {
                self.order_rsc_actions(c, "demote", p, "demote", of::OPTIONAL);
            }
            previous = Some(c);
        }
    }

    /// `pcmk__promotable_restart_ordering`: a promotable clone's (or a
    /// bundle's) demotion and stop come before its start and promotion.
    pub fn promotable_restart_ordering(&mut self, clone: RscIdx) {
        self.order_rsc_actions(clone, "stopped", clone, "start", of::OPTIONAL);
        self.order_rsc_actions(clone, "stopped", clone, "promote", of::OPTIONAL);
        self.order_rsc_actions(clone, "demoted", clone, "stop", of::OPTIONAL);
        self.order_rsc_actions(clone, "demoted", clone, "start", of::OPTIONAL);
        self.order_rsc_actions(clone, "demoted", clone, "promote", of::OPTIONAL);
        self.order_rsc_actions(clone, "running", clone, "promote", of::OPTIONAL);
        self.order_rsc_actions(clone, "demote", clone, "demoted", of::OPTIONAL);
    }

    /// `pcmk__update_dependent_with_promotable`: while placing a dependent
    /// of a role-specific colocation with a promotable clone.
    pub fn update_dependent_with_promotable(
        &mut self,
        primary: RscIdx,
        dependent: RscIdx,
        c: ColocId,
    ) {
        let col = self.coloc(c).clone();
        let mut affected: Vec<(NodeIdx, Score)> = Vec::new();
        for inst in self.cluster.rsc(primary).children.clone() {
            let Some(n) = self.rsc_location(inst, false) else {
                continue;
            };
            if self.rsc_role_state(inst, false) != col.primary_role {
                continue;
            }
            if col.score < INFINITY {
                let attr = col.node_attribute.as_deref().unwrap_or("#uname");
                let pv = self.cluster.node(n).attrs.get(attr).cloned();
                let nodes: Vec<NodeIdx> = self.rs[dependent.i()].allowed.keys().copied().collect();
                for dn in nodes {
                    let dv = self.cluster.node(dn).attrs.get(attr);
                    let same = match (&pv, dv) {
                        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                        (None, None) => true,
                        _ => false,
                    };
                    if same {
                        if let Some(a) = self.rs[dependent.i()].allowed.get_mut(&dn) {
                            a.weight = a.weight.add(Score(col.score));
                        }
                    }
                }
            }
            let w = self.assigned_node_weight(inst, n);
            affected.insert(0, (n, w));
        }
        if col.score >= INFINITY
            && (col.dependent_role != Role::Promoted || col.primary_role != Role::Promoted)
        {
            // node_list_exclude with merged scores
            let table = &mut self.rs[dependent.i()].allowed;
            for (n, a) in table.iter_mut() {
                match affected.iter().find(|(m, _)| m == n) {
                    None => a.weight = Score::MINUS_INFINITY,
                    Some((_, w)) => a.weight = a.weight.add(*w),
                }
            }
            // A node the dependent was not allowed on is added banned.
            let add = self.cluster.options.profile.coloc_adds_banned_nodes;
            let table = &mut self.rs[dependent.i()].allowed;
            for (n, _) in affected.into_iter().filter(|_| add) {
                table.entry(n).or_insert(Allowed {
                    weight: Score::MINUS_INFINITY,
                    discover: super::state::Discover::Always,
                });
            }
        }
    }

    /// `pcmk__update_promotable_dependent_priority`: while choosing roles
    /// for the dependent of a promoted-role colocation.
    pub fn update_promotable_dependent_priority(
        &mut self,
        primary: RscIdx,
        dependent: RscIdx,
        c: ColocId,
    ) {
        let col = self.coloc(c).clone();
        let found = self.find_compatible_child_in_role(dependent, primary, col.primary_role, false);
        let p = self.cluster.rsc(dependent).priority;
        if found.is_some() {
            self.cluster.rsc_mut(dependent).priority = Score(p).add(Score(col.score)).0;
        } else if col.score >= INFINITY {
            self.cluster.rsc_mut(dependent).priority = -INFINITY;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_instance_numbers() {
        assert_eq!(clone_strip("drbd:1"), "drbd");
        assert_eq!(clone_strip("a:b:12"), "a:b");
        assert_eq!(clone_strip("plain"), "plain");
        assert_eq!(clone_strip("odd:"), "odd:");
    }

    #[test]
    fn score_attribute_names() {
        assert_eq!(promotion_score_name("drbd0"), "master-drbd0");
    }

    #[test]
    fn promotable_order() {
        let inst = |n: i64| InstanceKey::for_test(n);
        let a = PromoKey {
            sort_index: 5,
            current_role: Role::Unpromoted,
            instance: inst(0),
        };
        let b = PromoKey {
            sort_index: 10,
            current_role: Role::Unpromoted,
            instance: inst(1),
        };
        let c = PromoKey {
            sort_index: 10,
            current_role: Role::Promoted,
            instance: inst(2),
        };
        let sorted = list_sort(&[a, b, c], &cmp_promotable);
        let order: Vec<i64> = sorted.iter().map(|k| k.instance.number).collect();
        assert_eq!(order, vec![2, 1, 0]);
    }
}
