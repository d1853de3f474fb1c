//! DRBD rules, and what they share: finding the DRBD promotable clones and
//! the resources that depend on them (ordered after, colocated with, or
//! using one of their block devices), reasoned about at the level of
//! placement units (a top-level primitive, group, clone or bundle).

pub mod dual_primary_migration;
pub mod fence_constraint;
pub mod promoted_dependency;
pub mod without_notify;

use crate::cib::{NvPair, ResourceId, Role};
use crate::lint::context::{ColocationEdge, OrderEdge};
use crate::lint::Context;
use std::collections::{HashMap, HashSet, VecDeque};

/// A promotable clone (or `<master>`) of the DRBD resource agent.
pub struct DrbdClone<'a> {
    pub id: ResourceId,
    /// The `ocf:linbit:drbd` primitive inside it.
    pub primitive: ResourceId,
    /// Its `drbd_resource` parameter.
    pub resource_name: Option<&'a str>,
}

/// Every DRBD promotable clone, in document order.
pub fn drbd_clones<'a>(cx: &Context<'a>) -> Vec<DrbdClone<'a>> {
    let cib = cx.cib;
    let mut out = Vec::new();
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_promotable() {
            continue;
        }
        let id = ResourceId(i as u32);
        let Some(primitive) = cib
            .primitives_under(id)
            .into_iter()
            .find(|&p| is_drbd_primitive(cx, p))
        else {
            continue;
        };
        out.push(DrbdClone {
            id,
            primitive,
            resource_name: cib.resource(primitive).param_value("drbd_resource"),
        });
    }
    out
}

/// `ocf:linbit:drbd` (or the long-gone `ocf:heartbeat:drbd` it replaced).
pub fn is_drbd_primitive(cx: &Context, id: ResourceId) -> bool {
    cx.is_agent(id, "ocf", None, "drbd")
}

/// A DRBD block device path, as a parameter names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device<'a> {
    /// `/dev/drbdN`: a minor number, which names no DRBD resource.
    Minor(u32),
    /// `/dev/drbd/by-res/NAME` or `/dev/drbd/by-res/NAME/VOLUME`.
    Resource(&'a str),
}

pub fn parse_drbd_device(value: &str) -> Option<Device<'_>> {
    let v = value.trim();
    if let Some(rest) = v.strip_prefix("/dev/drbd/by-res/") {
        let name = rest.split('/').next().unwrap_or("");
        let tail_ok = rest
            .split('/')
            .nth(1)
            .is_none_or(|vol| vol.is_empty() || vol.bytes().all(|b| b.is_ascii_digit()));
        return (!name.is_empty() && tail_ok && rest.split('/').count() <= 2)
            .then_some(Device::Resource(name));
    }
    let n = v.strip_prefix("/dev/drbd")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok().map(Device::Minor)
}

/// A colocation edge with both sides resolved to placement units.
pub struct Coloc<'a> {
    pub edge: &'a ColocationEdge,
    pub dep: Vec<ResourceId>,
    pub pri: Vec<ResourceId>,
}

/// An ordering edge with both sides resolved to placement units.
pub struct Ordering<'a> {
    pub edge: &'a OrderEdge,
    pub first: Vec<ResourceId>,
    pub then: Vec<ResourceId>,
}

/// Constraint edges resolved to units, with indexes by unit.
pub struct Links<'a> {
    pub colocs: Vec<Coloc<'a>>,
    pub orders: Vec<Ordering<'a>>,
    pub coloc_by_pri: HashMap<ResourceId, Vec<usize>>,
    pub coloc_by_dep: HashMap<ResourceId, Vec<usize>>,
    pub order_by_first: HashMap<ResourceId, Vec<usize>>,
}

/// The placement units a constraint reference names.
pub fn units(cx: &Context, name: &str) -> Vec<ResourceId> {
    let mut v: Vec<ResourceId> = cx
        .resolve(name)
        .into_iter()
        .map(|r| cx.cib.top_of(r))
        .collect();
    v.sort();
    v.dedup();
    v
}

