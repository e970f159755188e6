//! The spec testsuite under the JIT with guard-page memories
//! (`MemoryMode::Guarded`: 32-bit memories reserved with a guard, loads
//! and stores of memory 0 unchecked, out-of-bounds accesses trapping
//! through the signal handler), held to the interpreter's expectations:
//! see `same_as_interp/mod.rs`, shared with `testsuite_jit`.

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
mod same_as_interp;

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
fn main() {
    same_as_interp::run("jit (guard)", |s| weft_spec::runner::Semantics {
        engine: weft_interp::Engine::Jit,
        memory_mode: weft_interp::MemoryMode::Guarded,
        ..s
    });
}

#[cfg(not(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"))))]
fn main() {
    println!("jit: no JIT on this target");
}
