//! Operation digests: the MD5 Pacemaker records with each operation
//! (`op-digest`, `op-restart-digest`) over the parameters it ran with, and
//! the comparison against the resource's current definition that decides
//! whether a resource must restart, reload, or reschedule a monitor
//! (`pe__calculate_digests`, `rsc_action_digest_cmp`).
//!
//! The digest is taken over Pacemaker's own serialization of a
//! `<parameters>` element whose attributes are sorted by name: a leading
//! space, the element on one line, a trailing newline. The feature set of
//! the recorded operation does not change this format for the main and
//! restart digests.

use super::model::{Cluster, NodeIdx, RscIdx};
use super::unpack::unpack_nvsets;
use crate::cib::nvset::NvSet;
use crate::cib::rule::RuleContext;
use crate::cib::{Cib, Op};
use crate::xml::ElemId;
use md5::{Digest, Md5};
use std::collections::BTreeMap;

/// How a recorded operation compares with the current definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestRc {
    Match,
    /// Parameters that need a restart changed.
    Restart,
    /// Some parameters changed (a reload or reschedule may do).
    All,
    /// The history entry has no digest.
    Unknown,
}

/// Digests calculated for one history entry.
#[derive(Clone, Debug)]
pub struct OpDigests {
    pub rc: DigestRc,
    pub all: String,
    pub restart: Option<String>,
    /// Digest of the non-sensitive parameters (`op-secure-digest`).
    pub secure: String,
}

/// The attributes of a history entry that digest comparison reads.
#[derive(Clone, Debug, Default)]
pub struct HistoryOp {
    pub task: String,
    pub interval_ms: u64,
    pub op_digest: Option<String>,
    pub restart_digest: Option<String>,
    pub force_restart: Option<String>,
    pub secure_params: Option<String>,
    pub secure_digest: Option<String>,
    /// The feature set the entry was recorded with (else the CIB's).
    pub feature_set: Option<String>,
}

impl HistoryOp {
    /// Read an `lrm_rsc_op` element; `restart_override` stands for the
    /// restart digest Pacemaker overwrites while unpacking (expired
    /// recurring failures).
    pub fn from_elem(cib: &Cib, elem: ElemId, restart_override: Option<&str>) -> HistoryOp {
        let el = cib.doc.get(elem);
        let get = |n: &str| el.attr(n).map(str::to_owned);
        HistoryOp {
            task: get("operation").unwrap_or_default(),
            interval_ms: el
                .attr("interval")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0),
            op_digest: get("op-digest"),
            restart_digest: restart_override
                .map(str::to_owned)
                .or_else(|| get("op-restart-digest")),
            force_restart: get("op-force-restart"),
            secure_params: get("op-secure-params"),
            secure_digest: get("op-secure-digest"),
            feature_set: get("crm_feature_set")
                .or_else(|| cib.doc.root().attr("crm_feature_set").map(str::to_owned)),
        }
    }
}

