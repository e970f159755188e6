//! Stack effects, in slots, of the instructions the translator passes
//! through unchanged (`Op::Instr`).
//!
//! The translator needs them to know the stack height at every point, which
//! resolves branch targets statically. Only slot counts matter here: the
//! operands' types were checked by validation.

use weft_ast::{Features, Instr};

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
    use Instr::*;
    // The scalar numeric instructions of Wasm 1.0 and sign extension occupy
    // the contiguous opcodes 0x45..=0xc4, grouped by shape in the binary
    // format itself: comparisons and binary operators between unary runs.
    if let (op @ 0x45..=0xc4, None) = instr.opcode() {
        let binary = matches!(op,
            0x46..=0x4f | 0x51..=0x66 | 0x6a..=0x78 | 0x7c..=0x8a | 0x92..=0x98 | 0xa0..=0xa6);
        return Some(if binary { (2, ONE) } else { (1, ONE) });
    }
    let simd = instr.feature() == Features::SIMD || instr.feature() == Features::RELAXED_SIMD;
    Some(match instr {
        // Memory.
        I32Load { .. }
        | I64Load { .. }
        | F32Load { .. }
        | F64Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => (1, ONE),
        I32Store { .. }
        | I64Store { .. }
        | F32Store { .. }
        | F64Store { .. }
        | I32Store8 { .. }
        | I32Store16 { .. }
        | I64Store8 { .. }
        | I64Store16 { .. }
        | I64Store32 { .. } => (2, NONE),
        MemorySize { .. } | TableSize { .. } => (0, ONE),
        MemoryGrow { .. } | TableGet { .. } | RefIsNull | RefAsNonNull => (1, ONE),
        MemoryInit { .. }
        | MemoryCopy { .. }
        | MemoryFill { .. }
        | TableInit { .. }
        | TableCopy { .. }
        | TableFill { .. } => (3, NONE),
        DataDrop { .. } | ElemDrop { .. } => (0, NONE),
        TableSet { .. } => (2, NONE),
        TableGrow { .. } | RefEq => (2, ONE),
        // Saturating conversions.
        I32TruncSatF32S | I32TruncSatF32U | I32TruncSatF64S | I32TruncSatF64U | I64TruncSatF32S
        | I64TruncSatF32U | I64TruncSatF64S | I64TruncSatF64U => (1, ONE),
        // Wide arithmetic.
        I64Add128 | I64Sub128 => (4, PAIR),
        I64MulWideS | I64MulWideU => (2, PAIR),
        // Vector memory access.
        V128Load { .. }
        | V128Load8x8S { .. }
        | V128Load8x8U { .. }
        | V128Load16x4S { .. }
        | V128Load16x4U { .. }
        | V128Load32x2S { .. }
        | V128Load32x2U { .. }
        | V128Load8Splat { .. }
        | V128Load16Splat { .. }
        | V128Load32Splat { .. }
        | V128Load64Splat { .. }
        | V128Load32Zero { .. }
        | V128Load64Zero { .. } => (1, VEC),
        V128Store { .. }
        | V128Store8Lane { .. }
        | V128Store16Lane { .. }
        | V128Store32Lane { .. }
        | V128Store64Lane { .. } => (3, NONE),
        V128Load8Lane { .. }
        | V128Load16Lane { .. }
        | V128Load32Lane { .. }
        | V128Load64Lane { .. } => (3, VEC),
        // Lanes.
        I8x16Splat | I16x8Splat | I32x4Splat | I64x2Splat | F32x4Splat | F64x2Splat => (1, VEC),
        I8x16ExtractLaneS { .. }
        | I8x16ExtractLaneU { .. }
        | I16x8ExtractLaneS { .. }
        | I16x8ExtractLaneU { .. }
        | I32x4ExtractLane { .. }
        | I64x2ExtractLane { .. }
        | F32x4ExtractLane { .. }
        | F64x2ExtractLane { .. } => (2, ONE),
        I8x16ReplaceLane { .. }
        | I16x8ReplaceLane { .. }
        | I32x4ReplaceLane { .. }
        | I64x2ReplaceLane { .. }
        | F32x4ReplaceLane { .. }
        | F64x2ReplaceLane { .. } => (3, VEC),
        // Vector tests.
        V128AnyTrue | I8x16AllTrue | I16x8AllTrue | I32x4AllTrue | I64x2AllTrue | I8x16Bitmask
        | I16x8Bitmask | I32x4Bitmask | I64x2Bitmask => (2, ONE),
        // Shifts: a vector and an i32 count.
        I8x16Shl | I8x16ShrS | I8x16ShrU | I16x8Shl | I16x8ShrS | I16x8ShrU | I32x4Shl
        | I32x4ShrS | I32x4ShrU | I64x2Shl | I64x2ShrS | I64x2ShrU => (3, VEC),
        // Three vectors.
        V128Bitselect
        | F32x4RelaxedMadd
        | F32x4RelaxedNmadd
        | F64x2RelaxedMadd
        | F64x2RelaxedNmadd
        | I8x16RelaxedLaneselect
        | I16x8RelaxedLaneselect
        | I32x4RelaxedLaneselect
        | I64x2RelaxedLaneselect
        | I32x4RelaxedDotI8x16I7x16AddS => (6, VEC),
        // One vector.
        V128Not
        | F32x4DemoteF64x2Zero
        | F64x2PromoteLowF32x4
        | I8x16Abs
        | I8x16Neg
        | I8x16Popcnt
        | F32x4Ceil
        | F32x4Floor
        | F32x4Trunc
        | F32x4Nearest
        | F64x2Ceil
        | F64x2Floor
        | F64x2Trunc
        | F64x2Nearest
        | I16x8ExtaddPairwiseI8x16S
        | I16x8ExtaddPairwiseI8x16U
        | I32x4ExtaddPairwiseI16x8S
        | I32x4ExtaddPairwiseI16x8U
        | I16x8Abs
        | I16x8Neg
        | I16x8ExtendLowI8x16S
        | I16x8ExtendHighI8x16S
        | I16x8ExtendLowI8x16U
        | I16x8ExtendHighI8x16U
        | I32x4Abs
        | I32x4Neg
        | I32x4ExtendLowI16x8S
        | I32x4ExtendHighI16x8S
        | I32x4ExtendLowI16x8U
        | I32x4ExtendHighI16x8U
        | I64x2Abs
        | I64x2Neg
        | I64x2ExtendLowI32x4S
        | I64x2ExtendHighI32x4S
        | I64x2ExtendLowI32x4U
        | I64x2ExtendHighI32x4U
        | F32x4Abs
        | F32x4Neg
        | F32x4Sqrt
        | F64x2Abs
        | F64x2Neg
        | F64x2Sqrt
        | I32x4TruncSatF32x4S
        | I32x4TruncSatF32x4U
        | F32x4ConvertI32x4S
        | F32x4ConvertI32x4U
        | I32x4TruncSatF64x2SZero
        | I32x4TruncSatF64x2UZero
        | F64x2ConvertLowI32x4S
        | F64x2ConvertLowI32x4U
        | I32x4RelaxedTruncF32x4S
        | I32x4RelaxedTruncF32x4U
        | I32x4RelaxedTruncF64x2SZero
        | I32x4RelaxedTruncF64x2UZero => (2, VEC),
        V128Const { .. } => (0, VEC),
        // Threads.
        AtomicFence { .. } => (0, NONE),
        MemoryAtomicNotify { .. } => (2, ONE),
        MemoryAtomicWait32 { .. } | MemoryAtomicWait64 { .. } => (3, ONE),
        I32AtomicLoad { .. }
        | I64AtomicLoad { .. }
        | I32AtomicLoad8U { .. }
        | I32AtomicLoad16U { .. }
        | I64AtomicLoad8U { .. }
        | I64AtomicLoad16U { .. }
        | I64AtomicLoad32U { .. } => (1, ONE),
        I32AtomicStore { .. }
        | I64AtomicStore { .. }
        | I32AtomicStore8 { .. }
        | I32AtomicStore16 { .. }
        | I64AtomicStore8 { .. }
        | I64AtomicStore16 { .. }
        | I64AtomicStore32 { .. } => (2, NONE),
        I32AtomicRmwCmpxchg { .. }
        | I64AtomicRmwCmpxchg { .. }
        | I32AtomicRmw8CmpxchgU { .. }
        | I32AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw8CmpxchgU { .. }
        | I64AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw32CmpxchgU { .. } => (3, ONE),
        // Every other atomic is a read-modify-write of an address and an operand.
        _ if instr.feature() == Features::THREADS => (2, ONE),
        // Every other vector instruction combines two vectors.
        _ if simd => (4, VEC),
        _ => return None,
    })
}
