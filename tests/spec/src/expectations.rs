//! The committed expectations of the testsuite run, exact: per file, how
//! many checks pass and which fail (line, kind, why).
//!
//! The file is plain text, sorted by file. Each testsuite file has one
//! `dir/file.wast<TAB>commands<TAB>binary` line: how many of its commands
//! pass through the whole toolchain ([`crate::runner`]) and how many of its
//! binary modules pass the binary checks ([`crate::binary`]). Each failing
//! check follows its file's line as `dir/file.wast:LINE<TAB>KIND<TAB>WHY`,
//! `KIND` being `command` or `binary` and `WHY` the runner's message on one
//! line. `#` starts a comment line.
//!
//! The expectation is exact rather than a floor: [`compare`] reports every
//! difference in either direction (a file added or gone, a count up or
//! down, a failure new, gone or failing differently), so that one new
//! failure cannot hide behind one new pass in the same file, and an
//! improvement is recorded when it happens instead of leaving slack for a
//! later regression. [`Diff::regressions`] are the differences that make
//! the recorded state worse; recording those takes an explicit request
//! (`WEFT_SPEC_BLESS=regress`, see `tests/testsuite.rs`).

use std::collections::BTreeMap;
use std::fmt;

/// Which check of a file failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A script command through the whole toolchain.
    Command,
    /// A binary module's decode/re-encode or `assert_malformed` check.
    Binary,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Binary => "binary",
        }
    }
}

/// One failing check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Failure {
    /// The script line of the command or module.
    pub line: u32,
    /// Which check.
    pub kind: Kind,
    /// What went wrong, on one line (see [`one_line`]).
    pub why: String,
}

/// What one file does: its passing counts and its failures, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileState {
    /// Script commands that pass.
    pub commands: u32,
    /// Binary-module checks that pass.
    pub binary: u32,
    /// Every failing check, sorted by line, kind and reason.
    pub failures: Vec<Failure>,
}

impl FileState {
    /// The state of a file from its runs: passing counts, and the failures
    /// of the command run and of the binary checks (reasons made one line,
    /// then sorted).
    pub fn new(
        commands: u32,
        binary: u32,
        command_failures: &[(u32, String)],
        binary_failures: &[(u32, String)],
    ) -> FileState {
        let tagged = |kind, list: &[(u32, String)]| {
            list.iter()
                .map(move |(line, why)| Failure {
                    line: *line,
                    kind,
                    why: one_line(why),
                })
                .collect::<Vec<_>>()
        };
        let mut failures = tagged(Kind::Command, command_failures);
        failures.extend(tagged(Kind::Binary, binary_failures));
        failures.sort();
        FileState {
            commands,
            binary,
            failures,
        }
    }
}

/// Expectations by file key (`dir/file.wast`).
pub type Expectations = BTreeMap<String, FileState>;

/// A message on one line, as the file stores it: runs of whitespace
/// (newlines and tabs included) become one space.
pub fn one_line(why: &str) -> String {
    why.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of the expectations file that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Its 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub what: &'static str,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expectations line {}: {}", self.line, self.what)
    }
}

impl std::error::Error for BadLine {}

/// Splits `dir/file.wast:LINE` into the key and the line; `None` for a
/// plain key.
fn split_line(field: &str) -> Option<(&str, &str)> {
    let (key, line) = field.rsplit_once(':')?;
    (!line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())).then_some((key, line))
}

/// Parses the expectations file.
pub fn parse(text: &str) -> Result<Expectations, BadLine> {
    let mut files = Expectations::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what| BadLine { line: n + 1, what };
        let fields: Vec<&str> = line.splitn(3, '\t').collect();
        let first = fields[0];
        if let Some((key, at)) = split_line(first) {
            let [_, kind, why] = fields[..] else {
                return Err(bad("a failure is `file:LINE<TAB>command|binary<TAB>why`"));
            };
            let kind = match kind {
                "command" => Kind::Command,
                "binary" => Kind::Binary,
                _ => return Err(bad("a failure's kind is `command` or `binary`")),
            };
            let line = at.parse().map_err(|_| bad("line number out of range"))?;
            let state = files
                .get_mut(key)
                .ok_or_else(|| bad("a failure comes after its file's counts line"))?;
            state.failures.push(Failure {
                line,
                kind,
                why: why.to_string(),
            });
        } else {
            let [key, commands, binary] = fields[..] else {
                return Err(bad("a file is `file<TAB>commands<TAB>binary`"));
            };
            let number = |s: &str| s.trim().parse().map_err(|_| bad("a count is a number"));
            let state = FileState {
                commands: number(commands)?,
                binary: number(binary)?,
                failures: Vec::new(),
            };
            if files.insert(key.to_string(), state).is_some() {
                return Err(bad("the file is listed twice"));
            }
        }
    }
    for state in files.values_mut() {
        state.failures.sort();
    }
    Ok(files)
}

