//! Garbage-collected references: `i31`, structs, arrays, casts and the
//! conversions between the `any` and `extern` hierarchies.
//!
//! Slots of the `any` hierarchy encode `0` for null, an `i31` with the top
//! bit set, an externalized host reference with bit 62 set, and a heap
//! object as its index plus one. Slots of the `extern` hierarchy encode a
//! host reference `n` as `n + 1` and an internalized `any` value with bit 61
//! set. Objects live in the store for as long as it does (there is no
//! collector yet), bounded by [`StoreLimits::max_gc_bytes`], which counts
//! each object as it is held ([`object_bytes`]).
//!
//! [`StoreLimits::max_gc_bytes`]: crate::StoreLimits::max_gc_bytes

use weft_ast::{AbsHeap, CompositeType, FieldType, HeapType, Instr, RefType, StorageType, ValType};
use weft_validator::CanonId;

use crate::runtime::store::Store;
use crate::stack::Stack;
use crate::trap::Trap;

pub(crate) use crate::runtime::heap::{GcObj, object_bytes};
pub(crate) use crate::value::{ANY_TAG, EXT_TAG, I31_TAG};

pub(crate) use crate::value::field_slots;

/// Bytes an element of this type takes in a data segment.
fn storage_bytes(s: StorageType) -> usize {
    match s {
        StorageType::I8 => 1,
        StorageType::I16 => 2,
        StorageType::Val(ValType::I64 | ValType::F64) => 8,
        StorageType::Val(ValType::V128) => 16,
        StorageType::Val(_) => 4,
    }
}

/// Wraps a value to a packed field's width.
pub(crate) fn pack(s: StorageType, v: u64) -> u64 {
    match s {
        StorageType::I8 => v & 0xff,
        StorageType::I16 => v & 0xffff,
        StorageType::Val(_) => v,
    }
}

/// Reads a packed field, sign-extending when asked.
fn unpack(s: StorageType, v: u64, signed: bool) -> u64 {
    match (s, signed) {
        (StorageType::I8, true) => v as i8 as i32 as u32 as u64,
        (StorageType::I16, true) => v as i16 as i32 as u32 as u64,
        _ => v,
    }
}

/// The composite type of a module's type index, for an instance.
fn composite(store: &Store, inst: u32, ty: u32) -> &CompositeType {
    &store.instances[inst as usize].module.0.ast.types[ty as usize].composite
}

fn struct_fields(store: &Store, inst: u32, ty: u32) -> &[FieldType] {
    match composite(store, inst, ty) {
        CompositeType::Struct(f) => f,
        _ => &[],
    }
}

fn array_elem(store: &Store, inst: u32, ty: u32) -> FieldType {
    match composite(store, inst, ty) {
        CompositeType::Array(f) => *f,
        _ => FieldType {
            storage: StorageType::I8,
            mutable: false,
        },
    }
}

/// Allocates an object; its `any` slot.
pub(crate) fn alloc(
    store: &mut Store,
    ty: CanonId,
    array: bool,
    slots: Box<[u64]>,
) -> Result<u64, Trap> {
    alloc_with(store, ty, array, slots, 0)
}

/// Allocates an object with its descriptor's slot (`0` for none); its
/// `any` slot.
pub(crate) fn alloc_with(
    store: &mut Store,
    ty: CanonId,
    array: bool,
    slots: Box<[u64]>,
    desc: u64,
) -> Result<u64, Trap> {
    let used = store.gc_bytes.saturating_add(object_bytes(slots.len()));
    if used > store.limits.max_gc_bytes {
        return Err(Trap::AllocationLimit);
    }
    store.gc_bytes = used;
    store.gc.push(GcObj {
        ty,
        array,
        slots,
        desc,
    });
    Ok(store.gc.len() as u64)
}

/// The object an `any` slot refers to, if it is one.
fn object(store: &Store, slot: u64) -> Option<&GcObj> {
    if slot == 0 || slot & (I31_TAG | EXT_TAG) != 0 {
        return None;
    }
    store.gc.get(slot as usize - 1)
}

