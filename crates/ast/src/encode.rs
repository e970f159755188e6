//! The AST to the binary format.
//!
//! Instructions are encoded by code derived from the instruction table, each
//! immediate by its [`Encode`] impl. Sections are written in the standard
//! order; empty sections are left out; custom sections go back to their
//! [`Place`].
//!
//! weft writes bytes directly rather than through `wasm-encoder`: mapping the
//! AST onto that crate's own instruction enum would need a second,
//! hand-kept list of every opcode, which the one-table rule forbids.

use crate::instr::*;
use crate::module::*;
use crate::names::{IndirectNameMap, NameMap, Names};
use crate::types::*;

/// Something with a binary encoding.
pub trait Encode {
    /// Appends the encoding to `sink`.
    fn encode(&self, sink: &mut Vec<u8>);
}

/// Appends an unsigned LEB128 number.
pub fn write_u64(sink: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            sink.push(byte);
            return;
        }
        sink.push(byte | 0x80);
    }
}

/// Appends an unsigned LEB128 `u32`.
pub fn write_u32(sink: &mut Vec<u8>, value: u32) {
    write_u64(sink, value.into());
}

/// Appends a signed LEB128 number.
pub fn write_i64(sink: &mut Vec<u8>, mut value: i64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0);
        if done {
            sink.push(byte);
            return;
        }
        sink.push(byte | 0x80);
    }
}

/// Appends a length-prefixed UTF-8 name.
pub fn write_name(sink: &mut Vec<u8>, name: &str) {
    write_u32(sink, name.len() as u32);
    sink.extend_from_slice(name.as_bytes());
}

fn write_vec<T>(sink: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    write_u32(sink, items.len() as u32);
    for item in items {
        each(sink, item);
    }
}

impl Encode for u32 {
    fn encode(&self, sink: &mut Vec<u8>) {
        write_u32(sink, *self);
    }
}

impl Encode for u8 {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.push(*self);
    }
}

impl Encode for i32 {
    fn encode(&self, sink: &mut Vec<u8>) {
        write_i64(sink, (*self).into());
    }
}

impl Encode for i64 {
    fn encode(&self, sink: &mut Vec<u8>) {
        write_i64(sink, *self);
    }
}

impl Encode for Ieee32 {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.extend_from_slice(&self.0.to_le_bytes());
    }
}

impl Encode for Ieee64 {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.extend_from_slice(&self.0.to_le_bytes());
    }
}

impl Encode for V128 {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.extend_from_slice(&self.0);
    }
}

impl Encode for Shuffle {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.extend_from_slice(&self.0);
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self, sink: &mut Vec<u8>) {
        (**self).encode(sink);
    }
}

impl Encode for MemArg {
    fn encode(&self, sink: &mut Vec<u8>) {
        let MemArg {
            align,
            offset,
            memory,
        } = *self;
        // Bit 6 of the flags says that a memory index follows.
        if memory == 0 {
            write_u32(sink, align.into());
        } else {
            write_u32(sink, u32::from(align) | 0x40);
            write_u32(sink, memory);
        }
        write_u64(sink, offset);
    }
}

impl Encode for HeapType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match *self {
            HeapType::Abstract(h) => sink.push(h as u8),
            HeapType::Concrete(idx) => write_i64(sink, idx.into()),
            HeapType::Exact(idx) => {
                sink.push(0x62);
                write_u32(sink, idx);
            }
        }
    }
}

impl Encode for RefType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match (self.nullable, self.heap) {
            (true, HeapType::Abstract(h)) => sink.push(h as u8),
            (true, heap) => {
                sink.push(0x63);
                heap.encode(sink);
            }
            (false, heap) => {
                sink.push(0x64);
                heap.encode(sink);
            }
        }
    }
}

