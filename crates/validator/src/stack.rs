//! The operand and control stacks of the validation algorithm (the spec's
//! appendix), reused from one function to the next.

use weft_ast::{BlockType, FuncType, SigType, ValType};

use crate::ctx::{Ctx, Ty, ty_name};
use crate::error::{Result, err};

/// A short list of value types without allocating: block types name either
/// nothing, one type, or a function type's list.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tys<'m> {
    Empty,
    One(ValType),
    Many(&'m [ValType]),
}

impl<'m> Tys<'m> {
    pub fn len(self) -> usize {
        match self {
            Tys::Empty => 0,
            Tys::One(_) => 1,
            Tys::Many(s) => s.len(),
        }
    }

    pub fn get(self, i: usize) -> ValType {
        match self {
            Tys::One(v) => v,
            Tys::Many(s) => s[i],
            Tys::Empty => unreachable!("index into an empty type list"),
        }
    }

    /// The first `n` types.
    pub fn prefix(self, n: usize) -> Tys<'m> {
        match self {
            Tys::Many(s) => Tys::Many(&s[..n]),
            Tys::One(_) if n == 0 => Tys::Empty,
            other => other,
        }
    }
}

impl<'m> From<&'m [ValType]> for Tys<'m> {
    fn from(s: &'m [ValType]) -> Tys<'m> {
        Tys::Many(s)
    }
}

/// An operand type in one word, so that the common check (the operand has
/// exactly the expected type) is a single comparison.
///
/// Bits 0-7: kind (0 unknown, 1 `(ref bot)`, 2-6 i32 i64 f32 f64 v128,
/// 7 abstract reference, 8 concrete reference); bit 8: nullable; bits
/// 16-23: abstract heap code; bits 32-63: type index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Packed(u64);

impl Packed {
    #[inline(always)]
    pub fn of_val(v: ValType) -> Packed {
        use weft_ast::HeapType;
        Packed(match v {
            ValType::I32 => 2,
            ValType::I64 => 3,
            ValType::F32 => 4,
            ValType::F64 => 5,
            ValType::V128 => 6,
            ValType::Ref(r) => {
                let n = (r.nullable as u64) << 8;
                match r.heap {
                    HeapType::Abstract(a) => 7 | n | (a as u64) << 16,
                    HeapType::Concrete(i) => 8 | n | (i as u64) << 32,
                    HeapType::Exact(i) => 9 | n | (i as u64) << 32,
                }
            }
        })
    }

    #[inline(always)]
    pub fn of(t: Ty) -> Packed {
        match t {
            Ty::Unknown => Packed(0),
            Ty::BotRef => Packed(1),
            Ty::Val(v) => Packed::of_val(v),
        }
    }

    pub fn ty(self) -> Ty {
        use weft_ast::{AbsHeap, HeapType, RefType};
        let nullable = self.0 & 0x100 != 0;
        match self.0 & 0xff {
            0 => Ty::Unknown,
            1 => Ty::BotRef,
            2 => Ty::Val(ValType::I32),
            3 => Ty::Val(ValType::I64),
            4 => Ty::Val(ValType::F32),
            5 => Ty::Val(ValType::F64),
            6 => Ty::Val(ValType::V128),
            7 => {
                // Packed from a valid `AbsHeap`, so the code is known.
                let heap = AbsHeap::from_code((self.0 >> 16) as u8).unwrap_or(AbsHeap::None);
                Ty::Val(ValType::Ref(RefType::new(
                    nullable,
                    HeapType::Abstract(heap),
                )))
            }
            8 => Ty::Val(ValType::Ref(RefType::new(
                nullable,
                HeapType::Concrete((self.0 >> 32) as u32),
            ))),
            _ => Ty::Val(ValType::Ref(RefType::new(
                nullable,
                HeapType::Exact((self.0 >> 32) as u32),
            ))),
        }
    }
}

/// What opened a control frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
    TryTable,
    /// Legacy `try`, before any handler.
    Try,
    /// Legacy `catch` handler.
    Catch,
    /// Legacy `catch_all` handler.
    CatchAll,
    /// A constant expression.
    Const,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'m> {
    pub kind: Kind,
    pub params: Tys<'m>,
    pub results: Tys<'m>,
    /// Operand stack height at entry (below the parameters).
    pub height: u32,
    /// Length of the local-initialization log at entry.
    pub init_height: u32,
    pub unreachable: bool,
}

