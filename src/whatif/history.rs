//! A saved scheduler input replayed: when it was scheduled, which node was
//! the DC, and what the transition decided (moves, starts, stops,
//! promotions, demotions, recoveries, fencing), from the transition
//! summary the scheduler computed. Decided here; `render::history` lays
//! it out.

use crate::cib::time::{days_from_civil, Instant};
use crate::cib::Cib;
use crate::sched::summary::SummaryItem;
use serde::Serialize;

/// Where a transition's time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeSource {
    /// The `execution-date` the scheduler stamped on the input.
    ExecutionDate,
    /// The CIB's `cib-last-written` (the writing node's local time, read
    /// as UTC: the input does not say the node's time zone).
    CibLastWritten,
}

/// One decision of a transition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Move, Start, Stop, Promote, Demote, Recover, Restart, Migrate…, or
    /// Fence / Shutdown for a node.
    pub kind: String,
    /// The resource (or, for Fence and Shutdown, the node).
    pub subject: String,
    /// As crm_simulate's summary gives them (`Started alice -> bob`).
    pub details: String,
    /// The cluster nodes the decision involves.
    pub nodes: Vec<String>,
}

impl Decision {
    /// Whether the decision is about `rsc`: the resource itself, one of
    /// its clone instances (`rsc:2`).
    pub fn involves_resource(&self, rsc: &str) -> bool {
        !self.is_node_action()
            && (self.subject == rsc || self.subject.split(':').next() == Some(rsc))
    }

    pub fn involves_node(&self, node: &str) -> bool {
        self.nodes.iter().any(|n| n == node)
    }

    pub fn is_node_action(&self) -> bool {
        matches!(self.kind.as_str(), "Fence" | "Shutdown")
    }
}

/// When the input was scheduled.
pub fn time_of(cib: &Cib) -> Option<(Instant, TimeSource)> {
    if let Some(t) = cib.execution_date {
        return Some((t, TimeSource::ExecutionDate));
    }
    time_from_root(None, cib.doc.root().attr("cib-last-written"))
}

/// When an input was scheduled, from its root's `execution-date` and
/// `cib-last-written` as written (the former wins), read without loading
/// the input.
pub fn time_from_root(
    execution_date: Option<&str>,
    last_written: Option<&str>,
) -> Option<(Instant, TimeSource)> {
    if let Some(t) = execution_date.and_then(|v| v.trim().parse::<i64>().ok()) {
        return Some((Instant(t), TimeSource::ExecutionDate));
    }
    last_written
        .and_then(parse_ctime)
        .map(|t| (t, TimeSource::CibLastWritten))
}

/// `Wed Dec  3 12:34:56 2025`, the form of `cib-last-written`.
pub fn parse_ctime(text: &str) -> Option<Instant> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, clock, year] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(0..24).contains(h) || !(0..60).contains(m) || !(0..61).contains(s) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(Instant(days * 86_400 + h * 3600 + m * 60 + s))
}

/// The DC's node name, from the root's `dc-uuid` (the id itself when no
/// node has it).
pub fn dc_name(cib: &Cib) -> Option<String> {
    let id = cib.dc_uuid.as_deref()?;
    Some(
        cib.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.uname.clone())
            .unwrap_or_else(|| id.to_owned()),
    )
}

/// The decisions of a transition summary; `nodes` are the cluster's node
/// names, to find which ones each decision involves.
pub fn decisions(summary: &[SummaryItem], nodes: &[String]) -> Vec<Decision> {
    let involved = |text: &str| -> Vec<String> {
        let mut found: Vec<String> = text
            .split(|c: char| c.is_whitespace() || "()'\",".contains(c))
            .filter(|w| nodes.iter().any(|n| n == w))
            .map(str::to_owned)
            .collect();
        found.dedup();
        found
    };
    summary
        .iter()
        .map(|item| match item {
            SummaryItem::Node { task, node, reason } => Decision {
                // "Fence (reboot)" → Fence
                kind: task.split_whitespace().next().unwrap_or(task).to_owned(),
                subject: node.clone(),
                details: reason.clone().unwrap_or_default(),
                nodes: vec![node.clone()],
            },
            SummaryItem::Resource {
                change,
                rsc,
                details,
                ..
            } => Decision {
                kind: change.clone(),
                subject: rsc.clone(),
                details: details.clone(),
                nodes: involved(details),
            },
        })
        .collect()
}

/// One scheduler input of a history, replayed (or why not).
#[derive(Clone, Debug)]
pub struct Transition {
    /// The input as it is read (`REPORT//node1/pengine/pe-input-3.bz2`).
    pub source: String,
    /// Its path inside the report (or as given).
    pub rel: String,
    /// The node directory it was found in.
    pub node: String,
    /// `pe-input`, `pe-warn`, `pe-error` and its number, from the name.
    pub series: Option<&'static str>,
    pub number: Option<u64>,
    /// Identical copies found elsewhere in the report (not replayed).
    pub copies: Vec<String>,
    pub time: Option<(Instant, TimeSource)>,
    pub dc: Option<String>,
    pub result: Result<Decided, Failure>,
}

/// What a replayed transition decided.
#[derive(Clone, Debug)]
pub struct Decided {
    pub decisions: Vec<Decision>,
    /// The object `simulate --format json` prints for this input.
    pub simulation: serde_json::Value,
    /// crm_simulate's "Transition Summary" lines (without the `  * `).
    pub summary_lines: Vec<String>,
}

/// Why an input was not replayed, with the exit code it stands for
/// (2 unreadable, 3 not simulated yet).
#[derive(Clone, Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Transition {
    pub fn eventful(&self) -> bool {
        self.result.as_ref().is_ok_and(|d| !d.decisions.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cib_last_written_is_read() {
        let t = parse_ctime("Wed Dec  3 12:34:56 2025").unwrap();
        assert_eq!(t.to_string(), "2025-12-03 12:34:56Z");
        assert_eq!(parse_ctime("yesterday"), None);
        assert_eq!(parse_ctime("Wed Foo  3 12:34:56 2025"), None);
        assert_eq!(parse_ctime("Wed Dec  3 25:34:56 2025"), None);
    }

    #[test]
    fn decisions_name_their_nodes() {
        let nodes = vec!["alice".to_string(), "bob".to_string()];
        let d = decisions(
            &[
                SummaryItem::Resource {
                    change: "Move".into(),
                    rsc: "db:1".into(),
                    details: "Started alice -> bob".into(),
                    reason: None,
                },
                SummaryItem::Node {
                    task: "Fence (reboot)".into(),
                    node: "bob".into(),
                    reason: Some("peer is no longer part of the cluster".into()),
                },
            ],
            &nodes,
        );
        assert_eq!(d[0].nodes, ["alice", "bob"]);
        assert!(d[0].involves_resource("db"));
        assert!(!d[0].involves_resource("d"));
        assert_eq!(d[1].kind, "Fence");
        assert!(d[1].involves_node("bob") && !d[1].involves_resource("bob"));
    }
}
