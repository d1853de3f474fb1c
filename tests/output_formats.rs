//! The machine-readable outputs: JSON (schema `cibcheck-lint` v1, see
//! docs/json-output.md) and SARIF 2.1.0, snapshot-tested on a fixture with
//! several findings, the JSON key contract checked on every kind of file
//! outcome, and SARIF validated against the official SARIF 2.1.0 schema.

mod common;

use common::{root, run, run_in, snapshots, NOW};
use serde_json::Value;
use std::collections::BTreeSet;

const FINDINGS: &str = "testdata/cli/findings.xml";
const CLEAN: &str = "testdata/cli/clean.xml";
const TRUNCATED: &str = "testdata/malformed/truncated.xml";

fn output(format: &str, paths: &[&str]) -> common::Run {
    let mut args = vec!["lint", "--now", NOW, "--format", format];
    args.extend_from_slice(paths);
    run(&args)
}

/// The tool version and the rule docs change with releases and rule work;
/// they are checked elsewhere, not by these snapshots.
fn redact_sarif(mut doc: Value) -> Value {
    if let Some(driver) = doc.pointer_mut("/runs/0/tool/driver") {
        driver["version"] = Value::from("[version]");
        if let Some(rules) = driver["rules"].as_array_mut() {
            for r in rules {
                let id = r["id"].as_str().unwrap_or("?").to_owned();
                r["help"] = serde_json::json!({ "text": format!("[rules/{id}.md]"), "markdown": format!("[rules/{id}.md]") });
            }
        }
    }
    doc
}

#[test]
fn json_output_snapshot() {
    let r = output("json", &[FINDINGS, CLEAN, TRUNCATED]);
    assert_eq!(r.code, 2);
    let mut doc = r.json();
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    doc["tool"]["version"] = Value::from("[version]");
    let text = serde_json::to_string_pretty(&doc).expect("serializes");
    snapshots().bind(|| insta::assert_snapshot!("output-json", text));
}

#[test]
fn sarif_output_snapshot() {
    let r = output("sarif", &[FINDINGS, TRUNCATED]);
    assert_eq!(r.code, 2);
    let doc = r.json();
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 7);
    let text = serde_json::to_string_pretty(&redact_sarif(doc)).expect("serializes");
    snapshots().bind(|| insta::assert_snapshot!("output-sarif", text));
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// docs/json-output.md: every key is always present, null when it does not
/// apply. Checked on findings, a clean file, an unreadable file, stdin,
/// notes and baseline (BL001) outcomes.
#[test]
fn json_keys_are_always_present() {
    let dir = common::scratch("json-keys");
    let fixture = std::fs::read_to_string(root().join(FINDINGS)).expect("fixture");
    std::fs::write(dir.join("cib.xml"), &fixture).expect("write");
    let w = run_in(
        &dir,
        &[
            "lint",
            "--now",
            NOW,
            "--write-baseline",
            "b.json",
            "cib.xml",
        ],
        None,
    );
    assert_eq!(w.code, 1);
    std::fs::write(
        dir.join("cib.xml"),
        fixture.replace(r#"value="true""#, r#"value="false""#),
    )
    .expect("write");
    std::fs::create_dir_all(dir.join("tree")).expect("mkdir");
    std::fs::write(dir.join("tree/x.xml"), "<other/>").expect("write");
    std::fs::write(dir.join("trunc.xml"), "<cib><configuration>").expect("write");
    let r = run_in(
        &dir,
        &[
            "lint",
            "--now",
            NOW,
            "--format",
            "json",
            "--baseline",
            "b.json",
            "cib.xml",
            "trunc.xml",
            "tree",
            "-",
        ],
        Some(fixture.as_bytes()),
    );
    assert_eq!(r.code, 2);
    let doc = r.json();

    assert_eq!(
        keys(&doc),
        set(&["schema", "version", "tool", "files", "notes", "summary"])
    );
    assert_eq!(doc["schema"], "cibcheck-lint");
    assert_eq!(doc["version"], 1);
    assert_eq!(keys(&doc["tool"]), set(&["name", "version"]));
    assert_eq!(
        keys(&doc["summary"]),
        set(&[
            "files",
            "files_with_input_errors",
            "errors",
            "warnings",
            "infos",
            "suppressed",
            "accepted"
        ])
    );
    assert_eq!(doc["notes"].as_array().map(Vec::len), Some(1));
    let location = set(&[
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_offset",
        "byte_length",
    ]);
    let diag_keys = set(&[
        "code",
        "rule",
        "severity",
        "message",
        "fingerprint",
        "element_id",
        "location",
        "label",
        "labels",
        "help",
        "input_error",
    ]);
    let files = doc["files"].as_array().expect("files");
    let paths: Vec<&str> = files.iter().filter_map(|f| f["path"].as_str()).collect();
    assert_eq!(paths, ["cib.xml", "trunc.xml", "-", "b.json"]);
    let mut saw_null = BTreeSet::new();
    let mut n = 0;
    for f in files {
        assert_eq!(
            keys(f),
            set(&[
                "path",
                "status",
                "suppressed",
                "accepted",
                "pacemaker",
                "diagnostics"
            ])
        );
        for d in f["diagnostics"].as_array().expect("diagnostics") {
            n += 1;
            assert_eq!(keys(d), diag_keys, "{d}");
            assert_eq!(keys(&d["location"]), location);
            for l in d["labels"].as_array().expect("labels") {
                assert_eq!(keys(l), set(&["message", "location"]));
                assert_eq!(keys(&l["location"]), location);
            }
            for k in ["element_id", "label", "help"] {
                if d[k].is_null() {
                    saw_null.insert(k);
                }
            }
            assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap_or("")));
        }
    }
    // cib.xml: all 5 left baselined; trunc.xml: IN000; stdin: 6; b.json: BL001.
    assert_eq!(n, 1 + 6 + 1);
    assert_eq!(files[0]["status"], "clean");
    assert_eq!(files[0]["suppressed"], 5);
    assert!(
        saw_null.contains("element_id") && saw_null.contains("label"),
        "the fixtures exercise null values: {saw_null:?}"
    );
    assert_eq!(doc["summary"]["suppressed"], 5);
}

