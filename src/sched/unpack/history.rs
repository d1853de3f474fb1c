//! The status section: node states (first pass), then each node's
//! operation history, resource by resource, to find where resources are
//! active, in what role, and what failed.

use super::opfail::cmp_on_fail;
use super::resources::{contains_remote_node, RscSpec, Tag};
use super::{glib_sort, is_true, leading_int, Unpacker};
use crate::cib::{LrmResource, NodeState, Role, Score};
use crate::sched::model::*;
use crate::xml::ElemId;

// Executor status codes.
const EXEC_PENDING: i32 = -1;
const EXEC_DONE: i32 = 0;
const EXEC_CANCELLED: i32 = 1;
const EXEC_TIMEOUT: i32 = 2;
const EXEC_NOT_SUPPORTED: i32 = 3;
const EXEC_ERROR: i32 = 4;
const EXEC_ERROR_HARD: i32 = 5;
const EXEC_ERROR_FATAL: i32 = 6;
const EXEC_NOT_INSTALLED: i32 = 7;
const EXEC_NOT_CONNECTED: i32 = 8;
const EXEC_INVALID: i32 = 9;
const EXEC_NO_FENCE_DEVICE: i32 = 10;
const EXEC_NO_SECRETS: i32 = 11;

// OCF exit codes.
const OCF_OK: i32 = 0;
const OCF_INVALID_PARAM: i32 = 2;
const OCF_UNIMPLEMENT_FEATURE: i32 = 3;
const OCF_INSUFFICIENT_PRIV: i32 = 4;
const OCF_NOT_INSTALLED: i32 = 5;
const OCF_NOT_CONFIGURED: i32 = 6;
const OCF_NOT_RUNNING: i32 = 7;
const OCF_RUNNING_PROMOTED: i32 = 8;
const OCF_FAILED_PROMOTED: i32 = 9;
const OCF_DEGRADED: i32 = 190;
const OCF_DEGRADED_PROMOTED: i32 = 191;

/// One `lrm_rsc_op`, with attributes read as Pacemaker reads them.
#[derive(Clone, Debug)]
pub(crate) struct HOp<'d> {
    pub elem: ElemId,
    pub id: &'d str,
    pub task: &'d str,
    /// `operation_key`, or the id without one.
    pub key: &'d str,
    pub call_id: i64,
    pub rc: i32,
    /// `rc-code` as written (-1 when not an integer), `None` when missing.
    pub rc_attr: Option<i64>,
    pub status: Option<i32>,
    pub interval_ms: u64,
    pub last_rc_change: Option<i64>,
    pub magic: Option<&'d str>,
    pub tkey: Option<&'d str>,
    pub on_node: Option<&'d str>,
    pub migrate_source: Option<&'d str>,
    pub migrate_target: Option<&'d str>,
}

/// `crm_element_value_int`: -1 when not an integer.
fn int_attr(v: Option<&str>) -> Option<i64> {
    v.map(|t| {
        t.trim()
            .parse::<i64>()
            .ok()
            .filter(|x| *x >= i32::MIN as i64 && *x <= i32::MAX as i64)
            .unwrap_or(-1)
    })
}

