//! Reading a resource's operation history on one node the way Pacemaker
//! does: operations sorted by call id, and which recurring operations are
//! active now.

use crate::cib::{LrmOp, LrmResource};
use crate::xml::Document;
use std::cmp::Ordering;

/// Compare two history entries by age (`pe__is_newer_op` with entries on
/// the same node by default).
pub fn cmp_ops(doc: &Document, a: &LrmOp, b: &LrmOp) -> Ordering {
    let same_node = match (a.on_node(doc), b.on_node(doc)) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
    };
    if same_node && doc.text(a.id) == doc.text(b.id) {
        return Ordering::Equal;
    }
    let (ac, bc) = (a.call_id, b.call_id);
    if ac == -1 && bc == -1 {
        return Ordering::Equal;
    }
    if same_node && ac >= 0 && ac < bc {
        return Ordering::Less;
    }
    if same_node && bc >= 0 && ac > bc {
        return Ordering::Greater;
    }
    if ac >= 0 && bc >= 0 && (!same_node || ac == bc) {
        let (la, lb) = (
            a.last_rc_change.unwrap_or(-1),
            b.last_rc_change.unwrap_or(-1),
        );
        if la >= 0 && la < lb {
            return Ordering::Less;
        }
        if lb >= 0 && la > lb {
            return Ordering::Greater;
        }
        return Ordering::Equal;
    }
    // One is pending: compare transition numbers from the magic strings.
    let parse = |m: Option<&str>| -> Option<(String, i64)> {
        let m = m?;
        let (_, key) = m.split_once(';')?;
        let mut parts = key.splitn(4, ':');
        let _action = parts.next()?;
        let transition: i64 = parts.next()?.parse().ok()?;
        let _rc = parts.next()?;
        let uuid = parts.next()?.to_owned();
        Some((uuid, transition))
    };
    let (Some((au, aid)), Some((bu, bid))) = (
        parse(a.transition_magic(doc)),
        parse(b.transition_magic(doc)),
    ) else {
        return Ordering::Equal;
    };
    if !au.eq_ignore_ascii_case(&bu) || aid == bid {
        if bc == -1 {
            return Ordering::Less;
        }
        if ac == -1 {
            return Ordering::Greater;
        }
    } else if (aid >= 0 && aid < bid) || bid == -1 {
        return Ordering::Less;
    } else if (bid >= 0 && aid > bid) || aid == -1 {
        return Ordering::Greater;
    }
    Ordering::Equal
}

/// History entries oldest first. Pacemaker collects them newest-document-
/// first and sorts stably, so ties keep reverse document order.
pub fn sorted_ops<'a>(doc: &Document, lrm: &'a LrmResource) -> Vec<&'a LrmOp> {
    let mut v: Vec<&LrmOp> = lrm.ops.iter().rev().collect();
    v.sort_by(|a, b| cmp_ops(doc, a, b));
    v
}

/// Indexes of the last start and the last stop in a sorted history
/// (`calculate_active_ops`).
pub fn active_range(doc: &Document, ops: &[&LrmOp]) -> (i64, i64) {
    let mut start: i64 = -1;
    let mut stop: i64 = -1;
    let mut implied_monitor_start: i64 = -1;
    let mut implied_clone_start: i64 = -1;
    for (i, op) in ops.iter().enumerate() {
        let i = i as i64;
        match doc.text(op.operation) {
            "stop" if op.op_status == 0 => stop = i,
            "start" | "migrate_from" => start = i,
            "monitor" if implied_monitor_start <= stop => {
                if op.rc_code == 0 || op.rc_code == 8 {
                    implied_monitor_start = i;
                }
            }
            "promote" | "demote" => implied_clone_start = i,
            _ => {}
        }
    }
    if start == -1 {
        if implied_clone_start != -1 {
            start = implied_clone_start;
        } else if implied_monitor_start != -1 {
            start = implied_monitor_start;
        }
    }
    (start, stop)
}

/// The recurring operations active now, as (task, interval) in history
/// order (`process_recurring`).
pub fn active_recurring<'a>(doc: &Document, ops: &[&'a LrmOp]) -> Vec<&'a LrmOp> {
    let (start, stop) = active_range(doc, ops);
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let i = i as i64;
        if start < stop && i <= stop {
            continue;
        }
        if i < start {
            continue;
        }
        if op.interval_ms == 0 || op.op_status == -1 {
            continue;
        }
        out.push(*op);
    }
    out
}
