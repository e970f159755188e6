//! Function bodies, generated over a typed operand stack and a control
//! stack that follow the spec's validation algorithm, so that every
//! instruction finds its operands and every block ends with its results.
//!
//! Each step picks a row of the instruction table. A *plain* row (see
//! `instrs.rs`) gets its immediates and signature from the table; its
//! operands are taken from the stack when the top matches, else built as
//! small expression trees (`value`), depth-bounded. Every other row has a
//! generator below that chooses immediates which fit the module (a struct
//! type with a mutable field, a label whose types a catch clause delivers,
//! ...). A block is closed by *settling* the stack to its results: values
//! are dropped from the top until the rest is a prefix of the results, and
//! the missing results are built.
//!
//! After an unconditional transfer the validator's stack is polymorphic;
//! the model keeps its own values, which is safe: every value it then
//! believes is on the stack is either really there with a subtype, or
//! popped from the polymorphic bottom, where any type is accepted.

use arbitrary::Result;
use weft_ast::{
    AbsHeap, AddrType, BlockType, BrOnCast, BrTable, Catch, CompositeType, Features, FieldType,
    FuncType, HeapType, Ieee32, Ieee64, Instr, Locals, MemArg, RefType, StorageType, TryTable,
    TypeList, V128, ValType,
};
use weft_validator::Subtyping;

use crate::instrs::{self, FillImm, NanShape, ROWS, RowId, TrapKind};
use crate::modgen::{Gen, RowIx, abs, num_slot, reft};

/// Kinds of control frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
    TryTable,
    Try,
    Catch,
    CatchAll,
}

struct Frame {
    kind: Kind,
    params: Vec<ValType>,
    results: Vec<ValType>,
    height: usize,
    init_mark: usize,
}

impl Frame {
    fn label_types(&self) -> &[ValType] {
        if self.kind == Kind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

/// One body's state.
pub(crate) struct Body {
    stack: Vec<ValType>,
    ctrls: Vec<Frame>,
    locals: Vec<ValType>,
    inits: Vec<bool>,
    init_log: Vec<u32>,
    results: Vec<ValType>,
    budget: usize,
    /// Extra locals for guards and canonicalization, after `locals`.
    scratch: Vec<ValType>,
    /// Nesting of `value` calls, to bound expression trees.
    depth: usize,
}

const MAX_FALLBACK_DEPTH: usize = 8;

impl Body {
    fn height(&self) -> usize {
        self.ctrls.last().map_or(0, |f| f.height)
    }

    fn above(&self) -> &[ValType] {
        &self.stack[self.height().min(self.stack.len())..]
    }
}

/// Plain immediates, filled for one row.
struct Filler<'x, 'a, 'u> {
    g: &'x mut Gen<'a, 'u>,
    lanes: u8,
    atomic: bool,
    guard: bool,
    mem: Option<u32>,
}

impl FillImm for Filler<'_, '_, '_> {
    fn memarg(&mut self, m: &mut MemArg, natural: u8) -> Result<bool> {
        let size = 1u64 << natural;
        let guard = self.guard;
        let fits = |t: &weft_ast::MemoryType| !guard || min_bytes(t) >= size;
        let n = self.g.mems.iter().filter(|t| fits(t)).count();
        if n == 0 {
            return Ok(false);
        }
        let k = self.g.index(n)?;
        let memory = self
            .g
            .mems
            .iter()
            .enumerate()
            .filter(|(_, t)| fits(t))
            .nth(k)
            .map_or(0, |(i, _)| i as u32);
        let mt = self.g.mems[memory as usize];
        let align = if self.atomic {
            natural
        } else {
            self.g.count(0, natural as usize)? as u8
        };
        let offset = if self.guard {
            let room = min_bytes(&mt) - size;
            let o = self.g.u.int_in_range(0..=room.min(1 << 16))?;
            if self.atomic { o & !(size - 1) } else { o }
        } else {
            match self.g.weighted(&[6, 3, 1])? {
                0 => 0,
                1 => self.g.u.int_in_range(0..=64)?,
                _ => {
                    if mt.addr == AddrType::I64 {
                        self.g.u.arbitrary::<u64>()? >> self.g.u.int_in_range(0..=63)?
                    } else {
                        self.g.u.arbitrary::<u32>()? as u64
                    }
                }
            }
        };
        *m = MemArg {
            align,
            offset,
            memory,
        };
        self.mem = Some(memory);
        Ok(true)
    }

    fn lane(&mut self) -> Result<u8> {
        Ok(self.g.index(self.lanes as usize)? as u8)
    }

    fn i32(&mut self) -> Result<i32> {
        interesting_i32(self.g)
    }

    fn i64(&mut self) -> Result<i64> {
        Ok(match self.g.weighted(&[3, 1, 4])? {
            0 => self.g.u.int_in_range(-8..=8)?,
            1 => *self
                .g
                .u
                .choose(&[i64::MIN, i64::MAX, -1, 1 << 32, u32::MAX as i64])?,
            _ => self.g.u.arbitrary()?,
        })
    }

    fn f32_bits(&mut self) -> Result<u32> {
        Ok(match self.g.weighted(&[2, 1, 3])? {
            0 => (self.g.u.int_in_range(-8..=8)? as f32).to_bits(),
            1 => *self.g.u.choose(&[
                0x7fc0_0000,
                0xffc0_0000,
                0x7f80_0000,
                0xff80_0000,
                0x8000_0000,
                0x7f7f_ffff,
                0x0000_0001,
                0x7fa0_0001,
            ])?,
            _ => self.g.u.arbitrary()?,
        })
    }

    fn f64_bits(&mut self) -> Result<u64> {
        Ok(match self.g.weighted(&[2, 1, 3])? {
            0 => (self.g.u.int_in_range(-8..=8)? as f64).to_bits(),
            1 => *self.g.u.choose(&[
                0x7ff8_0000_0000_0000,
                0xfff8_0000_0000_0000,
                0x7ff0_0000_0000_0000,
                0xfff0_0000_0000_0000,
                0x8000_0000_0000_0000,
                0x0000_0000_0000_0001,
                0x7ff4_0000_0000_0001,
            ])?,
            _ => self.g.u.arbitrary()?,
        })
    }

    fn bytes16(&mut self) -> Result<[u8; 16]> {
        self.g.u.arbitrary()
    }

    fn shuffle(&mut self) -> Result<[u8; 16]> {
        let mut lanes: [u8; 16] = self.g.u.arbitrary()?;
        for l in &mut lanes {
            *l %= 32;
        }
        Ok(lanes)
    }
}

fn interesting_i32(g: &mut Gen<'_, '_>) -> Result<i32> {
    Ok(match g.weighted(&[4, 1, 3])? {
        0 => g.u.int_in_range(-8..=16)?,
        1 => *g.u.choose(&[i32::MIN, i32::MAX, -1, 0xffff, 0x10000])?,
        _ => g.u.arbitrary()?,
    })
}

/// A memory's size in bytes at instantiation.
fn min_bytes(t: &weft_ast::MemoryType) -> u64 {
    t.limits.min << t.page_size_log2.unwrap_or(16)
}

fn page_bytes(t: &weft_ast::MemoryType) -> i64 {
    1i64 << t.page_size_log2.unwrap_or(16)
}

impl<'a, 'u> Gen<'a, 'u> {
    /// Generates the body of defined function `i`.
    pub(crate) fn body(&mut self, i: usize) -> Result<()> {
        let ty = self.m.funcs[i].ty;
        let FuncType { params, results } = match self.composite(ty) {
            CompositeType::Func(f) => f.clone(),
            _ => unreachable!("functions have function types"),
        };
        let nlocals = self.count(0, self.cfg.max_locals)?;
        let bound = self.m.types.len() as u32;
        let mut locals = params.clone();
        let mut inits = vec![true; params.len()];
        let mut runs: Vec<Locals> = Vec::new();
        for _ in 0..nlocals {
            let t = self.val_type(bound)?;
            locals.push(t);
            inits.push(t.is_defaultable());
            match runs.last_mut() {
                Some(r) if r.ty == t => r.count += 1,
                _ => runs.push(Locals { count: 1, ty: t }),
            }
        }
        let budget = self.count(0, self.cfg.max_instrs)?;
        // The start function runs at instantiation: its own traps are
        // guarded against, so that modules instantiate.
        let saved_guard = self.cfg.disallow_traps;
        if self.m.start == Some(self.num_imported_funcs + i as u32) {
            self.cfg.disallow_traps = true;
        }
        let mut b = Body {
            stack: Vec::new(),
            ctrls: vec![Frame {
                kind: Kind::Func,
                params: Vec::new(),
                results: results.clone(),
                height: 0,
                init_mark: 0,
            }],
            locals,
            inits,
            init_log: Vec::new(),
            results,
            budget,
            scratch: Vec::new(),
            depth: 0,
        };
        let start = self.m.code.len() as u32;
        self.fuel_check();
        while !b.ctrls.is_empty() {
            if b.budget == 0 || self.u.is_empty() {
                self.close(&mut b)?;
                continue;
            }
            b.budget -= 1;
            self.step(&mut b)?;
        }
        self.cfg.disallow_traps = saved_guard;
        for t in &b.scratch {
            match runs.last_mut() {
                Some(r) if r.ty == *t => r.count += 1,
                _ => runs.push(Locals { count: 1, ty: *t }),
            }
        }
        let f = &mut self.m.funcs[i];
        f.locals = runs;
        f.body = weft_ast::Expr {
            start,
            end: self.m.code.len() as u32,
        };
        Ok(())
    }

