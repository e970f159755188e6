//! The runtime's behaviour as an embedder sees it: host functions, linking
//! errors, instantiation order, limits, fuel and robustness.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use weft_ast::{FuncType, Ieee32, Ieee64, ValType};
use weft_interp::{Error, Extern, Instance, Linker, Module, Store, StoreLimits, Trap, Value};

fn module(text: &str) -> Module {
    Module::new(weft_wat::parse_module(text).expect("test module parses")).expect("valid")
}

fn instantiate(store: &mut Store, text: &str) -> Instance {
    Linker::new()
        .instantiate(store, &module(text))
        .expect("instantiates")
}

fn call(
    store: &mut Store,
    inst: Instance,
    name: &str,
    args: &[Value],
) -> Result<Vec<Value>, Error> {
    let f = store.export_func(inst, name).expect("exported function");
    store.call(f, args)
}

#[test]
fn runaway_recursion_traps_instead_of_overflowing() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (func $f (export "f") (param i64) (result i64)
             (i64.add (call $f (local.get 0)) (i64.const 1))))"#,
    );
    let err = call(&mut store, inst, "f", &[Value::I64(0)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::CallStackExhausted));
    assert_eq!(err.to_string(), "call stack exhausted");
    // The store stays usable after the trap.
    let err = call(&mut store, inst, "f", &[Value::I64(0)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::CallStackExhausted));
}

#[test]
fn call_depth_limit_is_configurable() {
    let text = r#"(module (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let limits = StoreLimits {
        max_call_depth: 100,
        ..StoreLimits::default()
    };
    let mut store = Store::with_limits(limits);
    let inst = instantiate(&mut store, text);
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(90)]),
        Ok(vec![Value::I32(90)])
    );
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(200)]),
        Err(Error::Trap(Trap::CallStackExhausted))
    );
    // Deep but finite recursion works with the default limits.
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(20_000)]),
        Ok(vec![Value::I32(20_000)])
    );
}

#[test]
fn tail_calls_run_in_constant_space() {
    let mut store = Store::with_limits(StoreLimits {
        max_call_depth: 10,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (func $count (export "count") (param i64 i64) (result i64)
             (if (result i64) (i64.eqz (local.get 0))
               (then (local.get 1))
               (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                         (i64.add (local.get 1) (i64.const 2)))))))"#,
    );
    assert_eq!(
        call(
            &mut store,
            inst,
            "count",
            &[Value::I64(1_000_000), Value::I64(0)]
        ),
        Ok(vec![Value::I64(2_000_000)])
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

#[test]
fn memory_and_table_growth_respect_limits() {
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 3 * 65536,
        max_table_elements: 10,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1) (table 2 funcref)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(2)]),
        Ok(vec![Value::I32(1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(1)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(0)]),
        Ok(vec![Value::I32(3)])
    );
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(8)]),
        Ok(vec![Value::I32(2)])
    );
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(1)]),
        Ok(vec![Value::I32(-1)])
    );
    // A 64-bit memory cannot wrap its size around: 2^48 pages of 64 KiB is
    // more than the address space, not zero bytes.
    let inst64 = instantiate(
        &mut store,
        r#"(module (memory i64 1)
             (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))"#,
    );
    for delta in [1i64 << 48, (1 << 48) - 1, i64::MAX, -1] {
        assert_eq!(
            call(&mut store, inst64, "grow", &[Value::I64(delta)]),
            Ok(vec![Value::I64(-1)])
        );
    }
    // A declared minimum beyond the limit fails instantiation cleanly.
    let big = module("(module (memory 4))");
    assert_eq!(
        Linker::new().instantiate(&mut store, &big).unwrap_err(),
        Error::ResourceLimit
    );
}

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
fn unbounded_host_reentry_is_bounded() {
    let mut store = Store::new();
    let reenter = store.func(FuncType::default(), |caller, _, _| {
        let inst = caller.instance.expect("from wasm");
        let f = caller.store.export_func(inst, "f").expect("f");
        caller
            .store
            .call(f, &[])
            .map(|_| ())
            .map_err(|e| Trap::Host(e.to_string().into()))
    });
    let mut linker = Linker::new();
    linker.define("h", "reenter", Extern::Func(reenter));
    let inst = linker
        .instantiate(
            &mut store,
            &module(r#"(module (import "h" "reenter" (func $r)) (func (export "f") (call $r)))"#),
        )
        .unwrap();
    let err = call(&mut store, inst, "f", &[]).unwrap_err();
    assert!(err.to_string().contains("call stack exhausted"), "{err}");
}

#[test]
fn linking_errors_name_the_import() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    weft_interp::spectest::define(&mut linker, &mut store).unwrap();
    let m = module(r#"(module (import "env" "nothing" (func)))"#);
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert!(err.to_string().starts_with("unknown import"), "{err}");
    let cases = [
        r#"(module (import "spectest" "print_i32" (func (param i64))))"#,
        r#"(module (import "spectest" "memory" (memory 3)))"#,
        r#"(module (import "spectest" "memory" (memory 1 1)))"#,
        r#"(module (import "spectest" "global_i32" (global (mut i32))))"#,
        r#"(module (import "spectest" "global_i32" (global i64)))"#,
        r#"(module (import "spectest" "table" (table 10 externref)))"#,
        r#"(module (import "spectest" "table" (func)))"#,
    ];
    for text in cases {
        let err = linker.instantiate(&mut store, &module(text)).unwrap_err();
        assert!(
            matches!(err, Error::IncompatibleImportType { .. }),
            "{text}: {err}"
        );
        assert!(
            err.to_string().starts_with("incompatible import type"),
            "{err}"
        );
    }
    // And the right types link.
    let ok = r#"(module (import "spectest" "print_i32" (func (param i32)))
        (import "spectest" "memory" (memory 1 2)) (import "spectest" "table" (table 5 funcref))
        (import "spectest" "global_i32" (global i32)))"#;
    linker.instantiate(&mut store, &module(ok)).unwrap();
}

