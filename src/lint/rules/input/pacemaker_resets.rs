//! What Pacemaker 2.1.5 corrects or ignores while unpacking the
//! configuration, with a warning or a configuration error in `crm_verify`
//! (IN009 to IN012; docs/crm_verify-coverage.md maps each message).

use crate::cib::nvset::NvPair;
use crate::cib::{ResourceId, Variant};
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;

/// Meta attributes Pacemaker reads as plain integers (`crm_parse_ll`), not
/// scores: trailing characters are dropped with a warning.
const INTEGER_META: &[&str] = &[
    "priority",
    "clone-max",
    "clone-node-max",
    "clone-min",
    "promoted-max",
    "promoted-node-max",
    "master-max",
    "master-node-max",
];

/// `1.0` → `Some(1)`: an integer followed by other characters.
fn integer_with_trailing(v: &str) -> Option<&str> {
    let t = v.trim_start();
    let sign = usize::from(t.starts_with(['-', '+']));
    let digits = t[sign..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || sign + digits == t.len() {
        return None;
    }
    Some(&t[..sign + digits])
}

fn meta_pairs<'a>(cx: &Context<'a>) -> Vec<(Option<ResourceId>, &'a NvPair)> {
    let cib = cx.cib;
    let mut v = Vec::new();
    for (i, r) in cib.resources.iter().enumerate() {
        for set in &r.meta {
            for p in &set.pairs {
                v.push((Some(ResourceId(i as u32)), p));
            }
        }
    }
    for set in &cib.rsc_defaults {
        for p in &set.pairs {
            v.push((None, p));
        }
    }
    v
}

/// IN009 `integer-trailing-characters`.
pub fn integer_trailing_characters(cx: &Context, em: &mut Emitter) {
    let mut found: Vec<(ElemId, &str, String, String)> = Vec::new();
    for (_, p) in meta_pairs(cx) {
        if !INTEGER_META.contains(&p.name.as_str()) {
            continue;
        }
        if let Some(v) = p.value.as_deref() {
            if let Some(int) = integer_with_trailing(v) {
                found.push((
                    p.elem,
                    "value",
                    format!("`{}` value `{v}`", p.name),
                    int.to_owned(),
                ));
            }
        }
    }
    // Rule expressions comparing as integers.
    let doc = &cx.cib.doc;
    if let Some(config) = doc.child_named(doc.root, "configuration") {
        for e in doc.descendants(config) {
            let el = doc.get(e);
            if el.name != "expression" || el.attr("type") != Some("integer") {
                continue;
            }
            if let Some(v) = el.attr("value") {
                if let Some(int) = integer_with_trailing(v) {
                    let id = el.attr("id").unwrap_or_default();
                    found.push((
                        e,
                        "value",
                        format!("expression `{id}` value `{v}`"),
                        int.to_owned(),
                    ));
                }
            }
        }
    }
    for (elem, attr, what, int) in found {
        let owner = cx.owner_text(elem).unwrap_or_default();
        let d = em
            .diag(
                cx.attr_span(elem, attr),
                format!(
                    "{what} ({owner}) is not an integer: Pacemaker reads it as {int} and warns"
                ),
            )
            .label("an integer is expected")
            .help(format!("write the integer `{int}`"))
            .element(cx.elem_id(elem));
        em.push(d);
    }
}

/// IN010 `promotable-only`: what only a promotable clone can have, on
/// something that is not one.
pub fn promotable_only(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for (i, r) in cib.resources.iter().enumerate() {
        let id = ResourceId(i as u32);
        let top = cib.resource(cib.top_of(id));
        let promotable = top.is_promotable()
            || matches!(&top.variant, Variant::Bundle(_))
                && top.meta_value("promoted-max").is_some();
        // target-role above Started (Promoted, Unpromoted and the legacy
        // names) is ignored outside promotable clones.
        if let Some(p) = r.meta_pair("target-role") {
            let v = p.value.as_deref().unwrap_or_default();
            let promoted_role = ["promoted", "unpromoted", "master", "slave"]
                .iter()
                .any(|x| v.eq_ignore_ascii_case(x));
            if promoted_role && !promotable && !top.is_bundle() {
                let d = em
                    .diag(
                        cx.attr_span(p.elem, "value"),
                        format!(
                            "`target-role={v}` on {} `{}`, which is not in a promotable clone: Pacemaker ignores it (configuration error)",
                            r.kind_name(),
                            r.id
                        ),
                    )
                    .label("a role of promotable clones only")
                    .help(format!(
                        "use `Started` or `Stopped` (`crm_resource --resource {} --meta --set-parameter target-role --parameter-value Started`), or make the clone promotable",
                        r.id
                    ))
                    .element(r.id.clone());
                em.push(d);
            }
        }
        // A promotable clone of an agent class without promote/demote.
        if r.is_primitive() && top.is_promotable() {
            let class = r.class.as_deref().unwrap_or_default();
            if !class.eq_ignore_ascii_case("ocf") && !class.is_empty() {
                let d = em
                    .diag(
                        cx.attr_span(r.elem, "class"),
                        format!(
                            "`{}` is a {class} resource in promotable clone `{}`: only OCF agents can be promoted, so Pacemaker refuses the resource",
                            r.id, top.id
                        ),
                    )
                    .label("not an OCF agent")
                    .help(format!(
                        "use an OCF agent that supports promote and demote, or make `{}` a plain clone (`promotable=false`)",
                        top.id
                    ))
                    .element(r.id.clone());
                em.push(d);
            }
        }
    }
}

