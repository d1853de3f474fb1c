//! Live migration of primitives (`allow-migrate`): `migrate_to` on the
//! source, `migrate_from` on the target, with the start becoming a pseudo
//! action; stops for dangling migrations; and the migration equivalents of
//! orderings between resources (Pacemaker's pcmk_sched_migration.c).

use super::action::{af, of, op_key, parse_op_key, ActionId};
use super::model::{NodeIdx, RscIdx};
use super::state::Scheduler;

impl Scheduler<'_> {
    /// Could the resource migrate live from `current` to where it is
    /// assigned? (`pcmk__rsc_can_migrate`)
    pub fn rsc_can_migrate(&self, r: RscIdx, current: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        if !rsc.allow_migrate || !rsc.managed || rsc.failed || rsc.start_pending {
            return false;
        }
        if self.cluster.node(current).unclean {
            return false;
        }
        match rsc.assigned_to {
            Some(t) => !self.cluster.node(t).unclean,
            None => false,
        }
    }

    fn set_migration_meta(&mut self, a: ActionId, source: NodeIdx, target: NodeIdx) {
        let s = self.cluster.node(source).name.clone();
        let t = self.cluster.node(target).name.clone();
        let act = self.am(a);
        act.meta.insert("migrate_source".into(), s);
        act.meta.insert("migrate_target".into(), t);
    }

    /// `pcmk__create_migration_actions`: migrate (or finish a partial
    /// migration) from `current` to the assigned node.
    pub fn create_migration_actions(&mut self, r: RscIdx, current: NodeIdx) {
        let Some(target) = self.cluster.rsc(r).assigned_to else {
            return;
        };
        let partial = self.cluster.rsc(r).partial_migration_target.is_some();
        let id = self.rsc_id(r).to_owned();
        let start = self.start_action(r, Some(target), true);
        let stop = self.stop_action(r, Some(current), true);
        let migrate_to = if partial {
            None
        } else {
            let key = op_key(&id, "migrate_to", 0);
            Some(self.custom_action(Some(r), key, "migrate_to", Some(current), true))
        };
        let key = op_key(&id, "migrate_from", 0);
        let migrate_from = self.custom_action(Some(r), key, "migrate_from", Some(target), true);

        self.am(start).set(af::MIGRATE_RUNNABLE | af::PSEUDO);
        self.am(stop).set(af::MIGRATE_RUNNABLE);
        self.am(migrate_from).set(af::MIGRATE_RUNNABLE);
        let needs = self.a(start).needs;
        let named = |s: &Self, task: &str| Some(op_key(s.rsc_id(r), task, 0));
        if let Some(mt) = migrate_to {
            self.am(mt).set(af::MIGRATE_RUNNABLE);
            self.am(mt).needs = needs;
            // A probe, then migrate_to, then migrate_from.
            let (f, t) = (named(self, "monitor"), named(self, "migrate_to"));
            self.new_ordering(Some(r), f, None, Some(r), t, None, of::OPTIONAL);
            let (f, t) = (named(self, "migrate_to"), named(self, "migrate_from"));
            let flags = of::OPTIONAL | of::IMPLIES_FIRST_MIGRATABLE;
            self.new_ordering(Some(r), f, None, Some(r), t, None, flags);
        } else {
            self.am(migrate_from).needs = needs;
            // migrate_to already completed: a probe, then migrate_from.
            let (f, t) = (named(self, "monitor"), named(self, "migrate_from"));
            self.new_ordering(Some(r), f, None, Some(r), t, None, of::OPTIONAL);
        }
        let (f, t) = (named(self, "migrate_from"), named(self, "stop"));
        let flags = of::OPTIONAL | of::IMPLIES_FIRST_MIGRATABLE;
        self.new_ordering(Some(r), f, None, Some(r), t, None, flags);
        let (f, t) = (named(self, "migrate_from"), named(self, "start"));
        let flags = of::OPTIONAL | of::IMPLIES_FIRST_MIGRATABLE | of::PSEUDO_LEFT;
        self.new_ordering(Some(r), f, None, Some(r), t, None, flags);

        if let Some(mt) = migrate_to {
            self.set_migration_meta(mt, current, target);
        }
        self.set_migration_meta(migrate_from, current, target);
    }

    /// `pcmk__abort_dangling_migration`: stop what a migration left behind
    /// on its source.
    pub fn abort_dangling_migrations(&mut self, r: RscIdx) {
        for n in self.cluster.rsc(r).dangling_migrations.clone() {
            let stop = self.stop_action(r, Some(n), false);
            self.am(stop).set(af::DANGLE);
        }
    }

    /// Is `r` inside a clone (an instance, or a member of a cloned group)?
    pub fn in_clone(&self, r: RscIdx) -> bool {
        let mut p = self.cluster.rsc(r).parent;
        while let Some(x) = p {
            if self.cluster.rsc(x).variant == super::model::Variant::Clone {
                return true;
            }
            p = self.cluster.rsc(x).parent;
        }
        false
    }

    fn is_ancestor(&self, ancestor: RscIdx, mut r: RscIdx) -> bool {
        while let Some(p) = self.cluster.rsc(r).parent {
            if p == ancestor {
                return true;
            }
            r = p;
        }
        false
    }

    /// `pcmk__order_migration_equivalents`: an ordering of starts, stops,
    /// promotes or demotes between two resources also orders the
    /// corresponding migration actions. Called for each new ordering.
    pub fn order_migration_equivalents(&mut self, oi: usize) {
        let o = &self.orderings[oi];
        let (Some(first), Some(then)) = (o.first_rsc, o.then_rsc) else {
            return;
        };
        if first == then || self.is_ancestor(first, then) || self.is_ancestor(then, first) {
            return;
        }
        let first_migratable = self.cluster.rsc(first).allow_migrate;
        let then_migratable = self.cluster.rsc(then).allow_migrate;
        if !first_migratable && !then_migratable {
            return;
        }
        let task_of = |s: &Self, action: Option<ActionId>, key: &Option<String>| match action {
            Some(a) => Some(s.a(a).task.clone()),
            None => key
                .as_deref()
                .and_then(parse_op_key)
                .map(|(_, t, _)| t.to_owned()),
        };
        let first_task = task_of(self, o.first_action, &o.first_task);
        let then_task = task_of(self, o.then_action, &o.then_task);
        let then_partial = self.cluster.rsc(then).partial_migration_target.is_some();
        match (first_task.as_deref(), then_task.as_deref()) {
            (Some("start"), Some("start")) => {
                let mut flags = of::OPTIONAL;
                if first_migratable && then_migratable {
                    self.order_rsc_actions(first, "migrate_from", then, "migrate_to", flags);
                }
                if then_migratable {
                    if first_migratable {
                        flags |= of::APPLY_FIRST_NON_MIGRATABLE;
                    }
                    self.order_rsc_actions(first, "start", then, "migrate_to", flags);
                }
            }
            (Some("stop"), Some("stop")) if then_migratable => {
                let mut flags = of::OPTIONAL;
                if first_migratable {
                    flags |= of::APPLY_FIRST_NON_MIGRATABLE;
                }
                self.order_rsc_actions(first, "stop", then, "migrate_to", flags);
                if then_partial {
                    self.order_rsc_actions(first, "stop", then, "migrate_from", flags);
                }
            }
            (Some("promote"), Some("start")) if then_migratable => {
                self.order_rsc_actions(first, "promote", then, "migrate_to", of::OPTIONAL);
            }
            (Some("demote"), Some("stop")) if then_migratable => {
                self.order_rsc_actions(first, "demote", then, "migrate_to", of::OPTIONAL);
                if then_partial {
                    self.order_rsc_actions(first, "demote", then, "migrate_from", of::OPTIONAL);
                }
            }
            _ => {}
        }
    }
}

