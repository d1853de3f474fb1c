//! Differential test of what-if events against the real `crm_simulate`
//! 2.1.5 (skipped when it is not installed). Five event kinds:
//! `--node-fail`, `--node-down`, `--node-up`, `--op-fail` and `--standby`
//! (for crm_simulate: `crm_attribute --node N --name standby --update on` on
//! a temporary copy of the CIB, which is what our `--standby` mimics).
//!
//! Selection is a rule over the corpus, not a list: the cases are taken in
//! the order of a hash of their name (a spread over the whole corpus that
//! does not depend on naming conventions), a case is eligible for a kind
//! when its recorded output (`summary/NAME.summary`, i.e. crm_simulate's
//! own view) yields a target, and the first `WHATIF_DIFF_CASES` (default
//! 200) eligible cases that cibcheck does not refuse (exit 3) are compared.
//! Targets:
//! - node-fail / node-down / standby: the first node of the `Online:` list
//!   on which some resource is active;
//! - node-up: the first node of the `OFFLINE:` list, else as above;
//! - op-fail: the first start or recurring monitor of the recorded
//!   transition, `RSC_TASK_INTERVAL@NODE=1`.
//!
//! A comparison agrees when cibcheck exits 0 and the transition summary
//! and the executed actions equal crm_simulate's (as multisets, whitespace
//! folded). Each kind must agree in ≥ 90% of its compared cases, and
//! `tests/whatif-ratchet.txt` lists the agreeing (kind, case) pairs: a
//! listed pair that is compared and disagrees fails the test, and so does
//! an agreeing pair that is not listed (`WHATIF_BLESS=1` rewrites the list).
//! `WHATIF_DIFF_REPORT=FILE` writes the per-kind figures and disagreements
//! as Markdown. Corpus: `PCMK_CTS` (default `../shared/pcmk-cts`); skipped
//! without it, except under `CI=true`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PCMK_CTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pcmk-cts"));
    if dir.join("xml").is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus {} missing under CI",
            dir.display()
        );
        None
    }
}

fn have_tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn ratchet_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/whatif-ratchet.txt")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    NodeFail,
    NodeDown,
    NodeUp,
    OpFail,
    Standby,
}

const KINDS: [Kind; 5] = [
    Kind::NodeFail,
    Kind::NodeDown,
    Kind::NodeUp,
    Kind::OpFail,
    Kind::Standby,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::NodeFail => "node-fail",
            Kind::NodeDown => "node-down",
            Kind::NodeUp => "node-up",
            Kind::OpFail => "op-fail",
            Kind::Standby => "standby",
        }
    }
    fn parse(s: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.name() == s)
    }
}

