//! Editing a parsed document and writing it back out as XML text. The
//! simulator records executed actions this way and then loads the result
//! afresh, so the model is always derived from XML in one direction.

use super::{Attr, Document, ElemId, Element, Span};

impl Document {
    /// Set (or add) an attribute.
    pub fn set_attr(&mut self, id: ElemId, name: &str, value: &str) {
        let (name, value) = self.names.get_with_value(name, value);
        let el = &mut self.elements[id.index()];
        match el.attrs.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value,
            None => el.attrs.push(Attr {
                name,
                value,
                name_span: Span::default(),
                value_span: Span::default(),
            }),
        }
    }

    /// Append a new child element with the given attributes.
    pub fn append_child(&mut self, parent: ElemId, name: &str, attrs: &[(&str, &str)]) -> ElemId {
        let id = ElemId(self.elements.len() as u32);
        let attrs = attrs
            .iter()
            .map(|(n, v)| {
                let (name, value) = self.names.get_with_value(n, v);
                Attr {
                    name,
                    value,
                    name_span: Span::default(),
                    value_span: Span::default(),
                }
            })
            .collect();
        let name = self.names.get(name);
        self.elements.push(Element {
            name,
            attrs,
            children: Vec::new(),
            parent: Some(parent),
            tag_span: Span::default(),
            name_span: Span::default(),
            span: Span::default(),
            text: "".into(),
        });
        self.elements[parent.index()].children.push(id);
        id
    }

    /// Detach the children of `parent` for which `remove` says so.
    pub fn remove_children(&mut self, parent: ElemId, remove: impl Fn(&Element) -> bool) {
        let kids = std::mem::take(&mut self.elements[parent.index()].children);
        let kept = kids
            .into_iter()
            .filter(|c| !remove(&self.elements[c.index()]))
            .collect();
        self.elements[parent.index()].children = kept;
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
                    out.push_str(&el.name);
                    for a in &el.attrs {
                        out.push(' ');
                        out.push_str(&a.name);
                        out.push_str("=\"");
                        escape(&mut out, &a.value);
                        out.push('"');
                    }
                    if el.children.is_empty() && el.text.is_empty() {
                        out.push_str("/>\n");
                        continue;
                    }
                    out.push('>');
                    if el.children.is_empty() {
                        escape(&mut out, &el.text);
                        out.push_str("</");
                        out.push_str(&el.name);
                        out.push_str(">\n");
                        continue;
                    }
                    out.push('\n');
                    if !el.text.is_empty() {
                        indent(&mut out, depth + 1);
                        escape(&mut out, &el.text);
                        out.push('\n');
                    }
                    stack.push(Step::Close(id, depth));
                    for c in el.children.iter().rev() {
                        stack.push(Step::Open(*c, depth + 1));
                    }
                }
                Step::Close(id, depth) => {
                    indent(&mut out, depth);
                    out.push_str("</");
                    out.push_str(&self.get(id).name);
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
        assert_eq!(&*again.get(d).text, "t<");
    }
}
