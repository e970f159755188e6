//! A program's WASI world: its arguments, environment, descriptors (the
//! standard streams and the preopened directories), clocks and source of
//! randomness, and the builder that makes one.
//!
//! Nothing is inherited from the host by default: no arguments, no
//! environment, no directories, standard streams that read nothing and
//! discard output. The embedder grants each piece explicitly, which is
//! what makes a WASI program's reach visible at the one place it is set up.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::abi::rights;
use crate::fd::{Entry, FdTable, Kind};
use crate::stdio::{InStream, Input, Output};

/// A clock of WASI's `clock_time_get`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Clock {
    /// Wall-clock time, in nanoseconds since 1970-01-01 UTC.
    Realtime,
    /// A clock that never goes back, from an arbitrary start.
    Monotonic,
    /// CPU time of the process.
    ProcessCpuTime,
    /// CPU time of the thread.
    ThreadCpuTime,
}

impl Clock {
    /// The clock of a WASI `clockid`.
    pub fn from_id(id: u32) -> Option<Clock> {
        Some(match id {
            0 => Clock::Realtime,
            1 => Clock::Monotonic,
            2 => Clock::ProcessCpuTime,
            3 => Clock::ThreadCpuTime,
            _ => return None,
        })
    }

    /// This clock's WASI `clockid`.
    pub fn id(self) -> u32 {
        self as u32
    }
}

/// The time a program sees. `poll_oneoff` waits in real time; a clock
/// source only changes what the program reads.
pub trait Clocks: Send {
    /// The clock's current time in nanoseconds (`None`: not supported,
    /// which the program sees as `ENOTSUP`).
    fn now(&self, clock: Clock) -> Option<u64>;
    /// The clock's resolution in nanoseconds.
    fn resolution(&self, clock: Clock) -> Option<u64>;
}

/// The host's clocks (`clock_gettime`).
#[derive(Clone, Copy, Debug, Default)]
pub struct HostClocks;

impl Clocks for HostClocks {
    fn now(&self, clock: Clock) -> Option<u64> {
        crate::sys::clock(clock.id(), false)
    }

    fn resolution(&self, clock: Clock) -> Option<u64> {
        crate::sys::clock(clock.id(), true)
    }
}

/// Where `random_get` takes its bytes from.
pub trait RandomSource: Send {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()>;
}

/// The host's cryptographically secure random numbers (`/dev/urandom`,
/// opened at first use).
#[derive(Debug, Default)]
pub struct HostRandom {
    file: Option<File>,
}

impl RandomSource for HostRandom {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        if self.file.is_none() {
            self.file = Some(File::open("/dev/urandom")?);
        }
        match &mut self.file {
            Some(f) => f.read_exact(buf),
            None => Ok(()),
        }
    }
}

/// Why [`WasiCtxBuilder::build`] failed.
#[derive(Debug)]
pub enum BuildError {
    /// A preopened directory could not be opened as a directory.
    Preopen {
        /// The host path given.
        path: PathBuf,
        /// What opening it said.
        error: std::io::Error,
    },
    /// An argument or environment entry holds a NUL byte, or an
    /// environment variable's name is empty or holds `=`.
    BadString {
        /// "argument", "environment variable name" or "environment
        /// variable value".
        what: &'static str,
        /// The offending text, lossily decoded.
        text: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Preopen { path, error } => {
                write!(f, "cannot preopen directory {}: {error}", path.display())
            }
            BuildError::BadString { what, text } => write!(f, "invalid {what}: {text:?}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Preopen { error, .. } => Some(error),
            BuildError::BadString { .. } => None,
        }
    }
}

/// Builds a [`WasiCtx`]; every method takes and returns the builder.
///
/// ```
/// use weft_wasi::{Input, Output, OutputPipe, WasiCtx};
/// let out = OutputPipe::new();
/// let ctx = WasiCtx::builder()
///     .arg("prog.wasm")
///     .arg("--verbose")
///     .env("LANG", "C")
///     .stdin(Input::Bytes(b"hello".to_vec()))
///     .stdout(Output::Pipe(out.clone()))
///     .build()
///     .expect("nothing to open");
/// # drop(ctx);
/// ```
#[derive(Default)]
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    preopens: Vec<(PathBuf, Vec<u8>)>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    clocks: Option<Box<dyn Clocks>>,
    random: Option<Box<dyn RandomSource>>,
}

impl fmt::Debug for WasiCtxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtxBuilder")
            .field("args", &self.args.len())
            .field("env", &self.env.len())
            .field("preopens", &self.preopens)
            .finish_non_exhaustive()
    }
}

