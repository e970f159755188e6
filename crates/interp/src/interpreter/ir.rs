//! The interpreter's internal form: one compact op per executed step.
//!
//! Control flow is fully resolved: branches carry their target op index and
//! the stack height (relative to the frame) to which the kept values move,
//! so nothing is searched at run time. Common operators are enums inside
//! ops (`BinFn`, `LoadFn`, `StoreFn`, `SimdBinFn`), fused with the
//! `local.get`s and constants that feed them and the `local.set` that takes
//! their result; the hottest operators then get one op per operator and
//! shape (`for_each_specialized`), so that they cost one dispatch rather
//! than the op's and then the operator's. Rarer instructions whose behaviour does not depend on where
//! they sit (numbers, memory, tables, vectors) are kept as the AST's own
//! [`Instr`]: their semantics are written once, by matching on `Instr`.

use weft_ast::Instr;

use crate::ops::mem::{LoadFn, StoreFn};
use crate::ops::num::{BinFn, UnFn};
use crate::ops::simd::SimdBinFn;

/// A resolved branch: where to go and which values survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Index of the next op to execute.
    pub to: u32,
    /// Stack height (slots above the frame pointer) where kept values land.
    pub base: u32,
    /// How many slots on top of the stack the branch keeps.
    pub keep: u32,
}

