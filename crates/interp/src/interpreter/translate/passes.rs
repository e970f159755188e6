//! Passes over the finished op sequence, each rewriting ops in place
//! (the op count and every index stay as they were, so no target moves):
//! loop rotation, jumps to returns, counted-loop steps, accumulator pairs.
//! They run after lowering because they need the whole body: a loop's
//! head and its back edge, and which ops some branch targets.
//!
//! Loops are rotated (the jump back is the head's inverted exit test); a
//! counted loop's `i += c` (or `+= step`, a local) then `i < n` test is
//! one op (`I32AddJumpLtU/S`, `I32AddLJumpLtU/S`, which skip the unfused
//! test kept after them); a jump to a `Return` becomes that `Return`.
//! Accumulator pairs (`pair_accumulators`): a specialized op leaving its
//! result on top (`LR`, `LL`, `LC` shapes) followed by one popping it
//! (`CSet`, `LSet`, `LRSet`, a store at a local address, or the `Return`
//! of a function's one result slot), the second no branch target, hand the
//! value over in the handlers' fourth register instead of a stack slot (in
//! `h = (h ^ x) * c` the store and reload were on the loop's critical
//! path); a load into a local followed by a jump comparing that local does
//! the same while still setting the local (`LoadLSetAcc` + `AccJumpLL`).
//! Their generic forms are the stack forms, and `run` never runs one half
//! alone.

use super::*;

/// Turns the jump back to a loop's head into the head's exit test,
/// inverted, when that test leaves the loop to just after the jump: the
/// usual `(block (loop (br_if 1 cond) ... (br 0)))` then runs one op per
/// iteration fewer. The test reads only locals, which nothing between the
/// jump and the head changes; the op count and every target stay as they
/// were.
pub(super) fn rotate_loops(ops: &mut [Op]) {
    for j in 0..ops.len() {
        let Op::Jump { to: head } = ops[j] else {
            continue;
        };
        let exit = j as u32 + 1;
        let body = head + 1;
        let rotated = match ops.get(head as usize) {
            Some(&Op::JumpIfL { off, to, if_zero }) if to == exit => Op::JumpIfL {
                off,
                to: body,
                if_zero: !if_zero,
            },
            Some(&Op::JumpIfLC {
                f,
                a,
                c,
                to,
                if_zero,
            }) if to == exit => Op::JumpIfLC {
                f,
                a,
                c,
                to: body,
                if_zero: !if_zero,
            },
            Some(&Op::JumpIfLL {
                f,
                a,
                b,
                to,
                if_zero,
            }) if to == exit => Op::JumpIfLL {
                f,
                a,
                b,
                to: body,
                if_zero: !if_zero,
            },
            _ => continue,
        };
        ops[j] = rotated;
    }
}

/// Turns a jump to a `Return` into that `Return`: an `if` whose arms end
/// the function then returns from the arm instead of jumping to the end
/// first. A `Jump` moves no values, so the stack the `Return` sees is the
/// same at either place.
pub(super) fn thread_returns(ops: &mut [Op]) {
    for j in 0..ops.len() {
        if let Op::Jump { to } = ops[j]
            && matches!(ops.get(to as usize), Some(Op::Return))
        {
            ops[j] = Op::Return;
        }
    }
}

/// Which ops a branch, a `br_table` entry or a catch can reach (one more
/// entry, for the end): an op fused with the one before it must be none of
/// them.
pub(super) fn branch_targets(ops: &[Op], targets: &[Target], handlers: &[TryScope]) -> Vec<bool> {
    let mut is_target = vec![false; ops.len() + 1];
    let mut mark = |to: u32| {
        if let Some(t) = is_target.get_mut(to as usize) {
            *t = true;
        }
    };
    for op in ops.iter() {
        match *generic(op).as_ref().unwrap_or(op) {
            Op::Jump { to }
            | Op::JumpIf { to }
            | Op::JumpIfNot { to }
            | Op::JumpIfL { to, .. }
            | Op::JumpIfLC { to, .. }
            | Op::JumpIfLL { to, .. } => mark(to),
            Op::Br(t) | Op::BrIf(t) | Op::BrOnNull(t) | Op::BrOnNonNull(t) => mark(t.to),
            _ => {}
        }
    }
    targets.iter().for_each(|t| mark(t.to));
    for h in handlers {
        h.catches.iter().for_each(|c| mark(c.target.to));
    }
    is_target
}