    fn emit(&mut self, i: Instr) {
        self.m.code.push(i);
    }

    /// `ensure_termination`'s check and decrement of the fuel global.
    fn fuel_check(&mut self) {
        if let Some(g) = self.fuel_global {
            self.m.code.extend([
                Instr::GlobalGet { global: g },
                Instr::I32Eqz,
                Instr::If {
                    ty: BlockType::Empty,
                },
                Instr::Unreachable,
                Instr::End,
                Instr::GlobalGet { global: g },
                Instr::I32Const { value: 1 },
                Instr::I32Sub,
                Instr::GlobalSet { global: g },
            ]);
        }
    }

    fn scratch(&mut self, b: &mut Body, t: ValType) -> u32 {
        let k = match b.scratch.iter().position(|&s| s == t) {
            Some(k) => k,
            None => {
                b.scratch.push(t);
                b.scratch.len() - 1
            }
        };
        (b.locals.len() + k) as u32
    }

    fn set_unreachable(&mut self, b: &mut Body) {
        let h = b.height();
        b.stack.truncate(h);
    }

    // ----- the main choice -----

    fn step(&mut self, b: &mut Body) -> Result<()> {
        let top_slot = b.above().last().and_then(|&t| num_slot(t));
        let consume = top_slot.is_some_and(|s| !self.consumers[s].is_empty());
        let weights = [
            if consume { 6 } else { 0 },
            if self.plain.is_empty() { 0 } else { 6 },
            if self.structured.is_empty() { 0 } else { 7 },
            if b.ctrls.len() <= self.cfg.max_nesting {
                3
            } else {
                0
            },
            if b.ctrls.len() > 1 { 2 } else { 0 },
        ];
        if weights.iter().all(|&w| w == 0) {
            return self.close(b);
        }
        match self.weighted(&weights)? {
            0 => {
                let s = top_slot.unwrap_or(0);
                let k = self.index(self.consumers[s].len())?;
                let row = self.consumers[s][k];
                self.plain_row(b, row, true)?;
            }
            1 => {
                let row = {
                    let k = self.index(self.plain.len())?;
                    self.plain[k]
                };
                self.plain_row(b, row, false)?;
            }
            2 => {
                let row = {
                    let k = self.index(self.structured.len())?;
                    self.structured[k]
                };
                self.structured_row(b, instrs::ROW_IDS[row as usize])?;
            }
            3 => {
                let opens = [
                    RowId::Block,
                    RowId::Loop,
                    RowId::If,
                    RowId::TryTable,
                    RowId::Try,
                ];
                let cands: Vec<RowId> = opens
                    .into_iter()
                    .filter(|&r| self.allowed[r as usize])
                    .collect();
                if !cands.is_empty() {
                    let r = {
                        let k = self.index(cands.len())?;
                        cands[k]
                    };
                    self.structured_row(b, r)?;
                }
            }
            _ => self.close(b)?,
        }
        Ok(())
    }

    // ----- operands -----

    /// Makes values of `params` the top of the stack (taking what is there
    /// when it fits, else building them) and pops them from the model.
    fn ensure(&mut self, b: &mut Body, params: &[ValType]) -> Result<()> {
        let n = self.ensure_kept(b, params)?;
        b.stack.truncate(n);
        Ok(())
    }

    /// `ensure`, leaving the operands on the model's stack; returns the
    /// height below them.
    fn ensure_kept(&mut self, b: &mut Body, params: &[ValType]) -> Result<usize> {
        let n = params.len();
        let above = b.above();
        // Inside an expression tree the values on the stack are operands
        // already built for an enclosing instruction: never taken.
        let fits = b.depth == 0
            && above.len() >= n
            && above[above.len() - n..]
                .iter()
                .zip(params)
                .all(|(&s, &p)| self.val_sub(s, p));
        if !(fits && (n == 0 || self.u.is_empty() || self.chance(3, 4)?)) {
            for &p in params {
                self.value(b, p)?;
            }
        }
        Ok(b.stack.len() - n)
    }

    /// Pushes code making one value of a subtype of `t`.
    fn value(&mut self, b: &mut Body, t: ValType) -> Result<()> {
        b.depth += 1;
        let r = self.value_inner(b, t);
        b.depth -= 1;
        r
    }

    fn value_inner(&mut self, b: &mut Body, t: ValType) -> Result<()> {
        let leaf = b.depth > self.cfg.max_expr_depth || self.u.is_empty() || self.chance(2, 5)?;
        if let ValType::Ref(r) = t {
            return self.ref_value(b, r, leaf);
        }
        if !leaf {
            let slot = num_slot(t).expect("a number or vector type");
            if !self.producers[slot].is_empty() {
                let k = self.index(self.producers[slot].len())?;
                let row = self.producers[slot][k];
                if self.plain_row(b, row, false)? {
                    return Ok(());
                }
            }
        }
        // A leaf: a local, a global or a constant (counted, then the k-th
        // taken: no list is built on this hot path).
        let local_ok = |b: &Body, l: usize| b.inits[l] && b.locals[l] == t;
        let nl = (0..b.locals.len()).filter(|&l| local_ok(b, l)).count();
        let ng = self.globals.iter().filter(|g| g.val == t).count();
        let k = self.weighted(&[4, if nl == 0 { 0 } else { 3 }, if ng == 0 { 0 } else { 1 }])?;
        match k {
            0 => self.constant(t)?,
            1 => {
                let k = self.index(nl)?;
                let local = (0..b.locals.len())
                    .filter(|&l| local_ok(b, l))
                    .nth(k)
                    .unwrap_or(0) as u32;
                self.emit(Instr::LocalGet { local });
            }
            _ => {
                let k = self.index(ng)?;
                let global = (0..self.globals.len())
                    .filter(|&g| self.globals[g].val == t)
                    .nth(k)
                    .unwrap_or(0) as u32;
                self.emit(Instr::GlobalGet { global });
            }
        }
        b.stack.push(t);
        Ok(())
    }

    fn constant(&mut self, t: ValType) -> Result<()> {
        let mut f = Filler {
            g: self,
            lanes: 16,
            atomic: false,
            guard: false,
            mem: None,
        };
        let i = match t {
            ValType::I32 => Instr::I32Const { value: f.i32()? },
            ValType::I64 => Instr::I64Const { value: f.i64()? },
            ValType::F32 => Instr::F32Const {
                value: Ieee32(f.f32_bits()?),
            },
            ValType::F64 => Instr::F64Const {
                value: Ieee64(f.f64_bits()?),
            },
            ValType::V128 => Instr::V128Const {
                value: Box::new(V128(f.bytes16()?)),
            },
            ValType::Ref(_) => unreachable!("references have no constant"),
        };
        self.emit(i);
        Ok(())
    }

