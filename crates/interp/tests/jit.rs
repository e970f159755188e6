//! The JIT (`Engine::Jit`) against the interpreter on hand-written
//! programs: control flow, arithmetic and its traps, memory, globals,
//! calls in every direction (compiled, interpreted, host), recursion to
//! exhaustion.

#![cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]

use weft_ast::Features;
use weft_interp::{Engine, Error, Extern, Linker, Module, Store, Trap, Value};

fn module(text: &str, engine: Engine) -> Module {
    let ast = weft_wat::parse_module(text).expect("test module parses");
    Module::with_engine(ast, Features::default(), engine).expect("valid")
}

/// Calls `name` with `args` on both engines; both must agree, and the
/// JIT's result is returned.
fn both(text: &str, name: &str, args: &[Value]) -> Result<Vec<Value>, Error> {
    let [interp, jit] = [Engine::Interp, Engine::Jit].map(|e| metered(text, e, name, args, None));
    assert_eq!(interp, jit, "{name}{args:?}: interpreter vs JIT");
    jit.0
}

/// Calls `name` with `args` on a fresh instance of `text` run by
/// `engine`, with `fuel` (or unmetered): the result and the fuel left.
fn metered(
    text: &str,
    engine: Engine,
    name: &str,
    args: &[Value],
    fuel: Option<u64>,
) -> (Result<Vec<Value>, Error>, Option<u64>) {
    let m = module(text, engine);
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &m)
        .expect("instantiates");
    store.set_fuel(fuel);
    let f = store.export_func(inst, name).expect("exported");
    let r = store.call(f, args);
    (r, store.fuel())
}

/// Calls `name` with `args` and `fuel` on both engines: both must end
/// alike, with the same fuel left.
fn both_metered(text: &str, name: &str, args: &[Value], fuel: u64) {
    let [interp, jit] =
        [Engine::Interp, Engine::Jit].map(|e| metered(text, e, name, args, Some(fuel)));
    assert_eq!(
        interp, jit,
        "{name}{args:?} with fuel {fuel}: interpreter vs JIT"
    );
}

fn i32s(v: &[i32]) -> Vec<Value> {
    v.iter().map(|&x| Value::I32(x)).collect()
}

#[test]
fn the_module_is_compiled() {
    let m = module(
        "(module (func (export \"f\") (result i32) (i32.const 1)))",
        Engine::Jit,
    );
    assert_eq!(m.engine(), Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!((s.functions, s.compiled, s.interpreted), (1, 1, 0));
    assert!(s.code_bytes > 0);
}

const ARITH: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sub_imm") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 7)))
  (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "rem_u64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "shifts") (param i32 i32) (result i32)
    (i32.xor (i32.shl (local.get 0) (local.get 1))
      (i32.xor (i32.shr_s (local.get 0) (local.get 1))
        (i32.xor (i32.shr_u (local.get 0) (i32.const 35)) (i32.rotl (local.get 0) (local.get 1))))))
  (func (export "cmp") (param i32 i32) (result i32)
    (i32.add (i32.lt_s (local.get 0) (local.get 1))
      (i32.add (i32.mul (i32.const 2) (i32.lt_u (local.get 0) (local.get 1)))
        (i32.mul (i32.const 4) (i32.eqz (local.get 0))))))
  (func (export "bits") (param i64) (result i64)
    (i64.add (i64.clz (local.get 0)) (i64.add (i64.ctz (local.get 0)) (i64.popcnt (local.get 0)))))
  (func (export "ext") (param i32) (result i64)
    (i64.add (i64.extend_i32_s (local.get 0))
      (i64.add (i64.extend_i32_u (local.get 0)) (i64.extend8_s (i64.extend_i32_u (local.get 0))))))
  (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "sel") (param i32 i64 i64) (result i64)
    (select (local.get 1) (local.get 2) (local.get 0)))
)"#;

#[test]
fn integer_arithmetic_and_its_traps() {
    let cases: &[(&str, Vec<Value>)] = &[
        ("add", i32s(&[i32::MAX, 1])),
        ("sub_imm", i32s(&[3])),
        ("mul64", vec![Value::I64(-3), Value::I64(1 << 40)]),
        ("div_s", i32s(&[-7, 2])),
        ("div_s", i32s(&[i32::MIN, -1])),
        ("div_s", i32s(&[1, 0])),
        ("div_u", i32s(&[-7, 2])),
        ("rem_s", i32s(&[i32::MIN, -1])),
        ("rem_s", i32s(&[-7, 3])),
        ("rem_s", i32s(&[5, 0])),
        ("rem_u64", vec![Value::I64(-1), Value::I64(10)]),
        ("div_s64", vec![Value::I64(i64::MIN), Value::I64(-1)]),
        ("div_s64", vec![Value::I64(i64::MIN), Value::I64(2)]),
        ("shifts", i32s(&[-12345, 37])),
        ("cmp", i32s(&[-1, 1])),
        ("cmp", i32s(&[0, 0])),
        ("bits", vec![Value::I64(0x00f0_0000_0000)]),
        ("bits", vec![Value::I64(0)]),
        ("ext", i32s(&[-2])),
        ("wrap", vec![Value::I64(-4_294_967_298)]),
        ("sel", vec![Value::I32(0), Value::I64(1), Value::I64(2)]),
        ("sel", vec![Value::I32(9), Value::I64(1), Value::I64(2)]),
    ];
    for (name, args) in cases {
        let _ = both(ARITH, name, args);
    }
    assert_eq!(
        both(ARITH, "div_s", &i32s(&[1, 0])),
        Err(Error::Trap(Trap::IntegerDivideByZero))
    );
    assert_eq!(
        both(ARITH, "div_s", &i32s(&[i32::MIN, -1])),
        Err(Error::Trap(Trap::IntegerOverflow))
    );
    assert_eq!(both(ARITH, "rem_s", &i32s(&[i32::MIN, -1])), Ok(i32s(&[0])));
}

const CONTROL: &str = r#"
(module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "sum") (param i32) (result i32) (local i32)
    (block $done
      (loop $top
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $top)))
    (local.get 1))
  (func (export "table") (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))
  (func (export "values") (param i32) (result i32)
    (i32.add (i32.const 100)
      (block (result i32)
        (br_table 0 1 (i32.const 5) (local.get 0))
        (i32.const 7))))
  (func (export "multi") (param i32) (result i32 i32)
    (block (result i32 i32)
      (br_if 0 (i32.const 1) (i32.const 2) (local.get 0))
      (drop) (drop)
      (i32.const 3) (i32.const 4)))
  (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func (export "call_multi") (result i32)
    (call 5 (i32.const 1) (i32.const 2))
    (i32.sub))
  (func (export "tee") (param i32) (result i32)
    (local.get 0)
    (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
    (i32.mul))
  (func (export "unreachable") (unreachable))
  (func (export "if_params") (param i32) (result i32)
    (i32.const 5)
    (if (param i32) (result i32) (local.get 0)
      (then (i32.add (i32.const 1)))
      (else (i32.sub (i32.const 1)))))
  (func (export "many") (param i32) (result i32)
    ;; more live values than registers: spills
    (i32.add (local.get 0) (i32.add (i32.mul (local.get 0) (i32.const 2))
    (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.add (i32.mul (local.get 0) (i32.const 4))
    (i32.add (i32.mul (local.get 0) (i32.const 5)) (i32.add (i32.mul (local.get 0) (i32.const 6))
    (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.add (i32.mul (local.get 0) (i32.const 8))
    (i32.add (i32.mul (local.get 0) (i32.const 9)) (i32.add (i32.mul (local.get 0) (i32.const 10))
    (i32.add (i32.mul (local.get 0) (i32.const 11)) (i32.mul (local.get 0) (i32.const 12))))))))))))))
  (func $rec (export "runaway") (call $rec))
)"#;

