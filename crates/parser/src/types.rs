//! Value, reference, heap, composite and entity types.

use weft_ast::{
    AbsHeap, AddrType, BlockType, CompositeType, FieldType, FuncType, GlobalType, HeapType, Limits,
    MemoryType, RefType, StorageType, SubType, TableType, TagType, ValType,
};

use crate::error::{ErrorKind, Result};
use crate::reader::Reader;
use weft_ast::Features;

/// The proposal an abstract heap type comes from.
fn heap_feature(h: AbsHeap) -> Features {
    match h {
        // `funcref` is the MVP's table element type.
        AbsHeap::Func => Features::MVP,
        AbsHeap::Extern => Features::REFERENCE_TYPES,
        AbsHeap::Exn => Features::EXCEPTIONS,
        // The exceptions proposal's bottom type arrived with GC.
        _ => Features::GC,
    }
}

/// A heap type from an abstract code byte, if it is one and is enabled.
fn abstract_heap(code: u8, features: Features) -> Option<AbsHeap> {
    let h = AbsHeap::from_code(code)?;
    features.contains(heap_feature(h)).then_some(h)
}

/// A heap type: an abstract type byte or a non-negative s33 type index.
pub fn heap_type(r: &mut Reader<'_>, features: Features) -> Result<HeapType> {
    let start = r.pos();
    if let Some(b) = r.peek()
        && b & 0xc0 == 0x40
    {
        // A one-byte negative s33: an abstract heap type.
        r.u8()?;
        if b == 0x62 && features.contains(Features::CUSTOM_DESCRIPTORS) {
            return exact_index(r)?.ok_or_else(|| r.error_at(start, ErrorKind::MalformedHeapType));
        }
        return abstract_heap(b, features)
            .map(HeapType::Abstract)
            .ok_or_else(|| r.error_at(start, ErrorKind::MalformedHeapType));
    }
    let idx = r.s33()?;
    if idx < 0 || !features.contains(Features::FUNCTION_REFERENCES) {
        return Err(r.error_at(start, ErrorKind::MalformedHeapType));
    }
    // A non-negative s33 always fits a u32.
    Ok(HeapType::Concrete(idx as u32))
}

/// The type index after an exactness prefix `0x62` (custom descriptors),
/// or `None` when it is not a non-negative s33 (exactness applies to
/// defined types only; a second prefix is malformed).
fn exact_index(r: &mut Reader<'_>) -> Result<Option<HeapType>> {
    let idx = r.s33()?;
    // A non-negative s33 always fits a u32.
    Ok((idx >= 0).then_some(HeapType::Exact(idx as u32)))
}

/// The rest of a reference type after its first byte `b`, or `None` when `b`
/// does not start one.
fn ref_type_after(b: u8, r: &mut Reader<'_>, features: Features) -> Result<Option<RefType>> {
    Ok(match b {
        0x63 | 0x64 if features.contains(Features::FUNCTION_REFERENCES) => {
            if r.peek() == Some(0x62) && features.contains(Features::CUSTOM_DESCRIPTORS) {
                // A malformed exact type is reported in the caller's terms
                // (`malformed storage type` in a field), as the reference
                // decoder does.
                r.u8()?;
                return Ok(exact_index(r)?.map(|heap| RefType::new(b == 0x63, heap)));
            }
            let heap = heap_type(r, features)?;
            Some(RefType::new(b == 0x63, heap))
        }
        _ => abstract_heap(b, features).map(|h| RefType::new(true, HeapType::Abstract(h))),
    })
}

/// A reference type.
pub fn ref_type(r: &mut Reader<'_>, features: Features) -> Result<RefType> {
    let start = r.pos();
    let b = r.u8()?;
    ref_type_after(b, r, features)?.ok_or_else(|| r.error_at(start, ErrorKind::MalformedRefType))
}

/// The rest of a value type after its first byte `b`, or `None` when `b`
/// does not start one.
#[inline]
fn val_type_after(b: u8, r: &mut Reader<'_>, features: Features) -> Result<Option<ValType>> {
    Ok(Some(match b {
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        0x7b if features.contains(Features::SIMD) => ValType::V128,
        _ => return Ok(ref_type_after(b, r, features)?.map(ValType::Ref)),
    }))
}

