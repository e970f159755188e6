//! Bytes to a validated module in one pass: the parser decodes, and each
//! instruction is checked right as it comes out of the decoder, still hot
//! in cache, instead of in a second walk over the stored code.
//!
//! The result and the first error are [`weft_parser::parse_with`] then
//! [`crate::validate`]'s: a decode error anywhere comes first (the module is
//! malformed, whatever its bodies), then the module-level checks in the
//! usual order, the bodies' between the element and the data segments'.
//! A body error is therefore only recorded, and decoding goes on.

use std::fmt;

use weft_ast::{DataMode, Features, Instr, Locals, Module, TypeIdx};
use weft_parser::{Bodies, CodeHook, InstrSink};

use crate::canon::TypeRegistry;
use crate::ctx::{Ctx, Spaces};
use crate::error::{Error, Location};
use crate::func::{begin_body, end_body, needs_feature_check, step_open};
use crate::module::{check_after_code, check_before_code, validate_module};
use crate::stack::Stacks;
use crate::valid::{FuncFacts, ValidModule};

/// Why bytes are not a valid module: they do not decode, or the module
/// they decode to is invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinaryError {
    /// The bytes are not a module (the spec's "malformed").
    Malformed(weft_parser::Error),
    /// The module is invalid.
    Invalid(Error),
}

impl BinaryError {
    /// The byte offset of what is wrong, when known (always for a decode
    /// error; for a body's validation error, the instruction's).
    pub fn offset(&self) -> Option<usize> {
        match self {
            BinaryError::Malformed(e) => Some(e.offset()),
            BinaryError::Invalid(e) => e.offset(),
        }
    }
}

impl fmt::Display for BinaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinaryError::Malformed(e) => e.fmt(f),
            BinaryError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BinaryError {}

impl From<Error> for BinaryError {
    fn from(e: Error) -> BinaryError {
        BinaryError::Invalid(e)
    }
}

/// Decodes and validates; see [`crate::validate_bytes`]. Without `KEEP`,
/// the module's bodies are left empty ([`crate::check_bytes`]).
pub(crate) fn validate_bytes<const KEEP: bool>(
    bytes: &[u8],
    features: Features,
    parallel: bool,
) -> Result<(Module, ValidModule), BinaryError> {
    let mut hook = Hook::<KEEP> {
        features,
        parallel,
        registry: TypeRegistry::new(),
        outcome: None,
    };
    let module =
        weft_parser::parse_with_hook(bytes, features, &mut hook).map_err(BinaryError::Malformed)?;
    let valid = match hook.outcome {
        // No code section: nothing was checked yet.
        None => validate_module(&module, features, &mut TypeRegistry::new(), false)?,
        Some(Outcome::Checked(ctx, funcs)) => check_after_code(
            &Ctx {
                m: &module,
                spaces: *ctx,
            },
            funcs,
        )?,
        Some(Outcome::Failed(e)) => {
            // `ref.func` in a data segment's offset (invalid there) declares
            // the function for the bodies, and the data segments come after
            // the code: the plain path finds the error it would have.
            if refs_in_data_offsets(&module) {
                if !KEEP {
                    // The plain path needs the bodies.
                    return validate_bytes::<true>(bytes, features, parallel);
                }
                validate_module(&module, features, &mut TypeRegistry::new(), false)?;
            }
            return Err(BinaryError::Invalid(e));
        }
    };
    Ok((module, valid))
}

/// Whether a data segment's offset names a function.
fn refs_in_data_offsets(m: &Module) -> bool {
    m.datas.iter().any(|d| match d.mode {
        DataMode::Active { offset, .. } => m
            .code
            .get(offset.start as usize..offset.end as usize)
            .is_some_and(|c| c.iter().any(|i| matches!(i, Instr::RefFunc { .. }))),
        DataMode::Passive => false,
    })
}

/// What the code section's checks left for the end.
enum Outcome {
    /// Everything before the data segments passed: the context and each
    /// body's facts.
    Checked(Box<Spaces>, Vec<FuncFacts>),
    /// The first error (a module-level one, or the lowest function's).
    Failed(Error),
}

/// The parser's hook: at the code section, the module-level checks, then
/// the bodies checked as they are decoded.
struct Hook<const KEEP: bool> {
    features: Features,
    parallel: bool,
    registry: TypeRegistry,
    outcome: Option<Outcome>,
}

impl<const KEEP: bool> CodeHook for Hook<KEEP> {
    const KEEP_CODE: bool = KEEP;

