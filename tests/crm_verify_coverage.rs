//! lint finds what `crm_verify` finds. When `crm_verify` is installed and
//! the corpus is present, every CIB of `../shared/pcmk-cts/xml` is checked
//! by `crm_verify -VV -x` and linted; the test fails when
//!
//! - one of crm_verify's errors or warnings has no cibcheck finding of the
//!   rule the coverage map (`docs/crm_verify-coverage.md`) names for it, on
//!   the same element (an id the message names), unless the map lists the
//!   message as not covered, or (status findings only) it is a known gap
//!   listed in `tests/crm_verify_status_gaps.txt` (which may only shrink:
//!   a listed gap that is now covered fails too, so the list stays honest);
//! - a message matches no row of the map at all;
//! - cibcheck reports an error on a CIB crm_verify accepts without a
//!   warning, unless `tests/crm_verify_accepted_errors.txt` lists it with
//!   the reason (cibcheck may know more than crm_verify).
//!
//! Schema failures are counted apart and never fail here: the schema rules
//! (`SC`) judge them. Without `crm_verify` or the corpus the test skips,
//! under CI too (the runners have no Pacemaker).

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::diag::Severity;
use cibcheck::lint::{lint_source, Selection};
use cibcheck::xml::ParseLimits;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn crm_verify() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CIBCHECK_CRM_VERIFY").map(PathBuf::from),
        Some(PathBuf::from("/usr/sbin/crm_verify")),
        Some(PathBuf::from("/usr/bin/crm_verify")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// One row of the coverage map: messages of `function` whose text holds
/// `key` (any text when empty) are of `class` and covered by `codes`
/// (`None`: listed as not covered). `*` among the codes: the message names
/// no element, so any finding of the rule counts.
struct Row {
    function: String,
    key: String,
    class: String,
    codes: Option<Vec<String>>,
}

/// The map is the table under "## Map" in the coverage document: cells
/// `` `function` ``, key, class, rules (`-` when not covered), reason.
fn load_map() -> Vec<Row> {
    let text = std::fs::read_to_string(root().join("docs/crm_verify-coverage.md"))
        .expect("docs/crm_verify-coverage.md exists");
    let section = text
        .split("\n## Map")
        .nth(1)
        .expect("the coverage document has a `## Map` section");
    let mut rows = Vec::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `function` | key | class | rules | note |
        if cells.len() < 6 || !cells[1].starts_with('`') {
            continue;
        }
        let unquote = |s: &str| s.trim_matches('`').to_string();
        let codes = match cells[4] {
            "-" => None,
            c => Some(c.split(',').map(|x| unquote(x.trim())).collect()),
        };
        rows.push(Row {
            function: unquote(cells[1]),
            key: unquote(cells[2]),
            class: cells[3].to_string(),
            codes,
        });
    }
    assert!(rows.len() > 20, "the map has rows");
    rows
}

/// Words of a message that may be ids: split on blanks and quotes, plus the
/// resource of an action key (`rsc_stop_0`) and the clone of an instance
/// (`rsc:1`).
fn tokens(text: &str) -> BTreeSet<String> {
    let mut t: BTreeSet<String> = text
        .split(|c: char| c.is_whitespace() || "'\"`,()|=".contains(c))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    const TASKS: &[&str] = &[
        "start",
        "stop",
        "monitor",
        "promote",
        "demote",
        "migrate_to",
        "migrate_from",
        "notify",
        "asyncmon",
    ];
    let extra: Vec<String> = t
        .iter()
        .filter_map(|w| {
            let (head, interval) = w.rsplit_once('_')?;
            interval.parse::<u64>().ok()?;
            TASKS.iter().find_map(|task| {
                head.strip_suffix(task)
                    .and_then(|r| r.strip_suffix('_'))
                    .map(str::to_owned)
            })
        })
        .collect();
    t.extend(extra);
    let bases: Vec<String> = t
        .iter()
        .filter_map(|w| {
            let (base, n) = w.rsplit_once(':')?;
            n.parse::<u32>().ok().map(|_| base.to_owned())
        })
        .collect();
    t.extend(bases);
    t
}

/// Ids a finding names: its element and every backquoted word.
fn finding_ids(element: Option<&str>, message: &str) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    ids.extend(element.map(str::to_owned));
    ids
}

struct Finding {
    code: &'static str,
    severity: Severity,
    ids: BTreeSet<String>,
}

fn lint_file(path: &Path, now: Instant) -> Vec<Finding> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let o = lint_source(
        SourceFile {
            name: path.display().to_string(),
            text: Arc::from(text),
        },
        now,
        &Selection::all(),
        ParseLimits::default(),
    );
    o.diagnostics
        .iter()
        .map(|d| Finding {
            code: d.code,
            severity: d.severity,
            ids: finding_ids(d.element_id.as_deref(), &d.message),
        })
        .collect()
}

/// crm_verify's output for every file, run in parallel.
fn run_crm_verify(bin: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Mutex::new(vec![String::new(); files.len()]);
    let next = Mutex::new(0usize);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = {
                    let Ok(mut n) = next.lock() else { return };
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(f) = files.get(i) else { return };
                let text = Command::new(bin)
                    .arg("-VV")
                    .arg("-x")
                    .arg(f)
                    .output()
                    .map(|o| {
                        let mut t = String::from_utf8_lossy(&o.stdout).into_owned();
                        t.push_str(&String::from_utf8_lossy(&o.stderr));
                        t
                    })
                    .unwrap_or_default();
                if let Ok(mut v) = out.lock() {
                    v[i] = text;
                }
            });
        }
    });
    out.into_inner().unwrap_or_default()
}

