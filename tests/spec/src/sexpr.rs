//! A minimal S-expression reader for `.wast` scripts.
//!
//! It knows just enough of the text format to find the commands of a script
//! and the `(module binary "...")` forms inside them: parentheses, strings
//! (with every escape), atoms, `;;` line comments and nested `(; ;)` block
//! comments. Everything else stays an atom. The full script grammar lives in
//! `weft-wat`.

use std::fmt;
use std::ops::Range;

/// One S-expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SExpr {
    /// A parenthesized list, with the 1-based line of its `(` and its byte
    /// range in the script, parentheses included.
    List(Vec<SExpr>, u32, Range<usize>),
    /// A string literal, unescaped to raw bytes.
    Str(Vec<u8>),
    /// Any other token.
    Atom(String),
}

impl SExpr {
    /// The first atom of a list (`module`, `assert_malformed`, ...).
    pub fn head(&self) -> Option<&str> {
        match self {
            SExpr::List(items, ..) => match items.first() {
                Some(SExpr::Atom(a)) => Some(a),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items of a list (empty for other forms).
    pub fn items(&self) -> &[SExpr] {
        match self {
            SExpr::List(items, ..) => items,
            _ => &[],
        }
    }

    /// The line of a list, 0 for other forms.
    pub fn line(&self) -> u32 {
        match self {
            SExpr::List(_, line, _) => *line,
            _ => 0,
        }
    }

    /// The byte range of a list in its script (empty for other forms).
    pub fn span(&self) -> Range<usize> {
        match self {
            SExpr::List(_, _, span) => span.clone(),
            _ => 0..0,
        }
    }
}

/// Why a script could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line of the problem.
    pub line: u32,
    /// What went wrong.
    pub message: &'static str,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ReadError {}

/// Deepest nesting accepted; the testsuite stays far below it.
const MAX_DEPTH: usize = 4096;

/// Reads every top-level S-expression of a script.
pub fn read(text: &str) -> Result<Vec<SExpr>, ReadError> {
    Reader {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    }
    .read_all()
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> ReadError {
        ReadError {
            line: self.line,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    /// Reads the whole input with an explicit stack, so that deep nesting
    /// cannot overflow the host stack.
    fn read_all(mut self) -> Result<Vec<SExpr>, ReadError> {
        // Each open list: its items, line and starting byte.
        let mut stack: Vec<(Vec<SExpr>, u32, usize)> = vec![(Vec::new(), 0, 0)];
        loop {
            self.skip_space()?;
            let Some(b) = self.peek() else { break };
            match b {
                b'(' => {
                    let (line, start) = (self.line, self.pos);
                    self.bump();
                    // Dropping a tree recurses; bound its depth.
                    if stack.len() > MAX_DEPTH {
                        return Err(self.error("nesting too deep"));
                    }
                    stack.push((Vec::new(), line, start));
                }
                b')' => {
                    self.bump();
                    if stack.len() == 1 {
                        return Err(self.error("unbalanced `)`"));
                    }
                    let (items, line, start) = stack.pop().expect("stack holds the top level");
                    let parent = &mut stack.last_mut().expect("stack holds the top level").0;
                    parent.push(SExpr::List(items, line, start..self.pos));
                }
                b'"' => {
                    let s = self.string()?;
                    stack.last_mut().expect("top level").0.push(SExpr::Str(s));
                }
                _ => {
                    let start = self.pos;
                    // An atom runs to whitespace, a parenthesis, a string or
                    // a line comment; it always takes at least one byte.
                    self.bump();
                    while let Some(c) = self.peek() {
                        let comment = c == b';' && self.bytes.get(self.pos + 1) == Some(&b';');
                        if c.is_ascii_whitespace() || matches!(c, b'(' | b')' | b'"') || comment {
                            break;
                        }
                        self.bump();
                    }
                    let atom = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                    stack
                        .last_mut()
                        .expect("top level")
                        .0
                        .push(SExpr::Atom(atom));
                }
            }
        }
        if stack.len() != 1 {
            return Err(self.error("unclosed `(`"));
        }
        Ok(stack.pop().expect("top level").0)
    }

    fn skip_space(&mut self) -> Result<(), ReadError> {
        loop {
            match (self.peek(), self.bytes.get(self.pos + 1).copied()) {
                (Some(c), _) if c.is_ascii_whitespace() => {
                    self.bump();
                }
                (Some(b';'), Some(b';')) => {
                    while let Some(c) = self.bump() {
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                (Some(b'('), Some(b';')) => self.block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn block_comment(&mut self) -> Result<(), ReadError> {
        let mut depth = 0u32;
        loop {
            match (self.peek(), self.bytes.get(self.pos + 1).copied()) {
                (Some(b'('), Some(b';')) => {
                    self.pos += 2;
                    depth += 1;
                }
                (Some(b';'), Some(b')')) => {
                    self.pos += 2;
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                (Some(_), _) => {
                    self.bump();
                }
                (None, _) => return Err(self.error("unclosed block comment")),
            }
        }
    }

    fn string(&mut self) -> Result<Vec<u8>, ReadError> {
        self.bump();
        let mut out = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.error("unclosed string"));
            };
            match c {
                b'"' => return Ok(out),
                b'\\' => self.escape(&mut out)?,
                _ => out.push(c),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), ReadError> {
        let Some(c) = self.bump() else {
            return Err(self.error("unclosed string"));
        };
        match c {
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'"' | b'\'' | b'\\' => out.push(c),
            b'u' => {
                if self.bump() != Some(b'{') {
                    return Err(self.error("malformed unicode escape"));
                }
                let mut value = 0u32;
                loop {
                    match self.bump() {
                        Some(b'}') => break,
                        Some(b'_') => {}
                        Some(d) if d.is_ascii_hexdigit() => {
                            let digit = (d as char).to_digit(16).expect("hex digit");
                            value = value
                                .checked_mul(16)
                                .and_then(|v| v.checked_add(digit))
                                .ok_or_else(|| self.error("malformed unicode escape"))?;
                        }
                        _ => return Err(self.error("malformed unicode escape")),
                    }
                }
                let ch =
                    char::from_u32(value).ok_or_else(|| self.error("malformed unicode escape"))?;
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            hi if hi.is_ascii_hexdigit() => {
                let lo = self.bump().filter(u8::is_ascii_hexdigit);
                let lo = lo.ok_or_else(|| self.error("malformed escape"))?;
                let hex = |d: u8| (d as char).to_digit(16).expect("hex digit") as u8;
                out.push(hex(hi) * 16 + hex(lo));
            }
            _ => return Err(self.error("malformed escape")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_strings_and_comments() {
        let text = ";; comment\n(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n(; a (; nested ;) one ;)\n(assert_malformed (module quote \"x\\u{41}\") \"unknown\")";
        let exprs = read(text).unwrap();
        assert_eq!(exprs.len(), 2);
        assert_eq!(exprs[0].head(), Some("module"));
        assert_eq!(exprs[0].line(), 2);
        assert_eq!(exprs[0].items()[2], SExpr::Str(b"\0asm".to_vec()));
        assert_eq!(exprs[1].line(), 4);
        assert_eq!(exprs[1].items()[1].items()[2], SExpr::Str(b"xA".to_vec()));
    }

    #[test]
    fn rejects_broken_input() {
        assert!(read("(module").is_err());
        assert!(read(")").is_err());
        assert!(read("\"abc").is_err());
        assert!(read("(; open").is_err());
        assert_eq!(read("a;b ;").unwrap().len(), 2);
        assert!(read("\"\\u{110000}\"").is_err());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let ok = "(".repeat(1000) + &")".repeat(1000);
        assert_eq!(read(&ok).unwrap().len(), 1);
        let deep = "(".repeat(200_000) + &")".repeat(200_000);
        assert_eq!(read(&deep).unwrap_err().message, "nesting too deep");
    }
}
