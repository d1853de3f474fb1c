//! `cibcheck explain`: why a resource's node scores are what they are.
//!
//! The scheduler is run with tracing on for the resource and its
//! descendants (`sched::trace`); each recorded step becomes a
//! [`Contribution`] in words, with the ids to look at, taken from the
//! model. The score shown for a node is the one `crm_simulate -s` prints
//! (the table at the last print for that resource); the contributions
//! before that print fold back to it exactly. Steps after the print
//! (a capacity ban) are listed apart.

use crate::cib::time::Instant;
use crate::cib::{Cib, Role, Score};
use crate::sched::error::Unsupported;
use crate::sched::model::{Cluster, NodeIdx, RscIdx, Variant};
use crate::sched::state::Scheduler;
use crate::sched::trace::{fold, Effect, Label, Printed, Step, Trace};
use serde::Serialize;

/// The version of the JSON object (docs/explain-json.md).
pub const SCHEMA_VERSION: u32 = 1;

/// The whole explanation of one resource.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub resource: String,
    /// primitive, group, clone, clone instance, bundle…
    pub kind: &'static str,
    /// Where it is active now.
    pub active_on: Vec<String>,
    /// Facts about the resource that decide placement on every node
    /// (target-role, unmanaged, tickets…).
    pub facts: Vec<Fact>,
    /// One per score table `crm_simulate -s` prints for it or its
    /// descendants (last print of each).
    pub tables: Vec<Table>,
    pub verdict: Verdict,
}

