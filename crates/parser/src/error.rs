//! `Error`: what went wrong while decoding, and at which byte.

use std::fmt;

use weft_ast::Features;

/// A decoding error: a byte offset into the input and what was wrong there.
///
/// The message of every kind contains the phrase the official spec testsuite
/// expects for that kind of malformed input (`unexpected end`, `integer too
/// large`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    offset: usize,
    kind: ErrorKind,
}

/// The kinds of malformed input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended in the middle of something.
    UnexpectedEnd,
    /// A section or function body ended in the middle of something.
    UnexpectedEndOfSection,
    /// The input does not start with `\0asm`.
    MagicHeader,
    /// The version field is not 1.
    UnknownVersion(u32),
    /// A section id no enabled proposal defines.
    MalformedSectionId(u8),
    /// A section's contents do not end where its size says.
    SectionSizeMismatch,
    /// A length or count is larger than the bytes that remain.
    LengthOutOfBounds,
    /// A LEB128 number uses more bytes than its type allows.
    IntegerTooLong,
    /// A LEB128 number does not fit its type.
    IntegerTooLarge,
    /// A name is not valid UTF-8.
    MalformedUtf8,
    /// The function and code sections list different numbers of functions.
    FuncCodeMismatch,
    /// The data count section disagrees with the data section.
    DataCountMismatch,
    /// Code uses a data index but there is no data count section.
    DataCountRequired,
    /// A function declares more than 2^32 - 1 locals.
    TooManyLocals,
    /// An opcode no instruction has.
    IllegalOpcode {
        /// The opcode byte.
        op: u8,
        /// The sub-opcode after a prefix byte.
        sub: Option<u32>,
        /// The proposal that defines it, when it exists but is not enabled.
        needs: Option<Features>,
    },
    /// A byte that is not a value type.
    MalformedValType,
    /// A byte that is not a reference type.
    MalformedRefType,
    /// A heap type that is neither abstract nor a type index.
    MalformedHeapType,
    /// A byte that is not a storage type.
    MalformedStorageType,
    /// A byte that does not start a defined type.
    MalformedDefinitionType,
    /// Limits flags with unknown bits.
    MalformedLimits,
    /// A mutability byte other than 0 or 1.
    MalformedMutability,
    /// An unknown import kind.
    MalformedImportKind,
    /// An unknown export kind.
    MalformedExportKind,
    /// A reserved byte that must be zero is not.
    ZeroByteExpected,
    /// A body or constant expression does not end with `end` where it should.
    EndExpected,
    /// A section that is out of order, duplicated, or after the end.
    UnexpectedContent,
    /// Memory access flags with unknown bits.
    MalformedMemop,
    /// An unknown element segment kind or element kind.
    MalformedElemKind,
    /// An unknown data segment kind.
    MalformedDataKind,
    /// An unknown `try_table` catch clause kind.
    MalformedCatch,
    /// A tag attribute other than 0 (exception).
    MalformedTagAttribute,
    /// `br_on_cast` nullability flags with unknown bits.
    MalformedCastFlags,
    /// A custom page size log2 larger than 64 KiB allows.
    InvalidPageSize,
    /// Something the AST cannot hold (more than 2^32 instructions).
    TooLarge,
}

impl Error {
    /// An error of `kind` at byte `offset`.
    pub fn new(offset: usize, kind: ErrorKind) -> Error {
        Error { offset, kind }
    }

    /// Byte offset into the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The message alone, without the offset.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        let text = match self {
            UnexpectedEnd => "unexpected end",
            UnexpectedEndOfSection => "unexpected end of section or function",
            MagicHeader => "magic header not detected",
            UnknownVersion(v) => return write!(f, "unknown binary version {v:#x}"),
            MalformedSectionId(id) => return write!(f, "malformed section id {id}"),
            SectionSizeMismatch => "section size mismatch",
            LengthOutOfBounds => "length out of bounds",
            IntegerTooLong => "integer representation too long",
            IntegerTooLarge => "integer too large",
            MalformedUtf8 => "malformed UTF-8 encoding",
            FuncCodeMismatch => "function and code section have inconsistent lengths",
            DataCountMismatch => "data count and data section have inconsistent lengths",
            DataCountRequired => "data count section required",
            TooManyLocals => "too many locals",
            IllegalOpcode { op, sub, needs } => {
                write!(f, "illegal opcode {op:02x}")?;
                if let Some(sub) = sub {
                    write!(f, " {sub}")?;
                }
                if let Some(needs) = needs {
                    // One proposal, by its command-line name (`--features
                    // +name` turns it on).
                    let name = Features::NAMED
                        .iter()
                        .find(|(_, flag)| flag == needs)
                        .map_or("?", |(name, _)| name);
                    write!(f, " (needs the {name} proposal)")?;
                }
                return Ok(());
            }
            MalformedValType => "malformed value type",
            MalformedRefType => "malformed reference type",
            MalformedHeapType => "malformed heap type",
            MalformedStorageType => "malformed storage type",
            MalformedDefinitionType => "malformed definition type",
            MalformedLimits => "malformed limits flags",
            MalformedMutability => "malformed mutability",
            MalformedImportKind => "malformed import kind",
            MalformedExportKind => "malformed export kind",
            ZeroByteExpected => "zero byte expected",
            EndExpected => "END opcode expected",
            UnexpectedContent => "unexpected content after last section",
            MalformedMemop => "malformed memop flags",
            MalformedElemKind => "malformed elements segment kind",
            MalformedDataKind => "malformed data segment kind",
            MalformedCatch => "malformed catch clause",
            MalformedTagAttribute => "malformed tag attribute",
            MalformedCastFlags => "malformed br_on_cast flags",
            InvalidPageSize => "invalid custom page size",
            TooLarge => "module too large",
        };
        f.write_str(text)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {:#x}", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}

/// The result of a decoding step.
pub type Result<T, E = Error> = std::result::Result<T, E>;
