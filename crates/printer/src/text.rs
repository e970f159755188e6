//! Lexical pieces of the text format: integers, floats, strings and `$id`s.
//!
//! Everything here writes straight into the sink; nothing allocates.

use std::fmt::{self, Write};

/// Writes an unsigned integer in decimal without going through
/// `fmt::Arguments` (this is the hottest path of the printer: every index).
pub fn uint<W: Write>(out: &mut W, mut value: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // Only ASCII digits were written, so the conversion cannot fail.
    out.write_str(std::str::from_utf8(&buf[at..]).unwrap_or("0"))
}

/// Writes a signed integer in decimal.
pub fn int<W: Write>(out: &mut W, value: i64) -> fmt::Result {
    if value < 0 {
        out.write_char('-')?;
    }
    uint(out, value.unsigned_abs())
}

/// Writes `value` as `0x` followed by exactly `digits` hex digits.
pub fn hex_fixed<W: Write>(out: &mut W, value: u64, digits: u32) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 18];
    buf[0] = b'0';
    buf[1] = b'x';
    let digits = digits.clamp(1, 16) as usize;
    for i in 0..digits {
        let shift = 4 * (digits - 1 - i);
        buf[2 + i] = HEX[((value >> shift) & 0xf) as usize];
    }
    out.write_str(std::str::from_utf8(&buf[..2 + digits]).unwrap_or("0x0"))
}

/// Writes a 32-bit float, given by its bits, so that it parses back to the
/// same bits (weft-ast's text spelling of floats).
pub fn f32_bits<W: Write>(out: &mut W, bits: u32) -> fmt::Result {
    write!(out, "{}", weft_ast::Ieee32(bits))
}

/// Writes a 64-bit float, given by its bits; see [`f32_bits`].
pub fn f64_bits<W: Write>(out: &mut W, bits: u64) -> fmt::Result {
    write!(out, "{}", weft_ast::Ieee64(bits))
}

/// Whether a byte may appear raw inside a text-format string: printable
/// ASCII other than `"` and `\`.
fn is_plain(b: u8) -> bool {
    (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'
}

/// Writes the inside of a string literal (no quotes): printable ASCII raw,
/// `\"` and `\\` escaped, every other byte as `\hh`.
pub fn string_body<W: Write>(out: &mut W, bytes: &[u8]) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = bytes;
    while !rest.is_empty() {
        let run = rest
            .iter()
            .position(|b| !is_plain(*b))
            .unwrap_or(rest.len());
        if run > 0 {
            // A run of printable ASCII is valid UTF-8.
            out.write_str(std::str::from_utf8(&rest[..run]).unwrap_or(""))?;
            rest = &rest[run..];
            continue;
        }
        let b = rest[0];
        match b {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            _ => {
                let esc = [b'\\', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]];
                out.write_str(std::str::from_utf8(&esc).unwrap_or(""))?;
            }
        }
        rest = &rest[1..];
    }
    Ok(())
}

/// Writes a quoted string literal.
pub fn string<W: Write>(out: &mut W, bytes: &[u8]) -> fmt::Result {
    out.write_char('"')?;
    string_body(out, bytes)?;
    out.write_char('"')
}

/// Writes a quoted string literal for a (UTF-8) name: like [`string`], but
/// non-ASCII characters stay readable, since the text format allows any
/// character other than controls inside strings.
pub fn name<W: Write>(out: &mut W, name: &str) -> fmt::Result {
    out.write_char('"')?;
    name_body(out, name)?;
    out.write_char('"')
}

fn name_body<W: Write>(out: &mut W, name: &str) -> fmt::Result {
    let mut rest = name;
    while let Some(at) = rest.find(|c: char| c.is_ascii() && !is_plain(c as u8)) {
        out.write_str(&rest[..at])?;
        string_body(out, &rest.as_bytes()[at..at + 1])?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// Whether `c` is an `idchar` of the text format.
fn is_idchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-./:<=>?@\\^_`|~".contains(c)
}

/// The printed form of a name as an identifier: `$name` when every
/// character is an `idchar`, `$"..."` otherwise. `None` for the empty name,
/// which no identifier can spell.
pub fn id(name: &str) -> Option<Box<str>> {
    if name.is_empty() {
        return None;
    }
    let mut s = String::with_capacity(name.len() + 3);
    s.push('$');
    if name.chars().all(is_idchar) {
        s.push_str(name);
    } else {
        // Writing into a String cannot fail.
        self::name(&mut s, name).ok()?;
    }
    Some(s.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(bits: u32) -> String {
        let mut s = String::new();
        f32_bits(&mut s, bits).unwrap();
        s
    }

    fn f64s(bits: u64) -> String {
        let mut s = String::new();
        f64_bits(&mut s, bits).unwrap();
        s
    }

    #[test]
    fn integers() {
        let mut s = String::new();
        uint(&mut s, 0).unwrap();
        s.push(' ');
        uint(&mut s, u64::MAX).unwrap();
        s.push(' ');
        int(&mut s, i64::MIN).unwrap();
        s.push(' ');
        int(&mut s, -7).unwrap();
        s.push(' ');
        hex_fixed(&mut s, 0xab, 8).unwrap();
        assert_eq!(
            s,
            "0 18446744073709551615 -9223372036854775808 -7 0x000000ab"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(f32s(0), "0");
        assert_eq!(f32s(0x8000_0000), "-0");
        assert_eq!(f32s(1.5f32.to_bits()), "1.5");
        assert_eq!(f32s(0x7f80_0000), "inf");
        assert_eq!(f32s(0xff80_0000), "-inf");
        assert_eq!(f32s(0x7fc0_0000), "nan");
        assert_eq!(f32s(0xffc0_0000), "-nan");
        assert_eq!(f32s(0x7f80_0001), "nan:0x1");
        assert_eq!(f32s(0x7fff_ffff), "nan:0x7fffff");
        assert_eq!(f32s(1), "1e-45");
        assert_eq!(f32s(f32::MAX.to_bits()), "3.4028235e38");
        assert_eq!(f64s(0x7ff8_0000_0000_0000), "nan");
        assert_eq!(f64s(0xfff0_0000_0000_0001), "-nan:0x1");
        assert_eq!(f64s(0.1f64.to_bits()), "0.1");
        assert_eq!(f64s(1), "5e-324");
        assert_eq!(f64s(1e300f64.to_bits()), "1e300");
    }

    #[test]
    fn decimal_floats_read_back_exactly() {
        // Every printed finite value must parse (as Rust does, correctly
        // rounded) back to the same bits.
        let mut x: u32 = 0x1234_5678;
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = f32::from_bits(x);
            if v.is_finite() {
                let s = f32s(x);
                assert_eq!(s.parse::<f32>().unwrap().to_bits(), x, "{s}");
            }
        }
    }

    #[test]
    fn strings() {
        let mut s = String::new();
        string(&mut s, b"a\"b\\c\n\x00\xff~ ").unwrap();
        assert_eq!(s, r#""a\"b\\c\0a\00\ff~ ""#);
    }

    #[test]
    fn ids() {
        assert_eq!(id("foo").as_deref(), Some("$foo"));
        assert_eq!(id("a.b/c").as_deref(), Some("$a.b/c"));
        assert_eq!(id("has space").as_deref(), Some("$\"has space\""));
        assert_eq!(id("q\"").as_deref(), Some("$\"q\\\"\""));
        assert_eq!(id("é").as_deref(), Some("$\"é\""));
        assert_eq!(id("\u{7f}").as_deref(), Some("$\"\\7f\""));
        assert_eq!(id(""), None);
    }
}
