//! weft's JIT against weft's interpreter, wasmi and wasmtime (Cranelift
//! and Winch) on the third-party programs of `shared/bench-wasm`
//! (`execute/` and `wat/`, protocol in its README; the programs and
//! engines of `programs/`), the engines taking turns call by call so that
//! all see the same machine load: each one's median per program, the
//! JIT's ratios, and their geometric means.
//!
//! `cargo run --profile bench --example jit_programs [-- ROUNDS [FILTER]]`
//! (`WEFT_BENCH_WASM` names the folder; default `../../shared/bench-wasm`;
//! `WEFT_MEMORY_MODE=guard` runs the JIT with guard-page memories, where
//! its loads and stores of memory 0 check no bounds).

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../programs/mod.rs"]
mod programs;
use programs::{Cranelift, Engine, PROGRAMS, Prepared, Wasmi, Wasmtime, Weft, WeftJit, Winch};

/// Times one call of `run`.
fn time<E: Engine>(p: &mut Prepared<E>, into: &mut Vec<Duration>) {
    let t = Instant::now();
    black_box(p.run());
    into.push(t.elapsed());
}

fn main() {
    let Some(dir) = programs::folder() else {
        return;
    };
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let filter = args.next().unwrap_or_default();
    println!(
        "weft's JIT with {} memories",
        programs::memory_mode().name()
    );
    println!(
        "{:<19} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7}  compiled",
        "program",
        "jit ms",
        "int ms",
        "wasmi ms",
        "clift ms",
        "winch ms",
        "j/int",
        "j/wasmi",
        "j/clift",
        "j/winch"
    );
    // ln of the JIT's time over each peer's: interpreter, wasmi,
    // Cranelift, Winch.
    let mut logs: [Vec<f64>; 4] = Default::default();
    let mut slower_than_winch = Vec::new();
    for program in PROGRAMS.iter().filter(|p| p.name.contains(&filter)) {
        let mut jit = Prepared::<WeftJit>::new(program, &dir);
        let mut int = Prepared::<Weft>::new(program, &dir);
        let mut wasmi = Prepared::<Wasmi>::new(program, &dir);
        let mut clift = Prepared::<Cranelift>::new(program, &dir);
        // Winch refuses some programs (tail calls): its column is then
        // empty and its geomean leaves the program out.
        let mut winch = Wasmtime::compiles(&program.binary(&dir), true)
            .then(|| Prepared::<Winch>::new(program, &dir));
        let stats = jit.engine.0.module.jit_stats().cloned().unwrap_or_default();
        // All run once and must agree (and pass the README's checks)
        // before anything is timed.
        let mut first = vec![jit.run(), int.run(), wasmi.run(), clift.run()];
        first.extend(winch.as_mut().map(|w| w.run()));
        assert!(
            first.iter().all(|r| *r == first[0]),
            "{}: engines disagree: {first:?}",
            program.name
        );
        jit.check(program, &dir);
        int.check(program, &dir);
        wasmi.check(program, &dir);
        clift.check(program, &dir);
        if let Some(w) = winch.as_mut() {
            w.check(program, &dir);
        }
        let mut times: [Vec<Duration>; 5] = Default::default();
        for _ in 0..rounds {
            time(&mut jit, &mut times[0]);
            time(&mut int, &mut times[1]);
            time(&mut wasmi, &mut times[2]);
            time(&mut clift, &mut times[3]);
            if let Some(w) = winch.as_mut() {
                time(w, &mut times[4]);
            }
        }
        let [j, i, w, c, wi] = times.map(|mut t| median(&mut t));
        for (log, peer) in logs.iter_mut().zip([i, w, c, wi]) {
            if peer.is_finite() {
                log.push((j / peer).ln());
            }
        }
        if j > 1.1 * wi {
            slower_than_winch.push(program.name);
        }
        println!(
            "{:<19} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7.3} {:>7.3} {:>7.3} {:>7.3}  {}/{}",
            program.name,
            j * 1e3,
            i * 1e3,
            w * 1e3,
            c * 1e3,
            wi * 1e3,
            j / i,
            j / w,
            j / c,
            j / wi,
            stats.compiled,
            stats.functions
        );
    }
    let geo = |v: &[f64]| (v.iter().sum::<f64>() / v.len().max(1) as f64).exp();
    println!(
        "geomean over {} programs: jit/interp {:.3}, jit/wasmi {:.3}, jit/cranelift {:.3}, \
         jit/winch {:.3} (over the {} Winch compiles)",
        logs[0].len(),
        geo(&logs[0]),
        geo(&logs[1]),
        geo(&logs[2]),
        geo(&logs[3]),
        logs[3].len()
    );
    println!("slower than Winch by more than 10%: {slower_than_winch:?}");
}

/// The median in seconds (NaN for no times: an engine that refused the
/// program).
fn median(v: &mut [Duration]) -> f64 {
    v.sort();
    v.get(v.len() / 2).map_or(f64::NAN, Duration::as_secs_f64)
}
