//! Status findings read from the scheduler's own unpacking and scheduling
//! of the CIB (what `crm_verify` warns of while it runs the scheduler):
//! ST005 to ST011. Each decision is the scheduler's; these rules only
//! word it.

use crate::lint::{Context, Emitter};
use crate::sched::model::{Cluster, NodeKind, Variant};
use crate::xml::Span;
use std::collections::BTreeMap;

/// Could the status section hold anything these rules report? A cheap,
/// conservative look (it may say yes when there is nothing) so that the
/// scheduler's unpacking, a large share of linting a big CIB, runs only
/// when it can find something: no quorum, a node that is not a cleanly
/// joined member or is asked to terminate, a configured node never seen, a ticket whose loss fences, the state of an unknown node, history of a resource
/// that is not configured, or one configured outside any clone that may
/// be active on two nodes, or any failed operation. The findings themselves are the scheduler's.
fn worth_unpacking(cx: &Context) -> bool {
    let cib = cx.cib;
    // A configuration export (`<status/>`, no node state) says nothing
    // about the cluster's state.
    let Some(states) = cib.status.as_deref().filter(|s| !s.is_empty()) else {
        return false;
    };
    let doc = &cib.doc;
    if quorum_lost(cx) {
        return true;
    }
    // A lost ticket with `loss-policy=fence` fences nodes.
    if cib.tickets.iter().any(|t| {
        t.loss_policy
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("fence"))
    }) {
        return true;
    }
    // A configured node never seen is fenced at start-up (or trusted to be
    // down, ST005).
    if cib
        .nodes
        .iter()
        .any(|n| !states.iter().any(|s| s.id == n.id))
    {
        return true;
    }
    let mut active_on: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for s in states {
        let steady = s.in_ccm.as_deref() == Some("true")
            && s.crmd.as_deref() == Some("online")
            && s.join.as_deref() == Some("member")
            && s.expected.as_deref() == Some("member");
        if !steady || !cib.nodes.iter().any(|n| n.id == s.id) {
            return true;
        }
        // A requested termination makes the scheduler fence the node.
        let terminate = crate::cib::nvset::first_value(&s.transient, "terminate")
            .and_then(|p| p.value.as_deref())
            .is_some_and(|v| v != "0" && !v.eq_ignore_ascii_case("false"));
        if terminate {
            return true;
        }
        for lrm in &s.lrm {
            let id = doc.text(lrm.id);
            let Some(rsc) = super::resource_of(cx, id) else {
                return true;
            };
            // A collective's instances share the id unless it names the
            // instance (`rsc:N`, as unique clones do).
            let in_collective = !id.contains(':')
                && cib.ancestors(rsc).into_iter().any(|a| {
                    let r = cib.resource(a);
                    r.is_clone() || r.is_bundle()
                });
            // A failure may make the scheduler fence the node or recover
            // elsewhere: anything but success, a probe finding it stopped or
            // a promoted result.
            let failed = lrm.ops.iter().any(|o| {
                let probe = o.interval_ms == 0 && doc.text(o.operation) == "monitor";
                o.op_status != 0 || !(o.rc_code == 0 || o.rc_code == 8 || (o.rc_code == 7 && probe))
            });
            if failed {
                return true;
            }
            // The newest entry says whether it may be active: anything but
            // a stop that succeeded or a probe that found it stopped.
            let newest = lrm.ops.iter().max_by_key(|o| o.call_id);
            let maybe_active = newest.is_some_and(|o| {
                let op = doc.text(o.operation);
                !((op == "stop" && o.rc_code == 0)
                    || (op == "monitor" && o.interval_ms == 0 && o.rc_code == 7))
            });
            if maybe_active && !in_collective {
                let n = active_on.entry(id).or_default();
                *n += 1;
                if *n > 1 {
                    return true;
                }
            }
        }
    }
    false
}

/// The CIB says the cluster has no quorum: `have-quorum` present and
/// false (an export without it says nothing).
fn quorum_lost(cx: &Context) -> bool {
    cx.cib
        .doc
        .root()
        .attr("have-quorum")
        .is_some_and(|q| !crate::cib::load::parse_bool(q) && q != "1")
}

/// The scheduler's unpacking of the status section, when worth it.
fn unpacked<'c>(cx: &'c Context) -> Option<&'c Cluster> {
    if worth_unpacking(cx) {
        cx.unpacked()
    } else {
        None
    }
}

