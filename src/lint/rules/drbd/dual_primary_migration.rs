//! DR002 `drbd-dual-primary-migration`: dual-primary DRBD (`promoted-max`
//! of 2 or more) exists for live migration of VMs and for cluster file
//! systems; without either it only adds the risk of a split brain with
//! diverging data. Conversely `allow-migrate=true` on something that needs a
//! single-primary DRBD cannot work: the target node cannot open the device
//! while the source still holds it, so the resource moves by stop and start.

use super::{dependents, drbd_clones, meta_source, promoted_max, promoted_word, Links};
use crate::cib::ResourceId;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let clones = drbd_clones(cx);
    if clones.is_empty() {
        return;
    }
    let links = Links::new(cx);
    for clone in &clones {
        let deps = dependents(cx, &links, &clones, clone);
        if deps.is_empty() {
            continue;
        }
        let c = cib.resource(clone.id);
        let (max, pair) = promoted_max(cx, clone.id);
        let migrating = |p: ResourceId| cx.meta_bool(p, "allow-migrate") == Some(true);
        if max >= 2 {
            // Dual-primary is justified by a cloned dependent (a cluster
            // file system mounted on both nodes) or by one that migrates.
            let justified = deps.iter().any(|d| {
                cib.resource(d.unit).is_clone()
                    || cib.primitives_under(d.unit).into_iter().any(migrating)
            });
            if justified {
                continue;
            }
            let span = match pair {
                Some(p) => cx.attr_span(p.elem, "value"),
                None => cx.span(c.elem),
            };
            let vms: Vec<&str> = deps
                .iter()
                .flat_map(|d| cib.primitives_under(d.unit))
                .filter(|&p| cx.is_agent(p, "ocf", Some("heartbeat"), "VirtualDomain"))
                .map(|p| cib.resource(p).id.as_str())
                .collect();
            // Name the attribute as written: `master-max` on old CIBs.
            let setting = pair.map_or("promoted-max", |p| p.name.as_str());
            let dep_ids: Vec<&str> = deps
                .iter()
                .map(|d| cib.resource(d.unit).id.as_str())
                .collect();
            let mut d = em
                .diag(
                    span,
                    format!(
                        "DRBD `{}` is dual-primary ({setting}={max}) but nothing that depends on it migrates live ({} without allow-migrate=true): it only adds split-brain risk",
                        c.id,
                        crate::lint::id_list(&dep_ids)
                    ),
                )
                .label("two Primaries at once");
            for dep in &deps {
                let u = cib.resource(dep.unit);
                d = d.with_label(
                    cx.span(u.elem),
                    format!("`{}` has no allow-migrate=true", u.id),
                );
            }
            let cid = &c.id;
            let single = format!(
                "`pcs resource meta {cid} {setting}=1` (crmsh: `crm resource meta {cid} set {setting} 1`), and drop `allow-two-primaries` from the DRBD resource's net section"
            );
            let help = if let Some(vm) = vms.first() {
                format!(
                    "to migrate VMs live, set `allow-migrate=true` on them (`pcs resource meta {vm} allow-migrate=true` or `crm resource meta {vm} set allow-migrate true`); \
                     otherwise use a single Primary: {single}"
                )
            } else {
                format!("nothing here needs two Primaries: {single}")
            };
            em.push(d.help(help).element(c.id.as_str()));
        } else {
            for dep in &deps {
                for p in cib.primitives_under(dep.unit) {
                    if !migrating(p) {
                        continue;
                    }
                    let r = cib.resource(p);
                    let source = meta_source(cx, p, "allow-migrate");
                    let span = match source {
                        Some(pair) => cx.attr_span(pair.elem, "value"),
                        None => cx.span(r.elem),
                    };
                    let inherited = source.is_some_and(|pair| {
                        r.meta_pair("allow-migrate")
                            .is_none_or(|own| own.elem != pair.elem)
                    });
                    let mut d = em
                        .diag(
                            span,
                            format!(
                                "`{}` allows live migration but depends on single-primary DRBD `{}`: it will move by stop and start",
                                r.id, c.id
                            ),
                        )
                        .label("allow-migrate=true")
                        .with_label(cx.span(c.elem), "only one Primary at a time");
                    if inherited {
                        d = d.with_label(cx.span(r.elem), format!("inherited by `{}`", r.id));
                    }
                    let undo = if inherited {
                        format!(
                            "set `allow-migrate=false` on `{0}` (`pcs resource meta {0} allow-migrate=false` or `crm resource meta {0} set allow-migrate false`)",
                            r.id
                        )
                    } else {
                        format!(
                            "remove `allow-migrate` from `{0}` (`pcs resource meta {0} allow-migrate=` or `crm resource meta {0} delete allow-migrate`)",
                            r.id
                        )
                    };
                    let max_name = if promoted_word(cx, clone.id) == "Master" {
                        "master-max"
                    } else {
                        "promoted-max"
                    };
                    let help = format!(
                        "either {undo}, or make DRBD dual-primary (`allow-two-primaries yes` in the DRBD resource, and `{max_name}=2` on `{}`)",
                        c.id
                    );
                    em.push(d.help(help).element(r.id.as_str()));
                }
            }
        }
    }
}
