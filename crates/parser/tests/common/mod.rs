//! Shared by the integration tests: the binary and text modules of the
//! official spec testsuite, as weft-spec's scanner finds them, with the
//! proposals weft-spec gives each folder.

#![allow(dead_code)]

use weft_parser::Features;
use weft_spec::suite::{SuiteFile, all_files};
use weft_spec::{scan, sexpr};

/// One `(module binary ...)` of a script.
#[derive(Debug)]
pub struct BinaryModule {
    /// `folder/file.wast:line`, the folder without `proposals/`.
    pub origin: String,
    /// The module's bytes.
    pub bytes: Vec<u8>,
    /// The phrase, when the module sits in an `assert_malformed`.
    pub malformed: Option<String>,
    /// The proposals the script is written for.
    pub features: Features,
    /// Whether the script uses a proposal the AST does not model.
    pub unsupported: bool,
}

/// One text `(module ...)` of a script that the testsuite expects to be
/// valid (top-level, or under an assertion about instantiation or running).
#[derive(Debug)]
pub struct TextModule {
    /// `folder/file.wast:line`.
    pub origin: String,
    /// The module's source text.
    pub text: String,
    /// The proposals the script is written for.
    pub features: Features,
}

/// Custom descriptors: not a standard proposal, and not in the AST.
fn unsupported(file: &SuiteFile) -> bool {
    file.dir == "proposals/custom-descriptors"
}

/// The commands of a file; the testsuite's scripts always read.
fn commands(file: &SuiteFile) -> Vec<sexpr::SExpr> {
    sexpr::read(file.text).unwrap_or_else(|e| panic!("cannot scan {}: {e}", file.key()))
}

fn origin(file: &SuiteFile, line: u32) -> String {
    let folder = file.dir.trim_start_matches("proposals/");
    format!("{folder}/{}:{line}", file.name)
}

/// Every binary module of every script of the testsuite.
pub fn all_binary_modules() -> Vec<BinaryModule> {
    let mut out = Vec::new();
    for file in all_files() {
        for m in scan::binary_modules(&commands(&file)) {
            out.push(BinaryModule {
                origin: origin(&file, m.line),
                bytes: m.bytes,
                malformed: m.malformed,
                features: file.features,
                unsupported: unsupported(&file),
            });
        }
    }
    out
}

/// Every valid text module of every script of the testsuite (except the
/// proposals the AST does not model).
pub fn all_text_modules() -> Vec<TextModule> {
    let mut out = Vec::new();
    for file in all_files().iter().filter(|f| !unsupported(f)) {
        for (line, text) in scan::text_modules(file.text, &commands(file)) {
            out.push(TextModule {
                origin: origin(file, line),
                text: text.to_string(),
                features: file.features,
            });
        }
    }
    out
}

/// Whether an error message says what the script expects (or an older
/// wording of it).
pub fn phrase_matches(message: &str, expected: &str) -> bool {
    weft_spec::phrase::matches(message, expected)
}
