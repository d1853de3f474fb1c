//! Recurring monitors: start the configured ones where a resource will be
//! active, cancel those that no longer fit its role.

use super::action::{af, of, op_key, ActionId};
use super::model::{NodeIdx, RscIdx, UnpackActionKind};
use super::state::Scheduler;
use crate::cib::Role;

struct RecurringOp {
    name: String,
    interval_ms: u64,
    role: Role,
    key: String,
}

impl Scheduler<'_> {
    /// The resource's configured recurring operations, as Pacemaker accepts
    /// them (enabled, not duplicated, a task that can recur).
    fn recurring_ops(&self, r: RscIdx) -> Vec<RecurringOp> {
        // Expanded ops: implicit connection resources have generated ones.
        let ops = &self.cluster.rsc(r).ops;
        let id = &self.cluster.rsc(r).id;
        let mut out = Vec::new();
        for op in ops.iter() {
            if op.interval_ms == 0 {
                continue;
            }
            if matches!(
                op.name.as_str(),
                "stop"
                    | "start"
                    | "demote"
                    | "promote"
                    | "reload-agent"
                    | "migrate_to"
                    | "migrate_from"
            ) {
                continue;
            }
            let dups = ops
                .iter()
                .filter(|o| o.name == op.name && o.interval_ms == op.interval_ms)
                .count();
            if dups > 1 {
                continue;
            }
            if op.enabled == Some(false) {
                continue;
            }
            out.push(RecurringOp {
                name: op.name.clone(),
                interval_ms: op.interval_ms,
                role: op.role.unwrap_or(Role::Unknown),
                key: op_key(id, &op.name, op.interval_ms),
            });
        }
        out
    }

    /// `pcmk__create_recurring_actions`.
    pub fn create_recurring_actions(&mut self, r: RscIdx) {
        let rsc = self.cluster.rsc(r);
        if rsc.blocked || rsc.maintenance {
            return;
        }
        let assigned = rsc.assigned_to;
        let mut start = None;
        if let Some(n) = assigned {
            if !self.cluster.node(n).maintenance && (rsc.next_role != Role::Stopped || !rsc.managed)
            {
                start = Some(self.start_action(r, Some(n), true));
            }
        }
        for op in self.recurring_ops(r) {
            if let Some(st) = start {
                self.recurring_op_for_active(r, st, assigned, &op);
            }
            self.recurring_op_for_inactive(r, assigned, &op);
        }
    }

    fn recurring_op_for_active(
        &mut self,
        r: RscIdx,
        start: super::action::ActionId,
        node: Option<NodeIdx>,
        op: &RecurringOp,
    ) {
        if op.role == Role::Stopped {
            return;
        }
        let is_optional = self.active_recurring_should_be_optional(r, node, &op.key, start);
        let (role, next) = (self.cluster.rsc(r).role, self.cluster.rsc(r).next_role);
        if (op.role != Role::Unknown && next != op.role)
            || (op.role == Role::Unknown && next == Role::Promoted)
        {
            if is_optional {
                let Some(n) = node else { return };
                let cancel = self.new_cancel_action(r, &op.name, op.interval_ms, n);
                let after = match role {
                    Role::Unpromoted | Role::Started => match next {
                        Role::Promoted => Some("promote"),
                        Role::Stopped => Some("stop"),
                        _ => None,
                    },
                    Role::Promoted => Some("demote"),
                    _ => None,
                };
                if let Some(t) = after {
                    self.order_cancel_before(r, cancel, t);
                }
            }
            return;
        }
        let mon = self.custom_action(Some(r), op.key.clone(), &op.name, node, is_optional);
        if !self.a(start).is_runnable() {
            self.am(mon).clear(af::RUNNABLE);
        } else if node.is_none_or(|n| !self.cluster.node(n).online || self.cluster.node(n).unclean)
        {
            self.am(mon).clear(af::RUNNABLE);
        }
        if next == Role::Promoted {
            self.am(mon).meta.insert("op_target_rc".into(), "8".into());
        }
        if node.is_none() || self.cluster.rsc(r).managed {
            let id = self.rsc_id(r).to_owned();
            let mon_uuid = self.a(mon).uuid.clone();
            self.new_ordering(
                Some(r),
                Some(op_key(&id, "start", 0)),
                None,
                None,
                Some(mon_uuid.clone()),
                Some(mon),
                of::IMPLIES_THEN | of::RUNNABLE_LEFT,
            );
            self.new_ordering(
                Some(r),
                Some(op_key(&id, "reload-agent", 0)),
                None,
                None,
                Some(mon_uuid),
                Some(mon),
                of::IMPLIES_THEN | of::RUNNABLE_LEFT,
            );
            if next == Role::Promoted {
                self.new_ordering(
                    Some(r),
                    Some(op_key(&id, "promote", 0)),
                    None,
                    Some(r),
                    None,
                    Some(mon),
                    of::OPTIONAL | of::RUNNABLE_LEFT,
                );
            } else if role == Role::Promoted {
                self.new_ordering(
                    Some(r),
                    Some(op_key(&id, "demote", 0)),
                    None,
                    Some(r),
                    None,
                    Some(mon),
                    of::OPTIONAL | of::RUNNABLE_LEFT,
                );
            }
        }
    }

    fn active_recurring_should_be_optional(
        &mut self,
        r: RscIdx,
        node: Option<NodeIdx>,
        key: &str,
        start: super::action::ActionId,
    ) -> bool {
        let Some(n) = node else { return false };
        if self.action_flags(start, None) & af::OPTIONAL == 0 {
            return false;
        }
        let list = &self.rs[r.i()].actions;
        let matches = self.find_actions_exact(list, key, Some(n));
        if matches.is_empty() {
            return false;
        }
        !matches.iter().any(|a| self.a(*a).has(af::RESCHEDULE))
    }

    fn recurring_op_for_inactive(&mut self, r: RscIdx, node: Option<NodeIdx>, op: &RecurringOp) {
        if op.role != Role::Stopped {
            return;
        }
        if !self.cluster.rsc(r).unique {
            return;
        }
        // In Pacemaker's node list order (by name): the order these are
        // created in is the order the transition runs them in.
        for stop_node in self.cluster.node_order() {
            if Some(stop_node) == node {
                self.cancel_if_running(r, stop_node, &op.key, &op.name, op.interval_ms);
                continue;
            }
            let list = &self.rs[r.i()].actions;
            let is_optional = !self
                .find_actions_exact(list, &op.key, Some(stop_node))
                .is_empty();
            let mon = self.custom_action(
                Some(r),
                op.key.clone(),
                &op.name,
                Some(stop_node),
                is_optional,
            );
            self.am(mon).meta.insert("op_target_rc".into(), "7".into());
            if self.cluster.rsc(r).managed {
                for probe in self.rsc_actions(r, Some(stop_node), "monitor", false) {
                    self.order_actions(probe, mon, of::RUNNABLE_LEFT);
                }
            }
            for stop in self.rsc_actions(r, Some(stop_node), "stop", true) {
                if !self.a(stop).is_optional()
                    && !self.a(mon).is_optional()
                    && !self.cluster.rsc(r).managed
                {
                    self.am(mon).set(af::OPTIONAL);
                }
                if !self.a(stop).is_runnable() {
                    self.am(mon).clear(af::RUNNABLE);
                }
                if self.cluster.rsc(r).managed {
                    let key = op_key(self.rsc_id(r), "stop", 0);
                    self.new_ordering(
                        Some(r),
                        Some(key),
                        Some(stop),
                        None,
                        None,
                        Some(mon),
                        of::IMPLIES_THEN | of::RUNNABLE_LEFT,
                    );
                }
            }
            let nd = self.cluster.node(stop_node);
            if !nd.online || nd.unclean {
                self.am(mon).clear(af::RUNNABLE);
            }
        }
    }

    fn cancel_if_running(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        key: &str,
        name: &str,
        interval_ms: u64,
    ) {
        let list = &self.rs[r.i()].actions;
        if self.find_actions_exact(list, key, Some(n)).is_empty() {
            return;
        }
        let cancel = self.new_cancel_action(r, name, interval_ms, n);
        if matches!(
            self.cluster.rsc(r).next_role,
            Role::Started | Role::Unpromoted
        ) {
            self.order_cancel_before(r, cancel, "start");
        }
    }

    /// A cancellation goes before the resource's `task` (if that runs).
    fn order_cancel_before(&mut self, r: RscIdx, cancel: ActionId, task: &str) {
        let key = op_key(self.rsc_id(r), task, 0);
        self.new_ordering(
            Some(r),
            None,
            Some(cancel),
            Some(r),
            Some(key),
            None,
            of::RUNNABLE_LEFT,
        );
    }

    /// `pcmk__new_cancel_action`.
    pub fn new_cancel_action(
        &mut self,
        r: RscIdx,
        task: &str,
        interval_ms: u64,
        n: NodeIdx,
    ) -> super::action::ActionId {
        // The cancellation takes over the key (and, when history created it,
        // the very action) of the operation it cancels.
        let key = op_key(self.rsc_id(r), task, interval_ms);
        let a = self.custom_action(Some(r), key, "cancel", Some(n), false);
        let am = self.am(a);
        am.task = "cancel".into();
        am.meta.insert("task".into(), task.to_owned());
        am.meta.insert("interval".into(), interval_ms.to_string());
        am.interval_ms = interval_ms;
        a
    }

    /// Create the actions that unpacking the status section implied, in
    /// the order it found them: stops and demotes of failed or misplaced
    /// instances, the recurring monitors already active, fail-count
    /// clearing and history deletion.
    pub fn create_actions_from_unpack(&mut self) {
        let mut fencing = std::mem::take(&mut self.cluster.unpack_fencing)
            .into_iter()
            .peekable();
        for (i, ua) in std::mem::take(&mut self.cluster.unpack_actions)
            .into_iter()
            .enumerate()
        {
            while let Some((_, n)) = fencing.next_if(|(at, _)| *at <= i) {
                self.unpack_fence_op(n);
            }
            let (r, n) = (ua.rsc, ua.node);
            match &ua.kind {
                UnpackActionKind::Stop => {
                    self.stop_action(r, Some(n), ua.optional);
                }
                UnpackActionKind::Demote => {
                    self.demote_action(r, Some(n), ua.optional);
                }
                UnpackActionKind::Recurring { task, interval_ms } => {
                    let nd = self.cluster.node(n);
                    if !nd.online || self.cluster.rsc(r).variant != super::model::Variant::Primitive
                    {
                        continue;
                    }
                    let key = op_key(self.rsc_id(r), task, *interval_ms);
                    self.custom_action(Some(r), key, task, Some(n), true);
                }
                UnpackActionKind::ClearFailcount {
                    reason,
                    after_fencing,
                } => {
                    let key = op_key(self.rsc_id(r), "clear_failcount", 0);
                    let a = self.custom_action(Some(r), key, "clear_failcount", Some(n), false);
                    self.am(a).meta.insert("op_no_wait".into(), "true".into());
                    self.am(a).reason = Some(reason.clone());
                    // A remote connection's failure is cleared only once any
                    // fencing of its node is done (`order_after_remote_fencing`).
                    if *after_fencing {
                        if let Some(remote) = self.cluster.node_by_name(self.rsc_id(r)) {
                            let fence =
                                super::fencing::fence_op(self, remote, None, true, None, false);
                            self.order_actions(fence, a, of::IMPLIES_THEN);
                        }
                    }
                }
                UnpackActionKind::LrmDelete => {
                    let key = op_key(self.rsc_id(r), "lrm_delete", 0);
                    self.custom_action(Some(r), key, "lrm_delete", Some(n), false);
                }
            }
        }
        for (_, n) in fencing {
            self.unpack_fence_op(n);
        }
    }

    /// The optional fencing action `pe_fence_node` creates while unpacking.
    fn unpack_fence_op(&mut self, n: NodeIdx) {
        let nd = self.cluster.node(n);
        let reason = nd.fence_reason.clone();
        let delay = nd.fence_priority_delay;
        super::fencing::fence_op(self, n, None, true, reason.as_deref(), delay);
    }
}
