//! The "Full List of Resources": every top-level resource (inactive ones
//! too, except stopped orphans), primitives on one line each, groups,
//! clones and bundles as nested lists.

use super::state::{
    clone_child_id, current_node, current_role, displayable_role, failed_probe, flag_recursive,
    in_promotable, is_active, is_disabled, ocf_exit_text, printable_id, single_location,
    target_role_text,
};
use super::{LazyList, ListWriter};
use crate::cib::Role;
use crate::sched::model::{Cluster, NodeIdx, Replica, RscIdx, Variant};
use std::collections::BTreeMap;

/// Print the resource list, preceded by a blank line when `spacer`.
pub(super) fn resource_list(c: &Cluster, out: &mut ListWriter, spacer: bool) {
    let mut list = LazyList::new("Full List of Resources".to_string(), spacer);
    let mut printed_any = false;
    for &r in &c.top {
        // Deleted resources still in the status section are shown only
        // while active.
        if c.rsc(r).orphan && !is_active(c, r, true) {
            continue;
        }
        list.open(out);
        if print_resource(c, r, out) {
            printed_any = true;
        }
    }
    if !printed_any {
        list.open(out);
        out.item("No resources");
    }
    list.close(out);
}

/// Print one resource of any kind; true when anything was printed.
fn print_resource(c: &Cluster, r: RscIdx, out: &mut ListWriter) -> bool {
    match c.rsc(r).variant {
        Variant::Primitive => print_primitive(c, r, out),
        Variant::Group => print_group(c, r, out),
        Variant::Clone => print_clone(c, r, out),
        Variant::Bundle => print_bundle(c, r, out),
    }
}

fn print_primitive(c: &Cluster, r: RscIdx, out: &mut ListWriter) -> bool {
    let rsc = c.rsc(r);
    // A pending non-probe action places an inactive resource on its node.
    let node = current_node(c, r).or(rsc.pending_node);
    primitive_item(c, r, printable_id(c, r), node, out)
}

/// Print a primitive's line under the given name; internal resources
/// (implicit connections) are not shown.
fn primitive_item(
    c: &Cluster,
    r: RscIdx,
    name: &str,
    node: Option<NodeIdx>,
    out: &mut ListWriter,
) -> bool {
    if c.rsc(r).internal {
        return false;
    }
    out.item(&primitive_text(c, r, name, node, out.show_pending));
    true
}

/// `name\t(class:provider:type):\t state [node] [(flags)] [description] [nodes]`.
fn primitive_text(
    c: &Cluster,
    r: RscIdx,
    name: &str,
    node: Option<NodeIdx>,
    show_pending: bool,
) -> String {
    let rsc = c.rsc(r);
    let multiple = rsc.running_on.len() > 1;
    let node = if multiple {
        None
    } else {
        node.or(rsc.lock_node)
    };

    let mut s = String::with_capacity(128);
    s.push_str(name);
    s.push_str("\t(");
    s.push_str(&rsc.class);
    if rsc.class.eq_ignore_ascii_case("ocf") {
        if let Some(p) = &rsc.provider {
            s.push(':');
            s.push_str(p);
        }
    }
    s.push(':');
    s.push_str(&rsc.agent);
    s.push_str("):\t");

    if rsc.orphan {
        s.push_str(" ORPHANED");
    }
    let role = displayable_role(c, r);
    if rsc.failed {
        s.push_str(" FAILED");
        if role > Role::Unpromoted {
            s.push(' ');
            s.push_str(role.name());
        }
    } else {
        s.push(' ');
        let pending = rsc.pending_task.as_deref().filter(|_| show_pending);
        s.push_str(pending_state(pending).unwrap_or(role.name()));
    }
    if let Some(n) = node {
        s.push(' ');
        s.push_str(&c.node(n).name);
    }

    if role == Role::Stopped {
        if let Some(probe) = failed_probe(c, r, node) {
            s.push_str(" (");
            s.push_str(ocf_exit_text(probe.rc, c.options.profile));
            s.push_str(") ");
        }
    }

    let mut flags: Vec<String> = Vec::new();
    if let Some(n) = node {
        let nd = c.node(n);
        if !nd.online && nd.unclean {
            flags.push("UNCLEAN".into());
        }
        if rsc.lock_node == Some(n) {
            flags.push("LOCKED".into());
        }
    }
    if show_pending
        && rsc
            .pending_task
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("monitor"))
    {
        flags.push("Monitoring".into());
    }
    if let Some(target) = target_role_text(c, r) {
        match Role::from_text(target) {
            Role::Stopped => flags.push("disabled".into()),
            Role::Unpromoted if in_promotable(c, r) => flags.push(format!("target-role:{target}")),
            _ => {}
        }
    }
    if rsc.blocked {
        flags.push("blocked".into());
    } else if rsc.maintenance && c.options.profile.status_maintenance_flag {
        flags.push("maintenance".into());
    } else if !rsc.managed {
        flags.push("unmanaged".into());
    }
    if rsc.failure_ignored {
        flags.push("failure ignored".into());
    }
    if !flags.is_empty() {
        s.push_str(" (");
        s.push_str(&flags.join(", "));
        s.push(')');
    }

    if multiple {
        if let Some(desc) = &rsc.description {
            s.push(' ');
            s.push_str(desc);
        }
        s.push_str(" [");
        for n in &rsc.running_on {
            s.push(' ');
            s.push_str(&c.node(*n).name);
        }
        s.push_str(" ]");
    }
    s
}

