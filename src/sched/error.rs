//! What the scheduler cannot handle yet, located in the source.

use crate::cib::Cib;
use crate::xml::{ElemId, Span};
use std::fmt;

/// A construct the scheduler does not (yet) reproduce faithfully. Carries
/// the XML location so the user sees exactly what is not supported.
#[derive(Clone, Debug)]
pub struct Unsupported {
    /// Short name of the construct, e.g. `bundle without container runtime`.
    pub construct: String,
    pub span: Span,
    pub message: String,
}

impl Unsupported {
    /// An unsupported construct at an element of the CIB.
    pub fn at(cib: &Cib, elem: ElemId, what: &str) -> Unsupported {
        let el = cib.doc.get(elem);
        let id = el.attr("id").map(|i| format!(" `{i}`")).unwrap_or_default();
        Unsupported {
            construct: what.to_owned(),
            span: el.tag_span,
            message: format!("{what} (<{}>{id}) is not supported yet", el.name),
        }
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unsupported {}
