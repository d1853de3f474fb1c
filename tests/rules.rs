//! Every rule against its fixtures: `testdata/rules/CODE/bad*.xml` must
//! raise the rule, `good*.xml` must not, each with only that rule selected;
//! the rendered findings of the bad fixtures are snapshot-tested. Meta tests
//! check that every rule has a doc with the fixed sections and fixtures,
//! and that codes and names are unique.

use cibcheck::cib::time::parse_instant;
use cibcheck::cib::SourceFile;
use cibcheck::diag::render_human;
use cibcheck::lint::{lint_source_for, Selection, RULES};
use cibcheck::xml::ParseLimits;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Fixtures are linted at a fixed time so that lifetimes and date rules
/// give the same answer on every run.
pub const FIXTURE_NOW: &str = "2026-01-01T00:00:00Z";

/// Rules whose findings do not come from a CIB fixture.
const NO_FIXTURES: &[&str] = &["BL001", "BL002", "BL003", "RP001", "RP002"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures(code: &str, prefix: &str) -> Vec<PathBuf> {
    let dir = root().join("testdata/rules").join(code);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| {
        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        n.starts_with(prefix) && n.ends_with(".xml")
    });
    v.sort();
    v
}

fn lint_fixture(path: &Path, code: &str) -> cibcheck::lint::FileOutcome {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let (sel, _) = Selection::new(&[code.to_string()], &[]);
    let now = parse_instant(FIXTURE_NOW).expect("fixed time parses");
    lint_source_for(
        SourceFile {
            name,
            text: Arc::from(text),
        },
        now,
        &sel,
        ParseLimits::default(),
        upgrade_target(code),
    )
}

/// The upgrade rules (UP…) judge for an upgrade: their fixtures are
/// linted as `lint --target 3.0.2` would.
fn upgrade_target(code: &str) -> Option<&'static cibcheck::profile::Profile> {
    if code.starts_with("UP") {
        cibcheck::profile::by_name("3.0.2")
    } else {
        None
    }
}

#[test]
fn every_rule_fires_on_bad_and_not_on_good_fixtures() {
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| !NO_FIXTURES.contains(&r.code)) {
        let bad = fixtures(rule.code, "bad");
        let good = fixtures(rule.code, "good");
        if bad.is_empty() || good.is_empty() {
            failures.push(format!(
                "{}: needs bad*.xml and good*.xml in testdata/rules/{}/",
                rule.code, rule.code
            ));
            continue;
        }
        let mut rendered = String::new();
        for path in &bad {
            let o = lint_fixture(path, rule.code);
            let hits: Vec<_> = o
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .collect();
            if hits.is_empty() {
                failures.push(format!("{}: {} raised nothing", rule.code, path.display()));
            }
            for d in &o.diagnostics {
                if d.code != rule.code {
                    failures.push(format!(
                        "{}: {} raised another rule {}",
                        rule.code,
                        path.display(),
                        d.code
                    ));
                }
                rendered.push_str(&render_human(d, &o.name, &o.source, false, 100));
                rendered.push('\n');
            }
        }
        for path in &good {
            let o = lint_fixture(path, rule.code);
            if !o.diagnostics.is_empty() {
                failures.push(format!(
                    "{}: {} should be clean but raised: {:?}",
                    rule.code,
                    path.display(),
                    o.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
                ));
            }
        }
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("rule-{}", rule.code), rendered);
        });
    }
    assert!(
        failures.is_empty(),
        "rule fixture failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_doc_with_the_fixed_sections() {
    let sections = [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## References",
    ];
    let mut missing = Vec::new();
    for rule in RULES {
        let title = format!("# {} `{}`", rule.code, rule.name);
        if !rule.doc.starts_with(&title) {
            missing.push(format!("{}: doc must start with `{title}`", rule.code));
        }
        for s in sections {
            if !rule.doc.contains(s) {
                missing.push(format!("{}: doc lacks `{s}`", rule.code));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in RULES {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 5
                && rule.code[..2].bytes().all(|b| b.is_ascii_uppercase())
                && rule.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "code {} is not two letters and three digits",
            rule.code
        );
        assert!(
            rule.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "name {} is not kebab-case",
            rule.name
        );
    }
    // The catalogue as published: codes are stable, so this list only grows.
    let listed: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("rule-codes", listed.join("\n"));
    });
}

#[test]
fn messages_follow_the_house_style() {
    // Lowercase start, no trailing period (as clippy's message convention).
    for rule in RULES.iter().filter(|r| !NO_FIXTURES.contains(&r.code)) {
        for path in fixtures(rule.code, "bad") {
            let o = lint_fixture(&path, rule.code);
            for d in &o.diagnostics {
                // An acronym (DRBD) may lead; a capitalised word may not.
                let mut chars = d.message.chars();
                let (a, b) = (chars.next().unwrap_or('a'), chars.next().unwrap_or('a'));
                assert!(
                    !(a.is_uppercase() && b.is_lowercase()),
                    "{}: message starts with a capital: {}",
                    rule.code,
                    d.message
                );
                assert!(
                    !d.message.ends_with('.'),
                    "{}: message ends with a period: {}",
                    rule.code,
                    d.message
                );
            }
        }
    }
}

#[test]
fn upgrade_rules_are_silent_without_a_target() {
    // On the 2.1.5 profile every construct they report works: without
    // `--target` (and no 3.x dc-version) they must not fire.
    let now = parse_instant(FIXTURE_NOW).expect("fixed time parses");
    let mut fired = Vec::new();
    for rule in RULES.iter().filter(|r| r.code.starts_with("UP")) {
        for path in fixtures(rule.code, "bad") {
            let text = std::fs::read_to_string(&path).expect("fixture reads");
            let (sel, _) = Selection::new(&[rule.code.to_string()], &[]);
            let o = lint_source_for(
                SourceFile {
                    name: path.display().to_string(),
                    text: Arc::from(text),
                },
                now,
                &sel,
                ParseLimits::default(),
                cibcheck::profile::by_name("2.1"),
            );
            if !o.diagnostics.is_empty() {
                fired.push(format!("{}: {}", rule.code, path.display()));
            }
        }
    }
    assert!(fired.is_empty(), "fired without a 3.0 target: {fired:?}");
}

#[test]
fn upgrade_rules_fire_when_the_cib_already_runs_3_0() {
    // A dc-version of 3.0.x chooses the 3.0.2 profile: the cluster runs it.
    let path = root().join("testdata/rules/UP022/bad.xml");
    let text = std::fs::read_to_string(&path)
        .expect("fixture reads")
        .replace(
            "<nvpair id=\"opt-cluster-name\"",
            "<nvpair id=\"opt-dc-version\" name=\"dc-version\" value=\"3.0.2-1.el10\"/>\n        <nvpair id=\"opt-cluster-name\"",
        );
    let (sel, _) = Selection::new(&["UP022".to_string()], &[]);
    let now = parse_instant(FIXTURE_NOW).expect("fixed time parses");
    let o = lint_source_for(
        SourceFile {
            name: "dc-3.0.xml".into(),
            text: Arc::from(text),
        },
        now,
        &sel,
        ParseLimits::default(),
        None,
    );
    assert_eq!(o.diagnostics.len(), 1, "{:?}", o.diagnostics);
}
