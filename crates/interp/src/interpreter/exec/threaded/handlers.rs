//! The handlers: control, data movement, memory 0 through the cached raw
//! view, globals, and the operator families. A family's handler is generic
//! over its operator's index (`const F: usize`), and its table holds one
//! instance per operator of the family's list (`ops::num::for_each_bin_fn`
//! and its kin): each handler does its operator inline, with no second
//! dispatch on it.

use super::*;
use crate::interpreter::ir::FloatOrd;
use crate::ops::mem::{LoadFn, StoreFn};
use crate::ops::num::{BinFn, TrapFn, UnFn};
use crate::ops::simd::SimdBinFn;

handlers! {
    call_direct(c, ip, fp, mem, acc) Op::Call { func, base } => {
        // SAFETY: `data` is the running instance's (see there).
        let calls = unsafe { &(*c.data).calls };
        match calls.get(*func as usize) {
            Some(Some((callee, ci))) => {
                let (callee, ci) = (Arc::as_ptr(callee), *ci);
                call(c, ip, fp, mem, callee, ci, fp.wrapping_add(*base as usize))
            }
            // A host function: `run`'s.
            _ => exit!(c, ip, fp, mem),
        }
    }
    call_indirect(c, ip, fp, mem, acc) Op::CallIndirect { ty, base, index, table } => {
        // The common case here: an element that is a WebAssembly function
        // of exactly the expected type. Anything else (errors, subtypes,
        // host functions) is `call_indirect_slow`'s, by a tail call, so
        // that this path saves no registers.
        match indirect_hit(c, *ty, *table as u32, slot!(fp, *index)) {
            Some((callee, ci)) => call(c, ip, fp, mem, callee, ci, fp.wrapping_add(*base as usize)),
            None => call_indirect_slow(c, ip, fp, mem),
        }
    }
    return_call(c, ip, fp, mem, acc) Op::ReturnCall { func, base } => {
        // The common case here: a WebAssembly function of the same
        // instance, no fuel, room for the callee's frame where the
        // caller's starts, and no pin to drop for the code being left.
        // The arguments move down to the frame's start, which becomes the
        // callee's, and the frame depth stays as it is. Anything else is
        // `run`'s.
        // SAFETY: `data` is the running instance's (see there).
        let calls = unsafe { &(*c.data).calls };
        if let Some(Some((callee, ci))) = calls.get(*func as usize) {
            // SAFETY: as in `call`: the store holds this `Arc`.
            let code: &Code = unsafe { &*Arc::as_ptr(callee) };
            let room = (c.end as usize).saturating_sub(fp as usize) / size_of::<u64>();
            if !c.metered && *ci == c.inst && c.pinned <= c.depth && room >= code.max_height as usize {
                move_down(fp.wrapping_add(*base as usize), code.param_slots as usize, fp);
                zero_locals(
                    fp.wrapping_add(code.param_slots as usize),
                    fp.wrapping_add(code.local_slots as usize),
                );
                c.code = code;
                c.ops = code.ops.as_ptr();
                next_by!(c, handler_ptr(code.entry), c.ops, fp, mem)
            }
        }
        exit!(c, ip, fp, mem)
    }
    ret(c, ip, fp, mem, acc) Op::Return { base } => {
        if c.depth == 0 {
            // The entry frame returns to the host: `run` takes the results
            // from where they are.
            exit!(c, ip, fp, mem);
        }
        // The results go to the frame's start, where the caller finds them.
        // SAFETY: `c.code` is the running code (alive, see `Pins`).
        let n = unsafe { (*c.code).result_slots } as usize;
        if *base != 0 {
            match n {
                0 => {}
                1 => slot!(fp, 0) = slot!(fp, *base),
                // SAFETY: both ranges are slots of the frame (`in_bounds`
                // checked `base + result_slots`); `copy` allows overlap.
                _ => unsafe { std::ptr::copy(fp.wrapping_add(*base as usize), fp, n) },
            }
        }
        // The common case makes no call but the tail call to the caller's
        // next op, as in `call`; the rest is `ret_slow`'s.
        if let Some(f) = plain_caller(c) {
            c.depth -= 1;
            return resume(c, f, mem);
        }
        ret_slow(c, mem)
    }
    br(c, ip, fp, mem, acc) Op::Br { target } => {
        branch(c, ip, branch_target!(c, *target), fp, mem, acc)
    }
    br_if(c, ip, fp, mem, acc) Op::BrIf { c: cond, target } => {
        if slot!(fp, *cond) as u32 != 0 {
            return branch(c, ip, branch_target!(c, *target), fp, mem, acc);
        }
        next!(c, after!(ip), fp, mem, acc)
    }
    br_table(c, ip, fp, mem, acc) Op::BrTable { index, start, len } => {
        let i = (slot!(fp, *index) as u32).min(len - 1);
        branch(c, ip, branch_target!(c, start + i), fp, mem, acc)
    }
    copy(c, ip, fp, mem, acc) Op::Copy { d, s } => {
        slot!(fp, *d) = slot!(fp, *s);
        next!(c, after!(ip), fp, mem, acc)
    }
    copy_pair(c, ip, fp, mem, acc) Op::CopyPair { d0, s0, d1, s1 } => {
        slot!(fp, *d0) = slot!(fp, *s0);
        slot!(fp, *d1) = slot!(fp, *s1);
        next!(c, after!(ip), fp, mem, acc)
    }
    copy2(c, ip, fp, mem, acc) Op::Copy2 { d, s } => {
        set_vector!(fp.wrapping_add(*d as usize), vector!(fp.wrapping_add(*s as usize)));
        next!(c, after!(ip), fp, mem, acc)
    }
    constant(c, ip, fp, mem, acc) Op::Const { d, bits } => {
        slot!(fp, *d) = *bits;
        next!(c, after!(ip), fp, mem, acc)
    }
    select_r(c, ip, fp, mem, acc) Op::SelectR { d, a, b, c: cond } => {
        let (a, b) = (slot!(fp, *a), slot!(fp, *b));
        slot!(fp, *d) = if slot!(fp, *cond) as u32 != 0 { a } else { b };
        next!(c, after!(ip), fp, mem, acc)
    }
    select(c, ip, fp, mem, acc) Op::Select { at, w } => {
        let (at, w) = (*at as usize, *w as usize);
        if slot!(fp, at + 2 * w) as u32 == 0 {
            slot!(fp, at) = slot!(fp, at + w);
            if w == 2 {
                slot!(fp, at + 1) = slot!(fp, at + 3);
            }
        }
        next!(c, after!(ip), fp, mem, acc)
    }
    ref_func(c, ip, fp, mem, acc) Op::RefFunc { d, func } => {
        // SAFETY: `data` is the running instance's (see there), and the
        // module validated, so `func` is one of its function indices.
        let addr = unsafe { *(&*c.data).funcs.get_unchecked(*func as usize) };
        slot!(fp, *d) = addr as u64 + 1;
        next!(c, after!(ip), fp, mem, acc)
    }
    v128_load(c, ip, fp, mem, acc) Op::V128Load { d, addr, offset } => {
        let ea = slot!(fp, *addr) as u32 as u64 + *offset as u64;
        let v = or_trap!(c, ip, load16(bytes!(c, mem), ea), Trap::OutOfBoundsMemoryAccess);
        set_vector!(fp.wrapping_add(*d as usize), v);
        next!(c, after!(ip), fp, mem, acc)
    }
    v128_store(c, ip, fp, mem, acc) Op::V128Store { addr, val, offset } => {
        let ea = slot!(fp, *addr) as u32 as u64 + *offset as u64;
        let v = vector!(fp.wrapping_add(*val as usize));
        let place = or_trap!(
            c,
            ip,
            range16(ea).and_then(|r| bytes!(c, mem).get_mut(r)),
            Trap::OutOfBoundsMemoryAccess
        );
        place.copy_from_slice(&v);
        next!(c, after!(ip), fp, mem, acc)
    }
    num(c, ip, fp, mem, acc) Op::Num { instr, top } => {
        generic(c, ip, fp, mem, *top, crate::ops::num::numeric, instr)
    }
    simd(c, ip, fp, mem, acc) Op::Simd { instr, top } => {
        generic(c, ip, fp, mem, *top, crate::ops::simd::simd, instr)
    }
}