/// Every operator-specialized op, as `Name Shape Operator,` triples: op
/// `Name` applies `BinFn::Operator` with its operands and result where
/// [`shape`]`::Shape` says (for the memory shapes, `Load*` and `Store*`, the
/// operator is a `LoadFn` or `StoreFn`: the access width; for the vector
/// shapes, `V*`, a `SimdBinFn`). The list is passed to `$m!`, so that the op
/// enum, the translator's mapping and the inner loop's arms all come from
/// it. A specialized op costs one dispatch where the generic fused op
/// (`BinLL { f, .. }`, ...) costs two: the op, then its operator. The
/// operators are the ones that dominate loops; the comparisons have only
/// the shapes that feed a branch or a push, the rotations (frequent in
/// hashes) only those with a constant count. The accumulator shapes (`LRAcc`
/// ... `AccLRSet`) come in pairs, one op handing its result to the next in a
/// register rather than through a stack slot.
macro_rules! for_each_specialized {
    ($m:ident) => {
        $m! {
            I32AddS S I32Add, I32AddL L I32Add, I32AddC C I32Add, I32AddLR LR I32Add, I32AddLL LL I32Add, I32AddLC LC I32Add, I32AddSet Set I32Add, I32AddLSet LSet I32Add, I32AddCSet CSet I32Add, I32AddLRSet LRSet I32Add, I32AddLLSet LLSet I32Add, I32AddLCSet LCSet I32Add,
            I32AddLRAcc LRAcc I32Add, I32AddLLAcc LLAcc I32Add, I32AddLCAcc LCAcc I32Add, I32AddAccCSet AccCSet I32Add, I32AddAccLSet AccLSet I32Add, I32AddAccLRSet AccLRSet I32Add,
            I32SubS S I32Sub, I32SubL L I32Sub, I32SubC C I32Sub, I32SubLR LR I32Sub, I32SubLL LL I32Sub, I32SubLC LC I32Sub, I32SubSet Set I32Sub, I32SubLSet LSet I32Sub, I32SubCSet CSet I32Sub, I32SubLRSet LRSet I32Sub, I32SubLLSet LLSet I32Sub, I32SubLCSet LCSet I32Sub,
            I32SubLRAcc LRAcc I32Sub, I32SubLLAcc LLAcc I32Sub, I32SubLCAcc LCAcc I32Sub, I32SubAccCSet AccCSet I32Sub, I32SubAccLSet AccLSet I32Sub, I32SubAccLRSet AccLRSet I32Sub,
            I32MulS S I32Mul, I32MulL L I32Mul, I32MulC C I32Mul, I32MulLR LR I32Mul, I32MulLL LL I32Mul, I32MulLC LC I32Mul, I32MulSet Set I32Mul, I32MulLSet LSet I32Mul, I32MulCSet CSet I32Mul, I32MulLRSet LRSet I32Mul, I32MulLLSet LLSet I32Mul, I32MulLCSet LCSet I32Mul,
            I32MulLRAcc LRAcc I32Mul, I32MulLLAcc LLAcc I32Mul, I32MulLCAcc LCAcc I32Mul, I32MulAccCSet AccCSet I32Mul, I32MulAccLSet AccLSet I32Mul, I32MulAccLRSet AccLRSet I32Mul,
            I32AndS S I32And, I32AndL L I32And, I32AndC C I32And, I32AndLR LR I32And, I32AndLL LL I32And, I32AndLC LC I32And, I32AndSet Set I32And, I32AndLSet LSet I32And, I32AndCSet CSet I32And, I32AndLRSet LRSet I32And, I32AndLLSet LLSet I32And, I32AndLCSet LCSet I32And,
            I32AndLRAcc LRAcc I32And, I32AndLLAcc LLAcc I32And, I32AndLCAcc LCAcc I32And, I32AndAccCSet AccCSet I32And, I32AndAccLSet AccLSet I32And, I32AndAccLRSet AccLRSet I32And,
            I32OrS S I32Or, I32OrL L I32Or, I32OrC C I32Or, I32OrLR LR I32Or, I32OrLL LL I32Or, I32OrLC LC I32Or, I32OrSet Set I32Or, I32OrLSet LSet I32Or, I32OrCSet CSet I32Or, I32OrLRSet LRSet I32Or, I32OrLLSet LLSet I32Or, I32OrLCSet LCSet I32Or,
            I32OrLRAcc LRAcc I32Or, I32OrLLAcc LLAcc I32Or, I32OrLCAcc LCAcc I32Or, I32OrAccCSet AccCSet I32Or, I32OrAccLSet AccLSet I32Or, I32OrAccLRSet AccLRSet I32Or,
            I32XorS S I32Xor, I32XorL L I32Xor, I32XorC C I32Xor, I32XorLR LR I32Xor, I32XorLL LL I32Xor, I32XorLC LC I32Xor, I32XorSet Set I32Xor, I32XorLSet LSet I32Xor, I32XorCSet CSet I32Xor, I32XorLRSet LRSet I32Xor, I32XorLLSet LLSet I32Xor, I32XorLCSet LCSet I32Xor,
            I32XorLRAcc LRAcc I32Xor, I32XorLLAcc LLAcc I32Xor, I32XorLCAcc LCAcc I32Xor, I32XorAccCSet AccCSet I32Xor, I32XorAccLSet AccLSet I32Xor, I32XorAccLRSet AccLRSet I32Xor,
            I32ShlS S I32Shl, I32ShlL L I32Shl, I32ShlC C I32Shl, I32ShlLR LR I32Shl, I32ShlLL LL I32Shl, I32ShlLC LC I32Shl, I32ShlSet Set I32Shl, I32ShlLSet LSet I32Shl, I32ShlCSet CSet I32Shl, I32ShlLRSet LRSet I32Shl, I32ShlLLSet LLSet I32Shl, I32ShlLCSet LCSet I32Shl,
            I32ShlLRAcc LRAcc I32Shl, I32ShlLLAcc LLAcc I32Shl, I32ShlLCAcc LCAcc I32Shl, I32ShlAccCSet AccCSet I32Shl, I32ShlAccLSet AccLSet I32Shl, I32ShlAccLRSet AccLRSet I32Shl,
            I32ShrSS S I32ShrS, I32ShrSL L I32ShrS, I32ShrSC C I32ShrS, I32ShrSLR LR I32ShrS, I32ShrSLL LL I32ShrS, I32ShrSLC LC I32ShrS, I32ShrSSet Set I32ShrS, I32ShrSLSet LSet I32ShrS, I32ShrSCSet CSet I32ShrS, I32ShrSLRSet LRSet I32ShrS, I32ShrSLLSet LLSet I32ShrS, I32ShrSLCSet LCSet I32ShrS,
            I32ShrSLRAcc LRAcc I32ShrS, I32ShrSLLAcc LLAcc I32ShrS, I32ShrSLCAcc LCAcc I32ShrS, I32ShrSAccCSet AccCSet I32ShrS, I32ShrSAccLSet AccLSet I32ShrS, I32ShrSAccLRSet AccLRSet I32ShrS,
            I32ShrUS S I32ShrU, I32ShrUL L I32ShrU, I32ShrUC C I32ShrU, I32ShrULR LR I32ShrU, I32ShrULL LL I32ShrU, I32ShrULC LC I32ShrU, I32ShrUSet Set I32ShrU, I32ShrULSet LSet I32ShrU, I32ShrUCSet CSet I32ShrU, I32ShrULRSet LRSet I32ShrU, I32ShrULLSet LLSet I32ShrU, I32ShrULCSet LCSet I32ShrU,
            I32ShrULRAcc LRAcc I32ShrU, I32ShrULLAcc LLAcc I32ShrU, I32ShrULCAcc LCAcc I32ShrU, I32ShrUAccCSet AccCSet I32ShrU, I32ShrUAccLSet AccLSet I32ShrU, I32ShrUAccLRSet AccLRSet I32ShrU,
            I32RotlC C I32Rotl, I32RotlLC LC I32Rotl, I32RotlLCSet LCSet I32Rotl, I32RotrC C I32Rotr, I32RotrLC LC I32Rotr, I32RotrLCSet LCSet I32Rotr,
            I64AddS S I64Add, I64AddL L I64Add, I64AddC C I64Add, I64AddLR LR I64Add, I64AddLL LL I64Add, I64AddLC LC I64Add, I64AddSet Set I64Add, I64AddLSet LSet I64Add, I64AddCSet CSet I64Add, I64AddLRSet LRSet I64Add, I64AddLLSet LLSet I64Add, I64AddLCSet LCSet I64Add,
            I64AddLRAcc LRAcc I64Add, I64AddLLAcc LLAcc I64Add, I64AddLCAcc LCAcc I64Add, I64AddAccCSet AccCSet I64Add, I64AddAccLSet AccLSet I64Add, I64AddAccLRSet AccLRSet I64Add,
            I64SubS S I64Sub, I64SubL L I64Sub, I64SubC C I64Sub, I64SubLR LR I64Sub, I64SubLL LL I64Sub, I64SubLC LC I64Sub, I64SubSet Set I64Sub, I64SubLSet LSet I64Sub, I64SubCSet CSet I64Sub, I64SubLRSet LRSet I64Sub, I64SubLLSet LLSet I64Sub, I64SubLCSet LCSet I64Sub,
            I64SubLRAcc LRAcc I64Sub, I64SubLLAcc LLAcc I64Sub, I64SubLCAcc LCAcc I64Sub, I64SubAccCSet AccCSet I64Sub, I64SubAccLSet AccLSet I64Sub, I64SubAccLRSet AccLRSet I64Sub,
            I64MulS S I64Mul, I64MulL L I64Mul, I64MulC C I64Mul, I64MulLR LR I64Mul, I64MulLL LL I64Mul, I64MulLC LC I64Mul, I64MulSet Set I64Mul, I64MulLSet LSet I64Mul, I64MulCSet CSet I64Mul, I64MulLRSet LRSet I64Mul, I64MulLLSet LLSet I64Mul, I64MulLCSet LCSet I64Mul,
            I64MulLRAcc LRAcc I64Mul, I64MulLLAcc LLAcc I64Mul, I64MulLCAcc LCAcc I64Mul, I64MulAccCSet AccCSet I64Mul, I64MulAccLSet AccLSet I64Mul, I64MulAccLRSet AccLRSet I64Mul,
            F64AddS S F64Add, F64AddL L F64Add, F64AddC C F64Add, F64AddLR LR F64Add, F64AddLL LL F64Add, F64AddLC LC F64Add, F64AddSet Set F64Add, F64AddLSet LSet F64Add, F64AddCSet CSet F64Add, F64AddLRSet LRSet F64Add, F64AddLLSet LLSet F64Add, F64AddLCSet LCSet F64Add,
            F64AddLRAcc LRAcc F64Add, F64AddLLAcc LLAcc F64Add, F64AddLCAcc LCAcc F64Add, F64AddAccCSet AccCSet F64Add, F64AddAccLSet AccLSet F64Add, F64AddAccLRSet AccLRSet F64Add,
            F64SubS S F64Sub, F64SubL L F64Sub, F64SubC C F64Sub, F64SubLR LR F64Sub, F64SubLL LL F64Sub, F64SubLC LC F64Sub, F64SubSet Set F64Sub, F64SubLSet LSet F64Sub, F64SubCSet CSet F64Sub, F64SubLRSet LRSet F64Sub, F64SubLLSet LLSet F64Sub, F64SubLCSet LCSet F64Sub,
            F64SubLRAcc LRAcc F64Sub, F64SubLLAcc LLAcc F64Sub, F64SubLCAcc LCAcc F64Sub, F64SubAccCSet AccCSet F64Sub, F64SubAccLSet AccLSet F64Sub, F64SubAccLRSet AccLRSet F64Sub,
            F64MulS S F64Mul, F64MulL L F64Mul, F64MulC C F64Mul, F64MulLR LR F64Mul, F64MulLL LL F64Mul, F64MulLC LC F64Mul, F64MulSet Set F64Mul, F64MulLSet LSet F64Mul, F64MulCSet CSet F64Mul, F64MulLRSet LRSet F64Mul, F64MulLLSet LLSet F64Mul, F64MulLCSet LCSet F64Mul,
            F64MulLRAcc LRAcc F64Mul, F64MulLLAcc LLAcc F64Mul, F64MulLCAcc LCAcc F64Mul, F64MulAccCSet AccCSet F64Mul, F64MulAccLSet AccLSet F64Mul, F64MulAccLRSet AccLRSet F64Mul,
            I32EqS S I32Eq, I32EqLL LL I32Eq, I32EqLC LC I32Eq, I32EqJumpLL JumpLL I32Eq, I32EqJumpLC JumpLC I32Eq,
            I32NeS S I32Ne, I32NeLL LL I32Ne, I32NeLC LC I32Ne, I32NeJumpLL JumpLL I32Ne, I32NeJumpLC JumpLC I32Ne,
            I32LtSS S I32LtS, I32LtSLL LL I32LtS, I32LtSLC LC I32LtS, I32LtSJumpLL JumpLL I32LtS, I32LtSJumpLC JumpLC I32LtS,
            I32LtUS S I32LtU, I32LtULL LL I32LtU, I32LtULC LC I32LtU, I32LtUJumpLL JumpLL I32LtU, I32LtUJumpLC JumpLC I32LtU,
            I32GtSS S I32GtS, I32GtSLL LL I32GtS, I32GtSLC LC I32GtS, I32GtSJumpLL JumpLL I32GtS, I32GtSJumpLC JumpLC I32GtS,
            I32GtUS S I32GtU, I32GtULL LL I32GtU, I32GtULC LC I32GtU, I32GtUJumpLL JumpLL I32GtU, I32GtUJumpLC JumpLC I32GtU,
            I32LeSS S I32LeS, I32LeSLL LL I32LeS, I32LeSLC LC I32LeS, I32LeSJumpLL JumpLL I32LeS, I32LeSJumpLC JumpLC I32LeS,
            I32LeUS S I32LeU, I32LeULL LL I32LeU, I32LeULC LC I32LeU, I32LeUJumpLL JumpLL I32LeU, I32LeUJumpLC JumpLC I32LeU,
            I32GeSS S I32GeS, I32GeSLL LL I32GeS, I32GeSLC LC I32GeS, I32GeSJumpLL JumpLL I32GeS, I32GeSJumpLC JumpLC I32GeS,
            I32GeUS S I32GeU, I32GeULL LL I32GeU, I32GeULC LC I32GeU, I32GeUJumpLL JumpLL I32GeU, I32GeUJumpLC JumpLC I32GeU,
            I32EqAccJumpLL AccJumpLL I32Eq, I32NeAccJumpLL AccJumpLL I32Ne,
            I32LtSAccJumpLL AccJumpLL I32LtS, I32LtUAccJumpLL AccJumpLL I32LtU,
            I32GtSAccJumpLL AccJumpLL I32GtS, I32GtUAccJumpLL AccJumpLL I32GtU,
            I32LeSAccJumpLL AccJumpLL I32LeS, I32LeUAccJumpLL AccJumpLL I32LeU,
            I32GeSAccJumpLL AccJumpLL I32GeS, I32GeUAccJumpLL AccJumpLL I32GeU,
            LoadU8 Load U8, LoadU32 Load U32, LoadU64 Load U64,
            LoadLU8 LoadL U8, LoadLU32 LoadL U32, LoadLU64 LoadL U64,
            I32AddLLoadU8 LLoadU8 I32Add, I32AddLLoadSetU8 LLoadSetU8 I32Add, I32AddLLoadU32 LLoadU32 I32Add, I32AddLLoadSetU32 LLoadSetU32 I32Add,
            I32AddLLoadAccU8 LLoadAccU8 I32Add, I32AddLLoadAccU32 LLoadAccU32 I32Add,
            I32SubLLoadU8 LLoadU8 I32Sub, I32SubLLoadSetU8 LLoadSetU8 I32Sub, I32SubLLoadU32 LLoadU32 I32Sub, I32SubLLoadSetU32 LLoadSetU32 I32Sub,
            I32SubLLoadAccU8 LLoadAccU8 I32Sub, I32SubLLoadAccU32 LLoadAccU32 I32Sub,
            I32XorLLoadU8 LLoadU8 I32Xor, I32XorLLoadSetU8 LLoadSetU8 I32Xor, I32XorLLoadU32 LLoadU32 I32Xor, I32XorLLoadSetU32 LLoadSetU32 I32Xor,
            I32XorLLoadAccU8 LLoadAccU8 I32Xor, I32XorLLoadAccU32 LLoadAccU32 I32Xor,
            I32AndLLoadU8 LLoadU8 I32And, I32AndLLoadSetU8 LLoadSetU8 I32And, I32AndLLoadU32 LLoadU32 I32And, I32AndLLoadSetU32 LLoadSetU32 I32And,
            I32AndLLoadAccU8 LLoadAccU8 I32And, I32AndLLoadAccU32 LLoadAccU32 I32And,
            I32OrLLoadU8 LLoadU8 I32Or, I32OrLLoadSetU8 LLoadSetU8 I32Or, I32OrLLoadU32 LLoadU32 I32Or, I32OrLLoadSetU32 LLoadSetU32 I32Or,
            I32OrLLoadAccU8 LLoadAccU8 I32Or, I32OrLLoadAccU32 LLoadAccU32 I32Or,
            I64AddLLoadU8 LLoadU8 I64Add, I64AddLLoadSetU8 LLoadSetU8 I64Add, I64AddLLoadU32 LLoadU32 I64Add, I64AddLLoadSetU32 LLoadSetU32 I64Add, I64AddLLoadU64 LLoadU64 I64Add, I64AddLLoadSetU64 LLoadSetU64 I64Add,
            I64AddLLoadAccU8 LLoadAccU8 I64Add, I64AddLLoadAccU32 LLoadAccU32 I64Add, I64AddLLoadAccU64 LLoadAccU64 I64Add,
            I64XorLLoadU8 LLoadU8 I64Xor, I64XorLLoadSetU8 LLoadSetU8 I64Xor, I64XorLLoadU64 LLoadU64 I64Xor, I64XorLLoadSetU64 LLoadSetU64 I64Xor,
            I64XorLLoadAccU8 LLoadAccU8 I64Xor, I64XorLLoadAccU64 LLoadAccU64 I64Xor,
            F64AddLLoadU64 LLoadU64 F64Add, F64AddLLoadSetU64 LLoadSetU64 F64Add,
            F64AddLLoadAccU64 LLoadAccU64 F64Add,
            I32ShrUStoreLBinU8 StoreLBinU8 I32ShrU, I32ShrSStoreLBinU8 StoreLBinU8 I32ShrS, I32AndStoreLBinU8 StoreLBinU8 I32And,
            I32ShrUStoreLBinU32 StoreLBinU32 I32ShrU, I32ShrSStoreLBinU32 StoreLBinU32 I32ShrS, I32AndStoreLBinU32 StoreLBinU32 I32And,
            LoadSetU8 LoadSet U8, LoadSetU32 LoadSet U32, LoadSetU64 LoadSet U64,
            LoadLSetU8 LoadLSet U8, LoadLSetU32 LoadLSet U32, LoadLSetU64 LoadLSet U64,
            LoadLSetAccU8 LoadLSetAcc U8, LoadLSetAccU32 LoadLSetAcc U32, LoadLSetAccU64 LoadLSetAcc U64,
            LoadBU8 LoadB U8, LoadBU32 LoadB U32, LoadBU64 LoadB U64,
            StoreU8 Store U8, StoreU32 Store U32, StoreU64 Store U64,
            StoreLU8 StoreL U8, StoreLU32 StoreL U32, StoreLU64 StoreL U64,
            StoreLAccU8 AccStoreL U8, StoreLAccU32 AccStoreL U32, StoreLAccU64 AccStoreL U64,
            StoreLLU8 StoreLL U8, StoreLLU32 StoreLL U32, StoreLLU64 StoreLL U64,
            StoreLCU8 StoreLC U8, StoreLCU32 StoreLC U32, StoreLCU64 StoreLC U64,
            I8x16AddS VecS I8x16Add, I8x16AddLR VecLR I8x16Add, I8x16AddLRSet VecLRSet I8x16Add,
            I8x16SubS VecS I8x16Sub, I8x16SubLR VecLR I8x16Sub, I8x16SubLRSet VecLRSet I8x16Sub,
            I16x8AddS VecS I16x8Add, I16x8AddLR VecLR I16x8Add, I16x8AddLRSet VecLRSet I16x8Add,
            I16x8SubS VecS I16x8Sub, I16x8SubLR VecLR I16x8Sub, I16x8SubLRSet VecLRSet I16x8Sub,
            I16x8MulS VecS I16x8Mul, I16x8MulLR VecLR I16x8Mul, I16x8MulLRSet VecLRSet I16x8Mul,
            I32x4AddS VecS I32x4Add, I32x4AddLR VecLR I32x4Add, I32x4AddLRSet VecLRSet I32x4Add,
            I32x4SubS VecS I32x4Sub, I32x4SubLR VecLR I32x4Sub, I32x4SubLRSet VecLRSet I32x4Sub,
            I32x4MulS VecS I32x4Mul, I32x4MulLR VecLR I32x4Mul, I32x4MulLRSet VecLRSet I32x4Mul,
            I64x2AddS VecS I64x2Add, I64x2AddLR VecLR I64x2Add, I64x2AddLRSet VecLRSet I64x2Add,
            I64x2SubS VecS I64x2Sub, I64x2SubLR VecLR I64x2Sub, I64x2SubLRSet VecLRSet I64x2Sub,
            I64x2MulS VecS I64x2Mul, I64x2MulLR VecLR I64x2Mul, I64x2MulLRSet VecLRSet I64x2Mul,
            F32x4AddS VecS F32x4Add, F32x4AddLR VecLR F32x4Add, F32x4AddLRSet VecLRSet F32x4Add,
            F32x4SubS VecS F32x4Sub, F32x4SubLR VecLR F32x4Sub, F32x4SubLRSet VecLRSet F32x4Sub,
            F32x4MulS VecS F32x4Mul, F32x4MulLR VecLR F32x4Mul, F32x4MulLRSet VecLRSet F32x4Mul,
            F32x4DivS VecS F32x4Div, F32x4DivLR VecLR F32x4Div, F32x4DivLRSet VecLRSet F32x4Div,
            F64x2AddS VecS F64x2Add, F64x2AddLR VecLR F64x2Add, F64x2AddLRSet VecLRSet F64x2Add,
            F64x2SubS VecS F64x2Sub, F64x2SubLR VecLR F64x2Sub, F64x2SubLRSet VecLRSet F64x2Sub,
            F64x2MulS VecS F64x2Mul, F64x2MulLR VecLR F64x2Mul, F64x2MulLRSet VecLRSet F64x2Mul,
            F64x2DivS VecS F64x2Div, F64x2DivLR VecLR F64x2Div, F64x2DivLRSet VecLRSet F64x2Div,
        }
    };
}
pub(crate) use for_each_specialized;

