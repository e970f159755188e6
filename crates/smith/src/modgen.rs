//! The module-level generator: types, imports, entities, constant
//! expressions, segments, exports and start, in the order of their index
//! spaces, each choice checked against the same rules the validator
//! applies, so that the module is valid by construction.
//!
//! `Gen` keeps the index spaces as it builds them (what a body may name),
//! and a conservative model of subtyping: concrete types are related only
//! through declared supertypes, which the validator accepts too (it also
//! relates equal types of different indices, which the model never needs).

use arbitrary::{Result, Unstructured};
use weft_ast::{
    AbsHeap, AddrType, CompositeType, Data, DataMode, Elem, ElemItems, ElemMode, Export,
    ExternKind, Features, FieldType, FuncType, Global, GlobalType, HeapType, Ieee32, Ieee64,
    Import, ImportDesc, Instr, Limits, MemoryType, Module, RefType, StorageType, SubType, Table,
    TableType, TagType, TypeIdx, V128, ValType,
};

use weft_validator::Subtyping;

use crate::config::Config;
use crate::instrs::{self, ROW_IDS, Sig};

/// A row index, small to keep the catalogs compact.
pub(crate) type RowIx = u16;

/// The generator's state for one module.
pub(crate) struct Gen<'a, 'u> {
    pub u: &'a mut Unstructured<'u>,
    pub cfg: Config,
    pub f: Features,
    pub m: Module,
    /// Type index of every function, imports first.
    pub funcs: Vec<TypeIdx>,
    pub num_imported_funcs: u32,
    /// Whether `ref.func` of each function is exact (custom descriptors).
    pub func_exact: Vec<bool>,
    pub tables: Vec<TableType>,
    pub mems: Vec<MemoryType>,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    pub tags: Vec<TypeIdx>,
    /// Functions a body's `ref.func` may name already (exports, segments,
    /// global initializers).
    pub declared: Vec<bool>,
    /// Functions named by a body's `ref.func`, declared at the end.
    pub referenced: Vec<bool>,
    /// Whether a declarative segment may be added for `referenced`.
    pub may_declare: bool,
    /// The fuel global of `ensure_termination`.
    pub fuel_global: Option<u32>,
    /// Which rows may be chosen (features and the filter).
    pub allowed: Vec<bool>,
    /// Catalogs of plain rows: all, and by single result / last operand
    /// (`i32`, `i64`, `f32`, `f64`, `v128`).
    pub plain: Vec<RowIx>,
    pub producers: [Vec<RowIx>; 5],
    pub consumers: [Vec<RowIx>; 5],
    /// The rows built by hand, allowed here.
    pub structured: Vec<RowIx>,
    /// Plain rows' prototypes and signatures, by row.
    pub protos: &'static [(Option<Instr>, Option<Sig>)],
}

/// The slot of a number or vector type in the catalogs.
pub(crate) fn num_slot(t: ValType) -> Option<usize> {
    Some(match t {
        ValType::I32 => 0,
        ValType::I64 => 1,
        ValType::F32 => 2,
        ValType::F64 => 3,
        ValType::V128 => 4,
        ValType::Ref(_) => return None,
    })
}

/// Every row's prototype and signature, computed once.
pub(crate) fn protos() -> &'static [(Option<Instr>, Option<Sig>)] {
    static PROTOS: std::sync::OnceLock<Vec<(Option<Instr>, Option<Sig>)>> =
        std::sync::OnceLock::new();
    PROTOS.get_or_init(|| {
        ROW_IDS
            .iter()
            .map(|&id| {
                let p = instrs::proto(id);
                let s = p.as_ref().and_then(instrs::plain_sig);
                (p, s)
            })
            .collect()
    })
}

pub(crate) fn reft(nullable: bool, heap: HeapType) -> ValType {
    ValType::Ref(RefType::new(nullable, heap))
}

pub(crate) fn abs(nullable: bool, h: AbsHeap) -> ValType {
    reft(nullable, HeapType::Abstract(h))
}

/// The generator decides subtyping by the validator's rule, so that what
/// it produces is what the validator accepts.
impl Subtyping for Gen<'_, '_> {
    fn sub_type(&self, idx: TypeIdx) -> Option<&SubType> {
        self.m.types.get(idx as usize)
    }
}

impl<'a, 'u> Gen<'a, 'u> {
    pub(crate) fn new(u: &'a mut Unstructured<'u>, cfg: Config) -> Gen<'a, 'u> {
        let f = cfg.features;
        Gen {
            u,
            cfg,
            f,
            m: Module::default(),
            funcs: Vec::new(),
            num_imported_funcs: 0,
            func_exact: Vec::new(),
            tables: Vec::new(),
            mems: Vec::new(),
            globals: Vec::new(),
            num_imported_globals: 0,
            tags: Vec::new(),
            declared: Vec::new(),
            referenced: Vec::new(),
            may_declare: false,
            fuel_global: None,
            allowed: Vec::new(),
            plain: Vec::new(),
            producers: Default::default(),
            consumers: Default::default(),
            structured: Vec::new(),
            protos: protos(),
        }
    }

    pub(crate) fn has(&self, f: Features) -> bool {
        self.f.contains(f)
    }

    // ----- small choices -----

    /// An index below `n` (which must be positive).
    pub(crate) fn index(&mut self, n: usize) -> Result<usize> {
        debug_assert!(n > 0);
        if n == 1 {
            return Ok(0);
        }
        self.u.choose_index(n)
    }

    /// A count in `lo..=hi` (`hi` below `lo` reads as `lo`).
    pub(crate) fn count(&mut self, lo: usize, hi: usize) -> Result<usize> {
        if hi <= lo {
            return Ok(lo);
        }
        self.u.int_in_range(lo..=hi)
    }

    /// `true` with probability `num / den` (`false` when the input is spent).
    pub(crate) fn chance(&mut self, num: u8, den: u8) -> Result<bool> {
        if self.u.is_empty() {
            return Ok(false);
        }
        self.u.ratio(num, den)
    }

