//! Modules that decode but need not validate, translated by
//! `weft_interp::Module::new_unchecked` and run: its promise is that an
//! invalid module it lets through computes garbage but stays in bounds.
//! Checks: translation, instantiation and every exported function's call
//! (with stand-in imports, small limits and fuel, as in `exec`) end in a
//! value, a trap or an error, never a panic, a hang, an unbounded
//! allocation or (under the sanitizer) an access out of bounds.
//!
//! The first byte is a knob: its low two bits are how many instructions to
//! overwrite (0 to 3), each by four bytes after the knob (two little-endian
//! `u16`s: the instruction to overwrite and the one to copy over it, both
//! modulo the module's code length). Replacing instructions makes valid
//! seeds ill-typed in the ways translation must survive; the module's bytes
//! follow. Seed it with the testsuite's binaries (valid and
//! `assert_invalid`), each prefixed with `\x00`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_interp::{Linker, Module, Store};
use weft_parser::{Features, parse_with};

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else {
        return;
    };
    let edits = usize::from(knob & 3);
    if rest.len() < 4 * edits {
        return;
    }
    let (edits, bytes) = rest.split_at(4 * edits);
    let Ok(mut ast) = parse_with(bytes, Features::default()) else {
        return;
    };
    let len = ast.code.len();
    if len > 0 {
        for e in edits.chunks_exact(4) {
            let to = usize::from(u16::from_le_bytes([e[0], e[1]])) % len;
            let from = usize::from(u16::from_le_bytes([e[2], e[3]])) % len;
            ast.code[to] = ast.code[from].clone();
        }
    }
    let mut store = Store::with_limits(weft_fuzz::limits());
    store.set_fuel(Some(100_000));
    let mut linker = Linker::new();
    weft_fuzz::stand_ins(&mut store, &ast, &mut linker);
    let Ok(module) = Module::new_unchecked(ast) else {
        return;
    };
    let Ok(instance) = linker.instantiate(&mut store, &module) else {
        return;
    };
    weft_fuzz::call_exports(&mut store, instance, 100_000);
});
