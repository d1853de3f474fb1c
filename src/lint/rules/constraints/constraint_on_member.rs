//! CO002 `constraint-on-member`: a constraint that names a group member, or
//! the resource inside a clone or bundle, instead of the group, clone or
//! bundle. Pacemaker maps a clone child to its clone, so the constraint
//! silently covers every instance (and older versions ignore it), and `pcs`
//! refuses to create such constraints; on a group member it drags the whole
//! group along through the group's implicit colocations and orderings,
//! which is rarely what was meant.

use crate::cib::{ResourceId, Variant};
use crate::lint::{Context, Emitter};
use crate::xml::ElemId;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    // (constraint element, reference element, attribute, name, what)
    let mut refs: Vec<(ElemId, ElemId, &str, &str, &str)> = Vec::new();
    for l in &cib.locations {
        if let Some(r) = &l.rsc {
            refs.push((l.elem, l.elem, "rsc", r, "location"));
        }
        for s in &l.sets {
            for m in &s.members {
                refs.push((l.elem, m.elem, "id", &m.id, "location"));
            }
        }
    }
    for c in &cib.colocations {
        if let Some(r) = &c.rsc {
            refs.push((c.elem, c.elem, "rsc", r, "colocation"));
        }
        if let Some(r) = &c.with_rsc {
            refs.push((c.elem, c.elem, "with-rsc", r, "colocation"));
        }
        for s in &c.sets {
            for m in &s.members {
                refs.push((c.elem, m.elem, "id", &m.id, "colocation"));
            }
        }
    }
    for o in &cib.orders {
        if let Some(r) = &o.first {
            refs.push((o.elem, o.elem, "first", r, "order"));
        }
        if let Some(r) = &o.then {
            refs.push((o.elem, o.elem, "then", r, "order"));
        }
        for s in &o.sets {
            for m in &s.members {
                refs.push((o.elem, m.elem, "id", &m.id, "order"));
            }
        }
    }
    for t in &cib.tickets {
        if let Some(r) = &t.rsc {
            refs.push((t.elem, t.elem, "rsc", r, "ticket"));
        }
        for s in &t.sets {
            for m in &s.members {
                refs.push((t.elem, m.elem, "id", &m.id, "ticket"));
            }
        }
    }
    for (constraint, at, attr, name, what) in refs {
        // Direct references, and references through a tag.
        let (targets, via_tag): (Vec<ResourceId>, bool) = match cib.find_resource(name) {
            Some(id) => (vec![id], false),
            None => match cib.tags.iter().find(|t| t.id == name) {
                Some(tag) => (
                    tag.refs
                        .iter()
                        .filter_map(|(r, _)| cib.find_resource(r))
                        .collect(),
                    true,
                ),
                None => (Vec::new(), false),
            },
        };
        for rid in targets {
            let r = cib.resource(rid);
            let Some(parent) = r.parent else { continue };
            let p = cib.resource(parent);
            let container = match p.variant {
                Variant::Group => "group",
                Variant::Clone { .. } => p.kind_name(),
                Variant::Bundle(_) => "bundle",
                Variant::Primitive => continue,
            };
            let top = cib.resource(cib.top_of(rid));
            let cid = cx.elem_id(constraint);
            let tag_note = if via_tag {
                format!(" (through tag `{name}`)")
            } else {
                String::new()
            };
            let consequence = match p.variant {
                Variant::Group => format!(
                    "through the group's implicit colocations and orderings it also moves or stops the other members (those after `{}` cannot run without it)",
                    r.id
                ),
                _ => format!(
                    "Pacemaker applies it to `{}` as a whole (older versions ignore it)",
                    p.id
                ),
            };
            let d = em
                .diag(
                    cx.attr_span(at, attr),
                    format!(
                        "{what} `{cid}` refers to `{}`{tag_note}, a member of {container} `{}`, instead of the {container}",
                        r.id, p.id
                    ),
                )
                .label(format!("inside {container} `{}`", p.id))
                .help(format!("{consequence}; refer to `{}` instead", top.id))
                .element(cid);
            em.push(d);
        }
    }
}