/// `Op::GlobalGet`, of a `v128` (two slots) when `WIDE`: the width picks
/// the handler, so that a one-slot global is one load and one store.
pub(super) fn global_get<const WIDE: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::GlobalGet { d, global, .. } = *op(ip) else {
        wrong()
    };
    let g = global_at(c, global);
    // SAFETY: see `global_at`.
    slot!(fp, d) = unsafe { (*g).lo };
    if WIDE {
        // SAFETY: as above.
        slot!(fp, d + 1) = unsafe { (*g).hi };
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::GlobalSet`, of a `v128` when `WIDE` (see `global_get`).
pub(super) fn global_set<const WIDE: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::GlobalSet { s, global, .. } = *op(ip) else {
        wrong()
    };
    let g = global_at(c, global);
    let lo = slot!(fp, s);
    // SAFETY: see `global_at`; no reference to the global is alive.
    unsafe { (*g).lo = lo };
    if WIDE {
        let hi = slot!(fp, s + 1);
        // SAFETY: as above.
        unsafe { (*g).hi = hi };
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// The running instance's global `global`, by address: valid to read and
/// write for one access.
#[inline(always)]
fn global_at(c: &Chain<'_, '_>, global: u32) -> *mut GlobalInst {
    // SAFETY: `inst_globals` is the running instance's global addresses
    // (taken at the chain's start or its last switch of instance), and the
    // module validated, so `global` is one of its indices; each address
    // names a global of the store, whose vector `globals` points at and
    // which no op run here grows (see `Chain::globals`). `add` of an
    // in-bounds index stays in the allocation.
    unsafe { c.globals.add(*c.inst_globals.add(global as usize) as usize) }
}

/// An instruction kept as the AST's, run by `f` on the machine's stack
/// whose top is at frame slot `top`.
#[inline(always)]
fn generic(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    top: u32,
    f: fn(&mut Stack, &Instr) -> Result<bool, Trap>,
    i: &Instr,
) -> Flow {
    let fpi = c.index(fp);
    if !c.on_stack(ip, fp, top, f, i) {
        return Flow::Done;
    }
    let fp = c.resync(fpi);
    next!(c, after!(ip), fp, mem)
}

/// Where an op of a family with accumulator forms reads the accumulator
/// (`ir::ACC` in that operand's field): the first operand, the second, or
/// none. The handler tables are indexed by it.
pub(super) const IN_NONE: usize = 0;
/// The first operand is the accumulator.
pub(super) const IN_A: usize = 1;
/// The second operand is the accumulator.
pub(super) const IN_B: usize = 2;

/// An operand that is the accumulator when `IS_ACC`, else frame slot `s`.
macro_rules! operand {
    ($is_acc:expr, $acc:expr, $fp:expr, $s:expr) => {
        if $is_acc { $acc } else { slot!($fp, $s) }
    };
}

/// Ends a handler whose result is `$r`: into the accumulator for the next
/// op when `$out`, else into frame slot `$d`.
macro_rules! result {
    ($c:expr, $ip:expr, $fp:expr, $mem:expr, $acc:expr, $out:expr, $d:expr, $r:expr) => {{
        let r: u64 = $r;
        if $out {
            next!($c, after!($ip), $fp, $mem, r)
        }
        slot!($fp, $d) = r;
        next!($c, after!($ip), $fp, $mem, $acc)
    }};
}

/// `Op::Bin` of operator `BinFn::ALL[F]`, an operand from the accumulator
/// by `IN` (`IN_A`, `IN_B` or `IN_NONE`), its result into it when `OUT`.
fn bin<const F: usize, const IN: usize, const OUT: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::Bin { d, a, b, .. } = *op(ip) else {
        wrong()
    };
    let x = operand!(IN == IN_A, acc, fp, a);
    let y = operand!(IN == IN_B, acc, fp, b);
    result!(c, ip, fp, mem, acc, OUT, d, BinFn::ALL[F].call(x, y))
}

/// `Op::BinI` of operator `BinFn::ALL[F]`, its operand from the
/// accumulator when `IN` (`IN_A`), its result into it when `OUT`.
fn bin_i<const F: usize, const IN: usize, const OUT: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::BinI { d, a, imm, .. } = *op(ip) else {
        wrong()
    };
    let x = operand!(IN == IN_A, acc, fp, a);
    result!(
        c,
        ip,
        fp,
        mem,
        acc,
        OUT,
        d,
        BinFn::ALL[F].call(x, imm as i64 as u64)
    )
}

/// `Op::ImmBin` of operator `BinFn::ALL[F]`.
fn imm_bin<const F: usize>(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8, acc: u64) -> Flow {
    let Op::ImmBin { d, imm, b, .. } = *op(ip) else {
        wrong()
    };
    slot!(fp, d) = BinFn::ALL[F].call(imm as i64 as u64, slot!(fp, b));
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::Jump`, backward (a loop) when `BACK`.
pub(super) fn jump_to<const BACK: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::Jump { to } = *op(ip) else { wrong() };
    jump_by!(c, ip, to, fp, mem, acc, BACK)
}

