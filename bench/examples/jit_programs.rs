//! weft's JIT against weft's interpreter and wasmi on the third-party
//! programs of `shared/bench-wasm` (`execute/` and `wat/`, protocol in its
//! README; the programs and engines of `programs/`), the engines taking
//! turns call by call so that all see the same machine load: each one's
//! median per program, the JIT's ratios, and their geometric means.
//!
//! `cargo run --profile bench --example jit_programs [-- ROUNDS [FILTER]]`
//! (`WEFT_BENCH_WASM` names the folder; default `../../shared/bench-wasm`).

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../programs/mod.rs"]
mod programs;
use programs::{PROGRAMS, Prepared, Wasmi, Weft, WeftJit};

fn main() {
    let Some(dir) = programs::folder() else {
        return;
    };
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let filter = args.next().unwrap_or_default();
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>8} {:>8}  jit: compiled/functions",
        "program", "jit ms", "interp ms", "wasmi ms", "jit/int", "jit/wasmi"
    );
    let (mut log_int, mut log_wasmi) = (Vec::new(), Vec::new());
    for program in PROGRAMS.iter().filter(|p| p.name.contains(&filter)) {
        let mut jit = Prepared::<WeftJit>::new(program, &dir);
        let mut int = Prepared::<Weft>::new(program, &dir);
        let mut wasmi = Prepared::<Wasmi>::new(program, &dir);
        let stats = jit.engine.0.module.jit_stats().cloned().unwrap_or_default();
        // All run once and must agree (and pass the README's checks)
        // before anything is timed.
        let first = [jit.run(), int.run(), wasmi.run()];
        assert!(
            first.iter().all(|r| *r == first[0]),
            "{}: engines disagree: {first:?}",
            program.name
        );
        jit.check(program, &dir);
        int.check(program, &dir);
        wasmi.check(program, &dir);
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..rounds {
            let t = Instant::now();
            black_box(jit.run());
            times[0].push(t.elapsed());
            let t = Instant::now();
            black_box(int.run());
            times[1].push(t.elapsed());
            let t = Instant::now();
            black_box(wasmi.run());
            times[2].push(t.elapsed());
        }
        let [j, i, w] = times.map(|mut t| median(&mut t).as_secs_f64());
        log_int.push((j / i).ln());
        log_wasmi.push((j / w).ln());
        println!(
            "{:<20} {:>9.2} {:>9.2} {:>9.2} {:>8.3} {:>8.3}  {}/{}",
            program.name,
            j * 1e3,
            i * 1e3,
            w * 1e3,
            j / i,
            j / w,
            stats.compiled,
            stats.functions
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

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