/// Pacemaker's attribute-value escaping for logs and digests
/// (`crm_xml_escape`), including its quirks: escaping stops at the first
/// pair of bytes with the high bit set, and a lone high byte is written as
/// the octal of its sign-extended value.
pub fn xml_escape(text: &str) -> String {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next_high = b.get(i + 1).is_some_and(|n| n & 0x80 != 0);
        if c & 0x80 != 0 && next_high {
            out.extend_from_slice(&b[i..]);
            break;
        }
        match c {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&apos;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'\t' => out.extend_from_slice(b"    "),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            c if !(b' '..=b'~').contains(&c) => {
                let v = (c as i8) as i32 as u32;
                out.extend_from_slice(format!("\\{v:03o}").as_bytes());
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `pcmk__filter_op_for_digest` without the recurring timeout, which
/// callers add back: drop the history bookkeeping and every meta
/// attribute.
fn filter_for_digest(params: &mut BTreeMap<String, String>) {
    for name in [
        "id",
        "crm_feature_set",
        "op-digest",
        "on_node",
        "on_node_uuid",
        "pcmk_external_ip",
    ] {
        params.remove(name);
    }
    params.retain(|k, _| !k.starts_with("CRM_meta_"));
}

/// `calculate_operation_digest`: MD5 of the sorted `<parameters>` element.
pub fn operation_digest(params: &BTreeMap<String, String>) -> String {
    let mut text = String::from(" <parameters");
    // BTreeMap iterates by byte order, as Pacemaker's strcmp sort does.
    for (k, v) in params {
        text.push(' ');
        text.push_str(k);
        text.push_str("=\"");
        text.push_str(&xml_escape(v));
        text.push('"');
    }
    text.push_str("/>\n");
    let sum = Md5::digest(text.as_bytes());
    sum.iter().map(|b| format!("{b:02x}")).collect()
}

/// `crm_get_msec`: a number with an optional unit prefix, or None.
pub fn crm_get_msec(input: &str) -> Option<i64> {
    let s = input.trim_start_matches([' ', '\t', '\n', '\r']);
    let num_len = s
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.')
        .count();
    if num_len == 0 {
        return None;
    }
    let units = s[num_len..].trim_start_matches([' ', '\t', '\n', '\r']);
    let lower = units.to_ascii_lowercase();
    let (mult, div): (i64, i64) = if lower.starts_with("ms") {
        (1, 1)
    } else if lower.starts_with("us") {
        (1, 1000)
    } else if lower.starts_with('s') {
        (1000, 1)
    } else if lower.starts_with('m') {
        (60_000, 1)
    } else if lower.starts_with('h') {
        (3_600_000, 1)
    } else if units.is_empty() || units.starts_with(['\n', '\r']) {
        (1000, 1)
    } else {
        return None;
    };
    let digits: String = s[..num_len]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().unwrap_or(i64::MAX)
    };
    if n > i64::MAX / mult {
        return Some(i64::MAX);
    }
    Some(n * mult / div)
}

/// The resource's parameters evaluated for a node (`pe_rsc_params`): its
/// own sets, then each ancestor's, first value winning.
pub fn rsc_params_on(c: &Cluster, r: RscIdx, n: Option<NodeIdx>) -> BTreeMap<String, String> {
    let attrs = n.map(|n| &c.node(n).attrs);
    let lookup = |name: &str| attrs.and_then(|a| a.get(name).cloned());
    let ctx = RuleContext {
        now: Some(c.now),
        node_attr: if n.is_some() { Some(&lookup) } else { None },
        ..Default::default()
    };
    let mut out = BTreeMap::new();
    let mut cur = Some(r);
    while let Some(x) = cur {
        let sets: Vec<&NvSet> = c.rsc(x).instance_sets.iter().collect();
        unpack_nvsets(&mut out, &sets, None, false, &ctx);
        cur = c.rsc(x).parent;
    }
    out
}

/// The configured `<op>` an action of this task and interval uses,
/// disabled ones included (`find_rsc_op_entry_helper`).
pub fn op_entry<'a>(c: &'a Cluster, r: RscIdx, task: &str, interval_ms: u64) -> Option<&'a Op> {
    let ops = &c.rsc(r).ops;
    let pick = |name: &str, iv: u64| {
        ops.iter()
            .find(|o| o.name.eq_ignore_ascii_case(name) && o.interval_ms == iv)
    };
    pick(task, interval_ms).or_else(|| {
        if task.contains("migrate") {
            pick("migrate", 0)
        } else if task.contains("_notify_") {
            pick("notify", 0)
        } else {
            None
        }
    })
}

/// The timeout (ms) an action's meta attributes end up with
/// (`unpack_operation`), for a recurring operation.
fn recurring_timeout_ms(
    cib: &Cib,
    c: &Cluster,
    r: RscIdx,
    task: &str,
    interval_ms: u64,
    op: Option<&Op>,
) -> i64 {
    let rsc = c.rsc(r);
    let ctx = RuleContext {
        now: Some(c.now),
        rsc: Some((&rsc.class, rsc.provider.as_deref(), &rsc.agent)),
        op: Some((task, interval_ms)),
        ..Default::default()
    };
    let mut meta = BTreeMap::new();
    let defaults: Vec<&NvSet> = cib.op_defaults.iter().collect();
    unpack_nvsets(&mut meta, &defaults, None, false, &ctx);
    if let Some(o) = op {
        let sets: Vec<&NvSet> = o.meta.iter().collect();
        unpack_nvsets(&mut meta, &sets, None, true, &ctx);
        if let Some(t) = &o.timeout {
            meta.insert("timeout".into(), t.clone());
        }
    }
    let parsed = meta.get("timeout").and_then(|v| crm_get_msec(v));
    let ms = match parsed {
        Some(v) if v >= 0 => v,
        _ => 20_000,
    };
    // Pacemaker keeps the timeout in an int.
    ms.min(i32::MAX as i64)
}

