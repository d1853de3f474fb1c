//! The resource tree: configured primitives, groups, clones (with their
//! numbered instances) and bundles (with the implicit container, IP and
//! connection resources of each replica), plus guest-node connections
//! implied by `remote-node` meta attributes.
//!
//! Pacemaker builds some resources from XML it generates itself; here a
//! [`RscSpec`] stands for that XML, whether configured or generated.

use super::{char2score, interval_spec_ms, is_true, leading_int, unpack_nvsets, Unpacker};
use crate::cib::rule::RuleContext;
use crate::cib::{self, NvPair, NvSet, Op, ResourceId, Role};
use crate::sched::error::Unsupported;
use crate::sched::model::*;
use crate::xml::ElemId;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    Primitive,
    Group,
    Clone,
    /// Legacy `<master>`: promotable by element name.
    Master,
    Bundle,
}

/// What Pacemaker unpacks a resource from: its (possibly generated) XML.
#[derive(Clone, Debug)]
pub(crate) struct RscSpec {
    pub xml_id: String,
    pub elem: ElemId,
    pub tag: Tag,
    pub incarnation: Option<String>,
    /// XML attributes of the element (all become meta attributes).
    pub xml_attrs: Vec<(String, String)>,
    pub class: Option<String>,
    pub provider: Option<String>,
    pub agent: Option<String>,
    pub description: Option<String>,
    pub meta: Vec<NvSet>,
    pub instance: Vec<NvSet>,
    pub utilization: Vec<NvSet>,
    pub ops: Vec<Op>,
    pub config: Option<ResourceId>,
    pub children: Vec<RscSpec>,
}

fn gen_set(elem: ElemId, id: String, pairs: &[(&str, String)]) -> NvSet {
    NvSet {
        id,
        elem,
        score: None,
        rule: None,
        pairs: pairs
            .iter()
            .map(|(n, v)| NvPair {
                id: None,
                elem,
                name: (*n).to_owned(),
                value: Some(v.clone()),
            })
            .collect(),
    }
}

fn gen_op(elem: ElemId, prefix: &str, task: &str, interval: &str, timeout: Option<&str>) -> Op {
    Op {
        id: format!("{prefix}-{task}-{interval}"),
        elem,
        name: task.to_owned(),
        interval_text: interval.to_owned(),
        interval_ms: interval_spec_ms(Some(interval)),
        role: None,
        timeout: timeout.map(str::to_owned),
        on_fail: None,
        enabled: None,
        requires: None,
        record_pending: None,
        start_delay: None,
        interval_origin: None,
        meta: Vec::new(),
        instance: Vec::new(),
    }
}

/// `crm_xml_sanitize_id`.
fn sanitize_id(id: &str) -> String {
    id.replace([':', '#'], ".")
}

/// An implicit `ocf` primitive (bundle containers, IPs, connections).
fn gen_primitive(elem: ElemId, id: &str, provider: &str, kind: &str) -> RscSpec {
    RscSpec {
        xml_id: id.to_owned(),
        elem,
        tag: Tag::Primitive,
        incarnation: None,
        xml_attrs: vec![
            ("id".into(), id.to_owned()),
            ("class".into(), "ocf".into()),
            ("provider".into(), provider.to_owned()),
            ("type".into(), kind.to_owned()),
        ],
        class: Some("ocf".into()),
        provider: Some(provider.to_owned()),
        agent: Some(kind.to_owned()),
        description: None,
        meta: Vec::new(),
        instance: Vec::new(),
        utilization: Vec::new(),
        ops: Vec::new(),
        config: None,
        children: Vec::new(),
    }
}

/// `pe_create_remote_xml`: the connection resource of a guest or bundle node.
#[allow(clippy::too_many_arguments)]
fn remote_spec(
    elem: ElemId,
    uname: &str,
    container: Option<&str>,
    migrateable: Option<&str>,
    is_managed: Option<&str>,
    start_timeout: Option<&str>,
    server: Option<&str>,
    port: Option<&str>,
) -> RscSpec {
    let mut s = gen_primitive(elem, uname, "pacemaker", "remote");
    let mut meta = vec![("internal_rsc", "true".to_owned())];
    if let Some(c) = container {
        meta.push(("container", c.to_owned()));
    }
    if let Some(m) = migrateable {
        meta.push(("allow-migrate", m.to_owned()));
    }
    if let Some(m) = is_managed {
        meta.push(("is-managed", m.to_owned()));
    }
    s.meta
        .push(gen_set(elem, format!("{uname}-meta_attributes"), &meta));
    if port.is_some() || server.is_some() {
        let mut inst = Vec::new();
        if let Some(sv) = server {
            inst.push(("addr", sv.to_owned()));
        }
        if let Some(p) = port {
            inst.push(("port", p.to_owned()));
        }
        s.instance
            .push(gen_set(elem, format!("{uname}-instance_attributes"), &inst));
    }
    s.ops
        .push(gen_op(elem, uname, "monitor", "30s", Some("30s")));
    if let Some(t) = start_timeout {
        s.ops.push(gen_op(elem, uname, "start", "0", Some(t)));
    }
    s
}

/// Key for template op merging: name plus role (Started/Unpromoted count as none).
fn template_op_key(op: &Op) -> String {
    let role = match op.role {
        None | Some(Role::Started) | Some(Role::Unpromoted) => "Unknown",
        Some(r) => r.name(),
    };
    format!("{}-{}", op.name, role)
}

/// Pacemaker's resource agent capabilities by class.
fn ra_caps(class: Option<&str>) -> (bool, bool, bool) {
    // (provider, unique, promotable)
    match class.map(str::to_ascii_lowercase).as_deref() {
        Some("ocf") => (true, true, true),
        Some("stonith") => (false, true, false),
        _ => (false, false, false),
    }
}

