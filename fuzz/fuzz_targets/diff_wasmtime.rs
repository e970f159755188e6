//! weft-interp against wasmtime on weft-smith modules, compiled by
//! Cranelift or by Winch (the first input byte picks): see
//! `common/diff.rs` for what is generated and compared. The features are
//! those each compiler implements, deterministic ones only (no relaxed
//! SIMD, no threads).

#![no_main]

#[path = "common/diff.rs"]
mod diff;

use std::sync::OnceLock;

use diff::{Case, Outcome, Run, Val};
use libfuzzer_sys::fuzz_target;
use weft_ast::Features;

/// What Cranelift compiles, less relaxed SIMD and threads.
const CRANELIFT: Features = Features::WASM2
    .with(Features::TAIL_CALL)
    .with(Features::EXTENDED_CONST)
    .with(Features::MULTI_MEMORY)
    .with(Features::MEMORY64)
    .with(Features::WIDE_ARITHMETIC)
    .with(Features::FUNCTION_REFERENCES);

/// What Winch compiles.
const WINCH: Features = Features::WASM2
    .without(Features::SIMD)
    .with(Features::EXTENDED_CONST)
    .with(Features::MULTI_MEMORY)
    .with(Features::MEMORY64);

/// wasmtime's refusal of a module with `externref` (or another type that
/// needs its GC runtime) under Winch.
const WINCH_NO_GC: &str = "gc types are disallowed";

fn to_wasmtime(v: Val, t: &wasmtime::ValType) -> Option<wasmtime::Val> {
    Some(match v {
        Val::I32(x) => wasmtime::Val::I32(x as i32),
        Val::I64(x) => wasmtime::Val::I64(x as i64),
        Val::F32(x) => wasmtime::Val::F32(x),
        Val::F64(x) => wasmtime::Val::F64(x),
        Val::V128(x) => wasmtime::Val::V128(x.into()),
        Val::Ref(_) => wasmtime::Val::null_ref(t.as_ref()?.heap_type()),
    })
}

fn from_wasmtime(v: &wasmtime::Val) -> Val {
    match v {
        wasmtime::Val::I32(x) => Val::I32(*x as u32),
        wasmtime::Val::I64(x) => Val::I64(*x as u64),
        wasmtime::Val::F32(x) => Val::F32(*x),
        wasmtime::Val::F64(x) => Val::F64(*x),
        wasmtime::Val::V128(x) => Val::V128(x.as_u128()),
        wasmtime::Val::FuncRef(f) => Val::Ref(f.is_some()),
        wasmtime::Val::ExternRef(r) => Val::Ref(r.is_some()),
        wasmtime::Val::AnyRef(r) => Val::Ref(r.is_some()),
        wasmtime::Val::ExnRef(r) => Val::Ref(r.is_some()),
        #[allow(unreachable_patterns)]
        _ => Val::Ref(true),
    }
}

/// Whether an error ends the comparison (a limit, not a result).
fn resource_limit(e: &wasmtime::Error) -> bool {
    matches!(
        e.downcast_ref::<wasmtime::Trap>(),
        Some(
            wasmtime::Trap::StackOverflow
                | wasmtime::Trap::OutOfFuel
                | wasmtime::Trap::AllocationTooLarge
        )
    ) || e.downcast_ref::<wasmtime::Trap>().is_none()
}

/// The engine of a compiler, built once with every feature of its set
/// (a module using fewer runs the same): engines are costly to create.
fn engine(winch: bool) -> &'static wasmtime::Engine {
    static CRANELIFT_ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    static WINCH_ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    let (cell, f) = if winch {
        (&WINCH_ENGINE, WINCH)
    } else {
        (&CRANELIFT_ENGINE, CRANELIFT)
    };
    cell.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config
            .strategy(if winch {
                wasmtime::Strategy::Winch
            } else {
                wasmtime::Strategy::Cranelift
            })
            .wasm_multi_value(f.contains(Features::MULTI_VALUE))
            .wasm_bulk_memory(f.contains(Features::BULK_MEMORY))
            .wasm_reference_types(f.contains(Features::REFERENCE_TYPES))
            .wasm_simd(f.contains(Features::SIMD))
            .wasm_relaxed_simd(false)
            .wasm_tail_call(f.contains(Features::TAIL_CALL))
            .wasm_extended_const(f.contains(Features::EXTENDED_CONST))
            .wasm_multi_memory(f.contains(Features::MULTI_MEMORY))
            .wasm_memory64(f.contains(Features::MEMORY64))
            .wasm_wide_arithmetic(f.contains(Features::WIDE_ARITHMETIC))
            .wasm_function_references(f.contains(Features::FUNCTION_REFERENCES))
            .consume_fuel(true);
        wasmtime::Engine::new(&config).expect("a valid wasmtime configuration")
    })
}

