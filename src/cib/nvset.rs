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

/// The first value of `name` in document order, ignoring rules: what a
/// configuration "says" for static checks.
pub fn first_value<'a>(sets: &'a [NvSet], name: &str) -> Option<&'a NvPair> {
    sets.iter()
        .flat_map(|s| s.pairs.iter())
        .find(|p| p.name == name && p.value.is_some())
}
