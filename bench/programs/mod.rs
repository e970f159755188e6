//! The third-party programs of `shared/bench-wasm` (see its README for the
//! protocol) and the engines that run them (weft's interpreter and JIT,
//! wasmi, wasmtime's Cranelift and Winch), shared by the interleaved timers
//! (`examples/programs_ratio.rs`, `examples/jit_programs.rs`) and
//! `examples/coremark.rs`.
//!
//! The folder lies outside the repository (`../../shared/bench-wasm` from
//! `bench/`, or `WEFT_BENCH_WASM`): nothing here is a test fixture, and a
//! checkout without it says so loudly and benchmarks nothing.

use std::path::PathBuf;

/// A value crossing into or out of a program.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

/// How `setup` is called.
#[derive(Clone, Copy, Debug)]
pub enum Setup {
    /// `setup()`.
    None,
    /// `setup(n: i32)`.
    I32(i32),
    /// `setup(n: i64)`.
    I64(i64),
    /// `setup(len: i32)` with the input file's length; its bytes then go
    /// to `input_ptr(data)`.
    Input(&'static str),
}

/// What a getter must return after `run`, or a file `output_ptr(data)`
/// must hold.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    Get(&'static str, Val),
    OutputFile(&'static str),
}

/// One program of `execute/` (`run(data)` after `setup`) or `wat/`
/// (`run(n)`).
#[derive(Clone, Copy, Debug)]
pub struct Program {
    pub name: &'static str,
    /// Path under the folder.
    pub file: &'static str,
    /// For `execute/`: how setup is called; for `wat/`, the argument of
    /// `run` (as `I32` or `I64`).
    pub setup: Setup,
    pub checks: &'static [Check],
    /// Whether this is a `wat/` kernel (`run(n)`, no setup).
    pub kernel: bool,
}

const fn exec(name: &'static str, setup: Setup, checks: &'static [Check]) -> Program {
    Program {
        name,
        file: name,
        setup,
        checks,
        kernel: false,
    }
}

const fn kernel(name: &'static str, setup: Setup) -> Program {
    Program {
        name,
        file: name,
        setup,
        checks: &[],
        kernel: true,
    }
}

/// Every program, in the README's order.
pub const PROGRAMS: &[Program] = &[
    exec("sort", Setup::I32(1_000_000), &[]),
    exec("sort-dyn", Setup::I32(400_000), &[]),
    exec(
        "prime-sieve",
        Setup::I64(10_000_000),
        &[
            Check::Get("len_primes", Val::I64(664_579)),
            Check::Get("largest_prime", Val::I64(9_999_991)),
        ],
    ),
    exec("matrix-mul", Setup::I32(400), &[]),
    exec("nbody", Setup::I32(400), &[]),
    exec(
        "argon2",
        Setup::I32(3000),
        &[Check::Get("output", Val::I64(0x7631_8FB4_8BBA_1258))],
    ),
    exec("tiny-keccak", Setup::None, &[]),
    exec(
        "mandelbrot",
        Setup::I32(150),
        &[Check::Get("output", Val::I64(5_595_328))],
    ),
    exec(
        "spectralnorm",
        Setup::I32(500),
        &[Check::Get("output", Val::F64(1.2742241159529095))],
    ),
    exec(
        "compression",
        Setup::Input("alice29.txt"),
        &[Check::Get("len_compressed", Val::I64(97_649))],
    ),
    exec(
        "word-count",
        Setup::Input("alice29.txt"),
        &[
            Check::Get("len_unique_words", Val::I64(2213)),
            Check::Get("len_special_chars", Val::I64(6314)),
        ],
    ),
    exec(
        "json-parse",
        Setup::Input("citm_catalog.json"),
        &[Check::Get("node_count", Val::I64(37_778))],
    ),
    exec(
        "reverse-complement",
        Setup::Input("reverse-complement.input.txt"),
        &[Check::OutputFile("reverse-complement.output.txt")],
    ),
    exec(
        "regex-redux",
        Setup::Input("reverse-complement.input.txt"),
        &[Check::Get("output", Val::I32(2))],
    ),
    kernel("counter-local", Setup::I32(1_000_000)),
    kernel("counter-param", Setup::I32(1_000_000)),
    kernel("counter-global", Setup::I32(500_000)),
    kernel("fibonacci-rec", Setup::I64(30)),
    kernel("fibonacci-iter", Setup::I64(2_000_000)),
    kernel("fibonacci-tail", Setup::I64(1_000_000)),
    kernel("bulk-ops", Setup::I64(5000)),
];

/// The folder, if present; else a loud message on standard error.
pub fn folder() -> Option<PathBuf> {
    let dir = std::env::var_os("WEFT_BENCH_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-wasm")
        });
    if dir.join("execute").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no bench-wasm folder at {} (set WEFT_BENCH_WASM): nothing is measured",
            dir.display()
        );
        None
    }
}

