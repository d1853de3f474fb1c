//! Running the installed `crm_simulate` 2.1.5 beside cibcheck, and reading
//! the parts of its text output that must agree (the differential tests).

use std::path::Path;
use std::process::Command;

/// Whether `tool --version` runs.
pub fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The list items of a section ("Transition Summary:" …), whitespace
/// folded, sorted. crm_simulate's "Injecting attribute" lines (how it
/// reports `crm_attribute`-style edits) are left out: cibcheck applies the
/// same edit without saying so there.
pub fn section(text: &str, heading: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.trim_start().starts_with("* ") && !l.contains("Injecting attribute"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    out.sort();
    out
}

/// Everything after "Revised Cluster Status:", whitespace folded.
pub fn revised(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "Revised Cluster Status:")
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// What must agree between cibcheck and crm_simulate: the placement after
/// the transition, the summary, the executed actions.
pub fn facts(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    (
        revised(text),
        section(text, "Transition Summary:"),
        section(text, "Executing Cluster Transition:"),
    )
}

/// Copy `cib` to `copy` and put `node` in standby there the way an admin
/// does (`crm_attribute --node N --name standby --update on`), which is
/// what cibcheck's `--standby` mimics. False when that fails.
pub fn standby_with_crm_attribute(cib: &Path, copy: &Path, node: &str) -> bool {
    if std::fs::copy(cib, copy).is_err() {
        return false;
    }
    Command::new("crm_attribute")
        .env("CIB_file", copy)
        .args(["--node", node, "--name", "standby", "--update", "on"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// crm_simulate exits 1 with "Transition failed: terminated" on stderr when
/// its executor is left with actions that can never run (a start kept in
/// the graph behind an unrunnable action, "(blocked)" in the summary). Its
/// output is then still the scheduler's whole answer, to be compared.
pub fn terminated_only(stderr: &[u8], stdout: &str) -> bool {
    String::from_utf8_lossy(stderr).contains("Transition failed: terminated")
        && stdout.contains("\nRevised Cluster Status:\n")
}

/// Run `f` over `items` on `threads` threads, keeping the input order.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..threads.max(1))
            .map(|_| {
                sc.spawn(|| {
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        got.push((i, f(item)));
                    }
                    got
                })
            })
            .collect();
        hs.into_iter()
            // A worker's panic fails the test instead of losing its items.
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}