    /// Pushes a reference of a subtype of `r`.
    fn ref_value(&mut self, b: &mut Body, r: RefType, leaf: bool) -> Result<()> {
        let t = ValType::Ref(r);
        let gc = self.has(Features::GC);
        let locals: Vec<u32> = (0..b.locals.len() as u32)
            .filter(|&l| b.inits[l as usize] && self.val_sub(b.locals[l as usize], t))
            .collect();
        let globals: Vec<u32> = (0..self.globals.len() as u32)
            .filter(|&g| self.val_sub(self.globals[g as usize].val, t))
            .collect();
        let funcs: Vec<u32> = if self.allowed[RowId::RefFunc as usize] {
            (0..self.funcs.len() as u32)
                .filter(|&f| self.can_ref_func(f) && self.val_sub(self.func_ref_type(f), t))
                .collect()
        } else {
            Vec::new()
        };
        let deep = b.depth > MAX_FALLBACK_DEPTH;
        let i31 = gc && !deep && self.heap_sub(HeapType::Abstract(AbsHeap::I31), r.heap);
        let allocs: Vec<u32> = if gc && !deep && (!leaf || !r.nullable) {
            (0..self.m.types.len() as u32)
                .filter(|&x| {
                    !matches!(self.composite(x), CompositeType::Func(_))
                        && self.heap_sub(self.allocated(x), r.heap)
                })
                .collect()
        } else {
            Vec::new()
        };
        let extern_ok = gc && !deep && self.heap_sub(HeapType::Abstract(AbsHeap::Extern), r.heap);
        let weights = [
            if r.nullable { 3 } else { 0 },
            if locals.is_empty() { 0 } else { 4 },
            if globals.is_empty() { 0 } else { 1 },
            if funcs.is_empty() { 0 } else { 3 },
            if i31 { 2 } else { 0 },
            if allocs.is_empty() { 0 } else { 3 },
            if extern_ok { 1 } else { 0 },
        ];
        if weights.iter().all(|&w| w == 0) {
            // Nothing makes this type: code after `unreachable` may
            // assume anything. The model keeps its values (the validator
            // pops them from its polymorphic bottom).
            self.emit(Instr::Unreachable);
            b.stack.push(t);
            return Ok(());
        }
        match self.weighted(&weights)? {
            0 => {
                self.emit(Instr::RefNull { ty: r.heap });
                b.stack.push(reft(true, r.heap));
            }
            1 => {
                let local = {
                    let k = self.index(locals.len())?;
                    locals[k]
                };
                self.emit(Instr::LocalGet { local });
                b.stack.push(b.locals[local as usize]);
            }
            2 => {
                let global = {
                    let k = self.index(globals.len())?;
                    globals[k]
                };
                self.emit(Instr::GlobalGet { global });
                b.stack.push(self.globals[global as usize].val);
            }
            3 => {
                let func = {
                    let k = self.index(funcs.len())?;
                    funcs[k]
                };
                self.referenced[func as usize] = true;
                self.emit(Instr::RefFunc { func });
                b.stack.push(self.func_ref_type(func));
            }
            4 => {
                self.value(b, ValType::I32)?;
                b.stack.pop();
                self.emit(Instr::RefI31);
                b.stack.push(abs(false, AbsHeap::I31));
            }
            5 => {
                let x = {
                    let k = self.index(allocs.len())?;
                    allocs[k]
                };
                self.alloc(b, x)?;
            }
            _ => {
                let any = RefType::new(r.nullable, HeapType::Abstract(AbsHeap::Any));
                self.value(b, ValType::Ref(any))?;
                let got = b.stack.pop();
                let nullable = !matches!(got, Some(ValType::Ref(g)) if !g.nullable);
                self.emit(Instr::ExternConvertAny);
                if !nullable {
                    // Non-null by construction; said so to the validator,
                    // which sees a nullable result when the operand came
                    // from `unreachable`.
                    self.emit(Instr::RefAsNonNull);
                }
                b.stack.push(abs(nullable, AbsHeap::Extern));
            }
        }
        Ok(())
    }

    /// An allocation of struct or array type `x`, pushed.
    fn alloc(&mut self, b: &mut Body, x: u32) -> Result<()> {
        let heap = self.allocated(x);
        match self.composite(x).clone() {
            CompositeType::Struct(fields) => {
                let desc = self.m.types[x as usize].descriptor;
                let default = fields.iter().all(|f| f.storage.unpacked().is_defaultable());
                let use_default = default && self.chance(1, 3)?;
                if !use_default {
                    let tys: Vec<ValType> = fields.iter().map(|f| f.storage.unpacked()).collect();
                    for t in tys {
                        self.value(b, t)?;
                    }
                }
                if let Some(y) = desc {
                    // A null descriptor would trap the allocation.
                    self.value(b, reft(false, HeapType::Exact(y)))?;
                    b.stack.pop();
                }
                let n = if use_default { 0 } else { fields.len() };
                let at = b.stack.len() - n;
                b.stack.truncate(at);
                self.emit(match (desc.is_some(), use_default) {
                    (false, false) => Instr::StructNew { ty: x },
                    (false, true) => Instr::StructNewDefault { ty: x },
                    (true, false) => Instr::StructNewDesc { ty: x },
                    (true, true) => Instr::StructNewDefaultDesc { ty: x },
                });
            }
            CompositeType::Array(f) => {
                let t = f.storage.unpacked();
                match self.index(3)? {
                    0 if t.is_defaultable() => {
                        self.small_len(b)?;
                        self.emit(Instr::ArrayNewDefault { ty: x });
                    }
                    1 => {
                        self.value(b, t)?;
                        b.stack.pop();
                        self.small_len(b)?;
                        self.emit(Instr::ArrayNew { ty: x });
                    }
                    _ => {
                        let len = self.u.int_in_range(0..=3)?;
                        for _ in 0..len {
                            self.value(b, t)?;
                            b.stack.pop();
                        }
                        self.emit(Instr::ArrayNewFixed { ty: x, len });
                    }
                }
            }
            CompositeType::Func(_) => unreachable!("only structs and arrays are allocated"),
        }
        b.stack.push(reft(false, heap));
        Ok(())
    }

    /// An `i32` length operand, kept small so allocations succeed.
    fn small_len(&mut self, b: &mut Body) -> Result<()> {
        let _ = b;
        let value = self.u.int_in_range(0..=8)?;
        self.emit(Instr::I32Const { value });
        Ok(())
    }

    // ----- plain rows -----

    /// Emits a plain row with its operands; `consume` asks for the
    /// operands on the stack (else it gives up). Returns whether it did.
    fn plain_row(&mut self, b: &mut Body, row: RowIx, consume: bool) -> Result<bool> {
        let protos = self.protos;
        let (proto, sig) = &protos[row as usize];
        let (Some(proto), Some(sig)) = (proto, sig) else {
            return Ok(false);
        };
        let mut instr = proto.clone();
        let info = &ROWS[row as usize];
        let guard = self.cfg.disallow_traps;
        let mut f = Filler {
            g: self,
            lanes: instrs::lane_count(info, proto.natural_align()),
            atomic: info.feature == Features::THREADS,
            guard,
            mem: None,
        };
        if !instrs::fill(&mut instr, &mut f)? {
            return Ok(false);
        }
        let mem = f.mem;
        let addr = mem.map(|m| self.mems[m as usize].addr.val_type());
        let mut operands: Vec<ValType> = Vec::with_capacity(sig.params.len() + 1);
        if sig.addr {
            operands.push(addr.expect("a memory access names a memory"));
        }
        operands.extend_from_slice(&sig.params);
        let trap = instrs::trap_kind(&instr);
        if guard && trap == TrapKind::Always {
            return Ok(false);
        }
        if consume {
            let above = b.above();
            let n = operands.len();
            if above.len() < n
                || !above[above.len() - n..]
                    .iter()
                    .zip(&operands)
                    .all(|(&s, &p)| self.val_sub(s, p))
                || (guard && trap == TrapKind::Address)
            {
                return Ok(false);
            }
        }
        if guard && trap == TrapKind::Address {
            // Address first, clamped, then the other operands.
            let m = mem.expect("a memory access names a memory");
            self.value(b, operands[0])?;
            self.guard_address(b, m, &instr);
            for &p in &sig.params {
                self.value(b, p)?;
            }
            let at = b.stack.len() - operands.len();
            b.stack.truncate(at);
        } else {
            self.ensure(b, &operands)?;
        }
        if guard {
            match trap {
                TrapKind::SignedDivisor | TrapKind::UnsignedDivisor => {
                    let signed = trap == TrapKind::SignedDivisor;
                    if sig.params[0] == ValType::I32 {
                        if signed {
                            self.emit(Instr::I32Const { value: i32::MAX });
                            self.emit(Instr::I32And);
                        }
                        self.emit(Instr::I32Const { value: 1 });
                        self.emit(Instr::I32Or);
                    } else {
                        if signed {
                            self.emit(Instr::I64Const { value: i64::MAX });
                            self.emit(Instr::I64And);
                        }
                        self.emit(Instr::I64Const { value: 1 });
                        self.emit(Instr::I64Or);
                    }
                }
                _ => {}
            }
        }
        let nan = instrs::nan_shape(&instr);
        self.emit(instr);
        b.stack.extend_from_slice(&sig.results);
        if self.cfg.canonicalize_nans
            && let Some(shape) = nan
        {
            self.canonicalize(b, shape);
        }
        Ok(true)
    }

    /// Clamps the address on top of the stack: an access that would leave
    /// the memory's current size goes to address 0 instead (in bounds:
    /// the offset was chosen to fit the initial size).
    fn guard_address(&mut self, b: &mut Body, mem: u32, instr: &Instr) {
        let mt = self.mems[mem as usize];
        let ma = instr.memarg().expect("a memory access");
        let size = 1i64 << instr.natural_align().unwrap_or(0);
        let k = ma.offset as i64 + size;
        let a = mt.addr.val_type();
        let t = self.scratch(b, a);
        let wide = mt.addr == AddrType::I32;
        let mut code = vec![Instr::LocalSet { local: t }, Instr::LocalGet { local: t }];
        if instr.feature() == Features::THREADS {
            // Atomic accesses must also be aligned.
            code.push(if wide {
                Instr::I32Const {
                    value: -(size as i32),
                }
            } else {
                Instr::I64Const { value: -size }
            });
            code.push(if wide { Instr::I32And } else { Instr::I64And });
            code.push(Instr::LocalTee { local: t });
        }
        code.push(if wide {
            Instr::I32Const { value: 0 }
        } else {
            Instr::I64Const { value: 0 }
        });
        code.push(Instr::LocalGet { local: t });
        if wide {
            code.push(Instr::I64ExtendI32U);
        }
        code.push(Instr::MemorySize { mem });
        if wide {
            code.push(Instr::I64ExtendI32U);
        }
        code.extend([
            Instr::I64Const {
                value: page_bytes(&mt),
            },
            Instr::I64Mul,
            Instr::I64Const { value: k },
            Instr::I64Sub,
            Instr::I64LeU,
            Instr::Select,
        ]);
        self.m.code.extend(code);
    }

