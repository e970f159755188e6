//! Fusion while lowering: an operator, a `local.set`, a conditional jump
//! or a memory access absorbs the `local.get`s, constants and loads just
//! emitted for its operands, never across a branch target (`barrier`):
//! one op instead of several. Shaped as methods the lowering calls at the
//! instruction that completes a pattern, each looking back a bounded way
//! (`PRODUCER_WINDOW`) so that translation stays linear.
//!
//! What fuses: integer and float operators (`num::BinFn`) with the
//! `local.get`/`const` feeding them, with `local.set` and with conditional
//! jumps; loads and stores of memory 0 with their local address, which may
//! be a local shifted by a constant (a scaled index, `shift` in the op) or
//! a local base plus an index (`LoadB`), a store's value a local
//! (`StoreLL`); `v128.load` at a local address or the sum of two locals,
//! and a lane-wise operator with a `v128` local as left operand and
//! destination (`SimdBinLRSet`: an accumulator stays in its local);
//! non-trapping unary operators (`num::UnFn`) on the top slot or a local;
//! `a * b + c` of three locals (`I32MulAddLLL`), `local + x * y` into a
//! local (`F64MulAddLRSet`, and of lanes, `I32x4MulAddLRSet`...: a dot
//! product's step), `a * c1 + c2` into a local (`I32MulAddLCCSet`: an
//! LCG's step), an operator on a local and a value loaded at a local's
//! address (`BinLLoad`, `BinLLoadSet`: `h ^ a[i]`), and a store at a
//! local's address of a local shifted or masked by a constant
//! (`StoreLBin`); the last three only where a specialized op exists.

use super::*;

