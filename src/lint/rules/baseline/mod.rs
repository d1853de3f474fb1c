//! baseline rules.

pub mod accept;
pub mod unmatched_baseline;
