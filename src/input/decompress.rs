//! Compressed inputs: bzip2 (Pacemaker's own pe-input-N.bz2), gzip and xz,
//! recognised by their magic bytes rather than the file name, and always
//! read through a bound so that a decompression bomb costs at most the
//! limit in memory.

use std::io::{self, BufRead, Read};

/// How an input's bytes are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Bzip2,
    Gzip,
    Xz,
}

impl Compression {
    /// Recognise a format from an input's first bytes (six are enough).
    pub fn sniff(head: &[u8]) -> Compression {
        // "BZh" then the block size digit 1-9.
        if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
            Compression::Bzip2
        } else if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Bzip2 => "bzip2",
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
        }
    }
}

/// The xz decoder refuses streams whose dictionary needs more than this
/// (KiB): `xz -9` needs 64 MiB, and a crafted header must not make us
/// allocate gigabytes before a single byte comes out.
const XZ_MEM_LIMIT_KIB: u32 = 128 * 1024;

/// A reader yielding the decompressed bytes of `inner`, whatever its
/// format (uncompressed input passes through). Concatenated streams are
/// read as one, as `bzip2 -d`, `gzip -d` and `xz -d` do.
pub fn decoder<'a, R: BufRead + 'a>(mut inner: R) -> io::Result<(Compression, Box<dyn Read + 'a>)> {
    let kind = Compression::sniff(peek(&mut inner, 6)?.as_slice());
    let reader: Box<dyn Read + 'a> = match kind {
        Compression::None => Box::new(inner),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(inner)),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(inner)),
        Compression::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
            inner,
            true,
            XZ_MEM_LIMIT_KIB,
        )),
    };
    Ok((kind, reader))
}

/// Up to `n` leading bytes of a buffered reader, without consuming them.
/// A buffer may hand out fewer bytes than asked at once; six bytes always
/// fit in a fresh `BufReader`, and a short answer only means "not
/// compressed", which a reader holding less than six bytes is not.
fn peek<R: BufRead>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    loop {
        match r.fill_buf() {
            Ok(buf) => return Ok(buf[..buf.len().min(n)].to_vec()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The outcome of reading a bounded stream.
pub enum Bounded {
    Fits(Vec<u8>),
    /// More than the limit: reading stopped one byte past it.
    TooLarge,
}

/// Read all of `r`, but never more than `max + 1` bytes.
pub fn read_bounded(r: impl Read, max: u64) -> io::Result<Bounded> {
    let mut out = Vec::new();
    r.take(max.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > max {
        Ok(Bounded::TooLarge)
    } else {
        Ok(Bounded::Fits(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const XML: &[u8] = b"<cib epoch=\"1\"><configuration/></cib>\n";

    fn roundtrip(compressed: &[u8]) -> (Compression, Vec<u8>) {
        let (kind, mut r) = decoder(io::BufReader::new(compressed)).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (kind, out)
    }

    #[test]
    fn each_format_is_recognised_by_its_magic() {
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
        bz.write_all(XML).unwrap();
        assert_eq!(
            roundtrip(&bz.finish().unwrap()),
            (Compression::Bzip2, XML.to_vec())
        );

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(XML).unwrap();
        assert_eq!(
            roundtrip(&gz.finish().unwrap()),
            (Compression::Gzip, XML.to_vec())
        );

        let mut xz =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
        xz.write_all(XML).unwrap();
        assert_eq!(
            roundtrip(&xz.finish().unwrap()),
            (Compression::Xz, XML.to_vec())
        );

        assert_eq!(roundtrip(XML), (Compression::None, XML.to_vec()));
    }

    #[test]
    fn text_starting_like_a_magic_is_not_taken_for_one() {
        assert_eq!(Compression::sniff(b"BZh"), Compression::None);
        assert_eq!(Compression::sniff(b"BZhx <cib/>"), Compression::None);
        assert_eq!(Compression::sniff(b"<cib/>"), Compression::None);
    }

    #[test]
    fn the_bound_applies_to_decompressed_bytes() {
        let zeros = vec![0u8; 1 << 20];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&zeros).unwrap();
        let packed = gz.finish().unwrap();
        assert!(packed.len() < 10_000);
        let (_, r) = decoder(io::BufReader::new(packed.as_slice())).unwrap();
        assert!(matches!(read_bounded(r, 1000).unwrap(), Bounded::TooLarge));
        let (_, r) = decoder(io::BufReader::new(packed.as_slice())).unwrap();
        assert!(
            matches!(read_bounded(r, 1 << 20).unwrap(), Bounded::Fits(v) if v.len() == 1 << 20)
        );
    }
}
