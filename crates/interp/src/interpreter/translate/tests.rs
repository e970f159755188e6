//! The translator's output on typical code: which ops it makes and which
//! slots they name, and the bounds check the executor relies on.

use super::*;
use crate::interpreter::ir::{ACC, ACC16, HandlerPtr};
use crate::ops::mem::{LoadFn, StoreFn};
use crate::ops::num::{BinFn, TrapFn, UnFn};
use crate::ops::simd::SimdBinFn;
use weft_ast::{CompositeType, SubType};

/// Translates one function of type `[i32 i32] -> [i32]` with `body` and
/// a `v128` local (slots: params 0 and 1, the local 2 and 3, the stack
/// from 4).
fn translate_body(body: Vec<Instr>) -> Code {
    let mut m = Module::default();
    let ty = FuncType {
        params: vec![ValType::I32, ValType::I32],
        results: vec![ValType::I32],
    };
    m.push_rec_group([SubType::plain(CompositeType::Func(ty))], false);
    let body = m.push_expr(body);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![weft_ast::Locals {
            count: 1,
            ty: ValType::V128,
        }],
        body,
    });
    let env = Env {
        module: &m,
        func_types: &[0],
        globals: &[],
        memories: &[],
        tags: &[],
        tables: 0,
    };
    translate(&env, &m.funcs[0], 0).expect("translates")
}

/// The ops of the first function of a text module, as `Debug` shows them.
fn ops_of(text: &str) -> Vec<String> {
    let code = translated(text);
    code.ops.iter().map(|i| format!("{:?}", i.op)).collect()
}

/// The translation of the first function of a text module.
fn translated(text: &str) -> Code {
    let m = weft_parser::parse(&wat::parse_str(text).expect("wat")).expect("parses");
    let env = Env {
        module: &m,
        func_types: &[0],
        globals: &[ValType::I32],
        memories: &[AddrType::I32],
        tags: &[],
        tables: m.tables.len(),
    };
    translate(&env, &m.funcs[0], 0).expect("translates")
}

/// A body of a million constants summed by as many additions (an
/// operand stack a million deep) translates: every step is linear.
#[test]
fn a_million_deep_operand_stack_translates() {
    let n = 1_000_000;
    let mut body = vec![Instr::I32Const { value: 1 }; n];
    body.extend(std::iter::repeat_n(Instr::I32Add, n - 1));
    body.extend([Instr::Return, Instr::End]);
    let code = translate_body(body);
    assert!(code.max_height as usize >= n);
}

/// Writes of a local and block boundaries under an operand stack of
/// 300,000 local reads and more translate in linear time: a write looks only at the
/// values that read that local, a boundary only at what is not home yet
/// (scanning the whole stack at each took minutes here).
#[test]
fn local_writes_and_blocks_under_a_deep_stack_are_linear() {
    let n = 300_000;
    let mut body = vec![Instr::LocalGet { local: 0 }; n];
    // Each round leaves a read of local 1 that its write must home.
    for _ in 0..n {
        body.extend([
            Instr::LocalGet { local: 1 },
            Instr::LocalGet { local: 0 },
            Instr::LocalSet { local: 1 },
        ]);
    }
    for _ in 0..n {
        body.extend([
            Instr::Block {
                ty: BlockType::Empty,
            },
            Instr::End,
        ]);
    }
    body.extend(std::iter::repeat_n(Instr::Drop, 2 * n - 1));
    body.push(Instr::End);
    let code = translate_body(body);
    // Each write homes its one read of local 1 and copies local 0; the
    // first block homes the n reads of local 0; nothing else moves (two
    // copies in a row, within 16-bit slots, are one `CopyPair`).
    let copies: usize = code
        .ops
        .iter()
        .map(|i| match i.op {
            Op::Copy { .. } => 1,
            Op::CopyPair { .. } => 2,
            _ => 0,
        })
        .sum();
    assert_eq!(copies, 3 * n);
}

/// `local.get` and constants make no op: the operator reads the locals
/// and takes the constant as an immediate, and its result goes straight
/// into the local a `local.set` names.
#[test]
fn operators_read_locals_and_write_the_local_set() {
    let ops = ops_of(
        r#"(module (func (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.add (local.get 0) (local.get 1)))
            (local.set 2 (i32.sub (local.get 2) (i32.const 5)))
            (local.get 2)))"#,
    );
    assert_eq!(
        ops,
        [
            "Bin { f: I32Add, d: 2, a: 0, b: 1 }",
            "BinI { f: I32Sub, d: 2, a: 2, imm: 5 }",
            // The result is returned from the local's slot.
            "Return { base: 2 }",
        ]
    );
}

/// A 64-bit constant operand that no `i32` sign-extends to (an `f64`, a
/// large `i64`) is the op's own, as an `i32` one is: no `Const` op writes
/// it first. On the left, it is the constant only of an operator that
/// commutes.
#[test]
fn wide_constants_are_operands() {
    let ops = ops_of(
        r#"(module (func (param f64 i64) (result f64) (local i64)
            (local.set 2 (i64.add (i64.const 0x100000000) (local.get 1)))
            (f64.sub (f64.mul (local.get 0) (f64.const 2)) (f64.const 0.5))
            (f64.sub (f64.const 0.5) (local.get 0))
            (f64.add)))"#,
    );
    assert_eq!(
        ops,
        [
            "BinK { f: I64Add, d: 2, a: 1, k: 4294967296 }",
            // The product only the difference reads: through the
            // accumulator (`ACC16` in the 16-bit fields).
            format!("BinK {{ f: F64Mul, d: {ACC16}, a: 0, k: 4611686018427387904 }}").as_str(),
            format!("BinK {{ f: F64Sub, d: 3, a: {ACC16}, k: 4602678819172646912 }}").as_str(),
            "Const { d: 4, bits: 4602678819172646912 }",
            // The difference only the sum reads: through the accumulator.
            format!("Bin {{ f: F64Sub, d: {ACC}, a: 4, b: 0 }}").as_str(),
            format!("Bin {{ f: F64Add, d: 3, a: 3, b: {ACC} }}").as_str(),
            "Return { base: 3 }",
        ]
    );
}

