//! `cibcheck explain CIB RESOURCE`: each node's allocation score for the
//! resource and what made it, then where it goes and why.

use super::limits::InputLimits;
use super::simulate_cmd::{event_error, load_with_now, unsupported, EventArgs};
use super::{emit, ColorChoice, Termination};
use crate::explain::{self, ExplainError};
use crate::render;
use crate::whatif::run::{self, StepError};
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The CIB (a file, compressed or not, or - for stdin).
    #[arg(required_unless_present = "live", value_name = "CIB")]
    pub cib: Option<String>,
    /// The resource: a primitive, group, clone or clone instance
    /// (`rsc:1`), bundle or bundle replica part.
    #[arg(value_name = "RESOURCE")]
    pub resource: String,
    /// Explain the running cluster's CIB (`cibadmin --query`).
    #[arg(long, conflicts_with = "cib")]
    pub live: bool,
    /// Only this node's score.
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// Effective time for rules and failure timeouts (ISO 8601); default:
    /// the CIB's `execution-date`, else the clock.
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: InputLimits,
    /// What-if events: the explanation is of the state after them.
    #[command(flatten)]
    pub events: EventArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// For people.
    Text,
    /// A versioned JSON object (docs/explain-json.md).
    Json,
}

pub fn run(args: ExplainArgs) -> i32 {
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
    let spec = args.events.spec();
    let events = spec.describe();
    // The same pipeline as `simulate`: the events' configuration changes
    // and injections, then the CIB scheduled is explained.
    let step = if events.is_empty() {
        None
    } else {
        match run::run_step(&cib, now, &spec) {
            Ok(s) => Some(s),
            Err(StepError::Event(e)) => return event_error(&e),
            Err(StepError::Unsupported(u)) => return unsupported(&source, &u, color),
        }
    };
    let scheduled = match &step {
        Some(s) => s.scheduled.as_ref().unwrap_or(&s.config_cib),
        None => &cib,
    };
    let e = match explain::explain(scheduled, now, &args.resource, args.node.as_deref()) {
        Ok(e) => e,
        Err(ExplainError::Unsupported(u)) => return unsupported(&source, &u, color),
        Err(ExplainError::NoSuchResource(valid)) => {
            eprintln!("error: no resource `{}` in this CIB", args.resource);
            eprintln!("  valid names: {}", valid.join(", "));
            return Termination::Error as i32;
        }
        Err(ExplainError::NoSuchNode(valid)) => {
            eprintln!(
                "error: --node {}: no such node",
                args.node.as_deref().unwrap_or_default()
            );
            eprintln!("  valid names: {}", valid.join(", "));
            return Termination::Error as i32;
        }
    };
    let text = match args.format {
        ExplainFormat::Text => {
            render::explain::text(&e, &events, cib.pacemaker, cib.pacemaker_chosen)
        }
        ExplainFormat::Json => {
            render::explain::json(&e, &events, cib.pacemaker, cib.pacemaker_chosen)
        }
    };
    emit(&text);
    drop(step);
    crate::cib::dispose(cib);
    Termination::Clean as i32
}
