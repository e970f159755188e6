//! Chooses how the interpreter's handlers pass control (see
//! `src/exec/threaded.rs`): by tail calls (`weft_tail`) where the compiler
//! turns them into jumps, that is in optimized builds without debug
//! assertions (their checks build panic messages on the host stack, which
//! rules a sibling call out) for targets whose LLVM backend makes sibling
//! calls; else by returning to a driver loop. `WEFT_DISPATCH=loop` forces
//! the loop (to test it in optimized builds).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(weft_tail)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=WEFT_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = matches!(opt.as_str(), "2" | "3" | "s" | "z")
        && std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_none();
    let sibling_calls = matches!(arch.as_str(), "x86_64" | "aarch64");
    let forced_loop = std::env::var("WEFT_DISPATCH").is_ok_and(|d| d == "loop");
    if optimized && sibling_calls && !forced_loop {
        println!("cargo::rustc-cfg=weft_tail");
    }
}
