//! FE004 `fencing-required-but-disabled`: `requires=fencing` or `on-fail=fence` while fencing is disabled.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
