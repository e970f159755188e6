//! The runtime: the spec's store model, shared by every engine.
//!
//! A [`Store`](store::Store) owns function, table, memory, global, tag and
//! exception instances and the GC heap; instances and the host refer to
//! them by handle. A [`Linker`](linker::Linker) resolves imports and
//! instantiates a [`Module`](module::Module). Nothing here executes code:
//! engines (the interpreter in `crate::interpreter`) run function bodies
//! against the store, and instantiation calls into them only to run a start
//! function.
//!
//! # What compiled code reads
//!
//! An engine reaches the running instance's entities through the store by
//! address (`u32` indices into the store's vectors, which only grow):
//!
//! - **memories**: `Store::memories[a].data`, bytes whose pointer and
//!   length change when the memory grows (`memory.grow`, a host
//!   `Store::memory_grow`, any call that may reach one): an engine that
//!   caches them takes them again after such ops. A guarded memory
//!   (`MemoryMode::Guarded`, `memory.rs`) keeps its pointer and has 8 GiB
//!   of address space behind it, of which only the length is accessible;
//! - **tables**: `Store::tables[a].elems`, reference slots (0 is null,
//!   `n + 1` is function `n`), re-taken the same way;
//! - **globals**: `Store::globals[a]`, a value as one or two slots;
//! - **functions**: `Store::funcs[a]`, a host closure or a module's
//!   translated code with the instance it closes over; an instance's
//!   function index space is `InstanceData::funcs` (store addresses);
//! - **fuel**: `Store::fuel` (`None` when unmetered), charged one unit per
//!   call and loop iteration and by length for bulk operations
//!   (`Store::charge_bulk`);
//! - **the stack limit**: `StoreLimits::max_call_depth` frames and
//!   `max_stack_slots` value slots; exceeding either is `call stack
//!   exhausted`.
//!
//! Values cross the boundary in their slot encoding (`crate::value`).
//!
//! # The JIT's boundary
//!
//! A module prepared with `Engine::Jit` (`Module::with_engine`) carries
//! machine code beside its translated bodies (`ModuleInner::jit`); each of
//! its instances gets a VM context (`InstanceData::jit`, `crate::jit::ctx`),
//! a `#[repr(C)]` record compiled code reads at fixed offsets: memory 0's
//! base and length, pointers to the instance's globals, the fuel, the
//! stack limit and the store. The context copies addresses out of the
//! store's vectors, so it is refreshed on every entry into compiled code
//! and after every call from compiled code into Rust. `Store::call`
//! (`crate::entry`) runs a function's machine code when it has some; every
//! other path — the interpreter calling a function, functions the JIT left
//! uncompiled — runs the translated body, so the interpreter needs nothing
//! of the JIT.

pub(crate) mod backtrace;
pub(crate) mod handles;
pub(crate) mod heap;
pub(crate) mod instantiate;
pub(crate) mod linker;
pub(crate) mod memory;
pub(crate) mod module;
pub mod spectest;
pub(crate) mod store;
pub(crate) mod table;
pub(crate) mod value_text;
