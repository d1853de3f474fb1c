//! FE003 `no-quorum-ignore`: `no-quorum-policy=ignore` on a cluster of more than two nodes.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
