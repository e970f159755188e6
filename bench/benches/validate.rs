//! Validating real binaries: weft-validator over a decoded module, against
//! wasmparser's `Validator::validate_all` on the same bytes, in the same run.
//! wasmparser decodes as it validates, so the weft side is measured three
//! ways: validation alone, decoding then validation (two passes), and the
//! one-pass path from bytes (`validate_bytes`, serial and parallel), and
//! the one-pass check that keeps no code (`check_bytes`), which is the
//! like-for-like comparison with `validate_all` (it builds no syntax tree).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use weft_ast::Features;

fn wasmparser_validate(bytes: &[u8]) {
    let mut v = wasmparser::Validator::new();
    v.validate_all(bytes).unwrap();
}

fn validate(c: &mut Criterion) {
    for (name, bytes) in weft_bench::corpus() {
        let Ok(module) = weft_parser::parse(&bytes) else {
            eprintln!("skipping {name}: weft-parser rejects it");
            continue;
        };
        if let Err(e) = weft_validator::validate(&module, Features::default()) {
            eprintln!("skipping {name}: weft-validator rejects it: {e}");
            continue;
        }
        match weft_validator::validate_bytes(&bytes, Features::default()) {
            Ok((m, _)) if m == module => {}
            other => {
                eprintln!(
                    "skipping {name}: the one-pass path disagrees: {:?}",
                    other.err()
                );
                continue;
            }
        }
        if wasmparser::Validator::new().validate_all(&bytes).is_err() {
            eprintln!("skipping {name}: wasmparser rejects it");
            continue;
        }
        let mut group = c.benchmark_group(format!("validate/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("weft", |b| {
            b.iter(|| weft_validator::validate(black_box(&module), Features::default()).unwrap())
        });
        group.bench_function("weft-parallel", |b| {
            b.iter(|| {
                weft_validator::validate_parallel(black_box(&module), Features::default()).unwrap()
            })
        });
        group.bench_function("weft-parse+validate", |b| {
            b.iter(|| {
                let m = weft_parser::parse(black_box(&bytes)).unwrap();
                weft_validator::validate(&m, Features::default()).unwrap()
            })
        });
        group.bench_function("weft-fused", |b| {
            b.iter(|| {
                weft_validator::validate_bytes(black_box(&bytes), Features::default()).unwrap()
            })
        });
        group.bench_function("weft-fused-parallel", |b| {
            b.iter(|| {
                weft_validator::validate_bytes_parallel(black_box(&bytes), Features::default())
                    .unwrap()
            })
        });
        // What validate_all does: bytes to a verdict, no syntax tree kept.
        group.bench_function("weft-check", |b| {
            b.iter(|| weft_validator::check_bytes(black_box(&bytes), Features::default()).unwrap())
        });
        group.bench_function("weft-check-parallel", |b| {
            b.iter(|| {
                weft_validator::check_bytes_parallel(black_box(&bytes), Features::default())
                    .unwrap()
            })
        });
        group.bench_function("wasmparser", |b| {
            b.iter(|| wasmparser_validate(black_box(&bytes)))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = validate
}
criterion_main!(benches);
