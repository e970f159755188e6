//! The guard-page signal handler chains: a fault that is not at one of
//! the JIT's trap sites (here, host code reading a page it protected)
//! reaches the SIGSEGV handler installed before weft's, while
//! out-of-bounds accesses of compiled code still trap. A test binary of
//! its own, since it installs a process-wide handler.

#![cfg(all(target_arch = "x86_64", target_os = "linux", feature = "jit"))]

use std::sync::atomic::{AtomicUsize, Ordering};

use weft_ast::Features;
use weft_interp::{Engine, Error, Linker, MemoryMode, Module, Store, StoreLimits, Trap, Value};

/// Faults the earlier handler saw.
static HITS: AtomicUsize = AtomicUsize::new(0);
/// The page the host code reads, protected until the earlier handler
/// opens it.
static PAGE: AtomicUsize = AtomicUsize::new(0);

extern "C" fn earlier(_sig: libc::c_int, info: *mut libc::siginfo_t, _uc: *mut libc::c_void) {
    // SAFETY: the kernel's siginfo for a SIGSEGV, which carries the
    // faulting address.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::SeqCst);
    HITS.fetch_add(1, Ordering::SeqCst);
    if addr == page {
        // SAFETY: the test's own page; readable, the read succeeds when
        // run again.
        unsafe {
            libc::mprotect(page as *mut libc::c_void, 4096, libc::PROT_READ);
        }
    } else {
        // Not the test's fault: die as the default action would.
        // SAFETY: `abort` is async-signal-safe.
        unsafe { libc::abort() };
    }
}

#[test]
fn a_fault_outside_compiled_code_reaches_the_earlier_handler() {
    // SAFETY: a fresh anonymous page with no access, and a handler
    // installed with valid arguments before weft installs its own.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        assert_ne!(p, libc::MAP_FAILED);
        PAGE.store(p as usize, Ordering::SeqCst);
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = earlier as *const () as usize;
        act.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut act.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGSEGV, &act, std::ptr::null_mut()),
            0
        );
    }
    let ast = weft_wat::parse_module(
        r#"(module (memory 1)
             (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    )
    .expect("parses");
    let m = Module::with_engine(ast, Features::default(), Engine::Jit).expect("valid");
    let mut store = Store::with_memory_mode(StoreLimits::default(), MemoryMode::Guarded);
    let inst = Linker::new()
        .instantiate(&mut store, &m)
        .expect("instantiates");
    let f = store.export_func(inst, "load8").expect("exported");
    let oob = Err(Error::Trap(Trap::OutOfBoundsMemoryAccess));
    // Compiled code's fault in the guard: weft's handler alone.
    assert_eq!(store.call(f, &[Value::I32(65536)]), oob);
    assert_eq!(HITS.load(Ordering::SeqCst), 0);
    // The host's own fault: passed on to the earlier handler.
    let page = PAGE.load(Ordering::SeqCst) as *const u8;
    // SAFETY: the page is mapped; the first read faults, the earlier
    // handler makes it readable, and the read runs again.
    let byte = unsafe { std::ptr::read_volatile(page) };
    assert_eq!(byte, 0);
    assert_eq!(HITS.load(Ordering::SeqCst), 1);
    // And compiled code still traps through weft's.
    assert_eq!(store.call(f, &[Value::I32(-1)]), oob);
    assert_eq!(store.call(f, &[Value::I32(65535)]), Ok(vec![Value::I32(0)]));
    assert_eq!(HITS.load(Ordering::SeqCst), 1);
}
