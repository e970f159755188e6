//! Where a guarded memory's reservation cannot be made (here `ulimit -v`:
//! an address-space limit below 8 GiB), the memory is an ordinary one and
//! its instances run explicitly checked code: out-of-bounds accesses
//! still trap, and growth still works. A test binary of its own, since it
//! limits the whole process's address space.

#![cfg(all(target_arch = "x86_64", target_os = "linux", feature = "jit"))]

use weft_ast::Features;
use weft_interp::{
    Engine, Error, Extern, Linker, MemoryMode, Module, Store, StoreLimits, Trap, Value,
};

/// The process's address space in use now, in bytes.
fn vm_size() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmSize:"))
        .expect("VmSize");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number");
    kib * 1024
}

#[test]
fn a_failed_reservation_falls_back_to_explicit_checks() {
    let text = r#"(module (memory (export "mem") 1)
         (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
         (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
         (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;
    let m = Module::with_engine(
        weft_wat::parse_module(text).expect("parses"),
        Features::default(),
        Engine::Jit,
    )
    .expect("valid");
    let mut old = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with valid pointers; the limit leaves
    // 2 GiB for the test (its stacks, the JIT's code and stack), not 8.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_AS, &mut old), 0);
        let limit = libc::rlimit {
            rlim_cur: vm_size() + (2 << 30),
            rlim_max: old.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_AS, &limit), 0);
    }
    let mut store = Store::with_memory_mode(StoreLimits::default(), MemoryMode::Guarded);
    let inst = Linker::new().instantiate(&mut store, &m);
    // SAFETY: as above, restoring the limit found.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &old);
    }
    let inst = inst.expect("instantiates");
    let Some(Extern::Memory(mem)) = store.export(inst, "mem") else {
        panic!("no memory export");
    };
    assert!(!store.memory_is_guarded(mem).expect("a memory"));
    let call = |store: &mut Store, name: &str, args: &[i32]| {
        let f = store.export_func(inst, name).expect("exported");
        let args: Vec<Value> = args.iter().map(|&a| Value::I32(a)).collect();
        store.call(f, &args)
    };
    let oob = Err(Error::Trap(Trap::OutOfBoundsMemoryAccess));
    assert_eq!(call(&mut store, "store8", &[65535, 3]), Ok(vec![]));
    assert_eq!(call(&mut store, "load8", &[65535]), Ok(vec![Value::I32(3)]));
    assert_eq!(call(&mut store, "load8", &[65536]), oob);
    assert_eq!(call(&mut store, "store8", &[-1, 3]), oob);
    assert_eq!(call(&mut store, "grow", &[1]), Ok(vec![Value::I32(1)]));
    assert_eq!(call(&mut store, "load8", &[65536]), Ok(vec![Value::I32(0)]));
    assert_eq!(call(&mut store, "load8", &[131072]), oob);
}
