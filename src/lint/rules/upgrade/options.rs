//! Upgrade rules about cluster and operation options 3.0 renames, drops
//! or reads for the first time.

use super::{config_elems, inside, nvpairs_named, release, CIBADMIN};
use crate::cib::load::{is_bool, parse_bool};
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;

/// Cluster options (`cluster_property_set` nvpairs) named one of `names`.
fn cluster_pairs(cx: &Context, names: &[&str]) -> Vec<ElemId> {
    nvpairs_named(cx, names)
        .into_iter()
        .filter(|(_, kind)| *kind == "cluster_property_set")
        .map(|(e, _)| e)
        .collect()
}

/// UP020 `renamed-cluster-option`: the `crmd-*` options, renamed by 3.0's
/// schema upgrade.
pub fn renamed_cluster_option(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    const RENAMES: &[(&str, &str)] = &[
        ("crmd-finalization-timeout", "join-finalization-timeout"),
        ("crmd-integration-timeout", "join-integration-timeout"),
        ("crmd-transition-delay", "transition-delay"),
    ];
    let doc = &cx.cib.doc;
    let names: Vec<&str> = RENAMES.iter().map(|r| r.0).collect();
    for e in cluster_pairs(cx, &names) {
        let name = doc.get(e).attr("name").unwrap_or_default();
        let new = RENAMES
            .iter()
            .find(|r| r.0 == name)
            .map(|r| r.1)
            .unwrap_or_default();
        let d = em
            .diag(
                doc.get(e).attr_span("name"),
                format!(
                    "cluster option `{name}` is no longer supported by Pacemaker {}: its schema upgrade renames it `{new}`",
                    rel.series
                ),
            )
            .label(format!("becomes {new}"))
            .help(format!("{CIBADMIN}; by hand, rename it after every node runs 3.0"));
        em.push(d);
    }
}

/// UP021 `remove-after-stop`: dropped by 3.0.
pub fn remove_after_stop(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in cluster_pairs(cx, &["remove-after-stop"]) {
        let v = doc.get(e).attr("value").unwrap_or_default();
        if !parse_bool(v) {
            continue;
        }
        let d = em
            .diag(
                doc.get(e).tag_span,
                format!(
                    "cluster option `remove-after-stop={v}` is dropped by Pacemaker {}: stopped resources keep \
                     their operation history",
                    rel.series
                ),
            )
            .label("dropped by the upgrade")
            .help("delete the option; clean up stopped resources' history with `crm_resource --cleanup` where wanted");
        em.push(d);
    }
}

/// UP022 `stonith-action-poweroff`: `stonith-action=poweroff`, which 3.0's
/// upgrade replaces by its equivalent `off`.
pub fn stonith_action_poweroff(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in cluster_pairs(cx, &["stonith-action"]) {
        if doc.get(e).attr("value") != Some("poweroff") {
            continue;
        }
        let d = em
            .diag(
                doc.get(e).attr_span("value"),
                format!(
                    "`stonith-action=poweroff` is no longer supported by Pacemaker {}: its schema upgrade writes \
                     `off`, the same action",
                    rel.series
                ),
            )
            .label("becomes off")
            .help(format!("{CIBADMIN}; by hand, write `off` (2.1.5 reads it too)"));
        em.push(d);
    }
}

/// UP023 `stonith-enabled-renamed`: `stonith-enabled`, read by 3.0 under
/// its new name `fencing-enabled`.
pub fn stonith_enabled_renamed(cx: &Context, em: &mut Emitter) {
    renamed_option(cx, em, "stonith-enabled");
}

