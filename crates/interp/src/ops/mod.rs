//! The semantics of instructions, written once by matching on the AST's
//! `Instr` and shared by every engine: numbers and vectors on a value
//! stack (`num`, `simd`: pure), memory and table accesses (`access`) and
//! GC objects (`gc`) on the store.

pub(crate) mod access;
pub(crate) mod gc;
pub(crate) mod mem;
pub(crate) mod num;
pub(crate) mod simd;
