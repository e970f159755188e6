//! Decoding: weft to a full AST, against wasmparser walking every payload
//! and operator of the same bytes, in the same run: each corpus binary, and
//! the Wasm 3.0 testsuite's modules as one batch of small ones.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    for (name, bytes) in weft_bench::corpus() {
        if weft_parser::parse(&bytes).is_err() || weft_bench::wasmparser_walk(&bytes).is_err() {
            eprintln!("skipping {name}: not accepted by both");
            continue;
        }
        let mut group = c.benchmark_group(format!("parse/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("weft", |b| {
            b.iter(|| weft_parser::parse(black_box(&bytes)).unwrap())
        });
        group.bench_function("wasmparser", |b| {
            b.iter(|| weft_bench::wasmparser_walk(black_box(&bytes)).unwrap())
        });
        group.finish();
    }
    let modules: Vec<_> = weft_bench::testsuite_modules()
        .into_iter()
        .filter(|m| weft_parser::parse(m).is_ok() && weft_bench::wasmparser_walk(m).is_ok())
        .collect();
    let total: usize = modules.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group(format!("parse/testsuite-{}-modules", modules.len()));
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("weft", |b| {
        b.iter(|| {
            for m in &modules {
                black_box(weft_parser::parse(black_box(m)).unwrap());
            }
        })
    });
    group.bench_function("wasmparser", |b| {
        b.iter(|| {
            for m in &modules {
                black_box(weft_bench::wasmparser_walk(black_box(m)).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse
}
criterion_main!(benches);
