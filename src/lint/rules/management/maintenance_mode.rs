//! MA001 `maintenance-mode`: cluster-wide `maintenance-mode` is on.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
