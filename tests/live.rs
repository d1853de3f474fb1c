//! `--live`: the running cluster's CIB through `cibadmin --query`, with a
//! stand-in `cibadmin` first on PATH: one that prints a fixture, one that
//! is refused access as Pacemaker's is, and none at all.
#![cfg(unix)]

mod common;

use common::{root, scratch, NOW};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory holding a `cibadmin` script with this body.
fn stand_in(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch(&format!("live-{name}"));
    let script = dir.join("cibadmin");
    std::fs::write(&script, format!("#!/bin/sh\n{body}")).expect("script written");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

/// A cibadmin that prints `fixture`, and refuses anything but `--query`;
/// in a directory of its own per test (`name`), as tests run in parallel.
fn serving(name: &str, fixture: &str) -> PathBuf {
    let file = root().join(fixture);
    stand_in(
        name,
        &format!(
            "[ \"$*\" = \"--query\" ] || {{ echo \"unexpected: $*\" >&2; exit 64; }}\ncat '{}'\n",
            file.display()
        ),
    )
}

fn denied() -> PathBuf {
    // What Pacemaker's cibadmin prints and returns (CRM_EX_INSUFFICIENT_PRIV)
    // for a user outside the haclient group.
    stand_in(
        "denied",
        "echo 'Could not connect to the CIB: Permission denied' >&2\nexit 4\n",
    )
}

/// Run cibcheck with only `path_dir` (and the system's tools, unless
/// `alone`) on PATH, from an empty directory (no cibcheck.toml above the
/// scratch area is assumed).
fn run(path_dir: &Path, alone: bool, args: &[&str]) -> common::Run {
    let path = if alone {
        path_dir.display().to_string()
    } else {
        format!("{}:/usr/bin:/bin", path_dir.display())
    };
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .args(args)
        .current_dir(path_dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("cibcheck runs");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn lint_live_reads_the_cluster() {
    let dir = serving("lint", "testdata/examples/drbd-flawed.xml");
    let r = run(
        &dir,
        false,
        &["lint", "--live", "--format", "concise", "--now", NOW],
    );
    assert_eq!(r.code, 1, "findings: {}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("live:cib:147:56: DR001 [error]"),
        "{}",
        r.stdout
    );
    // The same findings as the file itself.
    let file = run(
        &dir,
        false,
        &[
            "lint",
            "--format",
            "concise",
            "--now",
            NOW,
            &root()
                .join("testdata/examples/drbd-flawed.xml")
                .display()
                .to_string(),
        ],
    );
    assert_eq!(r.codes(), file.codes());
}

#[test]
fn simulate_live_with_events() {
    let dir = serving("simulate", "testdata/examples/drbd-vm.xml");
    let r = run(&dir, false, &["simulate", "--live", "--standby", "alice"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Events: standby alice"), "{}", r.stdout);
    assert!(r.stdout.contains("Verdict: 5 moved"), "{}", r.stdout);
    let r = run(&dir, false, &["resilience", "--live", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("\"survives\"") || r.stdout.contains("survives"),
        "{}",
        r.stdout
    );
    // diff --live AFTER: the cluster is BEFORE.
    let after = root().join("testdata/examples/drbd-vm-change.xml");
    let r = run(
        &dir,
        false,
        &["diff", "--live", &after.display().to_string()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Demote"), "{}", r.stdout);
}

#[test]
fn cibadmin_warnings_are_shown_and_the_cib_still_read() {
    let file = root().join("testdata/examples/drbd-vm.xml");
    let dir = stand_in(
        "warns",
        &format!(
            "echo 'warning: the CIB is large, this may take a while' >&2\ncat '{}'\n",
            file.display()
        ),
    );
    let r = run(&dir, false, &["simulate", "--live", "--standby", "alice"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cibadmin: warning: the CIB is large, this may take a while"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("Events: standby alice"), "{}", r.stdout);
}

#[test]
fn access_denied_says_what_to_do() {
    let dir = denied();
    for args in [
        &["simulate", "--live", "--standby", "alice"][..],
        &["resilience", "--live"][..],
        &["lint", "--live"][..],
    ] {
        let r = run(&dir, false, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        // lint reports it as the input's finding (IN000) on stdout.
        let all = format!("{}{}", r.stdout, r.stderr).replace("\n  │ ", " ");
        assert!(
            all.contains("Could not connect to the CIB: Permission denied"),
            "{args:?}: cibadmin's own words: {all}"
        );
        assert!(all.contains("haclient group"), "{args:?}: {all}");
    }
    let r = run(&dir, false, &["simulate", "--live"]);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("live-denied", r.stderr);
    });
}

#[test]
fn without_cibadmin() {
    let dir = scratch("live-absent");
    let r = run(&dir, true, &["simulate", "--live"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("`cibadmin` is not installed or not on PATH"),
        "{}",
        r.stderr
    );
    let r = run(&dir, true, &["lint", "--live", "--format", "concise"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("live:cib:1:1: IN000"), "{}", r.stdout);
}

#[test]
fn live_and_files_are_exclusive_where_one_cib_is_read() {
    let dir = serving("exclusive", "testdata/examples/drbd-vm.xml");
    let r = run(&dir, false, &["simulate", "--live", "x.xml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&dir, false, &["diff", "--live", "a.xml", "b.xml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
