//! The VM context: what compiled code reads of its instance, at fixed
//! offsets from r15.
//!
//! The store's vectors move (a memory grows, an instantiation adds
//! globals), so the context holds copies of their current addresses,
//! refreshed by `refresh` whenever Rust code may have changed them: on
//! every entry into compiled code and after every call from compiled code
//! into Rust (helpers). Between those, compiled code alone runs, and it
//! changes no vector's address (`memory.grow` is a helper call).
//!
//! One context per instance, shared (`Arc`) between the store's instance
//! data and every entry in progress, so that it outlives a host function
//! that replaces the store under running code (which then only unwinds).

use std::cell::UnsafeCell;
use std::sync::Arc;

use crate::jit::compile::Compiled;
use crate::runtime::store::{GlobalInst, Store, StoreId};
use crate::stack::Stack;
use crate::trap::Trap;

/// What compiled code reads, at the offsets below.
#[repr(C)]
pub(crate) struct VmCtx {
    /// The stack pointer the innermost entry trampoline saved: a trap
    /// restores it and returns from the trampoline.
    pub entry_sp: usize,
    /// The lowest stack pointer a function may run with (the prologue
    /// traps with `call stack exhausted` below it).
    pub stack_limit: usize,
    /// Memory 0's bytes and length (dangling and 0 without a memory).
    pub mem0_base: *mut u8,
    /// Memory 0's length in bytes.
    pub mem0_len: u64,
    /// For each global index, its instance in the store.
    pub globals: *const *mut GlobalInst,
    /// The store running the code (set on entry).
    pub store: *mut Store,
    /// The fuel left: the store's when metered, else `u64::MAX` (which no
    /// run exhausts). Compiled code charges it at calls and loop
    /// back-edges; `refresh` takes it from the store and `sync_fuel` gives
    /// it back.
    pub fuel: u64,
    /// 1 when the store meters fuel, else 0: compiled code tests it (a
    /// load and a predicted branch) and charges `fuel` out of line only
    /// when it is set, so that unmetered loops carry no read-modify-write
    /// of memory from one iteration to the next.
    pub metered: u64,
    /// Where a tail call whose arguments do not fit the caller's argument
    /// area leaves them for the callee's tail entry, which copies them out
    /// first thing (`Rest::_tail_buf`: as many slots as the module's
    /// largest parameter list).
    pub tail_args: *mut u64,
    /// The exception in flight, as its index in the store's exceptions
    /// plus one (0: none). A throw sets it and jumps to the innermost
    /// handler of the function; a function without one returns with it
    /// set, and its caller, checking after every call, does the same; the
    /// handler that catches it clears it.
    pub exn: u64,
    /// Table 0's elements and their count (dangling and 0 without a
    /// table 0), for `call_indirect`'s inline lookup.
    pub table0_elems: *const u64,
    /// Table 0's length in elements.
    pub table0_len: u64,
    /// The instance's indirect-call cache: which callee a function
    /// reference with an expected type resolves to (see [`ICell`]).
    pub icache: [ICell; ICACHE],
    /// What Rust keeps beside it.
    pub rest: Rest,
}

/// An entry of the indirect-call cache, at `ICACHE` positions indexed by
/// a function reference's low bits: the reference `r` (a table
/// element's bits; `u64::MAX`, which no element is, when empty), the
/// module's type index `ty` it was checked against, and the entry of the
/// compiled function of this instance it is. What `helpers::tail_indirect`
/// resolved once (the element's function has that type, and is compiled
/// code of this instance) holds for ever, since a function reference's
/// function, its type and its code never change; only the element a table
/// index holds does, and compiled code reads that each time. Compiled code
/// calls a hit directly, without the helper.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct ICell {
    /// The function reference (`u64::MAX`: none).
    pub r: u64,
    /// The type index of the instance's module it matched.
    pub ty: u64,
    /// Its compiled code's entry.
    pub entry: u64,
    _pad: u64,
}

