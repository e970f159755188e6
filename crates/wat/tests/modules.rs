//! Module syntax: abbreviations, index resolution, flattening, errors.

use weft_ast::*;
use weft_wat::{parse_module, wat2wasm};

fn code(m: &Module, func: usize) -> &[Instr] {
    m.instrs(m.funcs[func].body)
}

fn err(text: &str) -> String {
    parse_module(text).unwrap_err().message().to_string()
}

fn func_type(params: &[ValType], results: &[ValType]) -> SubType {
    SubType::plain(CompositeType::Func(FuncType {
        params: params.to_vec(),
        results: results.to_vec(),
    }))
}

#[test]
fn implicit_types_go_after_explicit_ones_in_order_of_first_use() {
    let m = parse_module(
        "(module (func (param i32)) (type (func)) (func (result i32) i32.const 0) (func (param i32)) (func (type 0)))",
    )
    .unwrap();
    assert_eq!(
        m.types,
        [
            func_type(&[], &[]),
            func_type(&[ValType::I32], &[]),
            func_type(&[], &[ValType::I32]),
        ]
    );
    let tys: Vec<u32> = m.funcs.iter().map(|f| f.ty).collect();
    assert_eq!(tys, [1, 2, 1, 0]);
}

#[test]
fn an_equal_explicit_type_is_reused_even_if_defined_later() {
    let m = parse_module("(func (param i64)) (type $t (func (param i64)))").unwrap();
    assert_eq!(m.types.len(), 1);
    assert_eq!(m.funcs[0].ty, 0);
}

#[test]
fn folded_instructions_are_flattened() {
    let m = parse_module(
        "(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.add (i32.const 3) (i32.const 4)))))",
    )
    .unwrap();
    assert_eq!(
        code(&m, 0),
        [
            Instr::I32Const { value: 1 },
            Instr::If {
                ty: BlockType::Val(ValType::I32)
            },
            Instr::I32Const { value: 2 },
            Instr::Else,
            Instr::I32Const { value: 3 },
            Instr::I32Const { value: 4 },
            Instr::I32Add,
            Instr::End,
            Instr::End,
        ]
    );
}

#[test]
fn labels_resolve_by_depth() {
    let m =
        parse_module("(func (block $a (loop $b (br $a) (br $b) (br 0))) block $c br $c end $c)")
            .unwrap();
    let brs: Vec<u32> = code(&m, 0)
        .iter()
        .filter_map(|i| match i {
            Instr::Br { label } => Some(*label),
            _ => None,
        })
        .collect();
    assert_eq!(brs, [1, 0, 0, 0]);
}

#[test]
fn locals_and_params_by_name() {
    let m = parse_module(
        "(func $f (param $a i32) (param i64) (local $b f32) (local f64 f64) local.get $a local.get $b drop drop)",
    )
    .unwrap();
    assert_eq!(
        &code(&m, 0)[..2],
        [Instr::LocalGet { local: 0 }, Instr::LocalGet { local: 2 }]
    );
    assert_eq!(
        m.funcs[0].locals,
        [
            Locals {
                count: 1,
                ty: ValType::F32
            },
            Locals {
                count: 2,
                ty: ValType::F64
            }
        ]
    );
    assert_eq!(m.names.funcs, [(0, "f".to_string())]);
    assert_eq!(
        m.names.locals,
        [(0, vec![(0, "a".to_string()), (2, "b".to_string())])]
    );
}

#[test]
fn inline_imports_exports_and_segments() {
    let m = parse_module(
        r#"(module
            (func $imp (import "m" "f") (param i32))
            (global $g (export "g") (export "h") (mut i32) (i32.const 7))
            (memory (export "mem") (data "abc" "\01"))
            (table $t funcref (elem $imp $imp))
            (func (export "run") (call $imp (global.get $g))))"#,
    )
    .unwrap();
    assert_eq!(m.imports.len(), 1);
    assert_eq!(m.imports[0].desc, ImportDesc::Func(0));
    let exports: Vec<(&str, ExternKind, u32)> = m
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.kind, e.index))
        .collect();
    assert_eq!(
        exports,
        [
            ("g", ExternKind::Global, 0),
            ("h", ExternKind::Global, 0),
            ("mem", ExternKind::Memory, 0),
            ("run", ExternKind::Func, 1),
        ]
    );
    assert_eq!(
        m.memories[0].limits,
        Limits {
            min: 1,
            max: Some(1)
        }
    );
    assert_eq!(m.datas[0].init, b"abc\x01");
    assert_eq!(m.tables[0].ty.limits.min, 2);
    assert_eq!(m.elems[0].items, ElemItems::Funcs(vec![0, 0]));
    assert_eq!(
        code(&m, 0),
        [
            Instr::GlobalGet { global: 0 },
            Instr::Call { func: 0 },
            Instr::End
        ]
    );
}

