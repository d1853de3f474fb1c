//! The in-memory schema upgrade Pacemaker 2.1.5 applies to a CIB written
//! for an older schema before anything reads it (what `cibadmin --upgrade`
//! would store). A CIB that names a schema older than pacemaker-3.0 is
//! rewritten in two steps: the pacemaker-1.x ACL syntax becomes the 2.0
//! one, then the 2.x constructs the 3.0 schema rejects are renamed, moved
//! or dropped (legacy cluster option names, `type="normal"` nodes, stonith
//! parameter aliases, `isolation` meta attributes, operation-level
//! `requires`, colocation `score-attribute`).
//!
//! The rewrite edits the parsed [`Document`] in place: elements and
//! attributes it keeps or moves keep their source spans, so every finding
//! still points at the bytes the user gave. Each change is recorded as an
//! [`UpgradeChange`] for lint to report.
//!
//! Pacemaker applies a step only when the CIB does not already validate
//! against the next schema; the constructs each step rewrites are exactly
//! those that schema rejects, so rewriting whatever is found is the same
//! decision without a schema validator.

use crate::xml::{Document, ElemId, Span};

/// The newest stable schema Pacemaker 2.1.5 knows: the upgrade's target.
pub const LATEST_SCHEMA: &str = "pacemaker-3.9";

/// One transform step, named for what it converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeStep {
    /// pacemaker-1.x ACLs to the 2.0 syntax.
    Acls1To2,
    /// pacemaker-2.x constructs to what 3.0 accepts.
    Schema2To3,
}

impl UpgradeStep {
    pub fn label(self) -> &'static str {
        match self {
            UpgradeStep::Acls1To2 => "pacemaker-1.x → 2.0",
            UpgradeStep::Schema2To3 => "pacemaker-2.x → 3.0",
        }
    }
}

/// Whether a change keeps the configuration's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Same meaning under a new name or place.
    Equivalent,
    /// The setting is dropped or replaced by something else: behaviour
    /// after the upgrade differs from what the old syntax asked for.
    Changed,
}

/// One rewrite, located in the original text.
#[derive(Clone, Debug)]
pub struct UpgradeChange {
    pub step: UpgradeStep,
    pub effect: Effect,
    /// The element concerned (it may have been moved or dropped since).
    pub elem: ElemId,
    /// Where the rewritten construct is written.
    pub span: Span,
    pub message: String,
}

/// What the upgrade did.
#[derive(Clone, Debug, Default)]
pub struct SchemaUpgrade {
    /// `validate-with` as written.
    pub from: Option<String>,
    /// The steps applied, in order.
    pub steps: Vec<UpgradeStep>,
    pub changes: Vec<UpgradeChange>,
}

impl SchemaUpgrade {
    /// True when the CIB was read under a newer schema than it names.
    pub fn upgraded(&self) -> bool {
        !self.steps.is_empty()
    }
}

/// A schema name as Pacemaker 2.1.5 knows it: `Some((major, minor))` for
/// a known `pacemaker-X.Y`, `None` for anything it does not know.
pub fn known_schema(name: &str) -> Option<(u32, u32)> {
    let v = name
        .get(..10)
        .filter(|p| p.eq_ignore_ascii_case("pacemaker-"))
        .map(|_| &name[10..])?;
    let (major, minor) = v.split_once('.')?;
    let (major, minor): (u32, u32) = (major.parse().ok()?, minor.parse().ok()?);
    let known = match major {
        1 => matches!(minor, 0 | 2 | 3),
        2 => minor <= 10,
        3 => minor <= 9,
        _ => false,
    };
    known.then_some((major, minor))
}

