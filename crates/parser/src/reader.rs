//! `Reader`: a cursor over the input bytes with the binary format's
//! primitive encodings (bytes, LEB128 integers, names, vector lengths).
//!
//! Hand-written rather than built from parser combinators: the hot path is
//! the one-byte LEB128 case, which is a compare and an increment here, and
//! every error needs its exact byte offset and spec phrase.

use crate::error::{Error, ErrorKind, Result};

/// A cursor over `buf[pos..]`.
///
/// `buf` ends where the current section (or the input) ends; `total` is the
/// length of the whole input, against which lengths and counts are checked as
/// the specification's `len32` does.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    input: &'a [u8],
    pos: usize,
    /// Offset of `input[0]` in the original stream (non-zero when a streaming
    /// parser decodes one section out of a larger stream).
    base: usize,
    /// Whether running out means the end of a section or function (as
    /// opposed to the end of the input).
    in_section: bool,
}

impl<'a> Reader<'a> {
    /// A reader over the whole input, starting at `input[0]`, which lies at
    /// `base` in the stream.
    pub fn new(input: &'a [u8], base: usize) -> Reader<'a> {
        Reader {
            buf: input,
            input,
            pos: 0,
            base,
            in_section: false,
        }
    }

    /// Current position in the stream.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Position within the input slice.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left before the current limit.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether the current limit is reached.
    #[inline]
    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// An error at the current position.
    #[cold]
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error::new(self.offset(), kind)
    }

    /// An error at an earlier position (`pos` within the input slice).
    #[cold]
    pub fn error_at(&self, pos: usize, kind: ErrorKind) -> Error {
        Error::new(self.base + pos, kind)
    }

    #[cold]
    fn eof(&self) -> Error {
        let kind = if self.in_section {
            ErrorKind::UnexpectedEndOfSection
        } else {
            ErrorKind::UnexpectedEnd
        };
        Error::new(self.base + self.buf.len(), kind)
    }

    /// From now on, running out is the end of a section or function (the
    /// header is behind).
    pub fn enter_sections(&mut self) {
        self.in_section = true;
    }

    /// Limits reading to the next `len` bytes (which must be there); returns
    /// the previous limit for [`Reader::restore`].
    pub fn limit(&mut self, len: usize) -> Limit {
        let saved = Limit {
            end: self.buf.len(),
            in_section: self.in_section,
        };
        self.buf = &self.input[..self.pos + len];
        self.in_section = true;
        saved
    }

    /// Undoes [`Reader::limit`].
    pub fn restore(&mut self, limit: Limit) {
        self.buf = &self.input[..limit.end];
        self.in_section = limit.in_section;
    }

