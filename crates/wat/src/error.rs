//! `Error`: what went wrong in a text, and where.

use std::fmt;

/// The longest message kept, in bytes.
const MAX_MESSAGE: usize = 200;

/// A text-format error: its byte offset in the source, the line and column
/// derived from it, and a message that contains the phrase the spec
/// testsuite expects (`unexpected token`, `unknown operator`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    offset: usize,
    line: u32,
    col: u32,
    message: String,
}

impl Error {
    /// An error at byte `offset` of `source`.
    pub(crate) fn at(source: &str, offset: usize, message: impl Into<String>) -> Error {
        let offset = offset.min(source.len());
        let (line, col) = line_col(source, offset);
        let mut message = message.into();
        // Messages quote tokens, and a token may be megabytes long: the
        // phrase comes first, so cutting the tail keeps what matters.
        if message.len() > MAX_MESSAGE {
            let mut end = MAX_MESSAGE;
            while !message.is_char_boundary(end) {
                end -= 1;
            }
            message.truncate(end);
            message.push_str("...");
        }
        Error {
            offset,
            line,
            col,
            message,
        }
    }

    /// An error at byte `offset` of `source` (line and column in
    /// characters computed from it), for findings about a text made after
    /// parsing it: see [`crate::SourceMap`].
    pub fn new(source: &str, offset: usize, message: impl Into<String>) -> Error {
        Error::at(source, offset, message)
    }

    /// Adds detail at the end of the message.
    pub(crate) fn append(&mut self, detail: &str) {
        self.message.push_str(detail);
    }

    /// Byte offset of the error in the source text.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line of the error.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column (in characters) of the error.
    pub fn col(&self) -> u32 {
        self.col
    }

    /// What went wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `file:line:col: message`, then the source line and a caret under the
    /// column. `source` must be the text the error came from.
    ///
    /// A long line is shown as a window of at most 80 characters around
    /// the column, with `...` where it is cut, so that a huge
    /// one-line file does not end up whole on the terminal; the line and
    /// column in the heading are the real ones. Control characters other
    /// than tabs are shown as `\u{fffd}` (one column each), tabs are kept
    /// under the caret so that it lines up.
    pub fn render(&self, file_name: &str, source: &str) -> String {
        format!(
            "{file_name}:{}:{}: {}\n{}",
            self.line,
            self.col,
            self.message,
            snippet(source, self.offset)
        )
    }
}

/// Most characters of a source line shown under an error.
pub(crate) const WINDOW: usize = 80;

/// The source line holding byte `offset` (a window of it when long), and a
/// caret under the offset's character on the next line.
pub(crate) fn snippet(source: &str, offset: usize) -> String {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[start..end]
        .strip_suffix('\r')
        .unwrap_or(&source[start..end]);
    // Characters before the caret and in the whole line; the window is
    // placed so that the caret sits near its middle, or as far along as
    // the line allows.
    let col = source[start..offset.min(start + line.len())]
        .chars()
        .count();
    let len = col + line[(offset - start).min(line.len())..].chars().count();
    let (first, last) = if len <= WINDOW {
        (0, len)
    } else {
        let first = col.saturating_sub(WINDOW / 2).min(len - WINDOW);
        (first, first + WINDOW)
    };
    let mut out = String::with_capacity(2 * (WINDOW + 8));
    let mut pad = String::with_capacity(WINDOW + 8);
    if first > 0 {
        out.push_str("...");
        pad.push_str("   ");
    }
    for (i, c) in line.chars().enumerate().skip(first).take(last - first) {
        let shown = match c {
            '\t' => '\t',
            c if c.is_control() => '\u{fffd}',
            c => c,
        };
        out.push(shown);
        if i < col {
            pad.push(if c == '\t' { '\t' } else { ' ' });
        }
    }
    if last < len {
        out.push_str("...");
    }
    out.push('\n');
    out.push_str(&pad);
    out.push('^');
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(source: &str, offset: usize) -> (u32, u32) {
    // The offset may fall inside a multi-byte character of a broken text;
    // back off to a character boundary so that slicing cannot panic.
    let mut offset = offset;
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line as u32, col as u32)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_render() {
        let src = "(module\n  (func oops))";
        let e = Error::at(src, 16, "unexpected token");
        assert_eq!((e.line(), e.col()), (2, 9));
        assert_eq!(e.to_string(), "2:9: unexpected token");
        assert_eq!(
            e.render("a.wat", src),
            "a.wat:2:9: unexpected token\n  (func oops))\n        ^"
        );
    }

    #[test]
    fn long_lines_are_shown_as_a_window_around_the_column() {
        // Two hundred columns; the error at column 121 (byte 120).
        let line: String = (0..200)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let src = format!("first\n{line}\nlast");
        let e = Error::at(&src, 6 + 120, "boom");
        assert_eq!((e.line(), e.col()), (2, 121));
        let r = e.render("a.wat", &src);
        let mut lines = r.lines();
        assert_eq!(lines.next(), Some("a.wat:2:121: boom"));
        let shown = lines.next().unwrap();
        let caret = lines.next().unwrap();
        assert_eq!(shown, format!("...{}...", &line[80..160]));
        // The caret sits under the error's character.
        assert_eq!(caret.len(), 3 + 40 + 1);
        assert_eq!(shown.as_bytes()[caret.len() - 1], line.as_bytes()[120]);
        // Near either end, the window stops at the end of the line.
        let r = Error::at(&src, 6 + 2, "x").render("a", &src);
        assert!(r.ends_with(&format!("\n{}...\n  ^", &line[..80])), "{r}");
        let r = Error::at(&src, 6 + 199, "x").render("a", &src);
        let tail = format!("\n...{}\n{}^", &line[120..], " ".repeat(3 + 79));
        assert!(r.ends_with(&tail), "{r}");
        // A short line is shown whole.
        let r = Error::at(&src, 1, "x").render("a", &src);
        assert!(r.ends_with("\nfirst\n ^"), "{r}");
    }

    #[test]
    fn the_window_counts_characters_and_keeps_tabs() {
        // Multi-byte characters are one column each; a tab stays a tab
        // under the caret; control characters are not sent raw.
        let line = format!("\t{}\u{7}x{}", "\u{e9}".repeat(100), "\u{e9}".repeat(100));
        let at = line.find('x').unwrap();
        let e = Error::at(&line, at, "here");
        assert_eq!(e.col(), 103);
        let r = e.render("f", &line);
        let shown = r.lines().nth(1).unwrap();
        let caret = r.lines().nth(2).unwrap();
        assert_eq!(shown.chars().count(), 3 + 80 + 3);
        assert!(!shown.contains('\u{7}') && shown.contains('\u{fffd}'));
        let col = caret.chars().count() - 1;
        assert_eq!(shown.chars().nth(col), Some('x'));
        let short = "\tab x";
        let r = Error::at(short, 4, "y").render("f", short);
        assert!(r.ends_with("\tab x\n\t   ^"), "{r}");
    }

    #[test]
    fn long_messages_are_cut() {
        let long = format!("unknown operator {}", "\u{e9}".repeat(1000));
        let e = Error::at("x", 0, long);
        assert!(e.message().starts_with("unknown operator \u{e9}"));
        assert!(e.message().ends_with("\u{e9}..."));
        assert!(e.message().len() <= MAX_MESSAGE + 3);
    }

    #[test]
    fn offset_inside_a_character_is_safe() {
        let src = "é";
        let e = Error::at(src, 1, "x");
        assert_eq!((e.line(), e.col()), (1, 1));
    }
}
