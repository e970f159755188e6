//! Translation of a validated function body into the internal form.
//!
//! One pass over the flat instruction sequence tracks the stack height (in
//! slots) and the open blocks, resolving every branch to a target op index
//! and a stack move. Code after an unconditional transfer (`br`, `return`,
//! `unreachable`, ...) can never run, so it is skipped up to the end of its
//! block: the translator then needs no polymorphic stack.

use weft_ast::{AddrType, BlockType, Func, FuncType, Instr, Module, TypeIdx, ValType};

use weft_ast::Features;

use crate::ops::mem::{LoadFn, StoreFn};
mod effect;

use crate::interpreter::ir::{CatchOp, Code, Op, Target, TryScope, for_each_specialized, shape};
use crate::ops::num::BinFn;
use crate::ops::simd::SimdBinFn;
use crate::trap::Error;
use crate::value::slots;
use effect::effect;

/// A hard bound on the locals of one function, so that a hostile local
/// count cannot size an allocation (engines use the same limit).
const MAX_LOCALS: u64 = 50_000;

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
}

impl Env<'_> {
    /// The function type at a type index.
    pub fn func_type(&self, ty: TypeIdx) -> Result<&FuncType, Error> {
        self.module
            .func_type(ty)
            .ok_or(Error::Invalid("unknown type"))
    }

    /// Number of tables, imports included.
    fn num_tables(&self) -> usize {
        self.module.tables.len()
            + self
                .module
                .imports
                .iter()
                .filter(|i| matches!(i.desc, weft_ast::ImportDesc::Table(_)))
                .count()
    }

    /// Checks that every index an instruction names exists, so that even a
    /// module that skipped validation cannot make execution index out of
    /// range.
    fn check_indices(&self, i: &Instr) -> Result<(), Error> {
        use Instr::*;
        let ok = |idx: u32, len: usize| (idx as usize) < len;
        let mems = self.memories.len();
        let tables = self.num_tables();
        let datas = self.module.datas.len();
        let elems = self.module.elems.len();
        let types = self.module.types.len();
        let fine = match i {
            MemorySize { mem } | MemoryGrow { mem } | MemoryFill { mem } => ok(*mem, mems),
            MemoryCopy { dst, src } => ok(*dst, mems) && ok(*src, mems),
            MemoryInit { data, mem } => ok(*data, datas) && ok(*mem, mems),
            DataDrop { data } => ok(*data, datas),
            TableGet { table }
            | TableSet { table }
            | TableSize { table }
            | TableGrow { table }
            | TableFill { table } => ok(*table, tables),
            TableCopy { dst, src } => ok(*dst, tables) && ok(*src, tables),
            TableInit { elem, table } => ok(*elem, elems) && ok(*table, tables),
            ElemDrop { elem } => ok(*elem, elems),
            CallIndirect { ty, table } | ReturnCallIndirect { ty, table } => {
                ok(*ty, types) && ok(*table, tables)
            }
            RefFunc { func } => ok(*func, self.func_types.len()),
            StructNew { ty }
            | StructNewDefault { ty }
            | StructNewDesc { ty }
            | StructNewDefaultDesc { ty }
            | RefGetDesc { ty }
            | StructGet { ty, .. }
            | StructGetS { ty, .. }
            | StructGetU { ty, .. }
            | StructSet { ty, .. }
            | ArrayNew { ty }
            | ArrayNewDefault { ty }
            | ArrayNewFixed { ty, .. }
            | ArrayGet { ty }
            | ArrayGetS { ty }
            | ArrayGetU { ty }
            | ArraySet { ty }
            | ArrayFill { ty } => ok(*ty, types),
            ArrayCopy { dst, src } => ok(*dst, types) && ok(*src, types),
            ArrayNewData { ty, data } | ArrayInitData { ty, data } => {
                ok(*ty, types) && ok(*data, datas)
            }
            ArrayNewElem { ty, elem } | ArrayInitElem { ty, elem } => {
                ok(*ty, types) && ok(*elem, elems)
            }
            TryTable { table } => table.catches.iter().all(|c| match *c {
                weft_ast::Catch::One { tag, .. } | weft_ast::Catch::OneRef { tag, .. } => {
                    ok(tag, self.tags.len())
                }
                _ => true,
            }),
            _ => i.memarg().is_none_or(|m| ok(m.memory, mems)),
        };
        if fine {
            Ok(())
        } else {
            Err(Error::Invalid("index out of range"))
        }
    }

    /// The type of a function by its index.
    fn type_of_func(&self, func: u32) -> Result<&FuncType, Error> {
        let ty = *self
            .func_types
            .get(func as usize)
            .ok_or(Error::Invalid("unknown function"))?;
        self.func_type(ty)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
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
    kind: Kind,
    /// Height in slots below the block's parameters.
    base: u32,
    /// Number of values (not slots) below the block's parameters.
    base_vals: usize,
    params: Vec<u8>,
    results: Vec<u8>,
    /// For a loop, the index of its first op.
    start: u32,
    fixups: Vec<Fixup>,
    /// For an `if`, the `JumpIfNot` that skips to the `else` branch.
    else_fixup: Option<u32>,
    /// Whether the rest of the block is dead code.
    unreachable: bool,
    /// For a `try_table`, its index in `handlers`.
    handler: Option<u32>,
}

struct Translator<'a> {
    env: &'a Env<'a>,
    ops: Emitted,
    targets: Vec<Target>,
    /// The slot width of every value on the operand stack.
    vals: Vec<u8>,
    height: u32,
    max_height: u32,
    ctrls: Vec<Ctrl>,
    /// Frame offset and width of every local.
    locals: Vec<(u32, u8)>,
    handlers: Vec<TryScope>,
    casts: Vec<weft_ast::RefType>,
    /// The last op index some branch may target: ops before it must not be
    /// fused with ops after it.
    barrier: u32,
}

/// How far back [`Translator::producer`] looks for the op that pushed an
/// operand. Bounded so that translation stays linear in the body's size:
/// an unbounded scan per operator (and the `Vec::remove` after it) made a
/// body of N constants and N - 1 additions quadratic. Fusable producers sit
/// a few ops back in real code (`local.get a; <short expression>; op`).
const PRODUCER_WINDOW: usize = 16;

