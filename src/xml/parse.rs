//! Building a [`Document`] from text with quick-xml as the tokenizer.

use super::{AttrRec, Document, ElemId, Names, Node, Span, TextRef, XmlError, NONE};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::sync::Arc;

/// Bounds that keep hostile input from costing unbounded time or memory.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    /// Deepest element nesting accepted.
    pub max_depth: usize,
    /// Most elements accepted in one document.
    pub max_elements: usize,
    /// Longest attribute value accepted, in bytes.
    pub max_attr_len: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 256,
            max_elements: 5_000_000,
            max_attr_len: 1 << 20,
        }
    }
}

fn err(message: impl Into<String>, start: usize, end: usize) -> XmlError {
    XmlError {
        message: message.into(),
        span: Span::new(start, end),
    }
}

/// `part` as text: a subslice of the (already UTF-8) source is sliced out
/// of it without revalidating; anything else is validated.
fn as_str<'s>(source: &'s str, part: &'s [u8]) -> Option<&'s str> {
    match offset_in(source, part) {
        Some(off) => source.get(off..off + part.len()),
        None => std::str::from_utf8(part).ok(),
    }
}

/// Offset of `part` inside `whole`, when `part` is a subslice of it.
fn offset_in(whole: &str, part: &[u8]) -> Option<usize> {
    let base = whole.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    (p >= base && p + part.len() <= base + whole.len()).then(|| p - base)
}

/// Parse `source` into an element tree. Entity declarations are refused
/// outright (no DTD is ever expanded or fetched). The text is copied once;
/// [`parse_shared`] takes it without copying.
pub fn parse(source: &str, limits: ParseLimits) -> Result<Document, XmlError> {
    parse_shared(Arc::from(source), limits)
}

/// [`parse`], keeping `source` (shared) as the text the document's
/// strings refer to.
pub fn parse_shared(source: Arc<str>, limits: ParseLimits) -> Result<Document, XmlError> {
    if source.len() >= super::OWNED as usize {
        return Err(err(
            "input is 2 GiB or larger: not a CIB",
            0,
            source.len().min(1),
        ));
    }
    let mut b = Builder {
        doc: Document {
            source: Arc::clone(&source),
            owned: String::new(),
            nodes: Vec::new(),
            attrs: Vec::new(),
            escaped_spans: HashMap::new(),
            texts: HashMap::default(),
            names: Names::default(),
            root: ElemId(0),
        },
        texts: HashMap::new(),
    };
    let text: &str = &source;
    let mut reader = Reader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.check_comments = false;
        cfg.trim_text(true);
        cfg.expand_empty_elements = false;
    }
    // Every element starts with `<` and every attribute has a `=`, so these
    // bound the counts: one allocation each instead of repeated doubling
    // (each copying and touching fresh memory). The part of a reservation
    // never written is never touched, so costs nothing.
    b.doc
        .nodes
        .reserve(memchr_count(text.as_bytes(), b'<').min(limits.max_elements));
    // Capped: a hostile file of `=` signs must not reserve gigabytes.
    b.doc
        .attrs
        .reserve(memchr_count(text.as_bytes(), b'=').min(limits.max_elements * 4));
    let mut stack: Vec<ElemId> = Vec::new();
    let mut root: Option<ElemId> = None;
    let mut seen_doctype = false;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let pos = reader.error_position() as usize;
                let msg = describe_quick_xml_error(&e, &stack, &b.doc);
                return Err(err(msg, pos.min(text.len()), (pos + 1).min(text.len())));
            }
        };
        let after = reader.buffer_position() as usize;
        // `before` may include skipped whitespace; the tag starts at the first '<'.
        // Searched as bytes: the reader's positions need not fall on a
        // character boundary (after a byte-order mark, for one).
        let tag_start = text
            .as_bytes()
            .get(before..after)
            .and_then(|b| b.iter().position(|&c| c == b'<'))
            .map(|p| before + p)
            .unwrap_or(before);
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let empty = matches!(event, Event::Empty(_));
                if stack.is_empty() && root.is_some() {
                    return Err(err(
                        "a second root element: an XML document has exactly one",
                        tag_start,
                        after,
                    ));
                }
                if stack.len() >= limits.max_depth {
                    return Err(err(
                        format!(
                            "elements nested deeper than {} levels (limit: --max-depth)",
                            limits.max_depth
                        ),
                        tag_start,
                        after,
                    ));
                }
                if b.doc.nodes.len() >= limits.max_elements {
                    return Err(err(
                        format!("more than {} elements in one document", limits.max_elements),
                        tag_start,
                        after,
                    ));
                }
                let id = b.element(text, start, tag_start, after, stack.last().copied(), limits)?;
                if stack.is_empty() {
                    root = Some(id);
                }
                if !empty {
                    stack.push(id);
                }
            }
            Event::End(_) => match stack.pop() {
                Some(id) => b.doc.nodes[id.index()].span_end = after as u32,
                None => {
                    return Err(err(
                        "closing tag without a matching opening tag",
                        tag_start,
                        after,
                    ));
                }
            },
            Event::Text(t) => {
                let Some(&cur) = stack.last() else {
                    if t.iter().any(|b| !b.is_ascii_whitespace()) {
                        let msg = if root.is_none() {
                            "not XML: text where the root element should start"
                        } else {
                            "text after the end of the root element"
                        };
                        return Err(err(msg, before, after));
                    }
                    continue;
                };
                let unescaped = t.unescape().map_err(|e| {
                    err(
                        format!("text content {}", describe_escape_error(&e)),
                        before,
                        after,
                    )
                })?;
                b.append_text(cur, &unescaped);
            }
            Event::CData(c) => {
                if let Some(&cur) = stack.last() {
                    let t = String::from_utf8_lossy(&c).into_owned();
                    b.append_text(cur, &t);
                }
            }
            // Pacemaker reads files with a document type declaration, so do
            // we; but nothing it declares is used: no external DTD or
            // entity is fetched, and an entity it declares stays unknown
            // (referring to one is an error where it is used).
            Event::DocType(_) if root.is_none() && !seen_doctype => seen_doctype = true,
            Event::DocType(_) => {
                return Err(err(
                    "a second DOCTYPE, or one after the root element: it must come before the root element",
                    tag_start,
                    after,
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                if let Some(open) = stack.last() {
                    let e = b.doc.get(*open);
                    return Err(XmlError {
                        message: format!(
                            "unexpected end of input: <{}> is never closed (truncated file?)",
                            e.name
                        ),
                        span: e.tag_span,
                    });
                }
                break;
            }
        }
    }
    match root {
        Some(root) => {
            let mut doc = b.doc;
            doc.root = root;
            let mut texts: Vec<(ElemId, String)> = b.texts.into_iter().collect();
            texts.sort_by_key(|(id, _)| *id);
            for (id, t) in texts {
                let r = doc.own(&t);
                doc.texts.insert(id.0, r);
            }
            Ok(doc)
        }
        None => Err(err(
            "no root element: the input holds no XML element",
            0,
            text.len().min(1),
        )),
    }
}

