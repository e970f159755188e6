//! The instruction decoder, generated from the one instruction table.
//!
//! [`expr`] is a single `match` on the opcode byte and, after a prefix byte
//! (`0xfb` to `0xfe`), its LEB128 sub-opcode. Each immediate is decoded by
//! its kind: the kinds whose encoding depends on the enabled proposals
//! (memory and table indices, memory arguments) or that need bookkeeping
//! (data indices) are dispatched on by name in [`imm!`]; every other kind is
//! decoded by the [`Immediate`] impl of its Rust type.

use weft_ast::*;

use crate::error::{ErrorKind, Result};
use crate::reader::Reader;
use crate::types;

/// What decoding a sequence of instructions needs to know and records.
#[derive(Clone, Debug)]
pub struct CodeCx {
    /// The enabled proposals.
    pub features: Features,
    /// Set when an instruction refers to a data segment (which requires the
    /// data count section).
    pub uses_data: bool,
    /// The open blocks of the sequence being decoded (kept to reuse its
    /// allocation).
    frames: Vec<Frame>,
}

impl CodeCx {
    /// A context for these proposals.
    pub fn new(features: Features) -> CodeCx {
        CodeCx {
            features,
            uses_data: false,
            frames: Vec::new(),
        }
    }
}

/// Sees every instruction of a body right as it is decoded, before it is
/// stored: a validator checks it while it is still hot in cache, in the
/// decoder's one loop instead of a second walk over the stored code.
///
/// The sink cannot stop decoding: a decode error later in the input comes
/// first (the module is malformed, not invalid), so a sink that finds a
/// problem records it and lets decoding go on.
pub trait InstrSink {
    /// Whether the decoder stores the instructions it shows. A sink that
    /// only checks them says no: nothing is written, and the bodies' spans
    /// in the module are empty.
    const KEEP_CODE: bool = true;

    /// Body `index` (0 is the first of the code section) starts at byte
    /// `offset` (its size), with these local declarations.
    fn body(&mut self, index: u32, locals: &[Locals], offset: usize);
    /// One instruction, whose opcode is at byte `offset`. The body's last
    /// one is its final `end`.
    fn instr(&mut self, instr: &Instr, offset: usize);
}

/// The sink of plain decoding: sees nothing, costs nothing.
impl InstrSink for () {
    #[inline(always)]
    fn body(&mut self, _: u32, _: &[Locals], _: usize) {}
    #[inline(always)]
    fn instr(&mut self, _: &Instr, _: usize) {}
}

/// An immediate whose encoding depends only on its Rust type.
pub trait Immediate: Sized {
    /// Decodes the immediate.
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<Self>;
}

impl Immediate for u32 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<u32> {
        r.u32()
    }
}

impl Immediate for u8 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<u8> {
        r.u8()
    }
}

impl Immediate for i32 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<i32> {
        r.i32()
    }
}

impl Immediate for i64 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<i64> {
        r.i64()
    }
}

impl Immediate for Ieee32 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<Ieee32> {
        Ok(Ieee32(u32::from_le_bytes(r.array()?)))
    }
}

impl Immediate for Ieee64 {
    #[inline]
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<Ieee64> {
        Ok(Ieee64(u64::from_le_bytes(r.array()?)))
    }
}

impl Immediate for V128 {
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<V128> {
        Ok(V128(r.array()?))
    }
}

impl Immediate for Shuffle {
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<Shuffle> {
        Ok(Shuffle(r.array()?))
    }
}

impl<T: Immediate> Immediate for Box<T> {
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<Box<T>> {
        T::decode(r, cx).map(Box::new)
    }
}

impl Immediate for BlockType {
    #[inline]
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<BlockType> {
        if r.peek() == Some(0x40) {
            r.u8()?;
            return Ok(BlockType::Empty);
        }
        types::block_type(r, cx.features)
    }
}

impl Immediate for HeapType {
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<HeapType> {
        types::heap_type(r, cx.features)
    }
}

