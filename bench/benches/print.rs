//! Printing real binaries as text: weft (decode to the AST, then print)
//! against wasmprinter (which prints straight from the bytes), in the same
//! run. `weft-print-only` leaves the decoding out.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn weft_text(bytes: &[u8]) -> String {
    let module = weft_parser::parse(bytes).unwrap();
    weft_printer::to_string(&module)
}

fn print(c: &mut Criterion) {
    for (name, bytes) in weft_bench::corpus() {
        let Ok(module) = weft_parser::parse(&bytes) else {
            eprintln!("skipping {name}: weft-parser rejects it");
            continue;
        };
        if wasmprinter::print_bytes(&bytes).is_err() {
            eprintln!("skipping {name}: wasmprinter rejects it");
            continue;
        }
        let mut group = c.benchmark_group(format!("print/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("weft", |b| b.iter(|| weft_text(black_box(&bytes))));
        group.bench_function("weft-print-only", |b| {
            b.iter(|| weft_printer::to_string(black_box(&module)))
        });
        group.bench_function("wasmprinter", |b| {
            b.iter(|| wasmprinter::print_bytes(black_box(&bytes)).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = print
}
criterion_main!(benches);