/// Occurrences of `needle` (a cheap upper bound on the element count).
fn memchr_count(hay: &[u8], needle: u8) -> usize {
    memchr::memchr_iter(needle, hay).count()
}

/// A document being built.
struct Builder {
    doc: Document,
    /// Character data per element, kept until the end (rare in a CIB).
    texts: HashMap<ElemId, String>,
}

impl Builder {
    fn append_text(&mut self, elem: ElemId, text: &str) {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return;
        }
        self.texts.entry(elem).or_default().push_str(trimmed);
    }

    /// Add the element a start tag opens, with its attributes, as the last
    /// child of `parent`.
    fn element(
        &mut self,
        source: &str,
        start: &BytesStart<'_>,
        tag_start: usize,
        tag_end: usize,
        parent: Option<ElemId>,
        limits: ParseLimits,
    ) -> Result<ElemId, XmlError> {
        let name_bytes = start.name().into_inner();
        let name = as_str(source, name_bytes)
            .ok_or_else(|| err("element name is not valid UTF-8", tag_start, tag_end))?;
        let attrs_start = self.doc.attrs.len();
        // Duplicates are found here rather than by quick-xml, whose check
        // compares each attribute with every earlier one: quadratic in an
        // element with tens of thousands of attributes. Past a few, a set.
        const LINEAR_MAX: usize = 16;
        let mut seen: Option<std::collections::HashSet<u32>> = None;
        for attr in start.attributes().with_checks(false) {
            let attr = attr.map_err(|e| describe_attr_error(&e, name, tag_start, tag_end))?;
            let key = attr.key.into_inner();
            let key_str = as_str(source, key)
                .ok_or_else(|| err("attribute name is not valid UTF-8", tag_start, tag_end))?;
            let key_off = offset_in(source, key).unwrap_or(tag_start);
            let raw: &[u8] = &attr.value;
            let value_off = offset_in(source, raw).unwrap_or(key_off);
            let value_span = Span::new(value_off, value_off + raw.len());
            if raw.len() > limits.max_attr_len {
                return Err(XmlError {
                    message: format!(
                        "attribute `{key_str}` is {} bytes long (limit {} bytes)",
                        raw.len(),
                        limits.max_attr_len
                    ),
                    span: Span::new(key_off, key_off + key.len()),
                });
            }
            // `a="1"b="2"` is not XML: libxml2 reports it and recovers by
            // dropping what follows, so reading both would give another
            // configuration than Pacemaker's.
            let after = value_span.end as usize + 1;
            if after < tag_end
                && source
                    .as_bytes()
                    .get(after)
                    .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'>' | b'?'))
            {
                return Err(err(
                    format!("malformed attribute in <{name}>: attributes must be separated by white space"),
                    after,
                    after + 1,
                ));
            }
            let raw_str = as_str(source, raw)
                .ok_or_else(|| err("attribute value is not valid UTF-8", tag_start, tag_end))?;
            let name_id = self
                .doc
                .names
                .intern_at(key_str, self.doc.attrs.len() - attrs_start);
            let twice = match &seen {
                Some(set) => set.contains(&name_id),
                None => self.doc.attrs[attrs_start..]
                    .iter()
                    .any(|a| a.name == name_id),
            };
            if twice {
                return Err(err(
                    format!("malformed attribute in <{name}>: the same attribute appears twice"),
                    key_off,
                    key_off + 1,
                ));
            }
            let index = self.doc.attrs.len() as u32;
            let value = if raw_str.contains('&') {
                let unescaped = quick_xml::escape::unescape(raw_str).map_err(|e| XmlError {
                    message: format!(
                        "attribute `{key_str}` {}",
                        describe_escape_error(&quick_xml::Error::Escape(e))
                    ),
                    span: value_span,
                })?;
                self.doc.escaped_spans.insert(index, value_span);
                self.doc.own(&unescaped)
            } else if offset_in(source, raw).is_some() {
                TextRef::source(value_span)
            } else {
                self.doc.own(raw_str)
            };
            let count = index as usize + 1 - attrs_start;
            if count > LINEAR_MAX {
                seen.get_or_insert_with(|| {
                    self.doc.attrs[attrs_start..]
                        .iter()
                        .map(|a| a.name)
                        .collect()
                })
                .insert(name_id);
            }
            self.doc.attrs.push(AttrRec {
                name: name_id,
                value,
            });
        }
        let id = ElemId(self.doc.nodes.len() as u32);
        let name_id = self.doc.names.intern(name);
        let span = Span::new(tag_start, tag_end);
        self.doc.nodes.push(Node {
            name: name_id,
            parent: parent.map_or(NONE, |p| p.0),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            attrs_start: attrs_start as u32,
            attrs_len: (self.doc.attrs.len() - attrs_start) as u32,
            tag_span: span,
            span_end: span.end,
        });
        if let Some(p) = parent {
            self.doc.link_child(p, id);
        }
        Ok(id)
    }
}

