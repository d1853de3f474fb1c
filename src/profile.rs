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
    /// 2.1.5 reads fail counts as the single legacy `fail-count-RSC`
    /// attribute when the CIB's `crm_feature_set` is older than 3.0.13;
    /// 3.0.0 dropped that support and reads only `fail-count-RSC#OP_INTERVAL`.
    pub legacy_fail_counts: bool,
    /// Pacemaker 2.1.7 records a node's `in_ccm` and `crmd` as the times
    /// since which it has been a member and online (the booleans of older
    /// entries are still read), fences nodes pending longer than
    /// `node-pending-timeout`, and judges a fencing request before the
    /// membership (reason "fencing was requested"). 2.1.5 reads only the
    /// booleans.
    pub node_membership_times: bool,
    /// Status display of 3.0.2: a resource in maintenance (its own
    /// `maintenance` meta attribute or cluster `maintenance-mode`) is
    /// flagged `maintenance` rather than `unmanaged`, group headers list
    /// `disabled` before it, and failed probes are described with the
    /// exit-status texts (`Not installed` for 2.1.5's `not installed`).
    /// A resource found active on a node in maintenance is itself in
    /// maintenance (2.1.5 only makes it unmanaged).
    pub status_maintenance_flag: bool,
    /// Cluster options this release reads under a new name first, then
    /// under the old one: (old, new). Pacemaker 3.0.0 renamed the fencing
    /// options and the "orphan" options.
    pub renamed_options: &'static [(&'static str, &'static str)],
    /// 2.1.5 reads the deprecated fencing action `poweroff` as `off`;
    /// 3.0.0 dropped it (an invalid value: the default, `reboot`).
    pub poweroff_fencing_action: bool,
    /// 3.0.0: a clone without `globally-unique` is unique when its
    /// `clone-node-max` is above 1 (2.1.5: anonymous unless said).
    pub unique_when_node_max: bool,
    /// 3.0.2's crm_simulate announces a time given on the command line
    /// ("Setting effective cluster time: …") in its summary output; the
    /// 2.1.5 summaries do not carry that line.
    pub announces_given_time: bool,
    /// The default of `concurrent-fencing`: false in 2.1.5, true in 3.0
    /// (the option itself is deprecated there).
    pub concurrent_fencing_default: bool,
    /// What crm_simulate says first of a CIB with `validate-with="none"`.
    pub schema_none_notice: &'static str,
    /// How a colocation limited to a role filters: 2.1.5 skips a positive
    /// one when the role differs but a negative one when it matches, and
    /// compares a bundle replica's container itself; 2.1.6 onwards skip
    /// either when the role differs, comparing the bundled instance.
    pub colocation_roles_as_written: bool,
    /// Choosing roles, 3.0.2 gives a promotable clone inside a bundle (and
    /// its instances) the bundle's colocations, and no longer merges the
    /// clone's own promoted-role colocations into its node scores a second
    /// time when sorting instances (they count once, per instance).
    pub promotion_with_bundle_colocations: bool,
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
    /// The newest stable CIB schema this release knows: what
    /// `cibadmin --upgrade` stores, and the schema check's SC002 target.
    pub newest_schema: &'static str,
    /// 3.0.0 ignores a history entry whose `rc-code` is missing or outside
    /// 0-255 (2.1.5 reads it as it stands: pending entries written as -1).
    pub history_rc_checked: bool,
    /// crm_simulate's executor of 3.0 records an `on_node` on each result
    /// (the action's node, with the wall clock as `last-rc-change`, so a
    /// result is newer than any earlier one); 2.1.5's records none (an
    /// entry it updates keeps its own, and results compare by call id).
    /// cibcheck records the routing cluster node for 3.0: results then
    /// compare by call id with the entries that node recorded, the same
    /// order without a revised CIB that depends on the clock.
    pub executor_records_on_node: bool,
    /// A mandatory colocation with a clone bans its dependent from the
    /// nodes without a primary instance; 2.1.5 (`node_list_exclude`) also
    /// adds the instances' nodes the dependent was not allowed on, banned,
    /// so they show in `crm_simulate -s`; 3.0.0 leaves them out.
    pub coloc_adds_banned_nodes: bool,
}

