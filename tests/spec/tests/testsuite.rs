//! The spec testsuite as a test: every file must pass at least as many
//! commands and binary checks as `expectations.tsv` records. Run with
//! `WEFT_SPEC_BLESS=1` to record improvements; `WEFT_SPEC_VERBOSE=1` lists
//! every failing check.

use std::path::Path;
use weft_spec::expectations::{self, Floor};
use weft_spec::{binary, suite};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expectations.tsv");
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let floors = match expectations::parse(&recorded) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let verbose = std::env::var_os("WEFT_SPEC_VERBOSE").is_some();

    let mut counts = expectations::Floors::new();
    let mut regressions = Vec::new();
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
        let now = Floor {
            commands: outcome.passed,
            binary: binary.passed,
        };
        let floor = floors.get(&key).copied().unwrap_or_default();
        if now.commands < floor.commands || now.binary < floor.binary {
            regressions.push(format!("{key}: now {now:?}, floor {floor:?}"));
        }
        counts.insert(key, now);
    }
    print!("{table}");

    if std::env::var_os("WEFT_SPEC_BLESS").is_some() {
        std::fs::write(&path, expectations::render(&counts)).expect("write expectations");
        println!("recorded {} files in {}", counts.len(), path.display());
    }
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    // The closing line counts files: a file passes when it meets its floor.
    println!(
        "floors: {} passed, {} failed",
        counts.len() - regressions.len(),
        regressions.len()
    );
    if !regressions.is_empty() {
        std::process::exit(1);
    }
}
