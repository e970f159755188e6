//! The differential harness shared by `diff_wasmi` and `diff_wasmtime`:
//! a module from weft-smith (no imports, fuel global, NaNs canonicalized,
//! everything exported), run by weft-interp (the reference) and by the
//! engine under test; every exported function is called in order with
//! arguments drawn from the rest of the input, and the outcomes compared:
//! results (NaNs equal to NaNs), trap or no trap, then the exported
//! globals and a hash of each exported memory. Stack exhaustion and
//! resource limits on either side are inconclusive: comparison stops there.
//!
//! A divergence writes the module to `artifacts/<target>/divergence-<hash>.wasm`,
//! prints both engines' outcomes and the reproduction command, and panics
//! (so libFuzzer keeps the input too).

use std::hash::{Hash, Hasher};

use arbitrary::Unstructured;
use weft_ast::{ExternKind, Features, HeapType, ValType};
use weft_interp::{Engine, Extern, Linker, MemoryMode, Module, Store, StoreLimits, Trap, Value};
use weft_smith::{Config, Smith};

/// A value as both engines can report it.
#[derive(Clone, Copy, Debug)]
pub enum Val {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128(u128),
    /// A reference: null or not.
    Ref(bool),
}

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        use Val::*;
        match (*self, *other) {
            (I32(a), I32(b)) => a == b,
            (I64(a), I64(b)) => a == b,
            (F32(a), F32(b)) => {
                a == b || (f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
            }
            (F64(a), F64(b)) => {
                a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
            }
            (V128(a), V128(b)) => a == b,
            (Ref(a), Ref(b)) => a == b,
            _ => false,
        }
    }
}

/// What one call did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// It returned these values.
    Values(Vec<Val>),
    /// It trapped (the engine's description, not compared).
    Trap(String),
}

/// Everything an engine is compared on.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Each call, in order, with its export name.
    pub calls: Vec<(String, Outcome)>,
    /// Exported globals after the calls.
    pub globals: Vec<(String, Val)>,
    /// Exported memories' sizes and hashes after the calls.
    pub memories: Vec<(String, usize, u64)>,
    /// The run stopped early for a resource limit (inconclusive after).
    pub stopped: bool,
    /// The fuel each call left (weft's engines only: both meter alike;
    /// `diff_interp_jit` compares it, the other targets leave it empty).
    #[allow(dead_code)]
    pub fuel: Vec<Option<u64>>,
}

/// A generated test case.
pub struct Case {
    /// The module, encoded.
    pub wasm: Vec<u8>,
    /// The features it was generated with.
    pub features: Features,
    /// Exported functions with their arguments and result types, in
    /// export order.
    pub calls: Vec<(String, Vec<Val>, Vec<ValType>)>,
    /// Exported globals, by name.
    pub globals: Vec<String>,
    /// Exported memories, by name.
    pub memories: Vec<String>,
}

impl Run {
    /// Whether the reference stopped before the first call (a resource
    /// limit at instantiation): the case compares nothing.
    pub fn inconclusive(&self) -> bool {
        self.stopped && self.calls.is_empty()
    }
}

fn arg(u: &mut Unstructured<'_>, t: ValType) -> Option<Val> {
    Some(match t {
        ValType::I32 => Val::I32(u.arbitrary().ok()?),
        ValType::I64 => Val::I64(u.arbitrary().ok()?),
        ValType::F32 => Val::F32(u.arbitrary().ok()?),
        ValType::F64 => Val::F64(u.arbitrary().ok()?),
        ValType::V128 => Val::V128(u.arbitrary().ok()?),
        ValType::Ref(r) if r.nullable => Val::Ref(false),
        ValType::Ref(_) => return None,
    })
}

