//! DR003 `drbd-fence-constraint`: a constraint left behind by DRBD's fence-peer handler.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
