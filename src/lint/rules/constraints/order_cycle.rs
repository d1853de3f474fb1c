//! CO004 `mandatory-order-cycle`: mandatory orderings that form a cycle.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
