//! WASI preview1 for the weft runtime: every function of
//! `wasi_snapshot_preview1`, defined as host functions in a
//! [`weft_interp::Linker`].
//!
//! A [`WasiCtx`] is the program's whole world — arguments, environment,
//! standard streams, preopened directories, clocks, randomness — and grants
//! nothing by default. [`add_to_linker`] defines the functions over it;
//! [`run_command`] instantiates a command module, runs its `_start` and
//! gives its exit code (from `proc_exit`, or 0 when `_start` returns).
//!
//! Errors reach the program as WASI `errno` values; nothing a program
//! passes makes the host panic (a pointer outside memory is `EFAULT`).
//! Files are reachable only inside the preopened directories: paths are
//! resolved component by component under the directory's descriptor, and
//! `..` past it, absolute paths and symbolic links leading out are refused
//! (`EPERM`) — see `path.rs` for how. Linux and macOS.
//!
//! ```
//! use weft_interp::{Linker, Module, Store};
//! use weft_wasi::{Output, OutputPipe, WasiCtx};
//!
//! // A command that writes "hi\n" to standard output and exits with 3.
//! let wat = r#"(module
//!   (import "wasi_snapshot_preview1" "fd_write"
//!     (func $fd_write (param i32 i32 i32 i32) (result i32)))
//!   (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!   (memory (export "memory") 1)
//!   (data (i32.const 16) "hi\n")
//!   (func (export "_start")
//!     (i32.store (i32.const 0) (i32.const 16))   ;; iovec: buf
//!     (i32.store (i32.const 4) (i32.const 3))    ;; iovec: len
//!     (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
//!     (call $exit (i32.const 3))))"#;
//! let module = Module::new(weft_wat::parse_module(wat).unwrap()).unwrap();
//!
//! let stdout = OutputPipe::new();
//! let ctx = WasiCtx::builder()
//!     .arg("hello.wasm")
//!     .stdout(Output::Pipe(stdout.clone()))
//!     // .preopened_dir("/tmp/data", ".")  gives the program a directory
//!     .build()?;
//! let mut store = Store::new();
//! let mut linker = Linker::new();
//! weft_wasi::add_to_linker(&mut linker, &mut store, ctx);
//! let code = weft_wasi::run_command(&mut store, &linker, &module)?;
//! assert_eq!(code, 3);
//! assert_eq!(stdout.contents(), b"hi\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]
// `unsafe` only for the host calls std lacks (`sys`), each block with a
// `// SAFETY:` proof.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod abi;
mod ctx;
mod errno;
mod fd;
mod fs;
mod mem;
mod misc;
mod path;
mod poll;
mod stdio;
#[allow(unsafe_code)]
mod sys;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use weft_ast::{FuncType, ValType};
use weft_interp::{Caller, Extern, Linker, Module, Store, Trap, Value};

pub use ctx::{
    BuildError, Clock, Clocks, HostClocks, HostRandom, RandomSource, WasiCtx, WasiCtxBuilder,
};
pub use errno::Errno;
pub use stdio::{Input, Output, OutputPipe};

use mem::{Fail, Mem, Res};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// A host function's arguments, typed by its signature (the runtime checks
/// them against it before the call).
pub(crate) struct Args<'a>(&'a [Value]);

impl Args<'_> {
    /// Argument `i`, an `i32`, as the unsigned value WASI means.
    fn u32(&self, i: usize) -> u32 {
        match self.0.get(i) {
            Some(Value::I32(v)) => *v as u32,
            _ => 0,
        }
    }

    /// Argument `i`, an `i64`, as the unsigned value WASI means.
    fn u64(&self, i: usize) -> u64 {
        match self.0.get(i) {
            Some(Value::I64(v)) => *v as u64,
            _ => 0,
        }
    }
}

type Handler = fn(&mut WasiCtx, &mut Mem<'_>, &Args<'_>) -> Res;

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;

