//! The GC heap's objects as the store holds them: every struct and array
//! allocated (there is no collector yet: they live as long as the store),
//! and what each takes against `StoreLimits::max_gc_bytes`. The operations
//! on them are instructions' semantics (`crate::ops::gc`).

use weft_validator::CanonId;

/// A struct or an array.
#[derive(Clone, Debug)]
pub(crate) struct GcObj {
    /// Its canonical type.
    pub ty: CanonId,
    /// Whether it is an array.
    pub array: bool,
    /// Its fields or elements as slots (a `v128` takes two).
    pub slots: Box<[u64]>,
    /// Its descriptor's `any` slot, `0` for a type without a descriptor
    /// (custom descriptors); immutable once allocated.
    pub desc: u64,
}

/// The bytes an object of `slots` field slots takes as the store holds it:
/// its header in the store's object table, counted twice because that
/// table's buffer doubles as it grows, and its fields' allocation (the
/// allocator's 8-byte header, rounded up to its 16-byte granule, 32 at
/// least). One `i32` field: 96 bytes.
pub(crate) fn object_bytes(slots: usize) -> u64 {
    let header = 2 * size_of::<GcObj>() as u64;
    let fields = match slots as u64 {
        0 => 0,
        n => n
            .saturating_mul(8)
            .saturating_add(8)
            .max(32)
            .next_multiple_of(16),
    };
    header.saturating_add(fields)
}
