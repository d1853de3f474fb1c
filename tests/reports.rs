//! Compressed inputs, archives and cluster reports: `lint REPORT`,
//! `history`, `ARCHIVE//MEMBER`, the decompressed size limit. The report
//! is generated into a scratch directory from the project's own examples
//! (`testdata/examples`), compressed and archived here with the same
//! crates cibcheck reads them with.

mod common;

use common::{root, run_in, scratch, snapshots, Run};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The scheduler inputs of the generated report, in order: example file,
/// and the execution-date stamped on it.
const INPUTS: &[&str] = &[
    "web-standby.xml",
    "drbd-vm.xml",
    "drbd-vm-dual.xml",
    "drbd-flawed.xml",
];
const START: i64 = 1_772_355_600; // 2026-03-01 09:00:00Z

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("testdata/examples").join(name)).expect("example")
}

/// Add `execution-date` to the `<cib>` tag.
fn stamp(xml: &str, when: i64) -> String {
    xml.replacen("<cib ", &format!("<cib execution-date=\"{when}\" "), 1)
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    e.write_all(data).expect("bzip2");
    e.finish().expect("bzip2")
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut e =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).expect("xz");
    e.write_all(data).expect("xz");
    e.finish().expect("xz")
}

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, data).expect("write");
}

/// crm_report's layout under `dir/report`:
/// - node1 (the DC) has pe-input-0..3.bz2;
/// - node2 has identical copies of pe-input-2 and 3 (xz, under pcmk/)
///   and a pe-warn-4.gz of its own;
/// - node3 has an older cib.xml (epoch one lower, a constraint missing).
fn make_report(dir: &Path) -> PathBuf {
    let rep = dir.join("report");
    let _ = std::fs::remove_dir_all(&rep);
    write(
        &rep.join("description.txt"),
        b"generated for cibcheck tests\n",
    );
    write(&rep.join("analysis.txt"), b"\n");
    let texts: Vec<String> = INPUTS
        .iter()
        .enumerate()
        .map(|(i, n)| stamp(&example(n), START + 60 * i as i64))
        .collect();
    let last = texts.last().expect("inputs").clone();
    for n in ["node1", "node2", "node3"] {
        let cib = if n == "node3" {
            let older = lower_epoch(&last);
            drop_first_location(&older)
        } else {
            last.clone()
        };
        write(&rep.join(n).join("cib.xml"), cib.as_bytes());
    }
    for (i, t) in texts.iter().enumerate() {
        write(
            &rep.join(format!("node1/pengine/pe-input-{i}.bz2")),
            &bz2(t.as_bytes()),
        );
        if i >= 2 {
            write(
                &rep.join(format!("node2/pcmk/pengine/pe-input-{i}.xz")),
                &xz(t.as_bytes()),
            );
        }
    }
    // carol, out of standby, then lost uncleanly: fenced, its resources
    // recovered elsewhere.
    let warn = stamp(&example("web-standby.xml"), START + 600)
        .replace(
            "<nvpair id=\"nodes-3-standby\" name=\"standby\" value=\"on\"/>",
            "",
        )
        .replace(
            "uname=\"carol\" in_ccm=\"true\" crmd=\"online\"",
            "uname=\"carol\" in_ccm=\"false\" crmd=\"offline\"",
        );
    write(
        &rep.join("node2/pengine/pe-warn-4.gz"),
        &gz(warn.as_bytes()),
    );
    rep
}

fn lower_epoch(xml: &str) -> String {
    let at = xml.find(" epoch=\"").expect("epoch") + 8;
    let end = at + xml[at..].find('"').expect("quote");
    let n: u64 = xml[at..end].parse().expect("epoch number");
    format!("{}{}{}", &xml[..at], n.saturating_sub(1), &xml[end..])
}

fn drop_first_location(xml: &str) -> String {
    let at = xml.find("<rsc_location").expect("a location");
    let end = at + xml[at..].find("/>").expect("end") + 2;
    format!("{}{}", &xml[..at], &xml[end..])
}