impl<'d> HOp<'d> {
    fn read(doc: &'d crate::xml::Document, elem: ElemId) -> HOp<'d> {
        // One pass over the attributes: histories hold most of a large
        // CIB's elements. The first occurrence of a name wins, as in lookups.
        let mut v: [Option<&'d str>; 13] = [None; 13];
        for (name, value, _) in doc.get(elem).attr_values() {
            let slot = match name {
                "id" => 0,
                "operation_key" => 1,
                "operation" => 2,
                "call-id" => 3,
                "rc-code" => 4,
                "op-status" => 5,
                "interval" => 6,
                "last-rc-change" => 7,
                "transition-magic" => 8,
                "transition-key" => 9,
                "on_node" => 10,
                "migrate_source" => 11,
                "migrate_target" => 12,
                _ => continue,
            };
            if v[slot].is_none() {
                v[slot] = Some(value);
            }
        }
        let id = v[0].unwrap_or_default();
        HOp {
            elem,
            key: v[1].unwrap_or(id),
            id,
            task: v[2].unwrap_or_default(),
            call_id: int_attr(v[3]).unwrap_or(-1),
            rc: int_attr(v[4]).unwrap_or(0) as i32,
            rc_attr: int_attr(v[4]),
            status: int_attr(v[5]).map(|x| x as i32),
            interval_ms: v[6].and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0),
            last_rc_change: v[7].and_then(|v| v.trim().parse().ok()),
            magic: v[8],
            tkey: v[9],
            on_node: v[10],
            migrate_source: v[11],
            migrate_target: v[12],
        }
    }

    fn is_probe(&self) -> bool {
        self.task == "monitor" && self.interval_ms == 0
    }

    /// `pcmk_xe_mask_probe_failure`.
    fn mask_probe_failure(&self) -> bool {
        self.is_probe()
            && (self.rc == OCF_NOT_INSTALLED
                || self.rc == OCF_INVALID_PARAM
                || self.status == Some(EXEC_NOT_INSTALLED))
    }

    /// `pe__target_rc_from_xml`.
    fn target_rc(&self) -> i32 {
        match &self.tkey {
            None => -1,
            Some(k) => decode_key(k).map(|(_, _, rc, _)| rc).unwrap_or(0),
        }
    }
}

/// `decode_transition_key`: (action, transition, target rc, uuid).
fn decode_key(key: &str) -> Option<(i64, i64, i32, String)> {
    let mut it = key.splitn(4, ':');
    let a = leading_int(it.next()?)?;
    let t = leading_int(it.next()?)?;
    let rc = leading_int(it.next()?)? as i32;
    let uuid: String = it.next()?.chars().take(36).collect();
    if uuid.is_empty() {
        return None;
    }
    Some((a, t, rc, uuid))
}

/// `decode_transition_magic`: (uuid, transition id).
fn decode_magic(magic: &str) -> Option<(String, i64)> {
    let (_, key) = magic.split_once(';')?;
    let (_, t, _, uuid) = decode_key(key)?;
    Some((uuid, t))
}

/// `pe__is_newer_op`: negative when `a` is older than `b`.
fn is_newer_op(a: &HOp<'_>, b: &HOp<'_>, same_node_default: bool) -> i32 {
    let same_node = match (&a.on_node, &b.on_node) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => same_node_default,
    };
    if same_node && a.id == b.id {
        return 0;
    }
    let (ac, bc) = (a.call_id, b.call_id);
    if ac == -1 && bc == -1 {
        return 0;
    } else if same_node && ac >= 0 && ac < bc {
        return -1;
    } else if same_node && bc >= 0 && ac > bc {
        return 1;
    } else if ac >= 0 && bc >= 0 && (!same_node || ac == bc) {
        let la = a.last_rc_change.unwrap_or(-1);
        let lb = b.last_rc_change.unwrap_or(-1);
        if la >= 0 && la < lb {
            return -1;
        } else if lb >= 0 && la > lb {
            return 1;
        }
        return 0;
    }
    let (Some(am), Some(bm)) = (&a.magic, &b.magic) else {
        return 0;
    };
    let (Some((au, aid)), Some((bu, bid))) = (decode_magic(am), decode_magic(bm)) else {
        return 0;
    };
    if !au.eq_ignore_ascii_case(&bu) || aid == bid {
        if bc == -1 {
            return -1;
        } else if ac == -1 {
            return 1;
        }
    } else if (aid >= 0 && aid < bid) || bid == -1 {
        return -1;
    } else if (bid >= 0 && aid > bid) || aid == -1 {
        return 1;
    }
    0
}

/// One `lrm_resource` entry anywhere in the status section.
pub(crate) struct StatusEntry<'c> {
    pub uname: Option<&'c str>,
    pub rsc_id: &'c str,
    pub ops: Vec<HOp<'c>>,
}

impl<'c> Unpacker<'c> {
    /// Every history entry of the status section, for xpath-style lookups.
    pub(crate) fn status_index(&self) -> &[StatusEntry<'c>] {
        let cib = self.cib;
        self.status_index.get_or_init(|| {
            let Some(states) = &cib.status else {
                return Vec::new();
            };
            states
                .iter()
                .flat_map(|ns| {
                    ns.lrm.iter().map(move |lr| StatusEntry {
                        uname: ns.uname.as_deref(),
                        rsc_id: cib.doc.text(lr.id),
                        ops: lr.ops.iter().map(|o| HOp::read(&cib.doc, o.elem)).collect(),
                    })
                })
                .collect()
        })
    }

