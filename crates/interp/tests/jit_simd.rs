//! The JIT's inline SIMD (`jit/simd.rs`) against the interpreter, bit for
//! bit: every lowered operation on vectors chosen for their edges (lane
//! minima and maxima, -0, NaNs with payloads, signalling NaNs, infinities,
//! values just past the integer ranges), shift counts past the lane
//! width, swizzle indexes out of range, float min/max with NaN and -0,
//! the vector memory accesses at the bounds of memory, and enough live
//! vectors to spill registers.

#![cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]

use weft_ast::{Features, Ieee32, Ieee64};
use weft_interp::{Engine, Instance, Linker, Module, Store, Value};

/// Both engines' instances of one module.
struct Both {
    stores: Vec<(Store, Instance)>,
}

impl Both {
    fn new(text: &str) -> Both {
        let ast = weft_wat::parse_module(text).expect("test module parses");
        let stores = [Engine::Interp, Engine::Jit]
            .into_iter()
            .map(|engine| {
                let m = Module::with_engine(ast.clone(), Features::WASM3, engine).expect("valid");
                if engine == Engine::Jit {
                    let s = m.jit_stats().expect("compiled");
                    assert_eq!(s.interpreted, 0, "every function compiled: {s:?}");
                }
                let mut store = Store::new();
                let inst = Linker::new()
                    .instantiate(&mut store, &m)
                    .expect("instantiates");
                (store, inst)
            })
            .collect();
        Both { stores }
    }

    /// Calls `name` on both engines; they must agree bit for bit (a
    /// `Value`'s equality compares a float's bits). Returns the result.
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        for (store, inst) in &mut self.stores {
            let f = store.export_func(*inst, name).expect("exported");
            out.push(store.call(f, args).map_err(|e| e.to_string()));
        }
        let same = match (&out[0], &out[1]) {
            (Ok(x), Ok(y)) if x.len() == y.len() => {
                x.iter().zip(y).all(|(x, y)| same_value(name, x, y))
            }
            (x, y) => x == y,
        };
        assert!(
            same,
            "{name}{args:x?}: interpreter {:x?} vs JIT {:x?}",
            out[0], out[1]
        );
        out.pop().expect("two results")
    }
}

/// Equal bits; except that in a float operation's lanes, any two NaNs are
/// equal where the operation had more than one NaN to choose from (which
/// one comes out depends on the operand order the interpreter's compiler
/// picked, and the spec leaves it open). A single NaN operand's
/// propagation is checked exactly by `float_min_max_order_zeros_and_propagate_nans`.
fn same_value(op: &str, x: &Value, y: &Value) -> bool {
    let (Value::V128(a), Value::V128(b)) = (x, y) else {
        return x == y;
    };
    let bits = if op.starts_with("f32x4.") {
        32
    } else if op.starts_with("f64x2.") {
        64
    } else {
        return a == b;
    };
    let mask = if bits == 32 {
        0xffff_ffffu128
    } else {
        u64::MAX as u128
    };
    (0..128 / bits).all(|k| {
        let (p, q) = ((a >> (k * bits)) & mask, (b >> (k * bits)) & mask);
        let nan = |v: u128| {
            if bits == 32 {
                f32::from_bits(v as u32).is_nan()
            } else {
                f64::from_bits(v as u64).is_nan()
            }
        };
        p == q || (nan(p) && nan(q))
    })
}

fn v(x: u128) -> Value {
    Value::V128(x)
}

fn f32x4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |acc, (i, &x)| acc | (x as u128) << (32 * i))
}

fn f64x2(l: [u64; 2]) -> u128 {
    l[0] as u128 | (l[1] as u128) << 64
}