/// Every function: name, parameter types, implementation. All return an
/// `errno` (`i32`) except `proc_exit`, which does not return.
const FUNCS: &[(&str, &[ValType], Handler)] = &[
    ("args_get", &[I, I], misc::args_get),
    ("args_sizes_get", &[I, I], misc::args_sizes_get),
    ("environ_get", &[I, I], misc::environ_get),
    ("environ_sizes_get", &[I, I], misc::environ_sizes_get),
    ("clock_res_get", &[I, I], misc::clock_res_get),
    ("clock_time_get", &[I, L, I], misc::clock_time_get),
    ("fd_advise", &[I, L, L, I], fs::fd_advise),
    ("fd_allocate", &[I, L, L], fs::fd_allocate),
    ("fd_close", &[I], fs::fd_close),
    ("fd_datasync", &[I], fs::fd_datasync),
    ("fd_fdstat_get", &[I, I], fs::fd_fdstat_get),
    ("fd_fdstat_set_flags", &[I, I], fs::fd_fdstat_set_flags),
    ("fd_fdstat_set_rights", &[I, L, L], fs::fd_fdstat_set_rights),
    ("fd_filestat_get", &[I, I], fs::fd_filestat_get),
    ("fd_filestat_set_size", &[I, L], fs::fd_filestat_set_size),
    (
        "fd_filestat_set_times",
        &[I, L, L, I],
        fs::fd_filestat_set_times,
    ),
    ("fd_pread", &[I, I, I, L, I], fs::fd_pread),
    ("fd_prestat_get", &[I, I], fs::fd_prestat_get),
    ("fd_prestat_dir_name", &[I, I, I], fs::fd_prestat_dir_name),
    ("fd_pwrite", &[I, I, I, L, I], fs::fd_pwrite),
    ("fd_read", &[I, I, I, I], fs::fd_read),
    ("fd_readdir", &[I, I, I, L, I], fs::fd_readdir),
    ("fd_renumber", &[I, I], fs::fd_renumber),
    ("fd_seek", &[I, L, I, I], fs::fd_seek),
    ("fd_sync", &[I], fs::fd_sync),
    ("fd_tell", &[I, I], fs::fd_tell),
    ("fd_write", &[I, I, I, I], fs::fd_write),
    (
        "path_create_directory",
        &[I, I, I],
        fs::path_create_directory,
    ),
    ("path_filestat_get", &[I, I, I, I, I], fs::path_filestat_get),
    (
        "path_filestat_set_times",
        &[I, I, I, I, L, L, I],
        fs::path_filestat_set_times,
    ),
    ("path_link", &[I, I, I, I, I, I, I], fs::path_link),
    ("path_open", &[I, I, I, I, I, L, L, I, I], fs::path_open),
    ("path_readlink", &[I, I, I, I, I, I], fs::path_readlink),
    (
        "path_remove_directory",
        &[I, I, I],
        fs::path_remove_directory,
    ),
    ("path_rename", &[I, I, I, I, I, I], fs::path_rename),
    ("path_symlink", &[I, I, I, I, I], fs::path_symlink),
    ("path_unlink_file", &[I, I, I], fs::path_unlink_file),
    ("poll_oneoff", &[I, I, I, I], poll::poll_oneoff),
    ("proc_raise", &[I], misc::proc_raise),
    ("sched_yield", &[], misc::sched_yield),
    ("random_get", &[I, I], misc::random_get),
    ("sock_accept", &[I, I, I], misc::sock),
    ("sock_recv", &[I, I, I, I, I, I], misc::sock),
    ("sock_send", &[I, I, I, I, I], misc::sock),
    ("sock_shutdown", &[I, I], misc::sock),
];

/// The caller's exported memory `memory`, if it has one.
fn memory<'a>(caller: &'a mut Caller<'_>) -> Option<&'a mut [u8]> {
    let inst = caller.instance?;
    match caller.store.export(inst, "memory")? {
        Extern::Memory(m) => caller.store.memory_data_mut(m).ok(),
        _ => None,
    }
}

/// Defines every `wasi_snapshot_preview1` function in `linker`, as host
/// functions of `store` over `ctx`. Instances linked with it share the
/// context (its descriptors, its output); each call works on the memory
/// its calling instance exports as `memory`.
pub fn add_to_linker(linker: &mut Linker, store: &mut Store, ctx: WasiCtx) {
    let state = Arc::new(Mutex::new(ctx));
    let define = |linker: &mut Linker, store: &mut Store, name, params: &[ValType], f: Handler| {
        let has_result = name != "proc_exit";
        let ty = FuncType {
            params: params.to_vec(),
            results: if has_result { vec![I] } else { vec![] },
        };
        let state = Arc::clone(&state);
        let func = store.func(ty, move |caller, args, results| {
            let mut ctx = state.lock().unwrap_or_else(PoisonError::into_inner);
            let mut mem = Mem::new(memory(caller));
            let errno = match f(&mut ctx, &mut mem, &Args(args)) {
                Ok(()) => Errno::Success,
                Err(Fail::Errno(e)) => e,
                Err(Fail::Trap(t)) => return Err(t),
            };
            if let Some(r) = results.first_mut() {
                *r = Value::I32(i32::from(errno.raw()));
            }
            Ok(())
        });
        linker.define(MODULE, name, Extern::Func(func));
    };
    for (name, params, f) in FUNCS {
        define(linker, store, name, params, *f);
    }
    define(linker, store, "proc_exit", &[I], misc::proc_exit);
}

/// Why [`run_command`] did not give an exit code.
#[derive(Debug)]
pub enum RunError {
    /// Linking or instantiating failed (a missing import, a trap in
    /// segment initialization or the start function).
    Instantiate(weft_interp::Error),
    /// The module exports no function `_start` of type `[] -> []`.
    NoStart,
    /// `_start` trapped.
    Trap(weft_interp::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Instantiate(e) => write!(f, "instantiation failed: {e}"),
            RunError::NoStart => {
                f.write_str("not a WASI command: no exported function `_start` of type [] -> []")
            }
            RunError::Trap(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Instantiate(e) | RunError::Trap(e) => Some(e),
            RunError::NoStart => None,
        }
    }
}

/// Runs a WASI command: instantiates `module` with `linker` (which
/// [`add_to_linker`] has filled), calls its `_start`, and returns the exit
/// code — the one given to `proc_exit`, or 0 when `_start` returns.
pub fn run_command(store: &mut Store, linker: &Linker, module: &Module) -> Result<i32, RunError> {
    let exit = |e: &weft_interp::Error| match e {
        weft_interp::Error::Trap(Trap::Exit(code)) => Some(*code),
        _ => None,
    };
    let inst = match linker.instantiate(store, module) {
        Ok(inst) => inst,
        Err(e) => return exit(&e).ok_or(RunError::Instantiate(e)),
    };
    let start = store
        .export_func(inst, "_start")
        .filter(|f| {
            store
                .func_type(*f)
                .is_ok_and(|t| t.params.is_empty() && t.results.is_empty())
        })
        .ok_or(RunError::NoStart)?;
    match store.call(start, &[]) {
        Ok(_) => Ok(0),
        Err(e) => exit(&e).ok_or(RunError::Trap(e)),
    }
}