/// The operand shapes of specialized ops: where the operands come from and
/// where the result goes, as the generic fused op of the same name says
/// (`LL` as `BinLL`, `Set` as `BinSet`, `JumpLL` as `JumpIfLL` jumping when
/// the result is not zero). Constants are sign-extended from 32 bits; only
/// 32-bit fields, so that an op stays 16 bytes.
pub(crate) mod shape {
    /// Both operands popped, the result pushed (`Bin`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct S;
    /// The top slot and the local at `b`, the result in the top slot.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct L {
        pub b: u32,
    }
    /// The top slot and a constant, the result in the top slot.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct C {
        pub c: i32,
    }
    /// The local at `a` and the top slot, the result in the top slot.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LR {
        pub a: u32,
    }
    /// Two locals, the result pushed.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LL {
        pub a: u32,
        pub b: u32,
    }
    /// A local and a constant, the result pushed.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LC {
        pub a: u32,
        pub c: i32,
    }
    /// Both operands popped, the result into the local at `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Set {
        pub d: u32,
    }
    /// The popped slot and the local at `b`, the result into `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LSet {
        pub b: u32,
        pub d: u32,
    }
    /// The popped slot and a constant, the result into `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct CSet {
        pub c: i32,
        pub d: u32,
    }
    /// `LR`, the result handed to the next op in a register (an
    /// accumulator) instead of the stack: the first of an accumulator pair
    /// (see `compile::pair_accumulators`).
    pub(crate) type LRAcc = LR;
    /// `LL`, the result to the accumulator.
    pub(crate) type LLAcc = LL;
    /// `LC`, the result to the accumulator.
    pub(crate) type LCAcc = LC;
    /// `CSet` with the accumulator in place of the popped slot: the second
    /// of an accumulator pair.
    pub(crate) type AccCSet = CSet;
    /// `LSet` with the accumulator in place of the popped slot.
    pub(crate) type AccLSet = LSet;
    /// `LRSet` with the accumulator in place of the popped slot.
    pub(crate) type AccLRSet = LRSet;
    /// `StoreL` with the accumulator as the value in place of the popped
    /// slot.
    pub(crate) type AccStoreL = StoreL;
    /// `LoadLSet` that also hands the loaded value to the next op in the
    /// accumulator: the first of a pair whose second reads the local just
    /// set (`AccJumpLL`).
    pub(crate) type LoadLSetAcc = LoadLSet;
    /// `JumpLL` with the accumulator in place of the local at `a`, which
    /// the op before set to the same value.
    pub(crate) type AccJumpLL = JumpLL;
    /// The local at `a` and the popped slot, the result into `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LRSet {
        pub a: u32,
        pub d: u32,
    }
    /// Two locals, the result into `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LLSet {
        pub a: u32,
        pub b: u32,
        pub d: u32,
    }
    /// A local and a constant, the result into `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LCSet {
        pub a: u32,
        pub c: i32,
        pub d: u32,
    }
    /// A load at a popped address plus `offset`, the result in its slot.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Load {
        pub shift: u8,
        pub offset: u32,
    }
    /// A load at the local at `a` shifted left by `shift`, plus `offset`;
    /// the result pushed. The local's offset is 16 bits (and the shift
    /// 8), so that the shape fits beside the op's tag.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LoadL {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
    }
    /// A load at the local at `a` plus the popped index shifted left by
    /// `shift`, plus `offset`; the result in the index's slot. The local's
    /// offset is 16 bits, as in `LoadL`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LoadB {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
    }
    /// `Load`, the result into the local at `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LoadSet {
        pub shift: u8,
        pub offset: u32,
        pub d: u32,
    }
    /// `LoadL`, the result into the local at `d`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LoadLSet {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
        pub d: u32,
    }
    /// A store of a popped value at a popped address plus `offset`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Store {
        pub offset: u32,
    }
    /// A store of a popped value at an address as `LoadL` computes it.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct StoreL {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
    }
    /// `StoreL` of the local at `v`.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct StoreLL {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
        pub v: u32,
    }
    /// `StoreL` of a constant (sign-extended from 32 bits).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct StoreLC {
        pub shift: u8,
        pub a: u16,
        pub offset: u32,
        pub c: i32,
    }
    /// Two vectors popped, the result pushed (`SimdBin`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct VecS;
    /// The two-slot local at `a` and the vector on top, the result in its
    /// place (`SimdBinLR`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct VecLR {
        pub a: u32,
    }
    /// The two-slot local at `a` and the popped vector, the result into the
    /// two-slot local at `d` (`SimdBinLRSet`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct VecLRSet {
        pub a: u32,
        pub d: u32,
    }
    /// The local at `a` and a value loaded from the address in the local
    /// at `b` shifted left by `shift`, plus `offset` (`BinLLoad`); the
    /// result pushed. Offsets are 16 bits, so that the op stays 16 bytes.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LLoad {
        pub a: u16,
        pub b: u16,
        pub shift: u8,
        pub offset: u32,
    }
    /// `LLoad` of a byte (`LoadFn::U8`).
    pub(crate) type LLoadU8 = LLoad;
    /// `LLoad` of 32 bits (`LoadFn::U32`).
    pub(crate) type LLoadU32 = LLoad;
    /// `LLoad` of 64 bits (`LoadFn::U64`).
    pub(crate) type LLoadU64 = LLoad;
    /// `LLoad` of a byte, the result to the accumulator (the first of a
    /// pair, see `compile::pair_accumulators`).
    pub(crate) type LLoadAccU8 = LLoad;
    /// `LLoad` of 32 bits, the result to the accumulator.
    pub(crate) type LLoadAccU32 = LLoad;
    /// `LLoad` of 64 bits, the result to the accumulator.
    pub(crate) type LLoadAccU64 = LLoad;
    /// `LLoad`, the result into the local at `d` (`BinLLoadSet`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LLoadSet {
        pub a: u16,
        pub b: u16,
        pub d: u16,
        pub shift: u8,
        pub offset: u32,
    }
    /// `LLoadSet` of a byte.
    pub(crate) type LLoadSetU8 = LLoadSet;
    /// `LLoadSet` of 32 bits.
    pub(crate) type LLoadSetU32 = LLoadSet;
    /// `LLoadSet` of 64 bits.
    pub(crate) type LLoadSetU64 = LLoadSet;
    /// A store at the address in the local at `a` plus `offset` of an
    /// operator's result on the local at `v` and the constant `c`
    /// (`StoreLBin`: a byte of a shifted value, `store8(p, x >> 8)`).
    /// Offsets are 16 bits, so that the op stays 16 bytes.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct StoreLBin {
        pub a: u16,
        pub v: u16,
        pub c: i32,
        pub offset: u32,
    }
    /// `StoreLBin` of a byte (`StoreFn::U8`).
    pub(crate) type StoreLBinU8 = StoreLBin;
    /// `StoreLBin` of 32 bits (`StoreFn::U32`).
    pub(crate) type StoreLBinU32 = StoreLBin;
    /// A loop counter's step and test: add `c` to the local at `x`, then
    /// jump to `to` if the new value compares true with the local at `b`.
    /// Offsets are 16 bits, so that the op stays 16 bytes.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Step {
        pub x: u16,
        pub b: u16,
        pub c: i32,
        pub to: u32,
    }
    /// A loop index's step by another local and its test: add the local at
    /// `y` to the local at `x`, then jump to `to` if the new value compares
    /// true with the local at `b` (a sieve's `j += i`).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct StepL {
        pub x: u16,
        pub b: u16,
        pub y: u32,
        pub to: u32,
    }
    /// Two locals; jump to `to` if the result is not zero.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct JumpLL {
        pub a: u32,
        pub b: u32,
        pub to: u32,
    }
    /// A local and a constant; jump to `to` if the result is not zero.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct JumpLC {
        pub a: u32,
        pub c: i32,
        pub to: u32,
    }

    /// What a shape's fields reach: the frame slots it reads or writes
    /// (offset and width) and the op it may jump to. Declared here, beside
    /// the fields, so that `in_bounds` checks every specialized op from its
    /// shape alone (a new shape must say what it reaches to compile).
    pub(crate) trait Reach {
        /// Calls `slot(offset, width)` for every frame slot and `op(to)`
        /// for every op index named; true when all say so.
        fn reach(&self, slot: impl Fn(u32, u32) -> bool, op: impl Fn(u32) -> bool) -> bool;
    }

    macro_rules! reach {
        ($($shape:ident: [$($f:ident $w:literal),*] [$($t:ident),*];)*) => {$(
            impl Reach for $shape {
                #[allow(unused_variables)]
                fn reach(&self, slot: impl Fn(u32, u32) -> bool, op: impl Fn(u32) -> bool) -> bool {
                    true $(&& slot(self.$f.into(), $w))* $(&& op(self.$t))*
                }
            }
        )*};
    }

    reach! {
        S: [] [];
        L: [b 1] [];
        C: [] [];
        LR: [a 1] [];
        LL: [a 1, b 1] [];
        LC: [a 1] [];
        Set: [d 1] [];
        LSet: [b 1, d 1] [];
        CSet: [d 1] [];
        LRSet: [a 1, d 1] [];
        LLSet: [a 1, b 1, d 1] [];
        LCSet: [a 1, d 1] [];
        Load: [] [];
        LoadL: [a 1] [];
        LoadB: [a 1] [];
        LoadSet: [d 1] [];
        LoadLSet: [a 1, d 1] [];
        Store: [] [];
        StoreL: [a 1] [];
        StoreLL: [a 1, v 1] [];
        StoreLC: [a 1] [];
        VecS: [] [];
        VecLR: [a 2] [];
        VecLRSet: [a 2, d 2] [];
        LLoad: [a 1, b 1] [];
        LLoadSet: [a 1, b 1, d 1] [];
        StoreLBin: [a 1, v 1] [];
        Step: [x 1, b 1] [to];
        StepL: [x 1, b 1, y 1] [to];
        JumpLL: [a 1, b 1] [to];
        JumpLC: [a 1] [to];
    }
}

