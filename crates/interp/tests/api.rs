//! The embedder's API over memories, globals and the linker, each call
//! checked against what WebAssembly code sees through the same store; and
//! host functions that grow memory 0 in the middle of a call, which moves
//! its buffer under the interpreter's cached base pointer.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{call, instantiate, module};
use weft_ast::{AddrType, FuncType, GlobalType, Limits, MemoryType, ValType};
use weft_interp::{Error, Extern, Linker, Store, StoreLimits, Trap, Value};

fn memory_type(min: u64, max: Option<u64>) -> MemoryType {
    MemoryType {
        addr: AddrType::I32,
        limits: Limits { min, max },
        shared: false,
        page_size_log2: None,
    }
}

/// A memory handle of another store: an address this store does not have.
fn foreign_memory() -> weft_interp::Memory {
    let mut other = Store::new();
    other.memory(memory_type(0, None)).unwrap();
    other.memory(memory_type(0, None)).unwrap()
}

const PEEK_POKE: &str = r#"(module (memory (export "mem") 1 3)
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "size") (result i32) (memory.size))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;

fn exported_memory(store: &Store, inst: weft_interp::Instance) -> weft_interp::Memory {
    match store.export(inst, "mem") {
        Some(Extern::Memory(m)) => m,
        other => panic!("mem is {other:?}"),
    }
}

#[test]
fn memory_data_mut_writes_what_wasm_reads() {
    let mut store = Store::new();
    let inst = instantiate(&mut store, PEEK_POKE);
    let mem = exported_memory(&store, inst);
    let data = store.memory_data_mut(mem).unwrap();
    assert_eq!(data.len(), 65536);
    data[100..104].copy_from_slice(&0x1234_5678u32.to_le_bytes());
    data[65532..].copy_from_slice(&(-2i32).to_le_bytes());
    assert_eq!(
        call(&mut store, inst, "load", &[Value::I32(100)]),
        Ok(vec![Value::I32(0x1234_5678)])
    );
    assert_eq!(
        call(&mut store, inst, "load", &[Value::I32(65532)]),
        Ok(vec![Value::I32(-2)])
    );
    // And what wasm writes, the host reads.
    call(&mut store, inst, "store", &[Value::I32(8), Value::I32(-1)]).unwrap();
    assert_eq!(&store.memory_data(mem).unwrap()[8..12], &[0xff; 4]);
    assert!(matches!(
        store.memory_data_mut(foreign_memory()),
        Err(Error::BadHandle)
    ));
}

#[test]
fn memory_type_and_memory_grow_agree_with_wasm() {
    let mut store = Store::new();
    let inst = instantiate(&mut store, PEEK_POKE);
    let mem = exported_memory(&store, inst);
    assert_eq!(store.memory_type(mem).unwrap(), memory_type(1, Some(3)));

    // The host grows it: wasm sees the pages, zeroed, and the type's
    // minimum is the current size.
    assert_eq!(store.memory_grow(mem, 1).unwrap(), Some(1));
    assert_eq!(store.memory_type(mem).unwrap(), memory_type(2, Some(3)));
    assert_eq!(store.memory_data(mem).unwrap().len(), 2 * 65536);
    assert_eq!(call(&mut store, inst, "size", &[]), Ok(vec![Value::I32(2)]));
    assert_eq!(
        call(&mut store, inst, "load", &[Value::I32(2 * 65536 - 4)]),
        Ok(vec![Value::I32(0)])
    );

    // Wasm grows it: the host sees it.
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(1)]),
        Ok(vec![Value::I32(2)])
    );
    assert_eq!(store.memory_type(mem).unwrap(), memory_type(3, Some(3)));

    // Past the maximum: no growth, nothing changes; growing by 0 works.
    assert_eq!(store.memory_grow(mem, 1).unwrap(), None);
    assert_eq!(store.memory_grow(mem, u64::MAX).unwrap(), None);
    assert_eq!(store.memory_grow(mem, 0).unwrap(), Some(3));
    assert_eq!(store.memory_type(mem).unwrap(), memory_type(3, Some(3)));
    assert_eq!(store.memory_data(mem).unwrap().len(), 3 * 65536);

    assert!(matches!(
        store.memory_type(foreign_memory()),
        Err(Error::BadHandle)
    ));
    assert!(matches!(
        store.memory_grow(foreign_memory(), 1),
        Err(Error::BadHandle)
    ));
}

