//! The CI integrations shipped in the repository (action.yml,
//! ci/gitlab-cibcheck.yml, .pre-commit-hooks.yaml) and the examples of
//! docs/ci.md: their YAML parses, the keys each CI system requires are
//! there, and the commands they run work with the built binary against
//! testdata/examples/ (copied to `cib/` in a scratch directory, with
//! `cib/cluster.xml` standing for one CIB). `pre-commit try-repo` runs
//! when pre-commit is installed.

mod common;

use common::{root, scratch};
use serde_norway::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn yaml_file(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string `{key}` in {v:?}"))
}

/// A scratch directory with `cib/` (the examples, and `cluster.xml`, a
/// clean three-node DRBD cluster with a node `alice`).
fn workspace(name: &str) -> PathBuf {
    let dir = scratch(name);
    let cib = dir.join("cib");
    std::fs::create_dir_all(&cib).expect("mkdir");
    for e in std::fs::read_dir(root().join("testdata/examples")).expect("examples") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "xml") {
            std::fs::copy(&p, cib.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::copy(
        root().join("testdata/examples/drbd-vm.xml"),
        cib.join("cluster.xml"),
    )
    .expect("copy");
    dir
}

/// PATH with the built cibcheck first.
fn path_env() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_cibcheck"))
        .parent()
        .expect("bin dir")
        .to_string_lossy()
        .into_owned();
    format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())
}

struct Shell {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run a script as GitHub's and GitLab's runners do (`bash -eo pipefail`).
fn bash(dir: &Path, script: &str, env: &BTreeMap<String, String>) -> Shell {
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path_env())
        .env("NO_COLOR", "1")
        .envs(env)
        .output()
        .expect("bash runs");
    let r = Shell {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stderr.contains("panicked"),
        "{script}: panicked\n{}",
        r.stderr
    );
    r
}

