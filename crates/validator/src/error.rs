//! The validator's error type: what is wrong (with the spec testsuite's
//! phrase) and where in the module it was found.

use std::fmt;

/// Where in a module an error was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// The module as a whole (counts of entities, for instance).
    Module,
    /// A defined type, by type index.
    Type(u32),
    /// An import, by its position in the import section.
    Import(u32),
    /// A defined function's declaration or body, by function index
    /// (imports counted); `instr` is the instruction's index in the body
    /// (0 is the first instruction) when the error is inside the body.
    Func {
        /// The function index (imported functions come first).
        func: u32,
        /// Index of the offending instruction within the body, if any.
        instr: Option<u32>,
    },
    /// A defined table, by table index.
    Table(u32),
    /// A defined memory, by memory index.
    Memory(u32),
    /// A defined tag, by tag index.
    Tag(u32),
    /// A defined global, by global index.
    Global(u32),
    /// An export, by its position in the export section.
    Export(u32),
    /// The start function.
    Start,
    /// An element segment.
    Elem(u32),
    /// A data segment.
    Data(u32),
}

/// A validation error: a message that contains the phrase the spec
/// testsuite expects (`type mismatch`, `unknown local`, ...), and where it was
/// found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    // Boxed so that `Result<(), Error>` is one word and travels in a
    // register through the per-instruction checks.
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    message: String,
    location: Location,
    /// The mnemonic of the offending instruction, when there is one.
    op: Option<&'static str>,
    /// The byte offset in the binary, for errors found while decoding it
    /// ([`crate::validate_bytes`]).
    offset: Option<usize>,
}

impl Error {
    /// An error with a message at a location.
    pub fn new(message: impl Into<String>, location: Location) -> Error {
        Error {
            inner: Box::new(Inner {
                message: message.into(),
                location,
                op: None,
                offset: None,
            }),
        }
    }

    /// The message: the spec phrase first, then details.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Where the error was found.
    pub fn location(&self) -> Location {
        self.inner.location
    }

    /// The function index, for errors inside a function.
    pub fn func(&self) -> Option<u32> {
        match self.inner.location {
            Location::Func { func, .. } => Some(func),
            _ => None,
        }
    }

    /// The index of the offending instruction in its body, when known.
    pub fn instr(&self) -> Option<u32> {
        match self.inner.location {
            Location::Func { instr, .. } => instr,
            _ => None,
        }
    }

    /// The mnemonic of the offending instruction (`i32.add`, ...), for
    /// errors inside a body.
    pub fn op(&self) -> Option<&'static str> {
        self.inner.op
    }

    /// The byte offset in the binary of what is wrong (the offending
    /// instruction's opcode, or the start of a body whose declarations are
    /// wrong), for errors of [`crate::validate_bytes`]; a module built
    /// from text has none, and [`Error::instr`] points at the instruction.
    pub fn offset(&self) -> Option<usize> {
        self.inner.offset
    }

    pub(crate) fn with_offset(mut self, offset: usize) -> Error {
        self.inner.offset = Some(offset);
        self
    }

    pub(crate) fn at(mut self, location: Location) -> Error {
        self.inner.location = location;
        self
    }

    pub(crate) fn with_op(mut self, op: &'static str) -> Error {
        self.inner.op = Some(op);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.location {
            Location::Module => {}
            Location::Type(i) => write!(f, "type {i}")?,
            Location::Import(i) => write!(f, "import {i}")?,
            Location::Func { func, instr: None } => write!(f, "func {func}")?,
            Location::Func {
                func,
                instr: Some(n),
            } => {
                write!(f, "func {func}, instruction {n}")?;
                if let Some(op) = self.inner.op {
                    write!(f, " ({op})")?;
                }
            }
            Location::Table(i) => write!(f, "table {i}")?,
            Location::Memory(i) => write!(f, "memory {i}")?,
            Location::Tag(i) => write!(f, "tag {i}")?,
            Location::Global(i) => write!(f, "global {i}")?,
            Location::Export(i) => write!(f, "export {i}")?,
            Location::Start => write!(f, "start function")?,
            Location::Elem(i) => write!(f, "elem segment {i}")?,
            Location::Data(i) => write!(f, "data segment {i}")?,
        }
        if let Some(at) = self.inner.offset {
            write!(f, " at offset {at:#x}")?;
        }
        if self.inner.location != Location::Module || self.inner.offset.is_some() {
            f.write_str(": ")?;
        }
        f.write_str(&self.inner.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand for an error whose location the caller fills in.
pub(crate) fn err(message: impl Into<String>) -> Error {
    Error::new(message, Location::Module)
}

/// The result type of internal checks.
pub(crate) type Result<T> = std::result::Result<T, Error>;
