//! `weft validate` on text: a validation error in a function points at the
//! instruction's line and column, shows the line with a caret, and names
//! the function by its `$name`; an error outside the bodies points at the
//! field it is about. `--all-errors` lists one error per invalid function.

mod common;

use common::{stderr, temp, weft};

/// Writes `text` to a scratch file `name` and runs `weft validate` on it
/// with `extra` arguments: whether it passed, and its standard error.
fn validate(name: &str, text: &str, extra: &[&str]) -> (bool, String, String) {
    let path = temp(name);
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    let mut args = vec!["validate", &path];
    args.extend_from_slice(extra);
    let out = weft(&args);
    (out.status.success(), stderr(&out), path)
}

#[test]
fn text_validation_errors_point_at_the_instruction() {
    let text = "(module\n  (func $ok)\n  (func $add (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))\n";
    for extra in [&[][..], &["--parallel"][..]] {
        let (ok, message, path) = validate("where.wat", text, extra);
        assert!(!ok);
        let heading = format!("{path}:6:5: func $add: type mismatch");
        assert!(message.contains(&heading), "{message}");
        assert!(message.contains("\n    i32.add))\n    ^"), "{message}");
        assert!(!message.contains("instruction 2"), "{message}");
    }
    // Without a name, the function's index. The mismatch is at the
    // function's implicit `end`: its closing `)`.
    let (ok, message, path) = validate(
        "unnamed.wat",
        "(module (func) (func (result i32) (i64.const 1)))",
        &[],
    );
    assert!(!ok);
    let heading = format!("{path}:1:48: func 1: type mismatch");
    assert!(message.contains(&heading), "{message}");
}

#[test]
fn errors_outside_bodies_point_at_their_field() {
    let cases = [
        // A global's initializer: at the `(global`.
        (
            "(module\n  (global $g i32 (i64.const 0)))",
            "2:3: global $g: type mismatch",
        ),
        // The second of two exports of one name: at its own `(export`.
        (
            "(module\n  (func $f (export \"a\"))\n  (export \"a\" (func 0)))",
            "3:3: export \"a\": duplicate export name",
        ),
        // An inline export of a function that does exist, then a bad one.
        (
            "(module (func (export \"x\")) (export \"y\" (func 7)))",
            "1:29: export \"y\": unknown function",
        ),
        // An element segment for a table that does not exist.
        (
            "(module\n  (func)\n  (elem $e (i32.const 0) func 0))",
            "3:3: elem $e: unknown table",
        ),
        // A data segment for a memory that does not exist.
        (
            "(module\n\n  (data (i32.const 0) \"x\"))",
            "3:3: data 0: unknown memory",
        ),
        // A subtype of a final type, in a `rec`: at its own `(type`.
        (
            "(module\n  (rec (type $a (func)) (type $b (sub $a (func)))))",
            "2:25: type $b: sub type",
        ),
        // The start function must take and give nothing.
        (
            "(module (func $s (param i32)) (start $s))",
            "1:31: start: start function must have type [] -> []",
        ),
    ];
    for (text, want) in cases {
        let (ok, message, path) = validate("field.wat", text, &[]);
        assert!(!ok, "{text}");
        assert!(
            message.contains(&format!("{path}:{want}")),
            "{text}\n{message}"
        );
        assert!(message.contains('^'), "{message}");
    }
}

/// A module with three invalid functions among valid ones; the second
/// invalid one has a second error that follows from its first.
const THREE_BAD: &str = "(module
  (func $a (result i32)
    i64.const 1)
  (func $fine (result i32)
    i32.const 1)
  (func $b
    i32.add
    drop
    f32.neg)
  (func (param i32)
    local.get 1))
";

#[test]
fn all_errors_lists_one_error_per_invalid_function() {
    for extra in [&["--all-errors"][..], &["--all-errors", "--parallel"][..]] {
        let (ok, message, path) = validate("three.wat", THREE_BAD, extra);
        assert!(!ok);
        let lines: Vec<&str> = message
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        // `$a`'s mismatch is at its implicit `end`, the closing `)`.
        let want = [
            format!("error: {path}:3:16: func $a: type mismatch"),
            format!("error: {path}:7:5: func $b: type mismatch"),
            format!("error: {path}:11:5: func 3: unknown local"),
        ];
        assert_eq!(lines.len(), want.len(), "{message}");
        for (line, want) in lines.iter().zip(&want) {
            assert!(line.starts_with(want.as_str()), "{want}\n{message}");
        }
        // Each with its line and caret.
        assert!(message.contains("\n    i32.add\n    ^"), "{message}");
        // `f32.neg` on an empty stack follows from the `i32.add`: not shown.
        assert!(!message.contains("f32.neg"), "{message}");
    }
    // Without the flag, the first only.
    let (ok, message, path) = validate("three.wat", THREE_BAD, &[]);
    assert!(!ok);
    assert!(
        message.contains(&format!("{path}:3:16: func $a")),
        "{message}"
    );
    assert!(!message.contains("func $b"), "{message}");
    assert_eq!(message.matches("error:").count(), 1, "{message}");
}

#[test]
fn all_errors_stops_at_a_module_level_error() {
    // The global is wrong: the bodies, checked in the context the module's
    // fields build, are not reported (they could follow from it).
    let text = "(module\n  (global $g i32 (f32.const 0))\n  (func $a (result i32) (global.get $g))\n  (func $b (result i64) (i32.const 0)))";
    let (ok, message, path) = validate("module_level.wat", text, &["--all-errors"]);
    assert!(!ok);
    assert!(
        message.contains(&format!("{path}:2:3: global $g: type mismatch")),
        "{message}"
    );
    assert_eq!(message.matches("error:").count(), 1, "{message}");
    // A data segment's error is independent of the bodies': listed after.
    let text = "(module\n  (func $a (result i32) (i64.const 0))\n  (data (i32.const 0) \"\"))";
    let (ok, message, path) = validate("data.wat", text, &["--all-errors"]);
    assert!(!ok);
    let first = message.find(&format!("{path}:2:")).expect(&message);
    let second = message
        .find(&format!("{path}:3:3: data 0: unknown memory"))
        .expect(&message);
    assert!(first < second, "{message}");
    // A valid module stays quiet.
    let (ok, message, _) = validate("fine.wat", "(module (func))", &["--all-errors"]);
    assert!(ok, "{message}");
    assert!(message.is_empty(), "{message}");
}

#[test]
fn all_errors_on_binary_and_several_inputs() {
    let wasm = temp("three.wasm");
    std::fs::write(&wasm, weft_wat::wat2wasm(THREE_BAD).unwrap()).unwrap();
    let wat = temp("one.wat");
    std::fs::write(&wat, "(module (func $z (i32.const 0)))").unwrap();
    let out = weft(&[
        "validate",
        "--all-errors",
        wasm.to_str().unwrap(),
        wat.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let message = stderr(&out);
    let lines: Vec<&str> = message
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(lines.len(), 4, "{message}");
    // The binary's first error has its byte offset; the others their
    // function and instruction; then the text file's.
    assert!(
        lines[0].contains("func 0") && lines[0].contains("at offset"),
        "{message}"
    );
    assert!(
        lines[1].contains("func 2, instruction 0 (i32.add)"),
        "{message}"
    );
    assert!(
        lines[2].contains("func 3, instruction 0 (local.get)"),
        "{message}"
    );
    assert!(lines[2].contains("unknown local"), "{message}");
    let z = format!("{}:1:31: func $z: type mismatch", wat.display());
    assert!(lines[3].contains(&z), "{message}");
}
