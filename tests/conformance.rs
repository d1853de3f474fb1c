//! Conformance with Pacemaker 2.1.5's scheduler, on a corpus laid out like
//! `../shared/pcmk-cts` (`xml/NAME.xml`, `summary/NAME.summary`,
//! `tests.tsv`). Each case is simulated in-process and scored with the same
//! levels as `conformance/score.py`:
//!
//! - L0 "Current cluster status" section, exact
//! - L1 "Revised Cluster Status" section, exact
//! - L2 "Transition Summary" lines as a multiset (whitespace folded)
//! - L3 "Executing Cluster Transition" lines as a multiset (folded)
//! - L4 the whole output, byte for byte
//! - S the allocation and promotion scores (`scores/NAME.scores`, what
//!   `crm_simulate -sSQ` printed): sorted lines, compared as Pacemaker's
//!   cts-scheduler compares them (it sorts both outputs and diffs them);
//!   crm_simulate's output there ends with one blank line, which sorts
//!   first
//!
//! The checked-in ratchet (`tests/conformance-ratchet.txt`) lists the cases
//! passing each level. A listed case that fails now fails the test; a case
//! that passes but is not listed fails it too, so improvements are recorded
//! in the commit that makes them (`CONFORMANCE_BLESS=1 cargo test --release
//! --test conformance` rewrites the list). The corpus path comes from
//! `PCMK_CTS` (default `../shared/pcmk-cts`); without it the test skips,
//! except under `CI=true`, where a missing corpus is an error.
//!
//! `CONFORMANCE_SCORES_DIFFS=DIR` writes our sorted scores of each case
//! failing level S to `DIR/PROFILE/NAME.scores`, to diff with the corpus.
//!
//! The same holds for Pacemaker 3.0.2's corpus (`PCMK_CTS_3`, default
//! `../shared/pcmk-cts-3.0`), simulated with the 3.0.2 profile, with its
//! own ratchet (`tests/conformance-3.0-ratchet.txt`).

use cibcheck::cib::time::{parse_instant, Instant};
use cibcheck::cib::SourceFile;
use cibcheck::render::crm_simulate;
use cibcheck::sched::pipeline::simulate_with;
use cibcheck::xml::ParseLimits;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const LEVELS: [&str; 6] = ["L0", "L1", "L2", "L3", "L4", "S"];

/// One corpus, the profile it is simulated under, and its ratchet.
struct Corpus {
    env: &'static str,
    default_dir: &'static str,
    ratchet: &'static str,
    profile: &'static str,
}

const CORPUS_2_1_5: Corpus = Corpus {
    env: "PCMK_CTS",
    default_dir: "../shared/pcmk-cts",
    ratchet: "tests/conformance-ratchet.txt",
    profile: "2.1.5",
};

const CORPUS_3_0_2: Corpus = Corpus {
    env: "PCMK_CTS_3",
    default_dir: "../shared/pcmk-cts-3.0",
    ratchet: "tests/conformance-3.0-ratchet.txt",
    profile: "3.0.2",
};

impl Corpus {
    fn dir(&self) -> PathBuf {
        match std::env::var_os(self.env) {
            Some(p) => PathBuf::from(p),
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(self.default_dir),
        }
    }
    fn ratchet_path(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(self.ratchet)
    }
}

/// The sections of a crm_simulate-style output, keyed by heading.
fn sections(text: &str) -> HashMap<&'static str, Vec<&str>> {
    let headings = [
        ("current cluster status:", "current"),
        ("performing requested modifications:", "modifications"),
        ("transition summary:", "summary"),
        ("executing cluster transition:", "actions"),
        ("revised cluster status:", "revised"),
    ];
    let mut out: HashMap<&'static str, Vec<&str>> = HashMap::new();
    let mut cur = "preamble";
    out.insert(cur, Vec::new());
    for line in text.lines() {
        let key = headings
            .iter()
            .find(|(h, _)| line.trim().to_lowercase() == *h)
            .map(|(_, k)| *k);
        if let Some(k) = key {
            if !line.starts_with(' ') {
                cur = k;
                out.entry(cur).or_default();
                continue;
            }
        }
        out.entry(cur).or_default().push(line);
    }
    for lines in out.values_mut() {
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
    }
    out
}

