//! What a simulated step means for an admin: every resource before and
//! after with its change, node states before and after, and a verdict
//! (what moved, what was stopped and left stopped, which nodes are
//! fenced). Decided here, from the scheduler's results; renderers only
//! lay it out.

use crate::cib::Role;
use crate::sched::model::{Cluster, Node, NodeKind, RscIdx, Variant};
use crate::sched::pipeline::Simulation;
use crate::sched::plan::Planned;
use crate::sched::summary::SummaryItem;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One displayed primitive (clone instances included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceRow {
    pub id: String,
    pub role_before: String,
    pub nodes_before: Vec<String>,
    pub role_after: String,
    pub nodes_after: Vec<String>,
    /// The transition summary's change (Move, Start, Stop, Promote…).
    pub change: Option<String>,
    pub reason: Option<String>,
}

/// One node's state before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeRow {
    pub name: String,
    pub before: &'static str,
    pub after: &'static str,
}

/// The step in one line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Resources (a promotable clone: its promoted role) active before and
    /// after, on different nodes.
    pub moved: Vec<String>,
    /// Resources (a clone: all its instances) active before and stopped
    /// after the transition.
    pub stopped: Vec<String>,
    /// Nodes the transition fences.
    pub fenced: Vec<String>,
    /// How many resources each kind of change (Move, Stop…) touches.
    pub changes: BTreeMap<String, usize>,
    /// Why each resource of `stopped` cannot run, in short (the verdict
    /// of `explain`); filled by [`crate::whatif::run::add_stop_reasons`].
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stop_reasons: BTreeMap<String, String>,
}

impl Verdict {
    /// Each stopped resource with its reason when known:
    /// `db: target-role=Stopped`.
    pub fn stopped_with_reasons(&self) -> Vec<String> {
        self.stopped
            .iter()
            .map(|r| match self.stop_reasons.get(r) {
                Some(why) => format!("{r}: {why}"),
                None => r.clone(),
            })
            .collect()
    }

    /// "2 moved (fs-vm, vm-web), 0 stopped and left stopped; no fencing"
    pub fn line(&self) -> String {
        let names = |v: &[String]| {
            if v.is_empty() {
                String::new()
            } else {
                format!(" ({})", v.join(", "))
            }
        };
        let fencing = if self.fenced.is_empty() {
            "no fencing".to_string()
        } else {
            format!("fencing {}", self.fenced.join(", "))
        };
        let stopped = if self.stop_reasons.is_empty() {
            names(&self.stopped)
        } else {
            format!(" ({})", self.stopped_with_reasons().join("; "))
        };
        format!(
            "{} moved{}, {} stopped and left stopped{stopped}; {fencing}",
            self.moved.len(),
            names(&self.moved),
            self.stopped.len(),
        )
    }
}

/// Everything a report shows about one simulated step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub nodes: Vec<NodeRow>,
    pub resources: Vec<ResourceRow>,
    pub verdict: Verdict,
}

/// A node's state in one word.
pub fn node_state(n: &Node) -> &'static str {
    if n.unclean {
        "unclean"
    } else if n.pending {
        "pending"
    } else if !n.online {
        "offline"
    } else if n.standby {
        "standby"
    } else if n.maintenance {
        "maintenance"
    } else {
        "online"
    }
}

fn nodes_of(c: &Cluster, r: RscIdx) -> Vec<String> {
    c.rsc(r)
        .running_on
        .iter()
        .map(|n| c.node(*n).name.clone())
        .collect()
}

/// A role as displayed: an instance of a promotable clone that is not
/// promoted is Unpromoted.
fn display_role(c: &Cluster, r: RscIdx, role: Role) -> &'static str {
    let promotable = {
        let mut p = c.rsc(r).parent;
        let mut found = false;
        while let Some(pi) = p {
            found |= c.rsc(pi).promotable;
            p = c.rsc(pi).parent;
        }
        found
    };
    if promotable && role == Role::Started {
        Role::Unpromoted.name()
    } else {
        role.name()
    }
}

fn displayed(c: &Cluster) -> impl Iterator<Item = (RscIdx, &crate::sched::model::Resource)> {
    c.resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.variant == Variant::Primitive && !r.internal)
        .map(|(i, r)| (RscIdx(i as u32), r))
}

/// Displayed primitives by id: (role, nodes), as they are.
fn primitives(c: &Cluster) -> BTreeMap<String, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    for (idx, r) in displayed(c) {
        let nodes = nodes_of(c, idx);
        let role = if nodes.is_empty() {
            "Stopped"
        } else {
            display_role(c, idx, r.role)
        };
        out.insert(r.id.clone(), (role.to_string(), nodes));
    }
    out
}

/// Displayed primitives by id: (role, nodes), where the transition puts
/// them.
fn planned(c: &Cluster, plan: &[Planned]) -> BTreeMap<String, (String, Vec<String>)> {
    let by_id: BTreeMap<&str, &Planned> = plan.iter().map(|p| (p.rsc.as_str(), p)).collect();
    let mut out = BTreeMap::new();
    for (idx, r) in displayed(c) {
        let Some(p) = by_id.get(r.id.as_str()) else {
            continue;
        };
        let nodes: Vec<String> = p.node.iter().cloned().collect();
        let role = if nodes.is_empty() {
            "Stopped"
        } else {
            display_role(c, idx, p.role)
        };
        out.insert(r.id.clone(), (role.to_string(), nodes));
    }
    out
}

