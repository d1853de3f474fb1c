//! Reader of `schema/pacemaker.schema`, cibcheck's own description of what
//! each Pacemaker CIB schema version allows (its notation is documented at
//! the top of that file and in docs/schema.md). The file is compiled into
//! the binary and read once, on first use.

use std::collections::HashMap;

/// Every schema name Pacemaker 3.0.2 knows, oldest first; a version is an
/// index into this list.
pub const VERSIONS: &[&str] = &[
    "pacemaker-1.0",
    "pacemaker-1.2",
    "pacemaker-1.3",
    "pacemaker-2.0",
    "pacemaker-2.1",
    "pacemaker-2.2",
    "pacemaker-2.3",
    "pacemaker-2.4",
    "pacemaker-2.5",
    "pacemaker-2.6",
    "pacemaker-2.7",
    "pacemaker-2.8",
    "pacemaker-2.9",
    "pacemaker-2.10",
    "pacemaker-3.0",
    "pacemaker-3.1",
    "pacemaker-3.2",
    "pacemaker-3.3",
    "pacemaker-3.4",
    "pacemaker-3.5",
    "pacemaker-3.6",
    "pacemaker-3.7",
    "pacemaker-3.8",
    "pacemaker-3.9",
    "pacemaker-3.10",
    "pacemaker-4.0",
];

/// The index of a schema name (case-insensitive, as Pacemaker compares).
pub fn version_index(name: &str) -> Option<usize> {
    let name = name.trim();
    VERSIONS.iter().position(|v| v.eq_ignore_ascii_case(name))
}

/// Versions `lo..=hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: usize,
    pub hi: usize,
}

impl Range {
    pub const ALL: Range = Range {
        lo: 0,
        hi: usize::MAX,
    };
    pub fn contains(self, v: usize) -> bool {
        self.lo <= v && v <= self.hi
    }
}

/// An attribute value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    Id,
    IdRef,
    Text,
    Int,
    NonNeg,
    PosInt,
    Bool,
    Score,
    /// A comma-separated list of device ids.
    Devices,
    /// Digits and dashes (a port range).
    PortRange,
    Enum(Vec<String>),
    /// Any text except these values.
    TextExcept(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct AttrDef {
    pub name: String,
    pub required: bool,
    pub ty: Ty,
    pub range: Range,
}

#[derive(Clone, Debug)]
pub struct ChildDef {
    pub name: String,
    pub min: u32,
    pub max: u32,
    pub range: Range,
}

/// An attribute or a child element, as a check names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Attr(String),
    Child(String),
}