/// A fact with the ids to look at.
#[derive(Clone, Debug, Serialize)]
pub struct Fact {
    pub kind: &'static str,
    pub text: String,
    pub ids: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub resource: String,
    /// The Pacemaker function whose table this is (`pcmk__primitive_assign`).
    pub function: &'static str,
    pub nodes: Vec<NodeScore>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeScore {
    pub node: String,
    /// As crm_simulate prints it (`-INFINITY`).
    pub score: String,
    pub value: i32,
    /// The node's state when it cannot run resources (standby, offline…).
    pub state: Vec<String>,
    /// What made the score, in order; they fold to `score`.
    pub contributions: Vec<Contribution>,
    /// Constraints that apply here but changed nothing (a rule that did
    /// not match, a preference on a node already at -INFINITY).
    pub without_effect: Vec<Contribution>,
    /// Changes after the scores were printed (nodes without capacity).
    pub after_scores: Vec<Contribution>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contribution {
    /// location, cli-ban, cli-prefer, rule, node-health, stickiness,
    /// fail-count, colocation, colocated-with-this, target-role, ticket,
    /// utilization, exclusive-discovery, initial, unattributed.
    pub kind: &'static str,
    /// `+100`, `-INFINITY`, `= 0` (a reset), `0` (no change).
    pub amount: String,
    #[serde(skip)]
    pub effect: Option<Effect>,
    pub text: String,
    pub ids: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// `started`, `promoted`, `unpromoted`, `stopped`, `unmanaged`, or for a
    /// collective `instances`.
    pub outcome: String,
    pub node: Option<String>,
    /// The one or two contributions that decided it.
    pub reasons: Vec<String>,
    /// One line: the outcome and its reason.
    pub line: String,
}

/// Why explaining failed.
pub enum ExplainError {
    NoSuchResource(Vec<String>),
    NoSuchNode(Vec<String>),
    Unsupported(Unsupported),
}

/// Explain `rsc` in `cib` (already carrying any what-if events) at `now`;
/// only `node` when given.
pub fn explain(
    cib: &Cib,
    now: Instant,
    rsc: &str,
    node: Option<&str>,
) -> Result<Explanation, ExplainError> {
    let cluster = crate::sched::unpack::unpack(cib, now).map_err(ExplainError::Unsupported)?;
    let Some(target) = find_resource(&cluster, rsc) else {
        let mut ids: Vec<String> = cluster
            .resources
            .iter()
            .filter(|r| !r.orphan)
            .map(|r| r.id.clone())
            .collect();
        ids.sort();
        return Err(ExplainError::NoSuchResource(ids));
    };
    let only = match node {
        Some(name) => match cluster.node_by_name(name) {
            Some(n) => Some(n),
            None => {
                return Err(ExplainError::NoSuchNode(
                    cluster.nodes.iter().map(|n| n.name.clone()).collect(),
                ))
            }
        },
        None => None,
    };
    let mut watched = vec![target];
    let mut i = 0;
    while i < watched.len() {
        watched.extend(cluster.rsc(watched[i]).children.iter().copied());
        i += 1;
    }
    let (mut s, _graph) =
        crate::sched::pipeline::schedule_traced(cib, cluster, false, watched.clone())
            .map_err(ExplainError::Unsupported)?;
    let trace = s.take_trace().unwrap_or_default();
    Ok(assemble(&s, &trace, target, only))
}

/// The short reason each of `names` is stopped (one scheduling run for
/// all); names that cannot be explained are left out.
pub fn stop_reasons(
    cib: &Cib,
    now: Instant,
    names: &[String],
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(cluster) = crate::sched::unpack::unpack(cib, now) else {
        return out;
    };
    let targets: Vec<RscIdx> = names
        .iter()
        .filter_map(|n| find_resource(&cluster, n))
        .collect();
    let mut watched = targets.clone();
    let mut i = 0;
    while i < watched.len() {
        watched.extend(cluster.rsc(watched[i]).children.iter().copied());
        i += 1;
    }
    if watched.is_empty() {
        return out;
    }
    let Ok((mut s, _)) = crate::sched::pipeline::schedule_traced(cib, cluster, false, watched)
    else {
        return out;
    };
    let trace = s.take_trace().unwrap_or_default();
    for t in targets {
        let e = assemble(&s, &trace, t, None);
        if !e.verdict.reasons.is_empty() {
            out.insert(e.resource, e.verdict.reasons.join(" and "));
        }
    }
    out
}

/// The resource a name on the command line means: an id, a clone
/// instance (`rsc:1`), or the name its history uses.
pub fn find_resource(c: &Cluster, name: &str) -> Option<RscIdx> {
    let by = |f: &dyn Fn(&crate::sched::model::Resource) -> bool| {
        c.resources
            .iter()
            .position(|r| !r.orphan && f(r))
            .map(|i| RscIdx(i as u32))
    };
    by(&|r| r.id == name)
        .or_else(|| by(&|r| r.clone_name.as_deref() == Some(name)))
        .or_else(|| by(&|r| r.xml_id == name && r.parent.is_none()))
}

fn kind_of(c: &Cluster, r: RscIdx) -> &'static str {
    let rsc = c.rsc(r);
    let parent = rsc.parent.map(|p| c.rsc(p).variant);
    match (rsc.variant, parent) {
        (Variant::Primitive, Some(Variant::Clone)) => "clone instance",
        (Variant::Primitive, Some(Variant::Group)) => "group member",
        (Variant::Primitive, Some(Variant::Bundle)) => "bundle replica part",
        (Variant::Primitive, _) => "primitive",
        (Variant::Group, Some(Variant::Clone)) => "clone instance (group)",
        (Variant::Group, _) => "group",
        (Variant::Clone, _) if rsc.promotable => "promotable clone",
        (Variant::Clone, _) => "clone",
        (Variant::Bundle, _) => "bundle",
    }
}

fn assemble(
    s: &Scheduler<'_>,
    trace: &Trace,
    target: RscIdx,
    only: Option<NodeIdx>,
) -> Explanation {
    let c = &s.cluster;
    let mut tables = Vec::new();
    // The last print of each watched resource, in tree order.
    let mut order = vec![target];
    let mut i = 0;
    while i < order.len() {
        order.extend(c.rsc(order[i]).children.iter().copied());
        i += 1;
    }
    for &r in &order {
        let Some(p) = trace.printed.iter().rev().find(|p| p.rsc == r) else {
            continue;
        };
        tables.push(table(s, trace, p));
    }
    let facts = facts(s, target);
    // The verdict weighs every node, even when only one is shown.
    let verdict = verdict(s, target, &tables);
    if let Some(o) = only {
        let name = &c.node(o).name;
        for t in &mut tables {
            t.nodes.retain(|n| &n.node == name);
        }
    }
    Explanation {
        resource: c.rsc(target).id.clone(),
        kind: kind_of(c, target),
        active_on: c
            .rsc(target)
            .running_on
            .iter()
            .map(|n| c.node(*n).name.clone())
            .collect(),
        facts,
        tables,
        verdict,
    }
}

fn table(s: &Scheduler<'_>, trace: &Trace, p: &Printed) -> Table {
    let c = &s.cluster;
    let mut nodes: Vec<(NodeIdx, Score)> = p.scores.iter().map(|(n, w)| (*n, *w)).collect();
    nodes.sort_by(|a, b| crate::sched::model::cmp_node_names(&c.node(a.0).name, &c.node(b.0).name));
    let nodes = nodes
        .into_iter()
        .map(|(n, score)| {
            let steps: Vec<&Step> = trace.steps[..p.steps_before]
                .iter()
                .filter(|st| st.rsc == p.rsc && st.node == n)
                .collect();
            let later: Vec<&Step> = trace.steps[p.steps_before..]
                .iter()
                .filter(|st| st.rsc == p.rsc && st.node == n)
                .collect();
            let contributions: Vec<Contribution> =
                steps.iter().map(|st| contribution(s, p.rsc, st)).collect();
            let after_scores = later.iter().map(|st| contribution(s, p.rsc, st)).collect();
            let applied: Vec<Label> = steps.iter().map(|st| st.label).collect();
            NodeScore {
                node: c.node(n).name.clone(),
                score: score.to_string(),
                value: score.0,
                state: node_state(s, n),
                contributions,
                without_effect: without_effect(s, p.rsc, n, &applied),
                after_scores,
            }
        })
        .collect();
    Table {
        resource: c.rsc(p.rsc).id.clone(),
        function: p.function,
        nodes,
    }
}

/// Why a node cannot run resources, if it cannot.
fn node_state(s: &Scheduler<'_>, n: NodeIdx) -> Vec<String> {
    let nd = s.cluster.node(n);
    let mut out = Vec::new();
    if nd.unclean {
        out.push("unclean (it will be fenced)".to_string());
    } else if !nd.online {
        out.push("offline".to_string());
    }
    if nd.standby {
        out.push("standby".to_string());
    }
    if nd.maintenance {
        out.push("in maintenance".to_string());
    }
    if nd.shutdown && nd.online {
        out.push("shutting down".to_string());
    }
    let health: Vec<String> = nd
        .attrs
        .iter()
        .filter(|(k, _)| k.starts_with("#health"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !health.is_empty() && s.cluster.options.node_health_strategy != "none" {
        out.push(format!(
            "health {} (node-health-strategy={})",
            health.join(", "),
            s.cluster.options.node_health_strategy
        ));
    }
    out
}

fn amount(e: Effect) -> String {
    match e {
        Effect::Add(d) if d.0 > 0 && !d.is_plus_infinity() => format!("+{d}"),
        Effect::Add(d) if d.is_plus_infinity() => "+INFINITY".to_string(),
        Effect::Add(d) => d.to_string(),
        Effect::Set(Some(v)) => format!("= {v}"),
        Effect::Set(None) => "= (removed)".to_string(),
    }
}

/// The CIB location constraint (and rule) a scheduler location came from.
fn cib_location<'c>(
    cib: &'c Cib,
    id: &str,
) -> Option<(&'c crate::cib::Location, Option<&'c crate::cib::rule::Rule>)> {
    for l in &cib.locations {
        if l.id == id && l.rules.is_empty() {
            return Some((l, None));
        }
        if let Some(r) = l.rules.iter().find(|r| r.id == id) {
            return Some((l, Some(r)));
        }
    }
    cib.locations.iter().find(|l| l.id == id).map(|l| (l, None))
}

fn location_kind(id: &str) -> &'static str {
    if id.starts_with("cli-ban-") {
        "cli-ban"
    } else if id.starts_with("cli-prefer-") {
        "cli-prefer"
    } else {
        "location"
    }
}

fn leftover_note(id: &str) -> &'static str {
    match location_kind(id) {
        "cli-ban" => " — made by `crm_resource --ban` (or --move away) and left in place until `crm_resource --clear`",
        "cli-prefer" => " — made by `crm_resource --move` and left in place until `crm_resource --clear`",
        _ => "",
    }
}

