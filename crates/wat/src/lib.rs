//! The WebAssembly text format to the weft AST.
//!
//! - [`parse_module`] / [`parse_module_with`]: one module (`(module ...)`
//!   or bare module fields) to a [`weft_ast::Module`];
//! - [`wat2wasm`]: the same, encoded to the binary format;
//! - [`parse_script`]: a `.wast` script (the spec testsuite's format) to a
//!   [`Script`] of commands.
//!
//! Every error is an [`Error`] with a line, a column and a message that
//! contains the phrase the spec testsuite expects.
//!
//! ```
//! use weft_wat::{parse_module, parse_script, wat2wasm, CommandKind};
//!
//! let m = parse_module("(func (export \"one\") (result i32) (i32.const 1))").unwrap();
//! assert_eq!(m.funcs.len(), 1);
//! assert_eq!(&wat2wasm("(module)").unwrap(), b"\0asm\x01\0\0\0");
//!
//! let text = "(module\n  (func block $a end $b))";
//! let e = parse_module(text).unwrap_err();
//! assert_eq!(e.to_string(), "2:22: mismatching label");
//! assert!(e.render("a.wat", text).starts_with("a.wat:2:22: mismatching label"));
//!
//! let script = parse_script("(module) (assert_return (invoke \"f\") (i32.const 1))").unwrap();
//! assert!(matches!(script.commands[1].kind, CommandKind::AssertReturn { .. }));
//! ```

#![warn(missing_docs)]

mod error;
mod lexer;
mod num;

pub use error::Error;
mod collect;
mod cursor;
mod custom;
mod fields;
mod immediates;
mod instr;
mod module;
mod names;
mod script;
mod segments;
mod source_map;
mod types;
mod wast;

pub use script::{
    Action, Command, CommandKind, Expected, ModuleSource, NumPattern, Script, ScriptModule, Shape,
    Value,
};
pub use source_map::{Item, SourceMap};
pub use wast::{parse_script, parse_script_with};

use cursor::Cursor;
use weft_ast::{Features, Module};

/// Parses a module: a single `(module ...)` or bare module fields, with
/// the default features.
pub fn parse_module(text: &str) -> Result<Module, Error> {
    parse_module_with(text, Features::default())
}

/// Parses a module accepting the instructions of `features`.
pub fn parse_module_with(text: &str, features: Features) -> Result<Module, Error> {
    parse(text, features, false).map(|(m, _)| m)
}

/// Parses a module like [`parse_module_with`], and gives where in `text`
/// each instruction came from, so that an error found later (by a
/// validator) can point at its line and column:
///
/// ```
/// use weft_wat::parse_module_with_source_map;
///
/// let text = "(module\n  (func $f (result i32)\n    i64.const 1))";
/// let (m, map) = parse_module_with_source_map(text, Default::default()).unwrap();
/// // Say a validator found the body's first instruction wrong:
/// let e = map.func_error(text, &m, 0, Some(0), "type mismatch").unwrap();
/// assert_eq!(e.to_string(), "3:5: func $f: type mismatch");
/// ```
pub fn parse_module_with_source_map(
    text: &str,
    features: Features,
) -> Result<(Module, SourceMap), Error> {
    parse(text, features, true).map(|(m, map)| (m, map.unwrap_or_default()))
}

/// The module of `text`, and its source map when `map` is set.
fn parse(text: &str, features: Features, map: bool) -> Result<(Module, Option<SourceMap>), Error> {
    let lexed = lexer::tokenize(text)?;
    let mut c = Cursor::new(text, &lexed);
    let wrapped = c.eat_sexpr("module");
    let name = if wrapped {
        c.opt_id_and_name().1.map(|n| n.into_owned())
    } else {
        // Bare fields: an `@name` before them all names the module.
        c.name_annotation().map(str::to_string)
    };
    let start = c.pos;
    let (module, end, source_map) =
        module::ModuleParser::new(c.clone(), features).parse_fields_mapped(name, map)?;
    c.pos = end;
    if wrapped {
        c.rparen()?;
    }
    if !c.at_end() {
        return Err(c.unexpected());
    }
    // Annotations around the module (the parser checked those inside).
    if let Some(e) = c.annotation_error(0, c.toks.len()) {
        return Err(e);
    }
    if let Some(h) = lexed
        .hints
        .iter()
        .find(|h| (h.tok as usize) < start || (h.tok as usize) > end)
    {
        return Err(Error::at(
            text,
            h.at as usize,
            "@metadata.code.branch_hint annotation: not in a function",
        ));
    }
    Ok((module, source_map))
}

/// Parses a module from raw bytes, which must be UTF-8 text: a byte that is
/// not is reported as `malformed UTF-8 encoding` at its own position.
pub fn parse_module_bytes_with(bytes: &[u8], features: Features) -> Result<Module, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_module_with(text, features),
        Err(e) => {
            // The valid prefix positions the error: its end is the bad byte.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            Err(Error::at(valid, valid.len(), "malformed UTF-8 encoding"))
        }
    }
}

/// Parses a module and encodes it to the binary format.
pub fn wat2wasm(text: &str) -> Result<Vec<u8>, Error> {
    parse_module(text).map(|m| m.encode())
}

/// Number literals as the text format spells them, read exactly (`_`
/// separators, `0x` hex, hex floats, `inf`, `nan`, `-nan:0x1` payloads):
/// for tools that take values outside a module, such as `weft run`'s
/// arguments. `None` when the text is no such literal or out of range.
pub mod literal {
    /// An `i32` (`-2^31..2^32`; the unsigned half wraps).
    pub fn i32(text: &str) -> Option<i32> {
        crate::num::i32(text).ok()
    }

    /// An `i64` (`-2^63..2^64`; the unsigned half wraps).
    pub fn i64(text: &str) -> Option<i64> {
        crate::num::i64(text).ok()
    }

    /// An `f32`'s bits.
    pub fn f32(text: &str) -> Option<u32> {
        crate::num::f32(text).ok()
    }

    /// An `f64`'s bits.
    pub fn f64(text: &str) -> Option<u64> {
        crate::num::f64(text).ok()
    }

    /// An `i8` lane (`-128..=255`), as its bits.
    pub fn i8(text: &str) -> Option<u8> {
        crate::num::i8(text).ok()
    }

    /// An `i16` lane (`-2^15..2^16`), as its bits.
    pub fn i16(text: &str) -> Option<u16> {
        crate::num::i16(text).ok()
    }
}
