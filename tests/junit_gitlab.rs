//! `--format junit` and `--format gitlab`: snapshots on the fixture with
//! several findings, JUnit checked against the structure of the Jenkins
//! JUnit schema (written out below as a table), GitLab Code Quality
//! checked for its required keys and stable, unique fingerprints.

mod common;

use common::{root, run, run_in, snapshots, NOW};
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::HashMap;

const FINDINGS: &str = "testdata/cli/findings.xml";
const CLEAN: &str = "testdata/cli/clean.xml";
const TRUNCATED: &str = "testdata/malformed/truncated.xml";

fn output(format: &str, extra: &[&str], paths: &[&str]) -> common::Run {
    let mut args = vec!["lint", "--now", NOW, "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    run(&args)
}

/// What the Jenkins JUnit schema (junit-10.xsd, which GitLab's parser
/// also accepts) allows of each element: attributes, the required ones,
/// children, and whether it holds text.
struct ElementRule {
    attrs: &'static [&'static str],
    required: &'static [&'static str],
    children: &'static [&'static str],
    text: bool,
}

fn junit_schema() -> HashMap<&'static str, ElementRule> {
    const RESULT_ATTRS: &[&str] = &["type", "message"];
    let mut m = HashMap::new();
    m.insert(
        "testsuites",
        ElementRule {
            attrs: &["name", "time", "tests", "failures", "errors"],
            required: &[],
            children: &["testsuite"],
            text: false,
        },
    );
    m.insert(
        "testsuite",
        ElementRule {
            attrs: &[
                "name",
                "tests",
                "failures",
                "errors",
                "group",
                "time",
                "skipped",
                "timestamp",
                "hostname",
                "id",
                "package",
                "file",
                "log",
                "url",
            ],
            required: &["name", "tests", "failures", "errors"],
            children: &[
                "testsuite",
                "properties",
                "testcase",
                "system-out",
                "system-err",
            ],
            text: false,
        },
    );
    m.insert(
        "testcase",
        ElementRule {
            attrs: &["name", "time", "classname", "group"],
            required: &["name"],
            children: &["skipped", "error", "failure", "system-out", "system-err"],
            text: false,
        },
    );
    m.insert(
        "properties",
        ElementRule {
            attrs: &[],
            required: &[],
            children: &["property"],
            text: false,
        },
    );
    m.insert(
        "property",
        ElementRule {
            attrs: &["name", "value"],
            required: &["name", "value"],
            children: &[],
            text: false,
        },
    );
    for name in ["failure", "error", "skipped"] {
        m.insert(
            name,
            ElementRule {
                attrs: RESULT_ATTRS,
                required: &[],
                children: &[],
                text: true,
            },
        );
    }
    for name in ["system-out", "system-err"] {
        m.insert(
            name,
            ElementRule {
                attrs: &[],
                required: &[],
                children: &[],
                text: true,
            },
        );
    }
    m
}

/// A parsed element: name, attributes, children, text.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Node>,
    text: String,
}

fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    let open = |e: &quick_xml::events::BytesStart| Node {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                    a.unescape_value().expect("valid escape").into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let n = open(&e);
                stack.last_mut().expect("parent").children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().expect("open element");
                stack.last_mut().expect("parent").children.push(n);
            }
            Event::Text(t) => {
                let text = t.unescape().expect("valid escape");
                stack.last_mut().expect("element").text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().expect("document");
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().expect("root")
}

/// Every violation of the schema table in `n` and below.
fn violations(n: &Node, schema: &HashMap<&str, ElementRule>, out: &mut Vec<String>) {
    let Some(rule) = schema.get(n.name.as_str()) else {
        out.push(format!("unknown element <{}>", n.name));
        return;
    };
    for a in n.attrs.keys() {
        if !rule.attrs.contains(&a.as_str()) {
            out.push(format!(
                "<{}> has attribute {a} the schema does not allow",
                n.name
            ));
        }
    }
    for r in rule.required {
        if !n.attrs.contains_key(*r) {
            out.push(format!("<{}> lacks required attribute {r}", n.name));
        }
    }
    if !rule.text && !n.text.trim().is_empty() {
        out.push(format!("<{}> holds text {:?}", n.name, n.text));
    }
    if let Some(t) = n.attrs.get("time") {
        // The schema's SUREFIRE_TIME: digits with an optional fraction.
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
            out.push(format!("<{}> time {t:?} is not a number", n.name));
        }
    }
    for c in &n.children {
        if !rule.children.contains(&c.name.as_str()) {
            out.push(format!("<{}> may not contain <{}>", n.name, c.name));
        }
        violations(c, schema, out);
    }
}

