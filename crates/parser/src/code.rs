//! The code section's bodies, decoded under a caller's control.
//!
//! A [`CodeHook`] given to [`crate::parse_with_hook`] is handed the module
//! decoded so far and a [`Bodies`] cursor when the code section starts. It
//! decodes the bodies one by one with an [`InstrSink`] of its own (a
//! validator checks each instruction as it comes out of the decoder), or
//! splits them ([`Bodies::split`]) to decode them on several threads and
//! hands the results back in order ([`Bodies::push`]).

use weft_ast::{Expr, Features, Instr, Locals, Module};

use crate::error::{Error, ErrorKind, Result};
use crate::instr::{self, CodeCx, InstrSink};
use crate::reader::Reader;
use crate::types;

/// Drives the decoding of the code section's bodies.
pub trait CodeHook {
    /// Whether the module keeps the bodies' instructions: a hook whose
    /// sinks keep none ([`InstrSink::KEEP_CODE`]) says no, and no room is
    /// reserved for them.
    const KEEP_CODE: bool = true;

    /// The code section starts: `module` holds every section before it
    /// (types, imports, functions, tables, memories, tags, globals, exports,
    /// start, elements, data count). Decode bodies through `bodies`; those
    /// left are decoded plainly afterwards. An error returned (a decode
    /// error from `bodies`) stops the parse.
    fn code(&mut self, module: &Module, bodies: &mut Bodies<'_, '_>) -> Result<()>;
}

/// The hook of plain decoding: leaves every body to the builder.
pub(crate) struct NoHook;

impl CodeHook for NoHook {
    #[inline(always)]
    fn code(&mut self, _: &Module, _: &mut Bodies<'_, '_>) -> Result<()> {
        Ok(())
    }
}

/// A cursor over the code section's bodies (after its count).
pub struct Bodies<'a, 'r> {
    r: &'a mut Reader<'r>,
    cx: &'a mut CodeCx,
    code: &'a mut Vec<Instr>,
    /// The count the section declares.
    count: u32,
    /// How many bodies were decoded or split off so far.
    next: u32,
    /// Each decoded body's locals, instructions (indices into `code`,
    /// which starts with the constant expressions before the section) and
    /// size in bytes.
    decoded: Vec<(Vec<Locals>, Expr, u32)>,
}

impl<'a, 'r> Bodies<'a, 'r> {
    pub(crate) fn new(
        r: &'a mut Reader<'r>,
        cx: &'a mut CodeCx,
        code: &'a mut Vec<Instr>,
        count: u32,
        cap: usize,
    ) -> Bodies<'a, 'r> {
        Bodies {
            r,
            cx,
            code,
            count,
            next: 0,
            decoded: Vec::with_capacity(cap),
        }
    }

    /// The number of bodies the section declares (which the function
    /// section's count may not match: that is an error at the end).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The proposals the decoder accepts.
    pub fn features(&self) -> Features {
        self.cx.features
    }

    /// Decodes the next body, showing `sink` its locals and each
    /// instruction; `false` when every body was decoded.
    pub fn next<S: InstrSink>(&mut self, sink: &mut S) -> Result<bool> {
        if self.next >= self.count {
            return Ok(false);
        }
        let at = self.r.offset();
        let size = self.r.len()?;
        let end = self.r.pos() + size;
        let locals = locals(self.r, self.cx.features)?;
        sink.body(self.next, &locals, at);
        let start = self.code.len() as u32;
        // Like the reference decoder, a body is not cut off at its declared
        // size: a missing `end` reads on, and the size is checked after.
        instr::expr_with(self.r, self.cx, self.code, sink)?;
        if self.r.pos() != end {
            return Err(self.r.error(ErrorKind::SectionSizeMismatch));
        }
        let body = Expr {
            start,
            end: self.code.len() as u32,
        };
        self.decoded.push((locals, body, size as u32));
        self.next += 1;
        Ok(true)
    }

    /// Reads the framing (sizes) of every body left, without decoding
    /// them, so that they can be decoded apart ([`RawBody::decode`]) and
    /// handed back in order with [`Bodies::push`]. Returns them and the
    /// error that ended the scan early, if any: it counts only when none of
    /// the bodies before it has an error of its own.
    pub fn split(&mut self) -> (Vec<RawBody<'r>>, Option<Error>) {
        // The count comes from the input: every body takes a byte at least.
        let left = ((self.count - self.next) as usize).min(self.r.remaining());
        let mut raw = Vec::with_capacity(left);
        while self.next < self.count {
            let at = self.r.offset();
            let scanned = self.r.len().and_then(|size| {
                let start = self.r.clone();
                self.r.bytes(size)?;
                Ok((start, self.r.pos()))
            });
            match scanned {
                Ok((r, end)) => raw.push(RawBody {
                    index: self.next,
                    at,
                    r,
                    end,
                }),
                Err(e) => {
                    // The rest of the count is not there; no body is
                    // decoded beyond this point.
                    self.next = self.count;
                    return (raw, Some(e));
                }
            }
            self.next += 1;
        }
        (raw, None)
    }

