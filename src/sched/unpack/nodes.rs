//! Nodes: configured cluster nodes, remote and guest nodes, their
//! attributes, and their online state from the status section.

use super::{is_true, parse_bool, unpack_nvsets, Unpacker};
use crate::cib::rule::RuleContext;
use crate::cib::{NodeState, NvSet, Score};
use crate::sched::model::*;
use crate::xml::ElemId;

impl Unpacker<'_> {
    /// `pe_create_node`: a new node, kind by `type` (member, remote, ping).
    pub(crate) fn create_node(&mut self, id: &str, name: &str, kind: &str, score: i32) -> NodeIdx {
        let (k, ping) = match kind.to_ascii_lowercase().as_str() {
            "" | "member" => (NodeKind::Member, false),
            "remote" => (NodeKind::Remote, false),
            _ => (NodeKind::Member, true),
        };
        let mut n = Node::new(id.to_owned(), name.to_owned(), k);
        n.ping = ping;
        n.weight = Score(score);
        let kind_attr = if k == NodeKind::Member {
            "cluster"
        } else {
            "remote"
        };
        n.attrs.insert("#kind".into(), kind_attr.into());
        let idx = NodeIdx(self.c.nodes.len() as u32);
        self.node_ids
            .entry(n.id.to_ascii_lowercase())
            .or_insert(idx);
        self.node_names
            .entry(n.name.to_ascii_lowercase())
            .or_insert(idx);
        self.c.nodes.push(n);
        idx
    }

    /// `handle_startup_fencing`: nodes are unclean until seen.
    pub(crate) fn handle_startup_fencing(&mut self, n: NodeIdx) {
        let node = &self.c.nodes[n.i()];
        if node.kind != NodeKind::Member && node.remote_rsc.is_none() {
            // Leftover remote node entries without a connection resource.
            return;
        }
        let unclean = self.c.options.startup_fencing;
        let node = &mut self.c.nodes[n.i()];
        node.unclean = unclean;
        node.unseen = true;
    }

    pub(crate) fn unpack_nodes(&mut self) {
        let cib = self.cib;
        for cn in &cib.nodes {
            if cn.id.is_empty() {
                continue;
            }
            let score = cn.score.map(|s| s.0).unwrap_or(0);
            let n = self.create_node(&cn.id, &cn.uname, &cn.kind, score);
            self.handle_startup_fencing(n);
            let sets: Vec<&NvSet> = cn.attrs.iter().collect();
            self.add_node_attrs(n, &sets, false);
            let ctx = RuleContext {
                now: Some(self.now),
                ..Default::default()
            };
            let util: Vec<&NvSet> = cn.utilization.iter().collect();
            let mut table = std::collections::BTreeMap::new();
            unpack_nvsets(&mut table, &util, None, false, &ctx);
            self.c.nodes[n.i()].utilization = table;
        }
    }

    /// `add_node_attrs`: built-in attributes, then the given sets.
    pub(crate) fn add_node_attrs(&mut self, n: NodeIdx, sets: &[&NvSet], overwrite: bool) {
        let is_dc = self
            .cib
            .dc_uuid
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case(&self.c.nodes[n.i()].id));
        if is_dc {
            self.c.dc = Some(n);
        }
        let cluster_name = self.config.get("cluster-name").cloned();
        let ctx = RuleContext {
            now: Some(self.now),
            ..Default::default()
        };
        let node = &mut self.c.nodes[n.i()];
        node.is_dc = node.is_dc || is_dc;
        node.attrs.insert("#uname".into(), node.name.clone());
        node.attrs.insert("#id".into(), node.id.clone());
        node.attrs
            .insert("#is_dc".into(), if is_dc { "true" } else { "false" }.into());
        if let Some(cn) = &cluster_name {
            node.attrs.insert("#cluster-name".into(), cn.clone());
        }
        unpack_nvsets(&mut node.attrs, sets, None, overwrite, &ctx);
        if !node.attrs.contains_key("#site-name") {
            if let Some(site) = node.attrs.get("site-name").cloned() {
                node.attrs.insert("#site-name".into(), site);
            } else if let Some(cn) = cluster_name {
                node.attrs.insert("#site-name".into(), cn);
            }
        }
        let health = self.node_health_of(n);
        self.c.nodes[n.i()].health = health;
    }

    /// `pe__node_health`.
    fn node_health_of(&self, n: NodeIdx) -> i32 {
        if self.c.options.node_health_strategy == "none" {
            return 1;
        }
        let (red, yellow, green) = self.health_scores;
        let mut rc = 1;
        for (name, value) in &self.c.nodes[n.i()].attrs {
            if !name.starts_with("#health") {
                continue;
            }
            if value.eq_ignore_ascii_case("red") {
                return -1;
            } else if value.eq_ignore_ascii_case("yellow") {
                rc = 0;
                continue;
            }
            let score = super::char2score(Some(value), self.health_scores);
            if score <= red {
                return -1;
            } else if score <= yellow && yellow != green {
                rc = 0;
            }
        }
        rc
    }

    pub(crate) fn node_attr(&self, n: NodeIdx, name: &str) -> Option<&str> {
        self.c.nodes[n.i()].attrs.get(name).map(String::as_str)
    }

    /// `pe__shutdown_requested`.
    fn shutdown_requested(&self, n: NodeIdx) -> bool {
        self.node_attr(n, "shutdown").is_some_and(|v| v != "0")
    }

    /// `pe__is_guest_node`: a remote-type node whose connection has a container.
    pub(crate) fn is_guest(&self, n: NodeIdx) -> bool {
        let node = &self.c.nodes[n.i()];
        node.kind != NodeKind::Member
            && node
                .remote_rsc
                .is_some_and(|r| self.c.resources[r.i()].container.is_some())
    }

    /// `pe__is_remote_node`.
    pub(crate) fn is_remote(&self, n: NodeIdx) -> bool {
        self.c.nodes[n.i()].kind != NodeKind::Member && !self.is_guest(n)
    }

    pub(crate) fn is_guest_or_remote(&self, n: NodeIdx) -> bool {
        self.c.nodes[n.i()].kind != NodeKind::Member
    }

    /// `pe_can_fence`.
    pub(crate) fn can_fence(&self, n: NodeIdx) -> bool {
        if self.is_guest(n) {
            // Fenced by stopping the container: its hosts must be up or
            // fenceable themselves.
            let container = self.c.nodes[n.i()]
                .remote_rsc
                .and_then(|r| self.c.resources[r.i()].container);
            let Some(ct) = container else { return true };
            return self.c.resources[ct.i()]
                .running_on
                .iter()
                .all(|h| self.c.nodes[h.i()].online || (!self.is_guest(*h) && self.can_fence(*h)));
        }
        let o = &self.c.options;
        if !o.stonith_enabled || !o.have_stonith_resource {
            return false;
        }
        o.have_quorum || o.no_quorum_policy == NoQuorumPolicy::Ignore || self.c.nodes[n.i()].online
    }

    /// `pe_fence_node`: mark a node for fencing with a reason.
    pub(crate) fn fence_node(&mut self, n: NodeIdx, reason: &str, priority_delay: bool) {
        if self.is_guest(n) {
            let container = self.c.nodes[n.i()]
                .remote_rsc
                .and_then(|r| self.c.resources[r.i()].container);
            if let Some(ct) = container {
                let rsc = &self.c.resources[ct.i()];
                if !rsc.failed && rsc.managed {
                    self.c.nodes[n.i()].remote_requires_reset = true;
                    let rsc = &mut self.c.resources[ct.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                }
            }
        } else if self.is_dangling_guest(n) {
            if let Some(r) = self.c.nodes[n.i()].remote_rsc {
                let rsc = &mut self.c.resources[r.i()];
                rsc.failed = true;
                rsc.stop = true;
            }
        } else if self.is_remote(n) {
            let rsc = self.c.nodes[n.i()].remote_rsc;
            let unmanaged = rsc.is_some_and(|r| !self.c.resources[r.i()].managed);
            let node = &mut self.c.nodes[n.i()];
            if !unmanaged && !node.remote_requires_reset {
                node.remote_requires_reset = true;
            }
            node.unclean = true;
            if node.fence_reason.is_none() {
                node.fence_reason = Some(reason.to_owned());
            }
            self.record_fencing(n);
        } else if self.c.nodes[n.i()].unclean {
            // Already unclean: the earlier reason stands.
        } else {
            let node = &mut self.c.nodes[n.i()];
            node.unclean = true;
            if node.fence_reason.is_none() {
                node.fence_reason = Some(reason.to_owned());
                node.fence_priority_delay = priority_delay;
            }
            self.record_fencing(n);
        }
    }

    /// Remember that unpacking created the node's fencing action here.
    fn record_fencing(&mut self, n: NodeIdx) {
        if !self.c.unpack_fencing.iter().any(|(_, m)| *m == n) {
            let at = self.c.unpack_actions.len();
            self.c.unpack_fencing.push((at, n));
        }
    }

    /// A guest node whose container vanished from configuration and status.
    fn is_dangling_guest(&self, n: NodeIdx) -> bool {
        let node = &self.c.nodes[n.i()];
        node.kind != NodeKind::Member
            && node.remote_rsc.is_some_and(|r| {
                let rsc = &self.c.resources[r.i()];
                rsc.container.is_none() && rsc.orphan_container_filler
            })
    }

    // ----- status: first pass -----

    /// `unpack_node_state`: attributes and online status of cluster nodes.
    pub(crate) fn unpack_node_state(&mut self, ns: &NodeState) {
        let Some(uname) = ns.uname.as_deref() else {
            return;
        };
        if ns.id.is_empty() {
            return;
        }
        let Some(n) = self.find_node_any(&ns.id, uname) else {
            return;
        };
        if self.is_guest_or_remote(n) {
            let fenced = self
                .state_attr(ns.elem, "node_fenced")
                .and_then(super::leading_int)
                .unwrap_or(0);
            self.c.nodes[n.i()].remote_was_fenced = fenced > 0;
            return;
        }
        let sets: Vec<&NvSet> = ns.transient.iter().collect();
        self.add_node_attrs(n, &sets, true);
        if is_true(self.node_attr(n, "standby")) {
            self.c.nodes[n.i()].standby = true;
        }
        if is_true(self.node_attr(n, "maintenance")) {
            self.c.nodes[n.i()].maintenance = true;
        }
        {
            let node = &mut self.c.nodes[n.i()];
            node.unclean = false;
            node.unseen = false;
        }
        self.determine_online_status(ns, n);
        if !self.c.options.have_quorum
            && self.c.nodes[n.i()].online
            && self.c.options.no_quorum_policy == NoQuorumPolicy::Suicide
        {
            self.fence_node(n, "cluster does not have quorum", false);
        }
    }

    pub(crate) fn state_attr(&self, elem: ElemId, name: &str) -> Option<&str> {
        self.cib.doc.get(elem).attr(name)
    }

    fn determine_online_status(&mut self, ns: &NodeState, n: NodeIdx) {
        let exp_state = ns.expected.as_deref();
        {
            let shutdown = self.shutdown_requested(n);
            let node = &mut self.c.nodes[n.i()];
            node.shutdown = false;
            node.expected_up = false;
            if shutdown {
                node.shutdown = true;
            } else if exp_state.is_some_and(|e| e.eq_ignore_ascii_case("member")) {
                node.expected_up = true;
            }
        }
        let online = if self.c.nodes[n.i()].ping {
            self.c.nodes[n.i()].unclean = false;
            false
        } else if !self.c.options.stonith_enabled {
            self.online_no_fencing(ns, n)
        } else {
            self.online_fencing(ns, n)
        };
        let node = &mut self.c.nodes[n.i()];
        if online {
            node.online = true;
        } else {
            node.fixed = true;
            node.weight = Score::MINUS_INFINITY;
        }
        if online && node.shutdown {
            node.fixed = true;
            node.weight = Score::MINUS_INFINITY;
        }
    }

    /// Since when the node has been a cluster member (`in_ccm`): -1 when
    /// unknown, 0 when not a member, else a time in seconds (the boolean
    /// form counts as "now").
    fn member_since(&self, in_ccm: Option<&str>) -> i64 {
        let Some(v) = in_ccm else { return -1 };
        let now = self.now.0.max(1);
        if !self.cib.pacemaker.node_membership_times {
            return if is_true(Some(v)) { now } else { 0 };
        }
        match parse_bool(v) {
            Some(true) => now,
            Some(false) => 0,
            None => match v.trim().parse::<i64>() {
                Ok(t) if t >= 0 => t,
                _ => -1,
            },
        }
    }

    /// Since when the node's controller has been online (`crmd`): 0 when
    /// offline, 1 for the legacy `online`, else a time in seconds.
    fn online_since(&self, crmd: Option<&str>) -> i64 {
        let Some(v) = crmd else { return 0 };
        if v.eq_ignore_ascii_case("online") {
            return 1;
        }
        if !self.cib.pacemaker.node_membership_times || v.eq_ignore_ascii_case("offline") {
            return 0;
        }
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|t| *t >= 0)
            .unwrap_or(0)
    }

    fn online_no_fencing(&mut self, ns: &NodeState, n: NodeIdx) -> bool {
        let eq = |v: Option<&str>, w: &str| v.is_some_and(|v| v.eq_ignore_ascii_case(w));
        if self.member_since(ns.in_ccm.as_deref()) <= 0 {
            false
        } else if self.online_since(ns.crmd.as_deref()) > 0 {
            eq(ns.join.as_deref(), "member")
        } else if !self.c.nodes[n.i()].expected_up {
            false
        } else {
            self.fence_node(n, "peer is unexpectedly down", false);
            false
        }
    }

    /// Has a node that joined the cluster but not the controller group
    /// been pending longer than `node-pending-timeout`?
    fn pending_too_long(&self, member: i64, online: i64) -> bool {
        let timeout = self.c.options.node_pending_timeout;
        timeout > 0 && member > 0 && online <= 0 && self.now.0 >= member + timeout
    }

    fn online_fencing(&mut self, ns: &NodeState, n: NodeIdx) -> bool {
        let eq = |v: Option<&str>, w: &str| v.is_some_and(|v| v.eq_ignore_ascii_case(w));
        let join = ns.join.as_deref();
        let terminate = self.node_attr(n, "terminate").map(str::to_owned);
        let do_terminate = match terminate.as_deref() {
            Some(t) if is_true(Some(t)) => true,
            Some(t) => t
                .as_bytes()
                .first()
                .is_some_and(|c| *c != b'0' && c.is_ascii_digit()),
            None => false,
        };
        let member = self.member_since(ns.in_ccm.as_deref());
        let online = self.online_since(ns.crmd.as_deref());
        let exp_state = ns.expected.as_deref().unwrap_or("down");
        let times = self.cib.pacemaker.node_membership_times;
        let fenced_as_requested = do_terminate && member <= 0 && online <= 0 && eq(join, "down");

        if self.c.nodes[n.i()].shutdown {
            // A dead peer cannot shut down.
            return online > 0;
        }
        if member < 0 {
            self.fence_node(n, "peer has not been seen by the cluster", false);
            return false;
        }
        if eq(join, "banned") {
            self.fence_node(n, "peer failed Pacemaker membership criteria", false);
        } else if times && do_terminate {
            if fenced_as_requested {
                return false;
            }
            self.fence_node(n, "fencing was requested", false);
        } else if !do_terminate && exp_state.eq_ignore_ascii_case("down") {
            if self.pending_too_long(member, online) {
                self.fence_node(
                    n,
                    "peer pending timed out on joining the process group",
                    false,
                );
            } else if member > 0 || online > 0 {
                let node = &mut self.c.nodes[n.i()];
                node.standby = true;
                node.pending = true;
            }
        } else if fenced_as_requested {
            return false;
        } else if member <= 0 {
            self.fence_node(n, "peer is no longer part of the cluster", true);
        } else if online <= 0 {
            self.fence_node(n, "peer process is no longer available", false);
        } else if do_terminate {
            self.fence_node(n, "termination was requested", false);
        } else if eq(join, "member") {
            // Active.
        } else if eq(join, "pending") || eq(join, "down") {
            let node = &mut self.c.nodes[n.i()];
            node.standby = true;
            node.pending = true;
        } else {
            self.fence_node(n, "peer was in an unknown state", false);
        }
        member > 0
    }

    /// `determine_remote_online_status`.
    pub(crate) fn determine_remote_online_status(&mut self, n: NodeIdx) {
        let Some(r) = self.c.nodes[n.i()].remote_rsc else {
            self.c.nodes[n.i()].online = false;
            return;
        };
        let rsc = &self.c.resources[r.i()];
        let container = rsc.container;
        let host = if container.is_some() && rsc.running_on.len() == 1 {
            rsc.running_on.first().copied()
        } else {
            None
        };
        let role = rsc.role;
        let next_role = rsc.next_role;
        let failed = rsc.failed;
        let (c_failed, c_stopped) = match container {
            Some(ct) => {
                let c = &self.c.resources[ct.i()];
                (c.failed, c.role == crate::cib::Role::Stopped)
            }
            None => (false, false),
        };
        let host_bad = host.is_some_and(|h| {
            let hn = &self.c.nodes[h.i()];
            !hn.online && hn.unclean
        });
        let node = &mut self.c.nodes[n.i()];
        if role == crate::cib::Role::Started {
            node.online = true;
        }
        if role == crate::cib::Role::Started && next_role == crate::cib::Role::Stopped {
            node.shutdown = true;
        }
        if container.is_some() && c_failed {
            node.online = false;
            node.remote_requires_reset = true;
        } else if failed {
            node.online = false;
        } else if role == crate::cib::Role::Stopped || (container.is_some() && c_stopped) {
            node.online = false;
            node.remote_requires_reset = false;
        } else if host_bad {
            node.online = false;
            node.remote_requires_reset = true;
        }
    }

    /// `unpack_handle_remote_attrs`.
    pub(crate) fn unpack_remote_attrs(&mut self, n: NodeIdx, ns: &NodeState) {
        let maint = self
            .state_attr(ns.elem, "node_in_maintenance")
            .and_then(super::leading_int)
            .unwrap_or(0);
        self.c.nodes[n.i()].remote_maintenance = maint > 0;
        let rsc = self.c.nodes[n.i()].remote_rsc;
        if !self.c.nodes[n.i()].remote_requires_reset {
            let node = &mut self.c.nodes[n.i()];
            node.unclean = false;
            node.unseen = false;
        }
        let sets: Vec<&NvSet> = ns.transient.iter().collect();
        self.add_node_attrs(n, &sets, true);
        if self.shutdown_requested(n) {
            self.c.nodes[n.i()].shutdown = true;
        }
        if is_true(self.node_attr(n, "standby")) {
            self.c.nodes[n.i()].standby = true;
        }
        let unmanaged_conn = rsc.is_some_and(|r| !self.c.resources[r.i()].managed);
        if is_true(self.node_attr(n, "maintenance")) || unmanaged_conn {
            self.c.nodes[n.i()].maintenance = true;
        }
        let discovery = self
            .node_attr(n, "resource-discovery-enabled")
            .map(str::to_owned);
        if let Some(d) = discovery {
            if !is_true(Some(&d)) && !(self.is_remote(n) && !self.c.options.stonith_enabled) {
                self.c.nodes[n.i()].rsc_discovery_enabled = false;
            }
        }
    }
}
