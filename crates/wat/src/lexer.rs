//! Tokens of the text format, recognised by `logos` and then classified.
//!
//! `logos` finds the raw chunks: parentheses, annotation openers and
//! "atoms" (runs of identifier characters and strings, the spec's
//! `reserved` shape). Each atom is then classified as a keyword, an `$id`,
//! a string or a reserved token. Numbers are not a class of their own:
//! they are keywords (`inf`, `nan:0x1`) or reserved atoms (`1`, `-0x1p3`)
//! that the parser reads as a number where one is expected, so that a
//! malformed number reports the spec's `unknown operator`.
//!
//! Annotations other than `@custom`, `@producers` and `@dylink.0` are
//! dropped here, so the parser never sees them; those three (module
//! fields) are kept as tokens for the module parser, and the
//! contents of `@name` and `@metadata.code.branch_hint` are kept aside,
//! each by the index of the token after it (errors in them too: they
//! belong to the module that holds them).

use crate::error::Error;
use logos::Logos;

/// What a token is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `(`
    #[default]
    LParen,
    /// `)`
    RParen,
    /// `(@custom`, `(@producers` or `(@dylink.0`: an annotation the parser
    /// reads (a module field).
    Annot,
    /// An atom starting with a lowercase letter.
    Keyword,
    /// `$id` or `$"id"`.
    Id,
    /// `"..."`.
    String,
    /// Any other atom (numbers among them).
    Reserved,
}

/// A token: its kind and byte span in the source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is.
    pub kind: Kind,
    /// Start offset.
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
}

/// Why `logos` stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RawError {
    /// A character that starts no token.
    #[default]
    Illegal,
    /// A block comment without its `;)`.
    UnclosedComment,
}

/// The raw chunks found by `logos`.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(error = RawError)]
#[logos(skip r"[ \t\n\r]+")]
// A line comment ends at a line feed or a carriage return.
#[logos(skip(r";;[^\n\r]*", allow_greedy = true))]
enum Raw {
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("(;", block_comment)]
    BlockComment,
    // `(@` and the annotation's id (an identifier or a string), read by
    // hand; with no id after it, the spec's `empty annotation id`.
    #[token("(@", annot_id)]
    AnnotStart,
    // A lone `;` (not a comment) is part of the spec's `reserved` tokens.
    #[token(";")]
    Semi,
    // An atom: runs of identifier characters and strings. `logos` matches
    // its first character only and `atom_rest` reads the rest in a loop:
    // a regex for the whole atom compiles to mutually recursive states, a
    // stack frame per character in unoptimised builds.
    #[regex(r#"[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~,\[\]{}]"#, atom_rest)]
    #[token("\"", atom_rest)]
    Atom,
}

/// Whether `c` may appear in an identifier (`idchar`); `wide` adds the
/// characters only `reserved` atoms may contain.
fn is_idchar(c: u8, wide: bool) -> bool {
    CLASS[usize::from(c)] & if wide { ATOM } else { ID } != 0
}

/// `CLASS` bit: an identifier character.
const ID: u8 = 1;
/// `CLASS` bit: a character of a `reserved` atom (identifier characters
/// and `,[]{}`).
const ATOM: u8 = 2;

/// Character classes by byte, so that the atom loop does one load per
/// character.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = ID | ATOM;
        }
        c += 1;
    }
    let punct = b"!#$%&'*+-./:<=>?@\\^_`|~";
    let mut i = 0;
    while i < punct.len() {
        t[punct[i] as usize] = ID | ATOM;
        i += 1;
    }
    let wide = b",[]{}";
    let mut i = 0;
    while i < wide.len() {
        t[wide[i] as usize] = ATOM;
        i += 1;
    }
    t
};