impl<'m> Frame<'m> {
    /// The types a branch to this frame carries.
    pub fn label_types(&self) -> Tys<'m> {
        if self.kind == Kind::Loop {
            self.params
        } else {
            self.results
        }
    }
}

/// The state of one function's (or constant expression's) validation.
pub(crate) struct Stacks<'m> {
    /// Operand types, packed into one word each (see [`Packed`]).
    pub ops: Vec<Packed>,
    pub ctrls: Vec<Frame<'m>>,
    /// Type of every local (parameters first).
    pub locals: Vec<ValType>,
    /// Whether each local is initialized.
    pub inits: Vec<bool>,
    /// Locals initialized since function entry, so that leaving a block can
    /// forget the initializations made inside it.
    pub init_log: Vec<u32>,
    /// Every local's type packed, for the fast path, when all of them are
    /// defaultable (initialized from the start, so `local.get` has nothing
    /// to track); empty otherwise, and the full rules judge.
    pub fast_locals: Vec<Packed>,
    /// Whether memory 0 exists and is 32-bit, for the fast path's loads
    /// and stores.
    pub mem0_i32: bool,
    /// The innermost frame's height and unreachable flag, cached because
    /// every pop needs them.
    height: u32,
    unreachable: bool,
}

/// The reference interpreter's wording, which some scripts match whole.
pub(crate) fn mismatch(expected: ValType, found: Option<Ty>) -> crate::Error {
    let found = found.map(ty_name).unwrap_or_default();
    err(format!(
        "type mismatch: instruction requires [{expected}] but stack has [{found}]",
    ))
}

