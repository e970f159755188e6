//! SIMD (`v128`) instructions compiled inline with SSE2 to SSE4.1.
//!
//! A child module of `compile.rs` (it extends `FnCompiler`), reached from
//! its instruction dispatch through [`FnCompiler::simd`], which says
//! whether it compiled the instruction. Every instruction of SIMD and
//! relaxed SIMD is compiled here, except where the machine or the memory
//! does not allow it: with no SSE4.1 on the machine, a vector access to
//! a memory other than a 32-bit memory 0 (or with an offset from 2^31),
//! and the signed `i64x2` orderings without SSE4.2 (`pcmpgtq`) go on to
//! `helpers::instr`, the interpreter's semantics on the operand slots.
//!
//! Every lowering computes exactly what `crate::ops::simd` computes, bit
//! for bit, NaNs included where the interpreter fixes them: `f32x4.min`
//! and its kin give `a + b` (the hardware's NaN propagation, as the
//! interpreter's `min32` does) in lanes with a NaN and order -0 below +0,
//! which bare `minps` does not; `pmin`/`pmax` are `minps`/`maxps` with
//! the operands swapped (their definitions are the instructions'); shift
//! counts are taken modulo the lane width; the swizzle's indexes from 16
//! up select 0.
//!
//! Values: a `v128` lives in an SSE register or its 16-byte slot, as the
//! value stack allows. xmm0 and xmm15 are scratch (the stack's moves use
//! xmm0 and rax, so scratch values are made only once every operand is in
//! its register); an operation that needs a third register takes one from
//! the allocator for its duration. Constant vectors are loaded from
//! memory: the lowerings' own from statics, a `v128.const`'s and a
//! shuffle's masks from a copy in the function's data, which lives as
//! long as its code.

use dynasmrt::x64::X64Relocation;
use dynasmrt::{DynasmApi, DynasmLabelApi, VecAssembler, dynasm};
use weft_ast::{Instr, MemArg};

use super::{Cond, FnCompiler};
use crate::jit::ctx::off;
use crate::jit::entry::TrapCode;
use crate::jit::stack::{Loc, Reg};

type A = VecAssembler<X64Relocation>;

/// A vector constant, aligned as a vector.
#[repr(C, align(16))]
struct K([u64; 2]);

macro_rules! splats {
    ($($name:ident = $c:expr;)*) => {$(
        /// The 64-bit pattern in both halves.
        static $name: K = K([$c, $c]);
    )*};
}
splats! {
    SWIZZLE_BIAS = 0x7070_7070_7070_7070;
    NIBBLES = 0x0f0f_0f0f_0f0f_0f0f;
    I16_SIGNS = 0x8000_8000_8000_8000;
    I8_ONES = 0x0101_0101_0101_0101;
    I16_ONES = 0x0001_0001_0001_0001;
    I32_65536 = 0x0001_0000_0001_0000;
    F32_65536 = 0x4780_0000_4780_0000;
    F32X4_2P52_HI = 0x4330_0000_4330_0000;
    F64_2P52 = 0x4330_0000_0000_0000;
    F64_I32_MAX = 0x41df_ffff_ffc0_0000;
    F32_2P31 = 0x4f00_0000_4f00_0000;
    F64_U32_MAX = 0x41ef_ffff_ffe0_0000;
}

/// The number of ones in each nibble's value, by nibble (a `pshufb` table).
static POPCNT_NIBBLE: K = K([0x0302_0201_0201_0100, 0x0403_0302_0302_0201]);

/// Loads a constant vector into `x` (clobbers rax).
fn ld(a: &mut A, x: Reg, k: &'static K) {
    let p = k as *const K as i64;
    asm!(a; mov rax, QWORD p; movdqu Rx(x), [rax]);
}

/// All ones in xmm0, then `x` inverted with it.
fn not(a: &mut A, x: Reg) {
    asm!(a; pcmpeqd xmm0, xmm0; pxor Rx(x), xmm0);
}

/// Two registers' lanes combined into the first.
type Op2 = fn(&mut A, Reg, Reg);

/// One lane width's integer comparison primitives, from which `int_cmp`
/// builds all ten comparisons: equality, signed greater-than, and (for
/// the widths wasm compares unsigned) unsigned max and min.
struct LaneCmp {
    eq: Op2,
    gt: Op2,
    unsigned: Option<(Op2, Op2)>,
}

static I8_CMP: LaneCmp = LaneCmp {
    eq: |a, x, y| asm!(a; pcmpeqb Rx(x), Rx(y)),
    gt: |a, x, y| asm!(a; pcmpgtb Rx(x), Rx(y)),
    unsigned: Some((
        |a, x, y| asm!(a; pmaxub Rx(x), Rx(y)),
        |a, x, y| asm!(a; pminub Rx(x), Rx(y)),
    )),
};
static I16_CMP: LaneCmp = LaneCmp {
    eq: |a, x, y| asm!(a; pcmpeqw Rx(x), Rx(y)),
    gt: |a, x, y| asm!(a; pcmpgtw Rx(x), Rx(y)),
    unsigned: Some((
        |a, x, y| asm!(a; pmaxuw Rx(x), Rx(y)),
        |a, x, y| asm!(a; pminuw Rx(x), Rx(y)),
    )),
};
static I32_CMP: LaneCmp = LaneCmp {
    eq: |a, x, y| asm!(a; pcmpeqd Rx(x), Rx(y)),
    gt: |a, x, y| asm!(a; pcmpgtd Rx(x), Rx(y)),
    unsigned: Some((
        |a, x, y| asm!(a; pmaxud Rx(x), Rx(y)),
        |a, x, y| asm!(a; pminud Rx(x), Rx(y)),
    )),
};
/// `pcmpgtq` is SSE4.2: the caller checks for it.
static I64_CMP: LaneCmp = LaneCmp {
    eq: |a, x, y| asm!(a; pcmpeqq Rx(x), Rx(y)),
    gt: |a, x, y| asm!(a; pcmpgtq Rx(x), Rx(y)),
    unsigned: None,
};

/// One float lane width's primitives, from which `float_min_max` builds
/// wasm's `min` and `max` (the `ps` or the `pd` form of each instruction).
struct FloatLanes {
    min: Op2,
    max: Op2,
    add: Op2,
    /// Ones in the lanes where either operand is a NaN (`cmp*` with 3).
    unordered: Op2,
    or: Op2,
    and: Op2,
    /// `x` takes `y`'s lanes where xmm0's lane has its top bit set.
    blend: Op2,
}

static F32_LANES: FloatLanes = FloatLanes {
    min: |a, x, y| asm!(a; minps Rx(x), Rx(y)),
    max: |a, x, y| asm!(a; maxps Rx(x), Rx(y)),
    add: |a, x, y| asm!(a; addps Rx(x), Rx(y)),
    unordered: |a, x, y| asm!(a; cmpps Rx(x), Rx(y), 3),
    or: |a, x, y| asm!(a; orps Rx(x), Rx(y)),
    and: |a, x, y| asm!(a; andps Rx(x), Rx(y)),
    blend: |a, x, y| asm!(a; blendvps Rx(x), Rx(y)),
};
static F64_LANES: FloatLanes = FloatLanes {
    min: |a, x, y| asm!(a; minpd Rx(x), Rx(y)),
    max: |a, x, y| asm!(a; maxpd Rx(x), Rx(y)),
    add: |a, x, y| asm!(a; addpd Rx(x), Rx(y)),
    unordered: |a, x, y| asm!(a; cmppd Rx(x), Rx(y), 3),
    or: |a, x, y| asm!(a; orpd Rx(x), Rx(y)),
    and: |a, x, y| asm!(a; andpd Rx(x), Rx(y)),
    blend: |a, x, y| asm!(a; blendvpd Rx(x), Rx(y)),
};

