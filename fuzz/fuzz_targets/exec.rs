//! Any bytes that decode and validate, run by `weft_interp`: every import
//! is given a stand-in made from its type (functions that return default
//! values, fresh memories, tables, globals and tags), the module is
//! instantiated under small limits and fuel, and every exported function is
//! called with default arguments. Checks: whatever happens is a value
//! (results, a trap or an error), never a panic, a hang or an unbounded
//! allocation.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_interp::{Linker, Module, Store};
use weft_parser::{Features, parse_with};

fuzz_target!(|data: &[u8]| {
    let features = Features::default();
    let Ok(ast) = parse_with(data, features) else {
        return;
    };
    let mut store = Store::with_limits(weft_fuzz::limits());
    store.set_fuel(Some(100_000));
    let mut linker = Linker::new();
    weft_fuzz::stand_ins(&mut store, &ast, &mut linker);
    let Ok(module) = Module::with_features(ast, features) else {
        return;
    };
    let Ok(instance) = linker.instantiate(&mut store, &module) else {
        return;
    };
    weft_fuzz::call_exports(&mut store, instance, 100_000);
});
