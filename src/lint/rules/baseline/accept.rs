//! BL002 `unmatched-accepted-finding` and BL003 `expired-acceptance`:
//! `[[accept]]` entries of cibcheck.toml that hid nothing, or whose
//! `until` day is over. Reported by the lint command against the
//! configuration file, like BL001, not from a CIB.

use crate::lint::{Context, Emitter};

pub fn check_unmatched(_cx: &Context, _em: &mut Emitter) {}

pub fn check_expired(_cx: &Context, _em: &mut Emitter) {}
