//! The script runner on hand-written scripts: unknown commands are
//! skipped by name, the custom-section assertions are checked.

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
