//! Differential fuzzing against the real `crm_simulate` 2.1.5 (ignored by
//! default: it runs crm_simulate thousands of times). Random clusters from
//! tests/gen (`cluster_wide`: with failures, fail counts, migration-threshold,
//! on-fail and utilization) are simulated by both, each under one what-if
//! event drawn from the same random stream: none, `--standby NODE`,
//! `--node-fail NODE` or `--op-fail RSC_TASK_INTERVAL@NODE=RC`. The revised
//! placement and the transition (summary and executed actions, as
//! multisets) must agree.
//!
//!     cargo test --release --test differential -- --ignored --nocapture
//!
//! `DIFF_CASES` clusters (default 200) from a fixed seed (`DIFF_SEED`), on
//! `DIFF_THREADS` threads (default 2; `DIFF_KEEP_INPUTS=1` keeps the CIBs);
//! disagreements are written to `DIFF_OUT` (default
//! `target/differential/`) as `NAME.xml` with the event and both outputs,
//! to be kept under `testdata/differential/` and listed in
//! docs/reliability.md. The kept cases are replayed by
//! `kept_cases_match_their_recorded_outcome`, which needs no crm_simulate.
//!
//! The events are given to crm_simulate as tests/whatif_diff.rs does:
//! standby is `crm_attribute --node N --name standby --update on` on a copy
//! of the CIB; node-fail and op-fail are crm_simulate's own `--node-fail`
//! and `--op-fail`.

mod common;
mod gen;

use common::oracle::{facts, have_tool, par_map, standby_with_crm_attribute, terminated_only};
use proptest::prelude::RngExt;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One what-if event of a differential case.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    None,
    Standby(String),
    NodeFail(String),
    OpFail(String),
}

impl Event {
    fn kind(&self) -> &'static str {
        match self {
            Event::None => "none",
            Event::Standby(_) => "standby",
            Event::NodeFail(_) => "node-fail",
            Event::OpFail(_) => "op-fail",
        }
    }

    fn value(&self) -> Option<&str> {
        match self {
            Event::None => None,
            Event::Standby(v) | Event::NodeFail(v) | Event::OpFail(v) => Some(v),
        }
    }

    /// cibcheck's arguments for the event.
    fn ours(&self) -> Vec<String> {
        match self.value() {
            Some(v) => vec![format!("--{}", self.kind()), v.to_string()],
            None => Vec::new(),
        }
    }

    /// crm_simulate's arguments (standby is an edit of its input instead).
    fn theirs(&self) -> Vec<String> {
        match self {
            Event::None | Event::Standby(_) => Vec::new(),
            _ => self.ours(),
        }
    }

    /// How the event is written in a kept case (`event: KIND VALUE`; an XML
    /// comment cannot hold `--`).
    fn label(&self) -> String {
        match self.value() {
            Some(v) => format!("{} {v}", self.kind()),
            None => "none".into(),
        }
    }

    fn parse(label: &str) -> Option<Event> {
        let (kind, value) = label.split_once(' ').unwrap_or((label, ""));
        let v = value.trim().to_string();
        match kind {
            "none" => Some(Event::None),
            "standby" => Some(Event::Standby(v)),
            "node-fail" => Some(Event::NodeFail(v)),
            "op-fail" => Some(Event::OpFail(v)),
            _ => None,
        }
    }
}

const KINDS: [&str; 4] = ["none", "standby", "node-fail", "op-fail"];

/// cibcheck's crm_simulate-style output for `cib` under `event`: its exit
/// code and stdout.
fn run_ours(cib: &Path, event: &Event) -> (Option<i32>, String) {
    let (code, stdout, _) = run_ours_why(cib, event);
    (code, stdout)
}

/// [`run_ours`], with the first diagnostic line of stderr (why it refused).
fn run_ours_why(cib: &Path, event: &Event) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .args([
            "simulate",
            "--format",
            "crm-simulate",
            "--pacemaker",
            "2.1.5",
        ])
        .arg(cib)
        .args(event.ours())
        .output()
        .expect("the cibcheck binary runs");
    let why = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find(|l| l.trim_start().starts_with('×'))
        .unwrap_or_default()
        .trim()
        .to_string();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        why,
    )
}

/// crm_simulate's output, and whether it only terminated the transition
/// ([`terminated_only`]: compared all the same); None when it (or setting
/// standby) fails otherwise.
fn run_theirs(cib: &Path, event: &Event, tmp: &Path) -> Option<(String, bool)> {
    let input = match event {
        Event::Standby(node) => {
            let copy = cib.with_extension("standby.xml");
            if !standby_with_crm_attribute(cib, &copy, node) {
                return None;
            }
            copy
        }
        _ => cib.to_path_buf(),
    };
    let out = Command::new("crm_simulate")
        .arg("-S")
        .arg("-x")
        .arg(&input)
        .args(event.theirs())
        .env("CIB_shadow_dir", tmp)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let terminated = terminated_only(&out.stderr, &text);
    (out.status.success() || terminated).then_some((text, terminated))
}

