//! Fencing decisions: whether a node can be fenced, marking nodes for
//! fencing, and the fencing actions themselves.

use super::action::{af, of, op_key, ActionId, Needs};
use super::digest::{calculate_digests, HistoryOp};
use super::model::{NoQuorumPolicy, NodeIdx, NodeKind, RscIdx, Variant};
use super::state::Scheduler;

/// Can the cluster fence this node now (`pe_can_fence`)?
pub fn can_fence(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    let n = s.cluster.node(node);
    if n.kind == NodeKind::Guest {
        // A guest is fenced by stopping its container, possible while the
        // container's hosts are online or fenceable themselves.
        let Some(conn) = n.remote_rsc else {
            return true;
        };
        let Some(container) = s.cluster.rsc(conn).container else {
            return true;
        };
        return s
            .cluster
            .rsc(container)
            .running_on
            .iter()
            .all(|h| s.cluster.node(*h).online || can_fence(s, *h));
    }
    let o = &s.cluster.options;
    if !o.stonith_enabled || !o.have_stonith_resource {
        return false;
    }
    if o.have_quorum || o.no_quorum_policy == NoQuorumPolicy::Ignore {
        return true;
    }
    n.online
}

/// Mark a node for fencing (`pe_fence_node`).
pub fn fence_node(s: &mut Scheduler<'_>, node: NodeIdx, reason: &str, priority_delay: bool) {
    let kind = s.cluster.node(node).kind;
    match kind {
        NodeKind::Guest => {
            let container = s
                .cluster
                .node(node)
                .remote_rsc
                .and_then(|c| s.cluster.rsc(c).container);
            if let Some(c) = container {
                if !s.cluster.rsc(c).failed && s.cluster.rsc(c).managed {
                    s.cluster.nodes[node.i()].remote_requires_reset = true;
                    s.cluster.rsc_mut(c).failed = true;
                    s.rs[c.i()].stop = true;
                }
            }
        }
        NodeKind::Remote => {
            let managed = s
                .cluster
                .node(node)
                .remote_rsc
                .is_none_or(|r| s.cluster.rsc(r).managed);
            if managed {
                s.cluster.nodes[node.i()].remote_requires_reset = true;
            }
            s.cluster.nodes[node.i()].unclean = true;
            fence_op(s, node, None, true, Some(reason), false);
        }
        NodeKind::Member => {
            if !s.cluster.node(node).unclean {
                s.cluster.nodes[node.i()].unclean = true;
                fence_op(s, node, None, true, Some(reason), priority_delay);
            }
        }
    }
}

/// The fencing action for a node (`pe_fence_op`), created once per node
/// and fencing action.
pub fn fence_op(
    s: &mut Scheduler<'_>,
    node: NodeIdx,
    op: Option<&str>,
    optional: bool,
    reason: Option<&str>,
    _priority_delay: bool,
) -> ActionId {
    let op = op
        .map(str::to_owned)
        .unwrap_or_else(|| s.cluster.options.stonith_action.clone());
    let name = s.cluster.node(node).name.clone();
    let key = format!("stonith-{name}-{op}");
    let mut optional = optional;
    let id = match s.singletons.get(&key) {
        Some(a) => *a,
        None => {
            let id = s.custom_action(None, key, "stonith", Some(node), true);
            let a = s.am(id);
            a.meta.insert("stonith_action".into(), op.clone());
            // A device that unfenced the node with another definition must
            // unfence it again.
            if s.cluster.options.enable_unfencing && unfencing_devices_changed(s, node) {
                optional = false;
            }
            id
        }
    };
    if !optional && can_fence(s, node) {
        s.am(id).clear(af::OPTIONAL);
        s.set_reason(id, reason.map(str::to_owned), false);
    } else if let Some(r) = reason {
        if s.a(id).reason.is_none() {
            s.am(id).reason = Some(r.to_owned());
        }
    }
    id
}

