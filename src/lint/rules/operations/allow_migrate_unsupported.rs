//! OP004 `allow-migrate-unsupported`: `allow-migrate` where live migration cannot happen.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
