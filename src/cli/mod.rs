//! The command line: clap definitions, settings resolved once, outcome →
//! exit code.

mod config_cmd;
mod diff_cmd;
mod dist_cmd;
mod explain_cmd;
mod history_cmd;
mod limits;
mod lint_cmd;
mod progress;
mod resilience_cmd;
mod rules_cmd;
mod simulate_cmd;
mod upgrade_review_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;

/// Exit codes, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// Nothing at or above the failure threshold.
    Clean = 0,
    /// Findings at or above `--fail-on`.
    Findings = 1,
    /// Bad input or bad usage.
    Error = 2,
}

#[derive(Parser, Debug)]
#[command(
    name = "cibcheck",
    version,
    about = "Lint and simulate Pacemaker cluster configurations (CIB), offline",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2;
    /// a series such as 3.0 names its profile). Default: the release the
    /// CIB's `dc-version` names, else 2.1.5.
    #[arg(
        long,
        global = true,
        value_name = "VERSION",
        env = "CIBCHECK_PACEMAKER"
    )]
    pub pacemaker: Option<String>,
    /// Use this configuration file for every CIB instead of the nearest
    /// cibcheck.toml above each.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Use no configuration file: defaults and flags only.
    #[arg(long, global = true)]
    pub no_config: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check CIB files against the rule catalogue.
    Lint(lint_cmd::LintArgs),
    /// List the rules, or print one rule's documentation.
    Rules(rules_cmd::RulesArgs),
    /// Show what Pacemaker's scheduler would do with this CIB now, or
    /// after what-if events (steps separated by `--then`).
    Simulate(Box<simulate_cmd::SimulateArgs>),
    /// Why a resource is where it is: each node's allocation score (as
    /// `crm_simulate -s` prints it) and the constraints, stickiness,
    /// failures and node states that made it, then the verdict; with
    /// what-if events, the state after them.
    Explain(Box<explain_cmd::ExplainArgs>),
    /// Lose each online node in turn (failure, then standby): what moves,
    /// what is left stopped, which nodes are fenced.
    Resilience(resilience_cmd::ResilienceArgs),
    /// The transition applying AFTER's configuration to the cluster BEFORE
    /// describes would cause, and the lint findings the change adds and
    /// removes.
    Diff(diff_cmd::DiffArgs),
    /// Replay every saved scheduler input (pe-input-N) of a cluster
    /// report or directory in order: a timeline of what each transition
    /// decided.
    History(history_cmd::HistoryArgs),
    /// Print the configuration that applies to a CIB (cibcheck.toml,
    /// flags, defaults) and where each value came from.
    Config(config_cmd::ConfigArgs),
    /// What the cluster would do differently after an upgrade: the same
    /// CIB (and what-if events) scheduled as the release it runs and as
    /// the target release, side by side, with the upgrade lint findings.
    UpgradeReview(Box<upgrade_review_cmd::UpgradeReviewArgs>),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(dist_cmd::CompletionsArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Columns for human output when `--width` is not given: the terminal's,
/// else 100 (piped output, as in CI logs).
pub fn output_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w >= 20)
        .unwrap_or(100)
}

/// Write to stdout; a closed pipe (`| head`) ends quietly.
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// Split `simulate … --then EVENTS --then EVENTS` at each `--then`: the
/// first part is the whole command line, the others one step's events.
/// Options after a `--then` that are not events (`--format`, the CIB…)
/// belong to the command.
fn split_then(args: Vec<OsString>) -> (Vec<OsString>, Vec<Vec<OsString>>) {
    let is_simulate = args
        .iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .is_some_and(|a| a == "simulate");
    if !is_simulate || !args.iter().any(|a| a == "--then") {
        return (args, Vec::new());
    }
    let step_cmd = <simulate_cmd::ThenStep as clap::CommandFactory>::command();
    let sim_cmd = <Cli as clap::CommandFactory>::command();
    let sim_cmd = sim_cmd.find_subcommand("simulate");
    // Whether a long option of `cmd` takes a value.
    let takes_value = |cmd: Option<&clap::Command>, long: &str| -> Option<bool> {
        cmd?.get_arguments()
            .find(|a| a.get_long() == Some(long))
            .map(|a| a.get_action().takes_values())
    };
    let mut parts = args.split(|a| a == "--then");
    let mut main = parts.next().map(<[_]>::to_vec).unwrap_or_default();
    let mut steps = Vec::new();
    for part in parts {
        let mut step = Vec::new();
        let mut it = part.iter();
        while let Some(tok) = it.next() {
            let text = tok.to_string_lossy();
            let long = text
                .strip_prefix("--")
                .map(|l| l.split('=').next().unwrap_or(l));
            let (dest, value) = match long {
                Some(l) if takes_value(Some(&step_cmd), l).is_some() => {
                    (&mut step, takes_value(Some(&step_cmd), l) == Some(true))
                }
                Some(l) => (&mut main, takes_value(sim_cmd, l) == Some(true)),
                None => (&mut main, false),
            };
            dest.push(tok.clone());
            if value && !text.contains('=') {
                if let Some(v) = it.next() {
                    dest.push(v.clone());
                }
            }
        }
        steps.push(step);
    }
    (main, steps)
}

pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    // `cibcheck generate-dist [DIR]` writes dist/ for packages. It stays
    // outside the clap definitions: completions would offer it otherwise.
    if args.get(1).is_some_and(|a| a == "generate-dist") {
        return dist_cmd::generate_dist(args.get(2).map(Into::into)) as i32;
    }
    let (args, then) = split_then(args);
    let mut steps = Vec::new();
    for step in then {
        match <simulate_cmd::ThenStep as Parser>::try_parse_from(step) {
            Ok(s) => steps.push(s.events),
            Err(e) => {
                let _ = e.print();
                return Termination::Error as i32;
            }
        }
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                Termination::Error as i32
            } else {
                0
            };
            let _ = e.print();
            return code;
        }
    };
    if let Some(v) = cli.pacemaker.as_deref() {
        match crate::profile::by_name(v) {
            Some(p) => crate::profile::set_override(p),
            None => {
                let known: Vec<&str> = crate::profile::PROFILES.iter().map(|p| p.name).collect();
                eprintln!(
                    "error: --pacemaker {v}: no profile for that release (known: {})",
                    known.join(", ")
                );
                return Termination::Error as i32;
            }
        }
    }
    let choice = match (cli.config, cli.no_config) {
        (_, true) => crate::config::Choice::Disabled,
        (Some(f), false) => crate::config::Choice::File(f),
        (None, false) => crate::config::Choice::Discover,
    };
    match cli.command {
        Command::Lint(args) => lint_cmd::run(args, &choice) as i32,
        Command::Config(args) => config_cmd::run(args, &choice) as i32,
        Command::Rules(args) => rules_cmd::run(args) as i32,
        Command::Simulate(mut args) => {
            args.then = steps;
            simulate_cmd::run(*args)
        }
        Command::Explain(args) => explain_cmd::run(*args),
        Command::Resilience(args) => resilience_cmd::run(args),
        Command::Diff(args) => diff_cmd::run(args),
        Command::History(args) => history_cmd::run(args),
        Command::UpgradeReview(args) => upgrade_review_cmd::run(*args),
        Command::Completions(args) => dist_cmd::completions(args) as i32,
    }
}
