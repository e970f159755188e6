//! `--engine interp|jit` (and `--memory-mode explicit|guard`) on `run`,
//! `wast` and `spec`, and `weft compile`:
//! the JIT gives the interpreter's answers, traps and fuel through the
//! command line, and `compile` reports what it made of a module. Where
//! this build has no JIT, `--engine jit` must say so.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{fails_with, stderr, temp, weft};

/// Whether this build has the JIT (what `weft_interp::Engine::available`
/// says for it).
const JIT: bool = cfg!(all(
    target_arch = "x86_64",
    any(target_os = "linux", target_os = "macos")
));

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const PROGRAM: &[u8] = br#"(module
  (memory 1)
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sum_squares") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (call $sq (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "spin") (loop $l (br $l)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"#;

#[test]
fn run_gives_the_same_answers_and_traps_on_both_engines() {
    let m = file("program.wat", PROGRAM);
    let m = m.to_str().unwrap();
    let cases: [(&[&str], Result<&str, &str>); 5] = [
        (&["--invoke", "add", "1", "-2"], Ok("-1\n")),
        (&["--invoke", "sum_squares", "10"], Ok("385\n")),
        (
            &["--invoke", "sum_squares", "1000", "--fuel", "5000"],
            Ok("333833500\n"),
        ),
        (
            &["--invoke", "spin", "--fuel", "1000"],
            Err("all fuel consumed"),
        ),
        (
            &["--invoke", "load", "65534"],
            Err("out of bounds memory access"),
        ),
    ];
    // The interpreter translates lazily by default, every body first with
    // `--eager`; both must answer alike, and as the JIT does.
    let mut engines: Vec<&[&str]> =
        vec![&["--engine", "interp"], &["--engine", "interp", "--eager"]];
    if JIT {
        engines.push(&["--engine", "jit"]);
    }
    for engine in &engines {
        for (args, expected) in &cases {
            let mut argv = vec!["run", m];
            argv.extend_from_slice(engine);
            argv.extend_from_slice(args);
            let out = weft(&argv);
            match expected {
                Ok(text) => {
                    assert!(
                        out.status.success(),
                        "{engine:?} {args:?}: {}",
                        stderr(&out)
                    );
                    assert_eq!(stdout(&out), *text, "{engine:?} {args:?}");
                }
                Err(phrase) => {
                    assert!(!out.status.success(), "{engine:?} {args:?} succeeded");
                    assert!(
                        stderr(&out).contains(phrase),
                        "{engine:?} {args:?}: {}",
                        stderr(&out)
                    );
                }
            }
        }
    }
    // Fuel too small for the loop: both engines run out.
    let argv = ["run", m, "--invoke", "sum_squares", "1000", "--fuel", "500"];
    for engine in &engines {
        let mut a = argv.to_vec();
        a.extend_from_slice(engine);
        let out = weft(&a);
        assert!(
            stderr(&out).contains("all fuel consumed"),
            "{engine:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn lazy_translation_still_rejects_an_invalid_function_never_called() {
    // `bad` is never called, so it is never translated: validation of the
    // whole module at load must still refuse it, on every engine.
    let m = file(
        "lazy_invalid.wat",
        br#"(module (func (export "ok") (result i32) (i32.const 1))
                    (func $bad (result i32) (i64.const 1)))"#,
    );
    for extra in [&[][..], &["--eager"][..]] {
        let mut argv = vec!["run", m.to_str().unwrap(), "--invoke", "ok"];
        argv.extend_from_slice(extra);
        let out = weft(&argv);
        assert!(!out.status.success(), "{extra:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("type mismatch"),
            "{extra:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_unknown_or_unavailable_engine_is_a_usage_error() {
    let m = file("engine_unknown.wat", PROGRAM);
    fails_with(
        &[
            "run",
            m.to_str().unwrap(),
            "--engine",
            "turbo",
            "--invoke",
            "add",
            "1",
            "2",
        ],
        "unknown engine 'turbo'",
    );
    if !JIT {
        fails_with(
            &[
                "run",
                m.to_str().unwrap(),
                "--engine",
                "jit",
                "--invoke",
                "add",
                "1",
                "2",
            ],
            "not available in this build",
        );
    }
}

#[test]
fn wast_runs_a_script_under_the_jit() {
    if !JIT {
        return;
    }
    let script = file(
        "engine.wast",
        br#"(module
              (func (export "fac") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1)))))))
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "spin") (loop $l (br $l))))
            (assert_return (invoke "fac" (i64.const 20)) (i64.const 2432902008176640000))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
            (invoke "spin")"#,
    );
    let out = weft(&[
        "wast",
        script.to_str().unwrap(),
        "--engine",
        "jit",
        "--fuel",
        "10000",
    ]);
    let text = stdout(&out);
    assert!(text.contains("all fuel consumed"), "{text}");
    assert!(text.contains("4 passed, 1 failed"), "{text}");
}