impl<'m> Stacks<'m> {
    pub fn new() -> Stacks<'m> {
        Stacks {
            ops: Vec::new(),
            ctrls: Vec::new(),
            locals: Vec::new(),
            inits: Vec::new(),
            init_log: Vec::new(),
            fast_locals: Vec::new(),
            mem0_i32: false,
            height: 0,
            unreachable: false,
        }
    }

    /// Reloads the cached facts of the innermost frame.
    fn sync(&mut self) {
        if let Some(f) = self.ctrls.last() {
            self.height = f.height;
            self.unreachable = f.unreachable;
        }
    }

    /// Forgets the previous function; keeps the allocations.
    pub fn reset(&mut self) {
        self.ops.clear();
        self.ctrls.clear();
        self.locals.clear();
        self.inits.clear();
        self.init_log.clear();
        self.fast_locals.clear();
        self.mem0_i32 = false;
        self.height = 0;
        self.unreachable = false;
    }

    #[inline(always)]
    pub fn push(&mut self, t: Ty) {
        self.push_packed(Packed::of(t));
    }

    #[inline(always)]
    fn push_packed(&mut self, p: Packed) {
        self.ops.push(p);
    }

    #[inline(always)]
    pub fn push_val(&mut self, v: ValType) {
        self.push(Ty::Val(v));
    }

    pub fn push_vals(&mut self, tys: Tys<'m>) {
        for i in 0..tys.len() {
            self.push_val(tys.get(i));
        }
    }

    fn frame(&self) -> &Frame<'m> {
        // The function frame stays until the final `end`, after which the
        // body must stop; callers check `ctrls` is not empty first.
        self.ctrls.last().expect("a control frame is open")
    }

    #[inline]
    pub fn pop(&mut self) -> Result<Ty> {
        if self.ops.len() as u32 == self.height {
            if self.unreachable {
                return Ok(Ty::Unknown);
            }
            return Err(err("type mismatch: operand stack is empty"));
        }
        Ok(self.ops.pop().map_or(Ty::Unknown, Packed::ty))
    }

    /// Pops an operand that must match `expect`.
    #[inline(always)]
    pub fn pop_expect(&mut self, ctx: &Ctx<'_>, expect: ValType) -> Result<()> {
        // Fast path: the operand is there and has exactly the type.
        if let Some(&top) = self.ops.last()
            && self.ops.len() as u32 > self.height
            && top == Packed::of_val(expect)
        {
            self.ops.pop();
            return Ok(());
        }
        self.pop_expect_ty(ctx, expect).map(|_| ())
    }

    /// Pops an operand that must match `expect` and returns its type.
    #[inline(never)]
    pub fn pop_expect_ty(&mut self, ctx: &Ctx<'_>, expect: ValType) -> Result<Ty> {
        if self.ops.len() as u32 == self.height {
            if self.unreachable {
                return Ok(Ty::Unknown);
            }
            return Err(mismatch(expect, None));
        }
        let t = self.ops.pop().map_or(Ty::Unknown, Packed::ty);
        if ctx.ty_sub(t, expect) {
            Ok(t)
        } else {
            Err(mismatch(expect, Some(t)))
        }
    }

    pub fn pop_vals(&mut self, ctx: &Ctx<'_>, tys: Tys<'m>) -> Result<()> {
        for i in (0..tys.len()).rev() {
            self.pop_expect(ctx, tys.get(i))?;
        }
        Ok(())
    }

    /// Pops `n` operands of one type, without looping on `n` once the
    /// polymorphic stack bottom is reached (`n` comes from the input).
    pub fn pop_n(&mut self, ctx: &Ctx<'_>, expect: ValType, n: u32) -> Result<()> {
        for _ in 0..n {
            if self.ops.len() as u32 == self.height && self.unreachable {
                return Ok(());
            }
            self.pop_expect(ctx, expect)?;
        }
        Ok(())
    }

    /// Checks, without popping, that the top of the stack matches `tys`
    /// (what `br_table` needs for each of its targets).
    pub fn peek_vals(&self, ctx: &Ctx<'_>, tys: Tys<'m>) -> Result<()> {
        let frame = self.frame();
        let avail = self.ops.len() - frame.height as usize;
        let n = tys.len();
        for i in 0..n {
            // i-th from the top matches the (n-1-i)-th type.
            let expect = tys.get(n - 1 - i);
            let t = if i < avail {
                self.ops[self.ops.len() - 1 - i].ty()
            } else if frame.unreachable {
                Ty::Unknown
            } else {
                return Err(mismatch(expect, None));
            };
            if !ctx.ty_sub(t, expect) {
                return Err(mismatch(expect, Some(t)));
            }
        }
        Ok(())
    }

    pub fn push_ctrl(&mut self, kind: Kind, params: Tys<'m>, results: Tys<'m>) {
        let height = self.ops.len() as u32;
        self.ctrls.push(Frame {
            kind,
            params,
            results,
            height,
            init_height: self.init_log.len() as u32,
            unreachable: false,
        });
        self.height = height;
        self.unreachable = false;
        self.push_vals(params);
    }

    /// Checks the frame's results are exactly on the stack, pops them and
    /// the frame, and forgets local initializations made inside it.
    pub fn pop_ctrl(&mut self, ctx: &Ctx<'_>) -> Result<Frame<'m>> {
        let frame = *self.frame();
        self.pop_vals(ctx, frame.results)?;
        if self.ops.len() as u32 != frame.height {
            return Err(err(
                "type mismatch: values remain on the stack at the end of a block",
            ));
        }
        self.ctrls.pop();
        self.sync();
        self.reset_inits(frame.init_height);
        Ok(frame)
    }

    pub fn reset_inits(&mut self, height: u32) {
        while self.init_log.len() as u32 > height {
            if let Some(l) = self.init_log.pop() {
                self.inits[l as usize] = false;
            }
        }
    }

    pub fn set_unreachable(&mut self) {
        if let Some(frame) = self.ctrls.last_mut() {
            self.ops.truncate(frame.height as usize);
            frame.unreachable = true;
            self.unreachable = true;
        }
    }

    /// The frame a label refers to.
    pub fn label(&self, l: u32) -> Result<Frame<'m>> {
        let n = self.ctrls.len();
        if (l as usize) < n {
            Ok(self.ctrls[n - 1 - l as usize])
        } else {
            Err(err(format!("unknown label {l}")))
        }
    }

    /// Types of a local; `uninitialized local` for a non-defaultable local
    /// read before it is set.
    #[inline(always)]
    pub fn local(&self, l: u32) -> Result<ValType> {
        self.locals
            .get(l as usize)
            .copied()
            .ok_or_else(|| err(format!("unknown local {l}")))
    }

    #[inline(always)]
    pub fn get_local(&self, l: u32) -> Result<ValType> {
        let ty = self.local(l)?;
        if !self.inits[l as usize] {
            return Err(err(format!("uninitialized local {l}")));
        }
        Ok(ty)
    }

    #[inline(always)]
    pub fn set_local(&mut self, l: u32) {
        if !self.inits[l as usize] {
            self.inits[l as usize] = true;
            self.init_log.push(l);
        }
    }
}

