//! The interpreter's inner loop, threaded: every op has its handler
//! stored beside it (`ir::Inst`), and each handler ends by calling the next
//! op's handler in tail position. With optimization LLVM compiles that call
//! to a jump, so each handler has its own indirect jump to predict (one
//! shared dispatch jump, as a `loop { match }` has, was most of a loop's
//! time, and how well it predicted depended on where the linker put it),
//! and dispatch is one load. The op pointer, the frame and memory 0's
//! bytes travel in the handlers' arguments, that is in registers; the rest
//! of the state sits in a `Chain` that the first argument points to. Ops
//! name their operands as frame slots (register code, see `ir.rs`), so no
//! stack pointer travels at all. Common cases of calls and returns make no
//! call but the tail call, so that they save no registers; their other
//! cases, and anything that builds a `Trap`, are out of line.
//!
//! Without optimization the compiler makes no sibling calls and a chain of
//! handlers would grow the host stack by a frame per op. `build.rs` sets
//! `weft_tail` only for optimized builds; without it every handler returns
//! to a small driver loop that calls the next one (the same handlers, one
//! `return` instead of a tail call). The tests run the tail-call form, and
//! `tests/stack_flat.rs` runs long programs on a small thread, which would
//! overflow if a handler ever stopped tail calling; `.ci/run` also tests
//! the loop form.
//!
//! The handlers of operators come in families, one handler per operator of
//! a list declared once (`ops::num::for_each_bin_fn`, ...), made by
//! const-generic instantiation (`handlers.rs`): each does its operator
//! inline. What only calls, returns and instance switches change, and
//! memory 0's length, sit in the `Chain`, with the running instance's
//! table 0, which `call_indirect` reads without three dependent loads
//! through the instance and the store. Frame accesses rely on the
//! translator (`in_bounds`, frame sizes).
//!
//! Ops that neither return to the host, throw nor reach into the store
//! (beyond memory 0, globals, fuel and calls) run here. Calls to
//! WebAssembly functions (direct or through a table), direct tail calls
//! within the instance, and returns to a WebAssembly caller stay here; the
//! first other op stops the chain and is left to `Machine::run`.

use std::sync::Arc;

use weft_ast::Instr;

use super::state::{CodePtr, Frame};
use super::{Machine, Mem0, unimplemented};
use crate::interpreter::ir::{ACC, ACC16, Code, HandlerPtr, Inst, Op, Target};
use crate::runtime::store::InstanceData;
use crate::runtime::store::{FuncInst, GlobalInst};
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

/// The op a handler executes, with its handler, by address.
type Ip = *const Inst;
/// A value stack slot, by address: a frame's first slot.
type Fp = *mut u64;

/// An op's handler: the context, the op, the frame, memory 0's bytes
/// (its length is in the context, where a bounds check reads it as one
/// memory operand) and the accumulator: the result of the op before, when
/// that op left it there for this one (see `ir::ACC`), else anything.
pub(crate) type OpHandler = fn(&mut Chain<'_, '_>, Ip, Fp, *mut u8, u64) -> Flow;

/// What a handler returns: `Done` when the chain stops (at an op for
/// `run`, or on a trap); `Next` only without `weft_tail`, when the driver
/// is to run the op in `Chain::at`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Done,
    #[cfg_attr(all(weft_tail, not(debug_assertions)), allow(dead_code))]
    Next,
}

/// The handlers' arguments, as saved in the context when a chain stops.
#[derive(Clone, Copy)]
struct At {
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
}

/// The state that the handlers share and do not keep in registers: what
/// changes only at calls, returns and instance switches.
pub(crate) struct Chain<'a, 's> {
    m: &'a mut Machine<'s>,
    /// The running code.
    code: *const Code,
    /// Its ops, by address.
    ops: Ip,
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
    /// The store's globals, and the running instance's global addresses,
    /// by address, so that `global.get` and `global.set` reach a global in
    /// two dependent loads rather than through the machine, the store and
    /// the instance. No op run here adds a global (instantiation is the
    /// host's), so the store's vector stays put while the chain runs; the
    /// instance's addresses change with the instance (`switch`).
    globals: *mut GlobalInst,
    inst_globals: *const u32,
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
    /// For accesses of 1, 2, 4 and 8 bytes, the first effective address
    /// out of bounds (`ends(len)`), so that a scalar load or store tests
    /// its address with one comparison and computes it once.
    ends: [usize; 4],
    /// The value stack's buffer and its end, taken again (`Chain::resync`)
    /// after anything that may grow the stack.
    slots: Fp,
    end: Fp,
    /// The op a jump with fuel metered comes from (see `metered_jump`).
    from: Ip,
    /// The code and instance of a call that `call` hands to `call_slow`,
    /// and the callee's frame (more arguments would go on the host stack,
    /// which rules a tail call out).
    callee: (*const Code, u32, Fp),
    /// Where the chain stopped (or, without `weft_tail`, the next op to
    /// run), and why.
    at: At,
    outcome: Result<(), Trap>,
}

