//! `cibcheck upgrade-review`: the same CIB (and events) scheduled as two
//! Pacemaker releases would, compared. Decided here: which resources end
//! up placed differently, which actions only one release schedules, and
//! the upgrade lint findings; the renderers lay it out.

use super::diff::Finding;
use super::outcome::{Outcome, ResourceRow};
use crate::cib::time::Instant;
use crate::cib::Cib;
use crate::diag::Severity;
use crate::lint::{self, Context, Selection};
use crate::profile::Profile;
use crate::sched::pipeline::Transition;
use crate::sched::waves::{ActionKind, GraphAction};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a resource ends up after the transition under one release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// `Stopped` when it runs nowhere.
    pub role: String,
    pub nodes: Vec<String>,
    /// The transition summary's change, if any.
    pub change: Option<String>,
}

impl Placement {
    /// One resource's rows: a primitive's, or every instance of a clone
    /// (instance numbers are not compared: releases may number anonymous
    /// instances differently for the same placement).
    fn of(rows: &[&ResourceRow]) -> Placement {
        let mut roles: Vec<&str> = Vec::new();
        let mut nodes: Vec<String> = Vec::new();
        let mut changes: Vec<&str> = Vec::new();
        for r in rows {
            if !r.nodes_after.is_empty() && !roles.contains(&r.role_after.as_str()) {
                roles.push(&r.role_after);
            }
            nodes.extend(r.nodes_after.iter().cloned());
            if let Some(c) = r.change.as_deref().filter(|c| !changes.contains(c)) {
                changes.push(c);
            }
        }
        nodes.sort();
        roles.sort();
        changes.sort();
        Placement {
            role: if roles.is_empty() {
                "Stopped".to_string()
            } else {
                roles.join("/")
            },
            nodes,
            change: (!changes.is_empty()).then(|| changes.join(", ")),
        }
    }
    /// The same end state (the change that leads there may differ).
    fn same_state(&self, other: &Placement) -> bool {
        self.role == other.role && self.nodes == other.nodes
    }
}

/// The resource a displayed row belongs to: a clone instance (`ip:2`)
/// counts as its primitive (`ip`).
fn resource_of(id: &str) -> &str {
    match id.rsplit_once(':') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

/// One resource (a clone: all its instances) under both releases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlacementRow {
    pub resource: String,
    /// `None` when the release does not have the resource at all.
    pub from: Option<Placement>,
    pub to: Option<Placement>,
    /// The end states differ (or only one release has the resource).
    pub differs: bool,
}

/// The actions executed by one release's transition and not the other's
/// (compared by task, interval, resource and node; waves may differ).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ActionDelta {
    pub only_from: Vec<GraphAction>,
    pub only_to: Vec<GraphAction>,
    /// Actions both transitions execute.
    pub common: usize,
}

/// The comparison of two transitions of the same CIB.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub placement: Vec<PlacementRow>,
    pub actions: ActionDelta,
    /// Resources whose end state differs.
    pub placed_differently: usize,
}

impl Comparison {
    /// How many actions differ (in one transition only).
    pub fn actions_differ(&self) -> usize {
        self.actions.only_from.len() + self.actions.only_to.len()
    }
    pub fn differs(&self) -> bool {
        self.placed_differently > 0 || self.actions_differ() > 0
    }
    /// "no difference" / "N resources placed differently, M actions differ".
    pub fn verdict(&self) -> String {
        if !self.differs() {
            return "no difference".to_string();
        }
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        format!(
            "{} placed differently, {}",
            plural(self.placed_differently, "resource", "resources"),
            plural(self.actions_differ(), "action differs", "actions differ")
        )
    }
}

/// The actions an admin sees executed (no pseudo-actions).
fn executed(t: &Transition) -> Vec<&GraphAction> {
    let mut v: Vec<&GraphAction> = t
        .actions
        .iter()
        .filter(|a| a.kind != ActionKind::Pseudo && a.executed.is_some())
        .collect();
    v.sort_by_key(|a| (a.wave, a.executed));
    v
}

type ActionKey<'a> = (&'a str, u64, Option<&'a str>, Option<&'a str>, bool);

fn key(a: &GraphAction) -> ActionKey<'_> {
    (
        a.task.as_str(),
        a.interval_ms,
        a.resource.as_deref(),
        a.node.as_deref(),
        a.kind == ActionKind::Fencing,
    )
}

/// Actions of `a` not matched by one of `b` (as multisets).
fn unmatched<'t>(a: &[&'t GraphAction], b: &[&GraphAction]) -> Vec<&'t GraphAction> {
    let mut count: BTreeMap<ActionKey<'_>, usize> = BTreeMap::new();
    for x in b {
        *count.entry(key(x)).or_default() += 1;
    }
    a.iter()
        .filter(|x| match count.get_mut(&key(x)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .copied()
        .collect()
}

/// Compare the outcome and transition of the same step under two releases.
pub fn compare(from: (&Outcome, &Transition), to: (&Outcome, &Transition)) -> Comparison {
    type Sides<'o> = (Vec<&'o ResourceRow>, Vec<&'o ResourceRow>);
    let mut grouped: BTreeMap<&str, Sides<'_>> = BTreeMap::new();
    for r in &from.0.resources {
        grouped.entry(resource_of(&r.id)).or_default().0.push(r);
    }
    for r in &to.0.resources {
        grouped.entry(resource_of(&r.id)).or_default().1.push(r);
    }
    let side = |rows: &[&ResourceRow]| (!rows.is_empty()).then(|| Placement::of(rows));
    let placement: Vec<PlacementRow> = grouped
        .into_iter()
        .map(|(id, (f, t))| (id, side(&f), side(&t)))
        .map(|(id, f, t)| {
            let differs = match (&f, &t) {
                (Some(a), Some(b)) => !a.same_state(b),
                _ => true,
            };
            PlacementRow {
                resource: id.to_string(),
                from: f,
                to: t,
                differs,
            }
        })
        .collect();
    let placed_differently = placement.iter().filter(|r| r.differs).count();
    let (fa, ta) = (executed(from.1), executed(to.1));
    let only_from: Vec<GraphAction> = unmatched(&fa, &ta).into_iter().cloned().collect();
    let only_to: Vec<GraphAction> = unmatched(&ta, &fa).into_iter().cloned().collect();
    let common = fa.len() - only_from.len();
    Comparison {
        placement,
        actions: ActionDelta {
            only_from,
            only_to,
            common,
        },
        placed_differently,
    }
}

/// The upgrade findings (UP rules) for `cib` read as it is today, judged
/// for an upgrade to `to`.
pub fn upgrade_findings(cib: &Cib, now: Instant, to: &'static Profile) -> Vec<Finding> {
    let (sel, _) = Selection::new(&["UP".to_string()], &[]);
    lint::lint(&Context::new(cib, now).with_target(Some(to)), &sel)
        .iter()
        .map(Finding::of)
        .collect()
}

/// Findings by severity, most severe first: (severity, count).
pub fn count_by_severity(findings: &[Finding]) -> Vec<(Severity, usize)> {
    [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| (s, findings.iter().filter(|f| f.severity == s).count()))
        .collect()
}
