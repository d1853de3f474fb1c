//! DR001 `drbd-promoted-dependency`: whatever needs a DRBD device (a
//! Filesystem on it, or anything ordered after or colocated with the DRBD
//! clone) must run where DRBD is Primary and start only after the promote.
//! Only the Primary can open the device: a dependent colocated without the
//! Promoted role, with a finite score, or ordered after `start` instead of
//! `promote` fails to start, or mounts a device that is still Secondary.
//!
//! Reasoning is per placement unit (a group covers its members, a clone
//! its instances), and chains count: a unit colocated with another unit
//! that is itself tied to the Promoted role is tied too.

use super::{
    dependents, drbd_clones, is_promote_action, ordered_after_promote, promoted_word, takes_action,
    tied_to_promoted, Dependent, DrbdClone, Links,
};
use crate::cib::{ResourceId, Role, Score};
use crate::lint::{Context, Emitter};
use crate::xml::{ElemId, Span};
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
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
        let tied = tied_to_promoted(cx, &links, clone.id);
        let after = ordered_after_promote(cx, &links, clone.id);
        let unit = Unit {
            cx,
            links: &links,
            clone,
            tied: &tied,
            after: &after,
        };
        for d in &deps {
            unit.check(em, d);
        }
    }
}

struct Unit<'c, 'a> {
    cx: &'c Context<'a>,
    links: &'c Links<'c>,
    clone: &'c DrbdClone<'a>,
    tied: &'c HashSet<ResourceId>,
    after: &'c HashSet<ResourceId>,
}

/// The span of `attr` on a plain constraint, else the edge's own span (a
/// set member, or the constraint when the attribute is absent).
fn attr_or(cx: &Context, edge_span: Span, source: ElemId, attr: &str) -> Span {
    let el = cx.cib.doc.get(source);
    if el.tag_span == edge_span && el.attr(attr).is_some() {
        el.attr_span(attr)
    } else {
        edge_span
    }
}

impl Unit<'_, '_> {
    fn coloc_cmd(&self, uid: &str) -> String {
        let cid = &self.cx.cib.resource(self.clone.id).id;
        let role = promoted_word(self.cx, self.clone.id);
        format!(
            "`pcs constraint colocation add {uid} with {role} {cid} INFINITY` \
             (crmsh: `crm configure colocation {uid}-with-{cid} inf: {uid} {cid}:{role}`)"
        )
    }

    fn order_cmd(&self, uid: &str) -> String {
        let cid = &self.cx.cib.resource(self.clone.id).id;
        format!(
            "`pcs constraint order promote {cid} then start {uid}` \
             (crmsh: `crm configure order {uid}-after-{cid} Mandatory: {cid}:promote {uid}:start`)"
        )
    }

    fn remove_cmd(id: &str) -> String {
        format!("remove `{id}` (`pcs constraint remove {id}` or `crm configure delete {id}`)")
    }

    fn check(&self, em: &mut Emitter, d: &Dependent) {
        let cx = self.cx;
        let cib = cx.cib;
        let u = cib.resource(d.unit);
        let uid = u.id.as_str();
        let cid = cib.resource(self.clone.id).id.as_str();
        let role = promoted_word(cx, self.clone.id);
        let placed = self.tied.contains(&d.unit);
        let ordered = self.after.contains(&d.unit);
        let device = d.devices.first().map(|(p, pair)| {
            (
                cib.resource(*p),
                pair.value.as_deref().unwrap_or_default(),
                pair,
            )
        });

        // Only a device path relates it, and nothing ties it at all.
        if d.device_only() && !placed && !ordered {
            if let Some((p, dev, pair)) = device {
                let on = if p.id == uid {
                    String::new()
                } else {
                    format!(" (through `{}`)", p.id)
                };
                let diag = em
                    .diag(
                        cx.attr_span(pair.elem, "value"),
                        format!(
                            "`{uid}` uses DRBD device `{dev}`{on} but has no colocation with the {role} role of `{cid}` and no order after its promote"
                        ),
                    )
                    .label(format!("a device of `{cid}`"))
                    .help(format!(
                        "the device can only be used where DRBD is Primary, after the promote: add {} and {}",
                        self.coloc_cmd(uid),
                        self.order_cmd(uid)
                    ))
                    .element(uid);
                em.push(diag);
            }
            return;
        }

        if !placed {
            self.check_placement(em, d, uid, cid, role, device.map(|(_, dev, _)| dev));
        }
        if !ordered {
            self.check_order(em, d, uid, cid, device.map(|(_, dev, _)| dev));
        }
    }

