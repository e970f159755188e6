//! Linking and instantiation: imports by name and type, segments in order,
//! Wasm 1.0's order, invalid modules.

mod common;

use common::{memory, module};

use weft_ast::FuncType;
use weft_interp::{Error, Extern, Linker, Memory, Module, Store, Trap};

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

/// A one-page memory and a linker that offers it as `env.mem`.
fn env_memory(store: &mut Store) -> (Memory, Linker) {
    let mem = memory(store, 1);
    let mut linker = Linker::new();
    linker.define("env", "mem", Extern::Memory(mem));
    (mem, linker)
}

#[test]
fn instantiation_initializes_in_order_and_traps_out_of_bounds() {
    let mut store = Store::new();
    let (mem, linker) = env_memory(&mut store);
    // The first segment is written, the second is out of bounds: the
    // instantiation traps and the first write stays (Wasm 2.0 semantics).
    let m = module(
        r#"(module (import "env" "mem" (memory 1))
             (data (i32.const 0) "\2a")
             (data (i32.const 65535) "\01\02"))"#,
    );
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    assert!(matches!(
        err,
        Error::SegmentTrap {
            trap: Trap::OutOfBoundsMemoryAccess,
            index: 1,
            offset: 65535,
            len: 2,
            size: 65536,
        }
    ));
    assert_eq!(
        err.to_string(),
        "out of bounds memory access: data segment 1 (2 bytes at 65535) does not fit \
         its memory of 65536 bytes"
    );
    assert_eq!(store.memory_data(mem).unwrap()[0], 42);
    let m = module(r#"(module (table 1 funcref) (func) (elem (i32.const 1) 0 0))"#);
    assert_eq!(
        linker.instantiate(&mut store, &m).unwrap_err().to_string(),
        "out of bounds table access: element segment 0 (2 elements at 1) does not fit \
         its table of 1 elements"
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
    let (mem, linker) = env_memory(&mut store);
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
