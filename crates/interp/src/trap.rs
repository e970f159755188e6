//! Traps and the runtime's error type.

use std::fmt;

/// Why execution stopped abnormally. A trap is a value, never a panic; its
/// `Display` is the phrase the spec testsuite expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trap {
    /// `unreachable` was executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow, or a float too large for the integer type.
    IntegerOverflow,
    /// A NaN converted to an integer.
    InvalidConversionToInteger,
    /// A memory access or bulk memory operation out of bounds.
    OutOfBoundsMemoryAccess,
    /// A table access or bulk table operation out of bounds.
    OutOfBoundsTableAccess,
    /// `call_indirect` with an index beyond the table's size.
    UndefinedElement,
    /// `call_indirect` through a null table entry, at this index.
    UninitializedElement(u64),
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch,
    /// A call through a null function reference.
    NullFunctionReference,
    /// `ref.as_non_null` (or another cast) of a null reference.
    NullReference,
    /// The call depth or value stack limit was reached.
    CallStackExhausted,
    /// An exception was thrown and not caught by WebAssembly code.
    UncaughtException,
    /// `throw_ref` of a null exception reference.
    NullExceptionReference,
    /// The store holds as many exceptions as its limits allow.
    TooManyExceptions,
    /// An atomic access at an address not a multiple of its size.
    UnalignedAtomic,
    /// `memory.atomic.wait` on a memory that is not shared.
    ExpectedSharedMemory,
    /// `memory.atomic.wait` without a timeout where no other thread could
    /// ever notify.
    Deadlock,
    /// A struct access through a null reference.
    NullStructureReference,
    /// An array access through a null reference.
    NullArrayReference,
    /// `i31.get` of a null reference.
    NullI31Reference,
    /// An array index or range beyond the array's length.
    OutOfBoundsArrayAccess,
    /// `ref.cast` of a reference not of the target type.
    CastFailure,
    /// `ref.cast_desc_eq` of a reference without the given descriptor
    /// (custom descriptors).
    DescriptorCastFailure,
    /// A null descriptor given to an allocation or a descriptor cast.
    NullDescriptorReference,
    /// Structs and arrays would exceed the store's limits.
    AllocationLimit,
    /// A reference that names nothing in this store: only a module that
    /// skipped validation, or a host handle from another store, can make
    /// one.
    InvalidReference,
    /// The store's fuel ran out.
    OutOfFuel,
    /// A host function failed with this message.
    Host(Box<str>),
    /// A host function ended the program with this exit code (WASI's
    /// `proc_exit`): not a failure of the code, but it unwinds every frame
    /// like a trap, and WebAssembly cannot catch it. The embedder reads
    /// the code from the error.
    Exit(i32),
}

impl Trap {
    /// The spec's message for this trap (without the details `Display`
    /// adds).
    pub fn message(&self) -> &str {
        match self {
            Trap::Unreachable => "unreachable",
            Trap::IntegerDivideByZero => "integer divide by zero",
            Trap::IntegerOverflow => "integer overflow",
            Trap::InvalidConversionToInteger => "invalid conversion to integer",
            Trap::OutOfBoundsMemoryAccess => "out of bounds memory access",
            Trap::OutOfBoundsTableAccess => "out of bounds table access",
            Trap::UndefinedElement => "undefined element",
            Trap::UninitializedElement(_) => "uninitialized element",
            Trap::IndirectCallTypeMismatch => "indirect call type mismatch",
            Trap::NullFunctionReference => "null function reference",
            Trap::NullReference => "null reference",
            Trap::CallStackExhausted => "call stack exhausted",
            Trap::OutOfFuel => "all fuel consumed",
            Trap::InvalidReference => "invalid reference",
            Trap::NullStructureReference => "null structure reference",
            Trap::NullArrayReference => "null array reference",
            Trap::NullI31Reference => "null i31 reference",
            Trap::OutOfBoundsArrayAccess => "out of bounds array access",
            Trap::CastFailure => "cast failure",
            Trap::DescriptorCastFailure => "descriptor cast failure",
            Trap::NullDescriptorReference => "null descriptor reference",
            Trap::AllocationLimit => {
                "allocation limit exceeded (the store's limit on bytes of GC objects)"
            }
            Trap::UnalignedAtomic => "unaligned atomic",
            Trap::ExpectedSharedMemory => "expected shared memory",
            Trap::Deadlock => "deadlock: wait without timeout and no other thread",
            Trap::UncaughtException => "uncaught exception",
            Trap::NullExceptionReference => "null exception reference",
            Trap::TooManyExceptions => "too many exceptions",
            Trap::Host(msg) => msg,
            Trap::Exit(_) => "program exited",
        }
    }
}

