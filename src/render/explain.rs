//! `explain` output: text for people, JSON for scripts
//! (docs/explain-json.md). Everything shown is decided in `crate::explain`.

use crate::explain::{Contribution, Explanation, SCHEMA_VERSION};
use crate::profile::{Chosen, Profile};
use serde_json::json;

/// The line naming the release the explanation follows.
pub fn release_line(pacemaker: &Profile, chosen: Chosen) -> String {
    format!(
        "Explained as Pacemaker {} ({}).\n",
        pacemaker.name,
        chosen.in_words()
    )
}

fn contribution_line(out: &mut String, k: &Contribution, prefix: &str) {
    out.push_str(&format!("      {prefix}{:>10}  {}", k.amount, k.text));
    out.push('\n');
}

pub fn text(e: &Explanation, events: &[String], pacemaker: &Profile, chosen: Chosen) -> String {
    let mut out = String::new();
    let active = if e.active_on.is_empty() {
        "not active now".to_string()
    } else {
        format!("active on {}", e.active_on.join(", "))
    };
    out.push_str(&format!("{} ({}), {active}\n", e.resource, e.kind));
    if !events.is_empty() {
        out.push_str(&format!("After: {}\n", events.join(", ")));
    }
    for f in &e.facts {
        out.push_str(&format!("  - {}\n", f.text));
    }
    for t in &e.tables {
        out.push_str(&format!(
            "\n{} allocation scores ({}):\n",
            t.resource, t.function
        ));
        for n in &t.nodes {
            let state = if n.state.is_empty() {
                String::new()
            } else {
                format!("   [{}: cannot run resources]", n.state.join(", "))
            };
            out.push_str(&format!("  {}: {}{state}\n", n.node, n.score));
            for k in &n.contributions {
                contribution_line(&mut out, k, "");
            }
            for k in &n.without_effect {
                out.push_str(&format!("      {:>10}  {}\n", "·", k.text));
            }
            if !n.after_scores.is_empty() {
                out.push_str("      after the scores were printed:\n");
                for k in &n.after_scores {
                    contribution_line(&mut out, k, "");
                }
            }
        }
    }
    out.push_str(&format!("\nVerdict: {}\n", e.verdict.line));
    out.push_str(&release_line(pacemaker, chosen));
    out
}

pub fn json(e: &Explanation, events: &[String], pacemaker: &Profile, chosen: Chosen) -> String {
    let v = json!({
        "version": SCHEMA_VERSION,
        "pacemaker": { "release": pacemaker.name, "chosen": chosen.describe() },
        "events": events,
        "explanation": e,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
