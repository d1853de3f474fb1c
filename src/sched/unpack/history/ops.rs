//! One operation history entry at a time (`unpack_rsc_op`): expiry of old
//! failures, remapping results against the expected result, and the
//! resource state and failure handling each result implies, including
//! live migrations.

use super::*;

/// The largest exit status (`CRM_EX_MAX`).
const CRM_EX_MAX: i64 = 255;

impl<'c> Unpacker<'c> {
    pub(super) fn unpack_rsc_op(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        op: &HOp<'c>,
        last_failure: &mut Option<HOp<'c>>,
        on_fail: &mut OnFail,
    ) {
        let target_rc = op.target_rc();
        let task = op.task;
        let mut rc = op.rc;
        let Some(mut status) = op.status else { return };
        if !(EXEC_PENDING..=EXEC_NO_SECRETS).contains(&status) || task.is_empty() {
            return;
        }
        if task == "notify" || task == "meta-data" {
            return;
        }
        if self.c.options.profile.history_rc_checked
            && !op.rc_attr.is_some_and(|rc| (0..=CRM_EX_MAX).contains(&rc))
        {
            return;
        }
        let parent = if self.c.resources[r.i()].unique {
            r
        } else {
            self.uber_parent(r)
        };
        let expired = status != EXEC_NOT_INSTALLED && self.check_operation_expiry(r, n, rc, op);
        let (old_rc, old_target) = (rc, target_rc);
        self.remap_operation(op, r, n, on_fail, target_rc, &mut rc, &mut status);
        let maskable = !self.is_bundled(r) && op.mask_probe_failure();

        if expired && maskable && old_rc != old_target {
            if self.c.resources[r.i()].role <= Role::Stopped {
                self.c.resources[r.i()].role = Role::Unknown;
            }
            return;
        } else if expired && rc != target_rc {
            if op.interval_ms == 0 {
                return;
            } else if self.c.nodes[n.i()].online && !self.c.nodes[n.i()].unclean {
                self.c.expired_recurring.push(op.elem);
                return;
            }
        }
        if maskable {
            self.update_resource_state(r, n, op, task, target_rc, last_failure, on_fail);
            self.record_failed_op(op, n, r);
            self.resource_location(
                parent,
                Some(n),
                -crate::cib::score::INFINITY,
                "masked-probe-failure",
            );
            return;
        }
        match status {
            EXEC_CANCELLED => return,
            EXEC_PENDING => {
                if task == "start" {
                    self.c.resources[r.i()].start_pending = true;
                    self.set_active(r);
                } else if task == "promote" {
                    self.c.resources[r.i()].role = Role::Promoted;
                } else if task == "migrate_to" && self.c.nodes[n.i()].unclean {
                    if let Some(t) = op.migrate_target.and_then(|t| self.find_node(t)) {
                        self.add_action(r, t, UnpackActionKind::Stop, false);
                    }
                }
                let rsc = &mut self.c.resources[r.i()];
                if rsc.pending_task.is_none() && (op.interval_ms != 0 || task != "monitor") {
                    rsc.pending_task = Some(task.to_string());
                    rsc.pending_node = Some(n);
                }
                return;
            }
            EXEC_DONE => {
                self.update_resource_state(r, n, op, task, rc, last_failure, on_fail);
                return;
            }
            EXEC_NOT_INSTALLED => {
                let (fs, _) = self.op_failure_handling(r, op.key, task);
                if fs == OnFail::Ignore {
                    // Shown as FAILED even though failures are ignored.
                    *on_fail = OnFail::Migrate;
                }
                self.resource_location(parent, Some(n), -crate::cib::score::INFINITY, "hard-error");
                self.unpack_rsc_op_failure(r, n, rc, op, last_failure, on_fail);
                return;
            }
            EXEC_NOT_CONNECTED => {
                if let Some(rr) = self.c.nodes[n.i()].remote_rsc {
                    if self.is_guest_or_remote(n) && self.c.resources[rr.i()].managed {
                        let x = &mut self.c.resources[rr.i()];
                        x.failed = true;
                        x.stop = true;
                    }
                }
            }
            EXEC_ERROR | EXEC_ERROR_HARD | EXEC_ERROR_FATAL | EXEC_TIMEOUT | EXEC_NOT_SUPPORTED
            | EXEC_INVALID => {}
            EXEC_NO_FENCE_DEVICE | EXEC_NO_SECRETS => status = EXEC_ERROR_HARD,
            _ => {}
        }
        let (fs, _) = self.op_failure_handling(r, op.key, task);
        if fs == OnFail::Ignore || (fs == OnFail::RestartContainer && task == "stop") {
            self.update_resource_state(r, n, op, task, target_rc, last_failure, on_fail);
            self.c.resources[r.i()].failure_ignored = true;
            self.record_failed_op(op, n, r);
            if fs == OnFail::RestartContainer && cmp_on_fail(*on_fail, OnFail::Recover) <= 0 {
                *on_fail = fs;
            }
        } else {
            self.unpack_rsc_op_failure(r, n, rc, op, last_failure, on_fail);
            if status == EXEC_ERROR_HARD {
                self.resource_location(parent, Some(n), -crate::cib::score::INFINITY, "hard-error");
            } else if status == EXEC_ERROR_FATAL {
                self.resource_location(parent, None, -crate::cib::score::INFINITY, "fatal-error");
            }
        }
    }

