//! Read-only questions about the unpacked model that the status lists ask:
//! is a resource (partly) active, where is it, which role to show.

use crate::cib::Role;
use crate::sched::model::{Cluster, FailedOp, NodeIdx, RscIdx, Variant};

/// Whether a resource is active: for collective resources with `all`, every
/// member must be; without, any one is enough.
pub(super) fn is_active(c: &Cluster, r: RscIdx, all: bool) -> bool {
    let rsc = c.rsc(r);
    match rsc.variant {
        Variant::Primitive => rsc.running_on.iter().any(|n| {
            let node = c.node(*n);
            // A resource on an offline (but clean) node counts only when
            // it is unmanaged: nobody will stop it there.
            node.unclean || node.online || !rsc.managed
        }),
        Variant::Group => {
            let mut any = false;
            let mut every = true;
            for ch in &rsc.children {
                if is_active(c, *ch, all) {
                    any = true;
                } else {
                    every = false;
                }
            }
            any && (!all || every)
        }
        Variant::Clone => {
            for ch in &rsc.children {
                let a = is_active(c, *ch, all);
                if !all && a {
                    return true;
                }
                if all && !a {
                    return false;
                }
            }
            all
        }
        Variant::Bundle => {
            let Some(data) = rsc.bundle.as_ref() else {
                return all;
            };
            for rep in &data.replicas {
                let members = [rep.ip, rep.child, Some(rep.container), rep.remote];
                for m in members.into_iter().flatten() {
                    let a = is_active(c, m, all);
                    if a && !all {
                        return true;
                    }
                    if !a && all {
                        return false;
                    }
                }
            }
            all
        }
    }
}

/// The nodes a resource (or any resource below it) runs on, without
/// repeats, in discovery order.
fn where_running(c: &Cluster, r: RscIdx, acc: &mut Vec<NodeIdx>) {
    let rsc = c.rsc(r);
    if rsc.children.is_empty() {
        for n in &rsc.running_on {
            if !acc.contains(n) {
                acc.push(*n);
            }
        }
    } else {
        for ch in &rsc.children {
            where_running(c, *ch, acc);
        }
    }
}

