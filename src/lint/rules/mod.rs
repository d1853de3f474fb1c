//! The rules, one file each, grouped by family.

pub mod baseline;
pub mod constraints;
pub mod deprecated;
pub mod drbd;
pub mod fencing;
pub mod input;
pub mod management;
pub mod operations;
pub mod report;
pub mod schema;
pub mod status;
pub mod upgrade;