    fn code(
        &mut self,
        module: &Module,
        bodies: &mut Bodies<'_, '_>,
    ) -> Result<(), weft_parser::Error> {
        let mut st = Stacks::new();
        // The data count section (before the code) says how many data
        // segments follow it; with none, bodies that name one fail to
        // decode anyway.
        let num_datas = module.data_count.unwrap_or(0);
        let ctx = match check_before_code(
            module,
            self.features,
            &mut self.registry,
            num_datas,
            &mut st,
        ) {
            Ok(ctx) => ctx,
            Err(e) => {
                self.outcome = Some(Outcome::Failed(e));
                return Ok(());
            }
        };
        // One thread: the serial walk, without the split's extra scan.
        let (facts, error) = if self.parallel && rayon::current_num_threads() > 1 {
            parallel::bodies::<KEEP>(&ctx, bodies)?
        } else {
            let mut checker = Checker::<KEEP>::new(&ctx, st, ctx.m.funcs.len());
            while bodies.next(&mut checker)? {}
            checker.finish()
        };
        self.outcome = Some(match error {
            Some(e) => Outcome::Failed(e),
            None => Outcome::Checked(Box::new(ctx.spaces), facts),
        });
        Ok(())
    }
}

/// Checks each instruction the decoder shows it, body after body, until
/// the first error, which it keeps.
struct Checker<'c, 'm, const KEEP: bool> {
    ctx: &'c Ctx<'m>,
    st: Stacks<'m>,
    check_features: bool,
    /// Whether the current body is being checked (not after an error, nor
    /// for bodies beyond the function section's count).
    active: bool,
    /// The current body's function index, type, next instruction index.
    func: u32,
    ty: TypeIdx,
    k: u32,
    facts: Vec<FuncFacts>,
    error: Option<Error>,
}

impl<'c, 'm, const KEEP: bool> Checker<'c, 'm, KEEP> {
    /// A checker for about `bodies` bodies.
    fn new(ctx: &'c Ctx<'m>, st: Stacks<'m>, bodies: usize) -> Checker<'c, 'm, KEEP> {
        Checker {
            ctx,
            st,
            check_features: needs_feature_check(ctx),
            active: false,
            func: 0,
            ty: 0,
            k: 0,
            facts: Vec::with_capacity(bodies),
            error: None,
        }
    }

    /// Records the first error (the lowest function's, since bodies come
    /// in order) and stops checking.
    #[cold]
    fn fail(&mut self, e: Error) {
        self.active = false;
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// A body whose final `end` did not close the function frame (the
    /// decoder and the checks disagree on the nesting; kept for safety).
    fn unfinished(&mut self) {
        if self.active {
            let e = end_body(&mut self.st, self.ty)
                .err()
                .unwrap_or_else(|| crate::error::err("unexpected end of function: missing end"));
            self.fail(e.at(Location::Func {
                func: self.func,
                instr: None,
            }));
        }
    }

    /// Each body's facts, or the first error.
    fn finish(mut self) -> (Vec<FuncFacts>, Option<Error>) {
        self.unfinished();
        (self.facts, self.error)
    }
}

impl<const KEEP: bool> InstrSink for Checker<'_, '_, KEEP> {
    const KEEP_CODE: bool = KEEP;

    fn body(&mut self, index: u32, locals: &[Locals], offset: usize) {
        self.unfinished();
        self.active = false;
        if self.error.is_some() {
            return;
        }
        let Some(f) = self.ctx.m.funcs.get(index as usize) else {
            return;
        };
        self.func = self.ctx.num_imported_funcs + index;
        self.ty = f.ty;
        self.k = 0;
        match begin_body(self.ctx, &mut self.st, f.ty, locals) {
            Ok(()) => self.active = true,
            Err(e) => {
                let e = e
                    .at(Location::Func {
                        func: self.func,
                        instr: None,
                    })
                    .with_offset(offset);
                self.fail(e);
            }
        }
    }

    #[inline(always)]
    fn instr(&mut self, ins: &Instr, offset: usize) {
        if !self.active {
            return;
        }
        let k = self.k;
        self.k += 1;
        // The frame is open: `active` falls at the `end` that closes it.
        if let Err(e) = step_open(self.ctx, &mut self.st, ins, self.check_features) {
            let e = e
                .at(Location::Func {
                    func: self.func,
                    instr: Some(k),
                })
                .with_offset(offset);
            self.fail(e);
            return;
        }
        // Only `end` (or a legacy `delegate`) closes a frame; the test on the
        // variant folds away in the decoder's other arms.
        if matches!(ins, Instr::End | Instr::Delegate { .. }) && self.st.ctrls.is_empty() {
            // The function's own `end`: the body is done.
            self.active = false;
            match end_body(&mut self.st, self.ty) {
                Ok(facts) => self.facts.push(facts),
                Err(e) => self.fail(e.at(Location::Func {
                    func: self.func,
                    instr: None,
                })),
            }
        }
    }
}

/// The bodies decoded and checked on rayon's threads, in chunks of
/// consecutive bodies.
mod parallel {
    use rayon::prelude::*;
    use weft_ast::Instr;
    use weft_parser::{Bodies, CodeCx, DecodedBody, RawBody};

