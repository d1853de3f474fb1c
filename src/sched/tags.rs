//! Constraints that name a tag (`<tags><tag>`) or a resource template
//! instead of a resource: Pacemaker rewrites them into resource sets of the
//! tagged or template-derived resources before unpacking them
//! (`pcmk__expand_tags_in_sets`, `pcmk__tag_to_set`).

use super::error::Unsupported;
use super::model::RscIdx;
use super::state::Scheduler;
use crate::cib::{self, ResourceSet, Role, SetMember};
use crate::xml::ElemId;

/// What a constraint's reference names (`pcmk__valid_resource_or_tag`).
pub enum Named {
    Resource(RscIdx),
    /// A template with derived resources, or a tag with references.
    Tag(Vec<String>),
    /// Nothing usable: no such resource, an empty template or tag.
    Invalid,
}

/// A constraint after tag expansion.
pub enum Expanded<T> {
    /// No tag or template involved: unpack the constraint as it is.
    Same,
    /// Pacemaker ignores the whole constraint.
    Ignore,
    /// Unpack this rewritten constraint instead.
    As(T),
}

/// The set a tag (or, on the other side of a constraint with a tag, a
/// plain resource) becomes.
fn converted_set(
    id: &str,
    elem: ElemId,
    refs: Option<Vec<String>>,
    role: Option<Role>,
    action: Option<String>,
) -> ResourceSet {
    let is_tag = refs.is_some();
    let members = refs
        .unwrap_or_else(|| vec![id.to_owned()])
        .into_iter()
        .map(|id| SetMember { id, elem })
        .collect();
    ResourceSet {
        id: id.to_owned(),
        elem,
        members,
        sequential: if is_tag { Some(false) } else { None },
        require_all: None,
        action,
        role,
        score: None,
        kind: None,
        ordering: None,
    }
}

