//! The interpreter's inner loop. Ops that neither return to the host, tail
//! call, throw nor reach into the store (beyond memory 0, fuel and calls)
//! run here, with the stack pointer, the program counter and the frame in
//! locals rather than in the machine's fields: in the one big loop of
//! `Machine::run` they lived on the host stack, and every push and pop
//! waited on a store and a load of `sp`. Calls to WebAssembly functions
//! (direct or through a table) and returns to a WebAssembly caller stay in
//! the loop; the loop stops at the first other op and leaves it to `run`.

use std::sync::Arc;

use super::{CodePtr, Frame, Machine, Mem0, move_down, unimplemented};
use crate::num::BinFn;
use crate::op::{Code, Op, for_each_specialized, shape};
use crate::store::FuncInst;
use crate::trap::Trap;

/// The running function's state, handed between `run` and `fast`.
pub(super) struct Regs {
    /// The running code, by address (kept alive as `Pins` explains).
    pub code: *const Code,
    /// The next op to execute.
    pub pc: usize,
    /// The frame pointer.
    pub fp: usize,
    /// The running instance.
    pub inst: u32,
    /// Its memory 0.
    pub mem: Mem0,
}

impl Machine<'_> {
    /// Runs ops from `regs` until one that this loop does not execute, and
    /// leaves `regs` at that op (with the frame it belongs to).
    #[inline(never)]
    pub(super) fn fast(&mut self, regs: &mut Regs) -> Result<(), Trap> {
        // SAFETY: `regs.code` is the running code, which `run` took from a
        // live `Arc<Code>` and keeps alive (see `Pins`); so is every code
        // pointer a frame holds or a callee's `Arc` gives below.
        let mut code: &Code = unsafe { &*regs.code };
        let (mut pc, mut fp, mut inst, mut mem) = (regs.pc, regs.fp, regs.inst, regs.mem);
        let mut ops = code.ops.as_ptr();
        let max_depth = self.store.limits.max_call_depth as usize;
        let mut sp = self.stack.sp;
        // Fuel cannot be switched on or off by the ops run here.
        let metered = self.store.fuel.is_some();
        macro_rules! local {
            ($off:expr) => {
                self.get(fp + $off as usize)
            };
        }
        macro_rules! set_local {
            ($off:expr, $v:expr) => {{
                let v = $v;
                self.set(fp + $off as usize, v);
            }};
        }
        macro_rules! push {
            ($v:expr) => {{
                let v = $v;
                self.stack.slots[sp] = v;
                sp += 1;
            }};
        }
        macro_rules! pop {
            () => {{
                sp -= 1;
                self.stack.slots[sp]
            }};
        }
        macro_rules! top {
            () => {
                self.stack.slots[sp - 1]
            };
        }
        // Jumps to `$to`, charging fuel for backward jumps (loops).
        macro_rules! jump {
            ($to:expr) => {{
                let to = $to as usize;
                if metered && to < pc {
                    self.fuel()?;
                }
                pc = to;
            }};
        }
        // Branches to a target, moving the kept values down.
        macro_rules! branch {
            ($t:expr) => {{
                let t = $t;
                let keep = t.keep as usize;
                let base = fp + t.base as usize;
                move_down(&mut self.stack.slots, sp - keep..sp, base);
                sp = base + keep;
                jump!(t.to);
            }};
        }
        // Runs a helper that works on the machine's stack.
        macro_rules! on_stack {
            ($e:expr) => {{
                self.stack.sp = sp;
                let r = $e;
                sp = self.stack.sp;
                r
            }};
        }
        // Leaves the loop at the op just fetched, for `run` to execute.
        macro_rules! exit {
            () => {{
                self.stack.sp = sp;
                *regs = Regs {
                    code,
                    pc: pc - 1,
                    fp,
                    inst,
                    mem,
                };
                return Ok(());
            }};
        }
        // Calls the WebAssembly function whose code is at `$callee`, of
        // instance `$ci`, with its arguments on top of the stack: they
        // become the start of its frame.
        macro_rules! call {
            ($callee:expr, $ci:expr) => {{
                if metered {
                    self.fuel()?;
                }
                if self.frames.len() >= max_depth {
                    return Err(Trap::CallStackExhausted);
                }
                // SAFETY: `$callee` comes from `Arc::as_ptr` of the store's
                // own `Arc`, alive since the last host call (see `Pins`).
                let callee: &Code = unsafe { &*$callee };
                let new_fp = sp - callee.param_slots as usize;
                self.stack.sp = sp;
                self.enter(callee, new_fp)?;
                sp = self.stack.sp;
                if let Some(p) = self.pins.current.take() {
                    // Every frame below is pinned (see `Pins`).
                    self.pins.below.push(p);
                }
                self.frames.push(Frame {
                    code: CodePtr(code),
                    pc: pc as u32,
                    fp: fp as u32,
                    inst,
                });
                fp = new_fp;
                code = callee;
                ops = code.ops.as_ptr();
                pc = 0;
                if $ci != inst {
                    inst = $ci;
                    mem = Mem0::of(self.store, inst);
                }
            }};
        }
        // The body of a specialized op, by its shape (see `op::shape`).
        macro_rules! spec {
            (S, $f:expr, $s:ident) => {{
                let shape::S = $s;
                let b = pop!();
                top!() = $f.call(top!(), b);
            }};
            (L, $f:expr, $s:ident) => {
                top!() = $f.call(top!(), local!($s.b))
            };
            (C, $f:expr, $s:ident) => {
                top!() = $f.call(top!(), $s.c as i64 as u64)
            };
            (LR, $f:expr, $s:ident) => {
                top!() = $f.call(local!($s.a), top!())
            };
            (LL, $f:expr, $s:ident) => {
                push!($f.call(local!($s.a), local!($s.b)))
            };
            (LC, $f:expr, $s:ident) => {
                push!($f.call(local!($s.a), $s.c as i64 as u64))
            };
            (Set, $f:expr, $s:ident) => {{
                let b = pop!();
                let a = pop!();
                set_local!($s.d, $f.call(a, b));
            }};
            (LSet, $f:expr, $s:ident) => {{
                let a = pop!();
                set_local!($s.d, $f.call(a, local!($s.b)));
            }};
            (CSet, $f:expr, $s:ident) => {{
                let a = pop!();
                set_local!($s.d, $f.call(a, $s.c as i64 as u64));
            }};
            (LRSet, $f:expr, $s:ident) => {{
                let b = pop!();
                set_local!($s.d, $f.call(local!($s.a), b));
            }};
            (LLSet, $f:expr, $s:ident) => {
                set_local!($s.d, $f.call(local!($s.a), local!($s.b)))
            };
            (LCSet, $f:expr, $s:ident) => {
                set_local!($s.d, $f.call(local!($s.a), $s.c as i64 as u64))
            };
            (JumpLL, $f:expr, $s:ident) => {
                if $f.call(local!($s.a), local!($s.b)) as u32 != 0 {
                    jump!($s.to);
                }
            };
            (JumpLC, $f:expr, $s:ident) => {
                if $f.call(local!($s.a), $s.c as i64 as u64) as u32 != 0 {
                    jump!($s.to);
                }
            };
        }
        loop {
            debug_assert!(pc < code.ops.len());
            // SAFETY: `ops` points at the running `code`'s ops (both
            // change together at calls and returns; `Pins` keeps the code
            // alive), and `pc` names one of them: `run` passes a valid
            // index, a call starts at 0, a return resumes just after a call
            // op (never the last), and the translator's `in_bounds` check
            // guarantees that every branch target is below the length and
            // that the last op is `Return` (which leaves the frame), so
            // stepping past an op that falls through stays in range.
            let op = unsafe { &*ops.add(pc) };
            pc += 1;
            // The one match of the loop, with an arm per specialized op (the
            // list comes from `op::for_each_specialized`).
            macro_rules! step {
                ($($name:ident $shape:ident $f:ident,)*) => {
                        match op {
                            $(Op::$name(s) => spec!($shape, BinFn::$f, s),)*
                            Op::Call { func } => {
                                let addr = self.store.instances[inst as usize].funcs[*func as usize];
                                match self.store.funcs.get(addr as usize) {
                                    Some(FuncInst::Wasm {
                                        code: callee,
                                        instance,
                                        ..
                                    }) => {
                                        let (callee, ci) = (Arc::as_ptr(callee), *instance);
                                        call!(callee, ci);
                                    }
                                    _ => exit!(),
                                }
                            }
                            Op::CallIndirect { ty, table } => {
                                self.stack.sp = sp;
                                let addr = self.indirect(inst, *ty, *table)?;
                                match self.store.funcs.get(addr as usize) {
                                    Some(FuncInst::Wasm {
                                        code: callee,
                                        instance,
                                        ..
                                    }) => {
                                        let (callee, ci) = (Arc::as_ptr(callee), *instance);
                                        // The index was popped.
                                        sp -= 1;
                                        call!(callee, ci);
                                    }
                                    // `run` makes host calls: it pops the index
                                    // again, which is still in its slot.
                                    _ => exit!(),
                                }
                            }
                            Op::Return => {
                                if self.frames.len() == 0 {
                                    // The entry frame returns to the host.
                                    exit!();
                                }
                                let n = code.result_slots as usize;
                                move_down(&mut self.stack.slots, sp - n..sp, fp);
                                sp = fp + n;
                                if let Some(f) = self.frames.pop() {
                                    let pins = &mut self.pins;
                                    pins.current = if pins.below.len() > self.frames.len() {
                                        pins.below.pop()
                                    } else {
                                        None
                                    };
                                    // SAFETY: a frame's code is alive (see `Pins`).
                                    code = unsafe { &*f.code.0 };
                                    ops = code.ops.as_ptr();
                                    (pc, fp) = (f.pc as usize, f.fp as usize);
                                    if f.inst != inst {
                                        inst = f.inst;
                                        mem = Mem0::of(self.store, inst);
                                    }
                                }
                            }

                            Op::Jump { to } => jump!(*to),
                            Op::Br(t) => branch!(*t),
                            Op::JumpIf { to } => {
                                if pop!() as u32 != 0 {
                                    jump!(*to);
                                }
                            }
                            Op::JumpIfNot { to } => {
                                if pop!() as u32 == 0 {
                                    pc = *to as usize;
                                }
                            }
                            Op::BrIf(t) => {
                                if pop!() as u32 != 0 {
                                    branch!(*t);
                                }
                            }
                            Op::BrTable { start, len } => {
                                let i = (pop!() as u32).min(len - 1);
                                branch!(code.targets[(start + i) as usize]);
                            }
                            Op::Drop { slots } => sp -= *slots as usize,
                            Op::Select { slots } => {
                                let c = pop!() as u32;
                                let n = *slots as usize;
                                if c == 0 {
                                    move_down(&mut self.stack.slots, sp - n..sp, sp - 2 * n);
                                }
                                sp -= n;
                            }
                            Op::LocalGet { off } => push!(local!(*off)),
                            Op::LocalSet { off } => set_local!(*off, pop!()),
                            Op::LocalTee { off } => set_local!(*off, top!()),
                            Op::LocalGet2 { off } => {
                                push!(local!(*off));
                                push!(local!(*off + 1));
                            }
                            Op::LocalSet2 { off } => {
                                set_local!(*off + 1, pop!());
                                set_local!(*off, pop!());
                            }
                            Op::LocalTee2 { off } => {
                                set_local!(*off, self.stack.slots[sp - 2]);
                                set_local!(*off + 1, top!());
                            }
                            Op::Const { bits } => push!(*bits),
                            Op::I32Eqz => top!() = (top!() as u32 == 0) as u64,
                            Op::Bin { f } => {
                                let b = pop!();
                                top!() = f.call(top!(), b);
                            }
                            Op::BinL { f, b } => top!() = f.call(top!(), local!(*b)),
                            Op::BinC { f, c } => top!() = f.call(top!(), *c),
                            Op::BinLR { f, a } => top!() = f.call(local!(*a), top!()),
                            Op::BinLL { f, a, b } => push!(f.call(local!(*a), local!(*b))),
                            Op::BinLC { f, a, c } => push!(f.call(local!(*a), *c)),
                            Op::BinSet { f, d } => {
                                let b = pop!();
                                let a = pop!();
                                set_local!(*d, f.call(a, b));
                            }
                            Op::BinLCSet { f, a, c, d } => {
                                set_local!(*d, f.call(local!(*a), *c as i64 as u64))
                            }
                            Op::BinLLSet { f, a, b, d } => set_local!(*d, f.call(local!(*a), local!(*b))),
                            Op::BinLRSet { f, a, d } => {
                                let b = pop!();
                                set_local!(*d, f.call(local!(*a), b));
                            }
                            Op::BinLSet { f, b, d } => {
                                let a = pop!();
                                set_local!(*d, f.call(a, local!(*b)));
                            }
                            Op::BinCSet { f, c, d } => {
                                let a = pop!();
                                set_local!(*d, f.call(a, *c as i64 as u64));
                            }
                            Op::Copy { a, d } => set_local!(*d, local!(*a)),
                            Op::ConstSet { bits, d } => set_local!(*d, *bits),
                            Op::JumpIfL { off, to, if_zero } => {
                                if (local!(*off) as u32 == 0) == *if_zero {
                                    jump!(*to);
                                }
                            }
                            Op::JumpIfLC {
                                f,
                                a,
                                c,
                                to,
                                if_zero,
                            } => {
                                if (f.call(local!(*a), *c as i64 as u64) as u32 == 0) == *if_zero {
                                    jump!(*to);
                                }
                            }
                            Op::JumpIfLL {
                                f,
                                a,
                                b,
                                to,
                                if_zero,
                            } => {
                                if (f.call(local!(*a), local!(*b)) as u32 == 0) == *if_zero {
                                    jump!(*to);
                                }
                            }
                            Op::Load { f, offset } => {
                                let ea = top!() as u32 as u64 + *offset as u64;
                                top!() = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                            }
                            Op::LoadL { f, a, offset } => {
                                let ea = local!(*a) as u32 as u64 + *offset as u64;
                                let v = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                push!(v);
                            }
                            Op::Store { f, offset } => {
                                let v = pop!();
                                let ea = pop!() as u32 as u64 + *offset as u64;
                                if !f.call(mem.bytes_mut(), ea, v) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::StoreL { f, a, offset } => {
                                let v = pop!();
                                let ea = local!(*a) as u32 as u64 + *offset as u64;
                                if !f.call(mem.bytes_mut(), ea, v) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::LoadSet { f, offset, d } => {
                                let ea = pop!() as u32 as u64 + *offset as u64;
                                let v = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                set_local!(*d, v);
                            }
                            Op::LoadLSet { f, a, offset, d } => {
                                let ea = local!(*a) as u32 as u64 + *offset as u64;
                                let v = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                set_local!(*d, v);
                            }
                            Op::StoreLC { f, a, offset, c } => {
                                let ea = local!(*a) as u32 as u64 + *offset as u64;
                                if !f.call(mem.bytes_mut(), ea, *c as i64 as u64) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::V128Load { offset } => {
                                let ea = top!() as u32 as u64 + *offset as u64;
                                let b = range16(ea)
                                    .and_then(|r| mem.bytes().get(r))
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                let (lo, hi) = b.split_at(8);
                                let lo = u64::from_le_bytes(lo.try_into().unwrap_or_default());
                                let hi = u64::from_le_bytes(hi.try_into().unwrap_or_default());
                                top!() = lo;
                                push!(hi);
                            }
                            Op::V128Store { offset } => {
                                let hi = pop!();
                                let lo = pop!();
                                let ea = pop!() as u32 as u64 + *offset as u64;
                                let b = range16(ea)
                                    .and_then(|r| mem.bytes_mut().get_mut(r))
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                b[..8].copy_from_slice(&lo.to_le_bytes());
                                b[8..].copy_from_slice(&hi.to_le_bytes());
                            }
                            Op::SimdBin { f } => {
                                let s = &mut self.stack.slots[sp - 4..sp];
                                let a = (s[1] as u128) << 64 | s[0] as u128;
                                let b = (s[3] as u128) << 64 | s[2] as u128;
                                let r = f.call(a, b);
                                s[0] = r as u64;
                                s[1] = (r >> 64) as u64;
                                sp -= 2;
                            }
                            Op::Num(i) => {
                                if !on_stack!(crate::num::numeric(&mut self.stack, i))? {
                                    return Err(unimplemented(i));
                                }
                            }
                            Op::Simd(i) => {
                                if !on_stack!(crate::simd::simd(&mut self.stack, i))? {
                                    return Err(unimplemented(i));
                                }
                            }
                            _ => exit!(),
                        }
                };
            }
            for_each_specialized!(step);
        }
    }
}

/// The byte range of a 16-byte access at `ea`, if it is addressable.
#[inline(always)]
fn range16(ea: u64) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(ea).ok()?;
    Some(start..start.checked_add(16)?)
}
