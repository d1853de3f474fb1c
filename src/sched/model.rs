//! The scheduler's working model of the cluster: nodes and resources as they
//! are now (unpacked from the CIB's status section), plus the scratch state
//! the scheduler stages fill in (scores, assignments, roles to reach).
//!
//! Resources form a tree in one arena: clones own their instances
//! (`rsc:0`, `rsc:1`, … for anonymous and unique clones alike), bundles own
//! their replicas' container, IP, connection and child resources.

use crate::cib::time::Instant;
use crate::cib::{ResourceId, Role, Score};
use crate::xml::ElemId;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RscIdx(pub u32);

/// A set of nodes, kept sorted: asked "is it in?" once per node and
/// resource, so a scan would make large clusters quadratic.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSet(Vec<NodeIdx>);

impl NodeSet {
    pub fn contains(&self, n: &NodeIdx) -> bool {
        self.0.binary_search(n).is_ok()
    }
    /// Add `n` (nothing when present).
    pub fn insert(&mut self, n: NodeIdx) {
        if let Err(at) = self.0.binary_search(&n) {
            self.0.insert(at, n);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = NodeIdx> + '_ {
        self.0.iter().copied()
    }
}

impl NodeIdx {
    pub fn i(self) -> usize {
        self.0 as usize
    }
}

impl RscIdx {
    pub fn i(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A full cluster member.
    Member,
    /// A Pacemaker Remote node reached through an `ocf:pacemaker:remote` resource.
    Remote,
    /// A guest node: a resource (VM, container) with `remote-node` meta, or a bundle replica.
    Guest,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    pub online: bool,
    pub standby: bool,
    pub standby_onfail: bool,
    pub pending: bool,
    pub unclean: bool,
    pub unseen: bool,
    pub shutdown: bool,
    pub expected_up: bool,
    pub is_dc: bool,
    pub maintenance: bool,
    pub rsc_discovery_enabled: bool,
    pub remote_requires_reset: bool,
    pub remote_was_fenced: bool,
    pub remote_maintenance: bool,
    /// Whether the node's status entry has been unpacked.
    pub unpacked: bool,
    /// The connection resource of a remote or guest node.
    pub remote_rsc: Option<RscIdx>,
    /// Resources active here, in unpack order.
    pub running: Vec<RscIdx>,
    /// Node attributes: configured, transient, and the built-in `#uname` etc.
    pub attrs: BTreeMap<String, String>,
    pub utilization: BTreeMap<String, String>,
    /// Base score every resource gets on this node (node `score`, health).
    pub weight: Score,
    /// Sum of the priorities of resources active here (priority fencing).
    pub priority: i32,
    /// `type="ping"`: never runs resources (kind stays `Member`).
    pub ping: bool,
    /// Node weight is final (offline or shutting down: -INFINITY).
    pub fixed: bool,
    /// `pe__node_health`: negative red, 0 yellow, positive fine.
    pub health: i32,
    /// Why the status section asked for this node to be fenced (the first
    /// reason wins, as with Pacemaker's fence action), and whether
    /// `priority-fencing-delay` applies.
    pub fence_reason: Option<String>,
    pub fence_priority_delay: bool,
    /// `rsc_discover_mode == never` on the node itself (bundle nodes).
    pub discover_never: bool,
}

impl Node {
    pub fn new(id: String, name: String, kind: NodeKind) -> Node {
        Node {
            id,
            name,
            kind,
            online: false,
            standby: false,
            standby_onfail: false,
            pending: false,
            unclean: false,
            unseen: false,
            shutdown: false,
            expected_up: false,
            is_dc: false,
            maintenance: false,
            rsc_discovery_enabled: true,
            remote_requires_reset: false,
            remote_was_fenced: false,
            remote_maintenance: false,
            unpacked: false,
            remote_rsc: None,
            running: Vec::new(),
            attrs: BTreeMap::new(),
            utilization: BTreeMap::new(),
            weight: Score::ZERO,
            priority: 0,
            ping: false,
            fixed: false,
            health: 1,
            fence_reason: None,
            fence_priority_delay: false,
            discover_never: false,
        }
    }