/// A `br_if` to a loop with a parameter carries the value from the local
/// a `local.tee` wrote, moving it only when the branch is taken: the loop
/// takes two ops.
#[test]
fn a_loop_parameter_moves_only_when_the_branch_is_taken() {
    let ops = ops_of(
        r#"(module (func (param i32) (result i32)
            (local.get 0)
            (loop $l (param i32) (result i32)
              (i32.sub (i32.const 1))
              (local.tee 0)
              (br_if $l (local.get 0)))))"#,
    );
    assert_eq!(
        ops,
        [
            "Copy { d: 1, s: 0 }",
            "BinI { f: I32Sub, d: 0, a: 1, imm: 1 }",
            "JumpIfMove { c: 0, s: 0, d: 1, to: -1 }",
            "Copy { d: 1, s: 0 }",
            "Return { base: 1 }",
        ]
    );
}

/// Two copies in a row are one op, in order (`a, b = b, a + b` moves `b`
/// into `a` before the sum into `b`); a copy after a label stays apart.
#[test]
fn two_copies_in_a_row_are_one_op() {
    let ops = ops_of(
        r#"(module (func (param i64 i64) (result i64)
            (i64.add (local.get 0) (local.get 1))
            (local.set 0 (local.get 1))
            (local.set 1)
            (local.set 0 (local.get 1))
            (loop $l (local.set 1 (local.get 0)))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            "Bin { f: I64Add, d: 2, a: 0, b: 1 }",
            "CopyPair { d0: 0, s0: 1, d1: 1, s1: 2 }",
            "Copy { d: 0, s: 1 }",
            "Copy { d: 1, s: 0 }",
            "Return { base: 0 }",
        ]
    );
}

/// Paired copies run in order: a swap through the stack and the
/// Fibonacci step give what the copies one by one give.
#[test]
fn paired_copies_run_in_order() {
    use crate::{Linker, Module, Store, Value};
    let text = r#"(module
        (func (export "fib") (param $n i64) (result i64) (local $a i64) (local $b i64)
          (local.set $b (i64.const 1))
          (block $done
            (loop $l
              (br_if $done (i64.eqz (local.get $n)))
              (i64.add (local.get $a) (local.get $b))
              (local.set $a (local.get $b))
              (local.set $b)
              (local.set $n (i64.sub (local.get $n) (i64.const 1)))
              (br $l)))
          (local.get $a))
        (func (export "swap") (param i32 i32) (result i32)
          (local.get 0) (local.get 1)
          (local.set 0) (local.set 1)
          (i32.sub (local.get 0) (local.get 1))))"#;
    let module = Module::new(weft_wat::parse_module(text).expect("parses")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let fib = store.export_func(inst, "fib").expect("exported");
    let swap = store.export_func(inst, "swap").expect("exported");
    let got = store.call(fib, &[Value::I64(10)]).expect("runs");
    assert_eq!(got, [Value::I64(55)]);
    let got = store.call(fib, &[Value::I64(90)]).expect("runs");
    assert_eq!(got, [Value::I64(2_880_067_194_370_816_120)]);
    let got = store
        .call(swap, &[Value::I32(3), Value::I32(10)])
        .expect("runs");
    assert_eq!(got, [Value::I32(7)]);
}

/// A `global.get` right after a `global.set` of the same global finds
/// the value in the slot the set read, and makes no op; at another
/// height, or after a label, it reads the global.
#[test]
fn a_global_read_back_after_its_write_makes_no_op() {
    let ops = ops_of(
        r#"(module (global (mut i32) (i32.const 0))
            (func (param i32) (result i32)
              (global.set 0 (i32.add (local.get 0) (i32.const 1)))
              (global.get 0)
              (global.set 0 (i32.add (global.get 0) (i32.const 1)))
              (block)
              (global.get 0)
              (i32.add)))"#,
    );
    assert_eq!(
        ops,
        [
            "BinI { f: I32Add, d: 1, a: 0, imm: 1 }",
            "GlobalSet { s: 1, global: 0, wide: false }",
            // The first read is slot 1 itself; this one is one higher.
            "GlobalGet { d: 2, global: 0, wide: false }",
            "BinI { f: I32Add, d: 2, a: 2, imm: 1 }",
            "GlobalSet { s: 2, global: 0, wide: false }",
            "GlobalGet { d: 2, global: 0, wide: false }",
            "Bin { f: I32Add, d: 1, a: 1, b: 2 }",
            "Return { base: 1 }",
        ]
    );
}

