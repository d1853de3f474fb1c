//! operations rules.

pub mod allow_migrate_unsupported;
pub mod duplicate_operation;
pub mod missing_monitor;
pub mod monitor_interval_clash;

use crate::cib::{nvset, Cib, Op, ResourceId, Role};
use crate::lint::Context;
use crate::xml::{ElemId, Span};
use std::collections::HashMap;

/// One operation as Pacemaker sees it on a primitive.
#[derive(Clone, Copy)]
pub(crate) struct EffOp<'a> {
    pub op: &'a Op,
    /// Inherited from the primitive's template.
    pub from_template: bool,
}

/// How a template's operation is matched against the primitive's own:
/// by name and role, where no role, Started and Unpromoted count as one
/// (Pacemaker's `template_op_key`). The interval plays no part.
fn template_role_key(role: Option<Role>) -> Option<Role> {
    match role {
        None | Some(Role::Started) | Some(Role::Unpromoted) => None,
        other => other,
    }
}

/// The operations Pacemaker uses for a primitive: its own, then those of
/// its template that no own operation of the same name and role overrides.
pub(crate) fn effective_ops<'a>(cib: &'a Cib, rid: ResourceId) -> Vec<EffOp<'a>> {
    let r = cib.resource(rid);
    let template = r
        .template
        .as_deref()
        .and_then(|t| cib.templates.iter().find(|x| x.id == t));
    let Some(t) = template else {
        return r
            .ops
            .iter()
            .map(|op| EffOp {
                op,
                from_template: false,
            })
            .collect();
    };
    let is_template_op = |o: &Op| t.ops.iter().any(|x| x.elem == o.elem);
    let mut out: Vec<EffOp<'a>> = r
        .ops
        .iter()
        .filter(|o| !is_template_op(o))
        .map(|op| EffOp {
            op,
            from_template: false,
        })
        .collect();
    let own = out.len();
    for op in &t.ops {
        let overridden = out[..own].iter().any(|o| {
            o.op.name == op.name && template_role_key(o.op.role) == template_role_key(op.role)
        });
        if !overridden {
            out.push(EffOp {
                op,
                from_template: true,
            });
        }
    }
    out
}

/// Whether a primitive is (part of) a promotable clone.
pub(crate) fn in_promotable(cib: &Cib, rid: ResourceId) -> bool {
    cib.ancestors(rid)
        .into_iter()
        .any(|a| cib.resource(a).is_promotable())
}

/// The role an operation applies to, as written (legacy names kept).
pub(crate) fn role_text(cx: &Context, op: &Op) -> Option<String> {
    cx.cib.doc.get(op.elem).attr("role").map(str::to_owned)
}

/// Whether an operation is disabled (`enabled=false`, as an attribute or
/// an operation meta-attribute).
pub(crate) fn op_disabled(op: &Op) -> bool {
    op.enabled == Some(false)
        || nvset::first_value(&op.meta, "enabled")
            .and_then(|p| p.value.as_deref())
            .is_some_and(|v| !crate::cib::load::parse_bool(v))
}

/// Operations of one primitive that share a name and interval: Pacemaker
/// tells configured operations apart by those two only (not by role).
pub(crate) fn same_key_groups<'a>(ops: &[EffOp<'a>]) -> Vec<Vec<EffOp<'a>>> {
    let mut groups: Vec<Vec<EffOp<'a>>> = Vec::new();
    let mut index: HashMap<(&str, u64), usize> = HashMap::new();
    for o in ops {
        if o.op.name.is_empty() {
            continue;
        }
        let key = (o.op.name.as_str(), o.op.interval_ms);
        match index.get(&key) {
            Some(&i) => groups[i].push(*o),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![*o]);
            }
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// ` (operations `A` and `B`, from template `T`)`: the ids to change, and
/// where they come from, for the message of a finding about a pair.
pub(crate) fn pair_names(
    template: Option<&str>,
    first: EffOp,
    second: EffOp,
    later: &Op,
) -> String {
    let via = match template {
        Some(t) if first.from_template || second.from_template => format!(", from template `{t}`"),
        _ => String::new(),
    };
    format!(" (operations `{}` and `{}`{via})", first.op.id, later.id)
}

/// Label the template a clashing pair's operations come from, when one
/// does.
pub(crate) fn label_template(
    cx: &Context,
    d: crate::diag::Diagnostic,
    r: &crate::cib::Resource,
    first: EffOp,
    second: EffOp,
) -> crate::diag::Diagnostic {
    match &r.template {
        Some(t) if first.from_template || second.from_template => d.with_label(
            cx.attr_span(r.elem, "template"),
            format!("operations inherited from template `{t}`"),
        ),
        _ => d,
    }
}

/// Where a finding about a pair of clashing operations points: at the
/// later one, unless that one comes from the template and the earlier is
/// the primitive's own (then at the own one, with the template's labelled).
pub(crate) fn pair_spans(cx: &Context, first: EffOp, second: EffOp) -> (ElemId, Span, Span) {
    let (primary, other) = if second.from_template && !first.from_template {
        (first, second)
    } else {
        (second, first)
    };
    (
        primary.op.elem,
        cx.span(primary.op.elem),
        cx.span(other.op.elem),
    )
}

/// An interval for messages: the text as written, with the parsed value
/// when they differ in form.
pub(crate) fn show_interval(op: &Op) -> String {
    let t = op.interval_text.trim();
    if t.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// Roles of a promotable resource's monitors: Promoted, Stopped, or the
/// unpromoted/started one (also meant by no role at all).
pub(crate) fn role_class(role: Option<Role>) -> u8 {
    match role {
        Some(Role::Promoted) => 2,
        Some(Role::Stopped) => 1,
        _ => 0,
    }
}
