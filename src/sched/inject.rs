//! What crm_simulate writes into the status section, whether it executes a
//! transition or injects an event (`-i`, `-F`, `-u/-d`): node states,
//! resource history entries and results, fail counts (Pacemaker's
//! pcmk_injections.c and `pcmk__create_history_xml`). One writer serves
//! both, so executed and injected results cannot drift apart.

use crate::xml::{Document, ElemId};

/// The transition id crm_simulate's fake executor puts in transition keys.
const FAKE_TE_ID: &str = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/// The exit reason of an executed action made to fail (`-F`).
pub(crate) const EXECUTED_FAILURE_REASON: &str = "User-injected result";
/// The exit reason of an injected result (`-i`).
pub(crate) const INJECTED_REASON: &str = "Simulated action result";

/// The `node_state` of a node (by uname), created with the id `uuid`
/// gives when the status has none yet (`pcmk__inject_node`).
pub(crate) fn node_state(
    doc: &mut Document,
    status: ElemId,
    uname: &str,
    uuid: impl FnOnce(&Document) -> String,
) -> ElemId {
    let found = doc
        .children_named(status, "node_state")
        .find(|ns| doc.get(*ns).attr("uname") == Some(uname));
    match found {
        Some(ns) => ns,
        None => {
            let id = uuid(doc);
            doc.append_child(status, "node_state", &[("id", &id), ("uname", uname)])
        }
    }
}

/// Mark a node's state up (a cluster member) or down
/// (`pcmk__inject_node_state_change`).
pub(crate) fn set_membership(doc: &mut Document, ns: ElemId, up: bool) {
    let props = if up {
        [
            ("in_ccm", "true"),
            ("crmd", "online"),
            ("join", "member"),
            ("expected", "member"),
        ]
    } else {
        [
            ("in_ccm", "false"),
            ("crmd", "offline"),
            ("join", "down"),
            ("expected", "down"),
        ]
    };
    for (k, v) in props {
        doc.set_attr(ns, k, v);
    }
}

/// A new, empty history entry for a resource in a node's state, with the
/// `lrm` and `lrm_resources` it goes in created as needed
/// (`pcmk__inject_resource_history` when the entry is missing).
pub(crate) fn new_resource_history(
    doc: &mut Document,
    ns: ElemId,
    id: &str,
    class: &str,
    provider: Option<&str>,
    agent: &str,
) -> ElemId {
    let lrm = match doc.child_named(ns, "lrm") {
        Some(l) => l,
        None => {
            let uuid = doc.get(ns).attr("id").unwrap_or_default().to_owned();
            doc.append_child(ns, "lrm", &[("id", &uuid)])
        }
    };
    let list = match doc.child_named(lrm, "lrm_resources") {
        Some(l) => l,
        None => doc.append_child(lrm, "lrm_resources", &[]),
    };
    let mut attrs = vec![("id", id), ("class", class)];
    if let Some(p) = provider {
        attrs.push(("provider", p));
    }
    attrs.push(("type", agent));
    doc.append_child(list, "lrm_resource", &attrs)
}

/// The call id the executor gives the next result recorded in a history
/// entry: one above the highest recorded there.
pub(crate) fn next_call_id(doc: &Document, entry: ElemId) -> i64 {
    doc.get(entry)
        .children()
        .filter_map(|c| {
            doc.get(c)
                .attr("call-id")
                .and_then(|v| v.parse::<i64>().ok())
        })
        .max()
        .unwrap_or(0)
        .max(0)
        + 1
}

/// One executor result to record in a resource's history.
pub(crate) struct HistoryResult<'a> {
    pub rsc: &'a str,
    pub task: &'a str,
    pub interval_ms: u64,
    /// The node recorded as `on_node`, when the release's executor records
    /// one (2.1.5's records none: a new entry has none, an updated one
    /// keeps its own).
    pub on_node: Option<&'a str>,
    pub rc: i32,
    pub target_rc: i32,
    /// `last-rc-change`.
    pub when: i64,
    /// (type, operation) of a notification.
    pub notify: Option<(&'a str, &'a str)>,
    /// The call id; `None` for the next one after the entry's.
    pub call_id: Option<i64>,
    /// Recorded when the result is not the expected one.
    pub exit_reason: &'a str,
    /// `op-digest` of the parameters the action ran with, if any.
    pub digest: Option<&'a str>,
    /// (source, target) of a migration.
    pub migrate: Option<(&'a str, &'a str)>,
}

