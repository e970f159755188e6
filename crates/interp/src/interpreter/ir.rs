//! The interpreter's internal form: register code over the frame's slots.
//!
//! Every operand is a frame slot, named by its index from the frame
//! pointer: the parameters and declared locals first, then one slot per
//! operand-stack position at its static height (a `v128` takes two). The
//! translator keeps each value where it already is: `local.get` and
//! constants produce no op, an operator reads the local (or takes the
//! constant as an immediate), and its result goes straight into the local
//! that a following `local.set` names. So an op does one instruction's
//! work and no data movement, and most `local.*` and `*.const`
//! instructions cost nothing.
//!
//! Operators and memory widths are fields of a few op shapes (`Bin`,
//! `BinI`, `Un`, `Load`, `Store`, `JumpCmp`, ...): the lists of operators
//! (`ops::num::for_each_bin_fn` and its kin) are declared once, and the
//! executor makes one handler per shape and operator from them by
//! const-generic instantiation. Each op is stored with its handler
//! (`Inst`), so that dispatch is one load and every op kind has an
//! indirect jump of its own. A value produced by one op for the next only
//! goes between them in the accumulator, a handler argument (`ACC`). Rare instructions keep the AST's form
//! (`Num`, `Simd`, `Access`, `Gc`), with the stack height where their
//! operands sit: their semantics are written once, in `crate::ops`, on the
//! value stack, and the frame's stack slots are that stack.

use weft_ast::Instr;

use crate::ops::mem::{LoadFn, StoreFn};
use crate::ops::num::{BinFn, TrapFn, UnFn};
use crate::ops::simd::SimdBinFn;

/// The accumulator, named where an operand or result slot goes: a value
/// that one op produces and only the next op reads travels between their
/// handlers in a machine register (a handler argument) rather than through
/// a frame slot, as most operator results of stack code do (`local.get;
/// i32.const; i32.add; i32.load`). An op that names it as its result
/// (`d`) leaves the value there; an op that names it as an operand reads it
/// there. The translator's last pass (`translate::accumulate`) makes such
/// pairs from ops that wrote a stack slot the next op reads: only between
/// neighbours that no branch enters in between, so that the accumulator is
/// never live across a jump, a call, a return or a stop of the handler
/// chain. Which fields may name it: the result `d` of `Bin`, `BinI`,
/// `BinK`, `Un` and `Load`; one operand at most of `Bin`, `BinI`, `BinK`,
/// `Un`, `Load`, `Store` (address or value), `JumpIf`, `JumpIfNot`,
/// `JumpCmp`, `JumpCmpI`, `JumpCmpK`, `JumpNotOrd` and `JumpNotOrdK` (the
/// 16-bit fields by `ACC16`). Their handler tables have a form per case,
/// made from the operator lists by const-generic instantiation.
pub(crate) const ACC: u32 = u32::MAX;

/// `ACC` in a 16-bit field (`BinK`'s `d` and `a`, `JumpCmpK`'s and
/// `JumpNotOrdK`'s `a`): the translator gives those ops only slots below
/// it.
pub(crate) const ACC16: u16 = u16::MAX;

/// A resolved branch that carries values: `n` slots move from `src` down
/// to `dst` (frame slots), then execution goes on at op `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Index of the next op to execute.
    pub to: u32,
    /// Where the kept values are (the first slot).
    pub src: u32,
    /// Where they go: the target block's result (or loop parameter) slots.
    pub dst: u32,
    /// How many slots move.
    pub n: u32,
}

