//! Number literals against wat: random decimal and hex floats and integers
//! of every width must give the same bits, or be rejected by both.
//!
//! wat rounds some hex floats twice (through `f64` to `f32`) and wide hex
//! integers wrongly; where it disagrees with weft on a hex literal, an
//! exact oracle here (full 128-bit mantissa, no shortcut) decides.

use weft_ast::{Features, Instr};

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn digits(&mut self, radix: u64, max_len: u64) -> String {
        let len = 1 + self.below(max_len);
        (0..len)
            .map(|_| char::from_digit(self.below(radix) as u32, radix as u32).unwrap_or('0'))
            .collect()
    }
}

fn literal(rng: &mut Rng) -> String {
    let sign = ["", "-", "+"][rng.below(3) as usize];
    let body = match rng.below(4) {
        0 => {
            let frac = if rng.below(2) == 0 {
                format!(".{}", rng.digits(10, 25))
            } else {
                String::new()
            };
            let exp = if rng.below(2) == 0 {
                format!("e{}", rng.below(700) as i64 - 350)
            } else {
                String::new()
            };
            format!("{}{frac}{exp}", rng.digits(10, 25))
        }
        1 | 2 => {
            let frac = if rng.below(2) == 0 {
                format!(".{}", rng.digits(16, 15))
            } else {
                String::new()
            };
            format!(
                "0x{}{frac}p{}",
                rng.digits(16, 15),
                rng.below(2300) as i64 - 1150
            )
        }
        // Up to 64 bits: wat rounds wider hex integers wrongly as floats
        // (see `wide_hex_integer_as_float`).
        _ => format!("0x{}", rng.digits(16, 16)),
    };
    format!("{sign}{body}")
}

/// The constant our parser and wat's give for `(ty.const lit)`, as the
/// instruction bytes after the opcode, or `None` when rejected.
fn both(ty: &str, lit: &str) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let text = format!("(module (func (drop ({ty}.const {lit}))))");
    let ours = weft_wat::parse_module_with(&text, Features::ALL)
        .ok()
        .map(|m| {
            let mut bytes = Vec::new();
            match &m.code[0] {
                Instr::F32Const { value } => bytes.extend(value.0.to_le_bytes()),
                Instr::F64Const { value } => bytes.extend(value.0.to_le_bytes()),
                Instr::I32Const { value } => bytes.extend(value.to_le_bytes()),
                Instr::I64Const { value } => bytes.extend(value.to_le_bytes()),
                other => panic!("{other:?}"),
            }
            bytes
        });
    let theirs = wat::parse_str(&text).ok().map(|bin| {
        // The constant sits right after its opcode in the one body:
        // find the opcode byte followed by the body's `drop end`.
        let width = match ty {
            "f32" => 4,
            "f64" => 8,
            _ => 0,
        };
        let end = bin.len() - 2; // `drop`, `end`
        if width > 0 {
            bin[end - width..end].to_vec()
        } else {
            // Decode the signed LEB128 that ends at `end`.
            let start = (0..end)
                .rev()
                .take_while(|&i| i == end - 1 || bin[i] & 0x80 != 0)
                .last()
                .unwrap_or(end - 1);
            let mut v: i64 = 0;
            let mut shift = 0;
            for &b in &bin[start..end] {
                v |= i64::from(b & 0x7f) << shift;
                shift += 7;
            }
            if shift < 64 && bin[end - 1] & 0x40 != 0 {
                v |= -1 << shift;
            }
            if ty == "i32" {
                (v as i32).to_le_bytes().to_vec()
            } else {
                v.to_le_bytes().to_vec()
            }
        }
    });
    (ours, theirs)
}

