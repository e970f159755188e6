//! Any bytes that decode and validate, run on both engines: the
//! interpreter and the JIT (`Engine::Jit`), each in a store of its own
//! with the same stand-ins for the imports (functions returning their
//! arguments' count, fresh memories, tables, globals and tags), the same
//! limits and fuel. Every exported function is called with default
//! arguments, then with arguments derived from the input's last bytes.
//! Checks: the instantiation's outcome, every call's results or trap, the
//! fuel left, and a hash of every exported memory and every exported
//! global's value are equal on both engines (NaNs as one value: the spec
//! leaves their payload open); nothing panics or hangs.
//!
//! `cargo +nightly fuzz run diff_interp_jit` (x86-64 Linux and macOS: the
//! target compares nothing where the JIT does not exist).

#![no_main]

use std::hash::{Hash, Hasher};

use libfuzzer_sys::fuzz_target;
use weft_ast::{FuncType, ImportDesc, ValType};
use weft_interp::{Engine, Extern, Linker, Module, Store, StoreLimits, Value};
use weft_parser::{Features, parse_with};

const FUEL: u64 = 50_000;

/// Defines a stand-in for every import, from its declared type.
fn stand_ins(store: &mut Store, ast: &weft_ast::Module, linker: &mut Linker) {
    for import in &ast.imports {
        let ext = match import.desc {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => {
                let Some(ty) = ast.func_type(ty) else {
                    continue;
                };
                Extern::Func(store.func(ty.clone(), |_, args, results| {
                    if let Some(Value::I32(r)) = results.first_mut() {
                        *r = args.len() as i32;
                    }
                    Ok(())
                }))
            }
            ImportDesc::Table(t) => {
                match store.table(t, Value::default_for(ValType::Ref(t.elem))) {
                    Ok(t) => Extern::Table(t),
                    Err(_) => continue,
                }
            }
            ImportDesc::Memory(m) => match store.memory(m) {
                Ok(m) => Extern::Memory(m),
                Err(_) => continue,
            },
            ImportDesc::Global(g) => match store.global(g, Value::default_for(g.val)) {
                Ok(g) => Extern::Global(g),
                Err(_) => continue,
            },
            ImportDesc::Tag(t) => {
                let ty = ast.func_type(t.ty).cloned().unwrap_or(FuncType {
                    params: vec![],
                    results: vec![],
                });
                Extern::Tag(store.tag(ty))
            }
        };
        linker.define(&import.module, &import.name, ext);
    }
}

/// A value of type `t` from `seed`.
fn arg(t: ValType, seed: u64) -> Value {
    match t {
        ValType::I32 => Value::I32(seed as i32),
        ValType::I64 => Value::I64(seed as i64),
        ValType::F32 => Value::F32(weft_ast::Ieee32(seed as u32)),
        ValType::F64 => Value::F64(weft_ast::Ieee64(seed)),
        ValType::V128 => Value::V128(seed as u128 * 0x0101_0101_0101_0101),
        _ => Value::default_for(t),
    }
}

/// One call: the export, its results or error, the fuel left.
type Call = (String, Result<Vec<String>, String>, Option<u64>);

/// What one engine did with the module: everything that must agree.
#[derive(Debug, PartialEq)]
struct Run {
    instantiated: Result<(), String>,
    calls: Vec<Call>,
    state: Vec<(String, u64)>,
}

fn run(data: &[u8], ast: weft_ast::Module, engine: Engine) -> Option<Run> {
    let features = Features::default();
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 1 << 24,
        max_table_elements: 1 << 16,
        max_call_depth: 1000,
        max_stack_slots: 1 << 16,
        max_exceptions: 1 << 12,
        ..StoreLimits::default()
    });
    let mut linker = Linker::new();
    stand_ins(&mut store, &ast, &mut linker);
    let module = Module::with_engine(ast, features, engine).ok()?;
    store.set_fuel(Some(FUEL));
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => {
            return Some(Run {
                instantiated: Err(e.to_string()),
                calls: vec![],
                state: vec![],
            });
        }
    };
    let mut exports: Vec<(String, Extern)> = store
        .exports(instance)
        .map(|(n, e)| (n.to_string(), e))
        .collect();
    exports.sort_by(|a, b| a.0.cmp(&b.0));
    let seed = data
        .iter()
        .rev()
        .take(8)
        .fold(0u64, |s, b| s << 8 | *b as u64);
    let mut calls = Vec::new();
    for (name, e) in &exports {
        let Extern::Func(f) = e else { continue };
        let Ok(ty) = store.func_type(*f).cloned() else {
            continue;
        };
        for round in 0..2u64 {
            let args: Vec<Value> = ty
                .params
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    if round == 0 {
                        Value::default_for(*t)
                    } else {
                        arg(*t, seed.rotate_left(k as u32 * 7))
                    }
                })
                .collect();
            store.set_fuel(Some(FUEL));
            let r = store
                .call(*f, &args)
                .map(|vs| vs.iter().map(norm).collect())
                .map_err(|e| e.to_string());
            calls.push((name.clone(), r, store.fuel()));
        }
    }
    let mut state = Vec::new();
    for (name, e) in &exports {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        match e {
            Extern::Memory(m) => store.memory_data(*m).ok()?.hash(&mut h),
            Extern::Global(g) => norm(&store.global_get(*g).ok()?).hash(&mut h),
            _ => continue,
        }
        state.push((name.clone(), h.finish()));
    }
    Some(Run {
        instantiated: Ok(()),
        calls,
        state,
    })
}

/// A value as compared: references by kind and nullness (each store
/// numbers its own entities), any NaN of a type as one value (when more
/// than one operand is a NaN the spec lets an operator return any NaN, and
/// the engines choose differently).
fn norm(v: &Value) -> String {
    match v {
        Value::F32(x) if f32::from_bits(x.0).is_nan() => "F32(nan)".into(),
        Value::F64(x) if f64::from_bits(x.0).is_nan() => "F64(nan)".into(),
        v => strip_refs(&format!("{v:?}")),
    }
}

/// A value's text with reference numbers dropped.
fn strip_refs(v: &str) -> String {
    if v.contains("Ref(Some") {
        v.split('(').next().unwrap_or(v).to_string() + "(Some)"
    } else {
        v.to_string()
    }
}

fuzz_target!(|data: &[u8]| {
    if !Engine::Jit.available() {
        return;
    }
    let Ok(ast) = parse_with(data, Features::default()) else {
        return;
    };
    let a = run(data, ast.clone(), Engine::Interp);
    let b = run(data, ast, Engine::Jit);
    assert_eq!(a, b, "interpreter and JIT disagree");
});
