//! Guarded memories (`MemoryMode::Guarded`): the JIT's unchecked loads and
//! stores against the interpreter's checked ones, at the boundary, with
//! offsets reaching into the guard, after `memory.grow`; which memories
//! are guarded; and a memory shared by two instances. Each case runs the
//! same calls on the interpreter (explicit store) and on the JIT (guarded
//! store) and compares results and traps.

#![cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]

use weft_ast::Features;
use weft_interp::{
    Engine, Error, Extern, Linker, MemoryMode, Module, Store, StoreLimits, Trap, Value,
};

const MEM: &str = r#"
(module
  (memory (export "mem") 1)
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load32_off") (param i32) (result i32) (i32.load offset=0x7fffffff (local.get 0)))
  (func (export "load16_off") (param i32) (result i32) (i32.load16_s offset=65534 (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64_off") (param i32 i64) (i64.store offset=8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
"#;

fn module(text: &str, engine: Engine) -> Module {
    let ast = weft_wat::parse_module(text).expect("test module parses");
    Module::with_engine(ast, Features::default(), engine).expect("valid")
}

/// An instance of `text` on the interpreter in an explicit store, and on
/// the JIT in a guarded one.
struct Pair {
    stores: [Store; 2],
    instances: [weft_interp::Instance; 2],
}

impl Pair {
    fn new(text: &str) -> Pair {
        let mut interp = Store::new();
        let mut jit = Store::with_memory_mode(StoreLimits::default(), MemoryMode::Guarded);
        let i = Linker::new()
            .instantiate(&mut interp, &module(text, Engine::Interp))
            .expect("instantiates");
        let j = Linker::new()
            .instantiate(&mut jit, &module(text, Engine::Jit))
            .expect("instantiates");
        Pair {
            stores: [interp, jit],
            instances: [i, j],
        }
    }

    /// Calls `name` on both; they must agree; the JIT's result.
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        for (store, &inst) in self.stores.iter_mut().zip(&self.instances) {
            let f = store.export_func(inst, name).expect("exported");
            out.push(store.call(f, args));
        }
        assert_eq!(out[0], out[1], "{name}{args:?}: interpreter vs guarded JIT");
        out.pop().expect("two results")
    }

    /// Whether the JIT store's exported memory `mem` is guarded.
    fn guarded(&self) -> bool {
        let Some(Extern::Memory(m)) = self.stores[1].export(self.instances[1], "mem") else {
            panic!("no memory export");
        };
        self.stores[1].memory_is_guarded(m).expect("a memory")
    }

    /// Both memories' bytes are equal.
    fn same_bytes(&self) {
        let bytes = |k: usize| {
            let Some(Extern::Memory(m)) = self.stores[k].export(self.instances[k], "mem") else {
                panic!("no memory export");
            };
            self.stores[k].memory_data(m).expect("a memory").to_vec()
        };
        assert!(bytes(0) == bytes(1), "memories differ");
    }
}

fn i32s(v: &[i32]) -> Vec<Value> {
    v.iter().map(|&x| Value::I32(x)).collect()
}

const OOB: Result<Vec<Value>, Error> = Err(Error::Trap(Trap::OutOfBoundsMemoryAccess));

#[test]
fn a_32_bit_memory_is_guarded_in_the_guarded_mode() {
    let p = Pair::new(MEM);
    assert!(p.guarded());
    // The explicit store's memory is not.
    let Some(Extern::Memory(m)) = p.stores[0].export(p.instances[0], "mem") else {
        panic!("no memory export");
    };
    assert!(!p.stores[0].memory_is_guarded(m).expect("a memory"));
}

#[test]
fn loads_and_stores_at_the_boundary() {
    let mut p = Pair::new(MEM);
    assert_eq!(p.call("store8", &i32s(&[65535, 0x5a])), Ok(vec![]));
    assert_eq!(p.call("load8", &i32s(&[65535])), Ok(i32s(&[0x5a])));
    assert_eq!(p.call("load8", &i32s(&[65536])), OOB);
    assert_eq!(p.call("store8", &i32s(&[65536, 1])), OOB);
    assert_eq!(p.call("store32", &i32s(&[65532, 0x01020304])), Ok(vec![]));
    assert_eq!(p.call("load32", &i32s(&[65532])), Ok(i32s(&[0x01020304])));
    // Straddling the end: partly in bounds, so nothing is written.
    assert_eq!(p.call("load32", &i32s(&[65533])), OOB);
    assert_eq!(p.call("store32", &i32s(&[65533, -1])), OOB);
    assert_eq!(p.call("store16", &i32s(&[65535, -1])), OOB);
    assert_eq!(p.call("load64", &i32s(&[65529])), OOB);
    assert_eq!(
        p.call("load64", &i32s(&[65528])),
        Ok(vec![Value::I64(0x0102_0304_0000_0000)])
    );
    // The largest addresses, far into the guard.
    assert_eq!(p.call("load32", &i32s(&[-1])), OOB);
    assert_eq!(p.call("store32", &i32s(&[-4, 7])), OOB);
    p.same_bytes();
}

#[test]
fn offsets_reach_into_the_guard() {
    let mut p = Pair::new(MEM);
    // 0xffffffff + 0x7fffffff: the farthest a compiled access reaches.
    assert_eq!(p.call("load32_off", &i32s(&[-1])), OOB);
    assert_eq!(p.call("load32_off", &i32s(&[0])), OOB);
    assert_eq!(p.call("load16_off", &i32s(&[0])), Ok(i32s(&[0])));
    assert_eq!(p.call("load16_off", &i32s(&[1])), OOB);
    assert_eq!(
        p.call("store64_off", &[Value::I32(65520), Value::I64(-2)]),
        Ok(vec![])
    );
    assert_eq!(
        p.call("store64_off", &[Value::I32(65521), Value::I64(-2)]),
        OOB
    );
    assert_eq!(p.call("load16_off", &i32s(&[0])), Ok(i32s(&[-1])));
    p.same_bytes();
}

#[test]
fn memory_grow_then_access() {
    let mut p = Pair::new(MEM);
    assert_eq!(p.call("load8", &i32s(&[65536])), OOB);
    assert_eq!(p.call("grow", &i32s(&[2])), Ok(i32s(&[1])));
    assert_eq!(p.call("size", &[]), Ok(i32s(&[3])));
    assert_eq!(p.call("store8", &i32s(&[65536, 9])), Ok(vec![]));
    assert_eq!(p.call("load8", &i32s(&[65536])), Ok(i32s(&[9])));
    assert_eq!(p.call("load8", &i32s(&[3 * 65536 - 1])), Ok(i32s(&[0])));
    assert_eq!(p.call("load8", &i32s(&[3 * 65536])), OOB);
    // Growth past the maximum (4 GiB) fails, leaving the memory as it was.
    assert_eq!(p.call("grow", &i32s(&[65536])), Ok(i32s(&[-1])));
    assert_eq!(p.call("load8", &i32s(&[3 * 65536])), OOB);
    assert!(p.guarded());
    p.same_bytes();
}

#[test]
fn the_host_grows_a_guarded_memory_in_place() {
    let mut p = Pair::new(MEM);
    let Some(Extern::Memory(m)) = p.stores[1].export(p.instances[1], "mem") else {
        panic!("no memory export");
    };
    let before = p.stores[1].memory_data(m).expect("a memory").as_ptr();
    assert_eq!(p.stores[1].memory_grow(m, 1), Ok(Some(1)));
    assert_eq!(
        p.stores[1].memory_data(m).expect("a memory").as_ptr(),
        before
    );
    p.stores[1].memory_data_mut(m).expect("a memory")[65536 + 5] = 42;
    let f = p.stores[1]
        .export_func(p.instances[1], "load8")
        .expect("exported");
    assert_eq!(p.stores[1].call(f, &i32s(&[65541])), Ok(i32s(&[42])));
    assert_eq!(p.stores[1].call(f, &i32s(&[2 * 65536])), OOB);
}

#[test]
fn memory64_and_custom_page_sizes_stay_explicit() {
    let features = Features::ALL;
    for (text, name) in [
        ("(module (memory (export \"mem\") i64 1))", "memory64"),
        (
            "(module (memory (export \"mem\") 1 (pagesize 1)))",
            "custom page size",
        ),
    ] {
        let ast = weft_wat::parse_module_with(text, features).expect("parses");
        let m = Module::with_engine(ast, features, Engine::Jit).expect("valid");
        let mut store = Store::with_memory_mode(StoreLimits::default(), MemoryMode::Guarded);
        let inst = Linker::new()
            .instantiate(&mut store, &m)
            .expect("instantiates");
        let Some(Extern::Memory(mem)) = store.export(inst, "mem") else {
            panic!("no memory export");
        };
        assert!(!store.memory_is_guarded(mem).expect("a memory"), "{name}");
    }
}

#[test]
fn a_guarded_memory_shared_by_two_instances() {
    // The second instance imports the first's memory: its code is the
    // guarded code too, and both see each other's stores.
    let mut store = Store::with_memory_mode(StoreLimits::default(), MemoryMode::Guarded);
    let a = Linker::new()
        .instantiate(&mut store, &module(MEM, Engine::Jit))
        .expect("instantiates");
    let Some(mem) = store.export(a, "mem") else {
        panic!("no memory export");
    };
    let mut linker = Linker::new();
    linker.define("a", "mem", mem);
    let b = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module (import "a" "mem" (memory 1))
                     (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
                     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
                Engine::Jit,
            ),
        )
        .expect("instantiates");
    let store8 = store.export_func(a, "store8").expect("exported");
    let load8 = store.export_func(b, "load8").expect("exported");
    let grow = store.export_func(b, "grow").expect("exported");
    assert_eq!(store.call(store8, &i32s(&[100, 77])), Ok(vec![]));
    assert_eq!(store.call(load8, &i32s(&[100])), Ok(i32s(&[77])));
    assert_eq!(store.call(load8, &i32s(&[65536])), OOB);
    assert_eq!(store.call(grow, &i32s(&[1])), Ok(i32s(&[1])));
    assert_eq!(store.call(store8, &i32s(&[65536, 5])), Ok(vec![]));
    assert_eq!(store.call(load8, &i32s(&[65536])), Ok(i32s(&[5])));
    assert_eq!(store.call(load8, &i32s(&[131072])), OOB);
}

#[test]
fn a_trap_in_one_thread_leaves_others_running() {
    // Each thread its own store; traps in all of them at once.
    let threads: Vec<_> = (0..4)
        .map(|k| {
            std::thread::spawn(move || {
                let mut p = Pair::new(MEM);
                for n in 0..50 {
                    let addr = 65536 + (k * 50 + n) * 4096;
                    assert_eq!(p.call("load32", &i32s(&[addr])), OOB);
                    assert_eq!(p.call("store8", &i32s(&[n, k])), Ok(vec![]));
                }
                p.same_bytes();
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no panic");
    }
}