impl Program {
    /// The module's bytes (a `.wat` kernel as text, a program as binary).
    pub fn bytes(&self, dir: &std::path::Path) -> Vec<u8> {
        let path = if self.kernel {
            dir.join("wat").join(format!("{}.wat", self.file))
        } else {
            dir.join("execute").join(format!("{}.wasm", self.file))
        };
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The binary module (a kernel's text compiled by `wat`, so that
    /// neither engine's text reader is measured or trusted).
    pub fn binary(&self, dir: &std::path::Path) -> Vec<u8> {
        let bytes = self.bytes(dir);
        if self.kernel {
            wat::parse_bytes(&bytes)
                .expect("wat reads the kernel")
                .into_owned()
        } else {
            bytes
        }
    }
}

/// What the protocol needs of an engine.
pub trait Engine: Sized {
    /// Instantiates a binary module.
    fn load(bytes: &[u8]) -> Self;
    /// Calls an export.
    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val>;
    /// Writes bytes into the exported memory.
    fn write(&mut self, at: usize, bytes: &[u8]);
    /// Reads bytes from the exported memory.
    fn read(&self, at: usize, len: usize) -> Vec<u8>;
}

/// A program ready to time: an engine's instance after `setup`.
pub struct Prepared<E: Engine> {
    pub engine: E,
    /// `run`'s argument.
    arg: Val,
}

impl<E: Engine> Prepared<E> {
    /// Instantiates and sets up `program`.
    pub fn new(program: &Program, dir: &std::path::Path) -> Prepared<E> {
        let mut engine = E::load(&program.binary(dir));
        if program.kernel {
            let arg = match program.setup {
                Setup::I32(n) => Val::I32(n),
                Setup::I64(n) => Val::I64(n),
                _ => unreachable!("kernels take a number"),
            };
            return Prepared { engine, arg };
        }
        let (args, input) = match program.setup {
            Setup::None => (vec![], None),
            Setup::I32(n) => (vec![Val::I32(n)], None),
            Setup::I64(n) => (vec![Val::I64(n)], None),
            Setup::Input(file) => {
                let bytes = std::fs::read(dir.join("execute").join(file)).expect("input file");
                (vec![Val::I32(bytes.len() as i32)], Some(bytes))
            }
        };
        let data = engine.call("setup", &args)[0];
        if let Some(input) = input {
            let at = engine.call("input_ptr", &[data])[0];
            engine.write(as_addr(at), &input);
        }
        Prepared { engine, arg: data }
    }

    /// One timed call of `run`.
    pub fn run(&mut self) -> Vec<Val> {
        let arg = self.arg;
        self.engine.call("run", &[arg])
    }

    /// Checks the results after a run; panics with the program's name.
    pub fn check(&mut self, program: &Program, dir: &std::path::Path) {
        let arg = self.arg;
        for check in program.checks {
            match *check {
                Check::Get(getter, want) => {
                    let got = self.engine.call(getter, &[arg]);
                    assert_eq!(got, [want], "{}: {getter}", program.name);
                }
                Check::OutputFile(file) => {
                    let want = std::fs::read(dir.join("execute").join(file)).expect("output file");
                    let at = as_addr(self.engine.call("output_ptr", &[arg])[0]);
                    let got = self.engine.read(at, want.len());
                    assert!(got == want, "{}: output differs", program.name);
                }
            }
        }
    }
}

fn as_addr(v: Val) -> usize {
    match v {
        Val::I32(p) => p as u32 as usize,
        Val::I64(p) => p as usize,
        other => panic!("not an address: {other:?}"),
    }
}

/// weft's interpreter.
pub struct Weft {
    store: weft_interp::Store,
    instance: weft_interp::Instance,
    /// The module, for what the JIT compiled of it.
    #[allow(dead_code)] // read by jit_programs, not by every includer
    pub module: weft_interp::Module,
}

impl Weft {
    /// Instantiates a binary module on `engine` (for the JIT, in the
    /// memory mode `WEFT_MEMORY_MODE` names: `explicit`, the default, or
    /// `guard`).
    pub fn load_on(bytes: &[u8], engine: weft_interp::Engine) -> Weft {
        let ast = weft_parser::parse(bytes).expect("weft-parser reads the program");
        let module = weft_interp::Module::with_engine(ast, weft_ast::Features::default(), engine)
            .expect("weft-interp accepts the program");
        let mode = match engine {
            weft_interp::Engine::Jit => memory_mode(),
            _ => weft_interp::MemoryMode::Explicit,
        };
        let limits = weft_interp::StoreLimits {
            max_memory_bytes: 4 << 30,
            ..Default::default()
        };
        let mut store = weft_interp::Store::with_memory_mode(limits, mode);
        let instance = weft_interp::Linker::new()
            .instantiate(&mut store, &module)
            .expect("weft-interp instantiates the program");
        Weft {
            store,
            instance,
            module,
        }
    }
}

/// The JIT's memory mode for a run: `WEFT_MEMORY_MODE` (`explicit`, the
/// default, or `guard`).
pub fn memory_mode() -> weft_interp::MemoryMode {
    std::env::var("WEFT_MEMORY_MODE")
        .ok()
        .map(|m| {
            m.parse()
                .unwrap_or_else(|e| panic!("WEFT_MEMORY_MODE: {e}"))
        })
        .unwrap_or_default()
}

/// weft's baseline JIT (functions it does not compile run in the
/// interpreter).
#[allow(dead_code)] // used by jit_programs, not by every includer
pub struct WeftJit(pub Weft);

impl Engine for WeftJit {
    fn load(bytes: &[u8]) -> WeftJit {
        WeftJit(Weft::load_on(bytes, weft_interp::Engine::Jit))
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        self.0.call(name, args)
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        self.0.write(at, bytes)
    }

    fn read(&self, at: usize, len: usize) -> Vec<u8> {
        self.0.read(at, len)
    }
}

fn to_weft(v: Val) -> weft_interp::Value {
    match v {
        Val::I32(v) => weft_interp::Value::I32(v),
        Val::I64(v) => weft_interp::Value::I64(v),
        Val::F32(v) => weft_interp::Value::from(v),
        Val::F64(v) => weft_interp::Value::from(v),
    }
}

impl Engine for Weft {
    fn load(bytes: &[u8]) -> Weft {
        Weft::load_on(bytes, weft_interp::Engine::Interp)
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self
            .store
            .export_func(self.instance, name)
            .unwrap_or_else(|| panic!("weft: no export {name}"));
        let args: Vec<_> = args.iter().map(|a| to_weft(*a)).collect();
        let results = self
            .store
            .call(f, &args)
            .unwrap_or_else(|e| panic!("weft: {name} failed: {e}"));
        results
            .into_iter()
            .map(|v| match v {
                weft_interp::Value::I32(v) => Val::I32(v),
                weft_interp::Value::I64(v) => Val::I64(v),
                weft_interp::Value::F32(v) => Val::F32(v.value()),
                weft_interp::Value::F64(v) => Val::F64(v.value()),
                other => panic!("weft: {name} returned {other:?}"),
            })
            .collect()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        let Some(weft_interp::Extern::Memory(m)) = self.store.export(self.instance, "memory")
        else {
            panic!("weft: no exported memory");
        };
        self.store.memory_data_mut(m).expect("memory")[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn read(&self, at: usize, len: usize) -> Vec<u8> {
        let Some(weft_interp::Extern::Memory(m)) = self.store.export(self.instance, "memory")
        else {
            panic!("weft: no exported memory");
        };
        self.store.memory_data(m).expect("memory")[at..at + len].to_vec()
    }
}

/// wasmi 2.
pub struct Wasmi {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
}

impl Engine for Wasmi {
    fn load(bytes: &[u8]) -> Wasmi {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, bytes).expect("wasmi accepts the program");
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi instantiates the program");
        Wasmi { store, instance }
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self
            .instance
            .get_func(&self.store, name)
            .unwrap_or_else(|| panic!("wasmi: no export {name}"));
        let args: Vec<wasmi::Val> = args
            .iter()
            .map(|a| match *a {
                Val::I32(v) => wasmi::Val::I32(v),
                Val::I64(v) => wasmi::Val::I64(v),
                Val::F32(v) => wasmi::Val::F32(v.into()),
                Val::F64(v) => wasmi::Val::F64(v.into()),
            })
            .collect();
        let ty = f.ty(&self.store);
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        f.call(&mut self.store, &args, &mut results)
            .unwrap_or_else(|e| panic!("wasmi: {name} failed: {e}"));
        results
            .into_iter()
            .map(|v| match v {
                wasmi::Val::I32(v) => Val::I32(v),
                wasmi::Val::I64(v) => Val::I64(v),
                wasmi::Val::F32(v) => Val::F32(v.into()),
                wasmi::Val::F64(v) => Val::F64(v.into()),
                other => panic!("wasmi: {name} returned {other:?}"),
            })
            .collect()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        let memory = self
            .instance
            .get_memory(&self.store, "memory")
            .expect("wasmi: no exported memory");
        memory.data_mut(&mut self.store)[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn read(&self, at: usize, len: usize) -> Vec<u8> {
        let memory = self
            .instance
            .get_memory(&self.store, "memory")
            .expect("wasmi: no exported memory");
        memory.data(&self.store)[at..at + len].to_vec()
    }
}

/// A wasmtime engine compiling with Cranelift (`winch` false) or Winch,
/// with its default memory configuration (guard pages, no explicit bounds
/// checks). bench/ builds wasmtime without `parallel-compilation`, so it
/// compiles on one thread, as weft does by default.
#[allow(dead_code)] // used by jit_programs and coremark, not every includer
pub fn wasmtime_engine(winch: bool) -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    config.strategy(if winch {
        wasmtime::Strategy::Winch
    } else {
        wasmtime::Strategy::Cranelift
    });
    wasmtime::Engine::new(&config).expect("a valid wasmtime configuration")
}

/// wasmtime 48 (the version `fuzz/` uses) with Cranelift or Winch.
#[allow(dead_code)] // used by jit_programs and coremark, not every includer
pub struct Wasmtime {
    store: wasmtime::Store<()>,
    instance: wasmtime::Instance,
    /// The exported `memory`, if any (looked up once: reading it needs no
    /// mutable store then).
    memory: Option<wasmtime::Memory>,
}

#[allow(dead_code)] // used by jit_programs and coremark, not every includer
impl Wasmtime {
    /// Whether the engine compiles the module (Winch refuses some
    /// proposals, tail calls among them).
    pub fn compiles(bytes: &[u8], winch: bool) -> bool {
        wasmtime::Module::new(&wasmtime_engine(winch), bytes).is_ok()
    }

    /// Compiles and instantiates a binary module with no imports.
    pub fn load_on(bytes: &[u8], winch: bool) -> Wasmtime {
        let engine = wasmtime_engine(winch);
        let module = wasmtime::Module::new(&engine, bytes).expect("wasmtime accepts the program");
        let mut store = wasmtime::Store::new(&engine, ());
        let instance = wasmtime::Instance::new(&mut store, &module, &[])
            .expect("wasmtime instantiates the program");
        let memory = instance.get_memory(&mut store, "memory");
        Wasmtime {
            store,
            instance,
            memory,
        }
    }
}

impl Engine for Wasmtime {
    fn load(bytes: &[u8]) -> Wasmtime {
        Wasmtime::load_on(bytes, false)
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self
            .instance
            .get_func(&mut self.store, name)
            .unwrap_or_else(|| panic!("wasmtime: no export {name}"));
        let args: Vec<wasmtime::Val> = args
            .iter()
            .map(|a| match *a {
                Val::I32(v) => wasmtime::Val::I32(v),
                Val::I64(v) => wasmtime::Val::I64(v),
                Val::F32(v) => wasmtime::Val::F32(v.to_bits()),
                Val::F64(v) => wasmtime::Val::F64(v.to_bits()),
            })
            .collect();
        let ty = f.ty(&self.store);
        let mut results: Vec<wasmtime::Val> = ty
            .results()
            .map(|t| wasmtime::Val::default_for_ty(&t).expect("a numeric result"))
            .collect();
        f.call(&mut self.store, &args, &mut results)
            .unwrap_or_else(|e| panic!("wasmtime: {name} failed: {e}"));
        results
            .into_iter()
            .map(|v| match v {
                wasmtime::Val::I32(v) => Val::I32(v),
                wasmtime::Val::I64(v) => Val::I64(v),
                wasmtime::Val::F32(v) => Val::F32(f32::from_bits(v)),
                wasmtime::Val::F64(v) => Val::F64(f64::from_bits(v)),
                other => panic!("wasmtime: {name} returned {other:?}"),
            })
            .collect()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        let memory = self.memory.expect("wasmtime: no exported memory");
        memory.data_mut(&mut self.store)[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn read(&self, at: usize, len: usize) -> Vec<u8> {
        let memory = self.memory.expect("wasmtime: no exported memory");
        memory.data(&self.store)[at..at + len].to_vec()
    }
}

/// wasmtime with Cranelift, its optimizing compiler.
#[allow(dead_code)] // used by jit_programs, not every includer
pub struct Cranelift(pub Wasmtime);

/// wasmtime with Winch, its baseline compiler.
#[allow(dead_code)] // used by jit_programs, not every includer
pub struct Winch(pub Wasmtime);

macro_rules! wasmtime_strategy {
    ($name:ident, $winch:expr) => {
        impl Engine for $name {
            fn load(bytes: &[u8]) -> $name {
                $name(Wasmtime::load_on(bytes, $winch))
            }

            fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
                self.0.call(name, args)
            }

            fn write(&mut self, at: usize, bytes: &[u8]) {
                self.0.write(at, bytes)
            }

            fn read(&self, at: usize, len: usize) -> Vec<u8> {
                self.0.read(at, len)
            }
        }
    };
}

wasmtime_strategy!(Cranelift, false);
wasmtime_strategy!(Winch, true);
