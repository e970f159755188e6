//! The binary-format checks of the testsuite: every `(module binary ...)`.
//!
//! Outside `assert_malformed`, a binary module must decode, re-encode and
//! decode again to an equal AST. Under `assert_malformed`, it must be
//! rejected with a message that contains the expected phrase.

use crate::sexpr::{self, SExpr};
use weft_ast::Features;

/// The outcome of one file's checks.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    /// Checks that passed.
    pub passed: u32,
    /// Checks that failed, each with its line and what went wrong.
    pub failures: Vec<(u32, String)>,
}

/// What a binary module is expected to do.
enum Expect<'a> {
    /// Decode and round-trip.
    Decode,
    /// Be rejected with this phrase.
    Malformed(&'a str),
}

/// Runs the binary checks of one script.
pub fn check_script(text: &str, features: Features) -> FileReport {
    let mut report = FileReport::default();
    let commands = match sexpr::read(text) {
        Ok(c) => c,
        Err(e) => {
            report
                .failures
                .push((e.line, format!("script unreadable: {e}")));
            return report;
        }
    };
    for command in &commands {
        for (bytes, expect, line) in binary_modules(command) {
            match check_module(&bytes, &expect, features) {
                Ok(()) => report.passed += 1,
                Err(why) => report.failures.push((line, why)),
            }
        }
    }
    report
}

/// The binary modules of a command, with what each is expected to do.
fn binary_modules(command: &SExpr) -> Vec<(Vec<u8>, Expect<'_>, u32)> {
    let mut found = Vec::new();
    match command.head() {
        Some("module") => {
            if let Some(bytes) = binary_of(command) {
                found.push((bytes, Expect::Decode, command.line()));
            }
        }
        Some("assert_malformed") => {
            let items = command.items();
            if let (Some(module), Some(SExpr::Str(phrase))) = (items.get(1), items.get(2))
                && let (Some(bytes), Ok(phrase)) = (binary_of(module), std::str::from_utf8(phrase))
            {
                found.push((bytes, Expect::Malformed(phrase), command.line()));
            }
        }
        Some(_) => {
            // assert_invalid, assert_unlinkable, assert_trap, ...: a binary
            // module there is well-formed.
            for item in command.items() {
                if item.head() == Some("module")
                    && let Some(bytes) = binary_of(item)
                {
                    found.push((bytes, Expect::Decode, command.line()));
                }
            }
        }
        None => {}
    }
    found
}

/// The bytes of a `(module $id? definition? binary "..."*)` form.
fn binary_of(module: &SExpr) -> Option<Vec<u8>> {
    let items = module.items();
    let at = items
        .iter()
        .position(|i| matches!(i, SExpr::Atom(a) if a == "binary"))?;
    let mut bytes = Vec::new();
    for item in &items[at + 1..] {
        if let SExpr::Str(s) = item {
            bytes.extend_from_slice(s);
        }
    }
    Some(bytes)
}

fn check_module(bytes: &[u8], expect: &Expect<'_>, features: Features) -> Result<(), String> {
    let decoded = weft_parser::parse_with(bytes, features);
    match (expect, decoded) {
        (Expect::Decode, Ok(module)) => {
            let again = module.encode();
            match weft_parser::parse_with(&again, features) {
                Ok(m) if m == module => Ok(()),
                Ok(_) => Err("re-encoded module decodes to a different AST".to_string()),
                Err(e) => Err(format!("re-encoded module does not decode: {e}")),
            }
        }
        (Expect::Decode, Err(e)) => Err(format!("does not decode: {e}")),
        (Expect::Malformed(phrase), Err(e)) => {
            if crate::phrase::matches(&e.to_string(), phrase) {
                Ok(())
            } else {
                Err(format!("rejected with `{e}`, expected `{phrase}`"))
            }
        }
        (Expect::Malformed(phrase), Ok(_)) => Err(format!("decoded, expected `{phrase}`")),
    }
}
