//! `SourceMap`: where in the text each instruction and each entity of a
//! parsed module came from, for errors found after parsing (validation) to
//! point at the text.
//!
//! Kept only when asked for ([`crate::parse_module_with_source_map`]): a
//! `u32` per instruction of [`Module::code`] beside it, rather than a field
//! of every instruction, so that `Instr` stays 16 bytes and a plain parse
//! pays nothing; and a `u32` per type, import, function, table, memory,
//! global, tag, export and segment: the offset of the field that made it.

use weft_ast::{ExternKind, Module, NameMap, Names};

use crate::Error;

/// Source offsets of a text module's code and fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// The byte offset in the text of each instruction of
    /// [`Module::code`], by index: its keyword (a folded form's too); an
    /// implicit `end`'s is the closing `)`; code an abbreviation made up
    /// takes the offset of the instruction that follows it.
    pub(crate) instrs: Vec<u32>,
    /// The offset of each type's `(type` (in a `rec` too; an implicit
    /// type's is the field that made it).
    pub(crate) types: Vec<u32>,
    /// The offset of each import's field (`(import` or the inline import's
    /// field).
    pub(crate) imports: Vec<u32>,
    /// By `ExternKind as usize`, the offset of the field of each entry of
    /// the index space (imports first, as in the binary format).
    pub(crate) spaces: [Vec<u32>; 5],
    /// The offset of each export's `(export` (inline ones too).
    pub(crate) exports: Vec<u32>,
    /// The offset of each element segment's field (an inline segment's is
    /// its table's).
    pub(crate) elems: Vec<u32>,
    /// The offset of each data segment's field (an inline segment's is its
    /// memory's).
    pub(crate) datas: Vec<u32>,
    /// The offset of the `(start` field.
    pub(crate) start: Option<u32>,
}

/// A part of a module that a finding about it (a validation error) can be
/// about; indices as in the binary format (an index space counts its
/// imports first; imports, exports and segments by position).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// A type, by type index.
    Type(u32),
    /// An import, by its position among the imports.
    Import(u32),
    /// A function, by function index.
    Func(u32),
    /// A table, by table index.
    Table(u32),
    /// A memory, by memory index.
    Memory(u32),
    /// A global, by global index.
    Global(u32),
    /// A tag, by tag index.
    Tag(u32),
    /// An export, by its position among the exports.
    Export(u32),
    /// The start function's field.
    Start,
    /// An element segment, by index.
    Elem(u32),
    /// A data segment, by index.
    Data(u32),
}

impl SourceMap {
    /// The byte offset of the instruction at `index` in [`Module::code`].
    pub fn instr(&self, index: usize) -> Option<usize> {
        self.instrs.get(index).map(|&at| at as usize)
    }

    /// The byte offset of the field that made `item`; `None` for an index
    /// outside the module.
    pub fn offset(&self, item: Item) -> Option<usize> {
        let (list, i) = match item {
            Item::Type(i) => (&self.types, i),
            Item::Import(i) => (&self.imports, i),
            Item::Func(i) => (&self.spaces[ExternKind::Func as usize], i),
            Item::Table(i) => (&self.spaces[ExternKind::Table as usize], i),
            Item::Memory(i) => (&self.spaces[ExternKind::Memory as usize], i),
            Item::Global(i) => (&self.spaces[ExternKind::Global as usize], i),
            Item::Tag(i) => (&self.spaces[ExternKind::Tag as usize], i),
            Item::Export(i) => (&self.exports, i),
            Item::Start => return self.start.map(|at| at as usize),
            Item::Elem(i) => (&self.elems, i),
            Item::Data(i) => (&self.datas, i),
        };
        list.get(i as usize).map(|&at| at as usize)
    }

    /// The byte offset of function `func` (imports counted, as in the
    /// binary format) or, given `instr`, of that instruction of its body
    /// (0 is the first); `None` for an instruction of an imported function
    /// or an index outside the module.
    pub fn func_offset(&self, module: &Module, func: u32, instr: Option<u32>) -> Option<usize> {
        match instr {
            None => self.offset(Item::Func(func)),
            Some(i) => {
                let defined = func.checked_sub(module.num_imports(ExternKind::Func))? as usize;
                let body = module.funcs.get(defined)?.body;
                let index = body.start.checked_add(i).filter(|&x| x < body.end)?;
                self.instr(index as usize)
            }
        }
    }

    /// An error about `item` of a module parsed from `source` (or, for a
    /// function given `instr`, about that instruction of its body), whose
    /// message names the item as the text does (`func $name: ...`, or
    /// `func 3: ...` when it has no name; `export "e": ...`): its
    /// [`Error::line`] and [`Error::col`] are those of the item's field
    /// (or the instruction) in the text, and [`Error::render`] shows them.
    /// `None` when the module has no such item or instruction.
    pub fn error(
        &self,
        source: &str,
        module: &Module,
        item: Item,
        instr: Option<u32>,
        message: &str,
    ) -> Option<Error> {
        let at = match (item, instr) {
            (Item::Func(f), Some(_)) => self.func_offset(module, f, instr)?,
            (_, Some(_)) => return None,
            (item, None) => self.offset(item)?,
        };
        let names = &module.names;
        let named = |word: &str, map: &NameMap, i: u32| match Names::get(map, i) {
            Some(name) => format!("{word} {}", id(name)),
            None => format!("{word} {i}"),
        };
        let what = match item {
            Item::Type(i) => named("type", &names.types, i),
            Item::Import(i) => {
                let im = module.imports.get(i as usize)?;
                format!("import {:?} {:?}", im.module, im.name)
            }
            Item::Func(i) => named("func", &names.funcs, i),
            Item::Table(i) => named("table", &names.tables, i),
            Item::Memory(i) => named("memory", &names.memories, i),
            Item::Global(i) => named("global", &names.globals, i),
            Item::Tag(i) => named("tag", &names.tags, i),
            Item::Export(i) => format!("export {:?}", module.exports.get(i as usize)?.name),
            Item::Start => "start".to_string(),
            Item::Elem(i) => named("elem", &names.elems, i),
            Item::Data(i) => named("data", &names.datas, i),
        };
        Some(Error::new(source, at, format!("{what}: {message}")))
    }

    /// [`SourceMap::error`] for function `func` or its instruction `instr`.
    pub fn func_error(
        &self,
        source: &str,
        module: &Module,
        func: u32,
        instr: Option<u32>,
        message: &str,
    ) -> Option<Error> {
        self.error(source, module, Item::Func(func), instr, message)
    }
}

/// `name` as a text `$id`: plain when it can be, else quoted.
fn id(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(is_idchar) {
        format!("${name}")
    } else {
        format!("$\"{}\"", name.escape_default())
    }
}

/// Whether `c` may stand in a plain `$id`.
fn is_idchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-./:<=>?@\\^_`|~".contains(&c)
}
