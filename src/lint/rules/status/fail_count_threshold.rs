//! ST002 `fail-count-near-threshold`: a resource's fail count is at or near
//! its `migration-threshold`.
//!
//! Fail counts are transient node attributes in the status section,
//! `fail-count-RSC#OP_INTERVAL` (Pacemaker 2) or `fail-count-RSC` (older);
//! a resource's fail count on a node is the sum over its operations. When
//! it reaches `migration-threshold` (meta attribute, else `rsc_defaults`;
//! default INFINITY, 0 disables) the resource is banned from that node
//! until the failures are cleared or expire (`failure-timeout`).

use super::{failure_timeout_secs, node_state_name, resource_of};
use crate::cib::score::{parse_score, HealthScores, INFINITY};
use crate::cib::{NvPair, ResourceId};
use crate::lint::{Context, Emitter};
use crate::xml::Span;

/// One resource's failures on one node.
struct Count<'a> {
    rsc: &'a str,
    total: i64,
    /// The attribute with the largest count, where the finding points.
    pair: &'a NvPair,
    largest: i64,
}

fn parse_count(v: &str) -> Option<i64> {
    let t = v.trim();
    if t.eq_ignore_ascii_case("INFINITY") || t.eq_ignore_ascii_case("+INFINITY") {
        return Some(INFINITY as i64);
    }
    t.parse::<i64>().ok().map(|n| n.clamp(0, INFINITY as i64))
}

/// The effective `migration-threshold` and the nvpair that sets it.
fn threshold<'a>(cx: &Context<'a>, id: ResourceId) -> (i64, Option<&'a NvPair>) {
    let cib = cx.cib;
    let pair = cx
        .self_and_ancestors(id)
        .into_iter()
        .find_map(|r| cib.resource(r).meta_pair("migration-threshold"))
        .or_else(|| cib.rsc_default("migration-threshold"));
    let value = pair
        .and_then(|p| p.value.as_deref())
        .map(|v| parse_score(v, &HealthScores::default()).score().0 as i64)
        .unwrap_or(INFINITY as i64);
    (value, pair)
}

/// The name a fail count is counted under: the instances of an anonymous
/// clone (`rsc:0`, `rsc:1`) share one count, as Pacemaker sums them.
fn counted_as<'a>(cx: &Context, named: &'a str) -> &'a str {
    match named.rsplit_once(':') {
        Some((base, n)) if n.parse::<u32>().is_ok() && cx.cib.find_resource(named).is_none() => {
            match cx.cib.find_resource(base) {
                Some(id) if cx.meta_bool(id, "globally-unique") != Some(true) => base,
                _ => named,
            }
        }
        _ => named,
    }
}

fn times(n: i64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

fn show(n: i64) -> String {
    if n >= INFINITY as i64 {
        "INFINITY".into()
    } else {
        n.to_string()
    }
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(states) = &cx.cib.status else { return };
    for ns in states {
        let node = node_state_name(cx, ns);
        let pairs: Vec<&NvPair> = ns.transient.iter().flat_map(|s| s.pairs.iter()).collect();
        let mut counts: Vec<Count> = Vec::new();
        for p in &pairs {
            let Some(rest) = p.name.strip_prefix("fail-count-") else {
                continue;
            };
            let Some(n) = p.value.as_deref().and_then(parse_count) else {
                continue;
            };
            if n <= 0 {
                continue;
            }
            let named = rest.split('#').next().unwrap_or(rest);
            let rsc = counted_as(cx, named);
            // Expired failures no longer count.
            let last = format!("last-failure-{rest}");
            let last_at = pairs
                .iter()
                .find(|q| q.name == last)
                .and_then(|q| q.value.as_deref())
                .and_then(|v| v.trim().parse::<i64>().ok());
            if let (Some(t), Some(at)) = (failure_timeout_secs(cx, resource_of(cx, rsc)), last_at) {
                if at.saturating_add(t) <= cx.now.0 {
                    continue;
                }
            }
            match counts.iter_mut().find(|c| c.rsc == rsc) {
                Some(c) => {
                    c.total = (c.total + n).min(INFINITY as i64);
                    if n > c.largest {
                        c.largest = n;
                        c.pair = p;
                    }
                }
                None => counts.push(Count {
                    rsc,
                    total: n,
                    pair: p,
                    largest: n,
                }),
            }
        }
        for c in counts {
            // The fail count of a resource no longer configured bans nothing.
            let Some(id) = resource_of(cx, c.rsc) else {
                continue;
            };
            let (limit, source) = threshold(cx, id);
            if limit <= 0 {
                continue;
            }
            // Pacemaker bans the clone as a whole (its message names the
            // clone), so name it too.
            let top = cx.cib.resource(cx.cib.top_of(id));
            let rsc_text = if top.is_clone() || top.is_bundle() {
                format!("`{}` (in {} `{}`)", c.rsc, top.kind_name(), top.id)
            } else {
                format!("`{}`", c.rsc)
            };
            let rsc = c.rsc;
            let span: Span = cx.attr_span(c.pair.elem, "value");
            let message = if c.total >= limit {
                let how = if c.total >= INFINITY as i64 {
                    format!("has a fail count of INFINITY on {node} (a start or stop failed)")
                } else {
                    format!("has failed {} on {node}", times(c.total))
                };
                format!(
                    "{rsc_text} {how}, reaching its migration-threshold of {}: it may not run on \
                     {node} until the failures are cleared",
                    show(limit)
                )
            } else if limit < INFINITY as i64 && c.total == limit - 1 {
                format!(
                    "{rsc_text} has failed {} on {node}, one short of its migration-threshold \
                     of {}: one more failure bans it from {node}",
                    times(c.total),
                    show(limit)
                )
            } else {
                continue;
            };
            let mut d = em
                .diag(span, message)
                .label("fail count")
                .help(format!(
                    "find the cause, then clear the count: `crm_resource --cleanup -r {rsc} -N {node}` \
                     (or `pcs resource cleanup {rsc}`); a `failure-timeout` makes failures expire"
                ))
                .element(format!("{node}/{rsc}"));
            if let Some(p) = source {
                d = d.with_label(cx.attr_span(p.elem, "value"), "migration-threshold");
            }
            em.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("3"), Some(3));
        assert_eq!(parse_count("INFINITY"), Some(INFINITY as i64));
        assert_eq!(parse_count("+INFINITY"), Some(INFINITY as i64));
        assert_eq!(parse_count("5000000"), Some(INFINITY as i64));
        assert_eq!(parse_count("junk"), None);
        assert_eq!(show(INFINITY as i64), "INFINITY");
    }
}