#[test]
fn memory_grow_respects_the_store_limit_and_page_size() {
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 3 * 65536,
        ..StoreLimits::default()
    });
    let mem = store.memory(memory_type(1, None)).unwrap();
    assert_eq!(store.memory_grow(mem, 2).unwrap(), Some(1));
    // A fourth page would pass the store's limit.
    assert_eq!(store.memory_grow(mem, 1).unwrap(), None);
    assert_eq!(store.memory_type(mem).unwrap(), memory_type(3, None));

    // One-byte pages: growth counts bytes, and the type keeps its page size.
    let mut store = Store::new();
    let small = MemoryType {
        page_size_log2: Some(0),
        ..memory_type(5, Some(10))
    };
    let mem = store.memory(small).unwrap();
    assert_eq!(store.memory_data(mem).unwrap().len(), 5);
    assert_eq!(store.memory_grow(mem, 3).unwrap(), Some(5));
    assert_eq!(store.memory_data(mem).unwrap().len(), 8);
    assert_eq!(
        store.memory_type(mem).unwrap(),
        MemoryType {
            limits: Limits {
                min: 8,
                max: Some(10)
            },
            ..small
        }
    );
    assert_eq!(store.memory_grow(mem, 3).unwrap(), None);
}

#[test]
fn global_type_is_the_declared_type() {
    let mut store = Store::new();
    let ty = GlobalType {
        val: ValType::I64,
        mutable: true,
    };
    let g = store.global(ty, Value::I64(7)).unwrap();
    assert_eq!(store.global_type(g).unwrap(), ty);
    let inst = instantiate(
        &mut store,
        r#"(module (global (export "c") f32 (f32.const 1)) (global (export "v") (mut i32) (i32.const 0)))"#,
    );
    for (name, val, mutable) in [("c", ValType::F32, false), ("v", ValType::I32, true)] {
        let Some(Extern::Global(g)) = store.export(inst, name) else {
            panic!("{name} is not a global");
        };
        assert_eq!(store.global_type(g).unwrap(), GlobalType { val, mutable });
    }
    // A handle of another store.
    let mut other = Store::new();
    other.global(ty, Value::I64(0)).unwrap();
    let foreign = other.global(ty, Value::I64(0)).unwrap();
    let mut one = Store::new();
    one.global(ty, Value::I64(0)).unwrap();
    assert!(matches!(one.global_type(foreign), Err(Error::BadHandle)));
}

#[test]
fn linker_get_gives_what_was_defined() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    assert_eq!(linker.get("env", "f"), None);
    let f = store.func(FuncType::default(), |_, _, _| Ok(()));
    let g = store.func(FuncType::default(), |_, _, _| Ok(()));
    linker.define("env", "f", Extern::Func(f));
    assert_eq!(linker.get("env", "f"), Some(Extern::Func(f)));
    // Module and name both count.
    assert_eq!(linker.get("env", "g"), None);
    assert_eq!(linker.get("other", "f"), None);
    // A definition replaces the earlier one.
    linker.define("env", "f", Extern::Func(g));
    assert_eq!(linker.get("env", "f"), Some(Extern::Func(g)));

    // An instance's exports, under the module name it is defined as.
    let inst = instantiate(&mut store, PEEK_POKE);
    linker.define_instance(&store, "m", inst);
    assert_eq!(linker.get("m", "mem"), store.export(inst, "mem"));
    assert_eq!(
        linker.get("m", "load"),
        store.export_func(inst, "load").map(Extern::Func)
    );
    assert_eq!(linker.get("m", "nothing"), None);
    // And what `get` gives links.
    let user = module(r#"(module (import "m" "load" (func (param i32) (result i32))))"#);
    linker.instantiate(&mut store, &user).unwrap();
}

