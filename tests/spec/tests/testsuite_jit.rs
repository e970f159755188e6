//! The spec testsuite under the JIT with explicit bounds checks (the
//! default memory mode), held to the interpreter's expectations: see
//! `jit_suite/mod.rs`, shared with `testsuite_jit_guard`.

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
mod jit_suite;

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
fn main() {
    jit_suite::run(weft_interp::MemoryMode::Explicit);
}

#[cfg(not(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"))))]
fn main() {
    println!("jit: no JIT on this target");
}
