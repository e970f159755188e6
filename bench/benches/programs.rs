//! The third-party programs of `shared/bench-wasm` (`execute/` and `wat/`)
//! under criterion: weft's interpreter and wasmi in every group, and, with
//! `WEFT_BENCH_ALL=1`, weft's JIT and wasmtime's Cranelift and Winch too.
//! Each engine runs a program once and must give the others' answer (and
//! pass the README's checks) before anything is timed.
//!
//! `cargo bench --bench programs [-- FILTER]`; needs the folder (see
//! `programs/mod.rs`): without it the bench says so and measures nothing.
//! For one-number ratios on a noisy machine, `examples/programs_ratio`
//! (interpreter) and `examples/jit_programs` (JIT) interleave the engines
//! call by call instead.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../programs/mod.rs"]
#[allow(dead_code)]
mod programs;
use programs::{Cranelift, Engine, PROGRAMS, Prepared, Val, Wasmi, Weft, WeftJit, Winch};

/// Runs `program` once on `E`, checks it and its answer against
/// `expected` (the first engine's), and times its `run` in `group`.
fn bench_engine<E: Engine>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    program: &programs::Program,
    dir: &std::path::Path,
    expected: &mut Option<Vec<Val>>,
) {
    let mut prepared = Prepared::<E>::new(program, dir);
    let got = prepared.run();
    match expected {
        Some(want) => assert_eq!(&got, want, "{}: {label} disagrees", program.name),
        None => *expected = Some(got),
    }
    prepared.check(program, dir);
    group.bench_function(label, |b| b.iter(|| black_box(prepared.run())));
}

fn programs(c: &mut Criterion) {
    let Some(dir) = programs::folder() else {
        return;
    };
    let all = std::env::var_os("WEFT_BENCH_ALL").is_some();
    for program in PROGRAMS {
        let mut group = c.benchmark_group(format!("programs/{}", program.name));
        let mut expected = None;
        bench_engine::<Weft>(&mut group, "weft", program, &dir, &mut expected);
        bench_engine::<Wasmi>(&mut group, "wasmi", program, &dir, &mut expected);
        if all {
            bench_engine::<WeftJit>(&mut group, "weft-jit", program, &dir, &mut expected);
            bench_engine::<Cranelift>(&mut group, "cranelift", program, &dir, &mut expected);
            bench_engine::<Winch>(&mut group, "winch", program, &dir, &mut expected);
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = programs
}
criterion_main!(benches);
