//! `cibcheck simulate CIB`: what Pacemaker's scheduler would do now, and
//! the cluster after the transition ran (every action succeeding).

use super::limits::InputLimits;
use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::cib::{Cib, SourceFile};
use crate::diag::{render_human, Diagnostic, Severity};
use crate::input::{self, Input};
use crate::render;
use crate::render::crm_simulate::TimeNote;
use crate::render::sim_table::StepView;
use crate::whatif::run::{self, StepError};
use crate::whatif::scenario::{self, StepSpec};
use crate::whatif::{self, cross_check, outcome};
use crate::xml::Span;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// The CIB to simulate (a file, compressed or not, ARCHIVE//MEMBER for
    /// one member of a tar archive, or - for stdin). Several files are
    /// simulated one after the other in this process, each output under a
    /// `==> FILE <==` header; the exit code is the worst of theirs.
    #[arg(required_unless_present = "live", num_args = 1.., value_name = "CIB")]
    pub cibs: Vec<String>,
    /// Simulate the running cluster's CIB (`cibadmin --query`; on a
    /// cluster node, as root or a member of the haclient group).
    #[arg(long, conflicts_with = "cibs")]
    pub live: bool,
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
    #[command(flatten)]
    pub limits: InputLimits,
    /// Run the steps of a scenario file (JSON, docs/simulate-json.md)
    /// one after the other, each from the state the previous one left.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Also run the installed crm_simulate on each step's input and report
    /// whether its transition summary and actions agree with ours.
    #[arg(long)]
    pub cross_check: bool,
    /// Show the allocation and promotion scores (`crm_simulate -s`):
    /// every assignment function's node table and each promotable
    /// instance's promotion score, in Pacemaker's order (as comments
    /// ahead of the graph with `--format dot`).
    #[arg(long)]
    pub show_scores: bool,
    #[command(flatten)]
    pub events: EventArgs,
    /// Further steps, each after `--then` on the command line.
    #[arg(skip)]
    pub then: Vec<EventArgs>,
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
    /// The events as a scenario step.
    pub fn spec(&self) -> StepSpec {
        StepSpec {
            node_up: self.node_up.clone(),
            node_down: self.node_down.clone(),
            node_fail: self.node_fail.clone(),
            op_inject: self.op_inject.clone(),
            op_fail: self.op_fail.clone(),
            ticket_grant: self.ticket_grant.clone(),
            ticket_revoke: self.ticket_revoke.clone(),
            ticket_standby: self.ticket_standby.clone(),
            ticket_activate: self.ticket_activate.clone(),
            quorum: self.quorum,
            no_quorum: self.no_quorum,
            standby: self.standby.clone(),
            online: self.online.clone(),
            maintenance: self.maintenance.clone(),
            maintenance_mode: self.maintenance_mode,
            ban: self.ban.clone(),
            move_: self.r#move.clone(),
            clear: self.clear.clone(),
        }
    }
}

/// The events of one `--then` step (parsed on their own).
#[derive(clap::Parser, Debug)]
#[command(name = "--then", no_binary_name = true)]
pub struct ThenStep {
    #[command(flatten)]
    pub events: EventArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    /// Placement and action tables.
    Table,
    /// A versioned JSON object (docs/simulate-json.md).
    Json,
    /// What `crm_simulate -S -x CIB` prints.
    CrmSimulate,
    /// The transition graph for Graphviz (like `crm_simulate -D`).
    Dot,
}

/// Exit code when the CIB uses something the scheduler does not reproduce.
pub const UNSUPPORTED_EXIT: i32 = 3;

