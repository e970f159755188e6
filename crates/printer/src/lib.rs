//! The weft AST back to WebAssembly text.
//!
//! [`print_module`] writes a [`Module`] in the standard text format so that
//! parsing the text gives back the same module: every instruction of the
//! shared instruction table (mnemonics and immediates are printed by code
//! derived from [`weft_ast::for_each_instr!`]), names from
//! [`Module::names`] as `$id`s, floats by their exact bits, and custom
//! sections as `(@custom ...)` annotations.
//!
//! ```
//! use weft_ast::*;
//!
//! let mut module = Module::default();
//! module.push_rec_group([SubType::plain(CompositeType::Func(FuncType {
//!     params: vec![ValType::I32],
//!     results: vec![ValType::I32],
//! }))], false);
//! let body = module.push_expr([
//!     Instr::LocalGet { local: 0 },
//!     Instr::I32Const { value: 1 },
//!     Instr::I32Add,
//!     Instr::End,
//! ]);
//! module.funcs.push(Func { ty: 0, locals: vec![], body });
//! module.names.funcs.push((0, "inc".into()));
//! let text = weft_printer::to_string(&module);
//! assert!(text.contains("(func $inc (type 0) (param i32) (result i32)"));
//! assert!(text.contains("    i32.add\n"));
//! ```

#![warn(missing_docs)]

mod arity;
mod body;
mod fold;
mod instr;
mod io;
mod module;
mod names;
mod printer;
mod text;
mod types;

use std::fmt;

use weft_ast::Module;

/// Most locals printed per function. The text format has no way to say
/// "a million `i32`s" but one by one, so a binary's few bytes could demand
/// gigabytes of text; past this many (far beyond any engine's limit, e.g.
/// wasmparser's 50 000) the rest is summarized in a comment and the text
/// no longer describes the same function.
pub const MAX_PRINTED_LOCALS: u64 = 1 << 20;

/// How to print a module. The default prints everything, flat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Print instructions as folded S-expressions (`(i32.add (local.get 0)
    /// (i32.const 1))`) where their operand counts are known from types;
    /// anything else stays flat. Either way the text means the same code.
    pub fold: bool,
    /// Leave out function bodies and data bytes (replaced by comments), to
    /// show a module's shape.
    pub skeleton: bool,
    /// Add a `(;N;)` comment with the index of every numbered item.
    pub index_comments: bool,
    /// Print custom sections (other than the name section, which becomes
    /// `$id`s) as `(@custom "name" (after SECTION) "bytes")` annotations,
    /// or `(@producers ...)` / `(@dylink.0 ...)` where those fit.
    pub custom_annotations: bool,
    /// Spaces per nesting level.
    pub indent: u8,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            fold: false,
            skeleton: false,
            index_comments: false,
            custom_annotations: true,
            indent: 2,
        }
    }
}

/// Writes `module` as text into `out`.
///
/// Never fails by itself: the only errors are the sink's. An invalid module
/// (out-of-range indices, unbalanced blocks) is printed as well as the text
/// format allows, without panicking.
pub fn print_module(module: &Module, options: &Options, out: &mut impl fmt::Write) -> fmt::Result {
    printer::Printer::new(module, options, out).module()
}

/// Writes `module` as text into an [`std::io::Write`], streaming through a
/// small buffer (the whole text is never held in memory).
pub fn print_module_io(
    module: &Module,
    options: &Options,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut sink = io::IoSink::new(out);
    let printed = print_module(module, options, &mut sink);
    sink.finish(printed)
}

/// The module as text, with the default [`Options`].
pub fn to_string(module: &Module) -> String {
    let mut text = String::with_capacity(module.code.len().saturating_mul(16) + 256);
    // Writing into a String cannot fail.
    let _ = print_module(module, &Options::default(), &mut text);
    text
}
