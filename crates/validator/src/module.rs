//! Module-level rules: types, imports, entity types, segments, exports and
//! the start function; bodies are handed to `func`.

use crate::subtype::Subtyping;
use std::collections::HashSet;

use weft_ast::{
    AddrType, CompositeType, DataMode, ElemItems, ElemMode, ExternKind, Features, HeapType,
    ImportDesc, Instr, Limits, MemoryType, Module, RecGroup, RefType, TableType, TagType, ValType,
};

use crate::canon::TypeRegistry;
use crate::ctx::{Ctx, Spaces};
use crate::error::{Error, Location, Result, err};
use crate::func::{check_body, check_const};
use crate::stack::Stacks;
use crate::valid::{FuncFacts, ValidModule};

/// Validates everything; bodies in parallel when `parallel` is set.
pub(crate) fn validate_module(
    m: &Module,
    features: Features,
    registry: &mut TypeRegistry,
    parallel: bool,
) -> std::result::Result<ValidModule, Error> {
    let mut st = Stacks::new();
    let ctx = check_before_code(m, features, registry, m.datas.len() as u32, &mut st)?;
    let funcs = if parallel {
        bodies_parallel(&ctx)?
    } else {
        let mut out = Vec::with_capacity(m.funcs.len());
        for (i, f) in m.funcs.iter().enumerate() {
            out.push(check_body(
                &ctx,
                &mut st,
                ctx.num_imported_funcs + i as u32,
                f,
            )?);
        }
        out
    };
    check_after_code(&ctx, funcs)
}

/// Validates everything like [`validate_module`], going on past a body's
/// error to the next body: the errors are the module-level one that stops
/// everything (the bodies are checked in the context it leaves unfinished),
/// else every invalid body's first error in function order (each body is
/// checked on its own, in the context the module-level checks built, so no
/// error comes from another), then the data segments' when they fail.
pub(crate) fn validate_module_all(
    m: &Module,
    features: Features,
    registry: &mut TypeRegistry,
    parallel: bool,
) -> std::result::Result<ValidModule, Vec<Error>> {
    let mut st = Stacks::new();
    let ctx = check_before_code(m, features, registry, m.datas.len() as u32, &mut st)
        .map_err(|e| vec![e])?;
    let results: Vec<Result<FuncFacts>> = if parallel {
        bodies_results_parallel(&ctx)
    } else {
        m.funcs
            .iter()
            .enumerate()
            .map(|(i, f)| check_body(&ctx, &mut st, ctx.num_imported_funcs + i as u32, f))
            .collect()
    };
    let mut funcs = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(facts) => funcs.push(facts),
            Err(e) => errors.push(e),
        }
    }
    if let Err(e) = check_datas(&ctx, &mut st) {
        errors.push(e);
    }
    if errors.is_empty() {
        check_after_code(&ctx, funcs).map_err(|e| vec![e])
    } else {
        Err(errors)
    }
}

/// Every check that comes before the bodies', in the order of the rules:
/// what a binary holds before its code section is all they read. Returns
/// the context the bodies are checked in; `num_datas` is how many data
/// segments there are (or will be, by the data count section).
pub(crate) fn check_before_code<'m>(
    m: &'m Module,
    features: Features,
    registry: &mut TypeRegistry,
    num_datas: u32,
    st: &mut Stacks<'m>,
) -> Result<Ctx<'m>> {
    let spaces = Spaces {
        features,
        canon: Vec::with_capacity(m.types.len()),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        exact_imports: Vec::new(),
        tables: Vec::new(),
        mems: Vec::new(),
        globals: Vec::new(),
        num_imported_globals: 0,
        tags: Vec::new(),
        elem_types: m.elems.iter().map(|e| e.ty).collect(),
        num_datas,
        declared: Vec::new(),
    };
    let mut ctx = Ctx { m, spaces };
    if m.data_count.is_some() && !features.contains(Features::BULK_MEMORY) {
        return Err(err("data count section requires the bulk-memory proposal"));
    }
    check_types(&mut ctx, registry)?;
    check_imports(&mut ctx)?;
    for f in &m.funcs {
        let idx = ctx.funcs.len() as u32;
        ctx.func_type(f.ty).map_err(|e| {
            e.at(Location::Func {
                func: idx,
                instr: None,
            })
        })?;
        ctx.funcs.push(f.ty);
    }
    ctx.declared = declared_funcs(&ctx);
    check_tables(&mut ctx, st)?;
    check_memories(&mut ctx)?;
    check_tags(&mut ctx)?;
    check_globals(&mut ctx, st)?;
    check_exports(&ctx)?;
    check_start(&ctx)?;
    check_elems(&ctx, st)?;
    Ok(ctx)
}

