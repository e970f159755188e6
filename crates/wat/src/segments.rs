//! Element and data segments, and `(@custom ...)` sections.

use crate::cursor::PResult;
use crate::lexer::Kind;
use crate::module::ModuleParser;
use crate::names::Ns;
use weft_ast::*;

/// `(ref func)`: the type of segments given as function indices.
const REF_FUNC: RefType = RefType::new(false, HeapType::Abstract(AbsHeap::Func));

impl ModuleParser<'_> {
    pub(crate) fn elem_field(&mut self) -> PResult<()> {
        let index = self.m.elems.len() as u32;
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.elems, index, id);
        let mode = if self.c.eat_keyword("declare") {
            ElemMode::Declarative
        } else {
            let table = if self.c.eat_sexpr("table") {
                let t = self.index(Ns::Table)?;
                self.c.rparen()?;
                Some(t)
            } else if self.is_index_at(0) && self.c.kind_at(1) == Some(Kind::LParen) {
                Some(self.index(Ns::Table)?)
            } else {
                None
            };
            if self.c.eat_sexpr("offset") {
                let offset = self.expr()?;
                self.c.rparen()?;
                ElemMode::Active {
                    table: table.unwrap_or(0),
                    offset,
                }
            } else if self
                .c
                .peek_sexpr_kw()
                .is_some_and(|k| k != "item" && k != "ref")
            {
                let offset = self.folded_expr()?;
                ElemMode::Active {
                    table: table.unwrap_or(0),
                    offset,
                }
            } else {
                ElemMode::Passive
            }
        };
        // `(elem offset funcidx*)`, the MVP form, has no element kind.
        let (ty, items) =
            if self.c.eat_keyword("func") || self.is_index_at(0) || self.c.peek_rparen() {
                (REF_FUNC, ElemItems::Funcs(self.func_indices()?))
            } else {
                let ty = self.ref_type()?;
                (ty, self.elem_exprs()?)
            };
        self.m.elems.push(Elem { mode, ty, items });
        Ok(())
    }

    /// The type and items of an inline `(elem ...)` of a table of type
    /// `ty`.
    pub(crate) fn elem_items_after_type(&mut self, ty: RefType) -> PResult<(RefType, ElemItems)> {
        if self.is_index_at(0) || self.c.peek_rparen() {
            let funcs = self.func_indices()?;
            if ty == RefType::FUNCREF {
                return Ok((REF_FUNC, ElemItems::Funcs(funcs)));
            }
            // A table of typed function references: `(ref func)` items
            // would not fit it, so the items take the table's type.
            let exprs = funcs
                .into_iter()
                .map(|func| self.m.push_expr([Instr::RefFunc { func }, Instr::End]))
                .collect();
            Ok((ty, ElemItems::Exprs(exprs)))
        } else {
            Ok((ty, self.elem_exprs()?))
        }
    }

    /// Function indices up to the next non-index.
    pub(crate) fn func_indices(&mut self) -> PResult<Vec<u32>> {
        let mut funcs = Vec::new();
        while self.is_index_at(0) {
            funcs.push(self.index(Ns::Func)?);
        }
        Ok(funcs)
    }

    /// `(item expr)*` or folded single instructions.
    pub(crate) fn elem_exprs(&mut self) -> PResult<ElemItems> {
        let mut exprs = Vec::new();
        while !self.c.peek_rparen() && !self.c.at_end() {
            if self.c.eat_sexpr("item") {
                exprs.push(self.expr()?);
                self.c.rparen()?;
            } else {
                exprs.push(self.folded_expr()?);
            }
        }
        Ok(ElemItems::Exprs(exprs))
    }

    pub(crate) fn data_field(&mut self) -> PResult<()> {
        let index = self.m.datas.len() as u32;
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.datas, index, id);
        let memory = if self.c.eat_sexpr("memory") {
            let t = self.index(Ns::Memory)?;
            self.c.rparen()?;
            Some(t)
        } else if self.is_index_at(0) {
            Some(self.index(Ns::Memory)?)
        } else {
            None
        };
        let mode = if self.c.eat_sexpr("offset") {
            let offset = self.expr()?;
            self.c.rparen()?;
            DataMode::Active {
                memory: memory.unwrap_or(0),
                offset,
            }
        } else if self.c.kind_at(0) == Some(Kind::LParen) {
            let offset = self.folded_expr()?;
            DataMode::Active {
                memory: memory.unwrap_or(0),
                offset,
            }
        } else if memory.is_some() {
            return Err(self.c.unexpected());
        } else {
            DataMode::Passive
        };
        let mut init = Vec::new();
        while self.c.peek_string() {
            init.extend(self.c.string()?);
        }
        self.m.datas.push(Data { mode, init });
        Ok(())
    }

    /// `(@custom "name" place? "bytes"*)` at the cursor, as the custom annotations
    /// proposal reads it (errors `@custom annotation: ...`): the place is
    /// `(before S)` or `(after S)`, S a section keyword, `first` (the type
    /// section) or `last` (the data section); without one, after the last
    /// section.
    pub(crate) fn custom_annotation(&mut self) -> PResult<()> {
        let err = |p: &Self, at: Option<crate::lexer::Token>, what: &str| {
            let msg = format!("@custom annotation: {what}");
            match at {
                Some(t) => p.c.error_at(t, msg),
                None => p.c.error(msg),
            }
        };
        let open = self.c.bump();
        if !self.c.peek_string() {
            return Err(err(self, open, "missing section name"));
        }
        let name_tok = self.c.peek();
        let name = String::from_utf8(self.c.string()?)
            .map_err(|_| err(self, name_tok, "malformed UTF-8 encoding"))?;
        let mut place = Place::After(SectionId::Data);
        if self.c.kind_at(0) == Some(Kind::LParen) {
            let paren = self.c.bump();
            let before = match self.c.keyword_at(0) {
                Some("before") => true,
                Some("after") => false,
                _ => return Err(err(self, paren, "malformed placement")),
            };
            self.c.bump();
            let id = match self.c.keyword_at(0) {
                Some("first") => SectionId::Type,
                Some("last") => SectionId::Data,
                Some(kw) => match SectionId::ORDER.into_iter().find(|s| s.name() == kw) {
                    Some(id) => id,
                    None => return Err(err(self, paren, "malformed section kind")),
                },
                None => return Err(err(self, paren, "malformed section kind")),
            };
            self.c.bump();
            if !self.c.peek_rparen() {
                return Err(err(self, None, "unexpected token"));
            }
            self.c.bump();
            place = match (before, id.order()) {
                (false, _) => Place::After(id),
                (true, Some(0) | None) => Place::First,
                (true, Some(i)) => Place::After(SectionId::ORDER[i - 1]),
            };
        }
        let mut data = Vec::new();
        while self.c.peek_string() {
            data.extend(self.c.string()?);
        }
        if !self.c.peek_rparen() {
            return Err(err(self, None, "unexpected token"));
        }
        self.c.bump();
        self.m.customs.push(Custom {
            place,
            kind: CustomKind::Raw { name, data },
        });
        Ok(())
    }
}
