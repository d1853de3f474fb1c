//! Running what-if steps: apply a step's events to the CIB as
//! crm_simulate and crm_resource would, schedule, execute the transition
//! (every action succeeding unless `--op-fail` says otherwise), and hand
//! the resulting CIB to the next step.

use super::scenario::StepSpec;
use super::{apply, clock, EventError, Events};
use crate::cib::time::Instant;
use crate::cib::Cib;
use crate::sched::error::Unsupported;
use crate::sched::model::Cluster;
use crate::sched::pipeline::{simulate_with, Simulation};
use std::borrow::Cow;

/// Why a step could not be run.
pub enum StepError {
    /// An event names something the CIB does not have, or is malformed.
    Event(EventError),
    /// The CIB uses something the scheduler does not reproduce.
    Unsupported(Unsupported),
}

impl StepError {
    pub fn message(&self) -> String {
        match self {
            StepError::Event(e) => e.message.clone(),
            StepError::Unsupported(u) => u.message.clone(),
        }
    }
}

/// One step run.
pub struct StepRun<'a> {
    /// The events as short phrases (`standby alice`).
    pub events: Vec<String>,
    /// The CIB after the configuration changes (standby, ban…), before
    /// crm_simulate's injections: what crm_simulate would be given.
    /// Borrowed from the input when the step changes no configuration.
    pub config_cib: Cow<'a, Cib>,
    /// crm_simulate's "Performing Requested Modifications" lines.
    pub modifications: Vec<String>,
    /// The status crm_simulate shows first (before its injections).
    pub current: std::sync::Arc<Cluster>,
    pub sim: Simulation,
    /// The CIB scheduled, when injections made it differ from `config_cib`.
    pub scheduled: Option<Cib>,
    /// The operation failures asked for (`RSC_TASK_INTERVAL@NODE=RC`).
    pub op_fail: Vec<String>,
}

/// Run one step from `cib`.
pub fn run_step<'a>(cib: &'a Cib, now: Instant, spec: &StepSpec) -> Result<StepRun<'a>, StepError> {
    step_from(Cow::Borrowed(cib), now, spec, false)
}

fn step_from<'a>(
    cib: Cow<'a, Cib>,
    now: Instant,
    spec: &StepSpec,
    show_scores: bool,
) -> Result<StepRun<'a>, StepError> {
    let events = spec
        .events()
        .map_err(|m| StepError::Event(EventError::plain(m)))?;
    run_events_with(cib, now, &events, spec.describe(), show_scores)
}

/// Run one step's parsed events from `cib`.
pub fn run_events<'a>(
    cib: Cow<'a, Cib>,
    now: Instant,
    events: &Events,
    described: Vec<String>,
) -> Result<StepRun<'a>, StepError> {
    run_events_with(cib, now, events, described, false)
}

/// [`run_events`], recording the scores (`crm_simulate -s`) when
/// `show_scores`.
fn run_events_with<'a>(
    cib: Cow<'a, Cib>,
    now: Instant,
    events: &Events,
    described: Vec<String>,
    show_scores: bool,
) -> Result<StepRun<'a>, StepError> {
    // Configuration changes first: they make the CIB that crm_simulate
    // would have been given; its injections come after the current status.
    let config_cib = if events.config.is_empty() {
        cib
    } else {
        let config_events = Events {
            config: events.config.clone(),
            ..Default::default()
        };
        let active_on = |rsc: &str| active_nodes(&cib, now, rsc);
        Cow::Owned(
            apply(&cib, &config_events, &active_on, clock())
                .map_err(StepError::Event)?
                .cib,
        )
    };
    let injections = Events {
        config: Vec::new(),
        op_fail: Vec::new(),
        ..events.clone()
    };
    let (sched_cib, modifications) = if injections.is_empty() {
        (None, Vec::new())
    } else {
        let a =
            apply(&config_cib, &injections, &|_| Vec::new(), clock()).map_err(StepError::Event)?;
        (Some(a.cib), a.modifications)
    };
    let scheduled = sched_cib.as_ref().unwrap_or(&config_cib);
    if !events.op_fail.is_empty() {
        // Validate the failure specs' names against the CIB scheduled.
        let only_fail = Events {
            op_fail: events.op_fail.clone(),
            ..Default::default()
        };
        apply(scheduled, &only_fail, &|_| Vec::new(), 0).map_err(StepError::Event)?;
    }
    let sim = simulate_with(scheduled, now, &events.op_fail, show_scores)
        .map_err(StepError::Unsupported)?;
    // crm_simulate shows the status from before its injections.
    let current = match &sched_cib {
        Some(_) => std::sync::Arc::new(
            crate::sched::unpack::unpack(&config_cib, now).map_err(StepError::Unsupported)?,
        ),
        None => std::sync::Arc::clone(&sim.before),
    };
    Ok(StepRun {
        events: described,
        config_cib,
        modifications,
        current,
        sim,
        scheduled: sched_cib,
        op_fail: events.op_fail.clone(),
    })
}