impl WasiCtxBuilder {
    /// Appends one argument (the first is, by convention, the program's
    /// name).
    pub fn arg(mut self, arg: impl Into<Vec<u8>>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<Vec<u8>>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable (a later one of the same name wins).
    pub fn env(mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        let key = key.into();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.into()));
        self
    }

    /// Sets environment variables.
    pub fn envs<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<Vec<u8>>,
        V: Into<Vec<u8>>,
    {
        for (k, v) in vars {
            self = self.env(k, v);
        }
        self
    }

    /// Gives the program the host process's environment.
    pub fn inherit_env(self) -> Self {
        use std::os::unix::ffi::OsStringExt;
        self.envs(std::env::vars_os().map(|(k, v)| (k.into_encoded_bytes(), v.into_vec())))
    }

    /// Preopens the host directory `host` under the guest name `guest`
    /// (what the program's libc resolves its paths against, e.g. `.`,
    /// `/` or `/data`). The directory is opened by [`build`](Self::build);
    /// nothing outside it is reachable through it.
    pub fn preopened_dir(mut self, host: impl AsRef<Path>, guest: impl Into<Vec<u8>>) -> Self {
        self.preopens
            .push((host.as_ref().to_path_buf(), guest.into()));
        self
    }

    /// Sets standard input.
    pub fn stdin(mut self, input: Input) -> Self {
        self.stdin = input;
        self
    }

    /// Sets standard output.
    pub fn stdout(mut self, output: Output) -> Self {
        self.stdout = output;
        self
    }

    /// Sets standard error.
    pub fn stderr(mut self, output: Output) -> Self {
        self.stderr = output;
        self
    }

    /// Gives the program the host process's standard input, output and
    /// error.
    pub fn inherit_stdio(self) -> Self {
        self.stdin(Input::Inherit)
            .stdout(Output::Inherit)
            .stderr(Output::Inherit)
    }

    /// Sets the clocks the program reads (default: [`HostClocks`]).
    pub fn clocks(mut self, clocks: impl Clocks + 'static) -> Self {
        self.clocks = Some(Box::new(clocks));
        self
    }

    /// Sets where random bytes come from (default: [`HostRandom`]).
    pub fn random(mut self, random: impl RandomSource + 'static) -> Self {
        self.random = Some(Box::new(random));
        self
    }

    /// Opens the preopened directories and makes the context.
    pub fn build(self) -> Result<WasiCtx, BuildError> {
        let bad = |what, text: &[u8]| BuildError::BadString {
            what,
            text: String::from_utf8_lossy(text).into_owned(),
        };
        for a in &self.args {
            if a.contains(&0) {
                return Err(bad("argument", a));
            }
        }
        let mut env = Vec::with_capacity(self.env.len());
        for (k, v) in &self.env {
            if k.is_empty() || k.contains(&0) || k.contains(&b'=') {
                return Err(bad("environment variable name", k));
            }
            if v.contains(&0) {
                return Err(bad("environment variable value", v));
            }
            let mut kv = k.clone();
            kv.push(b'=');
            kv.extend_from_slice(v);
            env.push(kv);
        }
        let mut fds = FdTable::default();
        let stream = |kind, base| Entry {
            kind,
            base,
            inheriting: 0,
            flags: 0,
            preopen: None,
        };
        let stdio = [
            stream(Kind::Stdin(InStream::new(self.stdin)), rights::STDIN),
            stream(
                Kind::Out {
                    out: self.stdout,
                    stderr: false,
                },
                rights::STDOUT,
            ),
            stream(
                Kind::Out {
                    out: self.stderr,
                    stderr: true,
                },
                rights::STDOUT,
            ),
        ];
        for e in stdio {
            // The table is empty: these are 0, 1 and 2.
            let _ = fds.insert(e);
        }
        for (path, guest) in self.preopens {
            if guest.contains(&0) {
                return Err(bad("preopened directory name", &guest));
            }
            let file = open_dir(&path).map_err(|error| BuildError::Preopen {
                path: path.clone(),
                error,
            })?;
            let _ = fds.insert(Entry {
                kind: Kind::Dir {
                    file,
                    listing: None,
                },
                base: rights::DIR,
                inheriting: rights::DIR | rights::FILE,
                flags: 0,
                preopen: Some(guest),
            });
        }
        Ok(WasiCtx {
            args: self.args,
            env,
            fds,
            clocks: self.clocks.unwrap_or_else(|| Box::new(HostClocks)),
            random: self
                .random
                .unwrap_or_else(|| Box::new(HostRandom::default())),
        })
    }
}

fn open_dir(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(path)
}

/// Everything a WASI program can reach: its arguments, environment,
/// descriptors, clocks and randomness. Made by [`WasiCtx::builder`], handed
/// to [`add_to_linker`](crate::add_to_linker).
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    /// `KEY=VALUE` entries.
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: FdTable,
    pub(crate) clocks: Box<dyn Clocks>,
    pub(crate) random: Box<dyn RandomSource>,
}

impl fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args.len())
            .field("env", &self.env.len())
            .field("fds", &self.fds)
            .finish_non_exhaustive()
    }
}

impl WasiCtx {
    /// A builder with nothing granted.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }
}