/// The checks after the bodies' (data segments), and the result.
pub(crate) fn check_after_code(
    ctx: &Ctx<'_>,
    funcs: Vec<FuncFacts>,
) -> std::result::Result<ValidModule, Error> {
    check_datas(ctx, &mut Stacks::new())?;
    Ok(ValidModule {
        types: ctx.m.types.clone(),
        canonical: ctx.canon.clone(),
        func_types: ctx.funcs.clone(),
        num_imported_funcs: ctx.num_imported_funcs,
        funcs,
    })
}

fn bodies_parallel(ctx: &Ctx<'_>) -> Result<Vec<FuncFacts>> {
    // The first error in function order, as the sequential walk reports it.
    bodies_results_parallel(ctx).into_iter().collect()
}

/// Each body's facts or error, checked on rayon's threads.
fn bodies_results_parallel(ctx: &Ctx<'_>) -> Vec<Result<FuncFacts>> {
    use rayon::prelude::*;
    // Coarse chunks: each one sets up its stacks once and then reuses them.
    let chunk = (ctx.m.funcs.len() / (4 * rayon::current_num_threads())).max(16);
    ctx.m
        .funcs
        .par_iter()
        .enumerate()
        .with_min_len(chunk)
        .map_init(Stacks::new, |st, (i, f)| {
            check_body(ctx, st, ctx.num_imported_funcs + i as u32, f)
        })
        .collect()
}

/// The recursion groups, made to cover every type even for a hand-built
/// module that lists none.
fn groups(m: &Module) -> Result<Vec<RecGroup>> {
    if m.rec_groups.is_empty() {
        return Ok((0..m.types.len() as u32)
            .map(|start| RecGroup {
                start,
                len: 1,
                explicit: false,
            })
            .collect());
    }
    let mut next = 0u32;
    for g in &m.rec_groups {
        if g.start != next {
            return Err(err(
                "malformed recursion groups: they must cover the types in order",
            ));
        }
        next = next.saturating_add(g.len);
    }
    if next as usize != m.types.len() {
        return Err(err(
            "malformed recursion groups: they must cover the types in order",
        ));
    }
    Ok(m.rec_groups.clone())
}

fn check_types(ctx: &mut Ctx<'_>, registry: &mut TypeRegistry) -> Result<()> {
    let m = ctx.m;
    let gc = ctx.features.contains(Features::GC);
    for g in groups(m)? {
        let bound = g.start + g.len;
        // Before GC there is no recursion: a type sees only earlier ones.
        let visible = if gc { bound } else { g.start };
        if !gc && (g.explicit || g.len != 1) {
            return Err(err("recursion groups require the gc proposal").at(Location::Type(g.start)));
        }
        for idx in g.start..bound {
            let t = &m.types[idx as usize];
            let at = |e: Error| e.at(Location::Type(idx));
            if !gc
                && (!t.is_final
                    || !t.supertypes.is_empty()
                    || !matches!(t.composite, CompositeType::Func(_)))
            {
                return Err(at(err(
                    "struct, array and sub types require the gc proposal",
                )));
            }
            match &t.composite {
                CompositeType::Func(f) => {
                    for &v in f.params.iter().chain(&f.results) {
                        ctx.check_val(v, visible).map_err(at)?;
                    }
                    if f.results.len() > 1 && !ctx.features.contains(Features::MULTI_VALUE) {
                        return Err(at(err(
                            "invalid result arity: multiple results require multi-value",
                        )));
                    }
                }
                CompositeType::Struct(fields) => {
                    for f in fields {
                        if let weft_ast::StorageType::Val(v) = f.storage {
                            ctx.check_val(v, visible).map_err(at)?;
                        }
                    }
                }
                CompositeType::Array(f) => {
                    if let weft_ast::StorageType::Val(v) = f.storage {
                        ctx.check_val(v, visible).map_err(at)?;
                    }
                }
            }
            if t.supertypes.len() > 1 {
                return Err(at(err("sub type: at most one supertype")));
            }
            crate::desc::check_clauses(ctx, g, idx, t).map_err(at)?;
            if let Some(&s) = t.supertypes.first() {
                if s >= bound {
                    return Err(at(err(format!("unknown type {s}"))));
                }
                if s >= idx {
                    return Err(at(err(format!(
                        "sub type {idx}: supertype {s} must come first"
                    ))));
                }
            }
        }
        let first = registry.intern_group(&m.types, g, &ctx.canon);
        for k in 0..g.len {
            ctx.canon.push(crate::CanonId(first.0 + k));
        }
        for idx in g.start..bound {
            let t = &m.types[idx as usize];
            if let Some(&s) = t.supertypes.first() {
                let sup = &m.types[s as usize];
                if sup.is_final || !ctx.composite_sub(&t.composite, &sup.composite) {
                    return Err(err(format!("sub type {idx} does not match super type {s}"))
                        .at(Location::Type(idx)));
                }
                crate::desc::check_sub_clauses(ctx, idx, t, s)
                    .map_err(|e| e.at(Location::Type(idx)))?;
            }
        }
    }
    Ok(())
}

