//! `simulate --cross-check`: run the installed `crm_simulate` on the same
//! input as one of our steps (the CIB with the configuration changes
//! applied, crm_simulate's own flags for its injections) and compare the
//! transition summary and the executed actions, as multisets.

use super::Events;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// How one step compares with crm_simulate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrossCheck {
    /// Lines (normalised) only we print, by section.
    pub only_ours: Vec<String>,
    /// Lines only crm_simulate prints.
    pub only_theirs: Vec<String>,
    /// How many summary and action lines were compared.
    pub compared: usize,
}

impl CrossCheck {
    pub fn agrees(&self) -> bool {
        self.only_ours.is_empty() && self.only_theirs.is_empty()
    }
}

/// The list items of the transition summary and the executed actions,
/// whitespace-normalised and prefixed by their section, with
/// clock-dependent injection notes left out.
pub fn sections(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (heading, tag) in [
        ("Transition Summary:", "summary"),
        ("Executing Cluster Transition:", "action"),
    ] {
        for l in text
            .lines()
            .skip_while(|l| *l != heading)
            .skip(1)
            .take_while(|l| !l.is_empty())
        {
            if !l.starts_with("  * ") || l.contains("Injecting attribute") {
                continue;
            }
            let norm = l.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(format!("{tag}: {norm}"));
        }
    }
    out
}

/// crm_simulate's flags for a step's injections.
pub fn crm_simulate_flags(events: &Events) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(q) = events.quorum {
        args.push(format!("--quorum={}", if q { "true" } else { "false" }));
    }
    for (flag, list) in [
        ("--node-up", &events.node_up),
        ("--node-down", &events.node_down),
        ("--node-fail", &events.node_fail),
        ("--ticket-grant", &events.ticket_grant),
        ("--ticket-revoke", &events.ticket_revoke),
        ("--ticket-standby", &events.ticket_standby),
        ("--ticket-activate", &events.ticket_activate),
        ("--op-inject", &events.op_inject),
        ("--op-fail", &events.op_fail),
    ] {
        for v in list {
            args.push(format!("{flag}={v}"));
        }
    }
    args
}

/// Compare multisets of lines.
pub fn compare(ours: &[String], theirs: &[String]) -> CrossCheck {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for l in ours {
        *count.entry(l).or_insert(0) += 1;
    }
    for l in theirs {
        *count.entry(l).or_insert(0) -= 1;
    }
    let mut out = CrossCheck {
        compared: ours.len().max(theirs.len()),
        ..Default::default()
    };
    for (l, n) in count {
        for _ in 0..n.max(0) {
            out.only_ours.push(l.to_string());
        }
        for _ in 0..(-n).max(0) {
            out.only_theirs.push(l.to_string());
        }
    }
    out
}

/// Run crm_simulate on `cib_xml` with the step's injections and compare
/// with `ours` (our crm_simulate-format text for the same step).
pub fn cross_check(
    cib_xml: &str,
    events: &Events,
    now: Option<&str>,
    ours: &str,
    tag: usize,
) -> Result<CrossCheck, String> {
    let path: PathBuf = std::env::temp_dir().join(format!(
        "cibcheck-cross-check-{}-{tag}.xml",
        std::process::id()
    ));
    std::fs::write(&path, cib_xml).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut cmd = Command::new("crm_simulate");
    cmd.arg("-S").arg("-x").arg(&path);
    cmd.args(crm_simulate_flags(events));
    if let Some(n) = now {
        cmd.arg(format!("--set-datetime={n}"));
    }
    let result = cmd.output();
    let _ = std::fs::remove_file(&path);
    let output = match result {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "crm_simulate is not installed (it comes with pacemaker-cli-utils or pacemaker-cli); --cross-check needs it"
                    .into(),
            )
        }
        Err(e) => return Err(format!("cannot run crm_simulate: {e}")),
    };
    if !output.status.success() {
        return Err(format!(
            "crm_simulate failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let theirs = String::from_utf8_lossy(&output.stdout);
    Ok(compare(&sections(ours), &sections(&theirs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multisets_are_compared_line_by_line() {
        let text = "Transition Summary:\n  * Move    db   ( a -> b )\n\nExecuting Cluster Transition:\n  * Resource action: db stop on a\n  * Resource action: db stop on a\n\nRevised";
        let s = sections(text);
        assert_eq!(
            s,
            [
                "summary: * Move db ( a -> b )",
                "action: * Resource action: db stop on a",
                "action: * Resource action: db stop on a"
            ]
        );
        assert!(compare(&s, &s).agrees());
        let c = compare(&s, &s[..2]);
        assert_eq!(c.only_ours, ["action: * Resource action: db stop on a"]);
        assert!(c.only_theirs.is_empty());
    }

    #[test]
    fn injections_become_crm_simulate_flags() {
        let ev = Events {
            node_fail: vec!["bob".into()],
            quorum: Some(false),
            ..Default::default()
        };
        assert_eq!(
            crm_simulate_flags(&ev),
            ["--quorum=false", "--node-fail=bob"]
        );
    }
}