impl<'a> Links<'a> {
    pub fn new(cx: &'a Context) -> Links<'a> {
        let mut cache: HashMap<&str, Vec<ResourceId>> = HashMap::new();
        let mut get = |name: &'a str| -> Vec<ResourceId> {
            cache.entry(name).or_insert_with(|| units(cx, name)).clone()
        };
        let mut links = Links {
            colocs: Vec::new(),
            orders: Vec::new(),
            coloc_by_pri: HashMap::new(),
            coloc_by_dep: HashMap::new(),
            order_by_first: HashMap::new(),
        };
        for e in cx.colocations.iter().filter(|e| !e.implicit) {
            let c = Coloc {
                edge: e,
                dep: get(&e.dependent),
                pri: get(&e.primary),
            };
            let i = links.colocs.len();
            for &u in &c.pri {
                links.coloc_by_pri.entry(u).or_default().push(i);
            }
            for &u in &c.dep {
                links.coloc_by_dep.entry(u).or_default().push(i);
            }
            links.colocs.push(c);
        }
        for e in cx.orders.iter().filter(|e| !e.implicit) {
            let o = Ordering {
                edge: e,
                first: get(&e.first),
                then: get(&e.then),
            };
            let i = links.orders.len();
            for &u in &o.first {
                links.order_by_first.entry(u).or_default().push(i);
            }
            links.orders.push(o);
        }
        links
    }
}

/// Does an ordering's first action make its `then` wait for the resource
/// to be up (start or promote)?
pub fn is_up_action(a: &str) -> bool {
    matches!(a, "start" | "started" | "promote" | "promoted")
}

pub fn is_promote_action(a: &str) -> bool {
    matches!(a, "promote" | "promoted")
}

/// Why a unit counts as depending on a DRBD clone.
pub struct Dependent<'p> {
    pub unit: ResourceId,
    /// Positive colocations of the unit (or a member) with the clone.
    pub colocs: Vec<usize>,
    /// Positive colocations of the clone with the unit (the wrong way round).
    pub reversed: Vec<usize>,
    /// Orderings of the unit (or a member) after the clone comes up.
    pub orders: Vec<usize>,
    /// Primitives of the unit whose parameters name the clone's device.
    pub devices: Vec<(ResourceId, &'p NvPair)>,
}

impl Dependent<'_> {
    /// Related only through a device path, with no constraint at all.
    pub fn device_only(&self) -> bool {
        self.colocs.is_empty() && self.reversed.is_empty() && self.orders.is_empty()
    }
}

/// The units that depend on `clone`, in document order.
pub fn dependents<'a>(
    cx: &Context<'a>,
    links: &Links,
    clones: &[DrbdClone],
    clone: &DrbdClone,
) -> Vec<Dependent<'a>> {
    let cib = cx.cib;
    let c = clone.id;
    let drbd_units: HashSet<ResourceId> = clones.iter().map(|d| d.id).collect();
    let mut found: HashMap<ResourceId, Dependent<'a>> = HashMap::new();
    fn entry<'m, 'p>(
        found: &'m mut HashMap<ResourceId, Dependent<'p>>,
        skip: &dyn Fn(ResourceId) -> bool,
        u: ResourceId,
    ) -> Option<&'m mut Dependent<'p>> {
        if skip(u) {
            return None;
        }
        Some(found.entry(u).or_insert_with(|| Dependent {
            unit: u,
            colocs: Vec::new(),
            reversed: Vec::new(),
            orders: Vec::new(),
            devices: Vec::new(),
        }))
    }
    let skip = |u: ResourceId| u == c || drbd_units.contains(&u);
    for &i in links.coloc_by_pri.get(&c).into_iter().flatten() {
        let e = links.colocs[i].edge;
        if e.score.is_some_and(|s| s.0 <= 0) {
            continue;
        }
        // Colocated with the Secondary on purpose (a backup job, say):
        // that is not a dependency on the Primary.
        if e.primary_role == Some(Role::Unpromoted) {
            continue;
        }
        for &u in &links.colocs[i].dep {
            if let Some(d) = entry(&mut found, &skip, u) {
                d.colocs.push(i);
            }
        }
    }
    for &i in links.order_by_first.get(&c).into_iter().flatten() {
        let e = links.orders[i].edge;
        if !is_up_action(&e.first_action) || !is_up_action(&e.then_action) {
            continue;
        }
        for &u in &links.orders[i].then {
            if let Some(d) = entry(&mut found, &skip, u) {
                d.orders.push(i);
            }
        }
    }
    // Device users: by resource name, or by minor when unambiguous.
    for (pi, p) in cib.resources.iter().enumerate() {
        if !p.is_primitive() {
            continue;
        }
        let pid = ResourceId(pi as u32);
        if is_drbd_primitive(cx, pid) {
            continue;
        }
        for pair in p.instance.iter().flat_map(|s| s.pairs.iter()) {
            let Some(dev) = pair.value.as_deref().and_then(parse_drbd_device) else {
                continue;
            };
            let unit = cib.top_of(pid);
            let matches = match dev {
                Device::Resource(name) => clone.resource_name == Some(name),
                Device::Minor(_) => clones.len() == 1 || has_any_constraint(links, unit, c),
            };
            if matches {
                if let Some(d) = entry(&mut found, &skip, unit) {
                    d.devices.push((pid, pair));
                }
            }
        }
    }
    // The clone colocated with a unit places DRBD by the unit, not the
    // unit by DRBD (a floating IP that DRBD replicates over, say): on its
    // own that is no dependency, but for a unit that depends on the clone
    // anyway it is how the two are tied.
    for &i in links.coloc_by_dep.get(&c).into_iter().flatten() {
        let e = links.colocs[i].edge;
        if e.score.is_some_and(|s| s.0 <= 0) || e.dependent_role == Some(Role::Unpromoted) {
            continue;
        }
        for &u in &links.colocs[i].pri {
            if let Some(d) = found.get_mut(&u) {
                d.reversed.push(i);
            }
        }
    }
    let mut v: Vec<Dependent<'a>> = found.into_values().collect();
    v.sort_by_key(|d| cib.resource(d.unit).elem);
    v
}

