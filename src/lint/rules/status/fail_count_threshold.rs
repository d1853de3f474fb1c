//! ST002 `fail-count-near-threshold`: a resource's fail count is at or near its `migration-threshold`.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