/// `Op::JumpIf`, backward when `BACK`, its condition from the accumulator
/// when `IN` (`IN_A`).
pub(super) fn jump_if<const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpIf { c: cond, to } = *op(ip) else {
        wrong()
    };
    if operand!(IN == IN_A, acc, fp, cond) as u32 != 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpIfMove`, backward when `BACK`.
pub(super) fn jump_if_move<const BACK: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpIfMove { c: cond, s, d, to } = *op(ip) else {
        wrong()
    };
    if slot!(fp, cond) as u32 != 0 {
        slot!(fp, d) = slot!(fp, s);
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpIf` by direction (forward, backward) and whether its condition
/// is the accumulator's.
pub(super) static JUMP_IF: [[OpHandler; 2]; 2] = [
    [jump_if::<false, IN_NONE>, jump_if::<false, IN_A>],
    [jump_if::<true, IN_NONE>, jump_if::<true, IN_A>],
];

/// `Op::JumpIfNot` by direction and whether its condition is the
/// accumulator's.
pub(super) static JUMP_IF_NOT: [[OpHandler; 2]; 2] = [
    [jump_if_not::<false, IN_NONE>, jump_if_not::<false, IN_A>],
    [jump_if_not::<true, IN_NONE>, jump_if_not::<true, IN_A>],
];

