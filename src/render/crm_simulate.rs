//! crm_simulate's own text (`crm_simulate -S -x CIB` of Pacemaker 2.1.5):
//! current status, transition summary, executed actions, revised status.
//! Only formats what the scheduler decided.

use super::transition_text::{executed_line, summary_lines};
use crate::cib::time::Instant;
use crate::sched::model::Cluster;
use crate::sched::pipeline::Simulation;

/// What crm_simulate says of the effective time, before the current
/// status and again after the executed actions.
#[derive(Clone, Debug)]
pub enum TimeNote {
    /// The CIB's own `execution-date` set it (no time given).
    Original(Instant),
    /// A time given on the command line, as written.
    Set(String),
}

impl TimeNote {
    /// The note the release's crm_simulate prints for a run at the time
    /// `given` on the command line, else at the CIB's `execution-date`.
    pub fn for_run(
        profile: &crate::profile::Profile,
        given: Option<&str>,
        execution_date: Option<Instant>,
    ) -> Option<TimeNote> {
        match given {
            Some(when) if profile.announces_given_time => Some(TimeNote::Set(when.to_owned())),
            Some(_) => None,
            None => execution_date.map(TimeNote::Original),
        }
    }

    fn line(&self) -> String {
        match self {
            TimeNote::Original(d) => {
                let c = d.civil();
                format!(
                    "Using the original execution date of: {:04}-{:02}-{:02} {:02}:{:02}:{:02}Z\n",
                    c.year, c.month, c.day, c.hour, c.minute, c.second
                )
            }
            TimeNote::Set(when) => format!("Setting effective cluster time: {when}\n"),
        }
    }
}

/// The whole `-S` output, with crm_simulate's note on the effective time.
pub fn render(sim: &Simulation, time_note: Option<TimeNote>) -> String {
    render_with_modifications(sim, time_note, &sim.before, &[])
}

/// [`render`] with the "Performing Requested Modifications" lines of
/// what-if events (heading included; empty for none) after the current
/// status, as crm_simulate prints its injections. The current status is
/// `current`'s: the cluster before the injections were made.
pub fn render_with_modifications(
    sim: &Simulation,
    time_note: Option<TimeNote>,
    current: &Cluster,
    modifications: &[String],
) -> String {
    render_with_scores(sim, time_note, current, modifications, false)
}

/// [`render_with_modifications`], with the recorded scores when
/// `show_scores` (`crm_simulate -s -S`): one line each, unindented and
/// without a heading, between the current status (and modifications) and
/// the transition summary, each side set off by a blank line, as
/// crm_simulate prints them in that order. crm_simulate also drops the
/// other sections' headings and bullets when asked for scores; those stay
/// as without scores here, so the other sections read as usual.
pub fn render_with_scores(
    sim: &Simulation,
    time_note: Option<TimeNote>,
    current: &Cluster,
    modifications: &[String],
    show_scores: bool,
) -> String {
    let announce = time_note.map(|n| n.line());
    let mut out = String::new();
    if current.options.schema_validation_disabled {
        out.push_str(current.options.profile.schema_none_notice);
        out.push('\n');
    }
    out.push_str(announce.as_deref().unwrap_or_default());
    let pre = preamble(current);
    if !pre.is_empty() {
        out.push_str(&pre);
        out.push('\n');
    }
    out.push_str(&current_status(current));
    if !modifications.is_empty() {
        out.push('\n');
        for line in modifications {
            out.push_str(line);
            out.push('\n');
        }
    }
    if show_scores {
        out.push('\n');
        for line in sim.transition.scores.lines() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("\nTransition Summary:\n");
    for line in summary_lines(&sim.transition.summary) {
        out.push_str("  * ");
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nExecuting Cluster Transition:\n");
    for (i, e) in sim.transition.executed.iter().enumerate() {
        out.push_str("  * ");
        out.push_str(&executed_line(e));
        out.push('\n');
        for (_, lines) in sim
            .transition
            .failure_notes
            .iter()
            .filter(|(at, _)| *at == i)
        {
            for line in lines {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if let Some(a) = &announce {
        out.push_str(a);
    }
    out.push_str("\nRevised Cluster Status:\n");
    // crm_simulate shows actions in flight in the current status only.
    out.push_str(&super::status::status_section(&sim.after, false));
    out
}

/// What crm_simulate says before the current status: that resource
/// management is off (maintenance mode), and how many resource instances
/// are disabled or blocked.
pub fn preamble(c: &Cluster) -> String {
    let mut out = String::new();
    if c.options.maintenance_mode {
        out.push_str("\n              *** Resource management is DISABLED ***\n");
        out.push_str("  The cluster will not attempt to start, stop or recover services\n");
    }
    let counts = super::status::instance_counts(c);
    if counts.disabled > 0 || counts.blocked > 0 {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{} of {} resource instances DISABLED and {} BLOCKED from further action due to failure\n",
            counts.disabled, counts.instances, counts.blocked
        ));
    }
    out
}

/// Just the current status, as `crm_simulate -x CIB` prints it.
pub fn current_status(c: &Cluster) -> String {
    format!("Current cluster status:\n{}", status_section(c))
}

/// The lines of a status section (node list and resource list), each
/// ending in a newline, as crm_simulate prints them under its headings.
pub fn status_section(c: &Cluster) -> String {
    super::status::status_section(c, true)
}