impl Chain<'_, '_> {
    /// The slot index of the stack address `p`.
    #[inline(always)]
    fn index(&self, p: Fp) -> usize {
        (p as usize).wrapping_sub(self.slots as usize) / size_of::<u64>()
    }

    /// Takes the stack's buffer again after something ran on
    /// `self.m.stack` that may have grown it; returns the frame at index
    /// `fp`.
    #[inline(always)]
    fn resync(&mut self, fp: usize) -> Fp {
        self.slots = self.m.stack.slots.as_mut_ptr();
        self.end = self.slots.wrapping_add(self.m.stack.slots.len());
        self.slots.wrapping_add(fp)
    }

    /// Takes the running instance's table 0 (see `Chain::table0`) and its
    /// globals (see `Chain::globals`).
    #[inline(always)]
    fn take_table0(&mut self) {
        // SAFETY: `data` is the running instance's (see there).
        let data = unsafe { &*self.data };
        self.inst_globals = data.globals.as_ptr();
        self.globals = self.m.store.globals.as_mut_ptr();
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
        self.ends = ends(mem.len);
        mem
    }

    /// Enters `code` at the frame `fp` through `Machine::enter`, which
    /// grows the stack: returns the frame's new address, or null on a trap
    /// (set). Out of line, as every call to a function returning a `Trap`
    /// must be: the result's temporary on the host stack would keep the
    /// handler from passing control on by a tail call.
    #[cold]
    #[inline(never)]
    fn grow_stack(&mut self, ip: Ip, code: &Code, fp: Fp) -> Fp {
        let at = self.index(fp);
        match self.m.enter(code, at) {
            Ok(()) => self.resync(at),
            Err(t) => {
                self.trap(ip, t);
                std::ptr::null_mut()
            }
        }
    }

    /// Runs `f` (`num::numeric` or `simd::simd`) for instruction `i` on the
    /// machine's stack with the top at frame slot `top` of `fp`: false on a
    /// trap (set). Out of line, as `grow_stack` explains.
    #[inline(never)]
    fn on_stack(
        &mut self,
        ip: Ip,
        fp: Fp,
        top: u32,
        f: fn(&mut Stack, &Instr) -> Result<bool, Trap>,
        i: &Instr,
    ) -> bool {
        self.m.stack.sp = self.index(fp) + top as usize;
        let t = match f(&mut self.m.stack, i) {
            Ok(true) => return true,
            Ok(false) => unimplemented(i),
            Err(t) => t,
        };
        self.trap(ip, t);
        false
    }

