//! Per-file results of a lint run, their fingerprints, and baselines.

use crate::diag::{Diagnostic, Severity};
use crate::xml::Span;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// What linting one file produced.
pub struct FileOutcome {
    pub name: String,
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings hidden by the baseline.
    pub suppressed: usize,
    /// Findings hidden by `[[accept]]` entries of cibcheck.toml.
    pub accepted: usize,
    /// The release profile the CIB was judged as, and how it was chosen
    /// (none for what is not a readable CIB).
    pub pacemaker: Option<(&'static crate::profile::Profile, crate::profile::Chosen)>,
}

impl FileOutcome {
    /// The file could not be used as a CIB (load failure or input rules).
    pub fn input_error(&self) -> bool {
        self.diagnostics.iter().any(|d| d.input_error)
    }
    pub fn count(&self, sev: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == sev)
            .count()
    }
}

/// 64-bit FNV-1a: small, deterministic across platforms and releases.
pub fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A fingerprint that survives edits elsewhere in the file: rule code,
/// the id of the element concerned and the message, never line numbers.
pub fn fingerprint(d: &Diagnostic) -> String {
    let key = format!(
        "{}|{}|{}",
        d.code,
        d.element_id.as_deref().unwrap_or(""),
        d.message
    );
    format!("{:016x}", fnv1a(key.as_bytes()))
}

pub const BASELINE_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub file: String,
    pub code: String,
    pub fingerprint: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    pub fn from_outcomes(outcomes: &[FileOutcome]) -> Baseline {
        let mut findings: Vec<BaselineEntry> = outcomes
            .iter()
            .flat_map(|o| {
                o.diagnostics.iter().map(|d| BaselineEntry {
                    file: o.name.clone(),
                    code: d.code.to_owned(),
                    fingerprint: fingerprint(d),
                    message: d.message.clone(),
                })
            })
            .collect();
        findings.sort_by(|a, b| {
            (&a.file, &a.code, &a.fingerprint).cmp(&(&b.file, &b.code, &b.fingerprint))
        });
        Baseline {
            version: BASELINE_VERSION,
            findings,
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| format!("not a cibcheck baseline: {e}"))?;
        if b.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {BASELINE_VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Remove baselined findings from `outcomes`; returns the entries that
    /// matched nothing. Each entry absorbs one finding.
    pub fn apply(&self, outcomes: &mut [FileOutcome]) -> Vec<BaselineEntry> {
        let mut budget: HashMap<(String, String), Vec<&BaselineEntry>> = HashMap::new();
        for e in &self.findings {
            budget
                .entry((e.file.clone(), e.fingerprint.clone()))
                .or_default()
                .push(e);
        }
        for o in outcomes.iter_mut() {
            let before = o.diagnostics.len();
            let name = o.name.clone();
            o.diagnostics.retain(|d| {
                // Load failures are never baselined away.
                if d.input_error {
                    return true;
                }
                let fp = fingerprint(d);
                match budget.get_mut(&(name.clone(), fp)) {
                    Some(v) if !v.is_empty() => {
                        v.pop();
                        false
                    }
                    _ => true,
                }
            });
            o.suppressed += before - o.diagnostics.len();
        }
        let mut left: Vec<BaselineEntry> = budget.into_values().flatten().cloned().collect();
        left.sort_by(|a, b| (&a.file, &a.fingerprint).cmp(&(&b.file, &b.fingerprint)));
        left
    }
}

/// Where in the baseline file's text an entry's fingerprint stands.
pub fn locate_in_baseline(text: &str, fingerprint: &str) -> Span {
    match text.find(fingerprint) {
        Some(p) => Span::new(p, p + fingerprint.len()),
        None => Span::default(),
    }
}

/// An entry of a baseline or of cibcheck.toml's `[[accept]]` that did not
/// do its job this run (it hid nothing, or its time is over).
pub struct StaleEntry {
    /// BL001, BL002 or BL003.
    pub code: &'static str,
    /// Where the entry stands in its file.
    pub span: Span,
    pub message: String,
    pub help: String,
    /// What identifies the entry, for fingerprints.
    pub key: String,
}

/// The findings about stale entries, reported against the file that
/// holds them (the baseline or the configuration).
pub fn stale_entries_outcome(name: &str, text: &str, entries: Vec<StaleEntry>) -> FileOutcome {
    let diagnostics = entries
        .into_iter()
        .map(|e| {
            let meta = super::rule_by_code(e.code);
            let mut d = Diagnostic::new(
                meta.map_or(e.code, |m| m.code),
                meta.map_or("stale-entry", |m| m.name),
                meta.map_or(Severity::Warning, |m| m.category.severity()),
                e.span,
                e.message,
            );
            d.help = Some(e.help);
            d.element_id = Some(e.key);
            d
        })
        .collect();
    FileOutcome {
        name: name.to_owned(),
        source: Arc::from(text),
        diagnostics,
        suppressed: 0,
        accepted: 0,
        pacemaker: None,
    }
}
