//! CO009 `unknown-node`: a location constraint names a node that is not in
//! the configuration: not a `<node>`, not a remote node (the id of an
//! `ocf:pacemaker:remote` resource), not a guest node (a `remote-node` meta
//! attribute) and not a bundle replica. Pacemaker ignores a `node=`
//! location for a node it does not know, and a `#uname` rule on such a name
//! never matches, so the constraint does nothing: usually a typo, a
//! renamed or removed node, or a configuration copied from another cluster.

use super::{is_bundle_node, placement_nodes};
use crate::cib::rule::{AttrOp, Expr, Rule, ValueSource};
use crate::lint::{Context, Emitter};
use crate::xml::Span;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    // Without any <node> there is nothing to compare with (a configuration
    // prepared before the nodes joined).
    if cib.nodes.is_empty() {
        return;
    }
    let configured: Vec<String> = placement_nodes(cx).into_iter().map(|(n, _)| n).collect();
    let mut known = configured.clone();
    for n in &cib.nodes {
        known.push(n.uname.clone());
    }
    for ns in cib.status.iter().flatten() {
        if let Some(u) = &ns.uname {
            known.push(u.clone());
        }
    }
    // Node names are matched without regard to case, as Pacemaker does.
    let is_known =
        |name: &str| known.iter().any(|k| k.eq_ignore_ascii_case(name)) || is_bundle_node(cx, name);
    for loc in &cib.locations {
        let mut found: Vec<(Span, String, &str)> = Vec::new();
        if let Some(node) = &loc.node {
            if !is_known(node) {
                found.push((cx.attr_span(loc.elem, "node"), node.clone(), "node"));
            }
        }
        for rule in &loc.rules {
            uname_values(cx, rule, &mut |span, value, eq| {
                if !is_known(value) {
                    found.push((
                        span,
                        value.to_owned(),
                        if eq { "rule-eq" } else { "rule-ne" },
                    ));
                }
            });
        }
        for (span, node, how) in found {
            let msg = match how {
                "node" => format!(
                    "location `{}` names node `{node}`, which is not in the configuration",
                    loc.id
                ),
                _ => format!(
                    "a rule of location `{}` tests `#uname` against `{node}`, which is not a node of the configuration",
                    loc.id
                ),
            };
            let effect = match how {
                "node" => "Pacemaker ignores a location constraint for a node it does not know",
                "rule-eq" => "the expression matches no node",
                _ => "the expression matches every node",
            };
            let hint = match closest(&node, &configured) {
                Some(c) => format!("did you mean `{c}`? "),
                None => String::new(),
            };
            let list = configured
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let d = em
                .diag(span, msg)
                .label("no node of this name")
                .help(format!(
                    "{effect}; {hint}configured nodes: {list}; fix the name, or remove the constraint if the node is gone"
                ))
                .element(loc.id.as_str());
            em.push(d);
        }
    }
}

/// The literal values a rule compares `#uname` with (`eq` and `ne`).
fn uname_values(cx: &Context, rule: &Rule, f: &mut dyn FnMut(Span, &str, bool)) {
    for e in &rule.exprs {
        match e {
            Expr::Attr(a)
                if a.attribute == "#uname"
                    && matches!(a.op, AttrOp::Eq | AttrOp::Ne)
                    && a.value_source == ValueSource::Literal =>
            {
                if let Some(v) = &a.value {
                    f(cx.attr_span(a.elem, "value"), v, a.op == AttrOp::Eq);
                }
            }
            Expr::Rule(r) => uname_values(cx, r, f),
            _ => {}
        }
    }
}

/// The configured name nearest to `name`, if it is a likely typo.
fn closest<'a>(name: &str, names: &'a [String]) -> Option<&'a str> {
    let limit = (name.chars().count() / 4).clamp(1, 3);
    names
        .iter()
        .map(|n| {
            (
                levenshtein(&name.to_ascii_lowercase(), &n.to_ascii_lowercase()),
                n.as_str(),
            )
        })
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