#[test]
fn control_flow() {
    assert_eq!(
        both(CONTROL, "fac", &[Value::I64(20)]),
        Ok(vec![Value::I64(2_432_902_008_176_640_000)])
    );
    assert_eq!(both(CONTROL, "sum", &i32s(&[100])), Ok(i32s(&[5050])));
    for (i, r) in [(0, 10), (1, 20), (2, 30), (3, 30), (-1, 30)] {
        assert_eq!(both(CONTROL, "table", &i32s(&[i])), Ok(i32s(&[r])));
    }
    assert_eq!(both(CONTROL, "values", &i32s(&[0])), Ok(i32s(&[105])));
    // Label 1 is the function's: a return with 5.
    assert_eq!(both(CONTROL, "values", &i32s(&[1])), Ok(i32s(&[5])));
    assert_eq!(both(CONTROL, "values", &i32s(&[2])), Ok(i32s(&[5])));
    assert_eq!(both(CONTROL, "multi", &i32s(&[1])), Ok(i32s(&[1, 2])));
    assert_eq!(both(CONTROL, "multi", &i32s(&[0])), Ok(i32s(&[3, 4])));
    assert_eq!(both(CONTROL, "call_multi", &[]), Ok(i32s(&[1])));
    assert_eq!(both(CONTROL, "tee", &i32s(&[4])), Ok(i32s(&[20])));
    assert_eq!(
        both(CONTROL, "unreachable", &[]),
        Err(Error::Trap(Trap::Unreachable))
    );
    assert_eq!(both(CONTROL, "if_params", &i32s(&[1])), Ok(i32s(&[6])));
    assert_eq!(both(CONTROL, "if_params", &i32s(&[0])), Ok(i32s(&[4])));
    assert_eq!(both(CONTROL, "many", &i32s(&[1])), Ok(i32s(&[78])));
}

#[test]
fn recursion_ends_in_call_stack_exhausted() {
    assert_eq!(
        both(CONTROL, "runaway", &[]),
        Err(Error::Trap(Trap::CallStackExhausted))
    );
    // Also on a small host thread: compiled code runs on its own stack.
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            let m = module(CONTROL, Engine::Jit);
            let mut store = Store::new();
            let inst = Linker::new()
                .instantiate(&mut store, &m)
                .expect("instantiates");
            let f = store.export_func(inst, "runaway").expect("exported");
            assert_eq!(
                store.call(f, &[]),
                Err(Error::Trap(Trap::CallStackExhausted))
            );
        })
        .expect("spawns")
        .join()
        .expect("no crash");
}

const MEMORY: &str = r#"
(module
  (memory 1 3)
  (global $g (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const -1))
  (data (i32.const 16) "\01\02\03\04\05\06\07\08\ff")
  (func (export "loads") (result i64)
    (i64.add (i64.load (i32.const 16))
      (i64.add (i64.load8_s (i32.const 24))
        (i64.extend_i32_u (i32.load16_u offset=2 (i32.const 16))))))
  (func (export "store") (param i32 i32) (result i32)
    (i32.store offset=4 (local.get 0) (local.get 1))
    (i32.store8 (i32.const 0) (local.get 1))
    (i32.add (i32.load offset=4 (local.get 0)) (i32.load8_u (i32.const 0))))
  (func (export "load_at") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32 i32)
    (memory.grow (local.get 0))
    (memory.size))
  (func (export "globals") (result i32 i64)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.set $h (i64.add (global.get $h) (i64.const 2)))
    (global.get $g) (global.get $h))
  (func (export "fill") (param i32 i32) (result i32)
    (memory.fill (local.get 0) (i32.const 9) (local.get 1))
    (i32.load8_u (local.get 0)))
)"#;

#[test]
fn memory_and_globals() {
    let _ = both(MEMORY, "loads", &[]);
    assert_eq!(
        both(MEMORY, "store", &i32s(&[100, 0x1234])),
        Ok(i32s(&[0x1234 + 0x34]))
    );
    assert_eq!(both(MEMORY, "load_at", &i32s(&[65532])), Ok(i32s(&[0])));
    for a in [65533, -1, -4] {
        assert_eq!(
            both(MEMORY, "load_at", &i32s(&[a])),
            Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
        );
    }
    assert_eq!(
        both(MEMORY, "store", &i32s(&[65532, 1])),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
    assert_eq!(both(MEMORY, "grow", &i32s(&[1])), Ok(i32s(&[1, 2])));
    assert_eq!(both(MEMORY, "grow", &i32s(&[5])), Ok(i32s(&[-1, 1])));
    assert_eq!(
        both(MEMORY, "globals", &[]),
        Ok(vec![Value::I32(8), Value::I64(1)])
    );
    assert_eq!(both(MEMORY, "fill", &i32s(&[10, 5])), Ok(i32s(&[9])));
    assert_eq!(
        both(MEMORY, "fill", &i32s(&[65530, 10])),
        Err(Error::Trap(Trap::OutOfBoundsMemoryAccess))
    );
    // A grown memory is reachable at its new length.
    let m = module(MEMORY, Engine::Jit);
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &m)
        .expect("instantiates");
    let grow = store.export_func(inst, "grow").expect("exported");
    let load = store.export_func(inst, "load_at").expect("exported");
    store.call(grow, &[Value::I32(1)]).expect("grows");
    assert_eq!(store.call(load, &[Value::I32(131068)]), Ok(i32s(&[0])));
}

const FLOATS: &str = r#"
(module
  (func (export "f32") (param f32 f32) (result f32)
    (f32.add (f32.mul (local.get 0) (local.get 1)) (f32.div (local.get 0) (f32.sub (local.get 1) (f32.const 0.5)))))
  (func (export "f64") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.abs (local.get 0)) (f64.neg (f64.copysign (local.get 1) (f64.const -1))))))
  (func (export "round") (param f64) (result f64 f64 f64 f64)
    (f64.ceil (local.get 0)) (f64.floor (local.get 0)) (f64.trunc (local.get 0)) (f64.nearest (local.get 0)))
  (func (export "cmp") (param f64 f64) (result i32)
    (i32.add (f64.lt (local.get 0) (local.get 1))
      (i32.add (i32.mul (i32.const 2) (f64.ge (local.get 0) (local.get 1)))
        (i32.add (i32.mul (i32.const 4) (f64.eq (local.get 0) (local.get 1)))
          (i32.mul (i32.const 8) (f64.ne (local.get 0) (local.get 1)))))))
  (func (export "conv") (param i32 i64) (result f64 f32 f64 i32 i64)
    (f64.convert_i32_u (local.get 0))
    (f32.convert_i64_s (local.get 1))
    (f64.promote_f32 (f32.demote_f64 (f64.convert_i32_s (local.get 0))))
    (i32.trunc_f64_s (f64.convert_i32_s (local.get 0)))
    (i64.trunc_sat_f64_u (f64.convert_i64_u (local.get 1))))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "minmax") (param f32 f32) (result f32 f32) (f32.min (local.get 0) (local.get 1)) (f32.max (local.get 0) (local.get 1)))
)"#;

#[test]
fn floats() {
    let f32v = |x: f32| Value::from(x);
    let f64v = |x: f64| Value::from(x);
    let _ = both(FLOATS, "f32", &[f32v(1.5), f32v(2.25)]);
    let _ = both(FLOATS, "f32", &[f32v(f32::NAN), f32v(0.5)]);
    let _ = both(FLOATS, "f64", &[f64v(-9.0), f64v(7.0)]);
    for x in [2.5, -2.5, 3.5, -0.2, f64::INFINITY] {
        let _ = both(FLOATS, "round", &[f64v(x)]);
    }
    for (a, b) in [(1.0, 2.0), (2.0, 1.0), (1.0, 1.0), (f64::NAN, 1.0)] {
        let _ = both(FLOATS, "cmp", &[f64v(a), f64v(b)]);
    }
    assert_eq!(
        both(FLOATS, "cmp", &[f64v(f64::NAN), f64v(f64::NAN)]),
        Ok(i32s(&[8]))
    );
    let _ = both(FLOATS, "conv", &[Value::I32(-5), Value::I64(-7)]);
    assert_eq!(
        both(FLOATS, "trunc", &[f64v(3e10)]),
        Err(Error::Trap(Trap::IntegerOverflow))
    );
    assert_eq!(
        both(FLOATS, "trunc", &[f64v(f64::NAN)]),
        Err(Error::Trap(Trap::InvalidConversionToInteger))
    );
    let _ = both(FLOATS, "minmax", &[f32v(-0.0), f32v(0.0)]);
}

const CALLS: &str = r#"
(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (import "host" "fail" (func $fail))
  (table 3 funcref)
  (elem (i32.const 0) $inc $twice)
  (type $ii (func (param i32) (result i32)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "via_host") (param i32) (result i32) (call $twice (call $inc (local.get 0))))
  (func (export "host_traps") (call $fail))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func (export "wrong_type") (param i32) (call_indirect (param i32) (i32.const 0) (local.get 0)))
  (func (export "get_ref") (result funcref) (ref.func $inc))
  (func (export "is_null") (param funcref) (result i32) (ref.is_null (local.get 0)))
)"#;