/// A loop counting a local up to a parameter: one op steps, one tests and
/// jumps back.
#[test]
fn a_counted_loop_takes_two_ops() {
    let ops = ops_of(
        r#"(module (func (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1)))"#,
    );
    assert_eq!(
        ops,
        [
            "BinI { f: I32Add, d: 1, a: 1, imm: 1 }",
            "JumpCmp { f: I32LtU, a: 1, b: 0, to: -1 }",
            "Return { base: 1 }",
        ]
    );
}

/// A comparison with a constant on either side takes the constant as its
/// operand (`k < x` is `x > k`), and a branch on it is one op: a float
/// ordering that jumps when false (an `if` on it, or a `br_if` on its
/// `eqz`) has ops of its own, as no ordering is its negation under NaN;
/// float `eq` and `ne` negate each other.
#[test]
fn comparisons_with_a_constant_jump_in_one_op() {
    let ops = ops_of(
        r#"(module (func (param f64 i32) (result i32)
            (block $b
              (br_if $b (f64.lt (f64.const 4) (local.get 0)))
              (br_if $b (f64.ge (local.get 0) (f64.const 2.5)))
              (if (f64.lt (local.get 0) (f64.const 1))
                (then (local.set 1 (i32.const 7))))
              (if (f64.eq (local.get 0) (f64.const 1))
                (then (local.set 1 (i32.const 8))))
              (if (i32.eqz (f64.gt (local.get 0) (f64.const 4)))
                (then (local.set 1 (i32.const 9))))
              (br_if $b (i32.eqz (f64.le (local.get 0) (local.get 0)))))
            (i32.gt_u (i32.const 5) (local.get 1))))"#,
    );
    assert_eq!(
        ops,
        [
            "JumpCmpK { f: F64Gt, a: 0, k: 4616189618054758400, to: 9 }",
            "JumpCmpK { f: F64Ge, a: 0, k: 4612811918334230528, to: 8 }",
            "JumpNotOrdK { o: F64Lt, a: 0, k: 4607182418800017408, to: 2 }",
            "Const { d: 1, bits: 7 }",
            "JumpCmpK { f: F64Ne, a: 0, k: 4607182418800017408, to: 2 }",
            "Const { d: 1, bits: 8 }",
            "JumpCmpK { f: F64Gt, a: 0, k: 4616189618054758400, to: 2 }",
            "Const { d: 1, bits: 9 }",
            "JumpNotOrd { o: F64Le, a: 0, b: 0, to: 1 }",
            "BinI { f: I32LtU, d: 2, a: 1, imm: 5 }",
            "Return { base: 2 }",
        ]
    );
}

/// A value read from a local and still on the stack is saved to its home
/// before the local is overwritten.
#[test]
fn a_local_read_still_on_the_stack_is_saved_before_it_changes() {
    let ops = ops_of(
        r#"(module (func (param i32) (result i32)
            (local.get 0)
            (local.set 0 (i32.const 7))
            (i32.add (local.get 0))))"#,
    );
    assert_eq!(
        ops,
        [
            // The old value goes home (slot 1, the first stack slot)...
            "Copy { d: 1, s: 0 }",
            // ... before the local changes.
            "Const { d: 0, bits: 7 }",
            "Bin { f: I32Add, d: 1, a: 1, b: 0 }",
            "Return { base: 1 }",
        ]
    );
}

/// Loads, stores and comparisons feeding a branch are one op each.
#[test]
fn memory_and_branches_take_one_op_each() {
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32) (result i32) (local i32)
            (block $b (loop $l
              (br_if $b (i32.eqz (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (i32.load offset=8 (local.get 0))))
              (i32.store8 (local.get 0) (local.get 1))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $l)))
            (local.get 1)))"#,
    );
    assert_eq!(
        ops,
        [
            "JumpIfNot { c: 0, to: 6 }",
            // The load's result is the second stack value (slot 3).
            // The loaded value only the sum reads: through the accumulator.
            format!("Load {{ f: U32, d: {ACC}, addr: 0, offset: 8 }}").as_str(),
            format!("Bin {{ f: I32Add, d: 1, a: 1, b: {ACC} }}").as_str(),
            "Store { f: U8, addr: 0, val: 1, offset: 0 }",
            "BinI { f: I32Sub, d: 0, a: 0, imm: 1 }",
            "Jump { to: -5 }",
            "Return { base: 1 }",
        ]
    );
}

#[test]
fn frame_layout_counts_slots() {
    let code = translate_body(vec![Instr::LocalGet { local: 0 }, Instr::End]);
    assert_eq!(code.param_slots, 2);
    assert_eq!(code.local_slots, 4, "the v128 local takes two slots");
    assert_eq!(code.result_slots, 1);
    assert!(code.max_height >= 4);
}

/// A branch out of a block with a value moves it to the block's result
/// slot; a fallthrough puts it there directly.
#[test]
fn branches_are_resolved_with_their_stack_moves() {
    use Instr::*;
    // (block (result i32) (i32.const 1) (i32.const 2) (br_if 0 (local.get 0)) drop)
    let code = translate_body(vec![
        Block {
            ty: BlockType::Val(ValType::I32),
        },
        I32Const { value: 1 },
        I32Const { value: 2 },
        LocalGet { local: 0 },
        BrIf { label: 0 },
        Drop,
        End,
        End,
    ]);
    let ops: Vec<String> = code.ops.iter().map(|i| format!("{:?}", i.op)).collect();
    assert_eq!(
        ops,
        [
            // The value the branch keeps goes home (slot 5, its stack
            // position) before the branch...
            "Const { d: 5, bits: 2 }",
            // ... which, taken, moves it to the block's result slot 4.
            "BrIf { c: 0, target: 0 }",
            // Not taken, the block's own result is written there at its
            // end.
            "Const { d: 4, bits: 1 }",
            "Return { base: 4 }",
        ]
    );
    assert_eq!(
        code.targets[..],
        [Target {
            to: 3,
            src: 5,
            dst: 4,
            n: 1
        }]
    );
}

