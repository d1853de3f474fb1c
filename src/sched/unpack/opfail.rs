//! How a failed operation is handled, from its configuration
//! (`unpack_operation` as far as `on-fail` and the role after failure go).

use super::{interval_spec_ms, unpack_nvsets, Unpacker};
use crate::cib::rule::RuleContext;
use crate::cib::{NvSet, Op, Role};
use crate::sched::model::{OnFail, RscIdx};
use std::collections::BTreeMap;

/// Severity order of on-fail values (Pacemaker's `cmp_on_fail`).
fn severity(o: OnFail) -> u8 {
    match o {
        OnFail::Ignore => 0,
        OnFail::Demote => 1,
        OnFail::Recover => 2,
        OnFail::ResetRemote => 3,
        OnFail::RestartContainer => 4,
        OnFail::Migrate => 5,
        OnFail::Block => 6,
        OnFail::Stop => 7,
        OnFail::Standby => 8,
        OnFail::Fence => 9,
    }
}

/// Negative when `b` is more severe than `a`.
pub(crate) fn cmp_on_fail(a: OnFail, b: OnFail) -> i32 {
    severity(a) as i32 - severity(b) as i32
}

impl Unpacker<'_> {
    /// `find_rsc_op_entry`: the configured op matching a key.
    pub(crate) fn find_op_entry(&self, r: RscIdx, key: &str, include_disabled: bool) -> Option<Op> {
        let rsc = &self.c.resources[r.i()];
        let find = |key: &str| -> Option<Op> {
            let mut found = None;
            for op in rsc.ops.iter() {
                if op.enabled == Some(false) && !include_disabled {
                    continue;
                }
                let ms = interval_spec_ms(Some(&op.interval_text));
                let k1 = format!("{}_{}_{}", rsc.id, op.name, ms);
                let k2 = rsc
                    .clone_name
                    .as_ref()
                    .map(|c| format!("{}_{}_{}", c, op.name, ms));
                if k1.eq_ignore_ascii_case(key) || k2.is_some_and(|k| k.eq_ignore_ascii_case(key)) {
                    found = Some(op.clone());
                    break;
                }
            }
            found
        };
        if let Some(op) = find(key) {
            return Some(op);
        }
        if key.contains("migrate_to") || key.contains("migrate_from") {
            return find(&format!("{}_migrate_0", rsc.id));
        }
        if key.contains("_notify_") {
            return find(&format!("{}_notify_0", rsc.id));
        }
        None
    }

    /// The (on-fail, role after failure) of an operation on a resource.
    pub(crate) fn op_failure_handling(&self, r: RscIdx, key: &str, task: &str) -> (OnFail, Role) {
        let interval_ms = crate::sched::action::parse_op_key(key).map_or(0, |k| k.2);
        // Like the action Pacemaker creates to ask, disabled operations
        // count here.
        let op = self.find_op_entry(r, key, true);
        let rsc = &self.c.resources[r.i()];
        let class = rsc.class.clone();
        let agent = rsc.agent.clone();
        let ctx = RuleContext {
            now: Some(self.now),
            rsc: Some((&class, rsc.provider.as_deref(), &agent)),
            op: Some((task, interval_ms)),
            ..Default::default()
        };
        let mut meta: BTreeMap<String, String> = BTreeMap::new();
        let defaults: Vec<&NvSet> = self.cib.op_defaults.iter().collect();
        unpack_nvsets(&mut meta, &defaults, None, false, &ctx);
        if let Some(op) = &op {
            let sets: Vec<&NvSet> = op.meta.iter().collect();
            unpack_nvsets(&mut meta, &sets, None, true, &ctx);
            // Attributes of <op> itself take precedence.
            let el = self.cib.doc.get(op.elem);
            if el.name == "op" {
                for a in el.attrs() {
                    meta.insert(a.name.to_string(), a.value.to_string());
                }
            } else if let Some(of) = &op.on_fail {
                meta.insert("on-fail".into(), of.clone());
            }
        }
        let is_remote_conn =
            rsc.is_remote_node && self.find_node(&rsc.id).is_some_and(|n| self.is_remote(n));
        crate::sched::opconfig::failure_handling(
            rsc,
            op.as_ref(),
            &meta,
            (task, interval_ms),
            self.c.options.stonith_enabled,
            is_remote_conn,
        )
    }
}
