//! Types: value, reference and heap types, signatures, defined types and
//! the types of tables, memories and globals.

use std::fmt::{self, Write};

use weft_ast::{
    AddrType, BlockType, CompositeType, FieldType, FuncType, GlobalType, HeapType, Limits,
    MemoryType, RefType, StorageType, SubType, TableType, ValType,
};

use crate::names::Ids;
use crate::printer::Printer;
use crate::text;

impl<W: Write> Printer<'_, W> {
    /// Writes a value type (weft-ast's `Display`, with `$id`s for named
    /// types).
    pub fn valtype(&mut self, t: ValType) -> fmt::Result {
        let ids = &self.ids;
        write!(self.out, "{}", t.display_with(|i, f| type_ref(ids, i, f)))
    }

    /// Writes a reference type, with the `funcref`-style shorthand where
    /// one exists.
    pub fn reftype(&mut self, r: RefType) -> fmt::Result {
        let ids = &self.ids;
        write!(self.out, "{}", r.display_with(|i, f| type_ref(ids, i, f)))
    }

    /// Writes a heap type (without a leading space).
    pub fn heaptype(&mut self, h: HeapType) -> fmt::Result {
        let ids = &self.ids;
        write!(self.out, "{}", h.display_with(|i, f| type_ref(ids, i, f)))
    }

    /// Writes ` (param ...)` and ` (result ...)` for a signature; parameter
    /// names come from the current function's locals when `named`.
    pub fn signature(&mut self, f: &FuncType, named: bool) -> fmt::Result {
        self.params(&f.params, named)?;
        self.results(&f.results)
    }

    /// Writes parameters: unnamed runs grouped in one `(param ...)`, each
    /// named one in its own.
    pub fn params(&mut self, params: &[ValType], named: bool) -> fmt::Result {
        self.decls("param", 0, params.iter().copied(), named, true)
    }

    /// Writes declarations of locals (`kw` is `param` or `local`) numbered
    /// from `first`: unnamed runs grouped in one parenthesis, each named one
    /// (or, with index comments and `named`, every one) in its own. `lead` puts a space
    /// before the first group.
    pub fn decls(
        &mut self,
        kw: &str,
        first: u32,
        types: impl Iterator<Item = ValType>,
        named: bool,
        lead: bool,
    ) -> fmt::Result {
        let mut open = false;
        let mut index = first;
        let mut sep = lead;
        for t in types {
            let (id, renamed) = if named {
                let locals = self.ids.locals(self.func);
                (locals.get(index), locals.renamed(index))
            } else {
                (None, None)
            };
            // Index comments number the locals of functions, not the
            // parameters of type definitions.
            let comment = named && self.opts.index_comments;
            let alone = id.is_some() || renamed.is_some() || comment;
            if open && alone {
                self.out.write_char(')')?;
                open = false;
            }
            if open {
                self.out.write_char(' ')?;
            } else {
                if sep {
                    self.out.write_char(' ')?;
                }
                self.out.write_char('(')?;
                self.out.write_str(kw)?;
                self.out.write_char(' ')?;
                if let Some(id) = id {
                    self.out.write_str(id)?;
                    self.out.write_char(' ')?;
                }
                if let Some(name) = renamed {
                    self.out.write_str("(@name ")?;
                    text::name(self.out, name)?;
                    self.out.write_str(") ")?;
                }
                if comment {
                    self.out.write_str("(;")?;
                    text::uint(self.out, index.into())?;
                    self.out.write_str(";) ")?;
                }
                open = !alone;
            }
            sep = true;
            self.valtype(t)?;
            if !open {
                self.out.write_char(')')?;
            }
            index = index.saturating_add(1);
        }
        if open {
            self.out.write_char(')')?;
        }
        Ok(())
    }

    /// Writes ` (result ...)` unless there are no results.
    pub fn results(&mut self, results: &[ValType]) -> fmt::Result {
        if results.is_empty() {
            return Ok(());
        }
        self.w(" (result")?;
        for t in results {
            self.w(" ")?;
            self.valtype(*t)?;
        }
        self.w(")")
    }

    /// Writes ` (type N)` (or nothing, for the empty block type) and the
    /// result of a one-value block type.
    pub fn blocktype(&mut self, bt: BlockType) -> fmt::Result {
        match bt {
            BlockType::Empty => Ok(()),
            BlockType::Val(t) => {
                self.w(" (result ")?;
                self.valtype(t)?;
                self.w(")")
            }
            BlockType::Func(idx) => self.typeuse(idx),
        }
    }

    /// Writes ` (type N)`.
    pub fn typeuse(&mut self, idx: u32) -> fmt::Result {
        self.w(" (type")?;
        self.index(|i: &Ids| &i.types, idx)?;
        self.w(")")
    }

    /// Writes a field's storage type, with `(mut ...)` when mutable.
    fn fieldtype(&mut self, f: FieldType) -> fmt::Result {
        if f.mutable {
            self.w("(mut ")?;
        }
        match f.storage {
            StorageType::I8 => self.w("i8")?,
            StorageType::I16 => self.w("i16")?,
            StorageType::Val(v) => self.valtype(v)?,
        }
        if f.mutable {
            self.w(")")?;
        }
        Ok(())
    }

    /// Writes a defined type's body: `(func ...)`, `(struct ...)`,
    /// `(array ...)`, wrapped in `(sub final? super* ...)` unless it is a
    /// plain final type. `ty` is its index, for field names.
    pub fn subtype(&mut self, ty: u32, s: &SubType) -> fmt::Result {
        let plain = s.is_final && s.supertypes.is_empty();
        if !plain {
            self.w(if s.is_final { "(sub final" } else { "(sub" })?;
            for sup in &s.supertypes {
                self.index(|i: &Ids| &i.types, *sup)?;
            }
            self.w(" ")?;
        }
        if let Some(x) = s.describes {
            self.w("(describes")?;
            self.index(|i: &Ids| &i.types, x)?;
            self.w(") ")?;
        }
        if let Some(x) = s.descriptor {
            self.w("(descriptor")?;
            self.index(|i: &Ids| &i.types, x)?;
            self.w(") ")?;
        }
        match &s.composite {
            CompositeType::Func(f) => {
                self.w("(func")?;
                self.signature(f, false)?;
                self.w(")")?;
            }
            CompositeType::Struct(fields) => {
                self.w("(struct")?;
                for (i, f) in fields.iter().enumerate() {
                    self.w(" (field ")?;
                    let i = u32::try_from(i).unwrap_or(u32::MAX);
                    let names = self.ids.fields(ty);
                    if let Some(id) = names.get(i) {
                        self.out.write_str(id)?;
                        self.out.write_char(' ')?;
                    }
                    if let Some(name) = names.renamed(i) {
                        self.out.write_str("(@name ")?;
                        text::name(self.out, name)?;
                        self.out.write_str(") ")?;
                    }
                    self.fieldtype(*f)?;
                    self.w(")")?;
                }
                self.w(")")?;
            }
            CompositeType::Array(f) => {
                self.w("(array ")?;
                self.fieldtype(*f)?;
                self.w(")")?;
            }
        }
        if !plain {
            self.w(")")?;
        }
        Ok(())
    }

    /// Writes ` i64` for 64-bit address spaces and the limits.
    fn limits(&mut self, addr: AddrType, l: Limits) -> fmt::Result {
        if addr == AddrType::I64 {
            self.w(" i64")?;
        }
        self.w(" ")?;
        self.num(l.min)?;
        if let Some(max) = l.max {
            self.w(" ")?;
            self.num(max)?;
        }
        Ok(())
    }

    /// Writes a table type (with a leading space).
    pub fn tabletype(&mut self, t: TableType) -> fmt::Result {
        self.limits(t.addr, t.limits)?;
        self.w(" ")?;
        self.reftype(t.elem)
    }

    /// Writes a memory type (with a leading space).
    pub fn memtype(&mut self, t: MemoryType) -> fmt::Result {
        self.limits(t.addr, t.limits)?;
        if t.shared {
            self.w(" shared")?;
        }
        if let Some(log2) = t.page_size_log2 {
            self.w(" (pagesize ")?;
            match 1u64.checked_shl(log2) {
                Some(size) => self.num(size)?,
                // Not expressible; a valid module never has it.
                None => self.w("0")?,
            }
            self.w(")")?;
        }
        Ok(())
    }

    /// Writes a global type (with a leading space).
    pub fn globaltype(&mut self, t: GlobalType) -> fmt::Result {
        self.w(if t.mutable { " (mut " } else { " " })?;
        self.valtype(t.val)?;
        if t.mutable {
            self.w(")")?;
        }
        Ok(())
    }
}

/// Writes a type index, by `$id` when it has one.
fn type_ref(ids: &Ids, idx: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match ids.types.get(idx) {
        Some(id) => f.write_str(id),
        None => write!(f, "{idx}"),
    }
}
