//! ST001 `failed-operation`: the status section records a failed operation.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
