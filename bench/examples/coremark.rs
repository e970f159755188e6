//! CoreMark (`shared/bench-wasm/startup/coremark.wasm`) on every engine:
//! the module imports `env.clock_ms: [] -> [i32]` (milliseconds; the
//! folder's README says i64, the binary says i32: here, milliseconds since
//! this program started, so that they fit) and its export
//! `run: [] -> [f32]` returns the score
//! (higher is better) after about ten seconds at any speed. Prints each
//! engine's score and weft's JIT's as a share of Cranelift's and Winch's.
//!
//! `cargo run --profile bench --example coremark [-- ENGINES]` where
//! ENGINES is a comma-separated subset of `jit,interp,wasmi,cranelift,winch`
//! (default all; `WEFT_BENCH_WASM` names the folder).

use std::sync::OnceLock;
use std::time::Instant;

#[path = "../programs/mod.rs"]
#[allow(dead_code)] // the folder and the wasmtime engines only
mod programs;

/// Milliseconds since the first call.
fn now_ms() -> i32 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as i32
}

fn weft(bytes: &[u8], engine: weft_interp::Engine) -> f32 {
    use weft_interp::{Extern, Linker, Module, Store, Value};
    let ast = weft_parser::parse(bytes).expect("weft-parser reads coremark");
    let module = Module::with_engine(ast, weft_ast::Features::default(), engine)
        .expect("weft accepts coremark");
    let mut store = Store::new();
    let ty = weft_ast::FuncType {
        params: vec![],
        results: vec![weft_ast::ValType::I32],
    };
    let clock = store.func(ty, |_, _, out| {
        out[0] = Value::I32(now_ms());
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "clock_ms", Extern::Func(clock));
    let inst = linker
        .instantiate(&mut store, &module)
        .expect("weft instantiates coremark");
    let run = store
        .export_func(inst, "run")
        .expect("coremark exports run");
    match store.call(run, &[]).expect("coremark runs").as_slice() {
        [Value::F32(score)] => score.value(),
        other => panic!("weft: run returned {other:?}"),
    }
}

fn wasmi(bytes: &[u8]) -> f32 {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, bytes).expect("wasmi accepts coremark");
    let mut store = wasmi::Store::new(&engine, ());
    let mut linker = wasmi::Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "clock_ms", now_ms)
        .expect("defines clock_ms");
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi instantiates coremark");
    let run = instance
        .get_typed_func::<(), f32>(&store, "run")
        .expect("coremark exports run");
    run.call(&mut store, ()).expect("coremark runs")
}

fn wasmtime(bytes: &[u8], winch: bool) -> f32 {
    let engine = programs::wasmtime_engine(winch);
    let module = wasmtime::Module::new(&engine, bytes).expect("wasmtime accepts coremark");
    let mut store = wasmtime::Store::new(&engine, ());
    let mut linker = wasmtime::Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "clock_ms", now_ms)
        .expect("defines clock_ms");
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("wasmtime instantiates coremark");
    let run = instance
        .get_typed_func::<(), f32>(&mut store, "run")
        .expect("coremark exports run");
    run.call(&mut store, ()).expect("coremark runs")
}

fn main() {
    let Some(dir) = programs::folder() else {
        return;
    };
    let path = dir.join("startup").join("coremark.wasm");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let wanted = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "jit,interp,wasmi,cranelift,winch".into());
    let mut scores = Vec::new();
    for name in wanted.split(',') {
        let score = match name {
            "jit" => weft(&bytes, weft_interp::Engine::Jit),
            "interp" => weft(&bytes, weft_interp::Engine::Interp),
            "wasmi" => wasmi(&bytes),
            "cranelift" => wasmtime(&bytes, false),
            "winch" => wasmtime(&bytes, true),
            other => panic!("unknown engine {other} (jit, interp, wasmi, cranelift, winch)"),
        };
        println!("{name:<10} {score:>10.1}");
        scores.push((name, score));
    }
    let of = |n: &str| scores.iter().find(|(m, _)| *m == n).map(|(_, s)| *s);
    if let Some(jit) = of("jit") {
        for peer in ["cranelift", "winch", "wasmi", "interp"] {
            if let Some(s) = of(peer) {
                println!("jit / {peer}: {:.1}%", 100.0 * jit / s);
            }
        }
    }
}
