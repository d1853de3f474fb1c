//! CO007 `expired-rule`: a constraint or attribute rule whose dates can never match again.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
