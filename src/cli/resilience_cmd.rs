//! `cibcheck resilience CIB`: every online node in turn fails, and
//! separately goes into standby; one row per loss.

use super::limits::InputLimits;
use super::progress::Progress;
use super::simulate_cmd::{load_with_now, unsupported};
use super::{emit, ColorChoice, Termination};
use crate::render;
use crate::whatif::resilience::resilience;
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct ResilienceArgs {
    /// The CIB (a file, or - for stdin).
    #[arg(required_unless_present = "live")]
    pub cib: Option<String>,
    /// Use the running cluster's CIB (`cibadmin --query`; on a cluster
    /// node, as root or a member of the haclient group).
    #[arg(long, conflicts_with = "cib")]
    pub live: bool,
    #[arg(long, value_enum, default_value_t = ResilienceFormat::Table)]
    pub format: ResilienceFormat,
    /// Exit 1 when some loss leaves a resource stopped.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Effective time for rules and failure timeouts (ISO 8601).
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: InputLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ResilienceFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Some loss leaves a resource stopped.
    Stopped,
}

pub fn run(args: ResilienceArgs) -> i32 {
    let color = args.color.enabled();
    let (source, cib, now) = match load_with_now(
        args.cib.as_deref(),
        args.live,
        args.limits,
        color,
        args.now.as_deref(),
    ) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let bar = Progress::new(0, "resilience");
    let mut progress = |done: usize, total: usize, what: &str| bar.set(done, total, what);
    let rows = resilience(&cib, now, &mut progress);
    bar.finish();
    let rows = match rows {
        Ok(r) => r,
        Err(u) => return unsupported(&source, &u, color),
    };
    let text = match args.format {
        ResilienceFormat::Table => {
            let mut s = render::resilience::table(&rows, color);
            s.push_str(&render::sim_json::release_line(
                cib.pacemaker,
                cib.pacemaker_chosen,
            ));
            s
        }
        ResilienceFormat::Json => render::resilience::json(
            &rows,
            render::sim_json::release_value(cib.pacemaker, cib.pacemaker_chosen),
        ),
    };
    emit(&text);
    if args.fail_on == Some(FailOn::Stopped) && rows.iter().any(|r| r.leaves_stopped()) {
        return Termination::Findings as i32;
    }
    Termination::Clean as i32
}
