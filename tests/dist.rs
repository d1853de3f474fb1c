//! The man pages and shell completions in `dist/` (what packages ship)
//! are generated from the clap definitions; this test regenerates them
//! and fails when the committed copies differ. After changing an option:
//! `DIST_BLESS=1 cargo test --release --test dist` (or
//! `cibcheck generate-dist dist`) and commit the result.

mod common;

use common::{root, run, run_in, scratch};
use std::collections::BTreeMap;
use std::path::Path;

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for sub in ["man", "completions"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = format!("{sub}/{}", e.file_name().to_string_lossy());
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            files.insert(name, text);
        }
    }
    files
}

#[test]
fn dist_files_match_the_clap_definitions() {
    let dir = scratch("dist");
    let r = run_in(&dir, &["generate-dist", "out"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fresh = read_tree(&dir.join("out"));
    // One page per visible subcommand, and the three packaged shells.
    for f in [
        "man/cibcheck.1",
        "man/cibcheck-lint.1",
        "man/cibcheck-simulate.1",
        "man/cibcheck-completions.1",
        "completions/cibcheck.bash",
        "completions/_cibcheck",
        "completions/cibcheck.fish",
    ] {
        assert!(
            fresh.contains_key(f),
            "{f} not generated: {:?}",
            fresh.keys()
        );
    }
    assert!(
        !fresh
            .keys()
            .any(|f| f.contains("generate-dist") || f.contains("help")),
        "hidden and help subcommands get no page: {:?}",
        fresh.keys()
    );
    let committed_dir = root().join("dist");
    if std::env::var_os("DIST_BLESS").is_some() {
        let r = run(&["generate-dist", &committed_dir.to_string_lossy()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let committed = read_tree(&committed_dir);
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|f| fresh.get(*f) != committed.get(*f))
        .collect();
    assert!(
        stale.is_empty(),
        "dist/ is out of date for {stale:?}: rerun with DIST_BLESS=1 \
         (cargo test --release --test dist) and commit dist/"
    );
}

#[test]
fn completions_print_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _cibcheck"),
        ("zsh", "#compdef cibcheck"),
        ("fish", "complete -c cibcheck"),
    ] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(marker), "{shell}: no {marker:?}");
        // The packaging helper is not offered to users.
        assert!(!r.stdout.contains("generate-dist"), "{shell}");
        // The subcommands and lint's formats are offered.
        for word in ["lint", "simulate", "resilience", "junit", "gitlab"] {
            assert!(r.stdout.contains(word), "{shell} completion lacks {word}");
        }
        let packaged = match shell {
            "zsh" => "_cibcheck".to_owned(),
            s => format!("cibcheck.{s}"),
        };
        let file = std::fs::read_to_string(root().join("dist/completions").join(packaged))
            .expect("packaged completion file");
        assert_eq!(r.stdout, file, "{shell}: printed and packaged differ");
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn man_pages_render_with_man() {
    let lint = std::fs::read_to_string(root().join("dist/man/cibcheck-lint.1")).expect("page");
    assert!(lint.starts_with(".ie \\n(.g .ds Aq") || lint.contains(".TH cibcheck-lint 1"));
    assert!(lint.contains(".SH \"EXIT STATUS\""));
    assert!(lint.contains("junit"));
    // man(1) formats it without warnings, where man-db is installed.
    let out = std::process::Command::new("man")
        .args(["--warnings", "-l", "-Tutf8"])
        .arg(root().join("dist/man/cibcheck-lint.1"))
        .env("MANWIDTH", "80")
        .output();
    match out {
        Ok(o) if o.status.success() => {
            // Bold and underline come as overstrikes (X, backspace, X).
            let raw = String::from_utf8_lossy(&o.stdout);
            let mut text = String::new();
            for c in raw.chars() {
                if c == '\u{8}' {
                    text.pop();
                } else {
                    text.push(c);
                }
            }
            assert!(text.contains("cibcheck-lint"), "{text}");
            assert!(text.contains("EXIT STATUS"), "{text}");
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(stderr.trim().is_empty(), "man warns: {stderr}");
        }
        _ => eprintln!("skipped: man (man-db) is not installed"),
    }
}
