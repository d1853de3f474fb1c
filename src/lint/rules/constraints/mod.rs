//! constraints rules.

pub mod banned_everywhere;
pub mod constraint_on_member;
pub mod contradictory_colocation;
pub mod expired_rule;
pub mod leftover_move;
pub mod order_cycle;
pub mod order_within_group;
pub mod self_constraint;
pub mod unknown_node;

use crate::lint::Context;

/// Where a node name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrigin {
    /// A `<node>` entry (cluster or remote node).
    Nodes,
    /// The id of an `ocf:pacemaker:remote` connection resource.
    Remote,
    /// The `remote-node` meta attribute of a guest's resource.
    Guest,
}

/// The nodes a resource may be placed on, as far as the configuration
/// tells: `<nodes>` entries (not `ping` nodes, which run nothing), remote
/// connection resources and guest nodes. Bundle replicas are left out, as
/// Pacemaker keeps every other resource off them, and so are status-only
/// nodes, which are not part of the configuration.
pub fn placement_nodes(cx: &Context) -> Vec<(String, NodeOrigin)> {
    let cib = cx.cib;
    let mut out: Vec<(String, NodeOrigin)> = Vec::new();
    let mut add = |name: &str, origin: NodeOrigin| {
        if !name.is_empty() && !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            out.push((name.to_owned(), origin));
        }
    };
    for n in cib.nodes.iter().filter(|n| n.kind != "ping") {
        add(&n.uname, NodeOrigin::Nodes);
    }
    for (i, r) in cib.resources.iter().enumerate() {
        let id = crate::cib::ResourceId(i as u32);
        if cx.is_agent(id, "ocf", Some("pacemaker"), "remote") {
            add(&r.id, NodeOrigin::Remote);
        }
        if let Some(g) = r.meta_value("remote-node") {
            add(g, NodeOrigin::Guest);
        }
    }
    out
}

/// Is `name` a bundle replica's node name (`BUNDLE-N`)?
pub fn is_bundle_node(cx: &Context, name: &str) -> bool {
    let Some((base, n)) = name.rsplit_once('-') else {
        return false;
    };
    !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && cx
            .cib
            .find_resource(base)
            .is_some_and(|r| cx.cib.resource(r).is_bundle())
}
