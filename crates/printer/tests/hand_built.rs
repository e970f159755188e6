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

/// A module with one function of type 0 (`[] -> []`) running `body`
/// (the final `end` is added).
fn with_body(types: Vec<SubType>, body: Vec<Instr>) -> Module {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    for t in types {
        m.push_rec_group([t], false);
    }
    let body = m.push_expr(body.into_iter().chain([Instr::End]));
    m.funcs.push(Func {
        ty: 0,
        locals: vec![],
        body,
    });
    m
}

fn lines(m: &Module, opts: &Options) -> Vec<String> {
    print(m, opts)
        .lines()
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn immediates_in_text_order() {
    let point = SubType::plain(CompositeType::Struct(vec![FieldType {
        storage: StorageType::I8,
        mutable: true,
    }]));
    let mut m = with_body(
        vec![point],
        vec![
            Instr::CallIndirect { ty: 0, table: 1 },
            Instr::CallIndirect { ty: 0, table: 0 },
            Instr::TableInit { elem: 2, table: 1 },
            Instr::MemoryInit { data: 3, mem: 0 },
            Instr::MemoryCopy { dst: 0, src: 0 },
            Instr::MemoryCopy { dst: 1, src: 0 },
            Instr::MemorySize { mem: 0 },
            Instr::MemoryGrow { mem: 2 },
            Instr::RefTestNull {
                ty: HeapType::Concrete(1),
            },
            Instr::RefCast {
                ty: HeapType::Abstract(AbsHeap::I31),
            },
            Instr::RefNull {
                ty: HeapType::Abstract(AbsHeap::Extern),
            },
            Instr::BrOnCast {
                cast: Box::new(BrOnCast {
                    label: 0,
                    from: RefType::new(true, HeapType::Abstract(AbsHeap::Any)),
                    to: RefType::new(false, HeapType::Concrete(1)),
                }),
            },
            Instr::SelectT {
                types: Box::new(TypeList(vec![ValType::FUNCREF])),
            },
            Instr::V128Const {
                value: Box::new(V128([
                    1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80, 0x10, 0x32, 0x54, 0x76,
                ])),
            },
            Instr::I8x16Shuffle {
                lanes: Box::new(Shuffle([
                    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31,
                ])),
            },
            Instr::I16x8ExtractLaneU { lane: 7 },
            Instr::V128Load16Lane {
                memarg: MemArg {
                    align: 0,
                    offset: 3,
                    memory: 1,
                },
                lane: 5,
            },
            Instr::V128Load {
                memarg: MemArg {
                    align: 4,
                    offset: 0,
                    memory: 0,
                },
            },
            Instr::AtomicFence { flags: 0 },
            Instr::StructGetU { ty: 1, field: 0 },
            Instr::ArrayNewFixed { ty: 1, len: 3 },
            Instr::F32Const {
                value: Ieee32(0xffa0_0000),
            },
            Instr::I64Const { value: i64::MIN },
            Instr::TryTable {
                table: Box::new(TryTable {
                    ty: BlockType::Func(0),
                    catches: vec![
                        Catch::One { tag: 0, label: 0 },
                        Catch::OneRef { tag: 1, label: 1 },
                        Catch::All { label: 0 },
                        Catch::AllRef { label: 0 },
                    ],
                }),
            },
            Instr::End,
        ],
    );
    m.names.fields = vec![(1, vec![(0, "x".into())])];
    m.names.types = vec![(1, "point".into())];
    let got = lines(&m, &Options::default());
    let want = [
        "call_indirect 1 (type 0)",
        "call_indirect (type 0)",
        "table.init 1 2",
        "memory.init 0 3",
        "memory.copy",
        "memory.copy 1 0",
        "memory.size",
        "memory.grow 2",
        "ref.test (ref null $point)",
        "ref.cast (ref i31)",
        "ref.null extern",
        "br_on_cast 0 anyref (ref $point)",
        "select (result funcref)",
        "v128.const i32x4 0x00000001 0xffffffff 0x80000000 0x76543210",
        "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31",
        "i16x8.extract_lane_u 7",
        "v128.load16_lane 1 offset=3 align=1 5",
        "v128.load",
        "atomic.fence",
        "struct.get_u $point $x",
        "array.new_fixed $point 3",
        "f32.const -nan:0x200000",
        "i64.const -9223372036854775808",
        "try_table (type 0) (catch 0 0) (catch_ref 1 1) (catch_all 0) (catch_all_ref 0)",
        "end",
    ];
    let start = got
        .iter()
        .position(|l| l.starts_with("call_indirect"))
        .unwrap();
    assert_eq!(&got[start..start + want.len()], &want[..]);
    assert!(got.contains(&"(type $point (struct (field $x (mut i8))))".to_string()));
}

#[test]
fn names_made_unique_and_quoted() {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    for _ in 0..3 {
        let body = m.push_expr([Instr::Call { func: 1 }, Instr::End]);
        m.funcs.push(Func {
            ty: 0,
            locals: vec![],
            body,
        });
    }
    m.names.funcs = vec![(0, "f".into()), (1, "f".into()), (2, "a b".into())];
    let text = to_string(&m);
    assert!(text.contains("(func $f (type 0)"), "{text}");
    // The repeat keeps its name beside the identifier made unique.
    assert!(text.contains("(func $f_1 (@name \"f\") (type 0)"), "{text}");
    assert!(text.contains("(func $\"a b\" (type 0)"), "{text}");
    assert!(text.contains("call $f_1\n"), "{text}");
}

#[test]
fn shadowed_labels_are_numbered() {
    let mut m = with_body(
        vec![],
        vec![
            Instr::Block {
                ty: BlockType::Empty,
            },
            Instr::Loop {
                ty: BlockType::Empty,
            },
            Instr::Br { label: 1 },
            Instr::Br { label: 0 },
            Instr::BrTable {
                table: Box::new(BrTable {
                    targets: vec![0, 1].into(),
                    default: 2,
                }),
            },
            Instr::End,
            Instr::End,
        ],
    );
    m.names.labels = vec![(0, vec![(0, "l".into()), (1, "l".into())])];
    let got = lines(&m, &Options::default());
    let start = got.iter().position(|l| l == "block $l").unwrap();
    assert_eq!(
        &got[start..start + 7],
        [
            "block $l",
            "loop $l",
            "br 1",
            "br $l",
            "br_table $l 1 2",
            "end",
            "end"
        ]
    );
}

#[test]
fn folded_layout() {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[ValType::I32], &[ValType::I32])], false);
    let body = m.push_expr([
        Instr::LocalGet { local: 0 },
        Instr::If {
            ty: BlockType::Val(ValType::I32),
        },
        Instr::LocalGet { local: 0 },
        Instr::I32Const { value: 1 },
        Instr::I32Add,
        Instr::Else,
        Instr::I32Const { value: 0 },
        Instr::End,
        Instr::Br { label: 0 },
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![],
        body,
    });
    let opts = Options {
        fold: true,
        ..Options::default()
    };
    let text = print(&m, &opts);
    let expected = "  (func (type 0) (param i32) (result i32)
    (if (result i32)
      (local.get 0)
      (then
        (i32.add (local.get 0) (i32.const 1))
      )
      (else
        (i32.const 0)
      )
    )
    (br 0)
  )
