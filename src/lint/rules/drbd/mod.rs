//! drbd rules.

pub mod dual_primary_migration;
pub mod fence_constraint;
pub mod promoted_dependency;
pub mod without_notify;