    /// An index by weight (weights of zero are never chosen; at least one
    /// must be positive). A spent input picks the first positive.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> Result<usize> {
        let total: u32 = weights.iter().sum();
        debug_assert!(total > 0);
        let mut pick = if self.u.is_empty() {
            0
        } else {
            self.u.int_in_range(0..=total - 1)?
        };
        for (i, &w) in weights.iter().enumerate() {
            if pick < w {
                return Ok(i);
            }
            pick -= w;
        }
        Ok(weights.iter().position(|&w| w > 0).unwrap_or(0))
    }

    // ----- the subtyping model (the relation is the validator's `Subtyping`) -----

    pub(crate) fn composite(&self, i: TypeIdx) -> &CompositeType {
        &self.m.types[i as usize].composite
    }

    /// The heap type an allocation of type `x` produces.
    pub(crate) fn allocated(&self, x: TypeIdx) -> HeapType {
        if self.has(Features::CUSTOM_DESCRIPTORS) {
            HeapType::Exact(x)
        } else {
            HeapType::Concrete(x)
        }
    }

    /// The type `ref.func f` pushes.
    pub(crate) fn func_ref_type(&self, f: u32) -> ValType {
        let ty = self.funcs[f as usize];
        if self.func_exact[f as usize] {
            reft(false, HeapType::Exact(ty))
        } else {
            reft(false, HeapType::Concrete(ty))
        }
    }

    /// Whether `ref.func f` may appear in a body.
    pub(crate) fn can_ref_func(&self, f: u32) -> bool {
        self.has(Features::REFERENCE_TYPES) && (self.may_declare || self.declared[f as usize])
    }

    // ----- random types -----

    /// An abstract heap type the features allow.
    fn abstract_heaps(&self) -> Vec<AbsHeap> {
        let mut v = Vec::new();
        if self.has(Features::REFERENCE_TYPES) {
            v.extend([AbsHeap::Func, AbsHeap::Extern]);
        }
        if self.has(Features::EXCEPTIONS) {
            v.push(AbsHeap::Exn);
            // The binary decoder takes `noexn` as a GC type (the validator
            // as an exceptions one): only with both.
            if self.has(Features::GC) {
                v.push(AbsHeap::NoExn);
            }
        }
        if self.has(Features::GC) {
            v.extend([
                AbsHeap::Any,
                AbsHeap::Eq,
                AbsHeap::I31,
                AbsHeap::Struct,
                AbsHeap::Array,
                AbsHeap::None,
                AbsHeap::NoFunc,
                AbsHeap::NoExtern,
            ]);
        }
        v
    }

    pub(crate) fn refs_allowed(&self) -> bool {
        self.has(Features::REFERENCE_TYPES)
            || self.has(Features::EXCEPTIONS)
            || self.has(Features::GC)
    }

    /// Whether a body can always make a non-null value of this heap type
    /// without trapping.
    fn inhabited(&self, h: HeapType) -> bool {
        match h {
            HeapType::Abstract(a) => match a {
                AbsHeap::Func => true,
                AbsHeap::Extern => self.has(Features::GC),
                AbsHeap::Any | AbsHeap::Eq | AbsHeap::I31 => true,
                AbsHeap::Struct | AbsHeap::Array => true,
                _ => false,
            },
            HeapType::Concrete(_) | HeapType::Exact(_) => true,
        }
    }

    /// A reference type over types below `bound`.
    pub(crate) fn ref_type(&mut self, bound: u32) -> Result<RefType> {
        let heaps = self.abstract_heaps();
        let concrete = self.has(Features::FUNCTION_REFERENCES) && bound > 0;
        let exact = concrete && self.has(Features::CUSTOM_DESCRIPTORS);
        let which = self.weighted(&[
            if heaps.is_empty() { 0 } else { 3 },
            if concrete { 3 } else { 0 },
            if exact { 1 } else { 0 },
        ])?;
        let heap = match which {
            0 => HeapType::Abstract({
                let k = self.index(heaps.len())?;
                heaps[k]
            }),
            1 => HeapType::Concrete(self.index(bound as usize)? as u32),
            _ => HeapType::Exact(self.index(bound as usize)? as u32),
        };
        let mut nullable = !self.has(Features::FUNCTION_REFERENCES) || self.chance(3, 4)?;
        if !nullable && !self.inhabited_maybe_forward(heap, bound) {
            nullable = true;
        }
        Ok(RefType::new(nullable, heap))
    }

    /// `inhabited`, for a heap type that may name a type not yet written.
    fn inhabited_maybe_forward(&self, h: HeapType, _bound: u32) -> bool {
        match h {
            HeapType::Abstract(_) => self.inhabited(h),
            _ => true,
        }
    }

    /// A value type over types below `bound`.
    pub(crate) fn val_type(&mut self, bound: u32) -> Result<ValType> {
        let simd = self.has(Features::SIMD);
        let refs = self.refs_allowed();
        Ok(
            match self.weighted(&[
                5,
                4,
                2,
                2,
                if simd { 2 } else { 0 },
                if refs { 3 } else { 0 },
            ])? {
                0 => ValType::I32,
                1 => ValType::I64,
                2 => ValType::F32,
                3 => ValType::F64,
                4 => ValType::V128,
                _ => ValType::Ref(self.ref_type(bound)?),
            },
        )
    }

    fn storage_type(&mut self, bound: u32) -> Result<StorageType> {
        Ok(match self.weighted(&[1, 1, 6])? {
            0 => StorageType::I8,
            1 => StorageType::I16,
            _ => StorageType::Val(self.val_type(bound)?),
        })
    }

    fn field_type(&mut self, bound: u32) -> Result<FieldType> {
        Ok(FieldType {
            storage: self.storage_type(bound)?,
            mutable: self.u.arbitrary()?,
        })
    }

    fn func_type(&mut self, bound: u32) -> Result<FuncType> {
        let np = self.count(0, self.cfg.max_params)?;
        let max_results = if self.has(Features::MULTI_VALUE) {
            self.cfg.max_results
        } else {
            self.cfg.max_results.min(1)
        };
        let nr = self.count(0, max_results)?;
        let mut params = Vec::with_capacity(np);
        for _ in 0..np {
            params.push(self.val_type(bound)?);
        }
        let mut results = Vec::with_capacity(nr);
        for _ in 0..nr {
            results.push(self.val_type(bound)?);
        }
        Ok(FuncType { params, results })
    }

    // ----- types -----

    /// The type section: recursion groups of function, struct and array
    /// types, subtypes of earlier open types, descriptor pairs.
    fn types(&mut self) -> Result<()> {
        if let Some(avail) = &self.cfg.available_imports {
            // Imports drawn from a module keep their type indices.
            self.m.types = avail.types.clone();
            self.m.rec_groups = avail.rec_groups.clone();
        }
        let gc = self.has(Features::GC);
        let n = self.count(self.cfg.min_types, self.cfg.max_types)?;
        let mut made = 0;
        while made < n {
            let start = self.m.types.len() as u32;
            let len = if gc {
                self.count(1, self.cfg.max_rec_group.max(1).min(n - made))?
            } else {
                1
            };
            let explicit = gc && (len > 1 || self.chance(1, 4)?);
            let bound = if gc { start + len as u32 } else { start };
            // A descriptor pair: struct `start + k` described by the next.
            let pair = if self.has(Features::CUSTOM_DESCRIPTORS) && len >= 2 && self.chance(1, 2)? {
                Some(self.count(0, len - 2)? as u32 + start)
            } else {
                None
            };
            for k in 0..len as u32 {
                let idx = start + k;
                let mut t = if pair == Some(idx) || pair.map(|p| p + 1) == Some(idx) {
                    let nf = self.count(0, self.cfg.max_fields)?;
                    let mut fields = Vec::with_capacity(nf);
                    for _ in 0..nf {
                        fields.push(self.field_type(bound)?);
                    }
                    let mut t = SubType::plain(CompositeType::Struct(fields));
                    if pair == Some(idx) {
                        t.descriptor = Some(idx + 1);
                    } else {
                        t.describes = Some(idx - 1);
                    }
                    t
                } else {
                    self.sub_type(idx, start, bound)?
                };
                if gc && t.describes.is_none() && t.descriptor.is_none() {
                    t.is_final = self.chance(1, 2)?;
                }
                self.m.types.push(t);
            }
            self.m.rec_groups.push(weft_ast::RecGroup {
                start,
                len: len as u32,
                explicit,
            });
            made += len;
        }
        Ok(())
    }

    /// One defined type at `idx` of the group starting at `start`.
    fn sub_type(&mut self, idx: u32, start: u32, bound: u32) -> Result<SubType> {
        let gc = self.has(Features::GC);
        if gc && idx > 0 && self.chance(1, 3)? {
            // A subtype of an earlier open type without descriptor clauses
            // (of this group or an earlier one).
            let cands: Vec<u32> = (0..idx)
                .filter(|&s| {
                    let t = &self.m.types[s as usize];
                    !t.is_final && t.describes.is_none() && t.descriptor.is_none()
                })
                .collect();
            if !cands.is_empty() {
                let s = {
                    let k = self.index(cands.len())?;
                    cands[k]
                };
                let composite = match self.m.types[s as usize].composite.clone() {
                    CompositeType::Struct(mut fields) => {
                        let extra = self.count(0, 2)?;
                        for _ in 0..extra {
                            if fields.len() < self.cfg.max_fields + 2 {
                                fields.push(self.field_type(bound)?);
                            }
                        }
                        CompositeType::Struct(fields)
                    }
                    other => other,
                };
                return Ok(SubType {
                    is_final: false,
                    supertypes: vec![s],
                    describes: None,
                    descriptor: None,
                    composite,
                });
            }
        }
        let _ = start;
        let composite = match if gc { self.weighted(&[4, 3, 2])? } else { 0 } {
            0 => CompositeType::Func(self.func_type(bound)?),
            1 => {
                let nf = self.count(0, self.cfg.max_fields)?;
                let mut fields = Vec::with_capacity(nf);
                for _ in 0..nf {
                    fields.push(self.field_type(bound)?);
                }
                CompositeType::Struct(fields)
            }
            _ => CompositeType::Array(self.field_type(bound)?),
        };
        Ok(SubType::plain(composite))
    }

    /// Indices of function types satisfying `pred`.
    pub(crate) fn func_types_where(&self, pred: impl Fn(&FuncType) -> bool) -> Vec<u32> {
        (0..self.m.types.len() as u32)
            .filter(|&i| matches!(self.composite(i), CompositeType::Func(f) if pred(f)))
            .collect()
    }

    /// A function type index, adding `[] -> []` when there is none.
    fn some_func_type(&mut self, pred: impl Fn(&FuncType) -> bool) -> Result<u32> {
        let cands = self.func_types_where(pred);
        if cands.is_empty() {
            let idx = self.m.types.len() as u32;
            self.m.push_rec_group(
                [SubType::plain(CompositeType::Func(FuncType::default()))],
                false,
            );
            return Ok(idx);
        }
        Ok({
            let k = self.index(cands.len())?;
            cands[k]
        })
    }

    // ----- imports and entities -----

    fn limits(&mut self, max: u64, shared: bool) -> Result<Limits> {
        let min = self.u.int_in_range(0..=max)?;
        let max = if shared || self.chance(1, 2)? {
            Some(self.u.int_in_range(min..=max.max(min))?)
        } else {
            None
        };
        Ok(Limits { min, max })
    }

    fn table_type(&mut self) -> Result<TableType> {
        let addr = if self.has(Features::MEMORY64) && self.chance(1, 4)? {
            AddrType::I64
        } else {
            AddrType::I32
        };
        let elem = if self.refs_allowed() && self.chance(1, 2)? {
            let bound = self.m.types.len() as u32;
            self.ref_type(bound)?
        } else {
            RefType::FUNCREF
        };
        Ok(TableType {
            addr,
            limits: self.limits(self.cfg.max_table_size, false)?,
            elem,
        })
    }

    fn memory_type(&mut self) -> Result<MemoryType> {
        let addr = if self.has(Features::MEMORY64) && self.chance(1, 4)? {
            AddrType::I64
        } else {
            AddrType::I32
        };
        let shared = self.has(Features::THREADS) && self.chance(1, 4)?;
        let page_size_log2 = if self.has(Features::CUSTOM_PAGE_SIZES) && self.chance(1, 3)? {
            Some(if self.u.arbitrary()? { 0 } else { 16 })
        } else {
            None
        };
        let max_pages = if page_size_log2 == Some(0) {
            self.cfg.max_memory_pages.saturating_mul(256)
        } else {
            self.cfg.max_memory_pages
        };
        Ok(MemoryType {
            addr,
            limits: self.limits(max_pages, shared)?,
            shared,
            page_size_log2,
        })
    }

    fn global_val_type(&mut self) -> Result<ValType> {
        let bound = self.m.types.len() as u32;
        self.val_type(bound)
    }

    fn imports(&mut self) -> Result<()> {
        if let Some(avail) = self.cfg.available_imports.take() {
            for imp in &avail.imports {
                if self.m.imports.len() < self.cfg.max_imports && self.u.arbitrary()? {
                    self.add_import(imp.clone());
                }
            }
            self.cfg.available_imports = Some(avail);
            return Ok(());
        }
        let n = self.count(0, self.cfg.max_imports)?;
        for i in 0..n {
            let kinds = [
                4,
                if self.has(Features::REFERENCE_TYPES) || self.tables.is_empty() {
                    1
                } else {
                    0
                },
                if self.has(Features::MULTI_MEMORY) || self.mems.is_empty() {
                    1
                } else {
                    0
                },
                2,
                if self.has(Features::EXCEPTIONS) { 1 } else { 0 },
            ];
            let desc = match self.weighted(&kinds)? {
                0 => {
                    let ty = self.host_func_type(false)?;
                    if self.has(Features::CUSTOM_DESCRIPTORS) && self.chance(1, 4)? {
                        ImportDesc::FuncExact(ty)
                    } else {
                        ImportDesc::Func(ty)
                    }
                }
                1 => {
                    // A host fills a table with null at first.
                    let mut t = self.table_type()?;
                    t.elem = self.host_ref(t.elem);
                    ImportDesc::Table(t)
                }
                2 => ImportDesc::Memory(self.memory_type()?),
                3 => {
                    let mut val = self.global_val_type()?;
                    if let ValType::Ref(r) = val {
                        val = ValType::Ref(self.host_ref(r));
                    }
                    let mutable = self.has(Features::MUTABLE_GLOBAL) && self.chance(1, 3)?;
                    ImportDesc::Global(GlobalType { val, mutable })
                }
                _ => {
                    let ty = self.host_func_type(true)?;
                    ImportDesc::Tag(TagType { attribute: 0, ty })
                }
            };
            self.add_import(Import {
                module: "env".to_string(),
                name: format!("{}{i}", ExternKind::name(desc.kind())),
                desc,
            });
        }
        Ok(())
    }

    /// A reference type a host can make a value of without knowing this
    /// module's types: nullable, abstract.
    fn host_ref(&self, r: RefType) -> RefType {
        let heap = match r.heap {
            HeapType::Abstract(a) => HeapType::Abstract(a),
            h => HeapType::Abstract(self.top(h)),
        };
        RefType::new(true, heap)
    }

    /// A function type for an imported function or tag that a host can
    /// define on its own: a final type alone in its group, with abstract
    /// references only (a host's function type is canonicalized alone).
    fn host_func_type(&mut self, tag: bool) -> Result<u32> {
        let cands: Vec<u32> = self
            .m
            .rec_groups
            .iter()
            .filter(|g| g.len == 1)
            .map(|g| g.start)
            .filter(|&i| {
                let t = &self.m.types[i as usize];
                t.is_final
                    && t.supertypes.is_empty()
                    && matches!(&t.composite, CompositeType::Func(f)
                    if (!tag || f.results.is_empty())
                        && f.params.iter().chain(&f.results).all(|v| {
                            !matches!(v, ValType::Ref(r) if r.heap.type_index().is_some())
                        }))
            })
            .collect();
        if !cands.is_empty() && self.chance(2, 3)? {
            return Ok(cands[self.index(cands.len())?]);
        }
        let mut f = self.func_type(0)?;
        if tag {
            f.results.clear();
        }
        let idx = self.m.types.len() as u32;
        self.m
            .push_rec_group([SubType::plain(CompositeType::Func(f))], false);
        Ok(idx)
    }

    fn add_import(&mut self, imp: Import) {
        match imp.desc {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => {
                self.funcs.push(ty);
                self.func_exact.push(
                    self.has(Features::CUSTOM_DESCRIPTORS)
                        && matches!(imp.desc, ImportDesc::FuncExact(_)),
                );
                self.num_imported_funcs += 1;
            }
            ImportDesc::Table(t) => self.tables.push(t),
            ImportDesc::Memory(t) => self.mems.push(t),
            ImportDesc::Global(g) => {
                self.globals.push(g);
                self.num_imported_globals += 1;
            }
            ImportDesc::Tag(t) => self.tags.push(t.ty),
        }
        self.m.imports.push(imp);
    }

    fn functions(&mut self) -> Result<()> {
        let n = self.count(self.cfg.min_funcs, self.cfg.max_funcs)?;
        for _ in 0..n {
            let ty = self.some_func_type(|_| true)?;
            self.funcs.push(ty);
            self.func_exact.push(self.has(Features::CUSTOM_DESCRIPTORS));
            self.m.funcs.push(weft_ast::Func {
                ty,
                locals: Vec::new(),
                body: Default::default(),
            });
        }
        Ok(())
    }

    fn tables(&mut self) -> Result<()> {
        let most = if self.has(Features::REFERENCE_TYPES) {
            self.cfg.max_tables
        } else {
            self.cfg.max_tables.min(1)
        };
        let n = self.count(0, most.saturating_sub(self.tables.len()))?;
        for _ in 0..n {
            let mut ty = self.table_type()?;
            let init = if !ty.elem.nullable
                || (self.has(Features::FUNCTION_REFERENCES) && self.chance(1, 4)?)
            {
                let visible = self.num_imported_globals;
                match self.const_expr(ValType::Ref(ty.elem), visible)? {
                    Some(e) => Some(e),
                    None => {
                        ty.elem.nullable = true;
                        None
                    }
                }
            } else {
                None
            };
            self.tables.push(ty);
            self.m.tables.push(Table { ty, init });
        }
        Ok(())
    }

    fn memories(&mut self) -> Result<()> {
        let most = if self.has(Features::MULTI_MEMORY) {
            self.cfg.max_memories
        } else {
            self.cfg.max_memories.min(1)
        };
        let n = self.count(0, most.saturating_sub(self.mems.len()))?;
        for _ in 0..n {
            let t = self.memory_type()?;
            self.mems.push(t);
            self.m.memories.push(t);
        }
        Ok(())
    }

    fn tags(&mut self) -> Result<()> {
        if !self.has(Features::EXCEPTIONS) {
            return Ok(());
        }
        let n = self.count(0, self.cfg.max_tags)?;
        for _ in 0..n {
            let ty = self.some_func_type(|f| f.results.is_empty())?;
            self.tags.push(ty);
            self.m.tags.push(TagType { attribute: 0, ty });
        }
        Ok(())
    }

    fn globals(&mut self) -> Result<()> {
        let n = self.count(0, self.cfg.max_globals)?;
        for _ in 0..n {
            let mut val = self.global_val_type()?;
            let idx = self.globals.len() as u32;
            let visible = if self.has(Features::GC) {
                idx
            } else {
                self.num_imported_globals
            };
            let init = match self.const_expr(val, visible)? {
                Some(e) => e,
                None => {
                    // Not constructible as a constant: its nullable form is.
                    if let ValType::Ref(r) = &mut val {
                        r.nullable = true;
                    }
                    self.const_expr(val, visible)?
                        .expect("a nullable reference has ref.null")
                }
            };
            let ty = GlobalType {
                val,
                mutable: self.u.arbitrary()?,
            };
            self.globals.push(ty);
            self.m.globals.push(Global { ty, init });
        }
        if let Some(fuel) = self.cfg.ensure_termination {
            let idx = self.globals.len() as u32;
            let init = self.m.push_expr([
                Instr::I32Const {
                    value: fuel.min(i32::MAX as u32) as i32,
                },
                Instr::End,
            ]);
            let ty = GlobalType {
                val: ValType::I32,
                mutable: true,
            };
            self.globals.push(ty);
            self.m.globals.push(Global { ty, init });
            self.fuel_global = Some(idx);
        }
        Ok(())
    }

    fn exports(&mut self) -> Result<()> {
        let mut names = std::collections::HashSet::new();
        let mut add = |m: &mut Module, name: String, kind: ExternKind, index: u32| {
            if names.insert(name.clone()) {
                m.exports.push(Export { name, kind, index });
            }
        };
        let mutable_ok = self.has(Features::MUTABLE_GLOBAL);
        if let Some(g) = self.fuel_global
            && mutable_ok
        {
            add(&mut self.m, "fuel".to_string(), ExternKind::Global, g);
        }
        let spaces = [
            (ExternKind::Func, self.funcs.len()),
            (ExternKind::Table, self.tables.len()),
            (ExternKind::Memory, self.mems.len()),
            (ExternKind::Global, self.globals.len()),
            (ExternKind::Tag, self.tags.len()),
        ];
        let exportable = |g: &Gen<'_, '_>, kind: ExternKind, i: usize| {
            kind != ExternKind::Global
                || ((mutable_ok || !g.globals[i].mutable) && Some(i as u32) != g.fuel_global)
        };
        if self.cfg.export_everything {
            for (kind, n) in spaces {
                for i in 0..n {
                    if exportable(self, kind, i) {
                        add(&mut self.m, format!("{}{i}", kind.name()), kind, i as u32);
                    }
                }
            }
            return Ok(());
        }
        let n = self.count(0, self.cfg.max_exports)?;
        for _ in 0..n {
            let weights: Vec<u32> = spaces
                .iter()
                .map(|&(k, n)| {
                    if n == 0 {
                        0
                    } else if k == ExternKind::Func {
                        4
                    } else {
                        1
                    }
                })
                .collect();
            if weights.iter().all(|&w| w == 0) {
                break;
            }
            let (kind, n) = spaces[self.weighted(&weights)?];
            let i = self.index(n)?;
            if exportable(self, kind, i) {
                add(&mut self.m, format!("{}{i}", kind.name()), kind, i as u32);
            }
        }
        Ok(())
    }

    fn start(&mut self) -> Result<()> {
        if !self.cfg.allow_start || !self.chance(1, 4)? {
            return Ok(());
        }
        let cands: Vec<u32> = (0..self.funcs.len() as u32)
            .filter(|&f| {
                matches!(self.composite(self.funcs[f as usize]),
                    CompositeType::Func(t) if t.params.is_empty() && t.results.is_empty())
            })
            .collect();
        if !cands.is_empty() {
            self.m.start = Some({
                let k = self.index(cands.len())?;
                cands[k]
            });
        }
        Ok(())
    }

    /// Size of a table (elements) or memory (bytes) at instantiation.
    fn memory_bytes(t: &MemoryType) -> u64 {
        t.limits.min << t.page_size_log2.unwrap_or(16)
    }

    /// An offset expression of the address type with value in `0..=room`.
    fn offset_expr(&mut self, addr: AddrType, room: u64) -> Result<weft_ast::Expr> {
        let v = self.u.int_in_range(0..=room)?;
        let ext = self.has(Features::EXTENDED_CONST) && v > 0 && self.chance(1, 4)?;
        let code: Vec<Instr> = match (addr, ext) {
            (AddrType::I32, false) => vec![Instr::I32Const { value: v as i32 }],
            (AddrType::I64, false) => vec![Instr::I64Const { value: v as i64 }],
            (AddrType::I32, true) => vec![
                Instr::I32Const {
                    value: (v - 1) as i32,
                },
                Instr::I32Const { value: 1 },
                Instr::I32Add,
            ],
            (AddrType::I64, true) => vec![
                Instr::I64Const {
                    value: (v - 1) as i64,
                },
                Instr::I64Const { value: 1 },
                Instr::I64Add,
            ],
        };
        Ok(self.m.push_expr(code.into_iter().chain([Instr::End])))
    }

    fn elems(&mut self) -> Result<()> {
        let bulk = self.has(Features::BULK_MEMORY);
        let n = self.count(0, self.cfg.max_elems)?;
        for _ in 0..n {
            // Active segments fit their table's initial size.
            let tables: Vec<u32> = (0..self.tables.len() as u32)
                .filter(|&t| bulk || t == 0)
                .collect();
            if tables.is_empty() && !bulk {
                break;
            }
            let mode_kind = self.weighted(&[
                if tables.is_empty() { 0 } else { 3 },
                if bulk { 2 } else { 0 },
                if bulk { 1 } else { 0 },
            ])?;
            let (table, room) = if mode_kind == 0 {
                let t = {
                    let k = self.index(tables.len())?;
                    tables[k]
                };
                (Some(t), self.tables[t as usize].limits.min)
            } else {
                (None, self.cfg.max_table_size)
            };
            let len = self.count(0, room.min(8) as usize)?;
            // Function indices, or expressions of some type (those need
            // reference types).
            let exprs_ok = bulk && self.has(Features::REFERENCE_TYPES);
            let table_elem = table.map(|t| self.tables[t as usize].elem);
            let ref_func = RefType::new(false, HeapType::Abstract(AbsHeap::Func));
            let funcs_ok =
                !self.funcs.is_empty() && table_elem.is_none_or(|e| self.ref_sub(ref_func, e));
            let (ty, items) = if funcs_ok && (!exprs_ok || self.chance(1, 2)?) {
                let mut fs = Vec::with_capacity(len);
                for _ in 0..len {
                    fs.push(self.index(self.funcs.len())? as u32);
                }
                (ref_func, ElemItems::Funcs(fs))
            } else if !exprs_ok {
                continue;
            } else {
                let mut ty = match table_elem {
                    Some(e) if self.chance(3, 4)? => e,
                    _ => {
                        let bound = self.m.types.len() as u32;
                        self.ref_type(bound)?
                    }
                };
                if let Some(e) = table_elem
                    && !self.ref_sub(ty, e)
                {
                    ty = e;
                }
                let visible = if self.has(Features::GC) {
                    self.globals.len() as u32
                } else {
                    self.num_imported_globals
                };
                let mut exprs = Vec::with_capacity(len);
                for _ in 0..len {
                    match self.const_expr(ValType::Ref(ty), visible)? {
                        Some(e) => exprs.push(e),
                        None => {
                            if let Some(e) = table_elem
                                && !e.nullable
                            {
                                break;
                            }
                            ty.nullable = true;
                            exprs.push(self.const_expr(ValType::Ref(ty), visible)?.expect("null"));
                        }
                    }
                }
                (ty, ElemItems::Exprs(exprs))
            };
            let mode = match (mode_kind, table) {
                (0, Some(t)) => {
                    let addr = self.tables[t as usize].addr;
                    let room = self.tables[t as usize].limits.min - items.len() as u64;
                    let offset = self.offset_expr(addr, room)?;
                    ElemMode::Active { table: t, offset }
                }
                (1, _) => ElemMode::Passive,
                _ => ElemMode::Declarative,
            };
            if let ElemItems::Funcs(fs) = &items {
                for &f in fs {
                    self.declared[f as usize] = true;
                }
            }
            self.m.elems.push(Elem { mode, ty, items });
        }
        Ok(())
    }

    fn datas(&mut self) -> Result<()> {
        let bulk = self.has(Features::BULK_MEMORY);
        let n = self.count(0, self.cfg.max_datas)?;
        for _ in 0..n {
            let active = !self.mems.is_empty() && (!bulk || self.chance(2, 3)?);
            if !active && !bulk {
                break;
            }
            let mode_mem = if active {
                Some(self.index(self.mems.len())? as u32)
            } else {
                None
            };
            let room = match mode_mem {
                Some(mi) => Self::memory_bytes(&self.mems[mi as usize]),
                None => u64::MAX,
            };
            let len = self.count(0, (self.cfg.max_data_len as u64).min(room) as usize)?;
            let mut init = vec![0u8; len];
            self.u.fill_buffer(&mut init)?;
            let mode = match mode_mem {
                Some(mi) => {
                    let addr = self.mems[mi as usize].addr;
                    let offset = self.offset_expr(addr, (room - len as u64).min(1 << 20))?;
                    DataMode::Active { memory: mi, offset }
                }
                None => DataMode::Passive,
            };
            self.m.datas.push(Data { mode, init });
        }
        if bulk {
            self.m.data_count = Some(self.m.datas.len() as u32);
        }
        Ok(())
    }

    // ----- constant expressions -----

    /// A constant expression of type `t` seeing globals below `visible`;
    /// `None` when this type has no constant here (a non-null reference
    /// nothing can make).
    pub(crate) fn const_expr(
        &mut self,
        t: ValType,
        visible: u32,
    ) -> Result<Option<weft_ast::Expr>> {
        let start = self.m.code.len();
        if self.const_value(t, visible, 0)? {
            self.m.code.push(Instr::End);
            Ok(Some(weft_ast::Expr {
                start: start as u32,
                end: self.m.code.len() as u32,
            }))
        } else {
            self.m.code.truncate(start);
            Ok(None)
        }
    }

    fn const_globals(&self, t: ValType, visible: u32) -> Vec<u32> {
        (0..visible)
            .filter(|&g| {
                let g = self.globals[g as usize];
                !g.mutable && self.val_sub(g.val, t)
            })
            .collect()
    }

    /// Pushes a constant instruction sequence of type `t`.
    fn const_value(&mut self, t: ValType, visible: u32, depth: usize) -> Result<bool> {
        let globals = self.const_globals(t, visible);
        if !globals.is_empty() && self.chance(1, 4)? {
            let g = {
                let k = self.index(globals.len())?;
                globals[k]
            };
            self.m.code.push(Instr::GlobalGet { global: g });
            return Ok(true);
        }
        let ext = self.has(Features::EXTENDED_CONST) && depth < 2;
        match t {
            ValType::I32 | ValType::I64 if ext && self.chance(1, 5)? => {
                self.const_value(t, visible, depth + 1)?;
                self.const_value(t, visible, depth + 1)?;
                let k = self.index(3)?;
                let op = match (t, k) {
                    (ValType::I32, 0) => Instr::I32Add,
                    (ValType::I32, 1) => Instr::I32Sub,
                    (ValType::I32, _) => Instr::I32Mul,
                    (_, 0) => Instr::I64Add,
                    (_, 1) => Instr::I64Sub,
                    _ => Instr::I64Mul,
                };
                self.m.code.push(op);
            }
            ValType::I32 => {
                let value = self.u.arbitrary()?;
                self.m.code.push(Instr::I32Const { value });
            }
            ValType::I64 => {
                let value = self.u.arbitrary()?;
                self.m.code.push(Instr::I64Const { value });
            }
            ValType::F32 => {
                let value = Ieee32(self.u.arbitrary()?);
                self.m.code.push(Instr::F32Const { value });
            }
            ValType::F64 => {
                let value = Ieee64(self.u.arbitrary()?);
                self.m.code.push(Instr::F64Const { value });
            }
            ValType::V128 => {
                let value = Box::new(V128(self.u.arbitrary()?));
                self.m.code.push(Instr::V128Const { value });
            }
            ValType::Ref(r) => return self.const_ref(r, visible, depth),
        }
        Ok(true)
    }

    fn const_ref(&mut self, r: RefType, visible: u32, depth: usize) -> Result<bool> {
        let gc = self.has(Features::GC);
        // Candidate constructions, tried from a random start.
        let funcs: Vec<u32> = (0..self.funcs.len() as u32)
            .filter(|&f| match self.func_ref_type(f) {
                ValType::Ref(fr) => self.ref_sub(fr, r),
                _ => false,
            })
            .collect();
        let i31 = gc && self.heap_sub(HeapType::Abstract(AbsHeap::I31), r.heap);
        let structs: Vec<u32> = if gc && depth < 3 {
            (0..self.m.types.len() as u32)
                .filter(|&x| {
                    self.heap_sub(self.allocated(x), r.heap)
                        && matches!(
                            self.composite(x),
                            CompositeType::Struct(_) | CompositeType::Array(_)
                        )
                })
                .collect()
        } else {
            Vec::new()
        };
        let extern_ok =
            gc && depth < 3 && self.heap_sub(HeapType::Abstract(AbsHeap::Extern), r.heap);
        let options = [
            if r.nullable { 2 } else { 0 },
            if funcs.is_empty() { 0 } else { 3 },
            if i31 { 2 } else { 0 },
            if structs.is_empty() { 0 } else { 3 },
            if extern_ok { 1 } else { 0 },
        ];
        if options.iter().all(|&w| w == 0) {
            return Ok(false);
        }
        match self.weighted(&options)? {
            0 => {
                let ty = if self.chance(1, 2)? {
                    r.heap
                } else {
                    // The bottom of the hierarchy: also a subtype.
                    match self.top(r.heap) {
                        AbsHeap::Func if gc => HeapType::Abstract(AbsHeap::NoFunc),
                        AbsHeap::Extern if gc => HeapType::Abstract(AbsHeap::NoExtern),
                        AbsHeap::Any if gc => HeapType::Abstract(AbsHeap::None),
                        _ => r.heap,
                    }
                };
                self.m.code.push(Instr::RefNull { ty });
            }
            1 => {
                let f = {
                    let k = self.index(funcs.len())?;
                    funcs[k]
                };
                self.declared[f as usize] = true;
                self.m.code.push(Instr::RefFunc { func: f });
            }
            2 => {
                let value = self.u.arbitrary::<i32>()? & 0x3fff_ffff;
                self.m.code.push(Instr::I32Const { value });
                self.m.code.push(Instr::RefI31);
            }
            3 => {
                let x = {
                    let k = self.index(structs.len())?;
                    structs[k]
                };
                let mark = self.m.code.len();
                if !self.const_alloc(x, visible, depth)? {
                    self.m.code.truncate(mark);
                    if r.nullable {
                        self.m.code.push(Instr::RefNull { ty: r.heap });
                    } else {
                        return Ok(false);
                    }
                }
            }
            _ => {
                let any = RefType::new(r.nullable, HeapType::Abstract(AbsHeap::Any));
                if !self.const_ref(any, visible, depth + 1)? {
                    return Ok(false);
                }
                self.m.code.push(Instr::ExternConvertAny);
            }
        }
        Ok(true)
    }

    /// A constant allocation of struct or array type `x`.
    fn const_alloc(&mut self, x: u32, visible: u32, depth: usize) -> Result<bool> {
        match self.composite(x).clone() {
            CompositeType::Struct(fields) => {
                let desc = self.m.types[x as usize].descriptor;
                let default = fields.iter().all(|f| f.storage.unpacked().is_defaultable());
                if default && self.chance(1, 3)? {
                    if let Some(y) = desc {
                        if !self.const_value(reft(false, HeapType::Exact(y)), visible, depth + 1)? {
                            return Ok(false);
                        }
                        self.m.code.push(Instr::StructNewDefaultDesc { ty: x });
                    } else {
                        self.m.code.push(Instr::StructNewDefault { ty: x });
                    }
                    return Ok(true);
                }
                for f in &fields {
                    if !self.const_value(f.storage.unpacked(), visible, depth + 1)? {
                        return Ok(false);
                    }
                }
                if let Some(y) = desc {
                    if !self.const_value(reft(false, HeapType::Exact(y)), visible, depth + 1)? {
                        return Ok(false);
                    }
                    self.m.code.push(Instr::StructNewDesc { ty: x });
                } else {
                    self.m.code.push(Instr::StructNew { ty: x });
                }
            }
            CompositeType::Array(f) => {
                let t = f.storage.unpacked();
                match self.index(3)? {
                    0 if t.is_defaultable() => {
                        let value = self.u.int_in_range(0..=4)?;
                        self.m.code.push(Instr::I32Const { value });
                        self.m.code.push(Instr::ArrayNewDefault { ty: x });
                    }
                    1 => {
                        if !self.const_value(t, visible, depth + 1)? {
                            return Ok(false);
                        }
                        let value = self.u.int_in_range(0..=4)?;
                        self.m.code.push(Instr::I32Const { value });
                        self.m.code.push(Instr::ArrayNew { ty: x });
                    }
                    _ => {
                        let len = self.u.int_in_range(0..=3)?;
                        for _ in 0..len {
                            if !self.const_value(t, visible, depth + 1)? {
                                return Ok(false);
                            }
                        }
                        self.m.code.push(Instr::ArrayNewFixed { ty: x, len });
                    }
                }
            }
            CompositeType::Func(_) => return Ok(false),
        }
        Ok(true)
    }

    // ----- catalogs -----

    fn catalogs(&mut self) {
        let filter = self.cfg.allowed_instrs.clone();
        self.allowed = instrs::ROWS
            .iter()
            .enumerate()
            .map(|(i, row)| {
                self.f.contains(row.feature)
                    && filter
                        .as_ref()
                        .is_none_or(|a| a.get(i).copied().unwrap_or(true))
            })
            .collect();
        let has_mem = !self.mems.is_empty();
        for (i, (proto, sig)) in self.protos.iter().enumerate() {
            if !self.allowed[i] || instrs::ROWS[i].structural {
                continue;
            }
            let Some(sig) = sig else {
                self.structured.push(i as RowIx);
                continue;
            };
            let proto = proto.as_ref().expect("a signature has a prototype");
            if sig.addr && !has_mem {
                continue;
            }
            if self.cfg.disallow_traps && instrs::trap_kind(proto) == instrs::TrapKind::Always {
                continue;
            }
            // Reference operands need their proposal's types (allowed by
            // the row's own feature).
            self.plain.push(i as RowIx);
            if let [r] = sig.results.as_slice()
                && let Some(s) = num_slot(*r)
            {
                self.producers[s].push(i as RowIx);
            }
            let last = if sig.params.is_empty() {
                None
            } else {
                sig.params.last().copied()
            };
            if let Some(s) = last.and_then(num_slot) {
                self.consumers[s].push(i as RowIx);
            }
        }
    }

    /// The functions the module declares outside bodies (what the
    /// validator lets a body's `ref.func` name).
    fn scan_declared(&self) -> Vec<bool> {
        let m = &self.m;
        let mut declared = vec![false; self.funcs.len()];
        let scan = |e: weft_ast::Expr, declared: &mut Vec<bool>| {
            for i in m.instrs(e) {
                if let Instr::RefFunc { func } = i {
                    declared[*func as usize] = true;
                }
            }
        };
        for g in &m.globals {
            scan(g.init, &mut declared);
        }
        for t in &m.tables {
            if let Some(e) = t.init {
                scan(e, &mut declared);
            }
        }
        for el in &m.elems {
            match &el.items {
                ElemItems::Funcs(fs) => fs.iter().for_each(|&f| declared[f as usize] = true),
                ElemItems::Exprs(es) => es.iter().for_each(|&e| scan(e, &mut declared)),
            }
        }
        for ex in &m.exports {
            if ex.kind == ExternKind::Func {
                declared[ex.index as usize] = true;
            }
        }
        declared
    }

    // ----- the whole module -----

    pub(crate) fn module(mut self) -> Result<Module> {
        self.types()?;
        self.imports()?;
        self.functions()?;
        self.declared = vec![false; self.funcs.len()];
        self.referenced = vec![false; self.funcs.len()];
        self.tables()?;
        self.memories()?;
        self.tags()?;
        self.globals()?;
        self.exports()?;
        self.start()?;
        self.elems()?;
        self.datas()?;
        self.declared = self.scan_declared();
        self.may_declare = self.has(Features::BULK_MEMORY);
        self.catalogs();
        for i in 0..self.m.funcs.len() {
            self.body(i)?;
        }
        let undeclared: Vec<u32> = (0..self.funcs.len() as u32)
            .filter(|&f| self.referenced[f as usize] && !self.declared[f as usize])
            .collect();
        if !undeclared.is_empty() {
            self.m.elems.push(Elem {
                mode: ElemMode::Declarative,
                ty: RefType::new(false, HeapType::Abstract(AbsHeap::Func)),
                items: ElemItems::Funcs(undeclared),
            });
        }
        Ok(self.m)
    }
}
