//! `cibcheck completions SHELL` and `cibcheck generate-dist [DIR]` (not a
//! clap subcommand; default `dist`): shell completions and man pages, both
//! generated from the clap definitions so that they cannot drift from the
//! real options.

use super::{emit, Cli, Termination};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells whose completion files packages install.
pub const PACKAGED_SHELLS: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

fn completion_text(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cibcheck", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

pub fn completions(args: CompletionsArgs) -> Termination {
    emit(&completion_text(args.shell));
    Termination::Clean
}

/// Sections clap does not know about, appended to the generated pages.
fn extra_sections(page: &str) -> &'static str {
    match page {
        "cibcheck" => {
            ".SH \"EXIT STATUS\"\n\
             0: nothing at or above the failure threshold; 1: what \\fB\\-\\-fail\\-on\\fR\n\
             names was found (lint findings; moves, stops or stopped resources for\n\
             simulate, diff and resilience); 2: unreadable input or bad usage;\n\
             3: simulate met a construct it does not reproduce (SIM001).\n\
             .SH \"SEE ALSO\"\n\
             \\fBcibcheck\\-lint\\fR(1), \\fBcibcheck\\-simulate\\fR(1), \\fBcrm_verify\\fR(8),\n\
             \\fBcrm_simulate\\fR(8). The rule catalogue: \\fBcibcheck rules\\fR, and\n\
             /usr/share/doc/cibcheck/rules/.\n"
        }
        "cibcheck-lint" => {
            ".SH \"EXIT STATUS\"\n\
             0: clean (or \\fB\\-\\-exit\\-zero\\fR); 1: a finding at or above \\fB\\-\\-fail\\-on\\fR\n\
             remains; 2: an input could not be read as a CIB, or bad usage.\n\
             .SH \"SEE ALSO\"\n\
             \\fBcibcheck\\fR(1), \\fBcibcheck\\-rules\\fR(1), \\fBcrm_verify\\fR(8).\n"
        }
        _ => ".SH \"SEE ALSO\"\n\\fBcibcheck\\fR(1)\n",
    }
}

/// Every man page as (file name, roff text): `cibcheck.1` and one
/// `cibcheck-SUB.1` per visible subcommand.
pub fn man_pages() -> std::io::Result<Vec<(String, String)>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    let mut todo = vec![cmd];
    while let Some(c) = todo.pop() {
        todo.extend(c.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        let man = clap_mangen::Man::new(c.clone()).manual("cibcheck manual");
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        let name = man.get_filename();
        let stem = name.trim_end_matches(".1").to_owned();
        let mut text = String::from_utf8_lossy(&buf).into_owned();
        text.push_str(extra_sections(&stem));
        pages.push((name, text));
    }
    pages.sort();
    Ok(pages)
}

/// Every generated file as (path relative to the dist directory, text).
pub fn dist_files() -> std::io::Result<Vec<(String, String)>> {
    let mut files: Vec<(String, String)> = man_pages()?
        .into_iter()
        .map(|(name, text)| (format!("man/{name}"), text))
        .collect();
    for shell in PACKAGED_SHELLS {
        let name = match shell {
            Shell::Zsh => "_cibcheck".to_owned(),
            other => format!("cibcheck.{other}"),
        };
        files.push((format!("completions/{name}"), completion_text(shell)));
    }
    Ok(files)
}

fn write_dist(dir: &Path) -> std::io::Result<usize> {
    let files = dist_files()?;
    for sub in ["man", "completions"] {
        let d = dir.join(sub);
        // Stale pages (a removed subcommand) must not linger.
        if d.exists() {
            std::fs::remove_dir_all(&d)?;
        }
        std::fs::create_dir_all(&d)?;
    }
    for (rel, text) in &files {
        std::fs::write(dir.join(rel), text)?;
    }
    Ok(files.len())
}

pub fn generate_dist(dir: Option<PathBuf>) -> Termination {
    let dir = dir.unwrap_or_else(|| PathBuf::from("dist"));
    match write_dist(&dir) {
        Ok(n) => {
            eprintln!("wrote {n} files under {}", dir.display());
            Termination::Clean
        }
        Err(e) => {
            eprintln!("error: {}: {e}", dir.display());
            Termination::Error
        }
    }
}
