//! CO007 `expired-rule`: a rule whose date expressions can never be true
//! again at the effective time: an `lt` whose end has passed, an `in_range`
//! that ended, a `date_spec` limited to past years. In a location
//! constraint the rule (or the whole constraint) is dead configuration; on
//! an attribute set (`meta_attributes`, `instance_attributes`, cluster
//! options, defaults) its values never apply again. Either way the
//! configuration says something Pacemaker no longer does, which misleads
//! whoever reads it.
//!
//! `cli-prefer-`/`cli-ban-` lifetimes are CO001's, which reports them with
//! the command that clears them.

use crate::cib::rule::{BoolOp, DateExpr, DateOp, Expr, Rule};
use crate::cib::time::Instant;
use crate::cib::NvSet;
use crate::lint::{Context, Emitter};
use crate::xml::{ElemId, Span};
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for loc in &cib.locations {
        if loc.id.starts_with("cli-prefer-") || loc.id.starts_with("cli-ban-") {
            continue;
        }
        let dead: Vec<(&Rule, Dead)> = loc
            .rules
            .iter()
            .filter_map(|r| rule_dead(cx, r, cx.now).map(|d| (r, d)))
            .collect();
        let whole = !dead.is_empty() && dead.len() == loc.rules.len() && loc.node.is_none();
        for (rule, why) in dead {
            let (msg, help) = if whole {
                (
                    format!("location `{}` can never apply again: {}", loc.id, why.text),
                    format!(
                        "{} from now on, so the constraint is dead configuration; \
                         remove it (`pcs constraint remove {1}` or `crm configure delete {1}`), or give it new dates if it is still wanted",
                        if loc.rules.len() > 1 { "none of its rules can match" } else { "its only rule cannot match" },
                        loc.id
                    ),
                )
            } else {
                (
                    format!(
                        "rule `{}` of location `{}` can never match again: {}",
                        rule.id, loc.id, why.text
                    ),
                    format!(
                        "the rule is dead configuration; remove it (`pcs constraint rule remove {}`), or give it new dates if it is still wanted",
                        rule.id
                    ),
                )
            };
            let d = em
                .diag(why.span, msg)
                .label(why.label)
                .with_label(cx.span(rule.elem), format!("rule `{}`", rule.id))
                .help(help)
                .element(loc.id.as_str());
            em.push(d);
        }
    }
    // Attribute sets with rules. A template's sets are copied into the
    // primitives built from it, and `id-ref` sets repeat their target, so
    // each set element is reported once.
    let mut seen: HashSet<ElemId> = HashSet::new();
    let mut sets: Vec<&NvSet> = Vec::new();
    sets.extend(&cib.crm_config);
    sets.extend(&cib.rsc_defaults);
    sets.extend(&cib.op_defaults);
    for n in &cib.nodes {
        sets.extend(&n.attrs);
        sets.extend(&n.utilization);
    }
    for r in cib.templates.iter().chain(&cib.resources) {
        sets.extend(&r.meta);
        sets.extend(&r.instance);
        sets.extend(&r.utilization);
        for op in &r.ops {
            sets.extend(&op.meta);
            sets.extend(&op.instance);
        }
    }
    for set in sets {
        let Some(rule) = &set.rule else { continue };
        if !seen.insert(set.elem) {
            continue;
        }
        let Some(why) = rule_dead(cx, rule, cx.now) else {
            continue;
        };
        let kind = cib.doc.get(set.elem).name.to_string();
        let names: Vec<String> = set.pairs.iter().map(|p| format!("`{}`", p.name)).collect();
        let values = match names.len() {
            0 => "its values".to_owned(),
            1 => names.join(""),
            _ => names.join(", "),
        };
        let d = em
            .diag(
                why.span,
                format!(
                    "the rule of <{kind}> `{}` can never match again: {}",
                    set.id, why.text
                ),
            )
            .label(why.label)
            .with_label(cx.span(set.elem), format!("{values} never apply again"))
            .help("the set is dead configuration; remove it, or move its values to a set without a rule if they should apply always")
            .element(set.id.as_str());
        em.push(d);
    }
}

/// Why a rule cannot match again: where to point, and what to say.
struct Dead {
    span: Span,
    text: String,
    label: String,
}

fn rule_dead(cx: &Context, rule: &Rule, now: Instant) -> Option<Dead> {
    let mut dead = rule.exprs.iter().map(|e| match e {
        Expr::Date(d) => date_dead(cx, d, now),
        Expr::Rule(r) => rule_dead(cx, r, now),
        _ => None,
    });
    match rule.boolean_op {
        BoolOp::And => dead.find_map(|d| d),
        // Every alternative must be dead; report the last of them.
        BoolOp::Or => {
            if rule.exprs.is_empty() {
                return None;
            }
            let all: Option<Vec<Dead>> = dead.collect();
            all.and_then(|v| v.into_iter().last())
        }
    }
}

fn date_dead(cx: &Context, d: &DateExpr, now: Instant) -> Option<Dead> {
    match d.op {
        DateOp::Lt | DateOp::InRange if d.expired_at(now) => {
            let end = d.effective_end()?;
            let span = if d.end.is_some() {
                cx.attr_span(d.elem, "end")
            } else {
                cx.span(d.elem)
            };
            let what = if d.op == DateOp::Lt {
                "its `lt` date expression"
            } else {
                "its date range"
            };
            Some(Dead {
                span,
                text: format!("{what} ended {end}"),
                label: format!("ended {end}, before {now}"),
            })
        }
        DateOp::DateSpec => {
            let spec = d.spec.as_ref()?;
            let c = now.civil();
            let (field, hi, current) =
                spec.fields
                    .iter()
                    .find_map(|(name, _, hi)| match name.as_str() {
                        "years" if *hi < c.year => Some(("years", *hi, c.year)),
                        "weekyears" if *hi < c.weekyear => Some(("weekyears", *hi, c.weekyear)),
                        _ => None,
                    })?;
            let span = spec_span(cx, d.elem, field);
            Some(Dead {
                span,
                text: format!("its date_spec only matches {field} up to {hi}"),
                label: format!("{field} up to {hi}; it is {current} now"),
            })
        }
        _ => None,
    }
}

/// The `years`/`weekyears` attribute of a date expression's date_spec.
fn spec_span(cx: &Context, date: ElemId, field: &str) -> Span {
    let doc = &cx.cib.doc;
    match doc.child_named(date, "date_spec") {
        Some(s) => cx.attr_span(s, field),
        None => cx.span(date),
    }
}
