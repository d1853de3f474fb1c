//! Every CIB of Pacemaker's scheduler regression corpus loads and lints
//! without a panic. The corpus lives outside the repository
//! (`CIBCHECK_CORPUS`, default `../shared/pcmk-cts`); without it the test
//! says it skipped, except under CI, where a missing corpus is a failure.

use cibcheck::cib::time::parse_instant;
use cibcheck::cib::SourceFile;
use cibcheck::lint::{lint_source, Selection, RULES};
use cibcheck::xml::ParseLimits;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("CIBCHECK_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pcmk-cts"),
    }
}

#[test]
fn corpus_cibs_lint_without_panic() {
    let dir = corpus_dir().join("xml");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus not found at {} (required under CI)",
            dir.display()
        );
        eprintln!("skipped: corpus not found at {}", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let now = parse_instant("2026-01-01T00:00:00Z").expect("fixed time");
    let sel = Selection::all();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut loaded = 0;
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("corpus files are UTF-8");
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let outcome = std::panic::catch_unwind(|| {
            lint_source(
                SourceFile {
                    name: name.clone(),
                    text: Arc::from(text.as_str()),
                },
                now,
                &sel,
                ParseLimits::default(),
            )
        });
        let o = outcome.unwrap_or_else(|_| panic!("lint panicked on {name}"));
        assert!(
            !o.diagnostics.iter().any(|d| d.code == "IN000"),
            "{name} failed to load: {:?}",
            o.diagnostics.first().map(|d| &d.message)
        );
        loaded += 1;
        for d in &o.diagnostics {
            *counts.entry(d.code).or_default() += 1;
        }
    }
    assert!(loaded >= 600, "only {loaded} corpus files found");
    for r in RULES {
        eprintln!(
            "{} {:>6} {}",
            r.code,
            counts.get(r.code).copied().unwrap_or(0),
            r.name
        );
    }
}