impl fmt::Display for Trap {
    /// The spec's message; for an uninitialized element the index follows,
    /// as the reference interpreter writes it, and for an exit its code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trap::UninitializedElement(i) => write!(f, "{} {i}", self.message()),
            Trap::Exit(code) => write!(f, "{} with code {code}", self.message()),
            _ => f.write_str(self.message()),
        }
    }
}

impl std::error::Error for Trap {}

/// Everything that can go wrong while loading, linking, instantiating or
/// calling, other than the module being invalid in the first place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Execution trapped (also during instantiation: segment initialization
    /// or the start function).
    Trap(Trap),
    /// No definition was given for an import.
    UnknownImport {
        /// The import's module name.
        module: String,
        /// The import's item name.
        name: String,
    },
    /// The definition given for an import does not match its type.
    IncompatibleImportType {
        /// The import's module name.
        module: String,
        /// The import's item name.
        name: String,
    },
    /// The module uses an instruction this engine does not execute yet.
    Unsupported(&'static str),
    /// The module is malformed in a way the translator noticed (it should
    /// have been rejected by validation).
    Invalid(&'static str),
    /// A call's arguments do not match the function's parameter types.
    ArgumentMismatch,
    /// A handle does not name an entity of this store.
    BadHandle,
    /// A memory or table would take the store past one of its limits.
    ResourceLimit {
        /// What the limit bounds.
        resource: crate::limits::Resource,
        /// The limit.
        limit: u64,
        /// What the store would have held.
        needed: u64,
    },
    /// The module failed validation.
    Validation(weft_validator::Error),
    /// Instantiation trapped writing an active segment that does not fit
    /// its memory or table (the segments before it stay written).
    SegmentTrap {
        /// The trap: out of bounds memory or table access.
        trap: Trap,
        /// The segment's index among the data (or element) segments.
        index: u32,
        /// Where it was to be written.
        offset: u64,
        /// Its length in bytes (or elements).
        len: u64,
        /// The memory's size in bytes (or the table's in elements).
        size: u64,
    },
    /// With [`Store::set_segments_checked_first`](crate::Store::set_segments_checked_first):
    /// an active element or data segment does not fit its table or memory,
    /// found before anything was written (Wasm 1.0's instantiation failure).
    SegmentDoesNotFit {
        /// A data segment, else an element segment.
        data: bool,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Trap(t) => write!(f, "{t}"),
            Error::UnknownImport { module, name } => {
                write!(f, "unknown import \"{module}\" \"{name}\"")
            }
            Error::IncompatibleImportType { module, name } => {
                write!(f, "incompatible import type for \"{module}\" \"{name}\"")
            }
            Error::Unsupported(what) => write!(f, "unsupported instruction: {what}"),
            Error::Invalid(why) => write!(f, "invalid module: {why}"),
            Error::ArgumentMismatch => f.write_str("type mismatch: arguments do not match"),
            Error::BadHandle => f.write_str("handle does not belong to this store"),
            Error::ResourceLimit {
                resource,
                limit,
                needed,
            } => write!(
                f,
                "resource limit exceeded: the store would hold {}, over its limit of {}",
                resource.amount(*needed),
                resource.amount(*limit)
            ),
            Error::Validation(e) => write!(f, "{e}"),
            Error::SegmentTrap {
                trap,
                index,
                offset,
                len,
                size,
            } => {
                let (kind, unit, of) = match trap {
                    Trap::OutOfBoundsMemoryAccess => ("data", "bytes", "memory"),
                    _ => ("element", "elements", "table"),
                };
                write!(
                    f,
                    "{trap}: {kind} segment {index} ({len} {unit} at {offset}) does not fit \
                     its {of} of {size} {unit}"
                )
            }
            Error::SegmentDoesNotFit { data: true } => f.write_str("data segment does not fit"),
            Error::SegmentDoesNotFit { data: false } => {
                f.write_str("elements segment does not fit")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Error {
        Error::Trap(t)
    }
}
