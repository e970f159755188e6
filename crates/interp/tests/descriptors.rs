//! Custom descriptors at run time, through the embedder's API: what the
//! testsuite does not check (a descriptor read back from a global, a
//! descriptor branch both ways, linking by exactness through a `Linker`).

mod common;

use common::call;
use weft_ast::Features;
use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};

const FEATURES: Features = Features::ALL;

/// A described type `$a` (one field), its descriptor `$b`, and functions
/// that allocate, read back and compare descriptors.
const TEXT: &str = r#"(module
  (rec
    (type $a (sub (descriptor $b) (struct (field i32))))
    (type $b (sub (describes $a) (struct (field i32)))))
  (global $d1 (ref (exact $b)) (struct.new $b (i32.const 1)))
  (global $d2 (ref (exact $b)) (struct.new $b (i32.const 2)))
  (global $x (ref (exact $a)) (struct.new_desc $a (i32.const 7) (global.get $d1)))
  (func (export "desc-field") (result i32)
    (struct.get $b 0 (ref.get_desc $a (global.get $x))))
  (func (export "same") (result i32)
    (struct.get $a 0
      (ref.cast_desc_eq (ref (exact $a)) (global.get $x) (global.get $d1))))
  (func (export "other") (result i32)
    (struct.get $a 0
      (ref.cast_desc_eq (ref $a) (global.get $x) (global.get $d2))))
  (func (export "null-desc") (result anyref)
    (ref.cast_desc_eq (ref null $a) (ref.null none) (ref.null none)))
  (func (export "branch") (param i32) (result i32)
    (block $hit (result (ref $a))
      (br_on_cast_desc_eq $hit anyref (ref $a)
        (global.get $x)
        (select (result (ref $b)) (global.get $d1) (global.get $d2) (local.get 0)))
      (drop)
      (return (i32.const -1)))
    (struct.get $a 0))
  (func (export "new-null") (result anyref)
    (struct.new_default_desc $a (ref.null none)))
)"#;

fn module(text: &str) -> Module {
    let ast = weft_wat::parse_module_with(text, FEATURES).expect("parses");
    Module::with_features(ast, FEATURES).expect("valid")
}

#[test]
fn descriptors_are_stored_read_and_compared() {
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module(TEXT))
        .expect("instantiates");
    assert_eq!(
        call(&mut store, inst, "desc-field", &[]),
        Ok(vec![Value::I32(1)])
    );
    assert_eq!(call(&mut store, inst, "same", &[]), Ok(vec![Value::I32(7)]));
    assert_eq!(
        call(&mut store, inst, "other", &[]),
        Err(Error::Trap(Trap::DescriptorCastFailure))
    );
    assert_eq!(
        call(&mut store, inst, "null-desc", &[]),
        Err(Error::Trap(Trap::NullDescriptorReference))
    );
    assert_eq!(
        call(&mut store, inst, "branch", &[Value::I32(1)]),
        Ok(vec![Value::I32(7)])
    );
    assert_eq!(
        call(&mut store, inst, "branch", &[Value::I32(0)]),
        Ok(vec![Value::I32(-1)])
    );
    assert_eq!(
        call(&mut store, inst, "new-null", &[]),
        Err(Error::Trap(Trap::NullDescriptorReference))
    );
}

#[test]
fn exact_function_imports_take_exactly_their_type() {
    let mut store = Store::new();
    let provider = Linker::new()
        .instantiate(
            &mut store,
            &module(
                r#"(module
                  (type $super (sub (func)))
                  (type $sub (sub $super (func)))
                  (func (export "sub") (type $sub)))"#,
            ),
        )
        .expect("instantiates");
    let f = store.export_func(provider, "sub").expect("export");
    let mut linker = Linker::new();
    linker.define("p", "sub", Extern::Func(f));
    let exact_super = module(
        r#"(module
          (type $super (sub (func)))
          (import "p" "sub" (func (exact (type $super)))))"#,
    );
    assert!(linker.instantiate(&mut store, &exact_super).is_err());
    let exact_sub = module(
        r#"(module
          (type $super (sub (func)))
          (type $sub (sub $super (func)))
          (import "p" "sub" (func (exact (type $sub)))))"#,
    );
    assert!(linker.instantiate(&mut store, &exact_sub).is_ok());
}

#[test]
fn exactness_needs_the_proposal() {
    let text = "(module (type (struct)) (global (ref null (exact 0)) (ref.null none)))";
    assert!(weft_wat::parse_module_with(text, Features::default()).is_err());
    assert!(weft_wat::parse_module_with(text, FEATURES).is_ok());
}
