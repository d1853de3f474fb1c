//! The bundled DRBD + Filesystem + VirtualDomain examples (single-primary,
//! dual-primary ordered after promotion, dual-primary with live migration)
//! through node standbys and node failures, compared byte for byte with the
//! installed `crm_simulate` 2.1.5. A standby is given to crm_simulate the
//! way Pacemaker's docs advise for what-if questions: set on a copy of the
//! CIB with `crm_attribute`. Skipped when crm_simulate is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn stdout(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn ours(cib: &Path, event: &[&str]) -> (i32, String) {
    stdout(
        Command::new(env!("CARGO_BIN_EXE_cibcheck"))
            .args(["simulate", "--format", "crm-simulate"])
            .arg(cib)
            .args(event),
    )
}

/// crm_simulate's answer for the same event.
fn theirs(cib: &Path, event: &[&str], scratch: &Path) -> String {
    match event {
        ["--standby", node] => {
            let copy = scratch.join(format!("standby-{node}.xml"));
            std::fs::copy(cib, &copy).expect("copy the CIB");
            let status = Command::new("crm_attribute")
                .env("CIB_file", &copy)
                .args(["--node", node, "--name", "standby", "--update", "on"])
                .status()
                .expect("crm_attribute runs");
            assert!(
                status.success(),
                "crm_attribute failed on {}",
                copy.display()
            );
            stdout(Command::new("crm_simulate").arg("-S").arg("-x").arg(&copy)).1
        }
        _ => {
            stdout(
                Command::new("crm_simulate")
                    .arg("-S")
                    .arg("-x")
                    .arg(cib)
                    .args(event),
            )
            .1
        }
    }
}

const EXAMPLES: &[&str] = &[
    "testdata/examples/drbd-vm.xml",
    "testdata/examples/drbd-vm-dual.xml",
    "testdata/examples/drbd-vm-dual-migrate.xml",
];

/// (example, event) pairs cibcheck still refuses (exit 3), each for a
/// named construct; lifting one must move it to the agreeing set. None
/// today (node failures of DRBD nodes were refused until notifications
/// after fencing were simulated).
const REFUSED: &[(&str, &str)] = &[];

#[test]
fn drbd_vm_examples_agree_with_crm_simulate() {
    if !have("crm_simulate") || !have("crm_attribute") {
        eprintln!("crm_simulate not installed: skipped");
        return;
    }
    let scratch = std::env::temp_dir().join(format!("cibcheck-drbd-vm-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let mut failures = Vec::new();
    let mut compared = 0;
    for ex in EXAMPLES {
        let cib = root().join(ex);
        for event in [
            ["--standby", "alice"],
            ["--standby", "bob"],
            ["--node-fail", "alice"],
            ["--node-fail", "bob"],
            ["--node-fail", "carol"],
        ] {
            let label = event.join(" ");
            let (code, out) = ours(&cib, &event);
            let refused = REFUSED.iter().any(|(e, ev)| e == ex && *ev == label);
            if refused {
                if code != 3 {
                    failures.push(format!("{ex} {label}: listed as refused but exit {code}"));
                }
                continue;
            }
            compared += 1;
            let expected = theirs(&cib, &event, &scratch);
            if code != 0 || out != expected {
                failures.push(format!(
                    "{ex} {label}: exit {code}\n--- crm_simulate\n{expected}\n--- cibcheck\n{out}"
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(compared, 15, "every (example, event) pair is compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn dual_primary_example_migrates_the_vm_on_standby() {
    // Holds without crm_simulate: the example exists to show a live
    // migration, which the test above checks against Pacemaker.
    let (code, out) = ours(
        &root().join("testdata/examples/drbd-vm-dual-migrate.xml"),
        &["--standby", "alice"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("* Migrate    vm-web"), "{out}");
    assert!(out.contains("migrate_to on alice"), "{out}");
    assert!(out.contains("migrate_from on bob"), "{out}");
}