/// Record a result as the executor's history writer does: under
/// `RSC_last_0`, a recurring op's key, a migration's key, a notification's
/// key, or — when the result is not the expected one — `RSC_last_failure_0`
/// (and `RSC_last_0` for a non-recurring op).
pub(crate) fn record_result(doc: &mut Document, entry: ElemId, r: &HistoryResult<'_>) {
    let call_id = r.call_id.unwrap_or_else(|| next_call_id(doc, entry));
    let key = format!("{}_{}_{}", r.rsc, r.task, r.interval_ms);
    let failed = r.rc != r.target_rc;
    let mut ids = Vec::with_capacity(2);
    if let Some((ty, op)) = r.notify {
        ids.push(format!("{}_{ty}_notify_{op}_0", r.rsc));
    } else if r.task == "migrate_to" || r.task == "migrate_from" {
        ids.push(key.clone());
    } else if failed {
        ids.push(format!("{}_last_failure_0", r.rsc));
        if r.interval_ms == 0 {
            ids.push(format!("{}_last_0", r.rsc));
        }
    } else if r.interval_ms > 0 {
        ids.push(key.clone());
    } else {
        ids.push(format!("{}_last_0", r.rsc));
    }
    // The fake transition key: action (call) id, transition -1.
    let tkey = format!("{call_id}:-1:{}:{FAKE_TE_ID}", r.target_rc);
    let magic = format!("0:{};{tkey}", r.rc);
    let when = r.when.to_string();
    let interval = r.interval_ms.to_string();
    let call = call_id.to_string();
    let rc = r.rc.to_string();
    let reason = if failed { r.exit_reason } else { "" };
    for op_id in ids {
        let mut attrs = vec![
            ("id", op_id.as_str()),
            ("operation_key", key.as_str()),
            ("operation", r.task),
            ("crm-debug-origin", "crm_simulate"),
            ("transition-key", tkey.as_str()),
            ("transition-magic", magic.as_str()),
            ("exit-reason", reason),
            ("call-id", call.as_str()),
            ("rc-code", rc.as_str()),
            ("op-status", "0"),
            ("interval", interval.as_str()),
            ("last-rc-change", when.as_str()),
            ("exec-time", "0"),
            ("queue-time", "0"),
        ];
        if let Some(on) = r.on_node {
            attrs.push(("on_node", on));
        }
        if let Some(d) = r.digest {
            attrs.push(("op-digest", d));
        }
        if let Some((source, target)) = r.migrate {
            attrs.push(("migrate_source", source));
            attrs.push(("migrate_target", target));
        }
        let existing = doc
            .get(entry)
            .children()
            .find(|c| doc.get(*c).attr("id") == Some(op_id.as_str()));
        match existing {
            Some(e) => {
                for (k, v) in attrs {
                    doc.set_attr(e, k, v);
                }
            }
            None => {
                doc.append_child(entry, "lrm_rsc_op", &attrs);
            }
        }
    }
}

