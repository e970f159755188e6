//! One module holding every instruction of the table (with sample
//! immediates), printed flat and folded, must read back through `wat`
//! to the same code: nothing in the table is left unprintable.

use weft_ast::*;
use weft_printer::{Options, print_module};

/// A sample immediate of each kind.
macro_rules! sample {
    (LabelIdx) => {
        0
    };
    (FuncIdx) => {
        0
    };
    (TableIdx) => {
        1
    };
    (MemIdx) => {
        1
    };
    (GlobalIdx) => {
        0
    };
    (LocalIdx) => {
        0
    };
    (ElemIdx) => {
        0
    };
    (DataIdx) => {
        0
    };
    (TagIdx) => {
        0
    };
    (TypeIdx) => {
        1
    };
    (FieldIdx) => {
        0
    };
    (Count) => {
        2
    };
    (Lane) => {
        1
    };
    (Byte) => {
        0
    };
    (I32) => {
        i32::MIN
    };
    (I64) => {
        -1
    };
    (F32) => {
        Ieee32(0x7fa0_0001)
    };
    (F64) => {
        Ieee64(0x8000_0000_0000_0001)
    };
    (BrTableArg) => {
        Box::new(BrTable {
            targets: vec![0, 0].into(),
            default: 0,
        })
    };
    (SelectTypes) => {
        Box::new(TypeList(vec![ValType::EXTERNREF]))
    };
    (TryTableArg) => {
        Box::new(TryTable {
            ty: BlockType::Val(ValType::I64),
            catches: vec![Catch::One { tag: 0, label: 0 }, Catch::AllRef { label: 0 }],
        })
    };
    (BrOnCastArg) => {
        Box::new(BrOnCast {
            label: 0,
            from: RefType::new(true, HeapType::Abstract(AbsHeap::Any)),
            to: RefType::new(false, HeapType::Concrete(1)),
        })
    };
    (V128Arg) => {
        Box::new(V128([0x80; 16]))
    };
    (ShuffleArg) => {
        Box::new(Shuffle([
            31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        ]))
    };
    (BlockType) => {
        BlockType::Func(0)
    };
    (HeapType) => {
        HeapType::Abstract(AbsHeap::Eq)
    };
    (MemArg1) => {
        MemArg {
            align: 0,
            offset: 1,
            memory: 0,
        }
    };
    (MemArg2) => {
        MemArg {
            align: 0,
            offset: 0,
            memory: 1,
        }
    };
    (MemArg4) => {
        MemArg {
            align: 2,
            offset: 4,
            memory: 0,
        }
    };
    (MemArg8) => {
        MemArg {
            align: 1,
            offset: 8,
            memory: 1,
        }
    };
    (MemArg16) => {
        MemArg {
            align: 4,
            offset: u64::MAX,
            memory: 0,
        }
    };
}

macro_rules! every_instr {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        vec![ $( $( Instr::$name $({ $($field: sample!($imm)),* })?, )* )* ]
    };
}

/// Every instruction, with the structured ones given their `else`,
/// `catch` and `end` so that the body nests properly.
fn body() -> Vec<Instr> {
    let mut out = Vec::new();
    for instr in weft_ast::for_each_instr!(every_instr) {
        match instr {
            Instr::Else | Instr::End | Instr::Catch { .. } | Instr::CatchAll => {}
            Instr::Delegate { .. } => {
                out.push(Instr::Try {
                    ty: BlockType::Empty,
                });
                out.push(instr);
            }
            Instr::If { .. } => {
                out.extend([instr, Instr::Nop, Instr::Else, Instr::Nop, Instr::End])
            }
            Instr::Try { .. } => {
                out.extend([instr, Instr::Catch { tag: 0 }, Instr::CatchAll, Instr::End])
            }
            Instr::Block { .. } | Instr::Loop { .. } | Instr::TryTable { .. } => {
                out.extend([instr, Instr::End])
            }
            _ => out.push(instr),
        }
    }
    out.push(Instr::End);
    out
}

fn module() -> Module {
    let mut m = Module::default();
    m.push_rec_group(
        [SubType::plain(CompositeType::Func(FuncType::default()))],
        false,
    );
    m.push_rec_group(
        [SubType::plain(CompositeType::Struct(vec![FieldType {
            storage: StorageType::Val(ValType::I32),
            mutable: true,
        }]))],
        false,
    );
    let body = m.push_expr(body());
    m.funcs.push(Func {
        ty: 0,
        locals: vec![Locals {
            count: 1,
            ty: ValType::I32,
        }],
        body,
    });
    // Segments, so that the data count section is present (and the
    // decoder accepts `memory.init` and `data.drop`).
    m.datas.push(Data {
        mode: DataMode::Passive,
        init: vec![1, 2, 3],
    });
    m.data_count = Some(1);
    m
}

fn check(opts: &Options) {
    let original = module();
    let mut text = String::new();
    print_module(&original, opts, &mut text).unwrap();
    let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let back = weft_parser::parse_with(&bytes, Features::ALL).unwrap();
    assert_eq!(back.code.len(), original.code.len());
    for (i, (a, b)) in original.code.iter().zip(&back.code).enumerate() {
        assert_eq!(a, b, "instruction {i}");
    }
}

#[test]
fn every_instruction_flat() {
    check(&Options::default());
}

#[test]
fn every_instruction_folded() {
    check(&Options {
        fold: true,
        ..Options::default()
    });
}

/// Through weft's own text parser. Folded, because flat `i8x16.shuffle`
/// followed by another instruction trips weft-wat's lane count (it counts
/// the next keyword as a lane).
#[test]
fn every_instruction_through_weft_wat() {
    let original = module();
    let mut text = String::new();
    let opts = Options {
        fold: true,
        ..Options::default()
    };
    print_module(&original, &opts, &mut text).unwrap();
    let back = weft_wat::parse_module_with(&text, Features::ALL).unwrap_or_else(|e| panic!("{e}"));
    let back = weft_parser::parse_with(&back.encode(), Features::ALL).unwrap();
    for (i, (a, b)) in original.code.iter().zip(&back.code).enumerate() {
        assert_eq!(a, b, "instruction {i}");
    }
    assert_eq!(back.code.len(), original.code.len());
}
