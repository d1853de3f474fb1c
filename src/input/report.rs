//! Cluster reports (crm_report, hb_report, sosreport), as a directory or a
//! tar archive: every `cib.xml` and every saved scheduler input
//! (`pe-input-N`, `pe-warn-N`, `pe-error-N`) anywhere in the tree, each
//! attributed to a node by the directory it sits in.
//!
//! crm_report lays out `REPORT/NODE/cib.xml` and
//! `REPORT/NODE/pengine/pe-input-N.bz2` (or `…/pcmk/…`); sosreport keeps
//! `var/lib/pacemaker/cib/cib.xml` and `var/lib/pacemaker/pengine/…`
//! under its own top directory. Rather than knowing every layout, the
//! node is the nearest enclosing directory whose name is not one of the
//! generic ones below, else the report's own name.

use super::{archive, scheduler_input_name, Input};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Directory names that are never a node's.
const GENERIC_DIRS: &[&str] = &[
    "pengine",
    "pcmk",
    "pacemaker",
    "cib",
    "lib",
    "var",
    "sos_commands",
    "crm_report",
    "scheduler",
    "cluster",
    "heartbeat",
    "crm",
    ".",
];

/// Files at a report's top that mark a directory as one.
const REPORT_MARKERS: &[&str] = &[
    "description.txt",
    "analysis.txt",
    "members.txt",
    "sos_commands",
    "sos_reports",
];

/// What a report file is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A node's `cib.xml`.
    Cib,
    /// A saved scheduler input: its series (`pe-input`…) and number.
    SchedulerInput { series: &'static str, number: u64 },
}

/// One CIB or scheduler input found in a report.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its path inside the report (relative to the report's root).
    pub rel: String,
    pub node: String,
    pub kind: Kind,
    /// How to read it.
    pub input: Input,
}

/// A report's CIBs and scheduler inputs, in path order.
pub struct Report {
    /// The report as named on the command line.
    pub name: String,
    pub entries: Vec<Entry>,
    /// Members that could not be unpacked, and similar remarks.
    pub notes: Vec<String>,
    /// Where an archive's members were unpacked; removed when dropped.
    _unpacked: Option<tempfile::TempDir>,
}

/// Whether a path should be read as a cluster report: a tar archive
/// (compressed or not), or a directory with a report's marker files.
pub fn is_report(path: &Path) -> bool {
    if path.is_dir() {
        return REPORT_MARKERS.iter().any(|m| path.join(m).exists());
    }
    path.is_file() && archive::is_archive(path)
}

/// Classify a file by its name.
pub fn classify(file_name: &str) -> Option<Kind> {
    if file_name == "cib.xml" {
        return Some(Kind::Cib);
    }
    scheduler_input_name(file_name).map(|(series, number)| Kind::SchedulerInput { series, number })
}

/// Classify a file by its path in the report: by its name, and the CIB
/// dumps a sosreport keeps under `sos_commands/pacemaker/`
/// (`pcs_cluster_cib`, `cibadmin_-Q`…).
pub fn classify_path(rel: &str) -> Option<Kind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if let Some(k) = classify(name) {
        return Some(k);
    }
    let in_sos = rel.contains("sos_commands/pacemaker/");
    (in_sos && name.contains("cib") && !name.ends_with(".sig")).then_some(Kind::Cib)
}

/// The node a file belongs to, from the directories of its path inside
/// the report.
pub fn node_of(rel: &str, report_name: &str) -> String {
    let dirs: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    dirs.iter()
        .rev()
        .find(|d| !GENERIC_DIRS.contains(d))
        .map(|d| (*d).to_owned())
        .unwrap_or_else(|| report_name.to_owned())
}

/// A report's own name: its path's last component without archive
/// extensions.
fn report_name(path: &Path) -> String {
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    for ext in [
        ".tar.bz2", ".tar.gz", ".tar.xz", ".tbz2", ".tgz", ".txz", ".tar",
    ] {
        if let Some(b) = base.strip_suffix(ext) {
            return b.to_owned();
        }
    }
    base
}

/// Deepest directory nesting entered.
const MAX_DEPTH: usize = 64;

