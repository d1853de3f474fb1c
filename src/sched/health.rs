//! Node health: with a `node-health-strategy`, each node's `#health*`
//! attributes add up to a score that becomes a location preference of
//! every resource for that node (`pcmk__apply_node_health`).

use super::model::NodeIdx;
use super::state::{Discover, Scheduler};
use crate::cib::{Role, Score};

impl Scheduler<'_> {
    /// Turn node health into location scores, before constraints.
    pub fn apply_node_health(&mut self) {
        let strategy = self.cluster.options.node_health_strategy.clone();
        if strategy == "none" {
            return;
        }
        let base = if strategy == "progressive" {
            self.cluster.options.node_health_base
        } else {
            0
        };
        let scores = self.cluster.options.node_health_scores;
        // The constraint is named after the strategy as configured.
        let id = self
            .cib
            .cluster_option_at("node-health-strategy", self.cluster.now)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| strategy.clone());
        for i in 0..self.cluster.nodes.len() {
            let n = NodeIdx(i as u32);
            let mut health = Score(base);
            for (name, value) in &self.cluster.node(n).attrs {
                if name.starts_with("#health") {
                    let s = super::unpack::char2score(Some(value), scores);
                    health = Score(s).add(health);
                }
            }
            if health.0 == 0 {
                continue;
            }
            for r in self.top_resources() {
                // Resources that may run on unhealthy nodes ignore bans.
                let immune = health.0 < 0
                    && self
                        .cluster
                        .rsc(r)
                        .meta
                        .get("allow-unhealthy-nodes")
                        .is_some_and(|v| crate::cib::load::parse_bool(v));
                if !immune {
                    self.new_location(&id, r, Role::Unknown, Discover::Always, vec![(n, health)]);
                }
            }
        }
    }
}
