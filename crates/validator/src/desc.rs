//! The custom-descriptors proposal: the rules on `describes`/`descriptor`
//! clauses of type definitions, and the typing of the instructions that
//! allocate with, read and compare descriptors.
//!
//! The messages are the reference interpreter's, which the testsuite
//! expects.

use crate::subtype::Subtyping;
use weft_ast::{CompositeType, Features, HeapType, RecGroup, RefType, SubType, ValType};

use crate::ctx::{Ctx, Ty};
use crate::error::{Result, err};
use crate::stack::Stacks;

fn reft(nullable: bool, heap: HeapType) -> ValType {
    ValType::Ref(RefType::new(nullable, heap))
}

/// A concrete heap type, exact or not, as asked.
fn concrete(exact: bool, idx: u32) -> HeapType {
    if exact {
        HeapType::Exact(idx)
    } else {
        HeapType::Concrete(idx)
    }
}

/// Checks type `idx`'s own clauses in its recursion group `g` (before the
/// group is canonicalized): both ends in the group, both structs, each
/// clause answered by the other type's, a `describes` only naming an
/// earlier type (so descriptor chains have no cycles).
pub(crate) fn check_clauses(ctx: &Ctx<'_>, g: RecGroup, idx: u32, t: &SubType) -> Result<()> {
    if t.describes.is_none() && t.descriptor.is_none() {
        return Ok(());
    }
    if !ctx.features.contains(Features::CUSTOM_DESCRIPTORS) {
        return Err(err("descriptor clauses require custom-descriptors"));
    }
    let types = &ctx.m.types;
    // Within the group, so also a defined type.
    let in_group = |x: u32| x >= g.start && x - g.start < g.len;
    if let Some(y) = t.descriptor {
        if !in_group(y) {
            return Err(err("descriptor type is outside rec group"));
        }
        if !matches!(t.composite, CompositeType::Struct(_)) {
            return Err(err("descriptor type must be a struct"));
        }
        if types[y as usize].describes != Some(idx) {
            return Err(err("type is not described by its descriptor"));
        }
    }
    if let Some(x) = t.describes {
        if !in_group(x) {
            return Err(err("described type is outside rec group"));
        }
        if x >= idx {
            return Err(err("forward use of described type"));
        }
        if !matches!(t.composite, CompositeType::Struct(_)) {
            return Err(err("described type must be a struct"));
        }
        if types[x as usize].descriptor != Some(idx) {
            return Err(err("described type is not described by descriptor"));
        }
    }
    Ok(())
}

/// Checks the clauses of type `idx` against those of its declared
/// supertype `s` (after canonicalization, so that subtyping works): a
/// subtype keeps a descriptor when its supertype has one, described by a
/// subtype of the supertype's descriptor; it describes exactly when its
/// supertype does, a subtype of what the supertype describes.
pub(crate) fn check_sub_clauses(ctx: &Ctx<'_>, idx: u32, t: &SubType, s: u32) -> Result<()> {
    let sup = &ctx.m.types[s as usize];
    let mismatch = || err(format!("sub type {idx} does not match super type {s}"));
    match (t.descriptor, sup.descriptor) {
        (Some(x), Some(y)) if !ctx.concrete_sub(x, y) => {
            return Err(err(format!(
                "descriptor type {x} does not match descriptor type {y} of super type {s}"
            )));
        }
        (None, Some(_)) => return Err(mismatch()),
        _ => {}
    }
    match (t.describes, sup.describes) {
        (Some(x), Some(y)) if !ctx.concrete_sub(x, y) => Err(err(format!(
            "described type {x} does not match described type {y} of super type {s}"
        ))),
        (Some(_), None) | (None, Some(_)) => Err(mismatch()),
        _ => Ok(()),
    }
}

impl<'m> Ctx<'m> {
    /// Whether `br_on_cast(_fail)` (and the descriptor forms) may cast
    /// from `from` to `to`. The custom-descriptors testsuite, newer than
    /// the GC one, only asks that both are in the same hierarchy; the GC
    /// snapshot asks `to <: from`.
    pub fn cast_fits(&self, from: RefType, to: RefType) -> bool {
        if self.features.contains(Features::CUSTOM_DESCRIPTORS) {
            self.top(to.heap) == self.top(from.heap)
        } else {
            self.ref_sub(to, from)
        }
    }

    /// The descriptor type of type `idx`, if it has one.
    pub fn descriptor_of(&self, idx: u32) -> Option<u32> {
        self.sub_type(idx).and_then(|t| t.descriptor)
    }

    /// Whether `ref.func` of function `func` is exact: a defined function or
    /// an exact import is, when the proposal is on.
    pub fn func_ref_exact(&self, func: u32) -> bool {
        self.features.contains(Features::CUSTOM_DESCRIPTORS)
            && (func >= self.num_imported_funcs
                || self.exact_imports.get(func as usize).copied() == Some(true))
    }