/// Where a finding about a node points: its `node_state`, else its
/// configured `<node>`, else nowhere in particular.
fn node_span(cx: &Context, name: &str) -> Span {
    let cib = cx.cib;
    let state = cib.status.iter().flatten().find(|s| {
        s.uname.as_deref() == Some(name)
            || s.id == name
            || cib.nodes.iter().any(|n| n.uname == name && n.id == s.id)
    });
    if let Some(s) = state {
        return cx.span(s.elem);
    }
    cib.nodes
        .iter()
        .find(|n| n.uname == name || n.id == name)
        .map(|n| cx.span(n.elem))
        .unwrap_or_default()
}

/// Where a finding about a resource (possibly a clone instance) points.
fn rsc_span(cx: &Context, c: &Cluster, idx: crate::sched::model::RscIdx) -> Span {
    c.rsc(idx)
        .config
        .map(|cfg| cx.span(cx.cib.resource(cfg).elem))
        .unwrap_or_default()
}

/// Is any node in a state that makes scheduling worth running for the
/// findings only it reveals (offline with resources, pending, unclean)?
fn needs_scheduling(c: &Cluster) -> bool {
    c.nodes.iter().any(|n| {
        n.pending || n.unclean || n.remote_requires_reset || (!n.online && !n.running.is_empty())
    }) || c.resources.iter().any(|r| r.running_on.len() > 1)
}

/// ST005 `startup-fencing-disabled`.
pub fn startup_fencing(cx: &Context, em: &mut Emitter) {
    // Without fencing the option is not read (FE001 says so).
    let fencing = cx
        .release_option("stonith-enabled")
        .and_then(|p| p.value.as_deref())
        .is_none_or(crate::cib::load::parse_bool);
    if !fencing {
        return;
    }
    let Some(pair) = cx.cluster_option("startup-fencing") else {
        return;
    };
    if pair
        .value
        .as_deref()
        .is_none_or(crate::cib::load::parse_bool)
    {
        return;
    }
    let d = em
        .diag(
            cx.attr_span(pair.elem, "value"),
            format!(
                "`startup-fencing=false` (<nvpair> `{}`): nodes the cluster has never seen are assumed down without fencing",
                cx.elem_id(pair.elem)
            ),
        )
        .label("unseen nodes are trusted to be down")
        .help(
            "remove the option (`crm_attribute --type crm_config --name startup-fencing --delete`, \
             `pcs property unset startup-fencing`): a node that was not seen since the cluster \
             started may still run resources",
        )
        .element(cx.elem_id(pair.elem));
    em.push(d);
}

/// ST006 `unrunnable-action`.
pub fn unrunnable_action(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    if !needs_scheduling(c) {
        return;
    }
    let Some(f) = cx.scheduled() else { return };
    // One finding per resource and node, listing the actions.
    let mut by: BTreeMap<(&str, &str, bool), Vec<&str>> = BTreeMap::new();
    let mut config = BTreeMap::new();
    for a in &f.unrunnable {
        let tasks = by
            .entry((a.rsc.as_str(), a.node.as_str(), a.pending))
            .or_default();
        if !tasks.contains(&a.task.as_str()) {
            tasks.push(a.task.as_str());
        }
        config.insert(a.rsc.as_str(), a.config);
    }
    for ((rsc, node, pending), tasks) in by {
        let span = config
            .get(rsc)
            .copied()
            .flatten()
            .map(|cfg| cx.span(cx.cib.resource(cfg).elem))
            .unwrap_or_else(|| node_span(cx, node));
        let why = if pending {
            "is pending (joining the cluster)"
        } else {
            "is offline"
        };
        let help = if pending {
            format!(
                "wait for `{node}` to finish joining, or find out why it does not \
                 (`crm_mon`, the node's pacemaker log)"
            )
        } else {
            format!(
                "bring `{node}` back, or fence it (`stonith_admin --fence {node}`, \
                 `pcs stonith fence {node}`) so that the cluster can recover `{rsc}` elsewhere"
            )
        };
        let d = em
            .diag(
                span,
                format!(
                    "{} of `{rsc}` on `{node}` cannot run: the node {why}",
                    tasks.join(", ")
                ),
            )
            .label("actions that cannot run")
            .help(help)
            .element(format!("{rsc}/{node}"));
        em.push(d);
    }
}

