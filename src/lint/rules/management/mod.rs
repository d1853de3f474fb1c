//! management rules.

pub mod maintenance_mode;
pub mod target_role_stopped;
pub mod unmanaged_resource;