/// A value type.
#[inline]
pub fn val_type(r: &mut Reader<'_>, features: Features) -> Result<ValType> {
    let start = r.pos();
    let b = r.u8()?;
    val_type_after(b, r, features)?.ok_or_else(|| r.error_at(start, ErrorKind::MalformedValType))
}

/// A block type: empty, one value type, or a type index (s33).
pub fn block_type(r: &mut Reader<'_>, features: Features) -> Result<BlockType> {
    let start = r.pos();
    match r.peek() {
        Some(0x40) => {
            r.u8()?;
            Ok(BlockType::Empty)
        }
        Some(b) if b & 0xc0 == 0x40 => {
            // A one-byte negative s33: a value type.
            r.u8()?;
            val_type_after(b, r, features)?
                .map(BlockType::Val)
                .ok_or_else(|| r.error_at(start, ErrorKind::MalformedValType))
        }
        _ => {
            let idx = r.s33()?;
            if idx < 0 {
                return Err(r.error_at(start, ErrorKind::MalformedValType));
            }
            // Before multi-value a block type is a value type or nothing.
            if !features.contains(Features::MULTI_VALUE) {
                return Err(r.error_at(start, ErrorKind::MalformedValType));
            }
            Ok(BlockType::Func(idx as u32))
        }
    }
}

/// A mutability byte.
pub fn mutability(r: &mut Reader<'_>) -> Result<bool> {
    let start = r.pos();
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(r.error_at(start, ErrorKind::MalformedMutability)),
    }
}

/// A struct field or array element type.
pub fn field_type(r: &mut Reader<'_>, features: Features) -> Result<FieldType> {
    let start = r.pos();
    let storage = match r.u8()? {
        0x78 => StorageType::I8,
        0x77 => StorageType::I16,
        b => StorageType::Val(
            val_type_after(b, r, features)?
                .ok_or_else(|| r.error_at(start, ErrorKind::MalformedStorageType))?,
        ),
    };
    let mutable = mutability(r)?;
    Ok(FieldType { storage, mutable })
}

fn val_types(r: &mut Reader<'_>, features: Features) -> Result<Vec<ValType>> {
    let (n, cap) = r.count()?;
    let mut out = Vec::with_capacity(cap);
    for _ in 0..n {
        out.push(val_type(r, features)?);
    }
    Ok(out)
}

/// A composite type after its form byte `form`.
fn composite_type(
    form: u8,
    start: usize,
    r: &mut Reader<'_>,
    features: Features,
) -> Result<CompositeType> {
    match form {
        0x60 => {
            let params = val_types(r, features)?;
            let results = val_types(r, features)?;
            Ok(CompositeType::Func(FuncType { params, results }))
        }
        0x5f if features.contains(Features::GC) => {
            let (n, cap) = r.count()?;
            let mut fields = Vec::with_capacity(cap);
            for _ in 0..n {
                fields.push(field_type(r, features)?);
            }
            Ok(CompositeType::Struct(fields))
        }
        0x5e if features.contains(Features::GC) => {
            Ok(CompositeType::Array(field_type(r, features)?))
        }
        // The form is a one-byte signed LEB128 number; a continuation bit
        // makes it too long.
        _ if form & 0x80 != 0 => Err(r.error(ErrorKind::IntegerTooLong)),
        _ => Err(r.error_at(start, ErrorKind::MalformedDefinitionType)),
    }
}

/// A subtype (possibly the bare composite type of the MVP form), after its
/// first byte `b`.
pub fn sub_type_after(
    b: u8,
    start: usize,
    r: &mut Reader<'_>,
    features: Features,
) -> Result<SubType> {
    match b {
        0x50 | 0x4f if features.contains(Features::GC) => {
            let (n, cap) = r.count()?;
            let mut supertypes = Vec::with_capacity(cap);
            for _ in 0..n {
                supertypes.push(r.u32()?);
            }
            let form_at = r.pos();
            let form = r.u8()?;
            let (describes, descriptor, composite) = described(form, form_at, r, features)?;
            Ok(SubType {
                is_final: b == 0x4f,
                supertypes,
                describes,
                descriptor,
                composite,
            })
        }
        _ => {
            let (describes, descriptor, composite) = described(b, start, r, features)?;
            Ok(SubType {
                describes,
                descriptor,
                ..SubType::plain(composite)
            })
        }
    }
}

