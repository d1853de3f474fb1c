//! DE001 `legacy-master-element`: a `<master>` resource, the pre-2.0
//! spelling of a promotable clone. Deprecated since Pacemaker 2.0 and no
//! longer supported by Pacemaker 3.0, which only reads it after its schema
//! upgrade has rewritten it as `<clone>` with `promotable=true`.

use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    for r in &cib.resources {
        if !matches!(
            r.variant,
            crate::cib::Variant::Clone {
                legacy_master: true,
                ..
            }
        ) {
            continue;
        }
        let d = em
            .diag(
                cib.doc.get(r.elem).name_span,
                format!("`{}` uses the deprecated `<master>` element", r.id),
            )
            .label("write `<clone>` with meta-attribute `promotable=true`")
            .help(
                "`cibadmin --upgrade --force` converts it (and moves the CIB to the newest schema); \
                 by hand, rename the element to `clone` and add \
                 `<nvpair name=\"promotable\" value=\"true\"/>` to its meta_attributes \
                 (`master-max`/`master-node-max` become `promoted-max`/`promoted-node-max`)",
            )
            .element(r.id.clone());
        em.push(d);
    }
}
