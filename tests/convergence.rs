//! Convergence on Pacemaker's regression corpus: for every case listed in
//! `tests/convergent-cases.txt` (those on which crm_simulate 2.1.5 itself
//! converges, found by `scripts/convergent-cases.py`), executing our
//! transition and scheduling the revised CIB again must need no action.
//! Cases we refuse (SIM001) are skipped and counted. Corpus: `PCMK_CTS`
//! (default `../shared/pcmk-cts`); skipped without it, except under
//! `CI=true`.

use cibcheck::cib::time::{parse_instant, Instant};
use cibcheck::cib::{Cib, SourceFile};
use cibcheck::sched::pipeline::simulate;
use cibcheck::xml::ParseLimits;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
        eprintln!("convergence: skipped, no corpus at {}", dir.display());
        None
    }
}

fn load(name: String, text: String) -> Result<Cib, String> {
    let source = SourceFile {
        name,
        text: text.into(),
    };
    cibcheck::cib::load(source, ParseLimits::default()).map_err(|e| e.message)
}

/// `--now` per case (tests.tsv column 3).
fn nows(dir: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(dir.join("tests.tsv")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let name = f.next()?;
            let now = f.nth(1)?.trim();
            (!now.is_empty()).then(|| (name.to_owned(), now.to_owned()))
        })
        .collect()
}

enum Outcome {
    Converges,
    Refused,
    Acts(String),
}

fn check(dir: &Path, name: &str, now: Option<&String>) -> Outcome {
    let path = dir.join("xml").join(format!("{name}.xml"));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return Outcome::Acts(format!("cannot read: {e}")),
    };
    let cib = match load(name.to_owned(), text) {
        Ok(c) => c,
        Err(e) => return Outcome::Acts(format!("does not load: {e}")),
    };
    let now = match now.and_then(|n| parse_instant(n)) {
        Some(n) => n,
        None => cib.execution_date.unwrap_or_else(Instant::now),
    };
    let Ok(first) = simulate(&cib, now) else {
        return Outcome::Refused;
    };
    // Nothing executed: the CIB itself is the revised state.
    let text = first.revised.as_ref().unwrap_or(&cib).doc.to_xml();
    let revised = match load(format!("{name} (revised)"), text) {
        Ok(c) => c,
        Err(e) => return Outcome::Acts(format!("revised CIB does not load: {e}")),
    };
    match simulate(&revised, now) {
        // The executed state holds a construct not simulated yet (exit 3):
        // not checkable, and not a wrong answer either.
        Err(_) => Outcome::Refused,
        Ok(sim) if sim.transition.summary.is_empty() && sim.transition.executed.is_empty() => {
            Outcome::Converges
        }
        Ok(sim) => Outcome::Acts(
            cibcheck::render::crm_simulate::render(&sim, None)
                .lines()
                .filter(|l| l.starts_with("  * ") && !l.starts_with("    "))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

#[test]
fn simulate_then_resimulate_needs_no_action() {
    let Some(dir) = corpus() else { return };
    let list = include_str!("convergent-cases.txt");
    let cases: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        cases.len() > 400,
        "convergent-cases.txt lists {}",
        cases.len()
    );
    let nows = nows(&dir);
    let (mut converged, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for name in &cases {
        match check(&dir, name, nows.get(*name)) {
            Outcome::Converges => converged += 1,
            Outcome::Refused => refused += 1,
            Outcome::Acts(what) => failures.push(format!("{name}:\n{what}")),
        }
    }
    eprintln!(
        "convergence: {} cases, {converged} converge, {refused} refused, {} do not converge",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} cases act again after their transition:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