impl Translator<'_> {
    /// Whether the last `n` ops may be fused into a later one: no branch
    /// targets any of them but the first.
    pub(super) fn last_fusable(&self, n: usize) -> bool {
        self.ops.len() >= self.barrier as usize + n
    }

    /// A binary integer operator, fused with the `local.get`s and constants
    /// just emitted for its operands (they push exactly its two operands).
    pub(super) fn fuse_bin(&mut self, f: BinFn, wide: bool) -> Op {
        let n = self.ops.len();
        // An i32 operator reads only the low half of its constant, so its
        // constant is kept sign-extended: then whether it fits an `i32`
        // immediate no longer depends on the operator's width.
        let norm = |bits: u64| {
            if wide {
                bits
            } else {
                bits as u32 as i32 as i64 as u64
            }
        };
        if self.last_fusable(2) {
            let fused = match (&self.ops[n - 2], &self.ops[n - 1]) {
                (Op::LocalGet { off: a }, Op::LocalGet { off: b }) => {
                    Some(Op::BinLL { f, a: *a, b: *b })
                }
                (Op::LocalGet { off: a }, Op::Const { bits }) => Some(Op::BinLC {
                    f,
                    a: *a,
                    c: norm(*bits),
                }),
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.truncate(n - 2);
                return op;
            }
        }
        // `a * b + c` of three locals.
        if f == BinFn::I32Add
            && self.last_fusable(2)
            && let [
                Op::BinLL {
                    f: BinFn::I32Mul,
                    a,
                    b,
                },
                Op::LocalGet { off: c },
            ] = self.ops[n - 2..]
        {
            self.ops.truncate(n - 2);
            return Op::I32MulAddLLL { a, b, c };
        }
        if self.last_fusable(1) {
            let fused = match &self.ops[n - 1] {
                Op::LocalGet { off } => Some(Op::BinL { f, b: *off }),
                Op::Const { bits } => Some(Op::BinC { f, c: norm(*bits) }),
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.truncate(n - 1);
                return op;
            }
        }
        // The left operand from a `local.get` with pure ops after it: read
        // the local when the operator runs instead (nothing in between can
        // write a local).
        if let Some(a) = self.take_local_operand(1) {
            return self.fuse_load_operand(f, a).unwrap_or(Op::BinLR { f, a });
        }
        Op::Bin { f }
    }

    /// `BinLLoad` of `f`, the local at `a` and the load just emitted (at a
    /// local's address), in place of that load, if a specialized op does
    /// it: `h ^ a[i]` in one op.
    pub(super) fn fuse_load_operand(&mut self, f: BinFn, a: u32) -> Option<Op> {
        if !self.last_fusable(1) {
            return None;
        }
        let Some(&Op::LoadL {
            f: load,
            shift,
            a: b,
            offset,
        }) = self.ops.last()
        else {
            return None;
        };
        let op = Op::BinLLoad {
            f,
            load,
            a: u16::try_from(a).ok()?,
            b: u16::try_from(b).ok()?,
            shift,
            offset,
        };
        specialize(&op)?;
        self.ops.pop();
        Some(op)
    }

    /// If the value at `depth` below the top of the stack (0 is the top)
    /// was pushed by a `local.get` followed only by ops that neither write
    /// locals nor have effects besides traps, removes that `local.get` and
    /// returns its local's offset.
    pub(super) fn take_local_operand(&mut self, depth: u32) -> Option<u32> {
        self.take_operand(depth, false).map(|(off, _)| off)
    }

    /// `take_local_operand`, also taking an `i32.shl` of a local by a
    /// constant when `scaled` (an address operand): the local's offset and
    /// the shift (0 for a plain `local.get`).
    pub(super) fn take_operand(&mut self, depth: u32, scaled: bool) -> Option<(u32, u8)> {
        let i = self.producer(depth)?;
        let taken = match self.ops[i] {
            Op::LocalGet { off } => (off, 0),
            Op::BinLC {
                f: BinFn::I32Shl,
                a,
                c,
            } if scaled => (a, (c & 31) as u8),
            _ => return None,
        };
        self.ops.remove(i);
        Some(taken)
    }

    /// `take_local_operand` for a two-slot (`v128`) local.
    pub(super) fn take_local2_operand(&mut self, depth: u32) -> Option<u32> {
        let i = self.producer(depth)?;
        let Op::LocalGet2 { off } = self.ops[i] else {
            return None;
        };
        self.ops.remove(i);
        Some(off)
    }

    /// The index of the op that pushed the value at `depth` below the top
    /// of the stack, if only ops that neither write locals nor have
    /// effects besides traps follow it (since the last branch target),
    /// among the last [`PRODUCER_WINDOW`] ops.
    pub(super) fn producer(&self, mut depth: u32) -> Option<usize> {
        let floor = (self.barrier as usize).max(self.ops.len().saturating_sub(PRODUCER_WINDOW));
        let mut i = self.ops.len();
        while i > floor {
            i -= 1;
            // Values (not slots) popped and pushed.
            let (pops, pushes) = match &self.ops[i] {
                Op::LocalGet { .. }
                | Op::LocalGet2 { .. }
                | Op::Const { .. }
                | Op::BinLL { .. }
                | Op::BinLC { .. }
                | Op::I32MulAddLLL { .. }
                | Op::BinLLoad { .. }
                | Op::LoadL { .. }
                | Op::V128LoadL { .. }
                | Op::V128LoadLL { .. }
                | Op::UnL { .. } => (0, 1),
                Op::BinL { .. }
                | Op::BinC { .. }
                | Op::BinLR { .. }
                | Op::Load { .. }
                | Op::LoadB { .. }
                | Op::V128Load { .. }
                | Op::SimdBinLR { .. }
                | Op::I32Eqz
                | Op::Un { .. } => (1, 1),
                Op::Bin { .. } | Op::SimdBin { .. } => (2, 1),
                _ => return None,
            };
            if depth < pushes {
                return Some(i);
            }
            depth = depth - pushes + pops;
        }
        None
    }

    /// Fuses `local.set` into the binary operator just emitted; whether
    /// it did.
    pub(super) fn fuse_set(&mut self, d: u32) -> bool {
        if !self.last_fusable(1) {
            return false;
        }
        let n = self.ops.len();
        // `a * c1 + c2` into a local.
        if self.last_fusable(2)
            && let [
                Op::BinLC {
                    f: BinFn::I32Mul,
                    a,
                    c: c1,
                },
                Op::BinC {
                    f: BinFn::I32Add,
                    c: c2,
                },
            ] = self.ops[n - 2..]
            && let (Ok(a), Ok(d16)) = (u16::try_from(a), u16::try_from(d))
        {
            self.ops.truncate(n - 2);
            self.emit(Op::I32MulAddLCCSet {
                a,
                d: d16,
                c1: c1 as i32,
                c2: c2 as i32,
            });
            return true;
        }
        // `local + x * y` into a local.
        if self.last_fusable(2)
            && let [
                Op::Bin { f: BinFn::F64Mul },
                Op::BinLR {
                    f: BinFn::F64Add,
                    a,
                },
            ] = self.ops[n - 2..]
        {
            self.ops.truncate(n - 2);
            self.emit(Op::F64MulAddLRSet { a, d });
            return true;
        }
        let fused = match self.ops.last() {
            Some(Op::Bin { f }) => Op::BinSet { f: *f, d },
            Some(Op::BinL { f, b }) => Op::BinLSet { f: *f, b: *b, d },
            Some(Op::BinLR { f, a }) => Op::BinLRSet { f: *f, a: *a, d },
            Some(Op::BinC { f, c }) if *c as i32 as i64 as u64 == *c => Op::BinCSet {
                f: *f,
                c: *c as i32,
                d,
            },
            Some(&Op::BinLLoad {
                f,
                load,
                a,
                b,
                shift,
                offset,
            }) if u16::try_from(d).is_ok() => Op::BinLLoadSet {
                f,
                load,
                a,
                b,
                d: d as u16,
                shift,
                offset,
            },
            Some(Op::LocalGet { off }) => Op::Copy { a: *off, d },
            Some(Op::Const { bits }) => Op::ConstSet { bits: *bits, d },
            Some(Op::BinLL { f, a, b }) => Op::BinLLSet {
                f: *f,
                a: *a,
                b: *b,
                d,
            },
            Some(Op::BinLC { f, a, c }) if *c as i32 as i64 as u64 == *c => Op::BinLCSet {
                f: *f,
                a: *a,
                c: *c as i32,
                d,
            },
            Some(Op::Load { f, shift, offset }) => Op::LoadSet {
                f: *f,
                shift: *shift,
                offset: *offset,
                d,
            },
            Some(Op::LoadL {
                f,
                shift,
                a,
                offset,
            }) => Op::LoadLSet {
                f: *f,
                shift: *shift,
                a: *a,
                offset: *offset,
                d,
            },
            _ => return false,
        };
        self.ops.pop();
        self.emit(fused);
        true
    }

    /// A conditional jump on the value just computed, fused with the op
    /// that computed it where possible (`i32.eqz` flips the condition).
    pub(super) fn cond_jump(&mut self, to: u32, mut if_zero: bool) -> Op {
        if self.last_fusable(1) && matches!(self.ops.last(), Some(Op::I32Eqz)) {
            self.ops.pop();
            if_zero = !if_zero;
        }
        if self.last_fusable(1) {
            let fused = match self.ops.last() {
                Some(Op::LocalGet { off }) => Some(Op::JumpIfL {
                    off: *off,
                    to,
                    if_zero,
                }),
                Some(Op::BinLL { f, a, b }) => Some(Op::JumpIfLL {
                    f: *f,
                    a: *a,
                    b: *b,
                    to,
                    if_zero,
                }),
                Some(Op::BinLC { f, a, c }) if *c as i32 as i64 as u64 == *c => {
                    Some(Op::JumpIfLC {
                        f: *f,
                        a: *a,
                        c: *c as i32,
                        to,
                        if_zero,
                    })
                }
                _ => None,
            };
            if let Some(op) = fused {
                self.ops.pop();
                return op;
            }
        }
        if if_zero {
            Op::JumpIfNot { to }
        } else {
            Op::JumpIf { to }
        }
    }

    /// A scalar load or store of memory 0 with 32-bit addresses, as a fast
    /// op.
    pub(super) fn memory_op(&mut self, i: &Instr) -> Option<Op> {
        let m = i.memarg()?;
        if m.memory != 0 || self.env.memories.first() != Some(&AddrType::I32) {
            return None;
        }
        // Validation bounds a 32-bit memory's offsets by 2^32.
        let offset = u32::try_from(m.offset).ok()?;
        match i {
            Instr::V128Load { .. } => {
                if let Some((a, shift)) = self.take_operand(0, true) {
                    return Some(Op::V128LoadL { shift, a, offset });
                }
                // A base plus an index, both locals.
                if self.last_fusable(1)
                    && let Some(&Op::BinLL {
                        f: BinFn::I32Add,
                        a,
                        b,
                    }) = self.ops.last()
                {
                    self.ops.pop();
                    return Some(Op::V128LoadLL { a, b, offset });
                }
                return Some(Op::V128Load { offset });
            }
            Instr::V128Store { .. } => return Some(Op::V128Store { offset }),
            _ => {}
        }
        if let Some(f) = crate::ops::mem::load_fn(i) {
            // The address from a `local.get`, or a local shifted by a
            // constant (an index scaled to the element size).
            if let Some((a, shift)) = self.take_operand(0, true) {
                return Some(Op::LoadL {
                    f,
                    shift,
                    a,
                    offset,
                });
            }
            // A local base plus an index (scaled by a constant or not).
            if self.last_fusable(1)
                && let Some(
                    &(Op::BinLR {
                        f: BinFn::I32Add,
                        a,
                    }
                    | Op::BinL {
                        f: BinFn::I32Add,
                        b: a,
                    }),
                ) = self.ops.last()
            {
                self.ops.pop();
                let mut shift = 0;
                if self.last_fusable(1)
                    && let Some(&Op::BinC {
                        f: BinFn::I32Shl,
                        c,
                    }) = self.ops.last()
                {
                    self.ops.pop();
                    shift = (c & 31) as u8;
                }
                return Some(Op::LoadB {
                    f,
                    shift,
                    a,
                    offset,
                });
            }
            // An address shifted by a constant (a scaled index).
            if self.last_fusable(1)
                && let Some(&Op::BinC {
                    f: BinFn::I32Shl,
                    c,
                }) = self.ops.last()
            {
                self.ops.pop();
                return Some(Op::Load {
                    f,
                    shift: (c & 31) as u8,
                    offset,
                });
            }
            return Some(Op::Load {
                f,
                shift: 0,
                offset,
            });
        }
        let f = crate::ops::mem::store_fn(i)?;
        // The address (below the value) as for loads.
        if let Some((a, shift)) = self.take_operand(1, true) {
            // A constant or local value too.
            if self.last_fusable(1) {
                match *self.ops.last()? {
                    Op::Const { bits } if bits as i32 as i64 as u64 == bits => {
                        self.ops.pop();
                        return Some(Op::StoreLC {
                            f,
                            shift,
                            a,
                            offset,
                            c: bits as i32,
                        });
                    }
                    // An operator's result on a local and a constant (a
                    // byte of a shifted value), where a specialized op
                    // does it all.
                    Op::BinLC { f: g, a: v, c } if shift == 0 && c as i32 as i64 as u64 == c => {
                        if let (Ok(a), Ok(v)) = (u16::try_from(a), u16::try_from(v)) {
                            let op = Op::StoreLBin {
                                store: f,
                                f: g,
                                a,
                                v,
                                c: c as i32,
                                offset,
                            };
                            if specialize(&op).is_some() {
                                self.ops.pop();
                                return Some(op);
                            }
                        }
                    }
                    Op::LocalGet { off: v } => {
                        self.ops.pop();
                        return Some(Op::StoreLL {
                            f,
                            shift,
                            a,
                            offset,
                            v,
                        });
                    }
                    _ => {}
                }
            }
            return Some(Op::StoreL {
                f,
                shift,
                a,
                offset,
            });
        }
        Some(Op::Store { f, offset })
    }
}
