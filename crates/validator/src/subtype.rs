//! The subtype relation of reference and value types, written once over any
//! type section: the validator decides with it, and a generator (weft-smith)
//! that must produce only what the validator accepts uses the same rule.

use weft_ast::{AbsHeap, CompositeType, HeapType, RefType, SubType, TypeIdx, ValType};

/// Subtyping over a module's types. Implementors say where a type index
/// leads (`sub_type`) and, where they know it, when two indices denote the
/// same type (`same_type`, by default index equality); every relation
/// follows from those.
pub trait Subtyping {
    /// The type at `idx`, if there is one.
    fn sub_type(&self, idx: TypeIdx) -> Option<&SubType>;

    /// Whether two type indices denote the same type. Index equality by
    /// default; the validator compares canonical (iso-recursive) ids.
    fn same_type(&self, a: TypeIdx, b: TypeIdx) -> bool {
        a == b
    }

    /// The abstract heap type a concrete type falls under (`func`,
    /// `struct` or `array`); `none` for an index with no type.
    fn concrete_top(&self, idx: TypeIdx) -> AbsHeap {
        match self.sub_type(idx).map(|s| &s.composite) {
            Some(CompositeType::Func(_)) => AbsHeap::Func,
            Some(CompositeType::Struct(_)) => AbsHeap::Struct,
            Some(CompositeType::Array(_)) => AbsHeap::Array,
            None => AbsHeap::None,
        }
    }

    /// The top of a heap type's hierarchy.
    fn top(&self, h: HeapType) -> AbsHeap {
        match h {
            HeapType::Abstract(a) => a.top(),
            HeapType::Concrete(i) | HeapType::Exact(i) => self.concrete_top(i).top(),
        }
    }

    /// Whether concrete type `a` is `b` or a declared (transitive) subtype.
    fn concrete_sub(&self, a: TypeIdx, b: TypeIdx) -> bool {
        let mut cur = a;
        // Only a smaller index is followed (supertypes precede their
        // subtypes), so the walk ends on any input.
        loop {
            if self.same_type(cur, b) {
                return true;
            }
            match self.sub_type(cur).and_then(|s| s.supertypes.first()) {
                Some(&s) if s < cur => cur = s,
                _ => return false,
            }
        }
    }

    /// Whether heap type `a` matches heap type `b`.
    fn heap_sub(&self, a: HeapType, b: HeapType) -> bool {
        use AbsHeap::*;
        match (a, b) {
            (HeapType::Abstract(x), HeapType::Abstract(y)) => {
                x == y
                    || match y {
                        Any => matches!(x, Eq | I31 | Struct | Array | None),
                        Eq => matches!(x, I31 | Struct | Array | None),
                        I31 | Struct | Array => x == None,
                        Func => x == NoFunc,
                        Extern => x == NoExtern,
                        Exn => x == NoExn,
                        _ => false,
                    }
            }
            (HeapType::Concrete(i) | HeapType::Exact(i), HeapType::Abstract(y)) => {
                let k = self.concrete_top(i);
                k == y || (k != Func && matches!(y, Eq | Any))
            }
            (HeapType::Abstract(x), HeapType::Concrete(j) | HeapType::Exact(j)) => {
                x == self.concrete_top(j).bottom()
            }
            (HeapType::Concrete(i) | HeapType::Exact(i), HeapType::Concrete(j)) => {
                self.concrete_sub(i, j)
            }
            // An exact type holds its own type only: no strict subtype.
            (HeapType::Exact(i), HeapType::Exact(j)) => self.same_type(i, j),
            (HeapType::Concrete(_), HeapType::Exact(_)) => false,
        }
    }

    /// Whether reference type `a` matches `b`.
    fn ref_sub(&self, a: RefType, b: RefType) -> bool {
        (!a.nullable || b.nullable) && self.heap_sub(a.heap, b.heap)
    }

    /// Whether value type `a` matches `b`.
    fn val_sub(&self, a: ValType, b: ValType) -> bool {
        match (a, b) {
            (ValType::Ref(x), ValType::Ref(y)) => self.ref_sub(x, y),
            _ => a == b,
        }
    }
}
