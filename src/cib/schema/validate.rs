//! Validation of a document against one schema version of the
//! description: one pass over the elements in document order with an
//! explicit stack (no recursion, whatever the nesting), then the IDREFs
//! against the IDs collected.

use super::notation::{Check, Cond, ElemDef, Item, Schema, Ty, WhenKind, VERSIONS};
use crate::xml::{Document, ElemId, Span};
use std::collections::HashMap;

/// What kind of fact a violation breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An element the schema does not allow where it is.
    Element,
    /// An attribute the schema does not define on the element.
    UnknownAttribute,
    /// A value of the wrong type or outside its enumeration.
    Value,
    /// A required attribute or child missing, or too many of a child.
    Missing,
    /// Attributes or children that exclude or need each other.
    Combination,
    /// An ID defined twice.
    DuplicateId,
    /// An IDREF to no ID.
    DanglingIdRef,
}

/// One place where the document breaks the schema.
#[derive(Clone, Debug)]
pub struct Violation {
    pub kind: Kind,
    pub elem: ElemId,
    pub span: Span,
    pub message: String,
    /// The attribute concerned, if any.
    pub attr: Option<String>,
}

impl Violation {
    /// What identifies the fact, to compare the verdicts of two versions.
    pub fn key(&self) -> (ElemId, Kind, &str) {
        (self.elem, self.kind, &self.message)
    }
}

/// Validate `doc` against schema version `v` (an index into [`VERSIONS`]).
/// `names` are the `validate-with` values the release's schemas accept
/// (every one of its schemas checks the attribute against that list).
pub fn validate(schema: &Schema, doc: &Document, v: usize, names: &[&str]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, ElemId> = HashMap::new();
    let mut refs: Vec<(ElemId, &str, &str)> = Vec::new();
    let root = doc.root();
    if root.name != "cib" {
        return out;
    }
    let Some(root_def) = schema.lookup("cib", None, None, v) else {
        return out;
    };
    if let Some(a) = root.attr_full("validate-with") {
        if !names.contains(&a.value.trim()) {
            out.push(value_violation(
                doc.root,
                &a,
                "cib",
                "the name of a schema this Pacemaker release has",
            ));
        }
    }
    let mut stack: Vec<(ElemId, &ElemDef)> = vec![(doc.root, root_def)];
    let mut counts: Vec<(&str, u32, ElemId)> = Vec::new();
    while let Some((id, def)) = stack.pop() {
        let e = doc.get(id);
        if def.any {
            continue;
        }
        let parent = e.parent.map(|p| doc.get(p).name);
        // No configuration element holds character data (CDATA included).
        if !e.text.is_empty() {
            let shown: String = e.text.chars().take(40).collect();
            out.push(Violation {
                kind: Kind::Element,
                elem: id,
                span: e.name_span,
                message: format!(
                    "<{}> holds text (`{shown}`), which the schema does not allow there",
                    e.name
                ),
                attr: None,
            });
        }
        // Attributes: known, typed, required.
        for a in e.attrs() {
            if a.name.starts_with("xmlns") {
                continue;
            }
            let Some(ad) = def.attr(a.name, v) else {
                out.push(Violation {
                    kind: Kind::UnknownAttribute,
                    elem: id,
                    span: a.name_span,
                    message: format!("attribute `{}` is not allowed on <{}>", a.name, e.name),
                    attr: Some(a.name.to_string()),
                });
                continue;
            };
            match &ad.ty {
                Ty::Id => {
                    let val = a.value.trim();
                    if !is_ncname(val) {
                        out.push(value_violation(id, &a, e.name, "an XML name (letters, digits, `-`, `_`, `.`; not starting with a digit, `-` or `.`)"));
                    } else if let Some(first) = ids.insert(val, id) {
                        // Keep the first definition as the one referred to.
                        ids.insert(val, first);
                        out.push(Violation {
                            kind: Kind::DuplicateId,
                            elem: id,
                            span: a.value_span,
                            message: format!(
                                "ID `{val}` is already defined (on <{}>)",
                                doc.get(first).name
                            ),
                            attr: Some(a.name.to_string()),
                        });
                    }
                }
                Ty::IdRef => {
                    let val = a.value.trim();
                    if is_ncname(val) {
                        refs.push((id, a.name, val));
                    } else {
                        out.push(value_violation(id, &a, e.name, "the ID of an element"));
                    }
                }
                ty => {
                    if let Some(expected) = type_error(ty, a.value) {
                        out.push(value_violation(id, &a, e.name, &expected));
                    }
                }
            }
        }
        for ad in def
            .attrs
            .iter()
            .filter(|a| a.required && a.range.contains(v))
        {
            // A required attribute defined twice (two version ranges) is
            // looked up for this version only.
            if e.attr(&ad.name).is_none() {
                out.push(Violation {
                    kind: Kind::Missing,
                    elem: id,
                    span: e.name_span,
                    message: format!("<{}> needs the attribute `{}`", e.name, ad.name),
                    attr: Some(ad.name.clone()),
                });
            }
        }
        // Children: allowed here, how many, and their definitions.
        counts.clear();
        let first_child = stack.len();
        for c in e.children() {
            let ce = doc.get(c);
            let allowed = def.child(ce.name, v).is_some();
            let cdef = if allowed {
                schema.lookup(ce.name, Some(e.name), parent, v)
            } else {
                None
            };
            match cdef {
                Some(cd) => {
                    stack.push((c, cd));
                    match counts.iter_mut().find(|(n, _, _)| *n == ce.name) {
                        Some(slot) => slot.1 += 1,
                        None => counts.push((ce.name, 1, c)),
                    }
                    let n = counts
                        .iter()
                        .find(|(n, _, _)| *n == ce.name)
                        .map_or(0, |s| s.1);
                    if def.child(ce.name, v).is_some_and(|d| n > d.max) {
                        out.push(Violation {
                            kind: Kind::Missing,
                            elem: c,
                            span: ce.name_span,
                            message: format!("<{}> may hold only one <{}>", e.name, ce.name),
                            attr: None,
                        });
                    }
                }
                None => out.push(Violation {
                    kind: Kind::Element,
                    elem: c,
                    span: ce.name_span,
                    message: format!(
                        "element <{}> is not allowed inside <{}>{}",
                        ce.name,
                        e.name,
                        allowed_children(def, v)
                    ),
                    attr: None,
                }),
            }
        }
        // Children are checked in document order.
        stack[first_child..].reverse();
        for cd in def
            .children
            .iter()
            .filter(|c| c.min > 0 && c.range.contains(v))
        {
            if !counts.iter().any(|(n, _, _)| *n == cd.name) {
                out.push(Violation {
                    kind: Kind::Missing,
                    elem: id,
                    span: e.name_span,
                    message: format!("<{}> needs a <{}> element", e.name, cd.name),
                    attr: None,
                });
            }
        }
        for (check, range) in &def.checks {
            if range.contains(v) {
                combination(check, doc, id, &e, &counts, &mut out);
            }
        }
    }
    for (id, attr, val) in refs {
        if !ids.contains_key(val) {
            let e = doc.get(id);
            out.push(Violation {
                kind: Kind::DanglingIdRef,
                elem: id,
                span: e.attr_span(attr),
                message: format!("`{attr}=\"{val}\"` on <{}> names no element's ID", e.name),
                attr: Some(attr.to_string()),
            });
        }
    }
    out
}

