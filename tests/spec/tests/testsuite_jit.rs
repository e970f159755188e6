//! The spec testsuite under the JIT with explicit bounds checks (the
//! default memory mode), held to the interpreter's expectations: see
//! `same_as_interp/mod.rs`, shared with `testsuite_jit_guard`.

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
mod same_as_interp;

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
fn main() {
    same_as_interp::run("jit (explicit)", |s| weft_spec::runner::Semantics {
        engine: weft_interp::Engine::Jit,
        memory_mode: weft_interp::MemoryMode::Explicit,
        ..s
    });
}

#[cfg(not(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"))))]
fn main() {
    println!("jit: no JIT on this target");
}
