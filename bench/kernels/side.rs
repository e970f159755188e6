//! The body of `exec_weft` and `exec_wasmi`: one engine alone in its
//! binary, so that where the linker puts the other engine's code cannot
//! move its time (in one binary holding both, a change to weft alone moved
//! wasmi's sort by a third). Prints, per kernel, the median and the fastest
//! of CALLS calls after one untimed call, as `name median_ms min_ms`.

use std::hint::black_box;
use std::time::Instant;

use crate::engines::KERNELS;

/// Runs the kernels whose names contain the second argument, `new` making
/// an engine's instance and `run` calling it.
pub fn main<E>(new: impl Fn(&str) -> E, run: impl Fn(&mut E, i32) -> i64) {
    let mut args = std::env::args().skip(1);
    let calls: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let filter = args.next().unwrap_or_default();
    for kernel in KERNELS.iter().filter(|k| k.name.contains(&filter)) {
        let mut engine = new(kernel.wat);
        black_box(run(&mut engine, kernel.size));
        let mut times: Vec<f64> = (0..calls)
            .map(|_| {
                let t = Instant::now();
                black_box(run(&mut engine, black_box(kernel.size)));
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("{} {} {}", kernel.name, times[calls / 2], times[0]);
    }
}