impl Encode for ValType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match self {
            ValType::I32 => sink.push(0x7f),
            ValType::I64 => sink.push(0x7e),
            ValType::F32 => sink.push(0x7d),
            ValType::F64 => sink.push(0x7c),
            ValType::V128 => sink.push(0x7b),
            ValType::Ref(r) => r.encode(sink),
        }
    }
}

impl Encode for BlockType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match self {
            BlockType::Empty => sink.push(0x40),
            BlockType::Val(v) => v.encode(sink),
            BlockType::Func(idx) => write_i64(sink, (*idx).into()),
        }
    }
}

impl Encode for BrTable {
    fn encode(&self, sink: &mut Vec<u8>) {
        write_vec(sink, &self.targets, |s, l| write_u32(s, *l));
        write_u32(sink, self.default);
    }
}

impl Encode for TypeList {
    fn encode(&self, sink: &mut Vec<u8>) {
        write_vec(sink, &self.0, |s, t| t.encode(s));
    }
}

impl Encode for TryTable {
    fn encode(&self, sink: &mut Vec<u8>) {
        self.ty.encode(sink);
        write_vec(sink, &self.catches, |s, c| {
            s.push(c.code());
            if let Catch::One { tag, .. } | Catch::OneRef { tag, .. } = c {
                write_u32(s, *tag);
            }
            write_u32(s, c.label());
        });
    }
}

impl Encode for BrOnCast {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.push(u8::from(self.from.nullable) | (u8::from(self.to.nullable) << 1));
        write_u32(sink, self.label);
        self.from.heap.encode(sink);
        self.to.heap.encode(sink);
    }
}

macro_rules! define_encode {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        impl Encode for Instr {
            fn encode(&self, sink: &mut Vec<u8>) {
                match self {
                    $( $(
                        Instr::$name $({ $($field),* })? => {
                            sink.push($op);
                            $( write_u32(sink, $sub); )?
                            $( $( $field.encode(sink); )* )?
                        }
                    )* )*
                }
            }
        }
    };
}

crate::for_each_instr!(define_encode);

impl Encode for FieldType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match self.storage {
            StorageType::I8 => sink.push(0x78),
            StorageType::I16 => sink.push(0x77),
            StorageType::Val(v) => v.encode(sink),
        }
        sink.push(u8::from(self.mutable));
    }
}

impl Encode for CompositeType {
    fn encode(&self, sink: &mut Vec<u8>) {
        match self {
            CompositeType::Func(f) => {
                sink.push(0x60);
                write_vec(sink, &f.params, |s, t| t.encode(s));
                write_vec(sink, &f.results, |s, t| t.encode(s));
            }
            CompositeType::Struct(fields) => {
                sink.push(0x5f);
                write_vec(sink, fields, |s, f| f.encode(s));
            }
            CompositeType::Array(field) => {
                sink.push(0x5e);
                field.encode(sink);
            }
        }
    }
}

impl Encode for SubType {
    fn encode(&self, sink: &mut Vec<u8>) {
        if !self.is_final || !self.supertypes.is_empty() {
            sink.push(if self.is_final { 0x4f } else { 0x50 });
            write_vec(sink, &self.supertypes, |s, t| write_u32(s, *t));
        }
        if let Some(x) = self.describes {
            sink.push(0x4c);
            write_u32(sink, x);
        }
        if let Some(x) = self.descriptor {
            sink.push(0x4d);
            write_u32(sink, x);
        }
        self.composite.encode(sink);
    }
}

fn encode_limits(sink: &mut Vec<u8>, mut flags: u8, addr: AddrType, limits: Limits) {
    if limits.max.is_some() {
        flags |= 0x01;
    }
    if addr == AddrType::I64 {
        flags |= 0x04;
    }
    sink.push(flags);
    write_u64(sink, limits.min);
    if let Some(max) = limits.max {
        write_u64(sink, max);
    }
}

impl Encode for TableType {
    fn encode(&self, sink: &mut Vec<u8>) {
        self.elem.encode(sink);
        encode_limits(sink, 0, self.addr, self.limits);
    }
}