    /// The next byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof()),
        }
    }

    /// The next byte, without consuming it.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// The next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            // Consume up to the limit so the error lands at the end.
            return Err(self.eof());
        }
        let input: &'a [u8] = self.input;
        let out = &input[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// The next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let bytes = self.bytes(N)?;
        let mut out = [0; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// An unsigned LEB128 `u32`.
    #[inline]
    pub fn u32(&mut self) -> Result<u32> {
        if let Some(&b) = self.buf.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u32::from(b));
        }
        self.u32_long()
    }

    /// [`Reader::u32`] past its first byte: the short forms that cannot be
    /// out of range are decoded without the per-byte checks.
    #[inline(never)]
    fn u32_long(&mut self) -> Result<u32> {
        if let Some((v, n)) = leb_short(&self.buf[self.pos.min(self.buf.len())..], 4) {
            self.pos += n;
            return Ok(v as u32);
        }
        self.unsigned(32).map(|v| v as u32)
    }

    /// An unsigned LEB128 `u64`.
    #[inline]
    pub fn u64(&mut self) -> Result<u64> {
        if let Some(&b) = self.buf.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        self.u64_long()
    }

    /// [`Reader::u64`] past its first byte (see [`Reader::u32_long`]).
    #[inline(never)]
    fn u64_long(&mut self) -> Result<u64> {
        if let Some((v, n)) = leb_short(&self.buf[self.pos.min(self.buf.len())..], 9) {
            self.pos += n;
            return Ok(v);
        }
        self.unsigned(64)
    }

    /// A signed LEB128 `i32`.
    #[inline]
    pub fn i32(&mut self) -> Result<i32> {
        if let Some(&b) = self.buf.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            // Sign-extend the 7-bit value.
            return Ok(i32::from((b << 1) as i8 >> 1));
        }
        self.i32_long()
    }

    /// [`Reader::i32`] past its first byte (see [`Reader::u32_long`]).
    #[inline(never)]
    fn i32_long(&mut self) -> Result<i32> {
        if let Some((v, n)) = leb_short(&self.buf[self.pos.min(self.buf.len())..], 4) {
            self.pos += n;
            return Ok(sign_extend(v, n) as i32);
        }
        self.signed(32).map(|v| v as i32)
    }

    /// A signed LEB128 `i64`.
    #[inline]
    pub fn i64(&mut self) -> Result<i64> {
        if let Some(&b) = self.buf.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(i64::from((b << 1) as i8 >> 1));
        }
        self.i64_long()
    }

    /// [`Reader::i64`] past its first byte (see [`Reader::u32_long`]).
    #[inline(never)]
    fn i64_long(&mut self) -> Result<i64> {
        if let Some((v, n)) = leb_short(&self.buf[self.pos.min(self.buf.len())..], 9) {
            self.pos += n;
            return Ok(sign_extend(v, n));
        }
        self.signed(64)
    }

    /// A signed 33-bit LEB128 number (block types and heap types).
    pub fn s33(&mut self) -> Result<i64> {
        self.signed(33)
    }

    /// An unsigned LEB128 number of at most `bits` bits, checked as the
    /// specification's `uN` grammar: at most ceil(bits/7) bytes, and the
    /// unused bits of the last byte zero.
    #[inline(never)]
    fn unsigned(&mut self, bits: u32) -> Result<u64> {
        let mut result = 0u64;
        let mut left = bits as i32;
        loop {
            if left <= 0 {
                return Err(self.error(ErrorKind::IntegerTooLong));
            }
            let b = self.u8()?;
            if left < 7 && u32::from(b & 0x7f) >= 1 << left {
                return Err(self.error_at(self.pos - 1, ErrorKind::IntegerTooLarge));
            }
            result |= u64::from(b & 0x7f) << (bits as i32 - left);
            if b & 0x80 == 0 {
                return Ok(result);
            }
            left -= 7;
        }
    }

    /// A signed LEB128 number of at most `bits` bits, checked as the
    /// specification's `sN` grammar: the unused bits of the last byte must
    /// all equal the sign bit.
    #[inline(never)]
    fn signed(&mut self, bits: u32) -> Result<i64> {
        let mut result = 0i64;
        let mut shift = 0u32;
        let mut left = bits as i32;
        loop {
            if left <= 0 {
                return Err(self.error(ErrorKind::IntegerTooLong));
            }
            let b = self.u8()?;
            if left < 7 {
                let mask = ((-1i32 << (left - 1)) & 0x7f) as u8;
                if b & mask != 0 && b & mask != mask {
                    return Err(self.error_at(self.pos - 1, ErrorKind::IntegerTooLarge));
                }
            }
            result |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    result |= -1i64 << shift;
                }
                return Ok(result);
            }
            left -= 7;
        }
    }

    /// A vector length or byte length: a `u32` no larger than the bytes
    /// left in the whole input (the specification's `len32`). Returns it as
    /// a `usize` that is safe to size an allocation with.
    #[inline]
    pub fn len(&mut self) -> Result<usize> {
        let start = self.pos;
        let n = self.u32()? as usize;
        if n > self.input.len() - self.pos {
            return Err(self.error_at(start, ErrorKind::LengthOutOfBounds));
        }
        Ok(n)
    }

    /// A vector count, and a capacity to reserve for it that the remaining
    /// bytes justify (every item takes at least a byte). The count itself
    /// is not checked: running out of items is `unexpected end`, as in the
    /// specification's reference decoder.
    #[inline]
    pub fn count(&mut self) -> Result<(u32, usize)> {
        // Items can be far larger than their one byte (an import is some 80
        // bytes in memory): cap the reservation too, and let a really long
        // vector grow as it is read.
        const MAX_RESERVE: usize = 1 << 12;
        let n = self.u32()?;
        Ok((n, (n as usize).min(self.remaining()).min(MAX_RESERVE)))
    }

    /// A length-prefixed UTF-8 name.
    pub fn name(&mut self) -> Result<&'a str> {
        let n = self.len()?;
        let start = self.pos;
        let bytes = self.bytes(n)?;
        std::str::from_utf8(bytes).map_err(|_| self.error_at(start, ErrorKind::MalformedUtf8))
    }
}