    pub(crate) fn unpack_status(&mut self) {
        let cib = self.cib;
        let Some(states) = &cib.status else { return };
        self.unpack_tickets();
        for ns in states {
            self.unpack_node_state(ns);
        }
        while self.unpack_node_history(states, false) {}
        let fence = self.c.options.stonith_enabled;
        self.unpack_node_history(states, fence);

        for ct in std::mem::take(&mut self.c.stop_needed) {
            if let Some(n) = self.current_node(ct) {
                self.add_action(ct, n, UnpackActionKind::Stop, false);
            }
            self.c.stop_needed.push(ct);
        }
        for n in self.node_list() {
            if !self.is_guest_or_remote(n) {
                continue;
            }
            if self.c.nodes[n.i()].shutdown {
                if let Some(r) = self.c.nodes[n.i()].remote_rsc {
                    self.c.resources[r.i()].next_role = Role::Stopped;
                }
            }
            if !self.c.nodes[n.i()].unpacked {
                self.determine_remote_online_status(n);
            }
        }
    }

    fn unpack_tickets(&mut self) {
        let doc = &self.cib.doc;
        let Some(status) = doc.child_named(doc.root, "status") else {
            return;
        };
        for t in doc.children_named(status, "tickets").collect::<Vec<_>>() {
            for ts in doc.children_named(t, "ticket_state").collect::<Vec<_>>() {
                let el = doc.get(ts);
                let Some(id) = el.attr("id").filter(|i| !i.is_empty()) else {
                    continue;
                };
                let tk = self
                    .c
                    .tickets
                    .entry(id.to_owned())
                    .or_insert_with(|| Ticket {
                        id: id.to_owned(),
                        ..Default::default()
                    });
                tk.granted = is_true(el.attr("granted"));
                if let Some(lg) = el.attr("last-granted").and_then(leading_int) {
                    tk.last_granted = Some(lg);
                }
                tk.standby = is_true(el.attr("standby"));
            }
        }
    }

    /// One pass over node histories; true if any node was unpacked.
    fn unpack_node_history(&mut self, states: &[NodeState], fence: bool) -> bool {
        let mut progress = false;
        for ns in states {
            let Some(uname) = ns.uname.as_deref() else {
                continue;
            };
            if ns.id.is_empty() {
                continue;
            }
            let Some(n) = self.find_node_any(&ns.id, uname) else {
                continue;
            };
            if self.c.nodes[n.i()].unpacked {
                continue;
            }
            if fence {
                // Everything left is processed now.
            } else if self.is_guest(n) {
                let ok = self.c.nodes[n.i()].remote_rsc.is_some_and(|r| {
                    let rsc = &self.c.resources[r.i()];
                    rsc.role == Role::Started
                        && rsc
                            .container
                            .is_some_and(|c| self.c.resources[c.i()].role == Role::Started)
                });
                if !ok {
                    continue;
                }
            } else if self.is_remote(n) {
                let ok = self.c.nodes[n.i()].remote_rsc.is_some_and(|r| {
                    self.c.options.shutdown_lock || self.c.resources[r.i()].role == Role::Started
                });
                if !ok {
                    continue;
                }
            } else if !(self.c.options.stonith_enabled || self.c.options.shutdown_lock)
                && !self.c.nodes[n.i()].online
            {
                continue;
            }
            if self.is_guest_or_remote(n) {
                self.determine_remote_online_status(n);
                self.unpack_remote_attrs(n, ns);
            }
            self.c.nodes[n.i()].unpacked = true;
            self.unpack_node_lrm(n, ns);
            progress = true;
        }
        progress
    }

    fn unpack_node_lrm(&mut self, n: NodeIdx, ns: &NodeState) {
        let mut found_filler = false;
        for lr in &ns.lrm {
            if let Some(r) = self.unpack_lrm_resource(n, lr) {
                if self.c.resources[r.i()].orphan_container_filler {
                    found_filler = true;
                }
            }
        }
        if found_filler {
            let doc = &self.cib.doc;
            for lr in &ns.lrm {
                let Some(cid) = lr.container(doc) else {
                    continue;
                };
                let Some(ct) = self.find_resource(cid) else {
                    continue;
                };
                let Some(r) = self.find_resource(doc.text(lr.id)) else {
                    continue;
                };
                let rsc = &self.c.resources[r.i()];
                if !rsc.orphan_container_filler || rsc.container.is_some() {
                    continue;
                }
                self.c.resources[r.i()].container = Some(ct);
                self.c.resources[ct.i()].fillers.push(r);
                // A node whose (orphaned) connection now has a container is
                // a guest node from here on (`pe__is_guest_node`).
                for node in self.c.nodes.iter_mut() {
                    if node.remote_rsc == Some(r) && node.kind == NodeKind::Remote {
                        node.kind = NodeKind::Guest;
                    }
                }
            }
        }
    }

