//! `cibcheck explain` on the fixtures of testdata/explain (hand-written
//! CIBs, each showing some kinds of contribution): a snapshot of each, the
//! contributions folding back to each score, and, when crm_simulate is
//! installed, every score shown equal to the one `crm_simulate -s` prints
//! for the same input (with events: the CIB cibcheck schedules after
//! them, as `simulate` does).

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::whatif::scenario::StepSpec;
use cibcheck::xml::ParseLimits;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cibcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cibcheck"))
        .current_dir(root())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CIBCHECK_PACEMAKER")
        .output()
        .expect("cibcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

/// A fixture run: snapshot name, CIB, resource, events (simulate's flags).
struct Case {
    name: &'static str,
    cib: &'static str,
    rsc: &'static str,
    events: &'static [&'static str],
    json: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "location-rules",
        cib: "location-rules",
        rsc: "web",
        events: &[],
        json: true,
    },
    Case {
        name: "moved-back",
        cib: "moved-back",
        rsc: "db",
        events: &[],
        json: false,
    },
    Case {
        name: "stickiness-meta",
        cib: "moved-back",
        rsc: "web",
        events: &[],
        json: false,
    },
    Case {
        name: "moved-back-standby",
        cib: "moved-back",
        rsc: "db",
        events: &["--standby", "bob"],
        json: false,
    },
    Case {
        name: "colocation-dependent",
        cib: "colocation",
        rsc: "app",
        events: &[],
        json: false,
    },
    Case {
        name: "colocation-primary",
        cib: "colocation",
        rsc: "fs",
        events: &[],
        json: true,
    },
    Case {
        name: "colocation-anti",
        cib: "colocation",
        rsc: "backup",
        events: &[],
        json: false,
    },
    Case {
        name: "colocation-node-fail",
        cib: "colocation",
        rsc: "app",
        events: &["--node-fail", "bob"],
        json: false,
    },
    Case {
        name: "coloc-blocked",
        cib: "coloc-blocked",
        rsc: "app",
        events: &[],
        json: false,
    },
    Case {
        name: "target-role",
        cib: "coloc-blocked",
        rsc: "fs-data",
        events: &[],
        json: false,
    },
    Case {
        name: "failcount",
        cib: "failcount",
        rsc: "db",
        events: &[],
        json: true,
    },
    Case {
        name: "failcount-below",
        cib: "failcount",
        rsc: "web",
        events: &[],
        json: false,
    },
    Case {
        name: "utilization",
        cib: "utilization",
        rsc: "vm-huge",
        events: &[],
        json: false,
    },
    Case {
        name: "node-states",
        cib: "node-states",
        rsc: "db",
        events: &[],
        json: false,
    },
    Case {
        name: "node-unclean",
        cib: "node-unclean",
        rsc: "web",
        events: &[],
        json: false,
    },
    Case {
        name: "cli-ban",
        cib: "cli-leftovers",
        rsc: "db",
        events: &[],
        json: false,
    },
    Case {
        name: "cli-prefer",
        cib: "cli-leftovers",
        rsc: "web",
        events: &[],
        json: false,
    },
    Case {
        name: "cli-ban-event",
        cib: "moved-back",
        rsc: "db",
        events: &["--ban", "db@bob"],
        json: false,
    },
    Case {
        name: "ticket",
        cib: "ticket",
        rsc: "db",
        events: &[],
        json: false,
    },
    Case {
        name: "ticket-granted",
        cib: "ticket",
        rsc: "db",
        events: &["--ticket-grant", "site-a"],
        json: false,
    },
    Case {
        name: "unmanaged",
        cib: "unmanaged",
        rsc: "db",
        events: &[],
        json: false,
    },
    Case {
        name: "ordering-blocked",
        cib: "ordering-blocked",
        rsc: "app",
        events: &[],
        json: false,
    },
    Case {
        name: "group",
        cib: "group",
        rsc: "web",
        events: &[],
        json: true,
    },
    Case {
        name: "clone",
        cib: "clone",
        rsc: "ping-clone",
        events: &[],
        json: false,
    },
    Case {
        name: "clone-instance",
        cib: "clone",
        rsc: "ping:1",
        events: &[],
        json: false,
    },
    Case {
        name: "exclusive-discovery",
        cib: "exclusive-discovery",
        rsc: "db",
        events: &[],
        json: false,
    },
];

fn cib_path(c: &Case) -> String {
    format!("testdata/explain/{}.xml", c.cib)
}

fn args<'a>(c: &'a Case, path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["explain", path, c.rsc];
    v.extend_from_slice(c.events);
    v.extend_from_slice(extra);
    v
}

