//! Sections to a [`Module`]: the header, the section framing and order, and
//! each section's contents.
//!
//! [`Builder`] takes one section at a time, so the whole-input parser and
//! the streaming parser share it.

use weft_ast::*;

use crate::error::{Error, ErrorKind, Result};
use crate::instr::{self, CodeCx};
use crate::names;
use crate::reader::Reader;
use crate::types;

/// The module header: magic and version.
pub const HEADER: [u8; 8] = *b"\0asm\x01\0\0\0";

/// Checks the 8-byte header.
pub fn header(r: &mut Reader<'_>) -> Result<()> {
    let magic = r.array::<4>()?;
    if magic != HEADER[..4] {
        return Err(r.error_at(r.pos() - 4, ErrorKind::MagicHeader));
    }
    let version = u32::from_le_bytes(r.array()?);
    if version != 1 {
        return Err(r.error_at(r.pos() - 4, ErrorKind::UnknownVersion(version)));
    }
    Ok(())
}

/// A section's id byte, checked against the enabled proposals.
pub fn section_id(r: &mut Reader<'_>, features: Features) -> Result<SectionId> {
    let at = r.pos();
    let code = r.u8()?;
    match SectionId::from_code(code) {
        Some(SectionId::Tag) if !features.contains(Features::EXCEPTIONS) => {}
        Some(id) => return Ok(id),
        None => {}
    }
    Err(r.error_at(at, ErrorKind::MalformedSectionId(code)))
}

/// Builds a module section by section.
#[derive(Debug)]
pub struct Builder {
    module: Module,
    cx: CodeCx,
    /// Position in [`SectionId::ORDER`] of the last standard section seen.
    last_order: Option<usize>,
    /// Where a custom section seen now belongs.
    place: Place,
    /// The code section's bodies, matched with the function section at the
    /// end (a second code section is an order error, reported first).
    bodies: Vec<(Vec<Locals>, Expr)>,
    /// Offset of the code section's count, when there is one.
    code_at: Option<usize>,
    /// Offset of the function section's count, for a late mismatch error.
    funcs_at: usize,
    /// Whether the data section was seen.
    data_seen: bool,
    /// Offset of the data count section, for a late mismatch error.
    data_count_at: usize,
}

impl Builder {
    /// A builder for a module with these proposals.
    pub fn new(features: Features) -> Builder {
        Builder {
            module: Module::default(),
            cx: CodeCx::new(features),
            last_order: None,
            place: Place::First,
            bodies: Vec::new(),
            code_at: None,
            funcs_at: 0,
            data_seen: false,
            data_count_at: 0,
        }
    }

    /// The proposals accepted.
    pub fn features(&self) -> Features {
        self.cx.features
    }

    /// The module as decoded so far (function bodies are attached at the
    /// end, by [`Builder::finish`]).
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// Checks that a standard section `id` may come now (at `at`).
    pub fn check_order(&mut self, id: SectionId, at: usize) -> Result<()> {
        if let Some(order) = id.order() {
            if self.last_order.is_some_and(|last| order <= last) {
                return Err(Error::new(at, ErrorKind::UnexpectedContent));
            }
            self.last_order = Some(order);
        }
        Ok(())
    }

    /// Decodes the contents of section `id`, which declares `size` bytes.
    /// The caller checks the order first ([`Builder::check_order`]) and that
    /// exactly `size` bytes were used afterwards.
    pub fn section(&mut self, id: SectionId, size: usize, r: &mut Reader<'_>) -> Result<()> {
        let non_empty = match id {
            SectionId::Custom => {
                self.custom(r)?;
                return Ok(());
            }
            SectionId::Type => self.types(r)?,
            SectionId::Import => self.imports(r)?,
            SectionId::Function => self.functions(r)?,
            SectionId::Table => self.tables(r)?,
            SectionId::Memory => self.memories(r)?,
            SectionId::Tag => self.tags(r)?,
            SectionId::Global => self.globals(r)?,
            SectionId::Export => self.exports(r)?,
            SectionId::Start => {
                self.module.start = Some(r.u32()?);
                true
            }
            SectionId::Element => self.elems(r)?,
            SectionId::DataCount => {
                self.data_count_at = r.pos();
                self.module.data_count = Some(r.u32()?);
                true
            }
            SectionId::Code => self.code(r, size)?,
            SectionId::Data => self.datas(r)?,
        };
        // The encoder leaves empty sections out, so a custom section after
        // one belongs after the last section that had contents.
        if non_empty {
            self.place = Place::After(id);
        }
        Ok(())
    }

