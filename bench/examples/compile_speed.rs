//! Compile throughput, validation included, one thread: weft's JIT
//! (`Module::with_engine`, the module already decoded, as `weft compile`
//! measures it) against wasmtime's Winch and Cranelift (`Module::new` on
//! the bytes: decoding, validation and compilation), on the `startup/`
//! modules of `shared/bench-wasm` and the three largest binaries of the
//! real-world corpus (`shared/corpus/out`, or `WEFT_CORPUS`), or the files
//! given. The engines take
//! turns round by round; each one's median time, MB/s of code section,
//! machine code bytes per code-section byte, and the ratios.
//!
//! `cargo run --profile bench --example compile_speed [-- ROUNDS [FILE...]]`
//! `target/release/examples/compile_speed once ENGINE FILE` compiles once
//! (ENGINE `jit`, `winch` or `cranelift`), for measuring peak RSS with
//! `/usr/bin/time -v`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../programs/mod.rs"]
#[allow(dead_code)] // the folder and the wasmtime engines only
mod programs;

/// Bytes of the code section (id 10) of a binary module, 0 if malformed.
fn code_section_bytes(bin: &[u8]) -> usize {
    let mut at = 8;
    while at < bin.len() {
        let id = bin[at];
        at += 1;
        let (mut len, mut shift) = (0usize, 0);
        while let Some(&b) = bin.get(at) {
            at += 1;
            len |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        if id == 10 {
            return len;
        }
        at = at.saturating_add(len);
    }
    0
}

/// The `n` largest `.wasm` files of the real-world corpus (`WEFT_CORPUS`,
/// else `corpus/out` beside the bench-wasm folder, as
/// `shared/corpus/fetch.sh` fills it), largest first; none if it is not
/// there.
fn largest_in_corpus(bench_wasm: &Path, n: usize) -> Vec<PathBuf> {
    let root = std::env::var_os("WEFT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| bench_wasm.join("../corpus/out"));
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => dirs.push(p),
                Ok(m) if p.extension().is_some_and(|x| x == "wasm") => found.push((m.len(), p)),
                _ => {}
            }
        }
    }
    if found.is_empty() {
        eprintln!(
            "no corpus at {} (run shared/corpus/fetch.sh or set WEFT_CORPUS): startup/ only",
            root.display()
        );
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().take(n).map(|(_, p)| p).collect()
}

/// weft's JIT on a decoded module: time and machine code bytes.
fn weft_jit(ast: &weft_ast::Module) -> (Duration, usize) {
    let ast = ast.clone();
    let t = Instant::now();
    let m = weft_interp::Module::with_engine(
        ast,
        weft_ast::Features::default(),
        weft_interp::Engine::Jit,
    )
    .expect("weft compiles the module");
    let took = t.elapsed();
    (took, m.jit_stats().map_or(0, |s| s.code_bytes))
}

/// wasmtime on the bytes: time and `.text` bytes.
fn wasmtime(engine: &wasmtime::Engine, bytes: &[u8]) -> (Duration, usize) {
    let t = Instant::now();
    let m = wasmtime::Module::new(engine, bytes).expect("wasmtime compiles the module");
    let took = t.elapsed();
    (took, m.text().len())
}

fn median(v: &mut [Duration]) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64()
}

fn once(engine: &str, path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (took, code) = match engine {
        "jit" => weft_jit(&weft_parser::parse(&bytes).expect("weft-parser reads it")),
        "winch" => wasmtime(&programs::wasmtime_engine(true), &bytes),
        "cranelift" => wasmtime(&programs::wasmtime_engine(false), &bytes),
        other => panic!("unknown engine {other} (jit, winch, cranelift)"),
    };
    println!(
        "{engine}: {} in {:.1} ms, {code} bytes of machine code",
        path.display(),
        took.as_secs_f64() * 1e3
    );
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("once") {
        let engine = args.nth(1).expect("once ENGINE FILE");
        let file = args.next().expect("once ENGINE FILE");
        return once(&engine, Path::new(&file));
    }
    let rounds: usize = args
        .next_if(|a| a.parse::<usize>().is_ok())
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let mut files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if files.is_empty() {
        let Some(dir) = programs::folder() else {
            return;
        };
        for name in ["spidermonkey", "pulldown-cmark", "bz2"] {
            files.push(dir.join("startup").join(format!("{name}.wasm")));
        }
        files.extend(largest_in_corpus(&dir, 3));
    }
    let winch = programs::wasmtime_engine(true);
    let cranelift = programs::wasmtime_engine(false);
    println!(
        "{:<40} {:>9} {:>8} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6} {:>7}",
        "module (code section)",
        "KB",
        "jit MB/s",
        "winch",
        "clift",
        "jit/win",
        "jit B/B",
        "win B/B",
        "clf B/B",
        "jit fns"
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let code = code_section_bytes(&bytes);
        // A corpus module either engine refuses (a component, a proposal
        // it lacks) is named and left out, not measured.
        let ast = match weft_parser::parse(&bytes) {
            Ok(ast) => ast,
            Err(e) => {
                eprintln!("{}: left out: {e}", path.display());
                continue;
            }
        };
        let weft_ok = weft_interp::Module::with_engine(
            ast.clone(),
            weft_ast::Features::default(),
            weft_interp::Engine::Jit,
        );
        if let Err(e) = weft_ok
            .as_ref()
            .map(drop)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                wasmtime::Module::new(&winch, &bytes)
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        {
            eprintln!("{}: left out: {e}", path.display());
            continue;
        }
        let funcs = ast.funcs.len();
        let mut times: [Vec<Duration>; 3] = Default::default();
        let mut sizes = [0usize; 3];
        let mut cranelift_ok = true;
        for _ in 0..rounds {
            let (t, s) = weft_jit(&ast);
            times[0].push(t);
            sizes[0] = s;
            let (t, s) = wasmtime(&winch, &bytes);
            times[1].push(t);
            sizes[1] = s;
            // Cranelift takes tens of seconds on the largest modules: one
            // round of it is enough to place it.
            if cranelift_ok {
                let (t, s) = wasmtime(&cranelift, &bytes);
                times[2].push(t);
                sizes[2] = s;
                cranelift_ok = t < Duration::from_secs(5);
            }
        }
        let [j, w, c] = times.map(|mut t| median(&mut t));
        let mbps = |s: f64| code as f64 / s / 1e6;
        let per = |s: usize| s as f64 / code.max(1) as f64;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        println!(
            "{:<40} {:>9.1} {:>8.1} {:>8.1} {:>8.2} {:>8.2} {:>6.2} {:>6.2} {:>6.2} {:>7}",
            name,
            code as f64 / 1e3,
            mbps(j),
            mbps(w),
            mbps(c),
            w / j,
            per(sizes[0]),
            per(sizes[1]),
            per(sizes[2]),
            funcs
        );
    }
}
