//! Differential fuzzing against the real `crm_simulate` (ignored by
//! default: it runs crm_simulate hundreds of times). Random clusters from
//! tests/gen are simulated by both; the revised placement and the
//! transition (summary and executed actions, as multisets) must agree.
//!
//!     cargo test --release --test differential -- --ignored
//!
//! `DIFF_CASES` clusters (default 200) from a fixed seed (`DIFF_SEED`);
//! disagreements are written to `DIFF_OUT` (default
//! `target/differential/`) as `NAME.xml` with both outputs, to be kept
//! under `testdata/differential/` and listed in docs/reliability.md.

mod gen;

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::sched::pipeline::simulate;
use cibcheck::xml::ParseLimits;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::PathBuf;
use std::process::Command;

fn have_crm_simulate() -> bool {
    Command::new("crm_simulate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The list items of a section, whitespace-normalised and sorted.
fn section(text: &str, heading: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty() && (l.starts_with(' ') || l.starts_with('\t')))
        .filter(|l| l.trim_start().starts_with("* "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    out.sort();
    out
}

/// Everything after "Revised Cluster Status:", whitespace-normalised.
fn revised(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "Revised Cluster Status:")
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// What must agree: placement after the transition, the summary, the
/// executed actions.
fn facts(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    (
        revised(text),
        section(text, "Transition Summary:"),
        section(text, "Executing Cluster Transition:"),
    )
}

#[test]
#[ignore = "runs crm_simulate for hundreds of random clusters"]
fn random_clusters_agree_with_crm_simulate() {
    if !have_crm_simulate() {
        eprintln!("crm_simulate not installed: skipped");
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
    let strategy = gen::cluster();
    let (mut compared, mut refused, mut failed_tool) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for i in 0..cases {
        let spec = strategy.new_tree(&mut runner).expect("a cluster").current();
        let xml = spec.to_xml();
        let source = SourceFile {
            name: format!("case{i}.xml"),
            text: xml.as_str().into(),
        };
        let cib = cibcheck::cib::load(source, ParseLimits::default()).expect("generated CIB loads");
        let now = cib.execution_date.unwrap_or(Instant(1_700_000_000));
        let ours = match simulate(&cib, now) {
            Ok(sim) => cibcheck::render::crm_simulate::render(
                &sim,
                cib.execution_date
                    .map(cibcheck::render::crm_simulate::TimeNote::Original),
            ),
            Err(_) => {
                refused += 1;
                continue;
            }
        };
        let input = tmp.join("in.xml");
        std::fs::write(&input, &xml).expect("write");
        let theirs = match Command::new("crm_simulate")
            .arg("-S")
            .arg("-x")
            .arg(&input)
            .env("CIB_shadow_dir", &tmp)
            .output()
        {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
            _ => {
                failed_tool += 1;
                continue;
            }
        };
        compared += 1;
        if facts(&ours) != facts(&theirs) {
            let name = format!("seed{seed}-case{i}");
            let text = format!(
                "{xml}<!--\ncibcheck simulate --format crm-simulate:\n{}\ncrm_simulate -S:\n{}\n-->\n",
                ours.replace("--", "- -"),
                theirs.replace("--", "- -")
            );
            std::fs::write(out_dir.join(format!("{name}.xml")), text).expect("write");
            disagreements.push(name);
        }
    }
    eprintln!(
        "differential: {cases} clusters, {compared} compared, {refused} refused by cibcheck, \
         {failed_tool} failed in crm_simulate, {} disagree",
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "disagreements written to {}: {}",
        out_dir.display(),
        disagreements.join(" ")
    );
}
