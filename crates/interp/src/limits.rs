//! Limits that protect the host from the guest: what one store may hold
//! (all its memories, tables and GC objects together, counted as the bytes
//! and elements they really take) and how deep its code may call.

/// Bounds on what code running in a store may consume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreLimits {
    /// The most bytes all linear memories of the store may hold together.
    /// A memory that would pass it is not created (an error) or does not
    /// grow (`memory.grow` gives -1).
    pub max_memory_bytes: u64,
    /// The most elements all tables of the store may hold together.
    pub max_table_elements: u64,
    /// The deepest nesting of calls before `call stack exhausted`.
    pub max_call_depth: u32,
    /// The most value-stack slots (8 bytes each) all frames may use together.
    pub max_stack_slots: u32,
    /// The most exceptions a store keeps (exception references may be
    /// stored anywhere, so thrown exceptions live as long as the store).
    pub max_exceptions: u32,
    /// The most bytes all structs and arrays may take together, counted as
    /// they are held: each object's header and its fields' allocation
    /// (there is no collector yet: they live as long as the store).
    pub max_gc_bytes: u64,
}

impl Default for StoreLimits {
    /// 1 GiB of linear memory and ten million table elements in all, 32768
    /// nested calls, a 16 MiB value stack, a million exceptions and 512 MiB
    /// of GC objects.
    fn default() -> StoreLimits {
        StoreLimits {
            max_memory_bytes: 1 << 30,
            max_table_elements: 10_000_000,
            max_call_depth: 32_768,
            max_stack_slots: 1 << 21,
            max_exceptions: 1 << 20,
            max_gc_bytes: 512 << 20,
        }
    }
}

/// A resource a store's limits bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// Bytes of linear memory ([`StoreLimits::max_memory_bytes`]).
    MemoryBytes,
    /// Table elements ([`StoreLimits::max_table_elements`]).
    TableElements,
}

impl Resource {
    /// `n` of this resource in words: `4 GiB of linear memory`,
    /// `20000000 table elements`.
    pub(crate) fn amount(self, n: u64) -> String {
        match self {
            Resource::MemoryBytes => format!("{} of linear memory", bytes(n)),
            Resource::TableElements => format!("{n} table elements"),
        }
    }
}

/// What the store holds against its limits.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Usage {
    /// Bytes of all memories.
    pub memory_bytes: u64,
    /// Elements of all tables.
    pub table_elements: u64,
}

/// A byte count as a reader takes it in at a glance: `1 GiB`, `512 MiB`,
/// or `1000 bytes`.
pub(crate) fn bytes(n: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if n >= 1 << shift && n.is_multiple_of(1 << shift) {
            return format!("{} {unit}", n >> shift);
        }
    }
    format!("{n} bytes")
}
