//! Differential test of what-if events against the real `crm_simulate`,
//! once per Pacemaker release cibcheck models (one implementation,
//! parametrised by [`Release`]):
//!
//! - 2.1.5: Debian's installed `crm_simulate` on `../shared/pcmk-cts`
//!   (`PCMK_CTS`), cibcheck run with `--pacemaker 2.1.5`, ratchet
//!   `tests/whatif-ratchet.txt`; skipped when `crm_simulate` or
//!   `crm_attribute` is not installed;
//! - 3.0.2: the binary named by `CIBCHECK_CRM_SIMULATE_3` (a from-source
//!   build, run with Pacemaker's own suite environment: `LC_ALL=C`,
//!   `PCMK_schema_directory` next to the binary, a private
//!   `CIB_shadow_dir`) on `../shared/pcmk-cts-3.0` (`PCMK_CTS_3`), cibcheck
//!   run with `--pacemaker 3.0.2`, ratchet `tests/whatif-3.0-ratchet.txt`;
//!   skipped (and passing, CI included) when the variable is unset or names
//!   no working binary.
//!
//! Five event kinds: `--node-fail`, `--node-down`, `--node-up`,
//! `--op-fail` and `--standby`. For crm_simulate, standby is the node
//! attribute `standby=on` set in a temporary copy of the CIB, which is what
//! our `--standby` mimics: with 2.1.5's `crm_attribute --node N --name
//! standby --update on`; for 3.0.2 (there is no 3.0.2 `crm_attribute`, and
//! 2.1.5's cannot be trusted on 3.x schemas) with a text edit of the node's
//! entry in `<nodes>` that follows `crm_attribute`'s rules (see
//! [`set_standby`]).
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
//! folded). Each kind must agree in at least the release's floor of its
//! compared cases, and the release's ratchet lists the agreeing (kind,
//! case) pairs: a listed pair that is compared and disagrees fails the
//! test, and so does an agreeing pair that is not listed (`WHATIF_BLESS=1`
//! rewrites the list). `WHATIF_DIFF_REPORT=FILE` (2.1.5) and
//! `WHATIF_DIFF_REPORT_3=FILE` (3.0.2) write the per-kind figures and
//! disagreements as Markdown. Without the corpus a release is skipped,
//! except under `CI=true` when its oracle is there.

mod common;

use common::oracle::{par_map, section, standby_with_crm_attribute, terminated_only};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How crm_simulate is found and run for a release.
#[derive(Clone, Copy)]
enum Oracle {
    /// `crm_simulate` (and `crm_attribute`) on the PATH.
    Installed,
    /// The binary named by this variable, run with Pacemaker's own suite
    /// environment (see [`Release::simulator`]).
    FromEnv(&'static str),
}

/// How standby is put into crm_simulate's copy of the CIB.
#[derive(Clone, Copy)]
enum StandbyBy {
    CrmAttribute,
    /// [`set_standby`]: no matching `crm_attribute` exists.
    TextEdit,
}

/// Everything that differs between the releases compared.
struct Release {
    label: &'static str,
    corpus_env: &'static str,
    corpus_default: &'static str,
    /// cibcheck's `--pacemaker`.
    profile: &'static str,
    oracle: Oracle,
    standby: StandbyBy,
    kinds: &'static [Kind],
    ratchet: &'static str,
    report_env: &'static str,
    /// Minimum agreement per kind, in percent.
    floor: f64,
}

const PCMK_2_1_5: Release = Release {
    label: "2.1.5",
    corpus_env: "PCMK_CTS",
    corpus_default: "../shared/pcmk-cts",
    profile: "2.1.5",
    oracle: Oracle::Installed,
    standby: StandbyBy::CrmAttribute,
    kinds: &KINDS,
    ratchet: "tests/whatif-ratchet.txt",
    report_env: "WHATIF_DIFF_REPORT",
    floor: 90.0,
};

const PCMK_3_0_2: Release = Release {
    label: "3.0.2",
    corpus_env: "PCMK_CTS_3",
    corpus_default: "../shared/pcmk-cts-3.0",
    profile: "3.0.2",
    oracle: Oracle::FromEnv("CIBCHECK_CRM_SIMULATE_3"),
    standby: StandbyBy::TextEdit,
    kinds: &KINDS,
    ratchet: "tests/whatif-3.0-ratchet.txt",
    report_env: "WHATIF_DIFF_REPORT_3",
    floor: 90.0,
};

/// A crm_simulate to run: the program and the environment it needs.
struct Simulator {
    program: PathBuf,
    env: Vec<(&'static str, PathBuf)>,
}

impl Simulator {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }
}

impl Release {
    fn corpus(&self) -> Option<PathBuf> {
        let dir = std::env::var_os(self.corpus_env)
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(self.corpus_default));
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

