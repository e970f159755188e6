//! Exceptions: caught in WebAssembly, reported to the host otherwise; the
//! legacy instructions.

mod common;

use common::{call, module};

use weft_ast::{FuncType, ValType};
use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};

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
