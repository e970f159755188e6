//! How many operands an instruction pops and how many results it pushes,
//! as far as the module's types tell without validating: this is what
//! folding needs. Derived from the instruction table's signature column
//! ([`Instr::signature`]): a placeholder counts one value, and those that
//! stand for a sequence are counted from the type the immediates name.
//! `None` means "not known here" (branches, whose arity is their label's;
//! blocks, which the folder handles itself), and the instruction is then
//! left unfolded.
//!
//! A wrong answer could only make folded text less natural, never wrong:
//! a folded expression means exactly its flattened sequence.

use weft_ast::{CompositeType, FuncType, Instr, Module, SigType};

/// Operand and result counts of an instruction in function `module`.
pub fn arity(module: &Module, func_results: usize, instr: &Instr) -> Option<(u32, u32)> {
    let sig = instr.signature();
    let count = |tys: &[SigType]| -> Option<u32> {
        let mut n = 0u32;
        for &t in tys {
            n = n.saturating_add(match t {
                SigType::Params => len(&named_type(module, instr)?.params),
                SigType::Results => len(&named_type(module, instr)?.results),
                SigType::Returns => len_usize(func_results),
                SigType::Fields => match instr {
                    Instr::StructNew { ty } | Instr::StructNewDesc { ty } => {
                        match &module.types.get(*ty as usize)?.composite {
                            CompositeType::Struct(fields) => len(fields),
                            _ => return None,
                        }
                    }
                    _ => return None,
                },
                SigType::Items => match instr {
                    Instr::ArrayNewFixed { len, .. } => *len,
                    _ => return None,
                },
                SigType::Label | SigType::LabelInit => return None,
                _ => 1,
            });
        }
        Some(n)
    };
    Some((count(sig.params)?, count(sig.results)?))
}

/// The function type whose parameters and results an instruction's
/// `params` and `results` are: the called function's, the type
/// immediate's, or the thrown tag's. `None` for blocks (their block type
/// is the folder's business) and unknown indices.
fn named_type<'m>(module: &'m Module, instr: &Instr) -> Option<&'m FuncType> {
    let ty = match instr {
        Instr::Call { func } | Instr::ReturnCall { func } => module.func_type_idx(*func)?,
        Instr::CallIndirect { ty, .. }
        | Instr::ReturnCallIndirect { ty, .. }
        | Instr::CallRef { ty }
        | Instr::ReturnCallRef { ty } => *ty,
        Instr::Throw { tag } => tag_type(module, *tag)?,
        _ => return None,
    };
    module.func_type(ty)
}

fn len<T>(items: &[T]) -> u32 {
    len_usize(items.len())
}

fn len_usize(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
        assert_eq!(
            a(Instr::Block {
                ty: weft_ast::BlockType::Empty
            }),
            None
        );
        assert_eq!(a(Instr::LocalTee { local: 0 }), Some((1, 1)));
        assert_eq!(a(Instr::MemoryCopy { dst: 0, src: 0 }), Some((3, 0)));
        assert_eq!(a(Instr::I64Add128), Some((4, 2)));
        assert_eq!(a(Instr::ArrayNewFixed { ty: 0, len: 3 }), Some((3, 1)));
        assert_eq!(arity(&Module::default(), 2, &Instr::Return), Some((2, 0)));
    }

    #[test]
    fn calls_count_their_type() {
        use weft_ast::{CompositeType, FuncType, SubType, ValType};
        let mut m = Module::default();
        m.push_rec_group(
            [SubType::plain(CompositeType::Func(FuncType {
                params: vec![ValType::I32, ValType::I64],
                results: vec![ValType::F32],
            }))],
            false,
        );
        let body = m.push_expr([Instr::End]);
        m.funcs.push(weft_ast::Func {
            ty: 0,
            locals: vec![],
            body,
        });
        assert_eq!(arity(&m, 0, &Instr::Call { func: 0 }), Some((2, 1)));
        assert_eq!(arity(&m, 0, &Instr::ReturnCall { func: 0 }), Some((2, 0)));
        assert_eq!(
            arity(&m, 0, &Instr::CallIndirect { ty: 0, table: 0 }),
            Some((3, 1))
        );
        assert_eq!(arity(&m, 0, &Instr::CallRef { ty: 0 }), Some((3, 1)));
    }
}
