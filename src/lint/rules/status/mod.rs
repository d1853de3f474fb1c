//! status rules: what the `<status>` section (operation history, transient
//! node attributes) and node attributes say about the cluster's state.

pub mod fail_count_threshold;
pub mod failed_operation;
pub mod node_maintenance;
pub mod node_standby;
pub mod scheduler_state;

use crate::cib::load::{parse_bool, parse_interval_ms};
use crate::cib::{NodeState, NvPair, ResourceId};
use crate::lint::Context;

/// The name a node state is known by: its uname, else the uname of the
/// configured node with its id, else its id.
pub(crate) fn node_state_name<'a>(cx: &Context<'a>, ns: &'a NodeState) -> &'a str {
    if let Some(u) = ns.uname.as_deref().filter(|u| !u.is_empty()) {
        return u;
    }
    cx.cib
        .nodes
        .iter()
        .find(|n| n.id == ns.id)
        .map(|n| n.uname.as_str())
        .unwrap_or(ns.id.as_str())
}

/// The configured resource an operation history or fail count names:
/// `rsc`, or a clone instance `rsc:N`.
pub(crate) fn resource_of(cx: &Context, name: &str) -> Option<ResourceId> {
    cx.cib.find_resource(name).or_else(|| {
        let (base, n) = name.rsplit_once(':')?;
        n.parse::<u32>().ok()?;
        cx.cib.find_resource(base)
    })
}

/// A resource's `failure-timeout` in seconds, when set and not zero.
pub(crate) fn failure_timeout_secs(cx: &Context, rsc: Option<ResourceId>) -> Option<i64> {
    let v = match rsc {
        Some(id) => cx.meta(id, "failure-timeout"),
        None => cx.cib.rsc_default("failure-timeout")?.value.as_deref(),
    }?;
    let ms = parse_interval_ms(v)?;
    (ms > 0).then_some((ms / 1000) as i64)
}

/// Where a node flag (`standby`, `maintenance`) is set and what it says.
pub(crate) struct NodeFlag<'a> {
    pub node: String,
    pub pair: &'a NvPair,
    /// From the status section's transient attributes (cleared on reboot).
    pub transient: bool,
}

impl NodeFlag<'_> {
    /// How long the flag lasts, for the message (" until it reboots" or
    /// nothing), and the `crm_attribute` option that names that lifetime.
    pub fn lifetime(&self) -> (&'static str, &'static str) {
        if self.transient {
            (" until it reboots", " --lifetime reboot")
        } else {
            ("", "")
        }
    }
}

/// For every node, the effective value of a boolean node attribute when it
/// is true: a transient attribute (status section) overrides the permanent
/// one (`<nodes>`), as Pacemaker merges them.
pub(crate) fn nodes_with_flag<'a>(cx: &Context<'a>, name: &str) -> Vec<NodeFlag<'a>> {
    let cib = cx.cib;
    let states: &'a [NodeState] = cib.status.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    let mut seen_states = Vec::new();
    for node in &cib.nodes {
        let state = states.iter().find(|s| s.id == node.id);
        let transient = state.and_then(|s| crate::cib::nvset::first_value(&s.transient, name));
        let permanent = crate::cib::nvset::first_value(&node.attrs, name);
        if let Some(s) = state {
            seen_states.push(s.elem);
        }
        let (pair, is_transient) = match (transient, permanent) {
            (Some(t), _) => (t, true),
            (None, Some(p)) => (p, false),
            (None, None) => continue,
        };
        if pair.value.as_deref().is_some_and(parse_bool) {
            out.push(NodeFlag {
                node: node.uname.clone(),
                pair,
                transient: is_transient,
            });
        }
    }
    // Node states of nodes not in <nodes> (e.g. remote nodes).
    for s in states.iter().filter(|s| !seen_states.contains(&s.elem)) {
        if let Some(pair) = crate::cib::nvset::first_value(&s.transient, name) {
            if pair.value.as_deref().is_some_and(parse_bool) {
                out.push(NodeFlag {
                    node: node_state_name(cx, s).to_owned(),
                    pair,
                    transient: true,
                });
            }
        }
    }
    out
}