fn with_host(engine: Engine) -> (Store, weft_interp::Instance) {
    let m = module(CALLS, engine);
    let mut store = Store::new();
    let ty = |p: usize, r: usize| weft_ast::FuncType {
        params: vec![weft_ast::ValType::I32; p],
        results: vec![weft_ast::ValType::I32; r],
    };
    let twice = store.func(ty(1, 1), |_c, a, r| {
        let Value::I32(x) = a[0] else { unreachable!() };
        r[0] = Value::I32(x * 2);
        Ok(())
    });
    let fail = store.func(ty(0, 0), |_c, _a, _r| Err(Trap::Host("no".into())));
    let mut l = Linker::new();
    l.define("host", "twice", Extern::Func(twice));
    l.define("host", "fail", Extern::Func(fail));
    let inst = l.instantiate(&mut store, &m).expect("instantiates");
    (store, inst)
}

#[test]
fn calls_to_host_and_through_tables() {
    let cases: &[(&str, Vec<Value>)] = &[
        ("via_host", i32s(&[20])),
        ("host_traps", vec![]),
        ("indirect", i32s(&[0, 5])),
        ("indirect", i32s(&[1, 5])),
        ("indirect", i32s(&[2, 5])),
        ("indirect", i32s(&[3, 5])),
        ("wrong_type", i32s(&[0])),
        ("get_ref", vec![]),
        ("is_null", vec![Value::FuncRef(None)]),
    ];
    for (name, args) in cases {
        let mut out = Vec::new();
        for engine in [Engine::Interp, Engine::Jit] {
            let (mut store, inst) = with_host(engine);
            let f = store.export_func(inst, name).expect("exported");
            out.push(store.call(f, args));
        }
        assert_eq!(out[0], out[1], "{name}{args:?}");
    }
    let (mut store, inst) = with_host(Engine::Jit);
    let f = store.export_func(inst, "via_host").expect("exported");
    assert_eq!(store.call(f, &i32s(&[20])), Ok(i32s(&[42])));
    let f = store.export_func(inst, "indirect").expect("exported");
    assert_eq!(
        store.call(f, &i32s(&[2, 5])),
        Err(Error::Trap(Trap::UninitializedElement(2)))
    );
    assert_eq!(
        store.call(f, &i32s(&[3, 5])),
        Err(Error::Trap(Trap::UndefinedElement))
    );
}

