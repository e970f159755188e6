//! The checks the interpreter relies on: every index an instruction names
//! exists (`Env::check_indices`), and the finished code stays in bounds
//! (`in_bounds`), which is what makes the executor's unchecked op fetches
//! and frame accesses sound. One visible test instead of trusting every
//! path of the translator.

use super::*;

impl Env<'_> {
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
    pub(super) fn check_indices(&self, i: &Instr) -> Result<(), Error> {
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
}

/// Whether the interpreter may fetch ops and touch frame slots without
/// bounds checks: the last op is `Return` (so falling through never leaves
/// the body), every branch target names an op, every table index (`br_table`
/// targets, cast types) names an entry, and every frame offset an op reads
/// or writes directly lies below the frame's maximum height. The
/// translator builds code this way; this check makes the interpreter's
/// unchecked accesses depend on one visible test rather than on every
/// path of the translator. The match is exhaustive: a new op must say what
/// it reaches (a specialized op, through its shape's `Reach`).
pub(super) fn in_bounds(code: &Code) -> bool {
    let len = code.ops.len() as u64;
    let max = code.max_height as u64;
    let to_ok = |to: u32| (to as u64) < len;
    let off_ok = |off: u32, width: u32| off as u64 + width as u64 <= max;
    let target_ok = |t: u32| (t as usize) < code.targets.len();
    macro_rules! check {
        ($($name:ident $shape:ident $f:ident,)*) => {
            |(i, op): (usize, &Op)| match *op {
                $(Op::$name(s) => shape::Reach::reach(&s, off_ok, to_ok),)*
                // Falling through skips the unfused test kept after them.
                Op::I32AddJumpLtU(s)
                | Op::I32AddJumpLtS(s) => shape::Reach::reach(&s, off_ok, to_ok) && to_ok(i as u32 + 2),
                Op::I32AddLJumpLtU(s)
                | Op::I32AddLJumpLtS(s) => shape::Reach::reach(&s, off_ok, to_ok) && to_ok(i as u32 + 2),
                Op::Jump { to } | Op::JumpIf { to } | Op::JumpIfNot { to } => to_ok(to),
                Op::Br(t) | Op::BrIf(t) | Op::BrOnNull(t) | Op::BrOnNonNull(t) => to_ok(t.to),
                Op::BrTable { start, len } => {
                    len >= 1 && (start as u64 + len as u64) <= code.targets.len() as u64
                }
                Op::BrOnCast { target, cast, .. } | Op::BrOnCastDesc { target, cast, .. } => {
                    target_ok(target) && (cast as usize) < code.casts.len()
                }
                Op::JumpIfL { off, to, .. } => to_ok(to) && off_ok(off, 1),
                Op::JumpIfLC { a, to, .. } => to_ok(to) && off_ok(a, 1),
                Op::JumpIfLL { a, b, to, .. } => to_ok(to) && off_ok(a, 1) && off_ok(b, 1),
                Op::LocalGet { off }
                | Op::LocalSet { off }
                | Op::LocalTee { off }
                | Op::ReturnLocal { off }
                | Op::Rethrow { off } => off_ok(off, 1),
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
                | Op::LoadB { a, .. }
                | Op::UnL { a, .. } => off_ok(a, 1),
                Op::V128LoadLL { a, b, .. } => off_ok(a, 1) && off_ok(b, 1),
                Op::I32MulAddLLL { a, b, c } => off_ok(a, 1) && off_ok(b, 1) && off_ok(c, 1),
                Op::I32MulAddLCCSet { a, d, .. } => off_ok(a.into(), 1) && off_ok(d.into(), 1),
                Op::BinLLoad { a, b, .. } => off_ok(a.into(), 1) && off_ok(b.into(), 1),
                Op::StoreLBin { a, v, .. } => off_ok(a.into(), 1) && off_ok(v.into(), 1),
                Op::BinLLoadSet { a, b, d, .. } => {
                    off_ok(a.into(), 1) && off_ok(b.into(), 1) && off_ok(d.into(), 1)
                }
                Op::F64MulAddLRSet { a, d } => off_ok(a, 1) && off_ok(d, 1),
                Op::SimdBinLR { a, .. } => off_ok(a, 2),
                Op::SimdBinLRSet { a, d, .. }
                | Op::I32x4MulAddLRSet { a, d }
                | Op::F32x4MulAddLRSet { a, d }
                | Op::F64x2MulAddLRSet { a, d } => off_ok(a, 2) && off_ok(d, 2),
                Op::StoreLL { a, v, .. } => off_ok(a, 1) && off_ok(v, 1),
                Op::LoadLSet { a, d, .. } => off_ok(a, 1) && off_ok(d, 1),
                Op::BinLL { a, b, .. }
                | Op::BinLRSet { a, d: b, .. }
                | Op::BinLCSet { a, d: b, .. }
                | Op::BinLSet { b: a, d: b, .. }
                | Op::Copy { a, d: b } => off_ok(a, 1) && off_ok(b, 1),
                Op::BinLLSet { a, b, d, .. } => off_ok(a, 1) && off_ok(b, 1) && off_ok(d, 1),
                // No frame offset, no jump target: they work on the top of
                // the stack (pushes checked against the buffer's end), the
                // store, or another function.
                Op::Unreachable
                | Op::Return
                | Op::ReturnAcc
                | Op::Call { .. }
                | Op::CallIndirect { .. }
                | Op::ReturnCall { .. }
                | Op::ReturnCallIndirect { .. }
                | Op::CallRef
                | Op::ReturnCallRef
                | Op::Throw { .. }
                | Op::ThrowRef
                | Op::Gc(_)
                | Op::Drop { .. }
                | Op::Select { .. }
                | Op::GlobalGet { .. }
                | Op::GlobalSet { .. }
                | Op::Const { .. }
                | Op::RefFunc { .. }
                | Op::Bin { .. }
                | Op::BinC { .. }
                | Op::I32Eqz
                | Op::Un { .. }
                | Op::Load { .. }
                | Op::Store { .. }
                | Op::V128Load { .. }
                | Op::V128Store { .. }
                | Op::SimdBin { .. }
                | Op::Num(_)
                | Op::Access(_)
                | Op::Simd(_) => true,
            }
        };
    }
    let op_ok = for_each_specialized!(check);
    code.ops.iter().enumerate().all(op_ok)
        && matches!(code.ops.last(), Some(Op::Return | Op::ReturnAcc))
        && code.targets.iter().all(|t| to_ok(t.to))
        && code
            .handlers
            .iter()
            .all(|h| h.catches.iter().all(|c| to_ok(c.target.to)))
}
