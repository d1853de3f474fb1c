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
    /// The directory that wrote it (a report's node, or a loose file's
    /// parent directory): inputs of one group are numbered in order.
    group: String,
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
    let sources = dedupe(in_time_order(sources, jobs), args.limits.max_size, jobs);
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
    let with_simulation = args.format == HistoryFormat::Json;
    replay_in_order(&sources, args.limits, jobs, with_simulation, |t| {
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
            // The table needs the decisions, not the whole placement
            // (not even built): memory stays bounded by a few inputs.
            HistoryFormat::Table => shown.push(t),
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
            let group = std::path::Path::new(arg)
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            sources.push(Source {
                input,
                rel: arg.to_owned(),
                node: report::node_of(arg, "-"),
                series,
                number,
                copies: Vec::new(),
                group,
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
                group: format!("{arg}\u{0}{}", e.node),
            }),
            Kind::Cib => None,
        })
        .collect();
    if found.is_empty() {
        notes.push(format!("{arg}: no scheduler inputs (pe-input-N) found"));
    }
    // Grouped by node directory; `in_time_order` interleaves them.
    found.sort_by(|a, b| (&a.node, &a.rel).cmp(&(&b.node, &b.rel)));
    sources.extend(found);
    Ok(Some(r))
}

/// What is learnt of an input without loading it: the digest of its
/// bytes as stored, and its root's attributes.
#[derive(Default)]
struct Survey {
    stored_digest: Option<[u8; 16]>,
    root: Option<input::RootTag>,
}

impl Survey {
    fn time(&self) -> Option<Instant> {
        let r = self.root.as_ref()?;
        history::time_from_root(r.attr("execution-date"), r.attr("cib-last-written")).map(|t| t.0)
    }
}

/// Survey every source, on all cores (each reads one file's bytes and
/// decompresses only its head).
fn survey(sources: &[Source], jobs: usize) -> Vec<Survey> {
    let chunk = sources.len().div_ceil(jobs.max(1)).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = sources
            .chunks(chunk)
            .map(|part| {
                let len = part.len();
                let h = s.spawn(move || {
                    part.iter()
                        .map(|src| match &src.input {
                            Input::File(p) | Input::Unpacked { path: p, .. } => Survey {
                                stored_digest: stored_digest(p),
                                root: input::root_tag(p),
                            },
                            _ => Survey::default(),
                        })
                        .collect::<Vec<_>>()
                });
                (len, h)
            })
            .collect();
        // A failed survey only means that input is placed by its number
        // and not deduplicated.
        parts
            .into_iter()
            .flat_map(|(len, h)| {
                h.join()
                    .unwrap_or_else(|_| (0..len).map(|_| Survey::default()).collect())
            })
            .collect()
    })
}

/// The sources in the order they were scheduled. Each directory's inputs
/// are in the order of their numbers (the writing DC's count); the
/// directories of several DCs are interleaved by the inputs' times
/// (`execution-date`, else `cib-last-written`), so a report whose DC
/// changed reads as one timeline. An input with no time stays where its
/// directory's numbering puts it.
fn in_time_order(sources: Vec<Source>, jobs: usize) -> Vec<(Source, Survey)> {
    let surveys = survey(&sources, jobs);
    let mut groups: Vec<(String, std::collections::VecDeque<(Source, Survey)>)> = Vec::new();
    for (src, sv) in sources.into_iter().zip(surveys) {
        match groups.iter_mut().find(|(g, _)| *g == src.group) {
            Some((_, q)) => q.push_back((src, sv)),
            None => groups.push((src.group.clone(), [(src, sv)].into())),
        }
    }
    for (_, q) in &mut groups {
        // Numbered inputs by number (a shell glob lists pe-input-10
        // before pe-input-2); the rest keep their place after them.
        q.make_contiguous().sort_by(|(a, _), (b, _)| {
            (a.number.is_none(), a.number).cmp(&(b.number.is_none(), b.number))
        });
    }
    let mut out = Vec::new();
    loop {
        // The head to take next: one with no time first (it cannot be
        // placed otherwise), else the earliest; ties go to the earlier
        // directory.
        let mut best: Option<(usize, Option<Instant>)> = None;
        for (i, (_, q)) in groups.iter().enumerate() {
            let Some((_, sv)) = q.front() else { continue };
            let t = sv.time();
            let better = match best {
                None => true,
                Some((_, None)) => false,
                Some((_, Some(bt))) => t.is_none_or(|t| t < bt),
            };
            if better {
                best = Some((i, t));
            }
        }
        let Some((i, _)) = best else { break };
        if let Some(item) = groups[i].1.pop_front() {
            out.push(item);
        }
    }
    out
}