// The widenings of the low half's lanes (sign or zero extended, bytes to
// words, words to doublewords, doublewords to quadwords) and the
// multiplications the extended forms end with.
const SXBW: Op2 = |a, x, y| asm!(a; pmovsxbw Rx(x), Rx(y));
const ZXBW: Op2 = |a, x, y| asm!(a; pmovzxbw Rx(x), Rx(y));
const SXWD: Op2 = |a, x, y| asm!(a; pmovsxwd Rx(x), Rx(y));
const ZXWD: Op2 = |a, x, y| asm!(a; pmovzxwd Rx(x), Rx(y));
const SXDQ: Op2 = |a, x, y| asm!(a; pmovsxdq Rx(x), Rx(y));
const ZXDQ: Op2 = |a, x, y| asm!(a; pmovzxdq Rx(x), Rx(y));
const MULLW: Op2 = |a, x, y| asm!(a; pmullw Rx(x), Rx(y));
const MULLD: Op2 = |a, x, y| asm!(a; pmulld Rx(x), Rx(y));
const MULDQ: Op2 = |a, x, y| asm!(a; pmuldq Rx(x), Rx(y));
const MULUDQ: Op2 = |a, x, y| asm!(a; pmuludq Rx(x), Rx(y));

/// Moves the high 64 bits of `x` down (for the `high` forms, which then
/// widen like the low ones).
fn high_half(a: &mut A, x: Reg) {
    asm!(a; pshufd Rx(x), Rx(x), 0xeeu8 as i8);
}

/// An integer lane comparison.
#[derive(Clone, Copy)]
enum Cmp {
    Eq,
    Ne,
    LtS,
    GtS,
    LeS,
    GeS,
    LtU,
    GtU,
    LeU,
    GeU,
}

/// The bytes of a shuffle mask: the lane of `lanes` taken from the vector
/// whose lanes start at `from` (0 or 16), 0x80 (a zero) for the others.
fn shuffle_mask(lanes: &[u8; 16], from: u8) -> (u64, u64) {
    let mut b = [0x80u8; 16];
    for (i, &l) in lanes.iter().enumerate() {
        let l = l & 31;
        if (from..from + 16).contains(&l) {
            b[i] = l - from;
        }
    }
    let lo = u64::from_le_bytes(b[..8].try_into().unwrap_or_default());
    let hi = u64::from_le_bytes(b[8..].try_into().unwrap_or_default());
    (lo, hi)
}