fn contribution(s: &Scheduler<'_>, r: RscIdx, st: &Step) -> Contribution {
    let c = &s.cluster;
    let node = &c.node(st.node).name;
    let rsc = &c.rsc(r).id;
    let effect = st.effect();
    let (kind, text, ids): (&'static str, String, Vec<String>) = match st.label {
        Label::Initial => {
            let text = match st.after {
                Some(v) if v.is_minus_infinity() => format!(
                    "banned from {node} while its history was read (a failure there that bans it, or the node cannot host it)"
                ),
                Some(v) if v.is_plus_infinity() && !c.rsc(r).managed => format!(
                    "unmanaged and active on {node}: Pacemaker keeps it here (INFINITY)"
                ),
                Some(v) if v == c.node(st.node).weight && s.cluster.options.symmetric => {
                    format!("every node starts at {v} (symmetric-cluster)")
                }
                _ => "the score the node starts with".to_string(),
            };
            ("initial", text, Vec::new())
        }
        Label::Location(li) => location_text(s, li, st.node),
        Label::Stickiness => {
            let (src, ids) = stickiness_source(s, r);
            (
                "stickiness",
                format!(
                    "resource-stickiness={} ({src}): it is active on {node}",
                    c.rsc(r).stickiness
                ),
                ids,
            )
        }
        Label::FailThreshold => fail_text(s, r, st.node),
        Label::ExclusiveDiscovery => (
            "exclusive-discovery",
            format!(
                "resource-discovery=exclusive: a location limits {rsc} to other nodes than {node}"
            ),
            s.locations
                .iter()
                .filter(|l| l.discover == crate::sched::state::Discover::Exclusive)
                .map(|l| l.id.clone())
                .collect(),
        ),
        Label::ThisWith(ci) => {
            let col = s.coloc(ci);
            let primary = &c.rsc(col.primary).id;
            let role = role_words(col.dependent_role, col.primary_role);
            let placed = placement_words(s, col.primary);
            (
                "colocation",
                format!(
                    "colocation {} (score {}{role}): {rsc} wants to be {} {primary}, which {placed}",
                    col.id,
                    Score(col.score),
                    if col.score < 0 { "away from" } else { "with" }
                ),
                vec![col.id.clone(), primary.clone()],
            )
        }
        Label::WithThis(ci) => {
            let col = s.coloc(ci);
            let dep = &c.rsc(col.dependent).id;
            (
                "colocated-with-this",
                format!(
                    "colocation {} (score {}): {dep} wants to be with {rsc}, and its own preferences count here (scaled by {}/INFINITY)",
                    col.id,
                    Score(col.score),
                    col.score
                ),
                vec![col.id.clone(), dep.clone()],
            )
        }
        Label::Reverted(ci) => {
            let col = s.coloc(ci);
            (
                "colocation",
                format!(
                    "colocation {} undone: with it no node could run {rsc}, and it is optional",
                    col.id
                ),
                vec![col.id.clone()],
            )
        }
        Label::RoleStopped => role_stopped_text(s, r),
        Label::Ticket => {
            let tickets: Vec<&crate::sched::tickets::RscTicket> = s
                .rsc_tickets
                .iter()
                .filter(|t| t.rsc == r || t.rsc == c.top_of(r))
                .collect();
            let words: Vec<String> = tickets
                .iter()
                .map(|t| {
                    let state = match c.tickets.get(&t.ticket) {
                        Some(tk) if tk.granted && tk.standby => "granted but in standby",
                        Some(tk) if tk.granted => "granted",
                        _ => "not granted",
                    };
                    format!("ticket {} is {state} (rsc_ticket {})", t.ticket, t.id)
                })
                .collect();
            (
                "ticket",
                format!("{}: it may run nowhere", words.join("; ")),
                tickets.iter().map(|t| t.id.clone()).collect(),
            )
        }
        Label::Utilization => {
            let need: Vec<String> = c
                .rsc(r)
                .utilization
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let cap: Vec<String> = c
                .node(st.node)
                .utilization
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            (
                "utilization",
                format!(
                    "not enough capacity left on {node} (placement-strategy={}): {rsc} and what must go with it need {}; {node} has {} left",
                    c.options.placement_strategy,
                    if need.is_empty() { "(its colocated resources' utilization)".to_string() } else { need.join(", ") },
                    if cap.is_empty() { "no capacity set".to_string() } else { cap.join(", ") }
                ),
                Vec::new(),
            )
        }
        Label::InstanceLimit => {
            let parent = c
                .rsc(r)
                .parent
                .map_or(rsc.as_str(), |p| c.rsc(p).id.as_str());
            let text = if !s.node_available(st.node, None, false) {
                format!("{node} cannot run resources")
            } else {
                format!(
                    "{parent} cannot place this instance on {node}: the clone is not allowed there, or {node} already has its clone-node-max instances (or the clone its clone-max)"
                )
            };
            ("clone-limit", text, vec![parent.to_string()])
        }
        Label::Unattributed(stage) => (
            "unattributed",
            format!(
                "changed while {stage}; cibcheck cannot attribute this change to one constraint"
            ),
            Vec::new(),
        ),
    };
    Contribution {
        kind,
        amount: amount(effect),
        effect: Some(effect),
        text,
        ids,
    }
}