/// Vectors whose lanes hit the edges of every lane type.
fn inputs() -> Vec<u128> {
    vec![
        0,
        u128::MAX,
        0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10,
        0x8000_0000_7fff_ffff_0000_0001_ffff_ffff,
        0x00ff_7f80_fe01_8081_5555_aaaa_3333_cccc,
        0x8000_7fff_0000_0001_ffff_8001_4000_c000,
        0x1f20_1011_0f00_ff80_7f10_0fe0_f0c0_3f17,
        // f32: -0, +0, a quiet NaN with a payload, a signalling NaN.
        f32x4([0x8000_0000, 0, 0x7fc0_0001, 0x7f80_0001]),
        // f32: 1, -1, +inf, -inf.
        f32x4([0x3f80_0000, 0xbf80_0000, 0x7f80_0000, 0xff80_0000]),
        // f32: 2.5, -2.5, 3e9, -3e9.
        f32x4([0x4020_0000, 0xc020_0000, 0x4f32_d05e, 0xcf32_d05e]),
        // f32: 0.5, the least subnormal, 2^24 + 2, a negative NaN.
        f32x4([0x3f00_0000, 1, 0x4b80_0001, 0xffc0_0000]),
        // f64: -0, a quiet NaN with a payload.
        f64x2([0x8000_0000_0000_0000, 0x7ff8_0000_0000_0001]),
        // f64: a signalling NaN, 1.
        f64x2([0x7ff0_0000_0000_0001, 0x3ff0_0000_0000_0000]),
        // f64: 2147483647.5, -2147483648.9.
        f64x2([0x41df_ffff_ffe0_0000, 0xc1e0_0000_001c_cccd]),
        // f64: 4294967296, -inf.
        f64x2([0x41f0_0000_0000_0000, 0xfff0_0000_0000_0000]),
        // f64: +0, -2.5.
        f64x2([0, 0xc004_0000_0000_0000]),
        // f32: 2^31, the largest below 2^32, 2^32, -0.9.
        f32x4([0x4f00_0000, 0x4f7f_ffff, 0x4f80_0000, 0xbf66_6666]),
        // f64: 4294967295.9, -0.5.
        f64x2([0x41ef_ffff_fffc_cccd, 0xbfe0_0000_0000_0000]),
    ]
}

const BINARY: &[&str] = &[
    "i8x16.add",
    "i8x16.sub",
    "i16x8.add",
    "i16x8.sub",
    "i16x8.mul",
    "i32x4.add",
    "i32x4.sub",
    "i32x4.mul",
    "i64x2.add",
    "i64x2.sub",
    "i64x2.mul",
    "i8x16.add_sat_s",
    "i8x16.add_sat_u",
    "i8x16.sub_sat_s",
    "i8x16.sub_sat_u",
    "i16x8.add_sat_s",
    "i16x8.add_sat_u",
    "i16x8.sub_sat_s",
    "i16x8.sub_sat_u",
    "i8x16.min_s",
    "i8x16.min_u",
    "i8x16.max_s",
    "i8x16.max_u",
    "i16x8.min_s",
    "i16x8.min_u",
    "i16x8.max_s",
    "i16x8.max_u",
    "i32x4.min_s",
    "i32x4.min_u",
    "i32x4.max_s",
    "i32x4.max_u",
    "i8x16.avgr_u",
    "i16x8.avgr_u",
    "i16x8.q15mulr_sat_s",
    "i8x16.narrow_i16x8_s",
    "i8x16.narrow_i16x8_u",
    "i16x8.narrow_i32x4_s",
    "i16x8.narrow_i32x4_u",
    "i16x8.extmul_low_i8x16_s",
    "i16x8.extmul_high_i8x16_s",
    "i16x8.extmul_low_i8x16_u",
    "i16x8.extmul_high_i8x16_u",
    "i32x4.extmul_low_i16x8_s",
    "i32x4.extmul_high_i16x8_s",
    "i32x4.extmul_low_i16x8_u",
    "i32x4.extmul_high_i16x8_u",
    "i64x2.extmul_low_i32x4_s",
    "i64x2.extmul_high_i32x4_s",
    "i64x2.extmul_low_i32x4_u",
    "i64x2.extmul_high_i32x4_u",
    "i32x4.dot_i16x8_s",
    "i8x16.swizzle",
    "i8x16.eq",
    "i8x16.ne",
    "i8x16.lt_s",
    "i8x16.lt_u",
    "i8x16.gt_s",
    "i8x16.gt_u",
    "i8x16.le_s",
    "i8x16.le_u",
    "i8x16.ge_s",
    "i8x16.ge_u",
    "i16x8.eq",
    "i16x8.ne",
    "i16x8.lt_s",
    "i16x8.lt_u",
    "i16x8.gt_s",
    "i16x8.gt_u",
    "i16x8.le_s",
    "i16x8.le_u",
    "i16x8.ge_s",
    "i16x8.ge_u",
    "i32x4.eq",
    "i32x4.ne",
    "i32x4.lt_s",
    "i32x4.lt_u",
    "i32x4.gt_s",
    "i32x4.gt_u",
    "i32x4.le_s",
    "i32x4.le_u",
    "i32x4.ge_s",
    "i32x4.ge_u",
    "i64x2.eq",
    "i64x2.ne",
    "i64x2.lt_s",
    "i64x2.gt_s",
    "i64x2.le_s",
    "i64x2.ge_s",
    "f32x4.eq",
    "f32x4.ne",
    "f32x4.lt",
    "f32x4.gt",
    "f32x4.le",
    "f32x4.ge",
    "f64x2.eq",
    "f64x2.ne",
    "f64x2.lt",
    "f64x2.gt",
    "f64x2.le",
    "f64x2.ge",
    "v128.and",
    "v128.or",
    "v128.xor",
    "v128.andnot",
    "f32x4.add",
    "f32x4.sub",
    "f32x4.mul",
    "f32x4.div",
    "f32x4.min",
    "f32x4.max",
    "f32x4.pmin",
    "f32x4.pmax",
    "f64x2.add",
    "f64x2.sub",
    "f64x2.mul",
    "f64x2.div",
    "f64x2.min",
    "f64x2.max",
    "f64x2.pmin",
    "f64x2.pmax",
    "i8x16.relaxed_swizzle",
    "f32x4.relaxed_min",
    "f32x4.relaxed_max",
    "f64x2.relaxed_min",
    "f64x2.relaxed_max",
    "i16x8.relaxed_q15mulr_s",
    "i16x8.relaxed_dot_i8x16_i7x16_s",
];

