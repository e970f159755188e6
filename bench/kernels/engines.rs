//! The compute kernels and the two engines that run them, shared by the
//! criterion bench (`benches/exec.rs`) and the interleaved timer
//! (`examples/exec_ratio.rs`). Each kernel exports `run(size: i32) -> i64`
//! returning a checksum.

/// A kernel: its name, its text and the size passed to `run`, chosen so one
/// call takes a few to a few tens of milliseconds.
pub struct Kernel {
    pub name: &'static str,
    pub wat: &'static str,
    pub size: i32,
}

pub const KERNELS: &[Kernel] = &[
    Kernel {
        name: "fib",
        wat: include_str!("fib.wat"),
        size: 27,
    },
    Kernel {
        name: "sieve",
        wat: include_str!("sieve.wat"),
        size: 300_000,
    },
    Kernel {
        name: "matmul",
        wat: include_str!("matmul.wat"),
        size: 64,
    },
    Kernel {
        name: "hash",
        wat: include_str!("hash.wat"),
        size: 500_000,
    },
    Kernel {
        name: "sort",
        wat: include_str!("sort.wat"),
        size: 40_000,
    },
    Kernel {
        name: "dispatch",
        wat: include_str!("dispatch.wat"),
        size: 500_000,
    },
    Kernel {
        name: "simd",
        wat: include_str!("simd.wat"),
        size: 65_536,
    },
];

/// A weft-interp instance of a kernel, ready to call.
pub struct Weft {
    store: weft_interp::Store,
    run: weft_interp::Func,
}

impl Weft {
    /// Reads the text with weft-wat and instantiates it on a fresh store.
    pub fn new(wat: &str) -> Weft {
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

    pub fn run(&mut self, size: i32) -> i64 {
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
pub struct Wasmi {
    store: wasmi::Store<()>,
    run: wasmi::TypedFunc<i32, i64>,
}

impl Wasmi {
    pub fn new(wat: &str) -> Wasmi {
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

    pub fn run(&mut self, size: i32) -> i64 {
        self.run
            .call(&mut self.store, size)
            .expect("wasmi: `run` failed")
    }
}