/// The length of a string after its opening quote, through the closing
/// one; `None` when it is not closed before a control character or the
/// end of the text.
fn string_rest(rest: &[u8]) -> Option<usize> {
    let control = |c: u8| c < 0x20 || c == 0x7f;
    let mut i = 0;
    while let Some(&c) = rest.get(i) {
        match c {
            b'"' => return Some(i + 1),
            // An escape takes the next character whatever it is (the
            // escape itself is checked when the string is decoded).
            b'\\' if rest.get(i + 1).is_some_and(|&n| !control(n)) => i += 2,
            c if control(c) || c == b'\\' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Reads the rest of an atom whose first character is matched.
fn atom_rest(lex: &mut logos::Lexer<Raw>) -> Result<(), RawError> {
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    if lex.slice() == "\"" {
        i = string_rest(rest).ok_or(RawError::Illegal)?;
    }
    while let Some(&c) = rest.get(i) {
        if c == b'"' {
            // A string that does not close ends the atom before it; the
            // next token then reports `unclosed string`.
            match string_rest(&rest[i + 1..]) {
                Some(n) => i += 1 + n,
                None => break,
            }
        } else if is_idchar(c, true) {
            i += 1;
        } else {
            break;
        }
    }
    lex.bump(i);
    Ok(())
}

/// Reads the id after `(@`, if there is one.
fn annot_id(lex: &mut logos::Lexer<Raw>) {
    let rest = lex.remainder().as_bytes();
    let n = if rest.first() == Some(&b'"') {
        string_rest(&rest[1..]).map_or(0, |n| n + 1)
    } else {
        rest.iter().take_while(|&&c| is_idchar(c, false)).count()
    };
    lex.bump(n);
}

/// Skips a (possibly nested) block comment; the opening `(;` is matched.
fn block_comment(lex: &mut logos::Lexer<Raw>) -> Result<logos::Skip, RawError> {
    let rest = lex.remainder().as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    while i + 1 < rest.len() {
        match (rest[i], rest[i + 1]) {
            (b'(', b';') => {
                depth += 1;
                i += 2;
            }
            (b';', b')') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    lex.bump(i);
                    return Ok(logos::Skip);
                }
            }
            _ => i += 1,
        }
    }
    lex.bump(rest.len());
    Err(RawError::UnclosedComment)
}

/// A source's tokens, and the annotations the parser reads besides
/// `(@custom ...)` (which stays in the tokens).
pub(crate) struct Lexed {
    /// The tokens the parser reads.
    pub tokens: Vec<Token>,
    /// `(@name "...")` annotations, by increasing token index.
    pub names: Vec<NameAnnot>,
    /// `(@metadata.code.branch_hint "...")` annotations, by increasing
    /// token index.
    pub hints: Vec<HintAnnot>,
    /// Annotations whose contents are wrong, by increasing token index:
    /// the error belongs to the module that holds them (in a script, the
    /// other modules still parse), so the module parser reports it.
    pub annot_errors: Vec<(u32, Error)>,
}

/// A `(@name "...")` annotation.
#[derive(Debug)]
pub(crate) struct NameAnnot {
    /// Index of the token that follows it.
    pub tok: u32,
    /// The name.
    pub name: String,
    /// Offset of its `(@name` in the source.
    pub at: u32,
    /// Whether the parser read it as the name of something: one left
    /// unread is misplaced.
    pub used: std::cell::Cell<bool>,
}

/// A `(@metadata.code.branch_hint "\00")` annotation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HintAnnot {
    /// Index of the token that follows it.
    pub tok: u32,
    /// `"\01"` (likely) rather than `"\00"`.
    pub likely: bool,
    /// Offset of its `(@metadata...` in the source.
    pub at: u32,
}

/// The annotations that are module fields, kept as [`Kind::Annot`]
/// tokens for the module parser.
pub(crate) const MODULE_ANNOTATIONS: [&str; 3] = ["custom", "producers", "dylink.0"];

/// The id of the branch hinting proposal's annotation.
const BRANCH_HINT: &str = "metadata.code.branch_hint";