impl Scheduler<'_> {
    /// Resolve a constraint's reference: a resource first, then a template,
    /// then a tag (`find_constraint_tag`).
    pub fn named(&self, elem: ElemId, id: &str) -> Result<Named, Unsupported> {
        if let Some(r) = self.constraint_rsc(id) {
            return Ok(Named::Resource(r));
        }
        if self.cib.templates.iter().any(|t| t.id == id) {
            let mut derived: Vec<&cib::Resource> = self
                .cib
                .resources
                .iter()
                .filter(|r| r.template.as_deref() == Some(id))
                .collect();
            derived.sort_by_key(|r| r.elem.0);
            // Instances of a cloned template-derived primitive are recorded
            // under their instance ids; not reproduced.
            if derived.iter().any(|r| self.inside_clone(r)) {
                return Err(Unsupported::at(
                    self.cib,
                    elem,
                    "constraints that name a template used inside a clone",
                ));
            }
            let mut refs: Vec<String> = Vec::new();
            for r in derived {
                if !refs.contains(&r.id) {
                    refs.push(r.id.clone());
                }
            }
            if refs.is_empty() {
                return Ok(Named::Invalid);
            }
            return Ok(Named::Tag(refs));
        }
        let mut refs: Vec<String> = Vec::new();
        for t in self.cib.tags.iter().filter(|t| t.id == id) {
            for (r, _) in &t.refs {
                if !refs.contains(r) {
                    refs.push(r.clone());
                }
            }
        }
        if refs.is_empty() {
            return Ok(Named::Invalid);
        }
        Ok(Named::Tag(refs))
    }

    fn inside_clone(&self, r: &cib::Resource) -> bool {
        let mut p = r.parent;
        while let Some(pi) = p {
            let pr = self.cib.resource(pi);
            if pr.is_clone() || pr.is_bundle() {
                return true;
            }
            p = pr.parent;
        }
        false
    }

    /// `pcmk__expand_tags_in_sets`: members naming a tag or template are
    /// replaced in place by the resources they stand for. `None` when no
    /// member names one, or when some member names nothing valid (the sets
    /// are then unpacked as written, and fail there).
    pub fn expand_tags_in_sets(
        &self,
        sets: &[ResourceSet],
    ) -> Result<Option<Vec<ResourceSet>>, Unsupported> {
        let mut any = false;
        let mut out = Vec::with_capacity(sets.len());
        for set in sets {
            let mut members = Vec::with_capacity(set.members.len());
            for m in &set.members {
                match self.named(m.elem, &m.id)? {
                    Named::Invalid => return Ok(None),
                    Named::Resource(_) => members.push(m.clone()),
                    Named::Tag(refs) => {
                        any = true;
                        members.extend(refs.into_iter().map(|id| SetMember { id, elem: m.elem }));
                    }
                }
            }
            let mut set = set.clone();
            set.members = members;
            out.push(set);
        }
        Ok(any.then_some(out))
    }

    pub fn expand_location(
        &self,
        l: &cib::Location,
    ) -> Result<Expanded<cib::Location>, Unsupported> {
        if !l.sets.is_empty() {
            return Ok(match self.expand_tags_in_sets(&l.sets)? {
                Some(sets) => Expanded::As(cib::Location { sets, ..l.clone() }),
                None => Expanded::Same,
            });
        }
        let Some(id) = &l.rsc else {
            return Ok(Expanded::Same);
        };
        Ok(match self.named(l.elem, id)? {
            Named::Invalid => Expanded::Ignore,
            Named::Resource(_) => Expanded::Same,
            Named::Tag(refs) => Expanded::As(cib::Location {
                rsc: None,
                role: None,
                sets: vec![converted_set(id, l.elem, Some(refs), l.role, None)],
                ..l.clone()
            }),
        })
    }

    pub fn expand_colocation(
        &self,
        c: &cib::Colocation,
    ) -> Result<Expanded<cib::Colocation>, Unsupported> {
        if !c.sets.is_empty() {
            return Ok(match self.expand_tags_in_sets(&c.sets)? {
                Some(sets) => Expanded::As(cib::Colocation { sets, ..c.clone() }),
                None => Expanded::Same,
            });
        }
        let (Some(d), Some(p)) = (&c.rsc, &c.with_rsc) else {
            return Ok(Expanded::Same);
        };
        let (dn, pn) = (self.named(c.elem, d)?, self.named(c.elem, p)?);
        let (dref, pref) = match (dn, pn) {
            (Named::Invalid, _) | (_, Named::Invalid) => return Ok(Expanded::Ignore),
            (Named::Resource(_), Named::Resource(_)) => return Ok(Expanded::Same),
            // Two tags cannot be colocated.
            (Named::Tag(_), Named::Tag(_)) => return Ok(Expanded::Ignore),
            (Named::Tag(refs), Named::Resource(_)) => (Some(refs), None),
            (Named::Resource(_), Named::Tag(refs)) => (None, Some(refs)),
        };
        Ok(Expanded::As(cib::Colocation {
            rsc: None,
            with_rsc: None,
            rsc_role: None,
            with_rsc_role: None,
            sets: vec![
                converted_set(d, c.elem, dref, c.rsc_role, None),
                converted_set(p, c.elem, pref, c.with_rsc_role, None),
            ],
            ..c.clone()
        }))
    }

    pub fn expand_order(&self, o: &cib::Order) -> Result<Expanded<cib::Order>, Unsupported> {
        if !o.sets.is_empty() {
            return Ok(match self.expand_tags_in_sets(&o.sets)? {
                Some(sets) => Expanded::As(cib::Order { sets, ..o.clone() }),
                None => Expanded::Same,
            });
        }
        let (Some(f), Some(t)) = (&o.first, &o.then) else {
            return Ok(Expanded::Same);
        };
        let (fnm, tnm) = (self.named(o.elem, f)?, self.named(o.elem, t)?);
        let (fref, tref) = match (fnm, tnm) {
            (Named::Invalid, _) | (_, Named::Invalid) => return Ok(Expanded::Ignore),
            (Named::Resource(_), Named::Resource(_)) => return Ok(Expanded::Same),
            (a, b) => (tag_refs(a), tag_refs(b)),
        };
        Ok(Expanded::As(cib::Order {
            first: None,
            then: None,
            first_action: None,
            then_action: None,
            sets: vec![
                converted_set(f, o.elem, fref, None, o.first_action.clone()),
                converted_set(t, o.elem, tref, None, o.then_action.clone()),
            ],
            ..o.clone()
        }))
    }

    pub fn expand_ticket(
        &self,
        t: &cib::TicketConstraint,
    ) -> Result<Expanded<cib::TicketConstraint>, Unsupported> {
        if !t.sets.is_empty() {
            return Ok(match self.expand_tags_in_sets(&t.sets)? {
                Some(sets) => Expanded::As(cib::TicketConstraint { sets, ..t.clone() }),
                None => Expanded::Same,
            });
        }
        let Some(id) = &t.rsc else {
            return Ok(Expanded::Same);
        };
        Ok(match self.named(t.elem, id)? {
            Named::Invalid => Expanded::Ignore,
            Named::Resource(_) => Expanded::Same,
            Named::Tag(refs) => Expanded::As(cib::TicketConstraint {
                rsc: None,
                rsc_role: None,
                sets: vec![converted_set(id, t.elem, Some(refs), t.rsc_role, None)],
                ..t.clone()
            }),
        })
    }
}

fn tag_refs(n: Named) -> Option<Vec<String>> {
    match n {
        Named::Tag(refs) => Some(refs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_becomes_unordered_set_and_resource_a_plain_one() {
        let e = ElemId(0);
        let tag = converted_set(
            "tag1",
            e,
            Some(vec!["a".into(), "b".into()]),
            Some(Role::Promoted),
            None,
        );
        assert_eq!(tag.id, "tag1");
        assert_eq!(tag.sequential, Some(false));
        assert_eq!(tag.role, Some(Role::Promoted));
        let ids: Vec<&str> = tag.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let rsc = converted_set("rsc1", e, None, None, Some("stop".into()));
        assert_eq!(rsc.sequential, None);
        assert_eq!(rsc.action.as_deref(), Some("stop"));
        assert_eq!(rsc.members.len(), 1);
        assert_eq!(rsc.members[0].id, "rsc1");
    }
}
