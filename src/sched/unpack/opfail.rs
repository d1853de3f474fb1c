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

/// `parse_op_key`: (resource, task, interval) of `RSC_TASK_INTERVAL`.
pub(crate) fn parse_op_key(key: &str) -> Option<(String, String, u64)> {
    let (rest, interval) = key.rsplit_once('_')?;
    let interval: u64 = interval.parse().ok()?;
    // Tasks may contain underscores (migrate_to, notify ops): take the
    // longest known task suffix, else the last component.
    for t in ["migrate_to", "migrate_from", "pre_notify_start"] {
        if let Some(r) = rest.strip_suffix(&format!("_{t}")) {
            return Some((r.to_owned(), t.to_owned(), interval));
        }
    }
    let (rsc, task) = rest.rsplit_once('_')?;
    Some((rsc.to_owned(), task.to_owned(), interval))
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
        let interval_ms = super::opfail::parse_op_key(key).map(|k| k.2).unwrap_or(0);
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
        let mut value = meta.get("on-fail").cloned();
        let lower = |v: &Option<String>| v.as_deref().map(str::to_ascii_lowercase);
        if task == "stop"
            && matches!(
                lower(&value).as_deref(),
                Some("standby" | "demote" | "stop")
            )
        {
            value = None;
        } else if task == "demote" && value.is_none() {
            // Demote defaults to the on-fail of a promoted-role monitor.
            for o in rsc.ops.iter() {
                let Some(of) = &o.on_fail else { continue };
                if o.enabled == Some(false) || o.name != "monitor" {
                    continue;
                }
                if o.role != Some(Role::Promoted) || interval_spec_ms(Some(&o.interval_text)) == 0 {
                    continue;
                }
                if of.eq_ignore_ascii_case("demote") {
                    continue;
                }
                value = Some(of.clone());
                break;
            }
        } else if task == "delete" {
            value = Some("ignore".into());
        } else if lower(&value).as_deref() == Some("demote") {
            let ok = op.as_ref().is_some_and(|o| {
                o.name == "promote"
                    || (o.name == "monitor"
                        && o.role == Some(Role::Promoted)
                        && interval_spec_ms(Some(&o.interval_text)) != 0)
            });
            if !ok {
                value = None;
            }
        }
        let stonith = self.c.options.stonith_enabled;
        let mut fail_role = Role::Unknown;
        let mut on_fail = match lower(&value).as_deref() {
            None => None,
            Some("block") => Some(OnFail::Block),
            Some("fence") if stonith => Some(OnFail::Fence),
            Some("fence") => {
                fail_role = Role::Stopped;
                Some(OnFail::Stop)
            }
            Some("standby") => Some(OnFail::Standby),
            Some("ignore") | Some("nothing") => Some(OnFail::Ignore),
            Some("migrate") => Some(OnFail::Migrate),
            Some("stop") => {
                fail_role = Role::Stopped;
                Some(OnFail::Stop)
            }
            Some("restart") => Some(OnFail::Recover),
            Some("restart-container") if rsc.container.is_some() => Some(OnFail::RestartContainer),
            Some("demote") => Some(OnFail::Demote),
            Some(_) => None,
        };
        let is_remote_conn =
            rsc.is_remote_node && self.find_node(&rsc.id).is_some_and(|n| self.is_remote(n));
        if on_fail.is_none() && rsc.container.is_some() {
            on_fail = Some(OnFail::RestartContainer);
        } else if (on_fail.is_none() || !rsc.managed)
            && is_remote_conn
            && !(task == "monitor" && interval_ms == 0)
            && task != "start"
        {
            if !rsc.managed {
                on_fail = Some(OnFail::Stop);
                fail_role = Role::Stopped;
            } else {
                if rsc.remote_reconnect_ms > 0 {
                    fail_role = Role::Stopped;
                }
                on_fail = Some(OnFail::ResetRemote);
            }
        } else if on_fail.is_none() && task == "stop" {
            on_fail = Some(if stonith {
                OnFail::Fence
            } else {
                OnFail::Block
            });
        } else if on_fail.is_none() {
            on_fail = Some(OnFail::Recover);
        }
        if op.is_some() && fail_role == Role::Unknown {
            if let Some(v) = meta.get("role_after_failure") {
                fail_role = super::resources::text2role(v);
            }
        }
        if fail_role == Role::Unknown {
            fail_role = if task == "promote" {
                Role::Unpromoted
            } else {
                Role::Started
            };
        }
        (on_fail.unwrap_or(OnFail::Recover), fail_role)
    }
}