impl Encode for MemoryType {
    fn encode(&self, sink: &mut Vec<u8>) {
        let mut flags = 0;
        if self.shared {
            flags |= 0x02;
        }
        if self.page_size_log2.is_some() {
            flags |= 0x08;
        }
        encode_limits(sink, flags, self.addr, self.limits);
        if let Some(log2) = self.page_size_log2 {
            write_u32(sink, log2);
        }
    }
}

impl Encode for GlobalType {
    fn encode(&self, sink: &mut Vec<u8>) {
        self.val.encode(sink);
        sink.push(u8::from(self.mutable));
    }
}

impl Encode for TagType {
    fn encode(&self, sink: &mut Vec<u8>) {
        sink.push(self.attribute);
        write_u32(sink, self.ty);
    }
}

impl Encode for ImportDesc {
    fn encode(&self, sink: &mut Vec<u8>) {
        // An exact function import has a kind byte of its own (custom
        // descriptors); exports never use it.
        sink.push(match self {
            ImportDesc::FuncExact(_) => 0x20,
            _ => self.kind() as u8,
        });
        match self {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => write_u32(sink, *ty),
            ImportDesc::Table(t) => t.encode(sink),
            ImportDesc::Memory(m) => m.encode(sink),
            ImportDesc::Global(g) => g.encode(sink),
            ImportDesc::Tag(t) => t.encode(sink),
        }
    }
}

/// Encodes a module to the binary format.
pub fn encode(module: &Module) -> Vec<u8> {
    ModuleEncoder {
        module,
        out: Vec::with_capacity(module.code.len() * 3 + 64),
    }
    .finish()
}

impl Module {
    /// Encodes the module to the binary format.
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }
}

struct ModuleEncoder<'a> {
    module: &'a Module,
    out: Vec<u8>,
}

