//! The checks the interpreter relies on: every index the runtime will
//! look up exists (`Env::check_indices`), and the finished code stays in
//! bounds (`in_bounds`), which is what makes the executor's unchecked op
//! fetches and frame accesses sound. One visible test instead of trusting
//! every path of the translator.
//!
//! They are not validation: a module `Module::new` translates passed the
//! validator, which said everything these say and more. They stay because
//! `Module::new_unchecked` and `Module::lazy_unchecked` take modules on
//! the caller's word (and a fuzzer's mutants), and the runtime must stay
//! memory-safe and panic-free for those too: `ops::access` and `ops::gc`
//! index the instance's memories, tables, segments and types with the
//! instruction's index, the `ref.func` handler reads the instance's
//! functions unchecked, and the executor reads frame slots unchecked.
//! So `check_indices` runs only where such an index enters the code (an
//! instruction kept as the AST's, `call_indirect`, `ref.func`,
//! `try_table`), not on every instruction: calls, globals, locals, tags
//! and labels are looked up where they are lowered, which checks them.

use super::*;
use crate::interpreter::ir::{ACC, ACC16};

impl Env<'_> {
    /// Checks that every index an instruction names exists, so that even a
    /// module that skipped validation cannot make execution index out of
    /// range (see the file's comment for where it is called).
    pub(super) fn check_indices(&self, i: &Instr) -> Result<(), Error> {
        use Instr::*;
        let ok = |idx: u32, len: usize| (idx as usize) < len;
        let mems = self.memories.len();
        let tables = self.tables;
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
}

/// Whether the interpreter may fetch ops and touch frame slots without
/// bounds checks: the last op is `Return` (so falling through never leaves
/// the body), every jump names an op, every table entry (`br_table` and
/// branch targets, cast types) exists, and every frame slot an op reads or
/// writes lies below the frame's size (a field naming the accumulator
/// names no slot). The translator builds code this
/// way; this check makes the executor's unchecked accesses depend on one
/// visible test rather than on every path of the translator. The match is
/// exhaustive: a new op must say what it reaches.
pub(super) fn in_bounds(code: &Code) -> bool {
    let len = code.ops.len() as u64;
    let max = code.max_height as u64;
    let to = |to: u32| (to as u64) < len;
    let at = |slot: u32, width: u64| slot as u64 + width <= max;
    let s = |slot: u32| at(slot, 1);
    // A field that may name the accumulator instead of a slot (`ir::ACC`),
    // which the handler of its form reads no slot for.
    let sa = |slot: u32| slot == ACC || s(slot);
    let sa16 = |slot: u16| slot == ACC16 || s(slot as u32);
    // Two operands of which at most one is the accumulator.
    let sa2 = |a: u32, b: u32| sa(a) && sa(b) && !(a == ACC && b == ACC);
    let target = |t: u32| (t as usize) < code.targets.len();
    let moves = |t: &Target| to(t.to) && at(t.src, t.n as u64) && at(t.dst, t.n as u64);
    // A jump's `to` is relative to its own index `i`.
    let by = |i: usize, rel: i32| (0..len as i64).contains(&(i as i64 + rel as i64));
    let op_ok = |(i, inst): (usize, &crate::interpreter::ir::Inst)| match inst.op {
        Op::Unreachable => true,
        Op::Jump { to: t } => by(i, t),
        Op::JumpIf { c, to: t } | Op::JumpIfNot { c, to: t } => sa(c) && by(i, t),
        Op::JumpIfMove {
            c,
            s: from,
            d,
            to: t,
        } => s(c) && s(from as u32) && s(d as u32) && by(i, t),
        Op::JumpCmp { a, b, to: t, .. } => sa2(a, b) && by(i, t),
        Op::JumpCmpI { a, to: t, .. } => sa(a) && by(i, t),
        Op::JumpCmpK { a, to: t, .. } | Op::JumpNotOrdK { a, to: t, .. } => sa16(a) && by(i, t),
        Op::JumpNotOrd { a, b, to: t, .. } => sa2(a, b) && by(i, t),
        Op::Br { target: t } => target(t),
        Op::BrIf { c, target: t } => s(c) && target(t),
        Op::BrTable { index, start, len } => {
            s(index) && len >= 1 && start as u64 + len as u64 <= code.targets.len() as u64
        }
        Op::Return { base } => at(base, code.result_slots as u64),
        Op::Call { base, .. } | Op::ReturnCall { base, .. } | Op::Throw { base, .. } => {
            base as u64 <= max
        }
        Op::CallIndirect { base, index, .. } | Op::ReturnCallIndirect { base, index, .. } => {
            base as u64 <= max && s(index)
        }
        Op::CallRef { base, r } | Op::ReturnCallRef { base, r } => base as u64 <= max && s(r),
        Op::BrOnNull { r, target: t } | Op::BrOnNonNull { r, target: t } => s(r) && target(t),
        Op::ThrowRef { r } => s(r),
        Op::Rethrow { off } => s(off),
        Op::BrOnCast {
            r, target: t, cast, ..
        } => s(r) && target(t) && (cast as usize) < code.casts.len(),
        Op::BrOnCastDesc {
            r, target: t, cast, ..
        } => at(r, 2) && target(t) && (cast as usize) < code.casts.len(),
        Op::Copy { d, s: from } => s(d) && s(from),
        Op::CopyPair { d0, s0, d1, s1 } => {
            s(d0 as u32) && s(s0 as u32) && s(d1 as u32) && s(s1 as u32)
        }
        Op::Copy2 { d, s: from } => at(d, 2) && at(from, 2),
        Op::Const { d, .. } | Op::RefFunc { d, .. } => s(d),
        Op::Select { at: a, w } => at(a, 2 * w as u64 + 1),
        Op::SelectR { d, a, b, c } => s(d) && s(a as u32) && s(b as u32) && s(c as u32),
        Op::GlobalGet { d, wide, .. } => at(d, 1 + wide as u64),
        Op::GlobalSet { s: from, wide, .. } => at(from, 1 + wide as u64),
        Op::Bin { d, a, b, .. } => sa(d) && sa2(a, b),
        Op::Trapping { d, a, b, .. } => s(d) && s(a) && s(b),
        Op::BinI { d, a, .. } => sa(d) && sa(a),
        Op::Un { d, a, .. } => sa(d) && sa(a),
        Op::ImmBin { d, b, .. } => s(d) && s(b),
        Op::BinK { d, a, .. } => sa16(d) && sa16(a),
        Op::Load { d, addr, .. } => sa(d) && sa(addr),
        Op::Store { addr, val, .. } => sa2(addr, val),
        Op::V128Load { d, addr, .. } => at(d, 2) && s(addr),
        Op::V128Store { addr, val, .. } => s(addr) && at(val, 2),
        Op::SimdBin { d, a, b, .. } => at(d, 2) && at(a, 2) && at(b, 2),
        Op::Num { top, .. }
        | Op::Simd { top, .. }
        | Op::Access { top, .. }
        | Op::Gc { top, .. } => top as u64 <= max,
    };
    code.ops.iter().enumerate().all(op_ok)
        && matches!(code.ops.last().map(|i| &i.op), Some(Op::Return { .. }))
        && code.targets.iter().all(moves)
        && code.handlers.iter().all(|h| {
            // A legacy catch keeps the exception in the slot at the
            // handler's height; the others deliver their values there,
            // as `moves` checks.
            h.catches.iter().all(|c| {
                moves(&c.target)
                    && if c.legacy {
                        s(h.height)
                    } else {
                        at(h.height, 0)
                    }
            })
        })
}
