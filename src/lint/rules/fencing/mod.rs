//! fencing rules.

pub mod fencing_disabled;
pub mod no_fencing_device;
pub mod no_quorum_ignore;
pub mod required_but_disabled;