pub fn run(args: SimulateArgs) -> i32 {
    if args.live {
        return run_one(&args, &Input::Live);
    }
    if let [path] = args.cibs.as_slice() {
        return run_one(&args, &Input::from_arg(path));
    }
    if args.cibs.iter().any(|p| p == "-") {
        eprintln!("error: stdin (-) cannot be one of several CIBs");
        return Termination::Error as i32;
    }
    // One file's failure is its own outcome; the others still run.
    let mut worst = Termination::Clean as i32;
    for path in &args.cibs {
        emit(&format!("==> {path} <==\n"));
        let code = run_one(&args, &Input::from_arg(path));
        if code != 0 {
            eprintln!("{path}: exit {code}");
        }
        worst = worst.max(code);
    }
    worst
}

/// Simulate one CIB: its output on stdout, errors on stderr, its exit code.
fn run_one(args: &SimulateArgs, input: &Input) -> i32 {
    let color = args.color.enabled();
    let (source, cib) = match load_cib(input, args.limits, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let now = match now_or_error(args.now.as_deref(), &cib) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let mut steps: Vec<StepSpec> = std::iter::once(&args.events)
        .chain(&args.then)
        .map(EventArgs::spec)
        .collect();
    if let Some(path) = &args.scenario {
        if steps.len() > 1 || steps.iter().any(|s| !s.describe().is_empty()) {
            eprintln!("error: --scenario cannot be combined with events on the command line");
            return Termination::Error as i32;
        }
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| scenario::parse_scenario(&t));
        steps = match parsed {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: scenario {}: {e}", path.display());
                return Termination::Error as i32;
            }
        };
    }
    if args.status_only {
        if steps.len() > 1 {
            eprintln!("error: --status-only shows no steps; drop --then / --scenario");
            return Termination::Error as i32;
        }
        let shown = match steps.first().map(|s| s.events()) {
            Some(Ok(ev)) if !ev.is_empty() => {
                // The status after the events' edits, as scheduled.
                let ev = whatif::Events {
                    op_fail: Vec::new(),
                    ..ev
                };
                match whatif::apply(
                    &cib,
                    &ev,
                    &|r| run::active_nodes(&cib, now, r),
                    whatif::clock(),
                ) {
                    Ok(a) => a.cib,
                    Err(e) => return event_error(&e),
                }
            }
            Some(Err(msg)) => {
                eprintln!("error: {msg}");
                return Termination::Error as i32;
            }
            _ => cib.clone(),
        };
        return match crate::sched::unpack::unpack(&shown, now) {
            Ok(cluster) => {
                emit(&render::crm_simulate::current_status(&cluster));
                Termination::Clean as i32
            }
            Err(u) => unsupported(&source, &u, color),
        };
    }
    let spinner = super::progress::Progress::spinner("simulating");
    let runs = run::run_scenario_with(&cib, now, &steps, args.show_scores);
    spinner.finish();
    let runs = match runs {
        Ok(r) => r,
        Err((i, StepError::Event(e))) => {
            if steps.len() > 1 {
                eprintln!("error: step {i}:");
            }
            return event_error(&e);
        }
        Err((1, StepError::Unsupported(u))) => return unsupported(&source, &u, color),
        Err((i, StepError::Unsupported(u))) => {
            eprintln!("SIM001(not-simulated-yet): step {i}: {}", u.message);
            return UNSUPPORTED_EXIT;
        }
    };
    let outcomes: Vec<_> = runs
        .iter()
        .map(|r| {
            let mut o = outcome::outcome(&r.sim, &r.current);
            run::add_stop_reasons(r, now, &mut o.verdict);
            o
        })
        .collect();
    let score_lines: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            if args.show_scores {
                r.sim.transition.scores.lines()
            } else {
                Vec::new()
            }
        })
        .collect();
    let views: Vec<StepView<'_>> = runs
        .iter()
        .zip(&outcomes)
        .zip(&score_lines)
        .map(|((r, o), lines)| StepView {
            events: &r.events,
            outcome: o,
            transition: &r.sim.transition,
            scores: args.show_scores.then_some(lines.as_slice()),
        })
        .collect();
    let crm_text = |i: usize, r: &run::StepRun| {
        // crm_simulate announces the CIB's own execution date, and (some
        // releases) a time given on the command line.
        let date = if i == 0 {
            cib.execution_date
        } else {
            r.config_cib.execution_date
        };
        let original = TimeNote::for_run(cib.pacemaker, args.now.as_deref(), date);
        render::crm_simulate::render_with_scores(
            &r.sim,
            original,
            &r.current,
            &r.modifications,
            args.show_scores,
        )
    };
    let text = match args.format {
        SimFormat::CrmSimulate if runs.len() == 1 => crm_text(0, &runs[0]),
        SimFormat::CrmSimulate => {
            let mut out = String::new();
            for (i, r) in runs.iter().enumerate() {
                out.push_str(&format!(
                    "=== Step {} of {}: {} ===\n",
                    i + 1,
                    runs.len(),
                    r.events.join(", ")
                ));
                out.push_str(&crm_text(i, r));
            }
            out
        }
        SimFormat::Table => {
            let mut s = render::sim_table::render(&views, color);
            s.push_str(&render::sim_json::release_line(
                cib.pacemaker,
                cib.pacemaker_chosen,
            ));
            s
        }
        SimFormat::Json => render::sim_json::render(&views, cib.pacemaker, cib.pacemaker_chosen),
        SimFormat::Dot => render::sim_dot::render(&views),
    };
    emit(&text);
    let code = if args.cross_check {
        cross_check_steps(&runs, &steps, args.now.as_deref(), &crm_text)
    } else {
        Termination::Clean as i32
    };
    drop(runs);
    crate::cib::dispose(cib);
    code
}

