//! The typing of every instruction, one exhaustive match so that a new
//! table row cannot go unchecked.

use weft_ast::{
    AbsHeap, AddrType, BlockType, Catch, Features, HeapType, Instr, MemArg, RefType, StorageType,
    ValType,
};

use crate::ctx::{Ctx, Ty, ty_name};
use crate::error::{Result, err};
use crate::func::INSTR_FEATURES;
use crate::stack::{Kind, Stacks, Tys, block_sig};

use ValType::{F32, F64, I32, I64, V128};

const EXNREF_NONNULL: ValType = ValType::Ref(RefType::new(false, HeapType::Abstract(AbsHeap::Exn)));

fn reft(nullable: bool, heap: HeapType) -> ValType {
    ValType::Ref(RefType::new(nullable, heap))
}

fn abs(nullable: bool, h: AbsHeap) -> ValType {
    reft(nullable, HeapType::Abstract(h))
}

/// `struct.new(_default)` cannot allocate a type with a descriptor: that
/// takes `struct.new(_default)_desc` (custom descriptors).
fn no_descriptor(ctx: &Ctx<'_>, ty: u32) -> Result<()> {
    if ctx.descriptor_of(ty).is_some() {
        return Err(err("type with descriptor requires descriptor allocation"));
    }
    Ok(())
}

impl<'m> Stacks<'m> {
    #[inline(always)]
    fn unop(&mut self, ctx: &Ctx<'m>, a: ValType, r: ValType) -> Result<()> {
        self.pop_expect(ctx, a)?;
        self.push_val(r);
        Ok(())
    }

    #[inline(always)]
    fn binop(&mut self, ctx: &Ctx<'m>, a: ValType, r: ValType) -> Result<()> {
        self.pop_expect(ctx, a)?;
        self.pop_expect(ctx, a)?;
        self.push_val(r);
        Ok(())
    }

    fn ternop(&mut self, ctx: &Ctx<'m>, a: ValType, r: ValType) -> Result<()> {
        self.pop_expect(ctx, a)?;
        self.pop_expect(ctx, a)?;
        self.pop_expect(ctx, a)?;
        self.push_val(r);
        Ok(())
    }

    /// Pops any reference; `None` when its type is unknown.
    fn pop_ref(&mut self) -> Result<Option<RefType>> {
        match self.pop()? {
            Ty::Val(ValType::Ref(r)) => Ok(Some(r)),
            Ty::Unknown | Ty::BotRef => Ok(None),
            t => Err(err(format!(
                "type mismatch: expected a reference, found {}",
                ty_name(t)
            ))),
        }
    }

    /// Checks a memory argument and returns the memory's address type.
    #[inline(always)]
    fn mem_access(&self, ctx: &Ctx<'m>, i: &Instr, m: MemArg, atomic: bool) -> Result<ValType> {
        let MemArg {
            align,
            offset,
            memory,
        } = m;
        let addr = ctx.mem_addr(memory)?;
        let natural = i.natural_align().unwrap_or(0);
        if atomic {
            if align != natural {
                return Err(err(
                    "alignment must be equal to natural for atomic accesses",
                ));
            }
        } else if align > natural {
            return Err(err("alignment must not be larger than natural"));
        }
        if addr == AddrType::I32 && offset > u32::MAX as u64 {
            return Err(err("offset out of range"));
        }
        Ok(addr.val_type())
    }

    #[inline(always)]
    fn load(&mut self, ctx: &Ctx<'m>, i: &Instr, m: MemArg, t: ValType) -> Result<()> {
        let a = self.mem_access(ctx, i, m, false)?;
        self.unop(ctx, a, t)
    }

    #[inline(always)]
    fn store(&mut self, ctx: &Ctx<'m>, i: &Instr, m: MemArg, t: ValType) -> Result<()> {
        let a = self.mem_access(ctx, i, m, false)?;
        self.pop_expect(ctx, t)?;
        self.pop_expect(ctx, a)?;
        Ok(())
    }

    fn lane(&self, lane: u8, lanes: u8) -> Result<()> {
        if lane < lanes {
            Ok(())
        } else {
            Err(err(format!("invalid lane index {lane}")))
        }
    }

    fn atomic(
        &mut self,
        ctx: &Ctx<'m>,
        i: &Instr,
        m: MemArg,
        ins: &[ValType],
        out: Option<ValType>,
    ) -> Result<()> {
        let a = self.mem_access(ctx, i, m, true)?;
        for &t in ins.iter().rev() {
            self.pop_expect(ctx, t)?;
        }
        self.pop_expect(ctx, a)?;
        if let Some(t) = out {
            self.push_val(t);
        }
        Ok(())
    }

    fn open_block(&mut self, ctx: &Ctx<'m>, kind: Kind, bt: BlockType, pos: u32) -> Result<()> {
        let (params, results) = block_sig(ctx, bt)?;
        if kind == Kind::If {
            self.pop_expect(ctx, I32)?;
        }
        self.pop_vals(ctx, params)?;
        self.enter_block(kind, bt, params, results, pos);
        Ok(())
    }

    fn call(&mut self, ctx: &Ctx<'m>, f: &'m weft_ast::FuncType) -> Result<()> {
        self.pop_vals(ctx, Tys::Many(&f.params))?;
        self.push_vals(Tys::Many(&f.results));
        Ok(())
    }

    fn return_call(&mut self, ctx: &Ctx<'m>, f: &'m weft_ast::FuncType) -> Result<()> {
        let results = self.ctrls[0].results;
        if f.results.len() != results.len()
            || f.results
                .iter()
                .enumerate()
                .any(|(i, &r)| !ctx.val_sub(r, results.get(i)))
        {
            return Err(err(
                "type mismatch: tail call results do not match the caller's",
            ));
        }
        self.pop_vals(ctx, Tys::Many(&f.params))?;
        self.set_unreachable();
        Ok(())
    }

    fn table_of(&self, ctx: &Ctx<'m>, t: u32) -> Result<(RefType, ValType)> {
        let t = ctx.table(t)?;
        Ok((t.elem, t.addr.val_type()))
    }

