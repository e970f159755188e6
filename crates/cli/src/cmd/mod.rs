//! The subcommands, one module each, and what they share: the error type,
//! reading inputs (a file or `-` for standard input), writing outputs (a
//! file or `-` for standard output) and the `--features` option.

pub mod compile;
pub mod dump;
pub mod json_from_wast;
pub mod locate;
pub mod objdump;
pub mod parse;
pub mod print;
pub mod run;
pub mod shrink;
pub mod smith;
#[cfg(feature = "testsuite")]
pub mod spec;
pub mod strip;
pub mod validate;
pub mod wast;

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use weft_ast::{Features, UnknownFeature};

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file (`<stdin>` or `<stdout>` for the standard streams).
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
    Run {
        /// The file.
        path: PathBuf,
        /// What went wrong (boxed: the backtrace makes it large).
        source: Box<run::RunError>,
    },
    /// `--features` named an unknown proposal.
    Features(UnknownFeature),
    /// An option's value or a command's arguments make no sense.
    Usage(String),
    /// Script commands failed (already reported on standard output).
    Failed(u32),
    /// A WASI program ended with this exit code (not 0).
    Exit(i32),
    /// `weft smith` or `weft shrink` could not do its work.
    Command(smith::CommandError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Binary { path, source } => {
                write!(f, "{}: {source}", path.display())?;
                if let weft_parser::ErrorKind::IllegalOpcode {
                    needs: Some(needs), ..
                } = source.kind()
                {
                    for name in needs.names() {
                        write!(f, " (use --features +{name})")?;
                    }
                }
                Ok(())
            }
            Error::Text { path, text, source } => {
                f.write_str(&source.render(&path.display().to_string(), text))
            }
            Error::Invalid { path, source } => {
                let message = source.to_string();
                write!(f, "{}: {message}{}", path.display(), feature_hint(&message))
            }
            Error::Run { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Features(e) => e.fmt(f),
            Error::Usage(why) => f.write_str(why),
            Error::Failed(n) => write!(f, "{n} commands failed"),
            Error::Exit(code) => write!(f, "the program exited with code {code}"),
            Error::Command(e) => e.fmt(f),
        }
    }
}

/// An error as JSON: `message` (without the file name), and where:
/// `offset` (a binary's byte offset), `line`/`column` (a text's).
pub fn error_json(e: &Error) -> serde_json::Value {
    use serde_json::json;
    match e {
        Error::Binary { source, .. } => {
            json!({"message": source.to_string(), "offset": source.offset()})
        }
        Error::Invalid { source, .. } => {
            let message = format!("{source}{}", feature_hint(&source.to_string()));
            match source.offset() {
                Some(offset) => json!({"message": message, "offset": offset}),
                None => json!({"message": message}),
            }
        }
        Error::Text { source, .. } => json!({
            "message": source.message(),
            "line": source.line(),
            "column": source.col(),
        }),
        other => json!({"message": other.to_string()}),
    }
}

/// For a validation message about a rule that a proposal lifts, how to
/// turn the proposal on (` (use --features +name)`); else nothing.
pub fn feature_hint(message: &str) -> String {
    Features::NAMED
        .iter()
        .filter(|(name, _)| message.contains(&format!("the {name} proposal")))
        .map(|(name, _)| format!(" (use --features +{name})"))
        .collect()
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Binary { source, .. } => Some(source),
            Error::Text { source, .. } => Some(source),
            Error::Invalid { source, .. } => Some(source),
            Error::Run { source, .. } => Some(source.as_ref()),
            Error::Features(e) => Some(e),
            Error::Usage(_) | Error::Failed(_) | Error::Exit(_) => None,
            Error::Command(e) => Some(e),
        }
    }
}

/// The proposals to accept, as a command-line option. Commands that run
/// or judge a module (`validate`, `run`, `wast`) start from the standard
/// default; commands that only read or convert (`parse`, `print`, `dump`)
/// start from `all`, so that every encoding weft knows is read.
#[derive(Debug, Clone, clap::Args)]
pub struct FeatureArgs {
    /// Proposals to accept, comma-separated: a preset (`wasm1`, `wasm2`,
    /// `wasm3`, `default`, `all`) and/or `+name`/`-name` edits (`-simd`,
    /// `all,-all`). `--features help` lists every name.
    #[arg(long, allow_hyphen_values = true, value_name = "LIST")]
    pub features: Option<String>,
}

impl FeatureArgs {
    /// The feature set described, from the standard default.
    pub fn features(&self) -> Result<Features, Error> {
        self.on_base("default")
    }

    /// The feature set described, from `all`: for reading and converting.
    pub fn decoding(&self) -> Result<Features, Error> {
        self.on_base("all")
    }

