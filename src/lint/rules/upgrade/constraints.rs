//! Upgrade rules about constraints, nodes and fencing levels: syntax 3.0
//! converts, drops, or now answers by ignoring the whole constraint.

use super::{config_elems, release, CIBADMIN};
use crate::cib::score::{parse_score, HealthScores, ScoreParse};
use crate::cib::Role;
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;

fn constraint_text(cx: &Context, e: ElemId) -> String {
    let el = cx.cib.doc.get(e);
    format!("<{}> `{}`", el.name, el.attr("id").unwrap_or_default())
}

/// `lifetime` children of constraints of the given kinds.
fn lifetimes(cx: &Context, kinds: &[&str]) -> Vec<(ElemId, ElemId)> {
    let doc = &cx.cib.doc;
    config_elems(cx, kinds)
        .into_iter()
        .flat_map(|c| doc.children_named(c, "lifetime").map(move |l| (c, l)))
        .collect()
}

/// UP011 `location-lifetime`: `lifetime` in a location constraint, which
/// 3.0's schema upgrade folds into the constraint's rule.
pub fn location_lifetime(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    for (c, l) in lifetimes(cx, &["rsc_location"]) {
        let d = em
            .diag(
                cx.cib.doc.get(l).name_span,
                format!(
                    "{} has a `lifetime`, which Pacemaker {} no longer supports: its schema upgrade turns it into a rule of the constraint",
                    constraint_text(cx, c),
                    rel.series
                ),
            )
            .label("becomes part of the constraint's rule")
            .help(format!(
                "{CIBADMIN}; by hand, move the lifetime's date rule into the constraint's `<rule>` \
                 (with `boolean-op=and`)"
            ));
        em.push(d);
    }
}

/// UP012 `colocation-order-lifetime`: `lifetime` in a colocation or order,
/// which 3.0 drops: the constraint applies at every time.
pub fn colocation_order_lifetime(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    for (c, l) in lifetimes(cx, &["rsc_colocation", "rsc_order"]) {
        let d = em
            .diag(
                cx.cib.doc.get(l).name_span,
                format!(
                    "{} has a `lifetime`, which Pacemaker {} drops: the constraint then applies at every time, \
                     not only while the lifetime's rule matches",
                    constraint_text(cx, c),
                    rel.series
                ),
            )
            .label("dropped by the upgrade")
            .help(
                "delete the constraint if its lifetime is over; else delete it when it should end \
                 (colocations and orders cannot have rules)",
            );
        em.push(d);
    }
}

/// UP013 `constraint-instance-option`: `rsc-instance`, `with-rsc-instance`,
/// `first-instance`, `then-instance`, no longer supported.
pub fn constraint_instance_option(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    const NAMES: &[&str] = &[
        "rsc-instance",
        "with-rsc-instance",
        "first-instance",
        "then-instance",
    ];
    for c in config_elems(cx, &["rsc_colocation", "rsc_order"]) {
        for n in NAMES {
            let Some(v) = doc.get(c).attr(n) else {
                continue;
            };
            let d = em
                .diag(
                    doc.get(c).attr_whole_span(n),
                    format!(
                        "{} sets `{n}=\"{v}\"`, which Pacemaker {} no longer supports: the pacemaker-4.0 schema \
                         rejects it, so the CIB does not validate",
                        constraint_text(cx, c),
                        rel.series
                    ),
                )
                .label("no longer supported")
                .help(
                    "constrain the whole clone (drop the attribute), or use a globally unique clone's \
                     instances as separate resources",
                );
            em.push(d);
        }
    }
}

/// UP014 `multiple-top-level-rules`: a location constraint with several
/// `<rule>` children, which 3.0's upgrade splits into one constraint each.
pub fn multiple_top_level_rules(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for c in config_elems(cx, &["rsc_location"]) {
        let rules: Vec<ElemId> = doc.children_named(c, "rule").collect();
        if rules.len() < 2 {
            continue;
        }
        let d = em
            .diag(
                doc.get(rules[1]).name_span,
                format!(
                    "{} has {} top-level rules, which Pacemaker {} no longer supports: its schema upgrade \
                     splits it into one location constraint per rule",
                    constraint_text(cx, c),
                    rules.len(),
                    rel.series
                ),
            )
            .label("second top-level rule")
            .help(format!(
                "{CIBADMIN}; by hand, write one `rsc_location` per rule (or one rule joining them with `boolean-op=or`)"
            ));
        em.push(d);
    }
}

/// UP015 `constraint-invalid-score`: a location or colocation score that
/// is not a number or INFINITY; 2.1.5 reads what it can, 3.0 ignores the
/// constraint.
pub fn constraint_invalid_score(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for c in config_elems(cx, &["rsc_location", "rsc_colocation"]) {
        let Some(v) = doc.get(c).attr("score") else {
            continue;
        };
        let ScoreParse::Lenient(read) = parse_score(v, &HealthScores::default()) else {
            continue;
        };
        let d = em
            .diag(
                doc.get(c).attr_span("score"),
                format!(
                    "{} has `score=\"{v}\"`, not a valid score: Pacemaker 2.1.5 reads it as {read}, \
                     Pacemaker {} ignores the whole constraint",
                    constraint_text(cx, c),
                    rel.series
                ),
            )
            .label("invalid score")
            .help("write an integer, `INFINITY` or `-INFINITY`");
        em.push(d);
    }
}