fn count(n: &Node, attr: &str) -> usize {
    n.attrs
        .get(attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("<{}> {attr} is a number", n.name))
}

/// Checks the schema and that every counter matches the cases.
fn check_junit(xml: &str) -> Node {
    let root = parse(xml);
    assert_eq!(root.name, "testsuites");
    let mut errors = Vec::new();
    violations(&root, &junit_schema(), &mut errors);
    assert!(errors.is_empty(), "invalid JUnit:\n{}", errors.join("\n"));
    let cases_with = |s: &Node, kind: &str| {
        s.children
            .iter()
            .filter(|c| c.children.iter().any(|r| r.name == kind))
            .count()
    };
    let (mut tests, mut failures, mut errs) = (0, 0, 0);
    for s in &root.children {
        let cases = s.children.iter().filter(|c| c.name == "testcase").count();
        assert_eq!(count(s, "tests"), cases, "{}", s.attrs["name"]);
        assert_eq!(count(s, "failures"), cases_with(s, "failure"));
        assert_eq!(count(s, "errors"), cases_with(s, "error"));
        assert_eq!(count(s, "skipped"), cases_with(s, "skipped"));
        tests += count(s, "tests");
        failures += count(s, "failures");
        errs += count(s, "errors");
    }
    assert_eq!(count(&root, "tests"), tests);
    assert_eq!(count(&root, "failures"), failures);
    assert_eq!(count(&root, "errors"), errs);
    root
}

#[test]
fn the_schema_check_rejects_what_is_not_junit() {
    let schema = junit_schema();
    for bad in [
        r#"<testsuites><testsuite name="a" tests="1" failures="0"/></testsuites>"#,
        r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>"#,
        r#"<testsuites><testcase name="x"/></testsuites>"#,
        r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x" file="f"/></testsuite></testsuites>"#,
        r#"<testsuites time="1s"/>"#,
    ] {
        let mut errors = Vec::new();
        violations(&parse(bad), &schema, &mut errors);
        assert!(!errors.is_empty(), "accepted: {bad}");
    }
}

#[test]
fn junit_output_snapshot() {
    let r = output("junit", &[], &[FINDINGS, CLEAN, TRUNCATED]);
    assert_eq!(r.code, 2);
    let root = check_junit(&r.stdout);
    let suites: Vec<&str> = root
        .children
        .iter()
        .map(|s| s.attrs["name"].as_str())
        .collect();
    assert_eq!(suites, [FINDINGS, CLEAN, TRUNCATED]);
    // findings.xml: 6 findings under 6 rules; the infos (MA003, DE002) are
    // below the default --fail-on warning: passed, shown in system-out.
    assert_eq!(root.children[0].attrs["failures"], "4");
    assert_eq!(root.children[1].attrs["failures"], "0");
    // The unreadable file: one error, every other rule skipped.
    let t = &root.children[2];
    assert_eq!(t.attrs["errors"], "1");
    assert_eq!(count(t, "skipped"), count(t, "tests") - 1);
    let failure = root.children[0]
        .children
        .iter()
        .filter(|c| c.name == "testcase")
        .find(|c| c.attrs["name"].starts_with("FE004"))
        .and_then(|c| c.children.iter().find(|r| r.name == "failure"))
        .expect("FE004 fails");
    assert!(
        failure
            .text
            .starts_with(&format!("{FINDINGS}:20:89: error: ")),
        "{}",
        failure.text
    );
    // The snapshot names its rules, so that a new rule does not change it.
    let codes = "FE001,FE004,MA001,MA003,CO001,DE002,DR001,IN000";
    let r = output("junit", &["--select", codes], &[FINDINGS, CLEAN, TRUNCATED]);
    check_junit(&r.stdout);
    snapshots().bind(|| insta::assert_snapshot!("output-junit", r.stdout));
}

