//! Finding and reading input files: paths, directories (recursively, every
//! `*.xml` whose root element is `<cib>`), and `-` for stdin.

use crate::cib::load::{not_utf8, LoadError};
use crate::cib::SourceFile;
use crate::xml::Span;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest input accepted by default (bytes); overridable with --max-size.
pub const DEFAULT_MAX_SIZE: u64 = 256 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Expand command-line paths into inputs. Directories are walked in sorted
/// order; files found there that are not CIBs are skipped with a note.
/// Named paths are always kept, even when missing: their read error is
/// that file's outcome.
pub fn discover(paths: &[String], notes: &mut Vec<String>) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        // A path that cannot be examined (missing, no permission) stays in
        // the batch: reading it fails with a located IN000 for that file
        // alone, and the other files are still linted.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut out, notes, 0),
            _ => out.push(Input::File(path)),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>, notes: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        notes.push(format!(
            "{}: directory nesting too deep, not entered",
            dir.display()
        ));
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            notes.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, out, notes, depth + 1);
        } else if meta.is_file() && path.extension().is_some_and(|e| e == "xml") {
            match root_element_name(&path) {
                Some(name) if crate::cib::partial::is_cib_root(&name) => {
                    out.push(Input::File(path))
                }
                Some(name) => notes.push(format!(
                    "skipped {}: root element is <{name}>, not <cib> or a section of one",
                    path.display()
                )),
                // Unreadable, empty or broken: it may be a damaged CIB,
                // so it is linted and gets its own (error) outcome.
                None => out.push(Input::File(path)),
            }
        }
    }
}

/// The name of the first element in a file, reading only its head.
fn root_element_name(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 64 * 1024];
    let n = f.read(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf[..n]);
    let mut rest: &str = &text;
    loop {
        let i = rest.find('<')?;
        rest = &rest[i..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>")? + 2..];
        } else if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->")? + 3..];
        } else if rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            return Some(name);
        }
    }
}

/// Read an input as text, bounded by `max_size` bytes. On failure the
/// error comes with whatever text could be recovered, for display.
pub fn read(input: &Input, max_size: u64) -> Result<SourceFile, (LoadError, SourceFile)> {
    let name = input.display();
    read_bytes(input, max_size).map_err(|(e, bytes)| {
        let text: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).into_owned());
        (e, SourceFile { name, text })
    })
}

fn read_bytes(input: &Input, max_size: u64) -> Result<SourceFile, (LoadError, Vec<u8>)> {
    let name = input.display();
    let mut bytes = Vec::new();
    let too_big = |n: u64| LoadError {
        message: format!("input is larger than {max_size} bytes ({n} bytes or more)"),
        span: Span::default(),
        help: Some("raise the limit with --max-size if this is really a CIB".into()),
    };
    let io_err = |e: std::io::Error| LoadError {
        message: format!("cannot read: {e}"),
        span: Span::default(),
        help: None,
    };
    match input {
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(max_size + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| (io_err(e), Vec::new()))?;
        }
        Input::File(p) => {
            let mut f = std::fs::File::open(p).map_err(|e| (io_err(e), Vec::new()))?;
            if let Ok(m) = f.metadata() {
                if m.len() > max_size {
                    return Err((too_big(m.len()), Vec::new()));
                }
                if m.is_file() {
                    let len = usize::try_from(m.len()).unwrap_or(usize::MAX);
                    match read_shared(&mut f, len) {
                        Ok(Some(bytes)) => {
                            return match shared_text(bytes) {
                                Ok(text) => Ok(SourceFile { name, text }),
                                Err((at, bytes)) => Err((not_utf8(at), bytes)),
                            };
                        }
                        // The file changed size while read: read it again below.
                        Ok(None) => {
                            f = std::fs::File::open(p).map_err(|e| (io_err(e), Vec::new()))?;
                        }
                        Err(e) => return Err((io_err(e), Vec::new())),
                    }
                }
                // One allocation of the right size instead of doubling.
                bytes.reserve_exact(usize::try_from(m.len()).unwrap_or(0).saturating_add(1));
            }
            f.take(max_size + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| (io_err(e), Vec::new()))?;
        }
    }
    if bytes.len() as u64 > max_size {
        return Err((too_big(bytes.len() as u64), Vec::new()));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return Err((not_utf8(at), e.into_bytes()));
        }
    };
    Ok(SourceFile {
        name,
        text: Arc::from(text),
    })
}

/// A regular file read straight into one shared buffer of its size, so that
/// a large CIB is copied once rather than read and then copied. `None` when
/// the file turned out to be shorter or longer than `len`.
fn read_shared(f: &mut std::fs::File, len: usize) -> std::io::Result<Option<Arc<[u8]>>> {
    let mut buf: Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    let Some(dst) = Arc::get_mut(&mut buf) else {
        return Ok(None);
    };
    let mut filled = 0;
    while filled < len {
        match f.read(&mut dst[filled..]) {
            Ok(0) => return Ok(None),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let mut probe = [0u8; 1];
    loop {
        match f.read(&mut probe) {
            Ok(0) => return Ok(Some(buf)),
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The buffer as text, without copying it; else where the UTF-8 goes
/// wrong, with the bytes.
fn shared_text(bytes: Arc<[u8]>) -> Result<Arc<str>, (usize, Vec<u8>)> {
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err((e.valid_up_to(), bytes.to_vec()));
    }
    let raw = Arc::into_raw(bytes) as *const str;
    // SAFETY: the bytes were just checked to be UTF-8, and `str` has the
    // layout of `[u8]`, so the pointer is a valid `Arc<str>` allocation
    // (the documented way to convert between the two without copying).
    Ok(unsafe { Arc::from_raw(raw) })
}
