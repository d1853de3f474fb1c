//! DR002 `drbd-dual-primary-migration`: dual-primary DRBD without live migration, or live migration on single-primary DRBD.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