impl Unpacker<'_> {
    /// The spec of a configured resource, templates expanded.
    pub(crate) fn spec_of(&self, id: ResourceId) -> RscSpec {
        let cib = self.cib;
        let r = cib.resource(id);
        let el = cib.doc.get(r.elem);
        let mut xml_attrs: Vec<(String, String)> = el
            .attrs()
            .map(|a| (a.name.to_string(), a.value.to_string()))
            .collect();
        let tag = match &r.variant {
            cib::Variant::Primitive => Tag::Primitive,
            cib::Variant::Group => Tag::Group,
            cib::Variant::Clone {
                legacy_master: true,
                ..
            } => Tag::Master,
            cib::Variant::Clone { .. } => Tag::Clone,
            cib::Variant::Bundle(_) => Tag::Bundle,
        };
        let mut spec = RscSpec {
            xml_id: r.id.clone(),
            elem: r.elem,
            tag,
            incarnation: None,
            xml_attrs: Vec::new(),
            class: r.class.clone(),
            provider: r.provider.clone(),
            agent: r.agent.clone(),
            description: r.description.clone(),
            meta: r.meta.clone(),
            instance: r.instance.clone(),
            utilization: r.utilization.clone(),
            ops: r.ops.clone(),
            config: Some(id),
            children: r.children.iter().map(|c| self.spec_of(*c)).collect(),
        };
        let template = r
            .template
            .as_deref()
            .and_then(|t| cib.templates.iter().find(|x| x.id == t));
        if let Some(t) = template {
            // The expanded XML is a copy of the template (its attributes,
            // its sets first) with the primitive's children appended.
            xml_attrs = cib
                .doc
                .get(t.elem)
                .attrs()
                .map(|a| {
                    let v = if a.name == "id" {
                        r.id.clone()
                    } else {
                        a.value.to_string()
                    };
                    (a.name.to_string(), v)
                })
                .collect();
            spec.class = t.class.clone();
            spec.provider = t.provider.clone();
            spec.agent = t.agent.clone();
            spec.description = t.description.clone();
            let own = |sets: &[NvSet], tsets: &[NvSet]| -> Vec<NvSet> {
                let mut out: Vec<NvSet> = tsets.to_vec();
                out.extend(
                    sets.iter()
                        .filter(|s| !tsets.iter().any(|x| x.elem == s.elem))
                        .cloned(),
                );
                out
            };
            spec.meta = own(&r.meta, &t.meta);
            spec.instance = own(&r.instance, &t.instance);
            spec.utilization = own(&r.utilization, &t.utilization);
            let own_ops: Vec<Op> = r
                .ops
                .iter()
                .filter(|o| !t.ops.iter().any(|x| x.elem == o.elem))
                .cloned()
                .collect();
            let mut ops = own_ops.clone();
            for op in &t.ops {
                let key = template_op_key(op);
                if !own_ops.iter().any(|o| template_op_key(o) == key) {
                    ops.push(op.clone());
                }
            }
            spec.ops = if own_ops.is_empty() {
                t.ops.clone()
            } else {
                ops
            };
        }
        spec.xml_attrs = xml_attrs;
        spec
    }

    // ----- remote and guest nodes -----

    /// `unpack_remote_nodes`: nodes for remote connections and guests,
    /// created before any resource is unpacked.
    pub(crate) fn unpack_remote_nodes(&mut self) {
        let cib = self.cib;
        for &top in &cib.top_resources {
            let r = cib.resource(top);
            if r.is_primitive()
                && contains_remote_node(
                    r.class.as_deref(),
                    r.provider.as_deref(),
                    r.agent.as_deref(),
                )
            {
                if self.find_node(&r.id).is_none() && !r.id.is_empty() {
                    self.create_node(&r.id.clone(), &r.id.clone(), "remote", 0);
                }
                continue;
            }
            if r.is_primitive() {
                self.expand_remote_rsc_meta(top);
            } else if r.is_group() {
                for &c in &r.children {
                    self.expand_remote_rsc_meta(c);
                }
            }
        }
    }

    /// A `remote-node` meta attribute makes a guest node and its
    /// connection resource.
    fn expand_remote_rsc_meta(&mut self, id: ResourceId) {
        let cib = self.cib;
        let r = cib.resource(id);
        let (mut name, mut server, mut port, mut timeout, mut migr, mut managed) =
            (None, None, None, "60s".to_owned(), None, None);
        for set in &r.meta {
            for p in &set.pairs {
                let v = p.value.clone();
                match p.name.to_ascii_lowercase().as_str() {
                    "remote-node" => name = v,
                    "remote-addr" => server = v,
                    "remote-port" => port = v,
                    "remote-connect-timeout" => timeout = v.unwrap_or_default(),
                    "remote-allow-migrate" => migr = v,
                    "is-managed" => managed = v,
                    _ => {}
                }
            }
        }
        let Some(name) = name else { return };
        let spec = remote_spec(
            r.elem,
            &name,
            Some(&r.id),
            migr.as_deref(),
            managed.as_deref(),
            Some(&timeout),
            server.as_deref(),
            port.as_deref(),
        );
        self.guest_specs.push(spec);
        if self.find_node(&name).is_none() {
            self.create_node(&name, &name, "remote", 0);
        }
    }

    // ----- resources -----

    pub(crate) fn unpack_resources(&mut self) -> Result<(), Unsupported> {
        let cib = self.cib;
        let mut specs: Vec<RscSpec> = cib
            .top_resources
            .iter()
            .filter(|id| !cib.resource(**id).id.is_empty())
            .map(|id| self.spec_of(*id))
            .collect();
        specs.extend(std::mem::take(&mut self.guest_specs));
        for spec in &specs {
            let mark = (self.c.resources.len(), self.rsc_sets.len());
            match self.create_resource(spec, None)? {
                Some(r) => self.c.top.push(r),
                None => {
                    self.c.resources.truncate(mark.0);
                    self.rsc_sets.truncate(mark.1);
                }
            }
        }
        for r in self.c.top.clone() {
            self.setup_container(r);
            self.link_rsc2remotenode(r);
        }
        // Pacemaker lists resources by priority (stable among equals).
        let mut top = self.c.top.clone();
        top.sort_by_key(|r| std::cmp::Reverse(self.c.resources[r.i()].priority));
        self.c.top = top;
        Ok(())
    }

    /// `setup_container`: leaves naming a `container` become its fillers.
    fn setup_container(&mut self, r: RscIdx) {
        let children = self.c.resources[r.i()].children.clone();
        if !children.is_empty() {
            for c in children {
                self.setup_container(c);
            }
            return;
        }
        let Some(cid) = self.c.resources[r.i()].meta.get("container").cloned() else {
            return;
        };
        if cid.eq_ignore_ascii_case(&self.c.resources[r.i()].id) {
            return;
        }
        if let Some(ct) = self.find_resource(&cid) {
            self.c.resources[r.i()].container = Some(ct);
            let c = &mut self.c.resources[ct.i()];
            c.is_container = true;
            c.fillers.push(r);
        }
    }

    /// `link_rsc2remotenode`.
    fn link_rsc2remotenode(&mut self, r: RscIdx) {
        if !self.c.resources[r.i()].is_remote_node {
            return;
        }
        let id = self.c.resources[r.i()].id.clone();
        let Some(n) = self.find_node(&id) else { return };
        self.c.nodes[n.i()].remote_rsc = Some(r);
        if self.c.resources[r.i()].container.is_none() {
            self.handle_startup_fencing(n);
        } else {
            let node = &mut self.c.nodes[n.i()];
            node.kind = NodeKind::Guest;
            node.attrs.insert("#kind".into(), "container".into());
        }
    }

    /// `pe_find_resource`: by id or history name, top-level lists first.
    pub(crate) fn find_resource(&self, id: &str) -> Option<RscIdx> {
        for &t in &self.c.top {
            if let Some(r) = self.find_in(t, id, false) {
                return Some(r);
            }
        }
        None
    }

    /// `native_find_rsc` with `pe_find_renamed` (or `pe_find_clone`).
    pub(crate) fn find_in(&self, r: RscIdx, id: &str, clone_flag: bool) -> Option<RscIdx> {
        let rsc = &self.c.resources[r.i()];
        let matched = if clone_flag {
            self.is_clone(self.uber_parent(r)) && (rsc.id == id || rsc.xml_id == id)
        } else {
            rsc.id == id || rsc.clone_name.as_deref() == Some(id)
        };
        if matched {
            return Some(r);
        }
        rsc.children
            .iter()
            .find_map(|c| self.find_in(*c, id, clone_flag))
    }

    /// `uber_parent` ([`crate::sched::model::Cluster::top_of`]).
    pub(crate) fn uber_parent(&self, r: RscIdx) -> RscIdx {
        self.c.top_of(r)
    }

    pub(crate) fn is_clone(&self, r: RscIdx) -> bool {
        self.c.resources[r.i()].variant == Variant::Clone
    }

    /// `pe_rsc_is_bundled` ([`crate::sched::model::Cluster::is_bundled`]).
    pub(crate) fn is_bundled(&self, r: RscIdx) -> bool {
        self.c.is_bundled(r)
    }

    /// `resource_location`: add a score on one node or every node.
    pub(crate) fn resource_location(
        &mut self,
        r: RscIdx,
        node: Option<NodeIdx>,
        score: i32,
        tag: &str,
    ) {
        match node {
            Some(n) => self.resource_node_score(r, n, score, tag),
            None => {
                if tag == "symmetric_default" && self.share_default_table(r, score) {
                    return;
                }
                self.reserve_node_tables(r);
                for i in 0..self.c.nodes.len() {
                    self.resource_node_score(r, NodeIdx(i as u32), score, tag);
                }
            }
        }
    }

    /// A primitive's symmetric default, from a table shared with the
    /// primitives before it when the nodes still give the same one. In a
    /// symmetric cluster every resource has an entry per node: at thousands
    /// of each, separate tables were the largest part of memory.
    fn share_default_table(&mut self, r: RscIdx, score: i32) -> bool {
        let rsc = &self.c.resources[r.i()];
        if !rsc.children.is_empty() || !rsc.allowed_nodes.is_empty() || rsc.exclusive_discover {
            return false;
        }
        let nodes = &self.c.nodes;
        let expected = || {
            nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| !n.discover_never)
                .map(move |(i, n)| (NodeIdx(i as u32), n.weight.add(crate::cib::Score(score))))
        };
        let table = match &self.default_table {
            Some((s, t)) if *s == score && t.iter().map(|(n, v)| (*n, *v)).eq(expected()) => {
                Arc::clone(t)
            }
            _ => {
                let t = Arc::new(expected().collect());
                self.default_table = Some((score, Arc::clone(&t)));
                t
            }
        };
        self.c.resources[r.i()].allowed_nodes = table;
        true
    }

    /// Room for an entry per node in `r`'s and its descendants' tables,
    /// before a score is added on every node.
    fn reserve_node_tables(&mut self, r: RscIdx) {
        let nodes = self.c.nodes.len();
        let mut stack = vec![r];
        while let Some(x) = stack.pop() {
            let rsc = &mut self.c.resources[x.i()];
            let missing = nodes.saturating_sub(rsc.allowed_nodes.len());
            Arc::make_mut(&mut rsc.allowed_nodes).reserve_exact(missing);
            stack.extend(rsc.children.iter().copied());
        }
    }

    fn resource_node_score(&mut self, r: RscIdx, n: NodeIdx, score: i32, tag: &str) {
        let rsc = &self.c.resources[r.i()];
        if (rsc.exclusive_discover || self.c.nodes[n.i()].discover_never)
            && tag == "symmetric_default"
        {
            return;
        }
        for c in rsc.children.clone() {
            self.resource_node_score(c, n, score, tag);
        }
        let base = self.c.nodes[n.i()].weight;
        let e = Arc::make_mut(&mut self.c.resources[r.i()].allowed_nodes)
            .entry(n)
            .or_insert(base);
        *e = e.add(crate::cib::Score(score));
    }

    /// Resolve meta attributes (`get_meta_attributes`).
    fn meta_attributes(&self, spec: &RscSpec, parent: Option<RscIdx>) -> BTreeMap<String, String> {
        let mut meta = BTreeMap::new();
        let add = |m: &mut BTreeMap<String, String>, k: &str, v: &str| {
            if !v.eq_ignore_ascii_case("#default") && !m.contains_key(k) {
                m.insert(k.to_owned(), v.to_owned());
            }
        };
        if let Some(inc) = &spec.incarnation {
            add(&mut meta, "clone", inc);
        }
        for (k, v) in &spec.xml_attrs {
            add(&mut meta, k, v);
        }
        let class = spec.class.clone().unwrap_or_default();
        let agent = spec.agent.clone().unwrap_or_default();
        let ctx = RuleContext {
            now: Some(self.now),
            rsc: Some((&class, spec.provider.as_deref(), &agent)),
            ..Default::default()
        };
        let own: Vec<&NvSet> = spec.meta.iter().collect();
        unpack_nvsets(&mut meta, &own, None, false, &ctx);
        if parent.is_some() {
            let mut fixed = BTreeMap::new();
            let mut p = parent;
            while let Some(pi) = p {
                let sets: Vec<&NvSet> = self.rsc_sets[pi.i()].0.iter().collect();
                unpack_nvsets(&mut fixed, &sets, None, false, &ctx);
                p = self.c.resources[pi.i()].parent;
            }
            for (k, v) in &fixed {
                add(&mut meta, k, v);
            }
        }
        let defaults: Vec<&NvSet> = self.cib.rsc_defaults.iter().collect();
        unpack_nvsets(&mut meta, &defaults, None, false, &ctx);
        if let Some(pi) = parent {
            for (k, v) in self.c.resources[pi.i()].meta.iter() {
                add(&mut meta, k, v);
            }
        }
        meta
    }

    /// Resolve instance attributes without a node (`pe_rsc_params(rsc, NULL)`).
    fn rsc_params(&self, own: &[NvSet], parent: Option<RscIdx>) -> BTreeMap<String, String> {
        let ctx = RuleContext {
            now: Some(self.now),
            ..Default::default()
        };
        let mut out = BTreeMap::new();
        let sets: Vec<&NvSet> = own.iter().collect();
        unpack_nvsets(&mut out, &sets, None, false, &ctx);
        let mut p = parent;
        while let Some(pi) = p {
            let sets: Vec<&NvSet> = self.rsc_sets[pi.i()].1.iter().collect();
            unpack_nvsets(&mut out, &sets, None, false, &ctx);
            p = self.c.resources[pi.i()].parent;
        }
        let defaults: Vec<&NvSet> = self.cib.rsc_defaults.iter().collect();
        let ctx2 = RuleContext {
            now: Some(self.now),
            ..Default::default()
        };
        // rsc_defaults instance_attributes are rare; the loader keeps only
        // meta sets there, so this adds nothing unless it learns more.
        let _ = (&defaults, &ctx2);
        out
    }

    /// `pe__unpack_resource`. `Ok(None)`: Pacemaker ignores the resource.
    pub(crate) fn create_resource(
        &mut self,
        spec: &RscSpec,
        parent: Option<RscIdx>,
    ) -> Result<Option<RscIdx>, Unsupported> {
        if spec.xml_id.is_empty() {
            return Ok(None);
        }
        let id = match &spec.incarnation {
            Some(n) => format!("{}:{}", spec.xml_id, n),
            None => spec.xml_id.clone(),
        };
        let variant = match spec.tag {
            Tag::Primitive => Variant::Primitive,
            Tag::Group => Variant::Group,
            Tag::Clone | Tag::Master => Variant::Clone,
            Tag::Bundle => Variant::Bundle,
        };
        let mut r = Resource::new(id, variant);
        r.xml_id = spec.xml_id.clone();
        r.config = spec.config;
        r.parent = parent;
        r.class = spec.class.clone().unwrap_or_default();
        r.provider = spec.provider.clone();
        r.agent = spec.agent.clone().unwrap_or_default();
        r.description = spec.description.clone();
        r.ops = std::sync::Arc::new(spec.ops.clone());
        r.meta = std::sync::Arc::new(self.meta_attributes(spec, parent));
        r.params = self.rsc_params(&spec.instance, parent);
        r.instance_sets = std::sync::Arc::new(spec.instance.clone());
        let idx = RscIdx(self.c.resources.len() as u32);
        self.c.resources.push(r);
        self.rsc_sets
            .push((spec.meta.clone(), spec.instance.clone()));

        let o = self.c.options.clone();
        let meta = self.c.resources[idx.i()].meta.clone();
        let get = |k: &str| meta.get(k).map(String::as_str);
        let health = self.health_scores;
        let is_remote = spec.tag == Tag::Primitive
            && contains_remote_node(
                spec.class.as_deref(),
                spec.provider.as_deref(),
                spec.agent.as_deref(),
            );
        let guest_node = is_remote && get("container").is_some();
        let remote_node = is_remote && !guest_node;
        let uber = self.uber_parent(idx);
        let in_clone = self.is_clone(uber);
        let promotable_here = is_true(get("promotable")) || spec.tag == Tag::Master;
        {
            let rsc = &mut self.c.resources[idx.i()];
            rsc.provisional = true;
            rsc.managed = !o.maintenance_mode;
            rsc.role = Role::Stopped;
            rsc.next_role = Role::Unknown;
            rsc.priority = char2score(get("priority"), health);
            rsc.critical = get("critical").is_none() || is_true(get("critical"));
            rsc.notify = is_true(get("notify"));
            rsc.is_remote_node = is_remote;
            rsc.internal = is_true(get("internal_rsc"));
            match get("allow-migrate") {
                Some(v) => rsc.allow_migrate = is_true(Some(v)),
                None => rsc.allow_migrate = remote_node,
            }
            if let Some(v) = get("is-managed") {
                if !v.eq_ignore_ascii_case("default") {
                    rsc.managed = is_true(Some(v));
                }
            }
            if is_true(get("maintenance")) || o.maintenance_mode {
                rsc.managed = false;
                rsc.maintenance = true;
            }
            if in_clone {
                rsc.unique = match get("globally-unique") {
                    Some(v) => is_true(Some(v)),
                    None if self.cib.pacemaker.unique_when_node_max => get("clone-node-max")
                        .and_then(super::leading_int)
                        .is_some_and(|n| n > 1),
                    None => false,
                };
                rsc.promotable = promotable_here;
                if spec.tag == Tag::Master && !meta.contains_key("promotable") {
                    std::sync::Arc::make_mut(&mut rsc.meta)
                        .insert("promotable".into(), "true".into());
                }
            } else {
                rsc.unique = true;
            }
            rsc.multiple_active = match get("multiple-active")
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("stop_only") => MultipleActive::StopOnly,
                Some("block") => MultipleActive::Block,
                Some("stop_unexpected") => MultipleActive::StopUnexpected,
                _ => MultipleActive::StopStart,
            };
            if let Some(v) = get("resource-stickiness") {
                if !v.eq_ignore_ascii_case("default") {
                    rsc.stickiness = crate::cib::Score(char2score(Some(v), health));
                }
            }
            if let Some(v) = get("migration-threshold") {
                if !v.eq_ignore_ascii_case("default") {
                    let t = char2score(Some(v), health);
                    rsc.migration_threshold = if t < 0 { 1 } else { t };
                }
            }
            if spec
                .class
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("stonith"))
            {
                rsc.fence_device = true;
            }
        }
        if self.c.resources[idx.i()].fence_device {
            self.c.options.have_stonith_resource = true;
        }
        self.unpack_requires(idx, get("requires"), is_remote);
        if let Some(v) = get("failure-timeout") {
            self.c.resources[idx.i()].failure_timeout = (interval_spec_ms(Some(v)) / 1000) as i64;
        }
        if remote_node {
            let rp = self.c.resources[idx.i()]
                .params
                .get("reconnect_interval")
                .cloned();
            if let Some(v) = rp {
                let ms = interval_spec_ms(Some(&v));
                let rsc = &mut self.c.resources[idx.i()];
                rsc.remote_reconnect_ms = ms;
                rsc.failure_timeout = (ms / 1000) as i64;
            }
        }
        let target = self.target_role(idx);
        {
            let rsc = &mut self.c.resources[idx.i()];
            rsc.target_role = get("target-role").and_then(|v| Role::parse(v).map(|x| x.0));
            if let Some(t) = target {
                rsc.next_role = t;
            }
        }

        let ok = match spec.tag {
            Tag::Primitive => self.native_unpack(idx, spec)?,
            Tag::Group => self.group_unpack(idx, spec)?,
            Tag::Clone | Tag::Master => self.clone_unpack(idx, spec)?,
            Tag::Bundle => self.bundle_unpack(idx, spec)?,
        };
        if !ok {
            return Ok(None);
        }

        if self.c.options.symmetric {
            self.resource_location(idx, None, 0, "symmetric_default");
        } else if guest_node {
            self.resource_location(idx, None, 0, "remote_connection_default");
        }
        let ctx = RuleContext {
            now: Some(self.now),
            ..Default::default()
        };
        let util: Vec<&NvSet> = spec.utilization.iter().collect();
        let mut table = BTreeMap::new();
        unpack_nvsets(&mut table, &util, None, false, &ctx);
        self.c.resources[idx.i()].utilization = table;
        Ok(Some(idx))
    }

    /// `unpack_requires`.
    fn unpack_requires(&mut self, r: RscIdx, value: Option<&str>, is_remote: bool) {
        let o = &self.c.options;
        let v = value.map(str::to_ascii_lowercase);
        let fence_device = self.c.resources[r.i()].fence_device;
        let effective = match v.as_deref() {
            Some("nothing") => "nothing",
            Some("quorum") => "quorum",
            Some("fencing") => "fencing",
            Some("unfencing") if fence_device || !o.stonith_enabled => "quorum",
            Some("unfencing") => "unfencing",
            _ => {
                if fence_device {
                    "quorum"
                } else if self.c.resources[r.i()].variant == Variant::Primitive && is_remote {
                    "quorum"
                } else if self.enable_unfencing {
                    "unfencing"
                } else if o.stonith_enabled {
                    "fencing"
                } else if o.no_quorum_policy == NoQuorumPolicy::Ignore {
                    "nothing"
                } else {
                    "quorum"
                }
            }
        };
        let rsc = &mut self.c.resources[r.i()];
        rsc.needs_quorum = false;
        rsc.needs_fencing = false;
        rsc.needs_unfencing = false;
        match effective {
            "quorum" => rsc.needs_quorum = true,
            "fencing" => rsc.needs_fencing = true,
            "unfencing" => {
                rsc.needs_fencing = true;
                rsc.needs_unfencing = true;
            }
            _ => {}
        }
    }

    /// `get_target_role`: the configured role, when it limits the resource.
    pub(crate) fn target_role(&self, r: RscIdx) -> Option<Role> {
        let v = self.c.resources[r.i()].meta.get("target-role")?;
        if v.eq_ignore_ascii_case("started") || v.eq_ignore_ascii_case("default") {
            return None;
        }
        let role = Role::from_text(v);
        if role == Role::Unknown {
            return None;
        }
        if role > Role::Started {
            let up = self.uber_parent(r);
            if self.c.resources[up.i()].promotable {
                if role > Role::Unpromoted {
                    return None;
                }
            } else {
                return None;
            }
        }
        Some(role)
    }

    fn native_unpack(&mut self, r: RscIdx, spec: &RscSpec) -> Result<bool, Unsupported> {
        let parent = self.uber_parent(r);
        let (_, unique_cap, promotable_cap) = ra_caps(spec.class.as_deref());
        if !unique_cap && self.c.resources[r.i()].unique && self.is_clone(parent) {
            // Agents of this class can only be anonymous clones.
            let nodes = self.c.nodes.len() as u32;
            if let Some(cs) = self.c.resources[parent.i()].clone.as_mut() {
                cs.clone_node_max = 1;
                cs.clone_max = cs.clone_max.min(nodes);
            }
            self.clear_unique(parent);
            self.clear_unique(r);
        }
        if !promotable_cap && self.c.resources[parent.i()].promotable {
            return Err(Unsupported::at(
                self.cib,
                spec.elem,
                "promotable clone of an agent class without promotion support",
            ));
        }
        Ok(true)
    }

    fn clear_unique(&mut self, r: RscIdx) {
        let rsc = &mut self.c.resources[r.i()];
        rsc.unique = false;
        std::sync::Arc::make_mut(&mut rsc.meta)
            .entry("globally-unique".into())
            .or_insert_with(|| "false".into());
        for c in rsc.children.clone() {
            self.clear_unique(c);
        }
    }

    fn group_unpack(&mut self, r: RscIdx, spec: &RscSpec) -> Result<bool, Unsupported> {
        for child in &spec.children {
            if child.tag != Tag::Primitive {
                continue;
            }
            let mut cs = child.clone();
            cs.incarnation = spec.incarnation.clone();
            if let Some(ci) = self.create_resource(&cs, Some(r))? {
                self.c.resources[r.i()].children.push(ci);
            }
        }
        Ok(true)
    }

    fn clone_unpack(&mut self, r: RscIdx, spec: &RscSpec) -> Result<bool, Unsupported> {
        let meta = self.c.resources[r.i()].meta.clone();
        let get = |k: &str| meta.get(k).map(String::as_str);
        let scan = |v: Option<&str>, default: u32| -> u32 {
            match v {
                None => default,
                Some(t) => leading_int(t)
                    .map(|x| x.clamp(0, u32::MAX as i64) as u32)
                    .unwrap_or(0),
            }
        };
        let promotable = self.c.resources[r.i()].promotable;
        let mut cs = CloneSettings::default();
        if promotable {
            cs.promoted_max = scan(get("promoted-max").or(get("master-max")), 1);
            cs.promoted_node_max = scan(get("promoted-node-max").or(get("master-node-max")), 1);
        }
        cs.clone_node_max = scan(get("clone-node-max"), 1);
        cs.clone_max = scan(get("clone-max"), (self.c.nodes.len() as u32).max(1));
        cs.ordered = is_true(get("ordered"));
        cs.interleave = is_true(get("interleave"));
        cs.clone_min = scan(get("clone-min"), 0);
        if !self.c.resources[r.i()].unique && cs.clone_node_max > 1 {
            cs.clone_node_max = 1;
        }
        let Some(child) = spec
            .children
            .iter()
            .find(|c| matches!(c.tag, Tag::Primitive | Tag::Group))
        else {
            return Ok(false);
        };
        {
            let rsc = &mut self.c.resources[r.i()];
            rsc.clone = Some(cs);
            std::sync::Arc::make_mut(&mut rsc.meta)
                .entry("resource-stickiness".into())
                .or_insert_with(|| "1".into());
            let u = if rsc.unique { "true" } else { "false" };
            std::sync::Arc::make_mut(&mut rsc.meta)
                .entry("globally-unique".into())
                .or_insert_with(|| u.into());
        }
        self.clone_child_specs.insert(r, child.clone());
        let mut total = 0u32;
        loop {
            let max = self.c.resources[r.i()]
                .clone
                .as_ref()
                .map(|c| c.clone_max)
                .unwrap_or(0);
            if (max == 0 && total >= 1) || (max > 0 && total >= max) {
                break;
            }
            if self.create_clone_child(r, child, &mut total)?.is_none() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `pe__create_clone_child`: the next numbered instance.
    pub(crate) fn create_clone_child(
        &mut self,
        r: RscIdx,
        child: &RscSpec,
        total: &mut u32,
    ) -> Result<Option<RscIdx>, Unsupported> {
        let max = self.c.resources[r.i()]
            .clone
            .as_ref()
            .map(|c| c.clone_max)
            .unwrap_or(0);
        let as_orphan = *total >= max;
        let mut cs = child.clone();
        cs.incarnation = Some(total.to_string());
        let Some(ci) = self.create_resource(&cs, Some(r))? else {
            return Ok(None);
        };
        *total += 1;
        self.c.resources[r.i()].children.push(ci);
        if as_orphan {
            self.set_orphan_recursive(ci);
        }
        std::sync::Arc::make_mut(&mut self.c.resources[ci.i()].meta)
            .entry("clone-max".into())
            .or_insert_with(|| max.to_string());
        Ok(Some(ci))
    }

    fn set_orphan_recursive(&mut self, r: RscIdx) {
        self.c.resources[r.i()].orphan = true;
        for c in self.c.resources[r.i()].children.clone() {
            self.set_orphan_recursive(c);
        }
    }

    /// Number of instances created so far for a clone (`total_clones`).
    pub(crate) fn total_clones(&self, r: RscIdx) -> u32 {
        self.c.resources[r.i()].children.len() as u32
    }
}

/// `xml_contains_remote_node`: an `ocf:pacemaker:remote` primitive.
pub(crate) fn contains_remote_node(
    class: Option<&str>,
    provider: Option<&str>,
    agent: Option<&str>,
) -> bool {
    let eq = |v: Option<&str>, w: &str| v.is_some_and(|v| v.eq_ignore_ascii_case(w));
    eq(agent, "remote") && eq(class, "ocf") && eq(provider, "pacemaker")
}

impl Unpacker<'_> {
    /// `pe__unpack_bundle`.
    fn bundle_unpack(&mut self, r: RscIdx, spec: &RscSpec) -> Result<bool, Unsupported> {
        let doc = &self.cib.doc;
        let el = spec.elem;
        let runtime = ["docker", "rkt", "podman"]
            .iter()
            .find_map(|n| doc.child_named(el, n).map(|e| (*n, e)));
        let Some((agent, rt)) = runtime else {
            return Err(Unsupported::at(
                self.cib,
                el,
                "bundle without a container runtime",
            ));
        };
        let rta = |n: &str| doc.get(rt).attr(n).map(str::to_owned);
        let scan = |v: Option<String>, min: u32| -> u32 {
            v.and_then(|t| leading_int(&t))
                .map(|x| x.max(min as i64).min(u32::MAX as i64) as u32)
                .unwrap_or(min)
        };
        let prefix = self.c.resources[r.i()].id.clone();
        let promoted_max = scan(rta("promoted-max").or_else(|| rta("masters")), 0);
        let replicas_attr = rta("replicas");
        let nreplicas = if replicas_attr.is_none() && promoted_max > 0 {
            promoted_max
        } else {
            scan(replicas_attr, 1)
        };
        let mut nph = scan(rta("replicas-per-host"), 1);
        if nph == 1 {
            self.c.resources[r.i()].unique = false;
        }
        let container_command = rta("run-command");
        let launcher_options = rta("options");
        let image = rta("image").unwrap_or_default();
        let container_network = rta("network");

        let mut ip_range_start = None;
        let mut host_netmask = None;
        let mut host_network = None;
        let mut control_port = None;
        let mut add_host = true;
        let mut ports: Vec<(String, String)> = Vec::new();
        if let Some(net) = doc.child_named(el, "network") {
            let na = |n: &str| doc.get(net).attr(n).map(str::to_owned);
            ip_range_start = na("ip-range-start");
            host_netmask = na("host-netmask");
            host_network = na("host-interface");
            control_port = na("control-port");
            if let Some(v) = na("add-host") {
                if crate::cib::load::is_bool(&v) {
                    add_host = is_true(Some(&v));
                }
            }
            for pc in doc.get(net).children() {
                let pe = doc.get(pc);
                let (source, target) = match pe.attr("port") {
                    Some(p) => (
                        Some(p.to_owned()),
                        pe.attr("internal-port").map(str::to_owned),
                    ),
                    None => (pe.attr("range").map(str::to_owned), None),
                };
                if let Some(s) = source.filter(|s| !s.is_empty()) {
                    let t = target.unwrap_or_else(|| s.clone());
                    ports.push((s, t));
                }
            }
        }
        // (source, target, options, subdir)
        let mut mounts: Vec<(String, String, Option<String>, bool)> = Vec::new();
        let mut need_log_mount = true;
        if let Some(st) = doc.child_named(el, "storage") {
            for mc in doc.get(st).children() {
                let me = doc.get(mc);
                let (source, subdir) = match me.attr("source-dir") {
                    Some(s) => (Some(s.to_owned()), false),
                    None => (me.attr("source-dir-root").map(str::to_owned), true),
                };
                let target = me.attr("target-dir").map(str::to_owned);
                if let (Some(s), Some(t)) = (source, target) {
                    if t == "/var/log" {
                        need_log_mount = false;
                    }
                    mounts.push((s, t, me.attr("options").map(str::to_owned), subdir));
                }
            }
        }
        let valid_network = ip_range_start.is_some() || control_port.is_some();
        if ip_range_start.is_none() && control_port.is_some() && nph > 1 {
            nph = 1;
        }
        let primitive = spec.children.iter().find(|c| c.tag == Tag::Primitive);
        let mut data = BundleData {
            image: image.clone(),
            nreplicas,
            nreplicas_per_host: nph,
            promoted_max,
            control_port: control_port.clone(),
            ip_range_start: ip_range_start.clone(),
            child: None,
            replicas: Vec::new(),
        };
        let mut ip_last: Option<String> = None;
        let mut host_opts = String::new();
        let mut alloc_ip = |offset: u32, host_opts: &mut String| -> Option<String> {
            let start = ip_range_start.as_ref()?;
            let ip = match &ip_last {
                Some(last) => next_ip(last)?,
                None => start.clone(),
            };
            ip_last = Some(ip.clone());
            match agent {
                "docker" | "podman" if add_host => {
                    host_opts.push_str(&format!(" --add-host={prefix}-{offset}:{ip}"))
                }
                _ => host_opts.push_str(&format!(" --hosts-entry={ip}={prefix}-{offset}")),
            }
            Some(ip)
        };
        let mut replicas: Vec<(u32, Option<String>, Option<RscIdx>)> = Vec::new();
        match primitive {
            Some(p) if valid_network => {
                let clone_id = format!(
                    "{prefix}-{}",
                    if promoted_max > 0 { "master" } else { "clone" }
                );
                let mut meta = vec![
                    ("ordered", "true".to_owned()),
                    ("clone-max", nreplicas.to_string()),
                    ("clone-node-max", nph.to_string()),
                    ("globally-unique", (nph > 1).to_string()),
                ];
                if promoted_max > 0 {
                    meta.push(("promotable", "true".into()));
                    meta.push(("promoted-max", promoted_max.to_string()));
                }
                let clone_spec = RscSpec {
                    xml_id: clone_id.clone(),
                    elem: el,
                    tag: Tag::Clone,
                    incarnation: None,
                    xml_attrs: vec![("id".into(), clone_id.clone())],
                    class: None,
                    provider: None,
                    agent: None,
                    description: None,
                    meta: vec![gen_set(el, format!("{prefix}-clone-meta"), &meta)],
                    instance: Vec::new(),
                    utilization: Vec::new(),
                    ops: Vec::new(),
                    config: None,
                    children: vec![p.clone()],
                };
                let Some(ci) = self.create_resource(&clone_spec, Some(r))? else {
                    return Ok(false);
                };
                data.child = Some(ci);
                mounts.push((
                    "/etc/pacemaker/authkey".into(),
                    "/etc/pacemaker/authkey".into(),
                    None,
                    false,
                ));
                if need_log_mount {
                    mounts.push((
                        "/var/log/pacemaker/bundles".into(),
                        "/var/log".into(),
                        None,
                        true,
                    ));
                }
                let port = control_port.clone().unwrap_or_else(|| "3121".into());
                ports.push((port.clone(), port));
                let children = self.c.resources[ci.i()].children.clone();
                let mut attribute_target = None;
                for (lpc, child) in children.iter().enumerate() {
                    self.c.resources[child.i()].exclusive_discover = true;
                    if self.c.resources[child.i()].notify {
                        self.c.resources[ci.i()].notify = true;
                    }
                    let ip = alloc_ip(lpc as u32, &mut host_opts);
                    replicas.push((lpc as u32, ip, Some(*child)));
                    attribute_target = self.c.resources[child.i()]
                        .meta
                        .get("container-attribute-target")
                        .cloned();
                }
                if let Some(t) = attribute_target {
                    std::sync::Arc::make_mut(&mut self.c.resources[r.i()].meta)
                        .insert("container-attribute-target".into(), t.clone());
                    std::sync::Arc::make_mut(&mut self.c.resources[ci.i()].meta)
                        .insert("container-attribute-target".into(), t);
                }
            }
            Some(_) => {
                // A primitive needs ip-range-start or control-port.
                return Ok(false);
            }
            None => {
                for lpc in 0..nreplicas {
                    let ip = alloc_ip(lpc, &mut host_opts);
                    replicas.push((lpc, ip, None));
                }
            }
        }

        for (offset, ipaddr, child) in replicas {
            // Container.
            let (hostname_opt, env_opt) = match agent {
                "rkt" => ("--hostname=", "--environment="),
                _ => ("-h ", "-e "),
            };
            let cid = sanitize_id(&format!("{prefix}-{agent}-{offset}"));
            let mut cspec = gen_primitive(el, &cid, "heartbeat", agent);
            let mut buf = String::new();
            if agent == "docker" {
                buf.push_str(" --restart=no");
            }
            if ip_range_start.is_some() {
                buf.push_str(&format!(" {hostname_opt}{prefix}-{offset}"));
            }
            buf.push_str(&format!(" {env_opt}PCMK_stderr=1"));
            if let Some(n) = &container_network {
                buf.push_str(&format!(" --net={n}"));
            }
            match &control_port {
                Some(p) => buf.push_str(&format!(" {env_opt}PCMK_remote_port={p}")),
                None => buf.push_str(&format!(" {env_opt}PCMK_remote_port=3121")),
            }
            let mut dbuf: Vec<String> = Vec::new();
            let mut volid = 0;
            for (source, target, options, subdir) in &mounts {
                let src = if *subdir {
                    let s = format!("{source}/{prefix}-{offset}");
                    dbuf.push(s.clone());
                    s
                } else {
                    source.clone()
                };
                if agent == "rkt" {
                    buf.push_str(&format!(
                        " --volume vol{volid},kind=host,source={src}{}{} --mount volume=vol{volid},target={target}",
                        if options.is_some() { "," } else { "" },
                        options.clone().unwrap_or_default()
                    ));
                    volid += 1;
                } else {
                    buf.push_str(&format!(" -v {src}:{target}"));
                    if let Some(o) = options {
                        buf.push_str(&format!(":{o}"));
                    }
                }
            }
            for (source, target) in &ports {
                if agent == "rkt" {
                    match &ipaddr {
                        Some(ip) => buf.push_str(&format!(" --port={target}:{ip}:{source}")),
                        None => buf.push_str(&format!(" --port={target}:{source}")),
                    }
                } else if let Some(ip) = &ipaddr {
                    buf.push_str(&format!(" -p {ip}:{source}:{target}"));
                } else if container_network.as_deref() != Some("host") {
                    buf.push_str(&format!(" -p {source}:{target}"));
                }
            }
            if let Some(lo) = &launcher_options {
                buf.push_str(&format!(" {lo}"));
            }
            buf.push_str(&format!(" {host_opts}"));
            let mut params = vec![
                ("image", image.clone()),
                ("allow_pull", "true".to_owned()),
                ("force_kill", "false".to_owned()),
                ("reuse", "false".to_owned()),
                ("run_opts", buf),
                ("mount_points", dbuf.join(",")),
            ];
            if child.is_some() {
                params.push((
                    "run_cmd",
                    container_command
                        .clone()
                        .unwrap_or_else(|| "/usr/sbin/pacemaker-remoted".into()),
                ));
            } else if let Some(c) = &container_command {
                params.push(("run_cmd", c.clone()));
            }
            params.push(("monitor_cmd", "/bin/true".into()));
            cspec.instance.push(gen_set(
                el,
                format!("{prefix}-attributes-{offset}"),
                &params,
            ));
            cspec.ops.push(gen_op(el, &cid, "monitor", "60s", None));
            let Some(container) = self.create_resource(&cspec, Some(r))? else {
                return Ok(false);
            };
            self.c.resources[r.i()].children.push(container);
            self.c.resources[container.i()].replica = Some(offset);

            // IP address.
            let mut ip_rsc = None;
            if let Some(ip) = &ipaddr {
                let iid = sanitize_id(&format!("{prefix}-ip-{ip}"));
                let mut ispec = gen_primitive(el, &iid, "heartbeat", "IPaddr2");
                let mut params = vec![("ip", ip.clone())];
                if let Some(n) = &host_network {
                    params.push(("nic", n.clone()));
                }
                params.push((
                    "cidr_netmask",
                    host_netmask.clone().unwrap_or_else(|| "32".into()),
                ));
                ispec.instance.push(gen_set(
                    el,
                    format!("{prefix}-attributes-{offset}"),
                    &params,
                ));
                ispec.ops.push(gen_op(el, &iid, "monitor", "60s", None));
                let Some(ir) = self.create_resource(&ispec, Some(r))? else {
                    return Ok(false);
                };
                self.c.resources[r.i()].children.push(ir);
                self.c.resources[ir.i()].replica = Some(offset);
                ip_rsc = Some(ir);
            }

            // Connection to the replica's pacemaker-remoted.
            let mut remote = None;
            let mut rnode = None;
            if let (Some(ch), true) = (child, valid_network) {
                let mut rid = format!("{prefix}-{offset}");
                if self.find_resource(&rid).is_some() {
                    let child_id = self.c.resources[ch.i()].id.clone();
                    rid = format!("pcmk-internal-{child_id}-remote-{offset}");
                }
                let port = control_port.clone().unwrap_or_else(|| "3121".into());
                let connect = ipaddr.clone().unwrap_or_else(|| "#uname".into());
                let cid_now = self.c.resources[container.i()].id.clone();
                let rspec = remote_spec(
                    el,
                    &rid,
                    Some(&cid_now),
                    None,
                    None,
                    None,
                    Some(&connect),
                    Some(&port),
                );
                let n = match self.find_node(&rid) {
                    Some(n) => {
                        self.c.nodes[n.i()].weight = crate::cib::Score::MINUS_INFINITY;
                        n
                    }
                    None => self.create_node(&rid, &rid, "remote", -crate::cib::score::INFINITY),
                };
                self.c.nodes[n.i()].discover_never = true;
                for t in self.c.top.clone() {
                    self.disallow_node(t, n);
                }
                {
                    let chr = &mut self.c.resources[ch.i()];
                    let table = Arc::make_mut(&mut chr.allowed_nodes);
                    table.clear();
                    table.insert(n, crate::cib::Score(500));
                }
                if let Some(cl) = self.c.resources[ch.i()].parent {
                    Arc::make_mut(&mut self.c.resources[cl.i()].allowed_nodes)
                        .insert(n, crate::cib::Score::MINUS_INFINITY);
                }
                let Some(rr) = self.create_resource(&rspec, Some(r))? else {
                    return Ok(false);
                };
                let remote_nodes: Vec<NodeIdx> = self.c.resources[rr.i()]
                    .allowed_nodes
                    .keys()
                    .copied()
                    .filter(|x| self.c.nodes[x.i()].kind != NodeKind::Member)
                    .collect();
                for x in remote_nodes {
                    Arc::make_mut(&mut self.c.resources[rr.i()].allowed_nodes)
                        .insert(x, crate::cib::Score::MINUS_INFINITY);
                }
                {
                    let node = &mut self.c.nodes[n.i()];
                    node.remote_rsc = Some(rr);
                    node.kind = NodeKind::Guest;
                    node.attrs.insert("#kind".into(), "container".into());
                }
                self.c.resources[rr.i()].container = Some(container);
                self.c.resources[rr.i()].replica = Some(offset);
                self.c.resources[r.i()].children.push(rr);
                remote = Some(rr);
                rnode = Some(n);
            }
            if let (Some(ch), Some(ip)) = (child, &ipaddr) {
                std::sync::Arc::make_mut(&mut self.c.resources[ch.i()].meta)
                    .entry("external-ip".into())
                    .or_insert_with(|| ip.clone());
            }
            if let Some(rr) = remote {
                self.c.resources[rr.i()].allow_remote_remotes = true;
            }
            if let Some(ch) = child {
                self.c.resources[ch.i()].replica = Some(offset);
                // Utilization belongs to the container, not the inner primitive.
                let u = std::mem::take(&mut self.c.resources[ch.i()].utilization);
                self.c.resources[container.i()].utilization = u;
            }
            data.replicas.push(Replica {
                offset,
                ipaddr,
                ip: ip_rsc,
                child,
                container,
                remote,
                node: rnode,
            });
        }
        if let Some(ci) = data.child {
            self.c.resources[r.i()].children.push(ci);
        }
        self.c.resources[r.i()].bundle = Some(data);
        Ok(true)
    }

    /// `disallow_node`: ban a bundle node from a resource tree.
    fn disallow_node(&mut self, r: RscIdx, n: NodeIdx) {
        if let Some(w) = Arc::make_mut(&mut self.c.resources[r.i()].allowed_nodes).get_mut(&n) {
            *w = crate::cib::Score::MINUS_INFINITY;
        }
        for c in self.c.resources[r.i()].children.clone() {
            self.disallow_node(c, n);
        }
    }
}

/// The next address of a bundle's IP range.
fn next_ip(last: &str) -> Option<String> {
    let parts: Vec<u32> = last
        .split('.')
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<Vec<u32>>>()?;
    let [o1, o2, mut o3, mut o4] = parts[..] else {
        return None;
    };
    if o3 > 253 {
        return None;
    } else if o4 > 253 {
        o3 += 1;
        o4 = 1;
    } else {
        o4 += 1;
    }
    Some(format!("{o1}.{o2}.{o3}.{o4}"))
}
