//! Unpacking the configured constraints into the scheduler's own
//! structures: locations resolved to node scores, colocations between
//! resources, and orderings between named actions.

use super::action::of;
use super::error::Unsupported;
use super::model::{NodeIdx, RscIdx, Variant};
use super::state::{ColocId, Colocation, Discover, Location, Scheduler};
use super::tags::Expanded;
use crate::cib::rule::{Rule, RuleContext};
use crate::cib::score::INFINITY;
use crate::cib::{self, Role, Score, ScoreSpec};

fn variant_rank(v: Variant) -> i32 {
    match v {
        Variant::Primitive => 0,
        Variant::Group => 1,
        Variant::Clone => 2,
        Variant::Bundle => 3,
    }
}

impl Scheduler<'_> {
    /// Find the resource a constraint names.
    /// `pcmk__find_constraint_resource`: the resource with that id, else
    /// the top-level resource of an instance whose history was recorded
    /// under it (an anonymous clone's primitive id names its clone).
    pub fn constraint_rsc(&self, id: &str) -> Option<RscIdx> {
        if let Some(r) = self.find_rsc(id) {
            return Some(r);
        }
        let mut r = self.find_by_clone_name(id)?;
        while let Some(p) = self.cluster.rsc(r).parent {
            r = p;
        }
        Some(r)
    }

    fn unsupported_ref(&self, elem: crate::xml::ElemId, what: &str) -> Unsupported {
        Unsupported::at(self.cib, elem, what)
    }

    pub fn unpack_constraints(&mut self) -> Result<(), Unsupported> {
        let cib = self.cib;
        // Pacemaker unpacks constraints in document order, whatever their kind.
        let mut items: Vec<(u32, u8, usize)> = Vec::new();
        for (i, c) in cib.orders.iter().enumerate() {
            items.push((c.elem.0, 0, i));
        }
        for (i, c) in cib.colocations.iter().enumerate() {
            items.push((c.elem.0, 1, i));
        }
        for (i, c) in cib.locations.iter().enumerate() {
            items.push((c.elem.0, 2, i));
        }
        for (i, c) in cib.tickets.iter().enumerate() {
            items.push((c.elem.0, 3, i));
        }
        items.sort();
        for (_, kind, i) in items {
            // Constraints naming a tag or template are unpacked as rewritten.
            match kind {
                0 => match self.expand_order(&cib.orders[i])? {
                    Expanded::Same => self.unpack_order(&cib.orders[i])?,
                    Expanded::As(o) => self.unpack_order(&o)?,
                    Expanded::Ignore => {}
                },
                1 => match self.expand_colocation(&cib.colocations[i])? {
                    Expanded::Same => self.unpack_colocation(&cib.colocations[i])?,
                    Expanded::As(c) => self.unpack_colocation(&c)?,
                    Expanded::Ignore => {}
                },
                3 => match self.expand_ticket(&cib.tickets[i])? {
                    Expanded::Same => self.unpack_rsc_ticket(&cib.tickets[i])?,
                    Expanded::As(t) => self.unpack_rsc_ticket(&t)?,
                    Expanded::Ignore => {}
                },
                _ => match self.expand_location(&cib.locations[i])? {
                    Expanded::Same => self.unpack_location(&cib.locations[i])?,
                    Expanded::As(l) => self.unpack_location(&l)?,
                    Expanded::Ignore => {}
                },
            }
        }
        Ok(())
    }

    pub(super) fn check_plain_ref(
        &self,
        elem: crate::xml::ElemId,
        name: &str,
    ) -> Result<(), Unsupported> {
        if self.find_rsc(name).is_none()
            && (self.cib.tags.iter().any(|t| t.id == name)
                || self.cib.templates.iter().any(|t| t.id == name))
        {
            return Err(self.unsupported_ref(elem, "constraints that name a tag or template"));
        }
        Ok(())
    }

    // ----- locations -----

    fn unpack_location(&mut self, l: &cib::Location) -> Result<(), Unsupported> {
        let discover = match l
            .resource_discovery
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("always") => Discover::Always,
            Some("never") => Discover::Never,
            Some("exclusive") => Discover::Exclusive,
            Some(_) => Discover::Always,
        };
        if let Some(pattern) = &l.rsc_pattern {
            self.unpack_pattern_location(l, pattern, discover)?;
            if l.rsc.is_none() {
                return Ok(());
            }
        }
        if !l.sets.is_empty() {
            for set in &l.sets {
                for m in &set.members {
                    self.check_plain_ref(m.elem, &m.id)?;
                    let Some(r) = self.constraint_rsc(&m.id) else {
                        return Ok(());
                    };
                    let score = set.score.map(ScoreSpec::Value).or_else(|| l.score.clone());
                    self.unpack_rsc_location(l, r, set.role, score, discover);
                }
            }
            return Ok(());
        }
        let Some(name) = &l.rsc else { return Ok(()) };
        self.check_plain_ref(l.elem, name)?;
        let Some(r) = self.constraint_rsc(name) else {
            return Ok(());
        };
        self.unpack_rsc_location(l, r, None, l.score.clone(), discover);
        Ok(())
    }

    /// `rsc-pattern`: the constraint applies to each top-level resource
    /// whose id matches (or, after a leading `!`, does not match) the
    /// regular expression. An invalid pattern voids the constraint.
    fn unpack_pattern_location(
        &mut self,
        l: &cib::Location,
        pattern: &str,
        discover: Discover,
    ) -> Result<(), Unsupported> {
        let (invert, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern),
        };
        let Ok(re) = regex::Regex::new(pattern) else {
            return Ok(());
        };
        // Submatches can be substituted into rule expressions (%0..%9).
        // (Searched in the rules' debug text: it holds every attribute
        // name and value of their expressions, however nested.)
        let substitutes = l.rules.iter().any(|r| {
            let text = format!("{r:?}");
            (0..10).any(|d| text.contains(&format!("%{d}")))
        });
        if !invert && substitutes {
            return Err(
                self.unsupported_ref(l.elem, "rsc-pattern submatches (%0..%9) in location rules")
            );
        }
        let top: Vec<RscIdx> = (0..self.cluster.resources.len())
            .map(|i| RscIdx(i as u32))
            .filter(|r| self.cluster.rsc(*r).parent.is_none())
            .collect();
        for r in top {
            if re.is_match(&self.cluster.rsc(r).id) != invert {
                self.unpack_rsc_location(l, r, None, l.score.clone(), discover);
            }
        }
        Ok(())
    }

    fn unpack_rsc_location(
        &mut self,
        l: &cib::Location,
        r: RscIdx,
        set_role: Option<Role>,
        score: Option<ScoreSpec>,
        discover: Discover,
    ) {
        if discover == Discover::Exclusive {
            self.cluster.rsc_mut(r).exclusive_discover = true;
        }
        if let (Some(node), Some(ScoreSpec::Value(s))) = (&l.node, &score) {
            let Some(n) = self.cluster.node_by_name(node) else {
                return;
            };
            let role = set_role.or(l.role);
            let role_filter = match role {
                None | Some(Role::Unknown) | Some(Role::Started) | Some(Role::Unpromoted) => {
                    Role::Unknown
                }
                Some(other) => other,
            };
            self.new_location(&l.id, r, role_filter, discover, vec![(n, *s)]);
            return;
        }
        for rule in &l.rules {
            self.location_rule(r, rule, discover);
        }
    }

    fn location_rule(&mut self, r: RscIdx, rule: &Rule, discover: Discover) {
        let role_filter = match rule.role {
            None | Some(Role::Unpromoted) => Role::Unknown,
            Some(Role::Unknown) => return,
            Some(other) => other,
        };
        let raw = rule.score;
        let attr = rule.score_attribute.clone();
        let node_score = |s: &Scheduler<'_>, n: NodeIdx| -> Score {
            match (&raw, &attr) {
                (Some(v), _) => *v,
                (None, Some(a)) => match s.cluster.node(n).attrs.get(a) {
                    // `char2score`, colours at the configured health scores.
                    Some(v) => Score(super::unpack::char2score(
                        Some(v),
                        s.cluster.options.node_health_scores,
                    )),
                    None => Score::MINUS_INFINITY,
                },
                (None, None) => Score::ZERO,
            }
        };
        let do_and = rule.boolean_op == crate::cib::rule::BoolOp::And;
        let n_nodes = self.cluster.nodes.len();
        let mut matched: Vec<(NodeIdx, Score)> = Vec::new();
        if do_and {
            for i in 0..n_nodes {
                let n = NodeIdx(i as u32);
                matched.push((n, node_score(self, n)));
            }
        }
        for i in 0..n_nodes {
            let n = NodeIdx(i as u32);
            let accept = self.eval_rule_on_node(rule, n, Some(r));
            let score = node_score(self, n);
            if accept {
                match matched.iter_mut().find(|(m, _)| *m == n) {
                    Some(entry) => {
                        if !do_and {
                            entry.1 = entry.1.add(score);
                        }
                    }
                    None if do_and => {}
                    None => {
                        let base = self.cluster.node(n).weight;
                        matched.push((n, base.add(score)));
                    }
                }
            } else if do_and {
                matched.retain(|(m, _)| *m != n);
            }
        }
        if matched.is_empty() {
            // Pacemaker drops a rule that matches no node, but the location
            // object was already created (and stays, empty).
            self.new_location(&rule.id, r, role_filter, discover, Vec::new());
            return;
        }
        self.new_location(&rule.id, r, role_filter, discover, matched);
    }

    /// Evaluate a rule against a node's attributes at the effective time.
    pub fn eval_rule_on_node(&self, rule: &Rule, n: NodeIdx, r: Option<RscIdx>) -> bool {
        self.with_rule_context(n, r, &mut |ctx| rule.eval(ctx))
    }

    /// Why a rule does not match on a node: each expression that failed,
    /// in words (empty when the rule matches).
    pub fn rule_failures_on_node(&self, rule: &Rule, n: NodeIdx, r: Option<RscIdx>) -> Vec<String> {
        let attrs = &self.cluster.node(n).attrs;
        self.with_rule_context(n, r, &mut |ctx| {
            if rule.eval(ctx) {
                return Vec::new();
            }
            rule.exprs
                .iter()
                .filter(|e| !e.eval(ctx))
                .map(|e| describe_failed_expr(e, attrs))
                .collect()
        })
    }

    fn with_rule_context<T>(
        &self,
        n: NodeIdx,
        r: Option<RscIdx>,
        f: &mut dyn FnMut(&RuleContext<'_>) -> T,
    ) -> T {
        let attrs = &self.cluster.node(n).attrs;
        let lookup = |name: &str| attrs.get(name).cloned();
        // value-source="param" compares with the resource's parameters as
        // evaluated for this node (their own rules may depend on it);
        // evaluated only when an expression asks.
        let params = std::cell::OnceCell::new();
        let meta = r.map(|r| &self.cluster.rsc(r).meta);
        let param_lookup = |name: &str| {
            let r = r?;
            params
                .get_or_init(|| super::digest::rsc_params_on(&self.cluster, r, Some(n)))
                .get(name)
                .cloned()
        };
        let meta_lookup = |name: &str| meta.and_then(|m| m.get(name).cloned());
        let ctx = RuleContext {
            now: Some(self.cluster.now),
            node_attr: Some(&lookup),
            rsc: None,
            op: None,
            rsc_param: Some(&param_lookup),
            rsc_meta: Some(&meta_lookup),
        };
        f(&ctx)
    }

    /// `pcmk__new_location`.
    pub fn new_location(
        &mut self,
        id: &str,
        r: RscIdx,
        role_filter: Role,
        discover: Discover,
        nodes: Vec<(NodeIdx, Score)>,
    ) -> usize {
        if discover == Discover::Exclusive {
            self.cluster.rsc_mut(r).exclusive_discover = true;
        }
        let idx = self.locations.len();
        self.locations.push(Location {
            id: id.to_owned(),
            rsc: r,
            role_filter,
            discover,
            nodes,
        });
        self.rs[r.i()].locations.push(idx);
        idx
    }

    // ----- colocations -----

    fn influence(&self, r: RscIdx, attr: Option<bool>) -> bool {
        attr.unwrap_or(self.cluster.rsc(r).critical)
    }

    fn unpack_colocation(&mut self, c: &cib::Colocation) -> Result<(), Unsupported> {
        let score = match &c.score {
            Some(ScoreSpec::Value(s)) => s.0,
            Some(ScoreSpec::Attribute(_)) => {
                return Err(self.unsupported_ref(c.elem, "colocations with score-attribute"))
            }
            None => 0,
        };
        if !c.sets.is_empty() {
            let mut last: Option<&cib::ResourceSet> = None;
            for set in &c.sets {
                for m in &set.members {
                    self.check_plain_ref(m.elem, &m.id)?;
                }
                self.unpack_colocation_set(set, score, c.influence);
                if let Some(prev) = last {
                    self.colocate_sets(&c.id, prev, set, score, c.influence);
                }
                last = Some(set);
            }
            return Ok(());
        }
        let (Some(d), Some(p)) = (&c.rsc, &c.with_rsc) else {
            return Ok(());
        };
        self.check_plain_ref(c.elem, d)?;
        self.check_plain_ref(c.elem, p)?;
        let (Some(dep), Some(prim)) = (self.constraint_rsc(d), self.constraint_rsc(p)) else {
            return Ok(());
        };
        let infl = self.influence(dep, c.influence);
        self.new_colocation(
            &c.id,
            c.node_attribute.clone(),
            score,
            dep,
            prim,
            c.rsc_role,
            c.with_rsc_role,
            infl,
        );
        Ok(())
    }

    fn set_members(&self, set: &cib::ResourceSet) -> Option<Vec<RscIdx>> {
        set.members
            .iter()
            .map(|m| self.constraint_rsc(&m.id))
            .collect()
    }

    fn unpack_colocation_set(
        &mut self,
        set: &cib::ResourceSet,
        score: i32,
        influence: Option<bool>,
    ) {
        let local = set.score.map(|s| s.0).unwrap_or(score);
        if local == 0 || set.sequential == Some(false) {
            return;
        }
        let Some(members) = self.set_members(set) else {
            return;
        };
        let ordering_group = set
            .ordering
            .as_deref()
            .is_none_or(|o| o.eq_ignore_ascii_case("group"));
        if local > 0 && ordering_group {
            for w in members.windows(2) {
                let infl = self.influence(w[1], influence);
                self.new_colocation(&set.id, None, local, w[1], w[0], set.role, set.role, infl);
            }
        } else if local > 0 {
            for w in members.windows(2) {
                let infl = self.influence(w[0], influence);
                self.new_colocation(&set.id, None, local, w[0], w[1], set.role, set.role, infl);
            }
        } else {
            for (i, &rsc) in members.iter().enumerate() {
                let infl = self.influence(rsc, influence);
                for &with in &members[..i] {
                    self.new_colocation(&set.id, None, local, rsc, with, set.role, set.role, infl);
                }
            }
        }
    }

    fn colocate_sets(
        &mut self,
        id: &str,
        set1: &cib::ResourceSet,
        set2: &cib::ResourceSet,
        score: i32,
        influence: Option<bool>,
    ) {
        if score == 0 {
            return;
        }
        let (Some(m1), Some(m2)) = (self.set_members(set1), self.set_members(set2)) else {
            return;
        };
        let rsc1 = if set1.sequential.unwrap_or(true) {
            m1.first().copied()
        } else {
            None
        };
        let rsc2 = if set2.sequential.unwrap_or(true) {
            m2.last().copied()
        } else {
            None
        };
        match (rsc1, rsc2) {
            (Some(a), Some(b)) => {
                let infl = self.influence(a, influence);
                self.new_colocation(id, None, score, a, b, set1.role, set2.role, infl);
            }
            (Some(a), None) => {
                let infl = self.influence(a, influence);
                for &b in &m2 {
                    self.new_colocation(id, None, score, a, b, set1.role, set2.role, infl);
                }
            }
            (None, Some(b)) => {
                for &a in &m1 {
                    let infl = self.influence(a, influence);
                    self.new_colocation(id, None, score, a, b, set1.role, set2.role, infl);
                }
            }
            (None, None) => {
                for &a in &m1 {
                    let infl = self.influence(a, influence);
                    for &b in &m2 {
                        self.new_colocation(id, None, score, a, b, set1.role, set2.role, infl);
                    }
                }
            }
        }
    }

    /// `pcmk__new_colocation`.
    #[allow(clippy::too_many_arguments)]
    pub fn new_colocation(
        &mut self,
        id: &str,
        node_attribute: Option<String>,
        score: i32,
        dependent: RscIdx,
        primary: RscIdx,
        dependent_role: Option<Role>,
        primary_role: Option<Role>,
        influence: bool,
    ) {
        if score == 0 {
            return;
        }
        let norm = |r: Option<Role>| match r {
            None | Some(Role::Started) => Role::Unknown,
            Some(x) => x,
        };
        let c = Colocation {
            id: id.to_owned(),
            dependent,
            primary,
            dependent_role: norm(dependent_role),
            primary_role: norm(primary_role),
            score,
            node_attribute,
            influence,
        };
        let cid = ColocId(self.colocations.len() as u32);
        let (drole, prole) = (c.dependent_role, c.primary_role);
        self.colocations.push(c);
        self.add_this_with(dependent, cid);
        self.add_with_this(primary, cid);
        if score <= -INFINITY {
            self.anti_colocation_order(dependent, drole, primary, prole);
            self.anti_colocation_order(primary, prole, dependent, drole);
        }
    }

    fn cmp_rsc_for_coloc(&self, a: RscIdx, b: RscIdx) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        let (ra, rb) = (self.cluster.rsc(a), self.cluster.rsc(b));
        if ra.priority != rb.priority {
            return if ra.priority > rb.priority {
                Less
            } else {
                Greater
            };
        }
        let (va, vb) = (variant_rank(ra.variant), variant_rank(rb.variant));
        if va != vb {
            return if va > vb { Less } else { Greater };
        }
        if ra.variant == Variant::Clone && ra.promotable != rb.promotable {
            return if ra.promotable { Less } else { Greater };
        }
        ra.id.cmp(&rb.id)
    }

    /// Insert before the first entry that does not sort before it
    /// (`g_list_insert_sorted`).
    fn insert_sorted(
        &self,
        list: &[ColocId],
        new: ColocId,
        key: impl Fn(&Colocation) -> RscIdx,
    ) -> usize {
        let nk = key(self.coloc(new));
        list.iter()
            .position(|c| {
                self.cmp_rsc_for_coloc(nk, key(self.coloc(*c))) != std::cmp::Ordering::Greater
            })
            .unwrap_or(list.len())
    }

    pub fn add_this_with(&mut self, r: RscIdx, c: ColocId) {
        let pos = self.insert_sorted(&self.rs[r.i()].this_with, c, |c| c.primary);
        self.rs[r.i()].this_with.insert(pos, c);
    }

    pub fn add_with_this(&mut self, r: RscIdx, c: ColocId) {
        let pos = self.insert_sorted(&self.rs[r.i()].with_this, c, |c| c.dependent);
        self.rs[r.i()].with_this.insert(pos, c);
    }

    fn anti_colocation_order(
        &mut self,
        first: RscIdx,
        first_role: Role,
        then: RscIdx,
        then_role: Role,
    ) {
        let first_tasks: &[&str] = match first_role {
            Role::Promoted => &["demote"],
            Role::Unpromoted => &["stop", "promote"],
            _ => &["stop"],
        };
        let then_tasks: &[&str] = match then_role {
            Role::Promoted => &["promote"],
            Role::Unpromoted => &["start", "demote"],
            _ => &["start"],
        };
        for f in first_tasks {
            for t in then_tasks {
                self.order_rsc_actions(first, f, then, t, of::ANTI_COLOCATION);
            }
        }
    }

    // ----- orderings -----

    fn unpack_order(&mut self, o: &cib::Order) -> Result<(), Unsupported> {
        let kind = order_kind(o.kind, o.score);
        let symmetry = order_symmetry(
            o.kind.is_some() || o.score.is_some(),
            kind,
            o.symmetrical,
            kind,
        );
        if !o.sets.is_empty() {
            for set in &o.sets {
                for m in &set.members {
                    self.check_plain_ref(m.elem, &m.id)?;
                }
            }
            let mut last: Option<&cib::ResourceSet> = None;
            for set in &o.sets {
                self.unpack_order_set(set, kind, o.symmetrical);
                if let Some(prev) = last {
                    self.order_sets(&o.id, prev, set, kind, symmetry);
                    if symmetry == Symmetry::Symmetric {
                        self.order_sets(&o.id, set, prev, kind, Symmetry::Inverse);
                    }
                }
                last = Some(set);
            }
            return Ok(());
        }
        let (Some(f), Some(t)) = (&o.first, &o.then) else {
            return Ok(());
        };
        self.check_plain_ref(o.elem, f)?;
        self.check_plain_ref(o.elem, t)?;
        let (Some(first), Some(then)) = (self.constraint_rsc(f), self.constraint_rsc(t)) else {
            return Ok(());
        };
        let first_action = o.first_action.clone().unwrap_or_else(|| "start".into());
        let then_action = o
            .then_action
            .clone()
            .unwrap_or_else(|| first_action.clone());
        // Deprecated `restart-type=restart` on the then-resource makes an
        // optional ordering imply restarts.
        let restart_type = kind == OrderKind::Optional
            && self
                .cluster
                .rsc(then)
                .meta
                .get("restart-type")
                .is_some_and(|v| v.eq_ignore_ascii_case("restart"));
        let mut flags = ordering_flags(kind, &first_action, symmetry);
        if restart_type {
            flags |= of::IMPLIES_THEN;
        }
        // A clone first with `clone-min` (or the deprecated
        // require-all=false, meaning one) needs that many instances.
        let mut min_required = 0;
        if self.cluster.rsc(first).variant == Variant::Clone {
            match self.cluster.rsc(first).meta.get("clone-min") {
                // `pcmk__scan_min_int` with minimum 0: the leading
                // integer, clipped to 0..=INT_MAX.
                Some(v) => {
                    min_required = super::unpack::leading_int(v)
                        .map_or(0, |x| x.clamp(0, i64::from(i32::MAX)) as i32)
                }
                None if o.require_all == Some(false) => min_required = 1,
                None => {}
            }
        }
        if min_required > 0 {
            self.clone_min_ordering(
                &o.id,
                first,
                &first_action,
                then,
                &then_action,
                flags,
                min_required,
            );
        } else {
            self.order_rsc_actions(first, &first_action, then, &then_action, flags);
        }
        if symmetry == Symmetry::Symmetric {
            if let (Some(fi), Some(ti)) =
                (invert_action(&first_action), invert_action(&then_action))
            {
                let mut flags = ordering_flags(kind, fi, Symmetry::Inverse);
                if restart_type {
                    flags |= of::IMPLIES_FIRST;
                }
                self.order_rsc_actions(then, ti, first, fi, flags);
            }
        }
        Ok(())
    }

    /// Order `then` after a pseudo-action that becomes runnable once
    /// `min_required` instances of the clone `first` can do their action.
    #[allow(clippy::too_many_arguments)]
    fn clone_min_ordering(
        &mut self,
        id: &str,
        first: RscIdx,
        first_action: &str,
        then: RscIdx,
        then_action: &str,
        flags: u32,
        min_required: i32,
    ) {
        let met = self.pseudo_op(&format!("clone-one-or-more:{id}"));
        self.am(met).required_runnable_before = min_required;
        self.am(met).set(super::action::af::REQUIRES_ANY);
        for c in self.cluster.rsc(first).children.clone() {
            let key = super::action::op_key(&self.cluster.rsc(c).id, first_action, 0);
            self.new_ordering(
                Some(c),
                Some(key),
                None,
                None,
                None,
                Some(met),
                of::ONE_OR_MORE | of::IMPLIES_THEN_PRINTED,
            );
        }
        let key = super::action::op_key(self.rsc_id(then), then_action, 0);
        self.new_ordering(
            None,
            None,
            Some(met),
            Some(then),
            Some(key),
            None,
            flags | of::RUNNABLE_LEFT,
        );
    }

    fn unpack_order_set(
        &mut self,
        set: &cib::ResourceSet,
        parent_kind: OrderKind,
        parent_symmetrical: Option<bool>,
    ) {
        let action = set.action.clone().unwrap_or_else(|| "start".into());
        let local_kind = match set.kind.as_deref() {
            Some(k) => parse_kind_text(k),
            None => parent_kind,
        };
        let sequential = set.sequential.unwrap_or(true);
        let symmetry = order_symmetry(
            set.kind.is_some() || set.score.is_some(),
            local_kind,
            set_symmetrical(set).or(parent_symmetrical),
            parent_kind,
        );
        let flags = ordering_flags(local_kind, &action, symmetry);
        let Some(members) = self.set_members(set) else {
            return;
        };
        if members.len() == 1 {
            return;
        }
        for (i, &r) in members.iter().enumerate() {
            if local_kind == OrderKind::Serialize {
                for &t in &members[i + 1..] {
                    self.order_rsc_actions(r, &action, t, &action, flags);
                }
            } else if sequential && i > 0 {
                self.order_rsc_actions(members[i - 1], &action, r, &action, flags);
            }
        }
        if symmetry == Symmetry::Asymmetric {
            return;
        }
        let Some(inv) = invert_action(&action) else {
            return;
        };
        let flags = ordering_flags(local_kind, inv, Symmetry::Inverse);
        if sequential {
            for w in members.windows(2) {
                self.order_rsc_actions(w[1], inv, w[0], inv, flags);
            }
        }
    }

    fn order_sets(
        &mut self,
        id: &str,
        set1: &cib::ResourceSet,
        set2: &cib::ResourceSet,
        kind: OrderKind,
        symmetry: Symmetry,
    ) {
        let mut a1 = set1.action.clone().unwrap_or_else(|| "start".into());
        let mut a2 = set2.action.clone().unwrap_or_else(|| "start".into());
        if symmetry == Symmetry::Inverse {
            a1 = invert_action(&a1).unwrap_or("start").to_owned();
            a2 = invert_action(&a2).unwrap_or("start").to_owned();
        }
        let mut require_all = set1.require_all.unwrap_or(true);
        if a1 == "stop" || a1 == "demote" {
            require_all = true;
        }
        let flags = ordering_flags(kind, &a2, symmetry);
        let (Some(m1), Some(m2)) = (self.set_members(set1), self.set_members(set2)) else {
            return;
        };
        if !require_all {
            let task = format!("one-or-more:{}", set1.id);
            let pseudo = self.pseudo_op(&task);
            self.am(pseudo).set(super::action::af::REQUIRES_ANY);
            for &r in &m1 {
                let key = super::action::op_key(self.rsc_id(r), &a1, 0);
                self.new_ordering(
                    Some(r),
                    Some(key),
                    None,
                    None,
                    None,
                    Some(pseudo),
                    of::ONE_OR_MORE | of::IMPLIES_THEN_PRINTED,
                );
            }
            for &r in &m2 {
                let key = super::action::op_key(self.rsc_id(r), &a2, 0);
                self.new_ordering(
                    None,
                    None,
                    Some(pseudo),
                    Some(r),
                    Some(key),
                    None,
                    flags | of::RUNNABLE_LEFT,
                );
            }
            let _ = id;
            return;
        }
        // Only an explicitly sequential set is represented by one member.
        let rsc1 = if set1.sequential == Some(true) {
            if symmetry == Symmetry::Inverse {
                m1.first().copied()
            } else {
                m1.last().copied()
            }
        } else {
            None
        };
        let rsc2 = if set2.sequential == Some(true) {
            if symmetry == Symmetry::Inverse {
                m2.last().copied()
            } else {
                m2.first().copied()
            }
        } else {
            None
        };
        match (rsc1, rsc2) {
            (Some(a), Some(b)) => self.order_rsc_actions(a, &a1, b, &a2, flags),
            (Some(a), None) => {
                for &b in &m2 {
                    self.order_rsc_actions(a, &a1, b, &a2, flags);
                }
            }
            (None, Some(b)) => {
                for &a in &m1 {
                    self.order_rsc_actions(a, &a1, b, &a2, flags);
                }
            }
            (None, None) => {
                for &a in &m1 {
                    for &b in &m2 {
                        self.order_rsc_actions(a, &a1, b, &a2, flags);
                    }
                }
            }
        }
    }
}

