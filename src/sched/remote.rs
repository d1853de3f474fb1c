//! Pacemaker Remote nodes: actions on a remote node go through its
//! connection resource, so they are ordered relative to the connection's
//! start and stop (Pacemaker's `pcmk__order_remote_connection_actions`).

use super::action::{af, of, op_key, ActionId};
use super::model::{NodeIdx, NodeKind, RscIdx};
use super::state::Scheduler;
use crate::cib::Role;

/// What the connection to a remote node will be doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConnState {
    Unknown,
    Alive,
    Resting,
    Failed,
    Stopped,
}

/// The classes of task the orderings distinguish (`text2task`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TaskClass {
    Start,
    Promote,
    Stop,
    Demote,
    Monitor,
    Other,
}

fn task_class(task: &str) -> TaskClass {
    match task {
        "start" => TaskClass::Start,
        "promote" => TaskClass::Promote,
        // Migrations are ordered like stops.
        "stop" | "migrate_to" | "migrate_from" => TaskClass::Stop,
        "demote" => TaskClass::Demote,
        "monitor" => TaskClass::Monitor,
        _ => TaskClass::Other,
    }
}

/// `get_remote_node_state`.
fn remote_node_state(s: &Scheduler<'_>, node: NodeIdx, conn: RscIdx) -> ConnState {
    let rsc = s.cluster.rsc(conn);
    let cluster_node = s.current_node(conn);
    if rsc.next_role == Role::Stopped || rsc.assigned_to.is_none() {
        if cluster_node.is_some_and(|n| s.cluster.node(n).unclean) {
            return ConnState::Failed;
        }
        if !rsc.failed {
            return ConnState::Stopped;
        }
        let nd = s.cluster.node(node);
        let shutdown_requested = nd
            .attrs
            .get("shutdown")
            .is_some_and(|v| !v.is_empty() && v != "0");
        if rsc.next_role == Role::Stopped
            && rsc.remote_reconnect_ms > 0
            && nd.remote_was_fenced
            && !shutdown_requested
        {
            return ConnState::Unknown;
        }
        return ConnState::Failed;
    }
    let Some(cn) = cluster_node else {
        return ConnState::Unknown;
    };
    let cnd = s.cluster.node(cn);
    if cnd.unclean || !cnd.online {
        return ConnState::Resting;
    }
    if rsc.running_on.len() > 1
        && rsc.partial_migration_source.is_some()
        && rsc.partial_migration_target.is_some()
    {
        return ConnState::Resting;
    }
    ConnState::Alive
}

/// `pcmk__connection_host_for_action`: the cluster node an action on a
/// Pacemaker Remote or guest node is routed through (where the executor
/// records it), or `None` for other nodes and for fencing.
pub fn connection_host_for_action(
    s: &Scheduler<'_>,
    a: super::action::ActionId,
) -> Option<NodeIdx> {
    let act = s.a(a);
    let node = act.node?;
    let nd = s.cluster.node(node);
    if act.task.eq_ignore_ascii_case("stonith") || !nd.is_remote_or_guest() {
        return None;
    }
    let conn = nd.remote_rsc?;
    let rsc = s.cluster.rsc(conn);
    let began_on = s.current_node(conn);
    let ended_on = rsc.assigned_to;
    let partial_migration = rsc.container.is_none() && rsc.partial_migration_target.is_some();
    let (Some(began), Some(ended)) = (began_on, ended_on) else {
        return began_on.or(ended_on);
    };
    if began == ended {
        return Some(began);
    }
    // The connection moves: what must happen before it can stop goes
    // through its current host, the rest through its next one.
    let task = if act.task.eq_ignore_ascii_case("notify") {
        act.meta.get("notify_operation").map_or("", String::as_str)
    } else {
        act.task.as_str()
    };
    let before_move = ["cancel", "stop", "demote", "migrate_from", "migrate_to"]
        .iter()
        .any(|t| task.eq_ignore_ascii_case(t));
    Some(if before_move && !partial_migration {
        began
    } else {
        ended
    })
}

/// `pcmk__is_failed_remote_node`: a Pacemaker Remote node (not a guest)
/// whose connection failed beyond recovery.
pub fn is_failed_remote_node(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    let nd = s.cluster.node(node);
    nd.kind == super::model::NodeKind::Remote
        && nd
            .remote_rsc
            .is_some_and(|conn| remote_node_state(s, node, conn) == ConnState::Failed)
}

