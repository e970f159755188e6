//! The differential test of the two engines: every testsuite script runs
//! on the interpreter and the JIT in lockstep, and every action's results
//! or trap, and the acted-on instance's exported memories and globals,
//! must be equal (`weft_spec::differential`).

#[cfg(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos")))]
fn main() {
    use weft_spec::{differential, suite};
    let (mut actions, mut divergences, mut files) = (0, 0, 0);
    let all = suite::all_files();
    for file in &all {
        let d = differential::compare_engines(file.text, file.semantics());
        actions += d.actions;
        for (line, why) in &d.found {
            println!("{}:{line}: {why}", file.key());
        }
        divergences += d.found.len();
        files += usize::from(d.found.is_empty());
    }
    println!("differential: {actions} actions compared, {divergences} divergences");
    println!("differential: {files} passed, {} failed", all.len() - files);
    if divergences > 0 {
        std::process::exit(1);
    }
}

#[cfg(not(all(target_arch = "x86_64", any(target_os = "linux", target_os = "macos"))))]
fn main() {
    println!("differential: 0 passed, 0 failed (no JIT on this target)");
}
