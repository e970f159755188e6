//! WebAssembly binary format to the weft AST.
//!
//! ```
//! let bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b";
//! let module = weft_parser::parse(bytes).unwrap();
//! assert_eq!(module.funcs.len(), 1);
//! assert_eq!(module.encode(), bytes);
//!
//! let err = weft_parser::parse(b"\0asm\x02\0\0\0").unwrap_err();
//! assert_eq!(err.to_string(), "unknown binary version 0x2 at offset 0x4");
//! ```
//!
//! - [`parse`] / [`parse_with`]: a whole module from bytes;
//! - [`parse_with_hook`]: the same, with a [`CodeHook`] that sees each
//!   body's instructions as they are decoded (the validator's one-pass
//!   path);
//! - [`StreamParser`]: sections as soon as their bytes arrive;
//! - [`section_frames`]: each section's id and range by its framing alone;
//! - [`Error`]: a byte offset and a message with the spec testsuite's phrase.

#![warn(missing_docs)]

mod code;
mod error;
mod hints;
mod instr;
mod module;
mod names;
mod reader;
mod sections;
mod stream;
mod types;

pub use code::{Bodies, CodeHook, DecodedBody, RawBody};
pub use error::{Error, ErrorKind};
pub use instr::{CodeCx, InstrSink};
pub use sections::{SectionFrame, section_frames};
pub use stream::{Event, StreamParser};
pub use weft_ast::{Features, Module};

/// Decodes a binary module with the default [`Features`].
pub fn parse(bytes: &[u8]) -> Result<Module, Error> {
    parse_with(bytes, Features::default())
}

/// Decodes a binary module accepting the given proposals.
pub fn parse_with(bytes: &[u8], features: Features) -> Result<Module, Error> {
    module::parse(bytes, features)
}

/// Decodes a binary module like [`parse_with`], handing the code section's
/// bodies to `hook` (see [`CodeHook`]): the module is the same, the hook
/// sees every instruction right as it is decoded.
pub fn parse_with_hook<H: CodeHook>(
    bytes: &[u8],
    features: Features,
    hook: &mut H,
) -> Result<Module, Error> {
    module::parse_with_hook(bytes, features, hook)
}