    pub fn is_remote_or_guest(&self) -> bool {
        self.kind != NodeKind::Member
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Primitive,
    Group,
    Clone,
    Bundle,
}

/// What to do when a resource is found active on more than one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultipleActive {
    StopStart,
    StopOnly,
    Block,
    StopUnexpected,
}

/// Response to a failed operation (`on-fail`), most severe last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OnFail {
    Ignore,
    Demote,
    Recover,
    RestartContainer,
    ResetRemote,
    Migrate,
    Block,
    Stop,
    Standby,
    Fence,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub id: String,
    /// The id under which history was recorded, when it differs (anonymous
    /// clone instances, orphans).
    pub clone_name: Option<String>,
    pub variant: Variant,
    /// The configuration this came from; `None` for orphans and implicit
    /// bundle resources.
    pub config: Option<ResourceId>,
    pub parent: Option<RscIdx>,
    pub children: Vec<RscIdx>,
    pub class: String,
    pub provider: Option<String>,
    pub agent: String,
    /// Resolved meta attributes (own, then inherited from parents, then
    /// rsc_defaults).
    /// Shared: the scheduler works on a copy of the cluster.
    pub meta: std::sync::Arc<BTreeMap<String, String>>,
    /// Resolved instance attributes.
    pub params: BTreeMap<String, String>,
    /// Its own `instance_attributes` sets (templates expanded), for
    /// evaluating the parameters on a node (`pe_rsc_params`).
    /// Shared: the scheduler works on a copy of the cluster.
    pub instance_sets: std::sync::Arc<Vec<crate::cib::nvset::NvSet>>,
    pub utilization: BTreeMap<String, String>,

    // Configuration derived from meta.
    pub priority: i32,
    pub stickiness: Score,
    pub migration_threshold: i32,
    /// Seconds; 0 = never expire.
    pub failure_timeout: i64,
    pub multiple_active: MultipleActive,
    pub target_role: Option<Role>,
    pub description: Option<String>,

    // Flags (Pacemaker's pe_rsc_* vocabulary).
    pub orphan: bool,
    pub managed: bool,
    pub blocked: bool,
    pub notify: bool,
    pub unique: bool,
    pub fence_device: bool,
    pub promotable: bool,
    pub provisional: bool,
    pub failed: bool,
    pub failure_ignored: bool,
    pub maintenance: bool,
    pub allow_migrate: bool,
    pub critical: bool,
    pub is_remote_node: bool,
    pub needs_quorum: bool,
    pub needs_fencing: bool,
    pub needs_unfencing: bool,
    pub start_pending: bool,
    pub stop_unexpected: bool,
    pub exclusive_discover: bool,

    // Runtime state.
    pub role: Role,
    pub next_role: Role,
    pub running_on: Vec<NodeIdx>,
    pub pending_task: Option<String>,
    pub pending_node: Option<NodeIdx>,
    pub partial_migration_source: Option<NodeIdx>,
    pub partial_migration_target: Option<NodeIdx>,
    pub dangling_migrations: Vec<NodeIdx>,
    /// Nodes where the resource's state is known (probed).
    pub known_on: NodeSet,
    pub lock_node: Option<NodeIdx>,
    pub lock_time: Option<Instant>,
    /// The container (guest VM or bundle container) this runs inside.
    pub container: Option<RscIdx>,
    pub fillers: Vec<RscIdx>,
    /// Node scores for placement, filled by the scheduler.
    pub allowed_nodes: super::nodemap::NodeMap<Score>,
    pub assigned_to: Option<NodeIdx>,
    /// For bundles and clones: clone-max, clone-node-max, promoted-max, …
    pub clone: Option<CloneSettings>,
    /// For bundle replicas: which replica this resource belongs to.
    pub replica: Option<u32>,