/// A composite type with its optional `describes` (`0x4c`) and then
/// `descriptor` (`0x4d`) clauses (custom descriptors), after its first byte
/// `b`. A repeated or reordered clause lands on the composite form and is
/// `malformed definition type`.
fn described(
    mut b: u8,
    mut start: usize,
    r: &mut Reader<'_>,
    features: Features,
) -> Result<(Option<u32>, Option<u32>, CompositeType)> {
    let clause = |tag: u8, b: &mut u8, start: &mut usize, r: &mut Reader<'_>| {
        if *b != tag || !features.contains(Features::CUSTOM_DESCRIPTORS) {
            return Ok(None);
        }
        let idx = r.u32()?;
        *start = r.pos();
        *b = r.u8()?;
        Ok(Some(idx))
    };
    let describes = clause(0x4c, &mut b, &mut start, r)?;
    let descriptor = clause(0x4d, &mut b, &mut start, r)?;
    Ok((
        describes,
        descriptor,
        composite_type(b, start, r, features)?,
    ))
}

/// Limits after their flags byte, with the address type the flags give.
///
/// With memory64 the bounds are `u64` whatever the address type (validation
/// checks the range); before it they are `u32`.
fn limits(r: &mut Reader<'_>, flags: u8, features: Features) -> Result<(AddrType, Limits)> {
    let addr = if flags & 0x04 != 0 {
        AddrType::I64
    } else {
        AddrType::I32
    };
    let wide = features.contains(Features::MEMORY64);
    let bound = |r: &mut Reader<'_>| {
        if wide {
            r.u64()
        } else {
            r.u32().map(u64::from)
        }
    };
    let min = bound(r)?;
    let max = if flags & 0x01 != 0 {
        Some(bound(r)?)
    } else {
        None
    };
    Ok((addr, Limits { min, max }))
}

/// A limits flags byte with only the `allowed` bits.
///
/// With memory64 (Wasm 3.0) the flags are a byte and unknown bits are
/// `malformed limits flags`; before, they were a LEB128 number of as many
/// bits as there were flags, so unknown bits are `integer too large` and a
/// continuation bit `integer representation too long`.
fn limits_flags(r: &mut Reader<'_>, allowed: u8, features: Features) -> Result<u8> {
    let at = r.pos();
    let flags = r.u8()?;
    if flags & !allowed == 0 {
        return Ok(flags);
    }
    Err(if features.contains(Features::MEMORY64) {
        r.error_at(at, ErrorKind::MalformedLimits)
    } else if flags & 0x7f & !allowed != 0 {
        r.error_at(at, ErrorKind::IntegerTooLarge)
    } else {
        r.error(ErrorKind::IntegerTooLong)
    })
}

/// A table type.
pub fn table_type(r: &mut Reader<'_>, features: Features) -> Result<TableType> {
    let elem = ref_type(r, features)?;
    let allowed = if features.contains(Features::MEMORY64) {
        0x05
    } else {
        0x01
    };
    let flags = limits_flags(r, allowed, features)?;
    let (addr, limits) = limits(r, flags, features)?;
    Ok(TableType { addr, limits, elem })
}

/// A memory type.
pub fn memory_type(r: &mut Reader<'_>, features: Features) -> Result<MemoryType> {
    let mut allowed = 0x01;
    if features.contains(Features::THREADS) {
        allowed |= 0x02;
    }
    if features.contains(Features::MEMORY64) {
        allowed |= 0x04;
    }
    if features.contains(Features::CUSTOM_PAGE_SIZES) {
        allowed |= 0x08;
    }
    let flags = limits_flags(r, allowed, features)?;
    let (addr, limits) = limits(r, flags, features)?;
    let page_size_log2 = if flags & 0x08 != 0 {
        let at = r.pos();
        let log2 = r.u32()?;
        // Pages of more than 64 KiB are not expressible.
        if log2 > 16 {
            return Err(r.error_at(at, ErrorKind::InvalidPageSize));
        }
        Some(log2)
    } else {
        None
    };
    Ok(MemoryType {
        addr,
        limits,
        shared: flags & 0x02 != 0,
        page_size_log2,
    })
}

