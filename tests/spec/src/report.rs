//! The per-directory table that `weft spec` and the testsuite test print.

use std::collections::BTreeMap;
use std::fmt;

use crate::runner::Outcome;

/// Command counts by testsuite directory, and the skipped commands by
/// keyword.
#[derive(Clone, Debug, Default)]
pub struct Table {
    rows: BTreeMap<String, [u32; 3]>,
    skipped: BTreeMap<String, u32>,
}

impl Table {
    /// Adds one script's outcome to its directory's row.
    pub fn add(&mut self, dir: &str, outcome: &Outcome) {
        let row = self.rows.entry(dir.to_string()).or_default();
        row[0] += outcome.passed;
        row[1] += outcome.failed();
        row[2] += outcome.skipped;
        for (_, name) in &outcome.skips {
            *self.skipped.entry(name.clone()).or_default() += 1;
        }
    }

    /// Totals over every directory: passed, failed, skipped.
    pub fn totals(&self) -> [u32; 3] {
        self.rows.values().fold([0; 3], |mut sum, row| {
            for (s, r) in sum.iter_mut().zip(row) {
                *s += r;
            }
            sum
        })
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<46} {:>8} {:>8} {:>8} {:>7}",
            "directory", "passed", "failed", "skipped", "%"
        )?;
        let line = |f: &mut fmt::Formatter<'_>, name: &str, [p, x, s]: [u32; 3]| {
            let pct = if p + x == 0 {
                100.0
            } else {
                100.0 * f64::from(p) / f64::from(p + x)
            };
            writeln!(f, "{name:<46} {p:>8} {x:>8} {s:>8} {pct:>6.1}%")
        };
        for (dir, row) in &self.rows {
            line(f, dir, *row)?;
        }
        line(f, "total", self.totals())?;
        if !self.skipped.is_empty() {
            let names: Vec<String> = self
                .skipped
                .iter()
                .map(|(name, n)| format!("{name} ({n})"))
                .collect();
            writeln!(f, "skipped commands: {}", names.join(", "))?;
        }
        Ok(())
    }
}
