//! The handlers of the operator-specialized ops, one per op of the list
//! `ir::for_each_specialized`, their bodies chosen by shape
//! (`shape_body!`): the only place that spells out what each shape does.

use super::*;

/// Defines the handler of each specialized op, by its shape (see
/// `op::shape`).
macro_rules! specialized_handlers {
    ($($name:ident $shape:ident $f:ident,)*) => {
        $(
            #[allow(non_snake_case, unused_mut, unused_variables, unreachable_code)]
            pub(super) fn $name(c: &mut Chain<'_, '_>, ip: Ip, mut sp: Sp, acc: Acc, fp: Sp, mem: *mut u8) -> Flow {
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
