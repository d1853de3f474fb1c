//! CO003 `order-within-group`: an ordering between members of the same group.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
