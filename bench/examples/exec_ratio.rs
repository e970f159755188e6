//! Interleaved A/B timing of the compute kernels: weft's interpreter and
//! wasmi take turns on each kernel, round after round, so both see the same
//! machine load; prints each side's median and fastest call and the ratios.
//! Less sensitive to a shared machine's noise than criterion's two
//! measurements one after the other.
//!
//! `cargo run --release --example exec_ratio [-- ROUNDS [FILTER [ONLY]]]`
//! where ONLY (`weft` or `wasmi`) runs just that side, for a profiler.
//!
//! `exec_ratio split [ROUNDS [FILTER]]` times each engine in a binary of its
//! own instead (`exec_weft` and `exec_wasmi`, built beside this one by
//! `cargo build --profile bench --examples`), the two taking turns process
//! by process: in one binary, where the linker puts one engine's code moves
//! the other's time (wasmi's sort by up to a third from one weft change to
//! the next), so that a ratio measured there mixes both.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../kernels/engines.rs"]
mod engines;
use engines::{KERNELS, Wasmi, Weft};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("split") {
        return split(std::env::args().skip(2));
    }
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

/// Calls per process in `split`: enough for a median, few enough that many
/// processes share out the machine's swings.
const CALLS_PER_PROCESS: &str = "5";

/// The `split` mode: ROUNDS rounds, each running `exec_weft` and
/// `exec_wasmi` once (in turn first), then per kernel the median over the
/// rounds of each process's median, the fastest call, and the ratios.
fn split(mut args: impl Iterator<Item = String>) {
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(11);
    let filter = args.next().unwrap_or_default();
    let dir = std::env::current_exe().expect("own path");
    let dir = dir.parent().expect("examples directory");
    let side = |name: &str| -> Vec<(String, f64, f64)> {
        let bin = dir.join(name);
        let out = std::process::Command::new(&bin)
            .args([CALLS_PER_PROCESS, &filter])
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (build it with `cargo build --profile bench --examples`)",
                    bin.display()
                )
            });
        assert!(out.status.success(), "{name} failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let ms = |i: usize| f[i].parse::<f64>().expect("a time in ms");
                (f[0].to_string(), ms(1), ms(2))
            })
            .collect()
    };
    // Per kernel: weft's and wasmi's process medians and fastest calls.
    let mut times: Vec<(String, [Vec<f64>; 2], [f64; 2])> = Vec::new();
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let name = ["exec_weft", "exec_wasmi"][which];
            for (k, (kernel, median, min)) in side(name).into_iter().enumerate() {
                if times.len() <= k {
                    times.push((kernel, [Vec::new(), Vec::new()], [f64::MAX; 2]));
                }
                times[k].1[which].push(median);
                times[k].2[which] = times[k].2[which].min(min);
            }
        }
    }
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "kernel", "weft ms", "wasmi ms", "weft min", "wasmi min", "median", "min"
    );
    for (kernel, mut medians, mins) in times {
        let mid = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (w, p) = (mid(&mut medians[0]), mid(&mut medians[1]));
        println!(
            "{kernel:<10} {w:>9.3} {p:>9.3} {:>9.3} {:>9.3} {:>7.3} {:>7.3}",
            mins[0],
            mins[1],
            w / p,
            mins[0] / mins[1]
        );
    }
}
