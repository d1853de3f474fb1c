//! The running cluster's CIB, read through `cibadmin --query` (the tool
//! every Pacemaker node has), for `--live`.

use crate::cib::load::LoadError;
use crate::xml::Span;
use std::process::{Command, Stdio};

/// How the live CIB is named in output (not a path: no file is written).
pub const NAME: &str = "live:cib";

/// What to do about a refusal: cibadmin needs the CIB manager's socket,
/// which only root and the haclient group may use.
const ACCESS_HELP: &str =
    "run as root (sudo) or as a user in the haclient group; or save the CIB where you may (`cibadmin --query > cib.xml`) and pass that file";

fn error(message: String, help: &str) -> LoadError {
    LoadError {
        message,
        span: Span::default(),
        help: Some(help.to_owned()),
    }
}

/// The CIB's XML as `cibadmin --query` prints it (`scope`: one section,
/// `--scope`), at most `max_size` bytes.
pub fn query(scope: Option<&str>, max_size: u64) -> Result<Vec<u8>, LoadError> {
    let mut cmd = Command::new("cibadmin");
    cmd.arg("--query");
    if let Some(s) = scope {
        cmd.args(["--scope", s]);
    }
    let out = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(error(
                "cannot read the live CIB: `cibadmin` is not installed or not on PATH".into(),
                "run this on a cluster node (cibadmin comes with Pacemaker's command-line tools), or lint a saved CIB: `cibadmin --query > cib.xml` on a node",
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(error(
                format!("cannot run `cibadmin`: {e}"),
                ACCESS_HELP,
            ))
        }
        Err(e) => return Err(error(format!("cannot run `cibadmin`: {e}"), ACCESS_HELP)),
    };
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if !out.status.success() {
        let code = out
            .status
            .code()
            .map_or_else(|| "killed by a signal".to_owned(), |c| format!("exit {c}"));
        let said = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        // Pacemaker's exit code for EACCES is 4 (insufficient privileges).
        let denied = out.status.code() == Some(4)
            || stderr.contains("Permission denied")
            || stderr.contains("Insufficient privileges");
        return Err(if denied {
            error(
                format!("`cibadmin --query` was refused access to the CIB ({code}){said}"),
                ACCESS_HELP,
            )
        } else {
            error(
                format!("`cibadmin --query` failed ({code}){said}"),
                "is the cluster running on this node? `crm_mon -1` shows its state",
            )
        });
    }
    if !stderr.is_empty() {
        // Warnings (a deprecated option, a slow connection) are the
        // admin's to see; the CIB on stdout is still good.
        eprintln!("cibadmin: {stderr}");
    }
    if out.stdout.len() as u64 > max_size {
        return Err(error(
            format!(
                "the live CIB is larger than {max_size} bytes ({} bytes)",
                out.stdout.len()
            ),
            "raise the limit with --max-size",
        ));
    }
    Ok(out.stdout)
}
