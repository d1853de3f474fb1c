//! What an action inherits from its operation's configuration: what it
//! needs before running (fencing, quorum) and the meta attributes the
//! transition graph carries; and how a failure of the operation is handled
//! (`on-fail` and the role after failure), which history unpacking reads.

use super::action::{Action, Needs};
use super::model::{OnFail, Resource, RscIdx};
use super::state::Scheduler;
use crate::cib::{Op, Role};
use std::collections::BTreeMap;

pub fn unpack_operation(s: &Scheduler<'_>, action: &mut Action, r: RscIdx) {
    let rsc = s.cluster.rsc(r);
    let interval = action.interval_ms;
    let is_probe = action.task == "monitor" && interval == 0;
    let op = find_op_config(s, r, &action.task, interval);

    action.needs = if !matches!(action.task.as_str(), "start" | "promote") {
        Needs::Nothing
    } else if rsc.needs_fencing {
        Needs::Fencing
    } else if rsc.needs_quorum {
        Needs::Quorum
    } else {
        Needs::Nothing
    };

    let timeout = op
        .and_then(|o| o.timeout.clone())
        .or_else(|| {
            if is_probe {
                min_interval_monitor_timeout(s, r)
            } else {
                None
            }
        })
        .or_else(|| op_default(s, "timeout"));
    let timeout_ms = timeout
        .as_deref()
        .and_then(crate::cib::load::parse_interval_ms)
        .unwrap_or(20_000);
    action.meta.insert("timeout".into(), timeout_ms.to_string());
}

/// The configured `<op>` for a task and interval, if any.
fn find_op_config<'a>(
    s: &'a Scheduler<'_>,
    r: RscIdx,
    task: &str,
    interval: u64,
) -> Option<&'a crate::cib::Op> {
    let ops = &s.cluster.rsc(r).ops;
    let pick = |name: &str, iv: u64| {
        ops.iter()
            .find(|o| o.name.eq_ignore_ascii_case(name) && o.interval_ms == iv)
    };
    pick(task, interval).or_else(|| match task {
        "migrate_to" | "migrate_from" => pick("migrate", 0),
        t if t.contains("_notify_") || t == "notify" => pick("notify", 0),
        _ => None,
    })
}

fn min_interval_monitor_timeout(s: &Scheduler<'_>, r: RscIdx) -> Option<String> {
    s.cluster
        .rsc(r)
        .ops
        .iter()
        .filter(|o| o.name == "monitor" && o.interval_ms > 0 && o.enabled.unwrap_or(true))
        .min_by_key(|o| o.interval_ms)
        .and_then(|o| o.timeout.clone())
}

fn op_default(s: &Scheduler<'_>, name: &str) -> Option<String> {
    crate::cib::nvset::first_value(&s.cib.op_defaults, name).and_then(|p| p.value.clone())
}

/// `unpack_operation`'s failure handling: what to do when `task` (at
/// `interval_ms`) fails on `rsc`, and the role the failure leaves it to.
/// `op` is the configured operation, if any; `meta` its meta attributes
/// over the operation defaults (its own XML attributes winning).
pub(crate) fn failure_handling(
    rsc: &Resource,
    op: Option<&Op>,
    meta: &BTreeMap<String, String>,
    (task, interval_ms): (&str, u64),
    stonith: bool,
    is_remote_conn: bool,
) -> (OnFail, Role) {
    let interval_ms_of = |o: &Op| super::unpack::interval_spec_ms(Some(&o.interval_text));
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
            if o.role != Some(Role::Promoted) || interval_ms_of(o) == 0 {
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
        let ok = op.is_some_and(|o| {
            o.name == "promote"
                || (o.name == "monitor" && o.role == Some(Role::Promoted) && interval_ms_of(o) != 0)
        });
        if !ok {
            value = None;
        }
    }
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
            fail_role = Role::from_text(v);
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
