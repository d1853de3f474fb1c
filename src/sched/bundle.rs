//! Bundles (`pcmk_sched_bundle.c`): each replica is a container primitive,
//! an optional IP primitive, a guest-node connection and (with an inner
//! primitive) an instance of the implicit clone that runs inside the
//! container. The bundle places its containers like clone instances, then
//! each replica's other resources follow their container.

use super::action::{of, op_key, ActionId};
use super::clone::{cmp_instance_keys, list_sort, InstanceKey};
use super::model::{NodeIdx, Replica, RscIdx, Variant};
use super::state::{ColocId, Scheduler};
use crate::cib::score::INFINITY;
use crate::cib::{Role, Score};

impl Scheduler<'_> {
    /// The bundle's replicas (empty for other resources).
    pub fn replicas(&self, r: RscIdx) -> Vec<Replica> {
        self.cluster
            .rsc(r)
            .bundle
            .as_ref()
            .map(|b| b.replicas.clone())
            .unwrap_or_default()
    }

    /// `get_container_list`.
    pub fn bundle_containers(&self, r: RscIdx) -> Vec<RscIdx> {
        self.replicas(r).iter().map(|x| x.container).collect()
    }

    /// `get_containers_or_children`: a bundle's instances are its
    /// containers, a clone's its children.
    pub fn instances_of(&self, r: RscIdx) -> Vec<RscIdx> {
        if self.cluster.rsc(r).variant == Variant::Bundle {
            self.bundle_containers(r)
        } else {
            self.cluster.rsc(r).children.clone()
        }
    }

    /// `replica_for_container`: the inner resource of the replica of
    /// bundle `r` whose container is `container` and whose guest node is
    /// `node`.
    pub(super) fn replica_inner(
        &self,
        r: RscIdx,
        container: RscIdx,
        node: Option<NodeIdx>,
    ) -> Option<RscIdx> {
        let n = node?;
        self.replicas(r)
            .iter()
            .find(|x| x.child.is_some() && x.container == container && x.node == Some(n))
            .and_then(|x| x.child)
    }

    pub(super) fn bundle_child(&self, r: RscIdx) -> Option<RscIdx> {
        self.cluster.rsc(r).bundle.as_ref().and_then(|b| b.child)
    }

    fn is_bundle_node(&self, r: RscIdx, n: NodeIdx) -> bool {
        self.replicas(r).iter().any(|x| x.node == Some(n))
    }

    /// `pcmk__threshold_reached` (without banning).
    fn threshold_reached(&self, r: RscIdx, n: NodeIdx) -> bool {
        let rsc = self.cluster.rsc(r);
        if rsc.migration_threshold == 0 || rsc.failure_ignored {
            return false;
        }
        let legacy = self.legacy_failcounts();
        let count = self.fail_count_with_fillers(n, r, legacy);
        count > 0 && rsc.migration_threshold - count <= 0
    }

    /// `pcmk__bundle_allocate`.
    pub fn assign_bundle(&mut self, r: RscIdx, prefer: Option<NodeIdx>) -> Option<NodeIdx> {
        if self.rs[r.i()].allocating {
            return None;
        }
        // Pacemaker prints the table on every call, even once assigned.
        self.record_scores(self.cib.pacemaker.bundle_assign_fn, r);
        if !self.cluster.rsc(r).provisional {
            return None;
        }
        self.rs[r.i()].allocating = true;
        let containers = self.bundle_containers(r);
        let keys: Vec<InstanceKey> = containers
            .iter()
            .map(|c| self.instance_key(r, *c))
            .collect();
        let sorted: Vec<RscIdx> = list_sort(&keys, &cmp_instance_keys)
            .into_iter()
            .map(|k| k.idx)
            .collect();
        let (max, per_host) = self
            .cluster
            .rsc(r)
            .bundle
            .as_ref()
            .map(|b| (b.nreplicas, b.nreplicas_per_host))
            .unwrap_or((0, 1));
        self.distribute_children(r, &sorted, max, per_host);
        for rep in self.replicas(r) {
            if let Some(ip) = rep.ip {
                self.assign(ip, prefer);
            }
            let host = self.cluster.rsc(rep.container).assigned_to;
            if let (Some(remote), Some(h)) = (rep.remote, host) {
                if self.cluster.node(h).is_remote_or_guest() {
                    // pacemaker-remoted takes one connection: nested
                    // connections must be on the same host.
                    if let Some(hr) = self.cluster.node(h).remote_rsc {
                        self.new_colocation(
                            "child-remote-with-docker-remote",
                            None,
                            INFINITY,
                            remote,
                            hr,
                            None,
                            None,
                            true,
                        );
                    }
                }
            }
            if let Some(remote) = rep.remote {
                self.assign(remote, prefer);
            }
            if let Some(child) = rep.child {
                let nodes: Vec<NodeIdx> = self.rs[child.i()].allowed.keys().copied().collect();
                for n in nodes {
                    let w = if Some(n) != rep.node {
                        Some(Score::MINUS_INFINITY)
                    } else if !self.threshold_reached(child, n) {
                        Some(Score::INFINITY)
                    } else {
                        None
                    };
                    if let (Some(w), Some(a)) = (w, self.rs[child.i()].allowed.get_mut(&n)) {
                        a.weight = w;
                    }
                }
                let clone = self.cluster.rsc(child).parent;
                if let Some(p) = clone {
                    self.rs[p.i()].allocating = true;
                }
                self.assign(child, rep.node);
                if let Some(p) = clone {
                    self.rs[p.i()].allocating = false;
                }
            }
        }

        if let Some(child) = self.bundle_child(r) {
            let nodes: Vec<NodeIdx> = self.rs[child.i()].allowed.keys().copied().collect();
            for n in nodes {
                let w = if self.is_bundle_node(r, n) {
                    Score::ZERO
                } else {
                    Score::MINUS_INFINITY
                };
                if let Some(a) = self.rs[child.i()].allowed.get_mut(&n) {
                    a.weight = w;
                }
            }
            self.assign(child, prefer);
        }
        self.rs[r.i()].allocating = false;
        self.cluster.rsc_mut(r).provisional = false;
        None
    }

    /// `pcmk__bundle_create_actions`.
    pub fn bundle_create_actions(&mut self, r: RscIdx) {
        for rep in self.replicas(r) {
            if let Some(ip) = rep.ip {
                self.create_actions(ip);
            }
            self.create_actions(rep.container);
            if let Some(remote) = rep.remote {
                self.create_actions(remote);
            }
        }
        // Over the containers, whose actions are created once more, as
        // Pacemaker does; bundles have no notifications of their own.
        let containers = self.bundle_containers(r);
        self.clone_create_pseudo_actions(r, &containers, false);
        if let Some(child) = self.bundle_child(r) {
            self.create_actions(child);
            if self.cluster.rsc(child).promotable {
                // (Their graph priority is not modelled: it is not printed.)
                for task in ["promote", "promoted", "demote", "demoted"] {
                    self.new_rsc_pseudo_action(r, task, true, true);
                }
            }
        }
    }

    /// `pcmk__bundle_internal_constraints`.
    pub fn bundle_internal_constraints(&mut self, r: RscIdx) {
        let child = self.bundle_child(r);
        if let Some(ch) = child {
            self.order_rsc_actions(r, "start", ch, "start", of::IMPLIES_FIRST_PRINTED);
            self.order_rsc_actions(r, "stop", ch, "stop", of::IMPLIES_FIRST_PRINTED);
            if !self.cluster.rsc(ch).children.is_empty() {
                self.order_rsc_actions(ch, "running", r, "running", of::IMPLIES_THEN_PRINTED);
                self.order_rsc_actions(ch, "stopped", r, "stopped", of::IMPLIES_THEN_PRINTED);
            } else {
                self.order_rsc_actions(ch, "start", r, "running", of::IMPLIES_THEN_PRINTED);
                self.order_rsc_actions(ch, "stop", r, "stopped", of::IMPLIES_THEN_PRINTED);
            }
        }
        for rep in self.replicas(r) {
            let ct = rep.container;
            self.internal_constraints(ct);
            self.order_rsc_actions(
                r,
                "start",
                ct,
                "start",
                of::RUNNABLE_LEFT | of::IMPLIES_FIRST_PRINTED,
            );
            if let Some(c) = rep.child {
                self.order_rsc_actions(r, "stop", c, "stop", of::IMPLIES_FIRST_PRINTED);
            }
            self.order_rsc_actions(r, "stop", ct, "stop", of::IMPLIES_FIRST_PRINTED);
            self.order_rsc_actions(ct, "start", r, "running", of::IMPLIES_THEN_PRINTED);
            self.order_rsc_actions(ct, "stop", r, "stopped", of::IMPLIES_THEN_PRINTED);
            if let Some(ip) = rep.ip {
                self.internal_constraints(ip);
                self.order_rsc_actions(ip, "start", ct, "start", of::RUNNABLE_LEFT | of::PRESERVE);
                self.order_rsc_actions(ct, "stop", ip, "stop", of::IMPLIES_FIRST | of::PRESERVE);
                self.new_colocation("ip-with-docker", None, INFINITY, ip, ct, None, None, true);
            }
            if let Some(remote) = rep.remote {
                // Orders and colocates the connection with its container.
                self.internal_constraints(remote);
            }
        }
        if let Some(ch) = child {
            self.internal_constraints(ch);
            if self.cluster.rsc(ch).promotable {
                self.promotable_restart_ordering(r);
                let (then, first) = (of::IMPLIES_THEN_PRINTED, of::IMPLIES_FIRST_PRINTED);
                self.order_rsc_actions(ch, "demoted", r, "demoted", then);
                self.order_rsc_actions(r, "demote", ch, "demote", first);
                self.order_rsc_actions(ch, "promoted", r, "promoted", then);
                self.order_rsc_actions(r, "promote", ch, "promote", first);
            }
        }
    }

    /// `compatible_replica_for_node`: the container of a replica on `n`.
    fn compatible_replica_for_node(
        &self,
        primary: RscIdx,
        n: NodeIdx,
        filter: Role,
        current: bool,
    ) -> Option<RscIdx> {
        self.bundle_containers(primary)
            .into_iter()
            .find(|c| self.child_compatible(*c, n, filter, current))
    }

    /// `compatible_replica`.
    fn compatible_replica(&self, dependent: RscIdx, primary: RscIdx) -> Option<RscIdx> {
        if let Some(n) = self.rsc_location(dependent, false) {
            let n = self.bundle_node_host(n)?;
            return self.compatible_replica_for_node(primary, n, Role::Unknown, false);
        }
        let nodes = self.sort_nodes(&self.rs[dependent.i()].allowed, None);
        nodes.into_iter().find_map(|(n, _)| {
            let n = self.bundle_node_host(n)?;
            self.compatible_replica_for_node(primary, n, Role::Unknown, false)
        })
    }

    /// Where a replica's guest node is hosted (its container's node), for
    /// releases that pair bundle instances through their hosts (3.0.2: a
    /// bundle's promotable instances see the bundle's colocations); any
    /// other node is its own host.
    /// The bundle `r` is directly part of (a replica's container, IP or
    /// connection, or the bundled resource).
    pub(super) fn parent_bundle(&self, r: RscIdx) -> Option<RscIdx> {
        self.cluster
            .rsc(r)
            .parent
            .filter(|b| self.cluster.rsc(*b).bundle.is_some())
    }

    /// The bundle whose replica's container `r` is.
    pub(super) fn replica_container_of(&self, r: RscIdx) -> Option<RscIdx> {
        self.parent_bundle(r).filter(|b| {
            self.cluster
                .rsc(*b)
                .bundle
                .as_ref()
                .is_some_and(|data| data.replicas.iter().any(|rep| rep.container == r))
        })
    }

    pub(super) fn bundle_node_host(&self, n: NodeIdx) -> Option<NodeIdx> {
        if !self.cib.pacemaker.promotion_with_bundle_colocations {
            return Some(n);
        }
        let container = self
            .cluster
            .node(n)
            .remote_rsc
            .and_then(|remote| self.cluster.rsc(remote).container)
            .filter(|ct| self.parent_bundle(*ct).is_some());
        match container {
            Some(ct) => self.rsc_location(ct, false),
            None => Some(n),
        }
    }

    /// `pcmk__bundle_apply_coloc_score`: the bundle as the primary.
    pub fn bundle_apply_coloc_score(&mut self, dependent: RscIdx, primary: RscIdx, c: ColocId) {
        if self.cluster.rsc(primary).provisional {
            return;
        }
        let col = self.coloc(c).clone();
        if matches!(
            self.cluster.rsc(col.dependent).variant,
            Variant::Clone | Variant::Bundle
        ) {
            match self.compatible_replica(dependent, primary) {
                Some(pr) => self.apply_coloc_score(dependent, pr, c),
                None if col.score >= INFINITY => {
                    self.force_unassign(dependent);
                }
                None => {}
            }
            return;
        }
        let mut allowed: Vec<NodeIdx> = Vec::new();
        for rep in self.replicas(primary) {
            if col.score < INFINITY {
                self.apply_coloc_for_primary(dependent, rep.container, c);
                continue;
            }
            let Some(chosen) = self.rsc_location(rep.container, false) else {
                continue;
            };
            if self.any_flag_recursive(rep.container, &|x| x.blocked) {
                continue;
            }
            if col.primary_role >= Role::Promoted {
                match rep.child {
                    None => continue,
                    Some(ch) if self.cluster.rsc(ch).next_role < Role::Promoted => continue,
                    _ => {}
                }
            }
            allowed.insert(0, chosen);
        }
        if col.score >= INFINITY {
            // `node_list_exclude` without merging scores.
            for (n, a) in self.rs[dependent.i()].allowed.iter_mut() {
                if !allowed.contains(n) {
                    a.weight = Score::MINUS_INFINITY;
                }
            }
        }
    }

    /// `pcmk__bundle_rsc_location`: the bundle, its containers and IPs,
    /// and (for role-specific constraints) its inner clone.
    pub fn bundle_apply_location(&mut self, r: RscIdx, li: usize, nodes: &[(NodeIdx, Score)]) {
        let (role_filter, discover) = (self.locations[li].role_filter, self.locations[li].discover);
        self.apply_location_one(r, role_filter, discover, nodes);
        for rep in self.replicas(r) {
            self.apply_location_nodes(rep.container, li, nodes);
            if let Some(ip) = rep.ip {
                self.apply_location_nodes(ip, li, nodes);
            }
        }
        if let Some(ch) = self.bundle_child(r) {
            if matches!(role_filter, Role::Unpromoted | Role::Promoted) {
                self.apply_location_nodes(ch, li, nodes);
                self.rs[ch.i()].locations.insert(0, li);
            }
        }
    }

    /// `pcmk__bundle_action_flags`.
    pub fn bundle_action_flags(&mut self, a: ActionId, node: Option<NodeIdx>) -> u32 {
        let Some(r) = self.a(a).rsc else {
            return self.a(a).flags;
        };
        if let Some(ch) = self.bundle_child(r) {
            let task = self.a(a).task.to_ascii_lowercase();
            let child_level = matches!(
                task.as_str(),
                "notify" | "notified" | "promote" | "promoted" | "demote" | "demoted"
            ) || !super::action::maps_to_action(&task);
            if child_level {
                let list = self.cluster.rsc(ch).children.clone();
                return self.summary_action_flags(a, &list, node);
            }
        }
        let list = self.bundle_containers(r);
        self.summary_action_flags(a, &list, node)
    }

    /// `pcmk__bundle_create_probe`.
    pub fn bundle_create_probe(&mut self, r: RscIdx, n: NodeIdx) -> bool {
        let mut any = false;
        let per_host = self
            .cluster
            .rsc(r)
            .bundle
            .as_ref()
            .map(|b| b.nreplicas_per_host)
            .unwrap_or(1);
        let replicas = self.replicas(r);
        for rep in &replicas {
            if let Some(ip) = rep.ip {
                if self.probe_rsc_on_node(ip, n) {
                    any = true;
                }
            }
            if let Some(ch) = rep.child {
                if rep.node == Some(n) && self.probe_rsc_on_node(ch, n) {
                    any = true;
                }
            }
            if self.probe_rsc_on_node(rep.container, n) {
                any = true;
                // Without an IP per replica, replicas would fight over the
                // host's ports: start none until all are probed.
                if per_host == 1 {
                    for other in &replicas {
                        if other.container == rep.container {
                            continue;
                        }
                        let probe_key = op_key(self.rsc_id(rep.container), "monitor", 0);
                        let start_key = op_key(self.rsc_id(other.container), "start", 0);
                        self.new_ordering(
                            Some(rep.container),
                            Some(probe_key),
                            None,
                            Some(other.container),
                            Some(start_key),
                            None,
                            of::OPTIONAL | of::SAME_NODE,
                        );
                    }
                }
            }
            if let Some(remote) = rep.remote {
                if self.probe_rsc_on_node(remote, n) {
                    // Probe the connection only once the container's place
                    // is known.
                    let key = op_key(self.rsc_id(remote), "monitor", 0);
                    let list = &self.rs[remote.i()].actions;
                    if let Some(probe) = self.find_first_action(list, Some(&key), None, Some(n)) {
                        any = true;
                        let start_key = op_key(self.rsc_id(rep.container), "start", 0);
                        self.new_ordering(
                            Some(rep.container),
                            Some(start_key),
                            None,
                            Some(remote),
                            None,
                            Some(probe),
                            of::PROBE,
                        );
                    }
                }
            }
        }
        any
    }

    /// `pcmk__bundle_expand`: the inner clone's actions go in first, then
    /// each replica's IP, container and connection.
    pub fn bundle_graph_order(&self, r: RscIdx) -> Vec<RscIdx> {
        let mut out = Vec::new();
        if let Some(ch) = self.bundle_child(r) {
            out.push(ch);
        }
        for rep in self.replicas(r) {
            out.extend(rep.ip);
            out.push(rep.container);
            out.extend(rep.remote);
        }
        out
    }

    /// `pcmk__output_bundle_actions`: per replica its IP, container,
    /// connection and inner instance.
    pub fn bundle_summary_order(&self, r: RscIdx) -> Vec<RscIdx> {
        let mut out = Vec::new();
        for rep in self.replicas(r) {
            out.extend(rep.ip);
            out.push(rep.container);
            out.extend(rep.remote);
            out.extend(rep.child);
        }
        out
    }
}