/// Pairs an op that leaves a value on top of the stack with the next op,
/// which pops it, when both have accumulator forms: the first then hands
/// its result over in a register (`LR` becomes `LRAcc`, ...), the second
/// takes it from there (`CSet` becomes `AccCSet`, a store's value
/// `StoreL` becomes `AccStoreL`, ...; a `Return` of a
/// function's one result slot becomes `ReturnAcc`), and the value makes
/// no trip through a stack slot (a store and a load the next op waits
/// for, which in a loop like `h = (h ^ x) * c` is most of the time). The
/// second must be no branch target, or a branch there would find no
/// accumulator. Both keep their operands and their stack effect but for
/// the one slot, so the op count and every index stay as they were.
pub(super) fn pair_accumulators(ops: &mut [Op], is_target: &[bool], result_slots: u32) {
    for j in 0..ops.len().saturating_sub(1) {
        if is_target[j + 1] {
            continue;
        }
        // Only specialized ops are rewritten: a generic op's own operator
        // dispatch would cost more than the slot saves.
        let Some((f, first)) = generic(&ops[j]).as_ref().and_then(Shape::of) else {
            continue;
        };
        if let Shape::LoadLSet(set) = first {
            if let Some((a, b)) = tee_pair(f, set, &ops[j + 1]) {
                ops[j] = a;
                ops[j + 1] = b;
            }
            continue;
        }
        let first = match first {
            Shape::LR(s) => Shape::LRAcc(s),
            Shape::LL(s) => Shape::LLAcc(s),
            Shape::LC(s) => Shape::LCAcc(s),
            Shape::LLoadU8(s) => Shape::LLoadAccU8(s),
            Shape::LLoadU32(s) => Shape::LLoadAccU32(s),
            Shape::LLoadU64(s) => Shape::LLoadAccU64(s),
            _ => continue,
        };
        // A function's one result, returned right away.
        if matches!(ops[j + 1], Op::Return) && result_slots == 1 {
            if let Some(a) = specialized(f, first) {
                ops[j] = a;
                ops[j + 1] = Op::ReturnAcc;
            }
            continue;
        }
        let Some((g, second)) = generic(&ops[j + 1]).as_ref().and_then(Shape::of) else {
            continue;
        };
        let second = match second {
            Shape::CSet(s) => Shape::AccCSet(s),
            Shape::LSet(s) => Shape::AccLSet(s),
            Shape::LRSet(s) => Shape::AccLRSet(s),
            Shape::StoreL(s) => Shape::AccStoreL(s),
            _ => continue,
        };
        if let (Some(a), Some(b)) = (specialized(f, first), specialized(g, second)) {
            ops[j] = a;
            ops[j + 1] = b;
        }
    }
}

/// The pair for a load into a local followed by `second`, if `second` is a
/// conditional jump comparing that local with another: the load sets the
/// local and hands the value over in the accumulator as well
/// (`LoadLSetAcc`), and the jump compares the accumulator (`AccJumpLL`),
/// with the comparison mirrored when the local is its right operand. The
/// branch then waits for the load alone, not for a store and a reload of
/// the local's slot (in a partition loop, `if (a[j] < pivot)` mispredicts
/// half the time, and each cycle the branch resolves later costs more).
pub(super) fn tee_pair(f: Key, set: shape::LoadLSet, second: &Op) -> Option<(Op, Op)> {
    let (Key::Bin(g), Shape::JumpLL(t)) = generic(second).as_ref().and_then(Shape::of)? else {
        return None;
    };
    let (g, t) = if t.a == set.d {
        (g, t)
    } else if t.b == set.d {
        let mirrored = shape::JumpLL {
            a: t.b,
            b: t.a,
            to: t.to,
        };
        (mirror(g)?, mirrored)
    } else {
        return None;
    };
    let first = specialized(f, Shape::LoadLSetAcc(set))?;
    let second = specialized(Key::Bin(g), Shape::AccJumpLL(t))?;
    Some((first, second))
}

