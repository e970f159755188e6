//! The spec testsuite as a test: every file must pass at least as many
//! checks as `expectations.tsv` records. Run with `WEFT_SPEC_BLESS=1` to
//! record improvements; `WEFT_SPEC_VERBOSE=1` lists every failing check.

use std::collections::BTreeMap;
use std::path::Path;
use weft_spec::{binary, expectations, suite};

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
    let mut by_dir: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut regressions = Vec::new();
    for file in suite::all_files() {
        let report = binary::check_script(file.text, file.features);
        let failed = report.failures.len() as u32;
        let entry = by_dir.entry(file.dir.clone()).or_default();
        entry.0 += report.passed;
        entry.1 += failed;
        let key = file.key();
        let floor = floors.get(&key).copied().unwrap_or(0);
        if report.passed < floor {
            regressions.push(format!("{key}: {} passed, floor is {floor}", report.passed));
        }
        if verbose {
            for (line, why) in &report.failures {
                println!("{key}:{line}: {why}");
            }
        }
        counts.insert(key, report.passed);
    }

    println!("{:<48} {:>8} {:>8}", "directory", "pass", "fail");
    let (mut pass, mut fail) = (0, 0);
    for (dir, (p, f)) in &by_dir {
        println!("{dir:<48} {p:>8} {f:>8}");
        pass += p;
        fail += f;
    }
    println!("{:<48} {pass:>8} {fail:>8}", "total");

    if std::env::var_os("WEFT_SPEC_BLESS").is_some() {
        std::fs::write(&path, expectations::render(&counts)).expect("write expectations");
        println!("recorded {} files in {}", counts.len(), path.display());
    }
    for r in &regressions {
        println!("REGRESSION {r}");
    }
    let files = counts.len();
    println!("checks: {pass} pass, {fail} fail (known failures are held by the floors)");
    // The closing line counts files: a file passes when it meets its floor.
    println!(
        "floors: {} passed, {} failed",
        files - regressions.len(),
        regressions.len()
    );
    if !regressions.is_empty() {
        std::process::exit(1);
    }
}
