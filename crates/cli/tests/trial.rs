//! A new user's trial (issue 16): hostile and unusual input, options where a
//! user puts them, values in the text syntax, errors that say where and
//! what, limits that hold, standard streams.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::{fails_with, stderr, temp, weft};

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs weft with `input` on standard input.
fn weft_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Item 4: a file named `*.wasm` is binary, whatever it holds.
#[test]
fn a_wasm_file_without_the_magic_number_is_not_read_as_text() {
    let cases: [&[u8]; 4] = [
        b"",
        b"  \n",
        b";; nothing\n(module)",
        b"\x9f\x01\xff garbage \x1b[31m",
    ];
    for (i, bytes) in cases.into_iter().enumerate() {
        let path = file(&format!("notwasm{i}.wasm"), bytes);
        for cmd in ["parse", "print", "dump", "validate"] {
            let mut args = vec![cmd, path.to_str().unwrap()];
            if cmd == "parse" {
                args.push("--check");
            }
            let out = weft(&args);
            assert!(!out.status.success(), "{cmd} accepted case {i}");
            let err = stderr(&out);
            assert!(
                err.contains("magic header not detected"),
                "{cmd} {i}: {err}"
            );
            assert!(!err.contains('\x1b'), "{cmd} {i} echoed raw bytes: {err}");
        }
    }
    // Other names are still told apart by content.
    let text = file("module.txt", b"(module)");
    assert!(
        weft(&["parse", "--check", text.to_str().unwrap()])
            .status
            .success()
    );
}