fn check_limits(l: Limits, max_allowed: u128, what: &str) -> Result<()> {
    if l.min as u128 > max_allowed || l.max.is_some_and(|x| x as u128 > max_allowed) {
        return Err(err(what.to_string()));
    }
    if let Some(max) = l.max
        && l.min > max
    {
        return Err(err("size minimum must not be greater than maximum"));
    }
    Ok(())
}

fn check_table_type(ctx: &Ctx<'_>, t: &TableType) -> Result<()> {
    if t.addr == AddrType::I64 && !ctx.features.contains(Features::MEMORY64) {
        return Err(err("64-bit tables require the memory64 proposal"));
    }
    let max = match t.addr {
        AddrType::I32 => u32::MAX as u128,
        AddrType::I64 => u64::MAX as u128,
    };
    check_limits(t.limits, max, "table size must be at most 2^32-1")?;
    if t.elem == RefType::FUNCREF {
        // The one element type of the MVP, whatever the proposals.
        return Ok(());
    }
    ctx.check_ref(t.elem, ctx.m.types.len() as u32)
}

fn check_memory_type(ctx: &Ctx<'_>, t: &MemoryType) -> Result<()> {
    if t.addr == AddrType::I64 && !ctx.features.contains(Features::MEMORY64) {
        return Err(err("64-bit memories require the memory64 proposal"));
    }
    let log2 = match t.page_size_log2 {
        None => 16,
        Some(p) => {
            if !ctx.features.contains(Features::CUSTOM_PAGE_SIZES) {
                return Err(err(
                    "custom page sizes require the custom-page-sizes proposal",
                ));
            }
            if p != 0 && p != 16 {
                return Err(err("invalid custom page size"));
            }
            p
        }
    };
    let (bits, what) = match t.addr {
        AddrType::I32 if log2 == 16 => (
            32,
            "memory size must be at most 65536 pages (4GiB)".to_string(),
        ),
        AddrType::I32 => (
            32,
            format!("memory size must be at most 2^{} pages", 32 - log2),
        ),
        AddrType::I64 => (
            64,
            format!("memory size must be at most 2^{} pages", 64 - log2),
        ),
    };
    // With 1-byte pages the largest size is one less than the address
    // space, so that the byte length still fits the address type.
    let max_pages = if log2 == 0 {
        (1u128 << bits) - 1
    } else {
        1u128 << (bits - log2)
    };
    check_limits(t.limits, max_pages, &what)?;
    if t.shared {
        if !ctx.features.contains(Features::THREADS) {
            return Err(err("shared memories require the threads proposal"));
        }
        if t.limits.max.is_none() {
            return Err(err("shared memory must have maximum"));
        }
    }
    Ok(())
}

fn check_tag_type(ctx: &Ctx<'_>, t: &TagType) -> Result<()> {
    if !ctx.features.contains(Features::EXCEPTIONS) {
        return Err(err("tags require the exceptions proposal"));
    }
    let f = ctx.func_type(t.ty)?;
    if !f.results.is_empty() {
        return Err(err("non-empty tag result type"));
    }
    Ok(())
}

fn check_imports(ctx: &mut Ctx<'_>) -> Result<()> {
    for (i, imp) in ctx.m.imports.iter().enumerate() {
        let at = |e: Error| e.at(Location::Import(i as u32));
        match imp.desc {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => {
                ctx.func_type(ty).map_err(at)?;
                ctx.funcs.push(ty);
                ctx.exact_imports
                    .push(matches!(imp.desc, ImportDesc::FuncExact(_)));
            }
            ImportDesc::Table(t) => {
                check_table_type(ctx, &t).map_err(at)?;
                ctx.tables.push(t);
            }
            ImportDesc::Memory(t) => {
                check_memory_type(ctx, &t).map_err(at)?;
                ctx.mems.push(t);
            }
            ImportDesc::Global(g) => {
                ctx.check_val_all(g.val).map_err(at)?;
                if g.mutable && !ctx.features.contains(Features::MUTABLE_GLOBAL) {
                    return Err(at(err("mutable global imports require mutable-global")));
                }
                ctx.globals.push(g);
            }
            ImportDesc::Tag(t) => {
                check_tag_type(ctx, &t).map_err(at)?;
                ctx.tags.push(t.ty);
            }
        }
    }
    ctx.num_imported_funcs = ctx.funcs.len() as u32;
    ctx.num_imported_globals = ctx.globals.len() as u32;
    Ok(())
}