/// `dir/report.tar.EXT` holding `dir/report`.
fn archive(dir: &Path, ext: &str) -> PathBuf {
    let path = dir.join(format!("report.{ext}"));
    let f = std::fs::File::create(&path).expect("archive");
    let w: Box<dyn Write> = match ext {
        "tar" => Box::new(f),
        "tar.bz2" => Box::new(bzip2::write::BzEncoder::new(
            f,
            bzip2::Compression::default(),
        )),
        "tar.gz" => Box::new(flate2::write::GzEncoder::new(
            f,
            flate2::Compression::default(),
        )),
        _ => Box::new(
            lzma_rust2::XzWriter::new(f, lzma_rust2::XzOptions::default())
                .expect("xz")
                .auto_finish(),
        ),
    };
    let mut t = tar::Builder::new(w);
    t.append_dir_all("report", dir.join("report")).expect("tar");
    t.into_inner().expect("tar").flush().expect("flush");
    path
}

fn cib(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, None)
}

#[test]
fn lint_report_compares_the_nodes_copies() {
    let dir = scratch("report-lint");
    make_report(&dir);
    let r = cib(
        &dir,
        &[
            "lint",
            "--now",
            common::NOW,
            "--format",
            "concise",
            "report",
        ],
    );
    // Findings of the examples' own, plus the report's.
    assert_eq!(r.code, 1, "{}", r.stderr);
    snapshots().bind(|| insta::assert_snapshot!("report_lint_concise", r.stdout));
    let rp: Vec<&str> = r.stdout.lines().filter(|l| l.contains(" RP00")).collect();
    assert_eq!(rp.len(), 2, "{}", r.stdout);
    assert!(rp.iter().all(|l| l.starts_with("report/node3/cib.xml:")));

    // The same findings in every format, from an archive too.
    archive(&dir, "tar.xz");
    for format in ["json", "sarif", "github", "human"] {
        let r = cib(
            &dir,
            &[
                "lint",
                "--now",
                common::NOW,
                "--format",
                format,
                "--color",
                "never",
                "report.tar.xz",
            ],
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        for code in ["RP001", "RP002"] {
            assert!(
                r.stdout.contains(code),
                "{format}: no {code}:\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains("report.tar.xz//report/node3/cib.xml"),
            "{format}: {}",
            r.stdout
        );
    }
}

#[test]
fn history_table_and_json() {
    let dir = scratch("report-history");
    make_report(&dir);
    let table = cib(&dir, &["history", "--color", "never", "report"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    snapshots().bind(|| insta::assert_snapshot!("report_history_table", table.stdout));

    let json = cib(&dir, &["history", "--format", "json", "report"]).json();
    let transitions = json["transitions"].as_array().expect("transitions");
    // pe-input-0..3 on node1, pe-warn-4 on node2; node2's copies of
    // pe-input-2 and 3 are the same inputs.
    assert_eq!(transitions.len(), 5);
    assert_eq!(
        transitions[2]["identical_copies"],
        serde_json::json!(["report/node2/pcmk/pengine/pe-input-2.xz"])
    );
    let brief: Vec<serde_json::Value> = transitions
        .iter()
        .map(|t| {
            serde_json::json!({
                "path": t["path"], "node": t["node"], "series": t["series"],
                "number": t["number"], "time": t["time"], "dc": t["dc"],
                "eventful": t["eventful"], "decisions": t["decisions"],
                "transition_summary": t["transition_summary"],
            })
        })
        .collect();
    snapshots().bind(|| insta::assert_json_snapshot!("report_history_json", brief));

    // Each transition carries the object `simulate --format json` prints
    // for its input.
    for t in transitions {
        let path = t["source"].as_str().expect("source");
        let sim = cib(&dir, &["simulate", "--format", "json", path]).json();
        assert_eq!(t["version"], sim["version"], "{path}");
        assert_eq!(t["steps"], sim["steps"], "{path}");
    }

    // From each kind of archive, the same timeline.
    for ext in ["tar", "tar.bz2", "tar.gz", "tar.xz"] {
        let a = archive(&dir, ext);
        let name = a.file_name().and_then(|n| n.to_str()).expect("name");
        let other = cib(&dir, &["history", "--format", "json", name]).json();
        let other = other["transitions"].as_array().expect("transitions");
        assert_eq!(other.len(), transitions.len(), "{ext}");
        for (x, y) in transitions.iter().zip(other) {
            assert_eq!(x["steps"], y["steps"], "{ext}");
            assert_eq!(x["node"], y["node"], "{ext}");
            assert_eq!(
                y["source"],
                serde_json::json!(format!("{name}//{}", x["source"].as_str().unwrap_or(""))),
                "{ext}"
            );
        }
    }
}

/// After a DC change the report holds two numberings, one per node
/// directory; history reads them as one timeline, by the inputs' times.
/// Loose files are ordered by number, not as a shell glob lists them.
#[test]
fn history_interleaves_the_dcs_by_time() {
    let dir = scratch("report-history-dcs");
    let rep = dir.join("report");
    let _ = std::fs::remove_dir_all(&rep);
    write(&rep.join("description.txt"), b"two DCs\n");
    let at = |n: &str, when: i64| bz2(stamp(&example(n), when).as_bytes());
    // node1 was DC at 0 and 120, node2 at 60 and 180 (numbers restart).
    write(
        &rep.join("node1/pengine/pe-input-0.bz2"),
        &at("web-standby.xml", START),
    );
    write(
        &rep.join("node1/pengine/pe-input-1.bz2"),
        &at("drbd-vm.xml", START + 120),
    );
    write(
        &rep.join("node2/pengine/pe-input-0.bz2"),
        &at("drbd-vm-dual.xml", START + 60),
    );
    write(
        &rep.join("node2/pengine/pe-input-1.bz2"),
        &at("drbd-flawed.xml", START + 180),
    );
    let order = |args: &[&str]| -> Vec<String> {
        let r = cib(&dir, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["transitions"]
            .as_array()
            .expect("transitions")
            .iter()
            .map(|t| format!("{}/{}", t["node"].as_str().unwrap_or("?"), t["number"]))
            .collect()
    };
    assert_eq!(
        order(&["history", "--format", "json", "report"]),
        ["node1/0", "node2/0", "node1/1", "node2/1"]
    );

    // pe-input-2 and pe-input-10 of one directory, without times: by number.
    let loose = dir.join("loose");
    let _ = std::fs::remove_dir_all(&loose);
    write(
        &loose.join("pe-input-10.bz2"),
        &bz2(example("drbd-vm.xml").as_bytes()),
    );
    write(
        &loose.join("pe-input-2.bz2"),
        &bz2(example("web-standby.xml").as_bytes()),
    );
    let numbers: Vec<String> = order(&[
        "history",
        "--format",
        "json",
        "loose/pe-input-10.bz2",
        "loose/pe-input-2.bz2",
    ])
    .into_iter()
    .map(|t| t.rsplit('/').next().unwrap_or("").to_owned())
    .collect();
    assert_eq!(numbers, ["2", "10"]);
}

#[test]
fn history_filters() {
    let dir = scratch("report-history-filters");
    make_report(&dir);
    let count = |extra: &[&str]| -> usize {
        let mut args = vec!["history", "--format", "json", "report"];
        args.extend_from_slice(extra);
        let r = cib(&dir, &args);
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
        r.json()["transitions"].as_array().map_or(0, Vec::len)
    };
    let all = count(&[]);
    let eventful = count(&["--only-eventful"]);
    assert!(eventful < all, "{eventful} of {all}");
    // db moves off carol twice: standby (pe-input-0), then carol lost
    // (pe-warn-4).
    assert_eq!(count(&["--resource", "db"]), 2);
    assert_eq!(count(&["--node", "carol"]), 2);
    assert_eq!(count(&["--node", "alice"]), 0);
    assert_eq!(count(&["--node", "bob", "--resource", "ping"]), 2);
    assert_eq!(count(&["--resource", "no-such-resource"]), 0);
    assert_eq!(count(&["--since", "2026-03-01T09:01:00Z"]), all - 1);
    assert_eq!(
        count(&[
            "--since",
            "2026-03-01T09:01:00Z",
            "--until",
            "2026-03-01T09:02:30Z"
        ]),
        2
    );
    let bad = cib(&dir, &["history", "--since", "soon", "report"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--since"), "{}", bad.stderr);
}

#[test]
fn compressed_inputs_and_members_read_like_the_plain_file() {
    let dir = scratch("report-compressed");
    let rep = make_report(&dir);
    let plain_path = dir.join("pe-input-0");
    let text = stamp(&example(INPUTS[0]), START);
    write(&plain_path, text.as_bytes());
    let want = cib(
        &dir,
        &["simulate", "--format", "crm-simulate", "pe-input-0"],
    );
    assert_eq!(want.code, 0, "{}", want.stderr);
    for (name, bytes) in [
        ("x.xml.bz2", bz2(text.as_bytes())),
        ("x.gz", gz(text.as_bytes())),
        ("no-extension", xz(text.as_bytes())),
    ] {
        write(&dir.join(name), &bytes);
        let got = cib(&dir, &["simulate", "--format", "crm-simulate", name]);
        assert_eq!(got.stdout, want.stdout, "{name}: {}", got.stderr);
        // And on stdin.
        let got = run_in(
            &dir,
            &["simulate", "--format", "crm-simulate", "-"],
            Some(&bytes),
        );
        assert_eq!(got.stdout, want.stdout, "{name} on stdin: {}", got.stderr);
    }
    // One member of an archive.
    archive(&dir, "tar.bz2");
    let member = "report.tar.bz2//report/node1/pengine/pe-input-0.bz2";
    let got = cib(&dir, &["simulate", "--format", "crm-simulate", member]);
    assert_eq!(got.stdout, want.stdout, "{}", got.stderr);
    let l = cib(
        &dir,
        &["lint", "--format", "concise", "--now", common::NOW, member],
    );
    assert!(
        l.stdout.is_empty() || l.stdout.starts_with(member),
        "{}",
        l.stdout
    );
    let missing = cib(&dir, &["simulate", "report.tar.bz2//report/none.xml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no member"), "{}", missing.stderr);
    // Directory walks find scheduler inputs.
    let l = cib(
        &dir,
        &[
            "lint",
            "--format",
            "json",
            "--now",
            common::NOW,
            "report/node2",
        ],
    );
    let files: Vec<String> = l.json()["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        files,
        [
            "report/node2/cib.xml",
            "report/node2/pcmk/pengine/pe-input-2.xz",
            "report/node2/pcmk/pengine/pe-input-3.xz",
            "report/node2/pengine/pe-warn-4.gz",
        ],
        "{}",
        rep.display()
    );
}

#[test]
fn a_decompression_bomb_is_refused_within_the_limit() {
    let dir = scratch("report-bomb");
    // 300 MB of zeros: one 10 MB bzip2 stream, concatenated 30 times (a
    // multi-stream file decompresses to all of them).
    let one = bz2(&vec![0u8; 10 * 1024 * 1024]);
    let mut bomb = Vec::with_capacity(one.len() * 30);
    for _ in 0..30 {
        bomb.extend_from_slice(&one);
    }
    assert!(bomb.len() < 1024 * 1024);
    write(&dir.join("pe-input-1.bz2"), &bomb);
    for args in [
        &["lint", "--max-size", "1000000", "pe-input-1.bz2"][..],
        &["simulate", "--max-size", "1000000", "pe-input-1.bz2"][..],
        &["history", "--max-size", "1000000", "pe-input-1.bz2"][..],
    ] {
        let r = cib(&dir, args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        let said = format!("{}{}", r.stdout, r.stderr);
        assert!(
            said.contains("decompressed input is larger than 1000000 bytes"),
            "{args:?}: {said}"
        );
    }
    let r = run_in(&dir, &["lint", "--max-size", "1000000", "-"], Some(&bomb));
    assert_eq!(r.code, 2, "{}", r.stdout);
}

#[test]
fn a_doctype_is_accepted() {
    let dir = scratch("report-doctype");
    let text = example("web-standby.xml").replacen(
        "<cib ",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE cib SYSTEM \"http://cibcheck.invalid/cib.dtd\">\n<cib ",
        1,
    );
    write(&dir.join("cib.xml"), text.as_bytes());
    let r = cib(&dir, &["simulate", "--format", "crm-simulate", "cib.xml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Transition Summary:"), "{}", r.stdout);
}

/// The Transition Summary lines of crm_simulate's text, without `  * `.
fn summary_of(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("Transition Summary:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim_start().trim_start_matches("* ").to_owned())
        .collect()
}

fn crm_simulate(path: &Path) -> Option<String> {
    // Its own shadow directory per run: tests run in parallel.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let shadow = scratch(&format!("report-crm-shadow-{n}"));
    let out = Command::new("crm_simulate")
        .arg("-S")
        .arg("-x")
        .arg(path)
        .env("CIB_shadow_dir", &shadow)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn have_crm_simulate() -> bool {
    Command::new("crm_simulate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every scheduler input of `rep`, replayed by history, summarised as
/// crm_simulate summarises it; compressed or not, simulate prints the
/// same as crm_simulate.
fn check_against_crm_simulate(dir: &Path, rep: &str) -> usize {
    let json = cib(dir, &["history", "--format", "json", rep]).json();
    let transitions = json["transitions"].as_array().expect("transitions");
    for t in transitions {
        let source = t["source"].as_str().expect("source");
        let path = dir.join(source);
        let theirs = crm_simulate(&path).expect("crm_simulate runs");
        let ours: Vec<String> = t["transition_summary"]
            .as_array()
            .expect("summary")
            .iter()
            .filter_map(|l| l.as_str().map(|l| l.trim().to_owned()))
            .collect();
        let want: Vec<String> = summary_of(&theirs)
            .iter()
            .map(|l| l.trim().to_owned())
            .collect();
        assert_eq!(ours, want, "{source}");
        let sim = cib(dir, &["simulate", "--format", "crm-simulate", source]);
        assert_eq!(sim.stdout, theirs, "{source}");
    }
    transitions.len()
}

#[test]
fn history_agrees_with_crm_simulate() {
    if !have_crm_simulate() {
        eprintln!("history_agrees_with_crm_simulate: skipped, crm_simulate is not installed");
        return;
    }
    let dir = scratch("report-differential");
    make_report(&dir);
    assert_eq!(check_against_crm_simulate(&dir, "report"), 5);
}

/// A report laid out by scripts/make-report.py from CIBs of Pacemaker's
/// regression corpus (read where it is, never copied here).
#[test]
fn corpus_report_from_make_report_script() {
    let corpus = std::env::var_os("PCMK_CTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/pcmk-cts"))
        .join("xml");
    if !corpus.is_dir() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("corpus missing at {} under CI", corpus.display());
        }
        eprintln!(
            "corpus_report_from_make_report_script: skipped, no corpus at {}",
            corpus.display()
        );
        return;
    }
    let dir = scratch("report-corpus");
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("scripts/make-report.py"))
        .arg(dir.join("rep"))
        .args(["--stale", "node3", "--archive", "tar.bz2"]);
    for name in ["1360.xml", "a-demote-then-b-migrate.xml", "bug-1572-1.xml"] {
        cmd.arg(corpus.join(name));
    }
    let Ok(out) = cmd.output() else {
        eprintln!("corpus_report_from_make_report_script: skipped, python3 is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = cib(
        &dir,
        &["lint", "--format", "concise", "--now", common::NOW, "rep"],
    );
    assert!(l.stdout.contains("rep/node3/cib.xml:"), "{}", l.stdout);
    assert!(l.stdout.contains(" RP001 "), "{}", l.stdout);
    let h = cib(&dir, &["history", "--format", "json", "rep.tar.bz2"]).json();
    assert_eq!(h["transitions"].as_array().map_or(0, Vec::len), 3);
    if have_crm_simulate() {
        assert_eq!(check_against_crm_simulate(&dir, "rep"), 3);
    } else {
        eprintln!(
            "corpus_report_from_make_report_script: crm_simulate not installed, not compared"
        );
    }
}

/// sosreport's layout: the CIB under var/lib/pacemaker/cib and as a
/// command's output under sos_commands/pacemaker, scheduler inputs under
/// var/lib/pacemaker/pengine; all of it the one node's.
#[test]
fn sosreport_layout() {
    let dir = scratch("report-sos");
    let sos = dir.join("sosreport-alice-2026-03-01");
    let text = stamp(&example("web-standby.xml"), START);
    write(
        &sos.join("sos_commands/pacemaker/pcs_cluster_cib"),
        text.as_bytes(),
    );
    write(
        &sos.join("sos_commands/pacemaker/pcs_cluster_cib_--scope"),
        b"Error: unable to get cib\n",
    );
    write(
        &sos.join("sos_commands/pacemaker/crm_mon_-1"),
        b"Cluster Summary:\n",
    );
    write(&sos.join("var/lib/pacemaker/cib/cib.xml"), text.as_bytes());
    write(
        &sos.join("var/lib/pacemaker/pengine/pe-input-7.bz2"),
        &bz2(text.as_bytes()),
    );
    let name = "sosreport-alice-2026-03-01";
    let l = cib(
        &dir,
        &["lint", "--format", "json", "--now", common::NOW, name],
    );
    let files: Vec<String> = l.json()["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        files,
        [
            format!("{name}/sos_commands/pacemaker/pcs_cluster_cib"),
            format!("{name}/var/lib/pacemaker/cib/cib.xml"),
        ]
    );
    assert!(l.stderr.contains("not a CIB"), "{}", l.stderr);
    // Two copies of the same version: nothing to report about them.
    assert!(!l.stdout.contains("RP00"), "{}", l.stdout);
    let h = cib(&dir, &["history", "--format", "json", name]).json();
    let t = &h["transitions"][0];
    assert_eq!(t["node"], serde_json::json!(name));
    assert_eq!(t["number"], serde_json::json!(7));
    assert_eq!(h["transitions"].as_array().map_or(0, Vec::len), 1);
}

/// resilience and diff read compressed inputs and archive members too.
#[test]
fn resilience_and_diff_read_compressed_inputs() {
    let dir = scratch("report-other-commands");
    make_report(&dir);
    archive(&dir, "tar.gz");
    let plain = cib(
        &dir,
        &["resilience", "--format", "json", "report/node1/cib.xml"],
    );
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    write(
        &dir.join("cib.xml.xz"),
        &xz(&std::fs::read(dir.join("report/node1/cib.xml")).expect("cib")),
    );
    let packed = cib(&dir, &["resilience", "--format", "json", "cib.xml.xz"]);
    assert_eq!(packed.stdout, plain.stdout, "{}", packed.stderr);
    let d = cib(
        &dir,
        &[
            "diff",
            "--format",
            "json",
            "report.tar.gz//report/node3/cib.xml",
            "cib.xml.xz",
        ],
    );
    assert_eq!(d.code, 0, "{}", d.stderr);
    assert!(d.json().is_object());
}

/// An archive that inflates without end is given up on after
/// `--max-size` × 16 decompressed bytes.
#[test]
fn an_archive_bomb_is_refused() {
    let dir = scratch("report-archive-bomb");
    let mut header = tar::Header::new_gnu();
    header
        .set_path("report/node1/pengine/pe-input-1")
        .expect("path");
    header.set_size(300 * 1024 * 1024);
    header.set_mode(0o644);
    header.set_cksum();
    // The member's 300 MB of zeros as 30 concatenated bzip2 streams.
    let mut bomb = bz2(header.as_bytes());
    let chunk = bz2(&vec![0u8; 10 * 1024 * 1024]);
    for _ in 0..30 {
        bomb.extend_from_slice(&chunk);
    }
    write(&dir.join("bomb.tar.bz2"), &bomb);
    let r = cib(&dir, &["history", "--max-size", "1000000", "bomb.tar.bz2"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("larger than 16000000 bytes decompressed"),
        "{}",
        r.stderr
    );
}
