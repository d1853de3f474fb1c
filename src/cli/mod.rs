//! The command line: clap definitions, settings resolved once, outcome →
//! exit code.

mod lint_cmd;
mod rules_cmd;
mod simulate_cmd;

use clap::{Parser, Subcommand, ValueEnum};
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
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check CIB files against the rule catalogue.
    Lint(lint_cmd::LintArgs),
    /// List the rules, or print one rule's documentation.
    Rules(rules_cmd::RulesArgs),
    /// Show what Pacemaker's scheduler would do with this CIB now.
    Simulate(Box<simulate_cmd::SimulateArgs>),
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

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
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
    match cli.command {
        Command::Lint(args) => lint_cmd::run(args) as i32,
        Command::Rules(args) => rules_cmd::run(args) as i32,
        Command::Simulate(args) => simulate_cmd::run(*args),
    }
}
