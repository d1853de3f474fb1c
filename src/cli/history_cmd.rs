//! `cibcheck history REPORT|DIR|FILE…`: replay every saved scheduler input
//! (`pe-input-N`, `pe-warn-N`, `pe-error-N`) in order and print the
//! timeline of what each transition decided.
//!
//! Inputs are simulated on worker threads, a few at a time: each is read
//! only when a worker takes it, and results wait only until every earlier
//! one is printed, so memory stays bounded whatever the report's size.

use super::limits::InputLimits;
use super::progress::Progress;
use super::simulate_cmd::UNSUPPORTED_EXIT;
use super::{emit, ColorChoice, Termination};
use crate::cib::time::{parse_instant, Instant};
use crate::input::report::{self, Kind, Report};
use crate::input::{self, Input};
use crate::render;
use crate::render::sim_table::StepView;
use crate::whatif::history::{self, Decided, Failure, Transition};
use crate::whatif::outcome;
use crate::whatif::run::{self, StepError};
use crate::whatif::scenario::StepSpec;
use clap::{Args, ValueEnum};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::sync::{Condvar, Mutex};

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Cluster reports (directory or tar archive), directories such as
    /// /var/lib/pacemaker/pengine, or scheduler input files
    /// (ARCHIVE//MEMBER for one member of an archive).
    #[arg(required = true, value_name = "REPORT|DIR|FILE")]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    /// Only transitions at or after this time (ISO 8601).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only transitions at or before this time (ISO 8601).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only transitions that decide something about this resource (or
    /// one of its clone instances); repeatable.
    #[arg(long, value_name = "RSC")]
    pub resource: Vec<String>,
    /// Only transitions that decide something involving this node;
    /// repeatable.
    #[arg(long, value_name = "NODE")]
    pub node: Vec<String>,
    /// Only transitions that decide something (not-replayed inputs are
    /// always shown).
    #[arg(long)]
    pub only_eventful: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: InputLimits,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// One line per transition.
    Table,
    /// One object per transition (docs/history-json.md).
    Json,
}

/// One scheduler input to replay.
struct Source {
    input: Input,
    rel: String,
    node: String,
    series: Option<&'static str>,
    number: Option<u64>,
    copies: Vec<String>,
}

/// The filters, resolved.
struct Filter {
    since: Option<Instant>,
    until: Option<Instant>,
    resources: Vec<String>,
    nodes: Vec<String>,
    only_eventful: bool,
}

impl Filter {
    fn keeps(&self, t: &Transition) -> bool {
        let when = t.time.map(|(w, _)| w);
        if self.since.is_some_and(|s| when.is_none_or(|w| w < s))
            || self.until.is_some_and(|u| when.is_none_or(|w| w > u))
        {
            return false;
        }
        // An input that could not be replayed is never hidden by what it
        // might have decided.
        let Ok(d) = &t.result else { return true };
        if self.only_eventful && d.decisions.is_empty() {
            return false;
        }
        if !self.resources.is_empty()
            && !d
                .decisions
                .iter()
                .any(|x| self.resources.iter().any(|r| x.involves_resource(r)))
        {
            return false;
        }
        if !self.nodes.is_empty()
            && !d
                .decisions
                .iter()
                .any(|x| self.nodes.iter().any(|n| x.involves_node(n)))
        {
            return false;
        }
        true
    }
}

