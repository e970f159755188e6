//! `StreamParser`: a module decoded section by section as its bytes arrive.
//!
//! Bytes are fed in chunks of any size; [`StreamParser::next_event`] reports each
//! section as soon as all of its bytes are there (decoded into the module
//! being built, which [`StreamParser::module`] shows), and
//! [`Event::NeedMore`] until then. Only the section being completed is
//! buffered: decoded bytes are dropped.

use std::ops::Range;

use weft_ast::{Features, Module, SectionId};

use crate::error::{Error, ErrorKind, Result};
use crate::module::{self, Builder};
use crate::reader::Reader;

/// What [`StreamParser::next_event`] found.
#[derive(Debug)]
pub enum Event {
    /// More bytes are needed; at least `hint` more (a lower bound, 1 when
    /// unknown).
    NeedMore {
        /// How many more bytes the next step needs at least.
        hint: usize,
    },
    /// The 8-byte header was checked.
    Header,
    /// A whole section arrived and was decoded into the module.
    Section {
        /// Its id.
        id: SectionId,
        /// Where its contents lie in the stream (after id and size).
        range: Range<usize>,
    },
    /// The input ended after a whole section: the finished module.
    End(Box<Module>),
}

/// Decodes a module from chunks of bytes.
///
/// ```
/// use weft_parser::{Event, StreamParser};
///
/// let bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0";
/// let mut parser = StreamParser::default();
/// let mut sections = 0;
/// for chunk in bytes.chunks(3) {
///     parser.feed(chunk);
///     while let Event::Header | Event::Section { .. } = parser.next_event().unwrap() {
///         sections += 1;
///     }
/// }
/// parser.end();
/// let Event::End(module) = parser.next_event().unwrap() else { panic!() };
/// assert_eq!((sections, module.types.len()), (2, 1));
/// ```
#[derive(Debug)]
pub struct StreamParser {
    /// Bytes received and not yet decoded.
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: usize,
    /// Whether every byte has been fed.
    eof: bool,
    header_done: bool,
    builder: Option<Builder>,
}

impl Default for StreamParser {
    fn default() -> StreamParser {
        StreamParser::new(Features::default())
    }
}

impl StreamParser {
    /// A parser accepting the given proposals.
    pub fn new(features: Features) -> StreamParser {
        StreamParser {
            buf: Vec::new(),
            base: 0,
            eof: false,
            header_done: false,
            builder: Some(Builder::new(features)),
        }
    }

    /// Adds the next bytes of the stream.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Says that no more bytes will come.
    pub fn end(&mut self) {
        self.eof = true;
    }

    /// The module as decoded so far (empty after [`Event::End`]).
    pub fn module(&self) -> Option<&Module> {
        self.builder.as_ref().map(Builder::module)
    }

    /// Decodes as far as the bytes fed allow and reports the next step.
    pub fn next_event(&mut self) -> Result<Event> {
        if self.builder.is_none() {
            return Err(Error::new(self.base, ErrorKind::UnexpectedContent));
        }
        if !self.header_done {
            return self.header();
        }
        if self.buf.is_empty() {
            if !self.eof {
                return Ok(Event::NeedMore { hint: 1 });
            }
            let builder = self.builder.take().expect("checked above");
            return builder.finish(self.base).map(|m| Event::End(Box::new(m)));
        }
        self.section()
    }

    fn header(&mut self) -> Result<Event> {
        let have = self.buf.len().min(module::HEADER.len());
        if have < module::HEADER.len() && !self.eof {
            // Fail early on a wrong magic, wait for the rest otherwise.
            if self.buf[..have.min(4)] != module::HEADER[..have.min(4)] {
                return Err(Error::new(0, ErrorKind::MagicHeader));
            }
            return Ok(Event::NeedMore {
                hint: module::HEADER.len() - have,
            });
        }
        let mut r = Reader::new(&self.buf, self.base);
        module::header(&mut r)?;
        self.consume(module::HEADER.len());
        self.header_done = true;
        Ok(Event::Header)
    }

    fn section(&mut self) -> Result<Event> {
        let builder = self.builder.as_mut().expect("checked by next_event");
        let features = builder.features();
        let mut r = Reader::new(&self.buf, self.base);
        r.enter_sections();
        let framing = module::section_id(&mut r, features).and_then(|id| Ok((id, r.u32()?)));
        let (id, size) = match framing {
            Ok(framing) => framing,
            // The id or size is cut off: wait for the rest of it.
            Err(e) if *e.kind() == ErrorKind::UnexpectedEndOfSection && !self.eof => {
                return Ok(Event::NeedMore { hint: 1 });
            }
            Err(e) => return Err(e),
        };
        let header_len = r.pos();
        let size = size as usize;
        let available = self.buf.len() - header_len;
        if available < size {
            if self.eof {
                // As for a whole input: a size beyond the end.
                return Err(Error::new(self.base + 1, ErrorKind::LengthOutOfBounds));
            }
            return Ok(Event::NeedMore {
                hint: size - available,
            });
        }
        builder.check_order(id, self.base)?;
        let start = self.base + header_len;
        let contents = &self.buf[header_len..header_len + size];
        let mut r = Reader::new(contents, start);
        r.enter_sections();
        builder.section(id, size, &mut r)?;
        if !r.at_end() {
            return Err(r.error(ErrorKind::SectionSizeMismatch));
        }
        self.consume(header_len + size);
        Ok(Event::Section {
            id,
            range: start..start + size,
        })
    }

    /// Drops `n` decoded bytes from the front of the buffer.
    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
        self.base += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` in chunks of `step` and collects the events.
    fn run(bytes: &[u8], step: usize) -> Result<(Vec<Option<SectionId>>, Module)> {
        let mut p = StreamParser::default();
        let mut seen = Vec::new();
        let mut chunks = bytes.chunks(step);
        loop {
            match p.next_event()? {
                Event::NeedMore { hint } => {
                    assert!(hint >= 1);
                    match chunks.next() {
                        Some(c) => p.feed(c),
                        None => p.end(),
                    }
                }
                Event::Header => seen.push(None),
                Event::Section { id, range } => {
                    assert!(range.end <= bytes.len());
                    seen.push(Some(id));
                }
                Event::End(m) => return Ok((seen, *m)),
            }
        }
    }

    const MODULE: &[u8] = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\
        \x00\x02\x01a\x0a\x04\x01\x02\0\x0b";

    #[test]
    fn every_chunk_size_gives_the_same_module() {
        let whole = crate::parse(MODULE).unwrap();
        for step in 1..MODULE.len() + 1 {
            let (seen, module) = run(MODULE, step).unwrap();
            assert_eq!(module, whole);
            assert_eq!(
                seen,
                [
                    None,
                    Some(SectionId::Type),
                    Some(SectionId::Function),
                    Some(SectionId::Custom),
                    Some(SectionId::Code)
                ]
            );
        }
    }

    #[test]
    fn errors_carry_stream_offsets() {
        let mut bad = MODULE.to_vec();
        // The code section's body: `nop` where `end` should be, then
        // nothing left in the function.
        let last = bad.len() - 1;
        bad[last] = 0x01;
        let err = run(&bad, 2).unwrap_err();
        assert_eq!(err.offset(), bad.len());
        let err = run(b"\0asx", 1).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MagicHeader);
        let err = run(&MODULE[..MODULE.len() - 1], 4).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::LengthOutOfBounds);
    }
}