/// One step of the internal form. Slot operands are frame slot indices;
/// an i32 in a slot is zero-extended to 64 bits. The `to` of the jump ops
/// (`Jump`, `JumpIf`, `JumpIfMove`, `JumpIfNot`, `JumpCmp`, `JumpCmpI`, `JumpCmpK`, `JumpNotOrd`, `JumpNotOrdK`) is the target's
/// distance from the jump in ops (negative backward): a jump
/// finds its target from its own address, without loading the code's op
/// base, and its direction, known when translated, picks its handler (only
/// backward jumps charge fuel). The translator writes the absolute index
/// while it works and makes it relative as its last step
/// (`translate::relative_jumps`).
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// Trap with `unreachable`.
    Unreachable,
    /// Go on at the op `to` ops away.
    Jump { to: i32 },
    /// Jump by `to` if the i32 in `c` is not zero.
    JumpIf { c: u32, to: i32 },
    /// Jump by `to` if the i32 in `c` is not zero, first copying slot `s`
    /// to slot `d`: a `br_if` that carries one value from where it is (a
    /// local, or a stack slot other than the label's), with no copy on the
    /// path that falls through. 16-bit slots keep the op's size; beyond
    /// them the value goes home first and the branch is a `BrIf`.
    JumpIfMove { c: u32, s: u16, d: u16, to: i32 },
    /// Jump by `to` if the i32 in `c` is zero.
    JumpIfNot { c: u32, to: i32 },
    /// Jump by `to` if the comparison `f` of `a` and `b` holds.
    JumpCmp { f: BinFn, a: u32, b: u32, to: i32 },
    /// `JumpCmp` with `b` a constant (sign-extended for i64).
    JumpCmpI { f: BinFn, a: u32, imm: i32, to: i32 },
    /// `JumpCmp` with `b` a 64-bit constant (an `f64`, `f32` or large
    /// `i64`): the fused form of a `BinK` comparison, 16-bit `a` like it.
    JumpCmpK { f: BinFn, a: u16, k: u64, to: i32 },
    /// Jump by `to` if the float ordering `o` of `a` and `b` does not hold
    /// (is false, or an operand is NaN): an `if` on the comparison, which
    /// no other ordering expresses.
    JumpNotOrd {
        o: FloatOrd,
        a: u32,
        b: u32,
        to: i32,
    },
    /// `JumpNotOrd` with `b` a 64-bit constant, 16-bit `a` like `BinK`.
    JumpNotOrdK {
        o: FloatOrd,
        a: u16,
        k: u64,
        to: i32,
    },
    /// Take `targets[target]` (moving values).
    Br { target: u32 },
    /// Take `targets[target]` if the i32 in `c` is not zero.
    BrIf { c: u32, target: u32 },
    /// Take `targets[start + min(fp[index], len - 1)]`; the last of the
    /// `len` targets is the default.
    BrTable { index: u32, start: u32, len: u32 },
    /// Return the `Code::result_slots` slots at `base` (moved down to the
    /// frame's start, where the caller finds them).
    Return { base: u32 },
    /// Call a function of the instance by its index; its arguments are the
    /// slots from `base` on, which become the callee's frame (its results
    /// come back there).
    Call { func: u32, base: u32 },
    /// Call through table `table` with the index in `index` (a slot of
    /// the table's address type) and the arguments at `base`; `ty` is the
    /// module's type index.
    CallIndirect {
        ty: u32,
        base: u32,
        index: u32,
        table: u16,
    },
    /// Tail call a function of the instance, arguments at `base`.
    ReturnCall { func: u32, base: u32 },
    /// Tail call through a table.
    ReturnCallIndirect {
        ty: u32,
        base: u32,
        index: u32,
        table: u16,
    },
    /// Call the function reference in `r` (`null function reference` when
    /// null), arguments at `base`.
    CallRef { base: u32, r: u32 },
    /// Tail call the function reference in `r`.
    ReturnCallRef { base: u32, r: u32 },
    /// Take `targets[target]` if the reference in `r` is null (else it
    /// stays where it is).
    BrOnNull { r: u32, target: u32 },
    /// Take `targets[target]` if the reference in `r` is not null.
    BrOnNonNull { r: u32, target: u32 },
    /// Throw a new exception of the instance's tag, payload at `base`.
    Throw { tag: u32, base: u32 },
    /// Throw the exception referenced in `r`.
    ThrowRef { r: u32 },
    /// Throw again the exception whose reference is in the slot at `off`
    /// (a legacy catch's hidden slot).
    Rethrow { off: u32 },
    /// Take `targets[target]` if the reference in `r` belongs to
    /// `casts[cast]`, or if it does not when `fail`.
    BrOnCast {
        r: u32,
        target: u32,
        cast: u32,
        fail: bool,
    },
    /// `br_on_cast_desc_eq(_fail)`: as `BrOnCast`, comparing the
    /// reference's descriptor with the one in `r + 1` (custom descriptors).
    BrOnCastDesc {
        r: u32,
        target: u32,
        cast: u32,
        fail: bool,
    },
    /// `fp[d] = fp[s]`.
    Copy { d: u32, s: u32 },
    /// Two `Copy`s in a row, in order: `fp[d0] = fp[s0]`, then
    /// `fp[d1] = fp[s1]` (the locals a loop carries often change so, as
    /// in `a, b = b, a + b`). 16-bit slots keep the op's size; beyond
    /// them the copies stay apart.
    CopyPair { d0: u16, s0: u16, d1: u16, s1: u16 },
    /// Two slots (`v128`): `fp[d..d+2] = fp[s..s+2]`.
    Copy2 { d: u32, s: u32 },
    /// `fp[d] = bits`.
    Const { d: u32, bits: u64 },
    /// `select` of one-slot values read where they are: `fp[d] = fp[a]` if
    /// the i32 in `c` is not zero, else `fp[b]` (16-bit operand slots keep
    /// the op's size; beyond them, or for a `v128`, `Select`).
    SelectR { d: u32, a: u16, b: u16, c: u16 },
    /// `select` of values `w` slots wide: the first at `at`, the second at
    /// `at + w`, the i32 condition at `at + 2w`; the result at `at`.
    Select { at: u32, w: u32 },
    /// Read global `global` of the instance into `d` (and `d + 1` when
    /// `wide`, a `v128`).
    GlobalGet { d: u32, global: u32, wide: bool },
    /// Write `s` (and `s + 1` when `wide`) to global `global`.
    GlobalSet { s: u32, global: u32, wide: bool },
    /// A reference to function `func` of the instance into `d`.
    RefFunc { d: u32, func: u32 },
    /// `fp[d] = f(fp[a], fp[b])`.
    Bin { f: BinFn, d: u32, a: u32, b: u32 },
    /// `fp[d] = f(fp[a], imm)`, `imm` sign-extended to 64 bits.
    BinI { f: BinFn, d: u32, a: u32, imm: i32 },
    /// `fp[d] = f(imm, fp[b])`, `imm` sign-extended to 64 bits: a
    /// constant on the left of an operator that does not commute and has
    /// no mirror (`0 - x`, `1 << n`), which `BinI` cannot take.
    ImmBin { f: BinFn, d: u32, imm: i32, b: u32 },
    /// `fp[d] = f(fp[a], k)`: `BinI` for a 64-bit constant that no `i32`
    /// sign-extends to (an `f64` or a large `i64`), with 16-bit slots so
    /// that the op keeps its size; a frame slot beyond them takes a `Const`
    /// and a `Bin` instead.
    BinK { f: BinFn, d: u16, a: u16, k: u64 },
    /// `fp[d] = f(fp[a])`.
    Un { f: UnFn, d: u32, a: u32 },
    /// `fp[d] = f(fp[a], fp[b])`, or the operator's trap (`b` unused by
    /// the unary ones).
    Trapping { f: TrapFn, d: u32, a: u32, b: u32 },
    /// `fp[d] = f(memory 0 at fp[addr] + offset)`, for a 32-bit memory 0.
    Load {
        f: LoadFn,
        d: u32,
        addr: u32,
        offset: u32,
    },
    /// Memory 0 at `fp[addr] + offset` = `f(fp[val])`.
    Store {
        f: StoreFn,
        addr: u32,
        val: u32,
        offset: u32,
    },
    /// A `v128` from memory 0 at `fp[addr] + offset` into `d`, `d + 1`.
    V128Load { d: u32, addr: u32, offset: u32 },
    /// `fp[val], fp[val + 1]` to memory 0 at `fp[addr] + offset`.
    V128Store { addr: u32, val: u32, offset: u32 },
    /// A lane-wise `v128` operator: `fp[d..d+2] = f(fp[a..a+2], fp[b..b+2])`.
    SimdBin {
        f: SimdBinFn,
        d: u32,
        a: u32,
        b: u32,
    },
    /// A scalar instruction by its AST form, on the value stack whose top
    /// is at frame slot `top` (its operands just below).
    Num { instr: Box<Instr>, top: u32 },
    /// A vector instruction by its AST form, as `Num`.
    Simd { instr: Box<Instr>, top: u32 },
    /// A memory, table or reference instruction that needs the store, by
    /// its AST form, as `Num`.
    Access { instr: Box<Instr>, top: u32 },
    /// A GC instruction by its AST form, as `Num`.
    Gc { instr: Box<Instr>, top: u32 },
}

