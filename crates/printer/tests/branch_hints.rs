//! Branch hints survive text → binary → AST → text: the printer writes
//! each as `(@metadata.code.branch_hint ...)` before its instruction, flat
//! and folded, and the text parser reads the same hints back.

use weft_ast::Module;
use weft_printer::{Options, print_module};

const TEXT: &str = r#"(module
  (import "m" "f" (func $imported))
  (func $dummy)
  (func $a (export "a") (param i32 i32) (result i32)
    (local i64)
    (@metadata.code.branch_hint "\00")
    (if (result i32) (local.get 0)
      (then
        (block $b
          (@metadata.code.branch_hint "\01")
          (br_if $b (local.get 1))
          local.get 1
          (@metadata.code.branch_hint "\00") br_if $b
          (@metadata.code.branch_hint "\01")
          (if (local.get 1) (then (call $dummy)) (else (nop))))
        (i32.const 9))
      (else (i32.const 10))))
  (func $b (param i32) (result i32)
    (block (result i32)
      (i32.const 1)
      (@metadata.code.branch_hint "\01")
      (br_if 0 (local.get 0))
      drop
      (i32.const 2))))"#;

fn print(m: &Module, fold: bool, custom_annotations: bool) -> String {
    let opts = Options {
        fold,
        custom_annotations,
        ..Options::default()
    };
    let mut out = String::new();
    print_module(m, &opts, &mut out).unwrap();
    out
}

#[test]
fn hints_round_trip_through_binary_and_text() {
    let text = weft_wat::parse_module(TEXT).unwrap();
    let hinted: usize = text.branch_hints.iter().map(|f| f.hints.len()).sum();
    assert_eq!(hinted, 5);
    let bytes = text.encode();
    let binary = weft_parser::parse(&bytes).unwrap();
    assert_eq!(binary.branch_hints, text.branch_hints);
    for fold in [false, true] {
        let printed = print(&binary, fold, true);
        assert_eq!(
            printed.matches("(@metadata.code.branch_hint").count(),
            hinted,
            "{printed}"
        );
        let again = weft_wat::parse_module(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
        assert_eq!(again.branch_hints, text.branch_hints, "{printed}");
        assert_eq!(again.encode(), bytes, "{printed}");
    }
}

#[test]
fn hints_print_before_their_instruction() {
    let m = weft_wat::parse_module(TEXT).unwrap();
    let flat = print(&m, false, true);
    assert!(flat.contains("\n    (@metadata.code.branch_hint \"\\00\") if (result i32)\n"));
    assert!(flat.contains("(@metadata.code.branch_hint \"\\00\") br_if $b\n"));
    let folded = print(&m, true, true);
    assert!(
        folded.contains(
            "(@metadata.code.branch_hint \"\\01\") (br_if 0 (i32.const 1) (local.get 0))"
        ),
        "{folded}"
    );
    // Without custom annotations, no hint either.
    assert!(!print(&m, false, false).contains("@metadata"));
}