/// The exact bits of a hex float literal (`[sign]0x<hex>[.<hex>][p<exp>]`,
/// at most 32 hex digits) in a format with `mbits` mantissa and `ebits`
/// exponent bits, rounded to nearest even; `None` if out of range.
fn exact_hex(lit: &str, mbits: u32, ebits: u32) -> Option<u64> {
    let (neg, rest) = match lit.as_bytes()[0] {
        b'-' => (true, &lit[1..]),
        b'+' => (false, &lit[1..]),
        _ => (false, lit),
    };
    let rest = rest.strip_prefix("0x")?;
    let (body, exp) = match rest.find('p') {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut m: u128 = 0;
    for c in int.chars().chain(frac.chars()) {
        m = m * 16 + u128::from(c.to_digit(16)?);
    }
    let sign = u64::from(neg) << (mbits + ebits);
    if m == 0 {
        return Some(sign);
    }
    let e2 = exp - 4 * frac.len() as i64;
    let top = 127 - i64::from(m.leading_zeros());
    let mut e = top + e2;
    let bias = (1i64 << (ebits - 1)) - 1;
    let emin = 1 - bias;
    let keep = i64::from(mbits) + 1 - (emin - e).max(0);
    if keep < 0 {
        return Some(sign);
    }
    let shift = top + 1 - keep;
    let mut q = if shift > 0 {
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let q = m >> shift;
        q + u128::from(rem > half || (rem == half && q & 1 == 1))
    } else {
        m << -shift
    };
    if e < emin {
        return Some(sign | q as u64);
    }
    if q >> (mbits + 1) != 0 {
        q >>= 1;
        e += 1;
    }
    if e > bias {
        return None;
    }
    Some(sign | ((e + bias) as u64) << mbits | (q as u64 & ((1 << mbits) - 1)))
}

#[test]
fn exact_oracle_matches_known_values() {
    assert_eq!(exact_hex("0x1p0", 23, 8), Some(0x3f80_0000));
    assert_eq!(exact_hex("0x019a023d08p-149", 23, 8), Some(0x054d_011f));
    assert_eq!(exact_hex("-0x1p-149", 23, 8), Some(0x8000_0001));
    assert_eq!(exact_hex("0x1p128", 23, 8), None);
}

#[test]
fn random_literals_agree_with_wat() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut accepted = 0;
    let mut wat_wrong = 0;
    for _ in 0..20_000 {
        let lit = literal(&mut rng);
        for ty in ["f32", "f64", "i32", "i64"] {
            let (ours, theirs) = both(ty, &lit);
            accepted += usize::from(ours.is_some());
            let exact = match ty {
                "f32" => exact_hex(&lit, 23, 8).map(|b| (b as u32).to_le_bytes().to_vec()),
                "f64" => exact_hex(&lit, 52, 11).map(|b| b.to_le_bytes().to_vec()),
                _ => None,
            };
            // Every hex float is checked against the exact oracle.
            if lit.contains("0x") && ty.starts_with('f') {
                assert_eq!(ours, exact, "{ty}.const {lit}");
            }
            if ours != theirs {
                assert!(
                    lit.contains("0x") && ty.starts_with('f'),
                    "{ty}.const {lit}: ours {ours:?}, wat {theirs:?}"
                );
                wat_wrong += 1;
            }
        }
    }
    println!("{accepted} literals accepted; wat rounded {wat_wrong} hex floats inexactly");
    assert!(accepted > 30_000, "only {accepted} accepted");
}

#[test]
fn edge_literals_agree_with_wat() {
    let edges = [
        "0x1p-149",
        "0x1p-150",
        "0x1.000001p-150",
        "0x1.fffffep127",
        "0x1.ffffffp127",
        "0x1.fffffefffffffffffffp127",
        "0x1p-1074",
        "0x1p-1075",
        "0x0.8000000000000000000001p-1074",
        "0x1.fffffffffffff7ffffffp1023",
        "0x1.fffffffffffff8p1023",
        "3.4028235677973366e38",
        "3.4028235677973367e38",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.401298464324817e-45",
        "7.006492321624085e-46",
        "7.006492321624086e-46",
        "nan",
        "-nan",
        "nan:0x1",
        "nan:0x7fffff",
        "nan:0x800000",
        "nan:0xfffffffffffff",
        "-inf",
        "inf",
        "0x_1",
        "1__0",
        "0x1p+1_0",
        "4294967295",
        "-2147483648",
        "4294967296",
        "18446744073709551615",
        "-9223372036854775808",
        "18446744073709551616",
    ];
    for lit in edges {
        for ty in ["f32", "f64", "i32", "i64"] {
            let (ours, theirs) = both(ty, lit);
            assert_eq!(ours, theirs, "{ty}.const {lit}");
        }
    }
}

/// A 65-bit hex integer as an `f64`: the 12 dropped bits `0x80b` are more
/// than half an ulp, so it rounds up (Python's `float.fromhex` agrees:
/// `0x43f6557c2fb8d92b`). wat 1.263 rounds it down.
#[test]
fn wide_hex_integer_as_float() {
    let (ours, theirs) = both("f64", "0x16557c2fb8d92a80b");
    assert_eq!(ours, Some(0x43f6_557c_2fb8_d92b_u64.to_le_bytes().to_vec()));
    assert_ne!(ours, theirs);
}
