//! What the end-to-end tests share: scratch files and running `weft`.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A fresh path in a temporary directory of this test binary's own.
pub fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "weft-cli-{}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs the built `weft` with these arguments.
#[allow(dead_code)]
pub fn weft<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .unwrap()
}

/// What a run printed on standard error.
#[allow(dead_code)]
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `weft` with these arguments, which must fail with `needle` in
/// its standard error; returns that standard error.
#[allow(dead_code)]
pub fn fails_with<S: AsRef<OsStr>>(args: &[S], needle: &str) -> String {
    let out = weft(args);
    let err = stderr(&out);
    assert!(!out.status.success(), "succeeded; stderr: {err}");
    assert!(err.contains(needle), "wanted {needle:?} in: {err}");
    err
}