/// `any.convert_extern`.
pub(crate) fn internalize(e: u64) -> u64 {
    match e {
        0 => 0,
        _ if e & ANY_TAG != 0 => e & !ANY_TAG,
        _ => e | EXT_TAG,
    }
}

/// `extern.convert_any`.
pub(crate) fn externalize(a: u64) -> u64 {
    match a {
        0 => 0,
        _ if a & EXT_TAG != 0 => a & !EXT_TAG,
        _ => a | ANY_TAG,
    }
}

/// Whether a slot of static type hierarchy matching `rt`'s belongs to `rt`.
pub(crate) fn ref_test(store: &Store, inst: u32, slot: u64, rt: RefType) -> bool {
    if slot == 0 {
        return rt.nullable;
    }
    match rt.heap {
        HeapType::Abstract(a) => ref_test_abstract(store, slot, a),
        HeapType::Concrete(idx) => {
            let target = store.instances[inst as usize].types[idx as usize];
            let actual = concrete_type(store, slot, target);
            actual.is_some_and(|a| a == target || store.registry.is_subtype(a, target))
        }
        // An exact type: the reference's own type and nothing below it.
        HeapType::Exact(idx) => {
            let target = store.instances[inst as usize].types[idx as usize];
            concrete_type(store, slot, target) == Some(target)
        }
    }
}

/// The defined type of the non-null reference in `slot`, read as a
/// function reference or a heap object according to `target`'s kind (the
/// hierarchy the static type puts it in).
fn concrete_type(store: &Store, slot: u64, target: CanonId) -> Option<CanonId> {
    match store.registry.get(target).map(|t| &t.composite) {
        Some(CompositeType::Func(_)) => crate::value::decode_ref(slot)
            .and_then(|f| store.funcs.get(f as usize))
            .map(|f| f.ty()),
        _ => object(store, slot).map(|o| o.ty),
    }
}

/// The descriptor test of `ref.cast_desc_eq` and `br_on_cast_desc_eq`:
/// whether the reference in `slot` is null and `nullable` holds, or is a
/// struct whose descriptor is the one in `desc`. A null descriptor traps.
pub(crate) fn desc_test(store: &Store, slot: u64, desc: u64, nullable: bool) -> Result<bool, Trap> {
    if desc == 0 {
        return Err(Trap::NullDescriptorReference);
    }
    if slot == 0 {
        return Ok(nullable);
    }
    Ok(object(store, slot).is_some_and(|o| o.desc == desc))
}

/// [`ref_test`] for a non-null slot and an abstract heap type.
pub(crate) fn ref_test_abstract(store: &Store, slot: u64, a: AbsHeap) -> bool {
    match a {
        AbsHeap::Any | AbsHeap::Func | AbsHeap::Extern | AbsHeap::Exn => slot != 0,
        AbsHeap::None | AbsHeap::NoFunc | AbsHeap::NoExtern | AbsHeap::NoExn => false,
        AbsHeap::Eq => slot & I31_TAG != 0 || object(store, slot).is_some(),
        AbsHeap::I31 => slot & I31_TAG != 0,
        AbsHeap::Struct => object(store, slot).is_some_and(|o| !o.array),
        AbsHeap::Array => object(store, slot).is_some_and(|o| o.array),
    }
}

/// Pops an `any` slot that must be an object.
fn pop_obj(store: &Store, s: &mut Stack, null: Trap) -> Result<usize, Trap> {
    let r = s.pop();
    if r == 0 {
        return Err(null);
    }
    match object(store, r) {
        Some(_) => Ok(r as usize - 1),
        None => Err(Trap::InvalidReference),
    }
}

/// Checks `[start, start + n)` within `len`.
fn in_bounds(start: u64, n: u64, len: usize) -> bool {
    start.checked_add(n).is_some_and(|e| e <= len as u64)
}

