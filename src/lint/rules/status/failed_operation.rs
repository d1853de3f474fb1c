//! ST001 `failed-operation`: the status section records a failed operation.
//!
//! For each resource on each node, the operation history (`lrm_rsc_op`) is
//! grouped by operation and interval; the newest entry of each group (by
//! call-id; a pending entry counts as newest) is its current result. That
//! result is judged as Pacemaker's scheduler does: against the expected
//! result encoded in the transition key, with probes (interval-0
//! monitors) allowed to find the resource stopped, running or promoted.

use super::{failure_timeout_secs, node_state_name, resource_of};
use crate::cib::load::parse_bool;
use crate::cib::{LrmOp, NodeState};
use crate::lint::{Context, Emitter};
use crate::xml::Document;
use std::collections::BTreeMap;

/// OCF exit codes as Pacemaker names them.
pub fn rc_meaning(rc: i32) -> &'static str {
    match rc {
        0 => "ok",
        1 => "generic error",
        2 => "invalid arguments",
        3 => "unimplemented feature",
        4 => "insufficient privileges",
        5 => "not installed",
        6 => "not configured",
        7 => "not running",
        8 => "running promoted",
        9 => "failed promoted",
        190 => "degraded",
        191 => "degraded promoted",
        _ => "unknown exit code",
    }
}

/// Executor statuses (`op-status`) other than done and error.
fn status_meaning(status: i32) -> &'static str {
    match status {
        2 => "timed out",
        3 => "not supported by the agent",
        5 => "hard error (will not be retried on this node)",
        6 => "fatal error (will not be retried anywhere)",
        7 => "agent not installed",
        8 => "node not connected",
        9 => "invalid operation",
        10 => "no fence device",
        11 => "secrets unavailable",
        _ => "failed to execute",
    }
}

const PENDING: i32 = -1;
const CANCELLED: i32 = 1;
const DONE: i32 = 0;
const ERROR: i32 = 4;
const NOT_INSTALLED_STATUS: i32 = 7;

/// The expected exit code recorded with the operation: the third field of
/// the transition key (`graph:action:target-rc:uuid`), also found after the
/// `;` of the transition magic.
fn target_rc(doc: &Document, op: &LrmOp) -> Option<i32> {
    let key = op.transition_key(doc).or_else(|| {
        op.transition_magic(doc)
            .and_then(|m| m.split_once(';').map(|(_, k)| k))
    })?;
    key.split(':').nth(2)?.trim().parse().ok()
}

fn is_probe(doc: &Document, op: &LrmOp) -> bool {
    doc.text(op.operation) == "monitor" && op.interval_ms == 0
}

/// Why the result is a failure, or `None` when it is not one.
fn failure(doc: &Document, op: &LrmOp, managed: bool) -> Option<String> {
    let status = op.op_status;
    if status == PENDING || status == CANCELLED {
        return None;
    }
    let rc = op.rc_code;
    let probe = is_probe(doc, op);
    // A monitor reporting degraded service counts as a failure even though
    // the resource keeps running.
    if doc.text(op.operation) == "monitor" && (rc == 190 || rc == 191) {
        return Some(format!("{} (rc {rc})", rc_meaning(rc)));
    }
    // A probe that finds the agent missing means "not running here".
    if probe && (status == NOT_INSTALLED_STATUS || rc == 5) {
        return None;
    }
    if status != DONE && status != ERROR {
        return Some(format!("{} (op-status {status})", status_meaning(status)));
    }
    let target = target_rc(doc, op);
    let expected = |t: Option<i32>| match t {
        Some(t) if t != rc => format!(", expected {t} ({})", rc_meaning(t)),
        _ => String::new(),
    };
    let failed = match rc {
        0 => match target {
            Some(t) => t != 0 && !(probe && t == 7),
            None => false,
        },
        7 => !(probe || target == Some(7) || !managed),
        8 => match target {
            Some(t) => t != 8 && !probe,
            None => false,
        },
        _ => true,
    };
    failed.then(|| format!("{} (rc {rc}{})", rc_meaning(rc), expected(target)))
}

