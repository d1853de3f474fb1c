//! Random small clusters for property and differential tests: nodes,
//! primitives, groups, clones, promotable clones, location, colocation and
//! order constraints with random scores, and random status histories,
//! rendered as CIB XML text.
#![allow(dead_code)]

use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct NodeSpec {
    pub online: bool,
    pub standby: bool,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Primitive,
    Group(usize),
    Clone,
    Promotable,
}

/// What a node's history says about one primitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hist {
    None,
    /// Probed: not running.
    Stopped,
    /// Started, with its recurring monitor.
    Running,
    /// The start failed (rc 1).
    StartFailed,
    /// Promoted (promotable clones only; elsewhere it reads as Running).
    Promoted,
}

#[derive(Clone, Debug)]
pub struct Location {
    pub rsc: usize,
    pub node: usize,
    pub score: &'static str,
}

#[derive(Clone, Debug)]
pub struct Colocation {
    /// Index of the dependent resource; `with` is an earlier one.
    pub rsc: usize,
    pub with: usize,
    pub score: &'static str,
    /// With the promoted role of `with`, when it is promotable.
    pub promoted: bool,
}

#[derive(Clone, Debug)]
pub struct Order {
    /// `first` is an earlier resource than `then`: no ordering loops.
    pub first: usize,
    pub then: usize,
    pub mandatory: bool,
}

#[derive(Clone, Debug)]
pub struct ClusterSpec {
    pub nodes: Vec<NodeSpec>,
    pub symmetric: bool,
    pub stickiness: &'static str,
    pub resources: Vec<Kind>,
    pub locations: Vec<Location>,
    pub colocations: Vec<Colocation>,
    pub orders: Vec<Order>,
    /// Per node, per primitive (in [`ClusterSpec::primitives`] order).
    pub history: Vec<Vec<Hist>>,
    /// Failures, utilization and their options; [`cluster`] leaves them
    /// out, [`cluster_wide`] draws them.
    pub extras: Extras,
}

/// The wider part of a cluster: everything here is optional, and the
/// default adds nothing to the XML.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// `migration-threshold` in the resource defaults.
    pub migration_threshold: Option<&'static str>,
    /// `on-fail` of every recurring monitor.
    pub on_fail: Option<&'static str>,
    /// `placement-strategy`, when not the default.
    pub placement: Option<&'static str>,
    /// Per node: its `cpu` capacity, if it has one.
    pub capacity: Vec<Option<u32>>,
    /// Per primitive: the `cpu` it uses, if any.
    pub utilization: Vec<Option<u32>>,
    /// Per node, per primitive: a fail count. A running primitive with one
    /// has its recurring monitor failed (rc 1), a failed start gets the
    /// INFINITY fail count the controller records; either way with the
    /// `fail-count-*` and `last-failure-*` node attributes.
    pub failures: Vec<Vec<u32>>,
}

const SCORES: &[&str] = &["-INFINITY", "-100", "0", "10", "50", "100", "INFINITY"];

fn score() -> impl Strategy<Value = &'static str> {
    prop::sample::select(SCORES)
}

fn hist() -> impl Strategy<Value = Hist> {
    prop_oneof![
        3 => Just(Hist::None),
        3 => Just(Hist::Stopped),
        3 => Just(Hist::Running),
        1 => Just(Hist::StartFailed),
        1 => Just(Hist::Promoted),
    ]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => Just(Kind::Primitive),
        2 => (1usize..=3).prop_map(Kind::Group),
        2 => Just(Kind::Clone),
        2 => Just(Kind::Promotable),
    ]
}

