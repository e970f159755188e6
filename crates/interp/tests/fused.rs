//! The interpreter's fused and specialized ops compute what the stack form
//! would, traps included.

mod common;

use common::{call, instantiate, module};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use weft_ast::{FuncType, Ieee64};
use weft_interp::{Error, Extern, Linker, Store, Trap, Value};

#[test]
fn fused_operands_skip_ops_by_their_stack_effect() {
    // The left operand of the multiply is a load whose address ends in an
    // add with a local operand; an earlier `local.get` must not be taken
    // for it (a miscount of that add's pops once did).
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1) (data (i32.const 0) "\03\00\00\00\05\00\00\00")
            (func (export "f") (param $s i32) (param $b i32) (result i32)
              (i32.add (local.get $s)
                (i32.mul (i32.load (i32.const 4))
                  (i32.load (i32.add (local.get $b) (i32.shl (local.get $b) (i32.const 2))))))))"#,
    );
    let r = call(&mut store, inst, "f", &[Value::I32(100), Value::I32(0)]);
    assert_eq!(r.expect("runs"), vec![Value::I32(100 + 3 * 5)]);
}

#[test]
fn rotated_loops_and_constant_stores_keep_their_meaning() {
    // A counted loop whose jump back becomes its exit test, storing a
    // constant byte per iteration; fuel still runs out in an endless one.
    let text = r#"(module (memory 1)
        (func (export "fill") (param $n i32) (result i32) (local $i i32) (local $sum i32)
          (block $done (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (i32.store8 (local.get $i) (i32.const -1))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.set $i (i32.const 0))
          (block $done (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.get $sum))
        (func (export "spin") (local $i i32)
          (block $done (loop $l
            (br_if $done (i32.lt_s (local.get $i) (i32.const 0)))
            (br $l)))))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    for n in [0, 1, 7] {
        let r = call(&mut store, inst, "fill", &[Value::I32(n)]);
        assert_eq!(r.expect("runs"), vec![Value::I32(255 * n)]);
    }
    let r = call(&mut store, inst, "fill", &[Value::I32(70_000)]);
    assert_eq!(r, Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)));
    store.set_fuel(Some(1000));
    let r = call(&mut store, inst, "spin", &[]);
    assert_eq!(r, Err(Error::Trap(Trap::OutOfFuel)));
}

#[test]
fn loops_stepped_by_a_local_keep_their_meaning() {
    // `j += step` while `j < n`, as a sieve strikes multiples: the number
    // of iterations and the last `j`, under both comparisons. The signed
    // loop from -10 by 3 runs through 0; the unsigned one does not start.
    let text = r#"(module
        (func (export "signed") (param $j i32) (param $step i32) (param $n i32) (result i32 i32)
          (local $count i32)
          (block $done (loop $l
            (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.add (local.get $step) (local.get $j)))
            (br $l)))
          (local.get $count) (local.get $j))
        (func (export "unsigned") (param $j i32) (param $step i32) (param $n i32) (result i32 i32)
          (local $count i32)
          (block $done (loop $l
            (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (local.get $step)))
            (br $l)))
          (local.get $count) (local.get $j)))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    let run = |store: &mut Store, f: &str, j: i32, step: i32, n: i32| {
        let args = [Value::I32(j), Value::I32(step), Value::I32(n)];
        call(store, inst, f, &args).expect("runs")
    };
    let pair = |a: i32, b: i32| vec![Value::I32(a), Value::I32(b)];
    assert_eq!(run(&mut store, "signed", -10, 3, 5), pair(5, 5));
    assert_eq!(run(&mut store, "signed", 0, 3, 0), pair(0, 0));
    assert_eq!(run(&mut store, "signed", 4, 4, 12), pair(2, 12));
    // Unsigned: -10 is far above 5, so the loop never runs.
    assert_eq!(run(&mut store, "unsigned", -10, 3, 5), pair(0, -10));
    assert_eq!(run(&mut store, "unsigned", 4, 4, 12), pair(2, 12));
    // Steps of another local's value at each call: the step is read, not
    // copied into the op.
    assert_eq!(run(&mut store, "unsigned", 1, 7, 30), pair(5, 36));
    assert_eq!(run(&mut store, "unsigned", 30, 7, 30), pair(0, 30));
}