    /// Replaces a NaN on top of the stack by the canonical NaN.
    fn canonicalize(&mut self, b: &mut Body, shape: NanShape) {
        let (t, canon, eq, sel) = match shape {
            NanShape::F32 => (
                ValType::F32,
                Instr::F32Const {
                    value: Ieee32(0x7fc0_0000),
                },
                Instr::F32Eq,
                Instr::Select,
            ),
            NanShape::F64 => (
                ValType::F64,
                Instr::F64Const {
                    value: Ieee64(0x7ff8_0000_0000_0000),
                },
                Instr::F64Eq,
                Instr::Select,
            ),
            NanShape::F32x4 => {
                let lane = 0x7fc0_0000u32.to_le_bytes();
                let mut v = [0u8; 16];
                for c in v.chunks_mut(4) {
                    c.copy_from_slice(&lane);
                }
                (
                    ValType::V128,
                    Instr::V128Const {
                        value: Box::new(V128(v)),
                    },
                    Instr::F32x4Eq,
                    Instr::V128Bitselect,
                )
            }
            NanShape::F64x2 => {
                let lane = 0x7ff8_0000_0000_0000u64.to_le_bytes();
                let mut v = [0u8; 16];
                for c in v.chunks_mut(8) {
                    c.copy_from_slice(&lane);
                }
                (
                    ValType::V128,
                    Instr::V128Const {
                        value: Box::new(V128(v)),
                    },
                    Instr::F64x2Eq,
                    Instr::V128Bitselect,
                )
            }
        };
        let local = self.scratch(b, t);
        // x == x keeps x; a NaN takes the canonical value.
        self.m.code.extend([
            Instr::LocalTee { local },
            canon,
            Instr::LocalGet { local },
            Instr::LocalGet { local },
            eq,
            sel,
        ]);
    }

    // ----- blocks -----

    fn block_type(&mut self) -> Result<(BlockType, Vec<ValType>, Vec<ValType>)> {
        let multi = self.has(Features::MULTI_VALUE);
        let ftypes = if multi {
            self.func_types_where(|f| f.params.len() <= 4 && f.results.len() <= 4)
        } else {
            Vec::new()
        };
        Ok(
            match self.weighted(&[3, 3, if ftypes.is_empty() { 0 } else { 2 }])? {
                0 => (BlockType::Empty, Vec::new(), Vec::new()),
                1 => {
                    let bound = self.m.types.len() as u32;
                    let t = self.val_type(bound)?;
                    (BlockType::Val(t), Vec::new(), vec![t])
                }
                _ => {
                    let idx = {
                        let k = self.index(ftypes.len())?;
                        ftypes[k]
                    };
                    let CompositeType::Func(f) = self.composite(idx) else {
                        unreachable!()
                    };
                    (BlockType::Func(idx), f.params.clone(), f.results.clone())
                }
            },
        )
    }

    fn open(
        &mut self,
        b: &mut Body,
        kind: Kind,
        instr: Instr,
        params: Vec<ValType>,
        results: Vec<ValType>,
    ) {
        self.emit(instr);
        let height = b.stack.len();
        b.stack.extend_from_slice(&params);
        b.ctrls.push(Frame {
            kind,
            params,
            results,
            height,
            init_mark: b.init_log.len(),
        });
        if kind == Kind::Loop {
            self.fuel_check();
        }
    }

    /// Leaves the current frame's results (exactly) above its height.
    fn settle(&mut self, b: &mut Body, results: &[ValType]) -> Result<()> {
        let h = b.height();
        let above = b.stack.len() - h;
        let mut k = 0;
        while k < above.min(results.len()) && self.val_sub(b.stack[h + k], results[k]) {
            k += 1;
        }
        for _ in k..above {
            self.emit(Instr::Drop);
            b.stack.pop();
        }
        for &r in &results[k..] {
            self.value(b, r)?;
        }
        Ok(())
    }

    fn reset_inits(b: &mut Body, mark: usize) {
        while b.init_log.len() > mark {
            if let Some(l) = b.init_log.pop() {
                b.inits[l as usize] = false;
            }
        }
    }

    /// Closes the innermost frame (or moves to its next clause).
    fn close(&mut self, b: &mut Body) -> Result<()> {
        let results = b.ctrls.last().expect("an open frame").results.clone();
        self.settle(b, &results)?;
        let frame = b.ctrls.last().expect("an open frame");
        let kind = frame.kind;
        let same = frame.params.len() == frame.results.len()
            && frame
                .params
                .iter()
                .zip(&frame.results)
                .all(|(&p, &r)| self.val_sub(p, r));
        let tags = self.tags.len();
        match kind {
            Kind::If if !same || self.chance(1, 2)? => {
                self.emit(Instr::Else);
                self.next_clause(b, Kind::Else, None);
            }
            Kind::Try | Kind::Catch => {
                let choice = self.weighted(&[
                    2,
                    if tags > 0 { 3 } else { 0 },
                    2,
                    if kind == Kind::Try { 1 } else { 0 },
                ])?;
                match choice {
                    1 => {
                        let tag = self.index(tags)? as u32;
                        self.emit(Instr::Catch { tag });
                        let ty = self.tags[tag as usize];
                        let params = match self.composite(ty) {
                            CompositeType::Func(f) => f.params.clone(),
                            _ => Vec::new(),
                        };
                        self.next_clause(b, Kind::Catch, Some(params));
                    }
                    2 => {
                        self.emit(Instr::CatchAll);
                        self.next_clause(b, Kind::CatchAll, Some(Vec::new()));
                    }
                    3 => {
                        let frame = b.ctrls.pop().expect("an open frame");
                        Self::reset_inits(b, frame.init_mark);
                        let label = self.index(b.ctrls.len())? as u32;
                        self.emit(Instr::Delegate { label });
                        b.stack.truncate(frame.height);
                        b.stack.extend_from_slice(&frame.results);
                    }
                    _ => self.end(b),
                }
            }
            _ => self.end(b),
        }
        Ok(())
    }

    fn end(&mut self, b: &mut Body) {
        self.emit(Instr::End);
        let frame = b.ctrls.pop().expect("an open frame");
        Self::reset_inits(b, frame.init_mark);
        b.stack.truncate(frame.height);
        b.stack.extend_from_slice(&frame.results);
    }

    /// Replaces the innermost frame by its next clause (`else`, `catch`,
    /// `catch_all`), whose stack starts with `pushed` (the frame's
    /// parameters when `None`).
    fn next_clause(&mut self, b: &mut Body, kind: Kind, pushed: Option<Vec<ValType>>) {
        let frame = b.ctrls.last_mut().expect("an open frame");
        frame.kind = kind;
        let height = frame.height;
        let mark = frame.init_mark;
        let params = pushed.unwrap_or_else(|| frame.params.clone());
        if kind != Kind::Else {
            frame.params = Vec::new();
        }
        Self::reset_inits(b, mark);
        b.stack.truncate(height);
        b.stack.extend_from_slice(&params);
    }

    // ----- the rows built by hand -----

    fn label_types(&self, b: &Body, l: usize) -> Vec<ValType> {
        b.ctrls[b.ctrls.len() - 1 - l].label_types().to_vec()
    }

    fn func_sig(&self, ty: u32) -> FuncType {
        match self.composite(ty) {
            CompositeType::Func(f) => f.clone(),
            _ => FuncType::default(),
        }
    }

    /// Whether `f`'s results may be returned by the current function.
    fn returnable(&self, b: &Body, f: &FuncType) -> bool {
        f.results.len() == b.results.len()
            && f.results
                .iter()
                .zip(&b.results)
                .all(|(&r, &c)| self.val_sub(r, c))
    }

    fn struct_types(&self, pred: impl Fn(&Gen<'_, '_>, u32, &[FieldType]) -> bool) -> Vec<u32> {
        (0..self.m.types.len() as u32)
            .filter(|&x| matches!(self.composite(x), CompositeType::Struct(f) if pred(self, x, f)))
            .collect()
    }

