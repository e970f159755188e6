//! The committed per-file floors: how many checks of each file pass.
//!
//! The file is plain text, one `dir/file.wast<TAB>passed` line per script,
//! sorted. A run fails when any file passes fewer checks than recorded;
//! improvements are recorded by re-running with `WEFT_SPEC_BLESS=1`.

use std::collections::BTreeMap;
use std::fmt;

/// Pass counts by file key.
pub type Floors = BTreeMap<String, u32>;

/// A malformed line of the expectations file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine(pub usize);

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expectations line {} is not `key<TAB>count`", self.0)
    }
}

impl std::error::Error for BadLine {}

/// Parses the expectations file.
pub fn parse(text: &str) -> Result<Floors, BadLine> {
    let mut floors = Floors::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, count) = line.split_once('\t').ok_or(BadLine(n + 1))?;
        let count = count.trim().parse().map_err(|_| BadLine(n + 1))?;
        floors.insert(key.to_string(), count);
    }
    Ok(floors)
}

/// Renders floors as the expectations file.
pub fn render(floors: &Floors) -> String {
    let mut out = String::from("# weft spec floors: passing checks per testsuite file\n");
    for (key, count) in floors {
        out.push_str(&format!("{key}\t{count}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut floors = Floors::new();
        floors.insert("wasm-v1/a.wast".into(), 3);
        floors.insert("proposals/gc/b.wast".into(), 0);
        assert_eq!(parse(&render(&floors)).unwrap(), floors);
        assert_eq!(parse("x 3\n"), Err(BadLine(1)));
    }
}