/// FNV-1a for short, trusted keys (names from one document; the table
/// holds at most one entry per distinct name).
#[derive(Default, Clone, Copy)]
pub(super) struct BuildFnv;

pub(super) struct Fnv(u64);

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A bad `&...;` in a value, without quick-xml's internal byte ranges.
fn describe_escape_error(e: &quick_xml::Error) -> String {
    use quick_xml::escape::EscapeError as X;
    match e {
        quick_xml::Error::Escape(X::UnterminatedEntity(_)) => {
            "has a `&` that starts no entity: write `&amp;` for a literal `&`".into()
        }
        quick_xml::Error::Escape(X::UnrecognizedEntity(_, name)) => format!(
            "uses the unknown entity `&{name};` (only &lt; &gt; &amp; &quot; &apos; and character references are expanded)"
        ),
        other => format!("has a bad escape: {other}"),
    }
}

/// An attribute syntax error, pointing at the offending byte rather than
/// the whole tag. quick-xml counts positions from the byte after `<`.
fn describe_attr_error(
    e: &quick_xml::events::attributes::AttrError,
    name: &str,
    tag_start: usize,
    tag_end: usize,
) -> XmlError {
    use quick_xml::events::attributes::AttrError as A;
    let at = |pos: usize| {
        let p = (tag_start + 1 + pos).min(tag_end.saturating_sub(1));
        (p, (p + 1).min(tag_end))
    };
    let (msg, (start, end)) = match e {
        A::ExpectedEq(p) => (
            format!("malformed attribute in <{name}>: a name must be followed by `=`"),
            at(*p),
        ),
        A::ExpectedValue(p) => (
            format!("malformed attribute in <{name}>: `=` is not followed by a value"),
            at(*p),
        ),
        A::UnquotedValue(p) => (
            format!("malformed attribute in <{name}>: the value must be enclosed in `\"` or `'`"),
            at(*p),
        ),
        A::ExpectedQuote(p, q) => (
            format!(
                "malformed attribute in <{name}>: the value is never closed (missing `{}`)",
                *q as char
            ),
            at(*p),
        ),
        A::Duplicated(p, _) => (
            format!("malformed attribute in <{name}>: the same attribute appears twice"),
            at(*p),
        ),
    };
    err(msg, start, end)
}

