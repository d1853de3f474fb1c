//! IN008 `unknown-schema`: `validate-with` names a schema Pacemaker 2.1.5
//! does not have (`pacemaker-1.1`, `pacemaker-0.7`, `transitional-0.6`, or
//! one newer than it knows). crm_verify then cannot validate the CIB and
//! rejects it ("config not valid"); the cluster itself still tries every
//! schema it knows when it loads such a CIB.

use crate::cib::upgrade::known_schema;
use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(v) = cx.cib.validate_with.as_deref() else {
        return;
    };
    let name = v.trim();
    if name.eq_ignore_ascii_case("none")
        || name.eq_ignore_ascii_case("pacemaker-next")
        || known_schema(name).is_some()
    {
        return;
    }
    let root = cx.cib.doc.root();
    let d = em
        .diag(
            root.attr_span("validate-with"),
            format!(
                "`validate-with=\"{name}\"` names a schema Pacemaker {} does not have: crm_verify rejects the CIB as not valid",
                cx.cib.pacemaker.name
            ),
        )
        .label("unknown schema")
        .help(
            "name a schema that exists (the pacemaker-1.x schemas are pacemaker-1.0, -1.2 and -1.3), \
             or store the upgrade with `cibadmin --upgrade --force` after a backup (`cibadmin --query > cib.xml`)",
        );
    em.push(d);
}