/// The one node a resource runs on, if it runs on exactly one.
pub(super) fn single_location(c: &Cluster, r: RscIdx) -> Option<NodeIdx> {
    let mut nodes = Vec::new();
    where_running(c, r, &mut nodes);
    match nodes.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The current role of a resource: for collective resources the highest
/// role among its members.
pub(super) fn current_role(c: &Cluster, r: RscIdx) -> Role {
    let rsc = c.rsc(r);
    match rsc.variant {
        Variant::Primitive => rsc.role,
        _ => rsc
            .children
            .iter()
            .map(|ch| current_role(c, *ch))
            .fold(Role::Unknown, Role::max),
    }
}

/// Whether `flag` holds for the resource or any resource below it (`any`),
/// or for the resource and every resource below it (not `any`).
pub(super) fn flag_recursive(
    c: &Cluster,
    r: RscIdx,
    flag: &dyn Fn(&crate::sched::model::Resource) -> bool,
    any: bool,
) -> bool {
    let rsc = c.rsc(r);
    if flag(rsc) {
        if any {
            return true;
        }
    } else if !any {
        return false;
    }
    for ch in &rsc.children {
        let f = flag_recursive(c, *ch, flag, any);
        if f && any {
            return true;
        }
        if !f && !any {
            return false;
        }
    }
    !any
}

/// The node a resource is considered to be on (`pe__current_node`).
pub(super) fn current_node(c: &Cluster, r: RscIdx) -> Option<NodeIdx> {
    c.current_node(r)
}

/// The configured `target-role` meta attribute, as written.
pub(super) fn target_role_text(c: &Cluster, r: RscIdx) -> Option<&str> {
    c.rsc(r).meta.get("target-role").map(String::as_str)
}

/// Whether the resource belongs to a promotable clone.
pub(super) fn in_promotable(c: &Cluster, r: RscIdx) -> bool {
    c.rsc(c.top_of(r)).promotable
}

/// Whether the target role keeps the resource from running fully: stopped,
/// or unpromoted within a promotable clone.
pub(super) fn is_disabled(c: &Cluster, r: RscIdx) -> bool {
    match target_role_text(c, r).map(Role::from_text) {
        Some(Role::Stopped) => true,
        Some(Role::Unpromoted) => in_promotable(c, r),
        _ => false,
    }
}

/// The role shown for a primitive: started instances of promotable clones
/// are shown as unpromoted.
pub(super) fn displayable_role(c: &Cluster, r: RscIdx) -> Role {
    let role = c.rsc(r).role;
    if role == Role::Started && in_promotable(c, r) {
        Role::Unpromoted
    } else {
        role
    }
}

/// The id printed for a resource: anonymous clone instances go by their
/// configured id.
pub(super) fn printable_id(c: &Cluster, r: RscIdx) -> &str {
    let rsc = c.rsc(r);
    if rsc.unique || rsc.xml_id.is_empty() {
        &rsc.id
    } else {
        &rsc.xml_id
    }
}

/// The id of the resource configured inside a clone.
pub(super) fn clone_child_id(c: &Cluster, clone: RscIdx) -> &str {
    match c.rsc(clone).children.first() {
        Some(ch) => printable_id_configured(c, *ch),
        None => "",
    }
}

fn printable_id_configured(c: &Cluster, r: RscIdx) -> &str {
    let rsc = c.rsc(r);
    if rsc.xml_id.is_empty() {
        rsc.base_id()
    } else {
        &rsc.xml_id
    }
}

const OCF_INVALID_PARAM: i32 = 2;
const OCF_NOT_INSTALLED: i32 = 5;
const EXEC_NOT_INSTALLED: i32 = 7;

/// The resource id part of an operation key (`rsc_task_interval`).
fn op_key_rsc(key: &str) -> Option<&str> {
    let (rest, interval) = key.rsplit_once('_')?;
    if interval.is_empty() || !interval.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (rsc, _task) = rest.rsplit_once('_')?;
    Some(rsc)
}

/// A failed probe that means the resource cannot run on a node (not
/// installed, invalid parameters), recorded for the resource (for clone
/// members: for the configured clone child) on `node`, or on any node.
pub(super) fn failed_probe(c: &Cluster, r: RscIdx, node: Option<NodeIdx>) -> Option<&FailedOp> {
    let rsc = c.rsc(r);
    let top = c.top_of(r);
    let id = if rsc.variant == Variant::Clone {
        clone_child_id(c, r)
    } else if c.rsc(top).variant == Variant::Clone {
        clone_child_id(c, top)
    } else {
        rsc.id.as_str()
    };
    c.failed_ops.iter().find(|f| {
        let probe = f.task == "monitor" && f.interval_ms == 0;
        let masked = f.rc == OCF_NOT_INSTALLED
            || f.rc == OCF_INVALID_PARAM
            || f.status == EXEC_NOT_INSTALLED;
        // Pacemaker matches the entry's own `on_node` (older histories
        // lack it: such a probe counts on no node).
        let on_node = match (&f.on_node, node) {
            (None, _) => false,
            (Some(on), Some(n)) => on.eq_ignore_ascii_case(&c.node(n).name),
            (Some(_), None) => true,
        };
        probe && masked && on_node && op_key_rsc(&f.key) == Some(id)
    })
}

/// How an OCF exit code is described.
pub(super) fn ocf_exit_text(rc: i32, profile: &crate::profile::Profile) -> &'static str {
    if profile.status_maintenance_flag {
        if let Some(text) = exit_status_text(rc) {
            return text;
        }
    }
    match rc {
        0 => "ok",
        1 => "error",
        2 => "invalid parameter",
        3 => "unimplemented feature",
        4 => "insufficient privileges",
        5 => "not installed",
        6 => "not configured",
        7 => "not running",
        8 => "promoted",
        9 => "promoted (failed)",
        190 => "OCF_DEGRADED",
        191 => "promoted (degraded)",
        194 => "interrupted by signal (DEPRECATED STATUS)",
        195 => "not supported (DEPRECATED STATUS)",
        196 => "pending (DEPRECATED STATUS)",
        197 => "cancelled (DEPRECATED STATUS)",
        198 => "timeout (DEPRECATED STATUS)",
        199 => "other error (DEPRECATED STATUS)",
        _ => "unknown",
    }
}

/// The exit-status texts 3.0.2 describes failed probes with, where they
/// differ from the OCF texts.
fn exit_status_text(rc: i32) -> Option<&'static str> {
    Some(match rc {
        0 => "OK",
        1 => "Error occurred",
        2 => "Invalid parameter",
        3 => "Unimplemented",
        4 => "Insufficient privileges",
        5 => "Not installed",
        6 => "Not configured",
        7 => "Not running",
        8 => "Promoted",
        9 => "Failed in promoted role",
        _ => return None,
    })
}
