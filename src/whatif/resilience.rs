//! `cibcheck resilience`: every online cluster node in turn fails, and
//! separately goes into standby; what each loss does to the resources.

use super::outcome::{outcome, Verdict};
use super::run::run_step;
use super::scenario::StepSpec;
use crate::cib::time::Instant;
use crate::cib::Cib;
use crate::sched::error::Unsupported;
use crate::sched::model::NodeKind;
use serde::Serialize;

/// How a node is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Loss {
    /// The node fails (leaves the membership uncleanly).
    Fail,
    /// The node is put into standby.
    Standby,
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Fail => "fail",
            Loss::Standby => "standby",
        }
    }
}

/// One node lost one way.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub node: String,
    pub event: Loss,
    /// The outcome, or why it could not be simulated.
    #[serde(flatten)]
    pub result: RowResult,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowResult {
    Outcome(Verdict),
    /// The scheduler refused (a construct not simulated yet).
    Refused(String),
}

impl Row {
    /// Whether this loss leaves some resource stopped.
    pub fn leaves_stopped(&self) -> bool {
        matches!(&self.result, RowResult::Outcome(v) if !v.stopped.is_empty())
    }
    /// A word for the table: ok, degraded (something moves or is
    /// fenced), loss (something is left stopped), or not simulated.
    pub fn verdict(&self) -> &'static str {
        match &self.result {
            RowResult::Refused(_) => "not simulated",
            RowResult::Outcome(v) if !v.stopped.is_empty() => "LOSS",
            RowResult::Outcome(v) if !v.moved.is_empty() || !v.fenced.is_empty() => "survives",
            RowResult::Outcome(_) => "ok",
        }
    }
}

/// The online cluster members, by name, with whether each is in standby
/// already.
pub fn online_nodes(cib: &Cib, now: Instant) -> Result<Vec<(String, bool)>, Unsupported> {
    let cluster = crate::sched::unpack::unpack(cib, now)?;
    let mut nodes: Vec<(String, bool)> = cluster
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Member && n.online && !n.unclean && !n.pending)
        .map(|n| (n.name.clone(), n.standby))
        .collect();
    nodes.sort();
    Ok(nodes)
}

/// Lose each online node in turn, both ways. `progress(done, total,
/// what)` is called before each simulation.
pub fn resilience(
    cib: &Cib,
    now: Instant,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Vec<Row>, Unsupported> {
    let nodes = online_nodes(cib, now)?;
    let losses: Vec<(&String, Loss)> = nodes
        .iter()
        .flat_map(|(n, standby)| {
            // A node already in standby cannot be put into standby.
            let ways: &[Loss] = if *standby {
                &[Loss::Fail]
            } else {
                &[Loss::Fail, Loss::Standby]
            };
            ways.iter().map(move |w| (n, *w))
        })
        .collect();
    let total = losses.len();
    let mut rows = Vec::with_capacity(total);
    for (node, event) in losses {
        {
            progress(rows.len(), total, &format!("{node} {}", event.name()));
            let spec = match event {
                Loss::Fail => StepSpec {
                    node_fail: vec![node.clone()],
                    ..Default::default()
                },
                Loss::Standby => StepSpec {
                    standby: vec![node.clone()],
                    ..Default::default()
                },
            };
            let result = match run_step(cib, now, &spec) {
                Ok(run) => {
                    let mut v = outcome(&run.sim, &run.current).verdict;
                    super::run::add_stop_reasons(&run, now, &mut v);
                    RowResult::Outcome(v)
                }
                Err(e) => RowResult::Refused(e.message()),
            };
            rows.push(Row {
                node: node.clone(),
                event,
                result,
            });
        }
    }
    progress(total, total, "");
    Ok(rows)
}