/// Defines `Op` with the specialized ops after the generic ones.
macro_rules! define_op {
    ($($name:ident $shape:ident $f:ident,)*) => {
    /// One step of the internal form.
    #[derive(Clone, Debug)]
    pub(crate) enum Op {
        /// Trap with `unreachable`.
        Unreachable,
        /// Jump without touching the stack.
        Jump { to: u32 },
        /// Branch, moving the top `keep` slots down to `base`.
        Br(Target),
        /// Pop an i32; jump without touching the stack if it is not zero.
        JumpIf { to: u32 },
        /// Pop an i32; jump if it is zero (the `if` of `if`/`else`).
        JumpIfNot { to: u32 },
        /// Pop an i32; branch (moving values) if it is not zero.
        BrIf(Target),
        /// Pop an index; take `targets[start + min(index, len - 1)]`, where the
        /// last of the `len` targets is the default.
        BrTable { start: u32, len: u32 },
        /// Return the top `Code::result_slots` slots to the caller.
        Return,
        /// `Return` of a function with one result slot, the result being
        /// the accumulator that the op before hands over (the second of an
        /// accumulator pair, see `compile::pair_accumulators`).
        ReturnAcc,
        /// `local.get` of the one-slot local at `off` then `Return`, in a
        /// function with one result slot: the callee's value goes straight
        /// into its first slot, where the caller finds it (half the calls
        /// of a recursion end this way). The `Return` stays after it.
        ReturnLocal { off: u32 },
        /// Call a function of the instance by its index.
        Call { func: u32 },
        /// Call through a table; `ty` is the module's type index.
        CallIndirect { ty: u32, table: u32 },
        /// Tail call a function of the instance.
        ReturnCall { func: u32 },
        /// Tail call through a table.
        ReturnCallIndirect { ty: u32, table: u32 },
        /// Pop a function reference and call it (`null function reference`
        /// when null).
        CallRef,
        /// Pop a function reference and tail call it.
        ReturnCallRef,
        /// Branch, dropping the reference on top, if it is null.
        BrOnNull(Target),
        /// Branch, keeping the reference on top, if it is not null; else drop it.
        BrOnNonNull(Target),
        /// Throw a new exception of the instance's tag with the payload on top.
        Throw { tag: u32 },
        /// Pop an exception reference and throw it again.
        ThrowRef,
        /// Branch to `targets[target]` (keeping the reference on top) if the
        /// reference belongs to `casts[cast]`, or if it does not when `fail`.
        BrOnCast { target: u32, cast: u32, fail: bool },
        /// `br_on_cast_desc_eq(_fail)`: pop a descriptor, then branch as
        /// `BrOnCast` if the reference on top has that descriptor (custom
        /// descriptors).
        BrOnCastDesc { target: u32, cast: u32, fail: bool },
        /// A GC instruction, executed by its AST form.
        Gc(Box<Instr>),
        /// Throw again the exception whose reference is in the slot at `off`
        /// (a legacy catch's hidden slot).
        Rethrow { off: u32 },
        /// Pop `slots` slots.
        Drop { slots: u32 },
        /// Pop an i32 and two operands of `slots` slots each; keep the first if
        /// the i32 is not zero, else the second.
        Select { slots: u32 },
        /// Push the one-slot local at frame offset `off`.
        LocalGet { off: u32 },
        /// Pop into the one-slot local at `off`.
        LocalSet { off: u32 },
        /// Copy the top slot into the local at `off`.
        LocalTee { off: u32 },
        /// Push the two-slot local at `off`.
        LocalGet2 { off: u32 },
        /// Pop into the two-slot local at `off`.
        LocalSet2 { off: u32 },
        /// Copy the top two slots into the local at `off`.
        LocalTee2 { off: u32 },
        /// Push a global (one or two slots, as its type says).
        GlobalGet { global: u32 },
        /// Pop into a global.
        GlobalSet { global: u32 },
        /// Push one slot.
        Const { bits: u64 },
        /// Push a reference to a function of the instance.
        RefFunc { func: u32 },
        /// `i32.eqz`.
        I32Eqz,
        /// A non-trapping unary operator on the top slot.
        Un { f: UnFn },
        /// A non-trapping unary operator on the local at `a`, the result
        /// pushed.
        UnL { f: UnFn, a: u32 },
        /// A binary integer operator on the top two slots.
        Bin { f: BinFn },
        /// A binary integer operator with a local as its right operand.
        BinL { f: BinFn, b: u32 },
        /// A binary integer operator with a constant right operand.
        BinC { f: BinFn, c: u64 },
        /// A binary integer operator with a local as its left operand and the
        /// top slot as its right one.
        BinLR { f: BinFn, a: u32 },
        /// `BinLR`, storing into the local at `d`.
        BinLRSet { f: BinFn, a: u32, d: u32 },
        /// A binary integer operator on two locals, pushing the result.
        BinLL { f: BinFn, a: u32, b: u32 },
        /// A binary integer operator on a local and a constant.
        BinLC { f: BinFn, a: u32, c: u64 },
        /// `Bin`, storing into the local at `d` instead of pushing.
        BinSet { f: BinFn, d: u32 },
        /// `BinLC` (with a constant that sign-extends from 32 bits), storing
        /// into the local at `d`.
        BinLCSet { f: BinFn, a: u32, c: i32, d: u32 },
        /// `BinLL`, storing into the local at `d`.
        BinLLSet { f: BinFn, a: u32, b: u32, d: u32 },
        /// `BinL`, storing into the local at `d`.
        BinLSet { f: BinFn, b: u32, d: u32 },
        /// `BinC` (with a constant that sign-extends from 32 bits), storing into
        /// the local at `d`.
        BinCSet { f: BinFn, c: i32, d: u32 },
        /// Copy the one-slot local at `a` to the one at `d`.
        Copy { a: u32, d: u32 },
        /// Store a constant into the one-slot local at `d`.
        ConstSet { bits: u64, d: u32 },
        /// Jump if the one-slot local at `off` is zero (`if_zero`) or not.
        JumpIfL { off: u32, to: u32, if_zero: bool },
        /// Jump on the result of `BinLC` (a comparison, usually).
        JumpIfLC {
            f: BinFn,
            a: u32,
            c: i32,
            to: u32,
            if_zero: bool,
        },
        /// Jump on the result of `BinLL`.
        JumpIfLL {
            f: BinFn,
            a: u32,
            b: u32,
            to: u32,
            if_zero: bool,
        },
        /// A load from memory 0 (32-bit addresses) at a popped address,
        /// shifted left by `shift` (an `i32.shl` by a constant, fused; 0
        /// without one), plus `offset`.
        Load { f: LoadFn, shift: u8, offset: u32 },
        /// A load at the local at `a` plus a popped index shifted left by
        /// `shift`, plus `offset` (a base and a scaled index: `i32.add` of a
        /// local and an `i32.shl` by a constant, fused); the result in the
        /// index's slot.
        LoadB {
            f: LoadFn,
            shift: u8,
            a: u32,
            offset: u32,
        },
        /// `Load` from the address in the local at `a` shifted left by
        /// `shift` (an `i32.shl` by a constant, fused; 0 without one).
        LoadL {
            f: LoadFn,
            shift: u8,
            a: u32,
            offset: u32,
        },
        /// A store to memory 0 (32-bit addresses) of a popped value at a popped
        /// address plus `offset`.
        Store { f: StoreFn, offset: u32 },
        /// `Store` to the address in the local at `a` shifted left by
        /// `shift`.
        StoreL {
            f: StoreFn,
            shift: u8,
            a: u32,
            offset: u32,
        },
        /// `StoreL` of the value in the local at `v`.
        StoreLL {
            f: StoreFn,
            shift: u8,
            a: u32,
            offset: u32,
            v: u32,
        },
        /// `Load`, storing into the local at `d` instead of pushing.
        LoadSet {
            f: LoadFn,
            shift: u8,
            offset: u32,
            d: u32,
        },
        /// `i32.mul` of the locals at `a` and `b` plus the local at `c`
        /// (a row-major index), pushed.
        I32MulAddLLL { a: u32, b: u32, c: u32 },
        /// `f` of the local at `a` and the value `load` reads at the
        /// address in the local at `b` shifted left by `shift`, plus
        /// `offset` (a sum or hash over an array: `h ^ a[i]`); the result
        /// pushed. Offsets are 16 bits, so that the op stays 16 bytes.
        BinLLoad {
            f: BinFn,
            load: LoadFn,
            a: u16,
            b: u16,
            shift: u8,
            offset: u32,
        },
        /// `BinLLoad`, the result into the local at `d`.
        BinLLoadSet {
            f: BinFn,
            load: LoadFn,
            a: u16,
            b: u16,
            d: u16,
            shift: u8,
            offset: u32,
        },
        /// `f` of the local at `v` and the constant `c` (sign-extended),
        /// stored by `store` at the address in the local at `a` plus
        /// `offset`. Offsets are 16 bits, so that the op stays 16 bytes.
        StoreLBin {
            store: StoreFn,
            f: BinFn,
            a: u16,
            v: u16,
            c: i32,
            offset: u32,
        },
        /// `a * c1 + c2` (32 bits) of the local at `a` into the local at
        /// `d`: a linear congruential generator's step, or an index
        /// scaled and offset. Offsets are 16 bits, so that the op stays 16
        /// bytes.
        I32MulAddLCCSet { a: u16, d: u16, c1: i32, c2: i32 },
        /// Pop `y` and `x`; the local at `d` becomes the local at `a` plus
        /// `x * y` (`f64.add` of a local and an `f64.mul`, rounded twice as
        /// the two instructions are).
        F64MulAddLRSet { a: u32, d: u32 },
        /// Pop vectors `y` and `x`; the two-slot local at `d` becomes the
        /// one at `a` plus `x * y`, lane by lane (`i32x4.add` of a local
        /// and an `i32x4.mul`: a dot product's step).
        I32x4MulAddLRSet { a: u32, d: u32 },
        /// `I32x4MulAddLRSet` of `f32x4` lanes (rounded twice, as the two
        /// instructions are).
        F32x4MulAddLRSet { a: u32, d: u32 },
        /// `I32x4MulAddLRSet` of `f64x2` lanes (rounded twice).
        F64x2MulAddLRSet { a: u32, d: u32 },
        /// `LoadL`, storing into the local at `d` instead of pushing.
        LoadLSet {
            f: LoadFn,
            shift: u8,
            a: u32,
            offset: u32,
            d: u32,
        },
        /// `StoreL` of a constant (sign-extended from 32 bits).
        StoreLC {
            f: StoreFn,
            shift: u8,
            a: u32,
            offset: u32,
            c: i32,
        },
        /// `v128.load` from memory 0 (32-bit addresses) at a popped address
        /// plus `offset`.
        V128Load { offset: u32 },
        /// `v128.store` to memory 0 (32-bit addresses) of a popped vector at a
        /// popped address plus `offset`.
        V128Store { offset: u32 },
        /// A lane-wise binary operator on the top two vectors.
        SimdBin { f: SimdBinFn },
        /// `SimdBin` with the two-slot local at `a` as its left operand and
        /// the top vector as its right one, the result in the top vector.
        SimdBinLR { f: SimdBinFn, a: u32 },
        /// `SimdBinLR`, storing into the two-slot local at `d`.
        SimdBinLRSet { f: SimdBinFn, a: u32, d: u32 },
        /// `v128.load` from the address in the local at `a` shifted left
        /// by `shift`, plus `offset`.
        V128LoadL { shift: u8, a: u32, offset: u32 },
        /// `v128.load` at the sum of the locals at `a` and `b` (wrapping, as
        /// `i32.add`) plus `offset`; the vector pushed.
        V128LoadLL { a: u32, b: u32, offset: u32 },
        /// A counted loop's back edge: `I32AddLCSet` of a local to itself
        /// followed by `I32LtUJumpLL` on that local, in one op; falling
        /// through skips the next op (the unfused test, kept so that no op
        /// index moves).
        I32AddJumpLtU(shape::Step),
        /// `I32AddJumpLtU` with a signed comparison (`I32LtSJumpLL`).
        I32AddJumpLtS(shape::Step),
        /// `I32AddJumpLtU` stepping by a local: `I32AddLLSet` of a local
        /// and another into the first, then `I32LtUJumpLL` on it.
        I32AddLJumpLtU(shape::StepL),
        /// `I32AddLJumpLtU` with a signed comparison (`I32LtSJumpLL`).
        I32AddLJumpLtS(shape::StepL),
        /// Any other numeric instruction, executed by its AST form.
        Num(Box<Instr>),
        /// A memory or table instruction, executed by its AST form.
        Access(Box<Instr>),
        /// A vector instruction, executed by its AST form.
        Simd(Box<Instr>),
        $(
            #[doc = concat!("`", stringify!($f), "` in the [`shape::", stringify!($shape), "`] form.")]
            $name(shape::$shape),
        )*
    }
    };
}
for_each_specialized!(define_op);