/// An option the target release reads under a new name first (the
/// profile's `renamed_options`), set only under its old name.
fn renamed_option(cx: &Context, em: &mut Emitter, old: &'static str) {
    let Some(rel) = release(cx) else { return };
    let new = rel.profile.option_name(old);
    if new == old || !cluster_pairs(cx, &[new]).is_empty() {
        return;
    }
    let doc = &cx.cib.doc;
    for e in cluster_pairs(cx, &[old]) {
        let d = em
            .diag(
                doc.get(e).attr_span("name"),
                format!(
                    "`{old}` is called `{new}` by Pacemaker {} (the old name is still read)",
                    rel.series
                ),
            )
            .label(format!("now {new}"))
            .help(format!(
                "once every node runs 3.0, rename the option `{new}` \
                 (not before: 2.1.5 ignores the new name)"
            ));
        em.push(d);
    }
}

/// UP024 `fencing-enabled-ignored`: `fencing-enabled` says something other
/// than `stonith-enabled`: 2.1.5 ignores it, 3.0 obeys it.
pub fn fencing_enabled_ignored(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    if cx.cib.pacemaker.reads_fencing_enabled() || !rel.profile.reads_fencing_enabled() {
        return;
    }
    let Some(new) = cx.cluster_option("fencing-enabled") else {
        return;
    };
    let Some(new_v) = new.value.as_deref().filter(|v| is_bool(v)) else {
        return;
    };
    let old = cx.cluster_option("stonith-enabled");
    let old_on = old
        .and_then(|p| p.value.as_deref())
        .filter(|v| is_bool(v))
        .is_none_or(parse_bool);
    let new_on = parse_bool(new_v);
    if old_on == new_on {
        return;
    }
    let state = |on: bool| if on { "on" } else { "off" };
    let d = em
        .diag(
            cx.cib.doc.get(new.elem).tag_span,
            format!(
                "`fencing-enabled={new_v}` is ignored by Pacemaker {} (`stonith-enabled` decides: fencing {}) \
                 but obeyed by Pacemaker {}: fencing turns {} at the upgrade",
                cx.cib.pacemaker.name,
                state(old_on),
                rel.series,
                state(new_on)
            ),
        )
        .label(format!("fencing {} after the upgrade", state(new_on)))
        .help(
            "make both say the same before upgrading (set `stonith-enabled` to the value meant, \
             or delete `fencing-enabled`); `cibcheck upgrade-review` shows what the cluster would do",
        );
    em.push(d);
}

/// UP025 `deprecated-fencing-option`: `concurrent-fencing`, deprecated by
/// 3.0 (fencing is always concurrent by default).
pub fn concurrent_fencing(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in cluster_pairs(cx, &["concurrent-fencing"]) {
        let v = doc.get(e).attr("value").unwrap_or_default();
        let d = em
            .diag(
                doc.get(e).attr_span("name"),
                format!(
                    "cluster option `concurrent-fencing={v}` is deprecated by Pacemaker {}, whose default is true",
                    rel.series
                ),
            )
            .label("deprecated")
            .help(
                "delete it unless fencing must be serialised (then keep `false` and plan for its removal; \
                 `priority-fencing-delay` or fencing levels are the usual way to order fencing)",
            );
        em.push(d);
    }
}

/// UP026 `record-pending`: the `record-pending` operation option,
/// deprecated by 3.0.
pub fn record_pending(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    let mut found = Vec::new();
    for e in config_elems(cx, &["op"]) {
        if doc.get(e).attr("record-pending").is_some() {
            found.push((doc.get(e).attr_whole_span("record-pending"), e));
        }
    }
    for (e, _) in nvpairs_named(cx, &["record-pending"]) {
        if inside(cx, e, "op") || inside(cx, e, "op_defaults") {
            found.push((doc.get(e).tag_span, e));
        }
    }
    found.sort_by_key(|f| f.0.start);
    for (span, _) in found {
        let d = em
            .diag(
                span,
                format!(
                    "`record-pending` is deprecated by Pacemaker {} and will be removed",
                    rel.series
                ),
            )
            .label("deprecated")
            .help("delete it");
        em.push(d);
    }
}

/// UP032 `stonith-action-renamed`: `stonith-action`, read by 3.0 under its
/// new name `fencing-action`.
pub fn stonith_action_renamed(cx: &Context, em: &mut Emitter) {
    renamed_option(cx, em, "stonith-action");
}
