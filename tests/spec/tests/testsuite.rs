//! The spec testsuite as a test: every file must do exactly what
//! `expectations.tsv` records, its passing counts and its list of failing
//! checks (see `weft_spec::expectations`). Any difference fails, either way:
//! a file added or gone, a count up or down, a failure new, gone or failing
//! for another reason; so does a missing or unreadable expectations file.
//!
//! - `WEFT_SPEC_BLESS=1` records the run when nothing got worse, and
//!   refuses (failing, the file unchanged) when something did;
//! - `WEFT_SPEC_BLESS=regress` records the run whatever it is (a
//!   regression made on purpose, or the file written from scratch);
//! - `WEFT_SPEC_VERBOSE=1` lists every failing check.
//!
//! The last line is `N passed, M failed`, over every command.

use std::path::Path;
use std::process::ExitCode;

use weft_spec::expectations::{self, Expectations, FileState};
use weft_spec::{binary, suite};

/// What `WEFT_SPEC_BLESS` asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bless {
    /// Compare only.
    No,
    /// Record, unless something got worse.
    Improvements,
    /// Record whatever the run is.
    Regressions,
}

fn bless() -> Result<Bless, String> {
    match std::env::var("WEFT_SPEC_BLESS") {
        Err(std::env::VarError::NotPresent) => Ok(Bless::No),
        Ok(v) if v == "1" => Ok(Bless::Improvements),
        Ok(v) if v == "regress" => Ok(Bless::Regressions),
        Ok(v) => Err(format!(
            "WEFT_SPEC_BLESS={v}: use 1 (record, refusing regressions) or regress (record anyway)"
        )),
        Err(e) => Err(format!("WEFT_SPEC_BLESS: {e}")),
    }
}

fn main() -> ExitCode {
    let bless = match bless() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expectations.tsv");
    // Without a readable expectations file there is nothing to hold the
    // run to: an error, unless the run is to be recorded from scratch.
    let recorded = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| expectations::parse(&text).map_err(|e| e.to_string()));
    let recorded = match (recorded, bless) {
        (Ok(r), _) => Some(r),
        (Err(e), Bless::Regressions) => {
            println!("{}: {e}; recording from scratch", path.display());
            None
        }
        (Err(e), _) => {
            eprintln!(
                "{}: {e} (WEFT_SPEC_BLESS=regress records it from scratch)",
                path.display()
            );
            return ExitCode::from(2);
        }
    };
    let verbose = std::env::var_os("WEFT_SPEC_VERBOSE").is_some();

    let mut now = Expectations::new();
    let mut table = weft_spec::report::Table::default();
    for file in suite::all_files() {
        let key = file.key();
        let outcome = file.run();
        let binary = binary::check_script(file.text, file.features);
        table.add(&file.dir, &outcome);
        if verbose {
            for (line, why) in outcome.failures.iter().chain(&binary.failures) {
                println!("{key}:{line}: {why}");
            }
        }
        let state = FileState::new(
            outcome.passed,
            binary.passed,
            &outcome.failures,
            &binary.failures,
        );
        if now.insert(key.clone(), state).is_some() {
            eprintln!("{key}: two testsuite files share this key");
            return ExitCode::from(2);
        }
    }
    print!("{table}");

    let diff = recorded
        .as_ref()
        .map(|r| expectations::compare(r, &now))
        .unwrap_or_default();
    for r in &diff.regressions {
        println!("REGRESSION {r}");
    }
    for c in &diff.changes {
        println!("CHANGED {c}");
    }
    let status = match bless {
        Bless::No if diff.is_empty() => ExitCode::SUCCESS,
        Bless::No => {
            println!(
                "{} regressions, {} other differences from {}: record improvements with \
                 WEFT_SPEC_BLESS=1",
                diff.regressions.len(),
                diff.changes.len(),
                path.display()
            );
            ExitCode::FAILURE
        }
        Bless::Improvements if !diff.regressions.is_empty() => {
            println!(
                "not recorded: {} regressions (WEFT_SPEC_BLESS=regress records them)",
                diff.regressions.len()
            );
            ExitCode::FAILURE
        }
        Bless::Improvements | Bless::Regressions => {
            if let Err(e) = std::fs::write(&path, expectations::render(&now)) {
                eprintln!("{}: {e}", path.display());
                return ExitCode::from(2);
            }
            println!("recorded {} files in {}", now.len(), path.display());
            ExitCode::SUCCESS
        }
    };
    let [passed, failed, _] = table.totals();
    println!("{passed} passed, {failed} failed");
    status
}
