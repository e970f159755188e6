//! Scalar loads and stores as pure functions of a memory's bytes: their
//! widths and extensions (`LoadFn`, `StoreFn`), which the interpreter's
//! internal form names, and the bounds-checked byte access under them.
//! Nothing here touches the store, so the internal form can name these
//! without depending on it.

use weft_ast::Instr;

/// The bytes `[ea, ea + N)` of `data`, if in bounds.
#[inline(always)]
pub(crate) fn bytes<const N: usize>(data: &[u8], ea: u64) -> Option<[u8; N]> {
    let i = usize::try_from(ea).ok()?;
    data.get(i..i.checked_add(N)?)?.try_into().ok()
}

/// Writes `b` at `ea`, if in bounds.
#[inline(always)]
pub(crate) fn put<const N: usize>(data: &mut [u8], ea: u64, b: [u8; N]) -> bool {
    let Ok(i) = usize::try_from(ea) else {
        return false;
    };
    match i.checked_add(N).and_then(|end| data.get_mut(i..end)) {
        Some(d) => {
            d.copy_from_slice(&b);
            true
        }
        None => false,
    }
}

/// The scalar loads, by width and extension, for the translator's fast
/// memory ops (an enum, so that each op inlines the access).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoadFn {
    /// Four bytes, zero-extended (`i32.load`, `f32.load`, `i64.load32_u`).
    U32,
    /// Eight bytes.
    U64,
    /// One byte, sign-extended to 32 bits.
    I8To32,
    /// One byte, zero-extended.
    U8,
    /// Two bytes, sign-extended to 32 bits.
    I16To32,
    /// Two bytes, zero-extended.
    U16,
    /// One byte, sign-extended to 64 bits.
    I8To64,
    /// Two bytes, sign-extended to 64 bits.
    I16To64,
    /// Four bytes, sign-extended to 64 bits.
    I32To64,
}

impl LoadFn {
    /// Every load, in declaration order (`f as usize` indexes it).
    pub(crate) const ALL: &[LoadFn] = &[
        LoadFn::U32,
        LoadFn::U64,
        LoadFn::I8To32,
        LoadFn::U8,
        LoadFn::I16To32,
        LoadFn::U16,
        LoadFn::I8To64,
        LoadFn::I16To64,
        LoadFn::I32To64,
    ];

    /// The bytes it reads.
    #[inline(always)]
    pub(crate) const fn width(self) -> usize {
        match self {
            LoadFn::U64 => 8,
            LoadFn::U32 | LoadFn::I32To64 => 4,
            LoadFn::I16To32 | LoadFn::U16 | LoadFn::I16To64 => 2,
            LoadFn::I8To32 | LoadFn::U8 | LoadFn::I8To64 => 1,
        }
    }

    /// The slot read at `ea`, or `None` when out of bounds.
    #[inline(always)]
    pub(crate) fn call(self, d: &[u8], ea: u64) -> Option<u64> {
        Some(match self {
            LoadFn::U32 => u32::from_le_bytes(bytes(d, ea)?) as u64,
            LoadFn::U64 => u64::from_le_bytes(bytes(d, ea)?),
            LoadFn::I8To32 => bytes::<1>(d, ea)?[0] as i8 as i32 as u32 as u64,
            LoadFn::U8 => bytes::<1>(d, ea)?[0] as u64,
            LoadFn::I16To32 => i16::from_le_bytes(bytes(d, ea)?) as i32 as u32 as u64,
            LoadFn::U16 => u16::from_le_bytes(bytes(d, ea)?) as u64,
            LoadFn::I8To64 => bytes::<1>(d, ea)?[0] as i8 as i64 as u64,
            LoadFn::I16To64 => i16::from_le_bytes(bytes(d, ea)?) as i64 as u64,
            LoadFn::I32To64 => i32::from_le_bytes(bytes(d, ea)?) as i64 as u64,
        })
    }
}

/// The scalar stores, by width (the value is wrapped to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StoreFn {
    /// One byte.
    U8,
    /// Two bytes.
    U16,
    /// Four bytes.
    U32,
    /// Eight bytes.
    U64,
}

impl StoreFn {
    /// Every store, in declaration order (`f as usize` indexes it).
    pub(crate) const ALL: &[StoreFn] = &[StoreFn::U8, StoreFn::U16, StoreFn::U32, StoreFn::U64];

    /// The bytes it writes.
    #[inline(always)]
    pub(crate) const fn width(self) -> usize {
        match self {
            StoreFn::U8 => 1,
            StoreFn::U16 => 2,
            StoreFn::U32 => 4,
            StoreFn::U64 => 8,
        }
    }

    /// Writes `v` at `ea`; `false` when out of bounds.
    #[inline(always)]
    pub(crate) fn call(self, d: &mut [u8], ea: u64, v: u64) -> bool {
        match self {
            StoreFn::U8 => put(d, ea, [v as u8]),
            StoreFn::U16 => put(d, ea, (v as u16).to_le_bytes()),
            StoreFn::U32 => put(d, ea, (v as u32).to_le_bytes()),
            StoreFn::U64 => put(d, ea, v.to_le_bytes()),
        }
    }
}

/// The load an instruction performs, if it is a scalar load.
pub(crate) fn load_fn(i: &Instr) -> Option<LoadFn> {
    use Instr::*;
    Some(match i {
        I32Load { .. } | F32Load { .. } | I64Load32U { .. } => LoadFn::U32,
        I64Load { .. } | F64Load { .. } => LoadFn::U64,
        I32Load8S { .. } => LoadFn::I8To32,
        I32Load8U { .. } | I64Load8U { .. } => LoadFn::U8,
        I32Load16S { .. } => LoadFn::I16To32,
        I32Load16U { .. } | I64Load16U { .. } => LoadFn::U16,
        I64Load8S { .. } => LoadFn::I8To64,
        I64Load16S { .. } => LoadFn::I16To64,
        I64Load32S { .. } => LoadFn::I32To64,
        _ => return None,
    })
}

/// The store an instruction performs, if it is a scalar store.
pub(crate) fn store_fn(i: &Instr) -> Option<StoreFn> {
    use Instr::*;
    Some(match i {
        I32Store { .. } | F32Store { .. } | I64Store32 { .. } => StoreFn::U32,
        I64Store { .. } | F64Store { .. } => StoreFn::U64,
        I32Store8 { .. } | I64Store8 { .. } => StoreFn::U8,
        I32Store16 { .. } | I64Store16 { .. } => StoreFn::U16,
        _ => return None,
    })
}
