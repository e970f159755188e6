//! Guard-page memories: a 32-bit memory reserved with its guard, and the
//! signal handler that turns a compiled access falling into the guard into
//! `out of bounds memory access`.
//!
//! # The reservation
//!
//! A guarded memory reserves [`RESERVE`] bytes (8 GiB) of address space
//! with no access, and makes read+write only its current pages; growing
//! makes more of them read+write in place, so its base never moves. A
//! compiled load or store adds a zero-extended `i32` address to the base
//! plus a static offset below 2^31 (larger offsets take the explicit
//! path), and reads at most 16 bytes: it reaches at most 6 GiB + 16 past
//! the base, inside the reservation, so an access beyond the memory's
//! length faults instead of touching other data. The reservation is
//! `MAP_NORESERVE`: it costs address space, not memory. Where it cannot be
//! made (`ulimit -v`, address space exhausted), the memory is an ordinary
//! one and instances on it run explicitly checked code.
//!
//! Rust code never reaches past a memory's length: it sees the bytes as a
//! slice of the committed length, and the interpreter and helpers keep
//! their explicit checks; only compiled code's unchecked accesses can hit
//! the guard.
//!
//! # Trap sites and the handler
//!
//! A module compiled for guarded memories records the code offset of each
//! unchecked access (its *trap sites*, sorted) and registers its code
//! region with them in [`REGISTRY`]. A SIGSEGV/SIGBUS handler, installed
//! once per process, looks the faulting instruction pointer up: at a trap
//! site of a registered region, it points the context's instruction
//! pointer at the region's trap stub, which returns status
//! `out of bounds memory access` from the entry trampoline as every other
//! trap does (r15 still holds the context). Any other fault goes to the
//! handler installed before ours: called if it is a function, else
//! restored (the default action for the default or ignored disposition)
//! so that the faulting instruction, run again, gets it.
//!
//! # Why the look-up is async-signal-safe
//!
//! The handler may interrupt any code, including code holding the
//! registry's mutex or the allocator's locks, so it takes no lock and
//! allocates nothing. The registry is a fixed array of slots, each a
//! sequence lock: writers (registration and its removal, serialized by a
//! mutex the handler never takes) make the slot's sequence odd, write its
//! fields, and make it even again; the handler reads the sequence, the
//! fields and the sequence again, and uses the fields only if both reads
//! agree and are even (a consistent snapshot of a registration). A
//! snapshot whose range holds the faulting instruction is the faulting
//! module's own: registered ranges are of mapped code (a region is
//! removed before its code is unmapped), mapped regions are disjoint, and
//! the code at that address is what this thread is running. That module's
//! trap sites live as long as its code, which the running entry keeps
//! alive, so the handler may read them.

use std::sync::Mutex;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

use dynasmrt::x64::X64Relocation;
use dynasmrt::{DynasmApi, VecAssembler, dynasm};

use crate::jit::entry::TrapCode;

/// Bytes of address space a guarded memory reserves: 4 GiB of memory and
/// 4 GiB of guard.
pub(crate) const RESERVE: usize = 8 << 30;

/// Host pages are 4 KiB on every x86-64 target the JIT runs on; a Wasm
/// page (64 KiB) is a whole number of them.
const HOST_PAGE: usize = 4096;

/// A guarded memory's address space: `RESERVE` bytes, the first `len`
/// readable and writable.
pub(crate) struct Reservation {
    base: *mut u8,
    len: usize,
}

// SAFETY: the reservation owns its mapping outright (like a `Vec`'s
// buffer); it is reached through `&`/`&mut` like any owned bytes.
unsafe impl Send for Reservation {}
// SAFETY: as for `Send`: shared access only reads through `&[u8]`.
unsafe impl Sync for Reservation {}

impl Reservation {
    /// Reserves the address space and commits `len` bytes (zero), and
    /// installs the signal handler (once); `None` if the space cannot be
    /// reserved or `len` exceeds 4 GiB.
    pub fn new(len: usize) -> Option<Reservation> {
        if len > RESERVE / 2 {
            return None;
        }
        install_handler();
        #[cfg(target_os = "linux")]
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
        #[cfg(not(target_os = "linux"))]
        let flags = libc::MAP_PRIVATE | libc::MAP_ANON;
        // SAFETY: a fresh anonymous mapping with no access, at an address
        // the system picks: it overlaps nothing of ours.
        let p = unsafe { libc::mmap(std::ptr::null_mut(), RESERVE, libc::PROT_NONE, flags, -1, 0) };
        if p == libc::MAP_FAILED {
            return None;
        }
        let mut r = Reservation {
            base: p.cast(),
            len: 0,
        };
        r.grow(len).then_some(r)
    }

