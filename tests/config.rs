//! cibcheck.toml: discovery from each CIB's directory, `--config` and
//! `--no-config`, flags over the file, per-path overrides, accepted
//! findings and their expiry (judged at `--now`, never the clock), errors
//! located at the offending key, and `cibcheck config`.

mod common;

use common::{root, run_in, snapshots, NOW};
use std::path::PathBuf;

fn repo() -> PathBuf {
    root().join("testdata/config/repo")
}

const CIBS: [&str; 2] = ["cluster/cib.xml", "legacy/old/cib.xml"];

fn lint(extra: &[&str], now: &str) -> common::Run {
    let mut args = vec!["lint", "--format", "concise", "--now", now];
    args.extend_from_slice(extra);
    args.extend_from_slice(&CIBS);
    run_in(&repo(), &args, None)
}

#[test]
fn the_nearest_file_governs_each_cib() {
    let r = lint(&[], NOW);
    // fail-on = "error" and CO001 raised to error: findings fail the run.
    assert_eq!(r.code, 1, "{}", r.stderr);
    let codes = r.codes();
    assert!(!codes.contains(&"MA003".to_owned()), "ignored: {codes:?}");
    assert!(!codes.contains(&"FE001".to_owned()), "accepted: {codes:?}");
    // DE is ignored only under legacy/**.
    assert!(
        r.stdout.contains("cluster/cib.xml:34:93: DE002"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("legacy/old/cib.xml:34:93: DE002"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("CO001 [error]"), "{}", r.stdout);
    snapshots().bind(|| insta::assert_snapshot!("config-lint", r.stdout));
}

#[test]
fn an_acceptance_ends_after_its_until_day() {
    let last_day = lint(&[], "2026-06-30T23:59:59Z");
    assert!(!last_day.codes().contains(&"FE001".to_owned()));
    assert!(!last_day.codes().contains(&"BL003".to_owned()));
    let after = lint(&[], "2026-07-01T00:00:00Z");
    let codes = after.codes();
    assert!(codes.contains(&"FE001".to_owned()), "{codes:?}");
    assert!(
        after
            .stdout
            .contains("cibcheck.toml:12:1: BL003 [warning] the acceptance of FE001 on `opt-stonith-enabled` ended 2026-06-30"),
        "{}",
        after.stdout
    );
    snapshots().bind(|| insta::assert_snapshot!("config-lint-expired", after.stdout));
}

#[test]
fn the_summary_counts_accepted_findings() {
    let r = run_in(
        &repo(),
        &["lint", "--now", NOW, "--format", "json", CIBS[0]],
        None,
    );
    assert_eq!(r.json()["summary"]["accepted"], 1, "{}", r.stdout);
    let r = run_in(
        &repo(),
        &["lint", "--now", NOW, "--width", "100", CIBS[0]],
        None,
    );
    assert!(r.stdout.contains(", 1 accepted"), "{}", r.stdout);
}

#[test]
fn an_acceptance_that_hides_nothing_is_reported() {
    let r = lint(&[], NOW);
    assert!(
        r.stdout.contains("cibcheck.toml:18:1: BL002 [warning] accepted finding CO004 on `order-cycle-that-was-fixed` matches no finding"),
        "{}",
        r.stdout
    );
    // Not when its rule did not run: it could not have matched.
    let r = lint(&["--ignore", "CO004"], NOW);
    assert!(!r.codes().contains(&"BL002".to_owned()), "{}", r.stdout);
}

#[test]
fn flags_override_the_file() {
    // --fail-on info makes the remaining infos fail; --ignore replaces
    // the file's ignore lists (MA003 is back, DE no longer ignored).
    let r = lint(&["--ignore", "FE,BL", "--fail-on", "info"], NOW);
    assert_eq!(r.code, 1);
    let codes = r.codes();
    assert!(codes.contains(&"MA003".to_owned()), "{codes:?}");
    assert!(
        r.stdout.contains("legacy/old/cib.xml:34:93: DE002"),
        "{}",
        r.stdout
    );
    let r = lint(&["--select", "DE"], NOW);
    assert_eq!(r.code, 0, "only infos below fail-on error: {}", r.stdout);
}

#[test]
fn no_config_and_an_explicit_config() {
    let r = lint(&["--no-config"], NOW);
    let codes = r.codes();
    assert!(codes.contains(&"MA003".to_owned()) && codes.contains(&"FE001".to_owned()));
    assert!(r.stdout.contains("CO001 [warning]"), "{}", r.stdout);
    // The repository's file applied to a CIB outside it (from the root).
    let r = run_in(
        &root(),
        &[
            "lint",
            "--format",
            "concise",
            "--now",
            NOW,
            "--config",
            "testdata/config/repo/cibcheck.toml",
            "testdata/cli/findings.xml",
        ],
        None,
    );
    assert!(!r.codes().contains(&"MA003".to_owned()), "{}", r.stdout);
    assert!(r.stdout.contains("CO001 [error]"), "{}", r.stdout);
}

#[test]
fn stdin_finds_the_file_from_the_working_directory() {
    let xml = std::fs::read(repo().join("cluster/cib.xml")).expect("fixture");
    let r = run_in(
        &repo().join("cluster"),
        &["lint", "--format", "concise", "--now", NOW, "-"],
        Some(&xml),
    );
    assert!(!r.codes().contains(&"MA003".to_owned()), "{}", r.stdout);
    assert!(r.stdout.contains("-:33:25: CO001 [error]"), "{}", r.stdout);
}

#[test]
fn config_prints_values_and_their_origin() {
    let r = run_in(
        &repo(),
        &["config", "--now", NOW, "legacy/old/cib.xml"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ignore = [\"MA003\", \"DE\"]  # cibcheck.toml:2: ignore; cibcheck.toml:10: overrides.ignore"), "{}", r.stdout);
    snapshots().bind(|| insta::assert_snapshot!("config-show-legacy", r.stdout));
    let r = run_in(
        &repo(),
        &[
            "config",
            "--now",
            "2026-07-01T00:00:00Z",
            "--fail-on",
            "info",
            "--select",
            "CO,FE",
        ],
        None,
    );
    assert!(
        r.stdout.contains("fail-on = \"info\"  # flag --fail-on"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("expired after 2026-06-30"),
        "{}",
        r.stdout
    );
    snapshots().bind(|| insta::assert_snapshot!("config-show-flags", r.stdout));
    let r = run_in(&repo(), &["--no-config", "config"], None);
    assert!(
        r.stdout.contains("select = [\"ALL\"]  # default"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Configuration file: none"),
        "{}",
        r.stdout
    );
}

#[test]
fn errors_point_at_the_key() {
    for name in ["unknown-key", "bad-glob", "bad-date", "bad-severity"] {
        let file = format!("testdata/config/errors/{name}.toml");
        let r = run_in(
            &root(),
            &["--config", &file, "lint", "testdata/cli/clean.xml"],
            None,
        );
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: nothing is linted");
        assert!(
            r.stderr.contains(&format!("[{file}:")),
            "{name}: {}",
            r.stderr
        );
        snapshots().bind(|| insta::assert_snapshot!(format!("config-error-{name}"), r.stderr));
    }
    let r = run_in(
        &root(),
        &[
            "--config",
            "testdata/config/errors/unknown-key.toml",
            "config",
        ],
        None,
    );
    assert_eq!(r.code, 2, "`config` checks the file too");
}
