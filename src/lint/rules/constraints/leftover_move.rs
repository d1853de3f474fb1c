//! CO001 `leftover-move-constraint`: `crm_resource --move/--ban` (and the
//! `crm resource move/ban` and `pcs resource move/ban` front ends) work by
//! adding a `cli-prefer-RSC` (INFINITY) or `cli-ban-RSC-on-NODE`
//! (-INFINITY) location constraint. It stays until cleared, so the resource
//! is pinned to, or kept off, that node long after the maintenance that
//! needed it, and later failovers fail or go somewhere unexpected. A
//! `--lifetime` adds a date rule; once it has passed the constraint no
//! longer applies but still clutters the configuration.

use crate::cib::rule::{AttrOp, DateOp, Expr, Rule};
use crate::cib::time::Instant;
use crate::cib::{Location, Role, ScoreSpec};
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    for loc in &cx.cib.locations {
        let ban_id = loc.id.starts_with("cli-ban-");
        if !ban_id && !loc.id.starts_with("cli-prefer-") {
            continue;
        }
        let rsc = loc.rsc.as_deref().unwrap_or("?");
        let node = loc.node.clone().or_else(|| rule_node(&loc.rules));
        let ban = ban_id || negative(loc);
        let lifetime = lifetime_end(&loc.rules);
        let role = match loc.role.or_else(|| loc.rules.iter().find_map(|r| r.role)) {
            Some(r @ (Role::Promoted | Role::Unpromoted)) => format!("the {} role of ", r.name()),
            _ => String::new(),
        };
        let node_text = match &node {
            Some(n) => format!("`{n}`"),
            None => "a node".to_owned(),
        };
        let what = if ban {
            format!("bans {role}`{rsc}` from {node_text}")
        } else {
            format!("pins {role}`{rsc}` to {node_text}")
        };
        let (life, expired) = match lifetime {
            Some(end) if end <= cx.now => (
                format!("; its lifetime ended {end}, so it no longer applies"),
                true,
            ),
            Some(end) => (format!(" until {end}"), false),
            None => (", with no lifetime".to_owned(), false),
        };
        let tool = if ban {
            "a `crm_resource --ban` (`pcs resource ban`, `crm resource ban`)"
        } else {
            "a `crm_resource --move` (`pcs resource move`, `crm resource move/migrate`)"
        };
        let clear = format!(
            "`crm_resource --clear -r {rsc}` (or `pcs resource clear {rsc}`, `crm resource clear {rsc}`)"
        );
        let help = if expired {
            format!("it is dead configuration now; remove it with {clear}")
        } else if ban {
            format!("once `{rsc}` may run on {node_text} again, remove the ban with {clear}")
        } else {
            format!("once `{rsc}` no longer has to stay on {node_text}, remove the preference with {clear}")
        };
        let d = em
            .diag(
                cx.attr_span(loc.elem, "id"),
                format!("leftover constraint `{}` {what}{life}", loc.id),
            )
            .label(format!("left by {tool}"))
            .help(help)
            .element(loc.id.as_str());
        em.push(d);
    }
}

fn negative(loc: &Location) -> bool {
    match &loc.score {
        Some(ScoreSpec::Value(s)) => s.0 < 0,
        _ => loc.rules.iter().any(|r| r.score.is_some_and(|s| s.0 < 0)),
    }
}

/// The node of a `#uname eq NODE` expression, as crm_resource writes it
/// when a lifetime turns the constraint into a rule.
fn rule_node(rules: &[Rule]) -> Option<String> {
    rules.iter().find_map(|r| {
        r.exprs.iter().find_map(|e| match e {
            Expr::Attr(a) if a.attribute == "#uname" && a.op == AttrOp::Eq => a.value.clone(),
            Expr::Rule(sub) => rule_node(std::slice::from_ref(sub)),
            _ => None,
        })
    })
}

/// The end of a `date_expression operation="lt" end=…` lifetime.
fn lifetime_end(rules: &[Rule]) -> Option<Instant> {
    rules
        .iter()
        .flat_map(|r| r.date_exprs())
        .filter(|d| d.op == DateOp::Lt)
        .filter_map(|d| d.end)
        .min()
}