#[test]
fn every_fixture_explained_as_snapshotted() {
    for c in CASES {
        let path = cib_path(c);
        let (code, out, err) = cibcheck(&args(c, &path, &[]));
        assert_eq!(code, 0, "{}: {err}", c.name);
        assert!(out.contains("\nVerdict: "), "{}: {out}", c.name);
        assert!(out.ends_with("(default).\n"), "{}: {out}", c.name);
        settings().bind(|| insta::assert_snapshot!(format!("explain-{}", c.name), out));
        if c.json {
            let (code, out, err) = cibcheck(&args(c, &path, &["--format", "json"]));
            assert_eq!(code, 0, "{}: {err}", c.name);
            let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(v["version"], 1);
            settings().bind(|| insta::assert_snapshot!(format!("explain-{}-json", c.name), out));
        }
    }
}

/// Every kind of contribution the fixtures are meant to show appears.
#[test]
fn fixtures_cover_every_kind_of_contribution() {
    let mut kinds = std::collections::BTreeSet::new();
    for c in CASES {
        let path = cib_path(c);
        let (_, out, err) = cibcheck(&args(c, &path, &["--format", "json"]));
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e} {err}", c.name));
        let e = &v["explanation"];
        for f in e["facts"].as_array().into_iter().flatten() {
            kinds.insert(format!("fact:{}", f["kind"].as_str().unwrap_or("")));
        }
        for t in e["tables"].as_array().into_iter().flatten() {
            for n in t["nodes"].as_array().into_iter().flatten() {
                if !n["state"].as_array().is_none_or(|s| s.is_empty()) {
                    kinds.insert("node-state".to_string());
                }
                for key in ["contributions", "without_effect", "after_scores"] {
                    for k in n[key].as_array().into_iter().flatten() {
                        kinds.insert(k["kind"].as_str().unwrap_or("").to_string());
                    }
                }
            }
        }
    }
    for want in [
        "location",
        "rule",
        "cli-ban",
        "cli-prefer",
        "node-health",
        "stickiness",
        "fail-count",
        "fact:fail-count",
        "colocation",
        "colocated-with-this",
        "target-role",
        "fact:target-role",
        "ticket",
        "fact:ticket",
        "utilization",
        "exclusive-discovery",
        "clone-limit",
        "fact:unmanaged",
        "fact:ordering",
        "node-state",
    ] {
        assert!(kinds.contains(want), "no fixture shows `{want}`: {kinds:?}");
    }
}

fn load(path: &Path) -> cibcheck::cib::Cib {
    let text = std::fs::read_to_string(path).expect("fixture reads");
    cibcheck::cib::load(
        SourceFile {
            name: path.display().to_string(),
            text: Arc::from(text),
        },
        ParseLimits::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message))
}

/// The events of a case as a what-if step.
fn spec(events: &[&str]) -> StepSpec {
    let mut s = StepSpec::default();
    for pair in events.chunks(2) {
        let v = vec![pair[1].to_string()];
        match pair[0] {
            "--standby" => s.standby = v,
            "--node-fail" => s.node_fail = v,
            "--ban" => s.ban = v,
            "--ticket-grant" => s.ticket_grant = v,
            other => panic!("event {other} not translated in this test"),
        }
    }
    s
}

/// The CIB scheduled for a case (after its events), and its time.
fn scheduled(c: &Case) -> (cibcheck::cib::Cib, Instant) {
    let cib = load(&root().join(cib_path(c)));
    let now = cib.execution_date.unwrap_or_else(Instant::now);
    if c.events.is_empty() {
        return (cib, now);
    }
    let step = cibcheck::whatif::run::run_step(&cib, now, &spec(c.events))
        .unwrap_or_else(|e| panic!("{}: {}", c.name, e.message()));
    let out = step
        .scheduled
        .clone()
        .unwrap_or_else(|| step.config_cib.clone().into_owned());
    (out, now)
}

#[test]
fn contributions_fold_to_each_score() {
    for c in CASES {
        let (cib, now) = scheduled(c);
        let e = cibcheck::explain::explain(&cib, now, c.rsc, None)
            .unwrap_or_else(|_| panic!("{}: explain fails", c.name));
        assert!(!e.tables.is_empty(), "{}: no score table", c.name);
        cibcheck::explain::check_sums(&e).unwrap_or_else(|m| panic!("{}: {m}", c.name));
    }
}

