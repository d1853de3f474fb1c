//! cibcheck: an offline linter and what-if simulator for Pacemaker cluster
//! configurations (CIBs).
//!
//! Data flows one way: [`xml`] (element tree with spans) → [`cib`] (typed
//! model) → [`lint`] rules → [`render`] (human, concise, JSON, SARIF,
//! GitHub annotations). The command line lives in [`cli`]; `cibcheck.toml`
//! in [`config`].

// The scheduler's decision chains follow Pacemaker's case analysis branch
// for branch, so that each branch can be checked against the algorithm it
// reproduces; merging or minimising them would hide that correspondence.
#![allow(
    clippy::nonminimal_bool,
    clippy::if_same_then_else,
    clippy::collapsible_if,
    clippy::collapsible_match
)]

pub mod cib;
pub mod cli;
pub mod config;
pub mod diag;
pub mod explain;
pub mod input;
pub mod lint;
pub mod profile;
pub mod render;
pub mod sched;
pub mod whatif;
pub mod xml;
