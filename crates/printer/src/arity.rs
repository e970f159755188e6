//! How many operands an instruction pops and how many results it pushes,
//! as far as the module's types tell without validating: this is what
//! folding needs. `None` means "not known here" (branches, whose arity is
//! their label's), and the instruction is then left unfolded.
//!
//! A wrong answer could only make folded text less natural, never wrong:
//! a folded expression means exactly its flattened sequence.

use weft_ast::{CompositeType, FuncType, Instr, Module};

/// Operand and result counts of an instruction in function `module`.
pub fn arity(module: &Module, func_results: usize, instr: &Instr) -> Option<(u32, u32)> {
    use Instr::*;
    let sig = |ty: u32| module.func_type(ty).map(counts);
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    Some(match instr {
        Unreachable | Nop | AtomicFence { .. } | DataDrop { .. } | ElemDrop { .. } => (0, 0),
        Rethrow { .. } => (0, 0),
        Return => (n(func_results), 0),
        Call { func } | ReturnCall { func } => {
            let (p, r) = sig(module.func_type_idx(*func)?)?;
            (
                p,
                if matches!(instr, ReturnCall { .. }) {
                    0
                } else {
                    r
                },
            )
        }
        CallIndirect { ty, .. } | CallRef { ty } => {
            let (p, r) = sig(*ty)?;
            (p.saturating_add(1), r)
        }
        ReturnCallIndirect { ty, .. } | ReturnCallRef { ty } => (sig(*ty)?.0.saturating_add(1), 0),
        Throw { tag } => {
            let tag = tag_type(module, *tag)?;
            (sig(tag)?.0, 0)
        }
        ThrowRef => (1, 0),
        Drop => (1, 0),
        Select | SelectT { .. } => (3, 1),
        LocalGet { .. } | GlobalGet { .. } | MemorySize { .. } | TableSize { .. } => (0, 1),
        I32Const { .. } | I64Const { .. } | F32Const { .. } | F64Const { .. } => (0, 1),
        V128Const { .. } | RefNull { .. } | RefFunc { .. } | StructNewDefault { .. } => (0, 1),
        LocalSet { .. } | GlobalSet { .. } => (1, 0),
        LocalTee { .. } | MemoryGrow { .. } | TableGet { .. } => (1, 1),
        MemoryInit { .. } | MemoryCopy { .. } | MemoryFill { .. } => (3, 0),
        TableInit { .. } | TableCopy { .. } | TableFill { .. } => (3, 0),
        TableSet { .. } => (2, 0),
        TableGrow { .. } => (2, 1),
        RefIsNull | RefAsNonNull | RefTest { .. } | RefTestNull { .. } => (1, 1),
        RefCast { .. } | RefCastNull { .. } | AnyConvertExtern | ExternConvertAny => (1, 1),
        RefI31 | I31GetS | I31GetU | ArrayLen | ArrayNewDefault { .. } => (1, 1),
        StructGet { .. } | StructGetS { .. } | StructGetU { .. } => (1, 1),
        RefEq | ArrayNew { .. } | ArrayNewData { .. } | ArrayNewElem { .. } => (2, 1),
        ArrayGet { .. } | ArrayGetS { .. } | ArrayGetU { .. } => (2, 1),
        StructSet { .. } => (2, 0),
        ArraySet { .. } => (3, 0),
        ArrayFill { .. } | ArrayInitData { .. } | ArrayInitElem { .. } => (4, 0),
        ArrayCopy { .. } => (5, 0),
        ArrayNewFixed { len, .. } => (*len, 1),
        StructNew { ty } => match &module.types.get(*ty as usize)?.composite {
            CompositeType::Struct(fields) => (n(fields.len()), 1),
            _ => return None,
        },
        I64Add128 | I64Sub128 => (4, 2),
        I64MulWideS | I64MulWideU => (2, 2),
        I8x16Shuffle { .. } => (2, 1),
        // Branches take their label's values: unknown here.
        Br { .. } | BrIf { .. } | BrTable { .. } | BrOnNull { .. } | BrOnNonNull { .. } => {
            return None;
        }
        BrOnCast { .. } | BrOnCastFail { .. } => return None,
        BrOnCastDescEq { .. } | BrOnCastDescEqFail { .. } => return None,
        StructNewDefaultDesc { .. } | RefGetDesc { .. } => (1, 1),
        RefCastDescEq { .. } | RefCastDescEqNull { .. } => (2, 1),
        StructNewDesc { ty } => match &module.types.get(*ty as usize)?.composite {
            CompositeType::Struct(fields) => (n(fields.len()) + 1, 1),
            _ => return None,
        },
        // Structure is handled by the folder itself.
        Block { .. } | Loop { .. } | If { .. } | Else | End | Try { .. } | TryTable { .. } => {
            return None;
        }
        Catch { .. } | CatchAll | Delegate { .. } => return None,
        _ if instr.memarg().is_some() => memory_access(instr.name()),
        _ => numeric(instr.name())?,
    })
}