    fn check_placement(
        &self,
        em: &mut Emitter,
        d: &Dependent,
        uid: &str,
        cid: &str,
        role: &str,
        device: Option<&str>,
    ) {
        let cx = self.cx;
        let cib = cx.cib;
        // The direct colocations, the one closest to right first.
        struct Cand {
            i: usize,
            reversed: bool,
            role: Option<Role>,
            score: Option<Score>,
        }
        let mut cands: Vec<Cand> = d
            .colocs
            .iter()
            .map(|&i| {
                let e = self.links.colocs[i].edge;
                Cand {
                    i,
                    reversed: false,
                    role: e.primary_role,
                    score: e.score,
                }
            })
            .chain(d.reversed.iter().map(|&i| {
                let e = self.links.colocs[i].edge;
                Cand {
                    i,
                    reversed: true,
                    role: e.dependent_role,
                    score: e.score,
                }
            }))
            .collect();
        let rank = |c: &Cand| {
            let role_ok = c.role == Some(Role::Promoted);
            let inf = c.score.is_some_and(|s| s.is_plus_infinity());
            match (role_ok, inf) {
                (true, _) => 0,
                (false, true) => 1,
                (false, false) => 2,
            }
        };
        cands.sort_by_key(|c| (rank(c), c.reversed, self.links.colocs[c.i].edge.span.start));
        if let Some(c) = cands.first() {
            let e = self.links.colocs[c.i].edge;
            let id = cx.elem_id(e.source);
            let score_text = match c.score {
                Some(s) => s.to_string(),
                None => "taken from a node attribute".to_owned(),
            };
            if c.role == Some(Role::Promoted) {
                let diag = em
                    .diag(
                        attr_or(cx, e.span, e.source, "score"),
                        format!(
                            "`{uid}` is colocated with the {role} role of `{cid}` with score {score_text}, not INFINITY: it may still run where DRBD is not Primary"
                        ),
                    )
                    .label("finite score: a preference, not a requirement")
                    .help(format!(
                        "make the colocation mandatory: {}, then add {}",
                        Self::remove_cmd(&id),
                        self.coloc_cmd(uid)
                    ))
                    .element(id);
                em.push(diag);
            } else {
                let attr = if c.reversed {
                    "rsc-role"
                } else {
                    "with-rsc-role"
                };
                let what = match c.role {
                    Some(r) => format!("the {} role of `{cid}`", r.name()),
                    None => format!("`{cid}` without a role"),
                };
                let subject = if c.reversed {
                    format!(
                        "the colocation of `{cid}` with `{uid}` names {}",
                        match c.role {
                            Some(r) => format!("the {} role", r.name()),
                            None => "no role".to_owned(),
                        }
                    )
                } else {
                    format!("`{uid}` is colocated with {what}")
                };
                let finite = if c.score.is_some_and(|s| s.is_plus_infinity()) {
                    String::new()
                } else {
                    format!(", and only with score {score_text}")
                };
                let diag = em
                    .diag(
                        attr_or(cx, e.span, e.source, attr),
                        format!(
                            "{subject}{finite}: `{uid}` may be placed with the DRBD Secondary, where the device cannot be used"
                        ),
                    )
                    .label(format!("needs `{attr}=\"{role}\"`"))
                    .help(format!(
                        "tie it to the Primary: {}, then add {}",
                        Self::remove_cmd(&id),
                        self.coloc_cmd(uid)
                    ))
                    .element(id);
                em.push(diag);
            }
            return;
        }
        // No colocation with the clone at all.
        let u = cib.resource(d.unit);
        let why = if let Some(&i) = d.orders.first() {
            let e = self.links.orders[i].edge;
            (
                format!("`{uid}` is ordered after `{cid}` but not colocated with its {role} role: it may start on a node where DRBD is Secondary"),
                Some((e.span, format!("ordered here by `{}`", cx.elem_id(e.source)))),
            )
        } else {
            (
                format!(
                    "`{uid}` uses DRBD device `{}` but is not colocated with the {role} role of `{cid}`",
                    device.unwrap_or_default()
                ),
                None,
            )
        };
        let mut diag = em
            .diag(cx.span(u.elem), why.0)
            .label(format!("not colocated with `{cid}`"));
        if let Some((span, text)) = why.1 {
            diag = diag.with_label(span, text);
        }
        let diag = diag
            .help(format!("add {}", self.coloc_cmd(uid)))
            .element(uid);
        em.push(diag);
    }

