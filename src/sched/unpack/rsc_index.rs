//! An index of resources by id and history name, so that looking up the
//! resource of each history entry does not walk the whole resource tree
//! (`pe_find_resource` is linear; the status section has one entry per
//! resource and node, which made unpacking quadratic on large clusters).
//!
//! The index is a superset: every resource is listed under its id and under
//! every history name it was given, stale names included. A lookup keeps
//! only the candidates that still match and answers directly when exactly
//! one is left and it is in the tree; otherwise it falls back to the tree
//! walk, which settles which match comes first.

use super::Unpacker;
use crate::sched::model::RscIdx;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub(crate) struct RscIndex {
    /// How many resources of the arena are indexed.
    indexed: usize,
    by_name: HashMap<String, Vec<RscIdx>>,
    /// Top-level resources, with how many of `top` they cover.
    tops: HashSet<RscIdx>,
    tops_len: usize,
}

impl Unpacker<'_> {
    /// `pe_find_resource` (by id or history name), through the index.
    pub(crate) fn find_resource_indexed(&self, id: &str) -> Option<RscIdx> {
        let mut guard = self.rsc_index.borrow_mut();
        let ix = &mut *guard;
        let len = self.c.resources.len();
        if ix.indexed > len {
            // Resources were dropped: start over.
            *ix = RscIndex::default();
        }
        for i in ix.indexed..len {
            let r = RscIdx(i as u32);
            let rsc = &self.c.resources[i];
            ix.by_name.entry(rsc.id.clone()).or_default().push(r);
            if let Some(cn) = &rsc.clone_name {
                if *cn != rsc.id {
                    ix.by_name.entry(cn.clone()).or_default().push(r);
                }
            }
        }
        ix.indexed = len;
        if ix.tops_len != self.c.top.len() {
            ix.tops = self.c.top.iter().copied().collect();
            ix.tops_len = self.c.top.len();
        }
        let cands = ix.by_name.get(id)?;
        let mut found: Vec<RscIdx> = Vec::new();
        for &r in cands {
            let Some(rsc) = self.c.resources.get(r.i()) else {
                continue;
            };
            if rsc.id != id && rsc.clone_name.as_deref() != Some(id) {
                continue;
            }
            if !found.contains(&r) {
                found.push(r);
            }
        }
        match found.as_slice() {
            [] => None,
            [r] => {
                let r = *r;
                if self.in_tree(r, &ix.tops) {
                    Some(r)
                } else {
                    drop(guard);
                    self.find_resource(id)
                }
            }
            // Siblings (instances of one anonymous clone, all given the same
            // history name): the walk would meet the first of them that is
            // still among its parent's children first.
            [first, rest @ ..] => {
                let parent = self.c.resources[first.i()].parent;
                let siblings = rest
                    .iter()
                    .all(|r| self.c.resources[r.i()].parent == parent);
                let order: Option<&[RscIdx]> = match parent {
                    Some(p) if siblings && self.in_tree(p, &ix.tops) => {
                        Some(&self.c.resources[p.i()].children)
                    }
                    None if siblings => Some(&self.c.top),
                    _ => None,
                };
                match order {
                    Some(order) => order.iter().copied().find(|c| found.contains(c)),
                    None => {
                        drop(guard);
                        self.find_resource(id)
                    }
                }
            }
        }
    }

    /// Record a history name given to a resource after it was indexed.
    pub(crate) fn index_clone_name(&self, r: RscIdx, name: &str) {
        let mut ix = self.rsc_index.borrow_mut();
        if r.i() < ix.indexed {
            ix.by_name.entry(name.to_owned()).or_default().push(r);
        }
    }

    /// Whether a tree walk from the top-level resources reaches `r`.
    fn in_tree(&self, mut r: RscIdx, tops: &HashSet<RscIdx>) -> bool {
        // Bounded by the arena size, so a malformed parent chain cannot hang.
        for _ in 0..=self.c.resources.len() {
            match self.c.resources.get(r.i()).and_then(|x| x.parent) {
                Some(p) => {
                    let Some(pr) = self.c.resources.get(p.i()) else {
                        return false;
                    };
                    if !pr.children.contains(&r) {
                        return false;
                    }
                    r = p;
                }
                None => return tops.contains(&r),
            }
        }
        false
    }
}
