//! CO008 `self-constraint`: a colocation or ordering of a resource with itself.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
