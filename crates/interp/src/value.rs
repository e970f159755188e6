//! Values as the embedder sees them, and their untyped slot encoding.
//!
//! Inside the interpreter every value is one or two untyped 64-bit slots:
//! numbers and references take one, `v128` takes two (low half first).
//! References encode as `0` for null and `n + 1` for the `n`-th function or
//! host reference, so that a zeroed slot is always a valid default value.

use weft_ast::{AbsHeap, HeapType, Ieee32, Ieee64, ValType};

use crate::runtime::handles::Func;

/// The tag of an `i31` in an `any` slot.
pub(crate) const I31_TAG: u64 = 1 << 63;
/// The tag of an externalized host reference in an `any` slot.
pub(crate) const EXT_TAG: u64 = 1 << 62;
/// The tag of an internalized `any` value in an `extern` slot.
pub(crate) const ANY_TAG: u64 = 1 << 61;

/// A WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float, by its exact bits.
    F32(Ieee32),
    /// A 64-bit float, by its exact bits.
    F64(Ieee64),
    /// A 128-bit vector, lane 0 in the low bits.
    V128(u128),
    /// A function reference, or null.
    FuncRef(Option<Func>),
    /// A host reference (an opaque number chosen by the host), or null.
    ///
    /// An internal reference externalized by `extern.convert_any` has no
    /// host number: it reaches the host as `ExternRef(Some(n))` with an `n`
    /// that names no host value, and does not round-trip.
    ExternRef(Option<u32>),
    /// An exception reference (an opaque number of the store), or null.
    ExnRef(Option<u32>),
    /// A reference of the `any` hierarchy (`i31`, struct, array, or an
    /// internalized host reference), or null.
    AnyRef(Option<AnyRef>),
}

/// A non-null reference of the `any` hierarchy, opaque but for `i31`s; see
/// [`Store::is_struct`](crate::Store::is_struct) and
/// [`Store::is_array`](crate::Store::is_array).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AnyRef(pub(crate) u64);

impl AnyRef {
    /// The `i31` with the low 31 bits of `v`.
    pub fn i31(v: u32) -> AnyRef {
        AnyRef(I31_TAG | (v & 0x7fff_ffff) as u64)
    }

    /// Host reference `n` internalized (`any.convert_extern`).
    pub fn host(n: u32) -> AnyRef {
        AnyRef(EXT_TAG | (n as u64 + 1))
    }

    /// The host reference this internalizes, if it is one.
    pub fn as_host(self) -> Option<u32> {
        let e = self.0 & !EXT_TAG;
        (self.0 & EXT_TAG != 0 && e & ANY_TAG == 0)
            .then(|| decode_ref(e))
            .flatten()
    }

    /// The value of an `i31` (unsigned), if this is one.
    pub fn as_i31(self) -> Option<u32> {
        (self.0 & I31_TAG != 0).then_some(self.0 as u32 & 0x7fff_ffff)
    }
}

impl Value {
    /// The default value of a type (zero or null).
    pub fn default_for(ty: ValType) -> Value {
        Value::from_slots(ty, 0, 0)
    }

