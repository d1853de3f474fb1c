//! Upgrade rules about resources: element kinds, classes, agents and meta
//! attributes Pacemaker 3.0 no longer supports or reads differently.

use super::{config_elems, inside, nvpairs_named, owner, release, CIBADMIN};
use crate::cib::Variant;
use crate::lint::{Context, Emitter};

/// UP001 `master-resource`: `<master>`, read by 3.0 only as the promotable
/// clone its schema upgrade turns it into.
pub fn master_resource(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let cib = cx.cib;
    for r in &cib.resources {
        if !matches!(
            r.variant,
            Variant::Clone {
                legacy_master: true,
                ..
            }
        ) {
            continue;
        }
        let d = em
            .diag(
                cib.doc.get(r.elem).name_span,
                format!(
                    "`{}` is a `<master>` resource, which Pacemaker {} no longer supports: it reads it as a promotable `<clone>`",
                    r.id, rel.series
                ),
            )
            .label("becomes <clone> with promotable=true")
            .help(format!(
                "{CIBADMIN}; it rewrites the element as `<clone>` with meta-attribute `promotable=true` \
                 (same id, so constraints still apply)"
            ))
            .element(r.id.clone());
        em.push(d);
    }
}

/// UP002 `removed-resource-class`: `nagios` and `upstart` primitives and
/// templates, deleted by 3.0's schema upgrade.
pub fn removed_resource_class(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["primitive", "template"]) {
        let el = doc.get(e);
        let Some(class) = el
            .attr("class")
            .filter(|c| c.eq_ignore_ascii_case("nagios") || c.eq_ignore_ascii_case("upstart"))
        else {
            continue;
        };
        let id = el.attr("id").unwrap_or_default();
        let d = em
            .diag(
                el.attr_span("class"),
                format!(
                    "`{id}` is deleted by Pacemaker {}: the `{class}` resource class is no longer supported \
                     (a group or clone left empty, and constraints naming only it, go too)",
                    rel.series
                ),
            )
            .label("class no longer supported")
            .help(
                "before upgrading, replace it with a `systemd` unit (for upstart jobs) or an OCF agent \
                 (for nagios checks, e.g. run the check from the agent's monitor); \
                 the schema upgrade only deletes it",
            )
            .element(id.to_string());
        em.push(d);
    }
}

/// UP003 `rkt-bundle`: bundles on rkt containers, deleted by 3.0.
pub fn rkt_bundle(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["rkt"]) {
        if doc
            .get(e)
            .parent
            .is_none_or(|p| doc.get(p).name != "bundle")
        {
            continue;
        }
        let bundle = owner(cx, e);
        let d = em
            .diag(
                doc.get(e).name_span,
                format!(
                    "{bundle} is deleted by Pacemaker {}: bundles on rkt containers are no longer supported",
                    rel.series
                ),
            )
            .label("rkt runtime")
            .help(
                "before upgrading, move the bundle to `<podman>` or `<docker>` (same `image` and options, \
                 once the image is available to that runtime)",
            );
        em.push(d);
    }
}