/// `--cross-check`: each step's input through crm_simulate; the verdicts
/// on stderr. Exit 1 when some step disagrees.
fn cross_check_steps(
    runs: &[run::StepRun],
    steps: &[StepSpec],
    now: Option<&str>,
    crm_text: &dyn Fn(usize, &run::StepRun) -> String,
) -> i32 {
    let mut agree = true;
    for (i, (r, spec)) in runs.iter().zip(steps).enumerate() {
        let Ok(events) = spec.events() else { continue };
        let ours = crm_text(i, r);
        let xml = r.config_cib.doc.to_xml();
        let step = if runs.len() > 1 {
            format!("step {}: ", i + 1)
        } else {
            String::new()
        };
        match cross_check::cross_check(&xml, &events, now, &ours, i) {
            Ok(c) if c.agrees() => eprintln!(
                "cross-check: {step}agrees with crm_simulate ({} summary and action lines)",
                c.compared
            ),
            Ok(c) => {
                agree = false;
                eprintln!("cross-check: {step}DISAGREES with crm_simulate");
                for l in &c.only_ours {
                    eprintln!("  only cibcheck:     {l}");
                }
                for l in &c.only_theirs {
                    eprintln!("  only crm_simulate: {l}");
                }
            }
            Err(e) => {
                eprintln!("error: --cross-check: {e}");
                return Termination::Error as i32;
            }
        }
    }
    if agree {
        Termination::Clean as i32
    } else {
        Termination::Findings as i32
    }
}