const UNARY: &[&str] = &[
    "v128.not",
    "i8x16.abs",
    "i8x16.neg",
    "i8x16.popcnt",
    "i16x8.abs",
    "i16x8.neg",
    "i32x4.abs",
    "i32x4.neg",
    "i64x2.abs",
    "i64x2.neg",
    "i16x8.extend_low_i8x16_s",
    "i16x8.extend_high_i8x16_s",
    "i16x8.extend_low_i8x16_u",
    "i16x8.extend_high_i8x16_u",
    "i32x4.extend_low_i16x8_s",
    "i32x4.extend_high_i16x8_s",
    "i32x4.extend_low_i16x8_u",
    "i32x4.extend_high_i16x8_u",
    "i64x2.extend_low_i32x4_s",
    "i64x2.extend_high_i32x4_s",
    "i64x2.extend_low_i32x4_u",
    "i64x2.extend_high_i32x4_u",
    "i16x8.extadd_pairwise_i8x16_s",
    "i16x8.extadd_pairwise_i8x16_u",
    "i32x4.extadd_pairwise_i16x8_s",
    "i32x4.extadd_pairwise_i16x8_u",
    "f32x4.abs",
    "f32x4.neg",
    "f32x4.sqrt",
    "f32x4.ceil",
    "f32x4.floor",
    "f32x4.trunc",
    "f32x4.nearest",
    "f64x2.abs",
    "f64x2.neg",
    "f64x2.sqrt",
    "f64x2.ceil",
    "f64x2.floor",
    "f64x2.trunc",
    "f64x2.nearest",
    "f32x4.convert_i32x4_s",
    "f32x4.convert_i32x4_u",
    "f64x2.convert_low_i32x4_s",
    "f64x2.convert_low_i32x4_u",
    "f32x4.demote_f64x2_zero",
    "f64x2.promote_low_f32x4",
    "i32x4.trunc_sat_f32x4_s",
    "i32x4.trunc_sat_f32x4_u",
    "i32x4.trunc_sat_f64x2_s_zero",
    "i32x4.trunc_sat_f64x2_u_zero",
    "i32x4.relaxed_trunc_f32x4_s",
    "i32x4.relaxed_trunc_f64x2_s_zero",
    "i32x4.relaxed_trunc_f32x4_u",
    "i32x4.relaxed_trunc_f64x2_u_zero",
];

