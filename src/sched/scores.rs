//! Allocation scores as `crm_simulate -s` shows them. Recorded so far:
//! each primitive's node scores when it is assigned, after colocations
//! (`pcmk__primitive_assign: RSC allocation score on NODE: SCORE`). Not
//! recorded: clone, group and bundle allocation scores, promotion scores,
//! utilization.

use super::model::{NodeIdx, RscIdx};
use super::state::Scheduler;
use crate::cib::Score;

/// The recorded scores, compact (a large cluster records one per resource
/// per node), with the names needed to print them.
#[derive(Clone, Debug, Default)]
pub struct ScoreTable {
    entries: Vec<(&'static str, RscIdx, NodeIdx, Score)>,
    rsc_ids: Vec<String>,
    node_names: Vec<String>,
}

impl ScoreTable {
    /// One line per score, as `crm_simulate -s` prints it.
    pub fn lines(&self) -> Vec<String> {
        let name = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        self.entries
            .iter()
            .map(|(stage, r, n, score)| {
                format!(
                    "{stage}: {} allocation score on {}: {score}",
                    name(&self.rsc_ids, r.i()),
                    name(&self.node_names, n.i())
                )
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Scheduler<'_> {
    /// One entry per allowed node, by node name, prefixed by the stage.
    pub fn record_scores(&mut self, stage: &'static str, r: RscIdx) {
        let mut entries: Vec<(NodeIdx, Score)> = self.rs[r.i()]
            .allowed
            .iter()
            .map(|(n, a)| (*n, a.weight))
            .collect();
        entries.sort_by(|a, b| {
            self.cluster
                .node(a.0)
                .name
                .cmp(&self.cluster.node(b.0).name)
                .then_with(|| a.1.to_string().cmp(&b.1.to_string()))
        });
        for (n, score) in entries {
            self.scores.entries.push((stage, r, n, score));
        }
    }

    /// The recorded scores, with the names to print them.
    pub fn take_scores(&mut self) -> ScoreTable {
        let mut t = std::mem::take(&mut self.scores);
        if !t.entries.is_empty() {
            t.rsc_ids = self
                .cluster
                .resources
                .iter()
                .map(|r| r.id.clone())
                .collect();
            t.node_names = self.cluster.nodes.iter().map(|n| n.name.clone()).collect();
        }
        t
    }
}