    /// Makes the bytes up to `new_len` (no less than the current length,
    /// at most 4 GiB) readable and writable: they are zero, never touched
    /// before. False if the system refuses.
    pub fn grow(&mut self, new_len: usize) -> bool {
        if new_len < self.len || new_len > RESERVE / 2 {
            return false;
        }
        let from = self.len / HOST_PAGE * HOST_PAGE;
        let to = new_len.div_ceil(HOST_PAGE) * HOST_PAGE;
        if to > from {
            // SAFETY: `[from, to)` lies inside the reservation (`to` is at
            // most 4 GiB), which this value owns; pages already committed
            // keep their bytes under `mprotect`.
            let r = unsafe {
                libc::mprotect(
                    self.base.add(from).cast(),
                    to - from,
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if r != 0 {
                return false;
            }
        }
        self.len = new_len;
        true
    }

    /// The first byte's address (fixed for the reservation's life).
    pub fn base(&self) -> *mut u8 {
        self.base
    }

    /// The committed bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the first `len` bytes are mapped read+write and owned
        // by this value; the shared borrow of `self` keeps them unchanged.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }

    /// The committed bytes, writable.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as for `bytes`, with `&mut self` making the access
        // exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.base, self.len) }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`; the memory owning it is being
        // dropped, so no code holds its bytes (compiled code reads the base
        // from its context only while its store, which owns the memory, is
        // alive and running it).
        unsafe {
            libc::munmap(self.base.cast(), RESERVE);
        }
    }
}

/// The trap stub of a module compiled for guarded memories: what the
/// handler resumes at. It returns `out of bounds memory access` from the
/// entry trampoline, undoing the trampoline's frame exactly as the trap
/// exit of every function does (`compile.rs`, `FnCompiler::run`).
pub(crate) fn trap_stub() -> Vec<u8> {
    let mut a = VecAssembler::<X64Relocation>::new(0);
    dynasm!(a
        ; .arch x64
        ; mov eax, TrapCode::OutOfBounds as i32
    );
    super::compile::return_to_host(&mut a);
    a.finalize().expect("the stub has no labels")
}

/// Slots of the registry: modules compiled for guarded memories alive at
/// once (a module that finds it full runs explicitly checked code).
const SLOTS: usize = 4096;

/// One registered code region, behind a sequence lock.
struct Slot {
    /// Even when stable, odd while being written.
    seq: AtomicUsize,
    /// The region's first byte (0: the slot is free).
    start: AtomicUsize,
    /// Its length.
    len: AtomicUsize,
    /// Its sorted trap sites (offsets from `start`), and how many.
    sites: AtomicUsize,
    sites_len: AtomicUsize,
    /// The trap stub's address.
    stub: AtomicUsize,
}

#[allow(clippy::declare_interior_mutable_const)]
const FREE: Slot = Slot {
    seq: AtomicUsize::new(0),
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    sites: AtomicUsize::new(0),
    sites_len: AtomicUsize::new(0),
    stub: AtomicUsize::new(0),
};

/// Every module compiled for guarded memories, while its code is mapped.
static REGISTRY: [Slot; SLOTS] = [FREE; SLOTS];
/// Serializes the registry's writers (never taken by the handler).
static WRITERS: Mutex<()> = Mutex::new(());

impl Slot {
    /// Writes the fields (under `WRITERS`), bracketed by the sequence.
    fn write(&self, start: usize, len: usize, sites: &[u32], stub: usize) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s + 1, Ordering::Relaxed);
        fence(Ordering::Release);
        self.start.store(start, Ordering::Relaxed);
        self.len.store(len, Ordering::Relaxed);
        self.sites.store(sites.as_ptr() as usize, Ordering::Relaxed);
        self.sites_len.store(sites.len(), Ordering::Relaxed);
        self.stub.store(stub, Ordering::Relaxed);
        self.seq.store(s + 2, Ordering::Release);
    }
}

/// A module's code region in the registry, removed when dropped (before
/// the code is unmapped: `Compiled` declares it before its buffer).
pub(crate) struct Registration {
    slot: usize,
}