fn counts(f: &FuncType) -> (u32, u32) {
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    (n(f.params.len()), n(f.results.len()))
}

/// The type index of a tag, imported or defined.
fn tag_type(module: &Module, tag: u32) -> Option<u32> {
    let imported = module.imports.iter().filter_map(|i| match i.desc {
        weft_ast::ImportDesc::Tag(t) => Some(t.ty),
        _ => None,
    });
    imported
        .chain(module.tags.iter().map(|t| t.ty))
        .nth(tag as usize)
}

/// Loads, stores, lane accesses and atomics, by their mnemonic.
fn memory_access(name: &str) -> (u32, u32) {
    if name.contains("cmpxchg") || name.contains(".wait") {
        (3, 1)
    } else if name.contains(".rmw")
        || name.contains("notify")
        || name.contains("load") && name.ends_with("_lane")
    {
        (2, 1)
    } else if name.contains("store") {
        (2, 0)
    } else {
        (1, 1)
    }
}

/// Numeric and vector operators without immediates (other than lanes), by
/// their mnemonic: `type.op`.
fn numeric(name: &str) -> Option<(u32, u32)> {
    let (ty, op) = name.split_once('.')?;
    const TYPES: [&str; 11] = [
        "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
    ];
    if !TYPES.contains(&ty) {
        return None;
    }
    const UNARY: [&str; 14] = [
        "eqz", "clz", "ctz", "popcnt", "abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt",
        "not", "any_true", "all_true",
    ];
    const UNARY_PREFIX: [&str; 13] = [
        "wrap_",
        "trunc_",
        "extend",
        "convert",
        "demote",
        "promote",
        "reinterpret",
        "extadd",
        "relaxed_trunc",
        "bitmask",
        "splat",
        "extract_lane",
        "popcnt",
    ];
    let ternary = op == "bitselect"
        || op.starts_with("relaxed_madd")
        || op.starts_with("relaxed_nmadd")
        || op.starts_with("relaxed_laneselect")
        || op.ends_with("_add_s");
    Some(if ternary {
        (3, 1)
    } else if UNARY.contains(&op) || UNARY_PREFIX.iter().any(|p| op.starts_with(p)) {
        (1, 1)
    } else {
        (2, 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::MemArg;

    fn a(i: Instr) -> Option<(u32, u32)> {
        arity(&Module::default(), 0, &i)
    }

    #[test]
    fn derived_counts() {
        assert_eq!(a(Instr::I32Add), Some((2, 1)));
        assert_eq!(a(Instr::I32Eqz), Some((1, 1)));
        assert_eq!(a(Instr::I64ExtendI32U), Some((1, 1)));
        assert_eq!(a(Instr::I8x16NarrowI16x8S), Some((2, 1)));
        assert_eq!(a(Instr::I32x4ExtractLane { lane: 1 }), Some((1, 1)));
        assert_eq!(a(Instr::I32x4ReplaceLane { lane: 1 }), Some((2, 1)));
        assert_eq!(a(Instr::V128Bitselect), Some((3, 1)));
        assert_eq!(a(Instr::I32x4RelaxedDotI8x16I7x16AddS), Some((3, 1)));
        assert_eq!(a(Instr::F32x4RelaxedMadd), Some((3, 1)));
        let m = MemArg::default();
        assert_eq!(a(Instr::I32Load { memarg: m }), Some((1, 1)));
        assert_eq!(a(Instr::I64Store32 { memarg: m }), Some((2, 0)));
        assert_eq!(a(Instr::V128Load8Lane { memarg: m, lane: 0 }), Some((2, 1)));
        assert_eq!(
            a(Instr::V128Store8Lane { memarg: m, lane: 0 }),
            Some((2, 0))
        );
        assert_eq!(a(Instr::I32AtomicRmw8CmpxchgU { memarg: m }), Some((3, 1)));
        assert_eq!(a(Instr::I64AtomicRmwAdd { memarg: m }), Some((2, 1)));
        assert_eq!(a(Instr::MemoryAtomicWait64 { memarg: m }), Some((3, 1)));
        assert_eq!(a(Instr::I32AtomicStore { memarg: m }), Some((2, 0)));
        assert_eq!(a(Instr::Br { label: 0 }), None);
        assert_eq!(a(Instr::Call { func: 0 }), None);
    }
}
