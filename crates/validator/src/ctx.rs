//! The module context: every index space with its types, and the subtype
//! relation over the module's value, reference and heap types.

use weft_ast::{
    AbsHeap, CompositeType, Features, FieldType, FuncType, GlobalType, HeapType, MemoryType,
    Module, RefType, StorageType, SubType, TableType, TypeIdx, ValType,
};

use crate::canon::CanonId;
use crate::error::{Result, err};
use crate::subtype::Subtyping;

/// An operand type of the validation algorithm: a value type, or one of the
/// two "bottom" types that only arise in unreachable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// An unknown operand (popped from the polymorphic stack).
    Unknown,
    /// `(ref bot)`: a non-null reference of unknown heap type.
    BotRef,
    /// A known value type.
    Val(ValType),
}

/// Everything the instruction and constant-expression checks need to know
/// about the module: the module itself and its index spaces (reached
/// through `Deref`, as `ctx.funcs`).
pub(crate) struct Ctx<'m> {
    pub m: &'m Module,
    pub spaces: Spaces,
}

/// The module's index spaces with their types. Kept apart from the module
/// reference so that the fused path can hold them while the rest of the
/// module is decoded, and check the data segments once it is.
pub(crate) struct Spaces {
    pub features: Features,
    /// Canonical id of each type index.
    pub canon: Vec<CanonId>,
    /// Type index of each function (imports first).
    pub funcs: Vec<TypeIdx>,
    pub num_imported_funcs: u32,
    /// Whether each imported function is imported exactly (custom
    /// descriptors), which makes its `ref.func` exact.
    pub exact_imports: Vec<bool>,
    pub tables: Vec<TableType>,
    pub mems: Vec<MemoryType>,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    /// Type index of each tag's function type.
    pub tags: Vec<TypeIdx>,
    pub elem_types: Vec<RefType>,
    pub num_datas: u32,
    /// Functions that `ref.func` may name in bodies.
    pub declared: Vec<bool>,
}

impl std::ops::Deref for Ctx<'_> {
    type Target = Spaces;
    fn deref(&self) -> &Spaces {
        &self.spaces
    }
}

impl std::ops::DerefMut for Ctx<'_> {
    fn deref_mut(&mut self) -> &mut Spaces {
        &mut self.spaces
    }
}

static EMPTY_FUNC: FuncType = FuncType {
    params: Vec::new(),
    results: Vec::new(),
};

impl Subtyping for Ctx<'_> {
    fn sub_type(&self, idx: TypeIdx) -> Option<&SubType> {
        self.m.types.get(idx as usize)
    }

    fn same_type(&self, a: TypeIdx, b: TypeIdx) -> bool {
        a == b
            || matches!(
                (self.canon.get(a as usize), self.canon.get(b as usize)),
                (Some(x), Some(y)) if x == y
            )
    }
}

