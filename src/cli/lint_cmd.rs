//! `cibcheck lint PATH...`.

use super::limits::InputLimits;
use super::progress::Progress;
use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::diag::{Diagnostic, Severity};
use crate::input::report::{self, Report};
use crate::input::{self, Input};
use crate::lint::outcome::locate_in_baseline;
use crate::lint::report_copies;
use crate::lint::{self, rule_by_code, Baseline, FileOutcome, Selection};
use crate::render;
use crate::xml::{ParseLimits, Span};
use clap::{Args, ValueEnum};
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct LintArgs {
    /// CIB files (compressed or not), directories (searched for *.xml CIBs
    /// and pe-input-N files), cluster reports (a crm_report or sosreport
    /// directory or tar archive: every node's cib.xml), ARCHIVE//MEMBER
    /// for one member of an archive, or - for stdin.
    #[arg(required = true)]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only these rule codes or prefixes (comma-separated or repeated).
    #[arg(long, value_name = "CODE|PREFIX")]
    pub select: Vec<String>,
    /// Skip these rule codes or prefixes.
    #[arg(long, value_name = "CODE|PREFIX")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding of this severity or worse remains.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit 0 even when findings remain (input errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Hide findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Record every current finding in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<String>,
    /// Evaluate date rules and lifetimes at this time (ISO 8601).
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Columns of human output; long source lines are clipped to fit
    /// (default: the terminal's width, else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    #[command(flatten)]
    pub limits: InputLimits,
    /// Worker threads for linting many files (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each finding with the XML around it.
    Human,
    /// One line per finding: FILE:LINE:COL: CODE [severity] message.
    Concise,
    /// Versioned JSON (docs/json-output.md).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML (Jenkins, GitLab test reports): a test case per rule and file.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Settings resolved once from the flags.
struct Settings {
    selection: Selection,
    now: Instant,
    limits: ParseLimits,
    max_size: u64,
}

pub fn run(args: LintArgs) -> Termination {
    let (selection, unmatched) = Selection::new(&args.select, &args.ignore);
    if !unmatched.is_empty() {
        eprintln!(
            "error: selector {} matches no rule; `cibcheck rules` lists the codes",
            unmatched.join(", ")
        );
        return Termination::Error;
    }
    let now = match &args.now {
        Some(w) => match parse_instant(w) {
            Some(t) => t,
            None => {
                eprintln!("error: --now `{w}` is not an ISO 8601 date and time");
                return Termination::Error;
            }
        },
        None => Instant::now(),
    };
    let baseline = match &args.baseline {
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Baseline::parse(&t).map(|b| (b, t)))
        {
            Ok(b) => Some((path.clone(), b)),
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return Termination::Error;
            }
        },
        None => None,
    };
    let mut notes = Vec::new();
    let mut inputs = Vec::new();
    // Per report: its copies of the CIB as (index in `inputs`, node).
    let mut reports: Vec<Vec<(usize, String)>> = Vec::new();
    // Kept open until the end: an archive's members are unpacked there.
    let mut opened = Vec::new();
    for p in &args.paths {
        let path = std::path::Path::new(p);
        if p == "-" || !report::is_report(path) {
            inputs.extend(input::discover(std::slice::from_ref(p), &mut notes));
            continue;
        }
        match Report::open(path, args.limits.max_size) {
            Ok(r) => {
                notes.extend(r.notes.iter().cloned());
                let mut copies = Vec::new();
                for e in r.cibs() {
                    copies.push((inputs.len(), e.node.clone()));
                    inputs.push(e.input.clone());
                }
                if copies.is_empty() {
                    notes.push(format!("{p}: a cluster report without any cib.xml"));
                }
                reports.push(copies);
                opened.push(r);
            }
            Err(e) => {
                eprintln!("error: {p}: cannot read the report: {e}");
                return Termination::Error;
            }
        }
    }
    let settings = Settings {
        selection,
        now,
        limits: args.limits.parse_limits(),
        max_size: args.limits.max_size,
    };
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let progress = Progress::new(inputs.len(), "linting");
    let mut outcomes = lint_all(&inputs, &settings, jobs, &progress);
    progress.finish();
    drop(opened);
    for copies in &reports {
        let before: Vec<usize> = outcomes.iter().map(|o| o.diagnostics.len()).collect();
        report_copies::compare(&mut outcomes, copies);
        // Like any rule's findings, these follow --select / --ignore.
        for (o, n) in outcomes.iter_mut().zip(before) {
            let mut i = 0;
            o.diagnostics.retain(|d| {
                i += 1;
                i <= n || settings.selection.enabled(d.code)
            });
        }
    }

    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_outcomes(&outcomes);
        let text = serde_json::to_string_pretty(&b).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write baseline {path}: {e}");
            return Termination::Error;
        }
        eprintln!("wrote {} findings to baseline {path}", b.findings.len());
    }
    // The unmatched-baseline pseudo-file, which only BL001 checks.
    let mut baseline_outcome = None;
    if let Some((path, (b, text))) = &baseline {
        let mut left = b.apply(&mut outcomes);
        // An entry is stale only if this run could have matched it: its
        // rule ran, and its file was linted (named, and readable).
        let linted: std::collections::HashSet<&str> = outcomes
            .iter()
            .filter(|o| !o.diagnostics.iter().any(|d| d.code == "IN000"))
            .map(|o| o.name.as_str())
            .collect();
        left.retain(|e| settings.selection.enabled(&e.code) && linted.contains(e.file.as_str()));
        if !left.is_empty() && settings.selection.enabled("BL001") {
            outcomes.push(unmatched_baseline_outcome(path, text, &left));
            baseline_outcome = Some(outcomes.len() - 1);
        }
    }
    for n in &notes {
        eprintln!("note: {n}");
    }
    let text = match args.format {
        Format::Human => render::human::render(
            &outcomes,
            args.color.enabled(),
            args.width.map_or_else(super::output_width, usize::from),
        ),
        Format::Concise => render::concise::render(&outcomes),
        Format::Json => render::json::render(&outcomes, &notes),
        Format::Sarif => render::sarif::render(&outcomes),
        Format::Github => render::github::render(&outcomes),
        Format::Junit => {
            let ran: Vec<&'static str> = lint::RULES
                .iter()
                .map(|r| r.code)
                .filter(|c| *c != "BL001" && settings.selection.enabled(c))
                .collect();
            let suites: Vec<render::junit::Suite> = outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| render::junit::Suite {
                    outcome: o,
                    rules: if Some(i) == baseline_outcome {
                        &["BL001"]
                    } else {
                        &ran
                    },
                })
                .collect();
            render::junit::render(&suites, args.fail_on.severity())
        }
        Format::Gitlab => render::gitlab::render(&outcomes),
    };
    emit(&text);
    termination(&outcomes, args.fail_on.severity(), args.exit_zero)
}

