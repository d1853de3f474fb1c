//! Differential test of what-if events against the real `crm_simulate`
//! (skipped when it is not installed): a sample of corpus cases, each with
//! one event (`--node-fail`, `--node-down`, `--node-up`, `--op-fail`) on a
//! node or action picked from the case, must give the same transition
//! summary and executed actions (as multisets) in ≥ 90% of the cases
//! cibcheck does not refuse. Corpus: `PCMK_CTS` (default
//! `../shared/pcmk-cts`); skipped without it, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PCMK_CTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pcmk-cts"));
    if dir.join("xml").is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus {} missing under CI",
            dir.display()
        );
        None
    }
}

fn have_crm_simulate() -> bool {
    Command::new("crm_simulate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The lines of a section ("Transition Summary:" …) that are list items,
/// sorted.
fn section(text: &str, heading: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  * ") && !l.contains("Injecting attribute"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    out.sort();
    out
}

fn attr_values<'a>(xml: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    xml.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|el| {
            let el = el.split('>').next()?;
            let start = el.find(&needle)? + needle.len();
            el[start..].split('"').next()
        })
        .collect()
}

/// A resource action of the plain transition to fail, as a spec.
fn op_fail_spec(executing: &[String]) -> Option<String> {
    for l in executing {
        let Some(rest) = l.strip_prefix("* Resource action: ") else {
            continue;
        };
        let parts: Vec<&str> = rest.split(' ').collect();
        if let [rsc, op, "on", node] = parts.as_slice() {
            let (task, interval): (&str, &str) = op.split_once('=').unwrap_or((op, "0"));
            if task == "monitor" && interval == "0" {
                continue;
            }
            return Some(format!("{rsc}_{task}_{interval}@{node}=1"));
        }
    }
    None
}

struct Outcome {
    compared: bool,
    agreed: bool,
}

fn run_case(bin: &str, xml: &Path, i: usize) -> Option<Outcome> {
    let text = std::fs::read_to_string(xml).ok()?;
    let nodes = attr_values(&text, "node", "uname");
    let node = nodes.get(i % nodes.len().max(1))?.to_string();
    let (ours, theirs): (Vec<String>, Vec<String>) = match i % 4 {
        0 => (
            vec!["--node-fail".into(), node.clone()],
            vec!["-f".into(), node],
        ),
        1 => (
            vec!["--node-down".into(), node.clone()],
            vec!["-d".into(), node],
        ),
        2 => (
            vec!["--node-up".into(), node.clone()],
            vec!["-u".into(), node],
        ),
        _ => {
            let plain = Command::new(bin)
                .args(["simulate", "--format", "crm-simulate"])
                .arg(xml)
                .output()
                .ok()?;
            if plain.status.code() != Some(0) {
                return None;
            }
            let out = String::from_utf8_lossy(&plain.stdout).to_string();
            let spec = op_fail_spec(&section(&out, "Executing Cluster Transition:"))?;
            (
                vec!["--op-fail".into(), spec.clone()],
                vec!["-F".into(), spec],
            )
        }
    };
    let mine = Command::new(bin)
        .args(["simulate", "--format", "crm-simulate"])
        .arg(xml)
        .args(&ours)
        .output()
        .ok()?;
    if mine.status.code() == Some(3) {
        return Some(Outcome {
            compared: false,
            agreed: false,
        });
    }
    let real = Command::new("crm_simulate")
        .args(["-S", "-x"])
        .arg(xml)
        .args(&theirs)
        .output()
        .ok()?;
    if !real.status.success() {
        return None;
    }
    let (a, b) = (
        String::from_utf8_lossy(&mine.stdout),
        String::from_utf8_lossy(&real.stdout),
    );
    let agreed = mine.status.code() == Some(0)
        && section(&a, "Transition Summary:") == section(&b, "Transition Summary:")
        && section(&a, "Executing Cluster Transition:")
            == section(&b, "Executing Cluster Transition:");
    if !agreed && std::env::var_os("WHATIF_DIFF_VERBOSE").is_some() {
        eprintln!("disagree: {} {:?}", xml.display(), ours);
    }
    Some(Outcome {
        compared: true,
        agreed,
    })
}

#[test]
fn events_agree_with_crm_simulate() {
    let Some(dir) = corpus() else {
        eprintln!("skipping: no corpus");
        return;
    };
    if !have_crm_simulate() {
        eprintln!("skipping: crm_simulate is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cibcheck").to_string();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("xml"))
        .expect("corpus xml dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    cases.sort();
    let step = (cases.len() / 60).max(1);
    let sample: Vec<(usize, PathBuf)> = cases
        .into_iter()
        .step_by(step)
        .take(60)
        .enumerate()
        .collect();
    let chunks: Vec<Vec<(usize, PathBuf)>> = sample.chunks(8).map(|c| c.to_vec()).collect();
    let results: Vec<Outcome> = std::thread::scope(|sc| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let bin = bin.clone();
                sc.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(i, p)| run_case(&bin, p, *i))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let compared = results.iter().filter(|o| o.compared).count();
    let refused = results.len() - compared;
    let agreed = results.iter().filter(|o| o.agreed).count();
    let pct = if compared == 0 {
        100.0
    } else {
        100.0 * agreed as f64 / compared as f64
    };
    eprintln!("what-if agreement: {agreed}/{compared} ({pct:.1}%), {refused} refused");
    assert!(compared > 0, "no case could be compared");
    assert!(pct >= 90.0, "agreement {pct:.1}% below 90%");
}
