//! The one WebAssembly AST shared by every weft crate.
//!
//! - [`types`]: value, reference, composite and entity types of Wasm 3.0;
//! - [`Module`]: a module's contents, section by section, with all code in
//!   one vector of flat [`Instr`]s;
//! - the instruction table ([`for_each_instr!`]), from which [`Instr`], the
//!   encoder here and the decoder, text parser and printer elsewhere derive;
//! - [`Sig`]: the table's signature column as data ([`Instr::signature`],
//!   [`INSTRUCTIONS`]);
//! - [`Features`]: the proposals a parser or validator accepts;
//! - [`FuncBranchHints`]: the branch hinting proposal's code metadata;
//! - [`custom`]: structured views of the `producers` and `dylink.0`
//!   custom sections, for the text format's annotations;
//! - [`encode`]: the AST to the binary format.
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
//! let bytes = module.encode();
//! assert_eq!(&bytes[..4], b"\0asm");
//! ```

#![warn(missing_docs)]

mod table;

pub mod custom;
pub mod encode;
mod features;
mod instr;
mod metadata;
mod module;
mod names;
pub mod sig;
pub mod types;

pub use encode::Encode;
pub use features::{Features, UnknownFeature};
pub use instr::*;
pub use metadata::{BRANCH_HINT_SECTION, BranchHint, FuncBranchHints};
pub use module::*;
pub use names::{IndirectNameMap, NameMap, Names};
pub use sig::{InstrInfo, Nullability, Sig, SigHeap, SigRef, SigType};
pub use types::*;
