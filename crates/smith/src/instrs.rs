//! The generator's view of the instruction table, derived from
//! `weft_ast::for_each_instr!` so that a new row is known here the day it
//! is added.
//!
//! Every row gets an index ([`ROWS`], [`row_of`]). A row whose immediates
//! are all *plain* (memory arguments, lanes, constants, a fence's byte)
//! gets a prototype `Instr` built from the table, immediates filled at
//! random by kind ([`fill`]), and a signature from [`plain_sig`]: such rows
//! need no code of their own in the generator. The others (indices into the
//! module's spaces, block types, labels, heap types) are built by the hand
//! written generators of `code.rs`, which match on [`RowId`].
//!
//! `plain_sig` is the typing function of this crate: operand and result
//! types of every row whose types are fixed by its immediates. When the
//! table gains a signature column it replaces this match.

use weft_ast::{
    AbsHeap, Features, HeapType, Ieee32, Ieee64, Instr, MemArg, RefType, Shuffle, V128, ValType,
};

/// One row of the instruction table, as the generator sees it.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The text mnemonic.
    pub name: &'static str,
    /// The `Instr` variant's name (tells apart two rows of one mnemonic).
    pub variant: &'static str,
    /// The proposal that enables it.
    pub feature: Features,
    /// A marker of structure (`end`, `else`, `catch`, `catch_all`,
    /// `delegate`) rather than an instruction chosen on its own.
    pub structural: bool,
}

macro_rules! rows {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        $( [$($params:tt)*] -> $results:tt $($flag:ident)* )? ; )* } )*) => {
        /// Every row of the instruction table, by index, in table order.
        pub const ROWS: &[Row] = &[
            $( $( Row {
                name: $text,
                variant: stringify!($name),
                feature: Features::$feature,
                structural: matches!(
                    $text.as_bytes(),
                    b"end" | b"else" | b"catch" | b"catch_all" | b"delegate"
                ),
            }, )* )*
        ];

        /// Row identifiers, one per `Instr` variant, numbered as [`ROWS`].
        #[allow(missing_docs, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum RowId {
            $( $( $name, )* )*
        }

        /// Every row identifier in table order.
        pub(crate) const ROW_IDS: &[RowId] = &[ $( $( RowId::$name, )* )* ];

        /// The table row of an instruction.
        pub fn row_of(i: &Instr) -> usize {
            match i {
                $( $( Instr::$name { .. } => RowId::$name as usize, )* )*
            }
        }

        /// The prototype of a row whose immediates are all plain.
        #[allow(unused_variables, clippy::redundant_closure_call)]
        pub(crate) fn proto(row: RowId) -> Option<Instr> {
            match row {
                $( $( RowId::$name => (|| -> Option<Instr> {
                    Some(Instr::$name $({ $($field: imm_proto!($imm)?),* })?)
                })(), )* )*
            }
        }

        /// The memory argument of an instruction, to change it.
        #[allow(unused_variables)]
        pub(crate) fn memarg_mut(i: &mut Instr) -> Option<&mut MemArg> {
            match i {
                $( $( Instr::$name $({ $($field),* })? => memarg_mut_of!($($($field : $imm)*)?), )* )*
            }
        }

        /// Fills a plain row's immediates at random.
        #[allow(unused_variables)]
        pub(crate) fn fill<F: FillImm>(i: &mut Instr, f: &mut F) -> arbitrary::Result<bool> {
            match i {
                $( $( Instr::$name $({ $($field),* })? => {
                    $( $( if !imm_fill!(f, $imm, $field) { return Ok(false); } )* )?
                } )* )*
            }
            Ok(true)
        }
    };
}

/// The default value of a plain immediate kind; `None` for the others.
macro_rules! imm_proto {
    (MemArg1) => {
        Some(MemArg::default())
    };
    (MemArg2) => {
        Some(MemArg::default())
    };
    (MemArg4) => {
        Some(MemArg::default())
    };
    (MemArg8) => {
        Some(MemArg::default())
    };
    (MemArg16) => {
        Some(MemArg::default())
    };
    (Lane) => {
        Some(0u8)
    };
    (Byte) => {
        Some(0u8)
    };
    (I32) => {
        Some(0i32)
    };
    (I64) => {
        Some(0i64)
    };
    (F32) => {
        Some(Ieee32(0))
    };
    (F64) => {
        Some(Ieee64(0))
    };
    (V128Arg) => {
        Some(Box::new(V128([0; 16])))
    };
    (ShuffleArg) => {
        Some(Box::new(Shuffle([0; 16])))
    };
    ($other:ident) => {
        None
    };
}