/// Read and load a CIB (a file, - for stdin, or the live cluster); a
/// located error on stderr and the exit code when that fails.
pub(super) fn load_cib(
    input: &Input,
    limits: InputLimits,
    color: bool,
) -> Result<(SourceFile, Cib), i32> {
    let source = match input::read(input, limits.max_size) {
        Ok(s) => s,
        // No text to point into: what failed and what to do, plainly.
        Err((e, _)) if *input == Input::Live => {
            eprintln!("error: {}", e.message);
            if let Some(h) = e.help {
                eprintln!("help: {h}");
            }
            return Err(Termination::Error as i32);
        }
        Err((e, src)) => return Err(fail(&src, e.span, &e.message, e.help, color)),
    };
    match crate::cib::load(source.clone(), limits.parse_limits()) {
        Ok(c) => match &c.partial {
            None => match schema_refusal(&source, &c, color) {
                Some(code) => Err(code),
                None => Ok((source, c)),
            },
            // With its nodes and resources, a configuration can still be
            // simulated as crm_simulate reads it: every node offline.
            Some(p) if p.root == "configuration" => {
                eprintln!(
                    "note: {} holds only <configuration> (no <status>): every node is offline; \
                     add --node-up NODE for each node to simulate a fresh start",
                    source.name
                );
                Ok((source, c))
            }
            Some(p) => {
                let span = c.doc.get(p.root_elem).name_span;
                let message = format!(
                    "this file holds only <{}> (as `{}` writes it): without {} there is nothing to simulate",
                    p.root,
                    p.scope(),
                    p.missing
                        .iter()
                        .map(|s| format!("<{s}>"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let help = Some(
                    "simulate the whole CIB: `cibadmin --query > cib.xml` or `pcs cluster cib > cib.xml`"
                        .to_string(),
                );
                Err(fail(&source, span, &message, help, color))
            }
        },
        Err(e) => Err(fail(&source, e.span, &e.message, e.help, color)),
    }
}

/// Pacemaker refuses a CIB that breaks the schema it names (or that its
/// upgrade cannot bring to a current schema), as `crm_simulate` does:
/// the verdict, each violation located, and the exit code.
pub(super) fn schema_refusal(source: &SourceFile, cib: &Cib, color: bool) -> Option<i32> {
    let r = cib.schema.refusal.as_ref()?;
    let rule = if r.upgrade {
        ("SC003", "cannot-upgrade")
    } else {
        ("SC001", "schema-violation")
    };
    let help = Some(
        "see `cibcheck lint` for every finding; Pacemaker loads the CIB once it validates \
         (`crm_verify --xml-file FILE` checks it)"
            .to_string(),
    );
    eprint!("{}", located(source, rule, r.span, &r.message, help, color));
    const SHOWN: usize = 20;
    for v in r.violations.iter().take(SHOWN) {
        eprint!(
            "{}",
            located(
                source,
                ("SC001", "schema-violation"),
                v.span,
                &v.message,
                None,
                color
            )
        );
    }
    if r.violations.len() > SHOWN {
        eprintln!("… and {} more", r.violations.len() - SHOWN);
    }
    Some(Termination::Error as i32)
}

pub(super) fn event_error(e: &whatif::EventError) -> i32 {
    eprintln!("error: {}", e.message);
    if !e.valid.is_empty() {
        eprintln!("  valid names: {}", e.valid.join(", "));
    }
    Termination::Error as i32
}

/// `--now`, else the CIB's `execution-date`, else the clock.
/// The CIB a command names (`--live` or no path: the running cluster's),
/// loaded, with the time to schedule at; the exit code on failure.
pub(super) fn load_with_now(
    cib: Option<&str>,
    live: bool,
    limits: InputLimits,
    color: bool,
    now: Option<&str>,
) -> Result<(SourceFile, Cib, Instant), i32> {
    let input = match (cib, live) {
        (Some(path), false) => Input::from_arg(path),
        _ => Input::Live,
    };
    let (source, cib) = load_cib(&input, limits, color)?;
    let now = now_or_error(now, &cib)?;
    Ok((source, cib, now))
}

/// `resolve_now`, its error printed: the exit code on failure.
pub(super) fn now_or_error(arg: Option<&str>, cib: &Cib) -> Result<Instant, i32> {
    resolve_now(arg, cib).map_err(|msg| {
        eprintln!("error: {msg}");
        Termination::Error as i32
    })
}

fn resolve_now(arg: Option<&str>, cib: &Cib) -> Result<Instant, String> {
    match arg {
        Some(text) => parse_instant(text)
            .ok_or_else(|| format!("--now: cannot parse `{text}` as an ISO 8601 date and time")),
        None => Ok(cib.execution_date.unwrap_or_else(Instant::now)),
    }
}

pub(super) fn unsupported(
    source: &SourceFile,
    u: &crate::sched::error::Unsupported,
    color: bool,
) -> i32 {
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