/// The official SARIF 2.1.0 schema, as shipped in the serde-sarif package
/// (its `src/schema.json`, the OASIS schema it generates its types from),
/// found through `cargo metadata`.
fn sarif_schema() -> Value {
    // Resolved for the host only, so that no package of another platform
    // has to be downloaded: the test runs offline.
    let rustc = std::path::Path::new(env!("CARGO")).with_file_name("rustc");
    let rustc = if rustc.exists() {
        rustc
    } else {
        "rustc".into()
    };
    let host = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        })
        .expect("rustc -vV names the host");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host, "--manifest-path"])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    let path = std::path::Path::new(manifest)
        .parent()
        .expect("package dir")
        .join("src/schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert!(
        schema["title"]
            .as_str()
            .is_some_and(|t| t.contains("SARIF) Version 2.1.0")),
        "{}",
        schema["title"]
    );
    schema
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let mut schema = sarif_schema();
    // The published schema's pattern for `language` (in `run` and
    // `toolComponent`) is not a valid regex (a stray `]`), which the
    // draft-07 meta-schema rejects when formats are checked. cibcheck never
    // writes `language`; dropping that pattern lets every other format
    // (uri, date-time, ...) be checked.
    for def in ["run", "toolComponent"] {
        let pointer = format!("/definitions/{def}/properties/language");
        let lang = schema.pointer_mut(&pointer).and_then(Value::as_object_mut);
        let removed = lang.and_then(|obj| obj.remove("pattern"));
        assert!(removed.is_some(), "schema changed at {pointer}");
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    // The validator does reject what is not SARIF.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {}}]});
    assert!(!validator.is_valid(&bad));
    let bad = serde_json::json!({"version": "2.1.0", "runs": [], "extra": 1});
    assert!(!validator.is_valid(&bad));

    let dir = common::scratch("sarif-schema");
    std::fs::write(dir.join("weird name ü.xml"), "<cib><configuration>").expect("write");
    let fixture = std::fs::read(root().join(FINDINGS)).expect("fixture");
    let cases: Vec<common::Run> = vec![
        output("sarif", &[FINDINGS, CLEAN, TRUNCATED]),
        output("sarif", &[CLEAN]),
        output("sarif", &["testdata/malformed"]),
        run_in(
            &dir,
            &[
                "lint",
                "--now",
                NOW,
                "--format",
                "sarif",
                "-",
                "weird name ü.xml",
            ],
            Some(&fixture),
        ),
    ];
    for r in &cases {
        let doc = r.json();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
        // serde-sarif's generated 2.1.0 types read it too.
        let typed: Result<serde_sarif::sarif::Sarif, _> = serde_json::from_value(doc.clone());
        assert!(typed.is_ok(), "{:?}", typed.err());
        for res in doc["runs"][0]["results"].as_array().expect("results") {
            let region = &res["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64() >= Some(1));
            assert!(region["startColumn"].as_u64() >= Some(1));
            let rule = &doc["runs"][0]["tool"]["driver"]["rules"]
                [res["ruleIndex"].as_u64().expect("ruleIndex") as usize];
            assert_eq!(rule["id"], res["ruleId"]);
        }
    }
}
