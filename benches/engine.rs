//! In-process benchmarks of the three stages a command runs: loading a CIB
//! (parse + typed model), linting it, and simulating it (unpack, schedule,
//! execute, re-unpack). Inputs are synthetic clusters from
//! `../shared/bench/gen_cib.py`, generated once into `target/bench-cibs`.
//! Whole-process comparisons with `crm_simulate` are in
//! `scripts/bench_vs_crm_simulate.py`; results in `docs/performance.md`.

use cibcheck::cib::{time::Instant, Cib, SourceFile};
use cibcheck::lint::{context::Context, select::Selection};
use cibcheck::xml::ParseLimits;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SIZES: &[(u32, u32)] = &[(4, 100), (8, 500), (16, 1000), (32, 3000)];

/// A generated CIB, or `None` (with a note) when the generator is missing.
fn generated(nodes: u32, resources: u32, state: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-cibs");
    let path = dir.join(format!("{state}-{nodes}x{resources}.xml"));
    if path.exists() {
        return Some(path);
    }
    let gen = std::env::var_os("GEN_CIB")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/bench/gen_cib.py"));
    if !gen.exists() {
        eprintln!(
            "note: {} not found; skipping generated inputs",
            gen.display()
        );
        return None;
    }
    std::fs::create_dir_all(&dir).ok()?;
    let out = std::process::Command::new("python3")
        .arg(&gen)
        .args([
            "--nodes",
            &nodes.to_string(),
            "--resources",
            &resources.to_string(),
        ])
        .args(["--state", state])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "note: gen_cib.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    std::fs::write(&path, out.stdout).ok()?;
    Some(path)
}

fn source(path: &Path) -> SourceFile {
    SourceFile {
        name: path.display().to_string(),
        text: Arc::from(std::fs::read_to_string(path).unwrap_or_default()),
    }
}

fn load(src: &SourceFile) -> Option<Cib> {
    cibcheck::cib::load(src.clone(), ParseLimits::default()).ok()
}

fn stages(c: &mut Criterion) {
    let now = Instant(1_700_000_000);
    let (all_rules, _) = Selection::new(&[], &[]);
    for state in ["steady", "fresh"] {
        let mut group = c.benchmark_group(state);
        group.sample_size(10);
        for &(nodes, resources) in SIZES {
            let Some(path) = generated(nodes, resources, state) else {
                continue;
            };
            let src = source(&path);
            let Some(cib) = load(&src) else {
                eprintln!("note: {} does not load", path.display());
                continue;
            };
            let size = format!("{nodes}x{resources}");
            group.bench_with_input(BenchmarkId::new("load", &size), &src, |b, src| {
                b.iter(|| load(src))
            });
            group.bench_with_input(BenchmarkId::new("lint", &size), &cib, |b, cib| {
                b.iter(|| cibcheck::lint::lint(&Context::new(cib, now), &all_rules))
            });
            group.bench_with_input(BenchmarkId::new("simulate", &size), &cib, |b, cib| {
                b.iter(|| cibcheck::sched::pipeline::simulate(cib, now).is_ok())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
