//! Instantiation, in the order the spec prescribes: imports checked,
//! entities allocated, element then data segments written, the start
//! function run. An instance's data itself lives with the store's other
//! entities (`store::InstanceData`).

use std::collections::HashMap;

use weft_ast::{
    AbsHeap, DataMode, ElemItems, ElemMode, Expr, ExternKind, GlobalType, HeapType, ImportDesc,
    Instr, Limits, ValType,
};

use crate::runtime::module::Module;
use crate::runtime::store::{Extern, FuncInst, GlobalInst, Instance, InstanceData, Store, TypeId};
use crate::trap::{Error, Trap};

/// Whether `actual` limits fit where `expected` are required.
fn limits_match(actual: Limits, expected: Limits) -> bool {
    actual.min >= expected.min
        && match expected.max {
            None => true,
            Some(em) => actual.max.is_some_and(|am| am <= em),
        }
}

/// A value type with its concrete heap type (a module's type index)
/// replaced by its canonical id, so that types compare across modules.
fn canon_val(t: ValType, types: &[TypeId]) -> ValType {
    match t {
        ValType::Ref(rt) => ValType::Ref(canon_ref(rt, types)),
        _ => t,
    }
}

fn canon_ref(rt: weft_ast::RefType, types: &[TypeId]) -> weft_ast::RefType {
    match rt.heap {
        HeapType::Concrete(i) => weft_ast::RefType::new(
            rt.nullable,
            HeapType::Concrete(types.get(i as usize).map_or(u32::MAX, |c| c.0)),
        ),
        HeapType::Exact(i) => weft_ast::RefType::new(
            rt.nullable,
            HeapType::Exact(types.get(i as usize).map_or(u32::MAX, |c| c.0)),
        ),
        _ => rt,
    }
}

/// Whether `a` is a subtype of `b`, for the abstract heap types (concrete
/// types match only themselves until the runtime keeps canonical value
/// types).
fn val_subtype(a: ValType, b: ValType) -> bool {
    match (a, b) {
        (ValType::Ref(a), ValType::Ref(b)) => {
            (b.nullable || !a.nullable)
                && match (a.heap, b.heap) {
                    (x, y) if x == y => true,
                    (HeapType::Exact(x), HeapType::Concrete(y)) => x == y,
                    (HeapType::Abstract(a), HeapType::Abstract(b)) => {
                        b == a.top()
                            || a == b.bottom()
                            || (b == AbsHeap::Eq
                                && matches!(a, AbsHeap::I31 | AbsHeap::Struct | AbsHeap::Array))
                    }
                    (HeapType::Concrete(_) | HeapType::Exact(_), HeapType::Abstract(b)) => {
                        b == AbsHeap::Func
                    }
                    (HeapType::Abstract(a), HeapType::Concrete(_) | HeapType::Exact(_)) => {
                        a == AbsHeap::NoFunc
                    }
                    _ => false,
                }
        }
        _ => a == b,
    }
}

/// Each function's code and instance, for `InstanceData::calls`.
fn calls_of(store: &Store, funcs: &[u32]) -> Box<[Option<crate::runtime::store::WasmCallee>]> {
    funcs
        .iter()
        .map(|&addr| match store.funcs.get(addr as usize) {
            Some(FuncInst::Wasm { code, instance, .. }) => Some((code.clone(), *instance)),
            _ => None,
        })
        .collect()
}

/// Makes `store` one where the interpreter runs code: every compiled
/// function instantiated so far gets its translation in place of its stub
/// (interpreted code may call any of them, directly, through a table or
/// by reference), and every instance's direct-call list follows. Nothing
/// runs a stub before this (the interpreter ran nothing), so replacing
/// them under a running host call is safe.
fn interpreted_code(store: &mut Store) -> Result<(), Error> {
    for inst in 0..store.instances.len() {
        let data = &store.instances[inst];
        let module = data.module.clone();
        let defined = module.0.ast.funcs.len();
        let first = data.funcs.len().saturating_sub(defined);
        let addrs: Vec<u32> = data.funcs[first..].to_vec();
        for (i, addr) in addrs.into_iter().enumerate() {
            if let Some(FuncInst::Wasm { code, .. }) = store.funcs.get_mut(addr as usize) {
                *code = module.0.code_or_lazy(i)?;
            }
        }
    }
    for inst in 0..store.instances.len() {
        let calls = calls_of(store, &store.instances[inst].funcs);
        store.instances[inst].calls = calls;
    }
    store.interprets = true;
    Ok(())
}

