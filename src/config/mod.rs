//! `cibcheck.toml`: lint settings kept beside the CIBs they govern.
//!
//! A file is found by walking up from each CIB's directory (from the
//! working directory for stdin and `--live`), or named with `--config`.
//! Parsing checks every key and value and keeps each one's byte span, so
//! that a mistake is reported at its place in the TOML; [`effective`]
//! then combines the file, the command-line flags and the defaults for
//! one CIB, remembering where each value came from.

pub mod effective;

use crate::cib::time::{days_from_civil, Instant};
use crate::diag::Severity;
use crate::lint::rule_by_code;
use crate::xml::Span;
use globset::GlobMatcher;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The file name searched for.
pub const FILE_NAME: &str = "cibcheck.toml";

/// Which configuration file applies (the global `--config` / `--no-config`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// Walk up from each CIB's directory.
    #[default]
    Discover,
    /// This file, for every CIB.
    File(PathBuf),
    /// Defaults and flags only.
    Disabled,
}

/// A problem in a configuration file, at its place in the text.
#[derive(Debug)]
pub struct ConfigError {
    /// The file as named to the user.
    pub name: String,
    pub text: Arc<str>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// A value and the span of its text in the file.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// Per-path settings: `[[overrides]]`.
#[derive(Debug)]
pub struct Override {
    pub globs: Vec<Located<String>>,
    matchers: Vec<GlobMatcher>,
    pub select: Option<Located<Vec<String>>>,
    pub ignore: Option<Located<Vec<String>>>,
    pub severity: Vec<(Located<String>, Located<Severity>)>,
}

impl Override {
    /// Whether the override governs `rel`, a path relative to the
    /// configuration file's directory (with `/` separators).
    pub fn matches(&self, rel: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(rel))
    }
}

/// An accepted finding: `[[accept]]`.
#[derive(Debug)]
pub struct Accept {
    /// The rule's code (a rule name in the file is resolved to its code).
    pub rule: Located<&'static str>,
    pub id: Located<String>,
    pub reason: String,
    /// The last day (UTC) on which the entry hides its finding.
    pub until: Option<Located<(i64, u32, u32)>>,
    /// Where the `[[accept]]` table starts.
    pub span: Span,
}

impl Accept {
    /// Whether the entry's `until` day is over at `now`.
    pub fn expired(&self, now: Instant) -> bool {
        self.until.as_ref().is_some_and(|u| {
            let (y, m, d) = u.value;
            now.0.div_euclid(86_400) > days_from_civil(y, m, d)
        })
    }
    pub fn until_text(&self) -> Option<String> {
        self.until.as_ref().map(|u| {
            let (y, m, d) = u.value;
            format!("{y:04}-{m:02}-{d:02}")
        })
    }
}

/// A parsed and checked `cibcheck.toml`.
#[derive(Debug)]
pub struct Config {
    /// The file as named to the user (relative to the working directory
    /// when it is below it).
    pub name: String,
    /// The directory per-path globs are relative to (absolute).
    pub dir: PathBuf,
    pub text: Arc<str>,
    pub select: Option<Located<Vec<String>>>,
    pub ignore: Option<Located<Vec<String>>>,
    pub fail_on: Option<Located<Severity>>,
    pub severity: Vec<(Located<String>, Located<Severity>)>,
    pub overrides: Vec<Override>,
    pub accept: Vec<Accept>,
}

