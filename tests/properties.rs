//! Property tests of the scheduler on random small clusters (tests/gen):
//! no panic, the same answer twice, convergence (executing the scheduled
//! transition and scheduling the revised CIB again needs no action) and
//! composed events (standby then online returns to a state that needs no
//! action). `PROPTEST_CASES` sets the number of clusters (default 64).
//!
//! A cluster on which we do not converge is a failure unless the real
//! `crm_simulate` (when installed) does not converge on it either.

mod gen;

use cibcheck::cib::time::Instant;
use cibcheck::cib::{Cib, SourceFile};
use cibcheck::sched::pipeline::{simulate, Simulation};
use cibcheck::whatif::{self, ConfigEvent, Events};
use cibcheck::xml::ParseLimits;
use proptest::prelude::*;
use std::process::Command;

fn load(text: &str) -> Cib {
    let source = SourceFile {
        name: "generated.xml".into(),
        text: text.into(),
    };
    match cibcheck::cib::load(source, ParseLimits::default()) {
        Ok(c) => c,
        Err(e) => panic!("generated CIB does not load: {}\n{text}", e.message),
    }
}

fn now(cib: &Cib) -> Instant {
    cib.execution_date.unwrap_or(Instant(1_700_000_000))
}

/// Simulate, returning the revised CIB reloaded from its XML text (as
/// `crm_simulate -O` would write it). None when the construct is refused.
fn step(cib: &Cib) -> Option<(Simulation, Cib)> {
    let sim = simulate(cib, now(cib)).ok()?;
    // Nothing executed: the CIB itself is the revised state.
    let text = sim.revised.as_ref().unwrap_or(cib).doc.to_xml();
    Some((sim, load(&text)))
}

fn quiet(sim: &Simulation) -> bool {
    sim.transition.summary.is_empty() && sim.transition.executed.is_empty()
}

fn describe(sim: &Simulation) -> String {
    cibcheck::render::crm_simulate::render(sim, None)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // Shrinking re-runs the scheduler many times; keep it bounded.
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

/// Whether crm_simulate converges on `xml` (-S -O, then -S on the result
/// gives an empty transition); None when it is not installed or fails.
fn crm_simulate_converges(xml: &str) -> Option<bool> {
    // One directory per call: the property tests run in parallel threads.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("cibcheck-prop-{}-{call}", std::process::id()));
    let verdict = converges_in(xml, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    verdict
}

fn converges_in(xml: &str, dir: &std::path::Path) -> Option<bool> {
    std::fs::create_dir_all(dir).ok()?;
    let input = dir.join("in.xml");
    let out = dir.join("out.xml");
    std::fs::write(&input, xml).ok()?;
    let first = Command::new("crm_simulate")
        .arg("-S")
        .arg("-x")
        .arg(&input)
        .arg("-O")
        .arg(&out)
        .env("CIB_shadow_dir", dir)
        .output()
        .ok()?;
    // A transition with blocked actions ends "terminated" (non-zero exit)
    // but still writes the revised CIB, which is what is compared.
    if !first.status.success() && !out.exists() {
        return None;
    }
    let second = Command::new("crm_simulate")
        .arg("-S")
        .arg("-x")
        .arg(&out)
        .env("CIB_shadow_dir", dir)
        .output()
        .ok()?;
    // Same here: judge by what it prints.
    if second.stdout.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&second.stdout);
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            section = line.trim();
        } else if matches!(
            section,
            "Transition Summary:" | "Executing Cluster Transition:"
        ) && line.trim_start().starts_with('*')
        {
            return Some(false);
        }
    }
    Some(true)
}

/// Fail unless crm_simulate also fails to converge on `xml`.
fn not_converged(xml: &str, sim: &Simulation, what: &str) -> Result<(), TestCaseError> {
    match crm_simulate_converges(xml) {
        Some(false) => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "{what}: scheduling the revised CIB again still acts:\n{}\nfrom:\n{xml}",
            describe(sim)
        ))),
    }
}

fn apply(cib: &Cib, ev: ConfigEvent) -> Cib {
    let events = Events {
        config: vec![ev],
        ..Default::default()
    };
    match whatif::apply(cib, &events, &|_| Vec::new(), 0) {
        Ok(a) => a.cib,
        Err(e) => panic!("event refused: {}", e.message),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn deterministic_and_convergent(spec in gen::cluster()) {
        let xml = spec.to_xml();
        let cib = load(&xml);
        let Some((first, revised)) = step(&cib) else {
            return Ok(());
        };
        // Same input, same output: the whole text and the revised CIB.
        let (again, revised_again) = step(&cib).expect("refused on the second run");
        prop_assert_eq!(describe(&first), describe(&again));
        prop_assert_eq!(revised.doc.to_xml(), revised_again.doc.to_xml());
        // Convergence.
        if let Some((next, _)) = step(&revised) {
            if !quiet(&next) {
                not_converged(&xml, &next, "convergence")?;
            }
        }
    }

    #[test]
    fn standby_then_online_needs_no_action(spec in gen::cluster(), pick in any::<prop::sample::Index>()) {
        let xml = spec.to_xml();
        let cib = load(&xml);
        // Start from a settled cluster.
        let Some((_, settled)) = step(&cib) else {
            return Ok(());
        };
        let Some((check, _)) = step(&settled) else {
            return Ok(());
        };
        prop_assume!(quiet(&check));
        let online: Vec<usize> = (0..spec.nodes.len())
            .filter(|i| spec.nodes[*i].online && !spec.nodes[*i].standby)
            .collect();
        prop_assume!(!online.is_empty());
        let node = spec.node_name(*pick.get(&online));
        let standby = apply(&settled, ConfigEvent::Standby(node.clone()));
        let Some((_, after_standby)) = step(&standby) else {
            return Ok(());
        };
        let back = apply(&after_standby, ConfigEvent::Online(node.clone()));
        let Some((_, after_online)) = step(&back) else {
            return Ok(());
        };
        if let Some((next, _)) = step(&after_online) {
            if !quiet(&next) {
                // Judge by crm_simulate on the CIB that went back online.
                not_converged(&back.doc.to_xml(), &next, &format!("standby/online {node}"))?;
            }
        }
    }
}
