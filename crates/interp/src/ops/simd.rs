//! Vector instructions other than memory accesses, lane by lane as the spec
//! defines them.

use weft_ast::Instr;

use crate::ops::num::float::*;
use crate::stack::Stack;
use crate::trap::Trap;

macro_rules! lanes {
    ($to:ident, $from:ident, $t:ty, $n:literal) => {
        #[inline]
        pub(crate) fn $to(v: u128) -> [$t; $n] {
            bytes_to::lanes(v.to_le_bytes())
        }
        #[inline]
        pub(crate) fn $from(a: [$t; $n]) -> u128 {
            u128::from_le_bytes(bytes_to::bytes(a))
        }
    };
}
lanes!(i8s, from_i8s, i8, 16);
lanes!(u8s, from_u8s, u8, 16);
lanes!(i16s, from_i16s, i16, 8);
lanes!(u16s, from_u16s, u16, 8);
lanes!(i32s, from_i32s, i32, 4);
lanes!(u32s, from_u32s, u32, 4);
lanes!(i64s, from_i64s, i64, 2);
lanes!(u64s, from_u64s, u64, 2);

/// A vector's 16 little-endian bytes to and from its lanes. Operators
/// written on lanes taken from bytes compile to the machine's vector
/// instructions; taken from a `u128` they go through general registers.
pub(crate) mod bytes_to {
    /// A lane type: read and written little-endian.
    pub(crate) trait Lane: Copy + Default {
        /// Its width in bytes.
        const SIZE: usize;
        /// The lane in `b` (exactly `SIZE` bytes).
        fn read(b: &[u8]) -> Self;
        /// Writes the lane into `b` (exactly `SIZE` bytes).
        fn write(self, b: &mut [u8]);
    }

    macro_rules! lane {
        ($($t:ty)*) => {$(
            impl Lane for $t {
                const SIZE: usize = std::mem::size_of::<$t>();
                #[inline(always)]
                fn read(b: &[u8]) -> Self {
                    <$t>::from_le_bytes(b.try_into().unwrap_or_default())
                }
                #[inline(always)]
                fn write(self, b: &mut [u8]) {
                    b.copy_from_slice(&self.to_le_bytes());
                }
            }
        )*};
    }
    lane!(i8 u8 i16 u16 i32 u32 i64 u64 f32 f64);

    /// The lanes of a vector.
    #[inline(always)]
    pub(crate) fn lanes<T: Lane, const N: usize>(b: [u8; 16]) -> [T; N] {
        std::array::from_fn(|i| T::read(&b[i * T::SIZE..(i + 1) * T::SIZE]))
    }

    /// The vector of the lanes.
    #[inline(always)]
    pub(crate) fn bytes<T: Lane, const N: usize>(a: [T; N]) -> [u8; 16] {
        let mut b = [0u8; 16];
        for (i, x) in a.into_iter().enumerate() {
            x.write(&mut b[i * T::SIZE..(i + 1) * T::SIZE]);
        }
        b
    }
}
lanes!(f32s, from_f32s, f32, 4);
lanes!(f64s, from_f64s, f64, 2);