    fn unpack_lrm_resource(&mut self, n: NodeIdx, lr: &LrmResource) -> Option<RscIdx> {
        let cib = self.cib;
        let lr_id = cib.doc.text(lr.id);
        if lr_id.is_empty() {
            return None;
        }
        // Pacemaker prepends while collecting, then sorts stably.
        let mut ops: Vec<HOp> = lr
            .ops
            .iter()
            .map(|o| HOp::read(&self.cib.doc, o.elem))
            .collect();
        ops.reverse();
        if !self.c.options.shutdown_lock && ops.is_empty() {
            return None;
        }
        let r = match self.unpack_find_resource(n, lr_id) {
            Some(r) => r,
            None if ops.is_empty() => return None,
            None => self.process_orphan_resource(lr, n),
        };
        if self.c.options.shutdown_lock {
            self.unpack_shutdown_lock(lr, r, n);
        }
        let saved_role = self.c.resources[r.i()].role;
        self.c.resources[r.i()].role = Role::Unknown;
        let sorted = glib_sort(&ops, &mut |a, b| is_newer_op(a, b, true));
        let mut last_failure: Option<HOp<'c>> = None;
        let mut on_fail = OnFail::Ignore;
        let mut migrate_op = None;
        for op in &sorted {
            if op.task.eq_ignore_ascii_case("migrate_from") {
                migrate_op = Some(op.clone());
            }
            self.unpack_rsc_op(r, n, op, &mut last_failure, &mut on_fail);
        }
        let (start, stop) = calculate_active_ops(&sorted);
        self.process_recurring(n, r, start, stop, &sorted);
        self.process_rsc_state(r, n, on_fail, migrate_op.is_some());
        if self.target_roles.len() <= r.i() {
            self.target_roles
                .resize(self.c.resources.len().max(r.i() + 1), None);
        }
        let target = match self.target_roles[r.i()] {
            Some(t) => t,
            None => {
                let t = self.target_role(r);
                self.target_roles[r.i()] = Some(t);
                t
            }
        };
        if let Some(req) = target {
            let next = self.c.resources[r.i()].next_role;
            if next == Role::Unknown || req < next {
                self.c.resources[r.i()].next_role = req;
            }
        }
        if saved_role > self.c.resources[r.i()].role {
            self.c.resources[r.i()].role = saved_role;
        }
        Some(r)
    }

    fn unpack_shutdown_lock(&mut self, lr: &LrmResource, r: RscIdx, n: NodeIdx) {
        let lock = self
            .cib
            .doc
            .get(lr.elem)
            .attr("shutdown-lock")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
        if lock == 0 {
            return;
        }
        let limit = self.c.options.shutdown_lock_limit;
        if limit > 0 && self.now.0 > lock + limit {
            self.add_action(r, n, UnpackActionKind::LrmDelete, false);
        } else {
            let rsc = &mut self.c.resources[r.i()];
            rsc.lock_node = Some(n);
            rsc.lock_time = Some(crate::cib::time::Instant(lock));
        }
    }

    /// Record an action implied by the status (existing ones are reused).
    pub(crate) fn add_action(
        &mut self,
        r: RscIdx,
        n: NodeIdx,
        kind: UnpackActionKind,
        optional: bool,
    ) {
        let at = self.unpack_action_at.entry((r, n)).or_default();
        let actions = &mut self.c.unpack_actions;
        if let Some(i) = at.iter().copied().find(|i| actions[*i].kind == kind) {
            actions[i].optional = actions[i].optional && optional;
            return;
        }
        at.push(self.c.unpack_actions.len());
        self.c.unpack_actions.push(UnpackAction {
            rsc: r,
            node: n,
            kind,
            optional,
        });
    }

    // ----- finding the resource a history entry belongs to -----

