//! `Instr`, derived from the instruction table, and its immediates.

use crate::Features;
use crate::sig::{InstrInfo, Sig};
use crate::types::{HeapType, RefType, TypeIdx, ValType};

/// Index of an enclosing block, counted outwards from 0.
pub type LabelIdx = u32;
/// Index into the function index space (imports first).
pub type FuncIdx = u32;
/// Index into the table index space.
pub type TableIdx = u32;
/// Index into the memory index space.
pub type MemIdx = u32;
/// Index into the global index space.
pub type GlobalIdx = u32;
/// Index of a local (parameters first).
pub type LocalIdx = u32;
/// Index of an element segment.
pub type ElemIdx = u32;
/// Index of a data segment.
pub type DataIdx = u32;
/// Index into the tag index space.
pub type TagIdx = u32;
/// Index of a struct field.
pub type FieldIdx = u32;
/// A plain count (`array.new_fixed`'s length).
pub type Count = u32;
/// A vector lane index.
pub type Lane = u8;
/// A raw immediate byte (`atomic.fence`'s reserved flags).
pub type Byte = u8;
/// A 32-bit integer immediate.
pub type I32 = i32;
/// A 64-bit integer immediate.
pub type I64 = i64;
/// A 32-bit float immediate, kept as its bits.
pub type F32 = Ieee32;
/// A 64-bit float immediate, kept as its bits.
pub type F64 = Ieee64;
/// `br_table`'s targets, boxed to keep `Instr` small.
pub type BrTableArg = Box<BrTable>;
/// A typed `select`'s result types, boxed to keep `Instr` small.
pub type SelectTypes = Box<TypeList>;
/// `try_table`'s block type and catch clauses, boxed.
pub type TryTableArg = Box<TryTable>;
/// `br_on_cast(_fail)`'s label and types, boxed.
pub type BrOnCastArg = Box<BrOnCast>;
/// `v128.const`'s value, boxed.
pub type V128Arg = Box<V128>;
/// `i8x16.shuffle`'s lane indices, boxed.
pub type ShuffleArg = Box<Shuffle>;
/// Memory argument of a 1-byte access.
pub type MemArg1 = MemArg;
/// Memory argument of a 2-byte access.
pub type MemArg2 = MemArg;
/// Memory argument of a 4-byte access.
pub type MemArg4 = MemArg;
/// Memory argument of an 8-byte access.
pub type MemArg8 = MemArg;
/// Memory argument of a 16-byte access.
pub type MemArg16 = MemArg;

/// A 32-bit float by its exact bits (NaN payloads included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Ieee32(pub u32);

/// A 64-bit float by its exact bits (NaN payloads included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Ieee64(pub u64);

impl Ieee32 {
    /// The float value.
    pub fn value(self) -> f32 {
        f32::from_bits(self.0)
    }
}

impl Ieee64 {
    /// The float value.
    pub fn value(self) -> f64 {
        f64::from_bits(self.0)
    }
}

/// A 128-bit vector constant, little-endian bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct V128(pub [u8; 16]);

/// The sixteen lane indices of `i8x16.shuffle`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Shuffle(pub [u8; 16]);

/// The result types of a typed `select` (valid only with exactly one).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct TypeList(pub Vec<ValType>);

/// A memory access's static part.
///
/// Packed so that a lane access (`memarg` and `lane`) fits in a 16-byte
/// `Instr`; read fields by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(C, packed)]
pub struct MemArg {
    /// Log2 of the alignment hint.
    pub align: u8,
    /// Static offset added to the dynamic address.
    pub offset: u64,
    /// Memory index.
    pub memory: u32,
}

/// The type of a block, loop, if, try or try_table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// No parameters, no results.
    Empty,
    /// No parameters, one result.
    Val(ValType),
    /// Parameters and results of a function type.
    Func(TypeIdx),
}

/// `br_table`'s label vector and default label.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrTable {
    /// The targets selected by index.
    pub targets: Box<[LabelIdx]>,
    /// The target taken when the index is out of range.
    pub default: LabelIdx,
}

/// `try_table`'s block type and catch clauses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TryTable {
    /// The block's type.
    pub ty: BlockType,
    /// Catch clauses, tried in order.
    pub catches: Vec<Catch>,
}

