//! Shared helpers of weft's peer benchmarks: the corpus and the peers' walks.

use std::path::{Path, PathBuf};

/// The corpus folder: `$WEFT_CORPUS`, or `../shared/corpus/out` beside the
/// repository (filled by `shared/corpus/fetch.sh`).
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("WEFT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/out"),
    }
}

/// Every `.wasm` file of the corpus, sorted, with its bytes. Empty when the
/// corpus has not been fetched.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut dirs = vec![corpus_dir()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
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

/// The corpus for a test: its files, or `None` (after saying SKIPPED on
/// standard error) when it is absent and `WEFT_CORPUS_SKIP` is set. A test
/// on an absent corpus fails otherwise, naming the folder it looked in, so
/// that it never passes silently having checked nothing.
pub fn corpus_for_test(test: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let corpus = corpus();
    if !corpus.is_empty() {
        return Some(corpus);
    }
    let dir = corpus_dir();
    if std::env::var_os("WEFT_CORPUS_SKIP").is_some() {
        eprintln!(
            "SKIPPED {test}: no .wasm file in {} (WEFT_CORPUS_SKIP is set)",
            dir.display()
        );
        return None;
    }
    panic!(
        "{test}: no .wasm file in {}: run shared/corpus/fetch.sh, point WEFT_CORPUS at a \
         corpus, or set WEFT_CORPUS_SKIP=1 to skip the corpus tests",
        dir.display()
    );
}

/// wasmparser's full walk: every payload, every item of every section and
/// every operator of every body. Returns the number of operators seen.
pub fn wasmparser_walk(bytes: &[u8]) -> Result<usize, wasmparser::BinaryReaderError> {
    use wasmparser::{Parser, Payload};
    let mut ops = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => {
                for group in r {
                    group?;
                }
            }
            Payload::ImportSection(r) => {
                for import in r {
                    import?;
                }
            }
            Payload::FunctionSection(r) => {
                for f in r {
                    f?;
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    t?;
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    m?;
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g?;
                    let mut ops_reader = g.init_expr.get_operators_reader();
                    while !ops_reader.eof() {
                        ops_reader.read()?;
                    }
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    e?;
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    e?;
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    d?;
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

/// The Wasm 3.0 testsuite's valid text modules, compiled by weft-wat: a
/// batch of small modules, the other end of the scale from the corpus.
pub fn testsuite_modules() -> Vec<Vec<u8>> {
    let files = weft_spec::suite::all_files();
    let mut out = Vec::new();
    for file in files.iter().filter(|f| f.dir == "wasm-v3") {
        let Ok(commands) = weft_spec::sexpr::read(file.text) else {
            continue;
        };
        for (_, text) in weft_spec::scan::text_modules(file.text, &commands) {
            if let Ok(bytes) = weft_wat::wat2wasm(text) {
                out.push(bytes);
            }
        }
    }
    out
}
