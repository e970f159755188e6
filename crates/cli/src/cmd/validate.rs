//! `weft validate IN [--features ...] [--parallel]`: read a module (binary
//! or text) and check it against the validation rules of the chosen
//! proposals. Exit status 0 when valid; otherwise the rule broken and where,
//! on standard error.

use std::path::PathBuf;

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
    let module = super::load_module(&args.input, features)?;
    let checked = if args.parallel {
        weft_validator::validate_parallel(&module, features)
    } else {
        weft_validator::validate(&module, features)
    };
    checked.map(|_| ()).map_err(|source| Error::Invalid {
        path: args.input.clone(),
        source,
    })
}
