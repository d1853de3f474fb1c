//! `cibcheck upgrade-review CIB`: what the cluster would do differently
//! after an upgrade. The same CIB (and what-if events) is scheduled as
//! the release it runs today and as the target release, through the one
//! simulate pipeline; the placements and actions are compared, and the
//! upgrade lint findings summarised.

use super::limits::InputLimits;
use super::simulate_cmd::{event_error, load_cib, now_or_error, unsupported, EventArgs};
use super::{emit, ColorChoice, Termination};
use crate::profile::{self, Profile};
use crate::render::sim_table::StepView;
use crate::render::upgrade_review::{json_text, table_text, Review, Sides};
use crate::whatif::outcome::outcome;
use crate::whatif::run::{run_step, StepError};
use crate::whatif::upgrade::{compare, upgrade_findings};
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct UpgradeReviewArgs {
    /// The CIB (a file, compressed or not, ARCHIVE//MEMBER, or - for stdin).
    pub cib: String,
    /// The release the cluster runs today (default: as for every
    /// command: --pacemaker, else the CIB's dc-version, else 2.1.5).
    #[arg(long, value_name = "VERSION")]
    pub from: Option<String>,
    /// The release upgraded to (default: the newest profile).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t = ReviewFormat::Table)]
    pub format: ReviewFormat,
    /// Also show the resources placed the same by both releases.
    #[arg(long)]
    pub all: bool,
    /// Effective time for rules and failure timeouts (ISO 8601); default:
    /// the CIB's `execution-date`, else the clock.
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: InputLimits,
    #[command(flatten)]
    pub events: EventArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// The differences as tables, a verdict and the upgrade findings.
    Table,
    /// A versioned JSON object (docs/upgrade-review-json.md).
    Json,
}

fn profile_arg(flag: &str, v: &str) -> Result<&'static Profile, i32> {
    profile::by_name(v).ok_or_else(|| {
        let known: Vec<&str> = profile::PROFILES.iter().map(|p| p.name).collect();
        eprintln!(
            "error: {flag} {v}: no profile for that release (known: {})",
            known.join(", ")
        );
        Termination::Error as i32
    })
}

/// Exit 0 when both releases do the same and no upgrade finding is an
/// error, 1 otherwise, 2 on bad input, 3 when a construct is not
/// simulated.
pub fn run(args: UpgradeReviewArgs) -> i32 {
    let color = args.color.enabled();
    let (source, cib) = match load_cib(
        &crate::input::Input::from_arg(&args.cib),
        args.limits,
        color,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let from = match args.from.as_deref().map(|v| profile_arg("--from", v)) {
        Some(Ok(p)) => (p, "--from".to_string()),
        Some(Err(code)) => return code,
        None => (cib.pacemaker, cib.pacemaker_chosen.describe().to_string()),
    };
    let to = match args.to.as_deref().map(|v| profile_arg("--to", v)) {
        Some(Ok(p)) => (p, "--to".to_string()),
        Some(Err(code)) => return code,
        None => match profile::PROFILES.last() {
            Some(p) => (p, "newest profile".to_string()),
            None => return Termination::Error as i32,
        },
    };
    let now = match now_or_error(args.now.as_deref(), &cib) {
        Ok(n) => n,
        Err(code) => return code,
    };
    // The same configuration and status, read as each release reads it.
    let mut cib_from = cib.clone();
    cib_from.pacemaker = from.0;
    let mut cib_to = cib;
    cib_to.pacemaker = to.0;
    let spec = args.events.spec();
    let mut runs = Vec::new();
    for c in [&cib_from, &cib_to] {
        match run_step(c, now, &spec) {
            Ok(r) => runs.push(r),
            Err(StepError::Event(e)) => return event_error(&e),
            Err(StepError::Unsupported(u)) => return unsupported(&source, &u, color),
        }
    }
    let [run_from, run_to] = runs.as_slice() else {
        return Termination::Error as i32;
    };
    let (out_from, out_to) = (
        outcome(&run_from.sim, &run_from.current),
        outcome(&run_to.sim, &run_to.current),
    );
    let comparison = compare(
        (&out_from, &run_from.sim.transition),
        (&out_to, &run_to.sim.transition),
    );
    let findings = upgrade_findings(&cib_from, now, to.0);
    let review = Review {
        sides: Sides {
            from: from.0,
            from_chosen: &from.1,
            to: to.0,
            to_chosen: &to.1,
        },
        events: &run_from.events,
        from: StepView {
            events: &run_from.events,
            outcome: &out_from,
            transition: &run_from.sim.transition,
            scores: None,
        },
        to: StepView {
            events: &run_to.events,
            outcome: &out_to,
            transition: &run_to.sim.transition,
            scores: None,
        },
        comparison: &comparison,
        findings: &findings,
        all: args.all,
    };
    emit(&match args.format {
        ReviewFormat::Table => table_text(&review, color),
        ReviewFormat::Json => json_text(&review),
    });
    let errors = findings
        .iter()
        .any(|f| f.severity == crate::diag::Severity::Error);
    if comparison.differs() || errors {
        Termination::Findings as i32
    } else {
        Termination::Clean as i32
    }
}
