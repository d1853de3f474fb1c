//! cibcheck: an offline linter and what-if simulator for Pacemaker cluster
//! configurations (CIBs).
//!
//! Data flows one way: [`xml`] (element tree with spans) → [`cib`] (typed
//! model) → [`lint`] rules → [`render`] (human, concise, JSON, SARIF,
//! GitHub annotations). The command line lives in [`cli`].

pub mod cib;
pub mod cli;
pub mod diag;
pub mod input;
pub mod lint;
pub mod render;
pub mod sched;
pub mod xml;
