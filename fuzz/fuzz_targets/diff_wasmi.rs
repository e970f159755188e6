//! weft-interp against wasmi 2 on weft-smith modules: see
//! `common/diff.rs` for what is generated and compared. The features are
//! those both engines implement, deterministic ones only (no relaxed SIMD,
//! no threads).

#![no_main]

#[path = "common/diff.rs"]
mod diff;

use diff::{Case, Outcome, Run, Val};
use libfuzzer_sys::fuzz_target;
use weft_ast::Features;

/// What wasmi 2 implements, less relaxed SIMD.
const FEATURES: Features = Features::WASM2
    .with(Features::TAIL_CALL)
    .with(Features::EXTENDED_CONST)
    .with(Features::MULTI_MEMORY)
    .with(Features::MEMORY64)
    .with(Features::WIDE_ARITHMETIC)
    .with(Features::CUSTOM_PAGE_SIZES);

fn to_wasmi(v: Val, t: wasmi::ValType) -> wasmi::Val {
    match v {
        Val::I32(x) => wasmi::Val::I32(x as i32),
        Val::I64(x) => wasmi::Val::I64(x as i64),
        Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
        Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
        Val::V128(x) => wasmi::Val::V128(x.into()),
        Val::Ref(_) => wasmi::Val::default_for_ty(t),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Val {
    match v {
        wasmi::Val::I32(x) => Val::I32(*x as u32),
        wasmi::Val::I64(x) => Val::I64(*x as u64),
        wasmi::Val::F32(x) => Val::F32(x.to_bits()),
        wasmi::Val::F64(x) => Val::F64(x.to_bits()),
        wasmi::Val::V128(x) => Val::V128(x.as_u128()),
        wasmi::Val::FuncRef(f) => Val::Ref(!f.is_null()),
        wasmi::Val::ExternRef(r) => Val::Ref(!r.is_null()),
    }
}

fn run_wasmi(case: &Case) -> Result<Run, String> {
    let f = case.features;
    let mut config = wasmi::Config::default();
    config
        .wasm_mutable_global(f.contains(Features::MUTABLE_GLOBAL))
        .wasm_sign_extension(f.contains(Features::SIGN_EXTENSION))
        .wasm_saturating_float_to_int(f.contains(Features::SATURATING_FLOAT_TO_INT))
        .wasm_multi_value(f.contains(Features::MULTI_VALUE))
        .wasm_multi_memory(f.contains(Features::MULTI_MEMORY))
        .wasm_bulk_memory(f.contains(Features::BULK_MEMORY))
        .wasm_reference_types(f.contains(Features::REFERENCE_TYPES))
        .wasm_tail_call(f.contains(Features::TAIL_CALL))
        .wasm_extended_const(f.contains(Features::EXTENDED_CONST))
        .wasm_custom_page_sizes(f.contains(Features::CUSTOM_PAGE_SIZES))
        .wasm_memory64(f.contains(Features::MEMORY64))
        .wasm_wide_arithmetic(f.contains(Features::WIDE_ARITHMETIC))
        .wasm_simd(f.contains(Features::SIMD))
        .wasm_relaxed_simd(false)
        .consume_fuel(true);
    let engine = wasmi::Engine::new(&config);
    let module = wasmi::Module::new(&engine, &case.wasm[..]).map_err(|e| e.to_string())?;
    let limits = wasmi::StoreLimitsBuilder::new()
        .memory_size(diff::MAX_MEMORY_BYTES)
        .table_elements(diff::MAX_TABLE_ELEMENTS)
        .build();
    let mut store = wasmi::Store::new(&engine, limits);
    store.limiter(|limits| limits);
    store.set_fuel(u64::MAX).map_err(|e| e.to_string())?;
    let linker = wasmi::Linker::<wasmi::StoreLimits>::new(&engine);
    let mut run = Run::default();
    let instance = match linker.instantiate_and_start(&mut store, &module) {
        Ok(i) => i,
        Err(e) if e.as_trap_code().is_some() => {
            run.calls
                .push(("<instantiate>".into(), Outcome::Trap(e.to_string())));
            return Ok(run);
        }
        Err(e) => return Err(e.to_string()),
    };
    for (name, args, _) in &case.calls {
        let func = instance
            .get_func(&store, name)
            .ok_or_else(|| format!("no export {name}"))?;
        let ty = func.ty(&store);
        let params: Vec<wasmi::Val> = args
            .iter()
            .zip(ty.params())
            .map(|(&v, &t)| to_wasmi(v, t))
            .collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|&t| wasmi::Val::default_for_ty(t))
            .collect();
        store.set_fuel(u64::MAX).map_err(|e| e.to_string())?;
        let out = match func.call(&mut store, &params, &mut results) {
            Ok(()) => Outcome::Values(results.iter().map(from_wasmi).collect()),
            Err(e) => match e.as_trap_code() {
                Some(
                    wasmi::TrapCode::StackOverflow
                    | wasmi::TrapCode::OutOfFuel
                    | wasmi::TrapCode::OutOfSystemMemory
                    | wasmi::TrapCode::GrowthOperationLimited,
                ) => {
                    run.stopped = true;
                    return Ok(run);
                }
                Some(_) => Outcome::Trap(e.to_string()),
                None => {
                    run.stopped = true;
                    return Ok(run);
                }
            },
        };
        run.calls.push((name.clone(), out));
    }
    for name in &case.globals {
        if let Some(g) = instance.get_global(&store, name) {
            run.globals.push((name.clone(), from_wasmi(&g.get(&store))));
        }
    }
    for name in &case.memories {
        if let Some(m) = instance.get_memory(&store, name) {
            let data = m.data(&store);
            run.memories
                .push((name.clone(), data.len(), diff::hash_bytes(data)));
        }
    }
    Ok(run)
}

fuzz_target!(|data: &[u8]| {
    let Some(case) = diff::case(data, FEATURES) else {
        return;
    };
    let weft = match diff::run_weft(&case) {
        Ok(r) => r,
        Err(e) => panic!("weft refuses a weft-smith module: {e}"),
    };
    if weft.inconclusive() {
        return;
    }
    let wasmi = match run_wasmi(&case) {
        Ok(r) => r,
        Err(e) => diff::report(
            "diff_wasmi",
            &case,
            &weft,
            &Run::default(),
            &format!("wasmi refuses the module: {e}"),
        ),
    };
    if let Err(what) = diff::compare(&weft, &wasmi) {
        diff::report("diff_wasmi", &case, &weft, &wasmi, &what);
    }
});
