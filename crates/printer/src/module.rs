//! Module fields, in the order of the binary sections, with custom sections
//! as annotations at their places: `(@producers ...)` and `(@dylink.0 ...)`
//! (wasm-tools' forms) where the text parser puts those sections back and
//! their bytes allow, `(@custom ...)` otherwise.

use std::fmt::{self, Write};

use weft_ast::custom;
use weft_ast::*;

use crate::names::Ids;
use crate::printer::Printer;
use crate::text;

/// `(ref func)`: the type of an element segment given as function indices.
const REF_FUNC: RefType = RefType::new(false, HeapType::Abstract(AbsHeap::Func));

impl<W: Write> Printer<'_, W> {
    /// Prints the whole module.
    pub fn module(&mut self) -> fmt::Result {
        let m = self.m;
        self.w("(module")?;
        if let Some(name) = m.names.module.as_deref() {
            match text::id(name) {
                Some(id) => {
                    self.w(" ")?;
                    self.w(&id)?;
                }
                // The empty name: no identifier spells it.
                None => self.name_annotation(Some(name))?,
            }
        }
        self.customs(Place::First)?;
        for id in SectionId::ORDER {
            self.section(id)?;
            self.customs(Place::After(id))?;
        }
        self.w("\n)\n")
    }

    fn section(&mut self, id: SectionId) -> fmt::Result {
        let m = self.m;
        match id {
            SectionId::Type => self.types(),
            SectionId::Import => {
                let mut counters = [0u32; 5];
                for import in &m.imports {
                    let kind = import.desc.kind();
                    let index = counters[kind as usize];
                    counters[kind as usize] = index.saturating_add(1);
                    self.import(import, index)?;
                }
                Ok(())
            }
            // Functions are printed whole where their code is.
            SectionId::Function => Ok(()),
            SectionId::Table => {
                let base = m.num_imports(ExternKind::Table);
                for (i, t) in m.tables.iter().enumerate() {
                    self.newline(1)?;
                    self.w("(table")?;
                    self.binder(|i: &Ids| &i.tables, index(base, i))?;
                    self.tabletype(t.ty)?;
                    if let Some(init) = t.init {
                        self.inline_expr(init)?;
                    }
                    self.w(")")?;
                }
                Ok(())
            }
            SectionId::Memory => {
                let base = m.num_imports(ExternKind::Memory);
                for (i, t) in m.memories.iter().enumerate() {
                    self.newline(1)?;
                    self.w("(memory")?;
                    self.binder(|i: &Ids| &i.memories, index(base, i))?;
                    self.memtype(*t)?;
                    self.w(")")?;
                }
                Ok(())
            }
            SectionId::Tag => {
                let base = m.num_imports(ExternKind::Tag);
                for (i, t) in m.tags.iter().enumerate() {
                    self.newline(1)?;
                    self.w("(tag")?;
                    self.binder(|i: &Ids| &i.tags, index(base, i))?;
                    self.tagtype(*t)?;
                    self.w(")")?;
                }
                Ok(())
            }
            SectionId::Global => {
                let base = m.num_imports(ExternKind::Global);
                for (i, g) in m.globals.iter().enumerate() {
                    self.newline(1)?;
                    self.w("(global")?;
                    self.binder(|i: &Ids| &i.globals, index(base, i))?;
                    self.globaltype(g.ty)?;
                    self.inline_expr(g.init)?;
                    self.w(")")?;
                }
                Ok(())
            }
            SectionId::Export => {
                for e in &m.exports {
                    self.newline(1)?;
                    self.w("(export ")?;
                    text::name(self.out, &e.name)?;
                    self.w(" (")?;
                    self.w(e.kind.name())?;
                    self.index(space(e.kind), e.index)?;
                    self.w("))")?;
                }
                Ok(())
            }
            SectionId::Start => {
                if let Some(start) = m.start {
                    self.newline(1)?;
                    self.w("(start")?;
                    self.index(|i: &Ids| &i.funcs, start)?;
                    self.w(")")?;
                }
                Ok(())
            }
            SectionId::Element => {
                for (i, e) in m.elems.iter().enumerate() {
                    self.elem(index(0, i), e)?;
                }
                Ok(())
            }
            // The text format has no data count; a parser adds it when the
            // code needs it.
            SectionId::DataCount | SectionId::Custom => Ok(()),
            SectionId::Code => {
                let base = m.num_imports(ExternKind::Func);
                for (i, f) in m.funcs.iter().enumerate() {
                    self.func(index(base, i), f)?;
                }
                Ok(())
            }
            SectionId::Data => {
                for (i, d) in m.datas.iter().enumerate() {
                    self.data(index(0, i), d)?;
                }
                Ok(())
            }
        }
    }

    fn types(&mut self) -> fmt::Result {
        let m = self.m;
        for group in &m.rec_groups {
            let start = group.start as usize;
            let end = start.saturating_add(group.len as usize).min(m.types.len());
            let types = m.types.get(start..end).unwrap_or(&[]);
            // A run of several types can only be written as a group.
            let rec = group.explicit || types.len() > 1;
            if rec {
                self.newline(1)?;
                self.w("(rec")?;
            }
            for (i, t) in types.iter().enumerate() {
                let idx = index(group.start, i);
                self.newline(if rec { 2 } else { 1 })?;
                self.w("(type")?;
                self.binder(|i: &Ids| &i.types, idx)?;
                self.w(" ")?;
                self.subtype(idx, t)?;
                self.w(")")?;
            }
            if rec {
                self.w(")")?;
            }
        }
        Ok(())
    }

    fn import(&mut self, import: &Import, idx: u32) -> fmt::Result {
        self.newline(1)?;
        self.w("(import ")?;
        text::name(self.out, &import.module)?;
        self.w(" ")?;
        text::name(self.out, &import.name)?;
        self.w(" (")?;
        self.w(import.desc.kind().name())?;
        match import.desc {
            ImportDesc::Func(ty) => {
                self.binder(|i: &Ids| &i.funcs, idx)?;
                self.func = idx;
                self.functype_use(ty, true)?;
            }
            ImportDesc::FuncExact(ty) => {
                self.binder(|i: &Ids| &i.funcs, idx)?;
                self.func = idx;
                // Only the type index: inline parameters inside `exact` are
                // not read by every text parser yet.
                self.w(" (exact")?;
                self.typeuse(ty)?;
                self.w(")")?;
            }
            ImportDesc::Table(t) => {
                self.binder(|i: &Ids| &i.tables, idx)?;
                self.tabletype(t)?;
            }
            ImportDesc::Memory(t) => {
                self.binder(|i: &Ids| &i.memories, idx)?;
                self.memtype(t)?;
            }
            ImportDesc::Global(t) => {
                self.binder(|i: &Ids| &i.globals, idx)?;
                self.globaltype(t)?;
            }
            ImportDesc::Tag(t) => {
                self.binder(|i: &Ids| &i.tags, idx)?;
                self.tagtype(t)?;
            }
        }
        self.w("))")
    }

    /// Writes ` (type N)` and, when N is a function type, its parameters
    /// and results spelled out (named after the current function's locals
    /// when `named`).
    fn functype_use(&mut self, ty: u32, named: bool) -> fmt::Result {
        self.typeuse(ty)?;
        if let Some(f) = self.m.func_type(ty) {
            self.signature(f, named)?;
        }
        Ok(())
    }

    fn tagtype(&mut self, t: TagType) -> fmt::Result {
        self.functype_use(t.ty, false)
    }

    fn func(&mut self, idx: u32, f: &Func) -> fmt::Result {
        self.newline(1)?;
        self.w("(func")?;
        self.binder(|i: &Ids| &i.funcs, idx)?;
        self.func = idx;
        self.functype_use(f.ty, true)?;
        if self.opts.skeleton {
            return self.w(" (; body elided ;))");
        }
        self.locals(f)?;
        self.enter_func_hints(idx);
        let body = self.expr_instrs(f.body);
        if self.opts.fold {
            self.folded_body(body, 2)?;
        } else {
            self.flat_body(body, 2)?;
        }
        self.hints = &[];
        self.newline(1)?;
        self.w(")")
    }

    /// Writes the declared locals on one line.
    fn locals(&mut self, f: &Func) -> fmt::Result {
        if f.locals.iter().all(|l| l.count == 0) {
            return Ok(());
        }
        self.newline(2)?;
        let params = self.m.func_type(f.ty).map_or(0, |t| t.params.len());
        let first = u32::try_from(params).unwrap_or(u32::MAX);
        let types = f
            .locals
            .iter()
            .flat_map(|run| std::iter::repeat_n(run.ty, run.count as usize))
            .take(crate::MAX_PRINTED_LOCALS as usize);
        self.decls("local", first, types, true, false)?;
        let total: u64 = f.locals.iter().map(|l| u64::from(l.count)).sum();
        if total > crate::MAX_PRINTED_LOCALS {
            self.w(" (; ")?;
            self.num(total - crate::MAX_PRINTED_LOCALS)?;
            self.w(" more locals not printed ;)")?;
        }
        Ok(())
    }

    fn elem(&mut self, idx: u32, e: &Elem) -> fmt::Result {
        self.newline(1)?;
        self.w("(elem")?;
        self.binder(|i: &Ids| &i.elems, idx)?;
        match e.mode {
            ElemMode::Passive => {}
            ElemMode::Declarative => self.w(" declare")?,
            ElemMode::Active { table, offset } => {
                if table != 0 || self.ids.tables.get(0).is_some() {
                    self.w(" (table")?;
                    self.index(|i: &Ids| &i.tables, table)?;
                    self.w(")")?;
                }
                self.offset(offset)?;
            }
        }
        match &e.items {
            ElemItems::Funcs(funcs) if e.ty == REF_FUNC => {
                self.w(" func")?;
                for f in funcs {
                    self.index(|i: &Ids| &i.funcs, *f)?;
                }
            }
            ElemItems::Funcs(funcs) => {
                self.w(" ")?;
                self.reftype(e.ty)?;
                for f in funcs {
                    self.w(" (item ref.func")?;
                    self.index(|i: &Ids| &i.funcs, *f)?;
                    self.w(")")?;
                }
            }
            ElemItems::Exprs(exprs) => {
                self.w(" ")?;
                self.reftype(e.ty)?;
                for x in exprs {
                    self.w(" (item")?;
                    self.inline_expr(*x)?;
                    self.w(")")?;
                }
            }
        }
        self.w(")")
    }

    fn offset(&mut self, offset: Expr) -> fmt::Result {
        self.w(" (offset")?;
        self.inline_expr(offset)?;
        self.w(")")
    }

    fn data(&mut self, idx: u32, d: &Data) -> fmt::Result {
        self.newline(1)?;
        self.w("(data")?;
        self.binder(|i: &Ids| &i.datas, idx)?;
        if let DataMode::Active { memory, offset } = d.mode {
            if memory != 0 || self.ids.memories.get(0).is_some() {
                self.w(" (memory")?;
                self.index(|i: &Ids| &i.memories, memory)?;
                self.w(")")?;
            }
            self.offset(offset)?;
        }
        if self.opts.skeleton {
            self.w(" (; ")?;
            self.num(d.init.len() as u64)?;
            return self.w(" bytes ;))");
        }
        self.w(" ")?;
        text::string(self.out, &d.init)?;
        self.w(")")
    }

    fn customs(&mut self, place: Place) -> fmt::Result {
        if !self.opts.custom_annotations {
            return Ok(());
        }
        let m = self.m;
        for custom in m.customs.iter().filter(|c| c.place == place) {
            let CustomKind::Raw { name, data } = &custom.kind else {
                // The name section is printed as `$id`s, branch hints as
                // annotations on their instructions.
                continue;
            };
            // wasm-tools' annotations where a text parser puts them back
            // (producers after the last section, dylink.0 before the
            // first), for bytes they give back exactly.
            if name == custom::PRODUCERS_SECTION
                && m.is_trailing(place)
                && let Some(p) = custom::Producers::decode(data)
            {
                self.producers(&p)?;
                continue;
            }
            if name == custom::DYLINK0_SECTION
                && place == Place::First
                && let Some(d) = custom::Dylink0::decode(data)
            {
                self.dylink0(&d)?;
                continue;
            }
            self.newline(1)?;
            self.w("(@custom ")?;
            text::name(self.out, name)?;
            self.w(match place {
                Place::First => " (before first)",
                Place::After(SectionId::Type) => " (after type)",
                Place::After(SectionId::Import) => " (after import)",
                Place::After(SectionId::Function) => " (after func)",
                Place::After(SectionId::Table) => " (after table)",
                Place::After(SectionId::Memory) => " (after memory)",
                Place::After(SectionId::Tag) => " (after tag)",
                Place::After(SectionId::Global) => " (after global)",
                Place::After(SectionId::Export) => " (after export)",
                Place::After(SectionId::Start) => " (after start)",
                Place::After(SectionId::Element) => " (after elem)",
                // The data count section comes right before the code; the
                // text format has no anchor for it.
                Place::After(SectionId::DataCount) => " (before code)",
                Place::After(SectionId::Code) => " (after code)",
                Place::After(SectionId::Data) | Place::After(SectionId::Custom) => " (after data)",
            })?;
            if self.opts.skeleton {
                self.w(" (; ")?;
                self.num(data.len() as u64)?;
                self.w(" bytes ;))")?;
            } else {
                self.w(" ")?;
                text::string(self.out, data)?;
                self.w(")")?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Printer<'_, W> {
    /// `(@producers (field "name" "version") ...)`, one value a line.
    fn producers(&mut self, p: &custom::Producers) -> fmt::Result {
        self.newline(1)?;
        self.w("(@producers")?;
        for field in &p.fields {
            for v in &field.values {
                self.newline(2)?;
                self.w("(")?;
                self.w(&field.name)?;
                self.w(" ")?;
                text::name(self.out, &v.name)?;
                self.w(" ")?;
                text::name(self.out, &v.version)?;
                self.w(")")?;
            }
        }
        self.w(")")
    }

    /// `(@dylink.0 ...)`, one subsection (or export/import entry) a line.
    fn dylink0(&mut self, d: &custom::Dylink0) -> fmt::Result {
        use custom::Dylink0Subsection as S;
        self.newline(1)?;
        self.w("(@dylink.0")?;
        for sub in &d.subsections {
            match sub {
                S::MemInfo {
                    memory_size,
                    memory_align,
                    table_size,
                    table_align,
                } => {
                    self.newline(2)?;
                    self.w("(mem-info")?;
                    for (kw, size, align) in [
                        ("memory", memory_size, memory_align),
                        ("table", table_size, table_align),
                    ] {
                        if *size > 0 || *align > 0 {
                            self.w(" (")?;
                            self.w(kw)?;
                            self.w(" ")?;
                            self.num(*size)?;
                            self.w(" ")?;
                            self.num(*align)?;
                            self.w(")")?;
                        }
                    }
                    self.w(")")?;
                }
                S::Needed(list) | S::RuntimePath(list) => {
                    self.newline(2)?;
                    self.w(if matches!(sub, S::Needed(_)) {
                        "(needed"
                    } else {
                        "(runtime-path"
                    })?;
                    for s in list {
                        self.w(" ")?;
                        text::name(self.out, s)?;
                    }
                    self.w(")")?;
                }
                S::ExportInfo(list) => {
                    for (name, flags) in list {
                        self.newline(2)?;
                        self.w("(export-info ")?;
                        text::name(self.out, name)?;
                        self.symbol_flags(*flags)?;
                        self.w(")")?;
                    }
                }
                S::ImportInfo(list) => {
                    for (module, field, flags) in list {
                        self.newline(2)?;
                        self.w("(import-info ")?;
                        text::name(self.out, module)?;
                        self.w(" ")?;
                        text::name(self.out, field)?;
                        self.symbol_flags(*flags)?;
                        self.w(")")?;
                    }
                }
                S::TargetArch(arch) => {
                    self.newline(2)?;
                    self.w("(target-arch ")?;
                    text::name(self.out, arch)?;
                    self.w(")")?;
                }
            }
        }
        self.w(")")
    }

    /// The flags' names, then any bits without a name as one hex number.
    fn symbol_flags(&mut self, mut flags: u32) -> fmt::Result {
        for (name, bit) in custom::SYMBOL_FLAGS {
            if flags & bit != 0 {
                flags &= !bit;
                self.w(" ")?;
                self.w(name)?;
            }
        }
        if flags != 0 {
            write!(self.out, " {flags:#x}")?;
        }
        Ok(())
    }
}

/// The index of the `i`-th defined item after `base` imported ones.
fn index(base: u32, i: usize) -> u32 {
    u32::try_from(i)
        .ok()
        .and_then(|i| base.checked_add(i))
        .unwrap_or(u32::MAX)
}

/// The identifiers of an export kind's index space.
fn space(kind: ExternKind) -> fn(&Ids) -> &crate::names::Space {
    match kind {
        ExternKind::Func => |i| &i.funcs,
        ExternKind::Table => |i| &i.tables,
        ExternKind::Memory => |i| &i.memories,
        ExternKind::Global => |i| &i.globals,
        ExternKind::Tag => |i| &i.tags,
    }
}
