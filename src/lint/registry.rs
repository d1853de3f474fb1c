//! The one table of rule codes. Codes are stable: a retired code stays
//! listed and is never reused.

use super::rules::*;
use super::{Context, Emitter};
use crate::diag::Severity;

/// What kind of problem a rule finds; sets its default severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// The CIB is invalid: the file's outcome is an input error (exit 2).
    Input,
    /// Pacemaker will misbehave or refuse part of the configuration.
    Correctness,
    /// Very likely a mistake or a risk.
    Suspicious,
    /// Outdated syntax that still works.
    Deprecated,
    /// Worth knowing; not a problem by itself.
    Informational,
}

impl Category {
    pub fn severity(self) -> Severity {
        match self {
            Category::Input | Category::Correctness => Severity::Error,
            Category::Suspicious => Severity::Warning,
            Category::Deprecated | Category::Informational => Severity::Info,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Correctness => "correctness",
            Category::Suspicious => "suspicious",
            Category::Deprecated => "deprecated",
            Category::Informational => "informational",
        }
    }
}

pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The rule's documentation (`rules/CODE.md`).
    pub doc: &'static str,
    pub check: fn(&Context, &mut Emitter),
}

macro_rules! rule {
    ($code:literal, $name:literal, $cat:ident, $summary:literal, $check:path) => {
        RuleMeta {
            code: $code,
            name: $name,
            category: Category::$cat,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $code, ".md")),
            check: $check,
        }
    };
}

