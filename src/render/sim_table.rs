//! `simulate --format table`: per step, the events, node changes, the
//! placement before and after with each resource's change, the actions in
//! waves (those in one wave can run in parallel) and a verdict. Layout
//! only: the outcome and the waves are decided in `whatif` and `sched`.

use crate::sched::pipeline::Transition;
use crate::sched::waves::{ActionKind, GraphAction};
use crate::whatif::outcome::{Outcome, ResourceRow, Verdict};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, Table};

/// One step to show.
pub struct StepView<'a> {
    pub events: &'a [String],
    pub outcome: &'a Outcome,
    pub transition: &'a Transition,
    /// The allocation scores, when asked for (`--show-scores`).
    pub scores: Option<&'a [String]>,
}

/// A table in the house style (colour only when asked for).
pub(crate) fn table(color: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// ANSI bold/colour around a heading or verdict, when colour is on.
pub(super) fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn change_color(change: &str) -> Option<Color> {
    Some(match change {
        "Start" => Color::Green,
        "Stop" => Color::Red,
        "Move" | "Migrate" => Color::Yellow,
        "Recover" | "Restart" | "Re-promote" | "Reload" => Color::Magenta,
        "Promote" | "Demote" => Color::Cyan,
        _ => return None,
    })
}

fn role_cell(r: &ResourceRow) -> String {
    let running = |nodes: &[String]| !nodes.is_empty();
    match (running(&r.nodes_before), running(&r.nodes_after)) {
        (true, true) if r.role_before != r.role_after => {
            format!("{} → {}", r.role_before, r.role_after)
        }
        (_, true) => r.role_after.clone(),
        (true, false) => r.role_before.clone(),
        (false, false) => "Stopped".to_string(),
    }
}

fn nodes_cell(nodes: &[String]) -> String {
    if nodes.is_empty() {
        "-".to_string()
    } else {
        nodes.join(", ")
    }
}

/// Render every step; a single step without events has no step heading.
pub fn render(steps: &[StepView<'_>], color: bool) -> String {
    let mut out = String::new();
    let many = steps.len() > 1;
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if many {
            let head = format!(
                "Step {} of {}: {}",
                i + 1,
                steps.len(),
                step.events.join(", ")
            );
            out.push_str(&paint(&head, "1", color));
            out.push_str("\n\n");
        } else if !step.events.is_empty() {
            out.push_str(&format!("Events: {}\n\n", step.events.join(", ")));
        }
        render_step(step, color, &mut out);
    }
    out
}

fn render_step(step: &StepView<'_>, color: bool, out: &mut String) {
    let changed: Vec<String> = step
        .outcome
        .nodes
        .iter()
        .filter(|n| n.before != n.after)
        .map(|n| format!("  {}: {} → {}\n", n.name, n.before, n.after))
        .collect();
    if !changed.is_empty() {
        out.push_str("Nodes:\n");
        for c in changed {
            out.push_str(&c);
        }
        out.push('\n');
    }
    let mut t = table(color);
    t.set_header(vec![
        "Resource", "Role", "Before", "After", "Change", "Reason",
    ]);
    for r in &step.outcome.resources {
        let change = r.change.clone().unwrap_or_default();
        let mut change_cell = Cell::new(&change);
        if let Some(c) = change_color(&change) {
            change_cell = change_cell.fg(c);
        }
        t.add_row(vec![
            Cell::new(&r.id),
            Cell::new(role_cell(r)),
            Cell::new(nodes_cell(&r.nodes_before)),
            Cell::new(nodes_cell(&r.nodes_after)),
            change_cell,
            Cell::new(r.reason.as_deref().unwrap_or("")),
        ]);
    }
    out.push_str("Placement:\n");
    out.push_str(&t.to_string());
    out.push('\n');

    out.push_str("\nActions (in waves: the actions of one wave can run in parallel):\n");
    let mut shown: Vec<&GraphAction> = step
        .transition
        .actions
        .iter()
        .filter(|a| a.kind != ActionKind::Pseudo && a.executed.is_some())
        .collect();
    shown.sort_by_key(|a| (a.wave, a.executed));
    if shown.is_empty() {
        out.push_str("  (none)\n");
    } else {
        let mut t = table(color);
        t.set_header(vec!["Wave", "Action", "Resource", "Node"]);
        let mut last = None;
        for a in shown {
            let wave = if last == Some(a.wave) {
                String::new()
            } else {
                a.wave.map(|w| w.to_string()).unwrap_or_else(|| "-".into())
            };
            last = Some(a.wave);
            t.add_row(vec![
                wave,
                action_name(a),
                a.resource.clone().unwrap_or_default(),
                a.node.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&verdict_line(&step.outcome.verdict, color));
    if let Some(scores) = step.scores {
        out.push_str("\nAllocation and promotion scores (as crm_simulate -s prints them):\n");
        for l in scores {
            out.push_str(&format!("  {l}\n"));
        }
    }
}

/// What the action does, in words.
pub fn action_name(a: &GraphAction) -> String {
    match a.kind {
        ActionKind::Fencing => "fence".to_string(),
        _ if a.task == "cancel" => {
            format!("cancel monitor every {}", human_interval(a.interval_ms))
        }
        _ if a.interval_ms > 0 => format!("{} every {}", a.task, human_interval(a.interval_ms)),
        _ if a.task == "monitor" => "probe".to_string(),
        _ => a.task.clone(),
    }
}

fn human_interval(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// "Verdict: …" with the changes by kind; red when something is left
/// stopped, yellow when something moves or a node is fenced.
pub fn verdict_line(v: &Verdict, color: bool) -> String {
    let code = if !v.stopped.is_empty() {
        "1;31"
    } else if !v.moved.is_empty() || !v.fenced.is_empty() {
        "1;33"
    } else {
        "1;32"
    };
    let mut line = format!("Verdict: {}.", v.line());
    if !v.changes.is_empty() {
        let parts: Vec<String> = v.changes.iter().map(|(c, n)| format!("{c} {n}")).collect();
        line.push_str(&format!(" Changes: {}.", parts.join(", ")));
    }
    format!("{}\n", paint(&line, code, color))
}