/// What is known of the annotation being read whose contents matter.
struct Capture {
    /// `true` for `@name`, `false` for a branch hint.
    name: bool,
    /// Offset of its `(@`.
    at: usize,
    /// Items read so far (strings, atoms and parenthesized groups).
    items: u32,
    /// The strings' bytes, one after the other.
    bytes: Vec<u8>,
    /// The first thing wrong, with its offset.
    bad: Option<(usize, &'static str)>,
}

impl Capture {
    /// One item of the annotation's contents.
    fn item(&mut self, at: usize, string: Option<Vec<u8>>) {
        self.items += 1;
        if self.bad.is_some() {
            return;
        }
        match (self.name, string) {
            (true, Some(_)) | (true, None) if self.items > 1 => {
                self.bad = Some((at, "@name annotation: unexpected token"));
            }
            (true, None) => self.bad = Some((at, "@name annotation: string expected")),
            (false, None) => {
                self.bad = Some((
                    at,
                    "@metadata.code.branch_hint annotation: unexpected token",
                ));
            }
            (_, Some(bytes)) => self.bytes.extend(bytes),
        }
    }
}

/// Whether the tokens before an `@name` annotation are `(module`,
/// `(module $id` or `(module definition $id?`: a second one there is a
/// second module name.
fn after_module_keyword(source: &str, out: &[Token]) -> bool {
    let text = |t: &Token| &source[t.start as usize..t.end as usize];
    let mut rest = out;
    if rest.last().is_some_and(|t| t.kind == Kind::Id) {
        rest = &rest[..rest.len() - 1];
    }
    if rest.last().is_some_and(|t| text(t) == "definition") {
        rest = &rest[..rest.len() - 1];
    }
    matches!(rest, [.., l, m] if l.kind == Kind::LParen && text(m) == "module")
}

/// Splits `source` into tokens, dropping comments and unknown annotations.
pub(crate) fn tokenize(source: &str) -> Result<Lexed, Error> {
    let mut lex = Raw::lexer(source);
    let mut out = Vec::with_capacity(source.len() / 4);
    let mut names: Vec<NameAnnot> = Vec::new();
    let mut hints: Vec<HintAnnot> = Vec::new();
    let mut annot_errors = Vec::new();
    // Inside a top-level `(@name ...)` or branch hint: what it holds.
    let mut capture: Option<Capture> = None;
    // Depth of parentheses inside a dropped annotation (0: not in one),
    // with the annotation's start for the `unclosed annotation` error.
    let mut skip_depth = 0usize;
    let mut skip_start = 0usize;
    while let Some(raw) = lex.next() {
        let span = lex.span();
        let text = lex.slice();
        let raw = match raw {
            Ok(raw) => raw,
            Err(RawError::UnclosedComment) => {
                return Err(Error::at(source, span.start, "unclosed comment"));
            }
            Err(RawError::Illegal) => {
                let c = text.chars().next().unwrap_or(' ');
                let msg = if c == '"' {
                    "unclosed string"
                } else if c == '$' {
                    "empty identifier"
                } else {
                    "illegal character"
                };
                return Err(Error::at(source, span.start, msg));
            }
        };
        let kind = match raw {
            Raw::BlockComment => continue,
            Raw::LParen => Kind::LParen,
            Raw::RParen => Kind::RParen,
            // Inside a dropped annotation only its parentheses matter.
            Raw::AnnotStart if text.len() == 2 && skip_depth > 0 => {
                if skip_depth == 1
                    && let Some(c) = &mut capture
                {
                    c.item(span.start, None);
                }
                skip_depth += 1;
                continue;
            }
            Raw::AnnotStart if text.len() == 2 => {
                return Err(Error::at(source, span.start, "empty annotation id"));
            }
            Raw::AnnotStart => {
                let id = &text[2..];
                if id == "\"\"" {
                    return Err(Error::at(source, span.start, "empty annotation id"));
                }
                if id.starts_with('"') {
                    let ok = unescape(id).is_ok_and(|b| std::str::from_utf8(&b).is_ok());
                    if !ok {
                        return Err(Error::at(source, span.start, "malformed UTF-8 encoding"));
                    }
                }
                if skip_depth == 0 && MODULE_ANNOTATIONS.contains(&id) {
                    Kind::Annot
                } else {
                    if skip_depth == 0 {
                        skip_start = span.start;
                        if id == "name" || id == BRANCH_HINT {
                            capture = Some(Capture {
                                name: id == "name",
                                at: span.start,
                                items: 0,
                                bytes: Vec::new(),
                                bad: None,
                            });
                        }
                    } else if skip_depth == 1
                        && let Some(c) = &mut capture
                    {
                        c.item(span.start, None);
                    }
                    skip_depth += 1;
                    continue;
                }
            }
            Raw::Atom => classify(source, span.start, text)?,
            Raw::Semi => Kind::Reserved,
        };
        if skip_depth > 0 {
            if skip_depth == 1
                && kind != Kind::RParen
                && let Some(c) = &mut capture
            {
                let string = if kind == Kind::String {
                    Some(
                        unescape(text)
                            .map_err(|(off, msg)| Error::at(source, span.start + off, msg))?,
                    )
                } else {
                    None
                };
                c.item(span.start, string);
            }
            match kind {
                Kind::LParen | Kind::Annot => skip_depth += 1,
                Kind::RParen => skip_depth -= 1,
                _ => {}
            }
            if skip_depth == 0
                && let Some(c) = capture.take()
            {
                let tok = out.len() as u32;
                let error = |at: usize, msg: &str| (tok, Error::at(source, at, msg));
                if let Some((at, msg)) = c.bad {
                    annot_errors.push(error(at, msg));
                } else if c.name {
                    match String::from_utf8(c.bytes) {
                        _ if c.items == 0 => {
                            annot_errors.push(error(c.at, "@name annotation: string expected"));
                        }
                        Err(_) => annot_errors.push(error(c.at, "malformed UTF-8 encoding")),
                        Ok(_) if names.last().is_some_and(|n| n.tok == tok) => {
                            annot_errors.push(error(
                                c.at,
                                if after_module_keyword(source, &out) {
                                    "@name annotation: multiple module names"
                                } else {
                                    "@name annotation: multiple names"
                                },
                            ));
                        }
                        Ok(name) => names.push(NameAnnot {
                            tok,
                            name,
                            at: c.at as u32,
                            used: std::cell::Cell::new(false),
                        }),
                    }
                } else {
                    match c.bytes[..] {
                        [v @ (0 | 1)] => hints.push(HintAnnot {
                            tok,
                            likely: v == 1,
                            at: c.at as u32,
                        }),
                        _ => annot_errors.push(error(
                            c.at,
                            "@metadata.code.branch_hint annotation: invalid hint value",
                        )),
                    }
                }
            }
            continue;
        }
        out.push(Token {
            kind,
            start: span.start as u32,
            end: span.end as u32,
        });
    }
    if skip_depth > 0 {
        return Err(Error::at(source, skip_start, "unclosed annotation"));
    }
    Ok(Lexed {
        tokens: out,
        names,
        hints,
        annot_errors,
    })
}

/// Classifies an atom: keyword, id, string or reserved.
fn classify(source: &str, at: usize, text: &str) -> Result<Kind, Error> {
    let bytes = text.as_bytes();
    let has_string = bytes.contains(&b'"');
    if !has_string {
        return Ok(match bytes[0] {
            b'$' if bytes.len() > 1 => Kind::Id,
            b'$' => return Err(Error::at(source, at, "empty identifier")),
            b'a'..=b'z' => Kind::Keyword,
            _ => Kind::Reserved,
        });
    }
    if bytes[0] == b'"' && string_end(bytes, 0) == bytes.len() {
        return Ok(Kind::String);
    }
    if bytes[0] == b'$'
        && bytes.len() > 1
        && bytes[1] == b'"'
        && string_end(bytes, 1) == bytes.len()
    {
        let name =
            unescape(&text[1..]).map_err(|(off, msg)| Error::at(source, at + 1 + off, msg))?;
        if name.is_empty() {
            return Err(Error::at(source, at, "empty identifier"));
        }
        if std::str::from_utf8(&name).is_err() {
            return Err(Error::at(source, at, "malformed UTF-8 encoding"));
        }
        return Ok(Kind::Id);
    }
    Ok(Kind::Reserved)
}

/// Offset just past the string starting at `bytes[start]` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The bytes a string token (quotes included) denotes, or the offset (in
/// the token) and message of its first bad escape.
pub(crate) fn unescape(token: &str) -> Result<Vec<u8>, (usize, &'static str)> {
    let inner = &token.as_bytes()[1..token.len() - 1];
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let at = i + 1;
        let Some(&e) = inner.get(i + 1) else {
            return Err((at, "illegal escape"));
        };
        i += 2;
        match e {
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'"' => out.push(b'"'),
            b'\'' => out.push(b'\''),
            b'\\' => out.push(b'\\'),
            b'u' => {
                if inner.get(i) != Some(&b'{') {
                    return Err((at, "illegal escape"));
                }
                let close = inner[i..]
                    .iter()
                    .position(|c| *c == b'}')
                    .ok_or((at, "illegal escape"))?;
                let digits = &inner[i + 1..i + close];
                // Hex digits that are no Unicode scalar value (a surrogate,
                // past U+10FFFF, or too many digits for any) are a bad code
                // point rather than a bad escape.
                let value = parse_hex_digits(digits);
                let c = match value {
                    Some(v) => char::from_u32(v),
                    None if is_hex_number(digits) => None,
                    None => return Err((at, "illegal escape")),
                }
                .ok_or((at, "malformed UTF-8 codepoint"))?;
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += close + 1;
            }
            h if h.is_ascii_hexdigit() => {
                let l = *inner.get(i).ok_or((at, "illegal escape"))?;
                if !l.is_ascii_hexdigit() {
                    return Err((at, "illegal escape"));
                }
                out.push(hex_val(h) * 16 + hex_val(l));
                i += 1;
            }
            _ => return Err((at, "illegal escape")),
        }
    }
    Ok(out)
}