/// A LEB128 number of at most `max` bytes at the front of `s`, and its
/// length; `None` when it is longer (or runs out), for the checked decoder
/// to judge. With `max` bytes at most (28 bits for 32-bit numbers, 63 for
/// 64-bit ones) no value can be out of range, so there is nothing to check.
#[inline(always)]
fn leb_short(s: &[u8], max: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &b) in s.iter().take(max).enumerate() {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Sign-extends an `n`-byte LEB128 number's `7 * n` bits (`n` < 10).
#[inline(always)]
fn sign_extend(v: u64, n: usize) -> i64 {
    let unused = 64 - 7 * n as u32;
    ((v << unused) as i64) >> unused
}

/// A saved limit, from [`Reader::limit`].
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    end: usize,
    in_section: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<'a, T>(bytes: &'a [u8], f: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
        let mut r = Reader::new(bytes, 0);
        f(&mut r)
    }

    #[test]
    fn unsigned() {
        assert_eq!(read(&[0x00], |r| r.u32()), Ok(0));
        assert_eq!(read(&[0xe5, 0x8e, 0x26], |r| r.u32()), Ok(624485));
        assert_eq!(
            read(&[0xff, 0xff, 0xff, 0xff, 0x0f], |r| r.u32()),
            Ok(u32::MAX)
        );
        // Padding with zero continuation bytes is allowed within the bound.
        assert_eq!(read(&[0x80, 0x80, 0x80, 0x80, 0x00], |r| r.u32()), Ok(0));
        let too_large = read(&[0xff, 0xff, 0xff, 0xff, 0x1f], |r| r.u32()).unwrap_err();
        assert_eq!(too_large.kind(), &ErrorKind::IntegerTooLarge);
        assert_eq!(too_large.offset(), 4);
        let too_long = read(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], |r| r.u32()).unwrap_err();
        assert_eq!(too_long.kind(), &ErrorKind::IntegerTooLong);
        let end = read(&[0x80], |r| r.u32()).unwrap_err();
        assert_eq!(end.kind(), &ErrorKind::UnexpectedEnd);
        assert_eq!(end.offset(), 1);
        assert_eq!(
            read(
                &[0xff; 9].iter().chain(&[0x01]).copied().collect::<Vec<_>>(),
                |r| r.u64()
            ),
            Ok(u64::MAX)
        );
        assert!(
            read(
                &[0xff; 9].iter().chain(&[0x02]).copied().collect::<Vec<_>>(),
                |r| r.u64()
            )
            .is_err()
        );
    }

    #[test]
    fn signed() {
        assert_eq!(read(&[0x7f], |r| r.i32()), Ok(-1));
        assert_eq!(read(&[0x3f], |r| r.i32()), Ok(63));
        assert_eq!(read(&[0xc0, 0x00], |r| r.i32()), Ok(64));
        assert_eq!(read(&[0xbf, 0x7f], |r| r.i32()), Ok(-65));
        assert_eq!(
            read(&[0x80, 0x80, 0x80, 0x80, 0x78], |r| r.i32()),
            Ok(i32::MIN)
        );
        assert_eq!(
            read(&[0xff, 0xff, 0xff, 0xff, 0x07], |r| r.i32()),
            Ok(i32::MAX)
        );
        let too_large = read(&[0xff, 0xff, 0xff, 0xff, 0x0f], |r| r.i32()).unwrap_err();
        assert_eq!(too_large.kind(), &ErrorKind::IntegerTooLarge);
        assert_eq!(
            read(
                &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
                |r| r.i64()
            ),
            Ok(i64::MIN)
        );
        assert!(
            read(
                &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70],
                |r| r.i64()
            )
            .is_err()
        );
        assert_eq!(read(&[0x40], |r| r.s33()), Ok(-64));
    }

    #[test]
    fn lengths_and_names() {
        let err = read(&[0x05, b'a'], |r| r.name()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::LengthOutOfBounds);
        assert_eq!(read(&[0x02, b'h', b'i'], |r| r.name()), Ok("hi"));
        let err = read(&[0x01, 0xff], |r| r.name()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedUtf8);
        assert_eq!(err.offset(), 1);
    }

    #[test]
    fn limits() {
        let mut r = Reader::new(&[1, 2, 3, 4], 10);
        r.u8().unwrap();
        let saved = r.limit(2);
        assert_eq!(r.bytes(2).unwrap(), &[2, 3]);
        let err = r.u8().unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::UnexpectedEndOfSection);
        assert_eq!(err.offset(), 13);
        r.restore(saved);
        assert_eq!(r.u8(), Ok(4));
    }

    mod leb128_oracle {
        use super::*;
        use proptest::prelude::*;

        fn encoded_u(v: u64) -> Vec<u8> {
            let mut out = Vec::new();
            leb128::write::unsigned(&mut out, v).unwrap();
            out
        }

        fn encoded_s(v: i64) -> Vec<u8> {
            let mut out = Vec::new();
            leb128::write::signed(&mut out, v).unwrap();
            out
        }

        proptest! {
            #[test]
            fn u32_matches(v: u32) {
                let bytes = encoded_u(v.into());
                let mut r = Reader::new(&bytes, 0);
                prop_assert_eq!(r.u32(), Ok(v));
                prop_assert!(r.at_end());
            }

            #[test]
            fn u64_matches(v: u64) {
                let bytes = encoded_u(v);
                let mut r = Reader::new(&bytes, 0);
                prop_assert_eq!(r.u64(), Ok(v));
                prop_assert!(r.at_end());
            }

            #[test]
            fn i32_matches(v: i32) {
                let bytes = encoded_s(v.into());
                let mut r = Reader::new(&bytes, 0);
                prop_assert_eq!(r.i32(), Ok(v));
                prop_assert!(r.at_end());
            }

            #[test]
            fn i64_matches(v: i64) {
                let bytes = encoded_s(v);
                let mut r = Reader::new(&bytes, 0);
                prop_assert_eq!(r.i64(), Ok(v));
                prop_assert!(r.at_end());
            }

            /// Whatever the bytes, a `u32` read agrees with the oracle
            /// whenever the oracle's value fits and the encoding is within
            /// five bytes; otherwise it is an error, never a panic.
            #[test]
            fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
                let mut r = Reader::new(&bytes, 0);
                let ours = r.u32();
                let mut slice = &bytes[..];
                let theirs = leb128::read::unsigned(&mut slice);
                let used = bytes.len() - slice.len();
                match theirs {
                    Ok(v) if used <= 5 && v <= u64::from(u32::MAX) => {
                        prop_assert_eq!(ours, Ok(v as u32));
                        prop_assert_eq!(r.pos(), used);
                    }
                    _ => prop_assert!(ours.is_err()),
                }
            }
        }
    }
}
