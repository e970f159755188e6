//! Chooses how the interpreter's handlers pass control (see
//! `src/interpreter/exec/threaded/mod.rs`): by tail calls (`weft_tail`)
//! where the compiler turns them into jumps, that is in optimized builds
//! without debug assertions (their checks build panic messages on the host
//! stack, which rules a sibling call out), on the one target CI runs and
//! tests that form on (x86-64 Linux: its ABI passes the handlers' six
//! arguments in registers; Win64 passes the extra ones on the stack, which
//! rules the sibling call out); else by returning to a driver loop.
//! `WEFT_DISPATCH=loop` forces the loop (to test it in optimized builds).
//!
//! Cargo before 1.93 does not tell build scripts about debug assertions
//! (`CARGO_CFG_DEBUG_ASSERTIONS`), and `RUSTFLAGS` can change the
//! optimization level behind this script's back: the source therefore also
//! gates the tail form on `not(debug_assertions)`, and the stack-flatness
//! test catches an unoptimized tail form.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(weft_tail)");
    println!("cargo::rustc-check-cfg=cfg(weft_jit)");
    // The baseline JIT (`src/jit/`): with the `jit` feature, on x86-64
    // Linux and macOS.
    let target_arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if std::env::var_os("CARGO_FEATURE_JIT").is_some()
        && target_arch == "x86_64"
        && matches!(target_os.as_str(), "linux" | "macos")
    {
        println!("cargo::rustc-cfg=weft_jit");
    }
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=WEFT_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = matches!(opt.as_str(), "2" | "3" | "s" | "z")
        && std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_none();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let sibling_calls = arch == "x86_64" && os == "linux";
    let forced_loop = std::env::var("WEFT_DISPATCH").is_ok_and(|d| d == "loop");
    if optimized && sibling_calls && !forced_loop {
        println!("cargo::rustc-cfg=weft_tail");
    }
}
