//! The fields that define entities: functions, tables, memories, globals,
//! tags and imports, with their inline exports, imports and segments.

use crate::cursor::PResult;
use crate::module::{FuncScope, ModuleParser};
use weft_ast::*;

impl ModuleParser<'_> {
    /// Reads the inline `(export "name")`s of a field.
    pub(crate) fn inline_exports(&mut self, kind: ExternKind, index: u32) -> PResult<()> {
        loop {
            let at = self.here();
            if !self.c.eat_sexpr("export") {
                break;
            }
            let name = self.c.name()?;
            self.c.rparen()?;
            self.m.exports.push(Export { name, kind, index });
            if let Some(map) = self.map.as_mut() {
                map.exports.resize(self.m.exports.len(), at);
            }
        }
        Ok(())
    }

    /// Reads an inline `(import "m" "n")`, if present.
    pub(crate) fn inline_import(&mut self) -> PResult<Option<(String, String)>> {
        if self.c.eat_sexpr("import") {
            let module = self.c.name()?;
            let name = self.c.name()?;
            self.c.rparen()?;
            Ok(Some((module, name)))
        } else {
            Ok(None)
        }
    }

    /// An imported function's type: a type use, or `(exact typeuse)`
    /// (custom descriptors) for an exact function import. The names of
    /// its inline parameters are function `index`'s local names, as for
    /// a defined function.
    fn func_import_desc(&mut self, index: u32) -> PResult<ImportDesc> {
        let exact =
            self.features.contains(Features::CUSTOM_DESCRIPTORS) && self.c.eat_sexpr("exact");
        let (ty, params) = self.type_use()?;
        let names: NameMap = params
            .into_iter()
            .enumerate()
            .filter_map(|(i, b)| Some((i as u32, b.name?)))
            .collect();
        if !names.is_empty() {
            self.m.names.locals.push((index, names));
        }
        if exact {
            self.c.rparen()?;
            return Ok(ImportDesc::FuncExact(ty));
        }
        Ok(ImportDesc::Func(ty))
    }

    pub(crate) fn func_field(&mut self) -> PResult<()> {
        // The field's `(` and keyword are read.
        self.enter_func(self.c.pos - 2)?;
        let index = self.next_index(ExternKind::Func);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.funcs, index, id);
        self.inline_exports(ExternKind::Func, index)?;
        if let Some((module, name)) = self.inline_import()? {
            let desc = self.func_import_desc(index)?;
            self.push_import(Import { module, name, desc });
            return Ok(());
        }
        let (ty, param_names) = self.type_use()?;
        self.scope = FuncScope::default();
        let mut local_names = Vec::new();
        for (i, b) in param_names.into_iter().enumerate() {
            if self.scope.locals.define(b.id.as_deref()).is_err() {
                return Err(self.c.error("duplicate local"));
            }
            if let Some(n) = b.name {
                local_names.push((i as u32, n));
            }
        }
        let mut locals: Vec<Locals> = Vec::new();
        while self.c.eat_sexpr("local") {
            if let Some(b) = self.binding() {
                let idx = self
                    .scope
                    .locals
                    .define(b.id.as_deref())
                    .map_err(|_| self.c.error("duplicate local"))?;
                local_names.extend(b.name.map(|n| (idx, n)));
                let ty = self.val_type()?;
                push_local(&mut locals, ty);
            } else {
                while !self.c.peek_rparen() {
                    let ty = self.val_type()?;
                    let _ = self.scope.locals.define(None);
                    push_local(&mut locals, ty);
                }
            }
            self.c.rparen()?;
        }
        self.in_func = true;
        let body = self.expr();
        self.in_func = false;
        let body = body?;
        self.leave_func(index, body)?;
        let scope = std::mem::take(&mut self.scope);
        if !scope.label_names.is_empty() {
            self.m.names.labels.push((index, scope.label_names));
        }
        if !local_names.is_empty() {
            self.m.names.locals.push((index, local_names));
        }
        self.m.funcs.push(Func { ty, locals, body });
        Ok(())
    }

    pub(crate) fn table_field(&mut self) -> PResult<()> {
        let index = self.next_index(ExternKind::Table);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.tables, index, id);
        self.inline_exports(ExternKind::Table, index)?;
        if let Some((module, name)) = self.inline_import()? {
            let ty = self.table_type()?;
            self.push_import(Import {
                module,
                name,
                desc: ImportDesc::Table(ty),
            });
            return Ok(());
        }
        let addr = self.addr_type();
        // `(table addr? reftype (elem ...))`: the size comes from the items.
        if !self.is_index_at(0) {
            let elem = self.ref_type()?;
            self.c.lparen()?;
            self.c.expect_keyword("elem")?;
            let (ty, items) = self.elem_items_after_type(elem)?;
            self.c.rparen()?;
            let n = items.len() as u64;
            let offset = self.const_offset(addr);
            self.m.tables.push(Table {
                ty: TableType {
                    addr,
                    limits: Limits {
                        min: n,
                        max: Some(n),
                    },
                    elem,
                },
                init: None,
            });
            self.m.elems.push(Elem {
                mode: ElemMode::Active {
                    table: index,
                    offset,
                },
                ty,
                items,
            });
            return Ok(());
        }
        let limits = self.limits(addr)?;
        let elem = self.ref_type()?;
        let init = if self.c.peek_rparen() {
            None
        } else {
            Some(self.expr()?)
        };
        self.m.tables.push(Table {
            ty: TableType { addr, limits, elem },
            init,
        });
        Ok(())
    }

    /// `i32.const 0` or `i64.const 0` as a constant expression.
    pub(crate) fn const_offset(&mut self, addr: AddrType) -> Expr {
        let zero = match addr {
            AddrType::I32 => Instr::I32Const { value: 0 },
            AddrType::I64 => Instr::I64Const { value: 0 },
        };
        self.m.push_expr([zero, Instr::End])
    }

    pub(crate) fn memory_field(&mut self) -> PResult<()> {
        let index = self.next_index(ExternKind::Memory);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.memories, index, id);
        self.inline_exports(ExternKind::Memory, index)?;
        if let Some((module, name)) = self.inline_import()? {
            let ty = self.memory_type()?;
            self.push_import(Import {
                module,
                name,
                desc: ImportDesc::Memory(ty),
            });
            return Ok(());
        }
        let addr = self.addr_type();
        if !self.c.is_int_at(0) {
            // `(memory addr? (pagesize n)? (data ...))`: sized by its data.
            let page_size_log2 = self.page_size()?;
            self.c.lparen()?;
            self.c.expect_keyword("data")?;
            let mut init = Vec::new();
            while self.c.peek_string() {
                init.extend(self.c.string()?);
            }
            self.c.rparen()?;
            let page = 1u64 << page_size_log2.unwrap_or(16);
            let pages = (init.len() as u64).div_ceil(page);
            let offset = self.const_offset(addr);
            self.m.memories.push(MemoryType {
                addr,
                limits: Limits {
                    min: pages,
                    max: Some(pages),
                },
                shared: false,
                page_size_log2,
            });
            self.m.datas.push(Data {
                mode: DataMode::Active {
                    memory: index,
                    offset,
                },
                init,
            });
            return Ok(());
        }
        let ty = self.memory_type_rest(addr)?;
        self.m.memories.push(ty);
        Ok(())
    }

    pub(crate) fn global_field(&mut self) -> PResult<()> {
        let index = self.next_index(ExternKind::Global);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.globals, index, id);
        self.inline_exports(ExternKind::Global, index)?;
        if let Some((module, name)) = self.inline_import()? {
            let ty = self.global_type()?;
            self.push_import(Import {
                module,
                name,
                desc: ImportDesc::Global(ty),
            });
            return Ok(());
        }
        let ty = self.global_type()?;
        let init = self.expr()?;
        self.m.globals.push(Global { ty, init });
        Ok(())
    }

    pub(crate) fn tag_field(&mut self) -> PResult<()> {
        let index = self.next_index(ExternKind::Tag);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.tags, index, id);
        self.inline_exports(ExternKind::Tag, index)?;
        let import = self.inline_import()?;
        let (ty, _) = self.type_use()?;
        let tag = TagType { attribute: 0, ty };
        match import {
            Some((module, name)) => self.push_import(Import {
                module,
                name,
                desc: ImportDesc::Tag(tag),
            }),
            None => self.m.tags.push(tag),
        }
        Ok(())
    }

    pub(crate) fn import_field(&mut self) -> PResult<()> {
        let module = self.c.name()?;
        let name = self.c.name()?;
        self.c.lparen()?;
        let kind = self.c.keyword()?;
        let (_, id) = self.c.opt_id_and_name();
        let desc = match kind {
            "func" => {
                let index = self.next_index(ExternKind::Func);
                Self::name_of(&mut self.m.names.funcs, index, id);
                self.func_import_desc(index)?
            }
            "table" => {
                let index = self.next_index(ExternKind::Table);
                Self::name_of(&mut self.m.names.tables, index, id);
                ImportDesc::Table(self.table_type()?)
            }
            "memory" => {
                let index = self.next_index(ExternKind::Memory);
                Self::name_of(&mut self.m.names.memories, index, id);
                ImportDesc::Memory(self.memory_type()?)
            }
            "global" => {
                let index = self.next_index(ExternKind::Global);
                Self::name_of(&mut self.m.names.globals, index, id);
                ImportDesc::Global(self.global_type()?)
            }
            "tag" => {
                let index = self.next_index(ExternKind::Tag);
                Self::name_of(&mut self.m.names.tags, index, id);
                ImportDesc::Tag(TagType {
                    attribute: 0,
                    ty: self.type_use()?.0,
                })
            }
            _ => return Err(self.c.unexpected()),
        };
        self.c.rparen()?;
        self.push_import(Import { module, name, desc });
        Ok(())
    }
}

/// Appends one local of type `ty`, merging runs of one type.
fn push_local(locals: &mut Vec<Locals>, ty: ValType) {
    match locals.last_mut() {
        Some(run) if run.ty == ty => run.count += 1,
        _ => locals.push(Locals { count: 1, ty }),
    }
}
