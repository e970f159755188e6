//! The most frequent instructions of each corpus file, with their share:
//! what a fast path in the decoder or validator should cover first.
//!
//! `cargo run --release --example instr_mix [-- FILTER [TOP]]`

use std::collections::HashMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let filter = args.next().unwrap_or_default();
    let top: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(25);
    for (name, bytes) in weft_bench::corpus() {
        if !name.contains(&filter) {
            continue;
        }
        let Ok(module) = weft_parser::parse(&bytes) else {
            println!("{name}: does not parse");
            continue;
        };
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for i in &module.code {
            *counts.entry(i.name()).or_default() += 1;
        }
        let total = module.code.len().max(1);
        let mut rows: Vec<_> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        println!("{name}: {total} instructions");
        for (op, n) in rows.into_iter().take(top) {
            println!(
                "  {op:<24} {n:>9} {:>6.2}%",
                n as f64 * 100.0 / total as f64
            );
        }
    }
}
