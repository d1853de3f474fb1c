//! OP003 `missing-monitor`: a primitive without a recurring monitor.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
