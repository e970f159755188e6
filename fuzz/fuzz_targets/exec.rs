//! Any bytes that decode and validate, run by `weft_interp`: every import
//! is given a stand-in made from its type (functions that return default
//! values, fresh memories, tables, globals and tags), the module is
//! instantiated under small limits and fuel, and every exported function is
//! called with default arguments. Checks: whatever happens is a value
//! (results, a trap or an error), never a panic, a hang or an unbounded
//! allocation.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_ast::{FuncType, ImportDesc, ValType};
use weft_interp::{Extern, Linker, Module, Store, StoreLimits, Value};
use weft_parser::{Features, parse_with};

/// Defines a stand-in for every import, from its declared type; one the
/// store refuses is left out (the instantiation then fails as unlinkable).
fn stand_ins(store: &mut Store, ast: &weft_ast::Module, linker: &mut Linker) {
    for import in &ast.imports {
        let ext = match import.desc {
            ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => {
                let Some(ty) = ast.func_type(ty) else {
                    continue;
                };
                // Results arrive filled with their defaults.
                Extern::Func(store.func(ty.clone(), |_, _, _| Ok(())))
            }
            ImportDesc::Table(t) => {
                // Null, which a table of non-nullable references refuses.
                let init = Value::default_for(ValType::Ref(t.elem));
                match store.table(t, init) {
                    Ok(t) => Extern::Table(t),
                    Err(_) => continue,
                }
            }
            ImportDesc::Memory(m) => match store.memory(m) {
                Ok(m) => Extern::Memory(m),
                Err(_) => continue,
            },
            ImportDesc::Global(g) => match store.global(g, Value::default_for(g.val)) {
                Ok(g) => Extern::Global(g),
                Err(_) => continue,
            },
            ImportDesc::Tag(t) => {
                let ty = ast.func_type(t.ty).cloned().unwrap_or(FuncType {
                    params: vec![],
                    results: vec![],
                });
                Extern::Tag(store.tag(ty))
            }
        };
        linker.define(&import.module, &import.name, ext);
    }
}

fuzz_target!(|data: &[u8]| {
    let features = Features::default();
    let Ok(ast) = parse_with(data, features) else {
        return;
    };
    let mut store = Store::with_limits(StoreLimits {
        max_memory_bytes: 1 << 24,
        max_table_elements: 1 << 16,
        max_call_depth: 1000,
        max_stack_slots: 1 << 16,
        max_exceptions: 1 << 12,
        max_gc_slots: 1 << 20,
    });
    store.set_fuel(Some(100_000));
    let mut linker = Linker::new();
    stand_ins(&mut store, &ast, &mut linker);
    let Ok(module) = Module::with_features(ast, features) else {
        return;
    };
    let Ok(instance) = linker.instantiate(&mut store, &module) else {
        return;
    };
    let funcs: Vec<_> = store
        .exports(instance)
        .filter_map(|(_, e)| match e {
            Extern::Func(f) => Some(f),
            _ => None,
        })
        .collect();
    for f in funcs {
        let Ok(ty) = store.func_type(f) else { continue };
        let args: Vec<Value> = ty.params.iter().map(|t| Value::default_for(*t)).collect();
        store.set_fuel(Some(100_000));
        let _ = store.call(f, &args);
    }
});
