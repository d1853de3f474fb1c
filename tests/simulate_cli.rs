//! `cibcheck simulate` end to end: the table, JSON and crm_simulate
//! formats on the bundled example (snapshots), the refusal of constructs
//! not simulated yet, and agreement with the installed `crm_simulate`
//! (skipped when it is not installed).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn simulate(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .current_dir(root())
        .arg("simulate")
        .args(args)
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const EXAMPLE: &str = "testdata/examples/web-standby.xml";

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn table_output_of_the_bundled_example() {
    let (code, out, err) = simulate(&[EXAMPLE, "--color", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Move"), "carol's standby moves db");
    settings().bind(|| insta::assert_snapshot!("simulate-table", out));
}

#[test]
fn json_output_of_the_bundled_example() {
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 2);
    settings().bind(|| insta::assert_snapshot!("simulate-json", out));
}

#[test]
fn crm_simulate_output_of_the_bundled_example() {
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "crm-simulate"]);
    assert_eq!(code, 0, "{err}");
    settings().bind(|| insta::assert_snapshot!("simulate-crm-simulate", out));
}

#[test]
fn unsupported_constructs_are_refused_with_their_location() {
    let (code, out, err) = simulate(&["testdata/simulate/unsupported-rsc-pattern.xml"]);
    assert_eq!(code, 3);
    assert!(out.is_empty(), "no answer is printed");
    assert!(
        err.contains("SIM001") && err.contains("not supported"),
        "{err}"
    );
    assert!(err.contains("rsc-pattern submatches"), "{err}");
    assert!(err.contains("unsupported-rsc-pattern.xml:16"), "{err}");
}

