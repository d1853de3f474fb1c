//! `cibcheck simulate CIB`: what Pacemaker's scheduler would do now, and
//! the cluster after the transition ran (every action succeeding).

use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::cib::{Cib, SourceFile};
use crate::diag::{render_human, Diagnostic, Severity};
use crate::input::{self, Input};
use crate::render;
use crate::sched::pipeline::simulate;
use crate::xml::{ParseLimits, Span};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// The CIB to simulate (a file, or - for stdin).
    pub cib: String,
    #[arg(long, value_enum, default_value_t = SimFormat::Table)]
    pub format: SimFormat,
    /// Effective time for rules and failure timeouts (ISO 8601); default:
    /// the CIB's `execution-date`, else the clock.
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Only show the cluster's current status (like `crm_simulate -x CIB`
    /// without `-S`); nothing is scheduled.
    #[arg(long)]
    pub status_only: bool,
    /// Largest input file accepted, in bytes.
    #[arg(long, default_value_t = input::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    /// Placement and action tables.
    Table,
    /// A versioned JSON object (docs/simulate-json.md).
    Json,
    /// What `crm_simulate -S -x CIB` prints.
    CrmSimulate,
}

/// Exit code when the CIB uses something the scheduler does not reproduce.
pub const UNSUPPORTED_EXIT: i32 = 3;

pub fn run(args: SimulateArgs) -> i32 {
    let input = if args.cib == "-" {
        Input::Stdin
    } else {
        Input::File(PathBuf::from(&args.cib))
    };
    let color = args.color.enabled();
    let source = match input::read(&input, args.max_size) {
        Ok(s) => s,
        Err((e, src)) => return fail(&src, e.span, &e.message, e.help, color),
    };
    let cib = match crate::cib::load(source.clone(), ParseLimits::default()) {
        Ok(c) => c,
        Err(e) => return fail(&source, e.span, &e.message, e.help, color),
    };
    let now = match resolve_now(args.now.as_deref(), &cib) {
        Ok(n) => n,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Termination::Error as i32;
        }
    };
    if args.status_only {
        return match crate::sched::unpack::unpack(&cib, now) {
            Ok(cluster) => {
                emit(&render::crm_simulate::current_status(&cluster));
                Termination::Clean as i32
            }
            Err(u) => unsupported(&source, &u, color),
        };
    }
    let sim = match simulate(&cib, now) {
        Ok(s) => s,
        Err(u) => return unsupported(&source, &u, color),
    };
    let text = match args.format {
        SimFormat::CrmSimulate => {
            let original = if args.now.is_none() {
                cib.execution_date
            } else {
                None
            };
            render::crm_simulate::render(&sim, original)
        }
        SimFormat::Table => render::sim_table::render(&sim),
        SimFormat::Json => render::sim_json::render(&sim),
    };
    emit(&text);
    Termination::Clean as i32
}

/// `--now`, else the CIB's `execution-date`, else the clock.
fn resolve_now(arg: Option<&str>, cib: &Cib) -> Result<Instant, String> {
    match arg {
        Some(text) => parse_instant(text)
            .ok_or_else(|| format!("--now: cannot parse `{text}` as an ISO 8601 date and time")),
        None => Ok(cib.execution_date.unwrap_or_else(Instant::now)),
    }
}

fn unsupported(source: &SourceFile, u: &crate::sched::error::Unsupported, color: bool) -> i32 {
    let help = Some("cibcheck refuses to guess: this construct is not simulated yet".to_string());
    eprint!(
        "{}",
        located(
            source,
            ("SIM001", "not-simulated-yet"),
            u.span,
            &u.message,
            help,
            color
        )
    );
    UNSUPPORTED_EXIT
}

fn located(
    source: &SourceFile,
    (code, name): (&'static str, &'static str),
    span: Span,
    message: &str,
    help: Option<String>,
    color: bool,
) -> String {
    let mut d = Diagnostic::new(code, name, Severity::Error, span, message.to_string());
    d.help = help;
    let text: &Arc<str> = &source.text;
    render_human(&d, &source.name, text, color, 100)
}

fn fail(source: &SourceFile, span: Span, message: &str, help: Option<String>, color: bool) -> i32 {
    eprint!(
        "{}",
        located(
            source,
            ("IN000", "unreadable-input"),
            span,
            message,
            help,
            color
        )
    );
    Termination::Error as i32
}
