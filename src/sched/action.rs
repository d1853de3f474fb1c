//! Actions and the orderings between them: the scheduler's output before it
//! becomes a transition graph.
//!
//! Pacemaker keeps its action and ordering lists newest-first; ours are
//! vectors in creation order, and every walk that must match Pacemaker's
//! order says which way it goes.

use super::model::{NodeIdx, RscIdx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionId(pub u32);

impl ActionId {
    pub fn i(self) -> usize {
        self.0 as usize
    }
}

/// Action flags (Pacemaker's `pe_action_*`).
pub mod af {
    pub const PSEUDO: u32 = 0x00001;
    pub const RUNNABLE: u32 = 0x00002;
    pub const OPTIONAL: u32 = 0x00004;
    pub const PRINT_ALWAYS: u32 = 0x00008;
    pub const HAVE_NODE_ATTRS: u32 = 0x00010;
    pub const IMPLIED_BY_STONITH: u32 = 0x00040;
    pub const MIGRATE_RUNNABLE: u32 = 0x00080;
    pub const DUMPED: u32 = 0x00100;
    pub const PROCESSED: u32 = 0x00200;
    pub const DANGLE: u32 = 0x00800;
    pub const REQUIRES_ANY: u32 = 0x01000;
    pub const RESCHEDULE: u32 = 0x02000;
    pub const TRACKING: u32 = 0x04000;
    pub const DEDUP: u32 = 0x08000;
    pub const DC: u32 = 0x10000;
}

/// Ordering flags (Pacemaker's `pe_order_*`).
pub mod of {
    pub const NONE: u32 = 0x0;
    pub const OPTIONAL: u32 = 0x1;
    pub const APPLY_FIRST_NON_MIGRATABLE: u32 = 0x2;
    pub const IMPLIES_FIRST: u32 = 0x10;
    pub const IMPLIES_THEN: u32 = 0x20;
    pub const PROMOTED_IMPLIES_FIRST: u32 = 0x40;
    pub const IMPLIES_FIRST_MIGRATABLE: u32 = 0x80;
    pub const RUNNABLE_LEFT: u32 = 0x100;
    pub const PSEUDO_LEFT: u32 = 0x200;
    pub const IMPLIES_THEN_ON_NODE: u32 = 0x400;
    pub const PROBE: u32 = 0x800;
    pub const RESTART: u32 = 0x1000;
    pub const SERIALIZE_ONLY: u32 = 0x4000;
    pub const SAME_NODE: u32 = 0x8000;
    pub const IMPLIES_FIRST_PRINTED: u32 = 0x10000;
    pub const IMPLIES_THEN_PRINTED: u32 = 0x20000;
    pub const ASYMMETRICAL: u32 = 0x100000;
    pub const LOAD: u32 = 0x200000;
    pub const ONE_OR_MORE: u32 = 0x400000;
    pub const ANTI_COLOCATION: u32 = 0x800000;
    pub const PRESERVE: u32 = 0x1000000;
    pub const THEN_CANCELS_FIRST: u32 = 0x2000000;
}

/// What an action needs before it may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    Quorum,
    Fencing,
}

/// One edge between two actions, as seen from one of them.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub action: ActionId,
    pub kind: u32,
    /// Set when the edge went into the graph as a trigger.
    pub dumped: bool,
}

#[derive(Clone, Debug)]
pub struct Action {
    /// The transition graph id (creation order).
    pub id: i32,
    /// Operation key, e.g. `rsc1_start_0`, or a node action's name.
    pub uuid: String,
    pub task: String,
    pub rsc: Option<RscIdx>,
    pub node: Option<NodeIdx>,
    pub flags: u32,
    pub interval_ms: u64,
    pub needs: Needs,
    pub reason: Option<String>,
    /// Meta attributes for the graph (timeout, expected rc, stonith_action…).
    pub meta: super::meta::Meta,
    /// Inputs, in insertion order (Pacemaker walks them newest-first).
    pub before: Vec<Edge>,
    /// Outputs, in insertion order.
    pub after: Vec<Edge>,
    pub runnable_before: i32,
    pub required_runnable_before: i32,
}

impl Action {
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
    pub fn set(&mut self, f: u32) {
        self.flags |= f;
    }
    pub fn clear(&mut self, f: u32) {
        self.flags &= !f;
    }
    pub fn is_optional(&self) -> bool {
        self.has(af::OPTIONAL)
    }
    pub fn is_runnable(&self) -> bool {
        self.has(af::RUNNABLE)
    }
    pub fn is_pseudo(&self) -> bool {
        self.has(af::PSEUDO)
    }
}

/// An ordering between two actions, named or resolved (`pe__ordering_t`).
#[derive(Clone, Debug)]
pub struct Ordering {
    pub id: i32,
    pub flags: u32,
    pub first_rsc: Option<RscIdx>,
    pub first_action: Option<ActionId>,
    pub first_task: Option<String>,
    pub then_rsc: Option<RscIdx>,
    pub then_action: Option<ActionId>,
    pub then_task: Option<String>,
}

/// `RSC_TASK_INTERVAL`, the key Pacemaker names operations by.
pub fn op_key(rsc: &str, task: &str, interval_ms: u64) -> String {
    format!("{rsc}_{task}_{interval_ms}")
}

/// Whether `text2task` maps a task to an action of its own: "cancel",
/// "delete", migrations and anything unknown are `no_action`.
pub fn maps_to_action(task: &str) -> bool {
    matches!(
        task,
        "stop"
            | "stopped"
            | "start"
            | "running"
            | "do_shutdown"
            | "stonith"
            | "monitor"
            | "notify"
            | "notified"
            | "promote"
            | "promoted"
            | "demote"
            | "demoted"
    )
}

/// Split an operation key into resource id, task and interval. The
/// resource id may itself contain underscores, so parse from the right.
pub fn parse_op_key(key: &str) -> Option<(&str, &str, u64)> {
    let (rest, interval) = key.rsplit_once('_')?;
    let interval: u64 = interval.parse().ok()?;
    // Tasks that contain an underscore themselves.
    for task in [
        "migrate_to",
        "migrate_from",
        "clear_failcount",
        "lrm_delete",
        "cancel",
    ] {
        if let Some(r) = rest.strip_suffix(task) {
            if let Some(r) = r.strip_suffix('_') {
                return Some((r, task, interval));
            }
        }
    }
    // Notification keys: RSC_(pre|post)_notify_TASK
    if let Some(pos) = rest
        .find("_pre_notify_")
        .or_else(|| rest.find("_post_notify_"))
    {
        let (r, t) = rest.split_at(pos);
        return Some((r, &t[1..], interval));
    }
    if let Some(pos) = rest
        .find("_confirmed-pre_notify_")
        .or_else(|| rest.find("_confirmed-post_notify_"))
    {
        let (r, t) = rest.split_at(pos);
        return Some((r, &t[1..], interval));
    }
    let (rsc, task) = rest.rsplit_once('_')?;
    Some((rsc, task, interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_keys_round_trip() {
        assert_eq!(op_key("rsc1", "start", 0), "rsc1_start_0");
        assert_eq!(parse_op_key("rsc1_start_0"), Some(("rsc1", "start", 0)));
        assert_eq!(
            parse_op_key("my_rsc_monitor_10000"),
            Some(("my_rsc", "monitor", 10000))
        );
        assert_eq!(
            parse_op_key("vm_migrate_to_0"),
            Some(("vm", "migrate_to", 0))
        );
        assert_eq!(parse_op_key("junk"), None);
    }
}
