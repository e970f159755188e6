//! `Module`: a whole module's contents, section by section.

use crate::instr::{FuncIdx, Instr, MemIdx, TableIdx};
use crate::metadata::FuncBranchHints;
use crate::names::Names;
use crate::types::{
    FuncType, GlobalType, MemoryType, RecGroup, RefType, SubType, TableType, TagType, TypeIdx,
    ValType,
};

/// A WebAssembly module.
///
/// Each section's contents are kept in declaration order. Imports come first
/// in their index spaces, so the index of the `i`-th defined function is the
/// number of imported functions plus `i`.
///
/// All instruction sequences (function bodies and constant expressions) live
/// in one vector, [`Module::code`], and are referred to by [`Expr`] spans:
/// a module's code is a single allocation however many functions it has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    /// Defined types, flat, by type index.
    pub types: Vec<SubType>,
    /// How `types` splits into recursion groups, in order.
    pub rec_groups: Vec<RecGroup>,
    /// Imports, in order.
    pub imports: Vec<Import>,
    /// Defined functions (function and code sections together).
    pub funcs: Vec<Func>,
    /// Defined tables.
    pub tables: Vec<Table>,
    /// Defined memories.
    pub memories: Vec<MemoryType>,
    /// Defined tags.
    pub tags: Vec<TagType>,
    /// Defined globals.
    pub globals: Vec<Global>,
    /// Exports, in order.
    pub exports: Vec<Export>,
    /// The start function.
    pub start: Option<FuncIdx>,
    /// Element segments.
    pub elems: Vec<Elem>,
    /// The data count section's value, when present.
    pub data_count: Option<u32>,
    /// Data segments.
    pub datas: Vec<Data>,
    /// Custom sections, each with its place among the standard sections.
    pub customs: Vec<Custom>,
    /// Names from the name section or from text `$id`s.
    pub names: Names,
    /// Branch hints (the `metadata.code.branch_hint` section, or text
    /// `(@metadata.code.branch_hint ...)` annotations), by increasing
    /// function index; written where [`CustomKind::BranchHints`] stands.
    pub branch_hints: Vec<FuncBranchHints>,
    /// Every instruction of every body and constant expression.
    pub code: Vec<Instr>,
}

/// A span of [`Module::code`]: one function body or constant expression,
/// its final `end` included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Expr {
    /// Index of the first instruction.
    pub start: u32,
    /// One past the last instruction (the `end`).
    pub end: u32,
}

impl Expr {
    /// Number of instructions, the final `end` included.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span holds no instruction at all.
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// A defined function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Func {
    /// Index of its function type.
    pub ty: TypeIdx,
    /// Declared locals (after the parameters), as runs of one type.
    pub locals: Vec<Locals>,
    /// The body, ending with `end`.
    pub body: Expr,
}

/// A run of locals of one type, as the binary format declares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locals {
    /// How many locals.
    pub count: u32,
    /// Their type.
    pub ty: ValType,
}

/// An import: a two-level name and what is imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module name.
    pub module: String,
    /// The item name.
    pub name: String,
    /// The kind and type of the import.
    pub desc: ImportDesc,
}

/// What an import brings in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportDesc {
    /// A function of the given type index.
    Func(TypeIdx),
    /// A function of exactly the given type index, none of its subtypes
    /// (custom descriptors; binary kind `0x20`).
    FuncExact(TypeIdx),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// A tag.
    Tag(TagType),
}

impl ImportDesc {
    /// The type index of a function import, exact or not.
    pub fn func_type(&self) -> Option<TypeIdx> {
        match *self {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => Some(ty),
            _ => None,
        }
    }

    /// The kind of entity imported.
    pub fn kind(&self) -> ExternKind {
        match self {
            ImportDesc::Func(_) | ImportDesc::FuncExact(_) => ExternKind::Func,
            ImportDesc::Table(_) => ExternKind::Table,
            ImportDesc::Memory(_) => ExternKind::Memory,
            ImportDesc::Global(_) => ExternKind::Global,
            ImportDesc::Tag(_) => ExternKind::Tag,
        }
    }
}

/// The kinds of importable and exportable entities, with their binary codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ExternKind {
    /// A function.
    Func = 0,
    /// A table.
    Table = 1,
    /// A memory.
    Memory = 2,
    /// A global.
    Global = 3,
    /// A tag.
    Tag = 4,
}

impl ExternKind {
    /// The kind with this binary code.
    pub fn from_code(code: u8) -> Option<ExternKind> {
        Some(match code {
            0 => ExternKind::Func,
            1 => ExternKind::Table,
            2 => ExternKind::Memory,
            3 => ExternKind::Global,
            4 => ExternKind::Tag,
            _ => return None,
        })
    }

