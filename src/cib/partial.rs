//! Partial dumps: `cibadmin --query --scope configuration` (root
//! `<configuration>`), `--scope resources`, `--scope constraints` and the
//! other sections are common in support tickets. They are read as a whole
//! CIB whose other sections are absent, and the dump says which, so that
//! lint can skip what it cannot judge and simulate can say why it has no
//! answer.

use crate::xml::{Document, ElemId};

/// The sections of `<configuration>` that `cibadmin --scope` can export.
const CONFIG_SECTIONS: [&str; 10] = [
    "crm_config",
    "nodes",
    "resources",
    "constraints",
    "rsc_defaults",
    "op_defaults",
    "acls",
    "tags",
    "alerts",
    "fencing-topology",
];

/// The sections every whole CIB has.
const CORE: [&str; 4] = ["crm_config", "nodes", "resources", "constraints"];

/// A file that holds one section of a CIB rather than all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialDump {
    /// The root element as written (`configuration`, `resources`, …).
    pub root: String,
    /// That element, now below the `<cib>` added above it.
    pub root_elem: ElemId,
    /// Sections a whole CIB would have that this file lacks.
    pub missing: Vec<&'static str>,
}

impl PartialDump {
    pub fn lacks(&self, section: &str) -> bool {
        self.missing.contains(&section)
    }
    /// The `cibadmin` command that writes such a file.
    pub fn scope(&self) -> String {
        format!("cibadmin --query --scope {}", self.root)
    }
}

/// Whether a root element names a CIB or a section of one.
pub fn is_cib_root(name: &str) -> bool {
    name == "cib" || name == "configuration" || name == "status" || CONFIG_SECTIONS.contains(&name)
}

/// Put a partial dump under the `<cib>` (and `<configuration>`) a whole
/// CIB would have. `None` for a whole CIB, or a root that is no section.
pub fn wrap(doc: &mut Document) -> Option<PartialDump> {
    let root = doc.root().name.to_owned();
    let root_elem = doc.root;
    let mut missing: Vec<&'static str> = Vec::new();
    if root == "configuration" {
        let conf = doc.root;
        for s in CORE {
            if doc.child_named(conf, s).is_none() {
                missing.push(s);
            }
        }
        missing.push("status");
        doc.wrap_root("cib");
    } else if CONFIG_SECTIONS.contains(&root.as_str()) {
        missing.extend(CORE.iter().copied().filter(|s| *s != root));
        missing.push("status");
        doc.wrap_root("configuration");
        doc.wrap_root("cib");
    } else if root == "status" {
        missing.push("configuration");
        doc.wrap_root("cib");
    } else {
        return None;
    }
    Some(PartialDump {
        root,
        root_elem,
        missing,
    })
}
