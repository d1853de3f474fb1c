//! The typed CIB model. Every item keeps the [`ElemId`] of the XML element
//! it came from, so any finding can point at the exact source text.
//!
//! Loading is lenient, as Pacemaker is: problems that make part of the
//! configuration unusable (dangling references, duplicate ids, bad roles or
//! scores) are recorded as [`LoadIssue`]s next to a best-effort model.

pub mod load;
pub mod nvset;
pub mod options;
pub mod partial;
pub mod role;
pub mod rule;
pub mod schema;
pub mod score;
pub mod time;
pub mod upgrade;

use crate::xml::{Document, ElemId, Span, TextRef};
pub use load::{from_document, load, LoadError};
pub use nvset::{NvPair, NvSet};
pub use role::Role;
pub use rule::Rule;
pub use score::Score;
use std::collections::HashMap;
use std::sync::Arc;

/// A named source text (a file, or `-` for stdin).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

impl ResourceId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The whole CIB.
#[derive(Clone)]
pub struct Cib {
    pub source: SourceFile,
    pub doc: Document,
    /// `validate-with` on `<cib>`.
    pub validate_with: Option<String>,
    pub have_quorum: Option<bool>,
    pub dc_uuid: Option<String>,
    pub execution_date: Option<time::Instant>,
    pub crm_config: Vec<NvSet>,
    pub rsc_defaults: Vec<NvSet>,
    pub op_defaults: Vec<NvSet>,
    pub nodes: Vec<Node>,
    pub resources: Vec<Resource>,
    /// Top-level resources in document order.
    pub top_resources: Vec<ResourceId>,
    pub templates: Vec<Resource>,
    pub tags: Vec<Tag>,
    pub locations: Vec<Location>,
    pub colocations: Vec<Colocation>,
    pub orders: Vec<Order>,
    pub tickets: Vec<TicketConstraint>,
    pub fencing_levels: Vec<FencingLevel>,
    /// `None` when the CIB has no `<status>` section.
    pub status: Option<Vec<NodeState>>,
    /// Every element with an `id`, by id (first occurrence).
    pub ids: HashMap<String, ElemId>,
    pub resource_index: HashMap<String, ResourceId>,
    pub issues: Vec<LoadIssue>,
    /// What the in-memory schema upgrade rewrote before the model was
    /// built (nothing for a CIB written for a current schema).
    pub upgrade: upgrade::SchemaUpgrade,
    /// What the schema check found (nothing for a partial dump or a
    /// simulated state).
    pub schema: schema::SchemaCheck,
    /// Set when the file holds one section (`cibadmin --scope`), not a
    /// whole CIB.
    pub partial: Option<partial::PartialDump>,
    /// The Pacemaker release whose reading of the CIB is reproduced, and
    /// how it was chosen (`--pacemaker`, `dc-version`, default).
    pub pacemaker: &'static crate::profile::Profile,
    pub pacemaker_chosen: crate::profile::Chosen,
}

