//! Startup, from the bytes to a ready instance: weft's interpreter against
//! wasmi 2 in its eager mode (`CompilationMode::Eager`: every body
//! translated before `Module::new` returns) and its default lazy mode
//! (validated eagerly, each body translated on its first call), on the
//! `startup/` modules of `shared/bench-wasm` (`WEFT_BENCH_WASM`) and any
//! files given. weft three ways:
//!
//! - `run`: as `weft run` builds it: decode (`weft_parser`), validate,
//!   translate every body, instantiate;
//! - `fused`: decoded and validated in one pass
//!   (`weft_validator::validate_bytes`), then every body translated
//!   (`Module::new_unchecked`) and instantiated;
//! - `lazy`: the one pass, then `Module::lazy_unchecked`: each body
//!   translated at its first call (validation stays whole and up front).
//!
//! Every import is a function (WASI, `bench.start`/`end`, the contracts'
//! host calls); each engine gets stubs returning zeros, defined before the
//! clock starts. The engines take turns round by round, so a noisy
//! neighbour on the shared machine hits them alike; the table shows each
//! one's median time, the ratios of weft's times to wasmi's, and the
//! phases of the `run` way (medians of their own).
//!
//! `cargo run --profile bench --example startup [-- ROUNDS [FILE...]]`
//! `target/release/examples/startup once run|fused|lazy|eager|wasmi-lazy FILE [N]`
//! starts one engine N times (default 1), for a profiler.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../programs/mod.rs"]
#[allow(dead_code)] // the folder only
mod programs;

/// weft's phases, each timed: decode, validate, translate, instantiate.
const PHASES: [&str; 4] = ["decode", "validate", "translate", "instantiate"];

/// How weft starts a module (see the file's comment).
#[derive(Clone, Copy, PartialEq)]
enum Way {
    Run,
    Fused,
    Lazy,
}

/// One weft startup: the time of each phase (for `Fused` and `Lazy`,
/// decoding and validation are one phase, reported as decoding, and
/// translation is the module's set-up).
fn weft(bytes: &[u8], way: Way) -> [Duration; 4] {
    let features = weft_ast::Features::default();
    let mut store = weft_interp::Store::new();
    let mut linker = weft_interp::Linker::new();
    // The imports, stubbed before the clock starts (a pass of the decoder
    // over the import section only would do; decoding twice is simpler
    // and outside the measurement).
    let ast = weft_parser::parse_with(bytes, features).expect("weft decodes the module");
    for import in &ast.imports {
        if let weft_ast::ImportDesc::Func(ty) = import.desc {
            let ft = func_type(&ast, ty);
            let results: Vec<weft_interp::Value> = ft.results.iter().map(|&t| zero(t)).collect();
            let f = store.func(ft, move |_, _, out| {
                out.copy_from_slice(&results);
                Ok(())
            });
            linker.define(&import.module, &import.name, weft_interp::Extern::Func(f));
        }
    }
    drop(ast);
    let t0 = Instant::now();
    let (t1, t2, module) = if way == Way::Run {
        let ast = weft_parser::parse_with(bytes, features).expect("weft decodes the module");
        let t1 = Instant::now();
        weft_validator::validate(&ast, features).expect("weft validates the module");
        let t2 = Instant::now();
        let m = weft_interp::Module::new_unchecked(ast).expect("weft translates the module");
        (t1, t2, m)
    } else {
        let (ast, _) =
            weft_validator::validate_bytes(bytes, features).expect("weft validates the module");
        let t1 = Instant::now();
        let m = if way == Way::Lazy {
            weft_interp::Module::lazy_unchecked(ast)
        } else {
            weft_interp::Module::new_unchecked(ast).expect("weft translates the module")
        };
        (t1, t1, m)
    };
    let t3 = Instant::now();
    let instance = linker.instantiate(&mut store, &module);
    let t4 = Instant::now();
    instance.expect("weft instantiates the module");
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
}

/// The function type at type index `ty`.
fn func_type(ast: &weft_ast::Module, ty: weft_ast::TypeIdx) -> weft_ast::FuncType {
    match &ast.types[ty as usize].composite {
        weft_ast::CompositeType::Func(f) => f.clone(),
        other => panic!("an import of type {other:?}"),
    }
}

/// The zero of a number type (the stubs' results).
fn zero(t: weft_ast::ValType) -> weft_interp::Value {
    match t {
        weft_ast::ValType::I32 => weft_interp::Value::I32(0),
        weft_ast::ValType::I64 => weft_interp::Value::I64(0),
        weft_ast::ValType::F32 => weft_interp::Value::from(0f32),
        weft_ast::ValType::F64 => weft_interp::Value::from(0f64),
        other => panic!("a stub returning {other:?}"),
    }
}