#[test]
fn struct_fields_by_name_and_call_indirect_order() {
    let m = parse_module(
        "(type $s (struct (field $x i32) (field $y i64)))
         (table $t 1 funcref) (table $u 1 funcref)
         (func (param (ref $s)) (result i64)
           (call_indirect $u (param i32) (i32.const 0) (i32.const 0))
           (struct.get $s $y (local.get 0)))",
    )
    .unwrap();
    let body = code(&m, 0);
    assert!(body.contains(&Instr::StructGet { ty: 0, field: 1 }));
    assert!(body.contains(&Instr::CallIndirect { ty: 2, table: 1 }));
    assert_eq!(
        m.names.fields,
        [(0, vec![(0, "x".to_string()), (1, "y".to_string())])]
    );
}

#[test]
fn memory_arguments_and_lanes() {
    let m = parse_module(
        "(memory $a 1) (memory $b 1)
         (func (param v128)
           (drop (i32.load offset=8 align=2 (i32.const 0)))
           (drop (i64.load $b (i32.const 0)))
           (drop (v128.load8_lane 3 (i32.const 0) (local.get 0)))
           (drop (v128.load8_lane 1 3 (i32.const 0) (local.get 0))))",
    )
    .unwrap();
    let args: Vec<(u8, u64, u32)> = code(&m, 0)
        .iter()
        .filter_map(|i| i.memarg().map(|a| (a.align, a.offset, a.memory)))
        .collect();
    assert_eq!(args, [(1, 8, 0), (3, 0, 1), (0, 0, 0), (0, 0, 1)]);
    let lanes: Vec<u8> = code(&m, 0)
        .iter()
        .filter_map(|i| match i {
            Instr::V128Load8Lane { lane, .. } => Some(*lane),
            _ => None,
        })
        .collect();
    assert_eq!(lanes, [3, 3]);
}

#[test]
fn float_constants_are_exact() {
    let m = parse_module(
        "(func (drop (f32.const 0x1p-149)) (drop (f64.const -nan:0x4)) (drop (f32.const 1e39)))",
    );
    assert!(m.unwrap_err().message().contains("constant out of range"));
    let m = parse_module("(func (drop (f32.const 0x1p-149)) (drop (f64.const -nan:0x4)))").unwrap();
    assert_eq!(code(&m, 0)[0], Instr::F32Const { value: Ieee32(1) });
    assert_eq!(
        code(&m, 0)[2],
        Instr::F64Const {
            value: Ieee64(0xfff0_0000_0000_0004)
        }
    );
}

#[test]
fn custom_annotations_keep_their_place() {
    let m = parse_module(r#"(module (@custom "a" (after func) "x\01") (func) (@custom "b" "y"))"#)
        .unwrap();
    assert_eq!(
        m.customs,
        [
            Custom {
                place: Place::After(SectionId::Function),
                kind: CustomKind::Raw {
                    name: "a".into(),
                    data: b"x\x01".to_vec()
                }
            },
            // After the last section the module writes (the code).
            Custom {
                place: Place::After(SectionId::Code),
                kind: CustomKind::Raw {
                    name: "b".into(),
                    data: b"y".to_vec()
                }
            },
        ]
    );
}

/// Custom sections after the last section keep their text order whatever
/// their anchor, and the name section goes right before them.
#[test]
fn trailing_custom_sections_follow_the_name_section() {
    let m = parse_module(
        r#"(module $m (@custom "a" (after data) "1") (func)
             (@producers (language "C" "")) (@custom "c" (after code) "3")
             (@custom "d" (before code) "4"))"#,
    )
    .unwrap();
    let customs: Vec<(Place, &str)> = m.customs.iter().map(|c| (c.place, c.kind.name())).collect();
    let code = Place::After(SectionId::Code);
    assert_eq!(
        customs,
        [
            (code, "name"),
            (code, "a"),
            (code, "producers"),
            (code, "c"),
            (Place::After(SectionId::DataCount), "d"),
        ]
    );
    let bytes = m.encode();
    let tail = b"\x04name\x00\x02\x01m\x00\x03\x01a1";
    assert!(bytes.windows(tail.len()).any(|w| w == tail), "{bytes:?}");
}

