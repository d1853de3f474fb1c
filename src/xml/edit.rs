//! Editing a parsed document and writing it back out as XML text. The
//! simulator records executed actions this way and then loads the result
//! afresh, so the model is always derived from XML in one direction.

use super::{AttrRec, Document, ElemId, Element, Node, Span, DETACHED, NONE};

impl Document {
    /// Make `child` the last child of `parent`.
    pub(super) fn link_child(&mut self, parent: ElemId, child: ElemId) {
        let p = &mut self.nodes[parent.index()];
        let last = p.last_child;
        p.last_child = child.0;
        if last == NONE {
            p.first_child = child.0;
        } else {
            self.nodes[last as usize].next_sibling = child.0;
        }
    }

    /// Reserve room for `elements` more elements with `attrs` more
    /// attributes in all (one allocation instead of repeated doubling).
    pub fn reserve(&mut self, elements: usize, attrs: usize) {
        self.nodes.reserve(elements);
        self.attrs.reserve(attrs);
    }

    /// Set (or add) an attribute.
    pub fn set_attr(&mut self, id: ElemId, name: &str, value: &str) {
        let name_id = self.names.intern(name);
        let value = self.own(value);
        let n = self.nodes[id.index()];
        let range = n.attrs_start as usize..(n.attrs_start + n.attrs_len) as usize;
        if let Some(i) = self.attrs[range.clone()]
            .iter()
            .position(|a| a.name == name_id)
        {
            let index = range.start + i;
            self.attrs[index].value = value;
            self.escaped_spans.remove(&(index as u32));
            return;
        }
        let rec = AttrRec {
            name: name_id,
            value,
        };
        if range.end == self.attrs.len() {
            // The element's attributes are the last ones: grow in place.
            self.attrs.push(rec);
        } else {
            // Move them to the end, keeping their source spans.
            let start = self.attrs.len();
            for i in range.clone() {
                let a = self.attrs[i];
                if let Some(span) = self.escaped_spans.remove(&(i as u32)) {
                    self.escaped_spans
                        .insert((start + i - range.start) as u32, span);
                }
                self.attrs.push(a);
            }
            self.attrs.push(rec);
            self.nodes[id.index()].attrs_start = start as u32;
        }
        self.nodes[id.index()].attrs_len += 1;
    }

    /// Replace an attribute's value, keeping where the old one was written:
    /// findings on a rewritten value still point at the user's bytes.
    /// Adds the attribute when absent.
    pub fn replace_attr_value(&mut self, id: ElemId, name: &str, value: &str) {
        let old = self.get(id).attr_full(name).map(|a| a.value_span);
        self.set_attr(id, name, value);
        let (Some(span), Some(index)) = (old, self.attr_index(id, name)) else {
            return;
        };
        if span != Span::default() {
            self.escaped_spans.insert(index as u32, span);
        }
    }

    /// Index of an element's attribute in the attribute arena.
    fn attr_index(&self, id: ElemId, name: &str) -> Option<usize> {
        let n = self.nodes[id.index()];
        let start = n.attrs_start as usize;
        self.attrs[start..start + n.attrs_len as usize]
            .iter()
            .position(|a| self.name(a.name) == name)
            .map(|i| start + i)
    }

    /// Remove an attribute; the element's other attributes keep their
    /// values and spans.
    pub fn remove_attr(&mut self, id: ElemId, name: &str) {
        let Some(index) = self.attr_index(id, name) else {
            return;
        };
        let n = self.nodes[id.index()];
        let end = (n.attrs_start + n.attrs_len) as usize;
        self.escaped_spans.remove(&(index as u32));
        // Shift the later ones down by one, with their recorded spans.
        for i in index + 1..end {
            self.attrs[i - 1] = self.attrs[i];
            if let Some(span) = self.escaped_spans.remove(&(i as u32)) {
                self.escaped_spans.insert((i - 1) as u32, span);
            }
        }
        self.nodes[id.index()].attrs_len -= 1;
    }

    /// Give an element another name (its spans stay those of the source).
    pub fn rename_element(&mut self, id: ElemId, name: &str) {
        self.nodes[id.index()].name = self.names.intern(name);
    }