/// Every profile, oldest first.
pub static PROFILES: &[Profile] = &[
    Profile {
        name: "2.1.5",
        version: [2, 1, 5],
        legacy_fail_counts: true,
        node_membership_times: false,
        status_maintenance_flag: false,
        renamed_options: &[],
        poweroff_fencing_action: true,
        unique_when_node_max: false,
        announces_given_time: false,
        concurrent_fencing_default: false,
        colocation_roles_as_written: false,
        promotion_with_bundle_colocations: false,
        schema_none_notice: "Schema validation of configuration is disabled (enabling is encouraged and prevents common misconfigurations)",
        clone_assign_fn: "pcmk__clone_allocate",
        bundle_assign_fn: "pcmk__bundle_allocate",
        inactive_promotion_minus_infinity: false,
        history_rc_checked: false,
        executor_records_on_node: false,
        coloc_adds_banned_nodes: true,
        coloc_assigns_unassigned_primary_only: false,
        newest_schema: "pacemaker-3.9",
    },
    Profile {
        name: "3.0.2",
        version: [3, 0, 2],
        legacy_fail_counts: false,
        node_membership_times: true,
        status_maintenance_flag: true,
        renamed_options: &[
            ("stonith-enabled", "fencing-enabled"),
            ("stonith-action", "fencing-action"),
            ("fence-reaction", "fencing-reaction"),
            ("stonith-timeout", "fencing-timeout"),
            ("stonith-max-attempts", "fencing-max-attempts"),
            ("stop-orphan-resources", "stop-removed-resources"),
            ("stop-orphan-actions", "cancel-removed-actions"),
        ],
        poweroff_fencing_action: false,
        unique_when_node_max: true,
        announces_given_time: true,
        concurrent_fencing_default: true,
        colocation_roles_as_written: true,
        promotion_with_bundle_colocations: true,
        schema_none_notice: "Schema validation of configuration is disabled (support for validate-with set to \"none\" is deprecated and will be removed in a future release)",
        clone_assign_fn: "pcmk__clone_assign",
        bundle_assign_fn: "pcmk__bundle_assign",
        inactive_promotion_minus_infinity: true,
        history_rc_checked: true,
        executor_records_on_node: true,
        coloc_adds_banned_nodes: false,
        coloc_assigns_unassigned_primary_only: true,
        newest_schema: "pacemaker-4.0",
    },
];

impl Profile {
    /// Does this release read `fencing-enabled` (3.0's name for
    /// `stonith-enabled`)?
    pub fn reads_fencing_enabled(&self) -> bool {
        self.option_name("stonith-enabled") == "fencing-enabled"
    }

    /// The name this release reads an option under first, given its
    /// 2.1.5 name.
    pub fn option_name(&self, name: &'static str) -> &'static str {
        self.renamed_options
            .iter()
            .find(|(old, _)| *old == name)
            .map_or(name, |(_, new)| new)
    }
}

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
    /// How human outputs say it: "--pacemaker", "from dc-version",
    /// "default".
    pub fn in_words(self) -> &'static str {
        match self {
            Chosen::Flag => "--pacemaker",
            Chosen::DcVersion => "from dc-version",
            Chosen::Default => "default",
        }
    }

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

/// Pacemaker 3.0.0 upgrades every CIB to the pacemaker-4.0 schema when it
/// reads it, and drops, rejects or reads differently syntax that 2.1.5
/// still honours (its ChangeLog, "CIB:" entries). The upgrade lint rules
/// (UP…) report that syntax when the release read or targeted does this.
pub fn drops_pre_4_0_syntax(p: &Profile) -> bool {
    p.version >= [3, 0, 0]
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