/// Functions that a body's `ref.func` may name: those referenced anywhere in
/// the module outside function bodies (segments, globals, tables, exports).
fn declared_funcs(ctx: &Ctx<'_>) -> Vec<bool> {
    let m = ctx.m;
    let mut declared = vec![false; ctx.funcs.len()];
    let mut mark = |f: u32| {
        if let Some(d) = declared.get_mut(f as usize) {
            *d = true;
        }
    };
    let scan = |e: weft_ast::Expr, mark: &mut dyn FnMut(u32)| {
        if let Some(code) = m.code.get(e.start as usize..e.end as usize) {
            for ins in code {
                if let Instr::RefFunc { func } = ins {
                    mark(*func);
                }
            }
        }
    };
    for g in &m.globals {
        scan(g.init, &mut mark);
    }
    for t in &m.tables {
        if let Some(e) = t.init {
            scan(e, &mut mark);
        }
    }
    for el in &m.elems {
        match &el.items {
            ElemItems::Funcs(fs) => fs.iter().for_each(|&f| mark(f)),
            ElemItems::Exprs(es) => es.iter().for_each(|&e| scan(e, &mut mark)),
        }
        if let ElemMode::Active { offset, .. } = el.mode {
            scan(offset, &mut mark);
        }
    }
    for d in &m.datas {
        if let DataMode::Active { offset, .. } = d.mode {
            scan(offset, &mut mark);
        }
    }
    for ex in &m.exports {
        if ex.kind == ExternKind::Func {
            mark(ex.index);
        }
    }
    declared
}

/// How many globals constant expressions outside the global section see.
fn const_globals(ctx: &Ctx<'_>) -> u32 {
    if ctx.features.contains(Features::GC) {
        ctx.globals.len() as u32
    } else {
        ctx.num_imported_globals
    }
}

fn check_tables<'m>(ctx: &mut Ctx<'m>, st: &mut Stacks<'m>) -> Result<()> {
    for t in &ctx.m.tables {
        let idx = ctx.tables.len() as u32;
        let at = |e: Error| e.at(Location::Table(idx));
        check_table_type(ctx, &t.ty).map_err(at)?;
        match t.init {
            Some(e) => {
                // Tables precede globals: only imported ones are visible.
                let visible = ctx.num_imported_globals;
                check_const(ctx, st, e, ValType::Ref(t.ty.elem), visible).map_err(at)?;
            }
            None if !t.ty.elem.nullable => {
                return Err(at(err(
                    "type mismatch: a table of non-nullable references needs an initializer",
                )));
            }
            None => {}
        }
        ctx.tables.push(t.ty);
    }
    if ctx.tables.len() > 1 && !ctx.features.contains(Features::REFERENCE_TYPES) {
        return Err(err("multiple tables"));
    }
    Ok(())
}

fn check_memories(ctx: &mut Ctx<'_>) -> Result<()> {
    for t in &ctx.m.memories {
        let idx = ctx.mems.len() as u32;
        check_memory_type(ctx, t).map_err(|e| e.at(Location::Memory(idx)))?;
        ctx.mems.push(*t);
    }
    if ctx.mems.len() > 1 && !ctx.features.contains(Features::MULTI_MEMORY) {
        return Err(err("multiple memories"));
    }
    Ok(())
}

fn check_tags(ctx: &mut Ctx<'_>) -> Result<()> {
    for t in &ctx.m.tags {
        let idx = ctx.tags.len() as u32;
        check_tag_type(ctx, t).map_err(|e| e.at(Location::Tag(idx)))?;
        ctx.tags.push(t.ty);
    }
    Ok(())
}

fn check_globals<'m>(ctx: &mut Ctx<'m>, st: &mut Stacks<'m>) -> Result<()> {
    // Every global's type is known up front; each initializer only sees
    // the globals before it (with GC) or the imported ones (before GC).
    let m = ctx.m;
    ctx.globals.extend(m.globals.iter().map(|g| g.ty));
    let gc = ctx.features.contains(Features::GC);
    for (i, g) in ctx.m.globals.iter().enumerate() {
        let idx = ctx.num_imported_globals + i as u32;
        let at = |e: Error| e.at(Location::Global(idx));
        ctx.check_val_all(g.ty.val).map_err(at)?;
        let visible = if gc { idx } else { ctx.num_imported_globals };
        check_const(ctx, st, g.init, g.ty.val, visible).map_err(at)?;
    }
    Ok(())
}

