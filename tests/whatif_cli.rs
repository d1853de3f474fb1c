//! What-if reports end to end on the bundled DRBD + VM example: the table,
//! JSON and dot formats of a standby and a node failure, chained steps
//! (`--then`, `--scenario`), `resilience` and `diff` (snapshots), unknown
//! names, and `--cross-check` against the installed crm_simulate (skipped
//! when it is not installed).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cibcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .current_dir(root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DRBD_VM: &str = "testdata/examples/drbd-vm.xml";
const DRBD_VM_CHANGE: &str = "testdata/examples/drbd-vm-change.xml";
const SCENARIO: &str = "testdata/examples/drbd-vm-scenario.json";

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = cibcheck(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn standby_as_a_table() {
    let out = ok(&["simulate", DRBD_VM, "--standby", "alice"]);
    assert!(out.starts_with("Events: standby alice\n"), "{out}");
    assert!(out.contains("Unpromoted → Promoted"), "{out}");
    assert!(!out.contains("\x1b["), "no colour when piped");
    settings().bind(|| insta::assert_snapshot!("whatif-standby-table", out));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let out = ok(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--color",
        "always",
    ]);
    assert!(out.contains("\x1b["), "{out}");
}

#[test]
fn standby_as_json_v2() {
    let out = ok(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 2);
    let step = &v["steps"][0];
    assert_eq!(step["events"][0], "standby alice");
    // Every action's inputs are actions of the graph, in earlier waves
    // for real actions.
    let actions = step["actions"].as_array().expect("actions");
    let wave = |id: &serde_json::Value| {
        actions
            .iter()
            .find(|a| &a["id"] == id)
            .map(|a| a["wave"].as_u64().unwrap_or(0))
    };
    for a in actions {
        for i in a["inputs"].as_array().expect("inputs") {
            let w = wave(i).expect("input in the graph");
            assert!(w <= a["wave"].as_u64().unwrap_or(0), "{a}");
        }
    }
    assert_eq!(step["summary"]["fenced"].as_array().map(Vec::len), Some(0));
    settings().bind(|| insta::assert_snapshot!("whatif-standby-json", out));
}

#[test]
fn standby_as_dot() {
    let out = ok(&["simulate", DRBD_VM, "--standby", "alice", "--format", "dot"]);
    assert!(out.starts_with(" digraph \"g\" {\n"), "{out}");
    assert!(
        out.contains("fontcolor=\"orange\""),
        "pseudo-actions: {out}"
    );
    assert!(out.contains("\"fs-vm_stop_0 alice\" -> "), "{out}");
    settings().bind(|| insta::assert_snapshot!("whatif-standby-dot", out));
}

#[test]
fn node_failure() {
    // carol runs no DRBD instance: fencing, and its fence device moves.
    let out = ok(&["simulate", DRBD_VM, "--node-fail", "carol"]);
    assert!(out.contains("fencing carol"), "{out}");
    settings().bind(|| insta::assert_snapshot!("whatif-node-fail-table", out));
    let out = ok(&[
        "simulate",
        DRBD_VM,
        "--node-fail",
        "carol",
        "--format",
        "json",
    ]);
    settings().bind(|| insta::assert_snapshot!("whatif-node-fail-json", out));
    // bob runs a DRBD instance: it is fenced, his instance's stop is implied
    // by the fencing, and alice's instance is notified around it.
    let out = ok(&["simulate", DRBD_VM, "--node-fail", "bob"]);
    assert!(out.contains("fencing bob"), "{out}");
    assert!(out.contains("notify"), "{out}");
    settings().bind(|| insta::assert_snapshot!("whatif-node-fail-bob-table", out));
}

#[test]
fn chained_steps() {
    let then = ok(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--then",
        "--online",
        "alice",
        "--node-fail",
        "carol",
    ]);
    assert!(then.contains("Step 1 of 2: standby alice"), "{then}");
    assert!(
        then.contains("Step 2 of 2: online alice, node-fail carol"),
        "{then}"
    );
    // The same steps from a scenario file.
    let file = ok(&["simulate", DRBD_VM, "--scenario", SCENARIO]);
    assert_eq!(then, file);
    settings().bind(|| insta::assert_snapshot!("whatif-scenario-table", then));
    // Options after --then still belong to the command.
    let json = ok(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--then",
        "--format",
        "json",
        "--online",
        "alice",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["steps"].as_array().map(Vec::len), Some(2));
    // The second step starts where the first left: bob is promoted.
    let drbd_after_1: Vec<_> = v["steps"][1]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["role_before"] == "Promoted")
        .map(|r| r["nodes_before"][0].clone())
        .collect();
    assert_eq!(drbd_after_1, [serde_json::json!("bob")]);
    // Each step in crm_simulate's format too.
    let crm = ok(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--then",
        "--online",
        "alice",
        "--format",
        "crm-simulate",
    ]);
    assert!(crm.contains("=== Step 2 of 2: online alice ===\n"), "{crm}");
}