    /// `ID(rsc->xml)`: the configured id (no instance suffix for anonymous
    /// clone instances); what `rsc_printable_id` shows for them.
    pub xml_id: String,
    /// Operation definitions after template expansion, in Pacemaker's order.
    /// Shared: the scheduler works on a copy of the cluster.
    pub ops: std::sync::Arc<Vec<crate::cib::Op>>,
    /// `reconnect_interval` of a remote connection, in ms.
    pub remote_reconnect_ms: u64,
    /// `pe_rsc_stop`: a failure requires stopping the resource.
    pub stop: bool,
    /// `pe_rsc_is_container`: other resources name this one as container.
    pub is_container: bool,
    pub orphan_container_filler: bool,
    pub allow_remote_remotes: bool,
    /// `internal_rsc` meta (implicit guest connections): not displayed.
    pub internal: bool,
    /// Bundle-specific data (for `Variant::Bundle`).
    pub bundle: Option<BundleData>,
}

/// A bundle's replicas and container settings.
#[derive(Clone, Debug, Default)]
pub struct BundleData {
    pub image: String,
    pub nreplicas: u32,
    pub nreplicas_per_host: u32,
    pub promoted_max: u32,
    pub control_port: Option<String>,
    pub ip_range_start: Option<String>,
    /// The implicit clone wrapping the bundled primitive.
    pub child: Option<RscIdx>,
    pub replicas: Vec<Replica>,
}

#[derive(Clone, Debug)]
pub struct Replica {
    pub offset: u32,
    pub ipaddr: Option<String>,
    pub ip: Option<RscIdx>,
    /// The clone instance of the bundled primitive.
    pub child: Option<RscIdx>,
    pub container: RscIdx,
    pub remote: Option<RscIdx>,
    /// The guest node the replica's remote connection creates.
    pub node: Option<NodeIdx>,
}

#[derive(Clone, Debug, Default)]
pub struct CloneSettings {
    pub clone_max: u32,
    pub clone_node_max: u32,
    pub promoted_max: u32,
    pub promoted_node_max: u32,
    pub interleave: bool,
    pub ordered: bool,
    pub clone_min: u32,
}

impl Resource {
    pub fn new(id: String, variant: Variant) -> Resource {
        Resource {
            id,
            clone_name: None,
            variant,
            config: None,
            parent: None,
            children: Vec::new(),
            class: String::new(),
            provider: None,
            agent: String::new(),
            meta: Default::default(),
            params: BTreeMap::new(),
            utilization: BTreeMap::new(),
            priority: 0,
            stickiness: Score::ZERO,
            migration_threshold: crate::cib::score::INFINITY,
            failure_timeout: 0,
            multiple_active: MultipleActive::StopStart,
            target_role: None,
            description: None,
            orphan: false,
            managed: true,
            blocked: false,
            notify: false,
            unique: false,
            fence_device: false,
            promotable: false,
            provisional: true,
            failed: false,
            failure_ignored: false,
            maintenance: false,
            allow_migrate: false,
            critical: true,
            is_remote_node: false,
            needs_quorum: true,
            needs_fencing: false,
            needs_unfencing: false,
            start_pending: false,
            stop_unexpected: false,
            exclusive_discover: false,
            role: Role::Stopped,
            next_role: Role::Unknown,
            running_on: Vec::new(),
            pending_task: None,
            pending_node: None,
            partial_migration_source: None,
            partial_migration_target: None,
            dangling_migrations: Vec::new(),
            known_on: NodeSet::default(),
            lock_node: None,
            lock_time: None,
            container: None,
            fillers: Vec::new(),
            allowed_nodes: super::nodemap::NodeMap::new(),
            assigned_to: None,
            clone: None,
            replica: None,
            xml_id: String::new(),
            ops: Default::default(),
            instance_sets: Default::default(),
            remote_reconnect_ms: 0,
            stop: false,
            is_container: false,
            orphan_container_filler: false,
            allow_remote_remotes: false,
            internal: false,
            bundle: None,
        }
    }

    /// `class:provider:type` as crm_mon prints it.
    pub fn agent_spec(&self) -> String {
        match &self.provider {
            Some(p) => format!("{}:{}:{}", self.class, p, self.agent),
            None => format!("{}:{}", self.class, self.agent),
        }
    }

    /// The id without a clone instance suffix (`rsc:3` → `rsc`).
    pub fn base_id(&self) -> &str {
        match self.id.rsplit_once(':') {
            Some((base, n)) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => base,
            _ => &self.id,
        }
    }
}

/// `no-quorum-policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoQuorumPolicy {
    Stop,
    Freeze,
    Ignore,
    Demote,
    Suicide,
}

