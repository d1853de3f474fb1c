//! `--select` / `--ignore`: which rules run. Selectors are codes or code
//! prefixes; `ignore` beats `select`, and the more specific selector wins.

use super::RULES;

#[derive(Clone, Debug, Default)]
pub struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// Build a selection; returns the selectors that match no rule code.
    pub fn new(select: &[String], ignore: &[String]) -> (Selection, Vec<String>) {
        let norm = |v: &[String]| -> Vec<String> {
            v.iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let sel = Selection {
            select: norm(select),
            ignore: norm(ignore),
        };
        let unmatched = sel
            .select
            .iter()
            .chain(sel.ignore.iter())
            .filter(|s| *s != "ALL" && !RULES.iter().any(|r| r.code.starts_with(s.as_str())))
            .cloned()
            .collect();
        (sel, unmatched)
    }

    pub fn all() -> Selection {
        Selection::default()
    }

    pub fn enabled(&self, code: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|s| *s == "ALL" || code.starts_with(s.as_str()))
                .map(|s| if s == "ALL" { 0 } else { s.len() })
                .max()
        };
        let sel = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (sel, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(sel: &[&str], ign: &[&str]) -> Selection {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&v(sel), &v(ign)).0
    }

    #[test]
    fn ignore_beats_select_unless_more_specific() {
        assert!(s(&[], &[]).enabled("DR001"));
        assert!(!s(&["DR"], &[]).enabled("FE001"));
        assert!(s(&["DR"], &[]).enabled("DR001"));
        assert!(!s(&["DR"], &["DR001"]).enabled("DR001"));
        assert!(s(&["DR001"], &["DR"]).enabled("DR001"));
        assert!(!s(&["DR"], &["DR"]).enabled("DR002"));
        assert!(!s(&[], &["ALL"]).enabled("DR002"));
    }

    #[test]
    fn unmatched_selectors_are_returned() {
        let (_, bad) = Selection::new(&["Z9".to_string()], &["dr001".to_string()]);
        assert_eq!(bad, vec!["Z9".to_string()]);
    }
}
