//! Sections to a [`Module`]: the header, the section framing and order, and
//! each section's contents.
//!
//! [`Builder`] takes one section at a time, so the whole-input parser and
//! the streaming parser share it.

use weft_ast::*;

use crate::code::{Bodies, CodeHook, NoHook};
use crate::error::{Error, ErrorKind, Result};
use crate::hints;
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
    /// How many bodies the code section had. Matched with the function
    /// section only at the end, so that a second code section is an order
    /// error first, as in the reference decoder.
    bodies: usize,
    /// Offset of the code section's count, when there is one.
    code_at: Option<usize>,
    /// Offset of the function section's count, for a late mismatch error.
    funcs_at: usize,
    /// Whether the data section was seen.
    data_seen: bool,
    /// Offset of the data count section, for a late mismatch error.
    data_count_at: usize,
    /// A branch hint section read before the code section, waiting for
    /// the bodies: its index in the module's custom sections, its payload
    /// and its entries.
    hints: Option<(usize, Vec<u8>, hints::Entries)>,
    /// Each body's size in bytes, kept only while `hints` waits.
    body_sizes: Vec<u32>,
}

impl Builder {
    /// A builder for a module with these proposals.
    pub fn new(features: Features) -> Builder {
        Builder {
            module: Module::default(),
            cx: CodeCx::new(features),
            last_order: None,
            place: Place::First,
            bodies: 0,
            code_at: None,
            funcs_at: 0,
            data_seen: false,
            data_count_at: 0,
            hints: None,
            body_sizes: Vec::new(),
        }
    }

    /// The proposals accepted.
    pub fn features(&self) -> Features {
        self.cx.features
    }

