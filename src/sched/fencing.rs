//! Fencing decisions: whether a node can be fenced, marking nodes for
//! fencing, and the fencing actions themselves.

use super::action::{af, ActionId};
use super::model::{NoQuorumPolicy, NodeIdx, NodeKind};
use super::state::Scheduler;

/// Can the cluster fence this node now (`pe_can_fence`)?
pub fn can_fence(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    let n = s.cluster.node(node);
    if n.kind == NodeKind::Guest {
        // A guest is fenced by stopping its container, possible while the
        // container's hosts are online or fenceable themselves.
        let Some(conn) = n.remote_rsc else {
            return true;
        };
        let Some(container) = s.cluster.rsc(conn).container else {
            return true;
        };
        return s
            .cluster
            .rsc(container)
            .running_on
            .iter()
            .all(|h| s.cluster.node(*h).online || can_fence(s, *h));
    }
    let o = &s.cluster.options;
    if !o.stonith_enabled || !o.have_stonith_resource {
        return false;
    }
    if o.have_quorum || o.no_quorum_policy == NoQuorumPolicy::Ignore {
        return true;
    }
    n.online
}

/// Mark a node for fencing (`pe_fence_node`).
pub fn fence_node(s: &mut Scheduler<'_>, node: NodeIdx, reason: &str, priority_delay: bool) {
    let kind = s.cluster.node(node).kind;
    match kind {
        NodeKind::Guest => {
            let container = s
                .cluster
                .node(node)
                .remote_rsc
                .and_then(|c| s.cluster.rsc(c).container);
            if let Some(c) = container {
                if !s.cluster.rsc(c).failed && s.cluster.rsc(c).managed {
                    s.cluster.nodes[node.i()].remote_requires_reset = true;
                    s.cluster.rsc_mut(c).failed = true;
                    s.rs[c.i()].stop = true;
                }
            }
        }
        NodeKind::Remote => {
            let managed = s
                .cluster
                .node(node)
                .remote_rsc
                .is_none_or(|r| s.cluster.rsc(r).managed);
            if managed {
                s.cluster.nodes[node.i()].remote_requires_reset = true;
            }
            s.cluster.nodes[node.i()].unclean = true;
            fence_op(s, node, None, true, Some(reason), false);
        }
        NodeKind::Member => {
            if !s.cluster.node(node).unclean {
                s.cluster.nodes[node.i()].unclean = true;
                fence_op(s, node, None, true, Some(reason), priority_delay);
            }
        }
    }
}

/// The fencing action for a node (`pe_fence_op`), created once per node
/// and fencing action.
pub fn fence_op(
    s: &mut Scheduler<'_>,
    node: NodeIdx,
    op: Option<&str>,
    optional: bool,
    reason: Option<&str>,
    _priority_delay: bool,
) -> ActionId {
    let op = op
        .map(str::to_owned)
        .unwrap_or_else(|| s.cluster.options.stonith_action.clone());
    let name = s.cluster.node(node).name.clone();
    let key = format!("stonith-{name}-{op}");
    let id = match s.singletons.get(&key) {
        Some(a) => *a,
        None => {
            let id = s.custom_action(None, key, "stonith", Some(node), true);
            let a = s.am(id);
            a.meta.insert("stonith_action".into(), op.clone());
            id
        }
    };
    if !optional && can_fence(s, node) {
        s.am(id).clear(af::OPTIONAL);
        s.set_reason(id, reason.map(str::to_owned), false);
    } else if let Some(r) = reason {
        if s.a(id).reason.is_none() {
            s.am(id).reason = Some(r.to_owned());
        }
    }
    id
}
