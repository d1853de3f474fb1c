//! Guest nodes: resources (VMs, containers) with `remote-node` meta run a
//! Pacemaker Remote node whose implicit connection resource lives inside
//! them. Actions on the guest are ordered against both the container and the
//! connection (`apply_container_ordering`), and a guest is "fenced" by
//! recovering its container (`pcmk__fence_guest`).

use super::action::{af, of, ActionId};
use super::fencing;
use super::model::{NodeIdx, NodeKind, RscIdx};
use super::state::Scheduler;
use crate::cib::{Role, Score};

impl Scheduler<'_> {
    /// `pe__resource_contains_guest_node`: the connection resource of the
    /// guest node this resource (a container) hosts.
    pub fn resource_contains_guest_node(&self, r: RscIdx) -> Option<RscIdx> {
        if !self
            .cluster
            .nodes
            .iter()
            .any(|n| n.kind != NodeKind::Member)
        {
            return None;
        }
        self.cluster
            .rsc(r)
            .fillers
            .iter()
            .copied()
            .find(|f| self.cluster.rsc(*f).is_remote_node)
    }

    /// `rsc_avoids_remote_nodes`: ban a resource from every remote and
    /// guest node.
    pub(super) fn rsc_avoids_remote_nodes(&mut self, r: RscIdx) {
        let remote: Vec<NodeIdx> = self.rs[r.i()]
            .allowed
            .keys()
            .copied()
            .filter(|n| self.cluster.node(*n).remote_rsc.is_some())
            .collect();
        for n in remote {
            if let Some(a) = self.rs[r.i()].allowed.get_mut(&n) {
                a.weight = Score::MINUS_INFINITY;
            }
        }
    }

    /// The container part of `pcmk__primitive_internal_constraints`: a
    /// guest's connection (or a plain filler) starts after, stops before and
    /// runs with its container; a resource whose container hosts a guest node
    /// is confined to that guest node.
    pub fn container_internal_constraints(&mut self, r: RscIdx) {
        let Some(container) = self.cluster.rsc(r).container else {
            return;
        };
        let is_conn = self.cluster.rsc(r).is_remote_node;
        let remote_rsc = if is_conn {
            if !self.cluster.rsc(r).allow_remote_remotes {
                self.rsc_avoids_remote_nodes(container);
            }
            // A cleaned-up container is probed before its connection stops,
            // so finding it running avoids a needless recovery.
            self.order_rsc_actions(container, "monitor", r, "stop", of::OPTIONAL);
            None
        } else if self.cluster.rsc(container).is_remote_node {
            Some(container)
        } else {
            self.resource_contains_guest_node(container)
        };
        if let Some(rr) = remote_rsc {
            let nodes: Vec<NodeIdx> = self.rs[r.i()].allowed.keys().copied().collect();
            for n in nodes {
                if self.cluster.node(n).remote_rsc != Some(rr) {
                    if let Some(a) = self.rs[r.i()].allowed.get_mut(&n) {
                        a.weight = Score::MINUS_INFINITY;
                    }
                }
            }
            return;
        }
        self.order_rsc_actions(
            container,
            "start",
            r,
            "start",
            of::IMPLIES_THEN | of::RUNNABLE_LEFT,
        );
        self.order_rsc_actions(r, "stop", container, "stop", of::IMPLIES_FIRST);
        let score = if self.cluster.rsc(r).allow_remote_remotes {
            10000
        } else {
            Score::INFINITY.0
        };
        self.new_colocation(
            "resource-with-container",
            None,
            score,
            r,
            container,
            None,
            None,
            true,
        );
    }

    /// `apply_container_ordering`: an action on a guest node relative to
    /// the guest's container and connection.
    pub fn apply_container_ordering(&mut self, a: ActionId, node: NodeIdx, conn: RscIdx) {
        let Some(container) = self.cluster.rsc(conn).container else {
            return;
        };
        if self.cluster.rsc(container).failed {
            fencing::fence_node(self, node, "container failed", false);
        }
        let (task, recurring) = {
            let act = self.a(a);
            (act.task.clone(), act.interval_ms > 0)
        };
        match task.as_str() {
            "start" | "promote" => {
                // Recovering the container recovers what runs inside it.
                self.order_start_then_action(container, a, of::IMPLIES_THEN);
                self.order_start_then_action(conn, a, of::NONE);
            }
            "stop" | "demote" | "migrate_to" | "migrate_from" => {
                // With the container failed, its stop implies these.
                if !self.cluster.rsc(container).failed {
                    self.order_action_then_stop(a, conn, of::NONE);
                }
            }
            _ => {
                if recurring {
                    // Tasks that map to no action (e.g. "cancel") need none.
                    if super::action::maps_to_action(&task) {
                        self.order_start_then_action(conn, a, of::IMPLIES_THEN);
                    }
                } else {
                    self.order_start_then_action(conn, a, of::NONE);
                }
            }
        }
    }
}

/// `pcmk__fence_guest`: a guest is "fenced" by its container's recovery,
/// a pseudo-action after the container (or its host's fencing) stops it.
pub fn fence_guest(s: &mut Scheduler<'_>, node: NodeIdx) {
    let conn = s.cluster.node(node).remote_rsc;
    let container = conn.and_then(|c| s.cluster.rsc(c).container);
    let mut stop = None;
    let mut fence_action = "off";
    if let Some(c) = container {
        let list = s.rs[c.i()].actions.clone();
        stop = s.find_first_action(&list, None, Some("stop"), None);
        if s.find_first_action(&list, None, Some("start"), None)
            .is_some()
        {
            fence_action = "reboot";
        }
    }
    let op = fencing::fence_op(
        s,
        node,
        Some(fence_action),
        false,
        Some("guest is unclean"),
        false,
    );
    s.am(op).set(af::PSEUDO | af::RUNNABLE);
    match stop {
        Some(st) if s.a(st).has(af::PSEUDO) => {
            if let Some(host) = s.a(st).node {
                let parent = fencing::fence_op(s, host, None, false, None, false);
                s.order_actions(parent, op, of::RUNNABLE_LEFT | of::IMPLIES_THEN);
            }
        }
        Some(st) => {
            s.order_actions(st, op, of::RUNNABLE_LEFT | of::IMPLIES_THEN);
        }
        None => {
            if let Some(c) = conn {
                let list = s.rs[c.i()].actions.clone();
                if let Some(st) = s.find_first_action(&list, None, Some("stop"), None) {
                    s.order_actions(st, op, of::OPTIONAL);
                }
            }
        }
    }
    fencing::order_vs_fence(s, op);
}

/// `guest_resource_will_stop` (probes): the guest's container is going down.
pub fn guest_resource_will_stop(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    let nd = s.cluster.node(node);
    let Some(g) = nd.remote_rsc.and_then(|c| s.cluster.rsc(c).container) else {
        return false;
    };
    let guest = s.cluster.rsc(g);
    nd.remote_requires_reset
        || nd.unclean
        || guest.failed
        || guest.next_role == Role::Stopped
        || (guest.role > Role::Stopped
            && guest
                .assigned_to
                .is_some_and(|a| !guest.running_on.contains(&a)))
}
