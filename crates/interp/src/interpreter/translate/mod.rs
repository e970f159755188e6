//! Translation of a validated function body into register code (see
//! `ir.rs`).
//!
//! One pass over the flat instruction sequence keeps an abstract operand
//! stack: each entry says where its value is now — in its own stack slot
//! (its "home": the frame slot at its static height), in a local, or a
//! constant not yet written anywhere. Operators read their operands where
//! they are and write their result home; a `local.set` right after can
//! instead retarget that write to the local. A value leaves a local for
//! its home only when it must: before the local is overwritten while the
//! stack still reads it, before a block boundary (every path into a label
//! finds the stack at home), and where an op needs operands in a row (the
//! arguments of a call, the operands of an instruction kept as the AST's).
//! Code after an unconditional transfer (`br`, `return`, `unreachable`,
//! ...) can never run and is skipped to the end of its block.
//!
//! Files: `lower.rs` (each instruction), `exceptions.rs` (`try_table`,
//! legacy `try`), `accum.rs` (the last pass: values for the next op only
//! through the accumulator), `checks.rs` (indices, and the bounds the
//! executor relies on), `effect.rs` (slot effects of instructions kept as
//! the AST's).
//!
//! The body was validated (or is taken on the caller's word, see
//! `Module::new_unchecked`): the translator re-checks no types. What it
//! still checks keeps it and the runtime from indexing out of range or
//! overflowing on an invalid body (an index the runtime looks up, the
//! stack not below a block's floor, a label that exists); such a body
//! then computes garbage, in bounds.

use weft_ast::{AddrType, BlockType, Func, FuncType, Instr, Module, TypeIdx, ValType};

mod accum;
mod checks;
pub(crate) mod effect;
mod exceptions;
mod lower;
#[cfg(test)]
mod tests;

use crate::interpreter::ir::{
    ACC16, CatchOp, Code, FloatOrd, Inst, Op, Target, TryScope, jump_test,
};
use crate::trap::Error;
use crate::value::slots;
use checks::in_bounds;
use effect::effect;

/// A hard bound on the locals of one function, so that a hostile local
/// count cannot size an allocation (engines use the same limit).
const MAX_LOCALS: u64 = 50_000;

/// The error of the translator's most frequent steps (a pop, a local's
/// or a global's lookup), which only a body that skipped validation (see
/// `Module::new_unchecked`) can meet; `?` makes it the `Error`. A result
/// this narrow comes back in registers: one as wide as `Error` cost these
/// calls more than their checks.
#[derive(Debug)]
struct Reject(&'static str);

impl From<Reject> for Error {
    fn from(r: Reject) -> Error {
        Error::Invalid(r.0)
    }
}

/// Popping below the innermost block's floor.
const UNDERFLOW: Reject = Reject("type mismatch: operand stack underflow");

/// What the translator needs to know about the module beyond the body.
pub(crate) struct Env<'a> {
    /// The module.
    pub module: &'a Module,
    /// Type index of every function, imports first.
    pub func_types: &'a [TypeIdx],
    /// Value type of every global, imports first.
    pub globals: &'a [ValType],
    /// Address type of every memory, imports first.
    pub memories: &'a [AddrType],
    /// Type index of every tag, imports first.
    pub tags: &'a [TypeIdx],
    /// Number of tables, imports included (counted once per module: the
    /// index checks of every instruction read it).
    pub tables: usize,
}

impl Env<'_> {
    /// The function type at a type index.
    pub fn func_type(&self, ty: TypeIdx) -> Result<&FuncType, Error> {
        self.module
            .func_type(ty)
            .ok_or(Error::Invalid("unknown type"))
    }

    /// The type of a function by its index.
    pub(super) fn type_of_func(&self, func: u32) -> Result<&FuncType, Error> {
        let ty = *self
            .func_types
            .get(func as usize)
            .ok_or(Error::Invalid("unknown function"))?;
        self.func_type(ty)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Block,
    Loop,
    If,
    Else,
    /// The body of a legacy `try`.
    Try,
    /// A `catch` or `catch_all` of a legacy `try`: the caught exception's
    /// reference sits in a hidden slot at the block's base.
    Catch,
}

/// An op whose jump target is the end of a block not yet closed.
#[derive(Clone, Copy)]
enum Fixup {
    /// The `to` of the op at this index.
    Op(u32),
    /// The `to` of this entry of `Code::targets`.
    Table(u32),
    /// The target of a catch clause: handler and clause.
    Catch(u32, u32),
}

