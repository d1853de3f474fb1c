//! baseline rules.

pub mod unmatched_baseline;
