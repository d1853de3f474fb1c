//! The schema check against Pacemaker's own verdict.
//!
//! - Every CIB of the regression corpus (`../shared/pcmk-cts/xml`, or
//!   `$PCMK_CTS/xml`) gets the same valid/invalid verdict as `crm_verify`
//!   2.1.5 gives it (when installed; skipped otherwise): the corpus is the
//!   no-false-positive test, a false refusal would also drop the
//!   conformance ratchets.
//! - The fixtures under `testdata/schema/` (`valid-*`, `invalid-*`,
//!   `refused-*`: an old CIB the upgrade cannot bring to 3.0) have the
//!   verdict their name says, `crm_verify` agrees when installed and
//!   points at a line cibcheck points at too, and what `simulate` prints
//!   when it refuses is snapshot-tested.

use cibcheck::cib::{load, SourceFile};
use cibcheck::xml::{LineIndex, ParseLimits};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const CRM_VERIFY: &str = "/usr/sbin/crm_verify";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PCMK_CTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/pcmk-cts"))
        .join("xml");
    dir.is_dir().then_some(dir)
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    v.sort();
    v
}

/// cibcheck's verdict as crm_verify gives it (2.1.5 profile): invalid when
/// the named schema is unknown or broken, or Pacemaker would refuse the
/// CIB; with the lines of the violations.
fn ours(path: &Path) -> (bool, BTreeSet<usize>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let source = SourceFile {
        name: path.display().to_string(),
        text: Arc::from(text.as_str()),
    };
    let Ok(cib) = load(source, ParseLimits::default()) else {
        return (true, BTreeSet::new());
    };
    let s = &cib.schema;
    let named = s.named.as_deref().map(str::trim).unwrap_or("none");
    let unknown = !named.eq_ignore_ascii_case("none") && s.named_version.is_none();
    let lines = LineIndex::new(&text);
    let mut at: BTreeSet<usize> = s
        .violations
        .iter()
        .map(|v| lines.line_col(v.span.start as usize).0)
        .collect();
    if let Some(r) = &s.refusal {
        at.extend(
            r.violations
                .iter()
                .filter(|v| !v.span.is_empty())
                .map(|v| lines.line_col(v.span.start as usize).0),
        );
    }
    (
        unknown || !s.violations.is_empty() || s.refusal.is_some(),
        at,
    )
}

/// crm_verify's schema verdict, and the lines its validation errors name.
fn crm_verify(path: &Path) -> Option<(bool, BTreeSet<usize>)> {
    let out = Command::new(CRM_VERIFY)
        .arg("-V")
        .arg("-x")
        .arg(path)
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let invalid = [
        "validity error",
        "Unknown validator",
        "Cannot upgrade",
        "did not pass schema",
    ]
    .iter()
    .any(|p| text.contains(p));
    let prefix = format!("{}:", path.display());
    let lines = text
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|l| l.split(':').next()?.trim().parse().ok())
        .collect();
    Some((invalid, lines))
}

fn have_crm_verify() -> bool {
    Path::new(CRM_VERIFY).exists()
}

#[test]
fn corpus_verdicts_agree_with_crm_verify() {
    let Some(dir) = corpus() else {
        assert!(
            std::env::var("CI").is_err(),
            "the corpus is missing under CI"
        );
        eprintln!("skipped: no corpus at ../shared/pcmk-cts");
        return;
    };
    let files = xml_files(&dir);
    assert!(
        files.len() > 100,
        "{} files in {}",
        files.len(),
        dir.display()
    );
    // Without crm_verify: the corpus still must raise no schema finding
    // (crm_verify 2.1.5 rejects none of it for schema reasons).
    let verify = have_crm_verify();
    if !verify {
        eprintln!("crm_verify not installed: checking that nothing is flagged");
    }
    let mut disagree = Vec::new();
    let mut invalid = 0;
    for f in &files {
        let (o, _) = ours(f);
        let theirs = if verify {
            crm_verify(f).is_some_and(|v| v.0)
        } else {
            false
        };
        invalid += usize::from(theirs);
        if o != theirs {
            disagree.push(format!(
                "{}: cibcheck {}, crm_verify {}",
                f.display(),
                if o { "invalid" } else { "valid" },
                if theirs { "invalid" } else { "valid" }
            ));
        }
    }
    eprintln!(
        "schema verdicts: {}/{} agree ({} invalid for crm_verify)",
        files.len() - disagree.len(),
        files.len(),
        invalid
    );
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}

