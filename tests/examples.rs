//! The bundled example CIBs: `drbd-flawed.xml` must raise the seed rules
//! it was written to show, and `drbd-good.xml`, the same cluster set up
//! correctly, must raise no error or warning.

use cibcheck::cib::time::parse_instant;
use cibcheck::cib::SourceFile;
use cibcheck::diag::Severity;
use cibcheck::lint::{lint_source, FileOutcome, Selection};
use cibcheck::xml::ParseLimits;
use std::path::PathBuf;
use std::sync::Arc;

fn lint_example(name: &str) -> FileOutcome {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (sel, _) = Selection::new(&[], &[]);
    // The same fixed time as the rule fixtures, so lifetimes do not drift.
    let now = parse_instant("2026-01-01T00:00:00Z").expect("fixed time parses");
    lint_source(
        SourceFile {
            name: name.to_owned(),
            text: Arc::from(text),
        },
        now,
        &sel,
        ParseLimits::default(),
    )
}

#[test]
fn flawed_example_raises_the_seed_rules() {
    let o = lint_example("drbd-flawed.xml");
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code).collect();
    for code in ["DR001", "DR002", "CO001"] {
        assert!(codes.contains(&code), "{code} not raised; got {codes:?}");
    }
}

#[test]
fn good_example_is_clean() {
    let o = lint_example("drbd-good.xml");
    let bad: Vec<_> = o
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(bad.is_empty(), "drbd-good.xml raised: {bad:?}");
}
