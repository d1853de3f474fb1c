//! From source text to [`Cib`]. Fatal problems (not UTF-8, not XML, not a
//! CIB) are a [`LoadError`]; everything else is recorded as a [`LoadIssue`]
//! next to a best-effort model.

use super::rule::{
    AttrExpr, AttrOp, BoolOp, DateExpr, DateOp, DateSpec, Expr, OpExpr, RscExpr, Rule, ValueSource,
    ValueType,
};
use super::score::{parse_score, HealthScores, Score, ScoreParse};
use super::time::{parse_duration, parse_instant, Instant};
use super::*;
use crate::xml::{self, Element, ParseLimits, XmlError};
use std::collections::HashMap;

/// Why a source could not be read as a CIB at all.
#[derive(Clone, Debug)]
pub struct LoadError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl From<XmlError> for LoadError {
    fn from(e: XmlError) -> Self {
        LoadError {
            message: e.message,
            span: e.span,
            help: None,
        }
    }
}

/// The error for input that is not UTF-8, pointing at the first bad byte.
pub fn not_utf8(at: usize) -> LoadError {
    LoadError {
        message: format!("input is not valid UTF-8 (bad byte at offset {at})"),
        span: Span::new(at, at + 1),
        help: Some("a CIB exported by cibadmin is always UTF-8".into()),
    }
}

/// Load a CIB from its source text.
pub fn load(source: SourceFile, limits: ParseLimits) -> Result<Cib, LoadError> {
    if source.text.as_bytes().contains(&0) {
        let at = source
            .text
            .as_bytes()
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(0);
        return Err(LoadError {
            message: "input contains a NUL byte: not an XML text file".into(),
            span: Span::new(at, at + 1),
            help: None,
        });
    }
    let mut doc = xml::parse_shared(source.text.clone(), limits)?;
    // Pacemaker reads an old-schema CIB only after upgrading it.
    let partial = super::partial::wrap(&mut doc);
    // The upgrade's verdict needs the CIB as written too; only old CIBs
    // are upgraded, so only they are copied.
    let original = (partial.is_none() && super::schema::upgrade_decides(&doc)).then(|| doc.clone());
    let upgrade = super::upgrade::upgrade(&mut doc);
    let mut cib = from_document(source, doc)?;
    cib.upgrade = upgrade;
    if partial.is_none() {
        let as_written = original.as_ref().unwrap_or(&cib.doc);
        let mut check = super::schema::check_as_written(as_written, cib.pacemaker);
        if let Some(o) = &original {
            super::schema::check_upgrade(o, &cib.doc, &mut check, cib.pacemaker);
        }
        cib.schema = check;
    }
    if partial.is_some() {
        // What a reference names may well be in a section not exported.
        cib.issues
            .retain(|i| i.kind != IssueKind::DanglingReference);
    }
    cib.partial = partial;
    Ok(cib)
}

/// Build a CIB from an already parsed (and possibly edited) document.
/// `source` is the text it was parsed from: the spans of elements kept from
/// it still point there, elements added by edits have empty spans. Used for
/// simulated states, which need no re-serialising and re-parsing.
pub fn from_document(source: SourceFile, doc: xml::Document) -> Result<Cib, LoadError> {
    let root = doc.root();
    if root.name != "cib" {
        return Err(LoadError {
            message: format!("root element is <{}>, not <cib>", root.name),
            span: root.name_span,
            help: Some("export the CIB with `cibadmin --query` or `pcs cluster cib`".into()),
        });
    }
    let mut l = Loader {
        doc: &doc,
        issues: Vec::new(),
        ids: HashMap::new(),
        health: HealthScores::default(),
    };
    l.index_ids();
    let root_id = doc.root;
    let configuration = doc.child_named(root_id, "configuration");
    let mut cib = Cib {
        source: source.clone(),
        validate_with: root.attr("validate-with").map(str::to_owned),
        have_quorum: root.attr("have-quorum").map(parse_bool),
        dc_uuid: root.attr("dc-uuid").map(str::to_owned),
        execution_date: root
            .attr("execution-date")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map(Instant),
        crm_config: Vec::new(),
        rsc_defaults: Vec::new(),
        op_defaults: Vec::new(),
        nodes: Vec::new(),
        resources: Vec::new(),
        top_resources: Vec::new(),
        templates: Vec::new(),
        tags: Vec::new(),
        locations: Vec::new(),
        colocations: Vec::new(),
        orders: Vec::new(),
        tickets: Vec::new(),
        fencing_levels: Vec::new(),
        status: None,
        ids: HashMap::new(),
        resource_index: HashMap::new(),
        issues: Vec::new(),
        upgrade: super::upgrade::SchemaUpgrade::default(),
        schema: super::schema::SchemaCheck::default(),
        partial: None,
        pacemaker: crate::profile::DEFAULT,
        pacemaker_chosen: crate::profile::Chosen::Default,
        doc: xml::Document::default(),
    };
    if let Some(conf) = configuration {
        if let Some(e) = doc.child_named(conf, "crm_config") {
            cib.crm_config = l.nvsets(e, None);
        }
        l.health = health_scores(&cib.crm_config, &l.health);
        if let Some(e) = doc.child_named(conf, "rsc_defaults") {
            cib.rsc_defaults = l.nvsets(e, None);
        }
        if let Some(e) = doc.child_named(conf, "op_defaults") {
            cib.op_defaults = l.nvsets(e, None);
        }
        if let Some(e) = doc.child_named(conf, "nodes") {
            cib.nodes = l.nodes(e);
        }
        if let Some(e) = doc.child_named(conf, "resources") {
            l.resources(e, &mut cib);
        }
        if let Some(e) = doc.child_named(conf, "tags") {
            cib.tags = l.tags(e);
        }
        if let Some(e) = doc.child_named(conf, "fencing-topology") {
            cib.fencing_levels = l.fencing(e);
        }
        if let Some(e) = doc.child_named(conf, "constraints") {
            l.constraints(e, &mut cib);
        }
    }
    if let Some(st) = doc.child_named(root_id, "status") {
        cib.status = Some(l.status(st));
    }
    l.check_references(&cib);
    cib.ids = l.ids;
    cib.issues = l.issues;
    cib.doc = doc;
    (cib.pacemaker, cib.pacemaker_chosen) = crate::profile::choose(
        cib.cluster_option_at("dc-version", super::time::Instant::now())
            .and_then(|p| p.value.as_deref()),
    );
    Ok(cib)
}

