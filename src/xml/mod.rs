//! A read-only XML element tree with byte spans for every element and
//! attribute. It knows nothing about Pacemaker; `cib` builds on it.
//!
//! The tree is an arena (`Vec<Element>` indexed by [`ElemId`]) so that the
//! typed model can point back at any element cheaply and findings can
//! recover exact source locations.

use std::fmt;
use std::sync::Arc;

mod edit;
mod parse;

pub use parse::{parse, parse_shared, ParseLimits};

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Index of an element in its [`Document`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElemId(pub u32);

impl ElemId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A string held by a [`Document`]: a range of its source text, or of
/// the text it owns (values that were unescaped or set by edits). Eight
/// bytes, so models built from a large status section can refer to its
/// values without copying them; [`Document::text`] reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextRef {
    start: u32,
    end: u32,
}

/// Marks a [`TextRef`] into the document's own text rather than the source.
const OWNED: u32 = 1 << 31;

impl TextRef {
    fn source(span: Span) -> Self {
        TextRef {
            start: span.start,
            end: span.end,
        }
    }
    fn is_owned(self) -> bool {
        self.start & OWNED != 0
    }
}

/// An attribute as stored: 12 bytes (a status section has millions). The
/// name's position is found from the value's when asked for.
#[derive(Clone, Copy, Debug)]
struct AttrRec {
    name: u32,
    value: TextRef,
}

/// An element as stored. Children are a linked list so that edits can
/// append and detach without moving anything.
#[derive(Clone, Copy, Debug)]
struct Node {
    name: u32,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    attrs_start: u32,
    attrs_len: u32,
    /// Empty for an element added by edits (its name's span is then empty
    /// too; otherwise the name follows the `<`).
    tag_span: Span,
    span_end: u32,
}

/// No element (as parent, child or sibling).
const NONE: u32 = u32::MAX;

/// The parent of an element detached by an edit: it is in no child list.
const DETACHED: u32 = u32::MAX - 1;

/// One attribute of an element, read from its [`Document`].
#[derive(Clone, Copy, Debug)]
pub struct Attr<'d> {
    pub name: &'d str,
    /// The value with entities and character references resolved.
    pub value: &'d str,
    /// Where the value is kept, for models that refer to it.
    pub value_ref: TextRef,
    /// Span of the attribute name (empty for attributes set by edits).
    pub name_span: Span,
    /// Span of the value between the quotes (empty when set by edits).
    pub value_span: Span,
}

/// One element of a [`Document`], read from it: names and text borrow the
/// document, attributes and children are read on demand.
#[derive(Clone, Copy)]
pub struct Element<'d> {
    pub name: &'d str,
    pub parent: Option<ElemId>,
    /// Span of the start tag (`<name ...>` or `<name .../>`).
    pub tag_span: Span,
    /// Span of the name inside the start tag.
    pub name_span: Span,
    /// Span from the start tag to the end of the end tag.
    pub span: Span,
    /// Concatenated character data directly inside this element (trimmed).
    pub text: &'d str,
    id: ElemId,
    doc: &'d Document,
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node {
        &self.doc.nodes[self.id.index()]
    }
    /// This element's attribute records, and the index of the first.
    fn recs(&self) -> (usize, &'d [AttrRec]) {
        let n = self.node();
        let start = n.attrs_start as usize;
        (start, &self.doc.attrs[start..start + n.attrs_len as usize])
    }
    /// The attributes in document order (edits append).
    pub fn attrs(&self) -> impl Iterator<Item = Attr<'d>> + 'd {
        let doc = self.doc;
        let (start, recs) = self.recs();
        recs.iter()
            .enumerate()
            .map(move |(i, a)| doc.attr_view(start + i, a))
    }
    /// Names and values only (no spans): the cheap way to read many.
    pub fn attr_values(&self) -> impl Iterator<Item = (&'d str, &'d str, TextRef)> + 'd {
        let doc = self.doc;
        self.recs()
            .1
            .iter()
            .map(move |a| (doc.name(a.name), doc.text(a.value), a.value))
    }
    /// Element children in document order.
    pub fn children(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            next: self.node().first_child,
            parent: self.id.0,
        }
    }
    pub fn has_children(&self) -> bool {
        self.children().next().is_some()
    }
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        self.attr_values().find(|a| a.0 == name).map(|a| a.1)
    }
    pub fn attr_full(&self, name: &str) -> Option<Attr<'d>> {
        self.attrs().find(|a| a.name == name)
    }
    /// Span of the named attribute's value, or of the start tag when absent.
    pub fn attr_span(&self, name: &str) -> Span {
        self.attr_full(name)
            .map(|a| a.value_span)
            .unwrap_or(self.name_span)
    }
    /// Span of the whole `name="value"` attribute, or of the tag name when absent.
    pub fn attr_whole_span(&self, name: &str) -> Span {
        match self.attr_full(name) {
            Some(a) => Span {
                start: a.name_span.start,
                end: (a.value_span.end + 1).min(self.tag_span.end),
            },
            None => self.name_span,
        }
    }
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Element")
            .field("name", &self.name)
            .field("id", &self.id)
            .field("span", &self.span)
            .finish()
    }
}

