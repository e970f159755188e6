//! Value, reference, composite and entity types of Wasm 3.0, and their
//! one text rendering (`Display`, in the text format's syntax), which the
//! printer, the validator's messages and `weft dump` share.

use std::fmt;

/// Index into the type index space (a defined type of some recursion group).
pub type TypeIdx = u32;

/// A value type: numbers, vectors and references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
    /// 128-bit vector.
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref`, i.e. `(ref null func)`.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`, i.e. `(ref null extern)`.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);

    /// Whether a local of this type has a default value (numbers, vectors
    /// and nullable references do).
    pub fn is_defaultable(self) -> bool {
        match self {
            ValType::Ref(r) => r.nullable,
            _ => true,
        }
    }
}

/// A reference type: a heap type and whether `null` is a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefType {
    /// Whether the type includes `null`.
    pub nullable: bool,
    /// The heap type referred to.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref`.
    pub const FUNCREF: RefType = RefType::new(true, HeapType::Abstract(AbsHeap::Func));
    /// `externref`.
    pub const EXTERNREF: RefType = RefType::new(true, HeapType::Abstract(AbsHeap::Extern));
    /// `exnref`.
    pub const EXNREF: RefType = RefType::new(true, HeapType::Abstract(AbsHeap::Exn));

    /// A reference type from its parts.
    pub const fn new(nullable: bool, heap: HeapType) -> RefType {
        RefType { nullable, heap }
    }
}

/// A heap type: abstract or a concrete type index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// An abstract heap type.
    Abstract(AbsHeap),
    /// A defined type, by index.
    Concrete(TypeIdx),
    /// A defined type and none of its strict subtypes (custom descriptors:
    /// `(exact $t)`, binary `0x62` before the index).
    Exact(TypeIdx),
}

impl HeapType {
    /// The type index of a concrete heap type, exact or not.
    pub fn type_index(self) -> Option<TypeIdx> {
        match self {
            HeapType::Concrete(i) | HeapType::Exact(i) => Some(i),
            HeapType::Abstract(_) => None,
        }
    }

    /// Whether this is an exact heap type.
    pub fn is_exact(self) -> bool {
        matches!(self, HeapType::Exact(_))
    }

    /// The same heap type without exactness.
    pub fn inexact(self) -> HeapType {
        match self {
            HeapType::Exact(i) => HeapType::Concrete(i),
            h => h,
        }
    }
}

/// The abstract heap types, with their binary codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AbsHeap {
    /// `func`: any function.
    Func = 0x70,
    /// `nofunc`: the bottom of the func hierarchy.
    NoFunc = 0x73,
    /// `extern`: any host reference.
    Extern = 0x6f,
    /// `noextern`: the bottom of the extern hierarchy.
    NoExtern = 0x72,
    /// `any`: the top of the internal hierarchy.
    Any = 0x6e,
    /// `eq`: comparable references.
    Eq = 0x6d,
    /// `i31`: unboxed scalars.
    I31 = 0x6c,
    /// `struct`: any struct.
    Struct = 0x6b,
    /// `array`: any array.
    Array = 0x6a,
    /// `none`: the bottom of the internal hierarchy.
    None = 0x71,
    /// `exn`: exception references.
    Exn = 0x69,
    /// `noexn`: the bottom of the exception hierarchy.
    NoExn = 0x74,
}

impl AbsHeap {
    /// Every abstract heap type.
    pub const ALL: [AbsHeap; 12] = [
        AbsHeap::Func,
        AbsHeap::NoFunc,
        AbsHeap::Extern,
        AbsHeap::NoExtern,
        AbsHeap::Any,
        AbsHeap::Eq,
        AbsHeap::I31,
        AbsHeap::Struct,
        AbsHeap::Array,
        AbsHeap::None,
        AbsHeap::Exn,
        AbsHeap::NoExn,
    ];

    /// The heap type with this binary code, if any.
    pub fn from_code(code: u8) -> Option<AbsHeap> {
        AbsHeap::ALL.into_iter().find(|h| *h as u8 == code)
    }

