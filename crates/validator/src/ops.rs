//! The typing of every instruction: one match over those with rules of
//! their own (control, variables, tables, bulk memory, references,
//! aggregates), and every other typed by its signature in the instruction
//! table (`by_signature`: the numeric and vector operators, conversions,
//! constants, and the loads, stores and atomics through a `memarg`). A new
//! row with a fixed signature needs nothing here; one whose signature has
//! placeholders other than `addr` needs an arm, or it is rejected as an
//! internal error (the spec testsuite and `tests/signatures.rs` would
//! say so).

use crate::subtype::Subtyping;
use weft_ast::{
    AbsHeap, AddrType, BlockType, Catch, Features, HeapType, Instr, MemArg, RefType, SigType,
    StorageType, ValType,
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

    fn lane(&self, lane: u8, lanes: u8) -> Result<()> {
        if lane < lanes {
            Ok(())
        } else {
            Err(err(format!("invalid lane index {lane}")))
        }
    }

    /// Types an instruction by its signature in the table: the simple
    /// operators (numbers, vectors, conversions, constants), and memory
    /// accesses through a `memarg`, whose `addr` is the memory's address
    /// type (atomics need their natural alignment exactly). A lane index is
    /// checked against the lane count of its shape.
    fn by_signature(&mut self, ctx: &Ctx<'m>, i: &Instr) -> Result<()> {
        let sig = i.signature();
        let addr = match i.memarg() {
            Some(m) => Some(self.mem_access(ctx, i, m, i.feature() == Features::THREADS)?),
            None => None,
        };
        if let Some(lane) = i.lane() {
            self.lane(lane, lane_count(i))?;
        }
        let resolve = |t: SigType| match (t, addr) {
            (SigType::Val(v), _) => Ok(v),
            (SigType::Addr, Some(a)) => Ok(a),
            _ => Err(err(format!(
                "internal: {} has no typing rule for its signature",
                i.name()
            ))),
        };
        for &t in sig.params.iter().rev() {
            self.pop_expect(ctx, resolve(t)?)?;
        }
        for &t in sig.results {
            self.push_val(resolve(t)?);
        }
        if sig.never {
            self.set_unreachable();
        }
        Ok(())
    }

    fn open_block(&mut self, ctx: &Ctx<'m>, kind: Kind, bt: BlockType) -> Result<()> {
        let (params, results) = block_sig(ctx, bt)?;
        if kind == Kind::If {
            self.pop_expect(ctx, I32)?;
        }
        self.pop_vals(ctx, params)?;
        self.push_ctrl(kind, params, results);
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

    /// Types an instruction of a body or constant expression.
    pub(crate) fn instr(&mut self, ctx: &Ctx<'m>, i: &Instr) -> Result<()> {
        use Instr as I;
        // The proposals the per-instruction check may skip (see
        // `INSTR_FEATURES`) are checked here: their instructions never take
        // the fast path.
        if !INSTR_FEATURES.contains(i.feature()) {
            Self::check_feature(ctx, i)?;
        }
        match i {
            // ----- control -----
            I::Block { ty } => self.open_block(ctx, Kind::Block, *ty)?,
            I::Loop { ty } => self.open_block(ctx, Kind::Loop, *ty)?,
            I::If { ty } => self.open_block(ctx, Kind::If, *ty)?,
            I::Else => {
                let frame = self.pop_ctrl(ctx)?;
                if frame.kind != Kind::If {
                    return Err(err("else without matching if"));
                }
                self.push_ctrl(Kind::Else, frame.params, frame.results);
            }
            I::End => self.end(ctx)?,
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
                self.open_block(ctx, Kind::TryTable, table.ty)?;
            }
            I::Try { ty } => self.open_block(ctx, Kind::Try, *ty)?,
            I::Catch { tag } => {
                let f = ctx.tag_type(*tag)?;
                let frame = self.pop_ctrl(ctx)?;
                if !matches!(frame.kind, Kind::Try | Kind::Catch) {
                    return Err(err("catch found outside of a try block"));
                }
                self.push_ctrl(Kind::Catch, Tys::Empty, frame.results);
                self.push_vals(Tys::Many(&f.params));
            }
            I::CatchAll => {
                let frame = self.pop_ctrl(ctx)?;
                if !matches!(frame.kind, Kind::Try | Kind::Catch) {
                    return Err(err("catch_all found outside of a try block"));
                }
                self.push_ctrl(Kind::CatchAll, Tys::Empty, frame.results);
            }
            I::Delegate { label } => {
                let frame = self.pop_ctrl(ctx)?;
                if frame.kind != Kind::Try {
                    return Err(err("delegate found outside of a try block"));
                }
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
            I::I8x16Shuffle { lanes } => {
                for &l in lanes.0.iter() {
                    self.lane(l, 32)?;
                }
                self.by_signature(ctx, i)?;
            }
            // Everything else is typed by its signature in the table.
            _ => self.by_signature(ctx, i)?,
        }
        Ok(())
    }

    fn end(&mut self, ctx: &Ctx<'m>) -> Result<()> {
        let frame = self.pop_ctrl(ctx)?;
        if frame.kind == Kind::If {
            // An `if` without `else` behaves as if its else branch were
            // empty: the parameters must pass through as the results.
            let (p, r) = (frame.params, frame.results);
            if p.len() != r.len() || (0..p.len()).any(|k| !ctx.val_sub(p.get(k), r.get(k))) {
                return Err(mismatch_if(frame.results));
            }
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

/// The lanes a lane index selects among: a lane load or store's by its
/// access width, an `extract_lane` or `replace_lane`'s by its shape
/// (`i8x16`, `f64x2`, ...: the count after the `x`).
fn lane_count(i: &Instr) -> u8 {
    if let Some(natural) = i.natural_align() {
        return 16 >> natural;
    }
    i.name()
        .split_once('.')
        .and_then(|(shape, _)| shape.split_once('x'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}