/// Lane-wise unary operation.
macro_rules! un {
    ($s:ident, $to:ident, $from:ident, $f:expr) => {{
        let a = $to($s.pop_v128());
        $s.push_v128($from(a.map($f)))
    }};
}
/// Lane-wise binary operation.
macro_rules! bin {
    ($s:ident, $to:ident, $from:ident, $f:expr) => {{
        let b = $to($s.pop_v128());
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| $f(a[i], b[i]))))
    }};
}
/// Lane-wise comparison: all ones where true.
macro_rules! cmp {
    ($s:ident, $to:ident, $from:ident, $f:expr) => {{
        let b = $to($s.pop_v128());
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| {
            -(($f(a[i], b[i])) as i8) as _
        })))
    }};
}
/// Shift by an i32 count modulo the lane width.
macro_rules! shift {
    ($s:ident, $to:ident, $from:ident, $bits:literal, $f:ident) => {{
        let n = $s.pop_u32() % $bits;
        let a = $to($s.pop_v128());
        $s.push_v128($from(a.map(|x| x.$f(n))))
    }};
}
/// All lanes non-zero.
macro_rules! all_true {
    ($s:ident, $to:ident) => {{
        let a = $to($s.pop_v128());
        $s.push_bool(a.iter().all(|x| *x != 0))
    }};
}
/// The lanes' sign bits as an integer.
macro_rules! bitmask {
    ($s:ident, $to:ident) => {{
        let a = $to($s.pop_v128());
        let m = a
            .iter()
            .enumerate()
            .fold(0u32, |m, (i, x)| m | ((*x < 0) as u32) << i);
        $s.push_u32(m)
    }};
}
/// Narrowing with saturation: lanes of `a` then lanes of `b`.
macro_rules! narrow {
    ($s:ident, $to:ident, $from:ident, $n:literal, $t:ty, $lo:expr, $hi:expr) => {{
        let b = $to($s.pop_v128());
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| {
            let x = if i < $n { a[i] } else { b[i - $n] };
            x.clamp($lo, $hi) as $t
        })))
    }};
}
/// Widening of the low or high half.
macro_rules! extend {
    ($s:ident, $to:ident, $from:ident, $n:literal, $off:expr, $t:ty) => {{
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| a[i + $off] as $t)))
    }};
}
/// Widening multiplication of the low or high half.
macro_rules! extmul {
    ($s:ident, $to:ident, $from:ident, $off:expr, $t:ty) => {{
        let b = $to($s.pop_v128());
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| {
            (a[i + $off] as $t).wrapping_mul(b[i + $off] as $t)
        })))
    }};
}
/// Pairwise widening addition.
macro_rules! extadd {
    ($s:ident, $to:ident, $from:ident, $t:ty) => {{
        let a = $to($s.pop_v128());
        $s.push_v128($from(std::array::from_fn(|i| {
            (a[2 * i] as $t).wrapping_add(a[2 * i + 1] as $t)
        })))
    }};
}

fn pmin32(a: f32, b: f32) -> f32 {
    if b < a { b } else { a }
}
fn pmax32(a: f32, b: f32) -> f32 {
    if a < b { b } else { a }
}
fn pmin64(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}
fn pmax64(a: f64, b: f64) -> f64 {
    if a < b { b } else { a }
}

