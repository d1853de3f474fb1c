//! OP004 `allow-migrate-unsupported`: `allow-migrate=true` where live
//! migration cannot happen. Pacemaker live-migrates primitives only (group
//! members included), never clone instances or bundle replicas, and only
//! through an OCF agent's `migrate_to`/`migrate_from` actions: systemd,
//! lsb, service and stonith resources have none, so a "migration" fails
//! and the resource is recovered the hard way.
//!
//! `rsc_defaults` are not reported: `allow-migrate=true` there is a common
//! way to make every VM migratable.

use crate::cib::load::parse_bool;
use crate::cib::{NvPair, ResourceId};
use crate::lint::rules::management::written_in;
use crate::lint::{Context, Emitter};

fn enabled(p: &NvPair) -> bool {
    p.value.as_deref().is_some_and(parse_bool)
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for (i, r) in cib.resources.iter().enumerate() {
        let rid = ResourceId(i as u32);
        let own = r.meta_pair("allow-migrate").filter(|p| enabled(p));
        let collective = cib
            .ancestors(rid)
            .into_iter()
            .map(|a| cib.resource(a))
            .find(|a| a.is_clone() || a.is_bundle());
        if r.is_clone() || r.is_bundle() {
            let Some(p) = own else { continue };
            let d = em
                .diag(
                    cx.attr_span(p.elem, "value"),
                    format!(
                        "`allow-migrate=true` on {} `{}` has no use: clone instances and bundle replicas are never live-migrated",
                        r.kind_name(),
                        r.id
                    ),
                )
                .label("no live migration here")
                .help("remove it; live migration applies to primitives and group members only")
                .element(r.id.clone());
            em.push(d);
            continue;
        }
        if let (Some(p), Some(c)) = (own, collective) {
            let d = em
                .diag(
                    cx.attr_span(p.elem, "value"),
                    format!(
                        "`allow-migrate=true` on `{}` has no use: it is part of {} `{}`, whose instances are never live-migrated",
                        r.id,
                        c.kind_name(),
                        c.id
                    ),
                )
                .label("no live migration here")
                .with_label(cx.cib.doc.get(c.elem).name_span, format!("{} `{}`", c.kind_name(), c.id))
                .help("remove it; live migration applies to primitives and group members only")
                .element(r.id.clone());
            em.push(d);
            continue;
        }
        if !r.is_primitive() || collective.is_some() {
            continue;
        }
        let Some(class) = r.class.as_deref() else {
            continue;
        };
        if class.eq_ignore_ascii_case("ocf") {
            continue;
        }
        // Own setting, else one inherited from the group.
        let from = cib
            .ancestors(rid)
            .into_iter()
            .map(|a| cib.resource(a))
            .find_map(|a| a.meta_pair("allow-migrate").map(|p| (a, p)));
        let (owner, p) = match r.meta_pair("allow-migrate") {
            Some(p) => (r, p),
            None => match from {
                Some(x) => x,
                None => continue,
            },
        };
        if !enabled(p) {
            continue;
        }
        let message = if std::ptr::eq(owner, r) {
            format!(
                "`allow-migrate=true` on `{}` cannot work: {} agents have no migrate_to/migrate_from actions",
                r.id, class
            )
        } else {
            format!(
                "`allow-migrate=true` of {} `{}` applies to `{}`, which cannot migrate: {} agents have no migrate_to/migrate_from actions",
                owner.kind_name(),
                owner.id,
                r.id,
                class
            )
        };
        let mut d = em
            .diag(cx.attr_span(p.elem, "value"), message)
            .label("live migration requested here")
            .with_label(cx.attr_span(r.elem, "class"), format!("class `{class}`"))
            .help(
                "only OCF agents can implement live migration; set `allow-migrate=false` (or remove it) \
                 so the resource is stopped and started instead of a migration that fails",
            )
            .element(r.id.clone());
        if !written_in(cx, p.elem, owner.elem) {
            d = d.with_label(cx.attr_span(owner.elem, "id"), "inherits the setting");
        }
        em.push(d);
    }
}
