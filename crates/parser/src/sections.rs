//! The sections of a binary module by their framing alone: each section's
//! id and byte range, without decoding any contents. A tool can show a
//! module's layout even where a section's contents are malformed (`weft
//! dump` does), and find a section's bytes without building a `Module`.

use std::ops::Range;

use crate::error::Error;
use crate::module::header;
use crate::reader::Reader;

/// One section as its framing gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionFrame {
    /// The id byte (0 for custom sections; ids no proposal defines too).
    pub id: u8,
    /// The contents' byte range in the module (after the id and size).
    pub range: Range<usize>,
    /// For a custom section, its name (when it is well-formed UTF-8).
    pub custom_name: Option<String>,
}

/// The sections of `bytes` in order, after checking the header. Stops at
/// the first framing error (a size beyond the end, a malformed size), which
/// is returned with the sections before it.
pub fn section_frames(bytes: &[u8]) -> (Vec<SectionFrame>, Option<Error>) {
    let mut frames = Vec::new();
    let mut r = Reader::new(bytes, 0);
    if let Err(e) = header(&mut r) {
        return (frames, Some(e));
    }
    while !r.at_end() {
        let frame = (|| {
            let id = r.u8()?;
            let size = r.len()?;
            let start = r.pos();
            let contents = r.bytes(size)?;
            let custom_name = (id == 0)
                .then(|| Reader::new(contents, start).name().ok().map(str::to_string))
                .flatten();
            Ok::<_, Error>(SectionFrame {
                id,
                range: start..start + size,
                custom_name,
            })
        })();
        match frame {
            Ok(f) => frames.push(f),
            Err(e) => return (frames, Some(e)),
        }
    }
    (frames, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn frames_survive_malformed_contents() {
        // A type section whose contents are garbage, then a custom section.
        let bytes = b"\0asm\x01\0\0\0\x01\x02\xff\xff\x00\x03\x01ab";
        let (frames, err) = section_frames(bytes);
        assert!(err.is_none());
        assert_eq!(frames.len(), 2);
        assert_eq!((frames[0].id, frames[0].range.clone()), (1, 10..12));
        assert_eq!(frames[1].custom_name.as_deref(), Some("a"));
    }

    #[test]
    fn a_size_beyond_the_end_stops_the_list() {
        let (frames, err) = section_frames(b"\0asm\x01\0\0\0\x01\x01\x00\x0a\x10\x00");
        assert_eq!(frames.len(), 1);
        assert!(err.unwrap().to_string().contains("length out of bounds"));
        let (_, err) = section_frames(b"\0asn\x01\0\0\0");
        assert!(matches!(err.unwrap().kind(), ErrorKind::MagicHeader));
    }
}