fn role_words(dep: Role, primary: Role) -> String {
    let mut out = String::new();
    if dep != Role::Unknown {
        out.push_str(&format!(", as {dep}"));
    }
    if primary != Role::Unknown {
        out.push_str(&format!(", with it {primary}"));
    }
    out
}

/// Where a resource was placed, in words.
fn placement_words(s: &Scheduler<'_>, r: RscIdx) -> String {
    let c = &s.cluster;
    let rsc = c.rsc(r);
    match rsc.assigned_to {
        Some(n) => format!("is placed on {}", c.node(n).name),
        None if rsc.variant == Variant::Clone || rsc.variant == Variant::Bundle => {
            let on: Vec<String> = rsc
                .children
                .iter()
                .filter_map(|ch| c.rsc(*ch).assigned_to)
                .map(|n| c.node(n).name.clone())
                .collect();
            if on.is_empty() {
                "cannot run anywhere".to_string()
            } else {
                format!("has instances on {}", on.join(", "))
            }
        }
        None => {
            let why = short_reason(s, r);
            if why.is_empty() {
                "cannot run anywhere".to_string()
            } else {
                format!("cannot run anywhere ({why})")
            }
        }
    }
}

/// A one-phrase reason why `r` is stopped, from the model alone (used for
/// the primaries of colocations).
fn short_reason(s: &Scheduler<'_>, r: RscIdx) -> String {
    let c = &s.cluster;
    let rsc = c.rsc(r);
    if rsc.target_role == Some(Role::Stopped) {
        return "target-role=Stopped".to_string();
    }
    let bans: Vec<String> = s
        .locations
        .iter()
        .filter(|l| l.rsc == r && l.nodes.iter().any(|(_, w)| w.is_minus_infinity()))
        .map(|l| l.id.clone())
        .collect();
    if !bans.is_empty() {
        return format!("banned by {}", bans.join(", "));
    }
    String::new()
}

