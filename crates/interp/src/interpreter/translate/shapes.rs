//! Operator-specialized ops: a generic fused op of a hot operator (or
//! memory width) and a known shape becomes one op per operator and shape
//! (`I32AddLCSet`, `LoadLU32`, ...), generated from the one list
//! `ir::for_each_specialized`; `specialize`/`generic` map between the two
//! forms, and `Shape`/`Key` take a generic op apart.
//!
//! Specialized are the fused ops of the hot integer and f64 operators, the
//! memory ops of the common widths (8, 32, 64 bits; a byte access only
//! unshifted, its ops taking no shift) and the common lane-wise operators:
//! such an op costs one dispatch instead of two (the op's, then the
//! operator's). A jump on an integer comparison's zero result uses the
//! negated comparison. `checks::in_bounds` checks a specialized op in its
//! generic form.

use super::*;

/// The forms of an op that has operator-specialized versions: its operands
/// and destination, the generic op's fields without the operator.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    S(shape::S),
    L(shape::L),
    C(shape::C),
    LR(shape::LR),
    LL(shape::LL),
    LC(shape::LC),
    Set(shape::Set),
    LSet(shape::LSet),
    CSet(shape::CSet),
    LRSet(shape::LRSet),
    LLSet(shape::LLSet),
    LCSet(shape::LCSet),
    LRAcc(shape::LRAcc),
    LLAcc(shape::LLAcc),
    LCAcc(shape::LCAcc),
    AccCSet(shape::AccCSet),
    AccLSet(shape::AccLSet),
    AccLRSet(shape::AccLRSet),
    JumpLL(shape::JumpLL),
    JumpLC(shape::JumpLC),
    Load(shape::Load),
    LoadL(shape::LoadL),
    LoadB(shape::LoadB),
    LoadSet(shape::LoadSet),
    LoadLSet(shape::LoadLSet),
    Store(shape::Store),
    StoreL(shape::StoreL),
    StoreLL(shape::StoreLL),
    StoreLC(shape::StoreLC),
    AccStoreL(shape::AccStoreL),
    LoadLSetAcc(shape::LoadLSetAcc),
    AccJumpLL(shape::AccJumpLL),
    StoreLBinU8(shape::StoreLBinU8),
    StoreLBinU32(shape::StoreLBinU32),
    LLoadU8(shape::LLoadU8),
    LLoadAccU8(shape::LLoadAccU8),
    LLoadAccU32(shape::LLoadAccU32),
    LLoadAccU64(shape::LLoadAccU64),
    LLoadU32(shape::LLoadU32),
    LLoadU64(shape::LLoadU64),
    LLoadSetU8(shape::LLoadSetU8),
    LLoadSetU32(shape::LLoadSetU32),
    LLoadSetU64(shape::LLoadSetU64),
    VecS(shape::VecS),
    VecLR(shape::VecLR),
    VecLRSet(shape::VecLRSet),
}

/// What a specialized op fixes besides its shape: the operator, or a
/// memory op's width.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Bin(BinFn),
    Load(LoadFn),
    Store(StoreFn),
    Simd(SimdBinFn),
}

