//! `weft parse` on text input and `weft parse --check`, as a user runs them.

mod common;

use common::{fails_with, stderr, temp, weft};

const GOOD_TEXT: &str = "(module\n  (func (export \"f\") (result i32)\n    i32.const 7))\n";

#[test]
fn text_is_encoded_to_the_binary_format() {
    let input = temp("good.wat");
    let output = temp("good.wasm");
    std::fs::write(&input, GOOD_TEXT).unwrap();
    let out = weft(&[
        "parse".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        output.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read(&output).unwrap();
    assert!(written.starts_with(b"\0asm"));
    assert_eq!(
        weft_parser::parse(&written).unwrap(),
        weft_wat::parse_module(GOOD_TEXT).unwrap()
    );
}

#[test]
fn binary_output_read_back_as_input_is_unchanged() {
    // Content decides the format, whatever the file is called: the binary
    // written from text, under a `.wat` name, is read as binary.
    let text = temp("step1.wat");
    let binary = temp("step2.wat");
    let again = temp("step3.wasm");
    std::fs::write(&text, GOOD_TEXT).unwrap();
    let out = weft(&[
        "parse".as_ref(),
        text.as_os_str(),
        "-o".as_ref(),
        binary.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = weft(&[
        "parse".as_ref(),
        binary.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&binary).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn text_errors_show_file_line_column_and_caret() {
    let input = temp("bad.wat");
    let output = temp("bad.wasm");
    std::fs::write(&input, "(module\n  (func\n    i32.bogus))\n").unwrap();
    let out = weft(&[
        "parse".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        output.as_os_str(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let expected = format!(
        "{}:3:5: unknown operator",
        input.display() // the path as given on the command line
    );
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("\n    i32.bogus))\n    ^"), "{err}");
    assert!(!output.exists());
}

#[test]
fn invalid_utf8_is_reported_where_it_is() {
    let input = temp("latin1.wat");
    std::fs::write(&input, b"(module\n  (func $caf\xe9))\n").unwrap();
    let out = weft(&["parse".as_ref(), "--check".as_ref(), input.as_os_str()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(":2:13: malformed UTF-8 encoding"), "{err}");
}

#[test]
fn check_only_sets_the_exit_status() {
    let good = temp("check-good.wat");
    let bad = temp("check-bad.wat");
    let bad_binary = temp("check-bad.wasm");
    std::fs::write(&good, GOOD_TEXT).unwrap();
    std::fs::write(&bad, "(module (func (param i32 i32) (result))) )").unwrap();
    std::fs::write(&bad_binary, b"\0asm\x01\0\0\0\x01").unwrap();

    let out = weft(&["parse".as_ref(), "--check".as_ref(), good.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());

    fails_with(
        &["parse".as_ref(), "--check".as_ref(), bad.as_os_str()],
        ":1:42: unexpected token",
    );

    fails_with(
        &["parse".as_ref(), "--check".as_ref(), bad_binary.as_os_str()],
        "at offset 0x9",
    );

    // --check promises no output, so it refuses -o.
    let out = weft(&[
        "parse".as_ref(),
        "--check".as_ref(),
        good.as_os_str(),
        "-o".as_ref(),
        temp("never.wasm").as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(!temp("never.wasm").exists());
}

#[test]
fn features_apply_to_text() {
    let input = temp("simd.wat");
    std::fs::write(&input, "(func (drop (v128.const i64x2 0 0)))").unwrap();
    let out = weft(&["parse".as_ref(), "--check".as_ref(), input.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    fails_with(
        &[
            "parse".as_ref(),
            "--check".as_ref(),
            "--features".as_ref(),
            "wasm1".as_ref(),
            input.as_os_str(),
        ],
        "simd.wat:1:14: unknown operator v128.const",
    );
}
