//! `weft print IN [-o OUT.wat] [--fold] [--skeleton] [--index-comments]`:
//! a module (binary or text) as text. The text streams into the output
//! (standard output without `-o` or with `-o -`); nothing is written unless
//! the input decodes.

use std::path::PathBuf;

use super::{Error, FeatureArgs};

/// Arguments of `weft print`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft print module.wasm --fold -o module.wat")]
pub struct PrintArgs {
    /// The module to print: binary or text (a file named `*.wasm` is
    /// binary, anything else is told apart by content), `-` for standard
    /// input.
    input: PathBuf,
    /// Where to write the text (standard output without it, or with `-`).
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
    /// Proposals to accept (default: `all`, every encoding weft knows).
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft print`.
pub fn run(args: PrintArgs) -> Result<(), Error> {
    let features = args.features.decoding()?;
    let module = super::load_module(&args.input, features)?;
    let options = weft_printer::Options {
        fold: args.fold,
        skeleton: args.skeleton,
        index_comments: args.index_comments,
        custom_annotations: !args.no_custom,
        ..weft_printer::Options::default()
    };
    let output = args.output.unwrap_or_else(|| PathBuf::from("-"));
    super::write_with(&output, |out| {
        weft_printer::print_module_io(&module, &options, &mut &mut *out)
    })
}
