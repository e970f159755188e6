//! The interpreter's inner loop, threaded: every op kind has its own
//! handler function, and each handler ends by calling the next op's
//! handler in tail position. With optimization LLVM compiles that call to a
//! jump, so each handler has its own indirect jump to predict (one shared
//! dispatch jump, as a `loop { match }` has, was most of the loop's time,
//! and how well it predicted depended on where the linker put it). The
//! op pointer, the stack pointer, an accumulator (see `Acc`), the frame and
//! memory 0's bytes travel in the handlers' arguments, that is in
//! registers; the rest of the state sits in a `Chain` that the first
//! argument points to. Common cases of calls and returns make no call but
//! the tail call, so that they save no registers; their other cases, and
//! anything that builds a `Trap`, are out of line.
//!
//! Without optimization the compiler makes no sibling calls and a chain of
//! handlers would grow the host stack by a frame per op. `build.rs` sets
//! `weft_tail` only for optimized builds; without it every handler returns
//! to a small driver loop that calls the next one (the same handlers, one
//! `return` instead of a tail call).
//!
//! Ops that neither return to the host, tail call, throw nor reach into the
//! store (beyond memory 0, fuel and calls) run here. Calls to WebAssembly
//! functions (direct or through a table) and returns to a WebAssembly
//! caller stay here; the first other op stops the chain and is left to
//! `Machine::run`.

use std::sync::Arc;

use weft_ast::Instr;

use super::state::{CodePtr, Frame};
use super::{Machine, Mem0, unimplemented};
use crate::interpreter::ir::{Code, Op, Target, for_each_specialized, shape};
use crate::ops::mem::{LoadFn, StoreFn};
use crate::ops::num::BinFn;
use crate::ops::simd::SimdBinFn;
use crate::runtime::store::FuncInst;
use crate::runtime::store::InstanceData;
use crate::stack::Stack;
use crate::trap::Trap;
use crate::value::decode_ref;

/// The running function's state, handed between `run` and `threaded`.
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

/// The op a handler executes, by address.
type Ip = *const Op;
/// A value stack slot, by address: the top of the stack (one past the last
/// value) or the frame's first slot.
type Sp = *mut u64;

/// An op's handler: the context, the op, the top of the stack, the
/// accumulator, the frame and memory 0's bytes (its length is in the
/// context, where a bounds check reads it as one memory operand).
type OpHandler = fn(&mut Chain<'_, '_>, Ip, Sp, Acc, Sp, *mut u8) -> Flow;

/// The handlers' fourth argument: the value the first op of an accumulator
/// pair (`shape::LRAcc`, ...) hands to the second, and uninitialized for
/// every other op. On x86-64 it is `rcx`, whose low byte is the only
/// register a variable shift can take its count from: a value that every
/// handler passed on there would have to move out and back around every
/// shift by an op's field (`i32.shr_u` by a constant, a load at a scaled
/// index), while a pair's value is dead after its second op.
type Acc = std::mem::MaybeUninit<u64>;

/// What a handler returns: `Done` when the chain stops (at an op for
/// `run`, or on a trap); `Next` only without `weft_tail`, when the driver
/// is to run the op in `Chain::at`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Done,
    #[cfg_attr(weft_tail, allow(dead_code))]
    Next,
}

/// The handlers' arguments, as saved in the context when a chain stops.
#[derive(Clone, Copy)]
struct At {
    ip: Ip,
    sp: Sp,
    acc: Acc,
    fp: Sp,
    mem: *mut u8,
}

/// The state that the handlers share and do not keep in registers: what
/// changes only at calls, returns and instance switches.
struct Chain<'a, 's> {
    m: &'a mut Machine<'s>,
    /// The running code.
    code: *const Code,
    /// Its ops, by address.
    ops: *const Op,
    /// The running instance, its index and by address. The store's
    /// instances are neither added nor changed while handlers run: they
    /// make no host call and leave every op that could to `run`.
    inst: u32,
    data: *const InstanceData,
    /// The elements of its table 0 (empty without one), for
    /// `call_indirect`: no op run here changes a table (table
    /// instructions are `run`'s), so they stay put until the chain stops
    /// or the instance changes.
    table0: *const u64,
    table0_len: usize,
    /// The suspended callers by address: the frame stack's buffer and the
    /// depth (the vector's own length is set when the chain stops; on a
    /// trap the machine abandons the frames, and the length it holds is
    /// harmless, for a frame is plain data and every frame below the
    /// larger of the two was written).
    saved: *mut Frame,
    depth: usize,
    /// The depth at which a call must stop for a check: the smaller of the
    /// depth limit and the frame buffer's capacity, so that a call makes
    /// one comparison for both.
    limit: usize,
    max_depth: usize,
    /// How many codes `Pins` holds: only returns change it here.
    pinned: usize,
    /// Whether fuel is metered (no op run here switches it).
    metered: bool,
    /// Memory 0's length (its bytes travel in the handlers' arguments).
    len: usize,
    /// The value stack's buffer and its end, taken again (`Chain::resync`)
    /// after anything that may grow the stack.
    slots: Sp,
    end: Sp,
    /// The op a jump with fuel metered comes from (see `metered_jump`).
    from: Ip,
    /// The code and instance of a call that `call` hands to `call_slow`
    /// (two more arguments would go on the host stack, which rules a
    /// tail call out).
    callee: (*const Code, u32),
    /// Where the chain stopped (or, without `weft_tail`, the next op to
    /// run), and why.
    at: At,
    outcome: Result<(), Trap>,
}

impl Chain<'_, '_> {
    /// The slot index of the stack address `p`.
    #[inline(always)]
    fn index(&self, p: Sp) -> usize {
        (p as usize).wrapping_sub(self.slots as usize) / size_of::<u64>()
    }

    /// Takes the stack's buffer again, after the machine's stack pointer
    /// was set from `sp` and something ran on `self.m.stack`; returns the
    /// new top and the frame at index `fp`.
    #[inline(always)]
    fn resync(&mut self, fp: usize) -> (Sp, Sp) {
        self.slots = self.m.stack.slots.as_mut_ptr();
        self.end = self.slots.wrapping_add(self.m.stack.slots.len());
        (
            self.slots.wrapping_add(self.m.stack.sp),
            self.slots.wrapping_add(fp),
        )
    }

    /// Takes the running instance's table 0 (see `Chain::table0`).
    #[inline(always)]
    fn take_table0(&mut self) {
        // SAFETY: `data` is the running instance's (see there).
        let data = unsafe { &*self.data };
        let store = &*self.m.store;
        let elems = data
            .tables
            .first()
            .and_then(|&t| store.tables.get(t as usize))
            .map_or(&[][..], |t| &t.elems[..]);
        self.table0 = elems.as_ptr();
        self.table0_len = elems.len();
    }

    /// Makes instance `i` the running one and returns its memory 0.
    #[inline(always)]
    fn switch(&mut self, i: u32) -> Mem0 {
        self.inst = i;
        self.data = &self.m.store.instances[i as usize];
        self.take_table0();
        let mem = Mem0::of(self.m.store, i);
        self.len = mem.len;
        mem
    }

    /// Enters `code` at the frame `fp` through `Machine::enter`, which
    /// grows the stack: returns the frame's new address, or null on a trap
    /// (set). Out of line, as every call to a function returning a `Trap`
    /// must be: the result's temporary on the host stack would keep the
    /// handler from passing control on by a tail call.
    #[cold]
    #[inline(never)]
    fn grow_stack(&mut self, ip: Ip, code: &Code, fp: Sp, sp: Sp) -> Sp {
        let at = self.index(fp);
        self.m.stack.sp = self.index(sp);
        match self.m.enter(code, at) {
            Ok(()) => self.resync(at).1,
            Err(t) => {
                self.trap(ip, t);
                std::ptr::null_mut()
            }
        }
    }

    /// Runs `f` (`num::numeric` or `simd::simd`) for instruction `i` on the
    /// machine's stack with the top at `sp`: false on a trap (set). Out of
    /// line, as `grow_stack` explains; the caller takes the stack again
    /// (`resync`).
    #[inline(never)]
    fn on_stack(
        &mut self,
        ip: Ip,
        sp: Sp,
        f: fn(&mut Stack, &Instr) -> Result<bool, Trap>,
        i: &Instr,
    ) -> bool {
        self.m.stack.sp = self.index(sp);
        let t = match f(&mut self.m.stack, i) {
            Ok(true) => return true,
            Ok(false) => unimplemented(i),
            Err(t) => t,
        };
        self.trap(ip, t);
        false
    }

