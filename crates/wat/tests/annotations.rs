//! Annotations of the custom annotations and branch hinting proposals:
//! `(@custom ...)` placement, `(@name ...)` placement, and
//! `(@metadata.code.branch_hint ...)` read into `Module::branch_hints`,
//! with the proposals' error phrases.

use weft_ast::*;
use weft_wat::{CommandKind, ModuleSource, parse_module, parse_script};

fn err(text: &str) -> String {
    match parse_module(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.message().to_string(),
    }
}

fn places(text: &str) -> Vec<Place> {
    parse_module(text)
        .unwrap()
        .customs
        .iter()
        .filter(|c| matches!(c.kind, CustomKind::Raw { .. }))
        .map(|c| c.place)
        .collect()
}

#[test]
fn custom_placement() {
    use SectionId::*;
    assert_eq!(
        places(
            r#"(@custom "a" (before first)) (@custom "b" (after first)) (@custom "c" (before last))
               (@custom "d" (after last)) (@custom "e" (before code)) (@custom "f" (after datacount))
               (@custom "g" (before type)) (@custom "h")"#
        ),
        [
            Place::First,
            Place::After(Type),
            Place::After(Code),
            Place::After(Data),
            Place::After(DataCount),
            Place::After(DataCount),
            Place::First,
            Place::After(Data),
        ]
    );
    let m = parse_module(r#"(module (@custom "" "a" "" "bc"))"#).unwrap();
    assert_eq!(
        m.customs[0].kind,
        CustomKind::Raw {
            name: String::new(),
            data: b"abc".to_vec()
        }
    );
}

#[test]
fn custom_errors() {
    for (text, phrase) in [
        ("(@custom)", "@custom annotation: missing section name"),
        ("(@custom 4)", "@custom annotation: missing section name"),
        ("(@custom bla)", "@custom annotation: missing section name"),
        (
            r#"(@custom "\df")"#,
            "@custom annotation: malformed UTF-8 encoding",
        ),
        (
            r#"(@custom "bla" here)"#,
            "@custom annotation: unexpected token",
        ),
        (
            r#"(@custom "bla" "x" (after func))"#,
            "@custom annotation: unexpected token",
        ),
        (
            r#"(@custom "bla" (after))"#,
            "@custom annotation: malformed section kind",
        ),
        (
            r#"(@custom "bla" (before types))"#,
            "@custom annotation: malformed section kind",
        ),
        (
            r#"(@custom "bla" (type))"#,
            "@custom annotation: malformed placement",
        ),
        (
            r#"(@custom "bla" (aft type))"#,
            "@custom annotation: malformed placement",
        ),
        (
            r#"(@custom "bla" (after type x))"#,
            "@custom annotation: unexpected token",
        ),
        (
            r#"(type (@custom "bla") $t (func))"#,
            "misplaced @custom annotation",
        ),
        (r#"(func (@custom "bla"))"#, "misplaced @custom annotation"),
        (
            r#"(func (block (@custom "bla")))"#,
            "misplaced @custom annotation",
        ),
        (
            r#"(import (@custom "x") "m" "n" (func))"#,
            "misplaced @custom annotation",
        ),
    ] {
        assert!(err(text).contains(phrase), "{text}: {}", err(text));
    }
}

#[test]
fn name_placement() {
    let m = parse_module(r#"(module (@name "Modül") (func (@name "λ")) (tag $t (@name "θ")))"#)
        .unwrap();
    assert_eq!(m.names.module.as_deref(), Some("Modül"));
    assert_eq!(m.names.funcs, [(0, "λ".to_string())]);
    assert_eq!(m.names.tags, [(0, "θ".to_string())]);
    // Bare fields: a name before them names the module.
    let m = parse_module(r#"(@name "M") (func)"#).unwrap();
    assert_eq!(m.names.module.as_deref(), Some("M"));
    for (text, phrase) in [
        (
            r#"(module (@name "M1") (@name "M2"))"#,
            "@name annotation: multiple module names",
        ),
        (
            r#"(module $m (@name "M1") (@name "M2"))"#,
            "@name annotation: multiple module names",
        ),
        (
            r#"(func (@name "a") (@name "b"))"#,
            "@name annotation: multiple",
        ),
        (
            r#"(module (func) (@name "M"))"#,
            "misplaced @name annotation",
        ),
        (
            r#"(module (start $f (@name "M")) (func $f))"#,
            "misplaced @name annotation",
        ),
        (
            r#"(module (func $f nop (@name "x") nop))"#,
            "misplaced @name annotation",
        ),
        (
            r#"(module (func (@name)))"#,
            "@name annotation: string expected",
        ),
        (
            r#"(module (func (@name x)))"#,
            "@name annotation: string expected",
        ),
        (
            r#"(module (func (@name "a" "b")))"#,
            "@name annotation: unexpected token",
        ),
        (
            r#"(module (func (@name "\ff")))"#,
            "malformed UTF-8 encoding",
        ),
    ] {
        assert!(err(text).contains(phrase), "{text}: {}", err(text));
    }
}

/// The hints of each function, as (function, instruction, likely).
fn hints(text: &str) -> Vec<(u32, u32, bool)> {
    let m = parse_module(text).unwrap_or_else(|e| panic!("{}", e.render("t", text)));
    m.branch_hints
        .iter()
        .flat_map(|f| f.hints.iter().map(|h| (f.func, h.instr, h.likely)))
        .collect()
}

#[test]
fn branch_hints_name_their_instruction() {
    const U: &str = r#"(@metadata.code.branch_hint "\00")"#;
    const L: &str = r#"(@metadata.code.branch_hint "\01")"#;
    // Plain and folded, the folded `if` after its condition; a hint
    // before `end` or `(then` waits for the next instruction.
    assert_eq!(
        hints(&format!(
            "(import \"m\" \"f\" (func)) (func (param i32)
               local.get 0 local.get 0 {U} if {L} end br_if 0
               {L} (if (local.get 0) (then))
               (if (local.get 0) {U} (then (br_if 0 (local.get 0))))
               (block {L} (br_if 0 (i32.const 0))))"
        )),
        [
            (1, 2, false),
            (1, 4, true),
            (1, 6, true),
            (1, 11, false),
            (1, 15, true)
        ]
    );
    // The hints are written as the custom section, right before the code.
    let m = parse_module(&format!("(func {L} (br_if 0 (i32.const 1)))")).unwrap();
    assert_eq!(
        m.customs.last().map(|c| (c.place, &c.kind)),
        Some((Place::After(SectionId::DataCount), &CustomKind::BranchHints))
    );
}

#[test]
fn branch_hint_errors() {
    let phrase = |what: &str| format!("@metadata.code.branch_hint annotation: {what}");
    for (text, what) in [
        (
            r#"(@metadata.code.branch_hint "\01") (func)"#,
            "not in a function",
        ),
        (
            r#"(func) (global i32 (@metadata.code.branch_hint "\01") (i32.const 0))"#,
            "not in a function",
        ),
        (
            r#"(func (import "m" "f") (@metadata.code.branch_hint "\01")) (func)"#,
            "not in a function",
        ),
        (
            r#"(module (func) (@metadata.code.branch_hint "\01"))"#,
            "not in a function",
        ),
        (
            r#"(func nop (@metadata.code.branch_hint "\01"))"#,
            "invalid placement",
        ),
        (
            r#"(func (@metadata.code.branch_hint "\01") (@metadata.code.branch_hint "\01") (if (i32.const 1) (then)))"#,
            "duplicate annotation",
        ),
        (
            r#"(func (@metadata.code.branch_hint "\01") nop)"#,
            "invalid target",
        ),
        (
            r#"(func (@metadata.code.branch_hint "\01") (block))"#,
            "invalid target",
        ),
        (
            r#"(func (if (@metadata.code.branch_hint "\01") (i32.const 1) (then)))"#,
            "invalid target",
        ),
        (
            r#"(func (@metadata.code.branch_hint "\02") (br_if 0 (i32.const 1)))"#,
            "invalid hint value",
        ),
        (
            r#"(func (@metadata.code.branch_hint "\00" "\01") (br_if 0 (i32.const 1)))"#,
            "invalid hint value",
        ),
        (
            r#"(func (@metadata.code.branch_hint) (br_if 0 (i32.const 1)))"#,
            "invalid hint value",
        ),
        (
            r#"(func (@metadata.code.branch_hint 1) (br_if 0 (i32.const 1)))"#,
            "unexpected token",
        ),
    ] {
        assert!(err(text).contains(&phrase(what)), "{text}: {}", err(text));
    }
    // In pieces: a hint is concatenated from its strings.
    assert_eq!(
        hints(r#"(func (@metadata.code.branch_hint "" "\01" "") (br_if 0 (i32.const 1)))"#),
        [(0, 1, true)]
    );
}

/// An annotation error belongs to its module: the other modules of the
/// script still parse.
#[test]
fn annotation_errors_stay_in_their_script_module() {
    let script = parse_script(
        r#"(module (func (@metadata.code.branch_hint "\07") (br_if 0 (i32.const 1))))
           (module (func (@name "a") (@name "b")))
           (module (func $f (@name "f") (@metadata.code.branch_hint "\01") (br_if 0 (i32.const 1))))"#,
    )
    .unwrap();
    let results: Vec<Result<Module, String>> = script
        .commands
        .iter()
        .map(|c| match &c.kind {
            CommandKind::Module(m) => match &m.source {
                ModuleSource::Text(r) => r.clone().map(|m| *m).map_err(|e| e.to_string()),
                _ => panic!(),
            },
            _ => panic!(),
        })
        .collect();
    assert!(
        results[0]
            .as_ref()
            .unwrap_err()
            .contains("invalid hint value")
    );
    assert!(results[1].as_ref().unwrap_err().contains("multiple"));
    let m = results[2].as_ref().unwrap();
    assert_eq!(m.names.funcs, [(0, "f".to_string())]);
    assert_eq!(m.branch_hints.len(), 1);
}
