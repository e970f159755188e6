//! Pass 1 over a module's fields: every `$id` gets its index before any
//! field is parsed, so that fields may refer forwards.

use crate::cursor::PResult;
use crate::lexer::Kind;
use crate::module::{ModuleParser, ns_of};
use crate::names::{Ns, Space};

/// Result of pass 1 for one field: where it starts and its keyword.
pub(crate) struct Field<'a> {
    /// Token position of the field's `(` (or of its `(@custom`).
    pub pos: usize,
    /// The field's keyword (`@custom` for a custom annotation).
    pub kw: &'a str,
}

impl<'a> ModuleParser<'a> {
    /// Pass 1: gives every `$id` its index and returns where each field
    /// starts. Leaves the cursor at the closing `)` (or the end).
    pub(crate) fn collect(&mut self) -> PResult<Vec<Field<'a>>> {
        let mut fields = Vec::new();
        // The first kind defined (not imported), for `import after ...`.
        let mut defined: Option<&'static str> = None;
        while !self.c.at_end() && !self.c.peek_rparen() {
            let pos = self.c.pos;
            if self.c.kind_at(0) == Some(Kind::Annot) {
                let t = self.c.peek().unwrap_or(crate::lexer::Token {
                    kind: Kind::Annot,
                    start: 0,
                    end: 0,
                });
                if self.c.text(t) == "(@custom" {
                    fields.push(Field { pos, kw: "@custom" });
                }
                self.c.skip_tree();
                continue;
            }
            self.c.lparen()?;
            let kw_tok = self.c.peek();
            if self.c.keyword_at(0).is_none() && !self.c.at_end() && !self.c.peek_rparen() {
                return Err(self.c.error("unknown operator"));
            }
            let kw = self.c.keyword()?;
            match kw {
                "type" => self.collect_type()?,
                "rec" => {
                    while self.c.peek_sexpr("type") {
                        let at = self.c.pos;
                        self.c.pos += 2;
                        self.collect_type()?;
                        self.c.pos = at;
                        self.c.skip_tree();
                    }
                }
                "func" | "table" | "memory" | "global" | "tag" => {
                    let ns = ns_of(kw);
                    let id = self.c.opt_id();
                    self.define(ns, id.as_deref())?;
                    let mut import = false;
                    let mut is64 = false;
                    let mut inline_segment = false;
                    let save = self.c.pos;
                    while !self.c.at_end() && !self.c.peek_rparen() {
                        if self.c.peek_sexpr("import") {
                            import = true;
                        }
                        if self.c.peek_sexpr("elem") && kw == "table" {
                            inline_segment = true;
                        }
                        if self.c.peek_sexpr("data") && kw == "memory" {
                            inline_segment = true;
                        }
                        if self.c.eat_keyword("i64") {
                            is64 = true;
                            continue;
                        }
                        self.c.skip_tree();
                    }
                    self.c.pos = save;
                    if kw == "memory" {
                        self.spaces.mem64.push(is64);
                    }
                    if inline_segment {
                        let ns = if kw == "table" { Ns::Elem } else { Ns::Data };
                        self.define(ns, None)?;
                    }
                    if import {
                        if let Some(d) = defined {
                            return Err(self.c.error_at(
                                kw_tok.unwrap_or_else(|| self.c.peek().unwrap_or_default()),
                                format!("import after {d}"),
                            ));
                        }
                    } else if kw != "tag" && defined.is_none() {
                        defined = Some(match kw {
                            "func" => "function",
                            "table" => "table",
                            "memory" => "memory",
                            _ => "global",
                        });
                    }
                }
                "import" => {
                    if let Some(d) = defined {
                        return Err(self
                            .c
                            .error_at(kw_tok.unwrap_or_default(), format!("import after {d}")));
                    }
                    self.c.name()?;
                    self.c.name()?;
                    self.c.lparen()?;
                    let kind = self.c.keyword()?;
                    if !matches!(kind, "func" | "table" | "memory" | "global" | "tag") {
                        return Err(self.c.unexpected());
                    }
                    let id = self.c.opt_id();
                    self.define(ns_of(kind), id.as_deref())?;
                    if kind == "memory" {
                        self.spaces.mem64.push(self.c.keyword_at(0) == Some("i64"));
                    }
                }
                "elem" | "data" => {
                    let id = self.c.opt_id();
                    self.define(ns_of(kw), id.as_deref())?;
                }
                "export" | "start" => {}
                _ => {
                    return Err(self
                        .c
                        .error_at(kw_tok.unwrap_or_default(), format!("unknown operator {kw}")));
                }
            }
            self.c.pos = pos;
            self.c.skip_tree();
            fields.push(Field { pos, kw });
        }
        Ok(fields)
    }

    /// Pass 1 for one `(type ...)` after its keyword: its `$id` and its
    /// struct field names.
    pub(crate) fn collect_type(&mut self) -> PResult<()> {
        let id = self.c.opt_id();
        let idx = self.define(Ns::Type, id.as_deref())?;
        let mut depth_guard = 0;
        // Find the composite type, through an optional `(sub ...)`.
        while depth_guard < 2 {
            depth_guard += 1;
            if self.c.eat_sexpr("sub") {
                self.c.eat_keyword("final");
                while matches!(self.c.kind_at(0), Some(Kind::Id | Kind::Reserved)) {
                    self.c.bump();
                }
                continue;
            }
            if self.c.eat_sexpr("struct") {
                let mut fields = Space::default();
                while self.c.eat_sexpr("field") {
                    if let Some(name) = self.c.opt_id() {
                        if fields.define(Some(&name)).is_err() {
                            return Err(self.c.error("duplicate field"));
                        }
                        self.c.skip_to_close();
                    } else {
                        while !self.c.at_end() && !self.c.peek_rparen() {
                            let _ = fields.define(None);
                            self.c.skip_tree();
                        }
                        self.c.rparen()?;
                    }
                }
                self.spaces.fields.insert(idx, fields);
            }
            break;
        }
        Ok(())
    }
}