#[test]
fn loaded_values_tested_right_away_compare_as_the_stack_would() {
    // `t = load(4 * j); if (t OP pivot)` (and `pivot OP t`) counted over an
    // array, for every comparison: the load hands `t` to the jump in a
    // register. The array straddles the signed and unsigned orders.
    let values: [i32; 7] = [-7, -1, 0, 1, 5, i32::MIN, i32::MAX];
    let data: String = values
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .map(|b| format!("\\{b:02x}"))
        .collect();
    type Compare = fn(i32, i32) -> bool;
    let ops: [(&str, Compare); 10] = [
        ("eq", |a, b| a == b),
        ("ne", |a, b| a != b),
        ("lt_s", |a, b| a < b),
        ("lt_u", |a, b| (a as u32) < b as u32),
        ("gt_s", |a, b| a > b),
        ("gt_u", |a, b| (a as u32) > b as u32),
        ("le_s", |a, b| a <= b),
        ("le_u", |a, b| (a as u32) <= b as u32),
        ("ge_s", |a, b| a >= b),
        ("ge_u", |a, b| (a as u32) >= b as u32),
    ];
    for (name, f) in ops {
        for swapped in [false, true] {
            let test = if swapped {
                format!("(i32.{name} (local.get $pivot) (local.get $t))")
            } else {
                format!("(i32.{name} (local.get $t) (local.get $pivot))")
            };
            let text = format!(
                r#"(module (memory 1) (data (i32.const 0) "{data}")
                    (func (export "count") (param $pivot i32) (param $n i32) (result i32)
                      (local $j i32) (local $t i32) (local $count i32)
                      (block $done (loop $l
                        (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
                        (local.set $t (i32.load (i32.shl (local.get $j) (i32.const 2))))
                        (if {test}
                          (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $l)))
                      (local.get $count)))"#
            );
            let mut store = Store::new();
            let inst = instantiate(&mut store, &text);
            for &pivot in &values {
                let expected = values
                    .iter()
                    .filter(|&&t| if swapped { f(pivot, t) } else { f(t, pivot) })
                    .count() as i32;
                let args = [Value::I32(pivot), Value::I32(values.len() as i32)];
                let r = call(&mut store, inst, "count", &args);
                assert_eq!(r, Ok(vec![Value::I32(expected)]), "{test}, pivot {pivot}");
            }
            // Past the end of memory the load traps before any jump.
            let args = [Value::I32(0), Value::I32(20_000)];
            let r = call(&mut store, inst, "count", &args);
            assert_eq!(r, Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)));
        }
    }
}