// The file's shape. Every table refuses unknown keys, so a typo is an
// error at the key instead of a setting silently not taken.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Spanned<Vec<Spanned<String>>>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    overrides: Vec<Spanned<RawOverride>>,
    #[serde(default)]
    accept: Vec<Spanned<RawAccept>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Spanned<Vec<Spanned<String>>>,
    select: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAccept {
    rule: Spanned<String>,
    id: Spanned<String>,
    reason: Spanned<String>,
    until: Option<Spanned<toml::Value>>,
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

impl Config {
    /// Parse and check a configuration's text. `name` is how the file is
    /// shown; `dir` anchors its per-path globs.
    pub fn parse(name: &str, dir: &Path, text: &str) -> Result<Config, ConfigError> {
        let text: Arc<str> = Arc::from(text);
        let err = |span: Span, message: String, help: Option<String>| ConfigError {
            name: name.to_owned(),
            text: text.clone(),
            span,
            message,
            help,
        };
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end));
            let help = e
                .message()
                .starts_with("unknown field")
                .then(|| "the keys are described in docs/configuration.md".to_owned());
            // serde's word is "field"; the file's is "key".
            let message = e
                .message()
                .trim_end()
                .replace("unknown field", "unknown key");
            err(span, message, help)
        })?;
        let selectors = |list: Option<Spanned<Vec<Spanned<String>>>>, key: &str| {
            let Some(list) = list else { return Ok(None) };
            let span = span_of(&list);
            let mut out = Vec::new();
            for s in list.into_inner() {
                let v = s.get_ref().trim().to_ascii_uppercase();
                let known = v == "ALL"
                    || crate::lint::RULES
                        .iter()
                        .any(|r| r.code.starts_with(v.as_str()));
                if v.is_empty() || !known {
                    return Err(err(
                        span_of(&s),
                        format!("`{key}`: selector `{}` matches no rule", s.get_ref()),
                        Some("`cibcheck rules` lists the codes; a prefix such as `CO` selects a family".into()),
                    ));
                }
                out.push(v);
            }
            Ok(Some(Located { value: out, span }))
        };
        let severity_of = |s: &Spanned<String>, key: &str| {
            Severity::parse(s.get_ref()).ok_or_else(|| {
                err(
                    span_of(s),
                    format!(
                        "`{key}` must be \"error\", \"warning\" or \"info\", not `{}`",
                        s.get_ref()
                    ),
                    None,
                )
            })
        };
        let severities = |table: BTreeMap<Spanned<String>, Spanned<String>>| {
            let mut out = Vec::new();
            for (k, v) in table {
                let code = rule_by_code(k.get_ref()).ok_or_else(|| {
                    err(
                        span_of(&k),
                        format!("`severity`: `{}` is not a rule code", k.get_ref()),
                        Some("`cibcheck rules` lists the codes".into()),
                    )
                })?;
                let sev = severity_of(&v, &format!("severity.{}", k.get_ref()))?;
                out.push((
                    Located {
                        value: code.code.to_owned(),
                        span: span_of(&k),
                    },
                    Located {
                        value: sev,
                        span: span_of(&v),
                    },
                ));
            }
            Ok(out)
        };
        let select = selectors(raw.select, "select")?;
        let ignore = selectors(raw.ignore, "ignore")?;
        let fail_on = match raw.fail_on {
            Some(f) => Some(Located {
                value: severity_of(&f, "fail-on")?,
                span: span_of(&f),
            }),
            None => None,
        };
        let severity = severities(raw.severity)?;
        let mut overrides = Vec::new();
        for o in raw.overrides {
            let o = o.into_inner();
            if o.paths.get_ref().is_empty() {
                return Err(err(
                    span_of(&o.paths),
                    "`overrides.paths` is empty: the override would govern no file".into(),
                    None,
                ));
            }
            let mut globs = Vec::new();
            let mut matchers = Vec::new();
            for g in o.paths.into_inner() {
                // `*` stays within one directory; `**` crosses them.
                let glob = globset::GlobBuilder::new(g.get_ref())
                    .literal_separator(true)
                    .build()
                    .map_err(|e| {
                        err(
                            span_of(&g),
                            format!("`overrides.paths`: bad glob `{}`: {}", g.get_ref(), e.kind()),
                            Some("globs are relative to the directory of this file, e.g. \"legacy/**\"".into()),
                        )
                    })?;
                matchers.push(glob.compile_matcher());
                globs.push(Located {
                    value: g.get_ref().clone(),
                    span: span_of(&g),
                });
            }
            overrides.push(Override {
                globs,
                matchers,
                select: selectors(o.select, "overrides.select")?,
                ignore: selectors(o.ignore, "overrides.ignore")?,
                severity: severities(o.severity)?,
            });
        }
        let mut accept = Vec::new();
        for a in raw.accept {
            let span = span_of(&a);
            let a = a.into_inner();
            let rule = rule_by_code(a.rule.get_ref()).ok_or_else(|| {
                err(
                    span_of(&a.rule),
                    format!("`accept.rule`: `{}` is not a rule code", a.rule.get_ref()),
                    Some("`cibcheck rules` lists the codes".into()),
                )
            })?;
            if a.reason.get_ref().trim().is_empty() {
                return Err(err(
                    span_of(&a.reason),
                    "`accept.reason` is empty: say why the finding is accepted".into(),
                    None,
                ));
            }
            let until = match &a.until {
                None => None,
                Some(u) => Some(Located {
                    value: parse_day(u.get_ref()).ok_or_else(|| {
                        err(
                            span_of(u),
                            format!("`accept.until` is not a date: {}", describe(u.get_ref())),
                            Some(
                                "write the last day the entry applies, e.g. until = \"2027-03-01\""
                                    .into(),
                            ),
                        )
                    })?,
                    span: span_of(u),
                }),
            };
            accept.push(Accept {
                rule: Located {
                    value: rule.code,
                    span: span_of(&a.rule),
                },
                id: Located {
                    value: a.id.get_ref().clone(),
                    span: span_of(&a.id),
                },
                reason: a.reason.into_inner(),
                until,
                span,
            });
        }
        Ok(Config {
            name: name.to_owned(),
            dir: dir.to_path_buf(),
            text,
            select,
            ignore,
            fail_on,
            severity,
            overrides,
            accept,
        })
    }

    /// Read and parse the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = display_name(path);
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            name: name.clone(),
            text: Arc::from(""),
            span: Span::default(),
            message: format!("cannot read the configuration: {e}"),
            help: None,
        })?;
        let abs = absolute(path);
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::parse(&name, &dir, &text)
    }

    /// `path` (a CIB) relative to this file's directory, with `/`
    /// separators; `None` when it is not below it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let abs = absolute(path);
        let rel = abs.strip_prefix(&self.dir).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

