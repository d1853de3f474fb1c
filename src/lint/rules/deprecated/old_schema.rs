//! DE003 `old-schema`: the CIB validates against a pacemaker-1.x schema or none.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