/// The candidates for `--op-fail` in a transition, `RSC_TASK_INTERVAL@NODE`:
/// its starts, promotes and recurring monitors.
fn op_fail_targets(transition: &str) -> Vec<String> {
    transition
        .lines()
        .skip_while(|l| *l != "Executing Cluster Transition:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let ["*", "Resource", "action:", rsc, op, "on", node] = words.as_slice() else {
                return None;
            };
            let (task, interval) = op.split_once('=').unwrap_or((*op, "0"));
            let wanted =
                matches!(task, "start" | "promote") || (task == "monitor" && interval != "0");
            wanted.then(|| format!("{rsc}_{task}_{interval}@{node}"))
        })
        .collect()
}

/// Draw the event for a generated cluster from the test's random stream.
/// Node events target an online node when there is one; op-fail targets an
/// action of cibcheck's own transition without events (none there: no
/// event).
fn draw_event(rng: &mut TestRng, spec: &gen::ClusterSpec, cib: &Path) -> Event {
    let online: Vec<String> = (0..spec.nodes.len())
        .filter(|i| spec.nodes[*i].online)
        .map(|i| spec.node_name(i))
        .collect();
    let nodes = if online.is_empty() {
        (0..spec.nodes.len()).map(|i| spec.node_name(i)).collect()
    } else {
        online
    };
    let node = nodes[rng.random_range(0..nodes.len())].clone();
    match rng.random_range(0..4) {
        0 => Event::None,
        1 => Event::Standby(node),
        2 => Event::NodeFail(node),
        _ => {
            let (_, base) = run_ours(cib, &Event::None);
            let targets = op_fail_targets(&base);
            if targets.is_empty() {
                return Event::None;
            }
            let t = &targets[rng.random_range(0..targets.len())];
            // Mostly a generic error; a monitor may also find it stopped.
            let rc = if t.contains("_monitor_") && rng.random_bool(0.3) {
                7
            } else {
                1
            };
            Event::OpFail(format!("{t}={rc}"))
        }
    }
}

enum Outcome {
    /// With the reason cibcheck gave.
    Refused(String),
    ToolFailed,
    /// Compared; whether crm_simulate terminated the transition.
    Agreed(bool),
    Disagreed(bool),
}

/// Per event kind: clusters, compared, refused, crm_simulate failed,
/// disagreements.
#[derive(Default)]
struct Tally {
    clusters: usize,
    compared: usize,
    refused: usize,
    tool_failed: usize,
    /// Compared although crm_simulate terminated the transition.
    terminated: usize,
    disagree: usize,
}

#[test]
#[ignore = "runs crm_simulate for hundreds of random clusters"]
fn random_clusters_agree_with_crm_simulate() {
    if !have_tool("crm_simulate") || !have_tool("crm_attribute") {
        eprintln!("crm_simulate or crm_attribute not installed: skipped");
        return;
    }
    let cases: usize = std::env::var("DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let threads: usize = std::env::var("DIFF_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let out_dir = std::env::var_os("DIFF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/differential"));
    std::fs::create_dir_all(&out_dir).expect("output directory");
    let tmp = std::env::temp_dir().join(format!("cibcheck-diff-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp directory");

    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = gen::cluster_wide();
    // Clusters and events are drawn in order (deterministic for a seed),
    // then compared in parallel.
    let mut drawn: Vec<(usize, String, PathBuf, Event)> = Vec::new();
    for i in 0..cases {
        let spec = strategy.new_tree(&mut runner).expect("a cluster").current();
        let xml = spec.to_xml();
        let cib = tmp.join(format!("case{i}.xml"));
        std::fs::write(&cib, &xml).expect("write");
        let event = draw_event(runner.rng(), &spec, &cib);
        drawn.push((i, xml, cib, event));
    }
    let results = par_map(&drawn, threads, |(i, xml, cib, event)| {
        let (code, ours, why) = run_ours_why(cib, event);
        if code == Some(3) {
            return Outcome::Refused(why);
        }
        let Some((theirs, terminated)) = run_theirs(cib, event, &tmp) else {
            return Outcome::ToolFailed;
        };
        if code == Some(0) && facts(&ours) == facts(&theirs) {
            return Outcome::Agreed(terminated);
        }
        let name = format!("seed{seed}-case{i}");
        let text = format!(
            "{xml}<!--\nevent: {}\nexpect: crm_simulate\n\
             cibcheck simulate --format crm-simulate (exit {code:?}):\n{}\n\
             crm_simulate -S:\n{}\n-->\n",
            event.label(),
            ours.replace("--", "- -"),
            theirs.replace("--", "- -")
        );
        std::fs::write(out_dir.join(format!("{name}.xml")), text).expect("write");
        Outcome::Disagreed(terminated)
    });
    // DIFF_KEEP_INPUTS=1 keeps the generated CIBs, to look at.
    if std::env::var_os("DIFF_KEEP_INPUTS").is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        eprintln!("inputs kept in {}", tmp.display());
    }

    let mut tally: BTreeMap<&str, Tally> = KINDS.iter().map(|k| (*k, Tally::default())).collect();
    let mut disagreements = Vec::new();
    let mut not_compared = Vec::new();
    for ((i, _, _, event), outcome) in drawn.iter().zip(&results) {
        let t = tally.entry(event.kind()).or_default();
        t.clusters += 1;
        match outcome {
            Outcome::Refused(why) => {
                t.refused += 1;
                not_compared.push(format!("case{i} ({}): refused: {why}", event.label()));
            }
            Outcome::ToolFailed => {
                t.tool_failed += 1;
                not_compared.push(format!("case{i} ({}): crm_simulate failed", event.label()));
            }
            Outcome::Agreed(terminated) => {
                t.compared += 1;
                t.terminated += usize::from(*terminated);
            }
            Outcome::Disagreed(terminated) => {
                t.compared += 1;
                t.terminated += usize::from(*terminated);
                t.disagree += 1;
                disagreements.push(format!("seed{seed}-case{i} ({})", event.label()));
            }
        }
    }
    eprintln!("differential, seed {seed}, {cases} clusters:");
    eprintln!(
        "| event | clusters | compared | of which crm_simulate terminated | refused | \
         crm_simulate failed | disagree |"
    );
    for (kind, t) in &tally {
        eprintln!(
            "| {kind} | {} | {} | {} | {} | {} | {} |",
            t.clusters, t.compared, t.terminated, t.refused, t.tool_failed, t.disagree
        );
    }
    for n in &not_compared {
        eprintln!("not compared: {n}");
    }
    assert!(
        disagreements.is_empty(),
        "disagreements written to {}: {}",
        out_dir.display(),
        disagreements.join(" ")
    );
}