#[test]
fn host_functions_reenter_compiled_code() {
    // A host function that calls back into the module: compiled code ->
    // host -> compiled code, nested to the re-entry bound.
    let text = r#"
    (module
      (import "host" "back" (func $back (param i32) (result i32)))
      (func (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $back (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let m = module(text, Engine::Jit);
    let mut store = Store::new();
    let ty = weft_ast::FuncType {
        params: vec![weft_ast::ValType::I32],
        results: vec![weft_ast::ValType::I32],
    };
    let back = store.func(ty, |c, a, r| {
        let inst = c.instance.expect("called from wasm");
        let down = c.store.export_func(inst, "down").expect("exported");
        r[0] = c.store.call(down, a).map_err(|e| match e {
            Error::Trap(t) => t,
            e => Trap::Host(e.to_string().into()),
        })?[0];
        Ok(())
    });
    let mut l = Linker::new();
    l.define("host", "back", Extern::Func(back));
    let inst = l.instantiate(&mut store, &m).expect("instantiates");
    let down = store.export_func(inst, "down").expect("exported");
    assert_eq!(store.call(down, &i32s(&[30])), Ok(i32s(&[30])));
    assert_eq!(
        store.call(down, &i32s(&[1000])),
        Err(Error::Trap(Trap::CallStackExhausted))
    );
    // The store is usable after the trap.
    assert_eq!(store.call(down, &i32s(&[3])), Ok(i32s(&[3])));
}

#[test]
fn calls_cross_between_instances_of_both_engines() {
    // `top` calls `mid`, which calls `lib` through a table: every mix of
    // engines (a function of an interpreter's instance is interpreted,
    // even when compiled code calls it) computes the same.
    let lib = r#"(module (func (export "h") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 3))))"#;
    let mid = r#"(module
      (import "lib" "h" (func $h (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (table funcref (elem $h))
      (func (export "f") (param i32) (result i32)
        (call_indirect (type $t) (i32.add (local.get 0) (i32.const 1)) (i32.const 0))))"#;
    let top = r#"(module
      (import "mid" "f" (func $f (param i32) (result i32)))
      (func (export "g") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1))))"#;
    for k in 0..8 {
        let e = |bit: u32| {
            if k >> bit & 1 == 1 {
                Engine::Jit
            } else {
                Engine::Interp
            }
        };
        let mut store = Store::new();
        let mut linker = Linker::new();
        let l = linker
            .instantiate(&mut store, &module(lib, e(0)))
            .expect("instantiates");
        let h = store.export_func(l, "h").expect("exported");
        linker.define("lib", "h", Extern::Func(h));
        let m = linker
            .instantiate(&mut store, &module(mid, e(1)))
            .expect("instantiates");
        let f = store.export_func(m, "f").expect("exported");
        linker.define("mid", "f", Extern::Func(f));
        let t = linker
            .instantiate(&mut store, &module(top, e(2)))
            .expect("instantiates");
        let g = store.export_func(t, "g").expect("exported");
        assert_eq!(
            store.call(g, &i32s(&[4])),
            Ok(i32s(&[16])),
            "engines {k:03b}"
        );
    }
}

/// A module with every proposal, the legacy exceptions included.
fn module_all(text: &str, engine: Engine) -> Module {
    let ast = weft_wat::parse_module_with(text, Features::ALL).expect("test module parses");
    Module::with_engine(ast, Features::ALL, engine).expect("valid")
}

const FUEL: &str = r#"
(module
  (memory (export "mem") 1)
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (table 1 funcref)
  (elem (i32.const 0) $leaf)
  (func (export "work") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (call $leaf (local.get 1)))
      (local.set 1 (call_indirect (param i32) (result i32) (local.get 1) (i32.const 0)))
      (i32.store (i32.const 0) (local.get 1))
      (memory.fill (i32.const 16) (i32.const 1) (i32.const 100))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))
  (func (export "table") (param i32) (result i32)
    (loop $l
      (block $b
        (br_table $l $b (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    (local.get 0))
)"#;

#[test]
fn fuel_is_metered_as_the_interpreter_meters_it() {
    for (name, arg) in [("work", 100), ("table", 50)] {
        for fuel in [0, 1, 2, 3, 10, 57, 500, 1000, 100_000] {
            let mut seen = Vec::new();
            for engine in [Engine::Interp, Engine::Jit] {
                let m = module(FUEL, engine);
                let mut store = Store::new();
                let inst = Linker::new()
                    .instantiate(&mut store, &m)
                    .expect("instantiates");
                store.set_fuel(Some(fuel));
                let f = store.export_func(inst, name).expect("exported");
                let r = store.call(f, &[Value::I32(arg)]);
                let Some(Extern::Memory(mem)) = store.export(inst, "mem") else {
                    panic!("exported memory")
                };
                let mem = store.memory_data(mem).expect("memory")[..128].to_vec();
                seen.push((r, store.fuel(), mem));
            }
            assert_eq!(
                seen[0], seen[1],
                "{name} with fuel {fuel}: interpreter vs JIT"
            );
        }
    }
}

const GC: &str = r#"
(module
  (type $pt (struct (field $x (mut i32)) (field $y i64) (field $b (mut i8))))
  (type $arr (array (mut i16)))
  (type $a32 (array i32))
  (type $fn (func (param i32) (result i32)))
  (type $sub (sub (struct (field i32))))
  (type $sub2 (sub $sub (struct (field i32) (field f64))))
  (func $twice (type $fn) (i32.mul (local.get 0) (i32.const 2)))
  (elem declare func $twice)
  (func (export "struct") (param i32) (result i64)
    (local $p (ref null $pt))
    (local.set $p (struct.new $pt (local.get 0) (i64.const 40) (i32.const -1)))
    (struct.set $pt $x (local.get $p) (i32.add (struct.get $pt $x (local.get $p)) (i32.const 1)))
    (i64.add
      (i64.add (i64.extend_i32_s (struct.get $pt $x (local.get $p))) (struct.get $pt $y (local.get $p)))
      (i64.add (i64.extend_i32_s (struct.get_s $pt $b (local.get $p)))
               (i64.extend_i32_u (struct.get_u $pt $b (local.get $p))))))
  (func (export "array") (param i32 i32) (result i32)
    (local $a (ref null $arr))
    (local.set $a (array.new $arr (local.get 0) (i32.const 7)))
    (array.set $arr (local.get $a) (i32.const 0) (i32.const -2))
    (array.fill $arr (local.get $a) (i32.const 1) (i32.const 0x8001) (i32.const 2))
    (i32.add (array.len (local.get $a))
      (i32.add (array.get_s $arr (local.get $a) (local.get 1))
        (i32.add (array.get_u $arr (local.get $a) (local.get 1))
          (array.get $a32 (array.new_fixed $a32 3 (i32.const 1) (i32.const 2) (i32.const 3))
                          (i32.const 2))))))
  (func (export "null_struct") (result i32) (struct.get $pt $x (ref.null $pt)))
  (func (export "call_ref") (param i32 i32) (result i32)
    (call_ref $fn (local.get 1)
      (select (result (ref null $fn)) (ref.func $twice) (ref.null $fn) (local.get 0))))
  (func (export "on_null") (param i32) (result i32) (local $f (ref null $fn))
    (local.set $f
      (select (result (ref null $fn)) (ref.func $twice) (ref.null $fn) (local.get 0)))
    (block $null
      ;; The branch leaves the 21 below behind.
      (i32.const 21)
      (br_on_null $null (local.get $f))
      (return (call_ref $fn)))
    (i32.const -1))
  (func (export "on_non_null") (param i32) (result i32)
    (i32.const 5)
    (block $f (param i32) (result i32 (ref $fn))
      (br_on_non_null $f
        (select (result (ref null $fn)) (ref.func $twice) (ref.null $fn) (local.get 0)))
      (drop)
      (return (i32.const -1)))
    (call_ref $fn))
  (func $make (param i32) (result anyref)
    (if (result anyref) (i32.eqz (local.get 0))
      (then (ref.null any))
      (else (if (result anyref) (i32.eq (local.get 0) (i32.const 1))
        (then (struct.new $sub (i32.const 10)))
        (else (if (result anyref) (i32.eq (local.get 0) (i32.const 2))
          (then (struct.new $sub2 (i32.const 20) (f64.const 1)))
          (else (ref.i31 (local.get 0)))))))))
  (func (export "cast") (param i32) (result i32)
    (block $is_sub (result (ref $sub))
      (block $is_i31 (result (ref i31))
        (br_on_cast $is_i31 anyref (ref i31) (call $make (local.get 0)))
        (br_on_cast $is_sub anyref (ref $sub))
        (drop)
        (return (i32.const -1)))
      (return (i32.add (i31.get_s) (i32.const 1000))))
    (struct.get $sub 0))
  (func (export "cast_fail") (param i32) (result i32)
    (block $not (result anyref)
      (return (struct.get $sub2 0
        (br_on_cast_fail $not anyref (ref $sub2) (call $make (local.get 0))))))
    (ref.is_null)
    (i32.sub (i32.const -10)))
  (func (export "loop_cast") (param i32) (result i32)
    ;; A backward br_on_cast: counts down through i31 references.
    (ref.i31 (local.get 0))
    (loop $l (param anyref) (result i32)
      (local.set 0 (i31.get_s (ref.cast (ref i31))))
      (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
      (ref.i31 (i32.sub (local.get 0) (i32.const 1)))
      (br_on_cast $l anyref (ref i31))
      (drop)
      (i32.const -1)))
)"#;

/// An export, its arguments and what it must return.
type Case = (&'static str, Vec<Value>, Result<Vec<Value>, Error>);

#[test]
fn gc_casts_and_function_references_are_compiled() {
    let m = module(GC, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!(
        s.interpreted, 0,
        "left to the interpreter: {:?}",
        s.unsupported
    );
    let cases: &[Case] = &[
        ("struct", i32s(&[1]), Ok(vec![Value::I64(2 + 40 - 1 + 255)])),
        ("array", i32s(&[-5, 3]), Ok(i32s(&[7 - 5 + 65531 + 3]))),
        (
            "array",
            i32s(&[0, 1]),
            Ok(i32s(&[7 + (0x8001 - 0x10000) + 0x8001 + 3])),
        ),
        (
            "array",
            i32s(&[0, 7]),
            Err(Error::Trap(Trap::OutOfBoundsArrayAccess)),
        ),
        (
            "null_struct",
            vec![],
            Err(Error::Trap(Trap::NullStructureReference)),
        ),
        ("call_ref", i32s(&[1, 21]), Ok(i32s(&[42]))),
        (
            "call_ref",
            i32s(&[0, 21]),
            Err(Error::Trap(Trap::NullFunctionReference)),
        ),
        ("on_null", i32s(&[1]), Ok(i32s(&[42]))),
        ("on_null", i32s(&[0]), Ok(i32s(&[-1]))),
        ("on_non_null", i32s(&[1]), Ok(i32s(&[10]))),
        ("on_non_null", i32s(&[0]), Ok(i32s(&[-1]))),
        ("cast", i32s(&[0]), Ok(i32s(&[-1]))),
        ("cast", i32s(&[1]), Ok(i32s(&[10]))),
        ("cast", i32s(&[2]), Ok(i32s(&[20]))),
        ("cast", i32s(&[7]), Ok(i32s(&[1007]))),
        ("cast_fail", i32s(&[2]), Ok(i32s(&[20]))),
        ("cast_fail", i32s(&[1]), Ok(i32s(&[10]))),
        ("cast_fail", i32s(&[0]), Ok(i32s(&[11]))),
        ("loop_cast", i32s(&[30]), Ok(i32s(&[0]))),
    ];
    for (name, args, expected) in cases {
        assert_eq!(&both(GC, name, args), expected, "{name}{args:?}");
    }
}

#[test]
fn a_backward_br_on_cast_charges_fuel() {
    for fuel in [0, 5, 29, 30, 31, 32, 100] {
        both_metered(GC, "loop_cast", &i32s(&[30]), fuel);
    }
}

#[test]
fn a_throw_in_compiled_code_leaves_as_an_uncaught_exception() {
    let text = r#"
(module
  (tag $e (param i32 i64))
  (func $inner (param i32) (result i32)
    (if (local.get 0) (then (throw $e (local.get 0) (i64.const 7))))
    (i32.const 5))
  (func (export "f") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1))))"#;
    let m = module(text, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!(
        s.interpreted, 0,
        "left to the interpreter: {:?}",
        s.unsupported
    );
    assert_eq!(both(text, "f", &i32s(&[0])), Ok(i32s(&[6])));
    assert_eq!(
        both(text, "f", &i32s(&[3])),
        Err(Error::Trap(Trap::UncaughtException))
    );
}

#[test]
fn return_call_keeps_the_native_stack_constant() {
    // A million tail calls deep on the JIT's stack: only a real tail call
    // returns; a tail call to a function whose arguments do not fit the
    // caller's argument area passes them through the tail buffer.
    let text = r#"
(module
  (func $count (export "count") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                (i64.add (local.get 1) (i64.const 2))))))
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
  (func $wide (param i32 i32 i32) (result i32)
    (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
  (func (export "grow") (param i32) (result i32)
    (return_call $wide (local.get 0) (i32.const 1) (i32.const 2))))"#;
    let m = module(text, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    // `grow` passes three arguments where it has room for one.
    assert_eq!((s.compiled, s.interpreted), (5, 0));
    assert_eq!(
        both(text, "count", &[Value::I64(1_000_000), Value::I64(0)]),
        Ok(vec![Value::I64(2_000_000)])
    );
    assert_eq!(both(text, "even", &i32s(&[1_000_001])), Ok(i32s(&[0])));
    assert_eq!(both(text, "grow", &i32s(&[4])), Ok(i32s(&[7])));
    // Fuel: one unit per tail call, as the interpreter charges.
    for fuel in [0, 1, 10, 11, 12, 100] {
        both_metered(text, "even", &i32s(&[10]), fuel);
    }
}

/// A module all of whose functions compile: `h` exported and in a table.
const COMPILED: &str = r#"
(module
  (table (export "tab") 1 funcref)
  (elem (i32.const 0) $h)
  (func $h (export "h") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#;

/// Interpreted code calling `h` directly and through the table.
const CALLER: &str = r#"
(module
  (type $t (func (param i32) (result i32)))
  (import "a" "h" (func $h (type $t)))
  (import "a" "tab" (table 1 funcref))
  (func (export "direct") (param i32) (result i32) (call $h (local.get 0)))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func (export "tail") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i32.const 0))))"#;

#[test]
fn interpreted_code_instantiated_later_calls_compiled_functions() {
    // A compiled module's functions are translated only once the store
    // holds code the interpreter runs, before or after them: either way,
    // interpreted code calling them computes what the compiled code does.
    for caller_engine in [Engine::Interp, Engine::Jit] {
        for compiled_first in [true, false] {
            let mut store = Store::new();
            let mut linker = Linker::new();
            let a = module(COMPILED, Engine::Jit);
            assert_eq!(a.jit_stats().map(|s| s.interpreted), Some(0));
            let b = module(CALLER, caller_engine);
            if caller_engine == Engine::Jit {
                assert_eq!(b.jit_stats().map(|s| s.interpreted), Some(0));
            }
            let inst_a = linker.instantiate(&mut store, &a).expect("a instantiates");
            let h = store.export_func(inst_a, "h").expect("h");
            if compiled_first {
                assert_eq!(store.call(h, &i32s(&[5])), Ok(i32s(&[15])));
            }
            linker.define_instance(&store, "a", inst_a);
            let inst_b = linker.instantiate(&mut store, &b).expect("b instantiates");
            for (name, x) in [("direct", 7), ("indirect", 8), ("tail", 9)] {
                let f = store.export_func(inst_b, name).expect("exported");
                assert_eq!(
                    store.call(f, &i32s(&[x])),
                    Ok(i32s(&[3 * x])),
                    "{name} ({caller_engine:?}, compiled first: {compiled_first})"
                );
            }
            assert_eq!(store.call(h, &i32s(&[6])), Ok(i32s(&[18])));
        }
    }
}

/// Tail calls of every form: direct, through a table, through a
/// reference; to compiled functions (arguments fitting the caller's area
/// or not, `v128` ones too), to an interpreted function, to a host
/// function; and their traps.
const TAIL_CALLS: &str = r#"
(module
  (import "host" "add" (func $host (param i32 i32) (result i32)))
  (import "slow" "times5" (func $slow (param i32) (result i32)))
  (type $i (func (param i64 i64) (result i64)))
  (type $one (func (param i32) (result i32)))
  (type $two (func (param i32 i32) (result i32)))
  (type $wide (func (param i32 v128 i64 i64 i64) (result i32)))
  (table $t 8 funcref)
  (elem (table $t) (i32.const 0) func $count $even $odd $spread $host $slow $one)
  (elem declare func $count_ref $sum)
  ;; A million deep through the table, its own arguments.
  (func $count (export "count") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call_indirect $t (type $i)
              (i64.sub (local.get 0) (i64.const 1))
              (i64.add (local.get 1) (i64.const 2))
              (i32.const 0)))))
  ;; Through references.
  (func $count_ref (export "count_ref") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call_ref $i
              (i64.sub (local.get 0) (i64.const 1))
              (i64.add (local.get 1) (i64.const 3))
              (ref.func $count_ref)))))
  ;; Mutual recursion through the table with a growing argument list:
  ;; even (1 slot of room) calls spread (6 slots: the tail buffer), which
  ;; calls odd back (fits).
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call_indirect $t (type $wide)
              (i32.sub (local.get 0) (i32.const 1))
              (v128.const i32x4 1 2 3 4) (i64.const 5) (i64.const 6) (i64.const 7)
              (i32.const 3)))))
  (func $spread (param i32 v128 i64 i64 i64) (result i32)
    (if (i64.ne (i64.add (i64.add (local.get 2) (local.get 3)) (local.get 4)) (i64.const 18))
      (then unreachable))
    (if (i32.ne (i32x4.extract_lane 3 (local.get 1)) (i32.const 4))
      (then unreachable))
    (return_call_indirect $t (type $one) (local.get 0) (i32.const 2)))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_ref $one (i32.sub (local.get 0) (i32.const 1))
              (ref.cast (ref $one) (table.get $t (i32.const 1)))))))
  ;; Callees that cannot be jumped to: the host, an interpreted function.
  (func (export "to_host") (param i32) (result i32)
    (return_call_indirect $t (type $two) (local.get 0) (i32.const 10) (i32.const 4)))
  (func (export "to_host_ref") (param i32) (result i32)
    (return_call_ref $two (local.get 0) (i32.const 20)
      (ref.cast (ref $two) (table.get $t (i32.const 4)))))
  (func (export "to_slow") (param i32) (result i32)
    (return_call_indirect $t (type $one) (local.get 0) (i32.const 5)))
  (func $one (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $sum (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; Traps: an element of another type, out of the table, uninitialized,
  ;; a null reference.
  (func (export "traps") (param i32) (result i32)
    (if (i32.eq (local.get 0) (i32.const 0))
      (then (return_call_indirect $t (type $one) (i32.const 1) (i32.const 0))))
    (if (i32.eq (local.get 0) (i32.const 1))
      (then (return_call_indirect $t (type $one) (i32.const 1) (i32.const 8))))
    (if (i32.eq (local.get 0) (i32.const 2))
      (then (return_call_indirect $t (type $one) (i32.const 1) (i32.const 7))))
    (if (i32.eq (local.get 0) (i32.const 3))
      (then (return_call_ref $two (i32.const 1) (i32.const 2) (ref.null $two))))
    (return_call_ref $two (i32.const 1) (i32.const 2) (ref.func $sum)))
)"#;

/// The interpreter's instance that the tail calls' `$slow` comes from.
const TIMES5: &str = r#"(module (func (export "times5") (param i32) (result i32)
  (i32.mul (local.get 0) (i32.const 5))))"#;

