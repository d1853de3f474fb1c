//! ST004 `node-maintenance`: a node is in maintenance mode.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
