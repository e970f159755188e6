//! weft's two engines against each other on weft-smith modules: the
//! interpreter (the reference) and the JIT (`Engine::Jit`, under test),
//! on the module and calls `common/diff.rs` generates, in swarm mode over
//! every proposal (relaxed SIMD included: the JIT makes the interpreter's
//! deterministic choices). The JIT promises the interpreter's behaviour
//! exactly, so more is compared than against other engines: every call's
//! results (NaNs equal to NaNs) or trap *message*, the fuel each call
//! left, the exported globals and each exported memory's size and hash.
//! Stack exhaustion, fuel and resource limits stop the comparison, as in
//! the other differential targets (the JIT's native stack may run out at
//! another depth than the interpreter's).
//!
//! The first input byte is a knob: its bit 0 picks the JIT store's memory
//! mode, explicit bounds checks (0) or guard pages (1, `MemoryMode::Guarded`:
//! unchecked compiled accesses whose faults the signal handler turns into
//! traps), so both lowerings of every access are fuzzed; the interpreter
//! always runs explicit. The rest of the input is the harness's. About
//! half the swarm's modules hold SIMD instructions (all proposals: SIMD is
//! kept with probability 3/4 and its ~260 rows are a large share of the
//! table), so the JIT's inline SIMD is reached without extra weight.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none diff_interp_jit` (x86-64
//! Linux and macOS: elsewhere the JIT does not exist and the target
//! compares nothing).

#![no_main]

#[path = "common/diff.rs"]
mod diff;

use diff::Run;
use libfuzzer_sys::fuzz_target;
use weft_ast::Features;
use weft_interp::{Engine, MemoryMode};

/// Every proposal: both engines are weft's and implement them all.
const FEATURES: Features = Features::ALL;

/// The JIT's run against the interpreter's: everything equal up to where
/// either stopped, trap messages and fuel included.
fn compare(interp: &Run, jit: &Run) -> Result<(), String> {
    let n = interp.calls.len().min(jit.calls.len());
    for k in 0..n {
        let (name, a) = &interp.calls[k];
        let b = &jit.calls[k].1;
        if a != b {
            return Err(format!("call {name}: interpreter {a:?}, jit {b:?}"));
        }
        if interp.fuel.get(k) != jit.fuel.get(k) {
            return Err(format!(
                "call {name}: fuel left: interpreter {:?}, jit {:?}",
                interp.fuel.get(k),
                jit.fuel.get(k)
            ));
        }
    }
    if interp.stopped || jit.stopped {
        return Ok(());
    }
    if interp.calls.len() != jit.calls.len() {
        return Err(format!(
            "{} calls on the interpreter, {} on the jit",
            interp.calls.len(),
            jit.calls.len()
        ));
    }
    diff::compare(interp, jit)
}

fuzz_target!(|data: &[u8]| {
    if !Engine::Jit.available() {
        return;
    }
    let Some((&knob, data)) = data.split_first() else {
        return;
    };
    let mode = if knob & 1 == 0 {
        MemoryMode::Explicit
    } else {
        MemoryMode::Guarded
    };
    let Some(case) = diff::case(data, FEATURES) else {
        return;
    };
    let interp = match diff::run_weft_on(&case, Engine::Interp) {
        Ok(r) => r,
        Err(e) => panic!("weft refuses a weft-smith module: {e}"),
    };
    if interp.inconclusive() {
        return;
    }
    let jit = match diff::run_weft_with(&case, Engine::Jit, mode) {
        Ok(r) => r,
        Err(e) => diff::report(
            "diff_interp_jit",
            &case,
            &interp,
            &Run::default(),
            &format!("the jit ({} memories) refuses the module: {e}", mode.name()),
        ),
    };
    if let Err(what) = compare(&interp, &jit) {
        let what = format!("{what} (jit with {} memories)", mode.name());
        diff::report("diff_interp_jit", &case, &interp, &jit, &what);
    }
});
