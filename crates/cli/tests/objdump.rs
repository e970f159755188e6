//! `weft objdump` as a user runs it: the exact disassembly of a small
//! module (the lines `wasm-objdump -d` prints for it), headers, details
//! and contents limited by `-j`, JSON, bad inputs; and, when wabt's
//! `wasm-objdump` is on PATH, the same offsets and bytes as its output on
//! generated modules (skipped, and said so, without it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fails_with, stderr, temp, weft};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn stdout(args: &[&std::ffi::OsStr]) -> String {
    let out = weft(args);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// What `wasm-objdump -d` (wabt 1.0.32) prints for tests/data/objdump.wat
/// encoded: names from imports and exports, locals after the parameter,
/// a memory argument as `align offset`, i32 constants unsigned, floats in
/// hex, a long instruction's bytes on a second row.
const DISASSEMBLY: &str = "
objdump.wat:\tfile format wasm 0x1

Code Disassembly:

000040 func[1] <main>:
 000041: 02 7f                      | local[1..2] type=i32
 000043: 01 7c                      | local[3] type=f64
 000045: 02 40                      | block
 000047: 20 00                      |   local.get 0
 000049: 28 02 04                   |   i32.load 2 4
 00004c: 41 78                      |   i32.const 4294967288
 00004e: 71                         |   i32.and
 00004f: 0d 00                      |   br_if 0
 000051: 41 01                      |   i32.const 1
 000053: 10 00                      |   call 0 <log>
 000055: 0b                         | end
 000056: 44 00 00 00 00 00 00 e0 3f | f64.const 0x1p-1
 00005f: 1a                         | drop
 000060: 23 00                      | global.get 0 <g>
 000062: 1a                         | drop
 000063: 42 ff ff ff ff ff ff ff ff | i64.const 9223372036854775807
 00006c: ff 00                      | \n 00006e: 0b                         | end
";

