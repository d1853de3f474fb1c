//! Finding and reading input files: paths, directories (recursively, every
//! `*.xml` whose root element is `<cib>`, and Pacemaker's scheduler inputs
//! `pe-input-N`, `pe-warn-N`, `pe-error-N`), one member of an archive
//! (`ARCHIVE//MEMBER`), and `-` for stdin. Any of them may be compressed
//! with bzip2, gzip or xz (see `decompress`).

pub mod archive;
pub mod decompress;
pub mod live;
pub mod report;

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
    /// One member of a tar archive, `ARCHIVE//MEMBER`.
    Member {
        archive: PathBuf,
        member: String,
    },
    /// A file unpacked from an archive, shown under its name there.
    Unpacked {
        path: PathBuf,
        name: String,
    },
    /// The running cluster's CIB (`cibadmin --query`, `--live`).
    Live,
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(p) => p.display().to_string(),
            Input::Member { archive, member } => {
                format!("{}{}{member}", archive.display(), archive::MEMBER_SEPARATOR)
            }
            Input::Unpacked { name, .. } => name.clone(),
            Input::Live => live::NAME.into(),
        }
    }

    /// A path from the command line: `-`, `ARCHIVE//MEMBER`, or a file.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            return Input::Stdin;
        }
        match archive::split_member(arg) {
            Some((archive, member)) => Input::Member { archive, member },
            None => Input::File(PathBuf::from(arg)),
        }
    }
}

/// Whether a file name is one of Pacemaker's saved scheduler inputs,
/// `pe-input-N`, `pe-warn-N` or `pe-error-N`, compressed or not; with its
/// series and number.
pub fn scheduler_input_name(file_name: &str) -> Option<(&'static str, u64)> {
    let base = ["bz2", "gz", "xz"]
        .iter()
        .find_map(|ext| file_name.strip_suffix(&format!(".{ext}")[..]))
        .unwrap_or(file_name);
    for series in ["pe-input", "pe-warn", "pe-error"] {
        if let Some(n) = base
            .strip_prefix(series)
            .and_then(|r| r.strip_prefix('-'))
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            return n.parse().ok().map(|n| (series, n));
        }
    }
    None
}

/// Whether a file name is a (possibly compressed) XML file.
fn xml_name(file_name: &str) -> bool {
    ["xml", "xml.bz2", "xml.gz", "xml.xz"]
        .iter()
        .any(|ext| file_name.ends_with(&format!(".{ext}")[..]))
}

/// Expand command-line paths into inputs. Directories are walked in sorted
/// order; files found there that are not CIBs are skipped with a note.
/// Named paths are always kept, even when missing: their read error is
/// that file's outcome.
pub fn discover(paths: &[String], notes: &mut Vec<String>) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        let path = match Input::from_arg(p) {
            Input::File(path) => path,
            other => {
                out.push(other);
                continue;
            }
        };
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
        } else if meta.is_file() && is_candidate(&path) {
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

/// A file a directory walk considers: `*.xml` (compressed or not) and
/// saved scheduler inputs.
fn is_candidate(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| xml_name(n) || scheduler_input_name(n).is_some())
}

/// The first element's start tag in a file, read from its head only
/// (decompressed): enough to learn a CIB's root attributes (times,
/// epochs) without loading the whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RootTag {
    pub name: String,
    attrs: Vec<(String, String)>,
}

impl RootTag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Parse the first start tag of `text`, skipping the prolog,
    /// comments and a DOCTYPE. `None` when no complete tag is there.
    pub fn parse(text: &str) -> Option<RootTag> {
        let mut rest = text;
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
                break;
            }
        }
        let body = &rest[1..];
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_len].to_owned();
        let mut attrs = Vec::new();
        let mut rest = &body[name_len..];
        // A tag cut short or malformed keeps the attributes read so far:
        // the name alone still tells what the file is.
        let mut next = || -> Option<(String, String)> {
            rest = rest.trim_start();
            if rest.starts_with('>') || rest.starts_with("/>") {
                return None;
            }
            let eq = rest.find('=')?;
            let key = rest[..eq].trim().to_owned();
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let close = after[1..].find(quote)?;
            let value = after[1..1 + close].to_owned();
            rest = &after[close + 2..];
            Some((key, value))
        };
        while let Some(a) = next() {
            attrs.push(a);
        }
        Some(RootTag { name, attrs })
    }
}

/// The first element's start tag of a file (decompressed), reading at
/// most its first 64 KiB.
pub fn root_tag(path: &Path) -> Option<RootTag> {
    let f = std::fs::File::open(path).ok()?;
    let (_, r) = decompress::decoder(std::io::BufReader::new(f)).ok()?;
    let mut buf = Vec::with_capacity(64 * 1024);
    r.take(64 * 1024).read_to_end(&mut buf).ok()?;
    RootTag::parse(&String::from_utf8_lossy(&buf))
}

