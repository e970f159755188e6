//! `parse_module_with_source_map`: where each instruction of the parsed
//! code came from in the text.

mod common;

use weft_ast::{Features, Instr};
use weft_wat::{Item, parse_module_with, parse_module_with_source_map};

/// The text at each instruction's offset, by function.
fn starts(text: &str) -> Vec<Vec<(Instr, String)>> {
    let (m, map) = parse_module_with_source_map(text, Features::default()).unwrap();
    assert_eq!(m, parse_module_with(text, Features::default()).unwrap());
    let imported = m.num_imports(weft_ast::ExternKind::Func);
    (0..m.funcs.len() as u32)
        .map(|f| {
            let body = m.funcs[f as usize].body;
            (0..body.len() as u32)
                .map(|i| {
                    let at = map.func_offset(&m, imported + f, Some(i)).unwrap();
                    let word: String = text[at..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .collect();
                    (m.code[(body.start + i) as usize].clone(), word)
                })
                .collect()
        })
        .collect()
}

#[test]
fn instructions_point_at_their_text() {
    let text = r#"(module
  (import "m" "f" (func))
  (global i32 (i32.const 7))
  (func $a (param i32) (result i32)
    local.get 0
    (i32.add (i32.const 1) (local.get 0))
    (if (result i32) (local.get 0)
      (then (i32.const 2))
      (else (i32.const 3)))
    drop
    block $b
      br 0
    end)
  (func (nop)))"#;
    let words =
        |f: &[(Instr, String)]| -> Vec<String> { f.iter().map(|(_, w)| w.clone()).collect() };
    let funcs = starts(text);
    assert_eq!(
        words(&funcs[0]),
        [
            "local.get",
            "i32.const",
            "local.get",
            "i32.add",
            "local.get",
            "if",
            "i32.const",
            "else",
            "i32.const",
            "))",
            "drop",
            "block",
            "br",
            "end)",
            ")",
        ]
    );
    assert_eq!(funcs[0][3].0, Instr::I32Add);
    assert_eq!(words(&funcs[1]), ["nop)))", "))"]);
}

#[test]
fn function_errors_name_the_function_and_its_place() {
    let text =
        "(module\n  (import \"m\" \"f\" (func))\n  (func $f\n    nop\n\ti32.add)\n  (func (nop)))";
    let (m, map) = parse_module_with_source_map(text, Features::default()).unwrap();
    // Function 1 is `$f` (after the import), its instruction 1 `i32.add`.
    let e = map
        .func_error(text, &m, 1, Some(1), "type mismatch")
        .unwrap();
    assert_eq!((e.line(), e.col()), (5, 2));
    assert_eq!(e.message(), "func $f: type mismatch");
    assert_eq!(
        e.render("x.wat", text),
        "x.wat:5:2: func $f: type mismatch\n\ti32.add)\n\t^"
    );
    // A function without a name; a function as a whole is at its `(func`.
    let e = map.func_error(text, &m, 2, None, "bad").unwrap();
    assert_eq!((e.line(), e.col(), e.message()), (6, 3, "func 2: bad"));
    // An imported function is at its import; it has no instructions.
    let e = map.func_error(text, &m, 0, None, "x").unwrap();
    assert_eq!((e.line(), e.col(), e.message()), (2, 3, "func 0: x"));
    assert!(map.func_error(text, &m, 0, Some(0), "x").is_none());
    // Indices outside the module have no place.
    assert!(map.func_error(text, &m, 3, None, "x").is_none());
    assert!(map.func_error(text, &m, 1, Some(9), "x").is_none());
}

