//! Memory instances, and the two ways their bytes are held.
//!
//! A memory's bytes are a [`Bytes`]: a heap vector (explicit mode, every
//! engine checks each access against the length), or for a 32-bit memory
//! with 64 KiB pages in a store made with [`MemoryMode::Guarded`], a
//! reservation of address space with guard pages behind the committed
//! bytes (`crate::jit::guard`), which the JIT's code accesses without a
//! check. Either way Rust code sees the committed bytes as a slice, so
//! the interpreter and the helpers keep their explicit checks and never
//! touch the guard.

use std::ops::{Deref, DerefMut};

use weft_ast::{AddrType, Limits, MemoryType};

use crate::trap::Trap;

/// How a store's 32-bit memories are bounds-checked by compiled code,
/// chosen when the store is made ([`Store::with_memory_mode`]).
///
/// [`Store::with_memory_mode`]: crate::Store::with_memory_mode
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemoryMode {
    /// Every access compares its end with the memory's length.
    #[default]
    Explicit,
    /// 32-bit memories with 64 KiB pages reserve 8 GiB of address space
    /// with only their current pages accessible, and the JIT's loads and
    /// stores go unchecked: an access out of bounds faults in the guard,
    /// and a signal handler turns the fault into the trap. Memory64,
    /// custom page sizes, builds without the JIT and memories whose
    /// reservation fails (`ulimit -v`) stay explicit; the interpreter
    /// checks explicitly in both modes.
    Guarded,
}

impl MemoryMode {
    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            MemoryMode::Explicit => "explicit",
            MemoryMode::Guarded => "guard",
        }
    }
}

impl std::str::FromStr for MemoryMode {
    type Err = String;

    /// `explicit` or `guard` (also `guarded`).
    fn from_str(s: &str) -> Result<MemoryMode, String> {
        match s {
            "explicit" => Ok(MemoryMode::Explicit),
            "guard" | "guarded" => Ok(MemoryMode::Guarded),
            _ => Err(format!("unknown memory mode '{s}' (explicit or guard)")),
        }
    }
}

/// A memory's bytes: on the heap, or in a guarded reservation.
pub(crate) enum Bytes {
    Heap(Vec<u8>),
    #[cfg(weft_jit)]
    Guarded(crate::jit::guard::Reservation),
}

impl Bytes {
    /// The first byte's address, without making a reference to the bytes
    /// (as `Vec::as_mut_ptr`): what engines cache (the interpreter's
    /// `Mem0`, the JIT's context) stays valid across later borrows of the
    /// memory that do not resize it.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        match self {
            Bytes::Heap(v) => v.as_mut_ptr(),
            #[cfg(weft_jit)]
            Bytes::Guarded(r) => r.base(),
        }
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Heap(v) => v,
            #[cfg(weft_jit)]
            Bytes::Guarded(r) => r.bytes(),
        }
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            Bytes::Heap(v) => v,
            #[cfg(weft_jit)]
            Bytes::Guarded(r) => r.bytes_mut(),
        }
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Bytes::Heap(_) => "heap",
            #[cfg(weft_jit)]
            Bytes::Guarded(_) => "guarded",
        };
        write!(f, "{} bytes ({kind})", self.len())
    }
}

/// A linear memory: its type and its bytes.
#[derive(Debug)]
pub(crate) struct MemoryInst {
    pub ty: MemoryType,
    pub data: Bytes,
}

impl MemoryInst {
    /// A zeroed memory of the type's minimum size, if its bytes fit in
    /// `budget` (what the store's limit leaves); else how many it needs.
    /// In `MemoryMode::Guarded`, a 32-bit memory of 64 KiB pages is a
    /// guarded reservation when one can be made.
    pub fn new(ty: MemoryType, budget: u64, mode: MemoryMode) -> Result<MemoryInst, u64> {
        let page_log2 = ty.page_size_log2.unwrap_or(16);
        let bytes = ty.limits.min.saturating_mul(1u64 << page_log2);
        if bytes > budget {
            return Err(bytes);
        }
        let bytes = usize::try_from(bytes).map_err(|_| u64::MAX)?;
        #[cfg(weft_jit)]
        if mode == MemoryMode::Guarded
            && ty.addr == AddrType::I32
            && page_log2 == 16
            && let Some(r) = crate::jit::guard::Reservation::new(bytes)
        {
            return Ok(MemoryInst {
                ty,
                data: Bytes::Guarded(r),
            });
        }
        #[cfg(not(weft_jit))]
        let _ = mode;
        // A zeroed allocation: its pages come from the system as they are
        // touched, so a large memory costs address space, not resident
        // memory, until used.
        Ok(MemoryInst {
            ty,
            data: Bytes::Heap(vec![0; bytes]),
        })
    }