/// ST007 `node-unclean`.
pub fn node_unclean(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    let scheduled = if needs_scheduling(c) {
        cx.scheduled()
    } else {
        None
    };
    let mut done: Vec<&str> = Vec::new();
    let push = |name: &str, message: String, help: String, em: &mut Emitter| {
        let d = em
            .diag(node_span(cx, name), message)
            .label("node state")
            .help(help)
            .element(name.to_owned());
        em.push(d);
    };
    if let Some(f) = scheduled {
        for (name, reason) in &f.fenced {
            let why = reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            push(
                name,
                format!("node `{name}` will be fenced{why}"),
                format!(
                    "find out why (`crm_mon`, the cluster logs); once the cause is fixed and the node \
                     rebooted, it rejoins; `stonith_history {name}` shows past fencing"
                ),
                em,
            );
            done.push(name);
        }
        for name in &f.unfenceable {
            push(
                name,
                format!("node `{name}` is unclean but cannot be fenced: its resources cannot be recovered"),
                format!(
                    "configure and enable fencing, or, after making sure `{name}` is really off, \
                     confirm it by hand (`stonith_admin --confirm {name}`, `pcs stonith confirm {name}`)"
                ),
                em,
            );
            done.push(name);
        }
    }
    for n in &c.nodes {
        if !n.unclean || done.contains(&n.name.as_str()) || n.kind == NodeKind::Guest {
            continue;
        }
        let why = n
            .fence_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        push(
            &n.name,
            format!("node `{}` is unclean{why}", n.name),
            format!(
                "fence or reboot `{}`; after making sure it is really off, `stonith_admin --confirm {}` \
                 tells the cluster so",
                n.name, n.name
            ),
            em,
        );
    }
}

/// ST008 `multiply-active`.
pub fn multiply_active(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    if !needs_scheduling(c) {
        return;
    }
    let Some(f) = cx.scheduled() else { return };
    for (idx, nodes) in &f.multiply_active {
        let r = c.rsc(*idx);
        let rsc = &r.id;
        let base = rsc.split(':').next().unwrap_or(rsc);
        let d = em
            .diag(
                rsc_span(cx, c, *idx),
                format!(
                    "`{rsc}` is active on {} nodes ({}): the cluster recovers it as `multiple-active` says (by default, stops it everywhere and starts it once)",
                    nodes.len(),
                    crate::lint::id_list(nodes)
                ),
            )
            .label("active on more than one node")
            .help(format!(
                "check the nodes by hand for data damage; `crm_resource --refresh -r {base}` \
                 (`pcs resource refresh {base}`) re-probes it when the history is stale"
            ))
            .element(rsc.clone());
        em.push(d);
    }
}

/// ST009 `active-orphan`.
pub fn active_orphan(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    for r in &c.resources {
        if !r.orphan || r.running_on.is_empty() || r.variant != Variant::Primitive {
            continue;
        }
        for n in &r.running_on {
            let node = &c.node(*n).name;
            let rsc = &r.id;
            let base = rsc.split(':').next().unwrap_or(rsc);
            let stops = if c.options.stop_orphan_resources {
                "the cluster will stop it"
            } else {
                "it must be stopped by hand (`stop-orphan-resources=false`)"
            };
            let d = em
                .diag(
                    node_span(cx, node),
                    format!("`{rsc}` is active on `{node}` but no longer configured: {stops}"),
                )
                .label("history of a resource not in the configuration")
                .help(format!(
                    "if it should stay, add it back to the configuration; once it is stopped, \
                     `crm_resource --cleanup -r {base}` (`pcs resource cleanup {base}`) removes its history"
                ))
                .element(format!("{rsc}/{node}"));
            em.push(d);
        }
    }
}

/// ST010 `no-quorum`.
pub fn no_quorum(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    let o = &c.options;
    if !quorum_lost(cx)
        || o.have_quorum
        || o.no_quorum_policy == crate::sched::model::NoQuorumPolicy::Ignore
    {
        return;
    }
    let span = cx.cib.doc.root().attr_span("have-quorum");
    let d = em
        .diag(
            span,
            "the cluster has no quorum (`have-quorum=0`): fencing and resource management are disabled"
                .to_string(),
        )
        .label("no quorum")
        .help(
            "bring enough nodes back (`corosync-quorumtool -s` shows the votes); \
             `no-quorum-policy` says what the cluster does meanwhile",
        )
        .element("have-quorum");
    em.push(d);
}

/// ST011 `unknown-node-state`.
pub fn unknown_node_state(cx: &Context, em: &mut Emitter) {
    let Some(c) = unpacked(cx) else { return };
    for s in cx.cib.status.iter().flatten() {
        let known = c.nodes.iter().any(|n| {
            n.id == s.id
                || s.uname
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(&n.name))
        });
        if known {
            continue;
        }
        let name = s.uname.as_deref().unwrap_or(&s.id);
        let d = em
            .diag(
                cx.span(s.elem),
                format!(
                    "the status of node `{name}` (<node_state> `{}`) is ignored: no such node is configured",
                    s.id
                ),
            )
            .label("status of an unknown node")
            .help(format!(
                "if the node was removed for good, `crm_node --force --remove {name}` also clears its status; \
                 otherwise add it back to <nodes>"
            ))
            .element(s.id.clone());
        em.push(d);
    }
}