/// The module and the calls of an input, with the features the engine
/// under test supports (swarm mode draws a subset).
pub fn case(data: &[u8], features: Features) -> Option<Case> {
    let mut u = Unstructured::new(data);
    let config = Config {
        max_imports: 0,
        ensure_termination: Some(2_000),
        canonicalize_nans: true,
        export_everything: true,
        allow_start: false,
        ..Config::swarm(features)
    };
    let features = weft_smith::features_for(data, &config);
    let module = weft_ast::Module::arbitrary(&mut u, &config).ok()?;
    let mut calls = Vec::new();
    let mut globals = Vec::new();
    let mut memories = Vec::new();
    for e in &module.exports {
        match e.kind {
            ExternKind::Func => {
                let ty = module.func_type_idx(e.index)?;
                let f = module.func_type(ty)?;
                let mut args = Vec::new();
                for &p in &f.params {
                    args.push(arg(&mut u, p)?);
                }
                calls.push((e.name.clone(), args, f.results.clone()));
            }
            ExternKind::Global => globals.push(e.name.clone()),
            ExternKind::Memory => memories.push(e.name.clone()),
            _ => {}
        }
    }
    Some(Case {
        wasm: module.encode(),
        features,
        calls,
        globals,
        memories,
    })
}

/// The largest memory any engine may have, in bytes: growing beyond it
/// fails (`-1`) alike in every engine, so results stay comparable.
pub const MAX_MEMORY_BYTES: usize = 1 << 26;

/// The largest table any engine may have, in elements.
pub const MAX_TABLE_ELEMENTS: usize = 1 << 16;

/// A hash of a memory's bytes.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    b.hash(&mut h);
    h.finish()
}

/// `v` as weft takes it for a parameter of type `t` (the module's own
/// type, whose concrete heap types index `func_types`, which says which of
/// the module's types are function types): a null reference of `t`'s
/// hierarchy for a reference.
fn to_weft(v: Val, t: ValType, func_types: &[bool]) -> Value {
    match v {
        Val::I32(x) => Value::I32(x as i32),
        Val::I64(x) => Value::I64(x as i64),
        Val::F32(x) => Value::F32(weft_ast::Ieee32(x)),
        Val::F64(x) => Value::F64(weft_ast::Ieee64(x)),
        Val::V128(x) => Value::V128(x),
        Val::Ref(_) => match t {
            ValType::Ref(r) => match r.heap {
                HeapType::Concrete(i) | HeapType::Exact(i) => {
                    if func_types.get(i as usize) == Some(&true) {
                        Value::FuncRef(None)
                    } else {
                        Value::AnyRef(None)
                    }
                }
                HeapType::Abstract(_) => Value::default_for(t),
            },
            _ => Value::default_for(t),
        },
    }
}

fn from_weft(v: &Value) -> Val {
    match v {
        Value::I32(x) => Val::I32(*x as u32),
        Value::I64(x) => Val::I64(*x as u64),
        Value::F32(x) => Val::F32(x.0),
        Value::F64(x) => Val::F64(x.0),
        Value::V128(x) => Val::V128(*x),
        Value::FuncRef(f) => Val::Ref(f.is_some()),
        Value::ExternRef(r) | Value::ExnRef(r) => Val::Ref(r.is_some()),
        Value::AnyRef(r) => Val::Ref(r.is_some()),
    }
}

/// The reference run, in weft-interp; an error when weft refuses the
/// module (a weft-smith bug, reported by the caller).
#[allow(dead_code)] // diff_interp_jit calls run_weft_on
pub fn run_weft(case: &Case) -> Result<Run, String> {
    run_weft_on(case, Engine::Interp)
}

/// The run in weft on `engine` (the interpreter or the JIT), with
/// explicitly bounds-checked memories.
pub fn run_weft_on(case: &Case, engine: Engine) -> Result<Run, String> {
    run_weft_with(case, engine, MemoryMode::Explicit)
}

