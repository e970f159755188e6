//! Host functions and the embedder: arguments and results, traps across the
//! boundary, re-entry, handles, threads.

mod common;

use common::{call, instantiate, module};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use weft_ast::{FuncType, Ieee32, ValType};
use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};

#[test]
fn host_functions_see_arguments_results_and_the_caller() {
    let mut store = Store::new();
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let add = store.func(
        FuncType {
            params: vec![ValType::I32, ValType::F32],
            results: vec![ValType::I64, ValType::V128],
        },
        move |caller, args, results| {
            // Count calls from wasm (with a calling instance) apart.
            seen.fetch_add(
                if caller.instance.is_some() { 1 } else { 100 },
                Ordering::SeqCst,
            );
            let (Value::I32(a), Value::F32(b)) = (args[0], args[1]) else {
                return Err(Trap::Host("bad arguments".into()));
            };
            results[0] = Value::I64(a as i64 + b.value() as i64);
            results[1] = Value::V128(u128::MAX);
            Ok(())
        },
    );
    let mut linker = Linker::new();
    linker.define("host", "add", Extern::Func(add));
    let inst = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module (import "host" "add" (func $add (param i32 f32) (result i64 v128)))
                     (func (export "run") (result i64 i32)
                       (call $add (i32.const 40) (f32.const 2.5))
                       (i8x16.extract_lane_u 3)))"#,
            ),
        )
        .unwrap();
    assert_eq!(
        call(&mut store, inst, "run", &[]),
        Ok(vec![Value::I64(42), Value::I32(255)])
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The host can also be called directly.
    assert_eq!(
        store.call(add, &[Value::I32(1), Value::F32(Ieee32(2.0f32.to_bits()))]),
        Ok(vec![Value::I64(3), Value::V128(u128::MAX)])
    );
    assert_eq!(calls.load(Ordering::SeqCst), 101);
}

#[test]
fn host_traps_propagate_and_host_can_reenter() {
    let mut store = Store::new();
    let fail = store.func(FuncType::default(), |_, _, _| {
        Err(Trap::Host("host says no".into()))
    });
    // `twice` calls back into the instance's `inc` export.
    let twice = store.func(
        FuncType {
            params: vec![ValType::I32],
            results: vec![ValType::I32],
        },
        |caller, args, results| {
            let inst = caller.instance.expect("called from wasm");
            let inc = caller.store.export_func(inst, "inc").expect("inc");
            let once = caller
                .store
                .call(inc, args)
                .map_err(|e| Trap::Host(e.to_string().into()))?;
            let again = caller
                .store
                .call(inc, &once)
                .map_err(|e| Trap::Host(e.to_string().into()))?;
            results[0] = again[0];
            Ok(())
        },
    );
    let mut linker = Linker::new();
    linker.define("h", "fail", Extern::Func(fail));
    linker.define("h", "twice", Extern::Func(twice));
    let inst = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module (import "h" "fail" (func $fail)) (import "h" "twice" (func $twice (param i32) (result i32)))
                     (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
                     (func (export "twice") (param i32) (result i32) (call $twice (local.get 0)))
                     (func (export "fail") (call $fail)))"#,
            ),
        )
        .unwrap();
    assert_eq!(
        call(&mut store, inst, "twice", &[Value::I32(5)]),
        Ok(vec![Value::I32(7)])
    );
    let err = call(&mut store, inst, "fail", &[]).unwrap_err();
    assert_eq!(err.to_string(), "host says no");
}

