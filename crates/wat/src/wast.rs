//! The `.wast` script parser: commands, actions, values and expected
//! results, into the types of `script.rs`.

use crate::cursor::{Cursor, PResult};
use crate::error::Error;
use crate::lexer;
use crate::module::ModuleParser;
use crate::num;
use crate::script::*;
use weft_ast::{AbsHeap, Features, Ieee32, Ieee64, V128};

/// Parses a `.wast` script with the default features.
pub fn parse_script(text: &str) -> Result<Script, Error> {
    parse_script_with(text, Features::default())
}

/// Parses a `.wast` script; its text modules are parsed with `features`.
pub fn parse_script_with(text: &str, features: Features) -> Result<Script, Error> {
    let lexed = lexer::tokenize(text)?;
    let mut p = ScriptParser {
        c: Cursor::new(text, &lexed),
        thread_depth: 0,
        features,
        lines: LineIndex::new(text),
    };
    let mut commands = Vec::new();
    // A script may be a module's bare fields: the whole text is one module.
    let bare = p.c.kind_at(0) == Some(lexer::Kind::Annot)
        || p.c
            .peek_sexpr_kw()
            .is_some_and(|kw| MODULE_FIELDS.contains(&kw));
    if bare {
        let source = ModuleSource::Text(crate::parse_module_with(text, features).map(Box::new));
        commands.push(Command {
            line: 1,
            kind: CommandKind::Module(ScriptModule {
                line: 1,
                span: 0..text.len(),
                id: None,
                definition: false,
                source,
            }),
        });
        return Ok(Script { commands });
    }
    while !p.c.at_end() {
        commands.push(p.command()?);
    }
    Ok(Script { commands })
}

/// The keywords of module fields: a text starting with one is a module's
/// bare fields rather than a script. Any other keyword starts a command,
/// known or not.
const MODULE_FIELDS: &[&str] = &[
    "type", "rec", "import", "func", "table", "memory", "global", "tag", "export", "start", "elem",
    "data",
];

/// The assertions read by [`ScriptParser::assertion`].
const ASSERTIONS: &[&str] = &[
    "assert_return",
    "assert_trap",
    "assert_exhaustion",
    "assert_exception",
    "assert_invalid",
    "assert_malformed",
    "assert_unlinkable",
    "assert_uninstantiable",
    "assert_malformed_custom",
    "assert_invalid_custom",
];

/// Line numbers of byte offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
}

/// How deeply `thread` commands may nest (they recurse).
const MAX_THREAD_DEPTH: u32 = 16;

struct ScriptParser<'a> {
    c: Cursor<'a>,
    thread_depth: u32,
    features: Features,
    lines: LineIndex,
}