    fn branch_check(&mut self, ctx: &Ctx<'m>, l: u32) -> Result<Tys<'m>> {
        let tys = self.label(l)?.label_types();
        self.pop_vals(ctx, tys)?;
        Ok(tys)
    }

    /// Types an instruction at position `pos` of its body.
    pub(crate) fn instr(&mut self, ctx: &Ctx<'m>, i: &Instr, pos: u32) -> Result<()> {
        use Instr as I;
        // The proposals the per-instruction check may skip (see
        // `INSTR_FEATURES`) are checked here: their instructions never take
        // the fast path.
        if !INSTR_FEATURES.contains(i.feature()) {
            Self::check_feature(ctx, i)?;
        }
        match i {
            // ----- control -----
            I::Unreachable => self.set_unreachable(),
            I::Nop => {}
            I::Block { ty } => self.open_block(ctx, Kind::Block, *ty, pos)?,
            I::Loop { ty } => self.open_block(ctx, Kind::Loop, *ty, pos)?,
            I::If { ty } => self.open_block(ctx, Kind::If, *ty, pos)?,
            I::Else => {
                let frame = self.pop_ctrl(ctx)?;
                if frame.kind != Kind::If {
                    return Err(err("else without matching if"));
                }
                self.blocks[frame.block as usize].else_pos = pos;
                self.push_ctrl(Kind::Else, frame.params, frame.results, frame.block);
            }
            I::End => self.end(ctx, pos)?,
            I::Br { label } => {
                self.branch_check(ctx, *label)?;
                self.set_unreachable();
            }
            I::BrIf { label } => {
                self.pop_expect(ctx, I32)?;
                let tys = self.branch_check(ctx, *label)?;
                self.push_vals(tys);
            }
            I::BrTable { table } => {
                self.pop_expect(ctx, I32)?;
                let default = self.label(table.default)?.label_types();
                let arity = default.len();
                for &t in table.targets.iter() {
                    let tys = self.label(t)?.label_types();
                    if tys.len() != arity {
                        return Err(err(
                            "type mismatch: br_table targets have different arities",
                        ));
                    }
                    self.peek_vals(ctx, tys)?;
                }
                self.pop_vals(ctx, default)?;
                self.set_unreachable();
            }
            I::Return => {
                let results = self.ctrls[0].results;
                self.pop_vals(ctx, results)?;
                self.set_unreachable();
            }
            I::Call { func } => {
                let f = ctx.func_type_of(*func)?;
                self.call(ctx, f)?;
            }
            I::CallIndirect { ty, table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                if !ctx.ref_sub(elem, RefType::FUNCREF) {
                    return Err(err(
                        "type mismatch: call_indirect on a table not of functions",
                    ));
                }
                let f = ctx.func_type(*ty)?;
                self.pop_expect(ctx, addr)?;
                self.call(ctx, f)?;
            }
            I::ReturnCall { func } => {
                let f = ctx.func_type_of(*func)?;
                self.return_call(ctx, f)?;
            }
            I::ReturnCallIndirect { ty, table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                if !ctx.ref_sub(elem, RefType::FUNCREF) {
                    return Err(err(
                        "type mismatch: call_indirect on a table not of functions",
                    ));
                }
                let f = ctx.func_type(*ty)?;
                self.pop_expect(ctx, addr)?;
                self.return_call(ctx, f)?;
            }
            I::CallRef { ty } => {
                let f = ctx.func_type(*ty)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
                self.call(ctx, f)?;
            }
            I::ReturnCallRef { ty } => {
                let f = ctx.func_type(*ty)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
                self.return_call(ctx, f)?;
            }
            I::Throw { tag } => {
                let f = ctx.tag_type(*tag)?;
                self.pop_vals(ctx, Tys::Many(&f.params))?;
                self.set_unreachable();
            }
            I::ThrowRef => {
                self.pop_expect(ctx, ValType::Ref(RefType::EXNREF))?;
                self.set_unreachable();
            }
            I::TryTable { table } => {
                for c in &table.catches {
                    let label = self.label(c.label())?.label_types();
                    // What the clause delivers must match the label's types.
                    let check = |got: &[ValType], extra: Option<ValType>| -> Result<()> {
                        let n = got.len() + extra.is_some() as usize;
                        if n != label.len() {
                            return Err(err(
                                "type mismatch: catch clause does not match its label",
                            ));
                        }
                        for (k, &t) in got.iter().chain(extra.iter()).enumerate() {
                            if !ctx.val_sub(t, label.get(k)) {
                                return Err(err(
                                    "type mismatch: catch clause does not match its label",
                                ));
                            }
                        }
                        Ok(())
                    };
                    match *c {
                        Catch::One { tag, .. } => check(&ctx.tag_type(tag)?.params, None)?,
                        Catch::OneRef { tag, .. } => {
                            check(&ctx.tag_type(tag)?.params, Some(EXNREF_NONNULL))?
                        }
                        Catch::All { .. } => check(&[], None)?,
                        Catch::AllRef { .. } => check(&[], Some(EXNREF_NONNULL))?,
                    }
                }
                self.open_block(ctx, Kind::TryTable, table.ty, pos)?;
            }
            I::Try { ty } => self.open_block(ctx, Kind::Try, *ty, pos)?,
            I::Catch { tag } => {
                let f = ctx.tag_type(*tag)?;
                let frame = self.pop_ctrl(ctx)?;
                if !matches!(frame.kind, Kind::Try | Kind::Catch) {
                    return Err(err("catch found outside of a try block"));
                }
                self.push_ctrl(Kind::Catch, Tys::Empty, frame.results, frame.block);
                self.push_vals(Tys::Many(&f.params));
            }
            I::CatchAll => {
                let frame = self.pop_ctrl(ctx)?;
                if !matches!(frame.kind, Kind::Try | Kind::Catch) {
                    return Err(err("catch_all found outside of a try block"));
                }
                self.push_ctrl(Kind::CatchAll, Tys::Empty, frame.results, frame.block);
            }
            I::Delegate { label } => {
                let frame = self.pop_ctrl(ctx)?;
                if frame.kind != Kind::Try {
                    return Err(err("delegate found outside of a try block"));
                }
                self.blocks[frame.block as usize].end_pos = pos;
                // The label counts from outside the try block.
                self.label(*label)?;
                self.push_vals(frame.results);
            }
            I::Rethrow { label } => {
                let frame = self.label(*label)?;
                if !matches!(frame.kind, Kind::Catch | Kind::CatchAll) {
                    return Err(err("invalid rethrow label"));
                }
                self.set_unreachable();
            }

            // ----- parametric -----
            I::Drop => {
                self.pop()?;
            }
            I::Select => {
                self.pop_expect(ctx, I32)?;
                let t1 = self.pop()?;
                let t2 = self.pop()?;
                let numvec =
                    |t: Ty| matches!(t, Ty::Unknown | Ty::Val(I32 | I64 | F32 | F64 | V128));
                if !numvec(t1) || !numvec(t2) {
                    return Err(err(
                        "type mismatch: select without a type needs numeric or vector operands",
                    ));
                }
                if t1 != t2 && t1 != Ty::Unknown && t2 != Ty::Unknown {
                    return Err(err(format!(
                        "type mismatch: select operands {} and {} differ",
                        ty_name(t1),
                        ty_name(t2)
                    )));
                }
                self.push(if t1 == Ty::Unknown { t2 } else { t1 });
            }
            I::SelectT { types } => {
                if types.0.len() != 1 {
                    return Err(err("invalid result arity"));
                }
                let t = types.0[0];
                ctx.check_val_all(t)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, t)?;
                self.pop_expect(ctx, t)?;
                self.push_val(t);
            }

            // ----- variables -----
            I::LocalGet { local } => {
                let t = self.get_local(*local)?;
                self.push_val(t);
            }
            I::LocalSet { local } => {
                let t = self.local(*local)?;
                self.pop_expect(ctx, t)?;
                self.set_local(*local);
            }
            I::LocalTee { local } => {
                let t = self.local(*local)?;
                self.pop_expect(ctx, t)?;
                self.set_local(*local);
                self.push_val(t);
            }
            I::GlobalGet { global } => {
                let g = ctx.global(*global)?;
                self.push_val(g.val);
            }
            I::GlobalSet { global } => {
                let g = ctx.global(*global)?;
                if !g.mutable {
                    return Err(err(format!(
                        "immutable global {global}: global is immutable"
                    )));
                }
                self.pop_expect(ctx, g.val)?;
            }

            // ----- tables -----
            I::TableGet { table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                self.unop(ctx, addr, ValType::Ref(elem))?;
            }
            I::TableSet { table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                self.pop_expect(ctx, ValType::Ref(elem))?;
                self.pop_expect(ctx, addr)?;
            }
            I::TableSize { table } => {
                let (_, addr) = self.table_of(ctx, *table)?;
                self.push_val(addr);
            }
            I::TableGrow { table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                self.pop_expect(ctx, addr)?;
                self.pop_expect(ctx, ValType::Ref(elem))?;
                self.push_val(addr);
            }
            I::TableFill { table } => {
                let (elem, addr) = self.table_of(ctx, *table)?;
                self.pop_expect(ctx, addr)?;
                self.pop_expect(ctx, ValType::Ref(elem))?;
                self.pop_expect(ctx, addr)?;
            }
            I::TableCopy { dst, src } => {
                let (de, da) = self.table_of(ctx, *dst)?;
                let (se, sa) = self.table_of(ctx, *src)?;
                if !ctx.ref_sub(se, de) {
                    return Err(err("type mismatch: table.copy between incompatible tables"));
                }
                let n = if da == I64 && sa == I64 { I64 } else { I32 };
                self.pop_expect(ctx, n)?;
                self.pop_expect(ctx, sa)?;
                self.pop_expect(ctx, da)?;
            }
            I::TableInit { elem, table } => {
                let (te, ta) = self.table_of(ctx, *table)?;
                let et = ctx.elem_type(*elem)?;
                if !ctx.ref_sub(et, te) {
                    return Err(err("type mismatch: table.init of an incompatible segment"));
                }
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, ta)?;
            }
            I::ElemDrop { elem } => {
                ctx.elem_type(*elem)?;
            }

            // ----- memories -----
            I::I32Load { memarg }
            | I::I32Load8S { memarg }
            | I::I32Load8U { memarg }
            | I::I32Load16S { memarg }
            | I::I32Load16U { memarg } => self.load(ctx, i, *memarg, I32)?,
            I::I64Load { memarg }
            | I::I64Load8S { memarg }
            | I::I64Load8U { memarg }
            | I::I64Load16S { memarg }
            | I::I64Load16U { memarg }
            | I::I64Load32S { memarg }
            | I::I64Load32U { memarg } => self.load(ctx, i, *memarg, I64)?,
            I::F32Load { memarg } => self.load(ctx, i, *memarg, F32)?,
            I::F64Load { memarg } => self.load(ctx, i, *memarg, F64)?,
            I::I32Store { memarg } | I::I32Store8 { memarg } | I::I32Store16 { memarg } => {
                self.store(ctx, i, *memarg, I32)?
            }
            I::I64Store { memarg }
            | I::I64Store8 { memarg }
            | I::I64Store16 { memarg }
            | I::I64Store32 { memarg } => self.store(ctx, i, *memarg, I64)?,
            I::F32Store { memarg } => self.store(ctx, i, *memarg, F32)?,
            I::F64Store { memarg } => self.store(ctx, i, *memarg, F64)?,
            I::MemorySize { mem } => {
                let a = ctx.mem_addr(*mem)?.val_type();
                self.push_val(a);
            }
            I::MemoryGrow { mem } => {
                let a = ctx.mem_addr(*mem)?.val_type();
                self.unop(ctx, a, a)?;
            }
            I::MemoryFill { mem } => {
                let a = ctx.mem_addr(*mem)?.val_type();
                self.pop_expect(ctx, a)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, a)?;
            }
            I::MemoryCopy { dst, src } => {
                let da = ctx.mem_addr(*dst)?.val_type();
                let sa = ctx.mem_addr(*src)?.val_type();
                let n = if da == I64 && sa == I64 { I64 } else { I32 };
                self.pop_expect(ctx, n)?;
                self.pop_expect(ctx, sa)?;
                self.pop_expect(ctx, da)?;
            }
            I::MemoryInit { data, mem } => {
                let a = ctx.mem_addr(*mem)?.val_type();
                ctx.check_data(*data)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, a)?;
            }
            I::DataDrop { data } => ctx.check_data(*data)?,

            // ----- numeric -----
            I::I32Const { .. } => self.push_val(I32),
            I::I64Const { .. } => self.push_val(I64),
            I::F32Const { .. } => self.push_val(F32),
            I::F64Const { .. } => self.push_val(F64),
            I::I32Eqz | I::I32Clz | I::I32Ctz | I::I32Popcnt | I::I32Extend8S | I::I32Extend16S => {
                self.unop(ctx, I32, I32)?
            }
            I::I32Eq
            | I::I32Ne
            | I::I32LtS
            | I::I32LtU
            | I::I32GtS
            | I::I32GtU
            | I::I32LeS
            | I::I32LeU
            | I::I32GeS
            | I::I32GeU
            | I::I32Add
            | I::I32Sub
            | I::I32Mul
            | I::I32DivS
            | I::I32DivU
            | I::I32RemS
            | I::I32RemU
            | I::I32And
            | I::I32Or
            | I::I32Xor
            | I::I32Shl
            | I::I32ShrS
            | I::I32ShrU
            | I::I32Rotl
            | I::I32Rotr => self.binop(ctx, I32, I32)?,
            I::I64Eqz | I::I32WrapI64 => self.unop(ctx, I64, I32)?,
            I::I64Eq
            | I::I64Ne
            | I::I64LtS
            | I::I64LtU
            | I::I64GtS
            | I::I64GtU
            | I::I64LeS
            | I::I64LeU
            | I::I64GeS
            | I::I64GeU => self.binop(ctx, I64, I32)?,
            I::F32Eq | I::F32Ne | I::F32Lt | I::F32Gt | I::F32Le | I::F32Ge => {
                self.binop(ctx, F32, I32)?
            }
            I::F64Eq | I::F64Ne | I::F64Lt | I::F64Gt | I::F64Le | I::F64Ge => {
                self.binop(ctx, F64, I32)?
            }
            I::I64Clz
            | I::I64Ctz
            | I::I64Popcnt
            | I::I64Extend8S
            | I::I64Extend16S
            | I::I64Extend32S => self.unop(ctx, I64, I64)?,
            I::I64Add
            | I::I64Sub
            | I::I64Mul
            | I::I64DivS
            | I::I64DivU
            | I::I64RemS
            | I::I64RemU
            | I::I64And
            | I::I64Or
            | I::I64Xor
            | I::I64Shl
            | I::I64ShrS
            | I::I64ShrU
            | I::I64Rotl
            | I::I64Rotr => self.binop(ctx, I64, I64)?,
            I::F32Abs
            | I::F32Neg
            | I::F32Ceil
            | I::F32Floor
            | I::F32Trunc
            | I::F32Nearest
            | I::F32Sqrt => self.unop(ctx, F32, F32)?,
            I::F32Add
            | I::F32Sub
            | I::F32Mul
            | I::F32Div
            | I::F32Min
            | I::F32Max
            | I::F32Copysign => self.binop(ctx, F32, F32)?,
            I::F64Abs
            | I::F64Neg
            | I::F64Ceil
            | I::F64Floor
            | I::F64Trunc
            | I::F64Nearest
            | I::F64Sqrt => self.unop(ctx, F64, F64)?,
            I::F64Add
            | I::F64Sub
            | I::F64Mul
            | I::F64Div
            | I::F64Min
            | I::F64Max
            | I::F64Copysign => self.binop(ctx, F64, F64)?,
            I::I32TruncF32S
            | I::I32TruncF32U
            | I::I32ReinterpretF32
            | I::I32TruncSatF32S
            | I::I32TruncSatF32U => self.unop(ctx, F32, I32)?,
            I::I32TruncF64S | I::I32TruncF64U | I::I32TruncSatF64S | I::I32TruncSatF64U => {
                self.unop(ctx, F64, I32)?
            }
            I::I64ExtendI32S | I::I64ExtendI32U => self.unop(ctx, I32, I64)?,
            I::I64TruncF32S | I::I64TruncF32U | I::I64TruncSatF32S | I::I64TruncSatF32U => {
                self.unop(ctx, F32, I64)?
            }
            I::I64TruncF64S
            | I::I64TruncF64U
            | I::I64ReinterpretF64
            | I::I64TruncSatF64S
            | I::I64TruncSatF64U => self.unop(ctx, F64, I64)?,
            I::F32ConvertI32S | I::F32ConvertI32U | I::F32ReinterpretI32 => {
                self.unop(ctx, I32, F32)?
            }
            I::F32ConvertI64S | I::F32ConvertI64U => self.unop(ctx, I64, F32)?,
            I::F32DemoteF64 => self.unop(ctx, F64, F32)?,
            I::F64ConvertI32S | I::F64ConvertI32U => self.unop(ctx, I32, F64)?,
            I::F64ConvertI64S | I::F64ConvertI64U | I::F64ReinterpretI64 => {
                self.unop(ctx, I64, F64)?
            }
            I::F64PromoteF32 => self.unop(ctx, F32, F64)?,
            I::I64Add128 | I::I64Sub128 => {
                for _ in 0..4 {
                    self.pop_expect(ctx, I64)?;
                }
                self.push_val(I64);
                self.push_val(I64);
            }
            I::I64MulWideS | I::I64MulWideU => {
                self.pop_expect(ctx, I64)?;
                self.pop_expect(ctx, I64)?;
                self.push_val(I64);
                self.push_val(I64);
            }

            // ----- references -----
            I::RefNull { ty } => {
                ctx.check_heap(*ty, ctx.m.types.len() as u32)?;
                self.push_val(reft(true, *ty));
            }
            I::RefIsNull => {
                self.pop_ref()?;
                self.push_val(I32);
            }
            I::RefFunc { func } => {
                let ty = *ctx
                    .funcs
                    .get(*func as usize)
                    .ok_or_else(|| err(format!("unknown function {func}")))?;
                if !ctx.declared[*func as usize] {
                    return Err(err(format!("undeclared function reference {func}")));
                }
                let heap = if ctx.func_ref_exact(*func) {
                    HeapType::Exact(ty)
                } else {
                    HeapType::Concrete(ty)
                };
                self.push_val(reft(false, heap));
            }
            I::RefAsNonNull => match self.pop_ref()? {
                Some(r) => self.push_val(reft(false, r.heap)),
                None => self.push(Ty::BotRef),
            },
            I::BrOnNull { label } => {
                let r = self.pop_ref()?;
                let tys = self.branch_check(ctx, *label)?;
                self.push_vals(tys);
                match r {
                    Some(r) => self.push_val(reft(false, r.heap)),
                    None => self.push(Ty::BotRef),
                }
            }
            I::BrOnNonNull { label } => {
                let tys = self.label(*label)?.label_types();
                let n = tys.len();
                if n == 0 {
                    return Err(err(
                        "type mismatch: br_on_non_null needs a label with a reference type",
                    ));
                }
                match self.pop_ref()? {
                    Some(r) => self.push_val(reft(false, r.heap)),
                    None => self.push(Ty::BotRef),
                }
                self.pop_vals(ctx, tys)?;
                self.push_vals(tys.prefix(n - 1));
            }
            I::RefEq => {
                self.pop_expect(ctx, abs(true, AbsHeap::Eq))?;
                self.pop_expect(ctx, abs(true, AbsHeap::Eq))?;
                self.push_val(I32);
            }
            I::RefTest { ty }
            | I::RefTestNull { ty }
            | I::RefCast { ty }
            | I::RefCastNull { ty } => {
                ctx.check_heap(*ty, ctx.m.types.len() as u32)?;
                self.pop_expect(ctx, abs(true, ctx.top(*ty)))?;
                match i {
                    I::RefCast { .. } => self.push_val(reft(false, *ty)),
                    I::RefCastNull { .. } => self.push_val(reft(true, *ty)),
                    _ => self.push_val(I32),
                }
            }
            I::BrOnCast { cast } | I::BrOnCastFail { cast } => {
                let (from, to) = (cast.from, cast.to);
                let bound = ctx.m.types.len() as u32;
                ctx.check_ref(from, bound)?;
                ctx.check_ref(to, bound)?;
                if !ctx.cast_fits(from, to) {
                    return Err(err(
                        "type mismatch: cast type is not a subtype of the source type",
                    ));
                }
                self.pop_expect(ctx, ValType::Ref(from))?;
                let tys = self.label(cast.label)?.label_types();
                let n = tys.len();
                if n == 0 {
                    return Err(err("type mismatch: the label carries no reference"));
                }
                let diff = RefType::new(from.nullable && !to.nullable, from.heap);
                let (taken, fallthrough) = if matches!(i, I::BrOnCast { .. }) {
                    (to, diff)
                } else {
                    (diff, to)
                };
                self.push_val(ValType::Ref(taken));
                self.pop_vals(ctx, tys)?;
                self.push_vals(tys.prefix(n - 1));
                self.push_val(ValType::Ref(fallthrough));
            }
            I::AnyConvertExtern | I::ExternConvertAny => {
                let (from, to) = if matches!(i, I::AnyConvertExtern) {
                    (AbsHeap::Extern, AbsHeap::Any)
                } else {
                    (AbsHeap::Any, AbsHeap::Extern)
                };
                let t = self.pop_expect_ty(ctx, abs(true, from))?;
                let nullable = match t {
                    Ty::Val(ValType::Ref(r)) => r.nullable,
                    Ty::BotRef => false,
                    _ => true,
                };
                self.push_val(abs(nullable, to));
            }
            I::RefI31 => self.unop(ctx, I32, abs(false, AbsHeap::I31))?,

            // ----- custom descriptors (`desc.rs`) -----
            I::StructNewDesc { ty } => self.struct_new_desc(ctx, *ty, false)?,
            I::StructNewDefaultDesc { ty } => self.struct_new_desc(ctx, *ty, true)?,
            I::RefGetDesc { ty } => self.ref_get_desc(ctx, *ty)?,
            I::RefCastDescEq { ty } => self.ref_cast_desc_eq(ctx, RefType::new(false, *ty))?,
            I::RefCastDescEqNull { ty } => self.ref_cast_desc_eq(ctx, RefType::new(true, *ty))?,
            I::BrOnCastDescEq { cast } | I::BrOnCastDescEqFail { cast } => self
                .br_on_cast_desc_eq(
                    ctx,
                    cast.label,
                    cast.from,
                    cast.to,
                    matches!(i, I::BrOnCastDescEqFail { .. }),
                )?,
            I::I31GetS | I::I31GetU => self.unop(ctx, abs(true, AbsHeap::I31), I32)?,

            // ----- aggregates -----
            I::StructNew { ty } => {
                let fields = ctx.struct_type(*ty)?;
                no_descriptor(ctx, *ty)?;
                for f in fields.iter().rev() {
                    self.pop_expect(ctx, f.storage.unpacked())?;
                }
                self.push_val(reft(false, ctx.allocated(*ty)));
            }
            I::StructNewDefault { ty } => {
                let fields = ctx.struct_type(*ty)?;
                no_descriptor(ctx, *ty)?;
                if fields
                    .iter()
                    .any(|f| !f.storage.unpacked().is_defaultable())
                {
                    return Err(err("type mismatch: struct has non-defaultable fields"));
                }
                self.push_val(reft(false, ctx.allocated(*ty)));
            }
            I::StructGet { ty, field }
            | I::StructGetS { ty, field }
            | I::StructGetU { ty, field } => {
                let fields = ctx.struct_type(*ty)?;
                let f = fields
                    .get(*field as usize)
                    .ok_or_else(|| err(format!("unknown field {field}")))?;
                let packed = !matches!(f.storage, StorageType::Val(_));
                if packed == matches!(i, I::StructGet { .. }) {
                    return Err(err(
                        "type mismatch: packed fields need struct.get_s or struct.get_u",
                    ));
                }
                self.unop(
                    ctx,
                    reft(true, HeapType::Concrete(*ty)),
                    f.storage.unpacked(),
                )?;
            }
            I::StructSet { ty, field } => {
                let fields = ctx.struct_type(*ty)?;
                let f = fields
                    .get(*field as usize)
                    .ok_or_else(|| err(format!("unknown field {field}")))?;
                if !f.mutable {
                    return Err(err("immutable field"));
                }
                self.pop_expect(ctx, f.storage.unpacked())?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
            }
            I::ArrayNew { ty } => {
                let f = ctx.array_type(*ty)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, f.storage.unpacked())?;
                self.push_val(reft(false, ctx.allocated(*ty)));
            }
            I::ArrayNewDefault { ty } => {
                let f = ctx.array_type(*ty)?;
                if !f.storage.unpacked().is_defaultable() {
                    return Err(err("type mismatch: array element is not defaultable"));
                }
                self.pop_expect(ctx, I32)?;
                self.push_val(reft(false, ctx.allocated(*ty)));
            }
            I::ArrayNewFixed { ty, len } => {
                let f = ctx.array_type(*ty)?;
                self.pop_n(ctx, f.storage.unpacked(), *len)?;
                self.push_val(reft(false, ctx.allocated(*ty)));
            }
            I::ArrayNewData { ty, data } => {
                let f = ctx.array_type(*ty)?;
                if matches!(f.storage, StorageType::Val(ValType::Ref(_))) {
                    return Err(err("array type is not numeric or vector"));
                }
                ctx.check_data(*data)?;
                self.binop(ctx, I32, reft(false, ctx.allocated(*ty)))?;
            }
            I::ArrayNewElem { ty, elem } => {
                let f = ctx.array_type(*ty)?;
                let et = ctx.elem_type(*elem)?;
                if !ctx.val_sub(ValType::Ref(et), f.storage.unpacked()) {
                    return Err(err("type mismatch: element segment does not fit the array"));
                }
                self.binop(ctx, I32, reft(false, ctx.allocated(*ty)))?;
            }
            I::ArrayGet { ty } | I::ArrayGetS { ty } | I::ArrayGetU { ty } => {
                let f = ctx.array_type(*ty)?;
                let packed = !matches!(f.storage, StorageType::Val(_));
                if packed == matches!(i, I::ArrayGet { .. }) {
                    return Err(err(
                        "type mismatch: packed arrays need array.get_s or array.get_u",
                    ));
                }
                self.pop_expect(ctx, I32)?;
                self.unop(
                    ctx,
                    reft(true, HeapType::Concrete(*ty)),
                    f.storage.unpacked(),
                )?;
            }
            I::ArraySet { ty } => {
                let f = ctx.array_type(*ty)?;
                if !f.mutable {
                    return Err(err("immutable array"));
                }
                self.pop_expect(ctx, f.storage.unpacked())?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
            }
            I::ArrayLen => self.unop(ctx, abs(true, AbsHeap::Array), I32)?,
            I::ArrayFill { ty } => {
                let f = ctx.array_type(*ty)?;
                if !f.mutable {
                    return Err(err("immutable array"));
                }
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, f.storage.unpacked())?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
            }
            I::ArrayCopy { dst, src } => {
                let d = ctx.array_type(*dst)?;
                let s = ctx.array_type(*src)?;
                if !d.mutable {
                    return Err(err("immutable array"));
                }
                let fits = match (s.storage, d.storage) {
                    (StorageType::Val(a), StorageType::Val(b)) => ctx.val_sub(a, b),
                    (a, b) => a == b,
                };
                if !fits {
                    return Err(err("array types do not match"));
                }
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*src)))?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*dst)))?;
            }
            I::ArrayInitData { ty, data } => {
                let f = ctx.array_type(*ty)?;
                if !f.mutable {
                    return Err(err("immutable array"));
                }
                if matches!(f.storage, StorageType::Val(ValType::Ref(_))) {
                    return Err(err("array type is not numeric or vector"));
                }
                ctx.check_data(*data)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
            }
            I::ArrayInitElem { ty, elem } => {
                let f = ctx.array_type(*ty)?;
                if !f.mutable {
                    return Err(err("immutable array"));
                }
                let et = ctx.elem_type(*elem)?;
                if !ctx.val_sub(ValType::Ref(et), f.storage.unpacked()) {
                    return Err(err("type mismatch: element segment does not fit the array"));
                }
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, I32)?;
                self.pop_expect(ctx, reft(true, HeapType::Concrete(*ty)))?;
            }

            // ----- vectors -----
            I::V128Load { memarg }
            | I::V128Load8x8S { memarg }
            | I::V128Load8x8U { memarg }
            | I::V128Load16x4S { memarg }
            | I::V128Load16x4U { memarg }
            | I::V128Load32x2S { memarg }
            | I::V128Load32x2U { memarg }
            | I::V128Load8Splat { memarg }
            | I::V128Load16Splat { memarg }
            | I::V128Load32Splat { memarg }
            | I::V128Load64Splat { memarg }
            | I::V128Load32Zero { memarg }
            | I::V128Load64Zero { memarg } => self.load(ctx, i, *memarg, V128)?,
            I::V128Store { memarg } => self.store(ctx, i, *memarg, V128)?,
            I::V128Load8Lane { memarg, lane }
            | I::V128Load16Lane { memarg, lane }
            | I::V128Load32Lane { memarg, lane }
            | I::V128Load64Lane { memarg, lane } => {
                let a = self.mem_access(ctx, i, *memarg, false)?;
                self.lane(*lane, 16 >> i.natural_align().unwrap_or(0))?;
                self.pop_expect(ctx, V128)?;
                self.pop_expect(ctx, a)?;
                self.push_val(V128);
            }
            I::V128Store8Lane { memarg, lane }
            | I::V128Store16Lane { memarg, lane }
            | I::V128Store32Lane { memarg, lane }
            | I::V128Store64Lane { memarg, lane } => {
                let a = self.mem_access(ctx, i, *memarg, false)?;
                self.lane(*lane, 16 >> i.natural_align().unwrap_or(0))?;
                self.pop_expect(ctx, V128)?;
                self.pop_expect(ctx, a)?;
            }
            I::V128Const { .. } => self.push_val(V128),
            I::I8x16Shuffle { lanes } => {
                for &l in lanes.0.iter() {
                    self.lane(l, 32)?;
                }
                self.binop(ctx, V128, V128)?;
            }
            I::I8x16Splat | I::I16x8Splat | I::I32x4Splat => self.unop(ctx, I32, V128)?,
            I::I64x2Splat => self.unop(ctx, I64, V128)?,
            I::F32x4Splat => self.unop(ctx, F32, V128)?,
            I::F64x2Splat => self.unop(ctx, F64, V128)?,
            I::I8x16ExtractLaneS { lane } | I::I8x16ExtractLaneU { lane } => {
                self.lane(*lane, 16)?;
                self.unop(ctx, V128, I32)?;
            }
            I::I16x8ExtractLaneS { lane } | I::I16x8ExtractLaneU { lane } => {
                self.lane(*lane, 8)?;
                self.unop(ctx, V128, I32)?;
            }
            I::I32x4ExtractLane { lane } => {
                self.lane(*lane, 4)?;
                self.unop(ctx, V128, I32)?;
            }
            I::I64x2ExtractLane { lane } => {
                self.lane(*lane, 2)?;
                self.unop(ctx, V128, I64)?;
            }
            I::F32x4ExtractLane { lane } => {
                self.lane(*lane, 4)?;
                self.unop(ctx, V128, F32)?;
            }
            I::F64x2ExtractLane { lane } => {
                self.lane(*lane, 2)?;
                self.unop(ctx, V128, F64)?;
            }
            I::I8x16ReplaceLane { lane } => self.replace_lane(ctx, *lane, 16, I32)?,
            I::I16x8ReplaceLane { lane } => self.replace_lane(ctx, *lane, 8, I32)?,
            I::I32x4ReplaceLane { lane } => self.replace_lane(ctx, *lane, 4, I32)?,
            I::I64x2ReplaceLane { lane } => self.replace_lane(ctx, *lane, 2, I64)?,
            I::F32x4ReplaceLane { lane } => self.replace_lane(ctx, *lane, 4, F32)?,
            I::F64x2ReplaceLane { lane } => self.replace_lane(ctx, *lane, 2, F64)?,
            I::I8x16Shl
            | I::I8x16ShrS
            | I::I8x16ShrU
            | I::I16x8Shl
            | I::I16x8ShrS
            | I::I16x8ShrU
            | I::I32x4Shl
            | I::I32x4ShrS
            | I::I32x4ShrU
            | I::I64x2Shl
            | I::I64x2ShrS
            | I::I64x2ShrU => {
                self.pop_expect(ctx, I32)?;
                self.unop(ctx, V128, V128)?;
            }
            I::V128AnyTrue
            | I::I8x16AllTrue
            | I::I8x16Bitmask
            | I::I16x8AllTrue
            | I::I16x8Bitmask
            | I::I32x4AllTrue
            | I::I32x4Bitmask
            | I::I64x2AllTrue
            | I::I64x2Bitmask => self.unop(ctx, V128, I32)?,
            I::V128Bitselect
            | I::F32x4RelaxedMadd
            | I::F32x4RelaxedNmadd
            | I::F64x2RelaxedMadd
            | I::F64x2RelaxedNmadd
            | I::I8x16RelaxedLaneselect
            | I::I16x8RelaxedLaneselect
            | I::I32x4RelaxedLaneselect
            | I::I64x2RelaxedLaneselect
            | I::I32x4RelaxedDotI8x16I7x16AddS => self.ternop(ctx, V128, V128)?,
            I::V128Not
            | I::F32x4DemoteF64x2Zero
            | I::F64x2PromoteLowF32x4
            | I::I8x16Abs
            | I::I8x16Neg
            | I::I8x16Popcnt
            | I::F32x4Ceil
            | I::F32x4Floor
            | I::F32x4Trunc
            | I::F32x4Nearest
            | I::F64x2Ceil
            | I::F64x2Floor
            | I::F64x2Trunc
            | I::I16x8ExtaddPairwiseI8x16S
            | I::I16x8ExtaddPairwiseI8x16U
            | I::I32x4ExtaddPairwiseI16x8S
            | I::I32x4ExtaddPairwiseI16x8U
            | I::I16x8Abs
            | I::I16x8Neg
            | I::I16x8ExtendLowI8x16S
            | I::I16x8ExtendHighI8x16S
            | I::I16x8ExtendLowI8x16U
            | I::I16x8ExtendHighI8x16U
            | I::F64x2Nearest
            | I::I32x4Abs
            | I::I32x4Neg
            | I::I32x4ExtendLowI16x8S
            | I::I32x4ExtendHighI16x8S
            | I::I32x4ExtendLowI16x8U
            | I::I32x4ExtendHighI16x8U
            | I::I64x2Abs
            | I::I64x2Neg
            | I::I64x2ExtendLowI32x4S
            | I::I64x2ExtendHighI32x4S
            | I::I64x2ExtendLowI32x4U
            | I::I64x2ExtendHighI32x4U
            | I::F32x4Abs
            | I::F32x4Neg
            | I::F32x4Sqrt
            | I::F64x2Abs
            | I::F64x2Neg
            | I::F64x2Sqrt
            | I::I32x4TruncSatF32x4S
            | I::I32x4TruncSatF32x4U
            | I::F32x4ConvertI32x4S
            | I::F32x4ConvertI32x4U
            | I::I32x4TruncSatF64x2SZero
            | I::I32x4TruncSatF64x2UZero
            | I::F64x2ConvertLowI32x4S
            | I::F64x2ConvertLowI32x4U
            | I::I32x4RelaxedTruncF32x4S
            | I::I32x4RelaxedTruncF32x4U
            | I::I32x4RelaxedTruncF64x2SZero
            | I::I32x4RelaxedTruncF64x2UZero => self.unop(ctx, V128, V128)?,
            I::I8x16Swizzle
            | I::I8x16Eq
            | I::I8x16Ne
            | I::I8x16LtS
            | I::I8x16LtU
            | I::I8x16GtS
            | I::I8x16GtU
            | I::I8x16LeS
            | I::I8x16LeU
            | I::I8x16GeS
            | I::I8x16GeU
            | I::I16x8Eq
            | I::I16x8Ne
            | I::I16x8LtS
            | I::I16x8LtU
            | I::I16x8GtS
            | I::I16x8GtU
            | I::I16x8LeS
            | I::I16x8LeU
            | I::I16x8GeS
            | I::I16x8GeU
            | I::I32x4Eq
            | I::I32x4Ne
            | I::I32x4LtS
            | I::I32x4LtU
            | I::I32x4GtS
            | I::I32x4GtU
            | I::I32x4LeS
            | I::I32x4LeU
            | I::I32x4GeS
            | I::I32x4GeU
            | I::F32x4Eq
            | I::F32x4Ne
            | I::F32x4Lt
            | I::F32x4Gt
            | I::F32x4Le
            | I::F32x4Ge
            | I::F64x2Eq
            | I::F64x2Ne
            | I::F64x2Lt
            | I::F64x2Gt
            | I::F64x2Le
            | I::F64x2Ge
            | I::V128And
            | I::V128AndNot
            | I::V128Or
            | I::V128Xor
            | I::I8x16NarrowI16x8S
            | I::I8x16NarrowI16x8U
            | I::I8x16Add
            | I::I8x16AddSatS
            | I::I8x16AddSatU
            | I::I8x16Sub
            | I::I8x16SubSatS
            | I::I8x16SubSatU
            | I::I8x16MinS
            | I::I8x16MinU
            | I::I8x16MaxS
            | I::I8x16MaxU
            | I::I8x16AvgrU
            | I::I16x8Q15MulrSatS
            | I::I16x8NarrowI32x4S
            | I::I16x8NarrowI32x4U
            | I::I16x8Add
            | I::I16x8AddSatS
            | I::I16x8AddSatU
            | I::I16x8Sub
            | I::I16x8SubSatS
            | I::I16x8SubSatU
            | I::I16x8Mul
            | I::I16x8MinS
            | I::I16x8MinU
            | I::I16x8MaxS
            | I::I16x8MaxU
            | I::I16x8AvgrU
            | I::I16x8ExtmulLowI8x16S
            | I::I16x8ExtmulHighI8x16S
            | I::I16x8ExtmulLowI8x16U
            | I::I16x8ExtmulHighI8x16U
            | I::I32x4Add
            | I::I32x4Sub
            | I::I32x4Mul
            | I::I32x4MinS
            | I::I32x4MinU
            | I::I32x4MaxS
            | I::I32x4MaxU
            | I::I32x4DotI16x8S
            | I::I32x4ExtmulLowI16x8S
            | I::I32x4ExtmulHighI16x8S
            | I::I32x4ExtmulLowI16x8U
            | I::I32x4ExtmulHighI16x8U
            | I::I64x2Add
            | I::I64x2Sub
            | I::I64x2Mul
            | I::I64x2Eq
            | I::I64x2Ne
            | I::I64x2LtS
            | I::I64x2GtS
            | I::I64x2LeS
            | I::I64x2GeS
            | I::I64x2ExtmulLowI32x4S
            | I::I64x2ExtmulHighI32x4S
            | I::I64x2ExtmulLowI32x4U
            | I::I64x2ExtmulHighI32x4U
            | I::F32x4Add
            | I::F32x4Sub
            | I::F32x4Mul
            | I::F32x4Div
            | I::F32x4Min
            | I::F32x4Max
            | I::F32x4Pmin
            | I::F32x4Pmax
            | I::F64x2Add
            | I::F64x2Sub
            | I::F64x2Mul
            | I::F64x2Div
            | I::F64x2Min
            | I::F64x2Max
            | I::F64x2Pmin
            | I::F64x2Pmax
            | I::I8x16RelaxedSwizzle
            | I::F32x4RelaxedMin
            | I::F32x4RelaxedMax
            | I::F64x2RelaxedMin
            | I::F64x2RelaxedMax
            | I::I16x8RelaxedQ15mulrS
            | I::I16x8RelaxedDotI8x16I7x16S => self.binop(ctx, V128, V128)?,

            // ----- atomics -----
            I::MemoryAtomicNotify { memarg } => self.atomic(ctx, i, *memarg, &[I32], Some(I32))?,
            I::MemoryAtomicWait32 { memarg } => {
                self.atomic(ctx, i, *memarg, &[I32, I64], Some(I32))?
            }
            I::MemoryAtomicWait64 { memarg } => {
                self.atomic(ctx, i, *memarg, &[I64, I64], Some(I32))?
            }
            I::AtomicFence { .. } => {}
            I::I32AtomicLoad { memarg }
            | I::I32AtomicLoad8U { memarg }
            | I::I32AtomicLoad16U { memarg } => self.atomic(ctx, i, *memarg, &[], Some(I32))?,
            I::I64AtomicLoad { memarg }
            | I::I64AtomicLoad8U { memarg }
            | I::I64AtomicLoad16U { memarg }
            | I::I64AtomicLoad32U { memarg } => self.atomic(ctx, i, *memarg, &[], Some(I64))?,
            I::I32AtomicStore { memarg }
            | I::I32AtomicStore8 { memarg }
            | I::I32AtomicStore16 { memarg } => self.atomic(ctx, i, *memarg, &[I32], None)?,
            I::I64AtomicStore { memarg }
            | I::I64AtomicStore8 { memarg }
            | I::I64AtomicStore16 { memarg }
            | I::I64AtomicStore32 { memarg } => self.atomic(ctx, i, *memarg, &[I64], None)?,
            I::I32AtomicRmwAdd { memarg }
            | I::I32AtomicRmw8AddU { memarg }
            | I::I32AtomicRmw16AddU { memarg }
            | I::I32AtomicRmwSub { memarg }
            | I::I32AtomicRmw8SubU { memarg }
            | I::I32AtomicRmw16SubU { memarg }
            | I::I32AtomicRmwAnd { memarg }
            | I::I32AtomicRmw8AndU { memarg }
            | I::I32AtomicRmw16AndU { memarg }
            | I::I32AtomicRmwOr { memarg }
            | I::I32AtomicRmw8OrU { memarg }
            | I::I32AtomicRmw16OrU { memarg }
            | I::I32AtomicRmwXor { memarg }
            | I::I32AtomicRmw8XorU { memarg }
            | I::I32AtomicRmw16XorU { memarg }
            | I::I32AtomicRmwXchg { memarg }
            | I::I32AtomicRmw8XchgU { memarg }
            | I::I32AtomicRmw16XchgU { memarg } => {
                self.atomic(ctx, i, *memarg, &[I32], Some(I32))?
            }
            I::I64AtomicRmwAdd { memarg }
            | I::I64AtomicRmw8AddU { memarg }
            | I::I64AtomicRmw16AddU { memarg }
            | I::I64AtomicRmw32AddU { memarg }
            | I::I64AtomicRmwSub { memarg }
            | I::I64AtomicRmw8SubU { memarg }
            | I::I64AtomicRmw16SubU { memarg }
            | I::I64AtomicRmw32SubU { memarg }
            | I::I64AtomicRmwAnd { memarg }
            | I::I64AtomicRmw8AndU { memarg }
            | I::I64AtomicRmw16AndU { memarg }
            | I::I64AtomicRmw32AndU { memarg }
            | I::I64AtomicRmwOr { memarg }
            | I::I64AtomicRmw8OrU { memarg }
            | I::I64AtomicRmw16OrU { memarg }
            | I::I64AtomicRmw32OrU { memarg }
            | I::I64AtomicRmwXor { memarg }
            | I::I64AtomicRmw8XorU { memarg }
            | I::I64AtomicRmw16XorU { memarg }
            | I::I64AtomicRmw32XorU { memarg }
            | I::I64AtomicRmwXchg { memarg }
            | I::I64AtomicRmw8XchgU { memarg }
            | I::I64AtomicRmw16XchgU { memarg }
            | I::I64AtomicRmw32XchgU { memarg } => {
                self.atomic(ctx, i, *memarg, &[I64], Some(I64))?
            }
            I::I32AtomicRmwCmpxchg { memarg }
            | I::I32AtomicRmw8CmpxchgU { memarg }
            | I::I32AtomicRmw16CmpxchgU { memarg } => {
                self.atomic(ctx, i, *memarg, &[I32, I32], Some(I32))?
            }
            I::I64AtomicRmwCmpxchg { memarg }
            | I::I64AtomicRmw8CmpxchgU { memarg }
            | I::I64AtomicRmw16CmpxchgU { memarg }
            | I::I64AtomicRmw32CmpxchgU { memarg } => {
                self.atomic(ctx, i, *memarg, &[I64, I64], Some(I64))?
            }
        }
        Ok(())
    }

    fn replace_lane(&mut self, ctx: &Ctx<'m>, lane: u8, lanes: u8, t: ValType) -> Result<()> {
        self.lane(lane, lanes)?;
        self.pop_expect(ctx, t)?;
        self.unop(ctx, V128, V128)
    }

    fn end(&mut self, ctx: &Ctx<'m>, pos: u32) -> Result<()> {
        let frame = self.pop_ctrl(ctx)?;
        if frame.kind == Kind::If {
            // An `if` without `else` behaves as if its else branch were
            // empty: the parameters must pass through as the results.
            let (p, r) = (frame.params, frame.results);
            if p.len() != r.len() || (0..p.len()).any(|k| !ctx.val_sub(p.get(k), r.get(k))) {
                return Err(mismatch_if(frame.results));
            }
        }
        if frame.kind != Kind::Func && frame.kind != Kind::Const {
            self.blocks[frame.block as usize].end_pos = pos;
        }
        self.push_vals(frame.results);
        Ok(())
    }

    /// Whether a proposal's instructions are enabled.
    pub(crate) fn check_feature(ctx: &Ctx<'m>, i: &Instr) -> Result<()> {
        let f = i.feature();
        if ctx.features.contains(f) {
            return Ok(());
        }
        let name = Features::NAMED
            .iter()
            .find(|(_, x)| *x == f)
            .map(|(n, _)| *n)
            .unwrap_or("?");
        Err(err(format!(
            "unknown operator {}: the {name} proposal is not enabled",
            i.name()
        )))
    }
}

fn mismatch_if(_results: Tys<'_>) -> crate::Error {
    err("type mismatch: an if without else must produce its results from its parameters")
}