/// The unit a verdict counts a primitive in: its clone or bundle, else
/// itself.
fn unit_of(c: &Cluster, r: RscIdx) -> RscIdx {
    let mut unit = r;
    let mut p = c.rsc(r).parent;
    while let Some(pi) = p {
        if matches!(c.rsc(pi).variant, Variant::Clone | Variant::Bundle) {
            unit = pi;
        }
        p = c.rsc(pi).parent;
    }
    unit
}

/// Per unit id: (nodes active, nodes where promoted, promotable).
type Units = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>, bool)>;

fn units(c: &Cluster) -> Units {
    let mut out: Units = BTreeMap::new();
    for (i, r) in c.resources.iter().enumerate() {
        if r.variant != Variant::Primitive || r.internal {
            continue;
        }
        let idx = RscIdx(i as u32);
        let u = unit_of(c, idx);
        let unit = c.rsc(u);
        let e = out
            .entry(unit.id.clone())
            .or_insert_with(|| (BTreeSet::new(), BTreeSet::new(), unit.promotable));
        for n in nodes_of(c, idx) {
            if r.role == Role::Promoted {
                e.1.insert(n.clone());
            }
            e.0.insert(n);
        }
    }
    out
}

/// The outcome of a simulated step; `current` is the cluster before the
/// step's injections (a failed node was still online).
pub fn outcome(sim: &Simulation, current: &Cluster) -> Outcome {
    let mut changes: BTreeMap<&str, (&str, Option<&str>)> = BTreeMap::new();
    let mut verdict = Verdict::default();
    for item in &sim.transition.summary {
        match item {
            SummaryItem::Resource {
                change,
                rsc,
                reason,
                ..
            } => {
                changes.insert(rsc.as_str(), (change.as_str(), reason.as_deref()));
                *verdict.changes.entry(change.clone()).or_insert(0) += 1;
            }
            SummaryItem::Node { task, node, .. } if task.starts_with("Fence") => {
                verdict.fenced.push(node.clone())
            }
            SummaryItem::Node { .. } => {}
        }
    }
    let before = primitives(&sim.before);
    let after = planned(&sim.before, &sim.transition.planned);
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let stopped = ("Stopped".to_string(), Vec::new());
    let resources = ids
        .into_iter()
        .map(|id| {
            let b = before.get(id).unwrap_or(&stopped);
            let a = after.get(id).unwrap_or(&stopped);
            let (change, reason) = changes.get(id.as_str()).copied().unwrap_or(("", None));
            ResourceRow {
                id: id.clone(),
                role_before: b.0.clone(),
                nodes_before: b.1.clone(),
                role_after: a.0.clone(),
                nodes_after: a.1.clone(),
                change: (!change.is_empty()).then(|| change.to_string()),
                reason: reason.map(str::to_string),
            }
        })
        .collect();
    let ub = units(&sim.before);
    let ua = units(&sim.after);
    let empty = (BTreeSet::new(), BTreeSet::new(), false);
    for (id, (on_before, promoted_before, promotable)) in &ub {
        let (on_after, promoted_after, _) = ua.get(id).unwrap_or(&empty);
        if !on_before.is_empty() && on_after.is_empty() {
            verdict.stopped.push(id.clone());
        } else if *promotable {
            if !promoted_before.is_empty()
                && !promoted_after.is_empty()
                && promoted_before != promoted_after
            {
                verdict.moved.push(format!("{id} (Promoted)"));
            }
        } else if !on_before.is_empty() && !on_after.is_empty() && on_before != on_after {
            // A clone's instances shuffling is not a move of the service.
            if sim
                .before
                .resources
                .iter()
                .any(|r| &r.id == id && r.variant == Variant::Primitive && r.clone.is_none())
            {
                verdict.moved.push(id.clone());
            }
        }
    }
    let mut nodes: BTreeMap<String, NodeRow> = BTreeMap::new();
    for n in &current.nodes {
        if n.kind == NodeKind::Guest && n.remote_rsc.is_none() {
            continue;
        }
        nodes.insert(
            n.name.clone(),
            NodeRow {
                name: n.name.clone(),
                before: node_state(n),
                after: "offline",
            },
        );
    }
    for n in &sim.after.nodes {
        if let Some(row) = nodes.get_mut(&n.name) {
            row.after = node_state(n);
        }
    }
    Outcome {
        nodes: nodes.into_values().collect(),
        resources,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn verdict_lines_name_what_moved_and_what_stopped() {
        assert_eq!(
            Verdict::default().line(),
            "0 moved, 0 stopped and left stopped; no fencing"
        );
        let v = Verdict {
            moved: vec!["fs".into(), "vm".into()],
            stopped: vec!["db".into()],
            fenced: vec!["bob".into()],
            ..Default::default()
        };
        assert_eq!(
            v.line(),
            "2 moved (fs, vm), 1 stopped and left stopped (db); fencing bob"
        );
    }
}
