//! A cluster report holds one `cib.xml` per node: where the copies differ
//! from each other (version counters, configuration content). The newest
//! copy (by admin_epoch, epoch, num_updates, as Pacemaker compares CIB
//! versions) is the reference; every other copy that differs from it gets
//! a finding on its `<cib>` or `<configuration>` tag.

use super::outcome::FileOutcome;
use super::rule_by_code;
use crate::diag::{Diagnostic, Severity};
use crate::xml::{parse, ParseLimits, Span};

/// One node's copy, as far as compared.
struct Copy {
    /// Index in the outcomes.
    at: usize,
    node: String,
    version: (u64, u64, u64),
    root_tag: Span,
    config_tag: Span,
    /// The configuration's text with whitespace between tags dropped.
    config: String,
}

fn counter(v: Option<&str>) -> u64 {
    v.and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

/// The configuration's XML with layout-only whitespace removed, so that
/// copies written with different indentation compare equal.
fn normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.ends_with('>') && c != '<' && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

fn copy_of(at: usize, node: &str, o: &FileOutcome) -> Option<Copy> {
    let doc = parse(&o.source, ParseLimits::default()).ok()?;
    let root = doc.root();
    let config = root
        .children()
        .map(|id| doc.get(id))
        .find(|e| e.name == "configuration");
    let (config_tag, config) = match config {
        Some(c) => (
            c.tag_span,
            normalised(o.source.get(c.span.range()).unwrap_or("")),
        ),
        None => (root.tag_span, String::new()),
    };
    Some(Copy {
        at,
        node: node.to_owned(),
        version: (
            counter(root.attr("admin_epoch")),
            counter(root.attr("epoch")),
            counter(root.attr("num_updates")),
        ),
        root_tag: root.tag_span,
        config_tag,
        config,
    })
}

fn version_text(v: (u64, u64, u64)) -> String {
    format!("admin_epoch {}, epoch {}, num_updates {}", v.0, v.1, v.2)
}

/// Compare the copies `(outcome index, node)` of one report and add the
/// findings to the outcomes of the copies that differ from the newest.
/// Copies that could not be read are left out (they have their IN000).
pub fn compare(outcomes: &mut [FileOutcome], copies: &[(usize, String)]) {
    let parsed: Vec<Copy> = copies
        .iter()
        .filter_map(|(at, node)| outcomes.get(*at).and_then(|o| copy_of(*at, node, o)))
        .collect();
    // The first of the newest copies, in report order.
    let Some(newest) = parsed
        .iter()
        .reduce(|best, c| if c.version > best.version { c } else { best })
    else {
        return;
    };
    let newest_name = outcomes[newest.at].name.clone();
    let mut found = Vec::new();
    for c in &parsed {
        if c.at == newest.at {
            continue;
        }
        if c.version != newest.version {
            let meta = rule_by_code("RP001");
            let mut d = Diagnostic::new(
                "RP001",
                meta.map(|m| m.name).unwrap_or("cib-copies-differ"),
                meta.map(|m| m.category.severity())
                    .unwrap_or(Severity::Info),
                c.root_tag,
                format!(
                    "{}'s copy of the CIB ({}) is not the version of {}'s ({}, in {newest_name})",
                    c.node,
                    version_text(c.version),
                    newest.node,
                    version_text(newest.version),
                ),
            );
            d.help = Some(
                "the report was collected while the CIB changed, or this node was not in the cluster: read the newest copy"
                    .into(),
            );
            found.push((c.at, d));
        }
        if c.config != newest.config {
            let meta = rule_by_code("RP002");
            let mut d = Diagnostic::new(
                "RP002",
                meta.map(|m| m.name)
                    .unwrap_or("configuration-copies-differ"),
                meta.map(|m| m.category.severity())
                    .unwrap_or(Severity::Warning),
                c.config_tag,
                format!(
                    "{}'s configuration differs from {}'s (in {newest_name})",
                    c.node, newest.node
                ),
            );
            d.help = Some(
                "the nodes disagreed about the configuration when the report was taken: compare the copies with `cibcheck diff`"
                    .into(),
            );
            found.push((c.at, d));
        }
    }
    for (at, d) in found {
        if let Some(o) = outcomes.get_mut(at) {
            o.diagnostics.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn outcome(name: &str, xml: &str) -> FileOutcome {
        FileOutcome {
            name: name.into(),
            source: Arc::from(xml),
            diagnostics: Vec::new(),
            suppressed: 0,
            accepted: 0,
            pacemaker: None,
        }
    }

    #[test]
    fn older_and_different_copies_are_reported_on_them() {
        let mut o = vec![
            outcome(
                "r/n1/cib.xml",
                "<cib epoch=\"5\" num_updates=\"1\" admin_epoch=\"0\"><configuration>\n  <nodes/></configuration></cib>",
            ),
            outcome(
                "r/n2/cib.xml",
                "<cib epoch=\"5\" num_updates=\"1\" admin_epoch=\"0\"><configuration><nodes/></configuration></cib>",
            ),
            outcome(
                "r/n3/cib.xml",
                "<cib epoch=\"4\" num_updates=\"9\" admin_epoch=\"0\"><configuration><nodes/><resources/></configuration></cib>",
            ),
        ];
        compare(
            &mut o,
            &[(0, "n1".into()), (1, "n2".into()), (2, "n3".into())],
        );
        // n1 and n2 agree (indentation aside); n3 is older and differs.
        assert!(o[0].diagnostics.is_empty());
        assert!(o[1].diagnostics.is_empty());
        let codes: Vec<_> = o[2].diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["RP001", "RP002"]);
        assert!(o[2].diagnostics[0].message.contains("epoch 4"));
    }
}
