//! Entering compiled code from Rust, and leaving it by trap.
//!
//! Compiled code runs on a stack of its own (one per thread, 32 MiB
//! reserved, with a guard page), so that guest recursion is bounded by a
//! limit the prologues check rather than by the host thread's stack: the
//! outermost entry switches to it, entries nested through Rust (a host
//! function calling back into WebAssembly) stay on it. Its lowest 2 MiB
//! are left to the Rust code compiled code calls (helpers, host functions,
//! the interpreter), which the limit keeps compiled frames out of.
//!
//! The trampoline (generated with each module, `compile::trampoline`)
//! saves the callee-saved registers and its stack pointer in the context,
//! switches stacks if asked, and calls the function with the argument
//! slots' address in rax. A trap anywhere in compiled code restores the
//! saved stack pointer and returns the trap's code from the trampoline:
//! no Rust frame is ever unwound, since compiled code calls Rust only
//! through helpers that return before a trap leaves compiled code.

use std::cell::Cell;
use std::sync::Arc;

use crate::jit::ctx::{JitInstance, VmCtx, refresh, sync_fuel};
use crate::runtime::store::Store;
use crate::trap::Trap;

/// A trap code a compiled function returns: 0 is success, `PENDING` a trap
/// a helper left in the context, others a [`Trap`] without data.
pub(crate) const OK: u32 = 0;
/// The helper's trap is in `Rest::pending`.
pub(crate) const PENDING: u32 = 100;

/// The trap a code stands for.
pub(crate) fn trap_of(code: u32) -> Trap {
    match code {
        1 => Trap::Unreachable,
        2 => Trap::IntegerDivideByZero,
        3 => Trap::IntegerOverflow,
        4 => Trap::InvalidConversionToInteger,
        5 => Trap::OutOfBoundsMemoryAccess,
        6 => Trap::CallStackExhausted,
        7 => Trap::UndefinedElement,
        8 => Trap::IndirectCallTypeMismatch,
        9 => Trap::OutOfFuel,
        _ => Trap::Host(format!("compiled code returned unknown status {code}").into()),
    }
}

/// The code of a trap without data (see [`trap_of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub(crate) enum TrapCode {
    Unreachable = 1,
    DivideByZero = 2,
    Overflow = 3,
    OutOfBounds = 5,
    StackExhausted = 6,
    OutOfFuel = 9,
}

/// The trampoline's signature: context, function, argument slots, the
/// stack to switch to (0: stay).
pub(crate) type Trampoline =
    unsafe extern "sysv64" fn(*mut VmCtx, *const u8, *mut u64, usize) -> u32;

/// Bytes of the stack compiled code runs on.
const STACK_BYTES: usize = 32 << 20;
/// Bytes at its bottom kept for the Rust code compiled code calls.
const RUST_RESERVE: usize = 2 << 20;

/// A thread's stack for compiled code.
struct JitStack {
    base: *mut u8,
}

impl JitStack {
    fn new() -> Option<JitStack> {
        // SAFETY: an anonymous private mapping of fresh pages, which no
        // other code knows of; the first page becomes the guard.
        unsafe {
            #[cfg(target_os = "linux")]
            let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
            #[cfg(not(target_os = "linux"))]
            let flags = libc::MAP_PRIVATE | libc::MAP_ANON;
            let p = libc::mmap(
                std::ptr::null_mut(),
                STACK_BYTES,
                libc::PROT_READ | libc::PROT_WRITE,
                flags,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return None;
            }
            libc::mprotect(p, 4096, libc::PROT_NONE);
            Some(JitStack { base: p.cast() })
        }
    }

    /// The highest address (the stack grows down from it), 16-aligned.
    fn top(&self) -> usize {
        self.base as usize + STACK_BYTES
    }

    /// The lowest stack pointer compiled code may take.
    fn limit(&self) -> usize {
        self.base as usize + RUST_RESERVE
    }
}

impl Drop for JitStack {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer in use: the thread
        // that owned it is ending, so no compiled code runs on it.
        unsafe {
            libc::munmap(self.base.cast(), STACK_BYTES);
        }
    }
}

