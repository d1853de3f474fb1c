//! `cibcheck upgrade-review` end to end: the same CIB scheduled as
//! Pacemaker 2.1.5 and 3.0.2 side by side (table and JSON snapshots on
//! fixtures where the releases differ, and one where they do not), the
//! exit codes, and `lint --target` on the bundled upgrade example.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cibcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .current_dir(root())
        .args(args)
        .env_remove("CIBCHECK_PACEMAKER")
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

const NO_DEVICE: &str = "testdata/upgrade-review/fencing-enabled-no-device.xml";
const EXAMPLE: &str = "testdata/examples/upgrade-3.0.xml";

#[test]
fn fencing_enabled_without_a_device_starts_only_under_3_0() {
    // 2.1.5 ignores fencing-enabled=false: fencing stays on and, with no
    // device, nothing starts; 3.0 obeys it and starts web-ip.
    let (code, out, err) = cibcheck(&["upgrade-review", NO_DEVICE, "--color", "never"]);
    assert_eq!(code, 1, "a difference exits 1: {err}");
    assert!(out.contains("Verdict: 1 resource placed differently, 1 action differs."));
    assert!(out.contains("UP024"), "the upgrade finding is summarised");
    settings().bind(|| insta::assert_snapshot!("upgrade-review-no-device-table", out));
}

#[test]
fn json_output_is_versioned_and_agrees_with_the_table() {
    let (code, out, err) = cibcheck(&["upgrade-review", NO_DEVICE, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["from"]["release"], "2.1.5");
    assert_eq!(v["to"]["release"], "3.0.2");
    assert_eq!(v["summary"]["placed_differently"], 1);
    assert_eq!(v["actions"]["only_to"][0]["task"], "start");
    assert_eq!(v["lint"]["counts"]["warning"], 1);
    settings().bind(|| insta::assert_snapshot!("upgrade-review-no-device-json", out));
}

#[test]
fn a_node_failure_is_fenced_only_under_2_1_5_in_the_example() {
    let (code, out, err) = cibcheck(&[
        "upgrade-review",
        EXAMPLE,
        "--node-fail",
        "alice",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(
        "Under 2.1.5: 2 moved (fence-ipmi, shop-db), 0 stopped and left stopped; fencing alice."
    ));
    assert!(out.contains("Under 3.0.2: 0 moved, 1 stopped and left stopped (shop-ip); no fencing."));
    settings().bind(|| insta::assert_snapshot!("upgrade-review-example-node-fail", out));
}

#[test]
fn clone_node_max_without_globally_unique() {
    // Pacemaker 3.0.2 runs four instances here (globally-unique defaults
    // to true); the snapshot shows what the 3.0.2 profile decides today.
    let (code, out, err) = cibcheck(&[
        "upgrade-review",
        "testdata/upgrade-review/clone-node-max.xml",
        "--all",
        "--color",
        "never",
    ]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(out.contains("UP007 [warning] `ip-clone`"));
    settings().bind(|| insta::assert_snapshot!("upgrade-review-clone-node-max", out));
}

#[test]
fn no_difference_exits_0() {
    let (code, out, err) = cibcheck(&[
        "upgrade-review",
        "testdata/upgrade-review/same.xml",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Verdict: no difference."));
    assert!(out.contains("Upgrade findings (lint --target 3.0.2): none"));
}

#[test]
fn the_same_release_on_both_sides_never_differs() {
    let (code, out, _) = cibcheck(&[
        "upgrade-review",
        NO_DEVICE,
        "--from",
        "3.0",
        "--to",
        "3.0.2",
        "--color",
        "never",
    ]);
    assert!(out.contains("Verdict: no difference."), "{out}");
    // The upgrade finding compares with the release read today (3.0):
    // fencing-enabled is already obeyed, so it is not reported.
    assert!(!out.contains("UP024"), "{out}");
    assert_eq!(code, 0);
}

#[test]
fn an_unknown_release_is_a_usage_error() {
    let (code, _, err) = cibcheck(&["upgrade-review", NO_DEVICE, "--to", "1.0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--to 1.0: no profile"), "{err}");
    let (code, _, err) = cibcheck(&["lint", NO_DEVICE, "--target", "0.9"]);
    assert_eq!(code, 2);
    assert!(err.contains("--target 0.9: no profile"), "{err}");
}

#[test]
fn lint_target_reports_the_example_upgrade_findings() {
    let (code, out, err) = cibcheck(&[
        "lint", EXAMPLE, "--target", "3.0", "--select", "UP", "--format", "concise",
    ]);
    assert_eq!(code, 1, "warnings fail by default: {err}");
    settings().bind(|| insta::assert_snapshot!("upgrade-lint-target-example", out));
    // Without a target the same CIB (dc-version 2.1.5) raises no UP rule.
    let (code, out, _) = cibcheck(&["lint", EXAMPLE, "--select", "UP", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim().is_empty() || !out.contains("UP0"), "{out}");
}