pub fn run(args: HistoryArgs) -> i32 {
    let when = |flag: &str, v: &Option<String>| -> Result<Option<Instant>, i32> {
        match v {
            None => Ok(None),
            Some(text) => parse_instant(text).map(Some).ok_or_else(|| {
                eprintln!("error: {flag}: cannot parse `{text}` as an ISO 8601 date and time");
                Termination::Error as i32
            }),
        }
    };
    let filter = match (when("--since", &args.since), when("--until", &args.until)) {
        (Ok(since), Ok(until)) => Filter {
            since,
            until,
            resources: args.resource.clone(),
            nodes: args.node.clone(),
            only_eventful: args.only_eventful,
        },
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let mut notes = Vec::new();
    // Kept open until the end: an archive's members are unpacked there.
    let mut opened = Vec::new();
    let mut sources = Vec::new();
    for p in &args.paths {
        match gather(p, args.limits.max_size, &mut sources, &mut notes) {
            Ok(Some(r)) => opened.push(r),
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: {p}: {e}");
                return Termination::Error as i32;
            }
        }
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let sources = dedupe(sources, args.limits.max_size, jobs);
    for n in &notes {
        eprintln!("note: {n}");
    }
    let color = args.color.enabled();
    let progress = Progress::new(sources.len(), "replaying");
    let mut worst = Termination::Clean as i32;
    let mut shown = Vec::new();
    let mut json_any = false;
    if args.format == HistoryFormat::Json {
        emit(&render::history::json_head());
    }
    replay_in_order(&sources, args.limits, jobs, |t| {
        progress.inc();
        if let Err(f) = &t.result {
            worst = worst.max(f.code);
        }
        if !filter.keeps(&t) {
            return;
        }
        match args.format {
            HistoryFormat::Json => {
                progress.suspend(|| emit(&render::history::json_item(&t, !json_any)));
                json_any = true;
            }
            HistoryFormat::Table => {
                // The table needs the decisions, not the whole placement:
                // memory stays bounded by a few inputs, not the report.
                let mut t = t;
                if let Ok(d) = &mut t.result {
                    d.simulation = serde_json::Value::Null;
                }
                shown.push(t)
            }
        }
    });
    progress.finish();
    match args.format {
        HistoryFormat::Json => emit(&render::history::json_tail(json_any)),
        HistoryFormat::Table => emit(&render::history::table(&shown, color)),
    }
    drop(opened);
    worst
}

/// Add the scheduler inputs `arg` names to `sources`: a report, a
/// directory (walked), an archive member or a file. The opened report is
/// returned, to be kept while its inputs are read.
fn gather(
    arg: &str,
    max_size: u64,
    sources: &mut Vec<Source>,
    notes: &mut Vec<String>,
) -> std::io::Result<Option<Report>> {
    let input = Input::from_arg(arg);
    let path = match &input {
        Input::File(p) if p.is_dir() || report::is_report(p) => p.clone(),
        _ => {
            let name = arg.rsplit('/').next().unwrap_or(arg);
            let (series, number) = match report::classify(name) {
                Some(Kind::SchedulerInput { series, number }) => (Some(series), Some(number)),
                _ => (None, None),
            };
            sources.push(Source {
                input,
                rel: arg.to_owned(),
                node: report::node_of(arg, "-"),
                series,
                number,
                copies: Vec::new(),
            });
            return Ok(None);
        }
    };
    let r = Report::open(&path, max_size)?;
    notes.extend(r.notes.iter().cloned());
    let mut found: Vec<Source> = r
        .entries
        .iter()
        .filter_map(|e| match e.kind {
            Kind::SchedulerInput { series, number } => Some(Source {
                input: e.input.clone(),
                rel: e.rel.clone(),
                node: e.node.clone(),
                series: Some(series),
                number: Some(number),
                copies: Vec::new(),
            }),
            Kind::Cib => None,
        })
        .collect();
    if found.is_empty() {
        notes.push(format!("{arg}: no scheduler inputs (pe-input-N) found"));
    }
    // Per node directory, in the order the DC wrote them.
    found.sort_by(|a, b| {
        (&a.node, a.number, a.series, &a.rel).cmp(&(&b.node, b.number, b.series, &b.rel))
    });
    sources.extend(found);
    Ok(Some(r))
}

/// Identical inputs found on several nodes (the same input copied into
/// each node's directory of the report, compressed alike or not) are
/// replayed once, the first time they appear; the others are listed as
/// its copies.
fn dedupe(sources: Vec<Source>, max_size: u64, jobs: usize) -> Vec<Source> {
    // Hashing means decompressing every input: on all cores, in chunks.
    let digests: Vec<Option<[u8; 16]>> = {
        let chunk = sources.len().div_ceil(jobs.max(1)).max(1);
        std::thread::scope(|s| {
            let parts: Vec<_> = sources
                .chunks(chunk)
                .map(|part| {
                    let len = part.len();
                    let h = s.spawn(move || {
                        part.iter()
                            .map(|src| match &src.input {
                                Input::File(p) | Input::Unpacked { path: p, .. } => {
                                    file_digest(p, max_size)
                                }
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    });
                    (len, h)
                })
                .collect();
            // A failed hash only means that input is not deduplicated.
            parts
                .into_iter()
                .flat_map(|(len, h)| h.join().unwrap_or_else(|_| vec![None; len]))
                .collect()
        })
    };
    let mut seen: HashMap<[u8; 16], usize> = HashMap::new();
    let mut out: Vec<Source> = Vec::with_capacity(sources.len());
    for (s, digest) in sources.into_iter().zip(digests) {
        if let Some(d) = digest {
            if let Some(&i) = seen.get(&d) {
                out[i].copies.push(s.input.display());
                continue;
            }
            seen.insert(d, out.len());
        }
        out.push(s);
    }
    out
}

/// The digest of a file's decompressed bytes (at most `max_size`).
fn file_digest(path: &std::path::Path, max_size: u64) -> Option<[u8; 16]> {
    use md5::Digest;
    let f = std::fs::File::open(path).ok()?;
    let (_, r) = input::decompress::decoder(std::io::BufReader::new(f)).ok()?;
    let mut r = r.take(max_size);
    let mut hasher = md5::Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(hasher.finalize().into())
}

/// Replay every source on `jobs` threads and hand the results to `sink`
/// in source order. A worker runs at most `2 * jobs` inputs ahead of the
/// next one to print, so few inputs are held at once.
fn replay_in_order(
    sources: &[Source],
    limits: InputLimits,
    jobs: usize,
    mut sink: impl FnMut(Transition),
) {
    struct State {
        next: usize,
        printed: usize,
        done: BTreeMap<usize, Transition>,
    }
    let window = 2 * jobs;
    let state = Mutex::new(State {
        next: 0,
        printed: 0,
        done: BTreeMap::new(),
    });
    let changed = Condvar::new();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(sources.len()) {
            s.spawn(|| loop {
                let i = {
                    let Ok(mut st) = state.lock() else { return };
                    while st.next < sources.len() && st.next >= st.printed + window {
                        st = match changed.wait(st) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                    if st.next >= sources.len() {
                        return;
                    }
                    st.next += 1;
                    st.next - 1
                };
                let t = replay_guarded(&sources[i], limits);
                if let Ok(mut st) = state.lock() {
                    st.done.insert(i, t);
                }
                changed.notify_all();
            });
        }
        for i in 0..sources.len() {
            let t = {
                let Ok(mut st) = state.lock() else { return };
                loop {
                    if let Some(t) = st.done.remove(&i) {
                        st.printed = i + 1;
                        break t;
                    }
                    st = match changed.wait(st) {
                        Ok(g) => g,
                        Err(_) => return,
                    };
                }
            };
            changed.notify_all();
            sink(t);
        }
    });
}

/// Replay one input; an internal error (a panic) becomes its outcome.
fn replay_guarded(src: &Source, limits: InputLimits) -> Transition {
    let mut t = Transition {
        source: src.input.display(),
        rel: src.rel.clone(),
        node: src.node.clone(),
        series: src.series,
        number: src.number,
        copies: src.copies.clone(),
        time: None,
        dc: None,
        result: Err(Failure {
            code: Termination::Error as i32,
            message: "internal error while replaying this input (please report it)".into(),
        }),
    };
    if let Ok(done) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        replay(src, limits, t.clone())
    })) {
        t = done;
    }
    t
}

