//! The translator's last pass over a body's ops: a value that one op
//! writes to a stack slot and only the next op reads goes between them in
//! the accumulator (`ir::ACC`, a machine register the handlers pass on)
//! instead.
//!
//! A pass of its own, after lowering and fusion, rather than a decision
//! taken while each op is emitted: by then every op that fusion rewrites
//! or removes (a comparison folded into a jump, a result retargeted into a
//! local) is final, and every branch target is known, so that the rule is
//! checked on the finished code in one place. The rule: op `i` writes a
//! stack slot `s` (above the locals), op `i + 1` reads `s` as an operand
//! of an accumulator form, and no branch lands on op `i + 1`. Then `s` is
//! dead after op `i + 1`: an operator reads only values it pops off the
//! operand stack, and a stack slot is written again before any later
//! value there is read; and since op `i + 1` is entered only from op `i`,
//! the accumulator holds the value whenever it runs (calls resume after
//! their op, and the handlers stop the chain only at ops that neither
//! write nor read the accumulator).

use crate::interpreter::ir::{ACC, ACC16, Op, Target, TryScope};

use super::jump_to;

/// Routes through the accumulator every value that an op of `ops`
/// writes to a stack slot (at or above `locals`) and only the next op
/// reads (see the module's rule). `targets` and `handlers` are the code's;
/// the jumps' `to` are still absolute op indices.
pub(super) fn accumulate(ops: &mut [Op], targets: &[Target], handlers: &[TryScope], locals: u32) {
    let entered = entered(ops, targets, handlers);
    for i in 1..ops.len() {
        if entered[i] {
            continue;
        }
        let Some(s) = produced(&ops[i - 1]).filter(|&s| s >= locals && s != ACC) else {
            continue;
        };
        if read_acc(&mut ops[i], s) {
            set_produced(&mut ops[i - 1]);
        }
    }
}

/// For each op, whether a branch may land on it (jumps, branch tables,
/// catch clauses).
fn entered(ops: &mut [Op], targets: &[Target], handlers: &[TryScope]) -> Vec<bool> {
    let mut entered = vec![false; ops.len() + 1];
    let mut mark = |to: u32| {
        if let Some(e) = entered.get_mut(to as usize) {
            *e = true;
        }
    };
    for op in ops.iter_mut() {
        if let Some(to) = jump_to(op) {
            mark(*to as u32);
        }
    }
    for t in targets {
        mark(t.to);
    }
    for h in handlers {
        for c in h.catches.iter() {
            mark(c.target.to);
        }
    }
    entered
}

/// The slot an op with an accumulator form writes its result to.
fn produced(op: &Op) -> Option<u32> {
    match *op {
        Op::Bin { d, .. } | Op::BinI { d, .. } | Op::Un { d, .. } | Op::Load { d, .. } => Some(d),
        Op::BinK { d, .. } if d != ACC16 => Some(d as u32),
        _ => None,
    }
}

/// Makes an op that `produced` names write the accumulator.
fn set_produced(op: &mut Op) {
    match op {
        Op::Bin { d, .. } | Op::BinI { d, .. } | Op::Un { d, .. } | Op::Load { d, .. } => *d = ACC,
        Op::BinK { d, .. } => *d = ACC16,
        _ => {}
    }
}

/// Makes `op` read the accumulator for its one operand in slot `s`, if it
/// has that form and reads `s` exactly once: `true` if done.
fn read_acc(op: &mut Op, s: u32) -> bool {
    if let Op::BinK { a, .. } | Op::JumpCmpK { a, .. } | Op::JumpNotOrdK { a, .. } = op {
        // 16-bit operands (`ACC16`).
        if *a as u32 != s {
            return false;
        }
        *a = ACC16;
        return true;
    }
    let (a, b) = match op {
        Op::Bin { a, b, .. }
        | Op::JumpCmp { a, b, .. }
        | Op::JumpNotOrd { a, b, .. }
        | Op::Store {
            addr: a, val: b, ..
        } => (a, Some(b)),
        Op::BinI { a, .. }
        | Op::Un { a, .. }
        | Op::Load { addr: a, .. }
        | Op::JumpCmpI { a, .. }
        | Op::JumpIf { c: a, .. }
        | Op::JumpIfNot { c: a, .. } => (a, None),
        _ => return false,
    };
    match (*a == s, b) {
        (true, b) if b.as_ref().is_none_or(|b| **b != s) => *a = ACC,
        (false, Some(b)) if *b == s => *b = ACC,
        _ => return false,
    }
    true
}