/// One catch clause of `try_table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Catch {
    /// `catch tag label`: branch with the exception's values.
    One {
        /// The tag caught.
        tag: TagIdx,
        /// The branch target.
        label: LabelIdx,
    },
    /// `catch_ref tag label`: branch with the values and an `exnref`.
    OneRef {
        /// The tag caught.
        tag: TagIdx,
        /// The branch target.
        label: LabelIdx,
    },
    /// `catch_all label`: branch with nothing.
    All {
        /// The branch target.
        label: LabelIdx,
    },
    /// `catch_all_ref label`: branch with an `exnref`.
    AllRef {
        /// The branch target.
        label: LabelIdx,
    },
}

impl Catch {
    /// The clause's binary code (0 to 3).
    pub fn code(&self) -> u8 {
        match self {
            Catch::One { .. } => 0,
            Catch::OneRef { .. } => 1,
            Catch::All { .. } => 2,
            Catch::AllRef { .. } => 3,
        }
    }

    /// The clause's branch target.
    pub fn label(&self) -> LabelIdx {
        match *self {
            Catch::One { label, .. }
            | Catch::OneRef { label, .. }
            | Catch::All { label }
            | Catch::AllRef { label } => label,
        }
    }
}

/// `br_on_cast` and `br_on_cast_fail`'s target and types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BrOnCast {
    /// The branch target.
    pub label: LabelIdx,
    /// The operand's static type.
    pub from: RefType,
    /// The type cast to.
    pub to: RefType,
}

macro_rules! define_instr {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        /// One instruction, with its immediates.
        ///
        /// Derived from the instruction table in `table.rs`; structured
        /// instructions (`block`, `loop`, `if`, `else`, `try_table`, `end`,
        /// ...) are markers in a flat sequence, as in the binary format.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum Instr {
            $( $(
                #[doc = concat!("`", $text, "`")]
                $name $({ $(
                    #[allow(missing_docs)]
                    $field: $imm
                ),* })?,
            )* )*
        }

        impl Instr {
            /// The text mnemonic.
            pub fn name(&self) -> &'static str {
                match self {
                    $( $( Instr::$name { .. } => $text, )* )*
                }
            }

            /// The proposal that introduced this instruction
            /// ([`Features::MVP`] for Wasm 1.0).
            pub fn feature(&self) -> Features {
                match self {
                    $( $( Instr::$name { .. } => Features::$feature, )* )*
                }
            }

            /// The binary opcode: a byte, and for prefixed instructions the
            /// LEB128 sub-opcode that follows it.
            pub fn opcode(&self) -> (u8, Option<u32>) {
                match self {
                    $( $( Instr::$name { .. } => ($op, sub_opcode!($($sub)?)), )* )*
                }
            }

            /// Log2 of the natural alignment of a memory access, if this
            /// instruction accesses memory through a `memarg`.
            pub fn natural_align(&self) -> Option<u8> {
                match self {
                    $( $( Instr::$name { .. } => natural_align!($($($imm)*)?), )* )*
                }
            }

            /// The signature, from the table's last column: fixed types,
            /// or placeholders the immediates determine (see [`Sig`]).
            pub fn signature(&self) -> &'static Sig {
                match self {
                    $( $( Instr::$name { .. } => {
                        const S: &Sig = &crate::sig::sig!([$($params)*] -> $results);
                        S
                    } )* )*
                }
            }

            /// The lane index, for the vector instructions that have one
            /// (`extract_lane`, `replace_lane`, lane loads and stores).
            #[allow(unused_variables)]
            pub fn lane(&self) -> Option<Lane> {
                match self {
                    $( $( Instr::$name $({ $($field),* })? => lane_of!($($($field : $imm)*)?), )* )*
                }
            }

            /// Whether the instruction has immediates.
            pub fn has_immediates(&self) -> bool {
                match self {
                    $( $( Instr::$name { .. } => has_immediates!($($($field)*)?), )* )*
                }
            }

            /// The memory argument, for instructions that have one.
            #[allow(unused_variables)]
            pub fn memarg(&self) -> Option<MemArg> {
                match self {
                    $( $( Instr::$name $({ $($field),* })? => memarg_of!($($($field : $imm)*)?), )* )*
                }
            }
        }

        /// Every row of the instruction table, in table order, as data: a
        /// generator picks instructions by signature here.
        pub static INSTRUCTIONS: &[InstrInfo] = &[
            $( $( InstrInfo {
                name: $text,
                opcode: ($op, sub_opcode!($($sub)?)),
                feature: Features::$feature,
                sig: crate::sig::sig!([$($params)*] -> $results),
                plain: plain!($name $({ $($field)* })?),
            }, )* )*
        ];

        /// Every text mnemonic with its proposal, in table order. A mnemonic
        /// with two rows (`select`, `ref.test`, `ref.cast`) appears twice.
        pub const MNEMONICS: &[(&str, Features)] = &[
            $( $( ($text, Features::$feature), )* )*
        ];
    };
}