/// Puts the translation of the function at store address `addr` in the
/// place of a lazy module's placeholder (see `module::is_lazy`): in the
/// store's function and in its instance's direct-call list (an instance
/// importing it keeps the placeholder there, whose calls take the slow
/// path, which finds the translation here). Nothing to do for any other
/// function. Called before the executor enters a function from the store;
/// a translation error (a frame beyond the interpreter's limits: validation
/// passed) is the call's trap.
pub(crate) fn translate_on_call(store: &mut Store, addr: u32) -> Result<(), Trap> {
    let Some(FuncInst::Wasm { code, instance, .. }) = store.funcs.get(addr as usize) else {
        return Ok(());
    };
    if !crate::runtime::module::is_lazy(code) {
        return Ok(());
    }
    let inst = *instance as usize;
    let data = &store.instances[inst];
    let module = data.module.clone();
    let first = data.funcs.len().saturating_sub(module.0.ast.funcs.len());
    // Defined functions take consecutive store addresses, in order.
    let i = data
        .funcs
        .get(first)
        .and_then(|a| addr.checked_sub(*a))
        .ok_or(Trap::InvalidReference)? as usize;
    let translated = module.0.code(i).map_err(|e| {
        Trap::Host(format!("function {} cannot be translated: {e}", first + i).into())
    })?;
    if let Some(FuncInst::Wasm { code, .. }) = store.funcs.get_mut(addr as usize) {
        *code = translated.clone();
    }
    if let Some(slot) = store.instances[inst].calls.get_mut(first + i) {
        *slot = Some((translated, inst as u32));
    }
    Ok(())
}