    /// Take an element out of its parent's children (it stays in the
    /// arena, with its spans). O(1): it stays linked, and the child
    /// iterator skips it because it no longer names that parent.
    pub fn detach(&mut self, id: ElemId) {
        if id != self.root {
            self.nodes[id.index()].parent = DETACHED;
        }
    }

    /// A fresh arena slot holding `id`'s element (name, attributes, spans,
    /// children), unlinked; `id` itself is detached. Moving an element this
    /// way costs its child count, not its old siblings'.
    fn relocate(&mut self, id: ElemId) -> ElemId {
        let mut node = self.nodes[id.index()];
        node.next_sibling = NONE;
        node.parent = DETACHED;
        let new = ElemId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.nodes[id.index()].parent = DETACHED;
        let mut c = node.first_child;
        while c != NONE {
            if self.nodes[c as usize].parent == id.0 {
                self.nodes[c as usize].parent = new.0;
            }
            c = self.nodes[c as usize].next_sibling;
        }
        if let Some(t) = self.texts.remove(&id.0) {
            self.texts.insert(new.0, t);
        }
        new
    }

    /// Move an element to the end of `parent`'s children, keeping its
    /// spans, attributes and subtree. Returns its new id.
    pub fn adopt(&mut self, parent: ElemId, child: ElemId) -> ElemId {
        let new = self.relocate(child);
        self.nodes[new.index()].parent = parent.0;
        self.link_child(parent, new);
        new
    }

    /// Move an element to right after `sibling`. Returns its new id.
    pub fn insert_after(&mut self, sibling: ElemId, child: ElemId) -> ElemId {
        let parent = self.nodes[sibling.index()].parent;
        if parent == NONE || parent == DETACHED {
            return child;
        }
        let new = self.relocate(child);
        let next = self.nodes[sibling.index()].next_sibling;
        let n = &mut self.nodes[new.index()];
        n.parent = parent;
        n.next_sibling = next;
        self.nodes[sibling.index()].next_sibling = new.0;
        if next == NONE {
            self.nodes[parent as usize].last_child = new.0;
        }
        new
    }

    /// Put a new element above the root: a partial dump (`<resources>`)
    /// becomes part of a whole document; the old root keeps its spans.
    pub fn wrap_root(&mut self, name: &str) -> ElemId {
        let id = ElemId(self.nodes.len() as u32);
        let name = self.names.intern(name);
        self.nodes.push(Node {
            name,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            attrs_start: self.attrs.len() as u32,
            attrs_len: 0,
            tag_span: Span::default(),
            span_end: 0,
        });
        let old = self.root;
        self.nodes[old.index()].parent = id.0;
        self.link_child(id, old);
        self.root = id;
        id
    }

    /// Append a new child element with the given attributes.
    pub fn append_child(&mut self, parent: ElemId, name: &str, attrs: &[(&str, &str)]) -> ElemId {
        let id = ElemId(self.nodes.len() as u32);
        let attrs_start = self.attrs.len();
        for (n, v) in attrs {
            let rec = AttrRec {
                name: self.names.intern(n),
                value: self.own(v),
            };
            self.attrs.push(rec);
        }
        let name = self.names.intern(name);
        self.nodes.push(Node {
            name,
            parent: parent.0,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            attrs_start: attrs_start as u32,
            attrs_len: attrs.len() as u32,
            tag_span: Span::default(),
            span_end: 0,
        });
        self.link_child(parent, id);
        id
    }