#[test]
fn deep_recursion_survives_host_calls_and_reentry_at_every_level() {
    // `down(n)` recurses to depth `n`, calling the host on the way down at
    // every tenth level; at the levels that are multiples of 1000 the host
    // calls `down(n / 2)` again, so frames are pinned, grown and unwound across host calls and
    // nested runs.
    let mut store = Store::new();
    let host = store.func(
        FuncType {
            params: vec![ValType::I32],
            results: vec![ValType::I32],
        },
        |caller, args, results| {
            let Value::I32(n) = args[0] else {
                return Err(Trap::Host("i32 expected".into()));
            };
            results[0] = Value::I32(if n > 0 && n % 1000 == 0 {
                let inst = caller.instance.expect("from wasm");
                let down = caller.store.export_func(inst, "down").expect("down");
                match caller.store.call(down, &[Value::I32(n / 2)]) {
                    Ok(r) => match r[..] {
                        [Value::I32(v)] => v,
                        _ => return Err(Trap::Host("one i32 expected".into())),
                    },
                    Err(e) => return Err(Trap::Host(e.to_string().into())),
                }
            } else {
                1
            });
            Ok(())
        },
    );
    let mut linker = Linker::new();
    linker.define("h", "visit", Extern::Func(host));
    let inst = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module (import "h" "visit" (func $visit (param i32) (result i32)))
                     (func $down (export "down") (param i32) (result i32)
                       (local i32)
                       (if (i32.eqz (i32.rem_u (local.get 0) (i32.const 10)))
                         (then (local.set 1 (call $visit (local.get 0)))))
                       (if (result i32) (i32.eqz (local.get 0))
                         (then (local.get 1))
                         (else (i32.add (local.get 1)
                                 (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#,
            ),
        )
        .unwrap();
    // The sum over the levels of what the host returned there, computed
    // the same way in Rust.
    fn expected(n: i32) -> i32 {
        (0..=n)
            .filter(|k| k % 10 == 0)
            .map(|k| {
                if k > 0 && k % 1000 == 0 {
                    expected(k / 2)
                } else {
                    1
                }
            })
            .sum()
    }
    for n in [0, 9, 10, 63, 64, 65, 500, 1000, 5000] {
        assert_eq!(
            call(&mut store, inst, "down", &[Value::I32(n)]),
            Ok(vec![Value::I32(expected(n))]),
            "down({n})"
        );
    }
}

#[test]
fn a_host_function_that_replaces_the_store_ends_the_call_with_a_trap() {
    // The host function puts a fresh store in the caller's place. Whether
    // it was called from WebAssembly, from the host, or as a start
    // function, the call ends with a trap (the running code's instances and
    // frames were the old store's) instead of a panic, and the store in
    // place afterwards works.
    let replace = |store: &mut Store| {
        store.func(
            FuncType {
                params: vec![],
                results: vec![],
            },
            |caller, _, _| {
                *caller.store = Store::new();
                Ok(())
            },
        )
    };
    let replaced = Err(Error::Trap(Trap::Host(
        "a host function replaced the store".into(),
    )));
    let text = r#"(module (import "h" "replace" (func $replace))
        (memory 1)
        (func (export "run") (result i32)
          (i32.store (i32.const 0) (i32.const 7))
          (call $replace)
          (i32.load (i32.const 0))))"#;

    let mut store = Store::new();
    let f = replace(&mut store);
    let mut linker = Linker::new();
    linker.define("h", "replace", Extern::Func(f));
    let inst = linker
        .instantiate(&mut store, &module(text))
        .expect("instantiates");
    assert_eq!(call(&mut store, inst, "run", &[]), replaced);
    // Straight from the host.
    let f = replace(&mut store);
    assert_eq!(store.call(f, &[]), replaced);
    // As a start function.
    let f = replace(&mut store);
    let mut linker = Linker::new();
    linker.define("h", "replace", Extern::Func(f));
    let started = module(r#"(module (import "h" "replace" (func $r)) (start $r))"#);
    assert_eq!(
        linker.instantiate(&mut store, &started).map(|_| ()),
        replaced.map(|_: Vec<Value>| ())
    );
    // The store in place runs code.
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "f") (result i32) (i32.const 5)))"#,
    );
    assert_eq!(call(&mut store, inst, "f", &[]), Ok(vec![Value::I32(5)]));
}

#[test]
fn calls_check_their_arguments() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "f") (param i32) (result i32) (local.get 0)))"#,
    );
    assert_eq!(
        call(&mut store, inst, "f", &[]),
        Err(Error::ArgumentMismatch)
    );
    assert_eq!(
        call(&mut store, inst, "f", &[Value::I64(1)]),
        Err(Error::ArgumentMismatch)
    );
    assert_eq!(
        call(&mut store, inst, "f", &[Value::I32(9)]),
        Ok(vec![Value::I32(9)])
    );
}

#[test]
fn exports_globals_and_tables_are_reachable_from_the_host() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (global $g (export "g") (mut i32) (i32.const 3))
             (table (export "t") 2 funcref) (memory (export "m") 1)
             (func $f (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
             (elem (i32.const 1) $f))"#,
    );
    call(&mut store, inst, "bump", &[]).unwrap();
    let Some(Extern::Global(g)) = store.export(inst, "g") else {
        panic!("global export")
    };
    assert_eq!(store.global_get(g), Ok(Value::I32(4)));
    store.global_set(g, Value::I32(10)).unwrap();
    call(&mut store, inst, "bump", &[]).unwrap();
    assert_eq!(store.global_get(g), Ok(Value::I32(11)));
    assert_eq!(
        store.global_set(g, Value::I64(1)),
        Err(Error::ArgumentMismatch)
    );
    let Some(Extern::Table(t)) = store.export(inst, "t") else {
        panic!("table export")
    };
    assert_eq!(store.table_get(t, 0), Ok(Some(Value::FuncRef(None))));
    assert_eq!(
        store.table_get(t, 1),
        Ok(Some(Value::FuncRef(store.export_func(inst, "bump"))))
    );
    assert_eq!(store.table_get(t, 2), Ok(None));
    assert_eq!(
        store.table_set(t, 0, Value::FuncRef(store.export_func(inst, "bump"))),
        Ok(true)
    );
    assert_eq!(store.table_set(t, 5, Value::FuncRef(None)), Ok(false));
    assert_eq!(
        store.table_set(t, 0, Value::I32(1)),
        Err(Error::ArgumentMismatch)
    );
    assert_eq!(store.table_grow(t, 3, Value::FuncRef(None)), Ok(Some(2)));
    assert_eq!(store.table_type(t).map(|ty| ty.limits.min), Ok(5));
    let mut names: Vec<&str> = store.exports(inst).map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(names, ["bump", "g", "m", "t"]);
}

#[test]
fn stores_and_modules_can_move_between_threads() {
    fn send<T: Send>() {}
    fn sync<T: Send + Sync>() {}
    send::<Store>();
    sync::<Module>();
    sync::<Linker>();
}