/// A value as the user wrote it, roughly, for messages.
fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("\"{s}\""),
        toml::Value::Datetime(d) => d.to_string(),
        other => format!("a {}", other.type_str()),
    }
}

/// A day, from a TOML date or a `YYYY-MM-DD` string.
fn parse_day(v: &toml::Value) -> Option<(i64, u32, u32)> {
    match v {
        toml::Value::Datetime(dt) if dt.time.is_none() => {
            let d = dt.date?;
            Some((i64::from(d.year), u32::from(d.month), u32::from(d.day)))
        }
        toml::Value::String(s) => {
            let mut it = s.trim().splitn(3, '-');
            let (y, m, d) = (it.next()?, it.next()?, it.next()?);
            if y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return None;
            }
            let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
            let ok = (1..=12).contains(&m) && d >= 1 && d <= crate::cib::time::days_in_month(y, m);
            ok.then_some((y, m, d))
        }
        _ => None,
    }
}

/// `path` made absolute against the working directory, `.` and `..`
/// resolved lexically (symbolic links are left alone, as a user names
/// paths).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as shown to the user: relative to the working directory when
/// it is below it.
pub fn display_name(path: &Path) -> String {
    let abs = absolute(path);
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| abs.strip_prefix(cwd).ok().map(Path::to_path_buf))
    {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// The nearest `cibcheck.toml` in `start` or a directory above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = absolute(start);
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Where the search for a CIB's configuration starts: its directory, or
/// the working directory for stdin and the live cluster (`None`).
pub fn search_start(cib: Option<&Path>) -> PathBuf {
    match cib {
        Some(p) if p.is_dir() => p.to_path_buf(),
        Some(p) => match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        },
        None => PathBuf::from("."),
    }
}

