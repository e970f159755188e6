//! `weft validate IN [--features ...] [--parallel]`: read a module (binary
//! or text) and check it against the validation rules of the chosen
//! proposals. Exit status 0 when valid; otherwise the rule broken and where,
//! on standard error.
//!
//! A binary goes the one-pass way (`weft_validator::check_bytes`): each
//! instruction is checked as it is decoded, and not kept; a body's error
//! names the function, the instruction and its byte offset. Text is parsed first, and
//! its errors point at the instruction by its index in the body.

use std::path::PathBuf;

use weft_validator::BinaryError;

use super::{Error, FeatureArgs};

/// Arguments of `weft validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module to check: binary or text.
    input: PathBuf,
    /// Check function bodies in parallel (same verdict, same first error).
    #[arg(long)]
    parallel: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft validate`.
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let path = args.input.clone();
    let invalid = |source| Error::Invalid {
        path: path.clone(),
        source,
    };
    let bytes = super::read(&args.input)?;
    if bytes.starts_with(b"\0asm") {
        let checked = if args.parallel {
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
    let module = super::load_module(&args.input, features)?;
    let checked = if args.parallel {
        weft_validator::validate_parallel(&module, features)
    } else {
        weft_validator::validate(&module, features)
    };
    checked.map(|_| ()).map_err(invalid)
}