    /// Whether the oracle was asked for at all: a release whose oracle
    /// comes from a variable is skipped before the corpus is looked at
    /// when the variable is unset (CI never sets it).
    fn oracle_wanted(&self) -> bool {
        match self.oracle {
            Oracle::Installed => true,
            Oracle::FromEnv(var) => std::env::var_os(var).is_some_and(|v| !v.is_empty()),
        }
    }

    /// The working crm_simulate, or why there is none. `shadow` is the
    /// private directory for its temporary shadow CIBs.
    fn simulator(&self, shadow: &Path) -> Result<Simulator, String> {
        let sim = match self.oracle {
            Oracle::Installed => {
                if !have_tool(Command::new("crm_attribute")) {
                    return Err("crm_attribute is not installed".into());
                }
                Simulator {
                    program: PathBuf::from("crm_simulate"),
                    env: Vec::new(),
                }
            }
            Oracle::FromEnv(var) => {
                let program = PathBuf::from(std::env::var_os(var).unwrap_or_default());
                // As Pacemaker's own suite runs it: the C locale, the
                // release's schemas (never the installed 2.1.5 ones) from
                // PREFIX/share/pacemaker for PREFIX/sbin/crm_simulate.
                let schemas = program
                    .parent()
                    .and_then(Path::parent)
                    .map(|p| p.join("share/pacemaker"))
                    .unwrap_or_default();
                let mut env = vec![("LC_ALL", PathBuf::from("C"))];
                if schemas.is_dir() {
                    env.push(("PCMK_schema_directory", schemas));
                }
                env.push(("CIB_shadow_dir", shadow.to_path_buf()));
                Simulator { program, env }
            }
        };
        if have_tool(sim.command()) {
            Ok(sim)
        } else {
            Err(format!("{} does not run", sim.program.display()))
        }
    }

    fn ratchet_path(&self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(self.ratchet)
    }
}

fn have_tool(mut cmd: Command) -> bool {
    cmd.arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
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

fn run_ours(bin: &str, profile: &str, case: &Case, args: &[String]) -> Option<Ours> {
    let mut cmd = Command::new(bin);
    cmd.args([
        "simulate",
        "--format",
        "crm-simulate",
        "--pacemaker",
        profile,
    ]);
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

/// The attributes of the start tag that `tag` begins with (`<name …>` or
/// `<name …/>`), as (name, value, byte range of the value within `tag`),
/// and the length of the tag. Enough for the CIBs of the corpora: no `>`
/// inside attribute values is assumed, quotes are honoured.
type Attrs = Vec<(String, String, std::ops::Range<usize>)>;

fn start_tag(tag: &str) -> Option<(Attrs, usize)> {
    let b = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
    let mut attrs = Vec::new();
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((attrs, i + 1)),
            b'/' if b.get(i + 1) == Some(&b'>') => return Some((attrs, i + 2)),
            _ => {}
        }
        let eq = i + tag[i..].find('=')?;
        let name = tag[i..eq].trim().to_string();
        let mut q = eq + 1;
        while b.get(q).is_some_and(u8::is_ascii_whitespace) {
            q += 1;
        }
        let quote = *b.get(q).filter(|c| **c == b'"' || **c == b'\'')?;
        let end = q + 1 + tag[q + 1..].find(char::from(quote))?;
        attrs.push((name, tag[q + 1..end].to_string(), q + 1..end));
        i = end + 1;
    }
}

fn attr<'a>(attrs: &'a Attrs, name: &str) -> Option<&'a (String, String, std::ops::Range<usize>)> {
    attrs.iter().find(|a| a.0 == name)
}

