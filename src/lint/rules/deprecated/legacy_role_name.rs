//! DE002 `legacy-role-name`: the role names `Master` and `Slave` where
//! Pacemaker 2.1 (schema pacemaker-3.7) introduced `Promoted` and
//! `Unpromoted`. The old names still work but are deprecated. The model
//! normalises roles, so this scans the XML of the configuration section:
//! every role attribute (`role`, `rsc-role`, `with-rsc-role`) and every
//! `target-role` meta-attribute value. One finding per attribute.

use crate::lint::{Context, Emitter};

fn modern(legacy: &str) -> Option<&'static str> {
    match legacy {
        "Master" => Some("Promoted"),
        "Slave" => Some("Unpromoted"),
        _ => None,
    }
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let doc = &cx.cib.doc;
    let Some(conf) = doc.child_named(doc.root, "configuration") else {
        return;
    };
    for e in doc.descendants(conf) {
        let el = doc.get(e);
        for a in el.attrs() {
            let hit = match a.name {
                "role" | "rsc-role" | "with-rsc-role" => modern(a.value).map(|m| (&*a.name, m)),
                // nvpair values are read case-insensitively
                "value" if el.name == "nvpair" && el.attr("name") == Some("target-role") => {
                    let v = a.value.trim();
                    if v.eq_ignore_ascii_case("master") {
                        Some(("target-role", "Promoted"))
                    } else if v.eq_ignore_ascii_case("slave") {
                        Some(("target-role", "Unpromoted"))
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some((what, new)) = hit else { continue };
            let d = em
                .diag(
                    a.value_span,
                    match cx.owner_text(e) {
                        Some(owner) => {
                            format!("`{what}={}` on {owner} uses a legacy role name", a.value)
                        }
                        None => format!("`{what}={}` uses a legacy role name", a.value),
                    },
                )
                .label(format!("write `{new}`"))
                .help(
                    "Master and Slave became Promoted and Unpromoted in Pacemaker 2.1; the new names \
                     need `validate-with` pacemaker-3.7 or later (`cibadmin --upgrade --force` first)",
                )
                .element(el.attr("id").unwrap_or_default().to_owned());
            em.push(d);
        }
    }
}
