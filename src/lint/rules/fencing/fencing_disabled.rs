//! FE001 `fencing-disabled`: fencing (`stonith-enabled`) is turned off.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
