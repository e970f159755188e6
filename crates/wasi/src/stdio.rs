//! Standard input, output and error as the embedder chooses them: the
//! host's own streams, nothing, or memory (bytes to read; a pipe that
//! collects what is written, for tests and for embedders that post-process
//! a program's output).

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::errno::Errno;
use crate::sys;

/// Where a program's standard input comes from.
#[derive(Clone, Debug, Default)]
pub enum Input {
    /// Nothing: reads see end of file at once.
    #[default]
    Null,
    /// The host process's standard input.
    Inherit,
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
}

/// Where a program's standard output or error goes.
#[derive(Clone, Debug, Default)]
pub enum Output {
    /// Nowhere: writes succeed and are dropped.
    #[default]
    Null,
    /// The host process's own stream.
    Inherit,
    /// Into memory, read with [`OutputPipe::contents`].
    Pipe(OutputPipe),
}

/// A shared buffer that collects a program's output. Clones share the
/// buffer: keep one to read what the program wrote. It grows with what the
/// program writes, without a bound of its own (the embedder that captures
/// output of an untrusted program should bound the run, e.g. with fuel).
#[derive(Clone, Debug, Default)]
pub struct OutputPipe(Arc<Mutex<Vec<u8>>>);

impl OutputPipe {
    /// An empty pipe.
    pub fn new() -> OutputPipe {
        OutputPipe::default()
    }

    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// Everything written so far, leaving the pipe empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn append(&self, bytes: &[u8]) {
        self.lock().extend_from_slice(bytes);
    }
}

/// A standard input stream while the program runs.
#[derive(Debug)]
pub(crate) enum InStream {
    Null,
    Inherit,
    Bytes(Vec<u8>, usize),
}

impl InStream {
    pub fn new(input: Input) -> InStream {
        match input {
            Input::Null => InStream::Null,
            Input::Inherit => InStream::Inherit,
            Input::Bytes(b) => InStream::Bytes(b, 0),
        }
    }

    /// Reads into `buf`: how many bytes (0 at end of file).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        match self {
            InStream::Null => Ok(0),
            InStream::Inherit => Ok(sys::read(sys::stdio(0), buf)?),
            InStream::Bytes(bytes, pos) => {
                let rest = &bytes[(*pos).min(bytes.len())..];
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                *pos += n;
                Ok(n)
            }
        }
    }

    /// Bytes known to be readable without waiting, if known.
    pub fn available(&self) -> Option<u64> {
        match self {
            InStream::Null => Some(0),
            InStream::Inherit => None,
            InStream::Bytes(b, pos) => Some(b.len().saturating_sub(*pos) as u64),
        }
    }
}

/// Writes `bytes` to an output stream (`stderr` picks the host's stream
/// for [`Output::Inherit`]); how many were written.
pub(crate) fn write_out(out: &Output, stderr: bool, bytes: &[u8]) -> Result<usize, Errno> {
    match out {
        Output::Null => Ok(bytes.len()),
        Output::Pipe(p) => {
            p.append(bytes);
            Ok(bytes.len())
        }
        Output::Inherit => {
            let r = if stderr {
                let mut e = std::io::stderr().lock();
                e.write_all(bytes).and_then(|()| e.flush())
            } else {
                let mut o = std::io::stdout().lock();
                o.write_all(bytes).and_then(|()| o.flush())
            };
            r?;
            Ok(bytes.len())
        }
    }
}
