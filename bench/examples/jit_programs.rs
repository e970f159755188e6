//! weft's JIT against weft's interpreter and wasmi on the third-party
//! programs of `shared/bench-wasm` (`execute/` and `wat/`, protocol in its
//! README), the engines taking turns call by call so that all see the same
//! machine load: each one's median per program, the JIT's ratios, and
//! their geometric means.
//!
//! `cargo run --profile bench --example jit_programs [-- ROUNDS [FILTER]]`
//! (`WEFT_BENCH_WASM` names the folder; default `../../shared/bench-wasm`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

#[derive(Clone, Copy)]
enum Setup {
    None,
    I32(i32),
    I64(i64),
    Input(&'static str),
}

/// (name, setup or `run`'s argument, whether a `wat/` kernel, getters to
/// compare between engines after `run`).
const PROGRAMS: &[(&str, Setup, bool, &[&str])] = &[
    ("sort", Setup::I32(1_000_000), false, &[]),
    ("sort-dyn", Setup::I32(400_000), false, &[]),
    (
        "prime-sieve",
        Setup::I64(10_000_000),
        false,
        &["len_primes", "largest_prime"],
    ),
    ("matrix-mul", Setup::I32(400), false, &[]),
    ("nbody", Setup::I32(400), false, &[]),
    ("argon2", Setup::I32(3000), false, &["output"]),
    ("tiny-keccak", Setup::None, false, &[]),
    ("mandelbrot", Setup::I32(150), false, &["output"]),
    ("spectralnorm", Setup::I32(500), false, &["output"]),
    (
        "compression",
        Setup::Input("alice29.txt"),
        false,
        &["len_compressed"],
    ),
    (
        "word-count",
        Setup::Input("alice29.txt"),
        false,
        &["len_unique_words"],
    ),
    (
        "json-parse",
        Setup::Input("citm_catalog.json"),
        false,
        &["node_count"],
    ),
    (
        "reverse-complement",
        Setup::Input("reverse-complement.input.txt"),
        false,
        &[],
    ),
    (
        "regex-redux",
        Setup::Input("reverse-complement.input.txt"),
        false,
        &["output"],
    ),
    ("counter-local", Setup::I32(1_000_000), true, &[]),
    ("counter-param", Setup::I32(1_000_000), true, &[]),
    ("counter-global", Setup::I32(500_000), true, &[]),
    ("fibonacci-rec", Setup::I64(30), true, &[]),
    ("fibonacci-iter", Setup::I64(2_000_000), true, &[]),
    ("fibonacci-tail", Setup::I64(1_000_000), true, &[]),
    ("bulk-ops", Setup::I64(5000), true, &[]),
];

trait Engine {
    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val>;
    fn write(&mut self, at: usize, bytes: &[u8]);
}

struct Weft {
    store: weft_interp::Store,
    instance: weft_interp::Instance,
}

impl Weft {
    fn load(bytes: &[u8], engine: weft_interp::Engine) -> Weft {
        let ast = weft_parser::parse(bytes).expect("weft-parser reads the program");
        let module = weft_interp::Module::with_engine(ast, weft_ast::Features::default(), engine)
            .expect("weft accepts the program");
        let mut store = weft_interp::Store::with_limits(weft_interp::StoreLimits {
            max_memory_bytes: 4 << 30,
            ..Default::default()
        });
        let instance = weft_interp::Linker::new()
            .instantiate(&mut store, &module)
            .expect("weft instantiates the program");
        Weft { store, instance }
    }
}

impl Engine for Weft {
    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self.store.export_func(self.instance, name).expect("export");
        let args: Vec<_> = args
            .iter()
            .map(|a| match *a {
                Val::I32(v) => weft_interp::Value::I32(v),
                Val::I64(v) => weft_interp::Value::I64(v),
                Val::F32(v) => weft_interp::Value::from(v),
                Val::F64(v) => weft_interp::Value::from(v),
            })
            .collect();
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
            panic!("no exported memory");
        };
        self.store.memory_data_mut(m).expect("memory")[at..at + bytes.len()].copy_from_slice(bytes);
    }
}

struct Wasmi {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
}

impl Wasmi {
    fn load(bytes: &[u8]) -> Wasmi {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, bytes).expect("wasmi accepts the program");
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi instantiates the program");
        Wasmi { store, instance }
    }
}

impl Engine for Wasmi {
    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self.instance.get_func(&self.store, name).expect("export");
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
            .expect("memory");
        memory.data_mut(&mut self.store)[at..at + bytes.len()].copy_from_slice(bytes);
    }
}

