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

pub use parse::{parse, ParseLimits};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElemId(pub u32);

impl ElemId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Debug)]
pub struct Attr {
    /// Shared by every attribute of the same name in a document.
    pub name: Arc<str>,
    /// The value with entities and character references resolved.
    pub value: Arc<str>,
    /// Span of the attribute name.
    pub name_span: Span,
    /// Span of the value between the quotes.
    pub value_span: Span,
}

#[derive(Clone, Debug)]
pub struct Element {
    /// Shared by every element of the same name in a document.
    pub name: Arc<str>,
    pub attrs: Vec<Attr>,
    pub children: Vec<ElemId>,
    pub parent: Option<ElemId>,
    /// Span of the start tag (`<name ...>` or `<name .../>`).
    pub tag_span: Span,
    /// Span of the name inside the start tag.
    pub name_span: Span,
    /// Span from the start tag to the end of the end tag.
    pub span: Span,
    /// Concatenated character data directly inside this element (trimmed).
    pub text: Box<str>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name == name)
            .map(|a| &*a.value)
    }
    pub fn attr_full(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| &*a.name == name)
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

/// A parsed XML document: the element arena and its root.
#[derive(Clone)]
pub struct Document {
    pub elements: Vec<Element>,
    pub root: ElemId,
    /// Shared copies of names (and recent values) for edits to reuse.
    pub(crate) names: parse::Names,
}

impl Document {
    pub fn get(&self, id: ElemId) -> &Element {
        &self.elements[id.index()]
    }
    pub fn root(&self) -> &Element {
        self.get(self.root)
    }
    /// Element children of `id` with the given tag name.
    pub fn children_named<'a>(
        &'a self,
        id: ElemId,
        name: &'a str,
    ) -> impl Iterator<Item = ElemId> + 'a {
        self.get(id)
            .children
            .iter()
            .copied()
            .filter(move |c| &*self.get(*c).name == name)
    }
    pub fn child_named(&self, id: ElemId, name: &str) -> Option<ElemId> {
        self.children_named(id, name).next()
    }
    /// All elements in document order below (and including) `id`.
    pub fn descendants(&self, id: ElemId) -> Vec<ElemId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(self.get(e).children.iter().rev().copied());
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