    /// The value's type (references report their nullable abstract type).
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
            Value::FuncRef(_) => ValType::FUNCREF,
            Value::ExternRef(_) => ValType::EXTERNREF,
            Value::ExnRef(_) => ValType::Ref(weft_ast::RefType::EXNREF),
            Value::AnyRef(_) => ValType::Ref(weft_ast::RefType::new(
                true,
                HeapType::Abstract(AbsHeap::Any),
            )),
        }
    }

    /// Whether this value belongs to type `ty` (null references belong to
    /// every nullable reference type of their hierarchy).
    pub fn has_type(&self, ty: ValType) -> bool {
        match (self, ty) {
            (Value::I32(_), ValType::I32)
            | (Value::I64(_), ValType::I64)
            | (Value::F32(_), ValType::F32)
            | (Value::F64(_), ValType::F64)
            | (Value::V128(_), ValType::V128) => true,
            (Value::FuncRef(r), ValType::Ref(rt)) => {
                heap_top(rt.heap) == Some(AbsHeap::Func) && (r.is_some() || rt.nullable)
            }
            (Value::ExternRef(r), ValType::Ref(rt)) => {
                heap_top(rt.heap) == Some(AbsHeap::Extern) && (r.is_some() || rt.nullable)
            }
            (Value::AnyRef(r), ValType::Ref(rt)) => {
                heap_top(rt.heap) == Some(AbsHeap::Any) && (r.is_some() || rt.nullable)
            }
            (Value::ExnRef(r), ValType::Ref(rt)) => {
                heap_top(rt.heap) == Some(AbsHeap::Exn) && (r.is_some() || rt.nullable)
            }
            _ => false,
        }
    }

    /// The slot encoding: the low slot and (for `v128`) the high slot.
    pub(crate) fn to_slots(self) -> (u64, u64) {
        match self {
            Value::I32(v) => (v as u32 as u64, 0),
            Value::I64(v) => (v as u64, 0),
            Value::F32(v) => (v.0 as u64, 0),
            Value::F64(v) => (v.0, 0),
            Value::V128(v) => (v as u64, (v >> 64) as u64),
            Value::FuncRef(r) => (r.map_or(0, |f| f.0 as u64 + 1), 0),
            Value::ExternRef(r) | Value::ExnRef(r) => (r.map_or(0, |n| n as u64 + 1), 0),
            Value::AnyRef(r) => (r.map_or(0, |r| r.0), 0),
        }
    }

    /// The value of type `ty` that the slots encode.
    pub(crate) fn from_slots(ty: ValType, lo: u64, hi: u64) -> Value {
        match ty {
            ValType::I32 => Value::I32(lo as i32),
            ValType::I64 => Value::I64(lo as i64),
            ValType::F32 => Value::F32(Ieee32(lo as u32)),
            ValType::F64 => Value::F64(Ieee64(lo)),
            ValType::V128 => Value::V128(lo as u128 | (hi as u128) << 64),
            ValType::Ref(rt) => match heap_top(rt.heap) {
                Some(AbsHeap::Extern) => Value::ExternRef(decode_ref(lo)),
                Some(AbsHeap::Exn) => Value::ExnRef(decode_ref(lo)),
                Some(AbsHeap::Any) => Value::AnyRef((lo != 0).then_some(AnyRef(lo))),
                _ => Value::FuncRef(decode_ref(lo).map(Func)),
            },
        }
    }
}

/// Decodes a reference slot: `0` is null, `n + 1` is `n`.
pub(crate) fn decode_ref(slot: u64) -> Option<u32> {
    slot.checked_sub(1).map(|n| n as u32)
}

/// The top of an abstract heap type's hierarchy; a concrete type's is not
/// known without its module, and taken as `func` (a host value of a
/// concrete struct or array type is an [`Value::AnyRef`], which
/// [`Value::has_type`] accepts for `any` only).
fn heap_top(heap: HeapType) -> Option<AbsHeap> {
    match heap {
        HeapType::Abstract(a) => Some(a.top()),
        HeapType::Concrete(_) | HeapType::Exact(_) => Some(AbsHeap::Func),
    }
}

/// Slots a field of this type takes.
pub(crate) fn field_slots(f: &weft_ast::FieldType) -> u32 {
    match f.storage {
        weft_ast::StorageType::Val(ValType::V128) => 2,
        _ => 1,
    }
}

/// How many 64-bit slots a value of this type takes.
pub(crate) fn slots(ty: ValType) -> u32 {
    match ty {
        ValType::V128 => 2,
        _ => 1,
    }
}

/// How many 64-bit slots values of these types take together.
pub(crate) fn slots_of(types: &[ValType]) -> usize {
    types.iter().map(|&t| slots(t) as usize).sum()
}

impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::I32(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::I64(v)
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Value {
        Value::F32(Ieee32(v.to_bits()))
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::F64(Ieee64(v.to_bits()))
    }
}