/// Cluster-wide options, resolved once.
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// The CIB says `validate-with="none"`.
    pub schema_validation_disabled: bool,
    /// The release whose decisions (and status display) are reproduced.
    pub profile: &'static crate::profile::Profile,
    pub symmetric: bool,
    pub stonith_enabled: bool,
    pub stonith_action: String,
    pub startup_fencing: bool,
    pub concurrent_fencing: bool,
    pub priority_fencing_delay: i64,
    pub no_quorum_policy: NoQuorumPolicy,
    pub have_quorum: bool,
    pub stop_orphan_resources: bool,
    pub stop_orphan_actions: bool,
    pub stop_all_resources: bool,
    pub maintenance_mode: bool,
    pub start_failure_is_fatal: bool,
    pub startup_probes: bool,
    pub placement_strategy: String,
    pub shutdown_lock: bool,
    pub shutdown_lock_limit: i64,
    /// `node-pending-timeout` in seconds (0: never fence pending nodes).
    pub node_pending_timeout: i64,
    pub node_health_strategy: String,
    /// Scores of the `red`, `yellow` and `green` health values, and the
    /// progressive strategy's base score.
    pub node_health_scores: (i32, i32, i32),
    pub node_health_base: i32,
    pub default_stickiness: Score,
    pub have_stonith_resource: bool,
    pub enable_unfencing: bool,
    pub cluster_recheck_interval: i64,
}

/// The whole working set.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub now: Instant,
    pub options: ClusterOptions,
    pub nodes: Vec<Node>,
    pub resources: Vec<Resource>,
    /// Top-level resources in configuration order (orphans appended).
    pub top: Vec<RscIdx>,
    pub dc: Option<NodeIdx>,
    pub tickets: BTreeMap<String, Ticket>,
    /// Failed operations found in history (for reporting).
    pub failed_ops: Vec<FailedOp>,
    /// Actions the status section already implies (Pacemaker creates them
    /// while unpacking), in creation order.
    pub unpack_actions: Vec<UnpackAction>,
    /// Nodes whose fencing unpacking scheduled (`pe_fence_op` from
    /// `pe_fence_node`), each with how many `unpack_actions` preceded it, so
    /// the fencing actions are created in Pacemaker's order.
    pub unpack_fencing: Vec<(usize, NodeIdx)>,
    /// Recurring operations in the history whose failure expired:
    /// Pacemaker forces their restart digest to `calculated-failure-timeout`
    /// so that they get rescheduled.
    pub expired_recurring: Vec<ElemId>,
    /// Last failures whose resource parameters must be compared (digests)
    /// to decide whether to clear the fail count (`pe__add_param_check` and
    /// `should_clear_for_param_change`; left to the scheduler).
    pub param_checks: Vec<ParamCheck>,
    /// Containers to stop once locations are known (failed bundle
    /// connections with on-fail=restart-container).
    pub stop_needed: Vec<RscIdx>,
    /// Earliest time a failure expires (`pe__update_recheck_time`).
    pub recheck_by: Option<i64>,
}

/// An action created while unpacking the status section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnpackAction {
    pub rsc: RscIdx,
    pub node: NodeIdx,
    pub kind: UnpackActionKind,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnpackActionKind {
    Stop,
    Demote,
    /// An active recurring operation (`process_recurring`), optional.
    Recurring {
        task: String,
        interval_ms: u64,
    },
    /// Clear the fail count; `after_fencing`: order after fencing of the
    /// remote node this connection resource is for.
    ClearFailcount {
        reason: String,
        after_fencing: bool,
    },
    /// `pe__clear_resource_history` (expired shutdown lock).
    LrmDelete,
}

#[derive(Clone, Debug)]
pub struct ParamCheck {
    pub rsc: RscIdx,
    pub node: NodeIdx,
    pub op: ElemId,
}