pub fn cluster() -> impl Strategy<Value = ClusterSpec> {
    let nodes = prop::collection::vec(
        (prop::bool::weighted(0.85), prop::bool::weighted(0.15))
            .prop_map(|(online, standby)| NodeSpec { online, standby }),
        1..=4,
    );
    let resources = prop::collection::vec(kind(), 1..=5);
    (
        nodes,
        resources,
        prop::bool::weighted(0.8),
        prop::sample::select(&["0", "1", "100", "INFINITY"][..]),
    )
        .prop_flat_map(|(nodes, resources, symmetric, stickiness)| {
            let n = nodes.len();
            let r = resources.len();
            let prims: usize = resources.iter().map(prim_count).sum();
            let locations = prop::collection::vec(
                (0..r, 0..n, score()).prop_map(|(rsc, node, score)| Location { rsc, node, score }),
                0..=4,
            );
            let pairs = if r >= 2 { 0..=3usize } else { 0..=0 };
            let colocations = prop::collection::vec(
                (
                    1..r.max(2),
                    any::<prop::sample::Index>(),
                    score(),
                    any::<bool>(),
                )
                    .prop_map(|(rsc, w, score, promoted)| Colocation {
                        rsc,
                        with: w.index(rsc),
                        score,
                        promoted,
                    }),
                pairs.clone(),
            );
            let orders = prop::collection::vec(
                (1..r.max(2), any::<prop::sample::Index>(), any::<bool>()).prop_map(
                    |(then, f, mandatory)| Order {
                        first: f.index(then),
                        then,
                        mandatory,
                    },
                ),
                pairs,
            );
            let history = prop::collection::vec(prop::collection::vec(hist(), prims), n);
            (
                Just(nodes),
                Just(symmetric),
                Just(stickiness),
                Just(resources),
                locations,
                colocations,
                orders,
                history,
            )
                .prop_map(
                    |(
                        nodes,
                        symmetric,
                        stickiness,
                        resources,
                        locations,
                        colocations,
                        orders,
                        history,
                    )| {
                        let mut spec = ClusterSpec {
                            nodes,
                            symmetric,
                            stickiness,
                            resources,
                            locations,
                            colocations,
                            orders,
                            history,
                            extras: Extras::default(),
                        };
                        // A resource with fewer than two resources has no
                        // pairs: the placeholder ranges drew from 1..2.
                        let r = spec.resources.len();
                        spec.colocations.retain(|c| c.rsc < r && c.with < c.rsc);
                        spec.orders.retain(|o| o.then < r && o.first < o.then);
                        spec
                    },
                )
        })
}

/// [`cluster`] with [`Extras`]: monitor failures and fail counts,
/// `migration-threshold`, `on-fail`, utilization and a placement strategy.
pub fn cluster_wide() -> impl Strategy<Value = ClusterSpec> {
    cluster().prop_flat_map(|spec| {
        let n = spec.nodes.len();
        let p = spec.primitives().len();
        (
            Just(spec),
            prop::option::weighted(0.5, prop::sample::select(&["1", "2", "3"][..])),
            prop::option::weighted(
                0.3,
                prop::sample::select(&["restart", "stop", "block", "ignore", "standby"][..]),
            ),
            prop::option::weighted(
                0.4,
                prop::sample::select(&["utilization", "balanced", "minimal"][..]),
            ),
            prop::collection::vec(prop::option::weighted(0.6, 1u32..=4), n),
            prop::collection::vec(prop::option::weighted(0.6, 1u32..=3), p),
            prop::collection::vec(
                prop::collection::vec(prop_oneof![6 => Just(0u32), 1 => 1u32..=3], p),
                n,
            ),
        )
            .prop_map(
                |(
                    mut spec,
                    migration_threshold,
                    on_fail,
                    placement,
                    capacity,
                    utilization,
                    failures,
                )| {
                    spec.extras = Extras {
                        migration_threshold,
                        on_fail,
                        placement,
                        capacity,
                        utilization,
                        failures,
                    };
                    spec
                },
            )
    })
}

fn prim_count(k: &Kind) -> usize {
    match k {
        Kind::Group(m) => *m,
        _ => 1,
    }
}

/// A primitive: its id, whether it is promotable, and the id its history
/// is recorded under.
pub struct Prim {
    pub id: String,
    pub promotable: bool,
}

impl ClusterSpec {
    pub fn node_name(&self, i: usize) -> String {
        format!("node{}", i + 1)
    }

    /// The id of top-level resource `i`.
    pub fn rsc_id(&self, i: usize) -> String {
        match self.resources[i] {
            Kind::Primitive => format!("r{i}"),
            Kind::Group(_) => format!("g{i}"),
            Kind::Clone => format!("c{i}"),
            Kind::Promotable => format!("p{i}"),
        }
    }

