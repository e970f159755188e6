//! weft-smith against wasm-smith in the same run: modules generated and
//! encoded per second from the same input bytes, each with its default
//! configuration.
//!
//! Each iteration turns a batch of inputs (4 KiB of SplitMix64 bytes each,
//! `weft_smith::seed_bytes`) into binary modules; throughput is per
//! module. The mean encoded size of each generator's modules over the
//! batch is printed first, so that the rates compare modules of known
//! size.

use arbitrary::Unstructured;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const BATCH: usize = 200;
const INPUT: usize = 4096;

fn inputs() -> Vec<Vec<u8>> {
    (0..BATCH as u64)
        .map(|s| weft_smith::seed_bytes(s, INPUT))
        .collect()
}

fn weft(inputs: &[Vec<u8>], config: &weft_smith::Config) -> usize {
    let mut bytes = 0;
    for i in inputs {
        let m = weft_smith::generate(&mut Unstructured::new(i), config).expect("generated");
        bytes += m.encode().len();
    }
    bytes
}

fn wasm_smith(inputs: &[Vec<u8>]) -> usize {
    let mut bytes = 0;
    for i in inputs {
        let config = wasm_smith::Config::default();
        // An input wasm-smith cannot use counts as nothing made.
        if let Ok(m) = wasm_smith::Module::new(config, &mut Unstructured::new(i)) {
            bytes += m.to_bytes().len();
        }
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let config = weft_smith::Config::default();
    let all = weft_smith::Config::with_features(weft_ast::Features::ALL);
    eprintln!(
        "mean size: weft-smith {} B (default), {} B (all features); wasm-smith {} B",
        weft(&inputs, &config) / BATCH,
        weft(&inputs, &all) / BATCH,
        wasm_smith(&inputs) / BATCH
    );
    let mut g = c.benchmark_group("smith");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("weft-smith", |b| {
        b.iter(|| weft(black_box(&inputs), &config))
    });
    g.bench_function("weft-smith-all", |b| {
        b.iter(|| weft(black_box(&inputs), &all))
    });
    g.bench_function("wasm-smith", |b| b.iter(|| wasm_smith(black_box(&inputs))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
