//! Executing compute kernels: weft's interpreter against wasmi, in the same
//! run. Each kernel of `kernels/` exports `run(size: i32) -> i64` returning a
//! checksum; both engines must agree on it before anything is measured, so a
//! fast wrong answer never shows up as a win.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A kernel: its name, its text and the size passed to `run`, chosen so one
/// call takes a few to a few tens of milliseconds.
struct Kernel {
    name: &'static str,
    wat: &'static str,
    size: i32,
}

const KERNELS: &[Kernel] = &[
    Kernel {
        name: "fib",
        wat: include_str!("../kernels/fib.wat"),
        size: 27,
    },
    Kernel {
        name: "sieve",
        wat: include_str!("../kernels/sieve.wat"),
        size: 300_000,
    },
    Kernel {
        name: "matmul",
        wat: include_str!("../kernels/matmul.wat"),
        size: 64,
    },
    Kernel {
        name: "hash",
        wat: include_str!("../kernels/hash.wat"),
        size: 500_000,
    },
    Kernel {
        name: "sort",
        wat: include_str!("../kernels/sort.wat"),
        size: 40_000,
    },
    Kernel {
        name: "dispatch",
        wat: include_str!("../kernels/dispatch.wat"),
        size: 500_000,
    },
    Kernel {
        name: "simd",
        wat: include_str!("../kernels/simd.wat"),
        size: 65_536,
    },
];

/// A weft-interp instance of a kernel, ready to call.
struct Weft {
    store: weft_interp::Store,
    run: weft_interp::Func,
}

impl Weft {
    /// Reads the text with weft-wat and instantiates it on a fresh store.
    fn new(wat: &str) -> Weft {
        let ast = weft_wat::parse_module(wat).expect("weft-wat reads the kernel");
        let module = weft_interp::Module::new(ast).expect("weft-interp accepts the kernel");
        let mut store = weft_interp::Store::new();
        let instance = weft_interp::Linker::new()
            .instantiate(&mut store, &module)
            .expect("weft-interp instantiates the kernel");
        let run = store
            .export_func(instance, "run")
            .expect("`run` is exported");
        Weft { store, run }
    }

    fn run(&mut self, size: i32) -> i64 {
        match self.store.call(self.run, &[weft_interp::Value::I32(size)]) {
            Ok(results) => match results.as_slice() {
                [weft_interp::Value::I64(sum)] => *sum,
                other => panic!("weft: `run` returned {other:?}"),
            },
            Err(e) => panic!("weft: `run` failed: {e}"),
        }
    }
}

/// A wasmi instance of a kernel (from wat's binary, so the peer does not
/// depend on weft's text reader), ready to call.
struct Wasmi {
    store: wasmi::Store<()>,
    run: wasmi::TypedFunc<i32, i64>,
}

impl Wasmi {
    fn new(wat: &str) -> Wasmi {
        let bytes = wat::parse_str(wat).expect("wat reads the kernel");
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, &bytes).expect("wasmi accepts the kernel");
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi instantiates the kernel");
        let run = instance
            .get_typed_func::<i32, i64>(&store, "run")
            .expect("`run: [i32] -> [i64]` is exported");
        Wasmi { store, run }
    }

    fn run(&mut self, size: i32) -> i64 {
        self.run
            .call(&mut self.store, size)
            .expect("wasmi: `run` failed")
    }
}

fn exec(c: &mut Criterion) {
    for kernel in KERNELS {
        let mut weft = Weft::new(kernel.wat);
        let mut wasmi = Wasmi::new(kernel.wat);
        // One checked call each: the engines must agree before timing.
        let start = std::time::Instant::now();
        let expected = wasmi.run(kernel.size);
        let wasmi_once = start.elapsed();
        let start = std::time::Instant::now();
        let got = weft.run(kernel.size);
        let weft_once = start.elapsed();
        assert_eq!(got, expected, "{}: weft and wasmi disagree", kernel.name);
        eprintln!(
            "{}({}) = {expected}; one call: weft {weft_once:?}, wasmi {wasmi_once:?}",
            kernel.name, kernel.size
        );

        let mut group = c.benchmark_group(format!("exec/{}", kernel.name));
        group.bench_function("weft", |b| b.iter(|| weft.run(black_box(kernel.size))));
        group.bench_function("wasmi", |b| b.iter(|| wasmi.run(black_box(kernel.size))));
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = exec
}
criterion_main!(benches);
