//! The translator's output on typical code: which ops it makes, and that
//! fusion keeps the meaning.

use super::*;
use weft_ast::{CompositeType, SubType};

/// Translates one function of type `[i32 i32] -> [i32]` with `body`.
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
    };
    translate(&env, &m.funcs[0], 0).expect("translates")
}

/// The ops of the first function of a text module.
fn ops_of(text: &str) -> Vec<String> {
    let m = weft_parser::parse(&wat::parse_str(text).expect("wat")).expect("parses");
    let env = Env {
        module: &m,
        func_types: &[0],
        globals: &[],
        memories: &[AddrType::I32],
        tags: &[],
    };
    let code = translate(&env, &m.funcs[0], 0).expect("translates");
    code.ops
        .iter()
        .map(|o| {
            let s = format!("{o:?}");
            s.split([' ', '(']).next().unwrap_or_default().to_string()
        })
        .collect()
}

/// The ops of the first function of a text module, as `Debug` shows
/// them.
fn debug_ops(text: &str) -> Vec<String> {
    let m = weft_parser::parse(&wat::parse_str(text).expect("wat")).expect("parses");
    let env = Env {
        module: &m,
        func_types: &[0],
        globals: &[],
        memories: &[AddrType::I32],
        tags: &[],
    };
    let code = translate(&env, &m.funcs[0], 0).expect("translates");
    code.ops.iter().map(|o| format!("{o:?}")).collect()
}

/// The operand a fused op takes from a `local.get` is looked for among
/// the last few ops only: a scan back over the whole body for every
/// operator made translation quadratic in the operand stack's depth.
#[test]
fn operand_producers_are_looked_for_a_bounded_way_back() {
    // `local.get 0`, then a pure expression of `n` constant additions,
    // then the operator taking both.
    let body = |n: usize| {
        let mut body = vec![Instr::LocalGet { local: 0 }, Instr::I32Const { value: 1 }];
        for _ in 0..n {
            body.extend([Instr::I32Const { value: 1 }, Instr::I32Add]);
        }
        body.extend([Instr::I32Add, Instr::Return, Instr::End]);
        body
    };
    // Whether the last operator reads local 0 itself (an `LR` shape:
    // `BinLR`, or its specialized `I32AddLR...` forms).
    let reads_the_local = |n: usize| {
        let code = translate_body(body(n));
        let ops: Vec<String> = code.ops.iter().map(|o| format!("{o:?}")).collect();
        (ops.iter().any(|o| o.contains("LR")), ops)
    };
    // A few ops back: the local is read by the operator itself.
    let (yes, ops) = reads_the_local(3);
    assert!(yes, "{ops:?}");
    // Beyond the window: the operator takes both operands from the stack.
    let (yes, ops) = reads_the_local(PRODUCER_WINDOW + 4);
    assert!(!yes, "{ops:?}");
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

#[test]
fn typical_loops_take_few_ops() {
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32) (result i32) (local i32 i32)
            (block $b (loop $l
              (br_if $b (i32.eqz (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (i32.xor (local.get 0) (i32.const 0x55))))
              (i32.store (local.get 1) (i32.add (i32.load (local.get 1)) (local.get 2)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $l)))
            (local.get 1)))"#,
    );
    assert_eq!(
        ops,
        [
            // The jump back is the head's exit test, inverted.
            "JumpIfL",
            // An accumulator pair: the xor hands its result to the add
            // in a register.
            "I32XorLCAcc",
            "I32AddAccLRSet",
            "LoadLU32",
            "I32AddL",
            "StoreLU32",
            "I32SubLCSet",
            "JumpIfL",
            "ReturnLocal",
            "Return"
        ]
    );
}