    /// The function that `call_indirect` through `table` with type `ty`
    /// calls, by `Machine::indirect`, which pops the index: `None` on a
    /// trap (set). Out of line, as `grow_stack` explains.
    #[inline(never)]
    fn indirect(&mut self, ip: Ip, sp: Sp, ty: u32, table: u32) -> Option<u32> {
        self.m.stack.sp = self.index(sp);
        match self.m.indirect(self.inst, ty, table) {
            Ok(addr) => Some(addr),
            Err(t) => {
                self.trap(ip, t);
                None
            }
        }
    }

    /// Stops the chain on a trap.
    #[cold]
    #[inline(never)]
    fn trap(&mut self, ip: Ip, t: Trap) -> Flow {
        // Where: the op at `ip` of the running code (`threaded` hands it to
        // `run`, which records the backtrace).
        self.at.ip = ip;
        self.outcome = Err(t);
        // Opaque: were the compiler to see that this always gives `Done`,
        // it would use the constant in the handlers, and `return
        // c.trap(..)` would stop being a tail call (the handler would then
        // align the host stack for the call on every run).
        std::hint::black_box(Flow::Done)
    }

    /// Charges one unit of fuel; false when it ran out (the trap is set).
    #[inline(always)]
    fn fuel(&mut self, ip: Ip) -> bool {
        let ok = self.m.fuel().is_ok();
        if !ok {
            self.trap_with(ip, || Trap::OutOfFuel);
        }
        ok
    }

    /// Stops the chain on the trap `t` makes. Where a handler goes on by a
    /// tail call, it must not build a `Trap` itself: the value's temporary
    /// on the host stack would keep the compiler from making that call a
    /// jump.
    #[cold]
    #[inline(never)]
    fn trap_with(&mut self, ip: Ip, t: impl FnOnce() -> Trap) -> Flow {
        self.trap(ip, t())
    }
}

impl Machine<'_> {
    /// Runs ops from `regs` until one that the handlers do not execute, and
    /// leaves `regs` at that op (with the frame it belongs to).
    #[inline(never)]
    pub(super) fn threaded(&mut self, regs: &mut Regs) -> Result<(), Trap> {
        let slots = self.stack.slots.as_mut_ptr();
        let end = slots.wrapping_add(self.stack.slots.len());
        // SAFETY: `regs.code` is the running code, which `run` took from a
        // live `Arc<Code>` and keeps alive (see `Pins`).
        let code: &Code = unsafe { &*regs.code };
        let ops = code.ops.as_ptr();
        let max_depth = self.store.limits.max_call_depth as usize;
        let mut c = Chain {
            code,
            ops,
            inst: regs.inst,
            data: &self.store.instances[regs.inst as usize],
            table0: std::ptr::null(),
            table0_len: 0,
            saved: self.frames.as_mut_ptr(),
            depth: self.frames.len(),
            limit: self.frames.capacity().min(max_depth),
            max_depth,
            pinned: self.pins.pinned.len(),
            metered: self.store.fuel.is_some(),
            len: regs.mem.len,
            slots,
            end,
            from: std::ptr::null(),
            callee: (std::ptr::null(), 0),
            at: At {
                // SAFETY: `regs.pc` names an op of `code`.
                ip: unsafe { ops.add(regs.pc) },
                sp: slots.wrapping_add(self.stack.sp),
                acc: Acc::uninit(),
                fp: slots.wrapping_add(regs.fp),
                mem: regs.mem.ptr,
            },
            outcome: Ok(()),
            m: self,
        };
        c.take_table0();
        loop {
            let At {
                ip,
                sp,
                acc,
                fp,
                mem,
            } = c.at;
            // SAFETY: `ip` names an op of the running code (see `op`).
            let flow = handler_of(unsafe { &*ip })(&mut c, ip, sp, acc, fp, mem);
            if flow == Flow::Done {
                break;
            }
        }
        // On a trap too, `regs` and the frames are left where the chain
        // stopped (at the op that trapped), for `run`'s backtrace.
        let outcome = std::mem::replace(&mut c.outcome, Ok(()));
        let at = c.at;
        let (sp, fp, pc) = (c.index(at.sp), c.index(at.fp), op_index(&c, at.ip));
        let m = c.m;
        m.stack.sp = sp;
        // SAFETY: the frames below `depth` were all written (by `run` or
        // by a call here), and `depth` is within the capacity.
        unsafe { m.frames.set_len(c.depth) };
        *regs = Regs {
            code: c.code,
            pc,
            fp,
            inst: c.inst,
            mem: Mem0 {
                ptr: at.mem,
                len: c.len,
            },
        };
        outcome
    }
}

/// The index of the op at `ip` in the running code.
fn op_index(c: &Chain<'_, '_>, ip: Ip) -> usize {
    (ip as usize - c.ops as usize) / size_of::<Op>()
}

/// The op at `ip`.
#[inline(always)]
fn op<'o>(ip: Ip) -> &'o Op {
    // SAFETY: `ip` points at an op of the running code (whose ops `Pins`
    // keeps alive): `run` passes a valid index, a call starts at 0, a
    // return resumes just after a call op (never the last), and the
    // translator's `in_bounds` check guarantees that every branch target is
    // below the length and that the last op is `Return` (which leaves the
    // frame), so stepping past an op that falls through stays in range.
    unsafe { &*ip }
}

/// Where a handler finds that its op is not the kind it handles, which
/// `handler_of` rules out.
#[inline(always)]
fn wrong() -> ! {
    if cfg!(debug_assertions) {
        mismatch()
    }
    // SAFETY: `handler_of` gives each op the handler of its own kind, and
    // handlers are only reached through it.
    unsafe { std::hint::unreachable_unchecked() }
}

/// Stops on an op in another op's handler (checked with debug assertions).
/// Out of line: the panic's message arguments, built in a handler, would
/// keep it from passing control on by a tail call.
#[cold]
#[inline(never)]
fn mismatch() -> ! {
    panic!("an op reached another op's handler")
}

/// Stops on a push past the end of the value stack: the translator sizes
/// every frame, so this is a bug, reported as a panic rather than
/// undefined behaviour.
#[cold]
#[inline(never)]
fn overrun() -> ! {
    panic!("value stack access out of range")
}

/// Runs the op at `$ip` with the given registers: a tail call with
/// `weft_tail`, else a return to the driver loop.
macro_rules! next {
    ($c:expr, $ip:expr, $sp:expr, $fp:expr, $mem:expr) => {
        next_acc!($c, $ip, $sp, Acc::uninit(), $fp, $mem)
    };
}

/// Runs the op at `$ip` as `next!` does, handing it `$acc` (`Acc`).
macro_rules! next_acc {
    ($c:expr, $ip:expr, $sp:expr, $acc:expr, $fp:expr, $mem:expr) => {{
        let ip: Ip = $ip;
        next_as!($c, op(ip), ip, $sp, $acc, $fp, $mem)
    }};
}

/// Runs the op at `$ip` as `next_acc!` does, by the handler of `$op`: the
/// op at `$ip` or a copy of it (`Code::entry`).
macro_rules! next_as {
    ($c:expr, $op:expr, $ip:expr, $sp:expr, $acc:expr, $fp:expr, $mem:expr) => {{
        let ip: Ip = $ip;
        let acc: Acc = $acc;
        let op: &Op = $op;
        #[cfg(weft_tail)]
        {
            return handler_of(op)($c, ip, $sp, acc, $fp, $mem);
        }
        #[cfg(not(weft_tail))]
        {
            // The driver finds the handler from the op at `ip`, the same kind.
            let _ = op;
            $c.at = At {
                ip,
                sp: $sp,
                acc,
                fp: $fp,
                mem: $mem,
            };
            return Flow::Next;
        }
    }};
}

/// Stops the chain at the op at `$ip`, for `run` to execute.
macro_rules! exit {
    ($c:expr, $ip:expr, $sp:expr, $fp:expr, $mem:expr) => {{
        $c.at = At {
            ip: $ip,
            sp: $sp,
            acc: Acc::uninit(),
            fp: $fp,
            mem: $mem,
        };
        return Flow::Done;
    }};
}

/// The slot at `$p` (a stack address), as a place.
macro_rules! at {
    ($p:expr) => {
        // SAFETY: handlers only name slots of the current frame: locals at
        // offsets the translator's `in_bounds` check placed below the
        // frame's `max_height`, and stack slots between the frame and its
        // top, which the translator's height tracking keeps within
        // `max_height` (a push checks the end of the buffer anyway); the
        // call that entered the frame made the stack at least `fp +
        // max_height` slots long, and the buffer is the stack's since it
        // last changed (`Chain::resync`).
        *unsafe { &mut *$p }
    };
}

/// The accumulator's value in the second op of an accumulator pair.
macro_rules! acc {
    ($acc:ident) => {
        // SAFETY: the translator makes an op the second of a pair only
        // right after the first, and only when no branch, `br_table` entry
        // or catch leads to it (`compile::pair_accumulators`); `run` hands
        // both back to the handlers; so the second always runs right after
        // the first, which hands it an initialized value (in `Chain::at`
        // without `weft_tail`).
        unsafe { $acc.assume_init() }
    };
}