/// IN011 `anonymous-only-class`.
pub fn anonymous_only_class(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for r in &cib.resources {
        if !r.is_clone() {
            continue;
        }
        let Some(p) = r.meta_pair("globally-unique") else {
            continue;
        };
        if !p.value.as_deref().is_some_and(crate::cib::load::parse_bool) {
            continue;
        }
        // The primitives cloned (directly or in a group).
        let mut prims = Vec::new();
        for &c in &r.children {
            let child = cib.resource(c);
            if child.is_primitive() {
                prims.push(child);
            } else {
                prims.extend(child.children.iter().map(|g| cib.resource(*g)));
            }
        }
        let Some(prim) = prims.into_iter().find(|p| {
            p.class.as_deref().is_some_and(|c| {
                ["lsb", "systemd", "service", "upstart"]
                    .iter()
                    .any(|x| c.eq_ignore_ascii_case(x))
            })
        }) else {
            continue;
        };
        let class = prim.class.as_deref().unwrap_or_default();
        let d = em
            .diag(
                cx.attr_span(p.elem, "value"),
                format!(
                    "clone `{}` is globally unique, but `{}` is a {class} resource, which can only be an anonymous clone: Pacemaker ignores `globally-unique` (one instance per node)",
                    r.id, prim.id
                ),
            )
            .label("ignored for this agent class")
            .help(format!(
                "remove `globally-unique` from `{}` (`crm_resource --resource {} --meta --delete-parameter globally-unique`)",
                r.id, r.id
            ))
            .element(r.id.clone());
        em.push(d);
    }
}

/// IN012 `deprecated-option`.
pub fn deprecated_option(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let mut found: Vec<(ElemId, &str, String, &str)> = Vec::new();
    for (_, p) in meta_pairs(cx) {
        let v = p.value.as_deref().unwrap_or_default();
        if p.name == "restart-type" {
            found.push((
                p.elem,
                "name",
                format!("`restart-type={v}`"),
                "remove it; to restart dependents, use mandatory orderings",
            ));
        }
    }
    // A group reads `ordered` and `collocated` from its own meta
    // attributes, its parents' and `rsc_defaults`.
    let mut seen = Vec::new();
    for (i, r) in cib.resources.iter().enumerate() {
        if !r.is_group() {
            continue;
        }
        for name in ["ordered", "collocated"] {
            let pair = cx
                .self_and_ancestors(ResourceId(i as u32))
                .into_iter()
                .find_map(|a| cib.resource(a).meta_pair(name))
                .or_else(|| cib.rsc_default(name));
            let Some(p) = pair else { continue };
            let v = p.value.as_deref().unwrap_or_default();
            if crate::cib::load::parse_bool(v) || seen.contains(&p.elem) {
                continue;
            }
            seen.push(p.elem);
            found.push((
                p.elem,
                "value",
                format!("`{name}={v}` for group `{}`", r.id),
                "remove it and list the resources in a resource set with `sequential=false` instead of a group",
            ));
        }
    }
    for o in &cib.orders {
        if o.kind.is_none() && o.score.is_some() {
            found.push((
                o.elem,
                "score",
                format!("`score` in ordering `{}`", o.id),
                "use `kind=\"Mandatory\"` (score above 0) or `kind=\"Optional\"` (score 0) instead",
            ));
        }
        let first_is_clone = o
            .first
            .as_deref()
            .and_then(|f| cx.resolve_one(f))
            .is_some_and(|r| cib.resource(r).is_clone());
        if o.require_all.is_some() && first_is_clone {
            found.push((
                o.elem,
                "require-all",
                format!("`require-all` in ordering `{}`", o.id),
                "set the clone's `clone-min` meta attribute instead (`require-all=false` is `clone-min=1`)",
            ));
        }
    }
    if let Some(p) = cx.cluster_option("stonith-action") {
        if p.value.as_deref() == Some("poweroff") {
            found.push((
                p.elem,
                "value",
                "`stonith-action=poweroff`".into(),
                "write `off`",
            ));
        }
    }
    if let Some(p) = cx.cluster_option("remove-after-stop") {
        found.push((
            p.elem,
            "name",
            "the cluster option `remove-after-stop`".into(),
            "remove it (`crm_attribute --type crm_config --name remove-after-stop --delete`)",
        ));
    }
    for (elem, attr, what, fix) in found {
        let owner = cx.owner_text(elem).unwrap_or_default();
        let d = em
            .diag(
                cx.attr_span(elem, attr),
                format!("{what} ({owner}) is deprecated: Pacemaker 2.1.5 warns and a later release removes it"),
            )
            .label("deprecated")
            .help(fix.to_owned())
            .element(cx.elem_id(elem));
        em.push(d);
    }
}
