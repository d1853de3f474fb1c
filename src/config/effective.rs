//! The settings that apply to one CIB: defaults, then the configuration
//! file (its top-level keys, then the `[[overrides]]` whose globs match
//! the CIB's path), then the command-line flags, each value with where it
//! came from.

use super::{Accept, Config};
use crate::cib::time::Instant;
use crate::diag::Severity;
use crate::lint::{FileOutcome, Selection};
use crate::xml::{LineIndex, Span};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// A command-line flag (`--select`).
    Flag(&'static str),
    /// A key of a configuration file: its name, line and dotted key.
    File {
        name: String,
        line: usize,
        key: String,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::File { name, line, key } => write!(f, "{name}:{line}: {key}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Value<T> {
    pub value: T,
    pub origin: Origin,
}

/// The lint flags that a configuration file also sets.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
}

/// Everything that decides a CIB's lint run, resolved.
#[derive(Debug)]
pub struct Effective<'c> {
    pub config: Option<&'c Config>,
    pub select: Value<Vec<String>>,
    /// Every list that contributes: ignores add up.
    pub ignore: Vec<Value<Vec<String>>>,
    pub fail_on: Value<Severity>,
    pub severity: BTreeMap<String, Value<Severity>>,
    /// Indexes of the `[[overrides]]` that govern this CIB.
    pub overrides: Vec<usize>,
}

/// Comma-separated flag values as selectors.
fn normalise(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
        .collect()
}

impl<'c> Effective<'c> {
    /// Resolve the settings for a CIB at `cib` (`None`: stdin or the live
    /// cluster, which no per-path override governs).
    pub fn resolve(config: Option<&'c Config>, flags: &Flags, cib: Option<&Path>) -> Effective<'c> {
        let origin = |span: Span, key: String| match config {
            Some(c) => Origin::File {
                name: c.name.clone(),
                line: LineIndex::new(&c.text).line_col(span.start as usize).0,
                key,
            },
            None => Origin::Default,
        };
        let overrides: Vec<usize> = match (config, cib) {
            (Some(c), Some(p)) => match c.relative(p) {
                Some(rel) => (0..c.overrides.len())
                    .filter(|&i| c.overrides[i].matches(&rel))
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let matched = || {
            config
                .into_iter()
                .flat_map(|c| overrides.iter().map(move |&i| &c.overrides[i]))
        };

        let select = if !flags.select.is_empty() {
            Value {
                value: normalise(&flags.select),
                origin: Origin::Flag("--select"),
            }
        } else if let Some(s) = matched().filter_map(|o| o.select.as_ref()).next_back() {
            Value {
                value: s.value.clone(),
                origin: origin(s.span, "overrides.select".into()),
            }
        } else if let Some(s) = config.and_then(|c| c.select.as_ref()) {
            Value {
                value: s.value.clone(),
                origin: origin(s.span, "select".into()),
            }
        } else {
            Value {
                value: vec!["ALL".into()],
                origin: Origin::Default,
            }
        };

        let ignore = if !flags.ignore.is_empty() {
            vec![Value {
                value: normalise(&flags.ignore),
                origin: Origin::Flag("--ignore"),
            }]
        } else {
            let top = config.and_then(|c| c.ignore.as_ref()).map(|s| Value {
                value: s.value.clone(),
                origin: origin(s.span, "ignore".into()),
            });
            let per_path = matched().filter_map(|o| o.ignore.as_ref()).map(|s| Value {
                value: s.value.clone(),
                origin: origin(s.span, "overrides.ignore".into()),
            });
            top.into_iter().chain(per_path).collect()
        };

        let fail_on = match (flags.fail_on, config.and_then(|c| c.fail_on.as_ref())) {
            (Some(s), _) => Value {
                value: s,
                origin: Origin::Flag("--fail-on"),
            },
            (None, Some(f)) => Value {
                value: f.value,
                origin: origin(f.span, "fail-on".into()),
            },
            (None, None) => Value {
                value: Severity::Warning,
                origin: Origin::Default,
            },
        };

        let mut severity = BTreeMap::new();
        let tables = config
            .map(|c| ("severity", &c.severity))
            .into_iter()
            .chain(matched().map(|o| ("overrides.severity", &o.severity)));
        for (table, entries) in tables {
            for (k, v) in entries {
                severity.insert(
                    k.value.clone(),
                    Value {
                        value: v.value,
                        origin: origin(k.span, format!("{table}.{}", k.value)),
                    },
                );
            }
        }

        Effective {
            config,
            select,
            ignore,
            fail_on,
            severity,
            overrides,
        }
    }

    /// Which rules run.
    pub fn selection(&self) -> Selection {
        let ignore: Vec<String> = self.ignore.iter().flat_map(|v| v.value.clone()).collect();
        Selection::new(&self.select.value, &ignore).0
    }

    /// Findings take the severity the configuration gives their rule.
    pub fn apply_severity(&self, outcome: &mut FileOutcome) {
        for d in &mut outcome.diagnostics {
            if let Some(v) = self.severity.get(d.code) {
                d.severity = v.value;
            }
        }
    }

    /// The configuration as TOML, each value followed by its origin.
    pub fn render(&self, subject: &str, now: Instant) -> String {
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
            format!("[{}]", items.join(", "))
        };
        let mut out = format!("# Effective configuration for {subject}\n");
        match self.config {
            Some(c) => out.push_str(&format!("# Configuration file: {}\n", c.name)),
            None => out.push_str("# Configuration file: none (defaults and flags)\n"),
        }
        out.push_str(&format!(
            "select = {}  # {}\n",
            list(&self.select.value),
            self.select.origin
        ));
        if self.ignore.is_empty() {
            out.push_str("ignore = []  # default\n");
        } else {
            let all: Vec<String> = self.ignore.iter().flat_map(|v| v.value.clone()).collect();
            let from: Vec<String> = self.ignore.iter().map(|v| v.origin.to_string()).collect();
            out.push_str(&format!("ignore = {}  # {}\n", list(&all), from.join("; ")));
        }
        out.push_str(&format!(
            "fail-on = \"{}\"  # {}\n",
            self.fail_on.value, self.fail_on.origin
        ));
        out.push_str("\n[severity]\n");
        if self.severity.is_empty() {
            out.push_str("# each rule's own (`cibcheck rules`)\n");
        }
        for (code, v) in &self.severity {
            out.push_str(&format!("{code} = \"{}\"  # {}\n", v.value, v.origin));
        }
        if let Some(c) = self.config {
            let index = LineIndex::new(&c.text);
            for (i, o) in c.overrides.iter().enumerate() {
                let globs: Vec<String> = o.globs.iter().map(|g| g.value.clone()).collect();
                let line = o
                    .globs
                    .first()
                    .map_or(0, |g| index.line_col(g.span.start as usize).0);
                let state = if self.overrides.contains(&i) {
                    "applies"
                } else {
                    "does not apply"
                };
                out.push_str(&format!(
                    "\n# {}:{line}: overrides with paths = {} {state}\n",
                    c.name,
                    list(&globs)
                ));
            }
            for a in &c.accept {
                out.push_str(&render_accept(c, a, &index, now));
            }
        }
        out
    }
}

fn render_accept(c: &Config, a: &Accept, index: &LineIndex, now: Instant) -> String {
    let line = index.line_col(a.span.start as usize).0;
    let state = match a.until_text() {
        Some(u) if a.expired(now) => format!("expired after {u}: hides nothing, reported as BL003"),
        Some(u) => format!("hides its finding until {u}"),
        None => "hides its finding".into(),
    };
    let mut s = format!(
        "\n[[accept]]  # {}:{line}: {state}\nrule = \"{}\"\nid = \"{}\"\nreason = {:?}\n",
        c.name, a.rule.value, a.id.value, a.reason
    );
    if let Some(u) = a.until_text() {
        s.push_str(&format!("until = \"{u}\"\n"));
    }
    s
}

/// Hide the findings `config` accepts in `outcome` (a CIB at `cib`);
/// `used[i]` records that entry `i` hid something. Expired entries hide
/// nothing. Load failures are never hidden.
pub fn accept_findings(
    config: &Config,
    outcome: &mut FileOutcome,
    now: Instant,
    used: &mut [bool],
) {
    let before = outcome.diagnostics.len();
    outcome.diagnostics.retain(|d| {
        if d.input_error {
            return true;
        }
        let hit = config.accept.iter().position(|a| {
            !a.expired(now)
                && a.rule.value == d.code
                && d.element_id.as_deref() == Some(a.id.value.as_str())
        });
        match hit {
            Some(i) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                false
            }
            None => true,
        }
    });
    outcome.accepted += before - outcome.diagnostics.len();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse("cibcheck.toml", Path::new("/repo"), text).expect("valid")
    }

