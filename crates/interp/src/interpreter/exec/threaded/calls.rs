//! Calls and returns between WebAssembly functions, kept in the handlers:
//! the common case makes no call but the tail call to the callee's first
//! op (so no registers are saved), and everything else (fuel, the depth
//! limit, growing the stacks, another instance, several results, the entry
//! frame's return) is out of line (`call_slow`, `ret_slow`), reached by a
//! tail call too.

use super::*;

/// Calls the WebAssembly function whose code is at `callee`, of instance
/// `ci`, whose frame starts at `new_fp`, where its arguments are. `ip` is
/// the call op.
///
/// The common case (no fuel, room for the frame, the same instance) makes
/// no call but the tail call to the callee's first op, so that it needs no
/// registers saved; everything else goes to `call_slow`, by a tail call
/// too.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(super) fn call(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    callee: *const Code,
    ci: u32,
    new_fp: Fp,
) -> Flow {
    // SAFETY: `callee` comes from `Arc::as_ptr` of an `Arc` the store holds
    // (a function's, or an instance's `calls` entry), alive since the last
    // host call (see `Pins`).
    let code: &Code = unsafe { &*callee };
    let room = (c.end as usize).saturating_sub(new_fp as usize) / size_of::<u64>();
    if c.metered || c.depth >= c.limit || room < code.max_height as usize || ci != c.inst {
        c.callee = (callee, ci, new_fp);
        return call_slow(c, ip, fp, mem);
    }
    zero_locals(
        new_fp.wrapping_add(code.param_slots as usize),
        new_fp.wrapping_add(code.local_slots as usize),
    );
    push_frame(c, ip, fp, code);
    next_by!(c, handler_ptr(code.entry), c.ops, new_fp, mem)
}

/// The handler a `HandlerPtr` names.
#[inline(always)]
pub(super) fn handler_ptr(h: HandlerPtr) -> OpHandler {
    // SAFETY: every `HandlerPtr` was made by `handler_of` from an
    // `OpHandler`.
    unsafe { std::mem::transmute::<usize, OpHandler>(h.0) }
}

/// Zeroes the slots from `from` up to `to`: a callee's declared locals.
#[inline(always)]
pub(super) fn zero_locals(from: Fp, to: Fp) {
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
pub(super) fn push_frame(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, code: &Code) {
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
pub(super) fn call_slow(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mut mem: *mut u8) -> Flow {
    let (callee, ci, mut new_fp) = c.callee;
    // SAFETY: as in `call`.
    if crate::runtime::module::is_lazy(unsafe { &*callee }) {
        // A lazy module's function not translated yet: `run` makes the
        // call (the op at `ip`), translating it first; nothing is charged
        // or pushed here.
        exit!(c, ip, fp, mem);
    }
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
    let room = (c.end as usize).saturating_sub(new_fp as usize) / size_of::<u64>();
    let mut fp = fp;
    if room >= code.max_height as usize {
        zero_locals(
            new_fp.wrapping_add(code.param_slots as usize),
            new_fp.wrapping_add(code.local_slots as usize),
        );
    } else {
        new_fp = c.grow_stack(ip, code, new_fp);
        if new_fp.is_null() {
            return Flow::Done;
        }
        fp = c.slots.wrapping_add(fpi);
    }
    push_frame(c, ip, fp, code);
    if ci != c.inst {
        mem = c.switch(ci).ptr;
    }
    next!(c, c.ops, new_fp, mem)
}

/// A return in full, to a caller below the entry frame: dropping pins,
/// switching instance. The results are at the frame's start already.
#[inline(never)]
pub(super) fn ret_slow(c: &mut Chain<'_, '_>, mut mem: *mut u8) -> Flow {
    debug_assert!(c.depth > 0, "the entry frame's return is run's");
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
    resume(c, f, mem)
}

/// Resumes the caller saved in `f` (the results are at the callee's frame
/// pointer, where the caller's call op put the arguments).
#[inline(always)]
pub(super) fn resume(c: &mut Chain<'_, '_>, f: Frame, mem: *mut u8) -> Flow {
    c.code = f.code.0;
    // SAFETY: a frame's code is alive (see `Pins`).
    c.ops = unsafe { (*f.code.0).ops.as_ptr() };
    // SAFETY: a frame's pc is just after its call op, never the last.
    let ip = unsafe { c.ops.add(f.pc as usize) };
    next!(c, ip, c.slots.wrapping_add(f.fp as usize), mem)
}

/// Makes room for more frames, keeping the `depth` frames written.
#[cold]
#[inline(never)]
pub(super) fn grow_frames(frames: &mut Vec<Frame>, depth: usize) {
    // SAFETY: the frames below `depth` were all written and `depth` is
    // within the capacity (it equals it here).
    unsafe { frames.set_len(depth) };
    frames.reserve(depth.max(64));
}

/// The handler of every op that `run` executes: stops the chain there.
pub(super) fn leave(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8, _acc: u64) -> Flow {
    exit!(c, ip, fp, mem)
}

/// The caller a return resumes, when the return needs no more than that:
/// a WebAssembly caller (not the host) of the same instance, with no pins
/// to drop.
#[inline(always)]
pub(super) fn plain_caller(c: &Chain<'_, '_>) -> Option<Frame> {
    if c.depth == 0 || c.pinned > c.depth {
        return None;
    }
    // SAFETY: the frame below `depth` was written by `run` or a call.
    let f = unsafe { c.saved.add(c.depth - 1).read() };
    (f.inst == c.inst).then_some(f)
}

/// The code and instance that a `call_indirect` of type `ty` through
/// `table` at index `i` calls, in the common case: an element that is a
/// WebAssembly function of exactly that type.
#[inline(always)]
pub(super) fn indirect_hit(
    c: &Chain<'_, '_>,
    ty: u32,
    table: u32,
    i: u64,
) -> Option<(*const Code, u32)> {
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
pub(super) fn call_indirect_slow(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8) -> Flow {
    let Op::CallIndirect {
        ty,
        base,
        index,
        table,
    } = *op(ip)
    else {
        wrong()
    };
    let i = slot!(fp, index);
    let Some(addr) = c.indirect(ip, ty, table as u32, i) else {
        return Flow::Done;
    };
    match c.m.store.funcs.get(addr as usize) {
        Some(FuncInst::Wasm {
            code: callee,
            instance,
            ..
        }) => {
            let (callee, ci) = (Arc::as_ptr(callee), *instance);
            call(c, ip, fp, mem, callee, ci, fp.wrapping_add(base as usize))
        }
        // `run` makes host calls.
        _ => exit!(c, ip, fp, mem),
    }
}