#[test]
fn dead_code_is_skipped() {
    use Instr::*;
    let code = translate_body(vec![
        LocalGet { local: 0 },
        Return,
        I32Add,
        Block {
            ty: BlockType::Empty,
        },
        Drop,
        End,
        End,
    ]);
    // The return, and the function's final return.
    assert_eq!(code.ops.len(), 2, "{:?}", code.ops);
}

/// Every op carries the handler the executor gives it.
#[test]
fn ops_carry_their_handlers() {
    let code = translate_body(vec![
        Instr::LocalGet { local: 0 },
        Instr::LocalGet { local: 1 },
        Instr::I32Mul,
        Instr::End,
    ]);
    for inst in code.ops.iter() {
        assert_eq!(inst.handler, crate::interpreter::exec::handler_of(&inst.op));
    }
    assert_eq!(code.entry, code.ops[0].handler);
}

/// A code of `op` then `Return`, with frames `max_height` slots high.
fn code_of(op: Op, max_height: u32) -> Code {
    let ret = Op::Return { base: 0 };
    Code {
        entry: HandlerPtr(0),
        ops: [op, ret]
            .into_iter()
            .map(|op| Inst {
                handler: HandlerPtr(0),
                op,
            })
            .collect(),
        instrs: vec![0, 1].into_boxed_slice(),
        func: 0,
        targets: Box::new([]),
        handlers: Box::new([]),
        casts: Box::new([]),
        param_slots: 0,
        local_slots: 0,
        result_slots: 0,
        max_height,
    }
}

/// One op of every shape, and of the operator families one per operator,
/// all fields 0.
fn every_op() -> Vec<Op> {
    let mut ops = vec![
        Op::Unreachable,
        Op::Jump { to: 0 },
        Op::JumpIf { c: 0, to: 0 },
        Op::JumpIfMove {
            c: 0,
            s: 0,
            d: 0,
            to: 0,
        },
        Op::JumpIfNot { c: 0, to: 0 },
        Op::Return { base: 0 },
        Op::Call { func: 0, base: 0 },
        Op::CallIndirect {
            ty: 0,
            base: 0,
            index: 0,
            table: 0,
        },
        Op::ReturnCall { func: 0, base: 0 },
        Op::ReturnCallIndirect {
            ty: 0,
            base: 0,
            index: 0,
            table: 0,
        },
        Op::CallRef { base: 0, r: 0 },
        Op::ReturnCallRef { base: 0, r: 0 },
        Op::Throw { tag: 0, base: 0 },
        Op::ThrowRef { r: 0 },
        Op::Rethrow { off: 0 },
        Op::Copy { d: 0, s: 0 },
        Op::CopyPair {
            d0: 0,
            s0: 0,
            d1: 0,
            s1: 0,
        },
        Op::Copy2 { d: 0, s: 0 },
        Op::Const { d: 0, bits: 0 },
        Op::Select { at: 0, w: 1 },
        Op::SelectR {
            d: 0,
            a: 0,
            b: 0,
            c: 0,
        },
        Op::Select { at: 0, w: 2 },
        Op::GlobalGet {
            d: 0,
            global: 0,
            wide: true,
        },
        Op::GlobalSet {
            s: 0,
            global: 0,
            wide: false,
        },
        Op::RefFunc { d: 0, func: 0 },
        Op::V128Load {
            d: 0,
            addr: 0,
            offset: 0,
        },
        Op::V128Store {
            addr: 0,
            val: 0,
            offset: 0,
        },
        Op::Num {
            instr: Box::new(Instr::I32Add),
            top: 0,
        },
    ];
    for &f in BinFn::ALL {
        ops.push(Op::Bin {
            f,
            d: 0,
            a: 0,
            b: 0,
        });
        ops.push(Op::BinI {
            f,
            d: 0,
            a: 0,
            imm: 0,
        });
        ops.push(Op::ImmBin {
            f,
            d: 0,
            imm: 0,
            b: 0,
        });
        ops.push(Op::BinK {
            f,
            d: 0,
            a: 0,
            k: 0,
        });
        ops.push(Op::JumpCmp {
            f,
            a: 0,
            b: 0,
            to: 0,
        });
        ops.push(Op::JumpCmpI {
            f,
            a: 0,
            imm: 0,
            to: 0,
        });
        ops.push(Op::JumpCmpK {
            f,
            a: 0,
            k: 0,
            to: 0,
        });
    }
    for o in FloatOrd::ALL {
        ops.push(Op::JumpNotOrd {
            o,
            a: 0,
            b: 0,
            to: 0,
        });
        ops.push(Op::JumpNotOrdK {
            o,
            a: 0,
            k: 0,
            to: 0,
        });
    }
    ops.extend(UnFn::ALL.iter().map(|&f| Op::Un { f, d: 0, a: 0 }));
    ops.extend(TrapFn::ALL.iter().map(|&f| Op::Trapping {
        f,
        d: 0,
        a: 0,
        b: 0,
    }));
    ops.extend(LoadFn::ALL.iter().map(|&f| Op::Load {
        f,
        d: 0,
        addr: 0,
        offset: 0,
    }));
    ops.extend(StoreFn::ALL.iter().map(|&f| Op::Store {
        f,
        addr: 0,
        val: 0,
        offset: 0,
    }));
    ops.extend(SimdBinFn::ALL.iter().map(|&f| Op::SimdBin {
        f,
        d: 0,
        a: 0,
        b: 0,
    }));
    ops
}

