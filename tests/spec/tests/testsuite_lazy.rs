//! The spec testsuite with lazy translation (`Semantics::lazy`: every
//! module validated whole at load, each body translated for the
//! interpreter at its first call): every file must pass exactly the
//! commands the eager interpreter does and fail exactly the same lines
//! (`expectations.tsv`; binary checks do not depend on when bodies are
//! translated), so that deferring translation changes no verdict, result,
//! trap or error. `WEFT_SPEC_VERBOSE=1` lists every failing command.

use std::path::Path;
use weft_spec::{expectations, runner, suite};

fn main() {
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
    let (mut files, mut passed) = (0, 0);
    for file in suite::all_files() {
        let key = file.key();
        let outcome = runner::run_script_with(
            file.text,
            runner::Semantics {
                lazy: true,
                ..file.semantics()
            },
        );
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
        let mut eager: Vec<u32> = state
            .failures
            .iter()
            .filter(|f| f.kind == expectations::Kind::Command)
            .map(|f| f.line)
            .collect();
        eager.sort_unstable();
        let mut lazy: Vec<u32> = outcome.failures.iter().map(|f| f.0).collect();
        lazy.sort_unstable();
        if outcome.passed != state.commands || lazy != eager {
            regressions.push(format!(
                "{key}: {} commands pass with lazy translation, {} translated up front; \
                 failing lines {lazy:?} against {eager:?}",
                outcome.passed, state.commands
            ));
        }
        passed += outcome.passed;
    }
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    println!(
        "lazy: {passed} commands passed; {} files as translated up front, {} not",
        files - regressions.len(),
        regressions.len()
    );
    if !regressions.is_empty() {
        std::process::exit(1);
    }
}