    fn on_base(&self, base: &str) -> Result<Features, Error> {
        let spec = self.features.as_deref().unwrap_or(base);
        if spec == "help" {
            // Asked for, so printed where help goes, and the command ends.
            print!("{}", features_help());
            std::process::exit(0);
        }
        // Edits only (`-simd`) apply to the command's own base.
        let edits_only = spec
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .all(|p| p.starts_with(['+', '-']));
        let spec = if edits_only {
            format!("{base},{spec}")
        } else {
            spec.to_string()
        };
        Features::parse(&spec).map_err(Error::Features)
    }
}

/// The list `--features help` prints.
fn features_help() -> String {
    let mut out = String::from(
        "--features takes comma-separated presets and `+name`/`-name` edits.\npresets:\n",
    );
    for (name, set) in Features::PRESETS {
        let names: Vec<&str> = set.names().collect();
        out.push_str(&format!("  {name:<24} {}\n", names.join(",")));
    }
    out.push_str("proposals (* = in `default`):\n");
    for (name, f) in Features::NAMED {
        let mark = if Features::DEFAULT.contains(*f) {
            "*"
        } else {
            " "
        };
        out.push_str(&format!("  {mark} {name}\n"));
    }
    out
}

/// Whether a path names a standard stream (`-`).
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name errors give a path: `<stdin>`/`<stdout>` for `-`.
fn shown(path: &Path, stream: &str) -> PathBuf {
    if is_stdio(path) {
        PathBuf::from(stream)
    } else {
        path.to_path_buf()
    }
}

/// Reads a whole file, or standard input for `-`.
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io {
        path: shown(path, "<stdin>"),
        source,
    };
    if is_stdio(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(io)?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(io)
}

/// Writes a whole file, or standard output for `-`; see [`write_with`].
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(path, |out| out.write_all(bytes))
}

/// Writes a file, or standard output for `-`, through `f`. A file is
/// written beside its place and renamed into it, so that a failure leaves
/// nothing half-written; a reader of standard output that went away is not
/// an error.
pub fn write_with(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: shown(path, "<stdout>"),
        source,
    };
    if is_stdio(path) {
        let mut out = std::io::stdout().lock();
        return quiet_pipe(f(&mut out).and_then(|()| out.flush())).map_err(io);
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".weft-partial");
    let partial = PathBuf::from(partial);
    let written = std::fs::File::create(&partial).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        f(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, path)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map_err(io)
}

/// A reader that went away (`weft spec | head`) is not an error: the rest
/// of the output is dropped instead.
fn quiet_pipe(r: std::io::Result<()>) -> std::io::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes part of a command's report to standard output. A write error
/// (a full disk, a closed descriptor) is an error; a reader that went away
/// is not.
pub fn emit(text: fmt::Arguments<'_>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    quiet_pipe(out.write_fmt(text).and_then(|()| out.flush())).map_err(|source| Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    })
}

/// A progress line on standard error (`[k/n] what`), redrawn in place,
/// shown only when standard error is a terminal: a long run (`spec`,
/// `wast` of many files, `smith --count`) says how far it is, and
/// redirected output stays clean.
pub struct Progress {
    total: u64,
    shown: bool,
    done: u64,
}

impl Progress {
    /// A progress line over `total` steps; silent unless standard error is
    /// a terminal and there is more than one step.
    pub fn new(total: u64) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            shown: total > 1 && std::io::stderr().is_terminal(),
            done: 0,
        }
    }

    /// One more step, about to work on `what`.
    pub fn step(&mut self, what: &dyn fmt::Display) {
        self.done += 1;
        if self.shown {
            let mut err = std::io::stderr().lock();
            // Carriage return and erase the line: one line, redrawn.
            let _ = write!(err, "\r\x1b[K[{}/{}] {what}", self.done, self.total);
            let _ = err.flush();
        }
    }

    /// Erases the line, to print other output; the next step draws it
    /// again.
    pub fn clear(&self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }

    /// Erases the line for good (before the command's own output).
    pub fn finish(&mut self) {
        self.clear();
        self.shown = false;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The magic number every binary module starts with.
const MAGIC: &[u8] = b"\0asm";

/// Whether a module's bytes are to be read as binary: a file named
/// `*.wasm` always is; anything else is when it starts with the magic
/// number (told apart by content), else it is text.
pub fn is_binary(path: &Path, bytes: &[u8]) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("wasm"))
        || bytes.starts_with(MAGIC)
}

/// Reads a module, binary or text (see [`is_binary`]).
pub fn load_module(path: &Path, features: Features) -> Result<weft_ast::Module, Error> {
    let bytes = read(path)?;
    decode(path, &bytes, features)
}

/// Decodes a module already read from `path`.
pub fn decode(path: &Path, bytes: &[u8], features: Features) -> Result<weft_ast::Module, Error> {
    let path = shown(path, "<stdin>");
    if is_binary(&path, bytes) {
        if !bytes.starts_with(MAGIC) {
            // Named as a binary module: whatever else it holds (nothing,
            // text, random bytes) is not shown as text.
            let source = weft_parser::Error::new(0, weft_parser::ErrorKind::MagicHeader);
            return Err(Error::Binary { path, source });
        }
        return weft_parser::parse_with(bytes, features)
            .map_err(|source| Error::Binary { path, source });
    }
    weft_wat::parse_module_bytes_with(bytes, features).map_err(|source| Error::Text {
        path,
        // Only to show the offending line: the lossy replacement keeps
        // every character before the first bad byte where it was.
        text: String::from_utf8_lossy(bytes).into_owned(),
        source,
    })
}