fn set_symmetrical(_set: &cib::ResourceSet) -> Option<bool> {
    // resource_set has no `symmetrical` in the schema; the parent's applies.
    None
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    Optional,
    Mandatory,
    Serialize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Symmetry {
    Asymmetric,
    Symmetric,
    Inverse,
}

fn parse_kind_text(k: &str) -> OrderKind {
    match k.to_ascii_lowercase().as_str() {
        "optional" => OrderKind::Optional,
        "serialize" => OrderKind::Serialize,
        _ => OrderKind::Mandatory,
    }
}

fn order_kind(kind: Option<cib::OrderKind>, score: Option<Score>) -> OrderKind {
    match kind {
        Some(cib::OrderKind::Mandatory) => OrderKind::Mandatory,
        Some(cib::OrderKind::Optional) => OrderKind::Optional,
        Some(cib::OrderKind::Serialize) => OrderKind::Serialize,
        None => match score {
            Some(s) if s.0 == 0 => OrderKind::Optional,
            _ => OrderKind::Mandatory,
        },
    }
}

fn order_symmetry(
    explicit_kind: bool,
    kind: OrderKind,
    symmetrical: Option<bool>,
    parent_kind: OrderKind,
) -> Symmetry {
    let kind = if explicit_kind { kind } else { parent_kind };
    match symmetrical {
        Some(true) if kind != OrderKind::Serialize => Symmetry::Symmetric,
        Some(_) => Symmetry::Asymmetric,
        None if kind == OrderKind::Serialize => Symmetry::Asymmetric,
        None => Symmetry::Symmetric,
    }
}

pub fn ordering_flags(kind: OrderKind, first: &str, symmetry: Symmetry) -> u32 {
    let mut flags = of::OPTIONAL;
    match kind {
        OrderKind::Optional => {}
        OrderKind::Serialize => flags |= of::SERIALIZE_ONLY,
        OrderKind::Mandatory => match symmetry {
            Symmetry::Asymmetric => flags |= of::ASYMMETRICAL,
            Symmetry::Symmetric => {
                flags |= of::IMPLIES_THEN;
                if first.eq_ignore_ascii_case("start") || first.eq_ignore_ascii_case("promote") {
                    flags |= of::RUNNABLE_LEFT;
                }
            }
            Symmetry::Inverse => flags |= of::IMPLIES_FIRST,
        },
    }
    flags
}

pub fn invert_action(a: &str) -> Option<&'static str> {
    Some(match a {
        "start" => "stop",
        "stop" => "start",
        "promote" => "demote",
        "demote" => "promote",
        "promoted" => "demoted",
        "demoted" => "promoted",
        "started" => "stopped",
        "stopped" => "started",
        _ => return None,
    })
}