/// Fence devices that unfence (`find_unfencing_devices`), in the order
/// Pacemaker lists them: its walk prepends, so the last found comes first.
fn unfencing_devices(s: &Scheduler<'_>) -> Vec<RscIdx> {
    fn walk(s: &Scheduler<'_>, list: &[RscIdx], out: &mut Vec<RscIdx>) {
        for &r in list {
            let rsc = s.cluster.rsc(r);
            if !rsc.children.is_empty() {
                walk(s, &rsc.children, out);
            } else if rsc.fence_device
                && (rsc.needs_unfencing
                    || rsc
                        .meta
                        .get("provides")
                        .is_some_and(|v| v.eq_ignore_ascii_case("unfencing")))
            {
                out.push(r);
            }
        }
    }
    let mut out = Vec::new();
    walk(s, &s.cluster.top, &mut out);
    out.reverse();
    out
}

/// `pe__compare_fencing_digest` for every unfencing device: does the
/// node's record of the devices that last unfenced it (`#digests-all`,
/// else `#digests-secure`) miss one's current definition? A node without
/// the record counts as unchanged.
fn unfencing_devices_changed(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    let attrs = &s.cluster.node(node).attrs;
    let Some(all) = attrs.get("#digests-all") else {
        return false;
    };
    let secure = attrs.get("#digests-secure");
    unfencing_devices(s).into_iter().any(|r| {
        let rsc = s.cluster.rsc(r);
        let hop = HistoryOp {
            // Not a real action name, so no configured operation matches.
            task: "stonith-on".into(),
            interval_ms: 0,
            secure_params: Some(" passwd password user ".into()),
            feature_set: s.cib.doc.root().attr("crm_feature_set").map(str::to_owned),
            ..Default::default()
        };
        let (d, _) = calculate_digests(s.cib, &s.cluster, r, node, &hop);
        let summary = |digest: &str| format!("{}:{}:{}", rsc.id, rsc.agent, digest);
        !all.contains(&summary(&d.all)) && !secure.is_some_and(|v| v.contains(&summary(&d.secure)))
    })
}

/// `pcmk__node_unfenced`: has the node been unfenced (a `#node-unfenced`
/// attribute other than "0")?
pub fn node_unfenced(s: &Scheduler<'_>, node: NodeIdx) -> bool {
    s.cluster
        .node(node)
        .attrs
        .get("#node-unfenced")
        .is_some_and(|v| v != "0")
}

/// Does the resource's probe or start wait for unfencing: it requires
/// unfencing, or it is a fence device while unfencing is in use (such
/// agents often cannot even probe before their node is unfenced)?
pub fn waits_for_unfencing(s: &Scheduler<'_>, r: RscIdx) -> bool {
    let rsc = s.cluster.rsc(r);
    (rsc.fence_device && s.cluster.options.enable_unfencing) || rsc.needs_unfencing
}

/// `pcmk__order_vs_unfence`: order a probe or start after unfencing its
/// node. The ordering alone leaves the unfencing optional (else adding a
/// resource would unfence, and so restart, everything); a node never
/// unfenced is unfenced now.
pub fn order_vs_unfence(
    s: &mut Scheduler<'_>,
    r: RscIdx,
    node: NodeIdx,
    action: ActionId,
    flags: u32,
) {
    if !waits_for_unfencing(s, r) {
        return;
    }
    let unfence = fence_op(s, node, Some("on"), true, None, false);
    s.order_actions(unfence, action, flags);
    if !node_unfenced(s, node) {
        let reason = format!("required by {} {}", s.cluster.rsc(r).id, s.a(action).task);
        trigger_unfencing(s, None, Some(node), &reason, None);
    }
}

/// `trigger_unfencing`: unfence a node (or, for a device without a usable
/// node, every node the device may run on) that is up and not leaving.
pub fn trigger_unfencing(
    s: &mut Scheduler<'_>,
    rsc: Option<RscIdx>,
    node: Option<NodeIdx>,
    reason: &str,
    dependency: Option<ActionId>,
) {
    if !s.cluster.options.enable_unfencing {
        return;
    }
    if rsc.is_some_and(|r| !s.cluster.rsc(r).fence_device) {
        return;
    }
    let usable = |s: &Scheduler<'_>, n: NodeIdx| {
        let nd = s.cluster.node(n);
        nd.online && !nd.unclean && !nd.shutdown
    };
    match (node, rsc) {
        (Some(n), _) if usable(s, n) => {
            let unfence = fence_op(s, n, Some("on"), false, Some(reason), false);
            if let Some(d) = dependency {
                s.order_actions(unfence, d, of::OPTIONAL);
            }
        }
        (_, Some(r)) => {
            let nodes: Vec<NodeIdx> = s.rs[r.i()].allowed.keys().copied().collect();
            for n in nodes {
                if usable(s, n) {
                    trigger_unfencing(s, Some(r), Some(n), reason, dependency);
                }
            }
        }
        _ => {}
    }
}

