//! IN004 `invalid-score`: a score that is not an integer or INFINITY.
//!
//! Found while loading (see `cib::load`); this rule reports them.

use crate::cib::IssueKind;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    super::report_issues(cx, em, IssueKind::InvalidScore);
}