fn health_scores(crm_config: &[NvSet], base: &HealthScores) -> HealthScores {
    let mut h = *base;
    for (name, slot) in [
        ("node-health-red", &mut h.red),
        ("node-health-yellow", &mut h.yellow),
        ("node-health-green", &mut h.green),
    ] {
        if let Some(v) = nvset::first_value(crm_config, name).and_then(|p| p.value.as_deref()) {
            *slot = parse_score(v, base).score();
        }
    }
    h
}

/// Pacemaker's boolean spelling: yes/true/on/1 (any case) are true.
pub fn parse_bool(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "on" | "y" | "1"
    )
}

/// Is this a boolean Pacemaker recognises at all?
pub fn is_bool(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "on" | "y" | "1" | "false" | "no" | "off" | "n" | "0"
    )
}

/// Parse an interval or timeout: ISO 8601 duration, or a number with an
/// optional unit (ms, us, s, m, h; seconds by default). `None` when junk.
pub fn parse_interval_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    if t.starts_with('P') {
        let d = parse_duration(t)?;
        let secs = d.seconds + d.months * 30 * 86_400 + d.years * 365 * 86_400;
        return u64::try_from(secs).ok().map(|s| s * 1000);
    }
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if digits_end == 0 {
        return None;
    }
    let n: u64 = t[..digits_end].parse().ok()?;
    let unit = t[digits_end..].trim().to_ascii_lowercase();
    let ms = match unit.as_str() {
        "" | "s" | "sec" | "secs" => n.checked_mul(1000)?,
        "ms" | "msec" | "msecs" => n,
        "us" | "usec" | "usecs" => n / 1000,
        "m" | "min" | "mins" => n.checked_mul(60_000)?,
        "h" | "hr" | "hrs" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    Some(ms)
}

struct Loader<'d> {
    doc: &'d xml::Document,
    issues: Vec<LoadIssue>,
    ids: HashMap<String, ElemId>,
    health: HealthScores,
}