impl Immediate for BrTable {
    fn decode(r: &mut Reader<'_>, _: &mut CodeCx) -> Result<BrTable> {
        let (n, cap) = r.count()?;
        let mut targets = Vec::with_capacity(cap);
        for _ in 0..n {
            targets.push(r.u32()?);
        }
        let default = r.u32()?;
        Ok(BrTable {
            targets: targets.into_boxed_slice(),
            default,
        })
    }
}

impl Immediate for TypeList {
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<TypeList> {
        let (n, cap) = r.count()?;
        let mut list = Vec::with_capacity(cap);
        for _ in 0..n {
            list.push(types::val_type(r, cx.features)?);
        }
        Ok(TypeList(list))
    }
}

impl Immediate for TryTable {
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<TryTable> {
        let ty = BlockType::decode(r, cx)?;
        let (n, cap) = r.count()?;
        let mut catches = Vec::with_capacity(cap);
        for _ in 0..n {
            let at = r.pos();
            let catch = match r.u8()? {
                0 => Catch::One {
                    tag: r.u32()?,
                    label: r.u32()?,
                },
                1 => Catch::OneRef {
                    tag: r.u32()?,
                    label: r.u32()?,
                },
                2 => Catch::All { label: r.u32()? },
                3 => Catch::AllRef { label: r.u32()? },
                _ => return Err(r.error_at(at, ErrorKind::MalformedCatch)),
            };
            catches.push(catch);
        }
        Ok(TryTable { ty, catches })
    }
}

impl Immediate for BrOnCast {
    fn decode(r: &mut Reader<'_>, cx: &mut CodeCx) -> Result<BrOnCast> {
        let at = r.pos();
        let flags = r.u8()?;
        if flags & !0x03 != 0 {
            return Err(r.error_at(at, ErrorKind::MalformedCastFlags));
        }
        let label = r.u32()?;
        let from = types::heap_type(r, cx.features)?;
        let to = types::heap_type(r, cx.features)?;
        Ok(BrOnCast {
            label,
            from: RefType::new(flags & 1 != 0, from),
            to: RefType::new(flags & 2 != 0, to),
        })
    }
}

/// A reserved byte that must be zero.
#[inline]
fn zero_byte(r: &mut Reader<'_>) -> Result<u8> {
    let at = r.pos();
    match r.u8()? {
        0 => Ok(0),
        _ => Err(r.error_at(at, ErrorKind::ZeroByteExpected)),
    }
}

/// A memory index: a LEB128 index with multiple memories, else a zero byte.
#[inline]
fn mem_idx(r: &mut Reader<'_>, cx: &CodeCx) -> Result<u32> {
    if cx.features.contains(Features::MULTI_MEMORY) {
        r.u32()
    } else {
        zero_byte(r).map(u32::from)
    }
}

/// A table index: a LEB128 index with reference types, else a zero byte.
#[inline]
fn table_idx(r: &mut Reader<'_>, cx: &CodeCx) -> Result<u32> {
    if cx.features.contains(Features::REFERENCE_TYPES) {
        r.u32()
    } else {
        zero_byte(r).map(u32::from)
    }
}

/// A memory argument: alignment flags (bit 6: a memory index follows), the
/// optional memory index and the offset (64-bit with memory64).
///
/// Before multi-memory the flags are only the alignment exponent, below 32.
///
/// Always inlined: called out of line, its packed result was written and
/// read back through memory at every load and store.
#[inline(always)]
fn memarg(r: &mut Reader<'_>, cx: &CodeCx) -> Result<MemArg> {
    let at = r.pos();
    let flags = r.u32()?;
    let multi = cx.features.contains(Features::MULTI_MEMORY);
    let (align, memory) = if flags < 0x20 || (multi && flags < 0x40) {
        (flags as u8, 0)
    } else if multi && flags < 0x80 {
        ((flags - 0x40) as u8, r.u32()?)
    } else {
        return Err(r.error_at(at, ErrorKind::MalformedMemop));
    };
    let offset = if cx.features.contains(Features::MEMORY64) {
        r.u64()?
    } else {
        u64::from(r.u32()?)
    };
    Ok(MemArg {
        align,
        offset,
        memory,
    })
}

