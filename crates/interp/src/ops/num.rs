//! Scalar numeric instructions, exactly as the spec defines them.

use weft_ast::Instr;

use crate::stack::Stack;
use crate::trap::Trap;

macro_rules! op1 {
    ($s:ident, $pop:ident, $push:ident, $f:expr) => {{
        let a = $s.$pop();
        $s.$push($f(a))
    }};
}
macro_rules! op2 {
    ($s:ident, $pop:ident, $push:ident, $f:expr) => {{
        let b = $s.$pop();
        let a = $s.$pop();
        $s.$push($f(a, b))
    }};
}
macro_rules! op1t {
    ($s:ident, $pop:ident, $push:ident, $f:expr) => {{
        let a = $s.$pop();
        $s.$push($f(a)?)
    }};
}
macro_rules! op2t {
    ($s:ident, $pop:ident, $push:ident, $f:expr) => {{
        let b = $s.$pop();
        let a = $s.$pop();
        $s.$push($f(a, b)?)
    }};
}

/// Float helpers shared by the scalar and vector instructions.
pub(crate) mod float {
    macro_rules! minmax {
        ($min:ident, $max:ident, $t:ty) => {
            /// The spec's `fmin`: NaN if either is NaN, and -0 below +0.
            pub fn $min(a: $t, b: $t) -> $t {
                if a.is_nan() || b.is_nan() {
                    // Hardware addition propagates a quiet NaN: an
                    // arithmetic NaN, canonical when the inputs are.
                    a + b
                } else if a == b {
                    <$t>::from_bits(a.to_bits() | b.to_bits())
                } else if a < b {
                    a
                } else {
                    b
                }
            }
            /// The spec's `fmax`: NaN if either is NaN, and +0 above -0.
            pub fn $max(a: $t, b: $t) -> $t {
                if a.is_nan() || b.is_nan() {
                    a + b
                } else if a == b {
                    <$t>::from_bits(a.to_bits() & b.to_bits())
                } else if a > b {
                    a
                } else {
                    b
                }
            }
        };
    }
    minmax!(min32, max32, f32);
    minmax!(min64, max64, f64);

    macro_rules! round {
        ($($name:ident: $t:ty, $f:ident, $quiet:expr;)*) => {$(
            /// Rounding that turns a signalling NaN into a quiet one (an
            /// arithmetic NaN), as the spec requires and libm does not.
            pub fn $name(x: $t) -> $t {
                if x.is_nan() {
                    <$t>::from_bits(x.to_bits() | $quiet)
                } else {
                    x.$f()
                }
            }
        )*};
    }
    round! {
        ceil32: f32, ceil, 1 << 22;
        floor32: f32, floor, 1 << 22;
        trunc32: f32, trunc, 1 << 22;
        nearest32: f32, round_ties_even, 1 << 22;
        ceil64: f64, ceil, 1 << 51;
        floor64: f64, floor, 1 << 51;
        trunc64: f64, trunc, 1 << 51;
        nearest64: f64, round_ties_even, 1 << 51;
    }
}

use float::*;

/// Truncation of a float to an integer type: `invalid conversion to
/// integer` for NaN, `integer overflow` outside `[min, max_excl)`.
macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $min:expr, $max_excl:expr) => {
        fn $name(x: $f) -> Result<$i, Trap> {
            if x.is_nan() {
                return Err(Trap::InvalidConversionToInteger);
            }
            let t = x.trunc();
            if ($min..$max_excl).contains(&t) {
                Ok(t as $i)
            } else {
                Err(Trap::IntegerOverflow)
            }
        }
    };
}
trunc!(i32_f32_s, f32, i32, -2147483648.0, 2147483648.0);
trunc!(i32_f32_u, f32, u32, 0.0, 4294967296.0);
trunc!(i32_f64_s, f64, i32, -2147483648.0, 2147483648.0);
trunc!(i32_f64_u, f64, u32, 0.0, 4294967296.0);
trunc!(
    i64_f32_s,
    f32,
    i64,
    -9223372036854775808.0,
    9223372036854775808.0
);
trunc!(i64_f32_u, f32, u64, 0.0, 18446744073709551616.0);
trunc!(
    i64_f64_s,
    f64,
    i64,
    -9223372036854775808.0,
    9223372036854775808.0
);
trunc!(i64_f64_u, f64, u64, 0.0, 18446744073709551616.0);

