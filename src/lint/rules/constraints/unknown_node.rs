//! CO009 `unknown-node`: a location constraint names a node that is not in the configuration.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