/// The engine that runs modules, as a command-line option.
#[derive(Debug, Clone, clap::Args)]
pub struct EngineArgs {
    /// The engine: `interp` (the reference interpreter, the default) or
    /// `jit` (the baseline JIT, x86-64 Linux and macOS; functions it does
    /// not compile yet run in the interpreter).
    #[arg(long, value_name = "ENGINE", default_value = "interp")]
    pub engine: weft_interp::Engine,
    /// How the JIT bounds-checks 32-bit memories: `explicit` (a compare
    /// per access, the default) or `guard` (each memory reserves 8 GiB of
    /// address space behind guard pages, accesses go unchecked and a fault
    /// in the guard traps). Only meaningful with `--engine jit`.
    #[arg(long, value_name = "MODE", default_value = "explicit")]
    pub memory_mode: weft_interp::MemoryMode,
    /// Translate every function for the interpreter before running. By
    /// default each function is translated at its first call, which makes
    /// startup cost little more than validation; the whole module is
    /// validated first either way, so an invalid module is still rejected
    /// before anything runs.
    #[arg(long)]
    pub eager: bool,
}

impl EngineArgs {
    /// A module validated with `features` and made for the chosen engine,
    /// the interpreter's translated lazily unless `--eager`.
    pub fn module(
        &self,
        ast: weft_ast::Module,
        features: Features,
    ) -> Result<weft_interp::Module, weft_interp::Error> {
        if self.engine == weft_interp::Engine::Interp && !self.eager {
            weft_interp::Module::with_lazy_translation(ast, features)
        } else {
            weft_interp::Module::with_engine(ast, features, self.engine)
        }
    }

    /// The engine chosen, if this build has it.
    pub fn engine(&self) -> Result<weft_interp::Engine, Error> {
        if self.engine.available() {
            Ok(self.engine)
        } else {
            Err(Error::Usage(format!(
                "--engine {}: not available in this build (the JIT needs x86-64 Linux or macOS \
                 and the `jit` feature)",
                self.engine.name()
            )))
        }
    }
}

/// Limits on what a module may use, as command-line options.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Fuel for each call (for `wast` and `spec`: for each command): about
    /// one unit per call and loop iteration, and per 16 bytes or element a
    /// bulk operation touches; running out traps with `all fuel consumed`.
    /// Unmetered without it.
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,
    /// The most bytes all linear memories of the store may hold together
    /// (`1073741824`, `512M`, `4GiB`); default 1 GiB.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub max_memory: Option<u64>,
}

impl LimitArgs {
    /// The store limits these options give.
    pub fn store_limits(&self) -> weft_interp::StoreLimits {
        let mut limits = weft_interp::StoreLimits::default();
        if let Some(bytes) = self.max_memory {
            limits.max_memory_bytes = bytes;
        }
        limits
    }

    /// A script's semantics with these limits and this fuel.
    pub fn apply(&self, semantics: weft_spec::runner::Semantics) -> weft_spec::runner::Semantics {
        weft_spec::runner::Semantics {
            fuel: self.fuel,
            limits: self.store_limits(),
            ..semantics
        }
    }
}

/// A byte count: digits, optionally followed by `K`, `M`, `G` or `T`
/// (powers of 1024, with or without `iB`/`B`).
fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a byte count (e.g. 1048576, 512M, 4GiB)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("`{text}`: unknown unit (K, M, G, T)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_take_units() {
        assert_eq!(parse_bytes("1024"), Ok(1024));
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("4GiB"), Ok(4 << 30));
        assert_eq!(parse_bytes("2kb"), Ok(2048));
        assert!(parse_bytes("12x").is_err());
        assert!(parse_bytes("M").is_err());
        assert!(parse_bytes("99999999999T").is_err());
    }

    #[test]
    fn feature_edits_apply_to_the_commands_base() {
        let args = |s: &str| FeatureArgs {
            features: Some(s.into()),
        };
        assert_eq!(
            args("-simd").features().unwrap(),
            Features::DEFAULT.without(Features::SIMD)
        );
        assert_eq!(
            args("-simd").decoding().unwrap(),
            Features::ALL.without(Features::SIMD)
        );
        assert_eq!(args("wasm2").decoding().unwrap(), Features::WASM2);
        assert_eq!(
            FeatureArgs { features: None }.decoding().unwrap(),
            Features::ALL
        );
        assert!(features_help().contains("  * simd\n"));
        assert!(features_help().contains("    legacy-exceptions\n"));
    }
}
