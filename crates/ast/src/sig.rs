//! Instruction signatures: the table's fourth column as data.
//!
//! Every row of the instruction table ([`for_each_instr!`]) ends with its
//! signature, `[operands] -> [results]` (deepest operand first, as the spec
//! writes them), or `[operands] -> never` for an instruction after which
//! control does not continue (`br`, `return`, `unreachable`, `throw`, ...:
//! the stack is polymorphic there). Most rows name value types only: those
//! signatures are *fixed* ([`Sig::is_fixed`]) and mean exactly what they
//! say. The others use placeholders, each of which says how the
//! instruction's immediates (and the module, the function, the enclosing
//! blocks, or the operand found on the stack) determine the type in its
//! place. A consumer that only wants fixed signatures takes
//! [`Sig::fixed_params`]/[`Sig::fixed_results`]; one that counts values
//! uses [`Sig::arity`] where no placeholder stands for a sequence.
//!
//! The placeholders, by their spelling in the table:
//!
//! | table | [`SigType`] | the type |
//! | --- | --- | --- |
//! | `addr` | `Addr` | address type (`i32`, or `i64` for memory64/table64) of the memory or table the instruction names: a memarg's memory, `mem`, `table`, or `dst` of a copy |
//! | `addr_src` | `AddrSrc` | address type of a copy's `src` memory or table |
//! | `addr_min` | `AddrMin` | a copy's length: `i64` when both are 64-bit, else `i32` |
//! | `elemref` | `ElemRef` | the element type of the instruction's table |
//! | `local`, `global` | `Local`, `Global` | the type of the local or global |
//! | `t` | `Operand` | the operand's own type, the same at each occurrence: any for `drop`, a number or vector type for `select`, the listed type for `select` with types |
//! | `ref` | `AnyRef` | any reference type, as found on the stack |
//! | `nonnull` | `NonNull` | that `ref` operand's type without null |
//! | `field` | `Field` | the unpacked type of struct `ty`'s field `field` |
//! | `item` | `Item` | the unpacked element type of array `ty` |
//! | `cast_from`, `cast_to` | `CastFrom`, `CastTo` | a branching cast's source and target reference types (immediates) |
//! | `cast_diff` | `CastDiff` | `cast_from`, non-null when `cast_to` is nullable |
//! | `(ref null X)`, `(ref X)`, `(ref null? X)` | `Ref` | a reference, nullable, non-null, or nullable as its operand is; `X` is an abstract heap type or one of: `ht` (the heap type immediate), `top` (the top of `ht`'s hierarchy), `ty`, `dst`, `src` (type immediates), `fty` (the named function's type, exact where custom descriptors make it so), `desc` (the descriptor type of `ty` or `ht`, exact) |
//!
//! and those that stand for a sequence of types ([`SigType::is_sequence`]):
//!
//! | table | [`SigType`] | the types |
//! | --- | --- | --- |
//! | `params`, `results` | `Params`, `Results` | of the function type the immediates name (`call`: the function's; `call_indirect`, `call_ref`, `return_call*`: `ty`; `throw`, `catch`: the tag's), or of the block type (`block`, `loop`, `if`, `try`, `try_table`; `else`, `end`, `catch`, `catch_all`, `delegate`: the innermost block's) |
//! | `label` | `Label` | the types a branch to the label carries |
//! | `label_init` | `LabelInit` | the same without the last (a reference the instruction tests) |
//! | `returns` | `Returns` | the function's results |
//! | `fields` | `Fields` | every field of struct `ty`, unpacked, in order |
//! | `items` | `Items` | `len` times array `ty`'s element type |
//!
//! After the signature a row may carry flags (identifiers); none is defined
//! yet, and consumers must accept and may ignore them.
//!
//! [`for_each_instr!`]: crate::for_each_instr

use crate::types::{AbsHeap, HeapType, RefType, ValType};