/// Renders expectations as the file.
pub fn render(files: &Expectations) -> String {
    let mut out = String::from(
        "# The spec testsuite's outcome, exactly (tests/testsuite.rs fails on any difference).\n\
         # file<TAB>commands passing<TAB>binary checks passing, then each failing check:\n\
         # file:line<TAB>command|binary<TAB>why\n\
         # Record a change with WEFT_SPEC_BLESS=1 (refuses regressions; see README.md).\n",
    );
    for (key, state) in files {
        out.push_str(&format!("{key}\t{}\t{}\n", state.commands, state.binary));
        for f in &state.failures {
            out.push_str(&format!("{key}:{}\t{}\t{}\n", f.line, f.kind.name(), f.why));
        }
    }
    out
}

/// The differences between the recorded expectations and a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// What got worse: a recorded file that no longer runs, fewer checks
    /// passing, a failure that is not recorded.
    pub regressions: Vec<String>,
    /// Every other difference: a new file, more checks passing, a recorded
    /// failure that now passes or fails for another reason.
    pub changes: Vec<String>,
}

impl Diff {
    /// Whether the run is exactly what is recorded.
    pub fn is_empty(&self) -> bool {
        self.regressions.is_empty() && self.changes.is_empty()
    }
}

/// Every difference between `recorded` and `now`, file by file.
pub fn compare(recorded: &Expectations, now: &Expectations) -> Diff {
    let mut diff = Diff::default();
    for (key, was) in recorded {
        if !now.contains_key(key) {
            diff.regressions.push(format!(
                "{key}: recorded ({} commands, {} binary checks pass) but no longer run",
                was.commands, was.binary
            ));
        }
    }
    for (key, is) in now {
        let Some(was) = recorded.get(key) else {
            diff.changes.push(format!(
                "{key}: new file ({} commands, {} binary checks pass, {} failures)",
                is.commands,
                is.binary,
                is.failures.len()
            ));
            continue;
        };
        for (what, before, after) in [
            ("commands", was.commands, is.commands),
            ("binary checks", was.binary, is.binary),
        ] {
            let line = format!("{key}: {what} passing {before} -> {after}");
            if after < before {
                diff.regressions.push(line);
            } else if after > before {
                diff.changes.push(line);
            }
        }
        compare_failures(key, &was.failures, &is.failures, &mut diff);
    }
    diff
}