#[test]
fn accumulator_pairs_form_only_where_no_branch_lands_between() {
    // `h = (h ^ x) * c`: the xor hands its result to the multiply.
    let ops = ops_of(
        r#"(module (func (param i32) (result i32) (local i32)
            (local.set 1 (i32.mul (i32.xor (local.get 1) (local.get 0)) (i32.const 7)))
            (local.get 1)))"#,
    );
    assert_eq!(
        ops,
        ["I32XorLLAcc", "I32MulAccCSet", "ReturnLocal", "Return"]
    );
    // The multiply heads a loop, which a branch reaches with a value
    // from elsewhere: no pair.
    let ops = ops_of(
        r#"(module (func (param i32) (result i32) (local i32)
            local.get 0
            i32.const 5
            i32.xor
            loop $l (param i32)
              i32.const 3
              i32.mul
              local.set 1
              (br_if $l (local.get 1) (i32.lt_u (local.get 1) (i32.const 100)))
              drop
            end
            local.get 1))"#,
    );
    assert!(ops.contains(&"I32XorLC".to_string()), "{ops:?}");
    assert!(ops.contains(&"I32MulCSet".to_string()), "{ops:?}");
}

#[test]
fn a_load_into_a_local_hands_it_to_the_jump_that_tests_it() {
    // `t = a[j]; if (t < pivot) ...` and `if (pivot > t)`: the load
    // sets `t` and hands it over; the second jump's comparison is
    // mirrored to take the accumulator as its left operand.
    let text = |test: &str| {
        format!(
            r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
                (local.set 2 (i32.load (i32.shl (local.get 0) (i32.const 2))))
                (if {test} (then (return (i32.const 1))))
                (local.get 2)))"#
        )
    };
    for (test, jump) in [
        (
            "(i32.lt_s (local.get 2) (local.get 1))",
            "I32GeSAccJumpLL(JumpLL { a: 2, b: 1, to: 4 })",
        ),
        (
            "(i32.gt_u (local.get 1) (local.get 2))",
            "I32GeUAccJumpLL(JumpLL { a: 2, b: 1, to: 4 })",
        ),
    ] {
        let ops = debug_ops(&text(test));
        assert_eq!(
            ops[..2],
            [
                "LoadLSetAccU32(LoadLSet { shift: 2, a: 0, offset: 0, d: 2 })",
                jump
            ],
            "{test}"
        );
    }
    // A test of another local, or one that a branch reaches: no pair.
    let ops = ops_of(&text("(i32.lt_s (local.get 0) (local.get 1))"));
    assert_eq!(ops[..2], ["LoadLSetU32", "I32GeSJumpLL"]);
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
            (block $b
              (br_if $b (local.get 1))
              (local.set 2 (i32.load (local.get 0))))
            (if (i32.lt_s (local.get 2) (local.get 1)) (then (return (i32.const 1))))
            (local.get 2)))"#,
    );
    assert!(ops.contains(&"LoadLSetU32".to_string()), "{ops:?}");
    assert!(!ops.iter().any(|o| o.contains("Acc")), "{ops:?}");
}

#[test]
fn an_operator_takes_a_loaded_operand_in_one_op() {
    // `h ^ a[i]` pushed, `sum += a[i]` into a local, and an LCG step:
    // one op each.
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i64)
            (local.set 2 (i64.add (local.get 2) (i64.load8_u offset=3 (local.get 0))))
            (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 1103515245)) (i32.const 12345)))
            (i32.xor (local.get 1) (i32.load (i32.shl (local.get 0) (i32.const 2))))))"#,
    );
    assert_eq!(
        ops,
        [
            "I64AddLLoadSetU8(LLoadSet { a: 2, b: 0, d: 2, shift: 0, offset: 3 })",
            "I32MulAddLCCSet { a: 1, d: 1, c1: 1103515245, c2: 12345 }",
            // Its result goes to the return in the accumulator.
            "I32XorLLoadAccU32(LLoad { a: 1, b: 0, shift: 2, offset: 0 })",
            "ReturnAcc",
        ]
    );
    // `h = (h ^ a[i]) * c`: the loaded operand's result goes to the
    // multiply in the accumulator.
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (local.set 1 (i32.mul (i32.xor (local.get 1) (i32.load8_u (local.get 0))) (i32.const 7)))
            (local.get 1)))"#,
    );
    assert_eq!(
        ops,
        ["I32XorLLoadAccU8", "I32MulAccCSet", "ReturnLocal", "Return"]
    );
    // No specialized op for a multiply by a loaded value: the load and
    // the operator stay apart.
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (i32.mul (local.get 1) (i32.load (local.get 0)))))"#,
    );
    assert_eq!(ops, ["LoadLU32", "I32MulLRAcc", "ReturnAcc"]);
}