    fn array_types(&self, pred: impl Fn(&Gen<'_, '_>, FieldType) -> bool) -> Vec<u32> {
        (0..self.m.types.len() as u32)
            .filter(|&x| matches!(self.composite(x), CompositeType::Array(f) if pred(self, *f)))
            .collect()
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> Result<Option<T>> {
        if v.is_empty() {
            return Ok(None);
        }
        Ok(Some({
            let k = self.index(v.len())?;
            v[k]
        }))
    }

    /// A heap type for `ref.null`, casts and tests.
    fn heap_type(&mut self) -> Result<HeapType> {
        let bound = self.m.types.len() as u32;
        Ok(self.ref_type(bound)?.heap)
    }

    /// The nullable top reference of a heap type's hierarchy.
    fn top_ref(&self, h: HeapType) -> ValType {
        abs(true, self.top(h))
    }

    /// A heap type below `h` (itself, a declared subtype or the bottom).
    fn sub_heap(&mut self, h: HeapType) -> Result<HeapType> {
        let mut cands = vec![h];
        if let HeapType::Concrete(x) = h {
            for s in 0..self.m.types.len() as u32 {
                if s != x && self.concrete_sub(s, x) {
                    cands.push(HeapType::Concrete(s));
                }
            }
        }
        if let HeapType::Abstract(a) = h {
            let gc = self.has(Features::GC);
            if gc {
                cands.push(HeapType::Abstract(a.bottom()));
            }
            if gc && matches!(a, AbsHeap::Any | AbsHeap::Eq) {
                cands.extend([
                    HeapType::Abstract(AbsHeap::I31),
                    HeapType::Abstract(AbsHeap::Struct),
                    HeapType::Abstract(AbsHeap::Array),
                ]);
            }
            for s in 0..self.m.types.len() as u32 {
                if self.heap_sub(HeapType::Concrete(s), h) {
                    cands.push(HeapType::Concrete(s));
                }
            }
        }
        Ok({
            let k = self.index(cands.len())?;
            cands[k]
        })
    }

    /// Labels whose types end in a reference, with those types.
    fn ref_labels(&self, b: &Body) -> Vec<(u32, Vec<ValType>, RefType)> {
        (0..b.ctrls.len())
            .filter_map(|l| {
                let tys = self.label_types(b, l);
                match tys.last() {
                    Some(&ValType::Ref(r)) => Some((l as u32, tys, r)),
                    _ => None,
                }
            })
            .collect()
    }

    /// A type a model type may be written as: without function
    /// references, a reference type is nullable and abstract.
    fn expressible(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(r) if !self.has(Features::FUNCTION_REFERENCES) => {
                abs(true, self.top(r.heap))
            }
            t => t,
        }
    }

    /// Whether code may name data segments (the data count section
    /// announces them).
    fn datas_usable(&self) -> bool {
        !self.m.datas.is_empty() && self.m.data_count.is_some()
    }

    fn trapping(&self) -> bool {
        self.cfg.disallow_traps
    }