/// The `Key` of a specialized op from its list entry: memory shapes name
/// a width, the others an operator.
macro_rules! key {
    (Load $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadL $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadB $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadSet $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (LoadLSet $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (Store $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreLL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (StoreLC $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (AccStoreL $f:ident) => {
        Key::Store(StoreFn::$f)
    };
    (LoadLSetAcc $f:ident) => {
        Key::Load(LoadFn::$f)
    };
    (VecS $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    (VecLR $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    (VecLRSet $f:ident) => {
        Key::Simd(SimdBinFn::$f)
    };
    ($shape:ident $f:ident) => {
        Key::Bin(BinFn::$f)
    };
}

/// Defines `Shape::of_keyed` and `Shape::keyed_op`, the two directions
/// between the memory and vector ops and their shapes: each entry names the
/// key (what the specialized op fixes), the generic op, its shape, and the
/// fields they share besides the key. A field may be narrower in the shape
/// (a local's offset in 16 bits): such an op has no shape when its value
/// does not fit.
macro_rules! keyed_shapes {
    ($($key:ident $op:ident => $shape:ident { $($field:ident),* };)*) => {
        impl Shape {
            /// A memory or vector op's width or operator and shape, if it
            /// has one.
            #[allow(clippy::useless_conversion)]
            fn of_keyed(op: &Op) -> Option<(Key, Shape)> {
                Some(match *op {
                    $(Op::$op { f, $($field),* } => (
                        Key::$key(f),
                        Shape::$shape(shape::$shape { $($field: $field.try_into().ok()?),* }),
                    ),)*
                    _ => return None,
                })
            }

            /// The memory or vector op of this shape with `key`, if the
            /// two belong together.
            #[allow(clippy::useless_conversion)]
            fn keyed_op(self, key: Key) -> Option<Op> {
                Some(match (key, self) {
                    $((Key::$key(f), Shape::$shape(_s)) => Op::$op { f, $($field: _s.$field.into()),* },)*
                    _ => return None,
                })
            }
        }
    };
}

keyed_shapes! {
    Load Load => Load { shift, offset };
    Load LoadL => LoadL { shift, a, offset };
    Load LoadB => LoadB { shift, a, offset };
    Load LoadSet => LoadSet { shift, offset, d };
    Load LoadLSet => LoadLSet { shift, a, offset, d };
    Store Store => Store { offset };
    Store StoreL => StoreL { shift, a, offset };
    Store StoreLL => StoreLL { shift, a, offset, v };
    Store StoreLC => StoreLC { shift, a, offset, c };
    Simd SimdBin => VecS {};
    Simd SimdBinLR => VecLR { a };
    Simd SimdBinLRSet => VecLRSet { a, d };
}

impl Shape {
    /// A generic fused op's operator (or width) and shape, if it has one.
    pub(super) fn of(op: &Op) -> Option<(Key, Shape)> {
        if let Some(keyed) = Self::of_keyed(op) {
            return Some(keyed);
        }
        let (f, shape) = Self::of_bin(op)?;
        Some((Key::Bin(f), shape))
    }

    /// A generic fused binary op's operator and shape, if it has one.
    pub(super) fn of_bin(op: &Op) -> Option<(BinFn, Shape)> {
        use shape::*;
        Some(match *op {
            Op::Bin { f } => (f, Shape::S(S)),
            Op::BinL { f, b } => (f, Shape::L(L { b })),
            Op::BinC { f, c } => (f, Shape::C(C { c: imm(f, c)? })),
            Op::BinLR { f, a } => (f, Shape::LR(LR { a })),
            Op::BinLL { f, a, b } => (f, Shape::LL(LL { a, b })),
            Op::BinLC { f, a, c } => (f, Shape::LC(LC { a, c: imm(f, c)? })),
            Op::BinSet { f, d } => (f, Shape::Set(Set { d })),
            Op::BinLSet { f, b, d } => (f, Shape::LSet(LSet { b, d })),
            Op::BinCSet { f, c, d } => (f, Shape::CSet(CSet { c, d })),
            Op::BinLRSet { f, a, d } => (f, Shape::LRSet(LRSet { a, d })),
            Op::BinLLSet { f, a, b, d } => (f, Shape::LLSet(LLSet { a, b, d })),
            Op::BinLCSet { f, a, c, d } => (f, Shape::LCSet(LCSet { a, c, d })),
            Op::JumpIfLL {
                f,
                a,
                b,
                to,
                if_zero,
            } => (jump_test(f, if_zero)?, Shape::JumpLL(JumpLL { a, b, to })),
            Op::BinLLoad {
                f,
                load,
                a,
                b,
                shift,
                offset,
            } => {
                let s = LLoad {
                    a,
                    b,
                    shift,
                    offset,
                };
                let shape = match load {
                    LoadFn::U8 => Shape::LLoadU8(s),
                    LoadFn::U32 => Shape::LLoadU32(s),
                    LoadFn::U64 => Shape::LLoadU64(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::StoreLBin {
                store,
                f,
                a,
                v,
                c,
                offset,
            } => {
                let s = StoreLBin { a, v, c, offset };
                let shape = match store {
                    StoreFn::U8 => Shape::StoreLBinU8(s),
                    StoreFn::U32 => Shape::StoreLBinU32(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::BinLLoadSet {
                f,
                load,
                a,
                b,
                d,
                shift,
                offset,
            } => {
                let s = LLoadSet {
                    a,
                    b,
                    d,
                    shift,
                    offset,
                };
                let shape = match load {
                    LoadFn::U8 => Shape::LLoadSetU8(s),
                    LoadFn::U32 => Shape::LLoadSetU32(s),
                    LoadFn::U64 => Shape::LLoadSetU64(s),
                    _ => return None,
                };
                (f, shape)
            }
            Op::JumpIfLC {
                f,
                a,
                c,
                to,
                if_zero,
            } => (jump_test(f, if_zero)?, Shape::JumpLC(JumpLC { a, c, to })),
            _ => return None,
        })
    }

    /// A memory shape's address shift (0 for every other shape).
    pub(super) fn shift(self) -> u8 {
        match self {
            Shape::Load(s) => s.shift,
            Shape::LoadL(s) => s.shift,
            Shape::LoadB(s) => s.shift,
            Shape::LoadSet(s) => s.shift,
            Shape::LoadLSet(s) | Shape::LoadLSetAcc(s) => s.shift,
            Shape::StoreL(s) | Shape::AccStoreL(s) => s.shift,
            Shape::StoreLL(s) => s.shift,
            Shape::StoreLC(s) => s.shift,
            _ => 0,
        }
    }

    /// The generic op of this shape with operator (or width) `key`; `None`
    /// when the two do not belong together.
    pub(super) fn op(self, key: Key) -> Option<Op> {
        // An accumulator shape's generic op is its plain form: `run` hands
        // specialized ops back to the handlers, so it runs no pair, and
        // `in_bounds` checks the same offsets.
        match self {
            Shape::AccStoreL(s) => return Shape::StoreL(s).op(key),
            Shape::LoadLSetAcc(s) => return Shape::LoadLSet(s).op(key),
            Shape::AccJumpLL(s) => return Shape::JumpLL(s).op(key),
            _ => {}
        }
        if let Some(op) = self.keyed_op(key) {
            return Some(op);
        }
        let Key::Bin(f) = key else {
            return None;
        };
        Some(match self {
            Shape::S(_) => Op::Bin { f },
            Shape::L(s) => Op::BinL { f, b: s.b },
            Shape::C(s) => Op::BinC {
                f,
                c: s.c as i64 as u64,
            },
            // An accumulator shape's generic op is its stack form: `run`
            // hands specialized ops back to the handlers, so it runs no
            // pair, and `in_bounds` checks the same offsets.
            Shape::LR(s) | Shape::LRAcc(s) => Op::BinLR { f, a: s.a },
            Shape::LL(s) | Shape::LLAcc(s) => Op::BinLL { f, a: s.a, b: s.b },
            Shape::LC(s) | Shape::LCAcc(s) => Op::BinLC {
                f,
                a: s.a,
                c: s.c as i64 as u64,
            },
            Shape::Set(s) => Op::BinSet { f, d: s.d },
            Shape::LSet(s) | Shape::AccLSet(s) => Op::BinLSet { f, b: s.b, d: s.d },
            Shape::CSet(s) | Shape::AccCSet(s) => Op::BinCSet { f, c: s.c, d: s.d },
            Shape::LRSet(s) | Shape::AccLRSet(s) => Op::BinLRSet { f, a: s.a, d: s.d },
            Shape::LLSet(s) => Op::BinLLSet {
                f,
                a: s.a,
                b: s.b,
                d: s.d,
            },
            Shape::LCSet(s) => Op::BinLCSet {
                f,
                a: s.a,
                c: s.c,
                d: s.d,
            },
            Shape::JumpLL(s) => Op::JumpIfLL {
                f,
                a: s.a,
                b: s.b,
                to: s.to,
                if_zero: false,
            },
            Shape::StoreLBinU8(s) | Shape::StoreLBinU32(s) => Op::StoreLBin {
                store: match self {
                    Shape::StoreLBinU8(_) => StoreFn::U8,
                    _ => StoreFn::U32,
                },
                f,
                a: s.a,
                v: s.v,
                c: s.c,
                offset: s.offset,
            },
            // An accumulator form's generic op is its stack form, as above.
            Shape::LLoadU8(s)
            | Shape::LLoadU32(s)
            | Shape::LLoadU64(s)
            | Shape::LLoadAccU8(s)
            | Shape::LLoadAccU32(s)
            | Shape::LLoadAccU64(s) => Op::BinLLoad {
                f,
                load: match self {
                    Shape::LLoadU8(_) | Shape::LLoadAccU8(_) => LoadFn::U8,
                    Shape::LLoadU32(_) | Shape::LLoadAccU32(_) => LoadFn::U32,
                    _ => LoadFn::U64,
                },
                a: s.a,
                b: s.b,
                shift: s.shift,
                offset: s.offset,
            },
            Shape::LLoadSetU8(s) | Shape::LLoadSetU32(s) | Shape::LLoadSetU64(s) => {
                Op::BinLLoadSet {
                    f,
                    load: match self {
                        Shape::LLoadSetU8(_) => LoadFn::U8,
                        Shape::LLoadSetU32(_) => LoadFn::U32,
                        _ => LoadFn::U64,
                    },
                    a: s.a,
                    b: s.b,
                    d: s.d,
                    shift: s.shift,
                    offset: s.offset,
                }
            }
            Shape::JumpLC(s) => Op::JumpIfLC {
                f,
                a: s.a,
                c: s.c,
                to: s.to,
                if_zero: false,
            },
            _ => return None,
        })
    }
}

/// A constant operand as a 32-bit immediate: an operator on 32-bit values
/// reads only the low half, so any constant fits; a 64-bit one must
/// sign-extend from 32 bits.
pub(super) fn imm(f: BinFn, c: u64) -> Option<i32> {
    if !f.wide() {
        Some(c as u32 as i32)
    } else if c as i32 as i64 as u64 == c {
        Some(c as i32)
    } else {
        None
    }
}

/// The operator whose non-zero result takes a conditional jump that tests
/// `f`'s result for zero (`if_zero`) or not: `f` itself, or for an integer
/// comparison its negation. Float comparisons are not negated (NaN makes
/// both `a < b` and `a >= b` false).
pub(super) fn jump_test(f: BinFn, if_zero: bool) -> Option<BinFn> {
    use BinFn::*;
    if !if_zero {
        return Some(f);
    }
    Some(match f {
        I32Eq => I32Ne,
        I32Ne => I32Eq,
        I32LtS => I32GeS,
        I32GeS => I32LtS,
        I32LtU => I32GeU,
        I32GeU => I32LtU,
        I32GtS => I32LeS,
        I32LeS => I32GtS,
        I32GtU => I32LeU,
        I32LeU => I32GtU,
        I64Eq => I64Ne,
        I64Ne => I64Eq,
        I64LtS => I64GeS,
        I64GeS => I64LtS,
        I64LtU => I64GeU,
        I64GeU => I64LtU,
        I64GtS => I64LeS,
        I64LeS => I64GtS,
        I64GtU => I64LeU,
        I64LeU => I64GtU,
        _ => return None,
    })
}

/// Defines `specialize` (a generic fused op's specialized version, if the
/// list has one) and `generic` (its inverse).
macro_rules! specializer {
    ($($name:ident $shape:ident $f:ident,)*) => {
        /// The operator-specialized op that does what `op` does, if any. A
        /// byte access stays generic when its address is shifted: the
        /// specialized byte ops take no shift (the interpreter's `shift!`),
        /// which a byte index seldom has.
        pub(super) fn specialize(op: &Op) -> Option<Op> {
            let (key, shape) = Shape::of(op)?;
            if matches!(key, Key::Load(LoadFn::U8) | Key::Store(StoreFn::U8)) && shape.shift() != 0 {
                return None;
            }
            specialized(key, shape)
        }

        /// The specialized op of operator (or width) `key` and `shape`, if
        /// the list has one.
        pub(super) fn specialized(key: Key, shape: Shape) -> Option<Op> {
            match (key, shape) {
                $((key!($shape $f), Shape::$shape(s)) => Some(Op::$name(s)),)*
                _ => None,
            }
        }

        /// The generic op that does what the specialized `op` does; `None`
        /// for an op that is not specialized.
        pub(super) fn generic(op: &Op) -> Option<Op> {
            match *op {
                $(Op::$name(s) => Shape::$shape(s).op(key!($shape $f)),)*
                _ => None,
            }
        }
    };
}
for_each_specialized!(specializer);
