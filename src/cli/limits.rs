//! Input limits shared by every command that reads a CIB.

use crate::input;
use crate::xml::ParseLimits;
use clap::Args;

/// How large and how deep an input may be (documented in
/// docs/reliability.md); overridable per run or by environment.
#[derive(Args, Debug, Clone, Copy)]
pub struct InputLimits {
    /// Largest input accepted, in bytes (of a compressed input: its
    /// decompressed bytes).
    #[arg(long, env = "CIBCHECK_MAX_SIZE", default_value_t = input::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
    /// Deepest XML nesting accepted.
    #[arg(long, env = "CIBCHECK_MAX_DEPTH", default_value_t = ParseLimits::default().max_depth)]
    pub max_depth: usize,
}

impl InputLimits {
    pub fn parse_limits(&self) -> ParseLimits {
        ParseLimits {
            max_depth: self.max_depth,
            ..ParseLimits::default()
        }
    }
}
