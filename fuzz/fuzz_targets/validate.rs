//! Any bytes into `weft_validator`: no panic, hang or unbounded allocation;
//! the one-pass paths (`validate_bytes`, `check_bytes` and their parallel
//! forms) give decoding then validating's verdict, module and error kind;
//! the parallel validator gives the sequential one's result; and the
//! verdict agrees with wasmparser's (the test oracle).

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_parser::{Features, parse_with};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the proposals, as in `parse_binary`.
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let (features, theirs) = match knobs & 3 {
        0 => (Features::default(), wasmparser::WasmFeatures::default()),
        1 => (Features::WASM3, wasmparser::WasmFeatures::WASM3),
        2 => (Features::WASM2, wasmparser::WasmFeatures::WASM2),
        _ => (
            Features::WASM1.with(Features::MUTABLE_GLOBAL),
            wasmparser::WasmFeatures::WASM1,
        ),
    };
    let parsed = parse_with(bytes, features);
    let one_pass = weft_validator::validate_bytes(bytes, features);
    let checks = [
        weft_validator::validate_bytes_parallel(bytes, features).map(|(_, v)| v),
        weft_validator::check_bytes(bytes, features),
        weft_validator::check_bytes_parallel(bytes, features),
    ];
    let Ok(module) = parsed else {
        assert!(
            matches!(one_pass, Err(weft_validator::BinaryError::Malformed(_))),
            "one pass decodes what parse_with rejects"
        );
        for c in &checks {
            assert!(matches!(c, Err(weft_validator::BinaryError::Malformed(_))));
        }
        return;
    };
    let ours = weft_validator::validate(&module, features);
    match (&ours, &one_pass) {
        (Ok(valid), Ok((m, v))) => {
            assert!(m == &module, "one pass builds another module");
            assert_eq!(
                format!("{v:?}"),
                format!("{valid:?}"),
                "one pass derives other facts"
            );
        }
        (Err(_), Err(weft_validator::BinaryError::Invalid(_))) => {}
        _ => panic!("one pass disagrees: {ours:?} vs {one_pass:?}"),
    }
    for c in &checks {
        assert_eq!(c.is_ok(), ours.is_ok(), "a one-pass variant disagrees");
    }
    let parallel = weft_validator::validate_parallel(&module, features);
    assert_eq!(
        ours.as_ref().err(),
        parallel.as_ref().err(),
        "parallel validation differs"
    );
    // Under Wasm 1.0 weft reads a segment's first number as its table or
    // memory index, as the 1.0 spec does; wasmparser reads the newer kind
    // there whatever its features. Bytes that both read, differently, are
    // not compared.
    if knobs & 3 == 3 {
        let newer = parse_with(bytes, features.with(Features::BULK_MEMORY));
        if newer.is_ok_and(|m| m.elems != module.elems || m.datas != module.datas) {
            return;
        }
    }
    // wasmparser's defaults include threads and wide arithmetic like ours,
    // but not the proposals we leave off by default either.
    let verdict = wasmparser::Validator::new_with_features(theirs).validate_all(bytes);
    match (&ours, &verdict) {
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => {}
        _ => panic!(
            "weft says {:?}, wasmparser says {:?}",
            ours.as_ref().err().map(ToString::to_string),
            verdict.as_ref().err().map(ToString::to_string)
        ),
    }
});