/// One wasmi startup in `mode`.
fn wasmi(engine: &wasmi::Engine, bytes: &[u8]) -> Duration {
    let stubs = wasmi::Module::new(engine, bytes).expect("wasmi accepts the module");
    let mut linker = wasmi::Linker::<()>::new(engine);
    for import in stubs.imports() {
        if let wasmi::ExternType::Func(ty) = import.ty() {
            linker
                .func_new(import.module(), import.name(), ty.clone(), |_, _, out| {
                    for v in out.iter_mut() {
                        *v = wasmi::Val::default_for_ty(v.ty());
                    }
                    Ok(())
                })
                .expect("one definition per import");
        }
    }
    drop(stubs);
    let mut store = wasmi::Store::new(engine, ());
    let t = Instant::now();
    let module = wasmi::Module::new(engine, bytes).expect("wasmi accepts the module");
    let instance = linker.instantiate_and_start(&mut store, &module);
    let took = t.elapsed();
    instance.expect("wasmi instantiates the module");
    took
}

fn wasmi_engine(mode: wasmi::CompilationMode) -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config.compilation_mode(mode);
    wasmi::Engine::new(&config)
}

fn median(v: &mut [Duration]) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64()
}

fn once(engine: &str, path: &Path, n: usize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut times = Vec::new();
    for _ in 0..n {
        times.push(match engine {
            "run" => weft(&bytes, Way::Run).iter().sum(),
            "fused" => weft(&bytes, Way::Fused).iter().sum(),
            "lazy" => weft(&bytes, Way::Lazy).iter().sum(),
            "eager" => wasmi(&wasmi_engine(wasmi::CompilationMode::Eager), &bytes),
            "wasmi-lazy" => wasmi(
                &wasmi_engine(wasmi::CompilationMode::LazyTranslation),
                &bytes,
            ),
            other => panic!("unknown engine {other} (run, fused, lazy, eager, wasmi-lazy)"),
        });
    }
    println!(
        "{engine}: {} median {:.2} ms over {n}",
        path.display(),
        median(&mut times) * 1e3
    );
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("once") {
        let engine = args.nth(1).expect("once ENGINE FILE [N]");
        let file = args.next().expect("once ENGINE FILE [N]");
        let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
        return once(&engine, Path::new(&file), n);
    }
    let rounds: usize = args
        .next_if(|a| a.parse::<usize>().is_ok())
        .and_then(|a| a.parse().ok())
        .unwrap_or(11);
    let mut files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if files.is_empty() {
        let Some(dir) = programs::folder() else {
            return;
        };
        for name in ["spidermonkey", "pulldown-cmark", "bz2", "erc20", "coremark"] {
            files.push(dir.join("startup").join(format!("{name}.wasm")));
        }
    }
    let eager = wasmi_engine(wasmi::CompilationMode::Eager);
    let lazy = wasmi_engine(wasmi::CompilationMode::LazyTranslation);
    println!(
        "{:<19} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7}   run's phases (ms): {}",
        "module",
        "KB",
        "run ms",
        "fused",
        "lazy",
        "w-eager",
        "w-lazy",
        "run/we",
        "fus/we",
        "lazy/we",
        "lazy/wl",
        PHASES.join(", ")
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut run = Vec::new();
        let mut fused = Vec::new();
        let mut lazy_w = Vec::new();
        let mut phases: [Vec<Duration>; 4] = Default::default();
        let mut e = Vec::new();
        let mut l = Vec::new();
        for _ in 0..rounds {
            let p = weft(&bytes, Way::Run);
            run.push(p.iter().sum());
            for (v, t) in phases.iter_mut().zip(p) {
                v.push(t);
            }
            fused.push(weft(&bytes, Way::Fused).iter().sum());
            lazy_w.push(weft(&bytes, Way::Lazy).iter().sum());
            e.push(wasmi(&eager, &bytes));
            l.push(wasmi(&lazy, &bytes));
        }
        let (r, f, wl) = (median(&mut run), median(&mut fused), median(&mut lazy_w));
        let (e, l) = (median(&mut e), median(&mut l));
        let phases: Vec<String> = phases
            .iter_mut()
            .map(|v| format!("{:.2}", median(v) * 1e3))
            .collect();
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        println!(
            "{:<19} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2}   {}",
            name,
            bytes.len() / 1000,
            r * 1e3,
            f * 1e3,
            wl * 1e3,
            e * 1e3,
            l * 1e3,
            r / e,
            f / e,
            wl / e,
            wl / l,
            phases.join(", ")
        );
    }
}
