//! Applying orderings: resolve named orderings to action pairs, then
//! propagate "optional", "runnable" and friends along the edges until
//! nothing changes (Pacemaker's `pcmk__apply_orderings` and
//! `pcmk__update_action_for_orderings`).

use super::action::{af, of, op_key, parse_op_key, ActionId};
use super::model::{NodeIdx, RscIdx, Variant};
use super::state::Scheduler;
use crate::cib::Role;

/// Which side of an ordering an update changed.
const UPDATED_FIRST: u32 = 1;
const UPDATED_THEN: u32 = 2;

impl Scheduler<'_> {
    /// `pcmk__apply_orderings`.
    pub fn apply_orderings(&mut self) {
        for oi in 0..self.orderings.len() {
            let o = self.orderings[oi].clone();
            if let Some(fr) = o.first_rsc {
                self.rsc_order_first(fr, oi);
                continue;
            }
            if let Some(tr) = o.then_rsc {
                self.order_resource_actions_after(o.first_action, tr, oi);
            } else if let (Some(f), Some(t)) = (o.first_action, o.then_action) {
                self.order_actions(f, t, o.flags);
            }
        }
        let all: Vec<ActionId> = (0..self.actions.len() as u32).rev().map(ActionId).collect();
        for a in &all {
            self.block_colocation_dependents(*a);
        }
        self.order_probes();
        let all: Vec<ActionId> = (0..self.actions.len() as u32).rev().map(ActionId).collect();
        for a in all {
            self.update_action_for_orderings(a);
        }
        self.disable_invalid_orderings();
    }

    fn find_actions_by_task(&mut self, r: RscIdx, key: &str) -> Vec<ActionId> {
        let list = self.rs[r.i()].actions.clone();
        let found = self.find_actions(&list, key, None);
        if !found.is_empty() {
            return found;
        }
        match parse_op_key(key) {
            Some((_, task, interval)) => {
                let k = op_key(self.rsc_id(r), task, interval);
                self.find_actions(&list, &k, None)
            }
            None => Vec::new(),
        }
    }

    fn order_resource_actions_after(&mut self, first: Option<ActionId>, r: RscIdx, oi: usize) {
        let o = self.orderings[oi].clone();
        let mut flags = o.flags;
        let thens = match o.then_action {
            Some(t) => vec![t],
            None => {
                let key = o.then_task.clone().unwrap_or_default();
                self.find_actions_by_task(r, &key)
            }
        };
        if thens.is_empty() {
            return;
        }
        if let Some(f) = first {
            if self.a(f).rsc == Some(r) && self.a(f).has(af::DANGLE) {
                flags &= !of::IMPLIES_THEN;
            }
        }
        if first.is_none() && flags & of::IMPLIES_THEN == 0 {
            return;
        }
        // Pacemaker walks the match list it built newest-first, prepending.
        for t in thens {
            match first {
                Some(f) => {
                    self.order_actions(f, t, flags);
                }
                None => self.am(t).clear(af::RUNNABLE),
            }
        }
    }

    fn rsc_order_first(&mut self, first_rsc: RscIdx, oi: usize) {
        let o = self.orderings[oi].clone();
        let mut firsts = match o.first_action {
            Some(a) => vec![a],
            None => {
                let key = o.first_task.clone().unwrap_or_default();
                self.find_actions_by_task(first_rsc, &key)
            }
        };
        if firsts.is_empty() && Some(first_rsc) != o.then_rsc {
            let key = o.first_task.clone().unwrap_or_default();
            if let Some((_, task, interval)) = parse_op_key(&key) {
                let task = task.to_owned();
                let state = self.rsc_state(first_rsc);
                let skip = (state == Role::Stopped && task == "stop")
                    || (state == Role::Unpromoted && task == "demote");
                if !skip {
                    let k = op_key(self.rsc_id(first_rsc), &task, interval);
                    let a = self.custom_action(Some(first_rsc), k, &task, None, true);
                    firsts = vec![a];
                }
            }
        }
        let then_rsc = o
            .then_rsc
            .or_else(|| o.then_action.and_then(|a| self.a(a).rsc));
        for f in firsts {
            match then_rsc {
                None => {
                    if let Some(t) = o.then_action {
                        self.order_actions(f, t, o.flags);
                    }
                }
                Some(tr) => self.order_resource_actions_after(Some(f), tr, oi),
            }
        }
    }

    /// The role a resource is in now, for collectives the highest child role.
    pub fn rsc_state(&self, r: RscIdx) -> Role {
        let rsc = self.cluster.rsc(r);
        if rsc.variant == Variant::Primitive {
            return rsc.role;
        }
        rsc.children
            .iter()
            .map(|c| self.rsc_state(*c))
            .max()
            .unwrap_or(Role::Stopped)
    }

    /// `action_flags` method of the action's resource variant.
    pub fn action_flags(&mut self, a: ActionId, node: Option<NodeIdx>) -> u32 {
        let Some(r) = self.a(a).rsc else {
            return self.a(a).flags;
        };
        match self.cluster.rsc(r).variant {
            Variant::Group => self.group_action_flags(a, node),
            Variant::Clone => self.clone_action_flags(a, node),
            Variant::Bundle => self.bundle_action_flags(a, node),
            Variant::Primitive => self.a(a).flags,
        }
    }

    /// `action_flags_for_ordering`: a clone action on a node counts as
    /// runnable if it is runnable anywhere.
    fn action_flags_for_ordering(&mut self, a: ActionId, node: Option<NodeIdx>) -> u32 {
        let Some(r) = self.a(a).rsc else {
            return self.a(a).flags;
        };
        let flags = self.action_flags(a, None);
        let is_clone = self.cluster.rsc(r).variant == Variant::Clone;
        if node.is_none() || !is_clone {
            return flags;
        }
        let runnable = flags & af::RUNNABLE != 0;
        let mut flags = self.action_flags(a, node);
        if runnable {
            flags |= af::RUNNABLE;
        }
        flags
    }

    fn group_action_flags(&mut self, a: ActionId, node: Option<NodeIdx>) -> u32 {
        let mut flags = af::OPTIONAL | af::RUNNABLE | af::PSEUDO;
        let Some(r) = self.a(a).rsc else { return flags };
        let task = self.a(a).task.clone();
        for m in self.cluster.rsc(r).children.clone() {
            let member_task = complex_task(self.cluster.rsc(m).variant, &task, true);
            let list = &self.rs[m.i()].actions;
            match self.find_first_action(list, None, Some(member_task), node) {
                Some(ma) => {
                    let mf = self.action_flags(ma, node);
                    if flags & af::OPTIONAL != 0 && mf & af::OPTIONAL == 0 {
                        flags &= !af::OPTIONAL;
                        self.am(a).clear(af::OPTIONAL);
                    }
                    if member_task != task && flags & af::RUNNABLE != 0 && mf & af::RUNNABLE == 0 {
                        flags &= !af::RUNNABLE;
                        self.am(a).clear(af::RUNNABLE);
                    }
                }
                None if member_task != "stop" && member_task != "demote" => {
                    flags &= !af::RUNNABLE;
                }
                None => {}
            }
        }
        flags
    }

    /// Map a collective action (running, stopped…) to the task its
    /// ordering really concerns.
    fn action_for_ordering(&mut self, a: ActionId) -> ActionId {
        let Some(r) = self.a(a).rsc else { return a };
        if self.cluster.rsc(r).variant == Variant::Primitive {
            return a;
        }
        let uuid = self.a(a).uuid.clone();
        if uuid.contains("notify") {
            return a;
        }
        let Some((rid, task, interval)) = parse_op_key(&uuid) else {
            return a;
        };
        if interval > 0 {
            return a;
        }
        let remapped = match task {
            "stop" => "stopped",
            "start" => "running",
            "notify" => "notified",
            "promote" => "promoted",
            "demote" => "demoted",
            "stopped" | "running" | "notified" | "promoted" | "demoted" => task,
            _ => return a,
        };
        let new_uuid = self.ordering_key(r, rid, remapped);
        let list = &self.rs[r.i()].actions;
        self.find_first_action(list, Some(&new_uuid), None, None)
            .unwrap_or(a)
    }

    /// `pcmk__update_action_for_orderings`.
    pub fn update_action_for_orderings(&mut self, then: ActionId) {
        let mut changed = 0u32;
        let last_flags = self.a(then).flags;
        if self.a(then).has(af::REQUIRES_ANY) {
            let t = self.am(then);
            t.runnable_before = 0;
            if t.required_runnable_before == 0 {
                t.required_runnable_before = 1;
            }
            t.clear(af::RUNNABLE);
        }
        // Pacemaker walks the inputs newest-first; the list may grow while
        // walking (then the walk is restarted by recursion).
        let mut idx = self.a(then).before.len();
        while idx > 0 {
            idx -= 1;
            if idx >= self.a(then).before.len() {
                idx = self.a(then).before.len();
                continue;
            }
            let edge = self.a(then).before[idx];
            let orig_first = edge.action;
            let mut first = orig_first;
            let mut then_node = self.a(then).node;
            let mut first_node = self.a(first).node;
            if let Some(fr) = self.a(first).rsc {
                if self.cluster.rsc(fr).variant == Variant::Group && self.a(first).task == "start" {
                    if let Some(n) = self.group_location(fr) {
                        first_node = Some(n);
                    }
                }
            }
            if let Some(tr) = self.a(then).rsc {
                if self.cluster.rsc(tr).variant == Variant::Group && self.a(then).task == "start" {
                    if let Some(n) = self.group_location(tr) {
                        then_node = Some(n);
                    }
                }
            }
            if edge.kind & of::SAME_NODE != 0 {
                if let (Some(fnode), Some(tnode)) = (first_node, then_node) {
                    if fnode != tnode {
                        self.am(then).before[idx].kind = of::NONE;
                        continue;
                    }
                }
            }
            changed &= !UPDATED_FIRST;
            if self.a(first).rsc.is_some()
                && edge.kind & of::THEN_CANCELS_FIRST != 0
                && !self.a(then).is_optional()
            {
                self.am(first).set(af::OPTIONAL);
                if self.a(first).task == "reload-agent" {
                    if let Some(fr) = self.a(first).rsc {
                        self.rs[fr.i()].reload = false;
                    }
                }
            }
            if let (Some(fr), Some(tr)) = (self.a(first).rsc, self.a(then).rsc) {
                if fr != tr && !self.is_parent(tr, fr) {
                    first = self.action_for_ordering(first);
                }
            }
            if first == orig_first {
                let first_flags = self.action_flags_for_ordering(first, then_node);
                let then_flags = self.action_flags_for_ordering(then, first_node);
                changed |=
                    self.update_for_ordering_flags(first, then, first_flags, then_flags, then, idx);
            } else if self.order_actions(first, then, edge.kind) {
                changed |= UPDATED_THEN;
                self.am(then).before[idx].kind = of::NONE;
            }
            if changed & UPDATED_FIRST != 0 {
                let afters: Vec<ActionId> =
                    self.a(first).after.iter().rev().map(|e| e.action).collect();
                for a in afters {
                    self.update_action_for_orderings(a);
                }
                self.update_action_for_orderings(first);
            }
        }
        if self.a(then).has(af::REQUIRES_ANY) {
            if last_flags == self.a(then).flags {
                changed &= !UPDATED_THEN;
            } else {
                changed |= UPDATED_THEN;
            }
        }
        if changed & UPDATED_THEN != 0 {
            if last_flags & af::RUNNABLE != 0 && !self.a(then).is_runnable() {
                self.block_colocation_dependents(then);
            }
            self.update_action_for_orderings(then);
            let afters: Vec<ActionId> = self.a(then).after.iter().rev().map(|e| e.action).collect();
            for a in afters {
                self.update_action_for_orderings(a);
            }
        }
    }

    fn is_parent(&self, child: RscIdx, parent: RscIdx) -> bool {
        let mut cur = self.cluster.rsc(child).parent;
        while let Some(p) = cur {
            if p == parent {
                return true;
            }
            cur = self.cluster.rsc(p).parent;
        }
        false
    }

    /// Where a group will be (the `location` method, not current): the one
    /// node its members are assigned to. Members left unassigned do not
    /// count, and where they are running now does not either: a group whose
    /// members stop has no node here, so an ordering on its start is judged
    /// cluster-wide (seed20261122-case633).
    fn group_location(&self, r: RscIdx) -> Option<NodeIdx> {
        let mut found = None;
        for m in &self.cluster.rsc(r).children {
            match (found, self.cluster.rsc(*m).assigned_to) {
                (_, None) => {}
                (None, Some(n)) => found = Some(n),
                (Some(f), Some(n)) if f != n => return None,
                _ => {}
            }
        }
        found
    }

    /// `update_action_for_ordering_flags`: the edge at `then.before[idx]`.
    fn update_for_ordering_flags(
        &mut self,
        first: ActionId,
        then: ActionId,
        first_flags: u32,
        then_flags: u32,
        edge_owner: ActionId,
        idx: usize,
    ) -> u32 {
        let mut changed = 0u32;
        let mut kind = self.a(edge_owner).before[idx].kind;
        let mut node = self.a(then).node;
        if kind & of::IMPLIES_THEN_ON_NODE != 0 {
            kind = (kind & !of::IMPLIES_THEN_ON_NODE) | of::IMPLIES_THEN;
            self.am(edge_owner).before[idx].kind = kind;
            node = self.a(first).node;
        }
        let then_rsc = self.a(then).rsc;
        let first_rsc = self.a(first).rsc;
        if kind & of::IMPLIES_THEN != 0 {
            if then_rsc.is_some() {
                changed |= self.update_ordered_actions(
                    first,
                    then,
                    node,
                    first_flags & af::OPTIONAL,
                    af::OPTIONAL,
                    of::IMPLIES_THEN,
                );
            } else if first_flags & af::OPTIONAL == 0 && self.a(then).is_optional() {
                self.am(then).clear(af::OPTIONAL);
                changed |= UPDATED_THEN;
            }
        }
        if kind & of::RESTART != 0 && then_rsc.is_some() {
            changed |= self.update_ordered_actions(
                first,
                then,
                node,
                first_flags,
                af::OPTIONAL | af::RUNNABLE,
                of::RESTART,
            );
        }
        if kind & of::IMPLIES_FIRST != 0 {
            if let Some(fr) = first_rsc {
                changed |= self.update_ordered_actions_as(
                    fr,
                    first,
                    then,
                    node,
                    first_flags,
                    af::OPTIONAL,
                    of::IMPLIES_FIRST,
                );
            } else if first_flags & af::OPTIONAL == 0 && self.a(first).is_runnable() {
                self.am(first).clear(af::RUNNABLE);
                changed |= UPDATED_FIRST;
            }
        }
        if kind & of::PROMOTED_IMPLIES_FIRST != 0 && then_rsc.is_some() {
            changed |= self.update_ordered_actions(
                first,
                then,
                node,
                first_flags & af::OPTIONAL,
                af::OPTIONAL,
                of::PROMOTED_IMPLIES_FIRST,
            );
        }
        if kind & of::ONE_OR_MORE != 0 {
            if then_rsc.is_some() {
                changed |= self.update_ordered_actions(
                    first,
                    then,
                    node,
                    first_flags,
                    af::RUNNABLE,
                    of::ONE_OR_MORE,
                );
            } else if first_flags & af::RUNNABLE != 0 {
                let t = self.am(then);
                t.runnable_before += 1;
                if t.runnable_before >= t.required_runnable_before && !t.is_runnable() {
                    t.set(af::RUNNABLE);
                    changed |= UPDATED_THEN;
                }
            }
        }
        if kind & of::PROBE != 0 && then_rsc.is_some() {
            let first_running =
                first_rsc.is_some_and(|r| !self.cluster.rsc(r).running_on.is_empty());
            if first_flags & af::RUNNABLE == 0 && first_running {
                self.am(edge_owner).before[idx].kind = of::NONE;
                kind = of::NONE;
            } else {
                changed |= self.update_ordered_actions(
                    first,
                    then,
                    node,
                    first_flags,
                    af::RUNNABLE,
                    of::RUNNABLE_LEFT,
                );
            }
        }
        if kind & of::RUNNABLE_LEFT != 0 {
            if then_rsc.is_some() {
                changed |= self.update_ordered_actions(
                    first,
                    then,
                    node,
                    first_flags,
                    af::RUNNABLE,
                    of::RUNNABLE_LEFT,
                );
            } else if first_flags & af::RUNNABLE == 0 && self.a(then).is_runnable() {
                self.am(then).clear(af::RUNNABLE);
                changed |= UPDATED_THEN;
            }
        }
        // Kinds whose effect only `then`'s resource works out (with the
        // flags of `first` it looks at), in Pacemaker's order.
        for (flag, filter) in [
            (of::IMPLIES_FIRST_MIGRATABLE, af::OPTIONAL),
            (of::PSEUDO_LEFT, af::OPTIONAL),
            (of::OPTIONAL, af::RUNNABLE),
            (of::ASYMMETRICAL, af::RUNNABLE),
        ] {
            if kind & flag != 0 && then_rsc.is_some() {
                changed |=
                    self.update_ordered_actions(first, then, node, first_flags, filter, flag);
            }
        }
        if self.a(first).is_runnable()
            && kind & of::IMPLIES_THEN_PRINTED != 0
            && first_flags & af::OPTIONAL == 0
        {
            self.am(then).set(af::PRINT_ALWAYS);
        }
        if kind & of::IMPLIES_FIRST_PRINTED != 0 && then_flags & af::OPTIONAL == 0 {
            self.am(first).set(af::PRINT_ALWAYS);
        }
        if kind & (of::IMPLIES_THEN | of::IMPLIES_FIRST | of::RESTART) != 0 {
            if let Some(fr) = first_rsc {
                let frs = self.cluster.rsc(fr);
                if !frs.managed
                    && frs.blocked
                    && !self.a(first).is_runnable()
                    && self.a(first).task == "stop"
                    && self.a(then).is_runnable()
                {
                    self.am(then).clear(af::RUNNABLE);
                    changed |= UPDATED_THEN;
                }
            }
        }
        changed
    }

    /// `update_ordered_actions` method of `then`'s resource variant.
    pub(crate) fn update_ordered_actions(
        &mut self,
        first: ActionId,
        then: ActionId,
        node: Option<NodeIdx>,
        flags: u32,
        filter: u32,
        kind: u32,
    ) -> u32 {
        let Some(tr) = self.a(then).rsc else { return 0 };
        self.update_ordered_actions_as(tr, first, then, node, flags, filter, kind)
    }

    /// The `update_ordered_actions` method of `method_rsc`'s variant (the
    /// `then` resource's, except for implies-first orderings, where
    /// Pacemaker calls the `first` resource's method).
    #[allow(clippy::too_many_arguments)]
    fn update_ordered_actions_as(
        &mut self,
        method_rsc: RscIdx,
        first: ActionId,
        then: ActionId,
        node: Option<NodeIdx>,
        flags: u32,
        filter: u32,
        kind: u32,
    ) -> u32 {
        if matches!(
            self.cluster.rsc(method_rsc).variant,
            Variant::Clone | Variant::Bundle
        ) {
            return self.clone_update_ordered(first, then, node, flags, filter, kind);
        }
        if self.cluster.rsc(method_rsc).variant == Variant::Group {
            let Some(tr) = self.a(then).rsc else {
                return self.update_ordered_primitive(first, then, node, flags, filter, kind);
            };
            let mut changed = self.update_ordered_primitive(first, then, node, flags, filter, kind);
            let task = self.a(then).task.clone();
            for m in self.cluster.rsc(tr).children.clone() {
                let list = &self.rs[m.i()].actions;
                if let Some(ma) = self.find_first_action(list, None, Some(&task), node) {
                    changed |= self.update_ordered_actions(first, ma, node, flags, filter, kind);
                }
            }
            return changed;
        }
        self.update_ordered_primitive(first, then, node, flags, filter, kind)
    }

    fn clear_because(&mut self, a: ActionId, flag: u32, reason: ActionId) {
        if !self.a(a).has(flag) {
            return;
        }
        self.am(a).clear(flag);
        if self.a(a).rsc != self.a(reason).rsc {
            let text = self.action_reason_text(reason, flag);
            self.set_reason(a, Some(text), flag == af::MIGRATE_RUNNABLE);
        }
    }

    /// `pe__action2reason`: "CHANGE[ RSC] TASK".
    fn action_reason_text(&self, a: ActionId, flag: u32) -> String {
        let act = self.a(a);
        let change = match flag {
            af::RUNNABLE | af::MIGRATE_RUNNABLE => "unrunnable",
            af::OPTIONAL => "required",
            _ => "",
        };
        match act.rsc {
            Some(r) => format!("{change} {} {}", self.cluster.rsc(r).id, act.task),
            None => format!("{change} {}", act.task),
        }
    }

    /// `pcmk__update_ordered_actions`.
    pub(crate) fn update_ordered_primitive(
        &mut self,
        first: ActionId,
        then: ActionId,
        _node: Option<NodeIdx>,
        flags: u32,
        filter: u32,
        kind: u32,
    ) -> u32 {
        let mut changed = 0;
        let then_flags = self.a(then).flags;
        let first_flags = self.a(first).flags;
        if kind & of::ASYMMETRICAL != 0 {
            self.handle_asymmetric(first, then);
        }
        if kind & of::IMPLIES_FIRST != 0 && then_flags & af::OPTIONAL == 0 {
            if filter & af::OPTIONAL != 0
                && flags & af::OPTIONAL == 0
                && first_flags & af::OPTIONAL != 0
            {
                self.clear_because(first, af::OPTIONAL, then);
            }
            if flags & af::MIGRATE_RUNNABLE != 0 && !self.a(then).has(af::MIGRATE_RUNNABLE) {
                self.clear_because(first, af::MIGRATE_RUNNABLE, then);
            }
        }
        if kind & of::PROMOTED_IMPLIES_FIRST != 0 {
            let promoted = self
                .a(then)
                .rsc
                .is_some_and(|r| self.cluster.rsc(r).role == Role::Promoted);
            if promoted && filter & af::OPTIONAL != 0 && !self.a(then).is_optional() {
                self.clear_because(first, af::OPTIONAL, then);
                if self.a(first).has(af::MIGRATE_RUNNABLE)
                    && !self.a(then).has(af::MIGRATE_RUNNABLE)
                {
                    self.clear_because(first, af::MIGRATE_RUNNABLE, then);
                }
            }
        }
        if kind & of::IMPLIES_FIRST_MIGRATABLE != 0 && filter & af::OPTIONAL != 0 {
            if !(self.a(then).has(af::MIGRATE_RUNNABLE) && self.a(then).is_runnable()) {
                self.clear_because(first, af::RUNNABLE, then);
            }
            if !self.a(then).is_optional() {
                self.clear_because(first, af::OPTIONAL, then);
            }
        }
        if kind & of::PSEUDO_LEFT != 0 && filter & af::OPTIONAL != 0 && !self.a(first).is_runnable()
        {
            self.clear_because(then, af::MIGRATE_RUNNABLE, first);
            self.am(then).clear(af::PSEUDO);
        }
        if kind & of::RUNNABLE_LEFT != 0
            && filter & af::RUNNABLE != 0
            && self.a(then).is_runnable()
            && flags & af::RUNNABLE == 0
        {
            self.clear_because(then, af::RUNNABLE, first);
            self.clear_because(then, af::MIGRATE_RUNNABLE, first);
        }
        if kind & of::IMPLIES_THEN != 0
            && filter & af::OPTIONAL != 0
            && self.a(then).is_optional()
            && flags & af::OPTIONAL == 0
            && !self.a(first).has(af::MIGRATE_RUNNABLE)
        {
            self.clear_because(then, af::OPTIONAL, first);
        }
        if kind & of::RESTART != 0 {
            self.handle_restart_ordering(first, then, filter);
        }
        if then_flags != self.a(then).flags {
            changed |= UPDATED_THEN;
            if self
                .a(then)
                .rsc
                .is_some_and(|r| self.cluster.rsc(r).parent.is_some())
            {
                self.update_action_for_orderings(then);
            }
        }
        if first_flags != self.a(first).flags {
            changed |= UPDATED_FIRST;
        }
        changed
    }

    fn handle_asymmetric(&mut self, first: ActionId, then: ActionId) {
        let Some(tr) = self.a(then).rsc else { return };
        let role = self.rsc_state(tr);
        let task = self.a(then).task.clone();
        if role == Role::Stopped && task == "stop" {
            return;
        }
        let running_on = self.cluster.rsc(tr).running_on.clone();
        if role >= Role::Started
            && self.a(then).is_optional()
            && self.a(then).node.is_some()
            && running_on.len() == 1
            && self.a(then).node == running_on.first().copied()
            && task == "start"
        {
            return;
        }
        if !self.a(first).is_runnable() {
            self.clear_because(then, af::OPTIONAL, first);
            self.clear_because(then, af::RUNNABLE, first);
        }
    }

    fn handle_restart_ordering(&mut self, first: ActionId, then: ActionId, filter: u32) {
        let mut reason = false;
        if filter & af::OPTIONAL != 0 && !self.a(then).is_optional() {
            reason = true;
        }
        let then_rsc_managed = self
            .a(then)
            .rsc
            .is_some_and(|r| self.cluster.rsc(r).managed);
        if filter & af::RUNNABLE != 0
            && !self.a(then).is_runnable()
            && then_rsc_managed
            && self.a(first).rsc == self.a(then).rsc
        {
            reason = true;
        }
        if !reason {
            return;
        }
        if self.a(first).is_runnable() {
            self.clear_because(first, af::OPTIONAL, then);
        }
        if !self.a(then).is_optional() {
            self.clear_because(first, af::OPTIONAL, then);
        }
        if !self.a(then).has(af::MIGRATE_RUNNABLE) {
            self.clear_because(first, af::MIGRATE_RUNNABLE, then);
        }
        if !self.a(first).is_optional() && !self.a(first).is_runnable() {
            self.clear_because(then, af::RUNNABLE, first);
        }
    }

    /// `pcmk__block_colocation_dependents`.
    pub fn block_colocation_dependents(&mut self, a: ActionId) {
        if self.a(a).is_runnable() {
            return;
        }
        let task = self.a(a).task.clone();
        let is_start = task == "start";
        if !is_start && task != "promote" {
            return;
        }
        let Some(ar) = self.a(a).rsc else { return };
        let mut r = self.cluster.top_of(ar);
        if let Some(p) = self.cluster.rsc(r).parent {
            r = p;
        }
        if self.rs[r.i()].with_this.is_empty() {
            return;
        }
        for c in self.cluster.rsc(r).children.clone() {
            let list = &self.rs[c.i()].actions;
            match self.find_first_action(list, None, Some(&task), None) {
                None => return,
                Some(ca) if self.a(ca).is_runnable() => return,
                _ => {}
            }
        }
        for cid in self.rs[r.i()].with_this.clone() {
            let col = self.coloc(cid).clone();
            if col.score < crate::cib::score::INFINITY {
                continue;
            }
            if !is_start && col.primary_role != Role::Promoted {
                continue;
            }
            let t = if col.dependent_role == Role::Promoted {
                "promote"
            } else {
                "start"
            };
            self.mark_action_blocked(col.dependent, t, ar);
        }
    }

    fn mark_action_blocked(&mut self, r: RscIdx, task: &str, reason: RscIdx) {
        let text = format!("colocation with {}", self.cluster.rsc(reason).id);
        for a in self.rs[r.i()].actions.clone().into_iter().rev() {
            if self.a(a).is_runnable() && self.a(a).task.eq_ignore_ascii_case(task) {
                self.am(a).clear(af::RUNNABLE);
                self.set_reason(a, Some(text.clone()), false);
                self.block_colocation_dependents(a);
                self.update_action_for_orderings(a);
            }
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.mark_action_blocked(c, task, reason);
        }
    }
}

/// `get_complex_task`: for a primitive member, the pseudo tasks of a
/// collective (running, stopped…) map to the real task.
pub(crate) fn complex_task(member_variant: Variant, task: &str, allow_non_atomic: bool) -> &str {
    if !allow_non_atomic || member_variant == Variant::Primitive {
        match task {
            "stopped" => return "stop",
            "running" => return "start",
            "promoted" => return "promote",
            "demoted" => return "demote",
            "notified" => return "notify",
            _ => {}
        }
    }
    task
}
