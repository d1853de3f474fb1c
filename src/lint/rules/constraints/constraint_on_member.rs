//! CO002 `constraint-on-member`: a constraint on a group member or clone child instead of the group or clone.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
