//! The binary-format checks of the testsuite: every `(module binary ...)`.
//!
//! Outside `assert_malformed`, a binary module must decode, re-encode and
//! decode again to an equal AST. Under `assert_malformed`, it must be
//! rejected with a message that contains the expected phrase.

use crate::{scan, sexpr};
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
    for m in scan::binary_modules(&commands) {
        let expect = match &m.malformed {
            None => Expect::Decode,
            Some(phrase) => Expect::Malformed(phrase),
        };
        match check_module(&m.bytes, &expect, features) {
            Ok(()) => report.passed += 1,
            Err(why) => report.failures.push((m.line, why)),
        }
    }
    report
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