    /// Checks what only the end of the module tells (sections that should
    /// have come) and returns the module. `end` is the input length.
    pub fn finish(mut self, end: usize) -> Result<Module> {
        if self.bodies.len() != self.module.funcs.len() {
            let at = self.code_at.unwrap_or(self.funcs_at);
            return Err(Error::new(at, ErrorKind::FuncCodeMismatch));
        }
        for (func, (locals, body)) in self.module.funcs.iter_mut().zip(self.bodies) {
            func.locals = locals;
            func.body = body;
        }
        if !self.data_seen && self.module.data_count.is_some_and(|n| n != 0) {
            return Err(Error::new(self.data_count_at, ErrorKind::DataCountMismatch));
        }
        if self.module.code.len() > u32::MAX as usize {
            return Err(Error::new(end, ErrorKind::TooLarge));
        }
        Ok(self.module)
    }

    fn custom(&mut self, r: &mut Reader<'_>) -> Result<()> {
        let name = r.name()?;
        let data = r.bytes(r.remaining())?;
        // Only the first well-formed name section is decoded; any other is
        // kept as bytes so that nothing is lost.
        let kind = match name {
            "name" if !self.has_name_section() => names::decode(data).map(|names| {
                self.module.names = names;
                CustomKind::Names
            }),
            _ => None,
        };
        let kind = kind.unwrap_or_else(|| CustomKind::Raw {
            name: name.to_string(),
            data: data.to_vec(),
        });
        self.module.customs.push(Custom {
            place: self.place,
            kind,
        });
        Ok(())
    }

    fn has_name_section(&self) -> bool {
        self.module
            .customs
            .iter()
            .any(|c| c.kind == CustomKind::Names)
    }

    fn types(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let features = self.cx.features;
        let (n, cap) = r.count()?;
        self.module.rec_groups.reserve(cap);
        self.module.types.reserve(cap);
        for _ in 0..n {
            let at = r.pos();
            let b = r.u8()?;
            if b == 0x4e && features.contains(Features::GC) {
                let (len, cap) = r.count()?;
                let mut group = Vec::with_capacity(cap);
                for _ in 0..len {
                    let at = r.pos();
                    let b = r.u8()?;
                    group.push(types::sub_type_after(b, at, r, features)?);
                }
                self.module.push_rec_group(group, true);
            } else {
                let ty = types::sub_type_after(b, at, r, features)?;
                self.module.push_rec_group([ty], false);
            }
        }
        Ok(n > 0)
    }

    fn imports(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let features = self.cx.features;
        let (n, cap) = r.count()?;
        self.module.imports.reserve(cap);
        for _ in 0..n {
            let module = r.name()?.to_string();
            let name = r.name()?.to_string();
            let at = r.pos();
            let desc = match r.u8()? {
                0 => ImportDesc::Func(r.u32()?),
                1 => ImportDesc::Table(types::table_type(r, features)?),
                2 => ImportDesc::Memory(types::memory_type(r, features)?),
                3 => ImportDesc::Global(types::global_type(r, features)?),
                4 if features.contains(Features::EXCEPTIONS) => {
                    ImportDesc::Tag(types::tag_type(r)?)
                }
                _ => return Err(r.error_at(at, ErrorKind::MalformedImportKind)),
            };
            self.module.imports.push(Import { module, name, desc });
        }
        Ok(n > 0)
    }

    fn functions(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        self.funcs_at = r.pos();
        let (n, cap) = r.count()?;
        self.module.funcs.reserve(cap);
        for _ in 0..n {
            let ty = r.u32()?;
            self.module.funcs.push(Func {
                ty,
                locals: Vec::new(),
                body: Expr::default(),
            });
        }
        Ok(n > 0)
    }

    /// A constant expression into the module's code.
    fn const_expr(&mut self, r: &mut Reader<'_>) -> Result<Expr> {
        let start = self.module.code.len() as u32;
        instr::expr(r, &mut self.cx, &mut self.module.code)?;
        Ok(Expr {
            start,
            end: self.module.code.len() as u32,
        })
    }

