//! Types in text: value, reference and heap types, limits, table, memory
//! and global types, type uses, and the `type`/`rec` fields.

use crate::cursor::PResult;
use crate::lexer::Kind;
use crate::module::ModuleParser;
use crate::num;
use std::borrow::Cow;
use weft_ast::*;

impl ModuleParser<'_> {
    /// A heap type: an abstract keyword, a type index or (custom
    /// descriptors) `(exact typeidx)`.
    pub fn heap_type(&mut self) -> PResult<HeapType> {
        if self.features.contains(Features::CUSTOM_DESCRIPTORS) && self.c.eat_sexpr("exact") {
            // Only defined types can be exact.
            if self.c.keyword_at(0).is_some() || self.c.peek_rparen() {
                return Err(self.c.unexpected());
            }
            let idx = self.type_index()?;
            self.c.rparen()?;
            return Ok(HeapType::Exact(idx));
        }
        if let Some(kw) = self.c.keyword_at(0) {
            if let Some(h) = AbsHeap::ALL.into_iter().find(|h| h.name() == kw) {
                self.c.bump();
                return Ok(HeapType::Abstract(h));
            }
            return Err(self.c.unexpected());
        }
        Ok(HeapType::Concrete(self.type_index()?))
    }

    /// A type index (`$id` or number).
    pub fn type_index(&mut self) -> PResult<u32> {
        match self.c.peek() {
            Some(t) if t.kind == Kind::Id => {
                let name = crate::cursor::id_name(self.c.text(t));
                match self.spaces.types.get(&name) {
                    Some(i) => {
                        self.c.bump();
                        Ok(i)
                    }
                    None => Err(self.c.error(format!("unknown type ${name}"))),
                }
            }
            _ => self.c.u32(),
        }
    }

    /// A reference type: a shorthand keyword or `(ref null? heaptype)`.
    pub fn ref_type(&mut self) -> PResult<RefType> {
        if let Some(kw) = self.c.keyword_at(0) {
            if let Some(h) = AbsHeap::ALL.into_iter().find(|h| h.ref_name() == kw) {
                self.c.bump();
                return Ok(RefType::new(true, HeapType::Abstract(h)));
            }
            return Err(self.c.error(format!("unknown operator {kw}")));
        }
        if self.c.eat_sexpr("ref") {
            let nullable = self.c.eat_keyword("null");
            let heap = self.heap_type()?;
            self.c.rparen()?;
            return Ok(RefType::new(nullable, heap));
        }
        Err(self.c.unexpected())
    }

    /// A value type.
    pub fn val_type(&mut self) -> PResult<ValType> {
        let v = match self.c.keyword_at(0) {
            Some("i32") => ValType::I32,
            Some("i64") => ValType::I64,
            Some("f32") => ValType::F32,
            Some("f64") => ValType::F64,
            Some("v128") => ValType::V128,
            _ => return Ok(ValType::Ref(self.ref_type()?)),
        };
        self.c.bump();
        Ok(v)
    }

    /// A storage type: a value type or `i8`/`i16`.
    fn storage_type(&mut self) -> PResult<StorageType> {
        if self.c.eat_keyword("i8") {
            return Ok(StorageType::I8);
        }
        if self.c.eat_keyword("i16") {
            return Ok(StorageType::I16);
        }
        Ok(StorageType::Val(self.val_type()?))
    }

    /// A field type: a storage type or `(mut storagetype)`.
    fn field_type(&mut self) -> PResult<FieldType> {
        if self.c.eat_sexpr("mut") {
            let storage = self.storage_type()?;
            self.c.rparen()?;
            return Ok(FieldType {
                storage,
                mutable: true,
            });
        }
        Ok(FieldType {
            storage: self.storage_type()?,
            mutable: false,
        })
    }

    /// An optional address type keyword (`i32` or `i64`).
    pub fn addr_type(&mut self) -> AddrType {
        if self.c.eat_keyword("i64") {
            AddrType::I64
        } else {
            self.c.eat_keyword("i32");
            AddrType::I32
        }
    }

    /// Limits: a minimum and an optional maximum. 32-bit address spaces
    /// take `u32` bounds.
    pub fn limits(&mut self, addr: AddrType) -> PResult<Limits> {
        // Since memory64, bounds are read as `u64` whatever the address
        // type: too large a bound for 32 bits is a validation error. Before,
        // the grammar itself said `u32`.
        let wide = addr == AddrType::I64 || self.features.contains(Features::MEMORY64);
        let read = |p: &mut Self| {
            if wide {
                p.c.number("i64", num::u64)
            } else {
                p.c.number("i32", num::u32).map(u64::from)
            }
        };
        let min = read(self)?;
        let max = if self.c.is_int_at(0) {
            Some(read(self)?)
        } else {
            None
        };
        Ok(Limits { min, max })
    }

    /// A table type: address type, limits, reference type.
    pub fn table_type(&mut self) -> PResult<TableType> {
        let addr = self.addr_type();
        let limits = self.limits(addr)?;
        let elem = self.ref_type()?;
        Ok(TableType { addr, limits, elem })
    }

    /// A memory type.
    pub fn memory_type(&mut self) -> PResult<MemoryType> {
        let addr = self.addr_type();
        self.memory_type_rest(addr)
    }

    /// A memory type after its address type.
    pub fn memory_type_rest(&mut self, addr: AddrType) -> PResult<MemoryType> {
        let limits = self.limits(addr)?;
        let shared = self.c.eat_keyword("shared");
        if !shared {
            self.c.eat_keyword("unshared");
        }
        let page_size_log2 = self.page_size()?;
        Ok(MemoryType {
            addr,
            limits,
            shared,
            page_size_log2,
        })
    }

    /// An optional `(pagesize n)`, as log2 of `n`.
    pub fn page_size(&mut self) -> PResult<Option<u32>> {
        if !self.c.eat_sexpr("pagesize") {
            return Ok(None);
        }
        let n = self.c.number("i64", num::u64)?;
        if !n.is_power_of_two() {
            return Err(self.c.error("invalid custom page size"));
        }
        self.c.rparen()?;
        Ok(Some(n.trailing_zeros()))
    }

    /// A global type: a value type or `(mut valtype)`.
    pub fn global_type(&mut self) -> PResult<GlobalType> {
        if self.c.eat_sexpr("mut") {
            let val = self.val_type()?;
            self.c.rparen()?;
            return Ok(GlobalType { val, mutable: true });
        }
        Ok(GlobalType {
            val: self.val_type()?,
            mutable: false,
        })
    }

    /// A parameter's or local's `$id` and `(@name "...")`, when it has
    /// either: one declared value, named.
    pub fn binding(&mut self) -> Option<Binding> {
        let (id, name) = self.c.opt_id_and_name();
        name.map(|name| Binding {
            id: id.map(Cow::into_owned),
            name: Some(name.into_owned()),
        })
    }

    /// `(param ...)*` and `(result ...)*`: a function type with the
    /// parameters' ids and names (`None` for anonymous ones).
    pub fn params_results(&mut self) -> PResult<(FuncType, Vec<Binding>)> {
        let mut ft = FuncType::default();
        let mut names = Vec::new();
        while self.c.eat_sexpr("param") {
            if let Some(b) = self.binding() {
                ft.params.push(self.val_type()?);
                names.push(b);
            } else {
                while !self.c.peek_rparen() {
                    ft.params.push(self.val_type()?);
                    names.push(Binding::default());
                }
            }
            self.c.rparen()?;
        }
        while self.c.eat_sexpr("result") {
            while !self.c.peek_rparen() {
                ft.results.push(self.val_type()?);
            }
            self.c.rparen()?;
        }
        if self.c.peek_sexpr("param") {
            return Err(self.c.error("unexpected token: result before parameter"));
        }
        Ok((ft, names))
    }

    /// A type use: `(type x)?` and inline parameters and results. Returns
    /// the type index (implicit types are added as needed) and the
    /// parameters' ids and names.
    pub fn type_use(&mut self) -> PResult<(u32, Vec<Binding>)> {
        let explicit = if self.c.eat_sexpr("type") {
            let idx = self.type_index()?;
            self.c.rparen()?;
            Some(idx)
        } else {
            None
        };
        let at = self.c.pos;
        let (ft, names) = self.params_results()?;
        let inline = self.c.pos != at;
        match explicit {
            Some(idx) => {
                // With inline parameters the type must exist to be
                // compared; without, a bad index is a validation error.
                if inline && idx >= self.m.types.len() as u32 {
                    self.pending_type_uses.push((idx, at));
                }
                let declared = self.m.func_type(idx).cloned();
                if inline {
                    if let Some(declared) = &declared
                        && *declared != ft
                    {
                        return Err(self.c.error("inline function type"));
                    }
                    Ok((idx, names))
                } else {
                    let n = declared.map_or(0, |d| d.params.len());
                    Ok((idx, (0..n).map(|_| Binding::default()).collect()))
                }
            }
            None => Ok((self.implicit_type(ft), names)),
        }
    }

    /// The index of a plain function type equal to `ft`, added at the end
    /// of the types if there is none.
    pub fn implicit_type(&mut self, ft: FuncType) -> u32 {
        if let Some(&idx) = self.plain_func_types.get(&ft) {
            return idx;
        }
        let idx = self.m.types.len() as u32;
        self.plain_func_types.insert(ft.clone(), idx);
        self.m
            .push_rec_group([SubType::plain(CompositeType::Func(ft))], false);
        idx
    }

    /// Records the explicit types an implicit type may reuse: a function
    /// type written alone (not in an explicit `rec`), `final` without
    /// supertypes, as the spec's abbreviation defines it. The first such
    /// type of each signature wins.
    pub fn index_plain_func_types(&mut self) {
        for group in &self.m.rec_groups {
            if group.len != 1 || group.explicit {
                continue;
            }
            let t = &self.m.types[group.start as usize];
            if let (true, true, CompositeType::Func(f)) =
                (t.is_final, t.supertypes.is_empty(), &t.composite)
            {
                self.plain_func_types
                    .entry(f.clone())
                    .or_insert(group.start);
            }
        }
    }

    /// A `(type ...)` or `(rec ...)` field; the cursor is at its `(`.
    pub fn type_field(&mut self) -> PResult<()> {
        self.c.lparen()?;
        if self.c.eat_keyword("rec") {
            let mut types = Vec::new();
            loop {
                let at = self.here();
                if !self.c.eat_sexpr("type") {
                    break;
                }
                let idx = (self.m.types.len() + types.len()) as u32;
                if let Some(map) = self.map.as_mut() {
                    // Each type of the group at its own `(type`.
                    map.types.resize(idx as usize + 1, at);
                }
                types.push(self.type_def(idx)?);
                self.c.rparen()?;
            }
            self.m.push_rec_group(types, true);
        } else {
            self.c.expect_keyword("type")?;
            let t = self.type_def(self.m.types.len() as u32)?;
            self.m.push_rec_group([t], false);
        }
        self.c.rparen()
    }

    /// One type definition after `type`, at type index `idx`:
    /// `$id? (sub ...) | comptype`.
    fn type_def(&mut self, idx: u32) -> PResult<SubType> {
        if let (_, Some(name)) = self.c.opt_id_and_name() {
            self.m.names.types.push((idx, name.into_owned()));
        }
        let t = if self.c.eat_sexpr("sub") {
            let is_final = self.c.eat_keyword("final");
            let mut supertypes = Vec::new();
            while matches!(self.c.kind_at(0), Some(Kind::Id | Kind::Reserved)) {
                supertypes.push(self.type_index()?);
            }
            let (describes, descriptor) = self.descriptor_clauses()?;
            let composite = self.composite_type(idx)?;
            self.c.rparen()?;
            SubType {
                is_final,
                supertypes,
                describes,
                descriptor,
                composite,
            }
        } else {
            let (describes, descriptor) = self.descriptor_clauses()?;
            SubType {
                describes,
                descriptor,
                ..SubType::plain(self.composite_type(idx)?)
            }
        };
        Ok(t)
    }

    /// The optional `(describes x)` and then `(descriptor y)` clauses before
    /// a composite type (custom descriptors). Another order or a repeated
    /// clause is an unexpected token where the composite type is due.
    fn descriptor_clauses(&mut self) -> PResult<(Option<u32>, Option<u32>)> {
        if !self.features.contains(Features::CUSTOM_DESCRIPTORS) {
            return Ok((None, None));
        }
        let clause = |p: &mut Self, kw: &str| -> PResult<Option<u32>> {
            if !p.c.eat_sexpr(kw) {
                return Ok(None);
            }
            let idx = p.type_index()?;
            p.c.rparen()?;
            Ok(Some(idx))
        };
        let describes = clause(self, "describes")?;
        let descriptor = clause(self, "descriptor")?;
        Ok((describes, descriptor))
    }

    /// `(func ...)`, `(struct ...)` or `(array ...)`.
    fn composite_type(&mut self, idx: u32) -> PResult<CompositeType> {
        self.c.lparen()?;
        let kw = self.c.keyword()?;
        let t = match kw {
            "func" => {
                let (ft, _) = self.params_results()?;
                CompositeType::Func(ft)
            }
            "struct" => {
                let mut fields = Vec::new();
                let mut names = Vec::new();
                while self.c.eat_sexpr("field") {
                    // A field with an `$id` or an `(@name "...")` is one
                    // field; the annotation, when present, is its name.
                    if let (_, Some(name)) = self.c.opt_id_and_name() {
                        names.push((fields.len() as u32, name.into_owned()));
                        fields.push(self.field_type()?);
                    } else {
                        while !self.c.peek_rparen() {
                            fields.push(self.field_type()?);
                        }
                    }
                    self.c.rparen()?;
                }
                if !names.is_empty() {
                    self.m.names.fields.push((idx, names));
                }
                CompositeType::Struct(fields)
            }
            "array" => CompositeType::Array(self.field_type()?),
            _ => return Err(self.c.unexpected()),
        };
        self.c.rparen()?;
        Ok(t)
    }
}

/// A parameter or local: the `$id` that refers to it in the body, and its
/// name in the name section (its `(@name "...")` annotation, else the id).
#[derive(Clone, Debug, Default)]
pub(crate) struct Binding {
    /// The `$id`, without the `$`.
    pub id: Option<String>,
    /// The name recorded in the name section.
    pub name: Option<String>,
}