/// `in_bounds` accepts every op with room for the slots it names and
/// rejects every op that names a slot when the frame has none; ops naming
/// no slot pass either way.
#[test]
fn in_bounds_checks_every_op_by_the_slots_it_names() {
    let names_no_slot = |op: &Op| {
        matches!(
            op,
            Op::Unreachable
                | Op::Jump { .. }
                | Op::Call { .. }
                | Op::ReturnCall { .. }
                | Op::Throw { .. }
                | Op::Num { .. }
        ) || matches!(op, Op::Return { .. })
    };
    let ops = every_op();
    assert!(ops.len() > 200, "{}", ops.len());
    for op in ops {
        assert!(in_bounds(&code_of(op.clone(), 5)), "{op:?}");
        let no_room = in_bounds(&code_of(op.clone(), 0));
        assert_eq!(no_room, names_no_slot(&op), "{op:?}");
    }
    // A wide op needs its second slot too.
    let copy2 = Op::Copy2 { d: 0, s: 1 };
    assert!(in_bounds(&code_of(copy2.clone(), 3)));
    assert!(!in_bounds(&code_of(copy2, 2)));
    let bin = Op::Bin {
        f: BinFn::I32Add,
        d: 0,
        a: 1,
        b: 7,
    };
    assert!(!in_bounds(&code_of(bin, 7)));
}

/// Ops that name table entries are checked against the tables, and jumps
/// against the code.
#[test]
fn in_bounds_checks_table_indices_and_jumps() {
    let table = Op::BrTable {
        index: 0,
        start: 0,
        len: 1,
    };
    assert!(!in_bounds(&code_of(table, 1)));
    let cast = Op::BrOnCast {
        r: 0,
        target: 0,
        cast: 0,
        fail: false,
    };
    assert!(!in_bounds(&code_of(cast, 1)));
    assert!(!in_bounds(&code_of(Op::Br { target: 0 }, 1)));
    assert!(!in_bounds(&code_of(Op::Jump { to: 2 }, 1)));
    assert!(in_bounds(&code_of(Op::Jump { to: 1 }, 1)));
    // The last op must return.
    let mut code = code_of(Op::Unreachable, 1);
    code.ops[1].op = Op::Jump { to: 0 };
    assert!(!in_bounds(&code));
}

/// The float-ordering jumps run as the comparisons do: a NaN operand makes
/// every ordering false, so each `if` on one takes its `else`, and `eqz`
/// of one is true.
#[test]
fn float_ordering_jumps_treat_nan_as_false() {
    use crate::{Linker, Module, Store, Value};
    let text = r#"(module
        (func (export "f") (param f64 f64) (result i32) (local i32)
          (if (f64.lt (local.get 0) (f64.const 1)) (then (local.set 2 (i32.const 1))))
          (if (f64.ge (local.get 0) (local.get 1))
            (then (local.set 2 (i32.or (local.get 2) (i32.const 2)))))
          (block $b
            (br_if $b (i32.eqz (f64.gt (local.get 0) (f64.const 4))))
            (local.set 2 (i32.or (local.get 2) (i32.const 4))))
          (local.get 2)))"#;
    let module = Module::new(weft_wat::parse_module(text).expect("parses")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = store.export_func(inst, "f").expect("exported");
    let mut run = |a: f64, b: f64| {
        store
            .call(
                f,
                &[
                    Value::F64(weft_ast::Ieee64(a.to_bits())),
                    Value::F64(weft_ast::Ieee64(b.to_bits())),
                ],
            )
            .expect("runs")
    };
    assert_eq!(run(0.5, 0.0), [Value::I32(1 | 2)]);
    assert_eq!(run(5.0, 6.0), [Value::I32(4)]);
    assert_eq!(run(f64::NAN, 0.0), [Value::I32(0)]);
    assert_eq!(run(0.5, f64::NAN), [Value::I32(1)]);
}

