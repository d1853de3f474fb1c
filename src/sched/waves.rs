//! The transition graph as data for reports (every action with its
//! inputs), and its division into waves: the actions that could run in
//! parallel because everything they wait for finished in earlier waves.

use serde::Serialize;
use std::collections::HashMap;

/// What kind of graph action this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// A resource agent action on a node.
    Resource,
    /// A pseudo-action: a synchronisation point that runs nothing.
    Pseudo,
    /// Fencing a node.
    Fencing,
    /// A controller action (shutdown, clearing a fail count…).
    Cluster,
}

/// One action of the transition graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphAction {
    /// The action's id in the graph.
    pub id: u32,
    /// Operation key (`rsc_start_0`) or the node action's name.
    pub key: String,
    pub kind: ActionKind,
    pub task: String,
    pub interval_ms: u64,
    pub resource: Option<String>,
    pub node: Option<String>,
    /// Ids of the actions this one waits for.
    pub inputs: Vec<u32>,
    /// See [`waves`]; `None` when the action never becomes runnable.
    pub wave: Option<u32>,
    /// Position in the executed actions (execution order), when executed
    /// and shown there.
    pub executed: Option<usize>,
}

/// Waves over a graph given as (id, inputs, is_pseudo) in graph order.
///
/// A real action's wave is one more than the highest wave among the real
/// actions it waits for, directly or through pseudo-actions (which take no
/// time); an action that waits for nothing is in wave 1. A pseudo-action
/// gets the wave at whose end it completes (0 when it waits for nothing).
/// Actions that wait on something never completed (a cycle, an input that
/// is not in the graph) get `None`, as the executor never runs them.
pub fn waves(graph: &[(u32, Vec<u32>, bool)]) -> Vec<Option<u32>> {
    let index: HashMap<u32, usize> = graph
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (*id, i))
        .collect();
    let mut wave: Vec<Option<u32>> = vec![None; graph.len()];
    // Repeated passes until nothing changes: the graph is small, and this
    // stays correct for any input order.
    loop {
        let mut changed = false;
        for (i, (_, inputs, pseudo)) in graph.iter().enumerate() {
            if wave[i].is_some() {
                continue;
            }
            let mut done = Some(0u32);
            for inp in inputs {
                done = match (done, index.get(inp).and_then(|j| wave[*j])) {
                    (Some(d), Some(w)) => Some(d.max(w)),
                    _ => None,
                };
            }
            if let Some(d) = done {
                wave[i] = Some(if *pseudo { d } else { d + 1 });
                changed = true;
            }
        }
        if !changed {
            return wave;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::waves;

    #[test]
    fn independent_actions_share_a_wave() {
        let g = vec![
            (1, vec![], false),
            (2, vec![], false),
            (3, vec![1, 2], false),
        ];
        assert_eq!(waves(&g), vec![Some(1), Some(1), Some(2)]);
    }

    #[test]
    fn pseudo_actions_take_no_time() {
        // stop → stopped (pseudo) → start: the start is in the second wave.
        let g = vec![(3, vec![2], false), (2, vec![1], true), (1, vec![], false)];
        assert_eq!(waves(&g), vec![Some(2), Some(1), Some(1)]);
        // A pseudo-action that waits for nothing ends wave 0.
        let g = vec![(1, vec![], true), (2, vec![1], false)];
        assert_eq!(waves(&g), vec![Some(0), Some(1)]);
    }

    #[test]
    fn unreachable_actions_have_no_wave() {
        let g = vec![
            (1, vec![2], false),
            (2, vec![1], false),
            (3, vec![9], false),
        ];
        assert_eq!(waves(&g), vec![None, None, None]);
    }
}
