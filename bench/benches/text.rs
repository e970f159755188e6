//! Reading text: weft-wat against wat, on wasmprinter's text of every corpus
//! binary, in the same run (throughput in bytes of text).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn text(c: &mut Criterion) {
    for (name, bytes) in weft_bench::corpus() {
        // The text is made once; only reading it is measured.
        let text = match wasmprinter::print_bytes(&bytes) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("skipping {name}: wasmprinter rejects it: {e}");
                continue;
            }
        };
        if let Err(e) = weft_wat::parse_module(&text) {
            eprintln!("skipping {name}: weft-wat rejects its text: {e}");
            continue;
        }
        if let Err(e) = wat::parse_str(&text) {
            eprintln!("skipping {name}: wat rejects its text: {e}");
            continue;
        }
        let mut group = c.benchmark_group(format!("text/{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("weft-wat", |b| {
            b.iter(|| weft_wat::parse_module(black_box(&text)).unwrap())
        });
        group.bench_function("weft-wat+encode", |b| {
            b.iter(|| weft_wat::wat2wasm(black_box(&text)).unwrap())
        });
        group.bench_function("wat", |b| {
            b.iter(|| wat::parse_str(black_box(&text)).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = text
}
criterion_main!(benches);
