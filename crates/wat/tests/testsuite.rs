//! Every script of the official testsuite through the text parser:
//! the scripts parse, their modules parse, and every quoted
//! `assert_malformed` module is rejected with the expected phrase.

mod common;

use common::{Role, each_module, wast_files};
use std::collections::BTreeMap;
use weft_ast::Features;
use weft_wat::{ModuleSource, parse_script_with};

#[derive(Default)]
struct Counts {
    modules: usize,
    module_failures: usize,
    malformed: usize,
    malformed_ok: usize,
    malformed_wrong_phrase: usize,
    malformed_accepted: usize,
}

#[test]
fn testsuite_scripts_and_modules() {
    let files = wast_files();
    assert!(files.len() > 300, "only {} files found", files.len());
    let mut total = Counts::default();
    let mut script_failures = Vec::new();
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in &files {
        let features = features_of(name);
        let script = match parse_script_with(text, features) {
            Ok(s) => s,
            Err(e) => {
                script_failures.push(e.render(name, text));
                continue;
            }
        };
        let mut problems = Vec::new();
        each_module(&script.commands, &mut |m, role, message| {
            if matches!(m.source, ModuleSource::Binary(_)) {
                return;
            }
            let result = m.to_module(features);
            match role {
                Role::Other => {
                    total.modules += 1;
                    if let Err(e) = result {
                        total.module_failures += 1;
                        problems.push(format!("line {}: {e}", m.line));
                    }
                }
                Role::Malformed => {
                    total.malformed += 1;
                    match result {
                        Err(e) if e.message().contains(message) => total.malformed_ok += 1,
                        Err(e) => {
                            total.malformed_wrong_phrase += 1;
                            problems.push(format!(
                                "line {}: expected {message:?}, got {:?}",
                                m.line,
                                e.message()
                            ));
                        }
                        Ok(_) => {
                            total.malformed_accepted += 1;
                            problems
                                .push(format!("line {}: accepted, expected {message:?}", m.line));
                        }
                    }
                }
            }
        });
        if !problems.is_empty() {
            by_file.insert(name.clone(), problems);
        }
    }
    for (file, problems) in &by_file {
        println!("{file}: {} problem(s)", problems.len());
        for p in problems.iter().take(40) {
            println!("    {p}");
        }
    }
    for s in &script_failures {
        println!("SCRIPT FAILED: {s}");
    }
    println!(
        "{} files, {} script failures; {} modules, {} failed to parse; {} malformed: {} rejected with the phrase, {} with another, {} accepted",
        files.len(),
        script_failures.len(),
        total.modules,
        total.module_failures,
        total.malformed,
        total.malformed_ok,
        total.malformed_wrong_phrase,
        total.malformed_accepted
    );
    assert!(script_failures.is_empty());
    // Every script's modules were walked: a walk that found none cannot pass.
    assert!(
        total.modules > 14_000,
        "only {} modules parsed",
        total.modules
    );
    assert!(
        total.malformed > 3_000,
        "only {} malformed modules",
        total.malformed
    );
    // Floors: raise them as the parser improves, never lower them.
    assert_eq!(
        total.module_failures, 0,
        "every module outside assert_malformed parses"
    );
    assert!(total.malformed_ok >= MIN_MALFORMED_OK);
}

/// The features a file's directory is written for. Proposal folders that
/// predate memory64 hold the older grammar of 32-bit limits.
fn features_of(name: &str) -> Features {
    let pre_memory64 = ["reference-types/", "function-references/", "threads/"];
    if name.starts_with("wasm-v1/") {
        Features::WASM1
    } else if name.starts_with("wasm-v2/") {
        Features::WASM2
    } else if pre_memory64.iter().any(|p| name.contains(p)) {
        Features::ALL.without(Features::MEMORY64)
    } else {
        Features::ALL
    }
}

/// Quoted malformed modules that must be rejected with their phrase. The
/// 202 others are stale copies whose phrase the spec has since renamed:
/// wasm-v1's `invalid UTF-8 encoding` (now `malformed UTF-8 encoding`) and
/// proposals/annotations' old `simd_lane.wast` (`malformed lane index`,
/// now `i8 constant out of range` and `unexpected token`).
const MIN_MALFORMED_OK: usize = 3128;