fn tail_calls(engine: Engine, fuel: Option<u64>) -> (Store, weft_interp::Instance) {
    let m = module(TAIL_CALLS, engine);
    let mut store = Store::new();
    let add = store.func(
        weft_ast::FuncType {
            params: vec![weft_ast::ValType::I32; 2],
            results: vec![weft_ast::ValType::I32],
        },
        |_, args, results| {
            let (Value::I32(a), Value::I32(b)) = (args[0], args[1]) else {
                unreachable!("typed i32 arguments")
            };
            results[0] = Value::I32(a * 100 + b);
            Ok(())
        },
    );
    let mut linker = Linker::new();
    linker.define("host", "add", Extern::Func(add));
    let slow = linker
        .instantiate(&mut store, &module(TIMES5, Engine::Interp))
        .expect("instantiates");
    let times5 = store.export_func(slow, "times5").expect("exported");
    linker.define("slow", "times5", Extern::Func(times5));
    let inst = linker.instantiate(&mut store, &m).expect("instantiates");
    store.set_fuel(fuel);
    (store, inst)
}

#[test]
fn every_tail_call_is_compiled_and_agrees_with_the_interpreter() {
    let m = module(TAIL_CALLS, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!((s.functions, s.interpreted), (11, 0), "{:?}", s.unsupported);
    let calls: &[(&str, Vec<Value>)] = &[
        ("count", vec![Value::I64(1_000_000), Value::I64(0)]),
        ("count_ref", vec![Value::I64(1_000_000), Value::I64(1)]),
        ("even", i32s(&[1_000_001])),
        ("even", i32s(&[300_000])),
        ("to_host", i32s(&[7])),
        ("to_host_ref", i32s(&[7])),
        ("to_slow", i32s(&[7])),
        ("traps", i32s(&[0])),
        ("traps", i32s(&[1])),
        ("traps", i32s(&[2])),
        ("traps", i32s(&[3])),
        ("traps", i32s(&[4])),
    ];
    let expected = [
        Ok(vec![Value::I64(2_000_000)]),
        Ok(vec![Value::I64(3_000_001)]),
        Ok(i32s(&[0])),
        Ok(i32s(&[1])),
        Ok(i32s(&[710])),
        Ok(i32s(&[720])),
        Ok(i32s(&[35])),
        Err(Error::Trap(Trap::IndirectCallTypeMismatch)),
        Err(Error::Trap(Trap::UndefinedElement)),
        Err(Error::Trap(Trap::UninitializedElement(7))),
        Err(Error::Trap(Trap::NullFunctionReference)),
        Ok(i32s(&[3])),
    ];
    for ((name, args), want) in calls.iter().zip(expected) {
        let mut got = Vec::new();
        for engine in [Engine::Interp, Engine::Jit] {
            let (mut store, inst) = tail_calls(engine, None);
            let f = store.export_func(inst, name).expect("exported");
            got.push(store.call(f, args));
        }
        assert_eq!(got[0], want, "{name}{args:?} on the interpreter");
        assert_eq!(got[1], want, "{name}{args:?} on the JIT");
    }
}

#[test]
fn tail_calls_charge_fuel_as_the_interpreter_does() {
    for (name, arg) in [("even", 10), ("to_host", 1), ("to_slow", 1), ("traps", 4)] {
        for fuel in [0, 1, 2, 3, 7, 20, 31, 32, 33, 100] {
            let mut seen = Vec::new();
            for engine in [Engine::Interp, Engine::Jit] {
                let (mut store, inst) = tail_calls(engine, Some(fuel));
                let f = store.export_func(inst, name).expect("exported");
                seen.push((store.call(f, &i32s(&[arg])), store.fuel()));
            }
            assert_eq!(seen[0], seen[1], "{name} with fuel {fuel}");
        }
    }
}

/// Exceptions thrown and caught in compiled code, across compiled frames,
/// from and into an interpreted function, through a host function (a
/// trap there, as in the interpreter), and out to the host.
const EXCEPTIONS: &str = r#"
(module
  (import "host" "call" (func $host (param i32) (result i32)))
  (import "slow" "thrower" (func $slow_thrower (param i32) (result i32)))
  (import "env" "e" (tag $e (param i32)))
  (tag $w (param i64 v128))
  (tag $none)
  (type $one (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (table 0) (i32.const 0) func $thrower $slow_thrower)
  (func $thrower (export "thrower") (param i32) (result i32)
    (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (i32.const 11))))
    (if (i32.eq (local.get 0) (i32.const 2))
      (then (throw $w (i64.const -5) (v128.const i64x2 7 9))))
    (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $none)))
    (i32.add (local.get 0) (i32.const 100)))
  ;; Caught in the same function, by tag, with the payload.
  (func (export "local") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (if (local.get 0) (then (throw $e (i32.mul (local.get 0) (i32.const 3)))))
        (i32.const -1))))
  ;; Across a direct call, an indirect call and a call_ref; every kind
  ;; of clause; no match goes to the enclosing try_table.
  (func (export "kinds") (param i32 i32) (result i64)
    (local $x exnref)
    (block $all
      (block $allref (result exnref)
        (block $wide (result i64 v128)
          (block $one (result i32)
            (try_table (catch_all_ref $allref)
              (try_table (catch $e $one) (catch $w $wide)
                (if (i32.eq (local.get 1) (i32.const 0))
                  (then (drop (call $thrower (local.get 0)))))
                (if (i32.eq (local.get 1) (i32.const 1))
                  (then (drop (call_indirect (type $one) (local.get 0) (i32.const 0)))))
                (if (i32.eq (local.get 1) (i32.const 2))
                  (then (drop (call_ref $one (local.get 0) (ref.func $thrower)))))))
            (return (i64.const 1000)))
          (return (i64.extend_i32_s)))
        (i64x2.extract_lane 1)
        (i64.add)
        (return))
      ;; Rethrown by reference: caught by the outer catch_all.
      (local.set $x)
      (try_table (catch_all $all) (throw_ref (local.get $x)))
      (return (i64.const 3000)))
    (i64.const 4000))
  ;; A loop label as the target: caught three times, then done.
  (func (export "retry") (result i32) (local $n i32)
    (loop $again
      (try_table (catch_all $again)
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (i32.lt_u (local.get $n) (i32.const 3)) (then (throw $none)))))
    (local.get $n))
  ;; From an interpreter's instance.
  (func (export "from_slow") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_indirect (type $one) (local.get 0) (i32.const 1)))))
  ;; Through a host function: uncaught exception, a trap.
  (func (export "through_host") (param i32) (result i32)
    (block $h
      (try_table (result i32) (catch_all $h) (call $host (local.get 0)))
      (return))
    (i32.const -7))
  ;; A tail call leaves the handler: its callee's exception goes on.
  (func (export "tail") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (return_call $thrower (local.get 0))))
    (i32.const -9))
  (func (export "tail_indirect") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h)
        (return_call_indirect (type $one) (local.get 0) (i32.const 1))))
    (i32.const -9))
)"#;

