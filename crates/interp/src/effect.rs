//! Stack effects, in slots, of the instructions the translator passes
//! through unchanged (`Op::Instr`).
//!
//! The translator needs them to know the stack height at every point, which
//! resolves branch targets statically. Only slot counts matter here: the
//! operands' types were checked by validation. They are derived from the
//! instruction table's signature column ([`Instr::signature`]): a `v128`
//! takes two slots, any other value one, and an address, a table element
//! or another reference placeholder is one slot too. A signature whose
//! width depends on more than the instruction (a local's, a field's, a
//! sequence's) has no effect here: the translator handles it itself.

use weft_ast::{Instr, SigType, ValType};

/// Push nothing.
const NONE: &[u8] = &[];
/// Push one one-slot value.
const ONE: &[u8] = &[1];
/// Push one `v128`.
const VEC: &[u8] = &[2];
/// Push two one-slot values (wide arithmetic).
const PAIR: &[u8] = &[1, 1];

/// The slots an instruction pops and the widths of the values it pushes, or
/// `None` if the instruction is not one the interpreter executes as is.
pub(crate) fn effect(instr: &Instr) -> Option<(u32, &'static [u8])> {
    let sig = instr.signature();
    if sig.never {
        return None;
    }
    let mut pops = 0;
    for &t in sig.params {
        pops += slots(t)?;
    }
    let pushes = match sig.results {
        [] => NONE,
        [r] => match slots(*r)? {
            1 => ONE,
            _ => VEC,
        },
        [a, b] if slots(*a)? == 1 && slots(*b)? == 1 => PAIR,
        _ => return None,
    };
    Some((pops, pushes))
}

/// The slots a value in this position takes, when the signature alone
/// tells.
fn slots(t: SigType) -> Option<u32> {
    Some(match t {
        SigType::Val(ValType::V128) => 2,
        SigType::Val(_)
        | SigType::Ref(_)
        | SigType::Addr
        | SigType::AddrSrc
        | SigType::AddrMin
        | SigType::ElemRef
        | SigType::AnyRef
        | SigType::NonNull
        | SigType::CastFrom
        | SigType::CastTo
        | SigType::CastDiff => 1,
        SigType::Local
        | SigType::Global
        | SigType::Operand
        | SigType::Field
        | SigType::Item
        | SigType::Params
        | SigType::Results
        | SigType::Label
        | SigType::LabelInit
        | SigType::Returns
        | SigType::Fields
        | SigType::Items => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::MemArg;

    #[test]
    fn slots_from_signatures() {
        let m = MemArg::default();
        assert_eq!(effect(&Instr::I32Add), Some((2, ONE)));
        assert_eq!(effect(&Instr::I64Eqz), Some((1, ONE)));
        assert_eq!(effect(&Instr::I32Store { memarg: m }), Some((2, NONE)));
        assert_eq!(effect(&Instr::V128Store { memarg: m }), Some((3, NONE)));
        assert_eq!(
            effect(&Instr::V128Load8Lane { memarg: m, lane: 0 }),
            Some((3, VEC))
        );
        assert_eq!(effect(&Instr::I8x16Shl), Some((3, VEC)));
        assert_eq!(effect(&Instr::V128Bitselect), Some((6, VEC)));
        assert_eq!(effect(&Instr::I64x2ExtractLane { lane: 1 }), Some((2, ONE)));
        assert_eq!(effect(&Instr::I64Add128), Some((4, PAIR)));
        assert_eq!(effect(&Instr::TableGrow { table: 0 }), Some((2, ONE)));
        assert_eq!(
            effect(&Instr::MemoryCopy { dst: 0, src: 1 }),
            Some((3, NONE))
        );
        assert_eq!(
            effect(&Instr::I32AtomicRmw8CmpxchgU { memarg: m }),
            Some((3, ONE))
        );
        // Widths the signature does not tell, and control.
        assert_eq!(effect(&Instr::LocalGet { local: 0 }), None);
        assert_eq!(effect(&Instr::Call { func: 0 }), None);
        assert_eq!(effect(&Instr::Br { label: 0 }), None);
    }
}
