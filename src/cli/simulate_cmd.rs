//! `cibcheck simulate CIB`: what Pacemaker's scheduler would do now, and
//! the cluster after the transition ran (every action succeeding).

use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::cib::{Cib, SourceFile};
use crate::diag::{render_human, Diagnostic, Severity};
use crate::input::{self, Input};
use crate::render;
use crate::sched::pipeline::simulate_with_failures;
use crate::whatif;
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
    #[arg(long, env = "CIBCHECK_MAX_SIZE", default_value_t = input::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
    /// Deepest XML nesting accepted.
    #[arg(long, env = "CIBCHECK_MAX_DEPTH", default_value_t = ParseLimits::default().max_depth)]
    pub max_depth: usize,
    #[command(flatten)]
    pub events: EventArgs,
}

/// What-if events, applied to the CIB before scheduling (crm_simulate's
/// injections, and the changes crm_attribute / crm_resource would make).
#[derive(Args, Debug, Default)]
pub struct EventArgs {
    /// Bring a node online (crm_simulate -u).
    #[arg(long, value_name = "NODE")]
    pub node_up: Vec<String>,
    /// Take a node offline cleanly (crm_simulate -d).
    #[arg(long, value_name = "NODE")]
    pub node_down: Vec<String>,
    /// Fail a node: it leaves the membership uncleanly (crm_simulate -f).
    #[arg(long, value_name = "NODE")]
    pub node_fail: Vec<String>,
    /// Record an operation result before scheduling, RSC_TASK_INTERVAL@NODE=RC
    /// (crm_simulate -i).
    #[arg(long, value_name = "SPEC")]
    pub op_inject: Vec<String>,
    /// Make an action of the transition fail when executed,
    /// RSC_TASK_INTERVAL@NODE=RC (crm_simulate -F).
    #[arg(long, value_name = "SPEC")]
    pub op_fail: Vec<String>,
    /// Grant a ticket.
    #[arg(long, value_name = "TICKET")]
    pub ticket_grant: Vec<String>,
    /// Revoke a ticket.
    #[arg(long, value_name = "TICKET")]
    pub ticket_revoke: Vec<String>,
    /// Make a ticket standby.
    #[arg(long, value_name = "TICKET")]
    pub ticket_standby: Vec<String>,
    /// Activate a standby ticket.
    #[arg(long, value_name = "TICKET")]
    pub ticket_activate: Vec<String>,
    /// The cluster has quorum.
    #[arg(long, conflicts_with = "no_quorum")]
    pub quorum: bool,
    /// The cluster has lost quorum.
    #[arg(long)]
    pub no_quorum: bool,
    /// Put a node in standby (node attribute standby=on).
    #[arg(long, value_name = "NODE")]
    pub standby: Vec<String>,
    /// Take a node out of standby (remove its standby attribute).
    #[arg(long, value_name = "NODE")]
    pub online: Vec<String>,
    /// Put a node in maintenance (node attribute maintenance=on).
    #[arg(long, value_name = "NODE")]
    pub maintenance: Vec<String>,
    /// Set the cluster property maintenance-mode=true.
    #[arg(long)]
    pub maintenance_mode: bool,
    /// Ban a resource from a node (default: where it is active), as
    /// `crm_resource --ban`: RSC[@NODE].
    #[arg(long, value_name = "RSC[@NODE]")]
    pub ban: Vec<String>,
    /// Move a resource to a node, as `crm_resource --move`: RSC@NODE.
    #[arg(long, value_name = "RSC@NODE")]
    pub r#move: Vec<String>,
    /// Remove the constraints --ban and --move create for a resource.
    #[arg(long, value_name = "RSC")]
    pub clear: Vec<String>,
}