#[test]
fn a_store_of_a_shifted_local_is_one_op() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32)
            (i32.store8 offset=1 (local.get 0) (i32.shr_u (local.get 1) (i32.const 16)))
            (i32.store (local.get 0) (i32.shr_s (local.get 1) (i32.const 8)))
            (i32.store (i32.shl (local.get 0) (i32.const 2)) (i32.shr_s (local.get 1) (i32.const 8)))
            (i32.store8 (local.get 0) (i32.mul (local.get 1) (i32.const 3)))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops[..2],
        [
            "I32ShrUStoreLBinU8(StoreLBin { a: 0, v: 1, c: 16, offset: 1 })",
            "I32ShrSStoreLBinU32(StoreLBin { a: 0, v: 1, c: 8, offset: 0 })",
        ]
    );
    // A scaled address, or an operator without such an op: two ops
    // (an accumulator pair).
    let names: Vec<&str> = ops[2..6]
        .iter()
        .map(|o| o.split(['(', ' ']).next().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["I32ShrSLCAcc", "StoreLAccU32", "I32MulLCAcc", "StoreLAccU8"]
    );
}

#[test]
fn a_local_returned_right_away_is_returned_from_its_slot() {
    let ops = ops_of(
        r#"(module (func (param i32) (result i32)
            (if (i32.lt_u (local.get 0) (i32.const 2)) (then (return (local.get 0))))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            "I32GeUJumpLC",
            "ReturnLocal",
            "Return",
            "ReturnLocal",
            "Return"
        ]
    );
    // Not with two results.
    let ops = ops_of(r#"(module (func (param i32) (result i32 i32) (local.get 0) (local.get 0)))"#);
    assert_eq!(ops, ["LocalGet", "LocalGet", "Return"]);
}

#[test]
fn a_counted_loop_steps_and_tests_in_one_op() {
    let text = r#"(module (memory 1) (func (param i32) (result i32) (local i32)
        (block $b (loop $l
          (br_if $b (i32.ge_u (local.get 1) (local.get 0)))
          (i32.store8 (local.get 1) (i32.const 1))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br $l)))
        (local.get 1)))"#;
    let ops = debug_ops(text);
    assert_eq!(
        ops,
        [
            "I32GeUJumpLL(JumpLL { a: 1, b: 0, to: 4 })",
            "StoreLCU8(StoreLC { shift: 0, a: 1, offset: 0, c: 1 })",
            // Adds 1 to local 1 and jumps back while it is below local
            // 0; falling through skips the next op, the unfused test.
            "I32AddJumpLtU(Step { x: 1, b: 0, c: 1, to: 1 })",
            "I32LtUJumpLL(JumpLL { a: 1, b: 0, to: 1 })",
            "ReturnLocal { off: 1 }",
            "Return",
        ]
    );
    // A branch to the test keeps the step apart.
    let ops = ops_of(
        r#"(module (func (param i32) (result i32) (local i32)
            (block $b (loop $l
              (br_if $b (i32.ge_s (local.get 1) (local.get 0)))
              (if (local.get 0) (then (local.set 1 (i32.add (local.get 1) (i32.const 2)))))
              (br $l)))
            (local.get 1)))"#,
    );
    assert!(!ops.iter().any(|o| o.starts_with("I32AddJump")), "{ops:?}");
}

