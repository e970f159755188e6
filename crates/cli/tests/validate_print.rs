//! `weft validate`, `weft print` and `weft run` as a user runs them, on text
//! (and, for `validate`, binary) input.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{fails_with, stderr, temp, weft};

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

/// Writes `bytes` to a fresh file in the temporary directory.
fn binary(name: &str, bytes: &[u8]) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `(module (func (result i32) i32.const 1 <last>))` in binary: the body's
/// last instruction before `end` is `last`, at byte offset 0x1a.
fn one_function(last: u8) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    m.extend([1, 5, 1, 0x60, 0, 1, 0x7f]); // type section: [] -> [i32]
    m.extend([3, 2, 1, 0]); // function section
    m.extend([10, 7, 1, 5, 0, 0x41, 1, last, 0x0b]); // code section
    m
}

#[test]
fn validate_checks_binaries_and_names_the_byte_offset() {
    let ok = binary("ok.wasm", &one_function(0x01)); // nop
    let out = weft(&["validate", ok.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bad = binary("bad.wasm", &one_function(0x6a)); // i32.add, one operand
    for parallel in [false, true] {
        let mut args = vec!["validate", bad.to_str().unwrap()];
        if parallel {
            args.push("--parallel");
        }
        let out = weft(&args);
        assert!(!out.status.success());
        let message = stderr(&out);
        assert!(message.contains("type mismatch"), "{message}");
        assert!(message.contains("func 0"), "{message}");
        assert!(message.contains("0x1a"), "{message}");
    }
    // Malformed bytes: the decoder's phrase.
    let cut = binary("cut.wasm", &one_function(0x01)[..20]);
    let message = stderr(&weft(&["validate", cut.to_str().unwrap()]));
    assert!(message.contains("unexpected end"), "{message}");
}

#[test]
fn validate_reports_every_failing_input() {
    let ok = file("fine.wat", "(module)");
    let bad1 = file("bad1.wat", "(module (func (result i32) i64.const 1))");
    let bad2 = binary("bad2.wasm", &one_function(0x6a));
    let out = weft(&[
        "validate",
        bad1.to_str().unwrap(),
        ok.to_str().unwrap(),
        bad2.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let message = stderr(&out);
    let first = message.find("bad1.wat").expect("first failure reported");
    let second = message.find("bad2.wasm").expect("second failure reported");
    assert!(first < second, "{message}");
    assert!(!message.contains("fine.wat"), "{message}");
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
    fails_with(
        &["run", p, "--invoke", "div", "1", "0"],
        "integer divide by zero",
    );
    fails_with(&["run", p, "--invoke", "div", "1"], "takes 2 arguments");
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
