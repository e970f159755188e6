//! `Stats`: how often each row of the instruction table appears in a set
//! of modules (function bodies and constant expressions alike), for
//! `weft smith --stats` and the coverage test.

use std::fmt;

use weft_ast::{Features, Module};

use crate::instrs::{ROW_COUNT, ROWS, Row, row_of};

/// Instruction-row counts over the modules added.
#[derive(Clone, Debug)]
pub struct Stats {
    counts: Vec<u64>,
    modules: u64,
    bytes: u64,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            counts: vec![0; ROW_COUNT],
            modules: 0,
            bytes: 0,
        }
    }
}

impl Stats {
    /// No modules yet.
    pub fn new() -> Stats {
        Stats::default()
    }

    /// Counts one module's instructions; `encoded_len` is its binary size.
    pub fn add(&mut self, m: &Module, encoded_len: usize) {
        for i in &m.code {
            self.counts[row_of(i)] += 1;
        }
        self.modules += 1;
        self.bytes += encoded_len as u64;
    }

    /// How many times row `row` appeared.
    pub fn count(&self, row: usize) -> u64 {
        self.counts[row]
    }

    /// Modules counted.
    pub fn modules(&self) -> u64 {
        self.modules
    }

    /// Mean binary size of the modules counted.
    pub fn mean_size(&self) -> f64 {
        if self.modules == 0 {
            0.0
        } else {
            self.bytes as f64 / self.modules as f64
        }
    }

    /// The rows of `features` that never appeared, with their indices.
    pub fn missing(&self, features: Features) -> Vec<(usize, &'static Row)> {
        ROWS.iter()
            .enumerate()
            .filter(|(i, r)| features.contains(r.feature) && self.counts[*i] == 0)
            .collect()
    }

    /// Rows of `features` that appeared, and rows of `features`.
    pub fn coverage(&self, features: Features) -> (usize, usize) {
        let total = ROWS.iter().filter(|r| features.contains(r.feature)).count();
        (total - self.missing(features).len(), total)
    }
}

impl fmt::Display for Stats {
    /// Every row with its count, then the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, row) in ROWS.iter().enumerate() {
            writeln!(f, "{:>10}  {} ({})", self.counts[i], row.name, row.variant)?;
        }
        let (seen, total) = self.coverage(Features::ALL);
        writeln!(
            f,
            "{} modules, mean size {:.0} bytes; {seen} of {total} rows appeared",
            self.modules,
            self.mean_size()
        )
    }
}
