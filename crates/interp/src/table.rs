//! Table instances.

use weft_ast::{AddrType, Limits, TableType};

use crate::limits::StoreLimits;
use crate::trap::Error;

/// A table: its type and its elements as reference slots (0 is null).
#[derive(Clone, Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    pub elems: Vec<u64>,
}

impl TableInst {
    /// A table of the type's minimum size, every element `init`.
    pub fn new(ty: TableType, init: u64, limits: &StoreLimits) -> Result<TableInst, Error> {
        if ty.limits.min > limits.max_table_elements {
            return Err(Error::ResourceLimit);
        }
        let n = usize::try_from(ty.limits.min).map_err(|_| Error::ResourceLimit)?;
        Ok(TableInst {
            ty,
            elems: vec![init; n],
        })
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

    /// Grows by `delta` elements set to `init`; the old size, or `None`.
    pub fn grow(&mut self, delta: u64, init: u64, limits: &StoreLimits) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        let space_max = match self.ty.addr {
            AddrType::I32 => u32::MAX as u64,
            AddrType::I64 => u64::MAX,
        };
        if new > self.ty.limits.max.unwrap_or(space_max).min(space_max)
            || new > limits.max_table_elements
        {
            return None;
        }
        let new = usize::try_from(new).ok()?;
        self.elems.try_reserve_exact(new - self.elems.len()).ok()?;
        self.elems.resize(new, init);
        Some(old)
    }
}
