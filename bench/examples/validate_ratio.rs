//! Interleaved A/B timing of bytes-to-verdict validation: weft's
//! `check_bytes` (serial and parallel), `validate_bytes` (which also keeps
//! the syntax tree) and wasmparser's `validate_all` take turns on each
//! corpus file, so both see the same machine load; prints the medians and their
//! ratio. Less sensitive to a shared machine's noise than two criterion
//! runs one after the other.
//!
//! The last column is the ratio of the fastest `check_bytes` round to the
//! fastest `validate_all` round: on a machine other jobs share, the
//! fastest rounds are the least disturbed.
//!
//! `cargo run --release --example validate_ratio [-- ROUNDS [FILTER [ONLY]]]`
//! where ONLY (`check`, `par`, `keep` or `peer`) runs just that side, for a
//! profiler.

use std::hint::black_box;
use std::time::{Duration, Instant};
use weft_ast::Features;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn fastest(v: &[Duration]) -> Duration {
    v.iter().copied().min().unwrap_or_default()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let filter = args.next().unwrap_or_default();
    let only = args.next().unwrap_or_default();
    let runs = |side: &str| only.is_empty() || only == side;
    println!(
        "{:<45} {:>9} {:>9} {:>9} {:>10} {:>6} {:>6} {:>6} {:>9}",
        "file", "check ms", "par ms", "keep ms", "wasmparser", "check", "par", "keep", "fastest"
    );
    for (name, bytes) in weft_bench::corpus() {
        if !name.contains(&filter) {
            continue;
        }
        if weft_validator::check_bytes(&bytes, Features::default()).is_err()
            || wasmparser::Validator::new().validate_all(&bytes).is_err()
        {
            println!("{name}: skipped (rejected by one side)");
            continue;
        }
        let (mut check, mut par, mut keep, mut peer) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            if runs("check") {
                black_box(weft_validator::check_bytes(black_box(&bytes), Features::default()).ok());
            }
            check.push(t.elapsed());
            let t = Instant::now();
            if runs("par") {
                black_box(
                    weft_validator::check_bytes_parallel(black_box(&bytes), Features::default())
                        .ok(),
                );
            }
            par.push(t.elapsed());
            let t = Instant::now();
            if runs("keep") {
                black_box(
                    weft_validator::validate_bytes(black_box(&bytes), Features::default()).ok(),
                );
            }
            keep.push(t.elapsed());
            let t = Instant::now();
            if runs("peer") {
                black_box(
                    wasmparser::Validator::new()
                        .validate_all(black_box(&bytes))
                        .ok(),
                );
            }
            peer.push(t.elapsed());
        }
        let fast = fastest(&check).as_secs_f64() / fastest(&peer).as_secs_f64();
        let (c, q, k, p) = (median(check), median(par), median(keep), median(peer));
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<45} {:>9.2} {:>9.2} {:>9.2} {:>10.2} {:>6.3} {:>6.3} {:>6.3} {:>9.3}",
            name,
            ms(c),
            ms(q),
            ms(k),
            ms(p),
            ms(c) / ms(p),
            ms(q) / ms(p),
            ms(k) / ms(p),
            fast
        );
    }
}
