//! The printer on hand-built modules: exact expected text.

use weft_ast::*;
use weft_printer::{Options, print_module, print_module_io, to_string};

fn func_type(params: &[ValType], results: &[ValType]) -> SubType {
    SubType::plain(CompositeType::Func(FuncType {
        params: params.to_vec(),
        results: results.to_vec(),
    }))
}

fn print(m: &Module, opts: &Options) -> String {
    let mut s = String::new();
    print_module(m, opts, &mut s).unwrap();
    s
}

/// A module with a little of everything.
fn sample() -> Module {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[ValType::I32], &[ValType::I32])], false);
    m.push_rec_group([func_type(&[], &[])], false);
    m.imports.push(Import {
        module: "env".into(),
        name: "log".into(),
        desc: ImportDesc::Func(1),
    });
    m.imports.push(Import {
        module: "env".into(),
        name: "mem".into(),
        desc: ImportDesc::Memory(MemoryType {
            addr: AddrType::I32,
            limits: Limits {
                min: 1,
                max: Some(2),
            },
            shared: false,
            page_size_log2: None,
        }),
    });
    let body = m.push_expr([
        Instr::Block {
            ty: BlockType::Val(ValType::I32),
        },
        Instr::LocalGet { local: 0 },
        Instr::I32Load {
            memarg: MemArg {
                align: 2,
                offset: 8,
                memory: 0,
            },
        },
        Instr::I32Load8U {
            memarg: MemArg {
                align: 0,
                offset: 0,
                memory: 0,
            },
        },
        Instr::BrIf { label: 0 },
        Instr::Call { func: 0 },
        Instr::I32Const { value: -5 },
        Instr::End,
        Instr::LocalTee { local: 1 },
        Instr::If {
            ty: BlockType::Empty,
        },
        Instr::Br { label: 1 },
        Instr::Else,
        Instr::Nop,
        Instr::End,
        Instr::F64Const {
            value: Ieee64((-0.0f64).to_bits()),
        },
        Instr::Drop,
        Instr::LocalGet { local: 1 },
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![Locals {
            count: 2,
            ty: ValType::I32,
        }],
        body,
    });
    let init = m.push_expr([Instr::I32Const { value: 42 }, Instr::End]);
    m.globals.push(Global {
        ty: GlobalType {
            val: ValType::I32,
            mutable: true,
        },
        init,
    });
    m.exports.push(Export {
        name: "run".into(),
        kind: ExternKind::Func,
        index: 1,
    });
    let offset = m.push_expr([Instr::I32Const { value: 16 }, Instr::End]);
    m.datas.push(Data {
        mode: DataMode::Active { memory: 0, offset },
        init: b"hi\"\\\n\x00\xff".to_vec(),
    });
    m.customs.push(Custom {
        place: Place::After(SectionId::Code),
        kind: CustomKind::Raw {
            name: "extra".into(),
            data: vec![1, 2, b'a'],
        },
    });
    m.customs.push(Custom {
        place: Place::After(SectionId::Data),
        kind: CustomKind::Names,
    });
    m.names.module = Some("demo".into());
    m.names.funcs = vec![(0, "log".into()), (1, "run".into())];
    m.names.locals = vec![(1, vec![(0, "x".into()), (2, "y".into())])];
    m.names.labels = vec![(1, vec![(0, "out".into())])];
    m.names.globals = vec![(0, "counter".into())];
    m
}

#[test]
fn flat_module() {
    let text = to_string(&sample());
    let expected = r#"(module $demo
  (type (func (param i32) (result i32)))
  (type (func))
  (import "env" "log" (func $log (type 1)))
  (import "env" "mem" (memory 1 2))
  (global $counter (mut i32) i32.const 42)
  (export "run" (func $run))
  (func $run (type 0) (param $x i32) (result i32)
    (local i32) (local $y i32)
    block $out (result i32)
      local.get $x
      i32.load offset=8
      i32.load8_u
      br_if $out
      call $log
      i32.const -5
    end
    local.tee 1
    if
      br 1
    else
      nop
    end
    f64.const -0
    drop
    local.get 1
  )
  (@custom "extra" (after code) "\01\02a")
  (data (offset i32.const 16) "hi\"\\\0a\00\ff")
)
"#;
    assert_eq!(text, expected);
}