#[test]
fn operators_on_loaded_values_compute_what_the_stack_would() {
    // `x OP load(4 * i + 1)`, pushed and stored into a local, for every
    // operator and width that runs as one op; the bytes at 1.. are
    // 0x81 0x82 ... so that sign and zero extension differ.
    let data: String = (1..=24u8).map(|b| format!("\\{:02x}", 0x80 + b)).collect();
    let word = |at: usize, width: usize| -> u64 {
        (0..width).fold(0u64, |v, k| v | (0x81 + (at + k) as u64 - 1) << (8 * k))
    };
    type Apply = fn(u64, u64) -> u64;
    let cases: [(&str, &str, &str, usize, Apply); 13] = [
        ("i32", "add", "i32.load8_u", 1, |x, y| {
            (x as u32).wrapping_add(y as u32) as u64
        }),
        ("i32", "add", "i32.load", 4, |x, y| {
            (x as u32).wrapping_add(y as u32) as u64
        }),
        ("i32", "sub", "i32.load8_u", 1, |x, y| {
            (x as u32).wrapping_sub(y as u32) as u64
        }),
        ("i32", "sub", "i32.load", 4, |x, y| {
            (x as u32).wrapping_sub(y as u32) as u64
        }),
        ("i32", "xor", "i32.load8_u", 1, |x, y| {
            (x as u32 ^ y as u32) as u64
        }),
        ("i32", "xor", "i32.load", 4, |x, y| {
            (x as u32 ^ y as u32) as u64
        }),
        ("i32", "and", "i32.load", 4, |x, y| {
            (x as u32 & y as u32) as u64
        }),
        ("i32", "or", "i32.load8_u", 1, |x, y| {
            (x as u32 | y as u32) as u64
        }),
        ("i64", "add", "i64.load8_u", 1, |x, y| x.wrapping_add(y)),
        ("i64", "add", "i64.load32_u", 4, |x, y| x.wrapping_add(y)),
        ("i64", "add", "i64.load", 8, |x, y| x.wrapping_add(y)),
        ("i64", "xor", "i64.load", 8, |x, y| x ^ y),
        ("i64", "xor", "i64.load8_u", 1, |x, y| x ^ y),
    ];
    for (ty, op, load, width, apply) in cases {
        let text = format!(
            r#"(module (memory 1) (data (i32.const 1) "{data}")
                (func (export "push") (param $x {ty}) (param $i i32) (result {ty})
                  ({ty}.{op} (local.get $x) ({load} offset=1 (i32.shl (local.get $i) (i32.const 2)))))
                (func (export "set") (param $x {ty}) (param $i i32) (result {ty}) (local $r {ty})
                  (local.set $r ({ty}.{op} (local.get $x) ({load} offset=1 (i32.shl (local.get $i) (i32.const 2)))))
                  (local.get $r))
                (func (export "times3") (param $x {ty}) (param $i i32) (result {ty}) (local $r {ty})
                  (local.set $r ({ty}.mul
                    ({ty}.{op} (local.get $x) ({load} offset=1 (i32.shl (local.get $i) (i32.const 2))))
                    ({ty}.const 3)))
                  (local.get $r)))"#
        );
        let mut store = Store::new();
        let inst = instantiate(&mut store, &text);
        let x: u64 = 0x0123_4567_89ab_cdef;
        let arg = |v: u64| {
            if ty == "i32" {
                Value::I32(v as i32)
            } else {
                Value::I64(v as i64)
            }
        };
        for i in [0usize, 2] {
            let expected = apply(x, word(4 * i + 1, width));
            for f in ["push", "set"] {
                let r = call(&mut store, inst, f, &[arg(x), Value::I32(i as i32)]);
                assert_eq!(r, Ok(vec![arg(expected)]), "{ty}.{op} {load} {f} at {i}");
            }
            // Handed to the multiply in the accumulator.
            let times3 = if ty == "i32" {
                (expected as u32).wrapping_mul(3) as u64
            } else {
                expected.wrapping_mul(3)
            };
            let r = call(&mut store, inst, "times3", &[arg(x), Value::I32(i as i32)]);
            assert_eq!(r, Ok(vec![arg(times3)]), "{ty}.{op} {load} times3 at {i}");
        }
        // The last bytes of memory are in bounds; one past them is not.
        let last = (65_536 - 1 - width) / 4;
        for f in ["push", "set", "times3"] {
            let r = call(&mut store, inst, f, &[arg(x), Value::I32(last as i32)]);
            assert!(r.is_ok(), "{ty}.{op} {load} {f} at the end: {r:?}");
            let r = call(&mut store, inst, f, &[arg(x), Value::I32(16_384)]);
            assert_eq!(r, Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)));
        }
    }
}