    /// The text keyword (`func`, `nofunc`, ...).
    pub fn name(self) -> &'static str {
        match self {
            AbsHeap::Func => "func",
            AbsHeap::NoFunc => "nofunc",
            AbsHeap::Extern => "extern",
            AbsHeap::NoExtern => "noextern",
            AbsHeap::Any => "any",
            AbsHeap::Eq => "eq",
            AbsHeap::I31 => "i31",
            AbsHeap::Struct => "struct",
            AbsHeap::Array => "array",
            AbsHeap::None => "none",
            AbsHeap::Exn => "exn",
            AbsHeap::NoExn => "noexn",
        }
    }

    /// The text keyword of the nullable reference shorthand (`funcref`, ...).
    pub fn ref_name(self) -> &'static str {
        match self {
            AbsHeap::Func => "funcref",
            AbsHeap::NoFunc => "nullfuncref",
            AbsHeap::Extern => "externref",
            AbsHeap::NoExtern => "nullexternref",
            AbsHeap::Any => "anyref",
            AbsHeap::Eq => "eqref",
            AbsHeap::I31 => "i31ref",
            AbsHeap::Struct => "structref",
            AbsHeap::Array => "arrayref",
            AbsHeap::None => "nullref",
            AbsHeap::Exn => "exnref",
            AbsHeap::NoExn => "nullexnref",
        }
    }

    /// The top of this type's hierarchy (`func`, `extern`, `any` or `exn`).
    pub fn top(self) -> AbsHeap {
        match self {
            AbsHeap::Func | AbsHeap::NoFunc => AbsHeap::Func,
            AbsHeap::Extern | AbsHeap::NoExtern => AbsHeap::Extern,
            AbsHeap::Exn | AbsHeap::NoExn => AbsHeap::Exn,
            _ => AbsHeap::Any,
        }
    }

    /// The bottom of this type's hierarchy (`nofunc`, `noextern`, `none` or `noexn`).
    pub fn bottom(self) -> AbsHeap {
        match self.top() {
            AbsHeap::Func => AbsHeap::NoFunc,
            AbsHeap::Extern => AbsHeap::NoExtern,
            AbsHeap::Exn => AbsHeap::NoExn,
            _ => AbsHeap::None,
        }
    }
}

/// A field's storage type: a value type or a packed integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StorageType {
    /// Packed 8-bit integer.
    I8,
    /// Packed 16-bit integer.
    I16,
    /// An unpacked value.
    Val(ValType),
}

impl StorageType {
    /// The value type a read of this field produces (`i32` for packed fields).
    pub fn unpacked(self) -> ValType {
        match self {
            StorageType::I8 | StorageType::I16 => ValType::I32,
            StorageType::Val(v) => v,
        }
    }
}

/// A struct field or array element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldType {
    /// What the field stores.
    pub storage: StorageType,
    /// Whether the field can be written after creation.
    pub mutable: bool,
}

/// A function signature.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameter types, in order.
    pub params: Vec<ValType>,
    /// Result types, in order.
    pub results: Vec<ValType>,
}

/// The shape of a defined type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CompositeType {
    /// A function type.
    Func(FuncType),
    /// A struct type with its fields.
    Struct(Vec<FieldType>),
    /// An array type with its element type.
    Array(FieldType),
}

/// A defined type: a composite type, its declared supertypes and whether it
/// is final.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubType {
    /// Final types cannot be extended.
    pub is_final: bool,
    /// Declared supertypes (at most one is valid).
    pub supertypes: Vec<TypeIdx>,
    /// The `describes` clause (custom descriptors): the type whose
    /// descriptor this type is (binary `0x4c`).
    pub describes: Option<TypeIdx>,
    /// The `descriptor` clause (custom descriptors): the type of this
    /// type's descriptors (binary `0x4d`).
    pub descriptor: Option<TypeIdx>,
    /// The structure of the type.
    pub composite: CompositeType,
}

impl SubType {
    /// A final type with no supertypes: what the MVP `functype` means.
    pub fn plain(composite: CompositeType) -> SubType {
        SubType {
            is_final: true,
            supertypes: Vec::new(),
            describes: None,
            descriptor: None,
            composite,
        }
    }
}

/// A recursion group: a run of consecutive defined types that may refer to
/// each other. The module keeps its types flat (`Module::types`, indexed by
/// type index); a group names the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecGroup {
    /// Type index of the group's first type.
    pub start: TypeIdx,
    /// Number of types in the group.
    pub len: u32,
    /// Whether the group was written explicitly (`rec` / 0x4e) rather than as
    /// a single type; a singleton explicit group is kept as written.
    pub explicit: bool,
}

/// Index type of a memory or table address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum AddrType {
    /// 32-bit addresses.
    #[default]
    I32,
    /// 64-bit addresses (memory64, table64).
    I64,
}

impl AddrType {
    /// The value type of addresses.
    pub fn val_type(self) -> ValType {
        match self {
            AddrType::I32 => ValType::I32,
            AddrType::I64 => ValType::I64,
        }
    }
}

/// Size limits, in pages or elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Limits {
    /// The initial size.
    pub min: u64,
    /// The optional maximum size.
    pub max: Option<u64>,
}

/// The type of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Address type.
    pub addr: AddrType,
    /// Size limits in elements.
    pub limits: Limits,
    /// Element reference type.
    pub elem: RefType,
}

/// The type of a memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Address type.
    pub addr: AddrType,
    /// Size limits in pages.
    pub limits: Limits,
    /// Shared flag (threads).
    pub shared: bool,
    /// Log2 of the page size when given explicitly (custom page sizes);
    /// `None` means the default 64 KiB.
    pub page_size_log2: Option<u32>,
}