#[test]
fn errors_carry_the_spec_phrases() {
    assert!(err("(func block $a end $b)").contains("mismatching label"));
    assert!(err("(func $f) (func $f)").contains("duplicate func"));
    assert!(err("(func (param $x i32) (local $x i32))").contains("duplicate local"));
    assert!(err("(func br $nope)").contains("unknown label"));
    assert!(err("(func i32.frob)").contains("unknown operator"));
    assert!(err("(func (i32.const 0x1_0000_0000))").contains("constant out of range"));
    assert!(err("(type $t (func)) (func (type $t) (param i32))").contains("inline function type"));
    assert!(err("(func (i32.load align=3 (i32.const 0)))").contains("alignment"));
    assert!(err("(func) (import \"a\" \"b\" (func))").contains("import after function"));
    assert!(err("(func (call $g))").contains("unknown function"));
    assert!(err("(func").contains("unexpected end"));
    assert_eq!(
        err("(module (func) oops)"),
        "unexpected token `oops`, expected `(`"
    );
}

#[test]
fn errors_say_where() {
    let text = "(module\n  (func\n    i32.cont 1))";
    let e = parse_module(text).unwrap_err();
    // At the unknown keyword itself, not at the token after it.
    assert_eq!((e.line(), e.col()), (3, 5));
    let rendered = e.render("x.wat", text);
    assert!(
        rendered.starts_with("x.wat:3:5: unknown operator"),
        "{rendered}"
    );
    assert!(rendered.ends_with("    i32.cont 1))\n    ^"), "{rendered}");
}

/// A huge one-line file: the rendered error shows a window of the line,
/// not the line, and still gives the real column.
#[test]
fn errors_in_a_huge_line_show_a_window() {
    let n = 4_000_000;
    let text = format!("(module (func {}oops))", "nop ".repeat(n));
    let e = parse_module(&text).unwrap_err();
    let col = 15 + 4 * n;
    assert_eq!((e.line(), e.col() as usize), (1, col));
    let rendered = e.render("big.wat", &text);
    assert!(rendered.len() < 400, "{} bytes", rendered.len());
    assert!(
        rendered.starts_with(&format!("big.wat:1:{col}: unknown operator")),
        "{rendered}"
    );
    let mut lines = rendered.lines().skip(1);
    let (shown, caret) = (lines.next().unwrap(), lines.next().unwrap());
    assert!(
        shown.starts_with("...") && shown.ends_with("nop nop oops))"),
        "{shown}"
    );
    assert_eq!(&shown[caret.len() - 1..], "oops))");
}

#[test]
fn deep_nesting_neither_overflows_nor_fails() {
    let depth = 200_000;
    let text = format!("(func {}{})", "(block ".repeat(depth), ")".repeat(depth));
    let m = parse_module(&text).unwrap();
    assert_eq!(m.funcs[0].body.len(), 2 * depth + 1);
    let text = format!("(func {}", "(i32.add ".repeat(depth));
    assert!(parse_module(&text).is_err());
    let text = "(".repeat(depth);
    assert!(parse_module(&text).is_err());
}

#[test]
fn wat2wasm_encodes() {
    let bytes = wat2wasm("(module (func (export \"f\") (result i32) i32.const 42))").unwrap();
    assert_eq!(&bytes[..8], b"\0asm\x01\0\0\0");
    assert!(bytes.windows(2).any(|w| w == [0x41, 42]));
}

#[test]
fn flat_vector_literals_stop_at_the_next_instruction() {
    let m = parse_module(
        "(func (param v128) (result v128)
           local.get 0 local.get 0
           i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
           v128.const i32x4 1 2 3 4
           i8x16.swizzle)",
    )
    .unwrap();
    assert_eq!(
        code(&m, 0)[2],
        Instr::I8x16Shuffle {
            lanes: Box::new(Shuffle([
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
            ]))
        }
    );
    assert!(matches!(code(&m, 0)[4], Instr::I8x16Swizzle));
}

#[test]
fn name_annotations_name_entities() {
    let m = parse_module(
        r#"(module $m (@name "the module")
             (func $f (@name "f!") (call $f))
             (global (@name "g") i32 (i32.const 0))
             (func $h (@other "x")))"#,
    )
    .unwrap();
    assert_eq!(m.names.module.as_deref(), Some("the module"));
    assert_eq!(m.names.funcs, [(0, "f!".to_string()), (1, "h".to_string())]);
    assert_eq!(m.names.globals, [(0, "g".to_string())]);
    assert_eq!(code(&m, 0)[0], Instr::Call { func: 0 });
}

#[test]
fn folded_legacy_try_is_flattened() {
    let m = weft_wat::parse_module_with(
        "(tag $e (param i32))
         (func (result i32)
           (try $t (result i32) (do (i32.const 3)) (catch $e) (catch_all (br $t (i32.const 4))))
           (try (do (nop)) (delegate 0)))",
        Features::ALL,
    )
    .unwrap();
    let i32_ty = BlockType::Val(ValType::I32);
    assert_eq!(
        code(&m, 0),
        [
            Instr::Try { ty: i32_ty },
            Instr::I32Const { value: 3 },
            Instr::Catch { tag: 0 },
            Instr::CatchAll,
            Instr::I32Const { value: 4 },
            Instr::Br { label: 0 },
            Instr::End,
            Instr::Try {
                ty: BlockType::Empty
            },
            Instr::Nop,
            Instr::Delegate { label: 0 },
            Instr::End,
        ]
    );
    // Without the legacy proposal, `try` is not an instruction.
    assert!(
        parse_module("(func try end)")
            .unwrap_err()
            .message()
            .contains("unknown operator")
    );
}

