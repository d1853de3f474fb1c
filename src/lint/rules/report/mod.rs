//! Cluster-report rules: they compare the nodes' copies of the CIB in a
//! report (`crate::lint::report_copies`), so no single CIB raises them.

use crate::lint::{Context, Emitter};

/// RP001 and RP002 come from comparing copies, not from one CIB.
pub fn check(_cx: &Context, _em: &mut Emitter) {}
