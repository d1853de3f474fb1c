//! Fail counts from node attributes (`fail-count-RSC#OP_INTERVAL`) and
//! their expiry by `failure-timeout` at the effective time.

use super::model::{Cluster, NodeIdx, RscIdx};
use super::unpack::{char2score, leading_int};
use crate::cib::Score;

/// The name fail counts are recorded under: the history name, without a
/// clone instance number unless the clone is globally unique.
pub fn fail_name(c: &Cluster, r: RscIdx) -> String {
    let rsc = c.rsc(r);
    let name = rsc.clone_name.as_deref().unwrap_or(&rsc.id);
    if rsc.unique {
        name.to_owned()
    } else {
        super::clone::clone_strip(name).to_owned()
    }
}

/// Are this CIB's fail counts the single legacy `fail-count-RSC`
/// attribute rather than one per operation? Only for releases that still
/// read them, and CIBs whose `crm_feature_set` predates 3.0.13.
pub fn legacy_fail_counts(cib: &crate::cib::Cib) -> bool {
    cib.pacemaker.legacy_fail_counts
        && crate::cib::rule::compare_versions(
            cib.doc.root().attr("crm_feature_set").unwrap_or(""),
            "3.0.13",
        ) == std::cmp::Ordering::Less
}

/// Does `key` name `prefix-NAME[:N][#OP_INTERVAL]` for this resource?
pub(crate) fn matches(key: &str, prefix: &str, name: &str, legacy: bool, unique: bool) -> bool {
    let Some(rest) = key.strip_prefix(prefix).and_then(|k| k.strip_prefix('-')) else {
        return false;
    };
    let Some(mut rest) = rest.strip_prefix(name) else {
        return false;
    };
    if !unique {
        if let Some(after) = rest.strip_prefix(':') {
            let digits = after.bytes().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 {
                rest = &after[digits..];
            }
        }
    }
    if legacy {
        return rest.is_empty();
    }
    // "#" then one or more chars, "_" then digits to the end.
    let Some(op) = rest.strip_prefix('#') else {
        return false;
    };
    match op.rsplit_once('_') {
        Some((task, interval)) => {
            !task.is_empty() && !interval.is_empty() && interval.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Whether a node records any fail count or last failure, of any
/// resource.
pub fn node_has_failures(c: &Cluster, node: NodeIdx) -> bool {
    let attrs = &c.node(node).attrs;
    let any = |prefix: &str| {
        attrs
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .next()
            .is_some_and(|(k, _)| k.starts_with(prefix))
    };
    any("fail-count-") || any("last-failure-")
}

/// What a node's attributes record of a resource's failures, before any
/// expiry (`pe_get_failcount`'s sums): the total of its fail counts, read
/// as `char2score` reads them (health colours by the configured scores),
/// and the latest last-failure time (its leading integer, as `strtoll`).
pub(crate) fn recorded_failures(
    c: &Cluster,
    node: NodeIdx,
    r: RscIdx,
    legacy: bool,
) -> (Score, i64) {
    // Most nodes have no failures at all: nothing to look for.
    if !node_has_failures(c, node) {
        return (Score::ZERO, 0);
    }
    let attrs = &c.node(node).attrs;
    let name = fail_name(c, r);
    let unique = c.rsc(r).unique;
    let health = c.options.node_health_scores;
    let mut count = Score::ZERO;
    let mut last: i64 = 0;
    // Only keys starting with `PREFIX-NAME` can match: a range of the
    // sorted attributes, not a scan of all of them (this runs for every
    // resource on every node).
    let with_prefix = |prefix: &str| {
        let start = format!("{prefix}-{name}");
        attrs
            .range(start.clone()..)
            .take_while(move |(k, _)| k.starts_with(start.as_str()))
    };
    for (k, v) in with_prefix("fail-count") {
        if matches(k, "fail-count", &name, legacy, unique) {
            count = count.add(Score(char2score(Some(v), health)));
        }
    }
    for (k, v) in with_prefix("last-failure") {
        if matches(k, "last-failure", &name, legacy, unique) {
            if let Some(t) = leading_int(v) {
                last = last.max(t);
            }
        }
    }
    (count, last)
}

/// Have a resource's failures expired: its `failure-timeout` passed since
/// the last one?
pub(crate) fn failures_expired(c: &Cluster, r: RscIdx, count: Score, last: i64) -> bool {
    let timeout = c.rsc(r).failure_timeout;
    count.0 > 0 && last > 0 && timeout > 0 && c.now.0 > last + timeout
}

/// The fail count of a resource on a node, and when it last failed.
/// `effective` drops fail counts whose failure timeout has expired.
pub fn fail_count(
    c: &Cluster,
    node: NodeIdx,
    r: RscIdx,
    effective: bool,
    legacy: bool,
) -> (i32, i64) {
    let (count, last) = recorded_failures(c, node, r, legacy);
    if effective && failures_expired(c, r, count, last) {
        return (0, last);
    }
    (count.0, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_count_attribute_names() {
        assert!(matches(
            "fail-count-rsc1#start_0",
            "fail-count",
            "rsc1",
            false,
            false
        ));
        assert!(matches(
            "fail-count-rsc1:2#monitor_10000",
            "fail-count",
            "rsc1",
            false,
            false
        ));
        assert!(!matches(
            "fail-count-rsc1:2#monitor_10000",
            "fail-count",
            "rsc1",
            false,
            true
        ));
        assert!(!matches(
            "fail-count-rsc10#start_0",
            "fail-count",
            "rsc1",
            false,
            false
        ));
        assert!(matches(
            "fail-count-rsc1",
            "fail-count",
            "rsc1",
            true,
            false
        ));
        assert!(!matches(
            "fail-count-rsc1",
            "fail-count",
            "rsc1",
            false,
            false
        ));
    }
}