    #[test]
    fn flags_beat_overrides_beat_the_file_beat_defaults() {
        let c = config(
            "select = [\"CO\"]\nignore = [\"CO001\"]\n[[overrides]]\npaths = [\"legacy/**\"]\nselect = [\"DE\"]\nignore = [\"DE001\"]\n",
        );
        let none = Flags::default();
        let prod = Effective::resolve(Some(&c), &none, Some(Path::new("/repo/prod/cib.xml")));
        assert_eq!(prod.select.value, vec!["CO"]);
        assert!(
            matches!(&prod.select.origin, Origin::File { key, line: 1, .. } if key == "select")
        );
        assert!(!prod.selection().enabled("CO001"));
        assert!(prod.selection().enabled("CO002"));

        let legacy = Effective::resolve(Some(&c), &none, Some(Path::new("/repo/legacy/a/cib.xml")));
        assert_eq!(legacy.overrides, vec![0]);
        assert!(legacy.selection().enabled("DE002"));
        assert!(!legacy.selection().enabled("DE001"));
        assert!(!legacy.selection().enabled("CO002"));

        let flags = Flags {
            select: vec!["dr,fe".into()],
            ignore: Vec::new(),
            fail_on: Some(Severity::Error),
        };
        let flagged = Effective::resolve(Some(&c), &flags, Some(Path::new("/repo/legacy/cib.xml")));
        assert_eq!(flagged.select.value, vec!["DR", "FE"]);
        assert_eq!(flagged.select.origin, Origin::Flag("--select"));
        assert_eq!(flagged.fail_on.origin, Origin::Flag("--fail-on"));

        let default = Effective::resolve(None, &none, None);
        assert_eq!(default.fail_on.value, Severity::Warning);
        assert_eq!(default.fail_on.origin, Origin::Default);
        assert!(default.selection().enabled("BL001"));
    }

    #[test]
    fn per_path_severity_replaces_the_top_level_one() {
        let c = config(
            "[severity]\nCO006 = \"warning\"\n[[overrides]]\npaths = [\"legacy/*.xml\"]\nseverity = { CO006 = \"info\" }\n",
        );
        let at = |p: &str| {
            Effective::resolve(Some(&c), &Flags::default(), Some(Path::new(p))).severity["CO006"]
                .value
        };
        assert_eq!(at("/repo/cib.xml"), Severity::Warning);
        assert_eq!(at("/repo/legacy/cib.xml"), Severity::Info);
        // `*` does not cross directories.
        assert_eq!(at("/repo/legacy/old/cib.xml"), Severity::Warning);
    }
}