/// Is `r` a bundle connection configured with `addr="#uname"`, whose
/// address is its container's host (`pe__bundle_needs_remote_name`)?
pub fn needs_remote_name(c: &Cluster, r: RscIdx) -> bool {
    let rsc = c.rsc(r);
    rsc.container.is_some()
        && rsc.class == "ocf"
        && rsc.provider.as_deref() == Some("pacemaker")
        && rsc.agent == "remote"
        && rsc_params_on(c, r, None)
            .get("addr")
            .is_some_and(|a| a.eq_ignore_ascii_case("#uname"))
}

/// The host name a bundle connection with `addr="#uname"` stands for, or
/// `None` for any other resource (`pe__add_bundle_remote_name`).
pub fn bundle_remote_name(c: &Cluster, r: RscIdx) -> Option<String> {
    if !needs_remote_name(c, r) {
        return None;
    }
    let cont = c.rsc(c.rsc(r).container?);
    let node = cont
        .assigned_to
        .or_else(|| cont.running_on.first().copied())?;
    Some(c.node(node).name.clone())
}

/// `pe__calculate_digests` (main and restart digests) for a history entry
/// of resource `r` on node `n`.
pub fn calculate_digests(
    cib: &Cib,
    c: &Cluster,
    r: RscIdx,
    n: NodeIdx,
    hop: &HistoryOp,
) -> (OpDigests, bool) {
    let task = hop.task.as_str();
    let interval_ms = hop.interval_ms;
    let op = op_entry(c, r, task, interval_ms);
    let mut all: BTreeMap<String, String> = BTreeMap::new();
    let add = |m: &mut BTreeMap<String, String>, k: &str, v: &str| {
        m.entry(k.to_owned()).or_insert_with(|| v.to_owned());
    };
    // A bundle's connection configured to reach its container's host
    // (`addr="#uname"`) is digested with that host's name: where the
    // container is assigned, else where it runs now
    // (`pe__add_bundle_remote_name`).
    if let Some(host) = bundle_remote_name(c, r) {
        add(&mut all, "addr", &host);
    }
    let params = rsc_params_on(c, r, Some(n));
    for (k, v) in &params {
        add(&mut all, k, v);
    }
    // Operation instance attributes (`action->extra`), evaluated for the node.
    let mut extra = BTreeMap::new();
    if let Some(o) = op {
        let attrs = &c.node(n).attrs;
        let lookup = |name: &str| attrs.get(name).cloned();
        let ctx = RuleContext {
            now: Some(c.now),
            node_attr: Some(&lookup),
            ..Default::default()
        };
        let sets: Vec<&NvSet> = o.instance.iter().collect();
        unpack_nvsets(&mut extra, &sets, None, false, &ctx);
    }
    for (k, v) in &extra {
        add(&mut all, k, v);
    }
    // Of the action's meta attributes only the timeout of a recurring
    // operation survives the digest filter.
    filter_for_digest(&mut all);
    if interval_ms > 0 {
        let t = recurring_timeout_ms(cib, c, r, task, interval_ms, op);
        all.insert("CRM_meta_timeout".into(), t.to_string());
    }
    // A non-recurring operation with its own parameters must restart when
    // they change, never reload.
    let extra_forces_restart = interval_ms == 0 && !extra.is_empty();
    let digest_all = operation_digest(&all);

    let restart = match (&hop.restart_digest, &hop.force_restart) {
        (None, _) => None,
        (Some(_), list) => {
            let mut p = all.clone();
            if let Some(list) = list {
                p.retain(|k, _| list.contains(&format!(" {k} ")));
            }
            Some(operation_digest(&p))
        }
    };
    let secure = secure_digest(c, r, hop, &params, &all);
    (
        OpDigests {
            rc: DigestRc::Match,
            all: digest_all,
            restart,
            secure,
        },
        extra_forces_restart,
    )
}

