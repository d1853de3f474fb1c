//! Cluster options as Pacemaker 2.1.5 reads them: the crm_config sets in
//! its precedence (see [`nvset::precedence`]) and rules evaluated at the
//! effective time. Legacy names of an old-schema CIB were renamed by the
//! in-memory schema upgrade before the model was built (`cib::upgrade`).

use super::nvset::{self, NvPair};
use super::rule::RuleContext;
use super::time::Instant;
use super::Cib;

/// The crm_config set read before all others.
pub const BOOTSTRAP_SET: &str = "cib-bootstrap-options";

impl Cib {
    /// The nvpair that sets cluster option `name` at `now`, as Pacemaker
    /// reads it (see the module documentation).
    pub fn cluster_option_at(&self, name: &str, now: Instant) -> Option<&NvPair> {
        let sets: Vec<_> = self.crm_config.iter().collect();
        let ctx = RuleContext {
            now: Some(now),
            ..Default::default()
        };
        nvset::effective_pair(&sets, Some(BOOTSTRAP_SET), name, &ctx)
    }
}
