//! The script runner on hand-written scripts: unknown commands are
//! skipped by name, the custom-section assertions are checked, results
//! and exceptions are matched as the script semantics say.

use weft_ast::Features;
use weft_spec::runner::run_script;

/// Commands the parser does not know are read past and counted as
/// skipped, by name; the rest of the script still runs.
#[test]
fn unknown_commands_are_skipped_by_name() {
    let script = r#"
        (module (func (export "f") (result i32) (i32.const 1)))
        (input $i "other.wast")
        (assert_return (invoke "f") (i32.const 1))
        (assert_something_new (module (func)) (nested "(") "x")
        (thread $t (module))
        (wait $t)
        (output)
        (assert_return (invoke "f") (i32.const 2))
    "#;
    let outcome = run_script(script, Features::default());
    assert_eq!(outcome.passed, 2, "{outcome:?}");
    assert_eq!(outcome.failed(), 1, "{outcome:?}");
    assert_eq!(outcome.failures[0].0, 9);
    assert_eq!(outcome.skipped, 5);
    let names: Vec<(u32, &str)> = outcome
        .skips
        .iter()
        .map(|(line, n)| (*line, n.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (3, "input"),
            (5, "assert_something_new"),
            (6, "thread"),
            (7, "wait"),
            (8, "output")
        ]
    );
    assert_eq!(
        outcome.skipped_names(),
        "input (1), assert_something_new (1), thread (1), wait (1), output (1)"
    );
}

/// `assert_malformed_custom` and `assert_invalid_custom` pass when the
/// module is refused with the phrase, and fail when it is accepted or
/// refused for another reason.
#[test]
fn custom_assertions_are_checked() {
    let script = r#"
        (assert_malformed_custom (module quote "(module") "unexpected end")
        (assert_invalid_custom (module (func (result i32))) "type mismatch")
        (assert_malformed_custom (module quote "(module)") "anything")
        (assert_invalid_custom (module (func)) "anything")
        (assert_invalid_custom (module (func (result i32))) "unknown local")
    "#;
    let outcome = run_script(script, Features::default());
    assert_eq!(outcome.passed, 2, "{outcome:?}");
    let lines: Vec<u32> = outcome.failures.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [4, 5, 6]);
    assert_eq!(outcome.skipped, 0);
}

/// `assert_exception` wants an exception no handler caught: a trap whose
/// message names exceptions (`null exception reference`) fails it.
#[test]
fn assert_exception_wants_an_uncaught_exception() {
    let script = r#"
        (module
          (tag $t)
          (func (export "throws") (throw $t))
          (func (export "null") (throw_ref (ref.null exn))))
        (assert_exception (invoke "throws"))
        (assert_exception (invoke "null"))
    "#;
    let outcome = run_script(script, Features::default());
    assert_eq!(outcome.passed, 2, "{outcome:?}");
    assert_eq!(outcome.failed(), 1, "{outcome:?}");
    assert_eq!(outcome.failures[0].0, 7, "{outcome:?}");
}

/// A `(ref.null ht)` result matches a null of `ht`'s hierarchy only;
/// `(ref.null)` matches any null.
#[test]
fn a_null_result_matches_by_hierarchy() {
    let script = r#"
        (module
          (func (export "f") (result funcref) (ref.null func))
          (func (export "e") (result externref) (ref.null extern)))
        (assert_return (invoke "f") (ref.null func))
        (assert_return (invoke "f") (ref.null nofunc))
        (assert_return (invoke "e") (ref.null noextern))
        (assert_return (invoke "f") (ref.null))
        (assert_return (invoke "f") (ref.null extern))
        (assert_return (invoke "e") (ref.null func))
        (assert_return (invoke "e") (ref.null any))
    "#;
    let outcome = run_script(script, Features::default());
    assert_eq!(outcome.passed, 5, "{outcome:?}");
    let lines: Vec<u32> = outcome.failures.iter().map(|f| f.0).collect();
    assert_eq!(lines, [9, 10, 11], "{outcome:?}");
}
