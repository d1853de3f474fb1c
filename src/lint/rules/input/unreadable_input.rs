//! IN000 `unreadable-input`: the file cannot be read as a CIB.
//!
//! Emitted by the file driver when loading fails; there is nothing to check
//! on a loaded model.

use crate::lint::{Context, Emitter};

pub fn check(_cx: &Context, _em: &mut Emitter) {}