    /// Decodes a body split off by [`Bodies::split`] into the section's own
    /// code (the bodies before it must be there already), as
    /// [`RawBody::decode`] would.
    pub fn decode_raw<S: InstrSink>(&mut self, raw: &RawBody<'_>, sink: &mut S) -> Result<()> {
        let uses_data = self.cx.uses_data;
        let b = raw.decode_in(self.cx, self.code, sink)?;
        self.cx.uses_data = uses_data | b.uses_data;
        self.decoded.push((
            b.locals,
            Expr {
                start: b.start,
                end: b.end,
            },
            b.size,
        ));
        Ok(())
    }

    /// Reserves room for `n` more instructions in the section's code.
    pub fn reserve(&mut self, n: usize) {
        self.code.reserve(n);
    }

    /// Appends bodies decoded by [`RawBody::decode`] into `code`, in the
    /// order of the section (their indices into `code` are moved to where
    /// `code` lands).
    pub fn push(&mut self, code: &mut Vec<Instr>, bodies: impl IntoIterator<Item = DecodedBody>) {
        let base = self.code.len() as u32;
        self.code.append(code);
        for b in bodies {
            self.cx.uses_data |= b.uses_data;
            let body = Expr {
                start: base + b.start,
                end: base + b.end,
            };
            self.decoded.push((b.locals, body, b.size));
        }
    }

    pub(crate) fn into_decoded(self) -> Vec<(Vec<Locals>, Expr, u32)> {
        self.decoded
    }
}

/// One body's bytes, split off by [`Bodies::split`], to be decoded on its
/// own (on any thread).
#[derive(Clone, Debug)]
pub struct RawBody<'r> {
    index: u32,
    /// Byte offset of its size field.
    at: usize,
    /// A reader just after the size field; it reaches to the end of the
    /// input, so that a body missing its `end` reads on as in the plain
    /// decoder and fails the same way.
    r: Reader<'r>,
    /// Where the body ends (position in the input).
    end: usize,
}

/// A body decoded by [`RawBody::decode`].
#[derive(Clone, Debug)]
pub struct DecodedBody {
    locals: Vec<Locals>,
    start: u32,
    end: u32,
    uses_data: bool,
    /// The body's size in bytes (locals and instructions).
    size: u32,
}

impl RawBody<'_> {
    /// Its index among the section's bodies.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Its declared size in bytes (locals and instructions).
    pub fn size(&self) -> usize {
        self.end - self.r.pos()
    }

    /// Decodes the body, appending its instructions to `code` and showing
    /// `sink` its locals and each instruction; the errors are the plain
    /// decoder's.
    pub fn decode<S: InstrSink>(
        &self,
        features: Features,
        code: &mut Vec<Instr>,
        sink: &mut S,
    ) -> Result<DecodedBody> {
        self.decode_in(&mut CodeCx::new(features), code, sink)
    }

    /// [`RawBody::decode`] with a decoding context that the caller reuses
    /// from body to body (its buffers are kept; its `uses_data` is this
    /// body's alone afterwards).
    pub fn decode_in<S: InstrSink>(
        &self,
        cx: &mut CodeCx,
        code: &mut Vec<Instr>,
        sink: &mut S,
    ) -> Result<DecodedBody> {
        let mut r = self.r.clone();
        cx.uses_data = false;
        let locals = locals(&mut r, cx.features)?;
        sink.body(self.index, &locals, self.at);
        let start = code.len() as u32;
        instr::expr_with(&mut r, cx, code, sink)?;
        if r.pos() != self.end {
            return Err(r.error(ErrorKind::SectionSizeMismatch));
        }
        Ok(DecodedBody {
            locals,
            start,
            end: code.len() as u32,
            uses_data: cx.uses_data,
            size: self.size() as u32,
        })
    }
}

/// A body's local declarations.
fn locals(r: &mut Reader<'_>, features: Features) -> Result<Vec<Locals>> {
    let (n, cap) = r.count()?;
    let mut locals = Vec::with_capacity(cap);
    let mut total = 0u64;
    for _ in 0..n {
        let at = r.pos();
        let count = r.u32()?;
        total += u64::from(count);
        if total > u64::from(u32::MAX) {
            return Err(r.error_at(at, ErrorKind::TooManyLocals));
        }
        let ty = types::val_type(r, features)?;
        locals.push(Locals { count, ty });
    }
    Ok(locals)
}