impl Scheduler<'_> {
    /// `pcmk__disable_invalid_orderings`: after the orderings are applied,
    /// drop user orderings between a guest node's resources and the guest's
    /// own resource, and load orderings into a `migrate_to` that would close
    /// a loop (two resources migrating in opposite directions).
    pub fn disable_invalid_orderings(&mut self) {
        for a in (0..self.actions.len() as u32).rev().map(ActionId) {
            for idx in (0..self.a(a).before.len()).rev() {
                if self.ordering_is_invalid(a, idx) {
                    self.am(a).before[idx].kind = of::NONE;
                }
            }
        }
    }

    fn ordering_is_invalid(&mut self, a: ActionId, idx: usize) -> bool {
        let e = self.a(a).before[idx];
        let input = self.a(e.action);
        if e.kind & of::PRESERVE == 0 && input.rsc.is_some() {
            // pcmk__rsc_corresponds_to_guest
            let guest_container = input
                .node
                .and_then(|n| self.cluster.node(n).remote_rsc)
                .and_then(|c| self.cluster.rsc(c).container);
            if let (Some(r), Some(c)) = (self.a(a).rsc, guest_container) {
                if r == c {
                    return true;
                }
            }
        }
        e.kind == of::LOAD
            && self.a(a).rsc.is_some()
            && self.a(a).task == "migrate_to"
            && self.graph_has_loop(a, a, idx)
    }

    /// `pcmk__graph_has_loop`: would the input `idx` of `action` lead back
    /// to `init` along inputs that would be in the graph? A depth-first
    /// walk marking the current path (iterative, so deep graphs cannot
    /// exhaust the stack).
    fn graph_has_loop(&mut self, init: ActionId, action: ActionId, idx: usize) -> bool {
        let first = self.a(action).before[idx].action;
        if self.a(first).has(af::TRACKING) || !self.should_add_input(action, idx) {
            return false;
        }
        if first == init {
            return true;
        }
        // Each frame: an action on the path, and how many of its inputs
        // (in Pacemaker's list order) have been tried.
        let mut path: Vec<(ActionId, usize)> = vec![(first, 0)];
        self.am(first).set(af::TRACKING);
        let mut found = false;
        while let Some(&mut (x, ref mut tried)) = path.last_mut() {
            let n = self.a(x).before.len();
            if *tried >= n {
                self.am(x).clear(af::TRACKING);
                path.pop();
                continue;
            }
            let i = n - 1 - *tried;
            *tried += 1;
            let next = self.a(x).before[i].action;
            if self.a(next).has(af::TRACKING) || !self.should_add_input(x, i) {
                continue;
            }
            if next == init {
                found = true;
                break;
            }
            self.am(next).set(af::TRACKING);
            path.push((next, 0));
        }
        for (x, _) in path {
            self.am(x).clear(af::TRACKING);
        }
        found
    }
}
