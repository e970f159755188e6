//! The official WASI testsuite's preview1 programs (C, Rust and
//! AssemblyScript, vendored under `tests/wasi-testsuite/`, see its
//! `SOURCE.md`), each run as its JSON specification says: arguments,
//! environment, preopened directories (fresh copies in a scratch
//! directory), expected exit code and standard output.
//!
//! Every program must pass, except those in [`KNOWN_FAILURES`], each with
//! its reason; the test also fails when a listed one starts passing, so
//! the list stays exact. The last line printed is `wasi-testsuite: N
//! passed, M failed`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value as Json;
use weft_interp::{Linker, Module, Store};
use weft_wasi::{Output, OutputPipe, WasiCtx};

/// Programs expected to fail, by `language/name`, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Fuel for one program: far more than any of them needs, so that a
/// program that loops forever fails instead of hanging the suite.
const FUEL: u64 = 20_000_000_000;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wasi-testsuite")
}

/// One program and its specification.
struct Case {
    /// `language/name`.
    id: String,
    wasm: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    dirs: Vec<String>,
    exit_code: i32,
    stdout: Option<String>,
}

fn strings(v: &Json, what: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: an array expected"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("{what}: strings expected"))
                .to_owned()
        })
        .collect()
}

/// Reads a program's specification (the legacy form these tests use; a
/// field this runner does not know fails the test, so that a newer suite
/// is not half-run).
fn case(lang: &str, wasm: PathBuf) -> Case {
    let name = wasm.file_stem().unwrap().to_string_lossy().into_owned();
    let mut c = Case {
        id: format!("{lang}/{name}"),
        wasm: wasm.clone(),
        args: vec![],
        env: vec![],
        dirs: vec![],
        exit_code: 0,
        stdout: None,
    };
    let spec = wasm.with_extension("json");
    if !spec.exists() {
        return c;
    }
    let text = std::fs::read_to_string(&spec).unwrap();
    let json: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", c.id));
    for (k, v) in json.as_object().expect("a JSON object") {
        match k.as_str() {
            "args" => c.args = strings(v, "args"),
            "dirs" => c.dirs = strings(v, "dirs"),
            "env" => {
                c.env = v
                    .as_object()
                    .expect("env: an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("env: strings").to_owned()))
                    .collect()
            }
            "exit_code" => c.exit_code = v.as_i64().expect("exit_code: a number") as i32,
            "stdout" => c.stdout = Some(v.as_str().expect("stdout: a string").to_owned()),
            other => panic!("{}: unsupported field {other:?} in its specification", c.id),
        }
    }
    c
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for lang in ["assemblyscript", "c", "rust"] {
        let dir = suite_dir().join(lang);
        let mut wasms: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        wasms.sort();
        out.extend(wasms.into_iter().map(|w| case(lang, w)));
    }
    out
}

/// Copies a directory tree (files made anew, so writable whatever the
/// source's modes).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::write(&target, std::fs::read(e.path()).unwrap()).unwrap();
        }
    }
}

/// Runs one program; `Err` says how it failed.
fn run(c: &Case) -> Result<(), String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let stdout = OutputPipe::new();
    let stderr = OutputPipe::new();
    let file_name = c.wasm.file_name().unwrap().to_string_lossy().into_owned();
    let mut b = WasiCtx::builder()
        .arg(file_name)
        .args(c.args.iter().map(String::as_str))
        .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(Output::Pipe(stdout.clone()))
        .stderr(Output::Pipe(stderr.clone()));
    for d in &c.dirs {
        let copy = scratch.path().join(d);
        copy_tree(&c.wasm.parent().unwrap().join(d), &copy);
        b = b.preopened_dir(&copy, d.as_str());
    }
    let ctx = b.build().map_err(|e| e.to_string())?;
    let bytes = std::fs::read(&c.wasm).map_err(|e| e.to_string())?;
    let ast = weft_parser::parse(&bytes).map_err(|e| format!("parse: {e}"))?;
    let module = Module::new(ast).map_err(|e| format!("load: {e}"))?;
    let mut store = Store::new();
    store.set_fuel(Some(FUEL));
    let mut linker = Linker::new();
    weft_wasi::add_to_linker(&mut linker, &mut store, ctx);
    let result = weft_wasi::run_command(&mut store, &linker, &module);
    let err_text = String::from_utf8_lossy(&stderr.contents()).into_owned();
    let out_text = String::from_utf8_lossy(&stdout.contents()).into_owned();
    let code = result.map_err(|e| format!("{e}\nstderr: {err_text}"))?;
    if code != c.exit_code {
        return Err(format!(
            "exit code {code}, expected {}\nstdout: {out_text}\nstderr: {err_text}",
            c.exit_code
        ));
    }
    if let Some(want) = c.stdout.as_ref().filter(|w| **w != out_text) {
        return Err(format!("stdout {out_text:?}, expected {want:?}"));
    }
    Ok(())
}

#[test]
fn wasi_testsuite() {
    let cases = cases();
    assert!(cases.len() > 60, "the vendored suite is missing");
    let results: Mutex<Vec<(usize, Result<(), String>)>> = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = cases.get(i) else { break };
                    let r = run(c);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);

    let mut passed = 0;
    let mut failed = 0;
    let mut problems = Vec::new();
    for (i, r) in &results {
        let c = &cases[*i];
        let known = KNOWN_FAILURES.iter().find(|(id, _)| *id == c.id);
        match (r, known) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => {
                passed += 1;
                problems.push(format!("{}: passes but is listed as a known failure", c.id));
            }
            (Err(e), Some((_, why))) => {
                failed += 1;
                println!("known failure {} ({why}): {e}", c.id);
            }
            (Err(e), None) => {
                failed += 1;
                problems.push(format!("{}: {e}", c.id));
            }
        }
    }
    for (id, _) in KNOWN_FAILURES {
        assert!(
            cases.iter().any(|c| c.id == *id),
            "{id} is listed as a known failure but is not in the suite"
        );
    }
    for p in &problems {
        println!("FAIL {p}");
    }
    println!("wasi-testsuite: {passed} passed, {failed} failed");
    assert!(problems.is_empty(), "{} unexpected results", problems.len());
}
