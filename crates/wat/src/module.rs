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
use crate::source_map::SourceMap;
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
    /// Legacy `try`, after a `catch`.
    Catch,
    /// Legacy `try`, after its `catch_all`: only `end` may follow.
    CatchAll,
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
    /// Index in the cursor's branch hints of the next one not taken yet.
    next_hint: usize,
    /// Its token index (`u32::MAX` when none is left): the instruction
    /// that starts at or after it takes it.
    pub next_hint_tok: u32,
    /// The hint taken by the instruction being read (likely, offset of the
    /// annotation).
    pub pending_hint: Option<(bool, u32)>,
    /// Branch hints of the function being read: index in `Module::code`
    /// of the instruction, likely.
    pub func_hints: Vec<(u32, bool)>,
    /// Token position of the `(` of the function being read.
    pub func_tok: usize,
    /// When a source map is asked for: where each instruction and each
    /// entity read so far came from.
    pub map: Option<SourceMap>,
    /// Source offset of the text of the instruction being read.
    pub cur_at: u32,
}

impl<'a> ModuleParser<'a> {
    /// A parser for the module whose fields start at the cursor.
    pub fn new(c: Cursor<'a>, features: Features) -> ModuleParser<'a> {
        let next_hint = c.hints.partition_point(|h| (h.tok as usize) < c.pos);
        ModuleParser {
            next_hint,
            next_hint_tok: c.hints.get(next_hint).map_or(u32::MAX, |h| h.tok),
            pending_hint: None,
            func_hints: Vec::new(),
            func_tok: 0,
            map: None,
            cur_at: 0,
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
    /// the end of the tokens; returns the module and the position of that
    /// `)`. `name` is the module's name (its `$id` or `@name`).
    pub fn parse_fields(self, name: Option<String>) -> PResult<(Module, usize)> {
        self.parse_fields_mapped(name, false)
            .map(|(m, end, _)| (m, end))
    }

    /// [`ModuleParser::parse_fields`], with the [`SourceMap`] of the
    /// module's code when `map` is set.
    pub fn parse_fields_mapped(
        mut self,
        name: Option<String>,
        map: bool,
    ) -> PResult<(Module, usize, Option<SourceMap>)> {
        if map {
            self.map = Some(SourceMap::default());
        }
        self.m.names.module = name;
        let start = self.c.pos;
        let fields = self.collect()?;
        let end = self.c.pos;
        for f in fields.iter().filter(|f| f.kw == "type" || f.kw == "rec") {
            self.c.pos = f.pos;
            self.type_field()?;
            self.mark_field(f.pos);
        }
        self.index_plain_func_types();
        for f in &fields {
            self.c.pos = f.pos;
            match f.kw {
                "type" | "rec" => {}
                // A custom section's place is explicit (or after the last
                // section), not where the annotation stands.
                "@custom" => self.custom_annotation()?,
                "@producers" => self.producers_annotation()?,
                "@dylink.0" => self.dylink_annotation()?,
                kw => self.field(kw)?,
            }
            self.mark_field(f.pos);
        }
        let num_types = self.m.types.len() as u32;
        if let Some(&(_, pos)) = self.pending_type_uses.iter().find(|(t, _)| *t >= num_types) {
            self.c.pos = pos;
            return Err(self.c.error("unknown type"));
        }
        // The annotations: wrong contents, a branch hint outside every
        // function, an `@name` that named nothing.
        if let Some(e) = self.c.annotation_error(start, end) {
            return Err(e);
        }
        if self.next_hint_tok as usize <= end {
            return Err(self.hint_error(self.next_hint, "not in a function"));
        }
        self.c.pos = end;
        if !self.m.branch_hints.is_empty() {
            // Right before the code section, as the proposal places it.
            self.m.customs.push(Custom {
                place: Place::After(SectionId::DataCount),
                kind: CustomKind::BranchHints,
            });
        }
        let map = self.map.take().map(|mut map| {
            map.instrs.resize(self.m.code.len(), self.cur_at);
            map
        });
        if self.uses_data_count {
            self.m.data_count = Some(self.m.datas.len() as u32);
        }
        crate::custom::place_trailing(&mut self.m);
        Ok((self.m, end, map))
    }

    /// When a source map is asked for, gives whatever the field whose `(`
    /// is at token `pos` made (and was not placed more precisely while it
    /// was read: an inline export, a type of a `rec`) the field's offset.
    fn mark_field(&mut self, pos: usize) {
        if self.map.is_none() {
            return;
        }
        let at = self.c.toks.get(pos).map_or(0, |t| t.start);
        let spaces = [
            ExternKind::Func,
            ExternKind::Table,
            ExternKind::Memory,
            ExternKind::Global,
            ExternKind::Tag,
        ]
        .map(|k| self.next_index(k) as usize);
        let m = &self.m;
        let Some(map) = self.map.as_mut() else {
            return;
        };
        map.types.resize(m.types.len(), at);
        map.imports.resize(m.imports.len(), at);
        for (space, len) in map.spaces.iter_mut().zip(spaces) {
            space.resize(len, at);
        }
        map.exports.resize(m.exports.len(), at);
        map.elems.resize(m.elems.len(), at);
        map.datas.resize(m.datas.len(), at);
        if m.start.is_some() && map.start.is_none() {
            map.start = Some(at);
        }
    }

    /// The source offset of the next token (the end of the text when
    /// there is none).
    pub(crate) fn here(&self) -> u32 {
        self.c.peek().map_or(self.c.src.len() as u32, |t| t.start)
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
    pub(crate) fn name_of(map: &mut NameMap, idx: u32, name: Option<Cow<str>>) {
        if let Some(name) = name {
            map.push((idx, name.into_owned()));
        }
    }

    /// Index a new entry of a space gets (imports and definitions share
    /// the space; imports come first).
    pub(crate) fn next_index(&self, kind: ExternKind) -> u32 {
        self.imported[kind as usize]
            + match kind {
                ExternKind::Func => self.m.funcs.len(),
                ExternKind::Table => self.m.tables.len(),
                ExternKind::Memory => self.m.memories.len(),
                ExternKind::Global => self.m.globals.len(),
                ExternKind::Tag => self.m.tags.len(),
            } as u32
    }

    /// An error about the branch hint annotation at index `i` of the
    /// cursor's hints.
    pub(crate) fn hint_error(&self, i: usize, what: &str) -> crate::Error {
        let at = self
            .c
            .hints
            .get(i)
            .map_or(self.c.src.len(), |h| h.at as usize);
        crate::Error::at(
            self.c.src,
            at,
            format!("@metadata.code.branch_hint annotation: {what}"),
        )
    }

    /// Takes the branch hint annotations before the instruction starting
    /// at token `p` (there is one: `next_hint_tok <= p`) as its
    /// [`ModuleParser::pending_hint`]. Rare, so out of line.
    #[cold]
    pub(crate) fn take_hint(&mut self, p: usize) -> PResult<()> {
        let i = self.next_hint;
        let Some(&h) = self.c.hints.get(i) else {
            return Ok(());
        };
        if !self.in_func || (h.tok as usize) <= self.func_tok {
            return Err(self.hint_error(i, "not in a function"));
        }
        self.skip_hint();
        if self.next_hint_tok as usize <= p {
            return Err(self.hint_error(i + 1, "duplicate annotation"));
        }
        self.pending_hint = Some((h.likely, h.at));
        Ok(())
    }

    /// Moves past the next branch hint annotation.
    fn skip_hint(&mut self) {
        self.next_hint += 1;
        self.next_hint_tok = self.c.hints.get(self.next_hint).map_or(u32::MAX, |h| h.tok);
    }

    /// Gives the pending hint to the instruction `kw` just emitted (the last
    /// of `Module::code`), which must be an `if` or a `br_if`.
    #[cold]
    pub(crate) fn attach_hint(&mut self, kw: &str) -> PResult<()> {
        let Some((likely, at)) = self.pending_hint.take() else {
            return Ok(());
        };
        if !matches!(kw, "if" | "br_if") {
            return Err(crate::Error::at(
                self.c.src,
                at as usize,
                "@metadata.code.branch_hint annotation: invalid target",
            ));
        }
        let instr = self.m.code.len() as u32 - 1;
        self.func_hints.push((instr, likely));
        Ok(())
    }

    /// Marks the start of a function field whose `(` is at token `tok`:
    /// a hint before it is outside every function.
    pub(crate) fn enter_func(&mut self, tok: usize) -> PResult<()> {
        self.func_tok = tok;
        self.func_hints.clear();
        if self.next_hint_tok as usize <= tok {
            return Err(self.hint_error(self.next_hint, "not in a function"));
        }
        Ok(())
    }

    /// Ends function `func` whose body is `body`, the cursor at its `)`:
    /// a hint before that `)` not taken by an instruction is misplaced;
    /// the hints taken become the function's, by index in the body.
    pub(crate) fn leave_func(&mut self, func: u32, body: Expr) -> PResult<()> {
        if self.next_hint_tok as usize <= self.c.pos {
            return Err(self.hint_error(self.next_hint, "invalid placement"));
        }
        if self.func_hints.is_empty() {
            return Ok(());
        }
        let mut hints: Vec<BranchHint> = self
            .func_hints
            .drain(..)
            .map(|(i, likely)| BranchHint {
                instr: i - body.start,
                likely,
            })
            .collect();
        // A folded `if` comes after its condition, which may hold hints.
        hints.sort_by_key(|h| h.instr);
        self.m.branch_hints.push(FuncBranchHints { func, hints });
        Ok(())
    }

    /// Adds an import, counting it in its index space.
    pub(crate) fn push_import(&mut self, import: Import) {
        self.imported[import.desc.kind() as usize] += 1;
        self.m.imports.push(import);
    }
}

/// The index space a field keyword defines in.
pub(crate) fn ns_of(kw: &str) -> Ns {
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