const TESTS: &[&str] = &[
    "v128.any_true",
    "i8x16.all_true",
    "i16x8.all_true",
    "i32x4.all_true",
    "i64x2.all_true",
    "i8x16.bitmask",
    "i16x8.bitmask",
    "i32x4.bitmask",
    "i64x2.bitmask",
];

const SHIFTS: &[&str] = &[
    "i8x16.shl",
    "i8x16.shr_s",
    "i8x16.shr_u",
    "i16x8.shl",
    "i16x8.shr_s",
    "i16x8.shr_u",
    "i32x4.shl",
    "i32x4.shr_s",
    "i32x4.shr_u",
    "i64x2.shl",
    "i64x2.shr_s",
    "i64x2.shr_u",
];

const TERNARY: &[&str] = &[
    "v128.bitselect",
    "i8x16.relaxed_laneselect",
    "i64x2.relaxed_laneselect",
    "f32x4.relaxed_madd",
    "f32x4.relaxed_nmadd",
    "f64x2.relaxed_madd",
    "f64x2.relaxed_nmadd",
    "i32x4.relaxed_dot_i8x16_i7x16_add_s",
];

/// Shift counts: in range, at and past the lane widths, negative.
const COUNTS: &[i32] = &[0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, -1];

/// One exported function per binary, unary and ternary operation, named
/// after it, taking its operands as parameters.
fn lane_funcs() -> String {
    let mut text = String::new();
    for op in BINARY {
        text += &format!(
            "(func (export \"{op}\") (param v128 v128) (result v128) ({op} (local.get 0) (local.get 1)))\n"
        );
    }
    for op in UNARY {
        text +=
            &format!("(func (export \"{op}\") (param v128) (result v128) ({op} (local.get 0)))\n");
    }
    for op in TERNARY {
        text += &format!(
            "(func (export \"{op}\") (param v128 v128 v128) (result v128) \
             ({op} (local.get 0) (local.get 1) (local.get 2)))\n"
        );
    }
    text
}

#[test]
fn every_lowered_operation_agrees_with_the_interpreter_bit_for_bit() {
    let mut text = String::from("(module\n");
    text += &lane_funcs();
    for op in TESTS {
        text +=
            &format!("(func (export \"{op}\") (param v128) (result i32) ({op} (local.get 0)))\n");
        // The same test fused into a branch.
        text += &format!(
            "(func (export \"if {op}\") (param v128) (result i32) \
             (if (result i32) ({op} (local.get 0)) (then (i32.const 7)) (else (i32.const 9))))\n"
        );
    }
    for op in SHIFTS {
        text += &format!(
            "(func (export \"{op}\") (param v128 i32) (result v128) ({op} (local.get 0) (local.get 1)))\n"
        );
        for c in COUNTS {
            text += &format!(
                "(func (export \"{op} {c}\") (param v128) (result v128) ({op} (local.get 0) (i32.const {c})))\n"
            );
        }
    }
    text += ")";
    let mut m = Both::new(&text);
    let ins = inputs();
    for &a in &ins {
        for op in UNARY {
            m.call(op, &[v(a)]).expect("no trap");
        }
        for op in TESTS {
            let r = m.call(op, &[v(a)]).expect("no trap");
            let fused = m.call(&format!("if {op}"), &[v(a)]).expect("no trap");
            let want = if r == [Value::I32(0)] { 9 } else { 7 };
            if !op.ends_with("bitmask") {
                assert_eq!(fused, [Value::I32(want)], "{op} in an if");
            }
        }
        for op in SHIFTS {
            for &c in COUNTS {
                let r = m.call(op, &[v(a), Value::I32(c)]).expect("no trap");
                let k = m.call(&format!("{op} {c}"), &[v(a)]).expect("no trap");
                assert_eq!(r, k, "{op} by {c}: a constant count as a variable one");
            }
        }
        for &b in &ins {
            for op in BINARY {
                m.call(op, &[v(a), v(b)]).expect("no trap");
            }
            for op in TERNARY {
                for &c in ins.iter().step_by(3) {
                    m.call(op, &[v(a), v(b), v(c)]).expect("no trap");
                }
            }
        }
    }
}