/// The module of the mid-call tests: `run` writes a marker at 0, calls the
/// host (which grows memory 0, writes at its new end and gives that
/// address), then, before anything that would look up the memory again
/// (such as `memory.size`), reads the first marker back, writes a second
/// past the old end and reads the host's.
const GROWS_UNDER_ME: &str = r#"(module
    (import "host" "grow" (func $grow (param i32) (result i32)))
    (memory (export "mem") 1)
    (func (export "run") (param $pages i32) (result i32)
      (local $last i32)
      (i32.store (i32.const 0) (i32.const 0x11223344))
      (local.set $last (call $grow (local.get $pages)))
      (if (i32.ne (i32.load (i32.const 0)) (i32.const 0x11223344)) (then (unreachable)))
      (i32.store (i32.const 65536) (i32.const 0x55667788))
      (i32.load (local.get $last)))
    (func (export "wasm_grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;

/// A host function that grows memory 0 of its caller by `pages` (with the
/// store's API, or by calling back into wasm's `memory.grow`) until its
/// buffer has moved, writes a marker in its last word and returns that
/// word's address.
fn grow_until_moved(
    through_wasm: bool,
    moved: Arc<AtomicBool>,
) -> impl Fn(&mut weft_interp::Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap>
+ Send
+ Sync
+ 'static {
    move |caller, args, results| {
        let inst = caller.instance.expect("called from wasm");
        let Some(Extern::Memory(mem)) = caller.store.export(inst, "mem") else {
            return Err(Trap::Host("no memory".into()));
        };
        let Value::I32(pages) = args[0] else {
            return Err(Trap::Host("pages".into()));
        };
        let before = caller.store.memory_data(mem).unwrap().as_ptr();
        // Grow in steps until the buffer is somewhere else (a big enough
        // reallocation always moves it), within 200 pages.
        for _ in 0..200 {
            let grown = if through_wasm {
                let f = caller.store.export_func(inst, "wasm_grow").unwrap();
                match caller.store.call(f, &[Value::I32(pages)]) {
                    Ok(v) => v[0] != Value::I32(-1),
                    Err(e) => return Err(Trap::Host(e.to_string().into())),
                }
            } else {
                caller
                    .store
                    .memory_grow(mem, pages as u64)
                    .unwrap()
                    .is_some()
            };
            assert!(grown, "memory 0 did not grow");
            if caller.store.memory_data(mem).unwrap().as_ptr() != before {
                moved.store(true, Ordering::SeqCst);
                break;
            }
        }
        let data = caller.store.memory_data_mut(mem).unwrap();
        let end = data.len();
        data[end - 4..].copy_from_slice(&0x0bad_cafeu32.to_le_bytes());
        results[0] = Value::I32((end - 4) as i32);
        Ok(())
    }
}

/// Memory 0 grown (and so moved) by a host function in the middle of a
/// wasm call: the code after the call reads and writes the new buffer, at
/// addresses past the old end, and keeps what it wrote before.
#[test]
fn a_host_function_that_grows_memory_0_mid_call() {
    for through_wasm in [false, true] {
        let mut store = Store::new();
        let moved = Arc::new(AtomicBool::new(false));
        let ty = FuncType {
            params: vec![ValType::I32],
            results: vec![ValType::I32],
        };
        let grow = store.func(ty, grow_until_moved(through_wasm, moved.clone()));
        let mut linker = Linker::new();
        linker.define("host", "grow", Extern::Func(grow));
        let inst = linker
            .instantiate(&mut store, &module(GROWS_UNDER_ME))
            .unwrap();
        let result = call(&mut store, inst, "run", &[Value::I32(4)]);
        assert_eq!(
            result,
            Ok(vec![Value::I32(0x0bad_cafe)]),
            "through wasm: {through_wasm}"
        );
        assert!(moved.load(Ordering::SeqCst), "the buffer never moved");
        let mem = exported_memory(&store, inst);
        let data = store.memory_data(mem).unwrap();
        assert!(data.len() > 65536);
        assert_eq!(&data[0..4], &0x1122_3344u32.to_le_bytes());
        assert_eq!(&data[65536..65540], &0x5566_7788u32.to_le_bytes());
    }
}