/// The state shown instead of the role while an action is in flight.
fn pending_state(task: Option<&str>) -> Option<&'static str> {
    let t = task?.to_ascii_lowercase();
    Some(match t.as_str() {
        "start" => "Starting",
        "stop" => "Stopping",
        "migrate_to" | "migrate_from" => "Migrating",
        "promote" => "Promoting",
        "demote" => "Demoting",
        _ => return None,
    })
}

/// A collective header's `disabled` and `unmanaged`/`maintenance` words,
/// in the order the release prints them.
fn push_state_words(c: &Cluster, r: RscIdx, attrs: &mut Vec<&'static str>) {
    let disabled = is_disabled(c, r).then_some("disabled");
    if c.options.profile.status_maintenance_flag {
        attrs.extend(disabled);
        attrs.extend(unmanaged_word(c, r));
    } else {
        attrs.extend(unmanaged_word(c, r));
        attrs.extend(disabled);
    }
}

/// How a collective's header says it is not managed, if it is not.
fn unmanaged_word(c: &Cluster, r: RscIdx) -> Option<&'static str> {
    let rsc = c.rsc(r);
    if rsc.maintenance && c.options.profile.status_maintenance_flag {
        Some("maintenance")
    } else if !rsc.managed {
        Some("unmanaged")
    } else {
        None
    }
}

fn print_group(c: &Cluster, r: RscIdx, out: &mut ListWriter) -> bool {
    let rsc = c.rsc(r);
    let mut attrs: Vec<&str> = Vec::new();
    push_state_words(c, r, &mut attrs);
    let title = if attrs.is_empty() {
        format!("Resource Group: {}", rsc.id)
    } else {
        format!("Resource Group: {} ({})", rsc.id, attrs.join(", "))
    };
    let mut list = LazyList::new(title, false);
    for &ch in &rsc.children {
        list.open(out);
        print_resource(c, ch, out);
    }
    let printed = list.is_open();
    list.close(out);
    printed
}

fn clone_title(c: &Cluster, r: RscIdx) -> String {
    let rsc = c.rsc(r);
    let mut attrs: Vec<&str> = Vec::new();
    if rsc.promotable {
        attrs.push("promotable");
    }
    if rsc.unique {
        attrs.push("unique");
    }
    push_state_words(c, r, &mut attrs);
    let child = clone_child_id(c, r);
    if attrs.is_empty() {
        format!("Clone Set: {} [{child}]", rsc.id)
    } else {
        format!("Clone Set: {} [{child}] ({})", rsc.id, attrs.join(", "))
    }
}

/// The clone's configured target role (its own, else its first
/// instance's).
fn clone_configured_role(c: &Cluster, r: RscIdx) -> Role {
    let rsc = c.rsc(r);
    let text = target_role_text(c, r)
        .or_else(|| rsc.children.first().and_then(|ch| target_role_text(c, *ch)));
    text.map(Role::from_text).unwrap_or(Role::Unknown)
}

