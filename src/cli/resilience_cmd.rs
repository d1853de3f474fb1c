//! `cibcheck resilience CIB`: every online node in turn fails, and
//! separately goes into standby; one row per loss.

use super::limits::InputLimits;
use super::simulate_cmd::{load_cib, resolve_now, unsupported};
use super::{emit, ColorChoice, Termination};
use crate::render;
use crate::whatif::resilience::resilience;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};

#[derive(Args, Debug)]
pub struct ResilienceArgs {
    /// The CIB (a file, or - for stdin).
    pub cib: String,
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

/// Show progress on stderr from this many simulations on.
const PROGRESS_FROM: usize = 8;

pub fn run(args: ResilienceArgs) -> i32 {
    let color = args.color.enabled();
    let (source, cib) = match load_cib(&args.cib, args.limits, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let now = match resolve_now(args.now.as_deref(), &cib) {
        Ok(n) => n,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Termination::Error as i32;
        }
    };
    let tty = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize, what: &str| {
        if !tty || total < PROGRESS_FROM {
            return;
        }
        let mut err = std::io::stderr().lock();
        if done < total {
            let _ = write!(err, "\r\x1b[K[{}/{total}] {what}", done + 1);
        } else {
            let _ = write!(err, "\r\x1b[K");
        }
        let _ = err.flush();
    };
    let rows = match resilience(&cib, now, &mut progress) {
        Ok(r) => r,
        Err(u) => return unsupported(&source, &u, color),
    };
    let text = match args.format {
        ResilienceFormat::Table => render::resilience::table(&rows, color),
        ResilienceFormat::Json => render::resilience::json(&rows),
    };
    emit(&text);
    if args.fail_on == Some(FailOn::Stopped) && rows.iter().any(|r| r.leaves_stopped()) {
        return Termination::Findings as i32;
    }
    Termination::Clean as i32
}
