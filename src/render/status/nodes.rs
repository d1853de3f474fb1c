//! The "Node List": nodes in a plain state are summarised by kind on one
//! line each (`Online: [ … ]`, `OFFLINE: [ … ]`, `RemoteOnline: …`); nodes
//! that need attention are listed one per line with their state.

use super::{LazyList, ListWriter};
use crate::sched::model::{Cluster, Node, NodeKind};

/// Print the node list; true when anything was printed.
pub(super) fn node_list(c: &Cluster, out: &mut ListWriter) -> bool {
    let mut list = LazyList::new("Node List".to_string(), false);
    let mut online: Vec<&str> = Vec::new();
    let mut offline: Vec<&str> = Vec::new();
    let mut remote_online: Vec<&str> = Vec::new();
    let mut remote_offline: Vec<&str> = Vec::new();
    let mut guest_online: Vec<&str> = Vec::new();

    for n in c.node_order() {
        let node = c.node(n);
        list.open(out);
        if shown_individually(node) {
            out.item(&node_line(node));
        } else if node.online {
            match node.kind {
                NodeKind::Guest => guest_online.push(&node.name),
                NodeKind::Remote => remote_online.push(&node.name),
                NodeKind::Member => online.push(&node.name),
            }
        } else {
            match node.kind {
                NodeKind::Remote => remote_offline.push(&node.name),
                // Offline guest nodes are not worth mentioning.
                NodeKind::Guest => {}
                NodeKind::Member => offline.push(&node.name),
            }
        }
    }

    for (label, names) in [
        ("Online", &online),
        ("OFFLINE", &offline),
        ("RemoteOnline", &remote_online),
        ("RemoteOFFLINE", &remote_offline),
        ("GuestOnline", &guest_online),
    ] {
        if !names.is_empty() {
            out.named_item(label, &format!("[ {} ]", names.join(" ")));
        }
    }
    let printed = list.is_open();
    list.close(out);
    printed
}

/// Whether a node's state is unusual enough to get its own line.
fn shown_individually(node: &Node) -> bool {
    node.unclean
        || node.pending
        || (node.standby_onfail && node.online)
        || node.standby
        || node.maintenance
        || node.health <= 0
}

fn node_line(node: &Node) -> String {
    let kind = match node.kind {
        NodeKind::Guest => "GuestNode",
        NodeKind::Remote => "RemoteNode",
        NodeKind::Member => "Node",
    };
    let mut line = format!("{kind} {}: {}", node.name, node_state(node));
    if node.health < 0 {
        line.push_str(" (health is RED)");
    } else if node.health == 0 {
        line.push_str(" (health is YELLOW)");
    }
    line
}

/// The state word(s) shown for a node listed on its own.
fn node_state(node: &Node) -> &'static str {
    if node.unclean {
        if node.online {
            "UNCLEAN (online)"
        } else if node.pending {
            "UNCLEAN (pending)"
        } else {
            "UNCLEAN (offline)"
        }
    } else if node.pending {
        "pending"
    } else if node.standby_onfail && node.online {
        "standby (on-fail)"
    } else if node.standby {
        match (node.online, node.running.is_empty()) {
            (true, false) => "standby (with active resources)",
            (true, true) => "standby",
            (false, _) => "OFFLINE (standby)",
        }
    } else if node.maintenance {
        if node.online {
            "maintenance"
        } else {
            "OFFLINE (maintenance)"
        }
    } else if node.online {
        "online"
    } else {
        "OFFLINE"
    }
}