/// An open block.
struct Ctrl {
    kind: BlockKind,
    /// Frame slot of the stack height below the block's parameters.
    base: u32,
    /// Number of values (not slots) below the block's parameters.
    base_vals: usize,
    params: Vec<u8>,
    results: Vec<u8>,
    /// For a loop, the index of its first op.
    start: u32,
    fixups: Vec<Fixup>,
    /// For an `if`, the op that skips to the `else` branch.
    else_fixup: Option<u32>,
    /// Whether the rest of the block is dead code.
    unreachable: bool,
    /// For a `try_table` or legacy `try`, its index in `handlers`.
    handler: Option<u32>,
}

/// Where a value on the abstract stack is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValLoc {
    /// In its own stack slot.
    Home,
    /// In the local at this frame slot.
    Local(u32),
    /// A one-slot constant, not written anywhere yet.
    Const(u64),
}

/// A value on the abstract stack.
#[derive(Clone, Copy, Debug)]
struct Val {
    /// Its home: the frame slot of its stack position.
    at: u32,
    /// Slots it takes (2 for a `v128`).
    width: u8,
    loc: ValLoc,
}

struct Translator<'a> {
    env: &'a Env<'a>,
    ops: Emitted,
    targets: Vec<Target>,
    vals: Vec<Val>,
    /// The frame slot above the stack's top value.
    height: u32,
    max_height: u32,
    ctrls: Vec<Ctrl>,
    /// Frame offset and width of every local.
    locals: Vec<(u32, u8)>,
    /// For every frame slot of the locals, how many stack values read it
    /// there (`ValLoc::Local`): a write to the local must first move those
    /// home.
    local_reads: Vec<u32>,
    /// For the same slots, the stack indices of values that read them, and
    /// perhaps of values since popped: a write to the local homes exactly
    /// these (so that each pushed read is looked at once, not the whole
    /// stack at every write).
    local_readers: Vec<Vec<u32>>,
    /// Every value below this stack index is home (so that putting the
    /// whole stack home at each block boundary looks only above it).
    home_below: usize,
    handlers: Vec<TryScope>,
    casts: Vec<weft_ast::RefType>,
    /// Ops before this index may be branch targets' predecessors: an op
    /// at or after it, written by the instruction just before, may still be
    /// changed (its result retargeted, a comparison turned into a jump).
    barrier: u32,
    /// The op that just wrote the top value home, if it is the last op:
    /// its index, for retargeting.
    producer: Option<u32>,
}

/// The ops emitted so far, each with the index in the body of the
/// instruction whose translation emitted it (where a trap happened). Every
/// change of length goes through here so that the two stay in step.
#[derive(Default)]
struct Emitted {
    ops: Vec<Op>,
    instrs: Vec<u32>,
    /// The instruction being translated.
    current: u32,
}

impl Emitted {
    fn push(&mut self, op: Op) {
        self.ops.push(op);
        self.instrs.push(self.current);
    }

    fn pop(&mut self) -> Option<Op> {
        self.instrs.pop();
        self.ops.pop()
    }
}

impl std::ops::Deref for Emitted {
    type Target = [Op];
    fn deref(&self) -> &[Op] {
        &self.ops
    }
}

impl std::ops::DerefMut for Emitted {
    fn deref_mut(&mut self) -> &mut [Op] {
        &mut self.ops
    }
}

/// The translator's working buffers, left by one translation to the next
/// on the same thread: a module's bodies are translated one after another,
/// and growing these afresh for each (and, for every local, its list of
/// readers) was a large share of translation's time. What a body keeps
/// (its ops, targets, ...) is copied out at its exact size.
#[derive(Default)]
struct Scratch {
    ops: Vec<Op>,
    instrs: Vec<u32>,
    vals: Vec<Val>,
    ctrls: Vec<Ctrl>,
    locals: Vec<(u32, u8)>,
    local_reads: Vec<u32>,
    local_readers: Vec<Vec<u32>>,
}

