//! Runs the official WebAssembly testsuite through weft.
//!
//! - [`runner`]: runs every command of a script through the text parser,
//!   binary parser, validator and interpreter;
//! - [`binary`]: every `(module binary ...)` decodes, re-encodes and decodes
//!   to an equal AST, and every binary `assert_malformed` is rejected with
//!   its phrase;
//! - [`scan`]: the binary and text modules of a script (also for other
//!   crates' tests);
//! - [`suite`]: the testsuite's files and the proposals each needs;
//! - [`expectations`]: the committed outcome of every file, exactly;
//! - [`report`]: the per-directory table;
//! - [`differential`]: a script run on the interpreter and the JIT in
//!   lockstep, every action's results, traps and exported state compared.

#![warn(missing_docs)]

pub mod binary;
pub mod differential;
pub mod expectations;
pub mod phrase;
pub mod report;
pub mod runner;
pub mod scan;
pub mod sexpr;
#[cfg(feature = "testsuite")]
pub mod suite;
