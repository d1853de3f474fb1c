//! DR004 `drbd-without-notify`: a DRBD promotable clone without `notify=true`.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