/// Scalar loads and stores of every width reach the last bytes of memory
/// 0 and trap one byte further, with and without an offset, at an address
/// whose sum with the offset passes 32 bits, and on a memory shorter than
/// the access (pages of one byte): each width's bound is its own.
#[test]
fn scalar_accesses_are_in_bounds_to_the_last_byte() {
    use crate::trap::{Error, Trap};
    use crate::{Linker, Module, Store, Value};
    let run = |text: &str, calls: &[(&str, u32, Option<u64>)]| {
        let ast = weft_wat::parse_module(text).expect("parses");
        let module = Module::with_features(ast, weft_ast::Features::ALL).expect("valid");
        let mut store = Store::new();
        let inst = Linker::new()
            .instantiate(&mut store, &module)
            .expect("instantiates");
        for &(name, addr, want) in calls {
            let f = store.export_func(inst, name).expect("exported");
            let got = store.call(f, &[Value::I32(addr as i32)]);
            match want {
                Some(v) => assert_eq!(got, Ok(vec![Value::I64(v as i64)]), "{name}({addr})"),
                None => assert_eq!(
                    got,
                    Err(Error::Trap(Trap::OutOfBoundsMemoryAccess)),
                    "{name}({addr})"
                ),
            }
        }
    };
    // Each function stores a pattern of its width at the address, then
    // loads it back (zero-extended to i64).
    let funcs = r#"
        (func (export "w8") (param i32) (result i64)
          (i32.store8 (local.get 0) (i32.const 0xa1))
          (i64.extend_i32_u (i32.load8_u (local.get 0))))
        (func (export "w16") (param i32) (result i64)
          (i32.store16 (local.get 0) (i32.const 0xa1b2))
          (i64.extend_i32_u (i32.load16_u (local.get 0))))
        (func (export "w32") (param i32) (result i64)
          (i32.store (local.get 0) (i32.const 0xa1b2c3d4))
          (i64.extend_i32_u (i32.load (local.get 0))))
        (func (export "w64") (param i32) (result i64)
          (i64.store (local.get 0) (i64.const 0x0102030405060708))
          (i64.load (local.get 0)))
        (func (export "r32") (param i32) (result i64)
          (i64.load32_u offset=65532 (local.get 0)))
        (func (export "r16") (param i32) (result i64)
          (i64.load16_s offset=0xffffffff (local.get 0)))"#;
    let page = 65_536;
    let mut calls = Vec::new();
    for (name, w, v) in [
        ("w8", 1, 0xa1),
        ("w16", 2, 0xa1b2),
        ("w32", 4, 0xa1b2_c3d4),
        ("w64", 8, 0x0102_0304_0506_0708),
    ] {
        calls.extend([
            (name, 0, Some(v)),
            (name, page - w, Some(v)),
            (name, page - w + 1, None),
            (name, page, None),
            (name, u32::MAX, None),
        ]);
    }
    calls.extend([
        ("r32", 0, Some(0x0102_0304)),
        ("r32", 1, None),
        ("r16", 0, None),
    ]);
    run(&format!("(module (memory 1) {funcs})"), &calls);
    // A memory of one byte: only the one-byte access fits.
    run(
        &format!("(module (memory 1 (pagesize 1)) {funcs})"),
        &[
            ("w8", 0, Some(0xa1)),
            ("w8", 1, None),
            ("w16", 0, None),
            ("w32", 0, None),
            ("w64", 0, None),
        ],
    );
}

/// `global.get` and `global.set` of one-slot and `v128` globals (whose
/// handlers differ by width) move every slot they own and no other: a
/// vector global keeps both halves, its neighbours stay as they were.
#[test]
fn globals_of_each_width_move_their_own_slots() {
    use crate::{Linker, Module, Store, Value};
    // `set` computes the vector low in its frame; `get` reads it above
    // its locals, into slots that `set` never wrote.
    let text = r#"(module
        (global $a (mut i64) (i64.const 7))
        (global $v (mut v128) (v128.const i64x2 1 2))
        (global $b (mut i64) (i64.const 9))
        (func (export "set") (param i64 i64)
          (global.set $v (i64x2.replace_lane 1
            (i64x2.splat (local.get 0)) (local.get 1)))
          (global.set $a (i64.add (global.get $a) (local.get 0))))
        (func (export "get") (result i64 i64 i64 i64)
          (local i64 i64 i64 i64 i64 i64)
          (i64x2.extract_lane 1 (global.get $v))
          (i64x2.extract_lane 0 (global.get $v))
          (global.get $a)
          (global.get $b)))"#;
    let module = Module::new(weft_wat::parse_module(text).expect("parses")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let set = store.export_func(inst, "set").expect("exported");
    let get = store.export_func(inst, "get").expect("exported");
    let mut round = |a: i64, b: i64| {
        store
            .call(set, &[Value::I64(a), Value::I64(b)])
            .expect("runs");
        store.call(get, &[]).expect("runs")
    };
    assert_eq!(round(-3, 1 << 40), [1 << 40, -3, 4, 9].map(Value::I64));
    assert_eq!(round(5, 6), [6, 5, 9, 9].map(Value::I64));
}

/// A constant on the left of an operator that neither commutes nor has a
/// mirror is the op's immediate (`ImmBin`), not a `Const` written first;
/// it computes what the operator does with the operands in that order.
#[test]
fn a_constant_on_the_left_is_an_immediate() {
    let ops = ops_of(
        r#"(module (func (param i32 i64) (result i32)
            (local.set 0 (i32.sub (i32.const 0) (local.get 0)))
            (local.set 1 (i64.shl (i64.const -2) (local.get 1)))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            "ImmBin { f: I32Sub, d: 0, imm: 0, b: 0 }",
            "ImmBin { f: I64Shl, d: 1, imm: -2, b: 1 }",
            "Return { base: 0 }",
        ]
    );
    use crate::{Linker, Module, Store, Value};
    let text = r#"(module
        (func (export "i32") (param i32) (result i32 i32 i32 i32)
          (i32.sub (i32.const 5) (local.get 0))
          (i32.shl (i32.const 1) (local.get 0))
          (i32.shr_s (i32.const -64) (local.get 0))
          (i32.rotl (i32.const 0x80000001) (local.get 0)))
        (func (export "i64") (param i64) (result i64 i64 i64)
          (i64.sub (i64.const -7) (local.get 0))
          (i64.shr_u (i64.const -1) (local.get 0))
          (i64.rotr (i64.const 1) (local.get 0)))
        (func (export "f32") (param f32) (result f32 f32)
          (f32.sub (f32.const -1.5) (local.get 0))
          (f32.div (f32.const 3) (local.get 0))))"#;
    let module = Module::new(weft_wat::parse_module(text).expect("parses")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = store.export_func(inst, "i32").expect("exported");
    let got = store.call(f, &[Value::I32(3)]).expect("runs");
    let want = [2, 8, -8, 0x0000_000c].map(Value::I32);
    assert_eq!(got, want);
    let f = store.export_func(inst, "i64").expect("exported");
    let got = store.call(f, &[Value::I64(4)]).expect("runs");
    assert_eq!(got, [-11, 0x0fff_ffff_ffff_ffff, 1 << 60].map(Value::I64));
    let f = store.export_func(inst, "f32").expect("exported");
    let got = store
        .call(f, &[Value::F32(weft_ast::Ieee32(2.0f32.to_bits()))])
        .expect("runs");
    let want = [-3.5f32, 1.5].map(|x| Value::F32(weft_ast::Ieee32(x.to_bits())));
    assert_eq!(got, want);
}

