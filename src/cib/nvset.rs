//! Name/value sets (`meta_attributes`, `instance_attributes`,
//! `cluster_property_set`, `utilization`, …), with optional rules and scores.

use super::rule::{Rule, RuleContext};
use super::score::Score;
use crate::xml::ElemId;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct NvPair {
    pub id: Option<String>,
    pub elem: ElemId,
    pub name: String,
    pub value: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NvSet {
    pub id: String,
    pub elem: ElemId,
    pub score: Option<Score>,
    pub rule: Option<Rule>,
    pub pairs: Vec<NvPair>,
}

/// Resolve a list of sets into one map as Pacemaker does: sets in score
/// order (highest first, `first_id` before all others), rules evaluated,
/// and the first set that defines a name wins.
pub fn resolve(
    sets: &[NvSet],
    first_id: Option<&str>,
    ctx: &RuleContext<'_>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    resolve_into(&mut out, sets, first_id, ctx);
    out
}

pub fn resolve_into(
    out: &mut BTreeMap<String, String>,
    sets: &[NvSet],
    first_id: Option<&str>,
    ctx: &RuleContext<'_>,
) {
    let mut order: Vec<&NvSet> = sets.iter().collect();
    // Stable sort keeps document order among equal scores.
    order.sort_by_key(|s| {
        let first = first_id.is_some_and(|f| f == s.id);
        (!first, std::cmp::Reverse(s.score.unwrap_or(Score::ZERO)))
    });
    for set in order {
        if let Some(rule) = &set.rule {
            if !rule.eval(ctx) {
                continue;
            }
        }
        for p in &set.pairs {
            if let Some(v) = &p.value {
                out.entry(p.name.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// The value of `name` the sets give, ignoring rules: what a configuration
/// "says" for static checks. Sets are read in Pacemaker's [`precedence`]
/// (so of two sets with equal scores the later wins), the first value in
/// that order counts, and `#default` clears it.
pub fn first_value<'a>(sets: &'a [NvSet], name: &str) -> Option<&'a NvPair> {
    let refs: Vec<&NvSet> = sets.iter().collect();
    let mut found = None;
    for p in precedence(&refs, None)
        .into_iter()
        .flat_map(|s| s.pairs.iter())
        .filter(|p| p.name == name)
    {
        match p.value.as_deref() {
            Some(v) if v.eq_ignore_ascii_case("#default") => found = None,
            Some(_) if found.is_none() => found = Some(p),
            _ => {}
        }
    }
    found
}

/// The order Pacemaker 2.1.5 applies name/value sets in
/// (`pe__unpack_dataset_nvpairs`): highest score first, `first_id` before
/// all others; among equal scores the set listed *last* comes first,
/// because the sets are collected by prepending and then sorted stably.
/// With "first value wins" unpacking (cluster options, defaults, meta and
/// instance attributes), the later of two equal sets therefore wins.
pub fn precedence<'a>(sets: &[&'a NvSet], first_id: Option<&str>) -> Vec<&'a NvSet> {
    let mut order: Vec<&NvSet> = sets.iter().rev().copied().collect();
    order.sort_by_key(|s| {
        let first = first_id.is_some_and(|f| f == s.id);
        (!first, std::cmp::Reverse(s.score.unwrap_or(Score::ZERO)))
    });
    order
}

/// The nvpair that gives `name` its value when the sets are unpacked as
/// Pacemaker does without overwriting: sets in [`precedence`] order, those
/// whose rule fails skipped, the first value wins, and `#default` clears
/// what was found so far. `aliases` are other names read as `name` (the
/// legacy option names a schema upgrade renames).
pub fn effective_pair<'a>(
    sets: &[&'a NvSet],
    first_id: Option<&str>,
    name: &str,
    ctx: &RuleContext<'_>,
) -> Option<&'a NvPair> {
    let mut found: Option<&NvPair> = None;
    for set in precedence(sets, first_id) {
        if set.rule.as_ref().is_some_and(|r| !r.eval(ctx)) {
            continue;
        }
        for p in &set.pairs {
            if p.name != name {
                continue;
            }
            let Some(v) = &p.value else { continue };
            if v.eq_ignore_ascii_case("#default") {
                found = None;
            } else if found.is_none() {
                found = Some(p);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::ElemId;

    fn set(id: &str, score: Option<i32>, pairs: &[(&str, &str)]) -> NvSet {
        NvSet {
            id: id.into(),
            elem: ElemId(0),
            score: score.map(Score),
            rule: None,
            pairs: pairs
                .iter()
                .map(|(n, v)| NvPair {
                    id: None,
                    elem: ElemId(0),
                    name: (*n).into(),
                    value: Some((*v).into()),
                })
                .collect(),
        }
    }

    fn value(sets: &[NvSet], first: Option<&str>, name: &str) -> Option<String> {
        let refs: Vec<&NvSet> = sets.iter().collect();
        effective_pair(&refs, first, name, &RuleContext::default()).and_then(|p| p.value.clone())
    }

    #[test]
    fn the_later_of_equal_sets_wins_and_scores_and_the_first_set_come_first() {
        let equal = [set("a", None, &[("x", "1")]), set("b", None, &[("x", "2")])];
        assert_eq!(value(&equal, None, "x").as_deref(), Some("2"));
        assert_eq!(
            first_value(&equal, "x").and_then(|p| p.value.as_deref()),
            Some("2")
        );
        let scored = [
            set("a", Some(10), &[("x", "1")]),
            set("b", None, &[("x", "2")]),
        ];
        assert_eq!(value(&scored, None, "x").as_deref(), Some("1"));
        let boot = [
            set("boot", None, &[("x", "1")]),
            set("b", Some(50), &[("x", "2")]),
        ];
        assert_eq!(value(&boot, Some("boot"), "x").as_deref(), Some("1"));
        // Within a set the first pair counts.
        let twice = [set("a", None, &[("x", "1"), ("x", "2")])];
        assert_eq!(value(&twice, None, "x").as_deref(), Some("1"));
    }
}