#[test]
fn bad_input_exits_2() {
    let (code, _, err) = simulate(&["testdata/malformed/truncated.xml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = simulate(&["does-not-exist.xml"]);
    assert_eq!(code, 2);
    let (code, _, err) = simulate(&[EXAMPLE, "--now", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("--now"));
}

/// Differential check against Pacemaker's own crm_simulate when present.
#[test]
fn agrees_with_crm_simulate_when_installed() {
    let Ok(real) = Command::new("crm_simulate")
        .args(["-S", "-x"])
        .arg(root().join(EXAMPLE))
        .output()
    else {
        eprintln!("crm_simulate not installed: skipped");
        return;
    };
    if !real.status.success() {
        eprintln!("crm_simulate failed to run here: skipped");
        return;
    }
    let (code, ours, err) = simulate(&[EXAMPLE, "--format", "crm-simulate"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8_lossy(&real.stdout), ours);
}

#[test]
fn live_migration_off_a_standby_node() {
    let cib = "testdata/sched/migrate-standby.xml";
    let (code, out, err) = simulate(&[cib, "--format", "crm-simulate"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("* Migrate    vm      ( alpha -> beta )"),
        "{out}"
    );
    let exec = out
        .split("Executing Cluster Transition:")
        .nth(1)
        .unwrap_or("");
    let pos = |s: &str| exec.find(s).unwrap_or(usize::MAX);
    assert!(
        pos("migrate_to on alpha") < pos("migrate_from on beta"),
        "{out}"
    );
    assert!(pos("migrate_from on beta") < pos("stop on alpha"), "{out}");
    assert!(
        pos("stop on alpha") < pos("Pseudo action:   vm_start_0"),
        "{out}"
    );
    let revised = out.split("Revised Cluster Status:").nth(1).unwrap_or("");
    assert!(revised.contains("Started beta"), "{out}");
}

#[test]
fn what_if_events_reject_unknown_names() {
    for args in [
        ["--node-fail", "nobody"],
        ["--standby", "nobody"],
        ["--ban", "nothing@alice"],
        ["--ticket-grant", "no-such-ticket"],
        ["--op-fail", "nothing_start_0@alice=1"],
    ] {
        let (code, _, err) = simulate(&[EXAMPLE, args[0], args[1]]);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "`{}`",
                args[1].split(['@', '_']).next().unwrap_or("")
            )),
            "{err}"
        );
    }
    let (_, _, err) = simulate(&[EXAMPLE, "--node-up", "nobody"]);
    assert!(err.contains("valid names: alice, bob, carol"), "{err}");
}

#[test]
fn what_if_events_change_the_transition() {
    // carol leaving standby: nothing has to move.
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "crm-simulate", "--online", "carol"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Transition Summary:\n\nExecuting"), "{out}");
    assert!(!out.contains("Performing Requested Modifications"), "{out}");
    // A crm_simulate injection is listed as crm_simulate lists it.
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "crm-simulate", "--node-fail", "bob"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "\nPerforming Requested Modifications:\n  * Failing node bob\n\nTransition Summary:"
        ),
        "{out}"
    );
    // The ban and move constraints crm_resource writes.
    let (code, out, err) = simulate(&[
        EXAMPLE,
        "--format",
        "crm-simulate",
        "--ban",
        "db@alice",
        "--move",
        "web@bob",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Move       db             ( carol -> bob )"),
        "{out}"
    );
    assert!(
        out.contains("Move       web-ip         ( alice -> bob )"),
        "{out}"
    );
}

/// A VirtualDomain (allow-migrate) on a dual-primary DRBD clone: through a
/// node standby, Pacemaker moves the VM by stop/start when it is ordered
/// after the promote (the demote on the standby node cannot wait for a
/// migration), and migrates it when it is ordered after the clone's start
/// or when only a preference moves it.
#[test]
fn drbd_dual_primary_virtual_domain() {
    let cases = [
        (
            "testdata/sched/drbd-dual-primary-vm-standby.xml",
            "* Move       vm1           ( node1 -> node2 )  due to unrunnable ms_drbd_r0 demote",
        ),
        (
            "testdata/sched/drbd-dual-primary-vm-standby-start-order.xml",
            "* Migrate    vm1           ( node1 -> node2 )",
        ),
        (
            "testdata/sched/drbd-dual-primary-vm-prefer.xml",
            "* Migrate    vm1     ( node1 -> node2 )",
        ),
    ];
    for (cib, line) in cases {
        let (code, ours, err) = simulate(&[cib, "--format", "crm-simulate"]);
        assert_eq!(code, 0, "{cib}: {err}");
        assert!(ours.contains(line), "{cib}: {ours}");
        let Ok(real) = Command::new("crm_simulate")
            .args(["-S", "-x"])
            .arg(root().join(cib))
            .output()
        else {
            continue;
        };
        if real.status.success() {
            assert_eq!(String::from_utf8_lossy(&real.stdout), ours, "{cib}");
        }
    }
}

#[test]
fn the_release_profile_is_named_and_chosen() {
    // By default: the bundled example names no release Pacemaker 2.1.5
    // or later in dc-version, so the default profile decides.
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["pacemaker"]["release"], "2.1.5");
    // A series on the command line names its profile.
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "json", "--pacemaker", "3.0"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["pacemaker"]["release"], "3.0.2");
    assert_eq!(v["pacemaker"]["chosen_by"], "--pacemaker");
    // A release without a profile is a usage error.
    let (code, _, err) = simulate(&[EXAMPLE, "--pacemaker", "1.0"]);
    assert_eq!(code, 2);
    assert!(err.contains("no profile"), "{err}");
}

/// The score lines of a `crm_simulate -s` style output, in order.
fn score_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains(" allocation score on ") || l.contains(" promotion score "))
        .collect()
}

#[test]
fn scores_in_crm_simulate_format_read_as_crm_simulate_prints_them() {
    let cib = "testdata/examples/drbd-vm.xml";
    let (code, ours, err) = simulate(&[cib, "--format", "crm-simulate", "--show-scores"]);
    assert_eq!(code, 0, "{err}");
    // The scores sit between the current status and the transition
    // summary, each side set off by a blank line.
    let (before, after) = ours
        .split_once("\n\nTransition Summary:\n")
        .expect("a transition summary");
    let section = before
        .rsplit_once("\n\n")
        .map(|(_, s)| s)
        .expect("a blank line before the scores");
    assert_eq!(section.lines().collect::<Vec<_>>(), score_lines(&ours));
    assert!(score_lines(after).is_empty(), "no scores after the summary");
    for kind in [
        "pcmk__primitive_assign: ",
        "pcmk__clone_allocate: ",
        " promotion score on ",
    ] {
        assert!(section.contains(kind), "{kind} missing:\n{section}");
    }
    settings().bind(|| insta::assert_snapshot!("simulate-crm-simulate-scores", ours));
    // Without --show-scores the output is as before.
    let (_, plain, _) = simulate(&[cib, "--format", "crm-simulate"]);
    assert!(score_lines(&plain).is_empty());
    assert_eq!(ours.replace(&format!("\n{section}\n"), ""), plain);
}