/// A global type.
pub fn global_type(r: &mut Reader<'_>, features: Features) -> Result<GlobalType> {
    let val = val_type(r, features)?;
    let mutable = mutability(r)?;
    Ok(GlobalType { val, mutable })
}

/// A tag type.
pub fn tag_type(r: &mut Reader<'_>) -> Result<TagType> {
    let start = r.pos();
    let attribute = r.u8()?;
    if attribute != 0 {
        return Err(r.error_at(start, ErrorKind::MalformedTagAttribute));
    }
    let ty = r.u32()?;
    Ok(TagType { attribute, ty })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<T>(bytes: &[u8], f: impl FnOnce(&mut Reader<'_>) -> Result<T>) -> Result<T> {
        let mut r = Reader::new(bytes, 0);
        let out = f(&mut r)?;
        assert!(r.at_end(), "bytes left over");
        Ok(out)
    }

    #[test]
    fn value_types() {
        let all = Features::default();
        assert_eq!(with(&[0x7f], |r| val_type(r, all)), Ok(ValType::I32));
        assert_eq!(with(&[0x70], |r| val_type(r, all)), Ok(ValType::FUNCREF));
        assert_eq!(
            with(&[0x64, 0x03], |r| val_type(r, all)),
            Ok(ValType::Ref(RefType::new(false, HeapType::Concrete(3))))
        );
        assert_eq!(
            with(&[0x63, 0x6e], |r| val_type(r, all)),
            Ok(ValType::Ref(RefType::new(
                true,
                HeapType::Abstract(AbsHeap::Any)
            )))
        );
        let err = with(&[0x7b], |r| val_type(r, Features::WASM1)).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedValType);
        let err = with(&[0x6e], |r| val_type(r, Features::WASM2)).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedValType);
        let err = with(&[0x64, 0x7a], |r| val_type(r, all)).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedHeapType);
    }

    #[test]
    fn block_types() {
        let all = Features::default();
        assert_eq!(with(&[0x40], |r| block_type(r, all)), Ok(BlockType::Empty));
        assert_eq!(
            with(&[0x7e], |r| block_type(r, all)),
            Ok(BlockType::Val(ValType::I64))
        );
        assert_eq!(
            with(&[0x80, 0x01], |r| block_type(r, all)),
            Ok(BlockType::Func(128))
        );
    }

    #[test]
    fn memory_and_table_types() {
        let all = Features::ALL;
        let m = with(&[0x0f, 0x01, 0x02, 0x10], |r| memory_type(r, all)).unwrap();
        assert_eq!(m.addr, AddrType::I64);
        assert!(m.shared);
        assert_eq!(
            m.limits,
            Limits {
                min: 1,
                max: Some(2)
            }
        );
        assert_eq!(m.page_size_log2, Some(16));
        let err = with(&[0x10, 0x00], |r| memory_type(r, all)).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedLimits);
        let t = with(&[0x70, 0x04, 0x80, 0x80, 0x80, 0x80, 0x10], |r| {
            table_type(r, all)
        })
        .unwrap();
        assert_eq!(t.limits.min, 1 << 32);
        let err = with(&[0x70, 0x02, 0x00], |r| table_type(r, all)).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedLimits);
    }

    #[test]
    fn sub_types() {
        let all = Features::default();
        let mut r = Reader::new(&[0x00, 0x5e, 0x78, 0x01], 0);
        let t = sub_type_after(0x50, 0, &mut r, all).unwrap();
        assert!(!t.is_final);
        assert_eq!(t.supertypes, vec![]);
        let err = sub_type_after(0x01, 0, &mut Reader::new(&[], 0), all).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedDefinitionType);
    }
}