/// The ops emitted so far, each with the index in the body of the
/// instruction whose translation emitted it (for a fused op, the last of
/// the instructions it stands for: the operator, the load, the jump, which
/// is the one that may trap). Every change of length goes through here so
/// that the two stay in step; the ops themselves are a slice to the rest of
/// the translator.
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

    fn truncate(&mut self, len: usize) {
        self.ops.truncate(len);
        self.instrs.truncate(len);
    }

    fn remove(&mut self, i: usize) -> Op {
        self.instrs.remove(i);
        self.ops.remove(i)
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

/// Translates one defined function: `index` is its index in the module's
/// function space (imports first), which its code keeps for backtraces.
pub(crate) fn translate(env: &Env<'_>, func: &Func, index: u32) -> Result<Code, Error> {
    let ty = env.func_type(func.ty)?;
    let declared: u64 = func.locals.iter().map(|l| l.count as u64).sum();
    if declared + ty.params.len() as u64 > MAX_LOCALS {
        return Err(Error::Invalid("too many locals"));
    }
    let mut locals = Vec::with_capacity(ty.params.len() + declared as usize);
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
    let mut t = Translator {
        env,
        ops: Emitted::default(),
        targets: Vec::new(),
        vals: Vec::new(),
        height: off,
        max_height: off,
        ctrls: vec![Ctrl {
            kind: Kind::Block,
            base: off,
            base_vals: 0,
            params: Vec::new(),
            results,
            start: 0,
            fixups: Vec::new(),
            else_fixup: None,
            unreachable: false,
            handler: None,
        }],
        locals,
        barrier: 0,
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
    rotate_loops(&mut t.ops);
    thread_returns(&mut t.ops);
    for op in t.ops.iter_mut() {
        if let Some(s) = specialize(op) {
            *op = s;
        }
    }
    let is_target = branch_targets(&t.ops, &t.targets, &t.handlers);
    fuse_loop_steps(&mut t.ops, &is_target);
    pair_accumulators(&mut t.ops, &is_target, result_slots);
    if result_slots == 1 {
        return_locals(&mut t.ops);
    }
    let code = Code {
        entry: t.ops.first().cloned().unwrap_or(Op::Return),
        func: index,
        instrs: t.ops.instrs.into_boxed_slice(),
        ops: t.ops.ops.into_boxed_slice(),
        targets: t.targets.into_boxed_slice(),
        handlers: t.handlers.into_boxed_slice(),
        casts: t.casts.into_boxed_slice(),
        param_slots,
        local_slots: off,
        result_slots,
        max_height: t.max_height,
    };
    if !in_bounds(&code) {
        return Err(Error::Invalid("translation out of bounds"));
    }
    Ok(code)
}

/// Turns the jump back to a loop's head into the head's exit test,
/// inverted, when that test leaves the loop to just after the jump: the
/// usual `(block (loop (br_if 1 cond) ... (br 0)))` then runs one op per
/// iteration fewer. The test reads only locals, which nothing between the
/// jump and the head changes; the op count and every target stay as they
/// were.
fn rotate_loops(ops: &mut [Op]) {
    for j in 0..ops.len() {
        let Op::Jump { to: head } = ops[j] else {
            continue;
        };
        let exit = j as u32 + 1;
        let body = head + 1;
        let rotated = match ops.get(head as usize) {
            Some(&Op::JumpIfL { off, to, if_zero }) if to == exit => Op::JumpIfL {
                off,
                to: body,
                if_zero: !if_zero,
            },
            Some(&Op::JumpIfLC {
                f,
                a,
                c,
                to,
                if_zero,
            }) if to == exit => Op::JumpIfLC {
                f,
                a,
                c,
                to: body,
                if_zero: !if_zero,
            },
            Some(&Op::JumpIfLL {
                f,
                a,
                b,
                to,
                if_zero,
            }) if to == exit => Op::JumpIfLL {
                f,
                a,
                b,
                to: body,
                if_zero: !if_zero,
            },
            _ => continue,
        };
        ops[j] = rotated;
    }
}

/// Turns a jump to a `Return` into that `Return`: an `if` whose arms end
/// the function then returns from the arm instead of jumping to the end
/// first. A `Jump` moves no values, so the stack the `Return` sees is the
/// same at either place.
fn thread_returns(ops: &mut [Op]) {
    for j in 0..ops.len() {
        if let Op::Jump { to } = ops[j]
            && matches!(ops.get(to as usize), Some(Op::Return))
        {
            ops[j] = Op::Return;
        }
    }
}

/// Which ops a branch, a `br_table` entry or a catch can reach (one more
/// entry, for the end): an op fused with the one before it must be none of
/// them.
fn branch_targets(ops: &[Op], targets: &[Target], handlers: &[TryScope]) -> Vec<bool> {
    let mut is_target = vec![false; ops.len() + 1];
    let mut mark = |to: u32| {
        if let Some(t) = is_target.get_mut(to as usize) {
            *t = true;
        }
    };
    for op in ops.iter() {
        match *generic(op).as_ref().unwrap_or(op) {
            Op::Jump { to }
            | Op::JumpIf { to }
            | Op::JumpIfNot { to }
            | Op::JumpIfL { to, .. }
            | Op::JumpIfLC { to, .. }
            | Op::JumpIfLL { to, .. } => mark(to),
            Op::Br(t) | Op::BrIf(t) | Op::BrOnNull(t) | Op::BrOnNonNull(t) => mark(t.to),
            _ => {}
        }
    }
    targets.iter().for_each(|t| mark(t.to));
    for h in handlers {
        h.catches.iter().for_each(|c| mark(c.target.to));
    }
    is_target
}

/// Pairs an op that leaves a value on top of the stack with the next op,
/// which pops it, when both have accumulator forms: the first then hands
/// its result over in a register (`LR` becomes `LRAcc`, ...), the second
/// takes it from there (`CSet` becomes `AccCSet`, a store's value
/// `StoreL` becomes `AccStoreL`, ...; a `Return` of a
/// function's one result slot becomes `ReturnAcc`), and the value makes
/// no trip through a stack slot (a store and a load the next op waits
/// for, which in a loop like `h = (h ^ x) * c` is most of the time). The
/// second must be no branch target, or a branch there would find no
/// accumulator. Both keep their operands and their stack effect but for
/// the one slot, so the op count and every index stay as they were.
fn pair_accumulators(ops: &mut [Op], is_target: &[bool], result_slots: u32) {
    for j in 0..ops.len().saturating_sub(1) {
        if is_target[j + 1] {
            continue;
        }
        // Only specialized ops are rewritten: a generic op's own operator
        // dispatch would cost more than the slot saves.
        let Some((f, first)) = generic(&ops[j]).as_ref().and_then(Shape::of) else {
            continue;
        };
        if let Shape::LoadLSet(set) = first {
            if let Some((a, b)) = tee_pair(f, set, &ops[j + 1]) {
                ops[j] = a;
                ops[j + 1] = b;
            }
            continue;
        }
        let first = match first {
            Shape::LR(s) => Shape::LRAcc(s),
            Shape::LL(s) => Shape::LLAcc(s),
            Shape::LC(s) => Shape::LCAcc(s),
            Shape::LLoadU8(s) => Shape::LLoadAccU8(s),
            Shape::LLoadU32(s) => Shape::LLoadAccU32(s),
            Shape::LLoadU64(s) => Shape::LLoadAccU64(s),
            _ => continue,
        };
        // A function's one result, returned right away.
        if matches!(ops[j + 1], Op::Return) && result_slots == 1 {
            if let Some(a) = specialized(f, first) {
                ops[j] = a;
                ops[j + 1] = Op::ReturnAcc;
            }
            continue;
        }
        let Some((g, second)) = generic(&ops[j + 1]).as_ref().and_then(Shape::of) else {
            continue;
        };
        let second = match second {
            Shape::CSet(s) => Shape::AccCSet(s),
            Shape::LSet(s) => Shape::AccLSet(s),
            Shape::LRSet(s) => Shape::AccLRSet(s),
            Shape::StoreL(s) => Shape::AccStoreL(s),
            _ => continue,
        };
        if let (Some(a), Some(b)) = (specialized(f, first), specialized(g, second)) {
            ops[j] = a;
            ops[j + 1] = b;
        }
    }
}

/// The pair for a load into a local followed by `second`, if `second` is a
/// conditional jump comparing that local with another: the load sets the
/// local and hands the value over in the accumulator as well
/// (`LoadLSetAcc`), and the jump compares the accumulator (`AccJumpLL`),
/// with the comparison mirrored when the local is its right operand. The
/// branch then waits for the load alone, not for a store and a reload of
/// the local's slot (in a partition loop, `if (a[j] < pivot)` mispredicts
/// half the time, and each cycle the branch resolves later costs more).
fn tee_pair(f: Key, set: shape::LoadLSet, second: &Op) -> Option<(Op, Op)> {
    let (Key::Bin(g), Shape::JumpLL(t)) = generic(second).as_ref().and_then(Shape::of)? else {
        return None;
    };
    let (g, t) = if t.a == set.d {
        (g, t)
    } else if t.b == set.d {
        let mirrored = shape::JumpLL {
            a: t.b,
            b: t.a,
            to: t.to,
        };
        (mirror(g)?, mirrored)
    } else {
        return None;
    };
    let first = specialized(f, Shape::LoadLSetAcc(set))?;
    let second = specialized(Key::Bin(g), Shape::AccJumpLL(t))?;
    Some((first, second))
}

/// The comparison that gives `f`'s result with its operands swapped.
fn mirror(f: BinFn) -> Option<BinFn> {
    use BinFn::*;
    Some(match f {
        I32Eq | I32Ne | I64Eq | I64Ne => f,
        I32LtS => I32GtS,
        I32GtS => I32LtS,
        I32LtU => I32GtU,
        I32GtU => I32LtU,
        I32LeS => I32GeS,
        I32GeS => I32LeS,
        I32LeU => I32GeU,
        I32GeU => I32LeU,
        I64LtS => I64GtS,
        I64GtS => I64LtS,
        I64LtU => I64GtU,
        I64GtU => I64LtU,
        I64LeS => I64GeS,
        I64GeS => I64LeS,
        I64LeU => I64GeU,
        I64GeU => I64LeU,
        _ => return None,
    })
}

/// Turns a `local.get` right before a `Return` of a function's one result
/// slot into `ReturnLocal`, which returns the local without pushing it;
/// the `Return` stays, for any branch to it.
fn return_locals(ops: &mut [Op]) {
    for j in 0..ops.len().saturating_sub(1) {
        if let (Op::LocalGet { off }, Op::Return) = (&ops[j], &ops[j + 1]) {
            ops[j] = Op::ReturnLocal { off: *off };
        }
    }
}

/// Fuses a counted loop's step into its test: `I32AddLCSet { a: x, d: x }`
/// then `I32LtUJumpLL { a: x, .. }` (or the signed test) become
/// `I32AddJumpLtU` (`I32AddJumpLtS`) in place of the first, which skips the
/// second when it falls through; so the op count and every index stay as
/// they were. A step by another local (`I32AddLLSet` with `x` as either
/// operand and the destination) becomes `I32AddLJumpLtU` (`...LtS`) the same
/// way. The second must be no branch target, or a branch there would find
/// the test without the step.
fn fuse_loop_steps(ops: &mut [Op], is_target: &[bool]) {
    for j in 0..ops.len().saturating_sub(1) {
        // The stepped local and the step: a constant or another local.
        let (x, by) = match ops[j] {
            Op::I32AddLCSet(shape::LCSet { a, c, d }) if a == d => (d, Ok(c)),
            Op::I32AddLLSet(shape::LLSet { a, b, d }) if a == d => (d, Err(b)),
            Op::I32AddLLSet(shape::LLSet { a, b, d }) if b == d => (d, Err(a)),
            _ => continue,
        };
        let (to, b, signed) = match ops[j + 1] {
            Op::I32LtUJumpLL(shape::JumpLL { a: t, b, to }) if t == x => (to, b, false),
            Op::I32LtSJumpLL(shape::JumpLL { a: t, b, to }) if t == x => (to, b, true),
            _ => continue,
        };
        let (Ok(x), Ok(b)) = (u16::try_from(x), u16::try_from(b)) else {
            continue;
        };
        if is_target[j + 1] {
            continue;
        }
        ops[j] = match (by, signed) {
            (Ok(c), false) => Op::I32AddJumpLtU(shape::Step { x, b, c, to }),
            (Ok(c), true) => Op::I32AddJumpLtS(shape::Step { x, b, c, to }),
            (Err(y), false) => Op::I32AddLJumpLtU(shape::StepL { x, b, y, to }),
            (Err(y), true) => Op::I32AddLJumpLtS(shape::StepL { x, b, y, to }),
        };
    }
}

/// The op for `local.set d (add (local.get a) (mul x y))` of vectors with
/// the same lanes, if there is one (a dot product's step).
fn vector_mul_add(mul: SimdBinFn, add: SimdBinFn, a: u32, d: u32) -> Option<Op> {
    use SimdBinFn::*;
    Some(match (mul, add) {
        (I32x4Mul, I32x4Add) => Op::I32x4MulAddLRSet { a, d },
        (F32x4Mul, F32x4Add) => Op::F32x4MulAddLRSet { a, d },
        (F64x2Mul, F64x2Add) => Op::F64x2MulAddLRSet { a, d },
        _ => return None,
    })
}

/// Whether the interpreter may fetch ops and touch frame slots without
/// bounds checks: the last op is `Return` (so falling through never leaves
/// the body), every branch target names an op, and every frame offset an
/// op reads or writes directly lies below the frame's maximum height. The
/// translator builds code this way; this check makes the interpreter's
/// unchecked accesses depend on one visible test rather than on every
/// path of the translator.
fn in_bounds(code: &Code) -> bool {
    let len = code.ops.len() as u64;
    let max = code.max_height as u64;
    let to_ok = |to: u32| (to as u64) < len;
    let off_ok = |off: u32, width: u64| off as u64 + width <= max;
    // A specialized op is checked in its generic form, which has the same
    // offsets and targets.
    let ops_ok =
        code.ops
            .iter()
            .enumerate()
            .all(|(i, op)| match *generic(op).as_ref().unwrap_or(op) {
                // Falling through skips one op.
                Op::I32AddJumpLtU(s) | Op::I32AddJumpLtS(s) => {
                    to_ok(s.to)
                        && to_ok(i as u32 + 2)
                        && off_ok(s.x.into(), 1)
                        && off_ok(s.b.into(), 1)
                }
                Op::I32AddLJumpLtU(s) | Op::I32AddLJumpLtS(s) => {
                    to_ok(s.to)
                        && to_ok(i as u32 + 2)
                        && off_ok(s.x.into(), 1)
                        && off_ok(s.b.into(), 1)
                        && off_ok(s.y, 1)
                }
                Op::Jump { to } | Op::JumpIf { to } | Op::JumpIfNot { to } => to_ok(to),
                Op::Br(t) | Op::BrIf(t) | Op::BrOnNull(t) | Op::BrOnNonNull(t) => to_ok(t.to),
                Op::JumpIfL { off, to, .. } => to_ok(to) && off_ok(off, 1),
                Op::JumpIfLC { a, to, .. } => to_ok(to) && off_ok(a, 1),
                Op::JumpIfLL { a, b, to, .. } => to_ok(to) && off_ok(a, 1) && off_ok(b, 1),
                Op::LocalGet { off } | Op::LocalSet { off } | Op::LocalTee { off } => {
                    off_ok(off, 1)
                }
                Op::LocalGet2 { off } | Op::LocalSet2 { off } | Op::LocalTee2 { off } => {
                    off_ok(off, 2)
                }
                Op::BinL { b: a, .. }
                | Op::BinLR { a, .. }
                | Op::BinLC { a, .. }
                | Op::BinSet { d: a, .. }
                | Op::BinCSet { d: a, .. }
                | Op::ConstSet { d: a, .. }
                | Op::LoadL { a, .. }
                | Op::StoreL { a, .. }
                | Op::StoreLC { a, .. }
                | Op::LoadSet { d: a, .. }
                | Op::V128LoadL { a, .. }
                | Op::LoadB { a, .. } => off_ok(a, 1),
                Op::V128LoadLL { a, b, .. } => off_ok(a, 1) && off_ok(b, 1),
                Op::UnL { a, .. } => off_ok(a, 1),
                Op::I32MulAddLLL { a, b, c } => off_ok(a, 1) && off_ok(b, 1) && off_ok(c, 1),
                Op::I32MulAddLCCSet { a, d, .. } => off_ok(a.into(), 1) && off_ok(d.into(), 1),
                Op::BinLLoad { a, b, .. } => off_ok(a.into(), 1) && off_ok(b.into(), 1),
                Op::StoreLBin { a, v, .. } => off_ok(a.into(), 1) && off_ok(v.into(), 1),
                Op::BinLLoadSet { a, b, d, .. } => {
                    off_ok(a.into(), 1) && off_ok(b.into(), 1) && off_ok(d.into(), 1)
                }
                Op::F64MulAddLRSet { a, d } => off_ok(a, 1) && off_ok(d, 1),
                Op::SimdBinLR { a, .. } => off_ok(a, 2),
                Op::SimdBinLRSet { a, d, .. } => off_ok(a, 2) && off_ok(d, 2),
                Op::I32x4MulAddLRSet { a, d }
                | Op::F32x4MulAddLRSet { a, d }
                | Op::F64x2MulAddLRSet { a, d } => off_ok(a, 2) && off_ok(d, 2),
                Op::ReturnLocal { off } => off_ok(off, 1),
                Op::StoreLL { a, v, .. } => off_ok(a, 1) && off_ok(v, 1),
                Op::LoadLSet { a, d, .. } => off_ok(a, 1) && off_ok(d, 1),
                Op::BinLL { a, b, .. }
                | Op::BinLRSet { a, d: b, .. }
                | Op::BinLCSet { a, d: b, .. }
                | Op::BinLSet { b: a, d: b, .. }
                | Op::Copy { a, d: b } => off_ok(a, 1) && off_ok(b, 1),
                Op::BinLLSet { a, b, d, .. } => off_ok(a, 1) && off_ok(b, 1) && off_ok(d, 1),
                _ => true,
            });
    ops_ok
        && matches!(code.ops.last(), Some(Op::Return | Op::ReturnAcc))
        && code.targets.iter().all(|t| to_ok(t.to))
        && code
            .handlers
            .iter()
            .all(|h| h.catches.iter().all(|c| to_ok(c.target.to)))
}

/// The forms of an op that has operator-specialized versions: its operands
/// and destination, the generic op's fields without the operator.
#[derive(Clone, Copy)]
enum Shape {
    S(shape::S),
    L(shape::L),
    C(shape::C),
    LR(shape::LR),
    LL(shape::LL),
    LC(shape::LC),
    Set(shape::Set),
    LSet(shape::LSet),
    CSet(shape::CSet),
    LRSet(shape::LRSet),
    LLSet(shape::LLSet),
    LCSet(shape::LCSet),
    LRAcc(shape::LRAcc),
    LLAcc(shape::LLAcc),
    LCAcc(shape::LCAcc),
    AccCSet(shape::AccCSet),
    AccLSet(shape::AccLSet),
    AccLRSet(shape::AccLRSet),
    JumpLL(shape::JumpLL),
    JumpLC(shape::JumpLC),
    Load(shape::Load),
    LoadL(shape::LoadL),
    LoadB(shape::LoadB),
    LoadSet(shape::LoadSet),
    LoadLSet(shape::LoadLSet),
    Store(shape::Store),
    StoreL(shape::StoreL),
    StoreLL(shape::StoreLL),
    StoreLC(shape::StoreLC),
    AccStoreL(shape::AccStoreL),
    LoadLSetAcc(shape::LoadLSetAcc),
    AccJumpLL(shape::AccJumpLL),
    StoreLBinU8(shape::StoreLBinU8),
    StoreLBinU32(shape::StoreLBinU32),
    LLoadU8(shape::LLoadU8),
    LLoadAccU8(shape::LLoadAccU8),
    LLoadAccU32(shape::LLoadAccU32),
    LLoadAccU64(shape::LLoadAccU64),
    LLoadU32(shape::LLoadU32),
    LLoadU64(shape::LLoadU64),
    LLoadSetU8(shape::LLoadSetU8),
    LLoadSetU32(shape::LLoadSetU32),
    LLoadSetU64(shape::LLoadSetU64),
    VecS(shape::VecS),
    VecLR(shape::VecLR),
    VecLRSet(shape::VecLRSet),
}

/// What a specialized op fixes besides its shape: the operator, or a
/// memory op's width.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Bin(BinFn),
    Load(LoadFn),
    Store(StoreFn),
    Simd(SimdBinFn),
}

/// The `Key` of a specialized op from its list entry: memory shapes name
/// a width, the others an operator.
macro_rules! key {
    (Load $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadL $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadB $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadSet $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadLSet $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (Store $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreLL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreLC $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (AccStoreL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (LoadLSetAcc $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (VecS $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    (VecLR $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    (VecLRSet $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    ($shape:ident $f:ident) => {
        Key::Bin(BinFn::$f)
    };
}

/// Defines `Shape::of_keyed` and `Shape::keyed_op`, the two directions
/// between the memory and vector ops and their shapes: each entry names the
/// key (what the specialized op fixes), the generic op, its shape, and the
/// fields they share besides the key. A field may be narrower in the shape
/// (a local's offset in 16 bits): such an op has no shape when its value
/// does not fit.
macro_rules! keyed_shapes {
    ($($key:ident $op:ident => $shape:ident { $($field:ident),* };)*) => {
        impl Shape {
            /// A memory or vector op's width or operator and shape, if it
            /// has one.
            #[allow(clippy::useless_conversion)]
            fn of_keyed(op: &Op) -> Option<(Key, Shape)> {
                Some(match *op {
                    $(Op::$op { f, $($field),* } => (
                        Key::$key(f),
                        Shape::$shape(shape::$shape { $($field: $field.try_into().ok()?),* }),
                    ),)*
                    _ => return None,
                })
            }

            /// The memory or vector op of this shape with `key`, if the
            /// two belong together.
            #[allow(clippy::useless_conversion)]
            fn keyed_op(self, key: Key) -> Option<Op> {
                Some(match (key, self) {
                    $((Key::$key(f), Shape::$shape(_s)) => Op::$op { f, $($field: _s.$field.into()),* },)*
                    _ => return None,
                })
            }
        }
    };
}

keyed_shapes! {
    Load Load => Load { shift, offset };
    Load LoadL => LoadL { shift, a, offset };
    Load LoadB => LoadB { shift, a, offset };
    Load LoadSet => LoadSet { shift, offset, d };
    Load LoadLSet => LoadLSet { shift, a, offset, d };
    Store Store => Store { offset };
    Store StoreL => StoreL { shift, a, offset };
    Store StoreLL => StoreLL { shift, a, offset, v };
    Store StoreLC => StoreLC { shift, a, offset, c };
    Simd SimdBin => VecS {};
    Simd SimdBinLR => VecLR { a };
    Simd SimdBinLRSet => VecLRSet { a, d };
}

impl Shape {
    /// A generic fused op's operator (or width) and shape, if it has one.
    fn of(op: &Op) -> Option<(Key, Shape)> {
        if let Some(keyed) = Self::of_keyed(op) {
            return Some(keyed);
        }
        let (f, shape) = Self::of_bin(op)?;
        Some((Key::Bin(f), shape))
    }

    /// A generic fused binary op's operator and shape, if it has one.
    fn of_bin(op: &Op) -> Option<(BinFn, Shape)> {
        use shape::*;
        Some(match *op {
            Op::Bin { f } => (f, Shape::S(S)),
            Op::BinL { f, b } => (f, Shape::L(L { b })),
            Op::BinC { f, c } => (f, Shape::C(C { c: imm(f, c)? })),
            Op::BinLR { f, a } => (f, Shape::LR(LR { a })),
            Op::BinLL { f, a, b } => (f, Shape::LL(LL { a, b })),
            Op::BinLC { f, a, c } => (f, Shape::LC(LC { a, c: imm(f, c)? })),
            Op::BinSet { f, d } => (f, Shape::Set(Set { d })),
            Op::BinLSet { f, b, d } => (f, Shape::LSet(LSet { b, d })),
            Op::BinCSet { f, c, d } => (f, Shape::CSet(CSet { c, d })),
            Op::BinLRSet { f, a, d } => (f, Shape::LRSet(LRSet { a, d })),
            Op::BinLLSet { f, a, b, d } => (f, Shape::LLSet(LLSet { a, b, d })),
            Op::BinLCSet { f, a, c, d } => (f, Shape::LCSet(LCSet { a, c, d })),
            Op::JumpIfLL {
                f,
                a,
                b,
                to,
                if_zero,
            } => (jump_test(f, if_zero)?, Shape::JumpLL(JumpLL { a, b, to })),
            Op::BinLLoad {
                f,
                load,
                a,
                b,
                shift,
                offset,
            } => {
                let s = LLoad {
                    a,
                    b,
                    shift,
                    offset,
                };
                let shape = match load {
                    LoadFn::U8 => Shape::LLoadU8(s),
                    LoadFn::U32 => Shape::LLoadU32(s),
                    LoadFn::U64 => Shape::LLoadU64(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::StoreLBin {
                store,
                f,
                a,
                v,
                c,
                offset,
            } => {
                let s = StoreLBin { a, v, c, offset };
                let shape = match store {
                    StoreFn::U8 => Shape::StoreLBinU8(s),
                    StoreFn::U32 => Shape::StoreLBinU32(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::BinLLoadSet {
                f,
                load,
                a,
                b,
                d,
                shift,
                offset,
            } => {
                let s = LLoadSet {
                    a,
                    b,
                    d,
                    shift,
                    offset,
                };
                let shape = match load {
                    LoadFn::U8 => Shape::LLoadSetU8(s),
                    LoadFn::U32 => Shape::LLoadSetU32(s),
                    LoadFn::U64 => Shape::LLoadSetU64(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::JumpIfLC {
                f,
                a,
                c,
                to,
                if_zero,
            } => (jump_test(f, if_zero)?, Shape::JumpLC(JumpLC { a, c, to })),
            _ => return None,
        })
    }

    /// A memory shape's address shift (0 for every other shape).
    fn shift(self) -> u8 {
        match self {
            Shape::Load(s) => s.shift,
            Shape::LoadL(s) => s.shift,
            Shape::LoadB(s) => s.shift,
            Shape::LoadSet(s) => s.shift,
            Shape::LoadLSet(s) | Shape::LoadLSetAcc(s) => s.shift,
            Shape::StoreL(s) | Shape::AccStoreL(s) => s.shift,
            Shape::StoreLL(s) => s.shift,
            Shape::StoreLC(s) => s.shift,
            _ => 0,
        }
    }

    /// The generic op of this shape with operator (or width) `key`; `None`
    /// when the two do not belong together.
    fn op(self, key: Key) -> Option<Op> {
        // An accumulator shape's generic op is its plain form: `run` hands
        // specialized ops back to the handlers, so it runs no pair, and
        // `in_bounds` checks the same offsets.
        match self {
            Shape::AccStoreL(s) => return Shape::StoreL(s).op(key),
            Shape::LoadLSetAcc(s) => return Shape::LoadLSet(s).op(key),
            Shape::AccJumpLL(s) => return Shape::JumpLL(s).op(key),
            _ => {}
        }
        if let Some(op) = self.keyed_op(key) {
            return Some(op);
        }
        let Key::Bin(f) = key else {
            return None;
        };
        Some(match self {
            Shape::S(_) => Op::Bin { f },
            Shape::L(s) => Op::BinL { f, b: s.b },
            Shape::C(s) => Op::BinC {
                f,
                c: s.c as i64 as u64,
            },
            // An accumulator shape's generic op is its stack form: `run`
            // hands specialized ops back to the handlers, so it runs no
            // pair, and `in_bounds` checks the same offsets.
            Shape::LR(s) | Shape::LRAcc(s) => Op::BinLR { f, a: s.a },
            Shape::LL(s) | Shape::LLAcc(s) => Op::BinLL { f, a: s.a, b: s.b },
            Shape::LC(s) | Shape::LCAcc(s) => Op::BinLC {
                f,
                a: s.a,
                c: s.c as i64 as u64,
            },
            Shape::Set(s) => Op::BinSet { f, d: s.d },
            Shape::LSet(s) | Shape::AccLSet(s) => Op::BinLSet { f, b: s.b, d: s.d },
            Shape::CSet(s) | Shape::AccCSet(s) => Op::BinCSet { f, c: s.c, d: s.d },
            Shape::LRSet(s) | Shape::AccLRSet(s) => Op::BinLRSet { f, a: s.a, d: s.d },
            Shape::LLSet(s) => Op::BinLLSet {
                f,
                a: s.a,
                b: s.b,
                d: s.d,
            },
            Shape::LCSet(s) => Op::BinLCSet {
                f,
                a: s.a,
                c: s.c,
                d: s.d,
            },
            Shape::JumpLL(s) => Op::JumpIfLL {
                f,
                a: s.a,
                b: s.b,
                to: s.to,
                if_zero: false,
            },
            Shape::StoreLBinU8(s) | Shape::StoreLBinU32(s) => Op::StoreLBin {
                store: match self {
                    Shape::StoreLBinU8(_) => StoreFn::U8,
                    _ => StoreFn::U32,
                },
                f,
                a: s.a,
                v: s.v,
                c: s.c,
                offset: s.offset,
            },
            // An accumulator form's generic op is its stack form, as above.
            Shape::LLoadU8(s)
            | Shape::LLoadU32(s)
            | Shape::LLoadU64(s)
            | Shape::LLoadAccU8(s)
            | Shape::LLoadAccU32(s)
            | Shape::LLoadAccU64(s) => Op::BinLLoad {
                f,
                load: match self {
                    Shape::LLoadU8(_) | Shape::LLoadAccU8(_) => LoadFn::U8,
                    Shape::LLoadU32(_) | Shape::LLoadAccU32(_) => LoadFn::U32,
                    _ => LoadFn::U64,
                },
                a: s.a,
                b: s.b,
                shift: s.shift,
                offset: s.offset,
            },
            Shape::LLoadSetU8(s) | Shape::LLoadSetU32(s) | Shape::LLoadSetU64(s) => {
                Op::BinLLoadSet {
                    f,
                    load: match self {
                        Shape::LLoadSetU8(_) => LoadFn::U8,
                        Shape::LLoadSetU32(_) => LoadFn::U32,
                        _ => LoadFn::U64,
                    },
                    a: s.a,
                    b: s.b,
                    d: s.d,
                    shift: s.shift,
                    offset: s.offset,
                }
            }
            Shape::JumpLC(s) => Op::JumpIfLC {
                f,
                a: s.a,
                c: s.c,
                to: s.to,
                if_zero: false,
            },
            _ => return None,
        })
    }
}

/// A constant operand as a 32-bit immediate: an operator on 32-bit values
/// reads only the low half, so any constant fits; a 64-bit one must
/// sign-extend from 32 bits.
fn imm(f: BinFn, c: u64) -> Option<i32> {
    if !f.wide() {
        Some(c as u32 as i32)
    } else if c as i32 as i64 as u64 == c {
        Some(c as i32)
    } else {
        None
    }
}

/// The operator whose non-zero result takes a conditional jump that tests
/// `f`'s result for zero (`if_zero`) or not: `f` itself, or for an integer
/// comparison its negation. Float comparisons are not negated (NaN makes
/// both `a < b` and `a >= b` false).
fn jump_test(f: BinFn, if_zero: bool) -> Option<BinFn> {
    use BinFn::*;
    if !if_zero {
        return Some(f);
    }
    Some(match f {
        I32Eq => I32Ne,
        I32Ne => I32Eq,
        I32LtS => I32GeS,
        I32GeS => I32LtS,
        I32LtU => I32GeU,
        I32GeU => I32LtU,
        I32GtS => I32LeS,
        I32LeS => I32GtS,
        I32GtU => I32LeU,
        I32LeU => I32GtU,
        I64Eq => I64Ne,
        I64Ne => I64Eq,
        I64LtS => I64GeS,
        I64GeS => I64LtS,
        I64LtU => I64GeU,
        I64GeU => I64LtU,
        I64GtS => I64LeS,
        I64LeS => I64GtS,
        I64GtU => I64LeU,
        I64LeU => I64GtU,
        _ => return None,
    })
}

/// Defines `specialize` (a generic fused op's specialized version, if the
/// list has one) and `generic` (its inverse).
macro_rules! specializer {
    ($($name:ident $shape:ident $f:ident,)*) => {
        /// The operator-specialized op that does what `op` does, if any. A
        /// byte access stays generic when its address is shifted: the
        /// specialized byte ops take no shift (the interpreter's `shift!`),
        /// which a byte index seldom has.
        fn specialize(op: &Op) -> Option<Op> {
            let (key, shape) = Shape::of(op)?;
            if matches!(key, Key::Load(LoadFn::U8) | Key::Store(StoreFn::U8)) && shape.shift() != 0 {
                return None;
            }
            specialized(key, shape)
        }

        /// The specialized op of operator (or width) `key` and `shape`, if
        /// the list has one.
        fn specialized(key: Key, shape: Shape) -> Option<Op> {
            match (key, shape) {
                $((key!($shape $f), Shape::$shape(s)) => Some(Op::$name(s)),)*
                _ => None,
            }
        }

        /// The generic op that does what the specialized `op` does; `None`
        /// for an op that is not specialized.
        fn generic(op: &Op) -> Option<Op> {
            match *op {
                $(Op::$name(s) => Shape::$shape(s).op(key!($shape $f)),)*
                _ => None,
            }
        }
    };
}
for_each_specialized!(specializer);

impl Translator<'_> {
    fn body(&mut self, body: &[Instr]) -> Result<(), Error> {
        // Nesting depth inside dead code being skipped.
        let mut dead_depth = 0u32;
        for (at, instr) in body.iter().enumerate() {
            self.ops.current = at as u32;
            if self.ctrls.is_empty() {
                return Err(Error::Invalid("instructions after the function's end"));
            }
            if self.top().unreachable {
                match instr {
                    Instr::Block { .. }
                    | Instr::Loop { .. }
                    | Instr::If { .. }
                    | Instr::Try { .. }
                    | Instr::TryTable { .. } => {
                        dead_depth += 1;
                        continue;
                    }
                    Instr::End | Instr::Delegate { .. } if dead_depth > 0 => {
                        dead_depth -= 1;
                        continue;
                    }
                    Instr::End
                    | Instr::Else
                    | Instr::Catch { .. }
                    | Instr::CatchAll
                    | Instr::Delegate { .. }
                        if dead_depth == 0 => {}
                    _ => continue,
                }
            }
            self.instr(instr)?;
        }
        Ok(())
    }

    fn top(&self) -> &Ctrl {
        self.ctrls.last().expect("checked non-empty by the caller")
    }

    fn push(&mut self, width: u8) {
        self.vals.push(width);
        self.height += width as u32;
        self.max_height = self.max_height.max(self.height);
    }

    fn push_all(&mut self, widths: &[u8]) {
        for w in widths {
            self.push(*w);
        }
    }

    /// Pops one value and returns its width.
    fn pop(&mut self) -> Result<u8, Error> {
        let floor = self.ctrls.last().map_or(0, |c| c.base_vals);
        if self.vals.len() <= floor {
            return Err(Error::Invalid("type mismatch: operand stack underflow"));
        }
        let w = self.vals.pop().unwrap_or(1);
        self.height -= w as u32;
        Ok(w)
    }

    /// Pops values worth exactly `n` slots.
    fn pop_slots(&mut self, mut n: u32) -> Result<(), Error> {
        while n > 0 {
            let w = self.pop()? as u32;
            n = n
                .checked_sub(w)
                .ok_or(Error::Invalid("type mismatch: operand width"))?;
        }
        Ok(())
    }

    fn pop_types(&mut self, types: &[ValType]) -> Result<(), Error> {
        self.pop_slots(types.iter().map(|t| slots(*t)).sum())
    }

    fn push_types(&mut self, types: &[ValType]) {
        for t in types {
            self.push(slots(*t) as u8);
        }
    }

    fn emit(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn here(&self) -> u32 {
        self.ops.len() as u32
    }

    /// Marks the rest of the current block dead.
    fn set_unreachable(&mut self) {
        let c = self.ctrls.last_mut().expect("inside a block");
        c.unreachable = true;
        self.vals.truncate(c.base_vals);
        self.height = c.base;
    }

    fn block_sig(&self, bt: BlockType) -> Result<(Vec<u8>, Vec<u8>), Error> {
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

    fn open(&mut self, kind: Kind, bt: BlockType, else_fixup: Option<u32>) -> Result<(), Error> {
        let (params, results) = self.block_sig(bt)?;
        let param_slots: u32 = params.iter().map(|w| *w as u32).sum();
        let param_vals = params.len();
        if self.vals.len() < param_vals + self.top().base_vals || self.height < param_slots {
            return Err(Error::Invalid("type mismatch: block parameters"));
        }
        self.barrier = self.here();
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

    /// Resolves a branch to `label` from the current height: the target
    /// (with a placeholder `to` for forward branches) and whether it is a
    /// forward branch that needs fixing up.
    fn branch(&self, label: u32) -> Result<(Target, bool), Error> {
        let depth = self.ctrls.len();
        let c = depth
            .checked_sub(1 + label as usize)
            .and_then(|i| self.ctrls.get(i))
            .ok_or(Error::Invalid("unknown label"))?;
        let (keep, to, forward) = if c.kind == Kind::Loop {
            (c.params.iter().map(|w| *w as u32).sum(), c.start, false)
        } else {
            (c.results.iter().map(|w| *w as u32).sum(), 0, true)
        };
        if self.height < keep + c.base {
            return Err(Error::Invalid("type mismatch: branch operands"));
        }
        Ok((
            Target {
                to,
                base: c.base,
                keep,
            },
            forward,
        ))
    }

    fn add_fixup(&mut self, label: u32, fixup: Fixup) {
        let i = self.ctrls.len() - 1 - label as usize;
        self.ctrls[i].fixups.push(fixup);
    }

    /// Emits a branch to `label`, conditional on a popped i32 or not.
    fn emit_branch(&mut self, label: u32, conditional: bool) -> Result<(), Error> {
        let (t, forward) = self.branch(label)?;
        let moves = self.height - t.keep != t.base;
        let op = match (conditional, moves) {
            (false, false) => Op::Jump { to: t.to },
            (false, true) => Op::Br(t),
            (true, false) => self.cond_jump(t.to, false),
            (true, true) => Op::BrIf(t),
        };
        if forward {
            self.add_fixup(label, Fixup::Op(self.here()));
        }
        self.emit(op);
        Ok(())
    }

    fn patch(&mut self, fixup: Fixup, to: u32) {
        match fixup {
            Fixup::Op(i) => match &mut self.ops[i as usize] {
                Op::Jump { to: t } | Op::JumpIf { to: t } | Op::JumpIfNot { to: t } => *t = to,
                Op::Br(t) | Op::BrIf(t) | Op::BrOnNull(t) | Op::BrOnNonNull(t) => t.to = to,
                Op::JumpIfL { to: t, .. }
                | Op::JumpIfLC { to: t, .. }
                | Op::JumpIfLL { to: t, .. } => *t = to,
                _ => {}
            },
            Fixup::Table(i) => self.targets[i as usize].to = to,
            Fixup::Catch(h, c) => self.handlers[h as usize].catches[c as usize].target.to = to,
        }
    }

    fn local(&self, idx: u32) -> Result<(u32, u8), Error> {
        self.locals
            .get(idx as usize)
            .copied()
            .ok_or(Error::Invalid("unknown local"))
    }

    fn global_width(&self, idx: u32) -> Result<u32, Error> {
        self.env
            .globals
            .get(idx as usize)
            .map(|t| slots(*t))
            .ok_or(Error::Invalid("unknown global"))
    }

    fn instr(&mut self, instr: &Instr) -> Result<(), Error> {
        self.env.check_indices(instr)?;
        match instr {
            Instr::Unreachable => {
                self.emit(Op::Unreachable);
                self.set_unreachable();
            }
            Instr::Nop => {}
            Instr::Block { ty } => self.open(Kind::Block, *ty, None)?,
            Instr::Loop { ty } => self.open(Kind::Loop, *ty, None)?,
            Instr::If { ty } => {
                self.pop_slots(1)?;
                let op = self.cond_jump(0, true);
                let at = self.here();
                self.emit(op);
                self.open(Kind::If, *ty, Some(at))?;
            }
            Instr::Else => {
                let c = self.ctrls.last().ok_or(Error::Invalid("else outside if"))?;
                if c.kind != Kind::If {
                    return Err(Error::Invalid("else outside if"));
                }
                if !c.unreachable {
                    let at = self.here();
                    self.emit(Op::Jump { to: 0 });
                    self.ctrls
                        .last_mut()
                        .expect("open")
                        .fixups
                        .push(Fixup::Op(at));
                }
                let here = self.here();
                self.barrier = here;
                let c = self.ctrls.last_mut().expect("open");
                let else_fixup = c.else_fixup.take();
                c.kind = Kind::Else;
                c.unreachable = false;
                let (base, base_vals, params) = (c.base, c.base_vals, c.params.clone());
                if let Some(at) = else_fixup {
                    self.patch(Fixup::Op(at), here);
                }
                self.vals.truncate(base_vals);
                self.height = base;
                self.push_all(&params);
            }
            Instr::End => {
                self.leave_catch()?;
                let c = self.ctrls.pop().ok_or(Error::Invalid("unmatched end"))?;
                let here = self.here();
                self.barrier = here;
                if let (Some(h), Kind::Try | Kind::Block) = (c.handler, c.kind) {
                    self.handlers[h as usize].end = here;
                }
                if let Some(at) = c.else_fixup {
                    self.patch(Fixup::Op(at), here);
                }
                for f in &c.fixups {
                    self.patch(*f, here);
                }
                self.vals.truncate(c.base_vals);
                self.height = c.base;
                self.push_all(&c.results);
                if self.ctrls.is_empty() {
                    self.emit(Op::Return);
                }
            }
            Instr::Br { label } => {
                self.emit_branch(*label, false)?;
                self.set_unreachable();
            }
            Instr::BrIf { label } => {
                self.pop_slots(1)?;
                self.emit_branch(*label, true)?;
            }
            Instr::BrTable { table } => {
                self.pop_slots(1)?;
                let start = self.targets.len() as u32;
                for label in table.targets.iter().chain([&table.default]) {
                    let (t, forward) = self.branch(*label)?;
                    if forward {
                        self.add_fixup(*label, Fixup::Table(self.targets.len() as u32));
                    }
                    self.targets.push(t);
                }
                let len = self.targets.len() as u32 - start;
                self.emit(Op::BrTable { start, len });
                self.set_unreachable();
            }
            Instr::Return => {
                self.emit(Op::Return);
                self.set_unreachable();
            }
            Instr::Call { func } => {
                let ft = self.env.type_of_func(*func)?;
                self.pop_types(&ft.params)?;
                self.push_types(&ft.results);
                self.emit(Op::Call { func: *func });
            }
            Instr::CallIndirect { ty, table } => {
                let ft = self.env.func_type(*ty)?;
                self.pop_slots(1)?;
                self.pop_types(&ft.params)?;
                self.push_types(&ft.results);
                self.emit(Op::CallIndirect {
                    ty: *ty,
                    table: *table,
                });
            }
            Instr::ReturnCall { func } => {
                self.env.type_of_func(*func)?;
                self.emit(Op::ReturnCall { func: *func });
                self.set_unreachable();
            }
            Instr::ReturnCallIndirect { ty, table } => {
                self.env.func_type(*ty)?;
                self.emit(Op::ReturnCallIndirect {
                    ty: *ty,
                    table: *table,
                });
                self.set_unreachable();
            }
            Instr::CallRef { ty } => {
                let ft = self.env.func_type(*ty)?;
                self.pop_slots(1)?;
                self.pop_types(&ft.params)?;
                self.push_types(&ft.results);
                self.emit(Op::CallRef);
            }
            Instr::ReturnCallRef { ty } => {
                self.env.func_type(*ty)?;
                self.emit(Op::ReturnCallRef);
                self.set_unreachable();
            }
            Instr::BrOnNull { label } => {
                self.pop_slots(1)?;
                let (t, forward) = self.branch(*label)?;
                if forward {
                    self.add_fixup(*label, Fixup::Op(self.here()));
                }
                self.emit(Op::BrOnNull(t));
                self.push(1);
            }
            Instr::BrOnNonNull { label } => {
                let (t, forward) = self.branch(*label)?;
                self.pop_slots(1)?;
                if forward {
                    self.add_fixup(*label, Fixup::Op(self.here()));
                }
                self.emit(Op::BrOnNonNull(t));
            }
            Instr::Throw { tag } => {
                let ty = *self
                    .env
                    .tags
                    .get(*tag as usize)
                    .ok_or(Error::Invalid("unknown tag"))?;
                self.env.func_type(ty)?;
                self.emit(Op::Throw { tag: *tag });
                self.set_unreachable();
            }
            Instr::ThrowRef => {
                self.emit(Op::ThrowRef);
                self.set_unreachable();
            }
            Instr::TryTable { table } => self.try_table(table)?,
            Instr::Try { ty } => {
                self.open(Kind::Try, *ty, None)?;
                let h = self.handlers.len() as u32;
                let c = self.ctrls.last_mut().expect("just opened");
                c.handler = Some(h);
                let height = c.base;
                self.handlers.push(TryScope {
                    start: self.here(),
                    end: self.here(),
                    height,
                    catches: Box::new([]),
                    delegate: None,
                });
            }
            Instr::Catch { tag } => {
                let ty = *self
                    .env
                    .tags
                    .get(*tag as usize)
                    .ok_or(Error::Invalid("unknown tag"))?;
                let params = self.env.func_type(ty)?.params.clone();
                self.legacy_catch(Some(*tag), &params)?;
            }
            Instr::CatchAll => self.legacy_catch(None, &[])?,
            Instr::Delegate { label } => {
                let c = self
                    .ctrls
                    .last()
                    .ok_or(Error::Invalid("delegate outside try"))?;
                let (Kind::Try, Some(h)) = (c.kind, c.handler) else {
                    return Err(Error::Invalid("delegate outside try"));
                };
                // The innermost try body at or outside the label (the label
                // counts from the block around the `try`) takes over.
                let depth = self.ctrls.len() - 1;
                let from = depth.checked_sub(1 + *label as usize).map_or(0, |i| i + 1);
                let target = self.ctrls[..from]
                    .iter()
                    .rev()
                    .find(|c| c.kind == Kind::Try)
                    .and_then(|c| c.handler)
                    .unwrap_or(u32::MAX);
                self.handlers[h as usize].delegate = Some(target);
                // Then the block ends as with `end`.
                self.instr(&Instr::End)?;
            }
            Instr::Rethrow { label } => {
                let c = self
                    .ctrls
                    .len()
                    .checked_sub(1 + *label as usize)
                    .and_then(|i| self.ctrls.get(i))
                    .ok_or(Error::Invalid("unknown label"))?;
                if c.kind != Kind::Catch {
                    return Err(Error::Invalid("rethrow outside catch"));
                }
                self.emit(Op::Rethrow { off: c.base });
                self.set_unreachable();
            }
            Instr::BrOnCast { cast } | Instr::BrOnCastFail { cast } => {
                if let Some(idx) = cast.to.heap.type_index()
                    && self.env.module.types.get(idx as usize).is_none()
                {
                    return Err(Error::Invalid("unknown type"));
                }
                let (t, forward) = self.branch(cast.label)?;
                let target = self.targets.len() as u32;
                if forward {
                    self.add_fixup(cast.label, Fixup::Table(target));
                }
                self.targets.push(t);
                self.casts.push(cast.to);
                self.emit(Op::BrOnCast {
                    target,
                    cast: self.casts.len() as u32 - 1,
                    fail: matches!(instr, Instr::BrOnCastFail { .. }),
                });
            }
            Instr::BrOnCastDescEq { cast } | Instr::BrOnCastDescEqFail { cast } => {
                // The descriptor is popped before the branch, which keeps
                // the reference on top.
                self.pop_slots(1)?;
                let (t, forward) = self.branch(cast.label)?;
                let target = self.targets.len() as u32;
                if forward {
                    self.add_fixup(cast.label, Fixup::Table(target));
                }
                self.targets.push(t);
                self.casts.push(cast.to);
                self.emit(Op::BrOnCastDesc {
                    target,
                    cast: self.casts.len() as u32 - 1,
                    fail: matches!(instr, Instr::BrOnCastDescEqFail { .. }),
                });
            }
            i if (i.feature() == Features::GC || i.feature() == Features::CUSTOM_DESCRIPTORS)
                && !matches!(i, Instr::RefEq) =>
            {
                let (pops, push) = self.gc_effect(i)?;
                self.pop_slots(pops)?;
                if let Some(w) = push {
                    self.push(w);
                }
                self.emit(Op::Gc(Box::new(i.clone())));
            }
            Instr::Drop => {
                let w = self.pop()?;
                self.emit(Op::Drop { slots: w as u32 });
            }
            Instr::Select | Instr::SelectT { .. } => {
                self.pop_slots(1)?;
                let w = self.pop()?;
                self.pop_slots(w as u32)?;
                self.push(w);
                self.emit(Op::Select { slots: w as u32 });
            }
            Instr::LocalGet { local } => {
                let (off, w) = self.local(*local)?;
                self.push(w);
                self.emit(if w == 2 {
                    Op::LocalGet2 { off }
                } else {
                    Op::LocalGet { off }
                });
            }
            Instr::LocalSet { local } => {
                let (off, w) = self.local(*local)?;
                self.pop_slots(w as u32)?;
                if w == 1 && self.fuse_set(off) {
                    return Ok(());
                }
                // `acc + x * y` of vectors, into a local.
                if w == 2 && self.last_fusable(2) {
                    let n = self.ops.len();
                    if let [Op::SimdBin { f: mul }, Op::SimdBinLR { f: add, a }] = self.ops[n - 2..]
                        && let Some(op) = vector_mul_add(mul, add, a, off)
                    {
                        self.ops.truncate(n - 2);
                        self.emit(op);
                        return Ok(());
                    }
                }
                // A lane-wise operator on a local, into a local.
                if w == 2
                    && self.last_fusable(1)
                    && let Some(&Op::SimdBinLR { f, a }) = self.ops.last()
                {
                    self.ops.pop();
                    self.emit(Op::SimdBinLRSet { f, a, d: off });
                    return Ok(());
                }
                self.emit(if w == 2 {
                    Op::LocalSet2 { off }
                } else {
                    Op::LocalSet { off }
                });
            }
            Instr::LocalTee { local } => {
                let (off, w) = self.local(*local)?;
                self.pop_slots(w as u32)?;
                self.push(w);
                self.emit(if w == 2 {
                    Op::LocalTee2 { off }
                } else {
                    Op::LocalTee { off }
                });
            }
            Instr::GlobalGet { global } => {
                let w = self.global_width(*global)?;
                self.push(w as u8);
                self.emit(Op::GlobalGet { global: *global });
            }
            Instr::GlobalSet { global } => {
                let w = self.global_width(*global)?;
                self.pop_slots(w)?;
                self.emit(Op::GlobalSet { global: *global });
            }
            Instr::I32Const { value } => self.constant(*value as u32 as u64),
            Instr::I64Const { value } => self.constant(*value as u64),
            Instr::F32Const { value } => self.constant(value.0 as u64),
            Instr::F64Const { value } => self.constant(value.0),
            Instr::RefNull { .. } => self.constant(0),
            Instr::V128Const { value } => {
                let v = u128::from_le_bytes(value.0);
                self.emit(Op::Const { bits: v as u64 });
                self.emit(Op::Const {
                    bits: (v >> 64) as u64,
                });
                self.push(2);
            }
            Instr::RefFunc { func } => {
                self.push(1);
                self.emit(Op::RefFunc { func: *func });
            }
            other => {
                let (pops, pushes) = effect(other).ok_or(Error::Unsupported(other.name()))?;
                self.pop_slots(pops)?;
                self.push_all(pushes);
                // Conversions that leave a slot's bits alone need no op: an
                // i32 slot is already its value zero-extended to 64 bits,
                // and reinterpretations keep the bits.
                if matches!(
                    other,
                    Instr::I64ExtendI32U
                        | Instr::I32ReinterpretF32
                        | Instr::F32ReinterpretI32
                        | Instr::I64ReinterpretF64
                        | Instr::F64ReinterpretI64
                ) {
                    return Ok(());
                }
                let op = if let Some((f, wide)) = crate::ops::num::int_bin(other) {
                    self.fuse_bin(f, wide)
                } else if let Some(f) = crate::ops::num::un(other) {
                    match self.take_local_operand(0) {
                        Some(a) => Op::UnL { f, a },
                        None => Op::Un { f },
                    }
                } else {
                    self.memory_op(other).unwrap_or_else(|| classify(other))
                };
                // A lane-wise operator's left operand from a `v128` local
                // (an accumulator, usually).
                let op = match op {
                    Op::SimdBin { f } => match self.take_local2_operand(1) {
                        Some(a) => Op::SimdBinLR { f, a },
                        None => op,
                    },
                    op => op,
                };
                self.emit(op);
            }
        }
        Ok(())
    }

    /// Whether the last `n` ops may be fused into a later one: no branch
    /// targets any of them but the first.
    fn last_fusable(&self, n: usize) -> bool {
        self.ops.len() >= self.barrier as usize + n
    }

    /// A binary integer operator, fused with the `local.get`s and constants
    /// just emitted for its operands (they push exactly its two operands).
    fn fuse_bin(&mut self, f: BinFn, wide: bool) -> Op {
        let n = self.ops.len();
        // An i32 operator reads only the low half of its constant, so its
        // constant is kept sign-extended: then whether it fits an `i32`
        // immediate no longer depends on the operator's width.
        let norm = |bits: u64| {
            if wide {
                bits
            } else {
                bits as u32 as i32 as i64 as u64
            }
        };
        if self.last_fusable(2) {
            let fused = match (&self.ops[n - 2], &self.ops[n - 1]) {
                (Op::LocalGet { off: a }, Op::LocalGet { off: b }) => {
                    Some(Op::BinLL { f, a: *a, b: *b })
                }
                (Op::LocalGet { off: a }, Op::Const { bits }) => Some(Op::BinLC {
                    f,
                    a: *a,
                    c: norm(*bits),
                }),
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.truncate(n - 2);
                return op;
            }
        }
        // `a * b + c` of three locals.
        if f == BinFn::I32Add
            && self.last_fusable(2)
            && let [
                Op::BinLL {
                    f: BinFn::I32Mul,
                    a,
                    b,
                },
                Op::LocalGet { off: c },
            ] = self.ops[n - 2..]
        {
            self.ops.truncate(n - 2);
            return Op::I32MulAddLLL { a, b, c };
        }
        if self.last_fusable(1) {
            let fused = match &self.ops[n - 1] {
                Op::LocalGet { off } => Some(Op::BinL { f, b: *off }),
                Op::Const { bits } => Some(Op::BinC { f, c: norm(*bits) }),
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.truncate(n - 1);
                return op;
            }
        }
        // The left operand from a `local.get` with pure ops after it: read
        // the local when the operator runs instead (nothing in between can
        // write a local).
        if let Some(a) = self.take_local_operand(1) {
            return self.fuse_load_operand(f, a).unwrap_or(Op::BinLR { f, a });
        }
        Op::Bin { f }
    }

    /// `BinLLoad` of `f`, the local at `a` and the load just emitted (at a
    /// local's address), in place of that load, if a specialized op does
    /// it: `h ^ a[i]` in one op.
    fn fuse_load_operand(&mut self, f: BinFn, a: u32) -> Option<Op> {
        if !self.last_fusable(1) {
            return None;
        }
        let Some(&Op::LoadL {
            f: load,
            shift,
            a: b,
            offset,
        }) = self.ops.last()
        else {
            return None;
        };
        let op = Op::BinLLoad {
            f,
            load,
            a: u16::try_from(a).ok()?,
            b: u16::try_from(b).ok()?,
            shift,
            offset,
        };
        specialize(&op)?;
        self.ops.pop();
        Some(op)
    }

    /// If the value at `depth` below the top of the stack (0 is the top)
    /// was pushed by a `local.get` followed only by ops that neither write
    /// locals nor have effects besides traps, removes that `local.get` and
    /// returns its local's offset.
    fn take_local_operand(&mut self, depth: u32) -> Option<u32> {
        self.take_operand(depth, false).map(|(off, _)| off)
    }

    /// `take_local_operand`, also taking an `i32.shl` of a local by a
    /// constant when `scaled` (an address operand): the local's offset and
    /// the shift (0 for a plain `local.get`).
    fn take_operand(&mut self, depth: u32, scaled: bool) -> Option<(u32, u8)> {
        let i = self.producer(depth)?;
        let taken = match self.ops[i] {
            Op::LocalGet { off } => (off, 0),
            Op::BinLC {
                f: BinFn::I32Shl,
                a,
                c,
            } if scaled => (a, (c & 31) as u8),
            _ => return None,
        };
        self.ops.remove(i);
        Some(taken)
    }

    /// `take_local_operand` for a two-slot (`v128`) local.
    fn take_local2_operand(&mut self, depth: u32) -> Option<u32> {
        let i = self.producer(depth)?;
        let Op::LocalGet2 { off } = self.ops[i] else {
            return None;
        };
        self.ops.remove(i);
        Some(off)
    }

    /// The index of the op that pushed the value at `depth` below the top
    /// of the stack, if only ops that neither write locals nor have
    /// effects besides traps follow it (since the last branch target),
    /// among the last [`PRODUCER_WINDOW`] ops.
    fn producer(&self, mut depth: u32) -> Option<usize> {
        let floor = (self.barrier as usize).max(self.ops.len().saturating_sub(PRODUCER_WINDOW));
        let mut i = self.ops.len();
        while i > floor {
            i -= 1;
            // Values (not slots) popped and pushed.
            let (pops, pushes) = match &self.ops[i] {
                Op::LocalGet { .. }
                | Op::LocalGet2 { .. }
                | Op::Const { .. }
                | Op::BinLL { .. }
                | Op::BinLC { .. }
                | Op::I32MulAddLLL { .. }
                | Op::BinLLoad { .. }
                | Op::LoadL { .. }
                | Op::V128LoadL { .. }
                | Op::V128LoadLL { .. }
                | Op::UnL { .. } => (0, 1),
                Op::BinL { .. }
                | Op::BinC { .. }
                | Op::BinLR { .. }
                | Op::Load { .. }
                | Op::LoadB { .. }
                | Op::V128Load { .. }
                | Op::SimdBinLR { .. }
                | Op::I32Eqz
                | Op::Un { .. } => (1, 1),
                Op::Bin { .. } | Op::SimdBin { .. } => (2, 1),
                _ => return None,
            };
            if depth < pushes {
                return Some(i);
            }
            depth = depth - pushes + pops;
        }
        None
    }

    /// Opens a `try_table` block and registers its handler. Catch labels
    /// are resolved outside the block; a caught exception resets the stack
    /// to the block's base and pushes what the clause delivers.
    fn try_table(&mut self, table: &weft_ast::TryTable) -> Result<(), Error> {
        let h = self.handlers.len() as u32;
        let (params, _) = self.block_sig(table.ty)?;
        let param_slots: u32 = params.iter().map(|w| *w as u32).sum();
        let height = self
            .height
            .checked_sub(param_slots)
            .ok_or(Error::Invalid("type mismatch: block parameters"))?;
        let mut catches = Vec::with_capacity(table.catches.len());
        for (i, c) in table.catches.iter().enumerate() {
            let label = c.label();
            let depth = self.ctrls.len();
            let ctrl = depth
                .checked_sub(1 + label as usize)
                .and_then(|i| self.ctrls.get(i))
                .ok_or(Error::Invalid("unknown label"))?;
            let base = ctrl.base;
            let (keep, to, forward) = if ctrl.kind == Kind::Loop {
                (
                    ctrl.params.iter().map(|w| *w as u32).sum(),
                    ctrl.start,
                    false,
                )
            } else {
                (ctrl.results.iter().map(|w| *w as u32).sum(), 0, true)
            };
            let (tag, with_ref) = match *c {
                weft_ast::Catch::One { tag, .. } => (Some(tag), false),
                weft_ast::Catch::OneRef { tag, .. } => (Some(tag), true),
                weft_ast::Catch::All { .. } => (None, false),
                weft_ast::Catch::AllRef { .. } => (None, true),
            };
            // The values delivered sit above the block's base before the
            // branch moves them.
            self.max_height = self.max_height.max(height + keep);
            if forward {
                self.add_fixup(label, Fixup::Catch(h, i as u32));
            }
            catches.push(CatchOp {
                tag,
                with_ref,
                legacy: false,
                target: Target { to, base, keep },
            });
        }
        self.open(Kind::Block, table.ty, None)?;
        self.ctrls.last_mut().expect("just opened").handler = Some(h);
        self.handlers.push(TryScope {
            start: self.here(),
            end: self.here(),
            height,
            catches: catches.into_boxed_slice(),
            delegate: None,
        });
        Ok(())
    }

    /// Leaving a legacy catch body normally: its results move down over
    /// the hidden exception slot.
    fn leave_catch(&mut self) -> Result<(), Error> {
        let Some(c) = self.ctrls.last() else {
            return Ok(());
        };
        if c.kind != Kind::Catch || c.unreachable {
            return Ok(());
        }
        let keep: u32 = c.results.iter().map(|w| *w as u32).sum();
        let base = c.base;
        if self.height != base + 1 + keep {
            return Err(Error::Invalid("type mismatch: catch results"));
        }
        // A branch to the next op: the end, where the results belong.
        let to = self.here() + 1;
        self.emit(Op::Br(Target { to, base, keep }));
        self.height -= 1;
        Ok(())
    }

    /// Starts a `catch` (with a tag and its payload) or `catch_all` clause
    /// of the innermost legacy `try`.
    fn legacy_catch(&mut self, tag: Option<u32>, payload: &[ValType]) -> Result<(), Error> {
        let c = self
            .ctrls
            .last()
            .ok_or(Error::Invalid("catch outside try"))?;
        let (Kind::Try | Kind::Catch, Some(h)) = (c.kind, c.handler) else {
            return Err(Error::Invalid("catch outside try"));
        };
        if c.kind == Kind::Try {
            if !c.unreachable {
                let at = self.here();
                self.emit(Op::Jump { to: 0 });
                self.ctrls
                    .last_mut()
                    .expect("open")
                    .fixups
                    .push(Fixup::Op(at));
            }
            self.handlers[h as usize].end = self.here();
        } else if !c.unreachable {
            let keep: u32 = c.results.iter().map(|w| *w as u32).sum();
            let at = self.here();
            self.emit(Op::Br(Target {
                to: 0,
                base: c.base,
                keep,
            }));
            self.ctrls
                .last_mut()
                .expect("open")
                .fixups
                .push(Fixup::Op(at));
        }
        let here = self.here();
        self.barrier = here;
        let c = self.ctrls.last_mut().expect("open");
        c.kind = Kind::Catch;
        c.unreachable = false;
        let (base, base_vals) = (c.base, c.base_vals);
        self.vals.truncate(base_vals);
        self.height = base;
        self.push(1);
        self.push_types(payload);
        let keep = self.height - base;
        let mut catches = std::mem::take(&mut self.handlers[h as usize].catches).into_vec();
        catches.push(CatchOp {
            tag,
            with_ref: true,
            legacy: true,
            target: Target {
                to: here,
                base,
                keep,
            },
        });
        self.handlers[h as usize].catches = catches.into_boxed_slice();
        Ok(())
    }

    /// The slots a GC instruction pops and the width of what it pushes.
    fn gc_effect(&self, i: &Instr) -> Result<(u32, Option<u8>), Error> {
        use Instr::*;
        use weft_ast::CompositeType;
        let composite = |ty: u32| {
            self.env
                .module
                .types
                .get(ty as usize)
                .map(|t| &t.composite)
                .ok_or(Error::Invalid("unknown type"))
        };
        let fields = |ty: u32| match composite(ty)? {
            CompositeType::Struct(f) => Ok(f),
            _ => Err(Error::Invalid("not a struct type")),
        };
        let elem = |ty: u32| match composite(ty)? {
            CompositeType::Array(f) => Ok(crate::value::field_slots(f)),
            _ => Err(Error::Invalid("not an array type")),
        };
        let field = |ty: u32, k: u32| {
            fields(ty)?
                .get(k as usize)
                .map(crate::value::field_slots)
                .ok_or(Error::Invalid("unknown field"))
        };
        Ok(match i {
            StructNew { ty } => (
                fields(*ty)?.iter().map(crate::value::field_slots).sum(),
                Some(1),
            ),
            StructNewDefault { .. } => (0, Some(1)),
            StructNewDesc { ty } => (
                fields(*ty)?
                    .iter()
                    .map(crate::value::field_slots)
                    .sum::<u32>()
                    + 1,
                Some(1),
            ),
            StructNewDefaultDesc { .. } | RefGetDesc { .. } => (1, Some(1)),
            RefCastDescEq { .. } | RefCastDescEqNull { .. } => (2, Some(1)),
            StructGet { ty, field: k }
            | StructGetS { ty, field: k }
            | StructGetU { ty, field: k } => (1, Some(field(*ty, *k)? as u8)),
            StructSet { ty, field: k } => (1 + field(*ty, *k)?, None),
            ArrayNew { ty } => (elem(*ty)? + 1, Some(1)),
            ArrayNewDefault { .. } | ArrayLen => (1, Some(1)),
            ArrayNewFixed { ty, len } => {
                let n = (*len as u64) * elem(*ty)? as u64;
                (
                    u32::try_from(n).map_err(|_| Error::Invalid("type mismatch"))?,
                    Some(1),
                )
            }
            ArrayNewData { .. } | ArrayNewElem { .. } => (2, Some(1)),
            ArrayGet { ty } | ArrayGetS { ty } | ArrayGetU { ty } => (2, Some(elem(*ty)? as u8)),
            ArraySet { ty } => (2 + elem(*ty)?, None),
            ArrayFill { ty } => (3 + elem(*ty)?, None),
            ArrayCopy { .. } => (5, None),
            ArrayInitData { .. } | ArrayInitElem { .. } => (4, None),
            RefTest { ty } | RefTestNull { ty } | RefCast { ty } | RefCastNull { ty } => {
                if let Some(idx) = ty.type_index() {
                    composite(idx)?;
                }
                (1, Some(1))
            }
            _ => (1, Some(1)),
        })
    }

    /// Fuses `local.set` into the binary operator just emitted; whether
    /// it did.
    fn fuse_set(&mut self, d: u32) -> bool {
        if !self.last_fusable(1) {
            return false;
        }
        let n = self.ops.len();
        // `a * c1 + c2` into a local.
        if self.last_fusable(2)
            && let [
                Op::BinLC {
                    f: BinFn::I32Mul,
                    a,
                    c: c1,
                },
                Op::BinC {
                    f: BinFn::I32Add,
                    c: c2,
                },
            ] = self.ops[n - 2..]
            && let (Ok(a), Ok(d16)) = (u16::try_from(a), u16::try_from(d))
        {
            self.ops.truncate(n - 2);
            self.emit(Op::I32MulAddLCCSet {
                a,
                d: d16,
                c1: c1 as i32,
                c2: c2 as i32,
            });
            return true;
        }
        // `local + x * y` into a local.
        if self.last_fusable(2)
            && let [
                Op::Bin { f: BinFn::F64Mul },
                Op::BinLR {
                    f: BinFn::F64Add,
                    a,
                },
            ] = self.ops[n - 2..]
        {
            self.ops.truncate(n - 2);
            self.emit(Op::F64MulAddLRSet { a, d });
            return true;
        }
        let fused = match self.ops.last() {
            Some(Op::Bin { f }) => Op::BinSet { f: *f, d },
            Some(Op::BinL { f, b }) => Op::BinLSet { f: *f, b: *b, d },
            Some(Op::BinLR { f, a }) => Op::BinLRSet { f: *f, a: *a, d },
            Some(Op::BinC { f, c }) if *c as i32 as i64 as u64 == *c => Op::BinCSet {
                f: *f,
                c: *c as i32,
                d,
            },
            Some(&Op::BinLLoad {
                f,
                load,
                a,
                b,
                shift,
                offset,
            }) if u16::try_from(d).is_ok() => Op::BinLLoadSet {
                f,
                load,
                a,
                b,
                d: d as u16,
                shift,
                offset,
            },
            Some(Op::LocalGet { off }) => Op::Copy { a: *off, d },
            Some(Op::Const { bits }) => Op::ConstSet { bits: *bits, d },
            Some(Op::BinLL { f, a, b }) => Op::BinLLSet {
                f: *f,
                a: *a,
                b: *b,
                d,
            },
            Some(Op::BinLC { f, a, c }) if *c as i32 as i64 as u64 == *c => Op::BinLCSet {
                f: *f,
                a: *a,
                c: *c as i32,
                d,
            },
            Some(Op::Load { f, shift, offset }) => Op::LoadSet {
                f: *f,
                shift: *shift,
                offset: *offset,
                d,
            },
            Some(Op::LoadL {
                f,
                shift,
                a,
                offset,
            }) => Op::LoadLSet {
                f: *f,
                shift: *shift,
                a: *a,
                offset: *offset,
                d,
            },
            _ => return false,
        };
        self.ops.pop();
        self.emit(fused);
        true
    }

    /// A conditional jump on the value just computed, fused with the op
    /// that computed it where possible (`i32.eqz` flips the condition).
    fn cond_jump(&mut self, to: u32, mut if_zero: bool) -> Op {
        if self.last_fusable(1) && matches!(self.ops.last(), Some(Op::I32Eqz)) {
            self.ops.pop();
            if_zero = !if_zero;
        }
        if self.last_fusable(1) {
            let fused = match self.ops.last() {
                Some(Op::LocalGet { off }) => Some(Op::JumpIfL {
                    off: *off,
                    to,
                    if_zero,
                }),
                Some(Op::BinLL { f, a, b }) => Some(Op::JumpIfLL {
                    f: *f,
                    a: *a,
                    b: *b,
                    to,
                    if_zero,
                }),
                Some(Op::BinLC { f, a, c }) if *c as i32 as i64 as u64 == *c => {
                    Some(Op::JumpIfLC {
                        f: *f,
                        a: *a,
                        c: *c as i32,
                        to,
                        if_zero,
                    })
                }
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.pop();
                return op;
            }
        }
        if if_zero {
            Op::JumpIfNot { to }
        } else {
            Op::JumpIf { to }
        }
    }

    /// A scalar load or store of memory 0 with 32-bit addresses, as a fast
    /// op.
    fn memory_op(&mut self, i: &Instr) -> Option<Op> {
        let m = i.memarg()?;
        if m.memory != 0 || self.env.memories.first() != Some(&AddrType::I32) {
            return None;
        }
        // Validation bounds a 32-bit memory's offsets by 2^32.
        let offset = u32::try_from(m.offset).ok()?;
        match i {
            Instr::V128Load { .. } => {
                if let Some((a, shift)) = self.take_operand(0, true) {
                    return Some(Op::V128LoadL { shift, a, offset });
                }
                // A base plus an index, both locals.
                if self.last_fusable(1)
                    && let Some(&Op::BinLL {
                        f: BinFn::I32Add,
                        a,
                        b,
                    }) = self.ops.last()
                {
                    self.ops.pop();
                    return Some(Op::V128LoadLL { a, b, offset });
                }
                return Some(Op::V128Load { offset });
            }
            Instr::V128Store { .. } => return Some(Op::V128Store { offset }),
            _ => {}
        }
        if let Some(f) = crate::ops::mem::load_fn(i) {
            // The address from a `local.get`, or a local shifted by a
            // constant (an index scaled to the element size).
            if let Some((a, shift)) = self.take_operand(0, true) {
                return Some(Op::LoadL {
                    f,
                    shift,
                    a,
                    offset,
                });
            }
            // A local base plus an index (scaled by a constant or not).
            if self.last_fusable(1)
                && let Some(
                    &(Op::BinLR {
                        f: BinFn::I32Add,
                        a,
                    }
                    | Op::BinL {
                        f: BinFn::I32Add,
                        b: a,
                    }),
                ) = self.ops.last()
            {
                self.ops.pop();
                let mut shift = 0;
                if self.last_fusable(1)
                    && let Some(&Op::BinC {
                        f: BinFn::I32Shl,
                        c,
                    }) = self.ops.last()
                {
                    self.ops.pop();
                    shift = (c & 31) as u8;
                }
                return Some(Op::LoadB {
                    f,
                    shift,
                    a,
                    offset,
                });
            }
            // An address shifted by a constant (a scaled index).
            if self.last_fusable(1)
                && let Some(&Op::BinC {
                    f: BinFn::I32Shl,
                    c,
                }) = self.ops.last()
            {
                self.ops.pop();
                return Some(Op::Load {
                    f,
                    shift: (c & 31) as u8,
                    offset,
                });
            }
            return Some(Op::Load {
                f,
                shift: 0,
                offset,
            });
        }
        let f = crate::ops::mem::store_fn(i)?;
        // The address (below the value) as for loads.
        if let Some((a, shift)) = self.take_operand(1, true) {
            // A constant or local value too.
            if self.last_fusable(1) {
                match *self.ops.last()? {
                    Op::Const { bits } if bits as i32 as i64 as u64 == bits => {
                        self.ops.pop();
                        return Some(Op::StoreLC {
                            f,
                            shift,
                            a,
                            offset,
                            c: bits as i32,
                        });
                    }
                    // An operator's result on a local and a constant (a
                    // byte of a shifted value), where a specialized op
                    // does it all.
                    Op::BinLC { f: g, a: v, c } if shift == 0 && c as i32 as i64 as u64 == c => {
                        if let (Ok(a), Ok(v)) = (u16::try_from(a), u16::try_from(v)) {
                            let op = Op::StoreLBin {
                                store: f,
                                f: g,
                                a,
                                v,
                                c: c as i32,
                                offset,
                            };
                            if specialize(&op).is_some() {
                                self.ops.pop();
                                return Some(op);
                            }
                        }
                    }
                    Op::LocalGet { off: v } => {
                        self.ops.pop();
                        return Some(Op::StoreLL {
                            f,
                            shift,
                            a,
                            offset,
                            v,
                        });
                    }
                    _ => {}
                }
            }
            return Some(Op::StoreL {
                f,
                shift,
                a,
                offset,
            });
        }
        Some(Op::Store { f, offset })
    }

    fn constant(&mut self, bits: u64) {
        self.push(1);
        self.emit(Op::Const { bits });
    }
}

/// The op that executes an instruction by its AST form, by the module that
/// implements it.
fn classify(i: &Instr) -> Op {
    use Instr::*;
    let simd = i.feature() == Features::SIMD || i.feature() == Features::RELAXED_SIMD;
    let access = i.memarg().is_some()
        || matches!(
            i,
            MemorySize { .. }
                | MemoryGrow { .. }
                | MemoryInit { .. }
                | MemoryCopy { .. }
                | MemoryFill { .. }
                | DataDrop { .. }
                | TableGet { .. }
                | TableSet { .. }
                | TableSize { .. }
                | TableGrow { .. }
                | TableFill { .. }
                | TableCopy { .. }
                | TableInit { .. }
                | ElemDrop { .. }
                | RefIsNull
                | RefAsNonNull
                | RefEq
                | AtomicFence { .. }
        );
    match i {
        I32Eqz => Op::I32Eqz,
        _ if let Some(f) = crate::ops::simd::simd_bin(i) => Op::SimdBin { f },
        _ if access => Op::Access(Box::new(i.clone())),
        _ if simd => Op::Simd(Box::new(i.clone())),
        _ => Op::Num(Box::new(i.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::{CompositeType, SubType};

    /// Translates one function of type `[i32 i32] -> [i32]` with `body`.
    fn translate_body(body: Vec<Instr>) -> Code {
        let mut m = Module::default();
        let ty = FuncType {
            params: vec![ValType::I32, ValType::I32],
            results: vec![ValType::I32],
        };
        m.push_rec_group([SubType::plain(CompositeType::Func(ty))], false);
        let body = m.push_expr(body);
        m.funcs.push(Func {
            ty: 0,
            locals: vec![weft_ast::Locals {
                count: 1,
                ty: ValType::V128,
            }],
            body,
        });
        let env = Env {
            module: &m,
            func_types: &[0],
            globals: &[],
            memories: &[],
            tags: &[],
        };
        translate(&env, &m.funcs[0], 0).expect("translates")
    }

    /// The ops of the first function of a text module.
    fn ops_of(text: &str) -> Vec<String> {
        let m = weft_parser::parse(&wat::parse_str(text).expect("wat")).expect("parses");
        let env = Env {
            module: &m,
            func_types: &[0],
            globals: &[],
            memories: &[AddrType::I32],
            tags: &[],
        };
        let code = translate(&env, &m.funcs[0], 0).expect("translates");
        code.ops
            .iter()
            .map(|o| {
                let s = format!("{o:?}");
                s.split([' ', '(']).next().unwrap_or_default().to_string()
            })
            .collect()
    }

    /// The ops of the first function of a text module, as `Debug` shows
    /// them.
    fn debug_ops(text: &str) -> Vec<String> {
        let m = weft_parser::parse(&wat::parse_str(text).expect("wat")).expect("parses");
        let env = Env {
            module: &m,
            func_types: &[0],
            globals: &[],
            memories: &[AddrType::I32],
            tags: &[],
        };
        let code = translate(&env, &m.funcs[0], 0).expect("translates");
        code.ops.iter().map(|o| format!("{o:?}")).collect()
    }

    /// The operand a fused op takes from a `local.get` is looked for among
    /// the last few ops only: a scan back over the whole body for every
    /// operator made translation quadratic in the operand stack's depth.
    #[test]
    fn operand_producers_are_looked_for_a_bounded_way_back() {
        // `local.get 0`, then a pure expression of `n` constant additions,
        // then the operator taking both.
        let body = |n: usize| {
            let mut body = vec![Instr::LocalGet { local: 0 }, Instr::I32Const { value: 1 }];
            for _ in 0..n {
                body.extend([Instr::I32Const { value: 1 }, Instr::I32Add]);
            }
            body.extend([Instr::I32Add, Instr::Return, Instr::End]);
            body
        };
        // Whether the last operator reads local 0 itself (an `LR` shape:
        // `BinLR`, or its specialized `I32AddLR...` forms).
        let reads_the_local = |n: usize| {
            let code = translate_body(body(n));
            let ops: Vec<String> = code.ops.iter().map(|o| format!("{o:?}")).collect();
            (ops.iter().any(|o| o.contains("LR")), ops)
        };
        // A few ops back: the local is read by the operator itself.
        let (yes, ops) = reads_the_local(3);
        assert!(yes, "{ops:?}");
        // Beyond the window: the operator takes both operands from the stack.
        let (yes, ops) = reads_the_local(PRODUCER_WINDOW + 4);
        assert!(!yes, "{ops:?}");
    }

    /// A body of a million constants summed by as many additions (an
    /// operand stack a million deep) translates: every step is linear.
    #[test]
    fn a_million_deep_operand_stack_translates() {
        let n = 1_000_000;
        let mut body = vec![Instr::I32Const { value: 1 }; n];
        body.extend(std::iter::repeat_n(Instr::I32Add, n - 1));
        body.extend([Instr::Return, Instr::End]);
        let code = translate_body(body);
        assert!(code.max_height as usize >= n);
    }

    #[test]
    fn typical_loops_take_few_ops() {
        let ops = ops_of(
            r#"(module (memory 1) (func (param i32) (result i32) (local i32 i32)
                (block $b (loop $l
                  (br_if $b (i32.eqz (local.get 0)))
                  (local.set 1 (i32.add (local.get 1) (i32.xor (local.get 0) (i32.const 0x55))))
                  (i32.store (local.get 1) (i32.add (i32.load (local.get 1)) (local.get 2)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br $l)))
                (local.get 1)))"#,
        );
        assert_eq!(
            ops,
            [
                // The jump back is the head's exit test, inverted.
                "JumpIfL",
                // An accumulator pair: the xor hands its result to the add
                // in a register.
                "I32XorLCAcc",
                "I32AddAccLRSet",
                "LoadLU32",
                "I32AddL",
                "StoreLU32",
                "I32SubLCSet",
                "JumpIfL",
                "ReturnLocal",
                "Return"
            ]
        );
    }

    #[test]
    fn accumulator_pairs_form_only_where_no_branch_lands_between() {
        // `h = (h ^ x) * c`: the xor hands its result to the multiply.
        let ops = ops_of(
            r#"(module (func (param i32) (result i32) (local i32)
                (local.set 1 (i32.mul (i32.xor (local.get 1) (local.get 0)) (i32.const 7)))
                (local.get 1)))"#,
        );
        assert_eq!(
            ops,
            ["I32XorLLAcc", "I32MulAccCSet", "ReturnLocal", "Return"]
        );
        // The multiply heads a loop, which a branch reaches with a value
        // from elsewhere: no pair.
        let ops = ops_of(
            r#"(module (func (param i32) (result i32) (local i32)
                local.get 0
                i32.const 5
                i32.xor
                loop $l (param i32)
                  i32.const 3
                  i32.mul
                  local.set 1
                  (br_if $l (local.get 1) (i32.lt_u (local.get 1) (i32.const 100)))
                  drop
                end
                local.get 1))"#,
        );
        assert!(ops.contains(&"I32XorLC".to_string()), "{ops:?}");
        assert!(ops.contains(&"I32MulCSet".to_string()), "{ops:?}");
    }

    #[test]
    fn a_load_into_a_local_hands_it_to_the_jump_that_tests_it() {
        // `t = a[j]; if (t < pivot) ...` and `if (pivot > t)`: the load
        // sets `t` and hands it over; the second jump's comparison is
        // mirrored to take the accumulator as its left operand.
        let text = |test: &str| {
            format!(
                r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                    (local.set 2 (i32.load (i32.shl (local.get 0) (i32.const 2))))
                    (if {test} (then (return (i32.const 1))))
                    (local.get 2)))"#
            )
        };
        for (test, jump) in [
            (
                "(i32.lt_s (local.get 2) (local.get 1))",
                "I32GeSAccJumpLL(JumpLL { a: 2, b: 1, to: 4 })",
            ),
            (
                "(i32.gt_u (local.get 1) (local.get 2))",
                "I32GeUAccJumpLL(JumpLL { a: 2, b: 1, to: 4 })",
            ),
        ] {
            let ops = debug_ops(&text(test));
            assert_eq!(
                ops[..2],
                [
                    "LoadLSetAccU32(LoadLSet { shift: 2, a: 0, offset: 0, d: 2 })",
                    jump
                ],
                "{test}"
            );
        }
        // A test of another local, or one that a branch reaches: no pair.
        let ops = ops_of(&text("(i32.lt_s (local.get 0) (local.get 1))"));
        assert_eq!(ops[..2], ["LoadLSetU32", "I32GeSJumpLL"]);
        let ops = ops_of(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                (block $b
                  (br_if $b (local.get 1))
                  (local.set 2 (i32.load (local.get 0))))
                (if (i32.lt_s (local.get 2) (local.get 1)) (then (return (i32.const 1))))
                (local.get 2)))"#,
        );
        assert!(ops.contains(&"LoadLSetU32".to_string()), "{ops:?}");
        assert!(!ops.iter().any(|o| o.contains("Acc")), "{ops:?}");
    }

    #[test]
    fn an_operator_takes_a_loaded_operand_in_one_op() {
        // `h ^ a[i]` pushed, `sum += a[i]` into a local, and an LCG step:
        // one op each.
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i64)
                (local.set 2 (i64.add (local.get 2) (i64.load8_u offset=3 (local.get 0))))
                (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 1103515245)) (i32.const 12345)))
                (i32.xor (local.get 1) (i32.load (i32.shl (local.get 0) (i32.const 2))))))"#,
        );
        assert_eq!(
            ops,
            [
                "I64AddLLoadSetU8(LLoadSet { a: 2, b: 0, d: 2, shift: 0, offset: 3 })",
                "I32MulAddLCCSet { a: 1, d: 1, c1: 1103515245, c2: 12345 }",
                // Its result goes to the return in the accumulator.
                "I32XorLLoadAccU32(LLoad { a: 1, b: 0, shift: 2, offset: 0 })",
                "ReturnAcc",
            ]
        );
        // `h = (h ^ a[i]) * c`: the loaded operand's result goes to the
        // multiply in the accumulator.
        let ops = ops_of(
            r#"(module (memory 1) (func (param i32 i32) (result i32)
                (local.set 1 (i32.mul (i32.xor (local.get 1) (i32.load8_u (local.get 0))) (i32.const 7)))
                (local.get 1)))"#,
        );
        assert_eq!(
            ops,
            ["I32XorLLoadAccU8", "I32MulAccCSet", "ReturnLocal", "Return"]
        );
        // No specialized op for a multiply by a loaded value: the load and
        // the operator stay apart.
        let ops = ops_of(
            r#"(module (memory 1) (func (param i32 i32) (result i32)
                (i32.mul (local.get 1) (i32.load (local.get 0)))))"#,
        );
        assert_eq!(ops, ["LoadLU32", "I32MulLRAcc", "ReturnAcc"]);
    }

    #[test]
    fn a_store_of_a_shifted_local_is_one_op() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32)
                (i32.store8 offset=1 (local.get 0) (i32.shr_u (local.get 1) (i32.const 16)))
                (i32.store (local.get 0) (i32.shr_s (local.get 1) (i32.const 8)))
                (i32.store (i32.shl (local.get 0) (i32.const 2)) (i32.shr_s (local.get 1) (i32.const 8)))
                (i32.store8 (local.get 0) (i32.mul (local.get 1) (i32.const 3)))
                (local.get 0)))"#,
        );
        assert_eq!(
            ops[..2],
            [
                "I32ShrUStoreLBinU8(StoreLBin { a: 0, v: 1, c: 16, offset: 1 })",
                "I32ShrSStoreLBinU32(StoreLBin { a: 0, v: 1, c: 8, offset: 0 })",
            ]
        );
        // A scaled address, or an operator without such an op: two ops
        // (an accumulator pair).
        let names: Vec<&str> = ops[2..6]
            .iter()
            .map(|o| o.split(['(', ' ']).next().unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            ["I32ShrSLCAcc", "StoreLAccU32", "I32MulLCAcc", "StoreLAccU8"]
        );
    }

    #[test]
    fn a_local_returned_right_away_is_returned_from_its_slot() {
        let ops = ops_of(
            r#"(module (func (param i32) (result i32)
                (if (i32.lt_u (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                (local.get 0)))"#,
        );
        assert_eq!(
            ops,
            [
                "I32GeUJumpLC",
                "ReturnLocal",
                "Return",
                "ReturnLocal",
                "Return"
            ]
        );
        // Not with two results.
        let ops =
            ops_of(r#"(module (func (param i32) (result i32 i32) (local.get 0) (local.get 0)))"#);
        assert_eq!(ops, ["LocalGet", "LocalGet", "Return"]);
    }

    #[test]
    fn a_counted_loop_steps_and_tests_in_one_op() {
        let text = r#"(module (memory 1) (func (param i32) (result i32) (local i32)
            (block $b (loop $l
              (br_if $b (i32.ge_u (local.get 1) (local.get 0)))
              (i32.store8 (local.get 1) (i32.const 1))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br $l)))
            (local.get 1)))"#;
        let ops = debug_ops(text);
        assert_eq!(
            ops,
            [
                "I32GeUJumpLL(JumpLL { a: 1, b: 0, to: 4 })",
                "StoreLCU8(StoreLC { shift: 0, a: 1, offset: 0, c: 1 })",
                // Adds 1 to local 1 and jumps back while it is below local
                // 0; falling through skips the next op, the unfused test.
                "I32AddJumpLtU(Step { x: 1, b: 0, c: 1, to: 1 })",
                "I32LtUJumpLL(JumpLL { a: 1, b: 0, to: 1 })",
                "ReturnLocal { off: 1 }",
                "Return",
            ]
        );
        // A branch to the test keeps the step apart.
        let ops = ops_of(
            r#"(module (func (param i32) (result i32) (local i32)
                (block $b (loop $l
                  (br_if $b (i32.ge_s (local.get 1) (local.get 0)))
                  (if (local.get 0) (then (local.set 1 (i32.add (local.get 1) (i32.const 2)))))
                  (br $l)))
                (local.get 1)))"#,
        );
        assert!(!ops.iter().any(|o| o.starts_with("I32AddJump")), "{ops:?}");
    }

    #[test]
    fn a_loop_stepped_by_a_local_steps_and_tests_in_one_op() {
        // A sieve's inner loop, `j += i` written either way round.
        for sum in ["(local.get 2) (local.get 1)", "(local.get 1) (local.get 2)"] {
            let ops = debug_ops(&format!(
                r#"(module (memory 1) (func (param i32 i32) (local i32)
                    (block $b (loop $l
                      (br_if $b (i32.ge_s (local.get 2) (local.get 0)))
                      (i32.store8 (local.get 2) (i32.const 0))
                      (local.set 2 (i32.add {sum}))
                      (br $l)))))"#
            ));
            assert_eq!(
                ops[..4],
                [
                    "I32GeSJumpLL(JumpLL { a: 2, b: 0, to: 4 })",
                    "StoreLCU8(StoreLC { shift: 0, a: 2, offset: 0, c: 0 })",
                    "I32AddLJumpLtS(StepL { x: 2, b: 0, y: 1, to: 1 })",
                    "I32LtSJumpLL(JumpLL { a: 2, b: 0, to: 1 })",
                ],
                "{sum}"
            );
        }
        // A sum into a third local is no step.
        let ops = ops_of(
            r#"(module (func (param i32 i32) (local i32)
                (block $b (loop $l
                  (br_if $b (i32.ge_u (local.get 2) (local.get 0)))
                  (local.set 2 (i32.add (local.get 0) (local.get 1)))
                  (br $l)))))"#,
        );
        assert!(!ops.iter().any(|o| o.starts_with("I32AddLJump")), "{ops:?}");
    }

    #[test]
    fn scaled_local_addresses_fuse_into_loads_and_stores() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                (local.set 2 (i32.load (i32.shl (local.get 0) (i32.const 2))))
                (i32.store (i32.shl (local.get 1) (i32.const 2))
                  (i32.load offset=4 (i32.shl (local.get 0) (i32.const 2))))
                (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 2))
                (i32.store (local.get 1) (i32.add (local.get 2) (local.get 0)))
                (i32.store (i32.shl (local.get 1) (i32.const 34)) (i32.const 7))
                (local.get 2)))"#,
        );
        assert_eq!(
            ops,
            [
                "LoadLSetU32(LoadLSet { shift: 2, a: 0, offset: 0, d: 2 })",
                "LoadLU32(LoadL { shift: 2, a: 0, offset: 4 })",
                "StoreLU32(StoreL { shift: 2, a: 1, offset: 0 })",
                "StoreLLU32(StoreLL { shift: 2, a: 0, offset: 0, v: 2 })",
                // The stored value comes in the accumulator.
                "I32AddLLAcc(LL { a: 2, b: 0 })",
                "StoreLAccU32(StoreL { shift: 0, a: 1, offset: 0 })",
                // The shift is taken modulo 32, as `i32.shl` does.
                "StoreLCU32(StoreLC { shift: 2, a: 1, offset: 0, c: 7 })",
                "ReturnLocal { off: 2 }",
                "Return",
            ]
        );
    }

    #[test]
    fn memory_ops_of_common_widths_are_specialized() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                (i64.store (local.get 0) (i64.load (local.get 1)))
                (i32.load16_u (local.get 1))))"#,
        );
        assert_eq!(
            ops,
            [
                "LoadLU64(LoadL { shift: 0, a: 1, offset: 0 })",
                "StoreLU64(StoreL { shift: 0, a: 0, offset: 0 })",
                // Other widths keep the generic op.
                "LoadL { f: U16, shift: 0, a: 1, offset: 0 }",
                "Return",
            ]
        );
    }

    #[test]
    fn a_vector_dot_product_step_is_one_op() {
        for (lanes, op) in [
            ("i32x4", "I32x4MulAddLRSet { a: 2, d: 2 }"),
            ("f32x4", "F32x4MulAddLRSet { a: 2, d: 2 }"),
            ("f64x2", "F64x2MulAddLRSet { a: 2, d: 2 }"),
        ] {
            let text = r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
                (local.set 2
                  (LANES.add (local.get 2)
                    (LANES.mul (v128.load (local.get 0)) (v128.load (local.get 1)))))
                (local.get 0)))"#;
            let ops = debug_ops(&text.replace("LANES", lanes));
            assert_eq!(ops[2], op, "{lanes}");
            assert_eq!(ops.len(), 5, "{ops:?}");
        }
        // Lanes of different shapes are two ops.
        let ops = ops_of(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
                (local.set 2
                  (i16x8.add (local.get 2)
                    (i32x4.mul (v128.load (local.get 0)) (v128.load (local.get 1)))))
                (local.get 0)))"#,
        );
        assert_eq!(ops[2..4], ["I32x4MulS", "I16x8AddLRSet"]);
    }

    #[test]
    fn vector_accumulators_stay_in_their_local() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
                (local.set 2
                  (i32x4.add (local.get 2)
                    (i32x4.sub (v128.load (local.get 0))
                      (v128.load offset=16 (i32.shl (local.get 1) (i32.const 4))))))
                (local.set 2
                  (f64x2.sub (local.get 2)
                    (i16x8.add_sat_s (v128.load (i32.add (local.get 0) (local.get 1)))
                      (v128.load (i32.add (local.get 0) (i32.const 1))))))
                (local.get 0)))"#,
        );
        assert_eq!(
            ops,
            [
                "V128LoadL { shift: 0, a: 0, offset: 0 }",
                "V128LoadL { shift: 4, a: 1, offset: 16 }",
                // Common lane operators have an op of their own per shape.
                "I32x4SubS(VecS)",
                // acc = acc + top, without pushing the local or popping into it.
                "I32x4AddLRSet(VecLRSet { a: 2, d: 2 })",
                // Not fused across the AST-form op below.
                "LocalGet2 { off: 2 }",
                // A base plus an index.
                "V128LoadLL { a: 0, b: 1, offset: 0 }",
                "I32AddLC(LC { a: 0, c: 1 })",
                "V128Load { offset: 0 }",
                // Other operators run by their AST form.
                "Simd(I16x8AddSatS)",
                "F64x2SubS(VecS)",
                "LocalSet2 { off: 2 }",
                "ReturnLocal { off: 0 }",
                "Return",
            ]
        );
    }

    #[test]
    fn row_major_indexing_and_dot_products_take_few_ops() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32 f64)
                (local.set 3
                  (f64.add (local.get 3)
                    (f64.mul
                      (f64.load (i32.shl (i32.add (i32.mul (local.get 0) (local.get 1))
                                                  (local.get 2))
                                         (i32.const 3)))
                      (f64.load offset=8 (local.get 2)))))
                (local.get 0)))"#,
        );
        assert_eq!(
            ops,
            [
                "I32MulAddLLL { a: 0, b: 1, c: 2 }",
                // The shift of the index is the load's.
                "LoadU64(Load { shift: 3, offset: 0 })",
                "LoadLU64(LoadL { shift: 0, a: 2, offset: 8 })",
                // sum = sum + x * y, both roundings kept.
                "F64MulAddLRSet { a: 3, d: 3 }",
                "ReturnLocal { off: 0 }",
                "Return",
            ]
        );
    }

    #[test]
    fn unary_operators_run_as_one_op_with_a_local_operand() {
        let ops = debug_ops(
            r#"(module (func (param i32 i32) (result i32) (local i64 f64)
                (local.set 2 (i64.extend_i32_s (local.get 0)))
                (local.set 3 (f64.sqrt (f64.convert_i32_u (local.get 1))))
                (drop (f32.reinterpret_i32 (local.get 0)))
                (i32.wrap_i64 (i64.popcnt (local.get 2)))))"#,
        );
        assert_eq!(
            ops,
            [
                "UnL { f: I64ExtendI32S, a: 0 }",
                "LocalSet { off: 2 }",
                "UnL { f: F64ConvertI32U, a: 1 }",
                "Un { f: F64Sqrt }",
                "LocalSet { off: 3 }",
                // A reinterpretation keeps the bits: no op.
                "LocalGet { off: 0 }",
                "Drop { slots: 1 }",
                "UnL { f: I64Popcnt, a: 2 }",
                "Un { f: I32WrapI64 }",
                "Return",
            ]
        );
    }

    #[test]
    fn loads_at_a_base_plus_a_scaled_index_take_one_op() {
        let ops = debug_ops(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                (local.set 2 (i32.load offset=8
                  (i32.add (local.get 0) (i32.shl (i32.mul (local.get 1) (local.get 1)) (i32.const 2)))))
                (i64.load (i32.add (i32.xor (local.get 1) (local.get 2)) (local.get 0)))
                (drop)
                (i32.load8_u (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))))"#,
        );
        assert_eq!(
            ops,
            [
                "I32MulLL(LL { a: 1, b: 1 })",
                "LoadBU32(LoadB { shift: 2, a: 0, offset: 8 })",
                "LocalSet { off: 2 }",
                "I32XorLL(LL { a: 1, b: 2 })",
                // The base on either side of the add.
                "LoadBU64(LoadB { shift: 0, a: 0, offset: 0 })",
                "Drop { slots: 1 }",
                "I32AddLL(LL { a: 1, b: 2 })",
                "LoadBU8(LoadB { shift: 0, a: 0, offset: 0 })",
                "Return",
            ]
        );
    }

    #[test]
    fn a_jump_to_the_return_returns() {
        let ops = debug_ops(
            r#"(module (func (param i32) (result i32)
                (if (result i32) (local.get 0)
                  (then (i32.const 1))
                  (else (i32.const 2)))))"#,
        );
        assert_eq!(
            ops,
            [
                "JumpIfL { off: 0, to: 3, if_zero: true }",
                "Const { bits: 1 }",
                // Was `Jump { to: 4 }`.
                "Return",
                "Const { bits: 2 }",
                "Return",
            ]
        );
    }

    #[test]
    fn specialized_ops_map_back_to_their_generic_form() {
        use crate::ops::mem::{LoadFn, StoreFn};
        use crate::ops::simd::SimdBinFn;
        let ops = [
            Op::BinLCSet {
                f: BinFn::I32Add,
                a: 1,
                c: -3,
                d: 2,
            },
            Op::JumpIfLL {
                f: BinFn::I32LtS,
                a: 1,
                b: 2,
                to: 7,
                if_zero: false,
            },
            Op::Load {
                f: LoadFn::U32,
                shift: 2,
                offset: 8,
            },
            Op::LoadB {
                f: LoadFn::U64,
                shift: 3,
                a: 4,
                offset: 0,
            },
            Op::LoadLSet {
                f: LoadFn::U8,
                shift: 0,
                a: 1,
                offset: 5,
                d: 3,
            },
            Op::StoreLC {
                f: StoreFn::U32,
                shift: 2,
                a: 1,
                offset: 4,
                c: -1,
            },
            Op::SimdBin {
                f: SimdBinFn::I32x4Mul,
            },
            Op::SimdBinLRSet {
                f: SimdBinFn::F64x2Add,
                a: 2,
                d: 4,
            },
        ];
        for op in ops {
            let special = specialize(&op).unwrap_or_else(|| panic!("{op:?} is specialized"));
            assert_ne!(format!("{special:?}"), format!("{op:?}"));
            let back = generic(&special).expect("specialized ops have a generic form");
            assert_eq!(format!("{back:?}"), format!("{op:?}"));
        }
        // A local offset beyond the shapes' 16 bits keeps the generic op.
        let wide = Op::LoadL {
            f: LoadFn::U32,
            shift: 0,
            a: 70_000,
            offset: 0,
        };
        assert!(specialize(&wide).is_none());
        // So do widths and operators without specialized ops.
        assert!(
            specialize(&Op::Load {
                f: LoadFn::U16,
                shift: 0,
                offset: 0
            })
            .is_none()
        );
        // A byte access is specialized only unshifted: its ops take no shift.
        let load = |shift| Op::LoadL {
            f: LoadFn::U8,
            shift,
            a: 1,
            offset: 0,
        };
        assert!(matches!(specialize(&load(0)), Some(Op::LoadLU8(_))));
        assert!(specialize(&load(2)).is_none());
        let store = |shift| Op::StoreLC {
            f: StoreFn::U8,
            shift,
            a: 1,
            offset: 0,
            c: 7,
        };
        assert!(matches!(specialize(&store(0)), Some(Op::StoreLCU8(_))));
        assert!(specialize(&store(3)).is_none());
    }

    #[test]
    fn ops_stay_small() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
    }

    #[test]
    fn frame_layout_counts_slots() {
        let code = translate_body(vec![Instr::LocalGet { local: 0 }, Instr::End]);
        assert_eq!(code.param_slots, 2);
        assert_eq!(code.local_slots, 4, "the v128 local takes two slots");
        assert_eq!(code.result_slots, 1);
        assert_eq!(code.max_height, 5);
    }

    #[test]
    fn branches_are_resolved_with_their_stack_moves() {
        use Instr::*;
        // (block (result i32) (i32.const 1) (i32.const 2) (br_if 0 (local.get 0)) drop)
        let code = translate_body(vec![
            Block {
                ty: BlockType::Val(ValType::I32),
            },
            I32Const { value: 1 },
            I32Const { value: 2 },
            LocalGet { local: 0 },
            BrIf { label: 0 },
            Drop,
            End,
            End,
        ]);
        let ops: Vec<String> = code.ops.iter().map(|o| format!("{o:?}")).collect();
        assert_eq!(
            ops,
            [
                "Const { bits: 1 }",
                "Const { bits: 2 }",
                "LocalGet { off: 0 }",
                // Taken, it keeps the top slot and moves it to height 4 (just
                // above the locals), then jumps to the block's end.
                "BrIf(Target { to: 5, base: 4, keep: 1 })",
                "Drop { slots: 1 }",
                "Return",
            ]
        );
    }

    #[test]
    fn fusion_never_crosses_a_branch_target() {
        use Instr::*;
        // local.get 0; loop (result i32): the loop's first op is a branch
        // target, so the `local.get 0` before it stays separate.
        let code = translate_body(vec![
            LocalGet { local: 0 },
            Loop {
                ty: BlockType::Val(ValType::I32),
            },
            LocalGet { local: 1 },
            End,
            I32Add,
            End,
        ]);
        assert!(matches!(code.ops[0], Op::LocalGet { off: 0 }));
        assert!(matches!(code.ops[1], Op::LocalGet { off: 1 }));
        assert!(matches!(code.ops[2], Op::I32AddS(_)), "{:?}", code.ops);
        // Without the loop the three fuse into one op (which hands its
        // result to the return in the accumulator).
        let code = translate_body(vec![
            LocalGet { local: 0 },
            LocalGet { local: 1 },
            I32Add,
            End,
        ]);
        assert!(matches!(
            code.ops[0],
            Op::I32AddLLAcc(shape::LL { a: 0, b: 1 })
        ));
        assert!(matches!(code.ops[1], Op::ReturnAcc));
        assert_eq!(code.ops.len(), 2);
    }

    #[test]
    fn dead_code_is_skipped() {
        use Instr::*;
        let code = translate_body(vec![
            LocalGet { local: 0 },
            Return,
            I32Add,
            Block {
                ty: BlockType::Empty,
            },
            Drop,
            End,
            End,
        ]);
        assert_eq!(code.ops.len(), 3, "{:?}", code.ops);
    }
}
