//! Version profiles: the Pacemaker release whose decisions cibcheck
//! reproduces for a CIB. One scheduler serves every release; each place
//! where releases decide differently consults a named switch of the
//! profile, and this table is the one place that lists them all (a later
//! release is a new row).
//!
//! The profile comes from `--pacemaker VERSION` when given, else from the
//! CIB's `dc-version` (the release of the same series, else the newest one
//! before it), else [`DEFAULT`]: Pacemaker 2.1.5, the release of the
//! enterprise distributions most clusters still run (RHEL 8/9, SLES 15,
//! Debian 12, Ubuntu 24.04 ship 2.1.x) and the one cibcheck is measured
//! against most closely.

use std::sync::OnceLock;

/// One Pacemaker release and how it decides where releases differ.
#[derive(Debug, PartialEq, Eq)]
pub struct Profile {
    /// The release, as `--pacemaker` names it.
    pub name: &'static str,
    pub version: [u32; 3],
    /// Pacemaker 3.0.0 renamed `stonith-enabled` to `fencing-enabled`
    /// (the old name is read when the new one is not set); 2.1.5 knows
    /// only `stonith-enabled` and ignores `fencing-enabled`.
    pub fencing_enabled_option: bool,
    /// The clone and bundle assignment functions, as `crm_simulate -s`
    /// names them in its score lines (3.0.0 renamed `*_allocate` to
    /// `*_assign`).
    pub clone_assign_fn: &'static str,
    pub bundle_assign_fn: &'static str,
    /// 3.0.0 gives an instance that will not be active the promotion
    /// priority -INFINITY (2.1.5 leaves the one it had) and shows its
    /// score as `RSC promotion score (inactive): S`, not `on none`.
    pub inactive_promotion_minus_infinity: bool,
    /// 3.0.0 assigns a primitive's colocation primary only while it is
    /// unassigned; 2.1.5 calls its assignment every time, which for a
    /// bundle prints its score table again (`crm_simulate -s`).
    pub coloc_assigns_unassigned_primary_only: bool,
}

/// Every profile, oldest first.
pub static PROFILES: &[Profile] = &[
    Profile {
        name: "2.1.5",
        version: [2, 1, 5],
        fencing_enabled_option: false,
        clone_assign_fn: "pcmk__clone_allocate",
        bundle_assign_fn: "pcmk__bundle_allocate",
        inactive_promotion_minus_infinity: false,
        coloc_assigns_unassigned_primary_only: false,
    },
    Profile {
        name: "3.0.2",
        version: [3, 0, 2],
        fencing_enabled_option: true,
        clone_assign_fn: "pcmk__clone_assign",
        bundle_assign_fn: "pcmk__bundle_assign",
        inactive_promotion_minus_infinity: true,
        coloc_assigns_unassigned_primary_only: true,
    },
];

/// The profile used when neither `--pacemaker` nor `dc-version` says.
pub const DEFAULT: &Profile = &PROFILES[0];

/// How the profile was chosen, for outputs that say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chosen {
    /// `--pacemaker` on the command line.
    Flag,
    /// The CIB's `dc-version`.
    DcVersion,
    /// Neither: the documented default.
    Default,
}

impl Chosen {
    pub fn describe(self) -> &'static str {
        match self {
            Chosen::Flag => "--pacemaker",
            Chosen::DcVersion => "dc-version",
            Chosen::Default => "default",
        }
    }
}

/// The leading `X.Y.Z` of a version string (`2.1.5-a3f4479`, `3.0.2`,
/// `1.1.10-14.el6`); missing parts count as 0.
fn parse_version(text: &str) -> Option<[u32; 3]> {
    let head = text.trim().split(['-', '+', ' ']).next()?;
    let mut v = [0u32; 3];
    let mut parts = head.split('.');
    v[0] = parts.next()?.parse().ok()?;
    for slot in v.iter_mut().skip(1) {
        match parts.next() {
            Some(p) => *slot = p.parse().ok()?,
            None => break,
        }
    }
    Some(v)
}

/// The profile for a release: the one of the same major.minor series,
/// else the newest profile released before it.
pub fn for_version(text: &str) -> Option<&'static Profile> {
    let v = parse_version(text)?;
    PROFILES
        .iter()
        .rev()
        .find(|p| p.version[..2] == v[..2])
        .or_else(|| PROFILES.iter().rev().find(|p| p.version <= v))
}

/// `--pacemaker VERSION`: a profile's exact name, or a release it stands
/// for (`3.0`, `3.0.1`, `2.1.7`).
pub fn by_name(text: &str) -> Option<&'static Profile> {
    PROFILES
        .iter()
        .find(|p| p.name == text.trim())
        .or_else(|| for_version(text))
}

static OVERRIDE: OnceLock<&'static Profile> = OnceLock::new();

/// Set once by the command line (`--pacemaker`): every CIB of the run is
/// then read as that release reads it.
pub fn set_override(p: &'static Profile) {
    let _ = OVERRIDE.set(p);
}

/// The profile for a CIB whose `dc-version` is `dc_version`.
pub fn choose(dc_version: Option<&str>) -> (&'static Profile, Chosen) {
    if let Some(p) = OVERRIDE.get() {
        return (p, Chosen::Flag);
    }
    match dc_version.and_then(for_version) {
        Some(p) => (p, Chosen::DcVersion),
        None => (DEFAULT, Chosen::Default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_to_the_profile_of_their_series_or_the_one_before() {
        assert_eq!(
            for_version("2.1.5-a3f44794f94").map(|p| p.name),
            Some("2.1.5")
        );
        assert_eq!(
            for_version("2.1.7-0f7f88312").map(|p| p.name),
            Some("2.1.5")
        );
        assert_eq!(for_version("3.0.0").map(|p| p.name), Some("3.0.2"));
        assert_eq!(for_version("3.1.0").map(|p| p.name), Some("3.0.2"));
        assert_eq!(
            for_version("2.1.2+20211124.ada5c3b36-150400.4.9.2").map(|p| p.name),
            Some("2.1.5")
        );
        // Older than every profile: no profile stands for it.
        assert_eq!(for_version("1.1.10-14.el6-368c726"), None);
        assert_eq!(for_version("not a version"), None);
    }

    #[test]
    fn names_and_series_are_accepted_on_the_command_line() {
        assert_eq!(by_name("3.0.2").map(|p| p.name), Some("3.0.2"));
        assert_eq!(by_name("3.0").map(|p| p.name), Some("3.0.2"));
        assert_eq!(by_name("2.1").map(|p| p.name), Some("2.1.5"));
        assert!(by_name("1.0").is_none());
    }
}
