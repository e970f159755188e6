//! Lowering: each instruction to register ops (`Translator::instr`, the one
//! big match over `Instr`). Control instructions resolve their labels;
//! operators with a register form read their operands where they are and
//! write home (or, retargeted, into the local a `local.set` names); every
//! other instruction keeps its AST form and finds its operands home, in a
//! row, as the value stack it was written for (`generic`).

use weft_ast::Features;

use super::*;
use crate::ops::mem::{load_fn, store_fn};
use crate::ops::num::{BinFn, int_bin, trapping, un};

/// Which executor family runs an instruction kept as the AST's.
#[derive(Clone, Copy)]
enum Generic {
    Num,
    Simd,
    Access,
    Gc,
}

impl Translator<'_> {
    pub(super) fn body(&mut self, body: &[Instr]) -> Result<(), Error> {
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

    /// An instruction kept as the AST's: its operands (`pops` slots) home
    /// in a row, the op, its results home.
    fn generic(
        &mut self,
        family: Generic,
        instr: &Instr,
        pops: u32,
        pushes: &[u8],
    ) -> Result<(), Error> {
        // `ops::access` and `ops::gc` index the instance's memories,
        // tables, segments and types by these (see `checks.rs`).
        self.env.check_indices(instr)?;
        let at = self.pop_home_slots(pops)?;
        let top = at + pops;
        let instr = Box::new(instr.clone());
        self.push_homes(pushes);
        self.emit(match family {
            Generic::Num => Op::Num { instr, top },
            Generic::Simd => Op::Simd { instr, top },
            Generic::Access => Op::Access { instr, top },
            Generic::Gc => Op::Gc { instr, top },
        });
        Ok(())
    }

    /// A binary operator with a register form.
    fn binary(&mut self, mut f: BinFn, wide: bool) -> Result<(), Error> {
        let b = self.pop()?;
        let a = self.pop()?;
        // An immediate: the constant as an i32 that sign-extends to it (an
        // i32 operator reads only the low half, so any i32 does).
        let imm = |v: Val| match v.loc {
            ValLoc::Const(bits) if !wide => Some(bits as u32 as i32),
            ValLoc::Const(bits) if bits as i64 == bits as i32 as i64 => Some(bits as i32),
            _ => None,
        };
        // A 64-bit constant, where the other operand's slot and the
        // result's (the first operand's home) fit in 16 bits.
        let slot_of = |v: Val| match v.loc {
            ValLoc::Local(off) => off,
            _ => v.at,
        };
        // Below `ACC16`, which names the accumulator.
        let fits16 = |slot: u32| slot < ACC16 as u32;
        let k = |v: Val, other: Val| match v.loc {
            ValLoc::Const(bits) if fits16(a.at) && fits16(slot_of(other)) => Some(bits),
            _ => None,
        };
        let op = match (imm(a), imm(b)) {
            (_, Some(imm)) if !matches!(a.loc, ValLoc::Const(_)) => {
                let a = self.read(a);
                BinFnOp::Imm(a, imm)
            }
            (Some(imm), None) if flipped(f).is_some() => {
                f = flipped(f).unwrap_or(f);
                let b = self.read(b);
                BinFnOp::Imm(b, imm)
            }
            (Some(imm), None) if !matches!(b.loc, ValLoc::Const(_)) => {
                let b = self.read(b);
                BinFnOp::ImmLeft(imm, b)
            }
            (None, None) if !matches!(a.loc, ValLoc::Const(_)) && k(b, a).is_some() => {
                let k = k(b, a).unwrap_or_default();
                let a = self.read(a);
                BinFnOp::Wide(a, k)
            }
            (None, None) if flipped(f).is_some() && k(a, b).is_some() => {
                f = flipped(f).unwrap_or(f);
                let k = k(a, b).unwrap_or_default();
                let b = self.read(b);
                BinFnOp::Wide(b, k)
            }
            _ => {
                let a = self.read(a);
                let b = self.read(b);
                BinFnOp::Reg(a, b)
            }
        };
        let d = self.push_result(1);
        self.emit_result(match op {
            BinFnOp::Reg(a, b) => Op::Bin { f, d, a, b },
            BinFnOp::Imm(a, imm) => Op::BinI { f, d, a, imm },
            BinFnOp::ImmLeft(imm, b) => Op::ImmBin { f, d, imm, b },
            // Both checked by `k` above to fit.
            BinFnOp::Wide(a, k) => Op::BinK {
                f,
                d: d as u16,
                a: a as u16,
                k,
            },
        });
        Ok(())
    }

    pub(super) fn instr(&mut self, instr: &Instr) -> Result<(), Error> {
        // The module's types are read through this, not `self`, so that a
        // signature is borrowed while the stack changes (not copied).
        let env = self.env;
        match instr {
            Instr::Unreachable => {
                self.emit(Op::Unreachable);
                self.set_unreachable();
            }
            Instr::Nop => {}
            Instr::Block { ty } => self.open(BlockKind::Block, *ty, None)?,
            Instr::Loop { ty } => self.open(BlockKind::Loop, *ty, None)?,
            Instr::If { ty } => {
                let c = self.pop()?;
                let jump = self.cond_jump(c, 0, true);
                // The stack goes home before the jump: both arms find it so.
                self.home_all();
                let at = self.here();
                self.emit(jump);
                self.open(BlockKind::If, *ty, Some(at))?;
            }
            Instr::Else => {
                let c = self.ctrls.last().ok_or(Error::Invalid("else outside if"))?;
                if c.kind != BlockKind::If {
                    return Err(Error::Invalid("else outside if"));
                }
                if !c.unreachable {
                    // The then-arm's results go where the `if` leaves them.
                    let n = self.vals.len() - c.base_vals;
                    let len = self.vals.len();
                    self.home(len - n..len);
                    let at = self.here();
                    self.emit(Op::Jump { to: 0 });
                    self.ctrls
                        .last_mut()
                        .expect("open")
                        .fixups
                        .push(Fixup::Op(at));
                }
                let here = self.begin_arm(BlockKind::Else)?;
                let c = self.ctrls.last_mut().expect("open");
                let else_fixup = c.else_fixup.take();
                let (base, params) = (c.base, c.params.clone());
                if let Some(at) = else_fixup {
                    self.patch(Fixup::Op(at), here);
                }
                self.height = base;
                self.push_homes(&params);
            }
            Instr::End => {
                // The function's end, reached only by falling through: the
                // results are returned from where they are.
                let top = self.top();
                if self.ctrls.len() == 1 && !top.unreachable && top.fixups.is_empty() {
                    let base = self.return_values()?;
                    self.ctrls.pop();
                    self.emit(Op::Return { base });
                    return Ok(());
                }
                // The block's results go home, where every branch to its
                // end puts them.
                if !self.top().unreachable {
                    let n = self.vals.len() - self.top().base_vals;
                    let len = self.vals.len();
                    self.home(len - n..len);
                }
                self.leave_catch()?;
                let Some(c) = self.ctrls.pop() else {
                    return Err(Error::Invalid("unmatched end"));
                };
                let here = self.here();
                self.barrier = here;
                self.producer = None;
                if let (Some(h), BlockKind::Try | BlockKind::Block) = (c.handler, c.kind) {
                    self.handlers[h as usize].end = here;
                }
                if let Some(at) = c.else_fixup {
                    self.patch(Fixup::Op(at), here);
                }
                for f in &c.fixups {
                    self.patch(*f, here);
                }
                while self.vals.len() > c.base_vals {
                    self.pop_val();
                }
                self.height = c.base;
                self.push_homes(&c.results);
                if self.ctrls.is_empty() {
                    self.emit(Op::Return { base: c.base });
                }
            }
            Instr::Br { label } => {
                self.emit_br(*label)?;
                self.set_unreachable();
            }
            Instr::BrIf { label } => {
                let c = self.pop()?;
                self.emit_br_if(*label, c)?;
            }
            Instr::BrTable { table } => {
                let index = self.pop()?;
                let index = self.read(index);
                let keep = self.label(table.default)?.1;
                self.home_top_slots(keep)?;
                let start = self.targets.len() as u32;
                for label in table.targets.iter().chain([&table.default]) {
                    let (t, forward) = self.branch_target(*label)?;
                    self.add_target(*label, t, forward);
                }
                let len = self.targets.len() as u32 - start;
                self.emit(Op::BrTable { index, start, len });
                self.set_unreachable();
            }
            Instr::Return => {
                let base = self.return_values()?;
                self.emit(Op::Return { base });
                self.set_unreachable();
            }
            Instr::Call { func } => {
                let ft = env.type_of_func(*func)?;
                let base = self.pop_home_types(&ft.params)?;
                self.height = base;
                self.push_types(&ft.results);
                self.emit(Op::Call { func: *func, base });
            }
            Instr::CallIndirect { ty, table } => {
                self.env.check_indices(instr)?;
                let ft = env.func_type(*ty)?;
                let index = self.pop()?;
                let index = self.read_kept(index);
                let base = self.pop_home_types(&ft.params)?;
                self.push_types(&ft.results);
                self.emit(Op::CallIndirect {
                    ty: *ty,
                    base,
                    index,
                    table: table_index(*table)?,
                });
            }
            Instr::ReturnCall { func } => {
                let ft = env.type_of_func(*func)?;
                let base = self.pop_home_types(&ft.params)?;
                self.emit(Op::ReturnCall { func: *func, base });
                self.set_unreachable();
            }
            Instr::ReturnCallIndirect { ty, table } => {
                self.env.check_indices(instr)?;
                let params = &env.func_type(*ty)?.params;
                let index = self.pop()?;
                let index = self.read_kept(index);
                let base = self.pop_home_types(params)?;
                self.emit(Op::ReturnCallIndirect {
                    ty: *ty,
                    base,
                    index,
                    table: table_index(*table)?,
                });
                self.set_unreachable();
            }
            Instr::CallRef { ty } => {
                let ft = env.func_type(*ty)?;
                let r = self.pop()?;
                let r = self.read_kept(r);
                let base = self.pop_home_types(&ft.params)?;
                self.push_types(&ft.results);
                self.emit(Op::CallRef { base, r });
            }
            Instr::ReturnCallRef { ty } => {
                let params = &env.func_type(*ty)?.params;
                let r = self.pop()?;
                let r = self.read_kept(r);
                let base = self.pop_home_types(params)?;
                self.emit(Op::ReturnCallRef { base, r });
                self.set_unreachable();
            }
            Instr::BrOnNull { label } => {
                // The reference stays where it is when the branch is not
                // taken; the label's values below it go home.
                let r_val = self.pop()?;
                let r = self.read(r_val);
                let keep = self.label(*label)?.1;
                self.home_top_slots(keep)?;
                let (t, forward) = self.branch_target(*label)?;
                let target = self.add_target(*label, t, forward);
                self.emit(Op::BrOnNull { r, target });
                let loc = match r_val.loc {
                    ValLoc::Const(_) => ValLoc::Home,
                    loc => loc,
                };
                self.push_val(Val { loc, ..r_val });
                self.height += 1;
            }
            Instr::BrOnNonNull { label } => {
                // Taken, the reference goes along as the last kept value.
                let keep = self.label(*label)?.1;
                self.home_top_slots(keep)?;
                let (t, forward) = self.branch_target(*label)?;
                let r = t.src + t.n - 1;
                let target = self.add_target(*label, t, forward);
                self.pop()?;
                self.emit(Op::BrOnNonNull { r, target });
            }
            Instr::Throw { tag } => {
                let ty = *self
                    .env
                    .tags
                    .get(*tag as usize)
                    .ok_or(Error::Invalid("unknown tag"))?;
                let params = &env.func_type(ty)?.params;
                let base = self.pop_home_types(params)?;
                self.emit(Op::Throw { tag: *tag, base });
                self.set_unreachable();
            }
            Instr::ThrowRef => {
                let r = self.pop()?;
                let r = self.read(r);
                self.emit(Op::ThrowRef { r });
                self.set_unreachable();
            }
            Instr::TryTable { table } => {
                self.env.check_indices(instr)?;
                self.try_table(table)?;
            }
            Instr::Try { ty } => {
                self.open(BlockKind::Try, *ty, None)?;
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
                let params = &env.func_type(ty)?.params;
                self.legacy_catch(Some(*tag), params)?;
            }
            Instr::CatchAll => self.legacy_catch(None, &[])?,
            Instr::Delegate { label } => {
                let c = self
                    .ctrls
                    .last()
                    .ok_or(Error::Invalid("delegate outside try"))?;
                let (BlockKind::Try, Some(h)) = (c.kind, c.handler) else {
                    return Err(Error::Invalid("delegate outside try"));
                };
                // The innermost try body at or outside the label (the label
                // counts from the block around the `try`) takes over.
                let depth = self.ctrls.len() - 1;
                let from = depth.checked_sub(1 + *label as usize).map_or(0, |i| i + 1);
                let target = self.ctrls[..from]
                    .iter()
                    .rev()
                    .find(|c| c.kind == BlockKind::Try)
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
                if c.kind != BlockKind::Catch {
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
                // The reference is the last kept value when taken, and
                // stays on top when not.
                let keep = self.label(cast.label)?.1;
                self.home_top_slots(keep.max(1))?;
                let r = self.height - 1;
                let (t, forward) = self.branch_target(cast.label)?;
                let target = self.add_target(cast.label, t, forward);
                self.casts.push(cast.to);
                self.emit(Op::BrOnCast {
                    r,
                    target,
                    cast: self.casts.len() as u32 - 1,
                    fail: matches!(instr, Instr::BrOnCastFail { .. }),
                });
            }
            Instr::BrOnCastDescEq { cast } | Instr::BrOnCastDescEqFail { cast } => {
                // The descriptor, on top, is popped before the branch,
                // which keeps the reference below it (the label's last
                // value).
                let keep = self.label(cast.label)?.1;
                self.home_top_slots(keep.max(1) + 1)?;
                let r = self.height - 2;
                self.pop()?;
                let (t, forward) = self.branch_target(cast.label)?;
                let target = self.add_target(cast.label, t, forward);
                self.casts.push(cast.to);
                self.emit(Op::BrOnCastDesc {
                    r,
                    target,
                    cast: self.casts.len() as u32 - 1,
                    fail: matches!(instr, Instr::BrOnCastDescEqFail { .. }),
                });
            }
            i if (i.feature() == Features::GC || i.feature() == Features::CUSTOM_DESCRIPTORS)
                && !matches!(i, Instr::RefEq) =>
            {
                let (pops, push) = self.gc_effect(i)?;
                let pushes: &[u8] = match push {
                    Some(1) => &[1],
                    Some(_) => &[2],
                    None => &[],
                };
                self.generic(Generic::Gc, i, pops, pushes)?;
            }
            Instr::Drop => {
                self.pop()?;
            }
            Instr::Select | Instr::SelectT { .. } => {
                let w = self
                    .vals
                    .len()
                    .checked_sub(2)
                    .map(|i| self.vals[i].width)
                    .ok_or(Error::Invalid("type mismatch: select"))?;
                if w == 1 && self.select_in_place()? {
                    return Ok(());
                }
                let at = self.pop_home_slots(2 * w as u32 + 1)?;
                self.push_home(w);
                self.emit(Op::Select { at, w: w as u32 });
            }
            Instr::LocalGet { local } => {
                let (off, w) = self.local(*local)?;
                self.push_local(off, w);
            }
            Instr::LocalSet { local } | Instr::LocalTee { local } => {
                let (off, w) = self.local(*local)?;
                // The op that just computed the value writes it to the
                // local instead, unless the stack still reads the local
                // (those reads go home first, after that op).
                if self.local_reads[off as usize] > 0 || !self.retarget(off) {
                    let v = self.pop()?;
                    match v.loc {
                        // The local keeps its value.
                        ValLoc::Local(s) if s == off => {}
                        ValLoc::Const(bits) => {
                            self.before_write(off);
                            self.emit(Op::Const { d: off, bits });
                        }
                        _ => {
                            self.before_write(off);
                            let s = self.read(v);
                            self.emit(if w == 2 {
                                Op::Copy2 { d: off, s }
                            } else {
                                Op::Copy { d: off, s }
                            });
                        }
                    }
                }
                if matches!(instr, Instr::LocalTee { .. }) {
                    self.push_local(off, w);
                }
            }
            Instr::GlobalGet { global } => {
                let w = self.global_width(*global)?;
                // Right after a `global.set` of this global that read its
                // value from the slot this value's home is, with no label
                // between: the slot holds the global's value already.
                let last = self.here().checked_sub(1).filter(|l| *l >= self.barrier);
                let same = last.map(|l| &self.ops[l as usize]).is_some_and(|op| {
                    matches!(*op, Op::GlobalSet { s, global: g, wide: false }
                        if g == *global && s == self.height && w == 1)
                });
                if same {
                    self.push_home(1);
                    return Ok(());
                }
                let d = self.push_result(w as u8);
                self.emit_result(Op::GlobalGet {
                    d,
                    global: *global,
                    wide: w == 2,
                });
            }
            Instr::GlobalSet { global } => {
                let w = self.global_width(*global)?;
                let v = self.pop()?;
                let s = self.read(v);
                self.emit(Op::GlobalSet {
                    s,
                    global: *global,
                    wide: w == 2,
                });
            }
            Instr::I32Const { value } => self.push_const(*value as u32 as u64),
            Instr::I64Const { value } => self.push_const(*value as u64),
            Instr::F32Const { value } => self.push_const(value.0 as u64),
            Instr::F64Const { value } => self.push_const(value.0),
            Instr::RefNull { .. } => self.push_const(0),
            Instr::V128Const { value } => {
                let v = u128::from_le_bytes(value.0);
                let d = self.push_home(2);
                self.emit(Op::Const { d, bits: v as u64 });
                self.emit(Op::Const {
                    d: d + 1,
                    bits: (v >> 64) as u64,
                });
            }
            Instr::RefFunc { func } => {
                self.env.check_indices(instr)?;
                let d = self.push_result(1);
                self.emit_result(Op::RefFunc { d, func: *func });
            }
            // Conversions that leave a slot's bits alone need no op: an i32
            // slot is already its value zero-extended to 64 bits, and
            // reinterpretations keep the bits.
            Instr::I64ExtendI32U
            | Instr::I32ReinterpretF32
            | Instr::F32ReinterpretI32
            | Instr::I64ReinterpretF64
            | Instr::F64ReinterpretI64 => {
                let v = self.pop()?;
                self.push_val(v);
                self.height += v.width as u32;
            }
            other => self.operator(other)?,
        }
        Ok(())
    }

    /// An instruction that is neither control nor a local's: an operator
    /// or a memory access with a register form, else the AST's form.
    fn operator(&mut self, i: &Instr) -> Result<(), Error> {
        if let Some((f, wide)) = int_bin(i) {
            return self.binary(f, wide);
        }
        if let Some(f) = un(i) {
            let a = self.pop()?;
            let a = self.read(a);
            let d = self.push_result(1);
            self.emit_result(Op::Un { f, d, a });
            return Ok(());
        }
        if let Some(f) = trapping(i) {
            let (b, a) = if f.binary() {
                let b = self.pop()?;
                let b = self.read(b);
                let a = self.pop()?;
                (b, self.read(a))
            } else {
                let a = self.pop()?;
                (0, self.read(a))
            };
            let b = if f.binary() { b } else { a };
            let d = self.push_result(1);
            self.emit_result(Op::Trapping { f, d, a, b });
            return Ok(());
        }
        if self.memory_op(i)? {
            return Ok(());
        }
        if let Some(f) = crate::ops::simd::simd_bin(i) {
            let b = self.pop()?;
            let b = self.read(b);
            let a = self.pop()?;
            let a = self.read(a);
            let d = self.push_result(2);
            self.emit_result(Op::SimdBin { f, d, a, b });
            return Ok(());
        }
        let family = if i.feature() == Features::SIMD || i.feature() == Features::RELAXED_SIMD {
            if access(i) {
                Generic::Access
            } else {
                Generic::Simd
            }
        } else if access(i) {
            Generic::Access
        } else {
            Generic::Num
        };
        // The slot effect only here: every register form above knows its
        // own, and this lookup was a large share of translating each
        // operator.
        let Some((pops, pushes)) = effect(i) else {
            return Err(Error::Unsupported(i.name()));
        };
        self.generic(family, i, pops, pushes)
    }

    /// A scalar or `v128` load or store of a 32-bit memory 0 with a 32-bit
    /// offset, as a register op: `true` when done.
    fn memory_op(&mut self, i: &Instr) -> Result<bool, Error> {
        let Some(m) = i.memarg() else {
            return Ok(false);
        };
        if m.memory != 0 || self.env.memories.first() != Some(&AddrType::I32) {
            return Ok(false);
        }
        let Ok(offset) = u32::try_from(m.offset) else {
            return Ok(false);
        };
        if let Some(f) = load_fn(i) {
            let a = self.pop()?;
            let addr = self.read(a);
            let d = self.push_result(1);
            self.emit_result(Op::Load { f, d, addr, offset });
            return Ok(true);
        }
        if let Some(f) = store_fn(i) {
            let v = self.pop()?;
            let val = self.read(v);
            let a = self.pop()?;
            let addr = self.read(a);
            self.emit(Op::Store {
                f,
                addr,
                val,
                offset,
            });
            return Ok(true);
        }
        match i {
            Instr::V128Load { .. } => {
                let a = self.pop()?;
                let addr = self.read(a);
                let d = self.push_result(2);
                self.emit_result(Op::V128Load { d, addr, offset });
                Ok(true)
            }
            Instr::V128Store { .. } => {
                let v = self.pop()?;
                let val = self.read(v);
                let a = self.pop()?;
                let addr = self.read(a);
                self.emit(Op::V128Store { addr, val, offset });
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// A `select` of one-slot values (the top three of the stack, the
    /// condition on top) whose slots fit in 16 bits, as `Op::SelectR`,
    /// reading each where it is: `true` when done.
    fn select_in_place(&mut self) -> Result<bool, Error> {
        let n = self.vals.len();
        if n < 3 + self.top().base_vals {
            return Err(Error::Invalid("type mismatch: select"));
        }
        let vals = [self.vals[n - 3], self.vals[n - 2], self.vals[n - 1]];
        let slot = |v: &Val| match v.loc {
            ValLoc::Local(off) => off,
            _ => v.at,
        };
        if vals
            .iter()
            .any(|v| v.width != 1 || slot(v) > u16::MAX as u32)
        {
            return Ok(false);
        }
        let c = self.pop()?;
        let b = self.pop()?;
        let a = self.pop()?;
        // Each fits in 16 bits (a constant is written at its home, checked
        // above).
        let (a, b, c) = (
            self.read(a) as u16,
            self.read(b) as u16,
            self.read(c) as u16,
        );
        let d = self.push_result(1);
        self.emit_result(Op::SelectR { d, a, b, c });
        Ok(true)
    }

    /// The slot of a value an op reads after its other operands went home
    /// (a call's table index or function reference): a constant is
    /// written home first; where the value is is kept.
    fn read_kept(&mut self, v: Val) -> u32 {
        self.read(v)
    }

    /// The results of the function, where a `Return` finds them: the slot
    /// of the first. One value is read where it is (a local's slots are in
    /// a row too); several go home.
    fn return_values(&mut self) -> Result<u32, Error> {
        let n: u32 = self.ctrls[0].results.iter().map(|w| *w as u32).sum();
        let count = self.ctrls[0].results.len();
        if count == 1 {
            let v = *self
                .vals
                .last()
                .ok_or(Error::Invalid("type mismatch: return"))?;
            if !matches!(v.loc, ValLoc::Const(_)) {
                return Ok(match v.loc {
                    ValLoc::Local(off) => off,
                    _ => v.at,
                });
            }
        }
        self.home_top_slots(n)?;
        Ok(self.height - n)
    }

    /// The slots a GC instruction pops and the width of what it pushes.
    pub(super) fn gc_effect(&self, i: &Instr) -> Result<(u32, Option<u8>), Error> {
        effect::gc_effect(self.env.module, i)
    }
}

/// How a binary operator takes its operands.
enum BinFnOp {
    /// Two slots.
    Reg(u32, u32),
    /// A slot and an immediate.
    Imm(u32, i32),
    /// An immediate and a slot (`Op::ImmBin`).
    ImmLeft(i32, u32),
    /// A slot and a 64-bit constant (`Op::BinK`).
    Wide(u32, u64),
}

/// The operator `g` with `f(a, b) = g(b, a)`, if there is one, so that a
/// constant left operand can be the immediate: `f` itself where it
/// commutes, the mirrored comparison where it orders (`k < x` is `x > k`,
/// for floats too: with a NaN both are false).
fn flipped(f: BinFn) -> Option<BinFn> {
    use BinFn::*;
    Some(match f {
        I32Eq | I32Ne | I32Add | I32Mul | I32And | I32Or | I32Xor => f,
        I64Eq | I64Ne | I64Add | I64Mul | I64And | I64Or | I64Xor => f,
        F32Eq | F32Ne | F64Eq | F64Ne => f,
        I32LtS => I32GtS,
        I32LtU => I32GtU,
        I32GtS => I32LtS,
        I32GtU => I32LtU,
        I32LeS => I32GeS,
        I32LeU => I32GeU,
        I32GeS => I32LeS,
        I32GeU => I32LeU,
        I64LtS => I64GtS,
        I64LtU => I64GtU,
        I64GtS => I64LtS,
        I64GtU => I64LtU,
        I64LeS => I64GeS,
        I64LeU => I64GeU,
        I64GeS => I64LeS,
        I64GeU => I64LeU,
        F32Lt => F32Gt,
        F32Gt => F32Lt,
        F32Le => F32Ge,
        F32Ge => F32Le,
        F64Lt => F64Gt,
        F64Gt => F64Lt,
        F64Le => F64Ge,
        F64Ge => F64Le,
        _ => return None,
    })
}

/// A call's table index as the op keeps it.
fn table_index(table: u32) -> Result<u16, Error> {
    u16::try_from(table)
        .map_err(|_| Error::Unsupported("call_indirect through table 65536 or above"))
}

/// Whether an instruction kept as the AST's needs the store (memories,
/// tables, references to them): `crate::ops::access` runs it.
fn access(i: &Instr) -> bool {
    use Instr::*;
    i.memarg().is_some()
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
        )
}
