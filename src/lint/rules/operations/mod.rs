//! operations rules.

pub mod allow_migrate_unsupported;
pub mod duplicate_operation;
pub mod missing_monitor;
pub mod monitor_interval_clash;