#[test]
fn a_loop_stepped_by_a_local_steps_and_tests_in_one_op() {
    // A sieve's inner loop, `j += i` written either way round.
    for sum in ["(local.get 2) (local.get 1)", "(local.get 1) (local.get 2)"] {
        let ops = debug_ops(&format!(
            r#"(module (memory 1) (func (param i32 i32) (local i32)
                (block $b (loop $l
                  (br_if $b (i32.ge_s (local.get 2) (local.get 0)))
                  (i32.store8 (local.get 2) (i32.const 0))
                  (local.set 2 (i32.add {sum}))
                  (br $l)))))"#
        ));
        assert_eq!(
            ops[..4],
            [
                "I32GeSJumpLL(JumpLL { a: 2, b: 0, to: 4 })",
                "StoreLCU8(StoreLC { shift: 0, a: 2, offset: 0, c: 0 })",
                "I32AddLJumpLtS(StepL { x: 2, b: 0, y: 1, to: 1 })",
                "I32LtSJumpLL(JumpLL { a: 2, b: 0, to: 1 })",
            ],
            "{sum}"
        );
    }
    // A sum into a third local is no step.
    let ops = ops_of(
        r#"(module (func (param i32 i32) (local i32)
            (block $b (loop $l
              (br_if $b (i32.ge_u (local.get 2) (local.get 0)))
              (local.set 2 (i32.add (local.get 0) (local.get 1)))
              (br $l)))))"#,
    );
    assert!(!ops.iter().any(|o| o.starts_with("I32AddLJump")), "{ops:?}");
}

#[test]
fn scaled_local_addresses_fuse_into_loads_and_stores() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.load (i32.shl (local.get 0) (i32.const 2))))
            (i32.store (i32.shl (local.get 1) (i32.const 2))
              (i32.load offset=4 (i32.shl (local.get 0) (i32.const 2))))
            (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 2))
            (i32.store (local.get 1) (i32.add (local.get 2) (local.get 0)))
            (i32.store (i32.shl (local.get 1) (i32.const 34)) (i32.const 7))
            (local.get 2)))"#,
    );
    assert_eq!(
        ops,
        [
            "LoadLSetU32(LoadLSet { shift: 2, a: 0, offset: 0, d: 2 })",
            "LoadLU32(LoadL { shift: 2, a: 0, offset: 4 })",
            "StoreLU32(StoreL { shift: 2, a: 1, offset: 0 })",
            "StoreLLU32(StoreLL { shift: 2, a: 0, offset: 0, v: 2 })",
            // The stored value comes in the accumulator.
            "I32AddLLAcc(LL { a: 2, b: 0 })",
            "StoreLAccU32(StoreL { shift: 0, a: 1, offset: 0 })",
            // The shift is taken modulo 32, as `i32.shl` does.
            "StoreLCU32(StoreLC { shift: 2, a: 1, offset: 0, c: 7 })",
            "ReturnLocal { off: 2 }",
            "Return",
        ]
    );
}

#[test]
fn memory_ops_of_common_widths_are_specialized() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
            (i64.store (local.get 0) (i64.load (local.get 1)))
            (i32.load16_u (local.get 1))))"#,
    );
    assert_eq!(
        ops,
        [
            "LoadLU64(LoadL { shift: 0, a: 1, offset: 0 })",
            "StoreLU64(StoreL { shift: 0, a: 0, offset: 0 })",
            // Other widths keep the generic op.
            "LoadL { f: U16, shift: 0, a: 1, offset: 0 }",
            "Return",
        ]
    );
}

#[test]
fn a_vector_dot_product_step_is_one_op() {
    for (lanes, op) in [
        ("i32x4", "I32x4MulAddLRSet { a: 2, d: 2 }"),
        ("f32x4", "F32x4MulAddLRSet { a: 2, d: 2 }"),
        ("f64x2", "F64x2MulAddLRSet { a: 2, d: 2 }"),
    ] {
        let text = r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
            (local.set 2
              (LANES.add (local.get 2)
                (LANES.mul (v128.load (local.get 0)) (v128.load (local.get 1)))))
            (local.get 0)))"#;
        let ops = debug_ops(&text.replace("LANES", lanes));
        assert_eq!(ops[2], op, "{lanes}");
        assert_eq!(ops.len(), 5, "{ops:?}");
    }
    // Lanes of different shapes are two ops.
    let ops = ops_of(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
            (local.set 2
              (i16x8.add (local.get 2)
                (i32x4.mul (v128.load (local.get 0)) (v128.load (local.get 1)))))
            (local.get 0)))"#,
    );
    assert_eq!(ops[2..4], ["I32x4MulS", "I16x8AddLRSet"]);
}

