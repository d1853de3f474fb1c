//! The linter: a registry of rules, selection by code or prefix, and the
//! run over one loaded CIB.
//!
//! A rule is one file under `rules/<family>/`, exposing
//! `pub fn check(cx: &Context, em: &mut Emitter)`; its code, name, category
//! and doc are declared once, in [`registry`].

pub mod context;
pub mod outcome;
pub mod registry;
pub mod report_copies;
pub mod rules;
pub mod select;

pub use context::Context;
pub use outcome::{Baseline, FileOutcome};
pub use registry::{rule_by_code, Category, RuleMeta, RULES};
pub use select::Selection;

use crate::cib::time::Instant;
use crate::cib::SourceFile;
use crate::diag::{Diagnostic, Severity};
use crate::xml::{ParseLimits, Span};
use std::sync::Arc;

/// Ids for a message: "`a`", "`a` and `b`", "`a`, `b` and `c`", at most
/// five named and the rest counted. Messages name what to change, since
/// only the human output shows labels.
pub fn id_list<S: AsRef<str>>(ids: &[S]) -> String {
    const SHOWN: usize = 5;
    let mut named: Vec<String> = ids
        .iter()
        .take(SHOWN)
        .map(|i| format!("`{}`", i.as_ref()))
        .collect();
    if ids.len() > SHOWN {
        named.push(format!("{} more", ids.len() - SHOWN));
    }
    match named.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Collects one rule's findings, filling in its code, name and severity.
pub struct Emitter<'a> {
    meta: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl Emitter<'_> {
    /// A finding of this rule at `span`; push it with [`Emitter::push`].
    pub fn diag(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            self.meta.code,
            self.meta.name,
            self.meta.category.severity(),
            span,
            message,
        )
    }
    pub fn push(&mut self, mut d: Diagnostic) {
        d.input_error = self.meta.category == Category::Input;
        self.out.push(d);
    }
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

/// Run the selected rules over a loaded CIB. Findings come back ordered by
/// position, then code.
pub fn lint(cx: &Context, selection: &Selection) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A partial dump (`cibadmin --scope`) lacks sections some rules need:
    // judged without them, they would report what is merely not exported.
    let judgeable = |code: &str| match &cx.cib.partial {
        None => true,
        Some(p) => !registry::needs_sections(code).iter().any(|s| p.lacks(s)),
    };
    for meta in RULES
        .iter()
        .filter(|m| selection.enabled(m.code) && judgeable(m.code))
    {
        let mut em = Emitter {
            meta,
            out: &mut out,
        };
        (meta.check)(cx, &mut em);
    }
    out.sort_by(|a, b| (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message)));
    out.dedup();
    out
}

/// Highest severity among the findings, if any.
pub fn worst(diags: &[Diagnostic]) -> Option<Severity> {
    diags.iter().map(|d| d.severity).max()
}

/// The outcome for a file that could not be loaded at all (IN000).
pub fn unreadable(
    name: String,
    source: Arc<str>,
    message: String,
    span: Span,
    help: Option<String>,
) -> FileOutcome {
    let meta = rule_by_code("IN000");
    let mut d = Diagnostic::new(
        "IN000",
        meta.map(|m| m.name).unwrap_or("unreadable-input"),
        Severity::Error,
        span,
        message,
    );
    d.help = help;
    d.input_error = true;
    FileOutcome {
        name,
        source,
        diagnostics: vec![d],
        suppressed: 0,
        accepted: 0,
        pacemaker: None,
    }
}

/// Load a source text and lint it: the whole pipeline for one file.
pub fn lint_source(
    source: SourceFile,
    now: Instant,
    selection: &Selection,
    limits: ParseLimits,
) -> FileOutcome {
    lint_source_for(source, now, selection, limits, None)
}

/// [`lint_source`], judging also for an upgrade to `target` (`--target`).
pub fn lint_source_for(
    source: SourceFile,
    now: Instant,
    selection: &Selection,
    limits: ParseLimits,
    target: Option<&'static crate::profile::Profile>,
) -> FileOutcome {
    match crate::cib::load(source.clone(), limits) {
        Err(e) => unreadable(source.name, source.text, e.message, e.span, e.help),
        Ok(model) => {
            let cx = Context::new(&model, now).with_target(target);
            let diagnostics = lint(&cx, selection);
            drop(cx);
            let pacemaker = Some((model.pacemaker, model.pacemaker_chosen));
            crate::cib::dispose(model);
            FileOutcome {
                name: source.name,
                source: source.text,
                diagnostics,
                suppressed: 0,
                accepted: 0,
                pacemaker,
            }
        }
    }
}