    pub fn primitives(&self) -> Vec<Prim> {
        let mut out = Vec::new();
        for (i, k) in self.resources.iter().enumerate() {
            match k {
                Kind::Primitive => out.push(Prim {
                    id: format!("r{i}"),
                    promotable: false,
                }),
                Kind::Group(m) => {
                    for j in 0..*m {
                        out.push(Prim {
                            id: format!("g{i}m{j}"),
                            promotable: false,
                        })
                    }
                }
                Kind::Clone => out.push(Prim {
                    id: format!("c{i}x"),
                    promotable: false,
                }),
                Kind::Promotable => out.push(Prim {
                    id: format!("p{i}x"),
                    promotable: true,
                }),
            }
        }
        out
    }

    pub fn to_xml(&self) -> String {
        let mut x = String::new();
        x.push_str(
            "<cib crm_feature_set=\"3.16.1\" validate-with=\"pacemaker-3.8\" epoch=\"1\" \
             num_updates=\"0\" admin_epoch=\"0\" have-quorum=\"1\" dc-uuid=\"1\" \
             execution-date=\"1700000000\">\n  <configuration>\n    <crm_config>\n      \
             <cluster_property_set id=\"opts\">\n        \
             <nvpair id=\"opts-stonith\" name=\"stonith-enabled\" value=\"false\"/>\n",
        );
        let _ = writeln!(
            x,
            "        <nvpair id=\"opts-sym\" name=\"symmetric-cluster\" value=\"{}\"/>",
            self.symmetric
        );
        if let Some(p) = self.extras.placement {
            let _ = writeln!(
                x,
                "        <nvpair id=\"opts-placement\" name=\"placement-strategy\" value=\"{p}\"/>"
            );
        }
        x.push_str("      </cluster_property_set>\n    </crm_config>\n    <nodes>\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let name = self.node_name(i);
            let mut body = String::new();
            if n.standby {
                let _ = write!(
                    body,
                    "<instance_attributes id=\"{name}-ia\">\
                     <nvpair id=\"{name}-standby\" name=\"standby\" value=\"on\"/>\
                     </instance_attributes>"
                );
            }
            if let Some(Some(cpu)) = self.extras.capacity.get(i) {
                let _ = write!(
                    body,
                    "<utilization id=\"{name}-util\">\
                     <nvpair id=\"{name}-cpu\" name=\"cpu\" value=\"{cpu}\"/></utilization>"
                );
            }
            if body.is_empty() {
                let _ = writeln!(x, "      <node id=\"{}\" uname=\"{name}\"/>", i + 1);
            } else {
                let _ = writeln!(
                    x,
                    "      <node id=\"{}\" uname=\"{name}\">{body}</node>",
                    i + 1
                );
            }
        }
        x.push_str("    </nodes>\n    <resources>\n");
        for (i, k) in self.resources.iter().enumerate() {
            match k {
                Kind::Primitive => x.push_str(&self.primitive_xml(&format!("r{i}"), false)),
                Kind::Group(m) => {
                    let _ = writeln!(x, "      <group id=\"g{i}\">");
                    for j in 0..*m {
                        x.push_str(&self.primitive_xml(&format!("g{i}m{j}"), false));
                    }
                    x.push_str("      </group>\n");
                }
                Kind::Clone => {
                    let _ = writeln!(x, "      <clone id=\"c{i}\">");
                    x.push_str(&self.primitive_xml(&format!("c{i}x"), false));
                    x.push_str("      </clone>\n");
                }
                Kind::Promotable => {
                    let _ = writeln!(
                        x,
                        "      <clone id=\"p{i}\"><meta_attributes id=\"p{i}-meta\">\
                         <nvpair id=\"p{i}-promotable\" name=\"promotable\" value=\"true\"/>\
                         <nvpair id=\"p{i}-pmax\" name=\"promoted-max\" value=\"1\"/>\
                         </meta_attributes>"
                    );
                    x.push_str(&self.primitive_xml(&format!("p{i}x"), true));
                    x.push_str("      </clone>\n");
                }
            }
        }
        x.push_str("    </resources>\n    <constraints>\n");
        for (k, l) in self.locations.iter().enumerate() {
            let _ = writeln!(
                x,
                "      <rsc_location id=\"loc{k}\" rsc=\"{}\" node=\"{}\" score=\"{}\"/>",
                self.rsc_id(l.rsc),
                self.node_name(l.node),
                l.score
            );
        }
        for (k, c) in self.colocations.iter().enumerate() {
            let role = if c.promoted && matches!(self.resources[c.with], Kind::Promotable) {
                " with-rsc-role=\"Promoted\""
            } else {
                ""
            };
            let _ = writeln!(
                x,
                "      <rsc_colocation id=\"col{k}\" rsc=\"{}\" with-rsc=\"{}\"{role} score=\"{}\"/>",
                self.rsc_id(c.rsc),
                self.rsc_id(c.with),
                c.score
            );
        }
        for (k, o) in self.orders.iter().enumerate() {
            let _ = writeln!(
                x,
                "      <rsc_order id=\"ord{k}\" first=\"{}\" then=\"{}\" kind=\"{}\"/>",
                self.rsc_id(o.first),
                self.rsc_id(o.then),
                if o.mandatory { "Mandatory" } else { "Optional" }
            );
        }
        x.push_str(
            "    </constraints>\n    <rsc_defaults>\n      <meta_attributes id=\"rsc-defaults\">\n",
        );
        let _ = writeln!(
            x,
            "        <nvpair id=\"rsc-stickiness\" name=\"resource-stickiness\" value=\"{}\"/>",
            self.stickiness
        );
        if let Some(t) = self.extras.migration_threshold {
            let _ = writeln!(
                x,
                "        <nvpair id=\"rsc-mt\" name=\"migration-threshold\" value=\"{t}\"/>"
            );
        }
        x.push_str(
            "      </meta_attributes>\n    </rsc_defaults>\n  </configuration>\n  <status>\n",
        );
        let prims = self.primitives();
        for (i, n) in self.nodes.iter().enumerate() {
            let name = self.node_name(i);
            if !n.online {
                let _ = writeln!(
                    x,
                    "    <node_state id=\"{}\" uname=\"{name}\" in_ccm=\"false\" crmd=\"offline\" \
                     join=\"down\" expected=\"down\"/>",
                    i + 1
                );
                continue;
            }
            let _ = writeln!(
                x,
                "    <node_state id=\"{}\" uname=\"{name}\" in_ccm=\"true\" crmd=\"online\" \
                 join=\"member\" expected=\"member\">\n      <lrm id=\"{}\">\n        <lrm_resources>",
                i + 1,
                i + 1
            );
            let mut call = 1;
            let mut attrs = String::new();
            for (k, (p, h)) in prims.iter().zip(&self.history[i]).enumerate() {
                let fails = self.failures(i, k);
                let failed_op = match h {
                    _ if fails == 0 => None,
                    Hist::Running => Some(("monitor_10000", fails.to_string())),
                    Hist::Promoted if p.promotable => Some(("monitor_11000", fails.to_string())),
                    Hist::Promoted => Some(("monitor_10000", fails.to_string())),
                    Hist::StartFailed => Some(("start_0", "INFINITY".to_string())),
                    Hist::None | Hist::Stopped => None,
                };
                if let Some((op, count)) = &failed_op {
                    let key = format!("{}#{op}", p.id);
                    // `#` is not allowed in an XML id.
                    let id = format!("status-{}-{}-{op}", i + 1, p.id);
                    let _ = write!(
                        attrs,
                        "<nvpair id=\"{id}-fc\" name=\"fail-count-{key}\" value=\"{count}\"/>\
                         <nvpair id=\"{id}-lf\" name=\"last-failure-{key}\" value=\"1699999000\"/>"
                    );
                }
                let monitor_failed = failed_op.is_some() && *h != Hist::StartFailed;
                let ops = history_ops(&p.id, p.promotable, *h, monitor_failed, &mut call);
                if ops.is_empty() {
                    continue;
                }
                let (class, provider, ty) = agent(p.promotable);
                let _ = writeln!(
                    x,
                    "          <lrm_resource id=\"{}\" class=\"{class}\" provider=\"{provider}\" type=\"{ty}\">",
                    p.id
                );
                x.push_str(&ops);
                x.push_str("          </lrm_resource>\n");
            }
            x.push_str("        </lrm_resources>\n      </lrm>\n");
            if !attrs.is_empty() {
                let _ = writeln!(
                    x,
                    "      <transient_attributes id=\"{n}\"><instance_attributes id=\"status-{n}\">\
                     {attrs}</instance_attributes></transient_attributes>",
                    n = i + 1
                );
            }
            x.push_str("    </node_state>\n");
        }
        x.push_str("  </status>\n</cib>\n");
        x
    }
}

