//! The scheduler: the CIB's status unpacked into a working model, and the
//! stages that decide what the cluster should do next.

pub mod action;
pub mod assign;
pub mod bundle;
pub mod clone;
pub mod config_changes;
pub mod constraints;
pub mod digest;
pub mod error;
pub mod failcount;
pub mod fencing;
pub mod graph;
pub mod guest;
pub mod health;
pub mod history;
pub mod migration;
pub mod model;
pub mod notify;
pub mod opconfig;
pub mod opfail;
pub mod orderings;
pub mod pipeline;
pub mod plan;
pub mod primitive;
pub mod probes;
pub mod promotable;
pub mod recurring;
pub mod remote;
pub mod scores;
pub mod state;
pub mod summary;
pub mod tags;
pub mod tickets;
pub mod unpack;
pub mod utilization;
pub mod waves;