    fn unpack_find_resource(&mut self, n: NodeIdx, rsc_id: &str) -> Option<RscIdx> {
        let mut rsc = self.find_resource_indexed(rsc_id);
        let parent;
        match rsc {
            None => {
                let zero = format!("{}:0", clone_strip(rsc_id));
                match self.find_resource_indexed(&zero) {
                    Some(z) if !self.c.resources[z.i()].unique => {
                        rsc = Some(z);
                        parent = Some(self.uber_parent(z));
                    }
                    _ => parent = None,
                }
            }
            Some(r) if self.c.resources[r.i()].variant != Variant::Primitive => return None,
            Some(r) => parent = Some(self.uber_parent(r)),
        }
        if let Some(p) = parent {
            if self.is_clone(p) && !self.c.resources[p.i()].unique {
                if self.is_bundled(p) {
                    rsc = self.c.resources[p.i()]
                        .parent
                        .and_then(|b| self.find_bundle_replica(b, n));
                } else {
                    rsc = self.find_anonymous_clone(n, p, clone_strip(rsc_id));
                }
            }
        }
        if let Some(r) = rsc {
            let res = &self.c.resources[r.i()];
            let same = res.id.eq_ignore_ascii_case(rsc_id)
                || res
                    .clone_name
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(rsc_id));
            if !same {
                self.c.resources[r.i()].clone_name = Some(rsc_id.to_owned());
                self.index_clone_name(r, rsc_id);
            }
        }
        rsc
    }

    fn find_bundle_replica(&self, bundle: RscIdx, n: NodeIdx) -> Option<RscIdx> {
        let b = self.c.resources[bundle.i()].bundle.as_ref()?;
        b.replicas
            .iter()
            .find(|rp| rp.node == Some(n))
            .and_then(|rp| rp.child)
    }

    /// Nodes where a resource is active or pending (`location(..., 2)`).
    fn locations(&self, r: RscIdx) -> Vec<NodeIdx> {
        let rsc = &self.c.resources[r.i()];
        let mut out: Vec<NodeIdx> = Vec::new();
        if !rsc.children.is_empty() {
            for c in &rsc.children {
                for x in self.locations(*c) {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
        } else {
            out.extend(rsc.running_on.iter().copied());
            if let Some(p) = rsc.pending_node {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    fn find_anonymous_clone(&mut self, n: NodeIdx, parent: RscIdx, rsc_id: &str) -> Option<RscIdx> {
        let mut rsc = None;
        let mut inactive = None;
        let mut skip_inactive = false;
        for child in self.c.resources[parent.i()].children.clone() {
            if rsc.is_some() {
                break;
            }
            let locs = self.locations(child);
            if let Some(first) = locs.first() {
                if *first == n {
                    rsc = self.find_in(child, rsc_id, true);
                    if let Some(x) = rsc {
                        if !self.c.resources[x.i()].running_on.is_empty() {
                            skip_inactive = true;
                            rsc = None;
                        }
                    }
                }
            } else if !skip_inactive && inactive.is_none() && !self.c.resources[child.i()].blocked {
                inactive = self.find_in(child, rsc_id, true);
                if let Some(x) = inactive {
                    if self.c.resources[x.i()].pending_node.is_some_and(|p| p != n) {
                        inactive = None;
                    }
                }
            }
        }
        if rsc.is_none() && !skip_inactive {
            rsc = inactive;
        }
        if let Some(x) = rsc {
            let node = &self.c.nodes[n.i()];
            let universal = self.c.resources[parent.i()]
                .clone
                .as_ref()
                .is_some_and(|c| c.clone_max as usize == self.c.nodes.len());
            if !self.c.resources[x.i()].needs_fencing
                && (!node.online || node.unclean)
                && !self.is_guest(n)
                && !universal
            {
                rsc = None;
            }
        }
        if rsc.is_none() {
            // A new instance beyond those in use: an orphan if over clone-max.
            let spec = self.clone_child_specs.get(&parent).cloned()?;
            let mut total = self.total_clones(parent);
            let top = self
                .create_clone_child(parent, &spec, &mut total)
                .ok()
                .flatten()?;
            rsc = self.find_in(top, rsc_id, true);
        }
        rsc
    }

    /// `process_orphan_resource`: history for a resource no longer configured.
    fn process_orphan_resource(&mut self, lr: &LrmResource, n: NodeIdx) -> RscIdx {
        let cib = self.cib;
        let doc = &cib.doc;
        let el = doc.get(lr.elem);
        let mut attrs: Vec<(String, String)> = el
            .attrs()
            .map(|a| (a.name.to_string(), a.value.to_string()))
            .collect();
        if !attrs.iter().any(|(k, _)| k == "id") {
            attrs.push(("id".into(), doc.text(lr.id).to_string()));
        }
        let spec = RscSpec {
            xml_id: doc.text(lr.id).to_string(),
            elem: lr.elem,
            tag: Tag::Primitive,
            incarnation: None,
            xml_attrs: attrs,
            class: lr.class(doc).map(str::to_owned),
            provider: lr.provider(doc).map(str::to_owned),
            agent: lr.agent(doc).map(str::to_owned),
            description: None,
            meta: Vec::new(),
            instance: Vec::new(),
            utilization: Vec::new(),
            ops: Vec::new(),
            config: None,
            children: Vec::new(),
        };
        let created = self.create_resource(&spec, None).ok().flatten();
        let r = match created {
            Some(r) => r,
            None => {
                // Cannot happen for a plain primitive; keep a stub regardless.
                let mut stub = Resource::new(doc.text(lr.id).to_string(), Variant::Primitive);
                stub.xml_id = doc.text(lr.id).to_string();
                self.c.resources.push(stub);
                self.rsc_sets.push((Vec::new(), Vec::new()));
                RscIdx(self.c.resources.len() as u32 - 1)
            }
        };
        if contains_remote_node(lr.class(doc), lr.provider(doc), lr.agent(doc)) {
            let id = doc.text(lr.id);
            let node = match self.find_node(id) {
                Some(x) => x,
                None => self.create_node(id, id, "remote", 0),
            };
            self.c.resources[r.i()].is_remote_node = true;
            self.c.nodes[node.i()].remote_rsc = Some(r);
            if self.c.resources[r.i()].container.is_none() {
                self.handle_startup_fencing(node);
            }
            self.c.nodes[node.i()].shutdown = true;
        }
        if lr.container(doc).is_some() {
            self.c.resources[r.i()].orphan_container_filler = true;
        }
        self.c.resources[r.i()].orphan = true;
        self.c.top.push(r);
        if !self.c.options.stop_orphan_resources {
            self.c.resources[r.i()].managed = false;
        } else {
            self.resource_location(
                r,
                None,
                -crate::cib::score::INFINITY,
                "__orphan_do_not_run__",
            );
        }
        let _ = n;
        r
    }

    // ----- one resource's state on one node -----

    fn set_active(&mut self, r: RscIdx) {
        let top = self.uber_parent(r);
        let promotable = self.c.resources[top.i()].promotable;
        self.c.resources[r.i()].role = if promotable {
            Role::Unpromoted
        } else {
            Role::Started
        };
    }

    /// `pe__find_active_on`.
    pub(crate) fn find_active_on(&self, r: RscIdx) -> (Option<NodeIdx>, usize, usize) {
        self.c.find_active_on(r)
    }

    /// `pe__current_node`.
    pub(crate) fn current_node(&self, r: RscIdx) -> Option<NodeIdx> {
        self.c.current_node(r)
    }

    /// `native_add_running`.
    pub(crate) fn add_running(&mut self, r: RscIdx, n: NodeIdx, failed: bool) {
        if self.c.resources[r.i()].running_on.contains(&n) {
            return;
        }
        self.c.resources[r.i()].running_on.push(n);
        let is_native = self.c.resources[r.i()].variant == Variant::Primitive;
        if is_native {
            self.c.nodes[n.i()].running.push(r);
            self.priority_to_node(r, n, failed);
            if self.c.nodes[n.i()].maintenance {
                self.c.resources[r.i()].managed = false;
                if self.cib.pacemaker.status_maintenance_flag {
                    self.c.resources[r.i()].maintenance = true;
                }
            }
        }
        if !self.c.resources[r.i()].managed {
            self.resource_location(
                r,
                Some(n),
                crate::cib::score::INFINITY,
                "not_managed_default",
            );
            let mut p = self.c.resources[r.i()].parent;
            while let Some(pi) = p {
                if !self.c.nodes[n.i()].online {
                    break;
                }
                self.c.resources[pi.i()].running_on.push(n);
                p = self.c.resources[pi.i()].parent;
            }
            return;
        }
        if is_native {
            let (_, all, clean) = self.find_active_on(r);
            let count = if self.c.resources[r.i()].needs_fencing {
                all
            } else {
                clean
            };
            if count > 1 {
                match self.c.resources[r.i()].multiple_active {
                    MultipleActive::StopOnly => {
                        let rsc = &mut self.c.resources[r.i()];
                        rsc.allowed_nodes = std::sync::Arc::new(
                            (0..self.c.nodes.len() as u32)
                                .map(|i| (NodeIdx(i), Score::MINUS_INFINITY))
                                .collect(),
                        );
                    }
                    MultipleActive::Block => {
                        let rsc = &mut self.c.resources[r.i()];
                        rsc.managed = false;
                        rsc.blocked = true;
                        if let Some(p) = rsc.parent {
                            let pr = &self.c.resources[p.i()];
                            if matches!(pr.variant, Variant::Group | Variant::Bundle)
                                && pr.multiple_active == MultipleActive::Block
                            {
                                for c in pr.children.clone() {
                                    let cr = &mut self.c.resources[c.i()];
                                    cr.managed = false;
                                    cr.blocked = true;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(p) = self.c.resources[r.i()].parent {
            self.add_running(p, n, false);
        }
    }

    fn priority_to_node(&mut self, r: RscIdx, n: NodeIdx, failed: bool) {
        let rsc = &self.c.resources[r.i()];
        if rsc.priority == 0 || failed {
            return;
        }
        let prio = if rsc.role == Role::Promoted {
            rsc.priority + 1
        } else {
            rsc.priority
        };
        self.c.nodes[n.i()].priority += prio;
        let hosts: Vec<NodeIdx> = self.c.nodes[n.i()]
            .remote_rsc
            .and_then(|rr| self.c.resources[rr.i()].container)
            .map(|ct| self.c.resources[ct.i()].running_on.clone())
            .unwrap_or_default();
        for h in hosts {
            self.c.nodes[h.i()].priority += prio;
        }
    }

    /// `process_rsc_state`: apply what one node's history implies.
    fn process_rsc_state(&mut self, r: RscIdx, n: NodeIdx, mut on_fail: OnFail, _migrate: bool) {
        if self.c.resources[r.i()].role != Role::Unknown {
            let mut it = Some(r);
            while let Some(x) = it {
                self.c.resources[x.i()].known_on.insert(n);
                if self.c.resources[x.i()].unique {
                    break;
                }
                it = self.c.resources[x.i()].parent;
            }
        }
        let rsc_id = self.c.resources[r.i()].id.clone();
        {
            let rsc = &self.c.resources[r.i()];
            let node = &self.c.nodes[n.i()];
            if rsc.role > Role::Stopped && !node.online && !node.maintenance && rsc.managed {
                let mut should_fence = false;
                let mut reason = None;
                if self.is_guest(n) {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                    should_fence = true;
                } else if self.c.options.stonith_enabled {
                    let conn_ok = self.c.nodes[n.i()]
                        .remote_rsc
                        .is_some_and(|rr| !self.c.resources[rr.i()].failed);
                    if self.is_remote(n) && conn_ok {
                        self.c.nodes[n.i()].unseen = true;
                        reason = Some(format!(
                            "{rsc_id} is active there (fencing will be revoked if remote connection can be re-established elsewhere)"
                        ));
                    }
                    should_fence = true;
                }
                if should_fence {
                    let reason =
                        reason.unwrap_or_else(|| format!("{rsc_id} is thought to be active there"));
                    self.fence_node(n, &reason, false);
                }
            }
        }
        let save_on_fail = on_fail;
        if self.c.nodes[n.i()].unclean {
            on_fail = OnFail::Ignore;
        }
        match on_fail {
            OnFail::Ignore => {}
            OnFail::Demote => {
                self.c.resources[r.i()].failed = true;
                self.add_action(r, n, UnpackActionKind::Demote, false);
            }
            OnFail::Fence => {
                self.fence_node(n, &format!("{rsc_id} failed there"), false);
            }
            OnFail::Standby => {
                let node = &mut self.c.nodes[n.i()];
                node.standby = true;
                node.standby_onfail = true;
            }
            OnFail::Block => {
                let rsc = &mut self.c.resources[r.i()];
                rsc.managed = false;
                rsc.blocked = true;
            }
            OnFail::Migrate => {
                self.resource_location(
                    r,
                    Some(n),
                    -crate::cib::score::INFINITY,
                    "__action_migration_auto__",
                );
            }
            OnFail::Stop => {
                self.c.resources[r.i()].next_role = Role::Stopped;
            }
            OnFail::Recover => {
                let role = self.c.resources[r.i()].role;
                if role != Role::Stopped && role != Role::Unknown {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                    self.add_action(r, n, UnpackActionKind::Stop, false);
                }
            }
            OnFail::RestartContainer => {
                {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                }
                let container = self.c.resources[r.i()].container;
                let role = self.c.resources[r.i()].role;
                if let (Some(ct), true) = (container, self.is_bundled(r)) {
                    self.c.stop_needed.insert(0, ct);
                } else if let Some(ct) = container {
                    self.add_action(ct, n, UnpackActionKind::Stop, false);
                } else if role != Role::Stopped && role != Role::Unknown {
                    self.add_action(r, n, UnpackActionKind::Stop, false);
                }
            }
            OnFail::ResetRemote => {
                {
                    let rsc = &mut self.c.resources[r.i()];
                    rsc.failed = true;
                    rsc.stop = true;
                }
                if self.c.options.stonith_enabled {
                    let tmp = if self.c.resources[r.i()].is_remote_node {
                        self.find_node(&rsc_id)
                    } else {
                        None
                    };
                    if let Some(t) = tmp {
                        if self.is_remote(t) && !self.c.nodes[t.i()].remote_was_fenced {
                            self.fence_node(t, "remote connection is unrecoverable", false);
                        }
                    }
                }
                if self.c.resources[r.i()].role > Role::Stopped {
                    self.add_action(r, n, UnpackActionKind::Stop, false);
                }
                if self.c.resources[r.i()].remote_reconnect_ms > 0 {
                    self.c.resources[r.i()].next_role = Role::Stopped;
                }
            }
        }
        if self.c.resources[r.i()].failed && self.c.resources[r.i()].is_remote_node {
            if let Some(t) = self.find_node(&rsc_id) {
                if self.c.nodes[t.i()].unclean {
                    self.c.nodes[t.i()].unseen = false;
                }
            }
        }
        let role = self.c.resources[r.i()].role;
        if role != Role::Stopped && role != Role::Unknown {
            self.add_running(r, n, save_on_fail != OnFail::Ignore);
            let rsc = &mut self.c.resources[r.i()];
            match on_fail {
                OnFail::Ignore => {}
                OnFail::Demote | OnFail::Block => rsc.failed = true,
                _ => {
                    rsc.failed = true;
                    rsc.stop = true;
                }
            }
        } else if self.c.resources[r.i()]
            .clone_name
            .as_deref()
            .is_some_and(|c| c.contains(':'))
        {
            // Old status sections recorded instance numbers.
            self.c.resources[r.i()].clone_name = None;
        } else {
            for i in self.unpack_action_at.get(&(r, n)).into_iter().flatten() {
                let a = &mut self.c.unpack_actions[*i];
                if a.kind == UnpackActionKind::Stop {
                    a.optional = true;
                }
            }
        }
        let rsc = &self.c.resources[r.i()];
        if rsc.role == Role::Stopped
            && rsc.partial_migration_source == Some(n)
            && rsc.partial_migration_target.is_some()
            && !rsc.running_on.is_empty()
        {
            self.c.resources[r.i()].role = Role::Started;
        }
    }

    fn process_recurring(&mut self, n: NodeIdx, r: RscIdx, start: i64, stop: i64, ops: &[HOp]) {
        for (counter, op) in ops.iter().enumerate() {
            let counter = counter as i64;
            if !self.c.nodes[n.i()].online {
                break;
            } else if start < stop && counter <= stop {
                continue;
            } else if counter < start {
                continue;
            }
            if op.interval_ms == 0 || op.status == Some(-1) {
                continue;
            }
            self.add_action(
                r,
                n,
                UnpackActionKind::Recurring {
                    task: op.task.to_string(),
                    interval_ms: op.interval_ms,
                },
                true,
            );
        }
    }
}

/// `calculate_active_ops`: (start index, stop index), -1 when none.
fn calculate_active_ops(ops: &[HOp]) -> (i64, i64) {
    let (mut start, mut stop) = (-1i64, -1i64);
    let (mut implied_monitor, mut implied_clone) = (-1i64, -1i64);
    for (i, op) in ops.iter().enumerate() {
        let i = i as i64;
        let t = op.task.to_ascii_lowercase();
        if t == "stop" && op.status == Some(0) {
            stop = i;
        } else if t == "start" || t == "migrate_from" {
            start = i;
        } else if implied_monitor <= stop && t == "monitor" {
            if op.rc == 0 || op.rc == 8 {
                implied_monitor = i;
            }
        } else if t == "promote" || t == "demote" {
            implied_clone = i;
        }
    }
    if start == -1 {
        if implied_clone != -1 {
            start = implied_clone;
        } else if implied_monitor != -1 {
            start = implied_monitor;
        }
    }
    (start, stop)
}

pub(crate) use crate::sched::clone::clone_strip;

mod ops;