/// One operand or result position of a [`Sig`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigType {
    /// Exactly this type (a subtype is accepted as an operand).
    Val(ValType),
    /// A reference determined by an immediate or by the operand.
    Ref(SigRef),
    /// `addr`: the address type of the instruction's memory or table.
    Addr,
    /// `addr_src`: the address type of a copy's source.
    AddrSrc,
    /// `addr_min`: a copy's length, `i64` only when both sides are 64-bit.
    AddrMin,
    /// `elemref`: the element type of the instruction's table.
    ElemRef,
    /// `local`: the local's type.
    Local,
    /// `global`: the global's type.
    Global,
    /// `t`: the operand's type, the same at every occurrence.
    Operand,
    /// `ref`: any reference type.
    AnyRef,
    /// `nonnull`: the `ref` operand's type without null.
    NonNull,
    /// `field`: the unpacked type of the struct field named.
    Field,
    /// `item`: the unpacked element type of the array type named.
    Item,
    /// `cast_from`: a branching cast's source type.
    CastFrom,
    /// `cast_to`: a branching cast's target type.
    CastTo,
    /// `cast_diff`: the source type, non-null when the target is nullable.
    CastDiff,
    /// `params`: the parameters of the named function or block type.
    Params,
    /// `results`: the results of the named function or block type.
    Results,
    /// `label`: the types a branch to the label carries.
    Label,
    /// `label_init`: the label's types but the last.
    LabelInit,
    /// `returns`: the function's results.
    Returns,
    /// `fields`: every field of the struct type named, unpacked.
    Fields,
    /// `items`: `len` elements of the array type named.
    Items,
}

/// A reference type whose heap type (or nullability) comes from the
/// instruction: `(ref null X)`, `(ref X)`, `(ref null? X)` in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigRef {
    /// Whether `null` is a member.
    pub nullable: Nullability,
    /// The heap type.
    pub heap: SigHeap,
}

/// The nullability of a [`SigRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nullability {
    /// `(ref null X)`.
    Nullable,
    /// `(ref X)`.
    NonNullable,
    /// `(ref null? X)`: nullable exactly when the operand is.
    AsOperand,
}

/// The heap type of a [`SigRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigHeap {
    /// An abstract heap type.
    Abstract(AbsHeap),
    /// `ht`: the heap type immediate.
    Imm,
    /// `top`: the top of the heap type immediate's hierarchy.
    Top,
    /// `ty`: the type index immediate.
    Type,
    /// `dst`: the destination type immediate (`array.copy`).
    Dst,
    /// `src`: the source type immediate (`array.copy`).
    Src,
    /// `fty`: the type of the function named.
    FuncType,
    /// `desc`: the descriptor type of `ty` or `ht`.
    Desc,
}

