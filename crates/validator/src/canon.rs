//! Iso-recursive type canonicalization, as the GC proposal defines it.
//!
//! Two defined types are equal when their recursion groups are structurally
//! identical (references inside the group compared by position, references
//! outside it by the canonical identity of the target) and they sit at the
//! same position in the group. A [`TypeRegistry`] hash-conses whole groups,
//! so equal types get the same [`CanonId`] — within one module and across
//! every module registered with the same registry, which is what a runtime
//! needs to match imports against exports.

use std::collections::HashMap;

use weft_ast::{CompositeType, HeapType, RecGroup, StorageType, SubType, ValType};

/// The canonical identity of a defined type in a [`TypeRegistry`]: equal ids
/// mean equal types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CanonId(pub u32);

/// Interns recursion groups so that structurally equal groups share ids.
///
/// Share one registry between the modules of a store to compare their types
/// (`call_indirect` signatures, import matching) by id.
#[derive(Clone, Debug, Default)]
pub struct TypeRegistry {
    /// Group keys to the id of the group's first type.
    groups: HashMap<Box<[u32]>, u32>,
    /// Every canonical type, with concrete heap types rewritten to canonical
    /// ids (`HeapType::Concrete(id)` means `CanonId(id)`).
    types: Vec<SubType>,
    /// The declared supertype of each canonical type.
    supers: Vec<Option<CanonId>>,
}

// Tags of the key encoding; each item of a key starts with one, so that the
// encoding is unambiguous.
const REC: u32 = 0x1000_0000;
const ID: u32 = 0x2000_0000;

impl TypeRegistry {
    /// An empty registry.
    pub fn new() -> TypeRegistry {
        TypeRegistry::default()
    }

    /// Number of canonical types interned so far.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether nothing was interned yet.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The canonical form of a type: concrete heap types and supertypes name
    /// canonical ids rather than a module's type indices.
    pub fn get(&self, id: CanonId) -> Option<&SubType> {
        self.types.get(id.0 as usize)
    }

    /// The declared supertype of a canonical type.
    pub fn supertype(&self, id: CanonId) -> Option<CanonId> {
        self.supers.get(id.0 as usize).copied().flatten()
    }

    /// Whether `sub` is `sup` or declares it, directly or transitively, as a
    /// supertype.
    pub fn is_subtype(&self, sub: CanonId, sup: CanonId) -> bool {
        let mut cur = Some(sub);
        // For validated types the chain is acyclic (a supertype precedes its
        // subtypes); the step bound keeps unvalidated input from looping.
        for _ in 0..=self.types.len() {
            match cur {
                Some(id) if id == sup => return true,
                Some(id) => cur = self.supertype(id),
                None => return false,
            }
        }
        false
    }

    /// Interns one recursion group of `types` (a module's flat type list),
    /// whose earlier types have the canonical ids `earlier` (one per type
    /// index before `group.start`). Returns the id of the group's first type;
    /// the group's types get consecutive ids.
    ///
    /// Every type index that the group mentions should be below
    /// `group.start + group.len` (validation checks this first); other
    /// indices do not panic but give ids that match nothing.
    ///
    /// # Panics
    /// If `group` lies outside `types`.
    pub fn intern_group(
        &mut self,
        types: &[SubType],
        group: RecGroup,
        earlier: &[CanonId],
    ) -> CanonId {
        let start = group.start as usize;
        let end = start + group.len as usize;
        let members = &types[start..end];
        let mut key = Vec::with_capacity(8 * members.len());
        for sub in members {
            encode_sub(&mut key, sub, group, earlier);
        }
        if let Some(&first) = self.groups.get(key.as_slice()) {
            return CanonId(first);
        }
        let first = self.types.len() as u32;
        let to_canon = |idx: u32| -> u32 {
            if idx >= group.start {
                first.saturating_add(idx - group.start)
            } else {
                earlier.get(idx as usize).map_or(u32::MAX, |c| c.0)
            }
        };
        for sub in members {
            let canon = map_sub(sub, &to_canon);
            self.supers
                .push(canon.supertypes.first().map(|&s| CanonId(s)));
            self.types.push(canon);
        }
        self.groups.insert(key.into_boxed_slice(), first);
        CanonId(first)
    }
}

fn encode_idx(key: &mut Vec<u32>, idx: u32, group: RecGroup, earlier: &[CanonId]) {
    if idx >= group.start {
        key.push(REC);
        key.push(idx - group.start);
    } else {
        // Out of range only for unvalidated input: a key no valid type has.
        key.push(ID);
        key.push(earlier.get(idx as usize).map_or(u32::MAX, |c| c.0));
    }
}

fn encode_val(key: &mut Vec<u32>, v: ValType, group: RecGroup, earlier: &[CanonId]) {
    match v {
        ValType::I32 => key.push(1),
        ValType::I64 => key.push(2),
        ValType::F32 => key.push(3),
        ValType::F64 => key.push(4),
        ValType::V128 => key.push(5),
        ValType::Ref(r) => {
            key.push(if r.nullable { 6 } else { 7 });
            match r.heap {
                HeapType::Abstract(a) => key.push(0x100 | a as u32),
                HeapType::Concrete(i) => encode_idx(key, i, group, earlier),
                HeapType::Exact(i) => {
                    key.push(0x200);
                    encode_idx(key, i, group, earlier);
                }
            }
        }
    }
}