#[test]
fn junit_follows_fail_on_select_and_baselines() {
    let r = output(
        "junit",
        &["--fail-on", "info", "--select", "MA,DE"],
        &[FINDINGS],
    );
    let root = check_junit(&r.stdout);
    let s = &root.children[0];
    let names: Vec<&str> = s
        .children
        .iter()
        .filter(|c| c.name == "testcase")
        .map(|c| c.attrs["name"].split(' ').next().unwrap_or(""))
        .collect();
    assert!(names
        .iter()
        .all(|n| n.starts_with("MA") || n.starts_with("DE")));
    // MA001 (warning), MA003 and DE002 (info) all fail at --fail-on info.
    assert_eq!(s.attrs["failures"], "3");

    // A stale baseline entry is a failing BL001 case of the baseline file.
    let dir = common::scratch("junit-baseline");
    let fixture = std::fs::read_to_string(root_path(FINDINGS)).expect("fixture");
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
    let r = run_in(
        &dir,
        &[
            "lint",
            "--now",
            NOW,
            "--format",
            "junit",
            "--baseline",
            "b.json",
            "cib.xml",
        ],
        None,
    );
    let root = check_junit(&r.stdout);
    assert_eq!(root.children.len(), 2);
    let b = &root.children[1];
    assert_eq!(b.attrs["name"], "b.json");
    assert_eq!(b.children.len(), 1, "only BL001 checks a baseline");
    assert!(b.children[0].attrs["name"].starts_with("BL001"));
    assert_eq!(root.children[0].attrs["failures"], "0");
}

fn root_path(rel: &str) -> std::path::PathBuf {
    root().join(rel)
}

#[test]
fn gitlab_output_snapshot() {
    let r = output("gitlab", &[], &[FINDINGS, TRUNCATED]);
    assert_eq!(r.code, 2);
    let doc = r.json();
    let issues = doc.as_array().expect("an array of issues");
    assert_eq!(issues.len(), 7);
    for i in issues {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap_or("")));
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64() >= Some(1));
    }
    let by_code = |c: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == c)
            .unwrap_or_else(|| panic!("{c}"))
    };
    assert_eq!(by_code("FE004")["severity"], "critical");
    assert_eq!(by_code("FE001")["severity"], "major");
    assert_eq!(by_code("DE002")["severity"], "info");
    assert_eq!(by_code("IN000")["severity"], "blocker");
    assert_eq!(by_code("FE004")["location"]["lines"]["begin"], 20);
    snapshots().bind(|| insta::assert_snapshot!("output-gitlab", r.stdout));
}

fn fingerprints(doc: &Value) -> Vec<(String, String)> {
    doc.as_array()
        .expect("array")
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap_or("").to_owned(),
                i["fingerprint"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// GitLab matches issues between branches by fingerprint: moving lines
/// must not change them, the same finding in two files must not collide.
#[test]
fn gitlab_fingerprints_are_stable_and_unique() {
    let dir = common::scratch("gitlab-fingerprints");
    let fixture = std::fs::read_to_string(root_path(FINDINGS)).expect("fixture");
    std::fs::write(dir.join("a.xml"), &fixture).expect("write");
    // The same CIB with lines added before the findings.
    let shifted = fixture.replacen("<configuration>", "<configuration>\n\n\n\n", 1);
    std::fs::write(dir.join("b.xml"), &shifted).expect("write");
    let lint = |file: &str| {
        run_in(
            &dir,
            &["lint", "--now", NOW, "--format", "gitlab", file],
            None,
        )
        .json()
    };
    let a = lint("a.xml");
    let a_again = lint("a.xml");
    assert_eq!(a, a_again, "the same input gives the same report");
    std::fs::write(dir.join("a.xml"), &shifted).expect("write");
    let a_shifted = lint("a.xml");
    assert_ne!(
        a[0]["location"]["lines"]["begin"],
        a_shifted[0]["location"]["lines"]["begin"]
    );
    assert_eq!(fingerprints(&a), fingerprints(&a_shifted));
    let both = run_in(
        &dir,
        &["lint", "--now", NOW, "--format", "gitlab", "a.xml", "b.xml"],
        None,
    )
    .json();
    let prints: Vec<String> = fingerprints(&both).into_iter().map(|(_, f)| f).collect();
    let unique: std::collections::BTreeSet<&String> = prints.iter().collect();
    assert_eq!(
        unique.len(),
        prints.len(),
        "fingerprints collide: {prints:?}"
    );
    assert_eq!(prints.len(), 12);
}