impl ModuleEncoder<'_> {
    fn finish(mut self) -> Vec<u8> {
        self.out.extend_from_slice(b"\0asm\x01\0\0\0");
        self.customs_at(Place::First);
        for id in SectionId::ORDER {
            self.standard_section(id);
            self.customs_at(Place::After(id));
        }
        self.out
    }

    fn customs_at(&mut self, place: Place) {
        let m = self.module;
        for custom in m.customs.iter().filter(|c| c.place == place) {
            let mut body = Vec::new();
            match &custom.kind {
                CustomKind::Raw { name, data } => {
                    write_name(&mut body, name);
                    body.extend_from_slice(data);
                }
                CustomKind::Names => {
                    write_name(&mut body, "name");
                    encode_names(&mut body, &m.names);
                }
                CustomKind::BranchHints => {
                    write_name(&mut body, crate::metadata::BRANCH_HINT_SECTION);
                    self.branch_hints(&mut body);
                }
            }
            self.section(SectionId::Custom, &body);
        }
    }

    fn section(&mut self, id: SectionId, body: &[u8]) {
        self.out.push(id as u8);
        write_u32(&mut self.out, body.len() as u32);
        self.out.extend_from_slice(body);
    }

    fn expr(&self, sink: &mut Vec<u8>, expr: Expr) {
        for instr in self.module.instrs(expr) {
            instr.encode(sink);
        }
    }

    fn standard_section(&mut self, id: SectionId) {
        let m = self.module;
        let mut body = Vec::new();
        let present = match id {
            SectionId::Type => {
                write_u32(&mut body, m.rec_groups.len() as u32);
                for group in &m.rec_groups {
                    let types = &m.types[group.start as usize..(group.start + group.len) as usize];
                    if group.explicit {
                        body.push(0x4e);
                        write_vec(&mut body, types, |s, t| t.encode(s));
                    } else {
                        for t in types {
                            t.encode(&mut body);
                        }
                    }
                }
                !m.rec_groups.is_empty()
            }
            SectionId::Import => {
                write_vec(&mut body, &m.imports, |s, i| {
                    write_name(s, &i.module);
                    write_name(s, &i.name);
                    i.desc.encode(s);
                });
                !m.imports.is_empty()
            }
            SectionId::Function => {
                write_vec(&mut body, &m.funcs, |s, f| write_u32(s, f.ty));
                !m.funcs.is_empty()
            }
            SectionId::Table => {
                write_vec(&mut body, &m.tables, |s, t| {
                    if let Some(init) = t.init {
                        s.extend_from_slice(&[0x40, 0x00]);
                        t.ty.encode(s);
                        self.expr(s, init);
                    } else {
                        t.ty.encode(s);
                    }
                });
                !m.tables.is_empty()
            }
            SectionId::Memory => {
                write_vec(&mut body, &m.memories, |s, t| t.encode(s));
                !m.memories.is_empty()
            }
            SectionId::Tag => {
                write_vec(&mut body, &m.tags, |s, t| t.encode(s));
                !m.tags.is_empty()
            }
            SectionId::Global => {
                write_vec(&mut body, &m.globals, |s, g| {
                    g.ty.encode(s);
                    self.expr(s, g.init);
                });
                !m.globals.is_empty()
            }
            SectionId::Export => {
                write_vec(&mut body, &m.exports, |s, e| {
                    write_name(s, &e.name);
                    s.push(e.kind as u8);
                    write_u32(s, e.index);
                });
                !m.exports.is_empty()
            }
            SectionId::Start => {
                if let Some(start) = m.start {
                    write_u32(&mut body, start);
                }
                m.start.is_some()
            }
            SectionId::Element => {
                write_vec(&mut body, &m.elems, |s, e| self.elem(s, e));
                !m.elems.is_empty()
            }
            SectionId::DataCount => {
                if let Some(count) = m.data_count {
                    write_u32(&mut body, count);
                }
                m.data_count.is_some()
            }
            SectionId::Code => {
                write_vec(&mut body, &m.funcs, |s, f| {
                    let mut func = Vec::with_capacity(f.body.len() * 3 + 4);
                    self.func_body(&mut func, f, |_, _| {});
                    write_u32(s, func.len() as u32);
                    s.extend_from_slice(&func);
                });
                !m.funcs.is_empty()
            }
            SectionId::Data => {
                write_vec(&mut body, &m.datas, |s, d| {
                    match d.mode {
                        DataMode::Passive => s.push(1),
                        DataMode::Active { memory: 0, offset } => {
                            s.push(0);
                            self.expr(s, offset);
                        }
                        DataMode::Active { memory, offset } => {
                            s.push(2);
                            write_u32(s, memory);
                            self.expr(s, offset);
                        }
                    }
                    write_u32(s, d.init.len() as u32);
                    s.extend_from_slice(&d.init);
                });
                !m.datas.is_empty()
            }
            SectionId::Custom => false,
        };
        debug_assert_eq!(present, m.has_section(id));
        if present {
            self.section(id, &body);
        }
    }

    fn func_body(&self, sink: &mut Vec<u8>, f: &Func, at: impl FnMut(usize, usize)) {
        encode_func_body(self.module, f, sink, at);
    }

    fn branch_hints(&self, sink: &mut Vec<u8>) {
        encode_branch_hints(self.module, sink);
    }

    fn elem(&self, s: &mut Vec<u8>, e: &Elem) {
        const REF_FUNC: RefType = RefType::new(false, HeapType::Abstract(AbsHeap::Func));
        match &e.items {
            ElemItems::Funcs(funcs) if e.ty == REF_FUNC => {
                match e.mode {
                    ElemMode::Active { table: 0, offset } => {
                        s.push(0);
                        self.expr(s, offset);
                    }
                    ElemMode::Passive => s.extend_from_slice(&[1, 0]),
                    ElemMode::Active { table, offset } => {
                        s.push(2);
                        write_u32(s, table);
                        self.expr(s, offset);
                        s.push(0);
                    }
                    ElemMode::Declarative => s.extend_from_slice(&[3, 0]),
                }
                write_vec(s, funcs, |s, f| write_u32(s, *f));
            }
            items => {
                match e.mode {
                    ElemMode::Active { table: 0, offset } if e.ty == RefType::FUNCREF => {
                        s.push(4);
                        self.expr(s, offset);
                    }
                    ElemMode::Passive => {
                        s.push(5);
                        e.ty.encode(s);
                    }
                    ElemMode::Active { table, offset } => {
                        s.push(6);
                        write_u32(s, table);
                        self.expr(s, offset);
                        e.ty.encode(s);
                    }
                    ElemMode::Declarative => {
                        s.push(7);
                        e.ty.encode(s);
                    }
                }
                match items {
                    ElemItems::Exprs(exprs) => write_vec(s, exprs, |s, x| self.expr(s, *x)),
                    // Function indices whose segment type is not `(ref func)`:
                    // only the expression form can carry that type.
                    ElemItems::Funcs(funcs) => write_vec(s, funcs, |s, f| {
                        Instr::RefFunc { func: *f }.encode(s);
                        Instr::End.encode(s);
                    }),
                }
            }
        }
    }
}

