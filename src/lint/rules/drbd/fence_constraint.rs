//! DR003 `drbd-fence-constraint`: DRBD's fence-peer handler
//! (`crm-fence-peer.sh`, `crm-fence-peer.9.sh`) adds a location constraint
//! `drbd-fence-by-handler-<res>-<clone>` that forbids the Promoted role
//! everywhere but on the nodes with up-to-date data, and the
//! after-resync-target handler (`crm-unfence-peer.sh`) removes it once the
//! peer has resynced. One still in the CIB means a resync never finished or
//! the unfence handler never ran: the clone cannot be promoted elsewhere,
//! so a failover of everything that needs DRBD is blocked.

use crate::cib::rule::{AttrOp, Expr, Rule};
use crate::cib::Role;
use crate::lint::{Context, Emitter};

pub const PREFIX: &str = "drbd-fence-by-handler-";

pub fn check(cx: &Context, em: &mut Emitter) {
    for loc in &cx.cib.locations {
        let Some(rest) = loc.id.strip_prefix(PREFIX) else {
            continue;
        };
        let rsc = loc.rsc.as_deref().unwrap_or("?");
        // The id is `<prefix><drbd resource>-<clone id>`.
        let drbd_res = rest
            .strip_suffix(rsc)
            .and_then(|r| r.strip_suffix('-'))
            .filter(|r| !r.is_empty());
        let mut pinned: Vec<String> = Vec::new();
        let mut role = None;
        for rule in &loc.rules {
            role = role.or(rule.role);
            collect_pins(rule, &mut pinned);
        }
        // Say `Master` for a legacy `<master>`, as its configuration does.
        let role_name = match (role, cx.resolve_one(rsc)) {
            (Some(Role::Promoted) | None, Some(id)) => super::promoted_word(cx, id),
            (Some(Role::Promoted) | None, None) => "Promoted",
            (Some(r), _) => r.name(),
        };
        let where_ = match pinned.as_slice() {
            [] => "to the nodes it had up-to-date data on".to_owned(),
            [one] => format!("to {one}"),
            many => format!("to {}", many.join(" or ")),
        };
        let status = match drbd_res {
            Some(r) => format!("drbdadm status {r}"),
            None => "drbdadm status".to_owned(),
        };
        let d = em
            .diag(
                cx.attr_span(loc.elem, "id"),
                format!(
                    "DRBD fence constraint `{}` still pins the {role_name} role of `{rsc}` {where_}",
                    loc.id
                ),
            )
            .label("left by crm-fence-peer.sh")
            .help(format!(
                "the fence-peer handler placed it when replication was lost, and crm-unfence-peer.sh should have removed it after the resync; \
                 check `{status}` on every node: once all disks are UpToDate, remove it with `pcs constraint remove {0}` or `crm configure delete {0}` \
                 (and make sure `after-resync-target \"/usr/lib/drbd/crm-unfence-peer.9.sh\"` is configured)",
                loc.id
            ))
            .element(loc.id.as_str());
        em.push(d);
    }
}

/// The nodes a fence rule keeps the role on: `#uname ne NODE` (or another
/// node attribute) expressions.
fn collect_pins(rule: &Rule, out: &mut Vec<String>) {
    for e in &rule.exprs {
        match e {
            Expr::Attr(a) if a.op == AttrOp::Ne => {
                let v = a.value.clone().unwrap_or_default();
                let text = if a.attribute == "#uname" {
                    format!("`{v}`")
                } else {
                    format!("nodes with `{}={v}`", a.attribute)
                };
                if !out.contains(&text) {
                    out.push(text);
                }
            }
            Expr::Rule(r) => collect_pins(r, out),
            _ => {}
        }
    }
}