/// A problem found while building the model.
#[derive(Clone, Debug)]
pub struct LoadIssue {
    pub kind: IssueKind,
    pub message: String,
    pub span: Span,
    pub elem: Option<ElemId>,
    /// Secondary locations with labels (e.g. the first definition of an id).
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssueKind {
    /// A reference to an id (resource, node, tag, template, id-ref) that does not exist.
    DanglingReference,
    /// Two elements share an id.
    DuplicateId,
    /// A role name Pacemaker does not know.
    UnknownRole,
    /// A score that is not a number or INFINITY.
    InvalidScore,
    /// An attribute value outside its allowed set, or a required attribute missing.
    InvalidValue,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub uname: String,
    pub elem: ElemId,
    /// `member` (default), `remote`, `ping`.
    pub kind: String,
    pub attrs: Vec<NvSet>,
    pub utilization: Vec<NvSet>,
    pub score: Option<Score>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Variant {
    Primitive,
    Group,
    /// `<clone>` (promotable with `promotable=true`) or legacy `<master>`.
    Clone {
        promotable: bool,
        legacy_master: bool,
    },
    Bundle(Box<Bundle>),
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Bundle {
    /// docker, podman or rkt
    pub runtime: String,
    pub image: Option<String>,
    pub replicas: Option<String>,
    pub replicas_per_host: Option<String>,
    pub run_command: Option<String>,
    pub network_elem: Option<ElemId>,
    pub ip_range_start: Option<String>,
    pub control_port: Option<String>,
    pub host_interface: Option<String>,
    pub host_netmask: Option<String>,
    pub add_host: Option<String>,
    pub port_mappings: Vec<(Option<String>, Option<String>, Option<String>)>,
    pub storage_mappings: Vec<(String, String, String, Option<String>)>,
}

#[derive(Clone, Debug)]
pub struct Op {
    pub id: String,
    pub elem: ElemId,
    pub name: String,
    /// The interval as written.
    pub interval_text: String,
    pub interval_ms: u64,
    pub role: Option<Role>,
    pub timeout: Option<String>,
    pub on_fail: Option<String>,
    pub enabled: Option<bool>,
    pub requires: Option<String>,
    pub record_pending: Option<String>,
    pub start_delay: Option<String>,
    pub interval_origin: Option<String>,
    pub meta: Vec<NvSet>,
    pub instance: Vec<NvSet>,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub id: String,
    pub elem: ElemId,
    pub variant: Variant,
    pub parent: Option<ResourceId>,
    pub children: Vec<ResourceId>,
    pub class: Option<String>,
    pub provider: Option<String>,
    pub agent: Option<String>,
    /// `template=` this primitive was built from.
    pub template: Option<String>,
    pub meta: Vec<NvSet>,
    pub instance: Vec<NvSet>,
    pub utilization: Vec<NvSet>,
    pub ops: Vec<Op>,
    pub description: Option<String>,
}

impl Resource {
    pub fn is_primitive(&self) -> bool {
        self.variant == Variant::Primitive
    }
    pub fn is_group(&self) -> bool {
        self.variant == Variant::Group
    }
    pub fn is_clone(&self) -> bool {
        matches!(self.variant, Variant::Clone { .. })
    }
    pub fn is_promotable(&self) -> bool {
        matches!(
            self.variant,
            Variant::Clone {
                promotable: true,
                ..
            }
        )
    }
    pub fn is_bundle(&self) -> bool {
        matches!(self.variant, Variant::Bundle(_))
    }
    /// `class:provider:type` as crm_mon prints it.
    pub fn agent_spec(&self) -> String {
        match (&self.class, &self.provider, &self.agent) {
            (Some(c), Some(p), Some(t)) => format!("{c}:{p}:{t}"),
            (Some(c), None, Some(t)) => format!("{c}:{t}"),
            (_, _, Some(t)) => t.clone(),
            _ => String::new(),
        }
    }
    /// Static meta attribute (first in document order, rules ignored).
    pub fn meta_value(&self, name: &str) -> Option<&str> {
        nvset::first_value(&self.meta, name).and_then(|p| p.value.as_deref())
    }
    pub fn meta_pair(&self, name: &str) -> Option<&NvPair> {
        nvset::first_value(&self.meta, name)
    }
    pub fn param_value(&self, name: &str) -> Option<&str> {
        nvset::first_value(&self.instance, name).and_then(|p| p.value.as_deref())
    }
    pub fn param_pair(&self, name: &str) -> Option<&NvPair> {
        nvset::first_value(&self.instance, name)
    }
    pub fn kind_name(&self) -> &'static str {
        match self.variant {
            Variant::Primitive => "primitive",
            Variant::Group => "group",
            Variant::Clone {
                legacy_master: true,
                ..
            } => "master",
            Variant::Clone {
                promotable: true, ..
            } => "promotable clone",
            Variant::Clone { .. } => "clone",
            Variant::Bundle(_) => "bundle",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Tag {
    pub id: String,
    pub elem: ElemId,
    pub refs: Vec<(String, ElemId)>,
}

/// A constraint's score: a fixed value or one read from a node attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoreSpec {
    Value(Score),
    Attribute(String),
}

#[derive(Clone, Debug)]
pub struct SetMember {
    pub id: String,
    pub elem: ElemId,
}

#[derive(Clone, Debug)]
pub struct ResourceSet {
    pub id: String,
    pub elem: ElemId,
    pub members: Vec<SetMember>,
    pub sequential: Option<bool>,
    pub require_all: Option<bool>,
    pub action: Option<String>,
    pub role: Option<Role>,
    pub score: Option<Score>,
    pub kind: Option<String>,
    pub ordering: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Location {
    pub id: String,
    pub elem: ElemId,
    pub rsc: Option<String>,
    pub rsc_pattern: Option<String>,
    pub node: Option<String>,
    pub score: Option<ScoreSpec>,
    pub role: Option<Role>,
    pub resource_discovery: Option<String>,
    pub rules: Vec<Rule>,
    pub sets: Vec<ResourceSet>,
}

#[derive(Clone, Debug)]
pub struct Colocation {
    pub id: String,
    pub elem: ElemId,
    pub rsc: Option<String>,
    pub with_rsc: Option<String>,
    pub rsc_role: Option<Role>,
    pub with_rsc_role: Option<Role>,
    pub score: Option<ScoreSpec>,
    pub node_attribute: Option<String>,
    pub influence: Option<bool>,
    pub sets: Vec<ResourceSet>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    Mandatory,
    Optional,
    Serialize,
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: String,
    pub elem: ElemId,
    pub first: Option<String>,
    pub then: Option<String>,
    pub first_action: Option<String>,
    pub then_action: Option<String>,
    pub kind: Option<OrderKind>,
    pub score: Option<Score>,
    pub symmetrical: Option<bool>,
    pub require_all: Option<bool>,
    pub sets: Vec<ResourceSet>,
}

impl Order {
    /// Whether the ordering is mandatory, as Pacemaker reads kind and score.
    pub fn is_mandatory(&self) -> bool {
        match (self.kind, self.score) {
            (Some(k), _) => k == OrderKind::Mandatory,
            (None, Some(s)) => s.0 > 0,
            (None, None) => true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct TicketConstraint {
    pub id: String,
    pub elem: ElemId,
    pub rsc: Option<String>,
    pub rsc_role: Option<Role>,
    pub ticket: Option<String>,
    pub loss_policy: Option<String>,
    pub sets: Vec<ResourceSet>,
}

#[derive(Clone, Debug)]
pub struct FencingLevel {
    pub id: String,
    pub elem: ElemId,
    pub target: Option<String>,
    pub index: Option<u32>,
    pub devices: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct NodeState {
    pub id: String,
    pub uname: Option<String>,
    pub elem: ElemId,
    pub in_ccm: Option<String>,
    pub crmd: Option<String>,
    pub join: Option<String>,
    pub expected: Option<String>,
    pub transient: Vec<NvSet>,
    pub lrm: Vec<LrmResource>,
}

/// One `lrm_resource`. Strings are the document's, read with
/// [`Document::text`]: a status section is most of a large CIB, so its
/// model refers to the text instead of copying it.
#[derive(Clone, Debug)]
pub struct LrmResource {
    pub id: TextRef,
    pub elem: ElemId,
    pub ops: Vec<LrmOp>,
}

impl LrmResource {
    pub fn class<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("class")
    }
    pub fn provider<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("provider")
    }
    /// The `type` attribute.
    pub fn agent<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("type")
    }
    pub fn container<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("container")
    }
}

/// One `lrm_rsc_op`: the numbers, read once; its other attributes are read
/// from the document when asked for (see the accessors).
#[derive(Clone, Debug)]
pub struct LrmOp {
    pub id: TextRef,
    pub elem: ElemId,
    pub operation: TextRef,
    pub call_id: i64,
    pub rc_code: i32,
    pub op_status: i32,
    pub interval_ms: u64,
    pub last_rc_change: Option<i64>,
}

impl LrmOp {
    pub fn op_digest<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("op-digest")
    }
    pub fn transition_key<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("transition-key")
    }
    pub fn transition_magic<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("transition-magic")
    }
    pub fn on_node<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("on_node")
    }
    pub fn migrate_source<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("migrate_source")
    }
    pub fn migrate_target<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("migrate_target")
    }
    pub fn exit_reason<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.get(self.elem).attr("exit-reason")
    }
}

