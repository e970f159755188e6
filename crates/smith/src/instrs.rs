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
//! `plain_sig` reads the operand and result types of a plain row from the
//! table's signature column (`Instr::signature`): a new row whose
//! signature names value types only (and its memory's address) is
//! generated with no code here.

use weft_ast::{Features, Ieee32, Ieee64, Instr, MemArg, Shuffle, SigType, V128, ValType};

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

/// The operand and result types of a plain row.
#[derive(Clone, Debug)]
pub(crate) struct Sig {
    /// Whether a memory address (of the accessed memory's address type)
    /// comes first, before `params`.
    pub addr: bool,
    /// The other operands, bottom first.
    pub params: Vec<ValType>,
    /// The results, bottom first.
    pub results: Vec<ValType>,
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

/// The operand and result types of a plain row, from the table's
/// signature column: a row is plain when every position is a value type,
/// but for the address of its memory argument first.
pub(crate) fn plain_sig(i: &Instr) -> Option<Sig> {
    let s = i.signature();
    if s.never {
        return None;
    }
    let mut addr = false;
    let mut params = Vec::with_capacity(s.params.len());
    for (k, t) in s.params.iter().enumerate() {
        match *t {
            SigType::Val(v) => params.push(v),
            SigType::Addr if k == 0 && i.memarg().is_some() => addr = true,
            _ => return None,
        }
    }
    let results = s
        .results
        .iter()
        .map(|t| t.val())
        .collect::<Option<Vec<ValType>>>()?;
    Some(Sig {
        addr,
        params,
        results,
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
