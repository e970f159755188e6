//! The committed per-file floors: how many checks of each file pass.
//!
//! The file is plain text, one `dir/file.wast<TAB>commands<TAB>binary` line
//! per script, sorted: how many of its commands pass through the whole
//! toolchain ([`crate::runner`]) and how many of its binary modules pass the
//! binary checks ([`crate::binary`]). A run fails when any file passes fewer
//! than recorded; improvements are recorded by re-running with
//! `WEFT_SPEC_BLESS=1`.

use std::collections::BTreeMap;
use std::fmt;

/// What passes in one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Floor {
    /// Script commands that pass.
    pub commands: u32,
    /// Binary-module checks that pass.
    pub binary: u32,
}

/// Floors by file key.
pub type Floors = BTreeMap<String, Floor>;

/// A malformed line of the expectations file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine(pub usize);

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expectations line {} is not `key<TAB>commands<TAB>binary`",
            self.0
        )
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
        let bad = || BadLine(n + 1);
        let mut fields = line.split('\t');
        let key = fields.next().ok_or_else(bad)?;
        let mut number = || -> Result<u32, BadLine> {
            fields
                .next()
                .ok_or_else(bad)?
                .trim()
                .parse()
                .map_err(|_| bad())
        };
        let floor = Floor {
            commands: number()?,
            binary: number()?,
        };
        floors.insert(key.to_string(), floor);
    }
    Ok(floors)
}

/// Renders floors as the expectations file.
pub fn render(floors: &Floors) -> String {
    let mut out = String::from("# file\tcommands passing\tbinary checks passing\n");
    for (key, floor) in floors {
        out.push_str(&format!("{key}\t{}\t{}\n", floor.commands, floor.binary));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut floors = Floors::new();
        let floor = Floor {
            commands: 7,
            binary: 3,
        };
        floors.insert("wasm-v1/a.wast".into(), floor);
        floors.insert("proposals/gc/b.wast".into(), Floor::default());
        assert_eq!(parse(&render(&floors)).unwrap(), floors);
        assert_eq!(parse("x\t3\n"), Err(BadLine(1)));
        assert_eq!(parse("x\t3\ty\n"), Err(BadLine(1)));
    }
}
