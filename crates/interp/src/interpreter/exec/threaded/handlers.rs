//! The handlers of the plain ops: numbers, locals, branches, memory 0
//! through the cached raw view, common vector operators, and the helpers
//! they share. One function per op kind (`handlers!`), so that each has
//! its own indirect jump to predict.

use super::*;

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

/// A counted loop's step and test (`I32AddJumpLtU/S`): `x += c`, then a
/// jump to `to` while `x lt b` (`lt` the signed or unsigned comparison).
#[inline(always)]
pub(super) fn add_jump(
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
pub(super) fn vector_mul_add(sp: Sp, fp: Sp, a: u32, d: u32, mul: SimdBinFn, add: SimdBinFn) -> Sp {
    let sp = sp.wrapping_sub(4);
    let m = mul.call_bytes(vector!(sp), vector!(sp.wrapping_add(2)));
    let v = add.call_bytes(vector!(fp.wrapping_add(a as usize)), m);
    set_vector!(fp.wrapping_add(d as usize), v);
    sp
}

/// A loop index's step by a local and its test (`I32AddLJumpLtU/S`):
/// `x += y`, then a jump to `to` while `x lt b`.
#[inline(always)]
pub(super) fn add_l_jump(
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
pub(super) fn instr(
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
pub(super) fn address(base: u64, shift: u8, offset: u32) -> u64 {
    (base as u32).wrapping_shl(shift as u32) as u64 + offset as u64
}

/// The effective address of a `LoadB`: `base` plus `index` shifted left by
/// `shift` (wrapping, as `i32.add`), plus `offset`.
#[inline(always)]
pub(super) fn based_address(base: u64, index: u64, shift: u8, offset: u32) -> u64 {
    let index = (index as u32).wrapping_shl(shift as u32);
    (base as u32).wrapping_add(index) as u64 + offset as u64
}