fn fold(lines: Option<&Vec<&str>>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for l in lines.into_iter().flatten() {
        let t = l.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            *m.entry(t).or_insert(0) += 1;
        }
    }
    m
}

/// Which levels an output passes against the expected summary.
fn score(expected: &str, actual: &str) -> [bool; 5] {
    let e = sections(expected);
    let a = sections(actual);
    let exact = |k: &str| a.contains_key(k) && e.get(k) == a.get(k);
    let folded = |k: &str| a.contains_key(k) && fold(e.get(k)) == fold(a.get(k));
    [
        exact("current"),
        exact("revised"),
        folded("summary"),
        folded("actions"),
        expected == actual,
    ]
}

/// Whether our scores match the expected `.scores` file, as cts-scheduler
/// compares them: both sorted, line by line.
fn scores_match(expected: &str, ours: &[String]) -> bool {
    let mut want: Vec<&str> = expected.lines().collect();
    want.sort_unstable();
    let mut got: Vec<&str> = ours.iter().map(String::as_str).collect();
    got.push("");
    got.sort_unstable();
    want == got
}

/// Simulate one case as `cibcheck simulate --format crm-simulate
/// --show-scores` would: the output without the scores, and the score
/// lines; `None` when the CIB does not load or uses an unsupported
/// construct.
fn run_case(xml: &Path, now: Option<&str>, profile: &str) -> Option<(String, Vec<String>)> {
    let text = std::fs::read_to_string(xml).ok()?;
    let mut cib = cibcheck::cib::load(
        SourceFile {
            name: xml.display().to_string(),
            text: Arc::from(text),
        },
        ParseLimits::default(),
    )
    .ok()?;
    // As `--pacemaker PROFILE` would read it.
    cib.pacemaker = cibcheck::profile::by_name(profile)?;
    let original = crm_simulate::TimeNote::for_run(cib.pacemaker, now, cib.execution_date);
    let now = match now {
        Some(n) => parse_instant(n)?,
        None => cib.execution_date.unwrap_or_else(Instant::now),
    };
    let sim = simulate_with(&cib, now, &[], true).ok()?;
    Some((
        crm_simulate::render(&sim, original),
        sim.transition.scores.lines(),
    ))
}

fn load_cases(corpus: &Path) -> Vec<(String, Option<String>)> {
    let tsv = std::fs::read_to_string(corpus.join("tests.tsv")).expect("tests.tsv is readable");
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            let now = parts
                .get(2)
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string());
            (parts[0].to_string(), now)
        })
        .collect()
}

fn read_ratchet(corpus: &Corpus) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut m: BTreeMap<&'static str, BTreeSet<String>> =
        LEVELS.iter().map(|l| (*l, BTreeSet::new())).collect();
    let text = std::fs::read_to_string(corpus.ratchet_path()).unwrap_or_default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((level, case)) = line.split_once(' ') {
            if let Some(l) = LEVELS.iter().find(|l| **l == level) {
                m.entry(l).or_default().insert(case.to_string());
            }
        }
    }
    m
}

fn write_ratchet(corpus: &Corpus, passing: &BTreeMap<&'static str, BTreeSet<String>>) {
    let mut out = String::from(
        "# Conformance ratchet: corpus cases passing each level (tests/conformance.rs).\n\
         # Regenerate with CONFORMANCE_BLESS=1 cargo test --release --test conformance\n",
    );
    for (level, cases) in passing {
        for c in cases {
            out.push_str(&format!("{level} {c}\n"));
        }
    }
    std::fs::write(corpus.ratchet_path(), out).expect("ratchet file is writable");
}

#[test]
fn conformance_ratchet_holds() {
    ratchet_holds(&CORPUS_2_1_5);
}