/// `(function) \tlevel: text` → (function, level, text).
fn parse_line(line: &str) -> Option<(&str, &str, &str)> {
    let rest = line.strip_prefix('(')?;
    let (function, rest) = rest.split_once(')')?;
    let (level, text) = rest.trim_start().split_once(": ")?;
    Some((function, level, text))
}

fn read_list(name: &str) -> BTreeSet<String> {
    std::fs::read_to_string(root().join("tests").join(name))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>().join("\t"))
        .collect()
}

#[derive(Default)]
struct Tally {
    covered: usize,
    missed: usize,
    not_covered: usize,
}

#[test]
fn lint_covers_what_crm_verify_reports() {
    let Some(bin) = crm_verify() else {
        eprintln!("skipped: crm_verify is not installed");
        return;
    };
    let dir = match std::env::var_os("PCMK_CTS") {
        Some(p) => PathBuf::from(p),
        None => root().join("../shared/pcmk-cts"),
    }
    .join("xml");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: corpus not found at {}", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let map = load_map();
    let outputs = run_crm_verify(&bin, &files);
    let now = Instant::now();
    // `CRM_VERIFY_GAPS_BLESS=1` rewrites the list of known status gaps
    // (review the difference: it should only shrink).
    let bless = std::env::var_os("CRM_VERIFY_GAPS_BLESS").is_some();
    let mut missed_status: Vec<String> = Vec::new();
    let gaps = if bless {
        BTreeSet::new()
    } else {
        read_list("crm_verify_status_gaps.txt")
    };
    let accepted = read_list("crm_verify_accepted_errors.txt");
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut schema = 0usize;
    let mut failures = Vec::new();
    let mut gaps_seen = BTreeSet::new();
    let mut accepted_seen = BTreeSet::new();
    let mut errors_on_accepted = 0usize;
    for (path, output) in files.iter().zip(&outputs) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let findings = lint_file(path, now);
        // A CIB without any node state is a configuration export: cibcheck
        // does not read the cluster's state into it (crm_verify sees every
        // node unseen and unclean).
        let export = !std::fs::read_to_string(path)
            .unwrap_or_default()
            .contains("<node_state");
        let mut any_message = false;
        for line in output.lines() {
            if line.contains("Relax-NG validity error") || line.contains("did not pass schema") {
                schema += 1;
                any_message = true;
                continue;
            }
            let Some((function, level, text)) = parse_line(line) else {
                continue;
            };
            if !matches!(level, "error" | "warning") {
                continue;
            }
            any_message = true;
            let Some(row) = map
                .iter()
                .find(|r| r.function == function && (r.key.is_empty() || text.contains(&r.key)))
            else {
                failures.push(format!(
                    "{name}: ({function}) {text}: not in the coverage map"
                ));
                continue;
            };
            let class = if export && row.class == "status" {
                "status of an export (not judged)".to_string()
            } else {
                row.class.clone()
            };
            let t = tally.entry(class.clone()).or_default();
            if class != row.class {
                t.not_covered += 1;
                continue;
            }
            let Some(codes) = &row.codes else {
                t.not_covered += 1;
                continue;
            };
            let words = tokens(text);
            let any = codes.iter().any(|c| c == "*");
            let hit = findings.iter().any(|f| {
                codes.iter().any(|c| c == f.code)
                    && (any || f.ids.iter().any(|i| words.contains(i)))
            });
            let key = format!("{name}\t{function}: {text}");
            if hit {
                t.covered += 1;
                if gaps.contains(&key) {
                    failures.push(format!(
                        "{key}: covered now, remove it from crm_verify_status_gaps.txt"
                    ));
                }
            } else if row.class == "status" && (bless || gaps.contains(&key)) {
                t.missed += 1;
                missed_status.push(key.clone());
                gaps_seen.insert(key);
            } else {
                t.missed += 1;
                failures.push(format!(
                    "{name}: ({function}) {text}: no {} finding on the element it names",
                    codes.join("/")
                ));
            }
        }
        if !any_message {
            for f in findings.iter().filter(|f| f.severity == Severity::Error) {
                let key = format!("{name}\t{}", f.code);
                if accepted.contains(&key) {
                    accepted_seen.insert(key);
                    errors_on_accepted += 1;
                } else {
                    failures.push(format!(
                        "{name}: {} is an error on a CIB crm_verify accepts: fix the rule or list it with the reason in crm_verify_accepted_errors.txt",
                        f.code
                    ));
                }
            }
        }
    }
    if bless {
        let mut text = String::from(
            "# Status messages of crm_verify that cibcheck does not report yet (FILE<TAB>MESSAGE).\n\
             # Written by CRM_VERIFY_GAPS_BLESS=1 cargo test --release --test crm_verify_coverage;\n\
             # it may only shrink.\n",
        );
        missed_status.sort();
        missed_status.dedup();
        for k in &missed_status {
            text.push_str(k);
            text.push('\n');
        }
        std::fs::write(root().join("tests/crm_verify_status_gaps.txt"), text)
            .expect("gap list written");
    }
    for g in gaps.difference(&gaps_seen) {
        failures.push(format!("{g}: listed gap not seen any more, remove it"));
    }
    for a in accepted.difference(&accepted_seen) {
        failures.push(format!(
            "{a}: listed accepted error not seen any more, remove it"
        ));
    }
    eprintln!("crm_verify coverage over {} CIBs:", files.len());
    for (class, t) in &tally {
        let judged = t.covered + t.missed;
        eprintln!(
            "  {class}: {}/{} covered ({:.1} %), {} listed as not covered",
            t.covered,
            judged,
            100.0 * t.covered as f64 / judged.max(1) as f64,
            t.not_covered
        );
    }
    eprintln!("  schema failures (SC rules, not judged here): {schema}");
    eprintln!(
        "  cibcheck errors on CIBs crm_verify accepts (listed with reasons): {errors_on_accepted}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
