//! DE002 `legacy-role-name`: the role names Master/Slave instead of Promoted/Unpromoted.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