/// A kept case: the CIB, the event, which outcome cibcheck must give, and
/// the outputs recorded when it was found.
struct Kept {
    event: Event,
    /// `crm_simulate`: a fixed disagreement, cibcheck must now print what
    /// crm_simulate printed. `cibcheck`: an explained one (crm_simulate's
    /// own artefact, docs/reliability.md), cibcheck must keep its output.
    expect: String,
    ours: String,
    theirs: String,
}

fn parse_kept(text: &str) -> Option<Kept> {
    let start = text.rfind("<!--\n")? + 5;
    let end = start + text[start..].rfind("\n-->")?;
    let comment = &text[start..end];
    let mut event = Event::None;
    let mut expect = "crm_simulate".to_string();
    for l in comment.lines().take(2) {
        if let Some(e) = l.strip_prefix("event: ") {
            event = Event::parse(e)?;
        } else if let Some(e) = l.strip_prefix("expect: ") {
            expect = e.split_whitespace().next()?.to_string();
        }
    }
    let ours_at = comment.find("\ncibcheck simulate --format crm-simulate")?;
    let theirs_at = comment.find("\ncrm_simulate -S:\n")?;
    Some(Kept {
        event,
        expect,
        ours: comment[ours_at..theirs_at].to_string(),
        theirs: comment[theirs_at..].to_string(),
    })
}

/// Every case under testdata/differential/ gives its recorded outcome: the
/// fixed ones crm_simulate's, the explained ones ours. No crm_simulate
/// needed.
#[test]
fn kept_cases_match_their_recorded_outcome() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/differential");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/differential")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no kept cases in {}", dir.display());
    let mut wrong = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let kept = parse_kept(&text)
            .unwrap_or_else(|| panic!("{}: no event and outputs in its comment", f.display()));
        let (code, ours) = run_ours(f, &kept.event);
        // The recorded outputs had `--` written as `- -`.
        let ours = ours.replace("--", "- -");
        let (want, other) = match kept.expect.as_str() {
            "crm_simulate" => (&kept.theirs, &kept.ours),
            "cibcheck" => (&kept.ours, &kept.theirs),
            e => panic!("{}: unknown expect `{e}`", f.display()),
        };
        assert_ne!(
            facts(want),
            facts(other),
            "{}: the recorded outputs agree, nothing to keep",
            f.display()
        );
        if code != Some(0) || facts(&ours) != facts(want) {
            wrong.push(format!(
                "{} ({}, exit {code:?}):\n{ours}",
                f.display(),
                kept.event.label()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn events_round_trip_through_their_label() {
    for e in [
        Event::None,
        Event::Standby("node2".into()),
        Event::NodeFail("node1".into()),
        Event::OpFail("r0_monitor_10000@node1=7".into()),
    ] {
        assert_eq!(Event::parse(&e.label()), Some(e.clone()));
    }
    assert_eq!(Event::parse("reboot node1"), None);
    assert_eq!(
        op_fail_targets(
            "Executing Cluster Transition:\n  * Resource action: r0 start on node1\n  \
             * Resource action: r0 monitor=10000 on node1\n  * Resource action: r1 monitor on node2\n  \
             * Pseudo action:   g1_start_0\n\nRevised Cluster Status:\n"
        ),
        vec!["r0_start_0@node1", "r0_monitor_10000@node1"]
    );
}
