//! The subcommands, one module each, and what they share: the error type,
//! reading inputs and the `--features` option.

pub mod dump;
pub mod parse;
pub mod print;
pub mod run;
pub mod shrink;
pub mod smith;
#[cfg(feature = "testsuite")]
pub mod spec;
pub mod validate;
pub mod wast;

use std::fmt;
use std::path::{Path, PathBuf};

use weft_ast::{Features, UnknownFeature};

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A binary module is malformed.
    Binary {
        /// The file.
        path: PathBuf,
        /// Where and what.
        source: weft_parser::Error,
    },
    /// A text module is malformed.
    Text {
        /// The file.
        path: PathBuf,
        /// The text, kept to show the offending line.
        text: String,
        /// Where and what.
        source: weft_wat::Error,
    },
    /// A module is not valid.
    Invalid {
        /// The file.
        path: PathBuf,
        /// What rule it breaks, and where.
        source: weft_validator::Error,
    },
    /// `weft run` could not instantiate, call, or the call trapped.
    Run(run::RunError),
    /// `--features` named an unknown proposal.
    Features(UnknownFeature),
    /// Script commands failed (already reported on standard output).
    Failed(u32),
    /// `weft smith` or `weft shrink` could not do its work.
    Command(smith::CommandError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Binary { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Text { path, text, source } => {
                f.write_str(&source.render(&path.display().to_string(), text))
            }
            Error::Invalid { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Run(e) => e.fmt(f),
            Error::Features(e) => e.fmt(f),
            Error::Failed(n) => write!(f, "{n} commands failed"),
            Error::Command(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Binary { source, .. } => Some(source),
            Error::Text { source, .. } => Some(source),
            Error::Invalid { source, .. } => Some(source),
            Error::Run(e) => Some(e),
            Error::Features(e) => Some(e),
            Error::Failed(_) => None,
            Error::Command(e) => Some(e),
        }
    }
}

/// The proposals to accept, as a command-line option.
#[derive(Debug, Clone, clap::Args)]
pub struct FeatureArgs {
    /// Proposals to accept: a base (`wasm1`, `wasm2`, `wasm3`, `default`,
    /// `all`) and/or `+name`/`-name` edits, comma-separated.
    #[arg(long, default_value = "default")]
    pub features: String,
}

impl FeatureArgs {
    /// The feature set described.
    pub fn features(&self) -> Result<Features, Error> {
        Features::parse(&self.features).map_err(Error::Features)
    }
}

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a whole file.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The magic number every binary module starts with.
const MAGIC: &[u8] = b"\0asm";

/// Reads a module, binary or text: binary when the file starts with the
/// magic number, else text.
pub fn load_module(path: &Path, features: Features) -> Result<weft_ast::Module, Error> {
    let bytes = read(path)?;
    if bytes.starts_with(MAGIC) {
        return weft_parser::parse_with(&bytes, features).map_err(|source| Error::Binary {
            path: path.to_path_buf(),
            source,
        });
    }
    weft_wat::parse_module_bytes_with(&bytes, features).map_err(|source| Error::Text {
        path: path.to_path_buf(),
        // Only to show the offending line: the lossy replacement keeps
        // every character before the first bad byte where it was.
        text: String::from_utf8_lossy(&bytes).into_owned(),
        source,
    })
}

/// Writes part of a command's report to standard output. A reader that
/// went away (`weft spec | head`) is not an error: the rest is dropped
/// instead of the process panicking as `print!` would.
pub fn emit(text: fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_fmt(text);
}