#[test]
fn scores_are_the_ones_crm_simulate_prints() {
    let crm = Path::new("/usr/sbin/crm_simulate");
    if !crm.exists() {
        eprintln!("crm_simulate not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for c in CASES {
        let (cib, now) = scheduled(c);
        let file = dir.path().join(format!("{}.xml", c.name));
        std::fs::write(&file, cib.doc.to_xml()).expect("temp CIB written");
        let out = Command::new(crm)
            .args(["-s", "-x"])
            .arg(&file)
            .env("TZ", "UTC")
            .output()
            .expect("crm_simulate runs");
        let text = String::from_utf8_lossy(&out.stdout);
        // The last line printed for each function, resource and node.
        let mut theirs = std::collections::HashMap::new();
        for l in text.lines() {
            let Some((head, score)) = l.rsplit_once(": ") else {
                continue;
            };
            let Some((func, rest)) = head.split_once(": ") else {
                continue;
            };
            let Some((rsc, node)) = rest.split_once(" allocation score on ") else {
                continue;
            };
            theirs.insert(
                (func.to_string(), rsc.to_string(), node.to_string()),
                score.to_string(),
            );
        }
        let e = cibcheck::explain::explain(&cib, now, c.rsc, None)
            .unwrap_or_else(|_| panic!("{}: explain fails", c.name));
        for t in &e.tables {
            for n in &t.nodes {
                let key = (t.function.to_string(), t.resource.clone(), n.node.clone());
                assert_eq!(
                    theirs.get(&key),
                    Some(&n.score),
                    "{}: {} {} on {}",
                    c.name,
                    t.function,
                    t.resource,
                    n.node
                );
                compared += 1;
            }
        }
    }
    eprintln!("{compared} scores equal to crm_simulate's");
    assert!(compared > 50, "only {compared} scores compared");
}

#[test]
fn unknown_resource_and_node_list_the_valid_names() {
    let (code, _, err) = cibcheck(&["explain", "testdata/explain/group.xml", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("valid names: ") && err.contains("web-ip"),
        "{err}"
    );
    let (code, _, err) = cibcheck(&[
        "explain",
        "testdata/explain/group.xml",
        "web",
        "--node",
        "zed",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("alice, bob, carol"), "{err}");
}

#[test]
fn one_node_only_keeps_the_verdict_of_all() {
    let (code, out, err) = cibcheck(&[
        "explain",
        "testdata/explain/moved-back.xml",
        "db",
        "--node",
        "alice",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  alice: 100\n") && !out.contains("  bob: "),
        "{out}"
    );
    assert!(out.contains("ahead of alice (200 vs 100)"), "{out}");
}

#[test]
fn profile_is_named() {
    let (code, out, err) = cibcheck(&[
        "--pacemaker",
        "3.0.2",
        "explain",
        "testdata/explain/group.xml",
        "web",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with("Explained as Pacemaker 3.0.2 (--pacemaker).\n"),
        "{out}"
    );
}

/// The README's "Why didn't it move back?" walk-through shows each
/// command's real output.
#[test]
fn readme_walkthrough_is_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README reads");
    let start = readme
        .find("### Why didn't it move back?")
        .expect("README has the section");
    let rest = &readme[start + 4..];
    let section = &rest[..rest.find("\n### ").unwrap_or(rest.len())];
    // Indented blocks: a command, then its output.
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in section.lines() {
        if let Some(l) = line.strip_prefix("    ") {
            cur.push_str(l);
            cur.push('\n');
        } else if line.is_empty() && !cur.is_empty() {
            cur.push('\n');
        } else if !cur.is_empty() {
            blocks.push(cur.trim_end().to_string() + "\n");
            cur.clear();
        }
    }
    // The README keeps a command and its output apart by a blank line
    // inside one indented block.
    let mut checked = 0;
    for block in &blocks {
        let Some(cmd) = block
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("cibcheck "))
        else {
            continue;
        };
        let shown = block[block.find('\n').unwrap_or(0)..].trim_start_matches('\n');
        let args: Vec<&str> = cmd.split_whitespace().collect();
        let (code, out, err) = cibcheck(&args);
        assert_eq!(code, 0, "{cmd}: {err}");
        assert_eq!(shown, out, "README output of `{cmd}` is stale");
        checked += 1;
    }
    assert_eq!(checked, 2, "the walk-through has two commands");
}

/// The verdicts of simulate, resilience and diff name why a resource is
/// left stopped (explain's short form).
#[test]
fn stopped_verdicts_give_the_reason() {
    let (code, out, err) = cibcheck(&[
        "simulate",
        "testdata/examples/db-stays.xml",
        "--ban",
        "db@alice",
        "--ban",
        "db@bob",
        "--ban",
        "db@carol",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 stopped and left stopped (db: banned from every node by cli-ban-db-on-alice, cli-ban-db-on-bob, cli-ban-db-on-carol)"),
        "{out}"
    );
    let (code, out, err) = cibcheck(&[
        "simulate",
        "testdata/examples/db-stays.xml",
        "--standby",
        "alice",
        "--standby",
        "bob",
        "--standby",
        "carol",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("(db: no node can run resources (alice is standby, bob is standby, carol is standby); web: "),
        "{out}"
    );
    let (code, out, err) = cibcheck(&[
        "resilience",
        "testdata/explain/colocation.xml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(v.is_object(), "{out}");
}