/// A `select` of one-slot values reads them where they are (locals, a
/// constant written home) and writes its result into the local a
/// `local.set` names; a `v128` one takes its operands home.
#[test]
fn a_select_reads_its_operands_where_they_are() {
    let ops = ops_of(
        r#"(module (func (param i32 i32) (result i32) (local i32 v128)
            (local.set 2 (select (local.get 0) (local.get 1) (local.get 1)))
            (local.set 3 (select (local.get 3) (local.get 3) (local.get 0)))
            (select (i32.const 7) (local.get 2) (local.get 0))))"#,
    );
    assert_eq!(
        ops,
        [
            "SelectR { d: 2, a: 0, b: 1, c: 1 }",
            "Copy2 { d: 5, s: 3 }",
            "Copy2 { d: 7, s: 3 }",
            "Copy { d: 9, s: 0 }",
            "Select { at: 5, w: 2 }",
            "Copy2 { d: 3, s: 5 }",
            "Const { d: 5, bits: 7 }",
            "SelectR { d: 5, a: 5, b: 2, c: 0 }",
            "Return { base: 5 }",
        ]
    );
    use crate::{Linker, Module, Store, Value};
    let text = r#"(module
        (func (export "f") (param i32 i64 i64) (result i64 i32 i32)
          (select (local.get 1) (local.get 2) (local.get 0))
          (select (i32.const 7) (i32.const -1) (local.get 0))
          (select (i32.wrap_i64 (local.get 2)) (i32.const 9) (i32.eqz (local.get 0)))))"#;
    let module = Module::new(weft_wat::parse_module(text).expect("parses")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = store.export_func(inst, "f").expect("exported");
    let mut run = |c: i32| {
        store
            .call(f, &[Value::I32(c), Value::I64(-5), Value::I64(1 << 33 | 4)])
            .expect("runs")
    };
    assert_eq!(run(1), [Value::I64(-5), Value::I32(7), Value::I32(9)]);
    assert_eq!(
        run(0),
        [Value::I64(1 << 33 | 4), Value::I32(-1), Value::I32(4)]
    );
    assert_eq!(run(-8), [Value::I64(-5), Value::I32(7), Value::I32(9)]);
}

/// The indices the runtime looks up are still checked without validation
/// (`checks.rs`), where they enter the code rather than at every
/// instruction: each of these bodies, in a module with one memory, no
/// table and no segment, is rejected rather than translated.
#[test]
fn indices_the_runtime_looks_up_are_checked_where_they_enter() {
    let m0 = weft_ast::MemArg {
        memory: 1,
        ..weft_ast::MemArg::default()
    };
    let bodies = [
        vec![Instr::MemorySize { mem: 1 }, Instr::Drop],
        vec![
            Instr::I32Const { value: 0 },
            Instr::I32Load { memarg: m0 },
            Instr::Drop,
        ],
        vec![
            Instr::I32Const { value: 0 },
            Instr::TableGet { table: 0 },
            Instr::Drop,
        ],
        vec![Instr::DataDrop { data: 0 }],
        vec![Instr::RefFunc { func: 1 }, Instr::Drop],
        vec![
            Instr::I32Const { value: 0 },
            Instr::CallIndirect { ty: 0, table: 0 },
        ],
    ];
    for mut body in bodies {
        body.extend([Instr::I32Const { value: 0 }, Instr::End]);
        let mut m = Module::default();
        let ty = FuncType {
            params: vec![],
            results: vec![ValType::I32],
        };
        m.push_rec_group([SubType::plain(CompositeType::Func(ty))], false);
        let body = m.push_expr(body);
        m.funcs.push(Func {
            ty: 0,
            locals: vec![],
            body,
        });
        let env = Env {
            module: &m,
            func_types: &[0],
            globals: &[],
            memories: &[AddrType::I32],
            tags: &[],
            tables: 0,
        };
        let r = translate(&env, &m.funcs[0], 0);
        assert!(
            matches!(r, Err(Error::Invalid("index out of range"))),
            "{:?}",
            r.err()
        );
    }
}