macro_rules! div {
    ($name_s:ident, $name_u:ident, $rem_s:ident, $rem_u:ident, $i:ty, $u:ty) => {
        fn $name_s(a: $i, b: $i) -> Result<$i, Trap> {
            match b {
                0 => Err(Trap::IntegerDivideByZero),
                -1 if a == <$i>::MIN => Err(Trap::IntegerOverflow),
                _ => Ok(a / b),
            }
        }
        fn $name_u(a: $u, b: $u) -> Result<$u, Trap> {
            a.checked_div(b).ok_or(Trap::IntegerDivideByZero)
        }
        fn $rem_s(a: $i, b: $i) -> Result<$i, Trap> {
            if b == 0 {
                Err(Trap::IntegerDivideByZero)
            } else {
                Ok(a.wrapping_rem(b))
            }
        }
        fn $rem_u(a: $u, b: $u) -> Result<$u, Trap> {
            a.checked_rem(b).ok_or(Trap::IntegerDivideByZero)
        }
    };
}
div!(div32_s, div32_u, rem32_s, rem32_u, i32, u32);
div!(div64_s, div64_u, rem64_s, rem64_u, i64, u64);

/// Executes a scalar numeric instruction; `Ok(false)` if `instr` is not one.
#[inline(always)]
pub(crate) fn numeric(s: &mut Stack, instr: &Instr) -> Result<bool, Trap> {
    use Instr::*;
    if let Some(f) = un(instr) {
        let a = s.pop();
        s.push(f.call(a));
        return Ok(true);
    }
    match instr {
        I32Eqz => op1!(s, pop_i32, push_bool, |a| a == 0),
        F32Eq => op2!(s, pop_f32, push_bool, |a, b| a == b),
        F32Ne => op2!(s, pop_f32, push_bool, |a, b| a != b),
        F32Lt => op2!(s, pop_f32, push_bool, |a, b| a < b),
        F32Gt => op2!(s, pop_f32, push_bool, |a, b| a > b),
        F32Le => op2!(s, pop_f32, push_bool, |a, b| a <= b),
        F32Ge => op2!(s, pop_f32, push_bool, |a, b| a >= b),
        F64Eq => op2!(s, pop_f64, push_bool, |a, b| a == b),
        F64Ne => op2!(s, pop_f64, push_bool, |a, b| a != b),
        F64Lt => op2!(s, pop_f64, push_bool, |a, b| a < b),
        F64Gt => op2!(s, pop_f64, push_bool, |a, b| a > b),
        F64Le => op2!(s, pop_f64, push_bool, |a, b| a <= b),
        F64Ge => op2!(s, pop_f64, push_bool, |a, b| a >= b),
        I32DivS => op2t!(s, pop_i32, push_i32, div32_s),
        I32DivU => op2t!(s, pop_u32, push_u32, div32_u),
        I32RemS => op2t!(s, pop_i32, push_i32, rem32_s),
        I32RemU => op2t!(s, pop_u32, push_u32, rem32_u),
        I64DivS => op2t!(s, pop_i64, push_i64, div64_s),
        I64DivU => op2t!(s, pop_u64, push_u64, div64_u),
        I64RemS => op2t!(s, pop_i64, push_i64, rem64_s),
        I64RemU => op2t!(s, pop_u64, push_u64, rem64_u),
        F32Add => op2!(s, pop_f32, push_f32, |a, b| a + b),
        F32Sub => op2!(s, pop_f32, push_f32, |a, b| a - b),
        F32Mul => op2!(s, pop_f32, push_f32, |a, b| a * b),
        F32Div => op2!(s, pop_f32, push_f32, |a, b| a / b),
        F32Min => op2!(s, pop_f32, push_f32, min32),
        F32Max => op2!(s, pop_f32, push_f32, max32),
        F32Copysign => op2!(s, pop_f32, push_f32, f32::copysign),
        F64Add => op2!(s, pop_f64, push_f64, |a, b| a + b),
        F64Sub => op2!(s, pop_f64, push_f64, |a, b| a - b),
        F64Mul => op2!(s, pop_f64, push_f64, |a, b| a * b),
        F64Div => op2!(s, pop_f64, push_f64, |a, b| a / b),
        F64Min => op2!(s, pop_f64, push_f64, min64),
        F64Max => op2!(s, pop_f64, push_f64, max64),
        F64Copysign => op2!(s, pop_f64, push_f64, f64::copysign),
        I32TruncF32S => op1t!(s, pop_f32, push_i32, i32_f32_s),
        I32TruncF32U => op1t!(s, pop_f32, push_u32, i32_f32_u),
        I32TruncF64S => op1t!(s, pop_f64, push_i32, i32_f64_s),
        I32TruncF64U => op1t!(s, pop_f64, push_u32, i32_f64_u),
        I64TruncF32S => op1t!(s, pop_f32, push_i64, i64_f32_s),
        I64TruncF32U => op1t!(s, pop_f32, push_u64, i64_f32_u),
        I64TruncF64S => op1t!(s, pop_f64, push_i64, i64_f64_s),
        I64TruncF64U => op1t!(s, pop_f64, push_u64, i64_f64_u),
        // Reinterpretations leave the bits alone; only the upper half of a
        // 32-bit slot must stay zero, which it already is.
        I32ReinterpretF32 | F32ReinterpretI32 | I64ReinterpretF64 | F64ReinterpretI64 => {}
        I64Add128 | I64Sub128 => {
            let b_hi = s.pop();
            let b_lo = s.pop();
            let a_hi = s.pop();
            let a_lo = s.pop();
            let a = (a_hi as u128) << 64 | a_lo as u128;
            let b = (b_hi as u128) << 64 | b_lo as u128;
            let r = if matches!(instr, I64Add128) {
                a.wrapping_add(b)
            } else {
                a.wrapping_sub(b)
            };
            s.push_v128(r);
        }
        I64MulWideS => {
            let b = s.pop_i64() as i128;
            let a = s.pop_i64() as i128;
            s.push_v128(a.wrapping_mul(b) as u128);
        }
        I64MulWideU => {
            let b = s.pop_u64() as u128;
            let a = s.pop_u64() as u128;
            s.push_v128(a.wrapping_mul(b));
        }
        _ => match int_bin(instr) {
            Some((f, _)) => {
                let b = s.pop();
                let a = s.top();
                *a = f.call(*a, b);
            }
            None => return Ok(false),
        },
    }
    Ok(true)
}