/// The interpreter's instance `EXCEPTIONS` imports a thrower from.
const SLOW_THROWER: &str = r#"(module
  (import "env" "e" (tag $e (param i32)))
  (func (export "thrower") (param i32) (result i32)
    (if (local.get 0) (then (throw $e (i32.add (local.get 0) (i32.const 40)))))
    (i32.const 0)))"#;

/// An interpreter's instance catching what `EXCEPTIONS`' thrower throws.
const SLOW_CATCHER: &str = r#"(module
  (import "env" "e" (tag $e (param i32)))
  (import "main" "thrower" (func $thrower (param i32) (result i32)))
  (func (export "slow_catches") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $thrower (local.get 0))))))"#;

/// The store with `EXCEPTIONS` on `engine` (its `main` instance) and
/// `SLOW_CATCHER` (the other instance returned).
fn exceptions(engine: Engine) -> (Store, weft_interp::Instance, weft_interp::Instance) {
    let m = module(EXCEPTIONS, engine);
    let mut store = Store::new();
    let tag = store.tag(weft_ast::FuncType {
        params: vec![weft_ast::ValType::I32],
        results: vec![],
    });
    let f = store.func(
        weft_ast::FuncType {
            params: vec![weft_ast::ValType::I32],
            results: vec![weft_ast::ValType::I32],
        },
        |caller, args, results| {
            let inst = caller.instance.expect("called from the module");
            let t = caller
                .store
                .export_func(inst, "thrower")
                .expect("the module exports thrower");
            let r = caller.store.call(t, args).map_err(|e| match e {
                Error::Trap(t) => t,
                e => Trap::Host(e.to_string().into()),
            })?;
            results[0] = r[0];
            Ok(())
        },
    );
    let mut linker = Linker::new();
    linker.define("host", "call", Extern::Func(f));
    linker.define("env", "e", Extern::Tag(tag));
    let slow = linker
        .instantiate(&mut store, &module(SLOW_THROWER, Engine::Interp))
        .expect("instantiates");
    let thrower = store.export_func(slow, "thrower").expect("exported");
    linker.define("slow", "thrower", Extern::Func(thrower));
    let inst = linker.instantiate(&mut store, &m).expect("instantiates");
    let thrower = store.export_func(inst, "thrower").expect("exported");
    linker.define("main", "thrower", Extern::Func(thrower));
    let catcher = linker
        .instantiate(&mut store, &module(SLOW_CATCHER, Engine::Interp))
        .expect("instantiates");
    (store, inst, catcher)
}

