//! What every rule sees: the loaded CIB, the effective time, and indexes
//! derived once (constraint edges flattened from plain constraints, sets
//! and groups; reference resolution through tags and templates).

use crate::cib::load::parse_bool;
use crate::cib::time::Instant;
use crate::cib::{Cib, NvPair, ResourceId, Role, Score, ScoreSpec};
use crate::profile::Profile;
use crate::xml::{ElemId, Span};

/// One pairwise colocation: `dependent` is placed relative to `primary`.
#[derive(Clone, Debug)]
pub struct ColocationEdge {
    pub dependent: String,
    pub primary: String,
    pub dependent_role: Option<Role>,
    pub primary_role: Option<Role>,
    /// `None` when the score comes from a node attribute.
    pub score: Option<Score>,
    /// The constraint (or group) that implies it.
    pub source: ElemId,
    /// Where a finding about this edge should point.
    pub span: Span,
    /// Implied by a group rather than written as a constraint.
    pub implicit: bool,
}

/// One pairwise ordering: `then` after `first`.
#[derive(Clone, Debug)]
pub struct OrderEdge {
    pub first: String,
    pub then: String,
    pub first_action: String,
    pub then_action: String,
    pub mandatory: bool,
    pub source: ElemId,
    pub span: Span,
    pub implicit: bool,
}

pub struct Context<'a> {
    pub cib: &'a Cib,
    pub now: Instant,
    pub colocations: Vec<ColocationEdge>,
    pub orders: Vec<OrderEdge>,
    /// The release the cluster is being upgraded to (`lint --target`), if
    /// any: the upgrade rules judge the CIB for it.
    pub target: Option<&'static Profile>,
    /// The status section as the scheduler unpacks it, worked out on first
    /// use: status rules read the scheduler's own decisions (who is
    /// unclean, what is active where) instead of re-deriving them.
    unpacked: std::cell::OnceCell<Option<crate::sched::model::Cluster>>,
    /// The same scheduled (`crm_verify` runs the whole scheduler), for the
    /// findings only scheduling reveals.
    scheduled: std::cell::OnceCell<Option<crate::sched::pipeline::Findings>>,
}

impl<'a> Context<'a> {
    pub fn new(cib: &'a Cib, now: Instant) -> Self {
        let mut cx = Context {
            cib,
            now,
            colocations: Vec::new(),
            orders: Vec::new(),
            target: None,
            unpacked: std::cell::OnceCell::new(),
            scheduled: std::cell::OnceCell::new(),
        };
        cx.flatten_constraints();
        cx
    }

    /// The same, judging also for an upgrade to `target`.
    pub fn with_target(mut self, target: Option<&'static Profile>) -> Self {
        self.target = target;
        self
    }