impl EventArgs {
    /// The events, with configuration changes in a fixed order: node
    /// attributes, the cluster property, then constraints.
    fn events(&self) -> Result<whatif::Events, String> {
        use whatif::ConfigEvent as C;
        let mut config = Vec::new();
        config.extend(self.standby.iter().cloned().map(C::Standby));
        config.extend(self.online.iter().cloned().map(C::Online));
        config.extend(self.maintenance.iter().cloned().map(C::Maintenance));
        if self.maintenance_mode {
            config.push(C::MaintenanceMode);
        }
        for b in &self.ban {
            let (rsc, node) = match b.split_once('@') {
                Some((r, n)) => (r.to_string(), Some(n.to_string())),
                None => (b.clone(), None),
            };
            config.push(C::Ban { rsc, node });
        }
        for m in &self.r#move {
            let (rsc, node) = m
                .split_once('@')
                .ok_or_else(|| format!("--move {m}: expected RSC@NODE"))?;
            config.push(C::Move {
                rsc: rsc.to_string(),
                node: node.to_string(),
            });
        }
        config.extend(self.clear.iter().cloned().map(C::Clear));
        Ok(whatif::Events {
            config,
            quorum: if self.quorum {
                Some(true)
            } else if self.no_quorum {
                Some(false)
            } else {
                None
            },
            node_up: self.node_up.clone(),
            node_down: self.node_down.clone(),
            node_fail: self.node_fail.clone(),
            ticket_grant: self.ticket_grant.clone(),
            ticket_revoke: self.ticket_revoke.clone(),
            ticket_standby: self.ticket_standby.clone(),
            ticket_activate: self.ticket_activate.clone(),
            op_inject: self.op_inject.clone(),
            op_fail: self.op_fail.clone(),
        })
    }
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
    let limits = ParseLimits {
        max_depth: args.max_depth,
        ..ParseLimits::default()
    };
    let cib = match crate::cib::load(source.clone(), limits) {
        Ok(c) => c,
        Err(e) => return fail(&source, e.span, &e.message, e.help, color),
    };
    let events = match args.events.events() {
        Ok(e) => e,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Termination::Error as i32;
        }
    };
    let now = match resolve_now(args.now.as_deref(), &cib) {
        Ok(n) => n,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Termination::Error as i32;
        }
    };
    // Configuration changes first: they make the CIB that crm_simulate
    // would have been given; its injections come after the current status.
    let config_events = whatif::Events {
        config: events.config.clone(),
        ..Default::default()
    };
    let cib = if config_events.config.is_empty() {
        cib
    } else {
        let active_on = |rsc: &str| active_nodes(&cib, now, rsc);
        match whatif::apply(&cib, &config_events, &active_on, whatif::clock()) {
            Ok(a) => a.cib,
            Err(e) => return event_error(&e),
        }
    };
    let injections = whatif::Events {
        config: Vec::new(),
        op_fail: Vec::new(),
        ..events.clone()
    };
    let (sched_cib, modifications) = if injections.is_empty() {
        (None, Vec::new())
    } else {
        match whatif::apply(&cib, &injections, &|_| Vec::new(), whatif::clock()) {
            Ok(a) => (Some(a.cib), a.modifications),
            Err(e) => return event_error(&e),
        }
    };
    if !events.op_fail.is_empty() {
        // Validate the failure specs' names against the CIB scheduled.
        let only_fail = whatif::Events {
            op_fail: events.op_fail.clone(),
            ..Default::default()
        };
        if let Err(e) = whatif::apply(
            sched_cib.as_ref().unwrap_or(&cib),
            &only_fail,
            &|_| Vec::new(),
            0,
        ) {
            return event_error(&e);
        }
    }
    if args.status_only {
        return match crate::sched::unpack::unpack(sched_cib.as_ref().unwrap_or(&cib), now) {
            Ok(cluster) => {
                emit(&render::crm_simulate::current_status(&cluster));
                Termination::Clean as i32
            }
            Err(u) => unsupported(&source, &u, color),
        };
    }
    let sim = match simulate_with_failures(sched_cib.as_ref().unwrap_or(&cib), now, &events.op_fail)
    {
        Ok(s) => s,
        Err(u) => return unsupported(&source, &u, color),
    };
    // crm_simulate shows the status from before its injections.
    let current = match &sched_cib {
        Some(_) => match crate::sched::unpack::unpack(&cib, now) {
            Ok(c) => Some(c),
            Err(u) => return unsupported(&source, &u, color),
        },
        None => None,
    };
    let text = match args.format {
        SimFormat::CrmSimulate => {
            let original = if args.now.is_none() {
                cib.execution_date
            } else {
                None
            };
            render::crm_simulate::render_with_modifications(
                &sim,
                original,
                current.as_ref().unwrap_or(&sim.before),
                &modifications,
            )
        }
        SimFormat::Table => render::sim_table::render(&sim),
        SimFormat::Json => render::sim_json::render(&sim),
    };
    emit(&text);
    Termination::Clean as i32
}

/// The nodes a resource (or any of its instances) is active on.
fn active_nodes(cib: &Cib, now: Instant, rsc: &str) -> Vec<String> {
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

fn event_error(e: &whatif::EventError) -> i32 {
    eprintln!("error: {}", e.message);
    if !e.valid.is_empty() {
        eprintln!("  valid names: {}", e.valid.join(", "));
    }
    Termination::Error as i32
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
