//! The baseline JIT: each function compiled in one pass over its validated
//! body to x86-64 machine code, running against the same store as the
//! interpreter.
//!
//! - `compile.rs` translates a module's functions (`compile`); a function
//!   with an instruction it does not compile yet is left to the
//!   interpreter (counted in [`Stats`]); its child `simd.rs` compiles
//!   the `v128` instructions with SSE4.1. `stack.rs` is its abstract value
//!   stack and register allocator; `enc.rs` encodes by hand the moves
//!   that stack asks for most (loads, stores, register copies).
//! - `ctx.rs` is the boundary with the runtime: the `#[repr(C)]` VM
//!   context compiled code reads (memory 0, globals, the stack limit, the
//!   store), one per instance, refreshed from the store on entry and after
//!   every call out of compiled code.
//! - `entry.rs` enters compiled code from Rust through a trampoline on a
//!   stack of its own, and turns the status it returns into a trap.
//! - `guard.rs`: guarded memories (`MemoryMode::Guarded`): the 8 GiB
//!   reservation, the registry of code regions and their trap sites, and
//!   the SIGSEGV/SIGBUS handler that turns a fault at a trap site into
//!   `out of bounds memory access`.
//! - `helpers.rs`: what compiled code calls in Rust — calls to host
//!   functions, interpreted functions and other instances, indirect calls,
//!   and every instruction compiled as a call to the shared semantics of
//!   `crate::ops`.
//!
//! This is the only module of the crate with `unsafe` outside the
//! interpreter's executor: running generated code is unsafe by nature. Each
//! block says why it is sound.

pub(crate) mod compile;
pub(crate) mod ctx;
mod enc;
pub(crate) mod entry;
pub(crate) mod guard;
mod helpers;
pub(crate) mod stack;