/// The element children of one element, in document order.
#[derive(Clone)]
pub struct Children<'d> {
    doc: &'d Document,
    next: u32,
    parent: u32,
}

impl Iterator for Children<'_> {
    type Item = ElemId;
    fn next(&mut self) -> Option<ElemId> {
        // An element detached by an edit stays linked (detaching is then
        // O(1)) but no longer names this parent: skip it.
        while self.next != NONE {
            let id = ElemId(self.next);
            let node = &self.doc.nodes[id.index()];
            self.next = node.next_sibling;
            if node.parent == self.parent {
                return Some(id);
            }
        }
        None
    }
}

/// A parsed XML document: an arena of elements and attributes whose
/// strings are ranges of the source text (shared, never copied) or of the
/// few bytes the document owns (unescaped values, edits).
#[derive(Clone, Default)]
pub struct Document {
    source: Arc<str>,
    owned: String,
    nodes: Vec<Node>,
    attrs: Vec<AttrRec>,
    /// Source spans of values whose text differs from them (unescaped).
    escaped_spans: std::collections::HashMap<u32, Span>,
    /// Character data of the few elements that have any.
    texts: std::collections::HashMap<u32, TextRef, parse::BuildFnv>,
    names: Names,
    pub root: ElemId,
}

/// Element and attribute names, one copy each: a CIB uses a few dozen
/// names millions of times.
#[derive(Clone, Default)]
struct Names {
    list: Vec<Box<str>>,
    index: std::collections::HashMap<Box<str>, u32, parse::BuildFnv>,
    /// The name last seen as each attribute position (see `intern_at`).
    by_position: [u32; RECENT],
}

const RECENT: usize = 32;

impl Names {
    /// [`Names::intern`] for the `pos`-th attribute of an element, checked
    /// first against the name last seen there: elements of one kind list
    /// their attributes in the same order.
    fn intern_at(&mut self, name: &str, pos: usize) -> u32 {
        let slot = pos % RECENT;
        let guess = self.by_position[slot] as usize;
        if self.list.get(guess).is_some_and(|n| **n == *name) {
            return guess as u32;
        }
        let i = self.intern(name);
        self.by_position[slot] = i;
        i
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(name.into());
        self.index.insert(name.into(), i);
        i
    }
}

impl Document {
    pub fn get(&self, id: ElemId) -> Element<'_> {
        let n = &self.nodes[id.index()];
        let name = self.name(n.name);
        let name_span = if n.tag_span.is_empty() {
            Span::default()
        } else {
            let start = n.tag_span.start.saturating_add(1);
            Span {
                start,
                end: start.saturating_add(name.len() as u32),
            }
        };
        Element {
            name,
            parent: (n.parent != NONE && n.parent != DETACHED).then_some(ElemId(n.parent)),
            tag_span: n.tag_span,
            name_span,
            span: Span {
                start: n.tag_span.start,
                end: n.span_end,
            },
            // Looked up only when some element has text (most CIBs: none).
            text: if self.texts.is_empty() {
                ""
            } else {
                self.texts.get(&id.0).map_or("", |t| self.text(*t))
            },
            id,
            doc: self,
        }
    }
    pub fn root(&self) -> Element<'_> {
        self.get(self.root)
    }
    /// How many elements the document holds (detached ones included).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// A string the document holds.
    pub fn text(&self, r: TextRef) -> &str {
        let (s, e) = ((r.start & !OWNED) as usize, r.end as usize);
        let whole = if r.is_owned() {
            &self.owned
        } else {
            &*self.source
        };
        whole.get(s..e).unwrap_or_default()
    }
    fn name(&self, i: u32) -> &str {
        self.names.list.get(i as usize).map_or("", |n| n)
    }
    fn attr_view(&self, index: usize, a: &AttrRec) -> Attr<'_> {
        let name = self.name(a.name);
        let value_span = if a.value.is_owned() {
            self.escaped_spans
                .get(&(index as u32))
                .copied()
                .unwrap_or_default()
        } else {
            Span {
                start: a.value.start,
                end: a.value.end,
            }
        };
        let name_span = self.name_span_before(value_span, name.len());
        Attr {
            name,
            value: self.text(a.value),
            value_ref: a.value,
            name_span,
            value_span,
        }
    }
    /// Where an attribute's name is, from where its value is: before the
    /// value come only its quote, `=` and whitespace (`name = "value"`).
    fn name_span_before(&self, value: Span, name_len: usize) -> Span {
        if value == Span::default() {
            return Span::default();
        }
        let bytes = self.source.as_bytes();
        let mut at = (value.start as usize).saturating_sub(1); // the quote
        while at > 0 && bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace) {
            at -= 1;
        }
        if at == 0 || bytes.get(at - 1) != Some(&b'=') {
            return Span::default();
        }
        at -= 1;
        while at > 0 && bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace) {
            at -= 1;
        }
        Span::new(at.saturating_sub(name_len), at)
    }

    /// Keep `text` in the document's own text.
    fn own(&mut self, text: &str) -> TextRef {
        if text.is_empty() {
            return TextRef::default();
        }
        let start = self.owned.len();
        self.owned.push_str(text);
        TextRef {
            start: start as u32 | OWNED,
            end: self.owned.len() as u32,
        }
    }
    /// Element children of `id` with the given tag name.
    pub fn children_named<'a>(
        &'a self,
        id: ElemId,
        name: &'a str,
    ) -> impl Iterator<Item = ElemId> + 'a {
        self.get(id)
            .children()
            .filter(move |c| self.name(self.nodes[c.index()].name) == name)
    }
    pub fn child_named(&self, id: ElemId, name: &str) -> Option<ElemId> {
        self.children_named(id, name).next()
    }
    /// All elements in document order below (and including) `id`.
    pub fn descendants(&self, id: ElemId) -> Vec<ElemId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        let mut kids = Vec::new();
        while let Some(e) = stack.pop() {
            out.push(e);
            kids.clear();
            kids.extend(self.get(e).children());
            stack.extend(kids.iter().rev().copied());
        }
        out
    }
}

