//! Fuel: it bounds every kind of work, bulk operations in proportion to
//! what they touch.

mod common;

use common::{call, instantiate};
use weft_interp::{Error, Store, StoreLimits, Trap, Value};

/// Each bulk operation of memories, tables and arrays costs fuel in
/// proportion to its length: twenty fills of a gigabyte do not run on 200
/// units, and the same operations on a few bytes do.
#[test]
fn bulk_operations_charge_fuel_by_their_length() {
    let text = r#"(module
        (memory 1) (table 16 funcref)
        (type $a (array (mut i8)))
        (data $d "0123456789abcdef")
        (elem $e func $f $f $f $f)
        (func $f)
        (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 1) (local.get 0)))
        (func (export "copy") (param i32) (memory.copy (i32.const 0) (i32.const 1) (local.get 0)))
        (func (export "init") (param i32) (memory.init $d (i32.const 0) (i32.const 0) (local.get 0)))
        (func (export "tfill") (param i32) (table.fill (i32.const 0) (ref.null func) (local.get 0)))
        (func (export "tcopy") (param i32) (table.copy (i32.const 0) (i32.const 1) (local.get 0)))
        (func (export "tinit") (param i32) (table.init $e (i32.const 0) (i32.const 0) (local.get 0)))
        (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
        (func (export "anew") (param i32) (result i32)
          (array.len (array.new $a (i32.const 7) (local.get 0))))
        (func (export "afill") (param i32)
          (array.fill $a (array.new_default $a (i32.const 4096)) (i32.const 0) (i32.const 1) (local.get 0))))"#;
    // Work of n bytes or elements: n / 16 or n units, plus one for the call.
    for (name, small, large, units) in [
        ("fill", 16, 4096, 4096 / 16),
        ("copy", 16, 4096, 4096 / 16),
        ("init", 16, 16, 1),
        ("tfill", 1, 16, 16),
        ("tcopy", 1, 15, 15),
        ("tinit", 1, 4, 4),
        ("anew", 1, 1000, 1000),
        ("afill", 1, 4000, 4000),
    ] {
        let mut store = Store::new();
        let inst = instantiate(&mut store, text);
        store.set_fuel(Some(1_000_000));
        call(&mut store, inst, name, &[Value::I32(small)]).unwrap();
        let before = store.fuel().unwrap();
        call(&mut store, inst, name, &[Value::I32(large)]).unwrap();
        let spent = before - store.fuel().unwrap();
        // `afill` allocates its 4096-element array too.
        let alloc = if name == "afill" { 4096 } else { 0 };
        assert_eq!(spent, 1 + units + alloc, "{name}");
        // Not enough fuel for the work: the operation does not run.
        store.set_fuel(Some(units / 2));
        assert_eq!(
            call(&mut store, inst, name, &[Value::I32(large)]),
            Err(Error::Trap(Trap::OutOfFuel)),
            "{name}"
        );
    }
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    store.set_fuel(Some(100));
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(1000)]),
        Err(Error::Trap(Trap::OutOfFuel))
    );
}

/// The issue's case: a loop of memory fills, each of a gigabyte, under a
/// little fuel ends at the first fill (without the charge, 200 units ran
/// 20 GiB of writes).
#[test]
fn a_gigabyte_fill_is_not_one_unit() {
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 1 << 31,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (memory 16384)
             (func (export "fills") (local i32)
               (loop $l
                 (memory.fill (i32.const 0) (local.get 0) (i32.const 0x40000000))
                 (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 20))))))"#,
    );
    store.set_fuel(Some(200));
    assert_eq!(
        call(&mut store, inst, "fills", &[]),
        Err(Error::Trap(Trap::OutOfFuel))
    );
    assert_eq!(store.fuel(), Some(0));
}
