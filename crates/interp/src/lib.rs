//! The weft runtime and its reference interpreter.
//!
//! The runtime follows the spec's store model: a [`Store`] owns every
//! function, table, memory and global instance; instances and the host refer
//! to them by handle ([`Func`], [`Table`], [`Memory`], [`Global`],
//! [`Instance`]). A [`Linker`] resolves a module's imports by module and
//! item name and instantiates it. Host functions are closures. A trap is a
//! value ([`Trap`]) whose message is the spec's; nothing a module does makes
//! the runtime panic, and guest recursion runs on a heap-allocated stack
//! bounded by [`StoreLimits`].
//!
//! A [`Module`] validates and translates every function body once into a
//! compact internal form with resolved branch targets and stack heights, on
//! which the interpreter runs.
//!
//! Coverage: all of Wasm 2.0 (with SIMD) and of Wasm 3.0: tail calls,
//! typed function references, GC (`i31`, structs, arrays, casts; objects
//! live as long as the store, within [`StoreLimits::max_gc_bytes`]),
//! exception handling (`try_table`), memory64, multiple memories, extended
//! constants, relaxed SIMD (its deterministic choices); also custom page
//! sizes, wide arithmetic, the legacy exception instructions (`try`,
//! `catch`, `rethrow`, `delegate`) and the threads instructions on a
//! single-threaded store.
//!
//! ```
//! use weft_ast::{FuncType, Instr, ValType};
//! use weft_interp::{Error, Extern, Linker, Module, Store, Trap, Value};
//!
//! // (module
//! //   (import "env" "log" (func $log (param i32)))
//! //   (func (export "div") (param i32 i32) (result i32)
//! //     (call $log (local.get 1))
//! //     (i32.div_s (local.get 0) (local.get 1))))
//! let mut ast = weft_ast::Module::default();
//! let sig = |p: Vec<ValType>, r: Vec<ValType>| {
//!     weft_ast::SubType::plain(weft_ast::CompositeType::Func(FuncType { params: p, results: r }))
//! };
//! ast.push_rec_group([sig(vec![ValType::I32], vec![])], false);
//! ast.push_rec_group([sig(vec![ValType::I32, ValType::I32], vec![ValType::I32])], false);
//! ast.imports.push(weft_ast::Import {
//!     module: "env".into(),
//!     name: "log".into(),
//!     desc: weft_ast::ImportDesc::Func(0),
//! });
//! let body = ast.push_expr([
//!     Instr::LocalGet { local: 1 },
//!     Instr::Call { func: 0 },
//!     Instr::LocalGet { local: 0 },
//!     Instr::LocalGet { local: 1 },
//!     Instr::I32DivS,
//!     Instr::End,
//! ]);
//! ast.funcs.push(weft_ast::Func { ty: 1, locals: vec![], body });
//! ast.exports.push(weft_ast::Export {
//!     name: "div".into(),
//!     kind: weft_ast::ExternKind::Func,
//!     index: 1,
//! });
//!
//! // Translate once, provide the import, instantiate.
//! let module = Module::new(ast)?;
//! let mut store = Store::new();
//! let log = store.func(
//!     FuncType { params: vec![ValType::I32], results: vec![] },
//!     |_caller, args, _results| {
//!         println!("divisor: {:?}", args[0]);
//!         Ok(())
//!     },
//! );
//! let mut linker = Linker::new();
//! linker.define("env", "log", Extern::Func(log));
//! let instance = linker.instantiate(&mut store, &module)?;
//!
//! // Call an export; a trap comes back as a value.
//! let div = store.export_func(instance, "div").expect("exported");
//! assert_eq!(store.call(div, &[Value::I32(7), Value::I32(2)])?, vec![Value::I32(3)]);
//! let err = store.call(div, &[Value::I32(1), Value::I32(0)]).unwrap_err();
//! assert_eq!(err, Error::Trap(Trap::IntegerDivideByZero));
//! assert_eq!(err.to_string(), "integer divide by zero");
//! # Ok::<(), Error>(())
//! ```

#![warn(missing_docs)]
// `unsafe` only where the interpreter loop buys speed with it (`exec`),
// each block with a `// SAFETY:` proof.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod entry;
mod interpreter;
// Generated machine code is run through raw pointers: the JIT's `unsafe`,
// each block with its SAFETY proof.
#[cfg(weft_jit)]
#[allow(unsafe_code)]
mod jit;
mod limits;
mod ops;
mod runtime;
mod stack;
mod trap;
mod value;

pub use runtime::spectest;

pub use limits::{Resource, StoreLimits};
pub use runtime::backtrace::TrapFrame;
pub use runtime::linker::Linker;
pub use runtime::memory::MemoryMode;
pub use runtime::module::{Engine, JitStats, Module};
pub use runtime::store::{
    Caller, Extern, Func, Global, HostFn, Instance, Memory, Store, Table, Tag,
};
pub use runtime::value_text::ValueText;
pub use trap::{Error, Trap};
pub use value::{AnyRef, Value};
