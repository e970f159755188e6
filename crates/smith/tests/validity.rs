//! Every generated module is valid: 10,000 inputs across the default,
//! swarm and all-features configurations, each module checked by
//! weft-validator (as an AST and, encoded, in one pass from bytes) and by
//! wasmparser (dev-dependency) where wasmparser knows the proposals.
//!
//! `WEFT_SMITH_VALIDITY=N` runs N inputs per configuration instead (the
//! issue's 100,000-input run is `WEFT_SMITH_VALIDITY=33334`).

use arbitrary::Unstructured;
use wasmparser::{Validator, WasmFeatures};
use weft_ast::Features;
use weft_smith::{Config, Smith, features_for, seed_bytes};

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

fn inputs() -> u64 {
    std::env::var("WEFT_SMITH_VALIDITY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3334)
}

/// Generates `n` modules from seeds and checks each; returns how many
/// wasmparser also checked.
fn check(config: &Config, salt: u64, n: u64) -> u64 {
    let mut oracle_checked = 0;
    for seed in 0..n {
        let seed = seed ^ salt;
        // Input lengths vary, so that some modules end for want of bytes.
        let len = 64 + (seed % 7) as usize * 600;
        let bytes = seed_bytes(seed, len);
        let features = features_for(&bytes, config);
        let module = weft_ast::Module::arbitrary(&mut Unstructured::new(&bytes), config)
            .expect("generation never fails");
        if let Err(e) = weft_validator::validate(&module, features) {
            panic!(
                "seed {seed:#x} (len {len}, {features:?}): invalid module: {e}\n{}",
                weft_printer_text(&module)
            );
        }
        let wasm = module.encode();
        if let Err(e) = weft_validator::validate_bytes(&wasm, features) {
            panic!(
                "seed {seed:#x} (len {len}, {features:?}): encoded module rejected: {e}\n{:?}",
                &module.types[..module.types.len().min(4)]
            );
        }
        // wasmparser has no custom descriptors; its other proposals match.
        if !features.contains(Features::CUSTOM_DESCRIPTORS) {
            if let Err(e) =
                Validator::new_with_features(oracle_features(features)).validate_all(&wasm)
            {
                panic!("seed {seed:#x} (len {len}, {features:?}): wasmparser rejects: {e}");
            }
            oracle_checked += 1;
        }
    }
    oracle_checked
}

fn weft_printer_text(m: &weft_ast::Module) -> String {
    format!("{:#?}", m.funcs)
}

#[test]
fn default_config_is_valid() {
    let n = inputs();
    assert_eq!(check(&Config::default(), 0, n), n);
}

#[test]
fn swarm_config_is_valid() {
    let n = inputs();
    let checked = check(&Config::swarm(Features::ALL), 0x5eed_0000_0000, n);
    assert!(checked > 0);
}

#[test]
fn all_features_config_is_valid() {
    let n = inputs();
    let all_but_descriptors =
        Config::with_features(Features::ALL.without(Features::CUSTOM_DESCRIPTORS));
    // Half with every proposal (weft only), half without custom
    // descriptors (wasmparser too).
    check(
        &Config::with_features(Features::ALL),
        0xa11_0000_0000,
        n / 2,
    );
    let half = n - n / 2;
    assert_eq!(check(&all_but_descriptors, 0xa11_8000_0000, half), half);
}

#[test]
fn guarded_configs_are_valid() {
    let config = Config {
        ensure_termination: Some(100),
        canonicalize_nans: true,
        disallow_traps: true,
        export_everything: true,
        ..Config::with_features(Features::ALL.without(Features::CUSTOM_DESCRIPTORS))
    };
    assert_eq!(check(&config, 0x9a4d_0000_0000, 500), 500);
}

#[test]
fn preset_feature_sets_are_valid() {
    for (k, f) in [
        Features::MVP,
        Features::WASM1,
        Features::WASM2,
        Features::WASM3,
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            check(
                &Config::with_features(f),
                0x9e5e7 << 32 | (k as u64) << 24,
                300
            ),
            300
        );
    }
}

/// The configuration of the differential fuzz targets (`fuzz/`): no
/// imports, fuel, NaNs canonicalized, everything exported, no start, in
/// swarm mode over what wasmi implements.
fn differential_config() -> Config {
    let features = Features::WASM2
        .with(Features::TAIL_CALL)
        .with(Features::EXTENDED_CONST)
        .with(Features::MULTI_MEMORY)
        .with(Features::MEMORY64)
        .with(Features::WIDE_ARITHMETIC)
        .with(Features::CUSTOM_PAGE_SIZES);
    Config {
        max_imports: 0,
        ensure_termination: Some(2_000),
        canonicalize_nans: true,
        export_everything: true,
        allow_start: false,
        ..Config::swarm(features)
    }
}

/// An input `diff_wasmi` found: weft refused the module it gave
/// ("data segment 0: unknown memory 2"): with multi-memory but neither
/// bulk memory nor reference types, weft's decoder read a data segment's
/// kind 2 as Wasm 1.0's memory index.
const DIFF_WASMI_DATA_SEGMENT: &[u8] = &[
    0x23, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x69, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x29, 0x00, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0x01, 0x00, 0x00, 0x00,
    0xff, 0x92, 0xff, 0xff, 0xff, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05,
    0x05, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0xa1, 0x28, 0x00,
    0x00, 0x2b,
];

#[test]
fn differential_config_is_valid() {
    let config = differential_config();
    let bytes = DIFF_WASMI_DATA_SEGMENT;
    let features = features_for(bytes, &config);
    let module = weft_ast::Module::arbitrary(&mut Unstructured::new(bytes), &config)
        .expect("generation never fails");
    weft_validator::validate(&module, features).expect("the found input gives a valid module");
    weft_validator::validate_bytes(&module.encode(), features)
        .expect("the found input gives a valid encoding");
    assert_eq!(check(&config, 0xd1ff_0000_0000, 2000), 2000);
}