/// Free a loaded model. A large CIB is millions of small allocations whose
/// release costs about as much as a quarter of the lint itself; it is done
/// on a detached thread so that the caller (rendering the findings, or the
/// next file) does not wait for it. Small models are freed in place.
pub fn dispose(model: Cib) {
    const LARGE: usize = 100_000;
    if model.doc.len() < LARGE {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("cibcheck-free".into())
        .spawn(move || drop(model));
    // Without a thread the model was moved into the failed closure and is
    // freed with it, here.
    drop(spawned);
}

impl Cib {
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.index()]
    }
    pub fn find_resource(&self, id: &str) -> Option<ResourceId> {
        self.resource_index.get(id).copied()
    }
    pub fn node_by_uname(&self, uname: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.uname == uname)
    }
    /// A simulated state of `original` is read as the original was (the
    /// same release profile; the upgrade was applied to its document).
    pub fn keep_reading_of(&mut self, original: &Cib) {
        self.pacemaker = original.pacemaker;
        self.pacemaker_chosen = original.pacemaker_chosen;
    }
    // Cluster options: `Cib::cluster_option_at` (options.rs), the one way
    // lint and the scheduler read them.

    pub fn rsc_default(&self, name: &str) -> Option<&NvPair> {
        nvset::first_value(&self.rsc_defaults, name)
    }
    pub fn span_of(&self, elem: ElemId) -> Span {
        self.doc.get(elem).tag_span
    }
    pub fn attr_span(&self, elem: ElemId, attr: &str) -> Span {
        self.doc.get(elem).attr_span(attr)
    }
    /// Ancestors of a resource, nearest first.
    pub fn ancestors(&self, id: ResourceId) -> Vec<ResourceId> {
        let mut out = Vec::new();
        let mut cur = self.resource(id).parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.resource(p).parent;
        }
        out
    }
    /// The top-level resource containing `id` (itself when top-level).
    pub fn top_of(&self, id: ResourceId) -> ResourceId {
        self.ancestors(id).last().copied().unwrap_or(id)
    }
    /// All primitives at or below `id`.
    pub fn primitives_under(&self, id: ResourceId) -> Vec<ResourceId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(r) = stack.pop() {
            let res = self.resource(r);
            if res.is_primitive() {
                out.push(r);
            }
            stack.extend(res.children.iter().rev().copied());
        }
        out
    }
}
