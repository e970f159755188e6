//! `weft parse IN [-o OUT.wasm] [--check]`: read a module, binary or text
//! (told apart by content: a binary starts with `\0asm`), and encode it to
//! the binary format. Nothing is written unless the whole input parses.

use std::path::{Path, PathBuf};

use weft_ast::{Features, Module};

use super::{Error, FeatureArgs};

/// The magic number every binary module starts with.
const MAGIC: &[u8] = b"\0asm";

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
    let bytes = super::read(&args.input)?;
    let module = parse(&args.input, &bytes, features)?;
    if let Some(output) = &args.output {
        super::write(output, &module.encode())?;
    }
    Ok(())
}

/// Parses `bytes` read from `path` as a binary module when they start with
/// the magic number, else as text.
fn parse(path: &Path, bytes: &[u8], features: Features) -> Result<Module, Error> {
    if bytes.starts_with(MAGIC) {
        return weft_parser::parse_with(bytes, features).map_err(|source| Error::Binary {
            path: path.to_path_buf(),
            source,
        });
    }
    weft_wat::parse_module_bytes_with(bytes, features).map_err(|source| Error::Text {
        path: path.to_path_buf(),
        // Only to show the offending line: the lossy replacement keeps
        // every character before the first bad byte where it was.
        text: String::from_utf8_lossy(bytes).into_owned(),
        source,
    })
}