/// The elements `[s, s + n)` of a data segment, decoded as `elem`s.
fn data_elems(bytes: &[u8], s: u64, n: u64, elem: FieldType) -> Result<Vec<u64>, Trap> {
    let size = storage_bytes(elem.storage) as u64;
    let len = n.checked_mul(size).ok_or(Trap::OutOfBoundsMemoryAccess)?;
    if !in_bounds(s, len, bytes.len()) {
        return Err(Trap::OutOfBoundsMemoryAccess);
    }
    let wide = field_slots(&elem) == 2;
    let mut out = Vec::with_capacity(n as usize * if wide { 2 } else { 1 });
    for chunk in bytes[s as usize..(s + len) as usize].chunks(size as usize) {
        let mut b = [0u8; 16];
        b[..chunk.len()].copy_from_slice(chunk);
        let v = u128::from_le_bytes(b);
        out.push(v as u64);
        if wide {
            out.push((v >> 64) as u64);
        }
    }
    Ok(out)
}

/// Executes a GC instruction other than the branches; `Ok(false)` if `i`
/// is not one.
pub(crate) fn gc(store: &mut Store, s: &mut Stack, inst: u32, i: &Instr) -> Result<bool, Trap> {
    use Instr::*;
    match i {
        RefI31 => {
            let v = s.pop() as u32 & 0x7fff_ffff;
            s.push(I31_TAG | v as u64);
        }
        I31GetS | I31GetU => {
            let r = s.pop();
            if r == 0 {
                return Err(Trap::NullI31Reference);
            }
            let v = (r as u32) & 0x7fff_ffff;
            let v = if matches!(i, I31GetS) {
                ((v << 1) as i32 >> 1) as u32
            } else {
                v
            };
            s.push_u32(v);
        }
        AnyConvertExtern => {
            let e = s.pop();
            s.push(internalize(e));
        }
        ExternConvertAny => {
            let a = s.pop();
            s.push(externalize(a));
        }
        RefTest { ty } | RefTestNull { ty } => {
            let rt = RefType::new(matches!(i, RefTestNull { .. }), *ty);
            let r = s.pop();
            s.push_bool(ref_test(store, inst, r, rt));
        }
        RefCast { ty } | RefCastNull { ty } => {
            let rt = RefType::new(matches!(i, RefCastNull { .. }), *ty);
            if !ref_test(store, inst, *s.top(), rt) {
                return Err(Trap::CastFailure);
            }
        }
        StructNew { ty }
        | StructNewDefault { ty }
        | StructNewDesc { ty }
        | StructNewDefaultDesc { ty } => {
            // The descriptor is the last operand, above the fields.
            let desc = if matches!(i, StructNewDesc { .. } | StructNewDefaultDesc { .. }) {
                match s.pop() {
                    0 => return Err(Trap::NullDescriptorReference),
                    d => d,
                }
            } else {
                0
            };
            let n: u32 = struct_fields(store, inst, *ty)
                .iter()
                .map(field_slots)
                .sum();
            let mut slots = vec![0u64; n as usize].into_boxed_slice();
            if matches!(i, StructNew { .. } | StructNewDesc { .. }) {
                let sp = s.sp;
                slots.copy_from_slice(&s.slots[sp - n as usize..sp]);
                s.sp -= n as usize;
                for (slot, f) in slots.iter_mut().zip(struct_fields(store, inst, *ty)) {
                    *slot = pack(f.storage, *slot);
                }
            }
            let canon = store.instances[inst as usize].types[*ty as usize];
            let r = alloc_with(store, canon, false, slots, desc)?;
            s.push(r);
        }
        RefGetDesc { .. } => {
            let o = pop_obj(store, s, Trap::NullReference)?;
            let d = store.gc[o].desc;
            s.push(d);
        }
        RefCastDescEq { .. } | RefCastDescEqNull { .. } => {
            let desc = s.pop();
            let nullable = matches!(i, RefCastDescEqNull { .. });
            if !desc_test(store, *s.top(), desc, nullable)? {
                return Err(Trap::DescriptorCastFailure);
            }
        }
        StructGet { ty, field } | StructGetS { ty, field } | StructGetU { ty, field } => {
            let fields = struct_fields(store, inst, *ty);
            let off: u32 = fields[..*field as usize].iter().map(field_slots).sum();
            let f = fields[*field as usize];
            let o = pop_obj(store, s, Trap::NullStructureReference)?;
            let obj = &store.gc[o];
            let v = unpack(
                f.storage,
                obj.slots[off as usize],
                matches!(i, StructGetS { .. }),
            );
            s.push(v);
            if field_slots(&f) == 2 {
                s.push(obj.slots[off as usize + 1]);
            }
        }
        StructSet { ty, field } => {
            let fields = struct_fields(store, inst, *ty);
            let off = fields[..*field as usize]
                .iter()
                .map(field_slots)
                .sum::<u32>() as usize;
            let f = fields[*field as usize];
            let hi = if field_slots(&f) == 2 {
                Some(s.pop())
            } else {
                None
            };
            let lo = s.pop();
            let o = pop_obj(store, s, Trap::NullStructureReference)?;
            let w = field_slots(&f) as usize;
            let slots = store.gc[o]
                .slots
                .get_mut(off..off + w)
                .ok_or(Trap::InvalidReference)?;
            slots[0] = pack(f.storage, lo);
            if let Some(hi) = hi {
                slots[1] = hi;
            }
        }
        ArrayNew { ty } | ArrayNewDefault { ty } => {
            let elem = array_elem(store, inst, *ty);
            let w = field_slots(&elem) as usize;
            let n = s.pop_u32() as usize;
            let init = match (matches!(i, ArrayNew { .. }), w) {
                (true, 2) => {
                    let v = s.pop_v128();
                    [v as u64, (v >> 64) as u64]
                }
                (true, _) => [pack(elem.storage, s.pop()), 0],
                _ => [0, 0],
            };
            if object_bytes(n.saturating_mul(w)) > store.limits.max_gc_bytes {
                return Err(Trap::AllocationLimit);
            }
            store.charge_bulk(n as u64, 1)?;
            let mut slots = Vec::with_capacity(n * w);
            for _ in 0..n {
                slots.extend_from_slice(&init[..w]);
            }
            let canon = store.instances[inst as usize].types[*ty as usize];
            let r = alloc(store, canon, true, slots.into_boxed_slice())?;
            s.push(r);
        }
        ArrayNewFixed { ty, len } => {
            let elem = array_elem(store, inst, *ty);
            let n = (*len * field_slots(&elem)) as usize;
            let sp = s.sp;
            let slots: Box<[u64]> = s.slots[sp - n..sp]
                .iter()
                .map(|v| pack(elem.storage, *v))
                .collect();
            s.sp -= n;
            let canon = store.instances[inst as usize].types[*ty as usize];
            let r = alloc(store, canon, true, slots)?;
            s.push(r);
        }
        ArrayNewData { ty, data } => {
            let elem = array_elem(store, inst, *ty);
            let n = s.pop_u32() as u64;
            let off = s.pop_u32() as u64;
            let bytes = store.instances[inst as usize].data_bytes(*data);
            let slots = data_elems(bytes, off, n, elem)?;
            store.charge_bulk(n, 1)?;
            let canon = store.instances[inst as usize].types[*ty as usize];
            let r = alloc(store, canon, true, slots.into_boxed_slice())?;
            s.push(r);
        }
        ArrayNewElem { ty, elem } => {
            let n = s.pop_u32() as u64;
            let off = s.pop_u32() as u64;
            let seg = &store.instances[inst as usize].elems[*elem as usize];
            if !in_bounds(off, n, seg.len()) {
                return Err(Trap::OutOfBoundsTableAccess);
            }
            let slots: Box<[u64]> = seg[off as usize..(off + n) as usize].into();
            store.charge_bulk(n, 1)?;
            let canon = store.instances[inst as usize].types[*ty as usize];
            let r = alloc(store, canon, true, slots)?;
            s.push(r);
        }
        ArrayGet { ty } | ArrayGetS { ty } | ArrayGetU { ty } => {
            let elem = array_elem(store, inst, *ty);
            let w = field_slots(&elem) as usize;
            let idx = s.pop_u32() as usize;
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            let obj = &store.gc[o];
            if idx >= obj.slots.len() / w {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            s.push(unpack(
                elem.storage,
                obj.slots[idx * w],
                matches!(i, ArrayGetS { .. }),
            ));
            if w == 2 {
                s.push(obj.slots[idx * w + 1]);
            }
        }
        ArraySet { ty } => {
            let elem = array_elem(store, inst, *ty);
            let w = field_slots(&elem) as usize;
            let hi = if w == 2 { Some(s.pop()) } else { None };
            let lo = s.pop();
            let idx = s.pop_u32() as usize;
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            let obj = &mut store.gc[o];
            if idx >= obj.slots.len() / w {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            obj.slots[idx * w] = pack(elem.storage, lo);
            if let Some(hi) = hi {
                obj.slots[idx * w + 1] = hi;
            }
        }
        ArrayLen => {
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            let obj = &store.gc[o];
            let w = store
                .registry
                .get(obj.ty)
                .map_or(1, |t| match &t.composite {
                    CompositeType::Array(f) => field_slots(f),
                    _ => 1,
                });
            s.push((obj.slots.len() / w as usize) as u64);
        }
        ArrayFill { ty } => {
            let elem = array_elem(store, inst, *ty);
            let w = field_slots(&elem) as usize;
            let n = s.pop_u32() as u64;
            let v = if w == 2 {
                let v = s.pop_v128();
                [v as u64, (v >> 64) as u64]
            } else {
                [pack(elem.storage, s.pop()), 0]
            };
            let d = s.pop_u32() as u64;
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            let obj = &mut store.gc[o];
            if !in_bounds(d, n, obj.slots.len() / w) {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            store.charge_bulk(n, 1)?;
            let obj = &mut store.gc[o];
            for k in d as usize..(d + n) as usize {
                obj.slots[k * w..k * w + w].copy_from_slice(&v[..w]);
            }
        }
        ArrayCopy { dst, .. } => {
            let w = field_slots(&array_elem(store, inst, *dst)) as usize;
            let n = s.pop_u32() as u64;
            let sp = s.pop_u32() as u64;
            let so = pop_obj(store, s, Trap::NullArrayReference)?;
            let dp = s.pop_u32() as u64;
            let d_o = pop_obj(store, s, Trap::NullArrayReference)?;
            let (dlen, slen) = (store.gc[d_o].slots.len() / w, store.gc[so].slots.len() / w);
            if !in_bounds(dp, n, dlen) || !in_bounds(sp, n, slen) {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            store.charge_bulk(n, 1)?;
            let src: Vec<u64> = store.gc[so].slots[sp as usize * w..(sp + n) as usize * w].to_vec();
            store.gc[d_o].slots[dp as usize * w..(dp + n) as usize * w].copy_from_slice(&src);
        }
        ArrayInitData { ty, data } => {
            let elem = array_elem(store, inst, *ty);
            let w = field_slots(&elem) as usize;
            let n = s.pop_u32() as u64;
            let sp = s.pop_u32() as u64;
            let dp = s.pop_u32() as u64;
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            if !in_bounds(dp, n, store.gc[o].slots.len() / w) {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            let bytes = store.instances[inst as usize].data_bytes(*data);
            let vals = data_elems(bytes, sp, n, elem)?;
            store.charge_bulk(n, 1)?;
            store.gc[o].slots[dp as usize * w..dp as usize * w + vals.len()].copy_from_slice(&vals);
        }
        ArrayInitElem { elem, .. } => {
            let n = s.pop_u32() as u64;
            let sp = s.pop_u32() as u64;
            let dp = s.pop_u32() as u64;
            let o = pop_obj(store, s, Trap::NullArrayReference)?;
            if !in_bounds(dp, n, store.gc[o].slots.len()) {
                return Err(Trap::OutOfBoundsArrayAccess);
            }
            let seg = &store.instances[inst as usize].elems[*elem as usize];
            if !in_bounds(sp, n, seg.len()) {
                return Err(Trap::OutOfBoundsTableAccess);
            }
            let vals: Vec<u64> = seg[sp as usize..(sp + n) as usize].to_vec();
            store.charge_bulk(n, 1)?;
            store.gc[o].slots[dp as usize..(dp + n) as usize].copy_from_slice(&vals);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

impl Store {
    /// Whether a reference is to a struct.
    pub fn is_struct(&self, r: crate::AnyRef) -> bool {
        ref_test_abstract(self, r.0, AbsHeap::Struct)
    }

    /// Whether a reference is to an array.
    pub fn is_array(&self, r: crate::AnyRef) -> bool {
        ref_test_abstract(self, r.0, AbsHeap::Array)
    }
}
