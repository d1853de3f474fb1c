//! IN006 `unknown-attribute`: an attribute the CIB schema does not define
//! for this element.
//!
//! The table below lists, for each configuration element the schema
//! describes, the attributes that some Pacemaker schema from pacemaker-1.0
//! to pacemaker-3.9 accepts on it (the union over versions, so that a CIB
//! written for an older schema is not flagged for an attribute that was
//! legal then). Elements not in the table (ACLs, alerts, the status
//! section) are not checked.

use crate::lint::{Context, Emitter};
use crate::xml::{ElemId, Span};

/// Attributes every nvset-like block accepts.
const NVSET: &[&str] = &["id", "id-ref", "score"];
/// Resource containers: group, clone, master, bundle.
const CONTAINER: &[&str] = &["id", "description"];
const PRIMITIVE: &[&str] = &["id", "class", "provider", "type", "template", "description"];
const RUNTIME: &[&str] = &[
    "image",
    "replicas",
    "replicas-per-host",
    "masters",
    "promoted-max",
    "network",
    "run-command",
    "options",
];
const DATE_FIELDS: &[&str] = &[
    "id",
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "seconds",
    "monthdays",
    "weekdays",
    "yeardays",
    "yearsdays",
    "weekyears",
    "moon",
];

/// Element name → the attributes the schema defines for it.
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "cib",
        &[
            "admin_epoch",
            "epoch",
            "num_updates",
            "validate-with",
            "crm_feature_set",
            "remote-tls-port",
            "remote-clear-port",
            "have-quorum",
            "dc-uuid",
            "cib-last-written",
            "no-quorum-panic",
            "update-origin",
            "update-client",
            "update-user",
            "execution-date",
            // Read by Pacemaker for compatibility with pre-schema CIBs.
            "ignore-dtd",
        ],
    ),
    ("configuration", &[]),
    ("crm_config", &[]),
    ("rsc_defaults", &[]),
    ("op_defaults", &[]),
    ("nodes", &[]),
    ("resources", &[]),
    ("constraints", &[]),
    ("tags", &[]),
    ("fencing-topology", &[]),
    ("cluster_property_set", NVSET),
    ("meta_attributes", NVSET),
    ("instance_attributes", NVSET),
    ("utilization", NVSET),
    ("nvpair", &["id", "id-ref", "name", "value"]),
    ("node", &["id", "uname", "type", "description", "score"]),
    ("primitive", PRIMITIVE),
    (
        "template",
        &["id", "class", "provider", "type", "description"],
    ),
    ("group", CONTAINER),
    ("clone", CONTAINER),
    ("master", CONTAINER),
    ("bundle", CONTAINER),
    ("docker", RUNTIME),
    ("podman", RUNTIME),
    ("rkt", RUNTIME),
    (
        "network",
        &[
            "ip-range-start",
            "control-port",
            "host-interface",
            "host-netmask",
            "add-host",
        ],
    ),
    ("port-mapping", &["id", "port", "internal-port", "range"]),
    ("storage", &[]),
    (
        "storage-mapping",
        &[
            "id",
            "source-dir",
            "source-dir-root",
            "target-dir",
            "options",
        ],
    ),
    ("operations", &["id", "id-ref"]),
    (
        "op",
        &[
            "id",
            "name",
            "interval",
            "description",
            "start-delay",
            "interval-origin",
            "timeout",
            "enabled",
            "record-pending",
            "role",
            "requires",
            "on-fail",
        ],
    ),
    (
        "rsc_location",
        &[
            "id",
            "rsc",
            "rsc-pattern",
            "role",
            "score",
            "node",
            "resource-discovery",
        ],
    ),
    (
        "rsc_colocation",
        &[
            "id",
            "score",
            "score-attribute",
            "score-attribute-mangle",
            "rsc",
            "with-rsc",
            "rsc-role",
            "with-rsc-role",
            "rsc-instance",
            "with-rsc-instance",
            "node-attribute",
            "influence",
        ],
    ),
    (
        "rsc_order",
        &[
            "id",
            "first",
            "then",
            "first-action",
            "then-action",
            "first-instance",
            "then-instance",
            "kind",
            "score",
            "symmetrical",
            "require-all",
        ],
    ),
    (
        "rsc_ticket",
        &["id", "rsc", "rsc-role", "ticket", "loss-policy"],
    ),
    (
        "resource_set",
        &[
            "id",
            "id-ref",
            "sequential",
            "require-all",
            "ordering",
            "action",
            "role",
            "score",
            "kind",
        ],
    ),
    ("resource_ref", &["id"]),
    (
        "rule",
        &[
            "id",
            "id-ref",
            "score",
            "score-attribute",
            "boolean-op",
            "role",
        ],
    ),
    (
        "expression",
        &[
            "id",
            "attribute",
            "operation",
            "value",
            "type",
            "value-source",
        ],
    ),
    ("date_expression", &["id", "start", "end", "operation"]),
    ("date_spec", DATE_FIELDS),
    ("duration", DATE_FIELDS),
    ("rsc_expression", &["id", "class", "provider", "type"]),
    ("op_expression", &["id", "name", "interval"]),
    ("tag", &["id"]),
    ("obj_ref", &["id"]),
    (
        "fencing-level",
        &[
            "id",
            "target",
            "target-pattern",
            "target-attribute",
            "target-value",
            "index",
            "devices",
        ],
    ),
];

/// Resource meta attributes people write as XML attributes by mistake.
const RESOURCE_META: &[&str] = &[
    "allow-migrate",
    "allow-unhealthy-nodes",
    "clone-max",
    "clone-min",
    "clone-node-max",
    "container-attribute-target",
    "critical",
    "failure-timeout",
    "globally-unique",
    "interleave",
    "is-managed",
    "maintenance",
    "master-max",
    "master-node-max",
    "migration-threshold",
    "multiple-active",
    "notify",
    "ordered",
    "priority",
    "promotable",
    "promoted-max",
    "promoted-node-max",
    "remote-addr",
    "remote-connect-timeout",
    "remote-node",
    "remote-port",
    "requires",
    "resource-stickiness",
    "target-role",
];