/// The local at offset `$off` of the frame at `$fp`, as a place.
macro_rules! local {
    ($fp:expr, $off:expr) => {
        at!($fp.wrapping_add($off as usize))
    };
}

/// The top slot, as a place.
macro_rules! top {
    ($sp:expr) => {
        at!($sp.wrapping_sub(1))
    };
}

/// Pops the top slot.
macro_rules! pop {
    ($sp:ident) => {{
        $sp = $sp.wrapping_sub(1);
        at!($sp)
    }};
}

/// Pushes a slot (checked against the end of the buffer).
macro_rules! push {
    ($c:expr, $sp:ident, $v:expr) => {{
        let v: u64 = $v;
        if $sp >= $c.end {
            overrun();
        }
        at!($sp) = v;
        $sp = $sp.wrapping_add(1);
    }};
}

/// The vector in the two slots at `$p`.
macro_rules! vector {
    ($p:expr) => {{
        let p: Sp = $p;
        // SAFETY: as for `at!`, for both slots.
        unsafe { read_vector(p) }
    }};
}

/// Writes the vector `$v` into the two slots at `$p`.
macro_rules! set_vector {
    ($p:expr, $v:expr) => {{
        let (p, v): (Sp, V128) = ($p, $v);
        // SAFETY: as for `at!`, for both slots.
        unsafe { write_vector(p, v) }
    }};
}

/// The op at index `$to` of the running code.
macro_rules! target {
    ($c:expr, $to:expr) => {
        // SAFETY: `in_bounds` checked every target of the running code to
        // be below its op count.
        unsafe { $c.ops.add($to as usize) }
    };
}

/// Jumps to op `$to`, charging fuel for a backward jump (a loop).
macro_rules! jump {
    ($c:expr, $ip:expr, $to:expr, $sp:expr, $fp:expr, $mem:expr) => {{
        let to = target!($c, $to);
        if $c.metered {
            // Rare: the comparison and the charge out of line (and cold, so
            // the common path falls through), reached by a tail call with
            // the jump's origin in the context.
            $c.from = $ip;
            return metered_jump($c, to, $sp, Acc::uninit(), $fp, $mem);
        }
        next!($c, to, $sp, $fp, $mem)
    }};
}

/// Goes on at the jump target `ip` with fuel metered: a backward jump (a
/// loop) from `Chain::from` costs one unit.
#[cold]
#[inline(never)]
fn metered_jump(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mem: *mut u8) -> Flow {
    if ip <= c.from && !c.fuel(c.from) {
        return Flow::Done;
    }
    next!(c, ip, sp, fp, mem)
}

/// The op after `$ip`.
macro_rules! after {
    ($ip:expr) => {
        $ip.wrapping_add(1)
    };
}

/// Stops the chain on trap `$t` if `$e` is `None`, else gives its value.
macro_rules! or_trap {
    ($c:expr, $ip:expr, $e:expr, $t:expr) => {
        match $e {
            Some(v) => v,
            None => return $c.trap_with($ip, || $t),
        }
    };
}

/// Memory 0's bytes, for one access.
macro_rules! bytes {
    ($c:expr, $mem:expr) => {
        // SAFETY: `mem` and the length come from `Mem0::of` (the memory's `Vec`
        // buffer and length, or a dangling pointer and 0), taken since the
        // last op that could resize, move or free that buffer (`run` takes
        // a new view after each; the handlers after a call, a return or a
        // switch of instance); `Vec::as_mut_ptr` creates no reference, and
        // the slice lives for one access while no other reference to the
        // buffer exists.
        unsafe { std::slice::from_raw_parts_mut($mem, $c.len) }
    };
}

/// Branches to `$t`, moving the kept values down.
#[inline(always)]
fn branch(c: &mut Chain<'_, '_>, ip: Ip, t: Target, sp: Sp, fp: Sp, mem: *mut u8) -> Flow {
    let keep = t.keep as usize;
    let base = fp.wrapping_add(t.base as usize);
    move_down(sp.wrapping_sub(keep), keep, base);
    next_or_jump(c, ip, t.to, base.wrapping_add(keep), fp, mem)
}

/// Jumps to op `to` (as `jump!`, as a function for `branch`).
#[inline(always)]
fn next_or_jump(c: &mut Chain<'_, '_>, ip: Ip, to: u32, sp: Sp, fp: Sp, mem: *mut u8) -> Flow {
    jump!(c, ip, to, sp, fp, mem)
}

/// Moves the `n` slots at `from` down to `to`.
#[inline(always)]
fn move_down(from: Sp, n: usize, to: Sp) {
    match n {
        0 => {}
        1 => at!(to) = at!(from),
        // SAFETY: both ranges are slots of the current frame (see `at!`),
        // `to` at or below `from`; `copy` allows overlap.
        _ => unsafe { std::ptr::copy(from, to, n) },
    }
}

/// Calls the WebAssembly function whose code is at `callee`, of instance
/// `ci`, with its arguments on top of the stack: they become the start of
/// its frame. `ip` is the call op.
///
/// The common case (no fuel, room for the frame and its slots, the same
/// instance) makes no call but the tail call to the callee's first op, so
/// that it needs no registers saved; everything else goes to `call_slow`,
/// by a tail call too.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn call(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    sp: Sp,
    fp: Sp,
    mem: *mut u8,
    callee: *const Code,
    ci: u32,
) -> Flow {
    // SAFETY: `callee` comes from `Arc::as_ptr` of an `Arc` the store holds
    // (a function's, or an instance's `calls` entry), alive since the last
    // host call (see `Pins`).
    let code: &Code = unsafe { &*callee };
    let new_fp = sp.wrapping_sub(code.param_slots as usize);
    let room = (c.end as usize - new_fp as usize) / size_of::<u64>();
    if c.metered || c.depth >= c.limit || room < code.max_height as usize || ci != c.inst {
        c.callee = (callee, ci);
        return call_slow(c, ip, sp, Acc::uninit(), fp, mem);
    }
    zero_locals(sp, new_fp.wrapping_add(code.local_slots as usize));
    push_frame(c, ip, fp, code);
    let sp = new_fp.wrapping_add(code.local_slots as usize);
    next_as!(c, &code.entry, c.ops, sp, Acc::uninit(), new_fp, mem)
}

/// Zeroes the slots from `from` up to `to`: a callee's declared locals.
#[inline(always)]
fn zero_locals(from: Sp, to: Sp) {
    let mut p = from;
    while p < to {
        // SAFETY: the slots are the callee's frame, which the caller made
        // sure fits in the buffer. A volatile write, so that the compiler
        // does not make the loop a call to `memset` (few functions declare
        // more than a few locals, and a call would cost the handler its
        // tail call).
        unsafe { p.write_volatile(0) };
        p = p.wrapping_add(1);
    }
}

/// Saves the caller (at op `ip`, frame `fp`) on the frame stack, whose
/// depth is below the limit, and makes `code` the running code.
#[inline(always)]
fn push_frame(c: &mut Chain<'_, '_>, ip: Ip, fp: Sp, code: &Code) {
    let caller = Frame {
        code: CodePtr(c.code),
        pc: op_index(c, ip) as u32 + 1,
        fp: c.index(fp) as u32,
        inst: c.inst,
    };
    // SAFETY: `depth < limit`, at most the capacity of the buffer at
    // `saved` (both taken since its last change).
    unsafe { c.saved.add(c.depth).write(caller) };
    c.depth += 1;
    c.code = code;
    c.ops = code.ops.as_ptr();
}

/// A call in full (to `Chain::callee`): fuel, the depth limit, growing the
/// frame or value stack, switching instance.
#[inline(never)]
fn call_slow(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mut mem: *mut u8) -> Flow {
    let (callee, ci) = c.callee;
    if c.metered && !c.fuel(ip) {
        return Flow::Done;
    }
    if c.depth >= c.limit {
        if c.depth >= c.max_depth {
            return c.trap_with(ip, || Trap::CallStackExhausted);
        }
        grow_frames(&mut c.m.frames, c.depth);
        c.saved = c.m.frames.as_mut_ptr();
        c.limit = c.m.frames.capacity().min(c.max_depth);
    }
    // SAFETY: as in `call`.
    let code: &Code = unsafe { &*callee };
    let fpi = c.index(fp);
    let mut new_fp = sp.wrapping_sub(code.param_slots as usize);
    let room = (c.end as usize - new_fp as usize) / size_of::<u64>();
    let mut fp = fp;
    if room >= code.max_height as usize {
        zero_locals(sp, new_fp.wrapping_add(code.local_slots as usize));
    } else {
        new_fp = c.grow_stack(ip, code, new_fp, sp);
        if new_fp.is_null() {
            return Flow::Done;
        }
        fp = c.slots.wrapping_add(fpi);
    }
    push_frame(c, ip, fp, code);
    if ci != c.inst {
        mem = c.switch(ci).ptr;
    }
    let sp = new_fp.wrapping_add(code.local_slots as usize);
    next!(c, c.ops, sp, new_fp, mem)
}

