//! The spec testsuite under another way of running than the reference
//! interpreter's (the JIT in either memory mode, lazy translation), held to
//! the interpreter's expectations: every file must pass exactly the
//! commands the interpreter does and fail exactly the same lines
//! (`expectations.tsv`; binary checks do not depend on how code runs).
//! Shared by `testsuite_jit`, `testsuite_jit_guard` and `testsuite_lazy`.
//! Under the JIT, functions it does not compile yet run in the
//! interpreter; the closing table counts them by the instruction that kept
//! them there. `WEFT_SPEC_VERBOSE=1` lists every failing command.

use std::path::Path;

use weft_interp::JitStats;
use weft_spec::runner::Semantics;
use weft_spec::{expectations, runner, suite};

/// Runs the whole suite, each file with its own semantics changed by
/// `how`, reporting under `label`; exits with status 1 on any file that
/// does not do what the interpreter does.
pub fn run(label: &str, how: impl Fn(Semantics) -> Semantics) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expectations.tsv");
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let expected = match expectations::parse(&recorded) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let verbose = std::env::var_os("WEFT_SPEC_VERBOSE").is_some();
    let mut regressions = Vec::new();
    let mut stats = JitStats::default();
    let (mut files, mut passed) = (0, 0);
    for file in suite::all_files() {
        let key = file.key();
        let outcome = runner::run_script_with(file.text, how(file.semantics()));
        stats.add(&outcome.jit);
        files += 1;
        if verbose {
            for (line, why) in &outcome.failures {
                println!("{key}:{line}: {why}");
            }
        }
        let Some(state) = expected.get(&key) else {
            regressions.push(format!("{key}: not in {}", path.display()));
            continue;
        };
        let mut interp_lines: Vec<u32> = state
            .failures
            .iter()
            .filter(|f| f.kind == expectations::Kind::Command)
            .map(|f| f.line)
            .collect();
        interp_lines.sort_unstable();
        let mut lines: Vec<u32> = outcome.failures.iter().map(|f| f.0).collect();
        lines.sort_unstable();
        if outcome.passed != state.commands || lines != interp_lines {
            regressions.push(format!(
                "{key}: {} commands pass ({label}), {} under the interpreter; \
                 failing lines {lines:?} against {interp_lines:?}",
                outcome.passed, state.commands
            ));
        }
        passed += outcome.passed;
    }
    if stats.functions == 0 {
        println!("{label}: {passed} commands passed");
    } else {
        println!(
            "{label}: {passed} commands passed; {} of {} functions compiled, {} left to the interpreter ({} bytes of code)",
            stats.compiled, stats.functions, stats.interpreted, stats.code_bytes
        );
    }
    let mut why: Vec<_> = stats.unsupported.iter().collect();
    why.sort_by(|a, b| b.1.cmp(a.1));
    for (instr, n) in why {
        println!("  {n:6} functions kept by {instr}");
    }
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    println!(
        "{label}: {} files as the interpreter, {} not",
        files - regressions.len(),
        regressions.len()
    );
    if !regressions.is_empty() {
        std::process::exit(1);
    }
}
