//! CO003 `order-within-group`: an explicit ordering between two members of
//! the same group. The group already starts its members in order and stops
//! them in reverse; a second ordering in the same direction is redundant,
//! and one in the other direction (or on other actions) makes the
//! transition graph loop, so the members never start.

use crate::cib::Variant;
use crate::lint::{Context, Emitter};
use std::collections::HashSet;

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let mut seen = HashSet::new();
    for e in cx.orders.iter().filter(|e| !e.implicit) {
        for f in cx.resolve(&e.first) {
            for t in cx.resolve(&e.then) {
                if f == t {
                    continue; // a self-ordering is CO008's
                }
                let (rf, rt) = (cib.resource(f), cib.resource(t));
                let (Some(g), Some(g2)) = (rf.parent, rt.parent) else {
                    continue;
                };
                if g != g2 || cib.resource(g).variant != Variant::Group {
                    continue;
                }
                if !seen.insert((e.source, e.span.start, f, t)) {
                    continue;
                }
                let group = cib.resource(g);
                let pos = |x| group.children.iter().position(|&c| c == x).unwrap_or(0);
                let (pf, pt) = (pos(f), pos(t));
                let id = cx.elem_id(e.source);
                let same_dir = pf < pt;
                let start_start = e.first_action == "start" && e.then_action == "start";
                let (msg, help) = if same_dir && start_start {
                    (
                        format!(
                            "order `{id}` repeats what group `{}` already does: `{}` starts before `{}`",
                            group.id, rf.id, rt.id
                        ),
                        "the group orders its members by their position; remove the constraint".to_owned(),
                    )
                } else if same_dir {
                    (
                        format!(
                            "order `{id}` orders {} of `{}` before {} of `{}`, members of group `{}` that the group already orders",
                            e.first_action, rf.id, e.then_action, rt.id, group.id
                        ),
                        "an extra ordering inside a group on other actions can loop against the group's own start/stop ordering; remove it".to_owned(),
                    )
                } else {
                    (
                        format!(
                            "order `{id}` makes `{}` wait for `{}`, but group `{}` starts `{}` first: the orderings loop",
                            rt.id, rf.id, group.id, rt.id
                        ),
                        format!(
                            "a group starts its members in the order they are listed; to start `{}` first, move it before `{}` in the group and remove the constraint",
                            rf.id, rt.id
                        ),
                    )
                };
                let d = em
                    .diag(e.span, msg)
                    .label(format!("both in group `{}`", group.id))
                    .with_label(cx.span(group.elem), "the group orders its members")
                    .help(help)
                    .element(id);
                em.push(d);
            }
        }
    }
}