thread_local! {
    /// This thread's buffers, taken by a translation while it runs (a
    /// translation that fails leaves fresh ones).
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Translates one defined function: `index` is its index in the module's
/// function space (imports first), which its code keeps for backtraces.
pub(crate) fn translate(env: &Env<'_>, func: &Func, index: u32) -> Result<Code, Error> {
    let ty = env.func_type(func.ty)?;
    let declared: u64 = func.locals.iter().map(|l| l.count as u64).sum();
    if declared + ty.params.len() as u64 > MAX_LOCALS {
        return Err(Error::Invalid("too many locals"));
    }
    let mut scratch = SCRATCH.with(std::cell::Cell::take);
    let mut locals = std::mem::take(&mut scratch.locals);
    locals.clear();
    locals.reserve(ty.params.len() + declared as usize);
    let mut off = 0;
    let local_types = func
        .locals
        .iter()
        .flat_map(|l| std::iter::repeat_n(l.ty, l.count as usize));
    for t in ty.params.iter().copied().chain(local_types) {
        locals.push((off, slots(t) as u8));
        off += slots(t);
    }
    let param_slots = ty.params.iter().map(|t| slots(*t)).sum();
    let results: Vec<u8> = ty.results.iter().map(|t| slots(*t) as u8).collect();
    let result_slots = results.iter().map(|w| *w as u32).sum();
    let mut ctrls = std::mem::take(&mut scratch.ctrls);
    ctrls.clear();
    let mut vals = std::mem::take(&mut scratch.vals);
    vals.clear();
    let mut ops = Emitted {
        ops: std::mem::take(&mut scratch.ops),
        instrs: std::mem::take(&mut scratch.instrs),
        current: 0,
    };
    ops.ops.clear();
    ops.instrs.clear();
    let mut local_reads = std::mem::take(&mut scratch.local_reads);
    local_reads.clear();
    local_reads.resize(off as usize, 0);
    let mut local_readers = std::mem::take(&mut scratch.local_readers);
    local_readers.truncate(off as usize);
    for r in &mut local_readers {
        r.clear();
    }
    local_readers.resize_with(off as usize, Vec::new);
    ctrls.push(Ctrl {
        kind: BlockKind::Block,
        base: off,
        base_vals: 0,
        params: Vec::new(),
        results,
        start: 0,
        fixups: Vec::new(),
        else_fixup: None,
        unreachable: false,
        handler: None,
    });
    let mut t = Translator {
        env,
        ops,
        targets: Vec::new(),
        vals,
        height: off,
        max_height: off,
        ctrls,
        locals,
        local_reads,
        local_readers,
        home_below: 0,
        barrier: 0,
        producer: None,
        handlers: Vec::new(),
        casts: Vec::new(),
    };
    let body = env
        .module
        .code
        .get(func.body.start as usize..func.body.end as usize)
        .ok_or(Error::Invalid("function body out of range"))?;
    t.body(body)?;
    if !t.ctrls.is_empty() {
        return Err(Error::Invalid("function body does not end"));
    }
    accum::accumulate(&mut t.ops.ops, &t.targets, &t.handlers, off);
    relative_jumps(&mut t.ops.ops);
    let ops: Box<[Inst]> = t
        .ops
        .ops
        .drain(..)
        .map(|op| Inst {
            handler: crate::interpreter::exec::handler_of(&op),
            op,
        })
        .collect();
    let instrs: Box<[u32]> = t.ops.instrs.as_slice().into();
    let code = Code {
        entry: ops.first().map_or(
            crate::interpreter::exec::handler_of(&Op::Unreachable),
            |i| i.handler,
        ),
        func: index,
        instrs,
        ops,
        targets: t.targets.into_boxed_slice(),
        handlers: t.handlers.into_boxed_slice(),
        casts: t.casts.into_boxed_slice(),
        param_slots,
        local_slots: off,
        result_slots,
        max_height: t.max_height,
    };
    SCRATCH.with(|s| {
        s.set(Scratch {
            ops: t.ops.ops,
            instrs: t.ops.instrs,
            vals: t.vals,
            ctrls: t.ctrls,
            locals: t.locals,
            local_reads: t.local_reads,
            local_readers: t.local_readers,
        })
    });
    if !in_bounds(&code) {
        return Err(Error::Invalid("translation out of bounds"));
    }
    Ok(code)
}

/// A body that traps at once and reads or writes no slot: what a compiled
/// function's instance holds while nothing needs its translation (see
/// `ModuleInner::stub`).
pub(crate) fn stub() -> Code {
    let op = Op::Unreachable;
    let handler = crate::interpreter::exec::handler_of(&op);
    Code {
        entry: handler,
        func: 0,
        ops: Box::new([Inst { handler, op }]),
        instrs: Box::new([0]),
        targets: Box::default(),
        handlers: Box::default(),
        casts: Box::default(),
        param_slots: 0,
        local_slots: 0,
        result_slots: 0,
        max_height: 0,
    }
}

impl Translator<'_> {
    pub(super) fn top(&self) -> &Ctrl {
        self.ctrls.last().expect("checked non-empty by the caller")
    }

    pub(super) fn emit(&mut self, op: Op) {
        self.producer = None;
        if let Op::Copy { d, s } = op
            && self.pair_copy(d, s)
        {
            return;
        }
        self.ops.push(op);
    }

    /// Makes the copy `fp[d] = fp[s]` one op with the copy just before it,
    /// when that is the last op and no label lies between (`barrier`):
    /// `true` if done.
    fn pair_copy(&mut self, d: u32, s: u32) -> bool {
        let Some(last) = self.ops.len().checked_sub(1) else {
            return false;
        };
        if (last as u32) < self.barrier {
            return false;
        }
        let Op::Copy { d: d0, s: s0 } = self.ops[last] else {
            return false;
        };
        let fit = |x: u32| u16::try_from(x).ok();
        let (Some(d0), Some(s0), Some(d1), Some(s1)) = (fit(d0), fit(s0), fit(d), fit(s)) else {
            return false;
        };
        self.ops[last] = Op::CopyPair { d0, s0, d1, s1 };
        true
    }

    pub(super) fn here(&self) -> u32 {
        self.ops.len() as u32
    }

    /// A new arm of the innermost block begins here (`else`, a legacy
    /// `catch`): nothing falls through into it, so no fusion reaches across
    /// it, and its operand stack starts as the block's did. Gives the arm's
    /// first op index. The block becomes of `kind`, reachable again.
    pub(super) fn begin_arm(&mut self, kind: BlockKind) -> Result<u32, Error> {
        let here = self.here();
        self.barrier = here;
        self.producer = None;
        let base_vals = self.top().base_vals;
        while self.vals.len() > base_vals {
            self.pop()?;
        }
        let c = self.ctrls.last_mut().expect("open");
        c.kind = kind;
        c.unreachable = false;
        Ok(here)
    }

    /// Pushes a value of `width` slots that the next op writes home; its
    /// home slot.
    fn push_home(&mut self, width: u8) -> u32 {
        let at = self.height;
        self.push_val(Val {
            at,
            width,
            loc: ValLoc::Home,
        });
        self.height += width as u32;
        self.max_height = self.max_height.max(self.height);
        at
    }

    /// `push_home` for the result of the op about to be emitted, which may
    /// then be retargeted (`retarget`).
    fn push_result(&mut self, width: u8) -> u32 {
        let at = self.push_home(width);
        self.producer = Some(self.here());
        at
    }

    /// Emits `op`, which writes the value `push_result` just pushed.
    fn emit_result(&mut self, op: Op) {
        let producer = self.producer;
        self.ops.push(op);
        self.producer = producer;
    }

    /// Pushes homes for values of these widths (the results of an op that
    /// wrote them in a row).
    fn push_homes(&mut self, widths: &[u8]) {
        for w in widths {
            self.push_home(*w);
        }
    }

    fn push_types(&mut self, types: &[ValType]) {
        for t in types {
            self.push_home(slots(*t) as u8);
        }
    }

    /// Pushes the value of local `idx`, read where it is.
    fn push_local(&mut self, off: u32, width: u8) {
        let at = self.height;
        self.push_val(Val {
            at,
            width,
            loc: ValLoc::Local(off),
        });
        self.height += width as u32;
        self.max_height = self.max_height.max(self.height);
        self.producer = None;
    }

    /// Pushes a one-slot constant, written nowhere yet.
    fn push_const(&mut self, bits: u64) {
        let at = self.height;
        self.push_val(Val {
            at,
            width: 1,
            loc: ValLoc::Const(bits),
        });
        self.height += 1;
        self.max_height = self.max_height.max(self.height);
        self.producer = None;
    }

    /// Pops one value (see `Reject` for its error).
    #[inline]
    fn pop(&mut self) -> Result<Val, Reject> {
        let floor = self.ctrls.last().map_or(0, |c| c.base_vals);
        if self.vals.len() <= floor {
            return Err(UNDERFLOW);
        }
        let Some(v) = self.pop_val() else {
            return Err(UNDERFLOW);
        };
        self.height -= v.width as u32;
        Ok(v)
    }

    /// Pushes `v` onto the abstract stack, keeping the books of who reads
    /// which local and of what is home (`height` is the caller's).
    fn push_val(&mut self, v: Val) {
        let i = self.vals.len();
        if v.loc != ValLoc::Home {
            self.home_below = self.home_below.min(i);
        }
        if let ValLoc::Local(off) = v.loc {
            self.local_reads[off as usize] += 1;
            self.local_readers[off as usize].push(i as u32);
        }
        self.vals.push(v);
    }

    /// Pops the top value off the abstract stack, keeping the books
    /// (`height` is the caller's).
    fn pop_val(&mut self) -> Option<Val> {
        let v = self.vals.pop()?;
        if let ValLoc::Local(off) = v.loc {
            self.local_reads[off as usize] -= 1;
        }
        Some(v)
    }

    /// Pops values worth exactly `n` slots, first putting them home (in a
    /// row, where an op that reads the stack finds them); the slot of the
    /// first.
    fn pop_home_slots(&mut self, mut n: u32) -> Result<u32, Error> {
        let mut count = 0;
        let mut slots = 0;
        while slots < n {
            let Some(i) = self
                .vals
                .len()
                .checked_sub(count + 1)
                .filter(|i| *i >= self.ctrls.last().map_or(0, |c| c.base_vals))
            else {
                return Err(Error::Invalid("type mismatch: operand stack underflow"));
            };
            slots += self.vals[i].width as u32;
            count += 1;
        }
        if slots != n {
            return Err(Error::Invalid("type mismatch: operand width"));
        }
        let first = self.vals.len() - count;
        self.home(first..self.vals.len());
        let at = self.height - n;
        while n > 0 {
            n -= self.pop()?.width as u32;
        }
        Ok(at)
    }

    /// Pops the values of these types home (see `pop_home_slots`).
    fn pop_home_types(&mut self, types: &[ValType]) -> Result<u32, Error> {
        self.pop_home_slots(types.iter().map(|t| slots(*t)).sum())
    }

    /// The slot an operand is read from: where it is, a constant written
    /// home first.
    fn read(&mut self, v: Val) -> u32 {
        match v.loc {
            ValLoc::Home => v.at,
            ValLoc::Local(off) => off,
            ValLoc::Const(bits) => {
                self.emit(Op::Const { d: v.at, bits });
                v.at
            }
        }
    }

    /// Writes the values at these stack indices home.
    fn home(&mut self, range: std::ops::Range<usize>) {
        for i in range {
            let v = self.vals[i];
            match v.loc {
                ValLoc::Home => continue,
                ValLoc::Local(off) => {
                    self.emit(if v.width == 2 {
                        Op::Copy2 { d: v.at, s: off }
                    } else {
                        Op::Copy { d: v.at, s: off }
                    });
                    self.local_reads[off as usize] -= 1;
                }
                ValLoc::Const(bits) => self.emit(Op::Const { d: v.at, bits }),
            }
            self.vals[i].loc = ValLoc::Home;
        }
    }

    /// Writes every value on the stack home: at a block boundary, every
    /// path in must find the stack the same way.
    fn home_all(&mut self) {
        let len = self.vals.len();
        self.home(self.home_below.min(len)..len);
        self.home_below = len;
    }

    /// Before the local at frame slot `off` is written: the stack values
    /// that still read it there go home. (Reads are counted at a local's
    /// first slot, and locals do not overlap.)
    fn before_write(&mut self, off: u32) {
        let mut readers = std::mem::take(&mut self.local_readers[off as usize]);
        if self.local_reads[off as usize] > 0 {
            for &i in &readers {
                let i = i as usize;
                if i < self.vals.len() && self.vals[i].loc == ValLoc::Local(off) {
                    self.home(i..i + 1);
                }
            }
        }
        // The list goes back empty with its buffer, so that the local's
        // next reads do not allocate again.
        readers.clear();
        self.local_readers[off as usize] = readers;
        debug_assert_eq!(self.local_reads[off as usize], 0);
    }

    /// If the top value was just written home by the last op, and nothing
    /// can branch between the two, makes that op write it to `slot`
    /// instead and pops the value: `true`. (A `local.set` after an
    /// operator then costs nothing.)
    fn retarget(&mut self, slot: u32) -> bool {
        let Some(p) = self.producer else {
            return false;
        };
        let Some(top) = self.vals.last() else {
            return false;
        };
        if top.loc != ValLoc::Home || p + 1 != self.here() || p < self.barrier {
            return false;
        }
        if let Op::BinK { d, .. } = &mut self.ops[p as usize] {
            // Its 16-bit destination takes a slot that fits.
            match u16::try_from(slot) {
                Ok(s) if *d as u32 == top.at && s != ACC16 => *d = s,
                _ => return false,
            }
        } else {
            let Some(d) = dest(&mut self.ops[p as usize]) else {
                return false;
            };
            if *d != top.at {
                return false;
            }
            *d = slot;
        }
        self.producer = None;
        let _ = self.pop();
        true
    }

    /// Marks the rest of the current block dead.
    pub(super) fn set_unreachable(&mut self) {
        let base_vals = self.top().base_vals;
        while self.vals.len() > base_vals {
            let _ = self.pop();
        }
        let c = self.ctrls.last_mut().expect("inside a block");
        c.unreachable = true;
        self.height = c.base;
        self.producer = None;
    }

    pub(super) fn block_sig(&self, bt: BlockType) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let widths = |ts: &[ValType]| ts.iter().map(|t| slots(*t) as u8).collect();
        Ok(match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Val(t) => (vec![], vec![slots(t) as u8]),
            BlockType::Func(idx) => {
                let ft = self.env.func_type(idx)?;
                (widths(&ft.params), widths(&ft.results))
            }
        })
    }

    /// Opens a block; the whole stack goes home first (a label's paths
    /// must agree on where values are).
    pub(super) fn open(
        &mut self,
        kind: BlockKind,
        bt: BlockType,
        else_fixup: Option<u32>,
    ) -> Result<(), Error> {
        let (params, results) = self.block_sig(bt)?;
        let param_slots: u32 = params.iter().map(|w| *w as u32).sum();
        let param_vals = params.len();
        let floor = self.top().base_vals;
        if self.vals.len() < param_vals + floor || self.height < param_slots {
            return Err(Error::Invalid("type mismatch: block parameters"));
        }
        self.home_all();
        self.barrier = self.here();
        self.producer = None;
        self.ctrls.push(Ctrl {
            kind,
            base: self.height - param_slots,
            base_vals: self.vals.len() - param_vals,
            params,
            results,
            start: self.here(),
            fixups: Vec::new(),
            else_fixup,
            unreachable: false,
            handler: None,
        });
        Ok(())
    }

    /// The label `label` refers to: its block, and the slots a branch
    /// keeps (its results, or a loop's parameters).
    fn label(&self, label: u32) -> Result<(&Ctrl, u32), Error> {
        let Some(c) = self
            .ctrls
            .len()
            .checked_sub(1 + label as usize)
            .and_then(|i| self.ctrls.get(i))
        else {
            return Err(Error::Invalid("unknown label"));
        };
        let keep = if c.kind == BlockKind::Loop {
            c.params.iter().map(|w| *w as u32).sum()
        } else {
            c.results.iter().map(|w| *w as u32).sum()
        };
        Ok((c, keep))
    }

    /// A branch to `label` of the values on top of the stack, which are
    /// home: the target (with a placeholder `to` for forward branches) and
    /// whether it must be fixed up.
    fn branch_target(&mut self, label: u32) -> Result<(Target, bool), Error> {
        let (c, keep) = self.label(label)?;
        let (to, forward, dst) = (c.start, c.kind != BlockKind::Loop, c.base);
        if self.height < keep + dst {
            return Err(Error::Invalid("type mismatch: branch operands"));
        }
        Ok((
            Target {
                to: if forward { 0 } else { to },
                src: self.height - keep,
                dst,
                n: keep,
            },
            forward,
        ))
    }

    /// Registers `t`, the target of a branch to `label`, in the targets
    /// table (patched at the label's end when it is forward); its index.
    pub(super) fn add_target(&mut self, label: u32, t: Target, forward: bool) -> u32 {
        let target = self.targets.len() as u32;
        if forward {
            self.add_fixup(label, Fixup::Table(target));
        }
        self.targets.push(t);
        target
    }

    pub(super) fn add_fixup(&mut self, label: u32, fixup: Fixup) {
        let i = self.ctrls.len() - 1 - label as usize;
        self.ctrls[i].fixups.push(fixup);
    }

    /// Puts the top `keep` slots' values home; the number of values.
    fn home_top_slots(&mut self, keep: u32) -> Result<usize, Error> {
        let mut count = 0;
        let mut slots = 0;
        while slots < keep {
            let v = self
                .vals
                .len()
                .checked_sub(count + 1)
                .map(|i| self.vals[i])
                .ok_or(Error::Invalid("type mismatch: branch operands"))?;
            slots += v.width as u32;
            count += 1;
        }
        let n = self.vals.len();
        self.home(n - count..n);
        Ok(count)
    }

    /// An unconditional branch to `label`.
    fn emit_br(&mut self, label: u32) -> Result<(), Error> {
        let (_, keep) = self.label(label)?;
        self.home_top_slots(keep)?;
        let (t, forward) = self.branch_target(label)?;
        if t.src == t.dst || t.n == 0 {
            if forward {
                self.add_fixup(label, Fixup::Op(self.here()));
            }
            self.emit(Op::Jump { to: t.to as i32 });
        } else {
            let target = self.add_target(label, t, forward);
            self.emit(Op::Br { target });
        }
        Ok(())
    }

    /// A conditional branch to `label` on the value `c` (just popped).
    fn emit_br_if(&mut self, label: u32, c: Val) -> Result<(), Error> {
        let (_, keep) = self.label(label)?;
        if keep == 1 && self.br_if_move(label, c)? {
            return Ok(());
        }
        self.home_top_slots(keep)?;
        let (t, forward) = self.branch_target(label)?;
        if t.src == t.dst || t.n == 0 {
            let op = self.cond_jump(c, t.to, false);
            if forward {
                self.add_fixup(label, Fixup::Op(self.here()));
            }
            self.emit(op);
        } else {
            let c = self.read(c);
            let target = self.add_target(label, t, forward);
            self.emit(Op::BrIf { c, target });
        }
        Ok(())
    }

    /// A conditional branch to `label` carrying the one-slot value on top
    /// of the stack from where it is, when it is in a local or in a stack
    /// slot other than the label's (`Op::JumpIfMove`): true if emitted. The
    /// value stays where it is for the path that falls through.
    fn br_if_move(&mut self, label: u32, c: Val) -> Result<bool, Error> {
        let Some(&v) = self.vals.last() else {
            return Ok(false);
        };
        let s = match v.loc {
            ValLoc::Local(off) => off,
            ValLoc::Home => v.at,
            ValLoc::Const(_) => return Ok(false),
        };
        if v.width != 1 {
            return Ok(false);
        }
        let (t, forward) = self.branch_target(label)?;
        let (Ok(s16), Ok(d16)) = (u16::try_from(s), u16::try_from(t.dst)) else {
            return Ok(false);
        };
        if s == t.dst {
            return Ok(false);
        }
        let c = self.read(c);
        if forward {
            self.add_fixup(label, Fixup::Op(self.here()));
        }
        self.emit(Op::JumpIfMove {
            c,
            s: s16,
            d: d16,
            to: t.to as i32,
        });
        Ok(true)
    }

    /// A jump to `to` when the i32 `c` is not zero (or is zero, with
    /// `if_zero`): a comparison just computed into `c` becomes the jump's
    /// own test, an `i32.eqz` flips it (and a comparison just before the
    /// `eqz`, into the slot it read, is the test then).
    fn cond_jump(&mut self, c: Val, to: u32, mut if_zero: bool) -> Op {
        let to = to as i32;
        use crate::ops::num::UnFn;
        // The slot the test reads; the result there is dead after the jump
        // (the value was popped), so the op that wrote it can go.
        let slot = c.at;
        let home = c.loc == ValLoc::Home;
        loop {
            let last = self.ops.len().checked_sub(1).filter(|&l| {
                home && l as u32 >= self.barrier && dest_of(&self.ops[l]) == Some(slot)
            });
            let Some(l) = last else {
                break;
            };
            match self.ops[l].clone() {
                Op::Un {
                    f: UnFn::I32Eqz, a, ..
                } => {
                    self.ops.pop();
                    if_zero = !if_zero;
                    if a == slot {
                        // The `eqz` read the value just computed there.
                        continue;
                    }
                    return if if_zero {
                        Op::JumpIfNot { c: a, to }
                    } else {
                        Op::JumpIf { c: a, to }
                    };
                }
                Op::Bin { f, a, b, .. } => {
                    if let Some(f) = jump_test(f, if_zero) {
                        self.ops.pop();
                        return Op::JumpCmp { f, a, b, to };
                    }
                    if let (true, Some(o)) = (if_zero, FloatOrd::of(f)) {
                        self.ops.pop();
                        return Op::JumpNotOrd { o, a, b, to };
                    }
                }
                Op::BinI { f, a, imm, .. } => {
                    if let Some(f) = jump_test(f, if_zero) {
                        self.ops.pop();
                        return Op::JumpCmpI { f, a, imm, to };
                    }
                }
                Op::BinK { f, a, k, .. } => {
                    if let Some(f) = jump_test(f, if_zero) {
                        self.ops.pop();
                        return Op::JumpCmpK { f, a, k, to };
                    }
                    if let (true, Some(o)) = (if_zero, FloatOrd::of(f)) {
                        self.ops.pop();
                        return Op::JumpNotOrdK { o, a, k, to };
                    }
                }
                _ => {}
            }
            break;
        }
        let c = self.read(c);
        if if_zero {
            Op::JumpIfNot { c, to }
        } else {
            Op::JumpIf { c, to }
        }
    }

    pub(super) fn patch(&mut self, fixup: Fixup, to: u32) {
        match fixup {
            Fixup::Op(i) => {
                if let Some(t) = jump_to(&mut self.ops[i as usize]) {
                    *t = to as i32;
                }
            }
            Fixup::Table(i) => self.targets[i as usize].to = to,
            Fixup::Catch(h, c) => self.handlers[h as usize].catches[c as usize].target.to = to,
        }
    }

    // These lookups run for most instructions (see `Reject`). They stay
    // for an unvalidated body: the frame offset indexes the translator's
    // books, the global's index the instance's globals.
    pub(super) fn local(&self, idx: u32) -> Result<(u32, u8), Reject> {
        match self.locals.get(idx as usize) {
            Some(l) => Ok(*l),
            None => Err(Reject("unknown local")),
        }
    }

    pub(super) fn global_width(&self, idx: u32) -> Result<u32, Reject> {
        match self.env.globals.get(idx as usize) {
            Some(t) => Ok(slots(*t)),
            None => Err(Reject("unknown global")),
        }
    }
}