/// Pseudo-random vectors (xorshift, fixed seed): each 32-bit lane random
/// bits, a lane edge, or a float of ordinary size, so that float lanes
/// meet NaNs, zeros and values near the integer ranges in every mix.
fn random_inputs(n: usize) -> Vec<u128> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let edges = [
        0u32,
        0x8000_0000,
        0x7fff_ffff,
        0xffff_ffff,
        0x7fc0_0000,
        0x7f80_0001,
        0x7f80_0000,
        0xff80_0000,
        0x4f00_0000,
        0x4f80_0000,
        0xcf00_0000,
        0x0000_0001,
    ];
    (0..n)
        .map(|_| {
            (0..4).fold(0u128, |acc, k| {
                let r = next();
                let lane = match r % 4 {
                    0 => (r >> 32) as u32,
                    1 => edges[(r >> 8) as usize % edges.len()],
                    2 => (((r >> 16) as i32 % 100_000) as f32 / 7.0).to_bits(),
                    _ => (((r >> 16) as i64 % 10_000_000_000) as f32).to_bits(),
                };
                acc | (lane as u128) << (32 * k)
            })
        })
        .collect()
}

#[test]
fn random_vectors_agree_with_the_interpreter() {
    let mut text = String::from("(module\n");
    text += &lane_funcs();
    text += ")";
    let mut m = Both::new(&text);
    let r = random_inputs(600);
    for w in r.chunks_exact(3) {
        for op in UNARY {
            m.call(op, &[v(w[0])]).expect("no trap");
        }
        for op in BINARY {
            m.call(op, &[v(w[0]), v(w[1])]).expect("no trap");
        }
        for op in TERNARY {
            m.call(op, &[v(w[0]), v(w[1]), v(w[2])]).expect("no trap");
        }
    }
}

