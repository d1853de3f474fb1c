//! DR001 `drbd-promoted-dependency`: a resource that needs DRBD is not tied to its Promoted role with INFINITY colocation and an order after promote.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
