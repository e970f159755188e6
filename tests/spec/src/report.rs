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
            let pct = share(p, x);
            writeln!(f, "{name:<46} {p:>8} {x:>8} {s:>8} {pct:>6}%")
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

/// The passed share of `passed + failed` in percent, with one decimal, or
/// as many more as it takes for a share that is not 100% (or 0%) not to
/// read as one: one failure in 143,340 commands is `99.999`, not `100.0`.
fn share(passed: u32, failed: u32) -> String {
    let total = passed + failed;
    if total == 0 {
        return "100.0".into();
    }
    let pct = 100.0 * f64::from(passed) / f64::from(total);
    let mut text = String::new();
    for decimals in 1..=9 {
        text = format!("{pct:.decimals$}");
        let reads_whole = (failed > 0 && text.starts_with("100"))
            || (passed > 0 && text.trim_start_matches(['0', '.']).is_empty());
        if !reads_whole {
            break;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn a_share_is_never_rounded_to_all_or_nothing() {
        assert_eq!(share(1, 1), "50.0");
        assert_eq!(share(5, 0), "100.0");
        assert_eq!(share(0, 5), "0.0");
        assert_eq!(share(143_339, 1), "99.999");
        assert_eq!(share(1, 143_339), "0.001");
        assert_eq!(share(0, 0), "100.0");
    }
}