/// A non-trapping binary operator (integer arithmetic, bitwise, shifts,
/// rotations, comparisons; float arithmetic and comparisons) on slots: both operands and
/// the result are slot encodings (an i32 zero-extended). The translator
/// fuses these with their operands' `local.get` and `const`; a small enum
/// rather than a function pointer, so that each fused op inlines the
/// operator instead of making an indirect call.
macro_rules! int_ops {
    ($($name:ident $kind:ident |$a:ident, $b:ident| $e:expr;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub(crate) enum BinFn {
            $($name,)*
        }

        impl BinFn {
            /// Every operator, in declaration order (`f as usize` indexes it).
            pub(crate) const ALL: &[BinFn] = &[$(BinFn::$name),*];

            /// Applies the operator to two slots.
            #[inline(always)]
            pub(crate) fn call(self, a: u64, b: u64) -> u64 {
                match self {
                    $(BinFn::$name => int_ops!(@$kind a, b, |$a, $b| $e),)*
                }
            }
        }

        /// The operator an instruction denotes, if it is one, and whether it
        /// is `i64`'s.
        pub(crate) fn int_bin(instr: &Instr) -> Option<(BinFn, bool)> {
            match instr {
                $(Instr::$name => Some((BinFn::$name, int_ops!(@wide $kind))),)*
                _ => None,
            }
        }
    };
    (@i32op $x:ident, $y:ident, |$a:ident, $b:ident| $e:expr) => {{
        let ($a, $b) = ($x as u32, $y as u32);
        ($e) as u32 as u64
    }};
    (@i64op $x:ident, $y:ident, |$a:ident, $b:ident| $e:expr) => {{
        let ($a, $b) = ($x, $y);
        ($e) as u64
    }};
    (@f32op $x:ident, $y:ident, |$a:ident, $b:ident| $e:expr) => {{
        let ($a, $b) = (f32::from_bits($x as u32), f32::from_bits($y as u32));
        FloatResult::slot($e)
    }};
    (@f64op $x:ident, $y:ident, |$a:ident, $b:ident| $e:expr) => {{
        let ($a, $b) = (f64::from_bits($x), f64::from_bits($y));
        FloatResult::slot($e)
    }};
    (@wide i32op) => { false };
    (@wide i64op) => { true };
    (@wide f32op) => { false };
    (@wide f64op) => { true };
}

/// Every non-trapping binary operator, as `Name kind |a, b| expr;` rows,
/// passed to `$m!`: `BinFn` and its semantics here, and the interpreter's
/// handler table (one handler per operator) there, come from this one
/// list.
macro_rules! for_each_bin_fn {
    ($m:ident) => {
        $m! {
            I32Eq i32op |a, b| a == b;
            I32Ne i32op |a, b| a != b;
            I32LtS i32op |a, b| (a as i32) < (b as i32);
            I32LtU i32op |a, b| a < b;
            I32GtS i32op |a, b| (a as i32) > (b as i32);
            I32GtU i32op |a, b| a > b;
            I32LeS i32op |a, b| (a as i32) <= (b as i32);
            I32LeU i32op |a, b| a <= b;
            I32GeS i32op |a, b| (a as i32) >= (b as i32);
            I32GeU i32op |a, b| a >= b;
            I32Add i32op |a, b| a.wrapping_add(b);
            I32Sub i32op |a, b| a.wrapping_sub(b);
            I32Mul i32op |a, b| a.wrapping_mul(b);
            I32And i32op |a, b| a & b;
            I32Or i32op |a, b| a | b;
            I32Xor i32op |a, b| a ^ b;
            I32Shl i32op |a, b| a.wrapping_shl(b);
            I32ShrS i32op |a, b| (a as i32).wrapping_shr(b);
            I32ShrU i32op |a, b| a.wrapping_shr(b);
            I32Rotl i32op |a, b| a.rotate_left(b);
            I32Rotr i32op |a, b| a.rotate_right(b);
            I64Eq i64op |a, b| a == b;
            I64Ne i64op |a, b| a != b;
            I64LtS i64op |a, b| (a as i64) < (b as i64);
            I64LtU i64op |a, b| a < b;
            I64GtS i64op |a, b| (a as i64) > (b as i64);
            I64GtU i64op |a, b| a > b;
            I64LeS i64op |a, b| (a as i64) <= (b as i64);
            I64LeU i64op |a, b| a <= b;
            I64GeS i64op |a, b| (a as i64) >= (b as i64);
            I64GeU i64op |a, b| a >= b;
            I64Add i64op |a, b| a.wrapping_add(b);
            I64Sub i64op |a, b| a.wrapping_sub(b);
            I64Mul i64op |a, b| a.wrapping_mul(b);
            I64And i64op |a, b| a & b;
            I64Or i64op |a, b| a | b;
            I64Xor i64op |a, b| a ^ b;
            I64Shl i64op |a, b| a.wrapping_shl(b as u32);
            I64ShrS i64op |a, b| (a as i64).wrapping_shr(b as u32);
            I64ShrU i64op |a, b| a.wrapping_shr(b as u32);
            I64Rotl i64op |a, b| a.rotate_left((b % 64) as u32);
            I64Rotr i64op |a, b| a.rotate_right((b % 64) as u32);
            F32Eq f32op |a, b| a == b;
            F32Ne f32op |a, b| a != b;
            F32Lt f32op |a, b| a < b;
            F32Gt f32op |a, b| a > b;
            F32Le f32op |a, b| a <= b;
            F32Ge f32op |a, b| a >= b;
            F64Eq f64op |a, b| a == b;
            F64Ne f64op |a, b| a != b;
            F64Lt f64op |a, b| a < b;
            F64Gt f64op |a, b| a > b;
            F64Le f64op |a, b| a <= b;
            F64Ge f64op |a, b| a >= b;
            F32Add f32op |a, b| a + b;
            F32Sub f32op |a, b| a - b;
            F32Mul f32op |a, b| a * b;
            F32Div f32op |a, b| a / b;
            F32Min f32op |a, b| min32(a, b);
            F32Max f32op |a, b| max32(a, b);
            F32Copysign f32op |a, b| a.copysign(b);
            F64Add f64op |a, b| a + b;
            F64Sub f64op |a, b| a - b;
            F64Mul f64op |a, b| a * b;
            F64Div f64op |a, b| a / b;
            F64Min f64op |a, b| min64(a, b);
            F64Max f64op |a, b| max64(a, b);
            F64Copysign f64op |a, b| a.copysign(b);
        }
    };
}
pub(crate) use for_each_bin_fn;

for_each_bin_fn!(int_ops);

/// The slot encoding of a float operator's result: a comparison's `bool`
/// as an i32, a float as its bits (an `f32` zero-extended).
trait FloatResult {
    fn slot(self) -> u64;
}
impl FloatResult for bool {
    #[inline(always)]
    fn slot(self) -> u64 {
        self as u64
    }
}
impl FloatResult for f32 {
    #[inline(always)]
    fn slot(self) -> u64 {
        self.to_bits() as u64
    }
}
impl FloatResult for f64 {
    #[inline(always)]
    fn slot(self) -> u64 {
        self.to_bits()
    }
}

/// A value's slot encoding: an `i32` (or `u32`, or a comparison's `bool`)
/// zero-extended, an `f32` as its bits zero-extended, 64-bit values as
/// they are.
trait SlotValue: Sized {
    /// The value a slot holds.
    fn from_slot(s: u64) -> Self;
    /// The slot holding the value.
    fn to_slot(self) -> u64;
}

macro_rules! slot_ints {
    ($($t:ty => $via:ty,)*) => {$(
        impl SlotValue for $t {
            #[inline(always)]
            fn from_slot(s: u64) -> Self {
                s as $via as $t
            }
            #[inline(always)]
            fn to_slot(self) -> u64 {
                self as $via as u64
            }
        }
    )*};
}
slot_ints! {
    u32 => u32,
    i32 => u32,
    u64 => u64,
    i64 => u64,
}

macro_rules! slot_floats {
    ($($t:ty => $bits:ty,)*) => {$(
        impl SlotValue for $t {
            #[inline(always)]
            fn from_slot(s: u64) -> Self {
                <$t>::from_bits(s as $bits)
            }
            #[inline(always)]
            fn to_slot(self) -> u64 {
                self.to_bits() as u64
            }
        }
    )*};
}
slot_floats! {
    f32 => u32,
    f64 => u64,
}

impl SlotValue for bool {
    #[inline(always)]
    fn from_slot(s: u64) -> Self {
        s != 0
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self as u64
    }
}

/// A non-trapping unary operator (bit counts, `i64.eqz`, float unary
/// operators, conversions, sign extensions, saturating truncations) on
/// slots, as `BinFn` is for binary ones: each entry reads its operand as
/// the named type and gives the result's slot, with the same semantics as
/// `numeric`.
macro_rules! un_ops {
    ($($name:ident |$a:ident: $t:ty| $e:expr;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub(crate) enum UnFn {
            $($name,)*
        }

        impl UnFn {
            /// Every operator, in declaration order (`f as usize` indexes it).
            pub(crate) const ALL: &[UnFn] = &[$(UnFn::$name),*];

            /// Applies the operator to a slot.
            #[inline(always)]
            pub(crate) fn call(self, x: u64) -> u64 {
                match self {
                    $(UnFn::$name => {
                        let $a = <$t as SlotValue>::from_slot(x);
                        SlotValue::to_slot($e)
                    })*
                }
            }
        }

        /// The operator an instruction denotes, if it is one of these.
        pub(crate) fn un(instr: &Instr) -> Option<UnFn> {
            match instr {
                $(Instr::$name => Some(UnFn::$name),)*
                _ => None,
            }
        }
    };
}

/// Every non-trapping unary operator, as `Name |a: T| expr;` rows, passed
/// to `$m!` (as `for_each_bin_fn` is for binary ones).
macro_rules! for_each_un_fn {
    ($m:ident) => {
        $m! {
            I32Eqz |a: u32| a == 0;
            I64Eqz |a: u64| a == 0;
            I32Clz |a: u32| a.leading_zeros();
            I32Ctz |a: u32| a.trailing_zeros();
            I32Popcnt |a: u32| a.count_ones();
            I64Clz |a: u64| a.leading_zeros() as u64;
            I64Ctz |a: u64| a.trailing_zeros() as u64;
            I64Popcnt |a: u64| a.count_ones() as u64;
            F32Abs |a: f32| a.abs();
            F32Neg |a: f32| -a;
            F32Ceil |a: f32| ceil32(a);
            F32Floor |a: f32| floor32(a);
            F32Trunc |a: f32| trunc32(a);
            F32Nearest |a: f32| nearest32(a);
            F32Sqrt |a: f32| a.sqrt();
            F64Abs |a: f64| a.abs();
            F64Neg |a: f64| -a;
            F64Ceil |a: f64| ceil64(a);
            F64Floor |a: f64| floor64(a);
            F64Trunc |a: f64| trunc64(a);
            F64Nearest |a: f64| nearest64(a);
            F64Sqrt |a: f64| a.sqrt();
            I32WrapI64 |a: u64| a as u32;
            I64ExtendI32S |a: i32| a as i64;
            I64ExtendI32U |a: u32| a as u64;
            F32ConvertI32S |a: i32| a as f32;
            F32ConvertI32U |a: u32| a as f32;
            F32ConvertI64S |a: i64| a as f32;
            F32ConvertI64U |a: u64| a as f32;
            F32DemoteF64 |a: f64| a as f32;
            F64ConvertI32S |a: i32| a as f64;
            F64ConvertI32U |a: u32| a as f64;
            F64ConvertI64S |a: i64| a as f64;
            F64ConvertI64U |a: u64| a as f64;
            F64PromoteF32 |a: f32| a as f64;
            I32Extend8S |a: i32| a as i8 as i32;
            I32Extend16S |a: i32| a as i16 as i32;
            I64Extend8S |a: i64| a as i8 as i64;
            I64Extend16S |a: i64| a as i16 as i64;
            I64Extend32S |a: i64| a as i32 as i64;
            // Rust's float-to-int casts saturate and map NaN to zero: exactly the
            // non-trapping conversions.
            I32TruncSatF32S |a: f32| a as i32;
            I32TruncSatF32U |a: f32| a as u32;
            I32TruncSatF64S |a: f64| a as i32;
            I32TruncSatF64U |a: f64| a as u32;
            I64TruncSatF32S |a: f32| a as i64;
            I64TruncSatF32U |a: f32| a as u64;
            I64TruncSatF64S |a: f64| a as i64;
            I64TruncSatF64U |a: f64| a as u64;
        }
    };
}
pub(crate) use for_each_un_fn;

for_each_un_fn!(un_ops);

/// The trapping operators: integer division and remainder (binary) and
/// float-to-integer truncation (unary), on slots, each with its trap.
macro_rules! trapping_ops {
    ($($name:ident $kind:ident $f:ident $ta:ty => $tr:ty;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub(crate) enum TrapFn {
            $($name,)*
        }

        impl TrapFn {
            /// Every operator, in declaration order (`f as usize` indexes it).
            pub(crate) const ALL: &[TrapFn] = &[$(TrapFn::$name),*];

            /// Applies the operator to one slot (`b` is ignored by the
            /// unary ones) or traps.
            #[inline(always)]
            pub(crate) fn call(self, a: u64, b: u64) -> Result<u64, Trap> {
                match self {
                    $(TrapFn::$name => trapping_ops!(@$kind $f a, b, $ta, $tr),)*
                }
            }

            /// The result, or `None` where the operator traps: no `Trap`
            /// value is made (a handler that made one could not pass
            /// control on by a tail call); `call` says which trap.
            #[inline(always)]
            pub(crate) fn checked(self, a: u64, b: u64) -> Option<u64> {
                match self {
                    $(TrapFn::$name => checked::$f(a, b),)*
                }
            }

            /// Whether the operator takes two operands.
            pub(crate) fn binary(self) -> bool {
                match self {
                    $(TrapFn::$name => trapping_ops!(@arity $kind),)*
                }
            }
        }

        /// The trapping operator an instruction denotes, if it is one.
        pub(crate) fn trapping(instr: &Instr) -> Option<TrapFn> {
            match instr {
                $(Instr::$name => Some(TrapFn::$name),)*
                _ => None,
            }
        }

        /// Every trapping operator as a callback list, for the
        /// interpreter's handler table.
        macro_rules! for_each_trap_fn {
            ($m:ident) => { $m! { $($name)* } };
        }
        pub(crate) use for_each_trap_fn;
    };
    (@bin $f:ident $a:ident, $b:ident, $ta:ty, $tr:ty) => {
        $f(<$ta as SlotValue>::from_slot($a), <$ta as SlotValue>::from_slot($b)).map(<$tr as SlotValue>::to_slot)
    };
    (@un $f:ident $a:ident, $b:ident, $ta:ty, $tr:ty) => {
        $f(<$ta as SlotValue>::from_slot($a)).map(<$tr as SlotValue>::to_slot)
    };
    (@arity bin) => { true };
    (@arity un) => { false };
}

trapping_ops! {
    I32DivS bin div32_s i32 => i32;
    I32DivU bin div32_u u32 => u32;
    I32RemS bin rem32_s i32 => i32;
    I32RemU bin rem32_u u32 => u32;
    I64DivS bin div64_s i64 => i64;
    I64DivU bin div64_u u64 => u64;
    I64RemS bin rem64_s i64 => i64;
    I64RemU bin rem64_u u64 => u64;
    I32TruncF32S un i32_f32_s f32 => i32;
    I32TruncF32U un i32_f32_u f32 => u32;
    I32TruncF64S un i32_f64_s f64 => i32;
    I32TruncF64U un i32_f64_u f64 => u32;
    I64TruncF32S un i64_f32_s f32 => i64;
    I64TruncF32U un i64_f32_u f32 => u64;
    I64TruncF64S un i64_f64_s f64 => i64;
    I64TruncF64U un i64_f64_u f64 => u64;
}

/// The trapping operators without `Trap`s: `None` exactly where the
/// operator traps (see `TrapFn::checked`), on slots.
mod checked {
    macro_rules! div {
        ($div_s:ident, $div_u:ident, $rem_s:ident, $rem_u:ident, $i:ty, $u:ty) => {
            #[inline(always)]
            pub fn $div_s(a: u64, b: u64) -> Option<u64> {
                let (a, b) = (a as $i, b as $i);
                if b == 0 || (b == -1 && a == <$i>::MIN) {
                    None
                } else {
                    Some((a / b) as $u as u64)
                }
            }
            #[inline(always)]
            pub fn $div_u(a: u64, b: u64) -> Option<u64> {
                (a as $u).checked_div(b as $u).map(|r| r as u64)
            }
            #[inline(always)]
            pub fn $rem_s(a: u64, b: u64) -> Option<u64> {
                let (a, b) = (a as $i, b as $i);
                if b == 0 {
                    None
                } else {
                    Some(a.wrapping_rem(b) as $u as u64)
                }
            }
            #[inline(always)]
            pub fn $rem_u(a: u64, b: u64) -> Option<u64> {
                (a as $u).checked_rem(b as $u).map(|r| r as u64)
            }
        };
    }
    div!(div32_s, div32_u, rem32_s, rem32_u, i32, u32);
    div!(div64_s, div64_u, rem64_s, rem64_u, i64, u64);

    macro_rules! trunc {
        ($name:ident, $f:ty, $bits:ty, $i:ty, $u:ty, $min:expr, $max_excl:expr) => {
            #[inline(always)]
            pub fn $name(a: u64, _: u64) -> Option<u64> {
                let x = <$f>::from_bits(a as $bits);
                let t = x.trunc();
                // NaN fails the range test too.
                if ($min..$max_excl).contains(&t) {
                    Some(t as $i as $u as u64)
                } else {
                    None
                }
            }
        };
    }
    trunc!(i32_f32_s, f32, u32, i32, u32, -2147483648.0, 2147483648.0);
    trunc!(i32_f32_u, f32, u32, u32, u32, 0.0, 4294967296.0);
    trunc!(i32_f64_s, f64, u64, i32, u32, -2147483648.0, 2147483648.0);
    trunc!(i32_f64_u, f64, u64, u32, u32, 0.0, 4294967296.0);
    trunc!(
        i64_f32_s,
        f32,
        u32,
        i64,
        u64,
        -9223372036854775808.0,
        9223372036854775808.0
    );
    trunc!(i64_f32_u, f32, u32, u64, u64, 0.0, 18446744073709551616.0);
    trunc!(
        i64_f64_s,
        f64,
        u64,
        i64,
        u64,
        -9223372036854775808.0,
        9223372036854775808.0
    );
    trunc!(i64_f64_u, f64, u64, u64, u64, 0.0, 18446744073709551616.0);
}