    /// The text keyword (`func`, `table`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ExternKind::Func => "func",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
            ExternKind::Tag => "tag",
        }
    }
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The exported name.
    pub name: String,
    /// The kind of entity.
    pub kind: ExternKind,
    /// Its index in that kind's index space.
    pub index: u32,
}

/// A defined table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    /// Its type.
    pub ty: TableType,
    /// The initial value of every element, when given (function references);
    /// `None` means `ref.null` of the element type.
    pub init: Option<Expr>,
}

/// A defined global.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Global {
    /// Its type.
    pub ty: GlobalType,
    /// Its initializer, a constant expression.
    pub init: Expr,
}

/// An element segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elem {
    /// How the segment is used.
    pub mode: ElemMode,
    /// The type of its references.
    pub ty: RefType,
    /// Its items.
    pub items: ElemItems,
}

/// When and where an element segment is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemMode {
    /// Used by `table.init` and `array.new_elem` only.
    Passive,
    /// Copied into a table at instantiation.
    Active {
        /// The table written.
        table: TableIdx,
        /// The offset, a constant expression.
        offset: Expr,
    },
    /// Only declares functions for `ref.func`.
    Declarative,
}

/// An element segment's items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElemItems {
    /// Function indices (the binary `funcidx` forms).
    Funcs(Vec<FuncIdx>),
    /// Constant expressions.
    Exprs(Vec<Expr>),
}

impl ElemItems {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElemItems::Funcs(f) => f.len(),
            ElemItems::Exprs(e) => e.len(),
        }
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A data segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Data {
    /// How the segment is used.
    pub mode: DataMode,
    /// Its bytes.
    pub init: Vec<u8>,
}

/// When and where a data segment is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataMode {
    /// Used by `memory.init` and `array.new_data` only.
    Passive,
    /// Copied into a memory at instantiation.
    Active {
        /// The memory written.
        memory: MemIdx,
        /// The offset, a constant expression.
        offset: Expr,
    },
}

/// The standard sections' binary ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum SectionId {
    /// Custom section.
    Custom = 0,
    /// Type section.
    Type = 1,
    /// Import section.
    Import = 2,
    /// Function section.
    Function = 3,
    /// Table section.
    Table = 4,
    /// Memory section.
    Memory = 5,
    /// Global section.
    Global = 6,
    /// Export section.
    Export = 7,
    /// Start section.
    Start = 8,
    /// Element section.
    Element = 9,
    /// Code section.
    Code = 10,
    /// Data section.
    Data = 11,
    /// Data count section.
    DataCount = 12,
    /// Tag section.
    Tag = 13,
}

impl SectionId {
    /// The standard sections in the order a module must give them.
    pub const ORDER: [SectionId; 13] = [
        SectionId::Type,
        SectionId::Import,
        SectionId::Function,
        SectionId::Table,
        SectionId::Memory,
        SectionId::Tag,
        SectionId::Global,
        SectionId::Export,
        SectionId::Start,
        SectionId::Element,
        SectionId::DataCount,
        SectionId::Code,
        SectionId::Data,
    ];

    /// The section with this binary id.
    pub fn from_code(code: u8) -> Option<SectionId> {
        Some(match code {
            0 => SectionId::Custom,
            1 => SectionId::Type,
            2 => SectionId::Import,
            3 => SectionId::Function,
            4 => SectionId::Table,
            5 => SectionId::Memory,
            6 => SectionId::Global,
            7 => SectionId::Export,
            8 => SectionId::Start,
            9 => SectionId::Element,
            10 => SectionId::Code,
            11 => SectionId::Data,
            12 => SectionId::DataCount,
            13 => SectionId::Tag,
            _ => return None,
        })
    }

    /// Position in [`SectionId::ORDER`] (custom sections have none).
    pub fn order(self) -> Option<usize> {
        SectionId::ORDER.iter().position(|s| *s == self)
    }

    /// The text keyword used by `@custom` placement (`type`, `func`, ...).
    pub fn name(self) -> &'static str {
        match self {
            SectionId::Custom => "custom",
            SectionId::Type => "type",
            SectionId::Import => "import",
            SectionId::Function => "func",
            SectionId::Table => "table",
            SectionId::Memory => "memory",
            SectionId::Global => "global",
            SectionId::Export => "export",
            SectionId::Start => "start",
            SectionId::Element => "elem",
            SectionId::Code => "code",
            SectionId::Data => "data",
            SectionId::DataCount => "datacount",
            SectionId::Tag => "tag",
        }
    }
}

