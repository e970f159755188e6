//! The third-party programs of `shared/bench-wasm`, weft's interpreter and
//! wasmi taking turns call by call, so that both see the same machine load:
//! each side's median per program, the ratio, and the geometric mean of the
//! ratios (the interpreter target of issue 18 is at most 0.8).
//!
//! `cargo run --profile bench --example programs_ratio [-- ROUNDS [FILTER]]`

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../programs/mod.rs"]
mod programs;
use programs::{PROGRAMS, Prepared, Wasmi, Weft};

fn main() {
    let Some(dir) = programs::folder() else {
        return;
    };
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let filter = args.next().unwrap_or_default();
    println!(
        "{:<20} {:>10} {:>10} {:>7}",
        "program", "weft ms", "wasmi ms", "ratio"
    );
    let mut logs = Vec::new();
    for program in PROGRAMS.iter().filter(|p| p.name.contains(&filter)) {
        let mut weft = Prepared::<Weft>::new(program, &dir);
        let mut wasmi = Prepared::<Wasmi>::new(program, &dir);
        // Both run once and must agree (and pass the README's checks)
        // before anything is timed.
        let (a, b) = (weft.run(), wasmi.run());
        assert_eq!(a, b, "{}: weft and wasmi disagree", program.name);
        weft.check(program, &dir);
        wasmi.check(program, &dir);
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            black_box(weft.run());
            ours.push(t.elapsed());
            let t = Instant::now();
            black_box(wasmi.run());
            theirs.push(t.elapsed());
        }
        let (m, w) = (median(&mut ours), median(&mut theirs));
        let ratio = m.as_secs_f64() / w.as_secs_f64();
        logs.push(ratio.ln());
        println!(
            "{:<20} {:>10.2} {:>10.2} {:>7.2}",
            program.name,
            m.as_secs_f64() * 1e3,
            w.as_secs_f64() * 1e3,
            ratio
        );
    }
    if !logs.is_empty() {
        let geomean = (logs.iter().sum::<f64>() / logs.len() as f64).exp();
        println!(
            "geomean weft/wasmi: {geomean:.3} over {} programs",
            logs.len()
        );
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
