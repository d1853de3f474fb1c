//! Fail counts from node attributes (`fail-count-RSC#OP_INTERVAL`) and
//! their expiry by `failure-timeout` at the effective time.

use super::model::{Cluster, NodeIdx, RscIdx};
use crate::cib::score::{parse_score, HealthScores};
use crate::cib::Score;

/// The name fail counts are recorded under: the history name, without a
/// clone instance number unless the clone is globally unique.
pub fn fail_name(c: &Cluster, r: RscIdx) -> String {
    let rsc = c.rsc(r);
    let name = rsc.clone_name.as_deref().unwrap_or(&rsc.id);
    if rsc.unique {
        name.to_owned()
    } else {
        strip_instance(name).to_owned()
    }
}

pub fn strip_instance(name: &str) -> &str {
    match name.rsplit_once(':') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
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

/// The fail count of a resource on a node, and when it last failed.
/// `effective` drops fail counts whose failure timeout has expired.
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

pub fn fail_count(
    c: &Cluster,
    node: NodeIdx,
    r: RscIdx,
    effective: bool,
    legacy: bool,
) -> (i32, i64) {
    // Most nodes have no failures at all: nothing to look for.
    if !node_has_failures(c, node) {
        return (0, 0);
    }
    let attrs = &c.node(node).attrs;
    let name = fail_name(c, r);
    let rsc = c.rsc(r);
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
        if matches(k, "fail-count", &name, legacy, rsc.unique) {
            count = count.add(parse_score(v, &HealthScores::default()).score());
        }
    }
    for (k, v) in with_prefix("last-failure") {
        if matches(k, "last-failure", &name, legacy, rsc.unique) {
            if let Ok(t) = v.trim().parse::<i64>() {
                last = last.max(t);
            }
        }
    }
    let mut n = count.0;
    if effective
        && n > 0
        && last > 0
        && rsc.failure_timeout > 0
        && c.now.0 > last + rsc.failure_timeout
    {
        n = 0;
    }
    (n, last)
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
