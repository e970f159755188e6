//! `weft parse IN [-o OUT.wasm] [--check] [--no-validate]`: read a module,
//! binary or text (a file named `*.wasm` is binary, anything else is told
//! apart by content), check it against the validation rules, and encode it
//! to the binary format. Nothing is written unless the whole input parses
//! and validates. `-` is standard input or output.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{Error, FeatureArgs};

/// Arguments of `weft parse`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft parse module.wat -o module.wasm")]
pub struct ParseArgs {
    /// The module to read: binary (`.wasm`) or text (`.wat`), `-` for
    /// standard input.
    input: PathBuf,
    /// Where to write the module in the binary format (`-` for standard
    /// output, which is also the default when it is not a terminal).
    #[arg(short, long, conflicts_with = "check")]
    output: Option<PathBuf>,
    /// Only parse (and validate): the exit status says whether the input is
    /// well formed.
    #[arg(long)]
    check: bool,
    /// Write the module even if it is not valid.
    #[arg(long)]
    no_validate: bool,
    /// Proposals to accept (default: `all`, every encoding weft knows).
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft parse`.
pub fn run(args: ParseArgs) -> Result<(), Error> {
    let features = args.features.decoding()?;
    let output = match (&args.output, args.check) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) if std::io::stdout().is_terminal() => {
            return Err(Error::Usage(
                "weft parse: give `-o OUT.wasm` (or `-o -` to write binary to the terminal), \
                 or `--check` to only check"
                    .into(),
            ));
        }
        (None, false) => Some(PathBuf::from("-")),
    };
    let module = super::load_module(&args.input, features)?;
    if !args.no_validate {
        weft_validator::validate(&module, features).map_err(|source| Error::Invalid {
            path: args.input.clone(),
            source,
        })?;
    }
    if let Some(output) = &output {
        super::write(output, &module.encode())?;
    }
    Ok(())
}