/// Load, schedule and summarise one input, exactly as `simulate` does.
fn replay(src: &Source, limits: InputLimits, mut t: Transition) -> Transition {
    let unreadable = |message: String| Failure {
        code: Termination::Error as i32,
        message,
    };
    let source = match input::read(&src.input, limits.max_size) {
        Ok(s) => s,
        Err((e, _)) => {
            t.result = Err(unreadable(e.message));
            return t;
        }
    };
    let cib = match crate::cib::load(source, limits.parse_limits()) {
        Ok(c) => c,
        Err(e) => {
            t.result = Err(unreadable(e.message));
            return t;
        }
    };
    t.time = history::time_of(&cib);
    t.dc = history::dc_name(&cib);
    // Pacemaker would not have scheduled from an input it refuses.
    if let Some(r) = &cib.schema.refusal {
        t.result = Err(unreadable(r.message.clone()));
        return t;
    }
    // As simulate: the input's own execution-date, else the clock.
    let now = cib.execution_date.unwrap_or_else(Instant::now);
    t.result = match run::run_step(&cib, now, &StepSpec::default()) {
        Ok(r) => {
            let o = outcome::outcome(&r.sim, &r.current);
            let view = StepView {
                events: &r.events,
                outcome: &o,
                transition: &r.sim.transition,
                scores: None,
            };
            let names: Vec<String> = cib.nodes.iter().map(|n| n.uname.clone()).collect();
            Ok(Decided {
                decisions: history::decisions(&r.sim.transition.summary, &names),
                simulation: render::sim_json::value(&[view]),
                summary_lines: render::transition_text::summary_lines(&r.sim.transition.summary),
            })
        }
        Err(StepError::Unsupported(u)) => Err(Failure {
            code: UNSUPPORTED_EXIT,
            message: format!("SIM001 not simulated yet: {}", u.message),
        }),
        Err(StepError::Event(e)) => Err(unreadable(e.message)),
    };
    crate::cib::dispose(cib);
    t
}