#[test]
fn vector_accumulators_stay_in_their_local() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local v128)
            (local.set 2
              (i32x4.add (local.get 2)
                (i32x4.sub (v128.load (local.get 0))
                  (v128.load offset=16 (i32.shl (local.get 1) (i32.const 4))))))
            (local.set 2
              (f64x2.sub (local.get 2)
                (i16x8.add_sat_s (v128.load (i32.add (local.get 0) (local.get 1)))
                  (v128.load (i32.add (local.get 0) (i32.const 1))))))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            "V128LoadL { shift: 0, a: 0, offset: 0 }",
            "V128LoadL { shift: 4, a: 1, offset: 16 }",
            // Common lane operators have an op of their own per shape.
            "I32x4SubS(VecS)",
            // acc = acc + top, without pushing the local or popping into it.
            "I32x4AddLRSet(VecLRSet { a: 2, d: 2 })",
            // Not fused across the AST-form op below.
            "LocalGet2 { off: 2 }",
            // A base plus an index.
            "V128LoadLL { a: 0, b: 1, offset: 0 }",
            "I32AddLC(LC { a: 0, c: 1 })",
            "V128Load { offset: 0 }",
            // Other operators run by their AST form.
            "Simd(I16x8AddSatS)",
            "F64x2SubS(VecS)",
            "LocalSet2 { off: 2 }",
            "ReturnLocal { off: 0 }",
            "Return",
        ]
    );
}

#[test]
fn row_major_indexing_and_dot_products_take_few_ops() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32 f64)
            (local.set 3
              (f64.add (local.get 3)
                (f64.mul
                  (f64.load (i32.shl (i32.add (i32.mul (local.get 0) (local.get 1))
                                              (local.get 2))
                                     (i32.const 3)))
                  (f64.load offset=8 (local.get 2)))))
            (local.get 0)))"#,
    );
    assert_eq!(
        ops,
        [
            "I32MulAddLLL { a: 0, b: 1, c: 2 }",
            // The shift of the index is the load's.
            "LoadU64(Load { shift: 3, offset: 0 })",
            "LoadLU64(LoadL { shift: 0, a: 2, offset: 8 })",
            // sum = sum + x * y, both roundings kept.
            "F64MulAddLRSet { a: 3, d: 3 }",
            "ReturnLocal { off: 0 }",
            "Return",
        ]
    );
}

#[test]
fn unary_operators_run_as_one_op_with_a_local_operand() {
    let ops = debug_ops(
        r#"(module (func (param i32 i32) (result i32) (local i64 f64)
            (local.set 2 (i64.extend_i32_s (local.get 0)))
            (local.set 3 (f64.sqrt (f64.convert_i32_u (local.get 1))))
            (drop (f32.reinterpret_i32 (local.get 0)))
            (i32.wrap_i64 (i64.popcnt (local.get 2)))))"#,
    );
    assert_eq!(
        ops,
        [
            "UnL { f: I64ExtendI32S, a: 0 }",
            "LocalSet { off: 2 }",
            "UnL { f: F64ConvertI32U, a: 1 }",
            "Un { f: F64Sqrt }",
            "LocalSet { off: 3 }",
            // A reinterpretation keeps the bits: no op.
            "LocalGet { off: 0 }",
            "Drop { slots: 1 }",
            "UnL { f: I64Popcnt, a: 2 }",
            "Un { f: I32WrapI64 }",
            "Return",
        ]
    );
}

