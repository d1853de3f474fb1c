//! Old-schema CIBs (pacemaker-1.2, 1.3, 2.0 exports with the constructs of
//! their time) are read as Pacemaker 2.1.5 reads them: upgraded in memory
//! first. Each fixture in `testdata/upgrade/` comes with the summary
//! `crm_simulate -S` 2.1.5 printed for it; simulate must print the same,
//! lint must raise no error and must say what the upgrade rewrites. When
//! crm_simulate is installed, it is asked again (differential check).
//! `testdata/agreement/` holds other fixtures of our own with the summary
//! crm_simulate printed for them (constructs of real exports: histories
//! of old Pacemaker versions); they are checked the same way.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_in(dir: &str) -> Vec<PathBuf> {
    let dir = root().join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no fixtures in {}", dir.display());
    v
}

/// The old-schema exports.
fn fixtures() -> Vec<PathBuf> {
    fixtures_in("testdata/upgrade")
}

/// Every fixture that comes with crm_simulate's summary.
fn with_summaries() -> Vec<PathBuf> {
    let mut v = fixtures();
    v.extend(fixtures_in("testdata/agreement"));
    v
}

fn cibcheck(args: &[&str], file: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .args(args)
        .arg(file)
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn old_schema_cibs_simulate_as_crm_simulate_printed() {
    let mut failures = Vec::new();
    for f in with_summaries() {
        let expected = std::fs::read_to_string(f.with_extension("summary")).expect("summary");
        let (code, out) = cibcheck(&["simulate", "--format", "crm-simulate"], &f);
        if code != 0 || out.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{} (exit {code}):\n--- expected\n{expected}\n--- got\n{out}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn old_schema_cibs_agree_with_installed_crm_simulate() {
    let Ok(probe) = Command::new("crm_simulate").arg("--version").output() else {
        eprintln!("crm_simulate not installed: skipped");
        return;
    };
    if !probe.status.success() {
        eprintln!("crm_simulate does not run here: skipped");
        return;
    }
    for f in with_summaries() {
        let real = Command::new("crm_simulate")
            .arg("-S")
            .arg("-x")
            .arg(&f)
            .output()
            .expect("crm_simulate runs");
        let real = String::from_utf8_lossy(&real.stdout).into_owned();
        let (_, ours) = cibcheck(&["simulate", "--format", "crm-simulate"], &f);
        assert_eq!(ours.trim_end(), real.trim_end(), "{}", f.display());
    }
}

#[test]
fn old_schema_cibs_lint_without_errors_and_report_the_upgrade() {
    for f in fixtures() {
        let (code, out) = cibcheck(
            &[
                "lint",
                "--format",
                "concise",
                "--fail-on",
                "error",
                "--now",
                "2026-01-01T00:00:00Z",
            ],
            &f,
        );
        assert_eq!(code, 0, "{}: an error was raised:\n{out}", f.display());
        assert!(
            out.contains("DE004"),
            "{}: upgrade not reported:\n{out}",
            f.display()
        );
        // The CIB as written is what findings point at: no finding may
        // lose its place to the rewrite.
        assert!(
            !out.lines()
                .any(|l| l.contains(":0:0:") || l.contains(":1:1: DE004")),
            "{}: a finding without a place:\n{out}",
            f.display()
        );
    }
}

#[test]
fn the_upgrade_says_what_changes_behaviour() {
    let f = root().join("testdata/upgrade/pcmk20-legacy-options.xml");
    let (_, out) = cibcheck(
        &["lint", "--format", "concise", "--select", "DE004,DE005"],
        &f,
    );
    let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let out = out.replace(&f.display().to_string(), name);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("upgrade-legacy-options-lint", out);
    });
}
