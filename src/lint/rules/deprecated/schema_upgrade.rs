//! DE004 `upgrade-rewrite` and DE005 `upgrade-changes-meaning`: what the
//! schema upgrade Pacemaker applies when it loads an old-schema CIB
//! rewrites (the same that `cibadmin --upgrade` would store). DE004 lists
//! the rewrites that keep the meaning (renames, moves); DE005 those after
//! which the cluster behaves differently from what the old syntax asked
//! (dropped options, `isolation` turned into `target-role=Stopped`).

use crate::cib::upgrade::{Effect, SchemaUpgrade};
use crate::lint::{Context, Emitter};

const HOW: &str = "Pacemaker applies this rewrite in memory every time it reads the CIB; \
                   `cibadmin --upgrade --force` stores it (back up with `cibadmin --query > cib.xml` first)";

fn emit(up: &SchemaUpgrade, effect: Effect, em: &mut Emitter) {
    let from = up.from.as_deref().unwrap_or("(none)");
    for c in up.changes.iter().filter(|c| c.effect == effect) {
        let label = format!("rewritten by the {} upgrade", c.step.label());
        let d = em
            .diag(c.span, format!("{} (upgrade from `{from}`)", c.message))
            .label(label)
            .help(HOW);
        em.push(d);
    }
}

pub fn check_rewrite(cx: &Context, em: &mut Emitter) {
    emit(&cx.cib.upgrade, Effect::Equivalent, em);
}

pub fn check_changes_meaning(cx: &Context, em: &mut Emitter) {
    emit(&cx.cib.upgrade, Effect::Changed, em);
}