/// Where a custom section stands among the standard sections.
///
/// A decoder records the last standard section before the custom section
/// that has contents (the encoder leaves empty sections out), so that a
/// binary round trip puts it back in the same place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Place {
    /// Before every standard section.
    #[default]
    First,
    /// After the given standard section (never `Custom`).
    After(SectionId),
}

/// A custom section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Custom {
    /// Where it stands.
    pub place: Place,
    /// Its contents.
    pub kind: CustomKind,
}

/// A custom section's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomKind {
    /// Any custom section, kept as bytes.
    Raw {
        /// The section's name.
        name: String,
        /// The section's payload after the name.
        data: Vec<u8>,
    },
    /// The name section, decoded into [`Module::names`].
    Names,
    /// The branch hint section (`metadata.code.branch_hint`), decoded into
    /// [`Module::branch_hints`].
    BranchHints,
}

impl CustomKind {
    /// The custom section's name.
    pub fn name(&self) -> &str {
        match self {
            CustomKind::Raw { name, .. } => name,
            CustomKind::Names => "name",
            CustomKind::BranchHints => crate::metadata::BRANCH_HINT_SECTION,
        }
    }
}

impl Module {
    /// Whether the encoder writes the standard section `id` (it leaves
    /// empty ones out); `false` for [`SectionId::Custom`].
    pub fn has_section(&self, id: SectionId) -> bool {
        match id {
            SectionId::Custom => false,
            SectionId::Type => !self.rec_groups.is_empty(),
            SectionId::Import => !self.imports.is_empty(),
            SectionId::Function | SectionId::Code => !self.funcs.is_empty(),
            SectionId::Table => !self.tables.is_empty(),
            SectionId::Memory => !self.memories.is_empty(),
            SectionId::Tag => !self.tags.is_empty(),
            SectionId::Global => !self.globals.is_empty(),
            SectionId::Export => !self.exports.is_empty(),
            SectionId::Start => self.start.is_some(),
            SectionId::Element => !self.elems.is_empty(),
            SectionId::DataCount => self.data_count.is_some(),
            SectionId::Data => !self.datas.is_empty(),
        }
    }

    /// The last standard section the encoder writes, if any.
    pub fn last_section(&self) -> Option<SectionId> {
        SectionId::ORDER
            .into_iter()
            .rev()
            .find(|&id| self.has_section(id))
    }

    /// Whether a custom section at `place` is written after every standard
    /// section (its place is the last written section or one after it).
    pub fn is_trailing(&self, place: Place) -> bool {
        match (place, self.last_section()) {
            (_, None) => true,
            (Place::First, Some(_)) => false,
            (Place::After(id), Some(last)) => id.order() >= last.order(),
        }
    }

    /// The instructions of a span of [`Module::code`].
    ///
    /// # Panics
    /// If the span lies outside `code` (a span from another module).
    pub fn instrs(&self, expr: Expr) -> &[Instr] {
        &self.code[expr.start as usize..expr.end as usize]
    }

    /// Appends instructions to [`Module::code`] and returns their span.
    pub fn push_expr(&mut self, instrs: impl IntoIterator<Item = Instr>) -> Expr {
        let start = self.code.len() as u32;
        self.code.extend(instrs);
        Expr {
            start,
            end: self.code.len() as u32,
        }
    }

    /// Appends a recursion group of types.
    pub fn push_rec_group(&mut self, types: impl IntoIterator<Item = SubType>, explicit: bool) {
        let start = self.types.len() as u32;
        self.types.extend(types);
        self.rec_groups.push(RecGroup {
            start,
            len: self.types.len() as u32 - start,
            explicit,
        });
    }

    /// The function type at a type index, if that type is a function type.
    pub fn func_type(&self, ty: TypeIdx) -> Option<&FuncType> {
        match &self.types.get(ty as usize)?.composite {
            crate::CompositeType::Func(f) => Some(f),
            _ => None,
        }
    }

    /// Number of imports of one kind.
    pub fn num_imports(&self, kind: ExternKind) -> u32 {
        self.imports
            .iter()
            .filter(|i| i.desc.kind() == kind)
            .count() as u32
    }

    /// The type index of a function, imported or defined.
    pub fn func_type_idx(&self, func: FuncIdx) -> Option<TypeIdx> {
        let mut imported = 0;
        for import in &self.imports {
            if let Some(ty) = import.desc.func_type() {
                if imported == func {
                    return Some(ty);
                }
                imported += 1;
            }
        }
        self.funcs.get((func - imported) as usize).map(|f| f.ty)
    }
}