    /// Detach the children of `parent` for which `remove` says so.
    pub fn remove_children(&mut self, parent: ElemId, remove: impl Fn(&Element<'_>) -> bool) {
        let kids: Vec<ElemId> = self.get(parent).children().collect();
        let kept: Vec<ElemId> = kids
            .into_iter()
            .filter(|c| !remove(&self.get(*c)))
            .collect();
        let p = &mut self.nodes[parent.index()];
        p.first_child = NONE;
        p.last_child = NONE;
        for c in kept {
            self.nodes[c.index()].next_sibling = NONE;
            self.link_child(parent, c);
        }
    }

    /// The document as XML text (no declaration, no comments).
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        // Iterative, so deep documents cannot overflow the stack.
        enum Step {
            Open(ElemId, usize),
            Close(ElemId, usize),
        }
        let mut stack = vec![Step::Open(self.root, 0)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Open(id, depth) => {
                    let el = self.get(id);
                    indent(&mut out, depth);
                    out.push('<');
                    out.push_str(el.name);
                    for a in el.attrs() {
                        out.push(' ');
                        out.push_str(a.name);
                        out.push_str("=\"");
                        escape(&mut out, a.value);
                        out.push('"');
                    }
                    if !el.has_children() && el.text.is_empty() {
                        out.push_str("/>\n");
                        continue;
                    }
                    out.push('>');
                    if !el.has_children() {
                        escape(&mut out, el.text);
                        out.push_str("</");
                        out.push_str(el.name);
                        out.push_str(">\n");
                        continue;
                    }
                    out.push('\n');
                    if !el.text.is_empty() {
                        indent(&mut out, depth + 1);
                        escape(&mut out, el.text);
                        out.push('\n');
                    }
                    stack.push(Step::Close(id, depth));
                    let kids: Vec<ElemId> = el.children().collect();
                    for c in kids.into_iter().rev() {
                        stack.push(Step::Open(c, depth + 1));
                    }
                }
                Step::Close(id, depth) => {
                    indent(&mut out, depth);
                    out.push_str("</");
                    out.push_str(self.get(id).name);
                    out.push_str(">\n");
                }
            }
        }
        out
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth.min(64) {
        out.push_str("  ");
    }
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::xml::{parse, ParseLimits};

    #[test]
    fn edits_keep_attributes_spans_and_child_order() {
        let src = r#"<cib><a x="1" e="p&amp;q"/><b y="2"/><c/><d/></cib>"#;
        let mut doc = parse(src, ParseLimits::default()).expect("parses");
        let a = doc.child_named(doc.root, "a").expect("a");
        // Adding to an element whose attributes are not the last ones
        // moves them; values, unescaped values and spans stay.
        doc.set_attr(a, "z", "3");
        doc.set_attr(a, "x", "one");
        let el = doc.get(a);
        assert_eq!(el.attr("x"), Some("one"));
        assert_eq!(el.attr("z"), Some("3"));
        assert_eq!(el.attr("e"), Some("p&q"));
        assert_eq!(&src[el.attr_span("e").range()], "p&amp;q");
        assert_eq!(&src[el.attr_full("e").expect("e").name_span.range()], "e");
        // Set by an edit: no place in the source.
        assert!(el.attr_span("z").is_empty() || el.attr_span("z") == el.name_span);
        let names: Vec<&str> = el.attrs().map(|a| a.name).collect();
        assert_eq!(names, ["x", "e", "z"]);
        // Detaching keeps the others in order; appending goes last.
        doc.remove_children(doc.root, |e| e.name == "b" || e.name == "d");
        doc.append_child(doc.root, "f", &[("k", "v")]);
        let kids: Vec<&str> = doc
            .get(doc.root)
            .children()
            .map(|c| doc.get(c).name)
            .collect();
        assert_eq!(kids, ["a", "c", "f"]);
        let f = doc.child_named(doc.root, "f").expect("f");
        assert_eq!(doc.get(f).attr("k"), Some("v"));
        assert_eq!(doc.get(f).parent, Some(doc.root));
    }

    #[test]
    fn round_trips_through_text() {
        let src = r#"<cib a="x &amp; y"><status><node_state id="1"/></status><d>t&lt;</d></cib>"#;
        let mut doc = parse(src, ParseLimits::default()).expect("parses");
        let status = doc.child_named(doc.root, "status").expect("status");
        let ns = doc.child_named(status, "node_state").expect("node_state");
        doc.set_attr(ns, "crmd", "online");
        doc.append_child(ns, "lrm", &[("id", "1")]);
        let text = doc.to_xml();
        let again = parse(&text, ParseLimits::default()).expect("reparses");
        assert_eq!(again.root().attr("a"), Some("x & y"));
        let status = again.child_named(again.root, "status").expect("status");
        let ns = again.child_named(status, "node_state").expect("node_state");
        assert_eq!(again.get(ns).attr("crmd"), Some("online"));
        assert!(again.child_named(ns, "lrm").is_some());
        let d = again.child_named(again.root, "d").expect("d");
        assert_eq!(again.get(d).text, "t<");
    }
}
