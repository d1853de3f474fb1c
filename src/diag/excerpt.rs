//! The part of the source one finding shows: the lines its spans touch, one
//! line of context either side, each cut to a window of the output width
//! with an ellipsis where text was left out. Line numbers and columns stay
//! those of the file. Without it, a CIB written on one line is drawn whole
//! for every finding, and miette panics on columns past 65535.
//!
//! Only bounded stretches of the source are read: a line is searched for
//! its ends at most [`search_limit`] bytes away from a span, so the cost
//! does not grow with the length of the line.

use crate::xml::{LineIndex, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthChar;

const ELLIPSIS: &str = "…";
/// Lines one span may cover before it is cut (a span over a whole section
/// would otherwise draw all of it).
const MAX_SPAN_LINES: usize = 12;
/// Lines between two shown lines that are shown too, so that nearby labels
/// share one snippet.
const MAX_GAP: usize = 3;
/// Columns miette needs left of the text: line number, gutter, margins.
const GUTTER: usize = 12;
/// Narrowest text window, whatever the width asked for.
const MIN_TEXT: usize = 24;
/// Combining marks kept after a window's end.
const MAX_MARKS: usize = 16;
/// Columns of a tab, as miette draws it.
const TAB: usize = 4;

/// One shown line.
struct Line {
    /// 0-based line number in the file.
    number: usize,
    /// Where the line starts in `Excerpt::text`, ellipsis included.
    begin: usize,
    /// Where the shown file text starts in `Excerpt::text`.
    at: usize,
    /// The byte range of the file shown.
    lo: usize,
    hi: usize,
    /// Where the line ends in `Excerpt::text` (its newline).
    end: usize,
    /// 0-based column (in characters) of `lo` in the file.
    col: usize,
}

/// A clipped copy of the source, with the line table to map file offsets
/// into it; miette reads it as its `SourceCode`.
pub struct Excerpt {
    name: String,
    text: String,
    lines: Vec<Line>,
}

/// What is known of a line before windowing.
#[derive(Clone, Copy)]
struct Extent {
    lo: usize,
    hi: usize,
    /// The line goes on beyond `lo` / `hi` (not searched further).
    lo_far: bool,
    hi_far: bool,
    /// Union of the spans on this line, if any.
    focus: Option<(usize, usize)>,
}

fn search_limit(budget: usize) -> usize {
    budget.saturating_mul(4).saturating_add(64)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Start of the line holding `at`, looking back at most `limit` bytes;
/// `true` when the line starts further back.
fn line_start_near(src: &str, at: usize, limit: usize) -> (usize, bool) {
    let base = floor_boundary(src, at.saturating_sub(limit));
    match memchr::memrchr(b'\n', &src.as_bytes()[base..at]) {
        Some(p) => (base + p + 1, false),
        None => (base, base > 0),
    }
}

/// End of the line holding `at` (its newline or the end of the text),
/// looking ahead at most `limit` bytes; `true` when it ends further on.
fn line_end_near(src: &str, at: usize, limit: usize) -> (usize, bool) {
    let top = ceil_boundary(src, at.saturating_add(limit));
    match memchr::memchr(b'\n', &src.as_bytes()[at..top]) {
        Some(p) => (at + p, false),
        None => (top, top < src.len()),
    }
}

/// Columns `c` takes as shown: a tab as miette expands it, a hostile
/// character as its `?`s.
fn char_width(c: char) -> usize {
    if c == '\t' {
        TAB
    } else if hostile(c) {
        c.len_utf8()
    } else {
        c.width().unwrap_or(0)
    }
}

/// Text that would mislead or upset a terminal: controls, escapes,
/// bidirectional overrides.
fn hostile(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Hostile text is shown as `?`, byte for byte, so offsets into the copy
/// stay those of the file.
fn push_sanitized(out: &mut String, text: &str) {
    for c in text.chars() {
        if hostile(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
}

/// The window `[ws, we)` of at most `budget` columns shown of a line.
fn window(src: &str, e: &Extent, budget: usize) -> (usize, usize) {
    let line = &src[e.lo..e.hi];
    // Measured only when it may fit: far labels on one long line must not
    // cost a pass over all of it.
    let known = !e.lo_far && !e.hi_far && line.len() <= budget.saturating_mul(8);
    if known && line.chars().map(char_width).sum::<usize>() <= budget {
        return (e.lo, e.hi);
    }
    let budget = budget.saturating_sub(2); // room for the ellipses
    let (ws, mut we) = match e.focus {
        Some((fs, _)) => {
            // Some text before the span, the rest after it.
            let lead = budget / 4;
            let mut ws = fs;
            let mut used = 0;
            for c in src[e.lo..fs].chars().rev() {
                let w = char_width(c);
                if used + w > lead {
                    break;
                }
                used += w;
                ws -= c.len_utf8();
            }
            let mut we = fs;
            for c in src[fs..e.hi].chars() {
                let w = char_width(c);
                if used + w > budget {
                    break;
                }
                used += w;
                we += c.len_utf8();
            }
            // A short tail leaves room for more before the span.
            for c in src[e.lo..ws].chars().rev() {
                let w = char_width(c);
                if used + w > budget {
                    break;
                }
                used += w;
                ws -= c.len_utf8();
            }
            (ws, we)
        }
        None if !e.lo_far => {
            let mut we = e.lo;
            let mut used = 0;
            for c in line.chars() {
                let w = char_width(c);
                if used + w > budget {
                    break;
                }
                used += w;
                we += c.len_utf8();
            }
            (e.lo, we)
        }
        None => {
            let mut ws = e.hi;
            let mut used = 0;
            for c in line.chars().rev() {
                let w = char_width(c);
                if used + w > budget {
                    break;
                }
                used += w;
                ws -= c.len_utf8();
            }
            (ws, e.hi)
        }
    };
    // Never part a character from the combining marks after it: marks at
    // the window's start lose their base, so they go; marks after its end
    // are kept (they take no column), a few of them: a run of thousands
    // must not make the line long.
    let mut ws = ws;
    while ws < we {
        match src[ws..].chars().next() {
            Some(c) if char_width(c) == 0 && c != '\t' && (ws > e.lo || e.lo_far) => {
                ws += c.len_utf8()
            }
            _ => break,
        }
    }
    for c in src[we..e.hi].chars().take(MAX_MARKS) {
        if char_width(c) != 0 || c == '\t' {
            break;
        }
        we += c.len_utf8();
    }
    (ws, we)
}

/// Record line `number`, widening what is known of it.
fn add(extents: &mut BTreeMap<usize, Extent>, number: usize, e: Extent) {
    extents
        .entry(number)
        .and_modify(|old| {
            if e.lo < old.lo {
                old.lo = e.lo;
                old.lo_far = e.lo_far;
            }
            if e.hi > old.hi {
                old.hi = e.hi;
                old.hi_far = e.hi_far;
            }
            old.focus = match (old.focus, e.focus) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (f, None) | (None, f) => f,
            };
        })
        .or_insert(e);
}

impl Excerpt {
    /// The excerpt for `spans` (the primary first) at `width` columns, and
    /// the spans as `(offset, length)` in the excerpt.
    pub fn new(
        name: &str,
        src: &str,
        index: &LineIndex,
        spans: &[Span],
        width: usize,
    ) -> (Excerpt, Vec<(usize, usize)>) {
        let budget = width.saturating_sub(GUTTER).max(MIN_TEXT);
        let limit = search_limit(budget);
        let line_of = |o: usize| index.line_col(o).0.saturating_sub(1);
        let mut extents: BTreeMap<usize, Extent> = BTreeMap::new();
        // Each span as file offsets and the line numbers of its ends.
        let mut ends = Vec::with_capacity(spans.len());
        for span in spans {
            let s = floor_boundary(src, span.start as usize);
            let mut e = ceil_boundary(src, (span.end as usize).max(s));
            let first = line_of(s);
            let (ls, ls_far) = line_start_near(src, s, limit);
            // The newlines inside the span, up to the cut.
            let mut breaks: Vec<usize> = memchr::memchr_iter(b'\n', &src.as_bytes()[s..e])
                .take(MAX_SPAN_LINES)
                .map(|p| s + p)
                .collect();
            if breaks.len() == MAX_SPAN_LINES {
                e = breaks.pop().unwrap_or(e);
            }
            // A span that takes in a line's newline ends on that line, not
            // on the next.
            if e > s && breaks.last() == Some(&(e - 1)) {
                e -= 1;
                breaks.pop();
            }
            let (le, le_far) = line_end_near(src, e, limit);
            let mut lo = ls;
            let mut lo_far = ls_far;
            let mut number = first;
            let mut piece_start = s;
            for &nl in breaks.iter().chain(std::iter::once(&le)) {
                let (hi, hi_far) = if nl == le { (le, le_far) } else { (nl, false) };
                add(
                    &mut extents,
                    number,
                    Extent {
                        lo,
                        hi,
                        lo_far,
                        hi_far,
                        focus: Some((piece_start, e.min(hi).max(piece_start))),
                    },
                );
                number += 1;
                lo = nl + 1;
                lo_far = false;
                piece_start = lo;
            }
            let last = number - 1;
            if !ls_far && ls > 0 && first > 0 {
                let (plo, plo_far) = line_start_near(src, ls - 1, limit);
                add(
                    &mut extents,
                    first - 1,
                    Extent {
                        lo: plo,
                        hi: ls - 1,
                        lo_far: plo_far,
                        hi_far: false,
                        focus: None,
                    },
                );
            }
            if !le_far && le < src.len() && le + 1 < src.len() {
                let (nhi, nhi_far) = line_end_near(src, le + 1, limit);
                add(
                    &mut extents,
                    last + 1,
                    Extent {
                        lo: le + 1,
                        hi: nhi,
                        lo_far: false,
                        hi_far: nhi_far,
                        focus: None,
                    },
                );
            }
            ends.push((s, e, first, last));
        }
        // Short gaps between shown lines are filled, when their ends are
        // known, so that nearby labels share one snippet.
        let numbers: Vec<(usize, Extent)> = extents.iter().map(|(n, e)| (*n, *e)).collect();
        for pair in numbers.windows(2) {
            let ((n1, e1), (n2, _)) = (pair[0], pair[1]);
            let gap = n2 - n1 - 1;
            if gap == 0 || gap > MAX_GAP || e1.hi_far || e1.hi >= src.len() {
                continue;
            }
            let mut lo = e1.hi + 1;
            for n in n1 + 1..n2 {
                let (hi, hi_far) = line_end_near(src, lo, limit);
                add(
                    &mut extents,
                    n,
                    Extent {
                        lo,
                        hi,
                        lo_far: false,
                        hi_far,
                        focus: None,
                    },
                );
                if hi_far || hi >= src.len() {
                    break;
                }
                lo = hi + 1;
            }
        }
        // Runs of consecutive lines, the primary span's first: miette
        // draws snippets in the order of their offsets here, and the first
        // one's header names where the finding is.
        let all: Vec<(usize, Extent)> = extents.into_iter().collect();
        let mut runs: Vec<&[(usize, Extent)]> =
            all.chunk_by(|(a, _), (b, _)| a + 1 == *b).collect();
        if let Some(&(_, _, primary, _)) = ends.first() {
            if let Some(k) = runs
                .iter()
                .position(|r| r.iter().any(|(n, _)| *n == primary))
            {
                let run = runs.remove(k);
                runs.insert(0, run);
            }
        }
        let mut text = String::new();
        let mut lines = Vec::with_capacity(all.len());
        for (number, e) in runs.into_iter().flatten() {
            let (ws, we) = window(src, e, budget);
            let begin = text.len();
            if ws > e.lo || e.lo_far {
                text.push_str(ELLIPSIS);
            }
            let at = text.len();
            push_sanitized(&mut text, &src[ws..we]);
            if we < e.hi || e.hi_far {
                text.push_str(ELLIPSIS);
            }
            let end = text.len();
            text.push('\n');
            lines.push(Line {
                number: *number,
                begin,
                at,
                lo: ws,
                hi: we,
                end,
                col: index.line_col(ws).1.saturating_sub(1),
            });
        }
        let excerpt = Excerpt {
            name: name.to_string(),
            text,
            lines,
        };
        let mapped = ends
            .iter()
            .map(|&(s, e, first, last)| {
                let a = excerpt.map(s, first);
                let b = excerpt.map(e, last).max(a);
                (a, b - a)
            })
            .collect();
        (excerpt, mapped)
    }

    /// The excerpt offset of file offset `o` on line `number`, clamped to
    /// the shown window.
    fn map(&self, o: usize, number: usize) -> usize {
        let line = self
            .lines
            .iter()
            .filter(|l| l.number <= number)
            .max_by_key(|l| l.number);
        let Some(line) = line else {
            return self.lines.first().map_or(0, |l| l.at);
        };
        if line.number < number {
            return line.at + (line.hi - line.lo);
        }
        line.at + (o.clamp(line.lo, line.hi) - line.lo)
    }

    /// Index of the shown line holding excerpt offset `o`.
    fn line_at(&self, o: usize) -> usize {
        self.lines
            .partition_point(|l| l.begin <= o)
            .saturating_sub(1)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let off = span.offset();
        let end = off + span.len();
        if self.lines.is_empty() || end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let mut i = self.line_at(off);
        let mut j = self.line_at(end.saturating_sub(1).max(off));
        // Snippets are drawn from one run of consecutive file lines; a span
        // across runs is refused, so miette draws them apart.
        if self.lines[i..=j]
            .windows(2)
            .any(|w| w[0].number + 1 != w[1].number)
        {
            return Err(MietteError::OutOfBounds);
        }
        let first = &self.lines[i];
        let column = if before == 0 {
            let from = first.at.min(off);
            first.col + self.text.get(from..off).map_or(0, |t| t.chars().count())
        } else {
            0
        };
        // Context only from the same run of consecutive file lines.
        for _ in 0..before {
            match i.checked_sub(1).map(|k| &self.lines[k]) {
                Some(p) if p.number + 1 == self.lines[i].number => i -= 1,
                _ => break,
            }
        }
        for _ in 0..after {
            match self.lines.get(j + 1) {
                Some(n) if self.lines[j].number + 1 == n.number => j += 1,
                _ => break,
            }
        }
        let begin = self.lines[i].begin;
        let stop = (self.lines[j].end + 1).min(self.text.len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[begin..stop],
            (begin, stop - begin).into(),
            self.lines[i].number,
            column,
            j - i + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(src: &str, spans: &[Span], width: usize) -> (Excerpt, Vec<(usize, usize)>) {
        Excerpt::new("f", src, &LineIndex::new(src), spans, width)
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let src = format!(
            "<a>\n{}<b id=\"x\"/>{}\n</a>\n",
            "y".repeat(100_000),
            "z".repeat(9)
        );
        let at = src.find("<b").unwrap_or(0);
        let (ex, spans) = excerpt(&src, &[Span::new(at, at + 10)], 60);
        let (o, n) = spans[0];
        assert_eq!(&ex.text[o..o + n], "<b id=\"x\"/");
        let shown: Vec<&str> = ex.text.lines().collect();
        // The line before is not looked for that far back; the one after is.
        assert_eq!(
            shown,
            [
                format!("{ELLIPSIS}{}<b id=\"x\"/>{}", "y".repeat(26), "z".repeat(9)).as_str(),
                "</a>"
            ]
        );
        // miette reads the real line number and column.
        let c = ex.read_span(&(o, n).into(), 0, 0).expect("in bounds");
        assert_eq!((c.line(), c.column()), (1, 100_000));
    }

    #[test]
    fn marks_are_not_parted_from_their_base() {
        let src = format!("{}<b/>", "e\u{301}".repeat(5_000));
        let at = src.find("<b").unwrap_or(0);
        let (ex, spans) = excerpt(&src, &[Span::new(at, at + 4)], 40);
        let after = &ex.text[ELLIPSIS.len()..];
        assert!(after.starts_with('e'), "{after}");
        assert_eq!(&ex.text[spans[0].0..spans[0].0 + 4], "<b/>");
    }

    #[test]
    fn far_labels_get_their_own_run_after_the_primary() {
        let src: String = (0..50).map(|i| format!("<l{i}/>\n")).collect();
        let at = |i: usize| src.find(&format!("<l{i}/>")).unwrap_or(0);
        let (ex, _) = excerpt(
            &src,
            &[Span::new(at(40), at(40) + 3), Span::new(at(2), at(2) + 3)],
            80,
        );
        let numbers: Vec<usize> = ex.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![39, 40, 41, 1, 2, 3]);
        // A span across runs is refused, so miette draws two snippets.
        assert!(ex.read_span(&(0, ex.text.len()).into(), 1, 1).is_err());
    }

    #[test]
    fn controls_are_shown_as_question_marks() {
        let src = "<a x=\"\u{1b}[31m\u{202e}\"/>\n";
        let (ex, _) = excerpt(src, &[Span::new(0, 2)], 80);
        assert!(!ex.text.contains('\u{1b}') && !ex.text.contains('\u{202e}'));
        assert_eq!(ex.text.len(), src.len());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any text, any spans (even out of range or inside a character),
        /// any width: the excerpt maps them inside itself, on character
        /// boundaries, and miette draws it without panicking, in lines
        /// near the width.
        #[test]
        fn any_input_renders_within_bounds(
            text in "(?s)[a-z<>=\" \n\t\u{301}\u{4e00}\u{1f600}\r\u{1b}]{0,400}",
            raw in proptest::collection::vec((0u32..500, 0u32..500), 1..4),
            width in 20usize..140,
        ) {
            let spans: Vec<Span> = raw.iter().map(|&(a, b)| Span::new(a as usize, (a + b) as usize)).collect();
            let (ex, mapped) = excerpt(&text, &spans, width);
            for &(o, n) in &mapped {
                proptest::prop_assert!(o + n <= ex.text.len());
                proptest::prop_assert!(ex.text.is_char_boundary(o) && ex.text.is_char_boundary(o + n));
            }
            let mut d = crate::diag::Diagnostic::new("T001", "test", crate::diag::Severity::Error, spans[0], "m");
            for s in &spans[1..] {
                d = d.with_label(*s, "l");
            }
            let src: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
            let out = crate::diag::render_human(&d, "f", &src, false, width);
            proptest::prop_assert!(out.contains("T001"));
            // Source lines (label lines add their text after the marker).
            let source_lines = out
                .lines()
                .filter(|l| l.trim_start().split(' ').next().is_some_and(|w| w.parse::<usize>().is_ok()));
            for line in source_lines {
                proptest::prop_assert!(
                    unicode_width::UnicodeWidthStr::width(line) <= width.max(MIN_TEXT + GUTTER) + 8,
                    "{line:?}"
                );
            }
        }
    }
}
