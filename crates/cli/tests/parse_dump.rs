//! `weft parse` and `weft dump` as a user runs them.

mod common;

use common::{temp, weft};

const GOOD: &[u8] = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\
    \x07\x05\x01\x01f\0\0\x0a\x04\x01\x02\0\x0b";

#[test]
fn parse_writes_an_equal_module() {
    let input = temp("good.wasm");
    let output = temp("good.out.wasm");
    std::fs::write(&input, GOOD).unwrap();
    let out = weft(&[
        "parse".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        output.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read(&output).unwrap();
    assert_eq!(
        weft_parser::parse(&written).unwrap(),
        weft_parser::parse(GOOD).unwrap()
    );
}

#[test]
fn parse_rejects_bad_input_and_writes_nothing() {
    let input = temp("bad.wasm");
    let output = temp("bad.out.wasm");
    // The body's `end` replaced by `nop`: the code section runs out.
    let mut bad = GOOD.to_vec();
    *bad.last_mut().unwrap() = 0x01;
    std::fs::write(&input, &bad).unwrap();
    let out = weft(&[
        "parse".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        output.as_os_str(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unexpected end of section or function at offset 0x1f"),
        "{stderr}"
    );
    assert!(!output.exists());
}

#[test]
fn dump_shows_sections_and_exports() {
    let input = temp("dump.wasm");
    std::fs::write(&input, GOOD).unwrap();
    let out = weft(&["dump".as_ref(), input.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("     Code start=0x0000001b end=0x0000001f (size=0x00000004) count: 1"),
        "{text}"
    );
    assert!(text.contains(" - func[0] -> \"f\""), "{text}");
    let out = weft(&[
        "dump".as_ref(),
        "--features".as_ref(),
        "+nope".as_ref(),
        input.as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown feature `nope`"));
}