/// Appends a defined function's body as the code section holds it (after
/// its size): local declarations, then instructions. `at` sees each
/// instruction's index in the body and the offset it starts at, counted
/// from the start of the body (the branch hint section's offsets).
///
/// # Panics
/// If the body's span lies outside [`Module::code`].
pub fn encode_func_body(
    module: &Module,
    f: &Func,
    sink: &mut Vec<u8>,
    mut at: impl FnMut(usize, usize),
) {
    let start = sink.len();
    write_vec(sink, &f.locals, |s, l| {
        write_u32(s, l.count);
        l.ty.encode(s);
    });
    for (i, instr) in module.instrs(f.body).iter().enumerate() {
        at(i, sink.len() - start);
        instr.encode(sink);
    }
}

/// Appends the payload of the branch hint section (after its name) for
/// [`Module::branch_hints`]: by function, each hint's instruction as the
/// byte offset at which [`encode_func_body`] writes it. Hints naming no
/// instruction of a defined function (an AST built by hand) are left out.
pub fn encode_branch_hints(module: &Module, sink: &mut Vec<u8>) {
    let m = module;
    let imported = m.num_imports(ExternKind::Func);
    let mut funcs: Vec<(u32, Vec<(u32, u8)>)> = Vec::new();
    let mut scratch = Vec::new();
    for fh in &m.branch_hints {
        let Some(f) = fh
            .func
            .checked_sub(imported)
            .and_then(|i| m.funcs.get(i as usize))
        else {
            continue;
        };
        let mut offsets = vec![None; f.body.len()];
        scratch.clear();
        encode_func_body(m, f, &mut scratch, |i, off| {
            offsets[i] = u32::try_from(off).ok();
        });
        let hints: Vec<(u32, u8)> = fh
            .hints
            .iter()
            .filter_map(|h| Some((offsets.get(h.instr as usize).copied()??, h.value())))
            .collect();
        if !hints.is_empty() {
            funcs.push((fh.func, hints));
        }
    }
    write_vec(sink, &funcs, |s, (func, hints)| {
        write_u32(s, *func);
        write_vec(s, hints, |s, (offset, value)| {
            write_u32(s, *offset);
            // The size of the hint's value: one byte.
            write_u32(s, 1);
            s.push(*value);
        });
    });
}

fn encode_name_map(sink: &mut Vec<u8>, map: &NameMap) {
    write_vec(sink, map, |s, (idx, name)| {
        write_u32(s, *idx);
        write_name(s, name);
    });
}

fn encode_indirect(sink: &mut Vec<u8>, map: &IndirectNameMap) {
    write_vec(sink, map, |s, (idx, inner)| {
        write_u32(s, *idx);
        encode_name_map(s, inner);
    });
}

