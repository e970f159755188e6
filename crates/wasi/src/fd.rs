//! The descriptor table: what each WASI file descriptor number stands for
//! (a standard stream, an open file or an open directory), with its rights
//! and flags.
//!
//! Numbers are handed out lowest free first, like POSIX: 0, 1 and 2 are the
//! standard streams, the preopened directories follow from 3 in the order
//! they were given. Rights follow preview1's capability model: a
//! descriptor's base rights say what may be done with it, its inheriting
//! rights bound what descriptors opened through it may get, and rights can
//! only ever be dropped.

use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};

use crate::abi::{filetype, rights};
use crate::errno::Errno;
use crate::stdio::{InStream, Output};
use crate::sys;

/// What a descriptor stands for.
#[derive(Debug)]
pub(crate) enum Kind {
    /// Standard input.
    Stdin(InStream),
    /// Standard output (`stderr` false) or error.
    Out { out: Output, stderr: bool },
    /// A regular file (or another non-directory the host opened).
    File(File),
    /// A directory, with the listing `fd_readdir` is paging through.
    Dir {
        file: File,
        listing: Option<Vec<sys::RawEntry>>,
    },
}

/// One open descriptor.
#[derive(Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    /// What may be done with this descriptor.
    pub base: u64,
    /// What descriptors opened through it may be given.
    pub inheriting: u64,
    /// The `fdflags` it has (append, nonblock, sync, ...).
    pub flags: u16,
    /// The guest name of a preopened directory.
    pub preopen: Option<Vec<u8>>,
}

impl Entry {
    /// `Ok` if every right of `needed` is in the base rights, else
    /// `ENOTCAPABLE`.
    pub fn need(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::NotCapable)
        }
    }

    /// The open file for a file operation needing `needed` rights:
    /// `EBADF` for a directory, `ESPIPE` for a stream (which has no
    /// position, whatever its rights), else the rights.
    pub fn file(&self, needed: u64) -> Result<&File, Errno> {
        match &self.kind {
            Kind::File(f) => {
                self.need(needed)?;
                Ok(f)
            }
            Kind::Dir { .. } => Err(Errno::Badf),
            Kind::Stdin(_) | Kind::Out { .. } => Err(Errno::Spipe),
        }
    }

    /// The directory for a path operation needing `needed` rights
    /// (`ENOTDIR` if this is not a directory).
    pub fn dir(&self, needed: u64) -> Result<BorrowedFd<'_>, Errno> {
        match &self.kind {
            Kind::Dir { file, .. } => {
                self.need(needed)?;
                Ok(file.as_fd())
            }
            _ => Err(Errno::NotDir),
        }
    }

    /// The host descriptor of a file or directory.
    pub fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.kind {
            Kind::File(f) | Kind::Dir { file: f, .. } => Some(f.as_fd()),
            Kind::Stdin(InStream::Inherit) => Some(sys::stdio(0)),
            Kind::Out {
                out: Output::Inherit,
                stderr: false,
            } => Some(sys::stdio(1)),
            Kind::Out {
                out: Output::Inherit,
                stderr: true,
            } => Some(sys::stdio(2)),
            _ => None,
        }
    }

    /// The WASI file type. A standard stream is a character device when
    /// it is a terminal, else of unknown type (a pipe, or memory), as
    /// wasmtime reports it; so a program's `isatty` is true only for a
    /// terminal.
    pub fn filetype(&self) -> Result<u8, Errno> {
        match &self.kind {
            Kind::File(f) => Ok(sys::fstat(f.as_fd())?.filetype),
            Kind::Dir { .. } => Ok(filetype::DIRECTORY),
            Kind::Stdin(_) | Kind::Out { .. } => Ok(match self.host_fd() {
                Some(fd) if sys::isatty(fd) => filetype::CHARACTER_DEVICE,
                _ => filetype::UNKNOWN,
            }),
        }
    }
}

/// Every open descriptor, by number.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    slots: Vec<Option<Entry>>,
}

impl FdTable {
    /// The entry of `fd` (`EBADF` if it is not open).
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    /// The entry of `fd`, writable.
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// Opens a descriptor for `entry`: the lowest free number (`EMFILE`
    /// when every `u32` is taken, which memory runs out long before).
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            self.slots[i] = Some(entry);
            return u32::try_from(i).map_err(|_| Errno::Mfile);
        }
        let i = u32::try_from(self.slots.len()).map_err(|_| Errno::Mfile)?;
        self.slots.push(Some(entry));
        Ok(i)
    }

    /// Closes `fd`.
    pub fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        let slot = self.slots.get_mut(fd as usize).ok_or(Errno::Badf)?;
        let entry = slot.take().ok_or(Errno::Badf)?;
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(entry)
    }

    /// Moves `from` to `to`, closing what `to` was; both must be open.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let entry = self.slots[from as usize].take();
            self.slots[to as usize] = entry;
            while matches!(self.slots.last(), Some(None)) {
                self.slots.pop();
            }
        }
        Ok(())
    }
}

/// The rights a newly opened descriptor of this file type can have.
pub(crate) fn max_rights(filetype: u8) -> u64 {
    if filetype == filetype::DIRECTORY {
        rights::DIR
    } else {
        rights::FILE
    }
}