impl ScriptParser<'_> {
    fn line(&self) -> u32 {
        self.c
            .peek()
            .map_or(0, |t| self.lines.line(t.start as usize))
    }

    fn id(&mut self) -> Option<String> {
        self.c.opt_id().map(|s| s.into_owned())
    }

    fn command(&mut self) -> PResult<Command> {
        let line = self.line();
        if self.c.peek_sexpr_kw().is_none() {
            return Err(self.c.unexpected());
        }
        let kw = self.c.keyword_at(1).unwrap_or("");
        let kind = match kw {
            "module" => {
                if self.c.keyword_at(2) == Some("instance") {
                    self.c.pos += 3;
                    let instance = self.id();
                    let module = self.id();
                    self.c.rparen()?;
                    CommandKind::Instance { instance, module }
                } else {
                    CommandKind::Module(self.module()?)
                }
            }
            "register" => {
                self.c.pos += 2;
                let name = self.c.name()?;
                let module = self.id();
                self.c.rparen()?;
                CommandKind::Register { name, module }
            }
            "invoke" | "get" => CommandKind::Action(self.action()?),
            "wait" => {
                self.c.pos += 2;
                let thread = self.id().ok_or_else(|| self.c.unexpected())?;
                self.c.rparen()?;
                CommandKind::Wait { thread }
            }
            "thread" => {
                if self.thread_depth >= MAX_THREAD_DEPTH {
                    return Err(self.c.error("threads nested too deeply"));
                }
                self.c.pos += 2;
                let name = self.id().ok_or_else(|| self.c.unexpected())?;
                let mut shared = Vec::new();
                while self.c.eat_sexpr("shared") {
                    self.c.lparen()?;
                    self.c.expect_keyword("module")?;
                    shared.push(self.id().ok_or_else(|| self.c.unexpected())?);
                    self.c.rparen()?;
                    self.c.rparen()?;
                }
                let mut commands = Vec::new();
                self.thread_depth += 1;
                while !self.c.peek_rparen() && !self.c.at_end() {
                    commands.push(self.command()?);
                }
                self.thread_depth -= 1;
                self.c.rparen()?;
                CommandKind::Thread {
                    name,
                    shared,
                    commands,
                }
            }
            _ if ASSERTIONS.contains(&kw) => {
                self.c.pos += 2;
                let kind = self.assertion(kw)?;
                self.c.rparen()?;
                kind
            }
            _ => {
                // Not a command of this parser: read past it whole.
                self.skip_command()?;
                CommandKind::Unknown {
                    name: kw.to_string(),
                }
            }
        };
        Ok(Command { line, kind })
    }

    /// Reads past one parenthesized command, which must be closed.
    fn skip_command(&mut self) -> PResult<()> {
        let mut depth = 0usize;
        while let Some(t) = self.c.bump() {
            match t.kind {
                lexer::Kind::LParen | lexer::Kind::Annot => depth += 1,
                lexer::Kind::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.c.unexpected())
    }

    fn assertion(&mut self, kw: &str) -> PResult<CommandKind> {
        Ok(match kw {
            "assert_return" => {
                let action = self.action()?;
                let mut results = Vec::new();
                while !self.c.peek_rparen() {
                    results.push(self.expected()?);
                }
                CommandKind::AssertReturn { action, results }
            }
            "assert_trap" if self.c.peek_sexpr("module") => {
                let module = self.module()?;
                let message = self.message()?;
                CommandKind::AssertTrapModule { module, message }
            }
            "assert_trap" => {
                let action = self.action()?;
                let message = self.message()?;
                CommandKind::AssertTrap { action, message }
            }
            "assert_exhaustion" => {
                let action = self.action()?;
                let message = self.message()?;
                CommandKind::AssertExhaustion { action, message }
            }
            "assert_exception" => CommandKind::AssertException {
                action: self.action()?,
            },
            "assert_invalid"
            | "assert_malformed"
            | "assert_unlinkable"
            | "assert_uninstantiable"
            | "assert_malformed_custom"
            | "assert_invalid_custom" => {
                let module = self.module()?;
                let message = self.message()?;
                match kw {
                    "assert_invalid" => CommandKind::AssertInvalid { module, message },
                    "assert_malformed" => CommandKind::AssertMalformed { module, message },
                    "assert_unlinkable" => CommandKind::AssertUnlinkable { module, message },
                    "assert_malformed_custom" => {
                        CommandKind::AssertMalformedCustom { module, message }
                    }
                    "assert_invalid_custom" => CommandKind::AssertInvalidCustom { module, message },
                    _ => CommandKind::AssertUninstantiable { module, message },
                }
            }
            _ => return Err(self.c.error(format!("unknown command {kw}"))),
        })
    }

    fn message(&mut self) -> PResult<String> {
        let bytes = self.c.string()?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// `(module definition? $id? (binary|quote)? ...)`.
    fn module(&mut self) -> PResult<ScriptModule> {
        let line = self.line();
        let span_start = self.c.peek().map_or(0, |t| t.start as usize);
        self.c.lparen()?;
        self.c.expect_keyword("module")?;
        let definition = self.c.eat_keyword("definition");
        let id = self.id();
        let name = self
            .c
            .name_annotation()
            .map(str::to_string)
            .or_else(|| id.clone());
        let source = match self.c.keyword_at(0) {
            Some(kind @ ("binary" | "quote")) => {
                self.c.bump();
                let mut bytes = Vec::new();
                while self.c.peek_string() {
                    bytes.extend(self.c.string()?);
                }
                self.c.rparen()?;
                if kind == "binary" {
                    ModuleSource::Binary(bytes)
                } else {
                    ModuleSource::Quote(bytes)
                }
            }
            _ => {
                let start = self.c.pos;
                let parser = ModuleParser::new(self.c.clone(), self.features);
                let result = parser.parse_fields(name).and_then(|(m, end)| {
                    let mut c = self.c.clone();
                    c.pos = end;
                    c.rparen().map(|_| Box::new(m))
                });
                self.c.pos = start;
                self.c.skip_to_close();
                ModuleSource::Text(result)
            }
        };
        let span_end = self.c.toks[..self.c.pos]
            .last()
            .map_or(span_start, |t| t.end as usize);
        Ok(ScriptModule {
            line,
            span: span_start..span_end,
            id,
            definition,
            source,
        })
    }

    fn action(&mut self) -> PResult<Action> {
        self.c.lparen()?;
        let kw = self.c.keyword()?;
        let module = self.id();
        let name = self.c.name()?;
        let action = match kw {
            "invoke" => {
                let mut args = Vec::new();
                while !self.c.peek_rparen() {
                    args.push(self.value()?);
                }
                Action::Invoke { module, name, args }
            }
            "get" => Action::Get { module, name },
            _ => return Err(self.c.unexpected()),
        };
        self.c.rparen()?;
        Ok(action)
    }

    fn value(&mut self) -> PResult<Value> {
        self.c.lparen()?;
        let kw = self.c.keyword()?;
        let v = match kw {
            "i32.const" => Value::I32(self.c.number("i32", num::i32)?),
            "i64.const" => Value::I64(self.c.number("i64", num::i64)?),
            "f32.const" => Value::F32(Ieee32(self.c.number("f32", num::f32)?)),
            "f64.const" => Value::F64(Ieee64(self.c.number("f64", num::f64)?)),
            "v128.const" => {
                let (shape, lanes) = self.v128_lanes()?;
                let mut bytes = [0u8; 16];
                let width = 16 / lanes.len();
                for (i, lane) in lanes.iter().enumerate() {
                    let NumPattern::Bits(b) = lane else {
                        return Err(self.c.error("unexpected token"));
                    };
                    bytes[i * width..(i + 1) * width].copy_from_slice(&b.to_le_bytes()[..width]);
                }
                let _ = shape;
                Value::V128(V128(bytes))
            }
            "ref.null" => Value::RefNull(self.abs_heap()),
            "ref.extern" => Value::RefExtern(self.c.u32()?),
            "ref.host" => Value::RefHost(self.c.u32()?),
            _ => return Err(self.c.error_prev(format!("unknown operator {kw}"))),
        };
        self.c.rparen()?;
        Ok(v)
    }

    /// An optional abstract heap type keyword (`func`, `extern`, ...).
    fn abs_heap(&mut self) -> Option<AbsHeap> {
        let kw = self.c.keyword_at(0)?;
        let h = AbsHeap::ALL.into_iter().find(|h| h.name() == kw)?;
        self.c.bump();
        Some(h)
    }

    /// A float lane or result: a number, `nan:canonical` or
    /// `nan:arithmetic`.
    fn float_pattern(&mut self, f64: bool) -> PResult<NumPattern> {
        match self.c.keyword_at(0) {
            Some("nan:canonical") => {
                self.c.bump();
                Ok(NumPattern::CanonicalNan)
            }
            Some("nan:arithmetic") => {
                self.c.bump();
                Ok(NumPattern::ArithmeticNan)
            }
            _ if f64 => Ok(NumPattern::Bits(self.c.number("f64", num::f64)?)),
            _ => Ok(NumPattern::Bits(self.c.number("f32", num::f32)?.into())),
        }
    }

    /// `v128.const`'s shape and lane patterns (integer lanes as bits).
    fn v128_lanes(&mut self) -> PResult<(Shape, Vec<NumPattern>)> {
        let shape = match self.c.keyword()? {
            "i8x16" => Shape::I8x16,
            "i16x8" => Shape::I16x8,
            "i32x4" => Shape::I32x4,
            "i64x2" => Shape::I64x2,
            "f32x4" => Shape::F32x4,
            "f64x2" => Shape::F64x2,
            _ => return Err(self.c.error("unexpected token")),
        };
        let n = match shape {
            Shape::I8x16 => 16,
            Shape::I16x8 => 8,
            Shape::I32x4 | Shape::F32x4 => 4,
            Shape::I64x2 | Shape::F64x2 => 2,
        };
        let mut lanes = Vec::with_capacity(n);
        for _ in 0..n {
            let lane = match shape {
                Shape::I8x16 => NumPattern::Bits(self.c.number("i8", num::i8)?.into()),
                Shape::I16x8 => NumPattern::Bits(self.c.number("i16", num::i16)?.into()),
                Shape::I32x4 => NumPattern::Bits(u64::from(self.c.number("i32", num::i32)? as u32)),
                Shape::I64x2 => NumPattern::Bits(self.c.number("i64", num::i64)? as u64),
                Shape::F32x4 => self.float_pattern(false)?,
                Shape::F64x2 => self.float_pattern(true)?,
            };
            lanes.push(lane);
        }
        Ok((shape, lanes))
    }

    fn expected(&mut self) -> PResult<Expected> {
        self.expected_in(false)
    }

    /// An expected result; `either` does not nest (which also bounds the
    /// recursion).
    fn expected_in(&mut self, in_either: bool) -> PResult<Expected> {
        self.c.lparen()?;
        let kw = self.c.keyword()?;
        let e = match kw {
            "i32.const" => Expected::I32(self.c.number("i32", num::i32)?),
            "i64.const" => Expected::I64(self.c.number("i64", num::i64)?),
            "f32.const" => Expected::F32(self.float_pattern(false)?),
            "f64.const" => Expected::F64(self.float_pattern(true)?),
            "v128.const" => {
                let (shape, lanes) = self.v128_lanes()?;
                Expected::V128 { shape, lanes }
            }
            "ref.null" => Expected::RefNull(self.abs_heap()),
            "ref.extern" => Expected::RefExtern(if self.c.is_int_at(0) {
                Some(self.c.u32()?)
            } else {
                None
            }),
            "ref.host" => Expected::RefHost(self.c.u32()?),
            "ref.func" => Expected::RefFunc,
            "ref.struct" => Expected::RefStruct,
            "ref.array" => Expected::RefArray,
            "ref.i31" => Expected::RefI31,
            "ref.eq" => Expected::RefEq,
            "ref.any" => Expected::RefAny,
            "ref.exn" => Expected::RefExn,
            "either" if !in_either => {
                let mut alts = Vec::new();
                while !self.c.peek_rparen() {
                    alts.push(self.expected_in(true)?);
                }
                Expected::Either(alts)
            }
            _ => return Err(self.c.error_prev(format!("unknown operator {kw}"))),
        };
        self.c.rparen()?;
        Ok(e)
    }
}
