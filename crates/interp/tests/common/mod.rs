//! Builders the runtime's tests share: a module from text, an instance, a
//! call by export name.

#![allow(dead_code)]

use weft_interp::{Error, Instance, Linker, Module, Store, Value};

/// A validated module from text.
pub fn module(text: &str) -> Module {
    Module::new(weft_wat::parse_module(text).expect("test module parses")).expect("valid")
}

/// An instance of a module from text, with no imports.
pub fn instantiate(store: &mut Store, text: &str) -> Instance {
    Linker::new()
        .instantiate(store, &module(text))
        .expect("instantiates")
}

/// Calls an instance's export.
pub fn call(
    store: &mut Store,
    inst: Instance,
    name: &str,
    args: &[Value],
) -> Result<Vec<Value>, Error> {
    let f = store.export_func(inst, name).expect("exported function");
    store.call(f, args)
}