/// The configuration file for a CIB under `choice`, if any.
pub fn locate(choice: &Choice, cib: Option<&Path>) -> Option<PathBuf> {
    match choice {
        Choice::Disabled => None,
        Choice::File(f) => Some(f.clone()),
        Choice::Discover => discover(&search_start(cib)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse("cibcheck.toml", Path::new("/repo"), text)
    }

    fn error_at(text: &str) -> (String, String) {
        match parse(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => (
                text[e.span.start as usize..e.span.end as usize].to_owned(),
                e.message,
            ),
        }
    }

    #[test]
    fn every_key_is_read() {
        let c = parse(
            r#"
select = ["co", "DR001"]
ignore = ["CO001"]
fail-on = "error"
[severity]
CO006 = "warning"
leftover-move-constraint = "info"
[[overrides]]
paths = ["legacy/**"]
ignore = ["DE"]
[[accept]]
rule = "CO004"
id = "o1"
reason = "known"
until = 2027-03-01
"#,
        )
        .expect("valid");
        assert_eq!(
            c.select.map(|s| s.value),
            Some(vec!["CO".into(), "DR001".into()])
        );
        assert_eq!(c.fail_on.map(|f| f.value), Some(Severity::Error));
        let sev: Vec<_> = c
            .severity
            .iter()
            .map(|(k, v)| (k.value.as_str(), v.value))
            .collect();
        assert_eq!(
            sev,
            vec![("CO006", Severity::Warning), ("CO001", Severity::Info)]
        );
        assert!(c.overrides[0].matches("legacy/a/cib.xml"));
        assert!(!c.overrides[0].matches("prod/cib.xml"));
        assert_eq!(c.accept[0].until_text().as_deref(), Some("2027-03-01"));
    }

    #[test]
    fn errors_point_at_the_key_or_value() {
        assert_eq!(error_at("selct = [\"CO\"]\n").0, "selct");
        assert_eq!(
            error_at("[[accept]]\nrule='CO004'\nid='a'\nreason='r'\nwhen=1\n").0,
            "when"
        );
        assert_eq!(error_at("select = [\"ZZ9\"]\n").0, "\"ZZ9\"");
        assert_eq!(error_at("fail-on = \"fatal\"\n").0, "\"fatal\"");
        assert_eq!(error_at("[severity]\nXX001 = \"error\"\n").0, "XX001");
        assert_eq!(error_at("[[overrides]]\npaths = [\"a/[\"]\n").0, "\"a/[\"");
        let (at, msg) =
            error_at("[[accept]]\nrule='CO004'\nid='a'\nreason='r'\nuntil='2027-02-30'\n");
        assert_eq!(at, "'2027-02-30'");
        assert!(msg.contains("not a date"), "{msg}");
    }

    #[test]
    fn until_is_the_last_day_that_hides() {
        let c = parse("[[accept]]\nrule='CO004'\nid='a'\nreason='r'\nuntil='2027-03-01'\n")
            .expect("valid");
        let at = |s: &str| crate::cib::time::parse_instant(s).expect("instant");
        assert!(!c.accept[0].expired(at("2027-03-01T23:59:59Z")));
        assert!(c.accept[0].expired(at("2027-03-02T00:00:00Z")));
    }

    #[test]
    fn relative_paths_use_slashes_below_the_file() {
        let c = parse("").expect("empty is valid");
        assert_eq!(
            c.relative(Path::new("/repo/legacy/x.xml")).as_deref(),
            Some("legacy/x.xml")
        );
        assert_eq!(c.relative(Path::new("/elsewhere/x.xml")), None);
    }
}
