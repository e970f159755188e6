//! Module fields: the driver that turns a module's tokens into a
//! [`Module`].
//!
//! Parsing takes three passes over the fields, because the text lets any
//! field refer to any other by `$id`, forwards too, and because implicit
//! function types go after every explicit type:
//!
//! 1. [`ModuleParser::collect`] walks the fields' heads only, giving every
//!    `$id` its index (duplicates are errors here) and noting the facts
//!    other fields' syntax depends on (struct field names, 64-bit
//!    memories);
//! 2. the `type` and `rec` fields are parsed, so that every explicit type
//!    is known;
//! 3. every other field is parsed in order, straight into the module,
//!    with indices resolved as they are read.

use crate::cursor::{Cursor, PResult};
use crate::lexer::Kind;
use crate::names::{Ns, Space, Spaces};
use std::borrow::Cow;
use weft_ast::*;

/// Label of a block being parsed.
#[derive(Debug)]
pub(crate) struct Label {
    /// Its `$id`, if any.
    pub name: Option<String>,
    /// Which instruction opened it (`block`, `if`, `try`, ...).
    pub kind: BlockKind,
    /// Whether it was opened in the plain (unfolded) syntax, so that an
    /// `end` keyword closes it.
    pub plain: bool,
}

/// The instruction that opened a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// `block`, `loop` or `try_table`.
    Block,
    /// `if`, before its `else`.
    If,
    /// `if`, after its `else`.
    Else,
    /// Legacy `try`, before a handler.
    Try,
    /// Legacy `try`, after `catch` or `catch_all`.
    Catch,
}

/// What the body parser knows about the function it is in.
#[derive(Default, Debug)]
pub(crate) struct FuncScope {
    /// Locals (parameters first) by `$id`.
    pub locals: Space,
    /// Enclosing blocks, innermost last.
    pub labels: Vec<Label>,
    /// For each label name, the depths (indices in `labels`) of the open
    /// blocks that bear it, innermost last.
    pub label_depths: std::collections::HashMap<String, Vec<usize>>,
    /// Blocks opened so far in the function.
    pub blocks: u32,
    /// Names of the labelled blocks, by block number.
    pub label_names: NameMap,
}

/// The state of one module's parse.
pub(crate) struct ModuleParser<'a> {
    /// Where we are.
    pub c: Cursor<'a>,
    /// What has been built so far.
    pub m: Module,
    /// Accepted proposals.
    pub features: Features,
    /// Every index space.
    pub spaces: Spaces,
    /// The function (or constant expression) being parsed.
    pub scope: FuncScope,
    /// Whether a `memory.init`, `data.drop`, `array.new_data` or
    /// `array.init_data` appeared: the binary then needs a data count.
    pub uses_data_count: bool,
    /// Last type index read as an immediate (struct field ids resolve in
    /// it).
    pub last_type: u32,
    /// Whether the instruction being read takes a lane index after its
    /// memory argument.
    pub lane_follows: bool,
    /// Type uses naming a type index not defined yet, with their token
    /// position: implicit types may still define them; checked at the end.
    pub pending_type_uses: Vec<(u32, usize)>,
    /// Whether a function body (not a constant expression) is being read.
    pub in_func: bool,
    /// Plain function types by signature, for implicit type uses.
    pub plain_func_types: std::collections::HashMap<FuncType, u32>,
    /// Imports of each kind so far (indexed by `ExternKind as usize`).
    imported: [u32; 5],
}

/// Result of pass 1 for one field: where it starts and its keyword.
struct Field<'a> {
    pos: usize,
    kw: &'a str,
}