fn allowed_children(def: &ElemDef, v: usize) -> String {
    let names: Vec<String> = def
        .children
        .iter()
        .filter(|c| c.range.contains(v))
        .map(|c| format!("<{}>", c.name))
        .collect();
    if names.is_empty() {
        " (it holds no elements)".to_string()
    } else {
        format!(" (expected: {})", names.join(", "))
    }
}

fn value_violation(id: ElemId, a: &crate::xml::Attr<'_>, elem: &str, expected: &str) -> Violation {
    Violation {
        kind: Kind::Value,
        elem: id,
        span: a.value_span,
        message: format!(
            "`{}=\"{}\"` on <{elem}> is not valid: expected {expected}",
            a.name, a.value
        ),
        attr: Some(a.name.to_string()),
    }
}

fn present(item: &Item, e: &crate::xml::Element<'_>, counts: &[(&str, u32, ElemId)]) -> bool {
    match item {
        Item::Attr(a) => e.attr(a).is_some(),
        Item::Child(c) => counts.iter().any(|(n, _, _)| n == c),
    }
}

fn holds(cond: &Cond, e: &crate::xml::Element<'_>, counts: &[(&str, u32, ElemId)]) -> bool {
    match cond {
        Cond::Has(i) => present(i, e, counts),
        Cond::Lacks(i) => !present(i, e, counts),
        Cond::Eq(a, v) => e.attr(a).is_some_and(|x| x.trim() == v),
        Cond::Ne(a, v) => e.attr(a).is_some_and(|x| x.trim() != v),
    }
}

fn describe_cond(cond: &Cond) -> String {
    match cond {
        Cond::Has(i) => format!("with {}", i.describe()),
        Cond::Lacks(i) => format!("without {}", i.describe()),
        Cond::Eq(a, v) => format!("with `{a}=\"{v}\"`"),
        Cond::Ne(a, v) => format!("with `{a}` other than \"{v}\""),
    }
}