macro_rules! lane_of {
    () => { None };
    ($f:ident : Lane $($rest:tt)*) => { Some(*$f) };
    ($field:ident : $imm:ident $($rest:tt)*) => {
        lane_of!($($rest)*)
    };
}

macro_rules! has_immediates {
    () => {
        false
    };
    ($($field:ident)+) => {
        true
    };
}

/// The instruction of a row without immediates.
macro_rules! plain {
    ($name:ident) => {
        Some(Instr::$name)
    };
    ($name:ident { $($field:ident)* }) => {
        None
    };
}

macro_rules! sub_opcode {
    () => {
        None
    };
    ($sub:literal) => {
        Some($sub)
    };
}

macro_rules! natural_align {
    () => { None };
    (MemArg1 $($rest:ident)*) => { Some(0) };
    (MemArg2 $($rest:ident)*) => { Some(1) };
    (MemArg4 $($rest:ident)*) => { Some(2) };
    (MemArg8 $($rest:ident)*) => { Some(3) };
    (MemArg16 $($rest:ident)*) => { Some(4) };
    ($other:ident $($rest:ident)*) => { natural_align!($($rest)*) };
}

macro_rules! memarg_of {
    () => { None };
    ($f:ident : MemArg1 $($rest:tt)*) => { Some(*$f) };
    ($f:ident : MemArg2 $($rest:tt)*) => { Some(*$f) };
    ($f:ident : MemArg4 $($rest:tt)*) => { Some(*$f) };
    ($f:ident : MemArg8 $($rest:tt)*) => { Some(*$f) };
    ($f:ident : MemArg16 $($rest:tt)*) => { Some(*$f) };
    ($field:ident : $imm:ident $($rest:tt)*) => {
        memarg_of!($($rest)*)
    };
}

crate::for_each_instr!(define_instr);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instr_stays_small() {
        assert_eq!(std::mem::size_of::<Instr>(), 16);
    }

    #[test]
    fn opcodes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        macro_rules! check {
            ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
                $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
                $( $(
                    let sub: Option<u32> = sub_opcode!($($sub)?);
                    assert!(seen.insert(($op as u8, sub)), "duplicate opcode for {}", $text);
                )* )*
            };
        }
        crate::for_each_instr!(check);
        assert!(
            seen.len() > 500,
            "the table lists {} instructions",
            seen.len()
        );
    }

    #[test]
    fn derived_facts() {
        let load = Instr::I64Load32U {
            memarg: MemArg {
                align: 2,
                offset: 8,
                memory: 1,
            },
        };
        assert_eq!(load.name(), "i64.load32_u");
        assert_eq!(load.natural_align(), Some(2));
        assert_eq!(load.memarg().map(|m| m.offset), Some(8));
        assert_eq!(Instr::I32Add.opcode(), (0x6a, None));
        assert_eq!(
            Instr::V128Load8Lane {
                memarg: MemArg::default(),
                lane: 3
            }
            .opcode(),
            (0xfd, Some(84))
        );
        assert_eq!(Instr::I32Add.natural_align(), None);
        assert_eq!(Instr::I32x4ExtractLane { lane: 3 }.lane(), Some(3));
        assert_eq!(
            Instr::V128Store16Lane {
                memarg: MemArg::default(),
                lane: 5
            }
            .lane(),
            Some(5)
        );
        assert_eq!(Instr::I32Add.lane(), None);
        assert!(!Instr::I32Add.has_immediates());
        assert!(Instr::I32Const { value: 0 }.has_immediates());
        assert_eq!(Instr::I64Add128.feature(), Features::WIDE_ARITHMETIC);
        assert_eq!(Instr::Nop.feature(), Features::MVP);
    }
}