/// Turns the absolute targets of the jump ops into distances from each
/// jump (see `Op`): the last step of translation, after every fixup.
fn relative_jumps(ops: &mut [Op]) {
    for (i, op) in ops.iter_mut().enumerate() {
        if let Some(to) = jump_to(op) {
            *to = to.wrapping_sub(i as i32);
        }
    }
}

/// The `to` field of a jump op.
pub(super) fn jump_to(op: &mut Op) -> Option<&mut i32> {
    match op {
        Op::Jump { to }
        | Op::JumpIf { to, .. }
        | Op::JumpIfMove { to, .. }
        | Op::JumpIfNot { to, .. }
        | Op::JumpCmp { to, .. }
        | Op::JumpCmpI { to, .. }
        | Op::JumpCmpK { to, .. }
        | Op::JumpNotOrd { to, .. }
        | Op::JumpNotOrdK { to, .. } => Some(to),
        _ => None,
    }
}

/// The slot an op writes its one result to, if it is such an op.
fn dest_of(op: &Op) -> Option<u32> {
    match *op {
        Op::BinK { d, .. } => Some(d as u32),
        _ => dest(&mut op.clone()).map(|d| *d),
    }
}

/// The destination field of an op that writes one result (see `dest_of`;
/// `Op::BinK`'s 16-bit one is not here).
fn dest(op: &mut Op) -> Option<&mut u32> {
    match op {
        Op::Copy { d, .. }
        | Op::Copy2 { d, .. }
        | Op::Const { d, .. }
        | Op::GlobalGet { d, .. }
        | Op::RefFunc { d, .. }
        | Op::Bin { d, .. }
        | Op::BinI { d, .. }
        | Op::ImmBin { d, .. }
        | Op::SelectR { d, .. }
        | Op::Un { d, .. }
        | Op::Trapping { d, .. }
        | Op::Load { d, .. }
        | Op::V128Load { d, .. }
        | Op::SimdBin { d, .. } => Some(d),
        _ => None,
    }
}
