//! Memory instances.

use weft_ast::{AddrType, Limits, MemoryType};

use crate::trap::Trap;

/// A linear memory: its type and its bytes.
#[derive(Clone, Debug)]
pub(crate) struct MemoryInst {
    pub ty: MemoryType,
    pub data: Vec<u8>,
}

impl MemoryInst {
    /// A zeroed memory of the type's minimum size, if its bytes fit in
    /// `budget` (what the store's limit leaves); else how many it needs.
    pub fn new(ty: MemoryType, budget: u64) -> Result<MemoryInst, u64> {
        let page_log2 = ty.page_size_log2.unwrap_or(16);
        let bytes = ty.limits.min.saturating_mul(1u64 << page_log2);
        if bytes > budget {
            return Err(bytes);
        }
        let bytes = usize::try_from(bytes).map_err(|_| u64::MAX)?;
        // A zeroed allocation: its pages come from the system as they are
        // touched, so a large memory costs address space, not resident
        // memory, until used.
        Ok(MemoryInst {
            ty,
            data: vec![0; bytes],
        })
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
        if self
            .data
            .try_reserve_exact(bytes - self.data.len())
            .is_err()
        {
            return Err(None);
        }
        self.data.resize(bytes, 0);
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
