//! `weft print IN [-o OUT.wat] [--fold] [--skeleton] [--index-comments]`:
//! a module (binary or text) as text. The text streams into the output (standard
//! output without `-o`); nothing is written unless the input decodes.

use std::io::Write;
use std::path::PathBuf;

use super::{Error, FeatureArgs};

/// Arguments of `weft print`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module to print: binary or text.
    input: PathBuf,
    /// Where to write the text (standard output without it).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Fold instructions into S-expressions where operand counts are known.
    #[arg(long)]
    fold: bool,
    /// Leave out function bodies and data bytes.
    #[arg(long)]
    skeleton: bool,
    /// Add `(;N;)` index comments to numbered items.
    #[arg(long)]
    index_comments: bool,
    /// Leave custom sections out instead of printing `(@custom ...)`.
    #[arg(long)]
    no_custom: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft print`.
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let module = super::load_module(&args.input, features)?;
    let options = weft_printer::Options {
        fold: args.fold,
        skeleton: args.skeleton,
        index_comments: args.index_comments,
        custom_annotations: !args.no_custom,
        ..weft_printer::Options::default()
    };
    let (path, result) = match &args.output {
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|mut file| {
                weft_printer::print_module_io(&module, &options, &mut file)?;
                file.flush()
            });
            (path.clone(), written)
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let written = match weft_printer::print_module_io(&module, &options, &mut stdout) {
                // A reader that stops early (`weft print x.wasm | head`) is
                // not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            };
            (PathBuf::from("<stdout>"), written)
        }
    };
    result.map_err(|source| Error::Io { path, source })
}
