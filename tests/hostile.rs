//! Hostile input, one kind per fixture in `testdata/hostile/` plus large
//! ones generated at test time (never committed): each gives a located
//! error with exit 2, or a bounded answer (and, where the real
//! `crm_simulate` is installed, the same answer as it). Every run has a
//! generous watchdog, and on Linux an address-space limit, so that a hang
//! or a memory blow-up fails the test instead of the machine.

mod common;

use common::{root, NOW};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest any single run may take before it counts as a hang; loose on
/// purpose (shared CI machines), the point is "bounded", not "fast".
const WATCHDOG: Duration = Duration::from_secs(120);
/// Address space a run may use (KiB), enforced with `ulimit -v`.
const MEMORY_KIB: u64 = 8 * 1024 * 1024;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cibcheck(args: &[&str], env: &[(&str, &str)]) -> Out {
    let exe = env!("CARGO_BIN_EXE_cibcheck");
    let mut cmd = if cfg!(target_os = "linux") {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
            .arg(exe);
        c
    } else {
        Command::new(exe)
    };
    cmd.args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CIBCHECK_MAX_SIZE")
        .env_remove("CIBCHECK_MAX_DEPTH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("cibcheck runs");
    // Drain the pipes on threads so that a large output cannot block.
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = so.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = se.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("cibcheck {args:?} still running after {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Out {
        code: status.code().unwrap_or(-1),
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
    }
}

fn fixture(name: &str) -> String {
    format!("testdata/hostile/{name}")
}

/// `lint --format concise --select IN`: exit 2, first line located at
/// `line:col` of `path`, with `code` and a message containing `words`.
fn assert_located(path: &str, line_col: &str, code: &str, words: &str) {
    let r = cibcheck(
        &[
            "lint", "--now", NOW, "--format", "concise", "--select", "IN", path,
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{path}: {}{}", r.stdout, r.stderr);
    let first = r.stdout.lines().next().unwrap_or_default();
    // `line_col` is `L:C`, `L:` (any column) or empty (any place).
    let want = match line_col {
        "" => format!("{path}:"),
        lc if lc.ends_with(':') => format!("{path}:{lc}"),
        lc => format!("{path}:{lc}:"),
    };
    assert!(first.starts_with(&want), "{path}: want {want}, got {first}");
    assert!(
        first.contains(&format!(" {code} [error]")),
        "{path}: {first}"
    );
    assert!(first.contains(words), "{path}: `{words}` not in {first}");
    // An input that cannot be read as XML is refused by simulate too, at
    // the same place; a CIB that breaks the schema (duplicate ids) is
    // refused as crm_simulate refuses it, with the schema violations.
    let s = cibcheck(&["simulate", path], &[]);
    if code != "IN000" {
        if s.code == 2 {
            assert!(s.stderr.contains("SC001"), "{path}: {}", s.stderr);
        } else {
            assert!([0, 3].contains(&s.code), "{path}: {}", s.stderr);
        }
        return;
    }
    assert_eq!(s.code, 2, "{path}: {}{}", s.stdout, s.stderr);
    assert!(
        s.stderr.contains(want.trim_end_matches(':')),
        "{path}: simulate error not located: {}",
        s.stderr
    );
}

/// Kinds whose answer is an error at a known place.
const LOCATED: &[(&str, &str, &str, &str)] = &[
    // A DOCTYPE is accepted (Pacemaker reads such files) but nothing it
    // declares is used: its entities stay unknown where they are used.
    ("billion-laughs.xml", "15:", "IN000", "unknown entity"),
    (
        "external-entity.xml",
        "7:",
        "IN000",
        "unknown entity `&xxe;`",
    ),
    ("undeclared-entity.xml", "3:", "IN000", "entit"),
    ("invalid-utf8.xml", "2:", "IN000", "UTF-8"),
    ("nul-bytes.xml", "2:", "IN000", ""),
    ("utf16.xml", "1:1", "IN000", ""),
    ("duplicate-ids.xml", "", "IN002", "A"),
];

/// Kinds that must give a bounded answer: fixture, and the exit codes
/// `simulate` may give (0, or 3 for a construct refused with SIM001).
const ANSWERED: &[(&str, &[i32])] = &[
    ("order-loop.xml", &[0]),
    ("colocation-cycle.xml", &[0]),
    ("idref-self.xml", &[0, 2]),
    ("idref-cycle.xml", &[0, 2]),
    // Refused as crm_simulate 2.1.5 refuses them: they break the schema
    // (a score beyond what xsd:integer holds; text in <resources>; a
    // <cib> without its epoch attributes).
    ("huge-scores.xml", &[2]),
    ("absurd-dates.xml", &[0]),
    ("self-constraints.xml", &[0, 3]),
    ("cdata-pi.xml", &[2]),
    // Neither the external DTD nor the parameter entity is fetched.
    ("external-dtd.xml", &[2]),
    ("parameter-entity.xml", &[2]),
];

#[test]
fn the_fixture_list_is_complete_and_has_fifteen_kinds() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("testdata/hostile"))
        .expect("testdata/hostile")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = LOCATED
        .iter()
        .map(|k| k.0)
        .chain(ANSWERED.iter().map(|k| k.0))
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    // Plus the generated kinds below: depth bomb, huge attribute, 100 MB
    // file, thousands of nodes, many attributes, many elements, long
    // id-ref chain.
    assert!(listed.len() + 7 >= 15);
}

#[test]
fn located_errors() {
    for (name, at, code, words) in LOCATED {
        let path = fixture(name);
        assert_located(&path, at, code, words);
    }
}

/// crm_simulate's answer for `path`, when it is installed.
fn crm_simulate(path: &Path) -> Option<String> {
    let tmp = std::env::temp_dir().join(format!("cibcheck-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).ok()?;
    let out = Command::new("crm_simulate")
        .arg("-S")
        .arg("-x")
        .arg(path)
        .env("CIB_shadow_dir", &tmp)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn bounded_answers() {
    for (name, codes) in ANSWERED {
        let path = fixture(name);
        let l = cibcheck(&["lint", "--now", NOW, "--format", "concise", &path], &[]);
        assert!([0, 1, 2].contains(&l.code), "{name}: lint {}", l.stderr);
        if l.code == 2 {
            assert!(
                l.stdout.starts_with(&format!("{path}:")),
                "{name}: {}",
                l.stdout
            );
        }
        let s = cibcheck(&["simulate", "--format", "crm-simulate", &path], &[]);
        assert!(
            codes.contains(&s.code),
            "{name}: simulate exit {}: {}{}",
            s.code,
            s.stdout,
            s.stderr
        );
        if s.code == 0 {
            if let Some(want) = crm_simulate(&root().join(&path)) {
                assert_eq!(s.stdout, want, "{name}: differs from crm_simulate");
            }
        } else {
            assert!(
                s.stderr.contains(&format!("{path}:")),
                "{name}: {}",
                s.stderr
            );
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("cibcheck-hostile-gen-{}", std::process::id()))
        .join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const HEAD: &str = "<cib validate-with=\"pacemaker-3.9\" crm_feature_set=\"3.16.1\" epoch=\"1\" \
    num_updates=\"0\" admin_epoch=\"0\" have-quorum=\"1\" dc-uuid=\"1\" execution-date=\"1700000000\">\n";

fn small_cib(extra_resources: &str) -> String {
    format!(
        "{HEAD}  <configuration>\n    <crm_config><cluster_property_set id=\"o\">\
         <nvpair id=\"o-s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config>\n    \
         <nodes><node id=\"1\" uname=\"node1\"/></nodes>\n    <resources>\
         <primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>{extra_resources}</resources>\n    \
         <constraints/>\n  </configuration>\n  <status/>\n</cib>\n"
    )
}

#[test]
fn nesting_depth_bomb() {
    let dir = scratch("depth");
    let depth = 200_000;
    let text = format!(
        "{HEAD}{}{}</cib>\n",
        "<configuration>".repeat(depth),
        "</configuration>".repeat(depth)
    );
    let path = dir.join("deep.xml");
    std::fs::write(&path, text).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(&["lint", "--format", "concise", &p], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.contains("nested deeper than 256"), "{}", r.stdout);
    assert!(r.stdout.starts_with(&format!("{p}:2:")), "{}", r.stdout);
    // The limit is a flag and an environment variable.
    let r = cibcheck(&["simulate", &p], &[("CIBCHECK_MAX_DEPTH", "10")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nested deeper than 10"), "{}", r.stderr);
}

#[test]
fn enormous_attribute_value() {
    let dir = scratch("attr");
    let big = "x".repeat(8 << 20);
    let text = small_cib(&format!(
        "<primitive id=\"B\" class=\"ocf\" provider=\"pacemaker\" type=\"{big}\"/>"
    ));
    let path = dir.join("attr.xml");
    std::fs::write(&path, text).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(&["lint", "--format", "concise", &p], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.starts_with(&format!("{p}:5:")), "{}", r.stdout);
    // The finding quotes no megabytes of the value.
    assert!(
        r.stdout.len() < 10_000,
        "{} bytes of output",
        r.stdout.len()
    );
}

#[test]
fn many_attributes_on_one_element() {
    let dir = scratch("attrs");
    let attrs: String = (0..50_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let text = small_cib(&format!(
        "<primitive id=\"B\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"{attrs}/>"
    ));
    let path = dir.join("attrs.xml");
    std::fs::write(&path, text).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(&["lint", "--now", NOW, "--format", "concise", &p], &[]);
    // Each unknown attribute breaks the schema (SC001, an input error).
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    // Pacemaker refuses such a CIB; the refusal shows a bounded number
    // of the violations.
    let s = cibcheck(&["simulate", &p], &[]);
    assert_eq!(s.code, 2, "{}", s.stderr);
    assert!(s.stderr.contains("SC001"), "{}", s.stderr);
    assert!(s.stderr.len() < 50_000, "{} bytes", s.stderr.len());
}

#[test]
fn a_hundred_megabyte_file() {
    let dir = scratch("big");
    let path = dir.join("big.xml");
    {
        use std::io::Write;
        let f = std::fs::File::create(&path).expect("create");
        let mut w = std::io::BufWriter::new(f);
        let cib = small_cib("");
        let (head, tail) = cib.split_at(cib.find("<status/>").expect("status"));
        w.write_all(head.as_bytes()).expect("write");
        // 100 MB of comments between sections: a valid CIB, mostly padding.
        let line = format!("<!-- {} -->\n", "p".repeat(1000));
        for _ in 0..(100 << 20) / line.len() {
            w.write_all(line.as_bytes()).expect("write");
        }
        w.write_all(tail.as_bytes()).expect("write");
    }
    let p = path.to_string_lossy();
    // With a lower limit: a clear size-limit error, by flag or environment.
    let r = cibcheck(
        &["lint", "--format", "concise", "--max-size", "10000000", &p],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("larger than 10000000 bytes"),
        "{}",
        r.stdout
    );
    let r = cibcheck(&["simulate", &p], &[("CIBCHECK_MAX_SIZE", "10000000")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--max-size"), "{}", r.stderr);
    // Under the default limit: a bounded, correct answer.
    let r = cibcheck(&["lint", "--now", NOW, "--format", "concise", &p], &[]);
    assert!([0, 1].contains(&r.code), "{}{}", r.stdout, r.stderr);
    let s = cibcheck(&["simulate", &p], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn thousands_of_nodes() {
    let dir = scratch("nodes");
    let n = 3000;
    let mut x = String::from(HEAD);
    x.push_str(
        "  <configuration>\n    <crm_config><cluster_property_set id=\"o\">\
         <nvpair id=\"o-s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config>\n    <nodes>\n",
    );
    for i in 1..=n {
        x.push_str(&format!("      <node id=\"{i}\" uname=\"n{i}\"/>\n"));
    }
    x.push_str(
        "    </nodes>\n    <resources>\
         <primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>\
         <clone id=\"C\"><primitive id=\"Cx\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/></clone>\
         </resources>\n    <constraints><rsc_location id=\"l\" rsc=\"A\" node=\"n7\" score=\"100\"/></constraints>\n  \
         </configuration>\n  <status>\n",
    );
    for i in 1..=n {
        x.push_str(&format!(
            "    <node_state id=\"{i}\" uname=\"n{i}\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>\n"
        ));
    }
    x.push_str("  </status>\n</cib>\n");
    let path = dir.join("nodes.xml");
    std::fs::write(&path, x).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(&["lint", "--now", NOW, "--format", "concise", &p], &[]);
    assert!([0, 1].contains(&r.code), "{}{}", r.stdout, r.stderr);
    let s = cibcheck(&["simulate", "--format", "json", &p], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    // A is placed where it is preferred; the clone runs everywhere.
    assert!(s.stdout.contains("\"n7\""), "A not placed on n7");
}

#[test]
fn a_million_elements() {
    let dir = scratch("elements");
    let nv: String = (0..1_000_000)
        .map(|i| format!("<nvpair id=\"p{i}\" name=\"p{i}\" value=\"{i}\"/>"))
        .collect();
    let text = small_cib("").replace(
        "</cluster_property_set>",
        &format!(
            "</cluster_property_set><cluster_property_set id=\"many\">{nv}</cluster_property_set>"
        ),
    );
    let path = dir.join("elements.xml");
    std::fs::write(&path, text).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(&["lint", "--now", NOW, "--format", "concise", &p], &[]);
    assert!([0, 1].contains(&r.code), "{}", r.stderr);
    let s = cibcheck(&["simulate", &p], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let _ = std::fs::remove_file(&path);
}

/// The in-memory schema upgrade moves and drops elements: on an old CIB
/// with a hundred thousand legacy options in one set and as many ACL
/// permissions under one user, every one is rewritten and reported (an
/// edit that scanned its siblings made this quadratic).
#[test]
fn an_old_schema_cib_with_huge_sets() {
    let dir = scratch("upgrade");
    let n = 100_000;
    let options: String = (0..n)
        .map(|i| format!("<nvpair id=\"q{i}\" name=\"expected-quorum-votes\" value=\"2\"/>"))
        .collect();
    let perms: String = (0..n)
        .map(|i| format!("<read id=\"r{i}\" xpath=\"/cib\"/>"))
        .collect();
    let text = format!(
        "<cib validate-with=\"pacemaker-1.2\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">\
         <configuration><crm_config><cluster_property_set id=\"o\">{options}</cluster_property_set>\
         </crm_config><nodes/><resources/><constraints/><acls><acl_user id=\"big\">{perms}</acl_user>\
         </acls></configuration></cib>\n"
    );
    let path = dir.join("upgrade.xml");
    std::fs::write(&path, text).expect("write");
    let p = path.to_string_lossy();
    let r = cibcheck(
        &[
            "lint", "--now", NOW, "--format", "concise", "--select", "DE004", &p,
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Each option dropped, each permission converted, the user renamed
    // and given a role of its own.
    assert_eq!(r.stdout.lines().count(), 2 * n + 2, "{}", r.stderr);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn long_id_ref_chain() {
    let dir = scratch("chain");
    // Each resource's meta_attributes refers to the previous one's.
    let n = 20_000;
    let mut r = String::new();
    for i in 0..n {
        let meta = if i == 0 {
            "<meta_attributes id=\"m0\"><nvpair id=\"m0-t\" name=\"target-role\" value=\"Stopped\"/></meta_attributes>".to_owned()
        } else {
            // An element that both defines an id and refers to another.
            format!("<meta_attributes id=\"m{i}\" id-ref=\"m{}\"/>", i - 1)
        };
        r.push_str(&format!(
            "<primitive id=\"R{i}\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">{meta}</primitive>"
        ));
    }
    let path = dir.join("chain.xml");
    std::fs::write(&path, small_cib(&r)).expect("write");
    let p = path.to_string_lossy();
    let l = cibcheck(&["lint", "--now", NOW, "--format", "concise", &p], &[]);
    assert!([0, 1, 2].contains(&l.code), "{}", l.stderr);
    let s = cibcheck(&["simulate", &p], &[]);
    assert!([0, 2].contains(&s.code), "{}", s.stderr);
}

/// A CIB written on one line (as many tools write XML), with `n` stopped
/// primitives with `filler` just before their target-role's value: each
/// gives one MA003.
fn one_line_cib(n: usize, filler: &str) -> String {
    let rscs: String = (0..n)
        .map(|i| {
            format!(
                "<primitive id=\"r{i}\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\" \
                 description=\"{filler}\"><meta_attributes id=\"r{i}-m\"><nvpair id=\"r{i}-m-t\" \
                 name=\"target-role\" z=\"{filler}\" value=\"Stopped\"/></meta_attributes>\
                 </primitive>"
            )
        })
        .collect();
    small_cib(&rscs).replace('\n', "")
}

fn assert_human_bounded(p: &str, n: usize, width: usize) {
    let w = width.to_string();
    let r = cibcheck(
        &["lint", "--now", NOW, "--select", "MA003", "--width", &w, p],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(r.stdout.matches("MA003(target-role-stopped)").count(), n);
    let last = format!("primitive `r{}`", n - 1);
    assert!(r.stdout.contains(&last), "{last} not named");
    // No line is drawn whole: every output line stays near the width
    // (a wide character takes two columns but is one char here), but for
    // the snippet headers, which name the file.
    let longest = r
        .stdout
        .lines()
        .filter(|l| !l.contains("╭─["))
        .map(|l| l.chars().count())
        .max();
    assert!(
        longest.unwrap_or(0) <= width + 4,
        "a line of {longest:?} chars"
    );
    assert!(r.stdout.len() < n * 40 * width, "{} bytes", r.stdout.len());
}

#[test]
fn one_line_cib_in_every_format() {
    let dir = scratch("one-line");
    let n = 400;
    let path = dir.join("one-line.xml");
    std::fs::write(&path, one_line_cib(n, &"padding ".repeat(40))).expect("write");
    let p = path.to_string_lossy();
    // Far past column 65535, where miette used to panic.
    assert_human_bounded(&p, n, 100);
    assert_human_bounded(&p, n, 40);
    for format in ["concise", "json", "sarif", "github"] {
        let r = cibcheck(
            &[
                "lint", "--now", NOW, "--select", "MA003", "--format", format, &p,
            ],
            &[],
        );
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(r.stdout.contains(&format!("r{}", n - 1)), "{format}");
        assert!(
            r.stdout.len() < n * 2000,
            "{format}: {} bytes",
            r.stdout.len()
        );
    }
}

#[test]
fn wide_and_combining_characters_on_one_line() {
    let dir = scratch("wide");
    for (name, filler, n) in [
        ("cjk", "資源說明".repeat(60), 30),
        ("combining", "e\u{301}a\u{308}\u{323}".repeat(120), 30),
        ("emoji", "🖥️ 👩‍👩‍👧 ".repeat(50), 30),
        // A run of marks that take no column must not make a line long.
        ("marks", format!("e{}", "\u{301}".repeat(200_000)), 3),
    ] {
        let path = dir.join(format!("{name}.xml"));
        std::fs::write(&path, one_line_cib(n, &filler)).expect("write");
        let p = path.to_string_lossy();
        assert_human_bounded(&p, n, 80);
    }
}