/// Add `value` to the node's transient attributes (an existing attribute
/// of that name is updated; `value++` increments it, as the CIB does).
pub(crate) fn inject_transient_attr(doc: &mut Document, ns: ElemId, name: &str, value: &str) {
    let uuid = doc.get(ns).attr("id").unwrap_or_default().to_string();
    let attrs = match doc.child_named(ns, "transient_attributes") {
        Some(a) => a,
        None => doc.append_child(ns, "transient_attributes", &[("id", &uuid)]),
    };
    let set = match doc.child_named(attrs, "instance_attributes") {
        Some(s) => s,
        None => doc.append_child(attrs, "instance_attributes", &[("id", &uuid)]),
    };
    let existing = doc
        .children_named(set, "nvpair")
        .find(|nv| doc.get(*nv).attr("name") == Some(name));
    let value = if value == "value++" {
        let old = existing
            .and_then(|nv| doc.get(nv).attr("value"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        old.saturating_add(1).to_string()
    } else {
        value.to_string()
    };
    match existing {
        Some(nv) => doc.set_attr(nv, "value", &value),
        None => {
            let set_id = doc.get(set).attr("id").unwrap_or_default().to_string();
            let id = format!("{set_id}-{name}");
            doc.append_child(
                set,
                "nvpair",
                &[("id", &id), ("name", name), ("value", &value)],
            );
        }
    }
}

/// The fail-count and last-failure attributes crm_simulate injects for a
/// result (`pcmk__inject_failcount`): none for success, nor for "not
/// running" from a probe.
pub(crate) fn failcount_attrs(
    rsc: &str,
    (task, interval_ms, rc): (&str, u64, i32),
    clock: i64,
) -> Option<[(String, String); 2]> {
    if rc == 0 || (rc == 7 && interval_ms == 0) {
        return None;
    }
    Some([
        (
            format!("fail-count-{rsc}#{task}_{interval_ms}"),
            "value++".to_owned(),
        ),
        (
            format!("last-failure-{rsc}#{task}_{interval_ms}"),
            clock.to_string(),
        ),
    ])
}

/// The line crm_simulate prints for each injected attribute.
pub(crate) fn injected_attr_line(name: &str, value: &str, uuid: &str) -> String {
    format!("  * Injecting attribute {name}={value} into /node_state '{uuid}'")
}

/// Inject the fail count of a failed result into a node's state, with the
/// lines crm_simulate prints.
pub(crate) fn inject_failcount(
    doc: &mut Document,
    ns: ElemId,
    rsc: &str,
    result: (&str, u64, i32),
    clock: i64,
    lines: &mut Vec<String>,
) {
    let Some(attrs) = failcount_attrs(rsc, result, clock) else {
        return;
    };
    let uuid = doc.get(ns).attr("id").unwrap_or_default().to_string();
    for (name, value) in attrs {
        lines.push(injected_attr_line(&name, &value, &uuid));
        inject_transient_attr(doc, ns, &name, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_doc() -> (Document, ElemId) {
        let mut doc = crate::xml::parse("<cib><status/></cib>", crate::xml::ParseLimits::default())
            .expect("fixture parses");
        let status = doc.child_named(doc.root, "status").expect("status");
        let ns = node_state(&mut doc, status, "node1", |_| "1".into());
        let entry = new_resource_history(&mut doc, ns, "rsc1", "ocf", Some("heartbeat"), "Dummy");
        (doc, entry)
    }

    fn result<'a>(task: &'a str, interval_ms: u64, rc: i32) -> HistoryResult<'a> {
        HistoryResult {
            rsc: "rsc1",
            task,
            interval_ms,
            on_node: Some("node1"),
            rc,
            target_rc: 0,
            when: 100,
            notify: None,
            call_id: None,
            exit_reason: INJECTED_REASON,
            digest: None,
            migrate: None,
        }
    }

    fn ids(doc: &Document, entry: ElemId) -> Vec<String> {
        doc.get(entry)
            .children()
            .filter_map(|c| doc.get(c).attr("id").map(str::to_owned))
            .collect()
    }

    #[test]
    fn results_go_under_the_ids_the_executor_uses() {
        let (mut doc, entry) = entry_doc();
        record_result(&mut doc, entry, &result("start", 0, 0));
        record_result(&mut doc, entry, &result("monitor", 10000, 0));
        assert_eq!(ids(&doc, entry), ["rsc1_last_0", "rsc1_monitor_10000"]);
        // A failed start replaces the last result and records the failure.
        record_result(&mut doc, entry, &result("start", 0, 1));
        assert_eq!(
            ids(&doc, entry),
            ["rsc1_last_0", "rsc1_monitor_10000", "rsc1_last_failure_0"]
        );
        let last = doc
            .get(entry)
            .children()
            .find(|c| doc.get(*c).attr("id") == Some("rsc1_last_failure_0"))
            .expect("failure recorded");
        let el = doc.get(last);
        assert_eq!(el.attr("call-id"), Some("3"));
        assert_eq!(el.attr("exit-reason"), Some(INJECTED_REASON));
        // Action id first, then the fake transition -1.
        assert!(el
            .attr("transition-key")
            .is_some_and(|k| k.starts_with("3:-1:0:")));
    }

    #[test]
    fn probes_not_running_inject_no_fail_count() {
        assert!(failcount_attrs("rsc1", ("monitor", 0, 7), 5).is_none());
        assert!(failcount_attrs("rsc1", ("start", 0, 0), 5).is_none());
        let attrs = failcount_attrs("rsc1", ("monitor", 10000, 7), 5).expect("a failure");
        assert_eq!(attrs[0].0, "fail-count-rsc1#monitor_10000");
        assert_eq!(
            attrs[1],
            ("last-failure-rsc1#monitor_10000".into(), "5".into())
        );
    }
}