/// `compare_version`: dotted numeric versions, missing parts as zero.
pub fn compare_version(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |v: &str| -> Vec<u64> {
        v.split('.')
            .map(|p| {
                let d: String = p.chars().take_while(char::is_ascii_digit).collect();
                d.parse().unwrap_or(0)
            })
            .collect()
    };
    let (pa, pb) = (parse(a), parse(b));
    for i in 0..pa.len().max(pb.len()) {
        let (x, y) = (
            pa.get(i).copied().unwrap_or(0),
            pb.get(i).copied().unwrap_or(0),
        );
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

/// `pcmk_stonith_param`: parameters Pacemaker itself adds to fence devices.
fn is_fence_param(name: &str) -> bool {
    if matches!(name, "provides" | "stonith-timeout") {
        return true;
    }
    if !name.starts_with("pcmk_") {
        return false;
    }
    if matches!(
        name,
        "pcmk_action_limit"
            | "pcmk_delay_base"
            | "pcmk_delay_max"
            | "pcmk_host_argument"
            | "pcmk_host_check"
            | "pcmk_host_list"
            | "pcmk_host_map"
    ) {
        return true;
    }
    match name[5..].find('_') {
        Some(i) => matches!(&name[5 + i..], "_action" | "_timeout" | "_retries"),
        None => false,
    }
}

/// The Pacemaker version this scheduler reproduces uses this feature set.
const CRM_FEATURE_SET: &str = "3.16.2";

/// `calculate_secure_digest`: the digest without the parameters the
/// history marks as sensitive (crm_simulate compares it because it runs
/// on sanitized CIBs).
fn secure_digest(
    c: &Cluster,
    r: RscIdx,
    hop: &HistoryOp,
    params: &BTreeMap<String, String>,
    all: &BTreeMap<String, String>,
) -> String {
    let version = hop.feature_set.as_deref().unwrap_or(CRM_FEATURE_SET);
    let old = compare_version(version, "3.16.0") == std::cmp::Ordering::Less;
    let mut p = if old { params.clone() } else { all.clone() };
    if let Some(list) = &hop.secure_params {
        p.retain(|k, _| !list.contains(&format!(" {k} ")));
    }
    if old && c.rsc(r).class.eq_ignore_ascii_case("stonith") {
        p.retain(|k, _| !is_fence_param(k));
    }
    // The filter again: without CRM_meta_interval every meta attribute
    // (the timeout included) goes.
    filter_for_digest(&mut p);
    operation_digest(&p)
}

/// `rsc_action_digest_cmp`.
pub fn digest_cmp(cib: &Cib, c: &Cluster, r: RscIdx, n: NodeIdx, hop: &HistoryOp) -> OpDigests {
    let (mut d, extra_forces_restart) = calculate_digests(cib, c, r, n, hop);
    let restart_changed = match (&hop.restart_digest, &d.restart) {
        (Some(rec), Some(calc)) => rec != calc,
        _ => false,
    };
    d.rc = if restart_changed {
        DigestRc::Restart
    } else {
        match &hop.op_digest {
            None => DigestRc::Unknown,
            Some(rec) if *rec != d.all => {
                if extra_forces_restart {
                    DigestRc::Restart
                } else {
                    DigestRc::All
                }
            }
            Some(_) => DigestRc::Match,
        }
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_parameters() {
        // md5(" <parameters/>\n")
        let d = operation_digest(&BTreeMap::new());
        assert_eq!(d.len(), 32);
        assert_eq!(d, format!("{:x}", Md5::digest(b" <parameters/>\n")));
    }

    #[test]
    fn escaping() {
        assert_eq!(xml_escape("a<b&\"c'\n"), "a&lt;b&amp;&quot;c&apos;\\n");
        assert_eq!(xml_escape("x\ty"), "x    y");
        assert_eq!(xml_escape("\u{1}"), "\\001");
        // Escaping stops at a multi-byte character.
        assert_eq!(xml_escape("é<"), "é<");
    }

    #[test]
    fn msec() {
        assert_eq!(crm_get_msec("20s"), Some(20_000));
        assert_eq!(crm_get_msec("20"), Some(20_000));
        assert_eq!(crm_get_msec("90ms"), Some(90));
        assert_eq!(crm_get_msec("2min"), Some(120_000));
        assert_eq!(crm_get_msec("PT20S"), None);
    }
}