fn location_text(s: &Scheduler<'_>, li: usize, n: NodeIdx) -> (&'static str, String, Vec<String>) {
    let loc = &s.locations[li];
    let c = &s.cluster;
    let node = &c.node(n).name;
    let rsc = &c.rsc(loc.rsc).id;
    let nominal = loc
        .nodes
        .iter()
        .find(|(m, _)| *m == n)
        .map(|(_, w)| *w)
        .unwrap_or(Score::ZERO);
    let role = if loc.role_filter != Role::Unknown {
        format!(" (role {})", loc.role_filter)
    } else {
        String::new()
    };
    if s.cib
        .locations
        .iter()
        .all(|l| l.id != loc.id && l.rules.iter().all(|r| r.id != loc.id))
        && loc.id.eq_ignore_ascii_case(&c.options.node_health_strategy)
        || s.cib
            .cluster_option_at("node-health-strategy", c.now)
            .and_then(|p| p.value.clone())
            .is_some_and(|v| v == loc.id)
    {
        return (
            "node-health",
            format!(
                "node health (node-health-strategy={}): {node}'s #health attributes add up to {nominal}",
                loc.id
            ),
            vec![loc.id.clone()],
        );
    }
    match cib_location(s.cib, &loc.id) {
        Some((l, Some(rule))) => {
            let score = match (&rule.score, &rule.score_attribute) {
                (Some(v), _) => format!("score {v}"),
                (None, Some(a)) => format!(
                    "score-attribute {a} = {}",
                    c.node(n).attrs.get(a).map_or("(unset)", String::as_str)
                ),
                (None, None) => "score 0".to_string(),
            };
            (
                "rule",
                format!(
                    "rule {} of location {} matches on {node} ({score}){role}{}",
                    rule.id,
                    l.id,
                    leftover_note(&l.id)
                ),
                vec![l.id.clone(), rule.id.clone()],
            )
        }
        Some((l, None)) => {
            let what = if nominal.is_minus_infinity() {
                format!("bans {rsc} from {node}")
            } else if nominal.0 < 0 {
                format!("makes {rsc} avoid {node} ({nominal})")
            } else {
                format!("makes {rsc} prefer {node} ({nominal})")
            };
            let via = if l.rsc.as_deref() != Some(rsc.as_str()) {
                match (&l.rsc, &l.rsc_pattern) {
                    (Some(x), _) => format!(" (set on {x})"),
                    (None, Some(p)) => format!(" (rsc-pattern {p})"),
                    _ => String::new(),
                }
            } else {
                String::new()
            };
            (
                location_kind(&l.id),
                format!(
                    "location {} {what}{via}{role}{}",
                    l.id,
                    leftover_note(&l.id)
                ),
                vec![l.id.clone()],
            )
        }
        None => (
            location_kind(&loc.id),
            format!("location {} on {node} ({nominal}){role}", loc.id),
            vec![loc.id.clone()],
        ),
    }
}

/// Where the effective resource-stickiness was set.
fn stickiness_source(s: &Scheduler<'_>, r: RscIdx) -> (String, Vec<String>) {
    let c = &s.cluster;
    let mut x = Some(r);
    while let Some(i) = x {
        let rsc = c.rsc(i);
        if let Some(cfg) = rsc.config {
            let res = s.cib.resource(cfg);
            for set in &res.meta {
                if let Some(p) = set
                    .pairs
                    .iter()
                    .find(|p| p.name == "resource-stickiness" || p.name == "resource_stickiness")
                {
                    let id = p.id.clone().unwrap_or_else(|| set.id.clone());
                    return (format!("meta attribute of {}", res.id), vec![id]);
                }
            }
        }
        x = rsc.parent;
    }
    for set in &s.cib.rsc_defaults {
        if let Some(p) = set.pairs.iter().find(|p| p.name == "resource-stickiness") {
            let id = p.id.clone().unwrap_or_else(|| set.id.clone());
            return ("from rsc_defaults".to_string(), vec![id]);
        }
    }
    (
        "not configured: Pacemaker's default for this kind of resource".to_string(),
        Vec::new(),
    )
}

fn fail_text(s: &Scheduler<'_>, r: RscIdx, n: NodeIdx) -> (&'static str, String, Vec<String>) {
    let c = &s.cluster;
    let legacy = s.legacy_failcounts();
    let (count, last) = crate::sched::failcount::fail_count(c, n, r, true, legacy);
    let rsc = c.rsc(r);
    let mut text = format!(
        "fail count {count} on {} reached migration-threshold={}",
        c.node(n).name,
        rsc.migration_threshold
    );
    if rsc.failure_timeout > 0 && last > 0 {
        text.push_str(&format!(
            "; failure-timeout={}s: it expires at {} (last failure {})",
            rsc.failure_timeout,
            Instant(last + rsc.failure_timeout),
            Instant(last)
        ));
    } else {
        text.push_str("; no failure-timeout: it stays until the fail count is cleared (`crm_resource --cleanup`)");
    }
    ("fail-count", text, vec![format!("fail-count-{}", rsc.id)])
}

