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