/// Item 6: a write error on standard output is an error.
#[cfg(target_os = "linux")]
#[test]
fn writing_to_a_full_device_fails() {
    let module = file(
        "full.wat",
        b"(module (func (export \"f\") (result i32) (i32.const 1)))",
    );
    let m = module.to_str().unwrap();
    for args in [
        vec!["dump", m],
        vec!["print", m],
        vec!["run", m, "--invoke", "f"],
        vec!["parse", m, "-o", "-"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} exited 0 on /dev/full");
        assert!(
            stderr(&out).contains("<stdout>"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// Items 7 and 8: options anywhere; arguments and results in the text
/// format's syntax, negative and NaN values included.
#[test]
fn run_takes_options_anywhere_and_values_in_the_text_syntax() {
    let module = file(
        "values.wat",
        br#"(module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "spin") (loop $l (br $l)))
          (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
          (func (export "null") (result externref) (ref.null extern))
          (func (export "i31") (result i31ref) (ref.i31 (i32.const 5)))
          (func (export "vec") (param v128) (result v128) (local.get 0)))"#,
    );
    let m = module.to_str().unwrap();
    let out = weft(&["run", m, "--invoke", "add", "1", "-2", "--fuel", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "-1\n");
    let out = weft(&["run", m, "--invoke", "spin", "--fuel", "10"]);
    assert!(
        stderr(&out).contains("all fuel consumed"),
        "{}",
        stderr(&out)
    );
    let out = weft(&["run", m, "--invoke", "neg", "nan:0x1"]);
    assert_eq!(stdout(&out), "-nan:0x1\n", "{}", stderr(&out));
    let out = weft(&["run", m, "--invoke", "neg", "-inf"]);
    assert_eq!(stdout(&out), "inf\n", "{}", stderr(&out));
    let out = weft(&["run", m, "--invoke", "null"]);
    assert_eq!(stdout(&out), "ref.null extern\n");
    let out = weft(&["run", m, "--invoke", "i31"]);
    assert_eq!(stdout(&out), "(ref.i31 5)\n");
    let out = weft(&["run", m, "--invoke", "vec", "i32x4 1 2 3 -1"]);
    assert_eq!(
        stdout(&out),
        "i32x4 0x00000001 0x00000002 0x00000003 0xffffffff\n",
        "{}",
        stderr(&out)
    );
}

/// Item 11: a trap names the file, the function and the instruction, with
/// the wasm frames it passed through.
#[test]
fn a_trap_says_where() {
    let module = file(
        "trap.wat",
        br#"(module
          (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
          (func (export "main") (param i32) (result i32) (call $div (local.get 0))))"#,
    );
    let out = weft(&["run", module.to_str().unwrap(), "--invoke", "main", "0"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("trap.wat: integer divide by zero"), "{err}");
    assert!(err.contains("wasm backtrace:"), "{err}");
    assert!(
        err.contains("0: func 0 $div, instruction 2 (i32.div_u)"),
        "{err}"
    );
    assert!(err.contains("1: func 1, instruction 1 (call)"), "{err}");
}

/// Item 11: a trap in a binary module gives each frame's byte offset.
#[test]
fn a_trap_in_a_binary_gives_byte_offsets() {
    let bytes = weft_wat::wat2wasm(
        r#"(module
          (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
          (func (export "main") (param i32) (result i32) (call $div (local.get 0))))"#,
    )
    .unwrap();
    let module = file("trap.wasm", &bytes);
    let out = weft(&["run", module.to_str().unwrap(), "--invoke", "main", "0"]);
    let err = stderr(&out);
    let offset_of = |frame: &str| -> usize {
        let line = err.lines().find(|l| l.contains(frame)).expect(frame);
        let hex = line.rsplit("at offset 0x").next().unwrap();
        usize::from_str_radix(hex, 16).unwrap()
    };
    assert_eq!(bytes[offset_of("(i32.div_u)")], 0x6e, "{err}");
    assert_eq!(bytes[offset_of("(call)")], 0x10, "{err}");
}

/// Item 11: a segment that does not fit says which, where and how big.
#[test]
fn a_segment_that_does_not_fit_says_so() {
    let module = file(
        "segment.wat",
        b"(module (memory 1) (data (i32.const 0) \"a\") (data (i32.const 65535) \"bc\") (func (export \"f\")))",
    );
    let out = weft(&["run", module.to_str().unwrap(), "--invoke", "f"]);
    let err = stderr(&out);
    assert!(
        err.contains("out of bounds memory access: data segment 1 (2 bytes at 65535) does not fit"),
        "{err}"
    );
}

/// Items 3 and 13: limits name themselves; unknown imports say what is
/// provided and how to provide more.
#[test]
fn limits_and_imports_say_what_they_are() {
    let four = file(
        "four.wat",
        b"(module (memory 16384) (memory 16384) (memory 16384) (memory 16384) (func (export \"f\")))",
    );
    let out = weft(&["run", four.to_str().unwrap(), "--invoke", "f"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("resource limit exceeded"), "{err}");
    assert!(
        err.contains("over its limit of 1 GiB of linear memory"),
        "{err}"
    );
    let out = weft(&[
        "run",
        four.to_str().unwrap(),
        "--invoke",
        "f",
        "--max-memory",
        "5GiB",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Memories that grow at run time under a limit: the second 32 MiB are
    // refused (-1, as the spec lets it), the fill then traps, and the
    // error says the limit was why.
    let grows = file(
        "grows.wat",
        br#"(module (memory $a 0) (memory $b 0)
              (func (export "f")
                (drop (memory.grow $a (i32.const 512)))
                (memory.fill $a (i32.const 0) (i32.const 1) (i32.const 0x2000000))
                (drop (memory.grow $b (i32.const 512)))
                (memory.fill $b (i32.const 0) (i32.const 1) (i32.const 0x2000000))))"#,
    );
    let out = weft(&[
        "run",
        grows.to_str().unwrap(),
        "--invoke",
        "f",
        "--max-memory",
        "48M",
    ]);
    let err = stderr(&out);
    assert!(err.contains("out of bounds memory access"), "{err}");
    assert!(
        err.contains("note: a memory or table could not grow earlier: resource limit exceeded"),
        "{err}"
    );
    let small = file("small.wat", b"(module (memory 2) (func (export \"f\")))");
    let out = weft(&[
        "run",
        small.to_str().unwrap(),
        "--invoke",
        "f",
        "--max-memory",
        "64K",
    ]);
    assert!(
        stderr(&out).contains("over its limit of 64 KiB"),
        "{}",
        stderr(&out)
    );

    let imports = file("imports.wat", b"(module (import \"env\" \"f\" (func)))");
    let lib = file("lib.wat", b"(module (func (export \"f\")))");
    let out = weft(&["run", imports.to_str().unwrap(), "--invoke", "f"]);
    let err = stderr(&out);
    assert!(err.contains("unknown import"), "{err}");
    assert!(err.contains("--preload NAME=FILE"), "{err}");
    let preload = format!("env={}", lib.display());
    let main = file(
        "main.wat",
        b"(module (import \"env\" \"f\" (func $f)) (func (export \"g\") (call $f)))",
    );
    let out = weft(&[
        "run",
        main.to_str().unwrap(),
        "--invoke",
        "g",
        "--preload",
        &preload,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Item 12: `--features` takes edits, lists its names, and says which are
/// valid.
#[test]
fn features_are_listed_edited_and_checked() {
    let out = weft(&["validate", "--features", "help", "x.wat"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("legacy-exceptions"),
        "{}",
        stdout(&out)
    );
    let simd = file(
        "simd.wat",
        b"(module (func (result i32) (i32x4.extract_lane 0 (v128.const i64x2 0 0))))",
    );
    let s = simd.to_str().unwrap();
    assert!(weft(&["validate", s]).status.success());
    let out = weft(&["validate", s, "--features", "-simd"]);
    assert!(!out.status.success(), "-simd had no effect");
    // A rule a proposal lifts names the flag that turns it on.
    let m64 = file("m64.wat", b"(module (memory i64 1))");
    let out = weft(&["validate", m64.to_str().unwrap(), "--features", "-memory64"]);
    assert!(
        stderr(&out).contains("(use --features +memory64)"),
        "{}",
        stderr(&out)
    );
    let out = weft(&["validate", s, "--features", "nope"]);
    assert!(stderr(&out).contains("known: wasm1"), "{}", stderr(&out));
    let empty = file("empty.wat", b"(module)");
    assert!(
        weft(&[
            "validate",
            empty.to_str().unwrap(),
            "--features",
            "all,-all"
        ])
        .status
        .success()
    );
}

/// Item 14: reading and converting decode every encoding weft knows,
/// legacy exceptions included; judging keeps the standard default and
/// names the flag.
#[test]
fn legacy_exceptions_are_read_by_default_and_judged_by_flag() {
    // (module (tag) (func try catch 0 end)) with the legacy encoding.
    let legacy: &[u8] = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\
        \x0d\x03\x01\0\0\x0a\x09\x01\x07\0\x06\x40\x07\0\x0b\x0b";
    let path = file("legacy.wasm", legacy);
    let p = path.to_str().unwrap();
    for cmd in [
        vec!["print", p],
        vec!["dump", p],
        vec!["parse", p, "--check"],
    ] {
        let out = weft(&cmd);
        assert!(out.status.success(), "{cmd:?}: {}", stderr(&out));
    }
    fails_with(&["validate", p], "--features +legacy-exceptions");
    assert!(
        weft(&["validate", p, "--features", "+legacy-exceptions"])
            .status
            .success()
    );
}

/// Item 14: `dump` shows the section table even when a body is malformed.
#[test]
fn dump_shows_the_sections_of_a_broken_module() {
    // A code section whose body holds an illegal opcode.
    let broken: &[u8] = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\
        \x0a\x05\x01\x03\0\xff\x0b";
    let path = file("broken.wasm", broken);
    let out = weft(&["dump", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("     Code start=0x00000014 end=0x00000019"),
        "{text}"
    );
    assert!(stderr(&out).contains("illegal opcode"), "{}", stderr(&out));
}

/// Items 15 and 16: `-` is a standard stream; `parse` validates what it
/// writes and writes binary to a pipe.
#[test]
fn standard_streams_and_parse_output() {
    let out = weft_stdin(&["print", "-", "-o", "-"], b"(module (func $f))");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(func $f"), "{}", stdout(&out));
    let out = weft_stdin(&["parse", "-"], b"(module (func $f))");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"\0asm"));
    assert!(!PathBuf::from("-").exists());
    let invalid = b"(module (func (result i32) (i64.const 1)))";
    let out = weft_stdin(&["parse", "-", "-o", "-"], invalid);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("type mismatch"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = weft_stdin(&["parse", "-", "-o", "-", "--no-validate"], invalid);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"\0asm"));
}

/// Item 17: `dump` reads text, as the README says every command does.
#[test]
fn dump_reads_text() {
    let path = file("dump.wat", b"(module (func (export \"f\")))");
    let out = weft(&["dump", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("- func[0] -> \"f\""),
        "{}",
        stdout(&out)
    );
}

/// Item 2: `wast --fuel` bounds every command, so a script that loops
/// forever ends, with that command failed.
#[test]
fn wast_fuel_bounds_a_script_that_loops_forever() {
    let script = file(
        "forever.wast",
        br#"(module (func (export "spin") (loop $l (br $l))) (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 1))
            (invoke "spin")
            (assert_return (invoke "one") (i32.const 1))"#,
    );
    let out = weft(&["wast", script.to_str().unwrap(), "--fuel", "100000"]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("all fuel consumed (at func 0, instruction 1 (br))"),
        "{text}"
    );
    assert!(text.contains("3 passed, 1 failed"), "{text}");
}

/// Issue 17, item 12: `wast` on invalid UTF-8 is an error, and `spec
/// --filter` matching nothing is too.
#[test]
fn wast_and_spec_refuse_what_they_cannot_run() {
    let bad = file("bad.wast", b"(module)\n\xff\xfe");
    fails_with(
        &["wast", bad.to_str().unwrap()],
        "malformed UTF-8 encoding at byte 9",
    );
    fails_with(
        &["spec", "--filter", "no-such-file-anywhere"],
        "no testsuite file matches",
    );
}
