//! Interleaved A/B timing of the compute kernels: weft's interpreter and
//! wasmi take turns on each kernel, round after round, so both see the same
//! machine load; prints each side's median and fastest call and the ratios.
//! Less sensitive to a shared machine's noise than criterion's two
//! measurements one after the other.
//!
//! `cargo run --release --example exec_ratio [-- ROUNDS [FILTER [ONLY]]]`
//! where ONLY (`weft` or `wasmi`) runs just that side, for a profiler.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../kernels/engines.rs"]
mod engines;
use engines::{KERNELS, Wasmi, Weft};

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(21);
    let filter = args.next().unwrap_or_default();
    let only = args.next().unwrap_or_default();
    let runs = |side: &str| only.is_empty() || only == side;
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "kernel", "weft ms", "wasmi ms", "weft min", "wasmi min", "median", "min"
    );
    for kernel in KERNELS.iter().filter(|k| k.name.contains(&filter)) {
        let mut weft = Weft::new(kernel.wat);
        let mut wasmi = Wasmi::new(kernel.wat);
        if runs("weft") && runs("wasmi") {
            assert_eq!(
                weft.run(kernel.size),
                wasmi.run(kernel.size),
                "{}: weft and wasmi disagree",
                kernel.name
            );
        }
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            if runs("weft") {
                black_box(weft.run(black_box(kernel.size)));
            }
            ours.push(t.elapsed());
            let t = Instant::now();
            if runs("wasmi") {
                black_box(wasmi.run(black_box(kernel.size)));
            }
            theirs.push(t.elapsed());
        }
        ours.sort();
        theirs.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let (w, p) = (ms(ours[rounds / 2]), ms(theirs[rounds / 2]));
        let (wm, pm) = (ms(ours[0]), ms(theirs[0]));
        println!(
            "{:<10} {w:>9.3} {p:>9.3} {wm:>9.3} {pm:>9.3} {:>7.3} {:>7.3}",
            kernel.name,
            w / p,
            wm / pm
        );
    }
}
