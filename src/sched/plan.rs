//! Where the transition puts each primitive: the scheduler's assignment
//! and next role, as report data (a start or promote that cannot run
//! leaves the resource stopped or unpromoted).

use super::model::{NodeIdx, RscIdx, Variant};
use super::state::Scheduler;
use crate::cib::Role;

/// One primitive's placement once the transition has run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub rsc: String,
    pub role: Role,
    pub node: Option<String>,
}

impl Scheduler<'_> {
    fn runnable_task_on(&self, r: RscIdx, n: NodeIdx, task: &str) -> Option<bool> {
        self.rs[r.i()]
            .actions
            .iter()
            .map(|a| self.a(*a))
            .find(|a| a.task == task && a.interval_ms == 0 && a.node == Some(n))
            .map(|a| a.is_runnable())
    }

    /// Every primitive's planned placement, in resource order. Unmanaged
    /// resources stay where they are.
    pub fn planned(&self) -> Vec<Planned> {
        let mut out = Vec::new();
        for (i, rsc) in self.cluster.resources.iter().enumerate() {
            if rsc.variant != Variant::Primitive {
                continue;
            }
            let r = RscIdx(i as u32);
            let (role, node) = if !rsc.managed {
                (rsc.role, rsc.running_on.first().copied())
            } else {
                match rsc.assigned_to {
                    Some(n) if rsc.next_role != Role::Stopped => {
                        let start_ok = rsc.running_on.contains(&n)
                            || self.runnable_task_on(r, n, "start") != Some(false);
                        let promote_ok = self.runnable_task_on(r, n, "promote") != Some(false);
                        if !start_ok {
                            (Role::Stopped, None)
                        } else if rsc.next_role == Role::Promoted && !promote_ok {
                            (Role::Unpromoted, Some(n))
                        } else if rsc.next_role == Role::Unknown {
                            (Role::Started, Some(n))
                        } else {
                            (rsc.next_role, Some(n))
                        }
                    }
                    _ => (Role::Stopped, None),
                }
            };
            out.push(Planned {
                rsc: rsc.id.clone(),
                role,
                node: node.map(|n| self.cluster.node(n).name.clone()),
            });
        }
        out
    }
}