/// The fenced code blocks of docs/ci.md as (language, text).
fn doc_blocks() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("```") {
            match current.take() {
                Some(b) => blocks.push(b),
                None => current = Some((rest.trim().to_owned(), String::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    assert!(current.is_none(), "unclosed code block in docs/ci.md");
    blocks
}

fn doc_yaml() -> Vec<Value> {
    doc_blocks()
        .into_iter()
        .filter(|(lang, _)| lang == "yaml")
        .map(|(_, text)| {
            serde_norway::from_str(&text)
                .unwrap_or_else(|e| panic!("docs/ci.md block is not YAML ({e}):\n{text}"))
        })
        .collect()
}

/// `cibcheck lint|simulate|resilience …` command lines in `text`, as a
/// shell would run them (a Jenkinsfile's `sh '…'` quote dropped).
fn command_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for sub in [
            "cibcheck lint ",
            "cibcheck simulate ",
            "cibcheck resilience ",
        ] {
            if let Some(i) = line.find(sub) {
                let cmd = line[i..].trim_end().trim_end_matches('\'').to_owned();
                out.push(cmd);
                break;
            }
        }
    }
    out
}

#[test]
fn docs_commands_run_against_the_examples() {
    let dir = workspace("ci-docs");
    let mut commands = Vec::new();
    for (_, text) in doc_blocks() {
        commands.extend(command_lines(&text));
    }
    // GitHub (plain steps), GitLab (2), Jenkins, pre-commit.
    assert!(commands.len() >= 5, "{commands:?}");
    for cmd in &commands {
        let r = bash(&dir, cmd, &BTreeMap::new());
        assert!(
            r.code == 0 || r.code == 1,
            "`{cmd}` exited {}:\n{}",
            r.code,
            r.stderr
        );
        assert!(!r.stderr.contains("error:"), "`{cmd}`:\n{}", r.stderr);
    }
    // The Jenkins step's report is JUnit with the examples' findings.
    let junit = std::fs::read_to_string(dir.join("cibcheck-junit.xml")).expect("junit report");
    assert!(junit.contains("<testsuites ") && junit.contains("<failure "));
    assert!(junit.contains("cib/drbd-flawed.xml"));
    let _ = doc_yaml();
}

#[test]
fn github_action() {
    let action = yaml_file("action.yml");
    for k in ["name", "description"] {
        assert!(!str_of(&action, k).is_empty());
    }
    let runs = &action["runs"];
    assert_eq!(str_of(runs, "using"), "composite");
    let inputs = action["inputs"].as_mapping().expect("inputs");
    let input_names: Vec<&str> = inputs.keys().filter_map(Value::as_str).collect();
    for k in [
        "paths",
        "fail-on",
        "args",
        "upload-sarif",
        "simulate",
        "resilience",
    ] {
        assert!(input_names.contains(&k), "input {k}");
    }
    let steps = runs["steps"].as_sequence().expect("steps");
    for s in steps {
        // A composite action's run steps must name their shell.
        if s.get("run").is_some() {
            assert_eq!(str_of(s, "shell"), "bash", "{s:?}");
        }
    }
    assert!(steps.iter().any(|s| s
        .get("uses")
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))));

    // The workflow in docs/ci.md uses the action with declared inputs.
    let with = doc_yaml()
        .iter()
        .filter_map(|doc| doc.get("jobs"))
        .flat_map(|jobs| jobs.as_mapping().into_iter().flat_map(|m| m.values()))
        .flat_map(|job| job["steps"].as_sequence().into_iter().flatten())
        .find(|s| {
            s.get("uses")
                .and_then(Value::as_str)
                .is_some_and(|u| u.contains("/cibcheck@"))
        })
        .and_then(|s| s.get("with"))
        .and_then(Value::as_mapping)
        .cloned()
        .expect("docs/ci.md has a workflow using the action");
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in inputs {
        let k = k.as_str().expect("input name");
        let default = v.get("default").and_then(Value::as_str).unwrap_or("");
        values.insert(k.to_owned(), default.to_owned());
    }
    for (k, v) in &with {
        let k = k.as_str().expect("key");
        assert!(
            input_names.contains(&k),
            "docs/ci.md passes undeclared input {k}"
        );
        values.insert(k.to_owned(), v.as_str().expect("string input").to_owned());
    }
    assert!(values.get("simulate").is_some_and(|v| !v.is_empty()));
    assert!(values.get("resilience").is_some_and(|v| !v.is_empty()));

    // Run the action's shell steps as the runner would, with the docs'
    // inputs; code scanning's upload is checked for its file.
    let dir = workspace("ci-action");
    let temp = dir.join("runner-temp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let output = dir.join("github-output");
    let summary = dir.join("step-summary");
    let outputs = |path: &Path| -> BTreeMap<String, String> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    let expand = |text: &str, outs: &BTreeMap<String, String>| -> String {
        let mut s = text.to_owned();
        for (k, v) in &values {
            s = s.replace(&format!("${{{{ inputs.{k} }}}}"), v);
        }
        for (k, v) in outs {
            s = s.replace(&format!("${{{{ steps.lint.outputs.{k} }}}}"), v);
        }
        assert!(!s.contains("${{"), "unexpanded expression in {s}");
        s
    };
    let mut last_code = None;
    let mut annotations = String::new();
    for step in steps {
        let outs = outputs(&output);
        if let Some(uses) = step.get("uses").and_then(Value::as_str) {
            assert!(uses.contains("upload-sarif"));
            let file = expand(str_of(&step["with"], "sarif_file"), &outs);
            let sarif: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("SARIF written"))
                    .expect("SARIF is JSON");
            assert_eq!(sarif["version"], "2.1.0");
            assert!(!sarif["runs"][0]["results"]
                .as_array()
                .expect("results")
                .is_empty());
            continue;
        }
        let mut env = BTreeMap::new();
        env.insert("GITHUB_ACTION_PATH".into(), root().to_string_lossy().into());
        env.insert("RUNNER_TEMP".into(), temp.to_string_lossy().into());
        env.insert("GITHUB_OUTPUT".into(), output.to_string_lossy().into());
        env.insert(
            "GITHUB_STEP_SUMMARY".into(),
            summary.to_string_lossy().into(),
        );
        if let Some(m) = step.get("env").and_then(Value::as_mapping) {
            for (k, v) in m {
                let v = v.as_str().expect("env value");
                env.insert(k.as_str().expect("env name").into(), expand(v, &outs));
            }
        }
        let r = bash(&dir, str_of(step, "run"), &env);
        if step.get("if").is_some() {
            last_code = Some(r.code);
        } else {
            assert_eq!(r.code, 0, "step {:?}:\n{}", step.get("name"), r.stderr);
        }
        annotations.push_str(&r.stdout);
    }
    let outs = outputs(&output);
    // drbd-flawed.xml has errors: lint exits 1 and so does the last step.
    assert_eq!(outs.get("exit-code").map(String::as_str), Some("1"));
    assert_eq!(last_code, Some(1));
    assert!(annotations.contains("::error file=cib/drbd-flawed.xml,line="));
    let summary = std::fs::read_to_string(&summary).expect("job summary");
    assert!(summary.contains("### cibcheck simulate cib/cluster.xml --standby alice"));
    assert!(summary.contains("Placement:") && summary.contains("Events: standby alice"));
    assert!(summary.contains("### cibcheck resilience") && summary.contains("scenarios"));
}