/// The `MemArg` field among a row's fields, if any.
macro_rules! memarg_mut_of {
    () => { None };
    ($f:ident : MemArg1 $($rest:tt)*) => { Some($f) };
    ($f:ident : MemArg2 $($rest:tt)*) => { Some($f) };
    ($f:ident : MemArg4 $($rest:tt)*) => { Some($f) };
    ($f:ident : MemArg8 $($rest:tt)*) => { Some($f) };
    ($f:ident : MemArg16 $($rest:tt)*) => { Some($f) };
    ($f:ident : $imm:ident $($rest:tt)*) => { memarg_mut_of!($($rest)*) };
}

/// Fills one plain immediate (`false`: cannot be filled here).
macro_rules! imm_fill {
    ($f:ident, MemArg1, $x:ident) => {
        $f.memarg($x, 0)?
    };
    ($f:ident, MemArg2, $x:ident) => {
        $f.memarg($x, 1)?
    };
    ($f:ident, MemArg4, $x:ident) => {
        $f.memarg($x, 2)?
    };
    ($f:ident, MemArg8, $x:ident) => {
        $f.memarg($x, 3)?
    };
    ($f:ident, MemArg16, $x:ident) => {
        $f.memarg($x, 4)?
    };
    ($f:ident, Lane, $x:ident) => {{
        *$x = $f.lane()?;
        true
    }};
    ($f:ident, Byte, $x:ident) => {{
        *$x = 0;
        true
    }};
    ($f:ident, I32, $x:ident) => {{
        *$x = $f.i32()?;
        true
    }};
    ($f:ident, I64, $x:ident) => {{
        *$x = $f.i64()?;
        true
    }};
    ($f:ident, F32, $x:ident) => {{
        *$x = Ieee32($f.f32_bits()?);
        true
    }};
    ($f:ident, F64, $x:ident) => {{
        *$x = Ieee64($f.f64_bits()?);
        true
    }};
    ($f:ident, V128Arg, $x:ident) => {{
        $x.0 = $f.bytes16()?;
        true
    }};
    ($f:ident, ShuffleArg, $x:ident) => {{
        $x.0 = $f.shuffle()?;
        true
    }};
    ($f:ident, $other:ident, $x:ident) => {{
        let _ = $x;
        true
    }};
}

weft_ast::for_each_instr!(rows);

/// How many rows the table has.
pub const ROW_COUNT: usize = ROWS.len();

/// The source of plain immediates (the body generator).
pub(crate) trait FillImm {
    /// A memory argument for an access of natural alignment `2^natural`;
    /// `false` when no memory can take it.
    fn memarg(&mut self, m: &mut MemArg, natural: u8) -> arbitrary::Result<bool>;
    /// A lane index within the current row's lane count.
    fn lane(&mut self) -> arbitrary::Result<u8>;
    /// Constants.
    fn i32(&mut self) -> arbitrary::Result<i32>;
    /// Constants.
    fn i64(&mut self) -> arbitrary::Result<i64>;
    /// Float bits.
    fn f32_bits(&mut self) -> arbitrary::Result<u32>;
    /// Float bits.
    fn f64_bits(&mut self) -> arbitrary::Result<u64>;
    /// A vector constant.
    fn bytes16(&mut self) -> arbitrary::Result<[u8; 16]>;
    /// Shuffle lanes (each below 32).
    fn shuffle(&mut self) -> arbitrary::Result<[u8; 16]>;
}

/// The operand and result types of a row whose types its immediates fix.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sig {
    /// Whether a memory address (of the accessed memory's address type)
    /// comes first, before `params`.
    pub addr: bool,
    /// The other operands, bottom first.
    pub params: &'static [ValType],
    /// The results, bottom first.
    pub results: &'static [ValType],
}

/// Lanes of a row with a lane immediate: from its shape prefix, or for a
/// lane load or store from its access width.
pub(crate) fn lane_count(row: &Row, natural_align: Option<u8>) -> u8 {
    let n = row.name;
    if n.starts_with("v128.") {
        return 16 >> natural_align.unwrap_or(0);
    }
    if n.starts_with("i8x16") {
        16
    } else if n.starts_with("i16x8") {
        8
    } else if n.starts_with("i32x4") || n.starts_with("f32x4") {
        4
    } else {
        2
    }
}