fn role_stopped_text(s: &Scheduler<'_>, r: RscIdx) -> (&'static str, String, Vec<String>) {
    let c = &s.cluster;
    let mut x = Some(r);
    while let Some(i) = x {
        if c.rsc(i).target_role == Some(Role::Stopped) {
            return (
                "target-role",
                format!(
                    "target-role=Stopped on {}: it is not to run anywhere",
                    c.rsc(i).id
                ),
                vec![c.rsc(i).id.clone()],
            );
        }
        x = c.rsc(i).parent;
    }
    if c.options.stop_all_resources {
        return (
            "target-role",
            "stop-all-resources=true: nothing is to run".to_string(),
            Vec::new(),
        );
    }
    (
        "target-role",
        "its next role is Stopped (cibcheck cannot attribute this to one setting)".to_string(),
        Vec::new(),
    )
}

/// Constraints that apply to `r` on `n` but changed nothing there.
fn without_effect(
    s: &Scheduler<'_>,
    r: RscIdx,
    n: NodeIdx,
    applied: &[Label],
) -> Vec<Contribution> {
    let c = &s.cluster;
    let mut owners = vec![r];
    let mut p = c.rsc(r).parent;
    while let Some(x) = p {
        owners.push(x);
        p = c.rsc(x).parent;
    }
    let mut out = Vec::new();
    for (li, loc) in s.locations.iter().enumerate() {
        if !owners.contains(&loc.rsc) || applied.contains(&Label::Location(li)) {
            continue;
        }
        let node = &c.node(n).name;
        if let Some((_, w)) = loc.nodes.iter().find(|(m, _)| *m == n) {
            if w.0 == 0 {
                continue;
            }
            let (kind, text, ids) = location_text(s, li, n);
            let loc_rsc = c.rsc(loc.rsc);
            let why = if loc_rsc.variant == Variant::Group
                && loc.rsc != r
                && loc_rsc.children.first() != Some(&r)
                && s.group_colocated(loc.rsc)
            {
                "a group's locations count on its first member, the others follow it".to_string()
            } else if loc.role_filter != Role::Unknown && loc.role_filter != c.rsc(r).next_role {
                format!("applies only to role {}", loc.role_filter)
            } else {
                "the score was already ±INFINITY".to_string()
            };
            out.push(Contribution {
                kind,
                amount: "0".into(),
                effect: None,
                text: format!("{text} — no effect: {why}"),
                ids,
            });
            continue;
        }
        // A rule that did not match on this node: say which expression.
        if let Some((l, Some(rule))) = cib_location(s.cib, &loc.id) {
            let failed = s.rule_failures_on_node(rule, n, Some(loc.rsc));
            let why = if failed.is_empty() {
                "it did not match".to_string()
            } else {
                failed.join("; ")
            };
            out.push(Contribution {
                kind: "rule",
                amount: "0".into(),
                effect: None,
                text: format!(
                    "rule {} of location {} does not match on {node}: {why}",
                    rule.id, l.id
                ),
                ids: vec![l.id.clone(), rule.id.clone()],
            });
        }
    }
    out
}

/// Facts that hold on every node.
fn facts(s: &Scheduler<'_>, r: RscIdx) -> Vec<Fact> {
    let c = &s.cluster;
    let rsc = c.rsc(r);
    let mut out = Vec::new();
    if let Some(role) = rsc.target_role {
        out.push(Fact {
            kind: "target-role",
            text: format!("target-role={role}"),
            ids: vec![rsc.id.clone()],
        });
    }
    if !rsc.managed {
        let why = if rsc.maintenance {
            "in maintenance"
        } else {
            "is-managed=false"
        };
        out.push(Fact {
            kind: "unmanaged",
            text: format!("unmanaged ({why}): Pacemaker leaves it where it is and changes nothing"),
            ids: vec![rsc.id.clone()],
        });
    }
    let top = c.top_of(r);
    for t in s.rsc_tickets.iter().filter(|t| t.rsc == r || t.rsc == top) {
        let state = match c.tickets.get(&t.ticket) {
            Some(tk) if tk.granted && tk.standby => "granted, in standby",
            Some(tk) if tk.granted => "granted",
            _ => "not granted",
        };
        out.push(Fact {
            kind: "ticket",
            text: format!(
                "depends on ticket {} ({state}) through rsc_ticket {}",
                t.ticket, t.id
            ),
            ids: vec![t.id.clone(), t.ticket.clone()],
        });
    }
    if rsc.migration_threshold > 0 && rsc.variant == Variant::Primitive {
        let legacy = s.legacy_failcounts();
        for (i, nd) in c.nodes.iter().enumerate() {
            let (count, _) =
                crate::sched::failcount::fail_count(c, NodeIdx(i as u32), r, true, legacy);
            if count > 0 && count < rsc.migration_threshold {
                out.push(Fact {
                    kind: "fail-count",
                    text: format!(
                        "fail count {count} on {} (migration-threshold={}: {} more before it is banned there)",
                        nd.name,
                        rsc.migration_threshold,
                        rsc.migration_threshold - count
                    ),
                    ids: vec![format!("fail-count-{}", rsc.id)],
                });
            }
        }
    }
    // Orderings whose first action cannot run block the start.
    if let Some(n) = rsc.assigned_to {
        for &a in &s.rs[r.i()].actions {
            let act = s.a(a);
            if act.task != "start" || act.node != Some(n) || act.is_runnable() {
                continue;
            }
            for e in &act.before {
                let first = s.a(e.action);
                let Some(fr) = first.rsc else { continue };
                if fr == r || first.is_runnable() {
                    continue;
                }
                out.push(Fact {
                    kind: "ordering",
                    text: format!(
                        "cannot start: it is ordered after {}'s {}, and {} {}",
                        c.rsc(fr).id,
                        first.task,
                        c.rsc(fr).id,
                        placement_words(s, fr)
                    ),
                    ids: vec![c.rsc(fr).id.clone()],
                });
            }
        }
    }
    out
}

