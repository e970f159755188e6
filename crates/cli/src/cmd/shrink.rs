//! `weft shrink PREDICATE IN -o OUT [--features ..]`: reduce a module
//! while PREDICATE holds of it, keeping every candidate valid.
//!
//! PREDICATE is a shell command; each candidate is written to
//! `OUT.candidate.wasm` and the command run as `sh -c 'PREDICATE "$1"' sh
//! CANDIDATE`: exit status 0 means the candidate is still interesting.
//! The reduction (`weft_smith::shrink`) is deterministic: the same input
//! and predicate give the same output. On a terminal a progress line shows
//! the pass, the candidates tried and the module's size.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::smith::CommandError;
use super::{Error, FeatureArgs};

/// Arguments of `weft shrink`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft shrink './still-crashes.sh' big.wasm -o small.wasm")]
pub struct ShrinkArgs {
    /// The interestingness test: a shell command given the candidate's
    /// path; exit status 0 = still interesting.
    predicate: String,
    /// The module to reduce (binary or text).
    input: PathBuf,
    /// Where the reduced module goes.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs the predicate on `module`, written to `scratch`.
fn interesting(predicate: &str, scratch: &Path, module: &weft_ast::Module) -> Result<bool, Error> {
    super::write(scratch, &module.encode())?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{predicate} \"$1\""))
        .arg("sh")
        .arg(scratch)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|source| {
            Error::Command(CommandError::Predicate {
                command: predicate.to_string(),
                source,
            })
        })?;
    Ok(status.success())
}

/// Runs `weft shrink`.
pub fn run(args: ShrinkArgs) -> Result<(), Error> {
    let features = args.features.features()?;
    let module = super::load_module(&args.input, features)?;
    weft_validator::validate(&module, features).map_err(|source| Error::Invalid {
        path: args.input.clone(),
        source,
    })?;
    let mut scratch = args.output.clone().into_os_string();
    scratch.push(".candidate.wasm");
    let scratch = PathBuf::from(scratch);
    if !interesting(&args.predicate, &scratch, &module)? {
        let _ = std::fs::remove_file(&scratch);
        return Err(Error::Command(CommandError::NotInteresting));
    }
    let before = module.encode().len();
    let terminal = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    // The predicate's own failure to run ends the reduction: it is kept,
    // and reported once the reducer returns.
    let mut failure: Option<Error> = None;
    let reduced = weft_smith::shrink(
        module,
        features,
        |cand| {
            if failure.is_some() {
                return false;
            }
            match interesting(&args.predicate, &scratch, cand) {
                Ok(yes) => yes,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        },
        |p| {
            if terminal {
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r{:<10} {:>6} tried {:>5} taken  {:>4} functions {:>7} instructions",
                    p.pass, p.tries, p.accepted, p.funcs, p.instrs
                );
                let _ = err.flush();
            }
        },
    );
    if terminal {
        eprintln!();
    }
    let _ = std::fs::remove_file(&scratch);
    if let Some(e) = failure {
        return Err(e);
    }
    let wasm = reduced.encode();
    super::write(&args.output, &wasm)?;
    eprintln!(
        "shrunk {before} -> {} bytes, {} functions, in {:.2?}",
        wasm.len(),
        reduced.funcs.len() + reduced.num_imports(weft_ast::ExternKind::Func) as usize,
        start.elapsed()
    );
    Ok(())
}