fn q15mulr(a: i16, b: i16) -> i16 {
    ((a as i32 * b as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
}

fn bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}

/// Executes a vector instruction that does not touch memory; `Ok(false)` if
/// `instr` is not one.
pub(crate) fn simd(s: &mut Stack, instr: &Instr) -> Result<bool, Trap> {
    use Instr::*;
    match instr {
        I8x16Splat => {
            let x = s.pop_u32() as u8;
            s.push_v128(from_u8s([x; 16]))
        }
        I16x8Splat => {
            let x = s.pop_u32() as u16;
            s.push_v128(from_u16s([x; 8]))
        }
        I32x4Splat | F32x4Splat => {
            let x = s.pop_u32();
            s.push_v128(from_u32s([x; 4]))
        }
        I64x2Splat | F64x2Splat => {
            let x = s.pop_u64();
            s.push_v128(from_u64s([x; 2]))
        }
        I8x16ExtractLaneS { lane } => {
            let a = i8s(s.pop_v128());
            s.push_i32(a[*lane as usize & 15] as i32)
        }
        I8x16ExtractLaneU { lane } => {
            let a = u8s(s.pop_v128());
            s.push_u32(a[*lane as usize & 15] as u32)
        }
        I16x8ExtractLaneS { lane } => {
            let a = i16s(s.pop_v128());
            s.push_i32(a[*lane as usize & 7] as i32)
        }
        I16x8ExtractLaneU { lane } => {
            let a = u16s(s.pop_v128());
            s.push_u32(a[*lane as usize & 7] as u32)
        }
        I32x4ExtractLane { lane } | F32x4ExtractLane { lane } => {
            let a = u32s(s.pop_v128());
            s.push_u32(a[*lane as usize & 3])
        }
        I64x2ExtractLane { lane } | F64x2ExtractLane { lane } => {
            let a = u64s(s.pop_v128());
            s.push_u64(a[*lane as usize & 1])
        }
        I8x16ReplaceLane { lane } => {
            let x = s.pop_u32() as u8;
            let mut a = u8s(s.pop_v128());
            a[*lane as usize & 15] = x;
            s.push_v128(from_u8s(a))
        }
        I16x8ReplaceLane { lane } => {
            let x = s.pop_u32() as u16;
            let mut a = u16s(s.pop_v128());
            a[*lane as usize & 7] = x;
            s.push_v128(from_u16s(a))
        }
        I32x4ReplaceLane { lane } | F32x4ReplaceLane { lane } => {
            let x = s.pop_u32();
            let mut a = u32s(s.pop_v128());
            a[*lane as usize & 3] = x;
            s.push_v128(from_u32s(a))
        }
        I64x2ReplaceLane { lane } | F64x2ReplaceLane { lane } => {
            let x = s.pop_u64();
            let mut a = u64s(s.pop_v128());
            a[*lane as usize & 1] = x;
            s.push_v128(from_u64s(a))
        }
        I8x16Shuffle { lanes } => {
            let b = u8s(s.pop_v128());
            let a = u8s(s.pop_v128());
            let r = std::array::from_fn(|i| {
                let l = lanes.0[i] as usize & 31;
                if l < 16 { a[l] } else { b[l - 16] }
            });
            s.push_v128(from_u8s(r))
        }
        I8x16Swizzle | I8x16RelaxedSwizzle => {
            let b = u8s(s.pop_v128());
            let a = u8s(s.pop_v128());
            let r = std::array::from_fn(|i| a.get(b[i] as usize).copied().unwrap_or(0));
            s.push_v128(from_u8s(r))
        }
        I8x16Eq => cmp!(s, i8s, from_i8s, |a, b| a == b),
        I8x16Ne => cmp!(s, i8s, from_i8s, |a, b| a != b),
        I8x16LtS => cmp!(s, i8s, from_i8s, |a, b| a < b),
        I8x16LtU => cmp!(s, u8s, from_i8s, |a, b| a < b),
        I8x16GtS => cmp!(s, i8s, from_i8s, |a, b| a > b),
        I8x16GtU => cmp!(s, u8s, from_i8s, |a, b| a > b),
        I8x16LeS => cmp!(s, i8s, from_i8s, |a, b| a <= b),
        I8x16LeU => cmp!(s, u8s, from_i8s, |a, b| a <= b),
        I8x16GeS => cmp!(s, i8s, from_i8s, |a, b| a >= b),
        I8x16GeU => cmp!(s, u8s, from_i8s, |a, b| a >= b),
        I16x8Eq => cmp!(s, i16s, from_i16s, |a, b| a == b),
        I16x8Ne => cmp!(s, i16s, from_i16s, |a, b| a != b),
        I16x8LtS => cmp!(s, i16s, from_i16s, |a, b| a < b),
        I16x8LtU => cmp!(s, u16s, from_i16s, |a, b| a < b),
        I16x8GtS => cmp!(s, i16s, from_i16s, |a, b| a > b),
        I16x8GtU => cmp!(s, u16s, from_i16s, |a, b| a > b),
        I16x8LeS => cmp!(s, i16s, from_i16s, |a, b| a <= b),
        I16x8LeU => cmp!(s, u16s, from_i16s, |a, b| a <= b),
        I16x8GeS => cmp!(s, i16s, from_i16s, |a, b| a >= b),
        I16x8GeU => cmp!(s, u16s, from_i16s, |a, b| a >= b),
        I32x4Eq => cmp!(s, i32s, from_i32s, |a, b| a == b),
        I32x4Ne => cmp!(s, i32s, from_i32s, |a, b| a != b),
        I32x4LtS => cmp!(s, i32s, from_i32s, |a, b| a < b),
        I32x4LtU => cmp!(s, u32s, from_i32s, |a, b| a < b),
        I32x4GtS => cmp!(s, i32s, from_i32s, |a, b| a > b),
        I32x4GtU => cmp!(s, u32s, from_i32s, |a, b| a > b),
        I32x4LeS => cmp!(s, i32s, from_i32s, |a, b| a <= b),
        I32x4LeU => cmp!(s, u32s, from_i32s, |a, b| a <= b),
        I32x4GeS => cmp!(s, i32s, from_i32s, |a, b| a >= b),
        I32x4GeU => cmp!(s, u32s, from_i32s, |a, b| a >= b),
        I64x2Eq => cmp!(s, i64s, from_i64s, |a, b| a == b),
        I64x2Ne => cmp!(s, i64s, from_i64s, |a, b| a != b),
        I64x2LtS => cmp!(s, i64s, from_i64s, |a, b| a < b),
        I64x2GtS => cmp!(s, i64s, from_i64s, |a, b| a > b),
        I64x2LeS => cmp!(s, i64s, from_i64s, |a, b| a <= b),
        I64x2GeS => cmp!(s, i64s, from_i64s, |a, b| a >= b),
        F32x4Eq => cmp!(s, f32s, from_i32s, |a, b| a == b),
        F32x4Ne => cmp!(s, f32s, from_i32s, |a, b| a != b),
        F32x4Lt => cmp!(s, f32s, from_i32s, |a, b| a < b),
        F32x4Gt => cmp!(s, f32s, from_i32s, |a, b| a > b),
        F32x4Le => cmp!(s, f32s, from_i32s, |a, b| a <= b),
        F32x4Ge => cmp!(s, f32s, from_i32s, |a, b| a >= b),
        F64x2Eq => cmp!(s, f64s, from_i64s, |a, b| a == b),
        F64x2Ne => cmp!(s, f64s, from_i64s, |a, b| a != b),
        F64x2Lt => cmp!(s, f64s, from_i64s, |a, b| a < b),
        F64x2Gt => cmp!(s, f64s, from_i64s, |a, b| a > b),
        F64x2Le => cmp!(s, f64s, from_i64s, |a, b| a <= b),
        F64x2Ge => cmp!(s, f64s, from_i64s, |a, b| a >= b),
        V128Not => {
            let a = s.pop_v128();
            s.push_v128(!a)
        }
        V128And | V128AndNot | V128Or | V128Xor => {
            let b = s.pop_v128();
            let a = s.pop_v128();
            s.push_v128(match instr {
                V128And => a & b,
                V128AndNot => a & !b,
                V128Or => a | b,
                _ => a ^ b,
            })
        }
        V128Bitselect
        | I8x16RelaxedLaneselect
        | I16x8RelaxedLaneselect
        | I32x4RelaxedLaneselect
        | I64x2RelaxedLaneselect => {
            let c = s.pop_v128();
            let b = s.pop_v128();
            let a = s.pop_v128();
            s.push_v128(bitselect(a, b, c))
        }
        V128AnyTrue => {
            let a = s.pop_v128();
            s.push_bool(a != 0)
        }
        I8x16Abs => un!(s, i8s, from_i8s, i8::wrapping_abs),
        I8x16Neg => un!(s, i8s, from_i8s, i8::wrapping_neg),
        I8x16Popcnt => un!(s, u8s, from_u8s, |x: u8| x.count_ones() as u8),
        I8x16AllTrue => all_true!(s, u8s),
        I8x16Bitmask => bitmask!(s, i8s),
        I8x16NarrowI16x8S => narrow!(s, i16s, from_i8s, 8, i8, -128, 127),
        I8x16NarrowI16x8U => narrow!(s, i16s, from_u8s, 8, u8, 0, 255),
        I8x16Shl => shift!(s, u8s, from_u8s, 8, wrapping_shl),
        I8x16ShrS => shift!(s, i8s, from_i8s, 8, wrapping_shr),
        I8x16ShrU => shift!(s, u8s, from_u8s, 8, wrapping_shr),
        I8x16AddSatS => bin!(s, i8s, from_i8s, i8::saturating_add),
        I8x16AddSatU => bin!(s, u8s, from_u8s, u8::saturating_add),
        I8x16SubSatS => bin!(s, i8s, from_i8s, i8::saturating_sub),
        I8x16SubSatU => bin!(s, u8s, from_u8s, u8::saturating_sub),
        I8x16MinS => bin!(s, i8s, from_i8s, i8::min),
        I8x16MinU => bin!(s, u8s, from_u8s, u8::min),
        I8x16MaxS => bin!(s, i8s, from_i8s, i8::max),
        I8x16MaxU => bin!(s, u8s, from_u8s, u8::max),
        I8x16AvgrU => bin!(
            s,
            u8s,
            from_u8s,
            |a: u8, b: u8| (a as u16 + b as u16).div_ceil(2) as u8
        ),
        I16x8ExtaddPairwiseI8x16S => extadd!(s, i8s, from_i16s, i16),
        I16x8ExtaddPairwiseI8x16U => extadd!(s, u8s, from_u16s, u16),
        I32x4ExtaddPairwiseI16x8S => extadd!(s, i16s, from_i32s, i32),
        I32x4ExtaddPairwiseI16x8U => extadd!(s, u16s, from_u32s, u32),
        I16x8Abs => un!(s, i16s, from_i16s, i16::wrapping_abs),
        I16x8Neg => un!(s, i16s, from_i16s, i16::wrapping_neg),
        I16x8Q15MulrSatS | I16x8RelaxedQ15mulrS => bin!(s, i16s, from_i16s, q15mulr),
        I16x8AllTrue => all_true!(s, u16s),
        I16x8Bitmask => bitmask!(s, i16s),
        I16x8NarrowI32x4S => narrow!(s, i32s, from_i16s, 4, i16, -32768, 32767),
        I16x8NarrowI32x4U => narrow!(s, i32s, from_u16s, 4, u16, 0, 65535),
        I16x8ExtendLowI8x16S => extend!(s, i8s, from_i16s, 8, 0, i16),
        I16x8ExtendHighI8x16S => extend!(s, i8s, from_i16s, 8, 8, i16),
        I16x8ExtendLowI8x16U => extend!(s, u8s, from_u16s, 8, 0, u16),
        I16x8ExtendHighI8x16U => extend!(s, u8s, from_u16s, 8, 8, u16),
        I16x8Shl => shift!(s, u16s, from_u16s, 16, wrapping_shl),
        I16x8ShrS => shift!(s, i16s, from_i16s, 16, wrapping_shr),
        I16x8ShrU => shift!(s, u16s, from_u16s, 16, wrapping_shr),
        I16x8AddSatS => bin!(s, i16s, from_i16s, i16::saturating_add),
        I16x8AddSatU => bin!(s, u16s, from_u16s, u16::saturating_add),
        I16x8SubSatS => bin!(s, i16s, from_i16s, i16::saturating_sub),
        I16x8SubSatU => bin!(s, u16s, from_u16s, u16::saturating_sub),
        I16x8MinS => bin!(s, i16s, from_i16s, i16::min),
        I16x8MinU => bin!(s, u16s, from_u16s, u16::min),
        I16x8MaxS => bin!(s, i16s, from_i16s, i16::max),
        I16x8MaxU => bin!(s, u16s, from_u16s, u16::max),
        I16x8AvgrU => bin!(
            s,
            u16s,
            from_u16s,
            |a: u16, b: u16| (a as u32 + b as u32).div_ceil(2) as u16
        ),
        I16x8ExtmulLowI8x16S => extmul!(s, i8s, from_i16s, 0, i16),
        I16x8ExtmulHighI8x16S => extmul!(s, i8s, from_i16s, 8, i16),
        I16x8ExtmulLowI8x16U => extmul!(s, u8s, from_u16s, 0, u16),
        I16x8ExtmulHighI8x16U => extmul!(s, u8s, from_u16s, 8, u16),
        I32x4Abs => un!(s, i32s, from_i32s, i32::wrapping_abs),
        I32x4Neg => un!(s, i32s, from_i32s, i32::wrapping_neg),
        I32x4AllTrue => all_true!(s, u32s),
        I32x4Bitmask => bitmask!(s, i32s),
        I32x4ExtendLowI16x8S => extend!(s, i16s, from_i32s, 4, 0, i32),
        I32x4ExtendHighI16x8S => extend!(s, i16s, from_i32s, 4, 4, i32),
        I32x4ExtendLowI16x8U => extend!(s, u16s, from_u32s, 4, 0, u32),
        I32x4ExtendHighI16x8U => extend!(s, u16s, from_u32s, 4, 4, u32),
        I32x4Shl => shift!(s, u32s, from_u32s, 32, wrapping_shl),
        I32x4ShrS => shift!(s, i32s, from_i32s, 32, wrapping_shr),
        I32x4ShrU => shift!(s, u32s, from_u32s, 32, wrapping_shr),
        I32x4MinS => bin!(s, i32s, from_i32s, i32::min),
        I32x4MinU => bin!(s, u32s, from_u32s, u32::min),
        I32x4MaxS => bin!(s, i32s, from_i32s, i32::max),
        I32x4MaxU => bin!(s, u32s, from_u32s, u32::max),
        I32x4DotI16x8S => {
            let b = i16s(s.pop_v128());
            let a = i16s(s.pop_v128());
            let r = std::array::from_fn(|i| {
                let p = |j: usize| a[j] as i32 * b[j] as i32;
                p(2 * i).wrapping_add(p(2 * i + 1))
            });
            s.push_v128(from_i32s(r))
        }
        I32x4ExtmulLowI16x8S => extmul!(s, i16s, from_i32s, 0, i32),
        I32x4ExtmulHighI16x8S => extmul!(s, i16s, from_i32s, 4, i32),
        I32x4ExtmulLowI16x8U => extmul!(s, u16s, from_u32s, 0, u32),
        I32x4ExtmulHighI16x8U => extmul!(s, u16s, from_u32s, 4, u32),
        I64x2Abs => un!(s, i64s, from_i64s, i64::wrapping_abs),
        I64x2Neg => un!(s, i64s, from_i64s, i64::wrapping_neg),
        I64x2AllTrue => all_true!(s, u64s),
        I64x2Bitmask => bitmask!(s, i64s),
        I64x2ExtendLowI32x4S => extend!(s, i32s, from_i64s, 2, 0, i64),
        I64x2ExtendHighI32x4S => extend!(s, i32s, from_i64s, 2, 2, i64),
        I64x2ExtendLowI32x4U => extend!(s, u32s, from_u64s, 2, 0, u64),
        I64x2ExtendHighI32x4U => extend!(s, u32s, from_u64s, 2, 2, u64),
        I64x2Shl => shift!(s, u64s, from_u64s, 64, wrapping_shl),
        I64x2ShrS => shift!(s, i64s, from_i64s, 64, wrapping_shr),
        I64x2ShrU => shift!(s, u64s, from_u64s, 64, wrapping_shr),
        I64x2ExtmulLowI32x4S => extmul!(s, i32s, from_i64s, 0, i64),
        I64x2ExtmulHighI32x4S => extmul!(s, i32s, from_i64s, 2, i64),
        I64x2ExtmulLowI32x4U => extmul!(s, u32s, from_u64s, 0, u64),
        I64x2ExtmulHighI32x4U => extmul!(s, u32s, from_u64s, 2, u64),
        F32x4Abs => un!(s, f32s, from_f32s, f32::abs),
        F32x4Neg => un!(s, f32s, from_f32s, |x: f32| -x),
        F32x4Sqrt => un!(s, f32s, from_f32s, f32::sqrt),
        F32x4Ceil => un!(s, f32s, from_f32s, ceil32),
        F32x4Floor => un!(s, f32s, from_f32s, floor32),
        F32x4Trunc => un!(s, f32s, from_f32s, trunc32),
        F32x4Nearest => un!(s, f32s, from_f32s, nearest32),
        F32x4Min | F32x4RelaxedMin => bin!(s, f32s, from_f32s, min32),
        F32x4Max | F32x4RelaxedMax => bin!(s, f32s, from_f32s, max32),
        F32x4Pmin => bin!(s, f32s, from_f32s, pmin32),
        F32x4Pmax => bin!(s, f32s, from_f32s, pmax32),
        F64x2Abs => un!(s, f64s, from_f64s, f64::abs),
        F64x2Neg => un!(s, f64s, from_f64s, |x: f64| -x),
        F64x2Sqrt => un!(s, f64s, from_f64s, f64::sqrt),
        F64x2Ceil => un!(s, f64s, from_f64s, ceil64),
        F64x2Floor => un!(s, f64s, from_f64s, floor64),
        F64x2Trunc => un!(s, f64s, from_f64s, trunc64),
        F64x2Nearest => un!(s, f64s, from_f64s, nearest64),
        F64x2Min | F64x2RelaxedMin => bin!(s, f64s, from_f64s, min64),
        F64x2Max | F64x2RelaxedMax => bin!(s, f64s, from_f64s, max64),
        F64x2Pmin => bin!(s, f64s, from_f64s, pmin64),
        F64x2Pmax => bin!(s, f64s, from_f64s, pmax64),
        // Saturating float-to-int casts are Rust's `as`.
        I32x4TruncSatF32x4S | I32x4RelaxedTruncF32x4S => {
            let a = f32s(s.pop_v128());
            s.push_v128(from_i32s(a.map(|x| x as i32)))
        }
        I32x4TruncSatF32x4U | I32x4RelaxedTruncF32x4U => {
            let a = f32s(s.pop_v128());
            s.push_v128(from_u32s(a.map(|x| x as u32)))
        }
        I32x4TruncSatF64x2SZero | I32x4RelaxedTruncF64x2SZero => {
            let a = f64s(s.pop_v128());
            s.push_v128(from_i32s([a[0] as i32, a[1] as i32, 0, 0]))
        }
        I32x4TruncSatF64x2UZero | I32x4RelaxedTruncF64x2UZero => {
            let a = f64s(s.pop_v128());
            s.push_v128(from_u32s([a[0] as u32, a[1] as u32, 0, 0]))
        }
        F32x4ConvertI32x4S => {
            let a = i32s(s.pop_v128());
            s.push_v128(from_f32s(a.map(|x| x as f32)))
        }
        F32x4ConvertI32x4U => {
            let a = u32s(s.pop_v128());
            s.push_v128(from_f32s(a.map(|x| x as f32)))
        }
        F64x2ConvertLowI32x4S => {
            let a = i32s(s.pop_v128());
            s.push_v128(from_f64s([a[0] as f64, a[1] as f64]))
        }
        F64x2ConvertLowI32x4U => {
            let a = u32s(s.pop_v128());
            s.push_v128(from_f64s([a[0] as f64, a[1] as f64]))
        }
        F32x4DemoteF64x2Zero => {
            let a = f64s(s.pop_v128());
            s.push_v128(from_f32s([a[0] as f32, a[1] as f32, 0.0, 0.0]))
        }
        F64x2PromoteLowF32x4 => {
            let a = f32s(s.pop_v128());
            s.push_v128(from_f64s([a[0] as f64, a[1] as f64]))
        }
        // The relaxed instructions take their deterministic (unfused, signed)
        // behaviour, one of the choices the spec allows.
        F32x4RelaxedMadd | F32x4RelaxedNmadd => {
            let c = f32s(s.pop_v128());
            let b = f32s(s.pop_v128());
            let a = f32s(s.pop_v128());
            let neg = matches!(instr, F32x4RelaxedNmadd);
            let r = std::array::from_fn(|i| if neg { -(a[i] * b[i]) } else { a[i] * b[i] } + c[i]);
            s.push_v128(from_f32s(r))
        }
        F64x2RelaxedMadd | F64x2RelaxedNmadd => {
            let c = f64s(s.pop_v128());
            let b = f64s(s.pop_v128());
            let a = f64s(s.pop_v128());
            let neg = matches!(instr, F64x2RelaxedNmadd);
            let r = std::array::from_fn(|i| if neg { -(a[i] * b[i]) } else { a[i] * b[i] } + c[i]);
            s.push_v128(from_f64s(r))
        }
        I16x8RelaxedDotI8x16I7x16S => {
            let b = i8s(s.pop_v128());
            let a = i8s(s.pop_v128());
            let r = std::array::from_fn(|i| {
                let p = |j: usize| a[j] as i16 * b[j] as i16;
                p(2 * i).saturating_add(p(2 * i + 1))
            });
            s.push_v128(from_i16s(r))
        }
        I32x4RelaxedDotI8x16I7x16AddS => {
            let c = i32s(s.pop_v128());
            let b = i8s(s.pop_v128());
            let a = i8s(s.pop_v128());
            let r = std::array::from_fn(|i| {
                let p = |j: usize| a[j] as i32 * b[j] as i32;
                (p(4 * i) + p(4 * i + 1) + p(4 * i + 2) + p(4 * i + 3)).wrapping_add(c[i])
            });
            s.push_v128(from_i32s(r))
        }
        _ => match simd_bin(instr) {
            Some(f) => {
                let b = s.pop_v128();
                let a = s.pop_v128();
                s.push_v128(u128::from_le_bytes(
                    f.call_bytes(a.to_le_bytes(), b.to_le_bytes()),
                ))
            }
            None => return Ok(false),
        },
    }
    Ok(true)
}

/// The common lane-wise arithmetic operators as a small enum, so that the
/// interpreter runs them as one op on the stack's slots (see
/// `Op::SimdBin`) instead of matching the instruction again.
macro_rules! simd_bins {
    ($($name:ident $t:ty, $n:literal ($f:expr);)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub(crate) enum SimdBinFn {
            $($name,)*
        }

        impl SimdBinFn {
            /// Every operator, in declaration order (`f as usize` indexes it).
            pub(crate) const ALL: &[SimdBinFn] = &[$(SimdBinFn::$name),*];

            /// Applies the operator lane by lane to two vectors' bytes.
            #[inline(always)]
            pub(crate) fn call_bytes(self, a: [u8; 16], b: [u8; 16]) -> [u8; 16] {
                match self {
                    $(SimdBinFn::$name => {
                        let a: [$t; $n] = bytes_to::lanes(a);
                        let b: [$t; $n] = bytes_to::lanes(b);
                        bytes_to::bytes(std::array::from_fn::<$t, $n, _>(|i| ($f)(a[i], b[i])))
                    })*
                }
            }
        }

        /// Every operator as a callback list, for the interpreter's
        /// handler table.
        macro_rules! for_each_simd_bin_fn {
            ($m:ident) => { $m! { $($name)* } };
        }
        pub(crate) use for_each_simd_bin_fn;

        /// The operator an instruction denotes, if it is one of these.
        pub(crate) fn simd_bin(instr: &Instr) -> Option<SimdBinFn> {
            match instr {
                $(Instr::$name => Some(SimdBinFn::$name),)*
                _ => None,
            }
        }
    };
}

simd_bins! {
    I8x16Add u8, 16 (u8::wrapping_add);
    I8x16Sub u8, 16 (u8::wrapping_sub);
    I16x8Add u16, 8 (u16::wrapping_add);
    I16x8Sub u16, 8 (u16::wrapping_sub);
    I16x8Mul u16, 8 (u16::wrapping_mul);
    I32x4Add u32, 4 (u32::wrapping_add);
    I32x4Sub u32, 4 (u32::wrapping_sub);
    I32x4Mul u32, 4 (u32::wrapping_mul);
    I64x2Add u64, 2 (u64::wrapping_add);
    I64x2Sub u64, 2 (u64::wrapping_sub);
    I64x2Mul u64, 2 (u64::wrapping_mul);
    F32x4Add f32, 4 (|a, b| a + b);
    F32x4Sub f32, 4 (|a, b| a - b);
    F32x4Mul f32, 4 (|a, b| a * b);
    F32x4Div f32, 4 (|a, b| a / b);
    F64x2Add f64, 2 (|a, b| a + b);
    F64x2Sub f64, 2 (|a, b| a - b);
    F64x2Mul f64, 2 (|a, b| a * b);
    F64x2Div f64, 2 (|a, b| a / b);
}
