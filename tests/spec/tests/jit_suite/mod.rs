//! The spec testsuite under the JIT (`Engine::Jit`) in one memory mode,
//! shared by `testsuite_jit` (explicit bounds checks) and
//! `testsuite_jit_guard` (guard pages): every file must pass exactly the
//! commands the interpreter does, and fail exactly the same lines
//! (`expectations.tsv`; binary checks do not depend on the engine).
//! Functions the JIT does not compile yet run in the interpreter; the
//! closing table counts them by the instruction that kept them there.
//! `WEFT_SPEC_VERBOSE=1` lists every failing command.

use std::path::Path;

use weft_interp::{Engine, JitStats, MemoryMode};
use weft_spec::{expectations, runner, suite};

/// Runs the whole suite with memories in `mode`; exits with status 1 on
/// any file that does not do what the interpreter does.
pub fn run(mode: MemoryMode) {
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
        let outcome = runner::run_script_with(
            file.text,
            runner::Semantics {
                engine: Engine::Jit,
                memory_mode: mode,
                ..file.semantics()
            },
        );
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
        let lines = |failures: &mut dyn Iterator<Item = u32>| {
            let mut v: Vec<u32> = failures.collect();
            v.sort_unstable();
            v
        };
        let interp_lines = lines(
            &mut state
                .failures
                .iter()
                .filter(|f| f.kind == expectations::Kind::Command)
                .map(|f| f.line),
        );
        let jit_lines = lines(&mut outcome.failures.iter().map(|f| f.0));
        if outcome.passed != state.commands || jit_lines != interp_lines {
            regressions.push(format!(
                "{key}: {} commands pass under the JIT, {} under the interpreter; \
                 failing lines {jit_lines:?} against {interp_lines:?}",
                outcome.passed, state.commands
            ));
        }
        passed += outcome.passed;
    }
    println!(
        "jit ({}): {passed} commands passed; {} of {} functions compiled, {} left to the interpreter ({} bytes of code)",
        mode.name(),
        stats.compiled,
        stats.functions,
        stats.interpreted,
        stats.code_bytes
    );
    let mut why: Vec<_> = stats.unsupported.iter().collect();
    why.sort_by(|a, b| b.1.cmp(a.1));
    for (instr, n) in why {
        println!("  {n:6} functions kept by {instr}");
    }
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    println!(
        "jit ({}): {} files as the interpreter, {} not",
        mode.name(),
        files - regressions.len(),
        regressions.len()
    );
    if !regressions.is_empty() {
        std::process::exit(1);
    }
}