/// Legacy `try` forms the proposal's grammar rules out (a second
/// `catch_all`, a handler after `catch_all`, `delegate` after a handler)
/// are malformed, with the phrase of the legacy exception tests; every
/// form the parser does accept encodes to a binary that weft-parser reads
/// back to the same code.
#[test]
fn malformed_legacy_try_forms_are_rejected() {
    let parse =
        |body: &str| weft_wat::parse_module_with(&format!("(tag $e) (func {body})"), Features::ALL);
    let malformed = [
        "try catch_all catch_all end",
        "try catch_all catch $e end",
        "try catch $e delegate 0",
        "try catch_all delegate 0",
        "try delegate delegate 0",
        "(try (do) (catch_all) (catch_all))",
        "(try (do) (catch_all) (catch $e))",
        "(try (do) (catch $e) (delegate 0))",
        "(try (do) (catch_all) (delegate 0))",
        "(catch_all)",
        "(delegate 0)",
    ];
    for body in malformed {
        let e = parse(body).expect_err(body);
        assert!(e.message().contains("unexpected token"), "{body}: {e}");
    }
    let well_formed = [
        "try end",
        "try catch $e catch $e catch_all end",
        "try catch_all end",
        "try delegate 0",
        "(try (do))",
        "(try (do) (catch $e) (catch $e) (catch_all))",
        "(try (do (nop)) (delegate 0))",
        "block try catch $e try delegate 1 end end",
    ];
    for body in well_formed {
        let m = parse(body).unwrap_or_else(|e| panic!("{body}: {e}"));
        let back = weft_parser::parse_with(&m.encode(), Features::ALL)
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(back.code, m.code, "{body}");
    }
}

#[test]
fn deep_labelled_nesting_resolves() {
    // Every branch names the outermost label (labels are looked up in a
    // map, so this stays linear).
    let depth = 50_000;
    let text = format!(
        "(func block $out {} end)",
        "block $in br $out ".repeat(depth) + &"end ".repeat(depth)
    );
    let m = parse_module(&text).unwrap();
    let last_br = code(&m, 0)
        .iter()
        .rev()
        .find_map(|i| match i {
            Instr::Br { label } => Some(*label),
            _ => None,
        })
        .unwrap();
    assert_eq!(last_br as usize, depth);
}

#[test]
fn bytes_must_be_utf8_and_errors_say_where() {
    use weft_wat::parse_module_bytes_with;
    let f = weft_ast::Features::default();
    let m = parse_module_bytes_with(b"(func (export \"\xc3\xa9\"))", f).unwrap();
    assert_eq!(m, parse_module("(func (export \"\u{e9}\"))").unwrap());
    let e = parse_module_bytes_with(b"(module\n  (func $\xff))", f).unwrap_err();
    assert_eq!(e.to_string(), "2:10: malformed UTF-8 encoding");
    assert_eq!(e.offset(), 17);
}

#[test]
fn name_annotations_name_params_and_locals() {
    let m = parse_module(
        r#"(func (param $x (@name "the x") i32) (param (@name "y") i64)
                 (local $l (@name "L") f32) (local (@name "") f64) (local $k i32)
             (drop (local.get $x)) (local.set $l (f32.const 0)))"#,
    )
    .unwrap();
    let names = |v: &[(u32, &str)]| -> Vec<(u32, String)> {
        v.iter().map(|(i, n)| (*i, n.to_string())).collect()
    };
    assert_eq!(
        m.names.locals,
        [(
            0,
            names(&[(0, "the x"), (1, "y"), (2, "L"), (3, ""), (4, "k")])
        )]
    );
    // The ids still refer to their own locals; the annotations are names only.
    assert_eq!(code(&m, 0)[0], Instr::LocalGet { local: 0 });
    assert_eq!(code(&m, 0)[3], Instr::LocalSet { local: 2 });
    // A name annotation declares one value, like an id.
    assert!(err(r#"(func (param (@name "p") i32 i32))"#).contains("unexpected token"));
    assert!(err(r#"(func (local $a (@name "p") i32 i32))"#).contains("unexpected token"));
    // Named parameters stay illegal in block types.
    assert!(err(r#"(func (block (param (@name "p") i32)))"#).contains("named parameter"));
}
