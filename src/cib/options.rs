//! Cluster options as Pacemaker 2.1.5 reads them: the crm_config sets in
//! its precedence (see [`nvset::precedence`]), rules evaluated at the
//! effective time, and, on a CIB whose schema predates pacemaker-3.0, the
//! legacy underscore names that the schema upgrade renames (Pacemaker
//! upgrades such a CIB in memory before reading it; a pacemaker-3.x CIB
//! holding them fails schema validation and is refused whole).

use super::nvset::{self, NvPair, NvSet};
use super::rule::RuleContext;
use super::time::Instant;
use super::Cib;

/// The crm_config set read before all others.
pub const BOOTSTRAP_SET: &str = "cib-bootstrap-options";

/// Legacy cluster option names and the names the upgrade to pacemaker-3.0
/// (`upgrade-2.10.xsl`) renames them to, in place.
pub const LEGACY_NAMES: &[(&str, &str)] = &[
    ("cluster_recheck_interval", "cluster-recheck-interval"),
    ("dc_deadtime", "dc-deadtime"),
    ("election_timeout", "election-timeout"),
    ("no_quorum_policy", "no-quorum-policy"),
    ("remove_after_stop", "remove-after-stop"),
    ("shutdown_escalation", "shutdown-escalation"),
    ("startup_fencing", "startup-fencing"),
    ("stonith_action", "stonith-action"),
    ("stonith_enabled", "stonith-enabled"),
    ("stop_orphan_actions", "stop-orphan-actions"),
    ("stop_orphan_resources", "stop-orphan-resources"),
    ("symmetric_cluster", "symmetric-cluster"),
    ("transition_idle_timeout", "cluster-delay"),
];

/// A crm_config set with its legacy option names renamed, as the schema
/// upgrade does.
pub fn with_current_names(set: &NvSet) -> NvSet {
    let mut set = set.clone();
    for p in &mut set.pairs {
        if let Some(new) = current_name(&p.name) {
            p.name = new.to_owned();
        }
    }
    set
}

/// Cluster option names the upgrade drops (their setting moved elsewhere,
/// or has no effect any more); with [`LEGACY_NAMES`], the names the
/// pacemaker-3.x schemas reject in a `cluster_property_set`.
pub const DROPPED_NAMES: &[&str] = &[
    "default-action-timeout",
    "default_action_timeout",
    "default-migration-threshold",
    "default_migration_threshold",
    "default-resource-failure-stickiness",
    "default_resource_failure_stickiness",
    "default-resource-stickiness",
    "default_resource_stickiness",
    "expected-quorum-votes",
    "is-managed-default",
    "is_managed_default",
    "notification-agent",
    "notification-recipient",
];

/// The current name for a legacy cluster option name, if it has one.
pub fn current_name(legacy: &str) -> Option<&'static str> {
    LEGACY_NAMES
        .iter()
        .find(|(old, _)| *old == legacy)
        .map(|(_, new)| *new)
}

impl Cib {
    /// Whether Pacemaker upgrades this CIB's schema before reading it: a
    /// `validate-with` before pacemaker-3.0 (or none at all). `none` and
    /// `pacemaker-next` are not upgraded.
    pub fn schema_upgraded_on_read(&self) -> bool {
        let Some(v) = self.validate_with.as_deref().map(str::trim) else {
            return true;
        };
        if v.starts_with("transitional-") {
            return true;
        }
        v.strip_prefix("pacemaker-")
            .and_then(|r| r.split('.').next())
            .and_then(|major| major.parse::<u32>().ok())
            .is_some_and(|major| major < 3)
    }

    /// The nvpair that sets cluster option `name` at `now`, as Pacemaker
    /// reads it (see the module documentation).
    pub fn cluster_option_at(&self, name: &str, now: Instant) -> Option<&NvPair> {
        let mut aliases: Vec<&str> = Vec::new();
        if self.schema_upgraded_on_read() {
            aliases.extend(
                LEGACY_NAMES
                    .iter()
                    .filter(|(_, new)| *new == name)
                    .map(|(old, _)| *old),
            );
        }
        let sets: Vec<_> = self.crm_config.iter().collect();
        let ctx = RuleContext {
            now: Some(now),
            ..Default::default()
        };
        nvset::effective_pair(&sets, Some(BOOTSTRAP_SET), name, &aliases, &ctx)
    }
}
