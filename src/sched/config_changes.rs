//! Reacting to resource definitions that changed since the recorded
//! operations ran (`pcmk__handle_rsc_config_changes`): restarts "due to
//! resource definition change", agent reloads, rescheduled recurring
//! monitors, cancellation of orphaned or maintenance-mode monitors, and
//! clean-up of histories whose resource is gone or changed agent.

use super::action::{af, of, op_key, ActionId};
use super::digest::{digest_cmp, DigestRc, HistoryOp};
use super::fencing::trigger_unfencing;
use super::model::{NodeIdx, RscIdx, Variant};
use super::state::Scheduler;
use crate::cib::{LrmOp, LrmResource};
use crate::xml::ElemId;
use std::collections::{HashMap, HashSet};

impl Scheduler<'_> {
    /// `pcmk__handle_rsc_config_changes`: every node that can run actions
    /// (or is in maintenance), each resource history entry on it.
    pub fn handle_rsc_config_changes(&mut self) {
        let Some(states) = self.cib.status.as_ref() else {
            return;
        };
        let by_id = self.rscs_by_history_id();
        // Operations whose failure expired (one set instead of a scan of all
        // histories per operation).
        let expired: HashSet<ElemId> = self.cluster.expired_recurring.iter().copied().collect();
        // Node states by name, the first of a name as a scan would find.
        let mut by_uname: HashMap<&str, &crate::cib::NodeState> = HashMap::new();
        for s in states {
            if let Some(u) = s.uname.as_deref() {
                by_uname.entry(u).or_insert(s);
            }
        }
        for n in self.cluster.node_order() {
            let nd = self.cluster.node(n);
            if !(nd.maintenance || self.node_available(n, None, false)) {
                continue;
            }
            let name = nd.name.clone();
            let Some(state) = by_uname.get(name.as_str()).copied() else {
                continue;
            };
            for entry in &state.lrm {
                if entry.ops.is_empty() {
                    continue;
                }
                let Some(matching) = by_id.get(self.cib.doc.text(entry.id)) else {
                    continue;
                };
                for &r in matching {
                    if self.cluster.rsc(r).variant == Variant::Primitive {
                        self.process_rsc_history(entry, r, n, &expired);
                    }
                }
            }
        }
    }

    /// `pcmk__rscs_matching_id` for every id at once (one tree walk instead
    /// of one per history entry): by id or history name, newest match first.
    fn rscs_by_history_id(&self) -> HashMap<String, Vec<RscIdx>> {
        let mut out: HashMap<String, Vec<RscIdx>> = HashMap::new();
        let mut stack: Vec<RscIdx> = self.cluster.top.iter().rev().copied().collect();
        while let Some(r) = stack.pop() {
            let rsc = self.cluster.rsc(r);
            out.entry(rsc.id.clone()).or_default().push(r);
            if let Some(cn) = rsc.clone_name.as_deref().filter(|cn| *cn != rsc.id) {
                out.entry(cn.to_owned()).or_default().push(r);
            }
            stack.extend(rsc.children.iter().rev().copied());
        }
        for v in out.values_mut() {
            v.reverse();
        }
        out
    }

    /// `process_rsc_history`.
    fn process_rsc_history(
        &mut self,
        entry: &LrmResource,
        r: RscIdx,
        n: NodeIdx,
        expired: &HashSet<ElemId>,
    ) {
        let rsc = self.cluster.rsc(r);
        if rsc.orphan {
            let top = self.cluster.top_of(r);
            let anon_clone =
                self.cluster.rsc(top).variant == Variant::Clone && !self.cluster.rsc(top).unique;
            if !anon_clone {
                self.schedule_cleanup(r, n, false);
            }
            return;
        }
        if !rsc.running_on.contains(&n) {
            if self.rsc_agent_changed(r, n, entry, false) {
                self.schedule_cleanup(r, n, false);
            }
            return;
        }
        if self.rsc_agent_changed(r, n, entry, true) {
            self.schedule_cleanup(r, n, false);
        }
        let doc = &self.cib.doc;
        let ops = super::history::sorted_ops(doc, entry);
        let (start, stop) = super::history::active_range(doc, &ops);
        if start < stop {
            return;
        }
        for (i, op) in ops.iter().enumerate() {
            if (i as i64) < start {
                continue;
            }
            let interval = op.interval_ms;
            let in_maintenance =
                self.cluster.rsc(r).maintenance || self.cluster.node(n).maintenance;
            if interval > 0 && in_maintenance {
                self.schedule_cancel(r, op, n, "maintenance mode");
            } else if interval > 0
                || matches!(
                    doc.text(op.operation).to_ascii_lowercase().as_str(),
                    "monitor" | "start" | "promote" | "migrate_from"
                )
            {
                if self.check_action_config(r, n, op, expired) {
                    let legacy = self.legacy_failcounts();
                    let (count, _) =
                        super::failcount::fail_count(&self.cluster, n, r, true, legacy);
                    if count != 0 {
                        self.clear_failcount(r, n, "action definition changed");
                    }
                }
            }
        }
    }

    /// `pcmk__rsc_agent_changed`.
    fn rsc_agent_changed(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        entry: &LrmResource,
        active: bool,
    ) -> bool {
        let rsc = self.cluster.rsc(r);
        let class = Some(rsc.class.as_str()).filter(|c| !c.is_empty());
        let agent = Some(rsc.agent.as_str()).filter(|a| !a.is_empty());
        let doc = &self.cib.doc;
        // Each changed attribute asks for unfencing (only the first reason
        // sticks).
        let changes = [
            agent != entry.agent(doc),
            class != entry.class(doc),
            rsc.provider.as_deref() != entry.provider(doc),
        ];
        let changed = changes.iter().any(|c| *c);
        for _ in changes.iter().filter(|c| **c) {
            trigger_unfencing(self, Some(r), Some(n), "Device definition changed", None);
        }
        if changed && active {
            self.stop_action(r, Some(n), false);
            self.cluster.rsc_mut(r).start_pending = true;
        }
        changed
    }

    /// `clear_failcounts_if_orphaned`: an orphan's fail counts are cleared
    /// on every online node that has one, before it stops.
    pub fn clear_failcounts_if_orphaned(&mut self, r: RscIdx) {
        if !self.cluster.rsc(r).orphan {
            return;
        }
        let legacy = self.legacy_failcounts();
        for n in self.cluster.node_order() {
            if !self.cluster.node(n).online {
                continue;
            }
            let (count, _) = super::failcount::fail_count(&self.cluster, n, r, true, legacy);
            if count == 0 {
                continue;
            }
            let clear = self.clear_failcount(r, n, "it is orphaned");
            let stop = op_key(self.rsc_id(r), "stop", 0);
            self.new_ordering(
                None,
                None,
                Some(clear),
                Some(r),
                Some(stop),
                None,
                of::OPTIONAL,
            );
        }
    }

    /// `pcmk__schedule_cleanup` (required clean-up).
    fn schedule_cleanup(&mut self, r: RscIdx, n: NodeIdx, optional: bool) {
        if self.cluster.rsc(r).failed {
            return;
        }
        let nd = self.cluster.node(n);
        if nd.unclean || !nd.online {
            return;
        }
        let key = op_key(self.rsc_id(r), "delete", 0);
        self.custom_action(Some(r), key, "delete", Some(n), optional);
        let flag = if optional {
            of::IMPLIES_THEN
        } else {
            of::OPTIONAL
        };
        self.order_rsc_actions(r, "stop", r, "delete", flag);
        self.order_rsc_actions(r, "delete", r, "start", flag);
    }

    /// `pcmk__schedule_cancel`.
    fn schedule_cancel(&mut self, r: RscIdx, op: &LrmOp, n: NodeIdx, _reason: &str) {
        let cib = self.cib;
        let cancel = self.new_cancel_action(r, cib.doc.text(op.operation), op.interval_ms, n);
        self.am(cancel)
            .meta
            .insert("call-id".into(), op.call_id.to_string());
        let key = op_key(self.rsc_id(r), "stop", 0);
        self.new_ordering(
            Some(r),
            Some(key),
            None,
            Some(r),
            None,
            Some(cancel),
            of::OPTIONAL,
        );
    }

    /// The parameter checks unpacking deferred until resources are
    /// assigned (`check_params` on `pe_check_last_failure`): a changed
    /// definition clears the fail count.
    pub fn run_param_checks(&mut self) {
        for pc in std::mem::take(&mut self.cluster.param_checks) {
            let hop = HistoryOp::from_elem(self.cib, pc.op, None);
            let d = digest_cmp(self.cib, &self.cluster, pc.rsc, pc.node, &hop);
            if matches!(d.rc, DigestRc::Restart | DigestRc::All) {
                self.clear_failcount(pc.rsc, pc.node, "action definition changed");
            }
        }
    }

    /// `pe__clear_failcount`.
    pub fn clear_failcount(&mut self, r: RscIdx, n: NodeIdx, reason: &str) -> ActionId {
        let key = op_key(self.rsc_id(r), "clear_failcount", 0);
        let a = self.custom_action(Some(r), key, "clear_failcount", Some(n), false);
        self.am(a).meta.insert("op_no_wait".into(), "true".into());
        self.am(a).reason = Some(reason.to_owned());
        a
    }

    /// Is a recurring operation still configured (enabled)?
    fn action_in_config(&self, r: RscIdx, task: &str, interval_ms: u64) -> bool {
        self.cluster.rsc(r).ops.iter().any(|o| {
            o.name.eq_ignore_ascii_case(task)
                && o.interval_ms == interval_ms
                && o.enabled != Some(false)
        })
    }

    /// `pcmk__check_action_config`: true if the operation's configuration
    /// changed (or it is an orphan).
    fn check_action_config(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        op: &LrmOp,
        expired: &HashSet<ElemId>,
    ) -> bool {
        let interval = op.interval_ms;
        let cib = self.cib;
        let operation = cib.doc.text(op.operation);
        if interval > 0 && !self.action_in_config(r, operation, interval) {
            if self.cluster.options.stop_orphan_actions {
                self.schedule_cancel(r, op, n, "orphan");
            }
            return true;
        }
        let task = if interval == 0 && matches!(operation, "monitor" | "migrate_from" | "promote") {
            "start".to_owned()
        } else {
            operation.to_string()
        };
        let restart_override = expired
            .contains(&op.elem)
            .then_some("calculated-failure-timeout");
        let hop = HistoryOp::from_elem(self.cib, op.elem, restart_override);
        let d = digest_cmp(self.cib, &self.cluster, r, n, &hop);
        // crm_simulate runs on sanitized CIBs: when only the sensitive
        // parameters differ, nothing changed (`only_sanitized_changed`).
        if d.rc != DigestRc::Match && hop.secure_digest.as_deref() == Some(d.secure.as_str()) {
            return false;
        }
        match d.rc {
            DigestRc::Restart => {
                self.force_restart(r, &task, interval, n);
                true
            }
            DigestRc::All | DigestRc::Unknown => {
                if interval > 0 {
                    self.reschedule_recurring(r, operation, interval, n);
                } else if hop.restart_digest.is_some() {
                    trigger_unfencing(
                        self,
                        Some(r),
                        Some(n),
                        "Device parameters changed (reload)",
                        None,
                    );
                    self.schedule_reload(r, n);
                } else {
                    self.force_restart(r, &task, interval, n);
                }
                true
            }
            DigestRc::Match => false,
        }
    }

    /// `force_restart`: require the task (no node yet; the action on the
    /// assigned node adopts it).
    fn force_restart(&mut self, r: RscIdx, task: &str, interval_ms: u64, n: NodeIdx) {
        let key = op_key(self.rsc_id(r), task, interval_ms);
        let a = self.custom_action(Some(r), key, task, None, false);
        self.am(a).reason = Some("resource definition change".into());
        trigger_unfencing(self, Some(r), Some(n), "Device parameters changed", None);
    }

    /// `pcmk__reschedule_recurring`.
    fn reschedule_recurring(&mut self, r: RscIdx, task: &str, interval_ms: u64, n: NodeIdx) {
        trigger_unfencing(
            self,
            Some(r),
            Some(n),
            "Device parameters changed (reschedule)",
            None,
        );
        let key = op_key(self.rsc_id(r), task, interval_ms);
        let a = self.custom_action(Some(r), key, task, Some(n), true);
        self.am(a).set(af::RESCHEDULE);
    }

    /// `schedule_reload`.
    fn schedule_reload(&mut self, r: RscIdx, n: NodeIdx) {
        if self.cluster.rsc(r).variant != Variant::Primitive {
            for c in self.cluster.rsc(r).children.clone() {
                self.schedule_reload(c, n);
            }
            return;
        }
        let rsc = self.cluster.rsc(r);
        if !rsc.managed || rsc.failed {
            return;
        }
        if rsc.start_pending {
            self.stop_action(r, Some(n), false);
            return;
        }
        self.rs[r.i()].reload = true;
        let key = op_key(self.rsc_id(r), "reload-agent", 0);
        let reload = self.custom_action(Some(r), key, "reload-agent", Some(n), false);
        if self.a(reload).reason.is_none() {
            self.am(reload).reason = Some("resource definition change".into());
        }
        for t in ["stop", "demote"] {
            let k = op_key(self.rsc_id(r), t, 0);
            self.new_ordering(
                None,
                None,
                Some(reload),
                Some(r),
                Some(k),
                None,
                of::OPTIONAL | of::THEN_CANCELS_FIRST,
            );
        }
    }
}
