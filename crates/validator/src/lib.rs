//! Validation of WebAssembly 3.0 modules over the weft AST.
//!
//! [`validate`] checks a [`Module`] against the spec's validation rules
//! for the proposals in a [`Features`] set and returns a [`ValidModule`]:
//! the module's types with their canonical ids, every function's type
//! and each body's local count.
//!
//! From bytes, [`validate_bytes`] decodes and validates in one pass (each
//! instruction checked as the decoder produces it; errors carry the byte
//! offset), and [`check_bytes`] does the same without keeping the code;
//! both have a parallel form.
//!
//! Function bodies are checked by the spec's algorithm (operand and control
//! stacks, the polymorphic stack after unconditional branches); types are
//! canonicalized iso-recursively in a [`TypeRegistry`], which a runtime may
//! share between modules so that equal types get equal [`CanonId`]s.
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
//!     Instr::I64Const { value: 1 },
//!     Instr::I32Add,
//!     Instr::End,
//! ]);
//! module.funcs.push(Func { ty: 0, locals: vec![], body });
//! let error = weft_validator::validate(&module, Features::default()).unwrap_err();
//! assert!(error.message().starts_with("type mismatch"));
//! assert_eq!(error.instr(), Some(2));
//! ```

#![warn(missing_docs)]

mod canon;
mod ctx;
mod desc;
mod error;
mod func;
mod fused;
mod module;
mod ops;
mod stack;
mod subtype;
mod valid;

pub use canon::{CanonId, TypeRegistry};
pub use error::{Error, Location};
pub use fused::BinaryError;
pub use subtype::Subtyping;
pub use valid::{FuncFacts, ValidModule};

use weft_ast::{Features, Module};

/// Decodes a binary module and validates it in one pass: each instruction
/// is checked right as the decoder produces it, while it is hot in cache.
///
/// The module and the [`ValidModule`] are those of [`weft_parser::parse_with`]
/// then [`validate`], and so is the error (the first decode error anywhere
/// in the bytes comes before any validation error); a body's validation
/// error carries its function index, instruction index and byte offset
/// ([`Error::offset`]).
pub fn validate_bytes(
    bytes: &[u8],
    features: Features,
) -> Result<(Module, ValidModule), BinaryError> {
    fused::validate_bytes::<true>(bytes, features, false)
}

/// Like [`validate_bytes`], with the bodies decoded and checked in parallel
/// (rayon, in chunks of consecutive bodies). The module, the result and
/// the error are the same as [`validate_bytes`]'s: the first decode error
/// in the order of the bytes, else the lowest function's validation error.
pub fn validate_bytes_parallel(
    bytes: &[u8],
    features: Features,
) -> Result<(Module, ValidModule), BinaryError> {
    fused::validate_bytes::<true>(bytes, features, true)
}

/// Validates a module with the proposals in `features`.
pub fn validate(module: &Module, features: Features) -> Result<ValidModule, Error> {
    module::validate_module(module, features, &mut TypeRegistry::new(), false)
}

/// Checks that bytes are a valid module, in one pass like
/// [`validate_bytes`], without keeping the bodies' instructions (what a
/// validator that builds no syntax tree does): the verdict, the error and
/// the [`ValidModule`] are [`validate_bytes`]'s; only the module is not
/// returned. For tools that only ask "is it valid" (fuzzers, `weft
/// validate`), and the like-for-like comparison with wasmparser's
/// `validate_all`.
pub fn check_bytes(bytes: &[u8], features: Features) -> Result<ValidModule, BinaryError> {
    fused::validate_bytes::<false>(bytes, features, false).map(|(_, valid)| valid)
}

/// Like [`check_bytes`], with the bodies decoded and checked in parallel
/// (see [`validate_bytes_parallel`]).
pub fn check_bytes_parallel(bytes: &[u8], features: Features) -> Result<ValidModule, BinaryError> {
    fused::validate_bytes::<false>(bytes, features, true).map(|(_, valid)| valid)
}

/// Like [`validate`], with function bodies checked in parallel (rayon). The
/// result, and the error when there is one, are the same as [`validate`]'s.
pub fn validate_parallel(module: &Module, features: Features) -> Result<ValidModule, Error> {
    module::validate_module(module, features, &mut TypeRegistry::new(), true)
}

/// Like [`validate`], but an invalid module gives every error that does not
/// follow from another: a module-level error (types, imports, globals,
/// exports, elements...) alone, since the bodies are checked in the context
/// those rules build; else the first error of each invalid body, in
/// function order (each body is checked on its own, as if the others were
/// valid), then the data segments' error, if any. The list is never empty;
/// its first error is [`validate`]'s.
pub fn validate_all_errors(module: &Module, features: Features) -> Result<ValidModule, Vec<Error>> {
    module::validate_module_all(module, features, &mut TypeRegistry::new(), false)
}

/// Like [`validate_all_errors`], with function bodies checked in parallel
/// (rayon); the same result and errors, in the same order.
pub fn validate_all_errors_parallel(
    module: &Module,
    features: Features,
) -> Result<ValidModule, Vec<Error>> {
    module::validate_module_all(module, features, &mut TypeRegistry::new(), true)
}

/// Like [`validate`], canonicalizing types in a caller's registry, so that
/// [`ValidModule::canonical`] ids compare across every module validated
/// with it.
pub fn validate_with(
    module: &Module,
    features: Features,
    registry: &mut TypeRegistry,
) -> Result<ValidModule, Error> {
    module::validate_module(module, features, registry, false)
}
