//! The scheduler: the CIB's status unpacked into a working model, and the
//! stages that decide what the cluster should do next.

pub mod error;
pub mod model;
pub mod unpack;