/// Encodes the payload of a name section (after its name).
pub fn encode_names(sink: &mut Vec<u8>, names: &Names) {
    let mut sub = |id: u8, body: Vec<u8>| {
        sink.push(id);
        write_u32(sink, body.len() as u32);
        sink.extend_from_slice(&body);
    };
    if let Some(module) = &names.module {
        let mut b = Vec::new();
        write_name(&mut b, module);
        sub(0, b);
    }
    let direct = [
        (1, &names.funcs),
        (4, &names.types),
        (5, &names.tables),
        (6, &names.memories),
        (7, &names.globals),
        (8, &names.elems),
        (9, &names.datas),
        (11, &names.tags),
    ];
    let indirect = [(2, &names.locals), (3, &names.labels), (10, &names.fields)];
    // Subsections in increasing id order, as the name section requires.
    for id in 1..=11u8 {
        if let Some((_, map)) = direct.iter().find(|(i, _)| *i == id) {
            if !map.is_empty() {
                let mut b = Vec::new();
                encode_name_map(&mut b, map);
                sub(id, b);
            }
        } else if let Some((_, map)) = indirect.iter().find(|(i, _)| *i == id)
            && !map.is_empty()
        {
            let mut b = Vec::new();
            encode_indirect(&mut b, map);
            sub(id, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb_u(v: u64) -> Vec<u8> {
        let mut s = Vec::new();
        write_u64(&mut s, v);
        s
    }

    fn leb_s(v: i64) -> Vec<u8> {
        let mut s = Vec::new();
        write_i64(&mut s, v);
        s
    }

    #[test]
    fn leb128() {
        assert_eq!(leb_u(0), [0]);
        assert_eq!(leb_u(127), [0x7f]);
        assert_eq!(leb_u(128), [0x80, 0x01]);
        assert_eq!(leb_u(624485), [0xe5, 0x8e, 0x26]);
        assert_eq!(leb_s(-1), [0x7f]);
        assert_eq!(leb_s(63), [0x3f]);
        assert_eq!(leb_s(64), [0xc0, 0x00]);
        assert_eq!(leb_s(-64), [0x40]);
        assert_eq!(leb_s(-65), [0xbf, 0x7f]);
        assert_eq!(leb_s(i64::MIN).len(), 10);
    }

    #[test]
    fn instructions() {
        let mut s = Vec::new();
        Instr::I32Const { value: -1 }.encode(&mut s);
        Instr::I32Add.encode(&mut s);
        Instr::MemoryCopy { dst: 1, src: 0 }.encode(&mut s);
        Instr::I32Load {
            memarg: MemArg {
                align: 2,
                offset: 16,
                memory: 3,
            },
        }
        .encode(&mut s);
        Instr::I8x16RelaxedSwizzle.encode(&mut s);
        assert_eq!(
            s,
            [
                0x41, 0x7f, 0x6a, 0xfc, 10, 1, 0, 0x28, 0x42, 3, 16, 0xfd, 0x80, 0x02
            ]
        );
    }

    #[test]
    fn minimal_module() {
        let mut m = Module::default();
        m.push_rec_group(
            [SubType::plain(CompositeType::Func(FuncType::default()))],
            false,
        );
        let body = m.push_expr([Instr::Nop, Instr::End]);
        m.funcs.push(Func {
            ty: 0,
            locals: vec![],
            body,
        });
        m.exports.push(Export {
            name: "f".into(),
            kind: ExternKind::Func,
            index: 0,
        });
        let bytes = m.encode();
        assert_eq!(
            bytes,
            [
                0, b'a', b's', b'm', 1, 0, 0, 0, // header
                1, 4, 1, 0x60, 0, 0, // types
                3, 2, 1, 0, // funcs
                7, 5, 1, 1, b'f', 0, 0, // exports
                10, 5, 1, 3, 0, 0x01, 0x0b, // code
            ]
        );
    }
}
