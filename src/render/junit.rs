//! `--format junit`: JUnit XML for Jenkins, GitLab and other CI test
//! reports. One test suite per file, one test case per rule that ran on
//! it; a rule's findings at or above `--fail-on` make its case a failure,
//! lesser ones go to the case's `system-out`, and a file that could not
//! be read is an error (its other rules did not run: skipped).
//!
//! The attributes written are those the Jenkins JUnit schema (the one
//! GitLab reads too) allows: `testsuites` (name, tests, failures, errors,
//! time), `testsuite` (name, tests, failures, errors, skipped, time),
//! `testcase` (name, classname, time).

use super::locate;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{rule_by_code, FileOutcome};
use crate::xml::LineIndex;
use std::fmt::Write;

/// The rules a file's test cases list: those that ran on it.
pub struct Suite<'a> {
    pub outcome: &'a FileOutcome,
    pub rules: Vec<&'static str>,
    /// The severity at which a finding fails its case (the file's own
    /// `fail-on`).
    pub fail_on: Severity,
}

/// Escape text for an attribute value (`attr`) or element content.
/// Characters XML 1.0 cannot carry at all (most control characters)
/// become U+FFFD.
fn escape_as(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if !attr => out.push('\n'),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn escape(s: &str) -> String {
    escape_as(s, true)
}

/// One finding as a line of text: `FILE:LINE:COL: SEVERITY: MESSAGE`, and
/// its help on the next line.
fn finding_text(name: &str, index: &LineIndex<'_>, d: &Diagnostic) -> String {
    let loc = locate(index, d.span);
    let mut t = format!(
        "{name}:{}:{}: {}: {}",
        loc.line, loc.column, d.severity, d.message
    );
    if let Some(id) = &d.element_id {
        let _ = write!(t, " [element {id}]");
    }
    if let Some(h) = &d.help {
        let _ = write!(t, "\nhelp: {h}");
    }
    t
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn render_suite(s: &Suite<'_>, counts: &mut Counts) -> String {
    let fail_on = s.fail_on;
    let o = s.outcome;
    let index = LineIndex::new(&o.source);
    let diags = super::ordered(&o.diagnostics);
    // Rules that ran, then codes found that are not among them (BL001 on
    // a baseline, for instance), in catalogue order of first appearance.
    let mut codes: Vec<&str> = s.rules.to_vec();
    for d in &diags {
        if !codes.contains(&d.code) {
            codes.push(d.code);
        }
    }
    let unreadable = o.diagnostics.iter().any(|d| d.code == "IN000");
    let mut c = Counts::default();
    let mut cases = String::new();
    for code in codes {
        let found: Vec<&&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
        let name = rule_by_code(code).map_or(code.to_owned(), |r| format!("{code} {}", r.name));
        let _ = write!(
            cases,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            escape(&name),
            escape(&o.name)
        );
        c.tests += 1;
        if found.is_empty() {
            if unreadable {
                c.skipped += 1;
                cases.push_str(
                    ">\n      <skipped message=\"not checked: the file could not be read as a CIB\"/>\n    </testcase>\n",
                );
            } else {
                cases.push_str("/>\n");
            }
            continue;
        }
        cases.push_str(">\n");
        let text = |list: &[&&Diagnostic]| {
            list.iter()
                .map(|d| finding_text(&o.name, &index, d))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (failing, lesser): (Vec<&&Diagnostic>, Vec<&&Diagnostic>) = found
            .iter()
            .partition(|d| d.input_error || d.severity >= fail_on);
        if let Some(first) = failing.first() {
            let kind = if failing.iter().any(|d| d.input_error) {
                c.errors += 1;
                "error"
            } else {
                c.failures += 1;
                "failure"
            };
            let message = if failing.len() == 1 {
                first.message.clone()
            } else {
                format!("{} findings; first: {}", failing.len(), first.message)
            };
            let worst = failing
                .iter()
                .map(|d| d.severity)
                .max()
                .unwrap_or(first.severity);
            let _ = writeln!(
                cases,
                "      <{kind} type=\"{worst}\" message=\"{}\">{}</{kind}>",
                escape(&message),
                escape_as(&text(&failing), false)
            );
        }
        if !lesser.is_empty() {
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                escape_as(&text(&lesser), false)
            );
        }
        cases.push_str("    </testcase>\n");
    }
    let head = format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">\n",
        escape(&o.name),
        c.tests,
        c.failures,
        c.errors,
        c.skipped
    );
    counts.tests += c.tests;
    counts.failures += c.failures;
    counts.errors += c.errors;
    counts.skipped += c.skipped;
    // The release the file was judged as, where JUnit keeps metadata.
    let properties = o.pacemaker.map_or(String::new(), |(p, chosen)| {
        format!(
            "    <properties>\n      <property name=\"pacemaker\" value=\"{}\"/>\n      <property name=\"pacemaker-chosen-by\" value=\"{}\"/>\n    </properties>\n",
            escape(p.name),
            escape(chosen.describe())
        )
    });
    format!("{head}{properties}{cases}  </testsuite>\n")
}

pub fn render(suites: &[Suite<'_>]) -> String {
    let mut counts = Counts::default();
    let body: String = suites
        .iter()
        .map(|s| render_suite(s, &mut counts))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"cibcheck lint\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">\n\
         {body}</testsuites>\n",
        counts.tests, counts.failures, counts.errors
    )
}
