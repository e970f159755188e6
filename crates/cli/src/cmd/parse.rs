//! `weft parse IN [-o OUT.wasm] [--check]`: read a module, binary or text
//! (told apart by content: a binary starts with `\0asm`), and encode it to
//! the binary format. Nothing is written unless the whole input parses.

use std::path::PathBuf;

use super::{Error, FeatureArgs};

/// Arguments of `weft parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module to read: binary (`.wasm`) or text (`.wat`).
    input: PathBuf,
    /// Where to write the module in the binary format.
    #[arg(short, long, conflicts_with = "check")]
    output: Option<PathBuf>,
    /// Only parse: the exit status says whether the input is well formed.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft parse`.
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let module = super::load_module(&args.input, features)?;
    if let Some(output) = &args.output {
        super::write(output, &module.encode())?;
    }
    Ok(())
}
