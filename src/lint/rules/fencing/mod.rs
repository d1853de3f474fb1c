//! fencing rules.

pub mod fencing_disabled;
pub mod no_fencing_device;
pub mod no_quorum_ignore;
pub mod required_but_disabled;

use crate::cib::load::{is_bool, parse_bool};
use crate::cib::NvPair;
use crate::lint::Context;

/// The cluster option that decides whether fencing is enabled, as the
/// profile's release reads it (the scheduler's rule: its current name,
/// `fencing-enabled` in 3.0, then the old `stonith-enabled`; a value that
/// is not a boolean means the default, on).
pub(crate) fn fencing_option<'a>(cx: &Context<'a>) -> Option<&'a NvPair> {
    cx.release_option("stonith-enabled")
}

/// The nvpair that turns fencing off, if fencing is off. A value that is
/// not a boolean is ignored by Pacemaker, which then uses the default (on).
pub(crate) fn fencing_disabled_by<'a>(cx: &Context<'a>) -> Option<&'a NvPair> {
    fencing_option(cx).filter(|p| {
        p.value
            .as_deref()
            .is_some_and(|v| is_bool(v) && !parse_bool(v))
    })
}

/// `name=value` of an nvpair, for messages.
pub(crate) fn show_pair(p: &NvPair) -> String {
    format!("{}={}", p.name, p.value.as_deref().unwrap_or(""))
}