fn check_exports(ctx: &Ctx<'_>) -> Result<()> {
    let mut names = HashSet::with_capacity(ctx.m.exports.len());
    for (i, ex) in ctx.m.exports.iter().enumerate() {
        let at = |e: Error| e.at(Location::Export(i as u32));
        match ex.kind {
            ExternKind::Func => ctx.func_type_of(ex.index).map(|_| ()),
            ExternKind::Table => ctx.table(ex.index).map(|_| ()),
            ExternKind::Memory => ctx.memory(ex.index).map(|_| ()),
            ExternKind::Global => ctx.global(ex.index).and_then(|g| {
                if g.mutable && !ctx.features.contains(Features::MUTABLE_GLOBAL) {
                    Err(err("mutable global exports require mutable-global"))
                } else {
                    Ok(())
                }
            }),
            ExternKind::Tag => ctx.tag_type(ex.index).map(|_| ()),
        }
        .map_err(at)?;
        if !names.insert(ex.name.as_str()) {
            return Err(at(err(format!("duplicate export name {:?}", ex.name))));
        }
    }
    Ok(())
}

fn check_start(ctx: &Ctx<'_>) -> Result<()> {
    if let Some(f) = ctx.m.start {
        let ty = ctx.func_type_of(f).map_err(|e| e.at(Location::Start))?;
        if !ty.params.is_empty() || !ty.results.is_empty() {
            return Err(err("start function must have type [] -> []").at(Location::Start));
        }
    }
    Ok(())
}

fn check_elems<'m>(ctx: &Ctx<'m>, st: &mut Stacks<'m>) -> Result<()> {
    let visible = const_globals(ctx);
    let bulk = ctx.features.contains(Features::BULK_MEMORY);
    for (i, el) in ctx.m.elems.iter().enumerate() {
        let at = |e: Error| e.at(Location::Elem(i as u32));
        // The MVP has only active segments of function indices.
        let mvp_form =
            matches!(el.mode, ElemMode::Active { .. }) && matches!(el.items, ElemItems::Funcs(_));
        if !bulk && !mvp_form {
            return Err(at(err(
                "passive, declarative and expression segments require bulk-memory",
            )));
        }
        match &el.items {
            ElemItems::Funcs(fs) => {
                for &f in fs {
                    let ty = *ctx
                        .funcs
                        .get(f as usize)
                        .ok_or_else(|| at(err(format!("unknown function {f}"))))?;
                    let r = RefType::new(false, HeapType::Concrete(ty));
                    if !ctx.ref_sub(r, el.ty) {
                        return Err(at(err(
                            "type mismatch: function does not fit the segment type",
                        )));
                    }
                }
            }
            ElemItems::Exprs(es) => {
                // The function-index forms imply `(ref func)` whatever the
                // proposals; written types are checked.
                ctx.check_ref(el.ty, ctx.m.types.len() as u32).map_err(at)?;
                for &e in es {
                    check_const(ctx, st, e, ValType::Ref(el.ty), visible).map_err(at)?;
                }
            }
        }
        if let ElemMode::Active { table, offset } = el.mode {
            let t = ctx.table(table).map_err(at)?;
            check_const(ctx, st, offset, t.addr.val_type(), visible).map_err(at)?;
            if !ctx.ref_sub(el.ty, t.elem) {
                return Err(at(err(
                    "type mismatch: segment type does not fit the table",
                )));
            }
        }
    }
    Ok(())
}

fn check_datas<'m>(ctx: &Ctx<'m>, st: &mut Stacks<'m>) -> Result<()> {
    let visible = const_globals(ctx);
    let bulk = ctx.features.contains(Features::BULK_MEMORY);
    for (i, d) in ctx.m.datas.iter().enumerate() {
        if !bulk && d.mode == DataMode::Passive {
            return Err(
                err("passive data segments require the bulk-memory proposal")
                    .at(Location::Data(i as u32)),
            );
        }
        if let DataMode::Active { memory, offset } = d.mode {
            let at = |e: Error| e.at(Location::Data(i as u32));
            let mem = ctx.memory(memory).map_err(at)?;
            check_const(ctx, st, offset, mem.addr.val_type(), visible).map_err(at)?;
        }
    }
    Ok(())
}
