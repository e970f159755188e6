//! Lazy translation (`Module::with_lazy_translation`): validation stays
//! whole and up front, each body is translated at its first call, and
//! every way into a function (the host, direct, indirect and reference
//! calls, tail calls, another instance, a host function re-entering)
//! computes what the eagerly translated module computes, with the same
//! traps and the same fuel.

mod common;

use weft_ast::{Features, FuncType, ValType};
use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};

/// The same module from text, translated up front and lazily.
fn both(text: &str) -> (Module, Module) {
    let ast = weft_wat::parse_module(text).expect("test module parses");
    let eager = Module::with_features(ast.clone(), Features::default()).expect("valid");
    let lazy = Module::with_lazy_translation(ast, Features::default()).expect("valid");
    (eager, lazy)
}

/// Calls export `name` of a fresh instance of `m` (no imports).
fn run(m: &Module, name: &str, args: &[Value]) -> Result<Vec<Value>, Error> {
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, m)
        .expect("instantiates");
    common::call(&mut store, inst, name, args)
}

const CALLS: &str = r#"
(module
  (type $i2i (func (param i32) (result i32)))
  (table $t 3 funcref)
  (elem (table $t) (i32.const 0) func $double $fib $count)
  (elem declare func $double)
  (func $double (type $i2i) (i32.mul (local.get 0) (i32.const 2)))
  (func $fib (export "fib") (type $i2i)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $count (type $i2i)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect $t (type $i2i) (local.get 0) (local.get 1)))
  (func (export "tail_indirect") (param i32 i32) (result i32)
    (return_call_indirect $t (type $i2i) (local.get 0) (local.get 1)))
  (func (export "by_ref") (param i32) (result i32)
    (call_ref $i2i (local.get 0) (ref.func $double)))
  (func (export "tail_by_ref") (param i32) (result i32)
    (return_call_ref $i2i (local.get 0) (ref.func $double)))
  (func (export "count") (param i32) (result i32) (call $count (local.get 0)))
  (func (export "never") (result i32) (i32.const 7)))
"#;

#[test]
fn an_invalid_module_is_rejected_at_load_with_the_same_error() {
    let ast = weft_wat::parse_module(
        r#"(module (func (result i32) (i32.const 1)) (func (result i32) (i64.const 1)))"#,
    )
    .expect("parses");
    let eager = Module::with_features(ast.clone(), Features::default()).err();
    let lazy = Module::with_lazy_translation(ast, Features::default()).err();
    assert!(matches!(eager, Some(Error::Validation(_))), "{eager:?}");
    assert_eq!(
        lazy.map(|e| e.to_string()),
        eager.map(|e| e.to_string()),
        "the lazy module validates in full"
    );
}

#[test]
fn only_called_functions_are_translated() {
    let (eager, lazy) = both(CALLS);
    assert_eq!(eager.translated_functions(), 9);
    assert_eq!(lazy.translated_functions(), 0);
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &lazy)
        .expect("instantiates");
    assert_eq!(
        lazy.translated_functions(),
        0,
        "instantiation translates nothing"
    );
    let fib = common::call(&mut store, inst, "fib", &[Value::I32(10)]).expect("runs");
    assert_eq!(fib, [Value::I32(55)]);
    assert_eq!(lazy.translated_functions(), 1, "fib alone");
    let r = common::call(
        &mut store,
        inst,
        "indirect",
        &[Value::I32(21), Value::I32(0)],
    );
    assert_eq!(r.expect("runs"), [Value::I32(42)]);
    assert_eq!(lazy.translated_functions(), 3, "and indirect, double");
    // A second instance shares the translations made so far.
    let other = Linker::new()
        .instantiate(&mut store, &lazy)
        .expect("instantiates");
    let fib = common::call(&mut store, other, "fib", &[Value::I32(12)]).expect("runs");
    assert_eq!(fib, [Value::I32(144)]);
    assert_eq!(lazy.translated_functions(), 3);
}

#[test]
fn every_kind_of_call_computes_what_the_eager_module_does() {
    let (eager, lazy) = both(CALLS);
    let cases: &[(&str, &[Value])] = &[
        ("fib", &[Value::I32(15)]),
        ("indirect", &[Value::I32(5), Value::I32(0)]),
        ("indirect", &[Value::I32(9), Value::I32(1)]),
        ("indirect", &[Value::I32(3), Value::I32(2)]),
        ("indirect", &[Value::I32(3), Value::I32(3)]),
        ("tail_indirect", &[Value::I32(20), Value::I32(1)]),
        ("tail_indirect", &[Value::I32(4), Value::I32(0)]),
        ("by_ref", &[Value::I32(8)]),
        ("tail_by_ref", &[Value::I32(-8)]),
        ("count", &[Value::I32(100_000)]),
        ("never", &[]),
    ];
    for (name, args) in cases {
        // Each case in a fresh instance: its first calls are the lazy ones.
        let want = run(&eager, name, args).map_err(|e| e.to_string());
        let got = run(&lazy, name, args).map_err(|e| e.to_string());
        assert_eq!(got, want, "{name}{args:?}");
    }
    assert!(run(&lazy, "indirect", &[Value::I32(3), Value::I32(3)]).is_err());
}

