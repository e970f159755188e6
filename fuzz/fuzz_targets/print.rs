//! Any bytes that decode, printed as text: no panic, hang or unbounded
//! output under every option; and for modules that validate, `wat` (the
//! test oracle) reads the text back to the same module, flat and folded.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_ast::{CustomKind, Locals, Module, Place, SectionId};
use weft_parser::{Features, parse_with};
use weft_printer::{Options, print_module};

/// What the text format cannot carry, taken out of a module: names (the
/// printer may rename), the data count section, how locals are split into
/// runs, and custom sections' places when one sat after the data count
/// section (which a text parser emits only when code needs it).
fn normalize(m: &mut Module, places: bool) {
    m.names = Default::default();
    m.customs.retain(|c| !matches!(c.kind, CustomKind::Names));
    if !places {
        for c in &mut m.customs {
            c.place = Place::First;
        }
    }
    m.data_count = None;
    for f in &mut m.funcs {
        let mut runs: Vec<Locals> = Vec::new();
        for run in f.locals.drain(..) {
            match runs.last_mut() {
                Some(last) if last.ty == run.ty => last.count += run.count,
                _ if run.count == 0 => {}
                _ => runs.push(run),
            }
        }
        f.locals = runs;
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the proposals and the printing options.
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let features = if knobs & 1 == 0 {
        Features::default()
    } else {
        Features::ALL
    };
    let Ok(module) = parse_with(bytes, features) else {
        return;
    };
    let options = Options {
        fold: knobs & 2 != 0,
        skeleton: knobs & 4 != 0,
        index_comments: knobs & 8 != 0,
        custom_annotations: knobs & 16 == 0,
        ..Options::default()
    };
    let mut text = String::new();
    print_module(&module, &options, &mut text).expect("printing into a String");
    if options.skeleton || !options.custom_annotations {
        return;
    }
    // Only valid modules must read back; and past the printer's limit on
    // locals the text summarizes them.
    let huge = module.funcs.iter().any(|f| {
        f.locals.iter().map(|l| u64::from(l.count)).sum::<u64>() > weft_printer::MAX_PRINTED_LOCALS
    });
    if huge || weft_validator::validate(&module, features).is_err() {
        return;
    }
    let bytes =
        wat::parse_str(&text).unwrap_or_else(|e| panic!("wat rejects our text: {e}\n{text}"));
    let mut back = parse_with(&bytes, Features::ALL).expect("wat's binary decodes");
    let places = !module
        .customs
        .iter()
        .any(|c| c.place == Place::After(SectionId::DataCount));
    let mut original = module;
    normalize(&mut original, places);
    normalize(&mut back, places);
    assert_eq!(original, back, "text round trip changed the module\n{text}");
});