/// A float ordering: the comparisons whose negation is no comparison
/// (with a NaN operand, `lt` and `ge` are both false), so that a jump
/// taken when one is false has ops of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum FloatOrd {
    F32Lt,
    F32Gt,
    F32Le,
    F32Ge,
    F64Lt,
    F64Gt,
    F64Le,
    F64Ge,
}

impl FloatOrd {
    /// Every ordering, in declaration order (`o as usize` indexes it).
    pub(crate) const ALL: [FloatOrd; 8] = [
        FloatOrd::F32Lt,
        FloatOrd::F32Gt,
        FloatOrd::F32Le,
        FloatOrd::F32Ge,
        FloatOrd::F64Lt,
        FloatOrd::F64Gt,
        FloatOrd::F64Le,
        FloatOrd::F64Ge,
    ];

    /// The ordering that `f` is, if it is one.
    pub(crate) fn of(f: BinFn) -> Option<FloatOrd> {
        FloatOrd::ALL.into_iter().find(|o| o.bin() == f)
    }

    /// The operator that computes it.
    pub(crate) const fn bin(self) -> BinFn {
        match self {
            FloatOrd::F32Lt => BinFn::F32Lt,
            FloatOrd::F32Gt => BinFn::F32Gt,
            FloatOrd::F32Le => BinFn::F32Le,
            FloatOrd::F32Ge => BinFn::F32Ge,
            FloatOrd::F64Lt => BinFn::F64Lt,
            FloatOrd::F64Gt => BinFn::F64Gt,
            FloatOrd::F64Le => BinFn::F64Le,
            FloatOrd::F64Ge => BinFn::F64Ge,
        }
    }
}