    /// Remember a failed operation for display (`record_failed_op`).
    fn record_failed_op(&mut self, op: &HOp<'c>, n: NodeIdx, r: RscIdx) {
        if !self.c.nodes[n.i()].online {
            return;
        }
        if self
            .c
            .failed_ops
            .iter()
            .any(|f| f.key.eq_ignore_ascii_case(op.key) && f.node == n)
        {
            return;
        }
        self.c.failed_ops.push(FailedOp {
            rsc: self.c.resources[r.i()].id.clone(),
            node: n,
            task: op.task.to_string(),
            interval_ms: op.interval_ms,
            rc: op.rc,
            status: op.status.unwrap_or(0),
            id: op.id.to_string(),
            key: op.key.to_string(),
            on_node: op.on_node.map(str::to_owned),
            elem: op.elem,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn remap_operation(
        &mut self,
        op: &HOp<'c>,
        r: RscIdx,
        n: NodeIdx,
        on_fail: &mut OnFail,
        target_rc: i32,
        rc: &mut i32,
        status: &mut i32,
    ) {
        if op.task == "monitor" {
            let remapped = match *rc {
                OCF_DEGRADED => OCF_OK,
                OCF_DEGRADED_PROMOTED => OCF_RUNNING_PROMOTED,
                x => x,
            };
            if *rc != remapped {
                let node = &self.c.nodes[n.i()];
                if !node.shutdown || node.online {
                    self.record_failed_op(op, n, r);
                }
                *rc = remapped;
            }
        }
        if !self.is_bundled(r) && op.mask_probe_failure() {
            *status = EXEC_DONE;
            *rc = OCF_NOT_RUNNING;
        }
        if *status != EXEC_DONE && *status != EXEC_ERROR {
            return;
        }
        *status = EXEC_DONE;
        let is_probe = op.is_probe();
        let task = if is_probe { "probe" } else { op.task };
        if target_rc < 0 || target_rc != *rc {
            *status = EXEC_ERROR;
        }
        match *rc {
            OCF_OK => {
                if is_probe && target_rc == OCF_NOT_RUNNING {
                    *status = EXEC_DONE;
                }
            }
            OCF_NOT_RUNNING => {
                if is_probe || target_rc == *rc || !self.c.resources[r.i()].managed {
                    *status = EXEC_DONE;
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.role = Role::Stopped;
                    *on_fail = OnFail::Ignore;
                    rsc.next_role = Role::Unknown;
                }
            }
            OCF_RUNNING_PROMOTED => {
                if is_probe && *rc != target_rc {
                    *status = EXEC_DONE;
                }
                self.c.resources[r.i()].role = Role::Promoted;
            }
            OCF_DEGRADED_PROMOTED | OCF_FAILED_PROMOTED => {
                self.c.resources[r.i()].role = Role::Promoted;
                *status = EXEC_ERROR;
            }
            OCF_NOT_CONFIGURED => *status = EXEC_ERROR_FATAL,
            OCF_UNIMPLEMENT_FEATURE => {
                if op.interval_ms == 0 {
                    self.check_recoverable(r, n, task);
                    *status = EXEC_ERROR_HARD;
                } else {
                    *status = EXEC_NOT_SUPPORTED;
                }
            }
            OCF_NOT_INSTALLED | OCF_INVALID_PARAM | OCF_INSUFFICIENT_PRIV => {
                self.check_recoverable(r, n, task);
                *status = EXEC_ERROR_HARD;
            }
            _ => {
                if *status == EXEC_DONE {
                    *status = EXEC_ERROR;
                }
            }
        }
    }

    /// A failed stop that fencing cannot recover blocks the resource.
    fn check_recoverable(&mut self, r: RscIdx, n: NodeIdx, task: &str) {
        if task != "stop" || self.can_fence(n) {
            return;
        }
        let rsc = &mut self.c.resources[r.i()];
        rsc.managed = false;
        rsc.blocked = true;
    }

    #[allow(clippy::too_many_arguments)]
    fn update_resource_state(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        op: &HOp<'c>,
        task: &str,
        rc: i32,
        last_failure: &Option<HOp<'c>>,
        on_fail: &mut OnFail,
    ) {
        let mut clear = false;
        let t = task.to_ascii_lowercase();
        if rc == OCF_NOT_INSTALLED || (!self.is_bundled(r) && op.mask_probe_failure()) {
            self.c.resources[r.i()].role = Role::Stopped;
        } else if rc == OCF_NOT_RUNNING {
            clear = true;
        } else if t == "monitor" {
            if let Some(lf) = last_failure {
                if op.key.eq_ignore_ascii_case(lf.key) {
                    clear = true;
                }
            }
            if self.c.resources[r.i()].role < Role::Started {
                self.set_active(r);
            }
        } else if t == "start" {
            self.c.resources[r.i()].role = Role::Started;
            clear = true;
        } else if t == "stop" {
            self.c.resources[r.i()].role = Role::Stopped;
            clear = true;
        } else if t == "promote" {
            self.c.resources[r.i()].role = Role::Promoted;
            clear = true;
        } else if t == "demote" {
            if *on_fail == OnFail::Demote {
                clear = true;
            }
            self.c.resources[r.i()].role = Role::Unpromoted;
        } else if t == "migrate_from" {
            self.c.resources[r.i()].role = Role::Started;
            clear = true;
        } else if t == "migrate_to" {
            self.unpack_migrate_to_success(r, n, op);
        } else if self.c.resources[r.i()].role < Role::Started {
            self.set_active(r);
        }
        if clear {
            match *on_fail {
                OnFail::Stop | OnFail::Fence | OnFail::Migrate | OnFail::Standby => {}
                OnFail::Block
                | OnFail::Ignore
                | OnFail::Demote
                | OnFail::Recover
                | OnFail::RestartContainer => {
                    *on_fail = OnFail::Ignore;
                    self.c.resources[r.i()].next_role = Role::Unknown;
                }
                OnFail::ResetRemote => {
                    if self.c.resources[r.i()].remote_reconnect_ms == 0 {
                        *on_fail = OnFail::Ignore;
                        self.c.resources[r.i()].next_role = Role::Unknown;
                    }
                }
            }
        }
    }

    fn unpack_rsc_op_failure(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        rc: i32,
        op: &HOp<'c>,
        last_failure: &mut Option<HOp<'c>>,
        on_fail: &mut OnFail,
    ) {
        *last_failure = Some(op.clone());
        let is_probe = op.is_probe();
        if !(!self.c.options.symmetric && rc == OCF_NOT_INSTALLED) {
            self.record_failed_op(op, n, r);
        }
        let (a_on_fail, fail_role) = self.op_failure_handling(r, op.key, op.task);
        if cmp_on_fail(*on_fail, a_on_fail) < 0 {
            *on_fail = a_on_fail;
        }
        match op.task {
            "stop" => {
                self.resource_location(r, Some(n), -crate::cib::score::INFINITY, "__stop_fail__");
            }
            "migrate_to" => self.unpack_migrate_to_failure(r, n, op),
            "migrate_from" => self.unpack_migrate_from_failure(r, n, op),
            "promote" => self.c.resources[r.i()].role = Role::Promoted,
            "demote" => {
                let rsc = &mut self.c.resources[r.i()];
                if a_on_fail == OnFail::Block {
                    rsc.role = Role::Promoted;
                    rsc.next_role = Role::Stopped;
                } else if rc == OCF_NOT_RUNNING {
                    rsc.role = Role::Stopped;
                } else {
                    rsc.role = Role::Unpromoted;
                }
            }
            _ => {}
        }
        if is_probe && rc == OCF_NOT_INSTALLED {
            self.c.resources[r.i()].role = Role::Stopped;
        } else if self.c.resources[r.i()].role < Role::Started {
            self.set_active(r);
        }
        if fail_role != Role::Started && self.c.resources[r.i()].next_role < fail_role {
            self.c.resources[r.i()].next_role = fail_role;
        }
        if fail_role == Role::Stopped {
            let mut fail_rsc = r;
            if self.c.resources[r.i()].parent.is_some() {
                let p = self.uber_parent(r);
                if self.is_clone(p) && !self.c.resources[p.i()].unique {
                    fail_rsc = p;
                }
            }
            let all: crate::sched::nodemap::NodeMap<Score> = (0..self.c.nodes.len() as u32)
                .map(|i| (NodeIdx(i), Score::MINUS_INFINITY))
                .collect();
            self.c.resources[fail_rsc.i()].allowed_nodes = std::sync::Arc::new(all);
        }
    }

    // ----- failure expiry -----

    /// `check_operation_expiry`: is this entry older than failure-timeout
    /// (with no unexpired fail count)? Schedules fail count clearing.
    fn check_operation_expiry(&mut self, r: RscIdx, n: NodeIdx, rc: i32, op: &HOp<'c>) -> bool {
        let mut expired = false;
        let is_last_failure = op.id.ends_with("_last_failure_0");
        let mut unexpired = 0;
        let now = self.now.0;
        if self.c.resources[r.i()].failure_timeout > 0 {
            if let Some(last_run) = op.last_rc_change {
                let timeout = self.c.resources[r.i()].failure_timeout;
                if now >= last_run + timeout && !self.should_ignore_failure_timeout(r, op) {
                    expired = true;
                }
                let (count, last) = self.failcount(n, r, true, Some(op));
                unexpired = count;
                let timeout = self.c.resources[r.i()].failure_timeout;
                let next = last + timeout + 1;
                if unexpired > 0 && now < next {
                    self.c.recheck_by = Some(self.c.recheck_by.map_or(next, |x| x.min(next)));
                }
            }
        }
        let mut clear_reason = None;
        if expired {
            if self.failcount(n, r, false, Some(op)).0 > 0 {
                if unexpired == 0 {
                    clear_reason = Some("it expired");
                } else {
                    expired = false;
                }
            } else if is_last_failure && self.c.resources[r.i()].remote_reconnect_ms > 0 {
                clear_reason = Some("reconnect interval is set");
            }
        }
        if !expired
            && is_last_failure
            && (op.task == "start" || op.task == "monitor")
            && crate::sched::digest::needs_remote_name(&self.c, r)
        {
            // The address depends on where the container is assigned:
            // compared once resources are assigned.
            self.c.param_checks.push(crate::sched::model::ParamCheck {
                rsc: r,
                node: n,
                op: op.elem,
            });
        } else if !expired && is_last_failure && (op.task == "start" || op.task == "monitor") {
            // `should_clear_for_param_change`.
            let hop = crate::sched::digest::HistoryOp::from_elem(self.cib, op.elem, None);
            let d = crate::sched::digest::digest_cmp(self.cib, &self.c, r, n, &hop);
            if matches!(
                d.rc,
                crate::sched::digest::DigestRc::Restart | crate::sched::digest::DigestRc::All
            ) {
                clear_reason = Some("resource parameters have changed");
            }
        }
        if let Some(reason) = clear_reason {
            let after_fencing =
                self.c.options.stonith_enabled && self.c.resources[r.i()].remote_reconnect_ms > 0;
            self.add_action(
                r,
                n,
                UnpackActionKind::ClearFailcount {
                    reason: reason.into(),
                    after_fencing,
                },
                false,
            );
        }
        if expired && op.interval_ms == 0 && op.task == "monitor" {
            if matches!(
                rc,
                OCF_OK
                    | OCF_NOT_RUNNING
                    | OCF_RUNNING_PROMOTED
                    | OCF_DEGRADED
                    | OCF_DEGRADED_PROMOTED
            ) {
                expired = false;
            }
        }
        expired
    }

    fn should_ignore_failure_timeout(&self, r: RscIdx, op: &HOp<'c>) -> bool {
        let rsc = &self.c.resources[r.i()];
        if rsc.remote_reconnect_ms > 0
            && self.c.options.stonith_enabled
            && op.interval_ms != 0
            && op.task.eq_ignore_ascii_case("monitor")
        {
            if let Some(rn) = self.find_node(&rsc.id) {
                return !self.c.nodes[rn.i()].remote_was_fenced;
            }
        }
        false
    }

    /// `pe_get_failcount` (without fillers): (count, last failure time).
    /// While unpacking, a failure that on-fail=block matches also cancels
    /// the resource's failure timeout for good.
    pub(crate) fn failcount(
        &mut self,
        n: NodeIdx,
        r: RscIdx,
        effective: bool,
        op: Option<&HOp<'c>>,
    ) -> (i32, i64) {
        use crate::sched::failcount::{failures_expired, recorded_failures};
        let (count, last) = recorded_failures(&self.c, n, r, self.legacy_failcounts);
        if count.0 > 0 && self.c.resources[r.i()].failure_timeout > 0 && self.block_failure(r, op) {
            self.c.resources[r.i()].failure_timeout = 0;
        }
        if effective && failures_expired(&self.c, r, count, last) {
            return (0, last);
        }
        (count.0, last)
    }

    /// Does an `on-fail=block` op configuration match this failure?
    fn block_failure(&self, r: RscIdx, op: Option<&HOp<'c>>) -> bool {
        let Some(op) = op else { return false };
        let rsc = &self.c.resources[r.i()];
        let xml_name = clone_strip(&rsc.id);
        rsc.ops
            .iter()
            .filter(|o| o.on_fail.as_deref() == Some("block"))
            .any(|conf| {
                let ms = super::super::interval_spec_ms(Some(&conf.interval_text));
                if ms != op.interval_ms || !conf.name.eq_ignore_ascii_case(op.task) {
                    return false;
                }
                if op
                    .id
                    .eq_ignore_ascii_case(&format!("{xml_name}_last_failure_0"))
                {
                    return true;
                }
                op.id
                    .eq_ignore_ascii_case(&format!("{xml_name}_{}_{ms}", conf.name))
                    && op.rc != op.target_rc()
            })
    }

    // ----- migrations -----

    /// `find_lrm_op`: the single history entry matching (else none).
    fn find_lrm_op(
        &self,
        rsc: &str,
        task: &str,
        node: &str,
        source: Option<&str>,
        target_rc: Option<i32>,
    ) -> Option<HOp<'c>> {
        let mut found: Vec<&HOp<'c>> = Vec::new();
        for e in self.status_index() {
            if e.uname != Some(node) || e.rsc_id != rsc {
                continue;
            }
            for op in &e.ops {
                if op.task != task {
                    continue;
                }
                let ok = match (source, task) {
                    (Some(s), "migrate_to") => op.migrate_target == Some(s),
                    (Some(s), "migrate_from") => op.migrate_source == Some(s),
                    _ => true,
                };
                if ok {
                    found.push(op);
                }
            }
        }
        if found.len() != 1 {
            return None;
        }
        let op = found[0];
        if let Some(t) = target_rc {
            if op.rc != t || op.status != Some(EXEC_DONE) {
                return None;
            }
        }
        Some(op.clone())
    }

    /// The single `lrm_resource` entry for a resource on a node.
    fn find_lrm_resource(&self, rsc: &str, node: &str) -> Option<&StatusEntry<'c>> {
        let mut it = self
            .status_index()
            .iter()
            .filter(|e| e.uname == Some(node) && e.rsc_id == rsc);
        let first = it.next()?;
        if it.next().is_some() {
            return None;
        }
        Some(first)
    }

    /// No history of `rsc` on `node` (cleaned, or never probed): no
    /// operation with a result other than pending (193).
    fn unknown_on_node(&self, rsc: &str, node: &str) -> bool {
        self.find_lrm_resource(rsc, node)
            .is_none_or(|e| !e.ops.iter().any(|o| o.rc_attr.is_some_and(|rc| rc != 193)))
    }

    fn monitor_not_running_after(
        &self,
        rsc: &str,
        node: &str,
        op: &HOp<'c>,
        same_node: bool,
    ) -> bool {
        self.find_lrm_op(rsc, "monitor", node, None, Some(OCF_NOT_RUNNING))
            .is_some_and(|m| is_newer_op(&m, op, same_node) > 0)
    }

    fn non_monitor_after(&self, rsc: &str, node: &str, op: &HOp<'c>, same_node: bool) -> bool {
        let Some(e) = self.find_lrm_resource(rsc, node) else {
            return false;
        };
        e.ops.iter().any(|o| {
            o.elem != op.elem
                && matches!(o.task, "start" | "stop" | "migrate_to" | "migrate_from")
                && is_newer_op(o, op, same_node) > 0
        })
    }

    fn newer_state_after_migrate(
        &self,
        rsc: &str,
        node: &str,
        to: Option<&HOp<'c>>,
        from: Option<&HOp<'c>>,
    ) -> bool {
        let Some(base) = from.or(to) else {
            return false;
        };
        let source = base.migrate_source;
        let target = base.migrate_target;
        let mut xml_op = base;
        let mut same_node = false;
        if target.is_some_and(|t| t.eq_ignore_ascii_case(node)) {
            if let Some(f) = from {
                xml_op = f;
                same_node = true;
            } else if let Some(t) = to {
                xml_op = t;
            }
        } else if source.is_some_and(|s| s.eq_ignore_ascii_case(node)) {
            if let Some(t) = to {
                xml_op = t;
                same_node = true;
            } else if let Some(f) = from {
                xml_op = f;
            }
        }
        self.non_monitor_after(rsc, node, xml_op, same_node)
            || self.monitor_not_running_after(rsc, node, xml_op, same_node)
    }

    fn unpack_migrate_to_success(&mut self, r: RscIdx, n: NodeIdx, op: &HOp<'c>) {
        let (Some(source), Some(target)) = (op.migrate_source, op.migrate_target) else {
            return;
        };
        if source != self.c.nodes[n.i()].name {
            return;
        }
        let id = self.c.resources[r.i()].id.clone();
        let source_newer = self.non_monitor_after(&id, source, op, true);
        let from = self.find_lrm_op(&id, "migrate_from", target, Some(source), None);
        if source_newer && from.is_some() {
            return;
        }
        let target_newer = self.newer_state_after_migrate(&id, target, Some(op), from.as_ref());
        if source_newer && target_newer {
            return;
        }
        self.c.resources[r.i()].role = Role::Started;
        let target_node = self.find_node(target);
        let source_node = self.find_node(source);
        let online = |me: &Self, x: Option<NodeIdx>| x.is_some_and(|x| me.c.nodes[x.i()].online);
        match &from {
            Some(f) if f.rc == OCF_OK && f.status == Some(EXEC_DONE) => {
                let rsc = &mut self.c.resources[r.i()];
                rsc.role = Role::Stopped;
                rsc.dangling_migrations.insert(0, n);
            }
            Some(f) if f.status != Some(EXEC_PENDING) => {
                if !target_newer && online(self, target_node) {
                    if let Some(t) = target_node {
                        self.add_running(r, t, true);
                    }
                } else {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                    rsc.allow_migrate = false;
                }
            }
            // A migrate_to with no history at all on an online target: the
            // target was most likely cleaned up, and the probe scheduled there
            // will tell. Not a partial migration, not a failure (the fix of
            // Pacemaker's T623, in Debian's 2.1.5 and upstream from 2.1.6).
            _ if online(self, target_node) && self.unknown_on_node(&id, target) => {}
            _ => {
                if !target_newer && online(self, target_node) {
                    if let Some(t) = target_node {
                        self.add_running(r, t, false);
                        if online(self, source_node) {
                            let rsc = &mut self.c.resources[r.i()];
                            rsc.partial_migration_target = Some(t);
                            rsc.partial_migration_source = source_node;
                        }
                    }
                } else if !source_newer {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                    rsc.allow_migrate = false;
                }
            }
        }
    }

    fn unpack_migrate_to_failure(&mut self, r: RscIdx, n: NodeIdx, op: &HOp<'c>) {
        let (Some(source), Some(target)) = (op.migrate_source, op.migrate_target) else {
            return;
        };
        if source != self.c.nodes[n.i()].name {
            return;
        }
        self.c.resources[r.i()].role = Role::Started;
        let id = self.c.resources[r.i()].id.clone();
        let from = self.find_lrm_op(&id, "migrate_from", target, Some(source), Some(OCF_OK));
        if !self.unknown_on_node(&id, target)
            && !self.newer_state_after_migrate(&id, target, Some(op), from.as_ref())
        {
            if let Some(t) = self.find_node(target) {
                if self.c.nodes[t.i()].online {
                    self.add_running(r, t, false);
                }
            }
        } else if !self.non_monitor_after(&id, source, op, true) {
            self.c.resources[r.i()].dangling_migrations.insert(0, n);
        }
    }

    fn unpack_migrate_from_failure(&mut self, r: RscIdx, n: NodeIdx, op: &HOp<'c>) {
        let (Some(source), Some(target)) = (op.migrate_source, op.migrate_target) else {
            return;
        };
        if target != self.c.nodes[n.i()].name {
            return;
        }
        self.c.resources[r.i()].role = Role::Started;
        let id = self.c.resources[r.i()].id.clone();
        let to = self.find_lrm_op(&id, "migrate_to", source, Some(target), Some(OCF_OK));
        if !self.unknown_on_node(&id, source)
            && !self.newer_state_after_migrate(&id, source, to.as_ref(), Some(op))
        {
            if let Some(s) = self.find_node(source) {
                if self.c.nodes[s.i()].online {
                    self.add_running(r, s, true);
                }
            }
        }
    }
}