impl Registration {
    /// Registers `[start, start + len)` with its sorted trap sites and its
    /// stub; `None` if the registry is full. `sites` must stay where it is
    /// until the registration is dropped.
    pub fn new(start: *const u8, len: usize, sites: &[u32], stub: *const u8) -> Option<Self> {
        let _w = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
        let slot = REGISTRY
            .iter()
            .position(|s| s.start.load(Ordering::Relaxed) == 0)?;
        REGISTRY[slot].write(start as usize, len, sites, stub as usize);
        Some(Registration { slot })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _w = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
        REGISTRY[self.slot].write(0, 0, &[], 0);
    }
}

/// The trap stub to resume at for a fault at `pc`, if `pc` is a trap site
/// of a registered region. Async-signal-safe: atomics and reads of the
/// running module's sites only (see the module's documentation).
fn stub_for(pc: usize) -> Option<usize> {
    for slot in &REGISTRY {
        let s1 = slot.seq.load(Ordering::Acquire);
        if s1 & 1 == 1 {
            continue;
        }
        let start = slot.start.load(Ordering::Relaxed);
        let len = slot.len.load(Ordering::Relaxed);
        let sites = slot.sites.load(Ordering::Relaxed);
        let sites_len = slot.sites_len.load(Ordering::Relaxed);
        let stub = slot.stub.load(Ordering::Relaxed);
        fence(Ordering::Acquire);
        if slot.seq.load(Ordering::Relaxed) != s1 || start == 0 {
            continue;
        }
        if pc < start || pc - start >= len {
            continue;
        }
        // SAFETY: a consistent snapshot of a registration whose region
        // holds the faulting instruction, which this thread is running:
        // the module is alive, and its sites (`sites_len` of them, kept
        // with its code) with it.
        let sites = unsafe { std::slice::from_raw_parts(sites as *const u32, sites_len) };
        let at = u32::try_from(pc - start).ok()?;
        return sites.binary_search(&at).is_ok().then_some(stub);
    }
    None
}

/// The handlers in place before ours (SIGSEGV, SIGBUS), written once
/// before ours is installed and only read afterwards.
struct Previous(std::cell::UnsafeCell<[std::mem::MaybeUninit<libc::sigaction>; 2]>);

// SAFETY: written only inside `INSTALL` before the handler that reads it
// is installed; read-only afterwards.
unsafe impl Sync for Previous {}

static PREVIOUS: Previous = Previous(std::cell::UnsafeCell::new(
    [std::mem::MaybeUninit::uninit(); 2],
));
static INSTALL: Once = Once::new();

fn slot_of(sig: libc::c_int) -> usize {
    usize::from(sig == libc::SIGBUS)
}

/// Installs the handler for SIGSEGV and SIGBUS, once per process.
fn install_handler() {
    INSTALL.call_once(|| {
        for sig in [libc::SIGSEGV, libc::SIGBUS] {
            // SAFETY: `sigaction` with valid pointers: the previous
            // disposition is read into `PREVIOUS` (written here only,
            // before our handler exists to read it), then ours installed.
            // The handler is async-signal-safe (see `handler`).
            unsafe {
                let prev = (*PREVIOUS.0.get())[slot_of(sig)].as_mut_ptr();
                libc::sigaction(sig, std::ptr::null(), prev);
                let mut act: libc::sigaction = std::mem::zeroed();
                act.sa_sigaction = handler as *const () as usize;
                act.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut act.sa_mask);
                libc::sigaction(sig, &act, std::ptr::null_mut());
            }
        }
    });
}

/// The instruction pointer of a signal's context.
///
/// # Safety
/// `uc` is the `ucontext_t` the kernel passed the handler.
unsafe fn pc_of(uc: *mut libc::c_void) -> *mut usize {
    #[cfg(target_os = "linux")]
    {
        let uc = uc.cast::<libc::ucontext_t>();
        // SAFETY: the caller's: a valid context; RIP is a general register
        // of its machine context.
        unsafe { (&raw mut (*uc).uc_mcontext.gregs[libc::REG_RIP as usize]).cast() }
    }
    #[cfg(target_os = "macos")]
    {
        let uc = uc.cast::<libc::ucontext_t>();
        // SAFETY: the caller's: a valid context, whose machine context
        // holds the thread state with rip.
        unsafe { (&raw mut (*(*uc).uc_mcontext).__ss.__rip).cast() }
    }
}