#[test]
fn linear_congruential_steps_wrap_at_32_bits() {
    let text = r#"(module
        (func (export "lcg") (param $s i32) (param $n i32) (result i32)
          (block $done (loop $l
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1103515245)) (i32.const -12345)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l)))
          (local.get $s)))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    for (seed, n) in [(42u32, 0), (42, 1), (7, 1000), (u32::MAX, 3)] {
        let expected = (0..n).fold(seed, |s, _| {
            s.wrapping_mul(1103515245).wrapping_add(-12345i32 as u32)
        });
        let r = call(
            &mut store,
            inst,
            "lcg",
            &[Value::I32(seed as i32), Value::I32(n)],
        );
        assert_eq!(r, Ok(vec![Value::I32(expected as i32)]), "{seed} {n}");
    }
}

#[test]
fn vector_dot_product_steps_compute_what_the_stack_would() {
    // `acc = acc + x * y` per lane, fused, against the lanes computed here
    // (wrapping for i32x4, rounded after the multiply and after the add for
    // the float lanes); NaN lanes come out as NaN.
    let text = r#"(module (memory 1)
        (data (i32.const 0) "\07\00\00\00\ff\ff\ff\ff\00\00\00\80\03\00\00\00")
        (data (i32.const 16) "\05\00\00\00\02\00\00\00\02\00\00\00\ff\ff\ff\7f")
        (func (export "i32x4") (param $acc v128) (result v128)
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.mul (v128.load (i32.const 0)) (v128.load (i32.const 16)))))
          (local.get $acc))
        (func (export "f32x4") (param $acc v128) (param $x v128) (param $y v128) (result v128)
          (v128.store (i32.const 32) (local.get $x))
          (v128.store (i32.const 48) (local.get $y))
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul (v128.load (i32.const 32)) (v128.load (i32.const 48)))))
          (local.get $acc))
        (func (export "f64x2") (param $acc v128) (param $x v128) (param $y v128) (result v128)
          (v128.store (i32.const 32) (local.get $x))
          (v128.store (i32.const 48) (local.get $y))
          (local.set $acc (f64x2.add (local.get $acc)
            (f64x2.mul (v128.load (i32.const 32)) (v128.load (i32.const 48)))))
          (local.get $acc)))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    let i32x4 = |l: [i32; 4]| {
        Value::V128(
            l.iter()
                .rev()
                .fold(0u128, |v, &x| v << 32 | x as u32 as u128),
        )
    };
    let r = call(&mut store, inst, "i32x4", &[i32x4([1, 2, 3, 4])]);
    let expected = [
        1 + 7 * 5,
        2 + -2,
        3i32.wrapping_add(i32::MIN.wrapping_mul(2)),
        4i32.wrapping_add(3i32.wrapping_mul(i32::MAX)),
    ];
    assert_eq!(r, Ok(vec![i32x4(expected)]));
    let f32x4 = |l: [f32; 4]| {
        Value::V128(
            l.iter()
                .rev()
                .fold(0u128, |v, x| v << 32 | x.to_bits() as u128),
        )
    };
    let (acc, x, y) = (
        [1.5f32, 1e30, -0.0, 2.0],
        [2.0f32, 1e30, 0.0, 3.0],
        [0.25f32, 1e10, -1.0, 0.1],
    );
    let expected: Vec<f32> = (0..4).map(|k| acc[k] + x[k] * y[k]).collect();
    let r = call(&mut store, inst, "f32x4", &[f32x4(acc), f32x4(x), f32x4(y)]);
    assert_eq!(
        r,
        Ok(vec![f32x4([
            expected[0],
            expected[1],
            expected[2],
            expected[3]
        ])])
    );
    let f64x2 = |l: [f64; 2]| Value::V128((l[1].to_bits() as u128) << 64 | l[0].to_bits() as u128);
    let (acc, x, y) = ([0.1f64, 1.0], [0.2f64, f64::INFINITY], [0.3f64, 0.0]);
    let r = call(&mut store, inst, "f64x2", &[f64x2(acc), f64x2(x), f64x2(y)]);
    let Ok(r) = r else { panic!("{r:?}") };
    let Value::V128(bits) = r[0] else {
        panic!("{r:?}")
    };
    assert_eq!(f64::from_bits(bits as u64), 0.1 + 0.2 * 0.3);
    assert!(f64::from_bits((bits >> 64) as u64).is_nan());
}