#[test]
fn every_entity_is_at_its_field() {
    let text = r#"(module
  (type $t (func))
  (rec (type $a (struct)) (type $b (array i8)))
  (import "m" "g" (global $ig i32))
  (func $imp (import "m" "f") (param i64))
  (table $tab 1 funcref)
  (memory $mem (data "x"))
  (global $g (export "g1") (export "g2") i32 (i32.const 0))
  (tag $e)
  (export "f" (func $imp))
  (start $imp)
  (elem $el (i32.const 0) func $imp)
  (data $d "y")
  (func (param f32)))"#;
    let (m, map) = parse_module_with_source_map(text, Features::default()).unwrap();
    // (line, column) of each item's place, and how it is named.
    let place = |item: Item| {
        let e = map.error(text, &m, item, None, "bad").unwrap();
        (e.line(), e.col(), e.message().to_string())
    };
    let want = |line: u32, col: u32, what: &str| (line, col, format!("{what}: bad"));
    assert_eq!(place(Item::Type(0)), want(2, 3, "type $t"));
    assert_eq!(place(Item::Type(1)), want(3, 8, "type $a"));
    assert_eq!(place(Item::Type(2)), want(3, 27, "type $b"));
    // The implicit type of `$imp`'s signature, then of the last function's.
    assert_eq!(place(Item::Type(3)), want(5, 3, "type 3"));
    assert_eq!(place(Item::Type(4)), want(14, 3, "type 4"));
    assert_eq!(place(Item::Import(0)), want(4, 3, r#"import "m" "g""#));
    assert_eq!(place(Item::Import(1)), want(5, 3, r#"import "m" "f""#));
    assert_eq!(place(Item::Global(0)), want(4, 3, "global $ig"));
    assert_eq!(place(Item::Global(1)), want(8, 3, "global $g"));
    assert_eq!(place(Item::Func(0)), want(5, 3, "func $imp"));
    assert_eq!(place(Item::Func(1)), want(14, 3, "func 1"));
    assert_eq!(place(Item::Table(0)), want(6, 3, "table $tab"));
    assert_eq!(place(Item::Memory(0)), want(7, 3, "memory $mem"));
    assert_eq!(place(Item::Tag(0)), want(9, 3, "tag $e"));
    // Inline exports at their own `(export`, in order.
    assert_eq!(place(Item::Export(0)), want(8, 14, r#"export "g1""#));
    assert_eq!(place(Item::Export(1)), want(8, 28, r#"export "g2""#));
    assert_eq!(place(Item::Export(2)), want(10, 3, r#"export "f""#));
    assert_eq!(place(Item::Start), want(11, 3, "start"));
    assert_eq!(place(Item::Elem(0)), want(12, 3, "elem $el"));
    // The memory's inline segment is at the memory.
    assert_eq!(place(Item::Data(0)), want(7, 3, "data 0"));
    assert_eq!(place(Item::Data(1)), want(13, 3, "data $d"));
    for item in [
        Item::Type(5),
        Item::Import(2),
        Item::Func(2),
        Item::Global(2),
        Item::Export(3),
        Item::Elem(1),
        Item::Data(2),
    ] {
        assert!(map.error(text, &m, item, None, "x").is_none(), "{item:?}");
    }
    // Only functions have instructions.
    assert!(map.error(text, &m, Item::Global(1), Some(0), "x").is_none());
    // Without a start field, the start has no place.
    let (m, map) = parse_module_with_source_map("(module)", Features::default()).unwrap();
    assert!(map.error("(module)", &m, Item::Start, None, "x").is_none());
}

/// An `Item` variant, as a function of its index.
type ItemOf = fn(u32) -> Item;

#[test]
fn every_testsuite_module_is_mapped_whole() {
    use weft_ast::ExternKind;
    let mut mapped = 0;
    for (name, text) in common::wast_files() {
        let Ok(script) = weft_wat::parse_script_with(text, Features::ALL) else {
            continue;
        };
        common::each_module(&script.commands, &mut |sm, _, _| {
            let weft_wat::ModuleSource::Text(Ok(expected)) = &sm.source else {
                return;
            };
            if sm.definition {
                return;
            }
            let src = &text[sm.span.clone()];
            let (m, map) = parse_module_with_source_map(src, Features::ALL)
                .unwrap_or_else(|e| panic!("{name}:{}: {e}", sm.line));
            assert_eq!(&m, &**expected, "{name}:{}", sm.line);
            let here = format!("{name}:{}", sm.line);
            // One offset per instruction, each inside the text.
            for i in 0..m.code.len() {
                assert!(map.instr(i).is_some_and(|at| at < src.len()), "{here}");
            }
            assert_eq!(map.instr(m.code.len()), None, "{here}");
            // One place per entity of every kind, and no more.
            let space = |k: ExternKind, defined: usize| m.num_imports(k) as usize + defined;
            let kinds: [(ItemOf, usize); 10] = [
                (Item::Type, m.types.len()),
                (Item::Import, m.imports.len()),
                (Item::Func, space(ExternKind::Func, m.funcs.len())),
                (Item::Table, space(ExternKind::Table, m.tables.len())),
                (Item::Memory, space(ExternKind::Memory, m.memories.len())),
                (Item::Global, space(ExternKind::Global, m.globals.len())),
                (Item::Tag, space(ExternKind::Tag, m.tags.len())),
                (Item::Export, m.exports.len()),
                (Item::Elem, m.elems.len()),
                (Item::Data, m.datas.len()),
            ];
            for (item, count) in kinds {
                for i in 0..count as u32 {
                    let at = map.offset(item(i));
                    assert!(at.is_some_and(|at| at < src.len()), "{here}: {:?}", item(i));
                }
                assert_eq!(map.offset(item(count as u32)), None, "{here}");
            }
            assert_eq!(
                map.offset(Item::Start).is_some(),
                m.start.is_some(),
                "{here}"
            );
            mapped += 1;
        });
    }
    assert!(mapped > 10_000, "only {mapped} modules");
}