fn print_clone(c: &Cluster, r: RscIdx, out: &mut ListWriter) -> bool {
    let rsc = c.rsc(r);
    let mut list = LazyList::new(clone_title(c, r), false);
    // Instances summarised as stopped, keyed by instance id (anonymous
    // clones replace this with a per-node list below).
    let mut stopped: BTreeMap<String, String> = BTreeMap::new();
    let mut promoted: Vec<NodeIdx> = Vec::new();
    let mut started: Vec<NodeIdx> = Vec::new();

    for &ch in &rsc.children {
        let child = c.rsc(ch);
        let partially_active = is_active(c, ch, false);
        let mut print_full = false;
        if rsc.unique {
            // Unique instances are listed one by one, except stopped orphans.
            if partially_active || !rsc.orphan {
                print_full = true;
            }
        } else if out.show_pending && child.pending_task.as_deref().is_some_and(|t| t != "probe") {
            // An instance with an action in flight is shown on its own.
            print_full = true;
        } else if !partially_active {
            if !child.orphan {
                stopped.insert(child.id.clone(), "Stopped".to_string());
            }
        } else if flag_recursive(c, ch, &|x| x.orphan, true)
            || !flag_recursive(c, ch, &|x| x.managed, false)
            || flag_recursive(c, ch, &|x| x.failed, true)
        {
            print_full = true;
        } else if is_active(c, ch, true) {
            match single_location(c, ch) {
                Some(n) => {
                    let node = c.node(n);
                    if !node.online && node.unclean {
                        print_full = true;
                    } else if current_role(c, ch) > Role::Unpromoted {
                        promoted.push(n);
                    } else {
                        started.push(n);
                    }
                }
                // A group whose members run on different nodes.
                None => print_full = true,
            }
        } else {
            print_full = true;
        }

        if print_full {
            list.open(out);
            print_resource(c, ch, out);
        }
    }

    let mut active_instances = 0usize;
    let by_name = |a: &NodeIdx, b: &NodeIdx| {
        crate::sched::model::cmp_node_names(&c.node(*a).name, &c.node(*b).name)
    };
    promoted.sort_by(by_name);
    started.sort_by(by_name);
    if !promoted.is_empty() {
        active_instances += promoted.len();
        list.open(out);
        out.item(&format!("Promoted: [ {} ]", node_names(c, &promoted)));
    }
    if !started.is_empty() {
        active_instances += started.len();
        list.open(out);
        let names = node_names(c, &started);
        if rsc.promotable {
            if clone_configured_role(c, r) == Role::Unpromoted {
                out.item(&format!("Unpromoted (target-role): [ {names} ]"));
            } else {
                out.item(&format!("Unpromoted: [ {names} ]"));
            }
        } else {
            out.item(&format!("Started: [ {names} ]"));
        }
    }

    let clone_max = rsc.clone.as_ref().map(|s| s.clone_max).unwrap_or(0) as usize;
    if !rsc.unique && clone_max > active_instances {
        stopped = stopped_nodes(c, r);
    }
    if !stopped.is_empty() {
        list.open(out);
        let mut states: Vec<&String> = stopped.values().collect();
        states.sort();
        states.dedup();
        for state in states {
            let mut keys: Vec<&str> = stopped
                .iter()
                .filter(|(_, v)| *v == state)
                .map(|(k, _)| k.as_str())
                .collect();
            keys.sort_by(|a, b| crate::sched::model::cmp_node_names(a, b));
            out.item(&format!("{state}: [ {} ]", keys.join(" ")));
        }
    } else if active_instances == 0 {
        // A clone without any instance to show still gets its title.
        list.open(out);
    }

    let printed = list.is_open();
    list.close(out);
    printed
}

/// For anonymous clones: the nodes the clone may run on but does not, with
/// why it is stopped there.
fn stopped_nodes(c: &Cluster, r: RscIdx) -> BTreeMap<String, String> {
    let rsc = c.rsc(r);
    let mut candidates: Vec<NodeIdx> = if rsc.allowed_nodes.is_empty() {
        // Without a symmetric cluster, only nodes probed so far.
        rsc.known_on.iter().collect()
    } else {
        rsc.allowed_nodes.keys().copied().collect()
    };
    candidates
        .sort_by(|a, b| crate::sched::model::cmp_node_names(&c.node(*a).name, &c.node(*b).name));
    let disabled = clone_configured_role(c, r) == Role::Stopped;
    let mut stopped = BTreeMap::new();
    for n in candidates {
        if rsc.running_on.contains(&n) {
            continue;
        }
        let state = match failed_probe(c, r, Some(n)) {
            Some(probe) => format!("Stopped ({})", ocf_exit_text(probe.rc, c.options.profile)),
            None if disabled => "Stopped (disabled)".to_string(),
            None => "Stopped".to_string(),
        };
        stopped.insert(c.node(n).name.clone(), state);
    }
    stopped
}

fn node_names(c: &Cluster, nodes: &[NodeIdx]) -> String {
    nodes
        .iter()
        .map(|n| c.node(*n).name.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn print_bundle(c: &Cluster, r: RscIdx, out: &mut ListWriter) -> bool {
    let rsc = c.rsc(r);
    let Some(data) = rsc.bundle.as_ref() else {
        return false;
    };
    let title = format!(
        "Container bundle{}: {} [{}]{}{}",
        if data.nreplicas > 1 { " set" } else { "" },
        rsc.id,
        data.image,
        if rsc.unique { " (unique)" } else { "" },
        unmanaged_word(c, r).map_or(String::new(), |w| format!(" ({w})")),
    );
    let mut list = LazyList::new(title, false);
    for rep in &data.replicas {
        list.open(out);
        replica_item(c, rep, out);
    }
    let printed = list.is_open();
    list.close(out);
    printed
}

/// A replica on one line: named after its connection (or container) and
/// address, showing the state of the bundled resource (or container) on
/// the container's node.
fn replica_item(c: &Cluster, rep: &Replica, out: &mut ListWriter) {
    let shown = rep.child.unwrap_or(rep.container);
    let mut name = match rep.remote {
        Some(remote) => printable_id(c, remote).to_string(),
        None => printable_id(c, rep.container).to_string(),
    };
    if let Some(ip) = &rep.ipaddr {
        name.push_str(&format!(" ({ip})"));
    }
    let node = current_node(c, rep.container);
    primitive_item(c, shown, &name, node, out);
}
