//! `cibcheck diff BEFORE AFTER`: what applying AFTER's configuration to
//! the cluster BEFORE describes would do, and how the lint findings
//! change.

use super::limits::InputLimits;
use super::simulate_cmd::{load_cib, now_or_error, unsupported};
use super::{emit, ColorChoice, Termination};
use crate::input::Input;
use crate::render::{self, sim_table::StepView};
use crate::whatif::diff::{combine, lint_delta};
use crate::whatif::outcome::outcome;
use crate::whatif::run::{run_step, StepError};
use crate::whatif::scenario::StepSpec;
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The CIB as it is (its status section is the running cluster); with
    /// --live, the CIB with the new configuration.
    #[arg(value_name = "BEFORE")]
    pub before: String,
    /// The CIB with the new configuration.
    #[arg(value_name = "AFTER", required_unless_present = "live")]
    pub after: Option<String>,
    /// Take BEFORE from the running cluster (`cibadmin --query`), so that
    /// `cibcheck diff --live new.xml` previews loading new.xml.
    #[arg(long, conflicts_with = "after")]
    pub live: bool,
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Exit 1 when the transition restarts, stops or moves a resource
    /// (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub fail_on: Vec<DiffFailOn>,
    /// Effective time for rules and failure timeouts (ISO 8601).
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: InputLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFailOn {
    /// A resource is restarted (Restart, Recover, Re-promote).
    Restart,
    /// A resource is stopped.
    Stop,
    /// A resource moves (Move, Migrate).
    Move,
}

impl DiffFailOn {
    fn changes(self) -> &'static [&'static str] {
        match self {
            DiffFailOn::Restart => &["Restart", "Recover", "Re-promote"],
            DiffFailOn::Stop => &["Stop"],
            DiffFailOn::Move => &["Move", "Migrate"],
        }
    }
}

pub fn run(args: DiffArgs) -> i32 {
    let color = args.color.enabled();
    let (before_input, after_name) = match (&args.after, args.live) {
        (Some(after), false) => (Input::from_arg(&args.before), after.as_str()),
        _ => (Input::Live, args.before.as_str()),
    };
    let (bsource, before) = match load_cib(&before_input, args.limits, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (_, after) = match load_cib(&Input::from_arg(after_name), args.limits, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let now = match now_or_error(args.now.as_deref(), &before) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let combined = match combine(&before, &after) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Termination::Error as i32;
        }
    };
    let event = vec![format!("apply the configuration of {after_name}")];
    let spinner = super::progress::Progress::spinner("simulating");
    let run = run_step(&combined, now, &StepSpec::default());
    spinner.finish();
    let run = match run {
        Ok(r) => r,
        Err(StepError::Unsupported(u)) => {
            // The refused construct is AFTER's (its configuration).
            let _ = bsource;
            eprintln!("SIM001(not-simulated-yet): {}", u.message);
            return super::simulate_cmd::UNSUPPORTED_EXIT;
        }
        Err(StepError::Event(e)) => return super::simulate_cmd::event_error(&e),
    };
    let _ = unsupported;
    let mut out = outcome(&run.sim, &run.current);
    crate::whatif::run::add_stop_reasons(&run, now, &mut out.verdict);
    let (added, removed) = lint_delta(&before, &after, now);
    let view = StepView {
        events: &event,
        outcome: &out,
        transition: &run.sim.transition,
        scores: None,
    };
    let text = match args.format {
        DiffFormat::Table => {
            let mut s = render::sim_table::render(std::slice::from_ref(&view), color);
            s.push_str(&render::diff::lint_delta_text(&added, &removed));
            s.push_str(&render::sim_json::release_line(
                combined.pacemaker,
                combined.pacemaker_chosen,
            ));
            s
        }
        DiffFormat::Json => render::diff::json(
            &view,
            &added,
            &removed,
            render::sim_json::release_value(combined.pacemaker, combined.pacemaker_chosen),
        ),
    };
    emit(&text);
    let triggered = args.fail_on.iter().any(|f| {
        f.changes()
            .iter()
            .any(|c| out.verdict.changes.contains_key(*c))
    });
    if triggered {
        Termination::Findings as i32
    } else {
        Termination::Clean as i32
    }
}