/// Offsets of the start tags `<name` (followed by a space, `/` or `>`) in
/// `text[from..to]`.
fn tags_named(text: &str, name: &str, from: usize, to: usize) -> Vec<usize> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut i = from;
    while let Some(p) = text.get(i..to).and_then(|t| t.find(&open)) {
        let at = i + p;
        let next = text[at + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>') {
            out.push(at);
        }
        i = at + open.len();
    }
    out
}

/// `cib` with the node attribute `standby=on` set for the cluster node
/// `uname`, as `crm_attribute --node UNAME --name standby --update on`
/// does it: an existing `standby` nvpair anywhere in the node's
/// `instance_attributes` gets the value (more than one: crm_attribute
/// refuses, so do we); otherwise the nvpair `nodes-ID-standby` goes into
/// the set `nodes-ID`, which is created at the end of the node when
/// missing. `None` when the node has no entry in `<nodes>`.
fn set_standby(cib: &str, uname: &str) -> Option<String> {
    let nodes = *tags_named(cib, "nodes", 0, cib.len()).first()?;
    let nodes_end = nodes + cib[nodes..].find("</nodes>")?;
    let (node_at, node_attrs, node_len) = tags_named(cib, "node", nodes, nodes_end)
        .into_iter()
        .filter_map(|at| start_tag(&cib[at..]).map(|(a, len)| (at, a, len)))
        .find(|(_, a, _)| attr(a, "uname").is_some_and(|u| u.1 == uname))?;
    let id = attr(&node_attrs, "id")?.1.clone();
    let set_id = format!("nodes-{id}");
    let nvpair = format!(r#"<nvpair id="{set_id}-standby" name="standby" value="on"/>"#);
    let head_end = node_at + node_len;
    if cib[..head_end].ends_with("/>") {
        // `<node …/>`: give it a body.
        let head = &cib[node_at..head_end - 2];
        return Some(format!(
            r#"{}{head}><instance_attributes id="{set_id}">{nvpair}</instance_attributes></node>{}"#,
            &cib[..node_at],
            &cib[head_end..]
        ));
    }
    let body_end = head_end + cib[head_end..nodes_end].find("</node>")?;
    // Walk the node's children: nvpairs count only inside
    // instance_attributes (a node's utilization holds nvpairs too).
    let mut standby = Vec::new();
    let mut set_open: Option<(usize, usize, bool)> = None;
    let mut in_attrs = false;
    let mut i = head_end;
    while let Some(p) = cib[i..body_end].find('<') {
        let at = i + p;
        let rest = &cib[at..body_end];
        if rest.starts_with("</instance_attributes") || rest.starts_with("</utilization") {
            in_attrs = false;
        } else if !rest.starts_with("</") && !rest.starts_with("<!") && !rest.starts_with("<?") {
            let (attrs, len) = start_tag(rest)?;
            let self_closing = rest[..len].ends_with("/>");
            if rest.starts_with("<instance_attributes") {
                in_attrs = !self_closing;
                if attr(&attrs, "id").is_some_and(|a| a.1 == set_id) {
                    set_open = Some((at, len, self_closing));
                }
            } else if rest.starts_with("<utilization") {
                in_attrs = false;
            } else if in_attrs
                && rest.starts_with("<nvpair")
                && attr(&attrs, "name").is_some_and(|a| a.1 == "standby")
            {
                standby.push((at, attrs, len));
            }
        }
        i = at + 1;
    }
    match standby.as_slice() {
        [] => {}
        [(at, attrs, len)] => {
            return Some(match attr(attrs, "value") {
                Some((_, _, range)) => {
                    format!("{}on{}", &cib[..at + range.start], &cib[at + range.end..])
                }
                None => {
                    let close = if cib[..at + len].ends_with("/>") {
                        2
                    } else {
                        1
                    };
                    let cut = at + len - close;
                    format!(r#"{} value="on"{}"#, &cib[..cut], &cib[cut..])
                }
            });
        }
        _ => return None,
    }
    Some(match set_open {
        Some((at, len, false)) => {
            let cut = at + len;
            format!("{}{nvpair}{}", &cib[..cut], &cib[cut..])
        }
        Some((at, len, true)) => {
            let head = &cib[at..at + len - 2];
            format!(
                "{}{head}>{nvpair}</instance_attributes>{}",
                &cib[..at],
                &cib[at + len..]
            )
        }
        None => format!(
            r#"{}<instance_attributes id="{set_id}">{nvpair}</instance_attributes>{}"#,
            &cib[..body_end],
            &cib[body_end..]
        ),
    })
}

/// crm_simulate's output, or None when it (or setting standby) fails.
fn run_theirs(
    release: &Release,
    sim: &Simulator,
    case: &Case,
    kind: Kind,
    ev: &Event,
    tmp: &Path,
) -> Option<String> {
    let xml = match &ev.2 {
        Some(node) => {
            let copy = tmp.join(format!("{}-{}.xml", kind.name(), case.name));
            match release.standby {
                StandbyBy::CrmAttribute => {
                    if !standby_with_crm_attribute(&case.xml, &copy, node) {
                        return None;
                    }
                }
                StandbyBy::TextEdit => {
                    let text = std::fs::read_to_string(&case.xml).ok()?;
                    std::fs::write(&copy, set_standby(&text, node)?).ok()?;
                }
            }
            copy
        }
        None => case.xml.clone(),
    };
    let mut cmd = sim.command();
    cmd.args(["-S", "-x"]).arg(&xml).args(&ev.1);
    if let Some(now) = &case.now {
        cmd.args(["--set-datetime", now]);
    }
    let out = cmd.output().ok()?;
    if ev.2.is_some() {
        let _ = std::fs::remove_file(&xml);
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() || terminated_only(&out.stderr, &text)).then_some(text)
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

struct Job<'a> {
    release: &'a Release,
    sim: &'a Simulator,
    tmp: &'a Path,
}

fn compare(job: &Job, kind: Kind, case: &Case, ev: &Event, ours: &Ours) -> Option<Compared> {
    let theirs = run_theirs(job.release, job.sim, case, kind, ev, job.tmp)?;
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

#[test]
fn events_agree_with_crm_simulate() {
    events_agree(&PCMK_2_1_5);
}

#[test]
fn events_agree_with_crm_simulate_3_0() {
    events_agree(&PCMK_3_0_2);
}

fn events_agree(release: &Release) {
    let label = release.label;
    if !release.oracle_wanted() {
        if let Oracle::FromEnv(var) = release.oracle {
            eprintln!("skipping {label}: {var} is not set (path to crm_simulate {label})");
        }
        return;
    }
    let Some(dir) = release.corpus() else {
        eprintln!("skipping {label}: no corpus (set {})", release.corpus_env);
        return;
    };
    let tmp = std::env::temp_dir().join(format!("cibcheck-whatif-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let sim = match release.simulator(&tmp) {
        Ok(sim) => sim,
        Err(why) => {
            eprintln!("skipping {label}: {why}");
            let _ = std::fs::remove_dir_all(&tmp);
            return;
        }
    };
    let job = Job {
        release,
        sim: &sim,
        tmp: &tmp,
    };
    let bin = env!("CARGO_BIN_EXE_cibcheck").to_string();
    let per_kind: usize = std::env::var("WHATIF_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8);
    let cases = load_cases(&dir);

    let mut compared: Vec<Compared> = Vec::new();
    let mut report = String::new();
    let mut failures = Vec::new();
    for &kind in release.kinds {
        let eligible: Vec<(&Case, Event)> = cases
            .iter()
            .filter_map(|c| event(kind, &c.summary).map(|e| (c, e)))
            .collect();
        // cibcheck is fast: run it on every eligible case, then compare
        // the first `per_kind` it does not refuse.
        let ours = par_map(&eligible, threads, |(c, e)| {
            run_ours(&bin, release.profile, c, &e.0)
        });
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
        let results = par_map(&picked, threads, |(c, e, o)| compare(&job, kind, c, e, o));
        let skipped = results.iter().filter(|r| r.is_none()).count();
        for ((c, e, _), r) in picked.iter().zip(&results) {
            if r.is_none() {
                eprintln!(
                    "{label}: {}: crm_simulate failed on {} ({})",
                    kind.name(),
                    c.name,
                    e.0.join(" ")
                );
            }
        }
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
        eprintln!("{label}: {line}");
        report.push_str(&line);
        report.push('\n');
        if done.len() < per_kind.min(150) {
            failures.push(format!(
                "{}: only {} cases compared",
                kind.name(),
                done.len()
            ));
        }
        if pct < release.floor {
            failures.push(format!(
                "{}: agreement {pct:.1}% below {}%",
                kind.name(),
                release.floor
            ));
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
    eprintln!("{label} disagreements:\n{table}");
    if let Some(path) = std::env::var_os(release.report_env) {
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
        std::fs::write(release.ratchet_path(), text).expect("write ratchet");
    } else {
        let listed: BTreeSet<(Kind, String)> = std::fs::read_to_string(release.ratchet_path())
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
    assert!(
        failures.is_empty(),
        "crm_simulate {label}:\n{}",
        failures.join("\n")
    );
}

/// The standby edit for 3.0.2 stands in for `crm_attribute`: each of its
/// branches, on small CIB fragments.
#[test]
fn set_standby_follows_crm_attribute() {
    let wrap =
        |nodes: &str| format!("<cib><configuration><nodes>{nodes}</nodes></configuration></cib>");
    // A bare node gets the set `nodes-ID` holding `nodes-ID-standby`.
    assert_eq!(
        set_standby(
            &wrap(r#"<node id="1" uname="a"/><node id="2" uname="b"/>"#),
            "b"
        ),
        Some(wrap(
            r#"<node id="1" uname="a"/><node id="2" uname="b"><instance_attributes id="nodes-2"><nvpair id="nodes-2-standby" name="standby" value="on"/></instance_attributes></node>"#
        ))
    );
    // An existing standby nvpair is updated in place, wherever its set.
    assert_eq!(
        set_standby(
            &wrap(
                r#"<node id="1" uname="a"><instance_attributes id="x"><nvpair id="s" name="standby" value="off"/></instance_attributes></node>"#
            ),
            "a"
        ),
        Some(wrap(
            r#"<node id="1" uname="a"><instance_attributes id="x"><nvpair id="s" name="standby" value="on"/></instance_attributes></node>"#
        ))
    );
    // A utilization nvpair called standby is not a node attribute; the new
    // set goes after the node's other children.
    assert_eq!(
        set_standby(
            &wrap(
                r#"<node id="1" uname="a"><utilization id="u"><nvpair id="s" name="standby" value="off"/></utilization></node>"#
            ),
            "a"
        ),
        Some(wrap(
            r#"<node id="1" uname="a"><utilization id="u"><nvpair id="s" name="standby" value="off"/></utilization><instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/></instance_attributes></node>"#
        ))
    );
    // The set `nodes-ID` already there receives the nvpair.
    assert_eq!(
        set_standby(
            &wrap(
                r#"<node id="1" uname="a"><instance_attributes id="nodes-1"><nvpair id="p" name="x" value="y"/></instance_attributes></node>"#
            ),
            "a"
        ),
        Some(wrap(
            r#"<node id="1" uname="a"><instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/><nvpair id="p" name="x" value="y"/></instance_attributes></node>"#
        ))
    );
    // Two standby nvpairs: crm_attribute refuses; an unknown node: no edit.
    let two = wrap(
        r#"<node id="1" uname="a"><instance_attributes id="i"><nvpair id="s1" name="standby" value="off"/></instance_attributes><instance_attributes id="j"><nvpair id="s2" name="standby" value="off"/></instance_attributes></node>"#,
    );
    assert_eq!(set_standby(&two, "a"), None);
    assert_eq!(set_standby(&wrap(r#"<node id="1" uname="a"/>"#), "z"), None);
}