    fn tables(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let features = self.cx.features;
        let (n, cap) = r.count()?;
        self.module.tables.reserve(cap);
        for _ in 0..n {
            let table =
                if r.peek() == Some(0x40) && features.contains(Features::FUNCTION_REFERENCES) {
                    r.u8()?;
                    let at = r.pos();
                    if r.u8()? != 0 {
                        return Err(r.error_at(at, ErrorKind::ZeroByteExpected));
                    }
                    let ty = types::table_type(r, features)?;
                    let init = self.const_expr(r)?;
                    Table {
                        ty,
                        init: Some(init),
                    }
                } else {
                    Table {
                        ty: types::table_type(r, features)?,
                        init: None,
                    }
                };
            self.module.tables.push(table);
        }
        Ok(n > 0)
    }

    fn memories(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let (n, cap) = r.count()?;
        self.module.memories.reserve(cap);
        for _ in 0..n {
            let memory = types::memory_type(r, self.cx.features)?;
            self.module.memories.push(memory);
        }
        Ok(n > 0)
    }

    fn tags(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let (n, cap) = r.count()?;
        self.module.tags.reserve(cap);
        for _ in 0..n {
            let tag = types::tag_type(r)?;
            self.module.tags.push(tag);
        }
        Ok(n > 0)
    }

    fn globals(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let (n, cap) = r.count()?;
        self.module.globals.reserve(cap);
        for _ in 0..n {
            let ty = types::global_type(r, self.cx.features)?;
            let init = self.const_expr(r)?;
            self.module.globals.push(Global { ty, init });
        }
        Ok(n > 0)
    }

    fn exports(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let (n, cap) = r.count()?;
        self.module.exports.reserve(cap);
        for _ in 0..n {
            let name = r.name()?.to_string();
            let at = r.pos();
            let kind = match ExternKind::from_code(r.u8()?) {
                Some(ExternKind::Tag) if !self.cx.features.contains(Features::EXCEPTIONS) => None,
                kind => kind,
            }
            .ok_or_else(|| r.error_at(at, ErrorKind::MalformedExportKind))?;
            let index = r.u32()?;
            self.module.exports.push(Export { name, kind, index });
        }
        Ok(n > 0)
    }

    fn elems(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        let (n, cap) = r.count()?;
        self.module.elems.reserve(cap);
        for _ in 0..n {
            let elem = self.elem(r)?;
            self.module.elems.push(elem);
        }
        Ok(n > 0)
    }

    fn elem(&mut self, r: &mut Reader<'_>) -> Result<Elem> {
        const REF_FUNC: RefType = RefType::new(false, HeapType::Abstract(AbsHeap::Func));
        let features = self.cx.features;
        let at = r.pos();
        let flags = r.u32()?;
        // The flags are decoded whatever the proposals: in a Wasm 1.0 module
        // the only valid table index, 0, reads the same as flags 0, and the
        // other segment kinds are the validator's to refuse.
        if flags > 7 {
            return Err(r.error_at(at, ErrorKind::MalformedElemKind));
        }
        // Bit 0: passive or declarative; bit 1: explicit table (active) or
        // declarative; bit 2: expressions rather than function indices.
        let mode = match flags & 3 {
            0 => ElemMode::Active {
                table: 0,
                offset: self.const_expr(r)?,
            },
            2 => {
                let table = r.u32()?;
                ElemMode::Active {
                    table,
                    offset: self.const_expr(r)?,
                }
            }
            1 => ElemMode::Passive,
            _ => ElemMode::Declarative,
        };
        let exprs = flags & 4 != 0;
        let ty = match (flags & 3, exprs) {
            (0, false) => REF_FUNC,
            (0, true) => RefType::FUNCREF,
            (_, false) => {
                let at = r.pos();
                if r.u8()? != 0 {
                    return Err(r.error_at(at, ErrorKind::MalformedElemKind));
                }
                REF_FUNC
            }
            (_, true) => types::ref_type(r, features)?,
        };
        let (count, cap) = r.count()?;
        let items = if exprs {
            let mut items = Vec::with_capacity(cap);
            for _ in 0..count {
                items.push(self.const_expr(r)?);
            }
            ElemItems::Exprs(items)
        } else {
            let mut items = Vec::with_capacity(cap);
            for _ in 0..count {
                items.push(r.u32()?);
            }
            ElemItems::Funcs(items)
        };
        Ok(Elem { mode, ty, items })
    }