impl SigType {
    /// The type, when it is fixed.
    pub const fn val(self) -> Option<ValType> {
        match self {
            SigType::Val(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the placeholder stands for a sequence of types (of a
    /// length the immediates or the context decide).
    pub const fn is_sequence(self) -> bool {
        matches!(
            self,
            SigType::Params
                | SigType::Results
                | SigType::Label
                | SigType::LabelInit
                | SigType::Returns
                | SigType::Fields
                | SigType::Items
        )
    }
}

/// An instruction's signature: what it pops and pushes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sig {
    /// The operands, deepest first.
    pub params: &'static [SigType],
    /// The results, deepest first (empty when [`Sig::never`]).
    pub results: &'static [SigType],
    /// Control does not continue after the instruction (`-> never`): the
    /// rest of the block is unreachable and its stack polymorphic.
    pub never: bool,
}

impl Sig {
    /// Whether every operand and result is a fixed value type.
    pub const fn is_fixed(&self) -> bool {
        all_fixed(self.params) && all_fixed(self.results)
    }

    /// The operand types, if the signature is fixed.
    pub fn fixed_params(&self) -> Option<impl ExactSizeIterator<Item = ValType> + '_> {
        self.is_fixed()
            .then(|| self.params.iter().map(|t| t.val().unwrap_or(ValType::I32)))
    }

    /// The result types, if the signature is fixed.
    pub fn fixed_results(&self) -> Option<impl ExactSizeIterator<Item = ValType> + '_> {
        self.is_fixed()
            .then(|| self.results.iter().map(|t| t.val().unwrap_or(ValType::I32)))
    }

    /// How many operands it pops and results it pushes, when no
    /// placeholder stands for a sequence.
    pub const fn arity(&self) -> Option<(usize, usize)> {
        if has_sequence(self.params) || has_sequence(self.results) {
            None
        } else {
            Some((self.params.len(), self.results.len()))
        }
    }
}

const fn all_fixed(tys: &[SigType]) -> bool {
    let mut i = 0;
    while i < tys.len() {
        if tys[i].val().is_none() {
            return false;
        }
        i += 1;
    }
    true
}

const fn has_sequence(tys: &[SigType]) -> bool {
    let mut i = 0;
    while i < tys.len() {
        if tys[i].is_sequence() {
            return true;
        }
        i += 1;
    }
    false
}

/// A fixed reference type, as a constant.
pub(crate) const fn fixed_ref(nullable: bool, heap: AbsHeap) -> SigType {
    SigType::Val(ValType::Ref(RefType {
        nullable,
        heap: HeapType::Abstract(heap),
    }))
}

/// One table token of a signature to its [`SigType`].
macro_rules! sig_type {
    (i32) => {
        $crate::SigType::Val($crate::ValType::I32)
    };
    (i64) => {
        $crate::SigType::Val($crate::ValType::I64)
    };
    (f32) => {
        $crate::SigType::Val($crate::ValType::F32)
    };
    (f64) => {
        $crate::SigType::Val($crate::ValType::F64)
    };
    (v128) => {
        $crate::SigType::Val($crate::ValType::V128)
    };
    (funcref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Func)
    };
    (externref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Extern)
    };
    (anyref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Any)
    };
    (eqref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Eq)
    };
    (i31ref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::I31)
    };
    (structref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Struct)
    };
    (arrayref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Array)
    };
    (exnref) => {
        $crate::sig::fixed_ref(true, $crate::AbsHeap::Exn)
    };
    (addr) => {
        $crate::SigType::Addr
    };
    (addr_src) => {
        $crate::SigType::AddrSrc
    };
    (addr_min) => {
        $crate::SigType::AddrMin
    };
    (elemref) => {
        $crate::SigType::ElemRef
    };
    (local) => {
        $crate::SigType::Local
    };
    (global) => {
        $crate::SigType::Global
    };
    (t) => {
        $crate::SigType::Operand
    };
    (ref) => {
        $crate::SigType::AnyRef
    };
    (nonnull) => {
        $crate::SigType::NonNull
    };
    (field) => {
        $crate::SigType::Field
    };
    (item) => {
        $crate::SigType::Item
    };
    (cast_from) => {
        $crate::SigType::CastFrom
    };
    (cast_to) => {
        $crate::SigType::CastTo
    };
    (cast_diff) => {
        $crate::SigType::CastDiff
    };
    (params) => {
        $crate::SigType::Params
    };
    (results) => {
        $crate::SigType::Results
    };
    (label) => {
        $crate::SigType::Label
    };
    (label_init) => {
        $crate::SigType::LabelInit
    };
    (returns) => {
        $crate::SigType::Returns
    };
    (fields) => {
        $crate::SigType::Fields
    };
    (items) => {
        $crate::SigType::Items
    };
    ((ref null ? $h:ident)) => {
        $crate::sig::sig_ref!(AsOperand, $h)
    };
    ((ref null $h:ident)) => {
        $crate::sig::sig_ref!(Nullable, $h)
    };
    ((ref $h:ident)) => {
        $crate::sig::sig_ref!(NonNullable, $h)
    };
}
pub(crate) use sig_type;

