//! FE003 `no-quorum-ignore`: `no-quorum-policy=ignore` on a cluster with
//! more than two voting (member) nodes. A partition that has lost quorum
//! keeps running resources, so two partitions can run the same resource.
//! Two-node clusters are the classic exception (corosync `two_node`).

use super::show_pair;
use crate::lint::{Context, Emitter};
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let Some(p) = cx.cluster_option("no-quorum-policy") else {
        return;
    };
    if !p
        .value
        .as_deref()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("ignore"))
    {
        return;
    }
    // Remote and guest nodes (and the old `ping` nodes) have no vote.
    let members: HashSet<&str> = cib
        .nodes
        .iter()
        .filter(|n| !n.kind.eq_ignore_ascii_case("remote") && !n.kind.eq_ignore_ascii_case("ping"))
        .map(|n| n.uname.as_str())
        .collect();
    if members.len() <= 2 {
        return;
    }
    let mut d = em
        .diag(
            cx.attr_span(p.elem, "value"),
            format!(
                "`{}` on a cluster of {} nodes: a partition without quorum keeps running resources",
                show_pair(p),
                members.len()
            ),
        )
        .label("quorum loss ignored here")
        .help(
            "with more than two nodes, quorum is what stops a minority partition from running \
             the same resources as the majority; use `stop` (the default), `freeze` or `demote`. \
             Only two-node clusters need special handling, and corosync's `two_node: 1` does it \
             better than `ignore`",
        );
    if let Some(nodes) = cib
        .doc
        .child_named(cib.doc.root, "configuration")
        .and_then(|c| cib.doc.child_named(c, "nodes"))
    {
        d = d.with_label(
            cib.doc.get(nodes).name_span,
            format!("{} voting nodes", members.len()),
        );
    }
    if let Some(id) = &p.id {
        d = d.element(id.clone());
    }
    em.push(d);
}