#[test]
fn exceptions_are_caught_in_compiled_code_and_across_engines() {
    let m = module(EXCEPTIONS, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!(s.interpreted, 0, "{:?}", s.unsupported);
    let i64s = |v: i64| Ok(vec![Value::I64(v)]);
    let uncaught = || Err(Error::Trap(Trap::UncaughtException));
    type Case = (&'static str, Vec<Value>, Result<Vec<Value>, Error>);
    let cases: Vec<Case> = vec![
        ("local", i32s(&[0]), Ok(i32s(&[-1]))),
        ("local", i32s(&[5]), Ok(i32s(&[15]))),
        ("kinds", i32s(&[0, 0]), i64s(1000)),
        ("kinds", i32s(&[1, 0]), i64s(11)),
        ("kinds", i32s(&[1, 1]), i64s(11)),
        ("kinds", i32s(&[1, 2]), i64s(11)),
        ("kinds", i32s(&[2, 0]), i64s(4)),
        ("kinds", i32s(&[2, 1]), i64s(4)),
        ("kinds", i32s(&[3, 2]), i64s(4000)),
        ("kinds", i32s(&[5, 1]), i64s(1000)),
        ("retry", vec![], Ok(i32s(&[3]))),
        ("from_slow", i32s(&[0]), Ok(i32s(&[0]))),
        ("from_slow", i32s(&[2]), Ok(i32s(&[42]))),
        ("slow_catches", i32s(&[1]), Ok(i32s(&[11]))),
        ("slow_catches", i32s(&[4]), Ok(i32s(&[104]))),
        ("through_host", i32s(&[4]), Ok(i32s(&[104]))),
        ("through_host", i32s(&[1]), uncaught()),
        ("thrower", i32s(&[2]), uncaught()),
        ("tail", i32s(&[6]), Ok(i32s(&[106]))),
        ("tail", i32s(&[1]), uncaught()),
        ("tail_indirect", i32s(&[1]), uncaught()),
        ("tail_indirect", i32s(&[0]), Ok(i32s(&[0]))),
    ];
    for (name, args, want) in cases {
        for engine in [Engine::Interp, Engine::Jit] {
            let (mut store, inst, catcher) = exceptions(engine);
            let f = store
                .export_func(inst, name)
                .or_else(|| store.export_func(catcher, name))
                .expect("exported");
            assert_eq!(store.call(f, &args), want, "{name}{args:?} on {engine:?}");
        }
    }
}

/// The legacy exception instructions, compiled: `catch` by tag in clause
/// order, `catch_all`, `rethrow` from a nested clause, `delegate` to an
/// enclosing `try` and out of the function, a `try` without clauses
/// inside a `try_table`.
const LEGACY: &str = r#"
(module
  (tag $e (param i32))
  (tag $f (param i64))
  (tag $g)
  (func $throw_e (param i32) (throw $e (local.get 0)))
  (func $throw_f (param i64) (throw $f (local.get 0)))
  (func (export "clauses") (param i32) (result i32)
    (try (result i32)
      (do
        (if (i32.eq (local.get 0) (i32.const 1)) (then (call $throw_e (i32.const 10))))
        (if (i32.eq (local.get 0) (i32.const 2)) (then (call $throw_f (i64.const 20))))
        (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $e (i32.const 30))))
        (if (i32.eq (local.get 0) (i32.const 4)) (then (throw $g)))
        (i32.const 0))
      (catch $f (i32.add (i32.wrap_i64) (i32.const 1000)))
      (catch $e (i32.add (i32.const 100)))
      (catch_all (i32.const -1))))
  (func (export "rethrow") (param i32) (result i32) (local $v i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_e (local.get 0)) (i32.const 0))
          (catch $e
            (local.set $v)
            (if (i32.gt_s (local.get $v) (i32.const 5)) (then (rethrow 1)))
            (i32.add (local.get $v) (i32.const 1)))))
      (catch $e (i32.mul (i32.const 2)))))
  (func (export "delegate") (param i32) (result i32)
    (try (result i32)
      (do
        (block $b (result i32)
          (try (result i32)
            (do (call $throw_e (local.get 0)) (i32.const 0))
            (delegate 1))))
      (catch $e (i32.add (i32.const 500)))))
  (func (export "delegate_out") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_e (local.get 0)) (i32.const 0))
          (delegate 1)))
      (catch $e (i32.add (i32.const 500)))))
  (func (export "no_clause") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (try (do (call $throw_e (local.get 0))))
        (i32.const 0))))
)"#;

#[test]
fn legacy_exceptions_are_compiled_and_agree_with_the_interpreter() {
    let m = module_all(LEGACY, Engine::Jit);
    let s = m.jit_stats().expect("compiled");
    assert_eq!(s.interpreted, 0, "{:?}", s.unsupported);
    type Case = (&'static str, i32, Result<Vec<Value>, Error>);
    let uncaught = Err(Error::Trap(Trap::UncaughtException));
    let cases: Vec<Case> = vec![
        ("clauses", 0, Ok(i32s(&[0]))),
        ("clauses", 1, Ok(i32s(&[110]))),
        ("clauses", 2, Ok(i32s(&[1020]))),
        ("clauses", 3, Ok(i32s(&[130]))),
        ("clauses", 4, Ok(i32s(&[-1]))),
        ("rethrow", 3, Ok(i32s(&[4]))),
        ("rethrow", 9, Ok(i32s(&[18]))),
        ("delegate", 7, Ok(i32s(&[507]))),
        ("delegate_out", 7, uncaught.clone()),
        ("no_clause", 8, Ok(i32s(&[8]))),
    ];
    for (name, arg, want) in cases {
        for engine in [Engine::Interp, Engine::Jit] {
            let m = module_all(LEGACY, engine);
            let mut store = Store::new();
            let inst = Linker::new()
                .instantiate(&mut store, &m)
                .expect("instantiates");
            let f = store.export_func(inst, name).expect("exported");
            assert_eq!(
                store.call(f, &i32s(&[arg])),
                want,
                "{name}({arg}) on {engine:?}"
            );
        }
    }
}

#[test]
fn compiled_modules_instantiated_after_interpreted_code_are_translated() {
    // The store already runs interpreted code when the compiled module
    // arrives: its functions get their translation at once, and a table
    // the interpreted code reads later holds them.
    let mut store = Store::new();
    let mut linker = Linker::new();
    let first = module(
        r#"(module (table (export "tab") 1 funcref)
             (func (export "call0") (param i32) (result i32)
               (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))"#,
        Engine::Interp,
    );
    let inst1 = linker
        .instantiate(&mut store, &first)
        .expect("instantiates");
    let call0 = store.export_func(inst1, "call0").expect("call0");
    linker.define_instance(&store, "t", inst1);
    let second = module(
        r#"(module (import "t" "tab" (table 1 funcref))
             (elem (i32.const 0) $h)
             (func $h (param i32) (result i32) (i32.add (local.get 0) (i32.const 100))))"#,
        Engine::Jit,
    );
    linker
        .instantiate(&mut store, &second)
        .expect("instantiates");
    assert_eq!(store.call(call0, &i32s(&[1])), Ok(i32s(&[101])));
}