#[test]
fn stores_of_a_shifted_local_store_its_bits_and_trap() {
    let text = r#"(module (memory 1)
        (func (export "put") (param $p i32) (param $x i32) (result i64)
          (i32.store8 offset=1 (local.get $p) (i32.shr_u (local.get $x) (i32.const 8)))
          (i32.store8 offset=2 (local.get $p) (i32.and (local.get $x) (i32.const 0x7f)))
          (i32.store offset=4 (local.get $p) (i32.shr_s (local.get $x) (i32.const 4)))
          (i64.load (local.get $p))))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    let x: i32 = -0x1234_5679;
    let r = call(&mut store, inst, "put", &[Value::I32(0), Value::I32(x)]);
    let bytes: [u8; 8] = {
        let mut b = [0u8; 8];
        b[1] = ((x as u32) >> 8) as u8;
        b[2] = (x & 0x7f) as u8;
        b[4..].copy_from_slice(&(x >> 4).to_le_bytes());
        b
    };
    assert_eq!(r, Ok(vec![Value::I64(i64::from_le_bytes(bytes))]));
    // The byte one past the end traps, whichever store reaches it.
    let r = call(
        &mut store,
        inst,
        "put",
        &[Value::I32(65_535), Value::I32(x)],
    );
    assert_eq!(r, Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)));
    let r = call(
        &mut store,
        inst,
        "put",
        &[Value::I32(65_532), Value::I32(x)],
    );
    assert_eq!(r, Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)));
}

#[test]
fn vector_loads_at_a_base_plus_an_index_wrap_and_trap_as_i32_add_does() {
    // `v128.load (i32.add base index)` runs as one op: the sum wraps at
    // 2^32 like `i32.add`, the offset is added after, and a vector past the
    // end traps. Lane 0 of the loaded vector is returned.
    let text = r#"(module (memory 1)
        (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\05\00\00\00")
        (func (export "at") (param $base i32) (param $i i32) (result i32)
          (i32x4.extract_lane 0
            (i32x4.add (v128.load offset=4 (i32.add (local.get $base) (local.get $i)))
                       (v128.load (i32.add (local.get $base) (local.get $i)))))))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    let at = |store: &mut Store, base: i32, i: i32| {
        call(store, inst, "at", &[Value::I32(base), Value::I32(i)])
    };
    // Bytes 16.. hold 1, 2, 3, 4, 5: lanes 0 at 16 and at 20.
    assert_eq!(at(&mut store, 10, 6), Ok(vec![Value::I32(2 + 1)]));
    // 20 - 4 wraps around to 16.
    assert_eq!(at(&mut store, 20, -4), Ok(vec![Value::I32(2 + 1)]));
    assert_eq!(at(&mut store, 65_536 - 20, 0), Ok(vec![Value::I32(0)]));
    assert_eq!(
        at(&mut store, 65_536 - 16, 1),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
    // A wrapped sum far above the memory traps too, offset or not.
    assert_eq!(
        at(&mut store, -1, -1),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
}

#[test]
fn loads_at_a_base_plus_a_scaled_index_wrap_as_i32_add_does() {
    // `i32.load offset=4 (i32.add base (i32.shl i 2))` runs as one op: the
    // sum wraps at 2^32 like `i32.add`, and the offset is added after,
    // without wrapping.
    let text = r#"(module (memory 1)
        (data (i32.const 8) "\01\00\00\00\02\00\00\00\03\00\00\00")
        (func (export "at") (param $base i32) (param $i i32) (result i32)
          (i32.load offset=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))))"#;
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    let at = |store: &mut Store, base: i32, i: i32| {
        call(store, inst, "at", &[Value::I32(base), Value::I32(i)])
    };
    assert_eq!(at(&mut store, 4, 0), Ok(vec![Value::I32(1)]));
    assert_eq!(at(&mut store, 4, 2), Ok(vec![Value::I32(3)]));
    // 16 + (-3 << 2) wraps to 4.
    assert_eq!(at(&mut store, 16, -3), Ok(vec![Value::I32(1)]));
    // The shifted index wraps too: 2^30 << 2 is 0.
    assert_eq!(at(&mut store, 8, 1 << 30), Ok(vec![Value::I32(2)]));
    // A sum just below 2^32 plus the offset is past the memory.
    assert_eq!(
        at(&mut store, -4, 0),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
}

/// Byte accesses at a shifted index (`i32.shl` fused into the address)
/// stay generic, the others use the unshifted byte ops: both address the
/// same bytes as the instructions say.
#[test]
fn byte_accesses_at_shifted_and_plain_indexes() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1)
             (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c")
             (func (export "scaled") (param $i i32) (result i32)
               (i32.store8 (i32.shl (local.get $i) (i32.const 1)) (i32.const 0x55))
               (i32.load8_u (i32.shl (local.get $i) (i32.const 2))))
             (func (export "plain") (param $i i32) (result i32)
               (i32.store8 (local.get $i) (i32.const 0x66))
               (i32.load8_u (i32.add (local.get $i) (i32.const 1)))))"#,
    );
    // scaled(2) writes byte 4 and reads byte 8.
    assert_eq!(
        call(&mut store, inst, "scaled", &[Value::I32(2)]),
        Ok(vec![Value::I32(9)])
    );
    // plain(7) writes byte 7 and reads byte 8.
    assert_eq!(
        call(&mut store, inst, "plain", &[Value::I32(7)]),
        Ok(vec![Value::I32(9)])
    );
    // scaled(1) reads byte 4, which scaled(2) overwrote.
    assert_eq!(
        call(&mut store, inst, "scaled", &[Value::I32(1)]),
        Ok(vec![Value::I32(0x55)])
    );
    // plain(3) reads byte 4 too, and writes byte 3.
    assert_eq!(
        call(&mut store, inst, "plain", &[Value::I32(3)]),
        Ok(vec![Value::I32(0x55)])
    );
    assert_eq!(
        call(&mut store, inst, "scaled", &[Value::I32(0)]),
        Ok(vec![Value::I32(0x55)])
    );
}