#[test]
fn fixtures_have_the_verdict_their_name_says() {
    let files = xml_files(&root().join("testdata/schema"));
    assert!(files.len() >= 8, "{} fixtures", files.len());
    let mut wrong = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let expect_invalid = !name.starts_with("valid-");
        let (o, ours_lines) = ours(f);
        if o != expect_invalid {
            wrong.push(format!("{name}: cibcheck says invalid={o}"));
        }
        if name.starts_with("refused-") {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let cib = load(
                SourceFile {
                    name: name.into(),
                    text: Arc::from(text),
                },
                ParseLimits::default(),
            );
            if !cib.is_ok_and(|c| c.schema.refusal.is_some_and(|r| r.upgrade)) {
                wrong.push(format!("{name}: not refused as an upgrade failure"));
            }
        }
        if !have_crm_verify() {
            continue;
        }
        let Some((theirs, their_lines)) = crm_verify(f) else {
            continue;
        };
        if theirs != expect_invalid {
            wrong.push(format!("{name}: crm_verify says invalid={theirs}"));
        }
        // crm_verify names the element where validation failed, often the
        // parent of the culprit: one of its lines must be one of ours (or
        // the line above, the parent's).
        if theirs
            && !their_lines.is_empty()
            && !their_lines
                .iter()
                .any(|l| ours_lines.contains(l) || ours_lines.contains(&(l + 1)))
        {
            wrong.push(format!(
                "{name}: crm_verify points at lines {their_lines:?}, cibcheck at {ours_lines:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn simulate_refuses_what_pacemaker_refuses() {
    let bin = env!("CARGO_BIN_EXE_cibcheck");
    for f in xml_files(&root().join("testdata/schema")) {
        let name = f
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let rel = f.strip_prefix(root()).unwrap_or(&f).to_path_buf();
        let out = Command::new(bin)
            .current_dir(root())
            .args([
                "--no-config",
                "--pacemaker",
                "2.1.5",
                "simulate",
                "--color",
                "never",
            ])
            .arg(&rel)
            .output()
            .expect("cibcheck runs");
        let code = out.status.code();
        if name.starts_with("valid-") {
            assert_eq!(
                code,
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        }
        assert_eq!(code, Some(2), "{name} must be refused");
        assert!(out.stdout.is_empty(), "{name}: no simulation on stdout");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("schema-simulate-{name}"), stderr);
        });
    }
}

/// `SCHEMA_DIR=DIR [SCHEMA_PACEMAKER=3.0.2] cargo test --release --test
/// schema -- --ignored`:
/// cibcheck's verdicts on a directory of CIBs (for the agreement figures
/// on files that cannot be committed), one line per file.
#[test]
#[ignore]
fn print_verdicts_of_a_directory() {
    let Some(dir) = std::env::var_os("SCHEMA_DIR") else {
        return;
    };
    // SCHEMA_PACEMAKER=3.0.2: judged as that release (else by dc-version).
    if let Some(p) = std::env::var("SCHEMA_PACEMAKER")
        .ok()
        .and_then(|n| cibcheck::profile::by_name(&n))
    {
        cibcheck::profile::set_override(p);
    }
    for f in xml_files(Path::new(&dir)) {
        let (invalid, _) = ours(&f);
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let refused = load(
            SourceFile {
                name: f.display().to_string(),
                text: Arc::from(text),
            },
            ParseLimits::default(),
        )
        .is_ok_and(|c| c.schema.refusal.is_some());
        println!(
            "VERDICT {} {} {}",
            f.file_stem().and_then(|n| n.to_str()).unwrap_or(""),
            u8::from(invalid),
            u8::from(refused)
        );
    }
}