/// `pcmk__order_restart_vs_unfence`: stops of a resource that requires
/// unfencing come before unfencing its node, and its starts there after
/// (restarting it when the node is unfenced).
pub fn order_restart_vs_unfence(s: &mut Scheduler<'_>, r: RscIdx, node: NodeIdx) {
    let unfence = fence_op(s, node, Some("on"), true, None, false);
    let id = s.cluster.rsc(r).id.clone();
    s.new_ordering(
        Some(r),
        Some(op_key(&id, "stop", 0)),
        None,
        None,
        None,
        Some(unfence),
        of::OPTIONAL | of::SAME_NODE,
    );
    s.new_ordering(
        None,
        None,
        Some(unfence),
        Some(r),
        Some(op_key(&id, "start", 0)),
        None,
        of::IMPLIES_THEN_ON_NODE | of::SAME_NODE,
    );
}

/// `pcmk__order_vs_fence`: order every managed primitive's actions
/// against a fencing action. Starts that need fencing (or whose state on the
/// target is unknown) wait for it; stops and demotes on the target become
/// pseudo-actions the fencing implies.
pub fn order_vs_fence(s: &mut Scheduler<'_>, fence: ActionId) {
    for r in s.top_resources() {
        rsc_stonith_ordering(s, r, fence);
    }
}

fn rsc_stonith_ordering(s: &mut Scheduler<'_>, r: RscIdx, fence: ActionId) {
    let children = s.cluster.rsc(r).children.clone();
    if !children.is_empty() {
        for c in children {
            rsc_stonith_ordering(s, c, fence);
        }
    } else if s.cluster.rsc(r).managed {
        order_start_vs_fencing(s, r, fence);
        order_stop_vs_fencing(s, r, fence);
    }
}

/// Is the resource's state on the node known (`rsc_is_known_on`)? An
/// anonymous clone instance counts as known where its clone is.
fn rsc_is_known_on(s: &Scheduler<'_>, r: RscIdx, node: NodeIdx) -> bool {
    let rsc = s.cluster.rsc(r);
    if rsc.known_on.contains(&node) {
        return true;
    }
    let Some(p) = rsc.parent else { return false };
    let parent = s.cluster.rsc(p);
    rsc.variant == Variant::Primitive
        && parent.variant == Variant::Clone
        && !parent.unique
        && parent.known_on.contains(&node)
}

fn order_start_vs_fencing(s: &mut Scheduler<'_>, r: RscIdx, fence: ActionId) {
    let Some(target) = s.a(fence).node else {
        return;
    };
    // Pacemaker walks the resource's actions newest first.
    for a in s.rs[r.i()].actions.clone().into_iter().rev() {
        match s.a(a).needs {
            Needs::Nothing => {}
            Needs::Fencing => {
                s.order_actions(fence, a, of::OPTIONAL);
            }
            Needs::Quorum => {
                // Where the resource's state is unknown it may be active:
                // start only once that node is fenced.
                if s.a(a).task.eq_ignore_ascii_case("start")
                    && s.rs[r.i()].allowed.contains_key(&target)
                    && !rsc_is_known_on(s, r, target)
                {
                    s.order_actions(fence, a, of::OPTIONAL | of::RUNNABLE_LEFT);
                }
            }
        }
    }
}