/// Accumulator pairs (one op handing its result to the next in a register,
/// see `compile::pair_accumulators`) compute what the stack would: FNV-1a
/// and an LCG over a loop, and each pair shape once, checked against the
/// same arithmetic in Rust.
#[test]
fn accumulator_pairs_compute_what_the_stack_would() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1)
             (func (export "fnv") (param $n i32) (result i32) (local $i i32) (local $h i32) (local $s i32)
               (local.set $h (i32.const 0x811c9dc5))
               (local.set $s (i32.const 7))
               (block $done (loop $next
                 (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                 (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1103515245)) (i32.const 12345)))
                 (i32.store8 (local.get $i) (i32.shr_u (local.get $s) (i32.const 16)))
                 (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $i))) (i32.const 0x01000193)))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br $next)))
               (local.get $h))
             (func (export "shapes") (param $a i64) (param $b i64) (result i64) (local $x i64) (local $y i64) (local $z i64)
               ;; LC then LSet, LL then LRSet, LC then CSet (a shift by a constant).
               (local.set $x (i64.sub (i64.add (local.get $a) (i64.const 7)) (local.get $b)))
               (local.set $y (i64.sub (local.get $x) (i64.mul (local.get $a) (local.get $b))))
               (local.set $z (i64.shl (i64.xor (local.get $y) (i64.const -3)) (i64.const 5)))
               (i64.add (local.get $z) (local.get $x)))
             (func (export "float") (param $a f64) (param $b f64) (result f64) (local $x f64)
               (local.set $x (f64.mul (f64.sub (local.get $a) (local.get $b)) (local.get $a)))
               (local.get $x)))"#,
    );
    let n = 1000u32;
    let (mut h, mut s) = (0x811c_9dc5u32, 7u32);
    for _ in 0..n {
        s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
        h = (h ^ ((s >> 16) as u8 as u32)).wrapping_mul(0x0100_0193);
    }
    assert_eq!(
        call(&mut store, inst, "fnv", &[Value::I32(n as i32)]),
        Ok(vec![Value::I32(h as i32)])
    );
    let (a, b) = (123_456_789_012i64, -987_654i64);
    let x = a.wrapping_add(7).wrapping_sub(b);
    let y = x.wrapping_sub(a.wrapping_mul(b));
    let z = (y ^ -3).wrapping_shl(5);
    assert_eq!(
        call(&mut store, inst, "shapes", &[Value::I64(a), Value::I64(b)]),
        Ok(vec![Value::I64(z.wrapping_add(x))])
    );
    let (fa, fb) = (2.5f64, -0.75f64);
    assert_eq!(
        call(
            &mut store,
            inst,
            "float",
            &[
                Value::F64(Ieee64(fa.to_bits())),
                Value::F64(Ieee64(fb.to_bits()))
            ]
        ),
        Ok(vec![Value::F64(Ieee64(((fa - fb) * fa).to_bits()))])
    );
}