#[test]
fn conformance_3_0_ratchet_holds() {
    ratchet_holds(&CORPUS_3_0_2);
}

fn ratchet_holds(which: &Corpus) {
    let corpus = which.dir();
    if !corpus.join("tests.tsv").is_file() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("corpus missing at {} under CI", corpus.display());
        }
        eprintln!(
            "conformance: skipped, no corpus at {} (set {})",
            corpus.display(),
            which.env
        );
        return;
    }
    let cases = load_cases(&corpus);
    let mut passing: BTreeMap<&'static str, BTreeSet<String>> =
        LEVELS.iter().map(|l| (*l, BTreeSet::new())).collect();
    let mut refused = 0;
    for (name, now) in &cases {
        let xml = corpus.join("xml").join(format!("{name}.xml"));
        let expected =
            std::fs::read_to_string(corpus.join("summary").join(format!("{name}.summary")))
                .expect("summary is readable");
        let Some((actual, scores)) = run_case(&xml, now.as_deref(), which.profile) else {
            refused += 1;
            continue;
        };
        for (i, ok) in score(&expected, &actual).iter().enumerate() {
            if *ok {
                passing.entry(LEVELS[i]).or_default().insert(name.clone());
            }
        }
        let scores_file = corpus.join("scores").join(format!("{name}.scores"));
        if let Ok(want) = std::fs::read_to_string(&scores_file) {
            if scores_match(&want, &scores) {
                passing.entry("S").or_default().insert(name.clone());
            } else if let Some(dir) = std::env::var_os("CONFORMANCE_SCORES_DIFFS") {
                // For working on the scores level: ours, sorted as theirs.
                let mut got = scores.clone();
                got.push(String::new());
                got.sort_unstable();
                let dir = PathBuf::from(dir).join(which.profile);
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(format!("{name}.scores")), got.join("\n") + "\n");
            }
        }
    }
    println!(
        "conformance ({}): cases={} {} refused={}",
        which.profile,
        cases.len(),
        LEVELS
            .iter()
            .map(|l| format!("{l}={}", passing[l].len()))
            .collect::<Vec<_>>()
            .join(" "),
        refused
    );
    if std::env::var("CONFORMANCE_BLESS").is_ok_and(|v| v == "1") {
        write_ratchet(which, &passing);
        return;
    }
    let recorded = read_ratchet(which);
    let mut problems = Vec::new();
    for l in LEVELS {
        for c in recorded[l].difference(&passing[l]) {
            problems.push(format!("regressed: {l} {c}"));
        }
        for c in passing[l].difference(&recorded[l]) {
            problems.push(format!("newly passing, not recorded: {l} {c}"));
        }
    }
    assert!(
        problems.is_empty(),
        "conformance ratchet {} out of date ({} entries; rerun with CONFORMANCE_BLESS=1 to \
         record improvements):\n{}",
        which.ratchet,
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn scoring_matches_the_reference_scorer() {
    let expected = "Current cluster status:\n  * a\n\nTransition Summary:\n  * Start   x   ( n1 )\n\nRevised Cluster Status:\n  * b\n";
    let actual = "Current cluster status:\n  * a\n\nTransition Summary:\n  * Start x ( n1 )\n\nRevised Cluster Status:\n  * c\n";
    assert_eq!(score(expected, actual), [true, false, true, false, false]);
    assert_eq!(score(expected, expected), [true, true, true, false, true]);
}

#[test]
fn scores_compare_sorted_with_the_trailing_blank_line() {
    let expected = "\na: x allocation score on n1: 0\nb promotion score on n1: 5\n";
    let ours = vec![
        "b promotion score on n1: 5".to_string(),
        "a: x allocation score on n1: 0".to_string(),
    ];
    assert!(scores_match(expected, &ours));
    assert!(!scores_match(expected, &ours[..1]));
    // A score printed twice must be printed twice.
    let twice = [ours.clone(), ours[..1].to_vec()].concat();
    assert!(!scores_match(expected, &twice));
}
