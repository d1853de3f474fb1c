//! Actions for primitives: the role transitions from the current role to
//! the next one (stop, start, promote, demote), restarts and recoveries,
//! and a primitive's implicit orderings.

use super::action::{af, of, op_key};
use super::model::{MultipleActive, NodeIdx, RscIdx};
use super::state::Scheduler;
use crate::cib::Role;

/// The next role on the way from `from` to `to` (Pacemaker's state matrix).
pub fn next_role_towards(from: Role, to: Role) -> Role {
    use Role::*;
    match (from, to) {
        (Unknown, Unknown) => Unknown,
        (Unknown, _) => Stopped,
        (Stopped, Unknown) | (Stopped, Stopped) => Stopped,
        (Stopped, Started) => Started,
        (Stopped, Unpromoted) | (Stopped, Promoted) => Unpromoted,
        (Started, Unknown) | (Started, Stopped) => Stopped,
        (Started, Started) => Started,
        (Started, Unpromoted) => Unpromoted,
        (Started, Promoted) => Promoted,
        (Unpromoted, Unknown) | (Unpromoted, Stopped) | (Unpromoted, Started) => Stopped,
        (Unpromoted, Unpromoted) => Unpromoted,
        (Unpromoted, Promoted) => Promoted,
        (Promoted, Unknown) => Stopped,
        (Promoted, Stopped) | (Promoted, Started) | (Promoted, Unpromoted) => Unpromoted,
        (Promoted, Promoted) => Promoted,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transition {
    None,
    Stop,
    Start,
    Promote,
    Demote,
    Error,
}

fn transition_fn(from: Role, to: Role) -> Transition {
    use Role::*;
    use Transition as T;
    match (from, to) {
        (Unknown, Stopped) => T::Stop,
        (Unknown, _) => T::Error,
        (Stopped, Stopped) => T::None,
        (Stopped, Started) | (Stopped, Unpromoted) => T::Start,
        (Stopped, _) => T::Error,
        (Started, Stopped) => T::Stop,
        (Started, Started) | (Started, Unpromoted) => T::None,
        (Started, Promoted) => T::Promote,
        (Started, Unknown) => T::Error,
        (Unpromoted, Stopped) | (Unpromoted, Started) => T::Stop,
        (Unpromoted, Unpromoted) => T::None,
        (Unpromoted, Promoted) => T::Promote,
        (Unpromoted, Unknown) => T::Error,
        (Promoted, Stopped) | (Promoted, Started) | (Promoted, Unpromoted) => T::Demote,
        (Promoted, Promoted) => T::None,
        (Promoted, Unknown) => T::Error,
    }
}

impl Scheduler<'_> {
    fn run_transition(
        &mut self,
        t: Transition,
        r: RscIdx,
        node: Option<NodeIdx>,
        optional: bool,
    ) -> bool {
        match t {
            Transition::None | Transition::Error => return false,
            Transition::Stop => self.stop_resource(r, optional),
            Transition::Start => self.start_resource(r, node, optional),
            Transition::Promote => self.promote_resource(r, node, optional),
            Transition::Demote => self.demote_resource(r, optional),
        }
        true
    }

    fn is_expected_node(&self, r: RscIdx, n: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        rsc.stop_unexpected
            && self.rs[r.i()].restarting
            && rsc.next_role > Role::Stopped
            && rsc.assigned_to == Some(n)
    }

    fn stop_resource(&mut self, r: RscIdx, optional: bool) {
        for current in self.cluster.rsc(r).running_on.clone() {
            let mut optional = optional;
            if self.is_expected_node(r, current) {
                continue;
            }
            if let Some(t) = self.cluster.rsc(r).partial_migration_target {
                if current == t && self.cluster.rsc(r).assigned_to == Some(current) {
                    continue;
                }
                optional = false;
            }
            let stop = self.stop_action(r, Some(current), optional);
            if self.cluster.rsc(r).assigned_to.is_none() {
                self.set_reason(stop, Some("node availability".into()), true);
            } else if self.rs[r.i()].restarting && self.cluster.rsc(r).stop_unexpected {
                self.set_reason(stop, Some("being multiply active".into()), true);
            }
            if !self.cluster.rsc(r).managed {
                self.am(stop).clear(af::RUNNABLE);
            }
            if self.cluster.rsc(r).needs_unfencing {
                // Unfencing the node restarts what requires it there.
                let unfence =
                    super::fencing::fence_op(self, current, Some("on"), true, None, false);
                self.order_actions(stop, unfence, of::IMPLIES_FIRST);
            }
        }
    }

    fn start_resource(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) {
        let Some(n) = node else { return };
        let start = self.start_action(r, Some(n), true);
        super::fencing::order_vs_unfence(self, r, n, start, of::IMPLIES_THEN);
        if self.a(start).is_runnable() && !optional {
            self.am(start).clear(af::OPTIONAL);
        }
        if self.is_expected_node(r, n) {
            self.am(start).set(af::PSEUDO);
        }
    }

    fn promote_resource(&mut self, r: RscIdx, node: Option<NodeIdx>, optional: bool) {
        let Some(n) = node else { return };
        let starts = self.rsc_actions(r, Some(n), "start", true);
        let runnable = starts.iter().all(|a| self.a(*a).is_runnable());
        if runnable {
            let p = self.promote_action(r, Some(n), optional);
            if self.is_expected_node(r, n) {
                self.am(p).set(af::PSEUDO);
            }
        } else {
            for p in self.rsc_actions(r, Some(n), "promote", true) {
                self.am(p).clear(af::RUNNABLE);
            }
        }
    }

    fn demote_resource(&mut self, r: RscIdx, optional: bool) {
        for current in self.cluster.rsc(r).running_on.clone() {
            if !self.is_expected_node(r, current) {
                self.demote_action(r, Some(current), optional);
            }
        }
    }

    fn schedule_restart_actions(
        &mut self,
        r: RscIdx,
        current: Option<NodeIdx>,
        need_stop: bool,
        need_promote: bool,
    ) {
        self.rs[r.i()].restarting = true;
        let mut role = self.cluster.rsc(r).role;
        while role != Role::Stopped {
            let next = next_role_towards(role, Role::Stopped);
            if !self.run_transition(transition_fn(role, next), r, current, !need_stop) {
                break;
            }
            role = next;
        }
        let rsc_role = self.cluster.rsc(r).role;
        while rsc_role <= self.cluster.rsc(r).next_role
            && role != rsc_role
            && !self.cluster.rsc(r).blocked
        {
            let mut required = need_stop;
            let next = next_role_towards(role, rsc_role);
            if next == Role::Promoted && need_promote {
                required = true;
            }
            let to = self.cluster.rsc(r).assigned_to;
            if !self.run_transition(transition_fn(role, next), r, to, !required) {
                break;
            }
            role = next;
        }
        self.rs[r.i()].restarting = false;
    }

    fn schedule_role_transition_actions(&mut self, r: RscIdx) {
        let mut role = self.cluster.rsc(r).role;
        let target = self.cluster.rsc(r).next_role;
        while role != target {
            let next = next_role_towards(role, target);
            let to = self.cluster.rsc(r).assigned_to;
            if !self.run_transition(transition_fn(role, next), r, to, false) {
                break;
            }
            role = next;
        }
    }

    /// `pe__find_active_on`.
    pub(crate) fn find_active_on(&self, r: RscIdx) -> (Option<NodeIdx>, usize, usize) {
        self.cluster.find_active_on(r)
    }

    /// `pcmk__primitive_create_actions`.
    pub fn primitive_create_actions(&mut self, r: RscIdx) {
        if self.cluster.rsc(r).next_role == Role::Unknown {
            let nr = if self.cluster.rsc(r).assigned_to.is_none() {
                Role::Stopped
            } else {
                Role::Started
            };
            self.set_next_role(r, nr);
        }
        let (current, num_all, num_clean) = self.find_active_on(r);
        self.abort_dangling_migrations(r);
        let rsc = self.cluster.rsc(r);
        let assigned = rsc.assigned_to;
        let mut need_stop = false;
        let mut need_promote = false;
        let mut is_moving = false;
        let mut allow_migrate = false;
        if let (Some(c), Some(a)) = (current, assigned) {
            if c != a && rsc.next_role >= Role::Started {
                is_moving = true;
                allow_migrate = self.rsc_can_migrate(r, c);
                need_stop = true;
            }
        }
        let rsc = self.cluster.rsc(r);
        let multiply_active;
        if rsc.partial_migration_source.is_some()
            && rsc.partial_migration_target.is_some()
            && allow_migrate
            && num_all == 2
            && current == rsc.partial_migration_source
            && assigned == rsc.partial_migration_target
        {
            multiply_active = false;
        } else if rsc.partial_migration_source.is_some() || rsc.partial_migration_target.is_some() {
            need_stop = true;
            let m = self.cluster.rsc_mut(r);
            m.partial_migration_source = None;
            m.partial_migration_target = None;
            allow_migrate = false;
            multiply_active = false;
        } else if rsc.needs_fencing {
            multiply_active = num_all > 1;
        } else {
            multiply_active = num_clean > 1;
        }
        if multiply_active {
            self.multiply_active.push(r);
            match self.cluster.rsc(r).multiple_active {
                MultipleActive::StopStart => need_stop = true,
                MultipleActive::StopUnexpected => {
                    need_stop = true;
                    self.cluster.rsc_mut(r).stop_unexpected = true;
                }
                _ => {}
            }
        } else {
            self.cluster.rsc_mut(r).stop_unexpected = false;
        }
        if self.cluster.rsc(r).start_pending {
            let start = self.start_action(r, assigned, true);
            self.am(start).set(af::PRINT_ALWAYS);
        }
        let rsc = self.cluster.rsc(r);
        if is_moving {
        } else if rsc.failed {
            if self.rs[r.i()].stop {
                need_stop = true;
            } else if rsc.next_role == Role::Promoted {
                need_promote = true;
            }
        } else if rsc.blocked {
            need_stop = true;
        } else if rsc.role > Role::Started && current.is_some() && assigned.is_some() {
            let start = self.start_action(r, assigned, true);
            if !self.a(start).is_optional() {
                need_stop = true;
            }
        }
        self.schedule_restart_actions(r, current, need_stop, need_promote);
        self.schedule_role_transition_actions(r);
        self.create_recurring_actions(r);
        if allow_migrate {
            if self.in_clone(r) {
                // The revised status after a clone instance migrates is not
                // unpacked as Pacemaker does yet.
                self.refuse(r, "live migration of clone instances (allow-migrate)");
            } else if let Some(c) = current {
                self.create_migration_actions(r, c);
            }
        }
    }

    /// `pcmk__primitive_internal_constraints` (the parts for plain primitives).
    pub fn primitive_internal_constraints(&mut self, r: RscIdx) {
        if !self.cluster.rsc(r).managed {
            return;
        }
        let id = self.rsc_id(r).to_owned();
        self.new_ordering(
            Some(r),
            Some(op_key(&id, "stop", 0)),
            None,
            Some(r),
            Some(op_key(&id, "start", 0)),
            None,
            of::OPTIONAL | of::IMPLIES_THEN | of::RESTART,
        );
        let top = self.cluster.top_of(r);
        if self.cluster.rsc(top).promotable || self.cluster.rsc(r).role > Role::Unpromoted {
            self.new_ordering(
                Some(r),
                Some(op_key(&id, "demote", 0)),
                None,
                Some(r),
                Some(op_key(&id, "stop", 0)),
                None,
                of::PROMOTED_IMPLIES_FIRST,
            );
            self.new_ordering(
                Some(r),
                Some(op_key(&id, "start", 0)),
                None,
                Some(r),
                Some(op_key(&id, "promote", 0)),
                None,
                of::RUNNABLE_LEFT,
            );
        }
        self.new_ordering(
            Some(r),
            Some(op_key(&id, "delete", 0)),
            None,
            Some(r),
            Some(op_key(&id, "monitor", 0)),
            None,
            of::SAME_NODE | of::THEN_CANCELS_FIRST,
        );
        let rsc = self.cluster.rsc(r);
        if !rsc.fence_device && self.cluster.options.enable_unfencing && rsc.needs_unfencing {
            let mut nodes: Vec<NodeIdx> = self.rs[r.i()].allowed.keys().copied().collect();
            nodes.sort_by(|a, b| {
                super::model::cmp_node_names(
                    &self.cluster.node(*a).name,
                    &self.cluster.node(*b).name,
                )
            });
            for n in nodes {
                super::fencing::order_restart_vs_unfence(self, r, n);
            }
        }
        self.create_utilization_constraints(r);
        self.container_internal_constraints(r);
        let is_conn_or_fence =
            self.cluster.rsc(r).is_remote_node || self.cluster.rsc(r).fence_device;
        if is_conn_or_fence {
            self.rsc_avoids_remote_nodes(r);
        }
    }

    /// Actions for a group: its members' actions, then its own pseudo-actions.
    pub fn group_create_actions(&mut self, r: RscIdx) {
        for c in self.cluster.rsc(r).children.clone() {
            self.create_actions(c);
        }
        for task in ["start", "running", "stop", "stopped"] {
            self.new_rsc_pseudo_action(r, task, true, true);
        }
        if self
            .cluster
            .rsc(r)
            .meta
            .get("promotable")
            .is_some_and(|v| crate::cib::load::parse_bool(v))
        {
            for task in ["demote", "demoted", "promote", "promoted"] {
                self.new_rsc_pseudo_action(r, task, true, true);
            }
        }
    }

    pub fn create_actions(&mut self, r: RscIdx) {
        match self.cluster.rsc(r).variant {
            super::model::Variant::Primitive => self.primitive_create_actions(r),
            super::model::Variant::Group => self.group_create_actions(r),
            super::model::Variant::Clone => self.clone_create_actions(r),
            super::model::Variant::Bundle => self.bundle_create_actions(r),
        }
    }

    /// `pcmk__group_internal_constraints`.
    pub fn group_internal_constraints(&mut self, r: RscIdx) {
        self.order_rsc_actions(r, "stop", r, "stopped", of::RUNNABLE_LEFT);
        self.order_rsc_actions(r, "stopped", r, "start", of::OPTIONAL);
        self.order_rsc_actions(r, "start", r, "running", of::RUNNABLE_LEFT);
        let ordered = self.group_ordered(r);
        let colocated = self.group_colocated(r);
        let top = self.cluster.top_of(r);
        let promotable = self.cluster.rsc(top).promotable;
        let mut previous: Option<RscIdx> = None;
        let mut last_active: Option<RscIdx> = None;
        for m in self.cluster.rsc(r).children.clone() {
            let mut down_flags = of::IMPLIES_FIRST_PRINTED;
            let mut post_down_flags = of::IMPLIES_THEN_PRINTED;
            self.internal_constraints(m);
            match previous {
                None => {
                    if ordered {
                        down_flags |= of::OPTIONAL;
                        post_down_flags = of::IMPLIES_THEN;
                    }
                }
                Some(prev) if colocated => {
                    let crit = self.cluster.rsc(m).critical;
                    self.new_colocation(
                        "group:internal_colocation",
                        None,
                        crate::cib::score::INFINITY,
                        m,
                        prev,
                        None,
                        None,
                        crit,
                    );
                }
                Some(_) => {}
            }
            if promotable {
                self.order_rsc_actions(r, "demote", m, "demote", down_flags);
                self.order_rsc_actions(m, "demote", r, "demoted", post_down_flags);
                self.order_rsc_actions(
                    m,
                    "promote",
                    r,
                    "promoted",
                    of::RUNNABLE_LEFT | of::IMPLIES_THEN | of::IMPLIES_THEN_PRINTED,
                );
                self.order_rsc_actions(r, "promote", m, "promote", of::IMPLIES_FIRST_PRINTED);
            }
            self.order_rsc_actions(r, "stop", m, "stop", down_flags);
            self.order_rsc_actions(m, "stop", r, "stopped", post_down_flags);
            self.order_rsc_actions(r, "start", m, "start", of::IMPLIES_FIRST_PRINTED);
            self.order_rsc_actions(
                m,
                "start",
                r,
                "running",
                of::RUNNABLE_LEFT | of::IMPLIES_THEN | of::IMPLIES_THEN_PRINTED,
            );
            if !ordered {
                self.order_rsc_actions(
                    r,
                    "start",
                    m,
                    "start",
                    of::IMPLIES_THEN | of::RUNNABLE_LEFT | of::IMPLIES_FIRST_PRINTED,
                );
                if promotable {
                    self.order_rsc_actions(
                        r,
                        "promote",
                        m,
                        "promote",
                        of::IMPLIES_THEN | of::RUNNABLE_LEFT | of::IMPLIES_FIRST_PRINTED,
                    );
                }
            } else if let Some(prev) = previous {
                self.order_rsc_actions(
                    prev,
                    "start",
                    m,
                    "start",
                    of::IMPLIES_THEN | of::RUNNABLE_LEFT,
                );
                self.order_rsc_actions(m, "stop", prev, "stop", of::OPTIONAL | of::RESTART);
                if promotable {
                    self.order_rsc_actions(
                        prev,
                        "promote",
                        m,
                        "promote",
                        of::IMPLIES_THEN | of::RUNNABLE_LEFT,
                    );
                    self.order_rsc_actions(m, "demote", prev, "demote", of::OPTIONAL);
                }
            } else {
                self.order_rsc_actions(r, "start", m, "start", of::NONE);
                if promotable {
                    self.order_rsc_actions(r, "promote", m, "promote", of::NONE);
                }
            }
            if !self.cluster.rsc(m).running_on.is_empty() {
                if ordered {
                    if let (Some(prev), Some(la)) = (previous, last_active) {
                        if self.cluster.rsc(prev).running_on.is_empty()
                            && !self.cluster.rsc(la).running_on.is_empty()
                        {
                            self.order_rsc_actions(m, "stop", la, "stop", of::OPTIONAL);
                        }
                    }
                }
                last_active = Some(m);
            }
            previous = Some(m);
        }
    }

    pub fn internal_constraints(&mut self, r: RscIdx) {
        match self.cluster.rsc(r).variant {
            super::model::Variant::Primitive => self.primitive_internal_constraints(r),
            super::model::Variant::Group => self.group_internal_constraints(r),
            super::model::Variant::Clone => self.clone_internal_constraints(r),
            super::model::Variant::Bundle => self.bundle_internal_constraints(r),
        }
    }
}