/// Fuel left after the same calls on a fresh instance of `m`.
fn fuel_left(m: &Module) -> Option<u64> {
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, m)
        .expect("instantiates");
    store.set_fuel(Some(1_000_000));
    common::call(&mut store, inst, "fib", &[Value::I32(12)]).expect("runs");
    common::call(
        &mut store,
        inst,
        "tail_indirect",
        &[Value::I32(3), Value::I32(2)],
    )
    .expect("runs");
    common::call(&mut store, inst, "by_ref", &[Value::I32(3)]).expect("runs");
    store.fuel()
}

#[test]
fn fuel_and_depth_limits_count_alike() {
    let (eager, lazy) = both(CALLS);
    let left = fuel_left(&eager);
    assert!(left.is_some_and(|f| f < 1_000_000), "{left:?}");
    assert_eq!(fuel_left(&lazy), left);
    // Unbounded recursion ends in the same trap.
    let deep = r#"(module (func $f (export "f") (param i32) (result i32)
        (i32.add (call $f (local.get 0)) (i32.const 1))))"#;
    let (eager, lazy) = both(deep);
    for m in [&eager, &lazy] {
        let err = run(m, "f", &[Value::I32(0)]).expect_err("recursion never ends");
        assert!(
            matches!(err, Error::Trap(Trap::CallStackExhausted)),
            "{err}"
        );
    }
}

#[test]
fn another_instance_and_the_host_enter_lazy_functions() {
    let (_, lazy) = both(
        r#"(module
          (import "host" "back" (func $back (param i32) (result i32)))
          (func $sq (export "sq") (param i32) (result i32)
            (i32.mul (local.get 0) (local.get 0)))
          (func (export "via_host") (param i32) (result i32)
            (call $back (local.get 0))))"#,
    );
    let mut store = Store::new();
    let mut linker = Linker::new();
    // The host function calls back into the lazy module's `sq`, which no
    // one has called yet.
    let back = store.func(
        FuncType {
            params: vec![ValType::I32],
            results: vec![ValType::I32],
        },
        |caller, args, results| {
            let Some(Extern::Func(sq)) = caller.instance.and_then(|i| caller.store.export(i, "sq"))
            else {
                return Err(Trap::Host("sq is not exported".into()));
            };
            let r = caller
                .store
                .call(sq, args)
                .map_err(|e| Trap::Host(e.to_string().into()))?;
            results[0] = r[0];
            Ok(())
        },
    );
    linker.define("host", "back", Extern::Func(back));
    let a = linker.instantiate(&mut store, &lazy).expect("instantiates");
    let r = common::call(&mut store, a, "via_host", &[Value::I32(9)]).expect("runs");
    assert_eq!(r, [Value::I32(81)]);
    // A second module imports `sq` from a fresh instance, and calls it
    // before its own instance ever did.
    let (_, lazy) = both(
        r#"(module (func $sq (export "sq") (param i32) (result i32)
             (i32.mul (local.get 0) (local.get 0))))"#,
    );
    let a = linker.instantiate(&mut store, &lazy).expect("instantiates");
    linker.define_instance(&store, "a", a);
    let b = common::module(
        r#"(module (import "a" "sq" (func $sq (param i32) (result i32)))
             (func (export "twice") (param i32) (result i32)
               (call $sq (call $sq (local.get 0)))))"#,
    );
    let b = linker.instantiate(&mut store, &b).expect("instantiates");
    let r = common::call(&mut store, b, "twice", &[Value::I32(3)]).expect("runs");
    assert_eq!(r, [Value::I32(81)]);
    assert_eq!(lazy.translated_functions(), 1);
    let r = common::call(&mut store, a, "sq", &[Value::I32(5)]).expect("runs");
    assert_eq!(r, [Value::I32(25)]);
}

#[test]
fn a_module_decoded_and_validated_in_one_pass_translates_lazily() {
    let ast = weft_wat::parse_module(CALLS).expect("test module parses");
    let bytes = weft_ast::encode::encode(&ast);
    let (ast, _) = weft_validator::validate_bytes(&bytes, Features::default()).expect("valid");
    let lazy = Module::lazy_unchecked(ast);
    assert_eq!(lazy.translated_functions(), 0);
    let r = run(&lazy, "tail_indirect", &[Value::I32(10), Value::I32(1)]);
    assert_eq!(r.expect("runs"), [Value::I32(55)]);
    assert_eq!(lazy.translated_functions(), 2, "tail_indirect and fib");
}