impl Item {
    fn parse(s: &str) -> Item {
        match s.strip_prefix('@') {
            Some(a) => Item::Attr(a.to_string()),
            None => Item::Child(s.to_string()),
        }
    }
    /// How a message names it.
    pub fn describe(&self) -> String {
        match self {
            Item::Attr(a) => format!("`{a}`"),
            Item::Child(c) => format!("<{c}>"),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Cond {
    Has(Item),
    Lacks(Item),
    Eq(String, String),
    Ne(String, String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenKind {
    Require,
    Forbid,
    Some,
}

#[derive(Clone, Debug)]
pub enum Check {
    OneOf(Vec<Item>),
    AtMostOne(Vec<Item>),
    When(Cond, WhenKind, Vec<Item>),
}

#[derive(Clone, Debug)]
pub struct ElemDef {
    pub names: Vec<String>,
    /// Each context is the parent's name, or `grandparent/parent`; empty:
    /// anywhere.
    pub contexts: Vec<(Option<String>, String)>,
    pub range: Range,
    /// Anything goes below (the status section).
    pub any: bool,
    pub attrs: Vec<AttrDef>,
    pub children: Vec<ChildDef>,
    pub checks: Vec<(Check, Range)>,
}

impl ElemDef {
    pub fn attr(&self, name: &str, v: usize) -> Option<&AttrDef> {
        self.attrs
            .iter()
            .find(|a| a.name == name && a.range.contains(v))
    }
    pub fn child(&self, name: &str, v: usize) -> Option<&ChildDef> {
        self.children
            .iter()
            .find(|c| c.name == name && c.range.contains(v))
    }
    fn matches(&self, parent: Option<&str>, grandparent: Option<&str>) -> bool {
        self.contexts.is_empty()
            || self.contexts.iter().any(|(gp, p)| {
                Some(p.as_str()) == parent && gp.as_deref().is_none_or(|g| Some(g) == grandparent)
            })
    }
}

/// The whole description.
#[derive(Debug, Default)]
pub struct Schema {
    pub defs: Vec<ElemDef>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Schema {
    /// The definition of `name` in its context for version `v`.
    pub fn lookup(
        &self,
        name: &str,
        parent: Option<&str>,
        grandparent: Option<&str>,
        v: usize,
    ) -> Option<&ElemDef> {
        self.by_name.get(name)?.iter().find_map(|&i| {
            let d = &self.defs[i];
            (d.range.contains(v) && d.matches(parent, grandparent)).then_some(d)
        })
    }

    /// True when some version defines an element of this name anywhere.
    pub fn knows_element(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// True when some version defines the attribute on some element of
    /// this name.
    pub fn knows_attr(&self, elem: &str, attr: &str) -> bool {
        self.by_name.get(elem).is_some_and(|ds| {
            ds.iter()
                .any(|&i| self.defs[i].attrs.iter().any(|a| a.name == attr))
        })
    }
}

const TEXT: &str = include_str!("../../../schema/pacemaker.schema");

/// The compiled-in description.
pub fn schema() -> &'static Schema {
    static S: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    // The text is part of the binary and checked by a unit test: an error
    // here leaves an empty description (nothing validated), never a panic.
    S.get_or_init(|| parse(TEXT).unwrap_or_default())
}

fn parse_version(s: &str) -> Result<usize, String> {
    version_index(&format!("pacemaker-{s}")).ok_or_else(|| format!("unknown version `{s}`"))
}

/// `[A-B]`, `[A-]`, `[-B]` or `[A]`.
fn parse_range(s: &str) -> Result<Range, String> {
    let inner = s
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(|| format!("bad version range `{s}`"))?;
    match inner.split_once('-') {
        None => {
            let v = parse_version(inner)?;
            Ok(Range { lo: v, hi: v })
        }
        Some((a, b)) => Ok(Range {
            lo: if a.is_empty() { 0 } else { parse_version(a)? },
            hi: if b.is_empty() {
                usize::MAX
            } else {
                parse_version(b)?
            },
        }),
    }
}

fn parse_ty(s: &str) -> Result<Ty, String> {
    let list = |body: &str| -> Vec<String> { body.split('|').map(str::to_string).collect() };
    Ok(match s {
        "ID" => Ty::Id,
        "IDREF" => Ty::IdRef,
        "text" => Ty::Text,
        "int" => Ty::Int,
        "nonneg" => Ty::NonNeg,
        "posint" => Ty::PosInt,
        "bool" => Ty::Bool,
        "score" => Ty::Score,
        "devices" => Ty::Devices,
        "portrange" => Ty::PortRange,
        _ => {
            if let Some(body) = s.strip_prefix("text!(").and_then(|b| b.strip_suffix(')')) {
                Ty::TextExcept(list(body))
            } else if let Some(body) = s.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
                Ty::Enum(list(body))
            } else {
                return Err(format!("unknown type `{s}`"));
            }
        }
    })
}

fn parse_cond(s: &str) -> Result<Cond, String> {
    if let Some(rest) = s.strip_prefix('!') {
        return Ok(Cond::Lacks(Item::parse(rest)));
    }
    if let Some(attr) = s.strip_prefix('@') {
        if let Some((a, v)) = attr.split_once("!=") {
            return Ok(Cond::Ne(a.to_string(), v.to_string()));
        }
        if let Some((a, v)) = attr.split_once('=') {
            return Ok(Cond::Eq(a.to_string(), v.to_string()));
        }
    }
    if s.is_empty() {
        return Err("empty condition".into());
    }
    Ok(Cond::Has(Item::parse(s)))
}

/// Read the notation. Errors name the line.
pub fn parse(text: &str) -> Result<Schema, String> {
    let mut schema = Schema::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        parse_line(&mut schema, line).map_err(|e| format!("line {}: {e}", n + 1))?;
    }
    for (i, d) in schema.defs.iter().enumerate() {
        for name in &d.names {
            schema.by_name.entry(name.clone()).or_default().push(i);
        }
    }
    Ok(schema)
}

fn parse_line(schema: &mut Schema, line: &str) -> Result<(), String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let range = match words.last() {
        Some(w) if w.starts_with('[') => {
            let r = parse_range(w)?;
            words.pop();
            r
        }
        _ => Range::ALL,
    };
    let Some((&head, rest)) = words.split_first() else {
        return Ok(());
    };
    if head == "element" {
        let (names, contexts) = match rest.iter().position(|w| *w == "in") {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        if names.is_empty() {
            return Err("element without a name".into());
        }
        schema.defs.push(ElemDef {
            names: names.iter().map(|s| s.to_string()).collect(),
            contexts: contexts
                .iter()
                .map(|c| match c.split_once('/') {
                    Some((g, p)) => (Some(g.to_string()), p.to_string()),
                    None => (None, c.to_string()),
                })
                .collect(),
            range,
            any: false,
            attrs: Vec::new(),
            children: Vec::new(),
            checks: Vec::new(),
        });
        return Ok(());
    }
    let def = schema
        .defs
        .last_mut()
        .ok_or("a fact before any `element` line")?;
    if let Some(attr) = head.strip_prefix('@') {
        let (name, required) = match attr.strip_suffix('?') {
            Some(n) => (n, false),
            None => (attr, true),
        };
        let ty = parse_ty(rest.first().ok_or("attribute without a type")?)?;
        def.attrs.push(AttrDef {
            name: name.to_string(),
            required,
            ty,
            range,
        });
        return Ok(());
    }
    match head {
        ">" => {
            let [name, card] = rest else {
                return Err("`>` needs a name and a cardinality".into());
            };
            let (min, max) = match *card {
                "1" => (1, 1),
                "?" => (0, 1),
                "*" => (0, u32::MAX),
                "+" => (1, u32::MAX),
                c => return Err(format!("bad cardinality `{c}`")),
            };
            def.children.push(ChildDef {
                name: name.to_string(),
                min,
                max,
                range,
            });
        }
        "any" => def.any = true,
        "one-of" | "at-most-one" => {
            let items = rest.iter().map(|s| Item::parse(s)).collect();
            let check = if head == "one-of" {
                Check::OneOf(items)
            } else {
                Check::AtMostOne(items)
            };
            def.checks.push((check, range));
        }
        "when" => {
            let joined = rest.join(" ");
            let (cond, action) = joined.split_once(':').ok_or("`when` needs `:`")?;
            let mut aw = action.split_whitespace();
            let kind = match aw.next() {
                Some("require") => WhenKind::Require,
                Some("forbid") => WhenKind::Forbid,
                Some("some") => WhenKind::Some,
                other => return Err(format!("bad `when` action {other:?}")),
            };
            let items: Vec<Item> = aw.map(Item::parse).collect();
            if items.is_empty() {
                return Err("`when` names nothing".into());
            }
            def.checks
                .push((Check::When(parse_cond(cond.trim())?, kind, items), range));
        }
        other => return Err(format!("unknown keyword `{other}`")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_description_parses() {
        let s = parse(TEXT).unwrap_or_else(|e| panic!("schema/pacemaker.schema: {e}"));
        assert!(s.defs.len() > 50, "{} definitions", s.defs.len());
        let v39 = version_index("pacemaker-3.9").unwrap_or(0);
        let loc = s
            .lookup("rsc_location", Some("constraints"), None, v39)
            .map(|d| d.attrs.len());
        assert!(loc.is_some_and(|n| n >= 7), "{loc:?}");
    }

    #[test]
    fn versions_and_contexts_select_the_definition() {
        let s = parse(TEXT).unwrap_or_default();
        let v = |n: &str| version_index(n).unwrap_or(usize::MAX);
        let nv = |p, g, ver| {
            s.lookup("nvpair", Some(p), Some(g), ver)
                .map(|d| d.attrs[2].ty.clone())
        };
        assert!(matches!(
            nv("meta_attributes", "primitive", v("pacemaker-3.9")),
            Some(Ty::TextExcept(_))
        ));
        assert_eq!(
            nv("meta_attributes", "group", v("pacemaker-3.9")),
            Some(Ty::Text)
        );
        assert_eq!(
            nv("meta_attributes", "primitive", v("pacemaker-2.10")),
            Some(Ty::Text)
        );
        let node = s.lookup("node", Some("nodes"), None, v("pacemaker-2.0"));
        assert!(node
            .and_then(|d| d.attr("type", v("pacemaker-2.0")))
            .is_some_and(|a| matches!(&a.ty, Ty::Enum(e) if e.iter().any(|x| x == "normal"))));
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        assert!(parse("element a\n  @x wibble\n").is_err_and(|e| e.starts_with("line 2")));
        assert!(parse("  @x text\n").is_err());
        assert!(parse("element a\n  > b 7\n").is_err());
        assert!(parse("element a [9.9-]\n").is_err());
    }
}