    /// Whether the memory is a guarded reservation (its base never moves,
    /// and the JIT's code for it checks no bounds).
    #[cfg(weft_jit)]
    pub fn is_guarded(&self) -> bool {
        matches!(self.data, Bytes::Guarded(_))
    }

    fn page_log2(&self) -> u32 {
        self.ty.page_size_log2.unwrap_or(16)
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        (self.data.len() as u64) >> self.page_log2()
    }

    /// The type with the current size as its minimum.
    pub fn current_type(&self) -> MemoryType {
        MemoryType {
            limits: Limits {
                min: self.pages(),
                max: self.ty.limits.max,
            },
            ..self.ty
        }
    }

    /// Whether addresses are 64-bit.
    pub fn is64(&self) -> bool {
        self.ty.addr == AddrType::I64
    }

    /// Grows by `delta` pages if the new bytes fit in `budget` (what the
    /// store's limit leaves): the old size; else `Err(Some(bytes))` when the
    /// budget was short of the bytes to add, `Err(None)` for any other
    /// failure (the declared maximum, the address space, the allocator).
    pub fn grow(&mut self, delta: u64, budget: u64) -> Result<u64, Option<u64>> {
        let old = self.pages();
        let new = old.checked_add(delta).ok_or(None)?;
        let log2 = self.page_log2();
        // The address space bounds the size even without a declared maximum.
        let space_max = match self.ty.addr {
            AddrType::I32 => (1u64 << 32) >> log2,
            AddrType::I64 => (1u64 << 48) >> log2.saturating_sub(16),
        };
        if new > self.ty.limits.max.unwrap_or(space_max).min(space_max) {
            return Err(None);
        }
        // `checked_shl` only checks the shift amount: multiply instead, so
        // that 2^48 pages of 64 KiB overflow rather than wrap to zero.
        let bytes = new.checked_mul(1u64 << log2).ok_or(None)?;
        let added = bytes - self.data.len() as u64;
        if added > budget {
            return Err(Some(added));
        }
        let bytes = usize::try_from(bytes).map_err(|_| None)?;
        match &mut self.data {
            Bytes::Heap(v) => {
                if v.try_reserve_exact(bytes - v.len()).is_err() {
                    return Err(None);
                }
                v.resize(bytes, 0);
            }
            // In place: the base does not move.
            #[cfg(weft_jit)]
            Bytes::Guarded(r) => {
                if !r.grow(bytes) {
                    return Err(None);
                }
            }
        }
        Ok(old)
    }

    /// The byte range `[addr, addr + len)`, or a trap if out of bounds.
    #[inline]
    pub fn range(&self, addr: u64, len: u64) -> Result<std::ops::Range<usize>, Trap> {
        match addr.checked_add(len) {
            Some(end) if end <= self.data.len() as u64 => Ok(addr as usize..end as usize),
            _ => Err(Trap::OutOfBoundsMemoryAccess),
        }
    }

    /// Reads `N` bytes at `addr`.
    #[inline]
    pub fn load<const N: usize>(&self, addr: u64) -> Result<[u8; N], Trap> {
        let r = self.range(addr, N as u64)?;
        let mut out = [0; N];
        out.copy_from_slice(&self.data[r]);
        Ok(out)
    }

    /// Writes `N` bytes at `addr`.
    #[inline]
    pub fn store<const N: usize>(&mut self, addr: u64, bytes: [u8; N]) -> Result<(), Trap> {
        let r = self.range(addr, N as u64)?;
        self.data[r].copy_from_slice(&bytes);
        Ok(())
    }
}
