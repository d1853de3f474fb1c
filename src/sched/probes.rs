//! Probes: checking a resource's state on nodes where it is not yet known,
//! and ordering probes before the actions that depend on them.

use super::action::{af, of, op_key, ActionId};
use super::model::{NodeIdx, NodeKind, RscIdx, Variant};
use super::state::{Discover, Scheduler};
use crate::cib::Role;

impl Scheduler<'_> {
    /// `pcmk__schedule_probes`.
    pub fn schedule_probes(&mut self) {
        let tops = self.top_resources();
        // Pacemaker's node list is sorted by name.
        for n in self.cluster.node_order() {
            let nd = self.cluster.node(n);
            if !nd.online {
                // Probing is also when a remote node whose connection cannot
                // be recovered is fenced.
                if super::remote::is_failed_remote_node(self, n) {
                    super::fencing::fence_node(self, n, "the connection is unrecoverable", false);
                }
                continue;
            }
            if nd.unclean || !nd.rsc_discovery_enabled {
                continue;
            }
            if let Some(v) = nd.attrs.get("probe_complete") {
                if !crate::cib::load::parse_bool(v) {
                    // A node asked to be re-probed: one "probe again" request
                    // instead of individual probes.
                    let key = format!("probe_again-{}", nd.name);
                    let a = self.custom_action(None, key, "probe_again", Some(n), false);
                    self.am(a).meta.insert("op_no_wait".into(), "true".into());
                    continue;
                }
            }
            for &r in &tops {
                self.probe_rsc_on_node(r, n);
            }
        }
    }

    /// `pcmk__probe_rsc_on_node`.
    pub(crate) fn probe_rsc_on_node(&mut self, r: RscIdx, n: NodeIdx) -> bool {
        if !self.cluster.options.startup_probes {
            return false;
        }
        let nd_kind = self.cluster.node(n).kind;
        let rsc = self.cluster.rsc(r);
        if nd_kind != NodeKind::Member {
            if rsc.class == "stonith" || rsc.is_remote_node {
                return false;
            }
            // Guest nodes cannot run resources containing guest nodes.
            if nd_kind == NodeKind::Guest && self.resource_contains_guest_node(r).is_some() {
                return false;
            }
        }
        let rsc = self.cluster.rsc(r);
        if rsc.variant == Variant::Clone {
            return self.clone_create_probe(r, n);
        }
        if rsc.variant == Variant::Bundle {
            return self.bundle_create_probe(r, n);
        }
        if !rsc.children.is_empty() {
            let mut any = false;
            for c in rsc.children.clone() {
                if self.probe_rsc_on_node(c, n) {
                    any = true;
                }
            }
            return any;
        }
        if (rsc.container.is_some() && !rsc.is_remote_node)
            || rsc.orphan
            || rsc.known_on.contains(&n)
        {
            return false;
        }
        let top = self.cluster.top_of(r);
        let allowed = self.rs[r.i()].allowed.get(&n).copied();
        if rsc.exclusive_discover || self.cluster.rsc(top).exclusive_discover {
            match allowed {
                None => return false,
                Some(a) if a.discover != Discover::Exclusive => return false,
                _ => {}
            }
        }
        // Without an entry, the node's own discovery mode applies.
        let discover = allowed
            .map(|a| a.discover)
            .unwrap_or_else(|| super::assign::node_discover(self.cluster.node(n)));
        if discover == Discover::Never {
            return false;
        }
        if self.cluster.node(n).kind == NodeKind::Guest {
            if let Some(guest) = self
                .cluster
                .node(n)
                .remote_rsc
                .and_then(|c| self.cluster.rsc(c).container)
            {
                if self.cluster.rsc(guest).role == Role::Stopped {
                    // Nothing can be active inside a stopped guest; its
                    // probe (if any) comes before starting here.
                    let g = self.cluster.rsc(guest);
                    if g.assigned_to.is_some_and(|a| !g.known_on.contains(&a)) {
                        self.order_rsc_actions(guest, "monitor", top, "start", of::OPTIONAL);
                    }
                    return false;
                }
                if super::guest::guest_resource_will_stop(self, n) {
                    // Start after the guest stops, in case it is restarting.
                    self.order_rsc_actions(guest, "stop", top, "start", of::OPTIONAL);
                    return false;
                }
            }
        }
        let probe = self.probe_action(r, n);
        let top_clone = self.cluster.rsc(top).variant == Variant::Clone;
        let target = if (self.cluster.rsc(r).fence_device && self.cluster.options.enable_unfencing)
            || !top_clone
        {
            r
        } else {
            top
        };
        let mut flags = of::OPTIONAL;
        if !self.a(probe).is_runnable() && self.cluster.rsc(r).running_on.is_empty() {
            flags |= of::RUNNABLE_LEFT;
        }
        let tid = self.rsc_id(target).to_owned();
        self.new_ordering(
            Some(r),
            None,
            Some(probe),
            Some(target),
            Some(op_key(&tid, "start", 0)),
            None,
            flags,
        );
        let rid = self.rsc_id(r).to_owned();
        self.new_ordering(
            Some(r),
            None,
            Some(probe),
            Some(target),
            Some(op_key(&rid, "reload-agent", 0)),
            None,
            of::OPTIONAL,
        );
        true
    }

    fn probe_action(&mut self, r: RscIdx, n: NodeIdx) -> ActionId {
        let key = op_key(self.rsc_id(r), "monitor", 0);
        let probe = self.custom_action(Some(r), key, "monitor", Some(n), false);
        self.am(probe).clear(af::OPTIONAL);
        super::fencing::order_vs_unfence(self, r, n, probe, of::OPTIONAL);
        let rsc = self.cluster.rsc(r);
        if !rsc.running_on.contains(&n) {
            self.am(probe)
                .meta
                .insert("op_target_rc".into(), "7".into());
        } else if rsc.role == Role::Promoted {
            self.am(probe)
                .meta
                .insert("op_target_rc".into(), "8".into());
        }
        probe
    }

    /// `pcmk__order_probes`.
    pub fn order_probes(&mut self) {
        for r in self.top_resources() {
            self.add_restart_orderings_for_rsc(r);
        }
        self.add_probe_orderings_for_stops();
    }

    fn add_restart_orderings_for_rsc(&mut self, r: RscIdx) {
        if self.cluster.rsc(r).variant != Variant::Primitive {
            for c in self.cluster.rsc(r).children.clone() {
                self.add_restart_orderings_for_rsc(c);
            }
            return;
        }
        let probes = self.rsc_actions(r, None, "monitor", false);
        for probe in probes {
            let afters: Vec<ActionId> =
                self.a(probe).after.iter().rev().map(|e| e.action).collect();
            // Only the actions marked in one pass carry the flag: clearing
            // those is clearing every action's, without the scan.
            let mut tracked = Vec::new();
            for then in afters {
                self.add_restart_orderings_for_probe(probe, then, &mut tracked);
                for a in tracked.drain(..) {
                    self.am(a).clear(af::TRACKING);
                }
            }
        }
    }

    fn add_restart_orderings_for_probe(
        &mut self,
        probe: ActionId,
        after: ActionId,
        tracked: &mut Vec<ActionId>,
    ) {
        let Some(prsc) = self.a(probe).rsc else {
            return;
        };
        if self.cluster.rsc(prsc).variant != Variant::Primitive || self.a(probe).task != "monitor" {
            return;
        }
        if self.a(after).has(af::TRACKING) {
            return;
        }
        self.am(after).set(af::TRACKING);
        tracked.push(after);
        let after_rsc = self.a(after).rsc;
        if let Some(ar) = after_rsc {
            if self.cluster.rsc(ar).variant == Variant::Primitive && ar != prsc {
                let task = self.a(after).task.clone();
                let thens = match task.as_str() {
                    "start" => self.rsc_actions(ar, None, "stop", false),
                    "promote" => self.rsc_actions(ar, None, "demote", false),
                    _ => Vec::new(),
                };
                for t in thens {
                    if !self.a(t).is_pseudo() {
                        self.order_actions(probe, t, of::OPTIONAL);
                    }
                }
            }
        }
        // Through an interleaved clone's action, only the instance paired
        // with the probed resource follows.
        let interleaved = after_rsc.filter(|&ar| {
            matches!(
                self.cluster.rsc(ar).variant,
                Variant::Clone | Variant::Bundle
            ) && self
                .cluster
                .rsc(ar)
                .meta
                .get("interleave")
                .is_some_and(|v| crate::cib::load::parse_bool(v))
        });
        let compatible = interleaved.and_then(|ar| self.find_compatible_child(prsc, ar, false));
        let edges: Vec<(ActionId, u32)> = self
            .a(after)
            .after
            .iter()
            .rev()
            .map(|e| (e.action, e.kind))
            .collect();
        for (next, kind) in edges {
            if kind & of::IMPLIES_THEN == 0 {
                let Some(ar) = after_rsc else { continue };
                let ar_variant = self.cluster.rsc(ar).variant;
                if ar_variant == Variant::Primitive || self.cluster.rsc(prsc).parent == Some(ar) {
                    continue;
                }
                let Some(nr) = self.a(next).rsc else { continue };
                if matches!(
                    self.cluster.rsc(nr).variant,
                    Variant::Clone | Variant::Bundle
                ) || self.cluster.rsc(nr).parent != Some(ar)
                {
                    continue;
                }
                if interleaved.is_some() && compatible != Some(nr) {
                    continue;
                }
            }
            self.add_restart_orderings_for_probe(probe, next, tracked);
        }
    }

    fn add_probe_orderings_for_stops(&mut self) {
        for oi in 0..self.orderings.len() {
            let o = self.orderings[oi].clone();
            if o.flags == of::NONE {
                continue;
            }
            let Some(first_rsc) = o.first_rsc else {
                continue;
            };
            if Some(first_rsc) == o.then_rsc {
                continue;
            }
            if (o.first_action.is_none() && o.first_task.is_none())
                || (o.then_action.is_none() && o.then_task.is_none())
            {
                continue;
            }
            match o.first_action {
                Some(fa) if self.a(fa).task != "stop" => continue,
                None if !o
                    .first_task
                    .as_deref()
                    .is_some_and(|t| t.ends_with("_stop_0")) =>
                {
                    continue
                }
                _ => {}
            }
            if let Some(tr) = o.then_rsc {
                if self.cluster.rsc(first_rsc).container == Some(tr) {
                    match o.then_action {
                        Some(ta) if self.a(ta).task == "stop" => continue,
                        None if o
                            .then_task
                            .as_deref()
                            .is_some_and(|t| t.ends_with("_stop_0")) =>
                        {
                            continue
                        }
                        _ => {}
                    }
                }
            }
            let mut flags = of::OPTIONAL;
            if o.flags & of::APPLY_FIRST_NON_MIGRATABLE != 0 {
                flags |= of::APPLY_FIRST_NON_MIGRATABLE;
            }
            if o.flags & of::SAME_NODE != 0 {
                flags |= of::SAME_NODE;
            }
            if o.flags == of::ANTI_COLOCATION || o.flags == of::LOAD {
                flags = o.flags;
            }
            let probes = self.rsc_actions(first_rsc, None, "monitor", false);
            if probes.is_empty() {
                continue;
            }
            let thens: Vec<ActionId> = if let Some(ta) = o.then_action {
                vec![ta]
            } else if let Some(tr) = o.then_rsc {
                let list = self.rs[tr.i()].actions.clone();
                let key = o.then_task.clone().unwrap_or_default();
                let v = self.find_actions(&list, &key, None);
                if v.is_empty() {
                    continue;
                }
                v
            } else {
                Vec::new()
            };
            for &p in &probes {
                for &t in &thens {
                    if self.probe_needed_before(p, t) {
                        self.order_actions(p, t, flags);
                    }
                }
            }
        }
    }

    fn probe_needed_before(&self, probe: ActionId, then: ActionId) -> bool {
        let (p, t) = (self.a(probe), self.a(then));
        if t.task == "stonith"
            && p.node.is_some()
            && p.node == t.node
            && t.meta.get("stonith_action").is_some_and(|v| v == "on")
        {
            return false;
        }
        if t.task == "do_shutdown" && p.node.is_some() && t.node.is_some() && p.node != t.node {
            return false;
        }
        true
    }
}