fn order_stop_vs_fencing(s: &mut Scheduler<'_>, r: RscIdx, fence: ActionId) {
    let Some(target) = s.a(fence).node else {
        return;
    };
    let guest_target = s.cluster.node(target).kind == NodeKind::Guest;
    let bundled = s.cluster.is_bundled(r);
    let stops = s.rsc_actions(r, Some(target), "stop", false);
    // Implied stops wait for the fencing when the resource requires it;
    // on a guest node always, its "fencing" being a resource stop.
    let order_implicit = s.cluster.rsc(r).needs_fencing || guest_target;
    let parent_stop = if !stops.is_empty() && order_implicit {
        let top = s.cluster.top_of(r);
        let list = s.rs[top.i()].actions.clone();
        s.find_first_action(&list, None, Some("stop"), None)
    } else {
        None
    };
    for a in stops {
        // The stop can never complete: the fencing stands in for it.
        s.am(a).set(af::PSEUDO | af::RUNNABLE);
        if order_implicit {
            s.am(a).set(af::IMPLIED_BY_STONITH);
            // Inside a bundle the parent's stop carries the ordering
            // (ordering the stop itself would loop).
            if !bundled {
                s.order_actions(fence, a, of::PRESERVE);
            }
            if let Some(ps) = parent_stop {
                s.order_actions(fence, ps, of::PRESERVE);
            }
        }
        if s.cluster.rsc(r).notify {
            s.order_notifs_after_fencing(r, fence);
        }
    }
    let failed = s.cluster.rsc(r).failed;
    let (online, unclean) = {
        let nd = s.cluster.node(target);
        (nd.online, nd.unclean)
    };
    for a in s.rsc_actions(r, Some(target), "demote", false) {
        if !online || unclean || failed {
            s.am(a).set(af::PSEUDO | af::RUNNABLE);
            if !bundled && order_implicit {
                s.order_actions(fence, a, of::PRESERVE | of::OPTIONAL);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cib::time::Instant;
    use crate::sched::pipeline::{simulate, Executed};
    use crate::sched::summary::SummaryItem;

    const CIB: &str = r#"<cib epoch="1" num_updates="1" admin_epoch="0" validate-with="pacemaker-3.0" have-quorum="1" dc-uuid="2">
  <configuration>
    <crm_config><cluster_property_set id="o">
      <nvpair id="o1" name="stonith-enabled" value="true"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="fence" class="stonith" type="fence_dummy"/>
      <primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="false" crmd="offline" join="down" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="rsc1" class="ocf" provider="heartbeat" type="Dummy">
          <lrm_rsc_op id="rsc1_last_0" operation_key="rsc1_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="1" rc-code="0" op-status="0" interval="0"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>
        <lrm_resource id="fence" class="stonith" type="fence_dummy">
          <lrm_rsc_op id="fence_last_0" operation_key="fence_start_0" operation="start" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0"/>
        </lrm_resource>
        <lrm_resource id="rsc1" class="ocf" provider="heartbeat" type="Dummy">
          <lrm_rsc_op id="rsc1_last_0" operation_key="rsc1_monitor_0" operation="monitor" transition-key="3:1:7:x" transition-magic="0:7;3:1:7:x" call-id="3" rc-code="7" op-status="0" interval="0"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
  </status>
</cib>"#;

    #[test]
    fn unclean_node_is_fenced_and_its_stops_are_implied() {
        let cib = crate::cib::load(
            crate::cib::SourceFile {
                name: "fencing.xml".into(),
                text: std::sync::Arc::from(CIB),
            },
            crate::xml::ParseLimits::default(),
        )
        .expect("test CIB loads");
        let sim = simulate(&cib, Instant(1_700_000_000)).expect("fencing is scheduled");
        let t = &sim.transition;
        assert!(t.summary.contains(&SummaryItem::Node {
            task: "Fence (reboot)".into(),
            node: "node1".into(),
            reason: Some("peer is no longer part of the cluster".into()),
        }));
        let pos = |e: &Executed| t.executed.iter().position(|x| x == e);
        let fence = pos(&Executed::Fencing {
            node: "node1".into(),
            action: "reboot".into(),
        })
        .expect("node1 is fenced");
        let stop = pos(&Executed::Pseudo {
            key: "rsc1_stop_0".into(),
            node: None,
        })
        .expect("the stop on node1 is implied");
        let start = pos(&Executed::Resource {
            rsc: "rsc1".into(),
            task: "start".into(),
            interval_ms: 0,
            node: "node2".into(),
        })
        .expect("rsc1 starts on node2");
        assert!(fence < stop && stop < start);
        let node1 = sim.after.nodes.iter().find(|n| n.name == "node1");
        assert!(node1.is_some_and(|n| !n.online && !n.unclean));
    }
}
