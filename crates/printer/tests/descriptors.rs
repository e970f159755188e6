//! Custom descriptors through encode, decode, print and parse: the
//! `describes`/`descriptor` clauses, exact heap types, exact function
//! imports and the descriptor instructions all come back unchanged.

use weft_ast::Features;

const FEATURES: Features = Features::ALL;

const TEXT: &str = r#"(module
  (rec
    (type $a (sub (descriptor $b) (struct (field i32))))
    (type $b (sub (describes $a) (descriptor $c) (struct)))
    (type $c (describes $b) (struct)))
  (type $f (func))
  (import "m" "f" (func $imp (exact (type $f))))
  (global $c (ref (exact $c)) (struct.new $c))
  (global $b (ref (exact $b)) (struct.new_default_desc $b (global.get $c)))
  (func (param anyref) (result (ref null $a))
    (block $l (result anyref)
      (br_on_cast_desc_eq_fail $l anyref (ref (exact $a))
        (local.get 0) (global.get $b))
      (ref.get_desc $a)
      (drop)
      (ref.null none))
    (ref.cast_desc_eq (ref null $a) (global.get $b))
    (struct.new_desc $a (i32.const 1) (global.get $b))
    (drop))
)"#;

#[test]
fn descriptors_survive_binary_and_text_round_trips() {
    let ast = weft_wat::parse_module_with(TEXT, FEATURES).expect("parses");
    let bytes = ast.encode();
    let decoded = weft_parser::parse_with(&bytes, FEATURES).expect("decodes");
    // (The name section's recorded place differs: compare the rest.)
    assert_eq!(decoded.types, ast.types);
    assert_eq!(decoded.imports, ast.imports);
    assert_eq!(decoded.globals, ast.globals);
    assert_eq!(decoded.code, ast.code);
    let text = weft_printer::to_string(&ast);
    let reparsed = weft_wat::parse_module_with(&text, FEATURES).expect("printed text parses");
    assert_eq!(reparsed.types, ast.types);
    assert_eq!(reparsed.code, ast.code);
}
