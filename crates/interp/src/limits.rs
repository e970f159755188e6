//! Limits that protect the host from the guest.

/// Bounds on what code running in a store may consume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreLimits {
    /// The largest size one memory may have, in bytes.
    pub max_memory_bytes: u64,
    /// The largest number of elements one table may have.
    pub max_table_elements: u64,
    /// The deepest nesting of calls before `call stack exhausted`.
    pub max_call_depth: u32,
    /// The most value-stack slots (8 bytes each) all frames may use together.
    pub max_stack_slots: u32,
    /// The most exceptions a store keeps (exception references may be
    /// stored anywhere, so thrown exceptions live as long as the store).
    pub max_exceptions: u32,
    /// The most slots (8 bytes each) all structs and arrays may take
    /// together (there is no collector yet: they live as long as the store).
    pub max_gc_slots: u64,
}

impl Default for StoreLimits {
    /// 1 GiB per memory, ten million table elements, 32768 nested calls, a
    /// 16 MiB value stack, a million exceptions and 512 MiB of GC objects.
    fn default() -> StoreLimits {
        StoreLimits {
            max_memory_bytes: 1 << 30,
            max_table_elements: 10_000_000,
            max_call_depth: 32_768,
            max_stack_slots: 1 << 21,
            max_exceptions: 1 << 20,
            max_gc_slots: 1 << 26,
        }
    }
}