/// The comparison that gives `f`'s result with its operands swapped.
pub(super) fn mirror(f: BinFn) -> Option<BinFn> {
    use BinFn::*;
    Some(match f {
        I32Eq | I32Ne | I64Eq | I64Ne => f,
        I32LtS => I32GtS,
        I32GtS => I32LtS,
        I32LtU => I32GtU,
        I32GtU => I32LtU,
        I32LeS => I32GeS,
        I32GeS => I32LeS,
        I32LeU => I32GeU,
        I32GeU => I32LeU,
        I64LtS => I64GtS,
        I64GtS => I64LtS,
        I64LtU => I64GtU,
        I64GtU => I64LtU,
        I64LeS => I64GeS,
        I64GeS => I64LeS,
        I64LeU => I64GeU,
        I64GeU => I64LeU,
        _ => return None,
    })
}

/// Turns a `local.get` right before a `Return` of a function's one result
/// slot into `ReturnLocal`, which returns the local without pushing it;
/// the `Return` stays, for any branch to it.
pub(super) fn return_locals(ops: &mut [Op]) {
    for j in 0..ops.len().saturating_sub(1) {
        if let (Op::LocalGet { off }, Op::Return) = (&ops[j], &ops[j + 1]) {
            ops[j] = Op::ReturnLocal { off: *off };
        }
    }
}

/// Fuses a counted loop's step into its test: `I32AddLCSet { a: x, d: x }`
/// then `I32LtUJumpLL { a: x, .. }` (or the signed test) become
/// `I32AddJumpLtU` (`I32AddJumpLtS`) in place of the first, which skips the
/// second when it falls through; so the op count and every index stay as
/// they were. A step by another local (`I32AddLLSet` with `x` as either
/// operand and the destination) becomes `I32AddLJumpLtU` (`...LtS`) the same
/// way. The second must be no branch target, or a branch there would find
/// the test without the step.
pub(super) fn fuse_loop_steps(ops: &mut [Op], is_target: &[bool]) {
    for j in 0..ops.len().saturating_sub(1) {
        // The stepped local and the step: a constant or another local.
        let (x, by) = match ops[j] {
            Op::I32AddLCSet(shape::LCSet { a, c, d }) if a == d => (d, Ok(c)),
            Op::I32AddLLSet(shape::LLSet { a, b, d }) if a == d => (d, Err(b)),
            Op::I32AddLLSet(shape::LLSet { a, b, d }) if b == d => (d, Err(a)),
            _ => continue,
        };
        let (to, b, signed) = match ops[j + 1] {
            Op::I32LtUJumpLL(shape::JumpLL { a: t, b, to }) if t == x => (to, b, false),
            Op::I32LtSJumpLL(shape::JumpLL { a: t, b, to }) if t == x => (to, b, true),
            _ => continue,
        };
        let (Ok(x), Ok(b)) = (u16::try_from(x), u16::try_from(b)) else {
            continue;
        };
        if is_target[j + 1] {
            continue;
        }
        ops[j] = match (by, signed) {
            (Ok(c), false) => Op::I32AddJumpLtU(shape::Step { x, b, c, to }),
            (Ok(c), true) => Op::I32AddJumpLtS(shape::Step { x, b, c, to }),
            (Err(y), false) => Op::I32AddLJumpLtU(shape::StepL { x, b, y, to }),
            (Err(y), true) => Op::I32AddLJumpLtS(shape::StepL { x, b, y, to }),
        };
    }
}

/// The op for `local.set d (add (local.get a) (mul x y))` of vectors with
/// the same lanes, if there is one (a dot product's step).
pub(super) fn vector_mul_add(mul: SimdBinFn, add: SimdBinFn, a: u32, d: u32) -> Option<Op> {
    use SimdBinFn::*;
    Some(match (mul, add) {
        (I32x4Mul, I32x4Add) => Op::I32x4MulAddLRSet { a, d },
        (F32x4Mul, F32x4Add) => Op::F32x4MulAddLRSet { a, d },
        (F64x2Mul, F64x2Add) => Op::F64x2MulAddLRSet { a, d },
        _ => return None,
    })
}
