//! `weft validate`, `weft print` and `weft run` as a user runs them, on text
//! input.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{stderr, temp, weft};

/// Writes `text` to a fresh file in the temporary directory.
fn file(name: &str, text: &str) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn validate_accepts_a_valid_module() {
    let path = file("ok.wat", "(module (func (result i32) i32.const 1))");
    let out = weft(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = weft(&["validate", "--parallel", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn validate_rejects_with_the_rule_and_place() {
    let path = file("bad.wat", "(module (func (result i32) i64.const 1))");
    let out = weft(&["validate", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("type mismatch"), "{message}");
    assert!(message.contains("func 0"), "{message}");
}

#[test]
fn validate_follows_features() {
    let path = file("two.wat", "(module (memory 1) (memory 1))");
    let out = weft(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = weft(&["validate", "--features", "wasm2", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let out = weft(&[
        "validate",
        "--features",
        "wasm2,+multi-memory",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn print_reads_text_too() {
    let path = file(
        "p.wat",
        "(module (func $f (export \"f\") (param i32) local.get 0 drop))",
    );
    let out = weft(&["print", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(func $f"), "{text}");
    assert!(text.contains("local.get 0"), "{text}");
    let again = weft_wat::parse_module(&text).unwrap();
    let original = weft_wat::parse_module(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(again.encode(), original.encode());
}

#[test]
fn run_invokes_and_reports_traps() {
    let path = file(
        "run.wat",
        "(module (func (export \"div\") (param i32 i32) (result i32) \
         (i32.div_s (local.get 0) (local.get 1))))",
    );
    let p = path.to_str().unwrap();
    let out = weft(&["run", p, "--invoke", "div", "-7", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "-3\n");
    let out = weft(&["run", p, "--invoke", "div", "1", "0"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("integer divide by zero"),
        "{}",
        stderr(&out)
    );
    let out = weft(&["run", p, "--invoke", "div", "1"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("takes 2 arguments"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_pipe_ends_the_report_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["spec", "--filter", "wasm-v2/i32.wast", "-v"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before weft writes its table.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