/// Entries of the indirect-call cache (a power of two).
pub(crate) const ICACHE: usize = 64;

// Compiled code indexes the cache with a shift by 5.
const _: () = assert!(std::mem::size_of::<ICell>() == 32);

impl ICell {
    const EMPTY: ICell = ICell {
        r: u64::MAX,
        ty: 0,
        entry: 0,
        _pad: 0,
    };

    /// The entry for reference `r` resolved against type `ty` to `entry`.
    pub fn new(r: u64, ty: u32, entry: u64) -> ICell {
        ICell {
            r,
            ty: ty.into(),
            entry,
            _pad: 0,
        }
    }

    /// The position of reference `r` in the cache.
    pub fn index(r: u64) -> usize {
        r as usize & (ICACHE - 1)
    }
}

/// Offsets of [`VmCtx`]'s fields, as compiled code addresses them.
pub(crate) mod off {
    use super::VmCtx;
    use std::mem::offset_of;
    pub const ENTRY_SP: i32 = offset_of!(VmCtx, entry_sp) as i32;
    pub const STACK_LIMIT: i32 = offset_of!(VmCtx, stack_limit) as i32;
    pub const MEM0_BASE: i32 = offset_of!(VmCtx, mem0_base) as i32;
    pub const MEM0_LEN: i32 = offset_of!(VmCtx, mem0_len) as i32;
    pub const GLOBALS: i32 = offset_of!(VmCtx, globals) as i32;
    pub const FUEL: i32 = offset_of!(VmCtx, fuel) as i32;
    pub const METERED: i32 = offset_of!(VmCtx, metered) as i32;
    pub const TAIL_ARGS: i32 = offset_of!(VmCtx, tail_args) as i32;
    pub const EXN: i32 = offset_of!(VmCtx, exn) as i32;
    pub const TABLE0_ELEMS: i32 = offset_of!(VmCtx, table0_elems) as i32;
    pub const TABLE0_LEN: i32 = offset_of!(VmCtx, table0_len) as i32;
    pub const ICACHE: i32 = offset_of!(VmCtx, icache) as i32;
    /// A global's value slots within its [`GlobalInst`](super::GlobalInst).
    pub const GLOBAL_LO: i32 = offset_of!(super::GlobalInst, lo) as i32;
    pub const GLOBAL_HI: i32 = offset_of!(super::GlobalInst, hi) as i32;
}

/// The context's Rust side.
pub(crate) struct Rest {
    /// The instance's index in the store.
    pub instance: u32,
    /// The store the instance belongs to: a host function may put another
    /// store in its place.
    pub store_id: StoreId,
    /// The store address of memory 0, if the instance has one.
    pub mem0: Option<u32>,
    /// The store address of table 0, if the instance has one.
    pub table0: Option<u32>,
    /// Store addresses of the instance's globals, by index.
    pub global_addrs: Box<[u32]>,
    /// Pointers to them, by index (what `VmCtx::globals` points to).
    pub global_ptrs: Box<[*mut GlobalInst]>,
    /// The address of the store's global vector when `global_ptrs` was
    /// filled.
    pub globals_seen: *const GlobalInst,
    /// A trap a helper raised, returned as `entry::PENDING`.
    pub pending: Option<Trap>,
    /// A panic of a host function called from compiled code, resumed
    /// once compiled code has returned to `entry::enter`.
    pub panic: Option<Box<dyn std::any::Any + Send>>,
    /// A stack for the instructions helpers run through `crate::ops`.
    pub scratch: Stack,
    /// The slots `VmCtx::tail_args` points to.
    pub _tail_buf: Box<[u64]>,
}

/// An instance's compiled code and context.
pub(crate) struct JitInstance {
    /// The module's code (kept alive as long as the instance).
    pub code: Arc<Compiled>,
    /// The store address of the instance's first defined function (the
    /// others follow it).
    first_func: u32,
    ctx: UnsafeCell<VmCtx>,
}

