//! The instruction table's signature column against the validator: for
//! every instruction with a fixed signature, a function taking its
//! operands and returning its results validates with exactly that body
//! (its operands, the instruction, `end`), on both paths (the AST
//! validator and the one-pass `check_bytes`), and fails with one operand
//! fewer. A wrong type, a missing or an extra operand or result in the
//! table fails here.

use weft_ast::*;
use weft_validator::{check_bytes, validate};

/// A sample immediate of each kind: the instructions with a fixed
/// signature take only constants, lanes, and segment indices (the module
/// has one data and one element segment).
macro_rules! sample {
    (I32) => {
        7
    };
    (I64) => {
        7
    };
    (F32) => {
        Ieee32(0)
    };
    (F64) => {
        Ieee64(0)
    };
    (V128Arg) => {
        Box::new(V128([1; 16]))
    };
    (ShuffleArg) => {
        Box::new(Shuffle([0; 16]))
    };
    (BrTableArg) => {
        Box::new(BrTable {
            targets: vec![].into(),
            default: 0,
        })
    };
    (SelectTypes) => {
        Box::new(TypeList(vec![ValType::I32]))
    };
    (TryTableArg) => {
        Box::new(TryTable {
            ty: BlockType::Empty,
            catches: vec![],
        })
    };
    (BrOnCastArg) => {
        Box::new(BrOnCast {
            label: 0,
            from: RefType::new(true, HeapType::Abstract(AbsHeap::Any)),
            to: RefType::new(true, HeapType::Abstract(AbsHeap::Any)),
        })
    };
    (BlockType) => {
        BlockType::Empty
    };
    (HeapType) => {
        HeapType::Abstract(AbsHeap::Any)
    };
    (MemArg1) => {
        MemArg::default()
    };
    (MemArg2) => {
        MemArg::default()
    };
    (MemArg4) => {
        MemArg::default()
    };
    (MemArg8) => {
        MemArg::default()
    };
    (MemArg16) => {
        MemArg::default()
    };
    ($other:ident) => {
        0
    };
}

macro_rules! every_instr {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        vec![ $( $( Instr::$name $({ $($field: sample!($imm)),* })?, )* )* ]
    };
}

/// A module with one function of type `params -> results` whose body
/// pushes its parameters from the `skip`-th on, then runs `instr`.
fn module(params: &[ValType], results: &[ValType], skip: usize, instr: &Instr) -> Module {
    let mut m = Module::default();
    m.push_rec_group(
        [SubType::plain(CompositeType::Func(FuncType {
            params: params.to_vec(),
            results: results.to_vec(),
        }))],
        false,
    );
    let gets = (skip..params.len()).map(|l| Instr::LocalGet { local: l as u32 });
    let body = m.push_expr(gets.chain([instr.clone(), Instr::End]));
    m.funcs.push(Func {
        ty: 0,
        locals: vec![],
        body,
    });
    m.datas.push(Data {
        mode: DataMode::Passive,
        init: vec![1, 2, 3],
    });
    m.data_count = Some(1);
    m.elems.push(Elem {
        mode: ElemMode::Passive,
        ty: RefType::FUNCREF,
        items: ElemItems::Funcs(vec![]),
    });
    m
}

/// Whether the module validates, on both paths (which must agree).
fn valid(m: &Module, features: Features) -> bool {
    let ast = validate(m, features).is_ok();
    let bytes = check_bytes(&m.encode(), features).is_ok();
    assert_eq!(ast, bytes, "the two paths disagree on {m:?}");
    ast
}

#[test]
fn fixed_signatures_are_the_validators() {
    let features = Features::ALL;
    let mut checked = 0;
    for instr in weft_ast::for_each_instr!(every_instr) {
        let sig = instr.signature();
        if !sig.is_fixed() {
            continue;
        }
        // Its label must name a `catch` block, which no straight body has.
        if matches!(instr, Instr::Rethrow { .. }) {
            continue;
        }
        let params: Vec<ValType> = sig.fixed_params().unwrap().collect();
        let results: Vec<ValType> = sig.fixed_results().unwrap().collect();
        assert!(
            valid(&module(&params, &results, 0, &instr), features),
            "{} with {:?} -> {:?} does not validate",
            instr.name(),
            params,
            results
        );
        if !params.is_empty() {
            assert!(
                !valid(&module(&params, &results, 1, &instr), features),
                "{} validates with one operand fewer",
                instr.name()
            );
        }
        // One result more is wrong too (unless nothing follows anyway).
        if !sig.never {
            let mut more = results.clone();
            more.push(ValType::I32);
            assert!(
                !valid(&module(&params, &more, 0, &instr), features),
                "{} validates with one result more",
                instr.name()
            );
        }
        checked += 1;
    }
    assert!(checked > 350, "only {checked} fixed signatures");
}

#[test]
fn the_table_as_data() {
    // Every row is listed, with the instruction's own signature.
    let all = weft_ast::for_each_instr!(every_instr);
    assert_eq!(INSTRUCTIONS.len(), all.len());
    for (info, instr) in INSTRUCTIONS.iter().zip(&all) {
        assert_eq!(info.name, instr.name());
        assert_eq!(info.opcode, instr.opcode());
        assert_eq!(&info.sig, instr.signature());
        if let Some(plain) = &info.plain {
            assert_eq!(plain, instr);
        }
    }
    // What a generator asks: the operators from i32 to i32.
    let i32_to_i32: Vec<&str> = INSTRUCTIONS
        .iter()
        .filter(|i| {
            i.plain.is_some()
                && i.sig.params == [SigType::Val(ValType::I32)]
                && i.sig.results == [SigType::Val(ValType::I32)]
        })
        .map(|i| i.name)
        .collect();
    for name in [
        "i32.eqz",
        "i32.clz",
        "i32.ctz",
        "i32.popcnt",
        "i32.extend8_s",
    ] {
        assert!(i32_to_i32.contains(&name), "{name} missing");
    }
    assert!(!i32_to_i32.contains(&"i32.add"));
}
