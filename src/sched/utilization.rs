//! Placement strategies (`placement-strategy` utilization, minimal,
//! balanced): node capacities from `utilization` attributes, banning nodes
//! without enough capacity for a resource and what is colocated with it,
//! the resource allocation order, and the `load_stopped_NODE` pseudo
//! actions that order stops before starts on a node (Pacemaker's
//! pcmk_sched_utilization.c and `pcmk__sort_resources`).

use super::action::{af, of, op_key, ActionId};
use super::assign::{CoAffects, CO_SELECT_ACTIVE, CO_SELECT_THIS_WITH};
use super::model::{NodeIdx, RscIdx, Variant};
use super::nodemap::NodeMap;
use super::state::{Allowed, Discover, Scheduler};
use crate::cib::score::INFINITY;
use crate::cib::Score;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Utilization amounts by attribute name.
pub type UtilTable = BTreeMap<String, i32>;

/// `utilization_value`: the integer strtoll reads from the start of `s`,
/// clipped to the int range; text without digits counts as 0, a value too
/// large even for a long long falls back to the minimum.
pub fn utilization_value(s: &str) -> i32 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return 0;
    }
    let mut v: i64 = 0;
    for b in digits[..n].bytes() {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add(i64::from(b - b'0')))
        {
            Some(x) => v = x,
            // strtoll's ERANGE: pcmk__scan_ll then uses the default (INT_MIN).
            None => return i32::MIN,
        }
    }
    let v = if neg { -v } else { v };
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

fn table_of(strings: &BTreeMap<String, String>) -> UtilTable {
    strings
        .iter()
        .map(|(k, v)| (k.clone(), utilization_value(v)))
        .collect()
}

/// `pcmk__compare_node_capacities` on two capacity tables: negative when
/// the first has more free capacity (one vote per attribute).
pub fn compare_capacities(n1: &BTreeMap<String, String>, n2: &BTreeMap<String, String>) -> i32 {
    let mut result = 0;
    for (k, v) in n1 {
        let c1 = utilization_value(v);
        let c2 = n2.get(k).map(|s| utilization_value(s)).unwrap_or(0);
        result += match c1.cmp(&c2) {
            Ordering::Greater => -1,
            Ordering::Less => 1,
            Ordering::Equal => 0,
        };
    }
    for (k, v) in n2 {
        if n1.contains_key(k) {
            continue;
        }
        let c2 = utilization_value(v);
        result += match 0.cmp(&c2) {
            Ordering::Greater => -1,
            Ordering::Less => 1,
            Ordering::Equal => 0,
        };
    }
    result
}

/// `have_enough_capacity`.
fn have_enough_capacity(node: &BTreeMap<String, String>, required: &UtilTable) -> bool {
    required.iter().all(|(k, need)| {
        let remaining = node.get(k).map(|s| utilization_value(s)).unwrap_or(0);
        *need <= remaining
    })
}

/// Whether `placement-strategy` is anything but `default`.
pub fn strategy_is_default(strategy: &str) -> bool {
    strategy.eq_ignore_ascii_case("default")
}