/// `Op::JumpIfNot`, backward when `BACK`, its condition from the
/// accumulator when `IN` (`IN_A`).
pub(super) fn jump_if_not<const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpIfNot { c: cond, to } = *op(ip) else {
        wrong()
    };
    if operand!(IN == IN_A, acc, fp, cond) as u32 == 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::BinK` of operator `BinFn::ALL[F]`.
/// Its operand from the accumulator when `IN` (`IN_A`), its result into it
/// when `OUT`.
fn bin_k<const F: usize, const IN: usize, const OUT: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::BinK { d, a, k, .. } = *op(ip) else {
        wrong()
    };
    let x = operand!(IN == IN_A, acc, fp, a);
    result!(c, ip, fp, mem, acc, OUT, d, BinFn::ALL[F].call(x, k))
}

/// `Op::JumpCmp` of comparison `BinFn::ALL[F]`, backward when `BACK`, an
/// operand from the accumulator by `IN`.
fn jump_cmp<const F: usize, const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpCmp { a, b, to, .. } = *op(ip) else {
        wrong()
    };
    let (x, y) = (
        operand!(IN == IN_A, acc, fp, a),
        operand!(IN == IN_B, acc, fp, b),
    );
    if BinFn::ALL[F].call(x, y) != 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpCmpI` of comparison `BinFn::ALL[F]`, backward when `BACK`,
/// its operand from the accumulator when `IN` (`IN_A`).
fn jump_cmp_i<const F: usize, const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpCmpI { a, imm, to, .. } = *op(ip) else {
        wrong()
    };
    if BinFn::ALL[F].call(operand!(IN == IN_A, acc, fp, a), imm as i64 as u64) != 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpCmpK` of comparison `BinFn::ALL[F]`, backward when `BACK`.
/// Its operand from the accumulator when `IN` (`IN_A`).
fn jump_cmp_k<const F: usize, const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpCmpK { a, k, to, .. } = *op(ip) else {
        wrong()
    };
    if BinFn::ALL[F].call(operand!(IN == IN_A, acc, fp, a), k) != 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpNotOrd` of ordering `FloatOrd::ALL[O]`, backward when `BACK`,
