//! Where a trap happened: the store's backtrace of the frames it passed
//! through, each with the function and the instruction.

mod common;

use common::{call, instantiate, module};
use weft_ast::FuncType;
use weft_interp::{Error, Extern, Linker, Store, Trap, Value};

fn frames(store: &Store) -> Vec<String> {
    store
        .trap_backtrace()
        .iter()
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn a_trap_names_each_frame_and_instruction() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1)
             (func $div (param i32 i32) (result i32)
               (i32.div_s (local.get 0) (local.get 1)))
             (func $load (param i32) (result i32)
               (i32.load offset=4 (local.get 0)))
             (func (export "outer") (param i32) (result i32)
               (nop)
               (call $div (i32.const 1) (local.get 0)))
             (func (export "load") (param i32) (result i32)
               (call $load (local.get 0)))
             (func (export "dead") unreachable))"#,
    );
    let err = call(&mut store, inst, "outer", &[Value::I32(0)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::IntegerDivideByZero));
    assert_eq!(
        frames(&store),
        [
            "func 0 $div, instruction 2 (i32.div_s)",
            "func 2, instruction 3 (call)"
        ]
    );
    // A fused load (run by the threaded handlers) and `unreachable` (run by
    // the loop) say where they are too.
    let err = call(&mut store, inst, "load", &[Value::I32(65533)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::OutOfBoundsMemoryAccess));
    assert_eq!(
        frames(&store),
        [
            "func 1 $load, instruction 1 (i32.load)",
            "func 3, instruction 1 (call)"
        ]
    );
    call(&mut store, inst, "dead", &[]).unwrap_err();
    assert_eq!(frames(&store), ["func 4, instruction 0 (unreachable)"]);
    // A call that returns leaves no backtrace behind.
    call(&mut store, inst, "outer", &[Value::I32(1)]).unwrap();
    assert!(store.trap_backtrace().is_empty());
}

#[test]
fn a_backtrace_goes_through_host_functions() {
    let mut store = Store::new();
    let inner = instantiate(
        &mut store,
        r#"(module (func $boom (export "boom") unreachable))"#,
    );
    let boom = store.export_func(inner, "boom").unwrap();
    let host = store.func(
        FuncType {
            params: vec![],
            results: vec![],
        },
        move |caller, _, _| {
            caller
                .store
                .call(boom, &[])
                .map(|_| ())
                .map_err(|e| match e {
                    Error::Trap(t) => t,
                    other => Trap::Host(other.to_string().into()),
                })
        },
    );
    let mut linker = Linker::new();
    linker.define("env", "host", Extern::Func(host));
    let outer = module(
        r#"(module (import "env" "host" (func $host))
             (func $via (export "via") (call $host)))"#,
    );
    let outer = linker.instantiate(&mut store, &outer).unwrap();
    let via = store.export_func(outer, "via").unwrap();
    assert!(store.call(via, &[]).is_err());
    assert_eq!(
        frames(&store),
        [
            "func 0 $boom, instruction 0 (unreachable)",
            "func 1 $via, instruction 0 (call)"
        ]
    );
}

#[test]
fn a_trap_while_out_of_fuel_or_stack_says_where() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
             (func $spin (export "spin") (loop $l (br $l)))
             (func $deep (export "deep") (call $deep)))"#,
    );
    store.set_fuel(Some(50));
    assert_eq!(
        call(&mut store, inst, "spin", &[]),
        Err(Error::Trap(Trap::OutOfFuel))
    );
    assert_eq!(frames(&store), ["func 0 $spin, instruction 1 (br)"]);
    store.set_fuel(None);
    assert_eq!(
        call(&mut store, inst, "deep", &[]),
        Err(Error::Trap(Trap::CallStackExhausted))
    );
    let f = frames(&store);
    assert!(f.len() > 1000, "{}", f.len());
    assert!(f.iter().all(|f| f == "func 1 $deep, instruction 0 (call)"));
}

#[test]
fn spectest_has_a_64_bit_table() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    weft_interp::spectest::define(&mut linker, &mut store).unwrap();
    let m = module(
        r#"(module (import "spectest" "table64" (table i64 10 20 funcref))
             (func (export "size") (result i64) (table.size 0)))"#,
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(
        call(&mut store, inst, "size", &[]),
        Ok(vec![Value::I64(10)])
    );
}