/// The type of a global.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// Value type.
    pub val: ValType,
    /// Whether `global.set` may write it.
    pub mutable: bool,
}

/// The type of an exception tag: a function type index whose results are empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TagType {
    /// The tag attribute byte (0: exception).
    pub attribute: u8,
    /// Index of the tag's function type.
    pub ty: TypeIdx,
}

/// Writes a type index: its number, or what a caller's naming gives
/// ([`ValType::display_with`]).
type IndexWriter<'a> = &'a dyn Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result;

fn write_index(idx: TypeIdx, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{idx}")
}

fn write_heap(h: HeapType, f: &mut fmt::Formatter<'_>, idx: IndexWriter<'_>) -> fmt::Result {
    match h {
        HeapType::Abstract(a) => f.write_str(a.name()),
        HeapType::Concrete(i) => idx(i, f),
        HeapType::Exact(i) => {
            f.write_str("(exact ")?;
            idx(i, f)?;
            f.write_str(")")
        }
    }
}

fn write_ref(r: RefType, f: &mut fmt::Formatter<'_>, idx: IndexWriter<'_>) -> fmt::Result {
    match r.heap {
        HeapType::Abstract(a) if r.nullable => f.write_str(a.ref_name()),
        heap => {
            f.write_str(if r.nullable { "(ref null " } else { "(ref " })?;
            write_heap(heap, f, idx)?;
            f.write_str(")")
        }
    }
}

fn write_val(v: ValType, f: &mut fmt::Formatter<'_>, idx: IndexWriter<'_>) -> fmt::Result {
    f.write_str(match v {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        ValType::Ref(r) => return write_ref(r, f, idx),
    })
}

/// A type displayed with its type indices written by a caller
/// ([`ValType::display_with`] and its kin).
pub struct DisplayWith<T, F> {
    ty: T,
    idx: F,
}

impl<F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display
    for DisplayWith<ValType, F>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_val(self.ty, f, &self.idx)
    }
}

impl<F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display
    for DisplayWith<RefType, F>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ref(self.ty, f, &self.idx)
    }
}

impl<F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display
    for DisplayWith<HeapType, F>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_heap(self.ty, f, &self.idx)
    }
}

impl ValType {
    /// The text form with type indices written by `idx` (a printer's
    /// `$id`s); [`Display`](fmt::Display) writes them as numbers.
    pub fn display_with<F>(self, idx: F) -> DisplayWith<ValType, F>
    where
        F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result,
    {
        DisplayWith { ty: self, idx }
    }
}

impl RefType {
    /// The text form with type indices written by `idx`; see
    /// [`ValType::display_with`].
    pub fn display_with<F>(self, idx: F) -> DisplayWith<RefType, F>
    where
        F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result,
    {
        DisplayWith { ty: self, idx }
    }
}

impl HeapType {
    /// The text form with type indices written by `idx`; see
    /// [`ValType::display_with`].
    pub fn display_with<F>(self, idx: F) -> DisplayWith<HeapType, F>
    where
        F: Fn(TypeIdx, &mut fmt::Formatter<'_>) -> fmt::Result,
    {
        DisplayWith { ty: self, idx }
    }
}

/// `i32`, `v128`, `funcref`, `(ref null 3)`, `(ref (exact 2))`: the text
/// format's syntax, with the `funcref`-style shorthand where one exists.
impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_val(*self, f, &write_index)
    }
}

/// `externref`, `(ref any)`, `(ref null 0)`, as for [`ValType`].
impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ref(*self, f, &write_index)
    }
}

/// `func`, `3`, `(exact 3)`.
impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_heap(*self, f, &write_index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_syntax() {
        let r = |n, h| ValType::Ref(RefType::new(n, h));
        assert_eq!(ValType::I32.to_string(), "i32");
        assert_eq!(ValType::V128.to_string(), "v128");
        assert_eq!(ValType::FUNCREF.to_string(), "funcref");
        assert_eq!(
            r(true, HeapType::Abstract(AbsHeap::NoExn)).to_string(),
            "nullexnref"
        );
        assert_eq!(
            r(false, HeapType::Abstract(AbsHeap::Any)).to_string(),
            "(ref any)"
        );
        assert_eq!(r(true, HeapType::Concrete(3)).to_string(), "(ref null 3)");
        assert_eq!(r(false, HeapType::Exact(2)).to_string(), "(ref (exact 2))");
        assert_eq!(HeapType::Abstract(AbsHeap::Eq).to_string(), "eq");
        let named = r(true, HeapType::Exact(1)).display_with(|i, f| write!(f, "$t{i}"));
        assert_eq!(named.to_string(), "(ref null (exact $t1))");
    }
}