/// an operand from the accumulator by `IN`.
fn jump_not_ord<const O: usize, const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpNotOrd { a, b, to, .. } = *op(ip) else {
        wrong()
    };
    let (x, y) = (
        operand!(IN == IN_A, acc, fp, a),
        operand!(IN == IN_B, acc, fp, b),
    );
    if FloatOrd::ALL[O].bin().call(x, y) == 0 {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::JumpNotOrdK` of ordering `FloatOrd::ALL[O]`, backward when `BACK`,
/// its operand from the accumulator when `IN` (`IN_A`).
fn jump_not_ord_k<const O: usize, const BACK: bool, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::JumpNotOrdK { a, k, to, .. } = *op(ip) else {
        wrong()
    };
    if FloatOrd::ALL[O]
        .bin()
        .call(operand!(IN == IN_A, acc, fp, a), k)
        == 0
    {
        jump_by!(c, ip, to, fp, mem, acc, BACK);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// The tables of the float-ordering jumps, by direction (forward,
/// backward) and ordering.
macro_rules! ord_tables {
    ($($o:ident),*) => {
        /// `Op::JumpNotOrd` by the operand read from the accumulator
        /// (`IN_*`), direction and ordering.
        pub(super) static JUMP_NOT_ORD: [[[OpHandler; 8]; 2]; 3] = [
            [
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, false, IN_NONE>),*],
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, true, IN_NONE>),*],
            ],
            [
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, false, IN_A>),*],
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, true, IN_A>),*],
            ],
            [
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, false, IN_B>),*],
                [$(jump_not_ord::<{ FloatOrd::$o as usize }, true, IN_B>),*],
            ],
        ];
        /// `Op::JumpNotOrdK` by the operand read from the accumulator
        /// (`IN_NONE`, `IN_A`), direction and ordering.
        pub(super) static JUMP_NOT_ORD_K: [[[OpHandler; 8]; 2]; 2] = [
            [
                [$(jump_not_ord_k::<{ FloatOrd::$o as usize }, false, IN_NONE>),*],
                [$(jump_not_ord_k::<{ FloatOrd::$o as usize }, true, IN_NONE>),*],
            ],
            [
                [$(jump_not_ord_k::<{ FloatOrd::$o as usize }, false, IN_A>),*],
                [$(jump_not_ord_k::<{ FloatOrd::$o as usize }, true, IN_A>),*],
            ],
        ];
    };
}
ord_tables!(F32Lt, F32Gt, F32Le, F32Ge, F64Lt, F64Gt, F64Le, F64Ge);

/// `Op::Un` of operator `UnFn::ALL[F]`, its operand from the accumulator
/// when `IN` (`IN_A`), its result into it when `OUT`.
fn un<const F: usize, const IN: usize, const OUT: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::Un { d, a, .. } = *op(ip) else {
        wrong()
    };
    let x = operand!(IN == IN_A, acc, fp, a);
    result!(c, ip, fp, mem, acc, OUT, d, UnFn::ALL[F].call(x))
}

/// `Op::Trapping` of operator `TrapFn::ALL[F]`.
fn trapping<const F: usize>(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8, acc: u64) -> Flow {
    let Op::Trapping { d, a, b, .. } = *op(ip) else {
        wrong()
    };
    let f = TrapFn::ALL[F];
    let (a, b) = (slot!(fp, a), slot!(fp, b));
    let v = or_trap!(
        c,
        ip,
        f.checked(a, b),
        f.call(a, b).err().unwrap_or(Trap::Unreachable)
    );
    slot!(fp, d) = v;
    next!(c, after!(ip), fp, mem, acc)
}

/// The effective address of an access of `w` bytes (1, 2, 4 or 8) to
/// memory 0 at the address in a slot plus `offset`, if in bounds:
/// computed once and compared once, with the first address out of bounds
/// for the width (`Chain::ends`).
#[inline(always)]
fn scalar_ea(c: &Chain<'_, '_>, addr: u64, offset: u32, w: usize) -> Option<usize> {
    // A 32-bit address plus a 32-bit offset does not overflow 64 bits.
    let ea = addr as u32 as u64 + offset as u64;
    // `w` is a constant of the handler, so the index is too.
    let end = c.ends[w.trailing_zeros() as usize & 3];
    // Below an end, so a `usize`.
    (ea < end as u64).then_some(ea as usize)
}

/// The `w` bytes of memory 0 at `at`, which `scalar_ea` gave for `w`.
macro_rules! bytes_at {
    ($c:expr, $mem:expr, $at:expr, $w:expr) => {{
        let (at, w): (usize, usize) = ($at, $w);
        debug_assert!(at + w <= $c.len);
        // SAFETY: `at < len - (w - 1)` (`ends`), so `[at, at + w)` lies
        // within memory 0's `len` bytes at `mem` (as `bytes!` says of the
        // whole); the slice lives for one access while no other
        // reference to the buffer exists.
        unsafe { std::slice::from_raw_parts_mut($mem.wrapping_add(at), w) }
    }};
}

/// `Op::Load` of width `LoadFn::ALL[F]`, its address from the accumulator
/// when `IN` (`IN_A`), its result into it when `OUT`.
fn load<const F: usize, const IN: usize, const OUT: bool>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::Load {
        d, addr, offset, ..
    } = *op(ip)
    else {
        wrong()
    };
    let f = LoadFn::ALL[F];
    let Some(at) = scalar_ea(c, operand!(IN == IN_A, acc, fp, addr), offset, f.width()) else {
        return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
    };
    // The slice is the load's own bytes, so that the load finds them in
    // bounds.
    let b = bytes_at!(c, mem, at, f.width());
    let v = or_trap!(c, ip, f.call(b, 0), Trap::OutOfBoundsMemoryAccess);
    result!(c, ip, fp, mem, acc, OUT, d, v)
}

/// `Op::Store` of width `StoreFn::ALL[F]`, its address (`IN_A`) or value
/// (`IN_B`) from the accumulator by `IN`.
fn store<const F: usize, const IN: usize>(
    c: &mut Chain<'_, '_>,
    ip: Ip,
    fp: Fp,
    mem: *mut u8,
    acc: u64,
) -> Flow {
    let Op::Store {
        addr, val, offset, ..
    } = *op(ip)
    else {
        wrong()
    };
    let f = StoreFn::ALL[F];
    let v = operand!(IN == IN_B, acc, fp, val);
    let Some(at) = scalar_ea(c, operand!(IN == IN_A, acc, fp, addr), offset, f.width()) else {
        return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
    };
    let b = bytes_at!(c, mem, at, f.width());
    // The slice is the store's own bytes (see `load`).
    if !f.call(b, 0, v) {
        return c.trap_with(ip, || Trap::OutOfBoundsMemoryAccess);
    }
    next!(c, after!(ip), fp, mem, acc)
}

/// `Op::SimdBin` of operator `SimdBinFn::ALL[F]`.
fn simd_bin<const F: usize>(c: &mut Chain<'_, '_>, ip: Ip, fp: Fp, mem: *mut u8, acc: u64) -> Flow {
    let Op::SimdBin { d, a, b, .. } = *op(ip) else {
        wrong()
    };
    let v = SimdBinFn::ALL[F].call_bytes(
        vector!(fp.wrapping_add(a as usize)),
        vector!(fp.wrapping_add(b as usize)),
    );
    set_vector!(fp.wrapping_add(d as usize), v);
    next!(c, after!(ip), fp, mem, acc)
}

/// A jump handler of operator `$name` if it is a comparison that makes a
/// jump (`ir::jump_test`), else `not_a_jump`: the translator makes jumps of
/// comparisons only, and the others' forms would be compiled for nothing
/// (the untaken arm of a static's initializer instantiates nothing).
macro_rules! jump_only {
    ($name:ident, $h:expr) => {
        if crate::interpreter::ir::jump_test(BinFn::$name, false).is_some() {
            $h as OpHandler
        } else {
            not_a_jump as OpHandler
        }
    };
}

/// The handler in the jump tables at the operators that are no
/// comparison, which no op names (see `jump_only!`); it traps rather than
/// assume so.
#[cold]
fn not_a_jump(c: &mut Chain<'_, '_>, ip: Ip, _fp: Fp, _mem: *mut u8, _acc: u64) -> Flow {
    c.trap_with(ip, || Trap::Unreachable)
}

/// The tables of one handler per operator, from the operator lists.
macro_rules! bin_tables {
    ($($name:ident $kind:ident |$a:ident, $b:ident| $e:expr;)*) => {
        /// `Op::Bin` by the operand read from the accumulator (`IN_*`),
        /// whether the result goes to it, and operator.
        pub(super) static BIN: [[&[OpHandler]; 2]; 3] = [
            [
                &[$(bin::<{ BinFn::$name as usize }, IN_NONE, false>),*],
                &[$(bin::<{ BinFn::$name as usize }, IN_NONE, true>),*],
            ],
            [
                &[$(bin::<{ BinFn::$name as usize }, IN_A, false>),*],
                &[$(bin::<{ BinFn::$name as usize }, IN_A, true>),*],
            ],
            [
                &[$(bin::<{ BinFn::$name as usize }, IN_B, false>),*],
                &[$(bin::<{ BinFn::$name as usize }, IN_B, true>),*],
            ],
        ];
        /// `Op::BinI` by the operand read from the accumulator (`IN_NONE`
        /// or `IN_A`), whether the result goes to it, and operator.
        pub(super) static BIN_I: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(bin_i::<{ BinFn::$name as usize }, IN_NONE, false>),*],
                &[$(bin_i::<{ BinFn::$name as usize }, IN_NONE, true>),*],
            ],
            [
                &[$(bin_i::<{ BinFn::$name as usize }, IN_A, false>),*],
                &[$(bin_i::<{ BinFn::$name as usize }, IN_A, true>),*],
            ],
        ];
        /// `Op::ImmBin` by operator.
        pub(super) static IMM_BIN: &[OpHandler] = &[$(imm_bin::<{ BinFn::$name as usize }>),*];
        /// `Op::BinK` by operator.
        pub(super) static BIN_K: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(bin_k::<{ BinFn::$name as usize }, IN_NONE, false>),*],
                &[$(bin_k::<{ BinFn::$name as usize }, IN_NONE, true>),*],
            ],
            [
                &[$(bin_k::<{ BinFn::$name as usize }, IN_A, false>),*],
                &[$(bin_k::<{ BinFn::$name as usize }, IN_A, true>),*],
            ],
        ];
        /// `Op::JumpCmp` by the operand read from the accumulator
        /// (`IN_*`), direction (forward, backward) and operator.
        pub(super) static JUMP_CMP: [[&[OpHandler]; 2]; 3] = [
            [
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, false, IN_NONE>)),*],
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, true, IN_NONE>)),*],
            ],
            [
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, false, IN_A>)),*],
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, true, IN_A>)),*],
            ],
            [
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, false, IN_B>)),*],
                &[$(jump_only!($name, jump_cmp::<{ BinFn::$name as usize }, true, IN_B>)),*],
            ],
        ];
        /// `Op::JumpCmpI` by the operand read from the accumulator
        /// (`IN_NONE`, `IN_A`), direction and operator.
        pub(super) static JUMP_CMP_I: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(jump_only!($name, jump_cmp_i::<{ BinFn::$name as usize }, false, IN_NONE>)),*],
                &[$(jump_only!($name, jump_cmp_i::<{ BinFn::$name as usize }, true, IN_NONE>)),*],
            ],
            [
                &[$(jump_only!($name, jump_cmp_i::<{ BinFn::$name as usize }, false, IN_A>)),*],
                &[$(jump_only!($name, jump_cmp_i::<{ BinFn::$name as usize }, true, IN_A>)),*],
            ],
        ];
        /// `Op::JumpCmpK` by the operand read from the accumulator
        /// (`IN_NONE`, `IN_A`), direction and operator.
        pub(super) static JUMP_CMP_K: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(jump_only!($name, jump_cmp_k::<{ BinFn::$name as usize }, false, IN_NONE>)),*],
                &[$(jump_only!($name, jump_cmp_k::<{ BinFn::$name as usize }, true, IN_NONE>)),*],
            ],
            [
                &[$(jump_only!($name, jump_cmp_k::<{ BinFn::$name as usize }, false, IN_A>)),*],
                &[$(jump_only!($name, jump_cmp_k::<{ BinFn::$name as usize }, true, IN_A>)),*],
            ],
        ];
    };
}
crate::ops::num::for_each_bin_fn!(bin_tables);

macro_rules! un_table {
    ($($name:ident |$a:ident: $t:ty| $e:expr;)*) => {
        /// `Op::Un` by the operand read from the accumulator (`IN_NONE`,
        /// `IN_A`), whether the result goes to it, and operator.
        pub(super) static UN: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(un::<{ UnFn::$name as usize }, IN_NONE, false>),*],
                &[$(un::<{ UnFn::$name as usize }, IN_NONE, true>),*],
            ],
            [
                &[$(un::<{ UnFn::$name as usize }, IN_A, false>),*],
                &[$(un::<{ UnFn::$name as usize }, IN_A, true>),*],
            ],
        ];
    };
}
crate::ops::num::for_each_un_fn!(un_table);

macro_rules! trap_table {
    ($($name:ident)*) => {
        /// `Op::Trapping` by operator.
        pub(super) static TRAPPING: &[OpHandler] = &[$(trapping::<{ TrapFn::$name as usize }>),*];
    };
}
crate::ops::num::for_each_trap_fn!(trap_table);

macro_rules! simd_table {
    ($($name:ident)*) => {
        /// `Op::SimdBin` by operator.
        pub(super) static SIMD_BIN: &[OpHandler] =
            &[$(simd_bin::<{ SimdBinFn::$name as usize }>),*];
    };
}
crate::ops::simd::for_each_simd_bin_fn!(simd_table);

/// The tables of the loads and stores, by width in `LoadFn::ALL`'s and
/// `StoreFn::ALL`'s order.
macro_rules! mem_tables {
    (load: $($l:ident)*; store: $($s:ident)*;) => {
        /// `Op::Load` by the operand read from the accumulator (`IN_NONE`,
        /// `IN_A`), whether the result goes to it, and width.
        pub(super) static LOAD: [[&[OpHandler]; 2]; 2] = [
            [
                &[$(load::<{ LoadFn::$l as usize }, IN_NONE, false>),*],
                &[$(load::<{ LoadFn::$l as usize }, IN_NONE, true>),*],
            ],
            [
                &[$(load::<{ LoadFn::$l as usize }, IN_A, false>),*],
                &[$(load::<{ LoadFn::$l as usize }, IN_A, true>),*],
            ],
        ];
        /// `Op::Store` by the operand read from the accumulator (`IN_*`:
        /// the address or the value) and width.
        pub(super) static STORE: [&[OpHandler]; 3] = [
            &[$(store::<{ StoreFn::$s as usize }, IN_NONE>),*],
            &[$(store::<{ StoreFn::$s as usize }, IN_A>),*],
            &[$(store::<{ StoreFn::$s as usize }, IN_B>),*],
        ];
    };
}
mem_tables! {
    load: U32 U64 I8To32 U8 I16To32 U16 I8To64 I16To64 I32To64;
    store: U8 U16 U32 U64;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operator has its handler, at its own index.
    #[test]
    fn tables_cover_every_operator() {
        for t in BIN.iter().flatten().chain(BIN_I.iter().flatten()) {
            assert_eq!(t.len(), BinFn::ALL.len());
        }
        assert_eq!(IMM_BIN.len(), BinFn::ALL.len());
        for t in UN.iter().flatten() {
            assert_eq!(t.len(), UnFn::ALL.len());
        }
        let jumps = JUMP_CMP
            .iter()
            .chain(JUMP_CMP_I.iter())
            .chain(JUMP_CMP_K.iter());
        for t in jumps.flatten().chain(BIN_K.iter().flatten()) {
            assert_eq!(t.len(), BinFn::ALL.len());
        }
        assert_eq!(TRAPPING.len(), TrapFn::ALL.len());
        assert_eq!(SIMD_BIN.len(), SimdBinFn::ALL.len());
        for t in LOAD.iter().flatten() {
            assert_eq!(t.len(), LoadFn::ALL.len());
        }
        for t in STORE {
            assert_eq!(t.len(), StoreFn::ALL.len());
        }
        for (i, f) in BinFn::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
        }
        for (i, f) in LoadFn::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
        }
        for (i, f) in StoreFn::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
        }
    }
}
