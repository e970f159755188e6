//! `weft run IN [ARGS...]`: run a WASI command (its `_start`, with WASI
//! preview1 over the host's standard streams, the `--dir`s and `--env`s
//! given and `ARGS` as its arguments) and exit with its exit code; or
//! `weft run IN --invoke NAME [ARGS...]`: call one exported function with
//! arguments read by its parameter types, in the text format's syntax, and
//! print the results, one per line, in the same syntax. Imports come from
//! WASI, the `spectest` module and `--preload`ed modules. A trap is
//! reported on standard error, with the wasm frames it passed through, and
//! a non-zero exit status.
//!
//! Options may stand anywhere on the line (`main` moves them in front, see
//! [`normalize_args`]), and arguments that look like flags (`-1`, `-inf`,
//! `-nan:0x1`) are arguments.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use weft_ast::ValType;
use weft_interp::{AnyRef, Linker, Store, Value};

use super::{Error, FeatureArgs, LimitArgs};

/// Arguments of `weft run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  weft run hello.wasm --dir .::/data --env LANG=C -- in.txt\n  \
    weft run fib.wat --invoke fib 30\n  \
    weft run m.wasm --invoke f -- -1 -inf nan:0x1 --fuel 1000000\n  \
    weft run app.wasm --preload env=lib.wasm --invoke main"
)]
pub struct RunArgs {
    /// The module to run: binary or text, `-` for standard input.
    input: PathBuf,
    /// The exported function to call; without it, the module's `_start`
    /// runs as a WASI command.
    #[arg(long)]
    invoke: Option<String>,
    /// A directory the program may use: `HOST` (seen under that path) or
    /// `HOST::GUEST` (seen as GUEST); repeatable. Nothing else of the host's
    /// file system is reachable.
    #[arg(long, value_name = "HOST[::GUEST]")]
    dir: Vec<String>,
    /// An environment variable the program sees (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    env: Vec<String>,
    /// For a command, its arguments (after the program's name); with
    /// `--invoke`, the function's, in the text format's syntax, one per parameter:
    /// integers (`-1`, `0xff`, `1_000`), floats (`1.5`, `-inf`, `nan`,
    /// `-nan:0x1`, `0x1p-3`), vectors (`"i32x4 1 2 3 4"`, any lane shape,
    /// or `0x` and 32 hex digits), references (`null` or `ref.null`,
    /// `ref.extern N` for host reference N, `ref.i31 N`).
    args: Vec<String>,
    /// Instantiate another module first and provide its exports to the
    /// imports of module NAME (repeatable; in order, each may import the
    /// ones before).
    #[arg(long, value_name = "NAME=FILE")]
    preload: Vec<String>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    engine: super::EngineArgs,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Why a run failed after the module was read.
#[derive(Debug)]
pub enum RunError {
    /// The module could not be loaded or instantiated, or the call trapped;
    /// with the wasm frames a trap passed through, innermost first.
    Engine {
        /// What went wrong.
        error: weft_interp::Error,
        /// The backtrace, already rendered (empty without one).
        frames: Vec<String>,
        /// A growth the store's limits refused before, which may be why.
        note: Option<String>,
    },
    /// No exported function has that name.
    NoSuchExport(String),
    /// An argument does not fit its parameter type, or the count is wrong.
    BadArgument(String),
    /// Without `--invoke`, the module exports no `_start: [] -> []`.
    NotACommand,
}

impl RunError {
    fn engine(error: weft_interp::Error) -> RunError {
        RunError::Engine {
            error,
            frames: Vec::new(),
            note: None,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Engine {
                error,
                frames,
                note,
            } => {
                match error {
                    weft_interp::Error::UnknownImport { .. } => write!(
                        f,
                        "{error}: `weft run` provides the modules `wasi_snapshot_preview1` and \
                         `spectest`; give others with `--preload NAME=FILE`"
                    )?,
                    _ => error.fmt(f)?,
                }
                if !frames.is_empty() {
                    f.write_str("\nwasm backtrace:")?;
                    for (i, frame) in frames.iter().enumerate() {
                        write!(f, "\n  {i:>2}: {frame}")?;
                    }
                }
                if let Some(note) = note {
                    write!(f, "\nnote: {note}")?;
                }
                Ok(())
            }
            RunError::NoSuchExport(name) => write!(f, "no exported function named `{name}`"),
            RunError::BadArgument(why) => f.write_str(why),
            RunError::NotACommand => f.write_str(
                "not a WASI command (no exported `_start: [] -> []`): call a function with \
                 `--invoke NAME`",
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `weft run`.
pub fn run(args: RunArgs) -> Result<(), Error> {
    let features = args.features.features()?;
    // An engine this build lacks is refused before any work.
    args.engine.engine()?;
    let bytes = super::read(&args.input)?;
    let ast = super::decode(&args.input, &bytes, features)?;
    // Where a trap's instructions lie, for a binary module: their byte
    // offsets, found again in its bytes.
    let mut source = Source {
        binary: super::is_binary(&args.input, &bytes).then_some(bytes.as_slice()),
        features,
        preloaded: Vec::new(),
    };
    let mut store = Store::with_memory_mode(args.limits.store_limits(), args.engine.memory_mode);
    let mut linker = Linker::new();
    let wrap = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Run {
            path,
            source: Box::new(source),
        }
    };
    let mut preloads = Vec::new();
    for preload in &args.preload {
        let (name, file) = preload
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--preload `{preload}`: expected NAME=FILE")))?;
        let file = Path::new(file);
        preloads.push((name, file, super::load_module(file, features)?));
    }
    // The testsuite's `spectest` module only for modules that import it:
    // its memories would count against the user's `--max-memory`.
    let imports_spectest = |m: &weft_ast::Module| m.imports.iter().any(|i| i.module == "spectest");
    if imports_spectest(&ast) || preloads.iter().any(|(_, _, m)| imports_spectest(m)) {
        weft_interp::spectest::define(&mut linker, &mut store)
            .map_err(|e| wrap(&args.input)(RunError::engine(e)))?;
    }
    weft_wasi::add_to_linker(&mut linker, &mut store, wasi_context(&args)?);
    for (name, file, module) in preloads {
        let instance =
            instantiate(&mut store, &linker, module, features, &args.engine).map_err(wrap(file))?;
        linker.define_instance(&store, name, instance);
        source.preloaded.push(instance);
    }
    let outcome = call(&mut store, &linker, ast, &source, &args).map_err(wrap(&args.input))?;
    match outcome {
        Outcome::Results(results) => {
            for value in results {
                super::emit(format_args!("{}\n", value.text(&store)))?;
            }
            Ok(())
        }
        Outcome::Exit(0) => Ok(()),
        Outcome::Exit(code) => Err(Error::Exit(code)),
    }
}

/// The WASI context of a run: the host's standard streams, the program's
/// name (the input as given) and arguments, and what `--dir` and `--env`
/// grant.
fn wasi_context(args: &RunArgs) -> Result<weft_wasi::WasiCtx, Error> {
    let mut ctx = weft_wasi::WasiCtx::builder()
        .inherit_stdio()
        .arg(args.input.display().to_string());
    if args.invoke.is_none() {
        ctx = ctx.args(args.args.iter().cloned());
    }
    for dir in &args.dir {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        ctx = ctx.preopened_dir(host, guest);
    }
    for var in &args.env {
        let (name, value) = var
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--env `{var}`: expected NAME=VALUE")))?;
        ctx = ctx.env(name, value);
    }
    ctx.build().map_err(|e| Error::Usage(format!("--dir: {e}")))
}

/// How a run ended without an error.
enum Outcome {
    /// `--invoke`'s results.
    Results(Vec<Value>),
    /// A command's exit code (`proc_exit`'s, or 0 when `_start` returns).
    Exit(i32),
}

/// The exit code a WASI program gave, if `error` is its `proc_exit`.
fn exit_code(error: &RunError) -> Option<i32> {
    match error {
        RunError::Engine {
            error: weft_interp::Error::Trap(weft_interp::Trap::Exit(code)),
            ..
        } => Some(*code),
        _ => None,
    }
}

fn instantiate(
    store: &mut Store,
    linker: &Linker,
    ast: weft_ast::Module,
    features: weft_ast::Features,
    engine: &super::EngineArgs,
) -> Result<weft_interp::Instance, RunError> {
    let module = engine.module(ast, features).map_err(RunError::engine)?;
    store.set_fuel(None);
    linker
        .instantiate(store, &module)
        .map_err(|e| with_backtrace(store, e, None))
}

/// The module `weft run` runs, as far as a backtrace needs it.
struct Source<'a> {
    /// Its bytes, when binary.
    binary: Option<&'a [u8]>,
    features: weft_ast::Features,
    /// The instances of `--preload` modules, whose frames are not this
    /// module's.
    preloaded: Vec<weft_interp::Instance>,
}

fn call(
    store: &mut Store,
    linker: &Linker,
    ast: weft_ast::Module,
    source: &Source<'_>,
    args: &RunArgs,
) -> Result<Outcome, RunError> {
    run_module(store, linker, ast, source, args)
        .or_else(|e| exit_code(&e).map(Outcome::Exit).ok_or(e))
}

fn run_module(
    store: &mut Store,
    linker: &Linker,
    ast: weft_ast::Module,
    source: &Source<'_>,
    args: &RunArgs,
) -> Result<Outcome, RunError> {
    store.set_fuel(args.limits.fuel);
    let module = args
        .engine
        .module(ast, source.features)
        .map_err(RunError::engine)?;
    let instance = linker
        .instantiate(store, &module)
        .map_err(|e| with_backtrace(store, e, Some(source)))?;
    let Some(invoke) = &args.invoke else {
        // A command: its `_start`.
        let start = store
            .export_func(instance, "_start")
            .filter(|f| {
                store
                    .func_type(*f)
                    .is_ok_and(|t| t.params.is_empty() && t.results.is_empty())
            })
            .ok_or(RunError::NotACommand)?;
        store.set_fuel(args.limits.fuel);
        store
            .call(start, &[])
            .map_err(|e| with_backtrace(store, e, Some(source)))?;
        return Ok(Outcome::Exit(0));
    };
    let func = store
        .export_func(instance, invoke)
        .ok_or_else(|| RunError::NoSuchExport(invoke.clone()))?;
    let params = store
        .func_type(func)
        .map_err(RunError::engine)?
        .params
        .clone();
    if params.len() != args.args.len() {
        return Err(RunError::BadArgument(format!(
            "`{invoke}` takes {} arguments, {} given",
            params.len(),
            args.args.len()
        )));
    }
    let values = params
        .iter()
        .zip(&args.args)
        .map(|(ty, text)| argument(*ty, text))
        .collect::<Result<Vec<_>, _>>()?;
    store.set_fuel(args.limits.fuel);
    store
        .call(func, &values)
        .map(Outcome::Results)
        .map_err(|e| with_backtrace(store, e, Some(source)))
}

/// An engine error with the backtrace the store kept of its trap; frames of
/// the module run (not of a preloaded one) with the byte offset of their
/// instruction when it is binary.
fn with_backtrace(
    store: &Store,
    error: weft_interp::Error,
    source: Option<&Source<'_>>,
) -> RunError {
    let frames = match error {
        weft_interp::Error::Trap(_) => store
            .trap_backtrace()
            .iter()
            .map(|f| {
                let offset = source
                    .filter(|s| !s.preloaded.contains(&f.instance))
                    .and_then(|s| {
                        super::locate::instr_offset(s.binary?, s.features, f.func, f.instr)
                    });
                match offset {
                    Some(at) => format!("{f} at offset {at:#x}"),
                    None => f.to_string(),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let note = store.limit_reached().map(|limit| {
        format!("a memory or table could not grow earlier: {limit} (raise it with --max-memory)")
    });
    RunError::Engine {
        error,
        frames,
        note,
    }
}

/// Reads one argument as a value of type `ty`, in the text format's
/// syntax.
fn argument(ty: ValType, text: &str) -> Result<Value, RunError> {
    let bad = || RunError::BadArgument(format!("`{text}` is not a valid {ty} argument"));
    let t = text.trim();
    Ok(match ty {
        ValType::I32 => Value::I32(weft_wat::literal::i32(t).ok_or_else(bad)?),
        ValType::I64 => Value::I64(weft_wat::literal::i64(t).ok_or_else(bad)?),
        ValType::F32 => Value::F32(weft_ast::Ieee32(weft_wat::literal::f32(t).ok_or_else(bad)?)),
        ValType::F64 => Value::F64(weft_ast::Ieee64(weft_wat::literal::f64(t).ok_or_else(bad)?)),
        ValType::V128 => Value::V128(vector(t).ok_or_else(bad)?),
        ValType::Ref(_) => reference(ty, t).ok_or_else(bad)?,
    })
}

/// A `v128` argument: a lane shape and its lanes (`i32x4 1 2 3 4`), or
/// `0x` and up to 32 hex digits.
fn vector(t: &str) -> Option<u128> {
    if let Some(hex) = t.strip_prefix("0x") {
        return u128::from_str_radix(&hex.replace('_', ""), 16).ok();
    }
    let mut words = t.split_whitespace();
    let shape = words.next()?;
    let lanes: Vec<&str> = words.collect();
    let (count, bits): (usize, u32) = match shape {
        "i8x16" => (16, 8),
        "i16x8" => (8, 16),
        "i32x4" | "f32x4" => (4, 32),
        "i64x2" | "f64x2" => (2, 64),
        _ => return None,
    };
    if lanes.len() != count {
        return None;
    }
    let mut v = 0u128;
    for (i, lane) in lanes.iter().enumerate() {
        let bits_of_lane: u64 = match shape {
            "i8x16" => weft_wat::literal::i8(lane)?.into(),
            "i16x8" => weft_wat::literal::i16(lane)?.into(),
            "i32x4" => weft_wat::literal::i32(lane)? as u32 as u64,
            "i64x2" => weft_wat::literal::i64(lane)? as u64,
            "f32x4" => weft_wat::literal::f32(lane)?.into(),
            _ => weft_wat::literal::f64(lane)?,
        };
        v |= u128::from(bits_of_lane) << (i as u32 * bits);
    }
    Some(v)
}

/// A reference argument of type `ty`: `null`/`ref.null [heap]`, or a host
/// reference `ref.extern N` (for `externref`), `ref.host N` or
/// `ref.i31 N` (for `anyref`), parentheses optional.
fn reference(ty: ValType, t: &str) -> Option<Value> {
    let t = t
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(t);
    let mut words = t.split_whitespace();
    let (head, arg) = (words.next()?, words.next());
    if words.next().is_some() {
        return None;
    }
    let null = Value::default_for(ty);
    let n = || arg.and_then(weft_wat::literal::i32).map(|n| n as u32);
    let value = match (head, null) {
        ("null" | "ref.null", _) => null,
        ("ref.extern", Value::ExternRef(_)) => Value::ExternRef(Some(n()?)),
        ("ref.host", Value::AnyRef(_)) => Value::AnyRef(Some(AnyRef::host(n()?))),
        ("ref.i31", Value::AnyRef(_)) => Value::AnyRef(Some(AnyRef::i31(n()?))),
        _ => return None,
    };
    value.has_type(ty).then_some(value)
}

/// Moves the options of `weft run` in front of its positional arguments,
/// with `--` between them: options are then options wherever they stood
/// (`weft run m.wat --invoke f 1 2 --fuel 10`), and positional arguments
/// that look like flags (`-1`, `-inf`) are arguments. A `--` of the user's
/// own still ends the options. Other subcommands are left as they are.
pub fn normalize_args(argv: Vec<OsString>, cli: &clap::Command) -> Vec<OsString> {
    let Some(run) = cli.find_subcommand("run") else {
        return argv;
    };
    if argv.get(1).is_none_or(|a| a != "run") {
        return argv;
    }
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let mut options = Vec::new();
    let mut positionals = Vec::new();
    let mut rest = argv[2..].iter();
    while let Some(token) = rest.next() {
        let text = token.to_string_lossy();
        if text == "--" {
            positionals.extend(rest.by_ref().cloned());
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            options.push(token.clone());
            let known = run.get_arguments().find(|a| a.get_long() == Some(name));
            if known.is_some_and(takes_value)
                && !inline_value
                && let Some(value) = rest.next()
            {
                options.push(value.clone());
            }
            continue;
        }
        let short = text
            .strip_prefix('-')
            .filter(|s| s.chars().count() == 1)
            .and_then(|s| s.chars().next());
        let known = short.and_then(|c| {
            run.get_arguments()
                .find(|a| a.get_short() == Some(c))
                .map(|a| (a.get_action().takes_values(), c))
        });
        match known {
            Some((value, _)) => {
                options.push(token.clone());
                if value && let Some(v) = rest.next() {
                    options.push(v.clone());
                }
            }
            // `-h` is clap's own; anything else starting with `-` is a value.
            None if text == "-h" => options.push(token.clone()),
            None => positionals.push(token.clone()),
        }
    }
    let mut out: Vec<OsString> = argv[..2].to_vec();
    out.extend(options);
    out.push("--".into());
    out.extend(positionals);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::Ieee32;

    #[test]
    fn reads_arguments_in_the_text_syntax() {
        assert_eq!(argument(ValType::I32, "-1").unwrap(), Value::I32(-1));
        assert_eq!(
            argument(ValType::I32, "0xffffffff").unwrap(),
            Value::I32(-1)
        );
        assert!(argument(ValType::I32, "0x1_0000_0000").is_err());
        assert_eq!(
            argument(ValType::I64, "0xffffffffffffffff").unwrap(),
            Value::I64(-1)
        );
        assert_eq!(
            argument(ValType::I64, "-9223372036854775808").unwrap(),
            Value::I64(i64::MIN)
        );
        assert_eq!(
            argument(ValType::F64, "1.5").unwrap(),
            Value::F64(weft_ast::Ieee64(1.5f64.to_bits()))
        );
        assert_eq!(
            argument(ValType::F32, "-nan:0x1").unwrap(),
            Value::F32(Ieee32(0xff80_0001))
        );
        assert_eq!(
            argument(ValType::F32, "-inf").unwrap(),
            Value::F32(Ieee32(f32::NEG_INFINITY.to_bits()))
        );
        assert!(argument(ValType::F32, "x").is_err());
        assert_eq!(
            argument(ValType::V128, "i32x4 1 2 3 -1").unwrap(),
            Value::V128(0xffffffff_00000003_00000002_00000001)
        );
        assert_eq!(
            argument(ValType::V128, "f64x2 1 -0").unwrap(),
            Value::V128((1f64.to_bits() as u128) | ((-0f64).to_bits() as u128) << 64)
        );
        assert!(argument(ValType::V128, "i32x4 1 2 3").is_err());
        assert_eq!(
            argument(ValType::EXTERNREF, "ref.null extern").unwrap(),
            Value::ExternRef(None)
        );
        assert_eq!(
            argument(ValType::EXTERNREF, "(ref.extern 7)").unwrap(),
            Value::ExternRef(Some(7))
        );
        assert!(argument(ValType::FUNCREF, "ref.extern 7").is_err());
    }

    #[test]
    fn results_print_in_the_text_syntax_and_read_back() {
        let store = Store::new();
        let show = |v: Value| v.text(&store).to_string();
        assert_eq!(show(Value::I32(-7)), "-7");
        assert_eq!(show(Value::F32(Ieee32(0xff80_0001))), "-nan:0x1");
        assert_eq!(show(Value::F32(Ieee32(0x7fc0_0000))), "nan");
        assert_eq!(show(Value::ExternRef(None)), "ref.null extern");
        assert_eq!(show(Value::AnyRef(Some(AnyRef::i31(5)))), "(ref.i31 5)");
        assert_eq!(show(Value::FuncRef(None)), "ref.null func");
        for (ty, v) in [
            (ValType::F32, Value::F32(Ieee32(0xff80_0001))),
            (
                ValType::F64,
                Value::F64(weft_ast::Ieee64(0x7ff0_0000_0000_0001)),
            ),
            (
                ValType::V128,
                Value::V128(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
            ),
            (ValType::EXTERNREF, Value::ExternRef(Some(3))),
        ] {
            assert_eq!(argument(ty, &show(v)).unwrap(), v, "{}", show(v));
        }
    }

    #[test]
    fn options_stand_anywhere_and_negative_values_are_arguments() {
        let cli = <crate::Cli as clap::CommandFactory>::command();
        let norm = |args: &[&str]| -> Vec<String> {
            let argv = args.iter().map(OsString::from).collect();
            normalize_args(argv, &cli)
                .into_iter()
                .map(|a| a.into_string().unwrap())
                .collect()
        };
        assert_eq!(
            norm(&[
                "weft", "run", "m.wat", "--invoke", "f", "1", "-2", "--fuel", "10", "-inf"
            ]),
            [
                "weft", "run", "--invoke", "f", "--fuel", "10", "--", "m.wat", "1", "-2", "-inf"
            ]
        );
        assert_eq!(
            norm(&["weft", "run", "--fuel=5", "m.wat", "--", "--fuel", "-h"]),
            ["weft", "run", "--fuel=5", "--", "m.wat", "--fuel", "-h"]
        );
        assert_eq!(
            norm(&["weft", "print", "-", "-o", "-"]),
            ["weft", "print", "-", "-o", "-"]
        );
    }
}
