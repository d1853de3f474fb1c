//! `NodeMap`: per-resource tables keyed by node (allowed nodes and their
//! scores), as a sorted vector. A symmetric cluster gives every resource
//! an entry for every node, so these tables hold nodes × resources
//! entries: a vector takes half a B-tree's memory, is built by appending
//! (nodes are added in index order) and is copied with one `memcpy` when
//! a what-if copies the cluster. Iteration is in node index order, as a
//! `BTreeMap<NodeIdx, _>` iterates.

use super::model::NodeIdx;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeMap<V> {
    entries: Vec<(NodeIdx, V)>,
}

impl<V> Default for NodeMap<V> {
    fn default() -> Self {
        NodeMap {
            entries: Vec::new(),
        }
    }
}

impl<V> NodeMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, n: NodeIdx) -> Result<usize, usize> {
        // A table holding every node (a symmetric cluster's) has node i
        // at position i.
        if let Some((k, _)) = self.entries.get(n.0 as usize) {
            if *k == n {
                return Ok(n.0 as usize);
            }
        }
        // Tables are mostly built in node order: check the end first.
        match self.entries.last() {
            None => Err(0),
            Some((last, _)) if *last < n => Err(self.entries.len()),
            _ => self.entries.binary_search_by_key(&n, |e| e.0),
        }
    }

    pub fn get(&self, n: &NodeIdx) -> Option<&V> {
        self.find(*n).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, n: &NodeIdx) -> Option<&mut V> {
        match self.find(*n) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    pub fn contains_key(&self, n: &NodeIdx) -> bool {
        self.find(*n).is_ok()
    }

    /// Set `n`'s value, returning the one it replaces.
    pub fn insert(&mut self, n: NodeIdx, v: V) -> Option<V> {
        match self.find(n) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, v)),
            Err(i) => {
                self.entries.insert(i, (n, v));
                None
            }
        }
    }

    pub fn remove(&mut self, n: &NodeIdx) -> Option<V> {
        match self.find(*n) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// `n`'s value, inserted from `make` when absent.
    pub fn or_insert_with(&mut self, n: NodeIdx, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(n) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (n, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// `BTreeMap::entry`, for `or_insert`.
    pub fn entry(&mut self, n: NodeIdx) -> Entry<'_, V> {
        Entry { map: self, n }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Room for `additional` more entries. Tables of a symmetric cluster
    /// are filled a node at a time: reserving them whole avoids growing by
    /// doubling, which at nodes × resources entries doubles peak memory.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.entries.reserve_exact(additional);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&NodeIdx, &V)> + '_ {
        self.entries.iter().map(|(n, v)| (n, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&NodeIdx, &mut V)> + '_ {
        self.entries.iter_mut().map(|(n, v)| (&*n, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &NodeIdx> + '_ {
        self.entries.iter().map(|(n, _)| n)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + '_ {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Keep only the entries `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&NodeIdx, &mut V) -> bool) {
        self.entries.retain_mut(|(n, v)| keep(n, v));
    }
}

/// A node's place in a `NodeMap`, filled or not.
pub struct Entry<'a, V> {
    map: &'a mut NodeMap<V>,
    n: NodeIdx,
}

impl<'a, V> Entry<'a, V> {
    pub fn or_insert(self, v: V) -> &'a mut V {
        self.map.or_insert_with(self.n, || v)
    }
}

impl<V> FromIterator<(NodeIdx, V)> for NodeMap<V> {
    fn from_iter<I: IntoIterator<Item = (NodeIdx, V)>>(iter: I) -> Self {
        let mut entries: Vec<(NodeIdx, V)> = iter.into_iter().collect();
        // Stable: of repeated nodes the last wins, as inserting would.
        entries.sort_by_key(|e| e.0);
        let mut out: Vec<(NodeIdx, V)> = Vec::with_capacity(entries.len());
        for e in entries {
            match out.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => out.push(e),
            }
        }
        NodeMap { entries: out }
    }
}

impl<'a, V> IntoIterator for &'a NodeMap<V> {
    type Item = (&'a NodeIdx, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (NodeIdx, V)>,
        fn(&'a (NodeIdx, V)) -> (&'a NodeIdx, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(n, v)| (n, v))
    }
}

impl<V> IntoIterator for NodeMap<V> {
    type Item = (NodeIdx, V);
    type IntoIter = std::vec::IntoIter<(NodeIdx, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Any sequence of inserts and removes leaves the same contents, in
    /// the same order, as a `BTreeMap`.
    #[test]
    fn behaves_as_a_btreemap() {
        let mut ours: NodeMap<i32> = NodeMap::new();
        let mut theirs: BTreeMap<NodeIdx, i32> = BTreeMap::new();
        let mut x: u32 = 7;
        for step in 0..2000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let n = NodeIdx((x >> 8) % 50);
            if step % 5 == 4 {
                assert_eq!(ours.remove(&n), theirs.remove(&n));
            } else {
                assert_eq!(ours.insert(n, step), theirs.insert(n, step));
            }
            assert_eq!(ours.get(&n), theirs.get(&n));
        }
        let a: Vec<(NodeIdx, i32)> = ours.iter().map(|(n, v)| (*n, *v)).collect();
        let b: Vec<(NodeIdx, i32)> = theirs.iter().map(|(n, v)| (*n, *v)).collect();
        assert_eq!(a, b);
        let collected: NodeMap<i32> = [(NodeIdx(3), 1), (NodeIdx(1), 2), (NodeIdx(3), 9)]
            .into_iter()
            .collect();
        let c: Vec<(NodeIdx, i32)> = collected.into_iter().collect();
        assert_eq!(c, [(NodeIdx(1), 2), (NodeIdx(3), 9)]);
    }
}