fn encode_field(key: &mut Vec<u32>, f: &weft_ast::FieldType, group: RecGroup, earlier: &[CanonId]) {
    key.push(f.mutable as u32);
    match f.storage {
        StorageType::I8 => key.push(8),
        StorageType::I16 => key.push(9),
        StorageType::Val(v) => encode_val(key, v, group, earlier),
    }
}

fn encode_sub(key: &mut Vec<u32>, sub: &SubType, group: RecGroup, earlier: &[CanonId]) {
    key.push(sub.is_final as u32);
    key.push(sub.supertypes.len() as u32);
    for &s in &sub.supertypes {
        encode_idx(key, s, group, earlier);
    }
    // The descriptor clauses are part of a type's identity.
    for clause in [sub.describes, sub.descriptor] {
        match clause {
            Some(x) => {
                key.push(1);
                encode_idx(key, x, group, earlier);
            }
            None => key.push(0),
        }
    }
    match &sub.composite {
        CompositeType::Func(f) => {
            key.push(0x60);
            key.push(f.params.len() as u32);
            for &p in &f.params {
                encode_val(key, p, group, earlier);
            }
            key.push(f.results.len() as u32);
            for &r in &f.results {
                encode_val(key, r, group, earlier);
            }
        }
        CompositeType::Struct(fields) => {
            key.push(0x5f);
            key.push(fields.len() as u32);
            for f in fields {
                encode_field(key, f, group, earlier);
            }
        }
        CompositeType::Array(f) => {
            key.push(0x5e);
            encode_field(key, f, group, earlier);
        }
    }
}

fn map_val(v: ValType, to: &impl Fn(u32) -> u32) -> ValType {
    match v {
        ValType::Ref(mut r) => {
            r.heap = match r.heap {
                HeapType::Concrete(i) => HeapType::Concrete(to(i)),
                HeapType::Exact(i) => HeapType::Exact(to(i)),
                abs => abs,
            };
            ValType::Ref(r)
        }
        other => other,
    }
}

fn map_field(f: &weft_ast::FieldType, to: &impl Fn(u32) -> u32) -> weft_ast::FieldType {
    let storage = match f.storage {
        StorageType::Val(v) => StorageType::Val(map_val(v, to)),
        packed => packed,
    };
    weft_ast::FieldType {
        storage,
        mutable: f.mutable,
    }
}

fn map_sub(sub: &SubType, to: &impl Fn(u32) -> u32) -> SubType {
    let composite = match &sub.composite {
        CompositeType::Func(f) => CompositeType::Func(weft_ast::FuncType {
            params: f.params.iter().map(|&v| map_val(v, to)).collect(),
            results: f.results.iter().map(|&v| map_val(v, to)).collect(),
        }),
        CompositeType::Struct(fields) => {
            CompositeType::Struct(fields.iter().map(|f| map_field(f, to)).collect())
        }
        CompositeType::Array(f) => CompositeType::Array(map_field(f, to)),
    };
    SubType {
        is_final: sub.is_final,
        supertypes: sub.supertypes.iter().map(|&s| to(s)).collect(),
        describes: sub.describes.map(to),
        descriptor: sub.descriptor.map(to),
        composite,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::{FuncType, RefType};

    fn func_ref_to(idx: u32) -> SubType {
        SubType::plain(CompositeType::Func(FuncType {
            params: vec![ValType::Ref(RefType::new(true, HeapType::Concrete(idx)))],
            results: vec![],
        }))
    }

    fn group(start: u32, len: u32) -> RecGroup {
        RecGroup {
            start,
            len,
            explicit: true,
        }
    }

    #[test]
    fn equal_groups_share_ids_across_modules() {
        let mut reg = TypeRegistry::new();
        // Module A: a self-recursive function type.
        let a = [func_ref_to(0)];
        let ida = reg.intern_group(&a, group(0, 1), &[]);
        // Module B: an unrelated type first, then the same recursive type.
        let b = [
            SubType::plain(CompositeType::Func(FuncType::default())),
            func_ref_to(1),
        ];
        let b0 = reg.intern_group(&b, group(0, 1), &[]);
        let b1 = reg.intern_group(&b, group(1, 1), &[b0]);
        assert_eq!(ida, b1);
        assert_ne!(b0, b1);
        assert_eq!(reg.len(), 2);
    }

    #[test]
    fn position_in_group_matters() {
        let mut reg = TypeRegistry::new();
        // rec { f(ref 0); f(ref 1) }: both refer to themselves.
        let t = [func_ref_to(0), func_ref_to(1)];
        let first = reg.intern_group(&t, group(0, 2), &[]);
        // rec { f(ref 0) } is a different group.
        let single = reg.intern_group(&[func_ref_to(0)], group(0, 1), &[]);
        assert_ne!(first, single);
        assert_eq!(reg.len(), 3);
    }

    #[test]
    fn subtype_chain() {
        let mut reg = TypeRegistry::new();
        let base = SubType {
            is_final: false,
            supertypes: vec![],
            describes: None,
            descriptor: None,
            composite: CompositeType::Struct(vec![]),
        };
        let derived = SubType {
            is_final: false,
            supertypes: vec![0],
            describes: None,
            descriptor: None,
            composite: CompositeType::Struct(vec![]),
        };
        let t = [base, derived];
        let b = reg.intern_group(&t, group(0, 1), &[]);
        let d = reg.intern_group(&t, group(1, 1), &[b]);
        assert!(reg.is_subtype(d, b));
        assert!(!reg.is_subtype(b, d));
        assert_eq!(reg.supertype(d), Some(b));
    }
}