#[test]
fn the_guard_memory_mode_gives_the_same_answers_and_traps() {
    if !JIT {
        return;
    }
    let m = file("program_guard.wat", PROGRAM);
    let m = m.to_str().unwrap();
    for (args, expected) in [
        (&["--invoke", "load", "65532"][..], Ok("0\n")),
        (
            &["--invoke", "load", "65533"],
            Err("out of bounds memory access"),
        ),
        (
            &["--invoke", "load", "-1"],
            Err("out of bounds memory access"),
        ),
        (&["--invoke", "sum_squares", "10"], Ok("385\n")),
    ] {
        let mut argv = vec!["run", m, "--engine", "jit", "--memory-mode", "guard"];
        argv.extend_from_slice(args);
        let out = weft(&argv);
        match expected {
            Ok(text) => {
                assert!(out.status.success(), "{args:?}: {}", stderr(&out));
                assert_eq!(stdout(&out), text, "{args:?}");
            }
            Err(phrase) => {
                assert!(!out.status.success(), "{args:?} succeeded");
                assert!(stderr(&out).contains(phrase), "{args:?}: {}", stderr(&out));
            }
        }
    }
    // The memory tests of the spec suite, every out-of-bounds access a
    // fault in the guard.
    let out = weft(&[
        "spec",
        "--filter",
        "/address.wast",
        "--engine",
        "jit",
        "--memory-mode",
        "guard",
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains(" 0 failed"), "{text}");
    fails_with(
        &[
            "run",
            m,
            "--memory-mode",
            "fence",
            "--invoke",
            "add",
            "1",
            "2",
        ],
        "unknown memory mode 'fence'",
    );
}

#[test]
fn spec_counts_what_the_jit_compiled() {
    if !JIT {
        return;
    }
    let out = weft(&["spec", "--filter", "/fac.wast", "--engine", "jit"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let line = text
        .lines()
        .find(|l| l.starts_with("jit: "))
        .unwrap_or_else(|| panic!("no jit line: {text}"));
    // "jit: C of F functions compiled, I run in the interpreter"
    let n: Vec<u32> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(n.len(), 3, "{line}");
    assert!(n[1] > 0 && n[0] + n[2] == n[1], "{line}");
    assert!(text.contains(" 0 failed"), "{text}");
    // The interpreter prints no such line.
    let out = weft(&["spec", "--filter", "/fac.wast"]);
    assert!(!stdout(&out).contains("jit: "), "{}", stdout(&out));
}

#[test]
fn compile_reports_functions_code_and_speed() {
    if !JIT {
        return;
    }
    let m = file("compile.wat", PROGRAM);
    let m = m.to_str().unwrap();
    let out = weft(&["compile", m]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("5 functions, 5 compiled, 0 in the interpreter"),
        "{text}"
    );
    assert!(text.contains("MB/s, jit)"), "{text}");
    let out = weft(&["compile", m, "--json", "--repeat", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = stdout(&out);
    for field in [
        "\"engine\":\"jit\"",
        "\"functions\":5",
        "\"compiled\":5",
        "\"interpreted\":0",
        "\"mb_per_s\":",
    ] {
        assert!(json.contains(field), "{field} in {json}");
    }
    let code: u64 = json
        .split("\"machine_code_bytes\":")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("machine_code_bytes in {json}"));
    assert!(code > 0, "{json}");
    // The interpreter compiles nothing; an invalid module is an error that
    // says what is wrong.
    let out = weft(&["compile", m, "--engine", "interp", "--json"]);
    assert!(stdout(&out).contains("\"compiled\":0"), "{}", stdout(&out));
    let bad = file(
        "compile_bad.wat",
        b"(module (func (result i32) (i64.const 0)))",
    );
    fails_with(&["compile", bad.to_str().unwrap()], "type mismatch");
}