pub static RULES: &[RuleMeta] = &[
    rule!("IN000", "unreadable-input", Input, "the file cannot be read as a CIB (not UTF-8, not XML, not a `<cib>`)", input::unreadable_input::check),
    rule!("IN001", "dangling-reference", Input, "a reference names an id that does not exist", input::dangling_reference::check),
    rule!("IN002", "duplicate-id", Input, "two configuration elements share an id", input::duplicate_id::check),
    rule!("IN003", "unknown-role", Input, "a role name Pacemaker does not know", input::unknown_role::check),
    rule!("IN004", "invalid-score", Input, "a score that is not an integer or INFINITY", input::invalid_score::check),
    rule!("IN005", "invalid-value", Input, "an attribute value outside what Pacemaker accepts", input::invalid_value::check),
    rule!("IN007", "partial-dump", Informational, "the file holds one section of a CIB, not all of it: checks that need the others are skipped", input::partial_dump::check),
    rule!("IN008", "unknown-schema", Input, "`validate-with` names a schema Pacemaker does not have, so crm_verify rejects the CIB", input::unknown_schema::check),
    rule!("IN009", "integer-trailing-characters", Suspicious, "an integer option with trailing characters (`1.0`), which Pacemaker cuts off with a warning", input::pacemaker_resets::integer_trailing_characters),
    rule!("IN010", "promotable-only", Correctness, "a promoted role or a non-OCF agent where only a promotable clone can have it: Pacemaker ignores or refuses it", input::pacemaker_resets::promotable_only),
    rule!("IN011", "anonymous-only-class", Suspicious, "`globally-unique` on a clone of an LSB, systemd or service resource, which Pacemaker ignores", input::pacemaker_resets::anonymous_only_class),
    rule!("IN012", "deprecated-option", Deprecated, "an option Pacemaker 2.1.5 warns is deprecated (`restart-type`, group `ordered`/`collocated`, `score` or `require-all` in orderings, `stonith-action=poweroff`, `remove-after-stop`)", input::pacemaker_resets::deprecated_option),
    rule!("IN006", "unknown-attribute", Suspicious, "an attribute the CIB schema does not define for this element", input::unknown_attribute::check),
    rule!("SC001", "schema-violation", Input, "the CIB breaks the Pacemaker schema its `validate-with` names: crm_verify rejects it, and Pacemaker refuses to load it", schema::schema_violation::check),
    rule!("SC002", "newest-schema-rejects", Deprecated, "with `validate-with=\"none\"`, what the newest schema rejects: turning validation on would fail here", schema::newest_schema_rejects::check),
    rule!("SC003", "cannot-upgrade", Input, "an old CIB that Pacemaker's schema upgrade cannot bring to a current schema, so Pacemaker refuses to load it", schema::cannot_upgrade::check),
    rule!("DR001", "drbd-promoted-dependency", Correctness, "a resource that needs DRBD is not tied to its Promoted role with INFINITY colocation and an order after promote", drbd::promoted_dependency::check),
    rule!("DR002", "drbd-dual-primary-migration", Suspicious, "dual-primary DRBD without live migration, or live migration on single-primary DRBD", drbd::dual_primary_migration::check),
    rule!("DR003", "drbd-fence-constraint", Suspicious, "a constraint left behind by DRBD's fence-peer handler", drbd::fence_constraint::check),
    rule!("DR004", "drbd-without-notify", Correctness, "a DRBD promotable clone without `notify=true`", drbd::without_notify::check),
    rule!("CO001", "leftover-move-constraint", Suspicious, "a `cli-prefer-`/`cli-ban-` constraint left by a move or ban", constraints::leftover_move::check),
    rule!("CO002", "constraint-on-member", Suspicious, "a constraint on a group member or clone child instead of the group or clone", constraints::constraint_on_member::check),
    rule!("CO003", "order-within-group", Suspicious, "an ordering between members of the same group", constraints::order_within_group::check),
    rule!("CO004", "mandatory-order-cycle", Correctness, "mandatory orderings that form a cycle", constraints::order_cycle::check),
    rule!("CO005", "contradictory-colocation", Correctness, "INFINITY and -INFINITY colocations between the same resources", constraints::contradictory_colocation::check),
    rule!("CO006", "banned-everywhere", Correctness, "location constraints ban a resource from every node", constraints::banned_everywhere::check),
    rule!("CO007", "expired-rule", Suspicious, "a constraint or attribute rule whose dates can never match again", constraints::expired_rule::check),
    rule!("CO008", "self-constraint", Correctness, "a colocation or ordering of a resource with itself", constraints::self_constraint::check),
    rule!("CO009", "unknown-node", Suspicious, "a location constraint names a node that is not in the configuration", constraints::unknown_node::check),
    rule!("FE001", "fencing-disabled", Suspicious, "fencing (`stonith-enabled`) is turned off", fencing::fencing_disabled::check),
    rule!("FE002", "no-fencing-device", Correctness, "fencing is enabled but no fencing device is configured", fencing::no_fencing_device::check),
    rule!("FE003", "no-quorum-ignore", Suspicious, "`no-quorum-policy=ignore` on a cluster of more than two nodes", fencing::no_quorum_ignore::check),
    rule!("FE004", "fencing-required-but-disabled", Correctness, "`requires=fencing` or `on-fail=fence` while fencing is disabled", fencing::required_but_disabled::check),
    rule!("OP001", "promotable-monitor-interval-clash", Correctness, "a promotable resource monitors both roles at the same interval", operations::monitor_interval_clash::check),
    rule!("OP002", "duplicate-operation", Correctness, "two operations with the same name, interval and role", operations::duplicate_operation::check),
    rule!("OP003", "missing-monitor", Suspicious, "a primitive without a recurring monitor", operations::missing_monitor::check),
    rule!("OP004", "allow-migrate-unsupported", Suspicious, "`allow-migrate` where live migration cannot happen", operations::allow_migrate_unsupported::check),
    rule!("MA001", "maintenance-mode", Suspicious, "cluster-wide `maintenance-mode` is on", management::maintenance_mode::check),
    rule!("MA002", "unmanaged-resource", Suspicious, "a resource is not managed by the cluster (`is-managed=false` or `maintenance=true`)", management::unmanaged_resource::check),
    rule!("MA003", "target-role-stopped", Informational, "a resource is configured to stay stopped (`target-role=Stopped`)", management::target_role_stopped::check),
    rule!("DE001", "legacy-master-element", Deprecated, "the `<master>` element instead of a promotable `<clone>`", deprecated::legacy_master::check),
    rule!("DE002", "legacy-role-name", Deprecated, "the role names Master/Slave instead of Promoted/Unpromoted", deprecated::legacy_role_name::check),
    rule!("DE003", "old-schema", Deprecated, "the CIB validates against a pacemaker-1.x schema or none", deprecated::old_schema::check),
    rule!("DE004", "upgrade-rewrite", Deprecated, "old syntax that Pacemaker's schema upgrade renames or moves when it loads the CIB", deprecated::schema_upgrade::check_rewrite),
    rule!("DE005", "upgrade-changes-meaning", Suspicious, "old syntax that Pacemaker's schema upgrade drops or replaces, so the cluster does something else than it says", deprecated::schema_upgrade::check_changes_meaning),
    rule!("ST001", "failed-operation", Suspicious, "the status section records a failed operation", status::failed_operation::check),
    rule!("ST002", "fail-count-near-threshold", Suspicious, "a resource's fail count is at or near its `migration-threshold`", status::fail_count_threshold::check),
    rule!("ST003", "node-standby", Informational, "a node is in standby", status::node_standby::check),
    rule!("ST004", "node-maintenance", Informational, "a node is in maintenance mode", status::node_maintenance::check),
    rule!("ST005", "startup-fencing-disabled", Suspicious, "`startup-fencing=false`: nodes never seen are assumed down without fencing", status::scheduler_state::startup_fencing),
    rule!("ST006", "unrunnable-action", Suspicious, "actions the scheduler cannot run because their node is offline or pending", status::scheduler_state::unrunnable_action),
    rule!("ST007", "node-unclean", Suspicious, "a node is unclean: it will be fenced, or cannot be", status::scheduler_state::node_unclean),
    rule!("ST008", "multiply-active", Correctness, "a resource is active on more than one node", status::scheduler_state::multiply_active),
    rule!("ST009", "active-orphan", Suspicious, "a resource no longer configured is still active", status::scheduler_state::active_orphan),
    rule!("ST010", "no-quorum", Suspicious, "the cluster has no quorum: fencing and resource management are disabled", status::scheduler_state::no_quorum),
    rule!("ST011", "unknown-node-state", Suspicious, "the status section holds the state of a node that is not configured", status::scheduler_state::unknown_node_state),
    rule!("BL001", "unmatched-baseline-entry", Suspicious, "a baseline entry that matches no finding", baseline::unmatched_baseline::check),
    rule!("BL002", "unmatched-accepted-finding", Suspicious, "an `[[accept]]` entry of cibcheck.toml that matches no finding", baseline::accept::check_unmatched),
    rule!("BL003", "expired-acceptance", Suspicious, "an `[[accept]]` entry of cibcheck.toml whose `until` day is over", baseline::accept::check_expired),
    rule!("UP001", "master-resource", Deprecated, "`<master>`, which Pacemaker 3.0 reads only as the promotable `<clone>` its schema upgrade makes of it", upgrade::resources::master_resource),
    rule!("UP002", "removed-resource-class", Correctness, "a `nagios` or `upstart` resource, which Pacemaker 3.0 deletes", upgrade::resources::removed_resource_class),
    rule!("UP003", "rkt-bundle", Correctness, "a bundle on rkt containers, which Pacemaker 3.0 deletes", upgrade::resources::rkt_bundle),
    rule!("UP004", "bundle-masters", Deprecated, "the bundle option `masters`, renamed `promoted-max` by Pacemaker 3.0's schema upgrade", upgrade::resources::bundle_masters),
    rule!("UP005", "restart-type", Suspicious, "the `restart-type` meta attribute, which Pacemaker 3.0 drops", upgrade::resources::restart_type),
    rule!("UP006", "operation-failure-option", Suspicious, "`can_fail`, `can-fail` or `role_after_failure` on an operation, which Pacemaker 3.0 drops", upgrade::resources::operation_failure_option),
    rule!("UP007", "clone-node-max-unique-default", Suspicious, "a clone with `clone-node-max` above 1 and no `globally-unique`, which Pacemaker 3.0 makes globally unique", upgrade::resources::clone_unique_default),
    rule!("UP008", "negative-migration-threshold", Suspicious, "a negative `migration-threshold`: 1 for Pacemaker 2.1.5, INFINITY for 3.0", upgrade::resources::negative_migration_threshold),
    rule!("UP009", "rsc-defaults-instance-attributes", Correctness, "`instance_attributes` in `rsc_defaults`, which Pacemaker 3.0's schema rejects", upgrade::resources::rsc_defaults_instance_attributes),
    rule!("UP010", "removed-agent", Correctness, "a resource using `ocf:pacemaker:o2cb`, which Pacemaker 3.0 no longer ships", upgrade::resources::removed_agent),
    rule!("UP011", "location-lifetime", Deprecated, "`lifetime` in a location constraint, folded into its rule by Pacemaker 3.0's schema upgrade", upgrade::constraints::location_lifetime),
    rule!("UP012", "colocation-order-lifetime", Suspicious, "`lifetime` in a colocation or order, which Pacemaker 3.0 drops: the constraint always applies", upgrade::constraints::colocation_order_lifetime),
    rule!("UP013", "constraint-instance-option", Correctness, "`rsc-instance`, `with-rsc-instance`, `first-instance` or `then-instance`, no longer supported by Pacemaker 3.0", upgrade::constraints::constraint_instance_option),
    rule!("UP014", "multiple-top-level-rules", Deprecated, "a location constraint with several top-level rules, split by Pacemaker 3.0's schema upgrade", upgrade::constraints::multiple_top_level_rules),
    rule!("UP015", "constraint-invalid-score", Correctness, "a location or colocation with an invalid score, which Pacemaker 3.0 ignores", upgrade::constraints::constraint_invalid_score),
    rule!("UP016", "constraint-invalid-role", Correctness, "a constraint with an invalid role, which Pacemaker 3.0 ignores", upgrade::constraints::constraint_invalid_role),
    rule!("UP017", "location-invalid-boolean-op", Correctness, "a location rule with an invalid `boolean-op`, which Pacemaker 3.0 ignores", upgrade::constraints::location_invalid_boolean_op),
    rule!("UP018", "ping-node", Suspicious, "a node of type `ping` (or an unknown type), made a banned cluster node by Pacemaker 3.0", upgrade::constraints::ping_node),
    rule!("UP019", "fencing-level-index", Correctness, "a fencing level index outside 1-9, which Pacemaker 3.0 drops", upgrade::constraints::fencing_level_index),
    rule!("UP020", "renamed-cluster-option", Deprecated, "a `crmd-*` cluster option, renamed by Pacemaker 3.0's schema upgrade", upgrade::options::renamed_cluster_option),
    rule!("UP021", "remove-after-stop", Suspicious, "the cluster option `remove-after-stop`, which Pacemaker 3.0 drops", upgrade::options::remove_after_stop),
    rule!("UP022", "stonith-action-poweroff", Deprecated, "`stonith-action=poweroff`, written `off` by Pacemaker 3.0's schema upgrade", upgrade::options::stonith_action_poweroff),
    rule!("UP023", "stonith-enabled-renamed", Deprecated, "`stonith-enabled`, called `fencing-enabled` by Pacemaker 3.0", upgrade::options::stonith_enabled_renamed),
    rule!("UP024", "fencing-enabled-ignored", Suspicious, "`fencing-enabled` contradicts `stonith-enabled`: ignored by 2.1.5, obeyed by 3.0", upgrade::options::fencing_enabled_ignored),
    rule!("UP025", "concurrent-fencing", Deprecated, "the cluster option `concurrent-fencing`, deprecated by Pacemaker 3.0", upgrade::options::concurrent_fencing),
    rule!("UP026", "record-pending", Deprecated, "the operation option `record-pending`, deprecated by Pacemaker 3.0", upgrade::options::record_pending),
    rule!("UP027", "date-spec-moon", Suspicious, "`moon` in a date specification, which Pacemaker 3.0 drops", upgrade::rules::date_spec_moon),
    rule!("UP028", "meta-node-expression", Suspicious, "a node attribute expression in a meta-attribute rule, which Pacemaker 3.0 ignores", upgrade::rules::meta_node_expression),
    rule!("UP029", "nvpair-without-value", Suspicious, "an nvpair without a value, which Pacemaker 3.0 drops", upgrade::rules::nvpair_without_value),
    rule!("UP030", "nvpair-name-with-id-ref", Suspicious, "an nvpair with both `id-ref` and `name`: Pacemaker 3.0 ignores the name", upgrade::rules::nvpair_name_with_id_ref),
    rule!("UP031", "unsupported-schema", Correctness, "a `validate-with` Pacemaker 3.0 refuses (missing, none, pacemaker-next, wrong case, unknown)", upgrade::rules::unsupported_schema),
    rule!("UP032", "stonith-action-renamed", Deprecated, "`stonith-action`, called `fencing-action` by Pacemaker 3.0", upgrade::options::stonith_action_renamed),
    rule!("UP033", "misconfigured-rule-expression", Suspicious, "a rule expression missing what it needs, which Pacemaker 3.0 treats as not passing", upgrade::rules::misconfigured_rule_expression),
    rule!("RP001", "cib-copies-differ", Informational, "in a cluster report, a node's copy of the CIB is not the newest version", report::check),
    rule!("RP002", "configuration-copies-differ", Suspicious, "in a cluster report, nodes' copies of the CIB have different configurations", report::check),
];

/// Sections of the CIB a rule needs to judge at all. In a partial dump
/// lacking one, the rule is skipped (whole CIBs have them all). The root
/// attributes (`validate-with`) count as part of `status`: `cibadmin
/// --scope` exports neither.
pub fn needs_sections(code: &str) -> &'static [&'static str] {
    match code {
        "DE003" => &["status"],
        "FE001" | "FE004" | "MA001" => &["crm_config"],
        "FE002" => &["crm_config", "resources"],
        "FE003" => &["crm_config", "nodes"],
        "DR001" | "CO002" | "CO003" | "CO004" | "CO005" | "CO008" => &["resources", "constraints"],
        "CO006" | "CO009" => &["nodes", "resources", "constraints"],
        "DR002" | "DR004" | "OP004" => &["resources", "constraints"],
        _ => &[],
    }
}

pub fn rule_by_code(code: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
}