/// Decodes one immediate of the named kind.
macro_rules! imm {
    (MemIdx, $r:ident, $cx:ident) => {
        mem_idx($r, $cx)?
    };
    (TableIdx, $r:ident, $cx:ident) => {
        table_idx($r, $cx)?
    };
    (DataIdx, $r:ident, $cx:ident) => {{
        $cx.uses_data = true;
        $r.u32()?
    }};
    (Byte, $r:ident, $cx:ident) => {
        zero_byte($r)?
    };
    (MemArg1, $r:ident, $cx:ident) => {
        memarg($r, $cx)?
    };
    (MemArg2, $r:ident, $cx:ident) => {
        memarg($r, $cx)?
    };
    (MemArg4, $r:ident, $cx:ident) => {
        memarg($r, $cx)?
    };
    (MemArg8, $r:ident, $cx:ident) => {
        memarg($r, $cx)?
    };
    (MemArg16, $r:ident, $cx:ident) => {
        memarg($r, $cx)?
    };
    ($kind:ident, $r:ident, $cx:ident) => {
        <$kind as Immediate>::decode($r, $cx)?
    };
}

/// The `(opcode, sub-opcode)` pattern of a row; unprefixed rows have 0.
macro_rules! opcode_pattern {
    ($op:literal) => {
        ($op, 0)
    };
    ($op:literal $sub:literal) => {
        ($op, $sub)
    };
}

/// What an instruction does to the nesting, by variant name: opens a block,
/// or must close or continue the innermost one. `End` at the outermost
/// level finishes the sequence.
macro_rules! nesting {
    (Block, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        $cx.frames.push(Frame::Plain)
    };
    (Loop, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        $cx.frames.push(Frame::Plain)
    };
    (TryTable, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        $cx.frames.push(Frame::Plain)
    };
    (If, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        $cx.frames.push(Frame::If)
    };
    (Try, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        $cx.frames.push(Frame::Try)
    };
    (End, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        if $cx.frames.pop().is_none() {
            $sink.instr(&Instr::End, $at);
            if S::KEEP_CODE {
                $code.push(Instr::End);
            }
            return Ok(());
        }
    };
    (Else, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        match $cx.frames.last_mut() {
            Some(f @ Frame::If) => *f = Frame::Else,
            _ => return Err($r.error_at($at, ErrorKind::EndExpected)),
        }
    };
    (Catch, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        catch_frame($cx, $r, $at)?
    };
    (CatchAll, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        catch_frame($cx, $r, $at)?
    };
    (Delegate, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {
        match $cx.frames.last() {
            Some(Frame::Try) => {
                $cx.frames.pop();
            }
            _ => return Err($r.error_at($at, ErrorKind::EndExpected)),
        }
    };
    ($other:ident, $cx:ident, $r:ident, $at:ident, $code:ident, $sink:ident) => {};
}

/// A legacy handler: only inside a `try`.
fn catch_frame(cx: &mut CodeCx, r: &Reader<'_>, at: usize) -> Result<()> {
    match cx.frames.last_mut() {
        Some(f @ (Frame::Try | Frame::Catch)) => {
            *f = Frame::Catch;
            Ok(())
        }
        _ => Err(r.error_at(at, ErrorKind::EndExpected)),
    }
}

macro_rules! define_decoder {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        /// Decodes instructions into `code` up to and including the `end`
        /// that closes the sequence.
        ///
        /// Bodies stay flat, but the decoder follows the nesting as the
        /// binary grammar does, so that an `else` outside an `if` (or a
        /// handler outside a `try`) is `END opcode expected` where the
        /// grammar expects the `end`.
        ///
        /// One `match` per instruction, generated from the table: the
        /// instruction is built in its arm, shown to `sink` there and
        /// pushed straight into `code` (unless the sink keeps no code).
        pub fn expr_with<S: InstrSink>(
            r: &mut Reader<'_>,
            cx: &mut CodeCx,
            code: &mut Vec<Instr>,
            sink: &mut S,
        ) -> Result<()> {
            cx.frames.clear();
            loop {
                let at = r.pos();
                let op = r.u8()?;
                let sub = match op {
                    0xfb..=0xfe => r.u32()?,
                    _ => 0,
                };
                let instr = match (op, sub) {
                    $( $(
                        opcode_pattern!($op $($sub)?) => {
                            if !cx.features.contains(Features::$feature) {
                                return Err(r.error_at(at, ErrorKind::IllegalOpcode {
                                    op,
                                    sub: prefixed(op, sub),
                                    needs: Some(Features::$feature),
                                }));
                            }
                            let instr = Instr::$name $({ $($field: imm!($imm, r, cx)),* })?;
                            nesting!($name, cx, r, at, code, sink);
                            // In the arm, where the variant is known: a
                            // sink that matches on it again is folded to
                            // this one case once inlined.
                            sink.instr(&instr, at);
                            if !S::KEEP_CODE {
                                // Dropped here, where the variant is known:
                                // nothing to do for most.
                                drop(instr);
                                continue;
                            }
                            instr
                        }
                    )* )*
                    _ => {
                        return Err(r.error_at(at, ErrorKind::IllegalOpcode {
                            op,
                            sub: prefixed(op, sub),
                            needs: None,
                        }));
                    }
                };
                code.push(instr);
            }
        }
    };
}