    /// The release whose reading the upgrade rules check against: the
    /// target when it is one that drops pre-4.0 syntax, else the release
    /// the CIB is read as when that one does (the cluster already runs
    /// it). `None`: the upgrade rules stay silent.
    pub fn upgrade_release(&self) -> Option<&'static Profile> {
        self.target
            .into_iter()
            .chain(std::iter::once(self.cib.pacemaker))
            .find(|p| crate::profile::drops_pre_4_0_syntax(p))
    }

    /// The cluster as the scheduler unpacks it (options, nodes and their
    /// state, resources and where they are active), or `None` for a CIB
    /// without a status section or one the scheduler refuses.
    pub fn unpacked(&self) -> Option<&crate::sched::model::Cluster> {
        self.unpacked
            .get_or_init(|| {
                self.cib.status.as_ref()?;
                crate::sched::unpack::unpack(self.cib, self.now).ok()
            })
            .as_ref()
    }

    /// What scheduling the CIB reveals (actions that cannot run, nodes to
    /// fence), or `None` when the scheduler refuses the CIB. Only asked
    /// for when [`Self::unpacked`] shows a node that is not cleanly
    /// online, so steady clusters are never scheduled by lint.
    pub fn scheduled(&self) -> Option<&crate::sched::pipeline::Findings> {
        self.scheduled
            .get_or_init(|| crate::sched::pipeline::findings(self.cib, self.now))
            .as_ref()
    }

    fn flatten_constraints(&mut self) {
        let cib = self.cib;
        for c in &cib.colocations {
            let score = match &c.score {
                Some(ScoreSpec::Value(s)) => Some(*s),
                Some(ScoreSpec::Attribute(_)) => None,
                None => Some(Score::ZERO),
            };
            if let (Some(d), Some(p)) = (&c.rsc, &c.with_rsc) {
                self.colocations.push(ColocationEdge {
                    dependent: d.clone(),
                    primary: p.clone(),
                    dependent_role: c.rsc_role,
                    primary_role: c.with_rsc_role,
                    score,
                    source: c.elem,
                    span: cib.doc.get(c.elem).tag_span,
                    implicit: false,
                });
            }
            // Within a sequential set each member goes with the one before;
            // across sets, members of an earlier set go with a later set's.
            for (i, set) in c.sets.iter().enumerate() {
                let s = set.score.or(score);
                if set.sequential.unwrap_or(true) {
                    for w in set.members.windows(2) {
                        self.colocations.push(ColocationEdge {
                            dependent: w[1].id.clone(),
                            primary: w[0].id.clone(),
                            dependent_role: set.role,
                            primary_role: set.role,
                            score: s,
                            source: c.elem,
                            span: cib.doc.get(w[1].elem).tag_span,
                            implicit: false,
                        });
                    }
                }
                for later in &c.sets[i + 1..] {
                    for d in &set.members {
                        for p in &later.members {
                            self.colocations.push(ColocationEdge {
                                dependent: d.id.clone(),
                                primary: p.id.clone(),
                                dependent_role: set.role,
                                primary_role: later.role,
                                score,
                                source: c.elem,
                                span: cib.doc.get(d.elem).tag_span,
                                implicit: false,
                            });
                        }
                    }
                }
            }
        }
        for o in &cib.orders {
            let mandatory = o.is_mandatory();
            let act = |a: &Option<String>| a.clone().unwrap_or_else(|| "start".into());
            if let (Some(f), Some(t)) = (&o.first, &o.then) {
                let first_action = act(&o.first_action);
                let then_action = o
                    .then_action
                    .clone()
                    .unwrap_or_else(|| first_action.clone());
                self.orders.push(OrderEdge {
                    first: f.clone(),
                    then: t.clone(),
                    first_action,
                    then_action,
                    mandatory,
                    source: o.elem,
                    span: cib.doc.get(o.elem).tag_span,
                    implicit: false,
                });
            }
            for (i, set) in o.sets.iter().enumerate() {
                let a = act(&set.action);
                if set.sequential.unwrap_or(true) {
                    for w in set.members.windows(2) {
                        self.orders.push(OrderEdge {
                            first: w[0].id.clone(),
                            then: w[1].id.clone(),
                            first_action: a.clone(),
                            then_action: a.clone(),
                            mandatory,
                            source: o.elem,
                            span: cib.doc.get(w[1].elem).tag_span,
                            implicit: false,
                        });
                    }
                }
                if let Some(next) = o.sets.get(i + 1) {
                    let b = act(&next.action);
                    for f in &set.members {
                        for t in &next.members {
                            self.orders.push(OrderEdge {
                                first: f.id.clone(),
                                then: t.id.clone(),
                                first_action: a.clone(),
                                then_action: b.clone(),
                                mandatory,
                                source: o.elem,
                                span: cib.doc.get(t.elem).tag_span,
                                implicit: false,
                            });
                        }
                    }
                }
            }
        }
        for r in &cib.resources {
            if !r.is_group() {
                continue;
            }
            for w in r.children.windows(2) {
                let (a, b) = (cib.resource(w[0]), cib.resource(w[1]));
                let span = cib.doc.get(b.elem).tag_span;
                self.colocations.push(ColocationEdge {
                    dependent: b.id.clone(),
                    primary: a.id.clone(),
                    dependent_role: None,
                    primary_role: None,
                    score: Some(Score::INFINITY),
                    source: r.elem,
                    span,
                    implicit: true,
                });
                self.orders.push(OrderEdge {
                    first: a.id.clone(),
                    then: b.id.clone(),
                    first_action: "start".into(),
                    then_action: "start".into(),
                    mandatory: true,
                    source: r.elem,
                    span,
                    implicit: true,
                });
            }
        }
    }

    /// Resolve a constraint reference to resources: a resource, a clone
    /// instance name (`rsc:N`), a tag, or a template (all its primitives).
    pub fn resolve(&self, name: &str) -> Vec<ResourceId> {
        let cib = self.cib;
        if let Some(id) = cib.find_resource(name) {
            return vec![id];
        }
        if let Some((base, n)) = name.rsplit_once(':') {
            if n.parse::<u32>().is_ok() {
                if let Some(id) = cib.find_resource(base) {
                    return vec![id];
                }
            }
        }
        if let Some(tag) = cib.tags.iter().find(|t| t.id == name) {
            return tag
                .refs
                .iter()
                .filter_map(|(r, _)| cib.find_resource(r))
                .collect();
        }
        if cib.templates.iter().any(|t| t.id == name) {
            return cib
                .resources
                .iter()
                .enumerate()
                .filter(|(_, r)| r.template.as_deref() == Some(name))
                .map(|(i, _)| ResourceId(i as u32))
                .collect();
        }
        Vec::new()
    }

    /// The first resolved resource of a reference, if any.
    pub fn resolve_one(&self, name: &str) -> Option<ResourceId> {
        self.resolve(name).into_iter().next()
    }

    /// A resource and every ancestor (group, clone, bundle) of it.
    pub fn self_and_ancestors(&self, id: ResourceId) -> Vec<ResourceId> {
        let mut v = vec![id];
        v.extend(self.cib.ancestors(id));
        v
    }

    /// Effective static meta attribute: the resource's own, else an
    /// ancestor's, else `rsc_defaults`.
    pub fn meta(&self, id: ResourceId, name: &str) -> Option<&'a str> {
        // Walks the parent links directly: rules ask this for every
        // operation in the status section.
        let cib = self.cib;
        let mut cur = Some(id);
        while let Some(r) = cur {
            let res = cib.resource(r);
            if let Some(v) = res.meta_value(name) {
                return Some(v);
            }
            cur = res.parent;
        }
        cib.rsc_default(name).and_then(|p| p.value.as_deref())
    }

    pub fn meta_bool(&self, id: ResourceId, name: &str) -> Option<bool> {
        self.meta(id, name).map(parse_bool)
    }

    /// Is this primitive the given OCF agent (`provider:type`)?
    pub fn is_agent(
        &self,
        id: ResourceId,
        class: &str,
        provider: Option<&str>,
        agent: &str,
    ) -> bool {
        let r = self.cib.resource(id);
        r.is_primitive()
            && r.class.as_deref() == Some(class)
            && (provider.is_none() || r.provider.as_deref() == provider)
            && r.agent.as_deref() == Some(agent)
    }

    /// The nvpair that sets cluster option `name`, read as the scheduler
    /// reads it (set precedence, rules at the effective time, legacy names
    /// on old-schema CIBs): lint and simulate must agree.
    pub fn cluster_option(&self, name: &str) -> Option<&'a NvPair> {
        self.cib.cluster_option_at(name, self.now)
    }

    /// A cluster option as the profile's release reads it, given its 2.1.5
    /// name: under a release that renamed it, the new name first, then
    /// the old (the scheduler's rule, `Profile::option_name`).
    pub fn release_option(&self, name: &'static str) -> Option<&'a NvPair> {
        let current = self.cib.pacemaker.option_name(name);
        self.cluster_option(current)
            .or_else(|| self.cluster_option(name))
    }

    pub fn cluster_option_value(&self, name: &str) -> Option<&'a str> {
        self.cluster_option(name).and_then(|p| p.value.as_deref())
    }

    /// The id attribute of an element, for fingerprints.
    pub fn elem_id(&self, elem: ElemId) -> String {
        self.cib
            .doc
            .get(elem)
            .attr("id")
            .unwrap_or_default()
            .to_owned()
    }

    /// "<op> `web-monitor`": the element, or its nearest ancestor with an
    /// id, for messages that must say where to change something.
    pub fn owner_text(&self, elem: ElemId) -> Option<String> {
        let doc = &self.cib.doc;
        let mut cur = Some(elem);
        while let Some(e) = cur {
            let el = doc.get(e);
            // A reference's id names something else, not this element.
            let reference = matches!(el.name, "resource_ref" | "obj_ref" | "role_ref" | "role");
            if let Some(id) = el.attr("id").filter(|i| !i.is_empty() && !reference) {
                return Some(format!("<{}> `{id}`", el.name));
            }
            cur = el.parent;
        }
        None
    }

    pub fn span(&self, elem: ElemId) -> Span {
        self.cib.doc.get(elem).tag_span
    }

    pub fn attr_span(&self, elem: ElemId, attr: &str) -> Span {
        self.cib.doc.get(elem).attr_span(attr)
    }
}