#[derive(Clone, Debug, Default)]
pub struct Ticket {
    pub id: String,
    pub granted: bool,
    pub standby: bool,
    pub last_granted: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct FailedOp {
    pub rsc: String,
    pub node: NodeIdx,
    pub task: String,
    pub interval_ms: u64,
    pub rc: i32,
    pub status: i32,
    /// The history entry's `id`, `operation_key` (or id) and `on_node`.
    pub id: String,
    pub key: String,
    pub on_node: Option<String>,
    pub elem: ElemId,
}

impl Cluster {
    pub fn node(&self, n: NodeIdx) -> &Node {
        &self.nodes[n.i()]
    }
    pub fn rsc(&self, r: RscIdx) -> &Resource {
        &self.resources[r.i()]
    }
    pub fn rsc_mut(&mut self, r: RscIdx) -> &mut Resource {
        &mut self.resources[r.i()]
    }
    pub fn node_by_name(&self, name: &str) -> Option<NodeIdx> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeIdx(i as u32))
    }
    pub fn find_rsc(&self, id: &str) -> Option<RscIdx> {
        self.resources
            .iter()
            .position(|r| r.id == id)
            .map(|i| RscIdx(i as u32))
    }
    /// `pe__find_active_on`: the node a resource counts as active on (the
    /// partial migration source; unless it needs fencing, the first clean
    /// node; else the first), with how many nodes it is active on and how
    /// many of those are clean.
    pub fn find_active_on(&self, r: RscIdx) -> (Option<NodeIdx>, usize, usize) {
        let rsc = self.rsc(r);
        let happy = |n: NodeIdx| {
            let nd = self.node(n);
            nd.online && !nd.unclean
        };
        let clean = rsc.running_on.iter().filter(|n| happy(**n)).count();
        let active = match rsc.partial_migration_source {
            Some(s) => rsc.running_on.iter().copied().find(|n| *n == s),
            None if !rsc.needs_fencing => rsc.running_on.iter().copied().find(|n| happy(*n)),
            None => None,
        }
        .or_else(|| rsc.running_on.first().copied());
        (active, rsc.running_on.len(), clean)
    }

    /// The top-level ancestor (`uber_parent`), stopping below a bundle:
    /// a bundle's inner clone and replica resources are their own tops.
    pub fn top_of(&self, mut r: RscIdx) -> RscIdx {
        while let Some(p) = self.rsc(r).parent {
            if self.rsc(p).variant == Variant::Bundle {
                break;
            }
            r = p;
        }
        r
    }

    /// `pe_rsc_is_bundled`: is `r` inside a bundle?
    pub fn is_bundled(&self, r: RscIdx) -> bool {
        let mut cur = self.rsc(r).parent;
        while let Some(p) = cur {
            if self.rsc(p).variant == Variant::Bundle {
                return true;
            }
            cur = self.rsc(p).parent;
        }
        false
    }
    /// Nodes in Pacemaker's list order: by name, digits compared as
    /// numbers, case-insensitively; creation order among equals.
    pub fn node_order(&self) -> Vec<NodeIdx> {
        let mut v: Vec<NodeIdx> = (0..self.nodes.len() as u32).map(NodeIdx).collect();
        v.sort_by(|a, b| cmp_node_names(&self.node(*a).name, &self.node(*b).name));
        v
    }
    /// Primitives at or below `r`, in tree order.
    pub fn primitives_under(&self, r: RscIdx) -> Vec<RscIdx> {
        let mut out = Vec::new();
        let mut stack = vec![r];
        while let Some(x) = stack.pop() {
            let res = self.rsc(x);
            if res.variant == Variant::Primitive {
                out.push(x);
            }
            stack.extend(res.children.iter().rev().copied());
        }
        out
    }
}

/// `pcmk__numeric_strcasecmp`: case-insensitive, runs of digits compared
/// by value (then by length, so "007" sorts after "7").
pub fn cmp_node_names(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let ei = i + a[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let ej = j + b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            // Compare values without overflow: strip leading zeros, then
            // longer is bigger, then lexically.
            let na = trim_zeros(&a[i..ei]);
            let nb = trim_zeros(&b[j..ej]);
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
            let ord = (ei - i).cmp(&(ej - j));
            if ord != Ordering::Equal {
                return ord;
            }
            i = ei;
            j = ej;
        } else {
            let ord = a[i].to_ascii_lowercase().cmp(&b[j].to_ascii_lowercase());
            if ord != Ordering::Equal {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).min(1).cmp(&(b.len() - j).min(1))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let z = d.iter().take_while(|c| **c == b'0').count();
    &d[z..]
}