#[test]
fn disassembly_is_wasm_objdumps() {
    let wat = data("objdump.wat");
    assert_eq!(
        stdout(&["objdump".as_ref(), "-d".as_ref(), wat.as_os_str()]),
        DISASSEMBLY
    );
    // The binary gives the same lines.
    let wasm = temp("objdump.wasm");
    let out = weft(&[
        "parse".as_ref(),
        wat.as_os_str(),
        "-o".as_ref(),
        wasm.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&["objdump".as_ref(), "-d".as_ref(), wasm.as_os_str()]);
    assert_eq!(text.replace("objdump.wasm", "objdump.wat"), DISASSEMBLY);
}

#[test]
fn headers_contents_and_details_by_section() {
    let wat = data("objdump.wat");
    let text = stdout(&[
        "objdump".as_ref(),
        "-h".as_ref(),
        "-s".as_ref(),
        "-j".as_ref(),
        "data".as_ref(),
        wat.as_os_str(),
    ]);
    assert!(
        text.ends_with(
            "\nSections:\n\n     Data start=0x00000071 end=0x0000007c (size=0x0000000b) count: 1\n\
             \nContents of section Data:\n\
             0000071: 0100 4108 0b05 6865 6c6c 6f              ..A...hello\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Code"), "{text}");
    let text = stdout(&[
        "objdump".as_ref(),
        "-x".as_ref(),
        "-j".as_ref(),
        "Global".as_ref(),
        wat.as_os_str(),
    ]);
    assert!(
        text.ends_with("Section Details:\n\nGlobal[1]:\n - global[0] <g> i32 mutable=1\n"),
        "{text}"
    );
    // Every section with -h alone.
    let text = stdout(&["objdump".as_ref(), "-h".as_ref(), wat.as_os_str()]);
    for name in [
        "Type", "Import", "Function", "Memory", "Global", "Export", "Code", "Data",
    ] {
        assert!(
            text.contains(&format!("{name:>9} start=")),
            "{name}: {text}"
        );
    }
    assert!(!text.contains("Disassembly"));
}

#[test]
fn json_has_sections_and_instructions() {
    let wat = data("objdump.wat");
    let text = stdout(&[
        "objdump".as_ref(),
        "--json".as_ref(),
        "-h".as_ref(),
        "-d".as_ref(),
        wat.as_os_str(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let code = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Code")
        .unwrap();
    assert_eq!(code["count"], 1);
    let f = &v["functions"][0];
    assert_eq!(f["index"], 1);
    assert_eq!(f["name"], "main");
    assert_eq!(f["offset"], 0x40);
    let call = f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["text"] == "call 0 <log>")
        .unwrap();
    assert_eq!(call["offset"], 0x53);
    assert_eq!(call["bytes"], "1000");
    assert!(v.get("error").is_none());
}

#[test]
fn bad_inputs_are_refused_clearly() {
    let wat = data("objdump.wat");
    // No view asked for.
    fails_with(
        &["objdump".as_ref(), wat.as_os_str()],
        "give at least one of -h",
    );
    // A missing file.
    fails_with(
        &["objdump", "-d", "/nonexistent/none.wasm"],
        "/nonexistent/none.wasm: No such file",
    );
    // Not a module.
    let bad = temp("bad.wasm");
    std::fs::write(&bad, "hello\n").unwrap();
    fails_with(
        &["objdump".as_ref(), "-d".as_ref(), bad.as_os_str()],
        "magic header not detected at offset 0x0",
    );
    // No such section.
    fails_with(
        &[
            "objdump".as_ref(),
            "-h".as_ref(),
            "-j".as_ref(),
            "Nope".as_ref(),
            wat.as_os_str(),
        ],
        "no section named `Nope`",
    );
    // A body cut short: the headers are shown, then the error.
    let wasm = temp("cut.wasm");
    // One function whose body's `end` is a `nop`.
    std::fs::write(
        &wasm,
        b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x01",
    )
    .unwrap();
    let out = weft(&[
        "objdump".as_ref(),
        "-h".as_ref(),
        "-d".as_ref(),
        wasm.as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("     Code start="));
    assert!(stderr(&out).contains("cut.wasm:"), "{}", stderr(&out));
}

/// Each line's offset and bytes (left of `|`), after the file line.
fn left_columns(text: &str) -> Vec<String> {
    text.lines()
        .skip(3)
        .map(|l| l.split('|').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn same_offsets_and_bytes_as_wasm_objdump() {
    let found = Command::new("wasm-objdump").arg("--version").output();
    if found.is_err() {
        eprintln!("SKIPPED: wasm-objdump (wabt) is not on PATH; the comparison did not run");
        return;
    }
    let dir = temp("smith-modules");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Generated modules of the features wabt 1.0.32 reads.
    let out = weft(&[
        "smith".as_ref(),
        "--count".as_ref(),
        "20".as_ref(),
        "--features".as_ref(),
        "wasm2".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let ours = stdout(&["objdump".as_ref(), "-d".as_ref(), path.as_os_str()]);
        let theirs = Command::new("wasm-objdump")
            .arg("-d")
            .arg(&path)
            .output()
            .unwrap();
        assert!(theirs.status.success());
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        assert_eq!(
            left_columns(&ours),
            left_columns(&theirs),
            "{}",
            path.display()
        );
        // The instructions' text too, but for the local declarations
        // (wabt numbers them from another function's parameter count) and
        // call_indirect's table name.
        for (a, b) in ours.lines().zip(theirs.lines()).skip(3) {
            if !a.contains("| local[") && !a.contains("call_indirect") {
                assert_eq!(a, b, "{}", path.display());
            }
        }
        compared += 1;
    }
    assert_eq!(compared, 20);
}

#[test]
fn several_files_are_shown_in_turn_and_any_failure_fails() {
    let wat = data("objdump.wat");
    let text = stdout(&[
        "objdump".as_ref(),
        "-d".as_ref(),
        wat.as_os_str(),
        wat.as_os_str(),
    ]);
    assert_eq!(text, format!("{DISASSEMBLY}{DISASSEMBLY}"));
    // A missing file among good ones: the good ones are still shown, the
    // missing one is named, the command fails.
    let out = weft(&[
        "objdump".as_ref(),
        "-d".as_ref(),
        wat.as_os_str(),
        "/nonexistent/none.wasm".as_ref(),
        wat.as_os_str(),
    ]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{DISASSEMBLY}{DISASSEMBLY}")
    );
    assert!(
        stderr(&out).contains("/nonexistent/none.wasm: No such file"),
        "{}",
        stderr(&out)
    );
}
