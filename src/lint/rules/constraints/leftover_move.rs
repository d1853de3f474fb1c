//! CO001 `leftover-move-constraint`: a `cli-prefer-`/`cli-ban-` constraint left by a move or ban.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