/// Node attributes people write on `<node>` instead of in an nvset.
const NODE_ATTRIBUTES: &[&str] = &["standby", "maintenance", "site"];

fn known_attributes(element: &str) -> Option<&'static [&'static str]> {
    SCHEMA
        .iter()
        .find(|(name, _)| *name == element)
        .map(|(_, attrs)| *attrs)
}

/// Schemas from before pacemaker-1.0 (DTD era) define a different syntax.
fn pre_schema_syntax(validate_with: Option<&str>) -> bool {
    validate_with.is_some_and(|v| v.starts_with("pacemaker-0.") || v.starts_with("transitional-0."))
}

/// The help IN006 gives for `attr` on `element` (a likely spelling, or
/// where the setting belongs), for the schema check to reuse.
pub fn help_for_attr(element: &str, attr: &str) -> Option<String> {
    known_attributes(element).map(|known| help_for(element, attr, known))
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    // A CIB validated against a schema it names gets SC001 for the same
    // attribute, as an error: Pacemaker refuses such a CIB.
    if cib.schema.validated() {
        return;
    }
    if pre_schema_syntax(cib.validate_with.as_deref()) {
        return;
    }
    let doc = &cib.doc;
    let root = doc.root;
    check_element(cx, em, root);
    let Some(conf) = doc.child_named(root, "configuration") else {
        return;
    };
    for e in doc.descendants(conf) {
        check_element(cx, em, e);
    }
}

fn check_element(cx: &Context, em: &mut Emitter, e: ElemId) {
    let el = cx.cib.doc.get(e);
    let Some(known) = known_attributes(el.name) else {
        return;
    };
    for a in el.attrs() {
        let name = a.name;
        if known.contains(&name) || name == "xmlns" || name.starts_with("xmlns:") {
            continue;
        }
        if name.starts_with("xml:") {
            continue;
        }
        let span = Span {
            start: a.name_span.start,
            end: a.name_span.end,
        };
        let mut d = em
            .diag(
                span,
                match cx.owner_text(e) {
                    Some(owner) if el.attr("id").is_some() => {
                        format!("unknown attribute `{name}` on {owner}")
                    }
                    Some(owner) => {
                        format!("unknown attribute `{name}` on <{}> in {owner}", el.name)
                    }
                    None => format!("unknown attribute `{name}` on <{}>", el.name),
                },
            )
            .label("not defined by the CIB schema");
        d = d.help(help_for(el.name, name, known));
        let id = el.attr("id").or_else(|| el.attr("id-ref")).unwrap_or("");
        d = d.element(format!("{id}@{name}"));
        em.push(d);
    }
}

fn help_for(element: &str, attr: &str, known: &[&str]) -> String {
    let norm = normalize(attr);
    let is_resource = matches!(
        element,
        "primitive" | "template" | "group" | "clone" | "master" | "bundle"
    );
    if is_resource && RESOURCE_META.contains(&norm.as_str()) {
        return format!(
            "`{norm}` is a meta attribute: set it in <meta_attributes> as \
             <nvpair name=\"{norm}\" value=\"...\"/>; as an XML attribute Pacemaker ignores it"
        );
    }
    if element == "node" && NODE_ATTRIBUTES.contains(&norm.as_str()) {
        return format!(
            "`{norm}` is a node attribute: set it in the node's <instance_attributes> as \
             <nvpair name=\"{norm}\" value=\"...\"/>; as an XML attribute Pacemaker ignores it"
        );
    }
    match closest(attr, known) {
        Some(best) => format!("did you mean `{best}`?"),
        None if known.is_empty() => {
            format!("<{element}> takes no attributes; Pacemaker ignores this one")
        }
        None => format!(
            "Pacemaker ignores it; <{element}> accepts {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Lowercase, with `_` spelled as `-` (`with_rsc` → `with-rsc`).
fn normalize(s: &str) -> String {
    s.to_ascii_lowercase().replace('_', "-")
}

/// The known attribute nearest to `attr`, when near enough to be a typo.
fn closest<'a>(attr: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = normalize(attr);
    if let Some(k) = known.iter().find(|k| normalize(k) == norm) {
        return Some(k);
    }
    let limit = match norm.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    known
        .iter()
        .map(|k| (edit_distance(&norm, &normalize(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance (Levenshtein plus transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, slot) in d.iter_mut().enumerate().take(w) {
        *slot = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let loc = known_attributes("rsc_location").unwrap();
        assert_eq!(closest("scor", loc), Some("score"));
        assert_eq!(closest("rcs", loc), Some("rsc"));
        let col = known_attributes("rsc_colocation").unwrap();
        assert_eq!(closest("with_rsc", col), Some("with-rsc"));
        assert_eq!(closest("WITH-RSC-ROLE", col), Some("with-rsc-role"));
        assert_eq!(closest("completely-different", col), None);
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn meta_attribute_hint() {
        let h = help_for("primitive", "target_role", PRIMITIVE);
        assert!(h.contains("<meta_attributes>"), "{h}");
        assert!(h.contains("target-role"), "{h}");
    }

    #[test]
    fn old_syntax_is_skipped() {
        assert!(pre_schema_syntax(Some("pacemaker-0.7")));
        assert!(pre_schema_syntax(Some("transitional-0.6")));
        assert!(!pre_schema_syntax(Some("pacemaker-3.0")));
        assert!(!pre_schema_syntax(None));
    }
}