/// Run the steps one after the other, each from the CIB the previous
/// step's transition left. On failure: the step number (from 1) and why.
pub fn run_scenario<'a>(
    cib: &'a Cib,
    now: Instant,
    steps: &[StepSpec],
) -> Result<Vec<StepRun<'a>>, (usize, StepError)> {
    run_scenario_with(cib, now, steps, false)
}

/// [`run_scenario`], recording each step's scores when `show_scores`.
pub fn run_scenario_with<'a>(
    cib: &'a Cib,
    now: Instant,
    steps: &[StepSpec],
    show_scores: bool,
) -> Result<Vec<StepRun<'a>>, (usize, StepError)> {
    let mut out: Vec<StepRun<'a>> = Vec::new();
    for (i, spec) in steps.iter().enumerate() {
        let from = match out.last() {
            // The state the previous step left: its executed results, or
            // (nothing executed) the CIB it scheduled.
            Some(prev) => {
                let from = prev
                    .sim
                    .revised
                    .as_ref()
                    .or(prev.scheduled.as_ref())
                    .unwrap_or(&prev.config_cib);
                // Later steps own their input (it lives in the step before).
                Cow::Owned(from.clone())
            }
            None => Cow::Borrowed(cib),
        };
        let run = step_from(from, now, spec, show_scores).map_err(|e| (i + 1, e))?;
        out.push(run);
    }
    Ok(out)
}

/// The nodes a resource (or any of its instances) is active on.
pub fn active_nodes(cib: &Cib, now: Instant, rsc: &str) -> Vec<String> {
    let Ok(cluster) = crate::sched::unpack::unpack(cib, now) else {
        return Vec::new();
    };
    let mut on: Vec<String> = cluster
        .resources
        .iter()
        .filter(|r| {
            r.id == rsc || r.xml_id == rsc || r.clone_name.as_deref() == Some(rsc) || {
                // Members of a collective resource count for it.
                let mut p = r.parent;
                let mut hit = false;
                while let Some(pi) = p {
                    let pr = cluster.rsc(pi);
                    if pr.id == rsc {
                        hit = true;
                        break;
                    }
                    p = pr.parent;
                }
                hit
            }
        })
        .flat_map(|r| r.running_on.iter().map(|n| cluster.node(*n).name.clone()))
        .collect();
    on.sort();
    on.dedup();
    on
}

/// Give each resource a step leaves stopped its short reason (the verdict
/// of `explain` on the CIB the step scheduled). A resource that cannot be
/// explained keeps no reason.
pub fn add_stop_reasons(run: &StepRun<'_>, now: Instant, verdict: &mut super::outcome::Verdict) {
    if verdict.stopped.is_empty() {
        return;
    }
    let scheduled = run.scheduled.as_ref().unwrap_or(&run.config_cib);
    verdict.stop_reasons = crate::explain::stop_reasons(scheduled, now, &verdict.stopped);
}