fn termination(outcomes: &[FileOutcome], fail_on: Severity, exit_zero: bool) -> Termination {
    if outcomes.iter().any(|o| o.input_error()) {
        return Termination::Error;
    }
    let worst = outcomes
        .iter()
        .filter_map(|o| lint::worst(&o.diagnostics))
        .max();
    match worst {
        Some(s) if s >= fail_on && !exit_zero => Termination::Findings,
        _ => Termination::Clean,
    }
}

/// Lint every input; files are spread over `jobs` threads and results come
/// back in input order. One file's failure never affects another's.
fn lint_all(
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    progress: &Progress,
) -> Vec<FileOutcome> {
    let jobs = jobs.clamp(1, inputs.len().max(1));
    if jobs == 1 {
        return inputs
            .iter()
            .map(|i| {
                let o = lint_one(i, settings);
                progress.inc();
                o
            })
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<FileOutcome>> = Vec::new();
    slots.resize_with(inputs.len(), || None);
    let results = std::sync::Mutex::new(slots);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                let o = lint_one(input, settings);
                progress.inc();
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(o);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(inputs)
        .map(|(o, i)| {
            o.unwrap_or_else(|| {
                let msg = "internal error: no result".to_owned();
                lint::unreadable(i.display(), Arc::from(""), msg, Span::default(), None)
            })
        })
        .collect()
}

/// Load and lint one file. An internal error (a panic) in one file
/// becomes that file's outcome instead of ending the whole batch.
fn lint_one(input: &Input, settings: &Settings) -> FileOutcome {
    let run = || match input::read(input, settings.max_size) {
        Ok(source) => lint::lint_source(source, settings.now, &settings.selection, settings.limits),
        Err((e, src)) => lint::unreadable(src.name, src.text, e.message, e.span, e.help),
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(o) => o,
        Err(_) => {
            let msg = "internal error while checking this file (please report it)".to_owned();
            lint::unreadable(input.display(), Arc::from(""), msg, Span::default(), None)
        }
    }
}

fn unmatched_baseline_outcome(
    path: &str,
    text: &str,
    left: &[lint::outcome::BaselineEntry],
) -> FileOutcome {
    let meta = rule_by_code("BL001");
    let diagnostics = left
        .iter()
        .map(|e| {
            let mut d = Diagnostic::new(
                "BL001",
                meta.map(|m| m.name).unwrap_or("unmatched-baseline-entry"),
                meta.map(|m| m.category.severity())
                    .unwrap_or(Severity::Warning),
                locate_in_baseline(text, &e.fingerprint),
                format!(
                    "baseline entry for {} in {} matches no finding: {}",
                    e.code, e.file, e.message
                ),
            );
            d.help = Some(
                "the problem was fixed: remove the entry, or regenerate with --write-baseline"
                    .into(),
            );
            d.element_id = Some(e.fingerprint.clone());
            d
        })
        .collect();
    FileOutcome {
        name: path.to_owned(),
        source: Arc::from(text),
        diagnostics,
        suppressed: 0,
    }
}
