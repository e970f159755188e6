//! The interpreter's inner loop. Ops that neither return to the host, tail
//! call, throw nor reach into the store (beyond memory 0, fuel and calls)
//! run here, with the stack pointer, the program counter and the frame in
//! locals rather than in the machine's fields: in the one big loop of
//! `Machine::run` they lived on the host stack, and every push and pop
//! waited on a store and a load of `sp`. Calls to WebAssembly functions
//! (direct or through a table) and returns to a WebAssembly caller stay in
//! the loop; the loop stops at the first other op and leaves it to `run`.

use std::sync::Arc;

use super::{CodePtr, Frame, Machine, Mem0, unimplemented};
use crate::access::{LoadFn, StoreFn};
use crate::instance::InstanceData;
use crate::num::BinFn;
use crate::op::{Code, Op, for_each_specialized, shape};
use crate::simd::SimdBinFn;
use crate::store::FuncInst;
use crate::trap::Trap;
use crate::value::decode_ref;

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
        let (mut fp, mut inst, mut mem) = (regs.fp, regs.inst, regs.mem);
        let mut ops = code.ops.as_ptr();
        // The next op, by address (`ops` plus the op index).
        // SAFETY: `regs.pc` names an op of `code` (see the fetch below).
        let mut ip: *const Op = unsafe { ops.add(regs.pc) };
        let max_depth = self.store.limits.max_call_depth as usize;
        // The suspended callers by address, as the stack's slots are: the
        // frame stack's buffer, its capacity and the depth. The vector's
        // own length is set to `depth` when the loop exits; on a trap the
        // machine abandons the frames, and the length it still holds is
        // harmless, for a frame is plain data and every frame below the
        // larger of the two was written.
        let mut depth = self.frames.len();
        // How many codes `Pins` holds: only returns change it here.
        let mut pinned = self.pins.pinned.len();
        let mut saved: *mut Frame = self.frames.as_mut_ptr();
        // The depth at which a call must stop for a check: the smaller of
        // the depth limit and the frame buffer's capacity, so that a call
        // makes one comparison for both.
        let mut limit = self.frames.capacity().min(max_depth);
        // The running instance by address. The store's instances are
        // neither added nor changed while this loop runs: it makes no host
        // call and leaves every op that could to `run`.
        let mut data: *const InstanceData = &self.store.instances[inst as usize];
        // The stack height above the frame pointer: the top of the stack
        // relative to `frame`, so that pushes and pops need only `frame`.
        let mut sp = self.stack.sp.wrapping_sub(fp);
        // Fuel cannot be switched on or off by the ops run here.
        let metered = self.store.fuel.is_some();
        // The value stack by address, so that no op reloads the vector's
        // pointer and length from the machine: `slots` is its buffer,
        // `frame` the current frame's first slot and `len` the number of
        // slots from there to the buffer's end. They are taken again
        // (`resync!`) after anything that may grow the stack or reach it
        // through `self.stack`.
        let mut slots: *mut u64 = self.stack.slots.as_mut_ptr();
        let mut frame: *mut u64 = slots.wrapping_add(fp);
        // The slots from `frame` to the end of the buffer.
        let mut len = self.stack.slots.len().saturating_sub(fp);
        macro_rules! resync {
            () => {{
                slots = self.stack.slots.as_mut_ptr();
                frame = slots.wrapping_add(fp);
                len = self.stack.slots.len().saturating_sub(fp);
            }};
        }
        // The frame slot at `$off`, as a place.
        macro_rules! frame_slot {
            ($off:expr) => {
                // SAFETY: `frame` is `slots + fp` and `$off` an offset that
                // the translator's `in_bounds` check placed below the
                // frame's `max_height`; `enter` made the stack at least
                // `fp + max_height` slots long for this frame, it never
                // shrinks, and `slots` is its buffer since the last change.
                *unsafe { &mut *frame.add($off as usize) }
            };
        }
        macro_rules! local {
            ($off:expr) => {
                frame_slot!($off)
            };
        }
        macro_rules! set_local {
            ($off:expr, $v:expr) => {{
                let v = $v;
                frame_slot!($off) = v;
            }};
        }
        // The stack slot at index `$i`, as a place; checked against the
        // length, so that a translator bug panics rather than corrupts.
        macro_rules! slot {
            ($i:expr) => {
                *{
                    let i: usize = $i;
                    if i >= len {
                        overrun();
                    }
                    // SAFETY: `frame + i` is below the end of the buffer
                    // at `slots` (`len` counts the slots from `frame` to
                    // it; all taken since its last change).
                    unsafe { &mut *frame.add(i) }
                }
            };
        }
        // The vector in the two stack slots from index `$i`, as its 16
        // bytes (little-endian, the low half in the lower slot, as
        // everywhere on the stack), checked as `slot!`. Vectors move as one
        // 16-byte access, and as bytes rather than a `u128`: written as two
        // 8-byte halves and read back whole, a vector would wait for both
        // stores to leave the store buffer, and lanes taken from bytes
        // compile to the machine's vector instructions where a `u128` went
        // through general registers.
        macro_rules! get128 {
            ($i:expr) => {{
                let i: usize = $i;
                if i.checked_add(1).is_none_or(|hi| hi >= len) {
                    overrun();
                }
                // SAFETY: slots `i` and `i + 1` are below the length of the
                // buffer at `slots`.
                unsafe { read_vector(frame.add(i)) }
            }};
        }
        macro_rules! set128 {
            ($i:expr, $v:expr) => {{
                let v: V128 = $v;
                let i: usize = $i;
                if i.checked_add(1).is_none_or(|hi| hi >= len) {
                    overrun();
                }
                // SAFETY: as in `get128`.
                unsafe { write_vector(frame.add(i), v) }
            }};
        }
        // The vector in the two-slot local at `$off`.
        macro_rules! local128 {
            ($off:expr) => {{
                // SAFETY: as in `frame_slot!`, for an offset that `in_bounds`
                // checked with its second slot.
                unsafe { read_vector(frame.add($off as usize)) }
            }};
        }
        macro_rules! set_local128 {
            ($off:expr, $v:expr) => {{
                let v: V128 = $v;
                // SAFETY: as in `local128!`.
                unsafe { write_vector(frame.add($off as usize), v) }
            }};
        }
        macro_rules! push {
            ($v:expr) => {{
                let v = $v;
                slot!(sp) = v;
                sp += 1;
            }};
        }
        macro_rules! pop {
            () => {{
                sp = sp.wrapping_sub(1);
                slot!(sp)
            }};
        }
        macro_rules! top {
            () => {
                slot!(sp.wrapping_sub(1))
            };
        }
        // Moves the `$n` slots from `$from` down to `$to` (checked).
        macro_rules! move_down {
            ($from:expr, $n:expr, $to:expr) => {{
                let (from, n, to): (usize, usize, usize) = ($from, $n, $to);
                match n {
                    0 => {}
                    1 => slot!(to) = slot!(from),
                    _ => {
                        if to > from || from.checked_add(n).is_none_or(|end| end > len) {
                            overrun();
                        }
                        // SAFETY: both ranges lie in the buffer (`to <=
                        // from`, `from + n <= len`); `copy` allows overlap.
                        unsafe { std::ptr::copy(frame.add(from), frame.add(to), n) }
                    }
                }
            }};
        }
        // The effective address of a memory op whose address is the local
        // at `$a` shifted left by `$shift`.
        macro_rules! address {
            ($a:expr, $shift:expr, $offset:expr) => {
                (local!($a) as u32).wrapping_shl($shift as u32) as u64 + $offset as u64
            };
        }
        // The effective address of a `LoadB`: the local at `$a` plus the
        // index on top shifted left by `$shift` (wrapping, as `i32.add`),
        // plus `$offset`.
        macro_rules! based_address {
            ($a:expr, $shift:expr, $offset:expr) => {{
                let index = (top!() as u32).wrapping_shl($shift as u32);
                (local!($a) as u32).wrapping_add(index) as u64 + $offset as u64
            }};
        }
        // The index of the next op.
        macro_rules! pc {
            () => {
                // SAFETY: `ip` points into (or just past an op of) the ops
                // that start at `ops`.
                unsafe { ip.offset_from(ops) as usize }
            };
        }
        // Jumps to `$to`, charging fuel for backward jumps (loops).
        macro_rules! jump {
            ($to:expr) => {{
                // SAFETY: `in_bounds` checked every target of the running
                // code to be below its op count.
                let to = unsafe { ops.add($to as usize) };
                if metered && to < ip {
                    self.fuel()?;
                }
                ip = to;
            }};
        }
        // Branches to a target, moving the kept values down.
        macro_rules! branch {
            ($t:expr) => {{
                let t = $t;
                let keep = t.keep as usize;
                let base = t.base as usize;
                move_down!(sp.wrapping_sub(keep), keep, base);
                sp = base + keep;
                jump!(t.to);
            }};
        }
        // Runs a helper that works on the machine's stack.
        macro_rules! on_stack {
            ($e:expr) => {{
                self.stack.sp = fp + sp;
                let r = $e;
                sp = self.stack.sp.wrapping_sub(fp);
                resync!();
                r
            }};
        }
        // Leaves the loop at the op just fetched, for `run` to execute.
        macro_rules! exit {
            () => {{
                self.stack.sp = fp + sp;
                // SAFETY: the frames below `depth` were all written (by
                // `run` or by `call!`), and `depth` is within the capacity.
                unsafe { self.frames.set_len(depth) };
                *regs = Regs {
                    code,
                    pc: pc!() - 1,
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
                if depth >= limit {
                    if depth >= max_depth {
                        return Err(Trap::CallStackExhausted);
                    }
                    grow_frames(&mut self.frames, depth);
                    saved = self.frames.as_mut_ptr();
                    limit = self.frames.capacity().min(max_depth);
                }
                // SAFETY: `$callee` comes from `Arc::as_ptr` of an `Arc` the
                // store holds (a function's, or an instance's `calls`
                // entry), alive since the last host call (see `Pins`).
                let callee: &Code = unsafe { &*$callee };
                // The callee's frame, relative to the caller's.
                let at = sp - callee.param_slots as usize;
                let new_fp = fp + at;
                if at + callee.max_height as usize <= len {
                    // The frame fits: zero the declared locals here rather
                    // than through `enter` and the machine's fields.
                    for i in sp..at + callee.local_slots as usize {
                        slot!(i) = 0;
                    }
                } else {
                    self.stack.sp = fp + sp;
                    self.enter(callee, new_fp)?;
                    // `enter` grew the stack (`frame` is set below).
                    slots = self.stack.slots.as_mut_ptr();
                    len = self.stack.slots.len() - fp;
                }
                sp = callee.local_slots as usize;
                let caller = Frame {
                    code: CodePtr(code),
                    pc: pc!() as u32,
                    fp: fp as u32,
                    inst,
                };
                // SAFETY: `depth < limit`, at most the capacity of the
                // buffer at `saved` (both taken since its last change).
                unsafe { saved.add(depth).write(caller) };
                depth += 1;
                fp = new_fp;
                frame = slots.wrapping_add(fp);
                len -= at;
                code = callee;
                ops = code.ops.as_ptr();
                ip = ops;
                if $ci != inst {
                    switch!($ci);
                }
            }};
        }
        // Makes `$i` the running instance.
        macro_rules! switch {
            ($i:expr) => {{
                inst = $i;
                mem = Mem0::of(self.store, inst);
                data = &self.store.instances[inst as usize];
            }};
        }
        // The body of a specialized op, by its shape (see `op::shape`).
        macro_rules! spec {
            (S, $f:ident, $s:ident) => {{
                let shape::S = $s;
                let b = pop!();
                top!() = BinFn::$f.call(top!(), b);
            }};
            (L, $f:ident, $s:ident) => {
                top!() = BinFn::$f.call(top!(), local!($s.b))
            };
            (C, $f:ident, $s:ident) => {
                top!() = BinFn::$f.call(top!(), $s.c as i64 as u64)
            };
            (LR, $f:ident, $s:ident) => {
                top!() = BinFn::$f.call(local!($s.a), top!())
            };
            (LL, $f:ident, $s:ident) => {
                push!(BinFn::$f.call(local!($s.a), local!($s.b)))
            };
            (LC, $f:ident, $s:ident) => {
                push!(BinFn::$f.call(local!($s.a), $s.c as i64 as u64))
            };
            (Set, $f:ident, $s:ident) => {{
                let b = pop!();
                let a = pop!();
                set_local!($s.d, BinFn::$f.call(a, b));
            }};
            (LSet, $f:ident, $s:ident) => {{
                let a = pop!();
                set_local!($s.d, BinFn::$f.call(a, local!($s.b)));
            }};
            (CSet, $f:ident, $s:ident) => {{
                let a = pop!();
                set_local!($s.d, BinFn::$f.call(a, $s.c as i64 as u64));
            }};
            (LRSet, $f:ident, $s:ident) => {{
                let b = pop!();
                set_local!($s.d, BinFn::$f.call(local!($s.a), b));
            }};
            (LLSet, $f:ident, $s:ident) => {
                set_local!($s.d, BinFn::$f.call(local!($s.a), local!($s.b)))
            };
            (LCSet, $f:ident, $s:ident) => {
                set_local!($s.d, BinFn::$f.call(local!($s.a), $s.c as i64 as u64))
            };
            (JumpLL, $f:ident, $s:ident) => {
                if BinFn::$f.call(local!($s.a), local!($s.b)) as u32 != 0 {
                    jump!($s.to);
                }
            };
            (JumpLC, $f:ident, $s:ident) => {
                if BinFn::$f.call(local!($s.a), $s.c as i64 as u64) as u32 != 0 {
                    jump!($s.to);
                }
            };
            (Load, $f:ident, $s:ident) => {{
                let ea = (top!() as u32).wrapping_shl($s.shift as u32) as u64 + $s.offset as u64;
                top!() = LoadFn::$f
                    .call(mem.bytes(), ea)
                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
            }};
            (LoadB, $f:ident, $s:ident) => {{
                let ea = based_address!($s.a, $s.shift, $s.offset);
                top!() = LoadFn::$f
                    .call(mem.bytes(), ea)
                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
            }};
            (LoadL, $f:ident, $s:ident) => {{
                let ea = address!($s.a, $s.shift, $s.offset);
                let v = LoadFn::$f
                    .call(mem.bytes(), ea)
                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                push!(v);
            }};
            (LoadSet, $f:ident, $s:ident) => {{
                let ea = (pop!() as u32).wrapping_shl($s.shift as u32) as u64 + $s.offset as u64;
                let v = LoadFn::$f
                    .call(mem.bytes(), ea)
                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                set_local!($s.d, v);
            }};
            (LoadLSet, $f:ident, $s:ident) => {{
                let ea = address!($s.a, $s.shift, $s.offset);
                let v = LoadFn::$f
                    .call(mem.bytes(), ea)
                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                set_local!($s.d, v);
            }};
            (Store, $f:ident, $s:ident) => {{
                let v = pop!();
                let ea = pop!() as u32 as u64 + $s.offset as u64;
                if !StoreFn::$f.call(mem.bytes_mut(), ea, v) {
                    return Err(Trap::OutOfBoundsMemoryAccess);
                }
            }};
            (StoreL, $f:ident, $s:ident) => {{
                let v = pop!();
                let ea = address!($s.a, $s.shift, $s.offset);
                if !StoreFn::$f.call(mem.bytes_mut(), ea, v) {
                    return Err(Trap::OutOfBoundsMemoryAccess);
                }
            }};
            (StoreLL, $f:ident, $s:ident) => {{
                let ea = address!($s.a, $s.shift, $s.offset);
                if !StoreFn::$f.call(mem.bytes_mut(), ea, local!($s.v)) {
                    return Err(Trap::OutOfBoundsMemoryAccess);
                }
            }};
            (VecS, $f:ident, $s:ident) => {{
                let shape::VecS = $s;
                sp = sp.wrapping_sub(2);
                let b = get128!(sp);
                let at = sp.wrapping_sub(2);
                set128!(at, SimdBinFn::$f.call_bytes(get128!(at), b));
            }};
            (VecLR, $f:ident, $s:ident) => {{
                let at = sp.wrapping_sub(2);
                set128!(at, SimdBinFn::$f.call_bytes(local128!($s.a), get128!(at)));
            }};
            (VecLRSet, $f:ident, $s:ident) => {{
                sp = sp.wrapping_sub(2);
                set_local128!($s.d, SimdBinFn::$f.call_bytes(local128!($s.a), get128!(sp)));
            }};
            (StoreLC, $f:ident, $s:ident) => {{
                let ea = address!($s.a, $s.shift, $s.offset);
                if !StoreFn::$f.call(mem.bytes_mut(), ea, $s.c as i64 as u64) {
                    return Err(Trap::OutOfBoundsMemoryAccess);
                }
            }};
        }
        loop {
            debug_assert!(pc!() < code.ops.len());
            // SAFETY: `ops` points at the running `code`'s ops (both
            // change together at calls and returns; `Pins` keeps the code
            // alive), and `pc` names one of them: `run` passes a valid
            // index, a call starts at 0, a return resumes just after a call
            // op (never the last), and the translator's `in_bounds` check
            // guarantees that every branch target is below the length and
            // that the last op is `Return` (which leaves the frame), so
            // stepping past an op that falls through stays in range.
            let op = unsafe { &*ip };
            // SAFETY: as above, the op after `op` is in range or `op`
            // leaves the code (one past the end is a valid address anyway).
            ip = unsafe { ip.add(1) };
            // The one match of the loop, with an arm per specialized op (the
            // list comes from `op::for_each_specialized`).
            macro_rules! step {
                ($($name:ident $shape:ident $f:ident,)*) => {
                        match op {
                            $(Op::$name(s) => spec!($shape, $f, s),)*
                            Op::Call { func } => {
                                // SAFETY: `data` is the running instance's (see there).
                                let calls = unsafe { &(*data).calls };
                                match calls.get(*func as usize) {
                                    Some(Some((callee, ci))) => {
                                        let (callee, ci) = (Arc::as_ptr(callee), *ci);
                                        call!(callee, ci);
                                    }
                                    _ => exit!(),
                                }
                            }
                            Op::CallIndirect { ty, table } => {
                                // The common case here: a 32-bit table whose
                                // element is a WebAssembly function of
                                // exactly the expected type. Anything else
                                // (errors, subtypes, host functions) goes
                                // the general way below.
                                // SAFETY: as for `Call`.
                                let data = unsafe { &*data };
                                let expected = data.types[*ty as usize];
                                let tab = &self.store.tables[data.tables[*table as usize] as usize];
                                let i = top!() as u32 as usize;
                                let hit = match tab.elems.get(i).copied().and_then(decode_ref) {
                                    Some(addr) if !tab.is64() => match self.store.funcs.get(addr as usize) {
                                        Some(FuncInst::Wasm {
                                            ty: actual,
                                            code: callee,
                                            instance,
                                        }) if *actual == expected => {
                                            Some((Arc::as_ptr(callee), *instance))
                                        }
                                        _ => None,
                                    },
                                    _ => None,
                                };
                                if let Some((callee, ci)) = hit {
                                    // The index was popped.
                                    sp -= 1;
                                    call!(callee, ci);
                                    continue;
                                }
                                self.stack.sp = fp + sp;
                                // `call!` takes the stack again before using it.
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
                                if depth == 0 {
                                    // The entry frame returns to the host.
                                    exit!();
                                }
                                let n = code.result_slots as usize;
                                move_down!(sp.wrapping_sub(n), n, 0);
                                depth -= 1;
                                // SAFETY: the frame below `depth` was written
                                // by `run` or by `call!`.
                                let f = unsafe { saved.add(depth).read() };
                                // The caller is the running code again.
                                if pinned > depth + 1 {
                                    self.pins.cut(depth + 1);
                                    pinned = depth + 1;
                                }
                                // SAFETY: a frame's code is alive (see `Pins`).
                                code = unsafe { &*f.code.0 };
                                ops = code.ops.as_ptr();
                                // The results are at the callee's frame
                                // pointer; the caller's is below it.
                                let callee_fp = fp;
                                fp = f.fp as usize;
                                let up = callee_fp.wrapping_sub(fp);
                                frame = slots.wrapping_add(fp);
                                len = len.wrapping_add(up);
                                sp = up + n;
                                // SAFETY: a frame's pc is just after its
                                // call op, which is never the last op.
                                ip = unsafe { ops.add(f.pc as usize) };
                                if f.inst != inst {
                                    switch!(f.inst);
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
                                    // SAFETY: `in_bounds` checked the target.
                                    ip = unsafe { ops.add(*to as usize) };
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
                                    move_down!(sp.wrapping_sub(n), n, sp.wrapping_sub(2 * n));
                                }
                                sp -= n;
                            }
                            Op::LocalGet { off } => push!(local!(*off)),
                            Op::LocalSet { off } => set_local!(*off, pop!()),
                            Op::LocalTee { off } => set_local!(*off, top!()),
                            Op::LocalGet2 { off } => {
                                set128!(sp, local128!(*off));
                                sp += 2;
                            }
                            Op::LocalSet2 { off } => {
                                sp = sp.wrapping_sub(2);
                                set_local128!(*off, get128!(sp));
                            }
                            Op::LocalTee2 { off } => {
                                set_local128!(*off, get128!(sp.wrapping_sub(2)));
                            }
                            Op::Const { bits } => push!(*bits),
                            Op::I32Eqz => top!() = (top!() as u32 == 0) as u64,
                            Op::Un { f } => top!() = f.call(top!()),
                            Op::UnL { f, a } => push!(f.call(local!(*a))),
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
                            Op::Load { f, shift, offset } => {
                                let ea = (top!() as u32).wrapping_shl(*shift as u32) as u64
                                    + *offset as u64;
                                top!() = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                            }
                            Op::LoadB {
                                f,
                                shift,
                                a,
                                offset,
                            } => {
                                let ea = based_address!(*a, *shift, *offset);
                                top!() = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                            }
                            Op::LoadL {
                                f,
                                shift,
                                a,
                                offset,
                            } => {
                                let ea = address!(*a, *shift, *offset);
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
                            Op::StoreL {
                                f,
                                shift,
                                a,
                                offset,
                            } => {
                                let v = pop!();
                                let ea = address!(*a, *shift, *offset);
                                if !f.call(mem.bytes_mut(), ea, v) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::StoreLL {
                                f,
                                shift,
                                a,
                                offset,
                                v,
                            } => {
                                let ea = address!(*a, *shift, *offset);
                                if !f.call(mem.bytes_mut(), ea, local!(*v)) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::LoadSet {
                                f,
                                shift,
                                offset,
                                d,
                            } => {
                                let ea = (pop!() as u32).wrapping_shl(*shift as u32) as u64
                                    + *offset as u64;
                                let v = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                set_local!(*d, v);
                            }
                            Op::LoadLSet {
                                f,
                                shift,
                                a,
                                offset,
                                d,
                            } => {
                                let ea = address!(*a, *shift, *offset);
                                let v = f
                                    .call(mem.bytes(), ea)
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                set_local!(*d, v);
                            }
                            Op::StoreLC {
                                f,
                                shift,
                                a,
                                offset,
                                c,
                            } => {
                                let ea = address!(*a, *shift, *offset);
                                if !f.call(mem.bytes_mut(), ea, *c as i64 as u64) {
                                    return Err(Trap::OutOfBoundsMemoryAccess);
                                }
                            }
                            Op::V128Load { offset } => {
                                let ea = top!() as u32 as u64 + *offset as u64;
                                let v = load16(mem.bytes(), ea)?;
                                set128!(sp.wrapping_sub(1), v);
                                sp += 1;
                            }
                            Op::V128LoadL { shift, a, offset } => {
                                let ea = address!(*a, *shift, *offset);
                                set128!(sp, load16(mem.bytes(), ea)?);
                                sp += 2;
                            }
                            Op::V128LoadLL { a, b, offset } => {
                                let ea = (local!(*a) as u32).wrapping_add(local!(*b) as u32) as u64
                                    + *offset as u64;
                                set128!(sp, load16(mem.bytes(), ea)?);
                                sp += 2;
                            }
                            Op::SimdBinLR { f, a } => {
                                let at = sp.wrapping_sub(2);
                                set128!(at, f.call_bytes(local128!(*a), get128!(at)));
                            }
                            Op::SimdBinLRSet { f, a, d } => {
                                sp = sp.wrapping_sub(2);
                                set_local128!(*d, f.call_bytes(local128!(*a), get128!(sp)));
                            }
                            Op::V128Store { offset } => {
                                sp = sp.wrapping_sub(2);
                                let v = get128!(sp);
                                let ea = pop!() as u32 as u64 + *offset as u64;
                                let b = range16(ea)
                                    .and_then(|r| mem.bytes_mut().get_mut(r))
                                    .ok_or(Trap::OutOfBoundsMemoryAccess)?;
                                b.copy_from_slice(&v);
                            }
                            Op::SimdBin { f } => {
                                sp = sp.wrapping_sub(2);
                                let b = get128!(sp);
                                let at = sp.wrapping_sub(2);
                                set128!(at, f.call_bytes(get128!(at), b));
                            }
                            Op::I32MulAddLLL { a, b, c } => {
                                let m = BinFn::I32Mul.call(local!(*a), local!(*b));
                                push!(BinFn::I32Add.call(m, local!(*c)));
                            }
                            Op::F64MulAddLRSet { a, d } => {
                                let y = pop!();
                                let x = pop!();
                                let m = BinFn::F64Mul.call(x, y);
                                set_local!(*d, BinFn::F64Add.call(local!(*a), m));
                            }
                            Op::I32AddJumpLtU(s) => {
                                let v = BinFn::I32Add.call(local!(s.x), s.c as i64 as u64);
                                set_local!(s.x, v);
                                if BinFn::I32LtU.call(v, local!(s.b)) != 0 {
                                    jump!(s.to);
                                } else {
                                    // SAFETY: `in_bounds` checked that the op
                                    // after the skipped one exists.
                                    ip = unsafe { ip.add(1) };
                                }
                            }
                            Op::I32AddJumpLtS(s) => {
                                let v = BinFn::I32Add.call(local!(s.x), s.c as i64 as u64);
                                set_local!(s.x, v);
                                if BinFn::I32LtS.call(v, local!(s.b)) != 0 {
                                    jump!(s.to);
                                } else {
                                    // SAFETY: as for `I32AddJumpLtU`.
                                    ip = unsafe { ip.add(1) };
                                }
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
                            // Every other op, named rather than `_`: with the
                            // match exhaustive, the dispatch needs no range
                            // check before its jump table.
                            Op::Unreachable
                            | Op::ReturnCall { .. }
                            | Op::ReturnCallIndirect { .. }
                            | Op::CallRef
                            | Op::ReturnCallRef
                            | Op::BrOnNull(_)
                            | Op::BrOnNonNull(_)
                            | Op::Throw { .. }
                            | Op::ThrowRef
                            | Op::BrOnCast { .. }
                            | Op::BrOnCastDesc { .. }
                            | Op::Gc(_)
                            | Op::Rethrow { .. }
                            | Op::GlobalGet { .. }
                            | Op::GlobalSet { .. }
                            | Op::RefFunc { .. }
                            | Op::Access(_) => exit!(),
                        }
                };
            }
            for_each_specialized!(step);
        }
    }
}

/// Makes room for more frames, keeping the `depth` frames written.
#[cold]
#[inline(never)]
fn grow_frames(frames: &mut Vec<Frame>, depth: usize) {
    // SAFETY: the frames below `depth` were all written and `depth` is
    // within the capacity (it equals it here).
    unsafe { frames.set_len(depth) };
    frames.reserve(depth.max(64));
}

/// Stops on a value stack access out of range: the translator sizes every
/// frame, so this is a bug, reported as a panic rather than undefined
/// behaviour.
#[cold]
#[inline(never)]
fn overrun() -> ! {
    panic!("value stack access out of range")
}

/// A vector as its 16 bytes, little-endian.
type V128 = [u8; 16];

/// Reads the vector in the two slots at `p`.
///
/// # Safety
/// `p` and `p + 1` must be slots of the value stack.
#[inline(always)]
unsafe fn read_vector(p: *const u64) -> V128 {
    if cfg!(target_endian = "little") {
        // SAFETY: the caller guarantees the 16 bytes are the two slots;
        // on a little-endian machine they are the vector's bytes in order.
        unsafe { p.cast::<V128>().read_unaligned() }
    } else {
        // SAFETY: as above.
        let [lo, hi] = unsafe { p.cast::<[u64; 2]>().read_unaligned() };
        let mut v = [0; 16];
        v[..8].copy_from_slice(&lo.to_le_bytes());
        v[8..].copy_from_slice(&hi.to_le_bytes());
        v
    }
}

/// Writes a vector into the two slots at `p`.
///
/// # Safety
/// As for `read_vector`.
#[inline(always)]
unsafe fn write_vector(p: *mut u64, v: V128) {
    if cfg!(target_endian = "little") {
        // SAFETY: as in `read_vector`.
        unsafe { p.cast::<V128>().write_unaligned(v) }
    } else {
        let (lo, hi) = v.split_at(8);
        let halves = [lo, hi].map(|h| u64::from_le_bytes(h.try_into().unwrap_or_default()));
        // SAFETY: as in `read_vector`.
        unsafe { p.cast::<[u64; 2]>().write_unaligned(halves) }
    }
}

/// The 16 bytes at `ea`: one 16-byte load, where copying the slice into an
/// array went through a temporary on the host stack.
#[inline(always)]
fn load16(bytes: &[u8], ea: u64) -> Result<V128, Trap> {
    range16(ea)
        .and_then(|r| bytes.get(r))
        .and_then(|b| <&V128>::try_from(b).ok())
        .copied()
        .ok_or(Trap::OutOfBoundsMemoryAccess)
}

/// The byte range of a 16-byte access at `ea`, if it is addressable.
#[inline(always)]
fn range16(ea: u64) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(ea).ok()?;
    Some(start..start.checked_add(16)?)
}
