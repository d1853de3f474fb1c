//! Status unpacking: the CIB (configuration plus `<status>`) turned into
//! the scheduler's working model, as Pacemaker 2.1.5's `cluster_status()`
//! leaves it: cluster options, nodes and their state, the resource tree
//! with clone instances and bundle replicas, and each resource's state
//! derived from its operation history.
//!
//! The work is split by job: [`config`] (cluster options), [`nodes`]
//! (nodes, attributes, online status), [`resources`] (the resource tree),
//! [`history`] (operation history) and [`opfail`] (failure handling of
//! an operation's configuration).

mod config;
mod history;
mod nodes;
mod opfail;
mod resources;
mod rsc_index;
#[cfg(test)]
mod tests;

use super::error::Unsupported;
use super::model::*;
use crate::cib::rule::RuleContext;
use crate::cib::time::Instant;
use crate::cib::{Cib, NvSet, Score};
use std::collections::{BTreeMap, HashMap};

/// Unpack a CIB into the scheduler's model, evaluating rules and failure
/// timeouts at `now`.
pub fn unpack(cib: &Cib, now: Instant) -> Result<Cluster, Unsupported> {
    let mut u = Unpacker::new(cib, now);
    u.unpack_config();
    u.unpack_nodes();
    u.unpack_remote_nodes();
    u.unpack_resources()?;
    u.unpack_status();
    Ok(u.c)
}

/// Working state while unpacking.
pub(crate) struct Unpacker<'c> {
    pub(crate) cib: &'c Cib,
    pub(crate) now: Instant,
    pub(crate) c: Cluster,
    /// Resolved cluster properties (`config_hash`).
    pub(crate) config: BTreeMap<String, String>,
    pub(crate) enable_unfencing: bool,
    pub(crate) legacy_failcounts: bool,
    /// Health scores for red, yellow, green.
    pub(crate) health_scores: (i32, i32, i32),
    /// Guest connection resources to create after the configured ones:
    /// (remote node name, container id, meta pairs, instance pairs).
    pub(crate) guest_specs: Vec<resources::RscSpec>,
    /// Meta and instance attribute sets of each resource (by arena index),
    /// for children that inherit them.
    pub(crate) rsc_sets: Vec<(Vec<NvSet>, Vec<NvSet>)>,
    /// What each clone clones, for instances created while unpacking history.
    pub(crate) clone_child_specs: BTreeMap<RscIdx, resources::RscSpec>,
    /// Every history entry of the status section (xpath-style lookups),
    /// built on first use: only migrations need it.
    pub(crate) status_index: std::cell::OnceCell<Vec<history::StatusEntry<'c>>>,
    /// Each resource's `target-role` as history unpacking applies it,
    /// worked out on first use (once per resource, not per history entry).
    pub(crate) target_roles: Vec<Option<Option<crate::cib::Role>>>,
    /// Resources by id and history name (`find_resource_indexed`).
    pub(crate) rsc_index: std::cell::RefCell<rsc_index::RscIndex>,
    /// Nodes by lower-cased id and by lower-cased name (first created
    /// wins, as a scan from the start would find): lookups per node state
    /// and per history entry must not scan every node.
    pub(crate) node_ids: HashMap<String, NodeIdx>,
    pub(crate) node_names: HashMap<String, NodeIdx>,
    /// Positions in `unpack_actions` by resource and node, so that reusing
    /// or updating an implied action is not a scan over all of them.
    pub(crate) unpack_action_at: HashMap<(RscIdx, NodeIdx), Vec<usize>>,
    /// The last symmetric-default node table given to a primitive, with
    /// its score: primitives share it until one is changed (copy on write).
    pub(crate) default_table: Option<(
        i32,
        std::sync::Arc<crate::sched::nodemap::NodeMap<crate::cib::Score>>,
    )>,
}