/// The packed forms of the number types, for the fast path's comparisons.
const P_I32: Packed = Packed(2);

impl<'m> Stacks<'m> {
    /// Whether the `n`-th operand from the top (0 is the top) is in the
    /// innermost frame and has exactly the packed type `p`.
    #[inline(always)]
    fn top_is(&self, n: usize, p: Packed) -> bool {
        let len = self.ops.len();
        len > self.height as usize + n && self.ops[len - 1 - n] == p
    }

    /// Whether a memory argument is certainly valid for a 32-bit memory:
    /// the memory exists and is 32-bit, the offset fits, the alignment is
    /// within the natural one.
    #[inline(always)]
    fn fast_memarg(&self, m: weft_ast::MemArg, natural: u8) -> bool {
        m.memory == 0 && self.mem0_i32 && m.offset <= u64::from(u32::MAX) && m.align <= natural
    }

    /// An instruction typed by its signature in the table, when its
    /// operands have exactly the types it lists: a fixed signature without
    /// immediates (the immediates of the others need checks of their own),
    /// or an access to memory 0, 32-bit, whose `addr` is then `i32`.
    #[inline(always)]
    fn fast_sig(&mut self, i: &weft_ast::Instr) -> bool {
        let sig = i.signature();
        let plain = match shape(i) {
            Shape::Plain => true,
            Shape::Access { memarg, natural } => self.fast_memarg(memarg, natural),
            Shape::Other => false,
        };
        if !plain {
            return false;
        }
        let packed = |t: SigType| match t {
            SigType::Val(v) => Some(Packed::of_val(v)),
            SigType::Addr => Some(P_I32),
            _ => None,
        };
        let n = sig.params.len();
        for (k, &t) in sig.params.iter().enumerate() {
            match packed(t) {
                Some(p) if self.top_is(n - 1 - k, p) => {}
                _ => return false,
            }
        }
        if sig.results.iter().any(|&t| packed(t).is_none()) {
            return false;
        }
        self.ops.truncate(self.ops.len() - n);
        for &t in sig.results {
            if let Some(p) = packed(t) {
                self.push_packed(p);
            }
        }
        if sig.never {
            self.set_unreachable();
        }
        true
    }

    /// Whether the innermost frame's operands are exactly `tys`, type for
    /// type, with nothing below them (what `end` needs).
    #[inline(always)]
    fn exactly(&self, tys: Tys<'m>) -> bool {
        let height = self.height as usize;
        match tys {
            Tys::Empty => self.ops.len() == height,
            Tys::One(v) => self.ops.len() == height + 1 && self.ops[height] == Packed::of_val(v),
            Tys::Many(s) => self.ops.len() == height + s.len() && self.match_from(height, s),
        }
    }

    /// Whether the operands from `start` up are `tys`, type for type (out
    /// of line: the loop is not worth its code in every decoder arm that
    /// inlines the fast path).
    #[inline(never)]
    fn match_from(&self, start: usize, tys: &[ValType]) -> bool {
        tys.iter()
            .zip(&self.ops[start..])
            .all(|(&t, &p)| Packed::of_val(t) == p)
    }

    /// Whether the top operands of the innermost frame are `tys`, type
    /// for type (what a branch or a call needs).
    #[inline(always)]
    fn on_top(&self, tys: Tys<'m>) -> bool {
        match tys {
            Tys::Empty => true,
            Tys::One(v) => self.top_is(0, Packed::of_val(v)),
            Tys::Many(s) => {
                let len = self.ops.len();
                len >= self.height as usize + s.len() && self.match_from(len - s.len(), s)
            }
        }
    }