/// A return in full: from the entry frame to the host, of several
/// results, dropping pins, switching instance.
#[inline(never)]
fn ret_slow(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mut mem: *mut u8) -> Flow {
    if c.depth == 0 {
        // The entry frame returns to the host.
        exit!(c, ip, sp, fp, mem);
    }
    // SAFETY: `c.code` is the running code (alive, see `Pins`).
    let n = unsafe { (*c.code).result_slots } as usize;
    move_down(sp.wrapping_sub(n), n, fp);
    c.depth -= 1;
    // SAFETY: the frame below `depth` was written by `run` or a call.
    let f = unsafe { c.saved.add(c.depth).read() };
    // The caller is the running code again.
    if c.pinned > c.depth + 1 {
        c.m.pins.cut(c.depth + 1);
        c.pinned = c.depth + 1;
    }
    if f.inst != c.inst {
        mem = c.switch(f.inst).ptr;
    }
    resume(c, f, fp.wrapping_add(n), mem)
}

/// Resumes the caller saved in `f`, with the top of the stack at `sp` (the
/// results are at the callee's frame pointer).
#[inline(always)]
fn resume(c: &mut Chain<'_, '_>, f: Frame, sp: Sp, mem: *mut u8) -> Flow {
    c.code = f.code.0;
    // SAFETY: a frame's code is alive (see `Pins`).
    c.ops = unsafe { (*f.code.0).ops.as_ptr() };
    // SAFETY: a frame's pc is just after its call op, never the last.
    let ip = unsafe { c.ops.add(f.pc as usize) };
    next!(c, ip, sp, c.slots.wrapping_add(f.fp as usize), mem)
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

/// Defines handlers: `name(c, ip, sp, fp, mem) Pattern => body`, where
/// the body sees the op's fields bound by `Pattern` and ends in `next!`,
/// `jump!`, `exit!` or a return.
macro_rules! handlers {
    ($($name:ident($c:ident, $ip:ident, $sp:ident, $fp:ident, $mem:ident) $pat:pat => $body:block)*) => {
        $(
            #[allow(unused_mut, unused_variables, non_snake_case)]
            fn $name($c: &mut Chain<'_, '_>, $ip: Ip, mut $sp: Sp, _: Acc, $fp: Sp, $mem: *mut u8) -> Flow {
                let $pat = op($ip) else { wrong() };
                $body
            }
        )*
    };
}

/// The handler of every op that `run` executes: stops the chain there.
fn leave(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mem: *mut u8) -> Flow {
    exit!(c, ip, sp, fp, mem)
}

/// `ReturnAcc`: `ret` with the one result in the accumulator, which goes
/// straight into the callee's first slot, where the caller finds it.
fn ret_acc(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, acc: Acc, fp: Sp, mem: *mut u8) -> Flow {
    let v = acc!(acc);
    if let Some(f) = plain_caller(c) {
        at!(fp) = v;
        c.depth -= 1;
        return resume(c, f, fp.wrapping_add(1), mem);
    }
    // The rest is `ret_slow`'s, with the result on the stack as `Return`
    // has it (its slot is the one the first op of the pair did not push).
    at!(sp) = v;
    ret_slow(c, ip, sp.wrapping_add(1), Acc::uninit(), fp, mem)
}

/// `ReturnLocal`: `ret` with the one result in a local, which goes straight
/// into the callee's first slot; any return but to a plain caller is
/// `run`'s.
fn ret_local(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mem: *mut u8) -> Flow {
    let Op::ReturnLocal { off } = *op(ip) else {
        wrong()
    };
    if let Some(f) = plain_caller(c) {
        at!(fp) = local!(fp, off);
        c.depth -= 1;
        return resume(c, f, fp.wrapping_add(1), mem);
    }
    exit!(c, ip, sp, fp, mem)
}

/// The caller a return resumes, when the return needs no more than that:
/// a WebAssembly caller (not the host) of the same instance, with no pins
/// to drop.
#[inline(always)]
fn plain_caller(c: &Chain<'_, '_>) -> Option<Frame> {
    if c.depth == 0 || c.pinned > c.depth {
        return None;
    }
    // SAFETY: the frame below `depth` was written by `run` or a call.
    let f = unsafe { c.saved.add(c.depth - 1).read() };
    (f.inst == c.inst).then_some(f)
}

handlers! {
    call_direct(c, ip, sp, fp, mem) Op::Call { func } => {
        // SAFETY: `data` is the running instance's (see there).
        let calls = unsafe { &(*c.data).calls };
        match calls.get(*func as usize) {
            Some(Some((callee, ci))) => {
                let (callee, ci) = (Arc::as_ptr(callee), *ci);
                call(c, ip, sp, fp, mem, callee, ci)
            }
            _ => exit!(c, ip, sp, fp, mem),
        }
    }
    call_indirect(c, ip, sp, fp, mem) Op::CallIndirect { ty, table } => {
        // The common case here: an element that is a WebAssembly function
        // of exactly the expected type. Anything else
        // (errors, subtypes, host functions) is `call_indirect_slow`'s, by
        // a tail call, so that this path saves no registers.
        match indirect_hit(c, *ty, *table, top!(sp)) {
            // The index is popped.
            Some((callee, ci)) => call(c, ip, sp.wrapping_sub(1), fp, mem, callee, ci),
            None => call_indirect_slow(c, ip, sp, Acc::uninit(), fp, mem),
        }
    }
    ret(c, ip, sp, fp, mem) Op::Return => {
        // The common case (at most one result slot, see `plain_caller`)
        // makes no call but the tail call to the caller's next op, as in
        // `call`; the rest is `ret_slow`'s.
        // SAFETY: `c.code` is the running code (alive, see `Pins`).
        let n = unsafe { (*c.code).result_slots };
        if n <= 1
            && let Some(f) = plain_caller(c)
        {
            if n == 1 {
                at!(fp) = top!(sp);
            }
            c.depth -= 1;
            return resume(c, f, fp.wrapping_add(n as usize), mem);
        }
        ret_slow(c, ip, sp, Acc::uninit(), fp, mem)
    }
    jump_to(c, ip, sp, fp, mem) Op::Jump { to } => {
        jump!(c, ip, *to, sp, fp, mem)
    }
    br(c, ip, sp, fp, mem) Op::Br(t) => {
        branch(c, ip, *t, sp, fp, mem)
    }
    jump_if(c, ip, sp, fp, mem) Op::JumpIf { to } => {
        if pop!(sp) as u32 != 0 {
            jump!(c, ip, *to, sp, fp, mem);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    jump_if_not(c, ip, sp, fp, mem) Op::JumpIfNot { to } => {
        // A forward jump (the end of an `if`): no fuel.
        let next = if pop!(sp) as u32 == 0 { target!(c, *to) } else { after!(ip) };
        next!(c, next, sp, fp, mem)
    }
    br_if(c, ip, sp, fp, mem) Op::BrIf(t) => {
        if pop!(sp) as u32 != 0 {
            return branch(c, ip, *t, sp, fp, mem);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    br_table(c, ip, sp, fp, mem) Op::BrTable { start, len: n } => {
        let i = (pop!(sp) as u32).min(n - 1);
        // SAFETY: `c.code` is the running code.
        let t = unsafe { (&(*c.code).targets)[(start + i) as usize] };
        branch(c, ip, t, sp, fp, mem)
    }
    drop_slots(c, ip, sp, fp, mem) Op::Drop { slots } => {
        next!(c, after!(ip), sp.wrapping_sub(*slots as usize), fp, mem)
    }
    select(c, ip, sp, fp, mem) Op::Select { slots } => {
        let cond = pop!(sp) as u32;
        let n = *slots as usize;
        if cond == 0 {
            move_down(sp.wrapping_sub(n), n, sp.wrapping_sub(2 * n));
        }
        next!(c, after!(ip), sp.wrapping_sub(n), fp, mem)
    }
    local_get(c, ip, sp, fp, mem) Op::LocalGet { off } => {
        push!(c, sp, local!(fp, *off));
        next!(c, after!(ip), sp, fp, mem)
    }
    local_set(c, ip, sp, fp, mem) Op::LocalSet { off } => {
        local!(fp, *off) = pop!(sp);
        next!(c, after!(ip), sp, fp, mem)
    }
    local_tee(c, ip, sp, fp, mem) Op::LocalTee { off } => {
        local!(fp, *off) = top!(sp);
        next!(c, after!(ip), sp, fp, mem)
    }
    local_get2(c, ip, sp, fp, mem) Op::LocalGet2 { off } => {
        if sp.wrapping_add(1) >= c.end {
            overrun();
        }
        set_vector!(sp, vector!(fp.wrapping_add(*off as usize)));
        next!(c, after!(ip), sp.wrapping_add(2), fp, mem)
    }
    local_set2(c, ip, sp, fp, mem) Op::LocalSet2 { off } => {
        sp = sp.wrapping_sub(2);
        set_vector!(fp.wrapping_add(*off as usize), vector!(sp));
        next!(c, after!(ip), sp, fp, mem)
    }
    local_tee2(c, ip, sp, fp, mem) Op::LocalTee2 { off } => {
        set_vector!(fp.wrapping_add(*off as usize), vector!(sp.wrapping_sub(2)));
        next!(c, after!(ip), sp, fp, mem)
    }
    constant(c, ip, sp, fp, mem) Op::Const { bits } => {
        push!(c, sp, *bits);
        next!(c, after!(ip), sp, fp, mem)
    }
    i32_eqz(c, ip, sp, fp, mem) Op::I32Eqz => {
        top!(sp) = (top!(sp) as u32 == 0) as u64;
        next!(c, after!(ip), sp, fp, mem)
    }
    un(c, ip, sp, fp, mem) Op::Un { f } => {
        top!(sp) = f.call(top!(sp));
        next!(c, after!(ip), sp, fp, mem)
    }
    un_l(c, ip, sp, fp, mem) Op::UnL { f, a } => {
        push!(c, sp, f.call(local!(fp, *a)));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin(c, ip, sp, fp, mem) Op::Bin { f } => {
        let b = pop!(sp);
        top!(sp) = f.call(top!(sp), b);
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_l(c, ip, sp, fp, mem) Op::BinL { f, b } => {
        top!(sp) = f.call(top!(sp), local!(fp, *b));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_c(c, ip, sp, fp, mem) Op::BinC { f, c: k } => {
        top!(sp) = f.call(top!(sp), *k);
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_lr(c, ip, sp, fp, mem) Op::BinLR { f, a } => {
        top!(sp) = f.call(local!(fp, *a), top!(sp));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_ll(c, ip, sp, fp, mem) Op::BinLL { f, a, b } => {
        push!(c, sp, f.call(local!(fp, *a), local!(fp, *b)));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_lc(c, ip, sp, fp, mem) Op::BinLC { f, a, c: k } => {
        push!(c, sp, f.call(local!(fp, *a), *k));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_set(c, ip, sp, fp, mem) Op::BinSet { f, d } => {
        let b = pop!(sp);
        let a = pop!(sp);
        local!(fp, *d) = f.call(a, b);
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_lc_set(c, ip, sp, fp, mem) Op::BinLCSet { f, a, c: k, d } => {
        local!(fp, *d) = f.call(local!(fp, *a), *k as i64 as u64);
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_ll_set(c, ip, sp, fp, mem) Op::BinLLSet { f, a, b, d } => {
        local!(fp, *d) = f.call(local!(fp, *a), local!(fp, *b));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_lr_set(c, ip, sp, fp, mem) Op::BinLRSet { f, a, d } => {
        let b = pop!(sp);
        local!(fp, *d) = f.call(local!(fp, *a), b);
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_l_set(c, ip, sp, fp, mem) Op::BinLSet { f, b, d } => {
        let a = pop!(sp);
        local!(fp, *d) = f.call(a, local!(fp, *b));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_c_set(c, ip, sp, fp, mem) Op::BinCSet { f, c: k, d } => {
        let a = pop!(sp);
        local!(fp, *d) = f.call(a, *k as i64 as u64);
        next!(c, after!(ip), sp, fp, mem)
    }
    copy(c, ip, sp, fp, mem) Op::Copy { a, d } => {
        local!(fp, *d) = local!(fp, *a);
        next!(c, after!(ip), sp, fp, mem)
    }
    const_set(c, ip, sp, fp, mem) Op::ConstSet { bits, d } => {
        local!(fp, *d) = *bits;
        next!(c, after!(ip), sp, fp, mem)
    }
    jump_if_l(c, ip, sp, fp, mem) Op::JumpIfL { off, to, if_zero } => {
        if (local!(fp, *off) as u32 == 0) == *if_zero {
            jump!(c, ip, *to, sp, fp, mem);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    jump_if_lc(c, ip, sp, fp, mem) Op::JumpIfLC { f, a, c: k, to, if_zero } => {
        if (f.call(local!(fp, *a), *k as i64 as u64) as u32 == 0) == *if_zero {
            jump!(c, ip, *to, sp, fp, mem);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    jump_if_ll(c, ip, sp, fp, mem) Op::JumpIfLL { f, a, b, to, if_zero } => {
        if (f.call(local!(fp, *a), local!(fp, *b)) as u32 == 0) == *if_zero {
            jump!(c, ip, *to, sp, fp, mem);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    load(c, ip, sp, fp, mem) Op::Load { f, shift, offset } => {
        let ea = (top!(sp) as u32).wrapping_shl(*shift as u32) as u64 + *offset as u64;
        top!(sp) = or_trap!(c, ip, f.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        next!(c, after!(ip), sp, fp, mem)
    }
    load_b(c, ip, sp, fp, mem) Op::LoadB { f, shift, a, offset } => {
        let ea = based_address(local!(fp, *a), top!(sp), *shift, *offset);
        top!(sp) = or_trap!(c, ip, f.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        next!(c, after!(ip), sp, fp, mem)
    }
    load_l(c, ip, sp, fp, mem) Op::LoadL { f, shift, a, offset } => {
        let ea = address(local!(fp, *a), *shift, *offset);
        let v = or_trap!(c, ip, f.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        push!(c, sp, v);
        next!(c, after!(ip), sp, fp, mem)
    }
    store(c, ip, sp, fp, mem) Op::Store { f, offset } => {
        let v = pop!(sp);
        let ea = pop!(sp) as u32 as u64 + *offset as u64;
        if !f.call(bytes!(c, mem), ea, v) {
            return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    store_l(c, ip, sp, fp, mem) Op::StoreL { f, shift, a, offset } => {
        let v = pop!(sp);
        let ea = address(local!(fp, *a), *shift, *offset);
        if !f.call(bytes!(c, mem), ea, v) {
            return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    store_ll(c, ip, sp, fp, mem) Op::StoreLL { f, shift, a, offset, v } => {
        let ea = address(local!(fp, *a), *shift, *offset);
        if !f.call(bytes!(c, mem), ea, local!(fp, *v)) {
            return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    store_lc(c, ip, sp, fp, mem) Op::StoreLC { f, shift, a, offset, c: k } => {
        let ea = address(local!(fp, *a), *shift, *offset);
        if !f.call(bytes!(c, mem), ea, *k as i64 as u64) {
            return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    load_set(c, ip, sp, fp, mem) Op::LoadSet { f, shift, offset, d } => {
        let ea = (pop!(sp) as u32).wrapping_shl(*shift as u32) as u64 + *offset as u64;
        local!(fp, *d) = or_trap!(c, ip, f.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        next!(c, after!(ip), sp, fp, mem)
    }
    load_l_set(c, ip, sp, fp, mem) Op::LoadLSet { f, shift, a, offset, d } => {
        let ea = address(local!(fp, *a), *shift, *offset);
        local!(fp, *d) = or_trap!(c, ip, f.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        next!(c, after!(ip), sp, fp, mem)
    }
    v128_load(c, ip, sp, fp, mem) Op::V128Load { offset } => {
        if sp >= c.end {
            overrun();
        }
        let ea = top!(sp) as u32 as u64 + *offset as u64;
        let v = or_trap!(c, ip, load16(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        set_vector!(sp.wrapping_sub(1), v);
        next!(c, after!(ip), sp.wrapping_add(1), fp, mem)
    }
    v128_load_l(c, ip, sp, fp, mem) Op::V128LoadL { shift, a, offset } => {
        if sp.wrapping_add(1) >= c.end {
            overrun();
        }
        let ea = address(local!(fp, *a), *shift, *offset);
        let v = or_trap!(c, ip, load16(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        set_vector!(sp, v);
        next!(c, after!(ip), sp.wrapping_add(2), fp, mem)
    }
    v128_load_ll(c, ip, sp, fp, mem) Op::V128LoadLL { a, b, offset } => {
        if sp.wrapping_add(1) >= c.end {
            overrun();
        }
        let ea = (local!(fp, *a) as u32).wrapping_add(local!(fp, *b) as u32) as u64 + *offset as u64;
        let v = or_trap!(c, ip, load16(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        set_vector!(sp, v);
        next!(c, after!(ip), sp.wrapping_add(2), fp, mem)
    }
    v128_store(c, ip, sp, fp, mem) Op::V128Store { offset } => {
        sp = sp.wrapping_sub(2);
        let v = vector!(sp);
        let ea = pop!(sp) as u32 as u64 + *offset as u64;
        let b = or_trap!(
            c,
            ip,
            range16(ea).and_then(|r| bytes!(c, mem).get_mut(r)),
            Trap::OutOfBoundsMemoryAccess
        );
        b.copy_from_slice(&v);
        next!(c, after!(ip), sp, fp, mem)
    }
    simd_bin(c, ip, sp, fp, mem) Op::SimdBin { f } => {
        sp = sp.wrapping_sub(2);
        let b = vector!(sp);
        let at = sp.wrapping_sub(2);
        set_vector!(at, f.call_bytes(vector!(at), b));
        next!(c, after!(ip), sp, fp, mem)
    }
    simd_bin_lr(c, ip, sp, fp, mem) Op::SimdBinLR { f, a } => {
        let at = sp.wrapping_sub(2);
        set_vector!(at, f.call_bytes(vector!(fp.wrapping_add(*a as usize)), vector!(at)));
        next!(c, after!(ip), sp, fp, mem)
    }
    simd_bin_lr_set(c, ip, sp, fp, mem) Op::SimdBinLRSet { f, a, d } => {
        sp = sp.wrapping_sub(2);
        let v = f.call_bytes(vector!(fp.wrapping_add(*a as usize)), vector!(sp));
        set_vector!(fp.wrapping_add(*d as usize), v);
        next!(c, after!(ip), sp, fp, mem)
    }
    i32x4_mul_add_lr_set(c, ip, sp, fp, mem) Op::I32x4MulAddLRSet { a, d } => {
        let sp = vector_mul_add(sp, fp, *a, *d, SimdBinFn::I32x4Mul, SimdBinFn::I32x4Add);
        next!(c, after!(ip), sp, fp, mem)
    }
    f32x4_mul_add_lr_set(c, ip, sp, fp, mem) Op::F32x4MulAddLRSet { a, d } => {
        let sp = vector_mul_add(sp, fp, *a, *d, SimdBinFn::F32x4Mul, SimdBinFn::F32x4Add);
        next!(c, after!(ip), sp, fp, mem)
    }
    f64x2_mul_add_lr_set(c, ip, sp, fp, mem) Op::F64x2MulAddLRSet { a, d } => {
        let sp = vector_mul_add(sp, fp, *a, *d, SimdBinFn::F64x2Mul, SimdBinFn::F64x2Add);
        next!(c, after!(ip), sp, fp, mem)
    }
    i32_mul_add_lll(c, ip, sp, fp, mem) Op::I32MulAddLLL { a, b, c: k } => {
        let m = BinFn::I32Mul.call(local!(fp, *a), local!(fp, *b));
        push!(c, sp, BinFn::I32Add.call(m, local!(fp, *k)));
        next!(c, after!(ip), sp, fp, mem)
    }
    store_l_bin(c, ip, sp, fp, mem) Op::StoreLBin { store, f, a, v, c: k, offset } => {
        let v = f.call(local!(fp, *v), *k as i64 as u64);
        let ea = address(local!(fp, *a), 0, *offset);
        if !store.call(bytes!(c, mem), ea, v) {
            return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
        }
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_l_load(c, ip, sp, fp, mem) Op::BinLLoad { f, load, a, b, shift, offset } => {
        let ea = address(local!(fp, *b), *shift, *offset);
        let v = or_trap!(c, ip, load.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        push!(c, sp, f.call(local!(fp, *a), v));
        next!(c, after!(ip), sp, fp, mem)
    }
    bin_l_load_set(c, ip, sp, fp, mem) Op::BinLLoadSet { f, load, a, b, d, shift, offset } => {
        let ea = address(local!(fp, *b), *shift, *offset);
        let v = or_trap!(c, ip, load.call(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        local!(fp, *d) = f.call(local!(fp, *a), v);
        next!(c, after!(ip), sp, fp, mem)
    }
    i32_mul_add_lcc_set(c, ip, sp, fp, mem) Op::I32MulAddLCCSet { a, d, c1, c2 } => {
        let m = BinFn::I32Mul.call(local!(fp, *a), *c1 as u32 as u64);
        local!(fp, *d) = BinFn::I32Add.call(m, *c2 as u32 as u64);
        next!(c, after!(ip), sp, fp, mem)
    }
    f64_mul_add_lr_set(c, ip, sp, fp, mem) Op::F64MulAddLRSet { a, d } => {
        let y = pop!(sp);
        let x = pop!(sp);
        let m = BinFn::F64Mul.call(x, y);
        local!(fp, *d) = BinFn::F64Add.call(local!(fp, *a), m);
        next!(c, after!(ip), sp, fp, mem)
    }
    i32_add_jump_lt_u(c, ip, sp, fp, mem) Op::I32AddJumpLtU(s) => {
        add_jump(c, ip, *s, BinFn::I32LtU, sp, fp, mem)
    }
    i32_add_jump_lt_s(c, ip, sp, fp, mem) Op::I32AddJumpLtS(s) => {
        add_jump(c, ip, *s, BinFn::I32LtS, sp, fp, mem)
    }
    i32_add_l_jump_lt_u(c, ip, sp, fp, mem) Op::I32AddLJumpLtU(s) => {
        add_l_jump(c, ip, s, BinFn::I32LtU, sp, fp, mem)
    }
    i32_add_l_jump_lt_s(c, ip, sp, fp, mem) Op::I32AddLJumpLtS(s) => {
        add_l_jump(c, ip, s, BinFn::I32LtS, sp, fp, mem)
    }
    num(c, ip, sp, fp, mem) Op::Num(i) => {
        instr(c, ip, crate::ops::num::numeric, i, sp, fp, mem)
    }
    simd(c, ip, sp, fp, mem) Op::Simd(i) => {
        instr(c, ip, crate::ops::simd::simd, i, sp, fp, mem)
    }
}

/// The code and instance that a `call_indirect` of type `ty` through
/// `table` at index `i` calls, in the common case: an element that is a
/// WebAssembly function of exactly that type.
#[inline(always)]
fn indirect_hit(c: &Chain<'_, '_>, ty: u32, table: u32, i: u64) -> Option<(*const Code, u32)> {
    // SAFETY: `data` is the running instance's (see there).
    let data = unsafe { &*c.data };
    let store = &*c.m.store;
    let expected = *data.types.get(ty as usize)?;
    // An i32 slot holds its value zero-extended, so that the index of
    // either table type is the slot as it is.
    let i = usize::try_from(i).ok()?;
    let elem = if table == 0 {
        if i >= c.table0_len {
            return None;
        }
        // SAFETY: `table0` holds `table0_len` elements (see `Chain::table0`).
        unsafe { *c.table0.add(i) }
    } else {
        let tab = store
            .tables
            .get(*data.tables.get(table as usize)? as usize)?;
        *tab.elems.get(i)?
    };
    let addr = decode_ref(elem)?;
    match store.funcs.get(addr as usize)? {
        FuncInst::Wasm {
            ty: actual,
            code,
            instance,
        } if *actual == expected => Some((Arc::as_ptr(code), *instance)),
        _ => None,
    }
}

/// A `call_indirect` in full: the checks and their traps, subtypes, host
/// functions (left to `run`).
#[inline(never)]
fn call_indirect_slow(c: &mut Chain<'_, '_>, ip: Ip, sp: Sp, _: Acc, fp: Sp, mem: *mut u8) -> Flow {
    let Op::CallIndirect { ty, table } = op(ip) else {
        wrong()
    };
    let Some(addr) = c.indirect(ip, sp, *ty, *table) else {
        return Flow::Done;
    };
    match c.m.store.funcs.get(addr as usize) {
        Some(FuncInst::Wasm {
            code: callee,
            instance,
            ..
        }) => {
            let (callee, ci) = (Arc::as_ptr(callee), *instance);
            // `indirect` popped the index.
            call(c, ip, sp.wrapping_sub(1), fp, mem, callee, ci)
        }
        // `run` makes host calls: it pops the index again, which is still
        // in its slot.
        _ => exit!(c, ip, sp, fp, mem),
    }
}

/// A counted loop's step and test (`I32AddJumpLtU/S`): `x += c`, then a
/// jump to `to` while `x lt b` (`lt` the signed or unsigned comparison).
#[inline(always)]
fn add_jump(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    s: shape::Step,
    lt: BinFn,
    sp: Sp,
    fp: Sp,
    mem: *mut u8,
) -> Flow {
    let v = BinFn::I32Add.call(local!(fp, s.x), s.c as i64 as u64);
    local!(fp, s.x) = v;
    if lt.call(v, local!(fp, s.b)) != 0 {
        jump!(c, ip, s.to, sp, fp, mem);
    }
    // The next op is the one this fused with: skipped.
    // SAFETY: `in_bounds` checked that the op after it exists.
    next!(c, unsafe { ip.add(2) }, sp, fp, mem)
}

/// A dot product's step (`...MulAddLRSet`): pops vectors `x` and `y`; the
/// two-slot local at `d` becomes the one at `a` plus `x * y` (`mul` and
/// `add` of the op's lanes). Returns the new top of the stack.
#[inline(always)]
fn vector_mul_add(sp: Sp, fp: Sp, a: u32, d: u32, mul: SimdBinFn, add: SimdBinFn) -> Sp {
    let sp = sp.wrapping_sub(4);
    let m = mul.call_bytes(vector!(sp), vector!(sp.wrapping_add(2)));
    let v = add.call_bytes(vector!(fp.wrapping_add(a as usize)), m);
    set_vector!(fp.wrapping_add(d as usize), v);
    sp
}

/// A loop index's step by a local and its test (`I32AddLJumpLtU/S`):
/// `x += y`, then a jump to `to` while `x lt b`.
#[inline(always)]
fn add_l_jump(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    s: &shape::StepL,
    lt: BinFn,
    sp: Sp,
    fp: Sp,
    mem: *mut u8,
) -> Flow {
    let v = BinFn::I32Add.call(local!(fp, s.x), local!(fp, s.y));
    local!(fp, s.x) = v;
    if lt.call(v, local!(fp, s.b)) != 0 {
        // Read only here: loaded before the test, the target would hold a
        // register that the sum then takes from a callee-saved one,
        // pushed and popped on every iteration.
        // SAFETY: `s` is the running op's field, a valid reference.
        let to = unsafe { std::ptr::read_volatile(&s.to) };
        jump!(c, ip, to, sp, fp, mem);
    }
    // The next op is the one this fused with: skipped.
    // SAFETY: `in_bounds` checked that the op after it exists.
    next!(c, unsafe { ip.add(2) }, sp, fp, mem)
}

/// An instruction kept as the AST's (`Op::Num`, `Op::Simd`), run by `f` on
/// the machine's stack.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn instr(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    f: fn(&mut Stack, &Instr) -> Result<bool, Trap>,
    i: &Instr,
    sp: Sp,
    fp: Sp,
    mem: *mut u8,
) -> Flow {
    let fpi = c.index(fp);
    if !c.on_stack(ip, sp, f, i) {
        return Flow::Done;
    }
    let (sp, fp) = c.resync(fpi);
    next!(c, after!(ip), sp, fp, mem)
}

/// The effective address of a memory op whose address is `base` shifted
/// left by `shift`, plus `offset`.
#[inline(always)]
fn address(base: u64, shift: u8, offset: u32) -> u64 {
    (base as u32).wrapping_shl(shift as u32) as u64 + offset as u64
}

/// The effective address of a `LoadB`: `base` plus `index` shifted left by
/// `shift` (wrapping, as `i32.add`), plus `offset`.
#[inline(always)]
fn based_address(base: u64, index: u64, shift: u8, offset: u32) -> u64 {
    let index = (index as u32).wrapping_shl(shift as u32);
    (base as u32).wrapping_add(index) as u64 + offset as u64
}

/// Defines the handler of each specialized op, by its shape (see
/// `op::shape`).
macro_rules! specialized_handlers {
    ($($name:ident $shape:ident $f:ident,)*) => {
        $(
            #[allow(non_snake_case, unused_mut, unused_variables, unreachable_code)]
            fn $name(c: &mut Chain<'_, '_>, ip: Ip, mut sp: Sp, acc: Acc, fp: Sp, mem: *mut u8) -> Flow {
                let Op::$name(s) = op(ip) else { wrong() };
                let s = *s;
                shape_body!($shape, $f, s, c, ip, sp, acc, fp, mem);
                next!(c, after!(ip), sp, fp, mem)
            }
        )*
    };
}

/// The shift of a specialized memory op `$s` of width `$f`: a byte access
/// has none (the translator specializes it only unshifted, see
/// `compile::specialize`), so that its address costs no shift.
macro_rules! shift {
    (U8, $s:ident) => {
        0u8
    };
    ($f:ident, $s:ident) => {
        $s.shift
    };
}

/// The result of an `LLoad` or `LLoadSet` op `$s` (operator `$f`, load
/// width `$w`): `$f` of its local and the loaded value; or a trap.
macro_rules! l_load {
    ($w:ident, $f:ident, $s:ident, $c:ident, $ip:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.b), $s.shift, $s.offset);
        let v = or_trap!(
            $c,
            $ip,
            LoadFn::$w.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
        BinFn::$f.call(local!($fp, $s.a), v)
    }};
}

/// A `StoreLBin` op `$s` (operator `$f`, store width `$w`): stores `$f` of
/// its local and constant, or traps.
macro_rules! store_l_bin {
    ($w:ident, $f:ident, $s:ident, $c:ident, $ip:ident, $fp:ident, $mem:ident) => {{
        let v = BinFn::$f.call(local!($fp, $s.v), $s.c as i64 as u64);
        let ea = address(local!($fp, $s.a), 0, $s.offset);
        if !StoreFn::$w.call(bytes!($c, $mem), ea, v) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
}

/// The body of a specialized op of shape `$shape` and operator `$f`, with
/// its fields in `$s`; it falls through to the next op unless it jumps.
macro_rules! shape_body {
    (S, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let shape::S = $s;
        let b = pop!($sp);
        top!($sp) = BinFn::$f.call(top!($sp), b);
    }};
    (L, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        top!($sp) = BinFn::$f.call(top!($sp), local!($fp, $s.b))
    };
    (C, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        top!($sp) = BinFn::$f.call(top!($sp), $s.c as i64 as u64)
    };
    (LR, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        top!($sp) = BinFn::$f.call(local!($fp, $s.a), top!($sp))
    };
    (LL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        push!(
            $c,
            $sp,
            BinFn::$f.call(local!($fp, $s.a), local!($fp, $s.b))
        )
    };
    (LC, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        push!(
            $c,
            $sp,
            BinFn::$f.call(local!($fp, $s.a), $s.c as i64 as u64)
        )
    };
    (Set, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let b = pop!($sp);
        let a = pop!($sp);
        local!($fp, $s.d) = BinFn::$f.call(a, b);
    }};
    (LSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let a = pop!($sp);
        local!($fp, $s.d) = BinFn::$f.call(a, local!($fp, $s.b));
    }};
    (CSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let a = pop!($sp);
        local!($fp, $s.d) = BinFn::$f.call(a, $s.c as i64 as u64);
    }};
    (LRSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let b = pop!($sp);
        local!($fp, $s.d) = BinFn::$f.call(local!($fp, $s.a), b);
    }};
    (LLSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = BinFn::$f.call(local!($fp, $s.a), local!($fp, $s.b))
    };
    (LCSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = BinFn::$f.call(local!($fp, $s.a), $s.c as i64 as u64)
    };
    (LRAcc, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let b = pop!($sp);
        let v = BinFn::$f.call(local!($fp, $s.a), b);
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LLAcc, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = BinFn::$f.call(local!($fp, $s.a), local!($fp, $s.b));
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LCAcc, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = BinFn::$f.call(local!($fp, $s.a), $s.c as i64 as u64);
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (AccCSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = BinFn::$f.call(acc!($acc), $s.c as i64 as u64)
    };
    (AccLSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = BinFn::$f.call(acc!($acc), local!($fp, $s.b))
    };
    (AccLRSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = BinFn::$f.call(local!($fp, $s.a), acc!($acc))
    };
    (JumpLL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        if BinFn::$f.call(local!($fp, $s.a), local!($fp, $s.b)) as u32 != 0 {
            jump!($c, $ip, $s.to, $sp, $fp, $mem);
        }
    };
    (AccJumpLL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        if BinFn::$f.call(acc!($acc), local!($fp, $s.b)) as u32 != 0 {
            jump!($c, $ip, $s.to, $sp, $fp, $mem);
        }
    };
    (JumpLC, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        if BinFn::$f.call(local!($fp, $s.a), $s.c as i64 as u64) as u32 != 0 {
            jump!($c, $ip, $s.to, $sp, $fp, $mem);
        }
    };
    (Load, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(top!($sp), shift!($f, $s), $s.offset);
        top!($sp) = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
    }};
    (LoadB, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = based_address(local!($fp, $s.a), top!($sp), shift!($f, $s), $s.offset);
        top!($sp) = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
    }};
    (LoadL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        let v = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
        push!($c, $sp, v);
    }};
    (LoadSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(pop!($sp), shift!($f, $s), $s.offset);
        local!($fp, $s.d) = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
    }};
    (LoadLSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        local!($fp, $s.d) = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
    }};
    (LoadLSetAcc, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        let v = or_trap!(
            $c,
            $ip,
            LoadFn::$f.call(bytes!($c, $mem), ea),
            Trap::OutOfBoundsMemoryAccess
        );
        local!($fp, $s.d) = v;
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LLoadAccU8, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = l_load!(U8, $f, $s, $c, $ip, $fp, $mem);
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LLoadAccU32, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = l_load!(U32, $f, $s, $c, $ip, $fp, $mem);
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LLoadAccU64, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = l_load!(U64, $f, $s, $c, $ip, $fp, $mem);
        next_acc!($c, after!($ip), $sp, Acc::new(v), $fp, $mem)
    }};
    (LLoadU8, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        push!($c, $sp, l_load!(U8, $f, $s, $c, $ip, $fp, $mem))
    };
    (LLoadSetU8, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = l_load!(U8, $f, $s, $c, $ip, $fp, $mem)
    };
    (LLoadU32, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        push!($c, $sp, l_load!(U32, $f, $s, $c, $ip, $fp, $mem))
    };
    (LLoadSetU32, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = l_load!(U32, $f, $s, $c, $ip, $fp, $mem)
    };
    (LLoadU64, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        push!($c, $sp, l_load!(U64, $f, $s, $c, $ip, $fp, $mem))
    };
    (LLoadSetU64, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        local!($fp, $s.d) = l_load!(U64, $f, $s, $c, $ip, $fp, $mem)
    };
    (StoreLBinU8, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        store_l_bin!(U8, $f, $s, $c, $ip, $fp, $mem)
    };
    (StoreLBinU32, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {
        store_l_bin!(U32, $f, $s, $c, $ip, $fp, $mem)
    };
    (Store, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = pop!($sp);
        let ea = pop!($sp) as u32 as u64 + $s.offset as u64;
        if !StoreFn::$f.call(bytes!($c, $mem), ea, v) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
    (StoreL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let v = pop!($sp);
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        if !StoreFn::$f.call(bytes!($c, $mem), ea, v) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
    (AccStoreL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        if !StoreFn::$f.call(bytes!($c, $mem), ea, acc!($acc)) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
    (StoreLL, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        if !StoreFn::$f.call(bytes!($c, $mem), ea, local!($fp, $s.v)) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
    (StoreLC, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let ea = address(local!($fp, $s.a), shift!($f, $s), $s.offset);
        if !StoreFn::$f.call(bytes!($c, $mem), ea, $s.c as i64 as u64) {
            return $c.trap_with($ip, || Trap::OutOfBoundsMemoryAccess);
        }
    }};
    (VecS, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let shape::VecS = $s;
        $sp = $sp.wrapping_sub(2);
        let b = vector!($sp);
        let at = $sp.wrapping_sub(2);
        set_vector!(at, SimdBinFn::$f.call_bytes(vector!(at), b));
    }};
    (VecLR, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        let at = $sp.wrapping_sub(2);
        let a = vector!($fp.wrapping_add($s.a as usize));
        set_vector!(at, SimdBinFn::$f.call_bytes(a, vector!(at)));
    }};
    (VecLRSet, $f:ident, $s:ident, $c:ident, $ip:ident, $sp:ident, $acc:ident, $fp:ident, $mem:ident) => {{
        $sp = $sp.wrapping_sub(2);
        let a = vector!($fp.wrapping_add($s.a as usize));
        set_vector!(
            $fp.wrapping_add($s.d as usize),
            SimdBinFn::$f.call_bytes(a, vector!($sp))
        );
    }};
}

for_each_specialized!(specialized_handlers);

/// The handler of `op`'s kind. Every arm gives a function, so the compiler
/// makes this match one load from a table of handlers.
#[inline(always)]
fn handler_of(op: &Op) -> OpHandler {
    macro_rules! table {
        ($($name:ident $shape:ident $f:ident,)*) => {
            match op {
                $(Op::$name(_) => $name,)*
                Op::Call { .. } => call_direct,
                Op::CallIndirect { .. } => call_indirect,
                Op::Return => ret,
                Op::ReturnAcc => ret_acc,
                Op::ReturnLocal { .. } => ret_local,
                Op::Jump { .. } => jump_to,
                Op::Br(_) => br,
                Op::JumpIf { .. } => jump_if,
                Op::JumpIfNot { .. } => jump_if_not,
                Op::BrIf(_) => br_if,
                Op::BrTable { .. } => br_table,
                Op::Drop { .. } => drop_slots,
                Op::Select { .. } => select,
                Op::LocalGet { .. } => local_get,
                Op::LocalSet { .. } => local_set,
                Op::LocalTee { .. } => local_tee,
                Op::LocalGet2 { .. } => local_get2,
                Op::LocalSet2 { .. } => local_set2,
                Op::LocalTee2 { .. } => local_tee2,
                Op::Const { .. } => constant,
                Op::I32Eqz => i32_eqz,
                Op::Un { .. } => un,
                Op::UnL { .. } => un_l,
                Op::Bin { .. } => bin,
                Op::BinL { .. } => bin_l,
                Op::BinC { .. } => bin_c,
                Op::BinLR { .. } => bin_lr,
                Op::BinLL { .. } => bin_ll,
                Op::BinLC { .. } => bin_lc,
                Op::BinSet { .. } => bin_set,
                Op::BinLCSet { .. } => bin_lc_set,
                Op::BinLLSet { .. } => bin_ll_set,
                Op::BinLRSet { .. } => bin_lr_set,
                Op::BinLSet { .. } => bin_l_set,
                Op::BinCSet { .. } => bin_c_set,
                Op::Copy { .. } => copy,
                Op::ConstSet { .. } => const_set,
                Op::JumpIfL { .. } => jump_if_l,
                Op::JumpIfLC { .. } => jump_if_lc,
                Op::JumpIfLL { .. } => jump_if_ll,
                Op::Load { .. } => load,
                Op::LoadB { .. } => load_b,
                Op::LoadL { .. } => load_l,
                Op::Store { .. } => store,
                Op::StoreL { .. } => store_l,
                Op::StoreLL { .. } => store_ll,
                Op::StoreLC { .. } => store_lc,
                Op::LoadSet { .. } => load_set,
                Op::LoadLSet { .. } => load_l_set,
                Op::V128Load { .. } => v128_load,
                Op::V128LoadL { .. } => v128_load_l,
                Op::V128LoadLL { .. } => v128_load_ll,
                Op::V128Store { .. } => v128_store,
                Op::SimdBin { .. } => simd_bin,
                Op::SimdBinLR { .. } => simd_bin_lr,
                Op::SimdBinLRSet { .. } => simd_bin_lr_set,
                Op::I32MulAddLLL { .. } => i32_mul_add_lll,
                Op::I32x4MulAddLRSet { .. } => i32x4_mul_add_lr_set,
                Op::F32x4MulAddLRSet { .. } => f32x4_mul_add_lr_set,
                Op::F64x2MulAddLRSet { .. } => f64x2_mul_add_lr_set,
                Op::I32MulAddLCCSet { .. } => i32_mul_add_lcc_set,
                Op::BinLLoad { .. } => bin_l_load,
                Op::StoreLBin { .. } => store_l_bin,
                Op::BinLLoadSet { .. } => bin_l_load_set,
                Op::F64MulAddLRSet { .. } => f64_mul_add_lr_set,
                Op::I32AddJumpLtU(_) => i32_add_jump_lt_u,
                Op::I32AddJumpLtS(_) => i32_add_jump_lt_s,
                Op::I32AddLJumpLtU(_) => i32_add_l_jump_lt_u,
                Op::I32AddLJumpLtS(_) => i32_add_l_jump_lt_s,
                Op::Num(_) => num,
                Op::Simd(_) => simd,
                // Every other op is `run`'s.
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
                | Op::Access(_) => leave,
            }
        };
    }
    for_each_specialized!(table)
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

/// The 16 bytes at `ea`, if addressable: one 16-byte load, where copying
/// the slice into an array went through a temporary on the host stack.
#[inline(always)]
fn load16(bytes: &[u8], ea: u64) -> Option<V128> {
    range16(ea)
        .and_then(|r| bytes.get(r))
        .and_then(|b| <&V128>::try_from(b).ok())
        .copied()
}

/// The byte range of a 16-byte access at `ea`, if it is addressable.
#[inline(always)]
fn range16(ea: u64) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(ea).ok()?;
    Some(start..start.checked_add(16)?)
}