impl FnCompiler<'_> {
    /// Pops two vectors into registers the caller owns: (left, right).
    fn v2(&mut self) -> (Reg, Reg) {
        let b = self.vs.pop();
        let x = self.vs.pop();
        let xb = self.vs.in_xmm(b, &mut self.asm);
        let xa = self.vs.in_xmm(x, &mut self.asm);
        (xa, xb)
    }

    /// A binary operation whose result is in the left operand's register.
    fn vbin(&mut self, f: impl FnOnce(&mut A, Reg, Reg)) {
        let (xa, xb) = self.v2();
        f(&mut self.asm.a, xa, xb);
        self.vs.free(Loc::Xmm(xb));
        self.vs.push(Loc::Xmm(xa), true);
    }

    /// A binary operation whose result is in the right operand's register.
    fn vbin_rev(&mut self, f: impl FnOnce(&mut A, Reg, Reg)) {
        let (xa, xb) = self.v2();
        f(&mut self.asm.a, xa, xb);
        self.vs.free(Loc::Xmm(xa));
        self.vs.push(Loc::Xmm(xb), true);
    }

    /// An integer lane comparison from its width's primitives: eq and
    /// signed gt are instructions; ne, le and ge their complements or
    /// mirrors; an unsigned ordering compares the operand with the lanes'
    /// unsigned max or min (`x >= y` exactly when `max(x, y) == x`).
    /// `None` for an unsigned comparison of a width without one.
    fn int_cmp(&mut self, k: &LaneCmp, c: Cmp) -> Option<()> {
        const T: Reg = 0; // xmm0, the scratch register
        let (eq, gt) = (k.eq, k.gt);
        match c {
            Cmp::Eq => self.vbin(eq),
            Cmp::Ne => self.vbin(|a, x, y| {
                eq(a, x, y);
                not(a, x);
            }),
            Cmp::GtS => self.vbin(gt),
            Cmp::LtS => self.vbin_rev(|a, x, y| gt(a, y, x)),
            Cmp::LeS => self.vbin(|a, x, y| {
                gt(a, x, y);
                not(a, x);
            }),
            Cmp::GeS => self.vbin_rev(|a, x, y| {
                gt(a, y, x);
                not(a, y);
            }),
            Cmp::GeU | Cmp::LeU | Cmp::GtU | Cmp::LtU => {
                let (max, min) = k.unsigned?;
                let (bound, negate) = match c {
                    Cmp::GeU => (max, false),
                    Cmp::LeU => (min, false),
                    Cmp::GtU => (min, true),
                    _ => (max, true),
                };
                self.vbin(|a, x, y| {
                    asm!(a; movaps xmm0, Rx(x));
                    bound(a, T, y);
                    eq(a, x, T);
                    if negate {
                        not(a, x);
                    }
                });
            }
        }
        Some(())
    }

    /// wasm's lane-wise `min` (or `max`): the instruction both ways round,
    /// or'd (and'd for max) so that -0 is below +0 where the two are
    /// equal, and in lanes with a NaN, `a + b` (a NaN, as the
    /// interpreter's `min32` gives).
    fn float_min_max(&mut self, k: &FloatLanes, max: bool) {
        const NAN_SUM: Reg = 15;
        const MASK: Reg = 0;
        let (pick, combine) = if max { (k.max, k.and) } else { (k.min, k.or) };
        self.vbin_t(|a, x, y, t| {
            asm!(a; movaps Rx(t), Rx(y));
            pick(a, t, x);
            asm!(a; movaps Rx(NAN_SUM), Rx(x));
            (k.add)(a, NAN_SUM, y);
            asm!(a; movaps Rx(MASK), Rx(x));
            (k.unordered)(a, MASK, y);
            pick(a, x, y);
            combine(a, x, t);
            (k.blend)(a, x, NAN_SUM);
        })
    }

    /// `extend_low` (or `_high`): the half's lanes widened in place.
    fn extend(&mut self, high: bool, widen: Op2) {
        self.vun(|a, x| {
            if high {
                high_half(a, x);
            }
            widen(a, x, x);
        })
    }

    /// `extmul_low` (or `_high`): both operands' halves widened, then
    /// multiplied lane by lane.
    fn extmul(&mut self, high: bool, widen: Op2, mul: Op2) {
        self.vbin(|a, x, y| {
            for r in [x, y] {
                if high {
                    high_half(a, r);
                }
                widen(a, r, r);
            }
            mul(a, x, y);
        })
    }

    /// i64x2's `extmul`: the half's two 32-bit lanes moved to the even
    /// places that `pmuldq`/`pmuludq` read, then multiplied to 64 bits.
    fn extmul_even(&mut self, high: bool, mul: Op2) {
        let order = if high { 0xfau8 as i8 } else { 0x50 };
        self.vbin(|a, x, y| {
            asm!(a; pshufd Rx(x), Rx(x), order; pshufd Rx(y), Rx(y), order);
            mul(a, x, y);
        })
    }

    /// A binary operation with a third register of its own: `f(a, x, y,
    /// t)`, the result in `x`.
    fn vbin_t(&mut self, f: impl FnOnce(&mut A, Reg, Reg, Reg)) {
        let (xa, xb) = self.v2();
        let t = self.vs.alloc_xmm(&mut self.asm);
        f(&mut self.asm.a, xa, xb, t);
        self.vs.free(Loc::Xmm(t));
        self.vs.free(Loc::Xmm(xb));
        self.vs.push(Loc::Xmm(xa), true);
    }

    /// A unary operation on a vector (or a scalar taken into an SSE
    /// register, for the splats), the result a vector in its register.
    fn vun(&mut self, f: impl FnOnce(&mut A, Reg)) {
        let x = self.vs.pop();
        let r = self.vs.in_xmm(x, &mut self.asm);
        f(&mut self.asm.a, r);
        self.vs.push(Loc::Xmm(r), true);
    }

    /// A unary operation with a third register of its own.
    fn vun_t(&mut self, f: impl FnOnce(&mut A, Reg, Reg)) {
        let x = self.vs.pop();
        let r = self.vs.in_xmm(x, &mut self.asm);
        let t = self.vs.alloc_xmm(&mut self.asm);
        f(&mut self.asm.a, r, t);
        self.vs.free(Loc::Xmm(t));
        self.vs.push(Loc::Xmm(r), true);
    }

    /// A vector to an `i32` in a general-purpose register.
    fn vto_gpr(&mut self, f: impl FnOnce(&mut A, Reg, Reg)) {
        let x = self.vs.pop();
        let v = self.vs.in_xmm(x, &mut self.asm);
        let r = self.vs.alloc_gpr(&mut self.asm);
        f(&mut self.asm.a, r, v);
        self.vs.free(Loc::Xmm(v));
        self.vs.push(Loc::Gpr(r), false);
    }

    /// A vector test setting the flags: kept for a following
    /// `br_if`/`if`, else an `i32`.
    fn vtest(&mut self, c: Cond, fuse: bool, f: impl FnOnce(&mut A, Reg)) {
        let x = self.vs.pop();
        let v = self.vs.in_xmm(x, &mut self.asm);
        f(&mut self.asm.a, v);
        self.vs.free(Loc::Xmm(v));
        self.push_cond(c, fuse);
    }

    /// A lane replaced by a scalar (`i64` wide or not).
    fn vreplace(&mut self, f: impl FnOnce(&mut A, Reg, Reg)) {
        let s = self.vs.pop();
        let x = self.vs.pop();
        let v = self.vs.in_xmm(x, &mut self.asm);
        let r = self.vs.in_gpr(s, &mut self.asm);
        f(&mut self.asm.a, v, r);
        self.vs.free(Loc::Gpr(r));
        self.vs.push(Loc::Xmm(v), true);
    }

    /// A shift: the count (modulo `bits`, plus `add`) in xmm0, then
    /// `f(a, x)` shifts `x` by it.
    fn vshift(&mut self, bits: u32, add: u32, f: impl FnOnce(&mut A, Reg)) {
        let n = self.vs.pop();
        let x = self.vs.pop();
        let v = self.vs.in_xmm(x, &mut self.asm);
        match n.loc {
            Loc::Const(c) => {
                let k = (c as u32 % bits + add) as i32;
                asm!(self.asm.a; mov eax, k);
            }
            _ => {
                let r = self.vs.in_gpr(n, &mut self.asm);
                asm!(self.asm.a; mov eax, Rd(r); and eax, (bits - 1) as i32);
                if add != 0 {
                    asm!(self.asm.a; add eax, add as i32);
                }
                self.vs.free(Loc::Gpr(r));
            }
        }
        asm!(self.asm.a; movd xmm0, eax);
        f(&mut self.asm.a, v);
        self.vs.push(Loc::Xmm(v), true);
    }

    /// The effective address of an access of `size` bytes at the address
    /// in `ra` and the static offset `o`, bounds-checked against memory
    /// 0's length as the scalar accesses do: it is then `[rdx + rcx]`.
    fn vaddr(&mut self, ra: Reg, o: i32, size: i32) {
        let oob = self.trap(TrapCode::OutOfBounds);
        asm!(self.asm.a
            ; mov Rd(ra), Rd(ra)
            ; lea rcx, [Rq(ra) + o]
            ; lea rax, [rcx + size]
            ; cmp rax, [r15 + off::MEM0_LEN]
            ; ja =>oob
            ; mov rdx, [r15 + off::MEM0_BASE]
        );
    }

    /// The vector loads and stores of a 32-bit memory 0; `Some(false)` for
    /// another memory (or an offset too large for a displacement).
    fn vmemory(&mut self, i: &Instr, m: MemArg) -> Option<bool> {
        use Instr::*;
        if m.memory != 0 || !self.env.mem0_32 || m.offset > i32::MAX as u64 {
            return Some(false);
        }
        let o = m.offset as i32;
        match i {
            V128Store { .. }
            | V128Store8Lane { .. }
            | V128Store16Lane { .. }
            | V128Store32Lane { .. }
            | V128Store64Lane { .. } => {
                let v = self.vs.pop();
                let addr = self.vs.pop();
                let x = self.vs.in_xmm(v, &mut self.asm);
                let ra = self.vs.in_gpr(addr, &mut self.asm);
                let (size, l) = match i {
                    V128Store8Lane { lane, .. } => (1, *lane as i8 & 15),
                    V128Store16Lane { lane, .. } => (2, *lane as i8 & 7),
                    V128Store32Lane { lane, .. } => (4, *lane as i8 & 3),
                    V128Store64Lane { lane, .. } => (8, *lane as i8 & 1),
                    _ => (16, 0),
                };
                self.vaddr(ra, o, size);
                let a = &mut self.asm.a;
                match size {
                    1 => asm!(a; pextrb BYTE [rdx + rcx], Rx(x), l),
                    2 => asm!(a; pextrw WORD [rdx + rcx], Rx(x), l),
                    4 => asm!(a; pextrd DWORD [rdx + rcx], Rx(x), l),
                    8 => asm!(a; pextrq QWORD [rdx + rcx], Rx(x), l),
                    _ => asm!(a; movdqu [rdx + rcx], Rx(x)),
                }
                self.vs.free(Loc::Xmm(x));
                self.vs.free(Loc::Gpr(ra));
            }
            V128Load8Lane { lane, .. }
            | V128Load16Lane { lane, .. }
            | V128Load32Lane { lane, .. }
            | V128Load64Lane { lane, .. } => {
                let v = self.vs.pop();
                let addr = self.vs.pop();
                let x = self.vs.in_xmm(v, &mut self.asm);
                let ra = self.vs.in_gpr(addr, &mut self.asm);
                let size = match i {
                    V128Load8Lane { .. } => 1,
                    V128Load16Lane { .. } => 2,
                    V128Load32Lane { .. } => 4,
                    _ => 8,
                };
                let l = (*lane as i32 & (16 / size - 1)) as i8;
                self.vaddr(ra, o, size);
                let a = &mut self.asm.a;
                match size {
                    1 => asm!(a; pinsrb Rx(x), BYTE [rdx + rcx], l),
                    2 => asm!(a; pinsrw Rx(x), WORD [rdx + rcx], l),
                    4 => asm!(a; pinsrd Rx(x), DWORD [rdx + rcx], l),
                    _ => asm!(a; pinsrq Rx(x), QWORD [rdx + rcx], l),
                }
                self.vs.free(Loc::Gpr(ra));
                self.vs.push(Loc::Xmm(x), true);
            }
            _ => {
                let size = match i {
                    V128Load { .. } => 16,
                    V128Load8x8S { .. }
                    | V128Load8x8U { .. }
                    | V128Load16x4S { .. }
                    | V128Load16x4U { .. }
                    | V128Load32x2S { .. }
                    | V128Load32x2U { .. }
                    | V128Load64Splat { .. }
                    | V128Load64Zero { .. } => 8,
                    V128Load32Splat { .. } | V128Load32Zero { .. } => 4,
                    V128Load16Splat { .. } => 2,
                    V128Load8Splat { .. } => 1,
                    _ => return Some(false),
                };
                let addr = self.vs.pop();
                let ra = self.vs.in_gpr(addr, &mut self.asm);
                let x = self.vs.alloc_xmm(&mut self.asm);
                self.vaddr(ra, o, size);
                let a = &mut self.asm.a;
                match i {
                    V128Load { .. } => asm!(a; movdqu Rx(x), [rdx + rcx]),
                    V128Load8x8S { .. } => asm!(a; pmovsxbw Rx(x), QWORD [rdx + rcx]),
                    V128Load8x8U { .. } => asm!(a; pmovzxbw Rx(x), QWORD [rdx + rcx]),
                    V128Load16x4S { .. } => asm!(a; pmovsxwd Rx(x), QWORD [rdx + rcx]),
                    V128Load16x4U { .. } => asm!(a; pmovzxwd Rx(x), QWORD [rdx + rcx]),
                    V128Load32x2S { .. } => asm!(a; pmovsxdq Rx(x), QWORD [rdx + rcx]),
                    V128Load32x2U { .. } => asm!(a; pmovzxdq Rx(x), QWORD [rdx + rcx]),
                    V128Load64Splat { .. } => {
                        asm!(a; movq Rx(x), QWORD [rdx + rcx]; punpcklqdq Rx(x), Rx(x))
                    }
                    V128Load64Zero { .. } => asm!(a; movq Rx(x), QWORD [rdx + rcx]),
                    V128Load32Splat { .. } => {
                        asm!(a; movd Rx(x), DWORD [rdx + rcx]; pshufd Rx(x), Rx(x), 0)
                    }
                    V128Load32Zero { .. } => asm!(a; movd Rx(x), DWORD [rdx + rcx]),
                    V128Load16Splat { .. } => asm!(a
                        ; movzx eax, WORD [rdx + rcx]
                        ; movd Rx(x), eax
                        ; pshuflw Rx(x), Rx(x), 0
                        ; pshufd Rx(x), Rx(x), 0
                    ),
                    _ => asm!(a
                        ; movzx eax, BYTE [rdx + rcx]
                        ; movd Rx(x), eax
                        ; pxor xmm0, xmm0
                        ; pshufb Rx(x), xmm0
                    ),
                }
                self.vs.free(Loc::Gpr(ra));
                self.vs.push(Loc::Xmm(x), true);
            }
        }
        Some(true)
    }

    /// `v128.const`: zero and all ones made in the register, any other
    /// loaded from a copy kept with the code (SSE2 only).
    pub(super) fn v128_const(&mut self, b: [u8; 16]) {
        let x = self.vs.alloc_xmm(&mut self.asm);
        if b == [0; 16] {
            asm!(self.asm.a; pxor Rx(x), Rx(x));
        } else if b == [0xff; 16] {
            asm!(self.asm.a; pcmpeqd Rx(x), Rx(x));
        } else {
            let words: Box<[u32]> = b
                .chunks_exact(4)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
                .collect();
            let p = words.as_ptr() as i64;
            self.data.push(words);
            asm!(self.asm.a; mov rax, QWORD p; movdqu Rx(x), [rax]);
        }
        self.vs.push(Loc::Xmm(x), true);
    }

    /// Translates a vector instruction inline; `Some(false)` if `i` is not
    /// one compiled so (it then runs through `helpers::instr`).
    pub(super) fn simd(&mut self, i: &Instr, fuse: bool) -> Option<bool> {
        use Instr::*;
        if !self.env.sse41 {
            return Some(false);
        }
        if let Some(m) = i.memarg() {
            return match i {
                V128Load { .. }
                | V128Load8x8S { .. }
                | V128Load8x8U { .. }
                | V128Load16x4S { .. }
                | V128Load16x4U { .. }
                | V128Load32x2S { .. }
                | V128Load32x2U { .. }
                | V128Load8Splat { .. }
                | V128Load16Splat { .. }
                | V128Load32Splat { .. }
                | V128Load64Splat { .. }
                | V128Load32Zero { .. }
                | V128Load64Zero { .. }
                | V128Load8Lane { .. }
                | V128Load16Lane { .. }
                | V128Load32Lane { .. }
                | V128Load64Lane { .. }
                | V128Store { .. }
                | V128Store8Lane { .. }
                | V128Store16Lane { .. }
                | V128Store32Lane { .. }
                | V128Store64Lane { .. } => self.vmemory(i, m),
                _ => Some(false),
            };
        }
        match i {
            // Splats: the scalar into an SSE register, then spread.
            I8x16Splat => {
                self.vun(|a, x| asm!(a; pxor xmm0, xmm0; pshufb Rx(x), xmm0));
            }
            I16x8Splat => self.vun(|a, x| asm!(a; pshuflw Rx(x), Rx(x), 0; pshufd Rx(x), Rx(x), 0)),
            I32x4Splat | F32x4Splat => self.vun(|a, x| asm!(a; pshufd Rx(x), Rx(x), 0)),
            I64x2Splat | F64x2Splat => self.vun(|a, x| asm!(a; punpcklqdq Rx(x), Rx(x))),
            // Lanes out, zero- or sign-extended as the interpreter pushes
            // them (a float lane as its bits).
            I8x16ExtractLaneS { lane } => {
                let l = (*lane & 15) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrb eax, Rx(v), l; movsx Rd(r), al));
            }
            I8x16ExtractLaneU { lane } => {
                let l = (*lane & 15) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrb Rd(r), Rx(v), l));
            }
            I16x8ExtractLaneS { lane } => {
                let l = (*lane & 7) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrw eax, Rx(v), l; movsx Rd(r), ax));
            }
            I16x8ExtractLaneU { lane } => {
                let l = (*lane & 7) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrw Rd(r), Rx(v), l));
            }
            I32x4ExtractLane { lane } | F32x4ExtractLane { lane } => {
                let l = (*lane & 3) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrd Rd(r), Rx(v), l));
            }
            I64x2ExtractLane { lane } | F64x2ExtractLane { lane } => {
                let l = (*lane & 1) as i8;
                self.vto_gpr(|a, r, v| asm!(a; pextrq Rq(r), Rx(v), l));
            }
            I8x16ReplaceLane { lane } => {
                let l = (*lane & 15) as i8;
                self.vreplace(|a, v, r| asm!(a; pinsrb Rx(v), Rd(r), l));
            }
            I16x8ReplaceLane { lane } => {
                let l = (*lane & 7) as i8;
                self.vreplace(|a, v, r| asm!(a; pinsrw Rx(v), Rd(r), l));
            }
            I32x4ReplaceLane { lane } | F32x4ReplaceLane { lane } => {
                let l = (*lane & 3) as i8;
                self.vreplace(|a, v, r| asm!(a; pinsrd Rx(v), Rd(r), l));
            }
            I64x2ReplaceLane { lane } | F64x2ReplaceLane { lane } => {
                let l = (*lane & 1) as i8;
                self.vreplace(|a, v, r| asm!(a; pinsrq Rx(v), Rq(r), l));
            }
            I8x16Shuffle { lanes } => {
                let (alo, ahi) = shuffle_mask(&lanes.0, 0);
                let (blo, bhi) = shuffle_mask(&lanes.0, 16);
                let none = 0x8080_8080_8080_8080;
                let from_a = (alo, ahi) != (none, none);
                let from_b = (blo, bhi) != (none, none);
                // The two masks, kept with the code.
                let words = [alo, ahi, blo, bhi].map(|w| [w as u32, (w >> 32) as u32]);
                let masks: Box<[u32]> = words.as_flattened().into();
                let p = masks.as_ptr() as i64;
                self.data.push(masks);
                self.vbin(|a, x, y| {
                    asm!(a; mov rax, QWORD p; movdqu xmm0, [rax]; pshufb Rx(x), xmm0);
                    if from_b {
                        asm!(a; movdqu xmm0, [rax + 16]; pshufb Rx(y), xmm0);
                        if from_a {
                            asm!(a; por Rx(x), Rx(y));
                        } else {
                            asm!(a; movaps Rx(x), Rx(y));
                        }
                    }
                });
            }
            // Indexes from 16 up get the top bit (a zero) by a saturating
            // add of 0x70; those below keep their low four bits.
            I8x16Swizzle | I8x16RelaxedSwizzle => self.vbin(|a, x, y| {
                ld(a, 0, &SWIZZLE_BIAS);
                asm!(a; paddusb xmm0, Rx(y); pshufb Rx(x), xmm0);
            }),
            // Integer comparisons, from each width's primitives (`int_cmp`).
            I8x16Eq => self.int_cmp(&I8_CMP, Cmp::Eq)?,
            I8x16Ne => self.int_cmp(&I8_CMP, Cmp::Ne)?,
            I8x16LtS => self.int_cmp(&I8_CMP, Cmp::LtS)?,
            I8x16GtS => self.int_cmp(&I8_CMP, Cmp::GtS)?,
            I8x16LeS => self.int_cmp(&I8_CMP, Cmp::LeS)?,
            I8x16GeS => self.int_cmp(&I8_CMP, Cmp::GeS)?,
            I8x16LtU => self.int_cmp(&I8_CMP, Cmp::LtU)?,
            I8x16GtU => self.int_cmp(&I8_CMP, Cmp::GtU)?,
            I8x16LeU => self.int_cmp(&I8_CMP, Cmp::LeU)?,
            I8x16GeU => self.int_cmp(&I8_CMP, Cmp::GeU)?,
            I16x8Eq => self.int_cmp(&I16_CMP, Cmp::Eq)?,
            I16x8Ne => self.int_cmp(&I16_CMP, Cmp::Ne)?,
            I16x8LtS => self.int_cmp(&I16_CMP, Cmp::LtS)?,
            I16x8GtS => self.int_cmp(&I16_CMP, Cmp::GtS)?,
            I16x8LeS => self.int_cmp(&I16_CMP, Cmp::LeS)?,
            I16x8GeS => self.int_cmp(&I16_CMP, Cmp::GeS)?,
            I16x8LtU => self.int_cmp(&I16_CMP, Cmp::LtU)?,
            I16x8GtU => self.int_cmp(&I16_CMP, Cmp::GtU)?,
            I16x8LeU => self.int_cmp(&I16_CMP, Cmp::LeU)?,
            I16x8GeU => self.int_cmp(&I16_CMP, Cmp::GeU)?,
            I32x4Eq => self.int_cmp(&I32_CMP, Cmp::Eq)?,
            I32x4Ne => self.int_cmp(&I32_CMP, Cmp::Ne)?,
            I32x4LtS => self.int_cmp(&I32_CMP, Cmp::LtS)?,
            I32x4GtS => self.int_cmp(&I32_CMP, Cmp::GtS)?,
            I32x4LeS => self.int_cmp(&I32_CMP, Cmp::LeS)?,
            I32x4GeS => self.int_cmp(&I32_CMP, Cmp::GeS)?,
            I32x4LtU => self.int_cmp(&I32_CMP, Cmp::LtU)?,
            I32x4GtU => self.int_cmp(&I32_CMP, Cmp::GtU)?,
            I32x4LeU => self.int_cmp(&I32_CMP, Cmp::LeU)?,
            I32x4GeU => self.int_cmp(&I32_CMP, Cmp::GeU)?,
            I64x2Eq => self.int_cmp(&I64_CMP, Cmp::Eq)?,
            I64x2Ne => self.int_cmp(&I64_CMP, Cmp::Ne)?,
            // pcmpgtq is SSE4.2.
            I64x2GtS | I64x2LtS | I64x2LeS | I64x2GeS
                if !std::is_x86_feature_detected!("sse4.2") =>
            {
                return Some(false);
            }
            I64x2LtS => self.int_cmp(&I64_CMP, Cmp::LtS)?,
            I64x2GtS => self.int_cmp(&I64_CMP, Cmp::GtS)?,
            I64x2LeS => self.int_cmp(&I64_CMP, Cmp::LeS)?,
            I64x2GeS => self.int_cmp(&I64_CMP, Cmp::GeS)?,
            // Float comparisons: cmpps's predicates are the spec's (ne is
            // the unordered one, true with a NaN); gt and ge mirror lt and
            // le.
            F32x4Eq => self.vbin(|a, x, y| asm!(a; cmpps Rx(x), Rx(y), 0)),
            F32x4Ne => self.vbin(|a, x, y| asm!(a; cmpps Rx(x), Rx(y), 4)),
            F32x4Lt => self.vbin(|a, x, y| asm!(a; cmpps Rx(x), Rx(y), 1)),
            F32x4Le => self.vbin(|a, x, y| asm!(a; cmpps Rx(x), Rx(y), 2)),
            F32x4Gt => self.vbin_rev(|a, x, y| asm!(a; cmpps Rx(y), Rx(x), 1)),
            F32x4Ge => self.vbin_rev(|a, x, y| asm!(a; cmpps Rx(y), Rx(x), 2)),
            F64x2Eq => self.vbin(|a, x, y| asm!(a; cmppd Rx(x), Rx(y), 0)),
            F64x2Ne => self.vbin(|a, x, y| asm!(a; cmppd Rx(x), Rx(y), 4)),
            F64x2Lt => self.vbin(|a, x, y| asm!(a; cmppd Rx(x), Rx(y), 1)),
            F64x2Le => self.vbin(|a, x, y| asm!(a; cmppd Rx(x), Rx(y), 2)),
            F64x2Gt => self.vbin_rev(|a, x, y| asm!(a; cmppd Rx(y), Rx(x), 1)),
            F64x2Ge => self.vbin_rev(|a, x, y| asm!(a; cmppd Rx(y), Rx(x), 2)),
            // Bitwise.
            V128Not => self.vun(not),
            V128And => self.vbin(|a, x, y| asm!(a; pand Rx(x), Rx(y))),
            V128Or => self.vbin(|a, x, y| asm!(a; por Rx(x), Rx(y))),
            V128Xor => self.vbin(|a, x, y| asm!(a; pxor Rx(x), Rx(y))),
            // pandn inverts its destination: b's register gets a & !b.
            V128AndNot => self.vbin_rev(|a, x, y| asm!(a; pandn Rx(y), Rx(x))),
            V128Bitselect
            | I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect => {
                let c = self.vs.pop();
                let b = self.vs.pop();
                let x = self.vs.pop();
                let xc = self.vs.in_xmm(c, &mut self.asm);
                let xb = self.vs.in_xmm(b, &mut self.asm);
                let xa = self.vs.in_xmm(x, &mut self.asm);
                asm!(self.asm.a
                    ; pand Rx(xa), Rx(xc)
                    ; pandn Rx(xc), Rx(xb)
                    ; por Rx(xa), Rx(xc)
                );
                self.vs.free(Loc::Xmm(xb));
                self.vs.free(Loc::Xmm(xc));
                self.vs.push(Loc::Xmm(xa), true);
            }
            V128AnyTrue => self.vtest(Cond::Ne, fuse, |a, x| asm!(a; ptest Rx(x), Rx(x))),
            // All true: no lane equal to zero.
            I8x16AllTrue | I16x8AllTrue | I32x4AllTrue | I64x2AllTrue => {
                let w = match i {
                    I8x16AllTrue => 1,
                    I16x8AllTrue => 2,
                    I32x4AllTrue => 4,
                    _ => 8,
                };
                self.vtest(Cond::Eq, fuse, |a, x| {
                    asm!(a; pxor xmm0, xmm0);
                    match w {
                        1 => asm!(a; pcmpeqb xmm0, Rx(x)),
                        2 => asm!(a; pcmpeqw xmm0, Rx(x)),
                        4 => asm!(a; pcmpeqd xmm0, Rx(x)),
                        _ => asm!(a; pcmpeqq xmm0, Rx(x)),
                    }
                    asm!(a; ptest xmm0, xmm0);
                });
            }
            I8x16Bitmask => self.vto_gpr(|a, r, v| asm!(a; pmovmskb Rd(r), Rx(v))),
            I16x8Bitmask => self.vto_gpr(|a, r, v| {
                asm!(a
                    ; movaps xmm0, Rx(v)
                    ; packsswb xmm0, xmm0
                    ; pmovmskb Rd(r), xmm0
                    ; and Rd(r), 0xff
                )
            }),
            I32x4Bitmask => self.vto_gpr(|a, r, v| asm!(a; movmskps Rd(r), Rx(v))),
            I64x2Bitmask => self.vto_gpr(|a, r, v| asm!(a; movmskpd Rd(r), Rx(v))),
            // Integer arithmetic.
            I8x16Add => self.vbin(|a, x, y| asm!(a; paddb Rx(x), Rx(y))),
            I8x16Sub => self.vbin(|a, x, y| asm!(a; psubb Rx(x), Rx(y))),
            I16x8Add => self.vbin(|a, x, y| asm!(a; paddw Rx(x), Rx(y))),
            I16x8Sub => self.vbin(|a, x, y| asm!(a; psubw Rx(x), Rx(y))),
            I16x8Mul => self.vbin(|a, x, y| asm!(a; pmullw Rx(x), Rx(y))),
            I32x4Add => self.vbin(|a, x, y| asm!(a; paddd Rx(x), Rx(y))),
            I32x4Sub => self.vbin(|a, x, y| asm!(a; psubd Rx(x), Rx(y))),
            I32x4Mul => self.vbin(|a, x, y| asm!(a; pmulld Rx(x), Rx(y))),
            I64x2Add => self.vbin(|a, x, y| asm!(a; paddq Rx(x), Rx(y))),
            I64x2Sub => self.vbin(|a, x, y| asm!(a; psubq Rx(x), Rx(y))),
            // lo(a) lo(b) + (hi(a) lo(b) + lo(a) hi(b)) << 32.
            I64x2Mul => self.vbin(|a, x, y| {
                asm!(a
                    ; movaps xmm0, Rx(x)
                    ; psrlq xmm0, 32
                    ; pmuludq xmm0, Rx(y)
                    ; movaps xmm15, Rx(y)
                    ; psrlq xmm15, 32
                    ; pmuludq xmm15, Rx(x)
                    ; paddq xmm0, xmm15
                    ; psllq xmm0, 32
                    ; pmuludq Rx(x), Rx(y)
                    ; paddq Rx(x), xmm0
                )
            }),
            I8x16AddSatS => self.vbin(|a, x, y| asm!(a; paddsb Rx(x), Rx(y))),
            I8x16AddSatU => self.vbin(|a, x, y| asm!(a; paddusb Rx(x), Rx(y))),
            I8x16SubSatS => self.vbin(|a, x, y| asm!(a; psubsb Rx(x), Rx(y))),
            I8x16SubSatU => self.vbin(|a, x, y| asm!(a; psubusb Rx(x), Rx(y))),
            I16x8AddSatS => self.vbin(|a, x, y| asm!(a; paddsw Rx(x), Rx(y))),
            I16x8AddSatU => self.vbin(|a, x, y| asm!(a; paddusw Rx(x), Rx(y))),
            I16x8SubSatS => self.vbin(|a, x, y| asm!(a; psubsw Rx(x), Rx(y))),
            I16x8SubSatU => self.vbin(|a, x, y| asm!(a; psubusw Rx(x), Rx(y))),
            I8x16MinS => self.vbin(|a, x, y| asm!(a; pminsb Rx(x), Rx(y))),
            I8x16MinU => self.vbin(|a, x, y| asm!(a; pminub Rx(x), Rx(y))),
            I8x16MaxS => self.vbin(|a, x, y| asm!(a; pmaxsb Rx(x), Rx(y))),
            I8x16MaxU => self.vbin(|a, x, y| asm!(a; pmaxub Rx(x), Rx(y))),
            I16x8MinS => self.vbin(|a, x, y| asm!(a; pminsw Rx(x), Rx(y))),
            I16x8MinU => self.vbin(|a, x, y| asm!(a; pminuw Rx(x), Rx(y))),
            I16x8MaxS => self.vbin(|a, x, y| asm!(a; pmaxsw Rx(x), Rx(y))),
            I16x8MaxU => self.vbin(|a, x, y| asm!(a; pmaxuw Rx(x), Rx(y))),
            I32x4MinS => self.vbin(|a, x, y| asm!(a; pminsd Rx(x), Rx(y))),
            I32x4MinU => self.vbin(|a, x, y| asm!(a; pminud Rx(x), Rx(y))),
            I32x4MaxS => self.vbin(|a, x, y| asm!(a; pmaxsd Rx(x), Rx(y))),
            I32x4MaxU => self.vbin(|a, x, y| asm!(a; pmaxud Rx(x), Rx(y))),
            I8x16AvgrU => self.vbin(|a, x, y| asm!(a; pavgb Rx(x), Rx(y))),
            I16x8AvgrU => self.vbin(|a, x, y| asm!(a; pavgw Rx(x), Rx(y))),
            I8x16Abs => self.vun(|a, x| asm!(a; pabsb Rx(x), Rx(x))),
            I16x8Abs => self.vun(|a, x| asm!(a; pabsw Rx(x), Rx(x))),
            I32x4Abs => self.vun(|a, x| asm!(a; pabsd Rx(x), Rx(x))),
            // The sign of each lane spread over it, then (x ^ s) - s.
            I64x2Abs => self.vun(|a, x| {
                asm!(a
                    ; pshufd xmm0, Rx(x), 0xf5u8 as i8
                    ; psrad xmm0, 31
                    ; pxor Rx(x), xmm0
                    ; psubq Rx(x), xmm0
                )
            }),
            I8x16Neg => {
                self.vun(|a, x| asm!(a; pxor xmm0, xmm0; psubb xmm0, Rx(x); movaps Rx(x), xmm0))
            }
            I16x8Neg => {
                self.vun(|a, x| asm!(a; pxor xmm0, xmm0; psubw xmm0, Rx(x); movaps Rx(x), xmm0))
            }
            I32x4Neg => {
                self.vun(|a, x| asm!(a; pxor xmm0, xmm0; psubd xmm0, Rx(x); movaps Rx(x), xmm0))
            }
            I64x2Neg => {
                self.vun(|a, x| asm!(a; pxor xmm0, xmm0; psubq xmm0, Rx(x); movaps Rx(x), xmm0))
            }
            // A nibble table looked up for each half of each byte.
            I8x16Popcnt => self.vun_t(|a, x, t| {
                ld(a, 15, &NIBBLES);
                asm!(a
                    ; movaps xmm0, Rx(x)
                    ; psrlw xmm0, 4
                    ; pand xmm0, xmm15
                    ; pand Rx(x), xmm15
                );
                ld(a, t, &POPCNT_NIBBLE);
                asm!(a; pshufb Rx(t), Rx(x));
                ld(a, x, &POPCNT_NIBBLE);
                asm!(a; pshufb Rx(x), xmm0; paddb Rx(x), Rx(t));
            }),
            I16x8Q15MulrSatS | I16x8RelaxedQ15mulrS => self.vbin(|a, x, y| {
                // Only -1 * -1 rounds to 0x8000: it saturates to 0x7fff.
                asm!(a; pmulhrsw Rx(x), Rx(y));
                ld(a, 0, &I16_SIGNS);
                asm!(a; pcmpeqw xmm0, Rx(x); pxor Rx(x), xmm0);
            }),
            I8x16NarrowI16x8S => self.vbin(|a, x, y| asm!(a; packsswb Rx(x), Rx(y))),
            I8x16NarrowI16x8U => self.vbin(|a, x, y| asm!(a; packuswb Rx(x), Rx(y))),
            I16x8NarrowI32x4S => self.vbin(|a, x, y| asm!(a; packssdw Rx(x), Rx(y))),
            I16x8NarrowI32x4U => self.vbin(|a, x, y| asm!(a; packusdw Rx(x), Rx(y))),
            I16x8ExtendLowI8x16S => self.extend(false, SXBW),
            I16x8ExtendLowI8x16U => self.extend(false, ZXBW),
            I32x4ExtendLowI16x8S => self.extend(false, SXWD),
            I32x4ExtendLowI16x8U => self.extend(false, ZXWD),
            I64x2ExtendLowI32x4S => self.extend(false, SXDQ),
            I64x2ExtendLowI32x4U => self.extend(false, ZXDQ),
            I16x8ExtendHighI8x16S => self.extend(true, SXBW),
            I16x8ExtendHighI8x16U => self.extend(true, ZXBW),
            I32x4ExtendHighI16x8S => self.extend(true, SXWD),
            I32x4ExtendHighI16x8U => self.extend(true, ZXWD),
            I64x2ExtendHighI32x4S => self.extend(true, SXDQ),
            I64x2ExtendHighI32x4U => self.extend(true, ZXDQ),
            I16x8ExtmulLowI8x16S => self.extmul(false, SXBW, MULLW),
            I16x8ExtmulLowI8x16U => self.extmul(false, ZXBW, MULLW),
            I16x8ExtmulHighI8x16S => self.extmul(true, SXBW, MULLW),
            I16x8ExtmulHighI8x16U => self.extmul(true, ZXBW, MULLW),
            I32x4ExtmulLowI16x8S => self.extmul(false, SXWD, MULLD),
            I32x4ExtmulLowI16x8U => self.extmul(false, ZXWD, MULLD),
            I32x4ExtmulHighI16x8S => self.extmul(true, SXWD, MULLD),
            I32x4ExtmulHighI16x8U => self.extmul(true, ZXWD, MULLD),
            I64x2ExtmulLowI32x4S => self.extmul_even(false, MULDQ),
            I64x2ExtmulHighI32x4S => self.extmul_even(true, MULDQ),
            I64x2ExtmulLowI32x4U => self.extmul_even(false, MULUDQ),
            I64x2ExtmulHighI32x4U => self.extmul_even(true, MULUDQ),
            I32x4DotI16x8S => self.vbin(|a, x, y| asm!(a; pmaddwd Rx(x), Rx(y))),
            // Pairwise sums as multiply-adds by ones (u16: biased to
            // signed, the bias added back).
            I16x8ExtaddPairwiseI8x16S => self.vun(|a, x| {
                ld(a, 0, &I8_ONES);
                asm!(a; pmaddubsw xmm0, Rx(x); movaps Rx(x), xmm0);
            }),
            I16x8ExtaddPairwiseI8x16U => self.vun(|a, x| {
                ld(a, 0, &I8_ONES);
                asm!(a; pmaddubsw Rx(x), xmm0);
            }),
            I32x4ExtaddPairwiseI16x8S => self.vun(|a, x| {
                ld(a, 0, &I16_ONES);
                asm!(a; pmaddwd Rx(x), xmm0);
            }),
            I32x4ExtaddPairwiseI16x8U => self.vun(|a, x| {
                ld(a, 0, &I16_SIGNS);
                asm!(a; pxor Rx(x), xmm0);
                ld(a, 0, &I16_ONES);
                asm!(a; pmaddwd Rx(x), xmm0);
                ld(a, 0, &I32_65536);
                asm!(a; paddd Rx(x), xmm0);
            }),
            // Shifts, the count modulo the lane width. Bytes shift as
            // words, the bits crossing between bytes masked off; an
            // arithmetic byte shift works on each byte in the high half
            // of a word.
            I8x16Shl => self.vshift(8, 0, |a, x| {
                asm!(a
                    ; psllw Rx(x), xmm0
                    ; pcmpeqd xmm15, xmm15
                    ; psrlw xmm15, 8
                    ; psllw xmm15, xmm0
                    ; psllw xmm15, 8
                    ; psrlw xmm15, 8
                    ; packuswb xmm15, xmm15
                    ; pand Rx(x), xmm15
                )
            }),
            I8x16ShrU => self.vshift(8, 0, |a, x| {
                asm!(a
                    ; psrlw Rx(x), xmm0
                    ; pcmpeqd xmm15, xmm15
                    ; psrlw xmm15, 8
                    ; psrlw xmm15, xmm0
                    ; packuswb xmm15, xmm15
                    ; pand Rx(x), xmm15
                )
            }),
            I8x16ShrS => self.vshift(8, 8, |a, x| {
                asm!(a
                    ; movaps xmm15, Rx(x)
                    ; punpckhbw xmm15, xmm15
                    ; punpcklbw Rx(x), Rx(x)
                    ; psraw Rx(x), xmm0
                    ; psraw xmm15, xmm0
                    ; packsswb Rx(x), xmm15
                )
            }),
            I16x8Shl => self.vshift(16, 0, |a, x| asm!(a; psllw Rx(x), xmm0)),
            I16x8ShrS => self.vshift(16, 0, |a, x| asm!(a; psraw Rx(x), xmm0)),
            I16x8ShrU => self.vshift(16, 0, |a, x| asm!(a; psrlw Rx(x), xmm0)),
            I32x4Shl => self.vshift(32, 0, |a, x| asm!(a; pslld Rx(x), xmm0)),
            I32x4ShrS => self.vshift(32, 0, |a, x| asm!(a; psrad Rx(x), xmm0)),
            I32x4ShrU => self.vshift(32, 0, |a, x| asm!(a; psrld Rx(x), xmm0)),
            I64x2Shl => self.vshift(64, 0, |a, x| asm!(a; psllq Rx(x), xmm0)),
            I64x2ShrU => self.vshift(64, 0, |a, x| asm!(a; psrlq Rx(x), xmm0)),
            // A logical shift, the sign bit shifted alike: (x ^ m) - m.
            I64x2ShrS => self.vshift(64, 0, |a, x| {
                asm!(a
                    ; pcmpeqd xmm15, xmm15
                    ; psllq xmm15, 63
                    ; psrlq xmm15, xmm0
                    ; psrlq Rx(x), xmm0
                    ; pxor Rx(x), xmm15
                    ; psubq Rx(x), xmm15
                )
            }),
            // Float arithmetic: the interpreter's operations are these
            // instructions.
            F32x4Add => self.vbin(|a, x, y| asm!(a; addps Rx(x), Rx(y))),
            F32x4Sub => self.vbin(|a, x, y| asm!(a; subps Rx(x), Rx(y))),
            F32x4Mul => self.vbin(|a, x, y| asm!(a; mulps Rx(x), Rx(y))),
            F32x4Div => self.vbin(|a, x, y| asm!(a; divps Rx(x), Rx(y))),
            F64x2Add => self.vbin(|a, x, y| asm!(a; addpd Rx(x), Rx(y))),
            F64x2Sub => self.vbin(|a, x, y| asm!(a; subpd Rx(x), Rx(y))),
            F64x2Mul => self.vbin(|a, x, y| asm!(a; mulpd Rx(x), Rx(y))),
            F64x2Div => self.vbin(|a, x, y| asm!(a; divpd Rx(x), Rx(y))),
            F32x4Sqrt => self.vun(|a, x| asm!(a; sqrtps Rx(x), Rx(x))),
            F64x2Sqrt => self.vun(|a, x| asm!(a; sqrtpd Rx(x), Rx(x))),
            F32x4Abs => {
                self.vun(|a, x| asm!(a; pcmpeqd xmm0, xmm0; psrld xmm0, 1; andps Rx(x), xmm0))
            }
            F64x2Abs => {
                self.vun(|a, x| asm!(a; pcmpeqd xmm0, xmm0; psrlq xmm0, 1; andpd Rx(x), xmm0))
            }
            F32x4Neg => {
                self.vun(|a, x| asm!(a; pcmpeqd xmm0, xmm0; pslld xmm0, 31; xorps Rx(x), xmm0))
            }
            F64x2Neg => {
                self.vun(|a, x| asm!(a; pcmpeqd xmm0, xmm0; psllq xmm0, 63; xorpd Rx(x), xmm0))
            }
            // roundps quiets a signalling NaN, as the interpreter does.
            F32x4Ceil => self.vun(|a, x| asm!(a; roundps Rx(x), Rx(x), 10)),
            F32x4Floor => self.vun(|a, x| asm!(a; roundps Rx(x), Rx(x), 9)),
            F32x4Trunc => self.vun(|a, x| asm!(a; roundps Rx(x), Rx(x), 11)),
            F32x4Nearest => self.vun(|a, x| asm!(a; roundps Rx(x), Rx(x), 8)),
            F64x2Ceil => self.vun(|a, x| asm!(a; roundpd Rx(x), Rx(x), 10)),
            F64x2Floor => self.vun(|a, x| asm!(a; roundpd Rx(x), Rx(x), 9)),
            F64x2Trunc => self.vun(|a, x| asm!(a; roundpd Rx(x), Rx(x), 11)),
            F64x2Nearest => self.vun(|a, x| asm!(a; roundpd Rx(x), Rx(x), 8)),
            F32x4Min | F32x4RelaxedMin => self.float_min_max(&F32_LANES, false),
            F32x4Max | F32x4RelaxedMax => self.float_min_max(&F32_LANES, true),
            F64x2Min | F64x2RelaxedMin => self.float_min_max(&F64_LANES, false),
            F64x2Max | F64x2RelaxedMax => self.float_min_max(&F64_LANES, true),
            // pmin(a, b) = b < a ? b : a, which is minps with b first
            // (minps keeps its first operand only where it is less).
            F32x4Pmin => self.vbin_rev(|a, x, y| asm!(a; minps Rx(y), Rx(x))),
            F32x4Pmax => self.vbin_rev(|a, x, y| asm!(a; maxps Rx(y), Rx(x))),
            F64x2Pmin => self.vbin_rev(|a, x, y| asm!(a; minpd Rx(y), Rx(x))),
            F64x2Pmax => self.vbin_rev(|a, x, y| asm!(a; maxpd Rx(y), Rx(x))),
            // a * b rounded, then c + that rounded (unfused, as the
            // interpreter's choice is); nmadd negates the product.
            F32x4RelaxedMadd | F64x2RelaxedMadd | F32x4RelaxedNmadd | F64x2RelaxedNmadd => {
                let c = self.vs.pop();
                let xc = self.vs.in_xmm(c, &mut self.asm);
                let f64 = matches!(i, F64x2RelaxedMadd | F64x2RelaxedNmadd);
                let neg = matches!(i, F32x4RelaxedNmadd | F64x2RelaxedNmadd);
                self.vbin(|a, x, y| {
                    if f64 {
                        asm!(a; mulpd Rx(x), Rx(y));
                    } else {
                        asm!(a; mulps Rx(x), Rx(y));
                    }
                    if neg && f64 {
                        asm!(a; pcmpeqd xmm0, xmm0; psllq xmm0, 63; xorpd Rx(x), xmm0);
                    } else if neg {
                        asm!(a; pcmpeqd xmm0, xmm0; pslld xmm0, 31; xorps Rx(x), xmm0);
                    }
                });
                // c first, as the interpreter's build computes it (which
                // NaN of two comes out is the first operand's).
                self.vs.push(Loc::Xmm(xc), true);
                if f64 {
                    self.vbin_rev(|a, x, y| asm!(a; addpd Rx(y), Rx(x)));
                } else {
                    self.vbin_rev(|a, x, y| asm!(a; addps Rx(y), Rx(x)));
                }
            }
            // Conversions with an exact SSE form.
            F32x4ConvertI32x4S => self.vun(|a, x| asm!(a; cvtdq2ps Rx(x), Rx(x))),
            // Each half of the lane converts exactly; the sum rounds once.
            F32x4ConvertI32x4U => self.vun(|a, x| {
                asm!(a
                    ; movaps xmm0, Rx(x)
                    ; psrld xmm0, 16
                    ; pslld Rx(x), 16
                    ; psrld Rx(x), 16
                    ; cvtdq2ps Rx(x), Rx(x)
                    ; cvtdq2ps xmm0, xmm0
                );
                ld(a, 15, &F32_65536);
                asm!(a; mulps xmm0, xmm15; addps Rx(x), xmm0);
            }),
            F64x2ConvertLowI32x4S => self.vun(|a, x| asm!(a; cvtdq2pd Rx(x), Rx(x))),
            // 2^52 + x as a double's bits, less 2^52.
            F64x2ConvertLowI32x4U => self.vun(|a, x| {
                ld(a, 0, &F32X4_2P52_HI);
                asm!(a; unpcklps Rx(x), xmm0);
                ld(a, 0, &F64_2P52);
                asm!(a; subpd Rx(x), xmm0);
            }),
            F32x4DemoteF64x2Zero => self.vun(|a, x| asm!(a; cvtpd2ps Rx(x), Rx(x))),
            F64x2PromoteLowF32x4 => self.vun(|a, x| asm!(a; cvtps2pd Rx(x), Rx(x))),
            // NaN lanes zeroed; cvttps2dq's 0x80000000 for a positive
            // overflow turned into 0x7fffffff.
            I32x4TruncSatF32x4S | I32x4RelaxedTruncF32x4S => self.vun(|a, x| {
                asm!(a
                    ; movaps xmm0, Rx(x)
                    ; cmpps xmm0, Rx(x), 0
                    ; andps Rx(x), xmm0
                    ; pxor xmm0, Rx(x)
                    ; cvttps2dq Rx(x), Rx(x)
                    ; pand xmm0, Rx(x)
                    ; psrad xmm0, 31
                    ; pxor Rx(x), xmm0
                )
            }),
            // Clamped to i32::MAX (NaN to 0) before converting.
            I32x4TruncSatF64x2SZero | I32x4RelaxedTruncF64x2SZero => self.vun(|a, x| {
                ld(a, 15, &F64_I32_MAX);
                asm!(a
                    ; movaps xmm0, Rx(x)
                    ; cmppd xmm0, Rx(x), 0
                    ; andps xmm0, xmm15
                    ; minpd Rx(x), xmm0
                    ; cvttpd2dq Rx(x), Rx(x)
                )
            }),
            // Negatives and NaN to 0 (maxps takes its second operand for
            // a NaN); lanes from 2^31 up converted less 2^31 and added
            // back, those from 2^32 up to 0xffffffff.
            I32x4TruncSatF32x4U | I32x4RelaxedTruncF32x4U => self.vun_t(|a, x, t| {
                asm!(a; xorps xmm15, xmm15; maxps Rx(x), xmm15);
                ld(a, 0, &F32_2P31);
                asm!(a
                    ; movaps Rx(t), Rx(x)
                    ; subps Rx(t), xmm0
                    ; cmpps xmm0, Rx(t), 2
                    ; cvttps2dq Rx(t), Rx(t)
                    ; pxor Rx(t), xmm0
                    ; pmaxsd Rx(t), xmm15
                    ; cvttps2dq Rx(x), Rx(x)
                    ; paddd Rx(x), Rx(t)
                );
            }),
            // Clamped to [0, 2^32 - 1] (NaN to 0), truncated, and the
            // integer read from the mantissa of 2^52 + x.
            I32x4TruncSatF64x2UZero | I32x4RelaxedTruncF64x2UZero => self.vun(|a, x| {
                asm!(a; xorpd xmm15, xmm15; maxpd Rx(x), xmm15);
                ld(a, 0, &F64_U32_MAX);
                asm!(a; minpd Rx(x), xmm0; roundpd Rx(x), Rx(x), 11);
                ld(a, 0, &F64_2P52);
                asm!(a; addpd Rx(x), xmm0; shufps Rx(x), xmm15, 0x88u8 as i8);
            }),
            // The interpreter's choice: both operands signed. The 16-bit
            // products are exact; pairs added with saturation (i16), or
            // fours added in 32 bits, then c.
            I16x8RelaxedDotI8x16I7x16S => self.vbin(|a, x, y| {
                asm!(a
                    ; pshufd xmm0, Rx(x), 0xeeu8 as i8
                    ; pmovsxbw xmm0, xmm0
                    ; pshufd xmm15, Rx(y), 0xeeu8 as i8
                    ; pmovsxbw xmm15, xmm15
                    ; pmullw xmm0, xmm15
                    ; pmovsxbw Rx(x), Rx(x)
                    ; pmovsxbw Rx(y), Rx(y)
                    ; pmullw Rx(x), Rx(y)
                    ; phaddsw Rx(x), xmm0
                )
            }),
            I32x4RelaxedDotI8x16I7x16AddS => {
                let c = self.vs.pop();
                let xc = self.vs.in_xmm(c, &mut self.asm);
                self.vbin(|a, x, y| {
                    asm!(a
                        ; pshufd xmm0, Rx(x), 0xeeu8 as i8
                        ; pmovsxbw xmm0, xmm0
                        ; pshufd xmm15, Rx(y), 0xeeu8 as i8
                        ; pmovsxbw xmm15, xmm15
                        ; pmullw xmm0, xmm15
                        ; pmovsxbw Rx(x), Rx(x)
                        ; pmovsxbw Rx(y), Rx(y)
                        ; pmullw Rx(x), Rx(y)
                    );
                    ld(a, 15, &I16_ONES);
                    asm!(a
                        ; pmaddwd Rx(x), xmm15
                        ; pmaddwd xmm0, xmm15
                        ; phaddd Rx(x), xmm0
                    );
                });
                self.vs.push(Loc::Xmm(xc), true);
                self.vbin(|a, x, y| asm!(a; paddd Rx(x), Rx(y)));
            }
            _ => return Some(false),
        }
        Some(true)
    }
}