    /// The module as decoded so far.
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
        self.section_with(id, size, r, &mut NoHook)
    }

    /// Like [`Builder::section`], with `hook` driving the code section's
    /// bodies.
    pub fn section_with<H: CodeHook>(
        &mut self,
        id: SectionId,
        size: usize,
        r: &mut Reader<'_>,
        hook: &mut H,
    ) -> Result<()> {
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
            SectionId::Code => self.code(r, size, hook)?,
            SectionId::Data => self.datas(r, H::KEEP_CODE)?,
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
        if self.bodies != self.module.funcs.len() {
            let at = self.code_at.unwrap_or(self.funcs_at);
            return Err(Error::new(at, ErrorKind::FuncCodeMismatch));
        }
        if !self.data_seen && self.module.data_count.is_some_and(|n| n != 0) {
            return Err(Error::new(self.data_count_at, ErrorKind::DataCountMismatch));
        }
        if self.module.code.len() > u32::MAX as usize {
            return Err(Error::new(end, ErrorKind::TooLarge));
        }
        if let Some((at, payload, entries)) = self.hints.take()
            && !hints::resolve(&mut self.module, &self.body_sizes, &entries, &payload)
        {
            self.module.customs[at].kind = CustomKind::Raw {
                name: BRANCH_HINT_SECTION.to_string(),
                data: payload,
            };
        }
        Ok(self.module)
    }

    fn custom(&mut self, r: &mut Reader<'_>) -> Result<()> {
        let name = r.name()?;
        let data = r.bytes(r.remaining())?;
        // Only the first well-formed name section is decoded; any other is
        // kept as bytes so that nothing is lost. Likewise the first branch
        // hint section before the code section, once the bodies tell where
        // its offsets point (`finish`).
        let kind = match name {
            "name" if !self.has_name_section() => names::decode(data).map(|names| {
                self.module.names = names;
                CustomKind::Names
            }),
            BRANCH_HINT_SECTION
                if self.code_at.is_none() && !self.has(&CustomKind::BranchHints) =>
            {
                hints::read(data).map(|entries| {
                    self.hints = Some((self.module.customs.len(), data.to_vec(), entries));
                    CustomKind::BranchHints
                })
            }
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
        self.has(&CustomKind::Names)
    }

    /// Whether a custom section of this kind was decoded.
    fn has(&self, kind: &CustomKind) -> bool {
        self.module.customs.iter().any(|c| c.kind == *kind)
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
                0x20 if features.contains(Features::CUSTOM_DESCRIPTORS) => {
                    ImportDesc::FuncExact(r.u32()?)
                }
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
        if !segment_kinds(features) {
            // Wasm 1.0: a table index (only 0 is valid, which is the
            // validator's to check), an offset and function indices.
            let table = r.u32()?;
            let offset = self.const_expr(r)?;
            let (count, cap) = r.count()?;
            let mut items = Vec::with_capacity(cap);
            for _ in 0..count {
                items.push(r.u32()?);
            }
            return Ok(Elem {
                mode: ElemMode::Active { table, offset },
                ty: REF_FUNC,
                items: ElemItems::Funcs(items),
            });
        }
        let at = r.pos();
        let flags = r.u32()?;
        // Segment kinds other than those of the enabled proposals are the
        // validator's to refuse.
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

    fn code<H: CodeHook>(&mut self, r: &mut Reader<'_>, size: usize, hook: &mut H) -> Result<bool> {
        let at = r.pos();
        self.code_at = Some(at);
        // Only data indices in the code section need the data count
        // section, not those of earlier constant expressions.
        self.cx.uses_data = false;
        let (n, cap) = r.count()?;
        // The bodies are appended to the code of the constant expressions
        // decoded before them, taken out of the module while the hook sees
        // the module so far; the module keeps a copy of those few constant
        // expressions meanwhile (bounded by the bytes before this section).
        let mut code = std::mem::take(&mut self.module.code);
        self.module.code.clone_from(&code);
        // Compiled code averages two to three bytes per instruction:
        // reserving for one instruction per two bytes of the section avoids
        // regrowth, and the size is bounded by the input.
        if H::KEEP_CODE {
            code.reserve(size.min(r.remaining()) / 2);
        }
        let mut bodies = Bodies::new(r, &mut self.cx, &mut code, n, cap);
        hook.code(&self.module, &mut bodies)?;
        // Whatever bodies the hook left are decoded plainly.
        while bodies.next(&mut ())? {}
        let decoded = bodies.into_decoded();
        self.module.code = code;
        for (locals, body, size) in decoded {
            if self.hints.is_some() {
                self.body_sizes.push(size);
            }
            // Bodies beyond the function section's count are decoded (their
            // errors come first) and counted, then refused by `finish`.
            if let Some(func) = self.module.funcs.get_mut(self.bodies) {
                func.locals = locals;
                func.body = body;
            }
            self.bodies += 1;
        }
        if self.cx.uses_data && self.module.data_count.is_none() {
            return Err(r.error_at(at, ErrorKind::DataCountRequired));
        }
        Ok(n > 0)
    }

    /// The data section; without `keep` (a hook that keeps no code only
    /// checks the module), the segments' bytes are skipped, not copied.
    fn datas(&mut self, r: &mut Reader<'_>, keep: bool) -> Result<bool> {
        self.data_seen = true;
        let at = r.pos();
        let (n, cap) = r.count()?;
        if self.module.data_count.is_some_and(|c| c != n) {
            return Err(r.error_at(at, ErrorKind::DataCountMismatch));
        }
        // Most segments are active with a one-constant offset: two
        // instructions each, in five bytes at least (esbuild has 98,450
        // segments). Bounded by the input, unlike `cap`, so that many small
        // segments do not regrow the vectors again and again.
        let active = (n as usize).min(r.remaining() / 5);
        self.module.datas.reserve(cap.max(active));
        self.module.code.reserve(active * 2);
        // Several memories are only named by the kind-2 form (the
        // multi-memory proposal's binary format builds on bulk memory's),
        // as every other decoder reads it.
        let kinds =
            segment_kinds(self.cx.features) || self.cx.features.contains(Features::MULTI_MEMORY);
        for _ in 0..n {
            let at = r.pos();
            let mode = match r.u32()? {
                // Wasm 1.0: a memory index (only 0 is valid, which is the
                // validator's to check) and an offset.
                memory if !kinds => DataMode::Active {
                    memory,
                    offset: self.const_expr(r)?,
                },
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
            let bytes = r.bytes(len)?;
            let init = if keep { bytes.to_vec() } else { Vec::new() };
            self.module.datas.push(Data { mode, init });
        }
        Ok(n > 0)
    }
}

/// Whether segments start with a kind (flags), as bulk memory and reference
/// types made them, rather than with Wasm 1.0's table or memory index.
fn segment_kinds(features: Features) -> bool {
    features.contains(Features::BULK_MEMORY) || features.contains(Features::REFERENCE_TYPES)
}

/// Decodes a whole module.
pub fn parse(bytes: &[u8], features: Features) -> Result<Module> {
    parse_with_hook(bytes, features, &mut NoHook)
}

/// Decodes a whole module, with `hook` driving the code section's bodies.
pub fn parse_with_hook<H: CodeHook>(
    bytes: &[u8],
    features: Features,
    hook: &mut H,
) -> Result<Module> {
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
            builder.section_with(id, size, &mut r, hook)?;
            r.restore(saved);
        } else {
            // Standard sections are not cut off at their size: as in the
            // reference decoder, contents that run on are a size mismatch
            // (or whatever error the bytes after them cause first).
            builder.section_with(id, size, &mut r, hook)?;
        }
        if r.pos() != end {
            return Err(r.error(ErrorKind::SectionSizeMismatch));
        }
    }
    builder.finish(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module from `(section id, contents)` pairs.
    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = HEADER.to_vec();
        for (id, body) in sections {
            out.push(*id);
            out.push(body.len() as u8);
            out.extend_from_slice(body);
        }
        out
    }

    fn parse_all(sections: &[(u8, &[u8])]) -> Result<Module> {
        parse(&module(sections), Features::ALL)
    }

    fn kind(r: Result<Module>) -> ErrorKind {
        r.unwrap_err().kind().clone()
    }

    const TYPE: (u8, &[u8]) = (1, &[1, 0x60, 0, 0]);
    const FUNC: (u8, &[u8]) = (3, &[1, 0]);
    const CODE: (u8, &[u8]) = (10, &[1, 2, 0, 0x0b]);

    #[test]
    fn all_eight_element_encodings() {
        let table: (u8, &[u8]) = (4, &[1, 0x70, 0, 1]);
        let elems: &[u8] = &[
            8, // eight segments
            0, 0x41, 0, 0x0b, 1, 0, // 0: active table 0, func indices
            1, 0, 1, 0, // 1: passive, elemkind, func indices
            2, 0, 0x41, 0, 0x0b, 0, 1, 0, // 2: active explicit table
            3, 0, 1, 0, // 3: declarative
            4, 0x41, 0, 0x0b, 1, 0xd2, 0, 0x0b, // 4: active, expressions
            5, 0x70, 1, 0xd0, 0x70, 0x0b, // 5: passive, reftype, expressions
            6, 0, 0x41, 0, 0x0b, 0x70, 0, // 6: active explicit, none
            7, 0x70, 1, 0xd2, 0, 0x0b, // 7: declarative, expressions
        ];
        let m = parse_all(&[TYPE, FUNC, table, (9, elems), CODE]).unwrap();
        let ref_func = RefType::new(false, HeapType::Abstract(AbsHeap::Func));
        let tys: Vec<RefType> = m.elems.iter().map(|e| e.ty).collect();
        assert_eq!(
            tys,
            [
                ref_func,
                ref_func,
                ref_func,
                ref_func,
                RefType::FUNCREF,
                RefType::FUNCREF,
                RefType::FUNCREF,
                RefType::FUNCREF
            ]
        );
        assert!(matches!(m.elems[1].mode, ElemMode::Passive));
        assert!(matches!(m.elems[3].mode, ElemMode::Declarative));
        assert!(matches!(m.elems[4].items, ElemItems::Exprs(ref e) if e.len() == 1));
        assert_eq!(m.elems[6].items.len(), 0);
        // Every encoding comes back from the encoder as an equal module.
        assert_eq!(parse(&m.encode(), Features::ALL).unwrap(), m);
        // Unknown segment kind and element kind.
        assert_eq!(
            kind(parse_all(&[(9, &[1, 8])])),
            ErrorKind::MalformedElemKind
        );
        assert_eq!(
            kind(parse_all(&[(9, &[1, 1, 1, 0])])),
            ErrorKind::MalformedElemKind
        );
    }

    #[test]
    fn wasm1_segments_start_with_an_index() {
        let table: (u8, &[u8]) = (4, &[1, 0x70, 0, 1]);
        // Table index 1 (a flags value with the current encoding): an
        // active segment of table 1, left for validation to refuse.
        let elems: (u8, &[u8]) = (9, &[1, 1, 0x41, 0, 0x0b, 1, 0]);
        let bytes = module(&[TYPE, FUNC, table, elems, CODE]);
        let m = parse(&bytes, Features::WASM1).unwrap();
        assert!(matches!(m.elems[0].mode, ElemMode::Active { table: 1, .. }));
        assert!(matches!(m.elems[0].items, ElemItems::Funcs(ref f) if f == &[0]));
        // Read with the current encoding, the same bytes are a passive
        // segment whose element kind (0x41) is malformed.
        assert_eq!(
            kind(parse(&bytes, Features::WASM2)),
            ErrorKind::MalformedElemKind
        );
        // Data: memory index 1, offset, bytes.
        let data: (u8, &[u8]) = (11, &[1, 1, 0x41, 0, 0x0b, 1, b'a']);
        let m = parse(&module(&[data]), Features::WASM1).unwrap();
        assert!(matches!(
            m.datas[0].mode,
            DataMode::Active { memory: 1, .. }
        ));
        assert_eq!(&*m.datas[0].init, b"a");
        // With multi-memory (and neither bulk memory nor reference types)
        // a data segment starts with its kind: 2, then memory 1 (found by
        // the `diff_wasmi` fuzz target, from weft-smith's encoding).
        let data: (u8, &[u8]) = (11, &[1, 2, 1, 0x41, 0, 0x0b, 1, b'a']);
        let f = Features::WASM1.with(Features::MULTI_MEMORY);
        let m = parse(&module(&[data]), f).unwrap();
        assert!(matches!(
            m.datas[0].mode,
            DataMode::Active { memory: 1, .. }
        ));
        assert_eq!(&*m.datas[0].init, b"a");
    }

    #[test]
    fn data_segments_and_count() {
        let memory: (u8, &[u8]) = (5, &[1, 0, 1]);
        let data: (u8, &[u8]) = (
            11,
            &[3, 0, 0x41, 0, 0x0b, 1, b'a', 1, 0, 2, 0, 0x41, 0, 0x0b, 0],
        );
        let m = parse_all(&[memory, (12, &[3]), data]).unwrap();
        assert_eq!(m.data_count, Some(3));
        assert_eq!(m.datas[0].init, b"a");
        assert!(matches!(m.datas[1].mode, DataMode::Passive));
        assert_eq!(
            kind(parse_all(&[memory, (12, &[2]), data])),
            ErrorKind::DataCountMismatch
        );
        assert_eq!(
            kind(parse_all(&[memory, (12, &[1])])),
            ErrorKind::DataCountMismatch
        );
        assert_eq!(
            kind(parse_all(&[(11, &[1, 3, 0])])),
            ErrorKind::MalformedDataKind
        );
        // data.drop without a data count section.
        let code: (u8, &[u8]) = (10, &[1, 5, 0, 0xfc, 9, 0, 0x0b]);
        assert_eq!(
            kind(parse_all(&[TYPE, FUNC, memory, code, (11, &[0])])),
            ErrorKind::DataCountRequired
        );
        // A data index in a constant expression does not need it.
        let types: (u8, &[u8]) = (1, &[2, 0x5e, 0x78, 0, 0x60, 0, 0]);
        let global: (u8, &[u8]) = (6, &[1, 0x63, 0, 0, 0x41, 0, 0x41, 0, 0xfb, 9, 0, 0, 0x0b]);
        let m = parse_all(&[types, (3, &[1, 1]), global, CODE, (11, &[1, 1, 0])]).unwrap();
        assert_eq!(m.data_count, None);
    }

    #[test]
    fn section_order() {
        assert!(parse_all(&[TYPE, FUNC, (13, &[1, 0, 0]), CODE]).is_ok());
        // A tag section after the global section, a type section twice, a
        // data count section after the code section.
        let global: (u8, &[u8]) = (6, &[1, 0x7f, 0, 0x41, 0, 0x0b]);
        assert_eq!(
            kind(parse_all(&[TYPE, global, (13, &[1, 0, 0])])),
            ErrorKind::UnexpectedContent
        );
        assert_eq!(kind(parse_all(&[TYPE, TYPE])), ErrorKind::UnexpectedContent);
        assert_eq!(
            kind(parse_all(&[TYPE, FUNC, CODE, (12, &[0])])),
            ErrorKind::UnexpectedContent
        );
        // The tag section does not exist without exceptions.
        let bytes = module(&[TYPE, (13, &[1, 0, 0])]);
        assert_eq!(
            parse(&bytes, Features::WASM2).unwrap_err().kind(),
            &ErrorKind::MalformedSectionId(13)
        );
        assert_eq!(
            kind(parse_all(&[(14, &[])])),
            ErrorKind::MalformedSectionId(14)
        );
    }

    #[test]
    fn functions_and_bodies() {
        assert_eq!(kind(parse_all(&[TYPE, FUNC])), ErrorKind::FuncCodeMismatch);
        assert_eq!(kind(parse_all(&[TYPE, CODE])), ErrorKind::FuncCodeMismatch);
        // Two runs of locals adding up to 2^32.
        let code: (u8, &[u8]) = (
            10,
            &[1, 10, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 1, 0x7e, 0x0b],
        );
        let err = parse_all(&[TYPE, FUNC, code]).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::TooManyLocals);
        // Bytes after a body's `end`.
        let code: (u8, &[u8]) = (10, &[1, 3, 0, 0x0b, 0x01]);
        assert_eq!(
            kind(parse_all(&[TYPE, FUNC, code])),
            ErrorKind::SectionSizeMismatch
        );
        let m = parse_all(&[TYPE, FUNC, (10, &[1, 4, 1, 2, 0x7f, 0x0b])]).unwrap();
        assert_eq!(
            m.funcs[0].locals,
            [Locals {
                count: 2,
                ty: ValType::I32
            }]
        );
        assert_eq!(m.instrs(m.funcs[0].body), [Instr::End]);
    }

    #[test]
    fn tables_with_initializers() {
        let table: (u8, &[u8]) = (4, &[1, 0x40, 0, 0x64, 0x70, 0, 1, 0xd2, 0, 0x0b]);
        let m = parse_all(&[TYPE, FUNC, table, CODE]).unwrap();
        let init = m.tables[0].init.unwrap();
        assert_eq!(m.instrs(init), [Instr::RefFunc { func: 0 }, Instr::End]);
        assert_eq!(parse(&m.encode(), Features::ALL).unwrap(), m);
        let bad: (u8, &[u8]) = (4, &[1, 0x40, 1, 0x70, 0, 1, 0x0b]);
        assert_eq!(kind(parse_all(&[bad])), ErrorKind::ZeroByteExpected);
    }

    #[test]
    fn custom_sections_keep_their_place() {
        let empty_memory: (u8, &[u8]) = (5, &[0]);
        let names: &[u8] = &[4, b'n', b'a', b'm', b'e', 1, 4, 1, 0, 1, b'f'];
        let m = parse_all(&[
            (0, &[1, b'a']),
            TYPE,
            FUNC,
            empty_memory,
            (0, &[1, b'b', 9]),
            (0, names),
            CODE,
            (0, &[4, b'n', b'a', b'm', b'e', 9]),
        ])
        .unwrap();
        let places: Vec<Place> = m.customs.iter().map(|c| c.place).collect();
        // The empty memory section is not a place: the encoder drops it.
        assert_eq!(
            places,
            [
                Place::First,
                Place::After(SectionId::Function),
                Place::After(SectionId::Function),
                Place::After(SectionId::Code)
            ]
        );
        assert_eq!(m.customs[2].kind, CustomKind::Names);
        assert_eq!(Names::get(&m.names.funcs, 0), Some("f"));
        // A second name section, here malformed, stays raw.
        assert!(
            matches!(&m.customs[3].kind, CustomKind::Raw { name, data } if name == "name" && data == &[9])
        );
        assert_eq!(parse(&m.encode(), Features::ALL).unwrap(), m);
        // A custom section's name must fit in it.
        assert_eq!(
            kind(parse_all(&[(0, &[3, b'a']), TYPE])),
            ErrorKind::UnexpectedEndOfSection
        );
    }

    #[test]
    fn imports_and_exports() {
        let imports: &[u8] = &[
            5, //
            1, b'm', 1, b'f', 0, 0, // func
            1, b'm', 1, b't', 1, 0x70, 0, 0, // table
            1, b'm', 1, b'm', 2, 3, 1, 2, // shared memory
            1, b'm', 1, b'g', 3, 0x7e, 1, // mutable global
            1, b'm', 1, b'e', 4, 0, 0, // tag
        ];
        let m = parse_all(&[TYPE, (2, imports)]).unwrap();
        assert_eq!(m.imports.len(), 5);
        assert!(matches!(m.imports[2].desc, ImportDesc::Memory(mt) if mt.shared));
        assert!(matches!(m.imports[4].desc, ImportDesc::Tag(_)));
        assert_eq!(
            kind(parse_all(&[(2, &[1, 1, b'm', 1, b'f', 5, 0])])),
            ErrorKind::MalformedImportKind
        );
        assert_eq!(
            kind(parse_all(&[(7, &[1, 1, b'e', 5, 0])])),
            ErrorKind::MalformedExportKind
        );
        assert_eq!(
            kind(parse_all(&[(6, &[1, 0x7f, 2, 0x41, 0, 0x0b])])),
            ErrorKind::MalformedMutability
        );
        let err = parse_all(&[(2, &[1, 2, 0xc3, 0x28, 1, b'f', 0, 0])]).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::MalformedUtf8);
        assert_eq!(err.offset(), 12);
    }

    #[test]
    fn header_and_framing() {
        assert_eq!(kind(parse(b"", Features::ALL)), ErrorKind::UnexpectedEnd);
        assert_eq!(
            kind(parse(b"\0asm\x01\0\0", Features::ALL)),
            ErrorKind::UnexpectedEnd
        );
        assert_eq!(
            kind(parse(b"\0wasm\x01\0\0", Features::ALL)),
            ErrorKind::MagicHeader
        );
        assert_eq!(
            kind(parse(b"\0asm\x02\0\0\0", Features::ALL)),
            ErrorKind::UnknownVersion(2)
        );
        // Section size beyond the input; contents shorter than the size.
        assert_eq!(
            kind(parse(b"\0asm\x01\0\0\0\x01\x05\x00", Features::ALL)),
            ErrorKind::LengthOutOfBounds
        );
        assert_eq!(
            kind(parse(b"\0asm\x01\0\0\0\x01\x02\x00\x00", Features::ALL)),
            ErrorKind::SectionSizeMismatch
        );
    }
}
