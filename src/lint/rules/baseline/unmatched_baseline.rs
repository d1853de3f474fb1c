//! BL001 `unmatched-baseline-entry`: a baseline entry that matches no finding.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {
    // TODO(stub)
}