#[test]
fn loads_at_a_base_plus_a_scaled_index_take_one_op() {
    let ops = debug_ops(
        r#"(module (memory 1) (func (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.load offset=8
              (i32.add (local.get 0) (i32.shl (i32.mul (local.get 1) (local.get 1)) (i32.const 2)))))
            (i64.load (i32.add (i32.xor (local.get 1) (local.get 2)) (local.get 0)))
            (drop)
            (i32.load8_u (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))))"#,
    );
    assert_eq!(
        ops,
        [
            "I32MulLL(LL { a: 1, b: 1 })",
            "LoadBU32(LoadB { shift: 2, a: 0, offset: 8 })",
            "LocalSet { off: 2 }",
            "I32XorLL(LL { a: 1, b: 2 })",
            // The base on either side of the add.
            "LoadBU64(LoadB { shift: 0, a: 0, offset: 0 })",
            "Drop { slots: 1 }",
            "I32AddLL(LL { a: 1, b: 2 })",
            "LoadBU8(LoadB { shift: 0, a: 0, offset: 0 })",
            "Return",
        ]
    );
}

#[test]
fn a_jump_to_the_return_returns() {
    let ops = debug_ops(
        r#"(module (func (param i32) (result i32)
            (if (result i32) (local.get 0)
              (then (i32.const 1))
              (else (i32.const 2)))))"#,
    );
    assert_eq!(
        ops,
        [
            "JumpIfL { off: 0, to: 3, if_zero: true }",
            "Const { bits: 1 }",
            // Was `Jump { to: 4 }`.
            "Return",
            "Const { bits: 2 }",
            "Return",
        ]
    );
}

#[test]
fn specialized_ops_map_back_to_their_generic_form() {
    use crate::ops::mem::{LoadFn, StoreFn};
    use crate::ops::simd::SimdBinFn;
    let ops = [
        Op::BinLCSet {
            f: BinFn::I32Add,
            a: 1,
            c: -3,
            d: 2,
        },
        Op::JumpIfLL {
            f: BinFn::I32LtS,
            a: 1,
            b: 2,
            to: 7,
            if_zero: false,
        },
        Op::Load {
            f: LoadFn::U32,
            shift: 2,
            offset: 8,
        },
        Op::LoadB {
            f: LoadFn::U64,
            shift: 3,
            a: 4,
            offset: 0,
        },
        Op::LoadLSet {
            f: LoadFn::U8,
            shift: 0,
            a: 1,
            offset: 5,
            d: 3,
        },
        Op::StoreLC {
            f: StoreFn::U32,
            shift: 2,
            a: 1,
            offset: 4,
            c: -1,
        },
        Op::SimdBin {
            f: SimdBinFn::I32x4Mul,
        },
        Op::SimdBinLRSet {
            f: SimdBinFn::F64x2Add,
            a: 2,
            d: 4,
        },
    ];
    for op in ops {
        let special = specialize(&op).unwrap_or_else(|| panic!("{op:?} is specialized"));
        assert_ne!(format!("{special:?}"), format!("{op:?}"));
        let back = generic(&special).expect("specialized ops have a generic form");
        assert_eq!(format!("{back:?}"), format!("{op:?}"));
    }
    // A local offset beyond the shapes' 16 bits keeps the generic op.
    let wide = Op::LoadL {
        f: LoadFn::U32,
        shift: 0,
        a: 70_000,
        offset: 0,
    };
    assert!(specialize(&wide).is_none());
    // So do widths and operators without specialized ops.
    assert!(
        specialize(&Op::Load {
            f: LoadFn::U16,
            shift: 0,
            offset: 0
        })
        .is_none()
    );
    // A byte access is specialized only unshifted: its ops take no shift.
    let load = |shift| Op::LoadL {
        f: LoadFn::U8,
        shift,
        a: 1,
        offset: 0,
    };
    assert!(matches!(specialize(&load(0)), Some(Op::LoadLU8(_))));
    assert!(specialize(&load(2)).is_none());
    let store = |shift| Op::StoreLC {
        f: StoreFn::U8,
        shift,
        a: 1,
        offset: 0,
        c: 7,
    };
    assert!(matches!(specialize(&store(0)), Some(Op::StoreLCU8(_))));
    assert!(specialize(&store(3)).is_none());
}

#[test]
fn ops_stay_small() {
    assert_eq!(std::mem::size_of::<Op>(), 16);
}

