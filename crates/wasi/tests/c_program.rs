//! C programs compiled with clang and wasi-libc (`tests/c/*.c`, built by
//! `tests/c/build.sh` into the committed `.wasm` files) behave as under
//! wasmtime: the expected outputs are what wasmtime 51 printed for the same
//! arguments, environment, directory and input. `demo` is a typical
//! program; `errnos` calls WASI functions in the corner cases where an
//! implementation must choose an errno.

use weft_interp::{Linker, Module, Store};
use weft_wasi::{Input, Output, OutputPipe, WasiCtx};

const DEMO: &[u8] = include_bytes!("c/demo.wasm");
const ERRNOS: &[u8] = include_bytes!("c/errnos.wasm");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Run {
    run_program(DEMO, dir, args, stdin)
}

fn run_program(wasm: &[u8], dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Run {
    let stdout = OutputPipe::new();
    let stderr = OutputPipe::new();
    let ctx = WasiCtx::builder()
        .arg("demo.wasm")
        .args(args.iter().copied())
        .env("GREETING", "Bonjour")
        .preopened_dir(dir.join("data"), "data")
        .stdin(Input::Bytes(stdin.to_vec()))
        .stdout(Output::Pipe(stdout.clone()))
        .stderr(Output::Pipe(stderr.clone()))
        .build()
        .unwrap();
    let module = Module::new(weft_parser::parse(wasm).unwrap()).unwrap();
    let mut store = Store::new();
    let mut linker = Linker::new();
    weft_wasi::add_to_linker(&mut linker, &mut store, ctx);
    let code = weft_wasi::run_command(&mut store, &linker, &module).unwrap();
    Run {
        code,
        stdout: String::from_utf8(stdout.contents()).unwrap(),
        stderr: String::from_utf8(stderr.contents()).unwrap(),
    }
}

fn scratch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    std::fs::write(tmp.path().join("data/keep.txt"), "keep\n").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret\n").unwrap();
    tmp
}

#[test]
fn c_program_prints_reads_writes_and_exits_as_under_wasmtime() {
    let tmp = scratch();
    let r = run(tmp.path(), &["wasm world", "42"], b"a line of input\n");
    assert_eq!(
        r.stdout,
        "argc=3
argv[1]=wasm world
argv[2]=42
GREETING=Bonjour
HOME=(unset)
read back: Bonjour, wasm world!
size=21 regular=1
data: . .. keep.txt out.txt
data/../secret.txt: Operation not permitted
/etc/passwd: Capabilities insufficient
stdin: a line of input
"
    );
    assert_eq!(r.stderr, "goodbye from stderr\n");
    assert_eq!(r.code, 42);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("data/out.txt")).unwrap(),
        "Bonjour, wasm world!\n"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("secret.txt")).unwrap(),
        "secret\n"
    );
}

#[test]
fn c_program_without_arguments_or_input_exits_zero() {
    let tmp = scratch();
    let r = run(tmp.path(), &[], b"");
    assert!(
        r.stdout.starts_with("argc=1\nGREETING=Bonjour\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("read back: Bonjour, world!\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.ends_with("stdin: end of file\n"), "{}", r.stdout);
    assert_eq!(r.code, 0);
}

#[test]
fn errnos_of_corner_cases_are_wasmtimes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    let r = run_program(ERRNOS, tmp.path(), &[], b"");
    assert_eq!(r.stdout, include_str!("c/errnos.expected"));
    assert_eq!(r.code, 0);
}
