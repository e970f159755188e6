//! What the runtime's fuzz targets share (`exec`, `exec_unchecked`): a
//! stand-in for every import made from its type, small store limits, and
//! calling every exported function. A library beside the targets so that
//! both run modules the same way.

use weft_ast::{FuncType, ImportDesc, ValType};
use weft_interp::{Extern, Instance, Linker, Store, StoreLimits, Value};

/// Limits small enough that no input allocates much or recurses deeply.
pub fn limits() -> StoreLimits {
    StoreLimits {
        max_memory_bytes: 1 << 24,
        max_table_elements: 1 << 16,
        max_call_depth: 1000,
        max_stack_slots: 1 << 16,
        max_exceptions: 1 << 12,
        max_gc_bytes: 1 << 24,
    }
}

/// Defines a stand-in for every import, from its declared type; one the
/// store refuses is left out (the instantiation then fails as unlinkable).
pub fn stand_ins(store: &mut Store, ast: &weft_ast::Module, linker: &mut Linker) {
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

/// Calls every exported function of `instance` with default arguments,
/// each with `fuel`; whatever each call gives (results, a trap, an error)
/// is dropped.
pub fn call_exports(store: &mut Store, instance: Instance, fuel: u64) {
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
        store.set_fuel(Some(fuel));
        let _ = store.call(f, &args);
    }
}