fn run_wasmtime(case: &Case, winch: bool) -> Result<Run, String> {
    let engine = engine(winch);
    let module = wasmtime::Module::new(engine, &case.wasm).map_err(|e| format!("{e:?}"))?;
    let limits = wasmtime::StoreLimitsBuilder::new()
        .memory_size(diff::MAX_MEMORY_BYTES)
        .table_elements(diff::MAX_TABLE_ELEMENTS)
        .build();
    let mut store = wasmtime::Store::new(engine, limits);
    store.limiter(|limits| limits);
    store.set_fuel(u64::MAX).map_err(|e| e.to_string())?;
    let mut run = Run::default();
    let instance = match wasmtime::Instance::new(&mut store, &module, &[]) {
        Ok(i) => i,
        Err(e) if e.downcast_ref::<wasmtime::Trap>().is_some() => {
            run.calls
                .push(("<instantiate>".into(), Outcome::Trap(e.to_string())));
            return Ok(run);
        }
        Err(e) => return Err(format!("{e:?}")),
    };
    for (name, args, _) in &case.calls {
        let func = instance
            .get_func(&mut store, name)
            .ok_or_else(|| format!("no export {name}"))?;
        let ty = func.ty(&store);
        let params: Option<Vec<wasmtime::Val>> = args
            .iter()
            .zip(ty.params())
            .map(|(&v, t)| to_wasmtime(v, &t))
            .collect();
        let params = params.ok_or("unsupported parameter")?;
        let mut results: Vec<wasmtime::Val> = ty
            .results()
            .map(|t| wasmtime::Val::default_for_ty(&t).unwrap_or(wasmtime::Val::I32(0)))
            .collect();
        store.set_fuel(u64::MAX).map_err(|e| e.to_string())?;
        let out = match func.call(&mut store, &params, &mut results) {
            Ok(()) => Outcome::Values(results.iter().map(from_wasmtime).collect()),
            Err(e) if resource_limit(&e) => {
                run.stopped = true;
                return Ok(run);
            }
            Err(e) => Outcome::Trap(e.to_string()),
        };
        run.calls.push((name.clone(), out));
    }
    for name in &case.globals {
        if let Some(g) = instance.get_global(&mut store, name) {
            let v = g.get(&mut store);
            run.globals.push((name.clone(), from_wasmtime(&v)));
        }
    }
    for name in &case.memories {
        if let Some(m) = instance.get_memory(&mut store, name) {
            let data = m.data(&store);
            run.memories
                .push((name.clone(), data.len(), diff::hash_bytes(data)));
        }
    }
    Ok(run)
}

fuzz_target!(|data: &[u8]| {
    let Some((&knob, data)) = data.split_first() else {
        return;
    };
    let winch = knob & 1 == 1;
    let Some(case) = diff::case(data, if winch { WINCH } else { CRANELIFT }) else {
        return;
    };
    let weft = match diff::run_weft(&case) {
        Ok(r) => r,
        Err(e) => panic!("weft refuses a weft-smith module: {e}"),
    };
    if weft.inconclusive() {
        return;
    }
    let target = if winch {
        "diff_wasmtime (winch)"
    } else {
        "diff_wasmtime (cranelift)"
    };
    let other = match run_wasmtime(&case, winch) {
        Ok(r) => r,
        // Winch has no GC support, and wasmtime needs it for `externref`
        // (a Wasm 2.0 type): such modules are out of Winch's reach.
        Err(e) if winch && e.contains(WINCH_NO_GC) => return,
        Err(e) => diff::report(
            "diff_wasmtime",
            &case,
            &weft,
            &Run::default(),
            &format!("{target} refuses the module: {e}"),
        ),
    };
    if let Err(what) = diff::compare(&weft, &other) {
        diff::report(
            "diff_wasmtime",
            &case,
            &weft,
            &other,
            &format!("{target}: {what}"),
        );
    }
});
