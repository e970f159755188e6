//! `weft json-from-wast` as a user runs it: the command file and its
//! modules beside it, `weft wast` on the command file giving the script's
//! own results, and bad inputs (missing, not a script, an output that
//! cannot be written) refused with nothing written.

mod common;

use common::{fails_with, stderr, temp, weft};

const SCRIPT: &str = r#"(module $m
  (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "boom") unreachable))
(assert_return (invoke "inc" (i32.const 41)) (i32.const 42))
(assert_return (invoke $m "inc" (i32.const 0)) (i32.const 2))
(assert_trap (invoke "boom") "unreachable")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected end")
"#;

#[test]
fn writes_commands_and_modules_that_run_the_same() {
    let dir = temp("jfw-out");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = temp("s.wast");
    std::fs::write(&script, SCRIPT).unwrap();
    let json = dir.join("s.json");
    let out = weft(&[
        "json-from-wast".as_ref(),
        script.as_os_str(),
        "-o".as_ref(),
        json.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let commands = v["commands"].as_array().unwrap();
    assert_eq!(commands.len(), 6);
    assert_eq!(commands[0]["filename"], "s.0.wasm");
    assert_eq!(commands[3]["expected"], serde_json::json!([]));
    assert_eq!(commands[5]["filename"], "s.2.wat");
    assert_eq!(std::fs::read(dir.join("s.2.wat")).unwrap(), b"(func");
    let module = std::fs::read(dir.join("s.0.wasm")).unwrap();
    assert!(weft_parser::parse(&module).is_ok());
    // The same results from the script and from its command file: one
    // failure (the second assert_return), the same line.
    let a = weft(&["wast".as_ref(), script.as_os_str()]);
    let b = weft(&["wast".as_ref(), json.as_os_str()]);
    let a = String::from_utf8(a.stdout).unwrap();
    let b = String::from_utf8(b.stdout).unwrap();
    assert!(a.ends_with("5 passed, 1 failed\n"), "{a}");
    assert!(b.ends_with("5 passed, 1 failed\n"), "{b}");
    assert!(b.contains("s.json:5: "), "{b}");
}

#[test]
fn bad_inputs_write_nothing() {
    let dir = temp("jfw-bad");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("x.json");
    // Missing input.
    fails_with(
        &[
            "json-from-wast".as_ref(),
            "/nonexistent/x.wast".as_ref(),
            "-o".as_ref(),
            json.as_os_str(),
        ],
        "/nonexistent/x.wast: No such file",
    );
    // A binary module, not a script.
    let wasm = temp("x.wasm");
    std::fs::write(&wasm, b"\0asm\x01\0\0\0\xff").unwrap();
    fails_with(
        &[
            "json-from-wast".as_ref(),
            wasm.as_os_str(),
            "-o".as_ref(),
            json.as_os_str(),
        ],
        "malformed UTF-8",
    );
    // Not a script.
    let text = temp("x.wast");
    std::fs::write(&text, "hello").unwrap();
    fails_with(
        &[
            "json-from-wast".as_ref(),
            text.as_os_str(),
            "-o".as_ref(),
            json.as_os_str(),
        ],
        "x.wast:",
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // An output directory that does not exist.
    std::fs::write(&text, SCRIPT).unwrap();
    fails_with(
        &[
            "json-from-wast".as_ref(),
            text.as_os_str(),
            "-o".as_ref(),
            "/nonexistent/dir/x.json".as_ref(),
        ],
        "/nonexistent/dir/",
    );
    // A command file whose module is missing.
    let out = weft(&[
        "json-from-wast".as_ref(),
        text.as_os_str(),
        "-o".as_ref(),
        json.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(dir.join("x.0.wasm")).unwrap();
    fails_with(
        &["wast".as_ref(), json.as_os_str()],
        "x.0.wasm: No such file",
    );
}
