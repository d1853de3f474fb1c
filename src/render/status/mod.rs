//! The cluster status lists as crm_simulate (Pacemaker 2.1.5) prints them
//! under "Current cluster status:" and "Revised Cluster Status:": the node
//! list followed by the full list of resources.
//!
//! This only formats the unpacked model; every fact shown (roles, flags,
//! where things run) was established by unpacking.

mod nodes;
mod resources;
mod state;

#[cfg(test)]
mod tests;

use crate::cib::Role;
use crate::sched::model::{Cluster, RscIdx, Variant};

/// Nested list output in the "fancy" text style: each entry is indented two
/// spaces per level and bulleted with `* `; a list's title is an entry
/// ending in a colon.
pub(crate) struct ListWriter {
    buf: String,
    level: usize,
    /// Show actions in flight (`pcmk_show_pending`).
    show_pending: bool,
}

impl ListWriter {
    fn new(level: usize, show_pending: bool) -> ListWriter {
        ListWriter {
            buf: String::new(),
            level,
            show_pending,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.level {
            self.buf.push_str("  ");
        }
        if self.level > 0 {
            self.buf.push_str("* ");
        }
    }

    /// Open a nested list, printing its title when there is one.
    fn begin_list(&mut self, title: Option<&str>) {
        if let Some(t) = title {
            self.indent();
            self.buf.push_str(t);
            self.buf.push_str(":\n");
        }
        self.level += 1;
    }

    fn end_list(&mut self) {
        self.level = self.level.saturating_sub(1);
    }

    fn item(&mut self, text: &str) {
        self.indent();
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    fn named_item(&mut self, name: &str, text: &str) {
        self.indent();
        self.buf.push_str(name);
        self.buf.push_str(": ");
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    fn spacer(&mut self) {
        self.buf.push('\n');
    }
}

/// A list whose title is printed only once its first entry is.
pub(crate) struct LazyList {
    title: String,
    spacer: bool,
    open: bool,
}

impl LazyList {
    fn new(title: String, spacer: bool) -> LazyList {
        LazyList {
            title,
            spacer,
            open: false,
        }
    }

    /// Print the title (and the blank line before it, if asked) unless
    /// already done.
    fn open(&mut self, out: &mut ListWriter) {
        if !self.open {
            if self.spacer {
                out.spacer();
            }
            out.begin_list(Some(&self.title));
            self.open = true;
        }
    }

    fn is_open(&self) -> bool {
        self.open
    }

    fn close(self, out: &mut ListWriter) {
        if self.open {
            out.end_list();
        }
    }
}

/// How many resource instances there are, and how many of them are
/// disabled (by target role) or blocked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstanceCounts {
    pub instances: usize,
    pub disabled: usize,
    pub blocked: usize,
}

/// Count the instances as crm_simulate does for its summary line: every
/// primitive except stopped orphans, bundles through their replicas.
pub fn instance_counts(c: &Cluster) -> InstanceCounts {
    let mut counts = InstanceCounts::default();
    for &r in &c.top {
        count_instances(c, r, &mut counts);
    }
    counts
}

fn count_instances(c: &Cluster, r: RscIdx, counts: &mut InstanceCounts) {
    let rsc = c.rsc(r);
    if let (Variant::Bundle, Some(data)) = (rsc.variant, rsc.bundle.as_ref()) {
        for rep in &data.replicas {
            let members = [rep.ip, rep.child, Some(rep.container), rep.remote];
            for m in members.into_iter().flatten() {
                count_instances(c, m, counts);
            }
        }
    } else if !rsc.children.is_empty() {
        for &ch in &rsc.children {
            count_instances(c, ch, counts);
        }
    } else if !rsc.orphan || rsc.role > Role::Stopped {
        counts.instances += 1;
        if state::is_disabled(c, r) {
            counts.disabled += 1;
        }
        if rsc.blocked {
            counts.blocked += 1;
        }
    }
}

/// The lines of a status section (node list, then resource list), each
/// ending in a newline, indented as they appear under crm_simulate's
/// section headings. `show_pending` shows actions in flight, as
/// crm_simulate does for the current status but never for the revised one.
pub fn status_section(c: &Cluster, show_pending: bool) -> String {
    let mut out = ListWriter::new(1, show_pending);
    let printed_nodes = nodes::node_list(c, &mut out);
    resources::resource_list(c, &mut out, printed_nodes);
    out.buf
}
