//! MA002 `unmanaged-resource`: a resource is not managed by the cluster (`is-managed=false` or `maintenance=true`).

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