#[test]
fn instantiation_initializes_in_order_and_traps_out_of_bounds() {
    let mut store = Store::new();
    let mem = store
        .memory(weft_ast::MemoryType {
            addr: weft_ast::AddrType::I32,
            limits: weft_ast::Limits { min: 1, max: None },
            shared: false,
            page_size_log2: None,
        })
        .unwrap();
    let mut linker = Linker::new();
    linker.define("env", "mem", Extern::Memory(mem));
    // The first segment is written, the second is out of bounds: the
    // instantiation traps and the first write stays (Wasm 2.0 semantics).
    let m = module(
        r#"(module (import "env" "mem" (memory 1))
             (data (i32.const 0) "\2a")
             (data (i32.const 65535) "\01\02"))"#,
    );
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::OutOfBoundsMemoryAccess));
    assert_eq!(err.to_string(), "out of bounds memory access");
    assert_eq!(store.memory_data(mem).unwrap()[0], 42);
    let m = module(r#"(module (table 1 funcref) (func) (elem (i32.const 1) 0 0))"#);
    assert_eq!(
        linker.instantiate(&mut store, &m).unwrap_err(),
        Error::Trap(Trap::OutOfBoundsTableAccess)
    );
    // The start function runs after the segments are in place.
    let m = module(
        r#"(module (import "env" "mem" (memory 1)) (data (i32.const 8) "\05")
             (func $start (i32.store8 (i32.const 9) (i32.add (i32.load8_u (i32.const 8)) (i32.const 1))))
             (start $start))"#,
    );
    linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(&store.memory_data(mem).unwrap()[8..10], &[5, 6]);
}

