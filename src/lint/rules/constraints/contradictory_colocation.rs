//! CO005 `contradictory-colocation`: INFINITY and -INFINITY colocations between the same resources.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