/// UP004 `bundle-masters`: the `masters` option of a bundle's container.
pub fn bundle_masters(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["docker", "podman", "rkt"]) {
        let el = doc.get(e);
        let Some(v) = el.attr("masters") else {
            continue;
        };
        let d = em
            .diag(
                el.attr_whole_span("masters"),
                format!(
                    "{} sets `masters=\"{v}\"`, which Pacemaker {} no longer supports: its schema upgrade renames it `promoted-max`",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("write promoted-max")
            .help(format!("{CIBADMIN}; by hand, rename the attribute to `promoted-max`"));
        em.push(d);
    }
}

/// UP005 `restart-type`: the `restart-type` meta attribute, dropped.
pub fn restart_type(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for (e, kind) in nvpairs_named(cx, &["restart-type"]) {
        if kind != "meta_attributes" {
            continue;
        }
        let v = doc.get(e).attr("value").unwrap_or_default();
        let d = em
            .diag(
                doc.get(e).tag_span,
                format!(
                    "{} sets `restart-type={v}`, which Pacemaker {} drops: the resource is no longer restarted \
                     because a resource it depends on restarts",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("dropped by the upgrade")
            .help(
                "express the dependency as a mandatory order (`kind=Mandatory`, the default) from the resource \
                 it depends on: a mandatory order restarts the dependent when the first one restarts",
            );
        em.push(d);
    }
}

/// UP006 `operation-failure-option`: `can_fail`, `can-fail` and
/// `role_after_failure` on operations, dropped.
pub fn operation_failure_option(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    const NAMES: &[&str] = &["can_fail", "can-fail", "role_after_failure"];
    let doc = &cx.cib.doc;
    let mut found = Vec::new();
    for e in config_elems(cx, &["op"]) {
        for n in NAMES {
            if let Some(v) = doc.get(e).attr(n) {
                found.push((e, doc.get(e).attr_whole_span(n), n.to_string(), v));
            }
        }
    }
    for (e, _) in nvpairs_named(cx, NAMES) {
        if inside(cx, e, "op") || inside(cx, e, "op_defaults") {
            let el = doc.get(e);
            found.push((
                e,
                el.tag_span,
                el.attr("name").unwrap_or_default().to_string(),
                el.attr("value").unwrap_or_default(),
            ));
        }
    }
    found.sort_by_key(|f| f.1.start);
    for (e, span, name, v) in found {
        let what = if name == "role_after_failure" {
            "the role a failed resource is left in is decided by `on-fail` alone"
        } else {
            "a failure of the operation is no longer ignored but handled as `on-fail` says"
        };
        let target = if doc.get(e).name == "op" {
            format!("<op> `{}`", doc.get(e).attr("id").unwrap_or_default())
        } else {
            owner(cx, e)
        };
        let d = em
            .diag(
                span,
                format!(
                    "{target} sets `{name}={v}`, which Pacemaker {} drops: {what}",
                    rel.series
                ),
            )
            .label("dropped by the upgrade")
            .help(
                "use `on-fail` instead (`on-fail=ignore` for a failure that must not count, \
                 `on-fail=demote` or `on-fail=stop` for the role after a failure)",
            );
        em.push(d);
    }
}

/// UP007 `clone-node-max-unique-default`: a clone with `clone-node-max`
/// above 1 and no `globally-unique`: 2.1.5 makes it anonymous and ignores
/// `clone-node-max`, 3.0 makes it globally unique and honours it.
pub fn clone_unique_default(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let cib = cx.cib;
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_clone() {
            continue;
        }
        let id = crate::cib::ResourceId(i as u32);
        let Some(max) = cx.meta(id, "clone-node-max") else {
            continue;
        };
        if max.trim().parse::<i64>().map_or(true, |n| n <= 1)
            || cx.meta(id, "globally-unique").is_some()
        {
            continue;
        }
        let d = em
            .diag(
                cib.doc.get(r.elem).name_span,
                format!(
                    "clone `{}` has `clone-node-max={}` and no `globally-unique`: Pacemaker 2.1.5 makes it \
                     anonymous and runs one instance per node, Pacemaker {} makes it globally unique and runs \
                     up to {} per node",
                    r.id,
                    max.trim(),
                    rel.series,
                    max.trim()
                ),
            )
            .label("globally-unique now defaults to true")
            .help(
                "say what you mean before upgrading: `clone-node-max=1` keeps one instance per node, \
                 `globally-unique=true` asks for several (anonymous clones support only one per node)",
            )
            .element(r.id.clone());
        em.push(d);
    }
}

/// UP008 `negative-migration-threshold`: 2.1.5 reads a negative
/// `migration-threshold` as 1, 3.0 as invalid (the default, INFINITY).
pub fn negative_migration_threshold(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for (e, kind) in nvpairs_named(cx, &["migration-threshold"]) {
        if kind != "meta_attributes" {
            continue;
        }
        let v = doc.get(e).attr("value").unwrap_or_default();
        if !v.trim_start().starts_with('-') {
            continue;
        }
        let d = em
            .diag(
                doc.get(e).attr_span("value"),
                format!(
                    "{} sets `migration-threshold={v}`: Pacemaker 2.1.5 reads a negative threshold as 1 \
                     (move away after the first failure), Pacemaker {} as invalid, using the default \
                     (INFINITY: never move away because of failures)",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("negative threshold")
            .help("write the threshold meant: `migration-threshold=1` keeps today's behaviour");
        em.push(d);
    }
}

/// UP009 `rsc-defaults-instance-attributes`: `instance_attributes` in
/// `rsc_defaults`, no longer read.
pub fn rsc_defaults_instance_attributes(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["instance_attributes"]) {
        if doc
            .get(e)
            .parent
            .is_none_or(|p| doc.get(p).name != "rsc_defaults")
        {
            continue;
        }
        let names: Vec<&str> = doc
            .children_named(e, "nvpair")
            .filter_map(|n| doc.get(n).attr("name"))
            .collect();
        let d = em
            .diag(
                doc.get(e).name_span,
                format!(
                    "`rsc_defaults` has `instance_attributes` ({}), which Pacemaker {} no longer supports: \
                     its schema rejects the CIB",
                    crate::lint::id_list(&names),
                    rel.series
                ),
            )
            .label("rejected by Pacemaker 3.0")
            .help(
                "set the parameters on each resource (or on a resource template the resources use) \
                 before upgrading",
            );
        em.push(d);
    }
}

/// UP010 `removed-agent`: `ocf:pacemaker:o2cb`, no longer shipped.
pub fn removed_agent(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["primitive", "template"]) {
        let el = doc.get(e);
        if el.attr("class") != Some("ocf")
            || el.attr("provider") != Some("pacemaker")
            || el.attr("type") != Some("o2cb")
        {
            continue;
        }
        let id = el.attr("id").unwrap_or_default();
        let d = em
            .diag(
                el.attr_span("type"),
                format!(
                    "`{id}` uses `ocf:pacemaker:o2cb`, which Pacemaker {} no longer ships: it cannot start \
                     (not installed) after the upgrade",
                    rel.series
                ),
            )
            .label("agent removed")
            .help("OCFS2 on a Pacemaker cluster uses the DLM: replace it with `ocf:pacemaker:controld` \
                   (cloned) before upgrading");
        em.push(d);
    }
}