#[test]
fn gitlab_template() {
    let t = yaml_file("ci/gitlab-cibcheck.yml");
    let job = &t["cibcheck"];
    assert_eq!(str_of(&job["artifacts"], "when"), "always");
    let reports = &job["artifacts"]["reports"];
    let codequality = str_of(reports, "codequality").to_owned();
    let junit = str_of(reports, "junit").to_owned();
    let variables = t["variables"].as_mapping().expect("variables");
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .expect("script")
        .iter()
        .map(|l| l.as_str().expect("script line"))
        .collect();
    assert!(script
        .iter()
        .any(|l| l.contains("--format gitlab") && l.ends_with(&codequality)));
    assert!(script
        .iter()
        .any(|l| l.contains("--format junit") && l.ends_with(&junit)));

    // The docs' include sets variables the template declares.
    let doc_vars = doc_yaml()
        .into_iter()
        .find(|d| d.get("include").is_some())
        .and_then(|d| d.get("variables").and_then(Value::as_mapping).cloned())
        .expect("docs/ci.md includes the template");
    let mut env = BTreeMap::new();
    for (k, v) in variables.iter().chain(doc_vars.iter()) {
        let k = k.as_str().expect("name");
        assert!(variables.contains_key(k), "docs/ci.md sets undeclared {k}");
        env.insert(k.to_owned(), v.as_str().expect("value").to_owned());
    }
    // As GitLab runs a script: line by line, stopping at the first failure.
    let dir = workspace("ci-gitlab");
    let codes: Vec<i32> = script.iter().map(|l| bash(&dir, l, &env).code).collect();
    // The CIBs have errors (--fail-on error): the JUnit line fails the job.
    assert_eq!(codes, [0, 0, 0, 1]);
    let cq: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(&codequality)).expect("code quality report"),
    )
    .expect("JSON");
    let issues = cq.as_array().expect("array");
    assert!(issues.iter().any(|i| i["location"]["path"]
        .as_str()
        .is_some_and(|p| p == "cib/drbd-flawed.xml")));
    let xml = std::fs::read_to_string(dir.join(&junit)).expect("junit report");
    assert!(xml.contains("<testsuites ") && xml.contains("<failure "));
}

#[test]
fn pre_commit_hooks() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|h| str_of(h, "id")).collect();
    assert_eq!(ids, ["cibcheck", "cibcheck-system"]);
    for h in hooks {
        for k in ["name", "entry", "language"] {
            assert!(!str_of(h, k).is_empty());
        }
        assert_eq!(str_of(h, "files"), r"\.xml$");
        assert!(str_of(h, "entry").starts_with("cibcheck lint"));
    }
    // The docs' configuration names existing hooks.
    let config = doc_yaml()
        .into_iter()
        .find(|d| d.get("repos").is_some())
        .expect("docs/ci.md has a .pre-commit-config.yaml");
    for repo in config["repos"].as_sequence().expect("repos") {
        for h in repo["hooks"].as_sequence().expect("hooks") {
            assert!(ids.contains(&str_of(h, "id")));
        }
    }

    let has_pre_commit = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pre_commit {
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let dir = scratch("pre-commit");
    let git_in = |d: &Path, args: &[&str]| {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=cibcheck",
                "-c",
                "user.email=cibcheck@localhost",
            ])
            .args(args)
            .current_dir(d)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    // The hook repository: this repository's hook file, committed (try-repo
    // reads committed and tracked files only, and the test must not depend
    // on the state of the work tree).
    let hook_repo = dir.join("hook-repo");
    std::fs::create_dir_all(&hook_repo).expect("mkdir");
    std::fs::copy(
        root().join(".pre-commit-hooks.yaml"),
        hook_repo.join(".pre-commit-hooks.yaml"),
    )
    .expect("copy");
    git_in(&hook_repo, &["init", "-q"]);
    git_in(&hook_repo, &["add", "."]);
    git_in(&hook_repo, &["commit", "-q", "-m", "hooks"]);
    let dir = dir.join("project");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let git = |args: &[&str]| git_in(&dir, args);
    git(&["init", "-q"]);
    for f in ["drbd-flawed.xml", "drbd-good.xml"] {
        std::fs::copy(root().join("testdata/examples").join(f), dir.join(f)).expect("copy");
    }
    std::fs::write(dir.join("notes.txt"), "not a CIB\n").expect("write");
    git(&["add", "."]);
    let try_repo = |files: &[&str]| {
        let out = Command::new("pre-commit")
            .args(["try-repo"])
            .arg(&hook_repo)
            .args(["cibcheck-system", "--files"])
            .args(files)
            .current_dir(&dir)
            .env("PATH", path_env())
            .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
            .env("NO_COLOR", "1")
            .output()
            .expect("pre-commit runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = try_repo(&["drbd-flawed.xml", "drbd-good.xml", "notes.txt"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("drbd-flawed.xml:") && text.contains("DR001"),
        "{text}"
    );
    assert!(!text.contains("notes.txt"), "only *.xml files: {text}");
    let (code, text) = try_repo(&["drbd-good.xml", "notes.txt"]);
    assert_eq!(code, 0, "{text}");
}