/// UP016 `constraint-invalid-role`: a role in a location, colocation or
/// ticket constraint that is not a role name; 3.0 ignores the constraint.
pub fn constraint_invalid_role(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    let attrs: &[(&str, &[&str])] = &[
        ("rsc_location", &["role"]),
        ("rsc_colocation", &["rsc-role", "with-rsc-role"]),
        ("rsc_ticket", &["rsc-role"]),
    ];
    for c in config_elems(cx, &["rsc_location", "rsc_colocation", "rsc_ticket"]) {
        let el = doc.get(c);
        let names = attrs
            .iter()
            .find(|(k, _)| *k == el.name)
            .map(|(_, n)| *n)
            .unwrap_or(&[]);
        for n in names {
            let Some(v) = el.attr(n) else { continue };
            if Role::parse(v).is_some() {
                continue;
            }
            let d = em
                .diag(
                    el.attr_span(n),
                    format!(
                        "{} has `{n}=\"{v}\"`, not a role: Pacemaker 2.1.5 applies the constraint as if no role were given, \
                         Pacemaker {} ignores the whole constraint",
                        constraint_text(cx, c),
                        rel.series
                    ),
                )
                .label("invalid role")
                .help("write `Started`, `Promoted`, `Unpromoted` or `Stopped`, or drop the attribute");
            em.push(d);
        }
    }
}

/// UP017 `location-invalid-boolean-op`: a location rule with a
/// `boolean-op` other than `and`/`or`; 3.0 ignores the constraint.
pub fn location_invalid_boolean_op(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for c in config_elems(cx, &["rsc_location"]) {
        for r in doc.descendants(c) {
            let el = doc.get(r);
            if el.name != "rule" {
                continue;
            }
            let Some(op) = el.attr("boolean-op") else {
                continue;
            };
            if op.eq_ignore_ascii_case("and") || op.eq_ignore_ascii_case("or") {
                continue;
            }
            let d = em
                .diag(
                    el.attr_span("boolean-op"),
                    format!(
                        "{} has a rule with `boolean-op=\"{op}\"`: Pacemaker 2.1.5 reads it as `and`, \
                         Pacemaker {} ignores the whole constraint",
                        constraint_text(cx, c),
                        rel.series
                    ),
                )
                .label("neither and nor or")
                .help("write `boolean-op=\"and\"` or `boolean-op=\"or\"`");
            em.push(d);
        }
    }
}

/// UP018 `ping-node`: a node of type `ping` (or an unknown type), which
/// 3.0's upgrade turns into a cluster node every resource is banned from.
pub fn ping_node(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for n in config_elems(cx, &["node"]) {
        let el = doc.get(n);
        if el.parent.is_none_or(|p| doc.get(p).name != "nodes") {
            continue;
        }
        let Some(t) = el.attr("type") else { continue };
        if matches!(t, "member" | "remote") {
            continue;
        }
        let uname = el.attr("uname").unwrap_or_default();
        let d = em
            .diag(
                el.attr_span("type"),
                format!(
                    "node `{uname}` has `type=\"{t}\"`, which Pacemaker {} no longer supports: its schema upgrade \
                     makes it a cluster node and bans every resource from it",
                    rel.series
                ),
            )
            .label("no longer supported")
            .help(format!(
                "{CIBADMIN}; or remove the node if it is gone (`crm_node --remove`), \
                 or write `type=\"member\"` if it is a full cluster node"
            ));
        em.push(d);
    }
}

/// UP019 `fencing-level-index`: a fencing level with an index outside
/// 1–9, which 3.0's schema rejects and its upgrade drops.
pub fn fencing_level_index(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for l in config_elems(cx, &["fencing-level"]) {
        let el = doc.get(l);
        let Some(v) = el.attr("index") else { continue };
        if v.trim().parse::<u32>().is_ok_and(|i| (1..=9).contains(&i)) {
            continue;
        }
        let d = em
            .diag(
                el.attr_span("index"),
                format!(
                    "fencing level `{}` has `index=\"{v}\"`: Pacemaker {} accepts only 1 to 9 and drops the level \
                     (its devices are no longer tried for `{}`)",
                    el.attr("id").unwrap_or_default(),
                    rel.series,
                    el.attr("target")
                        .or(el.attr("target-pattern"))
                        .or(el.attr("target-attribute"))
                        .unwrap_or("its target")
                ),
            )
            .label("outside 1-9")
            .help("renumber the target's levels from 1 (the order of the indexes is what counts)");
        em.push(d);
    }
}
