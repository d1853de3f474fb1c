//! An action's meta attributes: a handful of name/value pairs per action.
//!
//! A `BTreeMap` allocates a whole node (over 500 bytes) for its first entry;
//! with hundreds of thousands of actions (probes of a fresh large cluster)
//! that dominated peak memory. A vector kept sorted by name gives the same
//! lookups and the same (sorted) iteration order at a fraction of the size.

use std::borrow::Borrow;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta(Vec<(String, String)>);

impl Meta {
    pub fn new() -> Self {
        Meta(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn get<Q: Borrow<str> + ?Sized>(&self, name: &Q) -> Option<&String> {
        self.find(name.borrow()).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key<Q: Borrow<str> + ?Sized>(&self, name: &Q) -> bool {
        self.find(name.borrow()).is_ok()
    }

    /// Set `name`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// Set `name` unless it is already set.
    pub fn insert_if_absent(&mut self, name: String, value: String) {
        if let Err(i) = self.find(&name) {
            self.0.insert(i, (name, value));
        }
    }

    pub fn remove<Q: Borrow<str> + ?Sized>(&mut self, name: &Q) -> Option<String> {
        self.find(name.borrow()).ok().map(|i| self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Name/value pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'a> IntoIterator for &'a Meta {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Meta {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(String, String)> for Meta {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut m = Meta::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl Extend<(String, String)> for Meta {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut m = Meta::new();
        assert_eq!(m.insert("timeout".into(), "20000".into()), None);
        assert_eq!(m.insert("interval".into(), "0".into()), None);
        assert_eq!(
            m.insert("timeout".into(), "30000".into()),
            Some("20000".into())
        );
        m.insert_if_absent("interval".into(), "10".into());
        assert_eq!(m.get("interval").map(String::as_str), Some("0"));
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["interval", "timeout"]);
        assert_eq!(m.remove("interval"), Some("0".into()));
        assert!(!m.contains_key("interval"));
        assert_eq!(m.len(), 1);
    }
}