const fn r(nullable: bool, h: AbsHeap) -> ValType {
    ValType::Ref(RefType::new(nullable, HeapType::Abstract(h)))
}

/// The typing function: the signature of every row whose operand and
/// result types are fixed once its plain immediates are (`None` for the
/// rows the generator builds by hand).
pub(crate) fn plain_sig(i: &Instr) -> Option<Sig> {
    use Instr as I;
    use ValType::{F32, F64, I32, I64, V128};
    const fn s(params: &'static [ValType], results: &'static [ValType]) -> Sig {
        Sig {
            addr: false,
            params,
            results,
        }
    }
    const fn m(params: &'static [ValType], results: &'static [ValType]) -> Sig {
        Sig {
            addr: true,
            params,
            results,
        }
    }
    const EQREF: ValType = r(true, AbsHeap::Eq);
    const ARRAYREF: ValType = r(true, AbsHeap::Array);
    const I31REF: ValType = r(true, AbsHeap::I31);
    const I31: ValType = r(false, AbsHeap::I31);
    const EXTERNREF: ValType = r(true, AbsHeap::Extern);
    const ANYREF: ValType = r(true, AbsHeap::Any);
    Some(match i {
        I::Nop | I::AtomicFence { .. } => s(&[], &[]),
        I::I32Const { .. } => s(&[], &[I32]),
        I::I64Const { .. } => s(&[], &[I64]),
        I::F32Const { .. } => s(&[], &[F32]),
        I::F64Const { .. } => s(&[], &[F64]),
        I::V128Const { .. } => s(&[], &[V128]),
        I::I32Eqz | I::I32Clz | I::I32Ctz | I::I32Popcnt | I::I32Extend8S | I::I32Extend16S => {
            s(&[I32], &[I32])
        }
        I::I32Eq
        | I::I32Ne
        | I::I32LtS
        | I::I32LtU
        | I::I32GtS
        | I::I32GtU
        | I::I32LeS
        | I::I32LeU
        | I::I32GeS
        | I::I32GeU
        | I::I32Add
        | I::I32Sub
        | I::I32Mul
        | I::I32DivS
        | I::I32DivU
        | I::I32RemS
        | I::I32RemU
        | I::I32And
        | I::I32Or
        | I::I32Xor
        | I::I32Shl
        | I::I32ShrS
        | I::I32ShrU
        | I::I32Rotl
        | I::I32Rotr => s(&[I32, I32], &[I32]),
        I::I64Eqz | I::I32WrapI64 => s(&[I64], &[I32]),
        I::I64Eq
        | I::I64Ne
        | I::I64LtS
        | I::I64LtU
        | I::I64GtS
        | I::I64GtU
        | I::I64LeS
        | I::I64LeU
        | I::I64GeS
        | I::I64GeU => s(&[I64, I64], &[I32]),
        I::F32Eq | I::F32Ne | I::F32Lt | I::F32Gt | I::F32Le | I::F32Ge => s(&[F32, F32], &[I32]),
        I::F64Eq | I::F64Ne | I::F64Lt | I::F64Gt | I::F64Le | I::F64Ge => s(&[F64, F64], &[I32]),
        I::I64Clz
        | I::I64Ctz
        | I::I64Popcnt
        | I::I64Extend8S
        | I::I64Extend16S
        | I::I64Extend32S => s(&[I64], &[I64]),
        I::I64Add
        | I::I64Sub
        | I::I64Mul
        | I::I64DivS
        | I::I64DivU
        | I::I64RemS
        | I::I64RemU
        | I::I64And
        | I::I64Or
        | I::I64Xor
        | I::I64Shl
        | I::I64ShrS
        | I::I64ShrU
        | I::I64Rotl
        | I::I64Rotr => s(&[I64, I64], &[I64]),
        I::F32Abs
        | I::F32Neg
        | I::F32Ceil
        | I::F32Floor
        | I::F32Trunc
        | I::F32Nearest
        | I::F32Sqrt => s(&[F32], &[F32]),
        I::F32Add | I::F32Sub | I::F32Mul | I::F32Div | I::F32Min | I::F32Max | I::F32Copysign => {
            s(&[F32, F32], &[F32])
        }
        I::F64Abs
        | I::F64Neg
        | I::F64Ceil
        | I::F64Floor
        | I::F64Trunc
        | I::F64Nearest
        | I::F64Sqrt => s(&[F64], &[F64]),
        I::F64Add | I::F64Sub | I::F64Mul | I::F64Div | I::F64Min | I::F64Max | I::F64Copysign => {
            s(&[F64, F64], &[F64])
        }
        I::I32TruncF32S
        | I::I32TruncF32U
        | I::I32ReinterpretF32
        | I::I32TruncSatF32S
        | I::I32TruncSatF32U => s(&[F32], &[I32]),
        I::I32TruncF64S | I::I32TruncF64U | I::I32TruncSatF64S | I::I32TruncSatF64U => {
            s(&[F64], &[I32])
        }
        I::I64ExtendI32S | I::I64ExtendI32U => s(&[I32], &[I64]),
        I::I64TruncF32S | I::I64TruncF32U | I::I64TruncSatF32S | I::I64TruncSatF32U => {
            s(&[F32], &[I64])
        }
        I::I64TruncF64S
        | I::I64TruncF64U
        | I::I64ReinterpretF64
        | I::I64TruncSatF64S
        | I::I64TruncSatF64U => s(&[F64], &[I64]),
        I::F32ConvertI32S | I::F32ConvertI32U | I::F32ReinterpretI32 => s(&[I32], &[F32]),
        I::F32ConvertI64S | I::F32ConvertI64U => s(&[I64], &[F32]),
        I::F32DemoteF64 => s(&[F64], &[F32]),
        I::F64ConvertI32S | I::F64ConvertI32U => s(&[I32], &[F64]),
        I::F64ConvertI64S | I::F64ConvertI64U | I::F64ReinterpretI64 => s(&[I64], &[F64]),
        I::F64PromoteF32 => s(&[F32], &[F64]),
        I::I64Add128 | I::I64Sub128 => s(&[I64, I64, I64, I64], &[I64, I64]),
        I::I64MulWideS | I::I64MulWideU => s(&[I64, I64], &[I64, I64]),

        I::RefEq => s(&[EQREF, EQREF], &[I32]),
        I::ArrayLen => s(&[ARRAYREF], &[I32]),
        I::RefI31 => s(&[I32], &[I31]),
        I::I31GetS | I::I31GetU => s(&[I31REF], &[I32]),
        I::AnyConvertExtern => s(&[EXTERNREF], &[ANYREF]),
        I::ExternConvertAny => s(&[ANYREF], &[EXTERNREF]),

        I::I32Load { .. }
        | I::I32Load8S { .. }
        | I::I32Load8U { .. }
        | I::I32Load16S { .. }
        | I::I32Load16U { .. } => m(&[], &[I32]),
        I::I64Load { .. }
        | I::I64Load8S { .. }
        | I::I64Load8U { .. }
        | I::I64Load16S { .. }
        | I::I64Load16U { .. }
        | I::I64Load32S { .. }
        | I::I64Load32U { .. } => m(&[], &[I64]),
        I::F32Load { .. } => m(&[], &[F32]),
        I::F64Load { .. } => m(&[], &[F64]),
        I::I32Store { .. } | I::I32Store8 { .. } | I::I32Store16 { .. } => m(&[I32], &[]),
        I::I64Store { .. } | I::I64Store8 { .. } | I::I64Store16 { .. } | I::I64Store32 { .. } => {
            m(&[I64], &[])
        }
        I::F32Store { .. } => m(&[F32], &[]),
        I::F64Store { .. } => m(&[F64], &[]),

        I::V128Load { .. }
        | I::V128Load8x8S { .. }
        | I::V128Load8x8U { .. }
        | I::V128Load16x4S { .. }
        | I::V128Load16x4U { .. }
        | I::V128Load32x2S { .. }
        | I::V128Load32x2U { .. }
        | I::V128Load8Splat { .. }
        | I::V128Load16Splat { .. }
        | I::V128Load32Splat { .. }
        | I::V128Load64Splat { .. }
        | I::V128Load32Zero { .. }
        | I::V128Load64Zero { .. } => m(&[], &[V128]),
        I::V128Store { .. } => m(&[V128], &[]),
        I::V128Load8Lane { .. }
        | I::V128Load16Lane { .. }
        | I::V128Load32Lane { .. }
        | I::V128Load64Lane { .. } => m(&[V128], &[V128]),
        I::V128Store8Lane { .. }
        | I::V128Store16Lane { .. }
        | I::V128Store32Lane { .. }
        | I::V128Store64Lane { .. } => m(&[V128], &[]),
        I::I8x16Shuffle { .. } => s(&[V128, V128], &[V128]),
        I::I8x16Splat | I::I16x8Splat | I::I32x4Splat => s(&[I32], &[V128]),
        I::I64x2Splat => s(&[I64], &[V128]),
        I::F32x4Splat => s(&[F32], &[V128]),
        I::F64x2Splat => s(&[F64], &[V128]),
        I::I8x16ExtractLaneS { .. }
        | I::I8x16ExtractLaneU { .. }
        | I::I16x8ExtractLaneS { .. }
        | I::I16x8ExtractLaneU { .. }
        | I::I32x4ExtractLane { .. } => s(&[V128], &[I32]),
        I::I64x2ExtractLane { .. } => s(&[V128], &[I64]),
        I::F32x4ExtractLane { .. } => s(&[V128], &[F32]),
        I::F64x2ExtractLane { .. } => s(&[V128], &[F64]),
        I::I8x16ReplaceLane { .. } | I::I16x8ReplaceLane { .. } | I::I32x4ReplaceLane { .. } => {
            s(&[V128, I32], &[V128])
        }
        I::I64x2ReplaceLane { .. } => s(&[V128, I64], &[V128]),
        I::F32x4ReplaceLane { .. } => s(&[V128, F32], &[V128]),
        I::F64x2ReplaceLane { .. } => s(&[V128, F64], &[V128]),
        I::I8x16Shl
        | I::I8x16ShrS
        | I::I8x16ShrU
        | I::I16x8Shl
        | I::I16x8ShrS
        | I::I16x8ShrU
        | I::I32x4Shl
        | I::I32x4ShrS
        | I::I32x4ShrU
        | I::I64x2Shl
        | I::I64x2ShrS
        | I::I64x2ShrU => s(&[V128, I32], &[V128]),
        I::V128AnyTrue
        | I::I8x16AllTrue
        | I::I8x16Bitmask
        | I::I16x8AllTrue
        | I::I16x8Bitmask
        | I::I32x4AllTrue
        | I::I32x4Bitmask
        | I::I64x2AllTrue
        | I::I64x2Bitmask => s(&[V128], &[I32]),
        I::V128Bitselect
        | I::F32x4RelaxedMadd
        | I::F32x4RelaxedNmadd
        | I::F64x2RelaxedMadd
        | I::F64x2RelaxedNmadd
        | I::I8x16RelaxedLaneselect
        | I::I16x8RelaxedLaneselect
        | I::I32x4RelaxedLaneselect
        | I::I64x2RelaxedLaneselect
        | I::I32x4RelaxedDotI8x16I7x16AddS => s(&[V128, V128, V128], &[V128]),
        I::V128Not
        | I::F32x4DemoteF64x2Zero
        | I::F64x2PromoteLowF32x4
        | I::I8x16Abs
        | I::I8x16Neg
        | I::I8x16Popcnt
        | I::F32x4Ceil
        | I::F32x4Floor
        | I::F32x4Trunc
        | I::F32x4Nearest
        | I::F64x2Ceil
        | I::F64x2Floor
        | I::F64x2Trunc
        | I::I16x8ExtaddPairwiseI8x16S
        | I::I16x8ExtaddPairwiseI8x16U
        | I::I32x4ExtaddPairwiseI16x8S
        | I::I32x4ExtaddPairwiseI16x8U
        | I::I16x8Abs
        | I::I16x8Neg
        | I::I16x8ExtendLowI8x16S
        | I::I16x8ExtendHighI8x16S
        | I::I16x8ExtendLowI8x16U
        | I::I16x8ExtendHighI8x16U
        | I::F64x2Nearest
        | I::I32x4Abs
        | I::I32x4Neg
        | I::I32x4ExtendLowI16x8S
        | I::I32x4ExtendHighI16x8S
        | I::I32x4ExtendLowI16x8U
        | I::I32x4ExtendHighI16x8U
        | I::I64x2Abs
        | I::I64x2Neg
        | I::I64x2ExtendLowI32x4S
        | I::I64x2ExtendHighI32x4S
        | I::I64x2ExtendLowI32x4U
        | I::I64x2ExtendHighI32x4U
        | I::F32x4Abs
        | I::F32x4Neg
        | I::F32x4Sqrt
        | I::F64x2Abs
        | I::F64x2Neg
        | I::F64x2Sqrt
        | I::I32x4TruncSatF32x4S
        | I::I32x4TruncSatF32x4U
        | I::F32x4ConvertI32x4S
        | I::F32x4ConvertI32x4U
        | I::I32x4TruncSatF64x2SZero
        | I::I32x4TruncSatF64x2UZero
        | I::F64x2ConvertLowI32x4S
        | I::F64x2ConvertLowI32x4U
        | I::I32x4RelaxedTruncF32x4S
        | I::I32x4RelaxedTruncF32x4U
        | I::I32x4RelaxedTruncF64x2SZero
        | I::I32x4RelaxedTruncF64x2UZero => s(&[V128], &[V128]),
        I::I8x16Swizzle
        | I::I8x16Eq
        | I::I8x16Ne
        | I::I8x16LtS
        | I::I8x16LtU
        | I::I8x16GtS
        | I::I8x16GtU
        | I::I8x16LeS
        | I::I8x16LeU
        | I::I8x16GeS
        | I::I8x16GeU
        | I::I16x8Eq
        | I::I16x8Ne
        | I::I16x8LtS
        | I::I16x8LtU
        | I::I16x8GtS
        | I::I16x8GtU
        | I::I16x8LeS
        | I::I16x8LeU
        | I::I16x8GeS
        | I::I16x8GeU
        | I::I32x4Eq
        | I::I32x4Ne
        | I::I32x4LtS
        | I::I32x4LtU
        | I::I32x4GtS
        | I::I32x4GtU
        | I::I32x4LeS
        | I::I32x4LeU
        | I::I32x4GeS
        | I::I32x4GeU
        | I::F32x4Eq
        | I::F32x4Ne
        | I::F32x4Lt
        | I::F32x4Gt
        | I::F32x4Le
        | I::F32x4Ge
        | I::F64x2Eq
        | I::F64x2Ne
        | I::F64x2Lt
        | I::F64x2Gt
        | I::F64x2Le
        | I::F64x2Ge
        | I::V128And
        | I::V128AndNot
        | I::V128Or
        | I::V128Xor
        | I::I8x16NarrowI16x8S
        | I::I8x16NarrowI16x8U
        | I::I8x16Add
        | I::I8x16AddSatS
        | I::I8x16AddSatU
        | I::I8x16Sub
        | I::I8x16SubSatS
        | I::I8x16SubSatU
        | I::I8x16MinS
        | I::I8x16MinU
        | I::I8x16MaxS
        | I::I8x16MaxU
        | I::I8x16AvgrU
        | I::I16x8Q15MulrSatS
        | I::I16x8NarrowI32x4S
        | I::I16x8NarrowI32x4U
        | I::I16x8Add
        | I::I16x8AddSatS
        | I::I16x8AddSatU
        | I::I16x8Sub
        | I::I16x8SubSatS
        | I::I16x8SubSatU
        | I::I16x8Mul
        | I::I16x8MinS
        | I::I16x8MinU
        | I::I16x8MaxS
        | I::I16x8MaxU
        | I::I16x8AvgrU
        | I::I16x8ExtmulLowI8x16S
        | I::I16x8ExtmulHighI8x16S
        | I::I16x8ExtmulLowI8x16U
        | I::I16x8ExtmulHighI8x16U
        | I::I32x4Add
        | I::I32x4Sub
        | I::I32x4Mul
        | I::I32x4MinS
        | I::I32x4MinU
        | I::I32x4MaxS
        | I::I32x4MaxU
        | I::I32x4DotI16x8S
        | I::I32x4ExtmulLowI16x8S
        | I::I32x4ExtmulHighI16x8S
        | I::I32x4ExtmulLowI16x8U
        | I::I32x4ExtmulHighI16x8U
        | I::I64x2Add
        | I::I64x2Sub
        | I::I64x2Mul
        | I::I64x2Eq
        | I::I64x2Ne
        | I::I64x2LtS
        | I::I64x2GtS
        | I::I64x2LeS
        | I::I64x2GeS
        | I::I64x2ExtmulLowI32x4S
        | I::I64x2ExtmulHighI32x4S
        | I::I64x2ExtmulLowI32x4U
        | I::I64x2ExtmulHighI32x4U
        | I::F32x4Add
        | I::F32x4Sub
        | I::F32x4Mul
        | I::F32x4Div
        | I::F32x4Min
        | I::F32x4Max
        | I::F32x4Pmin
        | I::F32x4Pmax
        | I::F64x2Add
        | I::F64x2Sub
        | I::F64x2Mul
        | I::F64x2Div
        | I::F64x2Min
        | I::F64x2Max
        | I::F64x2Pmin
        | I::F64x2Pmax
        | I::I8x16RelaxedSwizzle
        | I::F32x4RelaxedMin
        | I::F32x4RelaxedMax
        | I::F64x2RelaxedMin
        | I::F64x2RelaxedMax
        | I::I16x8RelaxedQ15mulrS
        | I::I16x8RelaxedDotI8x16I7x16S => s(&[V128, V128], &[V128]),

        I::MemoryAtomicNotify { .. } => m(&[I32], &[I32]),
        I::MemoryAtomicWait32 { .. } => m(&[I32, I64], &[I32]),
        I::MemoryAtomicWait64 { .. } => m(&[I64, I64], &[I32]),
        I::I32AtomicLoad { .. } | I::I32AtomicLoad8U { .. } | I::I32AtomicLoad16U { .. } => {
            m(&[], &[I32])
        }
        I::I64AtomicLoad { .. }
        | I::I64AtomicLoad8U { .. }
        | I::I64AtomicLoad16U { .. }
        | I::I64AtomicLoad32U { .. } => m(&[], &[I64]),
        I::I32AtomicStore { .. } | I::I32AtomicStore8 { .. } | I::I32AtomicStore16 { .. } => {
            m(&[I32], &[])
        }
        I::I64AtomicStore { .. }
        | I::I64AtomicStore8 { .. }
        | I::I64AtomicStore16 { .. }
        | I::I64AtomicStore32 { .. } => m(&[I64], &[]),
        I::I32AtomicRmwAdd { .. }
        | I::I32AtomicRmw8AddU { .. }
        | I::I32AtomicRmw16AddU { .. }
        | I::I32AtomicRmwSub { .. }
        | I::I32AtomicRmw8SubU { .. }
        | I::I32AtomicRmw16SubU { .. }
        | I::I32AtomicRmwAnd { .. }
        | I::I32AtomicRmw8AndU { .. }
        | I::I32AtomicRmw16AndU { .. }
        | I::I32AtomicRmwOr { .. }
        | I::I32AtomicRmw8OrU { .. }
        | I::I32AtomicRmw16OrU { .. }
        | I::I32AtomicRmwXor { .. }
        | I::I32AtomicRmw8XorU { .. }
        | I::I32AtomicRmw16XorU { .. }
        | I::I32AtomicRmwXchg { .. }
        | I::I32AtomicRmw8XchgU { .. }
        | I::I32AtomicRmw16XchgU { .. } => m(&[I32], &[I32]),
        I::I64AtomicRmwAdd { .. }
        | I::I64AtomicRmw8AddU { .. }
        | I::I64AtomicRmw16AddU { .. }
        | I::I64AtomicRmw32AddU { .. }
        | I::I64AtomicRmwSub { .. }
        | I::I64AtomicRmw8SubU { .. }
        | I::I64AtomicRmw16SubU { .. }
        | I::I64AtomicRmw32SubU { .. }
        | I::I64AtomicRmwAnd { .. }
        | I::I64AtomicRmw8AndU { .. }
        | I::I64AtomicRmw16AndU { .. }
        | I::I64AtomicRmw32AndU { .. }
        | I::I64AtomicRmwOr { .. }
        | I::I64AtomicRmw8OrU { .. }
        | I::I64AtomicRmw16OrU { .. }
        | I::I64AtomicRmw32OrU { .. }
        | I::I64AtomicRmwXor { .. }
        | I::I64AtomicRmw8XorU { .. }
        | I::I64AtomicRmw16XorU { .. }
        | I::I64AtomicRmw32XorU { .. }
        | I::I64AtomicRmwXchg { .. }
        | I::I64AtomicRmw8XchgU { .. }
        | I::I64AtomicRmw16XchgU { .. }
        | I::I64AtomicRmw32XchgU { .. } => m(&[I64], &[I64]),
        I::I32AtomicRmwCmpxchg { .. }
        | I::I32AtomicRmw8CmpxchgU { .. }
        | I::I32AtomicRmw16CmpxchgU { .. } => m(&[I32, I32], &[I32]),
        I::I64AtomicRmwCmpxchg { .. }
        | I::I64AtomicRmw8CmpxchgU { .. }
        | I::I64AtomicRmw16CmpxchgU { .. }
        | I::I64AtomicRmw32CmpxchgU { .. } => m(&[I64, I64], &[I64]),
        _ => return None,
    })
}