impl Scheduler<'_> {
    /// `order_start_then_action`: `first` (a remote connection, a guest's
    /// container or connection) starts before the action.
    pub(super) fn order_start_then_action(&mut self, first: RscIdx, then: ActionId, extra: u32) {
        let key = op_key(self.rsc_id(first), "start", 0);
        let then_rsc = self.a(then).rsc;
        self.new_ordering(
            Some(first),
            Some(key),
            None,
            then_rsc,
            None,
            Some(then),
            of::PRESERVE | of::RUNNABLE_LEFT | extra,
        );
    }

    /// `order_action_then_stop`: the action comes before `conn` (a remote
    /// or guest connection) stops.
    pub(super) fn order_action_then_stop(&mut self, first: ActionId, conn: RscIdx, extra: u32) {
        let key = op_key(self.rsc_id(conn), "stop", 0);
        let first_rsc = self.a(first).rsc;
        self.new_ordering(
            first_rsc,
            None,
            Some(first),
            Some(conn),
            Some(key),
            None,
            of::PRESERVE | extra,
        );
    }

    /// `apply_remote_ordering` for an action on a remote node.
    fn apply_remote_ordering(&mut self, a: ActionId, node: NodeIdx, conn: RscIdx) {
        let state = remote_node_state(self, node, conn);
        let (task, recurring) = {
            let act = self.a(a);
            (task_class(&act.task), act.interval_ms > 0)
        };
        match task {
            TaskClass::Start | TaskClass::Promote => {
                // A failed connection forces recovery of what it runs.
                let extra = if state == ConnState::Failed {
                    of::IMPLIES_THEN
                } else {
                    of::NONE
                };
                self.order_start_then_action(conn, a, extra);
            }
            TaskClass::Stop => match state {
                ConnState::Alive => self.order_action_then_stop(a, conn, of::IMPLIES_FIRST),
                ConnState::Failed => super::fencing::fence_node(
                    self,
                    node,
                    "resources are active but connection is unrecoverable",
                    false,
                ),
                _ if self.cluster.rsc(conn).next_role == Role::Stopped => {
                    self.order_action_then_stop(a, conn, of::IMPLIES_FIRST)
                }
                // The connection comes back elsewhere first.
                _ => self.order_start_then_action(conn, a, of::NONE),
            },
            TaskClass::Demote => {
                if matches!(state, ConnState::Resting | ConnState::Unknown) {
                    self.order_start_then_action(conn, a, of::NONE);
                }
            }
            TaskClass::Monitor | TaskClass::Other => {
                if recurring {
                    self.order_start_then_action(conn, a, of::IMPLIES_THEN);
                } else {
                    if task == TaskClass::Monitor && state == ConnState::Failed {
                        super::fencing::fence_node(
                            self,
                            node,
                            "resources are in unknown state and connection is unrecoverable",
                            false,
                        );
                    }
                    if self.current_node(conn).is_some() && state == ConnState::Stopped {
                        // The connection is up now but going down.
                        self.order_action_then_stop(a, conn, of::RUNNABLE_LEFT);
                    } else {
                        self.order_start_then_action(conn, a, of::NONE);
                    }
                }
            }
        }
    }

    /// `pcmk__order_remote_connection_actions`.
    pub fn order_remote_connection_actions(&mut self) {
        if !self
            .cluster
            .nodes
            .iter()
            .any(|n| n.kind != NodeKind::Member)
        {
            return;
        }
        // Pacemaker walks its newest-first action list.
        for i in (0..self.actions.len()).rev() {
            let a = ActionId(i as u32);
            let Some(r) = self.a(a).rsc else { continue };
            if self.cluster.rsc(r).is_remote_node && self.a(a).task == "clear_failcount" {
                // Clear a connection's fail count before starting it.
                let key = op_key(self.rsc_id(r), "start", 0);
                self.new_ordering(
                    Some(r),
                    None,
                    Some(a),
                    Some(r),
                    Some(key),
                    None,
                    of::OPTIONAL,
                );
                continue;
            }
            let Some(node) = self.a(a).node else { continue };
            if self.cluster.node(node).kind == NodeKind::Member || self.a(a).has(af::PSEUDO) {
                continue;
            }
            let Some(conn) = self.cluster.node(node).remote_rsc else {
                continue;
            };
            if self.a(a).task == "start" {
                // A resource moving onto a remote node: its stops elsewhere
                // wait for the connection too.
                for other in self.rs[r.i()].actions.clone().into_iter().rev() {
                    let o = self.a(other);
                    if o.node.is_some_and(|n| n != node) && o.task == "stop" {
                        let key = op_key(self.rsc_id(conn), "start", 0);
                        self.new_ordering(
                            Some(conn),
                            Some(key),
                            None,
                            Some(r),
                            None,
                            Some(other),
                            of::OPTIONAL,
                        );
                    }
                }
            }
            if self.cluster.rsc(conn).container.is_some() {
                self.apply_container_ordering(a, node, conn);
            } else {
                self.apply_remote_ordering(a, node, conn);
            }
        }
    }
}