impl<'a> ModuleParser<'a> {
    /// A parser for the module whose fields start at the cursor.
    pub fn new(c: Cursor<'a>, features: Features) -> ModuleParser<'a> {
        ModuleParser {
            c,
            m: Module::default(),
            features,
            spaces: Spaces::default(),
            scope: FuncScope::default(),
            uses_data_count: false,
            last_type: 0,
            lane_follows: false,
            pending_type_uses: Vec::new(),
            in_func: false,
            plain_func_types: std::collections::HashMap::new(),
            imported: [0; 5],
        }
    }

    /// Parses module fields up to the `)` closing the module (not read) or
    /// the end of the tokens.
    /// Returns the module and the position of the closing `)`. `name` is
    /// the module's `$id`, for the name section.
    pub fn parse_fields(mut self, name: Option<String>) -> PResult<(Module, usize)> {
        self.m.names.module = name;
        let fields = self.collect()?;
        let end = self.c.pos;
        for f in fields.iter().filter(|f| f.kw == "type" || f.kw == "rec") {
            self.c.pos = f.pos;
            self.type_field()?;
        }
        self.index_plain_func_types();
        let mut customs = Vec::new();
        let mut last_section = None;
        for f in &fields {
            self.c.pos = f.pos;
            match f.kw {
                "type" | "rec" => {}
                "@custom" => customs.push((self.c.pos, last_section)),
                kw => {
                    self.field(kw)?;
                    last_section = Some(kw);
                }
            }
        }
        for (pos, _) in customs {
            self.c.pos = pos;
            self.custom_annotation()?;
        }
        let num_types = self.m.types.len() as u32;
        if let Some(&(_, pos)) = self.pending_type_uses.iter().find(|(t, _)| *t >= num_types) {
            self.c.pos = pos;
            return Err(self.c.error("unknown type"));
        }
        self.c.pos = end;
        if self.uses_data_count {
            self.m.data_count = Some(self.m.datas.len() as u32);
        }
        if !self.m.names.is_empty() {
            self.m.customs.push(Custom {
                place: Place::After(SectionId::Data),
                kind: CustomKind::Names,
            });
        }
        Ok((self.m, end))
    }

    /// Pass 1: gives every `$id` its index and returns where each field
    /// starts. Leaves the cursor at the closing `)` (or the end).
    fn collect(&mut self) -> PResult<Vec<Field<'a>>> {
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
    fn collect_type(&mut self) -> PResult<()> {
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

    /// Defines an entry in a space, reporting a duplicate `$id`.
    pub fn define(&mut self, ns: Ns, id: Option<&str>) -> PResult<u32> {
        self.spaces
            .get_mut(ns)
            .define(id)
            .map_err(|_| self.c.error(format!("duplicate {}", ns.word())))
    }

    /// Parses one non-type field; the cursor is at its `(`.
    fn field(&mut self, kw: &str) -> PResult<()> {
        self.c.lparen()?;
        self.c.keyword()?;
        match kw {
            "func" => self.func_field()?,
            "table" => self.table_field()?,
            "memory" => self.memory_field()?,
            "global" => self.global_field()?,
            "tag" => self.tag_field()?,
            "import" => self.import_field()?,
            "export" => {
                let name = self.c.name()?;
                self.c.lparen()?;
                let kind = self.c.keyword()?;
                let (kind, ns) = match kind {
                    "func" => (ExternKind::Func, Ns::Func),
                    "table" => (ExternKind::Table, Ns::Table),
                    "memory" => (ExternKind::Memory, Ns::Memory),
                    "global" => (ExternKind::Global, Ns::Global),
                    "tag" => (ExternKind::Tag, Ns::Tag),
                    _ => return Err(self.c.unexpected()),
                };
                let index = self.index(ns)?;
                self.c.rparen()?;
                self.m.exports.push(Export { name, kind, index });
            }
            "start" => {
                if self.m.start.is_some() {
                    return Err(self.c.error("multiple start sections"));
                }
                self.m.start = Some(self.index(Ns::Func)?);
            }
            "elem" => self.elem_field()?,
            "data" => self.data_field()?,
            _ => return Err(self.c.unexpected()),
        }
        self.c.rparen()
    }

    /// Reads an index (`$id` or number) in a space.
    pub fn index(&mut self, ns: Ns) -> PResult<u32> {
        match self.c.peek() {
            Some(t) if t.kind == Kind::Id => {
                let name = crate::cursor::id_name(self.c.text(t));
                match self.spaces.get(ns).get(&name) {
                    Some(i) => {
                        self.c.bump();
                        Ok(i)
                    }
                    None => Err(self.c.error(format!(
                        "unknown {} ${name}",
                        if ns == Ns::Func {
                            "function"
                        } else {
                            ns.word()
                        }
                    ))),
                }
            }
            _ => self.c.u32(),
        }
    }

    /// Whether an index (`$id` or integer) comes `n` tokens ahead.
    pub fn is_index_at(&self, n: usize) -> bool {
        self.c.kind_at(n) == Some(Kind::Id) || self.c.is_int_at(n)
    }

    /// Reads an index if one comes next.
    pub fn opt_index(&mut self, ns: Ns) -> PResult<Option<u32>> {
        if self.is_index_at(0) {
            self.index(ns).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Records a name for an index in a name map.
    fn name_of(map: &mut NameMap, idx: u32, name: Option<Cow<str>>) {
        if let Some(name) = name {
            map.push((idx, name.into_owned()));
        }
    }

    /// Reads the inline `(export "name")`s of a field.
    fn inline_exports(&mut self, kind: ExternKind, index: u32) -> PResult<()> {
        while self.c.eat_sexpr("export") {
            let name = self.c.name()?;
            self.c.rparen()?;
            self.m.exports.push(Export { name, kind, index });
        }
        Ok(())
    }

    /// Reads an inline `(import "m" "n")`, if present.
    fn inline_import(&mut self) -> PResult<Option<(String, String)>> {
        if self.c.eat_sexpr("import") {
            let module = self.c.name()?;
            let name = self.c.name()?;
            self.c.rparen()?;
            Ok(Some((module, name)))
        } else {
            Ok(None)
        }
    }

    /// Index a new entry of a space gets (imports and definitions share
    /// the space; imports come first).
    fn next_index(&self, kind: ExternKind) -> u32 {
        self.imported[kind as usize]
            + match kind {
                ExternKind::Func => self.m.funcs.len(),
                ExternKind::Table => self.m.tables.len(),
                ExternKind::Memory => self.m.memories.len(),
                ExternKind::Global => self.m.globals.len(),
                ExternKind::Tag => self.m.tags.len(),
            } as u32
    }

    /// Adds an import, counting it in its index space.
    fn push_import(&mut self, import: Import) {
        self.imported[import.desc.kind() as usize] += 1;
        self.m.imports.push(import);
    }

    fn func_field(&mut self) -> PResult<()> {
        let index = self.next_index(ExternKind::Func);
        let (_, id) = self.c.opt_id_and_name();
        Self::name_of(&mut self.m.names.funcs, index, id);
        self.inline_exports(ExternKind::Func, index)?;
        if let Some((module, name)) = self.inline_import()? {
            let (ty, _) = self.type_use()?;
            self.push_import(Import {
                module,
                name,
                desc: ImportDesc::Func(ty),
            });
            return Ok(());
        }
        let (ty, param_names) = self.type_use()?;
        self.scope = FuncScope::default();
        let mut local_names = Vec::new();
        for (i, name) in param_names.into_iter().enumerate() {
            if self.scope.locals.define(name.as_deref()).is_err() {
                return Err(self.c.error("duplicate local"));
            }
            if let Some(n) = name {
                local_names.push((i as u32, n));
            }
        }
        let mut locals: Vec<Locals> = Vec::new();
        while self.c.eat_sexpr("local") {
            if let Some(name) = self.c.opt_id() {
                let idx = self
                    .scope
                    .locals
                    .define(Some(&name))
                    .map_err(|_| self.c.error("duplicate local"))?;
                local_names.push((idx, name.into_owned()));
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

    fn table_field(&mut self) -> PResult<()> {
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
    fn const_offset(&mut self, addr: AddrType) -> Expr {
        let zero = match addr {
            AddrType::I32 => Instr::I32Const { value: 0 },
            AddrType::I64 => Instr::I64Const { value: 0 },
        };
        self.m.push_expr([zero, Instr::End])
    }

    fn memory_field(&mut self) -> PResult<()> {
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

    fn global_field(&mut self) -> PResult<()> {
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

    fn tag_field(&mut self) -> PResult<()> {
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

    fn import_field(&mut self) -> PResult<()> {
        let module = self.c.name()?;
        let name = self.c.name()?;
        self.c.lparen()?;
        let kind = self.c.keyword()?;
        let (_, id) = self.c.opt_id_and_name();
        let desc = match kind {
            "func" => {
                let index = self.next_index(ExternKind::Func);
                Self::name_of(&mut self.m.names.funcs, index, id);
                ImportDesc::Func(self.type_use()?.0)
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

    fn elem_field(&mut self) -> PResult<()> {
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
    fn elem_items_after_type(&mut self, ty: RefType) -> PResult<(RefType, ElemItems)> {
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
    fn func_indices(&mut self) -> PResult<Vec<u32>> {
        let mut funcs = Vec::new();
        while self.is_index_at(0) {
            funcs.push(self.index(Ns::Func)?);
        }
        Ok(funcs)
    }

    /// `(item expr)*` or folded single instructions.
    fn elem_exprs(&mut self) -> PResult<ElemItems> {
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

    fn data_field(&mut self) -> PResult<()> {
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

    /// `(@custom "name" (before|after place)? "data"*)` at the cursor.
    fn custom_annotation(&mut self) -> PResult<()> {
        self.c.bump();
        let name = self.c.name()?;
        let mut place = Place::After(SectionId::Data);
        if self.c.kind_at(0) == Some(Kind::LParen) {
            self.c.lparen()?;
            let before = match self.c.keyword()? {
                "before" => true,
                "after" => false,
                _ => return Err(self.c.unexpected()),
            };
            let sec = self.c.keyword()?;
            place = match (before, sec) {
                (true, "first") => Place::First,
                (false, "last") => Place::After(SectionId::Data),
                _ => {
                    let id = SectionId::ORDER
                        .into_iter()
                        .find(|s| s.name() == sec)
                        .ok_or_else(|| self.c.unexpected())?;
                    if before {
                        match id.order() {
                            Some(0) | None => Place::First,
                            Some(i) => Place::After(SectionId::ORDER[i - 1]),
                        }
                    } else {
                        Place::After(id)
                    }
                }
            };
            self.c.rparen()?;
        }
        let mut data = Vec::new();
        while self.c.peek_string() {
            data.extend(self.c.string()?);
        }
        self.c.rparen()?;
        self.m.customs.push(Custom {
            place,
            kind: CustomKind::Raw { name, data },
        });
        Ok(())
    }
}

/// `(ref func)`: the type of segments given as function indices.
const REF_FUNC: RefType = RefType::new(false, HeapType::Abstract(AbsHeap::Func));

/// Appends one local of type `ty`, merging runs of one type.
fn push_local(locals: &mut Vec<Locals>, ty: ValType) {
    match locals.last_mut() {
        Some(run) if run.ty == ty => run.count += 1,
        _ => locals.push(Locals { count: 1, ty }),
    }
}

fn ns_of(kw: &str) -> Ns {
    match kw {
        "func" => Ns::Func,
        "table" => Ns::Table,
        "memory" => Ns::Memory,
        "global" => Ns::Global,
        "tag" => Ns::Tag,
        "elem" => Ns::Elem,
        "data" => Ns::Data,
        _ => Ns::Type,
    }
}