/// Upgrade `doc` in place as Pacemaker 2.1.5 does when it loads it.
pub fn upgrade(doc: &mut Document) -> SchemaUpgrade {
    let from = doc.root().attr("validate-with").map(str::to_owned);
    let mut up = SchemaUpgrade {
        from: from.clone(),
        ..SchemaUpgrade::default()
    };
    // No `validate-with` means validation "none", and "none" and
    // "pacemaker-next" rank above every stable schema: nothing to do.
    let version = match from.as_deref() {
        None => return up,
        Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("pacemaker-next") => {
            return up
        }
        Some(v) => known_schema(v),
    };
    // An unknown name is tried against every schema from the oldest on.
    let major = version.map_or(0, |v| v.0);
    if major >= 3 {
        return up;
    }
    let Some(conf) = doc.child_named(doc.root, "configuration") else {
        return up;
    };
    let mut ed = Editor {
        doc,
        changes: Vec::new(),
        step: UpgradeStep::Acls1To2,
    };
    if major < 2 {
        ed.acls(conf);
        if !ed.changes.is_empty() {
            up.steps.push(UpgradeStep::Acls1To2);
        }
    }
    let before = ed.changes.len();
    ed.step = UpgradeStep::Schema2To3;
    ed.cluster_options(conf);
    ed.nodes(conf);
    ed.resources(conf);
    ed.colocations(conf);
    if ed.changes.len() > before {
        up.steps.push(UpgradeStep::Schema2To3);
    }
    up.changes = ed.changes;
    up
}

struct Editor<'a> {
    doc: &'a mut Document,
    changes: Vec<UpgradeChange>,
    step: UpgradeStep,
}