/// Sets a program up on an engine: `run`'s argument.
fn setup(e: &mut dyn Engine, setup: Setup, kernel: bool, dir: &Path) -> Val {
    if kernel {
        return match setup {
            Setup::I32(n) => Val::I32(n),
            Setup::I64(n) => Val::I64(n),
            _ => unreachable!("kernels take a number"),
        };
    }
    let (args, input) = match setup {
        Setup::None => (vec![], None),
        Setup::I32(n) => (vec![Val::I32(n)], None),
        Setup::I64(n) => (vec![Val::I64(n)], None),
        Setup::Input(file) => {
            let bytes = std::fs::read(dir.join("execute").join(file)).expect("input file");
            (vec![Val::I32(bytes.len() as i32)], Some(bytes))
        }
    };
    let data = e.call("setup", &args)[0];
    if let Some(input) = input {
        let at = match e.call("input_ptr", &[data])[0] {
            Val::I32(p) => p as u32 as usize,
            Val::I64(p) => p as usize,
            v => panic!("not an address: {v:?}"),
        };
        e.write(at, &input);
    }
    data
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::var_os("WEFT_BENCH_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-wasm")
        });
    if !dir.join("execute").is_dir() {
        eprintln!("SKIPPED: no bench-wasm folder at {}", dir.display());
        return;
    }
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let filter = args.next().unwrap_or_default();
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>8} {:>8}  jit: compiled/functions",
        "program", "jit ms", "interp ms", "wasmi ms", "jit/int", "jit/wasmi"
    );
    let (mut log_int, mut log_wasmi) = (Vec::new(), Vec::new());
    for &(name, set, kernel, getters) in PROGRAMS.iter().filter(|p| p.0.contains(&filter)) {
        let bytes = if kernel {
            let text = std::fs::read(dir.join("wat").join(format!("{name}.wat"))).expect("kernel");
            wat::parse_bytes(&text)
                .expect("wat reads the kernel")
                .into_owned()
        } else {
            std::fs::read(dir.join("execute").join(format!("{name}.wasm"))).expect("program")
        };
        let mut jit = Weft::load(&bytes, weft_interp::Engine::Jit);
        let stats = {
            let ast = weft_parser::parse(&bytes).expect("parses");
            let m = weft_interp::Module::with_engine(
                ast,
                weft_ast::Features::default(),
                weft_interp::Engine::Jit,
            )
            .expect("compiles");
            let s = m.jit_stats().cloned().unwrap_or_default();
            format!("{}/{}", s.compiled, s.functions)
        };
        let mut int = Weft::load(&bytes, weft_interp::Engine::Interp);
        let mut wasmi = Wasmi::load(&bytes);
        let engines: [&mut dyn Engine; 3] = [&mut jit, &mut int, &mut wasmi];
        let mut data = Vec::new();
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for e in engines {
            data.push(setup(e, set, kernel, &dir));
        }
        let engines: [&mut dyn Engine; 3] = [&mut jit, &mut int, &mut wasmi];
        let mut engines = engines;
        // All run once and must agree before anything is timed.
        let first: Vec<Vec<Val>> = engines
            .iter_mut()
            .zip(&data)
            .map(|(e, d)| e.call("run", &[*d]))
            .collect();
        assert!(
            first.iter().all(|r| *r == first[0]),
            "{name}: engines disagree: {first:?}"
        );
        for g in getters {
            let got: Vec<Vec<Val>> = engines
                .iter_mut()
                .zip(&data)
                .map(|(e, d)| e.call(g, &[*d]))
                .collect();
            assert!(
                got.iter().all(|r| *r == got[0]),
                "{name}: {g} disagrees: {got:?}"
            );
        }
        for _ in 0..rounds {
            for (k, e) in engines.iter_mut().enumerate() {
                let t = Instant::now();
                black_box(e.call("run", &[data[k]]));
                times[k].push(t.elapsed());
            }
        }
        let [j, i, w] = times.map(|mut t| median(&mut t).as_secs_f64());
        log_int.push((j / i).ln());
        log_wasmi.push((j / w).ln());
        println!(
            "{name:<20} {:>9.2} {:>9.2} {:>9.2} {:>8.3} {:>8.3}  {stats}",
            j * 1e3,
            i * 1e3,
            w * 1e3,
            j / i,
            j / w
        );
    }
    let geo = |v: &[f64]| (v.iter().sum::<f64>() / v.len().max(1) as f64).exp();
    println!(
        "geomean jit/interp {:.3}, jit/wasmi {:.3} over {} programs",
        geo(&log_int),
        geo(&log_wasmi),
        log_int.len()
    );
}