/// Decodes instructions into `code` up to and including the `end` that
/// closes the sequence (see [`expr_with`]).
#[inline]
pub fn expr(r: &mut Reader<'_>, cx: &mut CodeCx, code: &mut Vec<Instr>) -> Result<()> {
    expr_with(r, cx, code, &mut ())
}

fn prefixed(op: u8, sub: u32) -> Option<u32> {
    matches!(op, 0xfb..=0xfe).then_some(sub)
}

/// The kind of an open block, as far as the binary grammar cares: which of
/// `else`, `catch`, `catch_all` and `delegate` may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// `block`, `loop` or `try_table`: only `end` closes it.
    Plain,
    /// `if` before its `else`.
    If,
    /// `if` after its `else`.
    Else,
    /// Legacy `try` before any handler.
    Try,
    /// Legacy `try` after a `catch` or `catch_all`.
    Catch,
}

weft_ast::for_each_instr!(define_decoder);

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], features: Features) -> Result<Vec<Instr>> {
        let mut r = Reader::new(bytes, 0);
        let mut cx = CodeCx::new(features);
        let mut code = Vec::new();
        expr(&mut r, &mut cx, &mut code)?;
        assert!(r.at_end());
        Ok(code)
    }

    /// A sample value of each immediate kind, for the rows below.
    macro_rules! sample {
        (MemArg1) => {
            MemArg {
                align: 0,
                offset: 300,
                memory: 2,
            }
        };
        (MemArg2) => {
            MemArg {
                align: 1,
                offset: 0,
                memory: 0,
            }
        };
        (MemArg4) => {
            MemArg {
                align: 2,
                offset: 1 << 33,
                memory: 0,
            }
        };
        (MemArg8) => {
            MemArg {
                align: 3,
                offset: 7,
                memory: 1,
            }
        };
        (MemArg16) => {
            MemArg {
                align: 4,
                offset: 16,
                memory: 0,
            }
        };
        (BlockType) => {
            BlockType::Val(ValType::F64)
        };
        (HeapType) => {
            HeapType::Concrete(5)
        };
        (BrTableArg) => {
            Box::new(BrTable {
                targets: vec![2, 0].into_boxed_slice(),
                default: 1,
            })
        };
        (SelectTypes) => {
            Box::new(TypeList(vec![ValType::EXTERNREF]))
        };
        (TryTableArg) => {
            Box::new(TryTable {
                ty: BlockType::Func(3),
                catches: vec![Catch::OneRef { tag: 1, label: 2 }],
            })
        };
        (BrOnCastArg) => {
            Box::new(BrOnCast {
                label: 0,
                from: RefType::new(false, HeapType::Abstract(AbsHeap::Eq)),
                to: RefType::new(true, HeapType::Concrete(9)),
            })
        };
        (V128Arg) => {
            Box::new(V128([0xa5; 16]))
        };
        (ShuffleArg) => {
            Box::new(Shuffle([3; 16]))
        };
        (I32) => {
            -70_000
        };
        (I64) => {
            1 << 40
        };
        (F32) => {
            Ieee32(0xff80_0001)
        };
        (F64) => {
            Ieee64(0x7ff0_0000_0000_0001)
        };
        (Lane) => {
            7
        };
        (Byte) => {
            0
        };
        ($idx:ident) => {
            129
        };
    }

    macro_rules! all_samples {
        ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
            $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
            vec![ $( $( Instr::$name $({ $($field: sample!($imm)),* })?, )* )* ]
        };
    }

    /// The instruction in a sequence that decodes on its own: openers are
    /// closed, `else` and the legacy handlers get their block.
    fn in_context(instr: Instr) -> Vec<Instr> {
        let opener = |i: &Instr| {
            matches!(
                i,
                Instr::Block { .. }
                    | Instr::Loop { .. }
                    | Instr::If { .. }
                    | Instr::Try { .. }
                    | Instr::TryTable { .. }
            )
        };
        let mut seq = match instr {
            Instr::Else => vec![
                Instr::If {
                    ty: BlockType::Empty,
                },
                instr,
                Instr::End,
            ],
            Instr::Catch { .. } | Instr::CatchAll => {
                vec![
                    Instr::Try {
                        ty: BlockType::Empty,
                    },
                    instr,
                    Instr::End,
                ]
            }
            Instr::Delegate { .. } => vec![
                Instr::Try {
                    ty: BlockType::Empty,
                },
                instr,
            ],
            Instr::End => vec![],
            ref i if opener(i) => vec![instr, Instr::End],
            _ => vec![instr],
        };
        seq.push(Instr::End);
        seq
    }

    #[test]
    fn every_row_of_the_table_decodes_back() {
        let samples: Vec<Instr> = weft_ast::for_each_instr!(all_samples);
        assert!(samples.len() > 500);
        for sample in samples {
            let seq = in_context(sample.clone());
            let mut bytes = Vec::new();
            for i in &seq {
                i.encode(&mut bytes);
            }
            assert_eq!(decode(&bytes, Features::ALL), Ok(seq), "{}", sample.name());
            // Without its proposal, the opcode is illegal.
            let feature = sample.feature();
            if feature != Features::MVP {
                let err = decode(&bytes, Features::ALL.without(feature)).unwrap_err();
                assert!(
                    matches!(err.kind(), ErrorKind::IllegalOpcode { needs: Some(f), .. } if *f == feature),
                    "{}: {err}",
                    sample.name()
                );
            }
        }
    }

    #[test]
    fn mixed_sequence_round_trips() {
        // Encode one instance of every instruction with simple immediates,
        // then decode it back.
        let mut samples = vec![
            Instr::I32Const { value: -5 },
            Instr::I64Const { value: i64::MIN },
            Instr::F32Const {
                value: Ieee32(0x7fc0_0001),
            },
            Instr::Block {
                ty: BlockType::Func(7),
            },
            Instr::BrTable {
                table: Box::new(BrTable {
                    targets: vec![0, 1, 2].into_boxed_slice(),
                    default: 3,
                }),
            },
            Instr::I32Load {
                memarg: MemArg {
                    align: 2,
                    offset: 1 << 40,
                    memory: 2,
                },
            },
            Instr::MemoryInit { data: 1, mem: 3 },
            Instr::V128Const {
                value: Box::new(V128([9; 16])),
            },
            Instr::I8x16Shuffle {
                lanes: Box::new(Shuffle([1; 16])),
            },
            Instr::SelectT {
                types: Box::new(TypeList(vec![ValType::V128])),
            },
            Instr::TryTable {
                table: Box::new(TryTable {
                    ty: BlockType::Empty,
                    catches: vec![Catch::One { tag: 1, label: 0 }, Catch::AllRef { label: 2 }],
                }),
            },
            Instr::BrOnCast {
                cast: Box::new(BrOnCast {
                    label: 1,
                    from: RefType::new(true, HeapType::Abstract(AbsHeap::Any)),
                    to: RefType::new(false, HeapType::Concrete(4)),
                }),
            },
            Instr::RefNull {
                ty: HeapType::Abstract(AbsHeap::Exn),
            },
            Instr::AtomicFence { flags: 0 },
            Instr::I64Add128,
            Instr::I32x4RelaxedDotI8x16I7x16AddS,
            Instr::Try {
                ty: BlockType::Empty,
            },
            Instr::Delegate { label: 0 },
        ];
        // Close the try_table and the block.
        samples.push(Instr::End);
        samples.push(Instr::End);
        let mut bytes = Vec::new();
        for s in &samples {
            s.encode(&mut bytes);
        }
        // The body's own `end`.
        bytes.push(0x0b);
        samples.push(Instr::End);
        let decoded = decode(&bytes, Features::ALL).unwrap();
        assert_eq!(decoded, samples);
    }

    #[test]
    fn disabled_and_illegal_opcodes() {
        let err = decode(&[0x06, 0x40, 0x0b, 0x0b], Features::default()).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::IllegalOpcode {
                op: 0x06,
                sub: None,
                needs: Some(_)
            }
        ));
        // The proposal by the name `--features` takes.
        assert_eq!(
            err.to_string(),
            "illegal opcode 06 (needs the legacy-exceptions proposal) at offset 0x0"
        );
        let err = decode(&[0xfc, 0x0a, 0x00, 0x00, 0x0b], Features::WASM1).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("illegal opcode fc 10 (needs the bulk-memory proposal)"),
            "{err}"
        );
        let err = decode(&[0xfc, 0x7f, 0x0b], Features::ALL).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::IllegalOpcode {
                op: 0xfc,
                sub: Some(127),
                needs: None
            }
        ));
        let err = decode(&[0xff, 0x0b], Features::ALL).unwrap_err();
        assert_eq!(err.to_string(), "illegal opcode ff at offset 0x0");
    }

    #[test]
    fn reserved_bytes() {
        // memory.size with a non-zero reserved byte, without multi-memory.
        let err = decode(&[0x3f, 0x01, 0x0b], Features::WASM2).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::ZeroByteExpected);
        assert_eq!(err.offset(), 1);
        assert_eq!(
            decode(&[0x3f, 0x01, 0x0b], Features::default()).unwrap()[0],
            Instr::MemorySize { mem: 1 }
        );
        let err = decode(&[0x11, 0x00, 0x01, 0x0b], Features::WASM1).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::ZeroByteExpected);
        let err = decode(&[0xfe, 0x03, 0x01, 0x0b], Features::default()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::ZeroByteExpected);
        let err = decode(&[0x28, 0x80, 0x01, 0x00, 0x0b], Features::default()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedMemop);
    }

    #[test]
    fn body_ends() {
        let err = decode(&[0x41, 0x01, 0x05, 0x0b], Features::default()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::EndExpected);
        assert_eq!(err.offset(), 2);
        let err = decode(&[0x02, 0x40, 0x05, 0x0b, 0x0b], Features::default()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::EndExpected);
        let err = decode(&[0x06, 0x40, 0x05, 0x0b, 0x0b], Features::ALL).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::EndExpected);
        let code = decode(&[0x04, 0x40, 0x05, 0x0b, 0x0b], Features::default()).unwrap();
        assert_eq!(code.len(), 4);
        let code = decode(&[0x02, 0x40, 0x0b, 0x0b], Features::default()).unwrap();
        assert_eq!(code.len(), 3);
        let mut r = Reader::new(&[0x02, 0x40, 0x01, 0x02], 0);
        let mut cx = CodeCx::new(Features::default());
        let _ = r.limit(4);
        let err = expr(&mut r, &mut cx, &mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::UnexpectedEndOfSection);
    }
}
