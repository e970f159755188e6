//! Executing compute kernels: weft's interpreter against wasmi, in the same
//! run. Each kernel of `kernels/` exports `run(size: i32) -> i64` returning a
//! checksum; both engines must agree on it before anything is measured, so a
//! fast wrong answer never shows up as a win.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../kernels/engines.rs"]
mod engines;
use engines::{KERNELS, Wasmi, Weft};

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
