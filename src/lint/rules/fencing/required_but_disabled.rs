//! FE004 `fencing-required-but-disabled`: fencing is disabled, yet an
//! operation asks for `on-fail=fence` or a resource for `requires=fencing`
//! (or `unfencing`). The cluster cannot honour either: Pacemaker resets
//! `on-fail=fence` to `stop` and `requires=unfencing` to `quorum`, and
//! recovers a `requires=fencing` resource without knowing its old node is down.

use super::fencing_disabled_by;
use crate::cib::{nvset, NvPair, Op};
use crate::lint::{Context, Emitter};
use crate::xml::{ElemId, Span};
use std::collections::HashSet;

fn is_fence(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.trim().eq_ignore_ascii_case("fence"))
}

fn is_fencing_requirement(v: Option<&str>) -> bool {
    v.is_some_and(|v| {
        let v = v.trim();
        v.eq_ignore_ascii_case("fencing") || v.eq_ignore_ascii_case("unfencing")
    })
}

struct Finder<'c, 'a, 'e> {
    cx: &'c Context<'a>,
    em: &'c mut Emitter<'e>,
    disabled_at: Span,
    seen: HashSet<(ElemId, &'static str)>,
}

impl Finder<'_, '_, '_> {
    fn report(&mut self, elem: ElemId, attr: &'static str, what: &str, value: &str, owner: &str) {
        if !self.seen.insert((elem, attr)) {
            return;
        }
        let message =
            format!("`{what}={value}` on {owner} cannot be honoured: fencing is disabled");
        let help = if what == "on-fail" {
            "Pacemaker resets `on-fail=fence` to `stop` when fencing is disabled; enable fencing, \
             or choose another `on-fail` (`restart`, `stop`, `block`, `standby`)"
        } else if value.trim().eq_ignore_ascii_case("unfencing") {
            "Pacemaker resets `requires=unfencing` to `quorum` when fencing is disabled, so the \
             resource may start on a node that was never unfenced; enable fencing"
        } else {
            "the resource is recovered elsewhere without making sure its old node is really down; \
             enable fencing, or say what is true with `requires=quorum`"
        };
        let mut d = self.em.diag(self.cx.attr_span(elem, attr), message);
        // As crm_verify grades them: Pacemaker resets `on-fail=fence` with
        // an error, and only warns about `requires=fencing|unfencing`.
        if what == "requires" {
            d.severity = crate::diag::Severity::Warning;
        }
        let d = d
            .label("needs fencing")
            .with_label(self.disabled_at, "fencing disabled here")
            .help(help)
            .element(self.cx.elem_id(elem));
        self.em.push(d);
    }

    fn pair(&mut self, p: &NvPair, owner: &str) {
        let v = p.value.as_deref();
        let name = match p.name.as_str() {
            "on-fail" if is_fence(v) => "on-fail",
            "requires" if is_fencing_requirement(v) => "requires",
            _ => return,
        };
        self.report(p.elem, "value", name, v.unwrap_or_default(), owner);
    }

    fn op(&mut self, op: &Op, of: &str) {
        // Names the resource too: crm_verify names only the resource.
        let owner = format!("operation `{}` of `{of}`", op.id);
        if is_fence(op.on_fail.as_deref()) {
            let v = op.on_fail.as_deref().unwrap_or_default();
            self.report(op.elem, "on-fail", "on-fail", v, &owner);
        }
        if is_fencing_requirement(op.requires.as_deref()) {
            let v = op.requires.as_deref().unwrap_or_default();
            self.report(op.elem, "requires", "requires", v, &owner);
        }
        for p in op.meta.iter().flat_map(|s| s.pairs.iter()) {
            self.pair(p, &owner);
        }
    }
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let Some(off) = fencing_disabled_by(cx) else {
        return;
    };
    let mut f = Finder {
        cx,
        em,
        disabled_at: cx.attr_span(off.elem, "value"),
        seen: HashSet::new(),
    };
    for r in &cib.resources {
        if let Some(p) = r.meta_pair("requires") {
            f.pair(p, &format!("`{}`", r.id));
        }
        for op in &r.ops {
            f.op(op, &r.id);
        }
    }
    for t in &cib.templates {
        for op in &t.ops {
            f.op(op, &t.id);
        }
    }
    if let Some(p) = nvset::first_value(&cib.rsc_defaults, "requires") {
        f.pair(p, "rsc_defaults");
    }
    for p in cib.op_defaults.iter().flat_map(|s| s.pairs.iter()) {
        f.pair(p, "op_defaults");
    }
}