/// The scalar or vector float shape whose NaN bits an instruction leaves
/// to the engine (arithmetic; not sign manipulation, loads or
/// reinterpretations, which keep bits exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NanShape {
    F32,
    F64,
    F32x4,
    F64x2,
}

/// Whether an instruction's float result may carry engine-chosen NaN bits.
pub(crate) fn nan_shape(i: &Instr) -> Option<NanShape> {
    use Instr as I;
    Some(match i {
        I::F32Add
        | I::F32Sub
        | I::F32Mul
        | I::F32Div
        | I::F32Min
        | I::F32Max
        | I::F32Sqrt
        | I::F32Ceil
        | I::F32Floor
        | I::F32Trunc
        | I::F32Nearest
        | I::F32DemoteF64 => NanShape::F32,
        I::F64Add
        | I::F64Sub
        | I::F64Mul
        | I::F64Div
        | I::F64Min
        | I::F64Max
        | I::F64Sqrt
        | I::F64Ceil
        | I::F64Floor
        | I::F64Trunc
        | I::F64Nearest
        | I::F64PromoteF32 => NanShape::F64,
        I::F32x4Add
        | I::F32x4Sub
        | I::F32x4Mul
        | I::F32x4Div
        | I::F32x4Min
        | I::F32x4Max
        | I::F32x4Sqrt
        | I::F32x4Ceil
        | I::F32x4Floor
        | I::F32x4Trunc
        | I::F32x4Nearest
        | I::F32x4DemoteF64x2Zero
        | I::F32x4RelaxedMadd
        | I::F32x4RelaxedNmadd
        | I::F32x4RelaxedMin
        | I::F32x4RelaxedMax => NanShape::F32x4,
        I::F64x2Add
        | I::F64x2Sub
        | I::F64x2Mul
        | I::F64x2Div
        | I::F64x2Min
        | I::F64x2Max
        | I::F64x2Sqrt
        | I::F64x2Ceil
        | I::F64x2Floor
        | I::F64x2Trunc
        | I::F64x2Nearest
        | I::F64x2PromoteLowF32x4
        | I::F64x2RelaxedMadd
        | I::F64x2RelaxedNmadd
        | I::F64x2RelaxedMin
        | I::F64x2RelaxedMax => NanShape::F64x2,
        _ => return None,
    })
}