/// The SIGSEGV/SIGBUS handler: a fault at a trap site resumes at its
/// module's trap stub; any other goes to the previous handler.
extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid context to an SA_SIGINFO handler.
    let pc = unsafe { pc_of(uc) };
    // SAFETY: as above: the context is valid and ours to change until the
    // handler returns.
    if let Some(stub) = stub_for(unsafe { *pc }) {
        #[cfg(test)]
        tests::HANDLED.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above; the stub is code of the faulting module, which
        // needs only r15 (the context, as in all compiled code).
        unsafe { *pc = stub };
        return;
    }
    // SAFETY: `PREVIOUS` was filled before this handler was installed.
    let prev = unsafe { (*PREVIOUS.0.get())[slot_of(sig)].assume_init_ref() };
    let h = prev.sa_sigaction;
    if h == libc::SIG_DFL || h == libc::SIG_IGN {
        // Restore the default action and return: the faulting instruction
        // runs again and gets it (an ignored synchronous fault would only
        // repeat forever).
        // SAFETY: `sigaction` with a valid, zeroed disposition
        // (async-signal-safe).
        unsafe {
            let mut dfl: libc::sigaction = std::mem::zeroed();
            dfl.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
        }
    } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: the previous handler took SA_SIGINFO arguments; it gets
        // the ones the kernel gave us.
        unsafe {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(h);
            f(sig, info, uc);
        }
    } else {
        // SAFETY: a plain handler, called as the kernel would.
        unsafe {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
            f(sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Error, Linker, MemoryMode, Module, Store, StoreLimits, Trap, Value};

    /// Faults the handler turned into traps (unit tests only).
    pub(super) static HANDLED: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn the_registry_finds_trap_sites_of_registered_regions_only() {
        let code = [0u8; 64];
        let start = code.as_ptr();
        let stub = start.wrapping_add(60);
        let sites = [4u32, 17, 33];
        let r = Registration::new(start, code.len(), &sites, stub).expect("a free slot");
        let at = |o: usize| stub_for(start as usize + o);
        assert_eq!(at(17), Some(stub as usize));
        assert_eq!(at(4), Some(stub as usize));
        assert_eq!(at(18), None);
        assert_eq!(at(64), None);
        let other = [0u8; 16];
        let r2 = Registration::new(other.as_ptr(), other.len(), &[0], other.as_ptr())
            .expect("a free slot");
        assert_eq!(
            stub_for(other.as_ptr() as usize),
            Some(other.as_ptr() as usize)
        );
        drop(r);
        assert_eq!(at(17), None);
        assert_eq!(
            stub_for(other.as_ptr() as usize),
            Some(other.as_ptr() as usize)
        );
        drop(r2);
        assert_eq!(stub_for(other.as_ptr() as usize), None);
    }

    #[test]
    fn a_guarded_out_of_bounds_access_traps_through_the_handler() {
        let text = r#"(module (memory 1)
            (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"#;
        let ast = weft_wat::parse_module(text).expect("parses");
        let m =
            Module::with_engine(ast, weft_ast::Features::default(), Engine::Jit).expect("valid");
        let run = |mode: MemoryMode, addr: i32| {
            let mut store = Store::with_memory_mode(StoreLimits::default(), mode);
            let inst = Linker::new()
                .instantiate(&mut store, &m)
                .expect("instantiates");
            let f = store.export_func(inst, "load").expect("exported");
            store.call(f, &[Value::I32(addr)])
        };
        let oob = Err(Error::Trap(Trap::OutOfBoundsMemoryAccess));
        // The only test of this binary that faults: the count moves for
        // its faults alone.
        let handled = || HANDLED.load(Ordering::SeqCst);
        let before = handled();
        // Explicit: the check traps, nothing faults.
        assert_eq!(run(MemoryMode::Explicit, 65533), oob);
        assert_eq!(handled(), before);
        // Guarded: the access faults in the guard, the handler traps.
        assert_eq!(run(MemoryMode::Guarded, 65533), oob);
        assert_eq!(handled(), before + 1);
        assert_eq!(run(MemoryMode::Guarded, -1), oob);
        assert_eq!(handled(), before + 2);
        assert_eq!(run(MemoryMode::Guarded, 65532), Ok(vec![Value::I32(0)]));
        assert_eq!(handled(), before + 2);
    }
}
