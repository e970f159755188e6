//! `weft run` on a WASI command as a user runs it: the clang-compiled C
//! program of weft-wasi's tests (`crates/wasi/tests/c/demo.c`), with a
//! preopened directory, an environment variable, arguments after `--`,
//! standard input, and its exit code as weft's.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::temp;

#[test]
fn a_wasi_command_runs_with_its_arguments_directory_and_exit_code() {
    let root = temp("wasi-root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("data/keep.txt"), "keep\n").unwrap();
    std::fs::write(root.join("secret.txt"), "secret\n").unwrap();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasi/tests/c/demo.wasm");
    let dir = format!("{}::data", root.join("data").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["run", demo, "--dir", &dir, "--env", "GREETING=Bonjour"])
        .args(["--", "wasm world", "42"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a line of input\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(42), "{stdout}");
    assert!(
        stdout.starts_with("argc=3\nargv[1]=wasm world\nargv[2]=42\nGREETING=Bonjour\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("data/../secret.txt: Operation not permitted"),
        "{stdout}"
    );
    assert!(stdout.ends_with("stdin: a line of input\n"), "{stdout}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "goodbye from stderr\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("data/out.txt")).unwrap(),
        "Bonjour, wasm world!\n"
    );
}

#[test]
fn a_module_without_start_needs_invoke() {
    let path = temp("lib.wat");
    std::fs::write(&path, "(module (func (export \"f\")))").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["run", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a WASI command"));
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["run", path.to_str().unwrap(), "--dir", "/no/such/dir"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/dir"));
}
