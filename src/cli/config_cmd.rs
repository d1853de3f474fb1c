//! `cibcheck config [PATH]`: the configuration that applies to a CIB (or
//! to the working directory), each value with where it came from.

use super::lint_cmd::{now_arg, FailOn};
use super::{emit, ColorChoice, Termination};
use crate::config::effective::{Effective, Flags};
use crate::config::{self, Config, ConfigError};
use crate::diag::{render_human, Diagnostic, Severity};
use clap::Args;
use std::path::Path;

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// A CIB file or directory (default: the working directory): its
    /// cibcheck.toml is found as `lint` finds it, and the per-path
    /// overrides that match it are applied.
    pub path: Option<String>,
    /// As `lint --select`: shows how the flag overrides the file.
    #[arg(long, value_name = "CODE|PREFIX")]
    pub select: Vec<String>,
    /// As `lint --ignore`.
    #[arg(long, value_name = "CODE|PREFIX")]
    pub ignore: Vec<String>,
    /// As `lint --fail-on`.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The day `until` dates are judged at (ISO 8601; default: now).
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: ConfigArgs, choice: &config::Choice) -> Termination {
    let Some(now) = now_arg(args.now.as_deref()) else {
        return Termination::Error;
    };
    let path = args.path.as_deref().filter(|p| *p != "-").map(Path::new);
    let loaded = match config::locate(choice, path) {
        Some(found) => match Config::load(&found) {
            Ok(c) => Some(c),
            Err(e) => {
                print_error(&e, args.color.enabled());
                return Termination::Error;
            }
        },
        None => None,
    };
    let flags = Flags {
        select: args.select,
        ignore: args.ignore,
        fail_on: args.fail_on.map(FailOn::severity),
    };
    // Only a file is governed by per-path overrides (as when linted).
    let cib = path.filter(|p| !p.is_dir());
    let effective = Effective::resolve(loaded.as_ref(), &flags, cib);
    let subject = match path {
        Some(p) => format!("`{}`", p.display()),
        None => "the working directory (stdin, --live)".to_owned(),
    };
    emit(&effective.render(&subject, now));
    Termination::Clean
}

/// A bad configuration file, shown at the offending key.
pub(super) fn print_error(e: &ConfigError, color: bool) {
    let mut d = Diagnostic::new("", "", Severity::Error, e.span, e.message.clone());
    d.help = e.help.clone();
    eprint!(
        "{}",
        render_human(&d, &e.name, &e.text, color, super::output_width())
    );
}