fn agent(promotable: bool) -> (&'static str, &'static str, &'static str) {
    if promotable {
        ("ocf", "pacemaker", "Stateful")
    } else {
        ("ocf", "pacemaker", "Dummy")
    }
}

impl ClusterSpec {
    /// A primitive's XML, with the extras that concern it.
    fn primitive_xml(&self, id: &str, promotable: bool) -> String {
        let (class, provider, ty) = agent(promotable);
        let on_fail = self
            .extras
            .on_fail
            .map(|f| format!(" on-fail=\"{f}\""))
            .unwrap_or_default();
        let ops = if promotable {
            format!(
                "<op id=\"{id}-mon-u\" name=\"monitor\" interval=\"10s\" role=\"Unpromoted\"{on_fail}/>\
                 <op id=\"{id}-mon-p\" name=\"monitor\" interval=\"11s\" role=\"Promoted\"{on_fail}/>"
            )
        } else {
            format!("<op id=\"{id}-mon\" name=\"monitor\" interval=\"10s\"{on_fail}/>")
        };
        let index = self.primitives().iter().position(|p| p.id == id);
        let util = match index.and_then(|i| self.extras.utilization.get(i)) {
            Some(Some(cpu)) => format!(
                "<utilization id=\"{id}-util\"><nvpair id=\"{id}-cpu\" name=\"cpu\" value=\"{cpu}\"/></utilization>"
            ),
            _ => String::new(),
        };
        format!(
            "        <primitive id=\"{id}\" class=\"{class}\" provider=\"{provider}\" type=\"{ty}\">\
             <operations>{ops}</operations>{util}</primitive>\n"
        )
    }

