//! The interpreter's internal form: one compact op per executed step.
//!
//! Control flow is fully resolved: branches carry their target op index and
//! the stack height (relative to the frame) to which the kept values move,
//! so nothing is searched at run time. Common operators are enums inside
//! ops (`BinFn`, `LoadFn`, `StoreFn`, `SimdBinFn`), fused with the
//! `local.get`s and constants that feed them and the `local.set` that takes
//! their result. Rarer instructions whose behaviour does not depend on where
//! they sit (numbers, memory, tables, vectors) are kept as the AST's own
//! [`Instr`]: their semantics are written once, by matching on `Instr`.

use weft_ast::Instr;

use crate::access::{LoadFn, StoreFn};
use crate::num::BinFn;
use crate::simd::SimdBinFn;

/// A resolved branch: where to go and which values survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Index of the next op to execute.
    pub to: u32,
    /// Stack height (slots above the frame pointer) where kept values land.
    pub base: u32,
    /// How many slots on top of the stack the branch keeps.
    pub keep: u32,
}

/// One step of the internal form.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// Trap with `unreachable`.
    Unreachable,
    /// Jump without touching the stack.
    Jump { to: u32 },
    /// Branch, moving the top `keep` slots down to `base`.
    Br(Target),
    /// Pop an i32; jump without touching the stack if it is not zero.
    JumpIf { to: u32 },
    /// Pop an i32; jump if it is zero (the `if` of `if`/`else`).
    JumpIfNot { to: u32 },
    /// Pop an i32; branch (moving values) if it is not zero.
    BrIf(Target),
    /// Pop an index; take `targets[start + min(index, len - 1)]`, where the
    /// last of the `len` targets is the default.
    BrTable { start: u32, len: u32 },
    /// Return the top `Code::result_slots` slots to the caller.
    Return,
    /// Call a function of the instance by its index.
    Call { func: u32 },
    /// Call through a table; `ty` is the module's type index.
    CallIndirect { ty: u32, table: u32 },
    /// Tail call a function of the instance.
    ReturnCall { func: u32 },
    /// Tail call through a table.
    ReturnCallIndirect { ty: u32, table: u32 },
    /// Pop a function reference and call it (`null function reference`
    /// when null).
    CallRef,
    /// Pop a function reference and tail call it.
    ReturnCallRef,
    /// Branch, dropping the reference on top, if it is null.
    BrOnNull(Target),
    /// Branch, keeping the reference on top, if it is not null; else drop it.
    BrOnNonNull(Target),
    /// Throw a new exception of the instance's tag with the payload on top.
    Throw { tag: u32 },
    /// Pop an exception reference and throw it again.
    ThrowRef,
    /// Branch to `targets[target]` (keeping the reference on top) if the
    /// reference belongs to `casts[cast]`, or if it does not when `fail`.
    BrOnCast { target: u32, cast: u32, fail: bool },
    /// A GC instruction, executed by its AST form.
    Gc(Box<Instr>),
    /// Throw again the exception whose reference is in the slot at `off`
    /// (a legacy catch's hidden slot).
    Rethrow { off: u32 },
    /// Pop `slots` slots.
    Drop { slots: u32 },
    /// Pop an i32 and two operands of `slots` slots each; keep the first if
    /// the i32 is not zero, else the second.
    Select { slots: u32 },
    /// Push the one-slot local at frame offset `off`.
    LocalGet { off: u32 },
    /// Pop into the one-slot local at `off`.
    LocalSet { off: u32 },
    /// Copy the top slot into the local at `off`.
    LocalTee { off: u32 },
    /// Push the two-slot local at `off`.
    LocalGet2 { off: u32 },
    /// Pop into the two-slot local at `off`.
    LocalSet2 { off: u32 },
    /// Copy the top two slots into the local at `off`.
    LocalTee2 { off: u32 },
    /// Push a global (one or two slots, as its type says).
    GlobalGet { global: u32 },
    /// Pop into a global.
    GlobalSet { global: u32 },
    /// Push one slot.
    Const { bits: u64 },
    /// Push a reference to a function of the instance.
    RefFunc { func: u32 },
    /// `i32.eqz`.
    I32Eqz,
    /// A binary integer operator on the top two slots.
    Bin { f: BinFn },
    /// A binary integer operator with a local as its right operand.
    BinL { f: BinFn, b: u32 },
    /// A binary integer operator with a constant right operand.
    BinC { f: BinFn, c: u64 },
    /// A binary integer operator with a local as its left operand and the
    /// top slot as its right one.
    BinLR { f: BinFn, a: u32 },
    /// `BinLR`, storing into the local at `d`.
    BinLRSet { f: BinFn, a: u32, d: u32 },
    /// A binary integer operator on two locals, pushing the result.
    BinLL { f: BinFn, a: u32, b: u32 },
    /// A binary integer operator on a local and a constant.
    BinLC { f: BinFn, a: u32, c: u64 },
    /// `Bin`, storing into the local at `d` instead of pushing.
    BinSet { f: BinFn, d: u32 },
    /// `BinLC` (with a constant that sign-extends from 32 bits), storing
    /// into the local at `d`.
    BinLCSet { f: BinFn, a: u32, c: i32, d: u32 },
    /// `BinLL`, storing into the local at `d`.
    BinLLSet { f: BinFn, a: u32, b: u32, d: u32 },
    /// `BinL`, storing into the local at `d`.
    BinLSet { f: BinFn, b: u32, d: u32 },
    /// `BinC` (with a constant that sign-extends from 32 bits), storing into
    /// the local at `d`.
    BinCSet { f: BinFn, c: i32, d: u32 },
    /// Copy the one-slot local at `a` to the one at `d`.
    Copy { a: u32, d: u32 },
    /// Store a constant into the one-slot local at `d`.
    ConstSet { bits: u64, d: u32 },
    /// Jump if the one-slot local at `off` is zero (`if_zero`) or not.
    JumpIfL { off: u32, to: u32, if_zero: bool },
    /// Jump on the result of `BinLC` (a comparison, usually).
    JumpIfLC {
        f: BinFn,
        a: u32,
        c: i32,
        to: u32,
        if_zero: bool,
    },
    /// Jump on the result of `BinLL`.
    JumpIfLL {
        f: BinFn,
        a: u32,
        b: u32,
        to: u32,
        if_zero: bool,
    },
    /// A load from memory 0 (32-bit addresses) at a popped address plus
    /// `offset`.
    Load { f: LoadFn, offset: u32 },
    /// `Load` from the address in the local at `a`.
    LoadL { f: LoadFn, a: u32, offset: u32 },
    /// A store to memory 0 (32-bit addresses) of a popped value at a popped
    /// address plus `offset`.
    Store { f: StoreFn, offset: u32 },
    /// `Store` to the address in the local at `a`.
    StoreL { f: StoreFn, a: u32, offset: u32 },
    /// `Load`, storing into the local at `d` instead of pushing.
    LoadSet { f: LoadFn, offset: u32, d: u32 },
    /// `LoadL`, storing into the local at `d` instead of pushing.
    LoadLSet {
        f: LoadFn,
        a: u32,
        offset: u32,
        d: u32,
    },
    /// `StoreL` of a constant (sign-extended from 32 bits).
    StoreLC {
        f: StoreFn,
        a: u32,
        offset: u32,
        c: i32,
    },
    /// `v128.load` from memory 0 (32-bit addresses) at a popped address
    /// plus `offset`.
    V128Load { offset: u32 },
    /// `v128.store` to memory 0 (32-bit addresses) of a popped vector at a
    /// popped address plus `offset`.
    V128Store { offset: u32 },
    /// A lane-wise binary operator on the top two vectors.
    SimdBin { f: SimdBinFn },
    /// Any other numeric instruction, executed by its AST form.
    Num(Box<Instr>),
    /// A memory or table instruction, executed by its AST form.
    Access(Box<Instr>),
    /// A vector instruction, executed by its AST form.
    Simd(Box<Instr>),
}

/// One catch clause of a `try_table`.
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
    /// Where the clause branches, with the values it pushes.
    pub target: Target,
}

/// A `try_table`: the ops it covers and its clauses. Handlers are listed in
/// the order their blocks open, so that the last one covering an op is the
/// innermost.
#[derive(Clone, Debug)]
pub(crate) struct Handler {
    /// First op covered.
    pub start: u32,
    /// One past the last op covered.
    pub end: u32,
    /// Stack height below the block's parameters, where caught values go.
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
    /// The ops, ending with `Return`.
    pub ops: Box<[Op]>,
    /// The targets of every `br_table`, each table's default last.
    pub targets: Box<[Target]>,
    /// The `try_table`s, outer before inner.
    pub handlers: Box<[Handler]>,
    /// The target types of `br_on_cast(_fail)`.
    pub casts: Box<[weft_ast::RefType]>,
    /// Slots taken by the parameters.
    pub param_slots: u32,
    /// Slots taken by parameters and declared locals together.
    pub local_slots: u32,
    /// Slots taken by the results.
    pub result_slots: u32,
    /// The largest stack height the body reaches, locals included.
    pub max_height: u32,
}
