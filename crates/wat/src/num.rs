//! Numbers of the text format: integers and floats, read exactly.
//!
//! Decimal floats go through `str::parse`, which the standard library
//! guarantees to round correctly (to nearest, ties to even) for `f32` and
//! `f64` alike, without double rounding. Hex floats are rounded here, by
//! hand, subnormals included. NaN payloads are kept bit for bit.

/// Why a token is not the number asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumError {
    /// Not a number of this shape at all.
    Malformed,
    /// A number, but not representable.
    OutOfRange,
}

use NumError::*;

/// Splits an optional sign off.
fn sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// Whether `digits` is `d (_? d)*` in the given radix.
fn valid_digits(digits: &str, hex: bool) -> bool {
    let b = digits.as_bytes();
    if b.is_empty() || b[0] == b'_' || b[b.len() - 1] == b'_' {
        return false;
    }
    let mut prev_underscore = false;
    for &c in b {
        if c == b'_' {
            if prev_underscore {
                return false;
            }
            prev_underscore = true;
        } else {
            prev_underscore = false;
            let ok = if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

/// An unsigned integer literal (decimal or `0x` hex, `_` separators).
fn magnitude(text: &str) -> Result<u64, NumError> {
    let (hex, digits) = match text.strip_prefix("0x") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if !valid_digits(digits, hex) {
        return Err(Malformed);
    }
    let radix = if hex { 16 } else { 10 };
    let mut value: u64 = 0;
    let mut overflow = false;
    for c in digits.bytes().filter(|c| *c != b'_') {
        let d = (c as char).to_digit(radix).unwrap_or(0) as u64;
        match value
            .checked_mul(radix as u64)
            .and_then(|v| v.checked_add(d))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if overflow { Err(OutOfRange) } else { Ok(value) }
}

/// A `u32` (no sign allowed).
pub(crate) fn u32(text: &str) -> Result<u32, NumError> {
    let m = magnitude(text)?;
    u32::try_from(m).map_err(|_| OutOfRange)
}

/// A `u64` (no sign allowed).
pub(crate) fn u64(text: &str) -> Result<u64, NumError> {
    magnitude(text)
}

/// An integer of `bits` bits, signed or unsigned interpretation, as the
/// two's complement bit pattern.
fn int(text: &str, bits: u32) -> Result<u64, NumError> {
    let (neg, rest) = sign(text);
    let m = magnitude(rest)?;
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    if neg {
        if m > 1u64 << (bits - 1) {
            return Err(OutOfRange);
        }
        Ok(m.wrapping_neg() & mask)
    } else if m > mask {
        Err(OutOfRange)
    } else {
        Ok(m)
    }
}

/// An `i8` lane (`-128..=255`).
pub(crate) fn i8(text: &str) -> Result<u8, NumError> {
    Ok(int(text, 8)? as u8)
}

/// An `i16` lane.
pub(crate) fn i16(text: &str) -> Result<u16, NumError> {
    Ok(int(text, 16)? as u16)
}

/// An `i32` (`-2^31..2^32`).
pub(crate) fn i32(text: &str) -> Result<i32, NumError> {
    Ok(int(text, 32)? as u32 as i32)
}

/// An `i64` (`-2^63..2^64`).
pub(crate) fn i64(text: &str) -> Result<i64, NumError> {
    Ok(int(text, 64)? as i64)
}

/// The shape of an IEEE binary format.
#[derive(Clone, Copy)]
struct Format {
    /// Explicit mantissa bits.
    mbits: u32,
    /// Exponent bits.
    ebits: u32,
}

const F32: Format = Format {
    mbits: 23,
    ebits: 8,
};
const F64: Format = Format {
    mbits: 52,
    ebits: 11,
};

/// An `f32`'s bits.
pub(crate) fn f32(text: &str) -> Result<u32, NumError> {
    Ok(float(text, F32)? as u32)
}

/// An `f64`'s bits.
pub(crate) fn f64(text: &str) -> Result<u64, NumError> {
    float(text, F64)
}

fn float(text: &str, fmt: Format) -> Result<u64, NumError> {
    let (neg, rest) = sign(text);
    let sign_bit = u64::from(neg) << (fmt.mbits + fmt.ebits);
    let exp_all = ((1u64 << fmt.ebits) - 1) << fmt.mbits;
    if rest == "inf" {
        return Ok(sign_bit | exp_all);
    }
    if rest == "nan" {
        return Ok(sign_bit | exp_all | (1u64 << (fmt.mbits - 1)));
    }
    if let Some(payload) = rest.strip_prefix("nan:0x") {
        if !valid_digits(payload, true) {
            return Err(Malformed);
        }
        let p = magnitude(&format!("0x{payload}"))?;
        if p == 0 || p >= 1u64 << fmt.mbits {
            return Err(OutOfRange);
        }
        return Ok(sign_bit | exp_all | p);
    }
    let bits = if let Some(hex) = rest.strip_prefix("0x") {
        hex_float(hex, fmt)?
    } else {
        dec_float(rest, fmt)?
    };
    Ok(sign_bit | bits)
}

/// Splits `mant[.frac][<e>[sign]exp]` and checks each part's digits.
fn split_float(text: &str, hex: bool) -> Result<(&str, &str, Option<&str>), NumError> {
    let exp_chars: &[char] = if hex { &['p', 'P'] } else { &['e', 'E'] };
    let (body, exp) = match text.find(exp_chars) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int_part, frac) = match body.find('.') {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    if !valid_digits(int_part, hex) || (!frac.is_empty() && !valid_digits(frac, hex)) {
        return Err(Malformed);
    }
    if let Some(e) = exp {
        let (_, digits) = sign(e);
        if !valid_digits(digits, false) {
            return Err(Malformed);
        }
    }
    Ok((int_part, frac, exp))
}

/// A positive decimal float's bits, correctly rounded by the standard
/// library.
fn dec_float(text: &str, fmt: Format) -> Result<u64, NumError> {
    split_float(text, false)?;
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    if fmt.mbits == 23 {
        let v: f32 = clean.parse().map_err(|_| Malformed)?;
        if v.is_infinite() {
            return Err(OutOfRange);
        }
        Ok(v.to_bits().into())
    } else {
        let v: f64 = clean.parse().map_err(|_| Malformed)?;
        if v.is_infinite() {
            return Err(OutOfRange);
        }
        Ok(v.to_bits())
    }
}

/// A positive hex float's bits (after `0x`), rounded to nearest, ties to
/// even.
fn hex_float(text: &str, fmt: Format) -> Result<u64, NumError> {
    let (int_part, frac, exp) = split_float(text, true)?;
    // Gather up to 60 significant bits; what does not fit only matters
    // as a "sticky" nonzero tail for rounding.
    let mut mant: u64 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    let digits = |s: &str| {
        s.bytes()
            .filter(|c| *c != b'_')
            .map(|c| (c as char).to_digit(16).unwrap_or(0) as u64)
            .collect::<Vec<_>>()
    };
    for d in digits(int_part) {
        if mant < 1 << 56 {
            mant = mant * 16 + d;
        } else {
            exp2 += 4;
            sticky |= d != 0;
        }
    }
    for d in digits(frac) {
        if mant < 1 << 56 {
            mant = mant * 16 + d;
            exp2 -= 4;
        } else {
            sticky |= d != 0;
        }
    }
    if let Some(e) = exp {
        let (neg, digits) = sign(e);
        // Saturate: beyond a few thousand the result is 0 or out of
        // range whatever the mantissa.
        let mut v: i64 = 0;
        for c in digits.bytes().filter(|c| *c != b'_') {
            v = (v * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        exp2 += if neg { -v } else { v };
    }
    if mant == 0 {
        return Ok(0);
    }
    round_binary(mant, exp2, sticky, fmt)
}

/// Rounds `mant * 2^exp2` (plus a nonzero tail below `mant` if `sticky`)
/// to the format's bits.
fn round_binary(mant: u64, exp2: i64, sticky: bool, fmt: Format) -> Result<u64, NumError> {
    let top = 63 - i64::from(mant.leading_zeros()); // position of the leading 1
    let e = top + exp2; // unbiased exponent of the value
    let bias = (1i64 << (fmt.ebits - 1)) - 1;
    let emin = 1 - bias;
    if e > bias + 1 {
        return Err(OutOfRange);
    }
    // Significant bits the result can hold at this exponent.
    let keep = if e >= emin {
        i64::from(fmt.mbits) + 1
    } else {
        i64::from(fmt.mbits) + 1 - (emin - e)
    };
    if keep < 0 {
        return Ok(0);
    }
    let shift = top + 1 - keep; // low bits of `mant` to drop
    let mut m = u128::from(mant);
    if shift > 0 {
        let dropped = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        m >>= shift;
        if dropped > half || (dropped == half && (sticky || m & 1 == 1)) {
            m += 1;
        }
    } else {
        m <<= -shift;
    }
    if e < emin {
        // Subnormal (or rounded up into the smallest normal, which the
        // same bit pattern expresses).
        return Ok(m as u64);
    }
    let mut e = e;
    if m == 1u128 << (fmt.mbits + 1) {
        m >>= 1;
        e += 1;
    }
    if e > bias {
        return Err(OutOfRange);
    }
    let mbits_mask = (1u64 << fmt.mbits) - 1;
    Ok((((e + bias) as u64) << fmt.mbits) | (m as u64 & mbits_mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(i32("0x7fff_ffff"), Ok(i32::MAX));
        assert_eq!(i32("-0x8000_0000"), Ok(i32::MIN));
        assert_eq!(i32("0xffffffff"), Ok(-1));
        assert_eq!(i32("4294967296"), Err(OutOfRange));
        assert_eq!(i32("-2147483649"), Err(OutOfRange));
        assert_eq!(i32("+12"), Ok(12));
        assert_eq!(i32("1__2"), Err(Malformed));
        assert_eq!(i32("_1"), Err(Malformed));
        assert_eq!(i32("0x"), Err(Malformed));
        assert_eq!(i64("18446744073709551615"), Ok(-1));
        assert_eq!(i64("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(i64("18446744073709551616"), Err(OutOfRange));
        assert_eq!(u32("-1"), Err(Malformed));
        assert_eq!(i8("255"), Ok(255));
        assert_eq!(i8("-128"), Ok(128));
        assert_eq!(i8("256"), Err(OutOfRange));
    }

    #[test]
    fn decimal_floats() {
        assert_eq!(f32("1.5"), Ok(1.5f32.to_bits()));
        assert_eq!(f32("-0.0"), Ok(0x8000_0000));
        assert_eq!(f64("1e308"), Ok(1e308f64.to_bits()));
        assert_eq!(f64("1e309"), Err(OutOfRange));
        assert_eq!(f32("1_000.000_1"), Ok(1000.0001f32.to_bits()));
        assert_eq!(f32("1."), Ok(1.0f32.to_bits()));
        assert_eq!(f32("1.e1"), Ok(10.0f32.to_bits()));
        assert_eq!(f32(".5"), Err(Malformed));
        assert_eq!(f32("1e"), Err(Malformed));
        // Just below the rounding threshold to infinity of f32.
        assert_eq!(f32("3.4028235677973366e38"), Ok(f32::MAX.to_bits()));
        assert_eq!(f32("3.4028235677973367e38"), Err(OutOfRange));
    }

    #[test]
    fn hex_floats() {
        assert_eq!(f32("0x1p0"), Ok(1.0f32.to_bits()));
        assert_eq!(f32("0x1.8p1"), Ok(3.0f32.to_bits()));
        assert_eq!(f32("0x1p-149"), Ok(1));
        assert_eq!(f32("0x1p-150"), Ok(0)); // tie to even: 0
        assert_eq!(f32("0x1.000001p-150"), Ok(1));
        assert_eq!(f32("0x1.fffffep127"), Ok(f32::MAX.to_bits()));
        assert_eq!(f32("0x1.ffffffp127"), Err(OutOfRange));
        assert_eq!(f32("0x1.fffffefffffffffffp127"), Ok(f32::MAX.to_bits()));
        // Ties: 1 + 2^-24 rounds down to even, 1 + 3*2^-24 up.
        assert_eq!(f32("0x1.000001p0"), Ok(1.0f32.to_bits()));
        assert_eq!(f32("0x1.000003p0"), Ok(0x3f80_0002));
        assert_eq!(f32("0x1.00000100000000001p0"), Ok(0x3f80_0001));
        assert_eq!(f64("0x1p-1074"), Ok(1));
        assert_eq!(f64("0x1.fffffffffffffp1023"), Ok(f64::MAX.to_bits()));
        assert_eq!(f64("0x0.0000000000001p-1022"), Ok(1));
        assert_eq!(f64("0x1.fffffffffffff8p-1023"), Ok(0x0010_0000_0000_0000));
        assert_eq!(f64("0x1p+99999999999999999"), Err(OutOfRange));
        assert_eq!(f64("0x1p-99999999999999999"), Ok(0));
        assert_eq!(f64("0x0p99999"), Ok(0));
    }

    #[test]
    fn special_floats() {
        assert_eq!(f32("inf"), Ok(0x7f80_0000));
        assert_eq!(f32("-inf"), Ok(0xff80_0000));
        assert_eq!(f32("nan"), Ok(0x7fc0_0000));
        assert_eq!(f32("-nan:0x1"), Ok(0xff80_0001));
        assert_eq!(f32("nan:0x7fffff"), Ok(0x7fff_ffff));
        assert_eq!(f32("nan:0x800000"), Err(OutOfRange));
        assert_eq!(f32("nan:0x0"), Err(OutOfRange));
        assert_eq!(f64("nan:0xf_ffff_ffff_ffff"), Ok(0x7fff_ffff_ffff_ffff));
        assert_eq!(f32("nan:1"), Err(Malformed));
        assert_eq!(f32("infinity"), Err(Malformed));
    }
}
