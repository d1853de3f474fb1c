//! input rules: problems the loader found that make part of the CIB invalid.

pub mod dangling_reference;
pub mod duplicate_id;
pub mod invalid_score;
pub mod invalid_value;
pub mod pacemaker_resets;
pub mod partial_dump;
pub mod unknown_attribute;
pub mod unknown_role;
pub mod unknown_schema;
pub mod unreadable_input;

use crate::cib::IssueKind;
use crate::lint::{Context, Emitter};

/// Turn the loader's issues of one kind into this rule's findings.
fn report_issues(cx: &Context, em: &mut Emitter, kind: IssueKind) {
    for issue in cx.cib.issues.iter().filter(|i| i.kind == kind) {
        // Say where, unless the message already names the element.
        let owner = issue.elem.and_then(|e| cx.owner_text(e));
        let message = match owner {
            Some(o)
                if !o
                    .split('`')
                    .nth(1)
                    .is_some_and(|id| issue.message.contains(&format!("`{id}`"))) =>
            {
                format!("{} (in {o})", issue.message)
            }
            _ => issue.message.clone(),
        };
        let mut d = em.diag(issue.span, message);
        for (span, text) in &issue.related {
            d = d.with_label(*span, text.clone());
        }
        if let Some(h) = &issue.help {
            d = d.help(h.clone());
        }
        if let Some(e) = issue.elem {
            d = d.element(cx.elem_id(e));
        }
        em.push(d);
    }
}
