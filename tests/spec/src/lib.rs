//! Runs the official WebAssembly testsuite through weft.
//!
//! Today this is the binary-format skeleton: every `(module binary ...)` of
//! every script is decoded, re-encoded and decoded again, and every binary
//! `assert_malformed` must be rejected with its phrase. Per-file pass counts
//! are held as floors by `expectations.tsv` (see [`expectations`]).

#![warn(missing_docs)]

pub mod binary;
pub mod expectations;
pub mod phrase;
pub mod sexpr;
pub mod suite;
