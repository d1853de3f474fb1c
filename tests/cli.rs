//! The `cibcheck lint` command line, run as a process: exit codes,
//! selection, stdin, directories, batches with bad files, baselines.
//!
//! Fixtures: `testdata/cli/clean.xml` (no finding), `testdata/cli/findings.xml`
//! (one error, three warnings, two infos), `testdata/cli/tree/` (a directory
//! with a CIB, a nested CIB, a non-CIB XML file and a text file).

mod common;

use common::{root, run, run_in, scratch, NOW};

const CLEAN: &str = "testdata/cli/clean.xml";
const FINDINGS: &str = "testdata/cli/findings.xml";
const TRUNCATED: &str = "testdata/malformed/truncated.xml";

fn lint(extra: &[&str]) -> common::Run {
    let mut args = vec!["lint", "--now", NOW, "--format", "concise"];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn clean_file_exits_0_and_prints_nothing() {
    let r = lint(&[CLEAN]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn findings_at_or_above_fail_on_exit_1() {
    let r = lint(&[FINDINGS]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.codes(),
        ["FE001", "MA001", "FE004", "MA003", "CO001", "DE002"]
    );
    // The default threshold is warning: warnings alone fail.
    assert_eq!(lint(&["--ignore", "FE004", FINDINGS]).code, 1);
    // Infos alone do not, unless asked.
    assert_eq!(lint(&["--select", "MA003,DE002", FINDINGS]).code, 0);
    assert_eq!(
        lint(&["--select", "MA003,DE002", "--fail-on", "info", FINDINGS]).code,
        1
    );
    // --fail-on error: the one error fails, warnings alone do not.
    assert_eq!(lint(&["--fail-on", "error", FINDINGS]).code, 1);
    assert_eq!(
        lint(&["--fail-on", "error", "--ignore", "FE004", FINDINGS]).code,
        0
    );
}

#[test]
fn exit_zero_ignores_findings_but_not_input_errors() {
    let r = lint(&["--exit-zero", FINDINGS]);
    assert_eq!(r.code, 0);
    assert_eq!(r.codes().len(), 6, "findings are still printed");
    let r = lint(&["--exit-zero", FINDINGS, TRUNCATED]);
    assert_eq!(r.code, 2, "input errors still exit 2");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["lint", "--bogus", CLEAN],
        vec!["lint"],
        vec!["lint", "--select", "ZZ9", CLEAN],
        vec!["lint", "--ignore", "NOPE", CLEAN],
        vec!["lint", "--now", "yesterday", CLEAN],
        vec!["lint", "--format", "xml", CLEAN],
        vec!["lint", "--fail-on", "fatal", CLEAN],
        vec![
            "lint",
            "--baseline",
            "testdata/cli/no-such-baseline.json",
            CLEAN,
        ],
        vec!["lint", "--baseline", CLEAN, CLEAN],
        vec!["frobnicate"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?} explains itself");
        assert_eq!(r.stdout, "", "{args:?} prints no results");
    }
    let r = run(&["lint", "--select", "ZZ9", CLEAN]);
    assert!(r.stderr.contains("ZZ9"), "{}", r.stderr);
    // --help and --version are not errors.
    assert_eq!(run(&["lint", "--help"]).code, 0);
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn select_and_ignore_by_code_and_prefix() {
    assert_eq!(
        lint(&["--select", "FE", FINDINGS]).codes(),
        ["FE001", "FE004"]
    );
    // Case-insensitive, comma-separated or repeated.
    assert_eq!(
        lint(&["--select", "fe001,ma", "--select", "DE002", FINDINGS]).codes(),
        ["FE001", "MA001", "MA003", "DE002"]
    );
    assert_eq!(
        lint(&["--ignore", "MA,DE", "--ignore", "FE001", FINDINGS]).codes(),
        ["FE004", "CO001"]
    );
    // The more specific selector wins.
    assert_eq!(
        lint(&["--select", "FE004", "--ignore", "FE", FINDINGS]).codes(),
        ["FE004"]
    );
    assert_eq!(
        lint(&["--ignore", "ALL", FINDINGS]).codes(),
        Vec::<String>::new()
    );
}

#[test]
fn stdin_is_read_for_dash() {
    let text = std::fs::read(root().join(FINDINGS)).expect("fixture");
    let r = run_in(
        &root(),
        &["lint", "--now", NOW, "--format", "concise", "-"],
        Some(&text),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.codes().len(), 6);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("-:")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("-:20:89: FE004 [error]"), "{}", r.stdout);

    let r = run_in(
        &root(),
        &["lint", "--format", "concise", "-"],
        Some(b"<cib><configuration>"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with("-:1:6: IN000 [error]"), "{}", r.stdout);
}

#[test]
fn directories_are_searched_for_cibs() {
    let r = run(&[
        "lint",
        "--now",
        NOW,
        "--format",
        "json",
        "testdata/cli/tree",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        paths,
        [
            "testdata/cli/tree/a-clean.xml",
            "testdata/cli/tree/sub/b-findings.xml"
        ]
    );
    assert_eq!(doc["files"][0]["status"], "clean");
    assert_eq!(doc["files"][1]["status"], "findings");
    // The XML file that is not a CIB is skipped with a note (in the JSON
    // document and on stderr); the text file is not looked at.
    let note = "skipped testdata/cli/tree/sub/not-a-cib.xml: root element is <crm_mon>, not <cib> or a section of one";
    assert_eq!(doc["notes"], serde_json::json!([note]));
    assert!(r.stderr.contains(&format!("note: {note}")), "{}", r.stderr);
    assert!(!r.stderr.contains("readme"), "{}", r.stderr);
}

#[test]
fn one_bad_file_does_not_hide_the_others() {
    let missing = "testdata/cli/does-not-exist.xml";
    let r = lint(&[CLEAN, TRUNCATED, FINDINGS, missing]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("testdata/malformed/truncated.xml:10:11: IN000 [error]"),
        "{}",
        r.stdout
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("testdata/cli/findings.xml:"))
            .count(),
        6,
        "{}",
        r.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{missing}:1:1: IN000 [error] cannot read"))),
        "{}",
        r.stdout
    );

    let r = run(&[
        "lint", "--now", NOW, "--format", "json", CLEAN, TRUNCATED, FINDINGS,
    ]);
    let doc = r.json();
    let status: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["status"].as_str().expect("status"))
        .collect();
    assert_eq!(status, ["clean", "input-error", "findings"]);
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["summary"]["files_with_input_errors"], 1);
    assert_eq!(doc["summary"]["errors"], 2);
}

#[test]
fn jobs_do_not_change_the_output() {
    let args = |jobs: &'static str| {
        vec![
            "lint",
            "--now",
            NOW,
            "--format",
            "concise",
            "--jobs",
            jobs,
            FINDINGS,
            CLEAN,
            TRUNCATED,
            "testdata/cli/tree",
        ]
    };
    let one = run(&args("1"));
    let four = run(&args("4"));
    assert_eq!(one.code, 2);
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.stdout.lines().count(), 13, "{}", one.stdout);
}