    /// Generates the row `row` if it fits here (`false` otherwise).
    fn structured_row(&mut self, b: &mut Body, row: RowId) -> Result<bool> {
        use ValType::I32;
        let depth_ok = b.ctrls.len() <= self.cfg.max_nesting;
        match row {
            RowId::Unreachable => {
                if self.trapping() {
                    return Ok(false);
                }
                self.emit(Instr::Unreachable);
                self.set_unreachable(b);
            }
            RowId::Block | RowId::Loop | RowId::If | RowId::Try => {
                if !depth_ok {
                    return Ok(false);
                }
                let (ty, params, results) = self.block_type()?;
                let mut ops = params.clone();
                if row == RowId::If {
                    ops.push(I32);
                }
                self.ensure(b, &ops)?;
                let (kind, instr) = match row {
                    RowId::Block => (Kind::Block, Instr::Block { ty }),
                    RowId::Loop => (Kind::Loop, Instr::Loop { ty }),
                    RowId::If => (Kind::If, Instr::If { ty }),
                    _ => (Kind::Try, Instr::Try { ty }),
                };
                self.open(b, kind, instr, params, results);
            }
            RowId::TryTable => {
                if !depth_ok {
                    return Ok(false);
                }
                let (ty, params, results) = self.block_type()?;
                let n = self.count(0, 3)?;
                let mut catches = Vec::with_capacity(n);
                let exn = abs(false, AbsHeap::Exn);
                for _ in 0..n {
                    let l = self.index(b.ctrls.len())?;
                    let label = self.label_types(b, l);
                    let kind = self.index(4)?;
                    let fits = |g: &Gen<'_, '_>, got: &[ValType]| {
                        got.len() == label.len()
                            && got.iter().zip(&label).all(|(&a, &c)| g.val_sub(a, c))
                    };
                    let label = l as u32;
                    match kind {
                        0 | 1 if !self.tags.is_empty() => {
                            let tag = self.index(self.tags.len())? as u32;
                            let mut got = self.func_sig(self.tags[tag as usize]).params;
                            if kind == 1 {
                                got.push(exn);
                            }
                            if fits(self, &got) {
                                catches.push(if kind == 0 {
                                    Catch::One { tag, label }
                                } else {
                                    Catch::OneRef { tag, label }
                                });
                            }
                        }
                        2 if fits(self, &[]) => catches.push(Catch::All { label }),
                        3 if fits(self, &[exn]) => catches.push(Catch::AllRef { label }),
                        _ => {}
                    }
                }
                self.ensure(b, &params)?;
                let instr = Instr::TryTable {
                    table: Box::new(TryTable { ty, catches }),
                };
                self.open(b, Kind::TryTable, instr, params, results);
            }
            RowId::Br | RowId::BrIf => {
                let l = self.index(b.ctrls.len())?;
                let mut tys = self.label_types(b, l);
                let label = l as u32;
                if row == RowId::Br {
                    self.ensure(b, &tys)?;
                    self.emit(Instr::Br { label });
                    self.set_unreachable(b);
                } else {
                    tys.push(I32);
                    self.ensure(b, &tys)?;
                    tys.pop();
                    self.emit(Instr::BrIf { label });
                    b.stack.extend(tys);
                }
            }
            RowId::BrTable => {
                let l = self.index(b.ctrls.len())?;
                let mut tys = self.label_types(b, l);
                tys.push(I32);
                let at = self.ensure_kept(b, &tys)?;
                let mut got = b.stack.split_off(at);
                got.pop();
                let cands: Vec<u32> = (0..b.ctrls.len())
                    .filter(|&j| {
                        let lt = self.label_types(b, j);
                        lt.len() == got.len()
                            && got.iter().zip(&lt).all(|(&a, &c)| self.val_sub(a, c))
                    })
                    .map(|j| j as u32)
                    .collect();
                let n = self.count(0, 4)?;
                let mut targets = Vec::with_capacity(n);
                for _ in 0..n {
                    targets.push({
                        let k = self.index(cands.len())?;
                        cands[k]
                    });
                }
                self.emit(Instr::BrTable {
                    table: Box::new(BrTable {
                        targets: targets.into_boxed_slice(),
                        default: l as u32,
                    }),
                });
                self.set_unreachable(b);
            }
            RowId::Return => {
                let r = b.results.clone();
                self.ensure(b, &r)?;
                self.emit(Instr::Return);
                self.set_unreachable(b);
            }
            RowId::Call | RowId::ReturnCall => {
                let tail = row == RowId::ReturnCall;
                let cands: Vec<u32> = (0..self.funcs.len() as u32)
                    .filter(|&f| {
                        !tail || self.returnable(b, &self.func_sig(self.funcs[f as usize]))
                    })
                    .collect();
                let Some(func) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let sig = self.func_sig(self.funcs[func as usize]);
                self.ensure(b, &sig.params)?;
                if tail {
                    self.emit(Instr::ReturnCall { func });
                    self.set_unreachable(b);
                } else {
                    self.emit(Instr::Call { func });
                    b.stack.extend_from_slice(&sig.results);
                }
            }
            RowId::CallIndirect | RowId::ReturnCallIndirect => {
                if self.trapping() {
                    return Ok(false);
                }
                let tail = row == RowId::ReturnCallIndirect;
                let tables: Vec<u32> = (0..self.tables.len() as u32)
                    .filter(|&t| self.ref_sub(self.tables[t as usize].elem, RefType::FUNCREF))
                    .collect();
                let types = self.func_types_where(|_| true);
                let types: Vec<u32> = types
                    .into_iter()
                    .filter(|&t| !tail || self.returnable(b, &self.func_sig(t)))
                    .collect();
                let (Some(table), Some(ty)) = (self.pick(&tables)?, self.pick(&types)?) else {
                    return Ok(false);
                };
                let sig = self.func_sig(ty);
                let mut ops = sig.params.clone();
                ops.push(self.tables[table as usize].addr.val_type());
                self.ensure(b, &ops)?;
                if tail {
                    self.emit(Instr::ReturnCallIndirect { ty, table });
                    self.set_unreachable(b);
                } else {
                    self.emit(Instr::CallIndirect { ty, table });
                    b.stack.extend_from_slice(&sig.results);
                }
            }
            RowId::CallRef | RowId::ReturnCallRef => {
                if self.trapping() {
                    return Ok(false);
                }
                let tail = row == RowId::ReturnCallRef;
                let types: Vec<u32> = self
                    .func_types_where(|_| true)
                    .into_iter()
                    .filter(|&t| !tail || self.returnable(b, &self.func_sig(t)))
                    .collect();
                let Some(ty) = self.pick(&types)? else {
                    return Ok(false);
                };
                let sig = self.func_sig(ty);
                let mut ops = sig.params.clone();
                ops.push(reft(true, HeapType::Concrete(ty)));
                self.ensure(b, &ops)?;
                if tail {
                    self.emit(Instr::ReturnCallRef { ty });
                    self.set_unreachable(b);
                } else {
                    self.emit(Instr::CallRef { ty });
                    b.stack.extend_from_slice(&sig.results);
                }
            }
            RowId::Drop => {
                if b.above().is_empty() {
                    let bound = self.m.types.len() as u32;
                    let t = self.val_type(bound)?;
                    self.value(b, t)?;
                }
                b.stack.pop();
                self.emit(Instr::Drop);
            }
            RowId::Select | RowId::SelectT => {
                let bound = self.m.types.len() as u32;
                let t = match b.above().last() {
                    Some(&t) if row == RowId::SelectT || num_slot(t).is_some() => t,
                    _ => loop {
                        let t = self.val_type(bound)?;
                        if row == RowId::SelectT || num_slot(t).is_some() {
                            break t;
                        }
                    },
                };
                let t = self.expressible(t);
                self.ensure(b, &[t, t, I32])?;
                if row == RowId::Select {
                    self.emit(Instr::Select);
                } else {
                    self.emit(Instr::SelectT {
                        types: Box::new(TypeList(vec![t])),
                    });
                }
                b.stack.push(t);
            }
            RowId::LocalGet => {
                let cands: Vec<u32> = (0..b.locals.len() as u32)
                    .filter(|&l| b.inits[l as usize])
                    .collect();
                let Some(local) = self.pick(&cands)? else {
                    return Ok(false);
                };
                self.emit(Instr::LocalGet { local });
                b.stack.push(b.locals[local as usize]);
            }
            RowId::LocalSet | RowId::LocalTee => {
                if b.locals.is_empty() {
                    return Ok(false);
                }
                let local = self.index(b.locals.len())? as u32;
                let t = b.locals[local as usize];
                self.ensure(b, &[t])?;
                if !b.inits[local as usize] {
                    b.inits[local as usize] = true;
                    b.init_log.push(local);
                }
                if row == RowId::LocalSet {
                    self.emit(Instr::LocalSet { local });
                } else {
                    self.emit(Instr::LocalTee { local });
                    b.stack.push(t);
                }
            }
            RowId::GlobalGet => {
                if self.globals.is_empty() {
                    return Ok(false);
                }
                let global = self.index(self.globals.len())? as u32;
                self.emit(Instr::GlobalGet { global });
                b.stack.push(self.globals[global as usize].val);
            }
            RowId::GlobalSet => {
                let cands: Vec<u32> = (0..self.globals.len() as u32)
                    .filter(|&g| self.globals[g as usize].mutable && Some(g) != self.fuel_global)
                    .collect();
                let Some(global) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let t = self.globals[global as usize].val;
                self.ensure(b, &[t])?;
                self.emit(Instr::GlobalSet { global });
            }
            RowId::MemorySize | RowId::MemoryGrow => {
                if self.mems.is_empty() {
                    return Ok(false);
                }
                let mem = self.index(self.mems.len())? as u32;
                let a = self.mems[mem as usize].addr.val_type();
                if row == RowId::MemoryGrow {
                    self.ensure(b, &[a])?;
                    self.emit(Instr::MemoryGrow { mem });
                } else {
                    self.emit(Instr::MemorySize { mem });
                }
                b.stack.push(a);
            }
            RowId::MemoryFill | RowId::MemoryInit | RowId::MemoryCopy => {
                if self.mems.is_empty() || self.trapping() {
                    return Ok(false);
                }
                let mem = self.index(self.mems.len())? as u32;
                let a = self.mems[mem as usize].addr.val_type();
                match row {
                    RowId::MemoryFill => {
                        self.ensure(b, &[a, I32, a])?;
                        self.emit(Instr::MemoryFill { mem });
                    }
                    RowId::MemoryInit => {
                        if !self.datas_usable() {
                            return Ok(false);
                        }
                        let data = self.index(self.m.datas.len())? as u32;
                        self.ensure(b, &[a, I32, I32])?;
                        self.emit(Instr::MemoryInit { data, mem });
                    }
                    _ => {
                        let src = self.index(self.mems.len())? as u32;
                        let sa = self.mems[src as usize].addr.val_type();
                        let n = if a == ValType::I64 && sa == ValType::I64 {
                            ValType::I64
                        } else {
                            I32
                        };
                        self.ensure(b, &[a, sa, n])?;
                        self.emit(Instr::MemoryCopy { dst: mem, src });
                    }
                }
            }
            RowId::DataDrop => {
                if !self.datas_usable() {
                    return Ok(false);
                }
                let data = self.index(self.m.datas.len())? as u32;
                self.emit(Instr::DataDrop { data });
            }
            RowId::ElemDrop => {
                if self.m.elems.is_empty() {
                    return Ok(false);
                }
                let elem = self.index(self.m.elems.len())? as u32;
                self.emit(Instr::ElemDrop { elem });
            }
            RowId::TableGet
            | RowId::TableSet
            | RowId::TableSize
            | RowId::TableGrow
            | RowId::TableFill => {
                if self.tables.is_empty() {
                    return Ok(false);
                }
                let table = self.index(self.tables.len())? as u32;
                let tt = self.tables[table as usize];
                let a = tt.addr.val_type();
                let e = ValType::Ref(tt.elem);
                if self.trapping()
                    && matches!(row, RowId::TableGet | RowId::TableSet | RowId::TableFill)
                {
                    return Ok(false);
                }
                match row {
                    RowId::TableGet => {
                        self.ensure(b, &[a])?;
                        self.emit(Instr::TableGet { table });
                        b.stack.push(e);
                    }
                    RowId::TableSet => {
                        self.ensure(b, &[a, e])?;
                        self.emit(Instr::TableSet { table });
                    }
                    RowId::TableSize => {
                        self.emit(Instr::TableSize { table });
                        b.stack.push(a);
                    }
                    RowId::TableGrow => {
                        self.ensure(b, &[e, a])?;
                        self.emit(Instr::TableGrow { table });
                        b.stack.push(a);
                    }
                    _ => {
                        self.ensure(b, &[a, e, a])?;
                        self.emit(Instr::TableFill { table });
                    }
                }
            }
            RowId::TableCopy => {
                if self.trapping() {
                    return Ok(false);
                }
                let mut pairs = Vec::new();
                for d in 0..self.tables.len() as u32 {
                    for s in 0..self.tables.len() as u32 {
                        if self.ref_sub(self.tables[s as usize].elem, self.tables[d as usize].elem)
                        {
                            pairs.push((d, s));
                        }
                    }
                }
                let Some((dst, src)) = self.pick(&pairs)? else {
                    return Ok(false);
                };
                let da = self.tables[dst as usize].addr.val_type();
                let sa = self.tables[src as usize].addr.val_type();
                let n = if da == ValType::I64 && sa == ValType::I64 {
                    ValType::I64
                } else {
                    I32
                };
                self.ensure(b, &[da, sa, n])?;
                self.emit(Instr::TableCopy { dst, src });
            }
            RowId::TableInit => {
                if self.trapping() {
                    return Ok(false);
                }
                let mut pairs = Vec::new();
                for (e, el) in self.m.elems.iter().enumerate() {
                    for t in 0..self.tables.len() {
                        if self.ref_sub(el.ty, self.tables[t].elem) {
                            pairs.push((e as u32, t as u32));
                        }
                    }
                }
                let Some((elem, table)) = self.pick(&pairs)? else {
                    return Ok(false);
                };
                let a = self.tables[table as usize].addr.val_type();
                self.ensure(b, &[a, I32, I32])?;
                self.emit(Instr::TableInit { elem, table });
            }
            RowId::RefNull => {
                let ty = self.heap_type()?;
                self.emit(Instr::RefNull { ty });
                b.stack.push(reft(true, ty));
            }
            RowId::RefIsNull | RowId::RefAsNonNull => {
                if row == RowId::RefAsNonNull && self.trapping() {
                    return Ok(false);
                }
                let r = match b.above().last() {
                    Some(&ValType::Ref(r)) => r,
                    _ => {
                        let bound = self.m.types.len() as u32;
                        let mut r = self.ref_type(bound)?;
                        r.nullable = true;
                        r
                    }
                };
                self.ensure(b, &[ValType::Ref(r)])?;
                if row == RowId::RefIsNull {
                    self.emit(Instr::RefIsNull);
                    b.stack.push(I32);
                } else {
                    self.emit(Instr::RefAsNonNull);
                    b.stack.push(reft(false, r.heap));
                }
            }
            RowId::RefFunc => {
                let cands: Vec<u32> = (0..self.funcs.len() as u32)
                    .filter(|&f| self.can_ref_func(f))
                    .collect();
                let Some(func) = self.pick(&cands)? else {
                    return Ok(false);
                };
                self.referenced[func as usize] = true;
                self.emit(Instr::RefFunc { func });
                b.stack.push(self.func_ref_type(func));
            }
            RowId::Throw => {
                if self.tags.is_empty() || self.trapping() {
                    return Ok(false);
                }
                let tag = self.index(self.tags.len())? as u32;
                let params = self.func_sig(self.tags[tag as usize]).params;
                self.ensure(b, &params)?;
                self.emit(Instr::Throw { tag });
                self.set_unreachable(b);
            }
            RowId::ThrowRef => {
                if self.trapping() {
                    return Ok(false);
                }
                self.ensure(b, &[ValType::Ref(RefType::EXNREF)])?;
                self.emit(Instr::ThrowRef);
                self.set_unreachable(b);
            }
            RowId::Rethrow => {
                if self.trapping() {
                    return Ok(false);
                }
                let cands: Vec<u32> = (0..b.ctrls.len())
                    .filter(|&l| {
                        matches!(
                            b.ctrls[b.ctrls.len() - 1 - l].kind,
                            Kind::Catch | Kind::CatchAll
                        )
                    })
                    .map(|l| l as u32)
                    .collect();
                let Some(label) = self.pick(&cands)? else {
                    return Ok(false);
                };
                self.emit(Instr::Rethrow { label });
                self.set_unreachable(b);
            }
            RowId::BrOnNull => {
                let l = self.index(b.ctrls.len())?;
                let mut tys = self.label_types(b, l);
                let r = {
                    let bound = self.m.types.len() as u32;
                    let mut r = self.ref_type(bound)?;
                    r.nullable = true;
                    r
                };
                tys.push(ValType::Ref(r));
                self.ensure(b, &tys)?;
                tys.pop();
                self.emit(Instr::BrOnNull { label: l as u32 });
                b.stack.extend(tys);
                b.stack.push(reft(false, r.heap));
            }
            RowId::BrOnNonNull => {
                let labels = self.ref_labels(b);
                let Some((label, mut tys, r)) = self.pick_owned(labels)? else {
                    return Ok(false);
                };
                tys.pop();
                tys.push(reft(true, r.heap));
                self.ensure(b, &tys)?;
                tys.pop();
                self.emit(Instr::BrOnNonNull { label });
                b.stack.extend(tys);
            }
            RowId::BrOnCast
            | RowId::BrOnCastFail
            | RowId::BrOnCastDescEq
            | RowId::BrOnCastDescEqFail => {
                return self.br_on_cast(b, row);
            }
            RowId::RefTest | RowId::RefTestNull | RowId::RefCast | RowId::RefCastNull => {
                if self.trapping() && matches!(row, RowId::RefCast | RowId::RefCastNull) {
                    return Ok(false);
                }
                let ty = self.heap_type()?;
                self.ensure(b, &[self.top_ref(ty)])?;
                let (instr, out) = match row {
                    RowId::RefTest => (Instr::RefTest { ty }, I32),
                    RowId::RefTestNull => (Instr::RefTestNull { ty }, I32),
                    RowId::RefCast => (Instr::RefCast { ty }, reft(false, ty)),
                    _ => (Instr::RefCastNull { ty }, reft(true, ty)),
                };
                self.emit(instr);
                b.stack.push(out);
            }
            RowId::StructNew
            | RowId::StructNewDefault
            | RowId::StructNewDesc
            | RowId::StructNewDefaultDesc => {
                let desc = matches!(row, RowId::StructNewDesc | RowId::StructNewDefaultDesc);
                let default = matches!(row, RowId::StructNewDefault | RowId::StructNewDefaultDesc);
                let cands = self.struct_types(|g, x, f| {
                    g.m.types[x as usize].descriptor.is_some() == desc
                        && (!default || f.iter().all(|f| f.storage.unpacked().is_defaultable()))
                });
                let Some(ty) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let CompositeType::Struct(fields) = self.composite(ty).clone() else {
                    unreachable!()
                };
                let mut ops: Vec<ValType> = if default {
                    Vec::new()
                } else {
                    fields.iter().map(|f| f.storage.unpacked()).collect()
                };
                if let Some(y) = self.m.types[ty as usize].descriptor {
                    ops.push(reft(true, HeapType::Exact(y)));
                }
                self.ensure(b, &ops)?;
                self.emit(match row {
                    RowId::StructNew => Instr::StructNew { ty },
                    RowId::StructNewDefault => Instr::StructNewDefault { ty },
                    RowId::StructNewDesc => Instr::StructNewDesc { ty },
                    _ => Instr::StructNewDefaultDesc { ty },
                });
                b.stack.push(reft(false, self.allocated(ty)));
            }
            RowId::StructGet | RowId::StructGetS | RowId::StructGetU | RowId::StructSet => {
                if self.trapping() {
                    return Ok(false);
                }
                let mut pairs = Vec::new();
                for x in 0..self.m.types.len() as u32 {
                    if let CompositeType::Struct(fields) = self.composite(x) {
                        for (k, f) in fields.iter().enumerate() {
                            let packed = !matches!(f.storage, StorageType::Val(_));
                            let ok = match row {
                                RowId::StructGet => !packed,
                                RowId::StructSet => f.mutable,
                                _ => packed,
                            };
                            if ok {
                                pairs.push((x, k as u32, f.storage.unpacked()));
                            }
                        }
                    }
                }
                let Some((ty, field, t)) = self.pick(&pairs)? else {
                    return Ok(false);
                };
                let r = reft(true, HeapType::Concrete(ty));
                if row == RowId::StructSet {
                    self.ensure(b, &[r, t])?;
                    self.emit(Instr::StructSet { ty, field });
                } else {
                    self.ensure(b, &[r])?;
                    self.emit(match row {
                        RowId::StructGet => Instr::StructGet { ty, field },
                        RowId::StructGetS => Instr::StructGetS { ty, field },
                        _ => Instr::StructGetU { ty, field },
                    });
                    b.stack.push(t);
                }
            }
            RowId::ArrayNew | RowId::ArrayNewDefault | RowId::ArrayNewFixed => {
                let default = row == RowId::ArrayNewDefault;
                let cands =
                    self.array_types(|_, f| !default || f.storage.unpacked().is_defaultable());
                let Some(ty) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let CompositeType::Array(f) = *self.composite(ty) else {
                    unreachable!()
                };
                let t = f.storage.unpacked();
                match row {
                    RowId::ArrayNew => {
                        self.ensure(b, &[t])?;
                        self.small_len(b)?;
                        self.emit(Instr::ArrayNew { ty });
                    }
                    RowId::ArrayNewDefault => {
                        self.small_len(b)?;
                        self.emit(Instr::ArrayNewDefault { ty });
                    }
                    _ => {
                        let len = self.count(0, 4)? as u32;
                        let ops = vec![t; len as usize];
                        self.ensure(b, &ops)?;
                        self.emit(Instr::ArrayNewFixed { ty, len });
                    }
                }
                b.stack.push(reft(false, self.allocated(ty)));
            }
            RowId::ArrayNewData | RowId::ArrayInitData => {
                if !self.datas_usable() || self.trapping() {
                    return Ok(false);
                }
                let init = row == RowId::ArrayInitData;
                let cands = self.array_types(|_, f| {
                    !matches!(f.storage, StorageType::Val(ValType::Ref(_))) && (!init || f.mutable)
                });
                let Some(ty) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let data = self.index(self.m.datas.len())? as u32;
                if init {
                    self.ensure(b, &[reft(true, HeapType::Concrete(ty)), I32, I32, I32])?;
                    self.emit(Instr::ArrayInitData { ty, data });
                } else {
                    self.ensure(b, &[I32, I32])?;
                    self.emit(Instr::ArrayNewData { ty, data });
                    b.stack.push(reft(false, self.allocated(ty)));
                }
            }
            RowId::ArrayNewElem | RowId::ArrayInitElem => {
                if self.trapping() {
                    return Ok(false);
                }
                let init = row == RowId::ArrayInitElem;
                let mut pairs = Vec::new();
                for x in 0..self.m.types.len() as u32 {
                    if let CompositeType::Array(f) = *self.composite(x) {
                        if init && !f.mutable {
                            continue;
                        }
                        for (e, el) in self.m.elems.iter().enumerate() {
                            if self.val_sub(ValType::Ref(el.ty), f.storage.unpacked()) {
                                pairs.push((x, e as u32));
                            }
                        }
                    }
                }
                let Some((ty, elem)) = self.pick(&pairs)? else {
                    return Ok(false);
                };
                if init {
                    self.ensure(b, &[reft(true, HeapType::Concrete(ty)), I32, I32, I32])?;
                    self.emit(Instr::ArrayInitElem { ty, elem });
                } else {
                    self.ensure(b, &[I32, I32])?;
                    self.emit(Instr::ArrayNewElem { ty, elem });
                    b.stack.push(reft(false, self.allocated(ty)));
                }
            }
            RowId::ArrayGet
            | RowId::ArrayGetS
            | RowId::ArrayGetU
            | RowId::ArraySet
            | RowId::ArrayFill => {
                if self.trapping() {
                    return Ok(false);
                }
                let cands = self.array_types(|_, f| {
                    let packed = !matches!(f.storage, StorageType::Val(_));
                    match row {
                        RowId::ArrayGet => !packed,
                        RowId::ArraySet | RowId::ArrayFill => f.mutable,
                        _ => packed,
                    }
                });
                let Some(ty) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let CompositeType::Array(f) = *self.composite(ty) else {
                    unreachable!()
                };
                let t = f.storage.unpacked();
                let r = reft(true, HeapType::Concrete(ty));
                match row {
                    RowId::ArraySet => {
                        self.ensure(b, &[r, I32, t])?;
                        self.emit(Instr::ArraySet { ty });
                    }
                    RowId::ArrayFill => {
                        self.ensure(b, &[r, I32, t, I32])?;
                        self.emit(Instr::ArrayFill { ty });
                    }
                    _ => {
                        self.ensure(b, &[r, I32])?;
                        self.emit(match row {
                            RowId::ArrayGet => Instr::ArrayGet { ty },
                            RowId::ArrayGetS => Instr::ArrayGetS { ty },
                            _ => Instr::ArrayGetU { ty },
                        });
                        b.stack.push(t);
                    }
                }
            }
            RowId::ArrayCopy => {
                if self.trapping() {
                    return Ok(false);
                }
                let mut pairs = Vec::new();
                let arrays = self.array_types(|_, _| true);
                for &d in &arrays {
                    for &s in &arrays {
                        let (CompositeType::Array(df), CompositeType::Array(sf)) =
                            (self.composite(d), self.composite(s))
                        else {
                            continue;
                        };
                        let fits = match (sf.storage, df.storage) {
                            (StorageType::Val(a), StorageType::Val(c)) => self.val_sub(a, c),
                            (a, c) => a == c,
                        };
                        if df.mutable && fits {
                            pairs.push((d, s));
                        }
                    }
                }
                let Some((dst, src)) = self.pick(&pairs)? else {
                    return Ok(false);
                };
                self.ensure(
                    b,
                    &[
                        reft(true, HeapType::Concrete(dst)),
                        I32,
                        reft(true, HeapType::Concrete(src)),
                        I32,
                        I32,
                    ],
                )?;
                self.emit(Instr::ArrayCopy { dst, src });
            }
            RowId::RefGetDesc => {
                if self.trapping() {
                    return Ok(false);
                }
                let cands = self.struct_types(|g, x, _| g.m.types[x as usize].descriptor.is_some());
                let Some(ty) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let y = self.m.types[ty as usize].descriptor.expect("a descriptor");
                self.ensure(b, &[reft(true, HeapType::Concrete(ty))])?;
                self.emit(Instr::RefGetDesc { ty });
                b.stack.push(reft(false, HeapType::Concrete(y)));
            }
            RowId::RefCastDescEq | RowId::RefCastDescEqNull => {
                if self.trapping() {
                    return Ok(false);
                }
                let cands = self.struct_types(|g, x, _| g.m.types[x as usize].descriptor.is_some());
                let Some(x) = self.pick(&cands)? else {
                    return Ok(false);
                };
                let y = self.m.types[x as usize].descriptor.expect("a descriptor");
                let exact = self.chance(1, 2)?;
                let ty = if exact {
                    HeapType::Exact(x)
                } else {
                    HeapType::Concrete(x)
                };
                let dy = if exact {
                    HeapType::Exact(y)
                } else {
                    HeapType::Concrete(y)
                };
                self.ensure(b, &[self.top_ref(ty), reft(true, dy)])?;
                let null = row == RowId::RefCastDescEqNull;
                self.emit(if null {
                    Instr::RefCastDescEqNull { ty }
                } else {
                    Instr::RefCastDescEq { ty }
                });
                b.stack.push(reft(null, ty));
            }
            RowId::AnyConvertExtern | RowId::ExternConvertAny => {
                // The result is nullable as the operand is.
                let (from, to, instr) = if row == RowId::AnyConvertExtern {
                    (AbsHeap::Extern, AbsHeap::Any, Instr::AnyConvertExtern)
                } else {
                    (AbsHeap::Any, AbsHeap::Extern, Instr::ExternConvertAny)
                };
                let r = match b.above().last() {
                    Some(&ValType::Ref(r)) if self.heap_sub(r.heap, HeapType::Abstract(from)) => r,
                    _ => RefType::new(true, HeapType::Abstract(from)),
                };
                self.ensure(b, &[ValType::Ref(r)])?;
                self.emit(instr);
                // Nullable: after `unreachable` the validator sees a
                // nullable result whatever the model's operand.
                b.stack.push(abs(true, to));
            }
            // Markers closing or splitting blocks come from `close`; the
            // plain rows from `plain_row`.
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn pick_owned<T>(&mut self, mut v: Vec<T>) -> Result<Option<T>> {
        if v.is_empty() {
            return Ok(None);
        }
        let i = self.index(v.len())?;
        Ok(Some(v.swap_remove(i)))
    }

    /// `br_on_cast(_fail)` and their descriptor forms.
    fn br_on_cast(&mut self, b: &mut Body, row: RowId) -> Result<bool> {
        let fail = matches!(row, RowId::BrOnCastFail | RowId::BrOnCastDescEqFail);
        let desc = matches!(row, RowId::BrOnCastDescEq | RowId::BrOnCastDescEqFail);
        let labels = self.ref_labels(b);
        let Some((label, mut tys, lr)) = self.pick_owned(labels)? else {
            return Ok(false);
        };
        // `to` below the label's reference (for a taken cast), `from` its
        // hierarchy's top; for `_fail`, `from` is the label's reference.
        let mut to_heap = self.sub_heap(lr.heap)?;
        if desc {
            // The target must have a descriptor.
            let cands: Vec<u32> = (0..self.m.types.len() as u32)
                .filter(|&x| {
                    self.m.types[x as usize].descriptor.is_some()
                        && self.heap_sub(HeapType::Concrete(x), lr.heap)
                })
                .collect();
            let Some(x) = self.pick(&cands)? else {
                return Ok(false);
            };
            to_heap = if self.chance(1, 3)? {
                HeapType::Exact(x)
            } else {
                HeapType::Concrete(x)
            };
        }
        let to_nullable = lr.nullable && self.chance(1, 2)?;
        let to = RefType::new(to_nullable, to_heap);
        let from = if fail {
            lr
        } else {
            let top = self.top(lr.heap);
            let top_ok = match top {
                AbsHeap::Func | AbsHeap::Extern => self.has(Features::REFERENCE_TYPES),
                AbsHeap::Exn => self.has(Features::EXCEPTIONS),
                _ => self.has(Features::GC),
            };
            if top_ok && self.chance(2, 3)? {
                RefType::new(true, HeapType::Abstract(top))
            } else {
                RefType::new(true, lr.heap)
            }
        };
        if !self.ref_sub(to, from) {
            return Ok(false);
        }
        tys.pop();
        let mut ops = tys.clone();
        ops.push(ValType::Ref(from));
        if desc {
            let x = to.heap.type_index().expect("a concrete target");
            let y = self.m.types[x as usize].descriptor.expect("a descriptor");
            ops.push(reft(
                true,
                if to.heap.is_exact() {
                    HeapType::Exact(y)
                } else {
                    HeapType::Concrete(y)
                },
            ));
        }
        self.ensure(b, &ops)?;
        let cast = Box::new(BrOnCast { label, from, to });
        self.emit(match row {
            RowId::BrOnCast => Instr::BrOnCast { cast },
            RowId::BrOnCastFail => Instr::BrOnCastFail { cast },
            RowId::BrOnCastDescEq => Instr::BrOnCastDescEq { cast },
            _ => Instr::BrOnCastDescEqFail { cast },
        });
        b.stack.extend(tys);
        let fallthrough = if fail {
            to
        } else {
            RefType::new(from.nullable && !to.nullable, from.heap)
        };
        b.stack.push(ValType::Ref(fallthrough));
        Ok(true)
    }
}