/// Where it goes and the one or two contributions that decided.
fn verdict(s: &Scheduler<'_>, r: RscIdx, tables: &[Table]) -> Verdict {
    let c = &s.cluster;
    let rsc = c.rsc(r);
    let planned = s.planned();
    let of = |x: RscIdx| planned.iter().find(|p| p.rsc == c.rsc(x).id);
    if rsc.variant != Variant::Primitive {
        // Collectives: where each primitive under it goes.
        let mut parts = Vec::new();
        let mut stack = vec![r];
        while let Some(x) = stack.pop() {
            let ch = &c.rsc(x).children;
            if ch.is_empty() {
                if let Some(p) = of(x) {
                    parts.push(match &p.node {
                        Some(n) => format!("{} {} on {n}", p.rsc, role_word(p.role)),
                        None => format!("{} stopped", p.rsc),
                    });
                }
            }
            stack.extend(ch.iter().rev().copied());
        }
        let own = tables.first().filter(|t| t.resource == rsc.id);
        let reasons = own.map(|t| decided_by(t, None)).unwrap_or_default();
        return Verdict {
            outcome: "instances".into(),
            node: None,
            line: parts.join("; "),
            reasons,
        };
    }
    let p = of(r);
    let own = tables.iter().find(|t| t.resource == rsc.id);
    if !rsc.managed {
        let node = rsc.running_on.first().map(|n| c.node(*n).name.clone());
        let reasons = vec!["unmanaged: Pacemaker leaves it as it is".to_string()];
        return Verdict {
            outcome: "unmanaged".into(),
            line: format!(
                "unmanaged, stays {}: {}",
                node.as_deref()
                    .map_or("stopped".to_string(), |n| format!("on {n}")),
                reasons[0]
            ),
            node,
            reasons,
        };
    }
    match p.and_then(|p| p.node.clone().map(|n| (n, p.role))) {
        Some((node, role)) => {
            let reasons = own.map(|t| decided_by(t, Some(&node))).unwrap_or_default();
            let word = role_word(role);
            Verdict {
                line: if reasons.is_empty() {
                    format!("{word} on {node}")
                } else {
                    format!("{word} on {node}: {}", reasons.join("; "))
                },
                outcome: word.into(),
                node: Some(node),
                reasons,
            }
        }
        None => {
            let mut reasons = Vec::new();
            for f in facts(s, r) {
                if f.kind == "ordering" || (f.kind == "target-role" && f.text.ends_with("Stopped"))
                {
                    reasons.push(f.text);
                }
            }
            if reasons.is_empty() {
                reasons = own.map(|t| decided_by(t, None)).unwrap_or_default();
            }
            if reasons.is_empty() {
                reasons.push(stopped_without_scores(s, r));
            }
            Verdict {
                line: format!("stopped: {}", reasons.join("; ")),
                outcome: "stopped".into(),
                node: None,
                reasons,
            }
        }
    }
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Promoted => "promoted",
        Role::Unpromoted => "unpromoted",
        Role::Stopped => "stopped",
        _ => "started",
    }
}

fn stopped_without_scores(s: &Scheduler<'_>, r: RscIdx) -> String {
    let c = &s.cluster;
    let usable = c
        .nodes
        .iter()
        .enumerate()
        .any(|(i, _)| s.node_available(NodeIdx(i as u32), None, false));
    if !usable {
        "no node can run resources".to_string()
    } else {
        format!("no node allowed for {}", c.rsc(r).id)
    }
}

