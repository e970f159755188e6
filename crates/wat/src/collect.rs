//! Pass 1 over a module's fields: every `$id` gets its index before any
//! field is parsed, so that fields may refer forwards.

use crate::cursor::PResult;
use crate::error::Error;
use crate::lexer::Kind;
use crate::module::{ModuleParser, ns_of};
use crate::names::{Ns, Space};

/// Result of pass 1 for one field: where it starts and its keyword.
pub(crate) struct Field<'a> {
    /// Token position of the field's `(` (or of its `(@custom`).
    pub pos: usize,
    /// The field's keyword (`@custom`, `@producers` or `@dylink.0` for an
    /// annotation).
    pub kw: &'a str,
}

impl<'a> ModuleParser<'a> {
    /// Pass 1: gives every `$id` its index and returns where each field
    /// starts. Leaves the cursor at the closing `)` (or the end).
    pub(crate) fn collect(&mut self) -> PResult<Vec<Field<'a>>> {
        let mut fields = Vec::new();
        // The first kind defined (not imported), for `import after ...`.
        let mut defined: Option<&'static str> = None;
        while let Some(t) = self.c.peek().filter(|t| t.kind != Kind::RParen) {
            let pos = self.c.pos;
            if t.kind == Kind::Annot {
                // `(@custom`, `(@producers`, `(@dylink.0`: custom sections,
                // whose place is decided by the fields around them.
                let kw = self.c.text(t).trim_start_matches('(');
                fields.push(Field { pos, kw });
                self.c.skip_tree();
                continue;
            }
            // A custom section is a module field: one inside a field is
            // misplaced.
            let end = self.skip_field()?;
            self.c.pos = pos;
            self.c.lparen()?;
            let kw_tok = self.c.peek().unwrap_or(t);
            if self.c.keyword_at(0).is_none() && !self.c.at_end() && !self.c.peek_rparen() {
                return Err(self.c.error("unknown operator"));
            }
            let kw = self.c.keyword()?;
            let src = self.c.src;
            let import_after =
                move |d: &str| Error::at(src, kw_tok.start as usize, format!("import after {d}"));
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
                    let id = self.c.opt_id();
                    self.define(ns_of(kw), id.as_deref())?;
                    let (import, inline_segment) = self.field_shape(kw);
                    if inline_segment {
                        let ns = if kw == "table" { Ns::Elem } else { Ns::Data };
                        self.define(ns, None)?;
                    }
                    match (import, defined) {
                        (true, Some(d)) => return Err(import_after(d)),
                        // Tags are not in the rule: the reference
                        // interpreter checks the four MVP kinds.
                        (false, None) if kw != "tag" => {
                            defined = Some(match kw {
                                "func" => "function",
                                "table" => "table",
                                "memory" => "memory",
                                _ => "global",
                            });
                        }
                        _ => {}
                    }
                }
                "import" => {
                    if let Some(d) = defined {
                        return Err(import_after(d));
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
                }
                "elem" | "data" => {
                    let id = self.c.opt_id();
                    self.define(ns_of(kw), id.as_deref())?;
                }
                "export" | "start" => {}
                _ => {
                    return Err(self.c.error_at(kw_tok, format!("unknown operator {kw}")));
                }
            }
            self.c.pos = end;
            fields.push(Field { pos, kw });
        }
        Ok(fields)
    }

    /// Moves past the field at the cursor and returns where it ends; a
    /// `(@custom` inside it is misplaced.
    fn skip_field(&mut self) -> PResult<usize> {
        let mut depth = 0usize;
        while let Some(t) = self.c.bump() {
            match t.kind {
                Kind::LParen => depth += 1,
                Kind::Annot if depth > 0 => {
                    let annot = self.c.text(t).trim_start_matches('(');
                    return Err(self.c.error_at(t, format!("misplaced {annot} annotation")));
                }
                Kind::Annot => depth += 1,
                Kind::RParen => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
        Ok(self.c.pos)
    }

    /// Whether the definition field `kw` whose `$id` has been read is an
    /// inline import, and whether it carries an inline segment (`(elem
    /// ...)` of a table, `(data ...)` of a memory), which takes an index.
    /// Leaves the cursor where it was.
    fn field_shape(&mut self, kw: &str) -> (bool, bool) {
        let save = self.c.pos;
        let mut import = false;
        let mut segment = false;
        while !self.c.at_end() && !self.c.peek_rparen() {
            match self.c.peek_sexpr_kw() {
                Some("import") => import = true,
                Some("elem") => segment |= kw == "table",
                Some("data") => segment |= kw == "memory",
                _ => {}
            }
            self.c.skip_tree();
        }
        self.c.pos = save;
        (import, segment)
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