fn list(items: &[Item]) -> String {
    items
        .iter()
        .map(Item::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

fn span_of(
    item: &Item,
    doc: &Document,
    e: &crate::xml::Element<'_>,
    counts: &[(&str, u32, ElemId)],
) -> Span {
    match item {
        Item::Attr(a) => e.attr_whole_span(a),
        Item::Child(c) => counts
            .iter()
            .find(|(n, _, _)| n == c)
            .map_or(e.name_span, |&(_, _, first)| doc.get(first).name_span),
    }
}

fn combination(
    check: &Check,
    doc: &Document,
    id: ElemId,
    e: &crate::xml::Element<'_>,
    counts: &[(&str, u32, ElemId)],
    out: &mut Vec<Violation>,
) {
    let items = match check {
        Check::OneOf(i) | Check::AtMostOne(i) | Check::When(_, _, i) => i,
    };
    let here: Vec<&Item> = items.iter().filter(|i| present(i, e, counts)).collect();
    let mut push = |span: Span, message: String| {
        out.push(Violation {
            kind: Kind::Combination,
            elem: id,
            span,
            message,
            attr: None,
        })
    };
    match check {
        Check::OneOf(items) if here.is_empty() => push(
            e.name_span,
            format!("<{}> needs one of {}", e.name, list(items)),
        ),
        Check::OneOf(items) | Check::AtMostOne(items) if here.len() > 1 => push(
            span_of(here[1], doc, e, counts),
            format!(
                "<{}> may have only one of {}, not {}",
                e.name,
                list(items),
                here.iter()
                    .map(|i| i.describe())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        ),
        Check::When(cond, kind, items) if holds(cond, e, counts) => {
            let c = describe_cond(cond);
            match kind {
                WhenKind::Require => {
                    for i in items.iter().filter(|i| !present(i, e, counts)) {
                        push(
                            e.name_span,
                            format!("<{}> {c} needs {}", e.name, i.describe()),
                        );
                    }
                }
                WhenKind::Forbid => {
                    for i in items.iter().filter(|i| present(i, e, counts)) {
                        push(
                            span_of(i, doc, e, counts),
                            format!("<{}> {c} may not have {}", e.name, i.describe()),
                        );
                    }
                }
                WhenKind::Some if here.is_empty() => push(
                    e.name_span,
                    format!("<{}> {c} needs at least one of {}", e.name, list(items)),
                ),
                WhenKind::Some => {}
            }
        }
        _ => {}
    }
}

/// What a value of this type must be, when `value` is not one.
fn type_error(ty: &Ty, value: &str) -> Option<String> {
    let t = value.trim();
    // libxml2 holds an xsd:integer in 24 decimal digits at most.
    let int = |s: &str| {
        let d = s.strip_prefix(['+', '-']).unwrap_or(s);
        !d.is_empty()
            && d.bytes().all(|b| b.is_ascii_digit())
            && d.trim_start_matches('0').len() <= 24
    };
    let ok = match ty {
        Ty::Id | Ty::IdRef | Ty::Text => true,
        Ty::Int => int(t),
        Ty::NonNeg => {
            let d = t.strip_prefix('+').unwrap_or(t);
            int(d) && !d.starts_with('-')
                || t.strip_prefix('-')
                    .is_some_and(|z| !z.is_empty() && z.bytes().all(|b| b == b'0'))
        }
        Ty::PosInt => {
            let d = t.strip_prefix('+').unwrap_or(t);
            int(d) && !d.starts_with('-') && d.bytes().any(|b| b != b'0')
        }
        Ty::Bool => matches!(t, "true" | "false" | "1" | "0"),
        Ty::Score => int(t) || matches!(t, "INFINITY" | "+INFINITY" | "-INFINITY"),
        Ty::Devices => {
            !value.is_empty()
                && value.split(',').all(|d| {
                    !d.is_empty()
                        && d.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
                })
        }
        Ty::PortRange => {
            !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        }
        Ty::Enum(vals) => vals.iter().any(|x| x == t),
        Ty::TextExcept(vals) => !vals.iter().any(|x| x == value),
    };
    if ok {
        return None;
    }
    Some(match ty {
        Ty::Int => "an integer".into(),
        Ty::NonNeg => "a non-negative integer".into(),
        Ty::PosInt => "a positive integer".into(),
        Ty::Bool => "`true`, `false`, `1` or `0`".into(),
        Ty::Score => "an integer, `INFINITY` or `-INFINITY`".into(),
        Ty::Devices => {
            "a comma-separated list of device ids (letters, digits, `_`, `.`, `-`)".into()
        }
        Ty::PortRange => "a port or port range (digits and `-`)".into(),
        Ty::Enum(vals) => format!("one of {}", vals.join(", ")),
        Ty::TextExcept(_) => {
            "a name this schema still accepts (a legacy name the upgrade replaces)".into()
        }
        Ty::Id | Ty::IdRef | Ty::Text => String::new(),
    })
}

/// An XML name without a colon, as an xsd:ID or xsd:IDREF must be.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start = |c: char| c == '_' || c.is_alphabetic();
    start(first)
        && chars.all(|c| {
            start(c)
                || c.is_ascii_digit()
                || c.is_numeric()
                || matches!(c, '-' | '.' | '\u{B7}')
                || (!c.is_ascii() && !c.is_whitespace())
        })
}

/// The schema name of a version index.
pub fn version_name(v: usize) -> &'static str {
    VERSIONS.get(v).copied().unwrap_or("pacemaker-next")
}
