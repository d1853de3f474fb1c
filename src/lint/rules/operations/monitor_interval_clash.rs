//! OP001 `promotable-monitor-interval-clash`: a promotable resource monitors both roles at the same interval.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
