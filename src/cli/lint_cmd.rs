//! `cibcheck lint PATH...`.

use super::limits::InputLimits;
use super::progress::Progress;
use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::config::effective::{Effective, Flags};
use crate::config::{self, Config};
use crate::diag::Severity;
use crate::input::report::{self, Report};
use crate::input::{self, Input};
use crate::lint::outcome::{locate_in_baseline, stale_entries_outcome, StaleEntry};
use crate::lint::report_copies;
use crate::lint::{self, Baseline, FileOutcome, Selection};
use crate::render;
use crate::xml::{ParseLimits, Span};
use clap::{Args, ValueEnum};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct LintArgs {
    /// CIB files (compressed or not), directories (searched for *.xml CIBs
    /// and pe-input-N files), cluster reports (a crm_report or sosreport
    /// directory or tar archive: every node's cib.xml), ARCHIVE//MEMBER
    /// for one member of an archive, or - for stdin.
    #[arg(required_unless_present = "live")]
    pub paths: Vec<String>,
    /// Also lint the running cluster's CIB (`cibadmin --query`; on a
    /// cluster node, as root or a member of the haclient group).
    #[arg(long)]
    pub live: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only these rule codes or prefixes (comma-separated or repeated).
    #[arg(long, value_name = "CODE|PREFIX")]
    pub select: Vec<String>,
    /// Skip these rule codes or prefixes.
    #[arg(long, value_name = "CODE|PREFIX")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding of this severity or worse remains (default:
    /// cibcheck.toml's `fail-on`, else warning).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
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
    /// Also report what an upgrade to this Pacemaker release drops,
    /// rejects or reads differently (the UP rules; names as --pacemaker).
    #[arg(long, value_name = "VERSION")]
    pub target: Option<String>,
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
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Settings resolved once from the flags.
struct Settings {
    target: Option<&'static crate::profile::Profile>,
    now: Instant,
    limits: ParseLimits,
    max_size: u64,
}

/// `--now` for commands that judge files without a CIB's own execution
/// date: the time given, else the clock; `None` (the error printed) when
/// it does not parse.
pub(super) fn now_arg(now: Option<&str>) -> Option<Instant> {
    match now {
        Some(w) => {
            let t = parse_instant(w);
            if t.is_none() {
                eprintln!("error: --now `{w}` is not an ISO 8601 date and time");
            }
            t
        }
        None => Some(Instant::now()),
    }
}

pub fn run(args: LintArgs, choice: &config::Choice) -> Termination {
    let (global, unmatched) = Selection::new(&args.select, &args.ignore);
    if !unmatched.is_empty() {
        eprintln!(
            "error: selector {} matches no rule; `cibcheck rules` lists the codes",
            unmatched.join(", ")
        );
        return Termination::Error;
    }
    let Some(now) = now_arg(args.now.as_deref()) else {
        return Termination::Error;
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
    // Per input: the path its configuration is found from and per-path
    // overrides match (`None`: stdin, the live cluster).
    let mut anchors: Vec<Option<PathBuf>> = Vec::new();
    // Per report: its copies of the CIB as (index in `inputs`, node).
    let mut reports: Vec<Vec<(usize, String)>> = Vec::new();
    // Kept open until the end: an archive's members are unpacked there.
    let mut opened = Vec::new();
    for p in &args.paths {
        let path = std::path::Path::new(p);
        if p == "-" || !report::is_report(path) {
            for i in input::discover(std::slice::from_ref(p), &mut notes) {
                anchors.push(match &i {
                    Input::File(f) => Some(f.clone()),
                    Input::Member { archive, .. } => Some(archive.clone()),
                    Input::Unpacked { .. } => Some(path.to_path_buf()),
                    Input::Stdin | Input::Live => None,
                });
                inputs.push(i);
            }
            continue;
        }
        match Report::open(path, args.limits.max_size) {
            Ok(r) => {
                notes.extend(r.notes.iter().cloned());
                let mut copies = Vec::new();
                for e in r.cibs() {
                    copies.push((inputs.len(), e.node.clone()));
                    inputs.push(e.input.clone());
                    anchors.push(Some(path.to_path_buf()));
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
    if args.live {
        inputs.push(Input::Live);
        anchors.push(None);
    }

    // Each input's cibcheck.toml (loaded once per file) and settings.
    let mut configs: Vec<Config> = Vec::new();
    let mut config_of: Vec<Option<usize>> = Vec::new();
    let mut loaded: HashMap<PathBuf, usize> = HashMap::new();
    // Searched once per directory: a directory of many CIBs is common.
    let mut found_in: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    for anchor in &anchors {
        let found = match choice {
            config::Choice::Discover => {
                let start = config::search_start(anchor.as_deref());
                found_in
                    .entry(start)
                    .or_insert_with_key(|start| config::discover(start))
                    .clone()
            }
            _ => config::locate(choice, anchor.as_deref()),
        };
        let Some(found) = found else {
            config_of.push(None);
            continue;
        };
        let key = config::absolute(&found);
        if let Some(&i) = loaded.get(&key) {
            config_of.push(Some(i));
            continue;
        }
        match Config::load(&found) {
            Ok(c) => {
                loaded.insert(key, configs.len());
                config_of.push(Some(configs.len()));
                configs.push(c);
            }
            Err(e) => {
                super::config_cmd::print_error(&e, args.color.enabled());
                return Termination::Error;
            }
        }
    }
    let flags = Flags {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on.map(FailOn::severity),
    };
    let effective: Vec<Effective> = anchors
        .iter()
        .zip(&config_of)
        .map(|(a, c)| Effective::resolve(c.map(|c| &configs[c]), &flags, a.as_deref()))
        .collect();
    let selections: Vec<Selection> = effective.iter().map(Effective::selection).collect();

    let target = match args.target.as_deref() {
        None => None,
        Some(v) => match crate::profile::by_name(v) {
            Some(p) => Some(p),
            None => {
                let known: Vec<&str> = crate::profile::PROFILES.iter().map(|p| p.name).collect();
                eprintln!(
                    "error: --target {v}: no profile for that release (known: {})",
                    known.join(", ")
                );
                return Termination::Error;
            }
        },
    };
    let settings = Settings {
        target,
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
    let mut outcomes = lint_all(&inputs, &selections, &settings, jobs, &progress);
    progress.finish();
    drop(opened);
    for copies in &reports {
        let before: Vec<usize> = outcomes.iter().map(|o| o.diagnostics.len()).collect();
        report_copies::compare(&mut outcomes, copies);
        // Like any rule's findings, these follow --select / --ignore.
        for (i, (o, n)) in outcomes.iter_mut().zip(before).enumerate() {
            let mut k = 0;
            o.diagnostics.retain(|d| {
                k += 1;
                k <= n || selections[i].enabled(d.code)
            });
        }
    }
    // Readable inputs: only they can match an entry of a baseline or an
    // `[[accept]]` (a file that failed to load has no findings to hide).
    let linted: Vec<bool> = outcomes
        .iter()
        .map(|o| !o.diagnostics.iter().any(|d| d.code == "IN000"))
        .collect();

    let mut used: Vec<Vec<bool>> = configs
        .iter()
        .map(|c| vec![false; c.accept.len()])
        .collect();
    for (i, o) in outcomes.iter_mut().enumerate() {
        effective[i].apply_severity(o);
        if let Some(c) = config_of[i] {
            config::effective::accept_findings(&configs[c], o, now, &mut used[c]);
        }
    }
    let mut thresholds: Vec<Severity> = effective.iter().map(|e| e.fail_on.value).collect();
    for (c, config) in configs.iter().enumerate() {
        let top = Effective::resolve(Some(config), &flags, None);
        let selection = top.selection();
        // An entry could match only where its rule ran on a readable CIB.
        let could_match = |code: &str| {
            (0..inputs.len())
                .any(|i| config_of[i] == Some(c) && linted[i] && selections[i].enabled(code))
        };
        let mut stale = Vec::new();
        for (a, hit) in config.accept.iter().zip(&used[c]) {
            let code = if a.expired(now) {
                "BL003"
            } else if !hit && could_match(a.rule.value) {
                "BL002"
            } else {
                continue;
            };
            if !selection.enabled(code) {
                continue;
            }
            let (message, help) = if code == "BL003" {
                (
                    format!(
                        "the acceptance of {} on `{}` ended {}: the finding is reported again",
                        a.rule.value,
                        a.id.value,
                        a.until_text().unwrap_or_default()
                    ),
                    "fix the finding and remove the entry, or move `until` if the reason still holds",
                )
            } else {
                (
                    format!(
                        "accepted finding {} on `{}` matches no finding",
                        a.rule.value, a.id.value
                    ),
                    "the problem was fixed or the element renamed: remove the entry",
                )
            };
            stale.push(StaleEntry {
                code,
                span: a.span,
                message,
                help: help.into(),
                key: format!("{}|{}", a.rule.value, a.id.value),
            });
        }
        if !stale.is_empty() {
            let mut o = stale_entries_outcome(&config.name, &config.text, stale);
            top.apply_severity(&mut o);
            outcomes.push(o);
            thresholds.push(top.fail_on.value);
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
        // file was linted (named, and readable) with its rule selected.
        let by_name: HashMap<&str, usize> = inputs
            .iter()
            .enumerate()
            .filter(|&(i, _)| linted[i])
            .map(|(i, _)| (outcomes[i].name.as_str(), i))
            .collect();
        left.retain(|e| {
            by_name
                .get(e.file.as_str())
                .is_some_and(|&i| selections[i].enabled(&e.code))
        });
        if !left.is_empty() && global.enabled("BL001") {
            let stale = left
                .iter()
                .map(|e| StaleEntry {
                    code: "BL001",
                    span: locate_in_baseline(text, &e.fingerprint),
                    message: format!(
                        "baseline entry for {} in {} matches no finding: {}",
                        e.code, e.file, e.message
                    ),
                    help: "the problem was fixed: remove the entry, or regenerate with --write-baseline"
                        .into(),
                    key: e.fingerprint.clone(),
                })
                .collect();
            outcomes.push(stale_entries_outcome(path, text, stale));
            baseline_outcome = Some(outcomes.len() - 1);
            thresholds.push(flags.fail_on.unwrap_or(Severity::Warning));
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
            // One case per rule that ran on the file (its own selection);
            // the outcomes after the inputs' are stale baseline or
            // configuration entries, a case per code they report.
            let suites: Vec<render::junit::Suite> = outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| render::junit::Suite {
                    outcome: o,
                    rules: match selections.get(i) {
                        Some(sel) => lint::RULES
                            .iter()
                            .map(|r| r.code)
                            .filter(|c| !c.starts_with("BL") && sel.enabled(c))
                            .collect(),
                        None if Some(i) == baseline_outcome => vec!["BL001"],
                        None => {
                            let mut codes: Vec<&'static str> =
                                o.diagnostics.iter().map(|d| d.code).collect();
                            codes.sort_unstable();
                            codes.dedup();
                            codes
                        }
                    },
                    fail_on: thresholds.get(i).copied().unwrap_or(Severity::Warning),
                })
                .collect();
            render::junit::render(&suites)
        }
        Format::Gitlab => render::gitlab::render(&outcomes),
    };
    emit(&text);
    termination(&outcomes, &thresholds, args.exit_zero)
}

/// Exit code: input errors first, then each outcome's findings against
/// its own threshold (its CIB's `fail-on`).
fn termination(outcomes: &[FileOutcome], fail_on: &[Severity], exit_zero: bool) -> Termination {
    if outcomes.iter().any(|o| o.input_error()) {
        return Termination::Error;
    }
    let failing = outcomes
        .iter()
        .zip(fail_on)
        .any(|(o, &threshold)| lint::worst(&o.diagnostics).is_some_and(|s| s >= threshold));
    if failing && !exit_zero {
        Termination::Findings
    } else {
        Termination::Clean
    }
}

/// Lint every input; files are spread over `jobs` threads and results come
/// back in input order. One file's failure never affects another's.
fn lint_all(
    inputs: &[Input],
    selections: &[Selection],
    settings: &Settings,
    jobs: usize,
    progress: &Progress,
) -> Vec<FileOutcome> {
    let jobs = jobs.clamp(1, inputs.len().max(1));
    if jobs == 1 {
        return inputs
            .iter()
            .zip(selections)
            .map(|(i, sel)| {
                let o = lint_one(i, sel, settings);
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
                let (Some(input), Some(sel)) = (inputs.get(i), selections.get(i)) else {
                    break;
                };
                let o = lint_one(input, sel, settings);
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
fn lint_one(input: &Input, selection: &Selection, settings: &Settings) -> FileOutcome {
    let run = || match input::read(input, settings.max_size) {
        Ok(source) => lint::lint_source_for(
            source,
            settings.now,
            selection,
            settings.limits,
            settings.target,
        ),
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
