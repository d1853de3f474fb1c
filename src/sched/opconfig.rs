//! What an action inherits from its operation's configuration: what it
//! needs before running (fencing, quorum), how a failure is handled
//! (`on-fail`), and the meta attributes the transition graph carries.

use super::action::{Action, Needs};
use super::model::{OnFail, RscIdx};
use super::state::Scheduler;
use crate::cib::Role;

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

    let mut on_fail_text = op.and_then(|o| o.on_fail.clone());
    if action.task == "stop"
        && matches!(on_fail_text.as_deref(), Some("standby" | "demote" | "stop"))
    {
        on_fail_text = None;
    }
    if action.task == "demote" && on_fail_text.is_none() {
        on_fail_text = promoted_monitor_on_fail(s, r);
    }
    if action.task == "delete" {
        on_fail_text = Some("ignore".into());
    }
    let mut fail_role = Role::Unknown;
    let stonith = s.cluster.options.stonith_enabled;
    let mut on_fail = match on_fail_text
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
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
        _ => None,
    };
    if on_fail.is_none() {
        on_fail = Some(if rsc.container.is_some() {
            OnFail::RestartContainer
        } else if rsc.is_remote_node
            && !(action.task == "monitor" && interval == 0)
            && action.task != "start"
        {
            if !rsc.managed {
                fail_role = Role::Stopped;
                OnFail::Stop
            } else {
                OnFail::ResetRemote
            }
        } else if action.task == "stop" {
            if stonith {
                OnFail::Fence
            } else {
                OnFail::Block
            }
        } else {
            OnFail::Recover
        });
    }
    action.on_fail = on_fail.unwrap_or(OnFail::Recover);
    if fail_role == Role::Unknown {
        fail_role = if action.task == "promote" {
            Role::Unpromoted
        } else {
            Role::Started
        };
    }
    action.fail_role = fail_role;

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

fn promoted_monitor_on_fail(s: &Scheduler<'_>, r: RscIdx) -> Option<String> {
    s.cluster.rsc(r).ops.iter().find_map(|o| {
        let enabled = o.enabled.unwrap_or(true);
        let promoted = matches!(o.role, Some(Role::Promoted));
        match &o.on_fail {
            Some(f)
                if enabled
                    && promoted
                    && o.name == "monitor"
                    && o.interval_ms > 0
                    && f != "demote" =>
            {
                Some(f.clone())
            }
            _ => None,
        }
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