/// The run in weft on `engine` in a store whose memories follow `mode`
/// (`diff_interp_jit` runs the JIT on guard-page memories too).
pub fn run_weft_with(case: &Case, engine: Engine, mode: MemoryMode) -> Result<Run, String> {
    let ast = weft_parser::parse_with(&case.wasm, case.features).map_err(|e| e.to_string())?;
    // Each export's parameter types as the module writes them (the
    // store's name canonical types), and which types are function types.
    let func_types: Vec<bool> = (0..ast.types.len() as u32)
        .map(|t| ast.func_type(t).is_some())
        .collect();
    let params: std::collections::HashMap<String, Vec<ValType>> = ast
        .exports
        .iter()
        .filter(|e| e.kind == ExternKind::Func)
        .filter_map(|e| {
            let f = ast.func_type(ast.func_type_idx(e.index)?)?;
            Some((e.name.clone(), f.params.clone()))
        })
        .collect();
    let module = Module::with_engine(ast, case.features, engine).map_err(|e| e.to_string())?;
    let mut store = Store::with_memory_mode(
        StoreLimits {
            max_memory_bytes: MAX_MEMORY_BYTES as u64,
            max_table_elements: MAX_TABLE_ELEMENTS as u64,
            max_call_depth: 10_000,
            max_stack_slots: 1 << 20,
            max_exceptions: 1 << 12,
            max_gc_bytes: 1 << 26,
        },
        mode,
    );
    let mut run = Run::default();
    let instance = match Linker::new().instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(weft_interp::Error::Trap(t)) => {
            run.calls
                .push(("<instantiate>".into(), Outcome::Trap(t.to_string())));
            return Ok(run);
        }
        // A memory or table larger than the limits: nothing to compare.
        Err(weft_interp::Error::ResourceLimit { .. }) => {
            run.stopped = true;
            return Ok(run);
        }
        Err(e) => return Err(e.to_string()),
    };
    for (name, args, results) in &case.calls {
        let Some(f) = store.export_func(instance, name) else {
            return Err(format!("no export {name}"));
        };
        let types = params.get(name).map_or(&[][..], |p| &p[..]);
        let args: Vec<Value> = args
            .iter()
            .zip(types)
            .map(|(&v, &t)| to_weft(v, t, &func_types))
            .collect();
        store.set_fuel(Some(50_000_000));
        let out = match store.call(f, &args) {
            Ok(vals) => {
                assert_eq!(vals.len(), results.len());
                Outcome::Values(vals.iter().map(from_weft).collect())
            }
            Err(weft_interp::Error::Trap(
                Trap::CallStackExhausted
                | Trap::OutOfFuel
                | Trap::AllocationLimit
                | Trap::TooManyExceptions,
            ))
            | Err(weft_interp::Error::ResourceLimit { .. }) => {
                run.stopped = true;
                return Ok(run);
            }
            Err(weft_interp::Error::Trap(t)) => Outcome::Trap(t.to_string()),
            Err(e) => return Err(e.to_string()),
        };
        run.calls.push((name.clone(), out));
        run.fuel.push(store.fuel());
    }
    for name in &case.globals {
        if let Some(Extern::Global(g)) = store.export(instance, name) {
            let v = store.global_get(g).map_err(|e| e.to_string())?;
            run.globals.push((name.clone(), from_weft(&v)));
        }
    }
    for name in &case.memories {
        if let Some(Extern::Memory(m)) = store.export(instance, name) {
            let data = store.memory_data(m).map_err(|e| e.to_string())?;
            run.memories
                .push((name.clone(), data.len(), hash_bytes(data)));
        }
    }
    Ok(run)
}

/// Compares the reference with the engine under test, up to where either
/// stopped.
pub fn compare(weft: &Run, other: &Run) -> Result<(), String> {
    let n = weft.calls.len().min(other.calls.len());
    for k in 0..n {
        let (name, a) = &weft.calls[k];
        let b = &other.calls[k].1;
        let same = match (a, b) {
            (Outcome::Values(x), Outcome::Values(y)) => x == y,
            (Outcome::Trap(_), Outcome::Trap(_)) => true,
            _ => false,
        };
        if !same {
            return Err(format!("call {name}: weft {a:?}, other {b:?}"));
        }
    }
    if weft.stopped || other.stopped || weft.calls.len() != other.calls.len() {
        return Ok(());
    }
    if weft.globals != other.globals {
        return Err(format!(
            "exported globals: weft {:?}, other {:?}",
            weft.globals, other.globals
        ));
    }
    if weft.memories != other.memories {
        return Err(format!(
            "exported memories (size, hash): weft {:?}, other {:?}",
            weft.memories, other.memories
        ));
    }
    Ok(())
}

/// Writes the module of a divergence and panics with both outcomes.
pub fn report(target: &str, case: &Case, weft: &Run, other: &Run, what: &str) -> ! {
    let dir = std::path::Path::new("artifacts").join(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("divergence-{:016x}.wasm", hash_bytes(&case.wasm)));
    let _ = std::fs::write(&path, &case.wasm);
    panic!(
        "{target}: {what}\nmodule: {} (features {:?})\nreproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run {target} <the crash input libFuzzer saved>\nweft: {weft:#?}\nother: {other:#?}",
        path.display(),
        case.features
    );
}