    use super::Checker;
    use crate::ctx::Ctx;
    use crate::error::Error;
    use crate::stack::Stacks;
    use crate::valid::FuncFacts;

    /// What one chunk gives back.
    struct Chunk {
        code: Vec<Instr>,
        decoded: Vec<DecodedBody>,
        /// The chunk's first decode error (it stops the chunk).
        malformed: Option<weft_parser::Error>,
        facts: Vec<FuncFacts>,
        error: Option<Error>,
    }

    /// Decodes and checks every body; the errors are the serial walk's: the
    /// first decode error in section order, else the lowest function's
    /// validation error.
    ///
    /// The bodies are cut into one run of consecutive bodies per thread, of
    /// about equal bytes. The first run is decoded on this thread straight
    /// into the module's code; the others into their own vectors, appended
    /// after it. Few runs, because each but the first costs a copy of its
    /// code (and fresh pages for it).
    pub(super) fn bodies<const KEEP: bool>(
        ctx: &Ctx<'_>,
        bodies: &mut Bodies<'_, '_>,
    ) -> Result<(Vec<FuncFacts>, Option<Error>), weft_parser::Error> {
        let features = bodies.features();
        let (raw, scan_error) = bodies.split();
        let runs = runs(&raw, rayon::current_num_threads().max(1));
        let (first, rest) = runs
            .split_first()
            .map_or((&[][..], &[][..]), |(f, r)| (*f, r));
        let ((malformed, facts, error), chunks) = rayon::join(
            || {
                let mut checker = Checker::<KEEP>::new(ctx, Stacks::new(), first.len());
                if KEEP {
                    let bytes: usize = first.iter().map(RawBody::size).sum();
                    bodies.reserve(bytes / 2);
                }
                let mut malformed = None;
                for body in first {
                    if let Err(e) = bodies.decode_raw(body, &mut checker) {
                        malformed = Some(e);
                        break;
                    }
                }
                let (facts, error) = checker.finish();
                (malformed, facts, error)
            },
            || {
                rest.par_iter()
                    .map(|run| decode_chunk::<KEEP>(ctx, features, run))
                    .collect::<Vec<Chunk>>()
            },
        );
        if let Some(e) = malformed {
            return Err(e);
        }
        let (mut facts, mut error) = (facts, error);
        for mut c in chunks {
            if let Some(e) = c.malformed {
                return Err(e);
            }
            bodies.push(&mut c.code, c.decoded);
            if error.is_none() {
                error = c.error;
                facts.append(&mut c.facts);
            }
        }
        if let Some(e) = scan_error {
            return Err(e);
        }
        Ok((facts, error))
    }

    /// Cuts the bodies into at most `n` runs of consecutive bodies with
    /// about equal bytes.
    fn runs<'b, 'r>(raw: &'b [RawBody<'r>], n: usize) -> Vec<&'b [RawBody<'r>]> {
        let total: usize = raw.iter().map(RawBody::size).sum();
        let mut out = Vec::with_capacity(n);
        let (mut start, mut acc) = (0, 0);
        for (i, b) in raw.iter().enumerate() {
            acc += b.size();
            // Cut when this run reaches its share of the bytes.
            if out.len() + 1 < n && acc * n >= total * (out.len() + 1) {
                out.push(&raw[start..=i]);
                start = i + 1;
            }
        }
        if start < raw.len() || out.is_empty() {
            out.push(&raw[start..]);
        }
        out
    }

    fn decode_chunk<const KEEP: bool>(
        ctx: &Ctx<'_>,
        features: weft_ast::Features,
        chunk: &[RawBody<'_>],
    ) -> Chunk {
        let bytes: usize = chunk.iter().map(RawBody::size).sum();
        // About one instruction per two bytes, when they are kept.
        let mut code = Vec::with_capacity(if KEEP { bytes / 2 } else { 0 });
        let mut decoded = Vec::with_capacity(chunk.len());
        let mut checker = Checker::<KEEP>::new(ctx, Stacks::new(), chunk.len());
        let mut malformed = None;
        let mut cx = CodeCx::new(features);
        for body in chunk {
            match body.decode_in(&mut cx, &mut code, &mut checker) {
                Ok(d) => decoded.push(d),
                Err(e) => {
                    malformed = Some(e);
                    break;
                }
            }
        }
        let (facts, error) = checker.finish();
        Chunk {
            code,
            decoded,
            malformed,
            facts,
            error,
        }
    }
}