/// Instantiates `module` with `imports` given in the module's import order.
pub(crate) fn instantiate(
    store: &mut Store,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    let ast = &module.0.ast;
    let types: Box<[TypeId]> = store.intern_module(ast).into();
    let mut data = InstanceData {
        module: module.clone(),
        types,
        funcs: Vec::new(),
        calls: Box::default(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        tags: Vec::new(),
        elems: Vec::new(),
        dropped: Vec::new(),
        exports: HashMap::new(),
        #[cfg(weft_jit)]
        jit: None,
    };
    if imports.len() != ast.imports.len() {
        return Err(Error::ArgumentMismatch);
    }
    for (import, ext) in ast.imports.iter().zip(imports) {
        let ok = match (import.desc, *ext) {
            (ImportDesc::Func(ty), Extern::Func(f)) => {
                let actual = store.funcs.get(f.0 as usize).ok_or(Error::BadHandle)?.ty();
                data.funcs.push(f.0);
                data.types
                    .get(ty as usize)
                    .is_some_and(|t| store.registry.is_subtype(actual, *t))
            }
            // An exact import takes a function of exactly that type, no
            // subtype (custom descriptors).
            (ImportDesc::FuncExact(ty), Extern::Func(f)) => {
                let actual = store.funcs.get(f.0 as usize).ok_or(Error::BadHandle)?.ty();
                data.funcs.push(f.0);
                data.types.get(ty as usize) == Some(&actual)
            }
            (ImportDesc::Table(ty), Extern::Table(t)) => {
                let actual = store.table_type(t)?;
                data.tables.push(t.0);
                actual.elem == canon_ref(ty.elem, &data.types)
                    && actual.addr == ty.addr
                    && limits_match(actual.limits, ty.limits)
            }
            (ImportDesc::Memory(ty), Extern::Memory(m)) => {
                let actual = store.memory_type(m)?;
                data.memories.push(m.0);
                actual.addr == ty.addr
                    && actual.shared == ty.shared
                    && actual.page_size_log2.unwrap_or(16) == ty.page_size_log2.unwrap_or(16)
                    && limits_match(actual.limits, ty.limits)
            }
            (ImportDesc::Tag(ty), Extern::Tag(t)) => {
                let actual = *store.tags.get(t.0 as usize).ok_or(Error::BadHandle)?;
                data.tags.push(t.0);
                data.types.get(ty.ty as usize) == Some(&actual)
            }
            (ImportDesc::Global(ty), Extern::Global(g)) => {
                let actual = store.global_type(g)?;
                data.globals.push(g.0);
                let ty = GlobalType {
                    val: canon_val(ty.val, &data.types),
                    ..ty
                };
                actual.mutable == ty.mutable
                    && if ty.mutable {
                        actual.val == ty.val
                    } else {
                        val_subtype(actual.val, ty.val)
                    }
            }
            _ => false,
        };
        if !ok {
            return Err(Error::IncompatibleImportType {
                module: import.module.clone(),
                name: import.name.clone(),
            });
        }
    }
    let index = store.instances.len() as u32;
    // Compiled functions need their translation only in a store where the
    // interpreter runs code: from the first module bringing such code on,
    // every function of the store has it.
    let interprets = (0..ast.funcs.len()).any(|i| !module.0.compiled(i));
    if interprets && !store.interprets {
        interpreted_code(store)?;
    }
    for (i, f) in ast.funcs.iter().enumerate() {
        let ty = *data
            .types
            .get(f.ty as usize)
            .ok_or(Error::Invalid("unknown type"))?;
        let code = if store.interprets || !module.0.compiled(i) {
            module.0.code_or_lazy(i)?
        } else {
            module.0.stub()
        };
        store.funcs.push(FuncInst::Wasm {
            ty,
            instance: index,
            code,
        });
        data.funcs.push(store.funcs.len() as u32 - 1);
    }
    data.calls = calls_of(store, &data.funcs);
    for t in &ast.tags {
        let ty = *data
            .types
            .get(t.ty as usize)
            .ok_or(Error::Invalid("unknown type"))?;
        store.tags.push(ty);
        data.tags.push(store.tags.len() as u32 - 1);
    }
    for g in &ast.globals {
        let (lo, hi) = eval_const(store, &data, ast.instrs_checked(g.init)?)?;
        let ty = GlobalType {
            val: canon_val(g.ty.val, &data.types),
            ..g.ty
        };
        store.globals.push(GlobalInst { ty, lo, hi });
        data.globals.push(store.globals.len() as u32 - 1);
    }
    for t in &ast.tables {
        let init = match t.init {
            Some(e) => eval_const(store, &data, ast.instrs_checked(e)?)?.0,
            None => 0,
        };
        data.tables.push(store.add_table(t.ty, init)?);
    }
    for m in &ast.memories {
        data.memories.push(store.add_memory(*m)?);
    }
    for e in &ast.exports {
        let space = match e.kind {
            ExternKind::Func => &data.funcs,
            ExternKind::Table => &data.tables,
            ExternKind::Memory => &data.memories,
            ExternKind::Global => &data.globals,
            ExternKind::Tag => &data.tags,
        };
        let addr = *space
            .get(e.index as usize)
            .ok_or(Error::Invalid("unknown export index"))?;
        let ext = match e.kind {
            ExternKind::Func => Extern::Func(crate::Func(addr)),
            ExternKind::Table => Extern::Table(crate::Table(addr)),
            ExternKind::Memory => Extern::Memory(crate::Memory(addr)),
            ExternKind::Global => Extern::Global(crate::Global(addr)),
            ExternKind::Tag => Extern::Tag(crate::Tag(addr)),
        };
        data.exports.insert(e.name.clone(), ext);
    }
    for e in &ast.elems {
        let items: Box<[u64]> = match &e.items {
            ElemItems::Funcs(fs) => fs
                .iter()
                .map(|f| data.funcs.get(*f as usize).map(|a| *a as u64 + 1))
                .collect::<Option<_>>()
                .ok_or(Error::Invalid("unknown function"))?,
            ElemItems::Exprs(es) => es
                .iter()
                .map(|x| Ok(eval_const(store, &data, ast.instrs_checked(*x)?)?.0))
                .collect::<Result<_, Error>>()?,
        };
        data.elems.push(items);
    }
    data.dropped = vec![false; ast.datas.len()];
    // Segment offsets are constant and have no effects: evaluate them now,
    // while the instance data is still ours.
    let mut elem_offsets = Vec::new();
    for e in &ast.elems {
        if let ElemMode::Active { offset, .. } = e.mode {
            elem_offsets.push(eval_const(store, &data, ast.instrs_checked(offset)?)?.0);
        }
    }
    let mut data_offsets = Vec::new();
    for d in &ast.datas {
        if let DataMode::Active { offset, .. } = d.mode {
            data_offsets.push(eval_const(store, &data, ast.instrs_checked(offset)?)?.0);
        }
    }
    if store.segments_checked_first {
        check_segments_fit(store, &data, ast, &elem_offsets, &data_offsets)?;
    }
    let (mut elem_offsets, mut data_offsets) = (elem_offsets.into_iter(), data_offsets.into_iter());
    #[cfg(weft_jit)]
    if let Some(code) = module.0.jit_for(
        data.memories
            .first()
            .and_then(|&m| store.memories.get(m as usize))
            .is_some_and(|m| m.is_guarded()),
    ) {
        let first = data.funcs.get(data.funcs.len() - ast.funcs.len()).copied();
        data.jit = Some(std::sync::Arc::new(crate::jit::ctx::JitInstance::new(
            code,
            store,
            index,
            first.unwrap_or(0),
            data.memories.first().copied(),
            data.tables.first().copied(),
            &data.globals,
        )));
    }
    // The instance exists from here on: segment initialization may trap and
    // leave earlier writes in place, as the spec says.
    store.instances.push(data);
    for (i, e) in ast.elems.iter().enumerate() {
        match e.mode {
            ElemMode::Active { table, .. } => {
                let off = elem_offsets.next().unwrap_or(0);
                let inst = &mut store.instances[index as usize];
                let addr = *inst
                    .tables
                    .get(table as usize)
                    .ok_or(Error::Invalid("unknown table"))?;
                let tab = &mut store.tables[addr as usize];
                let items = std::mem::take(&mut inst.elems[i]);
                let off = if tab.is64() { off } else { off as u32 as u64 };
                let end = off.checked_add(items.len() as u64);
                match end {
                    Some(end) if end <= tab.elems.len() as u64 => {
                        tab.elems[off as usize..end as usize].copy_from_slice(&items);
                    }
                    _ => {
                        return Err(Error::SegmentTrap {
                            trap: Trap::OutOfBoundsTableAccess,
                            index: i as u32,
                            offset: off,
                            len: items.len() as u64,
                            size: tab.elems.len() as u64,
                        });
                    }
                }
            }
            ElemMode::Declarative => store.instances[index as usize].elems[i] = Box::new([]),
            ElemMode::Passive => {}
        }
    }
    for (i, d) in ast.datas.iter().enumerate() {
        if let DataMode::Active { memory, .. } = d.mode {
            let off = data_offsets.next().unwrap_or(0);
            let inst = &mut store.instances[index as usize];
            let addr = *inst
                .memories
                .get(memory as usize)
                .ok_or(Error::Invalid("unknown memory"))?;
            inst.dropped[i] = true;
            let mem = &mut store.memories[addr as usize];
            let off = if mem.is64() { off } else { off as u32 as u64 };
            let r = mem
                .range(off, d.init.len() as u64)
                .map_err(|trap| Error::SegmentTrap {
                    trap,
                    index: i as u32,
                    offset: off,
                    len: d.init.len() as u64,
                    size: mem.data.len() as u64,
                })?;
            mem.data[r].copy_from_slice(&d.init);
        }
    }
    if let Some(start) = ast.start {
        let f = *store.instances[index as usize]
            .funcs
            .get(start as usize)
            .ok_or(Error::Invalid("unknown start function"))?;
        store.call(crate::Func(f), &[])?;
    }
    Ok(Instance(index))
}

/// Wasm 1.0's instantiation (see [`Store::set_segments_checked_first`]):
/// before any segment is written, every active element segment must fit its
/// table and every active data segment its memory, so that a failed
/// instantiation leaves imported tables and memories untouched.
fn check_segments_fit(
    store: &Store,
    data: &InstanceData,
    ast: &weft_ast::Module,
    elem_offsets: &[u64],
    data_offsets: &[u64],
) -> Result<(), Error> {
    let active_elems = ast.elems.iter().filter_map(|e| match e.mode {
        ElemMode::Active { table, .. } => Some((table, e)),
        _ => None,
    });
    for ((table, e), off) in active_elems.zip(elem_offsets) {
        let addr = *data
            .tables
            .get(table as usize)
            .ok_or(Error::Invalid("unknown table"))?;
        let len = store.tables[addr as usize].elems.len() as u64;
        let off = *off as u32 as u64;
        if off + e.items.len() as u64 > len {
            return Err(Error::SegmentDoesNotFit { data: false });
        }
    }
    let active_datas = ast.datas.iter().filter_map(|d| match d.mode {
        DataMode::Active { memory, .. } => Some((memory, d)),
        _ => None,
    });
    for ((memory, d), off) in active_datas.zip(data_offsets) {
        let addr = *data
            .memories
            .get(memory as usize)
            .ok_or(Error::Invalid("unknown memory"))?;
        let len = store.memories[addr as usize].data.len() as u64;
        if *off as u32 as u64 + d.init.len() as u64 > len {
            return Err(Error::SegmentDoesNotFit { data: true });
        }
    }
    Ok(())
}

/// Evaluates a constant expression to its slots.
fn eval_const(store: &mut Store, inst: &InstanceData, code: &[Instr]) -> Result<(u64, u64), Error> {
    let mut stack: Vec<(u64, u64)> = Vec::new();
    let pop = |s: &mut Vec<(u64, u64)>| s.pop().ok_or(Error::Invalid("constant expression"));
    for instr in code {
        let v = match instr {
            Instr::I32Const { value } => (*value as u32 as u64, 0),
            Instr::I64Const { value } => (*value as u64, 0),
            Instr::F32Const { value } => (value.0 as u64, 0),
            Instr::F64Const { value } => (value.0, 0),
            Instr::V128Const { value } => {
                let v = u128::from_le_bytes(value.0);
                (v as u64, (v >> 64) as u64)
            }
            Instr::RefNull { .. } => (0, 0),
            Instr::RefFunc { func } => {
                let f = inst
                    .funcs
                    .get(*func as usize)
                    .ok_or(Error::Invalid("unknown function"))?;
                (*f as u64 + 1, 0)
            }
            Instr::GlobalGet { global } => {
                let g = inst
                    .globals
                    .get(*global as usize)
                    .ok_or(Error::Invalid("unknown global"))?;
                let g = &store.globals[*g as usize];
                (g.lo, g.hi)
            }
            Instr::I32Add | Instr::I32Sub | Instr::I32Mul => {
                let b = pop(&mut stack)?.0 as u32;
                let a = pop(&mut stack)?.0 as u32;
                let r = match instr {
                    Instr::I32Add => a.wrapping_add(b),
                    Instr::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                };
                (r as u64, 0)
            }
            Instr::I64Add | Instr::I64Sub | Instr::I64Mul => {
                let b = pop(&mut stack)?.0;
                let a = pop(&mut stack)?.0;
                let r = match instr {
                    Instr::I64Add => a.wrapping_add(b),
                    Instr::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                };
                (r, 0)
            }
            Instr::RefI31 => {
                let v = pop(&mut stack)?.0 as u32 & 0x7fff_ffff;
                (crate::ops::gc::I31_TAG | v as u64, 0)
            }
            Instr::AnyConvertExtern => (crate::ops::gc::internalize(pop(&mut stack)?.0), 0),
            Instr::ExternConvertAny => (crate::ops::gc::externalize(pop(&mut stack)?.0), 0),
            Instr::StructNew { ty }
            | Instr::StructNewDefault { ty }
            | Instr::ArrayNew { ty }
            | Instr::ArrayNewDefault { ty }
            | Instr::ArrayNewFixed { ty, .. }
            | Instr::StructNewDesc { ty }
            | Instr::StructNewDefaultDesc { ty } => {
                (const_alloc(store, inst, instr, *ty, &mut stack)?, 0)
            }
            Instr::End => break,
            other => return Err(Error::Unsupported(other.name())),
        };
        stack.push(v);
    }
    pop(&mut stack)
}

/// Allocates the struct or array of a constant expression from the values
/// on `stack`; its slot.
fn const_alloc(
    store: &mut Store,
    inst: &InstanceData,
    instr: &Instr,
    ty: u32,
    stack: &mut Vec<(u64, u64)>,
) -> Result<u64, Error> {
    use weft_ast::CompositeType;
    let canon = *inst
        .types
        .get(ty as usize)
        .ok_or(Error::Invalid("unknown type"))?;
    let composite = &inst
        .module
        .0
        .ast
        .types
        .get(ty as usize)
        .ok_or(Error::Invalid("unknown type"))?
        .composite;
    let mut take = |n: usize| -> Result<Vec<(u64, u64)>, Error> {
        let at = stack
            .len()
            .checked_sub(n)
            .ok_or(Error::Invalid("constant expression"))?;
        Ok(stack.split_off(at))
    };
    let push_val = |slots: &mut Vec<u64>, wide: bool, (lo, hi): (u64, u64)| {
        slots.push(lo);
        if wide {
            slots.push(hi);
        }
    };
    // The descriptor comes last, above the fields.
    let desc = if matches!(
        instr,
        Instr::StructNewDesc { .. } | Instr::StructNewDefaultDesc { .. }
    ) {
        match take(1)?[0].0 {
            0 => return Err(Trap::NullDescriptorReference.into()),
            d => d,
        }
    } else {
        0
    };
    let (array, slots) = match (instr, composite) {
        (Instr::StructNew { .. } | Instr::StructNewDesc { .. }, CompositeType::Struct(fields)) => {
            let vals = take(fields.len())?;
            let mut slots = Vec::new();
            for (f, (lo, hi)) in fields.iter().zip(vals) {
                let v = (crate::ops::gc::pack(f.storage, lo), hi);
                push_val(&mut slots, crate::ops::gc::field_slots(f) == 2, v);
            }
            (false, slots)
        }
        (
            Instr::StructNewDefault { .. } | Instr::StructNewDefaultDesc { .. },
            CompositeType::Struct(fields),
        ) => {
            let n: u32 = fields.iter().map(crate::ops::gc::field_slots).sum();
            (false, vec![0; n as usize])
        }
        (Instr::ArrayNew { .. } | Instr::ArrayNewDefault { .. }, CompositeType::Array(f)) => {
            let n = take(1)?[0].0 as u32 as usize;
            let v = if matches!(instr, Instr::ArrayNew { .. }) {
                take(1)?[0]
            } else {
                (0, 0)
            };
            let v = (crate::ops::gc::pack(f.storage, v.0), v.1);
            let wide = crate::ops::gc::field_slots(f) == 2;
            if crate::ops::gc::object_bytes(n.saturating_mul(if wide { 2 } else { 1 }))
                > store.limits.max_gc_bytes
            {
                return Err(Trap::AllocationLimit.into());
            }
            let mut slots = Vec::new();
            for _ in 0..n {
                push_val(&mut slots, wide, v);
            }
            (true, slots)
        }
        (Instr::ArrayNewFixed { len, .. }, CompositeType::Array(f)) => {
            let vals = take(*len as usize)?;
            let mut slots = Vec::new();
            for (lo, hi) in vals {
                push_val(
                    &mut slots,
                    crate::ops::gc::field_slots(f) == 2,
                    (crate::ops::gc::pack(f.storage, lo), hi),
                );
            }
            (true, slots)
        }
        _ => return Err(Error::Invalid("constant expression")),
    };
    Ok(crate::ops::gc::alloc_with(
        store,
        canon,
        array,
        slots.into_boxed_slice(),
        desc,
    )?)
}

/// Checked access to a span of code.
trait InstrsChecked {
    fn instrs_checked(&self, e: Expr) -> Result<&[Instr], Error>;
}

impl InstrsChecked for weft_ast::Module {
    fn instrs_checked(&self, e: Expr) -> Result<&[Instr], Error> {
        self.code
            .get(e.start as usize..e.end as usize)
            .ok_or(Error::Invalid("expression out of range"))
    }
}
