//! Tar archives (plain, or compressed with any format `decompress` knows),
//! read as a stream: members are visited one at a time, never the whole
//! archive in memory.
//!
//! One member is addressed as `ARCHIVE//MEMBER`, e.g.
//! `report.tar.bz2//report/node1/pengine/pe-input-3.bz2`. The double
//! slash cannot be mistaken for a real path: a regular file has no
//! children, so no existing file is ever named `FILE//…`, and a path with
//! `//` that does exist (`dir//cib.xml`) is taken as the file it is.

use super::decompress::{self, Bounded};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// The separator between an archive's path and a member's.
pub const MEMBER_SEPARATOR: &str = "//";

/// Most members an archive may have before we stop reading it: a
/// crm_report has a few hundred files, a sosreport some thousands.
const MAX_MEMBERS: usize = 1_000_000;

/// `ARCHIVE//MEMBER` when `spec` names no existing file and its part
/// before some `//` is an existing regular file.
pub fn split_member(spec: &str) -> Option<(PathBuf, String)> {
    if Path::new(spec).exists() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = spec[from..].find(MEMBER_SEPARATOR) {
        let at = from + i;
        let (archive, member) = (&spec[..at], &spec[at + MEMBER_SEPARATOR.len()..]);
        if !archive.is_empty() && Path::new(archive).is_file() {
            return Some((PathBuf::from(archive), normalise(member)));
        }
        from = at + MEMBER_SEPARATOR.len();
    }
    None
}

/// A member path as compared: no leading `./` or `/`.
pub fn normalise(member: &str) -> String {
    let mut m = member;
    loop {
        if let Some(r) = m.strip_prefix("./") {
            m = r;
        } else if let Some(r) = m.strip_prefix('/') {
            m = r;
        } else {
            return m.to_owned();
        }
    }
}

/// Whether a file is a tar archive, compressed or not: its decompressed
/// head carries tar's `ustar` magic.
pub fn is_archive(path: &Path) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let Ok((_, r)) = decompress::decoder(BufReader::new(f)) else {
        return false;
    };
    let mut head = Vec::with_capacity(512);
    if r.take(512).read_to_end(&mut head).is_err() || head.len() < 512 {
        return false;
    }
    &head[257..262] == b"ustar"
}

/// How many decompressed bytes of an archive are read at most, as a
/// multiple of `--max-size`: a report with its logs can be large, but a
/// small file that inflates without end must not keep us busy for hours.
pub const ARCHIVE_SIZE_FACTOR: u64 = 16;

/// A reader that fails, rather than ends, past `left` bytes: a tar reader
/// would take a silent end for a truncated archive.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(format!(
                    "the archive is larger than {} bytes decompressed (raise --max-size)",
                    self.limit
                ))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Visit every regular-file member of an archive in order, with its
/// normalised path, its size and a reader over its bytes. `visit` returns
/// `false` to stop early. At most `max_size * ARCHIVE_SIZE_FACTOR`
/// decompressed bytes are read.
pub fn for_each_member(
    path: &Path,
    max_size: u64,
    mut visit: impl FnMut(&str, u64, &mut dyn Read) -> io::Result<bool>,
) -> io::Result<()> {
    let f = File::open(path)?;
    let (_, r) = decompress::decoder(BufReader::new(f))?;
    let limit = max_size.saturating_mul(ARCHIVE_SIZE_FACTOR);
    let mut archive = tar::Archive::new(Capped {
        inner: r,
        left: limit,
        limit,
    });
    for (count, entry) in archive.entries()?.enumerate() {
        if count >= MAX_MEMBERS {
            return Err(io::Error::other(format!(
                "more than {MAX_MEMBERS} members: not a cluster report"
            )));
        }
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = normalise(&String::from_utf8_lossy(&entry.path_bytes()));
        let size = entry.size();
        if !visit(&name, size, &mut entry)? {
            break;
        }
    }
    Ok(())
}

/// Why a member could not be read.
pub enum MemberError {
    Io(io::Error),
    NotFound,
    TooLarge(u64),
}

/// The raw bytes of one member (still compressed if it is), at most
/// `max_size` of them.
pub fn read_member(path: &Path, member: &str, max_size: u64) -> Result<Vec<u8>, MemberError> {
    let wanted = normalise(member);
    let mut found: Option<Result<Vec<u8>, MemberError>> = None;
    for_each_member(path, max_size, |name, size, r| {
        if name != wanted {
            return Ok(true);
        }
        found = Some(if size > max_size {
            Err(MemberError::TooLarge(size))
        } else {
            match decompress::read_bounded(r, max_size)? {
                Bounded::Fits(b) => Ok(b),
                Bounded::TooLarge => Err(MemberError::TooLarge(max_size + 1)),
            }
        });
        Ok(false)
    })
    .map_err(MemberError::Io)?;
    found.unwrap_or(Err(MemberError::NotFound))
}