/// Lines of a section ("Transition Summary:" …) that are list items,
/// whitespace folded, sorted.
fn section(text: &str, heading: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.trim_start().starts_with("* ") && !l.contains("Injecting attribute"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    out.sort();
    out
}

/// The node names of a `* Online: [ a b ]` style line of the node list.
fn node_list(summary: &str, label: &str) -> Vec<String> {
    let prefix = format!("* {label}: [ ");
    summary
        .lines()
        .take_while(|l| !l.starts_with("Transition Summary:"))
        .filter_map(|l| l.trim().strip_prefix(prefix.as_str()))
        .flat_map(|rest| {
            rest.trim_end_matches(']')
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Nodes on which the current status shows some resource active.
fn busy_nodes(summary: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let current = summary
        .lines()
        .skip_while(|l| !l.starts_with("  * Full List of Resources:"))
        .take_while(|l| !l.starts_with("Transition Summary:"));
    for l in current {
        let t = l.trim();
        for role in ["Started", "Promoted", "Unpromoted"] {
            if let Some(rest) = t.strip_prefix(&format!("* {role}: [ ")) {
                out.extend(
                    rest.trim_end_matches(']')
                        .split_whitespace()
                        .map(String::from),
                );
            }
            let words: Vec<&str> = t.split_whitespace().collect();
            if let Some(pos) = words.iter().position(|w| *w == role) {
                if pos >= 2 {
                    if let Some(n) = words.get(pos + 1) {
                        out.insert((*n).to_string());
                    }
                }
            }
        }
    }
    out
}

fn first_busy_online(summary: &str) -> Option<String> {
    let busy = busy_nodes(summary);
    node_list(summary, "Online")
        .into_iter()
        .find(|n| busy.contains(n))
}

/// The first start or recurring monitor of the recorded transition.
fn op_fail_spec(summary: &str) -> Option<String> {
    let actions = summary
        .lines()
        .skip_while(|l| *l != "Executing Cluster Transition:")
        .skip(1)
        .take_while(|l| !l.is_empty());
    for l in actions {
        let words: Vec<&str> = l.split_whitespace().collect();
        let ["*", "Resource", "action:", rsc, op, "on", node] = words.as_slice() else {
            continue;
        };
        let (task, interval) = op.split_once('=').unwrap_or((op, "0"));
        let wanted = task == "start" || (task == "monitor" && interval != "0");
        if wanted {
            return Some(format!("{rsc}_{task}_{interval}@{node}=1"));
        }
    }
    None
}

/// The event of a kind for a case: (cibcheck args, crm_simulate args,
/// node to put in standby in crm_simulate's copy).
type Event = (Vec<String>, Vec<String>, Option<String>);

fn event(kind: Kind, summary: &str) -> Option<Event> {
    let v = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    match kind {
        Kind::NodeFail => {
            let n = first_busy_online(summary)?;
            Some((v("--node-fail", &n), v("--node-fail", &n), None))
        }
        Kind::NodeDown => {
            let n = first_busy_online(summary)?;
            Some((v("--node-down", &n), v("--node-down", &n), None))
        }
        Kind::NodeUp => {
            let n = node_list(summary, "OFFLINE")
                .into_iter()
                .next()
                .or_else(|| first_busy_online(summary))?;
            Some((v("--node-up", &n), v("--node-up", &n), None))
        }
        Kind::OpFail => {
            let spec = op_fail_spec(summary)?;
            Some((v("--op-fail", &spec), v("--op-fail", &spec), None))
        }
        Kind::Standby => {
            let n = first_busy_online(summary)?;
            Some((v("--standby", &n), Vec::new(), Some(n)))
        }
    }
}

/// FNV-1a: a stable order that spreads the sample over the corpus.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Case {
    name: String,
    xml: PathBuf,
    now: Option<String>,
    summary: String,
}

enum Ours {
    Refused,
    Ran { code: Option<i32>, stdout: String },
}

fn run_ours(bin: &str, case: &Case, args: &[String]) -> Option<Ours> {
    let mut cmd = Command::new(bin);
    cmd.args(["simulate", "--format", "crm-simulate"]);
    if let Some(now) = &case.now {
        cmd.args(["--now", now]);
    }
    let out = cmd.arg(&case.xml).args(args).output().ok()?;
    Some(match out.status.code() {
        Some(3) => Ours::Refused,
        code => Ours::Ran {
            code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        },
    })
}

/// crm_simulate's output, or None when it fails.
fn run_theirs(case: &Case, kind: Kind, ev: &Event, tmp: &Path) -> Option<String> {
    let xml = match &ev.2 {
        Some(node) => {
            let copy = tmp.join(format!("{}-{}.xml", kind.name(), case.name));
            std::fs::copy(&case.xml, &copy).ok()?;
            let st = Command::new("crm_attribute")
                .env("CIB_file", &copy)
                .args(["--node", node, "--name", "standby", "--update", "on"])
                .output()
                .ok()?;
            if !st.status.success() {
                return None;
            }
            copy
        }
        None => case.xml.clone(),
    };
    let mut cmd = Command::new("crm_simulate");
    cmd.args(["-S", "-x"]).arg(&xml).args(&ev.1);
    if let Some(now) = &case.now {
        cmd.args(["--set-datetime", now]);
    }
    let out = cmd.output().ok()?;
    if ev.2.is_some() {
        let _ = std::fs::remove_file(&xml);
    }
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Compared {
    kind: Kind,
    case: String,
    args: String,
    agreed: bool,
    /// Why not: the first differing lines.
    why: String,
}

fn diff_lines(ours: &[String], theirs: &[String]) -> String {
    let count = |v: &[String]| {
        let mut m: BTreeMap<String, i64> = BTreeMap::new();
        for l in v {
            *m.entry(l.clone()).or_default() += 1;
        }
        m
    };
    let (a, b) = (count(ours), count(theirs));
    let mut parts = Vec::new();
    for (l, n) in &b {
        if a.get(l).copied().unwrap_or(0) < *n {
            parts.push(format!("missing `{l}`"));
        }
    }
    for (l, n) in &a {
        if b.get(l).copied().unwrap_or(0) < *n {
            parts.push(format!("extra `{l}`"));
        }
    }
    let more = parts.len().saturating_sub(3);
    parts.truncate(3);
    let mut s = parts.join("; ");
    if more > 0 {
        let _ = write!(s, "; +{more} more");
    }
    s
}

fn compare(kind: Kind, case: &Case, ev: &Event, ours: &Ours, tmp: &Path) -> Option<Compared> {
    let theirs = run_theirs(case, kind, ev, tmp)?;
    let Ours::Ran { code, stdout } = ours else {
        return None;
    };
    let mut why = String::new();
    if *code != Some(0) {
        why = format!("cibcheck exit {code:?}");
    } else {
        for h in ["Transition Summary:", "Executing Cluster Transition:"] {
            let (a, b) = (section(stdout, h), section(&theirs, h));
            if a != b {
                if !why.is_empty() {
                    why.push_str(" | ");
                }
                let _ = write!(why, "{} {}", &h[..h.len() - 1], diff_lines(&a, &b));
            }
        }
    }
    Some(Compared {
        kind,
        case: case.name.clone(),
        args: ev.0.join(" "),
        agreed: why.is_empty(),
        why,
    })
}

fn load_cases(dir: &Path) -> Vec<Case> {
    let nows: BTreeMap<String, String> = std::fs::read_to_string(dir.join("tests.tsv"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let now = cols.get(2)?.trim();
            (!now.is_empty()).then(|| (cols[0].to_string(), now.to_string()))
        })
        .collect();
    let mut cases: Vec<Case> = std::fs::read_dir(dir.join("xml"))
        .expect("corpus xml dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .filter_map(|xml| {
            let name = xml.file_stem()?.to_str()?.to_string();
            let summary =
                std::fs::read_to_string(dir.join("summary").join(format!("{name}.summary")))
                    .ok()?;
            Some(Case {
                now: nows.get(&name).cloned(),
                name,
                xml,
                summary,
            })
        })
        .collect();
    cases.sort_by_key(|c| (fnv(&c.name), c.name.clone()));
    cases
}

/// Run `f` over `items` on `threads` threads, keeping the input order.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..threads.max(1))
            .map(|_| {
                sc.spawn(|| {
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        got.push((i, f(item)));
                    }
                    got
                })
            })
            .collect();
        hs.into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn events_agree_with_crm_simulate() {
    let Some(dir) = corpus() else {
        eprintln!("skipping: no corpus");
        return;
    };
    if !have_tool("crm_simulate") || !have_tool("crm_attribute") {
        eprintln!("skipping: crm_simulate is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cibcheck").to_string();
    let per_kind: usize = std::env::var("WHATIF_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8);
    let tmp = std::env::temp_dir().join(format!("cibcheck-whatif-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let cases = load_cases(&dir);

    let mut compared: Vec<Compared> = Vec::new();
    let mut report = String::new();
    let mut failures = Vec::new();
    for kind in KINDS {
        let eligible: Vec<(&Case, Event)> = cases
            .iter()
            .filter_map(|c| event(kind, &c.summary).map(|e| (c, e)))
            .collect();
        // cibcheck is fast: run it on every eligible case, then compare
        // the first `per_kind` it does not refuse.
        let ours = par_map(&eligible, threads, |(c, e)| run_ours(&bin, c, &e.0));
        let refused = ours
            .iter()
            .filter(|o| matches!(o, Some(Ours::Refused)))
            .count();
        let picked: Vec<(&Case, &Event, &Ours)> = eligible
            .iter()
            .zip(&ours)
            .filter_map(|((c, e), o)| match o {
                Some(o @ Ours::Ran { .. }) => Some((*c, e, o)),
                _ => None,
            })
            .take(per_kind)
            .collect();
        let results = par_map(&picked, threads, |(c, e, o)| compare(kind, c, e, o, &tmp));
        let skipped = results.iter().filter(|r| r.is_none()).count();
        let done: Vec<Compared> = results.into_iter().flatten().collect();
        let agreed = done.iter().filter(|r| r.agreed).count();
        let pct = if done.is_empty() {
            100.0
        } else {
            100.0 * agreed as f64 / done.len() as f64
        };
        let line = format!(
            "| {} | {} | {agreed} | {pct:.1}% | {refused} of {} eligible | {skipped} |",
            kind.name(),
            done.len(),
            eligible.len()
        );
        eprintln!("{line}");
        report.push_str(&line);
        report.push('\n');
        if done.len() < per_kind.min(150) {
            failures.push(format!(
                "{}: only {} cases compared",
                kind.name(),
                done.len()
            ));
        }
        if pct < 90.0 {
            failures.push(format!("{}: agreement {pct:.1}% below 90%", kind.name()));
        }
        compared.extend(done);
    }
    let _ = std::fs::remove_dir_all(&tmp);

    let mut table = String::new();
    for r in compared.iter().filter(|r| !r.agreed) {
        let _ = writeln!(
            table,
            "| {} | {} | `{}` | {} |",
            r.kind.name(),
            r.case,
            r.args,
            r.why.replace('|', "\\|")
        );
    }
    eprintln!("disagreements:\n{table}");
    if let Some(path) = std::env::var_os("WHATIF_DIFF_REPORT") {
        let text = format!(
            "| event | compared | agreed | agreement | cibcheck refused | crm_simulate failed |\n\
             |---|---|---|---|---|---|\n{report}\n\
             | event | case | cibcheck arguments | difference (ours vs crm_simulate) |\n\
             |---|---|---|---|\n{table}"
        );
        std::fs::write(path, text).expect("write report");
    }

    let agreeing: BTreeSet<(Kind, String)> = compared
        .iter()
        .filter(|r| r.agreed)
        .map(|r| (r.kind, r.case.clone()))
        .collect();
    if std::env::var_os("WHATIF_BLESS").is_some() {
        let text: String = agreeing
            .iter()
            .map(|(k, c)| format!("{} {c}\n", k.name()))
            .collect();
        std::fs::write(ratchet_path(), text).expect("write ratchet");
    } else {
        let listed: BTreeSet<(Kind, String)> = std::fs::read_to_string(ratchet_path())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (k, c) = l.split_once(' ')?;
                Some((Kind::parse(k)?, c.to_string()))
            })
            .collect();
        for r in &compared {
            let key = (r.kind, r.case.clone());
            if listed.contains(&key) && !r.agreed {
                failures.push(format!(
                    "regressed: {} {} ({})",
                    r.kind.name(),
                    r.case,
                    r.why
                ));
            }
            if !listed.contains(&key) && r.agreed {
                failures.push(format!(
                    "newly agreeing, not in the ratchet (WHATIF_BLESS=1): {} {}",
                    r.kind.name(),
                    r.case
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