/// A failed rule expression in words, with the node's value.
fn describe_failed_expr(
    e: &crate::cib::rule::Expr,
    attrs: &std::collections::BTreeMap<String, String>,
) -> String {
    use crate::cib::rule::{AttrOp, Expr};
    match e {
        Expr::Attr(a) => {
            let op = match a.op {
                AttrOp::Lt => "lt",
                AttrOp::Gt => "gt",
                AttrOp::Lte => "lte",
                AttrOp::Gte => "gte",
                AttrOp::Eq => "eq",
                AttrOp::Ne => "ne",
                AttrOp::Defined => "defined",
                AttrOp::NotDefined => "not_defined",
            };
            let want = a
                .value
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            let have = match attrs.get(&a.attribute) {
                Some(v) => format!("the node has {}={v}", a.attribute),
                None => format!("the node has no {}", a.attribute),
            };
            format!(
                "expression {} ({} {op}{want}) is false: {have}",
                a.id, a.attribute
            )
        }
        Expr::Date(d) => format!("date expression {} is not in effect now", d.id),
        Expr::Rule(r) => format!("nested rule {} does not match", r.id),
        Expr::Rsc(_) => "a resource expression does not match".to_string(),
        Expr::Op(_) => "an operation expression does not match".to_string(),
    }
}
