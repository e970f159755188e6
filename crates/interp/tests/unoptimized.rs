//! Host functions that re-enter WebAssembly without end, on a thread with
//! the default 2 MiB stack of a spawned thread: the re-entry limit must
//! stop them with `call stack exhausted` before the host stack runs out,
//! however big the interpreter's frames are.
//!
//! Unoptimized builds have the biggest frames, so `.ci/run` runs this file
//! with weft-interp at opt-level 0 (and debug assertions, hence the loop
//! dispatch): `cargo test --profile test-o0 -p weft-interp --test
//! unoptimized`, `test-o0` being a profile of the root `Cargo.toml`. (The
//! plain test profile builds weft-interp at opt-level 3; a per-test profile
//! override does not exist in cargo, and `--config` overrides of the test
//! profile would rebuild the crate over the usual test build's artifacts.)
//! Under the plain test profile it runs too, optimized.

mod common;

use common::{call, module};
use weft_ast::FuncType;
use weft_interp::{Extern, Linker, Store, Trap};

/// The stack of a thread spawned without asking for more.
const SMALL_STACK: usize = 2 << 20;

#[test]
fn unbounded_host_reentry_is_bounded_on_a_small_thread() {
    let outcome = std::thread::Builder::new()
        .name("small".into())
        .stack_size(SMALL_STACK)
        .spawn(|| {
            let mut store = Store::new();
            let reenter = store.func(FuncType::default(), |caller, _, _| {
                let inst = caller.instance.expect("from wasm");
                let f = caller.store.export_func(inst, "f").expect("f");
                caller
                    .store
                    .call(f, &[])
                    .map(|_| ())
                    .map_err(|e| Trap::Host(e.to_string().into()))
            });
            let mut linker = Linker::new();
            linker.define("h", "reenter", Extern::Func(reenter));
            let inst = linker
                .instantiate(
                    &mut store,
                    &module(
                        r#"(module (import "h" "reenter" (func $r)) (func (export "f") (call $r)))"#,
                    ),
                )
                .unwrap();
            call(&mut store, inst, "f", &[]).unwrap_err().to_string()
        })
        .unwrap()
        .join()
        .expect("the thread ends normally");
    assert!(outcome.contains("call stack exhausted"), "{outcome}");
}