#[test]
fn max_size_is_a_located_input_error() {
    let r = lint(&["--max-size", "100", CLEAN, FINDINGS]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert!(r
        .stdout
        .starts_with("testdata/cli/clean.xml:1:1: IN000 [error] input is larger than 100 bytes"));
}

/// Write a baseline, then lint with it: everything recorded is hidden;
/// fixing a finding leaves a stale entry, reported as BL001 in the
/// baseline file.
#[test]
fn baseline_write_use_and_stale_entries() {
    let dir = scratch("baseline");
    let fixture = std::fs::read_to_string(root().join(FINDINGS)).expect("fixture");
    std::fs::write(dir.join("cib.xml"), &fixture).expect("write");
    let base = ["lint", "--now", NOW, "--format", "concise"];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        run_in(&dir, &a, None)
    };

    let r = with(&["--write-baseline", "baseline.json", "cib.xml"]);
    assert_eq!(r.code, 1, "writing a baseline still reports: {}", r.stderr);
    assert!(r
        .stderr
        .contains("wrote 6 findings to baseline baseline.json"));
    let written: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("baseline.json")).expect("baseline written"),
    )
    .expect("baseline is JSON");
    assert_eq!(written["version"], 1);
    assert_eq!(written["findings"].as_array().map(Vec::len), Some(6));

    let r = with(&["--baseline", "baseline.json", "cib.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    let r = run_in(
        &dir,
        &[
            "lint",
            "--now",
            NOW,
            "--color",
            "never",
            "--baseline",
            "baseline.json",
            "cib.xml",
        ],
        None,
    );
    assert!(r.stdout.contains("6 baselined"), "{}", r.stdout);

    // Moving lines does not unmatch the entries (fingerprints have no
    // line numbers).
    let moved = fixture.replacen("<configuration>", "<configuration>\n\n\n", 1);
    std::fs::write(dir.join("cib.xml"), &moved).expect("write");
    let r = with(&["--baseline", "baseline.json", "cib.xml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);

    // Fix one problem: its entry is stale.
    let fixed = fixture.replace(
        r#"name="maintenance-mode" value="true""#,
        r#"name="maintenance-mode" value="false""#,
    );
    assert_ne!(fixed, fixture);
    std::fs::write(dir.join("cib.xml"), &fixed).expect("write");
    let r = with(&["--baseline", "baseline.json", "cib.xml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.codes(), ["BL001"]);
    assert!(
        r.stdout.starts_with("baseline.json:")
            && r.stdout
                .contains("baseline entry for MA001 in cib.xml matches no finding"),
        "{}",
        r.stdout
    );
    // BL001 can be ignored like any rule.
    assert_eq!(
        with(&["--baseline", "baseline.json", "--ignore", "BL", "cib.xml"]).code,
        0
    );
    // Entries of rules that did not run, or of files not linted, are not stale.
    let r = with(&[
        "--baseline",
        "baseline.json",
        "--select",
        "FE,BL",
        "cib.xml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    std::fs::write(dir.join("other.xml"), &fixed).expect("write");
    let r = with(&["--baseline", "baseline.json", "--ignore", "MA", "other.xml"]);
    assert_eq!(
        r.codes(),
        ["FE001", "FE004", "CO001", "DE002"],
        "{}",
        r.stdout
    );

    // A baseline that is not one is a usage error.
    std::fs::write(dir.join("bad.json"), "{\"version\": 99, \"findings\": []}").expect("write");
    let r = with(&["--baseline", "bad.json", "cib.xml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("version 99"), "{}", r.stderr);
}

/// SARIF fingerprints come from the rule and the element, never from line
/// numbers: inserting lines moves the regions but keeps the fingerprints.
#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = scratch("fingerprints");
    let fixture = std::fs::read_to_string(root().join(FINDINGS)).expect("fixture");
    let moved = fixture
        .replacen(
            "<configuration>",
            "<configuration>\n  <!-- moved -->\n\n",
            1,
        )
        .replacen("<constraints>", "<constraints>\n\n\n\n", 1);
    let sarif = |text: &str| {
        std::fs::write(dir.join("cib.xml"), text).expect("write");
        let r = run_in(
            &dir,
            &["lint", "--now", NOW, "--format", "sarif", "cib.xml"],
            None,
        );
        assert_eq!(r.code, 1);
        let doc = r.json();
        doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|res| {
                (
                    res["ruleId"].as_str().expect("ruleId").to_owned(),
                    res["partialFingerprints"]["cibcheck/v1"]
                        .as_str()
                        .expect("fingerprint")
                        .to_owned(),
                    res["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .expect("startLine"),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = sarif(&fixture);
    let after = sarif(&moved);
    assert_eq!(before.len(), 6);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert!(a.2 > b.2, "{} did not move: {} -> {}", b.0, b.2, a.2);
    }
    let distinct: std::collections::HashSet<_> = before.iter().map(|b| &b.1).collect();
    assert_eq!(distinct.len(), before.len(), "fingerprints are distinct");
}
