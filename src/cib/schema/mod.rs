//! The schema check: does the CIB validate against the Pacemaker schema
//! its `validate-with` names, what would the newest schema reject, and
//! would Pacemaker load it at all (the verdict `crm_simulate` and the
//! cluster give).
//!
//! What each schema version allows is described in cibcheck's own notation
//! (`schema/pacemaker.schema`, read by [`notation`]), not in Pacemaker's
//! grammar files, which cannot be shipped (GPL) and are not needed: the
//! facts they state are few and change little between versions.
//!
//! How Pacemaker 2.1.5 decides (lib/common/schemas.c):
//! - `crm_verify` validates first against the schema named, as written
//!   (an unknown name fails: "Unknown validator"; `none` passes).
//! - Loading (`crm_simulate`, the scheduler) leaves a CIB naming
//!   pacemaker-3.0 or newer as it is and validates it against that schema.
//!   An older (or unknown) name is upgraded: the first schema from the one
//!   named up that validates the CIB is the start, the transforms run from
//!   there, and the result must validate against pacemaker-3.0 or the CIB
//!   is refused ("Cannot upgrade configuration").
//! - Pacemaker 3.0.2 does the same towards pacemaker-4.0; its last
//!   transform (3.10 → 4.0) is not described here, so under that profile
//!   the verdict is whether some schema from the one named up to 3.10
//!   validates the CIB.

pub mod notation;
pub mod validate;

use crate::xml::{Document, Span};
use notation::{schema, version_index};
pub use validate::{Kind, Violation};

/// The schema facts about one CIB, computed while loading it.
#[derive(Clone, Debug, Default)]
pub struct SchemaCheck {
    /// `validate-with` as written.
    pub named: Option<String>,
    /// Its index in [`notation::VERSIONS`], when this description knows it.
    pub named_version: Option<usize>,
    /// Violations of the named schema by the CIB as written.
    pub violations: Vec<Violation>,
    /// The newest schema of the profile (the one `cibadmin --upgrade`
    /// would store), and what it rejects that the named one accepts.
    pub newest: Option<usize>,
    pub newest_only: Vec<Violation>,
    /// Set when Pacemaker would refuse to load the CIB.
    pub refusal: Option<Refusal>,
}

/// Why Pacemaker would not load the CIB.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub message: String,
    pub span: Span,
    /// The violations that decide it (of the named schema, or of the
    /// upgraded CIB against pacemaker-3.0).
    pub violations: Vec<Violation>,
    /// True when the upgrade decides (an old or unknown schema named);
    /// false when the CIB simply breaks the 3.x schema it names.
    pub upgrade: bool,
}

impl SchemaCheck {
    /// True when the CIB is validated at all (a known schema is named).
    pub fn validated(&self) -> bool {
        self.named_version.is_some()
    }
}

/// The `validate-with` values a release's schemas accept: its schema
/// names and `none`; 2.1.5 also lists the old names it knows of
/// (`pacemaker-0.6`, `transitional-0.6`, `pacemaker-0.7`,
/// `pacemaker-1.1`) and `pacemaker-next`.
pub fn accepted_names(profile: &crate::profile::Profile) -> Vec<&'static str> {
    let newest = idx(profile.newest_schema);
    let mut v: Vec<&'static str> = notation::VERSIONS[..=newest].to_vec();
    v.push("none");
    if profile.version < [3, 0, 0] {
        v.extend([
            "pacemaker-0.6",
            "transitional-0.6",
            "pacemaker-0.7",
            "pacemaker-1.1",
            "pacemaker-next",
        ]);
    }
    v
}

fn idx(name: &str) -> usize {
    version_index(name).unwrap_or(0)
}

/// Validate `doc` (as written, before any upgrade) against its named
/// schema and the newest one of the profile.
pub fn check_as_written(doc: &Document, profile: &crate::profile::Profile) -> SchemaCheck {
    let names = accepted_names(profile);
    let named = doc.root().attr("validate-with").map(str::to_owned);
    let newest = idx(profile.newest_schema);
    let mut out = SchemaCheck {
        named: named.clone(),
        newest: Some(newest),
        ..SchemaCheck::default()
    };
    let Some(name) = named.as_deref() else {
        return out;
    };
    // With validation off nothing is checked by Pacemaker; what the newest
    // schema rejects is what stands between the CIB and turning it on. (The
    // 3.x schemas only ever allow more from one version to the next, so for
    // a CIB naming one of them the newest adds no finding.)
    if name.trim().eq_ignore_ascii_case("none") {
        out.newest_only = validate::validate(schema(), doc, newest, &names);
        return out;
    }
    // pacemaker-next is the development schema: the newest facts.
    let v = if name.trim().eq_ignore_ascii_case("pacemaker-next") {
        Some(newest)
    } else {
        version_index(name).filter(|&v| v <= newest)
    };
    out.named_version = v;
    let Some(v) = v else {
        return out;
    };
    let s = schema();
    out.violations = validate::validate(s, doc, v, &names);
    if v < newest && v >= idx("pacemaker-3.0") {
        let named_keys: std::collections::HashSet<_> =
            out.violations.iter().map(|x| x.key()).collect();
        out.newest_only = validate::validate(s, doc, newest, &names)
            .into_iter()
            .filter(|x| !named_keys.contains(&x.key()))
            .collect();
    }
    if v >= idx("pacemaker-3.0") {
        out.refusal = refuse_if_invalid(doc, &out, profile, v, newest);
    }
    out
}