/// Failures are matched by line and kind; what is left on either side is
/// new or gone, and a pair whose reasons differ fails differently.
fn compare_failures(key: &str, was: &[Failure], is: &[Failure], diff: &mut Diff) {
    let mut recorded: BTreeMap<(u32, Kind), Vec<&str>> = BTreeMap::new();
    for f in was {
        recorded.entry((f.line, f.kind)).or_default().push(&f.why);
    }
    let mut current: BTreeMap<(u32, Kind), Vec<&str>> = BTreeMap::new();
    for f in is {
        current.entry((f.line, f.kind)).or_default().push(&f.why);
    }
    let empty = Vec::new();
    let places: std::collections::BTreeSet<_> = recorded.keys().chain(current.keys()).collect();
    for place @ (line, kind) in places {
        let before = recorded.get(place).unwrap_or(&empty);
        let after = current.get(place).unwrap_or(&empty);
        let kind = kind.name();
        // Reasons on both sides are the same failure; the others pair up
        // in order as changed reasons, and the rest are new or gone.
        let gone: Vec<&str> = before
            .iter()
            .filter(|w| !after.contains(w))
            .copied()
            .collect();
        let new: Vec<&str> = after
            .iter()
            .filter(|w| !before.contains(w))
            .copied()
            .collect();
        let paired = gone.len().min(new.len());
        for (old, now) in gone.iter().zip(&new) {
            diff.changes.push(format!(
                "{key}:{line}: {kind} fails differently: was `{old}`, now `{now}`"
            ));
        }
        for old in &gone[paired..] {
            diff.changes
                .push(format!("{key}:{line}: {kind} now passes (was `{old}`)"));
        }
        for now in &new[paired..] {
            diff.regressions
                .push(format!("{key}:{line}: {kind} now fails: {now}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(commands: u32, binary: u32, failures: &[(u32, &str)]) -> FileState {
        let list: Vec<(u32, String)> = failures.iter().map(|(l, w)| (*l, w.to_string())).collect();
        FileState::new(commands, binary, &list, &[])
    }

    fn sample() -> Expectations {
        let mut files = Expectations::new();
        files.insert(
            "wasm-v1/a.wast".into(),
            FileState::new(
                7,
                3,
                &[(12, "got [1],\texpected\n[2]".into())],
                &[(40, "does not decode: x".into())],
            ),
        );
        files.insert("proposals/gc/b.wast".into(), FileState::default());
        files
    }

    #[test]
    fn round_trips() {
        let files = sample();
        let text = render(&files);
        assert!(
            text.contains("wasm-v1/a.wast:12\tcommand\tgot [1], expected [2]\n"),
            "{text}"
        );
        assert!(text.contains("wasm-v1/a.wast:40\tbinary\tdoes not decode: x\n"));
        assert_eq!(parse(&text).unwrap(), files);
    }

    #[test]
    fn bad_lines_are_errors() {
        let line = |text: &str| parse(text).unwrap_err().line;
        assert_eq!(line("x\t3\n"), 1);
        assert_eq!(line("x\t3\ty\n"), 1);
        assert_eq!(line("x\t3\t4\nx\t3\t4\n"), 2);
        // A failure before (or without) its file's counts.
        assert_eq!(line("x:3\tcommand\twhy\n"), 1);
        assert_eq!(line("x\t1\t1\nx:3\tcheck\twhy\n"), 2);
        assert_eq!(line("x\t1\t1\nx:3\tcommand\n"), 2);
        assert_eq!(line("x\t1\t1\nx:99999999999\tcommand\twhy\n"), 2);
        // A key whose `:` is not followed by digits only is a file key.
        assert!(parse("a:b.wast\t1\t2\n").is_ok());
    }

    #[test]
    fn the_same_run_has_no_difference() {
        assert!(compare(&sample(), &sample()).is_empty());
    }

    #[test]
    fn a_file_gone_is_a_regression_and_a_new_file_a_change() {
        let mut now = sample();
        now.remove("proposals/gc/b.wast");
        let d = compare(&sample(), &now);
        assert_eq!(d.regressions.len(), 1, "{d:?}");
        assert!(d.regressions[0].contains("no longer run"), "{d:?}");
        assert!(d.changes.is_empty());

        let d = compare(&now, &sample());
        assert!(d.regressions.is_empty());
        assert_eq!(d.changes.len(), 1);
        assert!(d.changes[0].contains("new file"), "{d:?}");
    }

    #[test]
    fn counts_differ_in_either_direction() {
        let mut now = sample();
        now.get_mut("wasm-v1/a.wast").unwrap().commands = 6;
        let d = compare(&sample(), &now);
        assert_eq!(d.regressions, ["wasm-v1/a.wast: commands passing 7 -> 6"]);
        assert!(d.changes.is_empty());

        let mut now = sample();
        now.get_mut("wasm-v1/a.wast").unwrap().binary = 4;
        let d = compare(&sample(), &now);
        assert!(d.regressions.is_empty());
        assert_eq!(d.changes, ["wasm-v1/a.wast: binary checks passing 3 -> 4"]);
    }

    /// One new failure and one new pass in the same file, the counts
    /// unchanged: both are reported.
    #[test]
    fn a_new_failure_and_a_new_pass_do_not_cancel_out() {
        let was: Expectations = [("f.wast".to_string(), state(5, 0, &[(10, "a")]))].into();
        let now: Expectations = [("f.wast".to_string(), state(5, 0, &[(20, "b")]))].into();
        let d = compare(&was, &now);
        assert_eq!(d.regressions, ["f.wast:20: command now fails: b"]);
        assert_eq!(d.changes, ["f.wast:10: command now passes (was `a`)"]);
    }

    #[test]
    fn a_changed_reason_is_reported() {
        let was: Expectations = [("f.wast".to_string(), state(5, 0, &[(10, "a")]))].into();
        let now: Expectations = [("f.wast".to_string(), state(5, 0, &[(10, "b")]))].into();
        let d = compare(&was, &now);
        assert!(d.regressions.is_empty());
        assert_eq!(
            d.changes,
            ["f.wast:10: command fails differently: was `a`, now `b`"]
        );
        // A second failure on the same line is new, not a change.
        let now: Expectations =
            [("f.wast".to_string(), state(5, 0, &[(10, "a"), (10, "b")]))].into();
        let d = compare(&was, &now);
        assert_eq!(d.regressions, ["f.wast:10: command now fails: b"]);
        assert!(d.changes.is_empty());
    }
}