";
    assert!(text.ends_with(&format!("{expected})\n")), "{text}");
}

#[test]
fn index_comments_and_skeleton() {
    let mut m = sample();
    m.customs.clear();
    let opts = Options {
        index_comments: true,
        skeleton: true,
        ..Options::default()
    };
    let text = print(&m, &opts);
    assert!(
        text.contains("(type (;0;) (func (param i32) (result i32)))"),
        "{text}"
    );
    assert!(
        text.contains("(import \"env\" \"log\" (func $log (;0;) (type 1)))"),
        "{text}"
    );
    assert!(
        text.contains(
            "(func $run (;1;) (type 0) (param $x (;0;) i32) (result i32) (; body elided ;))"
        ),
        "{text}"
    );
    assert!(
        text.contains("(data (;0;) (offset i32.const 16) (; 7 bytes ;))"),
        "{text}"
    );
    assert!(!text.contains("i32.load"), "{text}");
}

#[test]
fn custom_annotations_can_be_left_out() {
    let opts = Options {
        custom_annotations: false,
        ..Options::default()
    };
    assert!(!print(&sample(), &opts).contains("@custom"));
    assert!(to_string(&sample()).contains("(@custom \"extra\" (after code) \"\\01\\02a\")"));
}

#[test]
fn io_output_matches_string_output() {
    let m = sample();
    let mut bytes = Vec::new();
    print_module_io(&m, &Options::default(), &mut bytes).unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), to_string(&m));
}

#[test]
fn io_errors_are_reported() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err = print_module_io(&sample(), &Options::default(), &mut Full).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
}