    /// `end` of a frame whose results are exactly on its stack: pops the
    /// frame and leaves the results where they are. An `if` without `else`
    /// only when it has neither parameters nor results.
    #[inline(always)]
    fn fast_end(&mut self) -> bool {
        let Some(f) = self.ctrls.last() else {
            return false;
        };
        let simple = match f.kind {
            Kind::Block | Kind::Loop | Kind::Else | Kind::Func => true,
            Kind::If => f.params.len() == 0 && f.results.len() == 0,
            _ => false,
        };
        if !simple || !self.exactly(f.results) {
            return false;
        }
        let init_height = f.init_height;
        self.ctrls.pop();
        self.sync();
        self.reset_inits(init_height);
        true
    }

    /// `block`, `loop` or `if` of an empty or single number type (the
    /// types that need no check).
    #[inline(always)]
    fn fast_block(&mut self, kind: Kind, ty: BlockType) -> bool {
        let results = match ty {
            BlockType::Empty => Tys::Empty,
            BlockType::Val(v @ (ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64)) => {
                Tys::One(v)
            }
            _ => return false,
        };
        if kind == Kind::If {
            if !self.top_is(0, P_I32) {
                return false;
            }
            self.ops.pop();
        }
        self.push_ctrl(kind, Tys::Empty, results);
        true
    }

    /// The types a branch to label `l` carries, when the label exists and
    /// they are on top of the stack.
    #[inline(always)]
    fn fast_branch(&self, l: u32) -> bool {
        let n = self.ctrls.len();
        (l as usize) < n && self.on_top(self.ctrls[n - 1 - l as usize].label_types())
    }

    /// A direct call whose parameters are on top of the stack (out of
    /// line, like [`Stacks::match_from`]).
    #[inline(never)]
    fn fast_call(&mut self, ctx: &Ctx<'m>, func: u32) -> bool {
        let Ok(f) = ctx.func_type_of(func) else {
            return false;
        };
        if !self.on_top(Tys::Many(&f.params)) {
            return false;
        }
        self.ops.truncate(self.ops.len() - f.params.len());
        for &r in &f.results {
            self.push_packed(Packed::of_val(r));
        }
        true
    }

    /// Types the most frequent instructions when they are certain to be
    /// valid, without entering [`Stacks::instr`], whose frame (a match over
    /// every instruction, many registers saved) costs more than their
    /// checks. `false` when it did nothing: not one of them, or a case the
    /// full rules must judge (and word the error for).
    ///
    /// Inlined into the decoder's arms of the frequent instructions (those
    /// flagged `hot` in the table), where the match folds to the arm's one
    /// case, and into the decoder's one call site for all the others; but
    /// only when optimizing: unoptimized (and the test profile's
    /// `opt-level = 1`) builds would compile the whole match at each site.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn instr_fast(&mut self, ctx: &Ctx<'m>, i: &weft_ast::Instr) -> bool {
        use weft_ast::Instr as I;
        match *i {
            I::End => return self.fast_end(),
            I::Block { ty } => return self.fast_block(Kind::Block, ty),
            I::Loop { ty } => return self.fast_block(Kind::Loop, ty),
            I::If { ty } => return self.fast_block(Kind::If, ty),
            I::Br { label } => {
                if !self.fast_branch(label) {
                    return false;
                }
                self.set_unreachable();
            }
            I::BrIf { label } => {
                if !self.top_is(0, P_I32) {
                    return false;
                }
                self.ops.pop();
                if !self.fast_branch(label) {
                    // Back as it was, for the full rules.
                    self.ops.push(P_I32);
                    return false;
                }
            }
            I::Return => {
                if !self.fast_branch(self.ctrls.len().saturating_sub(1) as u32) {
                    return false;
                }
                self.set_unreachable();
            }
            I::Call { func } => return self.fast_call(ctx, func),
            I::F32Const { .. } => self.push(Ty::Val(ValType::F32)),
            I::F64Const { .. } => self.push(Ty::Val(ValType::F64)),
            I::LocalGet { local } => match self.fast_locals.get(local as usize) {
                Some(&p) => self.push_packed(p),
                None => return false,
            },
            I::LocalSet { local } | I::LocalTee { local } => {
                // Every local is initialized already (see `fast_locals`).
                match self.fast_locals.get(local as usize) {
                    Some(&p) if self.top_is(0, p) => {}
                    _ => return false,
                }
                if matches!(i, I::LocalSet { .. }) {
                    self.ops.pop();
                }
            }
            I::I32Const { .. } => self.push(Ty::Val(ValType::I32)),
            I::I64Const { .. } => self.push(Ty::Val(ValType::I64)),
            I::GlobalGet { global } => match ctx.globals.get(global as usize) {
                Some(g) => self.push_val(g.val),
                None => return false,
            },
            I::Drop => {
                if self.ops.len() <= self.height as usize {
                    return false;
                }
                self.ops.pop();
            }
            I::GlobalSet { global } => match ctx.globals.get(global as usize) {
                Some(g) if g.mutable && self.top_is(0, Packed::of_val(g.val)) => {
                    self.ops.pop();
                }
                _ => return false,
            },
            // The simple operators and the loads and stores of memory 0,
            // by their signature in the table.
            _ => return self.fast_sig(i),
        }
        true
    }
}