    /// A fail count for primitive `p` on node `n`, with the history entry
    /// it goes with (see [`Extras::failures`]).
    fn failures(&self, n: usize, p: usize) -> u32 {
        self.extras
            .failures
            .get(n)
            .and_then(|f| f.get(p))
            .copied()
            .unwrap_or(0)
    }
}

fn op(rsc: &str, task: &str, interval_ms: u64, rc: i32, call: &mut u32) -> String {
    let key = format!("{rsc}_{task}_{interval_ms}");
    let id = if interval_ms == 0 {
        format!("{rsc}_last_{}", *call)
    } else {
        key.clone()
    };
    let s = format!(
        "            <lrm_rsc_op id=\"{id}\" operation_key=\"{key}\" operation=\"{task}\" \
         crm_feature_set=\"3.16.1\" transition-key=\"{c}:1:0:00000000-0000-0000-0000-000000000000\" \
         transition-magic=\"0:{rc};{c}:1:0:00000000-0000-0000-0000-000000000000\" call-id=\"{c}\" \
         rc-code=\"{rc}\" op-status=\"0\" interval=\"{interval_ms}\" last-rc-change=\"1699999000\" \
         exec-time=\"0\" queue-time=\"0\"/>\n",
        c = *call
    );
    *call += 1;
    s
}

/// The history entries for `h`; with `monitor_failed`, the recurring
/// monitor of a running primitive reports a generic error (rc 1).
fn history_ops(
    rsc: &str,
    promotable: bool,
    h: Hist,
    monitor_failed: bool,
    call: &mut u32,
) -> String {
    let mon_rc = |ok: i32| if monitor_failed { 1 } else { ok };
    match h {
        Hist::None => String::new(),
        Hist::Stopped => op(rsc, "monitor", 0, 7, call),
        Hist::Running => {
            let mut s = op(rsc, "start", 0, 0, call);
            s += &op(rsc, "monitor", 10_000, mon_rc(0), call);
            s
        }
        Hist::StartFailed => op(rsc, "start", 0, 1, call),
        Hist::Promoted if promotable => {
            let mut s = op(rsc, "promote", 0, 0, call);
            s += &op(rsc, "monitor", 11_000, mon_rc(8), call);
            s
        }
        Hist::Promoted => history_ops(rsc, promotable, Hist::Running, monitor_failed, call),
    }
}