/// The name of the first element in a file, reading only its head
/// (decompressed).
pub fn root_element_name(path: &Path) -> Option<String> {
    root_tag(path).map(|t| t.name)
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

/// An I/O error as a read failure, with no text recovered.
fn io_err(e: std::io::Error) -> (LoadError, Vec<u8>) {
    (
        LoadError {
            message: format!("cannot read: {e}"),
            span: Span::default(),
            help: None,
        },
        Vec::new(),
    )
}

fn read_bytes(input: &Input, max_size: u64) -> Result<SourceFile, (LoadError, Vec<u8>)> {
    let name = input.display();
    let bytes = match input {
        Input::Stdin => bounded(std::io::stdin().lock(), max_size)?,
        Input::Live => live::query(None, max_size).map_err(|e| (e, Vec::new()))?,
        Input::File(p) | Input::Unpacked { path: p, .. } => {
            use std::io::Seek;
            let mut f = std::fs::File::open(p).map_err(io_err)?;
            // A regular file is sniffed and rewound; a pipe or device
            // cannot be, and goes through the buffered reader.
            if f.metadata().is_ok_and(|m| m.is_file()) {
                let mut head = [0u8; 6];
                let n = read_head(&mut f, &mut head).map_err(io_err)?;
                f.rewind().map_err(io_err)?;
                if decompress::Compression::sniff(&head[..n]) == decompress::Compression::None {
                    return read_plain(f, p, name, max_size);
                }
            }
            bounded(std::io::BufReader::new(f), max_size)?
        }
        Input::Member { archive, member } => {
            let raw = match archive::read_member(archive, member, max_size) {
                Ok(b) => b,
                Err(archive::MemberError::Io(e)) => return Err(io_err(e)),
                Err(archive::MemberError::NotFound) => {
                    return Err((
                        LoadError {
                            message: format!(
                                "no member `{member}` in the archive {}",
                                archive.display()
                            ),
                            span: Span::default(),
                            help: Some("member paths are as `tar -tf ARCHIVE` lists them".into()),
                        },
                        Vec::new(),
                    ))
                }
                Err(archive::MemberError::TooLarge(n)) => {
                    return Err((too_big(max_size, n, false), Vec::new()))
                }
            };
            bounded(raw.as_slice(), max_size)?
        }
    };
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

fn too_big(max_size: u64, n: u64, decompressed: bool) -> LoadError {
    let what = if decompressed {
        "decompressed input"
    } else {
        "input"
    };
    LoadError {
        message: format!("{what} is larger than {max_size} bytes ({n} bytes or more)"),
        span: Span::default(),
        help: Some("raise the limit with --max-size if this is really a CIB".into()),
    }
}

/// The first bytes of a file (fewer if it is shorter).
fn read_head(f: &mut std::fs::File, head: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// All of a stream, decompressed if it is compressed, at most `max_size`
/// bytes of it: a decompression bomb stops at the limit.
fn bounded(r: impl std::io::BufRead, max_size: u64) -> Result<Vec<u8>, (LoadError, Vec<u8>)> {
    let (kind, r) = decompress::decoder(r).map_err(io_err)?;
    let compressed = kind != decompress::Compression::None;
    match decompress::read_bounded(r, max_size) {
        Ok(decompress::Bounded::Fits(b)) => Ok(b),
        Ok(decompress::Bounded::TooLarge) => {
            Err((too_big(max_size, max_size + 1, compressed), Vec::new()))
        }
        Err(e) if compressed => Err(io_err(std::io::Error::new(
            e.kind(),
            format!("{} data: {e}", kind.name()),
        ))),
        Err(e) => Err(io_err(e)),
    }
}

/// An uncompressed file: read at its size in one go where possible.
fn read_plain(
    mut f: std::fs::File,
    p: &Path,
    name: String,
    max_size: u64,
) -> Result<SourceFile, (LoadError, Vec<u8>)> {
    let mut bytes = Vec::new();
    let io_err = |e: std::io::Error| LoadError {
        message: format!("cannot read: {e}"),
        span: Span::default(),
        help: None,
    };
    if let Ok(m) = f.metadata() {
        if m.len() > max_size {
            return Err((too_big(max_size, m.len(), false), Vec::new()));
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
    if bytes.len() as u64 > max_size {
        return Err((too_big(max_size, bytes.len() as u64, false), Vec::new()));
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok(SourceFile {
            name,
            text: Arc::from(t),
        }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err((not_utf8(at), e.into_bytes()))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::RootTag;

    #[test]
    fn root_tag_reads_attributes_after_prolog_and_doctype() {
        let t = RootTag::parse(
            "<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE cib>\n<cib epoch='3' execution-date=\"17\">",
        )
        .unwrap_or_default();
        assert_eq!(t.name, "cib");
        assert_eq!(t.attr("epoch"), Some("3"));
        assert_eq!(t.attr("execution-date"), Some("17"));
    }

    #[test]
    fn a_tag_cut_short_keeps_its_name() {
        let t = RootTag::parse("<configuration a=\"1\" b=\"unterminated").unwrap_or_default();
        assert_eq!(t.name, "configuration");
        assert_eq!(t.attr("a"), Some("1"));
        assert_eq!(t.attr("b"), None);
    }
}
