//! FE002 `no-fencing-device`: fencing is enabled but no fencing device is configured.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