/// One catch clause of a `try_table`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CatchOp {
    /// The instance's tag caught, or `None` for `catch_all(_ref)`.
    pub tag: Option<u32>,
    /// Whether the exception reference is pushed (`catch_ref`,
    /// `catch_all_ref`, and every legacy clause).
    pub with_ref: bool,
    /// A legacy `catch`: the reference goes below the payload (into the
    /// clause's hidden slot) rather than above it.
    pub legacy: bool,
    /// Where the clause branches, with the values it pushes.
    pub target: Target,
}

/// A `try_table`: the ops it covers and its clauses. Handlers are listed in
/// the order their blocks open, so that the last one covering an op is the
/// innermost.
#[derive(Clone, Debug)]
pub(crate) struct TryScope {
    /// First op covered.
    pub start: u32,
    /// One past the last op covered.
    pub end: u32,
    /// Stack height below the block's parameters, where caught values go.
    pub height: u32,
    /// The clauses, tried in order.
    pub catches: Box<[CatchOp]>,
    /// For a legacy `try ... delegate`: the handler that takes over, or
    /// `u32::MAX` for the caller.
    pub delegate: Option<u32>,
}

/// A translated function body.
#[derive(Debug)]
pub(crate) struct Code {
    /// The ops, ending with `Return`.
    pub ops: Box<[Op]>,
    /// For each op, the index in the function's body of the instruction it
    /// came from (the last one, for a fused op): where a trap happened.
    pub instrs: Box<[u32]>,
    /// The function's index in its module's function space.
    pub func: u32,
    /// A copy of the first op: a call finds the callee's first handler
    /// from it with one load fewer than through `ops` (on an indirect call
    /// whose callee the processor mispredicts, those loads are what it
    /// waits for).
    pub entry: Op,
    /// The targets of every `br_table`, each table's default last.
    pub targets: Box<[Target]>,
    /// The `try_table`s, outer before inner.
    pub handlers: Box<[TryScope]>,
    /// The target types of `br_on_cast(_fail)`.
    pub casts: Box<[weft_ast::RefType]>,
    /// Slots taken by the parameters.
    pub param_slots: u32,
    /// Slots taken by parameters and declared locals together.
    pub local_slots: u32,
    /// Slots taken by the results.
    pub result_slots: u32,
    /// The largest stack height the body reaches, locals included.
    pub max_height: u32,
}
