//! Table instances.

use weft_ast::{AddrType, Limits, TableType};

/// A table: its type and its elements as reference slots (0 is null).
#[derive(Clone, Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    pub elems: Vec<u64>,
}

impl TableInst {
    /// A table of the type's minimum size, every element `init`, if its
    /// elements fit in `budget` (what the store's limit leaves); else how
    /// many it needs.
    pub fn new(ty: TableType, init: u64, budget: u64) -> Result<TableInst, u64> {
        if ty.limits.min > budget {
            return Err(ty.limits.min);
        }
        let n = usize::try_from(ty.limits.min).map_err(|_| u64::MAX)?;
        let mut elems = Vec::new();
        elems.try_reserve_exact(n).map_err(|_| n as u64)?;
        elems.resize(n, init);
        Ok(TableInst { ty, elems })
    }

    /// The type with the current size as its minimum.
    pub fn current_type(&self) -> TableType {
        TableType {
            limits: Limits {
                min: self.elems.len() as u64,
                max: self.ty.limits.max,
            },
            ..self.ty
        }
    }

    /// Whether indices are 64-bit.
    pub fn is64(&self) -> bool {
        self.ty.addr == AddrType::I64
    }

    /// Grows by `delta` elements set to `init`, if they fit in `budget`
    /// (what the store's limit leaves): the old size; else `Err(true)` when
    /// the budget was short, `Err(false)` for any other failure.
    pub fn grow(&mut self, delta: u64, init: u64, budget: u64) -> Result<u64, bool> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta).ok_or(false)?;
        let space_max = match self.ty.addr {
            AddrType::I32 => u32::MAX as u64,
            AddrType::I64 => u64::MAX,
        };
        if new > self.ty.limits.max.unwrap_or(space_max).min(space_max) {
            return Err(false);
        }
        if delta > budget {
            return Err(true);
        }
        let new = usize::try_from(new).map_err(|_| false)?;
        self.elems
            .try_reserve_exact(new - self.elems.len())
            .map_err(|_| false)?;
        self.elems.resize(new, init);
        Ok(old)
    }
}
