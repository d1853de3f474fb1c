//! DE001 `legacy-master-element`: the `<master>` element instead of a promotable `<clone>`.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