/// Rotations by a constant count (specialized ops) rotate as the
/// instructions say, counts taken modulo 32 included.
#[test]
fn constant_rotations_rotate() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
             (func (export "rot") (param $x i32) (result i32) (local $y i32)
               ;; LCSet, then LC and C feeding an add.
               (local.set $y (i32.rotl (local.get $x) (i32.const 5)))
               (i32.add
                 (i32.rotr (local.get $y) (i32.const 35))
                 (i32.rotl (i32.xor (local.get $x) (local.get $y)) (i32.const 13)))))"#,
    );
    for x in [0u32, 1, 0x8000_0001, 0xdead_beef, u32::MAX] {
        let y = x.rotate_left(5);
        let want = y
            .rotate_right(35 % 32)
            .wrapping_add((x ^ y).rotate_left(13));
        assert_eq!(
            call(&mut store, inst, "rot", &[Value::I32(x as i32)]),
            Ok(vec![Value::I32(want as i32)]),
            "x = {x:#x}"
        );
    }
}

/// A function whose last op hands its one result to the return in the
/// accumulator (`ReturnAcc`) returns it on every path: to the host, to a
/// caller of the same instance, to a caller of another instance, and after
/// a host call pinned the frames.
#[test]
fn results_handed_to_the_return_reach_every_caller() {
    let mut store = Store::new();
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let nop = store.func(
        FuncType {
            params: vec![],
            results: vec![],
        },
        move |_, _, _| {
            seen.fetch_add(1, Ordering::SeqCst);
            Ok(())
        },
    );
    let adder = instantiate(
        &mut store,
        r#"(module (func (export "add") (param i32 i32) (result i32)
             (i32.add (local.get 0) (local.get 1))))"#,
    );
    assert_eq!(
        call(&mut store, adder, "add", &[Value::I32(40), Value::I32(2)]),
        Ok(vec![Value::I32(42)])
    );
    let mut linker = Linker::new();
    linker.define("host", "nop", Extern::Func(nop));
    linker.define_instance(&store, "a", adder);
    let user = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module
                     (import "a" "add" (func $add (param i32 i32) (result i32)))
                     (import "host" "nop" (func $nop))
                     (func $mul (param i32 i32) (result i32)
                       (i32.mul (local.get 0) (local.get 1)))
                     (func (export "run") (param $n i32) (result i32) (local $i i32) (local $s i32)
                       (block $done (loop $next
                         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                         (if (i32.eqz (i32.and (local.get $i) (i32.const 3))) (then (call $nop)))
                         (local.set $s (call $add (local.get $s) (call $mul (local.get $i) (local.get $i))))
                         (local.set $i (i32.add (local.get $i) (i32.const 1)))
                         (br $next)))
                       (local.get $s)))"#,
            ),
        )
        .unwrap();
    let want: i32 = (0..100).map(|i| i * i).sum();
    assert_eq!(
        call(&mut store, user, "run", &[Value::I32(100)]),
        Ok(vec![Value::I32(want)])
    );
    assert_eq!(calls.load(Ordering::SeqCst), 25);
}