impl Report {
    /// Read a report's table of contents. An archive's CIBs and scheduler
    /// inputs are unpacked, one at a time and each at most `max_size`
    /// bytes, into a private temporary directory.
    pub fn open(path: &Path, max_size: u64) -> std::io::Result<Report> {
        let name = report_name(path);
        let mut notes = Vec::new();
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, path, &mut files, &mut notes, 0);
            let entries = files
                .into_iter()
                .filter_map(|(rel, file)| {
                    let kind = classify_path(&rel)?;
                    Some(Entry {
                        node: node_of(&rel, &name),
                        rel,
                        kind,
                        input: Input::File(file),
                    })
                })
                .collect();
            let mut r = Report {
                name: path.display().to_string(),
                entries,
                notes,
                _unpacked: None,
            };
            r.keep_real_cibs();
            return Ok(r);
        }
        let dir = tempfile::Builder::new()
            .prefix("cibcheck-report-")
            .tempdir()?;
        let mut entries = Vec::new();
        archive::for_each_member(path, max_size, |member, size, r| {
            let Some(kind) = classify_path(member) else {
                return Ok(true);
            };
            if size > max_size {
                notes.push(format!(
                    "{}//{member}: {size} bytes, more than --max-size: skipped",
                    path.display()
                ));
                return Ok(true);
            }
            // Unpacked under a name of our own: a member's path is never
            // trusted as a place to write.
            let file = dir.path().join(format!("{}", entries.len()));
            let mut out = std::fs::File::create(&file)?;
            std::io::copy(&mut r.take(max_size), &mut out)?;
            // The member's whole path: an archive's first directory is
            // usually the report's own (`REPORT/node1/…`), and the nearest
            // specific directory is the node's either way.
            let rel = member.to_owned();
            entries.push(Entry {
                node: node_of(&rel, &name),
                rel,
                kind,
                input: Input::Unpacked {
                    path: file,
                    name: format!("{}{}{member}", path.display(), archive::MEMBER_SEPARATOR),
                },
            });
            Ok(true)
        })?;
        let mut r = Report {
            name: path.display().to_string(),
            entries,
            notes,
            _unpacked: Some(dir),
        };
        r.keep_real_cibs();
        Ok(r)
    }

    /// Drop the CIB dumps (other than `cib.xml`) whose root is not
    /// `<cib>`: a sosreport keeps a failed command's error text under
    /// the same name.
    fn keep_real_cibs(&mut self) {
        let notes = &mut self.notes;
        self.entries.retain(|e| {
            let dump = e.kind == Kind::Cib && !e.rel.ends_with("/cib.xml") && e.rel != "cib.xml";
            let path = match &e.input {
                Input::File(p) | Input::Unpacked { path: p, .. } => p,
                _ => return true,
            };
            if dump && super::root_element_name(path).as_deref() != Some("cib") {
                notes.push(format!("skipped {}: not a CIB", e.input.display()));
                return false;
            }
            true
        });
    }

    /// The nodes' `cib.xml` files.
    pub fn cibs(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == Kind::Cib)
    }
}

/// Every regular file under `dir`, with its path relative to `root`, in
/// sorted order. Symbolic links are not followed.
fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
    notes: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        notes.push(format!("{}: nested too deep, not entered", dir.display()));
        return;
    }
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            notes.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    paths.sort();
    for p in paths {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(root, &p, out, notes, depth + 1);
        } else if meta.is_file() {
            let rel = p
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| p.display().to_string());
            out.push((rel, p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_come_from_the_nearest_specific_directory() {
        assert_eq!(node_of("node1/cib.xml", "r"), "node1");
        assert_eq!(node_of("node1/pengine/pe-input-3.bz2", "r"), "node1");
        assert_eq!(node_of("node2/pcmk/pengine/pe-warn-1", "r"), "node2");
        assert_eq!(node_of("var/lib/pacemaker/cib/cib.xml", "sos-n1"), "sos-n1");
        assert_eq!(
            node_of("sos_commands/pacemaker/crm_report/n3/cib.xml", "r"),
            "n3"
        );
        assert_eq!(node_of("cib.xml", "r"), "r");
    }

    #[test]
    fn scheduler_inputs_are_recognised_by_name() {
        assert_eq!(
            classify("pe-input-12.bz2"),
            Some(Kind::SchedulerInput {
                series: "pe-input",
                number: 12
            })
        );
        assert_eq!(
            classify("pe-error-0"),
            Some(Kind::SchedulerInput {
                series: "pe-error",
                number: 0
            })
        );
        assert_eq!(classify("pe-input-.bz2"), None);
        assert_eq!(classify("pe-input-3.raw"), None);
        assert_eq!(classify("pe-input-last"), None);
        assert_eq!(classify("cib.xml"), Some(Kind::Cib));
        assert_eq!(classify("cib.xml.sig"), None);
        assert_eq!(
            classify_path("sosreport-n1/sos_commands/pacemaker/pcs_cluster_cib"),
            Some(Kind::Cib)
        );
        assert_eq!(
            classify_path("sosreport-n1/sos_commands/pacemaker/crm_mon_-1"),
            None
        );
        assert_eq!(classify_path("n1/cibadmin_-Q"), None);
    }

    #[test]
    fn archive_names_lose_their_extensions() {
        assert_eq!(report_name(Path::new("/x/rep.tar.bz2")), "rep");
        assert_eq!(report_name(Path::new("rep")), "rep");
    }
}
