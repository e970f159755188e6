//! Numeric traps carry the spec's messages.

mod common;

use common::{call, instantiate};

use weft_interp::{Error, Store, Trap, Value};

#[test]
fn numeric_traps_carry_spec_messages() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1)
             (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
             (func (export "trunc") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
             (func (export "load") (param i32) (result i64) (i64.load offset=8 (local.get 0)))
             (func (export "unreachable") unreachable))"#,
    );
    let msg = |r: Result<Vec<Value>, Error>| r.unwrap_err().to_string();
    assert_eq!(
        msg(call(
            &mut store,
            inst,
            "div",
            &[Value::I32(1), Value::I32(0)]
        )),
        "integer divide by zero"
    );
    assert_eq!(
        msg(call(
            &mut store,
            inst,
            "div",
            &[Value::I32(i32::MIN), Value::I32(-1)]
        )),
        "integer overflow"
    );
    assert_eq!(
        msg(call(&mut store, inst, "trunc", &[Value::from(f64::NAN)])),
        "invalid conversion to integer"
    );
    assert_eq!(
        msg(call(&mut store, inst, "trunc", &[Value::from(-1.0f64)])),
        "integer overflow"
    );
    assert_eq!(
        call(&mut store, inst, "trunc", &[Value::from(-0.9f64)]),
        Ok(vec![Value::I64(0)])
    );
    assert_eq!(
        msg(call(&mut store, inst, "load", &[Value::I32(65528)])),
        "out of bounds memory access"
    );
    assert_eq!(
        msg(call(&mut store, inst, "load", &[Value::I32(-1)])),
        "out of bounds memory access"
    );
    assert_eq!(
        call(&mut store, inst, "load", &[Value::I32(65520)]),
        Ok(vec![Value::I64(0)])
    );
    assert_eq!(
        msg(call(&mut store, inst, "unreachable", &[])),
        "unreachable"
    );
}

#[test]
fn fuel_stops_infinite_loops() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "spin") (loop $l (br $l))))"#,
    );
    store.set_fuel(Some(10_000));
    assert_eq!(
        call(&mut store, inst, "spin", &[]),
        Err(Error::Trap(Trap::OutOfFuel))
    );
    assert_eq!(store.fuel(), Some(0));
    store.set_fuel(Some(5));
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "f") (result i32) (i32.const 7)))"#,
    );
    assert_eq!(call(&mut store, inst, "f", &[]), Ok(vec![Value::I32(7)]));
    assert_eq!(store.fuel(), Some(4), "one unit per call");
}
