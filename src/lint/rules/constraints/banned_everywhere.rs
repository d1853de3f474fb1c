//! CO006 `banned-everywhere`: location constraints ban a resource from every node.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