/// What becomes of a cluster option with a legacy name.
pub enum OptionFate {
    Rename(&'static str),
    /// Moved to `rsc_defaults` or `op_defaults` under a new name, with
    /// its value or a replacement value.
    Move(Defaults, &'static str, Option<&'static str>),
    Drop(&'static str),
    /// Dropped, but it meant nothing to Pacemaker 2 anyway.
    DropInert(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Defaults {
    Rsc,
    Op,
}

impl Defaults {
    fn tag(self) -> &'static str {
        match self {
            Defaults::Rsc => "rsc_defaults",
            Defaults::Op => "op_defaults",
        }
    }
}

/// The legacy cluster options and what 3.0 makes of them (the names and
/// values the pacemaker-3.x schemas reject in a `cluster_property_set`).
pub fn option_fate(name: &str, value: &str) -> Option<OptionFate> {
    use OptionFate::*;
    Some(match name {
        "cluster-infrastructure" => match value {
            "heartbeat" | "openais" | "classic openais" | "classic openais (with plugin)"
            | "cman" => DropInert("the cluster stack is Corosync 2 or later now; the value meant nothing to the scheduler"),
            _ => return None,
        },
        "cluster_recheck_interval" => Rename("cluster-recheck-interval"),
        "dc_deadtime" => Rename("dc-deadtime"),
        "election_timeout" => Rename("election-timeout"),
        "no_quorum_policy" => Rename("no-quorum-policy"),
        "remove_after_stop" => Rename("remove-after-stop"),
        "shutdown_escalation" => Rename("shutdown-escalation"),
        "startup_fencing" => Rename("startup-fencing"),
        "stonith_action" => Rename("stonith-action"),
        "stonith_enabled" => Rename("stonith-enabled"),
        "stop_orphan_actions" => Rename("stop-orphan-actions"),
        "stop_orphan_resources" => Rename("stop-orphan-resources"),
        "symmetric_cluster" => Rename("symmetric-cluster"),
        "transition_idle_timeout" => Rename("cluster-delay"),
        "default-action-timeout" | "default_action_timeout" => Move(Defaults::Op, "timeout", None),
        "default-resource-stickiness" | "default_resource_stickiness" => {
            Move(Defaults::Rsc, "resource-stickiness", None)
        }
        "is-managed-default" | "is_managed_default" => Move(Defaults::Rsc, "is-managed", None),
        "default-resource-failure-stickiness" | "default_resource_failure_stickiness" => {
            if value == "-INFINITY" {
                Move(Defaults::Rsc, "migration-threshold", Some("1"))
            } else {
                Drop("set `migration-threshold` in rsc_defaults instead")
            }
        }
        "default-migration-threshold" | "default_migration_threshold" => {
            Drop("set `migration-threshold` in rsc_defaults instead")
        }
        "expected-quorum-votes" => DropInert("Corosync 2 or later tracks quorum itself"),
        "notification-agent" | "notification-recipient" => {
            Drop("configure an alert (`<alerts>`) instead")
        }
        _ => return None,
    })
}

impl Editor<'_> {
    fn note(&mut self, effect: Effect, elem: ElemId, span: Span, message: String) {
        self.changes.push(UpgradeChange {
            step: self.step,
            effect,
            elem,
            span,
            message,
        });
    }

    fn kids(&self, id: ElemId) -> Vec<ElemId> {
        self.doc.get(id).children().collect()
    }

    fn kids_named(&self, id: ElemId, name: &str) -> Vec<ElemId> {
        self.doc.children_named(id, name).collect()
    }

    fn name(&self, id: ElemId) -> &str {
        self.doc.get(id).name
    }

    fn attr(&self, id: ElemId, name: &str) -> Option<String> {
        self.doc.get(id).attr(name).map(str::to_owned)
    }

    fn has_rule(&self, id: ElemId) -> bool {
        self.doc.child_named(id, "rule").is_some()
    }

    // ---- pacemaker-1.x ACLs ------------------------------------------

    fn acls(&mut self, conf: ElemId) {
        let Some(acls) = self.doc.child_named(conf, "acls") else {
            return;
        };
        for el in self.kids(acls) {
            match self.name(el) {
                "acl_user" => self.acl_user(el),
                "acl_role" => {
                    for p in self.kids(el) {
                        self.acl_permission(p);
                    }
                }
                _ => {}
            }
        }
    }

    fn acl_user(&mut self, user: ElemId) {
        let id = self.attr(user, "id").unwrap_or_default();
        let span = self.doc.get(user).name_span;
        self.doc.rename_element(user, "acl_target");
        self.note(
            Effect::Equivalent,
            user,
            span,
            format!("ACL user `{id}`: <acl_user> becomes <acl_target>"),
        );
        let kids = self.kids(user);
        let refs: Vec<ElemId> = kids
            .iter()
            .copied()
            .filter(|k| self.name(*k) == "role_ref")
            .collect();
        if !refs.is_empty() {
            for r in refs {
                let span = self.doc.get(r).name_span;
                self.doc.rename_element(r, "role");
                self.note(
                    Effect::Equivalent,
                    r,
                    span,
                    format!("ACL user `{id}`: <role_ref> becomes <role>"),
                );
            }
            return;
        }
        if !kids
            .iter()
            .any(|k| matches!(self.name(*k), "read" | "write" | "deny"))
        {
            return;
        }
        // Permissions given to the user directly move to a role of its own.
        let role_id = format!("auto-{id}");
        let acls = self.doc.get(user).parent.unwrap_or(self.doc.root);
        let role = self
            .doc
            .append_child(acls, "acl_role", &[("id", role_id.as_str())]);
        let role = self.doc.insert_after(user, role);
        let moved: Vec<ElemId> = kids.into_iter().map(|k| self.doc.adopt(role, k)).collect();
        self.doc
            .append_child(user, "role", &[("id", role_id.as_str())]);
        for p in moved {
            self.acl_permission(p);
        }
        self.note(
            Effect::Equivalent,
            user,
            span,
            format!("ACL user `{id}`: its permissions move to a new role `{role_id}`"),
        );
    }

    fn acl_permission(&mut self, p: ElemId) {
        let kind = self.name(p).to_owned();
        if !matches!(kind.as_str(), "read" | "write" | "deny") {
            if kind == "role_ref" {
                self.doc.rename_element(p, "role");
            }
            return;
        }
        let el = self.doc.get(p);
        let span = el.name_span;
        let get = |n: &str| el.attr(n).map(str::to_owned);
        let (id, r, tag, attribute, xpath) = (
            get("id"),
            get("ref"),
            get("tag"),
            get("attribute"),
            get("xpath"),
        );
        let mut attrs: Vec<(&str, String)> = Vec::new();
        if let Some(id) = &id {
            attrs.push(("id", id.clone()));
        }
        attrs.push(("kind", kind.clone()));
        let mut lossy = false;
        if let Some(r) = r {
            attrs.push(("reference", r));
            lossy = attribute.is_some();
        } else if let Some(tag) = tag {
            attrs.push(("object-type", tag));
            if let Some(a) = attribute {
                attrs.push(("attribute", a));
            }
        } else if let Some(x) = xpath {
            match attribute {
                Some(a) => attrs.push(("xpath", format!("{x}[@{a}]"))),
                None => attrs.push(("xpath", x)),
            }
        }
        // Rebuild the attributes: only those of the new syntax remain.
        let names: Vec<String> = self.doc.get(p).attrs().map(|a| a.name.to_owned()).collect();
        for n in names {
            if n != "id" {
                self.doc.remove_attr(p, &n);
            }
        }
        for (n, v) in &attrs {
            if *n != "id" {
                self.doc.set_attr(p, n, v);
            }
        }
        self.doc.rename_element(p, "acl_permission");
        let id = id.unwrap_or_default();
        let (effect, extra) = if lossy {
            (
                Effect::Changed,
                "; its `attribute` cannot go with a reference and is dropped",
            )
        } else {
            (Effect::Equivalent, "")
        };
        self.note(
            effect,
            p,
            span,
            format!("ACL <{kind} id=\"{id}\"> becomes <acl_permission kind=\"{kind}\">{extra}"),
        );
    }

    // ---- cluster options --------------------------------------------

    fn cluster_options(&mut self, conf: ElemId) {
        let Some(crm_config) = self.doc.child_named(conf, "crm_config") else {
            return;
        };
        // Options moved to the defaults, in document order, per target.
        let mut moved: Vec<(Defaults, ElemId)> = Vec::new();
        for set in self.kids_named(crm_config, "cluster_property_set") {
            let ruled = self.has_rule(set);
            let mut touched = false;
            for nv in self.kids_named(set, "nvpair") {
                let el = self.doc.get(nv);
                let (Some(name), value) = (el.attr("name"), el.attr("value").unwrap_or("")) else {
                    continue;
                };
                let name = name.to_owned();
                let Some(fate) = option_fate(&name, value) else {
                    continue;
                };
                touched = true;
                let span = el.attr_whole_span("name");
                match fate {
                    OptionFate::Rename(to) => {
                        self.doc.replace_attr_value(nv, "name", to);
                        self.note(
                            Effect::Equivalent,
                            nv,
                            span,
                            format!("cluster option `{name}` is renamed `{to}`"),
                        );
                    }
                    OptionFate::Drop(why) | OptionFate::DropInert(why) => {
                        let effect = if matches!(fate, OptionFate::Drop(_)) {
                            Effect::Changed
                        } else {
                            Effect::Equivalent
                        };
                        self.doc.detach(nv);
                        self.note(
                            effect,
                            nv,
                            span,
                            format!("cluster option `{name}` is dropped: {why}"),
                        );
                    }
                    OptionFate::Move(target, to, value) => {
                        self.doc.detach(nv);
                        if ruled {
                            // Rule-driven sets are not carried over.
                            self.note(
                                Effect::Changed,
                                nv,
                                span,
                                format!(
                                    "cluster option `{name}` in a set with a rule is dropped: \
                                     set `{to}` in {} instead",
                                    target.tag()
                                ),
                            );
                            continue;
                        }
                        self.doc.replace_attr_value(nv, "name", to);
                        if let Some(v) = value {
                            self.doc.replace_attr_value(nv, "value", v);
                        }
                        moved.push((target, nv));
                        let shown = value
                            .map(|v| format!("`{to}={v}`"))
                            .unwrap_or(format!("`{to}`"));
                        self.note(
                            if value.is_some() { Effect::Changed } else { Effect::Equivalent },
                            nv,
                            span,
                            format!(
                                "cluster option `{name}` moves to {} as {shown}, unless that is already set there",
                                target.tag()
                            ),
                        );
                    }
                }
            }
            if touched && self.doc.child_named(set, "nvpair").is_none() {
                self.doc.detach(set);
            }
        }
        for target in [Defaults::Op, Defaults::Rsc] {
            let items: Vec<ElemId> = moved
                .iter()
                .filter(|(t, _)| *t == target)
                .map(|(_, e)| *e)
                .collect();
            if !items.is_empty() {
                self.place_defaults(conf, target, &items);
            }
        }
    }

    /// Put moved options into the first rule-less set of the defaults
    /// section, unless a rule-less set there already names them; a
    /// missing section is created.
    fn place_defaults(&mut self, conf: ElemId, target: Defaults, items: &[ElemId]) {
        let tag = target.tag();
        let set = match self.doc.child_named(conf, tag) {
            Some(section) => {
                let plain: Vec<ElemId> = self
                    .kids_named(section, "meta_attributes")
                    .into_iter()
                    .filter(|s| !self.has_rule(*s))
                    .collect();
                let Some(first) = plain.first().copied() else {
                    // Only rule-driven sets: Pacemaker's transform finds
                    // nowhere to put them.
                    return;
                };
                let defined: Vec<String> = plain
                    .iter()
                    .flat_map(|s| self.kids_named(*s, "nvpair"))
                    .filter_map(|nv| self.attr(nv, "name"))
                    .collect();
                for &nv in items {
                    let name = self.attr(nv, "name").unwrap_or_default();
                    if !defined.contains(&name) {
                        self.doc.adopt(first, nv);
                    }
                }
                return;
            }
            None => {
                let section = self.doc.append_child(conf, tag, &[]);
                let id = match target {
                    Defaults::Rsc => "_2TO3_-rsc-defaults",
                    Defaults::Op => "_2TO3_-op-defaults",
                };
                self.doc
                    .append_child(section, "meta_attributes", &[("id", id)])
            }
        };
        for &nv in items {
            self.doc.adopt(set, nv);
        }
    }

    // ---- nodes ------------------------------------------------------

    fn nodes(&mut self, conf: ElemId) {
        let Some(nodes) = self.doc.child_named(conf, "nodes") else {
            return;
        };
        for node in self.kids_named(nodes, "node") {
            if self.doc.get(node).attr("type") == Some("normal") {
                let el = self.doc.get(node);
                let span = el.attr_whole_span("type");
                let uname = el.attr("uname").unwrap_or_default().to_owned();
                self.doc.replace_attr_value(node, "type", "member");
                self.note(
                    Effect::Equivalent,
                    node,
                    span,
                    format!("node `{uname}`: `type=\"normal\"` becomes `type=\"member\"`"),
                );
            }
        }
    }

    // ---- primitives and templates ----------------------------------

    fn resources(&mut self, conf: ElemId) {
        // Primitives and templates anywhere in the configuration
        // (resources, groups, clones, bundles).
        let all = self.doc.descendants(conf);
        for el in all {
            if matches!(self.name(el), "primitive" | "template") {
                self.primitive(el);
            }
        }
    }

    fn primitive(&mut self, rsc: ElemId) {
        let rsc_id = self.attr(rsc, "id").unwrap_or_default();
        for set in self.kids_named(rsc, "instance_attributes") {
            for nv in self.kids_named(set, "nvpair") {
                self.stonith_param(&rsc_id, nv);
            }
        }
        for set in self.kids_named(rsc, "meta_attributes") {
            for nv in self.kids_named(set, "nvpair") {
                self.legacy_meta(&rsc_id, nv);
            }
        }
        if let Some(ops) = self.doc.child_named(rsc, "operations") {
            self.op_requires(rsc, &rsc_id, ops);
        }
    }

    fn stonith_param(&mut self, rsc_id: &str, nv: ElemId) {
        let el = self.doc.get(nv);
        let (Some(name), value) = (el.attr("name"), el.attr("value").unwrap_or("")) else {
            return;
        };
        let span = el.attr_whole_span("name");
        let renamed = match name {
            "pcmk_list_cmd" => "pcmk_list_action",
            "pcmk_monitor_cmd" => "pcmk_monitor_action",
            "pcmk_off_cmd" => "pcmk_off_action",
            "pcmk_on_cmd" => "pcmk_on_action",
            "pcmk_reboot_cmd" => "pcmk_reboot_action",
            "pcmk_status_cmd" => "pcmk_status_action",
            "pcmk_arg_map" => {
                let value = value.to_owned();
                match value.strip_prefix("port:").filter(|v| !v.contains(',')) {
                    Some(arg) => {
                        self.doc
                            .replace_attr_value(nv, "name", "pcmk_host_argument");
                        self.doc.replace_attr_value(nv, "value", arg);
                        self.note(
                            Effect::Equivalent,
                            nv,
                            span,
                            format!("`{rsc_id}`: `pcmk_arg_map=\"{value}\"` becomes `pcmk_host_argument=\"{arg}\"`"),
                        );
                    }
                    None => {
                        self.doc.detach(nv);
                        self.note(
                            Effect::Changed,
                            nv,
                            span,
                            format!("`{rsc_id}`: `pcmk_arg_map` is dropped (only a single `port:` mapping converts, to `pcmk_host_argument`)"),
                        );
                    }
                }
                return;
            }
            _ => return,
        };
        let name = name.to_owned();
        self.doc.replace_attr_value(nv, "name", renamed);
        self.note(
            Effect::Equivalent,
            nv,
            span,
            format!("`{rsc_id}`: parameter `{name}` is renamed `{renamed}`"),
        );
    }

    fn legacy_meta(&mut self, rsc_id: &str, nv: ElemId) {
        let el = self.doc.get(nv);
        let (Some(name), value) = (el.attr("name"), el.attr("value").unwrap_or("")) else {
            return;
        };
        let span = el.attr_whole_span("name");
        let name = name.to_owned();
        match name.as_str() {
            "isolation" | "isolation-host" | "isolation-instance" | "isolation-wrapper" => {
                self.doc.replace_attr_value(nv, "name", "target-role");
                self.doc.replace_attr_value(nv, "value", "Stopped");
                self.note(
                    Effect::Changed,
                    nv,
                    span,
                    format!("`{rsc_id}`: meta attribute `{name}` becomes `target-role=Stopped`: the resource is disabled (isolation wrappers gave way to bundles)"),
                );
            }
            "resource-failure-stickiness" | "resource_failure_stickiness" => {
                if value == "-INFINITY" {
                    self.doc
                        .replace_attr_value(nv, "name", "migration-threshold");
                    self.doc.replace_attr_value(nv, "value", "1");
                    self.note(
                        Effect::Changed,
                        nv,
                        span,
                        format!("`{rsc_id}`: `{name}=-INFINITY` becomes `migration-threshold=1`"),
                    );
                } else {
                    self.doc.detach(nv);
                    self.note(
                        Effect::Changed,
                        nv,
                        span,
                        format!("`{rsc_id}`: meta attribute `{name}` is dropped: set `migration-threshold` instead"),
                    );
                }
            }
            _ => {}
        }
    }

    /// `requires` on an operation: a start's or promote's becomes the
    /// resource's, any other is dropped. Meta-like parameters of an
    /// operation's instance attributes move to its meta attributes.
    fn op_requires(&mut self, rsc: ElemId, rsc_id: &str, ops: ElemId) {
        let has_meta_requires = self
            .kids_named(rsc, "meta_attributes")
            .into_iter()
            .filter(|s| !self.has_rule(*s))
            .flat_map(|s| self.kids_named(s, "nvpair"))
            .any(|nv| self.doc.get(nv).attr("name") == Some("requires"));
        // The last start/promote `requires` wins, as later ops override.
        let mut carried: Option<(String, String)> = None;
        for op in self.kids_named(ops, "op") {
            let el = self.doc.get(op);
            let op_name = el.attr("name").unwrap_or_default().to_owned();
            let op_id = el.attr("id").unwrap_or_default().to_owned();
            let lifts = matches!(op_name.as_str(), "start" | "promote");
            if let Some(v) = el.attr("requires").map(str::to_owned) {
                let span = el.attr_whole_span("requires");
                self.doc.remove_attr(op, "requires");
                if lifts && !has_meta_requires {
                    carried = Some((op_id.clone(), v.clone()));
                    self.note(
                        Effect::Equivalent,
                        op,
                        span,
                        format!("`{rsc_id}`: `requires={v}` on its {op_name} operation moves to the resource's meta attributes"),
                    );
                } else {
                    self.note(
                        Effect::Changed,
                        op,
                        span,
                        format!("`{rsc_id}`: `requires` on its {op_name} operation is dropped (only the resource's own counts)"),
                    );
                }
            }
            for set in self.kids_named(op, "meta_attributes") {
                for nv in self.kids_named(set, "nvpair") {
                    if self.doc.get(nv).attr("name") != Some("requires") {
                        continue;
                    }
                    let span = self.doc.get(nv).attr_whole_span("name");
                    self.doc.detach(nv);
                    let note = if lifts && !has_meta_requires {
                        let v = self.attr(nv, "value").unwrap_or_default();
                        carried = Some((op_id.clone(), v));
                        "moves to the resource's meta attributes"
                    } else {
                        "is dropped (only the resource's own counts)"
                    };
                    self.note(
                        if lifts { Effect::Equivalent } else { Effect::Changed },
                        nv,
                        span,
                        format!("`{rsc_id}`: `requires` in its {op_name} operation's meta attributes {note}"),
                    );
                }
            }
            for set in self.kids_named(op, "instance_attributes") {
                self.op_meta_params(rsc_id, op, &op_name, set);
            }
        }
        if let Some((op_id, value)) = carried {
            let set_id = format!("_2TO3_{rsc_id}-meta");
            let nv_id = format!("_2TO3_{op_id}-meta-requires");
            let set = self
                .doc
                .append_child(rsc, "meta_attributes", &[("id", set_id.as_str())]);
            self.doc.append_child(
                set,
                "nvpair",
                &[
                    ("id", nv_id.as_str()),
                    ("name", "requires"),
                    ("value", value.as_str()),
                ],
            );
        }
    }

    fn op_meta_params(&mut self, rsc_id: &str, op: ElemId, op_name: &str, set: ElemId) {
        const META: [&str; 7] = [
            "interval-origin",
            "start-delay",
            "enabled",
            "on-fail",
            "record-pending",
            "role",
            "timeout",
        ];
        if self.has_rule(set) {
            return;
        }
        for nv in self.kids_named(set, "nvpair") {
            let Some(name) = self.attr(nv, "name") else {
                continue;
            };
            if name == "requires" {
                let span = self.doc.get(nv).attr_whole_span("name");
                self.doc.detach(nv);
                self.note(
                    Effect::Changed,
                    nv,
                    span,
                    format!("`{rsc_id}`: `requires` in its {op_name} operation's instance attributes is dropped"),
                );
                continue;
            }
            if !META.contains(&name.as_str()) {
                continue;
            }
            let span = self.doc.get(nv).attr_whole_span("name");
            let target = match self
                .kids_named(op, "meta_attributes")
                .into_iter()
                .find(|s| !self.has_rule(*s))
            {
                Some(m) => m,
                None => {
                    let id = format!("_2TO3_{}", self.attr(set, "id").unwrap_or_default());
                    self.doc
                        .append_child(op, "meta_attributes", &[("id", id.as_str())])
                }
            };
            self.doc.adopt(target, nv);
            self.note(
                Effect::Equivalent,
                nv,
                span,
                format!("`{rsc_id}`: `{name}` in its {op_name} operation's instance attributes moves to its meta attributes"),
            );
        }
        if self.doc.get(set).children().next().is_none() {
            self.doc.detach(set);
        }
    }

    // ---- colocations ------------------------------------------------

    fn colocations(&mut self, conf: ElemId) {
        let Some(cons) = self.doc.child_named(conf, "constraints") else {
            return;
        };
        for c in self.kids_named(cons, "rsc_colocation") {
            for attr in ["score-attribute", "score-attribute-mangle"] {
                let el = self.doc.get(c);
                if el.attr(attr).is_none() {
                    continue;
                }
                let span = el.attr_whole_span(attr);
                let id = el.attr("id").unwrap_or_default().to_owned();
                self.doc.remove_attr(c, attr);
                self.note(
                    Effect::Equivalent,
                    c,
                    span,
                    format!("colocation `{id}`: `{attr}` is dropped (it never had any effect)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, ParseLimits};

    fn up(src: &str) -> (Document, SchemaUpgrade) {
        let mut doc = parse(src, ParseLimits::default()).expect("parses");
        let u = upgrade(&mut doc);
        (doc, u)
    }

    #[test]
    fn knows_the_schemas_pacemaker_2_1_5_knows() {
        assert_eq!(known_schema("pacemaker-1.2"), Some((1, 2)));
        assert_eq!(known_schema("PACEMAKER-2.10"), Some((2, 10)));
        assert_eq!(known_schema("pacemaker-1.1"), None);
        assert_eq!(known_schema("pacemaker-3.10"), None);
        assert_eq!(known_schema("transitional-0.6"), None);
    }

    #[test]
    fn new_schemas_and_no_schema_are_left_alone() {
        for v in [
            r#"<cib validate-with="pacemaker-3.0">"#,
            r#"<cib validate-with="none">"#,
            "<cib>",
        ] {
            let src = format!(
                r#"{v}<configuration><nodes><node id="1" uname="a" type="normal"/></nodes></configuration></cib>"#
            );
            let (doc, u) = up(&src);
            assert!(!u.upgraded(), "{v}");
            let nodes = doc.descendants(doc.root);
            assert!(nodes
                .iter()
                .any(|n| doc.get(*n).attr("type") == Some("normal")));
        }
    }

    #[test]
    fn old_nodes_options_and_defaults_are_rewritten() {
        let src = r#"<cib validate-with="pacemaker-1.2"><configuration><crm_config>
<cluster_property_set id="o"><nvpair id="a" name="stonith_enabled" value="false"/>
<nvpair id="b" name="default-resource-stickiness" value="100"/>
<nvpair id="c" name="expected-quorum-votes" value="2"/></cluster_property_set>
<cluster_property_set id="empty-after"><nvpair id="d" name="cluster-infrastructure" value="cman"/></cluster_property_set>
</crm_config><nodes><node id="1" uname="a" type="normal"/></nodes><resources/><constraints/></configuration></cib>"#;
        let (doc, u) = up(src);
        assert_eq!(u.steps, vec![UpgradeStep::Schema2To3]);
        let text = doc.to_xml();
        assert!(text.contains(r#"name="stonith-enabled""#), "{text}");
        assert!(text.contains(r#"type="member""#), "{text}");
        assert!(!text.contains("expected-quorum-votes"), "{text}");
        assert!(!text.contains("empty-after"), "{text}");
        assert!(
            text.contains(r#"<rsc_defaults>"#)
                && text.contains(r#"name="resource-stickiness" value="100""#),
            "{text}"
        );
        // The renamed option still points at the user's bytes.
        let c = u
            .changes
            .iter()
            .find(|c| c.message.contains("stonith_enabled"))
            .expect("rename noted");
        assert_eq!(&src[c.span.range()], r#"name="stonith_enabled""#);
    }

    #[test]
    fn existing_defaults_win_over_moved_options() {
        let src = r#"<cib validate-with="pacemaker-2.0"><configuration><crm_config>
<cluster_property_set id="o"><nvpair id="b" name="default-resource-stickiness" value="100"/>
<nvpair id="t" name="default-action-timeout" value="60s"/></cluster_property_set></crm_config>
<rsc_defaults><meta_attributes id="rd"><nvpair id="s" name="resource-stickiness" value="5"/></meta_attributes></rsc_defaults>
</configuration></cib>"#;
        let (doc, _) = up(src);
        let text = doc.to_xml();
        assert!(!text.contains(r#"value="100""#), "{text}");
        assert!(
            text.contains(r#"<op_defaults>"#) && text.contains(r#"name="timeout" value="60s""#),
            "{text}"
        );
    }

    #[test]
    fn old_acls_become_targets_roles_and_permissions() {
        let src = r#"<cib validate-with="pacemaker-1.2"><configuration><acls>
<acl_role id="ro"><read id="ro-all" xpath="/cib"/></acl_role>
<acl_user id="alice"><role_ref id="ro"/></acl_user>
<acl_user id="bob"><write id="bob-w" ref="vip" attribute="target-role"/></acl_user>
</acls></configuration></cib>"#;
        let (doc, u) = up(src);
        assert_eq!(u.steps, vec![UpgradeStep::Acls1To2]);
        let text = doc.to_xml();
        assert!(text.contains(r#"<acl_target id="alice">"#), "{text}");
        assert!(text.contains(r#"<role id="ro"/>"#), "{text}");
        assert!(
            text.contains(r#"<acl_permission id="ro-all" kind="read" xpath="/cib"/>"#),
            "{text}"
        );
        assert!(text.contains(r#"<acl_role id="auto-bob">"#), "{text}");
        assert!(
            text.contains(r#"<acl_permission id="bob-w" kind="write" reference="vip"/>"#),
            "{text}"
        );
        assert!(u.changes.iter().any(|c| c.effect == Effect::Changed));
    }

    #[test]
    fn operation_requires_moves_to_the_resource() {
        let src = r#"<cib validate-with="pacemaker-2.5"><configuration><resources>
<primitive id="r" class="ocf" provider="heartbeat" type="Dummy"><operations>
<op id="r-start" name="start" interval="0" requires="quorum"/>
<op id="r-mon" name="monitor" interval="10s" requires="nothing"/></operations>
<meta_attributes id="r-meta"><nvpair id="r-iso" name="isolation" value="x"/></meta_attributes>
</primitive></resources></configuration></cib>"#;
        let (doc, _) = up(src);
        let text = doc.to_xml();
        assert!(!text.contains(r#"requires="#), "{text}");
        assert!(text.contains(r#"name="requires" value="quorum""#), "{text}");
        assert!(
            text.contains(r#"name="target-role" value="Stopped""#),
            "{text}"
        );
    }
}
