//! Interleaved A/B timing of bytes-to-verdict validation: weft's
//! `check_bytes` and wasmparser's `validate_all` take turns on each corpus
//! file, so both see the same machine load; prints the medians and their
//! ratio. Less sensitive to a shared machine's noise than two criterion
//! runs one after the other.
//!
//! `cargo run --release --example validate_ratio [-- ROUNDS [FILTER [ONLY]]]`
//! where ONLY (`check`, `keep` or `peer`) runs just that side, for a
//! profiler.

use std::hint::black_box;
use std::time::{Duration, Instant};
use weft_ast::Features;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let filter = args.next().unwrap_or_default();
    let only = args.next().unwrap_or_default();
    let runs = |side: &str| only.is_empty() || only == side;
    println!(
        "{:<45} {:>11} {:>11} {:>11} {:>7} {:>7}",
        "file", "check ms", "keep ms", "wasmparser", "check", "keep"
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
        let (mut check, mut keep, mut peer) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            if runs("check") {
                black_box(weft_validator::check_bytes(black_box(&bytes), Features::default()).ok());
            }
            check.push(t.elapsed());
            let t = Instant::now();
            if runs("keep") {
                black_box(
                    weft_validator::validate_bytes(black_box(&bytes), Features::default()).ok(),
                );
            }
            keep.push(t.elapsed());
            let t = Instant::now();
            if runs("peer") {
                black_box(wasmparser::Validator::new().validate_all(black_box(&bytes)).ok());
            }
            peer.push(t.elapsed());
        }
        let (c, k, p) = (median(check), median(keep), median(peer));
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<45} {:>11.2} {:>11.2} {:>11.2} {:>7.3} {:>7.3}",
            name,
            ms(c),
            ms(k),
            ms(p),
            ms(c) / ms(p),
            ms(k) / ms(p)
        );
    }
}