/// The parameter and result types of a block type.
pub(crate) fn block_sig<'m>(ctx: &Ctx<'m>, bt: BlockType) -> Result<(Tys<'m>, Tys<'m>)> {
    use weft_ast::Features;
    match bt {
        BlockType::Empty => Ok((Tys::Empty, Tys::Empty)),
        BlockType::Val(v) => {
            ctx.check_val_all(v)?;
            Ok((Tys::Empty, Tys::One(v)))
        }
        BlockType::Func(idx) => {
            let f: &'m FuncType = ctx.func_type(idx)?;
            // Before multi-value, a block type is empty or one value type;
            // the type-index form does not exist.
            if !ctx.features.contains(Features::MULTI_VALUE) {
                return Err(err(
                    "invalid result arity: block types from a type index require multi-value",
                ));
            }
            Ok((Tys::Many(&f.params), Tys::Many(&f.results)))
        }
    }
}

/// What the fast path needs of an instruction besides its signature, by
/// the immediates its row lists.
enum Shape {
    /// No immediates.
    Plain,
    /// One memory argument, not atomic (atomics need their natural
    /// alignment exactly), with log2 of the natural alignment.
    Access {
        memarg: weft_ast::MemArg,
        natural: u8,
    },
    /// Immediates that need checks of their own.
    Other,
}

macro_rules! shape_of {
    ($feature:ident;) => {
        Shape::Plain
    };
    (THREADS; $($rest:tt)*) => {
        Shape::Other
    };
    ($feature:ident; $f:ident : MemArg1) => {
        Shape::Access {
            memarg: *$f,
            natural: 0,
        }
    };
    ($feature:ident; $f:ident : MemArg2) => {
        Shape::Access {
            memarg: *$f,
            natural: 1,
        }
    };
    ($feature:ident; $f:ident : MemArg4) => {
        Shape::Access {
            memarg: *$f,
            natural: 2,
        }
    };
    ($feature:ident; $f:ident : MemArg8) => {
        Shape::Access {
            memarg: *$f,
            natural: 3,
        }
    };
    ($feature:ident; $f:ident : MemArg16) => {
        Shape::Access {
            memarg: *$f,
            natural: 4,
        }
    };
    ($feature:ident; $($rest:tt)*) => {
        Shape::Other
    };
}

macro_rules! define_shape {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        /// The shape of an instruction's immediates, derived from the
        /// table here rather than through weft-ast's accessors, so that it
        /// always inlines (and folds to a constant in a decoder arm).
        #[inline(always)]
        #[allow(unused_variables)]
        fn shape(i: &weft_ast::Instr) -> Shape {
            use weft_ast::Instr;
            match i {
                $( $( Instr::$name $({ $($field),* })? =>
                    shape_of!($feature; $($($field : $imm),*)?), )* )*
            }
        }
    };
}

weft_ast::for_each_instr!(define_shape);