// SAFETY: the context is only reached through the store that owns the
// instance, which `&mut Store` makes exclusive: compiled code, helpers and
// `entry` read and write it on the thread running that store's call, one at
// a time. Its raw pointers point into that store.
unsafe impl Send for JitInstance {}
// SAFETY: as for `Send`: no two threads reach one context at once.
unsafe impl Sync for JitInstance {}

impl JitInstance {
    /// A context for instance `instance` of `store` running `code`.
    pub fn new(
        code: Arc<Compiled>,
        store: &Store,
        instance: u32,
        first_func: u32,
        mem0: Option<u32>,
        table0: Option<u32>,
        globals: &[u32],
    ) -> JitInstance {
        let mut tail_buf = vec![0u64; code.tail_slots].into_boxed_slice();
        JitInstance {
            code,
            first_func,
            ctx: UnsafeCell::new(VmCtx {
                entry_sp: 0,
                stack_limit: usize::MAX,
                mem0_base: std::ptr::NonNull::dangling().as_ptr(),
                mem0_len: 0,
                globals: std::ptr::null(),
                store: std::ptr::null_mut(),
                fuel: u64::MAX,
                metered: 0,
                tail_args: tail_buf.as_mut_ptr(),
                exn: 0,
                table0_elems: std::ptr::NonNull::dangling().as_ptr(),
                table0_len: 0,
                icache: [ICell::EMPTY; ICACHE],
                rest: Rest {
                    instance,
                    store_id: store.id,
                    mem0,
                    table0,
                    global_addrs: globals.into(),
                    global_ptrs: vec![std::ptr::null_mut(); globals.len()].into(),
                    globals_seen: std::ptr::null(),
                    pending: None,
                    panic: None,
                    scratch: Stack::default(),
                    _tail_buf: tail_buf,
                },
            }),
        }
    }

    /// The entry of the instance's function at store address `addr`, if
    /// it is one of its defined functions and was compiled.
    pub fn entry_of(&self, addr: u32) -> Option<*const u8> {
        self.code.entry(addr.checked_sub(self.first_func)?)
    }

    /// The context, for compiled code and helpers.
    pub fn ctx(&self) -> *mut VmCtx {
        self.ctx.get()
    }
}

/// Gives the fuel compiled code charged back to the store (before Rust
/// code that reads or charges it runs).
pub(crate) fn sync_fuel(ctx: &VmCtx, store: &mut Store) {
    if store.fuel.is_some() {
        store.fuel = Some(ctx.fuel);
    }
}

/// Takes the store's current addresses and fuel into the context.
pub(crate) fn refresh(ctx: &mut VmCtx, store: &mut Store) {
    ctx.store = store;
    ctx.fuel = store.fuel.unwrap_or(u64::MAX);
    ctx.metered = u64::from(store.fuel.is_some());
    if let Some(m) = ctx
        .rest
        .mem0
        .and_then(|a| store.memories.get_mut(a as usize))
    {
        ctx.mem0_base = m.data.as_mut_ptr();
        ctx.mem0_len = m.data.len() as u64;
    }
    if let Some(t) = ctx.rest.table0.and_then(|a| store.tables.get(a as usize)) {
        ctx.table0_elems = t.elems.as_ptr();
        ctx.table0_len = t.elems.len() as u64;
    }
    let seen = store.globals.as_ptr();
    if ctx.rest.globals_seen != seen {
        for (p, &a) in ctx.rest.global_ptrs.iter_mut().zip(&*ctx.rest.global_addrs) {
            *p = store
                .globals
                .get_mut(a as usize)
                .map_or(std::ptr::null_mut(), |g| g as *mut GlobalInst);
        }
        ctx.rest.globals_seen = seen;
        ctx.globals = ctx.rest.global_ptrs.as_ptr();
    }
}