#[test]
fn frame_layout_counts_slots() {
    let code = translate_body(vec![Instr::LocalGet { local: 0 }, Instr::End]);
    assert_eq!(code.param_slots, 2);
    assert_eq!(code.local_slots, 4, "the v128 local takes two slots");
    assert_eq!(code.result_slots, 1);
    assert_eq!(code.max_height, 5);
}

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
    let ops: Vec<String> = code.ops.iter().map(|o| format!("{o:?}")).collect();
    assert_eq!(
        ops,
        [
            "Const { bits: 1 }",
            "Const { bits: 2 }",
            "LocalGet { off: 0 }",
            // Taken, it keeps the top slot and moves it to height 4 (just
            // above the locals), then jumps to the block's end.
            "BrIf(Target { to: 5, base: 4, keep: 1 })",
            "Drop { slots: 1 }",
            "Return",
        ]
    );
}

#[test]
fn fusion_never_crosses_a_branch_target() {
    use Instr::*;
    // local.get 0; loop (result i32): the loop's first op is a branch
    // target, so the `local.get 0` before it stays separate.
    let code = translate_body(vec![
        LocalGet { local: 0 },
        Loop {
            ty: BlockType::Val(ValType::I32),
        },
        LocalGet { local: 1 },
        End,
        I32Add,
        End,
    ]);
    assert!(matches!(code.ops[0], Op::LocalGet { off: 0 }));
    assert!(matches!(code.ops[1], Op::LocalGet { off: 1 }));
    assert!(matches!(code.ops[2], Op::I32AddS(_)), "{:?}", code.ops);
    // Without the loop the three fuse into one op (which hands its
    // result to the return in the accumulator).
    let code = translate_body(vec![
        LocalGet { local: 0 },
        LocalGet { local: 1 },
        I32Add,
        End,
    ]);
    assert!(matches!(
        code.ops[0],
        Op::I32AddLLAcc(shape::LL { a: 0, b: 1 })
    ));
    assert!(matches!(code.ops[1], Op::ReturnAcc));
    assert_eq!(code.ops.len(), 2);
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
    assert_eq!(code.ops.len(), 3, "{:?}", code.ops);
}

/// A code of `op` then `Return`, with frames `max_height` slots high.
fn code_of(op: Op, max_height: u32) -> Code {
    Code {
        entry: op.clone(),
        ops: vec![op, Op::Return].into_boxed_slice(),
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

/// `in_bounds` checks every specialized op by what its shape declares it
/// reaches (`shape::Reach`), and that declaration agrees with the generic
/// form's explicit check, op by op, for every op of the list.
#[test]
fn in_bounds_checks_every_specialized_op_by_its_shape() {
    macro_rules! every {
        ($($name:ident $shape:ident $f:ident,)*) => {
            vec![$(Op::$name(Default::default())),*]
        };
    }
    let ops: Vec<Op> = for_each_specialized!(every);
    assert!(ops.len() > 100, "{}", ops.len());
    let mut reaching = 0;
    for op in ops {
        let generic = generic(&op).unwrap_or_else(|| panic!("{op:?} has a generic form"));
        // Every field 0: room for every slot, every jump to op 0.
        assert!(in_bounds(&code_of(op.clone(), 4)), "{op:?}");
        // No room at all: rejected exactly when the generic form is.
        let specialized = in_bounds(&code_of(op.clone(), 0));
        assert_eq!(specialized, in_bounds(&code_of(generic, 0)), "{op:?}");
        reaching += usize::from(!specialized);
    }
    // Most specialized ops name a frame slot.
    assert!(reaching > 50, "{reaching}");
}

/// Ops that name table entries are checked against the tables.
#[test]
fn in_bounds_checks_table_indices() {
    assert!(!in_bounds(&code_of(Op::BrTable { start: 0, len: 1 }, 0)));
    let cast = Op::BrOnCast {
        target: 0,
        cast: 0,
        fail: false,
    };
    assert!(!in_bounds(&code_of(cast, 0)));
    assert!(!in_bounds(&code_of(Op::Rethrow { off: 0 }, 0)));
    assert!(in_bounds(&code_of(Op::Rethrow { off: 0 }, 1)));
}