/// The installed crm_simulate, where present, prints the same score lines
/// in the same order for every bundled example.
#[test]
fn scores_agree_with_crm_simulate() {
    let cibs = [
        "testdata/examples/drbd-flawed.xml",
        "testdata/examples/drbd-vm.xml",
        "testdata/examples/drbd-vm-dual.xml",
        "testdata/examples/web-standby.xml",
        "testdata/sched/drbd-dual-primary-vm-standby.xml",
    ];
    for cib in cibs {
        let (code, ours, err) = simulate(&[cib, "--format", "crm-simulate", "--show-scores"]);
        assert_eq!(code, 0, "{cib}: {err}");
        assert!(!score_lines(&ours).is_empty(), "{cib}");
        let Ok(real) = Command::new("crm_simulate")
            .args(["-s", "-S", "-x"])
            .arg(root().join(cib))
            .output()
        else {
            continue;
        };
        if real.status.success() {
            let theirs = String::from_utf8_lossy(&real.stdout);
            assert_eq!(score_lines(&theirs), score_lines(&ours), "{cib}");
        }
    }
}

#[test]
fn scores_in_table_and_json() {
    let cib = "testdata/examples/drbd-vm.xml";
    let (code, out, err) = simulate(&[cib, "--show-scores", "--color", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Allocation and promotion scores"), "{out}");
    assert!(out.contains("  pcmk__clone_allocate: "), "{out}");
    let (code, out, err) = simulate(&[cib, "--format", "json", "--show-scores"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let step = &v["steps"][0];
    let lines = step["scores"].as_array().expect("score lines");
    let entries = step["score_entries"].as_array().expect("score entries");
    assert_eq!(lines.len(), entries.len());
    assert!(entries.iter().any(|e| e["kind"] == "promotion"));
    let first = &entries[0];
    let line = format!(
        "{}: {} allocation score on {}: {}",
        first["function"].as_str().unwrap_or_default(),
        first["resource"].as_str().unwrap_or_default(),
        first["node"].as_str().unwrap_or_default(),
        first["score"].as_str().unwrap_or_default()
    );
    assert_eq!(lines[0], line.as_str());
    // Not asked for: null, not an empty list.
    let (_, out, _) = simulate(&[cib, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(v["steps"][0]["score_entries"].is_null());
    // The 3.0.2 profile names the clone function as 3.0.2 does.
    let (code, out, err) = simulate(&[
        cib,
        "--show-scores",
        "--pacemaker",
        "3.0",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pcmk__clone_assign: "), "{out}");
}

#[test]
fn scores_come_as_comments_with_the_dot_format() {
    let (code, out, err) = simulate(&[EXAMPLE, "--format", "dot", "--show-scores"]);
    assert_eq!(code, 0, "{err}");
    let (comments, graph): (Vec<&str>, Vec<&str>) = out.lines().partition(|l| l.starts_with("// "));
    assert!(
        comments.iter().any(|l| l.contains("allocation score on")),
        "{out}"
    );
    // Every score line comes before the graph, and the graph is unchanged.
    let first_graph_line = out.lines().position(|l| !l.starts_with("// "));
    assert_eq!(first_graph_line, Some(comments.len()));
    let (_, plain, _) = simulate(&[EXAMPLE, "--format", "dot"]);
    assert_eq!(graph.join("\n") + "\n", plain);
}

/// A probe is ordered before the stops its restart would need only through
/// an interleaved clone's paired instance (as crm_simulate's graph has it):
/// the probe of `lower` on the new node must not hold up `upper`'s
/// restarts on the other nodes.
#[test]
fn interleaved_clones_order_probes_only_before_the_paired_instance() {
    let (code, out, err) = simulate(&[
        "testdata/agreement/interleaved-probe-restart-ordering.xml",
        "--format",
        "dot",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"upper:0_stop_0 east\""), "{out}");
    let crossing: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("\"lower:2_monitor_0 west\" -> \"upper:"))
        .filter(|l| l.contains("_stop_0 "))
        .collect();
    assert!(crossing.is_empty(), "{}", crossing.join("\n"));
}
