//! IN007 `partial-dump`: the file is one section of a CIB (what `cibadmin
//! --query --scope SECTION` writes), so the checks that need the sections
//! it lacks are skipped; say so once, at the root element.

use crate::lint::{Context, Emitter};

pub fn check(cx: &Context, em: &mut Emitter) {
    let Some(p) = &cx.cib.partial else {
        return;
    };
    let missing = p
        .missing
        .iter()
        .map(|s| format!("<{s}>"))
        .collect::<Vec<_>>()
        .join(", ");
    let at = cx.cib.doc.get(p.root_elem).name_span;
    let d = em
        .diag(
            at,
            format!(
                "this file holds only <{}> (as `{}` writes it): {missing} {} not in it, so checks that need {} are skipped",
                p.root,
                p.scope(),
                if p.missing.len() == 1 { "is" } else { "are" },
                if p.missing.len() == 1 { "it" } else { "them" }
            ),
        )
        .label("partial dump")
        .help("lint the whole CIB (`cibadmin --query > cib.xml`, `pcs cluster cib`) to check everything");
    em.push(d);
}
