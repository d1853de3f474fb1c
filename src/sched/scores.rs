//! Allocation scores as `crm_simulate -s` shows them. Recorded so far:
//! each primitive's node scores when it is assigned, after colocations
//! (`pcmk__primitive_assign: RSC allocation score on NODE: SCORE`). Not
//! recorded: clone, group and bundle allocation scores, promotion scores,
//! utilization.

use super::model::RscIdx;
use super::state::Scheduler;

impl Scheduler<'_> {
    /// One line per allowed node, by node name, prefixed by the stage.
    pub fn record_scores(&mut self, stage: &str, r: RscIdx) {
        let id = self.cluster.rsc(r).id.clone();
        let mut lines: Vec<(String, String)> = self.rs[r.i()]
            .allowed
            .iter()
            .map(|(n, a)| (self.cluster.node(*n).name.clone(), a.weight.to_string()))
            .collect();
        lines.sort();
        for (node, score) in lines {
            self.scores
                .push(format!("{stage}: {id} allocation score on {node}: {score}"));
        }
    }
}
