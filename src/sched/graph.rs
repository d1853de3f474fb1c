//! The transition graph: which actions go into it, with which inputs, in
//! which synapse order; and the order in which crm_simulate's executor
//! would run them when every action succeeds.

use super::action::{af, of, ActionId, Edge};
use super::model::{NodeKind, RscIdx};
use super::state::Scheduler;

#[derive(Clone, Debug)]
pub struct Synapse {
    pub action: ActionId,
    pub inputs: Vec<ActionId>,
}

impl Scheduler<'_> {
    /// `pcmk__create_graph`.
    pub fn create_graph(&mut self) -> Vec<Synapse> {
        let mut graph = Vec::new();
        for r in self.top_resources() {
            self.add_rsc_actions_to_graph(r, &mut graph);
        }
        for i in (0..self.actions.len()).rev() {
            self.add_action_to_graph(ActionId(i as u32), &mut graph);
        }
        graph
    }

    fn add_rsc_actions_to_graph(&mut self, r: RscIdx, graph: &mut Vec<Synapse>) {
        if self.cluster.rsc(r).variant == super::model::Variant::Clone {
            // `clone_expand`: settle the clone's own flags, then the
            // instances go in before the clone's pseudo-actions.
            for a in self.rs[r.i()].actions.clone().into_iter().rev() {
                self.action_flags(a, None);
            }
            self.create_clone_notifications(r);
            for c in self.cluster.rsc(r).children.clone() {
                self.add_rsc_actions_to_graph(c, graph);
            }
            for a in self.rs[r.i()].actions.clone().into_iter().rev() {
                self.add_action_to_graph(a, graph);
            }
            return;
        }
        if self.cluster.rsc(r).variant == super::model::Variant::Bundle {
            // `pcmk__bundle_expand`: its own pseudo-actions go in last,
            // with the remaining actions.
            for c in self.bundle_graph_order(r) {
                self.add_rsc_actions_to_graph(c, graph);
            }
            return;
        }
        for a in self.rs[r.i()].actions.clone().into_iter().rev() {
            self.add_action_to_graph(a, graph);
        }
        for c in self.cluster.rsc(r).children.clone() {
            self.add_rsc_actions_to_graph(c, graph);
        }
    }

    fn dedup_inputs(&mut self, a: ActionId) {
        // Sort inputs by id (ascending), keeping the newest edge first among
        // equal ids as Pacemaker's stable sort of its newest-first list does.
        let mut edges: Vec<Edge> = self.a(a).before.iter().rev().copied().collect();
        edges.sort_by_key(|e| self.a(e.action).id);
        let mut out: Vec<Edge> = Vec::new();
        for e in edges {
            match out.last_mut() {
                Some(last) if last.action == e.action => {
                    last.kind |= e.kind;
                    last.dumped |= e.dumped;
                }
                _ => {
                    let mut e = e;
                    e.dumped = false;
                    out.push(e);
                }
            }
        }
        // Stored oldest-last convention: keep `before` in "insertion order",
        // i.e. reverse of Pacemaker's list order.
        out.reverse();
        self.am(a).before = out;
    }

    /// `should_add_action_to_graph`.
    pub fn should_add_action(&self, a: ActionId) -> bool {
        let act = self.a(a);
        if !act.is_runnable() {
            return false;
        }
        if act.is_optional() && !act.has(af::PRINT_ALWAYS) {
            return false;
        }
        if let Some(r) = act.rsc {
            if !self.cluster.rsc(r).managed
                && act.task != "monitor"
                && act.interval_ms == 0
                && act.task != "cancel"
            {
                return false;
            }
            if !self.cluster.rsc(r).managed
                && act.task == "cancel"
                && act.meta.get("interval").is_none_or(|v| v == "0")
            {
                return false;
            }
        }
        if act.is_pseudo() || act.task == "stonith" || act.task == "do_shutdown" {
            return true;
        }
        let Some(n) = act.node else { return false };
        if act.has(af::DC) {
            return true;
        }
        let nd = self.cluster.node(n);
        if nd.kind == NodeKind::Guest && !nd.remote_requires_reset {
            return true;
        }
        nd.online && !nd.unclean
    }

    fn add_action_to_graph(&mut self, a: ActionId, graph: &mut Vec<Synapse>) {
        if !self.a(a).has(af::DEDUP) {
            self.dedup_inputs(a);
            self.am(a).set(af::DEDUP);
        }
        if self.a(a).has(af::DUMPED) || !self.should_add_action(a) {
            return;
        }
        self.am(a).set(af::DUMPED);
        let mut inputs = Vec::new();
        // Pacemaker walks inputs in its list order: ascending id.
        let n = self.a(a).before.len();
        for idx in (0..n).rev() {
            if self.should_add_input(a, idx) {
                self.am(a).before[idx].dumped = true;
                inputs.push(self.a(a).before[idx].action);
            }
        }
        graph.push(Synapse { action: a, inputs });
    }

    /// `should_add_input_to_graph`.
    pub(crate) fn should_add_input(&mut self, a: ActionId, idx: usize) -> bool {
        let e = self.a(a).before[idx];
        if e.dumped {
            return true;
        }
        let input = self.a(e.action);
        let can_change =
            e.kind & !(of::IMPLIES_FIRST_PRINTED | of::IMPLIES_THEN_PRINTED | of::OPTIONAL) != 0;
        if e.kind == of::NONE {
            return false;
        }
        if !input.is_runnable() && !can_change {
            return false;
        }
        if !input.is_runnable() && e.kind & of::ONE_OR_MORE != 0 {
            return false;
        }
        if e.kind & of::IMPLIES_FIRST_MIGRATABLE != 0 && !input.is_runnable() {
            return false;
        }
        if e.kind & of::APPLY_FIRST_NON_MIGRATABLE != 0 && input.has(af::MIGRATE_RUNNABLE) {
            return false;
        }
        if e.kind == of::OPTIONAL
            && input.has(af::MIGRATE_RUNNABLE)
            && input.uuid.ends_with("_stop_0")
        {
            return false;
        }
        if e.kind == of::LOAD {
            let act = self.a(a);
            let mismatch = if act.rsc.is_some() && act.task == "migrate_to" {
                let assigned = act.rsc.and_then(|r| self.cluster.rsc(r).assigned_to);
                input.node.is_none() || assigned.is_none() || input.node != assigned
            } else {
                input.node.is_none() || act.node.is_none() || input.node != act.node
            };
            if mismatch || input.is_optional() {
                self.am(a).before[idx].kind = of::NONE;
                return false;
            }
        } else if e.kind == of::ANTI_COLOCATION {
            let act = self.a(a);
            if (input.node.is_some() && act.node.is_some() && input.node != act.node)
                || input.is_optional()
            {
                self.am(a).before[idx].kind = of::NONE;
                return false;
            }
        } else if input.is_optional()
            && !input.has(af::PRINT_ALWAYS | af::DUMPED)
            && !self.should_add_action(e.action)
        {
            return false;
        }
        true
    }

    /// The order crm_simulate's executor runs the graph in, every action
    /// succeeding at once: repeated passes over the synapses in order,
    /// firing each one whose inputs have all completed.
    pub fn execution_order(&self, graph: &[Synapse]) -> Vec<ActionId> {
        let mut confirmed = vec![false; self.actions.len()];
        let mut fired = vec![false; graph.len()];
        let mut order = Vec::new();
        loop {
            let mut any = false;
            for (i, syn) in graph.iter().enumerate() {
                if fired[i] {
                    continue;
                }
                if syn.inputs.iter().all(|a| confirmed[a.i()]) {
                    fired[i] = true;
                    any = true;
                    confirmed[syn.action.i()] = true;
                    order.push(syn.action);
                }
            }
            if !any {
                break;
            }
        }
        order
    }
}