/// Whether `unit` has any colocation or ordering with `clone`, either way.
fn has_any_constraint(links: &Links, unit: ResourceId, clone: ResourceId) -> bool {
    let coloc = |i: &usize| {
        let c = &links.colocs[*i];
        (c.dep.contains(&unit) && c.pri.contains(&clone))
            || (c.pri.contains(&unit) && c.dep.contains(&clone))
    };
    links
        .coloc_by_dep
        .get(&unit)
        .into_iter()
        .flatten()
        .any(coloc)
        || links
            .coloc_by_pri
            .get(&unit)
            .into_iter()
            .flatten()
            .any(coloc)
        || links
            .order_by_first
            .get(&unit)
            .into_iter()
            .flatten()
            .any(|&i| links.orders[i].then.contains(&clone))
        || links
            .order_by_first
            .get(&clone)
            .into_iter()
            .flatten()
            .any(|&i| links.orders[i].then.contains(&unit))
}

/// Units whose placement is tied to the clone's Promoted role by mandatory
/// colocations: directly, or through a chain of units so tied.
pub fn tied_to_promoted(cx: &Context, links: &Links, clone: ResourceId) -> HashSet<ResourceId> {
    let cib = cx.cib;
    let mut tied: HashSet<ResourceId> = HashSet::new();
    let mut queue = VecDeque::new();
    for &i in links.coloc_by_pri.get(&clone).into_iter().flatten() {
        let e = links.colocs[i].edge;
        if e.primary_role == Some(Role::Promoted) && e.score.is_some_and(|s| s.is_plus_infinity()) {
            for &u in &links.colocs[i].dep {
                if u != clone && tied.insert(u) {
                    queue.push_back(u);
                }
            }
        }
    }
    // The clone's Promoted role colocated with the unit also ties them.
    for &i in links.coloc_by_dep.get(&clone).into_iter().flatten() {
        let e = links.colocs[i].edge;
        if e.dependent_role == Some(Role::Promoted) && e.score.is_some_and(|s| s.is_plus_infinity())
        {
            for &u in &links.colocs[i].pri {
                if u != clone && tied.insert(u) {
                    queue.push_back(u);
                }
            }
        }
    }
    while let Some(v) = queue.pop_front() {
        // Through a promotable unit only its Promoted role is tied; keep it
        // simple and do not follow chains through such units.
        if cib.resource(v).is_promotable() {
            continue;
        }
        for &i in links.coloc_by_pri.get(&v).into_iter().flatten() {
            let e = links.colocs[i].edge;
            if !e.score.is_some_and(|s| s.is_plus_infinity()) {
                continue;
            }
            for &u in &links.colocs[i].dep {
                if u != clone && tied.insert(u) {
                    queue.push_back(u);
                }
            }
        }
    }
    tied
}

