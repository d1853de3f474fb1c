//! Clean-up of resource history the configuration no longer matches:
//! orphaned resources, and resources whose agent changed since their history
//! was recorded (the clean-up half of Pacemaker's
//! `pcmk__handle_rsc_config_changes`).

use super::action::{af, op_key};
use super::model::{NodeIdx, RscIdx, Variant};
use super::state::Scheduler;

impl Scheduler<'_> {
    /// Walk each available node's history entries (nodes in Pacemaker's
    /// order, entries as recorded) and schedule the clean-ups they need.
    pub fn handle_rsc_history_cleanups(&mut self) {
        for n in self.cluster.node_order() {
            let nd = self.cluster.node(n);
            let available =
                nd.online && !nd.shutdown && !nd.unclean && !nd.standby && !nd.maintenance;
            if !available {
                continue;
            }
            let entries: Vec<(RscIdx, crate::xml::ElemId)> = self
                .cluster
                .history
                .iter()
                .filter(|h| h.node == n && !h.ops.is_empty())
                .map(|h| (h.rsc, h.entry))
                .collect();
            for (r, entry) in entries {
                self.process_rsc_history_cleanup(r, n, entry);
            }
        }
    }

    fn process_rsc_history_cleanup(&mut self, r: RscIdx, n: NodeIdx, entry: crate::xml::ElemId) {
        let rsc = self.cluster.rsc(r);
        if rsc.variant != Variant::Primitive {
            return;
        }
        let in_anon_clone = {
            let top = self.cluster.top_of(r);
            let t = self.cluster.rsc(top);
            t.variant == Variant::Clone && !t.unique
        };
        if rsc.orphan {
            if !in_anon_clone {
                self.schedule_cleanup(r, n);
            }
            return;
        }
        if !self.agent_changed(r, entry) {
            return;
        }
        if in_anon_clone
            || rsc
                .parent
                .is_some_and(|p| self.cluster.rsc(p).variant != Variant::Group)
        {
            // One history entry can stand for several instances.
            self.refuse(
                r,
                "resource agent changed since its history was recorded (clones)",
            );
            return;
        }
        if self.cluster.rsc(r).running_on.contains(&n) {
            // Active under the old agent: it must restart.
            self.stop_action(r, Some(n), false);
            self.cluster.rsc_mut(r).start_pending = true;
        }
        self.schedule_cleanup(r, n);
    }

    /// Does the history entry name another agent than the configuration
    /// (`pcmk__rsc_agent_changed`)?
    fn agent_changed(&self, r: RscIdx, entry: crate::xml::ElemId) -> bool {
        let rsc = self.cluster.rsc(r);
        let e = self.cib.doc.get(entry);
        e.attr("class") != Some(rsc.class.as_str())
            || e.attr("provider") != rsc.provider.as_deref()
            || e.attr("type") != Some(rsc.agent.as_str())
    }

    /// `pcmk__schedule_cleanup` (required): delete the resource's history
    /// on the node, after any stop there and before any start.
    fn schedule_cleanup(&mut self, r: RscIdx, n: NodeIdx) {
        if self.cluster.rsc(r).failed {
            return;
        }
        let nd = self.cluster.node(n);
        if nd.unclean || !nd.online {
            return;
        }
        let key = op_key(self.rsc_id(r), "delete", 0);
        let a = self.custom_action(Some(r), key, "delete", Some(n), false);
        debug_assert!(self.a(a).has(af::DC));
        let of = super::action::of::OPTIONAL;
        self.order_rsc_actions(r, "stop", r, "delete", of);
        self.order_rsc_actions(r, "delete", r, "start", of);
    }
}
