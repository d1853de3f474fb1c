//! MA003 `target-role-stopped`: a resource is configured to stay stopped (`target-role=Stopped`).

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