impl<'c> Unpacker<'c> {
    fn new(cib: &'c Cib, now: Instant) -> Self {
        let options = ClusterOptions {
            schema_validation_disabled: cib
                .doc
                .root()
                .attr("validate-with")
                .is_some_and(|v| v.eq_ignore_ascii_case("none")),
            profile: cib.pacemaker,
            symmetric: true,
            stonith_enabled: true,
            stonith_action: "reboot".into(),
            startup_fencing: false,
            concurrent_fencing: false,
            priority_fencing_delay: 0,
            no_quorum_policy: NoQuorumPolicy::Stop,
            have_quorum: false,
            stop_orphan_resources: true,
            stop_orphan_actions: true,
            stop_all_resources: false,
            maintenance_mode: false,
            start_failure_is_fatal: true,
            startup_probes: true,
            placement_strategy: "default".into(),
            shutdown_lock: false,
            shutdown_lock_limit: 0,
            node_pending_timeout: 0,
            node_health_scores: (0, 0, 0),
            node_health_base: 0,
            node_health_strategy: "none".into(),
            default_stickiness: Score::ZERO,
            have_stonith_resource: false,
            enable_unfencing: false,
            cluster_recheck_interval: 0,
        };
        Unpacker {
            cib,
            now,
            c: Cluster {
                now,
                options,
                nodes: Vec::new(),
                resources: Vec::new(),
                top: Vec::new(),
                dc: None,
                tickets: BTreeMap::new(),
                failed_ops: Vec::new(),
                unpack_actions: Vec::new(),
                unpack_fencing: Vec::new(),
                expired_recurring: Vec::new(),
                param_checks: Vec::new(),
                stop_needed: Vec::new(),
                recheck_by: None,
            },
            config: BTreeMap::new(),
            enable_unfencing: false,
            legacy_failcounts: false,
            health_scores: (0, 0, 0),
            guest_specs: Vec::new(),
            rsc_sets: Vec::new(),
            clone_child_specs: BTreeMap::new(),
            status_index: Default::default(),
            unpack_action_at: HashMap::new(),
            rsc_index: Default::default(),
            node_ids: HashMap::new(),
            node_names: HashMap::new(),
            target_roles: Vec::new(),
            default_table: None,
        }
    }

    /// `pe_find_node`: by name, case-insensitively.
    pub(crate) fn find_node(&self, name: &str) -> Option<NodeIdx> {
        self.node_names.get(&name.to_ascii_lowercase()).copied()
    }

    /// `pe_find_node_any`: by id, then by name.
    pub(crate) fn find_node_any(&self, id: &str, name: &str) -> Option<NodeIdx> {
        self.node_ids
            .get(&id.to_ascii_lowercase())
            .copied()
            .or_else(|| self.find_node(name))
    }

    /// Node list in Pacemaker's order (sorted by name).
    pub(crate) fn node_list(&self) -> Vec<NodeIdx> {
        self.c.node_order()
    }
}

/// Merge name/value sets into `out` as `pe__unpack_dataset_nvpairs` does:
/// sets sorted by score (highest first, `first_id` before all), rules
/// evaluated; without `overwrite` the first value of a name wins, with it
/// the last; `#default` removes a value set so far.
pub(crate) fn unpack_nvsets(
    out: &mut BTreeMap<String, String>,
    sets: &[&NvSet],
    first_id: Option<&str>,
    overwrite: bool,
    ctx: &RuleContext<'_>,
) {
    // The one precedence lint reads options with too.
    for set in crate::cib::nvset::precedence(sets, first_id) {
        if let Some(rule) = &set.rule {
            if !rule.eval(ctx) {
                continue;
            }
        }
        for p in &set.pairs {
            let Some(v) = &p.value else { continue };
            if v.eq_ignore_ascii_case("#default") {
                out.remove(&p.name);
            } else if overwrite || !out.contains_key(&p.name) {
                out.insert(p.name.clone(), v.clone());
            }
        }
    }
}

/// Pacemaker's `crm_is_true`.
pub(crate) fn is_true(v: Option<&str>) -> bool {
    v.is_some_and(crate::cib::load::parse_bool)
}

/// A boolean Pacemaker recognises, or None for any other text.
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    crate::cib::load::is_bool(v).then(|| crate::cib::load::parse_bool(v))
}

/// `char2score`: [`crate::cib::score::parse_score`] with the configured
/// health scores (red, yellow, green); no value is 0.
pub(crate) fn char2score(v: Option<&str>, health: (i32, i32, i32)) -> i32 {
    let Some(v) = v else { return 0 };
    let health = crate::cib::score::HealthScores {
        red: Score(health.0),
        yellow: Score(health.1),
        green: Score(health.2),
    };
    crate::cib::score::parse_score(v, &health).score().0
}

/// The integer at the start of `s` (like `strtoll`), if any.
pub(crate) fn leading_int(s: &str) -> Option<i64> {
    crate::cib::score::leading_int(s).map(|(v, _)| v)
}

/// `crm_parse_interval_spec`: ISO 8601 duration or number with unit, in ms.
pub(crate) fn interval_spec_ms(v: Option<&str>) -> u64 {
    v.and_then(crate::cib::load::parse_interval_ms).unwrap_or(0)
}

/// Pacemaker's `g_list_sort`: a stable top-down merge sort whose exact
/// comparison sequence matters when the comparator is not a total order
/// (operation history sorting).
pub(crate) fn glib_sort<T: Clone>(v: &[T], cmp: &mut dyn FnMut(&T, &T) -> i32) -> Vec<T> {
    if v.len() <= 1 {
        return v.to_vec();
    }
    let mid = v.len() / 2;
    let a = glib_sort(&v[..mid], cmp);
    let b = glib_sort(&v[mid..], cmp);
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&a[i], &b[j]) <= 0 {
            out.push(a[i].clone());
            i += 1;
        } else {
            out.push(b[j].clone());
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
