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
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let text = source
            .lines()
            .nth(self.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let caret_pad: String = text
            .chars()
            .take(self.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "{file_name}:{}:{}: {}\n{text}\n{caret_pad}^",
            self.line, self.col, self.message
        )
    }
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
