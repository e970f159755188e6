//! Limits that protect the host: call depth, the value stack, memories,
//! tables and GC objects, bounded per store.

mod common;

use common::{call, instantiate, module};

use weft_interp::{Error, Linker, Resource, Store, StoreLimits, Trap, Value};

#[test]
fn runaway_recursion_traps_instead_of_overflowing() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module (func $f (export "f") (param i64) (result i64)
             (i64.add (call $f (local.get 0)) (i64.const 1))))"#,
    );
    let err = call(&mut store, inst, "f", &[Value::I64(0)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::CallStackExhausted));
    assert_eq!(err.to_string(), "call stack exhausted");
    // The store stays usable after the trap.
    let err = call(&mut store, inst, "f", &[Value::I64(0)]).unwrap_err();
    assert_eq!(err, Error::Trap(Trap::CallStackExhausted));
}

#[test]
fn call_depth_limit_is_configurable() {
    let text = r#"(module (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let limits = StoreLimits {
        max_call_depth: 100,
        ..StoreLimits::default()
    };
    let mut store = Store::with_limits(limits);
    let inst = instantiate(&mut store, text);
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(90)]),
        Ok(vec![Value::I32(90)])
    );
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(200)]),
        Err(Error::Trap(Trap::CallStackExhausted))
    );
    // Deep but finite recursion works with the default limits.
    let mut store = Store::new();
    let inst = instantiate(&mut store, text);
    assert_eq!(
        call(&mut store, inst, "down", &[Value::I32(20_000)]),
        Ok(vec![Value::I32(20_000)])
    );
}

#[test]
fn tail_calls_run_in_constant_space() {
    let mut store = Store::with_limits(StoreLimits {
        max_call_depth: 10,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (func $count (export "count") (param i64 i64) (result i64)
             (if (result i64) (i64.eqz (local.get 0))
               (then (local.get 1))
               (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                         (i64.add (local.get 1) (i64.const 2)))))))"#,
    );
    assert_eq!(
        call(
            &mut store,
            inst,
            "count",
            &[Value::I64(1_000_000), Value::I64(0)]
        ),
        Ok(vec![Value::I64(2_000_000)])
    );
}

#[test]
fn memory_and_table_growth_respect_limits() {
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 3 * 65536,
        max_table_elements: 10,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (memory 1) (table 2 funcref)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(2)]),
        Ok(vec![Value::I32(1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(1)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow", &[Value::I32(0)]),
        Ok(vec![Value::I32(3)])
    );
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(8)]),
        Ok(vec![Value::I32(2)])
    );
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(1)]),
        Ok(vec![Value::I32(-1)])
    );
    // A 64-bit memory cannot wrap its size around: 2^48 pages of 64 KiB is
    // more than the address space, not zero bytes.
    let mut store64 = Store::new();
    let inst64 = instantiate(
        &mut store64,
        r#"(module (memory i64 1)
             (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))"#,
    );
    for delta in [1i64 << 48, (1 << 48) - 1, i64::MAX, -1] {
        assert_eq!(
            call(&mut store64, inst64, "grow", &[Value::I64(delta)]),
            Ok(vec![Value::I64(-1)])
        );
    }
    // A declared minimum beyond the limit fails instantiation cleanly,
    // naming the limit: the store holds 3 pages already.
    let big = module("(module (memory 4))");
    let err = Linker::new().instantiate(&mut store, &big).unwrap_err();
    assert_eq!(
        err,
        Error::ResourceLimit {
            resource: Resource::MemoryBytes,
            limit: 3 * 65536,
            needed: 7 * 65536,
        }
    );
    assert_eq!(
        err.to_string(),
        "resource limit exceeded: the store would hold 448 KiB of linear memory, \
         over its limit of 192 KiB of linear memory"
    );
}

/// The limits bound what the whole store holds, not each memory or table:
/// with several memories (multi-memory) or instances, the sum counts.
#[test]
fn limits_bound_the_whole_store() {
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 4 << 16,
        max_table_elements: 10,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (memory $a 1) (memory $b 1) (table $s 4 funcref) (table $t 4 funcref)
             (func (export "grow_a") (param i32) (result i32) (memory.grow $a (local.get 0)))
             (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
             (func (export "tgrow") (param i32) (result i32)
               (table.grow $t (ref.null func) (local.get 0))))"#,
    );
    // Two pages in use: two more in all, whichever memory takes them.
    assert_eq!(
        call(&mut store, inst, "grow_a", &[Value::I32(1)]),
        Ok(vec![Value::I32(1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow_b", &[Value::I32(2)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow_b", &[Value::I32(1)]),
        Ok(vec![Value::I32(1)])
    );
    assert_eq!(
        call(&mut store, inst, "grow_a", &[Value::I32(1)]),
        Ok(vec![Value::I32(-1)])
    );
    // Eight elements in use: two more.
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(3)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "tgrow", &[Value::I32(2)]),
        Ok(vec![Value::I32(4)])
    );
    // Another instance's memory counts too.
    let err = Linker::new()
        .instantiate(&mut store, &module("(module (memory 1))"))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::ResourceLimit {
            resource: Resource::MemoryBytes,
            ..
        }
    ));
    let err = Linker::new()
        .instantiate(&mut store, &module("(module (table 1 funcref))"))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::ResourceLimit {
            resource: Resource::TableElements,
            limit: 10,
            needed: 11,
        }
    ));
    // The host's own memories count as well.
    let page = weft_ast::MemoryType {
        addr: weft_ast::AddrType::I32,
        limits: weft_ast::Limits { min: 1, max: None },
        shared: false,
        page_size_log2: None,
    };
    assert!(store.memory(page).is_err());
}

#[test]
fn gc_objects_reach_the_host_and_respect_the_allocation_limit() {
    let mut store = Store::with_limits(StoreLimits {
        max_gc_bytes: 8000,
        ..StoreLimits::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (type $pair (struct (field (mut i8)) (field i64)))
             (type $bytes (array (mut i8)))
             (func (export "pair") (result (ref $pair))
               (struct.new $pair (i32.const 0x1ff) (i64.const -2)))
             (func (export "first") (param (ref null $pair)) (result i32)
               (struct.get_s $pair 0 (local.get 0)))
             (func (export "bytes") (param i32) (result anyref) (array.new_default $bytes (local.get 0)))
             (func (export "i31") (param anyref) (result i32) (i31.get_u (ref.cast i31ref (local.get 0)))))"#,
    );
    let pair = call(&mut store, inst, "pair", &[]).unwrap();
    let Value::AnyRef(Some(r)) = pair[0] else {
        panic!("a struct reference, got {pair:?}")
    };
    assert!(store.is_struct(r) && !store.is_array(r));
    // The packed field was wrapped to 8 bits on the way in: 0xff reads -1.
    assert_eq!(
        call(&mut store, inst, "first", &pair),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "first", &[Value::AnyRef(None)])
            .unwrap_err()
            .to_string(),
        "null structure reference"
    );
    assert_eq!(
        call(
            &mut store,
            inst,
            "i31",
            &[Value::AnyRef(Some(weft_interp::AnyRef::i31(77)))]
        ),
        Ok(vec![Value::I32(77)])
    );
    assert_eq!(
        call(&mut store, inst, "i31", &pair)
            .unwrap_err()
            .to_string(),
        "cast failure"
    );
    assert!(call(&mut store, inst, "bytes", &[Value::I32(100)]).is_ok());
    assert_eq!(
        call(&mut store, inst, "bytes", &[Value::I32(5000)]),
        Err(Error::Trap(Trap::AllocationLimit))
    );
}