impl Scheduler<'_> {
    fn uses_utilization(&self) -> bool {
        !strategy_is_default(&self.cluster.options.placement_strategy)
    }

    /// `pcmk__compare_node_capacities` for two nodes' remaining capacity.
    pub fn compare_node_capacities(&self, a: NodeIdx, b: NodeIdx) -> i32 {
        compare_capacities(
            &self.cluster.node(a).utilization,
            &self.cluster.node(b).utilization,
        )
    }

    /// `pcmk__consume_node_capacity`: an attribute the node lacks becomes 0.
    pub fn consume_node_capacity(&mut self, n: NodeIdx, r: RscIdx) {
        let need = table_of(&self.cluster.rsc(r).utilization);
        let cap = &mut self.cluster.nodes[n.i()].utilization;
        for (k, v) in need {
            let result = match cap.get(&k) {
                Some(cur) => utilization_value(cur).wrapping_sub(v),
                None => 0,
            };
            cap.insert(k, result.to_string());
        }
    }

    /// `pcmk__release_node_capacity`.
    pub fn release_node_capacity(&mut self, n: NodeIdx, r: RscIdx) {
        let need = table_of(&self.cluster.rsc(r).utilization);
        let cap = &mut self.cluster.nodes[n.i()].utilization;
        for (k, v) in need {
            let cur = cap.get(&k).map(|s| utilization_value(s)).unwrap_or(0);
            cap.insert(k, cur.wrapping_add(v).to_string());
        }
    }

    // ----- colocated resources and their summed utilization -----

    /// `colocated_resources` method: `r` and everything mandatorily
    /// colocated with it (transitively), in discovery order.
    fn colocated_resources(&self, r: RscIdx, orig: RscIdx, list: &mut Vec<RscIdx>) {
        let rsc = self.cluster.rsc(r);
        if rsc.variant == Variant::Group {
            let in_clone = rsc
                .parent
                .is_some_and(|p| self.cluster.rsc(p).variant == Variant::Clone);
            if self.group_colocated(r) || in_clone {
                for &m in &rsc.children {
                    self.colocated_resources(m, orig, list);
                }
            } else if let Some(&m) = rsc.children.first() {
                self.colocated_resources(m, orig, list);
            }
        }
        self.shared_colocated_resources(r, orig, list);
    }

    /// `pcmk__colocated_resources`.
    fn shared_colocated_resources(&self, r: RscIdx, orig: RscIdx, list: &mut Vec<RscIdx>) {
        if list.contains(&r) {
            return;
        }
        list.push(r);
        for &c in &self.rs[r.i()].this_with {
            let col = self.coloc(c);
            if col.primary == orig {
                continue;
            }
            if col.score == INFINITY
                && self.colocation_affects(r, col.primary, c, true) == CoAffects::Location
            {
                self.colocated_resources(col.primary, orig, list);
            }
        }
        let is_clone = |x: RscIdx| self.cluster.rsc(x).variant == Variant::Clone;
        for &c in &self.rs[r.i()].with_this {
            let col = self.coloc(c);
            if col.dependent == orig {
                continue;
            }
            // A clone can't be sure where a non-clone dependent will go.
            if is_clone(r) && !is_clone(col.dependent) {
                continue;
            }
            if col.score == INFINITY
                && self.colocation_affects(col.dependent, r, c, true) == CoAffects::Location
            {
                self.colocated_resources(col.dependent, orig, list);
            }
        }
    }

    /// `add_utilization` method: add what `r` still needs (if it is not
    /// assigned yet) to `sum`.
    fn add_utilization(&self, r: RscIdx, all: &[RscIdx], sum: &mut UtilTable) {
        let rsc = self.cluster.rsc(r);
        if !rsc.provisional {
            return;
        }
        match rsc.variant {
            Variant::Primitive => {
                for (k, v) in table_of(&rsc.utilization) {
                    let e = sum.entry(k).or_insert(0);
                    *e = e.wrapping_add(v);
                }
            }
            Variant::Group => {
                let in_clone = rsc
                    .parent
                    .is_some_and(|p| self.cluster.rsc(p).variant == Variant::Clone);
                let members: Vec<RscIdx> = if self.group_colocated(r) || in_clone {
                    rsc.children.clone()
                } else {
                    rsc.children.first().copied().into_iter().collect()
                };
                for m in members {
                    if self.cluster.rsc(m).provisional && !all.contains(&m) {
                        self.add_utilization(m, all, sum);
                    }
                }
            }
            Variant::Clone => {
                let mut existing = false;
                for &child in &rsc.children {
                    if all.contains(&child) {
                        existing = true;
                    } else if self
                        .cluster
                        .rsc(child)
                        .children
                        .iter()
                        .any(|m| all.contains(m))
                    {
                        // The instance's utilization, not just the member's.
                        self.add_utilization(child, all, sum);
                        existing = true;
                    }
                }
                if !existing {
                    if let Some(&first) = rsc.children.first() {
                        self.add_utilization(first, all, sum);
                    }
                }
            }
            Variant::Bundle => {
                // Replicas are alike and only the implicit container carries
                // utilization, so the first replica's container speaks for
                // any.
                let first = rsc
                    .bundle
                    .as_ref()
                    .and_then(|b| b.replicas.first())
                    .map(|rep| rep.container);
                if let Some(c) = first {
                    self.add_utilization(c, all, sum);
                }
            }
        }
    }

    /// `pcmk__ban_insufficient_capacity`: ban `r` from nodes that cannot
    /// hold it and its unassigned colocated resources (or, if no node can,
    /// `r` alone). Returns the node with the most free capacity when no
    /// node can hold them all.
    pub fn ban_insufficient_capacity(&mut self, r: RscIdx) -> Option<NodeIdx> {
        if !self.uses_utilization() {
            return None;
        }
        let mut list = Vec::new();
        self.colocated_resources(r, r, &mut list);
        if !list.contains(&r) {
            list.push(r);
        }
        let mut sum = UtilTable::new();
        for &x in &list {
            self.add_utilization(x, &list, &mut sum);
        }
        let candidates: Vec<NodeIdx> = self.rs[r.i()]
            .allowed
            .iter()
            .filter(|(n, a)| self.node_available(**n, Some(a.weight), false))
            .map(|(n, _)| *n)
            .collect();
        let any_capable = candidates
            .iter()
            .any(|n| have_enough_capacity(&self.cluster.node(*n).utilization, &sum));
        let most_capable = if any_capable {
            MostCapable::NotNeeded
        } else {
            self.most_capable_node(&candidates)
        };
        let required = if any_capable {
            sum
        } else {
            table_of(&self.cluster.rsc(r).utilization)
        };
        for n in candidates {
            if !have_enough_capacity(&self.cluster.node(n).utilization, &required) {
                self.resource_location(r, Some(n), Score::MINUS_INFINITY, false);
            }
        }
        match most_capable {
            MostCapable::NotNeeded => None,
            MostCapable::Node(n) => Some(n),
            MostCapable::Ambiguous => {
                // Pacemaker takes the first such node in hash table order;
                // it only matters if one of them could still be preferred.
                let best = self
                    .sort_nodes(&self.rs[r.i()].allowed, self.current_node(r))
                    .first()
                    .map(|b| b.1);
                let matters = best.is_some_and(|best| {
                    self.rs[r.i()].allowed.iter().any(|(n, a)| {
                        a.weight >= best && self.node_available(*n, Some(a.weight), false)
                    })
                });
                if matters {
                    self.refuse(
                        r,
                        "placement-strategy: a tie between nodes with the most free capacity",
                    );
                }
                None
            }
        }
    }

    /// The node Pacemaker's scan would keep as having the most free
    /// capacity, if that does not depend on the scan order.
    fn most_capable_node(&self, candidates: &[NodeIdx]) -> MostCapable {
        // The scan keeps a node only when it is strictly better, so a node
        // strictly better than all others always wins.
        for &m in candidates {
            if candidates
                .iter()
                .all(|&n| n == m || self.compare_node_capacities(m, n) < 0)
            {
                return MostCapable::Node(m);
            }
        }
        if candidates.len() <= 1 {
            return candidates
                .first()
                .map_or(MostCapable::NotNeeded, |n| MostCapable::Node(*n));
        }
        MostCapable::Ambiguous
    }

    // ----- load_stopped orderings -----

    /// `new_load_stopped_op`.
    fn load_stopped_op(&mut self, n: NodeIdx) -> ActionId {
        let name = format!("load_stopped_{}", self.cluster.node(n).name);
        let a = self.pseudo_op(&name);
        if self.a(a).node.is_none() {
            self.am(a).node = Some(n);
            self.am(a).clear(af::OPTIONAL);
        }
        a
    }

    /// `pcmk__create_utilization_constraints` (for a managed primitive
    /// with utilization under a non-default strategy).
    pub fn create_utilization_constraints(&mut self, r: RscIdx) {
        if !self.uses_utilization() || self.cluster.rsc(r).utilization.is_empty() {
            return;
        }
        let id = self.rsc_id(r).to_owned();
        for n in self.cluster.rsc(r).running_on.clone() {
            let ls = self.load_stopped_op(n);
            self.new_ordering(
                Some(r),
                Some(op_key(&id, "stop", 0)),
                None,
                None,
                None,
                Some(ls),
                of::LOAD,
            );
        }
        let mut allowed: Vec<NodeIdx> = self.rs[r.i()].allowed.keys().copied().collect();
        allowed.sort_by(|a, b| {
            super::model::cmp_node_names(&self.cluster.node(*a).name, &self.cluster.node(*b).name)
        });
        for n in allowed {
            let ls = self.load_stopped_op(n);
            for task in ["start", "migrate_to"] {
                self.new_ordering(
                    None,
                    None,
                    Some(ls),
                    Some(r),
                    Some(op_key(&id, task, 0)),
                    None,
                    of::LOAD,
                );
            }
        }
    }

    // ----- allocation order -----

    /// `pcmk__sort_resources`: with a non-default strategy, resources are
    /// assigned (and everything after lists them) by priority, then by
    /// their score on their current node, then by their scores on the
    /// nodes in preference order.
    pub fn sort_resources(&mut self) {
        if !self.uses_utilization() {
            return;
        }
        let base: NodeMap<Allowed> = (0..self.cluster.nodes.len())
            .map(|i| {
                let n = NodeIdx(i as u32);
                let weight = self.cluster.node(n).weight;
                (
                    n,
                    Allowed {
                        weight,
                        discover: Discover::Always,
                    },
                )
            })
            .collect();
        let nodes: Vec<NodeIdx> = self
            .sort_nodes(&base, None)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let top = self.top_resources();
        let mut keys: BTreeMap<RscIdx, SortKey> = BTreeMap::new();
        for &r in &top {
            let table = self.colocated_scores_for_sort(r);
            let weight_on = |n: Option<NodeIdx>| -> i32 {
                match (n, &table) {
                    (Some(n), Some(t)) => t.get(&n).map_or(-INFINITY, |a| a.weight.0),
                    _ => -INFINITY,
                }
            };
            let current = if self.cluster.rsc(r).running_on.is_empty() {
                None
            } else {
                self.current_node(r)
            };
            keys.insert(
                r,
                SortKey {
                    priority: self.cluster.rsc(r).priority,
                    current: weight_on(current),
                    scores: nodes.iter().map(|n| weight_on(Some(*n))).collect(),
                },
            );
        }
        if std::env::var_os("CIBCHECK_DEBUG").is_some() {
            for (r, k) in &keys {
                eprintln!(
                    "sort {} prio={} current={} scores={:?}",
                    self.rsc_id(*r),
                    k.priority,
                    k.current,
                    k.scores
                );
            }
        }
        let mut sorted = top;
        sorted.sort_by(|a, b| match (keys.get(a), keys.get(b)) {
            (Some(ka), Some(kb)) => kb
                .priority
                .cmp(&ka.priority)
                .then_with(|| kb.current.cmp(&ka.current))
                .then_with(|| kb.scores.cmp(&ka.scores)),
            _ => Ordering::Equal,
        });
        self.cluster.top = sorted;
    }

    /// `pcmk__add_colocated_node_scores` as `cmp_resources` calls it (no
    /// table yet): the resource's own scores (a group's last member's)
    /// with its "this with" colocations merged in.
    fn colocated_scores_for_sort(&mut self, r: RscIdx) -> Option<NodeMap<Allowed>> {
        if self.rs[r.i()].merging {
            return None;
        }
        self.rs[r.i()].merging = true;
        let work = if self.cluster.rsc(r).variant == Variant::Group {
            match self.cluster.rsc(r).children.last().copied() {
                Some(last) => self.colocated_scores_for_sort(last),
                None => None,
            }
        } else {
            Some(self.rs[r.i()].allowed.clone())
        };
        let Some(mut work) = work else {
            self.rs[r.i()].merging = false;
            return None;
        };
        let any = work
            .iter()
            .any(|(n, a)| self.node_available(*n, Some(a.weight), false));
        if any {
            for c in self.rs[r.i()].this_with.clone() {
                let col = self.coloc(c).clone();
                let factor = col.score as f32 / INFINITY as f32;
                self.add_colocated_node_scores(
                    col.primary,
                    &mut work,
                    col.node_attribute.as_deref(),
                    factor,
                    CO_SELECT_THIS_WITH | CO_SELECT_ACTIVE,
                );
            }
        }
        self.rs[r.i()].merging = false;
        Some(work)
    }
}