/// `(ref ...)` with a placeholder heap type, or a fixed one with an
/// abstract heap type.
macro_rules! sig_ref {
    ($n:ident, ht) => { $crate::sig::sig_ref!(@ $n, Imm) };
    ($n:ident, top) => { $crate::sig::sig_ref!(@ $n, Top) };
    ($n:ident, ty) => { $crate::sig::sig_ref!(@ $n, Type) };
    ($n:ident, dst) => { $crate::sig::sig_ref!(@ $n, Dst) };
    ($n:ident, src) => { $crate::sig::sig_ref!(@ $n, Src) };
    ($n:ident, fty) => { $crate::sig::sig_ref!(@ $n, FuncType) };
    ($n:ident, desc) => { $crate::sig::sig_ref!(@ $n, Desc) };
    (Nullable, $h:ident) => { $crate::sig::sig_ref!(# true, $h) };
    (NonNullable, $h:ident) => { $crate::sig::sig_ref!(# false, $h) };
    (AsOperand, $h:ident) => {
        $crate::SigType::Ref($crate::SigRef {
            nullable: $crate::Nullability::AsOperand,
            heap: $crate::SigHeap::Abstract($crate::sig::abs_heap!($h)),
        })
    };
    (@ $n:ident, $h:ident) => {
        $crate::SigType::Ref($crate::SigRef {
            nullable: $crate::Nullability::$n,
            heap: $crate::SigHeap::$h,
        })
    };
    (# $n:literal, $h:ident) => {
        $crate::sig::fixed_ref($n, $crate::sig::abs_heap!($h))
    };
}
pub(crate) use sig_ref;

/// An abstract heap type by its text keyword.
macro_rules! abs_heap {
    (func) => {
        $crate::AbsHeap::Func
    };
    (nofunc) => {
        $crate::AbsHeap::NoFunc
    };
    (extern) => {
        $crate::AbsHeap::Extern
    };
    (noextern) => {
        $crate::AbsHeap::NoExtern
    };
    (any) => {
        $crate::AbsHeap::Any
    };
    (eq) => {
        $crate::AbsHeap::Eq
    };
    (i31) => {
        $crate::AbsHeap::I31
    };
    (struct) => {
        $crate::AbsHeap::Struct
    };
    (array) => {
        $crate::AbsHeap::Array
    };
    (none) => {
        $crate::AbsHeap::None
    };
    (exn) => {
        $crate::AbsHeap::Exn
    };
    (noexn) => {
        $crate::AbsHeap::NoExn
    };
}
pub(crate) use abs_heap;

/// A row's signature as a [`Sig`] constant.
macro_rules! sig {
    ([$($p:tt)*] -> never) => {
        $crate::Sig {
            params: &[$($crate::sig::sig_type!($p)),*],
            results: &[],
            never: true,
        }
    };
    ([$($p:tt)*] -> [$($r:tt)*]) => {
        $crate::Sig {
            params: &[$($crate::sig::sig_type!($p)),*],
            results: &[$($crate::sig::sig_type!($r)),*],
            never: false,
        }
    };
}
pub(crate) use sig;

/// One row of the instruction table as data ([`crate::INSTRUCTIONS`]).
#[derive(Clone, Debug)]
pub struct InstrInfo {
    /// The text mnemonic.
    pub name: &'static str,
    /// The opcode byte and, for prefixed instructions, the sub-opcode.
    pub opcode: (u8, Option<u32>),
    /// The proposal that introduced it.
    pub feature: crate::Features,
    /// Its signature.
    pub sig: Sig,
    /// The instruction itself when it has no immediates.
    pub plain: Option<crate::Instr>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Instr, MemArg};

    #[test]
    fn fixed_and_placeholder_signatures() {
        let add = Instr::I32Add.signature();
        assert!(add.is_fixed());
        assert_eq!(
            add.fixed_params().unwrap().collect::<Vec<_>>(),
            [ValType::I32, ValType::I32]
        );
        assert_eq!(add.arity(), Some((2, 1)));
        let load = Instr::I64Load8U {
            memarg: MemArg::default(),
        }
        .signature();
        assert!(!load.is_fixed());
        assert_eq!(load.params, [SigType::Addr]);
        assert_eq!(load.results, [SigType::Val(ValType::I64)]);
        let call = Instr::Call { func: 0 }.signature();
        assert_eq!(call.arity(), None);
        let br = Instr::Br { label: 0 }.signature();
        assert!(br.never && br.results.is_empty());
        let convert = Instr::AnyConvertExtern.signature();
        assert_eq!(
            convert.results,
            [SigType::Ref(SigRef {
                nullable: Nullability::AsOperand,
                heap: SigHeap::Abstract(AbsHeap::Any),
            })]
        );
        let cast = Instr::RefCastNull {
            ty: HeapType::Abstract(AbsHeap::Eq),
        }
        .signature();
        assert_eq!(
            cast.params,
            [SigType::Ref(SigRef {
                nullable: Nullability::Nullable,
                heap: SigHeap::Top,
            })]
        );
        assert_eq!(
            Instr::RefI31.signature().results,
            [SigType::Val(ValType::Ref(RefType::new(
                false,
                HeapType::Abstract(AbsHeap::I31)
            )))]
        );
    }

    #[test]
    fn every_row_has_a_signature() {
        assert_eq!(crate::INSTRUCTIONS.len(), crate::MNEMONICS.len());
        let fixed = crate::INSTRUCTIONS
            .iter()
            .filter(|i| i.sig.is_fixed())
            .count();
        assert!(fixed > 350, "{fixed} fixed signatures");
        // A sequence placeholder is never mixed with `never` results.
        for i in crate::INSTRUCTIONS {
            if i.sig.never {
                assert!(i.sig.results.is_empty(), "{}", i.name);
            }
        }
    }
}
