//! Upgrade rules (UP…): what Pacemaker 3.0 drops, rejects or reads
//! differently from 2.1.5 (its ChangeLog's "CIB:" entries, the
//! pacemaker-4.0 schema upgrade it applies when it reads a CIB, and the
//! scheduler). They judge the CIB for the release `lint --target` names,
//! or for the release the CIB is read as when that one is 3.0 or later;
//! otherwise they stay silent: on 2.1.5 every construct they report works.

pub mod constraints;
pub mod options;
pub mod resources;
pub mod rules;

use crate::lint::Context;
use crate::profile::Profile;
use crate::xml::ElemId;

/// What `cibadmin --upgrade` does, said once for the rules whose fix it is.
pub(crate) const CIBADMIN: &str =
    "`cibadmin --upgrade --force` stores the pacemaker-4.0 schema upgrade \
     once every node runs Pacemaker 3.0 (back up with `cibadmin --query > cib-backup.xml` first)";

/// The release judged for, and its series as messages name it ("3.0").
pub(crate) struct Release {
    pub profile: &'static Profile,
    pub series: String,
}

pub(crate) fn release(cx: &Context) -> Option<Release> {
    cx.upgrade_release().map(|p| Release {
        profile: p,
        series: format!("{}.{}", p.version[0], p.version[1]),
    })
}

/// Every element of the configuration section named one of `names`, in
/// document order (the status section holds no configuration syntax).
pub(crate) fn config_elems(cx: &Context, names: &[&str]) -> Vec<ElemId> {
    let doc = &cx.cib.doc;
    let Some(conf) = doc.child_named(doc.root, "configuration") else {
        return Vec::new();
    };
    doc.descendants(conf)
        .into_iter()
        .filter(|&e| names.contains(&doc.get(e).name))
        .collect()
}

/// The name of the element `e`'s nearest ancestor with an id, for messages.
pub(crate) fn owner(cx: &Context, e: ElemId) -> String {
    let doc = &cx.cib.doc;
    let mut cur = doc.get(e).parent;
    while let Some(p) = cur {
        let el = doc.get(p);
        if let Some(id) = el.attr("id").filter(|i| !i.is_empty()) {
            return format!("<{}> `{id}`", el.name);
        }
        cur = el.parent;
    }
    "the configuration".to_string()
}

/// Is `e` inside an element named `name`?
pub(crate) fn inside(cx: &Context, e: ElemId, name: &str) -> bool {
    let doc = &cx.cib.doc;
    let mut cur = doc.get(e).parent;
    while let Some(p) = cur {
        let el = doc.get(p);
        if el.name == name {
            return true;
        }
        cur = el.parent;
    }
    false
}

/// The nvpairs named `name` (any of `names`) under the configuration, with
/// the kind of set they are in (`meta_attributes`, …).
pub(crate) fn nvpairs_named(cx: &Context, names: &[&str]) -> Vec<(ElemId, &'static str)> {
    let doc = &cx.cib.doc;
    config_elems(cx, &["nvpair"])
        .into_iter()
        .filter(|&e| doc.get(e).attr("name").is_some_and(|n| names.contains(&n)))
        .map(|e| {
            let set = doc.get(e).parent.map(|p| doc.get(p).name).unwrap_or("");
            let kind = match set {
                "meta_attributes" => "meta_attributes",
                "instance_attributes" => "instance_attributes",
                "cluster_property_set" => "cluster_property_set",
                "utilization" => "utilization",
                _ => "",
            };
            (e, kind)
        })
        .collect()
}