/// Why a document could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for XmlError {}

/// Byte offset → 1-based line and column (in characters), in O(log n).
/// Line starts are found lazily, only as far as the offsets asked for: a
/// large CIB with one finding near the top costs almost nothing.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Known line starts, and how far the text has been scanned for them.
    starts: std::cell::RefCell<(Vec<usize>, usize)>,
    /// Column checkpoints on long lines: byte offset → characters from
    /// its line's start, every [`COLUMN_STEP`] bytes. Without them, many
    /// findings on one very long line (a CIB written without newlines)
    /// would each count the line from its start: quadratic.
    columns: std::cell::RefCell<std::collections::BTreeMap<usize, usize>>,
}

const COLUMN_STEP: usize = 1 << 14;

/// Characters in a byte range of UTF-8 text: the bytes that start one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: std::cell::RefCell::new((vec![0], 0)),
            columns: std::cell::RefCell::new(std::collections::BTreeMap::new()),
        }
    }

    /// 0-based column (in characters) of `offset` on the line at `start`.
    fn column(&self, start: usize, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        if offset - start <= COLUMN_STEP {
            return chars_in(&bytes[start..offset]);
        }
        let mut cps = self.columns.borrow_mut();
        let (mut at, mut n) = cps
            .range(start..=offset)
            .next_back()
            .map(|(a, c)| (*a, *c))
            .unwrap_or((start, 0));
        while offset - at > COLUMN_STEP {
            let next = at + COLUMN_STEP;
            n += chars_in(&bytes[at..next]);
            at = next;
            cps.insert(at, n);
        }
        n + chars_in(&bytes[at..offset])
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let mut guard = self.starts.borrow_mut();
        let (starts, scanned) = &mut *guard;
        if *scanned <= offset {
            // Scan ahead generously so that nearby offsets need no rescan;
            // `match_indices` on a char searches with memchr.
            let until = offset
                .saturating_add(1 << 16)
                .max(*scanned * 2)
                .min(self.text.len());
            let from = *scanned;
            let mut end = until;
            while !self.text.is_char_boundary(end) {
                end += 1;
            }
            starts.extend(
                self.text[from..end]
                    .match_indices('\n')
                    .map(|(i, _)| from + i + 1),
            );
            *scanned = end.max(offset + 1);
        }
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        drop(guard);
        (line, self.column(start, offset) + 1)
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::LineIndex;

    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        (line, col)
    }

    #[test]
    fn columns_on_long_lines_match_counting_from_the_start() {
        // One long line of mixed-width characters, then a short one.
        let text = format!("{}\nabc\n{}", "aé€😀".repeat(20_000), "x".repeat(70_000));
        let index = LineIndex::new(&text);
        // In no particular order, so that checkpoints are reused and filled.
        let mut offsets: Vec<usize> = (0..text.len()).step_by(977).collect();
        offsets.reverse();
        offsets.extend([0, 1, text.len(), 200_000, 5]);
        for o in offsets {
            assert_eq!(index.line_col(o), naive(&text, o), "offset {o}");
        }
    }
}