impl<'m> Ctx<'m> {
    pub fn sub_type(&self, idx: TypeIdx) -> Option<&'m SubType> {
        self.m.types.get(idx as usize)
    }

    /// The function type at `idx`: `unknown type` when out of range, a
    /// mismatch when the type is not a function type.
    pub fn func_type(&self, idx: TypeIdx) -> Result<&'m FuncType> {
        match self.sub_type(idx).map(|s| &s.composite) {
            Some(CompositeType::Func(f)) => Ok(f),
            Some(_) => Err(err(format!(
                "type mismatch: type {idx} is not a function type"
            ))),
            None => Err(err(format!("unknown type {idx}"))),
        }
    }

    /// The type of function `func`.
    pub fn func_type_of(&self, func: u32) -> Result<&'m FuncType> {
        match self.funcs.get(func as usize) {
            Some(&ty) => Ok(self.func_type(ty).unwrap_or(&EMPTY_FUNC)),
            None => Err(err(format!("unknown function {func}"))),
        }
    }

    pub fn struct_type(&self, idx: TypeIdx) -> Result<&'m [FieldType]> {
        match self.sub_type(idx).map(|s| &s.composite) {
            Some(CompositeType::Struct(f)) => Ok(f),
            Some(_) => Err(err(format!(
                "type mismatch: type {idx} is not a struct type"
            ))),
            None => Err(err(format!("unknown type {idx}"))),
        }
    }

    pub fn array_type(&self, idx: TypeIdx) -> Result<FieldType> {
        match self.sub_type(idx).map(|s| &s.composite) {
            Some(CompositeType::Array(f)) => Ok(*f),
            Some(_) => Err(err(format!(
                "type mismatch: type {idx} is not an array type"
            ))),
            None => Err(err(format!("unknown type {idx}"))),
        }
    }

    pub fn table(&self, idx: u32) -> Result<TableType> {
        self.tables
            .get(idx as usize)
            .copied()
            .ok_or_else(|| err(format!("unknown table {idx}")))
    }

    pub fn memory(&self, idx: u32) -> Result<MemoryType> {
        match self.mems.get(idx as usize) {
            Some(m) => Ok(*m),
            None => Err(err(format!("unknown memory {idx}"))),
        }
    }

    /// The address type of a memory.
    #[inline(always)]
    pub fn mem_addr(&self, idx: u32) -> Result<weft_ast::AddrType> {
        match self.mems.get(idx as usize) {
            Some(m) => Ok(m.addr),
            None => Err(err(format!("unknown memory {idx}"))),
        }
    }

    pub fn global(&self, idx: u32) -> Result<GlobalType> {
        self.globals
            .get(idx as usize)
            .copied()
            .ok_or_else(|| err(format!("unknown global {idx}")))
    }

    pub fn tag_type(&self, idx: u32) -> Result<&'m FuncType> {
        match self.tags.get(idx as usize) {
            Some(&ty) => Ok(self.func_type(ty).unwrap_or(&EMPTY_FUNC)),
            None => Err(err(format!("unknown tag {idx}"))),
        }
    }

    pub fn elem_type(&self, idx: u32) -> Result<RefType> {
        self.elem_types
            .get(idx as usize)
            .copied()
            .ok_or_else(|| err(format!("unknown elem segment {idx}")))
    }

    pub fn check_data(&self, idx: u32) -> Result<()> {
        if idx < self.num_datas {
            Ok(())
        } else {
            Err(err(format!("unknown data segment {idx}")))
        }
    }

    // ----- well-formedness of types -----

    /// Checks that a heap type exists (concrete indices below `bound`) and
    /// that its proposal is enabled.
    pub fn check_heap(&self, h: HeapType, bound: u32) -> Result<()> {
        match h {
            HeapType::Exact(i) => {
                if !self.features.contains(Features::CUSTOM_DESCRIPTORS) {
                    return Err(err("exact reference types require custom-descriptors"));
                }
                if i >= bound {
                    return Err(err(format!("unknown type {i}")));
                }
            }
            HeapType::Concrete(i) => {
                if !self.features.contains(Features::FUNCTION_REFERENCES) {
                    return Err(err("concrete reference types require function-references"));
                }
                if i >= bound {
                    return Err(err(format!("unknown type {i}")));
                }
            }
            HeapType::Abstract(a) => {
                let need = match a {
                    // (funcref as the MVP's table element type is let
                    // through by the table check itself.)
                    AbsHeap::Func | AbsHeap::Extern => Features::REFERENCE_TYPES,
                    AbsHeap::Exn | AbsHeap::NoExn => Features::EXCEPTIONS,
                    _ => Features::GC,
                };
                if !self.features.contains(need) {
                    return Err(err(format!(
                        "heap type {} requires a disabled proposal",
                        a.name()
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn check_ref(&self, r: RefType, bound: u32) -> Result<()> {
        if !r.nullable && !self.features.contains(Features::FUNCTION_REFERENCES) {
            return Err(err("non-nullable references require function-references"));
        }
        self.check_heap(r.heap, bound)
    }

    pub fn check_val(&self, v: ValType, bound: u32) -> Result<()> {
        match v {
            ValType::V128 if !self.features.contains(Features::SIMD) => {
                Err(err("v128 requires the simd proposal"))
            }
            ValType::Ref(r) => self.check_ref(r, bound),
            _ => Ok(()),
        }
    }

    /// Checks a value type against every defined type.
    pub fn check_val_all(&self, v: ValType) -> Result<()> {
        self.check_val(v, self.m.types.len() as u32)
    }

    // ----- subtyping (the relation itself is `Subtyping`'s) -----

    pub fn ty_sub(&self, a: Ty, b: ValType) -> bool {
        match a {
            Ty::Unknown => true,
            Ty::BotRef => matches!(b, ValType::Ref(_)),
            Ty::Val(v) => v == b || self.val_sub(v, b),
        }
    }

    fn storage_sub(&self, a: StorageType, b: StorageType) -> bool {
        match (a, b) {
            (StorageType::Val(x), StorageType::Val(y)) => self.val_sub(x, y),
            _ => a == b,
        }
    }

    fn storage_eq(&self, a: StorageType, b: StorageType) -> bool {
        self.storage_sub(a, b) && self.storage_sub(b, a)
    }

    pub fn field_sub(&self, a: FieldType, b: FieldType) -> bool {
        a.mutable == b.mutable
            && if a.mutable {
                self.storage_eq(a.storage, b.storage)
            } else {
                self.storage_sub(a.storage, b.storage)
            }
    }

    /// Whether composite type `a` matches `b` (the declared-supertype check).
    pub fn composite_sub(&self, a: &CompositeType, b: &CompositeType) -> bool {
        match (a, b) {
            (CompositeType::Func(x), CompositeType::Func(y)) => {
                x.params.len() == y.params.len()
                    && x.results.len() == y.results.len()
                    && x.params
                        .iter()
                        .zip(&y.params)
                        .all(|(p, q)| self.val_sub(*q, *p))
                    && x.results
                        .iter()
                        .zip(&y.results)
                        .all(|(p, q)| self.val_sub(*p, *q))
            }
            (CompositeType::Struct(x), CompositeType::Struct(y)) => {
                x.len() >= y.len() && x.iter().zip(y).all(|(p, q)| self.field_sub(*p, *q))
            }
            (CompositeType::Array(x), CompositeType::Array(y)) => self.field_sub(*x, *y),
            _ => false,
        }
    }
}

/// Text form of an operand type, for messages (value types by their
/// `Display`, the text format's syntax).
pub(crate) fn ty_name(t: Ty) -> String {
    match t {
        Ty::Unknown => "unknown".to_string(),
        Ty::BotRef => "(ref bot)".to_string(),
        Ty::Val(v) => v.to_string(),
    }
}