#[test]
fn a_tail_call_from_a_tail_called_function_stays_in_its_argument_area() {
    // `k` calls `f` with one slot for it; `f` tail-calls `g`, whose seven
    // arguments go through the tail buffer; `g` tail-calls `h`, whose six
    // arguments must not land in the one slot `k` gave `f` (they would
    // overwrite `k`'s frame beyond it: its local `$s`, its results'
    // address).
    let text = r#"
(module
  (func $h (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (local.get 4) (local.get 5))))
  (func $g (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (return_call $h (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                    (i32.add (local.get 5) (local.get 6))))
  (func $f (param i32) (result i32)
    (return_call $g (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)
                    (i32.const 5) (i32.const 6)))
  (func (export "k") (param i32) (result i64) (local $s i64)
    (local.set $s (i64.const 77))
    (i64.add (i64.extend_i32_u (call $f (local.get 0))) (local.get $s))))"#;
    assert_eq!(
        both(text, "k", &i32s(&[4])),
        Ok(vec![Value::I64(4 + 21 + 77)])
    );
}

/// Locals and globals the JIT keeps in registers (a write-through cache,
/// preloaded by loops, conformed at every merge): values must survive
/// shifting locals, both arms of an `if`, `br_table` exits, calls that
/// change a global (a `global.get` read before the call keeps the old
/// value), floats in SSE registers, and many locals at once (more than
/// the registers).
const CACHED: &str = r#"
(module
  (global $g (mut i32) (i32.const 5))
  (global $h (mut f64) (f64.const 0.5))
  (func $bump (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 3)))
    (i32.const 100))
  (func (export "shift") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $out
      (loop $l
        (br_if $out (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i64.add (i64.mul (local.get $a) (i64.const 1000)) (local.get $b)))
  (func (export "arms") (param $n i32) (result i32)
    (local $i i32) (local $x i32) (local $y i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $x (i32.add (local.get $x) (local.get $i))))
        (else
          (local.set $y (i32.xor (local.get $y) (local.get $i)))
          (local.set $x (i32.sub (local.get $x) (i32.const 1)))))
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $y (i32.add (local.get $y) (i32.const 7)))
        (br $b2))
        (local.set $x (i32.mul (local.get $x) (i32.const 3))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (i32.add (i32.mul (local.get $x) (i32.const 31)) (local.get $y)))
  (func (export "calls") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      ;; $g read before the call that changes it, and after.
      (local.set $acc (i32.add (local.get $acc)
        (i32.add (global.get $g) (call $bump))))
      (local.set $acc (i32.add (local.get $acc) (global.get $g)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $acc) (global.get $g)))
  (func (export "floats") (param $n i32) (param $x f64) (result f64)
    (local $s f64) (local $k i64)
    (loop $l
      (local.set $s (f64.add (local.get $s)
        (f64.mul (local.get $x) (global.get $h))))
      (global.set $h (f64.add (global.get $h) (f64.const 0.25)))
      (local.set $k (i64.add (local.get $k) (i64.const -1)))
      (local.set $s (f64.add (local.get $s)
        (f64.div (f64.convert_i64_u (local.get $k)) (f64.const 1e19))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "many") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local $f i32) (local $g i32) (local $h i32) (local $i i32) (local $j i32)
    (loop $l
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (local.get $a)))
      (local.set $c (i32.add (local.get $c) (local.get $b)))
      (local.set $d (i32.xor (local.get $d) (local.get $c)))
      (local.set $e (i32.add (local.get $e) (i32.mul (local.get $d) (local.get $a))))
      (local.set $f (i32.sub (local.get $f) (local.get $e)))
      (local.set $g (i32.add (local.get $g) (i32.rotl (local.get $f) (local.get $b))))
      (local.set $h (i32.add (local.get $h) (i32.and (local.get $g) (local.get $c))))
      (local.set $i (i32.or (local.get $i) (i32.shr_u (local.get $h) (i32.const 3))))
      (local.set $j (i32.add (local.get $j)
        (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
                 (i32.add (i32.add (local.get $e) (local.get $f)) (i32.add (local.get $g) (local.get $h))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $i) (local.get $j)))
)
"#;

#[test]
fn cached_locals_and_globals_survive_merges_and_calls() {
    for n in [0, 1, 2, 7, 40] {
        let r = both(CACHED, "shift", &i32s(&[n]));
        assert!(r.is_ok(), "shift {n}: {r:?}");
        assert!(both(CACHED, "arms", &i32s(&[n])).is_ok());
        assert!(both(CACHED, "many", &i32s(&[n.max(1)])).is_ok());
        assert!(both(CACHED, "calls", &i32s(&[n.max(1)])).is_ok());
        let r = both(
            CACHED,
            "floats",
            &[
                Value::I32(n.max(1)),
                Value::F64(weft_ast::Ieee64(1.5f64.to_bits())),
            ],
        );
        assert!(r.is_ok(), "floats {n}: {r:?}");
    }
    // Known answers, so that both engines being wrong alike fails too.
    assert_eq!(
        both(CACHED, "shift", &i32s(&[10])),
        Ok(vec![Value::I64(55 * 1000 + 89)])
    );
    // Each round adds $g before the call (g), the call's 100, then $g
    // after it (g + 3): from g = 5, two rounds: (5 + 100 + 8) + (8 + 100
    // + 11), then the final $g, 11.
    assert_eq!(both(CACHED, "calls", &i32s(&[2])), Ok(i32s(&[232 + 11])));
}

#[test]
fn indirect_calls_through_the_cache_see_every_change_of_the_table() {
    // Seventy functions of one type (more than the indirect-call cache
    // holds, so that references share its entries), each adding its index,
    // and one of another type: calls through table 0 fill the cache and
    // hit it; a changed element, a type that does not match, a null
    // element and an index out of bounds are seen on every call.
    let n = 70;
    let mut text = String::from(
        "(module
          (type $ii (func (param i32) (result i32)))
          (type $jj (func (param i32) (result i32)))
          (type $l (func (param i64) (result i64)))
          (func $other (type $l) (local.get 0))\n",
    );
    for i in 0..n {
        text += &format!("(func $f{i} (type $ii) (i32.add (local.get 0) (i32.const {i})))\n");
    }
    text += &format!("(table {} funcref)\n(elem (i32.const 0)", n + 2);
    for i in 0..n {
        text += &format!(" $f{i}");
    }
    text += r#")
      (elem declare func $other $f3)
      (func $at (param i32 i32) (result i32)
        (call_indirect (type $ii) (local.get 1) (local.get 0)))
      ;; Every element twice (the second round hits the cache): the sum of
      ;; (x + i) over both rounds.
      (func (export "sum") (param $x i32) (result i32)
        (local $i i32) (local $acc i32) (local $round i32)
        (loop $rounds
          (local.set $i (i32.const 0))
          (loop $each
            (local.set $acc (i32.add (local.get $acc)
              (call $at (local.get $i) (local.get $x))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $each (i32.lt_u (local.get $i) (i32.const 70))))
          (local.set $round (i32.add (local.get $round) (i32.const 1)))
          (br_if $rounds (i32.lt_u (local.get $round) (i32.const 2))))
        (local.get $acc))
      ;; Element 5 called, then replaced by $f3, then called again.
      (func (export "replaced") (param $x i32) (result i32)
        (drop (call $at (i32.const 5) (local.get $x)))
        (table.set (i32.const 5) (ref.func $f3))
        (call $at (i32.const 5) (local.get $x)))
      ;; Element 6 called, then replaced by a function of another type.
      (func (export "mismatch") (param $x i32) (result i32)
        (drop (call $at (i32.const 6) (local.get $x)))
        (table.set (i32.const 6) (ref.func $other))
        (call $at (i32.const 6) (local.get $x)))
      ;; Element 7 called, then nulled.
      (func (export "nulled") (param $x i32) (result i32)
        (drop (call $at (i32.const 7) (local.get $x)))
        (table.set (i32.const 7) (ref.null func))
        (call $at (i32.const 7) (local.get $x)))
      ;; The same reference through an equivalent type index.
      (func (export "equivalent") (param $x i32) (result i32)
        (i32.add (call $at (i32.const 8) (local.get $x))
          (call_indirect (type $jj) (local.get $x) (i32.const 8))))
      (func (export "at") (param i32 i32) (result i32)
        (call $at (local.get 0) (local.get 1))))"#;
    let sum: i32 = (0..n).map(|i| 2 * (10 + i)).sum();
    assert_eq!(both(&text, "sum", &i32s(&[10])), Ok(i32s(&[sum])));
    assert_eq!(both(&text, "replaced", &i32s(&[10])), Ok(i32s(&[13])));
    assert_eq!(
        both(&text, "mismatch", &i32s(&[10])),
        Err(Error::Trap(Trap::IndirectCallTypeMismatch))
    );
    assert_eq!(
        both(&text, "nulled", &i32s(&[10])),
        Err(Error::Trap(Trap::UninitializedElement(7)))
    );
    assert_eq!(both(&text, "equivalent", &i32s(&[10])), Ok(i32s(&[36])));
    assert_eq!(
        both(&text, "at", &i32s(&[n + 2, 1])),
        Err(Error::Trap(Trap::UndefinedElement))
    );
    assert_eq!(
        both(&text, "at", &i32s(&[-1, 1])),
        Err(Error::Trap(Trap::UndefinedElement))
    );
}

#[test]
fn an_indirect_callee_of_another_instance_runs_with_its_own_instance() {
    // `lib`'s table holds `lib`'s function reading `lib`'s global; `app`
    // calls through that table (imported) twice: the callee is never
    // cached as `app`'s own code, so it reads 111 both times, not `app`'s
    // 222.
    let lib = r#"(module
      (global $g i32 (i32.const 111))
      (func $get (result i32) (global.get $g))
      (table (export "t") funcref (elem $get)))"#;
    let app = r#"(module
      (import "lib" "t" (table 1 funcref))
      (global $g i32 (i32.const 222))
      (func (export "twice") (result i32)
        (i32.add (call_indirect (result i32) (i32.const 0))
          (i32.mul (call_indirect (result i32) (i32.const 0)) (i32.const 1000)))))"#;
    let mut store = Store::new();
    let lib_inst = Linker::new()
        .instantiate(&mut store, &module(lib, Engine::Jit))
        .expect("instantiates");
    let t = store.export(lib_inst, "t").expect("exported");
    let mut l = Linker::new();
    l.define("lib", "t", t);
    let app_inst = l
        .instantiate(&mut store, &module(app, Engine::Jit))
        .expect("instantiates");
    let f = store.export_func(app_inst, "twice").expect("exported");
    for _ in 0..3 {
        assert_eq!(store.call(f, &[]), Ok(i32s(&[111_111])));
    }
}