/// A value that one operator computes and only the next reads goes
/// between them in the accumulator (`ACC`), whichever operand it is; a
/// chain of them passes it on, and the last result goes where it is
/// kept.
#[test]
fn a_value_for_the_next_op_only_goes_through_the_accumulator() {
    let ops = ops_of(
        r#"(module (func (param i32 i32) (result i32) (local i32)
            (local.set 2
              (i32.sub (local.get 1)
                (i32.xor (i32.add (i32.mul (local.get 0) (local.get 1)) (i32.const 7))
                         (local.get 0))))
            (local.get 2)))"#,
    );
    let acc = ACC;
    assert_eq!(
        ops,
        [
            format!("Bin {{ f: I32Mul, d: {acc}, a: 0, b: 1 }}"),
            format!("BinI {{ f: I32Add, d: {acc}, a: {acc}, imm: 7 }}"),
            format!("Bin {{ f: I32Xor, d: {acc}, a: {acc}, b: 0 }}"),
            // The second operand, of an operator that does not commute.
            format!("Bin {{ f: I32Sub, d: 2, a: 1, b: {acc} }}"),
            "Return { base: 2 }".to_string(),
        ]
    );
    let code = translated(
        r#"(module (func (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 1)))
            (local.get 2)))"#,
    );
    assert!(in_bounds(&code));
}

/// No value goes through the accumulator to an op that a branch enters
/// (the loop's head here), nor to an op without an accumulator form (the
/// `i32.div_s`, which may trap); a load takes its address from it and
/// leaves its value there.
#[test]
fn the_accumulator_is_not_live_across_a_label_or_into_other_ops() {
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (i32.add (local.get 0) (local.get 1))
            (loop $l (param i32) (result i32)
              (i32.mul (local.get 1))
              (br_if $l (local.get 0)))
            (i32.div_s (i32.mul (local.get 0) (local.get 1)))
            (i32.load (i32.and (local.get 0) (local.get 1)))
            (i32.add)
            (i32.xor (local.get 1))))"#,
    );
    assert_eq!(
        ops,
        [
            "Bin { f: I32Add, d: 2, a: 0, b: 1 }",
            "Bin { f: I32Mul, d: 2, a: 2, b: 1 }",
            "JumpIf { c: 0, to: -1 }",
            "Bin { f: I32Mul, d: 3, a: 0, b: 1 }",
            "Trapping { f: I32DivS, d: 2, a: 2, b: 3 }",
            format!("Bin {{ f: I32And, d: {ACC}, a: 0, b: 1 }}").as_str(),
            format!("Load {{ f: U32, d: {ACC}, addr: {ACC}, offset: 0 }}").as_str(),
            format!("Bin {{ f: I32Add, d: {ACC}, a: 2, b: {ACC} }}").as_str(),
            format!("Bin {{ f: I32Xor, d: 2, a: {ACC}, b: 1 }}").as_str(),
            "Return { base: 2 }",
        ]
    );
}

/// A store takes its address or its value from the accumulator, and a
/// conditional jump its condition.
#[test]
fn stores_and_jumps_read_the_accumulator() {
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (i32.store (i32.add (local.get 0) (i32.const 4)) (local.get 1))
            (i32.store (local.get 0) (i32.mul (local.get 1) (local.get 1)))
            (block (br_if 0 (i32.and (local.get 0) (local.get 1))))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            format!("BinI {{ f: I32Add, d: {ACC}, a: 0, imm: 4 }}"),
            format!("Store {{ f: U32, addr: {ACC}, val: 1, offset: 0 }}"),
            format!("Bin {{ f: I32Mul, d: {ACC}, a: 1, b: 1 }}"),
            format!("Store {{ f: U32, addr: 0, val: {ACC}, offset: 0 }}"),
            format!("Bin {{ f: I32And, d: {ACC}, a: 0, b: 1 }}"),
            format!("JumpIf {{ c: {ACC}, to: 1 }}"),
            "Return { base: 0 }".to_string(),
        ]
    );
}

/// The ops with a 64-bit constant and 16-bit slots take the accumulator
/// as `ACC16`: an operand of a comparison fused into a jump, the operand
/// and the result of an operator.
#[test]
fn ops_with_a_wide_constant_use_the_accumulator() {
    let ops = ops_of(
        r#"(module (func (param f64 f64) (result i32)
            (block
              (br_if 0 (f64.gt
                (f64.add (f64.mul (local.get 0) (local.get 0))
                         (f64.mul (local.get 1) (local.get 1)))
                (f64.const 4))))
            (f64.lt (f64.sub (f64.mul (local.get 0) (f64.const 2)) (f64.const 0.5))
                    (local.get 1))))"#,
    );
    let (acc, acc16) = (ACC, ACC16);
    assert_eq!(
        ops,
        [
            "Bin { f: F64Mul, d: 2, a: 0, b: 0 }".to_string(),
            format!("Bin {{ f: F64Mul, d: {acc}, a: 1, b: 1 }}"),
            format!("Bin {{ f: F64Add, d: {acc}, a: 2, b: {acc} }}"),
            format!("JumpCmpK {{ f: F64Gt, a: {acc16}, k: 4616189618054758400, to: 1 }}"),
            format!("BinK {{ f: F64Mul, d: {acc16}, a: 0, k: 4611686018427387904 }}"),
            format!("BinK {{ f: F64Sub, d: {acc16}, a: {acc16}, k: 4602678819172646912 }}"),
            format!("Bin {{ f: F64Lt, d: 2, a: {acc}, b: 1 }}"),
            "Return { base: 2 }".to_string(),
        ]
    );
}
