//! The upstream spec repository's custom-section scripts (vendored in
//! `upstream/`, see its `SOURCE.md`): every command passes.

use weft_ast::Features;
use weft_spec::runner::run_script;

/// Runs a vendored script and checks that all its `commands` passed.
fn passes(name: &str, text: &str, commands: u32) {
    let outcome = run_script(text, Features::default());
    for (line, why) in &outcome.failures {
        eprintln!("{name}:{line}: {why}");
    }
    assert!(outcome.failures.is_empty(), "{name}: {outcome:?}");
    assert_eq!((outcome.passed, outcome.skipped), (commands, 0), "{name}");
}

#[test]
fn custom_annotations() {
    passes(
        "custom_annot.wast",
        include_str!("../upstream/custom_annot.wast"),
        17,
    );
}

#[test]
fn name_annotations() {
    passes(
        "name_annot.wast",
        include_str!("../upstream/name_annot.wast"),
        7,
    );
}

#[test]
fn branch_hints() {
    passes(
        "branch_hint.wast",
        include_str!("../upstream/branch_hint.wast"),
        4,
    );
}