#[test]
fn float_min_max_order_zeros_and_propagate_nans() {
    let mut m = Both::new(
        r#"(module
          (func (export "min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
          (func (export "max") (param v128 v128) (result v128) (f32x4.max (local.get 0) (local.get 1)))
          (func (export "pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
          (func (export "min64") (param v128 v128) (result v128) (f64x2.min (local.get 0) (local.get 1))))"#,
    );
    let neg0 = 0x8000_0000;
    let nan = 0x7fc0_0005;
    let snan = 0x7f80_0003;
    let one = 0x3f80_0000;
    let a = f32x4([neg0, 0, nan, snan]);
    let b = f32x4([0, neg0, one, one]);
    // -0 below +0 either way; a NaN operand's (quieted) NaN.
    let want = f32x4([neg0, neg0, nan, 0x7fc0_0003]);
    assert_eq!(m.call("min", &[v(a), v(b)]), Ok(vec![v(want)]));
    let want = f32x4([0, 0, nan, 0x7fc0_0003]);
    assert_eq!(m.call("max", &[v(a), v(b)]), Ok(vec![v(want)]));
    // The NaN on the right, too.
    let want = f32x4([neg0, neg0, nan, 0x7fc0_0003]);
    assert_eq!(m.call("min", &[v(b), v(a)]), Ok(vec![v(want)]));
    // pmin: b < a ? b : a, so the left operand where unordered or equal.
    assert_eq!(m.call("pmin", &[v(a), v(b)]), Ok(vec![v(a)]));
    let want = f32x4([0, neg0, one, one]);
    assert_eq!(m.call("pmin", &[v(b), v(a)]), Ok(vec![v(want)]));
    let a = f64x2([0, 0x7ff8_0000_0000_0009]);
    let b = f64x2([0x8000_0000_0000_0000, 0xbff0_0000_0000_0000]);
    let want = f64x2([0x8000_0000_0000_0000, 0x7ff8_0000_0000_0009]);
    assert_eq!(m.call("min64", &[v(a), v(b)]), Ok(vec![v(want)]));
}

#[test]
fn swizzle_indexes_out_of_range_select_zero() {
    let mut m = Both::new(
        r#"(module (func (export "s") (param v128 v128) (result v128)
             (i8x16.swizzle (local.get 0) (local.get 1))))"#,
    );
    let a = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110u128;
    // Indexes 0, 15, 16, 17, 0x7f, 0x80, 0xef, 0xff, 1, 14, 31, 32, 0x70, 0x8f, 2, 3.
    let idx = u128::from_le_bytes([
        0, 15, 16, 17, 0x7f, 0x80, 0xef, 0xff, 1, 14, 31, 32, 0x70, 0x8f, 2, 3,
    ]);
    let want = u128::from_le_bytes([
        0x10, 0x1f, 0, 0, 0, 0, 0, 0, 0x11, 0x1e, 0, 0, 0, 0, 0x12, 0x13,
    ]);
    assert_eq!(m.call("s", &[v(a), v(idx)]), Ok(vec![v(want)]));
}

#[test]
fn shift_counts_are_taken_modulo_the_lane_width() {
    let mut m = Both::new(
        r#"(module
          (func (export "shl8") (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
          (func (export "shr_s8") (param v128 i32) (result v128) (i8x16.shr_s (local.get 0) (local.get 1)))
          (func (export "shr_s64") (param v128 i32) (result v128) (i64x2.shr_s (local.get 0) (local.get 1)))
          (func (export "shr_s64_65") (param v128) (result v128) (i64x2.shr_s (local.get 0) (i32.const 65))))"#,
    );
    let bytes = u128::from_le_bytes([0x81; 16]);
    assert_eq!(
        m.call("shl8", &[v(bytes), Value::I32(9)]),
        Ok(vec![v(u128::from_le_bytes([0x02; 16]))])
    );
    assert_eq!(
        m.call("shr_s8", &[v(bytes), Value::I32(-7)]),
        Ok(vec![v(u128::from_le_bytes([0xc0; 16]))])
    );
    let x = f64x2([0x8000_0000_0000_0010, 0x10]);
    let want = f64x2([0xc000_0000_0000_0008, 8]);
    assert_eq!(
        m.call("shr_s64", &[v(x), Value::I32(65)]),
        Ok(vec![v(want)])
    );
    assert_eq!(m.call("shr_s64_65", &[v(x)]), Ok(vec![v(want)]));
}

#[test]
fn lanes_splats_and_shuffles() {
    let mut text = String::from("(module\n");
    let lanes: &[(&str, u32, &str)] = &[
        ("i8x16", 16, "i32"),
        ("i16x8", 8, "i32"),
        ("i32x4", 4, "i32"),
        ("i64x2", 2, "i64"),
        ("f32x4", 4, "f32"),
        ("f64x2", 2, "f64"),
    ];
    for &(shape, n, t) in lanes {
        text += &format!(
            "(func (export \"{shape}.splat\") (param {t}) (result v128) ({shape}.splat (local.get 0)))\n"
        );
        for l in 0..n {
            let ext: &[&str] = if n > 4 && t == "i32" {
                &["_s", "_u"]
            } else {
                &[""]
            };
            for e in ext {
                text += &format!(
                    "(func (export \"{shape}.extract_lane{e} {l}\") (param v128) (result {t}) \
                     ({shape}.extract_lane{e} {l} (local.get 0)))\n"
                );
            }
            text += &format!(
                "(func (export \"{shape}.replace_lane {l}\") (param v128 {t}) (result v128) \
                 ({shape}.replace_lane {l} (local.get 0) (local.get 1)))\n"
            );
        }
    }
    let shuffles = [
        "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
        "16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31",
        "31 0 30 1 29 2 28 3 27 4 26 5 25 6 24 7",
        "3 3 3 3 19 19 19 19 0 16 0 16 15 31 15 31",
    ];
    for (k, s) in shuffles.iter().enumerate() {
        text += &format!(
            "(func (export \"shuffle {k}\") (param v128 v128) (result v128) \
             (i8x16.shuffle {s} (local.get 0) (local.get 1)))\n"
        );
    }
    text += ")";
    let mut m = Both::new(&text);
    let scalars = [
        Value::I32(0),
        Value::I32(-1),
        Value::I32(0x1234_5680),
        Value::I64(i64::MIN),
        Value::I64(0x0102_0304_0506_0708),
        Value::F32(Ieee32(0x7fc0_0001)),
        Value::F32(Ieee32(0x8000_0000)),
        Value::F64(Ieee64(0x7ff0_0000_0000_0001)),
        Value::F64(Ieee64(0xbff0_0000_0000_0000)),
    ];
    let ins = inputs();
    for &(shape, n, t) in lanes {
        let of_type = |x: &&Value| {
            matches!(
                (x, t),
                (Value::I32(_), "i32")
                    | (Value::I64(_), "i64")
                    | (Value::F32(_), "f32")
                    | (Value::F64(_), "f64")
            )
        };
        for x in scalars.iter().filter(of_type) {
            m.call(&format!("{shape}.splat"), &[*x]).expect("no trap");
        }
        for &a in &ins {
            for l in 0..n {
                for e in ["", "_s", "_u"] {
                    let name = format!("{shape}.extract_lane{e} {l}");
                    if m.stores[0].0.export_func(m.stores[0].1, &name).is_some() {
                        m.call(&name, &[v(a)]).expect("no trap");
                    }
                }
                for x in scalars.iter().filter(of_type) {
                    m.call(&format!("{shape}.replace_lane {l}"), &[v(a), *x])
                        .expect("no trap");
                }
            }
        }
    }
    let a = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
    let b = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110u128;
    assert_eq!(m.call("shuffle 0", &[v(a), v(b)]), Ok(vec![v(a)]));
    assert_eq!(m.call("shuffle 1", &[v(a), v(b)]), Ok(vec![v(b)]));
    for k in 2..shuffles.len() {
        m.call(&format!("shuffle {k}"), &[v(a), v(b)])
            .expect("no trap");
    }
    let want = u128::from_le_bytes([
        3, 3, 3, 3, 0x13, 0x13, 0x13, 0x13, 0, 0x10, 0, 0x10, 15, 0x1f, 15, 0x1f,
    ]);
    assert_eq!(m.call("shuffle 3", &[v(a), v(b)]), Ok(vec![v(want)]));
}

#[test]
fn vector_accesses_check_the_bounds_of_memory() {
    let ops: &[(&str, bool)] = &[
        ("v128.load", false),
        ("v128.load8x8_s", false),
        ("v128.load8x8_u", false),
        ("v128.load16x4_s", false),
        ("v128.load16x4_u", false),
        ("v128.load32x2_s", false),
        ("v128.load32x2_u", false),
        ("v128.load8_splat", false),
        ("v128.load16_splat", false),
        ("v128.load32_splat", false),
        ("v128.load64_splat", false),
        ("v128.load32_zero", false),
        ("v128.load64_zero", false),
    ];
    let mut text = String::from(
        "(module (memory 1)\n\
         (data (i32.const 65500) \"\\80\\81\\82\\83\\84\\85\\86\\87\\88\\89\\8a\\8b\\8c\\8d\\8e\\8f\
         \\90\\91\\92\\93\\94\\95\\96\\97\\98\\99\\9a\\9b\\9c\\9d\\9e\\9f\\a0\\a1\\a2\\a3\")\n",
    );
    for (op, _) in ops {
        text += &format!(
            "(func (export \"{op}\") (param i32) (result v128) ({op} offset=3 (local.get 0)))\n"
        );
    }
    for w in [8, 16, 32, 64] {
        let l = 128 / w - 1;
        text += &format!(
            "(func (export \"load{w}_lane\") (param i32 v128) (result v128) \
             (v128.load{w}_lane offset=1 {l} (local.get 0) (local.get 1)))\n\
             (func (export \"store{w}_lane\") (param i32 v128) \
             (v128.store{w}_lane offset=1 {l} (local.get 0) (local.get 1)))\n"
        );
    }
    text += "(func (export \"store\") (param i32 v128) (v128.store offset=2 (local.get 0) (local.get 1)))\n\
             (func (export \"load\") (param i32) (result v128) (v128.load (local.get 0))))";
    let mut m = Both::new(&text);
    let x = 0xf0e1_d2c3_b4a5_9687_7869_5a4b_3c2d_1e0fu128;
    let addrs = [
        0u32,
        65497,
        65500,
        65510,
        65516,
        65517,
        65518,
        65519,
        65520,
        65521,
        65524,
        65525,
        65528,
        65529,
        65531,
        65532,
        65533,
        65534,
        65535,
        65536,
        0x7fff_ffff,
        0xffff_fffd,
        0xffff_ffff,
    ];
    for &at in &addrs {
        let a = Value::I32(at as i32);
        for (op, _) in ops {
            let _ = m.call(op, &[a]);
        }
        for w in [8, 16, 32, 64] {
            let _ = m.call(&format!("load{w}_lane"), &[a, v(x)]);
            let _ = m.call(&format!("store{w}_lane"), &[a, v(x)]);
        }
        let _ = m.call("store", &[a, v(x)]);
    }
    // The stores wrote the same bytes: memory read back agrees (by both
    // engines' loads) at every address the stores could reach.
    for at in (65400..65536 - 16).step_by(3) {
        m.call("load", &[Value::I32(at)]).expect("in bounds");
    }
    // The last in-bounds access of each width, and the first out.
    let oob = Err("out of bounds memory access".to_string());
    assert!(m.call("v128.load", &[Value::I32(65517)]).is_ok());
    assert_eq!(m.call("v128.load", &[Value::I32(65518)]), oob);
    assert!(m.call("v128.load8_splat", &[Value::I32(65532)]).is_ok());
    assert_eq!(m.call("v128.load8_splat", &[Value::I32(65533)]), oob);
    assert!(m.call("load8_lane", &[Value::I32(65534), v(x)]).is_ok());
    assert_eq!(m.call("load8_lane", &[Value::I32(65535), v(x)]), oob);
    assert!(m.call("store64_lane", &[Value::I32(65527), v(x)]).is_ok());
    assert_eq!(m.call("store64_lane", &[Value::I32(65528), v(x)]), oob);
}

#[test]
fn many_live_vectors_spill_and_come_back() {
    // Twenty vectors live at once (more than the fourteen registers),
    // combined by operations that take a register of their own.
    let mut body = String::new();
    for k in 0..20 {
        body += &format!("(f32x4.add (local.get 0) (f32x4.splat (f32.const {k}.5)))\n");
    }
    for _ in 0..19 {
        body += "f32x4.min\n";
    }
    let text = format!(
        "(module (func (export \"f\") (param v128) (result v128)\n{body}\n\
         (f32x4.max (local.get 0)) (i8x16.popcnt) (local.get 0) (f64x2.min)))"
    );
    let mut m = Both::new(&text);
    for a in inputs() {
        m.call("f", &[v(a)]).expect("no trap");
    }
}

#[test]
fn vector_constants() {
    let mut m = Both::new(
        r#"(module
          (func (export "zero") (result v128) (v128.const i64x2 0 0))
          (func (export "ones") (result v128) (v128.const i64x2 -1 -1))
          (func (export "some") (result v128) (v128.const i32x4 1 -2 0x7fffffff 0x80000000))
          (func (export "sum") (result v128)
            (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 10 20 30 40))))"#,
    );
    assert_eq!(m.call("zero", &[]), Ok(vec![v(0)]));
    assert_eq!(m.call("ones", &[]), Ok(vec![v(u128::MAX)]));
    let want = f32x4([1, 0xffff_fffe, 0x7fff_ffff, 0x8000_0000]);
    assert_eq!(m.call("some", &[]), Ok(vec![v(want)]));
    assert_eq!(m.call("sum", &[]), Ok(vec![v(f32x4([11, 22, 33, 44]))]));
}