thread_local! {
    /// This thread's stack for compiled code, made on first use.
    static STACK: Option<JitStack> = JitStack::new();
    /// Whether this thread is running on it.
    static ON_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Runs compiled function `func` of `inst` with `args` (its parameters'
/// slots, sized for the larger of parameters and results, which it
/// overwrites with the results).
pub(crate) fn enter(
    store: &mut Store,
    inst: &Arc<JitInstance>,
    func: *const u8,
    args: &mut [u64],
) -> Result<(), Trap> {
    // The instance stays alive for the call even if a host function drops
    // the store's reference to it.
    let inst = inst.clone();
    let ctx = inst.ctx();
    let on_stack = ON_STACK.with(Cell::get);
    let Some((top, limit)) = STACK.with(|s| s.as_ref().map(|s| (s.top(), s.limit()))) else {
        return Err(Trap::Host("no stack for compiled code".into()));
    };
    let switch_to = if on_stack { 0 } else { top };
    // SAFETY: `ctx` is this instance's context, alive (held by `inst`), and
    // no other reference to it is live: compiled code is not running on it
    // now (it called into Rust, which called here), or runs nowhere.
    let saved = unsafe {
        let c = &mut *ctx;
        refresh(c, store);
        c.rest.pending = None;
        c.exn = 0;
        c.stack_limit = limit;
        c.entry_sp
    };
    let tramp: Trampoline = inst.code.trampoline();
    ON_STACK.with(|s| s.set(true));
    // SAFETY: the trampoline and `func` are code of `inst.code`, made
    // executable and alive as long as `inst`; `ctx` is the context their
    // code was compiled against (its instance's); `args` holds the slots of
    // `func`'s parameters and room for its results, as `compile` laid them
    // out. The stack switched to is this thread's, unused when `switch_to`
    // is not 0. Compiled code returns to the trampoline, by return or by
    // trap, and calls only helpers, which return.
    let status = unsafe { tramp(ctx, func, args.as_mut_ptr(), switch_to) };
    ON_STACK.with(|s| s.set(on_stack));
    // SAFETY: as above: compiled code has returned.
    let (pending, exn) = unsafe {
        let c = &mut *ctx;
        c.entry_sp = saved;
        // The store is the one entered with unless a host function replaced
        // it (the call then trapped, and the new store's fuel is its own).
        let st = c.store;
        let exn = std::mem::take(&mut c.exn);
        if (*st).id == c.rest.store_id {
            sync_fuel(c, &mut *st);
            if exn != 0 {
                // Left uncaught by compiled code: the caller may catch it.
                (*st).thrown = Some((exn - 1) as u32);
            }
        }
        if let Some(p) = c.rest.panic.take() {
            std::panic::resume_unwind(p);
        }
        (c.rest.pending.take(), exn)
    };
    match status {
        OK if exn != 0 => Err(Trap::UncaughtException),
        OK => Ok(()),
        PENDING => Err(pending.unwrap_or_else(|| trap_of(PENDING))),
        code => Err(trap_of(code)),
    }
}

/// `Store::call` of a compiled function, as the interpreter's `invoke`
/// does it (arguments checked, re-entry bounded, the backtrace cleared,
/// one unit of fuel charged); `None` if `f` is not compiled.
pub(crate) fn invoke(
    store: &mut Store,
    f: crate::Func,
    args: &[crate::Value],
) -> Option<Result<Vec<crate::Value>, crate::Error>> {
    let crate::runtime::store::FuncInst::Wasm { ty, instance, .. } =
        store.funcs.get(f.0 as usize)?
    else {
        return None;
    };
    let (ty, instance) = (*ty, *instance);
    let jit = store.instances.get(instance as usize)?.jit.clone()?;
    let entry = jit.entry_of(f.0)?;
    Some(run(store, &jit, entry, ty, args))
}

/// How deeply host functions may re-enter WebAssembly (the interpreter's
/// bound).
const MAX_REENTRY: u32 = 100;

fn run(
    store: &mut Store,
    jit: &Arc<JitInstance>,
    entry: *const u8,
    ty: crate::runtime::store::TypeId,
    args: &[crate::Value],
) -> Result<Vec<crate::Value>, crate::Error> {
    use crate::value::{slots, slots_of};
    let mut fty = store.type_of(ty).clone();
    for t in fty.params.iter_mut().chain(fty.results.iter_mut()) {
        *t = store.resolve(*t);
    }
    if args.len() != fty.params.len() || !args.iter().zip(&fty.params).all(|(a, t)| a.has_type(*t))
    {
        return Err(crate::Error::ArgumentMismatch);
    }
    if store.depth >= MAX_REENTRY {
        return Err(Trap::CallStackExhausted.into());
    }
    if store.depth == 0 {
        store.trap_frames.clear();
    }
    if let Some(fuel) = store.fuel.as_mut() {
        *fuel = fuel.checked_sub(1).ok_or(Trap::OutOfFuel)?;
    }
    let p: usize = slots_of(&fty.params);
    let r: usize = slots_of(&fty.results);
    let mut buf = vec![0u64; p.max(r)];
    let mut at = 0;
    for a in args {
        let (lo, hi) = a.to_slots();
        buf[at] = lo;
        if let crate::Value::V128(_) = a {
            buf[at + 1] = hi;
            at += 2;
        } else {
            at += 1;
        }
    }
    let id = store.id;
    store.depth += 1;
    let result = enter(store, jit, entry, &mut buf);
    if store.id == id {
        store.depth -= 1;
    }
    result?;
    let mut at = 0;
    Ok(fty
        .results
        .iter()
        .map(|t| {
            let hi = if slots(*t) == 2 { buf[at + 1] } else { 0 };
            let v = crate::Value::from_slots(*t, buf[at], hi);
            at += slots(*t) as usize;
            v
        })
        .collect())
}
