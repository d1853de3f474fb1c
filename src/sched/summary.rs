//! The transition summary: for each resource, the one change the
//! transition makes (Start, Stop, Move, Recover, Restart, Promote…), and
//! fencing and shutdowns of nodes (Pacemaker's `LogActions`).

use super::action::{af, op_key, ActionId};
use super::model::{NodeIdx, NodeKind, RscIdx, Variant};
use super::state::Scheduler;
use crate::cib::Role;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum SummaryItem {
    /// "Fence (reboot) node1 'reason'" or "Shutdown node1".
    Node {
        task: String,
        node: String,
        reason: Option<String>,
    },
    Resource {
        change: String,
        rsc: String,
        details: String,
        reason: Option<String>,
    },
}

impl Scheduler<'_> {
    pub fn transition_summary(&mut self) -> Vec<SummaryItem> {
        let mut out = Vec::new();
        for i in (0..self.actions.len()).rev() {
            let a = self.a(ActionId(i as u32));
            if a.rsc.is_some() || a.is_optional() {
                continue;
            }
            let task = match a.task.as_str() {
                "do_shutdown" => "Shutdown".to_owned(),
                "stonith" => format!(
                    "Fence ({})",
                    a.meta.get("stonith_action").cloned().unwrap_or_default()
                ),
                _ => continue,
            };
            let node = match a.node {
                Some(n) => {
                    let nd = self.cluster.node(n);
                    if nd.kind == NodeKind::Guest {
                        let container = nd
                            .remote_rsc
                            .and_then(|c| self.cluster.rsc(c).container)
                            .map(|c| self.cluster.rsc(c).id.clone())
                            .unwrap_or_default();
                        format!("{} (resource: {})", nd.name, container)
                    } else {
                        nd.name.clone()
                    }
                }
                None => String::new(),
            };
            if a.reason.is_some() {
                out.push(SummaryItem::Node {
                    task,
                    node,
                    reason: a.reason.clone(),
                });
            }
        }
        for r in self.top_resources() {
            self.output_rsc_actions(r, &mut out);
        }
        out
    }

    fn output_rsc_actions(&mut self, r: RscIdx, out: &mut Vec<SummaryItem>) {
        match self.cluster.rsc(r).variant {
            Variant::Primitive => {
                let current = self.find_active_on(r).0; // pe__current_node
                let rsc = self.cluster.rsc_mut(r);
                if !rsc.running_on.is_empty() && rsc.role == Role::Stopped {
                    // Active but unpacked as stopped (a failed migrate_to
                    // left it on its target): Pacemaker reports it as
                    // started here, as recovery can change the role.
                    rsc.role = Role::Started;
                }
                let next = self.cluster.rsc(r).assigned_to;
                self.rsc_action(r, current, next, out);
            }
            Variant::Bundle => {
                for c in self.bundle_summary_order(r) {
                    self.output_rsc_actions(c, out);
                }
            }
            _ => {
                for c in self.cluster.rsc(r).children.clone() {
                    self.output_rsc_actions(c, out);
                }
            }
        }
    }

    fn first_of(&mut self, r: RscIdx, node: Option<NodeIdx>, task: &str) -> Option<ActionId> {
        self.rsc_actions(r, node, task, false).into_iter().next()
    }

    fn rsc_action(
        &mut self,
        r: RscIdx,
        current: Option<NodeIdx>,
        next: Option<NodeIdx>,
        out: &mut Vec<SummaryItem>,
    ) {
        let rsc = self.cluster.rsc(r);
        if !rsc.managed || (current.is_none() && next.is_none()) {
            return;
        }
        let moving = current.is_some() && next.is_some() && current != next;
        let start = self.first_of(r, next, "start");
        let start_node = match start {
            Some(s) if self.a(s).is_runnable() => current,
            _ => None,
        };
        let mut stop = self.first_of(r, start_node, "stop");
        if stop.is_none() && self.cluster.rsc(r).stop_unexpected {
            stop = self.first_of(r, None, "stop");
        }
        let promote = self.first_of(r, next, "promote");
        let demote = self.first_of(r, next, "demote");
        let (role, next_role, failed) = {
            let rsc = self.cluster.rsc(r);
            (rsc.role, rsc.next_role, rsc.failed)
        };
        if role == next_role {
            let Some(_) = next else { return };
            let migrate = self.first_of(r, next, "migrate_from");
            if migrate.is_some_and(|m| self.a(m).is_runnable()) && current.is_some() {
                self.item(out, "Migrate", r, current, next, start, None);
            } else if self.rs[r.i()].reload {
                self.item(out, "Reload", r, current, next, start, None);
            } else if start.is_none_or(|s| self.a(s).is_optional()) {
                if let (Some(d), Some(p)) = (demote, promote) {
                    if !self.a(d).is_optional() && !self.a(p).is_optional() {
                        self.item(out, "Re-promote", r, current, next, Some(p), Some(d));
                    }
                }
            } else if start.is_some_and(|s| !self.a(s).is_runnable()) {
                let src = match stop {
                    Some(s) if self.a(s).reason.is_some() => Some(s),
                    _ => start,
                };
                self.item(out, "Stop", r, current, None, stop, src);
            } else if moving && current.is_some() {
                let change = if failed { "Recover" } else { "Move" };
                self.item(out, change, r, current, next, stop, None);
            } else if failed {
                self.item(out, "Recover", r, current, None, stop, None);
            } else {
                self.item(out, "Restart", r, current, next, start, None);
            }
            return;
        }
        if stop.is_some()
            && (next_role == Role::Stopped || start.is_some_and(|s| !self.a(s).is_runnable()))
        {
            let key = op_key(self.rsc_id(r), "stop", 0);
            for n in self.cluster.rsc(r).running_on.clone() {
                let list = self.rs[r.i()].actions.clone();
                let stop_op = self.find_actions(&list, &key, Some(n)).into_iter().next();
                let src = match stop_op {
                    Some(s) if self.a(s).reason.is_some() => Some(s),
                    _ => start,
                };
                self.item(out, "Stop", r, Some(n), None, stop_op, src);
            }
        } else if stop.is_some() && failed && self.rs[r.i()].stop {
            self.item(out, "Recover", r, current, next, stop, start);
        } else if moving {
            self.item(out, "Move", r, current, next, stop, None);
        } else if self.rs[r.i()].reload {
            self.item(out, "Reload", r, current, next, start, None);
        } else if stop.is_some_and(|s| !self.a(s).is_optional()) {
            self.item(out, "Restart", r, current, next, start, None);
        } else if role == Role::Promoted {
            self.item(out, "Demote", r, current, next, demote, None);
        } else if next_role == Role::Promoted {
            self.item(out, "Promote", r, current, next, promote, None);
        } else if role == Role::Stopped && next_role > Role::Stopped {
            self.item(out, "Start", r, current, next, start, None);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        out: &mut Vec<SummaryItem>,
        change: &str,
        r: RscIdx,
        origin: Option<NodeIdx>,
        dest: Option<NodeIdx>,
        action: Option<ActionId>,
        source: Option<ActionId>,
    ) {
        let Some(action) = action else { return };
        let source = source.unwrap_or(action);
        let rsc = self.cluster.rsc(r);
        let need_role = rsc.role > Role::Started || rsc.next_role > Role::Unpromoted;
        let same_host = origin.is_some() && origin == dest;
        let same_role = rsc.role == rsc.next_role;
        let name = |n: Option<NodeIdx>| {
            n.map(|n| self.cluster.node(n).name.clone())
                .unwrap_or_default()
        };
        let (role, next) = (rsc.role.name(), rsc.next_role.name());
        let details = if need_role && origin.is_none() {
            format!("{role} -> {next} {}", name(dest))
        } else if origin.is_none() {
            name(dest)
        } else if need_role && dest.is_none() {
            format!("{role} {}", name(origin))
        } else if dest.is_none() {
            name(origin)
        } else if need_role && same_role && same_host {
            format!("{role} {}", name(origin))
        } else if same_role && same_host {
            name(origin)
        } else if need_role && same_role {
            format!("{} -> {} {role}", name(origin), name(dest))
        } else if same_role {
            format!("{} -> {}", name(origin), name(dest))
        } else if same_host {
            format!("{role} -> {next} {}", name(origin))
        } else {
            format!("{role} {} -> {next} {}", name(origin), name(dest))
        };
        let runnable = self.a(action).has(af::RUNNABLE);
        let reason = match &self.a(source).reason {
            Some(why) if !runnable => Some(format!("due to {why} (blocked)")),
            Some(why) => Some(format!("due to {why}")),
            None if !runnable => Some("blocked".into()),
            None => None,
        };
        out.push(SummaryItem::Resource {
            change: change.to_owned(),
            rsc: rsc.id.clone(),
            details,
            reason,
        });
    }
}
