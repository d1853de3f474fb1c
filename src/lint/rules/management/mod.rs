//! management rules.

pub mod maintenance_mode;
pub mod target_role_stopped;
pub mod unmanaged_resource;

use crate::lint::Context;
use crate::xml::ElemId;

/// Whether `elem` is written inside `ancestor` (and not, say, in a template
/// or an id-ref'd set the resource inherits).
pub(crate) fn written_in(cx: &Context, elem: ElemId, ancestor: ElemId) -> bool {
    let doc = &cx.cib.doc;
    let mut cur = Some(elem);
    while let Some(e) = cur {
        if e == ancestor {
            return true;
        }
        cur = doc.get(e).parent;
    }
    false
}