/// The one or two contributions that decided: on the chosen node the
/// largest positive ones; when stopped, the bans that cover most nodes.
fn decided_by(t: &Table, chosen: Option<&str>) -> Vec<String> {
    let short = |k: &Contribution| {
        let id = k.ids.first().cloned().unwrap_or_default();
        match k.kind {
            "stickiness" => format!("resource-stickiness {}", k.amount),
            "colocation" | "colocated-with-this" => {
                format!("colocation {id} ({})", k.amount)
            }
            "fail-count" => "fail count reached migration-threshold".to_string(),
            "target-role" => "target-role=Stopped".to_string(),
            "ticket" => format!("ticket constraint {id}"),
            "utilization" => "not enough capacity".to_string(),
            "unattributed" => "an unattributed change".to_string(),
            "initial" => "its history".to_string(),
            "cli-ban" | "cli-prefer" => id,
            kind if id.is_empty() => kind.to_string(),
            kind => format!("{kind} {id} ({})", k.amount),
        }
    };
    match chosen {
        Some(node) => {
            let Some(ns) = t.nodes.iter().find(|n| n.node == node) else {
                return Vec::new();
            };
            let mut pos: Vec<&Contribution> = ns
                .contributions
                .iter()
                .filter(|k| matches!(k.effect, Some(Effect::Add(d)) if d.0 > 0))
                .collect();
            pos.sort_by_key(|k| match k.effect {
                Some(Effect::Add(d)) => -i64::from(d.0),
                _ => 0,
            });
            let mut out: Vec<String> = pos.iter().take(2).map(|k| short(k)).collect();
            let runner = t
                .nodes
                .iter()
                .filter(|n| n.node != node && n.state.is_empty() && n.value > -1_000_000)
                // The first in name order among the best.
                .fold(None, |best: Option<&NodeScore>, n| match best {
                    Some(b) if b.value >= n.value => Some(b),
                    _ => Some(n),
                });
            if let Some(ru) = runner.filter(|ru| ru.value == ns.value) {
                out.push(format!(
                    "tied with {} at {}: a tie goes to the node with fewer resources placed, then to where it is active, then by node name",
                    ru.node, ns.score
                ));
            } else if let Some(ru) = runner {
                out.push(format!(
                    "ahead of {} ({} vs {})",
                    ru.node, ns.score, ru.score
                ));
            } else if out.is_empty() {
                out.push("the only node it can run on".to_string());
            }
            out
        }
        None => {
            // Count, per constraint, the nodes it banned.
            let mut count: Vec<(String, usize)> = Vec::new();
            let mut unavailable = Vec::new();
            for ns in &t.nodes {
                let bans: Vec<&Contribution> = ns
                    .contributions
                    .iter()
                    .chain(&ns.after_scores)
                    .filter(|k| {
                        matches!(k.effect, Some(Effect::Add(d)) if d.is_minus_infinity())
                            || matches!(k.effect, Some(Effect::Set(Some(v))) if v.is_minus_infinity())
                    })
                    .collect();
                if bans.is_empty() && !ns.state.is_empty() {
                    unavailable.push(format!("{} is {}", ns.node, ns.state.join(", ")));
                }
                for b in bans {
                    let key = short(b);
                    match count.iter_mut().find(|(k, _)| *k == key) {
                        Some(e) => e.1 += 1,
                        None => count.push((key, 1)),
                    }
                }
            }
            count.sort_by_key(|e| std::cmp::Reverse(e.1));
            // Several bans, one per node, together cover every node.
            let covered = t
                .nodes
                .iter()
                .all(|n| n.value <= -1_000_000 || !n.state.is_empty());
            if count.len() > 2 && covered && count.iter().all(|(_, n)| *n < t.nodes.len()) {
                let names: Vec<String> = count.iter().map(|(k, _)| k.clone()).collect();
                let mut out = vec![format!("banned from every node by {}", names.join(", "))];
                out.extend(unavailable);
                return out;
            }
            let mut out: Vec<String> = count
                .into_iter()
                .take(2)
                .map(|(k, n)| {
                    if n == t.nodes.len() && n > 1 {
                        format!("{k} bans it from every node")
                    } else {
                        k
                    }
                })
                .collect();
            if !unavailable.is_empty() && out.is_empty() && unavailable.len() == t.nodes.len() {
                return vec![format!(
                    "no node can run resources ({})",
                    unavailable.join(", ")
                )];
            }
            out.extend(unavailable.into_iter().take(2));
            out
        }
    }
}

/// Every node's contributions fold back to the score shown.
pub fn check_sums(e: &Explanation) -> Result<(), String> {
    for t in &e.tables {
        for n in &t.nodes {
            let effects: Vec<Effect> = n.contributions.iter().filter_map(|k| k.effect).collect();
            let folded = fold(&effects);
            if folded != Some(Score(n.value)) {
                return Err(format!(
                    "{} on {}: contributions fold to {folded:?}, score {}",
                    t.resource, n.node, n.score
                ));
            }
        }
    }
    Ok(())
}