/// A CIB naming a 3.x schema: loaded as it is, if valid (2.1.5); 3.0.2
/// takes the first schema from the named one up that validates it.
fn refuse_if_invalid(
    doc: &Document,
    check: &SchemaCheck,
    profile: &crate::profile::Profile,
    v: usize,
    newest: usize,
) -> Option<Refusal> {
    let names = accepted_names(profile);
    if check.violations.is_empty() {
        return None;
    }
    let root = doc.root();
    let name = check.named.as_deref().unwrap_or("");
    if profile.version >= [3, 0, 0] {
        let upto = newest.min(idx("pacemaker-3.10"));
        let s = schema();
        if (v + 1..=upto).any(|w| validate::validate(s, doc, w, &names).is_empty()) {
            return None;
        }
        return Some(Refusal {
            message: format!(
                "this CIB does not validate against `{name}` nor any newer schema: Pacemaker {} cannot upgrade it to {} and refuses to load it",
                profile.name, profile.newest_schema
            ),
            span: root.attr_span("validate-with"),
            violations: check.violations.clone(),
            upgrade: false,
        });
    }
    Some(Refusal {
        message: format!(
            "this CIB does not validate against `{name}`, the schema its validate-with names ({} violation{}): Pacemaker {} refuses to load it",
            check.violations.len(),
            if check.violations.len() == 1 { "" } else { "s" },
            profile.name
        ),
        span: root.attr_span("validate-with"),
        violations: check.violations.clone(),
        upgrade: false,
    })
}

/// True when `validate-with` names a schema older than pacemaker-3.0, or
/// one this description does not know (not `none`): Pacemaker upgrades
/// such a CIB when it loads it.
pub fn upgrade_decides(doc: &Document) -> bool {
    let Some(name) = doc.root().attr("validate-with") else {
        return false;
    };
    let t = name.trim();
    if t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("pacemaker-next") {
        return false;
    }
    version_index(t).is_none_or(|v| v < idx("pacemaker-3.0") || v > idx("pacemaker-3.9"))
}

/// For a CIB naming a schema older than pacemaker-3.0 or one this
/// description does not know: whether Pacemaker's upgrade can bring it to
/// 3.0. `original` is the document as written, `upgraded` after cibcheck's
/// in-memory upgrade (the same rewrites as Pacemaker's transforms).
pub fn check_upgrade(
    original: &Document,
    upgraded: &Document,
    check: &mut SchemaCheck,
    profile: &crate::profile::Profile,
) {
    let Some(name) = check.named.clone() else {
        return;
    };
    let t = name.trim();
    if t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("pacemaker-next") {
        return;
    }
    let v3 = idx("pacemaker-3.0");
    let newest = idx(profile.newest_schema);
    let from = match version_index(t).filter(|&v| v <= newest) {
        Some(v) if v >= v3 => return,
        Some(v) => v,
        // An unknown name is tried against every schema from the oldest.
        None => 0,
    };
    let s = schema();
    let names = accepted_names(profile);
    let start = (from..v3).find(|&w| validate::validate(s, original, w, &names).is_empty());
    let root = original.root();
    let span = root.attr_span("validate-with");
    let refusal = match start {
        None => {
            // Valid as it is against a 3.x schema: used without transform.
            if (v3..=newest).any(|w| validate::validate(s, original, w, &names).is_empty()) {
                return;
            }
            Refusal {
                message: format!(
                    "this CIB (claiming `{t}`) cannot be upgraded to pacemaker-3.0: it does not validate against any schema from `{}` on, so Pacemaker {} refuses to load it",
                    validate::version_name(from),
                    profile.name
                ),
                span,
                violations: validate::validate(s, original, from, &names),
                upgrade: true,
            }
        }
        Some(_) => {
            let after = validate::validate(s, upgraded, v3, &names);
            if after.is_empty() {
                return;
            }
            Refusal {
                message: format!(
                    "this CIB (claiming `{t}`) cannot be upgraded to pacemaker-3.0: after the upgrade it still breaks that schema ({} violation{}), so Pacemaker {} refuses to load it",
                    after.len(),
                    if after.len() == 1 { "" } else { "s" },
                    profile.name
                ),
                span,
                violations: after,
                upgrade: true,
            }
        }
    };
    check.refusal = Some(refusal);
}
