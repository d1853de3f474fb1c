//! crm_simulate's text for a transition: the "Transition Summary" lines
//! (with its growing column widths) and the "Executing Cluster Transition"
//! lines.

use crate::sched::pipeline::Executed;
use crate::sched::summary::SummaryItem;

/// Summary lines, without the leading "  * ". crm_simulate widens its
/// resource and detail columns as it goes, and the widths persist from the
/// pass that logged the same list during scheduling: so the printed pass
/// starts with the widths the whole list reached once.
pub fn summary_lines(items: &[SummaryItem]) -> Vec<String> {
    let mut rsc_width = 5usize;
    let mut detail_width = 5usize;
    for item in items {
        if let SummaryItem::Resource { rsc, details, .. } = item {
            let len = rsc.chars().count();
            if len > rsc_width {
                rsc_width = len + 2;
            }
            detail_width = detail_width.max(details.chars().count());
        }
    }
    let mut out = Vec::new();
    for item in items {
        match item {
            SummaryItem::Node { task, node, reason } => {
                if let Some(r) = reason {
                    out.push(format!("{task} {node} '{r}'"));
                }
            }
            SummaryItem::Resource {
                change,
                rsc,
                details,
                reason,
            } => {
                let len = rsc.chars().count();
                if len > rsc_width {
                    rsc_width = len + 2;
                }
                let dlen = details.chars().count();
                if dlen > detail_width {
                    detail_width = dlen;
                }
                let reason = match reason {
                    Some(r) => format!("  {r}"),
                    None => String::new(),
                };
                out.push(format!(
                    "{change:<8}   {rsc:<rsc_width$}   ( {details:>detail_width$} ){reason}"
                ));
            }
        }
    }
    out
}

/// One "Executing Cluster Transition" line, without the leading "  * ".
pub fn executed_line(e: &Executed) -> String {
    match e {
        Executed::Resource {
            rsc,
            task,
            interval_ms,
            node,
        } => {
            if *interval_ms > 0 {
                format!("Resource action: {rsc:<15} {task}={interval_ms} on {node}")
            } else {
                format!("Resource action: {rsc:<15} {task} on {node}")
            }
        }
        Executed::Pseudo { key, node } => match node {
            Some(n) => format!("Pseudo action:   {key} on {n}"),
            None => format!("Pseudo action:   {key}"),
        },
        Executed::Fencing { node, action } => format!("Fencing {node} ({action})"),
        Executed::Cluster {
            task,
            rsc: Some(r),
            node,
        } => format!("Cluster action:  {task} for {r} on {node}"),
        Executed::Cluster {
            task,
            rsc: None,
            node,
        } => format!("Cluster action:  {task} on {node}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_columns_take_the_widths_of_the_logged_pass() {
        let items = vec![
            SummaryItem::Resource {
                change: "Start".into(),
                rsc: "rsc1".into(),
                details: "node1".into(),
                reason: None,
            },
            SummaryItem::Resource {
                change: "Stop".into(),
                rsc: "child_rsc1".into(),
                details: "node2".into(),
                reason: Some("due to node availability".into()),
            },
        ];
        let lines = summary_lines(&items);
        // The widths reached by the logged pass apply from the first line.
        assert_eq!(lines[0], "Start      rsc1           ( node1 )");
        assert_eq!(
            lines[1],
            "Stop       child_rsc1     ( node2 )  due to node availability"
        );
    }

    #[test]
    fn executed_lines() {
        let e = Executed::Resource {
            rsc: "rsc1".into(),
            task: "monitor".into(),
            interval_ms: 10000,
            node: "node1".into(),
        };
        assert_eq!(
            executed_line(&e),
            "Resource action: rsc1            monitor=10000 on node1"
        );
        let p = Executed::Pseudo {
            key: "g_start_0".into(),
            node: None,
        };
        assert_eq!(executed_line(&p), "Pseudo action:   g_start_0");
    }
}