/// An op's handler as the executor made it: a function pointer of the
/// executor's own type, kept opaque here so that the internal form does not
/// depend on the executor. Only `exec::threaded::handler_of` makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// Held as an address, so that code stays `Send` and `Sync` without an
/// `unsafe impl` outside the executor.
pub(crate) struct HandlerPtr(pub usize);

/// An op with its handler: dispatch loads the handler from here and jumps.
/// The handler comes first (`repr(C)`), so that it sits at the op's own
/// address: dispatch to a computed op address (a jump target, the next op)
/// is one load with no offset to add.
#[derive(Clone, Debug)]
#[repr(C)]
pub(crate) struct Inst {
    /// What executes `op`.
    pub handler: HandlerPtr,
    /// The op.
    pub op: Op,
}

/// A catch clause of a `try_table` (or a legacy `catch`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CatchOp {
    /// The instance's tag caught, or `None` for `catch_all(_ref)`.
    pub tag: Option<u32>,
    /// Whether the exception reference is pushed (`catch_ref`,
    /// `catch_all_ref`, and every legacy clause).
    pub with_ref: bool,
    /// A legacy `catch`: the reference goes below the payload (into the
    /// clause's hidden slot) rather than above it.
    pub legacy: bool,
    /// Where the clause branches, with the values it pushes: they are put
    /// at `target.src` (the handler's height), then move as the target
    /// says.
    pub target: Target,
}