    /// The function that `call_indirect` with type `ty` through `table` at
    /// the index in `index` calls, by `Machine::indirect`: `None` on a
    /// trap (set). Out of line, as `grow_stack` explains.
    #[inline(never)]
    fn indirect(&mut self, ip: Ip, ty: u32, table: u32, index: u64) -> Option<u32> {
        match self.m.indirect(self.inst, ty, table, index) {
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
            globals: std::ptr::null_mut(),
            inst_globals: std::ptr::null(),
            saved: self.frames.as_mut_ptr(),
            depth: self.frames.len(),
            limit: self.frames.capacity().min(max_depth),
            max_depth,
            pinned: self.pins.pinned.len(),
            metered: self.store.fuel.is_some(),
            len: regs.mem.len,
            ends: ends(regs.mem.len),
            slots,
            end,
            from: std::ptr::null(),
            callee: (std::ptr::null(), 0, std::ptr::null_mut()),
            at: At {
                // SAFETY: `regs.pc` names an op of `code`.
                ip: unsafe { ops.add(regs.pc) },
                fp: slots.wrapping_add(regs.fp),
                mem: regs.mem.ptr,
                // No op reads the accumulator first (see `ir::ACC`).
                acc: 0,
            },
            outcome: Ok(()),
            m: self,
        };
        c.take_table0();
        loop {
            let At { ip, fp, mem, acc } = c.at;
            let flow = handler(ip)(&mut c, ip, fp, mem, acc);
            if flow == Flow::Done {
                break;
            }
        }
        // On a trap too, `regs` and the frames are left where the chain
        // stopped (at the op that trapped), for `run`'s backtrace.
        let outcome = std::mem::replace(&mut c.outcome, Ok(()));
        let at = c.at;
        let (fp, pc) = (c.index(at.fp), op_index(&c, at.ip));
        let m = c.m;
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

/// For memory 0's length `len`, the first effective address at which an
/// access of 1, 2, 4 and 8 bytes is out of bounds: `ea + w <= len` is
/// `ea < len - (w - 1)`, and no address when the memory is shorter.
fn ends(len: usize) -> [usize; 4] {
    [1, 2, 4, 8].map(|w| len.saturating_sub(w - 1))
}

/// The index of the op at `ip` in the running code.
fn op_index(c: &Chain<'_, '_>, ip: Ip) -> usize {
    (ip as usize - c.ops as usize) / size_of::<Inst>()
}

/// The op at `ip`.
#[inline(always)]
fn op<'o>(ip: Ip) -> &'o Op {
    // SAFETY: `ip` points at an op of the running code (whose ops `Pins`
    // keeps alive): `run` passes a valid index, a call starts at 0, a
    // return resumes just after a call op (never the last), and the
    // translator's `in_bounds` check guarantees that every branch target
    // (and every jump's op plus its relative `to`) is within the code and
    // that the last op is `Return` (which leaves the frame), so stepping
    // past an op that falls through stays in range.
    unsafe { &(*ip).op }
}

/// The handler stored with the op at `ip`.
#[inline(always)]
fn handler(ip: Ip) -> OpHandler {
    // SAFETY: as in `op` for the address; every `HandlerPtr` was made by
    // `handler_of` from an `OpHandler`, the type it is turned back into.
    unsafe { std::mem::transmute::<usize, OpHandler>((*ip).handler.0) }
}

/// Where a handler finds that its op is not the kind it handles, which
/// `handler_of` rules out.
#[inline(always)]
fn wrong() -> ! {
    if cfg!(debug_assertions) {
        mismatch()
    }
    // SAFETY: `handler_of` gives each op the handler of its own kind and
    // operator, and handlers are only reached through it.
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

/// Runs the op at `$ip` with the given registers: a tail call with
/// `weft_tail`, else a return to the driver loop.
/// The accumulator goes on as `$acc` (0 when not given: the op run next
/// reads none).
macro_rules! next {
    ($c:expr, $ip:expr, $fp:expr, $mem:expr) => {
        next!($c, $ip, $fp, $mem, 0)
    };
    ($c:expr, $ip:expr, $fp:expr, $mem:expr, $acc:expr) => {{
        let ip: Ip = $ip;
        next_by!($c, handler(ip), ip, $fp, $mem, $acc)
    }};
}

/// Runs the op at `$ip` as `next!` does, by the handler `$h` (the op's
/// own, or `Code::entry`).
macro_rules! next_by {
    ($c:expr, $h:expr, $ip:expr, $fp:expr, $mem:expr) => {
        next_by!($c, $h, $ip, $fp, $mem, 0)
    };
    ($c:expr, $h:expr, $ip:expr, $fp:expr, $mem:expr, $acc:expr) => {{
        let ip: Ip = $ip;
        let h: OpHandler = $h;
        let acc: u64 = $acc;
        #[cfg(all(weft_tail, not(debug_assertions)))]
        {
            return h($c, ip, $fp, $mem, acc);
        }
        #[cfg(not(all(weft_tail, not(debug_assertions))))]
        {
            // The driver finds the handler from the op at `ip`.
            let _ = h;
            $c.at = At {
                ip,
                fp: $fp,
                mem: $mem,
                acc,
            };
            return Flow::Next;
        }
    }};
}

/// Stops the chain at the op at `$ip`, for `run` to execute.
macro_rules! exit {
    ($c:expr, $ip:expr, $fp:expr, $mem:expr) => {{
        $c.at = At {
            ip: $ip,
            fp: $fp,
            mem: $mem,
            acc: 0,
        };
        return Flow::Done;
    }};
}

/// The frame slot `$off` of the frame at `$fp`, as a place.
macro_rules! slot {
    ($fp:expr, $off:expr) => {
        // SAFETY: handlers only name slots of the current frame, at
        // offsets the translator's `in_bounds` check placed below the
        // frame's size; the call that entered the frame made the stack at
        // least `fp + max_height` slots long, and the buffer is the
        // stack's since it last changed (`Chain::resync`).
        *unsafe { &mut *$fp.wrapping_add($off as usize) }
    };
}

/// The vector in the two slots at `$p`.
macro_rules! vector {
    ($p:expr) => {{
        let p: Fp = $p;
        // SAFETY: as for `slot!`, for both slots.
        unsafe { read_vector(p) }
    }};
}

/// Writes the vector `$v` into the two slots at `$p`.
macro_rules! set_vector {
    ($p:expr, $v:expr) => {{
        let (p, v): (Fp, V128) = ($p, $v);
        // SAFETY: as for `slot!`, for both slots.
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
    ($c:expr, $ip:expr, $to:expr, $fp:expr, $mem:expr, $acc:expr) => {{
        let to = target!($c, $to);
        if $c.metered {
            // Rare: the comparison and the charge out of line (and cold, so
            // the common path falls through), reached by a tail call with
            // the jump's origin in the context.
            $c.from = $ip;
            return metered_jump($c, to, $fp, $mem, $acc);
        }
        next!($c, to, $fp, $mem, $acc)
    }};
}

/// Jumps by `$rel` ops from `$ip` (a jump op's relative `to`), charging
/// fuel when `$back` (a backward jump, a loop): the direction is known when
/// the op is translated, so a forward jump's handler has no fuel test.
macro_rules! jump_by {
    ($c:expr, $ip:expr, $rel:expr, $fp:expr, $mem:expr, $acc:expr, $back:expr) => {{
        let ip: Ip = $ip;
        // Stays in the code: `in_bounds` checked every jump's target.
        let to = ip.wrapping_offset($rel as isize);
        if $back && $c.metered {
            // Rare: as in `jump!`.
            $c.from = ip;
            return metered_jump($c, to, $fp, $mem, $acc);
        }
        next!($c, to, $fp, $mem, $acc)
    }};
}

/// Goes on at the jump target `ip` with fuel metered: a backward jump (a
/// loop) from `Chain::from` costs one unit.
#[cold]
#[inline(never)]
fn metered_jump(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8, acc: u64) -> Flow {
    if ip <= c.from && !c.fuel(c.from) {
        return Flow::Done;
    }
    // A jump target reads no accumulator (see `ir::ACC`): `acc` is only
    // passed on, as the jump's handler would.
    next!(c, ip, fp, mem, acc)
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

/// Takes branch target `$t`: moves its values, then jumps.
#[inline(always)]
fn branch(c: &mut Chain<'_, '_>, ip: Ip, t: Target, fp: Fp, mem: *mut u8, acc: u64) -> Flow {
    move_down(
        fp.wrapping_add(t.src as usize),
        t.n as usize,
        fp.wrapping_add(t.dst as usize),
    );
    jump!(c, ip, t.to, fp, mem, acc)
}

/// Moves the `n` slots at `from` down to `to`.
#[inline(always)]
fn move_down(from: Fp, n: usize, to: Fp) {
    match n {
        0 => {}
        1 => slot!(to, 0) = slot!(from, 0),
        // SAFETY: both ranges are slots of the current frame (see `slot!`),
        // `to` at or below `from`; `copy` allows overlap.
        _ => unsafe { std::ptr::copy(from, to, n) },
    }
}

/// The branch target `$i` of the running code.
macro_rules! branch_target {
    ($c:expr, $i:expr) => {
        // SAFETY: `in_bounds` checked every target index of the running
        // code; `c.code` is the running code (alive, see `Pins`).
        unsafe { *(&*$c.code).targets.get_unchecked($i as usize) }
    };
}

/// Defines handlers: `name(c, ip, fp, mem, acc) Pattern => body`, where the
/// body sees the op's fields bound by `Pattern` and ends in `next!`,
/// `jump!`, `exit!` or a return.
macro_rules! handlers {
    ($($name:ident($c:ident, $ip:ident, $fp:ident, $mem:ident, $acc:ident) $pat:pat => $body:block)*) => {
        $(
            #[allow(unused_mut, unused_variables, non_snake_case)]
            pub(super) fn $name($c: &mut Chain<'_, '_>, $ip: Ip, $fp: Fp, $mem: *mut u8, $acc: u64) -> Flow {
                let $pat = op($ip) else { wrong() };
                $body
            }
        )*
    };
}

mod calls;
mod handlers;

use calls::*;
use handlers::*;

/// Whether `op` is one the handlers leave to `Machine::run` every time
/// (its handler is `leave`); `run` must execute those itself.
pub(super) fn left_to_run(op: &Op) -> bool {
    std::ptr::fn_addr_eq(handler_fn(op), leave as OpHandler)
}

/// The handler of `op`, as the code keeps it beside the op.
pub(crate) fn handler_of(op: &Op) -> HandlerPtr {
    HandlerPtr(handler_fn(op) as usize)
}

/// The handler of `op`: of its kind, and for an operator family, of its
/// operator.
fn handler_fn(op: &Op) -> OpHandler {
    match *op {
        Op::Call { .. } => call_direct,
        Op::ReturnCall { .. } => return_call,
        Op::CallIndirect { .. } => call_indirect,
        Op::Return { .. } => ret,
        Op::Jump { to } if back(to) => jump_to::<true>,
        Op::Jump { .. } => jump_to::<false>,
        Op::JumpIf { to, c } => JUMP_IF[back(to) as usize][(c == ACC) as usize],
        Op::JumpIfMove { to, .. } if back(to) => jump_if_move::<true>,
        Op::JumpIfMove { .. } => jump_if_move::<false>,
        Op::JumpIfNot { to, c } => JUMP_IF_NOT[back(to) as usize][(c == ACC) as usize],
        Op::JumpCmp { f, a, b, to } => JUMP_CMP[acc_in(a, b)][back(to) as usize][f as usize],
        Op::JumpCmpI { f, a, to, .. } => JUMP_CMP_I[acc_in(a, 0)][back(to) as usize][f as usize],
        Op::JumpCmpK { f, a, to, .. } => JUMP_CMP_K[acc16(a)][back(to) as usize][f as usize],
        Op::JumpNotOrd { o, a, b, to } => JUMP_NOT_ORD[acc_in(a, b)][back(to) as usize][o as usize],
        Op::JumpNotOrdK { o, a, to, .. } => JUMP_NOT_ORD_K[acc16(a)][back(to) as usize][o as usize],
        Op::Br { .. } => br,
        Op::BrIf { .. } => br_if,
        Op::BrTable { .. } => br_table,
        Op::Copy { .. } => copy,
        Op::CopyPair { .. } => copy_pair,
        Op::Copy2 { .. } => copy2,
        Op::Const { .. } => constant,
        Op::Select { .. } => select,
        Op::SelectR { .. } => select_r,
        Op::GlobalGet { wide: false, .. } => global_get::<false>,
        Op::GlobalGet { wide: true, .. } => global_get::<true>,
        Op::GlobalSet { wide: false, .. } => global_set::<false>,
        Op::GlobalSet { wide: true, .. } => global_set::<true>,
        Op::RefFunc { .. } => ref_func,
        Op::Bin { f, d, a, b } => BIN[acc_in(a, b)][(d == ACC) as usize][f as usize],
        Op::BinI { f, d, a, .. } => BIN_I[acc_in(a, 0)][(d == ACC) as usize][f as usize],
        Op::ImmBin { f, .. } => IMM_BIN[f as usize],
        Op::BinK { f, d, a, .. } => BIN_K[acc16(a)][(d == ACC16) as usize][f as usize],
        Op::Un { f, d, a } => UN[acc_in(a, 0)][(d == ACC) as usize][f as usize],
        Op::Trapping { f, .. } => TRAPPING[f as usize],
        Op::Load { f, d, addr, .. } => LOAD[acc_in(addr, 0)][(d == ACC) as usize][f as usize],
        Op::Store { f, addr, val, .. } => STORE[acc_in(addr, val)][f as usize],
        Op::V128Load { .. } => v128_load,
        Op::V128Store { .. } => v128_store,
        Op::SimdBin { f, .. } => SIMD_BIN[f as usize],
        Op::Num { .. } => num,
        Op::Simd { .. } => simd,
        // Every other op is `run`'s.
        Op::Unreachable
        | Op::ReturnCallIndirect { .. }
        | Op::CallRef { .. }
        | Op::ReturnCallRef { .. }
        | Op::BrOnNull { .. }
        | Op::BrOnNonNull { .. }
        | Op::Throw { .. }
        | Op::ThrowRef { .. }
        | Op::BrOnCast { .. }
        | Op::BrOnCastDesc { .. }
        | Op::Gc { .. }
        | Op::Rethrow { .. }
        | Op::Access { .. } => leave,
    }
}

/// Which operand of an op reads the accumulator (`ir::ACC`), given its
/// first and second operand fields: the index of its handler tables
/// (`handlers::IN_*`).
fn acc_in(a: u32, b: u32) -> usize {
    if a == ACC {
        IN_A
    } else if b == ACC {
        IN_B
    } else {
        IN_NONE
    }
}

/// Whether a 16-bit operand field names the accumulator (`ir::ACC16`):
/// the index of its handler tables (`IN_A` or `IN_NONE`).
fn acc16(a: u16) -> usize {
    if a == ACC16 { IN_A } else { IN_NONE }
}

/// Whether a jump by `to` ops (relative, see `Op`) goes backward (or to
/// itself): a loop, which charges fuel.
fn back(to: i32) -> bool {
    to <= 0
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
