//! Allocation and promotion scores as `crm_simulate -s` shows them,
//! recorded where Pacemaker's scheduler prints them:
//!
//! - each assignment function's table (`pcmk__primitive_assign`,
//!   `pcmk__group_assign`, the clone and bundle ones, named per release by
//!   the profile): the resource's allowed nodes with their scores, by node
//!   name, then the same for each of its descendants (orphans left out),
//!   once per call of the function;
//! - each promotable instance's promotion score on the node it will be
//!   active on (`none` when inactive), as its role is chosen.
//!
//! Recording is off unless asked for (`Scheduler::record_scores_on`), so a
//! simulation without `--show-scores` pays one branch per table. Each entry
//! is one line; a later "why" view can keep, per entry, the contributions
//! that made the score in a parallel vector indexed like `entries`.

use super::model::{cmp_node_names, NodeIdx, RscIdx};
use super::state::Scheduler;
use crate::cib::Score;

/// The stage index reserved for promotion scores.
const PROMOTION: u8 = u8::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Index into `stages`, or [`PROMOTION`].
    stage: u8,
    rsc: RscIdx,
    /// `None`: a promotion score of an instance that will not be active.
    node: Option<NodeIdx>,
    score: Score,
}

/// One recorded score, with its names, for renderers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRecord<'a> {
    /// The Pacemaker function whose table holds it (`pcmk__group_assign`);
    /// `None` for a promotion score.
    pub function: Option<&'static str>,
    pub resource: &'a str,
    /// `None`: a promotion score of an instance that will not be active.
    pub node: Option<&'a str>,
    pub score: Score,
    /// How a promotion score of an inactive instance reads: `(inactive)`
    /// (3.0.0 on) rather than `on none`.
    pub inactive_word: bool,
}

impl ScoreRecord<'_> {
    /// The line `crm_simulate -s` prints for it.
    pub fn line(&self) -> String {
        match self.function {
            Some(f) => format!(
                "{f}: {} allocation score on {}: {}",
                self.resource,
                self.node.unwrap_or("none"),
                self.score
            ),
            None => match self.node {
                None if self.inactive_word => {
                    format!(
                        "{} promotion score (inactive): {}",
                        self.resource, self.score
                    )
                }
                node => format!(
                    "{} promotion score on {}: {}",
                    self.resource,
                    node.unwrap_or("none"),
                    self.score
                ),
            },
        }
    }
}

/// The recorded scores, compact (a large cluster records one per resource
/// per node), with the names needed to print them.
#[derive(Clone, Debug, Default)]
pub struct ScoreTable {
    enabled: bool,
    inactive_word: bool,
    entries: Vec<Entry>,
    stages: Vec<&'static str>,
    rsc_ids: Vec<String>,
    node_names: Vec<String>,
    /// Each node's position when nodes are sorted as Pacemaker sorts names.
    name_rank: Vec<u32>,
}

impl ScoreTable {
    /// The scores in the order Pacemaker prints them.
    pub fn records(&self) -> Vec<ScoreRecord<'_>> {
        fn name(v: &[String], i: usize) -> &str {
            v.get(i).map_or("", |s| s.as_str())
        }
        let node_names = &self.node_names;
        self.entries
            .iter()
            .map(|e| ScoreRecord {
                function: if e.stage == PROMOTION {
                    None
                } else {
                    Some(self.stages.get(usize::from(e.stage)).copied().unwrap_or(""))
                },
                resource: name(&self.rsc_ids, e.rsc.i()),
                node: e.node.map(|n| name(node_names, n.i())),
                score: e.score,
                inactive_word: self.inactive_word,
            })
            .collect()
    }

    /// One line per score, as `crm_simulate -s` prints it.
    pub fn lines(&self) -> Vec<String> {
        self.records().iter().map(ScoreRecord::line).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Scheduler<'_> {
    /// Record scores from now on (off by default: it costs time and memory
    /// on large clusters).
    pub fn record_scores_on(&mut self) {
        self.scores.enabled = true;
        self.scores.inactive_word = self.cib.pacemaker.inactive_promotion_minus_infinity;
    }

    fn score_stage(&mut self, stage: &'static str) -> u8 {
        let i = match self.scores.stages.iter().position(|s| *s == stage) {
            Some(i) => i,
            None => {
                self.scores.stages.push(stage);
                self.scores.stages.len() - 1
            }
        };
        // Fewer than a handful of stages exist; PROMOTION stays reserved.
        u8::try_from(i).unwrap_or(PROMOTION - 1).min(PROMOTION - 1)
    }

    /// `pe__show_node_scores`: the table of `r` and of each descendant.
    pub fn record_scores(&mut self, stage: &'static str, r: RscIdx) {
        self.trace_printed(stage, r);
        if !self.scores.enabled {
            return;
        }
        if self.scores.name_rank.len() != self.cluster.nodes.len() {
            let mut order: Vec<usize> = (0..self.cluster.nodes.len()).collect();
            order.sort_by(|a, b| {
                cmp_node_names(&self.cluster.nodes[*a].name, &self.cluster.nodes[*b].name)
            });
            let mut rank = vec![0; order.len()];
            for (pos, n) in order.into_iter().enumerate() {
                rank[n] = pos as u32;
            }
            self.scores.name_rank = rank;
        }
        let stage = self.score_stage(stage);
        self.record_table(stage, r);
    }

    fn record_table(&mut self, stage: u8, r: RscIdx) {
        if self.cluster.rsc(r).orphan {
            return;
        }
        let mut entries: Vec<(NodeIdx, Score)> = self.rs[r.i()]
            .allowed
            .iter()
            .map(|(n, a)| (*n, a.weight))
            .collect();
        let rank = &self.scores.name_rank;
        entries.sort_by_key(|(n, _)| rank.get(n.i()).copied().unwrap_or(u32::MAX));
        for (n, score) in entries {
            self.scores.entries.push(Entry {
                stage,
                rsc: r,
                node: Some(n),
                score,
            });
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.record_table(stage, c);
        }
    }

    /// `show_promotion_score`: an instance's promotion score on the node
    /// it will be active on.
    pub fn record_promotion_score(&mut self, instance: RscIdx) {
        if !self.scores.enabled {
            return;
        }
        let node = self.rsc_location(instance, false);
        let score = Score(self.rs[instance.i()].sort_index);
        self.scores.entries.push(Entry {
            stage: PROMOTION,
            rsc: instance,
            node,
            score,
        });
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
