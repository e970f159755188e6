//! A buffered [`fmt::Write`] over an [`io::Write`], for streaming output.

use std::fmt;
use std::io;

/// Bytes gathered before each write to the underlying writer.
const BUFFER: usize = 64 * 1024;

/// Adapts an `io::Write` to `fmt::Write`, keeping the first I/O error (the
/// `fmt::Error` it turns into carries none).
pub struct IoSink<'a, W: io::Write> {
    inner: &'a mut W,
    buf: Vec<u8>,
    error: Option<io::Error>,
}

impl<'a, W: io::Write> IoSink<'a, W> {
    /// A sink writing into `inner`.
    pub fn new(inner: &'a mut W) -> Self {
        IoSink {
            inner,
            buf: Vec::with_capacity(BUFFER),
            error: None,
        }
    }

    fn flush_buf(&mut self) -> fmt::Result {
        if let Err(e) = self.inner.write_all(&self.buf) {
            self.error = Some(e);
            return Err(fmt::Error);
        }
        self.buf.clear();
        Ok(())
    }

    /// Flushes what is left and turns the printing result into an I/O
    /// result.
    pub fn finish(mut self, printed: fmt::Result) -> io::Result<()> {
        if printed.is_ok() && self.flush_buf().is_ok() {
            return self.inner.flush();
        }
        Err(self
            .error
            .take()
            .unwrap_or_else(|| io::Error::other("formatting failed")))
    }
}

impl<W: io::Write> fmt::Write for IoSink<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.buf.len() + s.len() > BUFFER {
            self.flush_buf()?;
        }
        if s.len() > BUFFER {
            // A huge piece (a long data string chunk) goes straight through.
            return self.inner.write_all(s.as_bytes()).map_err(|e| {
                self.error = Some(e);
                fmt::Error
            });
        }
        self.buf.extend_from_slice(s.as_bytes());
        Ok(())
    }
}