fn describe_quick_xml_error(e: &quick_xml::Error, stack: &[ElemId], doc: &Document) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    use quick_xml::Error as E;
    match e {
        E::Syntax(SyntaxError::UnclosedTag) => {
            "unexpected end of input inside a tag (truncated file?)".into()
        }
        E::Syntax(SyntaxError::UnclosedComment) => "comment is never closed (`-->` missing)".into(),
        E::Syntax(SyntaxError::UnclosedCData) => "CDATA section is never closed".into(),
        E::Syntax(SyntaxError::UnclosedDoctype) => "DOCTYPE is never closed".into(),
        E::Syntax(s) => format!("not well-formed XML: {s}"),
        E::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("closing tag </{found}> does not match the open <{expected}>")
        }
        E::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("closing tag </{name}> without a matching opening tag")
        }
        E::IllFormed(other) => format!("not well-formed XML: {other}"),
        other => {
            let inside = stack
                .last()
                .map(|id| format!(" (inside <{}>)", doc.get(*id).name))
                .unwrap_or_default();
            format!("cannot read XML{inside}: {other}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Document, XmlError> {
        parse(s, ParseLimits::default())
    }

    #[test]
    fn spans_point_at_attribute_values() {
        let src = r#"<cib a="1"><x id="foo&amp;bar"/></cib>"#;
        let doc = p(src).unwrap();
        let x = doc.get(doc.root().children().next().unwrap());
        let a = x.attr_full("id").unwrap();
        assert_eq!(a.value, "foo&bar");
        assert_eq!(&src[a.value_span.range()], "foo&amp;bar");
        assert_eq!(&src[a.name_span.range()], "id");
        assert_eq!(&src[x.span.range()], r#"<x id="foo&amp;bar"/>"#);
        assert_eq!(&src[doc.root().span.range()], src);
    }

    #[test]
    fn name_spans_are_found_around_spaced_equals_signs() {
        let src = "<cib>\n  <x a = 'v1'\tbb\n=\"\" c=\"&lt;\"/></cib>";
        let doc = p(src).unwrap();
        let x = doc.get(doc.root().children().next().unwrap());
        for (name, value) in [("a", "v1"), ("bb", ""), ("c", "<")] {
            let a = x.attr_full(name).unwrap();
            assert_eq!(&src[a.name_span.range()], name);
            assert_eq!(a.value, value);
        }
        assert_eq!(&src[x.name_span.range()], "x");
    }

    #[test]
    fn truncated_input_points_at_unclosed_element() {
        let e = p("<cib>\n  <configuration>\n").err().unwrap();
        assert!(
            e.message.contains("<configuration> is never closed"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start, 8);
    }

    #[test]
    fn doctype_is_accepted_but_never_used() {
        let d = p("<?xml version=\"1.0\"?>\n<!DOCTYPE cib SYSTEM \"http://x.invalid/cib.dtd\">\n<cib a=\"1\"/>").unwrap();
        assert_eq!(d.root().attr("a"), Some("1"));
        // A declared entity is not expanded: using it is an error.
        let e = p("<!DOCTYPE x [<!ENTITY a \"b\">]><cib v=\"&a;\"/>")
            .err()
            .unwrap();
        assert!(e.message.contains("entit"), "{}", e.message);
        let e = p("<!DOCTYPE x [<!ENTITY a \"b\">]><cib>&a;</cib>")
            .err()
            .unwrap();
        assert!(e.message.contains("entit"), "{}", e.message);
        let e = p("<cib/><!DOCTYPE x>").err().unwrap();
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
        let e = p("<!DOCTYPE x><!DOCTYPE x><cib/>").err().unwrap();
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(1000);
        let e = p(&deep).err().unwrap();
        assert!(e.message.contains("nested deeper"), "{}", e.message);
    }

    #[test]
    fn mismatched_end_tag() {
        let e = p("<cib><a></b></cib>").err().unwrap();
        assert!(e.message.contains("does not match"), "{}", e.message);
    }

    #[test]
    fn two_roots_and_empty_input() {
        assert!(p("<a/><b/>").is_err());
        assert!(p("").is_err());
        assert!(p("   ").is_err());
    }

    #[test]
    fn duplicate_attribute() {
        let e = p(r#"<cib a="1" a="2"/>"#).err().unwrap();
        assert!(
            e.message.contains("twice") || e.message.contains("malformed"),
            "{}",
            e.message
        );
    }

    #[test]
    fn attributes_without_white_space_between_them() {
        let e = p(r#"<cib a="1"b="2"/>"#).err().unwrap();
        assert!(
            e.message.contains("separated by white space"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start, 10);
        // Quotes of either kind, then white space, `/` or `>`: fine.
        assert!(p("<cib a='1' b=\"2\"/>").is_ok());
        assert!(p(r#"<cib a="1"><x b="2"></x></cib>"#).is_ok());
    }
}
