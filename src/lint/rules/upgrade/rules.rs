//! Upgrade rules about rules, name/value pairs and the schema: what 3.0
//! no longer evaluates, drops, or refuses to load.

use super::{config_elems, owner, release, CIBADMIN};
use crate::cib::upgrade::known_schema;
use crate::lint::{Context, Emitter};

/// UP027 `date-spec-moon`: `moon` in a `date_spec`, dropped by 3.0.
pub fn date_spec_moon(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["date_spec"]) {
        let Some(v) = doc.get(e).attr("moon") else {
            continue;
        };
        let d = em
            .diag(
                doc.get(e).attr_whole_span("moon"),
                format!(
                    "{} matches on the phase of the moon (`moon=\"{v}\"`), which Pacemaker {} drops: the date \
                     specification then matches at every phase",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("dropped by the upgrade")
            .help("delete the attribute, or express the dates with `monthdays`, `weeks` or `yeardays`");
        em.push(d);
    }
}

/// UP028 `meta-node-expression`: a node attribute expression in a
/// meta-attribute rule, which 3.0 no longer evaluates.
pub fn meta_node_expression(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["expression"]) {
        // The nearest name/value set holding the rule.
        let mut cur = doc.get(e).parent;
        let mut set = None;
        while let Some(p) = cur {
            let el = doc.get(p);
            if el.name != "rule" {
                set = Some(el.name);
                break;
            }
            cur = el.parent;
        }
        if set != Some("meta_attributes") {
            continue;
        }
        let attr = doc.get(e).attr("attribute").unwrap_or_default();
        // 3.0.2 still evaluates them for operations, with a deprecation
        // warning (crm_verify says so); elsewhere they are ignored.
        let fate = if super::inside(cx, e, "op") || super::inside(cx, e, "op_defaults") {
            "deprecates node expressions in operation meta-attribute rules (still evaluated, to be dropped)"
        } else {
            "ignores node expressions in meta-attribute rules, so the values no longer vary by node"
        };
        let d = em
            .diag(
                doc.get(e).name_span,
                format!(
                    "{} has a rule testing node attribute `{attr}`: Pacemaker {} {fate}",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("node expression in a meta-attribute rule")
            .help(
                "set the meta attribute without the node test (one value for every node); \
                 per-node placement belongs in location constraints",
            );
        em.push(d);
    }
}

/// UP029 `nvpair-without-value`: an nvpair with neither `value` nor
/// `id-ref`, which 3.0's upgrade drops.
pub fn nvpair_without_value(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["nvpair"]) {
        let el = doc.get(e);
        if el.attr("value").is_some() || el.attr("id-ref").is_some() {
            continue;
        }
        let name = el.attr("name").unwrap_or_default();
        let d = em
            .diag(
                el.tag_span,
                format!(
                    "nvpair `{name}` in {} has no value: Pacemaker {} drops it, so an earlier or default \
                     value applies instead",
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("no value")
            .help("give it a value, or delete it if the default is meant");
        em.push(d);
    }
}

/// UP030 `nvpair-name-with-id-ref`: an nvpair with both `id-ref` and
/// `name`; 3.0 ignores the name (and any value) and copies the referenced
/// pair.
pub fn nvpair_name_with_id_ref(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["nvpair"]) {
        let el = doc.get(e);
        let (Some(r), Some(name)) = (el.attr("id-ref"), el.attr("name")) else {
            continue;
        };
        let d = em
            .diag(
                el.attr_whole_span("name"),
                format!(
                    "nvpair referring to `{r}` also says `name=\"{name}\"`: Pacemaker {} no longer supports a \
                     name with `id-ref` and uses the referenced pair's name and value",
                    rel.series
                ),
            )
            .label("ignored with id-ref")
            .help(format!(
                "drop `name` (and `value`), or write a plain nvpair with its own id; {CIBADMIN}"
            ));
        em.push(d);
    }
}

/// UP031 `unsupported-schema`: a `validate-with` 3.0 refuses: missing,
/// `none`, `pacemaker-next`, not spelled in lowercase, or a schema it does
/// not have (`pacemaker-1.1`, `transitional-0.6`…).
pub fn unsupported_schema(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    let root = doc.root();
    if root.name != "cib" || cx.cib.partial.is_some() {
        return;
    }
    let written = cx
        .cib
        .upgrade
        .from
        .as_deref()
        .or(cx.cib.validate_with.as_deref());
    let why = match written.map(str::trim) {
        None => "no `validate-with`".to_string(),
        Some("") => "an empty `validate-with`".to_string(),
        Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("pacemaker-next") => {
            format!("`validate-with=\"{v}\"` (validation off or an unstable schema)")
        }
        Some(v) if v != v.to_ascii_lowercase() => {
            format!("`validate-with=\"{v}\"` (schema names are now case-sensitive)")
        }
        Some(v)
            if known_schema(v).is_none() && !matches!(v, "pacemaker-3.10" | "pacemaker-4.0") =>
        {
            format!("`validate-with=\"{v}\"` (a schema it does not have)")
        }
        Some(_) => return,
    };
    let span = if written.is_some() {
        root.attr_span("validate-with")
    } else {
        root.name_span
    };
    let d = em
        .diag(
            span,
            format!("the CIB has {why}, which Pacemaker {} refuses to load", rel.series),
        )
        .label("refused by Pacemaker 3.0")
        .help(
            "before upgrading, set a schema the CIB validates against: `cibadmin --upgrade --force` \
             (2.1.5 moves it to pacemaker-3.9; back up with `cibadmin --query > cib-backup.xml` first)",
        );
    em.push(d);
}

/// What is wrong with a rule expression 3.0 no longer lets pass, if
/// anything.
fn misconfiguration(el: &crate::xml::Element<'_>) -> Option<String> {
    const COMPARE: &[&str] = &["lt", "gt", "lte", "gte", "eq", "ne"];
    match el.name {
        "expression" => {
            if el.attr("attribute").is_none_or(str::is_empty) {
                return Some("has no `attribute`".into());
            }
            let Some(op) = el.attr("operation") else {
                return Some("has no `operation`".into());
            };
            if !COMPARE.contains(&op) && !matches!(op, "defined" | "not_defined") {
                return Some(format!("has an unknown `operation=\"{op}\"`"));
            }
            if COMPARE.contains(&op) && el.attr("value").is_none() {
                return Some(format!("compares (`{op}`) without a `value`"));
            }
            None
        }
        "date_expression" => match el.attr("operation").unwrap_or("in_range") {
            "gt" if el.attr("start").is_none() => Some("is `gt` without `start`".into()),
            "lt" if el.attr("end").is_none() => Some("is `lt` without `end`".into()),
            "in_range" if el.attr("start").is_none() && el.attr("end").is_none() => {
                Some("is `in_range` without `start` or `end`".into())
            }
            "gt" | "lt" | "in_range" | "date_spec" => None,
            op => Some(format!("has an unknown `operation=\"{op}\"`")),
        },
        _ => None,
    }
}

/// UP033 `misconfigured-rule-expression`: a rule expression missing what
/// it needs, which 3.0 treats as not passing (2.1.5 let some pass).
pub fn misconfigured_rule_expression(cx: &Context, em: &mut Emitter) {
    let Some(rel) = release(cx) else { return };
    let doc = &cx.cib.doc;
    for e in config_elems(cx, &["expression", "date_expression"]) {
        let el = doc.get(e);
        let Some(what) = misconfiguration(&el) else {
            continue;
        };
        let d = em
            .diag(
                el.name_span,
                format!(
                    "<{}> `{}` in {} {what}: Pacemaker {} treats a misconfigured expression as not passing, \
                     so the rule may no longer apply",
                    el.name,
                    el.attr("id").unwrap_or_default(),
                    owner(cx, e),
                    rel.series
                ),
            )
            .label("misconfigured")
            .help("complete the expression (Pacemaker Explained, \"Rules\"), or delete it");
        em.push(d);
    }
}