    fn check_order(
        &self,
        em: &mut Emitter,
        d: &Dependent,
        uid: &str,
        cid: &str,
        device: Option<&str>,
    ) {
        let cx = self.cx;
        let cib = cx.cib;
        let never = |then_action: &str| !takes_action(cx, d.unit, then_action);
        let rank = |i: &usize| {
            let e = self.links.orders[*i].edge;
            match (
                never(&e.then_action),
                is_promote_action(&e.first_action),
                e.mandatory,
            ) {
                (false, true, _) => 0,
                (false, false, true) => 1,
                (false, false, false) => 2,
                (true, _, _) => 3,
            }
        };
        let mut orders = d.orders.clone();
        orders.sort_by_key(|i| (rank(i), self.links.orders[*i].edge.span.start));
        if let Some(&i) = orders.first() {
            let e = self.links.orders[i].edge;
            let id = cx.elem_id(e.source);
            let fix = format!(
                "{}, then add {}",
                Self::remove_cmd(&id),
                self.order_cmd(uid)
            );
            let diag = if never(&e.then_action) {
                let el = cx.cib.doc.get(e.source);
                let defaulted = el.tag_span == e.span && el.attr("then-action").is_none();
                let how = if defaulted {
                    " (`then-action` defaults to `first-action`)"
                } else {
                    ""
                };
                em.diag(
                    attr_or(cx, e.span, e.source, "then-action"),
                    format!(
                        "`{id}` orders the {} of `{uid}`{how}, which never happens: `{uid}` is not ordered after `{cid}` at all",
                        e.then_action
                    ),
                )
                .label(format!("`{uid}` is not promotable"))
                .help(format!("order its start instead: {fix}"))
            } else if is_promote_action(&e.first_action) {
                em.diag(
                    attr_or(cx, e.span, e.source, "kind"),
                    format!(
                        "`{uid}` is ordered after the promote of `{cid}` only optionally: it may start before DRBD is Primary, and DRBD may be demoted while it still runs"
                    ),
                )
                .label("not mandatory")
                .help(format!("make the order mandatory: {fix}"))
            } else {
                let optional = if e.mandatory {
                    ""
                } else {
                    " (and only optionally)"
                };
                em.diag(
                    attr_or(cx, e.span, e.source, "first-action"),
                    format!(
                        "`{uid}` is ordered after the {} of `{cid}`, not its promote{optional}: it may start before DRBD is Primary",
                        e.first_action
                    ),
                )
                .label("should be `first-action=\"promote\"`")
                .help(format!("order it after the promote: {fix}"))
            };
            em.push(diag.element(id));
            return;
        }
        let u = cib.resource(d.unit);
        let colocation = d
            .colocs
            .iter()
            .chain(d.reversed.iter())
            .map(|&i| self.links.colocs[i].edge)
            .min_by_key(|e| e.span.start);
        let what = match (colocation, device) {
            (Some(_), _) => {
                format!("`{uid}` is colocated with `{cid}` but not ordered after its promote")
            }
            (None, Some(dev)) => format!(
                "`{uid}` uses DRBD device `{dev}` but is not ordered after the promote of `{cid}`"
            ),
            (None, None) => {
                format!("`{uid}` is placed with `{cid}` but not ordered after its promote")
            }
        };
        let mut diag = em
            .diag(
                cx.span(u.elem),
                format!("{what}: it may start before DRBD is Primary, and DRBD may be demoted while it still runs"),
            )
            .label(format!("not ordered after `{cid}`"));
        if let Some(e) = colocation {
            diag = diag.with_label(
                e.span,
                format!("colocated here by `{}`", cx.elem_id(e.source)),
            );
        }
        em.push(
            diag.help(format!("add {}", self.order_cmd(uid)))
                .element(uid),
        );
    }
}