/// Whether a plain row may trap whatever guard the generator adds
/// (`disallow_traps` leaves it out), or traps on operands a guard fixes.
pub(crate) fn trap_kind(i: &Instr) -> TrapKind {
    use Instr as I;
    match i {
        I::I32DivS | I::I32RemS | I::I64DivS | I::I64RemS => TrapKind::SignedDivisor,
        I::I32DivU | I::I32RemU | I::I64DivU | I::I64RemU => TrapKind::UnsignedDivisor,
        I::I32TruncF32S
        | I::I32TruncF32U
        | I::I32TruncF64S
        | I::I32TruncF64U
        | I::I64TruncF32S
        | I::I64TruncF32U
        | I::I64TruncF64S
        | I::I64TruncF64U
        | I::MemoryAtomicWait32 { .. }
        | I::MemoryAtomicWait64 { .. }
        | I::ArrayLen
        | I::I31GetS
        | I::I31GetU => TrapKind::Always,
        _ if i.memarg().is_some() => TrapKind::Address,
        _ => TrapKind::Never,
    }
}

/// How a plain row may trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrapKind {
    /// It cannot.
    Never,
    /// A memory access: guarded by clamping the address.
    Address,
    /// Signed division or remainder: the divisor is made positive and odd.
    SignedDivisor,
    /// Unsigned division or remainder: the divisor is made odd.
    UnsignedDivisor,
    /// No guard: left out under `disallow_traps`.
    Always,
}