    fn code(&mut self, r: &mut Reader<'_>, size: usize) -> Result<bool> {
        let at = r.pos();
        self.code_at = Some(at);
        let (n, cap) = r.count()?;
        self.bodies.reserve(cap);
        // Compiled code averages two to three bytes per instruction:
        // reserving for one instruction per two bytes of the section avoids
        // regrowth, and the size is bounded by the input.
        self.module.code.reserve(size.min(r.remaining()) / 2);
        for _ in 0..n {
            let size = r.len()?;
            let end = r.pos() + size;
            let locals = self.locals(r)?;
            let start = self.module.code.len() as u32;
            // Like the reference decoder, a body is not cut off at its
            // declared size: a missing `end` reads on, and the size is
            // checked afterwards.
            instr::expr(r, &mut self.cx, &mut self.module.code)?;
            if r.pos() != end {
                return Err(r.error(ErrorKind::SectionSizeMismatch));
            }
            let body = Expr {
                start,
                end: self.module.code.len() as u32,
            };
            self.bodies.push((locals, body));
        }
        if self.cx.uses_data && self.module.data_count.is_none() {
            return Err(r.error_at(at, ErrorKind::DataCountRequired));
        }
        Ok(n > 0)
    }

    fn locals(&mut self, r: &mut Reader<'_>) -> Result<Vec<Locals>> {
        let (n, cap) = r.count()?;
        let mut locals = Vec::with_capacity(cap);
        let mut total = 0u64;
        for _ in 0..n {
            let at = r.pos();
            let count = r.u32()?;
            total += u64::from(count);
            if total > u64::from(u32::MAX) {
                return Err(r.error_at(at, ErrorKind::TooManyLocals));
            }
            let ty = types::val_type(r, self.cx.features)?;
            locals.push(Locals { count, ty });
        }
        Ok(locals)
    }

    fn datas(&mut self, r: &mut Reader<'_>) -> Result<bool> {
        self.data_seen = true;
        let at = r.pos();
        let (n, cap) = r.count()?;
        if self.module.data_count.is_some_and(|c| c != n) {
            return Err(r.error_at(at, ErrorKind::DataCountMismatch));
        }
        self.module.datas.reserve(cap);
        for _ in 0..n {
            let at = r.pos();
            let mode = match r.u32()? {
                0 => DataMode::Active {
                    memory: 0,
                    offset: self.const_expr(r)?,
                },
                // As for element segments, the kinds are not gated on the
                // proposals.
                1 => DataMode::Passive,
                2 => {
                    let memory = r.u32()?;
                    DataMode::Active {
                        memory,
                        offset: self.const_expr(r)?,
                    }
                }
                _ => return Err(r.error_at(at, ErrorKind::MalformedDataKind)),
            };
            // Not checked against the input length first: a short segment
            // is `unexpected end`, as in the reference decoder.
            let len = r.u32()? as usize;
            let init = r.bytes(len)?.to_vec();
            self.module.datas.push(Data { mode, init });
        }
        Ok(n > 0)
    }
}

/// Decodes a whole module.
pub fn parse(bytes: &[u8], features: Features) -> Result<Module> {
    let mut r = Reader::new(bytes, 0);
    header(&mut r)?;
    r.enter_sections();
    let mut builder = Builder::new(features);
    while !r.at_end() {
        let at = r.pos();
        let id = section_id(&mut r, features)?;
        let size = r.len()?;
        builder.check_order(id, at)?;
        let end = r.pos() + size;
        if id == SectionId::Custom {
            // A custom section's payload is whatever its size leaves.
            let saved = r.limit(size);
            builder.section(id, size, &mut r)?;
            r.restore(saved);
        } else {
            // Standard sections are not cut off at their size: as in the
            // reference decoder, contents that run on are a size mismatch
            // (or whatever error the bytes after them cause first).
            builder.section(id, size, &mut r)?;
        }
        if r.pos() != end {
            return Err(r.error(ErrorKind::SectionSizeMismatch));
        }
    }
    builder.finish(bytes.len())
}