/// Units that start only after the clone is promoted, by mandatory
/// orderings: directly after promote, or after a unit that is.
pub fn ordered_after_promote(
    cx: &Context,
    links: &Links,
    clone: ResourceId,
) -> HashSet<ResourceId> {
    let mut after: HashSet<ResourceId> = HashSet::new();
    let mut queue = VecDeque::new();
    let visit = |from: ResourceId, promote_only: bool, after: &mut HashSet<ResourceId>| {
        let mut next = Vec::new();
        for &i in links.order_by_first.get(&from).into_iter().flatten() {
            let e = links.orders[i].edge;
            let first_ok = if promote_only {
                is_promote_action(&e.first_action)
            } else {
                is_up_action(&e.first_action)
            };
            if !e.mandatory || !first_ok || !is_up_action(&e.then_action) {
                continue;
            }
            for &u in &links.orders[i].then {
                if u != clone && takes_action(cx, u, &e.then_action) && after.insert(u) {
                    next.push(u);
                }
            }
        }
        next
    };
    queue.extend(visit(clone, true, &mut after));
    while let Some(v) = queue.pop_front() {
        queue.extend(visit(v, false, &mut after));
    }
    after
}

/// Whether `unit` ever performs `action`: only promotable resources are
/// promoted, so an ordering on a primitive's promote never fires.
pub fn takes_action(cx: &Context, unit: ResourceId, action: &str) -> bool {
    !matches!(action, "promote" | "promoted" | "demote" | "demoted")
        || cx.cib.resource(unit).is_promotable()
}

/// The role name to use in commands for this clone: `Master` for the
/// legacy `<master>` element, `Promoted` otherwise.
pub fn promoted_word(cx: &Context, clone: ResourceId) -> &'static str {
    match cx.cib.resource(clone).variant {
        crate::cib::Variant::Clone {
            legacy_master: true,
            ..
        } => "Master",
        _ => "Promoted",
    }
}

/// The clone's `promoted-max` (or legacy `master-max`, default 1), and the
/// name/value pair that sets it.
pub fn promoted_max<'a>(cx: &Context<'a>, clone: ResourceId) -> (i64, Option<&'a NvPair>) {
    for name in ["promoted-max", "master-max"] {
        if let Some(p) = meta_source(cx, clone, name) {
            if let Some(n) = p
                .value
                .as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok())
            {
                return (n, Some(p));
            }
        }
    }
    (1, None)
}

/// Where a resource's effective meta attribute comes from: its own set,
/// an ancestor's, or `rsc_defaults`.
pub fn meta_source<'a>(cx: &Context<'a>, id: ResourceId, name: &str) -> Option<&'a NvPair> {
    let cib = cx.cib;
    for r in cx.self_and_ancestors(id) {
        if let Some(p) = cib.resource(r).meta_pair(name) {
            return Some(p);
        }
    }
    cib.rsc_default(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_paths() {
        assert_eq!(parse_drbd_device("/dev/drbd0"), Some(Device::Minor(0)));
        assert_eq!(parse_drbd_device(" /dev/drbd12 "), Some(Device::Minor(12)));
        assert_eq!(
            parse_drbd_device("/dev/drbd/by-res/r0"),
            Some(Device::Resource("r0"))
        );
        assert_eq!(
            parse_drbd_device("/dev/drbd/by-res/r0/1"),
            Some(Device::Resource("r0"))
        );
        assert_eq!(parse_drbd_device("/dev/drbd"), None);
        assert_eq!(parse_drbd_device("/dev/drbd0p1"), None);
        assert_eq!(parse_drbd_device("/dev/drbd/by-disk/vg/lv"), None);
        assert_eq!(parse_drbd_device("/dev/drbd/by-res/"), None);
        assert_eq!(parse_drbd_device("/dev/sda1"), None);
    }
}