enum MostCapable {
    /// Some node has enough capacity for everything.
    NotNeeded,
    Node(NodeIdx),
    /// Which node Pacemaker keeps depends on its hash table order.
    Ambiguous,
}

struct SortKey {
    priority: i32,
    current: i32,
    scores: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn values_parse_like_strtoll() {
        assert_eq!(utilization_value("42"), 42);
        assert_eq!(utilization_value(" -7x"), -7);
        assert_eq!(utilization_value("abc"), 0);
        assert_eq!(utilization_value(""), 0);
        assert_eq!(utilization_value("4.5"), 4);
        assert_eq!(utilization_value("99999999999"), i32::MAX);
        assert_eq!(utilization_value("999999999999999999999"), i32::MIN);
    }

    #[test]
    fn capacities_vote_per_attribute() {
        let a = t(&[("cpu", "4"), ("mem", "100")]);
        let b = t(&[("cpu", "2"), ("mem", "200")]);
        assert_eq!(compare_capacities(&a, &b), 0);
        let c = t(&[("cpu", "8")]);
        // cpu: c more; mem: a more (c lacks it).
        assert_eq!(compare_capacities(&a, &c), 0);
        let d = t(&[("cpu", "8"), ("mem", "100"), ("disk", "1")]);
        assert!(compare_capacities(&d, &a) < 0);
        assert!(compare_capacities(&a, &d) > 0);
    }

    #[test]
    fn enough_capacity_treats_missing_as_zero() {
        let node = t(&[("cpu", "2")]);
        let mut need = UtilTable::new();
        need.insert("cpu".into(), 2);
        assert!(have_enough_capacity(&node, &need));
        need.insert("mem".into(), 1);
        assert!(!have_enough_capacity(&node, &need));
    }
}
