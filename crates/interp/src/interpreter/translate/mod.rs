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
mod checks;
pub(crate) mod effect;
mod exceptions;
mod fusion;
mod lower;
mod passes;
mod shapes;
#[cfg(test)]
mod tests;

use crate::interpreter::ir::{CatchOp, Code, Op, Target, TryScope, for_each_specialized, shape};
use crate::ops::num::BinFn;
use crate::ops::simd::SimdBinFn;
use crate::trap::Error;
use crate::value::slots;
use checks::in_bounds;
use effect::effect;
use passes::*;
use shapes::*;

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