/// A cluster node the membership layer or the controller reports as down.
/// (Remote and guest nodes run no controller: their `crmd` is always
/// "offline".)
fn is_down(cx: &Context, ns: &NodeState) -> bool {
    let no = |v: Option<&str>| {
        v.is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "false" | "no" | "0" | "off"
            )
        })
    };
    let remote = cx
        .cib
        .doc
        .get(ns.elem)
        .attr("remote_node")
        .is_some_and(parse_bool);
    no(ns.in_ccm.as_deref()) || (!remote && ns.crmd.as_deref() == Some("offline"))
}

/// The operation's interval in milliseconds: the status section records
/// it as a plain number of milliseconds.
fn interval_ms(cx: &Context, op: &LrmOp) -> u64 {
    cx.cib
        .doc
        .get(op.elem)
        .attr("interval")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(op.interval_ms)
}

/// "start", "probe", "monitor every 10s".
fn describe(doc: &Document, op: &LrmOp) -> String {
    if is_probe(doc, op) {
        return "probe".into();
    }
    let operation = doc.text(op.operation);
    if op.interval_ms == 0 {
        return operation.to_string();
    }
    let ms = op.interval_ms;
    let every = if ms % 1000 != 0 {
        format!("{ms}ms")
    } else if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}min", ms / 60_000)
    } else {
        format!("{}s", ms / 1000)
    };
    format!("{operation} every {every}")
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(states) = &cx.cib.status else { return };
    let doc = &cx.cib.doc;
    for ns in states {
        // Pacemaker disregards the history of a node that is down.
        if is_down(cx, ns) {
            continue;
        }
        let node = node_state_name(cx, ns);
        for r in &ns.lrm {
            let rsc_id = doc.text(r.id);
            let rsc = resource_of(cx, rsc_id);
            let managed = rsc.is_none_or(|id| {
                cx.meta_bool(id, "is-managed") != Some(false)
                    && cx.meta_bool(id, "maintenance") != Some(true)
            });
            let timeout = failure_timeout_secs(cx, rsc);
            // Newest entry per (operation, interval); pending entries
            // (call-id -1) are the newest of all; on a tie the regular
            // entry wins over the `_last_failure_` copy.
            let mut latest: BTreeMap<(&str, u64), &LrmOp> = BTreeMap::new();
            // Recurring monitors keep their call-id: on a tie, the later
            // `last-rc-change` is the newer result.
            let rank = |o: &LrmOp| {
                let call = if o.call_id < 0 { i64::MAX } else { o.call_id };
                (
                    call,
                    o.last_rc_change.unwrap_or(0),
                    !doc.text(o.id).contains("_last_failure_"),
                )
            };
            // The loader reads `interval` as seconds; here it is milliseconds.
            let ops: Vec<LrmOp> = r
                .ops
                .iter()
                .map(|o| LrmOp {
                    interval_ms: interval_ms(cx, o),
                    ..o.clone()
                })
                .collect();
            for op in &ops {
                let slot = latest.entry((doc.text(op.operation), op.interval_ms));
                slot.and_modify(|cur| {
                    if rank(op) > rank(cur) {
                        *cur = op;
                    }
                })
                .or_insert(op);
            }
            let mut found: Vec<&LrmOp> = latest.into_values().collect();
            found.sort_by_key(|o| o.elem);
            for op in found {
                let Some(why) = failure(doc, op, managed) else {
                    continue;
                };
                // A failure older than the resource's failure-timeout has
                // expired: Pacemaker ignores it.
                if let (Some(t), Some(at)) = (timeout, op.last_rc_change) {
                    if at.saturating_add(t) <= cx.now.0 {
                        continue;
                    }
                }
                let mut message = format!(
                    "{} of `{rsc_id}` failed on {node}: {why}",
                    describe(doc, op)
                );
                if let Some(reason) = op.exit_reason(doc).filter(|s| !s.trim().is_empty()) {
                    message.push_str(&format!(": \"{}\"", reason.trim()));
                }
                let el = cx.cib.doc.get(op.elem);
                let mut d = em
                    .diag(el.name_span, message)
                    .label("newest result of this operation")
                    .help(format!(
                        "once the cause is fixed, clear the failure: `crm_resource --cleanup -r {} -N {node}` \
                         (or `pcs resource cleanup {}`)",
                        rsc_id, rsc_id
                    ))
                    .element(format!("{node}/{}", doc.text(op.id)));
                let attr = if op.op_status == DONE || op.op_status == ERROR {
                    "rc-code"
                } else {
                    "op-status"
                };
                if el.attr(attr).is_some() {
                    d = d.with_label(el.attr_span(attr), attr.to_owned());
                }
                em.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::ElemId;

    /// An `lrm_rsc_op` in a document of its own, and its model.
    fn op(
        operation: &str,
        interval_ms: u64,
        rc: i32,
        status: i32,
        key: Option<&str>,
    ) -> (Document, LrmOp) {
        let key = key
            .map(|k| format!(r#" transition-key="{k}""#))
            .unwrap_or_default();
        let xml = format!(r#"<lrm_rsc_op id="x" operation="{operation}"{key}/>"#);
        let doc = crate::xml::parse(&xml, Default::default()).expect("parses");
        let el = doc.root();
        let text = |n: &str| el.attr_full(n).map(|a| a.value_ref).unwrap_or_default();
        let op = LrmOp {
            id: text("id"),
            elem: ElemId(0),
            operation: text("operation"),
            call_id: 1,
            rc_code: rc,
            op_status: status,
            interval_ms,
            last_rc_change: None,
        };
        (doc, op)
    }

    fn failure(o: (Document, LrmOp), managed: bool) -> Option<String> {
        super::failure(&o.0, &o.1, managed)
    }

    fn describe(o: (Document, LrmOp)) -> String {
        super::describe(&o.0, &o.1)
    }

    #[test]
    fn judged_against_the_expected_result() {
        let k = |t: i32| format!("1:2:{t}:0b2e1a8c-0000-0000-0000-000000000000");
        // Probes may find the resource stopped, running or promoted.
        assert!(failure(op("monitor", 0, 7, 0, Some(&k(7))), true).is_none());
        assert!(failure(op("monitor", 0, 0, 0, Some(&k(7))), true).is_none());
        assert!(failure(op("monitor", 0, 8, 0, Some(&k(7))), true).is_none());
        assert!(failure(op("monitor", 0, 1, 4, Some(&k(7))), true).is_some());
        // A recurring monitor that finds it stopped failed.
        assert!(failure(op("monitor", 10_000, 7, 0, Some(&k(0))), true).is_some());
        // ... unless the resource is unmanaged.
        assert!(failure(op("monitor", 10_000, 7, 0, Some(&k(0))), false).is_none());
        // Promoted monitors expect 8.
        assert!(failure(op("monitor", 10_000, 8, 0, Some(&k(8))), true).is_none());
        assert!(failure(op("monitor", 10_000, 0, 0, Some(&k(8))), true).is_some());
        assert!(failure(op("start", 0, 1, 4, Some(&k(0))), true).is_some());
        assert!(failure(op("start", 0, 0, 2, Some(&k(0))), true).is_some());
        assert!(failure(op("start", 0, 0, -1, Some(&k(0))), true).is_none());
        assert!(failure(op("monitor", 10_000, 190, 0, Some(&k(0))), true).is_some());
        // Without a transition key: 0 and 8 are fine.
        assert!(failure(op("start", 0, 0, 0, None), true).is_none());
        assert!(failure(op("start", 0, 6, 0, None), true).is_some());
    }

    #[test]
    fn describes_intervals() {
        assert_eq!(describe(op("monitor", 0, 0, 0, None)), "probe");
        assert_eq!(
            describe(op("monitor", 10_000, 0, 0, None)),
            "monitor every 10s"
        );
        assert_eq!(
            describe(op("monitor", 120_000, 0, 0, None)),
            "monitor every 2min"
        );
        assert_eq!(describe(op("stop", 0, 0, 0, None)), "stop");
    }
}