/// Identical inputs found on several nodes (the same input copied into
/// each node's directory of the report) are replayed once, the first
/// time they appear; the others are listed as its copies. Copies are
/// recognised by their stored bytes; two inputs stored differently
/// (compressed and not) are compared decompressed when their roots are
/// the same.
fn dedupe(sources: Vec<(Source, Survey)>, max_size: u64, jobs: usize) -> Vec<Source> {
    let mut digests: Vec<Option<[u8; 16]>> =
        sources.iter().map(|(_, sv)| sv.stored_digest).collect();
    // Roots seen with more than one stored form: compare those decompressed.
    let mut forms: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, sv)) in sources.iter().enumerate() {
        if let (Some(root), Some(_)) = (&sv.root, sv.stored_digest) {
            forms.entry(format!("{root:?}")).or_default().push(i);
        }
    }
    let recheck: Vec<usize> = forms
        .into_values()
        .filter(|ix| {
            let first = digests[ix[0]];
            ix.iter().any(|&i| digests[i] != first)
        })
        .flatten()
        .collect();
    if !recheck.is_empty() {
        let paths: Vec<Option<&std::path::Path>> = recheck
            .iter()
            .map(|&i| match &sources[i].0.input {
                Input::File(p) | Input::Unpacked { path: p, .. } => Some(p.as_path()),
                _ => None,
            })
            .collect();
        let chunk = paths.len().div_ceil(jobs.max(1)).max(1);
        let fresh: Vec<Option<[u8; 16]>> = std::thread::scope(|s| {
            let parts: Vec<_> = paths
                .chunks(chunk)
                .map(|part| {
                    let len = part.len();
                    (
                        len,
                        s.spawn(move || {
                            part.iter()
                                .map(|p| p.and_then(|p| decompressed_digest(p, max_size)))
                                .collect::<Vec<_>>()
                        }),
                    )
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|(len, h)| h.join().unwrap_or_else(|_| vec![None; len]))
                .collect()
        });
        // A plain file's stored digest is its decompressed one, so the
        // two kinds compare as they should.
        for (&i, d) in recheck.iter().zip(fresh) {
            digests[i] = d;
        }
    }
    let mut seen: HashMap<[u8; 16], usize> = HashMap::new();
    let mut out: Vec<Source> = Vec::with_capacity(sources.len());
    for ((s, _), digest) in sources.into_iter().zip(digests) {
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

/// The digest of a file's bytes as stored.
fn stored_digest(path: &std::path::Path) -> Option<[u8; 16]> {
    digest(std::fs::File::open(path).ok()?)
}

/// The digest of a file's decompressed bytes (at most `max_size`).
fn decompressed_digest(path: &std::path::Path, max_size: u64) -> Option<[u8; 16]> {
    let f = std::fs::File::open(path).ok()?;
    let (_, r) = input::decompress::decoder(std::io::BufReader::new(f)).ok()?;
    digest(r.take(max_size))
}

fn digest(mut r: impl Read) -> Option<[u8; 16]> {
    use md5::Digest;
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
    with_simulation: bool,
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
                let t = replay_guarded(&sources[i], limits, with_simulation);
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
fn replay_guarded(src: &Source, limits: InputLimits, with_simulation: bool) -> Transition {
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
        replay(src, limits, with_simulation, t.clone())
    })) {
        t = done;
    }
    t
}

/// Load, schedule and summarise one input, exactly as `simulate` does.
/// The placement (`simulate --format json`'s object) is built only
/// `with_simulation`.
fn replay(
    src: &Source,
    limits: InputLimits,
    with_simulation: bool,
    mut t: Transition,
) -> Transition {
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
            let simulation = if with_simulation {
                let o = outcome::outcome(&r.sim, &r.current);
                let view = StepView {
                    events: &r.events,
                    outcome: &o,
                    transition: &r.sim.transition,
                    scores: None,
                };
                render::sim_json::value(&[view])
            } else {
                serde_json::Value::Null
            };
            let names: Vec<String> = cib.nodes.iter().map(|n| n.uname.clone()).collect();
            Ok(Decided {
                decisions: history::decisions(&r.sim.transition.summary, &names),
                simulation,
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