/// Hex digits with optional `_` separators (between digits) to a value
/// below 2^32, for `\u{...}`.
fn parse_hex_digits(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits[0] == b'_' || digits[digits.len() - 1] == b'_' {
        return None;
    }
    let mut value: u32 = 0;
    let mut prev_underscore = false;
    for &d in digits {
        if d == b'_' {
            if prev_underscore {
                return None;
            }
            prev_underscore = true;
            continue;
        }
        prev_underscore = false;
        if !d.is_ascii_hexdigit() {
            return None;
        }
        value = value.checked_mul(16)?.checked_add(hex_val(d).into())?;
    }
    Some(value)
}

/// Whether `digits` are hex digits with `_` only between two of them.
fn is_hex_number(digits: &[u8]) -> bool {
    !digits.is_empty()
        && digits[0] != b'_'
        && digits[digits.len() - 1] != b'_'
        && !digits.windows(2).any(|w| w == b"__")
        && digits.iter().all(|d| *d == b'_' || d.is_ascii_hexdigit())
}

fn hex_val(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Kind> {
        tokenize(src)
            .unwrap()
            .tokens
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn err(src: &str) -> String {
        tokenize(src).err().unwrap().message().to_string()
    }

    #[test]
    fn basic_tokens() {
        use Kind::*;
        assert_eq!(
            kinds(r#"(module $m "a\n" 0x1_0 -1.5e3 nan:0x7 i32.add $"q d")"#),
            [
                LParen, Keyword, Id, String, Reserved, Reserved, Keyword, Keyword, Id, RParen
            ]
        );
        assert_eq!(kinds(r#"$"a"b "a""b" a,b"#), [Reserved, Reserved, Keyword]);
    }

    #[test]
    fn comments_and_annotations() {
        use Kind::*;
        assert_eq!(
            kinds(
                "(; a (; nested ;) b ;) x ;; line\n y (@foo (bar \"baz\") 1) (@name \"x\") (@custom \"n\")"
            ),
            [Keyword, Keyword, Annot, String, RParen]
        );
        assert_eq!(err("(; a (; b ;)"), "unclosed comment");
        assert_eq!(err("(@foo (x)"), "unclosed annotation");
        assert_eq!(err("(@ x)"), "empty annotation id");
        assert_eq!(err("(@\"\")"), "empty annotation id");
    }

    #[test]
    fn bad_input() {
        assert_eq!(err("\"abc"), "unclosed string");
        assert_eq!(err("a \u{7} b"), "illegal character");
        assert_eq!(err("Heiße"), "illegal character");
        assert_eq!(err("(func $)"), "empty identifier");
        assert_eq!(err("(func $\"\")"), "empty identifier");
        assert_eq!(err("(func $ \"a\")"), "empty identifier");
    }

    #[test]
    fn atoms_end_where_the_spec_says() {
        use Kind::*;
        let spans = |src: &str| -> Vec<(Kind, u32, u32)> {
            let lexed = tokenize(src).unwrap();
            lexed
                .tokens
                .iter()
                .map(|t| (t.kind, t.start, t.end))
                .collect()
        };
        // A string glued to an atom belongs to it; `(`, `)`, `;` and
        // spaces end it.
        assert_eq!(
            spans(r#"a"b\"c"d(e)f;g"#),
            [
                (Reserved, 0, 8),
                (LParen, 8, 9),
                (Keyword, 9, 10),
                (RParen, 10, 11),
                (Keyword, 11, 12),
                (Reserved, 12, 13),
                (Keyword, 13, 14),
            ]
        );
        // An escape takes the next character, a quote among them.
        assert_eq!(spans(r#""a\"b""#), [(String, 0, 6)]);
        // An unclosed string after an atom is reported at its quote.
        let e = tokenize("abc\"def").err().unwrap();
        assert_eq!((e.message(), e.offset()), ("unclosed string", 3));
        assert_eq!(err("\"a\nb\""), "unclosed string");
        assert_eq!(err("\"a\\"), "unclosed string");
        // Annotation ids: identifier characters or one string.
        assert_eq!(kinds("(@a,b)"), [] as [Kind; 0]);
        assert_eq!(err("(@\"x"), "empty annotation id");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r#""\t\n\r\"\'\\\41\u{1F600}\u{4_1}""#).unwrap(),
            b"\t\n\r\"'\\A\xF0\x9F\x98\x80A"
        );
        assert!(unescape(r#""\q""#).is_err());
        // Not a Unicode scalar value: the spec's own phrase.
        for bad in [
            r#""\u{110000}""#,
            r#""\u{d800}""#,
            r#""\u{DFFF}""#,
            r#""\u{1_0000_0000}""#,
        ] {
            assert_eq!(
                unescape(bad),
                Err((1, "malformed UTF-8 codepoint")),
                "{bad}"
            );
        }
        assert_eq!(unescape(r#""\u{_1}""#), Err((1, "illegal escape")));
        assert_eq!(unescape(r#""\u{x}""#), Err((1, "illegal escape")));
        assert!(unescape(r#""\4""#).is_err());
    }
}
