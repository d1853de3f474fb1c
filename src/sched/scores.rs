//! Allocation scores as `crm_simulate -s` shows them. Recorded so far:
//! each primitive's node scores when it is assigned, after colocations
//! (`pcmk__primitive_assign: RSC allocation score on NODE: SCORE`). Not
//! recorded: clone, group and bundle allocation scores, promotion scores,
//! utilization.

use super::model::{NodeIdx, RscIdx};
use super::state::Scheduler;
use crate::cib::Score;

/// The recorded scores, compact (a large cluster records one per resource
/// per node: 16 bytes each), with the names needed to print them.
#[derive(Clone, Debug, Default)]
pub struct ScoreTable {
    /// (stage, resource, node, score); stages are indexes into `stages`.
    entries: Vec<(u8, RscIdx, NodeIdx, Score)>,
    stages: Vec<&'static str>,
    rsc_ids: Vec<String>,
    node_names: Vec<String>,
    /// Each node's position when nodes are sorted by name.
    name_rank: Vec<u32>,
}

impl ScoreTable {
    /// One line per score, as `crm_simulate -s` prints it.
    pub fn lines(&self) -> Vec<String> {
        let name = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        self.entries
            .iter()
            .map(|(stage, r, n, score)| {
                format!(
                    "{}: {} allocation score on {}: {score}",
                    self.stages.get(usize::from(*stage)).unwrap_or(&""),
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
        if self.scores.name_rank.len() != self.cluster.nodes.len() {
            let mut order: Vec<usize> = (0..self.cluster.nodes.len()).collect();
            order.sort_by(|a, b| {
                self.cluster.nodes[*a]
                    .name
                    .cmp(&self.cluster.nodes[*b].name)
            });
            let mut rank = vec![0; order.len()];
            for (pos, n) in order.into_iter().enumerate() {
                rank[n] = pos as u32;
            }
            self.scores.name_rank = rank;
        }
        let stage = match self.scores.stages.iter().position(|s| *s == stage) {
            Some(i) => i,
            None => {
                self.scores.stages.push(stage);
                self.scores.stages.len() - 1
            }
        };
        let stage = u8::try_from(stage).unwrap_or(u8::MAX);
        let mut entries: Vec<(NodeIdx, Score)> = self.rs[r.i()]
            .allowed
            .iter()
            .map(|(n, a)| (*n, a.weight))
            .collect();
        // Node names are unique: their order decides.
        let rank = &self.scores.name_rank;
        entries.sort_by_key(|(n, _)| rank.get(n.i()).copied().unwrap_or(u32::MAX));
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
