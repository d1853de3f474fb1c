//! OP002 `duplicate-operation`: two operations with the same name, interval and role.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