/// A function's one result returned straight from a local (`local.get`
/// then the return, as half the calls of a recursion end) reaches every
/// kind of caller: the host, a caller in the same instance, one in another
/// instance, and callers whose frames a host call pinned.
#[test]
fn results_returned_from_a_local_reach_every_caller() {
    let mut store = Store::new();
    let nop = store.func(
        FuncType {
            params: vec![],
            results: vec![],
        },
        |_, _, _| Ok(()),
    );
    let picker = instantiate(
        &mut store,
        r#"(module (func (export "pick") (param i32 i32) (result i32)
             (if (local.get 0) (then (return (local.get 1))))
             (local.get 0)))"#,
    );
    let pick = |store: &mut Store, a: i32, b: i32| {
        call(store, picker, "pick", &[Value::I32(a), Value::I32(b)])
    };
    assert_eq!(pick(&mut store, 1, 7), Ok(vec![Value::I32(7)]));
    assert_eq!(pick(&mut store, 0, 7), Ok(vec![Value::I32(0)]));
    let mut linker = Linker::new();
    linker.define("host", "nop", Extern::Func(nop));
    linker.define_instance(&store, "p", picker);
    let user = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module
                     (import "p" "pick" (func $pick (param i32 i32) (result i32)))
                     (import "host" "nop" (func $nop))
                     (func $fib (param i32) (result i32)
                       (if (i32.lt_u (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                       (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                (call $fib (i32.sub (local.get 0) (i32.const 2)))))
                     (func (export "run") (param $n i32) (result i32) (local $i i32) (local $s i32)
                       (block $done (loop $next
                         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                         (if (i32.eqz (i32.and (local.get $i) (i32.const 3))) (then (call $nop)))
                         (local.set $s (i32.add (local.get $s)
                           (i32.add (call $fib (i32.and (local.get $i) (i32.const 15)))
                                    (call $pick (i32.and (local.get $i) (i32.const 1)) (local.get $i)))))
                         (local.set $i (i32.add (local.get $i) (i32.const 1)))
                         (br $next)))
                       (local.get $s)))"#,
            ),
        )
        .unwrap();
    let fib = |n: i32| (0..n).fold((0, 1), |(a, b), _| (b, a + b)).0;
    let want: i32 = (0..100)
        .map(|i| fib(i & 15) + if i & 1 == 1 { i } else { 0 })
        .sum();
    assert_eq!(
        call(&mut store, user, "run", &[Value::I32(100)]),
        Ok(vec![Value::I32(want)])
    );
}

/// A store whose value comes in the accumulator stores it, at every width,
/// and traps out of bounds as any store does.
#[test]
fn stores_of_an_accumulator_store_and_trap() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1)
             (func (export "put") (param $p i32) (param $v i64) (result i64)
               (i64.store (local.get $p) (i64.add (local.get $v) (i64.const 1)))
               (i32.store (i32.add (local.get $p) (i32.const 8)) (i32.wrap_i64 (local.get $v)))
               (i32.store8 (local.get $p) (i32.xor (local.get $p) (i32.const 0x5a)))
               (i64.load (local.get $p))))"#,
    );
    let v = 0x0102_0304_0506_0708i64;
    let want = ((v + 1) as u64 & !0xff) | ((16 ^ 0x5a) as u64);
    assert_eq!(
        call(&mut store, inst, "put", &[Value::I32(16), Value::I64(v)]),
        Ok(vec![Value::I64(want as i64)])
    );
    assert_eq!(
        call(
            &mut store,
            inst,
            "put",
            &[Value::I32(65_532), Value::I64(v)]
        ),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
}
