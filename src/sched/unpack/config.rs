//! Cluster options (`unpack_config`): crm_config property sets resolved
//! with rules at the effective time, invalid values replaced by defaults.

use super::{is_true, unpack_nvsets, Unpacker};
use crate::cib::load::is_bool;
use crate::cib::rule::RuleContext;
use crate::cib::Score;
use crate::sched::model::NoQuorumPolicy;

impl Unpacker<'_> {
    /// A cluster option's value, by its 2.1.5 name: a release that renamed
    /// it reads the new name first, then the old one.
    fn opt(&self, name: &'static str) -> Option<&String> {
        let current = self.cib.pacemaker.option_name(name);
        self.config.get(current).or_else(|| self.config.get(name))
    }

    /// A boolean option: its value when valid, else the default.
    fn bool_opt(&self, name: &'static str, default: bool) -> bool {
        match self.opt(name) {
            Some(v) if is_bool(v) => is_true(Some(v)),
            _ => default,
        }
    }

    /// A choice among fixed values (any case); anything else is the default.
    fn choice_opt(&self, name: &'static str, values: &[&str], default: &str) -> String {
        self.config
            .get(name)
            .map(|v| v.to_ascii_lowercase())
            .filter(|v| values.contains(&v.as_str()))
            .unwrap_or_else(|| default.into())
    }

    fn interval_opt_s(&self, name: &'static str) -> i64 {
        (super::interval_spec_ms(self.opt(name).map(String::as_str)) / 1000) as i64
    }

    pub(crate) fn unpack_config(&mut self) {
        let ctx = RuleContext {
            now: Some(self.now),
            ..Default::default()
        };
        let sets: Vec<_> = self.cib.crm_config.iter().collect();
        unpack_nvsets(
            &mut self.config,
            &sets,
            Some("cib-bootstrap-options"),
            false,
            &ctx,
        );

        let have_quorum = self.cib.have_quorum.unwrap_or(false);
        let startup_probes = self.bool_opt("enable-startup-probes", true);
        let stonith_enabled = self.bool_opt("stonith-enabled", true);
        let stonith_action = match self.opt("stonith-action").map(String::as_str) {
            Some("off") => "off",
            Some("poweroff") if self.cib.pacemaker.poweroff_fencing_action => "off",
            _ => "reboot",
        };
        let concurrent = self.bool_opt(
            "concurrent-fencing",
            self.cib.pacemaker.concurrent_fencing_default,
        );
        let pfd = self.interval_opt_s("priority-fencing-delay");
        let stop_all = self.bool_opt("stop-all-resources", false);
        let symmetric = self.bool_opt("symmetric-cluster", true);
        let nqp = self
            .config
            .get("no-quorum-policy")
            .map(|v| v.to_ascii_lowercase());
        let have_watchdog = self.bool_opt("have-watchdog", false);
        let stop_orphan_resources = self.bool_opt("stop-orphan-resources", true);
        let stop_orphan_actions = self.bool_opt("stop-orphan-actions", true);
        let maintenance = self.bool_opt("maintenance-mode", false);
        let sfif = self.bool_opt("start-failure-is-fatal", true);
        let startup_fencing = stonith_enabled && self.bool_opt("startup-fencing", true);
        let placement = self.choice_opt(
            "placement-strategy",
            &["default", "utilization", "minimal", "balanced"],
            "default",
        );
        let shutdown_lock = self.bool_opt("shutdown-lock", false);
        let shutdown_lock_limit = if shutdown_lock {
            self.interval_opt_s("shutdown-lock-limit")
        } else {
            0
        };
        let health = self.choice_opt(
            "node-health-strategy",
            &[
                "none",
                "migrate-on-red",
                "only-green",
                "progressive",
                "custom",
            ],
            "none",
        );
        let recheck = self.interval_opt_s("cluster-recheck-interval");
        let node_pending_timeout = if self.cib.pacemaker.node_membership_times {
            self.interval_opt_s("node-pending-timeout")
        } else {
            0
        };
        let quorum_panic = self
            .cib
            .doc
            .root()
            .attr("no-quorum-panic")
            .and_then(super::leading_int)
            .unwrap_or(0);

        let no_quorum_policy = match nqp.as_deref() {
            Some("ignore") => NoQuorumPolicy::Ignore,
            Some("freeze") => NoQuorumPolicy::Freeze,
            Some("demote") => NoQuorumPolicy::Demote,
            Some("suicide") if stonith_enabled && (quorum_panic != 0 || have_quorum) => {
                NoQuorumPolicy::Suicide
            }
            _ => NoQuorumPolicy::Stop,
        };

        let o = &mut self.c.options;
        o.have_quorum = have_quorum;
        o.startup_probes = startup_probes;
        o.have_stonith_resource = have_watchdog;
        o.stonith_enabled = stonith_enabled;
        o.stonith_action = stonith_action.into();
        o.concurrent_fencing = concurrent;
        o.priority_fencing_delay = pfd;
        o.stop_all_resources = stop_all;
        o.symmetric = symmetric;
        o.no_quorum_policy = no_quorum_policy;
        o.stop_orphan_resources = stop_orphan_resources;
        o.stop_orphan_actions = stop_orphan_actions;
        o.maintenance_mode = maintenance;
        o.start_failure_is_fatal = sfif;
        o.startup_fencing = startup_fencing;
        o.placement_strategy = placement;
        o.shutdown_lock = shutdown_lock;
        o.shutdown_lock_limit = shutdown_lock_limit;
        o.node_pending_timeout = node_pending_timeout;
        o.node_health_strategy = health.clone();
        o.cluster_recheck_interval = recheck;
        o.default_stickiness = Score::ZERO;

        // Unfencing is needed when any resource (or rsc_defaults) says so
        // in a plain meta nvpair (Pacemaker's xpath ignores rules).
        let unfencing = |sets: &[crate::cib::NvSet]| {
            sets.iter().flat_map(|s| s.pairs.iter()).any(|p| {
                (p.name == "provides" || p.name == "requires")
                    && p.value.as_deref() == Some("unfencing")
            })
        };
        self.enable_unfencing = unfencing(&self.cib.rsc_defaults)
            || self.cib.resources.iter().any(|r| unfencing(&r.meta))
            || self.cib.templates.iter().any(|r| unfencing(&r.meta));
        self.c.options.enable_unfencing = self.enable_unfencing;

        let h = |name: &str, default: i32, me: &Self| {
            me.config
                .get(name)
                .map(|v| super::char2score(Some(v), (0, 0, 0)))
                .unwrap_or(default)
        };
        self.health_scores = match health.as_str() {
            "none" => (0, 0, 0),
            "migrate-on-red" => (-crate::cib::score::INFINITY, 0, 0),
            "only-green" => (
                -crate::cib::score::INFINITY,
                -crate::cib::score::INFINITY,
                0,
            ),
            _ => (
                h("node-health-red", -crate::cib::score::INFINITY, self),
                h("node-health-yellow", 0, self),
                h("node-health-green", 0, self),
            ),
        };

        self.c.options.node_health_scores = self.health_scores;
        self.c.options.node_health_base = h("node-health-base", 0, self);

        self.legacy_failcounts = crate::sched::failcount::legacy_fail_counts(self.cib);
    }
}
