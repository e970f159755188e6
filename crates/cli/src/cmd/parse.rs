//! `weft parse IN.wasm [-o OUT.wasm]`: decode a binary module and encode it
//! again. Nothing is written unless the whole input decodes.

use std::path::PathBuf;

use super::{Error, FeatureArgs};

/// Arguments of `weft parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The binary module to decode.
    input: PathBuf,
    /// Where to write the re-encoded module (without it, only decode).
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft parse`.
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let bytes = super::read(&args.input)?;
    let module = weft_parser::parse_with(&bytes, features).map_err(|source| Error::Binary {
        path: args.input.clone(),
        source,
    })?;
    if let Some(output) = &args.output {
        super::write(output, &module.encode())?;
    }
    Ok(())
}
