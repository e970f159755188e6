//! Differential tests against wasm-tools (dev-dependencies only): the
//! testsuite's binary modules are accepted or rejected as `wasmparser`'s
//! validator does, and its text modules, compiled by `wat`, decode, agree
//! and survive an encode/decode round trip.

mod common;

use common::{all_binary_modules, all_text_modules};
use wasmparser::{Validator, WasmFeatures};
use weft_parser::{Features, parse_with};

/// wasmparser's set for a weft feature set: each proposal by its name
/// (weft's `multi-memory` is wasmparser's `MULTI_MEMORY`).
fn oracle_features(f: Features) -> WasmFeatures {
    let theirs = |name: &str| {
        WasmFeatures::from_name(&name.to_uppercase().replace('-', "_"))
            .unwrap_or_else(|| panic!("wasmparser has no feature named like {name}"))
    };
    f.names()
        .map(theirs)
        .fold(WasmFeatures::FLOATS | WasmFeatures::GC_TYPES, |all, one| {
            all | one
        })
}

fn oracle_accepts(bytes: &[u8], features: Features) -> bool {
    Validator::new_with_features(oracle_features(features))
        .validate_all(bytes)
        .is_ok()
}

#[test]
fn binary_modules_agree_with_wasmparser() {
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for m in all_binary_modules() {
        if m.unsupported {
            continue;
        }
        let ours = parse_with(&m.bytes, m.features);
        let theirs = oracle_accepts(&m.bytes, m.features);
        // Valid modules must be accepted by both; malformed ones rejected by
        // both. (Modules of `assert_invalid` decode but do not validate, so
        // the validator is no oracle for them: only ours is checked, by the
        // spec test.)
        let expected_ok = m.malformed.is_none();
        if expected_ok && !theirs {
            continue;
        }
        if ours.is_ok() == theirs {
            agree += 1;
        } else {
            disagreements.push(format!(
                "{}: weft {:?}, wasmparser {}",
                m.origin,
                ours.err().map(|e| e.to_string()),
                if theirs { "accepts" } else { "rejects" }
            ));
        }
    }
    for d in &disagreements {
        println!("DISAGREE {d}");
    }
    println!(
        "binary modules: {agree} agree with wasmparser, {} disagree",
        disagreements.len()
    );
    assert!(agree > 3000);
    assert!(disagreements.is_empty());
}

/// `wat` writes element segments in bulk memory's encoding even for Wasm
/// 1.0 text (`(elem 0 ...)` as kind 2 with an explicit table), and
/// wasmparser reads that encoding whatever its features. weft reads a Wasm
/// 1.0 module as Wasm 1.0 does (a table index where the kind now is: 2 is
/// table 2), so `wat`'s output for the 1.0 folders is decoded with the
/// segment kinds on. (The testsuite's own 1.0 binaries use the 1.0 encoding
/// and are checked as they are by the test above.)
fn segment_kinds_on(f: Features) -> Features {
    if f.contains(Features::BULK_MEMORY) || f.contains(Features::REFERENCE_TYPES) {
        f
    } else {
        f.with(Features::BULK_MEMORY)
    }
}

#[test]
fn text_modules_round_trip_and_agree() {
    let (mut checked, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for m in all_text_modules() {
        let Ok(bytes) = wat::parse_str(&m.text) else {
            // Text the `wat` crate cannot compile (newer syntax).
            skipped += 1;
            continue;
        };
        if !oracle_accepts(&bytes, m.features) {
            skipped += 1;
            continue;
        }
        checked += 1;
        let features = segment_kinds_on(m.features);
        match parse_with(&bytes, features) {
            Ok(module) => {
                let again = parse_with(&module.encode(), features);
                if again.as_ref() != Ok(&module) {
                    failures.push(format!(
                        "{}: round trip differs: {:?}",
                        m.origin,
                        again.err()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: rejected: {e}", m.origin)),
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "text modules: {checked} compiled by wat and accepted by wasmparser, {} failed in weft, {skipped} skipped",
        failures.len()
    );
    assert!(checked > 5000, "only {checked} text modules checked");
    assert!(failures.is_empty());
}