impl<'d> Loader<'d> {
    fn el(&self, id: ElemId) -> Element<'d> {
        self.doc.get(id)
    }

    fn issue(&mut self, kind: IssueKind, elem: ElemId, span: Span, message: String) {
        self.issues.push(LoadIssue {
            kind,
            message,
            span,
            elem: Some(elem),
            related: Vec::new(),
            help: None,
        });
    }

    fn issue_help(
        &mut self,
        kind: IssueKind,
        elem: ElemId,
        span: Span,
        message: String,
        help: &str,
    ) {
        self.issues.push(LoadIssue {
            kind,
            message,
            span,
            elem: Some(elem),
            related: Vec::new(),
            help: Some(help.into()),
        });
    }

    /// Index ids of the configuration section; ids there must be unique.
    /// The status section reuses node ids by design, so it is not indexed
    /// for uniqueness.
    fn index_ids(&mut self) {
        let root = self.doc.root;
        let Some(conf) = self.doc.child_named(root, "configuration") else {
            return;
        };
        for e in self.doc.descendants(conf) {
            let el = self.el(e);
            // These elements' `id` names something defined elsewhere (the
            // schema's IDREFs: resource_ref in sets, obj_ref in tags, role
            // in acl_target/acl_group, the legacy ACLs' role_ref), or a
            // user or group name. A <node>'s id is the cluster layer's node
            // id, its own namespace (a remote node shares its id with its
            // connection resource).
            if matches!(
                el.name,
                "resource_ref"
                    | "obj_ref"
                    | "role"
                    | "role_ref"
                    | "acl_target"
                    | "acl_group"
                    | "node"
            ) {
                continue;
            }
            let Some(id) = el.attr("id") else { continue };
            match self.ids.get(id) {
                Some(&first) => {
                    let first_span = self.el(first).attr_span("id");
                    self.issues.push(LoadIssue {
                        kind: IssueKind::DuplicateId,
                        message: format!(
                            "id `{id}` is already used by an earlier <{}>",
                            self.el(first).name
                        ),
                        span: el.attr_span("id"),
                        elem: Some(e),
                        related: vec![(first_span, "first defined here".into())],
                        help: Some(
                            "ids must be unique across the whole configuration; rename one of them"
                                .into(),
                        ),
                    });
                }
                None => {
                    self.ids.insert(id.to_owned(), e);
                }
            }
        }
    }

    /// Follow an `id-ref` to the element it names, recording a dangling
    /// reference when missing. Returns the element to read.
    fn deref(&mut self, e: ElemId) -> Option<ElemId> {
        let el = self.el(e);
        let Some(r) = el.attr("id-ref") else {
            return Some(e);
        };
        match self.ids.get(r) {
            Some(&target) if self.el(target).name == el.name => Some(target),
            Some(&target) => {
                let msg = format!(
                    "id-ref `{r}` names a <{}>, but it is used for a <{}>",
                    self.el(target).name,
                    el.name
                );
                let span = el.attr_span("id-ref");
                self.issue(IssueKind::DanglingReference, e, span, msg);
                None
            }
            None => {
                let msg = format!("id-ref `{r}` refers to no element of this configuration");
                let span = el.attr_span("id-ref");
                self.issue(IssueKind::DanglingReference, e, span, msg);
                None
            }
        }
    }

    fn id_of(&self, e: ElemId) -> String {
        let el = self.el(e);
        el.attr("id")
            .or_else(|| el.attr("id-ref"))
            .unwrap_or_default()
            .to_owned()
    }

    fn score_attr(&mut self, e: ElemId, name: &str) -> Option<Score> {
        let v = self.el(e).attr(name)?;
        match parse_score(v, &self.health) {
            ScoreParse::Exact(s) => Some(s),
            ScoreParse::Lenient(s) => {
                let span = self.el(e).attr_span(name);
                let msg = format!("`{name}=\"{v}\"` is not a score; Pacemaker reads it as {s}");
                self.issue_help(
                    IssueKind::InvalidScore,
                    e,
                    span,
                    msg,
                    "a score is an integer, INFINITY, +INFINITY or -INFINITY",
                );
                Some(s)
            }
        }
    }

    fn role_attr(&mut self, e: ElemId, name: &str) -> Option<Role> {
        let v = self.el(e).attr(name)?;
        match Role::parse(v) {
            Some((r, _)) => Some(r),
            None => {
                let span = self.el(e).attr_span(name);
                let msg = format!("`{v}` is not a role");
                self.issue_help(
                    IssueKind::UnknownRole,
                    e,
                    span,
                    msg,
                    "roles are Stopped, Started, Unpromoted, Promoted (or the legacy Slave, Master)",
                );
                None
            }
        }
    }

    fn bool_attr(&mut self, e: ElemId, name: &str) -> Option<bool> {
        let v = self.el(e).attr(name)?;
        if !is_bool(v) {
            let span = self.el(e).attr_span(name);
            let msg = format!("`{name}=\"{v}\"` is not a boolean; Pacemaker reads it as false");
            self.issue(IssueKind::InvalidValue, e, span, msg);
        }
        Some(parse_bool(v))
    }

    /// A boolean that falls back to its default when it is not one
    /// (Pacemaker ignores the value, unlike [`Self::bool_attr`]'s false).
    fn bool_attr_or_default(&mut self, e: ElemId, name: &str) -> Option<bool> {
        let v = self.el(e).attr(name)?;
        if !is_bool(v) {
            let span = self.el(e).attr_span(name);
            let msg = format!(
                "`{name}=\"{v}\"` is not a boolean; Pacemaker ignores it and uses the default"
            );
            self.issue(IssueKind::InvalidValue, e, span, msg);
            return None;
        }
        Some(parse_bool(v))
    }

    fn opt(&self, e: ElemId, name: &str) -> Option<String> {
        self.el(e).attr(name).map(str::to_owned)
    }

    // ----- name/value sets and rules -----

    fn nvsets(&mut self, parent: ElemId, only: Option<&str>) -> Vec<NvSet> {
        let children = self.el(parent).children();
        let mut out = Vec::new();
        for c in children {
            let name = self.el(c).name;
            if only.is_some_and(|o| o != name) || name == "rule" || name == "op" {
                continue;
            }
            if !matches!(
                name,
                "cluster_property_set"
                    | "meta_attributes"
                    | "instance_attributes"
                    | "utilization"
                    | "attributes"
            ) {
                continue;
            }
            if let Some(set) = self.nvset(c) {
                out.push(set);
            }
        }
        out
    }

    fn nvset(&mut self, e: ElemId) -> Option<NvSet> {
        let target = self.deref(e)?;
        let score = self.score_attr(target, "score");
        let mut rule = None;
        let mut pairs = Vec::new();
        for c in self.el(target).children() {
            match self.el(c).name {
                "rule" => rule = self.rule(c),
                "nvpair" => {
                    let Some(p) = self.deref(c) else { continue };
                    let pe = self.el(p);
                    let Some(name) = pe.attr("name") else {
                        let span = pe.name_span;
                        self.issue(
                            IssueKind::InvalidValue,
                            p,
                            span,
                            "<nvpair> without a `name`".into(),
                        );
                        continue;
                    };
                    pairs.push(NvPair {
                        id: pe.attr("id").map(str::to_owned),
                        elem: p,
                        name: name.to_owned(),
                        value: pe.attr("value").map(str::to_owned),
                    });
                }
                _ => {}
            }
        }
        Some(NvSet {
            id: self.id_of(e),
            elem: target,
            score,
            rule,
            pairs,
        })
    }

    fn rule(&mut self, e: ElemId) -> Option<Rule> {
        let r = self.deref(e)?;
        let boolean_op = match self.el(r).attr("boolean-op") {
            Some("or") => BoolOp::Or,
            Some("and") | None => BoolOp::And,
            Some(other) => {
                let span = self.el(r).attr_span("boolean-op");
                let msg = format!("boolean-op `{other}` is neither `and` nor `or`");
                self.issue(IssueKind::InvalidValue, r, span, msg);
                BoolOp::And
            }
        };
        let score = self.score_attr(r, "score");
        let role = self.role_attr(r, "role");
        let mut exprs = Vec::new();
        for c in self.el(r).children() {
            let name = self.el(c).name;
            match name {
                "rule" => {
                    if let Some(sub) = self.rule(c) {
                        exprs.push(Expr::Rule(sub));
                    }
                }
                "expression" => {
                    if let Some(x) = self.attr_expr(c) {
                        exprs.push(Expr::Attr(x));
                    }
                }
                "date_expression" => {
                    if let Some(x) = self.date_expr(c) {
                        exprs.push(Expr::Date(x));
                    }
                }
                "rsc_expression" => exprs.push(Expr::Rsc(RscExpr {
                    elem: c,
                    class: self.opt(c, "class"),
                    provider: self.opt(c, "provider"),
                    kind: self.opt(c, "type"),
                })),
                "op_expression" => {
                    let interval_ms = self.el(c).attr("interval").and_then(parse_interval_ms);
                    exprs.push(Expr::Op(OpExpr {
                        elem: c,
                        name: self.opt(c, "name").unwrap_or_default(),
                        interval_ms,
                    }))
                }
                _ => {}
            }
        }
        Some(Rule {
            id: self.id_of(r),
            elem: r,
            boolean_op,
            score,
            score_attribute: self.opt(r, "score-attribute"),
            role,
            exprs,
        })
    }

    fn attr_expr(&mut self, e: ElemId) -> Option<AttrExpr> {
        let x = self.deref(e)?;
        let el = self.el(x);
        let op_text = el.attr("operation").unwrap_or("");
        let Some(op) = AttrOp::parse(op_text) else {
            let span = el.attr_span("operation");
            let msg = format!("expression operation `{op_text}` is not one Pacemaker knows");
            self.issue(IssueKind::InvalidValue, x, span, msg);
            return None;
        };
        let value_type = match el.attr("type") {
            None => None,
            Some("string") => Some(ValueType::String),
            Some("integer") => Some(ValueType::Integer),
            Some("number") => Some(ValueType::Number),
            Some("version") => Some(ValueType::Version),
            Some(other) => {
                let span = el.attr_span("type");
                let msg = format!("expression type `{other}` is not one Pacemaker knows");
                self.issue(IssueKind::InvalidValue, x, span, msg);
                None
            }
        };
        let value_source = match el.attr("value-source") {
            Some("param") => ValueSource::Param,
            Some("meta") => ValueSource::Meta,
            _ => ValueSource::Literal,
        };
        Some(AttrExpr {
            id: self.id_of(x),
            elem: x,
            attribute: el.attr("attribute").unwrap_or_default().to_owned(),
            op,
            value: el.attr("value").map(str::to_owned),
            value_type,
            value_source,
        })
    }

    fn instant_attr(&mut self, e: ElemId, name: &str) -> Option<Instant> {
        let v = self.el(e).attr(name)?;
        let parsed = parse_instant(v);
        if parsed.is_none() {
            let span = self.el(e).attr_span(name);
            let msg = format!("`{name}=\"{v}\"` is not an ISO 8601 date");
            self.issue(IssueKind::InvalidValue, e, span, msg);
        }
        parsed
    }

    fn date_expr(&mut self, e: ElemId) -> Option<DateExpr> {
        let x = self.deref(e)?;
        let op = match self.el(x).attr("operation").unwrap_or("in_range") {
            "in_range" => DateOp::InRange,
            "gt" => DateOp::Gt,
            "lt" => DateOp::Lt,
            "date_spec" => DateOp::DateSpec,
            other => {
                let span = self.el(x).attr_span("operation");
                let msg = format!("date_expression operation `{other}` is not one Pacemaker knows");
                self.issue(IssueKind::InvalidValue, x, span, msg);
                return None;
            }
        };
        let start = self.instant_attr(x, "start");
        let end = self.instant_attr(x, "end");
        let mut duration = None;
        let mut spec = None;
        for c in self.el(x).children() {
            match self.el(c).name {
                "duration" => duration = Some(self.duration_elem(c)),
                "date_spec" => spec = Some(self.date_spec(c)),
                _ => {}
            }
        }
        Some(DateExpr {
            id: self.id_of(x),
            elem: x,
            op,
            start,
            end,
            duration,
            spec,
        })
    }

    fn duration_elem(&mut self, e: ElemId) -> time::Duration {
        let el = self.el(e);
        let mut d = time::Duration::default();
        for (name, mul) in [
            ("years", 0),
            ("months", 0),
            ("weeks", 7 * 86_400),
            ("days", 86_400),
            ("hours", 3600),
            ("minutes", 60),
            ("seconds", 1),
        ] {
            let Some(v) = el.attr(name) else { continue };
            let n: i64 = v.trim().parse().unwrap_or(0);
            match name {
                "years" => d.years += n,
                "months" => d.months += n,
                _ => d.seconds += n * mul,
            }
        }
        d
    }

    fn date_spec(&mut self, e: ElemId) -> DateSpec {
        let el = self.el(e);
        let mut spec = DateSpec::default();
        for a in el.attrs() {
            if matches!(a.name, "id" | "id-ref") {
                continue;
            }
            let v = a.value.trim();
            let range = match v.split_once('-') {
                Some((lo, hi)) if !lo.is_empty() => {
                    lo.trim().parse().ok().zip(hi.trim().parse().ok())
                }
                _ => v.parse().ok().map(|n: i64| (n, n)),
            };
            match range {
                Some((lo, hi)) => spec.fields.push((a.name.to_string(), lo, hi)),
                None => {
                    let msg = format!(
                        "date_spec `{}=\"{}\"` is not a number or range",
                        a.name, a.value
                    );
                    self.issues.push(LoadIssue {
                        kind: IssueKind::InvalidValue,
                        message: msg,
                        span: a.value_span,
                        elem: Some(e),
                        related: Vec::new(),
                        help: None,
                    });
                }
            }
        }
        spec
    }

    // ----- nodes -----

    fn nodes(&mut self, e: ElemId) -> Vec<Node> {
        let mut out: Vec<Node> = Vec::new();
        // Position of the first node of each id (a scan per node would
        // make thousands of nodes quadratic).
        let mut seen: HashMap<String, usize> = HashMap::new();
        for c in self.doc.children_named(e, "node").collect::<Vec<_>>() {
            let id = self.id_of(c);
            if let Some(first) = seen.get(&id).map(|&i| &out[i]) {
                let first_span = self.el(first.elem).attr_span("id");
                self.issues.push(LoadIssue {
                    kind: IssueKind::DuplicateId,
                    message: format!("node id `{id}` is already used by an earlier <node>"),
                    span: self.el(c).attr_span("id"),
                    elem: Some(c),
                    related: vec![(first_span, "first defined here".into())],
                    help: Some("each node has its own id; remove the stale entry".into()),
                });
            }
            let uname = self.el(c).attr("uname").unwrap_or(&id).to_owned();
            seen.entry(id.clone()).or_insert(out.len());
            out.push(Node {
                uname,
                id,
                elem: c,
                kind: self.el(c).attr("type").unwrap_or("member").to_owned(),
                attrs: self.nvsets(c, Some("instance_attributes")),
                utilization: self.nvsets(c, Some("utilization")),
                score: self.score_attr(c, "score"),
            });
        }
        out
    }

    // ----- resources -----

    fn resources(&mut self, e: ElemId, cib: &mut Cib) {
        // Templates first, so primitives can inherit from them.
        for c in self.el(e).children() {
            if self.el(c).name == "template" {
                let t = self.primitive(c, None, &[]);
                cib.templates.push(t);
            }
        }
        for c in self.el(e).children() {
            if let Some(id) = self.resource(c, None, cib) {
                cib.top_resources.push(id);
            }
        }
    }

    fn push_resource(&mut self, cib: &mut Cib, r: Resource) -> ResourceId {
        let id = ResourceId(cib.resources.len() as u32);
        if cib.resource_index.contains_key(&r.id) {
            // Duplicate ids are reported by index_ids; keep the first.
        } else {
            cib.resource_index.insert(r.id.clone(), id);
        }
        if let Some(p) = r.parent {
            cib.resources[p.index()].children.push(id);
        }
        cib.resources.push(r);
        id
    }

    fn resource(
        &mut self,
        e: ElemId,
        parent: Option<ResourceId>,
        cib: &mut Cib,
    ) -> Option<ResourceId> {
        let name = self.el(e).name;
        match name {
            "primitive" => {
                let templates = std::mem::take(&mut cib.templates);
                let r = self.primitive(e, parent, &templates);
                cib.templates = templates;
                Some(self.push_resource(cib, r))
            }
            "group" => {
                let r = self.container(e, parent, Variant::Group);
                let id = self.push_resource(cib, r);
                for c in self.el(e).children() {
                    if self.el(c).name == "primitive" {
                        self.resource(c, Some(id), cib);
                    }
                }
                Some(id)
            }
            "clone" | "master" => {
                let legacy_master = name == "master";
                let r0 = self.container(e, parent, Variant::Group);
                let promotable =
                    legacy_master || r0.meta_value("promotable").is_some_and(parse_bool);
                let r = Resource {
                    variant: Variant::Clone {
                        promotable,
                        legacy_master,
                    },
                    ..r0
                };
                let id = self.push_resource(cib, r);
                for c in self.el(e).children() {
                    if matches!(self.el(c).name, "primitive" | "group") {
                        self.resource(c, Some(id), cib);
                    }
                }
                Some(id)
            }
            "bundle" => {
                let bundle = self.bundle(e);
                let r = self.container(e, parent, Variant::Bundle(Box::new(bundle)));
                let id = self.push_resource(cib, r);
                for c in self.el(e).children() {
                    if self.el(c).name == "primitive" {
                        self.resource(c, Some(id), cib);
                    }
                }
                Some(id)
            }
            _ => None,
        }
    }

    fn container(&mut self, e: ElemId, parent: Option<ResourceId>, variant: Variant) -> Resource {
        Resource {
            id: self.id_of(e),
            elem: e,
            variant,
            parent,
            children: Vec::new(),
            class: None,
            provider: None,
            agent: None,
            template: None,
            meta: self.nvsets(e, Some("meta_attributes")),
            instance: self.nvsets(e, Some("instance_attributes")),
            utilization: Vec::new(),
            ops: Vec::new(),
            description: self.opt(e, "description"),
        }
    }

    fn bundle(&mut self, e: ElemId) -> Bundle {
        let mut b = Bundle::default();
        for c in self.el(e).children() {
            let el = self.el(c);
            match el.name {
                "docker" | "podman" | "rkt" => {
                    b.runtime = el.name.to_string();
                    b.image = self.opt(c, "image");
                    b.replicas = self.opt(c, "replicas").or_else(|| self.opt(c, "masters"));
                    b.replicas_per_host = self.opt(c, "replicas-per-host");
                    b.run_command = self.opt(c, "run-command");
                }
                "network" => {
                    b.network_elem = Some(c);
                    b.ip_range_start = self.opt(c, "ip-range-start");
                    b.control_port = self.opt(c, "control-port");
                    b.host_interface = self.opt(c, "host-interface");
                    b.host_netmask = self.opt(c, "host-netmask");
                    b.add_host = self.opt(c, "add-host");
                    for p in self
                        .doc
                        .children_named(c, "port-mapping")
                        .collect::<Vec<_>>()
                    {
                        b.port_mappings.push((
                            self.opt(p, "port"),
                            self.opt(p, "internal-port"),
                            self.opt(p, "range"),
                        ));
                    }
                }
                "storage" => {
                    for m in self
                        .doc
                        .children_named(c, "storage-mapping")
                        .collect::<Vec<_>>()
                    {
                        b.storage_mappings.push((
                            self.id_of(m),
                            self.opt(m, "source-dir")
                                .or_else(|| self.opt(m, "source-dir-root"))
                                .unwrap_or_default(),
                            self.opt(m, "target-dir").unwrap_or_default(),
                            self.opt(m, "options"),
                        ));
                    }
                }
                _ => {}
            }
        }
        b
    }

    fn primitive(
        &mut self,
        e: ElemId,
        parent: Option<ResourceId>,
        templates: &[Resource],
    ) -> Resource {
        let mut r = self.container(e, parent, Variant::Primitive);
        r.class = self.opt(e, "class");
        r.provider = self.opt(e, "provider");
        r.agent = self.opt(e, "type");
        r.template = self.opt(e, "template");
        r.utilization = self.nvsets(e, Some("utilization"));
        if let Some(ops) = self.doc.child_named(e, "operations") {
            let ops = self.deref(ops);
            if let Some(ops) = ops {
                for o in self.doc.children_named(ops, "op").collect::<Vec<_>>() {
                    if let Some(op) = self.op(o) {
                        r.ops.push(op);
                    }
                }
            }
        }
        if let Some(tid) = r.template.clone() {
            match templates.iter().find(|t| t.id == tid) {
                Some(t) => {
                    r.class = r.class.or_else(|| t.class.clone());
                    r.provider = r.provider.or_else(|| t.provider.clone());
                    r.agent = r.agent.or_else(|| t.agent.clone());
                    // Pacemaker expands a template into a copy of it with
                    // the primitive's children appended: the template's
                    // sets come first, so of equal scores the primitive's
                    // own set, read later, wins.
                    let before = |own: &mut Vec<NvSet>, tsets: &[NvSet]| {
                        let mine = std::mem::take(own);
                        own.extend(tsets.iter().cloned());
                        own.extend(mine);
                    };
                    before(&mut r.meta, &t.meta);
                    before(&mut r.instance, &t.instance);
                    before(&mut r.utilization, &t.utilization);
                    for op in &t.ops {
                        let overridden = r
                            .ops
                            .iter()
                            .any(|o| o.name == op.name && o.interval_ms == op.interval_ms);
                        if !overridden {
                            r.ops.push(op.clone());
                        }
                    }
                }
                None => {
                    let span = self.el(e).attr_span("template");
                    let msg = format!("template `{tid}` is not defined");
                    self.issue(IssueKind::DanglingReference, e, span, msg);
                }
            }
        }
        r
    }

    fn op(&mut self, e: ElemId) -> Option<Op> {
        let o = self.deref(e)?;
        let interval_text = self.el(o).attr("interval").unwrap_or("0").to_owned();
        let interval_ms = match parse_interval_ms(&interval_text) {
            Some(v) => v,
            None => {
                let span = self.el(o).attr_span("interval");
                let msg = format!("interval `{interval_text}` is not a duration");
                self.issue(IssueKind::InvalidValue, o, span, msg);
                0
            }
        };
        let enabled = self.bool_attr(o, "enabled");
        Some(Op {
            id: self.id_of(o),
            elem: o,
            name: self.opt(o, "name").unwrap_or_default(),
            interval_text,
            interval_ms,
            role: self.role_attr(o, "role"),
            timeout: self.opt(o, "timeout"),
            on_fail: self.opt(o, "on-fail"),
            enabled,
            requires: self.opt(o, "requires"),
            record_pending: self.opt(o, "record-pending"),
            start_delay: self.opt(o, "start-delay"),
            interval_origin: self.opt(o, "interval-origin"),
            meta: self.nvsets(o, Some("meta_attributes")),
            instance: self.nvsets(o, Some("instance_attributes")),
        })
    }

    fn tags(&mut self, e: ElemId) -> Vec<Tag> {
        let mut out = Vec::new();
        for t in self.doc.children_named(e, "tag").collect::<Vec<_>>() {
            let refs = self
                .doc
                .children_named(t, "obj_ref")
                .map(|r| (self.id_of(r), r))
                .collect();
            out.push(Tag {
                id: self.id_of(t),
                elem: t,
                refs,
            });
        }
        out
    }

    fn fencing(&mut self, e: ElemId) -> Vec<FencingLevel> {
        let mut out = Vec::new();
        for f in self
            .doc
            .children_named(e, "fencing-level")
            .collect::<Vec<_>>()
        {
            let el = self.el(f);
            out.push(FencingLevel {
                id: self.id_of(f),
                elem: f,
                target: el
                    .attr("target")
                    .or_else(|| el.attr("target-pattern"))
                    .or_else(|| el.attr("target-attribute"))
                    .map(str::to_owned),
                index: el.attr("index").and_then(|v| v.trim().parse().ok()),
                devices: el
                    .attr("devices")
                    .map(|d| d.split(',').map(|s| s.trim().to_owned()).collect())
                    .unwrap_or_default(),
            });
        }
        out
    }

    // ----- constraints -----

    fn sets(&mut self, e: ElemId) -> Vec<ResourceSet> {
        let mut out = Vec::new();
        for s in self
            .doc
            .children_named(e, "resource_set")
            .collect::<Vec<_>>()
        {
            let Some(t) = self.deref(s) else { continue };
            let members = self
                .doc
                .children_named(t, "resource_ref")
                .map(|r| SetMember {
                    id: self.id_of(r),
                    elem: r,
                })
                .collect();
            out.push(ResourceSet {
                id: self.id_of(s),
                elem: t,
                members,
                sequential: self.bool_attr(t, "sequential"),
                require_all: self.bool_attr(t, "require-all"),
                action: self.opt(t, "action"),
                role: self.role_attr(t, "role"),
                score: self.score_attr(t, "score"),
                kind: self.opt(t, "kind"),
                ordering: self.opt(t, "ordering"),
            });
        }
        out
    }

    fn constraints(&mut self, e: ElemId, cib: &mut Cib) {
        for c in self.el(e).children() {
            let name = self.el(c).name;
            match name {
                "rsc_location" => {
                    let rules = self
                        .doc
                        .children_named(c, "rule")
                        .collect::<Vec<_>>()
                        .into_iter()
                        .filter_map(|r| self.rule(r))
                        .collect();
                    let score = match self.score_attr(c, "score") {
                        Some(s) => Some(ScoreSpec::Value(s)),
                        None => self.opt(c, "score-attribute").map(ScoreSpec::Attribute),
                    };
                    cib.locations.push(Location {
                        id: self.id_of(c),
                        elem: c,
                        rsc: self.opt(c, "rsc"),
                        rsc_pattern: self.opt(c, "rsc-pattern"),
                        node: self.opt(c, "node"),
                        score,
                        role: self.role_attr(c, "role"),
                        resource_discovery: self.opt(c, "resource-discovery"),
                        rules,
                        sets: self.sets(c),
                    });
                }
                "rsc_colocation" => {
                    let score = match self.score_attr(c, "score") {
                        Some(s) => Some(ScoreSpec::Value(s)),
                        None => self.opt(c, "score-attribute").map(ScoreSpec::Attribute),
                    };
                    cib.colocations.push(Colocation {
                        id: self.id_of(c),
                        elem: c,
                        rsc: self.opt(c, "rsc"),
                        with_rsc: self.opt(c, "with-rsc"),
                        rsc_role: self.role_attr(c, "rsc-role"),
                        with_rsc_role: self.role_attr(c, "with-rsc-role"),
                        score,
                        node_attribute: self.opt(c, "node-attribute"),
                        influence: self.bool_attr_or_default(c, "influence"),
                        sets: self.sets(c),
                    });
                }
                "rsc_order" => {
                    let kind = match self.el(c).attr("kind") {
                        None => None,
                        Some(k) => match k.to_ascii_lowercase().as_str() {
                            "mandatory" => Some(OrderKind::Mandatory),
                            "optional" => Some(OrderKind::Optional),
                            "serialize" => Some(OrderKind::Serialize),
                            _ => {
                                let span = self.el(c).attr_span("kind");
                                let msg = format!(
                                    "order kind `{k}` is not Mandatory, Optional or Serialize"
                                );
                                self.issue(IssueKind::InvalidValue, c, span, msg);
                                None
                            }
                        },
                    };
                    for attr in ["first-action", "then-action"] {
                        if let Some(a) = self.el(c).attr(attr) {
                            if !matches!(
                                a,
                                "start"
                                    | "stop"
                                    | "promote"
                                    | "demote"
                                    | "promoted"
                                    | "demoted"
                                    | "started"
                                    | "stopped"
                            ) {
                                let span = self.el(c).attr_span(attr);
                                let msg = format!(
                                    "`{attr}=\"{a}\"` is not an action an ordering can use"
                                );
                                self.issue_help(
                                    IssueKind::InvalidValue,
                                    c,
                                    span,
                                    msg,
                                    "use start, stop, promote or demote",
                                );
                            }
                        }
                    }
                    cib.orders.push(Order {
                        id: self.id_of(c),
                        elem: c,
                        first: self.opt(c, "first"),
                        then: self.opt(c, "then"),
                        first_action: self.opt(c, "first-action"),
                        then_action: self.opt(c, "then-action"),
                        kind,
                        score: self.score_attr(c, "score"),
                        symmetrical: self.bool_attr(c, "symmetrical"),
                        require_all: self.bool_attr(c, "require-all"),
                        sets: self.sets(c),
                    });
                }
                "rsc_ticket" => {
                    cib.tickets.push(TicketConstraint {
                        id: self.id_of(c),
                        elem: c,
                        rsc: self.opt(c, "rsc"),
                        rsc_role: self.role_attr(c, "rsc-role"),
                        ticket: self.opt(c, "ticket"),
                        loss_policy: self.opt(c, "loss-policy"),
                        sets: self.sets(c),
                    });
                }
                _ => {}
            }
        }
    }

    // ----- status -----

    fn status(&mut self, e: ElemId) -> Vec<NodeState> {
        let mut out = Vec::new();
        for ns in self.doc.children_named(e, "node_state").collect::<Vec<_>>() {
            let mut transient = Vec::new();
            for t in self
                .doc
                .children_named(ns, "transient_attributes")
                .collect::<Vec<_>>()
            {
                transient.extend(self.nvsets(t, Some("instance_attributes")));
            }
            let mut lrm = Vec::new();
            if let Some(l) = self.doc.child_named(ns, "lrm") {
                let n: usize = self
                    .doc
                    .children_named(l, "lrm_resources")
                    .map(|rs| self.doc.children_named(rs, "lrm_resource").count())
                    .sum();
                lrm.reserve_exact(n);
                for rs in self
                    .doc
                    .children_named(l, "lrm_resources")
                    .collect::<Vec<_>>()
                {
                    for r in self
                        .doc
                        .children_named(rs, "lrm_resource")
                        .collect::<Vec<_>>()
                    {
                        lrm.push(self.lrm_resource(r));
                    }
                }
            }
            out.push(NodeState {
                id: self.id_of(ns),
                uname: self.opt(ns, "uname"),
                elem: ns,
                in_ccm: self.opt(ns, "in_ccm"),
                crmd: self.opt(ns, "crmd"),
                join: self.opt(ns, "join"),
                expected: self.opt(ns, "expected"),
                transient,
                lrm,
            });
        }
        out
    }

    fn lrm_resource(&mut self, r: ElemId) -> LrmResource {
        // Sized exactly: a status section has one LrmResource per resource
        // per node, usually with one or two operations, and a collected
        // filter would reserve room for four large LrmOps in each.
        let mut ops = Vec::with_capacity(self.doc.children_named(r, "lrm_rsc_op").count());
        ops.extend(self.doc.children_named(r, "lrm_rsc_op").map(|o| {
            // One pass over the attributes (the first of a name wins, as in
            // lookups): histories are most of a large CIB.
            let mut id = None;
            let mut operation = None;
            let mut ints: [Option<&str>; 6] = [None; 6];
            for (name, value, at) in self.el(o).attr_values() {
                let slot = match name {
                    "id" => {
                        id = id.or(Some(at));
                        continue;
                    }
                    "operation" => {
                        operation = operation.or(Some(at));
                        continue;
                    }
                    "call-id" => 0,
                    "rc-code" => 1,
                    "op-status" => 2,
                    "interval" => 3,
                    "last-rc-change" => 4,
                    "last-run" => 5,
                    _ => continue,
                };
                if ints[slot].is_none() {
                    ints[slot] = Some(value);
                }
            }
            let int = |i: usize| ints[i].and_then(|v| v.trim().parse::<i64>().ok());
            LrmOp {
                id: id.unwrap_or_default(),
                elem: o,
                operation: operation.unwrap_or_default(),
                call_id: int(0).unwrap_or(0),
                rc_code: int(1).unwrap_or(0) as i32,
                op_status: int(2).unwrap_or(0) as i32,
                // History records intervals in milliseconds, unlike the
                // configuration, where a bare number means seconds.
                interval_ms: int(3).map(|v| v.max(0) as u64).unwrap_or(0),
                last_rc_change: int(4).or_else(|| int(5)),
            }
        }));
        LrmResource {
            id: self
                .el(r)
                .attr_full("id")
                .map(|a| a.value_ref)
                .unwrap_or_default(),
            elem: r,
            ops,
        }
    }

    // ----- references -----

    /// Is `name` something a constraint may name: a resource, a clone
    /// instance (`rsc:N`), a template or a tag?
    fn constraint_target_exists(&self, cib: &Cib, tags: &[Tag], name: &str) -> bool {
        if cib.resource_index.contains_key(name)
            || cib.templates.iter().any(|t| t.id == name)
            || tags.iter().any(|t| t.id == name)
        {
            return true;
        }
        match name.rsplit_once(':') {
            Some((base, n)) => n.parse::<u32>().is_ok() && cib.resource_index.contains_key(base),
            None => false,
        }
    }

    fn check_references(&mut self, cib: &Cib) {
        let tags = &cib.tags;
        let mut refs: Vec<(ElemId, &str, &str)> = Vec::new();
        for l in &cib.locations {
            if let Some(r) = &l.rsc {
                refs.push((l.elem, "rsc", r));
            }
        }
        for c in &cib.colocations {
            if let Some(r) = &c.rsc {
                refs.push((c.elem, "rsc", r));
            }
            if let Some(r) = &c.with_rsc {
                refs.push((c.elem, "with-rsc", r));
            }
        }
        for o in &cib.orders {
            if let Some(r) = &o.first {
                refs.push((o.elem, "first", r));
            }
            if let Some(r) = &o.then {
                refs.push((o.elem, "then", r));
            }
        }
        for t in &cib.tickets {
            if let Some(r) = &t.rsc {
                refs.push((t.elem, "rsc", r));
            }
        }
        let all_sets = cib
            .locations
            .iter()
            .flat_map(|l| l.sets.iter())
            .chain(cib.colocations.iter().flat_map(|c| c.sets.iter()))
            .chain(cib.orders.iter().flat_map(|c| c.sets.iter()))
            .chain(cib.tickets.iter().flat_map(|c| c.sets.iter()));
        for s in all_sets {
            for m in &s.members {
                refs.push((m.elem, "id", &m.id));
            }
        }
        let mut found = Vec::new();
        for (elem, attr, name) in refs {
            if !self.constraint_target_exists(cib, tags, name) {
                let kind = self.el(elem).name;
                let what = if kind == "resource_ref" {
                    "resource set member"
                } else {
                    kind
                };
                found.push(LoadIssue {
                    kind: IssueKind::DanglingReference,
                    message: format!("{what} refers to `{name}`, which is not a resource, template or tag"),
                    span: self.el(elem).attr_span(attr),
                    elem: Some(elem),
                    related: Vec::new(),
                    help: Some("Pacemaker ignores a constraint whose resource does not exist: fix the name or remove the constraint".into()),
                });
            }
        }
        for t in tags {
            for (name, elem) in &t.refs {
                // A tag may also hold nodes, by node id (node ids are their
                // own namespace, not indexed with the other ids).
                if !self.ids.contains_key(name) && !cib.nodes.iter().any(|n| n.id == *name) {
                    found.push(LoadIssue {
                        kind: IssueKind::DanglingReference,
                        message: format!(
                            "tag `{}` lists `{name}`, which is neither defined nor a node id",
                            t.id
                        ),
                        span: self.el(*elem).attr_span("id"),
                        elem: Some(*elem),
                        related: Vec::new(),
                        help: None,
                    });
                }
            }
        }
        self.issues.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval_ms("10"), Some(10_000));
        assert_eq!(parse_interval_ms("10s"), Some(10_000));
        assert_eq!(parse_interval_ms("1500ms"), Some(1500));
        assert_eq!(parse_interval_ms("2m"), Some(120_000));
        assert_eq!(parse_interval_ms("1h"), Some(3_600_000));
        assert_eq!(parse_interval_ms("PT30S"), Some(30_000));
        assert_eq!(parse_interval_ms("0"), Some(0));
        assert_eq!(parse_interval_ms("ten"), None);
        assert_eq!(parse_interval_ms("10 parsecs"), None);
    }

    #[test]
    fn booleans() {
        assert!(parse_bool("TRUE") && parse_bool("yes") && parse_bool("1") && parse_bool("on"));
        assert!(!parse_bool("false") && !parse_bool("no") && !parse_bool("junk"));
        assert!(is_bool("Off") && !is_bool("maybe"));
    }
}
