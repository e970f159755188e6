//! Lowering: each instruction of the body to ops, tracking the stack
//! height in slots and the open blocks, resolving every branch to a target
//! op index and a stack move (`Translator::instr`, the one big match over
//! `Instr`). Code after an unconditional transfer is skipped to the end of
//! its block, so no polymorphic stack is needed. Fusion (`fusion.rs`) hooks
//! in where an operator, a `local.set` or a jump can absorb the ops just
//! emitted for its operands.

use super::*;

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

    pub(super) fn top(&self) -> &Ctrl {
        self.ctrls.last().expect("checked non-empty by the caller")
    }

    pub(super) fn push(&mut self, width: u8) {
        self.vals.push(width);
        self.height += width as u32;
        self.max_height = self.max_height.max(self.height);
    }

    pub(super) fn push_all(&mut self, widths: &[u8]) {
        for w in widths {
            self.push(*w);
        }
    }

    /// Pops one value and returns its width.
    pub(super) fn pop(&mut self) -> Result<u8, Error> {
        let floor = self.ctrls.last().map_or(0, |c| c.base_vals);
        if self.vals.len() <= floor {
            return Err(Error::Invalid("type mismatch: operand stack underflow"));
        }
        let w = self.vals.pop().unwrap_or(1);
        self.height -= w as u32;
        Ok(w)
    }

    /// Pops values worth exactly `n` slots.
    pub(super) fn pop_slots(&mut self, mut n: u32) -> Result<(), Error> {
        while n > 0 {
            let w = self.pop()? as u32;
            n = n
                .checked_sub(w)
                .ok_or(Error::Invalid("type mismatch: operand width"))?;
        }
        Ok(())
    }

    pub(super) fn pop_types(&mut self, types: &[ValType]) -> Result<(), Error> {
        self.pop_slots(types.iter().map(|t| slots(*t)).sum())
    }

    pub(super) fn push_types(&mut self, types: &[ValType]) {
        for t in types {
            self.push(slots(*t) as u8);
        }
    }

    pub(super) fn emit(&mut self, op: Op) {
        self.ops.push(op);
    }

    pub(super) fn here(&self) -> u32 {
        self.ops.len() as u32
    }

    /// Marks the rest of the current block dead.
    pub(super) fn set_unreachable(&mut self) {
        let c = self.ctrls.last_mut().expect("inside a block");
        c.unreachable = true;
        self.vals.truncate(c.base_vals);
        self.height = c.base;
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

    pub(super) fn open(
        &mut self,
        kind: Kind,
        bt: BlockType,
        else_fixup: Option<u32>,
    ) -> Result<(), Error> {
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
    pub(super) fn branch(&self, label: u32) -> Result<(Target, bool), Error> {
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

    pub(super) fn add_fixup(&mut self, label: u32, fixup: Fixup) {
        let i = self.ctrls.len() - 1 - label as usize;
        self.ctrls[i].fixups.push(fixup);
    }

    /// Emits a branch to `label`, conditional on a popped i32 or not.
    pub(super) fn emit_branch(&mut self, label: u32, conditional: bool) -> Result<(), Error> {
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

    pub(super) fn patch(&mut self, fixup: Fixup, to: u32) {
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

    pub(super) fn local(&self, idx: u32) -> Result<(u32, u8), Error> {
        self.locals
            .get(idx as usize)
            .copied()
            .ok_or(Error::Invalid("unknown local"))
    }

    pub(super) fn global_width(&self, idx: u32) -> Result<u32, Error> {
        self.env
            .globals
            .get(idx as usize)
            .map(|t| slots(*t))
            .ok_or(Error::Invalid("unknown global"))
    }

    pub(super) fn instr(&mut self, instr: &Instr) -> Result<(), Error> {
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

    /// The slots a GC instruction pops and the width of what it pushes.
    pub(super) fn gc_effect(&self, i: &Instr) -> Result<(u32, Option<u8>), Error> {
        effect::gc_effect(self.env.module, i)
    }

    pub(super) fn constant(&mut self, bits: u64) {
        self.push(1);
        self.emit(Op::Const { bits });
    }
}

/// The op that executes an instruction by its AST form, by the module that
/// implements it.
pub(super) fn classify(i: &Instr) -> Op {
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
