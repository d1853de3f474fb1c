//! IN006 `unknown-attribute`: an attribute the CIB schema does not define for this element.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