#[test]
fn deep_nesting_neither_overflows_nor_explodes() {
    let depth = 200_000;
    let mut body = Vec::new();
    for _ in 0..depth {
        body.push(Instr::Block {
            ty: BlockType::Empty,
        });
    }
    body.push(Instr::I32Const { value: 1 });
    for _ in 0..depth {
        body.push(Instr::I32Eqz);
    }
    body.push(Instr::Drop);
    body.extend(std::iter::repeat_n(Instr::End, depth));
    let m = with_body(vec![], body);
    for fold in [false, true] {
        let opts = Options {
            fold,
            ..Options::default()
        };
        let text = print(&m, &opts);
        // Indentation is capped, so the text stays linear in the code.
        assert!(text.len() < 200 * (3 * depth), "{} bytes", text.len());
    }
}

#[test]
fn malformed_modules_do_not_panic() {
    let mut m = with_body(
        vec![SubType::plain(CompositeType::Array(FieldType {
            storage: StorageType::I16,
            mutable: false,
        }))],
        vec![
            Instr::End,
            Instr::End,
            Instr::Else,
            Instr::Delegate { label: 9 },
            Instr::Br { label: u32::MAX },
            Instr::LocalGet { local: 7 },
            Instr::Call { func: 99 },
            Instr::StructNew { ty: 1 },
            Instr::Block {
                ty: BlockType::Func(77),
            },
            Instr::I32Load {
                memarg: MemArg {
                    align: 200,
                    offset: u64::MAX,
                    memory: 3,
                },
            },
        ],
    );
    m.funcs.push(Func {
        ty: 1,
        locals: vec![Locals {
            count: 2,
            ty: ValType::I32,
        }],
        body: Expr {
            start: 1_000_000,
            end: 2_000_000,
        },
    });
    m.globals.push(Global {
        ty: GlobalType {
            val: ValType::I32,
            mutable: false,
        },
        init: Expr { start: 5, end: 1 },
    });
    m.rec_groups.push(RecGroup {
        start: 50,
        len: u32::MAX,
        explicit: true,
    });
    m.names.funcs = vec![(u32::MAX, "far".into()), (0, String::new())];
    m.names.locals = vec![(0, vec![(u32::MAX, "x".into())]), (u32::MAX, vec![])];
    m.names.labels = vec![(0, vec![(u32::MAX, "l".into())])];
    m.names.fields = vec![(1, vec![(0, "f".into())])];
    m.memories.push(MemoryType {
        addr: AddrType::I64,
        limits: Limits { min: 0, max: None },
        shared: true,
        page_size_log2: Some(99),
    });
    for fold in [false, true] {
        for skeleton in [false, true] {
            let opts = Options {
                fold,
                skeleton,
                index_comments: true,
                custom_annotations: true,
                indent: 2,
            };
            let text = print(&m, &opts);
            assert!(text.starts_with("(module"));
        }
    }
}

#[test]
fn index_comments_number_locals() {
    let opts = Options {
        index_comments: true,
        ..Options::default()
    };
    let text = print(&sample(), &opts);
    assert!(
        text.contains("(func $run (;1;) (type 0) (param $x (;0;) i32) (result i32)\n    (local (;1;) i32) (local $y (;2;) i32)\n"),
        "{text}"
    );
}

#[test]
fn huge_local_counts_are_summarized() {
    let mut m = with_body(vec![], vec![]);
    m.funcs[0].locals = vec![
        Locals {
            count: u32::MAX,
            ty: ValType::I64,
        },
        Locals {
            count: u32::MAX,
            ty: ValType::F32,
        },
    ];
    let text = to_string(&m);
    assert!(text.len() < 8 * weft_printer::MAX_PRINTED_LOCALS as usize);
    let rest = 2 * u64::from(u32::MAX) - weft_printer::MAX_PRINTED_LOCALS;
    assert!(text.contains(&format!("i64) (; {rest} more locals not printed ;)")));
}

/// A custom section after the data count section is printed `(before
/// code)`, which a text parser puts back in the same place.
#[test]
fn custom_after_data_count_keeps_its_place() {
    let mut m = with_body(vec![], vec![Instr::DataDrop { data: 0 }]);
    m.memories.push(MemoryType {
        addr: AddrType::I32,
        limits: Limits { min: 1, max: None },
        shared: false,
        page_size_log2: None,
    });
    m.datas.push(Data {
        mode: DataMode::Passive,
        init: vec![7],
    });
    m.data_count = Some(1);
    for place in [
        Place::First,
        Place::After(SectionId::DataCount),
        Place::After(SectionId::Code),
        Place::After(SectionId::Data),
    ] {
        m.customs = vec![Custom {
            place,
            kind: CustomKind::Raw {
                name: "c".into(),
                data: vec![0, 1],
            },
        }];
        let text = to_string(&m);
        let back = weft_parser::parse(&wat::parse_str(&text).unwrap()).unwrap();
        assert_eq!(back.customs, m.customs, "{text}");
        assert_eq!(back.data_count, Some(1));
    }
}