#[test]
fn unknown_names_in_any_step_list_the_valid_ones() {
    let (code, _, err) = cibcheck(&[
        "simulate",
        DRBD_VM,
        "--standby",
        "alice",
        "--then",
        "--node-fail",
        "dave",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("step 2"), "{err}");
    assert!(err.contains("no node named `dave`"), "{err}");
    assert!(err.contains("valid names: alice, bob, carol"), "{err}");
    let (code, _, err) = cibcheck(&["simulate", DRBD_VM, "--ban", "vm@alice"]);
    assert_eq!(code, 2);
    assert!(err.contains("valid names: drbd-vm, drbd-vm-clone"), "{err}");
    let (code, _, err) = cibcheck(&["simulate", DRBD_VM, "--ticket-grant", "t1"]);
    assert_eq!(code, 2);
    assert!(err.contains("no ticket named `t1`"), "{err}");
    let (code, _, err) = cibcheck(&["simulate", DRBD_VM, "--scenario", "nope.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn resilience_table_and_json() {
    let out = ok(&["resilience", DRBD_VM]);
    assert!(out.contains("│ carol ┆ fail "), "{out}");
    settings().bind(|| insta::assert_snapshot!("whatif-resilience-table", out));
    let out = ok(&["resilience", DRBD_VM, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["leaves_stopped"], false);
    settings().bind(|| insta::assert_snapshot!("whatif-resilience-json", out));
}

#[test]
fn resilience_fails_on_stopped_resources() {
    // web-server may only run on alice: losing alice leaves it stopped.
    let pinned = "testdata/simulate/resilience-pinned.xml";
    let (code, out, err) = cibcheck(&["resilience", pinned, "--fail-on", "stopped"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("2 leave a resource stopped"), "{out}");
    let (code, _, _) = cibcheck(&["resilience", pinned]);
    assert_eq!(code, 0, "without --fail-on");
    let (code, out, _) = cibcheck(&["resilience", DRBD_VM, "--fail-on", "stopped"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn diff_shows_the_transition_and_the_lint_delta() {
    let (code, out, err) = cibcheck(&["diff", DRBD_VM, DRBD_VM_CHANGE]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Lint findings the change adds:\n  DR001"),
        "{out}"
    );
    settings().bind(|| insta::assert_snapshot!("whatif-diff-table", out));
    let (code, _, _) = cibcheck(&["diff", DRBD_VM, DRBD_VM_CHANGE, "--fail-on", "move"]);
    assert_eq!(code, 1);
    let (code, _, _) = cibcheck(&["diff", DRBD_VM, DRBD_VM_CHANGE, "--fail-on", "stop,restart"]);
    assert_eq!(code, 0);
    let (code, out, _) = cibcheck(&["diff", DRBD_VM, DRBD_VM_CHANGE, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["lint"]["added"][0]["code"], "DR001");
    assert_eq!(v["lint"]["added"][0]["location"], "drbd-then-fs-vm");
    // No change, no transition.
    let (code, out, _) = cibcheck(&["diff", DRBD_VM, DRBD_VM, "--fail-on", "move,stop,restart"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 moved"), "{out}");
}

fn have_crm_simulate() -> bool {
    Command::new("crm_simulate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn cross_check_agrees_with_crm_simulate() {
    if !have_crm_simulate() {
        eprintln!("crm_simulate not installed: skipped");
        return;
    }
    let (code, _, err) = cibcheck(&[
        "simulate",
        DRBD_VM,
        "--cross-check",
        "--standby",
        "alice",
        "--then",
        "--node-fail",
        "carol",
        "--then",
        "--online",
        "alice",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("agrees with crm_simulate").count(), 3, "{err}");
    let (code, _, err) = cibcheck(&[
        "simulate",
        "testdata/examples/web-standby.xml",
        "--cross-check",
        "--node-fail",
        "alice",
        "--ban",
        "db@bob",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn several_cibs_in_one_process() {
    let files = [DRBD_VM, "testdata/malformed/truncated.xml", DRBD_VM_CHANGE];
    let mut args = vec!["simulate", "--format", "crm-simulate"];
    args.extend(files);
    let (code, out, err) = cibcheck(&args);
    // The bad file's exit code (2) is the worst; the others still ran.
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("testdata/malformed/truncated.xml: exit 2"),
        "{err}"
    );
    // Each file's output, under its header, is what a run on it alone prints.
    let mut expected = String::new();
    for f in files {
        expected.push_str(&format!("==> {f} <==\n"));
        expected.push_str(&cibcheck(&["simulate", "--format", "crm-simulate", f]).1);
    }
    assert_eq!(out, expected);
    assert!(out.contains("Transition Summary:"), "{out}");
}