#[test]
fn wasm1_instantiation_checks_every_segment_before_writing() {
    let mut store = Store::new();
    store.set_segments_checked_first(true);
    let mem = store
        .memory(weft_ast::MemoryType {
            addr: weft_ast::AddrType::I32,
            limits: weft_ast::Limits { min: 1, max: None },
            shared: false,
            page_size_log2: None,
        })
        .unwrap();
    let mut linker = Linker::new();
    linker.define("env", "mem", Extern::Memory(mem));
    // The data segment fits but the element segment does not: nothing is
    // written, and the failure is Wasm 1.0's, not a trap.
    let m = module(
        r#"(module (import "env" "mem" (memory 1))
             (data (i32.const 0) "\2a")
             (table 1 funcref) (func) (elem (i32.const 1) 0))"#,
    );
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert_eq!(err, Error::SegmentDoesNotFit { data: false });
    assert_eq!(err.to_string(), "elements segment does not fit");
    assert_eq!(store.memory_data(mem).unwrap()[0], 0);
    let m = module(
        r#"(module (import "env" "mem" (memory 1))
             (data (i32.const 0) "\2a")
             (data (i32.const 65535) "\01\02"))"#,
    );
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert_eq!(err.to_string(), "data segment does not fit");
    assert_eq!(store.memory_data(mem).unwrap()[0], 0);
    // Segments that fit are written as usual.
    let m = module(r#"(module (import "env" "mem" (memory 1)) (data (i32.const 65535) "\07"))"#);
    linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(store.memory_data(mem).unwrap()[65535], 7);
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
fn invalid_modules_are_errors_not_panics() {
    // Rejected by validation.
    let ast = weft_wat::parse_module(r#"(module (func (result i32) (i64.const 0)))"#).unwrap();
    assert!(matches!(Module::new(ast), Err(Error::Validation(_))));
    // Malformed bodies that skip validation are still refused cleanly.
    let mut ast = weft_ast::Module::default();
    ast.push_rec_group(
        [weft_ast::SubType::plain(weft_ast::CompositeType::Func(
            FuncType::default(),
        ))],
        false,
    );
    let bodies: Vec<Vec<weft_ast::Instr>> = vec![
        vec![weft_ast::Instr::I32Add, weft_ast::Instr::End],
        vec![weft_ast::Instr::LocalGet { local: 3 }, weft_ast::Instr::End],
        vec![weft_ast::Instr::Br { label: 7 }, weft_ast::Instr::End],
        vec![weft_ast::Instr::Else, weft_ast::Instr::End],
        vec![weft_ast::Instr::Nop],
        vec![weft_ast::Instr::End, weft_ast::Instr::End],
        vec![weft_ast::Instr::Call { func: 9 }, weft_ast::Instr::End],
    ];
    for body in bodies {
        let mut m = ast.clone();
        let body = m.push_expr(body);
        m.funcs.push(weft_ast::Func {
            ty: 0,
            locals: vec![],
            body,
        });
        assert!(matches!(Module::new_unchecked(m), Err(Error::Invalid(_))));
    }
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
fn exceptions_are_caught_in_wasm_and_reported_to_the_host_otherwise() {
    let mut store = Store::new();
    let tag = store.tag(FuncType {
        params: vec![ValType::I32],
        results: vec![],
    });
    let mut linker = Linker::new();
    linker.define("env", "e", Extern::Tag(tag));
    let m = module(
        r#"(module (tag $e (import "env" "e") (param i32))
             (func $thrower (param i32) (throw $e (local.get 0)))
             (func (export "catch") (param i32) (result i32)
               (block $h (result i32)
                 (try_table (catch $e $h) (call $thrower (local.get 0)))
                 (i32.const -1)))
             (func (export "escape") (call $thrower (i32.const 3))))"#,
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(
        call(&mut store, inst, "catch", &[Value::I32(41)]),
        Ok(vec![Value::I32(41)])
    );
    let err = call(&mut store, inst, "escape", &[]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::UncaughtException));
    // A tag of another type does not link.
    let other = store.tag(FuncType::default());
    linker.define("env", "e", Extern::Tag(other));
    assert!(matches!(
        linker.instantiate(&mut store, &m),
        Err(Error::IncompatibleImportType { .. })
    ));
}

#[test]
fn stores_and_modules_can_move_between_threads() {
    fn send<T: Send>() {}
    fn sync<T: Send + Sync>() {}
    send::<Store>();
    sync::<Module>();
    sync::<Linker>();
}

#[test]
fn gc_objects_reach_the_host_and_respect_the_allocation_limit() {
    let mut store = Store::with_limits(StoreLimits {
        max_gc_slots: 1000,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (type $pair (struct (field (mut i8)) (field i64)))
             (type $bytes (array (mut i8)))
             (func (export "pair") (result (ref $pair))
               (struct.new $pair (i32.const 0x1ff) (i64.const -2)))
             (func (export "first") (param (ref null $pair)) (result i32)
               (struct.get_s $pair 0 (local.get 0)))
             (func (export "bytes") (param i32) (result anyref) (array.new_default $bytes (local.get 0)))
             (func (export "i31") (param anyref) (result i32) (i31.get_u (ref.cast i31ref (local.get 0)))))"#,
    );
    let pair = call(&mut store, inst, "pair", &[]).unwrap();
    let Value::AnyRef(Some(r)) = pair[0] else {
        panic!("a struct reference, got {pair:?}")
    };
    assert!(store.is_struct(r) && !store.is_array(r));
    // The packed field was wrapped to 8 bits on the way in: 0xff reads -1.
    assert_eq!(
        call(&mut store, inst, "first", &pair),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "first", &[Value::AnyRef(None)])
            .unwrap_err()
            .to_string(),
        "null structure reference"
    );
    assert_eq!(
        call(
            &mut store,
            inst,
            "i31",
            &[Value::AnyRef(Some(weft_interp::AnyRef::i31(77)))]
        ),
        Ok(vec![Value::I32(77)])
    );
    assert_eq!(
        call(&mut store, inst, "i31", &pair)
            .unwrap_err()
            .to_string(),
        "cast failure"
    );
    assert!(call(&mut store, inst, "bytes", &[Value::I32(100)]).is_ok());
    assert_eq!(
        call(&mut store, inst, "bytes", &[Value::I32(5000)]),
        Err(Error::Trap(Trap::AllocationLimit))
    );
}

#[test]
fn legacy_exceptions_catch_rethrow_and_delegate() {
    let features = weft_ast::Features::default() | weft_ast::Features::LEGACY_EXCEPTIONS;
    let bytes = wat::parse_str(
        r#"(module
          (tag $e (param i32))
          (tag $f)
          (func $throw (param i32) (throw $e (local.get 0)))
          ;; catch with payload, catch_all, and normal completion.
          (func (export "catch") (param i32) (result i32)
            try (result i32)
              (if (i32.eqz (local.get 0)) (then (throw $f)))
              (if (i32.eq (local.get 0) (i32.const 1)) (then (call $throw (i32.const 42))))
              i32.const 7
            catch $e
              i32.const 100
              i32.add
            catch_all
              i32.const -1
            end)
          ;; rethrow from a catch body reaches the outer handler.
          (func (export "rethrow") (result i32)
            try (result i32)
              try
                (call $throw (i32.const 5))
              catch $e
                drop
                rethrow 0
              end
              i32.const 0
            catch $e
            end)
          ;; delegate skips the inner catch_all and lands in the outer one.
          (func (export "delegate") (result i32)
            try (result i32)
              try (result i32)
                try
                  (throw $f)
                delegate 1
                i32.const 0
              catch_all
                i32.const 1
              end
            catch $f
              i32.const 2
            end)
          ;; delegate to the caller.
          (func (export "escape") try (throw $f) delegate 0))"#,
    )
    .unwrap();
    let ast = weft_parser::parse_with(&bytes, features).unwrap();
    let m = Module::with_features(ast, features).unwrap();
    let mut store = Store::new();
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    assert_eq!(
        call(&mut store, inst, "catch", &[Value::I32(2)]),
        Ok(vec![Value::I32(7)])
    );
    assert_eq!(
        call(&mut store, inst, "catch", &[Value::I32(1)]),
        Ok(vec![Value::I32(142)])
    );
    assert_eq!(
        call(&mut store, inst, "catch", &[Value::I32(0)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "rethrow", &[]),
        Ok(vec![Value::I32(5)])
    );
    assert_eq!(
        call(&mut store, inst, "delegate", &[]),
        Ok(vec![Value::I32(2)])
    );
    assert_eq!(
        call(&mut store, inst, "escape", &[]),
        Err(Error::Trap(Trap::UncaughtException))
    );
}

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

/// The interpreter's handlers pass control on by tail calls (see
/// `exec/threaded.rs`): if the compiler ever made one of them a plain call,
/// each op would leave a host stack frame behind and a long run would
/// overflow the stack. The bench kernels (calls, indirect calls, loops,
/// memory, vectors), run for millions of ops on a thread with a small
/// stack, would then abort this test.
#[test]
fn long_runs_keep_the_host_stack_flat() {
    let kernels = [
        ("fib", include_str!("../../../bench/kernels/fib.wat"), 22),
        (
            "sieve",
            include_str!("../../../bench/kernels/sieve.wat"),
            100_000,
        ),
        (
            "matmul",
            include_str!("../../../bench/kernels/matmul.wat"),
            24,
        ),
        (
            "hash",
            include_str!("../../../bench/kernels/hash.wat"),
            100_000,
        ),
        (
            "sort",
            include_str!("../../../bench/kernels/sort.wat"),
            5_000,
        ),
        (
            "dispatch",
            include_str!("../../../bench/kernels/dispatch.wat"),
            100_000,
        ),
        (
            "simd",
            include_str!("../../../bench/kernels/simd.wat"),
            16_384,
        ),
    ];
    let run = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            for (name, text, size) in kernels {
                let mut store = Store::new();
                let inst = instantiate(&mut store, text);
                let results = call(&mut store, inst, "run", &[Value::I32(size)]);
                assert!(
                    matches!(results.as_deref(), Ok([Value::I64(_)])),
                    "{name}: {results:?}"
                );
            }
        })
        .expect("thread starts");
    run.join().expect("every kernel runs to its end");
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
