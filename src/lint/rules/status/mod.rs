//! status rules.

pub mod fail_count_threshold;
pub mod failed_operation;
pub mod node_maintenance;
pub mod node_standby;
