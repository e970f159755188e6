//! `Cursor`: a position in a token vector, with the small reads every
//! grammar rule is built from (parentheses, keywords, ids, strings,
//! numbers).

use crate::error::Error;
use crate::lexer::{HintAnnot, Kind, NameAnnot, Token, unescape};
use crate::num::{self, NumError};
use std::borrow::Cow;

/// Result of every parsing step.
pub(crate) type PResult<T> = Result<T, Error>;

/// A position in the tokens of a source text.
#[derive(Clone)]
pub(crate) struct Cursor<'a> {
    /// The whole source (errors and token texts index it).
    pub src: &'a str,
    /// Its tokens.
    pub toks: &'a [Token],
    /// Index of the next token.
    pub pos: usize,
    /// `(@name "...")` annotations by the index of the token after them.
    pub names: &'a [NameAnnot],
    /// Branch hint annotations by the index of the token after them.
    pub hints: &'a [HintAnnot],
    /// Annotations with wrong contents, by token index.
    pub annot_errors: &'a [(u32, Error)],
}

impl<'a> Cursor<'a> {
    /// A cursor at the first token of a lexed source.
    pub fn new(src: &'a str, lexed: &'a crate::lexer::Lexed) -> Cursor<'a> {
        Cursor {
            src,
            toks: &lexed.tokens,
            pos: 0,
            names: &lexed.names,
            hints: &lexed.hints,
            annot_errors: &lexed.annot_errors,
        }
    }

    /// The string of an `(@name "...")` annotation just before the next
    /// token, if there is one; it counts as read (well placed).
    pub fn name_annotation(&self) -> Option<&'a str> {
        let at = self
            .names
            .binary_search_by_key(&(self.pos as u32), |n| n.tok)
            .ok()?;
        let n = &self.names[at];
        n.used.set(true);
        Some(&n.name)
    }

    /// The first problem with the annotations of the tokens `from..=to`
    /// (a module's): an annotation whose contents are wrong, else an
    /// `@name` annotation that named nothing.
    pub fn annotation_error(&self, from: usize, to: usize) -> Option<Error> {
        let (from, to) = (from as u32, to as u32);
        let first = self.annot_errors.partition_point(|(t, _)| *t < from);
        if let Some((t, e)) = self.annot_errors.get(first)
            && *t <= to
        {
            return Some(e.clone());
        }
        let first = self.names.partition_point(|n| n.tok < from);
        self.names[first..]
            .iter()
            .take_while(|n| n.tok <= to)
            .find(|n| !n.used.get())
            .map(|n| Error::at(self.src, n.at as usize, "misplaced @name annotation"))
    }

    /// Reads an optional `$id` and an optional `(@name "...")` after it;
    /// the annotation, when present, is the name recorded for the entity.
    pub fn opt_id_and_name(&mut self) -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>) {
        let id = self.opt_id();
        let name = self
            .name_annotation()
            .map(Cow::Borrowed)
            .or_else(|| id.clone());
        (id, name)
    }

    /// The token `n` places ahead, if any.
    pub fn peek_at(&self, n: usize) -> Option<Token> {
        self.toks.get(self.pos + n).copied()
    }

    /// The next token, if any.
    pub fn peek(&self) -> Option<Token> {
        self.peek_at(0)
    }

    /// Kind of the token `n` places ahead.
    pub fn kind_at(&self, n: usize) -> Option<Kind> {
        self.peek_at(n).map(|t| t.kind)
    }

    /// The source text of a token.
    pub fn text(&self, t: Token) -> &'a str {
        &self.src[t.start as usize..t.end as usize]
    }

    /// Whether every token has been read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// An error at the next token (or at the end of the text).
    pub fn error(&self, msg: impl Into<String>) -> Error {
        let at = self.peek().map_or(self.src.len(), |t| t.start as usize);
        Error::at(self.src, at, msg)
    }

    /// An error at the token just read (a keyword that turned out to be
    /// unknown points at itself, not at what follows it).
    pub fn error_prev(&self, msg: impl Into<String>) -> Error {
        match self.pos.checked_sub(1).and_then(|i| self.toks.get(i)) {
            Some(&t) => self.error_at(t, msg),
            None => self.error(msg),
        }
    }

    /// An error at a given token.
    pub fn error_at(&self, t: Token, msg: impl Into<String>) -> Error {
        Error::at(self.src, t.start as usize, msg)
    }

    /// The error for a token that does not fit: `unexpected end` at the
    /// end of the text, `unexpected token` elsewhere.
    pub fn unexpected(&self) -> Error {
        match self.peek() {
            None => self.error("unexpected end of input"),
            // The spec's lexer rejects a reserved token that is not a
            // number outright, as an unknown operator.
            Some(t) if t.kind == Kind::Reserved && !looks_numeric(self.text(t)) => {
                self.error(format!("unknown operator {}", self.text(t)))
            }
            Some(t) => self.error(format!("unexpected token {}", shown(self.text(t)))),
        }
    }

    /// [`Cursor::unexpected`], saying what was expected instead.
    pub fn expected(&self, what: &str) -> Error {
        let mut e = self.unexpected();
        e.append(&format!(", expected {what}"));
        e
    }

    /// Moves past one token.
    pub fn bump(&mut self) -> Option<Token> {
        let t = self.peek();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Reads a `(`.
    pub fn lparen(&mut self) -> PResult<()> {
        if self.kind_at(0) == Some(Kind::LParen) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected("`(`"))
        }
    }

    /// Reads a `)`.
    pub fn rparen(&mut self) -> PResult<()> {
        if self.kind_at(0) == Some(Kind::RParen) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected("`)`"))
        }
    }

    /// Whether the next token is `)`.
    pub fn peek_rparen(&self) -> bool {
        self.kind_at(0) == Some(Kind::RParen)
    }

    /// The keyword `n` places ahead, if that token is one.
    pub fn keyword_at(&self, n: usize) -> Option<&'a str> {
        let t = self.peek_at(n)?;
        (t.kind == Kind::Keyword).then(|| self.text(t))
    }

    /// Whether the next tokens are `(` and the keyword `kw`.
    pub fn peek_sexpr(&self, kw: &str) -> bool {
        self.kind_at(0) == Some(Kind::LParen) && self.keyword_at(1) == Some(kw)
    }

    /// The keyword after a `(`, if the next tokens are `(` and a keyword.
    pub fn peek_sexpr_kw(&self) -> Option<&'a str> {
        if self.kind_at(0) == Some(Kind::LParen) {
            self.keyword_at(1)
        } else {
            None
        }
    }

    /// Reads `(` and the keyword `kw` if they come next.
    pub fn eat_sexpr(&mut self, kw: &str) -> bool {
        if self.peek_sexpr(kw) {
            self.pos += 2;
            true
        } else {
            false
        }
    }

    /// Reads a keyword.
    pub fn keyword(&mut self) -> PResult<&'a str> {
        match self.keyword_at(0) {
            Some(k) => {
                self.pos += 1;
                Ok(k)
            }
            None => Err(self.unexpected()),
        }
    }

    /// Reads the keyword `kw` if it comes next.
    pub fn eat_keyword(&mut self, kw: &str) -> bool {
        if self.keyword_at(0) == Some(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads the keyword `kw`.
    pub fn expect_keyword(&mut self, kw: &str) -> PResult<()> {
        if self.eat_keyword(kw) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{kw}`")))
        }
    }

    /// Reads an `$id` if one comes next; returns its name (without `$`,
    /// quoted ids unescaped, so that `$"a"` and `$a` are one name).
    pub fn opt_id(&mut self) -> Option<Cow<'a, str>> {
        let t = self.peek()?;
        if t.kind != Kind::Id {
            return None;
        }
        self.pos += 1;
        Some(id_name(self.text(t)))
    }

    /// Reads a string's bytes.
    pub fn string(&mut self) -> PResult<Vec<u8>> {
        match self.peek() {
            Some(t) if t.kind == Kind::String => {
                self.pos += 1;
                unescape(self.text(t))
                    .map_err(|(off, msg)| Error::at(self.src, t.start as usize + off, msg))
            }
            _ => Err(self.unexpected()),
        }
    }

    /// Whether a string comes next.
    pub fn peek_string(&self) -> bool {
        self.kind_at(0) == Some(Kind::String)
    }

    /// Reads a string that must be valid UTF-8 (a name).
    pub fn name(&mut self) -> PResult<String> {
        let at = self.peek();
        let bytes = self.string()?;
        String::from_utf8(bytes).map_err(|_| match at {
            Some(t) => self.error_at(t, "malformed UTF-8 encoding"),
            None => self.error("malformed UTF-8 encoding"),
        })
    }

    /// The text of the next token if it may be a number (a keyword or a
    /// reserved atom), without moving.
    pub fn peek_num_text(&self) -> Option<&'a str> {
        let t = self.peek()?;
        match t.kind {
            Kind::Keyword | Kind::Reserved => Some(self.text(t)),
            _ => None,
        }
    }

    /// Whether the token `n` places ahead looks like an integer.
    pub fn is_int_at(&self, n: usize) -> bool {
        match self.peek_at(n) {
            Some(t) if t.kind == Kind::Reserved => {
                let s = self.text(t);
                let s = s.strip_prefix(['+', '-']).unwrap_or(s);
                s.as_bytes().first().is_some_and(u8::is_ascii_digit)
                    && !s.contains(['.', 'e', 'E', 'p', 'P'])
                    || s.starts_with("0x") && !s.contains(['.', 'p', 'P'])
            }
            _ => false,
        }
    }

    /// Reads a number with `read`, mapping a malformed token to `unknown
    /// operator` (what the spec expects where a number was due) and a
    /// value out of range to `what constant out of range`.
    pub fn number<T>(
        &mut self,
        what: &str,
        read: impl FnOnce(&str) -> Result<T, NumError>,
    ) -> PResult<T> {
        let Some(text) = self.peek_num_text() else {
            return Err(self.unexpected());
        };
        match read(text) {
            Ok(v) => {
                self.pos += 1;
                Ok(v)
            }
            // A keyword (`nan:canonical`, `offset=1`) where a number is due
            // is a misplaced token; a reserved atom is not a token at all.
            Err(NumError::Malformed)
                if self.kind_at(0) == Some(Kind::Keyword)
                    && (!text.starts_with("nan:")
                        || text == "nan:canonical"
                        || text == "nan:arithmetic") =>
            {
                Err(self.error(format!("unexpected token {text}")))
            }
            Err(NumError::Malformed) => Err(self.error(format!("unknown operator {text}"))),
            Err(NumError::OutOfRange) => Err(self.error(format!("{what} constant out of range"))),
        }
    }

    /// Reads a `u32`.
    pub fn u32(&mut self) -> PResult<u32> {
        self.number("i32", num::u32)
    }

    /// Skips one token or one balanced parenthesised group.
    pub fn skip_tree(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.bump() {
            match t.kind {
                Kind::LParen | Kind::Annot => depth += 1,
                Kind::RParen => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return;
            }
        }
    }

    /// Skips tokens up to and including the `)` that closes the current
    /// group.
    pub fn skip_to_close(&mut self) {
        let mut depth = 1usize;
        while let Some(t) = self.bump() {
            match t.kind {
                Kind::LParen | Kind::Annot => depth += 1,
                Kind::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A token's text for a message: in backquotes, cut short if long.
fn shown(text: &str) -> String {
    match text.char_indices().nth(32) {
        Some((at, _)) => format!("`{}...`", &text[..at]),
        None => format!("`{text}`"),
    }
}

/// Whether a reserved atom is a well-formed number of some type.
fn looks_numeric(text: &str) -> bool {
    num::f64(text).is_ok() || num::i64(text).is_ok()
}

/// The name of an `$id` token's text.
pub(crate) fn id_name(text: &str) -> Cow<'_, str> {
    let rest = &text[1..];
    if rest.starts_with('"') {
        // The lexer checked that the escapes are good and the name UTF-8.
        let bytes = unescape(rest).unwrap_or_default();
        Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
    } else {
        Cow::Borrowed(rest)
    }
}