    /// The heap type that allocating type `idx` produces: exact when the
    /// proposal is on.
    pub fn allocated(&self, idx: u32) -> HeapType {
        concrete(self.features.contains(Features::CUSTOM_DESCRIPTORS), idx)
    }

    /// The descriptor type of the target heap type of a descriptor cast:
    /// `type ... does not have a descriptor` otherwise.
    fn cast_descriptor(&self, h: HeapType) -> Result<u32> {
        let no_desc = |name: String| err(format!("type {name} does not have a descriptor"));
        match h {
            HeapType::Abstract(a) => Err(no_desc(a.name().to_string())),
            HeapType::Concrete(x) | HeapType::Exact(x) => {
                self.check_heap(h, self.m.types.len() as u32)?;
                self.descriptor_of(x).ok_or_else(|| no_desc(x.to_string()))
            }
        }
    }
}

impl<'m> Stacks<'m> {
    /// `struct.new_desc x` and `struct.new_default_desc x`: the fields (or
    /// their defaults) and an exact descriptor, last, give an exact `x`.
    pub(crate) fn struct_new_desc(&mut self, ctx: &Ctx<'m>, x: u32, default: bool) -> Result<()> {
        let fields = ctx.struct_type(x)?;
        let Some(y) = ctx.descriptor_of(x) else {
            return Err(err(
                "type without descriptor requires non-descriptor allocation",
            ));
        };
        self.pop_expect(ctx, reft(true, HeapType::Exact(y)))?;
        if default {
            if fields
                .iter()
                .any(|f| !f.storage.unpacked().is_defaultable())
            {
                return Err(err("type mismatch: struct has non-defaultable fields"));
            }
        } else {
            for f in fields.iter().rev() {
                self.pop_expect(ctx, f.storage.unpacked())?;
            }
        }
        self.push_val(reft(false, HeapType::Exact(x)));
        Ok(())
    }

    /// `ref.get_desc x`: a reference to `x` gives its descriptor, exact when
    /// the reference is exactly `x` (or can only be null).
    pub(crate) fn ref_get_desc(&mut self, ctx: &Ctx<'m>, x: u32) -> Result<()> {
        ctx.sub_type(x)
            .ok_or_else(|| err(format!("unknown type {x}")))?;
        let Some(y) = ctx.descriptor_of(x) else {
            return Err(err("type mismatch: type without descriptor"));
        };
        let t = self.pop_expect_ty(ctx, reft(true, HeapType::Concrete(x)))?;
        let exact = match t {
            Ty::Unknown | Ty::BotRef => true,
            Ty::Val(ValType::Ref(r)) => match r.heap {
                HeapType::Exact(i) => ctx.same_type(i, x),
                HeapType::Abstract(_) => true,
                HeapType::Concrete(_) => false,
            },
            Ty::Val(_) => false,
        };
        self.push_val(reft(false, concrete(exact, y)));
        Ok(())
    }

    /// `ref.cast_desc_eq rt`: a reference in `rt`'s hierarchy and a
    /// descriptor of `rt`'s type (exact when `rt` is) give `rt`.
    pub(crate) fn ref_cast_desc_eq(&mut self, ctx: &Ctx<'m>, target: RefType) -> Result<()> {
        let y = ctx.cast_descriptor(target.heap)?;
        self.pop_expect(ctx, reft(true, concrete(target.heap.is_exact(), y)))?;
        self.pop_expect(ctx, reft(true, HeapType::Abstract(ctx.top(target.heap))))?;
        self.push_val(ValType::Ref(target));
        Ok(())
    }

    /// `br_on_cast_desc_eq(_fail) l rt1 rt2`: `br_on_cast(_fail)` with a
    /// descriptor of `rt2`'s type on top.
    pub(crate) fn br_on_cast_desc_eq(
        &mut self,
        ctx: &Ctx<'m>,
        label: u32,
        from: RefType,
        to: RefType,
        on_fail: bool,
    ) -> Result<()> {
        let bound = ctx.m.types.len() as u32;
        ctx.check_ref(from, bound)?;
        ctx.check_ref(to, bound)?;
        let y = ctx.cast_descriptor(to.heap)?;
        if !ctx.cast_fits(from, to) {
            return Err(err(
                "type mismatch: cast type is not a subtype of the source type",
            ));
        }
        self.pop_expect(ctx, reft(true, concrete(to.heap.is_exact(), y)))?;
        self.pop_expect(ctx, ValType::Ref(from))?;
        let tys = self.label(label)?.label_types();
        let n = tys.len();
        if n == 0 {
            return Err(err("type mismatch: the label carries no reference"));
        }
        let diff = RefType::new(from.nullable && !to.nullable, from.heap);
        let (taken, fallthrough) = if on_fail { (diff, to) } else { (to, diff) };
        self.push_val(ValType::Ref(taken));
        self.pop_vals(ctx, tys)?;
        self.push_vals(tys.prefix(n - 1));
        self.push_val(ValType::Ref(fallthrough));
        Ok(())
    }
}
