//! `weft validate IN... [--features ...] [--parallel]`: read modules (binary
//! or text) and check each against the validation rules of the chosen
//! proposals. Exit status 0 when all are valid; otherwise, for each one that
//! is not, the rule broken and where, on standard error.
//!
//! A binary goes the one-pass way (`weft_validator::check_bytes`): each
//! instruction is checked as it is decoded, and not kept; a body's error
//! names the function, the instruction and its byte offset. Text is parsed first, and
//! its errors point at the instruction by its index in the body.

use std::path::{Path, PathBuf};

use weft_validator::BinaryError;

use super::{Error, FeatureArgs};

/// Arguments of `weft validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft validate module.wasm --features +legacy-exceptions")]
pub struct Args {
    /// The modules to check: binary or text, `-` for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Check function bodies in parallel (same verdict, same first error).
    #[arg(long)]
    parallel: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft validate`: every input is checked and every failure reported
/// on standard error, in input order (the last as the command's error).
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let mut failures: Vec<Error> = args
        .inputs
        .iter()
        .filter_map(|input| check(input, features, args.parallel).err())
        .collect();
    let last = failures.pop();
    for e in failures {
        eprintln!("error: {e}");
    }
    last.map_or(Ok(()), Err)
}

/// Checks one module.
fn check(input: &Path, features: weft_ast::Features, parallel: bool) -> Result<(), Error> {
    let path = input.to_path_buf();
    let invalid = |source| Error::Invalid {
        path: path.clone(),
        source,
    };
    let bytes = super::read(input)?;
    if super::is_binary(input, &bytes) && bytes.starts_with(b"\0asm") {
        let checked = if parallel {
            weft_validator::check_bytes_parallel(&bytes, features)
        } else {
            weft_validator::check_bytes(&bytes, features)
        };
        return checked.map(|_| ()).map_err(|e| match e {
            BinaryError::Malformed(source) => Error::Binary {
                path: path.clone(),
                source,
            },
            BinaryError::Invalid(source) => invalid(source),
        });
    }
    let module = super::decode(input, &bytes, features)?;
    let checked = if parallel {
        weft_validator::validate_parallel(&module, features)
    } else {
        weft_validator::validate(&module, features)
    };
    checked.map(|_| ()).map_err(invalid)
}
