//! Indirect calls: table entries, types, the running instance's tables as
//! they are now, 64-bit tables; and values carried by a `br_table` out of a
//! block with parameters (a case another engine gets wrong).

mod common;

use common::{call, instantiate, module};

use weft_interp::{Error, Extern, Linker, Store, Trap, Value};

#[test]
fn indirect_calls_check_table_entries_and_types() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (type $i (func (result i32))) (type $l (func (result i64)))
             (table 3 funcref) (elem (i32.const 0) $one $wide)
             (func $one (result i32) (i32.const 1)) (func $wide (result i64) (i64.const 2))
             (func (export "call") (param i32) (result i32) (call_indirect (type $i) (local.get 0))))"#,
    );
    let run = |store: &mut Store, i| call(store, inst, "call", &[Value::I32(i)]);
    assert_eq!(run(&mut store, 0), Ok(vec![Value::I32(1)]));
    assert_eq!(
        run(&mut store, 1),
        Err(Error::Trap(Trap::IndirectCallTypeMismatch))
    );
    assert_eq!(
        run(&mut store, 2),
        Err(Error::Trap(Trap::UninitializedElement(2)))
    );
    assert_eq!(run(&mut store, 3), Err(Error::Trap(Trap::UndefinedElement)));
    assert_eq!(
        run(&mut store, 2).unwrap_err().to_string(),
        "uninitialized element 2"
    );
}

#[test]
fn indirect_calls_use_the_running_instances_tables_as_they_are_now() {
    // Table 0 and table 1 of one instance, a table changed and grown
    // between calls in one function, and a call into another instance
    // whose table 0 holds other functions: each `call_indirect` finds the
    // element its own instance's table holds at that moment.
    let mut store = Store::new();
    let a = module(
        r#"(module
             (type $t (func (param i32) (result i32)))
             (table $t0 2 funcref) (table $t1 2 funcref)
             (elem (table $t0) (i32.const 0) func $inc $dbl)
             (elem (table $t1) (i32.const 0) func $dbl $inc)
             (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
             (func (export "via0") (param i32 i32) (result i32)
               (call_indirect $t0 (type $t) (local.get 1) (local.get 0)))
             (func (export "via1") (param i32 i32) (result i32)
               (call_indirect $t1 (type $t) (local.get 1) (local.get 0)))
             (func (export "changed") (param i32) (result i32) (local $r i32)
               (local.set $r (call_indirect $t0 (type $t) (local.get 0) (i32.const 0)))
               (table.set $t0 (i32.const 0) (table.get $t0 (i32.const 1)))
               (drop (table.grow $t0 (ref.func $inc) (i32.const 1000)))
               (i32.add
                 (i32.mul (local.get $r) (i32.const 1000))
                 (i32.add
                   (call_indirect $t0 (type $t) (local.get 0) (i32.const 0))
                   (call_indirect $t0 (type $t) (local.get 0) (i32.const 1001))))))"#,
    );
    let a = Linker::new()
        .instantiate(&mut store, &a)
        .expect("instantiates");
    let via0 = store.export_func(a, "via0").expect("exported");
    let run = |store: &mut Store, f: &str, args: &[i32]| {
        let args: Vec<Value> = args.iter().map(|&v| Value::I32(v)).collect();
        call(store, a, f, &args)
    };
    assert_eq!(run(&mut store, "via0", &[0, 10]), Ok(vec![Value::I32(11)]));
    assert_eq!(run(&mut store, "via0", &[1, 10]), Ok(vec![Value::I32(20)]));
    assert_eq!(run(&mut store, "via1", &[0, 10]), Ok(vec![Value::I32(20)]));
    assert_eq!(run(&mut store, "via1", &[1, 10]), Ok(vec![Value::I32(11)]));
    assert_eq!(
        run(&mut store, "via0", &[2, 10]),
        Err(Error::Trap(Trap::UndefinedElement))
    );
    // 11 before the change, then 2 * 10 and 10 + 1.
    assert_eq!(
        run(&mut store, "changed", &[10]),
        Ok(vec![Value::I32(11_000 + 20 + 11)])
    );
    // The change stays; index 1001 is in the grown table.
    assert_eq!(run(&mut store, "via0", &[0, 10]), Ok(vec![Value::I32(20)]));
    assert_eq!(
        run(&mut store, "via0", &[1001, 10]),
        Ok(vec![Value::I32(11)])
    );

    let mut linker = Linker::new();
    linker.define("a", "via0", Extern::Func(via0));
    let b = module(
        r#"(module
             (type $t (func (param i32) (result i32)))
             (import "a" "via0" (func $via0 (param i32 i32) (result i32)))
             (table 1 funcref) (elem (i32.const 0) $neg)
             (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
             (func (export "mix") (param i32) (result i32)
               (call_indirect (type $t)
                 (call $via0 (i32.const 0) (local.get 0))
                 (i32.const 0))))"#,
    );
    let b = linker.instantiate(&mut store, &b).expect("instantiates");
    // A's element 0 (now `$dbl`) in A, then B's (`$neg`) in B.
    assert_eq!(
        call(&mut store, b, "mix", &[Value::I32(5)]),
        Ok(vec![Value::I32(-10)])
    );
}

#[test]
fn indirect_calls_through_a_64_bit_table_take_the_whole_index() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
             (type $t (func (result i32)))
             (table i64 2 funcref) (elem (i64.const 0) $one $two)
             (func $one (result i32) (i32.const 1)) (func $two (result i32) (i32.const 2))
             (func (export "call") (param i64) (result i32) (call_indirect (type $t) (local.get 0))))"#,
    );
    let run = |store: &mut Store, i: i64| call(store, inst, "call", &[Value::I64(i)]);
    assert_eq!(run(&mut store, 1), Ok(vec![Value::I32(2)]));
    // 2^32 + 1 is no index 1.
    assert_eq!(
        run(&mut store, (1 << 32) + 1),
        Err(Error::Trap(Trap::UndefinedElement))
    );
    assert_eq!(
        run(&mut store, -1),
        Err(Error::Trap(Trap::UndefinedElement))
    );
}

/// A `br_table` out of a block with a parameter keeps the label's values
/// from the top of the stack and drops the parameter below them (wasmi
/// 2.0.0 gets this wrong: fuzz/findings/wasmi-br-table-block-params.md).
#[test]
fn br_table_out_of_a_block_with_parameters_keeps_the_top_values() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
             (global $g (mut i32) (i32.const 2000))
             (func (export "f") (result i64 i64 i64)
               (local i64)
               i32.const 0
               block (param i32) (result i64 i64 i64)
                 i64.const -8
                 i64.const 7
                 local.get 0
                 global.get $g
                 br_table 1 0
               end))"#,
    );
    assert_eq!(
        call(&mut store, inst, "f", &[]),
        Ok(vec![Value::I64(-8), Value::I64(7), Value::I64(0)])
    );
}