/// A `try_table`: the ops it covers and its clauses. Handlers are listed in
/// the order their blocks open, so that the last one covering an op is the
/// innermost.
#[derive(Clone, Debug)]
pub(crate) struct TryScope {
    /// First op covered.
    pub start: u32,
    /// One past the last op covered.
    pub end: u32,
    /// Frame slot of the stack height below the block's parameters, where
    /// caught values go.
    pub height: u32,
    /// The clauses, tried in order.
    pub catches: Box<[CatchOp]>,
    /// For a legacy `try ... delegate`: the handler that takes over, or
    /// `u32::MAX` for the caller.
    pub delegate: Option<u32>,
}

/// A translated function body.
#[derive(Debug)]
pub(crate) struct Code {
    /// The ops with their handlers, ending with `Return`.
    pub ops: Box<[Inst]>,
    /// For each op, the index in the function's body of the instruction it
    /// came from: where a trap happened.
    pub instrs: Box<[u32]>,
    /// The function's index in its module's function space.
    pub func: u32,
    /// The handler of the first op: a call finds it with one load fewer
    /// than through `ops`.
    pub entry: HandlerPtr,
    /// The targets of branches that move values, and of every `br_table`
    /// (each table's default last).
    pub targets: Box<[Target]>,
    /// The `try_table`s, outer before inner.
    pub handlers: Box<[TryScope]>,
    /// The target types of `br_on_cast(_fail)`.
    pub casts: Box<[weft_ast::RefType]>,
    /// Slots taken by the parameters.
    pub param_slots: u32,
    /// Slots taken by parameters and declared locals together.
    pub local_slots: u32,
    /// Slots taken by the results.
    pub result_slots: u32,
    /// The frame's size in slots: locals and the highest stack.
    pub max_height: u32,
}

/// The comparison that makes a jump when `f` of the operands is non-zero
/// (or, with `if_zero`, zero), if `f` is one. A float ordering has no
/// negation (with a NaN operand both `lt` and `ge` are false), so it fuses
/// only a jump taken when it holds; float `eq` and `ne` negate each other.
/// The jump handlers exist for these operators only.
pub(crate) const fn jump_test(f: BinFn, if_zero: bool) -> Option<BinFn> {
    use crate::ops::num::BinFn::*;
    if !if_zero
        && matches!(
            f,
            F32Lt | F32Gt | F32Le | F32Ge | F64Lt | F64Gt | F64Le | F64Ge
        )
    {
        return Some(f);
    }
    let (f, negated) = match f {
        F32Eq => (F32Eq, F32Ne),
        F32Ne => (F32Ne, F32Eq),
        F64Eq => (F64Eq, F64Ne),
        F64Ne => (F64Ne, F64Eq),
        I32Eq => (I32Eq, I32Ne),
        I32Ne => (I32Ne, I32Eq),
        I32LtS => (I32LtS, I32GeS),
        I32LtU => (I32LtU, I32GeU),
        I32GtS => (I32GtS, I32LeS),
        I32GtU => (I32GtU, I32LeU),
        I32LeS => (I32LeS, I32GtS),
        I32LeU => (I32LeU, I32GtU),
        I32GeS => (I32GeS, I32LtS),
        I32GeU => (I32GeU, I32LtU),
        I64Eq => (I64Eq, I64Ne),
        I64Ne => (I64Ne, I64Eq),
        I64LtS => (I64LtS, I64GeS),
        I64LtU => (I64LtU, I64GeU),
        I64GtS => (I64GtS, I64LeS),
        I64GtU => (I64GtU, I64LeU),
        I64LeS => (I64LeS, I64GtS),
        I64LeU => (I64LeU, I64GtU),
        I64GeS => (I64GeS, I64LtS),
        I64GeU => (I64GeU, I64LtU),
        _ => return None,
    };
    Some(if if_zero { negated } else { f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_stay_small() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
        assert_eq!(std::mem::size_of::<Inst>(), 24);
    }
}
