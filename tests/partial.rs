//! Partial dumps (`cibadmin --query --scope SECTION`): lint what can be
//! linted, say what is missing, raise no error for what is merely not
//! exported; simulate refuses where nothing can be simulated and reads a
//! `<configuration>` dump as crm_simulate reads it inside a `<cib>`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `<section>…</section>` text of a bundled example, as
/// `cibadmin --query --scope section` would write it.
fn section(example: &str, section: &str) -> String {
    let text = std::fs::read_to_string(root().join("testdata/examples").join(example))
        .expect("example exists");
    let open = format!("<{section}>");
    let close = format!("</{section}>");
    let start = text.find(&open).expect("section present");
    let end = text.find(&close).expect("section closed") + close.len();
    format!("{}\n", &text[start..end])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("temp file written");
    p
}

fn run(args: &[&str], file: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .args(args)
        .arg(file)
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cibcheck-partial-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn section_dumps_lint_without_false_errors() {
    let dir = tempdir("lint");
    for example in ["drbd-vm.xml", "drbd-good.xml", "web-standby.xml"] {
        for sec in [
            "configuration",
            "resources",
            "constraints",
            "nodes",
            "crm_config",
        ] {
            let f = write(&dir, &format!("{sec}-{example}"), &section(example, sec));
            let (code, out, err) = run(
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
            assert_eq!(code, 0, "{example} <{sec}>: {out}{err}");
            assert!(
                out.contains("IN007"),
                "{example} <{sec}>: missing sections not named:\n{out}"
            );
            assert!(
                !out.contains("IN001"),
                "{example} <{sec}>: dangling reference reported:\n{out}"
            );
        }
    }
    // A directory of dumps is walked like a directory of CIBs.
    let (_, out, err) = run(&["lint", "--format", "concise"], &dir);
    assert!(!err.contains("skipped"), "{err}");
    assert_eq!(out.matches("IN007").count(), 15, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn section_dumps_without_nodes_are_not_simulated() {
    let dir = tempdir("sim");
    let f = write(&dir, "resources.xml", &section("drbd-vm.xml", "resources"));
    let (code, out, err) = run(&["simulate"], &f);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("nothing to simulate") && err.contains("<status>"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn configuration_dumps_simulate_as_crm_simulate_reads_them() {
    let dir = tempdir("conf");
    let conf = section("web-standby.xml", "configuration");
    let f = write(&dir, "configuration.xml", &conf);
    let args = [
        "simulate",
        "--format",
        "crm-simulate",
        "--node-up",
        "alice",
        "--node-up",
        "bob",
    ];
    let (code, ours, err) = run(&args, &f);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("holds only <configuration>"), "{err}");
    assert!(ours.contains("Bringing node alice online"), "{ours}");
    // What Pacemaker itself makes of the same configuration in a <cib>.
    let Ok(probe) = Command::new("crm_simulate").arg("--version").output() else {
        eprintln!("crm_simulate not installed: differential part skipped");
        return;
    };
    if !probe.status.success() {
        return;
    }
    let wrapped = write(&dir, "wrapped.xml", &format!("<cib>{conf}</cib>\n"));
    let real = Command::new("crm_simulate")
        .args(["-S", "-u", "alice", "-u", "bob", "-x"])
        .arg(&wrapped)
        .output()
        .expect("crm_simulate runs");
    assert_eq!(
        ours.trim_end(),
        String::from_utf8_lossy(&real.stdout).trim_end()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
