//! `Trap::Exit`: a host function that ends the program (WASI's
//! `proc_exit`) unwinds every WebAssembly frame with its code, cannot be
//! caught by `try_table`, and leaves the store usable.

use weft_ast::{FuncType, ValType};
use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};

fn module(text: &str) -> Module {
    Module::new(weft_wat::parse_module(text).expect("test module parses")).expect("valid")
}

#[test]
fn exit_unwinds_nested_frames_with_its_code() {
    let mut store = Store::new();
    let exit = store.func(
        FuncType {
            params: vec![ValType::I32],
            results: vec![],
        },
        |_caller, args, _results| match args[0] {
            Value::I32(code) => Err(Trap::Exit(code)),
            _ => Err(Trap::Host("i32 expected".into())),
        },
    );
    let mut linker = Linker::new();
    linker.define("env", "exit", Extern::Func(exit));
    let inst = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module
                  (import "env" "exit" (func $exit (param i32)))
                  (tag $t)
                  (global $after (mut i32) (i32.const 0))
                  (func $deep (param i32)
                    (if (local.get 0)
                      (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
                      (else (call $exit (i32.const 7))))
                    (global.set $after (i32.const 1)))
                  ;; A catch-all handler around the exit does not stop it.
                  (func (export "run") (result i32)
                    (block $caught
                      (try_table (catch_all $caught)
                        (call $deep (i32.const 50))))
                    (global.set $after (i32.const 2))
                    (i32.const 0))
                  (func (export "after") (result i32) (global.get $after))
                  (func (export "ok") (result i32) (i32.const 5)))"#,
            ),
        )
        .expect("instantiates");
    let run = store.export_func(inst, "run").expect("run");
    let err = store.call(run, &[]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::Exit(7)));
    assert_eq!(err.to_string(), "program exited with code 7");
    // No code after the exit ran, in any frame.
    let after = store.export_func(inst, "after").expect("after");
    assert_eq!(store.call(after, &[]), Ok(vec![Value::I32(0)]));
    // The store stays usable.
    let ok = store.export_func(inst, "ok").expect("ok");
    assert_eq!(store.call(ok, &[]), Ok(vec![Value::I32(5)]));
}

#[test]
fn exit_from_a_start_function_fails_instantiation_with_its_code() {
    let mut store = Store::new();
    let exit = store.func(FuncType::default(), |_caller, _args, _results| {
        Err(Trap::Exit(-1))
    });
    let mut linker = Linker::new();
    linker.define("env", "exit", Extern::Func(exit));
    let err = linker
        .instantiate(
            &mut store,
            &module(r#"(module (import "env" "exit" (func $exit)) (start $exit))"#),
        )
        .unwrap_err();
    assert_eq!(err, Error::Trap(Trap::Exit(-1)));
    assert_eq!(Trap::Exit(-1).message(), "program exited");
}
